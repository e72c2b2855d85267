// @host --sim-entry sim/world/main --arg profile=wearable
// The simulators' ECMA-419 IO, across the link to the simulation machine's board: I2C and
// SMBus against the MPU-6050 model (register map: drivers/mpu6050.regs.ts), and digital pins.
import { test, equal, throws, ok } from "test/harness";
import device from "embedded:provider/builtin";
import SMBus from "embedded:io/smbus";
import I2C from "embedded:io/i2c";
import Digital from "embedded:io/digital";
import Timer from "timer";
import { Register, WHO_AM_I_VALUE } from "drivers/mpu6050.regs";

const bus = device.I2C.default;
const MPU6050 = 0x68;

test("the-simulated-chip-nacks-during-its-start-up-time-then-answers", async () => {
	const smbus = new SMBus({ ...bus, address: MPU6050 });
	try {
		throws(() => smbus.readUint8(Register.WHO_AM_I), Error, /nack/, "powered up at boot, still starting");
		await new Promise<void>((resolve) => Timer.set(() => resolve(), 100));
		equal(smbus.readUint8(Register.WHO_AM_I), WHO_AM_I_VALUE);
	} finally {
		smbus.close();
	}
});

test("smbus-reads-and-writes-registers-of-a-simulated-chip", () => {
	const smbus = new SMBus({ ...bus, address: MPU6050 });
	try {
		equal(smbus.readUint8(Register.WHO_AM_I), WHO_AM_I_VALUE);
		smbus.writeUint8(Register.SMPLRT_DIV, 9);
		equal(smbus.readUint8(Register.SMPLRT_DIV), 9);
		const block = new Uint8Array(2);
		smbus.readBuffer(Register.SMPLRT_DIV, block);
		equal(block[0], 9);
	} finally {
		smbus.close();
	}
});

test("i2c-to-an-absent-address-throws-nack-and-keeps-working", () => {
	const absent = new I2C({ ...bus, address: 0x50 });
	throws(() => absent.write(new Uint8Array([0])), Error, /nack/);
	throws(() => absent.read(1), Error, /nack/);
	absent.close();
	const present = new I2C({ ...bus, address: MPU6050 });
	try {
		present.write(new Uint8Array([Register.WHO_AM_I]), false);
		equal(new Uint8Array(present.read(1))[0], WHO_AM_I_VALUE);
	} finally {
		present.close();
	}
});

test("i2c-options-are-validated-before-anything-is-opened", () => {
	throws(() => new I2C({ ...bus, address: 0x80 }), RangeError, /address/);
	throws(() => new I2C({ ...bus, address: MPU6050, hz: 0 }), RangeError, /hz/);
	const first = new I2C({ ...bus, address: MPU6050 });
	throws(() => new I2C({ ...bus, address: MPU6050 }), RangeError, /duplicate address/);
	first.close();
});

test("digital-output-drives-a-board-pin-and-reads-back", () => {
	const relay = new Digital({ pin: Number(device.pin.heat), mode: Digital.Output });
	relay.write(1);
	equal(relay.read(), 1);
	relay.write(0);
	equal(relay.read(), 0);
	throws(() => new Digital({ pin: Number(device.pin.heat), mode: Digital.Output }), RangeError, /in use/);
	relay.close();
	relay.close();
	throws(() => relay.write(1), RangeError, /closed/);
});

test("digital-rejects-pins-the-board-does-not-have-and-bad-modes", () => {
	throws(() => new Digital({ pin: 99, mode: Digital.Input }), RangeError, /pin/);
	throws(() => new Digital({ pin: Number(device.pin.pir), mode: 42 as never }), RangeError, /mode/);
	const input = new Digital({ pin: Number(device.pin.pir), mode: Digital.Input });
	throws(() => input.write(1), RangeError, /not an output/);
	ok(input.read() === 0 || input.read() === 1);
	input.close();
});
