/*
 * Register-level model of an InvenSense MPU-6050 (RM-MPU-6000A-00 rev 4.2, PS-MPU-6000A-00 rev 3.4).
 * Power-on: PWR_MGMT_1 = 0x40 (asleep), WHO_AM_I = 0x68, everything else 0, no ACK for the 100 ms
 * start-up time. Awake, it samples the injected MotionSource at 1 kHz / (1 + SMPLRT_DIV) (8 kHz
 * gyro rate with DLPF_CFG 0 or 7), converts with the full-scale sensitivities (PS §6.1-6.2), updates
 * the output registers and pushes enabled sensors into a 1024-byte FIFO in register order (RM §4.7).
 * A full FIFO drops its oldest bytes and raises INT_STATUS.FIFO_OFLOW if enabled (RM §4.15-4.16,
 * §4.31). INT_STATUS clears on read; USER_CTRL.FIFO_RESET empties the FIFO; reading FIFO_R_W pops
 * and does not advance the register pointer; DEVICE_RESET restores power-on state.
 */
import type { SimClock } from "sim/devices/i2c-target";
import type { MotionSource } from "sim/devices/sources";
import type { Prng } from "sim/devices/prng";
import { RegisterChip } from "sim/devices/register-chip";
import type { FaultKind } from "sim/devices/faults";
import {
	Address, Register, WHO_AM_I_VALUE, FifoEnable, Interrupt, UserCtrl, PowerManagement, DLPF_MASK, FS_SHIFT,
	GYRO_OUTPUT_RATE_HZ, GYRO_OUTPUT_RATE_NO_DLPF_HZ, AccelRange, GyroRange, TEMP_LSB_PER_C, TEMP_OFFSET_C,
	FIFO_BYTES, STARTUP_MS,
} from "drivers/mpu6050.regs";

export interface Mpu6050ModelOptions {
	readonly clock: SimClock;
	readonly motion: MotionSource;
	readonly address?: number;
	/** Die temperature, °C. */
	readonly temperature?: number;
	/** Gaussian noise: accelerometer sigma in g, gyroscope sigma in °/s. */
	readonly noise?: { readonly prng: Prng; readonly accel: number; readonly gyro: number };
	/** Start awake and past the start-up time (a chip already powered when the test begins). */
	readonly poweredUp?: boolean;
	/** WHO_AM_I value (0x68); anything else models a wrong or counterfeit part. */
	readonly whoAmI?: number;
	/** Faults active from the start. */
	readonly faults?: readonly FaultKind[];
}

/** AFS_SEL / FS_SEL code → sensitivity, from the regs tables (PS §6.1-6.2). */
const ACCEL_LSB: readonly number[] = byCode(Object.values(AccelRange).map(({ code, lsbPerG }) => [code, lsbPerG]));
const GYRO_LSB: readonly number[] = byCode(Object.values(GyroRange).map(({ code, lsbPerDps }) => [code, lsbPerDps]));

function byCode(pairs: number[][]): number[] {
	const table: number[] = [];
	for (const [code, value] of pairs) table[code] = value;
	return Object.freeze(table) as number[];
}

export class Mpu6050Model extends RegisterChip {
	readonly #motion: MotionSource;
	readonly #temperature: number;
	readonly #whoAmI: number;
	readonly #noise: Mpu6050ModelOptions["noise"];
	readonly #fifo = new Uint8Array(FIFO_BYTES);
	readonly #values = new Float32Array(6);
	#head = 0; // oldest byte
	#count = 0;
	#nextSampleAt = 0;
	#samples = 0;

	constructor(options: Mpu6050ModelOptions) {
		super(options.address ?? Address.AD0_LOW, options.clock, ["implausible", "fifo-overflow"], options.faults);
		this.#whoAmI = options.whoAmI ?? WHO_AM_I_VALUE;
		this.#motion = options.motion;
		this.#temperature = options.temperature ?? 25;
		this.#noise = options.noise;
		this.#reset(!options.poweredUp);
	}

	powerOnReset(): void {
		this.#reset(true);
	}

	register(address: number): number {
		return this.regs[address];
	}

	/** Bytes waiting in the FIFO. */
	get fifoCount(): number {
		this.update();
		return this.#count;
	}

	/** Samples taken since power-on. */
	get samples(): number {
		return this.#samples;
	}

	#reset(startup: boolean): void {
		this.regs.fill(0);
		this.regs[Register.PWR_MGMT_1] = PowerManagement.RESET_VALUE;
		this.regs[Register.WHO_AM_I] = this.#whoAmI;
		this.#head = this.#count = 0;
		if (startup) this.startup(STARTUP_MS);
	}

	#periodMs(): number {
		const dlpf = this.regs[Register.CONFIG] & DLPF_MASK;
		const gyroRate = dlpf === 0 || dlpf === 7 ? GYRO_OUTPUT_RATE_NO_DLPF_HZ : GYRO_OUTPUT_RATE_HZ;
		return (1000 * (1 + this.regs[Register.SMPLRT_DIV])) / gyroRate;
	}

	#awake(): boolean {
		return !(this.regs[Register.PWR_MGMT_1] & PowerManagement.SLEEP);
	}

	protected override writeRegister(register: number, value: number): void {
		this.update();
		switch (register) {
			case Register.PWR_MGMT_1:
				if (value & PowerManagement.DEVICE_RESET) {
					this.#reset(true);
					return;
				}
				if (!this.#awake() && !(value & PowerManagement.SLEEP)) this.#nextSampleAt = this.clock.now() + this.#periodMs();
				this.regs[register] = value;
				return;
			case Register.USER_CTRL:
				if (value & UserCtrl.FIFO_RESET) this.#head = this.#count = 0;
				this.regs[register] = value & ~(UserCtrl.FIFO_RESET | UserCtrl.SIG_COND_RESET | 0b10);
				return;
			case Register.SMPLRT_DIV:
			case Register.CONFIG:
				this.regs[register] = value;
				this.#nextSampleAt = this.clock.now() + this.#periodMs();
				return;
			case Register.GYRO_CONFIG:
			case Register.ACCEL_CONFIG:
			case Register.FIFO_EN:
			case Register.INT_PIN_CFG:
			case Register.INT_ENABLE:
			case Register.PWR_MGMT_2:
				this.regs[register] = value;
				return;
		}
	}

	protected override readRegister(register: number): number {
		switch (register) {
			case Register.INT_STATUS: {
				const value = this.regs[register];
				this.regs[register] = 0; // cleared by reading (RM §4.16)
				return value;
			}
			case Register.FIFO_COUNT_H:
				return this.faulty("implausible") ? 0xff : this.#count >> 8;
			case Register.FIFO_COUNT_H + 1:
				return this.faulty("implausible") ? 0xff : this.#count & 0xff;
			case Register.FIFO_R_W: {
				if (!this.#count) return this.#fifo[(this.#head + FIFO_BYTES - 1) % FIFO_BYTES];
				const value = this.#fifo[this.#head];
				this.#head = (this.#head + 1) % FIFO_BYTES;
				this.#count--;
				return value;
			}
		}
		return this.regs[register];
	}

	protected override nextPointer(register: number): number {
		return register === Register.FIFO_R_W ? register : (register + 1) & 0xff;
	}

	protected override update(): void {
		if (!this.#awake()) return;
		const now = this.clock.now();
		const period = this.#periodMs();
		if (now < this.#nextSampleAt) return;
		let due = 1 + Math.floor((now - this.#nextSampleAt) / period);
		let t = this.#nextSampleAt;
		this.#nextSampleAt += due * period;
		const limit = Math.ceil(FIFO_BYTES / 12) + 1;
		if (due > limit) {
			// far behind: only the newest samples can still be in the FIFO, but it overflowed
			t += (due - limit) * period;
			due = limit;
			this.#overflow();
		}
		for (let i = 0; i < due; i++, t += period) this.#sample(t);
		if (this.faulty("fifo-overflow")) {
			while (this.#count < FIFO_BYTES) this.#push(0);
			this.#push(0);
		}
	}

	#sample(t: number): void {
		this.#samples++;
		const v = this.#values;
		this.#motion.sample(t, v);
		const n = this.#noise;
		if (n) for (let i = 0; i < 6; i++) v[i] += n.prng.gaussian(i < 3 ? n.accel : n.gyro);
		const accelLsb = ACCEL_LSB[(this.regs[Register.ACCEL_CONFIG] >> FS_SHIFT) & 3];
		const gyroLsb = GYRO_LSB[(this.regs[Register.GYRO_CONFIG] >> FS_SHIFT) & 3];
		const r = this.regs;
		for (let i = 0; i < 3; i++) {
			put16(r, Register.ACCEL_XOUT_H + 2 * i, int16(v[i] * accelLsb));
			put16(r, Register.GYRO_XOUT_H + 2 * i, int16(v[3 + i] * gyroLsb));
		}
		put16(r, Register.TEMP_OUT_H, int16((this.#temperature - TEMP_OFFSET_C) * TEMP_LSB_PER_C));
		if (r[Register.INT_ENABLE] & Interrupt.DATA_RDY) r[Register.INT_STATUS] |= Interrupt.DATA_RDY;
		if (!(r[Register.USER_CTRL] & UserCtrl.FIFO_EN)) return;
		const enabled = r[Register.FIFO_EN];
		// register order: ACCEL_XOUT_H … TEMP_OUT … GYRO_ZOUT_L (RM §4.7)
		if (enabled & FifoEnable.ACCEL) for (let i = 0; i < 6; i++) this.#push(r[Register.ACCEL_XOUT_H + i]);
		if (enabled & FifoEnable.TEMP) for (let i = 0; i < 2; i++) this.#push(r[Register.TEMP_OUT_H + i]);
		const gyroBits = [FifoEnable.XG, FifoEnable.YG, FifoEnable.ZG];
		for (let axis = 0; axis < 3; axis++)
			if (enabled & gyroBits[axis]) for (let i = 0; i < 2; i++) this.#push(r[Register.GYRO_XOUT_H + 2 * axis + i]);
	}

	#push(byte: number): void {
		if (this.#count === FIFO_BYTES) {
			this.#head = (this.#head + 1) % FIFO_BYTES; // the oldest byte is lost
			this.#count--;
			this.#overflow();
		}
		this.#fifo[(this.#head + this.#count) % FIFO_BYTES] = byte;
		this.#count++;
	}

	#overflow(): void {
		if (this.regs[Register.INT_ENABLE] & Interrupt.FIFO_OFLOW) this.regs[Register.INT_STATUS] |= Interrupt.FIFO_OFLOW;
	}
}

function int16(value: number): number {
	return Math.max(-32768, Math.min(32767, Math.round(value)));
}

function put16(regs: Uint8Array, at: number, value: number): void {
	regs[at] = (value >> 8) & 0xff;
	regs[at + 1] = value & 0xff;
}
