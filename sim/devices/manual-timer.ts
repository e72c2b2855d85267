/*
 * A timer service driven by a ManualClock: set(callback, ms) / clear(id), the shape of the part of
 * Moddable's Timer that drivers take as `options.timer`. run() fires everything due, in due order.
 */
import type { ManualClock } from "sim/devices/manual-clock";

interface Entry {
	readonly due: number;
	readonly callback: () => void;
}

export class ManualTimer {
	readonly #clock: ManualClock;
	readonly #entries = new Set<Entry>();

	constructor(clock: ManualClock) {
		this.#clock = clock;
	}

	set(callback: () => void, ms: number): unknown {
		const entry = { due: this.#clock.now() + ms, callback };
		this.#entries.add(entry);
		return entry;
	}

	clear(id: unknown): void {
		this.#entries.delete(id as Entry);
	}

	get pending(): number {
		return this.#entries.size;
	}

	/** Advances the clock by `ms` (default 0) and fires the timers that fall due, oldest first. */
	run(ms = 0): void {
		const end = this.#clock.now() + ms;
		for (;;) {
			let next: Entry | undefined;
			for (const e of this.#entries) if (e.due <= end && (!next || e.due < next.due)) next = e;
			if (!next) break;
			this.#entries.delete(next);
			if (next.due > this.#clock.now()) this.#clock.set(next.due);
			next.callback();
		}
		if (end > this.#clock.now()) this.#clock.set(end);
	}
}
