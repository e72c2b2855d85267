// net/mqtt/client over a scripted transport, on the XS host in virtual time: the bytes on the wire
// are compared with packets written by hand from MQTT 3.1.1 chapter 3, and behaviour with the
// rules they come from: CONNACK first (§3.2), return codes (§3.2.2.3), packet identifiers
// (§2.3.1), the in-flight window, re-sending with DUP in order after a reconnect (§4.4, §4.6),
// a clean session (§3.1.2.4), PUBACK after delivery (§4.3.2), keep alive (§3.1.2.10), typed
// errors for garbage, oversized packets and throwing callbacks, reuse after close, and no
// allocation per PUBLISH/PUBACK in steady state.
import { test, equal, deepEqual, ok, throws } from "test/harness";
import Timer from "timer";
import Time from "time";
import { collecting, gc, memory } from "xshost";
import MQTTClient, { type ClientOptions, type ControlMessage, type Message } from "net/mqtt/client";
import type { MQTTError } from "net/mqtt/errors";
import type { Transport, TransportHandlers } from "net/mqtt/transport";

/** A transport driven by the test: records what the client writes, delivers what the test says. */
class ScriptedTransport implements Transport {
	handlers: TransportHandlers | undefined;
	opens = 0;
	closes = 0;
	room = 8192;
	/** Whether writes use up `room` (a socket whose queue the peer does not drain). */
	consume = false;
	connected = false;
	readonly #log = new Uint8Array(1 << 16);
	#length = 0;
	#taken = 0;
	get writable(): number {
		return this.connected ? this.room : 0;
	}
	open(handlers: TransportHandlers): void {
		this.handlers = handlers;
		this.opens++;
		this.connected = false;
	}
	write(bytes: Uint8Array, offset: number, length: number): boolean {
		if (!this.connected || length > this.room) return false;
		const log = this.#log;
		for (let i = 0; i < length; i++) log[(this.#length + i) & 0xffff] = bytes[offset + i];
		this.#length += length;
		if (this.consume) this.room -= length;
		return true;
	}
	close(): void {
		this.closes++;
		this.handlers = undefined;
		this.connected = false;
	}
	/** The bytes written since the last call. */
	sent(): number[] {
		const out: number[] = [];
		for (let i = this.#taken; i < this.#length; i++) out.push(this.#log[i & 0xffff]);
		this.#taken = this.#length;
		return out;
	}
	/** Forgets what was written (allocation-free). */
	discard(): void {
		this.#taken = this.#length;
	}
	accept(): void {
		this.connected = true;
		this.handlers!.onConnect();
	}
	deliver(bytes: Uint8Array | number[], chunk = 1 << 30): void {
		const data = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
		if (data.length <= chunk) {
			this.handlers?.onData(data, data.length); // no view: the allocation test delivers this way
			return;
		}
		for (let at = 0; at < data.length && this.handlers; at += chunk) {
			const piece = data.subarray(at, Math.min(at + chunk, data.length));
			this.handlers.onData(piece, piece.length);
		}
	}
	drop(): void {
		const handlers = this.handlers!;
		this.handlers = undefined;
		this.connected = false;
		handlers.onClose();
	}
}

type Event = string;

function setup(options: Partial<ClientOptions> = {}) {
	const transport = new ScriptedTransport();
	const events: Event[] = [];
	const errors: MQTTError[] = [];
	const client = new MQTTClient({
		transport,
		id: "dev",
		onControl(operation: number, message: ControlMessage) {
			if (operation === MQTTClient.CONNACK) events.push(`connack ${message.sessionPresent ? 1 : 0}`);
			else if (operation === MQTTClient.SUBACK) events.push(`suback ${message.id} ${Array.from(message.payload!).join(",")}`);
			else events.push(`${operation === MQTTClient.PUBACK ? "puback" : operation === MQTTClient.UNSUBACK ? "unsuback" : operation} ${message.id}`);
		},
		onWritable(count: number) {
			events.push(`writable ${count > 0}`);
		},
		onError(error: MQTTError) {
			errors.push(error);
			events.push(`error ${error.code}`);
		},
		onClose() {
			events.push("close");
		},
		...options,
	});
	return { transport, client, events, errors };
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));
const str = (text: string): number[] => [text.length >> 8, text.length & 0xff, ...ascii(text)];
const CONNACK = (present = 0, code = 0): number[] => [0x20, 0x02, present, code];
const PUBACK = (id: number): number[] => [0x40, 0x02, id >> 8, id & 0xff];
/** PUBLISH QoS 1 to "t" with a one-byte payload, as §3.3 lays it out. */
const PUBLISH1 = (id: number, payload: number, dup = false): number[] => [dup ? 0x3a : 0x32, 6, ...str("t"), id >> 8, id & 0xff, payload];

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => Timer.set(() => resolve(), ms));
}

function connected(options: Partial<ClientOptions> = {}, present = 0) {
	const s = setup(options);
	s.client.connect();
	s.transport.accept();
	s.transport.deliver(CONNACK(present));
	s.transport.sent();
	s.events.length = 0;
	return s;
}

test("connect-writes-connect-3-1-and-reports-connack", () => {
	const { transport, client, events } = setup({
		id: "dev", keepalive: 15_000, will: { topic: "d/avail", message: "offline", QoS: 1, retain: true },
		user: "u", password: "pw",
	});
	equal(client.state, "closed");
	client.connect();
	equal(client.state, "connecting");
	equal(transport.opens, 1);
	transport.accept();
	equal(client.state, "handshaking");
	// flags: user 0x80, password 0x40, will retain 0x20, will QoS 1 0x08, will 0x04, clean 0 = 0xEC
	deepEqual(transport.sent(), [0x10, 40, ...str("MQTT"), 4, 0xec, 0, 15, ...str("dev"), ...str("d/avail"), ...str("offline"), ...str("u"), ...str("pw")]);
	transport.deliver(CONNACK(1));
	equal(client.state, "connected");
	equal(client.sessionPresent, true);
	deepEqual(events, ["connack 1", "writable true"]);
});

test("keepalive-is-sent-in-whole-seconds-and-clean-session-may-have-no-id", () => {
	const { transport, client } = setup({ id: "", clean: true, keepalive: 1500 });
	client.connect();
	transport.accept();
	deepEqual(transport.sent(), [0x10, 12, ...str("MQTT"), 4, 0x02, 0, 2, 0, 0]);
	throws(() => new MQTTClient({ transport, id: "" }), RangeError, /invalid id/, "a persistent session needs an id (MQTT-3.1.3-7)");
	throws(() => new MQTTClient({ transport: {} as Transport, id: "x" }), RangeError, /invalid transport/);
	throws(() => new MQTTClient({ transport, id: "x", password: "p" }), RangeError, /password without user/);
	throws(() => new MQTTClient({ transport, id: "x", inFlight: 0 }), RangeError, /inFlight/);
	throws(() => new MQTTClient({ transport, id: "x", keepalive: 65_536_000 }), RangeError, /keepalive/);
	throws(() => new MQTTClient({ transport, id: "x", will: { topic: "a/#", message: "" } }), RangeError, /topic/);
});

test("connack-refusals-are-typed-errors-with-the-return-code", () => {
	for (const code of [1, 2, 3, 4, 5, 6]) {
		const { transport, client, events, errors } = setup();
		client.connect();
		transport.accept();
		transport.deliver(CONNACK(0, code));
		deepEqual(events, ["error refused", "close"], `code ${code}`);
		equal(errors[0].returnCode, code);
		equal(errors[0].name, "MQTTError");
		equal(client.state, "closed");
		equal(transport.closes, 1);
	}
});

test("a-first-packet-other-than-connack-is-a-protocol-error", () => {
	const { transport, client, events } = setup();
	client.connect();
	transport.accept();
	transport.deliver([0xd0, 0x00]);
	deepEqual(events, ["error protocol", "close"]);
	equal(client.state, "closed");
});

test("a-second-connack-and-server-only-packets-are-protocol-errors", () => {
	for (const packet of [CONNACK(), [0x82, 0x06, 0x00, 0x01, ...str("a"), 0x00], [0xc0, 0x00], [0xe0, 0x00], [0x50, 0x02, 0x00, 0x01], [0x34, 0x06, ...str("t"), 0x00, 0x01, 0x00]]) {
		const { transport, client, events } = connected();
		transport.deliver(packet);
		deepEqual(events, ["error protocol", "close"], packet.join(","));
		equal(client.state, "closed");
	}
});

test("qos1-publish-uses-ids-from-1-and-the-window-bounds-them", () => {
	const { transport, client, events } = connected({ inFlight: 3 });
	equal(client.write(new Uint8Array([7]), { topic: "t", QoS: 1 }), 1);
	deepEqual(transport.sent(), PUBLISH1(1, 7));
	equal(client.write("x", { topic: "t", QoS: 1 }), 2);
	equal(client.write("x", { topic: "t", QoS: 1 }), 3);
	equal(client.inFlight, 3);
	equal(client.writable, 0);
	throws(() => client.write("x", { topic: "t", QoS: 1 }), Error, /would block/);
	transport.sent();
	transport.deliver(PUBACK(1));
	deepEqual(events, ["puback 1", "writable true"]);
	equal(client.write("y", { topic: "t", QoS: 1 }), 4);
	equal(client.write("z", { topic: "t", QoS: 0, retain: true }), 0, "QoS 0 has no identifier");
	deepEqual(transport.sent().slice(-6), [0x31, 4, ...str("t"), 0x7a]);
	transport.deliver(PUBACK(99));
	equal(client.state, "connected", "an unknown PUBACK is ignored");
});

test("packet-ids-wrap-to-1-skipping-ids-still-in-use", () => {
	const { transport, client } = connected({ inFlight: 4 });
	equal(client.write(null, { operation: MQTTClient.SUBSCRIBE, items: [{ topic: "a" }] }), 1, "no SUBACK: 1 stays in use");
	const payload = new Uint8Array(1);
	const options = { topic: "t", QoS: 1 };
	const ack = new Uint8Array(PUBACK(0));
	for (let expected = 2; expected <= 65_535; expected++) {
		const id = client.write(payload, options);
		if (id !== expected) equal(id, expected);
		ack[2] = id >> 8;
		ack[3] = id & 0xff;
		transport.deliver(ack);
		transport.discard();
	}
	equal(client.write("b", { topic: "t", QoS: 1 }), 2, "65535 wraps to 1 (never 0), which is in use, so 2");
	equal(client.write("c", { topic: "t", QoS: 1 }), 3);
	transport.deliver([0x90, 0x03, 0x00, 0x01, 0x00]);
	transport.deliver(PUBACK(2));
	transport.deliver(PUBACK(3));
	for (let expected = 4; expected <= 65_535; expected++) {
		const id = client.write(payload, options);
		if (id !== expected) equal(id, expected);
		ack[2] = id >> 8;
		ack[3] = id & 0xff;
		transport.deliver(ack);
		transport.discard();
	}
	equal(client.write("d", { topic: "t", QoS: 1 }), 1, "1 is free again");
	equal(client.write("e", { topic: "t", QoS: 1 }), 2);
	equal(client.write("f", { topic: "t", QoS: 1 }), 3);
	equal(client.write("g", { topic: "t", QoS: 1 }), 4);
	transport.deliver(PUBACK(1));
	transport.deliver(PUBACK(3));
	equal(client.write("h", { topic: "t", QoS: 1 }), 5, "while 3 waits behind 2, its identifier is not reused");
	equal(client.inFlight, 3);
});

test("unacknowledged-publishes-are-re-sent-with-dup-in-order-after-reconnect", () => {
	const { transport, client, events } = connected();
	for (const payload of [1, 2, 3, 4]) client.write(new Uint8Array([payload]), { topic: "t", QoS: 1 });
	transport.sent();
	transport.deliver(PUBACK(2)); // out of order: 2 is released only with 1
	equal(client.inFlight, 3);
	transport.drop();
	deepEqual(events, ["puback 2", "writable true", "error connection", "close"]);
	equal(client.state, "closed");
	throws(() => client.write("x", { topic: "t", QoS: 1 }), Error, /not connected/);
	events.length = 0;
	client.connect();
	transport.accept();
	transport.sent();
	transport.deliver(CONNACK(1));
	deepEqual(transport.sent(), [...PUBLISH1(1, 1, true), ...PUBLISH1(3, 3, true), ...PUBLISH1(4, 4, true)]);
	deepEqual(events, ["connack 1", "writable true"]);
	equal(client.write("x", { topic: "t", QoS: 1 }), 5);
	// a broker that lost the session (session present 0) still gets them: they are the client's state
	transport.drop();
	client.connect();
	transport.accept();
	transport.sent();
	transport.deliver(CONNACK(0));
	deepEqual(transport.sent(), [...PUBLISH1(1, 1, true), ...PUBLISH1(3, 3, true), ...PUBLISH1(4, 4, true), 0x3a, 6, ...str("t"), 0, 5, 0x78]);
	for (const id of [1, 3, 4, 5]) transport.deliver(PUBACK(id));
	equal(client.inFlight, 0);
});

test("re-sends-wait-for-room-and-publishes-wait-for-re-sends", () => {
	const { transport, client, events } = connected();
	for (const payload of [1, 2, 3]) client.write(new Uint8Array([payload]), { topic: "t", QoS: 1 });
	transport.drop();
	client.connect();
	transport.accept();
	transport.sent();
	transport.consume = true;
	transport.room = 8; // one 8-byte PUBLISH at a time
	events.length = 0;
	transport.deliver(CONNACK(1));
	deepEqual(transport.sent(), PUBLISH1(1, 1, true));
	equal(client.writable, 0);
	transport.room = 100;
	throws(() => client.write("x", { topic: "t", QoS: 0 }), Error, /would block/, "re-sends go first (MQTT-4.6.0-1)");
	transport.room = 8;
	transport.handlers!.onWritable();
	transport.room = 8;
	transport.handlers!.onWritable();
	deepEqual(transport.sent(), [...PUBLISH1(2, 2, true), ...PUBLISH1(3, 3, true)]);
	deepEqual(events, ["connack 1"]);
	transport.consume = false;
	transport.room = 8192;
	transport.handlers!.onWritable();
	deepEqual(events, ["connack 1", "writable true"]);
});

test("a-clean-session-discards-what-was-in-flight", () => {
	const { transport, client } = connected({ clean: true });
	client.write("a", { topic: "t", QoS: 1 });
	transport.drop();
	client.connect();
	transport.accept();
	transport.sent();
	transport.deliver(CONNACK(0));
	deepEqual(transport.sent(), [], "nothing re-sent (§3.1.2.4)");
	equal(client.inFlight, 0);
});

test("incoming-qos1-is-delivered-then-acknowledged-with-its-id", () => {
	const seen: string[] = [];
	const into = new Uint8Array(3);
	const s = connected({
		onReadable(this: MQTTClient, byteLength: number, message: Message) {
			equal(this, s.client, "callbacks run with the client as this");
			const first = this.read(into);
			const rest = this.read();
			seen.push(`${message.topic} q${message.QoS} r${message.retain ? 1 : 0} d${message.duplicate ? 1 : 0} id${message.id} ${byteLength} ` +
				`${String.fromCharCode(...into.subarray(0, first))}|${String.fromCharCode(...rest!)} ${message.more}`);
			equal(this.read(into), 0, "all read");
			equal(s.transport.sent().length, 0, "no PUBACK before the callback returns (MQTT-4.3.2-2)");
		},
	});
	const client = s.client;
	s.transport.deliver([0x3b, 13, 0x00, 0x04, 0x61, 0x2f, 0xc3, 0xa9, 0x00, 0x07, ...ascii("hello")], 3);
	deepEqual(seen, ["a/é q1 r1 d1 id7 5 hel|lo false"]);
	deepEqual(s.transport.sent(), PUBACK(7));
	s.transport.deliver([0x30, 6, ...str("b"), ...ascii("xyz")]);
	equal(seen[1], "b q0 r0 d0 id0 3 xyz| false");
	deepEqual(s.transport.sent(), [], "no PUBACK at QoS 0");
	equal(client.read(), undefined, "nothing to read outside onReadable");
	equal(client.read(into), 0);
});

test("read-count-returns-a-copy", () => {
	let copy: ArrayBuffer | undefined;
	const s = connected({ onReadable(this: MQTTClient) { copy = this.read(2); throws(() => this.read(9), RangeError); } });
	s.transport.deliver([0x30, 6, ...str("b"), ...ascii("xyz")]);
	deepEqual(new Uint8Array(copy!), Uint8Array.from(ascii("xy")));
});

test("a-throwing-callback-closes-with-a-callback-error-and-no-puback", () => {
	const problem = new Error("app bug");
	const s = connected({ onReadable() { throw problem; } });
	s.transport.deliver(PUBLISH1(9, 1));
	deepEqual(s.events, ["error callback", "close"]);
	equal(s.errors[0].cause, problem);
	deepEqual(s.transport.sent(), [], "not acknowledged: the broker will deliver it again");
});

test("subscribe-and-unsubscribe-report-granted-qos-and-failure", () => {
	const { transport, client, events } = connected();
	const id = client.write(null, { operation: MQTTClient.SUBSCRIBE, items: [{ topic: "cmd/#", QoS: 1 }, { topic: "x/+", QoS: 0 }] });
	equal(id, 1);
	deepEqual(transport.sent(), [0x82, 16, 0, 1, ...str("cmd/#"), 1, ...str("x/+"), 0]);
	transport.deliver([0x90, 0x04, 0x00, 0x01, 0x01, 0x80]);
	deepEqual(events, ["suback 1 1,128"]);
	const un = client.write(null, { operation: MQTTClient.UNSUBSCRIBE, items: [{ topic: "x/+" }] });
	deepEqual(transport.sent(), [0xa2, 7, 0, 2, ...str("x/+")]);
	transport.deliver([0xb0, 0x02, 0x00, un]);
	deepEqual(events, ["suback 1 1,128", "unsuback 2"]);
	throws(() => client.write(null, { operation: MQTTClient.SUBSCRIBE, items: [{ topic: "a", QoS: 2 }] }), RangeError, /QoS/, "QoS 2 is not implemented");
	throws(() => client.write(null, { operation: MQTTClient.SUBSCRIBE, items: [] }), RangeError, /no topics/);
	throws(() => client.write(null, { operation: MQTTClient.PINGREQ }), RangeError, /operation/);
	client.write(null, { operation: MQTTClient.SUBSCRIBE, items: [{ topic: "a" }] });
	transport.deliver([0x90, 0x04, 0x00, 0x03, 0x00, 0x00]);
	deepEqual(events.slice(-2), ["error protocol", "close"], "a SUBACK with a code per filter, not more (MQTT-3.8.4-5)");
});

test("publish-validates-topic-qos-size-and-state", () => {
	const { client } = connected({ maxPacket: 64 });
	throws(() => client.write("x", { topic: "a/+", QoS: 0 }), RangeError, /topic/);
	throws(() => client.write("x", { topic: "", QoS: 0 }), RangeError, /topic/);
	throws(() => client.write("x", { topic: "t", QoS: 2 }), RangeError, /QoS/);
	throws(() => client.write(new Uint8Array(60), { topic: "t", QoS: 1 }), RangeError, /too big/);
	throws(() => client.write("x", { topic: "t", byteLength: 1 }), RangeError, /byteLength/);
	equal(client.write(new Uint8Array(60), { topic: "t", QoS: 0, byteLength: 10 }), 0);
	equal(client.write(new Uint8Array(2).buffer, { topic: "t" }), 0, "an ArrayBuffer");
	client.close();
	throws(() => client.write("x", { topic: "t" }), Error, /not connected/);
});

test("socket-full-throws-would-block-then-on-writable", () => {
	const { transport, client, events } = connected();
	transport.room = 4;
	throws(() => client.write("hello", { topic: "t", QoS: 1 }), Error, /would block/);
	equal(client.inFlight, 0, "nothing was taken");
	transport.room = 8192;
	transport.handlers!.onWritable();
	deepEqual(events, ["writable true"]);
	equal(client.write("hello", { topic: "t", QoS: 1 }), 1, "the identifier was not used up");
});

test("pubacks-queue-in-order-while-the-socket-is-full", () => {
	const { transport, client, events } = connected();
	transport.room = 0;
	transport.deliver([...PUBLISH1(5, 0), ...PUBLISH1(6, 0)]);
	transport.room = 8192;
	transport.deliver(PUBLISH1(7, 0));
	deepEqual(transport.sent(), [], "7 waits behind 5 and 6");
	transport.handlers!.onWritable();
	deepEqual(transport.sent(), [...PUBACK(5), ...PUBACK(6), ...PUBACK(7)]);
	transport.room = 0;
	for (let id = 1; id <= 33; id++) transport.deliver(PUBLISH1(id, 0));
	deepEqual(events, ["error congestion", "close"], "32 owed acknowledgements at most");
	equal(client.state, "closed");
});

test("keepalive-pings-when-idle-and-gives-up-after-one-and-a-half-intervals", async () => {
	const { transport, client, events } = connected({ keepalive: 10_000 });
	const start = Time.ticks;
	await sleep(9_999);
	deepEqual(transport.sent(), []);
	await sleep(2);
	deepEqual(transport.sent(), [0xc0, 0x00], "PINGREQ after 10 s of silence");
	await sleep(1_000);
	transport.deliver([0xd0, 0x00]);
	await sleep(8_998);
	deepEqual(transport.sent(), [], "the next ping is due 10 s after the last send");
	await sleep(2);
	deepEqual(transport.sent(), [0xc0, 0x00]);
	equal(Time.ticks - start, 20_001);
	await sleep(30_000);
	deepEqual(events, ["error keepalive", "close"]);
	equal(client.state, "closed");
	equal(client.pings, 2);
	equal(transport.closes, 1);
});

test("keepalive-expires-exactly-one-and-a-half-intervals-after-the-last-packet", async () => {
	let at = -1;
	const s = connected({ keepalive: 10_000, onError() { at = Time.ticks; } });
	const start = Time.ticks;
	await sleep(20_000);
	equal(at - start, 15_000, "ping at 10 s, no answer, dropped at 15 s");
	equal(s.client.state, "closed");
});

test("a-client-that-only-sends-still-pings-a-silent-broker", async () => {
	const { transport, client } = connected({ keepalive: 10_000 });
	for (let i = 0; i < 4; i++) {
		await sleep(3_000);
		client.write("x", { topic: "t", QoS: 0 });
	}
	const sent = transport.sent();
	ok(sent.join(",").includes("192,0"), `a PINGREQ among ${sent.join(",")}`);
});

test("no-connack-within-the-connect-timeout-is-a-timeout-error", async () => {
	const { transport, client, events } = setup({ connectTimeout: 5_000 });
	const start = Time.ticks;
	client.connect();
	transport.accept();
	await sleep(4_999);
	deepEqual(events, []);
	await sleep(2);
	const at = Time.ticks;
	deepEqual(events, ["error timeout", "close"]);
	ok(at - start >= 5_000);
	equal(transport.closes, 1);
});

test("a-refused-transport-is-a-connection-error-and-connect-can-be-retried", () => {
	const { transport, client, events } = setup();
	client.connect();
	transport.drop();
	deepEqual(events, ["error connection", "close"]);
	client.connect();
	transport.accept();
	transport.deliver(CONNACK());
	equal(client.state, "connected");
	throws(() => client.connect(), Error, /busy/);
});

test("garbage-and-oversized-packets-close-with-typed-errors", () => {
	for (const [garbage, code] of [[[0x00, 0x01, 0x02], "malformed"], [[0xff, 0xff, 0xff, 0xff, 0xff], "malformed"], [[0x30, 0x80, 0x10], "oversized"], [[0x32, 5, 0, 1, 0x74, 0, 0], "malformed"]] as [number[], string][]) {
		const { transport, client, events, errors } = connected({ receiveBuffer: 1024 });
		transport.deliver(garbage);
		deepEqual(events, [`error ${code}`, "close"], garbage.join(","));
		equal(client.state, "closed");
		ok(errors[0].message.startsWith(`mqtt: ${code}: `), errors[0].message);
		client.connect();
		transport.accept();
		transport.deliver(CONNACK());
		equal(client.state, "connected", "the client is reusable");
	}
});

test("close-sends-disconnect-and-the-client-connects-again", () => {
	const { transport, client, events } = connected();
	client.close();
	deepEqual(transport.sent(), [0xe0, 0x00], "DISCONNECT (§3.14)");
	equal(client.state, "closed");
	client.close();
	deepEqual(events, [], "no callbacks for close()");
	client.connect();
	client.close();
	equal(transport.closes, 2, "closed when connecting; the first close() found it connected");
	client.connect();
	transport.accept();
	transport.deliver(CONNACK());
	equal(client.state, "connected");
});

test("a-callback-may-close-or-reconnect-the-client", () => {
	const s = connected({ onControl(this: MQTTClient, operation: number) { if (operation === MQTTClient.PUBACK) this.close(); } });
	const client = s.client;
	client.write("a", { topic: "t", QoS: 1 });
	client.write("b", { topic: "t", QoS: 1 });
	s.transport.deliver([...PUBACK(1), ...PUBACK(2)]);
	equal(client.state, "closed");
	equal(client.inFlight, 1, "the bytes after the closing callback are not processed");
	deepEqual(s.events, []);
	let again = 0;
	const r = setup({ onError() { if (!again++) r.client.connect(); } });
	r.client.connect();
	r.transport.drop();
	equal(r.client.state, "connecting", "connected again from onError; onClose skipped");
	deepEqual(r.events, []);
});

test("steady-state-publish-and-puback-allocate-nothing", () => {
	const { transport, client } = connected({ onControl: undefined, onWritable: undefined });
	const payload = new Uint8Array(64);
	const options = { topic: "dev/telemetry", QoS: 1 };
	const ack = new Uint8Array(4);
	ack[0] = 0x40;
	ack[1] = 2;
	const incoming = Uint8Array.from([0x32, 8, ...str("cmd"), 0, 0, 0x31]);
	const cycles = (n: number): number => {
		gc();
		collecting(false);
		const before = memory();
		for (let i = 0; i < n; i++) {
			const id = client.write(payload, options);
			ack[2] = id >> 8;
			ack[3] = id & 0xff;
			transport.deliver(ack);
			incoming[7] = id >> 8;
			incoming[8] = id & 0xff;
			transport.deliver(incoming);
			transport.discard();
		}
		const after = memory();
		collecting(true);
		return after.chunksUsed + after.slotsUsed - before.chunksUsed - before.slotsUsed;
	};
	cycles(10);
	const few = cycles(10);
	const many = cycles(200);
	equal(many - few, 0, `190 more publish/PUBACK/receive cycles allocated ${many - few} bytes`);
	equal(client.inFlight, 0);
});
