/*
 * Register-level model of a Maxim MAX30102 (datasheet 19-7740) on the simulated bus.
 * Power-on: PART_ID 0x15, INT_STATUS_1.PWR_RDY set, everything else 0 (shut-down-free idle).
 * In HR (red) or SpO2 (red + IR) mode it takes samples at SPO2_SR, averages SMP_AVE of them, scales
 * the injected PpgSource by LED current and ADC range, truncates to the pulse width's resolution
 * (left-justified 18-bit) and writes the FIFO: 32 samples, 5-bit write/read pointers. A full FIFO
 * keeps its samples and counts the lost ones in OVF_COUNTER (saturating at 0x1F) unless
 * FIFO_ROLLOVER_EN, when the oldest is overwritten. FIFO_DATA does not advance the register pointer;
 * the read pointer advances as each sample's first byte is read and OVF_COUNTER then clears.
 * INT_STATUS_1/2 clear on read. TEMP_EN starts a 29 ms die-temperature conversion.
 */
import type { SimClock } from "sim/devices/i2c-target";
import type { PpgSource } from "sim/devices/sources";
import { RegisterChip } from "sim/devices/register-chip";
import type { FaultKind } from "sim/devices/faults";
import {
	ADDRESS, Register, PART_ID, Interrupt1, Interrupt2, FIFO_DEPTH, POINTER_MASK, BYTES_PER_CHANNEL, SAMPLE_MASK,
	FifoConfig, ModeConfig, Mode, Spo2Config, SampleRate, PulseWidth, AdcRange, SampleAverage, LED_MA_PER_LSB,
	TEMP_FRAC_C, TEMP_EN, TEMP_CONVERSION_MS,
} from "drivers/max30102.regs";

export interface Max30102ModelOptions {
	readonly clock: SimClock;
	readonly ppg: PpgSource;
	/** Die temperature, °C. */
	readonly temperature?: number;
	readonly revision?: number;
	/** PART_ID value (0x15); anything else models a wrong part (a MAX30105 reads 0x15 too, a MAX30100 0x11). */
	readonly partId?: number;
	/** Faults active from the start. */
	readonly faults?: readonly FaultKind[];
}

/** LED current and ADC range at which the PpgSource's counts are taken as-is. */
const REFERENCE_LED_MA = 7;
const REFERENCE_RANGE_NA = 4096;

const byCode = (table: Readonly<Record<number, number>>): number[] => {
	const out: number[] = [];
	for (const [key, code] of Object.entries(table)) out[code] = Number(key);
	return out;
};
const RATE_HZ = byCode(SampleRate);
const RANGE_NA = byCode(AdcRange);
const AVERAGE = byCode(SampleAverage);
const BITS: number[] = [];
for (const { code, bits } of Object.values(PulseWidth)) BITS[code] = bits;

export class Max30102Model extends RegisterChip {
	readonly #ppg: PpgSource;
	readonly #dieTemperature: number;
	readonly #revision: number;
	readonly #partId: number;
	/** 32 slots of up to 2 channels × 3 bytes. */
	readonly #fifo = new Uint8Array(FIFO_DEPTH * 2 * BYTES_PER_CHANNEL);
	readonly #sample = new Uint32Array(2);
	readonly #sum = new Float64Array(2);
	#byte = 0; // byte index within the sample being read
	#slot = 0; // FIFO slot of the sample being read
	#count = 0; // unread samples (the pointers alone cannot tell 32 from 0)
	#nextAt = 0;
	#tempAt = Infinity;
	#generated = 0;

	constructor(options: Max30102ModelOptions) {
		super(ADDRESS, options.clock, ["implausible", "fifo-overflow"], options.faults);
		this.#partId = options.partId ?? PART_ID;
		this.#ppg = options.ppg;
		this.#dieTemperature = options.temperature ?? 31.5;
		this.#revision = options.revision ?? 0x03;
		this.#reset(true);
	}

	powerOnReset(): void {
		this.#reset(true);
	}

	register(address: number): number {
		return this.regs[address];
	}

	/** Samples written to the FIFO since power-on (lost ones included). */
	get generated(): number {
		return this.#generated;
	}

	#reset(powerUp: boolean): void {
		this.regs.fill(0);
		this.regs[Register.PART_ID] = this.#partId;
		this.regs[Register.REV_ID] = this.#revision;
		if (powerUp) this.regs[Register.INT_STATUS_1] = Interrupt1.PWR_RDY;
		this.#byte = 0;
		this.#count = 0;
		this.#tempAt = Infinity;
	}

	#running(): boolean {
		const mode = this.regs[Register.MODE_CONFIG];
		const m = mode & ModeConfig.MODE_MASK;
		return !(mode & ModeConfig.SHDN) && (m === Mode.hr || m === Mode.spo2);
	}

	#channels(): number {
		return (this.regs[Register.MODE_CONFIG] & ModeConfig.MODE_MASK) === Mode.spo2 ? 2 : 1;
	}

	#average(): number {
		return AVERAGE[Math.min(5, this.regs[Register.FIFO_CONFIG] >> FifoConfig.SMP_AVE_SHIFT)];
	}

	#periodMs(): number {
		const sr = RATE_HZ[(this.regs[Register.SPO2_CONFIG] >> Spo2Config.SR_SHIFT) & 7];
		return (1000 * this.#average()) / sr;
	}

	protected override writeRegister(register: number, value: number): void {
		this.update();
		switch (register) {
			case Register.MODE_CONFIG: {
				if (value & ModeConfig.RESET) {
					this.#reset(false);
					return;
				}
				const wasRunning = this.#running();
				this.regs[register] = value & (ModeConfig.SHDN | ModeConfig.MODE_MASK);
				if (!wasRunning && this.#running()) this.#nextAt = this.clock.now() + this.#periodMs();
				return;
			}
			case Register.FIFO_WR_PTR:
			case Register.OVF_COUNTER:
			case Register.FIFO_RD_PTR:
				this.regs[register] = value & POINTER_MASK;
				if (register === Register.FIFO_RD_PTR) this.#byte = 0;
				if (register !== Register.OVF_COUNTER)
					this.#count = (this.regs[Register.FIFO_WR_PTR] - this.regs[Register.FIFO_RD_PTR]) & POINTER_MASK;
				return;
			case Register.TEMP_CONFIG:
				this.regs[register] = value & TEMP_EN;
				if (value & TEMP_EN) this.#tempAt = this.clock.now() + TEMP_CONVERSION_MS;
				return;
			case Register.SPO2_CONFIG:
				this.regs[register] = value & 0x7f;
				if (this.#running()) this.#nextAt = this.clock.now() + this.#periodMs();
				return;
			case Register.INT_ENABLE_1:
			case Register.INT_ENABLE_2:
			case Register.FIFO_CONFIG:
			case Register.LED1_PA:
			case Register.LED2_PA:
			case Register.MULTI_LED_1:
			case Register.MULTI_LED_2:
				this.regs[register] = value;
				return;
		}
	}

	protected override readRegister(register: number): number {
		if (register === Register.INT_STATUS_1 || register === Register.INT_STATUS_2) {
			const value = this.regs[register];
			this.regs[register] = 0;
			return value;
		}
		if (register !== Register.FIFO_DATA) return this.regs[register];
		const r = this.regs;
		const width = this.#channels() * BYTES_PER_CHANNEL;
		if (this.#byte === 0) {
			this.#slot = r[Register.FIFO_RD_PTR];
			if (this.#count > 0) {
				r[Register.FIFO_RD_PTR] = (this.#slot + 1) & POINTER_MASK; // advances on a sample's first byte
				r[Register.OVF_COUNTER] = 0; // a sample was popped
				this.#count--;
			}
		}
		const value = this.#fifo[this.#slot * 2 * BYTES_PER_CHANNEL + this.#byte];
		this.#byte = (this.#byte + 1) % width;
		return value;
	}

	protected override nextPointer(register: number): number {
		return register === Register.FIFO_DATA ? register : (register + 1) & 0xff;
	}

	protected override update(): void {
		const now = this.clock.now();
		if (now >= this.#tempAt) {
			this.#tempAt = Infinity;
			const t = this.#dieTemperature;
			const whole = Math.floor(t);
			this.regs[Register.TEMP_INT] = whole & 0xff;
			this.regs[Register.TEMP_FRAC] = Math.round((t - whole) / TEMP_FRAC_C) & 0x0f;
			this.regs[Register.TEMP_CONFIG] &= ~TEMP_EN;
			if (this.regs[Register.INT_ENABLE_2] & Interrupt2.DIE_TEMP_RDY) this.regs[Register.INT_STATUS_2] |= Interrupt2.DIE_TEMP_RDY;
		}
		if (!this.#running() || now < this.#nextAt) return;
		const period = this.#periodMs();
		let due = 1 + Math.floor((now - this.#nextAt) / period);
		let t = this.#nextAt;
		this.#nextAt += due * period;
		if (due > 2 * FIFO_DEPTH) {
			const skipped = due - 2 * FIFO_DEPTH; // older than anything the FIFO could still hold
			t += skipped * period;
			due -= skipped;
			this.#lose(skipped);
		}
		for (let i = 0; i < due; i++, t += period) this.#produce(t, period);
		if (this.faulty("fifo-overflow")) {
			while (this.#unread() < FIFO_DEPTH) this.#produce(t, period);
			this.#produce(t, period);
		}
	}

	#unread(): number {
		return this.#count;
	}

	#lose(samples: number): void {
		this.#generated += samples;
		this.regs[Register.OVF_COUNTER] = Math.min(POINTER_MASK, this.regs[Register.OVF_COUNTER] + samples);
	}

	/** One averaged sample at time t (the last of its SMP_AVE raw samples). */
	#produce(t: number, period: number): void {
		const r = this.regs;
		const average = this.#average();
		const sum = this.#sum;
		sum[0] = sum[1] = 0;
		for (let k = average - 1; k >= 0; k--) {
			this.#ppg.sample(t - (k * period) / average, this.#sample);
			sum[0] += this.#sample[0];
			sum[1] += this.#sample[1];
		}
		const cfg = r[Register.SPO2_CONFIG];
		const range = RANGE_NA[(cfg >> Spo2Config.ADC_RGE_SHIFT) & 3];
		const bits = BITS[cfg & 3];
		const implausible = this.faulty("implausible");
		const leds = [r[Register.LED1_PA], r[Register.LED2_PA]];
		if (this.#unread() === FIFO_DEPTH && !(r[Register.FIFO_CONFIG] & FifoConfig.ROLLOVER_EN)) {
			this.#lose(1); // full: the new sample is lost
		} else {
			if (this.#unread() === FIFO_DEPTH) {
				r[Register.FIFO_RD_PTR] = (r[Register.FIFO_RD_PTR] + 1) & POINTER_MASK; // rollover: oldest overwritten
				r[Register.OVF_COUNTER] = Math.min(POINTER_MASK, r[Register.OVF_COUNTER] + 1);
				this.#count--;
			}
			const slot = r[Register.FIFO_WR_PTR] * 2 * BYTES_PER_CHANNEL;
			for (let c = 0; c < this.#channels(); c++) {
				const scaled = ((sum[c] / average) * (leds[c] * LED_MA_PER_LSB)) / REFERENCE_LED_MA * (REFERENCE_RANGE_NA / range);
				let counts = implausible ? SAMPLE_MASK : Math.max(0, Math.min(SAMPLE_MASK, Math.round(scaled)));
				counts &= ~((1 << (18 - bits)) - 1); // left-justified: low bits 0 below 18-bit resolution
				this.#fifo[slot + 3 * c] = (counts >> 16) & 0x03;
				this.#fifo[slot + 3 * c + 1] = (counts >> 8) & 0xff;
				this.#fifo[slot + 3 * c + 2] = counts & 0xff;
			}
			r[Register.FIFO_WR_PTR] = (r[Register.FIFO_WR_PTR] + 1) & POINTER_MASK;
			this.#count++;
			this.#generated++;
			if (r[Register.INT_ENABLE_1] & Interrupt1.PPG_RDY) r[Register.INT_STATUS_1] |= Interrupt1.PPG_RDY;
		}
		const free = FIFO_DEPTH - this.#unread();
		if (free <= (r[Register.FIFO_CONFIG] & FifoConfig.A_FULL_MASK) && r[Register.INT_ENABLE_1] & Interrupt1.A_FULL)
			r[Register.INT_STATUS_1] |= Interrupt1.A_FULL;
		if (implausible && r[Register.INT_ENABLE_1] & Interrupt1.ALC_OVF) r[Register.INT_STATUS_1] |= Interrupt1.ALC_OVF;
	}
}
