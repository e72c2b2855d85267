// The simulator CLI end to end: a simulated day, determinism, scenarios with faults and a
// power cut, bad scenarios, and the control channel.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../sim/tools/manifest.mjs";
import { build } from "../../sim/tools/build.mjs";

const dir = mkdtempSync(join(tmpdir(), "sim-cli-"));

function sim(args, input) {
	const started = Date.now();
	const result = spawnSync(process.execPath, [join(ROOT, "sim", "cli.mjs"), "--quiet", ...args], { cwd: ROOT, encoding: "utf8", input, timeout: 120_000 });
	return { ...result, realMs: Date.now() - started };
}

function events(file) {
	return readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line));
}

before(() => build({ quiet: true }));

test("simulated-day-finishes-fast-with-a-valid-log", () => {
	const log = join(dir, "day.jsonl");
	const run = sim(["--speed", "max", "--duration", "24h", "--broker", "none", "--log", log]);
	assert.equal(run.status, 0, run.stderr);
	assert.ok(run.realMs < 60_000, `${run.realMs} ms`);
	const all = events(log);
	let last = 0;
	for (const event of all) {
		assert.equal(typeof event.type, "string");
		assert.ok(Number.isInteger(event.t) && event.t >= last, JSON.stringify(event));
		last = event.t;
	}
	assert.equal(last, 24 * 3600 * 1000);
	const kinds = new Set(all.map((event) => event.type));
	for (const kind of ["boot", "reading", "world"]) assert.ok(kinds.has(kind), kind);
	const reading = all.find((event) => event.type === "reading");
	assert.equal(reading.sensor, "climate");
	assert.equal(typeof reading.values.temperature, "number");
	const truth = all.filter((event) => event.type === "world").at(-1);
	const latest = all.filter((event) => event.type === "reading" && event.sensor === "climate").at(-1);
	assert.ok(Math.abs(latest.values.temperature - truth.temperature) < 0.5, "readings follow the simulated room");
});

test("same-seed-same-log-and-another-seed-differs", () => {
	const logs = ["a", "b", "c"].map((name) => join(dir, `${name}.jsonl`));
	for (const [i, log] of logs.entries())
		assert.equal(sim(["--speed", "max", "--duration", "6h", "--broker", "none", "--seed", i < 2 ? "7" : "8", "--log", log]).status, 0);
	assert.equal(readFileSync(logs[0], "utf8"), readFileSync(logs[1], "utf8"));
	assert.notEqual(readFileSync(logs[0], "utf8"), readFileSync(logs[2], "utf8"));
});

test("scenario-faults-and-power-cut-reboot-the-device", () => {
	const log = join(dir, "scenario.jsonl");
	const run = sim(["--speed", "max", "--duration", "10h", "--scenario", "sim/scenarios/faults-and-power-cut.json", "--log", log]);
	assert.equal(run.status, 0, run.stderr);
	const all = events(log);
	const boots = all.filter((event) => event.type === "boot");
	assert.deepEqual(boots.map((event) => event.t), [0, 6 * 3600_000 + 30_000], "boots at start and after the 30 s cut");
	const faults = all.filter((event) => (event.type === "fault" || event.type === "recovered") && event.source === "climate").map((e) => `${e.type}:${e.error}`);
	// each fault episode (nack, stuck bus, unplug) is one fault and a stale mark, then the recovery
	// of both (a replugged chip's first sample may clear the stale mark before the fault)
	const episodes = [faults.slice(0, 4), faults.slice(4, 8), faults.slice(8, 12)].map((episode) => episode.sort());
	assert.equal(faults.length, 12, JSON.stringify(faults));
	for (const episode of episodes) assert.deepEqual(episode, ["fault:bus", "fault:stale", "recovered:bus", "recovered:stale"]);
	assert.ok(!all.some((event) => event.type === "action-error"), "every scenario action is valid");
	// no reading while the device has no power
	assert.ok(!all.some((event) => event.type === "reading" && event.t > 6 * 3600_000 && event.t < 6 * 3600_000 + 30_000));
});

test("wearable-profile-logs-ppg-and-imu-readings", () => {
	const log = join(dir, "wearable.jsonl");
	const run = sim(["--profile", "wearable", "--speed", "max", "--duration", "2m", "--log", log]);
	assert.equal(run.status, 0, run.stderr);
	const all = events(log);
	assert.equal(all.find((event) => event.type === "boot").profile, "wearable");
	const ppg = all.filter((event) => event.type === "reading" && event.sensor === "ppg");
	const imu = all.filter((event) => event.type === "reading" && event.sensor === "imu");
	assert.ok(ppg.length >= 10 && imu.length >= 10, `${ppg.length} ppg, ${imu.length} imu readings`);
	assert.ok(ppg.every((event) => event.values.ir > 0 && event.values.red > 0));
	assert.ok(imu.every((event) => Math.abs(event.values.az - 9.81) < 0.5), "lying still: 1 g on z");
	assert.ok(!all.some((event) => event.type === "fault"));
});

test("a-bad-scenario-fails-at-start-naming-the-event", () => {
	const file = join(dir, "bad.json");
	writeFileSync(file, JSON.stringify({ events: [{ at: "1h", do: "world", outdoor: 3 }, { at: "soon", do: "reboot" }] }));
	const run = sim(["--speed", "max", "--duration", "2h", "--scenario", file]);
	assert.notEqual(run.status, 0);
	assert.match(run.stderr, /event 1: invalid "at" "soon"/);
});

test("control-channel-actions-apply-and-bad-ones-are-reported", () => {
	const log = join(dir, "control.jsonl");
	// no --duration: the run goes on until the last line, "stop", arrives, however late
	const input = ['{"do":"world","outdoor":-10}', "not json", '{"do":"fault","chip":"sht4x","fault":"melt"}',
		'{"do":"fault","chip":"nope","fault":"nack"}', '{"do":"stop"}'].join("\n");
	const run = sim(["--speed", "max", "--log", log], `${input}\n`);
	assert.equal(run.status, 0, run.stderr);
	const all = events(log);
	assert.ok(all.some((event) => event.type === "world" && event.outdoor === -10));
	const errors = all.filter((event) => event.type === "action-error").map((event) => event.error);
	assert.equal(errors.length, 3, JSON.stringify(errors));
	assert.match(errors.join("|"), /not JSON/);
	assert.match(errors.join("|"), /unknown fault "melt"/);
	assert.match(errors.join("|"), /no chip "nope"/);
});

test("usage-errors-exit-64-with-usage", () => {
	const run = sim(["--profile", "toaster"]);
	assert.equal(run.status, 64);
	assert.match(run.stderr, /unknown profile "toaster"/);
});

test("secrets-in-the-configuration-are-never-logged", () => {
	const log = join(dir, "secrets.jsonl");
	assert.equal(sim(["--speed", "max", "--duration", "1m", "--broker", "none", "--set", "password=hunter2-secret", "--log", log]).status, 0);
	const text = readFileSync(log, "utf8");
	assert.ok(!text.includes("hunter2"), "the Wi-Fi password does not reach the log");
	assert.ok(!text.includes("correct horse"), "nor the default one");
	assert.match(text, /"password":"\(secret\)"/);
});

test("the-embedded-broker-is-started-and-handed-to-the-device", () => {
	const log = join(dir, "broker.jsonl");
	const run = spawnSync(process.execPath, [join(ROOT, "sim", "cli.mjs"), "--speed", "max", "--duration", "1m", "--log", log], { cwd: ROOT, encoding: "utf8" });
	assert.equal(run.status, 0, run.stderr);
	const port = Number(/MQTT broker on mqtt:\/\/127\.0\.0\.1:(\d+)/.exec(run.stderr)?.[1]);
	const boot = events(log).find((e) => e.type === "boot");
	assert.deepEqual(boot.config.mqtt, { host: "127.0.0.1", port });
	assert.ok(port > 0);
});
