// app/storage/record-log mounting damaged partitions without throwing: bit errors in a
// committed record, bytes programmed behind the head, foreign data, a damaged sector header,
// a torn commit. Offsets from the format table in app/storage/README.md: a 24-byte sector
// header, then records of a 12-byte header (commit marker first) and the payload.
import { test, ok, equal, deepEqual, throws } from "test/harness";
import type { Flash } from "embedded:storage/flash";
import { RecordLog } from "app/storage/record-log";
import { Prng } from "sim/devices/prng";
import { SECTOR, appendMany, payloadFor, range, rig, seqsOf } from "test/app/storage/log-fixture";

const SECTOR_HEADER = 24;
const RECORD = 12 + 40; // 40-byte payloads
const COMMITTED = 0xa5;
const KILLED = 0x00;

test("a-committed-record-failing-its-crc-is-killed-and-skipped", () => {
	const { chip, mount } = rig();
	appendMany(mount(), 4, 40);
	const second = SECTOR_HEADER + RECORD;
	chip.program(second + 12 + 7, Uint8Array.of(0)); // bit errors in record 2's payload
	const log = mount();
	deepEqual([log.recovery.corrupt, log.recovery.records], [1, 3]);
	equal(chip.image()[second], KILLED, "its commit marker is programmed to the killed value");
	deepEqual(seqsOf(log), [1, 3, 4], "records after it in the sector are kept");
	const again = mount();
	deepEqual([again.recovery.corrupt, again.recovery.records, again.nextSeq], [0, 3, 5], "killed once, skipped after");
});

test("bytes-programmed-behind-the-head-seal-it", () => {
	const { chip, mount } = rig();
	appendMany(mount(), 2, 40);
	chip.program(200, Uint8Array.of(0x12)); // after the last record, where the next would go
	const log = mount();
	deepEqual([log.recovery.sealed, log.recovery.records], [1, 2]);
	const erasesBefore = chip.eraseCount(1);
	appendMany(log, 1, 40);
	equal(chip.eraseCount(1), erasesBefore + 1, "the next record opens a new sector");
	const again = mount();
	deepEqual([again.recovery.sealed, seqsOf(again)], [0, [1, 2, 3]]);
});

test("a-foreign-partition-is-reformatted", () => {
	const { chip, mount } = rig(4);
	const prng = new Prng(42);
	const junk = new Uint8Array(4 * SECTOR);
	for (let i = 0; i < junk.length; i++) junk[i] = prng.int(256);
	chip.load(junk);
	const log = mount();
	deepEqual([log.recovery.formatted, log.recovery.erased, log.recovery.records], [true, 1, 0]);
	appendMany(log, 14, 40); // into every sector: each is erased before it is used
	deepEqual(seqsOf(mount()), range(1, 14));
});

test("a-damaged-sector-header-loses-only-that-sector", () => {
	const { chip, mount } = rig(4);
	appendMany(mount(), 12, 40); // 1-4 | 5-8 | 9-12
	chip.program(SECTOR + 8, Uint8Array.of(0)); // sector 1's sequence number (low byte 2 -> 0)
	const log = mount();
	deepEqual([log.recovery.sectors, seqsOf(log)], [2, [1, 2, 3, 4, 9, 10, 11, 12]]);
	appendMany(log, 1, 40);
	deepEqual(seqsOf(mount()), [1, 2, 3, 4, 9, 10, 11, 12, 13]);
});

test("a-torn-commit-is-skipped-and-the-sector-keeps-taking-records", () => {
	const { chip, mount } = rig();
	const log = mount();
	appendMany(log, 1, 40);
	// Record 2's commit byte (after its 12 + 40 bytes) torn: find a seed that tears it.
	let seed = 0;
	for (;; seed++) {
		const image = chip.image();
		const attempt = mount();
		chip.armPowerCut({ during: "program", afterBytes: 12 + 40, seed });
		try {
			attempt.append(payloadFor(2, 40));
		} catch {
			chip.powerOn();
		}
		const marker = chip.image()[SECTOR_HEADER + RECORD];
		if (marker !== COMMITTED && marker !== 0xff) break;
		chip.load(image);
	}
	const after = mount();
	deepEqual([after.recovery.torn, after.recovery.sealed, after.nextSeq], [1, 0, 3], "complete but uncommitted: skipped, number kept");
	const erases = chip.eraseCount(1);
	equal(after.append(payloadFor(3, 40)), 3);
	equal(chip.eraseCount(1), erases, "record 3 goes after the torn record, in the same sector");
	deepEqual(seqsOf(mount()), [1, 3]);
	ok(seed < 64, `seed ${seed}`);
});

test("a-real-chip-erase-interrupted-anywhere-leaves-no-half-valid-sector", () => {
	// A real chip interrupted mid-erase leaves cells anywhere between programmed and erased
	// (the model erases a prefix). Emulated: the power goes as the erase command is sent (a
	// Flash whose eraseBlock fails first), then bits after the sector header are set at
	// random. Mount must find no valid sector there: nothing of it comes back half-erased
	// and nothing reads as corrupt (corrupt means bit errors, not cuts).
	const { chip, open, mount } = rig(4);
	appendMany(mount(), 16, 40); // full: 1-4 | 5-8 | 9-12 | 13-16
	const flash = open();
	const failing = {
		read: (target: Uint8Array, offset: number) => flash.read(target, offset),
		write: (bytes: Uint8Array, offset: number) => flash.write(bytes, offset),
		status: () => flash.status(),
		close: () => flash.close(),
		eraseBlock: () => {
			throw new Error("erase failed");
		},
		format: "buffer",
	} as unknown as Flash;
	throws(() => RecordLog.mount(failing).append(payloadFor(17, 40)), Error, /erase failed/);
	const image = chip.image();
	const prng = new Prng(7);
	for (let i = SECTOR_HEADER; i < SECTOR; i++) if (prng.next() < 0.3) image[i] |= 1 << prng.int(8);
	chip.load(image);
	const after = mount();
	deepEqual([after.recovery.corrupt, after.recovery.sectors, seqsOf(after)], [0, 3, range(5, 16)]);
});
