// STYLE §2.6: "Assert that sample() allocates nothing." Runs on the XS host only (slot and chunk
// counters from "xshost"). The drivers talk to allocation-free fake IO here, because the simulated
// chips and the simulated I2C class allocate as they please: only the driver is measured.
import { test, equal } from "test/harness";
import { memory, gc } from "xshost";
import SHT4x from "drivers/sht4x";
import SHT3x from "drivers/sht3x";
import BME280 from "drivers/bme280";
import MPU6050 from "drivers/mpu6050";
import MAX30102 from "drivers/max30102";
import PIR from "drivers/pir";
import Relay from "drivers/relay";
import { crc8 } from "drivers/sensirion/crc";
import { encodeCalibration, EXAMPLE_CALIBRATION } from "sim/devices/bme280";
import { SimPinBank, digitalIoFor } from "sim/devices/digital-pin";
import { createChain } from "app/filters";
import type { I2CConstructor, I2COpenOptions } from "drivers/io";

const ROUNDS = 20;

/** Slots and chunk bytes allocated by `body` run ROUNDS times, net of the measuring itself. */
function allocated(body: () => void): number {
	body(); // warm up: first-call caches, lazy properties
	memory(); // and the measuring itself (its first call creates its property keys)
	gc();
	const a = memory(), b = memory(); // the cost of one memory() call
	for (let i = 0; i < ROUNDS; i++) body();
	const c = memory();
	const overhead = b.slotsUsed - a.slotsUsed + (b.chunksUsed - a.chunksUsed);
	return c.slotsUsed - b.slotsUsed + (c.chunksUsed - b.chunksUsed) - overhead;
}

/** Every read returns this Sensirion frame (two words with valid CRCs); writes are ignored. */
function frameIo(word0: number, word1: number): I2CConstructor {
	const frame = Uint8Array.of(word0 >> 8, word0 & 0xff, 0, word1 >> 8, word1 & 0xff, 0);
	frame[2] = crc8(frame, 0, 2);
	frame[5] = crc8(frame, 3, 2);
	return class {
		constructor(_options: I2COpenOptions) {}
		read(buffer: Uint8Array): void {
			for (let i = 0; i < buffer.length; i++) buffer[i] = frame[i % 6];
		}
		write(_buffer: Uint8Array): void {}
		close(): void {}
	};
}

/** A register file with auto-increment; `pinned` registers (FIFO data) do not advance the pointer. */
function registerIo(regs: Uint8Array, pinnedA: number, pinnedB = pinnedA): I2CConstructor {
	return class {
		#pointer = 0;
		constructor(_options: I2COpenOptions) {}
		read(buffer: Uint8Array): void {
			for (let i = 0; i < buffer.length; i++) {
				buffer[i] = regs[this.#pointer];
				if (this.#pointer !== pinnedA && this.#pointer !== pinnedB) this.#pointer = (this.#pointer + 1) & 0xff;
			}
		}
		write(buffer: Uint8Array): void {
			this.#pointer = buffer[0];
			for (let i = 1; i < buffer.length; i++) regs[(this.#pointer + i - 1) & 0xff] = buffer[i];
		}
		close(): void {}
	};
}

const sensor = (io: I2CConstructor) => ({ io, data: 21, clock: 22 });
let t = 0;
const now = () => (t += 100);

test("sht4x-sample-allocates-nothing", () => {
	const driver = new SHT4x({ sensor: sensor(frameIo(0x6666, 0x8000)), now });
	equal(allocated(() => driver.sample()), 0);
	equal(driver.sample().thermometer.temperature, 25);
	driver.close();
});

test("sht3x-sample-allocates-nothing", () => {
	const single = new SHT3x({ sensor: sensor(frameIo(0x6666, 0x8000)), now });
	equal(allocated(() => single.sample()), 0);
	const periodic = new SHT3x({ sensor: sensor(frameIo(0x6666, 0x8000)), now, mode: "periodic", rate: 10 });
	equal(allocated(() => periodic.sample()), 0);
	equal(periodic.sample().thermometer.temperature, 25);
	single.close();
	periodic.close();
});

test("bme280-sample-allocates-nothing", () => {
	const regs = new Uint8Array(256);
	regs[0xd0] = 0x60;
	encodeCalibration(EXAMPLE_CALIBRATION, regs);
	regs.set([0x65, 0x5a, 0xc0, 0x7e, 0xed, 0x00, 0x75, 0x30], 0xf7); // adc_P 415148, adc_T 519888, adc_H 30000
	const driver = new BME280({ sensor: sensor(registerIo(regs, -1)) });
	equal(allocated(() => driver.sample()), 0);
	equal(driver.sample().thermometer.temperature, 25.08);
	driver.close();
});

test("mpu6050-fifo-sample-allocates-nothing", () => {
	const regs = new Uint8Array(256);
	regs[0x75] = 0x68;
	regs[0x73] = 120; // FIFO_COUNT: 10 frames
	regs[0x74] = 0x10; // every FIFO byte: 0x1010 = 4112 LSB
	const driver = new MPU6050({ sensor: sensor(registerIo(regs, 0x74)) });
	equal(allocated(() => driver.sample()), 0);
	equal(driver.sample().fifo.count, 10);
	driver.close();
});

test("max30102-fifo-sample-allocates-nothing", () => {
	const regs = new Uint8Array(256);
	regs[0xff] = 0x15;
	regs[0x07] = 0x01;
	const driver = new MAX30102({ sensor: sensor(registerIo(regs, 0x07)) });
	regs[0x04] = 10; // FIFO_WR_PTR: 10 samples waiting
	equal(allocated(() => driver.sample()), 0);
	equal(driver.sample().ppg.count, 10);
	driver.close();
});

test("pir-and-relay-sample-allocate-nothing", () => {
	const bank = new SimPinBank();
	const Digital = digitalIoFor(bank);
	const pir = new PIR({ sensor: { io: Digital, pin: 4 }, now });
	const relay = new Relay({ relay: { io: Digital, pin: 5 }, now });
	equal(allocated(() => pir.sample()), 0);
	equal(allocated(() => relay.sample()), 0);
	pir.close();
	relay.close();
});

test("filter-chain-allocates-nothing", () => {
	const chain = createChain([
		{ offset: 0.5 }, { median: { window_size: 5, send_every: 1 } }, { sliding_window_moving_average: { window_size: 15, send_every: 1 } },
		{ exponential_moving_average: { alpha: 0.2, send_every: 1 } }, { clamp: { min_value: -40, max_value: 85 } }, { delta: 0.1 },
		{ throttle: 50 }, { heartbeat: 1000 }, { timeout: 5000 },
	]);
	let x = 0;
	equal(allocated(() => {
		chain.input((x += 0.37) % 30, t);
		chain.tick((t += 100));
	}), 0);
});
