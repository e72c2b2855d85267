// The MQTT client (net/mqtt) on the XS host against a real mosquitto that each test starts on a
// free loopback port, with mqtt.js as the independent client and mosquitto's own log (every
// packet it receives, DUP flag included) as the independent witness of what the device sent.
// The device runs test/fixtures/mqtt/device.ts with the ESP32's memory budget at --speed max.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import mqtt from "mqtt";
import { buildWithRetry, sleep, startBroker, startDevice } from "../fixtures/mqtt/harness.mjs";

const cleanup = [];
before(buildWithRetry);
after(async () => {
	for (const step of cleanup.reverse()) await step();
});

async function broker(port) {
	const b = await startBroker(port);
	cleanup.push(() => b.stop());
	return b;
}

async function device(brokerPort, options) {
	const d = await startDevice(brokerPort);
	cleanup.push(() => d.kill());
	await d.request({ do: "configure", options }, { ev: "configured" });
	return d;
}

/** An mqtt.js client subscribed to `filters`, collecting messages. */
async function observer(port, filters, clientId = `obs-${Math.random().toString(16).slice(2)}`) {
	const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, clientId, reconnectPeriod: 0 });
	cleanup.push(() => client.endAsync(true));
	const messages = [];
	const waiters = new Set();
	client.on("message", (topic, payload, packet) => {
		messages.push({ topic, payload: String(payload), qos: packet.qos, retain: packet.retain });
		for (const waiter of waiters) waiter();
	});
	client.on("error", () => {});
	if (filters.length) await client.subscribeAsync(filters, { qos: 1 });
	client.messages = messages;
	client.waitFor = (predicate, timeoutMs = 10_000) => new Promise((resolve, reject) => {
		const check = () => {
			const found = messages.find(predicate);
			if (!found) return;
			clearTimeout(timer);
			waiters.delete(check);
			resolve(found);
		};
		const timer = setTimeout(() => {
			waiters.delete(check);
			reject(new Error(`observer timed out; got ${JSON.stringify(messages)}`));
		}, timeoutMs);
		waiters.add(check);
		check();
	});
	return client;
}

async function connect(d) {
	const from = d.mark();
	await d.request({ do: "connect" });
	return d.waitFor((e) => e.ev === "connack" || e.ev === "error", from);
}

const logged = (b, pattern) => b.log.filter((line) => pattern.test(line));

/** Polls `check` (for what only mosquitto's log shows) every 10 ms for up to 10 s. */
async function until(check, what) {
	for (let i = 0; i < 1000; i++) {
		if (check()) return;
		await sleep(10);
	}
	assert.fail(`timed out waiting for ${what}`);
}

test("mqtt-device-connects-publishes-subscribes-and-receives-through-mosquitto", async () => {
	const b = await broker();
	const watcher = await observer(b.port, ["dev-1/#"]);
	const d = await device(b.port, {
		id: "dev-1", keepalive: 30_000, user: "thermostat", password: "secret",
		will: { topic: "dev-1/status", message: "offline", QoS: 1, retain: true },
	});
	const connack = await connect(d);
	assert.deepEqual([connack.ev, connack.sessionPresent], ["connack", false]);
	assert.equal(logged(b, /^New client connected from .* as dev-1 \(p2, c0, k30, u'thermostat'\)\.$/).length, 1, b.log.join("\n"));
	assert.ok(logged(b, /Will message specified \(7 bytes\) \(r1, q1\)/).length, b.log.join("\n"));

	await d.request({ do: "publish", topic: "dev-1/zero", payload: "qos0", qos: 0 });
	const sent = await d.request({ do: "publish", topic: "dev-1/one", payload: "qos1", qos: 1 });
	assert.equal(sent.id, 1);
	await d.waitFor({ ev: "puback", id: 1 });
	assert.deepEqual(await watcher.waitFor((m) => m.topic === "dev-1/zero"), { topic: "dev-1/zero", payload: "qos0", qos: 0, retain: false });
	assert.deepEqual(await watcher.waitFor((m) => m.topic === "dev-1/one"), { topic: "dev-1/one", payload: "qos1", qos: 1, retain: false });

	const from = d.mark();
	await d.request({ do: "subscribe", items: [{ topic: "cmd/dev-1/#", QoS: 1 }, { topic: "cmd/q0", QoS: 0 }, { topic: "bad/#/x", QoS: 1 }] });
	const threw = d.events.at(-1);
	assert.equal(threw.ev, "threw", "an invalid filter is refused before anything is sent");
	await d.request({ do: "subscribe", items: [{ topic: "cmd/dev-1/#", QoS: 1 }, { topic: "cmd/q0", QoS: 0 }] });
	assert.deepEqual((await d.waitFor({ ev: "suback" }, from)).codes, [1, 0]);

	await watcher.publishAsync("cmd/dev-1/mode", "heat", { qos: 1 });
	await watcher.publishAsync("cmd/q0", "zero", { qos: 1 });
	const mode = await d.waitFor({ ev: "message", topic: "cmd/dev-1/mode" }, from);
	assert.deepEqual([mode.payload, mode.qos, mode.retain, mode.dup], ["heat", 1, false, false]);
	const zero = await d.waitFor({ ev: "message", topic: "cmd/q0" }, from);
	assert.deepEqual([zero.payload, zero.qos], ["zero", 0], "granted QoS 0 downgrades the delivery");
	await until(() => logged(b, /^Received PUBACK from dev-1 \(Mid: \d+, RC:0\)$/).length === 1, "mosquitto's PUBACK from dev-1");

	const unsubscribed = d.mark();
	await d.request({ do: "unsubscribe", items: [{ topic: "cmd/q0" }] });
	await d.waitFor({ ev: "unsuback" }, unsubscribed);
	await watcher.publishAsync("cmd/q0", "gone", { qos: 1 });
	await watcher.publishAsync("cmd/dev-1/after", "marker", { qos: 1 });
	await d.waitFor({ ev: "message", topic: "cmd/dev-1/after" }, unsubscribed);
	assert.equal(d.events.slice(unsubscribed).filter((e) => e.topic === "cmd/q0").length, 0);

	await watcher.publishAsync("state/dev-1/setpoint", "21.5", { qos: 1, retain: true });
	const retainedFrom = d.mark();
	await d.request({ do: "subscribe", items: [{ topic: "state/dev-1/#", QoS: 1 }] });
	const retained = await d.waitFor({ ev: "message", topic: "state/dev-1/setpoint" }, retainedFrom);
	assert.deepEqual([retained.payload, retained.retain], ["21.5", true], "a retained message arrives with RETAIN set (§3.3.1.3)");

	const result = await d.finish();
	assert.equal(result.status, 0, result.stderr);
	await until(() => logged(b, /^Received DISCONNECT from dev-1$/).length === 1, "DISCONNECT from close()");
});

test("mqtt-device-keeps-the-connection-alive-across-ten-virtual-minutes", async () => {
	const b = await broker();
	const d = await device(b.port, { id: "dev-2", keepalive: 30_000 });
	await connect(d);
	const from = d.mark();
	const started = Date.now();
	d.send({ do: "status" });
	d.send({ do: "sleep", ms: 600_000 });
	const status = await d.waitFor({ ev: "status" }, from);
	const slept = await d.waitFor({ ev: "slept" }, from, 60_000);
	const realMs = Date.now() - started;
	assert.equal(slept.state, "connected");
	// virtual time also runs while the test is busy, so count against the device's own clock
	const elapsed = slept.t - status.t;
	assert.ok(elapsed >= 600_000, `${elapsed} ms`);
	const pings = slept.pings - status.pings;
	const expected = Math.floor(elapsed / 30_000);
	assert.ok(Math.abs(pings - expected) <= 1, `${pings} PINGREQs in ${elapsed} ms at a 30 s keep alive`);
	await until(() => logged(b, /^Received PINGREQ from dev-2$/).length >= slept.pings, "the PINGREQs in mosquitto's log");
	assert.equal(logged(b, /^Sending PINGRESP to dev-2$/).length, logged(b, /^Received PINGREQ from dev-2$/).length);
	assert.equal(d.events.slice(from).filter((e) => e.ev === "error").length, 0, JSON.stringify(d.events.slice(from)));
	assert.ok(realMs < 30_000, `${realMs} ms of real time`);
	await d.request({ do: "publish", topic: "dev-2/after", payload: "x", qos: 1 });
	await d.waitFor({ ev: "puback" }, from);
	assert.equal((await d.finish()).status, 0);
});

test("mqtt-device-survives-a-broker-crash-and-re-sends-unacknowledged-qos1-with-dup", async () => {
	const b = await broker();
	const port = b.port;
	const first = await observer(port, ["dev-3/#"]);
	const d = await device(port, { id: "dev-3", keepalive: 30_000 });
	await connect(d);
	await d.request({ do: "publish", topic: "dev-3/before", payload: "0", qos: 1 });
	await d.waitFor({ ev: "puback", id: 1 });
	await first.waitFor((m) => m.topic === "dev-3/before");

	// the broker hangs (SIGSTOP) while three QoS 1 messages are in flight, then dies (SIGKILL)
	b.signal("SIGSTOP");
	const ids = [];
	for (const n of [1, 2, 3]) ids.push((await d.request({ do: "publish", topic: `dev-3/m${n}`, payload: `${n}`, qos: 1 })).id);
	assert.deepEqual(ids, [2, 3, 4]);
	const lost = d.mark();
	await b.stop();
	const error = await d.waitFor({ ev: "error" }, lost);
	assert.equal(error.code, "connection");
	await d.waitFor({ ev: "close" }, lost);
	assert.equal((await d.request({ do: "status" }, { ev: "status" })).inFlight, 3);
	assert.equal(logged(b, /dev-3\/m\d/).length, 0, "the dead broker never saw them");

	const again = await broker(port);
	const second = await observer(port, ["dev-3/#"]);
	const reconnected = d.mark();
	const connack = await connect(d);
	assert.deepEqual([connack.ev, connack.sessionPresent], ["connack", false], "the new broker has no session; the device re-sends anyway");
	for (const id of ids) await d.waitFor({ ev: "puback", id }, reconnected);
	for (const n of [1, 2, 3]) assert.equal((await second.waitFor((m) => m.topic === `dev-3/m${n}`)).payload, `${n}`);
	assert.deepEqual(second.messages.map((m) => m.topic), ["dev-3/m1", "dev-3/m2", "dev-3/m3"], "in the original order (§4.6)");
	await until(() => logged(again, /^Received PUBLISH from dev-3 /).length >= 3, "three PUBLISHes in mosquitto's log");
	assert.deepEqual(logged(again, /^Received PUBLISH from dev-3 /), [
		"Received PUBLISH from dev-3 (d1, q1, r0, m2, 'dev-3/m1', ... (1 bytes))",
		"Received PUBLISH from dev-3 (d1, q1, r0, m3, 'dev-3/m2', ... (1 bytes))",
		"Received PUBLISH from dev-3 (d1, q1, r0, m4, 'dev-3/m3', ... (1 bytes))",
	], "re-sent with DUP and their original identifiers (§4.4)");
	assert.equal((await d.request({ do: "status" }, { ev: "status" })).inFlight, 0);
	assert.equal((await d.finish()).status, 0);
});

test("mqtt-persistent-session-keeps-subscriptions-and-queues-qos1-while-offline", async () => {
	const b = await broker();
	const peer = await observer(b.port, []);
	const d = await device(b.port, { id: "dev-4", keepalive: 30_000 });
	await connect(d);
	const from = d.mark();
	await d.request({ do: "subscribe", items: [{ topic: "cmd/dev-4", QoS: 1 }] });
	await d.waitFor({ ev: "suback" }, from);
	await d.request({ do: "close" }, { ev: "closed" });
	await peer.publishAsync("cmd/dev-4", "while-away", { qos: 1 });
	const back = d.mark();
	assert.equal((await connect(d)).sessionPresent, true, "clean session 0: the broker kept the session (§3.1.2.4)");
	const queued = await d.waitFor({ ev: "message" }, back);
	assert.deepEqual([queued.topic, queued.payload, queued.qos], ["cmd/dev-4", "while-away", 1]);
	assert.equal((await d.finish()).status, 0);
});

test("mqtt-last-will-is-published-only-when-the-device-dies", async () => {
	const b = await broker();
	const watcher = await observer(b.port, ["dev-5/status"]);
	const will = { topic: "dev-5/status", message: "offline", QoS: 1, retain: true };
	const polite = await device(b.port, { id: "dev-5", keepalive: 30_000, will });
	await connect(polite);
	assert.equal((await polite.finish()).status, 0, "close() sends DISCONNECT: no will (§3.14)");
	await watcher.publishAsync("dev-5/marker", "m", { qos: 1 });
	const d = await device(b.port, { id: "dev-5", keepalive: 30_000, will });
	await connect(d);
	await d.kill();
	const message = await watcher.waitFor((m) => m.topic === "dev-5/status");
	assert.equal(message.payload, "offline");
	assert.equal(watcher.messages.filter((m) => m.topic === "dev-5/status").length, 1);
	const late = await observer(b.port, ["dev-5/status"]);
	const retained = await late.waitFor((m) => m.topic === "dev-5/status");
	assert.deepEqual([retained.payload, retained.retain], ["offline", true], "the will was retained");
});
