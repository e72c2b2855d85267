/*
 * A PIR module's output on a simulated pin (HC-SR501 style): goes active on detection and stays
 * active for `holdMs` after the last detection (retriggerable mode); `glitch()` injects a short
 * spike as induced noise would. Time-dependent: call update() after advancing the clock.
 */
import type { SimClock } from "sim/devices/i2c-target";
import type { SimPin, Level } from "sim/devices/digital-pin";

export interface PirModelOptions {
	readonly pin: SimPin;
	readonly clock: SimClock;
	/** Output hold time after the last detection, ms (HC-SR501: adjustable ~3 s … 300 s). */
	readonly holdMs?: number;
	readonly activeLow?: boolean;
}

export class PirModel {
	readonly #pin: SimPin;
	readonly #clock: SimClock;
	readonly #holdMs: number;
	readonly #on: Level;
	readonly #off: Level;
	#until = -Infinity;

	constructor(options: PirModelOptions) {
		this.#pin = options.pin;
		this.#clock = options.clock;
		this.#holdMs = options.holdMs ?? 3000;
		this.#on = options.activeLow ? 0 : 1;
		this.#off = options.activeLow ? 1 : 0;
		this.#pin.set(this.#off);
	}

	/** Something warm moved: output active for holdMs from now. */
	detect(): void {
		this.#until = this.#clock.now() + this.#holdMs;
		this.#pin.set(this.#on);
	}

	/** A spike of the active level that ends at once (noise, not motion). */
	glitch(): void {
		if (this.active) return;
		this.#pin.set(this.#on);
		this.#pin.set(this.#off);
	}

	get active(): boolean {
		return this.#pin.level === this.#on;
	}

	/** Ends the hold period when its time has come. */
	update(): void {
		if (this.#clock.now() >= this.#until && this.#pin.level === this.#on) this.#pin.set(this.#off);
	}
}
