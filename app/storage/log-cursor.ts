/*
 * A read position in a RecordLog: made once by log.cursor(), then moved with first(),
 * next() and seek(), allocating nothing. It sees committed data records on flash whose
 * sequence numbers are above the trimmed watermark, oldest first; records still in the
 * log's RAM staging appear after flush(). A cursor at the last record stays there when
 * next() returns false, so a later next() picks up records appended since.
 * If the sector under the cursor is recycled (trimmed or dropped), next() resumes at the
 * first record after the cursor's sequence number, and read() throws Error("stale cursor").
 */
import { Kind, RecordHeader, SectorHeader } from "app/storage/log-format";
import { Parse, type SectorRing } from "app/storage/sector-ring";

export class LogCursor {
	readonly #ring: SectorRing;
	/** -1: not positioned. */
	#sector = -1;
	#sectorSeq = 0;
	#offset = 0;
	#seq = 0;
	#length = 0;

	/** Use RecordLog.cursor(). */
	constructor(ring: SectorRing) {
		this.#ring = ring;
	}

	/** The current record's sequence number (0 before the first). */
	get seq(): number {
		return this.#sector < 0 ? 0 : this.#seq;
	}

	/** The current record's payload bytes (0 before the first). */
	get length(): number {
		return this.#sector < 0 ? 0 : this.#length;
	}

	/** Moves to the oldest readable record; false when there is none (the cursor is reset). */
	first(): boolean {
		return this.seek(0);
	}

	/** Moves to the first readable record with a sequence number >= `seq`; false when none (reset). */
	seek(seq: number): boolean {
		if (!Number.isInteger(seq) || seq < 0) throw new RangeError("invalid seq");
		this.#sector = -1;
		this.#seq = seq > 0 ? seq - 1 : 0;
		return this.next();
	}

	/** Moves to the next readable record; false (staying put) when there is none yet. */
	next(): boolean {
		const ring = this.#ring;
		let sector = this.#sector, offset: number;
		if (sector >= 0 && ring.seqOf(sector) === this.#sectorSeq) {
			offset = this.#offset + RecordHeader.SIZE + this.#length;
		} else {
			sector = ring.oldest(); // fresh, or the sector was recycled: rescan past #seq
			offset = SectorHeader.SIZE;
		}
		const floor = Math.max(this.#seq, ring.trimmed);
		while (sector >= 0) {
			const end = ring.endOf(sector);
			while (offset < end) {
				const found = ring.parse(sector, offset, false);
				if (found === Parse.END || found === Parse.BROKEN) break;
				if (found === Parse.RECORD && ring.kind === Kind.DATA && ring.value > floor) {
					this.#sector = sector;
					this.#sectorSeq = ring.seqOf(sector);
					this.#offset = offset;
					this.#seq = ring.value;
					this.#length = ring.length;
					return true;
				}
				offset += RecordHeader.SIZE + ring.length;
			}
			sector = ring.after(sector);
			offset = SectorHeader.SIZE;
		}
		return false;
	}

	/**
	 * Copies the current record's payload to the start of `into` (at least `length` bytes,
	 * at most the partition size) and returns its length. Bytes of `into` past the length are
	 * overwritten with unspecified flash contents. Throws RangeError("no record") before
	 * first(), Error("stale cursor") when the record's sector was recycled, and
	 * Error("corrupt record") when its CRC fails.
	 */
	read(into: Uint8Array): number {
		if (this.#sector < 0) throw new RangeError("no record");
		if (this.#ring.seqOf(this.#sector) !== this.#sectorSeq) throw new Error("stale cursor");
		return this.#ring.readPayload(this.#sector, this.#offset, into);
	}
}
Object.freeze(LogCursor.prototype);
