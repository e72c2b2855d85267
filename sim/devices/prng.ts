/*
 * Seedable deterministic PRNG for simulated sensor noise: mulberry32 (32-bit state,
 * period 2^32), plus a Box-Muller normal deviate. Same seed, same sequence, on every engine.
 */

export class Prng {
	#state: number;
	#spare = NaN;

	constructor(seed: number) {
		this.#state = seed >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Uniform integer in [0, bound). */
	int(bound: number): number {
		return Math.floor(this.next() * bound);
	}

	/** Normal deviate with mean 0 and standard deviation `sigma` (Box-Muller, pairs cached). */
	gaussian(sigma = 1): number {
		if (!Number.isNaN(this.#spare)) {
			const value = this.#spare;
			this.#spare = NaN;
			return value * sigma;
		}
		let u = 0;
		while (u === 0) u = this.next();
		const v = this.next();
		const r = Math.sqrt(-2 * Math.log(u));
		this.#spare = r * Math.sin(2 * Math.PI * v);
		return r * Math.cos(2 * Math.PI * v) * sigma;
	}
}
