// The property test's checker (test/thermostat/invariants.mjs) on hand-made relay streams:
// a clean stream passes, and each broken rule is reported by name. Without this, a checker
// bug could make the 10,000-case property prove nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkCase } from "../thermostat/invariants.mjs";
import { Kind } from "../thermostat/cases.mjs";

const T = (minutes, seconds = 0) => (minutes * 60 + seconds) * 1000;

const CONVENTIONAL = Object.freeze({
	system: "conventional", unit: "C", heatStages: 2, auxHeat: false, reversingValve: "O",
	heatDeadband: 0.5, heatOverrun: 0.5, coolDeadband: 0.5, coolOverrun: 0.5, minDifferential: 0.5,
	heating: { minRunMs: T(3), minOffMs: T(5), maxRunMs: T(60) },
	cooling: { minRunMs: T(3), minOffMs: T(5), maxRunMs: T(60) },
	stage2: { minRunMs: T(1), minOffMs: T(1), maxRunMs: T(60) },
	fan: { minRunMs: T(0, 30), minOffMs: T(0, 30) },
	minIdleMs: T(0, 30), changeoverMs: T(5), stage2DelayMs: T(10), stage2Delta: 2,
	coolMinOutdoor: 1.7, compressorMinOutdoor: -1000, auxMaxOutdoor: 10, frostFloor: 4, staleAfterMs: T(2),
	plausibleMin: -30, plausibleMax: 60, fanWithCooling: true, fanWithHeating: false,
	mode: "heat_cool", fanMode: "auto", circulateMinutes: 0, preset: "none",
});

/** Samples of `celsius` every 30 s from `from` to `to` (ms). */
function samples(from, to, celsius) {
	const out = [];
	for (let t = from; t < to; t += 30_000) out.push([t, Kind.SAMPLE, celsius, 0]);
	return out;
}

function events(...lists) {
	const all = lists.flat().sort((a, b) => a[0] - b[0]);
	all.push([T(60), Kind.END, 0, 0]);
	return all;
}

const on = (t, relay, reason = "x") => [0, t, relay, 1, `${["heat", "heat2", "cool", "fan"][relay]} on: ${reason}`];
const off = (t, relay, reason = "x") => [0, t, relay, 0, `${["heat", "heat2", "cool", "fan"][relay]} off: ${reason}`];
const end = [0, T(60), -2];

function rules(config, input, stream) {
	return checkCase(config, input, stream).map((v) => v.replace(/^t=\d+: /, "").split(":")[0]);
}

test("a-stream-that-follows-every-rule-passes", () => {
	const input = events(samples(0, T(20), 18), samples(T(20), T(60), 25));
	const stream = [on(T(5), 0), off(T(20), 0), on(T(25), 2), on(T(25), 3), end];
	assert.deepEqual(checkCase(CONVENTIONAL, input, stream), []);
});

test("each-broken-rule-is-reported-by-name", () => {
	const cold = events(samples(0, T(60), 18));
	const hot = events(samples(0, T(60), 25));
	const cases = [
		["minimum off (after boot included)", cold, [on(T(4), 0), end]],
		["minimum run", cold, [on(T(5), 0), off(T(6), 0), end]],
		["max continuous run", cold, [on(T(5), 0), end], { ...CONVENTIONAL, heating: { ...CONVENTIONAL.heating, maxRunMs: T(30) } }],
		["max continuous run", cold, [on(T(5), 0), off(T(40), 0), end], { ...CONVENTIONAL, heating: { ...CONVENTIONAL.heating, maxRunMs: T(30) } }],
		["never heating and cooling together", cold, [on(T(5), 0), on(T(10), 2), end]],
		["changeover dead time", events(samples(0, T(12), 18), samples(T(12), T(60), 25)), [on(T(5), 0), off(T(10), 0), on(T(12), 2), end]],
		["minimum idle", cold, [on(T(5), 0), off(T(10), 0), on(T(10, 10), 1), end]],
		["stage 2 only with stage 1", cold, [on(T(5), 1), end]],
		["relay events have a reason", cold, [[0, T(5), 0, 1, "heat on: "], end]],
		["all off at boot until the first valid reading", events(samples(T(10), T(60), 18)), [on(T(6), 3), end]],
		["no heating or cooling without a valid, fresh reading", events(samples(0, T(3), 18)), [on(T(6), 0), end]],
		["stale temperature -> heating and cooling off within one control tick", events(samples(0, T(10), 18)), [on(T(5), 0), end]],
		["invalid temperature -> heating and cooling off within one control tick", events(samples(0, T(8), 18), [[T(8), Kind.SAMPLE, NaN, 0]]), [on(T(5), 0), end]],
		["heating only in heat / heat_cool mode or below the frost floor", events(samples(0, T(60), 18), [[T(1), Kind.MODE, 2, 0]]), [on(T(5), 0), end]],
		["compressor cooling lockout", events(samples(0, T(60), 25), [[T(1), Kind.OUTDOOR, 0, 0]]), [on(T(5), 2), end]],
		["device off", events(samples(0, T(60), 25), [[T(6), Kind.REBOOT, T(5), 0]]), [on(T(5), 2), [0, T(6), -1, T(5)], on(T(8), 2), end]],
		["stream complete", hot, [on(T(5), 2)]],
	];
	for (const [rule, input, stream, config = CONVENTIONAL] of cases)
		assert.ok(rules(config, input, stream).includes(rule), `${rule}: got ${rules(config, input, stream)}`);
});

test("power-cuts-drop-every-relay-and-restart-the-minimum-off", () => {
	const input = events(samples(0, T(60), 18), [[T(10), Kind.REBOOT, T(1), 0]]);
	const early = [on(T(5), 0), [0, T(10), -1, T(1)], on(T(12), 0), end]; // 1 min after boot < 5 min
	assert.ok(rules(CONVENTIONAL, input, early).includes("minimum off (after boot included)"));
	const later = [on(T(5), 0), [0, T(10), -1, T(1)], on(T(16), 0), end];
	assert.deepEqual(checkCase(CONVENTIONAL, input, later), [], "a power cut is no minimum-run violation");
});

test("heat-pump-valve-moves-only-with-the-compressor-at-rest", () => {
	const hp = { ...CONVENTIONAL, system: "heat_pump", auxHeat: true };
	const hot = events(samples(0, T(60), 25));
	const names = ["compressor", "aux", "ob", "fan"];
	const hon = (t, r) => [0, t, r, 1, `${names[r]} on: x`], hoff = (t, r) => [0, t, r, 0, `${names[r]} off: x`];
	assert.deepEqual(checkCase(hp, hot, [hon(T(5), 2), hon(T(6), 0), end]), []);
	assert.ok(rules(hp, hot, [hon(T(6), 0), hon(T(7), 2), end]).includes("valve moves only with the compressor at rest"));
	// aux heat while the compressor cools: heating and cooling together
	assert.ok(rules(hp, events(samples(0, T(60), 18)), [hon(T(5), 2), hon(T(6), 0), hon(T(7), 1), end]).includes("never heating and cooling together"));
	assert.equal(hoff(T(1), 0)[3], 0);
});
