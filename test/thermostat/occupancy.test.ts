/*
 * Occupancy from the PIR: occupied on motion, away after 2 h without motion (ecobee's default,
 * configurable), never away while sleep is in force and the countdown restarted when it ends,
 * a PIR held high keeps the house occupied, change callbacks, no allocation per update.
 */
import { test, ok, equal, deepEqual, throws } from "test/harness";
import { Occupancy, AWAY_AFTER_MS, type OccupancyState, type OccupancyReason } from "app/thermostat/occupancy";
import { collecting, gc, memory } from "xshost";

const MINUTE = 60_000, HOUR = 3_600_000;

function setup(now = 0, awayAfterMs?: number): { occupancy: Occupancy; log: string[] } {
	const log: string[] = [];
	const occupancy = new Occupancy(now, awayAfterMs === undefined ? {} : { awayAfterMs },
		(state: OccupancyState, at: number, reason: OccupancyReason) => log.push(`${at / MINUTE}m ${state} ${reason}`));
	return { occupancy, log };
}

/** update() every minute from `from` to `to` (ms), awake or asleep. */
function minutes(occupancy: Occupancy, from: number, to: number, sleeping = false): void {
	for (let t = from; t <= to; t += MINUTE) occupancy.update(t, sleeping);
}

test("default-is-ecobee-two-hours", () => {
	equal(AWAY_AFTER_MS, 2 * HOUR);
	equal(new Occupancy(0).awayAfterMs, 2 * HOUR);
	throws(() => new Occupancy(0, { awayAfterMs: 0 }), RangeError, /awayAfterMs/);
	throws(() => new Occupancy(0, { awayAfterMs: Infinity }), RangeError, /awayAfterMs/);
});

test("boots-occupied-and-goes-away-two-hours-after-the-last-motion", () => {
	const { occupancy, log } = setup(1000);
	equal(occupancy.state, "occupied");
	equal(occupancy.awayAt, 1000 + 2 * HOUR, "counted from boot");
	occupancy.motion(30 * MINUTE);
	occupancy.motion(30 * MINUTE + 30_000, false);
	equal(occupancy.awayAt, 30 * MINUTE + 30_000 + 2 * HOUR, "from the end of the motion");
	occupancy.update(2 * HOUR + 30 * MINUTE + 29_999, false);
	equal(occupancy.state, "occupied", "1 ms short of 2 h");
	occupancy.update(2 * HOUR + 30 * MINUTE + 30_000, false);
	equal(occupancy.state, "away");
	ok(Number.isNaN(occupancy.awayAt));
	occupancy.update(3 * HOUR, false);
	occupancy.motion(4 * HOUR);
	equal(occupancy.state, "occupied");
	equal(occupancy.lastMotion, 4 * HOUR);
	deepEqual(log, ["150.5m away no-motion", "240m occupied motion"]);
});

test("motion-every-hour-keeps-it-occupied", () => {
	const { occupancy, log } = setup();
	for (let h = 0; h < 24; h++) {
		occupancy.motion(h * HOUR + 5 * MINUTE);
		occupancy.motion(h * HOUR + 6 * MINUTE, false);
		minutes(occupancy, h * HOUR, (h + 1) * HOUR - MINUTE);
	}
	deepEqual(log, []);
});

test("a-pir-held-high-keeps-it-occupied", () => {
	const { occupancy, log } = setup();
	occupancy.motion(10 * MINUTE, true);
	minutes(occupancy, 0, 5 * HOUR);
	equal(occupancy.state, "occupied");
	equal(occupancy.awayAt, Infinity);
	occupancy.motion(5 * HOUR, false);
	minutes(occupancy, 5 * HOUR, 7 * HOUR);
	deepEqual(log, ["420m away no-motion"]);
});

test("never-away-during-sleep-and-two-hours-after-it-ends", () => {
	const { occupancy, log } = setup();
	occupancy.motion(22 * HOUR + 25 * MINUTE, false); // last motion at 22:25; sleep 22:30 - 06:30
	minutes(occupancy, 22 * HOUR, 22.5 * HOUR - MINUTE, false);
	minutes(occupancy, 22.5 * HOUR, 30.5 * HOUR - MINUTE, true);
	equal(occupancy.state, "occupied", "8 h without motion, asleep");
	equal(occupancy.awayAt, Infinity);
	minutes(occupancy, 30.5 * HOUR, 32.5 * HOUR - MINUTE, false);
	equal(occupancy.state, "occupied", "not at once when sleep ends");
	occupancy.update(32.5 * HOUR, false);
	equal(occupancy.state, "away", "2 h after sleep ended");
	deepEqual(log, [`${32.5 * 60}m away no-motion`]);
});

test("motion-at-night-occupies-and-away-before-sleep-stays-away", () => {
	const { occupancy, log } = setup();
	minutes(occupancy, 0, 3 * HOUR);
	equal(occupancy.state, "away");
	minutes(occupancy, 3 * HOUR, 10 * HOUR, true);
	equal(occupancy.state, "away", "sleep does not make an empty house occupied");
	occupancy.motion(10 * HOUR + 30 * MINUTE);
	equal(occupancy.state, "occupied");
	deepEqual(log, ["120m away no-motion", "630m occupied motion"]);
});

test("configurable-delay-and-restore", () => {
	const { occupancy, log } = setup(0, 30 * MINUTE);
	minutes(occupancy, 0, 30 * MINUTE);
	equal(occupancy.state, "away");
	occupancy.restore("occupied", 40 * MINUTE);
	equal(occupancy.awayAt, 70 * MINUTE, "the countdown restarts from the restore");
	throws(() => occupancy.restore("gone" as OccupancyState, 0), RangeError, /state/);
	deepEqual(log, ["30m away no-motion", "40m occupied restored"]);
});

test("no-allocation-per-update", () => {
	const occupancy = new Occupancy(0, {}, () => undefined);
	let t = 0;
	const run = (n: number): void => {
		for (let i = 0; i < n; i++) {
			t += 30_000;
			if (i % 500 === 0) occupancy.motion(t, true);
			if (i % 500 === 1) occupancy.motion(t, false);
			occupancy.update(t, (i & 1024) !== 0);
		}
	};
	run(10_000);
	const growth = (n: number): number => {
		gc();
		collecting(false);
		const before = memory();
		run(n);
		const after = memory();
		collecting(true);
		return after.chunksUsed + after.slotsUsed - before.chunksUsed - before.slotsUsed;
	};
	growth(0);
	const baseline = growth(0);
	equal(growth(20_000), baseline, "20,000 updates with state changes allocate nothing");
});
