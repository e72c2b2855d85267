/*
 * A persistent, append-only log of records on a NOR flash partition (ECMA-419
 * embedded:storage/flash), the base of the store-and-forward queue. Format, recovery,
 * guarantees and wear: app/storage/README.md.
 *
 *   const log = RecordLog.mount(flash.open({ path: "log" }), { onDrop });
 *   const seq = log.append(bytes);          // on flash when it returns (no staging)
 *   const cursor = log.cursor();            // once
 *   if (cursor.first()) do { use(cursor.seq, buffer, cursor.read(buffer)); } while (cursor.next());
 *   log.trim(lastConsumedSeq);              // consumed: never read again, even after a reboot
 *
 * The partition is a ring of sectors written in order; the newest (the head) takes appends.
 * When a record does not fit, the next sector is opened; if it still holds records, that is
 * the oldest sector and it is recycled: its unconsumed records are dropped (drop-oldest),
 * counted in `dropped` and reported to onDrop(count, throughSeq).
 *
 * With options.staging > 0, append() copies records into a RAM buffer of that size
 * (allocated once) and flush() programs them with one write plus one commit write each.
 * Staged records reach flash at flush(), or when a record does not fit the buffer or the
 * head sector, or at trim(): a staged record is lost in a power cut, and its sequence
 * number can be handed out again after one. The owner bounds the time in RAM by calling
 * flush() on its own schedule (the queue's batch interval); this module keeps no timer.
 *
 * A flash error (the chip lost power) propagates from append/flush/trim. The log then writes
 * nothing more in its head sector (the next record opens a new one) and drops its staging.
 * Steady-state append, flush and cursor moves and reads allocate nothing.
 */
import type { Flash } from "embedded:storage/flash";
import { Kind, MAX_SEQ, RecordHeader, SectorHeader } from "app/storage/log-format";
import { Parse, SectorRing } from "app/storage/sector-ring";
import { recover, type Mounted, type Recovery } from "app/storage/log-recovery";
import { LogCursor } from "app/storage/log-cursor";

export type { Recovery } from "app/storage/log-recovery";
export { LogCursor } from "app/storage/log-cursor";

/** Called after a recycle dropped `count` unconsumed records, all with sequence numbers <= throughSeq. */
export type DropHandler = (count: number, throughSeq: number) => void;

export interface RecordLogOptions {
	/** Bytes of RAM staging; 0 (default): every append is written through. */
	readonly staging?: number;
	readonly onDrop?: DropHandler;
}

const EMPTY = new Uint8Array(0);

export class RecordLog {
	readonly #ring: SectorRing;
	readonly #recovery: Recovery;
	readonly #onDrop: DropHandler | undefined;
	readonly #staging: Uint8Array;
	readonly #stagingView: DataView;
	#head: number;
	/** Next write position in the head; the sector size once the head is sealed. */
	#free: number;
	#nextSeq: number;
	#durableTrimmed: number;
	#dropped = 0;
	/** Staged bytes, their records, and the head offset the staging buffer maps to. */
	#staged = 0;
	#stagedRecords = 0;
	#window = 0;

	/** Scans the partition and recovers from any interrupted write or erase (see Recovery). */
	static mount(flash: Flash, options: RecordLogOptions = {}): RecordLog {
		if (typeof options !== "object" || options === null) throw new RangeError("invalid options");
		const { staging = 0, onDrop } = options;
		if (onDrop !== undefined && typeof onDrop !== "function") throw new RangeError("invalid onDrop");
		const ring = new SectorRing(flash);
		const most = ring.sectorSize - SectorHeader.SIZE;
		if (!Number.isInteger(staging) || staging < 0 || staging > most || (staging > 0 && staging <= RecordHeader.SIZE))
			throw new RangeError("invalid staging");
		return new RecordLog(ring, recover(ring), staging, onDrop); // recover here, not in the constructor: one frame less deep
	}

	private constructor(ring: SectorRing, mounted: Mounted, staging: number, onDrop: DropHandler | undefined) {
		this.#ring = ring;
		this.#onDrop = onDrop;
		this.#staging = staging ? new Uint8Array(staging).fill(0xff) : EMPTY;
		this.#stagingView = new DataView(this.#staging.buffer);
		this.#head = mounted.head;
		this.#free = mounted.free;
		this.#nextSeq = mounted.recovery.nextSeq;
		this.#durableTrimmed = mounted.recovery.trimmed;
		this.#recovery = mounted.recovery;
	}

	/** What mount found and repaired. */
	get recovery(): Recovery {
		return this.#recovery;
	}
	/** The largest payload append() takes: a sector minus its header and one record header. */
	get maxRecord(): number {
		return this.#ring.sectorSize - SectorHeader.SIZE - RecordHeader.SIZE;
	}
	/** The sequence number the next append gets. */
	get nextSeq(): number {
		return this.#nextSeq;
	}
	/** Records up to this sequence number are consumed. */
	get trimmed(): number {
		return this.#ring.trimmed;
	}
	/** The part of `trimmed` that a power cut now would keep (see trim()). */
	get durableTrimmed(): number {
		return this.#durableTrimmed;
	}
	/** Unconsumed records dropped by recycling since mount. */
	get dropped(): number {
		return this.#dropped;
	}
	/** Records in RAM staging, not yet on flash. */
	get staged(): number {
		return this.#stagedRecords;
	}

	/** A read position, made once and reused (see LogCursor). */
	cursor(): LogCursor {
		return new LogCursor(this.#ring);
	}

	/** Appends `payload` and returns its sequence number. RangeError above maxRecord bytes. */
	append(payload: Uint8Array): number {
		if (!(payload instanceof Uint8Array)) throw new RangeError("invalid payload");
		const length = payload.length;
		if (length > this.maxRecord) throw new RangeError("record too large");
		if (this.#nextSeq > MAX_SEQ) throw new RangeError("sequence exhausted");
		const need = RecordHeader.SIZE + length;
		if (need > this.#staging.length) {
			this.flush();
			if (this.#free + need > this.#ring.sectorSize) this.#advance();
			return this.#write(Kind.DATA, this.#nextSeq++, payload);
		}
		if (this.#staged && this.#free + this.#staged + need > this.#window + this.#staging.length) this.flush();
		if (this.#staged === 0) {
			if (this.#free + need > this.#ring.sectorSize) this.#advance();
			this.#window = Math.min(this.#free, this.#ring.sectorSize - this.#staging.length);
		}
		const seq = this.#nextSeq++;
		const at = this.#free + this.#staged - this.#window;
		this.#staging.set(payload, at + RecordHeader.SIZE);
		this.#ring.encode(this.#staging, this.#stagingView, at, Kind.DATA, seq, this.#staging, at + RecordHeader.SIZE, length);
		this.#staged += need;
		this.#stagedRecords++;
		return seq;
	}

	/**
	 * Programs the staged records: one write of the staging buffer at its place in the head
	 * (bytes around the records are 0xFF, which programming leaves unchanged), then each
	 * record's commit marker. Durable when it returns.
	 */
	flush(): void {
		const staged = this.#staged;
		if (staged === 0) return;
		const ring = this.#ring, staging = this.#staging, head = this.#head;
		const first = this.#free - this.#window;
		try {
			ring.program(head, this.#window, staging);
			for (let at = first; at < first + staged; at += RecordHeader.SIZE + this.#stagingView.getUint16(at + RecordHeader.LENGTH, true))
				ring.commit(head, this.#window + at);
			this.#free += staged;
			ring.setEnd(head, this.#free);
		} catch (error) {
			this.#free = ring.sectorSize; // sealed: the bytes after the last good record are unknown
			throw error;
		} finally {
			staging.fill(0xff, first, first + staged);
			this.#staged = 0;
			this.#stagedRecords = 0;
		}
	}

	/**
	 * Marks every record up to `throughSeq` consumed: cursors skip them and, once this returns,
	 * so does the log after a reboot, with one exception: when the head has no room for the
	 * watermark and no sector is free, it is kept in RAM (durableTrimmed lags) until the next
	 * sector opens. Sectors holding only consumed records are erased. Flushes staging first.
	 */
	trim(throughSeq: number): void {
		if (!Number.isInteger(throughSeq) || throughSeq < 0) throw new RangeError("invalid seq");
		this.flush();
		const ring = this.#ring;
		const through = Math.min(throughSeq, this.#nextSeq - 1);
		if (through <= ring.trimmed) return;
		ring.setTrimmed(through);
		if (this.#free + RecordHeader.SIZE <= ring.sectorSize) {
			this.#write(Kind.TRIM, through, EMPTY);
			this.#durableTrimmed = through;
			this.#eraseConsumed();
			return;
		}
		this.#eraseConsumed();
		if (ring.seqOf((this.#head + 1) % ring.count) === 0) this.#advance();
	}

	/** Write-through at the head's free position, which has room: header with the commit erased, payload, commit. */
	#write(kind: number, value: number, payload: Uint8Array): number {
		const ring = this.#ring, length = payload.length, need = RecordHeader.SIZE + length;
		const head = this.#head, at = this.#free;
		ring.encodeScratch(kind, value, payload, length);
		try {
			ring.programHeader(head, at);
			if (length) ring.program(head, at + RecordHeader.SIZE, payload);
			ring.commit(head, at);
		} catch (error) {
			this.#free = ring.sectorSize;
			throw error;
		}
		this.#free = at + need;
		ring.setEnd(head, this.#free);
		return value;
	}

	/** Opens the sector after the head, recycling it (drop-oldest) if it is in use. */
	#advance(): void {
		const ring = this.#ring, next = (this.#head + 1) % ring.count;
		let count = 0, through = 0;
		if (ring.seqOf(next) !== 0) {
			count = this.#unconsumed(next);
			const after = ring.after(next);
			through = (after >= 0 ? ring.firstOf(after) : this.#nextSeq) - 1;
			this.#dropped += count; // gone from here on, even if the erase fails
			ring.retireAndErase(next);
		} else ring.erase(next);
		const seq = ring.seqOf(this.#head) + 1, trimmed = ring.trimmed;
		ring.writeSectorHeader(next, seq, this.#nextSeq, trimmed);
		ring.use(next, seq, this.#nextSeq);
		this.#head = next;
		this.#free = SectorHeader.SIZE;
		this.#durableTrimmed = trimmed;
		if (count) this.#onDrop?.(count, through);
	}

	/** Erases the oldest sectors while every record in them is consumed (never the head). */
	#eraseConsumed(): void {
		const ring = this.#ring;
		for (let oldest = ring.oldest(); oldest >= 0 && oldest !== this.#head; oldest = ring.oldest()) {
			const after = ring.after(oldest);
			if (after < 0 || ring.firstOf(after) - 1 > ring.trimmed) return;
			ring.retireAndErase(oldest);
		}
	}

	/** Committed data records above the watermark in `sector`. */
	#unconsumed(sector: number): number {
		const ring = this.#ring, end = ring.endOf(sector), trimmed = ring.trimmed;
		let count = 0;
		for (let offset = SectorHeader.SIZE; offset < end; offset += RecordHeader.SIZE + ring.length) {
			const found = ring.parse(sector, offset, false);
			if (found === Parse.END || found === Parse.BROKEN) break;
			if (found === Parse.RECORD && ring.kind === Kind.DATA && ring.value > trimmed) count++;
		}
		return count;
	}
}
Object.freeze(RecordLog.prototype);
