// The MQTT client (net/mqtt) on the XS host against a scripted fake broker (a Node TCP server)
// that misbehaves on purpose: garbage bytes, an oversized packet, CONNACK refusals, silence after
// PINGREQ or CONNECT, a stream split into single bytes, random junk. The device must never
// crash, must report typed errors, and must connect again afterwards. The fake parses what the
// device sends with mqtt-packet (mqtt.js's parser), so the wire format is checked independently,
// including DUP and the packet identifiers of QoS 1 PUBLISHes re-sent after a reconnect (§4.4).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import mqttPacket from "mqtt-packet";
import { buildWithRetry, sleep, startDevice } from "../fixtures/mqtt/harness.mjs";

const cleanup = [];
before(buildWithRetry);
after(async () => {
	for (const step of cleanup.reverse()) await step();
});

const packet = (fields) => mqttPacket.generate(fields, { protocolVersion: 4 });
const CONNACK = (returnCode = 0, sessionPresent = false) => packet({ cmd: "connack", returnCode, sessionPresent });
const TYPED_ERRORS = new Set(["refused", "malformed", "protocol", "oversized", "keepalive", "timeout", "connection", "congestion", "callback"]);

/**
 * A fake broker: `script(conn, index)` runs for each connection; conn.packets collects what the
 * device sent (parsed by mqtt-packet), conn.next(cmd) waits for the next packet of that kind,
 * conn.send(bytes), conn.closed resolves when the device (or the fake) closes the socket. PINGREQs
 * get a PINGRESP unless the script sets conn.answerPings = false.
 */
async function fakeBroker(script) {
	const connections = [];
	const server = net.createServer((socket) => {
		// no Nagle delay: a reply held back by it lets the device's virtual time run on (the host
		// holds virtual time only until the first bytes of a reply arrive)
		socket.setNoDelay(true);
		const conn = { socket, packets: [], parseErrors: [], waiters: new Set(), answerPings: true };
		conn.closed = new Promise((resolve) => socket.on("close", resolve));
		socket.on("error", () => {});
		const parser = mqttPacket.parser({ protocolVersion: 4 });
		parser.on("packet", (p) => {
			conn.packets.push(p);
			// virtual time runs while the fake takes its time, so keep alive goes on unless a test stops it
			if (p.cmd === "pingreq" && conn.answerPings) conn.send(packet({ cmd: "pingresp" }));
			for (const waiter of conn.waiters) waiter();
		});
		parser.on("error", (error) => conn.parseErrors.push(error.message));
		socket.on("data", (data) => parser.parse(data));
		conn.send = (bytes) => { if (!socket.destroyed) socket.write(bytes); };
		conn.next = (cmd, timeoutMs = 10_000) => new Promise((resolve, reject) => {
			let seen = 0;
			const check = () => {
				const i = conn.packets.findIndex((p, j) => j >= seen && p.cmd === cmd);
				if (i < 0) return;
				conn.packets[i].taken = true;
				clearTimeout(timer);
				conn.waiters.delete(check);
				resolve(conn.packets[i]);
			};
			seen = conn.packets.findIndex((p) => p.cmd === cmd && !p.taken);
			seen = seen < 0 ? conn.packets.length : seen;
			const timer = setTimeout(() => { conn.waiters.delete(check); reject(new Error(`no ${cmd}; got ${conn.packets.map((p) => p.cmd)}`)); }, timeoutMs);
			conn.waiters.add(check);
			check();
		});
		connections.push(conn);
		script(conn, connections.length - 1);
	});
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	cleanup.push(() => new Promise((resolve) => {
		for (const conn of connections) conn.socket.destroy();
		server.close(resolve);
	}));
	return { port: server.address().port, connections };
}

async function device(port, options = {}, host = {}) {
	const d = await startDevice(port, host);
	cleanup.push(() => d.kill());
	await d.request({ do: "configure", options: { id: "fake-dev", keepalive: 30_000, ...options } }, { ev: "configured" });
	return d;
}

/** connect, then the CONNACK or error event (and for an error, the close that follows). */
async function connect(d) {
	const from = d.mark();
	await d.request({ do: "connect" });
	const outcome = await d.waitFor((e) => e.ev === "connack" || e.ev === "error", from);
	if (outcome.ev === "error") await d.waitFor({ ev: "close" }, from);
	return outcome;
}

async function done(d) {
	const result = await d.finish();
	assert.equal(result.status, 0, `device exit ${result.status} ${result.signal}: ${result.stderr}`);
	assert.equal(result.stderr, "");
}

test("mqtt-fake-garbage-after-connack-is-malformed-and-the-client-connects-again", async () => {
	const broker = await fakeBroker(async (conn, index) => {
		await conn.next("connect");
		conn.send(CONNACK());
		if (index === 0) conn.send(Buffer.from([0x00, 0x13, 0x37, 0xde, 0xad]));
	});
	const d = await device(broker.port, {
		id: "fake-1", keepalive: 45_000, user: "u", password: "p", will: { topic: "fake-1/status", message: "gone", QoS: 1, retain: true },
	});
	assert.equal((await connect(d)).ev, "connack");
	const error = await d.waitFor({ ev: "error" });
	assert.equal(error.code, "malformed");
	assert.match(error.message, /^mqtt: malformed: reserved packet type$/);
	await broker.connections[0].closed; // the device closed the connection (§4.8)
	const connect1 = broker.connections[0].packets[0];
	assert.deepEqual(
		[connect1.protocolId, connect1.protocolVersion, connect1.clientId, connect1.clean, connect1.keepalive, connect1.username, String(connect1.password)],
		["MQTT", 4, "fake-1", false, 45, "u", "p"]);
	assert.deepEqual([connect1.will.topic, String(connect1.will.payload), connect1.will.qos, connect1.will.retain], ["fake-1/status", "gone", 1, true]);
	assert.equal((await connect(d)).ev, "connack", "reusable after the error");
	await done(d);
});

test("mqtt-fake-a-first-packet-other-than-connack-is-a-protocol-error", async () => {
	const broker = await fakeBroker(async (conn) => {
		await conn.next("connect");
		conn.send(packet({ cmd: "puback", messageId: 1 }));
	});
	const d = await device(broker.port);
	const error = await connect(d);
	assert.deepEqual([error.ev, error.code], ["error", "protocol"]);
	await broker.connections[0].closed;
	await done(d);
});

test("mqtt-fake-an-oversized-packet-closes-the-connection-before-its-body-arrives", async () => {
	let pumping = true;
	const broker = await fakeBroker(async (conn) => {
		await conn.next("connect");
		conn.send(CONNACK());
		// a PUBLISH announcing 1,000,000 bytes (0xC0 0x84 0x3D), then its body trickling in
		conn.send(Buffer.from([0x30, 0xc0, 0x84, 0x3d, 0x00, 0x01, 0x74]));
		while (pumping && !conn.socket.destroyed) {
			conn.send(Buffer.alloc(64, 0x41));
			await sleep(5);
		}
	});
	const d = await device(broker.port, { receiveBuffer: 1024 });
	assert.equal((await connect(d)).ev, "connack");
	const error = await d.waitFor({ ev: "error" });
	assert.equal(error.code, "oversized");
	await broker.connections[0].closed;
	pumping = false;
	assert.equal((await d.request({ do: "status" }, { ev: "status" })).state, "closed");
	await done(d);
});

test("mqtt-fake-connack-refusals-report-their-return-codes", async () => {
	const codes = [5, 2, 4, 1, 3];
	const broker = await fakeBroker(async (conn, index) => {
		await conn.next("connect");
		conn.send(CONNACK(codes[index]));
	});
	const d = await device(broker.port);
	for (const code of codes) {
		const error = await connect(d);
		assert.deepEqual([error.ev, error.code, error.returnCode], ["error", "refused", code]);
	}
	await done(d);
});

test("mqtt-fake-a-broker-that-never-answers-pings-is-dropped-after-one-and-a-half-keepalives", async () => {
	const broker = await fakeBroker(async (conn) => {
		conn.answerPings = false;
		await conn.next("connect");
		conn.send(CONNACK());
	});
	const d = await device(broker.port, { keepalive: 10_000 });
	const connack = await connect(d);
	assert.equal(connack.ev, "connack");
	const error = await d.waitFor({ ev: "error" }, 0, 20_000);
	assert.equal(error.code, "keepalive");
	assert.equal(error.t - connack.t, 15_000, "PINGREQ at 10 s, dropped at 15 s (§3.1.2.10)");
	await broker.connections[0].closed;
	assert.deepEqual(broker.connections[0].packets.map((p) => p.cmd), ["connect", "pingreq"]);
	await done(d);
});

test("mqtt-fake-no-connack-is-a-timeout", async () => {
	const broker = await fakeBroker(() => {});
	const d = await device(broker.port, { connectTimeout: 5_000 });
	const from = d.mark();
	const sent = await d.request({ do: "connect" });
	const error = await d.waitFor({ ev: "error" }, from, 20_000);
	assert.equal(error.code, "timeout");
	assert.equal(error.t - sent.t, 5_000);
	await done(d);
});

test("mqtt-fake-unacknowledged-qos1-is-re-sent-with-dup-and-the-same-identifiers", async () => {
	const broker = await fakeBroker(async (conn, index) => {
		await conn.next("connect");
		conn.send(CONNACK(0, index > 0));
	});
	const d = await device(broker.port);
	await connect(d);
	const ids = [];
	for (const n of [1, 2, 3]) ids.push((await d.request({ do: "publish", topic: `t/${n}`, payload: `p${n}`, qos: 1 })).id);
	const first = broker.connections[0];
	for (let i = 0; i < 3; i++) await first.next("publish");
	first.send(packet({ cmd: "puback", messageId: ids[0] }));
	await d.waitFor({ ev: "puback", id: ids[0] });
	const lost = d.mark();
	first.socket.destroy();
	assert.equal((await d.waitFor({ ev: "error" }, lost)).code, "connection");
	assert.equal((await connect(d)).sessionPresent, true);
	const second = broker.connections[1];
	const resent = [await second.next("publish"), await second.next("publish")];
	assert.deepEqual(resent.map((p) => [p.topic, String(p.payload), p.qos, p.dup, p.messageId]),
		[["t/2", "p2", 1, true, ids[1]], ["t/3", "p3", 1, true, ids[2]]], "§4.4: same identifiers, DUP set, original order");
	assert.deepEqual(first.packets.filter((p) => p.cmd === "publish").map((p) => p.dup), [false, false, false]);
	second.send(Buffer.concat(resent.map((p) => packet({ cmd: "puback", messageId: p.messageId }))));
	await d.waitFor({ ev: "puback", id: ids[2] }, lost);
	// the other direction: a QoS 1 PUBLISH with DUP reaches the application flagged, and is acknowledged
	second.send(packet({ cmd: "publish", topic: "cmd/x", payload: "again", qos: 1, messageId: 77, dup: true }));
	const message = await d.waitFor({ ev: "message" }, lost);
	assert.deepEqual([message.topic, message.payload, message.dup, message.id], ["cmd/x", "again", true, 77]);
	assert.equal((await second.next("puback")).messageId, 77);
	assert.equal((await d.request({ do: "status" }, { ev: "status" })).inFlight, 0);
	await done(d);
});

test("mqtt-fake-a-stream-split-into-single-bytes-decodes-and-every-qos1-is-acknowledged-in-order", async () => {
	const broker = await fakeBroker(async (conn) => {
		await conn.next("connect");
		const stream = Buffer.concat([CONNACK(), ...[1, 2, 3, 4, 5].map((n) =>
			packet({ cmd: "publish", topic: `cmd/${n}`, payload: "x".repeat(n * 40), qos: n % 2, messageId: 100 + n }))]);
		for (const byte of stream) {
			conn.send(Buffer.from([byte]));
			await new Promise((resolve) => setImmediate(resolve));
		}
	});
	// Real time: this checks the parser on a stream trickling in a byte at a time; in virtual time
	// a busy machine's scheduling gaps between the fake's writes would let device timeouts fire.
	const d = await device(broker.port, {}, { speed: "1" });
	assert.equal((await connect(d)).ev, "connack");
	for (const n of [1, 2, 3, 4, 5]) {
		const message = await d.waitFor({ ev: "message", topic: `cmd/${n}` });
		assert.deepEqual([message.payload.length, message.qos], [n * 40, n % 2]);
	}
	const conn = broker.connections[0];
	const acks = [await conn.next("puback"), await conn.next("puback"), await conn.next("puback")];
	assert.deepEqual(acks.map((p) => p.messageId), [101, 103, 105], "§4.6: in the order received");
	await done(d);
});

test("mqtt-fake-random-junk-never-crashes-the-device-and-every-fault-is-typed", async () => {
	let state = 0x9e3779b9;
	const random = () => {
		state ^= state << 13; state >>>= 0;
		state ^= state >>> 17;
		state ^= state << 5; state >>>= 0;
		return state;
	};
	const ROUNDS = 30;
	const broker = await fakeBroker(async (conn, index) => {
		await conn.next("connect");
		if (index % 3 !== 2) conn.send(CONNACK()); // every third round the junk comes instead of CONNACK
		const junk = Buffer.alloc(1 + (random() % 300), 0).map(() => random() & 0xff);
		for (let at = 0; at < junk.length && !conn.socket.destroyed;) {
			const n = 1 + (random() % 40);
			conn.send(junk.subarray(at, at + n));
			at += n;
			await sleep(1);
		}
		await Promise.race([conn.closed, sleep(100)]);
		conn.socket.destroy(); // junk that happened to be valid leaves the connection up: end it
	});
	const d = await device(broker.port, { keepalive: 30_000 });
	const codes = [];
	for (let round = 0; round < ROUNDS; round++) {
		const from = d.mark();
		await d.request({ do: "connect" });
		const error = await d.waitFor({ ev: "error" }, from);
		await d.waitFor({ ev: "close" }, from);
		codes.push(error.code);
	}
	for (const code of codes) assert.ok(TYPED_ERRORS.has(code), code);
	assert.ok(codes.filter((c) => c === "malformed").length >= ROUNDS / 2, codes.join(","));
	await done(d);
});
