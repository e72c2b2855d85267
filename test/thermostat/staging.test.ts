// Second-stage heat (ESPHome supplemental heating: after max_heating_run_time or beyond
// supplemental_heating_delta, peer-defaults §1.3), heat pumps with an O or B reversing valve,
// auxiliary heat with its outdoor lockout, the compressor lockouts (ecobee: AC compressor
// minimum outdoor 35 °F, §1.1).
import { test, equal, deepEqual, ok } from "test/harness";
import { Drive, NO_TIMERS } from "test/thermostat/drive";

const TWO_STAGE = { ...NO_TIMERS, heatStages: 2 as const, mode: "heat" as const, heatSetpoint: 21, stage2DelayMs: 600_000, stage2Delta: 2 };

test("second-stage-joins-after-stage-1-has-run-its-delay", () => {
	const d = new Drive(TWO_STAGE, 20);
	d.until("heat", true);
	const on = d.now;
	d.until("heat2", true);
	equal(d.now - on, 600_000);
	equal(d.last("heat2").reason, "heat2 on: stage 1 ran 600 s ≥ 600 s");
	d.reading(21.4);
	equal(d.on, "heat+heat2", "latched until heating ends");
	d.reading(21.5);
	equal(d.on, "");
	const last = d.changes.slice(-2).map((c) => c.relay);
	deepEqual(last, ["heat2", "heat"], "stage 2 goes off before stage 1");
});

test("second-stage-starts-with-stage-1-when-far-below-the-set-point", () => {
	const d = new Drive(TWO_STAGE, 21);
	d.advance(60_000).reading(19.0); // 2.0 °C below 21
	equal(d.on, "heat+heat2");
	deepEqual(d.changes.slice(-2).map((c) => c.relay), ["heat", "heat2"], "stage 1 first");
	equal(d.last("heat2").reason, "heat2 on: 19.0 °C is 2.0 °C below 21.0 °C set point ≥ 2.0 °C stage-2 delta");
});

test("stage-1-stays-on-while-stage-2-finishes-its-minimum-run", () => {
	const d = new Drive({ ...TWO_STAGE, stage2: { minRunMs: 300_000, minOffMs: 0 } }, 21);
	d.advance(60_000).reading(18);
	equal(d.on, "heat+heat2");
	d.advance(60_000).reading(23);
	equal(d.on, "heat+heat2", "stage 2 minimum run holds, stage 1 with it");
	ok(d.core.why().includes("heat held on: stage 2 minimum run 300 s, 240 s left"), d.core.why());
	d.until("heat2", false);
	equal(d.on, "", "both go off when stage 2 may");
});

test("stage-2-waits-for-stage-1-held-by-its-minimum-off", () => {
	const d = new Drive({ ...TWO_STAGE, heating: { minRunMs: 0, minOffMs: 300_000 } }, 15);
	equal(d.on, "");
	ok(d.core.why().includes("heat2 held off: stage 2 runs only with stage 1"), d.core.why());
	d.until("heat", true);
	equal(d.on, "heat+heat2");
});

test("heat-pump-with-an-o-valve-energises-it-for-cooling-and-starts-after-the-valve", () => {
	const d = new Drive({ ...NO_TIMERS, system: "heat_pump", reversingValve: "O", mode: "cool", coolSetpoint: 24 }, 27);
	equal(d.isOn("ob"), true, "valve to cooling first");
	equal(d.isOn("compressor"), false, "the compressor waits for the valve to be in position");
	equal(d.last("ob").reason, "ob on: reversing valve (O) to cooling");
	d.advance(10_000);
	equal(d.on, "compressor+ob+fan", "next tick: compressor and blower");
	equal(d.core.action, "cooling");
});

test("heat-pump-with-a-b-valve-energises-it-for-heating", () => {
	const d = new Drive({ ...NO_TIMERS, system: "heat_pump", reversingValve: "B", mode: "heat", auxHeat: false }, 17);
	d.advance(10_000);
	equal(d.on, "compressor+ob+fan");
	equal(d.last("ob").reason, "ob on: reversing valve (B) to heating");
	equal(d.core.action, "heating");
	const o = new Drive({ ...NO_TIMERS, system: "heat_pump", reversingValve: "O", mode: "heat", auxHeat: false }, 17);
	equal(o.on, "compressor+fan", "an O valve stays de-energised for heating");
});

test("the-valve-moves-only-after-the-compressor-has-rested-the-dead-time", () => {
	const d = new Drive({ system: "heat_pump", reversingValve: "O", mode: "heat_cool", heatSetpoint: 20, coolSetpoint: 23,
		heating: { minRunMs: 0, minOffMs: 0 }, cooling: { minRunMs: 0, minOffMs: 0 }, minIdleMs: 0, changeoverMs: 120_000, auxHeat: false }, 18);
	d.until("compressor", true);
	equal(d.isOn("ob"), false, "heating position");
	d.advance(30_000).reading(25);
	equal(d.isOn("compressor"), false, "heating satisfied: compressor off");
	equal(d.isOn("ob"), false, "the valve does not move yet");
	ok(d.core.why().includes("ob held off: valve switches after the compressor rests 120 s"), d.core.why());
	const off = d.now;
	d.until("ob", true);
	equal(d.now - off, 120_000);
	d.until("compressor", true);
	equal(d.now - off, 130_000, "then cooling, one tick after the valve");
	equal(d.core.action, "cooling");
});

test("aux-heat-joins-beyond-the-delta-and-is-locked-out-above-the-outdoor-limit", () => {
	const config = { ...NO_TIMERS, system: "heat_pump" as const, mode: "heat" as const, heatSetpoint: 21, stage2Delta: 2, auxMaxOutdoor: 10 };
	const cold = new Drive(config, 21);
	cold.inputs.outdoor = 5;
	cold.advance(10_000).reading(18.5);
	equal(cold.on, "compressor+aux+fan");
	const mild = new Drive(config, 21);
	mild.inputs.outdoor = 15;
	mild.advance(10_000).reading(18.5);
	equal(mild.on, "compressor+fan");
	ok(mild.core.why().includes("aux off: aux heat locked out: outdoor 15.0 °C > 10.0 °C"), mild.core.why());
	const unknown = new Drive(config, 21);
	unknown.advance(10_000).reading(18.5);
	equal(unknown.on, "compressor+aux+fan", "an unknown outdoor temperature locks nothing out");
});

test("below-the-compressor-limit-aux-heats-alone", () => {
	const d = new Drive({ ...NO_TIMERS, system: "heat_pump", mode: "heat", heatSetpoint: 21, compressorMinOutdoor: -10, auxMaxOutdoor: 5 }, 20);
	d.inputs.outdoor = -15;
	d.advance(10_000).reading(20);
	equal(d.on, "aux+fan", "the air handler runs with any heat pump heating");
	equal(d.last("aux").reason, "aux on: aux heat alone: compressor locked out, outdoor -15.0 °C < -10.0 °C");
	ok(d.core.why().includes("compressor off: compressor heating locked out: outdoor -15.0 °C < -10.0 °C"), d.core.why());
	equal(d.core.action, "heating");
});

test("ac-compressor-is-locked-out-below-35f-outdoors", () => {
	const d = new Drive({ ...NO_TIMERS, mode: "cool", coolSetpoint: 24 }, 27);
	ok(d.isOn("cool"));
	const cold = new Drive({ ...NO_TIMERS, mode: "cool", coolSetpoint: 24 }, 24);
	cold.inputs.outdoor = 0;
	cold.reading(27);
	equal(cold.on, "");
	ok(cold.core.why().includes("cool off: compressor locked out: outdoor 0.0 °C < 1.7 °C"), cold.core.why());
	cold.inputs.outdoor = 2;
	cold.step();
	ok(cold.isOn("cool"));
});
