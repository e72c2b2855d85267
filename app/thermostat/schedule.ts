/*
 * The weekly schedule, stored on the device and run on its own wall clock, with no network
 * (peer-defaults §10 item 1: a local schedule that keeps working when HA or MQTT is down;
 * ESPHome has none built in, Tasmota has 16 local timers, §1.3).
 *
 * Data (plain JSON, what the integrator keeps in preferences, all temperatures °C):
 *
 *   { "mon": [{ "time": "06:30", "preset": "home" }, { "time": "22:30", "preset": "sleep" }],
 *     "sat": [{ "time": "08:00", "heat": 21, "cool": 25 }], ... }
 *
 * Days are "sun" … "sat" (a missing day has no entries: the previous entry carries on). Each
 * entry has a local time "HH:MM" (00:00 … 23:59) and either a preset (home, away, sleep, eco,
 * boost, comfort, activity: its set points come from the thermostat's presets when it runs) or
 * both `heat` and `cool` set points. An entry is in force from its time until the next entry of
 * the week, across midnight and from Saturday into Sunday. At most `maxPerDay` entries a day
 * (default 8, ours: twice the four periods "wake, leave, return, sleep" that programmable
 * thermostats offer), no two at the same time. Schedule.parse validates and throws
 * RangeError("schedule: <where>: <what>"); toJSON gives the normalised data back (sorted).
 *
 * The ScheduleRunner is a SetpointProvider (app/thermostat/settings): every control tick it
 * fills the active entry's set points. Until the wall time is known (app/thermostat/clock)
 * the schedule cannot know which entry is in force: it keeps the last set points it supplied
 * (or those the integrator restored with `seed`), or, having none, leaves the thermostat's own
 * (the last preset or manual set points, which survive a reboot), and its status is
 * "time_unknown". A manual change can hold until the next entry (`holdUntilNext`, as ecobee's
 * and Nest's "hold until next activity" do). The per-tick path allocates nothing; a change of
 * entry or status calls `onChange` with a reused record (copy what you keep).
 */
import { WallClock, DAY_MINUTES, WEEK_MINUTES, MINUTE_MS } from "app/thermostat/clock";

/*
 * The thermostat's vocabulary, as app/thermostat/config and settings define it (the same names
 * in the same order, Home Assistant's presets): kept here too so that the schedule stands on
 * its own. The interfaces are structurally those of app/thermostat/settings, so a
 * ScheduleRunner (and a SmartRecovery) is a settings SetpointProvider as it is.
 */
export type SchedulePreset = "home" | "away" | "sleep" | "eco" | "boost" | "comfort" | "activity";
export type Preset = "none" | SchedulePreset;
export const PRESETS: readonly Preset[] = Object.freeze(["none", "home", "away", "sleep", "eco", "boost", "comfort", "activity"]);

/** Set points, °C (app/thermostat/settings SetpointTarget). */
export interface SetpointTarget {
	heat: number;
	cool: number;
}

/** A source of set points for the control tick (app/thermostat/settings SetpointProvider). */
export interface SetpointProvider {
	setpoints(now: number, into: SetpointTarget): boolean;
}

/** Home Assistant climate min_temp / max_temp, ESPHome set_point_minimum_differential (peer-defaults §1.4, §1.1). */
const MIN_SETPOINT_C = 7;
const MAX_SETPOINT_C = 35;
const MIN_DIFFERENTIAL_C = 0.5;

export type Weekday = "sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat";
export const WEEKDAYS: readonly Weekday[] = Object.freeze(["sun", "mon", "tue", "wed", "thu", "fri", "sat"]);

export interface ScheduleEntry {
	/** Local time "HH:MM". */
	readonly time: string;
	readonly preset?: SchedulePreset;
	/** °C, both or neither (then `preset`). */
	readonly heat?: number;
	readonly cool?: number;
}

export type ScheduleData = { readonly [day in Weekday]?: readonly ScheduleEntry[] };

export interface ScheduleLimits {
	/** Entries a day, default 8. */
	readonly maxPerDay?: number;
	/** Set point range and minimum differential, °C (defaults 7, 35 and 0.5, the thermostat's: pass its tuning's). */
	readonly minSetpoint?: number;
	readonly maxSetpoint?: number;
	readonly minDifferential?: number;
}

export const MAX_PER_DAY = 8;

const EPSILON = 1e-9;
const ENTRY_KEYS = Object.freeze(["time", "preset", "heat", "cool"]);

function fail(where: string, what: string): never {
	throw new RangeError(`schedule: ${where}: ${what}`);
}

/** "HH:MM" → minutes after midnight, or -1. */
function parseTime(text: unknown): number {
	if (typeof text !== "string" || text.length !== 5 || text[2] !== ":") return -1;
	const h = digits(text, 0), m = digits(text, 3);
	return h >= 0 && h < 24 && m >= 0 && m < 60 ? h * 60 + m : -1;
}

function digits(text: string, at: number): number {
	const a = text.charCodeAt(at) - 48, b = text.charCodeAt(at + 1) - 48;
	return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function formatTime(minutes: number): string {
	const h = Math.floor(minutes / 60), m = minutes % 60;
	return `${h < 10 ? "0" : ""}${h}:${m < 10 ? "0" : ""}${m}`;
}

/** A validated, compiled weekly schedule (immutable). Entries sorted by minute of the week (Sunday 00:00 = 0). */
export class Schedule {
	/** Minute of the week of each entry, ascending. */
	readonly minute: Int32Array;
	/** PRESETS index of each entry (0: explicit set points in heat/cool). */
	readonly preset: Uint8Array;
	readonly heat: Float64Array;
	readonly cool: Float64Array;

	private constructor(minute: Int32Array, preset: Uint8Array, heat: Float64Array, cool: Float64Array) {
		this.minute = minute;
		this.preset = preset;
		this.heat = heat;
		this.cool = cool;
		Object.freeze(this);
	}

	/** A schedule without entries (supplies nothing). */
	static get empty(): Schedule {
		return EMPTY;
	}

	/** Validates schedule data (an object, or its JSON text); RangeError on anything wrong. */
	static parse(input: unknown, limits: ScheduleLimits = {}): Schedule {
		const maxPerDay = limits.maxPerDay ?? MAX_PER_DAY;
		const min = limits.minSetpoint ?? MIN_SETPOINT_C;
		const max = limits.maxSetpoint ?? MAX_SETPOINT_C;
		const gap = limits.minDifferential ?? MIN_DIFFERENTIAL_C;
		if (!(Number.isInteger(maxPerDay) && maxPerDay >= 1 && maxPerDay <= 96)) fail("limits", "maxPerDay is not 1 … 96");
		if (!(Number.isFinite(min) && Number.isFinite(max) && gap >= 0 && max - min >= gap)) fail("limits", "bad set point range");
		let data = input;
		if (typeof data === "string") {
			try {
				data = JSON.parse(data);
			} catch {
				fail("data", "not JSON");
			}
		}
		if (typeof data !== "object" || data === null || Array.isArray(data)) fail("data", "not an object of days");
		const record = data as Record<string, unknown>;
		for (const key of Object.keys(record)) if (!WEEKDAYS.includes(key as Weekday)) fail(key, "not a day (sun … sat)");

		const rows: { minute: number; preset: number; heat: number; cool: number }[] = [];
		for (let day = 0; day < 7; day++) {
			const name = WEEKDAYS[day];
			const entries = record[name];
			if (entries === undefined) continue;
			if (!Array.isArray(entries)) fail(name, "not a list of entries");
			if (entries.length > maxPerDay) fail(name, `more than ${maxPerDay} entries`);
			const seen: number[] = [];
			for (let i = 0; i < entries.length; i++) {
				const where = `${name}[${i}]`;
				const entry = entries[i] as Record<string, unknown>;
				if (typeof entry !== "object" || entry === null || Array.isArray(entry)) fail(where, "not an entry object");
				for (const key of Object.keys(entry)) if (!ENTRY_KEYS.includes(key)) fail(where, `unknown field "${key}"`);
				const time = parseTime(entry.time);
				if (time < 0) fail(`${where}.time`, `${JSON.stringify(entry.time)} is not "HH:MM" (00:00 … 23:59)`);
				if (seen.includes(time)) fail(`${where}.time`, `${entry.time} appears twice`);
				seen.push(time);
				let preset = 0, heat = NaN, cool = NaN;
				if (entry.preset !== undefined) {
					preset = PRESETS.indexOf(entry.preset as Preset);
					if (preset < 1) fail(`${where}.preset`, `${JSON.stringify(entry.preset)} is not a preset (${PRESETS.slice(1).join(", ")})`);
					if (entry.heat !== undefined || entry.cool !== undefined) fail(where, "a preset or set points, not both");
				} else {
					heat = entry.heat as number;
					cool = entry.cool as number;
					if (typeof heat !== "number" || typeof cool !== "number") fail(where, "needs a preset or both heat and cool");
					if (!(heat >= min && heat <= max)) fail(`${where}.heat`, `${heat} is outside ${min} … ${max} °C`);
					if (!(cool >= min && cool <= max)) fail(`${where}.cool`, `${cool} is outside ${min} … ${max} °C`);
					if (cool - heat < gap - EPSILON) fail(where, `cool ${cool} must be at least ${gap} °C above heat ${heat}`);
				}
				rows.push({ minute: day * DAY_MINUTES + time, preset, heat, cool });
			}
		}
		rows.sort((a, b) => a.minute - b.minute);
		const n = rows.length;
		const schedule = new Schedule(new Int32Array(n), new Uint8Array(n), new Float64Array(n), new Float64Array(n));
		for (let i = 0; i < n; i++) {
			schedule.minute[i] = rows[i].minute;
			schedule.preset[i] = rows[i].preset;
			schedule.heat[i] = rows[i].heat;
			schedule.cool[i] = rows[i].cool;
		}
		return schedule;
	}

	get size(): number {
		return this.minute.length;
	}

	/** The entry in force at a minute of the week (the last one at or before it, wrapping to the week's last); -1 when empty. */
	at(minuteOfWeek: number): number {
		const minutes = this.minute, n = minutes.length;
		if (!n) return -1;
		let found = n - 1;
		for (let i = 0; i < n; i++) {
			if (minutes[i] <= minuteOfWeek) found = i;
			else break;
		}
		return found;
	}

	/** The entry after `index` (wrapping); -1 when empty. */
	after(index: number): number {
		const n = this.minute.length;
		return n ? (index + 1) % n : -1;
	}

	/** The entry's preset name, or "none" for explicit set points. */
	presetOf(index: number): Preset {
		return PRESETS[this.preset[index]];
	}

	/** The normalised data (sorted, one list per day that has entries). */
	toJSON(): ScheduleData {
		const out: Record<string, ScheduleEntry[]> = {};
		for (let i = 0; i < this.minute.length; i++) {
			const day = WEEKDAYS[Math.floor(this.minute[i] / DAY_MINUTES)];
			const time = formatTime(this.minute[i] % DAY_MINUTES);
			const entry: ScheduleEntry = this.preset[i]
				? { time, preset: PRESETS[this.preset[i]] as SchedulePreset }
				: { time, heat: this.heat[i], cool: this.cool[i] };
			(out[day] ??= []).push(entry);
		}
		return out;
	}
}

const EMPTY = Schedule.parse({});

/** The set points of a preset (°C), from the thermostat's preset table. Called every tick: must not allocate. */
export type PresetResolver = (preset: SchedulePreset, into: SetpointTarget) => void;

export type ScheduleStatus = "empty" | "active" | "hold" | "time_unknown";

/** What onChange sees (one reused record). */
export interface ScheduleChange {
	status: ScheduleStatus;
	/** Entry index in force (-1 when none), its preset ("none" for set points), its set points (°C). */
	entry: number;
	preset: Preset;
	heat: number;
	cool: number;
	/** Epoch ms the entry started (NaN when unknown) and when the next one starts. */
	since: number;
	next: number;
}

export class ScheduleRunner implements SetpointProvider {
	#schedule: Schedule;
	readonly #clock: WallClock;
	readonly #resolve: PresetResolver;
	readonly #onChange: ((change: ScheduleChange) => void) | undefined;
	readonly #change: ScheduleChange = { status: "empty", entry: -1, preset: "none", heat: NaN, cool: NaN, since: NaN, next: NaN };
	readonly #points: SetpointTarget = { heat: NaN, cool: NaN };
	#status: ScheduleStatus = "empty";
	#entry = -1;
	/** Epoch ms at which the entry in force started / the next starts (minute-exact). */
	#since = NaN;
	#next = NaN;
	/** The last set points supplied (held while the time is unknown). */
	#heldHeat = NaN;
	#heldCool = NaN;
	/** A manual hold lasts until this epoch ms (the next entry's start when it was asked for). */
	#holdUntil = NaN;
	#enabled = true;

	constructor(schedule: Schedule, clock: WallClock, resolve: PresetResolver, onChange?: (change: ScheduleChange) => void) {
		this.#schedule = schedule;
		this.#clock = clock;
		this.#resolve = resolve;
		this.#onChange = onChange;
	}

	get schedule(): Schedule {
		return this.#schedule;
	}

	/** Replaces the schedule (a command); takes effect at the next tick. A hold is cancelled. */
	setSchedule(schedule: Schedule): void {
		this.#schedule = schedule;
		this.#entry = -1;
		this.#since = NaN;
		this.#holdUntil = NaN;
	}

	/** A schedule that is switched off supplies nothing (status "empty"). */
	set enabled(on: boolean) {
		this.#enabled = on;
	}

	get enabled(): boolean {
		return this.#enabled;
	}

	get status(): ScheduleStatus {
		return this.#status;
	}

	/** Entry in force (-1 when none or unknown). */
	get entry(): number {
		return this.#entry;
	}

	/** The preset of the entry in force ("none": explicit set points, or no entry). */
	get preset(): Preset {
		return this.#entry < 0 ? "none" : this.#schedule.presetOf(this.#entry);
	}

	/** Epoch ms of the next entry's start (NaN when empty or the time is unknown). */
	get nextAt(): number {
		return this.#next;
	}

	/** Epoch ms the entry in force started. */
	get since(): number {
		return this.#since;
	}

	/** The next entry's set points (°C) into `into`; returns its start (epoch ms) or NaN. */
	next(into: SetpointTarget): number {
		if (!(this.#next === this.#next) || this.#entry < 0) return NaN;
		this.#fill(this.#schedule.after(this.#entry), into);
		return this.#next;
	}

	/** The set points last supplied into `into`; false when there are none. */
	held(into: SetpointTarget): boolean {
		if (this.#heldHeat !== this.#heldHeat) return false;
		into.heat = this.#heldHeat;
		into.cool = this.#heldCool;
		return true;
	}

	/** Restores the set points to hold while the time is unknown (persisted by the integrator). */
	seed(heat: number, cool: number): void {
		if (!Number.isFinite(heat) || !Number.isFinite(cool) || cool < heat) throw new RangeError("schedule: seed set points");
		this.#heldHeat = heat;
		this.#heldCool = cool;
	}

	/** Leaves the thermostat's own set points in charge until the next entry starts (a manual change). */
	holdUntilNext(): void {
		if (this.#next === this.#next) this.#holdUntil = this.#next;
	}

	/** Ends a hold now. */
	resume(): void {
		this.#holdUntil = NaN;
	}

	/** SetpointProvider: the schedule's set points now (`now` is monotonic and unused: the schedule runs on wall time). */
	setpoints(_now: number, into: SetpointTarget): boolean {
		this.update();
		const status = this.#status;
		if (status === "active") {
			into.heat = this.#heldHeat = this.#points.heat;
			into.cool = this.#heldCool = this.#points.cool;
			return true;
		}
		if (status === "time_unknown") return this.held(into);
		return false;
	}

	/** Re-evaluates the schedule at the wall time now (setpoints() does it; call it to read status without a tick). */
	update(): void {
		const schedule = this.#schedule;
		let status: ScheduleStatus;
		let entry = -1, since = NaN, next = NaN;
		if (!this.#enabled || !schedule.size) status = "empty";
		else if (!this.#clock.known) status = "time_unknown";
		else {
			const wall = this.#clock.now();
			const m = this.#clock.minuteOfWeek(wall);
			entry = schedule.at(m);
			let back = m - schedule.minute[entry];
			if (back < 0) back += WEEK_MINUTES;
			since = Math.round((wall - back * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
			const following = schedule.after(entry);
			let ahead = schedule.minute[following] - schedule.minute[entry];
			if (ahead <= 0) ahead += WEEK_MINUTES;
			next = since + ahead * MINUTE_MS;
			if (wall >= this.#holdUntil) this.#holdUntil = NaN;
			status = this.#holdUntil === this.#holdUntil ? "hold" : "active";
		}
		if (entry >= 0) this.#fill(entry, this.#points);
		const changed = status !== this.#status || entry !== this.#entry || !(since === this.#since || (since !== since && this.#since !== this.#since));
		this.#status = status;
		this.#entry = entry;
		this.#since = since;
		this.#next = next;
		if (changed && this.#onChange) {
			const change = this.#change;
			change.status = status;
			change.entry = entry;
			change.preset = this.preset;
			change.heat = entry >= 0 ? this.#points.heat : NaN;
			change.cool = entry >= 0 ? this.#points.cool : NaN;
			change.since = since;
			change.next = next;
			this.#onChange(change);
		}
	}

	#fill(index: number, into: SetpointTarget): void {
		const schedule = this.#schedule;
		const preset = schedule.preset[index];
		if (preset) this.#resolve(PRESETS[preset] as SchedulePreset, into);
		else {
			into.heat = schedule.heat[index];
			into.cool = schedule.cool[index];
		}
	}
}

Object.freeze(Schedule.prototype);
Object.freeze(ScheduleRunner.prototype);
