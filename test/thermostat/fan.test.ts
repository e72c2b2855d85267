// The blower: auto (with cooling; with heating for heat pumps), on, circulate N minutes per
// hour (esphome/feature-requests#876, #937), fan_only mode (ESPHome: runs at once, regardless
// of the temperature, without fan_only_cooling).
import { test, equal, ok, close } from "test/harness";
import { Drive, NO_TIMERS } from "test/thermostat/drive";

/** Fan run time (ms) between `from` and `to` from the recorded changes. */
function fanRun(d: Drive, from: number, to: number): number {
	const overlap = (a: number, b: number): number => Math.max(0, Math.min(b, to) - Math.max(a, from));
	let run = 0, since = 0, on = false;
	for (const c of d.changes) {
		if (c.relay !== "fan" && c.relay !== "*") continue;
		const next = c.relay === "fan" ? c.on : false; // "*": a reboot drops every relay
		if (next && !on) since = c.t;
		if (!next && on) run += overlap(since, c.t);
		on = next;
	}
	if (on) run += overlap(since, Infinity);
	return run;
}

test("auto-runs-the-blower-with-the-ac-but-not-with-a-furnace", () => {
	const cool = new Drive({ ...NO_TIMERS, mode: "cool", coolSetpoint: 24 }, 27);
	equal(cool.on, "cool+fan");
	equal(cool.last("fan").reason, "fan on: runs with cooling");
	cool.reading(23);
	equal(cool.on, "");
	equal(cool.last("fan").reason, "fan off: fan auto, no heating or cooling");
	const heat = new Drive({ ...NO_TIMERS, mode: "heat" }, 17);
	equal(heat.on, "heat", "a furnace drives its own blower");
	const withHeat = new Drive({ ...NO_TIMERS, mode: "heat", fanWithHeating: true }, 17);
	equal(withHeat.on, "heat+fan");
});

test("fan-on-runs-continuously-once-the-thermostat-has-decided", () => {
	const d = new Drive({ mode: "off", fanMode: "on" }, 21);
	equal(d.on, "", "the fan too waits its minimum off (30 s) after boot");
	d.advance(30_000);
	equal(d.on, "fan");
	equal(d.last("fan").reason, "fan on: fan mode on");
	d.advance(24 * 3_600_000);
	equal(d.history("fan").length, 1, "never cycled");
});

test("circulate-runs-the-fan-n-minutes-in-every-hour", () => {
	const d = new Drive({ ...NO_TIMERS, mode: "heat", heatSetpoint: 18, fanMode: "circulate", circulateMinutes: 15 }, 21);
	d.advance(4 * 3_600_000);
	for (let h = 0; h < 4; h++) close(fanRun(d, h * 3_600_000, (h + 1) * 3_600_000), 15 * 60_000, 10_000, `hour ${h}`);
	ok(d.changes.some((c) => c.reason === "fan on: circulate 15 min/h, 0 s run this hour"));
	ok(d.changes.some((c) => c.reason === "fan off: circulate 15 min/h done this hour (900 s)"));
});

test("circulate-counts-the-fan-run-with-cooling", () => {
	const d = new Drive({ ...NO_TIMERS, mode: "cool", coolSetpoint: 24, fanMode: "circulate", circulateMinutes: 10 }, 27);
	equal(d.on, "cool+fan");
	d.advance(20 * 60_000).reading(23); // 20 min of cooling with the fan, then satisfied
	equal(d.on, "");
	d.advance(40 * 60_000 - 1000);
	close(fanRun(d, 0, 3_600_000), 20 * 60_000, 10_000, "no extra circulation: 20 min already ran this hour");
	d.advance(60 * 60_000);
	close(fanRun(d, 3_600_000, 7_200_000), 10 * 60_000, 10_000, "next hour: 10 min of circulation");
});

test("fan-only-mode-runs-the-fan-and-nothing-else", () => {
	const d = new Drive({ ...NO_TIMERS, mode: "fan_only" }, 30);
	equal(d.on, "fan");
	equal(d.core.action, "fan");
	equal(d.last("fan").reason, "fan on: mode fan_only");
	d.reading(10);
	equal(d.on, "fan", "no heating or cooling whatever the temperature (above the frost floor)");
	d.command((s) => s.setMode("off"));
	equal(d.on, "");
	equal(d.core.action, "off");
});

test("circulate-respects-the-fan-minimum-run-and-off", () => {
	const d = new Drive({ ...NO_TIMERS, fan: { minRunMs: 120_000, minOffMs: 120_000 }, mode: "off", fanMode: "circulate", circulateMinutes: 1 }, 21);
	d.advance(2 * 3_600_000);
	const on = d.changes.filter((c) => c.relay === "fan" && c.on).map((c) => c.t);
	const off = d.changes.filter((c) => c.relay === "fan" && !c.on).map((c) => c.t);
	for (let i = 0; i < off.length; i++) ok(off[i] - on[i] >= 120_000, `run ${i}: ${off[i] - on[i]} ms`);
	for (let i = 1; i < on.length; i++) ok(on[i] - off[i - 1] >= 120_000, `rest ${i}`);
	equal(on[0], 120_000, "the first start waits the fan minimum off after boot");
});
