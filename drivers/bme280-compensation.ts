/*
 * BME280 compensation in the datasheet's fixed-point integer forms, as pure functions over a
 * calibration record (the role bmp280.c plays for the Moddable driver):
 *  - temperature: BME280_compensate_T_int32, datasheet §4.2.3 (0.01 °C, sets t_fine);
 *  - pressure:    BME280_compensate_P_int32, datasheet §8.2 (Appendix A, 32-bit; 1 Pa);
 *  - humidity:    bme280_compensate_H_int32, datasheet §4.2.3 (Q22.10 %RH).
 * Math.imul reproduces C's 32-bit multiply; >> and >>> its signed and unsigned shifts.
 * The 32-bit pressure form stays within about ±6 Pa of the 64-bit form over 300…1100 hPa.
 * No call allocates.
 */
import { CALIB_00_BYTES, CALIB_26_BYTES } from "drivers/bme280.regs";

/** Trimming parameters, datasheet §4.2.2 Table 16. */
export interface Bme280Calibration {
	T1: number; T2: number; T3: number;
	P1: number; P2: number; P3: number; P4: number; P5: number; P6: number; P7: number; P8: number; P9: number;
	H1: number; H2: number; H3: number; H4: number; H5: number; H6: number;
}

export function emptyCalibration(): Bme280Calibration {
	return { T1: 0, T2: 0, T3: 0, P1: 0, P2: 0, P3: 0, P4: 0, P5: 0, P6: 0, P7: 0, P8: 0, P9: 0, H1: 0, H2: 0, H3: 0, H4: 0, H5: 0, H6: 0 };
}

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const s16 = (b: Uint8Array, i: number) => (u16(b, i) << 16) >> 16;
const s8 = (v: number) => (v << 24) >> 24;

/**
 * Decodes the two calibration blocks (0x88…0xA1 and 0xE1…0xE7) into `cal` (§4.2.2 Table 16).
 * dig_H4 and dig_H5 are signed 12-bit values sharing register 0xE5.
 */
export function decodeCalibration(a: Uint8Array, b: Uint8Array, cal: Bme280Calibration): void {
	if (a.length < CALIB_00_BYTES || b.length < CALIB_26_BYTES) throw new RangeError("invalid calibration");
	cal.T1 = u16(a, 0); cal.T2 = s16(a, 2); cal.T3 = s16(a, 4);
	cal.P1 = u16(a, 6); cal.P2 = s16(a, 8); cal.P3 = s16(a, 10); cal.P4 = s16(a, 12); cal.P5 = s16(a, 14);
	cal.P6 = s16(a, 16); cal.P7 = s16(a, 18); cal.P8 = s16(a, 20); cal.P9 = s16(a, 22);
	cal.H1 = a[25];
	cal.H2 = s16(b, 0); cal.H3 = b[2];
	cal.H4 = (s8(b[3]) * 16) | (b[4] & 0x0f);
	cal.H5 = (s8(b[5]) * 16) | (b[4] >> 4);
	cal.H6 = s8(b[6]);
}

/** Holds t_fine between the temperature and the pressure/humidity steps, as the datasheet does. */
export class Bme280Compensator {
	readonly #cal: Bme280Calibration;
	#tFine = 0;

	constructor(cal: Bme280Calibration) {
		this.#cal = cal;
	}

	get tFine(): number {
		return this.#tFine;
	}

	/** Temperature in 0.01 °C ("5123" = 51.23 °C) from a 20-bit adc_T; call first: it sets t_fine. */
	temperature(adcT: number): number {
		const c = this.#cal;
		const var1 = Math.imul((adcT >> 3) - (c.T1 << 1), c.T2) >> 11;
		const d = (adcT >> 4) - c.T1;
		const var2 = Math.imul(Math.imul(d, d) >> 12, c.T3) >> 14;
		this.#tFine = var1 + var2;
		return (this.#tFine * 5 + 128) >> 8;
	}

	/** Pressure in Pa (integer) from a 20-bit adc_P; 0 when the calibration would divide by zero. */
	pressure(adcP: number): number {
		const c = this.#cal;
		let var1 = (this.#tFine >> 1) - 64000;
		let var2 = Math.imul(Math.imul(var1 >> 2, var1 >> 2) >> 11, c.P6);
		var2 = var2 + (Math.imul(var1, c.P5) << 1);
		var2 = (var2 >> 2) + (c.P4 << 16);
		var1 = ((Math.imul(c.P3, Math.imul(var1 >> 2, var1 >> 2) >> 13) >> 3) + (Math.imul(c.P2, var1) >> 1)) >> 18;
		var1 = Math.imul(32768 + var1, c.P1) >> 15;
		if (var1 === 0) return 0;
		const divisor = var1 >>> 0;
		let p = Math.imul(((1048576 - adcP) >>> 0) - (var2 >> 12), 3125) >>> 0;
		if (p < 0x80000000) p = Math.floor(((p << 1) >>> 0) / divisor) >>> 0;
		else p = (Math.floor(p / divisor) * 2) >>> 0;
		var1 = Math.imul(c.P9, Math.imul(p >>> 3, p >>> 3) >>> 13) >> 12;
		var2 = Math.imul(p >>> 2, c.P8) >> 13;
		return ((p | 0) + ((var1 + var2 + c.P7) >> 4)) >>> 0;
	}

	/** Relative humidity in Q22.10 %RH ("47445" = 47445/1024 = 46.333 %RH) from a 16-bit adc_H. */
	humidity(adcH: number): number {
		const c = this.#cal;
		let v = this.#tFine - 76800;
		const a = ((adcH << 14) - (c.H4 << 20) - Math.imul(c.H5, v) + 16384) >> 15;
		const b = ((Math.imul((Math.imul(v, c.H6) >> 10), (Math.imul(v, c.H3) >> 11) + 32768) >> 10) + 2097152);
		v = Math.imul(a, (Math.imul(b, c.H2) + 8192) >> 14);
		v = v - (Math.imul(Math.imul(v >> 15, v >> 15) >> 7, c.H1) >> 4);
		v = v < 0 ? 0 : v > 419430400 ? 419430400 : v;
		return v >>> 12;
	}
}
