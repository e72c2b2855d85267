// Home Assistant discovery and commands checked from outside the device: the payloads that the
// firmware builds on the XS host are validated here against rules written again, independently,
// from ../shared/reference/interop-protocols.md Part A (A.1 topics, A.3 availability, A.4 device
// and origin, A.5 abbreviations and `~`, A.7 per-platform keys); their sizes are recomputed
// from the bytes. Then, against a private mosquitto, the facts the staleness rule rests on
// (net/README.md, "Commands"): a retained command arrives with RETAIN set and the device's
// parser refuses it; a persistent session hands a QoS 1 command published during an outage to
// the device when it comes back (RETAIN clear, so only its time shows it is stale) and the
// parser refuses it by its time; a live command is accepted; HA's discovery subscriptions
// match every config topic, and the configs come back intact as retained messages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { ROOT } from "../../sim/tools/manifest.mjs";
import { HOST, MODULE_MAP, build } from "../../sim/tools/build.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
	for (let attempt = 1; ; attempt++) {
		try {
			build({ quiet: true });
			return;
		} catch (error) {
			if (attempt === 3) throw error;
			await sleep(1000 + Math.random() * 1000); // another test file may be building at the same moment
		}
	}
});

/** Runs device code on the XS host: discovery for `configs`, then parseCommand for `commands`. Returns the JSON lines. */
function onDevice({ configs = [], commands = [] }) {
	const dir = join(ROOT, "build", "ha-schema");
	mkdirSync(dir, { recursive: true });
	const entry = join(dir, `entry-${process.pid}-${Math.random().toString(36).slice(2)}.js`);
	writeFileSync(entry, `
import { Topics } from "net/topics";
import { discoveryMessages } from "net/ha/discovery";
import { parseCommand } from "net/commands/parse";
const configs = ${JSON.stringify(configs)};
const commands = ${JSON.stringify(commands)};
for (const { label, topics, options } of configs) {
	for (const m of discoveryMessages({ ...options, topics: new Topics(topics) }))
		trace(JSON.stringify({ label, topic: m.topic, payload: m.payload, bytes: m.bytes, packetBytes: m.packetBytes, component: m.component, uniqueId: m.uniqueId }) + "\\n");
}
for (const { kind, payload, now, context } of commands) {
	const bytes = new Uint8Array(payload);
	trace(JSON.stringify({ kind, result: parseCommand(kind, bytes, now, context) }) + "\\n");
}
`);
	const run = spawnSync(HOST, ["--modules", MODULE_MAP, "--entry", entry, "--speed", "max"], { encoding: "utf8", timeout: 60_000 });
	rmSync(entry, { force: true });
	assert.equal(run.status, 0, run.stderr);
	return run.stdout.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
}

/* ---------- the rules, from the reference ---------- */

// A.5: HA accepts abbreviated keys; this table is the subset the reference names plus the rest
// of HA's abbreviations.py entries that a sensor, binary_sensor or climate may use.
const ABBR = {
	stat_t: "state_topic", cmd_t: "command_topic", avty_t: "availability_topic", uniq_id: "unique_id", dev_cla: "device_class",
	unit_of_meas: "unit_of_measurement", stat_cla: "state_class", curr_temp_t: "current_temperature_topic", mode_cmd_t: "mode_command_topic",
	mode_stat_t: "mode_state_topic", temp_cmd_t: "temperature_command_topic", temp_stat_t: "temperature_state_topic", act_t: "action_topic",
	fan_mode_cmd_t: "fan_mode_command_topic", pr_mode_cmd_t: "preset_mode_command_topic",
	// abbreviations.py
	curr_hum_t: "current_humidity_topic", dev: "device", o: "origin", ent_cat: "entity_category", exp_aft: "expire_after", ic: "icon",
	json_attr_t: "json_attributes_topic", sug_dsp_prc: "suggested_display_precision", fan_mode_stat_t: "fan_mode_state_topic",
	pr_mode_stat_t: "preset_mode_state_topic", pr_modes: "preset_modes", temp_lo_cmd_t: "temperature_low_command_topic",
	temp_lo_stat_t: "temperature_low_state_topic", temp_hi_cmd_t: "temperature_high_command_topic", temp_hi_stat_t: "temperature_high_state_topic",
	temp_unit: "temperature_unit", mode_cmd_tpl: "mode_command_template", temp_cmd_tpl: "temperature_command_template",
	temp_lo_cmd_tpl: "temperature_low_command_template", temp_hi_cmd_tpl: "temperature_high_command_template",
	pr_mode_cmd_tpl: "preset_mode_command_template", fan_mode_cmd_tpl: "fan_mode_command_template",
};
const FULL_KEYS = new Set(["~", "name", "modes", "fan_modes", "min_temp", "max_temp", "temp_step", "qos"]);
const DEV = { ids: "identifiers", cns: "connections", name: "name", mf: "manufacturer", mdl: "model", sw: "sw_version", hw: "hw_version", sa: "suggested_area" };
const ORIGIN = { name: "name", sw: "sw_version", url: "support_url" };
const OBJECT_ID = /^[a-zA-Z0-9_-]+$/; // A.1

function expand(payload) {
	const raw = JSON.parse(payload);
	const base = raw["~"];
	const out = {};
	for (const [key, value] of Object.entries(raw)) {
		if (key === "~") continue;
		assert.ok(ABBR[key] || FULL_KEYS.has(key), `A.5: ${key} is not an abbreviation HA knows, nor a plain key`);
		const full = ABBR[key] ?? key;
		let v = value;
		if (key === "dev") v = Object.fromEntries(Object.entries(value).map(([k, x]) => { assert.ok(DEV[k], `dev.${k}`); return [DEV[k], x]; }));
		if (key === "o") v = Object.fromEntries(Object.entries(value).map(([k, x]) => { assert.ok(ORIGIN[k], `o.${k}`); return [ORIGIN[k], x]; }));
		if (full.endsWith("_topic") && typeof v === "string" && base) v = v.startsWith("~") ? base + v.slice(1) : v.endsWith("~") ? v.slice(0, -1) + base : v;
		out[full] = v;
	}
	return out;
}

function checkConfig(message, all) {
	const { topic, payload } = message;
	const match = /^homeassistant\/(sensor|binary_sensor|climate)\/([^/]+)\/config$/.exec(topic);
	assert.ok(match, `A.1 topic ${topic}`);
	const [, component, objectId] = match;
	assert.match(objectId, OBJECT_ID, "A.1 object_id characters");
	const c = expand(payload);
	assert.equal(objectId, c.unique_id, "A.1 best practice: object_id = unique_id");
	// A.3
	assert.match(c.availability_topic, /\/status$/);
	for (const key of Object.keys(c)) if (key.endsWith("_topic")) assert.doesNotMatch(c[key], /[+#~]|\/\/|^\/|\/$/, `${key} is a valid topic name, ~ expanded`);
	// A.4: identifiers or connections; a unique_id; name when entities share the device (from some config of it)
	assert.ok(Array.isArray(c.device.identifiers) || Array.isArray(c.device.connections), "A.4 identifiers");
	const named = all.some((m) => { const d = expand(m.payload).device; return d.name && JSON.stringify(d.identifiers) === JSON.stringify(c.device.identifiers); });
	assert.ok(named, "A.4: some config gives the shared device its name");
	assert.equal(typeof c.origin.name, "string", "A.4 origin name");
	if (component === "sensor" || component === "binary_sensor") {
		assert.equal(typeof c.state_topic, "string", "A.7 state_topic required");
		assert.equal(c.command_topic, undefined, "A.7: relays are read-only binary sensors");
		if (c.entity_category !== undefined) assert.equal(c.entity_category, "diagnostic", "A.7: a sensor cannot be config");
	}
	if (component === "sensor" && /heart|spo2/.test(c.unique_id)) assert.equal(c.device_class, undefined, "A.7: HR and SpO2 have no device class");
	if (component === "climate") {
		assert.ok(Array.isArray(c.preset_modes) && typeof c.preset_mode_command_topic === "string", "A.7: preset topic and list together");
		assert.ok(!c.preset_modes.includes("none"), "A.7: no none in preset_modes");
		assert.ok(["C", "F"].includes(c.temperature_unit));
		assert.ok(c.temperature_low_command_topic && c.temperature_high_command_topic, "A.7 dual set point");
		for (const mode of c.modes) assert.ok(["auto", "off", "cool", "heat", "dry", "fan_only", "heat_cool"].includes(mode), `A.7 mode ${mode}`);
		assert.ok(c.min_temp < c.max_temp);
		for (const key of Object.keys(c)) if (key.endsWith("_command_topic")) assert.equal(typeof c[key.replace(/_topic$/, "_template")], "string", `${key}: a template that adds the time`);
	}
	// sizes: the XS figures recomputed from the bytes
	const bytes = Buffer.byteLength(payload, "utf8");
	assert.equal(message.bytes, bytes);
	const remaining = 2 + Buffer.byteLength(topic) + 2 + bytes;
	assert.equal(message.packetBytes, 1 + (remaining < 128 ? 1 : remaining < 16384 ? 2 : 3) + remaining);
	assert.ok(message.packetBytes <= 1536, "the documented budget");
}

const DEVICE = { name: "Thermostat", manufacturer: "Acme", model: "T1", swVersion: "0.1.0" };
const CONFIGS = [
	{ label: "thermostat", topics: { prefix: "aiot", deviceId: "a1b2c3d4e5f6" }, options: { profile: "thermostat", device: DEVICE } },
	{ label: "thermostat-full-F", topics: { prefix: "home/hvac", deviceId: "a1b2c3d4e5f7" },
		options: { profile: "thermostat", device: { ...DEVICE, mac: "02:5b:26:a8:dc:12", hwVersion: "B", suggestedArea: "Hall" }, pressure: true, occupancy: true,
			relays: ["compressor", "aux", "ob", "fan"], climate: { unit: "F", minC: 10, maxC: 32, minDifferentialC: 5 / 9 }, expireAfterS: 300 } },
	{ label: "wearable", topics: { prefix: "aiot", deviceId: "0a1b2c3d4e5f" }, options: { profile: "wearable", device: { ...DEVICE, name: "Band", model: "W1" } } },
];

test("discovery-payloads-follow-the-reference-rules", () => {
	const messages = onDevice({ configs: CONFIGS });
	assert.equal(messages.length, 12 + 15 + 8);
	for (const label of ["thermostat", "thermostat-full-F", "wearable"]) {
		const mine = messages.filter((m) => m.label === label);
		for (const m of mine) checkConfig(m, mine);
		const ids = mine.map((m) => expand(m.payload).unique_id);
		assert.equal(new Set(ids).size, ids.length, "unique_ids");
	}
	const all = messages.map((m) => expand(m.payload).unique_id);
	assert.equal(new Set(all).size, all.length, "unique across devices");
	const climate = expand(messages.find((m) => m.label === "thermostat-full-F" && m.component === "climate").payload);
	assert.equal(climate.temperature_unit, "F");
	assert.equal(climate.min_temp, 50);
	assert.equal(climate.max_temp, 89.6);
});

/* ---------- against a real broker ---------- */

const MOSQUITTO = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"].find((path) => existsSync(path));
let broker;

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.on("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

async function startBroker() {
	const port = await freePort();
	const dir = mkdtempSync(join(tmpdir(), "ha-schema-broker-"));
	writeFileSync(join(dir, "mosquitto.conf"), `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
	const proc = spawn(MOSQUITTO, ["-c", join(dir, "mosquitto.conf")], { stdio: "ignore" });
	const exited = new Promise((resolve) => proc.on("exit", resolve));
	for (let i = 0; i < 200; i++) {
		const up = await new Promise((resolve) => {
			const socket = net.connect(port, "127.0.0.1");
			socket.on("connect", () => { socket.destroy(); resolve(true); });
			socket.on("error", () => resolve(false));
		});
		if (up) break;
		await sleep(25);
	}
	return { port, url: `mqtt://127.0.0.1:${port}`, stop: async () => { proc.kill("SIGKILL"); await exited; rmSync(dir, { recursive: true, force: true }); } };
}

after(async () => broker?.stop());

function collect(client) {
	const received = [];
	client.on("message", (topic, payload, packet) => received.push({ topic, payload: [...payload], retain: packet.retain, qos: packet.qos }));
	return received;
}

async function until(predicate, ms = 5000) {
	for (let waited = 0; !predicate(); waited += 20) {
		if (waited > ms) throw new Error("timed out");
		await sleep(20);
	}
}

const CMD = "aiot/a1b2c3d4e5f6/cmd";
const CONTEXT = { retained: false, climate: { unit: "C", minC: 7, maxC: 35, minDifferentialC: 0.5 }, current: { mode: "heat", heat: 20, cool: 24.5 } };

test("retained-and-outage-commands-as-the-broker-delivers-them", { skip: !MOSQUITTO && "mosquitto not installed" }, async () => {
	broker = await startBroker();
	const ha = await mqtt.connectAsync(broker.url, { clientId: "ha", clean: true });
	const now = () => Date.now() / 1000;
	// a retained command left on the broker (Tasmota's failure mode, A.3 step 7)
	await ha.publishAsync(`${CMD}/mode`, JSON.stringify(["heat", now()]), { qos: 1, retain: true });
	// the device: a persistent session, commands at QoS 1
	const device = await mqtt.connectAsync(broker.url, { clientId: "device-a1b2c3d4e5f6", clean: false });
	let received = collect(device);
	await device.subscribeAsync(`${CMD}/+`, { qos: 1 });
	await until(() => received.length === 1);
	assert.equal(received[0].retain, true, "MQTT 3.1.1 §3.3.1.3: RETAIN set on delivery to a new subscription");
	// a live command
	await ha.publishAsync(`${CMD}/fan_mode`, JSON.stringify(["on", now()]), { qos: 1 });
	await until(() => received.length === 2);
	assert.equal(received[1].retain, false, "RETAIN clear on a live message");
	// an outage: the device is gone, HA sends a command, the device comes back
	await device.endAsync(true);
	const sentAt = now() - 60; // HA sent it a minute before the device returns
	await ha.publishAsync(`${CMD}/target`, JSON.stringify([26, sentAt]), { qos: 1 });
	await ha.publishAsync(`${CMD}/preset`, JSON.stringify(["away", now()]), { qos: 0 }); // QoS 0 while offline
	const back = mqtt.connect(broker.url, { clientId: "device-a1b2c3d4e5f6", clean: false, resubscribe: false });
	received = collect(back); // before CONNACK: the backlog follows it at once
	await once(back, "connect");
	await until(() => received.length >= 1);
	await sleep(300);
	assert.equal(back.connected, true);
	assert.deepEqual(received.map((r) => r.topic), [`${CMD}/target`], "the session's backlog: the QoS 1 command only (mosquitto drops QoS 0 for offline sessions by default)");
	assert.equal(received[0].retain, false, "nothing in the flags marks it as old");
	const firstRun = [
		{ kind: "mode", payload: [...Buffer.from(JSON.stringify(["heat", now()]))], now: Date.now(), context: { ...CONTEXT, retained: true } },
		{ kind: "fan_mode", payload: [...Buffer.from(JSON.stringify(["on", now()]))], now: Date.now(), context: CONTEXT },
		{ kind: "target", payload: received[0].payload, now: Date.now(), context: { ...CONTEXT, retained: received[0].retain } },
	];
	const results = onDevice({ commands: firstRun }).map((r) => r.result);
	assert.equal(results[0].error?.code, "retained", JSON.stringify(results[0]));
	assert.equal(results[1].ok?.fanMode, "on", JSON.stringify(results[1]));
	assert.equal(results[2].error?.code, "stale", JSON.stringify(results[2]));
	// clear the retained command (an empty retained payload) so the next subscriber gets nothing
	await ha.publishAsync(`${CMD}/mode`, "", { qos: 1, retain: true });
	await back.endAsync(true);
	await ha.endAsync(true);
});

test("discovery-configs-as-home-assistant-subscribes-to-them", { skip: !MOSQUITTO && "mosquitto not installed" }, async () => {
	broker ??= await startBroker();
	const messages = onDevice({ configs: CONFIGS });
	const device = await mqtt.connectAsync(broker.url, { clientId: "publisher", clean: true });
	for (const m of messages) await device.publishAsync(m.topic, m.payload, { qos: 1, retain: true });
	// HA's subscriptions (A.1), from a client that connects afterwards: the retained configs
	const ha = await mqtt.connectAsync(broker.url, { clientId: "home-assistant", clean: true });
	const received = collect(ha);
	await ha.subscribeAsync(["homeassistant/+/+/config", "homeassistant/+/+/+/config"], { qos: 0 });
	await until(() => received.length === messages.length);
	for (const m of messages) {
		const got = received.find((r) => r.topic === m.topic);
		assert.ok(got, m.topic);
		assert.equal(got.retain, true);
		assert.equal(Buffer.from(got.payload).toString("utf8"), m.payload);
	}
	await device.endAsync(true);
	await ha.endAsync(true);
});
