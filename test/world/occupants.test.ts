/*
 * The household's routine: times by the clock, home fractions on weekdays and weekends, and
 * the PIR: silent while everyone is out, rare at night, and never quiet for long while someone is up.
 */
import { test, ok, equal, close, notEqual } from "test/harness";
import { Household, weekday } from "sim/world/occupants";

const MINUTE = 60_000, DAY = 86_400_000;
/** Monday 2026-01-05, local midnight (local time = UTC here). */
const MONDAY = Date.UTC(2026, 0, 5);

test("weekday-numbers", () => {
	equal(weekday(Math.floor(MONDAY / DAY)), 1);
	equal(weekday(Math.floor(Date.UTC(2026, 0, 11) / DAY)), 0, "Sunday");
	equal(weekday(Math.floor(Date.UTC(2026, 0, 10) / DAY)), 6, "Saturday");
});

test("routine-times-vary-around-the-clock-times", () => {
	const household = new Household({ seed: 1 });
	const wake: number[] = [], leave: number[] = [], sleep: number[] = [], weekendWake: number[] = [];
	let days = 0, fromHome = 0;
	for (let d = 0; d < 140; d++) {
		const day = Math.floor(MONDAY / DAY) + d;
		const weekend = weekday(day) === 0 || weekday(day) === 6;
		for (const plan of household.plans(day)) {
			if (weekend) {
				weekendWake.push(plan.wake);
				continue;
			}
			days++;
			wake.push(plan.wake);
			sleep.push(plan.sleep);
			if (plan.out.length) leave.push(plan.out[0][0]);
			else fromHome++;
		}
	}
	const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
	close(mean(wake), 390, 5, "wake ~6:30");
	close(mean(leave), 480, 5, "leave ~8:00");
	close(mean(sleep), 1350, 5, "sleep ~22:30");
	close(mean(weekendWake), 480, 6, "weekends: up ~8:00");
	ok(Math.min(...wake) >= 360 && Math.max(...wake) <= 420, "±30 min");
	ok(Math.max(...wake) - Math.min(...wake) > 40, "and it does vary");
	ok(fromHome > 0.04 * days && fromHome < 0.18 * days, `${fromHome} of ${days} weekdays at home`);
});

/** Fractions of time (sampled each 5 min) by presence, weekdays and weekends apart. */
function fractions(household: Household, weeks: number) {
	const count = { weekday: { home: 0, away: 0, asleep: 0 }, weekend: { home: 0, away: 0, asleep: 0 } };
	for (let t = 0; t < weeks * 7 * DAY; t += 5 * MINUTE) {
		const day = Math.floor((MONDAY + t) / DAY);
		const kind = weekday(day) === 0 || weekday(day) === 6 ? "weekend" : "weekday";
		count[kind][household.occupancy(MONDAY + t).presence]++;
	}
	const share = (c: { home: number; away: number; asleep: number }) => {
		const n = c.home + c.away + c.asleep;
		return { home: (c.home + c.asleep) / n, away: c.away / n, asleep: c.asleep / n };
	};
	return { weekday: share(count.weekday), weekend: share(count.weekend) };
}

test("home-fractions-on-weekdays-and-weekends", () => {
	const { weekday: wd, weekend: we } = fractions(new Household({ seed: 9 }), 20);
	// weekdays: away ~8:15 to ~17:15 for both (some working from home or out in the evening)
	ok(wd.away > 0.28 && wd.away < 0.4, `weekday away ${wd.away}`);
	ok(wd.asleep > 0.28 && wd.asleep < 0.36, `weekday asleep ${wd.asleep}`);
	// weekends: mostly home, errands and the odd day out
	ok(we.home > 0.88 && we.home < 0.99, `weekend home ${we.home}`);
	ok(we.away > 0.01, `weekend away ${we.away}: out sometimes`);
	const alone = fractions(new Household({ seed: 9, people: 1 }), 20);
	ok(alone.weekday.away > wd.away, "one person is out more often than a household of two");
	const empty = fractions(new Household({ seed: 9, people: 0 }), 2);
	equal(empty.weekday.away, 1, "an empty house is always away");
});

/** Runs the motion process in 10 s steps; motions by presence and the longest gap while awake at home. */
function watch(household: Household, days: number) {
	const by = { home: 0, away: 0, asleep: 0 };
	let longest = 0, last = -1, total = 0;
	const gaps: number[] = [];
	for (let t = 0; t < days * DAY; t += 10_000) {
		const now = MONDAY + t;
		const presence = household.occupancy(now).presence;
		const motion = household.motion(now, 10_000);
		if (presence === "home") {
			if (last < 0) last = t; // someone just got up or came home
			if (motion) {
				gaps.push(t - last);
				last = t;
			}
			longest = Math.max(longest, t - last);
		} else last = -1;
		if (motion) {
			by[presence]++;
			total++;
			ok(motion >= 5_000 && motion <= 45_000, `motion lasts ${motion} ms`);
		}
	}
	gaps.sort((a, b) => a - b);
	return { by, longest, total, median: gaps[gaps.length >> 1] };
}

test("pir-silent-while-away-rare-at-night-frequent-while-up", () => {
	const household = new Household({ seed: 4 });
	const days = 14;
	const seen = watch(household, days);
	equal(seen.by.away, 0, "no motion while everyone is out");
	ok(seen.by.asleep > 0 && seen.by.asleep <= days * 2, `${seen.by.asleep} motions asleep in ${days} nights: occasional`);
	ok(seen.longest <= 90 * MINUTE, `longest quiet spell while someone is up: ${seen.longest / MINUTE} min`);
	ok(seen.median > 1 * MINUTE && seen.median < 10 * MINUTE, `median gap ${seen.median / MINUTE} min`);
	ok(seen.by.home > days * 40, `${seen.by.home} motions while home`);
});

test("pinned-presence-drives-the-pir", () => {
	const household = new Household({ seed: 4 });
	household.pinned = "away";
	const away = watch(household, 2);
	equal(away.total, 0);
	household.pinned = "home";
	const home = watch(household, 1);
	ok(home.total > 100 && home.by.away === 0, `${home.total} motions while pinned home`);
});

test("same-seed-same-household-another-seed-differs", () => {
	const trace = (seed: number) => {
		const household = new Household({ seed });
		const out: number[] = [];
		for (let t = 0; t < 3 * DAY; t += 10_000) out.push(household.motion(MONDAY + t, 10_000));
		return out.join();
	};
	equal(trace(5), trace(5));
	notEqual(trace(5), trace(6));
	// a day's plan does not depend on what was asked before
	const a = new Household({ seed: 5 }), b = new Household({ seed: 5 });
	b.plans(Math.floor(MONDAY / DAY) + 30);
	equal(JSON.stringify(a.plans(Math.floor(MONDAY / DAY) + 3)), JSON.stringify(b.plans(Math.floor(MONDAY / DAY) + 3)));
});
