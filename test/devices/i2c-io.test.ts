import { test, ok, equal, deepEqual, throws } from "test/harness";
import { SimI2CBus } from "sim/devices/i2c-bus";
import { i2cIoFor } from "sim/devices/i2c-io";
import type { I2CTarget } from "sim/devices/i2c-target";

/** A target that records transfers and answers reads with an incrementing counter. */
class Echo implements I2CTarget {
	readonly address: number;
	readonly writes: { data: number[]; stop: boolean }[] = [];
	reset = 0;
	next = 0;
	constructor(address: number) {
		this.address = address;
	}
	write(data: Uint8Array, stop: boolean): boolean {
		this.writes.push({ data: Array.from(data), stop });
		return true;
	}
	read(into: Uint8Array): boolean {
		for (let i = 0; i < into.length; i++) into[i] = this.next++;
		return true;
	}
	powerOnReset(): void {
		this.reset++;
		this.next = 0;
	}
}

function setup() {
	const bus = new SimI2CBus();
	const chip = new Echo(0x40);
	bus.attach(chip);
	const I2C = i2cIoFor(bus);
	return { bus, chip, I2C };
}

test("validates-constructor-options", () => {
	const { I2C } = setup();
	throws(() => new I2C({ address: 0x80, hz: 100_000, data: 1, clock: 2 }), RangeError, /address/);
	throws(() => new I2C({ address: 1.5, hz: 100_000, data: 1, clock: 2 }), RangeError, /address/);
	throws(() => new I2C({ address: 0x40, hz: 0, data: 1, clock: 2 }), RangeError, /hz/);
	throws(() => new I2C({ address: 0x40, hz: 2_000_000, data: 1, clock: 2 }), RangeError, /hz/);
	throws(() => new I2C({ address: 0x40, hz: 100_000, data: 1, clock: 1 }), RangeError, /pin/);
	const io = new I2C({ address: 0x40, hz: 100_000, data: 1, clock: 2 });
	throws(() => new I2C({ address: 0x40, hz: 100_000, data: 1, clock: 2 }), RangeError, /duplicate address/);
	io.close();
	new I2C({ address: 0x40, hz: 100_000, data: 1, clock: 2 }).close();
});

test("read-count-returns-arraybuffer-read-buffer-fills-it", () => {
	const { I2C } = setup();
	const io = new I2C({ address: 0x40, hz: 400_000, data: 21, clock: 22 });
	const buffer = io.read(3);
	ok(buffer instanceof ArrayBuffer);
	deepEqual(Array.from(new Uint8Array(buffer)), [0, 1, 2]);
	const into = new Uint8Array(4);
	equal(io.read(into.subarray(1, 3)), undefined);
	deepEqual(Array.from(into), [0, 3, 4, 0], "a view is filled in place");
	const raw = new ArrayBuffer(2);
	io.read(raw);
	deepEqual(Array.from(new Uint8Array(raw)), [5, 6]);
	throws(() => io.read(0), RangeError);
	io.close();
});

test("write-passes-bytes-and-stop", () => {
	const { I2C, chip } = setup();
	const io = new I2C({ address: 0x40, hz: 400_000, data: 21, clock: 22 });
	io.write(Uint8Array.of(1, 2), false);
	io.write(new DataView(Uint8Array.of(9).buffer));
	deepEqual(chip.writes, [{ data: [1, 2], stop: false }, { data: [9], stop: true }]);
	io.close();
});

test("nack-timeout-and-use-after-close", () => {
	const { I2C, bus } = setup();
	const absent = new I2C({ address: 0x41, hz: 400_000, data: 21, clock: 22 });
	throws(() => absent.read(1), Error, /^nack$/);
	throws(() => absent.write(Uint8Array.of(0)), Error, /^nack$/);
	const io = new I2C({ address: 0x40, hz: 400_000, data: 21, clock: 22 });
	bus.stuck = true;
	throws(() => io.read(1), Error, /^timeout$/);
	throws(() => io.write(Uint8Array.of(0)), Error, /^timeout$/);
	bus.stuck = false;
	io.read(1);
	io.close();
	io.close();
	throws(() => io.read(1), RangeError, /closed/);
	throws(() => io.write(Uint8Array.of(0)), RangeError, /closed/);
	absent.close();
});

test("unplug-nacks-and-replug-resets-the-chip", () => {
	const { I2C, bus, chip } = setup();
	const io = new I2C({ address: 0x40, hz: 400_000, data: 21, clock: 22 });
	io.read(5);
	equal(bus.detach(0x40), chip);
	throws(() => io.read(1), Error, /nack/);
	bus.replug(chip);
	equal(chip.reset, 1);
	deepEqual(Array.from(new Uint8Array(io.read(2))), [0, 1], "back in its reset state");
	throws(() => bus.replug(chip), RangeError, /duplicate/);
	io.close();
});

test("stats-count-transfers-and-failures", () => {
	const bus = new SimI2CBus();
	bus.attach(new Echo(0x40));
	const stats = { transfers: 0, failures: 0 };
	const I2C = i2cIoFor(bus, stats);
	const io = new I2C({ address: 0x40, hz: 400_000, data: 21, clock: 22 });
	io.read(1);
	io.write(Uint8Array.of(1));
	bus.stuck = true;
	throws(() => io.read(1), Error);
	deepEqual(stats, { transfers: 3, failures: 1 });
	io.close();
});
