// Deadband and overrun with ESPHome's semantics, heat_cool with the minimum differential,
// Celsius and Fahrenheit, and the reason texts. Expected values come from ESPHome's
// thermostat documentation ("Controller Behavior and Hysteresis") and peer-defaults §1.1.
import { test, equal, deepEqual, close, ok } from "test/harness";
import { Drive, NO_TIMERS } from "test/thermostat/drive";
import { resolveConfig, DEFAULTS } from "app/thermostat/config";
import { Settings } from "app/thermostat/settings";

test("heat-follows-the-esphome-docs-example-22c-deadband-0.4-overrun-0.6", () => {
	// docs: set point 22 °C, heat_deadband 0.4, heat_overrun 0.6: heat at 21.6 °C, idle again at 22.6 °C
	const d = new Drive({ ...NO_TIMERS, mode: "heat", heatSetpoint: 22, coolSetpoint: 30, heatDeadband: 0.4, heatOverrun: 0.6 }, 22);
	const seen: string[] = [];
	for (const T of [21.7, 21.6, 22.0, 22.5, 22.59, 22.6, 22.0, 21.7, 21.6]) seen.push(`${T}:${d.reading(T).isOn("heat") ? "on" : "off"}`);
	deepEqual(seen, ["21.7:off", "21.6:on", "22:on", "22.5:on", "22.59:on", "22.6:off", "22:off", "21.7:off", "21.6:on"]);
});

test("cool-follows-the-esphome-docs-example-23c-deadband-0.3-overrun-0.7", () => {
	// docs: upper set point 23 °C, cool_deadband 0.3, cool_overrun 0.7: cool at 23.3 °C, idle at 22.3 °C
	const d = new Drive({ ...NO_TIMERS, mode: "cool", heatSetpoint: 15, coolSetpoint: 23, coolDeadband: 0.3, coolOverrun: 0.7 }, 22);
	const seen: string[] = [];
	for (const T of [23.2, 23.3, 23.0, 22.4, 22.3, 23.0, 23.29, 23.3]) seen.push(`${T}:${d.reading(T).isOn("cool") ? "on" : "off"}`);
	deepEqual(seen, ["23.2:off", "23.3:on", "23:on", "22.4:on", "22.3:off", "23:off", "23.29:off", "23.3:on"]);
});

test("deadband-and-overrun-are-separate-per-direction-in-heat-cool", () => {
	const d = new Drive({ ...NO_TIMERS, mode: "heat_cool", heatSetpoint: 20, coolSetpoint: 25,
		heatDeadband: 0.5, heatOverrun: 1.0, coolDeadband: 1.0, coolOverrun: 0.2 }, 22);
	const seen: string[] = [];
	for (const T of [19.6, 19.5, 20.9, 21.0, 25.9, 26.0, 24.9, 24.8, 22]) seen.push(`${T}:${d.reading(T).on}`);
	// heat: on at ≤ 19.5, off at ≥ 21.0; cool: on at ≥ 26.0, off at ≤ 24.8
	deepEqual(seen, ["19.6:", "19.5:heat", "20.9:heat", "21:", "25.9:", "26:cool+fan", "24.9:cool+fan", "24.8:", "22:"]);
});

test("defaults-are-the-peers-0.5c-hysteresis-differential-and-nest-set-points", () => {
	const t = resolveConfig();
	equal(t.heatDeadband, 0.5, "ESPHome heat_deadband default");
	equal(t.heatOverrun, 0.5);
	equal(t.coolDeadband, 0.5);
	equal(t.coolOverrun, 0.5);
	equal(t.minDifferential, 0.5, "ESPHome set_point_minimum_differential default");
	equal(t.heatSetpoint, 20, "Nest initial heat set point");
	equal(t.coolSetpoint, 24.5, "Nest initial cool set point");
	equal(t.minSetpoint, 7, "Home Assistant min_temp");
	equal(t.maxSetpoint, 35, "Home Assistant max_temp");
	equal(t.mode, "off", "ESPHome default_mode");
	equal(t.minOffMs[2], 300_000, "ecobee compressor minimum off");
	equal(t.minRunMs[2], 300_000);
	equal(t.minIdleMs, 30_000, "ESPHome docs min_idle_time");
	equal(t.frostFloor, 4, "Tasmota frost protection");
	equal(t.staleAfterMs, 300_000, "stale at most 5 min (peer-defaults §11)");
	close(t.coolMinOutdoor, 1.667, 0.001, "ecobee AC compressor minimum outdoor 35 °F");
	equal(DEFAULTS.MIN_OFF_MS, 300_000);
});

test("set-points-keep-the-minimum-differential-as-esphome-validates-them", () => {
	const s = new Settings(resolveConfig({ minDifferential: 1 }));
	deepEqual([s.heat, s.cool], [20, 24.5]);
	s.setSetpoints(24); // the heat set point moves: the cool one is pushed up
	deepEqual([s.heat, s.cool], [24, 25]);
	s.setSetpoints(undefined, 20); // only the cool set point moves: the heat one is pushed down
	deepEqual([s.heat, s.cool], [19, 20]);
	s.setSetpoints(40, 41); // clamped to max_temp 35 with the differential kept
	deepEqual([s.heat, s.cool], [34, 35]);
	s.setSetpoints(-5); // clamped to min_temp 7
	deepEqual([s.heat, s.cool], [7, 35]);
	s.setSetpoints(undefined, 3);
	deepEqual([s.heat, s.cool], [7, 8]);
});

test("heat-cool-goes-from-heating-to-cooling-through-idle-with-the-dead-time", () => {
	const d = new Drive({ ...NO_TIMERS, mode: "heat_cool", heatSetpoint: 20, coolSetpoint: 22, changeoverMs: 300_000 }, 20);
	d.reading(19);
	equal(d.on, "", "the dead time counts from boot too: the device cannot know what ran before");
	d.until("heat", true);
	equal(d.now, 300_000);
	d.advance(60_000).reading(23); // far above the cool threshold at once
	equal(d.on, "", "heating stops, cooling does not start yet");
	ok(/cool held off: changeover dead time 300 s after heating, 300 s left/.test(d.core.why()), d.core.why());
	const waited = d.until("cool", true);
	close(waited, 300_000, 10_000, "cooling starts one dead time after heating ended");
	const heatOff = d.last("heat").t, coolOn = d.last("cool").t;
	ok(coolOn - heatOff >= 300_000);
});

test("fahrenheit-set-points-deadband-and-reasons-convert-at-the-edges", () => {
	const d = new Drive({ ...NO_TIMERS, unit: "F", mode: "heat", heatSetpoint: 68, coolSetpoint: 80, heatDeadband: 1, heatOverrun: 1 }, 20);
	close(d.settings.heat, 20, 1e-9, "68 °F = 20 °C");
	d.reading(19.5); // 67.1 °F
	equal(d.isOn("heat"), false);
	d.reading(19.44); // 66.99 °F ≤ 67 °F
	equal(d.isOn("heat"), true);
	equal(d.last("heat").reason, "heat on: 67.0 °F ≤ 68.0 °F set point - 1.0 °F deadband");
	d.reading(20.5); // 68.9 °F
	equal(d.isOn("heat"), true);
	d.reading(20.56); // 69.01 °F ≥ 69 °F
	equal(d.isOn("heat"), false);
	equal(d.last("heat").reason, "heat off: 69.0 °F ≥ 68.0 °F set point + 1.0 °F overrun");
	d.command((s) => s.setSetpoints(70));
	close(d.settings.heat, 21.111, 0.001, "70 °F");
});

test("reasons-name-the-rule-the-values-and-the-timer", () => {
	const d = new Drive({ mode: "heat", heatSetpoint: 20, coolSetpoint: 25 }, 19.4);
	equal(d.on, "", "the minimum off after boot holds");
	d.advance(90_000);
	ok(d.core.why().includes("heat held off: minimum off 300 s since boot, 210 s left (otherwise on: 19.4 °C ≤ 20.0 °C set point - 0.5 °C deadband)"), d.core.why());
	d.until("heat", true);
	equal(d.now, 300_000);
	equal(d.last("heat").reason, "heat on: 19.4 °C ≤ 20.0 °C set point - 0.5 °C deadband");
	d.advance(60_000).reading(20.6);
	ok(d.core.why().includes("heat held on: minimum run 300 s, 240 s left (otherwise off: 20.6 °C ≥ 20.0 °C set point + 0.5 °C overrun)"), d.core.why());
	d.until("heat", false);
	equal(d.last("heat").reason, "heat off: 20.6 °C ≥ 20.0 °C set point + 0.5 °C overrun");
	const cool = new Drive({ mode: "cool", heatSetpoint: 18, coolSetpoint: 24 }, 26);
	cool.advance(90_000);
	ok(cool.core.why().includes("cool held off: compressor minimum off 300 s since boot, 210 s left"), cool.core.why());
});
