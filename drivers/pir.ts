/*
 * PIR motion sensor on a digital input (e.g. HC-SR501 / AM312 modules: push-pull output, high while
 * motion is detected), ECMA-419 Sensor Class Pattern with an injected `embedded:io/digital` class.
 *
 * Debounce: a level counts once it has been stable for `debounceMs` (edges closer together are
 * wiring noise). With `options.timer` (Moddable's Timer has the shape) the driver re-checks the
 * pin debounceMs after each edge and calls onMotion promptly; without it, a stable level is
 * accepted at the next edge or the next sample(), so poll sample() at least every debounceMs.
 */
import type { DigitalConstructor, DigitalInstance, DigitalPinOptions, Now } from "drivers/io";
import { SensorError, optionError, closedError, type OnError } from "drivers/errors";

const CHIP = "pir";
/** Default debounce, ms: well under a PIR's shortest output pulse (AM312: ~2 s hold) and above contact/EMI spikes. */
const DEFAULT_DEBOUNCE_MS = 50;

/** The part of Moddable's `timer` module the driver uses, injected. */
export interface TimerLike {
	set(callback: () => void, ms: number): unknown;
	clear(timer: unknown): void;
}

export interface PirOptions {
	readonly sensor: DigitalPinOptions;
	/** The output is low while motion is detected. Default false. */
	readonly activeLow?: boolean;
	readonly debounceMs?: number;
	/** Called when the debounced state changes. */
	readonly onMotion?: (detected: boolean) => void;
	readonly onError?: OnError;
	readonly now?: Now;
	readonly timer?: TimerLike;
}

export interface PirSample {
	readonly motion: { detected: boolean | undefined };
}

export default class PIR {
	#io: DigitalInstance | undefined;
	readonly #activeLevel: number;
	readonly #debounceMs: number;
	readonly #onMotion: ((detected: boolean) => void) | undefined;
	readonly #onError: OnError | undefined;
	readonly #now: Now;
	readonly #timer: TimerLike | undefined;
	readonly #result: PirSample = { motion: { detected: undefined } };
	#state = false;
	#candidate = false;
	#since = 0;
	#pending: unknown;

	constructor(options: PirOptions) {
		const sensor = options?.sensor;
		const Digital: DigitalConstructor | undefined = sensor?.io;
		if (typeof Digital !== "function" || !Number.isInteger(sensor.pin)) throw optionError(CHIP, "sensor");
		const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
		if (!(debounceMs >= 0 && Number.isFinite(debounceMs))) throw optionError(CHIP, "debounceMs");
		this.#debounceMs = debounceMs;
		this.#activeLevel = options.activeLow ? 0 : 1;
		this.#onMotion = options.onMotion;
		this.#onError = options.onError;
		this.#now = options.now ?? Date.now;
		this.#timer = options.timer;
		const io = new Digital({
			pin: sensor.pin,
			mode: sensor.mode ?? Digital.Input,
			edge: Digital.Rising | Digital.Falling, // both edges: a bit set, not a typo
			onReadable: () => this.#edge(),
		});
		this.#io = io;
		this.#state = this.#candidate = io.read() === this.#activeLevel;
		this.#since = this.#now();
	}

	sample(): PirSample {
		if (!this.#io) throw closedError(CHIP);
		this.#settle();
		this.#result.motion.detected = this.#state;
		return this.#result;
	}

	close(): void {
		if (this.#pending !== undefined) this.#timer?.clear(this.#pending);
		this.#pending = undefined;
		this.#io?.close();
		this.#io = undefined;
	}

	#read(): boolean | undefined {
		try {
			return this.#io!.read() === this.#activeLevel;
		} catch {
			this.#onError?.(SensorError.bus);
			return undefined;
		}
	}

	#edge(): void {
		if (!this.#io) return;
		const now = this.#now();
		// the level before this edge was stable from #since until now
		if (this.#candidate !== this.#state && now - this.#since >= this.#debounceMs) this.#accept(this.#candidate);
		const active = this.#read();
		if (active === undefined) return;
		this.#candidate = active;
		this.#since = now;
		if (this.#debounceMs === 0) {
			if (active !== this.#state) this.#accept(active);
			return;
		}
		const timer = this.#timer;
		if (timer) {
			if (this.#pending !== undefined) timer.clear(this.#pending);
			this.#pending = timer.set(() => {
				this.#pending = undefined;
				this.#settle();
			}, this.#debounceMs);
		}
	}

	/** Accepts the candidate level if the pin still shows it and it has been stable long enough. */
	#settle(): void {
		if (!this.#io) return;
		const active = this.#read();
		if (active === undefined) return;
		const now = this.#now();
		if (active !== this.#candidate) {
			this.#candidate = active; // an edge the driver did not see
			this.#since = now;
			return;
		}
		if (active !== this.#state && now - this.#since >= this.#debounceMs) this.#accept(active);
	}

	#accept(active: boolean): void {
		this.#state = active;
		this.#onMotion?.(active);
	}
}

Object.freeze(PIR.prototype);
