// @host --creation 0,32768,2048,768
// net/queue: the store-and-forward queue on the in-machine NorFlash model (the storage tests'
// rig, test/app/storage/log-fixture). Figures from the formats (net/queue/README.md and
// app/storage/README.md): 256-byte test sectors, 2 of them for the state log; a 24-byte sector
// header and 12 bytes per log record; entries are a 16-byte header plus the body, in 16-byte
// size classes; maxBody 48 gives 64-byte entries, 3 per data sector.
import { test, ok, equal, deepEqual, throws } from "test/harness";
import { rig, type Rig } from "test/app/storage/log-fixture";
import { NorFlash } from "sim/devices/nor-flash";
import { flashFor } from "sim/devices/flash-storage";
import { flashPartitions } from "sim/world/flash-service";
import { TelemetryQueue, type QueueOptions } from "net/queue/queue";
import { EntryKind, GapCause } from "net/queue/queue-format";
import { BODY_OFFSET, type QueueEntry } from "net/queue/entry";

const BASE: QueueOptions = { staging: 0, flushMs: 0, maxBody: 48, reserve: 8, wallClock: () => 1_768_456_800_000 };

/** `{"n":<n>}` as bytes. */
function body(n: number): Uint8Array {
	return new Uint8Array(ArrayBuffer.fromString(`{"n":${n}}`));
}

/** `{"n":<n>,"p":"xx..."}`: 48 bytes, the largest body (a 64-byte entry). */
function full(n: number): Uint8Array {
	const head = `{"n":${n},"p":"`;
	return new Uint8Array(ArrayBuffer.fromString(`${head}${"x".repeat(48 - head.length - 2)}"}`));
}

function text(entry: QueueEntry): string {
	return String.fromArrayBuffer(entry.bytes.slice(BODY_OFFSET, BODY_OFFSET + entry.bodyLength).buffer);
}

/** What a subscriber would see of one entry. */
function describe(entry: QueueEntry): string {
	return entry.isGap ? `gap ${entry.seq}:${entry.gapFrom}-${entry.gapTo}/${entry.gapDropped}/${entry.gapCause}` : `${entry.seq}=${text(entry)}`;
}

/** Takes every entry the queue hands out now (up to its window); returns their descriptions. */
function takeAll(queue: TelemetryQueue): string[] {
	const seen: string[] = [];
	for (let entry = queue.peek(); entry; entry = queue.peek()) {
		seen.push(describe(entry));
		queue.take();
	}
	return seen;
}

function open(r: Rig, options: QueueOptions = {}): TelemetryQueue {
	return TelemetryQueue.open(r.open(), { ...BASE, ...options });
}

test("a-new-partition-starts-at-1-with-no-gap", () => {
	const r = rig(6);
	const queue = open(r);
	deepEqual([queue.recovery.clean, queue.recovery.gapFrom, queue.nextSeq, queue.size, queue.capacity], [false, 0, 1, 0, 3 * 3]);
	equal(queue.put(body(1)), 1);
	equal(queue.put(body(2)), 2);
	deepEqual(takeAll(queue), ['1={"n":1}', '2={"n":2}']);
});

test("entries-carry-seq-time-clock-and-body", () => {
	let wall = NaN;
	const queue = open(rig(6), { wallClock: () => wall, uptime: () => 4321 });
	queue.put(body(7));
	wall = 1_768_456_800_123;
	queue.put(body(8));
	const first = queue.peek() as QueueEntry;
	deepEqual([first.kind, first.seq, first.wallClock, first.time, first.bodyLength, text(first)], [EntryKind.RECORD, 1, false, 4321, 7, '{"n":7}']);
	queue.take();
	const second = queue.peek() as QueueEntry;
	deepEqual([second.seq, second.wallClock, second.time], [2, true, 1_768_456_800_123]);
});

test("put-peek-take-ack-trims-the-log", () => {
	const r = rig(6);
	const queue = open(r);
	for (let n = 1; n <= 4; n++) queue.put(body(n));
	equal(queue.peek()?.seq, 1);
	equal(queue.peek()?.seq, 1, "peek again: the same entry");
	equal(queue.take(), 1);
	equal(queue.peek()?.seq, 2);
	queue.take();
	deepEqual([queue.size, queue.inFlight, queue.oldestSeq], [4, 2, 1]);
	equal(queue.ack(1), 1);
	equal(queue.ack(1), 0, "a second PUBACK for it changes nothing");
	deepEqual([queue.size, queue.inFlight, queue.oldestSeq], [3, 1, 2]);
	queue.flush(); // the trim reaches flash
	queue.close();
	const again = open(r);
	deepEqual(takeAll(again), ['2={"n":2}', '3={"n":3}', '4={"n":4}'], "acknowledged entries never come back");
});

test("acks-out-of-order-trim-only-the-contiguous-prefix", () => {
	const r = rig(6);
	const queue = open(r);
	for (let n = 1; n <= 5; n++) queue.put(body(n));
	equal(takeAll(queue).length, 5);
	equal(queue.ack(3), 1);
	equal(queue.ack(5), 1);
	deepEqual([queue.size, queue.inFlight, queue.oldestSeq], [5, 5, 1], "nothing leaves before 1 is acknowledged");
	queue.ack(2);
	queue.ack(1);
	deepEqual([queue.size, queue.inFlight, queue.oldestSeq], [2, 2, 4], "1..3 leave; 5 waits for 4");
	queue.close();
	deepEqual(takeAll(open(r)), ['4={"n":4}', '5={"n":5}'], "5 is sent again: only the prefix was trimmed");
});

test("a-batch-ack-acknowledges-a-range", () => {
	const queue = open(rig(6));
	for (let n = 1; n <= 6; n++) queue.put(body(n));
	takeAll(queue);
	equal(queue.ack(2, 5), 4);
	equal(queue.ack(1, 1), 1);
	deepEqual([queue.size, queue.oldestSeq], [1, 6]);
});

test("rewind-sends-in-flight-entries-again-in-order", () => {
	const queue = open(rig(6));
	for (let n = 1; n <= 4; n++) queue.put(body(n));
	takeAll(queue);
	queue.ack(2);
	queue.rewind();
	equal(queue.inFlight, 0);
	deepEqual(takeAll(queue), ['1={"n":1}', '2={"n":2}', '3={"n":3}', '4={"n":4}'], "the unacknowledged prefix and what follows");
	queue.ack(1, 4);
	equal(queue.size, 0);
	equal(queue.peek(), null);
	queue.put(body(5));
	deepEqual(takeAll(queue), ['5={"n":5}']);
});

test("the-window-bounds-entries-in-flight", () => {
	const queue = open(rig(6), { window: 2 });
	for (let n = 1; n <= 4; n++) queue.put(body(n));
	deepEqual(takeAll(queue), ['1={"n":1}', '2={"n":2}']);
	equal(queue.peek(), null, "window full");
	queue.ack(2);
	equal(queue.peek(), null, "2 acknowledged out of order still holds its slot");
	queue.ack(1);
	deepEqual(takeAll(queue), ['3={"n":3}', '4={"n":4}']);
});

test("seq-continues-after-a-clean-close-without-a-gap", () => {
	const r = rig(6);
	let queue = open(r);
	for (let n = 1; n <= 10; n++) queue.put(body(n)); // crosses a reserved block (8)
	queue.close();
	throws(() => queue.put(body(11)), RangeError, /closed/);
	queue = open(r);
	deepEqual([queue.recovery.clean, queue.recovery.gapFrom, queue.nextSeq], [true, 0, 11]);
	equal(queue.put(body(11)), 11);
	queue.close();
	queue = open(r);
	equal(queue.nextSeq, 12);
	deepEqual(takeAll(queue).map((entry) => Number(entry.split("=")[0])), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test("a-restart-without-close-skips-the-rest-of-the-block-and-reports-it", () => {
	const r = rig(6);
	let queue = open(r);
	for (let n = 1; n <= 3; n++) queue.put(body(n));
	// The power goes: no close. Numbers 4..8 were reserved (block 1..8) and never used.
	queue = open(r);
	deepEqual([queue.recovery.clean, queue.recovery.gapFrom, queue.recovery.gapTo, queue.nextSeq], [false, 4, 8, 10]);
	equal(queue.put(body(10)), 10);
	deepEqual(takeAll(queue), ['1={"n":1}', '2={"n":2}', '3={"n":3}', `gap 9:4-8/0/${GapCause.RESTART}`, '10={"n":10}']);
	// Again, with the gap entry and 10 still unacknowledged: 11..16 are skipped, and no number is reused.
	queue = open(r);
	deepEqual([queue.recovery.gapFrom, queue.recovery.gapTo, queue.nextSeq], [11, 16, 18]);
	ok(takeAll(queue).includes(`gap 17:11-16/0/${GapCause.RESTART}`));
});

test("a-restart-after-everything-was-acknowledged-reports-only-unused-numbers", () => {
	const r = rig(6);
	let queue = open(r);
	for (let n = 1; n <= 5; n++) queue.put(body(n));
	takeAll(queue);
	queue.ack(1, 5);
	queue.flush();
	queue = open(r); // no close: 6..8 unused
	deepEqual([queue.recovery.entries, queue.recovery.gapFrom, queue.recovery.gapTo], [0, 6, 8], "1..5 were delivered: not in the gap");
	deepEqual(takeAll(queue), [`gap 9:6-8/0/${GapCause.RESTART}`]);
});

test("staged-entries-are-sent-only-once-on-flash", () => {
	const r = rig(6);
	const queue = open(r, { staging: 200 });
	queue.put(body(1));
	queue.put(body(2));
	deepEqual([queue.staged, queue.durableSeq, queue.peek()], [2, 0, null], "in RAM: nothing to send yet");
	equal(open(r, { staging: 200 }).recovery.entries, 0, "a power cut now loses them");
});

test("staged-entries-lost-in-a-power-cut-fall-in-the-reported-gap", () => {
	const r = rig(6);
	let queue = open(r, { staging: 200 });
	queue.put(body(1));
	queue.flush();
	queue.put(body(2));
	queue.put(body(3));
	queue = open(r, { staging: 200 }); // 2 and 3 were in RAM
	deepEqual([queue.recovery.entries, queue.recovery.gapFrom, queue.recovery.gapTo], [1, 2, 8]);
	queue.flush();
	deepEqual(takeAll(queue), ['1={"n":1}', `gap 9:2-8/0/${GapCause.RESTART}`]);
});

test("new-records-queue-behind-the-backlog-while-it-drains", () => {
	const r = rig(10);
	let queue = open(r, { window: 4 });
	for (let n = 1; n <= 12; n++) queue.put(body(n));
	queue.close();
	queue = open(r, { window: 4 });
	const seen: number[] = [];
	let put = 13;
	for (let round = 0; round < 20 && (queue.size || put <= 20); round++) {
		for (let entry = queue.peek(); entry; entry = queue.peek()) {
			seen.push(entry.seq);
			queue.take();
		}
		if (put <= 20) queue.put(body(put++)); // a new reading arrives mid-drain
		if (seen.length) queue.ack(seen[seen.length - 1] - Math.min(3, seen.length - 1), seen[seen.length - 1]);
	}
	deepEqual(seen, Array.from({ length: 20 }, (_, i) => i + 1), "in order, each once");
	equal(queue.size, 0);
});

test("a-full-partition-drops-the-oldest-and-reports-them", () => {
	const r = rig(6); // 4 data sectors, 3 entries each: capacity 9
	const drops: number[][] = [];
	const queue = open(r, { onDrop: (count, before) => drops.push([count, before]) });
	for (let n = 1; n <= 12; n++) queue.put(full(n));
	deepEqual([drops, queue.dropped], [[], 0], "12 fit: 4 sectors of 3");
	queue.put(full(13)); // sector 0 (1..3) is recycled; the gap entry 14 follows 13
	deepEqual(drops, [[3, 4]]);
	deepEqual([queue.dropped, queue.size, queue.oldestSeq], [3, 11, 4]);
	const seen = takeAll(queue);
	equal(seen[0].slice(0, 9), '4={"n":4,');
	deepEqual([seen.at(-2)?.slice(0, 11), seen.at(-1)], ['13={"n":13,', `gap 14:1-3/3/${GapCause.DROPPED}`]);
	ok(queue.size <= queue.capacity + 2);
});

test("dropped-counts-stay-exact-over-many-laps", () => {
	const r = rig(6);
	let reported = 0;
	const queue = open(r, { onDrop: (count) => (reported += count) });
	const records: number[] = [];
	const received = new Set<number>();
	const covered = new Set<number>();
	let last = 0;
	const receive = (): void => {
		const entry = queue.peek() as QueueEntry;
		ok(entry.seq > last, `in order: ${entry.seq} after ${last}`);
		last = entry.seq;
		received.add(entry.seq);
		if (entry.isGap) for (let seq = entry.gapFrom; seq <= entry.gapTo; seq++) if (!received.has(seq)) covered.add(seq);
		queue.ack(queue.take());
	};
	for (let n = 1; n <= 200; n++) {
		records.push(queue.put(n % 3 ? full(n) : body(n)));
		if (n % 7 === 0) for (let i = 0; i < 3 && queue.peek(); i++) receive(); // a short connection
	}
	while (queue.peek()) receive();
	equal(reported, queue.dropped);
	ok(queue.dropped > 100, `${queue.dropped} dropped`);
	for (const seq of records) ok(received.has(seq) !== covered.has(seq), `record ${seq}: received, or reported lost by a gap entry`);
	for (const seq of covered) ok(!received.has(seq), `${seq} reported lost, then received`);
});

test("rejects-bad-records-and-options", () => {
	const r = rig(6);
	const queue = open(r);
	throws(() => queue.put(new Uint8Array(ArrayBuffer.fromString("[1]"))), RangeError, /invalid record/);
	throws(() => queue.put(body(1), 1), RangeError, /invalid record/);
	throws(() => queue.put(new Uint8Array(ArrayBuffer.fromString(`{"s":"${"x".repeat(50)}"}`))), RangeError, /record too large/);
	throws(() => queue.ack(0), RangeError, /invalid seq/);
	throws(() => queue.take(), RangeError, /nothing peeked/);
	throws(() => open(rig(3)), RangeError, /too few sectors/);
	throws(() => open(r, { maxBody: 1 }), RangeError, /invalid maxBody/);
	throws(() => open(r, { maxBody: 300 }), RangeError, /invalid maxBody/);
	throws(() => open(r, { window: 0 }), RangeError, /invalid window/);
	throws(() => open(r, { staging: 5 }), RangeError, /invalid staging/);
	throws(() => open(r, { onDrop: 3 as unknown as () => void }), RangeError, /invalid hook/);
	equal(queue.put(body(1)), 1, "the queue still works");
});

test("foreign-data-on-the-partition-is-skipped", () => {
	const r = rig(6);
	const log = r.mount(); // a plain record log over the whole partition: not a queue
	for (let i = 0; i < 60; i++) log.append(new Uint8Array(ArrayBuffer.fromString(`junk ${i}`)));
	const queue = open(r);
	ok(queue.recovery.invalid > 0, `${queue.recovery.invalid} invalid`);
	equal(queue.peek()?.isGap ?? true, true, "no junk is handed out");
	const seq = queue.put(body(1));
	ok(takeAll(queue).includes(`${seq}={"n":1}`));
});

test("the-esp32-log-partition-keeps-its-documented-capacity", () => {
	// 256 KB of 4 KB sectors: 2 for the state, 62 for the data; maxBody 200 makes 224-byte
	// entries, 17 per sector: 61 x 17 = 1037 entries are kept before any is dropped.
	const chip = new NorFlash({ size: 256 * 1024 });
	const open = (): TelemetryQueue => TelemetryQueue.open(flashFor(flashPartitions({ log: chip })).open({ path: "log" }), { flushMs: 0 });
	let queue = open();
	equal(queue.capacity, 1037);
	const head = '{"n":0,"p":"';
	const big = new Uint8Array(ArrayBuffer.fromString(`${head}${"x".repeat(200 - head.length - 2)}"}`));
	let first = 0;
	for (let n = 1; n <= 1300 && !first; n++) {
		queue.put(big);
		if (queue.dropped) first = n;
	}
	ok(first > queue.capacity, `the first drop came at put ${first}`);
	queue.close();
	queue = open();
	ok(queue.recovery.clean && queue.size >= queue.capacity, `${queue.size} held after a reboot`);
});
