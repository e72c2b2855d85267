// The NOR flash model against what the datasheet says NOR does (W25Q32JV: Sector Erase sets a
// 4 KB sector to FFh; Page Program can only clear bits) and against the power-cut contract in
// sim/devices/nor-flash.ts.
import { test, ok, equal, deepEqual, throws } from "test/harness";
import { NorFlash, NOR_SECTOR_SIZE } from "sim/devices/nor-flash";

const SECTORS = 4;

function chip(onPowerCut?: () => void): NorFlash {
	return new NorFlash({ size: SECTORS * NOR_SECTOR_SIZE, onPowerCut });
}

function bytesAt(flash: NorFlash, offset: number, length: number): Uint8Array {
	const into = new Uint8Array(length);
	ok(flash.read(offset, into), "read with power");
	return into;
}

function every(bytes: Uint8Array, value: number): boolean {
	return bytes.every((byte) => byte === value);
}

/** A byte a cut left between `before` and `after` (what the operation would have made): it may only hold bits of one or the other. */
function between(torn: number, before: number, after: number): boolean {
	return (torn & ~(before | after)) === 0 && (before & after & ~torn) === 0;
}

test("sector-size-is-the-esp32-erase-unit", () => {
	equal(NOR_SECTOR_SIZE, 4096);
	const flash = chip();
	equal(flash.size, 16384);
	equal(flash.sectorSize, 4096);
	equal(flash.sectors, 4);
});

test("new-chip-reads-erased", () => {
	ok(every(bytesAt(chip(), 0, SECTORS * NOR_SECTOR_SIZE), 0xff));
});

test("erase-sets-only-its-sector-to-ff", () => {
	const flash = chip();
	ok(flash.program(0, new Uint8Array(2 * NOR_SECTOR_SIZE)));
	ok(flash.erase(1));
	ok(every(bytesAt(flash, 0, NOR_SECTOR_SIZE), 0x00), "sector 0 keeps its data");
	ok(every(bytesAt(flash, NOR_SECTOR_SIZE, NOR_SECTOR_SIZE), 0xff), "sector 1 erased");
});

test("program-only-clears-bits", () => {
	const flash = chip();
	ok(flash.program(10, Uint8Array.of(0b1100_1100, 0x00, 0xf0)));
	ok(flash.program(10, Uint8Array.of(0b1010_1010, 0xff, 0x0f)));
	deepEqual(bytesAt(flash, 10, 3), Uint8Array.of(0b1000_1000, 0x00, 0x00), "new = old & data; 0xFF over 0x00 stays 0x00");
	ok(flash.erase(0));
	ok(flash.program(10, Uint8Array.of(0xff, 0x5a)));
	deepEqual(bytesAt(flash, 10, 2), Uint8Array.of(0xff, 0x5a), "after an erase the byte takes the new value");
});

test("program-crosses-sector-boundary", () => {
	const flash = chip();
	ok(flash.program(NOR_SECTOR_SIZE - 3, Uint8Array.of(1, 2, 3, 4, 5, 6)));
	deepEqual(bytesAt(flash, NOR_SECTOR_SIZE - 4, 8), Uint8Array.of(0xff, 1, 2, 3, 4, 5, 6, 0xff));
	ok(flash.erase(1));
	deepEqual(bytesAt(flash, NOR_SECTOR_SIZE - 4, 8), Uint8Array.of(0xff, 1, 2, 3, 0xff, 0xff, 0xff, 0xff), "erase stops at the boundary");
});

test("counts-erases-per-sector-and-bytes-programmed", () => {
	const flash = chip();
	flash.erase(2);
	flash.erase(2);
	flash.erase(3);
	equal(flash.eraseCount(0), 0);
	equal(flash.eraseCount(2), 2);
	equal(flash.eraseCount(3), 1);
	flash.program(0, new Uint8Array(100));
	flash.program(5000, new Uint8Array(28));
	equal(flash.bytesProgrammed, 128);
});

test("rejects-out-of-range-arguments", () => {
	const flash = chip();
	throws(() => flash.program(SECTORS * NOR_SECTOR_SIZE - 1, new Uint8Array(2)), RangeError);
	throws(() => flash.program(-1, new Uint8Array(1)), RangeError);
	throws(() => flash.read(0.5, new Uint8Array(1)), RangeError);
	throws(() => flash.erase(SECTORS), RangeError);
	throws(() => flash.erase(-1), RangeError);
	throws(() => flash.eraseCount(SECTORS), RangeError);
	throws(() => new NorFlash({ size: 5000 }), RangeError, /size/);
	throws(() => new NorFlash({ size: 0 }), RangeError, /size/);
	throws(() => flash.armPowerCut({ during: "read" as never, seed: 1 }), RangeError);
	throws(() => flash.armPowerCut({ during: "program", afterBytes: -1, seed: 1 }), RangeError);
	throws(() => flash.load(new Uint8Array(10)), RangeError);
});

test("power-cut-during-program-leaves-a-prefix-and-a-torn-byte", () => {
	let cuts = 0;
	const flash = chip(() => cuts++);
	flash.armPowerCut({ during: "program", afterBytes: 5, seed: 1 });
	const data = new Uint8Array(16).fill(0x0f);
	equal(flash.program(100, data), false, "the program did not complete");
	equal(cuts, 1, "onPowerCut called once");
	equal(flash.powered, false);
	flash.powerOn();
	const after = bytesAt(flash, 99, 18);
	equal(after[0], 0xff, "byte before untouched");
	ok(every(after.subarray(1, 6), 0x0f), "the five bytes before the cut are programmed");
	ok(between(after[6], 0xff, 0x0f), `torn byte ${after[6]} holds only old or new bits`);
	ok(every(after.subarray(7), 0xff), "bytes after the cut are untouched");
	equal(flash.bytesProgrammed, 6, "five bytes and the torn one");
});

test("torn-program-byte-is-partial-for-some-seeds", () => {
	let partial = 0;
	for (let seed = 1; seed <= 32; seed++) {
		const flash = chip();
		flash.armPowerCut({ during: "program", afterBytes: 0, seed });
		flash.program(0, Uint8Array.of(0x00));
		flash.powerOn();
		const torn = bytesAt(flash, 0, 1)[0];
		if (torn !== 0xff && torn !== 0x00) partial++;
	}
	ok(partial > 0, "some bits cleared, others not");
});

test("power-cut-counts-bytes-across-programs", () => {
	const flash = chip();
	flash.armPowerCut({ during: "program", afterBytes: 10, seed: 3 });
	ok(flash.erase(0), "erases are not counted for a program cut");
	ok(flash.program(0, new Uint8Array(4)));
	ok(flash.program(4, new Uint8Array(4)));
	equal(flash.program(8, Uint8Array.of(0x11, 0x22, 0x33, 0x44)), false);
	flash.powerOn();
	const after = bytesAt(flash, 8, 4);
	deepEqual(after.subarray(0, 2), Uint8Array.of(0x11, 0x22));
	ok(between(after[2], 0xff, 0x33));
	equal(after[3], 0xff);
});

test("power-cut-during-erase-leaves-a-partly-erased-sector", () => {
	let cuts = 0;
	const flash = chip(() => cuts++);
	ok(flash.program(NOR_SECTOR_SIZE, new Uint8Array(NOR_SECTOR_SIZE).fill(0x3c)));
	flash.armPowerCut({ during: "erase", afterBytes: 1000, seed: 7 });
	ok(flash.program(0, Uint8Array.of(0)), "programs are not counted for an erase cut");
	equal(flash.erase(1), false);
	equal(cuts, 1);
	equal(flash.eraseCount(1), 1, "an interrupted erase still wears the sector");
	flash.powerOn();
	const sector = bytesAt(flash, NOR_SECTOR_SIZE, NOR_SECTOR_SIZE);
	ok(every(sector.subarray(0, 1000), 0xff), "prefix erased");
	ok(between(sector[1000], 0x3c, 0xff), `torn byte ${sector[1000]} holds only old or erased bits`);
	ok(every(sector.subarray(1001), 0x3c), "rest unchanged");
});

test("erase-cut-point-carries-over-to-the-next-erase", () => {
	const flash = chip();
	flash.program(0, new Uint8Array(2 * NOR_SECTOR_SIZE));
	flash.armPowerCut({ during: "erase", afterBytes: NOR_SECTOR_SIZE + 10, seed: 9 });
	ok(flash.erase(0));
	equal(flash.erase(1), false);
	flash.powerOn();
	ok(every(bytesAt(flash, NOR_SECTOR_SIZE, 10), 0xff));
	ok(every(bytesAt(flash, NOR_SECTOR_SIZE + 11, NOR_SECTOR_SIZE - 11), 0x00));
});

test("refuses-every-operation-after-a-cut-until-power-on", () => {
	const flash = chip();
	flash.armPowerCut({ during: "program", afterBytes: 0, seed: 5 });
	equal(flash.program(0, Uint8Array.of(0)), false);
	const before = flash.image();
	const into = new Uint8Array(4);
	equal(flash.read(0, into), false, "read refused");
	ok(every(into, 0), "nothing read");
	equal(flash.program(10, Uint8Array.of(0)), false, "program refused");
	equal(flash.erase(0), false, "erase refused");
	equal(flash.eraseCount(0), 0, "a refused erase does not wear");
	deepEqual(flash.image(), before, "contents unchanged while unpowered");
	flash.powerOn();
	ok(flash.program(10, Uint8Array.of(0)), "one cut only: works after power on");
	ok(flash.erase(0));
});

test("disarmed-cut-does-not-strike", () => {
	const flash = chip();
	flash.armPowerCut({ during: "program", afterBytes: 0, seed: 5 });
	flash.disarm();
	ok(flash.program(0, Uint8Array.of(0)));
	ok(flash.powered);
});

test("random-cut-point-falls-inside-the-next-operation", () => {
	for (let seed = 1; seed <= 16; seed++) {
		const flash = chip();
		flash.armPowerCut({ during: "program", seed });
		ok(flash.program(0, new Uint8Array(0)), "an empty program has no byte to cut");
		equal(flash.program(0, new Uint8Array(64)), false, `seed ${seed}`);
	}
});

test("same-seed-same-damage", () => {
	function damage(seed: number): Uint8Array {
		const flash = chip();
		flash.program(0, new Uint8Array(NOR_SECTOR_SIZE).fill(0x96));
		flash.armPowerCut({ during: "erase", seed });
		flash.erase(0);
		return flash.image();
	}
	deepEqual(damage(42), damage(42));
	const images = new Set<string>();
	for (let seed = 1; seed <= 8; seed++) images.add(Array.prototype.join.call(damage(seed).subarray(0, NOR_SECTOR_SIZE), ""));
	ok(images.size > 1, "different seeds cut at different points");
});

test("image-round-trips-and-is-a-copy", () => {
	const flash = chip();
	flash.program(4090, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
	flash.erase(3);
	const image = flash.image();
	equal(image.length, flash.size);
	const other = chip();
	other.load(image);
	deepEqual(other.image(), image);
	image[4090] = 0xee;
	equal(bytesAt(flash, 4090, 1)[0], 1, "mutating an image does not touch the chip");
	equal(other.eraseCount(3), 0, "wear counters are not in the image");
});
