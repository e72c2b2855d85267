/*
 * MessageWriter: queue entries as MQTT telemetry payloads (net/queue/README.md, "Messages"),
 * written into a buffer allocated once: JSON objects with seq, t and the record's values.
 *
 *   record: {"seq":1234,"t":1768456800000,"temperature":21.5,"humidity":40}
 *           {"seq":1235,"t":5230,"clock":"uptime","temperature":21.5}      (wall time unknown)
 *   gap:    {"seq":1236,"t":...,"gap":{"from":1200,"to":1233,"dropped":12,"cause":"dropped"}}
 *   batch:  {"records":[<record or gap>,<record or gap>,...]}
 *
 * One entry per message by default (single()); batching (begin/add/end) is an option, limited
 * by the buffer's size in bytes and by maxRecords entries. Nothing is allocated per message.
 *
 *   const length = writer.single(queue.peek()); queue.take(); publish(writer.bytes, length);
 *
 *   writer.begin();
 *   for (let e = queue.peek(); e && writer.add(e); e = queue.peek()) queue.take();
 *   const length = writer.end();   // PUBACK: queue.ack(writer.firstSeq, writer.lastSeq)
 */
import { JsonWriter, ascii } from "net/queue/json-writer";
import { BODY_OFFSET, type QueueEntry } from "net/queue/entry";

export const MessageDefaults = Object.freeze({
	/** Bytes of the message buffer: the largest message, single or batch. */
	BYTES: 1024,
	/** Entries in one batch message. */
	MAX_RECORDS: 16,
} as const);

/** Upper bound on maxRecords: the queue's in-flight window must hold a batch (and more). */
export const MAX_BATCH_RECORDS = 256;

const K_SEQ = ascii("seq");
const K_T = ascii("t");
const K_CLOCK = ascii("clock");
const V_UPTIME = ascii("uptime");
const K_GAP = ascii("gap");
const K_FROM = ascii("from");
const K_TO = ascii("to");
const K_DROPPED = ascii("dropped");
const K_CAUSE = ascii("cause");
const K_RECORDS = ascii("records");
const CAUSES = Object.freeze([ascii("unknown"), ascii("restart"), ascii("dropped"), ascii("fault")]);

/** The longest single message for a record body of `body` bytes, and for a gap entry. */
export function messageSize(body: number): number {
	// {"seq":4294967295,"t":9007199254740991,"clock":"uptime",<members>}
	const record = 65 + body;
	// {"seq":…,"t":…,"clock":"uptime","gap":{"from":4294967295,"to":4294967295,"dropped":4294967295,"cause":"restart"}}
	const gap = 56 + 84;
	return Math.max(record, gap);
}

export class MessageWriter {
	readonly #json: JsonWriter;
	readonly #maxRecords: number;
	#count = 0;
	#first = 0;
	#last = 0;

	constructor(options: { readonly bytes?: number; readonly maxRecords?: number } = {}) {
		const { bytes = MessageDefaults.BYTES, maxRecords = MessageDefaults.MAX_RECORDS } = options;
		if (!Number.isInteger(bytes) || bytes < messageSize(0)) throw new RangeError("invalid bytes");
		if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > MAX_BATCH_RECORDS) throw new RangeError("invalid maxRecords");
		this.#json = new JsonWriter(new Uint8Array(bytes));
		this.#maxRecords = maxRecords;
	}

	/** The message: bytes[0, length) after single() or end(). Reused by the next message. */
	get bytes(): Uint8Array {
		return this.#json.bytes;
	}
	get maxRecords(): number {
		return this.#maxRecords;
	}
	/** Entries in the message, and the first and last one's numbers (acknowledge that range). */
	get count(): number {
		return this.#count;
	}
	get firstSeq(): number {
		return this.#first;
	}
	get lastSeq(): number {
		return this.#last;
	}

	/** Writes `entry` as a message of its own; returns its length. RangeError if it does not fit. */
	single(entry: QueueEntry): number {
		const json = this.#json;
		json.reset();
		this.#entry(entry);
		if (json.overflow) throw new RangeError("message too large");
		this.#count = 1;
		this.#first = this.#last = entry.seq;
		return json.length;
	}

	/** Starts a batch message. */
	begin(): void {
		const json = this.#json;
		json.reset();
		json.openObject();
		json.key(K_RECORDS);
		json.openArray();
		this.#count = this.#first = this.#last = 0;
	}

	/** Adds `entry` to the batch; false (nothing added) when maxRecords or the bytes are reached. */
	add(entry: QueueEntry): boolean {
		const json = this.#json;
		if (this.#count === this.#maxRecords) return false;
		const mark = json.mark();
		this.#entry(entry);
		if (json.overflow || json.length + 2 > json.bytes.length) { // room for "]}"
			json.restore(mark);
			return false;
		}
		if (this.#count++ === 0) this.#first = entry.seq;
		this.#last = entry.seq;
		return true;
	}

	/** Ends the batch; returns its length. */
	end(): number {
		const json = this.#json;
		json.closeArray();
		json.closeObject();
		return json.length;
	}

	#entry(entry: QueueEntry): void {
		const json = this.#json;
		json.openObject();
		json.key(K_SEQ);
		json.integer(entry.seq);
		json.key(K_T);
		json.integer(Math.round(entry.time));
		if (!entry.wallClock) {
			json.key(K_CLOCK);
			json.string(V_UPTIME);
		}
		if (entry.isGap) {
			json.key(K_GAP);
			json.openObject();
			json.key(K_FROM);
			json.integer(entry.gapFrom);
			json.key(K_TO);
			json.integer(entry.gapTo);
			json.key(K_DROPPED);
			json.integer(entry.gapDropped);
			json.key(K_CAUSE);
			const cause = entry.gapCause;
			json.string(CAUSES[cause < CAUSES.length ? cause : 0]);
			json.closeObject();
		} else {
			// The body is a JSON object: its members follow ours (nothing when it is {}).
			const bytes = entry.bytes;
			let from = BODY_OFFSET + 1, to = BODY_OFFSET + entry.bodyLength - 1;
			while (from < to && isSpace(bytes[from])) from++;
			while (to > from && isSpace(bytes[to - 1])) to--;
			if (to > from) json.raw(bytes, from, to);
		}
		json.closeObject();
	}
}
Object.freeze(MessageWriter.prototype);

function isSpace(byte: number): boolean {
	return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
