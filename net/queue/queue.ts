/*
 * The store-and-forward queue for telemetry (STYLE 2.4 queue/; net/queue/README.md): every
 * record gets a sequence number that is never reused, even across power cuts, and a time
 * stamp, and waits on flash until the broker acknowledged it.
 *
 *   const queue = TelemetryQueue.open(flash.open({ path: "log" }), { onDrop, onAvailable });
 *   const seq = queue.put(bodyBytes, length);     // a JSON object's bytes: {"temperature":21.5}
 *   for (let e = queue.peek(); e; e = queue.peek()) { send(e); queue.take(); }
 *   queue.ack(seq);                               // PUBACK: leaves the queue (prefix trim)
 *   queue.rewind();                               // session lost: unacknowledged entries again
 *
 * The partition holds two record logs (app/storage): the state log (its first STATE_SECTORS
 * sectors: reserved blocks of sequence numbers, see SeqState) and the data log (the rest: one
 * record per entry, RAM-staged, flushed at least every flushMs). Entries are records and gap
 * notices, in one stream in sequence order; a gap says which numbers will never come.
 * Steady-state put, peek, take, ack and flush allocate nothing.
 */
import type { Flash } from "embedded:storage/flash";
import Timer from "timer";
import Time from "time";
import { RecordLog, type LogCursor } from "app/storage/record-log";
import { FlashRange } from "net/queue/flash-range";
import { SeqState } from "net/queue/seq-state";
import { QueueEntry } from "net/queue/entry";
import { InFlightWindow } from "net/queue/in-flight";
import { restart } from "net/queue/restart";
import { Entry, ENTRY_STEP, EntryFlag, EntryKind, Gap, GapCause, MAX_SEQ, STATE_SECTORS } from "net/queue/queue-format";
import {
	checkOptions, entrySize, WALL_CLOCK_VALID_MS, type QueueDropHandler, type QueueOptions, type QueueRecovery, type QueueSetup,
} from "net/queue/queue-options";

export { QueueDefaults, WALL_CLOCK_VALID_MS, entrySize } from "net/queue/queue-options";
export type { QueueDropHandler, QueueOptions, QueueRecovery } from "net/queue/queue-options";

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const ERASED = 0xff;
// Where peek() resumes reading.
const FROM_NEXT = 0;
const FROM_FIRST = 1;
const FROM_SEEK = 2;

export class TelemetryQueue {
	readonly #data: RecordLog;
	readonly #state: SeqState;
	readonly #reader: LogCursor;
	readonly #scan: LogCursor;
	readonly #entry: QueueEntry;
	readonly #scanEntry: QueueEntry;
	readonly #readBytes: Uint8Array;
	readonly #scanBytes: Uint8Array;
	readonly #write: Uint8Array;
	readonly #writeView: DataView;
	/**
	 * #views[k]: the first (k + 1) * ENTRY_STEP bytes of #write, made the first time an entry of
	 * that size is written (a producer uses a few sizes: each view costs a few slots).
	 */
	readonly #views: (Uint8Array | undefined)[];
	readonly #window: InFlightWindow;
	readonly #reserve: number;
	readonly #flushMs: number;
	readonly #capacity: number;
	readonly #wallClock: () => number;
	readonly #uptime: () => number;
	readonly #onDrop: QueueDropHandler | undefined;
	readonly #onAvailable: (() => void) | undefined;
	readonly #onError: ((error: unknown) => void) | undefined;
	readonly #tick = (): void => this.#onTimer();
	#recovery: QueueRecovery | undefined;
	#timer: Timer | undefined;
	#armed = false;
	#closed = false;
	/** The next sequence number, and the last one reserved on flash. */
	#next = 1;
	#through = 0;
	/** Every number <= this has left the queue (acknowledged, dropped, or never held): oldest held - 1 at most. */
	#accounted = 0;
	#size = 0;
	#dropped = 0;
	#droppedThroughLog = 0;
	/**
	 * The lowest `from` of the gap entries held (0: none) and the newest gap entry's number: a
	 * drop may take a gap entry with it, so a drop's range reaches down to the floor.
	 */
	#gapFloor = 0;
	#lastGapSeq = 0;
	/** Entries dropped and not yet reported by a gap entry. */
	#dropCount = 0;
	/** First number a flash fault may have lost, not yet reported (0: none). */
	#faultFrom = 0;
	/** Data-log record number of the acknowledged prefix's last entry; #trimmed: what the log has. */
	#ackedLog = 0;
	/** Highest sequence number onAvailable announced. */
	#announced = 0;
	#peeked = false;
	#peekLog = 0;
	#from = FROM_FIRST;
	#seekTo = 0;

	/** Mounts the queue on the "log" partition (or any flash of MIN_PARTITION_SECTORS sectors). */
	static open(flash: Flash, options: QueueOptions = {}): TelemetryQueue {
		const setup = checkOptions(flash, options);
		const state = SeqState.mount(new FlashRange(flash, 0, STATE_SECTORS));
		const queue: TelemetryQueue = new TelemetryQueue(state, new FlashRange(flash, STATE_SECTORS, setup.blocks - STATE_SECTORS), setup,
			(count, through) => queue.#onLogDrop(count, through));
		queue.#start();
		return queue;
	}

	private constructor(state: SeqState, data: Flash, setup: QueueSetup, onLogDrop: (count: number, through: number) => void) {
		const { options, slot } = setup;
		this.#state = state;
		this.#data = RecordLog.mount(data, { staging: setup.staging, onDrop: onLogDrop });
		this.#reader = this.#data.cursor();
		this.#scan = this.#data.cursor();
		this.#readBytes = new Uint8Array(slot);
		this.#scanBytes = new Uint8Array(slot);
		this.#entry = new QueueEntry(this.#readBytes);
		this.#scanEntry = new QueueEntry(this.#scanBytes);
		this.#write = new Uint8Array(slot);
		this.#writeView = new DataView(this.#write.buffer);
		this.#views = new Array<Uint8Array | undefined>(slot / ENTRY_STEP).fill(undefined);
		this.#window = new InFlightWindow(setup.window);
		this.#reserve = setup.reserve;
		this.#flushMs = setup.flushMs;
		this.#capacity = setup.capacity;
		this.#wallClock = options.wallClock ?? Date.now;
		this.#uptime = options.uptime ?? (() => Time.ticks);
		this.#onDrop = options.onDrop;
		this.#onAvailable = options.onAvailable;
		this.#onError = options.onError;
	}

	/** What open() found and did. */
	get recovery(): QueueRecovery {
		return this.#recovery as QueueRecovery;
	}
	/** Entries held (on flash or staged) and not yet acknowledged (in-flight ones included). */
	get size(): number {
		return this.#size;
	}
	/** Entries taken and not yet acknowledged (or rewound). */
	get inFlight(): number {
		return this.#window.count;
	}
	/** Entries in RAM staging, not yet on flash. */
	get staged(): number {
		return this.#data.staged;
	}
	/** The number the next put() gets (unless a gap entry is written first). */
	get nextSeq(): number {
		return this.#next;
	}
	/** Every entry put with a number up to this is on flash (or was dropped or acknowledged since). */
	get durableSeq(): number {
		return this.#faultFrom ? this.#faultFrom - 1 : this.#next - 1 - this.#data.staged;
	}
	/** The oldest held entry's number (0: none); reads flash. */
	get oldestSeq(): number {
		const seq = this.#firstHeld();
		if (seq) return seq;
		return this.#data.staged ? this.#next - this.#data.staged : 0;
	}
	/** Entries dropped for capacity since open(). */
	get dropped(): number {
		return this.#dropped;
	}
	/** Entries of maxBody bytes the queue keeps without dropping any (README, "Capacity"). */
	get capacity(): number {
		return this.#capacity;
	}
	get maxBody(): number {
		return this.#write.length - Entry.HEADER;
	}

	/**
	 * Queues a record: body[0, length) is a JSON object's UTF-8 text, at most maxBody bytes.
	 * Returns its sequence number. With staging it is on flash within flushMs (README); a flash
	 * error is thrown (the entries in RAM are then lost and reported by a gap entry).
	 */
	put(body: Uint8Array, length: number = body.length): number {
		if (this.#closed) throw new RangeError("closed");
		if (!(body instanceof Uint8Array) || !Number.isInteger(length) || length < 2 || length > body.length) throw new RangeError("invalid record");
		if (length > this.#write.length - Entry.HEADER) throw new RangeError("record too large");
		if (body[0] !== OPEN_BRACE || body[length - 1] !== CLOSE_BRACE) throw new RangeError("invalid record");
		this.#prepare();
		const seq = this.#claim();
		const bytes = this.#write;
		this.#header(EntryKind.RECORD, length, seq);
		for (let i = 0; i < length; i++) bytes[Entry.BODY + i] = body[i];
		this.#append(seq, Entry.HEADER + length);
		this.#reportDrops();
		this.#settle();
		return seq;
	}

	/**
	 * The next entry to send (the same QueueEntry, refilled), or null when none is on flash yet
	 * or the in-flight window is full. Repeated calls return the same entry until take().
	 */
	peek(): QueueEntry | null {
		if (this.#peeked) return this.#entry;
		if (this.#window.full) return null;
		const reader = this.#reader;
		let more = this.#from === FROM_FIRST ? reader.first() : this.#from === FROM_SEEK ? reader.seek(this.#seekTo) : reader.next();
		if (!more) return null;
		this.#from = FROM_NEXT;
		for (; more; more = reader.next()) {
			if (!this.#readAt(reader, this.#readBytes, this.#entry)) continue;
			this.#peeked = true;
			this.#peekLog = reader.seq;
			return this.#entry;
		}
		return null;
	}

	/** Hands out the peeked entry (it is in flight until ack or rewind); returns its number. */
	take(): number {
		if (!this.#peeked) throw new RangeError("nothing peeked");
		const seq = this.#entry.seq;
		this.#window.push(seq, this.#peekLog);
		this.#peeked = false;
		return seq;
	}

	/**
	 * Acknowledges the in-flight entries numbered seq..last (a PUBACK; a batch message acks its
	 * range). Returns how many it acknowledged; unknown numbers are ignored. The acknowledged
	 * prefix of the window leaves the queue: the log is trimmed before the next put or flush.
	 */
	ack(seq: number, last: number = seq): number {
		if (!Number.isInteger(seq) || !Number.isInteger(last) || seq < 1 || last < seq) throw new RangeError("invalid seq");
		const window = this.#window;
		const marked = window.mark(seq, last);
		while (window.headAcked) {
			const logSeq = window.headLogSeq;
			if (window.headSeq > this.#accounted) this.#accounted = window.headSeq;
			if (window.headSeq >= this.#lastGapSeq) this.#gapFloor = 0; // every gap entry was delivered
			if (logSeq > this.#droppedThroughLog && this.#size > 0) this.#size--;
			if (logSeq > this.#ackedLog) this.#ackedLog = logSeq;
			window.pop();
		}
		if (this.#ackedLog > this.#data.trimmed) this.#arm();
		return marked;
	}

	/** The connection or session was lost: entries in flight are sent again, oldest first. */
	rewind(): void {
		const window = this.#window;
		if (window.count) {
			this.#from = FROM_SEEK;
			this.#seekTo = window.headLogSeq;
		} else if (this.#peeked) {
			this.#from = FROM_SEEK;
			this.#seekTo = this.#peekLog;
		}
		window.clear();
		this.#peeked = false;
	}

	/** Writes staged entries and pending trims to flash now. */
	flush(): void {
		if (this.#closed) return;
		this.#prepare();
		this.#flushData();
		this.#settle();
	}

	/**
	 * Flushes, then records on flash that every number given out was used: the next open()
	 * continues at nextSeq with no gap. The queue takes no more puts.
	 */
	close(): void {
		if (this.#closed) return;
		this.flush();
		const state = this.#state;
		state.clearPending();
		state.setClosed(this.#next - 1, this.#data.nextSeq);
		state.save();
		this.#closed = true;
		Timer.clear(this.#timer);
		this.#timer = undefined;
	}

	/** Mount: the entries on flash, the restart gap, a new reserved block, the gap entry. */
	#start(): void {
		const data = this.#data, state = this.#state, scan = this.#scan, entry = this.#scanEntry;
		let entries = 0, invalid = 0, first = 0, firstLog = 0, highest = 0;
		const gaps: [number, number, number][] = [];
		for (let more = scan.first(); more; more = scan.next()) {
			if (!firstLog) firstLog = scan.seq;
			if (!this.#readAt(scan, this.#scanBytes, entry)) {
				invalid++;
				continue;
			}
			const seq = entry.seq;
			if (entry.isGap) {
				this.#heldGap(seq, entry.gapFrom);
				gaps.push([entry.gapFrom, entry.gapTo, entry.gapDropped]);
			}
			entries++;
			if (!first) first = seq;
			if (seq > highest) highest = seq;
		}
		const trimmed = data.trimmed;
		const found = restart(state, { entries, first, firstLog, highest, gaps, trimmed }, this.#reserve);
		const { next, from, to, dropped } = found;
		this.#next = next;
		this.#accounted = (first || next) - 1;
		this.#size = entries;
		this.#announced = highest;
		this.#ackedLog = trimmed;
		this.#recovery = Object.freeze({
			clean: state.found && state.closed, entries, invalid, gapFrom: from, gapTo: to, gapDropped: dropped, firstSeq: next,
			data: data.recovery, state: state.recovery,
		});
		state.clearPending();
		if (from) state.setPending(next, from, to, dropped, GapCause.RESTART);
		this.#reserveBlock();
		if (from) {
			this.#appendGap(from, to, dropped, GapCause.RESTART);
			this.#reportDrops();
			this.#flushData(); // the report is on flash when open() returns
		}
		this.#settle();
	}

	/** Before an append: pending trims (so a recycle counts only unacknowledged entries) and fault gaps. */
	#prepare(): void {
		this.#applyTrim();
		if (this.#faultFrom) {
			const from = this.#faultFrom, to = this.#next - 1;
			this.#faultFrom = 0;
			if (to >= from) {
				this.#appendGap(from, to, 0, GapCause.FAULT);
				this.#reportDrops();
			}
		}
	}

	/** The number for the next entry, reserving a new block first when the current one is used up. */
	#claim(): number {
		if (this.#next > MAX_SEQ) throw new RangeError("sequence exhausted");
		if (this.#next > this.#through) this.#reserveBlock();
		return this.#next;
	}

	/**
	 * Flushes the data log (every entry numbered below the new block is then on flash), then
	 * saves the state: block #next.., anchored at the data log's next record number.
	 */
	#reserveBlock(): void {
		this.#flushData();
		const state = this.#state, first = this.#next;
		if (state.pending && state.pendingSeq < first) state.clearPending(); // that gap entry is on flash now
		const through = Math.min(MAX_SEQ, first + this.#reserve - 1);
		state.setBlock(first, through, this.#data.nextSeq);
		state.save();
		this.#through = through;
	}

	/** Fills the entry header in the write buffer. */
	#header(kind: number, length: number, seq: number): void {
		const bytes = this.#write, view = this.#writeView;
		let time = this.#wallClock(), flags: number = EntryFlag.WALL_CLOCK;
		if (!(time >= WALL_CLOCK_VALID_MS)) {
			time = this.#uptime();
			flags = 0;
		}
		bytes[Entry.KIND] = kind;
		bytes[Entry.FLAGS] = flags;
		view.setUint16(Entry.LENGTH, kind === EntryKind.RECORD ? length : 0, true);
		view.setUint32(Entry.SEQ, seq, true);
		view.setFloat64(Entry.TIME, time, true);
	}

	/** Appends the entry in the write buffer (`used` bytes, padded to its size class) as `seq`. */
	#append(seq: number, used: number): void {
		const size = entrySize(used - Entry.HEADER), data = this.#data;
		this.#write.fill(ERASED, used, size);
		const logSeq = data.nextSeq, durable = this.#next - 1 - data.staged;
		try {
			data.append(this.#views[size / ENTRY_STEP - 1] ?? this.#view(size));
		} catch (error) {
			if (data.nextSeq !== logSeq) this.#next = seq + 1; // the number was used (lockstep with the log)
			this.#fault(durable);
			throw error;
		}
		this.#next = seq + 1;
		this.#size++;
	}

	/** The view of the write buffer's first `size` bytes, made once. */
	#view(size: number): Uint8Array {
		const view = this.#write.subarray(0, size);
		this.#views[size / ENTRY_STEP - 1] = view;
		return view;
	}

	/** Appends a gap entry numbered #claim(). */
	#appendGap(from: number, to: number, dropped: number, cause: number): void {
		const seq = this.#claim(), view = this.#writeView;
		this.#header(EntryKind.GAP, 0, seq);
		view.setUint32(Gap.FROM, from, true);
		view.setUint32(Gap.TO, to, true);
		view.setUint32(Gap.DROPPED, dropped, true);
		this.#write[Gap.CAUSE] = cause;
		this.#append(seq, Gap.SIZE);
		this.#heldGap(seq, from);
	}

	#heldGap(seq: number, from: number): void {
		if (!this.#gapFloor || from < this.#gapFloor) this.#gapFloor = from;
		this.#lastGapSeq = seq;
	}

	/**
	 * The data log recycled a sector holding `count` unconsumed entries. Called inside its
	 * append (before the entry is written): it only counts; reportDrops() does the rest once the
	 * append returned, so no flash is written from inside the log (and the stack stays shallow).
	 */
	#onLogDrop(count: number, through: number): void {
		this.#dropCount += count;
		this.#dropped += count;
		this.#size = Math.max(0, this.#size - count);
		if (through > this.#droppedThroughLog) this.#droppedThroughLog = through;
	}

	/**
	 * Reports drops not yet reported: everything below the oldest held entry that has not left
	 * the queue is lost. The state first names the gap entry that will say so (a restart reports
	 * the range again if that entry is lost), then the entry is appended and onDrop told.
	 * A cut before the state is saved leaves a hole after the trim watermark: restart() finds it.
	 */
	#reportDrops(): void {
		while (this.#dropCount) {
			const count = this.#dropCount, before = this.oldestSeq || this.#next;
			const from = this.#gapFloor ? Math.min(this.#gapFloor, this.#accounted + 1) : this.#accounted + 1;
			const to = Math.max(before - 1, from - 1);
			this.#dropCount = 0;
			if (to > this.#accounted) this.#accounted = to;
			const state = this.#state, seq = this.#next;
			if (state.pending) {
				state.setPending(seq, Math.min(state.pendingFrom, from), Math.max(state.pendingTo, to), state.pendingDropped + count, state.pendingCause);
			} else state.setPending(seq, from, to, count, GapCause.DROPPED);
			state.save();
			this.#appendGap(from, to, count, GapCause.DROPPED);
			this.#onDrop?.(count, to + 1);
		}
	}

	#applyTrim(): void {
		if (this.#ackedLog <= this.#data.trimmed) return;
		const durable = this.#next - 1 - this.#data.staged;
		try {
			this.#data.trim(this.#ackedLog); // flushes staging first
		} catch (error) {
			this.#fault(durable);
			throw error;
		}
	}

	#flushData(): void {
		const durable = this.#next - 1 - this.#data.staged;
		try {
			this.#data.flush();
		} catch (error) {
			this.#fault(durable);
			throw error;
		}
	}

	/** A flash write failed: entries above `durable` may be lost; the next put reports them. */
	#fault(durable: number): void {
		if (!this.#faultFrom && this.#next - 1 > durable) this.#faultFrom = durable + 1;
	}

	/** After an append or flush: confirm the pending gap entry, announce new entries, arm the timer. */
	#settle(): void {
		const durable = this.durableSeq, state = this.#state;
		if (state.pending && state.pendingSeq <= durable) state.clearPending();
		if (this.#data.staged || this.#ackedLog > this.#data.trimmed) this.#arm();
		if (durable > this.#announced) {
			this.#announced = durable;
			this.#onAvailable?.();
		}
	}

	#arm(): void {
		if (this.#armed || this.#flushMs === 0 || this.#closed) return;
		if (this.#timer) Timer.schedule(this.#timer, this.#flushMs, this.#flushMs);
		else this.#timer = Timer.repeat(this.#tick, this.#flushMs);
		this.#armed = true;
	}

	#onTimer(): void {
		try {
			this.flush();
		} catch (error) {
			this.#onError?.(error);
		}
		if (!this.#data.staged && this.#ackedLog <= this.#data.trimmed && this.#timer) {
			Timer.schedule(this.#timer); // nothing waits: no wake-ups until the next put or ack
			this.#armed = false;
		}
	}

	/** The number of the oldest held entry on flash (0: none). */
	#firstHeld(): number {
		const scan = this.#scan;
		for (let more = scan.seek(this.#ackedLog + 1); more; more = scan.next())
			if (this.#readAt(scan, this.#scanBytes, this.#scanEntry)) return this.#scanEntry.seq;
		return 0;
	}

	/** Reads the cursor's record into `bytes` and decodes it; false when it is not a readable entry. */
	#readAt(cursor: LogCursor, bytes: Uint8Array, entry: QueueEntry): boolean {
		const length = cursor.length;
		if (length > bytes.length) return false;
		try {
			cursor.read(bytes);
		} catch {
			return false; // corrupt since mount (bit errors): skipped, trimmed with its neighbours
		}
		return entry.decode(length);
	}
}
Object.freeze(TelemetryQueue.prototype);
