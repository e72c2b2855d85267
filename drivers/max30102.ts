/*
 * Maxim MAX30102 PPG driver (red / IR photoplethysmogram, die temperature), ECMA-419 Sensor Class
 * Pattern. Register map, codes and limits: drivers/max30102.regs.ts.
 *
 * The chip fills a 32-sample FIFO at sampleRate / sampleAverage. Each sample() drains it: `ppg.count`
 * samples, oldest first, in the preallocated `ppg.red` / `ppg.ir` Uint32Arrays (18-bit, left-justified:
 * at lower resolutions the low bits are 0). Call it at least every 32 / (sampleRate / sampleAverage) s
 * (320 ms at 100 Hz). A full FIFO drops new samples and counts them (OVF_COUNTER): the driver reports
 * "fifo-overflow", delivers the 32 it has and `ppg.lost`. The die temperature is measured between
 * calls (29 ms) and delivered by the next call; otherwise `thermometer.temperature` is undefined.
 */
import type { I2CSensorOptions } from "drivers/io";
import { SensorError, identityError, optionError, closedError, type OnError } from "drivers/errors";
import { RegisterBus } from "drivers/register-bus";
import {
	ADDRESS, Register, PART_ID, Interrupt1, Interrupt2, FIFO_DEPTH, POINTER_MASK, BYTES_PER_CHANNEL, SAMPLE_MASK,
	FifoConfig, SampleAverage, ModeConfig, Mode, Spo2Config, AdcRange, SampleRate, PulseWidth, MaxSampleRate,
	LED_MA_PER_LSB, LED_MAX_MA, TEMP_FRAC_C, TEMP_EN,
	type Max30102Average, type Max30102Mode, type Max30102AdcRange, type Max30102SampleRate, type Max30102PulseWidth,
} from "drivers/max30102.regs";

const CHIP = "max30102";
const DEFAULT_HZ = 400_000;
const MAX_SAMPLE_BYTES = 2 * BYTES_PER_CHANNEL;

export interface Max30102Configuration {
	readonly mode?: Max30102Mode;
	readonly sampleRate?: Max30102SampleRate;
	/** LED pulse width, µs; sets the ADC resolution (69: 15 bits … 411: 18 bits). */
	readonly pulseWidth?: Max30102PulseWidth;
	/** ADC full scale, nA. */
	readonly adcRange?: Max30102AdcRange;
	readonly sampleAverage?: Max30102Average;
	/** LED drive currents, mA, 0…51 in 0.2 mA steps. */
	readonly ledCurrent?: { readonly red?: number; readonly ir?: number };
	/** Measure the die temperature between calls. Default true. */
	readonly temperature?: boolean;
}

export interface Max30102Options extends Max30102Configuration {
	readonly sensor: I2CSensorOptions;
	readonly onError?: OnError;
}

export interface Max30102Sample {
	readonly ppg: { count: number; lost: number; readonly red: Uint32Array; readonly ir: Uint32Array };
	readonly thermometer: { temperature: number | undefined };
}

export default class MAX30102 {
	#bus: RegisterBus | undefined;
	readonly #onError: OnError | undefined;
	readonly #raw = new Uint8Array(FIFO_DEPTH * MAX_SAMPLE_BYTES);
	readonly #views: Uint8Array[] = [];
	readonly #status = new Uint8Array(2);
	readonly #pointers = new Uint8Array(3);
	readonly #temp = new Uint8Array(2);
	readonly #result: Max30102Sample = {
		ppg: { count: 0, lost: 0, red: new Uint32Array(FIFO_DEPTH), ir: new Uint32Array(FIFO_DEPTH) },
		thermometer: { temperature: undefined },
	};
	#mode: Max30102Mode = "spo2";
	#sampleRate: Max30102SampleRate = 100;
	#pulseWidth: Max30102PulseWidth = 411;
	#adcRange: Max30102AdcRange = 4096;
	#average: Max30102Average = 1;
	#red = 7;
	#ir = 7;
	#temperature = true;
	#needsInit = false;

	constructor(options: Max30102Options) {
		const sensor = options?.sensor;
		if (typeof sensor?.io !== "function") throw optionError(CHIP, "sensor");
		this.#check(options);
		this.#onError = options.onError;
		for (let n = 0; n <= FIFO_DEPTH * 2; n++) this.#views.push(this.#raw.subarray(0, n * BYTES_PER_CHANNEL));
		const bus = new RegisterBus(new sensor.io({ address: ADDRESS, hz: DEFAULT_HZ, ...sensor }));
		try {
			const id = bus.readUint8(Register.PART_ID);
			if (id !== PART_ID) throw new Error(`PART_ID 0x${id.toString(16)}`);
			this.#write(bus);
		} catch (error) {
			bus.close();
			throw identityError(CHIP, error);
		}
		this.#bus = bus;
	}

	/** Samples per second delivered: sampleRate / sampleAverage. */
	get outputRate(): number {
		return this.#sampleRate / this.#average;
	}

	/** Applies new settings; the FIFO is cleared (its samples were taken with the old ones). */
	configure(options: Max30102Configuration): void {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		this.#check(options);
		this.#rewrite(bus);
	}

	sample(): Max30102Sample {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		const r = this.#result;
		r.ppg.count = r.ppg.lost = 0;
		r.thermometer.temperature = undefined;
		let count: number, alc: boolean;
		try {
			if (this.#needsInit) {
				const id = bus.readUint8(Register.PART_ID);
				if (id === PART_ID) this.#write(bus);
				else this.#onError?.(SensorError.identity);
				return r;
			}
			bus.read(Register.INT_STATUS_1, this.#status); // both registers clear on read
			const s1 = this.#status[0], s2 = this.#status[1];
			if (s1 & Interrupt1.PWR_RDY) {
				this.#onError?.(SensorError.reset); // a power-on since the last call: configuration lost
				this.#write(bus);
				return r;
			}
			alc = (s1 & Interrupt1.ALC_OVF) !== 0;
			if (this.#temperature && s2 & Interrupt2.DIE_TEMP_RDY) {
				bus.read(Register.TEMP_INT, this.#temp);
				r.thermometer.temperature = ((this.#temp[0] << 24) >> 24) + (this.#temp[1] & 0x0f) * TEMP_FRAC_C;
				bus.writeUint8(Register.TEMP_CONFIG, TEMP_EN);
			}
			bus.read(Register.FIFO_WR_PTR, this.#pointers);
			const wr = this.#pointers[0], ovf = this.#pointers[1], rd = this.#pointers[2];
			count = (wr - rd) & POINTER_MASK;
			if (count === 0 && (ovf || s1 & Interrupt1.A_FULL)) count = FIFO_DEPTH;
			r.ppg.lost = ovf;
			if (count) bus.read(Register.FIFO_DATA, this.#views[count * this.#channels()]);
		} catch {
			this.#needsInit = true;
			this.#onError?.(SensorError.bus);
			return r;
		}
		if (r.ppg.lost) this.#onError?.(SensorError.fifoOverflow);
		if (alc) {
			this.#onError?.(SensorError.implausible); // ambient light cancellation overflowed: samples invalid
			return r;
		}
		this.#decode(count, r);
		return r;
	}

	close(): void {
		const bus = this.#bus;
		if (!bus) return;
		try {
			bus.writeUint8(Register.MODE_CONFIG, ModeConfig.SHDN); // LEDs off (0.7 µA shutdown)
		} catch {
			// unreachable chip: nothing to switch off
		}
		bus.close();
		this.#bus = undefined;
	}

	#channels(): number {
		return this.#mode === "spo2" ? 2 : 1;
	}

	#check(options: Max30102Configuration): void {
		const { mode, sampleRate, pulseWidth, adcRange, sampleAverage, ledCurrent, temperature } = options;
		if (mode !== undefined && !Object.hasOwn(Mode, mode)) throw optionError(CHIP, "mode");
		if (sampleRate !== undefined && !Object.hasOwn(SampleRate, sampleRate)) throw optionError(CHIP, "sampleRate");
		if (pulseWidth !== undefined && !Object.hasOwn(PulseWidth, pulseWidth)) throw optionError(CHIP, "pulseWidth");
		if (adcRange !== undefined && !Object.hasOwn(AdcRange, adcRange)) throw optionError(CHIP, "adcRange");
		if (sampleAverage !== undefined && !Object.hasOwn(SampleAverage, sampleAverage)) throw optionError(CHIP, "sampleAverage");
		const red = ledCurrent?.red, ir = ledCurrent?.ir;
		for (const ma of [red, ir])
			if (ma !== undefined && !(ma >= 0 && ma <= LED_MAX_MA)) throw optionError(CHIP, "ledCurrent");
		const m = mode ?? this.#mode, rate = sampleRate ?? this.#sampleRate, width = pulseWidth ?? this.#pulseWidth;
		if (rate > MaxSampleRate[m][width]) throw optionError(CHIP, "sampleRate for this pulseWidth");
		if (mode !== undefined) this.#mode = mode;
		if (sampleRate !== undefined) this.#sampleRate = sampleRate;
		if (pulseWidth !== undefined) this.#pulseWidth = pulseWidth;
		if (adcRange !== undefined) this.#adcRange = adcRange;
		if (sampleAverage !== undefined) this.#average = sampleAverage;
		if (red !== undefined) this.#red = red;
		if (ir !== undefined) this.#ir = ir;
		if (temperature !== undefined) this.#temperature = Boolean(temperature);
	}

	/** Shut down, enable flags, clear the FIFO, configure, start (datasheet "FIFO", Table 1). */
	#write(bus: RegisterBus): void {
		bus.writeUint8(Register.MODE_CONFIG, ModeConfig.SHDN);
		bus.writeUint8(Register.INT_ENABLE_1, Interrupt1.A_FULL | Interrupt1.ALC_OVF);
		bus.writeUint8(Register.INT_ENABLE_2, Interrupt2.DIE_TEMP_RDY);
		bus.writeUint8(Register.FIFO_WR_PTR, 0);
		bus.writeUint8(Register.OVF_COUNTER, 0);
		bus.writeUint8(Register.FIFO_RD_PTR, 0);
		// FIFO_A_FULL = 0: "almost full" means no free slot left; rollover off: a full FIFO keeps its samples
		bus.writeUint8(Register.FIFO_CONFIG, SampleAverage[this.#average] << FifoConfig.SMP_AVE_SHIFT);
		bus.writeUint8(Register.SPO2_CONFIG, (AdcRange[this.#adcRange] << Spo2Config.ADC_RGE_SHIFT) |
			(SampleRate[this.#sampleRate] << Spo2Config.SR_SHIFT) | (PulseWidth[this.#pulseWidth].code << Spo2Config.LED_PW_SHIFT));
		bus.writeUint8(Register.LED1_PA, Math.round(this.#red / LED_MA_PER_LSB));
		bus.writeUint8(Register.LED2_PA, Math.round(this.#ir / LED_MA_PER_LSB));
		bus.writeUint8(Register.MODE_CONFIG, Mode[this.#mode]);
		if (this.#temperature) bus.writeUint8(Register.TEMP_CONFIG, TEMP_EN);
		bus.read(Register.INT_STATUS_1, this.#status); // clears PWR_RDY and stale flags
		this.#needsInit = false;
	}

	#rewrite(bus: RegisterBus): void {
		try {
			this.#write(bus);
		} catch {
			this.#needsInit = true;
			this.#onError?.(SensorError.bus);
		}
	}

	/** 3 bytes per channel, MSB first; red (LED1) then IR (LED2) in SpO2 mode ("FIFO Data"). */
	#decode(count: number, r: Max30102Sample): void {
		const raw = this.#raw, red = r.ppg.red, ir = r.ppg.ir;
		const step = this.#channels() * BYTES_PER_CHANNEL;
		for (let i = 0, o = 0; i < count; i++, o += step) {
			red[i] = ((raw[o] << 16) | (raw[o + 1] << 8) | raw[o + 2]) & SAMPLE_MASK;
			ir[i] = step > BYTES_PER_CHANNEL ? ((raw[o + 3] << 16) | (raw[o + 4] << 8) | raw[o + 5]) & SAMPLE_MASK : 0;
		}
		r.ppg.count = count;
	}
}

Object.freeze(MAX30102.prototype);
