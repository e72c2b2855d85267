/*
 * Register-level model of a Bosch BME280 (datasheet BST-BME280-DS002) on the simulated bus.
 * Writes are (register, value) pairs (§6.2.1); reads auto-increment. ctrl_hum takes effect at the
 * next ctrl_meas write (§5.4.3); config writes are ignored in normal mode (§5.4.6); forced mode
 * converts once and returns to sleep, normal mode converts every t_measure + t_standby (§3.3);
 * status.measuring is set while converting; 0xB6 to 0xE0 resets (§5.4.2); the IIR filter (§3.4.4)
 * and oversampling resolution (§3.4.1-3.4.3) shape the raw values.
 *
 * Raw ADC values come from inverting the compensation by bisection. The model's compensation is
 * written here independently of the driver and from other datasheet forms: the double-precision
 * temperature and humidity formulas (§8.1) and the 64-bit integer pressure formula (§4.2.3), so a
 * driver using the 32-bit integer forms is checked against the datasheet, not against itself.
 */
import type { SimClock } from "sim/devices/i2c-target";
import type { Ambient, NoiseOptions } from "sim/devices/sources";
import { RegisterChip } from "sim/devices/register-chip";
import type { FaultKind } from "sim/devices/faults";
import type { Bme280Calibration } from "drivers/bme280-compensation";
import {
	Address, Register, CHIP_ID, RESET_WORD, Status, Field, Mode, Standby, MeasurementTime, STARTUP_MS,
} from "drivers/bme280.regs";

/**
 * Default trimming: dig_T1…dig_P9 are the worked example of Bosch's BMP280 datasheet §3.12 (the
 * BME280 shares those formulas); dig_H1…dig_H6 are typical values read from BME280 parts.
 */
export const EXAMPLE_CALIBRATION: Readonly<Bme280Calibration> = Object.freeze({
	T1: 27504, T2: 26435, T3: -1000,
	P1: 36477, P2: -10685, P3: 3024, P4: 2855, P5: 140, P6: -7, P7: 15500, P8: -14600, P9: 6000,
	H1: 75, H2: 362, H3: 0, H4: 313, H5: 50, H6: 30,
});

export interface Bme280ModelOptions {
	readonly clock: SimClock;
	readonly ambient: Ambient;
	readonly address?: number;
	readonly calibration?: Readonly<Bme280Calibration>;
	/** 0x60 for a BME280; 0x58 makes it answer as a BMP280. */
	readonly chipId?: number;
	readonly temperatureNoise?: NoiseOptions;
	readonly pressureNoise?: NoiseOptions;
	readonly humidityNoise?: NoiseOptions;
	/** Faults active from the start. */
	readonly faults?: readonly FaultKind[];
}

const OSRS_FACTOR = [0, 1, 2, 4, 8, 16, 16, 16] as const; // code → factor (§5.4.5: 101 and above = x16)
const FILTER_COEFFICIENT = [1, 2, 4, 8, 16, 16, 16, 16] as const; // code → coefficient (§5.4.6, Table 28)
const STANDBY_MS: readonly number[] = (() => {
	const table: number[] = [];
	for (const [ms, code] of Object.entries(Standby)) table[code] = Number(ms);
	return table;
})();

export class Bme280Model extends RegisterChip {
	readonly #ambient: Ambient;
	readonly #cal: Readonly<Bme280Calibration>;
	readonly #chipId: number;
	readonly #noise: readonly (NoiseOptions | undefined)[];
	#osrsH = 0;
	#converting = false;
	#until = 0;
	#nextNormal = 0;
	#filtT = NaN;
	#filtP = NaN;
	#raw: [number, number, number] | undefined;
	#conversions = 0;

	constructor(options: Bme280ModelOptions) {
		super(options.address ?? Address.SDO_HIGH, options.clock, ["implausible", "busy"], options.faults);
		this.#ambient = options.ambient;
		this.#cal = options.calibration ?? EXAMPLE_CALIBRATION;
		this.#chipId = options.chipId ?? CHIP_ID;
		this.#noise = [options.temperatureNoise, options.pressureNoise, options.humidityNoise];
		this.#reset(false);
	}

	powerOnReset(): void {
		this.#reset(true);
	}

	/** Forces the ADC outputs (datasheet-example tests); undefined returns to the ambient. */
	forceRaw(raw: [adcT: number, adcP: number, adcH: number] | undefined): void {
		this.#raw = raw;
	}

	/** Completed conversions since power-on. */
	get conversions(): number {
		return this.#conversions;
	}

	register(address: number): number {
		return this.regs[address];
	}

	#reset(startup: boolean): void {
		const r = this.regs;
		r.fill(0);
		r[Register.CHIP_ID] = this.#chipId;
		encodeCalibration(this.#cal, r);
		r.set([0x80, 0, 0, 0x80, 0, 0, 0x80, 0], Register.PRESS_MSB); // §5.3 reset values
		this.#osrsH = 0;
		this.#converting = false;
		this.#filtT = this.#filtP = NaN;
		if (startup) this.startup(STARTUP_MS);
	}

	protected override writeBytes(data: Uint8Array): boolean {
		if (data.length === 1) {
			this.pointer = data[0];
			return true;
		}
		if (data.length % 2) return false;
		for (let i = 0; i < data.length; i += 2) this.writeRegister(data[i], data[i + 1]);
		return true;
	}

	protected override writeRegister(register: number, value: number): void {
		const mode = this.regs[Register.CTRL_MEAS] & Field.CTRL_MEAS_MODE.mask;
		switch (register) {
			case Register.RESET:
				if (value === RESET_WORD) this.#reset(true);
				return;
			case Register.CTRL_HUM:
				this.regs[register] = value & Field.CTRL_HUM_OSRS_H.mask;
				return;
			case Register.CONFIG:
				if (mode !== Mode.NORMAL) this.regs[register] = value & 0b1111_1101;
				return;
			case Register.CTRL_MEAS: {
				this.regs[register] = value;
				this.#osrsH = this.regs[Register.CTRL_HUM] & Field.CTRL_HUM_OSRS_H.mask;
				const next = value & Field.CTRL_MEAS_MODE.mask;
				const now = this.clock.now();
				if (next === Mode.SLEEP) this.#converting = false;
				else if (next === Mode.NORMAL) this.#nextNormal = now + this.#measureMs();
				else {
					this.#converting = true;
					this.#until = now + this.#measureMs();
				}
				return;
			}
		}
	}

	protected override readRegister(register: number): number {
		if (register !== Register.STATUS) return this.regs[register];
		const mode = this.regs[Register.CTRL_MEAS] & Field.CTRL_MEAS_MODE.mask;
		const normalBusy = mode === Mode.NORMAL && this.clock.now() >= this.#nextNormal - this.#measureMs();
		return this.#converting || normalBusy ? Status.MEASURING : 0;
	}

	protected override update(): void {
		const now = this.clock.now();
		if (this.#converting && now >= this.#until && !this.faulty("busy")) {
			this.#converting = false;
			this.regs[Register.CTRL_MEAS] &= ~Field.CTRL_MEAS_MODE.mask; // back to sleep (§3.3.3)
			this.#convert(1);
		}
		if ((this.regs[Register.CTRL_MEAS] & Field.CTRL_MEAS_MODE.mask) === Mode.NORMAL && now >= this.#nextNormal) {
			const tsb = STANDBY_MS[(this.regs[Register.CONFIG] >> Field.CONFIG_T_SB.shift) & Field.CONFIG_T_SB.mask];
			const period = this.#measureMs() + tsb;
			const missed = 1 + Math.floor((now - this.#nextNormal) / period);
			this.#convert(Math.min(missed, 64));
			this.#nextNormal += missed * period;
		}
	}

	/** Typical measurement time for the current oversampling, §9.1. */
	#measureMs(): number {
		const m = this.regs[Register.CTRL_MEAS];
		const t = OSRS_FACTOR[(m >> Field.CTRL_MEAS_OSRS_T.shift) & 7], p = OSRS_FACTOR[(m >> Field.CTRL_MEAS_OSRS_P.shift) & 7];
		const h = OSRS_FACTOR[this.#osrsH];
		const { base, perSample, extra } = MeasurementTime.typ;
		return base + perSample * t + (p ? perSample * p + extra : 0) + (h ? perSample * h + extra : 0);
	}

	/** One conversion (run `times` times through the IIR filter when the host fell behind). */
	#convert(times: number): void {
		this.#conversions++;
		const m = this.regs[Register.CTRL_MEAS];
		const osrsT = OSRS_FACTOR[(m >> Field.CTRL_MEAS_OSRS_T.shift) & 7], osrsP = OSRS_FACTOR[(m >> Field.CTRL_MEAS_OSRS_P.shift) & 7];
		const coefficient = FILTER_COEFFICIENT[(this.regs[Register.CONFIG] >> Field.CONFIG_FILTER.shift) & 7];
		const [nT, nP, nH] = this.#noise;
		const a = this.#ambient;
		let adcT: number, adcP: number, adcH: number;
		if (this.faulty("implausible")) [adcT, adcP, adcH] = [0xffff0, 0x00010, 0xffff];
		else if (this.#raw) [adcT, adcP, adcH] = this.#raw;
		else {
			adcT = invertTemperature(this.#cal, a.temperature + (nT ? nT.prng.gaussian(nT.sigma) : 0));
			const tFine = tFineOf(this.#cal, adcT);
			adcP = invertPressure(this.#cal, tFine, a.pressure + (nP ? nP.prng.gaussian(nP.sigma) : 0));
			adcH = invertHumidity(this.#cal, tFine, a.humidity + (nH ? nH.prng.gaussian(nH.sigma) : 0));
		}
		if (coefficient > 1 && !this.#raw) {
			// §3.4.4: data_filtered = (data_filtered_old · (c - 1) + data_ADC) / c
			for (let i = 0; i < times; i++) {
				this.#filtT = Number.isNaN(this.#filtT) ? adcT : (this.#filtT * (coefficient - 1) + adcT) / coefficient;
				this.#filtP = Number.isNaN(this.#filtP) ? adcP : (this.#filtP * (coefficient - 1) + adcP) / coefficient;
			}
			adcT = Math.round(this.#filtT);
			adcP = Math.round(this.#filtP);
		} else {
			// §3.4.1/3.4.2: without the filter, resolution is 16 + log2(osrs) bits
			adcT = truncate(adcT, osrsT);
			adcP = truncate(adcP, osrsP);
		}
		const r = this.regs;
		if (osrsP) r.set([(adcP >> 12) & 0xff, (adcP >> 4) & 0xff, (adcP & 0xf) << 4], Register.PRESS_MSB);
		else r.set([0x80, 0, 0], Register.PRESS_MSB);
		if (osrsT) r.set([(adcT >> 12) & 0xff, (adcT >> 4) & 0xff, (adcT & 0xf) << 4], Register.TEMP_MSB);
		else r.set([0x80, 0, 0], Register.TEMP_MSB);
		if (this.#osrsH) r.set([(adcH >> 8) & 0xff, adcH & 0xff], Register.HUM_MSB);
		else r.set([0x80, 0], Register.HUM_MSB);
	}
}

function truncate(adc: number, osrs: number): number {
	const bits = 16 + Math.log2(Math.max(1, osrs));
	return adc & ~((1 << (20 - bits)) - 1);
}

/** Calibration values → NVM bytes, §4.2.2 Table 16 (little-endian words, H4/H5 12-bit packed). */
export function encodeCalibration(c: Readonly<Bme280Calibration>, regs: Uint8Array): void {
	const words = [c.T1, c.T2, c.T3, c.P1, c.P2, c.P3, c.P4, c.P5, c.P6, c.P7, c.P8, c.P9];
	words.forEach((w, i) => {
		regs[Register.CALIB_00 + 2 * i] = w & 0xff;
		regs[Register.CALIB_00 + 2 * i + 1] = (w >> 8) & 0xff;
	});
	regs[0xa1] = c.H1 & 0xff;
	const e = Register.CALIB_26;
	regs[e] = c.H2 & 0xff;
	regs[e + 1] = (c.H2 >> 8) & 0xff;
	regs[e + 2] = c.H3 & 0xff;
	regs[e + 3] = (c.H4 >> 4) & 0xff;
	regs[e + 4] = ((c.H5 & 0xf) << 4) | (c.H4 & 0xf);
	regs[e + 5] = (c.H5 >> 4) & 0xff;
	regs[e + 6] = c.H6 & 0xff;
}

/* ---- The model's own compensation (§8.1 double T and H, §4.2.3 int64 P) and its inversion ---- */

function temperatureSum(c: Readonly<Bme280Calibration>, adcT: number): number {
	const var1 = (adcT / 16384 - c.T1 / 1024) * c.T2;
	const d = adcT / 131072 - c.T1 / 8192;
	return var1 + d * d * c.T3;
}

function tFineOf(c: Readonly<Bme280Calibration>, adcT: number): number {
	return Math.trunc(temperatureSum(c, adcT));
}

function pressure64(c: Readonly<Bme280Calibration>, tFine: number, adcP: number): number {
	let var1 = BigInt(tFine) - 128000n;
	let var2 = var1 * var1 * BigInt(c.P6);
	var2 += (var1 * BigInt(c.P5)) << 17n;
	var2 += BigInt(c.P4) << 35n;
	var1 = ((var1 * var1 * BigInt(c.P3)) >> 8n) + ((var1 * BigInt(c.P2)) << 12n);
	var1 = (((1n << 47n) + var1) * BigInt(c.P1)) >> 33n;
	if (var1 === 0n) return 0;
	let p = 1048576n - BigInt(adcP);
	p = (((p << 31n) - var2) * 3125n) / var1;
	var1 = (BigInt(c.P9) * (p >> 13n) * (p >> 13n)) >> 25n;
	var2 = (BigInt(c.P8) * p) >> 19n;
	p = ((p + var1 + var2) >> 8n) + (BigInt(c.P7) << 4n);
	return Number(p) / 256;
}

function humidityDouble(c: Readonly<Bme280Calibration>, tFine: number, adcH: number): number {
	let h = tFine - 76800;
	h = (adcH - (c.H4 * 64 + (c.H5 / 16384) * h)) *
		((c.H2 / 65536) * (1 + (c.H6 / 67108864) * h * (1 + (c.H3 / 67108864) * h)));
	h = h * (1 - (c.H1 * h) / 524288);
	return Math.min(100, Math.max(0, h));
}

/** Integer in [lo, hi] whose f is nearest `target`, f monotonic (increasing or decreasing). */
function bisect(f: (x: number) => number, target: number, lo: number, hi: number): number {
	const rising = f(hi) > f(lo);
	let a = lo, b = hi;
	while (b - a > 1) {
		const mid = (a + b) >> 1;
		if ((f(mid) < target) === rising) a = mid;
		else b = mid;
	}
	return Math.abs(f(a) - target) <= Math.abs(f(b) - target) ? a : b;
}

function invertTemperature(c: Readonly<Bme280Calibration>, celsius: number): number {
	return bisect((adc) => temperatureSum(c, adc) / 5120, celsius, 0, 0xfffff);
}

function invertPressure(c: Readonly<Bme280Calibration>, tFine: number, pa: number): number {
	return bisect((adc) => pressure64(c, tFine, adc), pa, 0, 0xfffff);
}

function invertHumidity(c: Readonly<Bme280Calibration>, tFine: number, rh: number): number {
	return bisect((adc) => humidityDouble(c, tFine, adc), rh, 0, 0xffff);
}
