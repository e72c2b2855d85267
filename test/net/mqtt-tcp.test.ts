// net/mqtt/tcp over real loopback sockets on the XS host (embedded:io/socket/tcp with Moddable's
// lwip semantics): every length is written as its binary digits and arrives intact, reads come in
// power-of-two pieces in order, writes are all-or-nothing, refusal and peer close end with
// onClose, close() silences the connection, and writing allocates nothing.
import { test, equal, deepEqual, ok, throws } from "test/harness";
import TCP from "embedded:io/socket/tcp";
import Listener from "embedded:io/socket/listener";
import Timer from "timer";
import { collecting, gc, memory } from "xshost";
import { TCPTransport } from "net/mqtt/tcp";
import type { TransportHandlers } from "net/mqtt/transport";

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => Timer.set(() => resolve(), ms));
}

async function until(check: () => boolean, what: string, ms = 2000): Promise<void> {
	for (let i = 0; i < ms; i++) {
		if (check()) return;
		await sleep(1);
	}
	ok(false, `timed out waiting for ${what}`);
}

/** A listener whose accepted connections record what they receive; `send` writes to the last one. */
function peer() {
	const state = { received: [] as number[], peers: [] as TCP[], listener: undefined as unknown as Listener };
	state.listener = new Listener({
		port: 0,
		onReadable(count) {
			for (let i = 0; i < count; i++) {
				const accepted = this.read();
				if (!accepted) continue;
				state.peers.push(new TCP({
					from: accepted,
					onReadable() {
						const data = new Uint8Array(this.read() as ArrayBuffer);
						for (let i = 0; i < data.length; i++) state.received.push(data[i]);
					},
				}));
			}
		},
	});
	return state;
}

function recorder() {
	const log: string[] = [];
	const data: number[] = [];
	const pieces: number[] = [];
	const handlers: TransportHandlers = {
		onConnect() { log.push("connect"); },
		onData(bytes, length) {
			pieces.push(length);
			for (let i = 0; i < length; i++) data.push(bytes[i]);
		},
		onWritable() { log.push("writable"); },
		onClose() { log.push("close"); },
	};
	return { log, data, pieces, handlers };
}

const pattern = (length: number, seed: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);

test("every-length-is-written-intact-in-binary-pieces", async () => {
	const server = peer();
	const transport = new TCPTransport(TCP, { address: "127.0.0.1", port: server.listener.port, chunk: 64 });
	const r = recorder();
	equal(transport.writable, 0, "not connected yet");
	transport.open(r.handlers);
	await until(() => r.log.includes("connect"), "connect");
	equal(transport.writable, 8192);
	const expected: number[] = [];
	const source = new Uint8Array(300);
	for (let length = 1; length <= 200; length++) {
		const bytes = pattern(length + 5, length);
		source.set(bytes);
		await until(() => transport.writable >= length, "room");
		ok(transport.write(source, 5, length), `write ${length}`);
		for (let i = 5; i < 5 + length; i++) expected.push(bytes[i]);
	}
	await until(() => server.received.length === expected.length, "all bytes");
	deepEqual(Uint8Array.from(server.received), Uint8Array.from(expected));
	transport.close();
	server.listener.close();
});

test("reads-arrive-in-order-in-power-of-two-pieces", async () => {
	const server = peer();
	const transport = new TCPTransport(TCP, { address: "127.0.0.1", port: server.listener.port, chunk: 32 });
	const r = recorder();
	transport.open(r.handlers);
	await until(() => server.peers.length === 1 && r.log.includes("connect"), "connect");
	const sent = pattern(3000, 3);
	server.peers[0].write(sent.buffer);
	await until(() => r.data.length === 3000, "3000 bytes");
	deepEqual(Uint8Array.from(r.data), sent);
	for (const piece of r.pieces) ok(piece <= 32 && (piece & (piece - 1)) === 0, `piece ${piece}`);
	transport.close();
	server.listener.close();
});

test("a-write-that-does-not-fit-returns-false-and-sends-nothing", async () => {
	const server = peer();
	const transport = new TCPTransport(TCP, { address: "127.0.0.1", port: server.listener.port });
	const r = recorder();
	equal(transport.write(new Uint8Array(4), 0, 4), false, "before connect");
	transport.open(r.handlers);
	await until(() => r.log.includes("connect"), "connect");
	equal(transport.write(new Uint8Array(9000), 0, 8193), false);
	ok(transport.write(Uint8Array.from([1, 2, 3]), 0, 3));
	await until(() => server.received.length === 3, "3 bytes");
	await sleep(5);
	deepEqual(server.received, [1, 2, 3]);
	transport.close();
	server.listener.close();
});

test("refusal-and-peer-close-end-with-on-close-and-open-starts-over", async () => {
	const gone = new Listener({ port: 0 });
	const port = gone.port;
	gone.close();
	const transport = new TCPTransport(TCP, { address: "127.0.0.1", port });
	const r = recorder();
	transport.open(r.handlers);
	await until(() => r.log.length > 0, "refusal");
	deepEqual(r.log, ["close"]);
	const server = peer();
	const again = new TCPTransport(TCP, { address: "127.0.0.1", port: server.listener.port });
	const s = recorder();
	again.open(s.handlers);
	await until(() => server.peers.length === 1 && s.log.includes("connect"), "connect");
	server.peers[0].write(Uint8Array.from([9, 8]).buffer);
	server.peers[0].close();
	await until(() => s.log.includes("close"), "peer close");
	deepEqual(s.data, [9, 8], "the last bytes come before onClose");
	equal(again.writable, 0);
	const t = recorder();
	again.open(t.handlers);
	await until(() => server.peers.length === 2 && t.log.includes("connect"), "second connection");
	again.close();
	again.close();
	server.peers[1].write(Uint8Array.from([1]).buffer);
	await sleep(20);
	deepEqual(t.data, [], "nothing after close()");
	server.listener.close();
});

test("writes-allocate-nothing", async () => {
	const server = peer();
	const transport = new TCPTransport(TCP, { address: "127.0.0.1", port: server.listener.port });
	const r = recorder();
	transport.open(r.handlers);
	await until(() => r.log.includes("connect"), "connect");
	const packet = pattern(75, 1);
	const growth = (n: number): number => {
		gc();
		collecting(false);
		const before = memory();
		for (let i = 0; i < n; i++) transport.write(packet, 0, 75);
		const after = memory();
		collecting(true);
		return after.chunksUsed + after.slotsUsed - before.chunksUsed - before.slotsUsed;
	};
	growth(5);
	const few = growth(5);
	const many = growth(50);
	equal(many - few, 0, `45 more writes allocated ${many - few} bytes`);
	await until(() => server.received.length === 60 * 75, "the bytes");
	transport.close();
	server.listener.close();
});

test("options-are-validated", () => {
	throws(() => new TCPTransport(TCP, { address: "", port: 1883 }), RangeError, /address/);
	throws(() => new TCPTransport(TCP, { address: "127.0.0.1", port: 0 }), RangeError, /port/);
	throws(() => new TCPTransport(TCP, { address: "127.0.0.1", port: 1883, chunk: 100 }), RangeError, /chunk/);
	throws(() => new TCPTransport(undefined as never, { address: "127.0.0.1", port: 1883 }), RangeError, /TCP class/);
	const transport = new TCPTransport(TCP, { address: "10.0.0.1", port: 1883 });
	throws(() => transport.open(recorder().handlers), Error, /unreachable$/, "the simulator's loopback policy surfaces from open()");
});
