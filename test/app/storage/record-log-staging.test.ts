// app/storage/record-log with a RAM staging buffer: records wait in RAM until flush() (or
// until the buffer or the head sector is full, or trim()), then go to flash in one write
// of the buffer plus one commit byte each. Figures from the format table in
// app/storage/README.md: 24-byte sector header, 12-byte record header, 256-byte sectors.
import { test, ok, equal, deepEqual } from "test/harness";
import { appendMany, payloadFor, range, rig, seqsOf } from "test/app/storage/log-fixture";

test("staged-records-reach-flash-at-flush", () => {
	const { chip, mount } = rig();
	const log = mount({ staging: 128 });
	const before = chip.bytesProgrammed;
	appendMany(log, 3, 20);
	deepEqual([chip.bytesProgrammed - before, log.staged, log.nextSeq], [0, 3, 4], "nothing programmed yet");
	deepEqual(seqsOf(log), [], "cursors see flash only");
	deepEqual(seqsOf(mount()), [], "a reboot now loses them");
	log.flush();
	deepEqual([chip.bytesProgrammed - before, log.staged], [128 + 3, 0], "the 128-byte buffer, then 3 commit bytes");
	deepEqual(seqsOf(log), [1, 2, 3]);
	deepEqual(seqsOf(mount()), [1, 2, 3]);
	log.flush();
	equal(chip.bytesProgrammed - before, 131, "flushing nothing writes nothing");
});

test("a-full-buffer-flushes-before-the-next-record", () => {
	const { mount } = rig();
	const log = mount({ staging: 64 });
	appendMany(log, 2, 20); // 2 x 32 bytes: full
	equal(log.staged, 2);
	appendMany(log, 1, 20);
	equal(log.staged, 1, "records 1 and 2 were flushed to make room");
	deepEqual(seqsOf(mount()), [1, 2]);
});

test("staging-follows-the-head-across-sectors", () => {
	const { mount } = rig(4);
	const log = mount({ staging: 200 });
	// 52-byte records: 3 fill the 200-byte window at offset 24; the 4th moves the window to
	// the sector's last 200 bytes; the 5th needs a new sector.
	for (let i = 0; i < 12; i++) appendMany(log, 1, 40);
	log.flush();
	deepEqual(seqsOf(mount()), range(1, 12));
});

test("records-larger-than-the-buffer-are-written-through-in-order", () => {
	const { mount } = rig();
	const log = mount({ staging: 64 });
	log.append(payloadFor(1, 10));
	log.append(payloadFor(2, 100)); // 112 bytes > 64: flushes record 1, then writes through
	equal(log.staged, 0);
	log.append(payloadFor(3, 10));
	log.flush();
	deepEqual(seqsOf(mount()), [1, 2, 3]);
});

test("trim-flushes-staged-records-first", () => {
	const { mount } = rig();
	const log = mount({ staging: 128 });
	appendMany(log, 4, 10);
	log.trim(2);
	deepEqual([log.staged, log.trimmed, log.durableTrimmed], [0, 2, 2]);
	deepEqual(seqsOf(mount()), [3, 4]);
});

test("unflushed-numbers-are-given-again-after-a-reboot", () => {
	// Documented: a staged record's number is not on flash until flush().
	const { mount } = rig();
	const log = mount({ staging: 128 });
	appendMany(log, 2, 10);
	log.flush();
	appendMany(log, 2, 10); // 3, 4 staged, then the power goes
	const again = mount({ staging: 128 });
	equal(again.nextSeq, 3);
	ok(again.recovery.records === 2 && again.recovery.torn === 0);
});
