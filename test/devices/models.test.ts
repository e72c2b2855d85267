import { test, ok, equal, deepEqual, throws, notEqual } from "test/harness";
import { ManualClock } from "sim/devices/manual-clock";
import { Prng } from "sim/devices/prng";
import { MutableAmbient, SinePpg, StillMotion } from "sim/devices/sources";
import { Sht4xModel } from "sim/devices/sht4x";
import { Sht3xModel } from "sim/devices/sht3x";
import { Bme280Model } from "sim/devices/bme280";
import { Mpu6050Model } from "sim/devices/mpu6050";
import { Max30102Model } from "sim/devices/max30102";
import { crc8 } from "drivers/sensirion/crc";

const bytes = (...values: number[]) => Uint8Array.from(values);

function shtFrame(seed: number): number[] {
	const clock = new ManualClock();
	const model = new Sht4xModel({ clock, ambient: new MutableAmbient(20, 50), temperatureNoise: { prng: new Prng(seed), sigma: 0.2 } });
	const out: number[] = [];
	const frame = new Uint8Array(6);
	for (let i = 0; i < 5; i++) {
		model.write(bytes(0xfd), true);
		clock.advance(10);
		model.read(frame, true);
		out.push((frame[0] << 8) | frame[1]);
	}
	return out;
}

test("noise-is-deterministic-per-seed", () => {
	deepEqual(shtFrame(9), shtFrame(9));
	notEqual(shtFrame(9).join(), shtFrame(10).join());
});

test("sht4x-model-nacks-while-measuring-and-sends-valid-crc", () => {
	const clock = new ManualClock();
	const model = new Sht4xModel({ clock, ambient: new MutableAmbient() });
	const frame = new Uint8Array(6);
	ok(model.write(bytes(0xfd), true));
	equal(model.read(frame, true), false, "read header NACKed during the conversion");
	equal(model.write(bytes(0xfd), true), false, "commands NACKed too");
	clock.advance(6.9);
	ok(model.read(frame, true));
	equal(crc8(frame, 0, 2), frame[2]);
	equal(crc8(frame, 3, 2), frame[5]);
	equal(model.read(frame, true), false, "data are read once");
	equal(model.write(bytes(0x12), true), false, "unknown command");
});

test("initial-faults-and-unsupported-kinds", () => {
	const clock = new ManualClock();
	const sht = new Sht3xModel({ clock, ambient: new MutableAmbient(), faults: ["nack"] });
	equal(sht.write(bytes(0xf3, 0x2d), true), false);
	throws(() => new Sht3xModel({ clock, ambient: new MutableAmbient(), faults: ["fifo-overflow"] }), RangeError, /unsupported/);
	throws(() => new Bme280Model({ clock, ambient: new MutableAmbient() }).fault("crc"), RangeError, /unsupported/);
});

test("bme280-model-write-pairs-read-auto-increment-config-ignored-in-normal", () => {
	const clock = new ManualClock();
	const model = new Bme280Model({ clock, ambient: new MutableAmbient() });
	ok(model.write(bytes(0xf2, 0x01, 0xf5, 0xa0, 0xf4, 0x27), true), "three (register, value) pairs");
	const block = new Uint8Array(4);
	model.write(bytes(0xf2), false);
	model.read(block, true);
	deepEqual(Array.from(block), [0x01, 0x08, 0x27, 0xa0], "ctrl_hum, status (measuring), ctrl_meas, config");
	model.write(bytes(0xf5, 0x00), true);
	equal(model.register(0xf5), 0xa0, "config write ignored in normal mode");
	ok(!model.write(bytes(0xf5, 0x00, 0xf4), true), "odd pair count NACKed");
	model.write(bytes(0xe0, 0xb6), true);
	equal(model.write(bytes(0xd0), false), false, "soft reset: 2 ms start-up");
	clock.advance(2);
	const id = new Uint8Array(1);
	model.write(bytes(0xd0), false);
	model.read(id, true);
	equal(id[0], 0x60);
});

test("mpu6050-model-fifo-register-does-not-advance-and-int-status-clears-on-read", () => {
	const clock = new ManualClock();
	const model = new Mpu6050Model({ clock, motion: new StillMotion(), poweredUp: true });
	model.write(bytes(0x6b, 0x01), true);
	model.write(bytes(0x19, 9), true); // 100 Hz
	model.write(bytes(0x1a, 3), true);
	model.write(bytes(0x38, 0x10), true);
	model.write(bytes(0x23, 0x08), true); // accelerometer only: 6 bytes a sample
	model.write(bytes(0x6a, 0x44), true);
	clock.advance(100);
	equal(model.fifoCount, 60);
	const six = new Uint8Array(6);
	model.write(bytes(0x74), false);
	model.read(six, true);
	deepEqual(Array.from(six), [0, 0, 0, 0, 0x40, 0x00], "ax ay az: 0, 0, +1 g = 16384");
	equal(model.fifoCount, 54);
	clock.advance(1_000);
	const status = new Uint8Array(1);
	model.write(bytes(0x3a), false);
	model.read(status, true);
	equal(status[0] & 0x10, 0x10, "FIFO_OFLOW");
	model.write(bytes(0x3a), false);
	model.read(status, true);
	equal(status[0], 0, "cleared by the previous read");
});

test("max30102-model-pointers-wrap-and-overflow-counter-saturates", () => {
	const clock = new ManualClock();
	const model = new Max30102Model({ clock, ppg: new SinePpg() });
	model.write(bytes(0x02, 0x80), true); // A_FULL_EN
	model.write(bytes(0x0a, 0x27), true); // 4096 nA, 100 sps, 411 µs
	model.write(bytes(0x0c, 35, 35), true); // LED1_PA, LED2_PA: auto-increment on write
	model.write(bytes(0x09, 0x03), true); // SpO2
	clock.advance(400);
	const ptrs = new Uint8Array(3);
	model.write(bytes(0x04), false);
	model.read(ptrs, true);
	deepEqual(Array.from(ptrs), [0, 8, 0], "full at 32: write pointer wrapped to 0, 8 samples lost");
	const sample = new Uint8Array(6);
	model.write(bytes(0x07), false);
	model.read(sample, true);
	model.write(bytes(0x04), false);
	model.read(ptrs, true);
	deepEqual(Array.from(ptrs), [0, 0, 1], "one sample popped: read pointer 1, counter cleared");
	clock.advance(10_000);
	model.write(bytes(0x05), false);
	model.read(ptrs.subarray(0, 1), true);
	equal(ptrs[0], 0x1f, "OVF_COUNTER saturates");
	ok(((sample[0] << 16) | (sample[1] << 8) | sample[2]) > 90_000, "red ≈ DC 100000 counts");
});
