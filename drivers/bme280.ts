/*
 * Bosch BME280 pressure / temperature / humidity driver, ECMA-419 Sensor Class Pattern.
 * Datasheet BST-BME280-DS002. Registers: drivers/bme280.regs.ts; compensation (datasheet integer
 * forms): drivers/bme280-compensation.ts.
 *
 * Modes:
 *  - "forced" (default, datasheet §3.5.1 "weather monitoring"): sample() reads the conversion the
 *    previous call started and starts the next: one sample interval of latency, no blocking. Sampling
 *    sooner than `measurementTimeMs` after the previous call reports "busy".
 *  - "normal": the chip converts continuously every t_measure + t_standby; sample() reads the latest.
 * Every sample() burst-reads 0xF2…0xFE: the control registers come along with the data, so a chip
 * that lost its configuration (power cycle, replug) is noticed ("reset") and re-initialised.
 */
import type { I2CSensorOptions } from "drivers/io";
import { SensorError, identityError, optionError, closedError, type OnError } from "drivers/errors";
import { RegisterBus } from "drivers/register-bus";
import { Bme280Compensator, decodeCalibration, emptyCalibration } from "drivers/bme280-compensation";
import {
	Address, Register, CALIB_00_BYTES, CALIB_26_BYTES, CHIP_ID, Status, Field, Mode, Oversampling, Filter, Standby,
	SKIPPED_20BIT, SKIPPED_16BIT, MeasurementTime, Range,
	type Bme280Oversampling, type Bme280Filter, type Bme280Standby,
} from "drivers/bme280.regs";

const CHIP = "bme280";
const DEFAULT_HZ = 400_000;
/** Bytes from CTRL_HUM (0xF2) to HUM_LSB (0xFE). */
const BLOCK_BYTES = 13;
const AT_CTRL_HUM = 0, AT_STATUS = 1, AT_CTRL_MEAS = 2, AT_CONFIG = 3, AT_PRESS = 5, AT_TEMP = 8, AT_HUM = 11;
/** CONFIG bits the driver owns (spi3w_en stays 0). */
const CONFIG_MASK = 0b1111_1100;

export type Bme280Mode = "forced" | "normal";

export interface Bme280Configuration {
	readonly mode?: Bme280Mode;
	/** Oversampling per quantity, datasheet §3.4; 0 skips that measurement (temperature cannot be skipped). */
	readonly oversampling?: {
		readonly temperature?: Bme280Oversampling;
		readonly pressure?: Bme280Oversampling;
		readonly humidity?: Bme280Oversampling;
	};
	/** IIR filter coefficient, datasheet §3.4.4; 0 = off. */
	readonly filter?: Bme280Filter;
	/** Normal mode standby between conversions, ms (datasheet Table 27). */
	readonly standby?: Bme280Standby;
}

export interface Bme280Options extends Bme280Configuration {
	readonly sensor: I2CSensorOptions;
	readonly onError?: OnError;
}

export interface Bme280Sample {
	/** °C */
	readonly thermometer: { temperature: number | undefined };
	/** %RH */
	readonly hygrometer: { humidity: number | undefined };
	/** Pa */
	readonly barometer: { pressure: number | undefined };
}

export default class BME280 {
	#bus: RegisterBus | undefined;
	readonly #calA = new Uint8Array(CALIB_00_BYTES);
	readonly #calB = new Uint8Array(CALIB_26_BYTES);
	readonly #calibration = emptyCalibration();
	readonly #comp = new Bme280Compensator(this.#calibration);
	readonly #block = new Uint8Array(BLOCK_BYTES);
	readonly #result: Bme280Sample = {
		thermometer: { temperature: undefined }, hygrometer: { humidity: undefined }, barometer: { pressure: undefined },
	};
	readonly #onError: OnError | undefined;
	#mode: Bme280Mode = "forced";
	#osrsT: Bme280Oversampling = 1;
	#osrsP: Bme280Oversampling = 1;
	#osrsH: Bme280Oversampling = 1;
	#filter: Bme280Filter = 0;
	#standby: Bme280Standby = 1000;
	#needsInit = false;

	constructor(options: Bme280Options) {
		const sensor = options?.sensor;
		if (typeof sensor?.io !== "function") throw optionError(CHIP, "sensor");
		this.#check(options);
		this.#onError = options.onError;
		const bus = new RegisterBus(new sensor.io({ address: Address.SDO_HIGH, hz: DEFAULT_HZ, ...sensor }));
		try {
			this.#identify(bus);
			this.#write(bus);
		} catch (error) {
			bus.close();
			throw identityError(CHIP, error);
		}
		this.#bus = bus;
	}

	/** Datasheet §9.1 maximum measurement time for the current oversampling, ms. */
	get measurementTimeMs(): number {
		const { base, perSample, extra } = MeasurementTime.max;
		return base + perSample * this.#osrsT +
			(this.#osrsP ? perSample * this.#osrsP + extra : 0) + (this.#osrsH ? perSample * this.#osrsH + extra : 0);
	}

	/** Applies new settings (written at once; on a bus fault, at the next sample()). */
	configure(options: Bme280Configuration): void {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		this.#check(options);
		try {
			this.#write(bus);
		} catch {
			this.#needsInit = true;
			this.#onError?.(SensorError.bus);
		}
	}

	sample(): Bme280Sample {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		const r = this.#result;
		r.thermometer.temperature = r.hygrometer.humidity = r.barometer.pressure = undefined;
		const block = this.#block;
		try {
			if (this.#needsInit) {
				if (!this.#identify(bus)) return r;
				this.#write(bus);
				this.#needsInit = false;
				return r; // the conversion just started is read by the next call
			}
			bus.read(Register.CTRL_HUM, block);
		} catch {
			this.#needsInit = true;
			this.#onError?.(SensorError.bus);
			return r;
		}
		if (!this.#configured(block)) {
			this.#onError?.(SensorError.reset);
			this.#rewrite(bus);
			return r;
		}
		if (this.#mode === "forced" && block[AT_STATUS] & Status.MEASURING) {
			this.#onError?.(SensorError.busy);
			return r;
		}
		this.#decode(block, r);
		if (this.#mode === "forced") this.#rewrite(bus, true);
		return r;
	}

	close(): void {
		this.#bus?.close();
		this.#bus = undefined;
	}

	#check(options: Bme280Configuration): void {
		const { mode, oversampling, filter, standby } = options;
		if (mode !== undefined && mode !== "forced" && mode !== "normal") throw optionError(CHIP, "mode");
		const t = oversampling?.temperature, p = oversampling?.pressure, h = oversampling?.humidity;
		if (t !== undefined && (t === 0 || !Object.hasOwn(Oversampling, t))) throw optionError(CHIP, "oversampling");
		if (p !== undefined && !Object.hasOwn(Oversampling, p)) throw optionError(CHIP, "oversampling");
		if (h !== undefined && !Object.hasOwn(Oversampling, h)) throw optionError(CHIP, "oversampling");
		if (filter !== undefined && !Object.hasOwn(Filter, filter)) throw optionError(CHIP, "filter");
		if (standby !== undefined && !Object.hasOwn(Standby, standby)) throw optionError(CHIP, "standby");
		if (mode !== undefined) this.#mode = mode;
		if (t !== undefined) this.#osrsT = t;
		if (p !== undefined) this.#osrsP = p;
		if (h !== undefined) this.#osrsH = h;
		if (filter !== undefined) this.#filter = filter;
		if (standby !== undefined) this.#standby = standby;
	}

	/** Checks chip_id and reloads the calibration. Throws on a bus fault; false (and "identity") on a wrong chip. */
	#identify(bus: RegisterBus): boolean {
		const id = bus.readUint8(Register.CHIP_ID);
		if (id !== CHIP_ID) {
			if (!this.#bus) throw new Error(`chip id 0x${id.toString(16)}`);
			this.#onError?.(SensorError.identity);
			return false;
		}
		bus.read(Register.CALIB_00, this.#calA);
		bus.read(Register.CALIB_26, this.#calB);
		decodeCalibration(this.#calA, this.#calB, this.#calibration);
		return true;
	}

	#ctrlMeas(mode: number): number {
		return (Oversampling[this.#osrsT] << Field.CTRL_MEAS_OSRS_T.shift) |
			(Oversampling[this.#osrsP] << Field.CTRL_MEAS_OSRS_P.shift) | (mode << Field.CTRL_MEAS_MODE.shift);
	}

	#config(): number {
		return (Standby[this.#standby] << Field.CONFIG_T_SB.shift) | (Filter[this.#filter] << Field.CONFIG_FILTER.shift);
	}

	/** Sleep first (config writes in normal mode may be ignored, §5.4.6), then ctrl_hum, config, ctrl_meas (§5.4.3). */
	#write(bus: RegisterBus): void {
		bus.writeUint8(Register.CTRL_MEAS, this.#ctrlMeas(Mode.SLEEP));
		bus.writeUint8(Register.CTRL_HUM, Oversampling[this.#osrsH] << Field.CTRL_HUM_OSRS_H.shift);
		bus.writeUint8(Register.CONFIG, this.#config());
		bus.writeUint8(Register.CTRL_MEAS, this.#ctrlMeas(this.#mode === "forced" ? Mode.FORCED : Mode.NORMAL));
	}

	/** Rewrites the configuration (after a reset) or only triggers the next forced conversion. */
	#rewrite(bus: RegisterBus, triggerOnly = false): void {
		try {
			if (triggerOnly) bus.writeUint8(Register.CTRL_MEAS, this.#ctrlMeas(Mode.FORCED));
			else this.#write(bus);
		} catch {
			this.#needsInit = true;
			this.#onError?.(SensorError.bus);
		}
	}

	/** True when the registers read back hold what the driver wrote (mode bits aside: forced returns to sleep). */
	#configured(block: Uint8Array): boolean {
		const osrsMask = (Field.CTRL_MEAS_OSRS_T.mask << Field.CTRL_MEAS_OSRS_T.shift) |
			(Field.CTRL_MEAS_OSRS_P.mask << Field.CTRL_MEAS_OSRS_P.shift);
		return (block[AT_CTRL_HUM] & Field.CTRL_HUM_OSRS_H.mask) === Oversampling[this.#osrsH] &&
			(block[AT_CTRL_MEAS] & osrsMask) === (this.#ctrlMeas(Mode.SLEEP) & osrsMask) &&
			(block[AT_CONFIG] & CONFIG_MASK) === this.#config();
	}

	#decode(b: Uint8Array, r: Bme280Sample): void {
		const adcT = (b[AT_TEMP] << 12) | (b[AT_TEMP + 1] << 4) | (b[AT_TEMP + 2] >> 4);
		const adcP = (b[AT_PRESS] << 12) | (b[AT_PRESS + 1] << 4) | (b[AT_PRESS + 2] >> 4);
		const adcH = (b[AT_HUM] << 8) | b[AT_HUM + 1];
		if (adcT === SKIPPED_20BIT) {
			this.#onError?.(SensorError.busy); // no conversion has completed since power-up
			return;
		}
		const t = this.#comp.temperature(adcT) / 100;
		if (t < Range.T_MIN_C || t > Range.T_MAX_C) {
			this.#onError?.(SensorError.implausible); // P and H depend on t_fine: drop them too
			return;
		}
		r.thermometer.temperature = t;
		if (this.#osrsP && adcP !== SKIPPED_20BIT) {
			const p = this.#comp.pressure(adcP);
			if (p >= Range.P_MIN_PA && p <= Range.P_MAX_PA) r.barometer.pressure = p;
			else this.#onError?.(SensorError.implausible);
		}
		if (this.#osrsH && adcH !== SKIPPED_16BIT) r.hygrometer.humidity = this.#comp.humidity(adcH) / 1024;
	}
}

Object.freeze(BME280.prototype);
