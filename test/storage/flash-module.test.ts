// embedded:storage/flash (sim/devices/flash-storage) against the world's flash service
// (sim/world/flash-service) in one machine: the module gets the service's partitions as its
// transport, where on the simulators it gets the link to them (sim/modules/io/flash). Behaviour expected from the Moddable ESP32 module and
// ECMA-419 flash storage; flash semantics from NOR (erase to 0xFF, program clears bits).
import { test, ok, equal, deepEqual, throws } from "test/harness";
import { gc, memory } from "xshost";
import type { Flash } from "embedded:storage/flash";
import { flashFor } from "sim/devices/flash-storage";
import { NorFlash, NOR_SECTOR_SIZE } from "sim/devices/nor-flash";
import { flashPartitions } from "sim/world/flash-service";

const LOG_BLOCKS = 4;

function setup() {
	let cuts = 0;
	const log = new NorFlash({ size: LOG_BLOCKS * NOR_SECTOR_SIZE, onPowerCut: () => cuts++ });
	const storage = new NorFlash({ size: 2 * NOR_SECTOR_SIZE });
	const flash = flashFor(flashPartitions({ storage, log }));
	return { flash, log, storage, cuts: () => cuts };
}

function bytes(buffer: ArrayBuffer): Uint8Array {
	return new Uint8Array(buffer);
}

test("opens-a-partition-and-reports-its-geometry", () => {
	const { flash } = setup();
	const log = flash.open({ path: "log" });
	deepEqual(log.status(), { size: 16384, blockLength: 4096, blocks: 4, writeAlign: 1, eraseValue: 0xff });
	deepEqual(flash.open({ path: "storage", mode: "r" }).status(), { size: 8192, blockLength: 4096, blocks: 2, writeAlign: 1, eraseValue: 0xff });
});

test("unknown-partition-throws-cant-find-partition", () => {
	const { flash } = setup();
	const error = throws(() => flash.open({ path: "nvs" }), Error, /^can't find partition$/);
	ok(!(error instanceof RangeError), "a missing partition is not an argument error");
});

test("rejects-bad-open-options", () => {
	const { flash } = setup();
	throws(() => flash.open(undefined as never), RangeError);
	throws(() => flash.open({} as never), RangeError, /path/);
	throws(() => flash.open({ path: "log", mode: "w" as never }), RangeError, /mode/);
	throws(() => flash.open({ path: "log", format: "number" } as never), RangeError, /format/);
});

test("iterates-partition-names", () => {
	const { flash } = setup();
	deepEqual([...flash], ["storage", "log"]);
});

test("fresh-partition-reads-erased", () => {
	const { flash } = setup();
	ok(bytes(flash.open({ path: "log" }).read(LOG_BLOCKS * NOR_SECTOR_SIZE, 0)).every((b) => b === 0xff));
});

test("writes-then-reads-back-in-every-buffer-form", () => {
	const { flash } = setup();
	const log = flash.open({ path: "log" });
	log.write(Uint8Array.of(1, 2, 3, 4), 4094);
	log.write(Uint8Array.of(9, 8).buffer, 100);
	log.write(new DataView(Uint8Array.of(0, 7, 6, 0).buffer, 1, 2), 200);
	deepEqual(bytes(log.read(6, 4093)), Uint8Array.of(0xff, 1, 2, 3, 4, 0xff), "across a block boundary");
	const into = new ArrayBuffer(2);
	equal(log.read(into, 100), 2, "returns the bytes read");
	deepEqual(bytes(into), Uint8Array.of(9, 8));
	const backing = new Uint8Array(6);
	equal(log.read(new DataView(backing.buffer, 2, 2), 200), 2);
	deepEqual(backing, Uint8Array.of(0, 0, 7, 6, 0, 0), "fills the view's bytes only");
	equal(log.read(new Uint16Array(2), 4094), 4);
	equal(log.read(0, 10).byteLength, 0, "an empty read");
});

test("write-only-clears-bits-erase-restores", () => {
	const { flash, log: chip } = setup();
	const log = flash.open({ path: "log" });
	log.write(Uint8Array.of(0x0f, 0xcc), 10);
	log.write(Uint8Array.of(0xf0, 0xaa), 10);
	deepEqual(bytes(log.read(2, 10)), Uint8Array.of(0x00, 0x88));
	log.eraseBlock(0);
	deepEqual(bytes(log.read(2, 10)), Uint8Array.of(0xff, 0xff));
	equal(chip.eraseCount(0), 1);
});

test("erase-block-range-erases-start-to-end-minus-one", () => {
	const { flash, log: chip } = setup();
	const log = flash.open({ path: "log" });
	log.write(new Uint8Array(LOG_BLOCKS * NOR_SECTOR_SIZE), 0);
	log.eraseBlock(1, 3);
	deepEqual([0, 1, 2, 3].map((block) => chip.eraseCount(block)), [0, 1, 1, 0]);
	deepEqual([0, 1, 2, 3].map((block) => bytes(log.read(1, block * NOR_SECTOR_SIZE))[0]), [0x00, 0xff, 0xff, 0x00]);
});

test("partitions-are-separate", () => {
	const { flash } = setup();
	flash.open({ path: "storage" }).write(Uint8Array.of(0x42), 0);
	equal(bytes(flash.open({ path: "log" }).read(1, 0))[0], 0xff);
	equal(bytes(flash.open({ path: "storage" }).read(1, 0))[0], 0x42);
});

test("bad-arguments-throw-range-error", () => {
	const { flash } = setup();
	const log = flash.open({ path: "log" });
	const size = LOG_BLOCKS * NOR_SECTOR_SIZE;
	throws(() => log.read(4, size - 3), RangeError, /length/);
	throws(() => log.read(1, size + 1), RangeError, /offset/);
	throws(() => log.read(1, -1), RangeError, /offset/);
	throws(() => log.read(1.5, 0), RangeError, /length/);
	throws(() => log.read(-1, 0), RangeError, /length/);
	throws(() => log.read(new Uint8Array(2), 0.5), RangeError, /offset/);
	throws(() => log.read(new Uint8Array(2), size - 1), RangeError, /length/);
	throws(() => log.read("buffer" as never, 0), RangeError, /buffer/);
	throws(() => log.write(new Uint8Array(1), size), RangeError, /length/);
	throws(() => log.write({} as never, 0), RangeError, /buffer/);
	throws(() => log.write(new Uint8Array(1), undefined as never), RangeError, /offset/);
	throws(() => log.eraseBlock(LOG_BLOCKS), RangeError, /start/);
	throws(() => log.eraseBlock(-1), RangeError, /start/);
	throws(() => log.eraseBlock(0, LOG_BLOCKS + 1), RangeError, /stop/);
	throws(() => log.eraseBlock(2, 2), RangeError, /range/);
	throws(() => log.eraseBlock(3, 1), RangeError, /range/);
});

test("read-only-mode-refuses-write-and-erase", () => {
	const { flash, log: chip } = setup();
	const log = flash.open({ path: "log", mode: "r" });
	throws(() => log.write(Uint8Array.of(0), 0), Error, /^read-only$/);
	throws(() => log.eraseBlock(0), Error, /^read-only$/);
	equal(chip.eraseCount(0), 0);
	equal(bytes(log.read(1, 0))[0], 0xff, "reads work");
});

test("close-is-idempotent-and-use-after-close-throws", () => {
	const { flash } = setup();
	const log = flash.open({ path: "log" });
	log.close();
	log.close();
	throws(() => log.read(1, 0), RangeError, /closed/);
	throws(() => log.read(new Uint8Array(1), 0), RangeError, /closed/);
	throws(() => log.write(Uint8Array.of(0), 0), RangeError, /closed/);
	throws(() => log.eraseBlock(0), RangeError, /closed/);
	throws(() => log.status(), RangeError, /closed/);
	throws(() => log.format, RangeError, /closed/);
	equal(bytes(flash.open({ path: "log" }).read(1, 0))[0], 0xff, "the partition opens again");
});

test("format-is-buffer-only", () => {
	const { flash } = setup();
	const log = flash.open({ path: "log" });
	equal(log.format, "buffer");
	log.format = "buffer";
	throws(() => {
		log.format = "number" as never;
	}, RangeError, /format/);
});

test("flash-is-not-constructible-directly", () => {
	const { flash } = setup();
	const Class = flash.open({ path: "log" }).constructor as new (...args: unknown[]) => Flash;
	throws(() => new Class(Symbol("open"), 1, 4096, 4096, false), TypeError);
});

test("power-cut-during-write-throws-and-leaves-torn-bytes", () => {
	const { flash, log: chip, cuts } = setup();
	const log = flash.open({ path: "log" });
	chip.armPowerCut({ during: "program", afterBytes: 3, seed: 11 });
	throws(() => log.write(new Uint8Array(8).fill(0x0f), 64), Error, /^write failed$/);
	equal(cuts(), 1);
	throws(() => log.read(8, 64), Error, /^read failed$/, "no power: reads fail");
	throws(() => log.read(new Uint8Array(8), 64), Error, /^read failed$/);
	throws(() => log.write(Uint8Array.of(0), 0), Error, /^write failed$/);
	throws(() => log.eraseBlock(0), Error, /^erase failed$/);
	deepEqual(log.status(), { size: 16384, blockLength: 4096, blocks: 4, writeAlign: 1, eraseValue: 0xff }, "status needs no chip access");
	chip.powerOn();
	const torn = bytes(log.read(8, 64));
	deepEqual(torn.subarray(0, 3), Uint8Array.of(0x0f, 0x0f, 0x0f), "bytes before the cut programmed");
	equal(torn[3] & 0x0f, 0x0f, "the torn byte cleared none of the bits the write kept");
	deepEqual(torn.subarray(4), Uint8Array.of(0xff, 0xff, 0xff, 0xff), "bytes after the cut untouched");
});

test("power-cut-during-erase-range-throws-and-stops", () => {
	const { flash, log: chip } = setup();
	const log = flash.open({ path: "log" });
	log.write(new Uint8Array(LOG_BLOCKS * NOR_SECTOR_SIZE), 0);
	chip.armPowerCut({ during: "erase", afterBytes: NOR_SECTOR_SIZE + 100, seed: 4 });
	throws(() => log.eraseBlock(0, 3), Error, /^erase failed$/);
	chip.powerOn();
	ok(bytes(log.read(NOR_SECTOR_SIZE, 0)).every((b) => b === 0xff), "block 0 erased");
	const block1 = bytes(log.read(NOR_SECTOR_SIZE, NOR_SECTOR_SIZE));
	ok(block1.subarray(0, 100).every((b) => b === 0xff) && block1.subarray(101).every((b) => b === 0), "block 1 torn");
	ok(bytes(log.read(NOR_SECTOR_SIZE, 2 * NOR_SECTOR_SIZE)).every((b) => b === 0), "block 2 never reached");
	deepEqual([0, 1, 2].map((block) => chip.eraseCount(block)), [1, 1, 0]);
});

test("reading-into-a-caller-buffer-allocates-nothing", () => {
	const { flash } = setup();
	const log = flash.open({ path: "log" });
	const into = new Uint8Array(64);
	const raw = new ArrayBuffer(64);
	log.read(raw, 0); // the first read of a non-Uint8Array buffer makes its byte view
	/** Bytes of slots and chunks that 16 calls of `body` leave, beyond what the measuring costs. */
	function grown(body: () => unknown): number {
		gc();
		const before = memory();
		for (let i = 0; i < 16; i++) body();
		const after = memory();
		return after.slotsUsed - before.slotsUsed + after.chunksUsed - before.chunksUsed;
	}
	grown(() => undefined); // warm up: the first measurement also pays for first-call setup
	const baseline = grown(() => undefined);
	ok(grown(() => log.read(64, 128)) - baseline >= 16 * 64, "the measurement sees read(byteLength) allocate its buffers");
	equal(grown(() => log.read(into, 128)) - baseline, 0, "read(Uint8Array)");
	equal(grown(() => log.read(raw, 128)) - baseline, 0, "read(ArrayBuffer) again");
	equal(grown(() => log.write(into, 128)) - baseline, 0, "write(Uint8Array)");
});

test("service-rejects-bad-partition-names", () => {
	throws(() => flashPartitions({ "a-name-over-16-bytes": new NorFlash({ size: NOR_SECTOR_SIZE }) }), RangeError);
	throws(() => flashPartitions({ "": new NorFlash({ size: NOR_SECTOR_SIZE }) }), RangeError);
});
