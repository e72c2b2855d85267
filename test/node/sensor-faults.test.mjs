// A simulated day of random sensor and bus faults on the thermostat: no unhandled error, every
// fault episode reported and recovered, readings resume, and the device heap does not grow.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../sim/tools/manifest.mjs";
import { build } from "../../sim/tools/build.mjs";

const dir = mkdtempSync(join(tmpdir(), "faults-"));

/** mulberry32: the scenario is random but the same for a seed. */
function prng(seed) {
	let state = seed >>> 0;
	return () => {
		let t = (state = (state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Fault episodes at random times: each starts, lasts 1 to 20 minutes, then ends. */
function randomFaults(seed, hours) {
	const random = prng(seed);
	const events = [];
	const episodes = [
		(at, end) => [{ at, do: "fault", chip: "sht4x", fault: "nack" }, { at: end, do: "fault", chip: "sht4x", fault: "nack", on: false }],
		(at, end) => [{ at, do: "fault", chip: "sht4x", fault: "crc" }, { at: end, do: "fault", chip: "sht4x", fault: "crc", on: false }],
		(at, end) => [{ at, do: "fault", chip: "sht4x", fault: "implausible" }, { at: end, do: "fault", chip: "sht4x", fault: "implausible", on: false }],
		(at, end) => [{ at, do: "bus", stuck: true }, { at: end, do: "bus", stuck: false }],
		(at, end) => [{ at, do: "unplug", chip: "sht4x" }, { at: end, do: "replug", chip: "sht4x" }],
	];
	let at = 30 * 60_000;
	while (at < (hours - 1) * 3_600_000) {
		const end = at + Math.round(60_000 + random() * 19 * 60_000);
		events.push(...episodes[Math.floor(random() * episodes.length)](at, end));
		events.push({ at: end + 5 * 60_000, do: "motion", for: "2m" });
		at = end + Math.round(10 * 60_000 + random() * 50 * 60_000);
	}
	return { description: `random sensor faults, seed ${seed}`, events };
}

function sim(args) {
	return spawnSync(process.execPath, [join(ROOT, "sim", "cli.mjs"), "--quiet", ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
}

before(() => build({ quiet: true }));

test("a-day-of-random-faults-keeps-the-device-running-without-heap-growth", () => {
	const scenario = join(dir, "faults.json");
	const description = randomFaults(11, 24);
	writeFileSync(scenario, JSON.stringify(description));
	const log = join(dir, "faults.jsonl");
	const run = sim(["--speed", "max", "--duration", "24h", "--scenario", scenario, "--world", "memory-every=1h", "--log", log]);
	assert.equal(run.status, 0, run.stderr);
	const all = readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line));
	assert.equal(all.filter((e) => e.type === "boot").length, 1, "no reboot");
	assert.ok(!all.some((e) => e.type === "action-error"));

	// every fault is followed by its recovery; the day ends with none outstanding
	const open = new Map();
	for (const e of all) {
		if (e.type === "fault") open.set(`${e.source}:${e.error}`, e.t);
		if (e.type === "recovered") assert.ok(open.delete(`${e.source}:${e.error}`), `recovered without fault: ${JSON.stringify(e)}`);
	}
	assert.deepEqual([...open.keys()], []);
	const episodes = description.events.filter((e) => e.on !== false && e.do !== "motion" && e.do !== "replug" && !(e.do === "bus" && !e.stuck)).length;
	const faults = all.filter((e) => e.type === "fault" && e.source === "climate" && e.error !== "stale").length;
	assert.ok(faults >= episodes * 0.8 && faults <= episodes, `${faults} faults for ${episodes} episodes (a 1-minute episode can fall between two samples)`);

	// readings resume after the last episode
	const lastAction = Math.max(...description.events.map((e) => e.at));
	assert.ok(all.some((e) => e.type === "reading" && e.sensor === "climate" && e.t > lastAction + 60_000));

	// the heap after a collection is the same at hour 2 and hour 24
	const memory = all.filter((e) => e.type === "memory");
	assert.equal(memory.length, 24);
	assert.ok(memory.at(-1).live <= memory[1].live, `live heap ${memory[1].live} at 2 h, ${memory.at(-1).live} at 24 h`);
	assert.ok(Math.max(...memory.map((m) => m.peak)) < memory[0].budget / 2, "well inside the budget");
});

test("thermostat-reads-a-bme280-when-there-is-no-sht4x", () => {
	const log = join(dir, "bme280.jsonl");
	const run = sim(["--speed", "max", "--duration", "10m", "--world", "sensor=bme280", "--log", log]);
	assert.equal(run.status, 0, run.stderr);
	const readings = readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line))
		.filter((e) => e.type === "reading" && e.sensor === "climate");
	assert.ok(readings.length >= 19);
	for (const { values } of readings) {
		assert.ok(Math.abs(values.temperature - 19) < 0.5, JSON.stringify(values));
		assert.ok(Math.abs(values.pressure - 101_325) < 100, JSON.stringify(values));
	}
});
