/*
 * What the device knows about wall time. An ESP32 has no battery-backed RTC: after a power
 * cut its clock starts at 1970 and stays wrong until SNTP (or a phone over BLE) sets it with
 * Time.set. The rule here is simple and needs no state: the wall time is **known** when it
 * reads 2024-01-01T00:00:00Z or later. Time.set with a real time (SNTP, the simulator's
 * --start, which is the wall clock at the first boot) therefore marks it known, and a
 * reboot without power loss keeps it known (the ESP32's RTC timer survives a software reset).
 *
 * Local time uses the device's fixed offsets, as Moddable's `time` module keeps them:
 * local = UTC + Time.timezone + Time.dst (seconds east of UTC). There are no DST rules on
 * the device: whoever knows them (the integrator, from the configuration or the network)
 * sets Time.dst. Weeks start on Sunday (day 0) as Date.prototype.getDay does.
 */
import Time from "time";

/** Wall times before this (2024-01-01T00:00:00Z, ms) are a clock that was never set. */
export const KNOWN_AFTER_MS = 1_704_067_200_000;

export const MINUTE_MS = 60_000;
export const DAY_MINUTES = 1_440;
export const WEEK_MINUTES = 7 * DAY_MINUTES;
export const WEEK_MS = WEEK_MINUTES * MINUTE_MS;
/** 1970-01-01 was a Thursday: day 4 of a week that starts on Sunday. */
const EPOCH_WEEKDAY = 4;

/** The source of wall time: epoch ms (UTC) and the local offset in seconds. Injectable for tests. */
export interface WallSource {
	now(): number;
	offsetSeconds(): number;
	set(epochSeconds: number): void;
}

/** The device's own clock: Date.now(), Time.timezone + Time.dst, Time.set. */
export const deviceWall: WallSource = Object.freeze({
	now: (): number => Date.now(),
	offsetSeconds: (): number => (Time.timezone | 0) + (Time.dst | 0),
	set: (epochSeconds: number): void => Time.set(epochSeconds),
});

export class WallClock {
	readonly #source: WallSource;

	constructor(source: WallSource = deviceWall) {
		this.#source = source;
	}

	/** Epoch ms, UTC (meaningless while !known). */
	now(): number {
		return this.#source.now();
	}

	/** The wall time is set (2024 or later). */
	get known(): boolean {
		return this.#source.now() >= KNOWN_AFTER_MS;
	}

	/**
	 * Sets the wall time (SNTP, BLE, a command), epoch seconds UTC. A time before 2024 is
	 * refused (RangeError): it cannot be a real time, and accepting it would look "set".
	 */
	set(epochSeconds: number): void {
		if (!Number.isFinite(epochSeconds) || epochSeconds * 1000 < KNOWN_AFTER_MS) throw new RangeError("clock: time before 2024");
		this.#source.set(epochSeconds);
	}

	/** Local offset from UTC, ms (Time.timezone + Time.dst). */
	offsetMs(): number {
		return this.#source.offsetSeconds() * 1000;
	}

	/** Minutes since local Sunday 00:00 (fractional), for an epoch time. */
	minuteOfWeek(epochMs: number): number {
		return minuteOfWeek(epochMs, this.offsetMs());
	}
}

/** Minutes since local Sunday 00:00 (fractional, 0 ≤ m < 10080) of an epoch time at a fixed offset. */
export function minuteOfWeek(epochMs: number, offsetMs: number): number {
	const minutes = (epochMs + offsetMs) / MINUTE_MS + EPOCH_WEEKDAY * DAY_MINUTES;
	const m = minutes % WEEK_MINUTES;
	return m < 0 ? m + WEEK_MINUTES : m;
}

Object.freeze(WallClock.prototype);
