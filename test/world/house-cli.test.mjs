// The simulated house end to end through the CLI: two days of the thermostat profile (the
// firmware does not control the relays yet, so the house drifts towards outdoors), the world's
// ground truth in the log, readings that follow it, a PIR that is silent while nobody is home,
// and the winter-week scenario's actions taking effect.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../sim/tools/manifest.mjs";
import { build } from "../../sim/tools/build.mjs";

const dir = mkdtempSync(join(tmpdir(), "house-"));

function sim(args) {
	const run = spawnSync(process.execPath, [join(ROOT, "sim", "cli.mjs"), "--quiet", "--speed", "max", "--broker", "none", ...args],
		{ cwd: ROOT, encoding: "utf8", timeout: 120_000 });
	assert.equal(run.status, 0, run.stderr);
	return run;
}

function events(file) {
	return readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line));
}

const FIELDS = {
	number: ["temperature", "structure", "sensor", "humidity", "outdoor", "outdoorHumidity", "pressure", "cloud", "sun", "solar",
		"home", "awake", "rateDrift", "rateHeat", "rateHeat2", "rateCool", "heatW", "coolW", "tauFast", "tauSlow", "ua"],
	boolean: ["window", "heat", "heat2", "cool", "fan"],
};

before(() => build({ quiet: true }));

test("two-days-of-the-house-drifting-towards-outdoors-with-occupants", () => {
	const log = join(dir, "two-days.jsonl");
	sim(["--duration", "48h", "--seed", "3", "--log", log]);
	const all = events(log);
	const world = all.filter((e) => e.type === "world");
	assert.equal(world.length, 48 * 12 + 1, "the truth every 5 minutes");
	for (const e of world) {
		for (const name of FIELDS.number) assert.equal(typeof e[name], "number", `${name} in ${JSON.stringify(e)}`);
		for (const name of FIELDS.boolean) assert.equal(typeof e[name], "boolean", name);
		assert.ok(["home", "away", "asleep"].includes(e.presence));
		assert.ok(e.tauFast > 0.5 && e.tauFast < 3 && e.tauSlow > 20 && e.tauSlow < 80);
		if (e.sun === 0) assert.equal(e.solar, 0, "no solar gain without sun");
	}

	// readings follow the air (through the sensor's lag)
	const readings = all.filter((e) => e.type === "reading" && e.sensor === "climate");
	for (const truth of world.slice(1)) {
		const reading = readings.filter((r) => r.t <= truth.t).at(-1);
		assert.ok(Math.abs(reading.values.temperature - truth.temperature) < 0.3, `${reading.values.temperature} vs ${truth.temperature} at ${truth.t}`);
	}

	// with the relays off, the house cools towards the (colder) outdoors
	if (!world.some((e) => e.heat || e.heat2 || e.cool)) {
		const mean = (list, name) => list.reduce((sum, e) => sum + e[name], 0) / list.length;
		const outdoor = mean(world, "outdoor");
		const first = world[0], last = world.at(-1);
		assert.ok(outdoor < first.temperature - 10, `a winter run: outdoors ${outdoor} °C`);
		assert.ok(Math.abs(last.temperature - outdoor) < 0.7 * Math.abs(first.temperature - outdoor), `${first.temperature} -> ${last.temperature} °C, outdoors ${outdoor}`);
		assert.ok(world.every((e) => e.temperature <= first.temperature + 0.5), "never warmer than at the start");
		assert.ok(mean(world.slice(-72), "temperature") < mean(world.slice(0, 72), "temperature") - 5);
		assert.ok(world.every((e) => e.rateDrift < 1 && e.rateHeat > 2), "heat would warm it; off it cools");
	}

	// the PIR: motion while someone is up, none while everyone is out
	const presence = world.map((e) => [e.t, e.presence]);
	const at = (t) => presence.filter(([when]) => when <= t).at(-1)[1];
	const after = (t) => (presence.find(([when]) => when > t) ?? presence.at(-1))[1];
	const motions = all.filter((e) => e.type === "reading" && e.sensor === "motion" && e.values.motion === 1);
	assert.ok(motions.length > 40, `${motions.length} motions`);
	assert.ok(world.some((e) => e.presence === "away") && world.some((e) => e.presence === "asleep"));
	for (const motion of motions) assert.ok(!(at(motion.t) === "away" && after(motion.t) === "away"), `motion at ${motion.t} while away`);
});

test("the-winter-week-scenario-opens-windows-pins-the-weather-and-changes-the-house", () => {
	const log = join(dir, "week.jsonl");
	sim(["--duration", "4d2h", "--scenario", "sim/scenarios/winter-week.json", "--log", log]);
	const all = events(log);
	assert.ok(!all.some((e) => e.type === "action-error"), JSON.stringify(all.filter((e) => e.type === "action-error")));
	const world = all.filter((e) => e.type === "world");
	const when = (t) => world.filter((e) => e.t <= t).at(-1);
	const H = 3_600_000;
	assert.equal(when(2 * H + 60_000).window, true);
	assert.ok(when(2 * H + 60_000).rateDrift < 2 * when(2 * H - 60_000).rateDrift, "an open window cools the air faster");
	assert.equal(when(2 * H + 16 * 60_000).window, false);
	assert.equal(when(2 * 24 * H).outdoor, -15, "the cold snap");
	assert.ok(when(2 * 24 * H).heatW < 4000, "the heat pump falls short in the cold");
	assert.equal(when(2 * 24 * H + 6 * H).presence, "away", "the family away");
	assert.equal(when(2 * 24 * H + 6 * H).home, 0);
	assert.notEqual(when(3 * 24 * H + 7 * H).outdoor, -15, "the weather is back");
	assert.ok(when(4 * 24 * H + H).ua > 1.4 * when(4 * 24 * H - H).ua, "a draughty house loses more");
});
