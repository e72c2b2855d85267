/*
 * Maxim MAX30102 pulse-oximeter / heart-rate sensor register map, fields, codes and limits.
 * Source: "MAX30102 High-Sensitivity Pulse Oximeter and Heart-Rate Sensor for Wearable Health",
 * datasheet 19-7740 rev 1, Table 1 "Register Maps and Descriptions" and the sections it cites.
 * The only register map for the chip.
 */

/** Table 1 / I2C write address 0xAE: 7-bit 0x57. */
export const ADDRESS = 0x57;

export const Register = Object.freeze({
	INT_STATUS_1: 0x00,
	INT_STATUS_2: 0x01,
	INT_ENABLE_1: 0x02,
	INT_ENABLE_2: 0x03,
	FIFO_WR_PTR: 0x04,
	OVF_COUNTER: 0x05,
	FIFO_RD_PTR: 0x06,
	FIFO_DATA: 0x07,
	FIFO_CONFIG: 0x08,
	MODE_CONFIG: 0x09,
	SPO2_CONFIG: 0x0a,
	LED1_PA: 0x0c, // red
	LED2_PA: 0x0d, // IR
	MULTI_LED_1: 0x11,
	MULTI_LED_2: 0x12,
	TEMP_INT: 0x1f,
	TEMP_FRAC: 0x20,
	TEMP_CONFIG: 0x21,
	REV_ID: 0xfe,
	PART_ID: 0xff,
} as const);

/** Table 1: PART_ID of the MAX30102. */
export const PART_ID = 0x15;

/** Interrupt status 1 / enable 1 bits (same positions), cleared by reading the status. */
export const Interrupt1 = Object.freeze({ A_FULL: 1 << 7, PPG_RDY: 1 << 6, ALC_OVF: 1 << 5, PWR_RDY: 1 << 0 } as const);
/** Interrupt status 2 / enable 2. */
export const Interrupt2 = Object.freeze({ DIE_TEMP_RDY: 1 << 1 } as const);

/** "FIFO": 32 samples deep; pointers and the overflow counter are 5 bits; the counter saturates at 0x1F. */
export const FIFO_DEPTH = 32;
export const POINTER_MASK = 0x1f;
/** "FIFO Data": 3 bytes per LED channel, 18-bit data left-justified in bits 17:0 (bits 23:18 unused). */
export const BYTES_PER_CHANNEL = 3;
export const SAMPLE_MASK = 0x3ffff;

/** FIFO configuration (0x08) fields. */
export const FifoConfig = Object.freeze({ SMP_AVE_SHIFT: 5, ROLLOVER_EN: 1 << 4, A_FULL_MASK: 0x0f } as const);
/** Sample averaging → SMP_AVE code. */
export const SampleAverage = Object.freeze({ 1: 0, 2: 1, 4: 2, 8: 3, 16: 4, 32: 5 } as const);
export type Max30102Average = keyof typeof SampleAverage;

/** Mode configuration (0x09): SHDN, RESET, MODE[2:0] (Table 4). */
export const ModeConfig = Object.freeze({ SHDN: 1 << 7, RESET: 1 << 6, MODE_MASK: 0b111 } as const);
export const Mode = Object.freeze({ hr: 0b010, spo2: 0b011 } as const); // HR: red only; SpO2: red and IR
export type Max30102Mode = keyof typeof Mode;

/** SpO2 configuration (0x0A) fields. */
export const Spo2Config = Object.freeze({ ADC_RGE_SHIFT: 5, SR_SHIFT: 2, LED_PW_SHIFT: 0 } as const);
/** Table 5: ADC full scale, nA → SPO2_ADC_RGE. */
export const AdcRange = Object.freeze({ 2048: 0, 4096: 1, 8192: 2, 16384: 3 } as const);
export type Max30102AdcRange = keyof typeof AdcRange;
/** Table 6: samples per second → SPO2_SR. */
export const SampleRate = Object.freeze({ 50: 0, 100: 1, 200: 2, 400: 3, 800: 4, 1000: 5, 1600: 6, 3200: 7 } as const);
export type Max30102SampleRate = keyof typeof SampleRate;
/** Table 7: LED pulse width, µs → LED_PW code and ADC resolution in bits. */
export const PulseWidth = Object.freeze({
	69: Object.freeze({ code: 0, bits: 15 }),
	118: Object.freeze({ code: 1, bits: 16 }),
	215: Object.freeze({ code: 2, bits: 17 }),
	411: Object.freeze({ code: 3, bits: 18 }),
} as const);
export type Max30102PulseWidth = keyof typeof PulseWidth;

/** Tables 11 and 12: highest sample rate allowed for each pulse width, SpO2 and HR modes. */
export const MaxSampleRate = Object.freeze({
	spo2: Object.freeze({ 69: 1600, 118: 1000, 215: 800, 411: 400 }),
	hr: Object.freeze({ 69: 3200, 118: 1600, 215: 1000, 411: 1000 }),
} as const);

/** Table 8: LED pulse amplitude, 0.2 mA per LSB, 0x00…0xFF = 0…51 mA. */
export const LED_MA_PER_LSB = 0.2;
export const LED_MAX_MA = 51;

/** Die temperature (0x1F-0x21): TINT two's complement °C, TFRAC 0.0625 °C steps; TEMP_EN self-clears. */
export const TEMP_FRAC_C = 0.0625;
export const TEMP_EN = 1 << 0;
/** Electrical characteristics: temperature sensor conversion time, typical, ms. */
export const TEMP_CONVERSION_MS = 29;
