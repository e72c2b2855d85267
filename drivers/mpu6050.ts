/*
 * InvenSense MPU-6050 accelerometer + gyroscope driver with FIFO batching, ECMA-419 Sensor Class
 * Pattern. Register map, scales and limits: drivers/mpu6050.regs.ts.
 *
 * The chip samples at `sampleRate` into its 1024-byte FIFO (accelerometer and gyroscope, 12 bytes a
 * sample, RM §4.7). Each sample() drains it: `fifo.count` samples, interleaved x,y,z, in the
 * preallocated `fifo.accelerometer` (m/s²) and `fifo.gyroscope` (°/s) arrays; `accelerometer` and
 * `gyroscope` hold the newest. At most 85 samples fit, so call sample() at least every
 * 85 / sampleRate s (850 ms at 100 Hz). On overflow (INT_STATUS.FIFO_OFLOW, RM §4.16) the FIFO's
 * frame alignment is lost: the driver reports "fifo-overflow", resets the FIFO and returns no samples.
 */
import type { I2CSensorOptions } from "drivers/io";
import { SensorError, identityError, optionError, closedError, type OnError } from "drivers/errors";
import { RegisterBus } from "drivers/register-bus";
import {
	Address, Register, WHO_AM_I_VALUE, WHO_AM_I_MASK, FifoEnable, Interrupt, UserCtrl, PowerManagement, LowPass,
	GYRO_OUTPUT_RATE_HZ, AccelRange, GyroRange, FS_SHIFT, TEMP_LSB_PER_C, TEMP_OFFSET_C, FIFO_BYTES, FRAME_BYTES,
	STANDARD_GRAVITY, type Mpu6050AccelRange, type Mpu6050GyroRange, type Mpu6050LowPass,
} from "drivers/mpu6050.regs";

const CHIP = "mpu6050";
const DEFAULT_HZ = 400_000;
/** Whole samples the FIFO holds. */
export const FIFO_CAPACITY = Math.floor(FIFO_BYTES / FRAME_BYTES);
/** INT_STATUS (0x3A) through TEMP_OUT_L (0x42) in one burst. */
const STATUS_BLOCK = 9, AT_TEMP = 7;

export interface Mpu6050Configuration {
	/** Full scale, g (RM §4.5). */
	readonly accelerometerRange?: Mpu6050AccelRange;
	/** Full scale, °/s (RM §4.4). */
	readonly gyroscopeRange?: Mpu6050GyroRange;
	/** Output data rate, Hz; must divide 1000 (RM §4.2: 1 kHz / (1 + SMPLRT_DIV)), 4…1000. */
	readonly sampleRate?: number;
	/** Digital low-pass bandwidth, Hz (RM §4.3). Keep it below sampleRate / 2. */
	readonly lowPass?: Mpu6050LowPass;
}

export interface Mpu6050Options extends Mpu6050Configuration {
	readonly sensor: I2CSensorOptions;
	readonly onError?: OnError;
}

export interface Mpu6050Sample {
	/** Newest sample, m/s². */
	readonly accelerometer: { x: number | undefined; y: number | undefined; z: number | undefined };
	/** Newest sample, °/s. */
	readonly gyroscope: { x: number | undefined; y: number | undefined; z: number | undefined };
	/** Die temperature, °C. */
	readonly thermometer: { temperature: number | undefined };
	/** Everything since the previous sample(), oldest first, interleaved x,y,z. */
	readonly fifo: { count: number; readonly accelerometer: Float32Array; readonly gyroscope: Float32Array };
}

export default class MPU6050 {
	#bus: RegisterBus | undefined;
	readonly #onError: OnError | undefined;
	readonly #raw = new Uint8Array(FIFO_CAPACITY * FRAME_BYTES);
	/** Views of #raw for every whole-frame length, made once so sample() slices nothing. */
	readonly #views: Uint8Array[] = [];
	readonly #status = new Uint8Array(STATUS_BLOCK);
	readonly #pair = new Uint8Array(2);
	readonly #result: Mpu6050Sample = {
		accelerometer: { x: undefined, y: undefined, z: undefined },
		gyroscope: { x: undefined, y: undefined, z: undefined },
		thermometer: { temperature: undefined },
		fifo: { count: 0, accelerometer: new Float32Array(3 * FIFO_CAPACITY), gyroscope: new Float32Array(3 * FIFO_CAPACITY) },
	};
	#accelRange: Mpu6050AccelRange = 2;
	#gyroRange: Mpu6050GyroRange = 250;
	#sampleRate = 100;
	#lowPass: Mpu6050LowPass = 42;
	#needsInit = false;

	constructor(options: Mpu6050Options) {
		const sensor = options?.sensor;
		if (typeof sensor?.io !== "function") throw optionError(CHIP, "sensor");
		this.#check(options);
		this.#onError = options.onError;
		for (let n = 0; n <= FIFO_CAPACITY; n++) this.#views.push(this.#raw.subarray(0, n * FRAME_BYTES));
		const bus = new RegisterBus(new sensor.io({ address: Address.AD0_LOW, hz: DEFAULT_HZ, ...sensor }));
		try {
			const id = bus.readUint8(Register.WHO_AM_I);
			if ((id & WHO_AM_I_MASK) !== WHO_AM_I_VALUE) throw new Error(`WHO_AM_I 0x${id.toString(16)}`);
			this.#write(bus);
		} catch (error) {
			bus.close();
			throw identityError(CHIP, error);
		}
		this.#bus = bus;
	}

	get sampleRate(): number {
		return this.#sampleRate;
	}

	/** Applies new settings and restarts the FIFO (its contents were scaled for the old ranges). */
	configure(options: Mpu6050Configuration): void {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		this.#check(options);
		this.#rewrite(bus);
	}

	sample(): Mpu6050Sample {
		const bus = this.#bus;
		if (!bus) throw closedError(CHIP);
		const r = this.#result;
		this.#clear(r);
		try {
			if (this.#needsInit) {
				const id = bus.readUint8(Register.WHO_AM_I);
				if ((id & WHO_AM_I_MASK) !== WHO_AM_I_VALUE) {
					this.#onError?.(SensorError.identity);
					return r;
				}
				this.#write(bus);
				this.#needsInit = false;
				return r;
			}
			bus.read(Register.INT_STATUS, this.#status); // reading clears INT_STATUS (RM §4.16)
			bus.read(Register.USER_CTRL, this.#pair);
		} catch {
			return this.#fault(r);
		}
		if (!(this.#pair[0] & UserCtrl.FIFO_EN) || this.#pair[1] & PowerManagement.SLEEP) {
			this.#onError?.(SensorError.reset); // power-on defaults: asleep, FIFO off
			this.#rewrite(bus);
			return r;
		}
		const t = this.#status;
		r.thermometer.temperature = (((t[AT_TEMP] << 24) >> 16) | t[AT_TEMP + 1]) / TEMP_LSB_PER_C + TEMP_OFFSET_C;
		if (t[0] & Interrupt.FIFO_OFLOW) {
			this.#onError?.(SensorError.fifoOverflow);
			this.#restartFifo(bus);
			return r;
		}
		let frames: number;
		try {
			bus.read(Register.FIFO_COUNT_H, this.#pair);
			const bytes = (this.#pair[0] << 8) | this.#pair[1];
			if (bytes > FIFO_BYTES) {
				this.#onError?.(SensorError.implausible);
				this.#restartFifo(bus);
				return r;
			}
			frames = Math.min(FIFO_CAPACITY, Math.floor(bytes / FRAME_BYTES));
			if (frames) bus.read(Register.FIFO_R_W, this.#views[frames]);
		} catch {
			return this.#fault(r);
		}
		this.#decode(frames, r);
		return r;
	}

	close(): void {
		this.#bus?.close();
		this.#bus = undefined;
	}

	#check(options: Mpu6050Configuration): void {
		const { accelerometerRange: a, gyroscopeRange: g, sampleRate: rate, lowPass } = options;
		if (a !== undefined && !Object.hasOwn(AccelRange, a)) throw optionError(CHIP, "accelerometerRange");
		if (g !== undefined && !Object.hasOwn(GyroRange, g)) throw optionError(CHIP, "gyroscopeRange");
		if (rate !== undefined && !(Number.isInteger(GYRO_OUTPUT_RATE_HZ / rate) && rate >= 4 && rate <= GYRO_OUTPUT_RATE_HZ))
			throw optionError(CHIP, "sampleRate");
		if (lowPass !== undefined && !Object.hasOwn(LowPass, lowPass)) throw optionError(CHIP, "lowPass");
		if (a !== undefined) this.#accelRange = a;
		if (g !== undefined) this.#gyroRange = g;
		if (rate !== undefined) this.#sampleRate = rate;
		if (lowPass !== undefined) this.#lowPass = lowPass;
	}

	/** Wake on the gyro PLL, set rate, filter and ranges, enable and reset the FIFO (RM §4.2-4.7, 4.26, 4.28). */
	#write(bus: RegisterBus): void {
		bus.writeUint8(Register.PWR_MGMT_1, PowerManagement.CLKSEL_PLL_XGYRO);
		bus.writeUint8(Register.USER_CTRL, 0);
		bus.writeUint8(Register.SMPLRT_DIV, GYRO_OUTPUT_RATE_HZ / this.#sampleRate - 1);
		bus.writeUint8(Register.CONFIG, LowPass[this.#lowPass]);
		bus.writeUint8(Register.GYRO_CONFIG, GyroRange[this.#gyroRange].code << FS_SHIFT);
		bus.writeUint8(Register.ACCEL_CONFIG, AccelRange[this.#accelRange].code << FS_SHIFT);
		bus.writeUint8(Register.INT_ENABLE, Interrupt.FIFO_OFLOW);
		bus.writeUint8(Register.FIFO_EN, FifoEnable.ACCEL | FifoEnable.XG | FifoEnable.YG | FifoEnable.ZG);
		bus.writeUint8(Register.USER_CTRL, UserCtrl.FIFO_EN | UserCtrl.FIFO_RESET);
		bus.readUint8(Register.INT_STATUS); // drop flags raised before the reset
	}

	#rewrite(bus: RegisterBus): void {
		try {
			this.#write(bus);
		} catch {
			this.#needsInit = true;
			this.#onError?.(SensorError.bus);
		}
	}

	#restartFifo(bus: RegisterBus): void {
		try {
			bus.writeUint8(Register.USER_CTRL, UserCtrl.FIFO_EN | UserCtrl.FIFO_RESET);
			bus.readUint8(Register.INT_STATUS);
		} catch {
			this.#needsInit = true;
			this.#onError?.(SensorError.bus);
		}
	}

	#fault(r: Mpu6050Sample): Mpu6050Sample {
		this.#needsInit = true;
		this.#onError?.(SensorError.bus);
		return r;
	}

	#clear(r: Mpu6050Sample): void {
		r.fifo.count = 0;
		r.accelerometer.x = r.accelerometer.y = r.accelerometer.z = undefined;
		r.gyroscope.x = r.gyroscope.y = r.gyroscope.z = undefined;
		r.thermometer.temperature = undefined;
	}

	/** Big-endian int16 records: ax ay az gx gy gz (register order, RM §4.7). */
	#decode(frames: number, r: Mpu6050Sample): void {
		const raw = this.#raw, acc = r.fifo.accelerometer, gyr = r.fifo.gyroscope;
		const accelScale = STANDARD_GRAVITY / AccelRange[this.#accelRange].lsbPerG;
		const gyroScale = 1 / GyroRange[this.#gyroRange].lsbPerDps;
		for (let f = 0; f < frames; f++) {
			const o = f * FRAME_BYTES;
			for (let axis = 0; axis < 3; axis++) {
				acc[3 * f + axis] = (((raw[o + 2 * axis] << 24) >> 16) | raw[o + 2 * axis + 1]) * accelScale;
				gyr[3 * f + axis] = (((raw[o + 6 + 2 * axis] << 24) >> 16) | raw[o + 7 + 2 * axis]) * gyroScale;
			}
		}
		r.fifo.count = frames;
		if (!frames) return;
		const last = 3 * (frames - 1);
		r.accelerometer.x = acc[last];
		r.accelerometer.y = acc[last + 1];
		r.accelerometer.z = acc[last + 2];
		r.gyroscope.x = gyr[last];
		r.gyroscope.y = gyr[last + 1];
		r.gyroscope.z = gyr[last + 2];
	}
}

Object.freeze(MPU6050.prototype);
