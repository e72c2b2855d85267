/*
 * "embedded:provider/builtin" for the simulators: the `device` a board provider gives on the
 * ESP32 (ECMA-419 host provider), with the pin map and I2C bus from the same manifest config
 * that configures the firmware build, so the simulated and flashed devices agree.
 */
import I2C from "embedded:io/i2c";
import SMBus from "embedded:io/smbus";
import Digital from "embedded:io/digital";
import config from "mc/config";

interface BusConfig { data: number; clock: number; hz: number }
const bus = config.i2c as BusConfig;
const pins = config.pins as Record<string, number>;

const device = {
	io: { I2C, SMBus, Digital },
	I2C: { default: { io: I2C, data: bus.data, clock: bus.clock, hz: bus.hz } },
	SMBus: { default: { io: SMBus, data: bus.data, clock: bus.clock, hz: bus.hz } },
	pin: { ...pins },
};

export default Object.freeze(device, true);
