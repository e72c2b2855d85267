// app/storage/crc against published values: the "check" column of Greg Cook's Catalogue of
// parametrised CRC algorithms (CRC of ASCII "123456789"): CRC-32/ISO-HDLC 0xcbf43926,
// CRC-16/IBM-3740 (CCITT-FALSE) 0x29b1; other strings cross-checked with Python's zlib.crc32
// and binascii.crc_hqx(data, 0xffff) (the same two algorithms), never with this code.
import { test, equal, throws } from "test/harness";
import { gc, memory } from "xshost";
import { Crc16CcittFalse, Crc32 } from "app/storage/crc";

function ascii(text: string): Uint8Array {
	return new Uint8Array(ArrayBuffer.fromString(text));
}

const CHECK = ascii("123456789");
const FOX = ascii("The quick brown fox jumps over the lazy dog");

test("crc32-catalogue-check-value", () => {
	equal(new Crc32().of(CHECK), 0xcbf43926);
});

test("crc16-ccitt-false-catalogue-check-value", () => {
	equal(new Crc16CcittFalse().of(CHECK), 0x29b1);
});

test("crc32-matches-zlib", () => {
	const crc = new Crc32();
	equal(crc.of(new Uint8Array(0)), 0x00000000);
	equal(crc.of(ascii("a")), 0xe8b7be43);
	equal(crc.of(FOX), 0x414fa339);
});

test("crc16-ccitt-false-matches-crc-hqx", () => {
	const crc = new Crc16CcittFalse();
	equal(crc.of(new Uint8Array(0)), 0xffff, "no bytes: the initial value, no xorout");
	equal(crc.of(ascii("a")), 0x9d77);
	equal(crc.of(FOX), 0x8fdd);
});

test("chunked-updates-equal-one-shot", () => {
	for (const crc of [new Crc32(), new Crc16CcittFalse()]) {
		const whole = crc.of(FOX);
		for (const split of [0, 1, 7, 20, FOX.length]) {
			let c = crc.start();
			c = crc.update(c, FOX, 0, split);
			c = crc.update(c, FOX, split, FOX.length);
			equal(crc.finish(c), whole, `split at ${split}`);
		}
	}
});

test("ranges-select-bytes-inside-a-buffer", () => {
	const padded = new Uint8Array(CHECK.length + 6).fill(0x55);
	padded.set(CHECK, 3);
	equal(new Crc32().of(padded, 3, 3 + CHECK.length), 0xcbf43926);
	equal(new Crc16CcittFalse().of(padded, 3, 3 + CHECK.length), 0x29b1);
});

test("bad-ranges-throw-range-error", () => {
	const crc = new Crc32();
	throws(() => crc.of(CHECK, 2, 1), RangeError, /range/);
	throws(() => crc.of(CHECK, -1, 3), RangeError, /range/);
	throws(() => crc.of(CHECK, 0, CHECK.length + 1), RangeError, /range/);
	throws(() => crc.of([1, 2] as never), RangeError, /bytes/);
});

test("updates-allocate-nothing", () => {
	const crc32 = new Crc32(), crc16 = new Crc16CcittFalse();
	function grown(body: () => unknown): number {
		gc();
		const before = memory();
		for (let i = 0; i < 16; i++) body();
		const after = memory();
		return after.slotsUsed - before.slotsUsed + after.chunksUsed - before.chunksUsed;
	}
	grown(() => undefined);
	const baseline = grown(() => undefined);
	equal(grown(() => crc32.of(FOX, 1, 30)) - baseline, 0, "CRC-32");
	equal(grown(() => crc16.update(crc16.start(), FOX)) - baseline, 0, "CRC-16");
});
