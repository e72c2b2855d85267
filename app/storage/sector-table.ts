/*
 * Per-sector bookkeeping of the record log (internal to app/storage): each sector's sector
 * sequence (0: not in use), the sequence number its header gives its first record, and the
 * end of its parseable records; plus the trimmed-through watermark shared by the log and its
 * cursors. Sectors are ordered by sector sequence, oldest first; with a few dozen sectors at
 * most, a linear scan finds the next one without any index to keep.
 */
import { SectorHeader } from "app/storage/log-format";

export class SectorTable {
	readonly #seqOf: Uint32Array;
	readonly #firstOf: Uint32Array;
	readonly #endOf: Uint32Array;
	#trimmed = 0;

	constructor(sectors: number) {
		this.#seqOf = new Uint32Array(sectors);
		this.#firstOf = new Uint32Array(sectors);
		this.#endOf = new Uint32Array(sectors);
	}

	/** Sectors in the partition. */
	get count(): number {
		return this.#seqOf.length;
	}

	/** The trimmed-through watermark in effect, shared by the log and its cursors. */
	get trimmed(): number {
		return this.#trimmed;
	}
	setTrimmed(through: number): void {
		this.#trimmed = through;
	}

	seqOf(sector: number): number {
		return this.#seqOf[sector];
	}
	firstOf(sector: number): number {
		return this.#firstOf[sector];
	}
	endOf(sector: number): number {
		return this.#endOf[sector];
	}
	setEnd(sector: number, end: number): void {
		this.#endOf[sector] = end;
	}
	/** Puts `sector` in use with the given header fields; its records end right after the header. */
	use(sector: number, seq: number, first: number): void {
		this.#seqOf[sector] = seq;
		this.#firstOf[sector] = first;
		this.#endOf[sector] = SectorHeader.SIZE;
	}
	/** Takes `sector` out of use (erased, retired or invalid). */
	release(sector: number): void {
		this.#seqOf[sector] = 0;
		this.#firstOf[sector] = 0;
		this.#endOf[sector] = 0;
	}

	/** The sector in use with the lowest sector sequence, or -1. */
	oldest(): number {
		return this.after(-1);
	}

	/** The sector in use with the lowest sector sequence above `sector`'s (-1: above none), or -1. */
	after(sector: number): number {
		const seqOf = this.#seqOf;
		const floor = sector < 0 ? 0 : seqOf[sector];
		let best = -1;
		for (let s = 0; s < seqOf.length; s++) {
			const seq = seqOf[s];
			if (seq > floor && (best < 0 || seq < seqOf[best])) best = s;
		}
		return best;
	}
}
Object.freeze(SectorTable.prototype);
