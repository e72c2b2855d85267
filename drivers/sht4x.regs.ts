/*
 * Sensirion SHT4x (SHT40/41/43/45) command map, timings and conversion constants.
 * Source: "Datasheet SHT4x", Sensirion, version 6.x. Section numbers refer to it.
 * This is the only command map for the chip: the driver and the simulated chip import it.
 */

/** §1 "Device Overview" / product list: I2C address by part suffix (-AD1B: A, -BD1B: B, -CD1B: C). */
export const Address = Object.freeze({ A: 0x44, B: 0x45, C: 0x46 } as const);

/** §4.5 Table 7 "Overview of I2C commands". All commands are 8 bits, no arguments. */
export const Command = Object.freeze({
	MEASURE_HIGH: 0xfd,
	MEASURE_MEDIUM: 0xf6,
	MEASURE_LOW: 0xe0,
	SERIAL_NUMBER: 0x89,
	SOFT_RESET: 0x94,
	HEATER_200MW_1S: 0x39,
	HEATER_200MW_100MS: 0x32,
	HEATER_110MW_1S: 0x2f,
	HEATER_110MW_100MS: 0x24,
	HEATER_20MW_1S: 0x1e,
	HEATER_20MW_100MS: 0x15,
} as const);

/** §3.2 Table 4 "Timing specifications": measurement duration, typical and maximum, ms. */
export const Precision = Object.freeze({
	high: Object.freeze({ command: Command.MEASURE_HIGH, typMs: 6.9, maxMs: 8.3 }),
	medium: Object.freeze({ command: Command.MEASURE_MEDIUM, typMs: 3.7, maxMs: 4.5 }),
	low: Object.freeze({ command: Command.MEASURE_LOW, typMs: 1.3, maxMs: 1.6 }),
} as const);
export type Sht4xPrecision = keyof typeof Precision;

/**
 * §4.9 "Heater operation" and Table 4: heater pulses of 1 s or 0.1 s at three powers. Each
 * ends with a high-precision measurement, returned like a normal measurement.
 * onMs is the nominal pulse, maxMs the datasheet maximum including the measurement.
 */
export const Heater = Object.freeze({
	"200mW-1s": Object.freeze({ command: Command.HEATER_200MW_1S, onMs: 1000, maxMs: 1100 }),
	"200mW-100ms": Object.freeze({ command: Command.HEATER_200MW_100MS, onMs: 100, maxMs: 110 }),
	"110mW-1s": Object.freeze({ command: Command.HEATER_110MW_1S, onMs: 1000, maxMs: 1100 }),
	"110mW-100ms": Object.freeze({ command: Command.HEATER_110MW_100MS, onMs: 100, maxMs: 110 }),
	"20mW-1s": Object.freeze({ command: Command.HEATER_20MW_1S, onMs: 1000, maxMs: 1100 }),
	"20mW-100ms": Object.freeze({ command: Command.HEATER_20MW_100MS, onMs: 100, maxMs: 110 }),
} as const);
export type Sht4xHeaterPulse = keyof typeof Heater;

/** §4.9: "the heater is designed for a maximum duty cycle of 10 %". (ESPHome defaults to 5 %.) */
export const HEATER_MAX_DUTY = 0.1;

/** Table 4: soft reset time and power-up time, maximum, ms. */
export const SOFT_RESET_MAX_MS = 1;
export const POWER_UP_MAX_MS = 1;

/** §4.6 "Conversion of Signal Output": T = -45 + 175·S/(2^16-1), RH = -6 + 125·S/(2^16-1). */
export const Conversion = Object.freeze({
	FULL_SCALE: 65535,
	T_OFFSET_C: -45,
	T_SPAN_C: 175,
	RH_OFFSET_PCT: -6,
	RH_SPAN_PCT: 125,
	/** §4.6: RH outside 0…100 %RH is physically impossible and is cropped. */
	RH_MIN_PCT: 0,
	RH_MAX_PCT: 100,
} as const);

/** §2.2 "Temperature": specified operating range, °C. A reading outside it is implausible. */
export const T_RANGE_MIN_C = -40;
export const T_RANGE_MAX_C = 125;

/** Every response (measurement, serial number) is two words of 2 bytes + CRC. */
export const FRAME_BYTES = 6;
