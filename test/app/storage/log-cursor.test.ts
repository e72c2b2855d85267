// app/storage/log-cursor: iteration over a RecordLog on the NorFlash model, and the
// allocation-free steady state of append, flush and reads (slots and chunks from the XS
// host's memory() counters, measured as test/storage/flash-module.test.ts does).
// Layout (app/storage/README.md): 24-byte sector header, 12-byte record header; 40-byte
// payloads fit 4 per 256-byte sector.
import { test, ok, equal, deepEqual, throws } from "test/harness";
import { gc, memory } from "xshost";
import { appendMany, payloadFor, range, rig } from "test/app/storage/log-fixture";

test("a-cursor-on-an-empty-log-finds-nothing-then-follows-appends", () => {
	const { mount } = rig();
	const log = mount();
	const cursor = log.cursor();
	deepEqual([cursor.first(), cursor.seq, cursor.length], [false, 0, 0]);
	appendMany(log, 1, 5);
	deepEqual([cursor.next(), cursor.seq, cursor.length], [true, 1, 5]);
	deepEqual([cursor.next(), cursor.seq], [false, 1], "at the end it stays on the last record");
	appendMany(log, 6, 40); // 2..7, into the next sector
	const seen: number[] = [];
	while (cursor.next()) seen.push(cursor.seq);
	deepEqual(seen, range(2, 7));
});

test("read-copies-the-payload-and-checks-the-buffer", () => {
	const { mount } = rig();
	const log = mount();
	appendMany(log, 2, 30);
	const cursor = log.cursor();
	throws(() => cursor.read(new Uint8Array(30)), RangeError, /no record/);
	ok(cursor.first());
	const into = new Uint8Array(100).fill(0x11);
	equal(cursor.read(into), 30);
	deepEqual(into.subarray(0, 30), payloadFor(1, 30));
	throws(() => cursor.read(new Uint8Array(29)), RangeError, /buffer/);
	throws(() => cursor.read(new Uint8Array(4 * 256 + 1)), RangeError, /buffer/, "larger than the partition");
	throws(() => cursor.read([0] as never), RangeError, /buffer/);
});

test("reads-near-the-end-of-the-partition", () => {
	const { mount } = rig(4);
	const log = mount();
	appendMany(log, 16, 40); // the last four records sit in the last sector
	const cursor = log.cursor();
	ok(cursor.seek(16));
	const into = new Uint8Array(log.maxRecord); // reaches past the partition's end from record 16
	equal(cursor.read(into), 40);
	deepEqual(into.subarray(0, 40), payloadFor(16, 40));
});

test("seek-finds-the-first-record-at-or-after-a-number", () => {
	const { mount } = rig();
	const log = mount();
	appendMany(log, 10, 20);
	const cursor = log.cursor();
	deepEqual([cursor.seek(4), cursor.seq], [true, 4]);
	deepEqual([cursor.seek(0), cursor.seq], [true, 1]);
	deepEqual([cursor.seek(11), cursor.seq], [false, 0]);
	throws(() => cursor.seek(-1), RangeError, /seq/);
	log.trim(6);
	deepEqual([cursor.seek(2), cursor.seq], [true, 7], "trimmed records are skipped");
});

test("a-trim-under-the-cursor-moves-it-past-the-watermark", () => {
	const { mount } = rig();
	const log = mount();
	appendMany(log, 10, 20);
	const cursor = log.cursor();
	cursor.seek(2);
	log.trim(5);
	deepEqual([cursor.next(), cursor.seq], [true, 6]);
});

test("a-recycled-sector-makes-the-cursor-stale-and-next-resumes", () => {
	const { mount } = rig(4);
	const log = mount();
	appendMany(log, 16, 40);
	const cursor = log.cursor();
	cursor.seek(2); // in sector 0
	appendMany(log, 1, 40); // recycles sector 0 (drops 1-4)
	throws(() => cursor.read(new Uint8Array(40)), Error, /stale cursor/);
	deepEqual([cursor.next(), cursor.seq], [true, 5], "resumes at the oldest record after 2");
	equal(cursor.read(new Uint8Array(40)), 40);
});

test("a-record-corrupted-after-mount-fails-read", () => {
	const { chip, mount } = rig();
	const log = mount();
	appendMany(log, 2, 40);
	const payload = 24 + 12; // record 1's payload offset in sector 0
	chip.program(payload + 5, Uint8Array.of(0)); // bit errors: clear a byte
	const cursor = log.cursor();
	ok(cursor.first());
	throws(() => cursor.read(new Uint8Array(40)), Error, /corrupt record/);
	ok(cursor.next(), "next() skips it");
	equal(cursor.seq, 2);
});

/** Bytes of slots and chunks that 16 calls of `body` leave, beyond what the measuring costs. */
function grown(body: () => unknown): number {
	gc();
	const before = memory();
	for (let i = 0; i < 16; i++) body();
	const after = memory();
	return after.slotsUsed - before.slotsUsed + after.chunksUsed - before.chunksUsed;
}

test("append-flush-and-reads-allocate-nothing", () => {
	const { mount } = rig(4);
	const payload = payloadFor(1, 40);
	const onDrop = (): void => undefined;
	const through = mount({ onDrop });
	const staged = rig(4).mount({ staging: 128, onDrop });
	appendMany(through, 20, 40); // the ring is full: the measured appends recycle sectors too
	appendMany(staged, 20, 40);
	const cursor = through.cursor(), into = new Uint8Array(64);
	cursor.first();
	grown(() => undefined);
	const baseline = grown(() => undefined);
	ok(grown(() => new Uint8Array(8)) - baseline >= 16 * 8, "the measurement sees an allocation");
	equal(grown(() => through.append(payload)) - baseline, 0, "write-through append (recycling included)");
	equal(grown(() => staged.append(payload)) - baseline, 0, "staged append (flushes included)");
	equal(grown(() => staged.flush()) - baseline, 0, "flush");
	equal(grown(() => cursor.first() && cursor.next() && cursor.read(into)) - baseline, 0, "first, next, read");
	equal(grown(() => cursor.seek(30) && cursor.read(into)) - baseline, 0, "seek, read");
	ok(through.dropped > 0 && staged.dropped > 0, "the measured appends recycled sectors");
});
