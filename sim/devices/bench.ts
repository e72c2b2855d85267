/*
 * A test bench for drivers against chip models: a manual clock, a simulated bus, an ECMA-419
 * I2C class bound to it, and an onError recorder. Deterministic: time moves only via clock.
 * Used by test/drivers/*; lives here because the host maps sim/devices/* (not test subfolders).
 */
import { ManualClock } from "sim/devices/manual-clock";
import { SimI2CBus } from "sim/devices/i2c-bus";
import { i2cIoFor, type SimI2CStats } from "sim/devices/i2c-io";
import type { I2CSensorOptions } from "drivers/io";
import type { SensorErrorCode } from "drivers/errors";

export interface Rig {
	readonly clock: ManualClock;
	readonly bus: SimI2CBus;
	readonly stats: SimI2CStats;
	/** Codes passed to onError, oldest first; tests splice it empty between steps. */
	readonly errors: SensorErrorCode[];
	readonly onError: (code: SensorErrorCode) => void;
	readonly now: () => number;
	/** `options.sensor` for a driver (pins are arbitrary; the sim checks only their shape). */
	readonly sensor: I2CSensorOptions;
}

export function rig(): Rig {
	const clock = new ManualClock(1_000);
	const bus = new SimI2CBus();
	const stats: SimI2CStats = { transfers: 0, failures: 0 };
	const errors: SensorErrorCode[] = [];
	return {
		clock,
		bus,
		stats,
		errors,
		onError: (code) => {
			errors.push(code);
		},
		now: () => clock.now(),
		sensor: { io: i2cIoFor(bus, stats), data: 21, clock: 22 },
	};
}

/** Returns the recorded error codes and clears the record. */
export function drain(r: Rig): SensorErrorCode[] {
	return r.errors.splice(0, r.errors.length);
}
