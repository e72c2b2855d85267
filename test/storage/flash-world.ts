/*
 * The simulation machine's entry for test/storage/flash-link.test.ts: one "log" partition
 * served on the link, and test-only ops through which the device test arms a power cut and
 * restores power (the world's job in a real run).
 */
import { serve } from "sim/link";
import { NorFlash, NOR_SECTOR_SIZE } from "sim/devices/nor-flash";
import { serveFlash } from "sim/world/flash-service";

let cuts = 0;
const log = new NorFlash({ size: 4 * NOR_SECTOR_SIZE, onPowerCut: () => cuts++ });
serveFlash({ log });
serve("device.boot", () => 0); // the host tells the world each time the device boots
serve("test.flash.armProgramCut", (afterBytes, seed) => {
	log.armPowerCut({ during: "program", afterBytes, seed });
	return 0;
});
serve("test.flash.powerOn", () => {
	log.powerOn();
	return 0;
});
serve("test.flash.cuts", () => cuts);
