// @host --creation 0,32768,2048,768
// Power cuts at every byte of every flash program (and every byte of every erase) that a queue
// operation makes, on the NorFlash model, with several seeds per point (the record log's sweep:
// test/app/storage/record-log-power.test.ts). After each cut: power on, open the queue again,
// take everything it hands out, and check that
// - every record stored before the operation (put returned without staging, or flushed) and not
//   acknowledged is there exactly once, in order, with its body; the operation's own records
//   are there whole or not at all;
// - no sequence number is reused: the queue's next number is above every number given out;
// - every number given out that is not delivered (and was not acknowledged) lies in the range
//   of a gap entry delivered after it could have arrived;
// - the queue keeps working (a put after the cut is delivered).
// Layout (net/queue/README.md): 256-byte sectors, 2 for the state log; a 48-byte body makes a
// 64-byte entry, 76 bytes in the data log, 3 per sector; a state record is 33 + 12 bytes.
import { test, ok, equal, AssertionError } from "test/harness";
import { rig } from "test/app/storage/log-fixture";
import { TelemetryQueue, type QueueOptions } from "net/queue/queue";
import { BODY_OFFSET } from "net/queue/entry";

const SEEDS = [1, 2, 3];
const BASE: QueueOptions = { staging: 0, flushMs: 0, maxBody: 48, reserve: 64, wallClock: () => NaN, uptime: () => 0 };

/** A 48-byte body naming `seq`: `{"s":<seq>,"p":"xx..."}`. */
function bodyFor(seq: number): Uint8Array {
	const head = `{"s":${seq},"p":"`;
	return new Uint8Array(ArrayBuffer.fromString(`${head}${"x".repeat(48 - head.length - 2)}"}`));
}

/** Puts `count` records, each naming the number it gets; returns the numbers. */
function putMany(queue: TelemetryQueue, count: number): number[] {
	const seqs: number[] = [];
	for (let i = 0; i < count; i++) {
		const seq = queue.nextSeq;
		equal(queue.put(bodyFor(seq)), seq, "put returns the number its body names");
		seqs.push(seq);
	}
	return seqs;
}

interface Delivery {
	readonly records: number[];
	/** Numbers reported lost by gap entries, at the point each gap entry arrived. */
	readonly lost: Set<number>;
}

/** Takes everything the queue hands out, checking order and bodies; acknowledges nothing. */
function deliver(queue: TelemetryQueue, context: string): Delivery {
	const records: number[] = [], lost = new Set<number>(), received = new Set<number>();
	let last = 0;
	for (let entry = queue.peek(); entry; entry = queue.peek()) {
		const seq = entry.seq;
		if (!(seq > last)) throw new AssertionError(`${context}: ${seq} after ${last}`);
		last = seq;
		received.add(seq);
		if (entry.isGap) {
			for (let n = entry.gapFrom; n <= entry.gapTo; n++) if (!received.has(n)) lost.add(n);
		} else {
			const text = String.fromArrayBuffer(entry.bytes.slice(BODY_OFFSET, BODY_OFFSET + entry.bodyLength).buffer);
			if (text !== String.fromArrayBuffer(bodyFor(seq).buffer)) throw new AssertionError(`${context}: record ${seq} has body ${text}`);
			records.push(seq);
		}
		queue.take();
	}
	for (const seq of records) if (lost.has(seq)) throw new AssertionError(`${context}: ${seq} reported lost before it arrived`);
	return { records, lost };
}

interface Sweep {
	readonly during: "program" | "erase";
	readonly sectors: number;
	readonly options?: QueueOptions;
	/** Builds the state before the operation (then the queue is closed, unless `restart`). */
	prepare(queue: TelemetryQueue): void;
	readonly restart?: boolean;
	/** The operation; `reopen` opens the queue again on the same flash. */
	act(queue: TelemetryQueue, reopen: () => TelemetryQueue): void;
	/** Records that must survive any cut; records that may (being written, dropped, acknowledged). */
	readonly must: readonly number[];
	readonly may: readonly number[];
	/** Records that must be there when no cut struck (default: must and may). */
	readonly done?: readonly number[];
	/** Records the operation acknowledges: they may vanish without a gap entry. */
	readonly acked?: readonly number[];
}

interface Tally {
	points: number;
	cuts: number;
	gaps: number;
}
const tally: Tally = { points: 0, cuts: 0, gaps: 0 };

/** Cuts at afterBytes = 0, 1, ... until the operation completes; returns how many points struck. */
function sweep(name: string, c: Sweep): number {
	const r = rig(c.sectors);
	const options = { ...BASE, ...c.options };
	const reopen = (): TelemetryQueue => TelemetryQueue.open(r.open(), options);
	const prepared = reopen();
	c.prepare(prepared);
	if (!c.restart) prepared.close();
	const image = r.chip.image();
	const acked = new Set(c.acked ?? []);
	let struck = 0;
	for (let afterBytes = 0; ; afterBytes++) {
		let cuts = 0;
		for (const seed of SEEDS) {
			r.chip.load(image);
			r.chip.powerOn();
			const queue = reopen();
			r.chip.armPowerCut({ during: c.during, afterBytes, seed });
			let cut = false;
			try {
				c.act(queue, reopen);
			} catch (error) {
				cut = true;
				ok(error instanceof Error && /^(write|erase) failed$/.test(error.message), `${name}: flash error, got ${String(error)}`);
			}
			const reached = queue.nextSeq; // numbers below this may have been given out
			r.chip.disarm();
			r.chip.powerOn();
			const context = `${name} cut after ${afterBytes} bytes, seed ${seed}`;
			const after = reopen();
			ok(after.nextSeq >= reached, `${context}: numbers are never reused (${after.nextSeq} after ${reached})`);
			const { records, lost } = deliver(after, context);
			const present = new Set(records);
			// With the ring full, a cut that seals the head costs a sector: the restart's own gap
			// entry may drop the oldest records (drop-oldest), which it then reports.
			let spare = after.dropped;
			for (const seq of cut ? c.must : c.done ?? [...c.must, ...c.may]) {
				if (present.has(seq)) continue;
				if (spare-- > 0 && lost.has(seq)) continue;
				throw new AssertionError(`${context}: record ${seq} lost (found ${records.join(",")}; ${after.dropped} dropped)`);
			}
			const allowed = new Set([...c.must, ...c.may]);
			for (const seq of records) if (!allowed.has(seq)) throw new AssertionError(`${context}: record ${seq} not expected`);
			for (const seq of allowed)
				if (seq < reached && !present.has(seq) && !acked.has(seq) && !lost.has(seq)) throw new AssertionError(`${context}: ${seq} missing and not reported lost`);
			if (lost.size) tally.gaps++;
			const next = after.put(bodyFor(after.nextSeq));
			after.flush();
			ok(deliver(after, `${context}, then`).records.includes(next), `${context}: a put after the cut is delivered`);
			tally.points++;
			if (cut) cuts++;
		}
		if (cuts === 0) break;
		tally.cuts += cuts;
		struck++;
	}
	return struck;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** Bytes a data-log record of a 48-byte body takes (12 header + 64 entry), and its commit. */
const PUT = 12 + 64 + 1;
/** A state record: 12 header + 33, and its commit. */
const STATE = 12 + 33 + 1;
/** A gap entry: 12 header + 32, and its commit. */
const GAP = 12 + 32 + 1;

test("cut-at-every-byte-of-a-put", () => {
	const struck = sweep("put", {
		during: "program", sectors: 8,
		prepare: (queue) => putMany(queue, 2), act: (queue) => putMany(queue, 1),
		must: [1, 2], may: [3],
	});
	equal(struck, PUT);
});

test("cut-at-every-byte-of-puts-that-use-up-and-reserve-a-block", () => {
	// One number at a time: open reserved 3, put 3 uses it (and fills sector 0); put 4 saves a
	// state record reserving 4, then opens sector 1 (its 24-byte header) and writes itself.
	const struck = sweep("puts reserving", {
		during: "program", sectors: 8, options: { reserve: 1 },
		prepare: (queue) => putMany(queue, 2), act: (queue) => putMany(queue, 2),
		must: [1, 2], may: [3, 4],
	});
	equal(struck, PUT + STATE + 24 + PUT);
});

test("cut-at-every-byte-of-a-staged-flush", () => {
	// Sector 0 is full (3 records); three staged records fill 228 bytes of staging: the first
	// put opens sector 1 (its 24-byte header), the flush writes the window and three commits.
	const struck = sweep("staged flush", {
		during: "program", sectors: 8, options: { staging: 228 },
		prepare: (queue) => putMany(queue, 3),
		act: (queue) => {
			putMany(queue, 3);
			queue.flush();
		},
		must: [1, 2, 3], may: [4, 5, 6],
	});
	equal(struck, 24 + 228 + 3);
});

test("cut-at-every-byte-of-a-put-that-drops-the-oldest-sector", () => {
	// 4 data sectors hold 12; the 13th put retires sector 0 (4 bytes), erases it, writes its
	// header (24), writes itself, saves the drop in the state, and writes the gap entry that
	// reports 1..3.
	const struck = sweep("put dropping", {
		during: "program", sectors: 6,
		prepare: (queue) => putMany(queue, 12), act: (queue) => putMany(queue, 1),
		must: range(4, 12), may: [1, 2, 3, 13], done: range(4, 13),
	});
	equal(struck, 4 + 24 + STATE + PUT + GAP);
});

test("cut-at-every-byte-of-the-recycling-erase", () => {
	const struck = sweep("recycling erase", {
		during: "erase", sectors: 6,
		prepare: (queue) => putMany(queue, 12), act: (queue) => putMany(queue, 1),
		must: range(4, 12), may: [1, 2, 3, 13], done: range(4, 13),
	});
	equal(struck, 256);
});

test("cut-at-every-byte-of-an-acknowledgement-trim", () => {
	// Acknowledging 1..3 writes a trim record (12 + commit) at the next flush, then retires
	// (4 bytes) and erases sector 0, which held only 1..3.
	const struck = sweep("trim", {
		during: "program", sectors: 8,
		prepare: (queue) => putMany(queue, 5),
		act: (queue) => {
			for (let i = 0; i < 3; i++) {
				queue.peek();
				queue.take();
			}
			queue.ack(1, 3);
			queue.flush();
		},
		must: range(4, 5), may: range(1, 3), done: range(4, 5), acked: range(1, 3),
	});
	equal(struck, 13 + 4);
});

test("cut-at-every-byte-of-a-restart", () => {
	// Opening after a restart without close: a state record, then the restart gap entry.
	const struck = sweep("restart", {
		during: "program", sectors: 8, restart: true,
		prepare: (queue) => putMany(queue, 3), act: (_queue, reopen) => reopen(),
		must: [1, 2, 3], may: [],
	});
	equal(struck, STATE + GAP);
});

test("cut-at-every-byte-of-close", () => {
	const struck = sweep("close", {
		during: "program", sectors: 8,
		prepare: (queue) => putMany(queue, 3), act: (queue) => queue.close(),
		must: [1, 2, 3], may: [],
	});
	equal(struck, STATE);
});

test("sweeps-cut-and-reported-gaps", () => {
	trace(`queue power sweeps: ${tally.points} cut points, ${tally.cuts} cuts, ${tally.gaps} with gaps reported\n`);
	ok(tally.cuts > 1000, `${tally.cuts} cuts`);
	ok(tally.gaps > 0);
});
