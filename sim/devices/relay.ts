/*
 * An electromechanical relay on a simulated output pin. The coil energises only once the pin has
 * held the active level for the operate time (typical small signal relays: ≤10 ms), so
 * microsecond glitches (an ESP32 output starts low) are counted as glitches, not operations.
 * It counts operations (contact wear) and time energised, and can drive a feedback pin from an
 * auxiliary contact. Time-dependent: call update() after advancing the clock.
 */
import type { SimClock } from "sim/devices/i2c-target";
import type { SimPin, Level } from "sim/devices/digital-pin";

export interface RelayModelOptions {
	readonly pin: SimPin;
	readonly clock: SimClock;
	readonly activeLow?: boolean;
	/** Operate time, ms. */
	readonly operateMs?: number;
	/** Auxiliary contact: driven to `feedbackActive` while energised. */
	readonly feedback?: SimPin;
	readonly feedbackActive?: Level;
	/** Fault: contacts welded, the relay stays as it is whatever the coil does. */
	readonly welded?: boolean;
}

export class RelayModel {
	readonly #pin: SimPin;
	readonly #clock: SimClock;
	readonly #onLevel: number;
	readonly #operateMs: number;
	readonly #feedback: SimPin | undefined;
	readonly #feedbackActive: Level;
	#welded: boolean;
	#pinOn: boolean;
	#pinSince: number;
	#energized = false;
	#energizedSince = 0;
	#operations = 0;
	#glitches = 0;
	#onTime = 0;

	constructor(options: RelayModelOptions) {
		this.#pin = options.pin;
		this.#clock = options.clock;
		this.#onLevel = options.activeLow ? 0 : 1;
		this.#operateMs = options.operateMs ?? 10;
		this.#feedback = options.feedback;
		this.#feedbackActive = options.feedbackActive ?? 1;
		this.#welded = options.welded ?? false;
		this.#pinOn = this.#pin.level === this.#onLevel;
		this.#pinSince = this.#clock.now();
		this.#feedback?.set(this.#feedbackActive ? 0 : 1);
		this.#pin.subscribe((level) => {
			this.update();
			const on = level === this.#onLevel;
			if (on === this.#pinOn) return;
			if (!on && !this.#energized) this.#glitches++; // released before the coil pulled in
			this.#pinOn = on;
			this.#pinSince = this.#clock.now();
			if (!on) this.#set(false, this.#clock.now());
		});
	}

	/** Contacts welded: the relay no longer follows its coil. */
	weld(on: boolean): void {
		this.#welded = on;
	}

	get energized(): boolean {
		this.update();
		return this.#energized;
	}

	/** Completed pull-ins since construction. */
	get operations(): number {
		this.update();
		return this.#operations;
	}

	/** Active-level pulses shorter than the operate time. */
	get glitches(): number {
		return this.#glitches;
	}

	get onTimeMs(): number {
		this.update();
		return this.#onTime + (this.#energized ? this.#clock.now() - this.#energizedSince : 0);
	}

	update(): void {
		if (this.#pinOn && !this.#energized && this.#clock.now() - this.#pinSince >= this.#operateMs)
			this.#set(true, this.#pinSince + this.#operateMs);
	}

	#set(energized: boolean, now: number): void {
		if (this.#welded || energized === this.#energized) return;
		if (energized) {
			this.#operations++;
			this.#energizedSince = now;
		} else this.#onTime += now - this.#energizedSince;
		this.#energized = energized;
		this.#feedback?.set(energized === Boolean(this.#feedbackActive) ? 1 : 0);
	}
}
