/*
 * The queue's in-flight window: entries handed out for sending (take) and not yet released,
 * oldest first, each with its sequence number, its record number in the data log, and whether
 * it was acknowledged. Acknowledgements may arrive in any order inside the window; only the
 * acknowledged prefix leaves it (STYLE 2.4: the queue trims the contiguous prefix only).
 * A ring of typed arrays sized at construction: nothing is allocated afterwards.
 */
export class InFlightWindow {
	readonly #seq: Uint32Array;
	readonly #logSeq: Uint32Array;
	readonly #acked: Uint8Array;
	#head = 0;
	#count = 0;

	constructor(size: number) {
		this.#seq = new Uint32Array(size);
		this.#logSeq = new Uint32Array(size);
		this.#acked = new Uint8Array(size);
	}

	get size(): number {
		return this.#seq.length;
	}
	get count(): number {
		return this.#count;
	}
	get full(): boolean {
		return this.#count === this.#seq.length;
	}

	/** Adds the newest entry (the window must not be full). */
	push(seq: number, logSeq: number): void {
		const at = (this.#head + this.#count) % this.#seq.length;
		this.#seq[at] = seq;
		this.#logSeq[at] = logSeq;
		this.#acked[at] = 0;
		this.#count++;
	}

	/** Marks the entries with from <= seq <= to acknowledged; returns how many it newly marked. */
	mark(from: number, to: number): number {
		const n = this.#seq.length;
		let marked = 0;
		for (let i = 0; i < this.#count; i++) {
			const at = (this.#head + i) % n, seq = this.#seq[at];
			if (seq >= from && seq <= to && !this.#acked[at]) {
				this.#acked[at] = 1;
				marked++;
			}
		}
		return marked;
	}

	/** The oldest entry is acknowledged (false when the window is empty). */
	get headAcked(): boolean {
		return this.#count > 0 && this.#acked[this.#head] === 1;
	}
	get headSeq(): number {
		return this.#seq[this.#head];
	}
	get headLogSeq(): number {
		return this.#logSeq[this.#head];
	}

	/** Removes the oldest entry. */
	pop(): void {
		this.#head = (this.#head + 1) % this.#seq.length;
		this.#count--;
	}

	clear(): void {
		this.#head = 0;
		this.#count = 0;
	}
}
Object.freeze(InFlightWindow.prototype);
