/*
 * Relay (or any on/off load) on a digital output, active-high or active-low (most opto-isolated
 * relay boards energise on a low input). Safety rules (peer-defaults §2, "Relays at boot"): the
 * constructor drives the pin to OFF before anything else; close() drives OFF before releasing.
 *
 * Read-back: an ECMA-419 output cannot be read on the ESP32 (Moddable's digitalbank.c throws
 * "unimplemented"), so the commanded state is what the driver knows. With `options.feedback` (an
 * input wired to an auxiliary contact or coil-sense optocoupler) sample() checks the real state once
 * `settleMs` have passed since the last switch, and reports "readback" with `relay.on` undefined on
 * disagreement.
 * Hazard: the ESP32 configures an output low before the first write, so an active-low board sees a
 * low pulse of a few microseconds at construction: too short for an electromechanical relay
 * (operate time ~10 ms) but not for a solid-state one. Prefer active-high inputs for SSRs.
 */
import type { DigitalConstructor, DigitalInstance, DigitalPinOptions, Now } from "drivers/io";
import { SensorError, optionError, closedError, type OnError } from "drivers/errors";

const CHIP = "relay";
/** Default settle time before the feedback is trusted: relay operate/release time ≤10 ms plus bounce. */
const DEFAULT_SETTLE_MS = 20;

export interface RelayOptions {
	readonly relay: DigitalPinOptions;
	/** The relay is energised by a low level. Default false. */
	readonly activeLow?: boolean;
	/** Optional input showing the real state (auxiliary contact, coil sense). */
	readonly feedback?: DigitalPinOptions & { readonly activeLow?: boolean };
	readonly settleMs?: number;
	readonly onError?: OnError;
	readonly now?: Now;
}

export interface RelaySample {
	readonly relay: { on: boolean | undefined };
}

export default class Relay {
	#io: DigitalInstance | undefined;
	#feedback: DigitalInstance | undefined;
	readonly #onLevel: 0 | 1;
	readonly #offLevel: 0 | 1;
	readonly #feedbackOn: number;
	readonly #settleMs: number;
	readonly #onError: OnError | undefined;
	readonly #now: Now;
	readonly #result: RelaySample = { relay: { on: undefined } };
	#on = false;
	#switchedAt = -Infinity;

	constructor(options: RelayOptions) {
		const relay = options?.relay, feedback = options?.feedback;
		const Digital: DigitalConstructor | undefined = relay?.io;
		if (typeof Digital !== "function" || !Number.isInteger(relay.pin)) throw optionError(CHIP, "relay");
		if (feedback !== undefined && (typeof feedback.io !== "function" || !Number.isInteger(feedback.pin)))
			throw optionError(CHIP, "feedback");
		const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
		if (!(settleMs >= 0 && Number.isFinite(settleMs))) throw optionError(CHIP, "settleMs");
		this.#settleMs = settleMs;
		this.#onLevel = options.activeLow ? 0 : 1;
		this.#offLevel = options.activeLow ? 1 : 0;
		this.#feedbackOn = feedback?.activeLow ? 0 : 1;
		this.#onError = options.onError;
		this.#now = options.now ?? Date.now;
		const io = new Digital({ pin: relay.pin, mode: relay.mode ?? Digital.Output });
		try {
			io.write(this.#offLevel);
			if (feedback) this.#feedback = new feedback.io({ pin: feedback.pin, mode: feedback.mode ?? feedback.io.Input });
		} catch (error) {
			io.close();
			throw new Error(`${CHIP}: cannot drive OFF`, { cause: error });
		}
		this.#io = io;
		this.#switchedAt = this.#now();
	}

	/** The commanded state. */
	get on(): boolean {
		return this.#on;
	}

	set on(value: boolean) {
		this.write(value);
	}

	write(on: boolean): void {
		const io = this.#io;
		if (!io) throw closedError(CHIP);
		const next = Boolean(on);
		if (next !== this.#on) this.#switchedAt = this.#now();
		this.#on = next;
		try {
			io.write(next ? this.#onLevel : this.#offLevel);
		} catch {
			this.#onError?.(SensorError.bus);
		}
	}

	/** `relay.on`: the commanded state, checked against the feedback input when there is one. */
	sample(): RelaySample {
		if (!this.#io) throw closedError(CHIP);
		const result = this.#result;
		result.relay.on = this.#on;
		const feedback = this.#feedback;
		if (!feedback || this.#now() - this.#switchedAt < this.#settleMs) return result;
		let level: number;
		try {
			level = feedback.read();
		} catch {
			result.relay.on = undefined;
			this.#onError?.(SensorError.bus);
			return result;
		}
		if ((level === this.#feedbackOn) !== this.#on) {
			result.relay.on = undefined;
			this.#onError?.(SensorError.readback);
		}
		return result;
	}

	/** Drives OFF, then releases the pins. Idempotent. */
	close(): void {
		const io = this.#io;
		if (!io) return;
		this.#io = undefined;
		this.#on = false;
		try {
			io.write(this.#offLevel);
		} catch {
			this.#onError?.(SensorError.bus);
		}
		io.close();
		this.#feedback?.close();
		this.#feedback = undefined;
	}
}

Object.freeze(Relay.prototype);
