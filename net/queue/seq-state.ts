/*
 * The queue's durable state: a record log (app/storage) of its own in the partition's first
 * sectors, written through (no staging), whose newest valid record is the state
 * (net/queue/queue-format State): the reserved block of sequence numbers, the block's anchor in
 * the data log's numbering, the newest gap entry not yet known to be on flash, and whether the
 * queue was closed cleanly. Older records are history: the ring recycles them (drop-oldest),
 * and the newest one always lives in the head sector, which a recycle never touches.
 *
 * The fields are set one by one and written by save(), which appends one record from a buffer
 * allocated once: a save allocates nothing. A flash error propagates from save(); the fields
 * keep what was being written (the record may or may not be on flash).
 */
import type { Flash } from "embedded:storage/flash";
import { RecordLog, type Recovery } from "app/storage/record-log";
import { STATE_MAGIC, State, StateFlag } from "net/queue/queue-format";

const RESERVED = 0xff;

export class SeqState {
	readonly #log: RecordLog;
	readonly #bytes = new Uint8Array(State.SIZE);
	readonly #view = new DataView(this.#bytes.buffer);
	#found = false;
	#flags = 0;
	#first = 0;
	#through = 0;
	#anchor = 0;
	#pendingSeq = 0;
	#pendingFrom = 0;
	#pendingTo = 0;
	#pendingDropped = 0;
	#pendingCause = 0;

	/** Mounts the state log on `flash` (a FlashRange) and reads its newest valid record. */
	static mount(flash: Flash): SeqState {
		return new SeqState(RecordLog.mount(flash));
	}

	private constructor(log: RecordLog) {
		this.#log = log;
		const cursor = log.cursor();
		for (let more = cursor.first(); more; more = cursor.next()) {
			if (cursor.length !== State.SIZE) continue; // not a state record
			try {
				cursor.read(this.#bytes);
			} catch {
				continue; // corrupt since mount: an older record stands
			}
			if (this.#decode()) this.#found = true;
		}
	}

	/** What mounting the state log found. */
	get recovery(): Recovery {
		return this.#log.recovery;
	}
	/** A state record was found at mount (false on a new partition). */
	get found(): boolean {
		return this.#found;
	}
	get closed(): boolean {
		return (this.#flags & StateFlag.CLOSED) !== 0;
	}
	get first(): number {
		return this.#first;
	}
	get through(): number {
		return this.#through;
	}
	get anchor(): number {
		return this.#anchor;
	}
	get pending(): boolean {
		return (this.#flags & StateFlag.PENDING) !== 0;
	}
	get pendingSeq(): number {
		return this.#pendingSeq;
	}
	get pendingFrom(): number {
		return this.#pendingFrom;
	}
	get pendingTo(): number {
		return this.#pendingTo;
	}
	get pendingDropped(): number {
		return this.#pendingDropped;
	}
	get pendingCause(): number {
		return this.#pendingCause;
	}

	/** Sets the reserved block (first..through) and its anchor; clears CLOSED. */
	setBlock(first: number, through: number, anchor: number): void {
		this.#first = first;
		this.#through = through;
		this.#anchor = anchor;
		this.#flags &= ~StateFlag.CLOSED;
	}

	/** Marks the state closed: every number through `last` was used and is on flash. */
	setClosed(last: number, anchor: number): void {
		this.#first = last + 1;
		this.#through = last;
		this.#anchor = anchor;
		this.#flags = StateFlag.CLOSED;
	}

	/** Names the newest gap entry not yet known to be on flash, with its content. */
	setPending(seq: number, from: number, to: number, dropped: number, cause: number): void {
		this.#pendingSeq = seq;
		this.#pendingFrom = from;
		this.#pendingTo = to;
		this.#pendingDropped = dropped;
		this.#pendingCause = cause;
		this.#flags |= StateFlag.PENDING;
	}

	clearPending(): void {
		this.#pendingSeq = this.#pendingFrom = this.#pendingTo = this.#pendingDropped = this.#pendingCause = 0;
		this.#flags &= ~StateFlag.PENDING;
	}

	/**
	 * The sequence number of the data-log record numbered `logSeq`, from the newest state
	 * record anchored at or below it (entries map one to one onto data-log records within a
	 * block: README, "Lockstep"); 0 when the history no longer reaches back that far. Reads
	 * every state record (mount-time only).
	 */
	seqAtLog(logSeq: number): number {
		const cursor = this.#log.cursor(), bytes = this.#bytes, view = this.#view;
		let seq = 0;
		for (let more = cursor.first(); more; more = cursor.next()) {
			if (cursor.length !== State.SIZE) continue;
			try {
				cursor.read(bytes);
			} catch {
				continue;
			}
			if (bytes[State.MAGIC] !== STATE_MAGIC) continue;
			const anchor = view.getUint32(State.ANCHOR, true);
			if (anchor !== 0 && anchor <= logSeq) seq = view.getUint32(State.FIRST, true) + (logSeq - anchor);
		}
		return seq;
	}

	/** Appends the fields as the new state record; on flash when it returns. */
	save(): void {
		const bytes = this.#bytes, view = this.#view;
		bytes.fill(RESERVED);
		bytes[State.MAGIC] = STATE_MAGIC;
		bytes[State.FLAGS] = this.#flags;
		view.setUint32(State.FIRST, this.#first, true);
		view.setUint32(State.THROUGH, this.#through, true);
		view.setUint32(State.ANCHOR, this.#anchor, true);
		view.setUint32(State.PENDING_SEQ, this.#pendingSeq, true);
		view.setUint32(State.PENDING_FROM, this.#pendingFrom, true);
		view.setUint32(State.PENDING_TO, this.#pendingTo, true);
		view.setUint32(State.PENDING_DROPPED, this.#pendingDropped, true);
		bytes[State.PENDING_CAUSE] = this.#pendingCause;
		this.#log.append(bytes);
		this.#found = true;
	}

	/** Takes the fields of the record in the buffer if it is a state record. */
	#decode(): boolean {
		const bytes = this.#bytes, view = this.#view;
		const flags = bytes[State.FLAGS];
		if (bytes[State.MAGIC] !== STATE_MAGIC || (flags & ~(StateFlag.CLOSED | StateFlag.PENDING)) !== 0) return false;
		const first = view.getUint32(State.FIRST, true), through = view.getUint32(State.THROUGH, true);
		if (first === 0 || through + 1 < first) return false;
		this.#flags = flags;
		this.#first = first;
		this.#through = through;
		this.#anchor = view.getUint32(State.ANCHOR, true);
		this.#pendingSeq = view.getUint32(State.PENDING_SEQ, true);
		this.#pendingFrom = view.getUint32(State.PENDING_FROM, true);
		this.#pendingTo = view.getUint32(State.PENDING_TO, true);
		this.#pendingDropped = view.getUint32(State.PENDING_DROPPED, true);
		this.#pendingCause = bytes[State.PENDING_CAUSE];
		return true;
	}
}
Object.freeze(SeqState.prototype);
