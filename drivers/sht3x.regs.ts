/*
 * Sensirion SHT3x-DIS (SHT30/31/35) command map, status bits, timings and conversion constants.
 * Source: "Datasheet SHT3x-DIS", Sensirion, version 6/7. Section and table numbers refer to it.
 * Only the clock-stretching-disabled single-shot commands are listed: the driver never lets the
 * chip hold SCL (an ESP32 controller times out on long stretches).
 */

/** §3.1 / Table 7: ADDR pin low 0x44, high 0x45. */
export const Address = Object.freeze({ ADDR_LOW: 0x44, ADDR_HIGH: 0x45 } as const);

/** §4.4 Table 9: single shot, clock stretching disabled, by repeatability. */
export const SingleShot = Object.freeze({ high: 0x2400, medium: 0x240b, low: 0x2416 } as const);
export type Sht3xRepeatability = keyof typeof SingleShot;

/** §4.5 Table 10: periodic acquisition commands by measurements per second and repeatability. */
export const Periodic = Object.freeze({
	"0.5": Object.freeze({ high: 0x2032, medium: 0x2024, low: 0x202f }),
	"1": Object.freeze({ high: 0x2130, medium: 0x2126, low: 0x212d }),
	"2": Object.freeze({ high: 0x2236, medium: 0x2220, low: 0x222b }),
	"4": Object.freeze({ high: 0x2334, medium: 0x2322, low: 0x2329 }),
	"10": Object.freeze({ high: 0x2737, medium: 0x2721, low: 0x272a }),
} as const);
export type Sht3xRate = 0.5 | 1 | 2 | 4 | 10;

export const Command = Object.freeze({
	/** §4.6 Table 11 */
	FETCH_DATA: 0xe000,
	/** §4.7 Table 12: accelerated response time (4 Hz). */
	ART: 0x2b32,
	/** §4.8 Table 13: stop periodic acquisition. */
	BREAK: 0x3093,
	/** §4.9 Table 14 */
	SOFT_RESET: 0x30a2,
	/** §4.10 Table 15 */
	HEATER_ENABLE: 0x306d,
	HEATER_DISABLE: 0x3066,
	/** §4.11 Table 16 */
	READ_STATUS: 0xf32d,
	CLEAR_STATUS: 0x3041,
} as const);

/** §4.11 Table 17: status register bits. */
export const Status = Object.freeze({
	ALERT_PENDING: 1 << 15,
	HEATER_ON: 1 << 13,
	RH_ALERT: 1 << 11,
	T_ALERT: 1 << 10,
	RESET_DETECTED: 1 << 4,
	COMMAND_FAILED: 1 << 1,
	WRITE_CRC_FAILED: 1 << 0,
	/** Value after power-up or reset: alert pending and reset detected. */
	RESET_VALUE: 0x8010,
	/** Bits cleared by CLEAR_STATUS. */
	CLEARABLE: (1 << 15) | (1 << 11) | (1 << 10) | (1 << 4),
} as const);

/** §2.2 Table 4: measurement duration by repeatability, typical and maximum, ms. */
export const Duration = Object.freeze({
	high: Object.freeze({ typMs: 12.5, maxMs: 15.5 }),
	medium: Object.freeze({ typMs: 4.5, maxMs: 6.5 }),
	low: Object.freeze({ typMs: 2.5, maxMs: 4.5 }),
} as const);

/** §2.2 Table 4: soft reset time t_SR, maximum, ms. */
export const SOFT_RESET_MAX_MS = 1.5;

/** §4.13: RH = 100·S/(2^16-1), T = -45 + 175·S/(2^16-1). */
export const Conversion = Object.freeze({
	FULL_SCALE: 65535,
	T_OFFSET_C: -45,
	T_SPAN_C: 175,
	RH_SPAN_PCT: 100,
} as const);

/** §2.2: operating range, °C. */
export const T_RANGE_MIN_C = -40;
export const T_RANGE_MAX_C = 125;

/** A measurement answer: two words of 2 bytes + CRC; a status answer is one word. */
export const FRAME_BYTES = 6;
export const STATUS_BYTES = 3;
