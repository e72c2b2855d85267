// @host --start 2026-01-15T06:00:00Z
/*
 * The weekly schedule and the wall clock: validation (typed RangeError), the normalised JSON,
 * transitions at the right local times across midnight and the week's end with fixed offsets
 * (Time.timezone + Time.dst, no DST rules), time_unknown until the wall time is set (1970 after
 * a power cut) holding the last set points, holds until the next entry, change callbacks, and
 * no allocation per tick.
 */
import { test, ok, equal, close, deepEqual, throws } from "test/harness";
import Time from "time";
import { WallClock, KNOWN_AFTER_MS, minuteOfWeek, deviceWall, type WallSource } from "app/thermostat/clock";
import { Schedule, ScheduleRunner, type ScheduleChange, type ScheduleData, type PresetResolver, type SetpointTarget } from "app/thermostat/schedule";
import { collecting, gc, memory } from "xshost";

const MINUTE = 60_000, HOUR = 3_600_000, DAY = 86_400_000;
/** 2026-01-18T00:00:00Z, a Sunday. */
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

/** The thermostat's default preset set points (app/thermostat/config PRESET_DEFAULTS). */
const PRESET_DEFAULTS = {
	home: { heat: 20, cool: 24.5 }, away: { heat: 16, cool: 28 }, sleep: { heat: 18, cool: 26 }, eco: { heat: 15, cool: 29 },
	boost: { heat: 23, cool: 23.5 }, comfort: { heat: 21, cool: 24 }, activity: { heat: 19, cool: 23 },
} as const;

const resolve: PresetResolver = (preset, into) => {
	into.heat = PRESET_DEFAULTS[preset].heat;
	into.cool = PRESET_DEFAULTS[preset].cool;
};

const WEEK: ScheduleData = {
	mon: [{ time: "22:30", preset: "sleep" }, { time: "06:30", preset: "home" }, { time: "08:30", preset: "away" }, { time: "17:30", preset: "home" }],
	tue: [{ time: "06:30", preset: "home" }, { time: "22:30", preset: "sleep" }],
	sat: [{ time: "08:00", heat: 21, cool: 25 }, { time: "23:00", preset: "sleep" }],
	sun: [{ time: "07:00", preset: "comfort" }],
};

function runner(data: ScheduleData = WEEK, wall = new FakeWall(), changes?: ScheduleChange[]): { wall: FakeWall; run: ScheduleRunner; into: SetpointTarget } {
	const run = new ScheduleRunner(Schedule.parse(data), new WallClock(wall), resolve, changes ? (c) => changes.push({ ...c }) : undefined);
	return { wall, run, into: { heat: NaN, cool: NaN } };
}

test("clock-known-from-2024-and-set-refuses-earlier-times", () => {
	const wall = new FakeWall();
	const clock = new WallClock(wall);
	ok(clock.known);
	wall.ms = 0; // a power cut without network time: the ESP32 starts at 1970
	ok(!clock.known);
	wall.ms = KNOWN_AFTER_MS - 1;
	ok(!clock.known);
	clock.set(KNOWN_AFTER_MS / 1000);
	ok(clock.known);
	equal(wall.ms, KNOWN_AFTER_MS);
	throws(() => clock.set(1_000_000), RangeError, /before 2024/);
	throws(() => clock.set(NaN), RangeError);
});

test("device-clock-follows-time-set-timezone-and-dst", () => {
	const clock = new WallClock();
	ok(clock.known, "the simulator's start is a set wall time");
	close(clock.now(), Date.now(), 5);
	Time.set(0);
	ok(!clock.known, "Time.set to 1970 is an unset clock");
	clock.set(Date.UTC(2026, 0, 18, 12) / 1000);
	ok(clock.known);
	Time.timezone = -5 * 3600;
	Time.dst = 3600;
	equal(clock.offsetMs(), -4 * HOUR);
	close(clock.minuteOfWeek(clock.now()), 8 * 60, 1, "Sunday 08:00 local at UTC-4");
	Time.timezone = 0;
	Time.dst = 0;
	equal(deviceWall.offsetSeconds(), 0);
});

test("minute-of-week-from-epoch-and-offset", () => {
	equal(minuteOfWeek(SUNDAY, 0), 0);
	equal(minuteOfWeek(SUNDAY + 6 * DAY + 23 * HOUR + 59 * MINUTE, 0), 7 * 1440 - 1, "Saturday 23:59");
	equal(minuteOfWeek(SUNDAY + 7 * DAY, 0), 0, "wraps to Sunday");
	equal(minuteOfWeek(SUNDAY, 3600_000), 60, "UTC+1: Sunday 01:00");
	equal(minuteOfWeek(SUNDAY, -3600_000), 7 * 1440 - 60, "UTC-1: still Saturday 23:00");
	equal(minuteOfWeek(0, 0), 4 * 1440, "1970-01-01 was a Thursday");
	equal(new Date(SUNDAY).getUTCDay(), 0);
});

test("parses-validates-and-normalises", () => {
	const schedule = Schedule.parse(JSON.stringify(WEEK));
	equal(schedule.size, 9);
	deepEqual(schedule.toJSON(), {
		sun: [{ time: "07:00", preset: "comfort" }],
		mon: [{ time: "06:30", preset: "home" }, { time: "08:30", preset: "away" }, { time: "17:30", preset: "home" }, { time: "22:30", preset: "sleep" }],
		tue: [{ time: "06:30", preset: "home" }, { time: "22:30", preset: "sleep" }],
		sat: [{ time: "08:00", heat: 21, cool: 25 }, { time: "23:00", preset: "sleep" }],
	});
	deepEqual(Schedule.parse(JSON.parse(JSON.stringify(schedule))).toJSON(), schedule.toJSON(), "round trip");
	equal(Schedule.parse({}).size, 0);
	equal(Schedule.empty.size, 0);
	equal(schedule.presetOf(0), "comfort");
	equal(schedule.presetOf(7), "none");
});

test("rejects-bad-schedules-with-range-errors", () => {
	const bad = (data: unknown, pattern: RegExp, limits = {}): void => {
		throws(() => Schedule.parse(data, limits), RangeError, pattern);
	};
	bad("{", /not JSON/);
	bad([], /not an object/);
	bad(null, /not an object/);
	bad({ monday: [] }, /monday: not a day/);
	bad({ mon: {} }, /mon: not a list/);
	bad({ mon: [1] }, /mon\[0\]: not an entry/);
	bad({ mon: [{ time: "24:00", preset: "home" }] }, /mon\[0\]\.time: "24:00" is not "HH:MM"/);
	bad({ mon: [{ time: "6:30", preset: "home" }] }, /mon\[0\]\.time/);
	bad({ mon: [{ time: "06:60", preset: "home" }] }, /mon\[0\]\.time/);
	bad({ mon: [{ time: 630, preset: "home" }] }, /mon\[0\]\.time/);
	bad({ tue: [{ time: "06:30", preset: "home" }, { time: "06:30", preset: "away" }] }, /tue\[1\]\.time: 06:30 appears twice/);
	bad({ wed: [{ time: "06:30", preset: "holiday" }] }, /wed\[0\]\.preset: "holiday" is not a preset/);
	bad({ wed: [{ time: "06:30", preset: "none" }] }, /not a preset/);
	bad({ wed: [{ time: "06:30", preset: "home", heat: 20, cool: 24 }] }, /a preset or set points, not both/);
	bad({ wed: [{ time: "06:30", heat: 20 }] }, /needs a preset or both heat and cool/);
	bad({ wed: [{ time: "06:30" }] }, /needs a preset or both/);
	bad({ wed: [{ time: "06:30", heat: 5, cool: 24 }] }, /wed\[0\]\.heat: 5 is outside 7 … 35/);
	bad({ wed: [{ time: "06:30", heat: 20, cool: 36 }] }, /wed\[0\]\.cool/);
	bad({ wed: [{ time: "06:30", heat: 22, cool: 22.2 }] }, /at least 0.5 °C above/);
	bad({ wed: [{ time: "06:30", heat: "20", cool: 24 }] }, /needs a preset or both/);
	bad({ wed: [{ time: "06:30", preset: "home", note: "x" }] }, /unknown field "note"/);
	bad({ thu: Array.from({ length: 9 }, (_, i) => ({ time: `0${i}:00`, preset: "home" })) }, /thu: more than 8 entries/);
	bad({ thu: Array.from({ length: 3 }, (_, i) => ({ time: `0${i}:00`, preset: "home" })) }, /more than 2/, { maxPerDay: 2 });
	bad({}, /maxPerDay/, { maxPerDay: 0 });
	bad({ wed: [{ time: "06:30", heat: 8, cool: 24 }] }, /outside 10/, { minSetpoint: 10 });
	equal(Schedule.parse({ thu: Array.from({ length: 8 }, (_, i) => ({ time: `0${i}:00`, preset: "home" })) }).size, 8);
});

test("transitions-at-the-scheduled-local-minutes-through-a-week", () => {
	const changes: ScheduleChange[] = [];
	const { wall, run, into } = runner(WEEK, new FakeWall(), changes);
	const seen: string[] = [];
	for (let m = 0; m <= 7 * 1440 + 7 * 60; m++) {
		wall.ms = SUNDAY + m * MINUTE;
		ok(run.setpoints(m * MINUTE, into));
		if (changes.length > seen.length) {
			const c = changes[changes.length - 1];
			const d = new Date(c.since);
			seen.push(`${"SMTWTFS"[d.getUTCDay()]} ${d.getUTCHours()}:${d.getUTCMinutes()} ${c.preset} ${c.heat}`);
			if (m > 0) equal(c.since, wall.ms, "the change is seen in the minute it happens");
			else equal(c.since, SUNDAY - HOUR, "in force since Saturday 23:00");
		}
	}
	deepEqual(seen, [
		"S 23:0 sleep 18", // at Sunday 00:00, Saturday 23:00's sleep carries across the week's end
		"S 7:0 comfort 21",
		"M 6:30 home 20", "M 8:30 away 16", "M 17:30 home 20", "M 22:30 sleep 18", // Monday's list was given unsorted
		"T 6:30 home 20", "T 22:30 sleep 18", // Tuesday's sleep holds through Wednesday to Friday
		"S 8:0 none 21", "S 23:0 sleep 18",
		"S 7:0 comfort 21", // and the next week
	]);
	equal(changes[0].status, "active");
	// Wednesday 12:00: Tuesday 22:30's entry, next Saturday 08:00
	wall.ms = SUNDAY + 3 * DAY + 12 * HOUR;
	run.setpoints(0, into);
	equal(run.preset, "sleep");
	equal(run.since, SUNDAY + 2 * DAY + 22.5 * HOUR);
	equal(run.nextAt, SUNDAY + 6 * DAY + 8 * HOUR);
	const next: SetpointTarget = { heat: 0, cool: 0 };
	equal(run.next(next), SUNDAY + 6 * DAY + 8 * HOUR);
	deepEqual(next, { heat: 21, cool: 25 });
	deepEqual(into, { heat: 18, cool: 26 });
});

test("local-time-uses-timezone-plus-dst", () => {
	const { wall, run, into } = runner({ mon: [{ time: "06:30", preset: "home" }, { time: "22:00", preset: "sleep" }] });
	wall.offset = -5 * 3600 + 3600; // UTC-5 with daylight saving: UTC-4
	wall.ms = SUNDAY + DAY + 10.5 * HOUR - MINUTE; // Monday 10:29 UTC = 06:29 local
	run.setpoints(0, into);
	equal(run.preset, "sleep");
	wall.ms += MINUTE;
	run.setpoints(0, into);
	equal(run.preset, "home");
	deepEqual(into, { heat: 20, cool: 24.5 });
	wall.offset = -5 * 3600; // daylight saving ends: the same UTC instant is 05:30 local
	run.setpoints(0, into);
	equal(run.preset, "sleep");
	wall.offset = 5.75 * 3600; // a 45-minute zone (UTC+5:45)
	wall.ms = SUNDAY + DAY + 45 * MINUTE; // Monday 06:30 local
	run.setpoints(0, into);
	equal(run.preset, "home");
	equal(run.since, SUNDAY + DAY + 45 * MINUTE);
});

test("single-entry-week-and-empty-schedule", () => {
	const changes: ScheduleChange[] = [];
	const { wall, run, into } = runner({ wed: [{ time: "12:00", heat: 19, cool: 26 }] }, new FakeWall(), changes);
	ok(run.setpoints(0, into));
	deepEqual(into, { heat: 19, cool: 26 });
	equal(run.nextAt, SUNDAY + 3 * DAY + 12 * HOUR);
	wall.ms = SUNDAY + 3 * DAY + 12 * HOUR;
	run.setpoints(0, into);
	equal(run.nextAt, SUNDAY + 10 * DAY + 12 * HOUR, "the same entry next week");
	equal(changes.length, 2, "the entry starting again is a change");
	const empty = runner({});
	ok(!empty.run.setpoints(0, empty.into));
	equal(empty.run.status, "empty");
	ok(Number.isNaN(empty.run.nextAt));
	run.enabled = false;
	ok(!run.setpoints(0, into));
	equal(run.status, "empty");
	run.enabled = true;
	ok(run.setpoints(0, into));
	run.setSchedule(Schedule.empty);
	ok(!run.setpoints(0, into));
});

test("time-unknown-holds-the-last-set-points", () => {
	const changes: ScheduleChange[] = [];
	const { wall, run, into } = runner(WEEK, new FakeWall(), changes);
	wall.ms = SUNDAY + 8 * HOUR; // comfort
	ok(run.setpoints(0, into));
	deepEqual(into, { heat: 21, cool: 24 });
	wall.ms = 12 * HOUR; // a reboot without network time: 1970
	into.heat = into.cool = NaN;
	ok(run.setpoints(0, into), "holds");
	deepEqual(into, { heat: 21, cool: 24 }, "the last set points");
	equal(run.status, "time_unknown");
	equal(run.entry, -1);
	ok(Number.isNaN(run.nextAt));
	equal(changes[changes.length - 1].status, "time_unknown");
	wall.ms += 10 * DAY; // still 1970: nothing moves
	run.setpoints(0, into);
	deepEqual(into, { heat: 21, cool: 24 });
	wall.ms = SUNDAY + DAY + 9 * HOUR; // SNTP: Monday 09:00, away
	ok(run.setpoints(0, into));
	equal(run.status, "active");
	deepEqual(into, { heat: 16, cool: 28 });

	// after a power cut the runner is new: without a seed it leaves the thermostat's own set points
	const fresh = runner(WEEK);
	fresh.wall.ms = 0;
	ok(!fresh.run.setpoints(0, fresh.into));
	equal(fresh.run.status, "time_unknown");
	const out: SetpointTarget = { heat: NaN, cool: NaN };
	ok(!fresh.run.held(out));
	fresh.run.seed(17, 27); // what the integrator persisted
	ok(fresh.run.setpoints(0, fresh.into));
	deepEqual(fresh.into, { heat: 17, cool: 27 });
	throws(() => fresh.run.seed(22, 20), RangeError, /seed/);
});

test("hold-until-next-entry", () => {
	const { wall, run, into } = runner(WEEK);
	wall.ms = SUNDAY + DAY + 9 * HOUR; // Monday 09:00, away until 17:30
	ok(run.setpoints(0, into));
	run.holdUntilNext();
	ok(!run.setpoints(0, into), "the thermostat's own set points while held");
	equal(run.status, "hold");
	wall.ms = SUNDAY + DAY + 17.5 * HOUR - 1;
	ok(!run.setpoints(0, into));
	wall.ms += 1;
	ok(run.setpoints(0, into), "the next entry ends the hold");
	equal(run.status, "active");
	deepEqual(into, { heat: 20, cool: 24.5 });
	run.holdUntilNext();
	ok(!run.setpoints(0, into));
	run.resume();
	ok(run.setpoints(0, into));
});

test("no-allocation-per-tick", () => {
	const { wall, run, into } = runner(WEEK);
	const ticks = (n: number): void => {
		for (let i = 0; i < n; i++) {
			wall.ms += 30_000;
			run.setpoints(i, into);
			run.next(into);
		}
	};
	// a changing entry calls onChange; without a listener nothing is made: measure both kinds of ticks
	ticks(2 * 7 * 2880);
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
	equal(growth(7 * 2880), baseline, "a week of 30 s ticks allocates nothing");
});
