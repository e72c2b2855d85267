/*
 * Sensirion SHT3x-DIS temperature / humidity driver, ECMA-419 Sensor Class Pattern.
 * Datasheet: "Datasheet SHT3x-DIS" (Sensirion). Commands, status bits, timings: drivers/sht3x.regs.ts.
 *
 * Modes, both without clock stretching and without blocking:
 *  - "single": sample() reads the single-shot conversion started by the previous call and starts
 *    the next (one sample interval of latency; the chip NACKs the read until it is done, §4.4).
 *  - "periodic": the chip measures at `rate` per second; sample() fetches the latest (§4.5-4.6).
 *    Sampling faster than the rate reports "busy" (the chip NACKs a fetch with no new data).
 * After a bus fault the next sample() re-initialises the chip (break, status, heater, mode); if the
 * status register then shows "system reset detected" the driver reports "reset".
 */
import type { I2CSensorOptions, Now } from "drivers/io";
import { SensorError, identityError, optionError, closedError, type OnError } from "drivers/errors";
import { SensirionBus, wordValid, wordValue } from "drivers/sensirion/framing";
import {
	Address, SingleShot, Periodic, Command, Status, Duration, Conversion, T_RANGE_MIN_C, T_RANGE_MAX_C,
	FRAME_BYTES, STATUS_BYTES, type Sht3xRepeatability, type Sht3xRate,
} from "drivers/sht3x.regs";

const CHIP = "sht3x";
const DEFAULT_HZ = 400_000;
const PROBE_ATTEMPTS = 8;
/** Slack on a conversion's datasheet maximum for a millisecond clock's granularity. */
const CLOCK_GRANULARITY_MS = 1;
const RATES: readonly Sht3xRate[] = Object.freeze([0.5, 1, 2, 4, 10]);

export type Sht3xMode = "single" | "periodic";

export interface Sht3xConfiguration {
	readonly mode?: Sht3xMode;
	readonly repeatability?: Sht3xRepeatability;
	/** Measurements per second in periodic mode (datasheet Table 10). */
	readonly rate?: Sht3xRate;
	/** The on-chip heater (datasheet §4.10), for plausibility checks only. */
	readonly heater?: boolean;
}

export interface Sht3xOptions extends Sht3xConfiguration {
	readonly sensor: I2CSensorOptions;
	readonly onError?: OnError;
	readonly now?: Now;
}

export interface Sht3xSample {
	readonly thermometer: { temperature: number | undefined };
	readonly hygrometer: { humidity: number | undefined };
}

export default class SHT3x {
	#bus: SensirionBus | undefined;
	readonly #frame = new Uint8Array(FRAME_BYTES);
	readonly #status = new Uint8Array(STATUS_BYTES);
	readonly #result: Sht3xSample = { thermometer: { temperature: undefined }, hygrometer: { humidity: undefined } };
	readonly #onError: OnError | undefined;
	readonly #now: Now;
	#mode: Sht3xMode = "single";
	#repeatability: Sht3xRepeatability = "high";
	#rate: Sht3xRate = 1;
	#heater = false;
	#pending = false;
	#since = 0;
	/** Datasheet maximum of the single shot in flight. */
	#pendingMaxMs = 0;
	#needsInit = false;

	constructor(options: Sht3xOptions) {
		const sensor = options?.sensor;
		if (typeof sensor?.io !== "function") throw optionError(CHIP, "sensor");
		this.#check(options);
		this.#onError = options.onError;
		this.#now = options.now ?? Date.now;
		const bus = new SensirionBus(new sensor.io({ address: Address.ADDR_LOW, hz: DEFAULT_HZ, ...sensor }));
		try {
			this.#init(bus, PROBE_ATTEMPTS);
		} catch (error) {
			bus.close();
			throw identityError(CHIP, error);
		}
		this.#bus = bus;
	}

	/**
	 * Applies new settings: stop acquisition, set the heater, restart in the new mode. Bad options
	 * throw RangeError. If a single-shot conversion is still running (the chip ignores commands),
	 * or the bus fails, the settings are applied by the next sample().
	 */
	configure(options: Sht3xConfiguration): void {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		this.#check(options);
		this.#needsInit = true;
		if (this.#converting()) return;
		this.#pending = false;
		try {
			this.#init(bus, 1);
		} catch {
			this.#onError?.(SensorError.bus);
		}
	}

	sample(): Sht3xSample {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		const result = this.#result;
		result.thermometer.temperature = undefined;
		result.hygrometer.humidity = undefined;
		if (this.#pending) {
			if (!this.#readShot(bus, result)) return result;
		}
		if (this.#needsInit) {
			try {
				if (this.#init(bus, 1) & Status.RESET_DETECTED) this.#onError?.(SensorError.reset);
			} catch {
				this.#onError?.(SensorError.bus);
			}
		} else if (this.#mode === "periodic") this.#fetch(bus, result);
		else this.#trigger(bus);
		return result;
	}

	/** The 16-bit status register (datasheet §4.11), or undefined with onError on a fault. */
	readStatus(): number | undefined {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		if (this.#converting()) {
			this.#onError?.(SensorError.busy);
			return undefined;
		}
		this.#pending = false; // an unread measurement is discarded by the new command
		try {
			bus.command16(Command.READ_STATUS);
			bus.read(this.#status);
		} catch {
			this.#fault();
			return undefined;
		}
		if (!wordValid(this.#status, 0)) {
			this.#onError?.(SensorError.crc);
			return undefined;
		}
		return wordValue(this.#status, 0);
	}

	/** Clears the alert and reset flags of the status register (datasheet §4.11, 0x3041). */
	clearStatus(): void {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		try {
			bus.command16(Command.CLEAR_STATUS);
		} catch {
			this.#fault();
		}
	}

	close(): void {
		if (this.#bus && this.#mode === "periodic") {
			try {
				this.#bus.command16(Command.BREAK); // leave the chip idle (§4.8)
			} catch {
				// already unreachable: nothing to stop
			}
		}
		this.#bus?.close();
		this.#bus = undefined;
	}

	#check(options: Sht3xConfiguration): void {
		const { mode, repeatability, rate, heater } = options;
		if (mode !== undefined && mode !== "single" && mode !== "periodic") throw optionError(CHIP, "mode");
		if (repeatability !== undefined && !Object.hasOwn(SingleShot, repeatability)) throw optionError(CHIP, "repeatability");
		if (rate !== undefined && !RATES.includes(rate)) throw optionError(CHIP, "rate");
		if (heater !== undefined && typeof heater !== "boolean") throw optionError(CHIP, "heater");
		if (mode !== undefined) this.#mode = mode;
		if (repeatability !== undefined) this.#repeatability = repeatability;
		if (rate !== undefined) this.#rate = rate;
		if (heater !== undefined) this.#heater = heater;
	}

	/**
	 * Break, read and clear the status, set the heater, start acquisition. Returns the status read
	 * before clearing. Throws on any bus fault or a status CRC error.
	 */
	#init(bus: SensirionBus, attempts: number): number {
		bus.command16(Command.BREAK);
		bus.command16(Command.READ_STATUS);
		for (let attempt = 1; ; attempt++) {
			try {
				bus.read(this.#status);
				break;
			} catch (error) {
				if (attempt >= attempts) throw error;
			}
		}
		if (!wordValid(this.#status, 0)) throw new Error("crc");
		const status = wordValue(this.#status, 0);
		bus.command16(Command.CLEAR_STATUS);
		bus.command16(this.#heater ? Command.HEATER_ENABLE : Command.HEATER_DISABLE);
		if (this.#mode === "periodic") bus.command16(Periodic[String(this.#rate) as `${Sht3xRate}`][this.#repeatability]);
		else bus.command16(SingleShot[this.#repeatability]);
		this.#pending = this.#mode === "single";
		this.#since = this.#now();
		this.#pendingMaxMs = Duration[this.#repeatability].maxMs;
		this.#needsInit = false;
		return status;
	}

	/** True while a single-shot conversion may still be running. */
	#converting(): boolean {
		return this.#pending && this.#now() - this.#since <= this.#pendingMaxMs + CLOCK_GRANULARITY_MS;
	}

	/** Reads the pending single shot into `result`; false when there is nothing to go on with. */
	#readShot(bus: SensirionBus, result: Sht3xSample): boolean {
		try {
			bus.read(this.#frame);
		} catch {
			if (this.#converting()) this.#onError?.(SensorError.busy);
			else {
				this.#pending = false;
				this.#fault();
			}
			return false;
		}
		this.#pending = false;
		this.#decode(result);
		return true;
	}

	#trigger(bus: SensirionBus): void {
		try {
			bus.command16(SingleShot[this.#repeatability]);
			this.#pending = true;
			this.#since = this.#now();
			this.#pendingMaxMs = Duration[this.#repeatability].maxMs;
		} catch {
			this.#fault();
		}
	}

	#fetch(bus: SensirionBus, result: Sht3xSample): void {
		try {
			bus.command16(Command.FETCH_DATA);
		} catch {
			this.#fault();
			return;
		}
		try {
			bus.read(this.#frame);
		} catch {
			// No new measurement yet (§4.6); after a whole period plus a conversion the chip is lost.
			const periodMs = 1000 / this.#rate;
			if (this.#now() - this.#since <= periodMs + Duration[this.#repeatability].maxMs + CLOCK_GRANULARITY_MS)
				this.#onError?.(SensorError.busy);
			else this.#fault();
			return;
		}
		this.#since = this.#now();
		this.#decode(result);
	}

	#fault(): void {
		this.#needsInit = true;
		this.#onError?.(SensorError.bus);
	}

	#decode(result: Sht3xSample): void {
		const frame = this.#frame;
		if (wordValid(frame, 0)) {
			const t = Conversion.T_OFFSET_C + (Conversion.T_SPAN_C * wordValue(frame, 0)) / Conversion.FULL_SCALE;
			if (t >= T_RANGE_MIN_C && t <= T_RANGE_MAX_C) result.thermometer.temperature = t;
			else this.#onError?.(SensorError.implausible);
		} else this.#onError?.(SensorError.crc);
		if (wordValid(frame, 1))
			result.hygrometer.humidity = (Conversion.RH_SPAN_PCT * wordValue(frame, 1)) / Conversion.FULL_SCALE;
		else this.#onError?.(SensorError.crc);
	}
}

Object.freeze(SHT3x.prototype);
