// embedded:io/socket/tcp, udp and listener on the simulator host: real loopback sockets with the
// ESP32 (lwip) semantics of Moddable's implementation. Peers are listeners in the same machine.
// Messages are matched at their end: XS debug builds prefix the function's name.
import { test, equal, deepEqual, ok, throws } from "test/harness";
import TCP from "embedded:io/socket/tcp";
import UDP from "embedded:io/socket/udp";
import Listener from "embedded:io/socket/listener";
import Timer from "timer";

const SEND_BUFFER = 8192;

function text(buffer: ArrayBuffer | number | undefined): string {
	ok(buffer instanceof ArrayBuffer, "expected an ArrayBuffer");
	return String.fromCharCode(...new Uint8Array(buffer));
}

function bytes(value: string): ArrayBuffer {
	return Uint8Array.from(value, (c) => c.charCodeAt(0)).buffer;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => Timer.set(() => resolve(), ms));
}

/** Resolves when `check` is true, polling once per simulated millisecond (sockets hold virtual time). */
async function until(check: () => boolean, what: string, ms = 2000): Promise<void> {
	for (let i = 0; i < ms; i++) {
		if (check()) return;
		await sleep(1);
	}
	ok(false, `timed out waiting for ${what}`);
}

/** A listener that adopts each connection and hands it to `serve`. */
function server(serve: (socket: TCP) => void): Listener {
	const listener: Listener = new Listener({
		port: 0,
		onReadable(count) {
			for (let i = 0; i < count; i++) {
				const accepted = listener.read();
				if (accepted) serve(accepted);
			}
		},
	});
	return listener;
}

/** An echo server: every chunk comes back prefixed with "echo:". */
function echoServer(): { listener: Listener; peers: TCP[] } {
	const peers: TCP[] = [];
	const listener = server((accepted) => {
		peers.push(new TCP({
			from: accepted,
			onReadable() {
				const data = this.read() as ArrayBuffer;
				this.write(bytes(`echo:${text(data)}`));
			},
		}));
	});
	return { listener, peers };
}

test("connects-reports-writable-and-echoes", async () => {
	const { listener, peers } = echoServer();
	const events: string[] = [];
	let reply = "";
	const client = new TCP({
		address: "127.0.0.1",
		port: listener.port,
		onWritable(count) {
			events.push(`writable ${count}`);
			if (events.length === 1) events.push(`write ${this.write(bytes("ping")) as unknown as number}`);
		},
		onReadable(count) {
			events.push(`readable ${count}`);
			reply += text(this.read());
		},
	});
	await until(() => reply === "echo:ping", "the echo");
	// the kernel took the 4 bytes at once, so the whole send buffer is writable again
	deepEqual(events.slice(0, 2), [`writable ${SEND_BUFFER}`, `write ${SEND_BUFFER}`]);
	ok(events.includes("readable 9"), events.join(", "));
	equal(client.remoteAddress, "127.0.0.1");
	equal(client.remotePort, listener.port);
	equal(peers[0].remoteAddress, "127.0.0.1");
	client.close();
	peers.forEach((peer) => peer.close());
	listener.close();
});

test("callbacks-run-with-the-socket-as-this-and-target-is-kept", async () => {
	const listener = server((accepted) => accepted.close());
	const target = { name: "t" };
	const selves: TCP[] = [];
	const client = new TCP({ address: "127.0.0.1", port: listener.port, target, onWritable() { selves.push(this); } });
	await until(() => selves.length > 0, "onWritable");
	equal(selves[0], client);
	equal((client as unknown as { target: unknown }).target, target);
	client.close();
	listener.close();
});

test("write-before-connect-throws-not-ready", () => {
	const listener = server((accepted) => accepted.close());
	const client = new TCP({ address: "127.0.0.1", port: listener.port });
	throws(() => client.write(bytes("early")), Error, /\bnot ready$/);
	client.close();
	listener.close();
});

test("write-that-does-not-fit-throws-would-block-and-sends-nothing", async () => {
	let received = 0;
	const listener = server((accepted) => {
		new TCP({ from: accepted, onReadable(count) { received += count; this.read(); } });
	});
	let writable = 0;
	const client = new TCP({ address: "127.0.0.1", port: listener.port, onWritable(count) { writable = count; } });
	await until(() => writable > 0, "connect");
	throws(() => client.write(new ArrayBuffer(SEND_BUFFER + 1)), Error, /\bwould block$/);
	const left = client.write(new ArrayBuffer(SEND_BUFFER)) as unknown as number;
	ok(left >= 0 && left <= SEND_BUFFER, `a full-size write fits; ${left} writable after it`);
	await until(() => received === SEND_BUFFER, "the bytes");
	await sleep(5);
	equal(received, SEND_BUFFER, "nothing of the refused write was sent");
	client.close();
	listener.close();
});

test("read-forms-count-buffer-all-and-nothing", async () => {
	let peer: TCP | undefined;
	const listener = server((accepted) => (peer = accepted));
	let available = 0;
	const client = new TCP({ address: "127.0.0.1", port: listener.port, onReadable(count) { available = count; } });
	await until(() => peer !== undefined, "accept");
	equal(client.read(), undefined, "nothing buffered yet");
	peer!.write(bytes("abcdefgh"));
	await until(() => available === 8, "8 bytes");
	throws(() => client.read(0), RangeError, /\binvalid$/);
	throws(() => client.read(9), RangeError, /\binvalid$/);
	equal(text(client.read(3)), "abc");
	const into = new Uint8Array(2);
	equal(client.read(into) as unknown as number, 2);
	equal(String.fromCharCode(...into), "de");
	throws(() => client.read(new Uint8Array(4)), RangeError, /\binvalid$/, "more than buffered");
	client.format = "number";
	equal(client.format, "number");
	equal(client.read(), "f".charCodeAt(0));
	client.format = "buffer";
	equal(text(client.read()), "gh");
	equal(client.read(), undefined);
	throws(() => { client.format = "string" as "buffer"; }, RangeError, /\binvalid format$/);
	client.close();
	peer!.close();
	listener.close();
});

test("number-format-writes-one-byte", async () => {
	let got = "";
	const listener = server((accepted) => new TCP({ from: accepted, onReadable() { got += text(this.read()); } }));
	let ready = false;
	const client = new TCP({ address: "127.0.0.1", port: listener.port, format: "number", onWritable() { ready = true; } });
	await until(() => ready, "connect");
	client.write(65);
	client.write(66);
	await until(() => got === "AB", "two bytes");
	throws(() => client.write(256), RangeError);
	client.close();
	listener.close();
});

test("peer-close-delivers-buffered-bytes-then-on-error", async () => {
	const listener = server((accepted) => {
		accepted.write(bytes("last words"));
		accepted.close();
	});
	const events: string[] = [];
	const client = new TCP({
		address: "127.0.0.1",
		port: listener.port,
		onReadable(count) { events.push(`readable ${count}`); },
		onError() { events.push("error"); },
	});
	await until(() => events.length > 0 && client.read(4) !== undefined, "data");
	await sleep(20);
	equal(events.includes("error"), false, "no error while bytes are buffered");
	throws(() => client.write(bytes("reply")), Error, /\bnot ready$/, "the connection has ended");
	equal(text(client.read()), " words");
	await until(() => events.includes("error"), "onError");
	deepEqual(events, ["readable 10", "error"]);
	client.close();
	listener.close();
});

test("refused-connection-calls-on-error", async () => {
	const closed = new Listener({ port: 0 });
	const port = closed.port;
	closed.close();
	let errors = 0;
	let writable = 0;
	const client = new TCP({ address: "127.0.0.1", port, onError() { errors++; }, onWritable() { writable++; } });
	await until(() => errors > 0, "onError");
	await sleep(10);
	equal(errors, 1);
	equal(writable, 0);
	throws(() => client.write(bytes("x")), Error, /\bnot ready$/);
	client.close();
});

test("close-is-idempotent-and-a-closed-socket-throws-closed", () => {
	const listener = server((accepted) => accepted.close());
	const client = new TCP({ address: "127.0.0.1", port: listener.port });
	client.close();
	client.close();
	throws(() => client.read(), Error, /\bclosed$/);
	throws(() => client.write(bytes("x")), Error, /\bclosed$/);
	throws(() => client.remoteAddress, Error, /\bclosed$/);
	listener.close();
	listener.close();
	throws(() => listener.port, Error, /\bclosed$/);
});

test("constructor-validates-before-it-opens-anything", () => {
	const base = { address: "127.0.0.1", port: 1883 };
	throws(() => new TCP({ ...base, address: "example.com" }), RangeError, /\binvalid address$/);
	throws(() => new TCP({ host: "localhost", port: 1883 } as never), RangeError, /\binvalid address$/, "names are not resolved");
	throws(() => new TCP({ ...base, address: "127.0.0.1 x" }), RangeError, /\binvalid address$/);
	throws(() => new TCP({ ...base, port: 70000 }), RangeError, /\binvalid port$/);
	throws(() => new TCP({ ...base, port: 0 }), RangeError, /\binvalid port$/);
	throws(() => new TCP({ ...base, format: "string" as "buffer" }), RangeError, /\binvalid format$/);
	throws(() => new TCP({ ...base, onReadable: 3 as unknown as () => void }), RangeError, /\binvalid callback$/);
	throws(() => new TCP({ from: {} as TCP }), RangeError, /\binvalid from$/);
});

test("non-loopback-addresses-are-unreachable", () => {
	for (const address of ["10.0.0.1", "192.168.1.10", "8.8.8.8", "0.0.0.0", "::2", "2001:db8::1"]) {
		const error = throws(() => new TCP({ address, port: 1883 }), Error, /\bunreachable$/, address);
		equal(error instanceof RangeError, false, address);
	}
	const udp = new UDP({});
	throws(() => udp.write(bytes("x"), "255.255.255.255", 9), Error, /\bunreachable$/);
	throws(() => udp.write(bytes("x"), "10.1.2.3", 9), Error, /\bunreachable$/);
	udp.close();
	throws(() => new UDP({ address: "10.0.0.1" }), Error, /\bunreachable$/);
	throws(() => new Listener({ address: "192.168.0.1" }), Error, /\bunreachable$/);
});

test("ipv6-loopback-connects", async () => {
	const listener = new Listener({ port: 0, address: "::1", onReadable() { this.read()?.close(); } });
	let writable = 0;
	const client = new TCP({ address: "::1", port: listener.port, onWritable(count) { writable = count; } });
	await until(() => writable > 0, "connect over ::1");
	equal(client.remoteAddress, "::1");
	client.close();
	listener.close();
});

type Received = { text: string; address: string; port: number };

/** A UDP socket on a free port (ECMA-419 UDP has no port getter, so the port is chosen here). */
function udpOnFreePort(options: ConstructorParameters<typeof UDP>[0]): { socket: UDP; port: number } {
	for (let port = 47200; port < 47400; port++) {
		try {
			return { socket: new UDP({ ...options, port }), port };
		} catch (error) {
			if (!(error instanceof Error) || !error.message.endsWith("bind failed")) throw error;
		}
	}
	throw new Error("no free UDP port");
}

test("udp-round-trip-with-address-and-port", async () => {
	const echo = udpOnFreePort({
		onReadable() {
			for (let datagram = this.read(); datagram; datagram = this.read())
				this.write(bytes(`re:${text(datagram)}`), datagram.address, datagram.port);
		},
	});
	const got: Received[] = [];
	const counts: number[] = [];
	const client = udpOnFreePort({
		onReadable(count) {
			counts.push(count);
			for (let datagram = this.read(); datagram; datagram = this.read())
				got.push({ text: text(datagram), address: datagram.address, port: datagram.port });
		},
	});
	equal(client.socket.read(), undefined, "nothing queued");
	client.socket.write(bytes("hello"), "127.0.0.1", echo.port);
	await until(() => got.length === 1, "the reply");
	deepEqual(got[0], { text: "re:hello", address: "127.0.0.1", port: echo.port });
	deepEqual(counts, [1]);
	equal(client.socket.format, "buffer");
	client.socket.close();
	echo.socket.close();
});

test("udp-queues-datagrams-and-drops-ones-the-esp32-would-get-fragmented", async () => {
	const receiver = udpOnFreePort({});
	const sender = new UDP({});
	sender.write(new ArrayBuffer(1473), "127.0.0.1", receiver.port);
	sender.write(new ArrayBuffer(1472), "127.0.0.1", receiver.port);
	sender.write(bytes("third"), "127.0.0.1", receiver.port);
	await sleep(5);
	const first = receiver.socket.read();
	equal(first?.byteLength, 1472);
	equal(text(receiver.socket.read()), "third");
	equal(receiver.socket.read(), undefined);
	sender.close();
	receiver.socket.close();
});

test("udp-validates-and-close-is-idempotent", () => {
	const socket = new UDP({});
	throws(() => socket.write(bytes("x"), "127.0.0.1", 0), RangeError, /\binvalid port$/);
	throws(() => socket.write(bytes("x"), "nowhere", 9), RangeError, /\binvalid address$/);
	throws(() => socket.write(bytes("x"), "::1", 9), RangeError, /\binvalid address$/, "an IPv4 socket");
	throws(() => { socket.format = "number" as "buffer"; }, RangeError, /\binvalid format$/);
	throws(() => new UDP({ port: -1 }), RangeError, /\binvalid port$/);
	throws(() => new UDP({ format: "number" as "buffer" }), RangeError, /\binvalid format$/);
	socket.close();
	socket.close();
	throws(() => socket.read(), Error, /\bclosed$/);
	throws(() => socket.write(bytes("x"), "127.0.0.1", 9), Error, /\bclosed$/);
});
