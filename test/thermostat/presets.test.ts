// Presets (Home Assistant's home, away, sleep, eco, boost, comfort, activity) with their own
// set points, manual set points, restoring saved settings after a reboot (ESPHome
// on_boot_restore_from: memory), and the schedule's hooks (a preset resolver, a set point
// provider). Home's defaults are Nest's install set points (peer-defaults §1.1).
import { test, equal, deepEqual, throws, ok, close } from "test/harness";
import { resolveConfig, PRESETS } from "app/thermostat/config";
import { Settings } from "app/thermostat/settings";
import { Drive, NO_TIMERS } from "test/thermostat/drive";

test("every-home-assistant-preset-exists-with-its-own-set-points", () => {
	deepEqual([...PRESETS], ["none", "home", "away", "sleep", "eco", "boost", "comfort", "activity"]);
	const s = new Settings(resolveConfig());
	s.setPreset("home");
	deepEqual([s.heat, s.cool], [20, 24.5], "Nest's install set points");
	const seen = new Set<string>();
	for (const p of PRESETS) {
		if (p === "none") continue;
		s.setPreset(p);
		ok(s.cool - s.heat >= 0.5, `${p} keeps the differential`);
		seen.add(`${s.heat}/${s.cool}`);
	}
	equal(seen.size, 7, "seven distinct pairs");
});

test("a-preset-drives-the-control-with-its-set-points", () => {
	const d = new Drive({ ...NO_TIMERS, mode: "heat", presets: { away: { heat: 15, cool: 30 } } }, 18);
	ok(d.isOn("heat"), "manual 20 °C");
	d.command((s) => s.setPreset("away"));
	equal(d.isOn("heat"), false, "away: 15 °C");
	equal(d.last("heat").reason, "heat off: 18.0 °C ≥ 15.0 °C set point + 0.5 °C overrun");
	d.command((s) => s.setPreset("none"));
	ok(d.isOn("heat"), "back to the manual set points");
});

test("changing-set-points-under-a-preset-changes-that-preset-only", () => {
	const s = new Settings(resolveConfig());
	s.setPreset("sleep");
	s.setSetpoints(17.5);
	equal(s.heat, 17.5);
	s.setPreset("none");
	equal(s.heat, 20, "manual set points untouched");
	s.setPreset("sleep");
	equal(s.heat, 17.5);
	s.setPresetSetpoints("eco", 12, 30);
	const into = { heat: NaN, cool: NaN };
	s.presetSetpoints("eco", into);
	deepEqual(into, { heat: 12, cool: 30 }, "the schedule's resolver reads a preset without selecting it");
	equal(s.preset, "sleep");
});

test("configured-presets-are-validated-and-in-the-configured-unit", () => {
	throws(() => resolveConfig({ presets: { away: { heat: 25, cool: 20 } } }), RangeError, /presets\.away/);
	throws(() => resolveConfig({ presets: { holiday: { heat: 15, cool: 30 } } as never }), RangeError, /presets\.holiday/);
	const t = resolveConfig({ unit: "F", presets: { away: { heat: 59, cool: 86 } } });
	close(t.presets.away.heat, 15, 1e-9);
	close(t.presets.away.cool, 30, 1e-9);
	const wide = resolveConfig({ minDifferential: 2 });
	ok(wide.presets.boost.cool - wide.presets.boost.heat >= 2, "default presets are widened to a larger differential");
});

test("bad-commands-throw-and-change-nothing", () => {
	const s = new Settings(resolveConfig());
	throws(() => s.setMode("auto" as never), RangeError, /mode/);
	throws(() => s.setPreset("vacation" as never), RangeError, /preset/);
	throws(() => s.setFanMode("high" as never), RangeError, /fan mode/);
	throws(() => s.setFanMode("circulate", 61), RangeError, /circulate/);
	throws(() => s.setSetpoints(NaN), RangeError, /heat set point/);
	deepEqual([s.mode, s.preset, s.fanMode, s.heat, s.cool], ["off", "none", "auto", 20, 24.5]);
});

test("settings-survive-a-reboot-and-damaged-values-are-ignored", () => {
	const tuning = resolveConfig();
	const a = new Settings(tuning);
	a.setMode("heat_cool");
	a.setFanMode("circulate", 20);
	a.setPreset("comfort");
	a.setSetpoints(21.5, 23.5);
	const saved = JSON.parse(JSON.stringify(a.saved()));
	const b = new Settings(tuning, saved);
	deepEqual([b.mode, b.fanMode, b.circulateMinutes, b.preset, b.heat, b.cool], ["heat_cool", "circulate", 20, "comfort", 21.5, 23.5]);
	const c = new Settings(tuning, { ...saved, mode: "auto", preset: "vacation", heat: 30, cool: 10 });
	deepEqual([c.mode, c.preset, c.heat, c.cool], ["off", "none", 20, 24.5], "invalid saved values fall back to the configuration");
});

test("heat-cool-differential-applies-to-preset-set-points-too", () => {
	const s = new Settings(resolveConfig({ minDifferential: 1 }));
	s.setPreset("boost");
	s.setSetpoints(undefined, 20);
	deepEqual([s.heat, s.cool], [19, 20]);
});
