// @host --sim-entry ./build/js/test/storage/flash-world.js
// embedded:storage/flash across the XS host's link, bound as sim/modules/io/flash binds it:
// this device machine runs the module, the simulation machine serves a NorFlash "log"
// partition (flash-world.ts). Checks that requests and bytes cross both ways, that a power cut
// in the world reaches the device as a fault, and that reads allocate nothing on the device.
import { test, ok, equal, deepEqual, throws } from "test/harness";
import { collecting, gc, machine, memory } from "xshost";
import { request } from "sim/link";
import { flashFor } from "sim/devices/flash-storage";
import { flashOverLink } from "sim/devices/nor-flash-link";

const flash = flashFor(flashOverLink(request));
const SIZE = 4 * 4096;

test("runs-in-the-device-machine-beside-a-world", () => {
	equal(machine(), "device");
	deepEqual([...flash], ["log"]);
});

test("opens-the-world's-partition", () => {
	deepEqual(flash.open({ path: "log" }).status(), { size: SIZE, blockLength: 4096, blocks: 4, writeAlign: 1, eraseValue: 0xff });
	throws(() => flash.open({ path: "nvs" }), Error, /^can't find partition$/);
});

test("bytes-cross-the-link-both-ways", () => {
	const log = flash.open({ path: "log" });
	log.eraseBlock(0);
	log.write(Uint8Array.of(0xde, 0xad, 0xbe, 0xef), 4094);
	const into = new Uint8Array(6);
	equal(log.read(into, 4093), 6);
	deepEqual(into, Uint8Array.of(0xff, 0xde, 0xad, 0xbe, 0xef, 0xff), "the world's bytes land in the caller's buffer");
	log.write(Uint8Array.of(0x0f), 4094);
	equal(new Uint8Array(log.read(1, 4094))[0], 0x0e, "the world's flash only clears bits");
	log.eraseBlock(0, 2);
	ok(new Uint8Array(log.read(8, 4092)).every((b) => b === 0xff));
});

test("a-power-cut-in-the-world-fails-the-write-and-tears-it", () => {
	const log = flash.open({ path: "log" });
	log.eraseBlock(1);
	request("test.flash.armProgramCut", 2, 99);
	throws(() => log.write(new Uint8Array(4).fill(0x3c), 4096), Error, /^write failed$/);
	equal(request("test.flash.cuts", 0, 0), 1);
	throws(() => log.read(4, 4096), Error, /^read failed$/, "no power in the world");
	request("test.flash.powerOn", 0, 0);
	const after = new Uint8Array(log.read(4, 4096));
	deepEqual(after.subarray(0, 2), Uint8Array.of(0x3c, 0x3c));
	equal(after[2] & 0x3c, 0x3c, "the torn byte kept the bits the write kept");
	equal(after[3], 0xff);
});

test("reading-into-a-caller-buffer-allocates-nothing-on-the-device", () => {
	const log = flash.open({ path: "log" });
	const into = new Uint8Array(256);
	function grown(body: () => unknown): number {
		gc();
		collecting(false); // every allocation stays counted
		const before = memory();
		for (let i = 0; i < 16; i++) body();
		const after = memory();
		collecting(true);
		return after.slotsUsed - before.slotsUsed + after.chunksUsed - before.chunksUsed;
	}
	grown(() => undefined); // warm up: the first measurement also pays for first-call setup
	const baseline = grown(() => undefined);
	ok(grown(() => log.read(256, 0)) - baseline >= 16 * 256, "the measurement sees read(byteLength) allocate");
	equal(grown(() => log.read(into, 0)) - baseline, 0, "read(Uint8Array) over the link");
	equal(grown(() => log.write(into, 0)) - baseline, 0, "write(Uint8Array) over the link");
});
