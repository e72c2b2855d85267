/*
 * QueueEntry: the view of one queue entry (net/queue/queue-format Entry) that peek() refills
 * in place: a telemetry record (seq, time, clock, JSON body) or a gap notice (a range of
 * sequence numbers that will never be delivered, with its cause). Getters read the entry's
 * bytes; nothing is allocated. The view is valid until the next peek(), take() or rewind().
 */
import { Entry, EntryFlag, EntryKind, Gap } from "net/queue/queue-format";

export class QueueEntry {
	readonly #bytes: Uint8Array;
	readonly #view: DataView;
	#length = 0;

	/** `bytes` is the queue's read buffer. */
	constructor(bytes: Uint8Array) {
		this.#bytes = bytes;
		this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	}

	/** EntryKind.RECORD or EntryKind.GAP. */
	get kind(): number {
		return this.#bytes[Entry.KIND];
	}
	get isGap(): boolean {
		return this.#bytes[Entry.KIND] === EntryKind.GAP;
	}
	get seq(): number {
		return this.#view.getUint32(Entry.SEQ, true);
	}
	/** Milliseconds: since 1970-01-01 UTC when wallClock, else since the device booted. */
	get time(): number {
		return this.#view.getFloat64(Entry.TIME, true);
	}
	get wallClock(): boolean {
		return (this.#bytes[Entry.FLAGS] & EntryFlag.WALL_CLOCK) !== 0;
	}
	/** The entry's bytes: a record's body is bytes[BODY_OFFSET, BODY_OFFSET + bodyLength). */
	get bytes(): Uint8Array {
		return this.#bytes;
	}
	get bodyLength(): number {
		return this.#bytes[Entry.KIND] === EntryKind.RECORD ? this.#view.getUint16(Entry.LENGTH, true) : 0;
	}
	/** Gap: the first and last sequence numbers that will never be delivered (see README, "Gaps"). */
	get gapFrom(): number {
		return this.isGap ? this.#view.getUint32(Gap.FROM, true) : 0;
	}
	get gapTo(): number {
		return this.isGap ? this.#view.getUint32(Gap.TO, true) : 0;
	}
	/** Gap: entries dropped for capacity whose numbers are in the range. */
	get gapDropped(): number {
		return this.isGap ? this.#view.getUint32(Gap.DROPPED, true) : 0;
	}
	/** Gap: GapCause. */
	get gapCause(): number {
		return this.isGap ? this.#bytes[Gap.CAUSE] : 0;
	}
	/** Bytes of the entry as stored (a multiple of ENTRY_STEP). */
	get storedLength(): number {
		return this.#length;
	}

	/** Checks the `length` bytes just read into the buffer; false when they are not a queue entry. */
	decode(length: number): boolean {
		this.#length = 0;
		if (length < Entry.HEADER || length > this.#bytes.length) return false;
		const kind = this.#bytes[Entry.KIND], flags = this.#bytes[Entry.FLAGS];
		if ((flags & ~EntryFlag.WALL_CLOCK) !== 0 || this.#view.getUint32(Entry.SEQ, true) === 0) return false;
		if (kind === EntryKind.RECORD) {
			if (Entry.HEADER + this.#view.getUint16(Entry.LENGTH, true) > length) return false;
		} else if (kind !== EntryKind.GAP || length < Gap.SIZE) return false;
		this.#length = length;
		return true;
	}
}
Object.freeze(QueueEntry.prototype);

/** Where a record's body starts in QueueEntry.bytes. */
export const BODY_OFFSET = Entry.BODY;
