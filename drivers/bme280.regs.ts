/*
 * Bosch BME280 register map, bit fields, codes, timings and limits.
 * Source: "BME280 Combined humidity and pressure sensor", datasheet BST-BME280-DS002 (rev 1.6+).
 * Section and table numbers refer to it. The only register map for the chip.
 */

/** §6.2: SDO to GND 0x76, SDO to VDDIO 0x77. */
export const Address = Object.freeze({ SDO_LOW: 0x76, SDO_HIGH: 0x77 } as const);

/** §5.3 Table 18 "Memory map". */
export const Register = Object.freeze({
	/** §4.2.2 Table 16: dig_T1 … dig_P9 (0x88…0x9F), dig_H1 (0xA1). */
	CALIB_00: 0x88,
	CHIP_ID: 0xd0,
	RESET: 0xe0,
	/** §4.2.2 Table 16: dig_H2 … dig_H6 (0xE1…0xE7). */
	CALIB_26: 0xe1,
	CTRL_HUM: 0xf2,
	STATUS: 0xf3,
	CTRL_MEAS: 0xf4,
	CONFIG: 0xf5,
	PRESS_MSB: 0xf7,
	TEMP_MSB: 0xfa,
	HUM_MSB: 0xfd,
} as const);

export const CALIB_00_BYTES = 26; // 0x88…0xA1
export const CALIB_26_BYTES = 7; // 0xE1…0xE7

/** §5.4.1: chip_id of a BME280 (a BMP280 reads 0x58). */
export const CHIP_ID = 0x60;
/** §5.4.2: writing 0xB6 to RESET performs a power-on reset. */
export const RESET_WORD = 0xb6;

/** §5.4.4 status bits. */
export const Status = Object.freeze({ MEASURING: 1 << 3, IM_UPDATE: 1 << 0 } as const);

/** §5.4.3, §5.4.5, §5.4.6: field positions (shift) and widths (mask after shift). */
export const Field = Object.freeze({
	CTRL_HUM_OSRS_H: Object.freeze({ shift: 0, mask: 0b111 }),
	CTRL_MEAS_OSRS_T: Object.freeze({ shift: 5, mask: 0b111 }),
	CTRL_MEAS_OSRS_P: Object.freeze({ shift: 2, mask: 0b111 }),
	CTRL_MEAS_MODE: Object.freeze({ shift: 0, mask: 0b11 }),
	CONFIG_T_SB: Object.freeze({ shift: 5, mask: 0b111 }),
	CONFIG_FILTER: Object.freeze({ shift: 2, mask: 0b111 }),
} as const);

/** §5.4.5 Table 25: sensor mode. */
export const Mode = Object.freeze({ SLEEP: 0b00, FORCED: 0b01, NORMAL: 0b11 } as const);

/** §5.4.3 Table 20, §5.4.5 Tables 22/23: oversampling factor → code (0 = measurement skipped). */
export const Oversampling = Object.freeze({ 0: 0b000, 1: 0b001, 2: 0b010, 4: 0b011, 8: 0b100, 16: 0b101 } as const);
export type Bme280Oversampling = keyof typeof Oversampling;

/** §5.4.6 Table 28: IIR filter coefficient → code (0 = filter off). */
export const Filter = Object.freeze({ 0: 0b000, 2: 0b001, 4: 0b010, 8: 0b011, 16: 0b100 } as const);
export type Bme280Filter = keyof typeof Filter;

/** §5.4.6 Table 27: t_standby in normal mode, ms → code. */
export const Standby = Object.freeze({
	0.5: 0b000, 62.5: 0b001, 125: 0b010, 250: 0b011, 500: 0b100, 1000: 0b101, 10: 0b110, 20: 0b111,
} as const);
export type Bme280Standby = keyof typeof Standby;

/** §5.4.7-5.4.9: output of a skipped (or not yet performed) measurement. */
export const SKIPPED_20BIT = 0x80000;
export const SKIPPED_16BIT = 0x8000;

/**
 * §9.1 (Appendix B) measurement time, ms: t = BASE + Σ PER_SAMPLE·osrs (+ EXTRA for P and H when
 * enabled). Typical: 1 + 2·T + (2·P + 0.5) + (2·H + 0.5); maximum: 1.25 + 2.3·T + (2.3·P + 0.575) + (2.3·H + 0.575).
 */
export const MeasurementTime = Object.freeze({
	typ: Object.freeze({ base: 1, perSample: 2, extra: 0.5 }),
	max: Object.freeze({ base: 1.25, perSample: 2.3, extra: 0.575 }),
} as const);

/** §1 Table 1: start-up time after power-on (and after a soft reset), ms. */
export const STARTUP_MS = 2;

/** §1 Table 1 / §3.1: operating range. Readings outside it are implausible. */
export const Range = Object.freeze({
	T_MIN_C: -40,
	T_MAX_C: 85,
	P_MIN_PA: 30_000,
	P_MAX_PA: 110_000,
} as const);
