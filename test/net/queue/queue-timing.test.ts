// @host --creation 0,32768,2048,768
// net/queue: how long a record waits in RAM (the documented bound: it is on flash at most
// flushMs after put() returned, or at once when the staging buffer is full), and that the
// steady-state paths allocate nothing (slots and chunks from the XS host's memory() counters
// with the collector held off, as test/app/storage/log-cursor.test.ts measures). The clock is
// the host's virtual clock (--speed max): timers fire in order, instantly in real time.
import { test, ok, equal, deepEqual } from "test/harness";
import Timer from "timer";
import Time from "time";
import { collecting, gc, memory } from "xshost";
import { rig, type Rig } from "test/app/storage/log-fixture";
import { TelemetryQueue, type QueueOptions } from "net/queue/queue";

const FLUSH_MS = 500;
const BASE: QueueOptions = { staging: 200, flushMs: FLUSH_MS, maxBody: 48, reserve: 8, wallClock: () => NaN };

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => Timer.set(() => resolve(), ms));
}

function body(n: number): Uint8Array {
	return new Uint8Array(ArrayBuffer.fromString(`{"n":${n}}`));
}

/** Entries a power cut now would leave: a queue mounted on a copy of the flash. */
function onFlash(r: Rig): number {
	const copy = rig(r.chip.sectors);
	copy.chip.load(r.chip.image());
	return TelemetryQueue.open(copy.open(), { ...BASE, flushMs: 0 }).recovery.entries;
}

test("a-record-reaches-flash-within-flushMs", async () => {
	const r = rig(8);
	let available = 0;
	const queue = TelemetryQueue.open(r.open(), { ...BASE, onAvailable: () => available++ });
	const start = Time.ticks;
	queue.put(body(1));
	await sleep(100);
	queue.put(body(2)); // staged too: it waits less than the first
	deepEqual([queue.staged, queue.durableSeq, available, onFlash(r)], [2, 0, 0, 0], "batched in RAM");
	await sleep(FLUSH_MS - 100 - 1);
	equal(queue.staged, 2, "not before the bound");
	await sleep(1);
	deepEqual([queue.staged, queue.durableSeq, available], [0, 2, 1], `flushed ${Time.ticks - start} ms after the first put`);
	equal(onFlash(r), 2);
	queue.close();
});

test("the-timer-sleeps-while-nothing-waits", async () => {
	const r = rig(8);
	const queue = TelemetryQueue.open(r.open(), BASE);
	queue.put(body(1));
	await sleep(FLUSH_MS);
	const programmed = r.chip.bytesProgrammed;
	await sleep(10 * FLUSH_MS);
	equal(r.chip.bytesProgrammed, programmed, "no flush while nothing is staged");
	queue.put(body(2));
	await sleep(FLUSH_MS);
	equal(queue.staged, 0, "a new put arms it again");
	queue.close();
});

test("a-full-staging-buffer-goes-to-flash-at-once", () => {
	const r = rig(8);
	const queue = TelemetryQueue.open(r.open(), { ...BASE, staging: 100 }); // 3 entries of 32 bytes (+12)
	for (let n = 1; n <= 3; n++) queue.put(body(n));
	equal(queue.staged, 1, "the third put flushed the first two");
	equal(queue.durableSeq, 2);
	queue.close();
});

test("acknowledgements-are-trimmed-within-flushMs", async () => {
	const r = rig(8);
	const queue = TelemetryQueue.open(r.open(), BASE);
	for (let n = 1; n <= 3; n++) queue.put(body(n));
	queue.flush();
	for (let e = queue.peek(); e; e = queue.peek()) queue.take();
	queue.ack(1, 3);
	await sleep(FLUSH_MS);
	equal(onFlash(r), 0, "acknowledged entries do not come back after a reboot");
	queue.close();
});

/** Bytes of slots and chunks that 16 calls of `body` leave, beyond what the measuring costs. */
function grown(body: () => unknown): number {
	gc();
	collecting(false);
	const before = memory();
	for (let i = 0; i < 16; i++) body();
	const after = memory();
	collecting(true);
	return after.slotsUsed - before.slotsUsed + after.chunksUsed - before.chunksUsed;
}

test("put-peek-take-ack-and-flush-allocate-nothing", () => {
	const record = body(12345); // a 32-byte entry: 5 per 256-byte sector, 20 in the 4 data sectors
	for (const staging of [0, 200]) {
		const r = rig(6);
		let dropped = 0;
		const queue = TelemetryQueue.open(r.open(), { ...BASE, staging, flushMs: 0, window: 64, reserve: 4, onDrop: (count) => (dropped += count) });
		for (let n = 0; n < 40; n++) queue.put(record); // every path once: reservations, drops, gap entries
		queue.flush();
		grown(() => undefined);
		const baseline = grown(() => undefined);
		ok(grown(() => new Uint8Array(8)) - baseline >= 16 * 8, "the measurement sees an allocation");
		const before = dropped;
		equal(grown(() => queue.put(record)) - baseline, 0, `put into a full queue, staging ${staging} (reservations, drops, gap entries)`);
		ok(dropped > before, "the measured puts dropped entries");
		equal(grown(() => queue.flush()) - baseline, 0, `flush, staging ${staging}`);
		const cycle = (): void => { // one record through the queue: put, flush, send, PUBACK
			queue.put(record);
			queue.flush();
			for (let entry = queue.peek(); entry; entry = queue.peek()) queue.ack(queue.take());
		};
		for (let n = 0; n < 4; n++) cycle(); // drains the backlog
		equal(grown(cycle) - baseline, 0, `put, flush, peek, take, ack (and trims), staging ${staging}`);
		for (let n = 0; n < 16; n++) queue.put(record);
		queue.flush();
		equal(grown(() => queue.peek() && queue.take()) - baseline, 0, `peek and take, staging ${staging}`);
		equal(grown(() => queue.rewind()) - baseline, 0, "rewind");
		queue.close();
	}
});

test("timer-driven-flushes-allocate-nothing", async () => {
	// A reading every 700 ms with flushMs 500: each put arms the timer, each flush disarms it.
	const r = rig(8);
	const record = body(777);
	const queue = TelemetryQueue.open(r.open(), { ...BASE, reserve: 4 });
	const producer = Timer.repeat(() => {
		queue.put(record);
		for (let entry = queue.peek(); entry; entry = queue.peek()) queue.ack(queue.take());
	}, 700);
	await sleep(7000);
	// The measurement itself (the test's timer and promise) costs the same over 5 cycles as
	// over 30: compare the two.
	const growth = async (ms: number): Promise<number> => {
		gc();
		collecting(false);
		const before = memory();
		await sleep(ms);
		const after = memory();
		collecting(true);
		return after.chunksUsed + after.slotsUsed - before.chunksUsed - before.slotsUsed;
	};
	await growth(3500);
	const short = await growth(3500);
	const long = await growth(21000);
	Timer.clear(producer);
	ok(queue.durableSeq > 40, `${queue.durableSeq} records`);
	equal(long - short, 0, `25 more put/flush/ack cycles allocated ${long - short} bytes (5: ${short}, 30: ${long})`);
	queue.close();
});
