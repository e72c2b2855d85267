// app/storage/record-log on the NorFlash model: appends, reads, sector boundaries, ring wrap
// with drop-oldest, reboots, trims and their watermark, options. Layout figures come from the
// format table in app/storage/README.md: a 24-byte sector header, a 12-byte record header;
// with 256-byte sectors a 40-byte payload takes 52 bytes, so 4 fit a sector ((256-24)/52).
import { test, ok, equal, deepEqual, throws } from "test/harness";
import type { Flash } from "embedded:storage/flash";
import { RecordLog } from "app/storage/record-log";
import { SECTOR, appendMany, payloadFor, range, readAll, rig, seqsOf } from "test/app/storage/log-fixture";

const SECTOR_HEADER = 24;
const RECORD_HEADER = 12;
const PER_SECTOR = 4; // 40-byte payloads in a 256-byte sector

test("fresh-partition-is-formatted-in-sector-0", () => {
	const { chip, mount } = rig();
	const log = mount();
	deepEqual(log.recovery, {
		formatted: true, sectors: 1, records: 0, torn: 0, corrupt: 0, sealed: 0, erased: 1, firstSeq: 0, nextSeq: 1, trimmed: 0,
	});
	equal(chip.eraseCount(0), 1);
	deepEqual(chip.image().subarray(0, 5), Uint8Array.of(0x52, 0x4c, 0x4f, 0x47, 1), "magic RLOG, version 1");
	equal(log.maxRecord, SECTOR - SECTOR_HEADER - RECORD_HEADER);
	equal(log.cursor().first(), false);
});

test("appends-and-reads-back-in-order", () => {
	const { mount } = rig();
	const log = mount();
	const lengths = [0, 1, 17, 40, 3];
	for (let i = 0; i < lengths.length; i++) equal(log.append(payloadFor(i + 1, lengths[i])), i + 1);
	const found = readAll(log);
	deepEqual(found.map((r) => r.seq), [1, 2, 3, 4, 5]);
	for (const { seq, bytes } of found) deepEqual(bytes, payloadFor(seq, lengths[seq - 1]));
	equal(log.nextSeq, 6);
});

test("records-cross-sector-boundaries", () => {
	const { chip, mount } = rig(4);
	const log = mount();
	appendMany(log, 3 * PER_SECTOR, 40);
	deepEqual(seqsOf(log), range(1, 12));
	deepEqual([0, 1, 2, 3].map((s) => chip.eraseCount(s)), [1, 1, 1, 0], "three sectors opened, each erased once");
	const next = log.append(payloadFor(13, 40));
	deepEqual([next, chip.eraseCount(3)], [13, 1], "the 13th record opens the fourth sector");
});

test("ring-wrap-drops-the-oldest-sector-and-counts-it", () => {
	const { mount } = rig(4);
	const drops: [number, number][] = [];
	const log = mount({ onDrop: (count, through) => drops.push([count, through]) });
	appendMany(log, 30, 40);
	// Sectors fill 1-4, 5-8, 9-12, 13-16; records 17, 21, 25, 29 each recycle the oldest sector.
	deepEqual(drops, [[4, 4], [4, 8], [4, 12], [4, 16]]);
	equal(log.dropped, 16);
	deepEqual(seqsOf(log), range(17, 30));
	const again = mount();
	deepEqual(seqsOf(again), range(17, 30), "after a reboot");
	deepEqual([again.recovery.records, again.recovery.firstSeq, again.recovery.nextSeq], [14, 17, 31]);
});

test("drop-count-excludes-consumed-records", () => {
	const { mount } = rig(2);
	const drops: [number, number][] = [];
	const log = mount({ onDrop: (count, through) => drops.push([count, through]) });
	appendMany(log, 2 * PER_SECTOR, 40); // sector 0: 1-4, sector 1: 5-8
	log.trim(2); // the watermark record fits in sector 1 (208 + 24 + 12 <= 256)
	appendMany(log, 1, 40); // recycles sector 0: records 3 and 4 were unconsumed
	deepEqual(drops, [[2, 4]]);
	deepEqual(seqsOf(log), range(5, 9));
});

test("reboot-continues-sequence-numbers", () => {
	const { mount } = rig();
	appendMany(mount(), 7, 10);
	const log = mount();
	deepEqual([log.recovery.formatted, log.recovery.records, log.recovery.firstSeq, log.nextSeq], [false, 7, 1, 8]);
	equal(log.append(payloadFor(8, 10)), 8);
	deepEqual(seqsOf(mount()), range(1, 8));
});

test("numbers-continue-after-everything-was-trimmed-and-erased", () => {
	const { mount } = rig(3);
	const log = mount();
	appendMany(log, 2 * PER_SECTOR + 1, 40); // sectors 0 and 1 full, sector 2 holds record 9
	log.trim(9);
	const again = mount();
	deepEqual([again.recovery.records, again.recovery.trimmed, again.nextSeq], [0, 9, 10]);
	equal(again.cursor().first(), false);
	equal(again.append(payloadFor(10, 40)), 10, "never reuses a number");
});

test("trim-hides-consumed-records-and-survives-reboot", () => {
	const { mount } = rig();
	const log = mount();
	appendMany(log, 10, 20);
	log.trim(6);
	deepEqual([log.trimmed, log.durableTrimmed], [6, 6]);
	deepEqual(seqsOf(log), range(7, 10));
	const again = mount();
	deepEqual([again.recovery.trimmed, again.recovery.records, again.recovery.firstSeq], [6, 4, 7]);
	deepEqual(seqsOf(again), range(7, 10));
	again.trim(3);
	equal(again.trimmed, 6, "the watermark never moves back");
});

test("trim-erases-sectors-holding-only-consumed-records", () => {
	const { chip, mount } = rig(4);
	const log = mount();
	appendMany(log, 3 * PER_SECTOR, 40); // 1-4 | 5-8 | 9-12
	log.trim(5); // sector 0 is all consumed, sector 1 is not
	deepEqual([0, 1, 2].map((s) => chip.eraseCount(s)), [2, 1, 1]);
	ok(chip.image().subarray(0, SECTOR).every((b) => b === 0xff), "sector 0 erased");
	log.trim(12); // sector 1 goes; sector 2 is the head and stays
	deepEqual([0, 1, 2].map((s) => chip.eraseCount(s)), [2, 2, 1]);
	deepEqual(seqsOf(log), []);
	deepEqual(seqsOf(mount()), [], "nothing comes back after a reboot");
});

test("trim-beyond-the-last-record-clamps", () => {
	const { mount } = rig();
	const log = mount();
	appendMany(log, 4, 8);
	log.trim(1000);
	equal(log.trimmed, 4);
	equal(log.append(payloadFor(5, 8)), 5);
	deepEqual(seqsOf(mount()), [5], "record 5 is not trimmed by the earlier call");
	throws(() => log.trim(-1), RangeError, /seq/);
	throws(() => log.trim(1.5), RangeError, /seq/);
});

test("trim-with-a-full-head-and-no-free-sector-is-kept-until-the-next-sector-opens", () => {
	const { mount } = rig(2);
	const drops: [number, number][] = [];
	const log = mount({ onDrop: (count, through) => drops.push([count, through]) });
	// 104-byte payloads: two fill a sector exactly (24 + 2 * (12 + 104) = 256), no room for a watermark.
	appendMany(log, 4, 104); // sector 0: 1, 2; sector 1: 3, 4
	log.trim(1);
	deepEqual([log.trimmed, log.durableTrimmed], [1, 0], "sector 0 still holds record 2: nowhere to write");
	deepEqual(seqsOf(log), [2, 3, 4]);
	log.append(payloadFor(5, 104)); // recycles sector 0; its new header carries the watermark
	deepEqual([log.durableTrimmed, drops], [1, [[1, 2]]]);
	deepEqual(seqsOf(mount()), [3, 4, 5]);
});

test("trim-with-a-full-head-writes-the-watermark-in-a-sector-it-freed", () => {
	const { mount } = rig(2);
	const log = mount();
	appendMany(log, 2, 220); // 24 + 12 + 220 = 256: one record per sector
	log.trim(1); // erases sector 0, then opens it: the header carries the watermark
	deepEqual([log.trimmed, log.durableTrimmed, log.dropped], [1, 1, 0]);
	deepEqual(seqsOf(mount()), [2]);
});

test("oversized-records-are-refused", () => {
	const { mount } = rig();
	const log = mount();
	throws(() => log.append(new Uint8Array(log.maxRecord + 1)), RangeError, /too large/);
	throws(() => log.append([1, 2] as never), RangeError, /payload/);
	equal(log.append(payloadFor(1, log.maxRecord)), 1, "the largest record fits");
	equal(log.append(payloadFor(2, log.maxRecord)), 2);
	deepEqual(readAll(mount()).map((r) => r.bytes.length), [log.maxRecord, log.maxRecord]);
});

test("rejects-bad-options-and-unsupported-flash", () => {
	const { open, mount } = rig();
	throws(() => mount({ staging: -1 }), RangeError, /staging/);
	throws(() => mount({ staging: RECORD_HEADER }), RangeError, /staging/, "no room for a payload");
	throws(() => mount({ staging: SECTOR - SECTOR_HEADER + 1 }), RangeError, /staging/);
	throws(() => mount({ onDrop: 5 as never }), RangeError, /onDrop/);
	throws(() => RecordLog.mount(open(), null as never), RangeError, /options/);
	throws(() => RecordLog.mount(undefined as never), RangeError, /flash/);
	const status = open().status();
	const fake = (patch: object): Flash => ({ status: () => ({ ...status, ...patch }) }) as unknown as Flash;
	throws(() => RecordLog.mount(fake({ writeAlign: 16 })), RangeError, /writeAlign/);
	throws(() => RecordLog.mount(fake({ eraseValue: 0 })), RangeError, /eraseValue/);
	throws(() => RecordLog.mount(fake({ blocks: 1 })), RangeError, /sectors/);
	throws(() => RecordLog.mount(fake({ blockLength: 64 })), RangeError, /blockLength/);
	throws(() => rig(1).mount(), RangeError, /sectors/);
});

test("works-on-4-kb-esp32-sectors", () => {
	const { chip, mount } = rig(4, 4096);
	const log = mount();
	equal(log.maxRecord, 4096 - SECTOR_HEADER - RECORD_HEADER);
	const per = Math.floor((4096 - SECTOR_HEADER) / (RECORD_HEADER + 100)); // 36
	appendMany(log, 4 * per + 5, 100);
	equal(log.dropped, per, "one recycle");
	deepEqual(seqsOf(mount()), range(per + 1, 4 * per + 5));
	equal(chip.eraseCount(0), 2);
});

test("wear-is-spread-evenly-over-the-ring", () => {
	const { chip, mount } = rig(5);
	const log = mount();
	appendMany(log, 5 * PER_SECTOR * 7 + 3, 40); // seven laps of the ring
	const counts = [0, 1, 2, 3, 4].map((s) => chip.eraseCount(s));
	ok(Math.max(...counts) - Math.min(...counts) <= 1, `erase counts ${counts.join(",")}`);
	equal(counts.reduce((a, b) => a + b), 5 * 7 + 1, "one erase per sector opened");
});
