// Equipment protection and the fail-safe, rule by rule, on hand-made traces. Figures from
// issue 6 and peer-defaults §1.1/§1.2/§11: compressor minimum off 300 s honoured after a boot,
// minimum run, minimum idle 30 s, max-on watchdog, heat and cool never together, stale at
// most 5 min and NaN -> relays off (esphome#587, #3140), frost floor 4 °C (Tasmota).
import { test, equal, deepEqual, ok, close } from "test/harness";
import { Drive, NO_TIMERS } from "test/thermostat/drive";

test("nothing-runs-before-the-first-valid-reading-after-boot", () => {
	const d = new Drive({ mode: "heat", fanMode: "on" });
	d.advance(3_600_000);
	equal(d.on, "", "no reading for an hour: all off, fan included");
	equal(d.core.started, false);
	equal(d.core.fault, "missing", "no reading long after boot is a fault");
	ok(d.core.why().includes("heat off: waiting for the first valid temperature reading since boot"), d.core.why());
	d.reading(15);
	equal(d.on, "heat+fan", "both start at once: their minimum off since boot has long passed");
});

test("a-reading-before-boot-does-not-count", () => {
	const d = new Drive({ ...NO_TIMERS, mode: "heat" });
	d.inputs.temperature = 15;
	d.inputs.temperatureAt = -1; // sampled before this boot
	d.step();
	equal(d.on, "");
	equal(d.core.started, false);
});

test("minimum-off-after-boot-is-the-full-compressor-minimum-off", () => {
	const d = new Drive({ mode: "cool", coolSetpoint: 24 }, 28);
	equal(d.until("cool", true), 300_000, "a boot counts as a switch-off: 300 s (ecobee) before the compressor starts");
	d.advance(120_000);
	d.reboot(60_000); // a power cut of 60 s while cooling
	equal(d.on, "", "every relay dropped out");
	const waited = d.until("cool", true);
	equal(waited, 300_000, "after the cut, the full 300 s again although it was off 60 s before that");
});

test("minimum-run-keeps-a-relay-on-until-it-has-run-its-minimum", () => {
	const d = new Drive({ mode: "heat", heatSetpoint: 20, heating: { minRunMs: 300_000, minOffMs: 0 }, minIdleMs: 0, changeoverMs: 0 }, 19);
	ok(d.isOn("heat"));
	d.advance(60_000).reading(22);
	ok(d.isOn("heat"), "satisfied after 60 s, held on");
	ok(d.core.why().includes("heat held on: minimum run 300 s, 240 s left"), d.core.why());
	equal(d.until("heat", false), 240_000);
	equal(d.last("heat").reason, "heat off: 22.0 °C ≥ 20.0 °C set point + 0.5 °C overrun", "the off names the decision, not the timer");
});

test("minimum-off-keeps-a-relay-off-between-cycles", () => {
	const d = new Drive({ mode: "heat", heatSetpoint: 20, heating: { minRunMs: 0, minOffMs: 180_000 }, minIdleMs: 0, changeoverMs: 0 }, 19);
	d.until("heat", true);
	d.advance(20_000).reading(21);
	equal(d.isOn("heat"), false);
	d.advance(10_000).reading(19);
	equal(d.isOn("heat"), false, "cold again 10 s after switching off");
	ok(d.core.why().includes("heat held off: minimum off 180 s, 170 s left"), d.core.why());
	equal(d.until("heat", true), 170_000);
});

test("minimum-idle-separates-one-cycle-from-the-next", () => {
	const d = new Drive({ ...NO_TIMERS, mode: "heat", minIdleMs: 30_000 }, 19);
	d.until("heat", true);
	const started = d.now;
	ok(started >= 30_000, "from boot too");
	d.reading(21);
	equal(d.isOn("heat"), false);
	const off = d.now;
	d.reading(19);
	ok(d.core.why().includes("heat held off: minimum idle 30 s, 30 s left"), d.core.why());
	d.until("heat", true);
	equal(d.now - off, 30_000);
});

test("maximum-continuous-run-switches-a-stuck-demand-off-then-minimum-off", () => {
	const d = new Drive({ mode: "heat", heating: { minRunMs: 300_000, minOffMs: 300_000, maxRunMs: 3_600_000 } }, 10);
	d.until("heat", true);
	const on = d.now;
	d.until("heat", false);
	equal(d.now - on, 3_600_000);
	equal(d.last("heat").reason, "heat off: maximum continuous run 1 h reached");
	equal(d.until("heat", true), 300_000, "then the minimum off, then on again (still cold)");
});

test("default-watchdog-is-4-hours-for-heating-and-cooling-and-none-for-the-fan", () => {
	const d = new Drive({ mode: "heat", fanMode: "on" }, 10);
	d.until("heat", true);
	const on = d.now;
	d.until("heat", false, 5 * 3_600_000);
	equal(d.now - on, 4 * 3_600_000);
	ok(d.isOn("fan"), "the fan in mode on is never cut by a watchdog");
	equal(d.history("fan").length, 1);
});

test("stale-temperature-turns-heating-off-within-one-tick-even-during-minimum-run", () => {
	const d = new Drive({ mode: "heat", heating: { minRunMs: 900_000, minOffMs: 0 }, staleAfterMs: 60_000, changeoverMs: 0, minIdleMs: 0 }, 18);
	ok(d.isOn("heat"));
	const lastSample = d.now;
	d.silence();
	d.until("heat", false);
	ok(d.now - lastSample > 60_000 && d.now - lastSample <= 70_000, `off ${d.now - lastSample} ms after the last reading`);
	equal(d.last("heat").reason, "heat off: temperature stale: no valid reading for 70 s > 60 s");
	equal(d.core.fault, "stale");
	d.reading(18);
	equal(d.core.fault, "");
	ok(d.isOn("heat"), "back on with a fresh reading (minimum off 0 here)");
});

test("implausible-temperature-turns-cooling-off-at-once", () => {
	const d = new Drive({ mode: "cool", coolSetpoint: 24, cooling: { minRunMs: 600_000, minOffMs: 0 }, minIdleMs: 0, changeoverMs: 0 }, 27);
	ok(d.isOn("cool"));
	d.advance(5_000).reading(-55); // a shorted thermistor
	equal(d.on, "", "compressor and its fan off in the same step");
	equal(d.last("cool").reason, "cool off: temperature implausible: -55.0 °C outside -30.0 °C..60.0 °C");
	equal(d.core.fault, "implausible");
	d.reading(125);
	equal(d.on, "");
	equal(d.core.fault, "implausible");
});

test("a-nan-reading-turns-heating-off-at-once", () => {
	const d = new Drive({ mode: "heat", heating: { minRunMs: 600_000, minOffMs: 0 }, minIdleMs: 0, changeoverMs: 0 }, 18);
	ok(d.isOn("heat"));
	d.advance(5_000).reading(NaN);
	equal(d.on, "");
	equal(d.last("heat").reason, "heat off: no valid temperature reading");
	equal(d.core.fault, "missing");
});

test("heat-and-cool-are-never-on-together-whatever-the-set-points", () => {
	// overlapping bands (cool overrun reaching below the heat threshold): ESPHome would stop both
	const d = new Drive({ ...NO_TIMERS, mode: "heat_cool", heatSetpoint: 20, coolSetpoint: 20.5, coolDeadband: 0, coolOverrun: 3, heatDeadband: 0 }, 21);
	ok(d.isOn("cool"));
	d.reading(19.9); // cooling would continue (≥ 17.5) and heating is required (≤ 20)
	equal(d.isOn("heat") && d.isOn("cool"), false);
	equal(d.on, "");
	ok(d.core.why().includes("heating and cooling never together"), d.core.why());
});

test("frost-floor-heats-when-off-and-stops-at-floor-plus-deadband-plus-overrun", () => {
	const d = new Drive({ mode: "off", heating: { minRunMs: 0, minOffMs: 0 }, minIdleMs: 0, changeoverMs: 0 }, 6);
	equal(d.on, "");
	d.advance(10_000).reading(4.1);
	equal(d.on, "");
	d.reading(4.0);
	ok(d.isOn("heat"));
	equal(d.last("heat").reason, "heat on: frost protection: 4.0 °C ≤ 4.0 °C floor");
	equal(d.core.action, "heating");
	d.reading(4.9);
	ok(d.isOn("heat"), "until 4 + 0.5 deadband + 0.5 overrun");
	d.reading(5.0);
	equal(d.isOn("heat"), false);
	equal(d.core.action, "off");
});

test("frost-floor-needs-a-valid-reading-and-can-be-disabled", () => {
	const stale = new Drive({ mode: "off", staleAfterMs: 60_000 }, 2);
	stale.until("heat", true);
	stale.silence();
	stale.until("heat", false);
	equal(stale.last("heat").reason.startsWith("heat off: temperature stale"), true, "no reading, no frost heating");
	const disabled = new Drive({ mode: "off", frostFloor: null }, 0);
	disabled.advance(3_600_000);
	equal(disabled.on, "");
});

test("frost-floor-heats-during-an-equipment-fault-but-nothing-else-runs", () => {
	const d = new Drive({ mode: "cool", coolSetpoint: 24, ...NO_TIMERS }, 27);
	ok(d.isOn("cool"));
	d.inputs.fault = true;
	d.step();
	equal(d.on, "", "cooling off at once");
	equal(d.last("cool").reason, "cool off: equipment fault");
	d.reading(3);
	equal(d.on, "heat", "frost floor still heats");
	d.reading(30);
	equal(d.on, "", "no cooling while faulted");
});

test("fan-and-relays-stay-off-while-the-device-waits-for-the-minimum-off-after-a-power-cut", () => {
	const d = new Drive({ mode: "heat_cool", fanMode: "on", heatSetpoint: 20, coolSetpoint: 24 }, 18);
	d.until("heat", true);
	deepEqual(d.on, "heat+fan");
	d.reboot(0);
	d.reading(18);
	equal(d.isOn("heat"), false, "minimum off after boot");
	d.advance(30_000);
	equal(d.on, "fan", "the fan has its own minimum off (30 s)");
	close(d.until("heat", true), 270_000, 0);
});
