// Random thermostat cases for the property-based safety tests (Node side): fast-check
// arbitraries for a configuration, a temperature trace (walks, stale gaps, NaN bursts,
// implausible values), commands (mode, set points, fan, preset, outdoor temperature,
// equipment faults) and reboots/power cuts; their deterministic expansion to timed input
// events; and the files test/thermostat/replay.ts reads.
//
// Every safety-relevant parameter is written into the case's configuration explicitly (no
// reliance on the firmware's defaults), so the invariant checker reads the rules' figures
// from the case itself.
import fc from "fast-check";
import { writeFileSync } from "node:fs";

export const TICK_MS = 10_000;
export const Kind = Object.freeze({ SAMPLE: 1, OUTDOOR: 2, MODE: 3, SETPOINTS: 4, FAN: 5, PRESET: 6, REBOOT: 7, END: 8, FAULT: 9 });
export const MODES = Object.freeze(["off", "heat", "cool", "heat_cool", "fan_only"]);
export const FAN_MODES = Object.freeze(["auto", "on", "circulate"]);
export const PRESETS = Object.freeze(["none", "home", "away", "sleep", "eco", "boost", "comfort", "activity"]);

const S = 1000, MIN = 60 * S;
const toUnit = (celsius, unit) => (unit === "F" ? celsius * 9 / 5 + 32 : celsius);
const deltaToUnit = (delta, unit) => (unit === "F" ? delta * 9 / 5 : delta);
const round = (value, step) => Math.round(value / step) * step;

/** Seconds in [min, max] as ms. */
const seconds = (min, max) => fc.integer({ min, max }).map((s) => s * S);
/** A temperature (°C) on a 0.1 grid. */
const celsius = (min, max) => fc.integer({ min: min * 10, max: max * 10 }).map((x) => x / 10);

const timing = (runMax, offMax, maxRun) => fc.record({
	minRunMs: seconds(0, runMax),
	minOffMs: seconds(0, offMax),
	maxRunMs: maxRun,
});

const configArb = fc.record({
	system: fc.constantFrom("conventional", "heat_pump"),
	unit: fc.constantFrom("C", "F"),
	heatStages: fc.constantFrom(1, 2),
	auxHeat: fc.boolean(),
	reversingValve: fc.constantFrom("O", "B"),
	heatDeadband: celsius(0, 2),
	heatOverrun: celsius(0, 2),
	coolDeadband: celsius(0, 2),
	coolOverrun: celsius(0, 2),
	minDifferential: celsius(0, 3),
	heating: timing(300, 300, fc.oneof(seconds(300, 1500), fc.constant(4 * 3600 * S))),
	cooling: timing(300, 300, fc.oneof(seconds(300, 1500), fc.constant(4 * 3600 * S))),
	stage2: timing(240, 240, fc.oneof(seconds(240, 1500), fc.constant(4 * 3600 * S))),
	fan: timing(60, 60, fc.constant(undefined)),
	minIdleMs: seconds(0, 90),
	changeoverMs: seconds(0, 400),
	stage2DelayMs: seconds(30, 900),
	stage2Delta: celsius(0, 4),
	coolMinOutdoor: fc.option(celsius(-10, 20), { nil: undefined }),
	compressorMinOutdoor: fc.option(celsius(-25, 5), { nil: undefined }),
	auxMaxOutdoor: celsius(-5, 25),
	frostFloor: fc.option(celsius(2, 10), { nil: null }),
	staleAfterMs: seconds(45, 300),
	fanWithCooling: fc.boolean(),
	fanWithHeating: fc.boolean(),
	mode: fc.oneof({ weight: 3, arbitrary: fc.constantFrom("heat", "heat_cool") }, { weight: 1, arbitrary: fc.constantFrom(...MODES) }),
	fanMode: fc.constantFrom(...FAN_MODES),
	circulateMinutes: fc.integer({ min: 0, max: 60 }),
	preset: fc.constantFrom(...PRESETS),
});

/** A configuration as the firmware takes it: temperatures in the case's unit, every safety figure explicit. */
function firmwareConfig(c) {
	const u = c.unit;
	const heatPump = c.system === "heat_pump";
	// one compressor: the checker reads heating's figures for it, so cooling's are made equal
	const cooling = heatPump ? c.heating : c.cooling;
	const auxMax = c.compressorMinOutdoor !== undefined && c.auxMaxOutdoor < c.compressorMinOutdoor ? c.compressorMinOutdoor : c.auxMaxOutdoor;
	const config = {
		system: c.system, unit: u, heatStages: c.heatStages, auxHeat: c.auxHeat, reversingValve: c.reversingValve,
		heatDeadband: round(deltaToUnit(c.heatDeadband, u), 0.1), heatOverrun: round(deltaToUnit(c.heatOverrun, u), 0.1),
		coolDeadband: round(deltaToUnit(c.coolDeadband, u), 0.1), coolOverrun: round(deltaToUnit(c.coolOverrun, u), 0.1),
		minDifferential: round(deltaToUnit(c.minDifferential, u), 0.1),
		heating: c.heating, cooling, stage2: c.stage2, fan: { minRunMs: c.fan.minRunMs, minOffMs: c.fan.minOffMs },
		minIdleMs: c.minIdleMs, changeoverMs: c.changeoverMs, stage2DelayMs: c.stage2DelayMs,
		stage2Delta: round(deltaToUnit(c.stage2Delta, u), 0.1),
		coolMinOutdoor: c.coolMinOutdoor === undefined ? -1000 : round(toUnit(c.coolMinOutdoor, u), 0.1),
		compressorMinOutdoor: c.compressorMinOutdoor === undefined ? -1000 : round(toUnit(c.compressorMinOutdoor, u), 0.1),
		auxMaxOutdoor: round(toUnit(auxMax, u), 0.1),
		frostFloor: c.frostFloor === null ? null : round(toUnit(c.frostFloor, u), 0.1),
		staleAfterMs: c.staleAfterMs,
		plausibleMin: round(toUnit(-30, u), 0.1), plausibleMax: round(toUnit(60, u), 0.1),
		fanWithCooling: c.fanWithCooling, fanWithHeating: c.fanWithHeating,
		mode: c.mode, fanMode: c.fanMode, circulateMinutes: c.circulateMinutes, preset: c.preset,
	};
	if (config.compressorMinOutdoor > config.auxMaxOutdoor) config.auxMaxOutdoor = config.compressorMinOutdoor;
	return config;
}

const segmentArb = fc.oneof(
	{ weight: 6, arbitrary: fc.record({ kind: fc.constant("walk"), ms: seconds(60, 1200),
		target: fc.oneof({ weight: 4, arbitrary: celsius(15, 28) }, { weight: 1, arbitrary: celsius(-5, 40) }), noise: celsius(0, 1.5), seed: fc.nat() }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant("gap"), ms: seconds(20, 900) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant("nan"), ms: seconds(10, 600) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant("implausible"), ms: seconds(10, 600), value: fc.constantFrom(-273.15, -60, 85, 125, 1e6, Infinity) }) },
);

const commandArb = (durationMs) => fc.record({ at: fc.integer({ min: 0, max: durationMs - 1 }) }).chain(({ at }) => fc.oneof(
	{ weight: 2, arbitrary: fc.record({ at: fc.constant(at), kind: fc.constant("mode"), a: fc.integer({ min: 0, max: MODES.length - 1 }) }) },
	fc.record({ at: fc.constant(at), kind: fc.constant("setpoints"), heat: fc.option(celsius(0, 40), { nil: null }), cool: fc.option(celsius(0, 40), { nil: null }) }),
	fc.record({ at: fc.constant(at), kind: fc.constant("fan"), a: fc.integer({ min: 0, max: FAN_MODES.length - 1 }), b: fc.integer({ min: 0, max: 60 }) }),
	fc.record({ at: fc.constant(at), kind: fc.constant("preset"), a: fc.integer({ min: 0, max: PRESETS.length - 1 }) }),
	fc.record({ at: fc.constant(at), kind: fc.constant("outdoor"), value: fc.option(celsius(-30, 45), { nil: null }) }),
	{ weight: 1, arbitrary: fc.record({ at: fc.constant(at), kind: fc.constant("fault"), a: fc.constantFrom(0, 1) }) },
));

/** One case: a configuration and what happens to the device over its duration. */
export const caseArb = fc.integer({ min: 10, max: 30 }).chain((minutes) => {
	const durationMs = minutes * MIN;
	return fc.record({
		config: configArb.map(firmwareConfig),
		durationMs: fc.constant(durationMs),
		sampleMs: fc.constantFrom(15 * S, 30 * S, 60 * S),
		firstSampleMs: seconds(0, 90),
		start: fc.oneof({ weight: 4, arbitrary: celsius(14, 28) }, { weight: 1, arbitrary: celsius(-5, 40) }),
		segments: fc.array(segmentArb, { minLength: 1, maxLength: 8 }),
		commands: fc.array(commandArb(durationMs), { maxLength: 8 }),
		reboots: fc.array(fc.record({
			at: fc.integer({ min: 1, max: durationMs - 1 }),
			off: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: seconds(1, 120) }, { weight: 1, arbitrary: seconds(121, 900) }),
		}), { maxLength: 2 }),
	});
});

/** Deterministic PRNG (mulberry32) for the noise of a walk. */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The case's input events, time-ordered: [t, kind, a, b]; the last one is END. */
export function expand(c) {
	const events = [];
	const unit = c.config.unit;
	// temperature samples, segment by segment; the last walk holds its level to the end
	let T = c.start, t = c.firstSampleMs, segStart = c.firstSampleMs;
	const segments = c.segments;
	for (let s = 0; t < c.durationMs; s++) {
		const seg = segments[Math.min(s, segments.length - 1)];
		const last = s >= segments.length - 1;
		const end = last ? c.durationMs : Math.min(c.durationMs, segStart + seg.ms);
		const random = prng(seg.seed ?? s);
		const from = T, steps = Math.max(1, Math.ceil((end - segStart) / c.sampleMs));
		for (let k = 0; t < end; k++, t += c.sampleMs) {
			if (seg.kind === "walk") {
				T = from + (seg.target - from) * Math.min(1, (k + 1) / steps);
				events.push([t, Kind.SAMPLE, Math.round((T + (random() * 2 - 1) * seg.noise) * 100) / 100, 0]);
			} else if (seg.kind === "nan") events.push([t, Kind.SAMPLE, NaN, 0]);
			else if (seg.kind === "implausible") events.push([t, Kind.SAMPLE, seg.value, 0]);
		}
		segStart = end;
	}
	for (const cmd of c.commands) {
		switch (cmd.kind) {
		case "mode": events.push([cmd.at, Kind.MODE, cmd.a, 0]); break;
		case "setpoints": events.push([cmd.at, Kind.SETPOINTS,
			cmd.heat === null ? NaN : round(toUnit(cmd.heat, unit), 0.1), cmd.cool === null ? NaN : round(toUnit(cmd.cool, unit), 0.1)]); break;
		case "fan": events.push([cmd.at, Kind.FAN, cmd.a, cmd.b]); break;
		case "preset": events.push([cmd.at, Kind.PRESET, cmd.a, 0]); break;
		case "outdoor": events.push([cmd.at, Kind.OUTDOOR, cmd.value === null ? NaN : cmd.value, 0]); break;
		case "fault": events.push([cmd.at, Kind.FAULT, cmd.a, 0]); break;
		}
	}
	for (const r of c.reboots) events.push([r.at, Kind.REBOOT, r.off, 0]);
	// stable order by time; at equal times inputs before a reboot (they are then lost with it)
	events.sort((x, y) => x[0] - y[0] || (x[1] === Kind.REBOOT) - (y[1] === Kind.REBOOT));
	events.push([c.durationMs, Kind.END, 0, 0]);
	return events;
}

/** Writes the replayer's two files; returns the expanded events of each case. */
export function writeCases(cases, jsonPath, binPath) {
	const expanded = cases.map(expand);
	const total = expanded.reduce((n, e) => n + 1 + e.length * 4, 0);
	const data = new Float64Array(total);
	let at = 0;
	for (const events of expanded) {
		data[at++] = events.length;
		for (const e of events) {
			data.set(e, at);
			at += 4;
		}
	}
	// JSON lines: a header, then one configuration per line (the replayer parses one case at a time)
	writeFileSync(jsonPath, [JSON.stringify({ tickMs: TICK_MS, count: cases.length }), ...cases.map((c) => JSON.stringify(c.config)), ""].join("\n"));
	writeFileSync(binPath, data);
	return expanded;
}
