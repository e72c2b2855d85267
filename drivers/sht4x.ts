/*
 * Sensirion SHT4x temperature / humidity driver, ECMA-419 Sensor Class Pattern.
 * Datasheet: "Datasheet SHT4x" v6.x (Sensirion). Commands and timings: drivers/sht4x.regs.ts.
 *
 * Measurement without blocking: sample() reads the conversion started by the previous call
 * (or by the constructor) and starts the next one, so every reading is one sample interval
 * old. Call sample() no faster than the precision's maximum duration (8.3 ms at "high");
 * earlier, the chip NACKs the read and sample() reports "busy" with the fields undefined.
 */
import type { I2CSensorOptions, Now } from "drivers/io";
import { SensorError, identityError, optionError, closedError, type OnError } from "drivers/errors";
import { SensirionBus, wordValid, wordValue } from "drivers/sensirion/framing";
import {
	Address, Command, Precision, Heater, HEATER_MAX_DUTY, SOFT_RESET_MAX_MS, Conversion, T_RANGE_MIN_C, T_RANGE_MAX_C, FRAME_BYTES,
	type Sht4xPrecision, type Sht4xHeaterPulse,
} from "drivers/sht4x.regs";

const CHIP = "sht4x";
/** I2C fast mode; the chip supports FM+ (datasheet §3.3), the ESP32 controller 400 kHz reliably. */
const DEFAULT_HZ = 400_000;
/** ACK polling of the serial-number read in the constructor (the chip NACKs until it has the answer). */
const PROBE_ATTEMPTS = 8;
/** Slack on a conversion's datasheet maximum for a millisecond clock's granularity. */
const CLOCK_GRANULARITY_MS = 1;

export interface Sht4xOptions {
	readonly sensor: I2CSensorOptions;
	/** Measurement repeatability (datasheet §4.5). Default "high". */
	readonly precision?: Sht4xPrecision;
	/** Heater duty-cycle budget, 0 < duty <= 0.1 (datasheet §4.9). Default 0.1. */
	readonly heaterMaxDuty?: number;
	readonly onError?: OnError;
	/** Monotonic ms clock used to tell "still converting" from "gone". Default Date.now. */
	readonly now?: Now;
}

export interface Sht4xConfiguration {
	readonly precision?: Sht4xPrecision;
	readonly heaterMaxDuty?: number;
}

export interface Sht4xSample {
	readonly thermometer: { temperature: number | undefined };
	readonly hygrometer: { humidity: number | undefined };
}

export default class SHT4x {
	#bus: SensirionBus | undefined;
	readonly #frame = new Uint8Array(FRAME_BYTES);
	readonly #result: Sht4xSample = { thermometer: { temperature: undefined }, hygrometer: { humidity: undefined } };
	readonly #onError: OnError | undefined;
	readonly #now: Now;
	#precision: Sht4xPrecision = "high";
	#heaterMaxDuty = HEATER_MAX_DUTY;
	#serialNumber = 0;
	/** The conversion in flight: when it started, its datasheet maximum, and whether it was a heater pulse. */
	#pending = false;
	#pendingSince = 0;
	#pendingMaxMs = 0;
	#pendingHeated = false;
	#heaterAllowedAt = -Infinity;
	#resetUntil = -Infinity;
	#heatRequest: Sht4xHeaterPulse | undefined;

	constructor(options: Sht4xOptions) {
		const sensor = options?.sensor;
		if (typeof sensor?.io !== "function") throw optionError(CHIP, "sensor");
		this.#check(options);
		this.#onError = options.onError;
		this.#now = options.now ?? Date.now;
		const bus = new SensirionBus(new sensor.io({ address: Address.A, hz: DEFAULT_HZ, ...sensor }));
		try {
			this.#serialNumber = probe(bus, this.#frame);
			bus.command8(Precision[this.#precision].command);
		} catch (error) {
			bus.close();
			throw identityError(CHIP, error);
		}
		this.#bus = bus;
		this.#started(Precision[this.#precision].maxMs, false);
	}

	configure(options: Sht4xConfiguration): void {
		if (!this.#bus) throw closedError(CHIP);
		this.#check(options);
	}

	/** The chip's 32-bit serial number, read while probing its identity. */
	get serialNumber(): number {
		return this.#serialNumber;
	}

	sample(): Sht4xSample {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		const result = this.#result;
		result.thermometer.temperature = undefined;
		result.hygrometer.humidity = undefined;
		if (this.#now() < this.#resetUntil) {
			this.#onError?.(SensorError.busy); // still inside the soft-reset time
			return result;
		}
		if (this.#pending) {
			try {
				bus.read(this.#frame);
			} catch {
				if (this.#now() - this.#pendingSince <= this.#pendingMaxMs + CLOCK_GRANULARITY_MS) {
					this.#onError?.(SensorError.busy);
				} else {
					this.#pending = false; // it should have answered by now: the chip is gone
					this.#onError?.(SensorError.bus);
				}
				return result;
			}
			this.#pending = false;
			if (this.#pendingHeated) this.#onError?.(SensorError.busy); // heated frame: not ambient, dropped
			else this.#decode(result);
		}
		const heat = this.#heatRequest === undefined ? undefined : Heater[this.#heatRequest];
		try {
			if (heat) {
				bus.command8(heat.command);
				this.#heatRequest = undefined;
				this.#started(heat.maxMs, true);
				this.#heaterAllowedAt = this.#pendingSince + heat.onMs / this.#heaterMaxDuty;
			} else {
				bus.command8(Precision[this.#precision].command);
				this.#started(Precision[this.#precision].maxMs, false);
			}
		} catch {
			this.#onError?.(SensorError.bus);
		}
		return result;
	}

	/**
	 * Schedules a heater pulse (datasheet §4.9): the next sample() sends it instead of a normal
	 * measurement. Refused (returns false) while a pulse is scheduled or the duty-cycle budget does
	 * not allow it: a pulse of length d may start no sooner than d / heaterMaxDuty after the previous
	 * one. Until the pulse ends sample() reports "busy"; the measurement taken at the end of the
	 * pulse is of the heated sensor and is dropped (also reported as "busy").
	 */
	heat(pulse: Sht4xHeaterPulse = "20mW-100ms"): boolean {
		if (!this.#bus) throw closedError(CHIP);
		const spec = Heater[pulse];
		if (!spec) throw optionError(CHIP, "heater pulse");
		if (this.#heatRequest !== undefined || this.#now() < this.#heaterAllowedAt) return false;
		this.#heatRequest = pulse;
		return true;
	}

	/** Soft reset (datasheet §4.7). The next sample() starts a new measurement. */
	reset(): void {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		this.#pending = false;
		try {
			bus.command8(Command.SOFT_RESET);
			this.#resetUntil = this.#now() + SOFT_RESET_MAX_MS + CLOCK_GRANULARITY_MS;
		} catch {
			this.#onError?.(SensorError.bus);
		}
	}

	close(): void {
		this.#bus?.close();
		this.#bus = undefined;
	}

	#check(options: Sht4xConfiguration): void {
		const { precision, heaterMaxDuty } = options;
		if (precision !== undefined && !Object.hasOwn(Precision, precision)) throw optionError(CHIP, "precision");
		if (heaterMaxDuty !== undefined && !(heaterMaxDuty > 0 && heaterMaxDuty <= HEATER_MAX_DUTY))
			throw optionError(CHIP, "heaterMaxDuty");
		if (precision !== undefined) this.#precision = precision;
		if (heaterMaxDuty !== undefined) this.#heaterMaxDuty = heaterMaxDuty;
	}

	#started(maxMs: number, heated: boolean): void {
		this.#pending = true;
		this.#pendingSince = this.#now();
		this.#pendingMaxMs = maxMs;
		this.#pendingHeated = heated;
	}

	#decode(result: Sht4xSample): void {
		const frame = this.#frame;
		if (wordValid(frame, 0)) {
			const t = Conversion.T_OFFSET_C + (Conversion.T_SPAN_C * wordValue(frame, 0)) / Conversion.FULL_SCALE;
			if (t >= T_RANGE_MIN_C && t <= T_RANGE_MAX_C) result.thermometer.temperature = t;
			else this.#onError?.(SensorError.implausible);
		} else this.#onError?.(SensorError.crc);
		if (wordValid(frame, 1)) {
			const rh = Conversion.RH_OFFSET_PCT + (Conversion.RH_SPAN_PCT * wordValue(frame, 1)) / Conversion.FULL_SCALE;
			result.hygrometer.humidity = Math.min(Conversion.RH_MAX_PCT, Math.max(Conversion.RH_MIN_PCT, rh));
		} else this.#onError?.(SensorError.crc);
	}
}

/** Reads the serial number (datasheet §4.5, command 0x89) with ACK polling; throws if absent or corrupt. */
function probe(bus: SensirionBus, frame: Uint8Array): number {
	bus.command8(Command.SERIAL_NUMBER);
	for (let attempt = 1; ; attempt++) {
		try {
			bus.read(frame);
			break;
		} catch (error) {
			if (attempt >= PROBE_ATTEMPTS) throw error;
		}
	}
	if (!wordValid(frame, 0) || !wordValid(frame, 1)) throw new Error("crc");
	return ((wordValue(frame, 0) << 16) | wordValue(frame, 1)) >>> 0;
}

Object.freeze(SHT4x.prototype);
