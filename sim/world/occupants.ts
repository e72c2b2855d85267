/*
 * The household: people who follow a daily routine with random variation, and the motion the
 * thermostat's PIR sees. Weekdays: wake ~6:30, leave ~8:00, return ~17:30, sleep ~22:30, each
 * person's times ±30 min (triangular); now and then a day working from home or an evening out.
 * Weekends: up 1.5 h later, at home, errands some afternoons and now and then a day out together.
 * A person's plan for a day comes from a PRNG seeded with (seed, day, person), so it does not
 * depend on when or how often it is asked for. Motion: while someone is home and awake, passes in
 * front of the sensor at random (the household alternates between active spells, a pass every few
 * minutes per person, and settled ones, every half hour or so), one at every wake, departure,
 * return and bedtime, and never a gap longer than `maxGap` while someone is up; nothing while
 * everyone is out; asleep, only an occasional trip at night.
 */
import { Prng } from "sim/devices/prng";

export type Presence = "home" | "away" | "asleep";
export const PRESENCES: readonly Presence[] = ["home", "away", "asleep"];

const MINUTE_MS = 60_000;
const DAY_MIN = 1440;

export interface RoutineOptions {
	readonly seed: number;
	/** How many people live here (0: an empty house). */
	readonly people?: number;
	/** Weekday times, minutes after local midnight. */
	readonly wake?: number;
	readonly leave?: number;
	readonly back?: number;
	readonly sleep?: number;
	/** Each time varies by up to this many minutes either way. */
	readonly variation?: number;
	/** Longest gap between motions while someone is home and awake, minutes. */
	readonly maxGap?: number;
}

/** One person's day, in minutes after that day's local midnight (sleep and the night trip may pass 1440). */
export interface PersonDay {
	readonly wake: number;
	readonly sleep: number;
	readonly out: readonly (readonly [number, number])[];
	/** A trip past the sensor during the night after this day, or NaN. */
	readonly night: number;
}

export interface Occupancy {
	readonly presence: Presence;
	/** People at home, and of those, awake. */
	readonly home: number;
	readonly awake: number;
}

/** Day of the week of a local day number (days since 1970-01-01, a Thursday): 0 Sunday … 6 Saturday. */
export function weekday(day: number): number {
	return (((day + 4) % 7) + 7) % 7;
}

export class Household {
	readonly people: number;
	readonly wake: number;
	readonly leave: number;
	readonly back: number;
	readonly sleep: number;
	readonly variation: number;
	readonly maxGap: number;
	/** Forces the presence (scenarios, tests); undefined: the routine decides. */
	pinned: Presence | undefined;

	readonly #seed: number;
	readonly #plans = new Map<number, PersonDay[]>();
	readonly #motion: Prng;
	#active = true;
	#sinceMotion = 0;
	#last: number | undefined;
	readonly #states: ("home" | "away" | "asleep")[] = [];

	constructor(options: RoutineOptions) {
		this.#seed = options.seed >>> 0;
		this.people = options.people ?? 2;
		this.wake = options.wake ?? 390;
		this.leave = options.leave ?? 480;
		this.back = options.back ?? 1050;
		this.sleep = options.sleep ?? 1350;
		this.variation = options.variation ?? 30;
		this.maxGap = options.maxGap ?? 90;
		this.#motion = new Prng(mix(this.#seed, 0x6d6f74, 0));
	}

	/** Every person's plan for a local day. */
	plans(day: number): PersonDay[] {
		let plans = this.#plans.get(day);
		if (!plans) {
			const outing = new Prng(mix(this.#seed, day, 0xffff));
			const weekend = weekday(day) === 0 || weekday(day) === 6;
			const dayOut = weekend && outing.next() < 0.1
				? [600 + this.#jitter(outing, 2), 1140 + this.#jitter(outing, 2)] as const : undefined;
			plans = [];
			for (let person = 0; person < this.people; person++)
				plans.push(this.#plan(new Prng(mix(this.#seed, day, person)), weekend, dayOut));
			if (this.#plans.size > 8) this.#plans.delete(this.#plans.keys().next().value as number);
			this.#plans.set(day, plans);
		}
		return plans;
	}

	#jitter(prng: Prng, scale = 1): number {
		return this.variation * scale * (prng.next() + prng.next() - 1);
	}

	#plan(prng: Prng, weekend: boolean, dayOut: readonly [number, number] | undefined): PersonDay {
		const out: [number, number][] = [];
		let wake: number, sleep: number;
		if (!weekend) {
			wake = this.wake + this.#jitter(prng);
			sleep = this.sleep + this.#jitter(prng);
			const leave = Math.max(wake + 30, this.leave + this.#jitter(prng));
			let back = this.back + this.#jitter(prng);
			const fromHome = prng.next() < 0.1;
			if (prng.next() < 0.1) back += 120 + 60 * prng.next(); // an evening out
			if (!fromHome) out.push([leave, Math.min(back, sleep - 30)]);
		} else {
			wake = this.wake + 90 + this.#jitter(prng);
			sleep = this.sleep + 30 + this.#jitter(prng);
			if (dayOut) out.push([Math.max(dayOut[0], wake + 30), Math.min(dayOut[1], sleep - 30)]);
			else if (prng.next() < 0.35) {
				const start = 600 + 360 * prng.next();
				out.push([start, start + 60 + 120 * prng.next()]);
			}
		}
		const night = prng.next() < 0.5 ? sleep + 90 + prng.next() * (DAY_MIN + 330 - sleep - 90) : NaN;
		return { wake, sleep, out, night };
	}

	/** Where one person is at a local time (ms since the epoch in local time). */
	personState(localMs: number, person: number): "home" | "away" | "asleep" {
		const minutes = localMs / MINUTE_MS;
		const day = Math.floor(minutes / DAY_MIN);
		const x = minutes - day * DAY_MIN;
		const today = this.plans(day)[person];
		if (x < today.wake) return x >= this.plans(day - 1)[person].sleep - DAY_MIN ? "asleep" : "home";
		if (x >= today.sleep) return "asleep";
		for (const [from, to] of today.out) if (x >= from && x < to) return "away";
		return "home";
	}

	/** The household at a local time. */
	occupancy(localMs: number): Occupancy {
		if (this.pinned) {
			const n = this.pinned === "away" ? 0 : Math.max(1, this.people);
			return { presence: this.pinned, home: n, awake: this.pinned === "home" ? n : 0 };
		}
		let home = 0, awake = 0;
		for (let person = 0; person < this.people; person++) {
			const state = this.personState(localMs, person);
			if (state !== "away") home++;
			if (state === "home") awake++;
		}
		return { presence: awake ? "home" : home ? "asleep" : "away", home, awake };
	}

	/**
	 * Advances the motion process to localMs (dtMs after the last call). Returns how long the
	 * sensor sees motion starting now, ms, or 0 for none.
	 */
	motion(localMs: number, dtMs: number): number {
		const prng = this.#motion;
		const last = this.#last ?? localMs - dtMs;
		this.#last = localMs;
		let moved = false, home = 0, awake = 0;
		for (let person = 0; person < this.people; person++) {
			const now = this.pinned ?? this.personState(localMs, person);
			const before = this.#states[person] ?? now;
			this.#states[person] = now;
			if (now !== "away") home++;
			if (now !== "home") continue;
			awake++;
			// got up or came back just now, or leaving or going to bed before the next step:
			// they walk past the sensor
			if (!this.pinned && (before !== "home" || this.personState(localMs + dtMs, person) !== "home")) moved = true;
		}
		if (this.pinned === "home") awake = Math.max(1, this.people);

		// a trip at night
		if (!this.pinned && awake === 0 && home > 0) {
			const day = Math.floor(localMs / MINUTE_MS / DAY_MIN);
			for (let d = day - 1; d <= day; d++) {
				for (const plan of this.plans(d)) {
					const at = (d * DAY_MIN + plan.night) * MINUTE_MS;
					if (at > last && at <= localMs) moved = true;
				}
			}
		}

		const minutes = dtMs / MINUTE_MS;
		if (awake > 0) {
			if (prng.next() < minutes / (this.#active ? 40 : 50)) this.#active = !this.#active;
			const rate = awake / (this.#active ? 6 : 35);
			if (prng.next() < 1 - Math.exp(-rate * minutes)) moved = true;
			this.#sinceMotion += minutes;
			if (this.#sinceMotion >= this.maxGap) moved = true;
		} else this.#sinceMotion = 0;
		if (!moved) return 0;
		this.#sinceMotion = 0;
		return 5_000 + Math.round(prng.next() * 40) * 1_000;
	}

	/** Heat (W) and moisture (g/h) the people at home give off. */
	gains(occupancy: Occupancy): { heat: number; moisture: number } {
		const asleep = occupancy.home - occupancy.awake;
		return { heat: 120 * occupancy.awake + 70 * asleep, moisture: 60 * occupancy.awake + 40 * asleep };
	}
}

/** A seed for one stream from the household's seed and two indices (murmur3 finaliser). */
function mix(seed: number, a: number, b: number): number {
	let h = (seed ^ Math.imul(a + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}
