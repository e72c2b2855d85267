/*
 * Occupancy from the PIR: occupied on motion, away after `awayAfterMs` without motion (default
 * 2 h, ecobee Smart Home/Away, peer-defaults §1.3), never switched to away while `sleep` is in
 * force (the sleep preset or a sleep schedule entry: people in bed do not move past the
 * thermostat). When sleep ends the countdown starts again from that moment, so a quiet house
 * at the end of the night becomes away `awayAfterMs` after sleep ended, not at once.
 *
 * The device boots "occupied" with the countdown starting at boot (no motion history survives
 * a reboot; assuming someone is home errs on the side of comfort). A PIR held high (someone
 * moving continuously) keeps the house occupied; the countdown runs from the falling edge.
 *
 * Everything is given the monotonic time (ms) by the caller: no timers here. update() is the
 * periodic check (every control tick); motion() is the PIR's callback. Changes call
 * `onChange(state, now, reason)` with a constant string reason: "motion", "no-motion",
 * "restored". Nothing allocates after construction.
 */

export type OccupancyState = "occupied" | "away";
export type OccupancyReason = "motion" | "no-motion" | "restored";

/** ecobee Smart Home/Away: away after 2 hours without occupancy, except during Sleep (§1.3). */
export const AWAY_AFTER_MS = 7_200_000;

export interface OccupancyOptions {
	readonly awayAfterMs?: number;
}

export type OccupancyListener = (state: OccupancyState, now: number, reason: OccupancyReason) => void;

export class Occupancy {
	readonly awayAfterMs: number;
	readonly #onChange: OccupancyListener | undefined;
	#state: OccupancyState = "occupied";
	/** The PIR sees motion now. */
	#active = false;
	/** Last motion (or its end), ms. */
	#lastMotion: number;
	/** The countdown to away runs from here: the later of the last motion, boot and the end of sleep. */
	#countFrom: number;
	#sleeping = false;

	constructor(now: number, options: OccupancyOptions = {}, onChange?: OccupancyListener) {
		const away = options.awayAfterMs ?? AWAY_AFTER_MS;
		if (!(away > 0 && Number.isFinite(away))) throw new RangeError("occupancy: awayAfterMs");
		this.awayAfterMs = away;
		this.#onChange = onChange;
		this.#lastMotion = -Infinity;
		this.#countFrom = now;
	}

	get state(): OccupancyState {
		return this.#state;
	}

	get occupied(): boolean {
		return this.#state === "occupied";
	}

	/** Last motion seen (ms; -Infinity before any). */
	get lastMotion(): number {
		return this.#lastMotion;
	}

	/** When the house becomes away if no motion comes (ms; Infinity while motion or sleep holds it, NaN when already away). */
	get awayAt(): number {
		if (this.#state === "away") return NaN;
		if (this.#active || this.#sleeping) return Infinity;
		return this.#countFrom + this.awayAfterMs;
	}

	/** The PIR's (debounced) level changed, or a motion event: `detected` true on motion, false at its end. */
	motion(now: number, detected = true): void {
		this.#active = detected;
		this.#lastMotion = now;
		if (now > this.#countFrom) this.#countFrom = now;
		if (detected) this.#set("occupied", now, "motion");
	}

	/** Periodic check; `sleeping` is true while the sleep preset or a sleep schedule entry is in force. */
	update(now: number, sleeping: boolean): void {
		if (this.#sleeping && !sleeping && now > this.#countFrom) this.#countFrom = now;
		this.#sleeping = sleeping;
		if (this.#state === "occupied" && !this.#active && !sleeping && now - this.#countFrom >= this.awayAfterMs)
			this.#set("away", now, "no-motion");
	}

	/** Restores a state (e.g. from a command or after a reboot the integrator chose to remember). */
	restore(state: OccupancyState, now: number): void {
		if (state !== "occupied" && state !== "away") throw new RangeError("occupancy: state");
		if (now > this.#countFrom) this.#countFrom = now;
		this.#set(state, now, "restored");
	}

	#set(state: OccupancyState, now: number, reason: OccupancyReason): void {
		if (state === this.#state) return;
		this.#state = state;
		this.#onChange?.(state, now, reason);
	}
}

Object.freeze(Occupancy.prototype);
