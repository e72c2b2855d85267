/*
 * Smart recovery: the start is computed from the learned model and the conditions now, never
 * before the model says it is needed, capped at 3 h, and cancelled when the schedule, the mode
 * or the wall time no longer allows it; the correction factor learns from observed recoveries
 * and persists. On synthetic mornings (a two-mass house and a first-order house made here, with
 * weather, a lagging noisy sensor and a hysteresis thermostat with minimum run and off times)
 * the scheduled set point is reached between 20 minutes early and 10 minutes late.
 */
import { test, ok, equal, close, deepEqual, throws } from "test/harness";
import { WallClock, type WallSource } from "app/thermostat/clock";
import { Schedule, ScheduleRunner, type ScheduleData, type SetpointTarget } from "app/thermostat/schedule";
import { ThermalModel, ThermalState } from "app/thermostat/learning";
import { SmartRecovery, RECOVERY_DEFAULTS, type RecoveryChange, type RecoveryOptions, type Mode } from "app/thermostat/recovery";
import { collecting, gc, memory } from "xshost";

const { DRIFT, HEAT, HEAT2, COOL } = ThermalState;
const MINUTE = 60_000, HOUR = 3_600_000, DAY = 86_400_000;
/** 2026-01-18T00:00:00Z, a Sunday; the device's zone is UTC. */
const SUNDAY = Date.UTC(2026, 0, 18);

class FakeWall implements WallSource {
	ms = SUNDAY;
	offset = 0;
	now(): number {
		return this.ms;
	}
	offsetSeconds(): number {
		return this.offset;
	}
	set(seconds: number): void {
		this.ms = seconds * 1000;
	}
}

const DAILY = (day: { time: string; heat: number; cool: number }[]): ScheduleData =>
	Object.fromEntries(["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((d) => [d, day]));
/** 20 °C from 06:30, 17 °C from 22:30 (cooling: 24 °C from 17:00, 28 °C from 08:00). */
const WINTER = DAILY([{ time: "06:30", heat: 20, cool: 26 }, { time: "22:30", heat: 17, cool: 28 }]);
const SUMMER = DAILY([{ time: "08:00", heat: 16, cool: 28 }, { time: "17:00", heat: 16, cool: 24 }]);

function noPresets(): never {
	throw new Error("no presets in these schedules");
}

interface Rig {
	wall: FakeWall;
	runner: ScheduleRunner;
	model: ThermalModel;
	recovery: SmartRecovery;
	events: RecoveryChange[];
	into: SetpointTarget;
}

function rig(data: ScheduleData = WINTER, model = new ThermalModel(), options: RecoveryOptions = {}): Rig {
	const wall = new FakeWall();
	const clock = new WallClock(wall);
	const runner = new ScheduleRunner(Schedule.parse(data), clock, noPresets);
	const events: RecoveryChange[] = [];
	const recovery = new SmartRecovery(runner, model, clock, options, (c) => events.push({ ...c }));
	return { wall, runner, model, recovery, events, into: { heat: NaN, cool: NaN } };
}

/** A model taught here from observations of dT/dt = a + b (Tout − T) + c (L − T), per state. */
function taught(heat: [number, number, number], drift: [number, number, number] = [0.2, 0.08, 0.5], cool?: [number, number, number]): ThermalModel {
	const model = new ThermalModel({ priorSpread: 1e-6 });
	for (let i = 0; i < 400; i++) {
		const x = -25 + (i % 23), z = ((i * 7) % 5) - 2;
		model.learn(DRIFT, x, z, drift[0] + drift[1] * x + drift[2] * z, 0.25);
		model.learn(HEAT, x, z, heat[0] + heat[1] * x + heat[2] * z, 0.25);
		if (cool) model.learn(COOL, x + 30, z, cool[0] + cool[1] * (x + 30) + cool[2] * z, 0.25);
	}
	return model;
}

// ---------------------------------------------------------------- logic, with taught models

test("no-early-start-without-a-learned-model", () => {
	const { wall, recovery, into, events } = rig();
	for (let m = 0; m < 2 * 24 * 60; m++) {
		wall.ms = SUNDAY + m * MINUTE;
		recovery.conditions(16, 0, "heat");
		ok(recovery.setpoints(m * MINUTE, into));
		equal(recovery.active, false);
	}
	deepEqual(events, []);
	ok(Number.isNaN(recovery.plannedAt));
});

test("starts-when-the-predicted-lead-is-reached-and-not-before", () => {
	const model = taught([4, 0.08, 0.5]);
	const { wall, recovery, into, events } = rig(WINTER, model);
	const scheduled = SUNDAY + DAY + 6.5 * HOUR; // Monday 06:30
	const lead = model.hoursTo(HEAT, 17, 20, 0, 17) * HOUR + RECOVERY_DEFAULTS.aimEarlyMs;
	ok(lead > 30 * MINUTE && lead < 2 * HOUR, `lead ${lead / MINUTE} min`);
	let started = NaN;
	for (let t = scheduled - 4 * HOUR; t < scheduled + HOUR; t += 30_000) {
		wall.ms = t;
		recovery.conditions(17, 0, "heat");
		recovery.setpoints(t, into);
		if (t < scheduled - lead) {
			equal(recovery.active, false, "not before the lead");
			equal(into.heat, 17);
			close(recovery.plannedAt, scheduled - lead, 1);
		} else if (t < scheduled) {
			ok(recovery.active, "from the lead to the entry's time");
			equal(into.heat, 20, "the next entry's set points");
			if (started !== started) started = t;
		} else {
			equal(recovery.active, false, "the schedule itself supplies them now");
			equal(into.heat, 20);
		}
	}
	ok(started - (scheduled - lead) < 30_000, "started at the first tick after the planned time");
	equal(events.length, 1);
	equal(events[0].event, "start");
	equal(events[0].direction, "heat");
	equal(events[0].target, 20);
	equal(events[0].scheduledAt, scheduled);
	close(events[0].leadMs, lead, 1);
});

test("lead-is-capped-at-three-hours", () => {
	const { wall, recovery, into, events } = rig(WINTER, taught([0.9, 0.08, 0.5])); // barely heats: over 3 h
	const scheduled = SUNDAY + DAY + 6.5 * HOUR;
	wall.ms = scheduled - 4 * HOUR;
	recovery.conditions(15, -5, "heat");
	recovery.setpoints(0, into);
	equal(recovery.plannedAt, scheduled - 3 * HOUR);
	wall.ms = scheduled - 3 * HOUR - 1;
	recovery.setpoints(0, into);
	equal(recovery.active, false);
	wall.ms = scheduled - 3 * HOUR;
	recovery.setpoints(0, into);
	ok(recovery.active);
	equal(events[0].leadMs, 3 * HOUR);
});

test("only-a-more-demanding-next-entry-and-a-mode-that-allows-it", () => {
	const model = taught([4, 0.08, 0.5], [0.2, 0.08, 0.5], [-4, 0.08, 0.5]);
	const check = (data: ScheduleData, mode: Mode, indoor: number, outdoor: number, expect: boolean, why: string): void => {
		const { wall, recovery, into } = rig(data, model);
		let active = false;
		for (let t = SUNDAY + DAY; t < SUNDAY + 2 * DAY; t += MINUTE) {
			wall.ms = t;
			recovery.conditions(indoor, outdoor, mode);
			recovery.setpoints(0, into);
			active ||= recovery.active;
		}
		equal(active, expect, why);
	};
	check(WINTER, "heat", 17, 0, true, "heat: 17 → 20");
	check(WINTER, "heat_cool", 17, 0, true, "heat_cool heats");
	check(WINTER, "cool", 17, 0, false, "cool mode does not pre-heat");
	check(WINTER, "off", 17, 0, false, "off");
	check(WINTER, "heat", 20.5, 0, false, "already at the next set point");
	check(DAILY([{ time: "06:30", heat: 20, cool: 26 }, { time: "08:00", heat: 19.8, cool: 26 }]), "heat", 19, 0, false, "a step under 0.5 °C");
	check(SUMMER, "cool", 28, 32, true, "cool: 28 → 24");
	check(SUMMER, "heat", 28, 32, false, "heat mode does not pre-cool");
	check(SUMMER, "cool", 23.5, 32, false, "already cooler than the next set point");
});

test("cancelled-by-a-hold-a-mode-change-or-an-unknown-time", () => {
	const model = taught([4, 0.08, 0.5]);
	const scheduled = SUNDAY + DAY + 6.5 * HOUR;
	const start = (): Rig => {
		const r = rig(WINTER, model);
		r.wall.ms = scheduled - 20 * MINUTE;
		r.recovery.conditions(17, 0, "heat");
		r.recovery.setpoints(0, r.into);
		ok(r.recovery.active);
		return r;
	};
	let r = start();
	r.runner.holdUntilNext();
	ok(!r.recovery.setpoints(0, r.into), "a hold: the thermostat's own set points");
	equal(r.recovery.active, false);
	equal(r.events[r.events.length - 1].event, "cancel");
	r = start();
	r.recovery.conditions(17, 0, "off");
	r.recovery.setpoints(0, r.into);
	equal(r.recovery.active, false);
	equal(r.events[r.events.length - 1].event, "cancel");
	r = start();
	r.wall.ms = 5 * HOUR; // the clock lost (a reboot would do this; here the clock is set back)
	ok(r.recovery.setpoints(0, r.into), "time_unknown holds the last set points");
	equal(r.into.heat, 17, "the schedule's own last set points, not the recovery's");
	equal(r.recovery.active, false);
	r = start();
	r.runner.setSchedule(Schedule.parse(DAILY([{ time: "09:00", heat: 20, cool: 26 }, { time: "22:30", heat: 17, cool: 28 }])));
	r.recovery.setpoints(0, r.into);
	equal(r.events[r.events.length - 1].event, "cancel", "a new schedule");
});

test("factor-learns-from-observed-durations-and-persists", () => {
	const model = taught([4, 0.08, 0.5]);
	const { wall, recovery, into, events } = rig(WINTER, model);
	const scheduled = SUNDAY + DAY + 6.5 * HOUR;
	let indoor = 17;
	for (let t = scheduled - 3 * HOUR; t < scheduled + HOUR; t += MINUTE) {
		wall.ms = t;
		if (into.heat === 20 && indoor < 20.5) indoor += 1.2 / 60; // the house heats at 1.2 °C/h, slower than the model says
		recovery.conditions(indoor, 0, "heat");
		recovery.setpoints(0, into);
	}
	const reached = events.find((e) => e.event === "reached")!;
	ok(reached, "reached");
	ok(reached.lateMs > 10 * MINUTE, `late ${reached.lateMs / MINUTE} min`);
	const ratio = (reached.reachedAt - reached.startedAt) / reached.predictedMs;
	close(recovery.factor("heat"), 1 + RECOVERY_DEFAULTS.factorGain * (ratio - 1), 1e-9);
	equal(recovery.factor("cool"), 1);
	close(recovery.timeToTemperature(17, 20, 0), model.hoursTo(HEAT, 17, 20, 0) * HOUR * recovery.factor("heat"), 1);
	// persisted
	const saved = JSON.stringify(recovery);
	const other = rig(WINTER, model).recovery;
	other.restore(saved);
	close(other.factor("heat"), recovery.factor("heat"), 1e-4);
	throws(() => other.restore("{"), RangeError, /recovery data/);
	throws(() => other.restore({ v: 1, heat: 99, cool: 1 }), RangeError, /recovery data/);
	throws(() => other.restore({ v: 2, heat: 1, cool: 1 }), RangeError, /recovery data/);
	throws(() => new SmartRecovery(rig().runner, model, new WallClock(new FakeWall()), { maxLeadMs: -1 }), RangeError, /maxLeadMs/);
});

test("a-missed-recovery-grows-the-factor", () => {
	const model = taught([4, 0.08, 0.5]);
	const { wall, recovery, into, events } = rig(WINTER, model);
	const scheduled = SUNDAY + DAY + 6.5 * HOUR;
	for (let t = scheduled - 3 * HOUR; t <= scheduled + 2 * HOUR; t += MINUTE) {
		wall.ms = t;
		recovery.conditions(17, 0, "heat"); // the heating is broken: nothing moves
		recovery.setpoints(0, into);
	}
	equal(events[events.length - 1].event, "missed");
	const missed = events[events.length - 1];
	const ratio = (missed.scheduledAt + RECOVERY_DEFAULTS.missAfterMs - missed.startedAt) / missed.predictedMs;
	close(recovery.factor("heat"), 1 + RECOVERY_DEFAULTS.factorGain * (ratio - 1), 1e-9, "at least this long: the factor grows");
	ok(recovery.factor("heat") > 1.2, `factor ${recovery.factor("heat")}`);
});

test("no-allocation-per-tick", () => {
	const model = taught([4, 0.08, 0.5]);
	const r = rig(WINTER, model);
	const recovery2 = new SmartRecovery(r.runner, model, new WallClock(r.wall)); // no listener
	let t = SUNDAY;
	let indoor = 17;
	const ticks = (n: number): void => {
		for (let i = 0; i < n; i++) {
			t += 30_000;
			r.wall.ms = t;
			indoor = recovery2.active ? indoor + 0.02 : indoor > 17 ? indoor - 0.01 : indoor;
			recovery2.conditions(indoor, 0, "heat");
			recovery2.setpoints(t, r.into);
		}
	};
	ticks(2 * 2880);
	const growth = (n: number): number => {
		gc();
		collecting(false);
		const before = memory();
		ticks(n);
		const after = memory();
		collecting(true);
		return after.chunksUsed + after.slotsUsed - before.chunksUsed - before.slotsUsed;
	};
	growth(0);
	const baseline = growth(0);
	equal(growth(3 * 2880), baseline, "three days of 30 s ticks, recoveries included, allocate nothing");
});

// ---------------------------------------------------------------- synthetic mornings

/** mulberry32 with Box-Muller. */
class Prng {
	#s: number;
	constructor(seed: number) {
		this.#s = seed >>> 0;
	}
	next(): number {
		let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	gaussian(sigma: number): number {
		const u = 1 - this.next(), v = this.next();
		return sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}
}

interface HouseSpec {
	ca: number; cs: number; hao: number; has: number; hso: number; heat: number; heatSlope: number; aux: number; cool: number; gains: number; lag: number;
}

/** Air and structure (has = 0: a first-order house); heat pump output falls with the outdoor temperature. */
class SynthHouse {
	ta: number;
	ts: number;
	sensor: number;
	constructor(readonly p: HouseSpec, t: number) {
		this.ta = this.ts = this.sensor = t;
	}
	step(dt: number, heat: boolean, cool: boolean, to: number, aux = false): void {
		const p = this.p;
		const q = (heat ? p.heat * Math.min(1.25, Math.max(0.25, 1 + p.heatSlope * (to - 8.3))) + (aux ? p.aux : 0) : 0)
			- (cool ? p.cool * Math.min(1.2, Math.max(0.6, 1 + 0.01 * (35 - to))) : 0);
		const dta = (p.hao * (to - this.ta) + p.has * (this.ts - this.ta) + p.gains + q) / p.ca;
		const dts = (p.has * (this.ta - this.ts) + p.hso * (to - this.ts)) / p.cs;
		this.ta += dt * dta;
		this.ts += dt * dts;
		this.sensor += (this.ta - this.sensor) * (1 - Math.exp(-dt / p.lag));
	}
}

const TWO_MASS: HouseSpec = { ca: 3.6e6, cs: 15e6, hao: 75, has: 600, hso: 60, heat: 7_000, heatSlope: 0.025, aux: 5_000, cool: 5_300, gains: 250, lag: 120 };
const FIRST_ORDER: HouseSpec = { ca: 12e6, cs: 1e6, hao: 180, has: 0, hso: 0, heat: 10_000, heatSlope: 0.025, aux: 5_000, cool: 7_000, gains: 300, lag: 120 };

/** Outdoor: a daily cycle (coldest at 03:00) around a mean that wanders (σ 3 K, 2 days) with fronts. */
class Weather {
	readonly #prng: Prng;
	#wander = 0;
	constructor(readonly mean: number, readonly amplitude: number, seed: number) {
		this.#prng = new Prng(seed);
	}
	at(hours: number, dtS: number): number {
		const a = dtS / (48 * 3600);
		this.#wander += -a * this.#wander + 3 * Math.sqrt(2 * a) * this.#prng.gaussian(1);
		return this.mean + this.amplitude * Math.sin(2 * Math.PI * (hours - 9) / 24) + this.#wander;
	}
}

/**
 * Hysteresis (deadband 0.5, overrun 0.5) with 5 min minimum run and off; with `stage2`, the
 * second stage joins after 10 min of heating or 2 °C below the set point, until heating ends
 * (ESPHome's supplemental heating, the controller's defaults).
 */
class Hysteresis {
	on = false;
	stage2 = false;
	#changed = -Infinity;
	constructor(readonly staged = false) {}
	decide(t: number, reading: number, setpoint: number, cooling: boolean): boolean {
		if (this.staged && this.on && !cooling && (t - this.#changed >= 600 || setpoint - reading >= 2)) this.stage2 = true;
		if (t - this.#changed < 300) return this.on;
		const want = cooling
			? (this.on ? reading > setpoint - 0.5 : reading >= setpoint + 0.5)
			: (this.on ? reading < setpoint + 0.5 : reading <= setpoint - 0.5);
		if (want !== this.on) {
			this.on = want;
			this.#changed = t;
			this.stage2 = want && !cooling && this.staged && setpoint - reading >= 2;
		}
		return this.on;
	}
}

interface Morning {
	day: number;
	leadMin: number;
	lateMin: number;
	outdoor: number;
}

/**
 * Days of a thermostat with the schedule, the model learning and smart recovery supplying the
 * set points; returns each recovery's outcome from day `scoreFrom` on.
 */
function mornings(spec: HouseSpec, data: ScheduleData, mode: Mode, weather: Weather, seed: number, days: number, scoreFrom: number, staged = false): { mornings: Morning[]; rig: Rig } {
	const r = rig(data, new ThermalModel(), staged ? { stage2AfterMs: 600_000, stage2Delta: 2 } : {});
	const cooling = mode === "cool";
	const house = new SynthHouse(spec, cooling ? 26 : 18);
	const prng = new Prng(seed);
	const control = new Hysteresis(staged);
	const STEP = 10;
	let on = false;
	for (let i = 0; i < days * 8640; i++) {
		const t = i * STEP;
		r.wall.ms = SUNDAY + t * 1000;
		const to = weather.at(t / 3600, STEP);
		if (i % 3 === 0) {
			const reading = Math.round((house.sensor + prng.gaussian(0.02)) * 100) / 100;
			r.recovery.conditions(reading, to, mode);
			r.recovery.setpoints(t * 1000, r.into);
			on = control.decide(t, reading, cooling ? r.into.cool : r.into.heat, cooling);
			r.model.observe(t * 1000, reading, to, on ? (cooling ? COOL : control.stage2 ? HEAT2 : HEAT) : DRIFT);
		}
		house.step(STEP, on && !cooling, on && cooling, to, control.stage2);
	}
	const out: Morning[] = [];
	let start: RecoveryChange | undefined;
	for (const e of r.events) {
		if (e.event === "start") start = e;
		else if (start && (e.event === "reached" || e.event === "missed") && e.scheduledAt >= SUNDAY + scoreFrom * DAY) {
			out.push({ day: Math.floor((e.scheduledAt - SUNDAY) / DAY), leadMin: (e.scheduledAt - start.startedAt) / MINUTE, lateMin: e.event === "reached" ? e.lateMs / MINUTE : Infinity, outdoor: NaN });
			start = undefined;
		}
	}
	return { mornings: out, rig: r };
}

function report(name: string, list: Morning[], r: Rig, direction: "heat" | "cool"): number {
	const within = list.filter((m) => m.lateMin >= -20 && m.lateMin <= 10).length;
	trace(`${JSON.stringify({
		figures: name, mornings: list.length, within, factor: Math.round(r.recovery.factor(direction) * 1000) / 1000,
		late: list.map((m) => Math.round(m.lateMin * 10) / 10), lead: list.map((m) => Math.round(m.leadMin)),
	})}\n`);
	return within / list.length;
}

test("two-mass-winter-mornings-reached-20-min-early-to-10-min-late", () => {
	const { mornings: list, rig: r } = mornings(TWO_MASS, WINTER, "heat", new Weather(2, 4, 101), 102, 17, 3);
	ok(list.length >= 13, `${list.length} mornings`);
	const share = report("recovery.two-mass.winter", list, r, "heat");
	ok(share >= 0.9, `${Math.round(share * 100)} % of mornings within −20 … +10 min`);
	for (const m of list) ok(m.leadMin <= 180, "lead capped at 3 h");
});

test("first-order-winter-mornings-reached-20-min-early-to-10-min-late", () => {
	const { mornings: list, rig: r } = mornings(FIRST_ORDER, WINTER, "heat", new Weather(5, 4, 201), 202, 17, 3);
	ok(list.length >= 13, `${list.length} mornings`);
	const share = report("recovery.first-order.winter", list, r, "heat");
	ok(share >= 0.9, `${Math.round(share * 100)} % of mornings within −20 … +10 min`);
});

test("two-mass-cold-mornings-with-aux-heat-reached-20-min-early-to-10-min-late", () => {
	// colder weather (down to −14 °C): the heat pump alone would need more than the 3 h cap; the
	// second stage joins as the controller's would, and the prediction knows it
	const { mornings: list, rig: r } = mornings(TWO_MASS, WINTER, "heat", new Weather(-2, 5, 401), 402, 17, 3, true);
	ok(list.length >= 13, `${list.length} mornings`);
	const share = report("recovery.two-mass.cold.aux", list, r, "heat");
	ok(share >= 0.9, `${Math.round(share * 100)} % of mornings within −20 … +10 min`);
});

test("two-mass-summer-evenings-precooled-20-min-early-to-10-min-late", () => {
	const { mornings: list, rig: r } = mornings(TWO_MASS, SUMMER, "cool", new Weather(29, 5, 301), 302, 17, 3);
	ok(list.length >= 13, `${list.length} evenings`);
	const share = report("recovery.two-mass.summer", list, r, "cool");
	ok(share >= 0.9, `${Math.round(share * 100)} % of evenings within −20 … +10 min`);
});
