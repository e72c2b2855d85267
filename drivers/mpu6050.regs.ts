/*
 * InvenSense MPU-6050 register map, bit fields, scale tables and limits.
 * Sources: "MPU-6000 and MPU-6050 Register Map and Descriptions" RM-MPU-6000A-00 rev 4.2 ("RM §"),
 * "MPU-6000 and MPU-6050 Product Specification" PS-MPU-6000A-00 rev 3.4 ("PS §").
 * The only register map for the chip. Tables are keyed by physical value, so a caller cannot
 * pass a raw code, and each scale has exactly one entry per code (no "32,8" for 32.8).
 */

/** PS §9.2 / RM §4.32: AD0 low 0x68, high 0x69. */
export const Address = Object.freeze({ AD0_LOW: 0x68, AD0_HIGH: 0x69 } as const);

export const Register = Object.freeze({
	SMPLRT_DIV: 0x19, // RM §4.2
	CONFIG: 0x1a, // RM §4.3
	GYRO_CONFIG: 0x1b, // RM §4.4
	ACCEL_CONFIG: 0x1c, // RM §4.5
	FIFO_EN: 0x23, // RM §4.7
	INT_PIN_CFG: 0x37, // RM §4.14
	INT_ENABLE: 0x38, // RM §4.15
	INT_STATUS: 0x3a, // RM §4.16
	ACCEL_XOUT_H: 0x3b, // RM §4.17
	TEMP_OUT_H: 0x41, // RM §4.18
	GYRO_XOUT_H: 0x43, // RM §4.19
	USER_CTRL: 0x6a, // RM §4.26
	PWR_MGMT_1: 0x6b, // RM §4.28
	PWR_MGMT_2: 0x6c, // RM §4.29
	FIFO_COUNT_H: 0x72, // RM §4.30
	FIFO_R_W: 0x74, // RM §4.31
	WHO_AM_I: 0x75, // RM §4.32
} as const);

/** RM §4.32: WHO_AM_I bits 6:1 hold 0x34, so the register reads 0x68 whatever AD0 is. */
export const WHO_AM_I_VALUE = 0x68;
export const WHO_AM_I_MASK = 0b0111_1110;

/** RM §4.3: CONFIG.DLPF_CFG, bits 2:0. */
export const DLPF_MASK = 0b111;
/** RM §4.4/4.5: FS_SEL and AFS_SEL occupy bits 4:3. */
export const FS_SHIFT = 3;
export const FS_MASK = 0b11 << FS_SHIFT;

/** RM §4.7 FIFO_EN bits. */
export const FifoEnable = Object.freeze({
	TEMP: 1 << 7, XG: 1 << 6, YG: 1 << 5, ZG: 1 << 4, ACCEL: 1 << 3,
} as const);

/** RM §4.15 INT_ENABLE and §4.16 INT_STATUS bits (same positions). */
export const Interrupt = Object.freeze({ FIFO_OFLOW: 1 << 4, DATA_RDY: 1 << 0 } as const);

/** RM §4.26 USER_CTRL bits. */
export const UserCtrl = Object.freeze({ FIFO_EN: 1 << 6, FIFO_RESET: 1 << 2, SIG_COND_RESET: 1 << 0 } as const);

/** RM §4.28 PWR_MGMT_1 bits; reset value 0x40 (asleep). CLKSEL 1 = PLL with X gyro reference. */
export const PowerManagement = Object.freeze({
	DEVICE_RESET: 1 << 7, SLEEP: 1 << 6, CLKSEL_PLL_XGYRO: 0b001, RESET_VALUE: 0x40,
} as const);

/** RM §4.3 table: gyroscope bandwidth (Hz) → DLPF_CFG. 0 (256 Hz, 8 kHz gyro rate) is not offered. */
export const LowPass = Object.freeze({ 188: 1, 98: 2, 42: 3, 20: 4, 10: 5, 5: 6 } as const);
export type Mpu6050LowPass = keyof typeof LowPass;

/** RM §4.2: gyroscope output rate with the DLPF enabled (DLPF_CFG 1…6), Hz. Sample rate = this / (1 + SMPLRT_DIV). */
export const GYRO_OUTPUT_RATE_HZ = 1000;
/** RM §4.3: with DLPF_CFG 0 or 7 the gyroscope output rate is 8 kHz. */
export const GYRO_OUTPUT_RATE_NO_DLPF_HZ = 8000;

/** RM §4.5 AFS_SEL and PS §6.2 sensitivity: full scale (g) → code and LSB/g. */
export const AccelRange = Object.freeze({
	2: Object.freeze({ code: 0, lsbPerG: 16384 }),
	4: Object.freeze({ code: 1, lsbPerG: 8192 }),
	8: Object.freeze({ code: 2, lsbPerG: 4096 }),
	16: Object.freeze({ code: 3, lsbPerG: 2048 }),
} as const);
export type Mpu6050AccelRange = keyof typeof AccelRange;

/** RM §4.4 FS_SEL and PS §6.1 sensitivity: full scale (°/s) → code and LSB/(°/s). */
export const GyroRange = Object.freeze({
	250: Object.freeze({ code: 0, lsbPerDps: 131 }),
	500: Object.freeze({ code: 1, lsbPerDps: 65.5 }),
	1000: Object.freeze({ code: 2, lsbPerDps: 32.8 }),
	2000: Object.freeze({ code: 3, lsbPerDps: 16.4 }),
} as const);
export type Mpu6050GyroRange = keyof typeof GyroRange;

/** RM §4.18: temperature in °C = TEMP_OUT / 340 + 36.53. */
export const TEMP_LSB_PER_C = 340;
export const TEMP_OFFSET_C = 36.53;

/** PS §7.17: FIFO size, bytes. */
export const FIFO_BYTES = 1024;
/** One FIFO record with accelerometer and gyroscope enabled: 3 × 2 + 3 × 2 bytes, in register order (RM §4.7). */
export const FRAME_BYTES = 12;

/** PS §6.3 / Table "start-up time for register read/write": 100 ms after power-up or DEVICE_RESET. */
export const STARTUP_MS = 100;

/** Standard gravity, m/s² per g (CGPM 1901; ECMA-419 accelerometer samples are in m/s²). */
export const STANDARD_GRAVITY = 9.80665;
