/*
 * A SimClock that only moves when told to: tests and scenarios advance it explicitly,
 * so chip models (conversion times, FIFO fill) and drivers see the same deterministic time.
 */
import type { SimClock } from "sim/devices/i2c-target";

export class ManualClock implements SimClock {
	#t: number;

	constructor(start = 0) {
		this.#t = start;
	}

	now(): number {
		return this.#t;
	}

	advance(ms: number): number {
		if (!(ms >= 0)) throw new RangeError("invalid step");
		return (this.#t += ms);
	}

	set(t: number): void {
		if (!(t >= this.#t)) throw new RangeError("time goes forward");
		this.#t = t;
	}

	/** A bound `now` function, the shape drivers take as `options.now`. */
	get nowFn(): () => number {
		return () => this.#t;
	}
}
