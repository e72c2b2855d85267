/*
 * "embedded:io/i2c" for the simulators (XS host and lin): the same ECMA-419 class drivers get
 * on the ESP32, whose transfers cross the link to the simulated bus and its chip models.
 */
import { i2cIoFor } from "sim/devices/i2c-io";
import { type I2CResult, type I2CTransport } from "sim/devices/i2c-bus";
import { request } from "sim/link";

const linkedBus: I2CTransport = Object.freeze({
	write: (address: number, data: Uint8Array, stop: boolean) => request("i2c.write", address, stop ? 1 : 0, data) as I2CResult,
	read: (address: number, into: Uint8Array, stop: boolean) => request("i2c.read", address, stop ? 1 : 0, into) as I2CResult,
});

export default i2cIoFor(linkedBus);
