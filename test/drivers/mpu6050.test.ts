import { test, ok, equal, close, deepEqual, throws } from "test/harness";
import { rig, drain } from "sim/devices/bench";
import MPU6050, { FIFO_CAPACITY } from "drivers/mpu6050";
import { Register } from "drivers/mpu6050.regs";
import { Mpu6050Model } from "sim/devices/mpu6050";
import { Bme280Model } from "sim/devices/bme280";
import { MutableAmbient, type MotionSource } from "sim/devices/sources";

const G = 9.80665;

/** Constant acceleration; gyro x ramps 0.1 °/s per ms so sample order is visible. */
class Ramp implements MotionSource {
	ax = 0.5;
	gx0 = 0;
	sample(t: number, out: Float32Array): void {
		out[0] = this.ax;
		out[1] = -0.25;
		out[2] = 1;
		out[3] = this.gx0 + (t % 10_000) / 10;
		out[4] = -20;
		out[5] = 3.5;
	}
}

function setup(motion: MotionSource = new Ramp(), extra: object = {}) {
	const r = rig();
	const model = new Mpu6050Model({ clock: r.clock, motion, poweredUp: true, temperature: 30, ...extra });
	r.bus.attach(model);
	const make = (options: object = {}) => new MPU6050({ sensor: r.sensor, onError: r.onError, ...options });
	return { r, model, make };
}

function reg16(model: Mpu6050Model, at: number): number {
	return ((model.register(at) << 24) >> 16) | model.register(at + 1);
}

test("rejects-wrong-who-am-i-and-absent-chip", () => {
	const r = rig();
	throws(() => new MPU6050({ sensor: r.sensor }), Error, /mpu6050: identity/);
	r.bus.attach(new Bme280Model({ clock: r.clock, ambient: new MutableAmbient(), address: 0x68 }));
	const error = throws(() => new MPU6050({ sensor: r.sensor }), Error, /identity/);
	ok(/WHO_AM_I 0x0/.test((error.cause as Error).message));
});

test("rejects-mpu6500-who-am-i", () => {
	const r = rig();
	r.bus.attach(new Mpu6050Model({ clock: r.clock, motion: new Ramp(), poweredUp: true, whoAmI: 0x70 }));
	throws(() => new MPU6050({ sensor: r.sensor }), Error, /identity/);
});

test("rejects-bad-options", () => {
	const { make } = setup();
	throws(() => make({ sampleRate: 33 }), RangeError, /sampleRate/);
	throws(() => make({ sampleRate: 2000 }), RangeError, /sampleRate/);
	throws(() => make({ accelerometerRange: 3 }), RangeError, /accelerometerRange/);
	throws(() => make({ gyroscopeRange: 300 }), RangeError, /gyroscopeRange/);
	throws(() => make({ lowPass: 50 }), RangeError, /lowPass/);
});

test("writes-registers-per-register-map", () => {
	const { make, model } = setup();
	const sensor = make({ sampleRate: 50, lowPass: 20, gyroscopeRange: 2000, accelerometerRange: 8 });
	equal(model.register(Register.PWR_MGMT_1), 0x01, "awake, PLL with X gyro reference");
	equal(model.register(Register.SMPLRT_DIV), 19, "1 kHz / (1 + 19) = 50 Hz");
	equal(model.register(Register.CONFIG), 4, "DLPF_CFG 4: 20 Hz gyro bandwidth");
	equal(model.register(Register.GYRO_CONFIG), 0b11 << 3, "FS_SEL 3: ±2000 °/s");
	equal(model.register(Register.ACCEL_CONFIG), 0b10 << 3, "AFS_SEL 2: ±8 g");
	equal(model.register(Register.FIFO_EN), 0b0111_1000, "XG YG ZG ACCEL");
	equal(model.register(Register.USER_CTRL), 0b0100_0000, "FIFO_EN");
	equal(model.register(Register.INT_ENABLE), 0b0001_0000, "FIFO_OFLOW_EN");
	sensor.close();
});

test("sensitivity-tables-match-product-spec", () => {
	const { r, make, model } = setup();
	const sensor = make();
	// PS §6.2: 16384, 8192, 4096, 2048 LSB/g; PS §6.1: 131, 65.5, 32.8, 16.4 LSB/(°/s)
	const accel: [2 | 4 | 8 | 16, number][] = [[2, 16384], [4, 8192], [8, 4096], [16, 2048]];
	const gyro: [250 | 500 | 1000 | 2000, number][] = [[250, 131], [500, 65.5], [1000, 32.8], [2000, 16.4]];
	for (let i = 0; i < 4; i++) {
		sensor.configure({ accelerometerRange: accel[i][0], gyroscopeRange: gyro[i][0] });
		r.clock.advance(20);
		const s = sensor.sample();
		equal(reg16(model, Register.ACCEL_XOUT_H), Math.round(0.5 * accel[i][1]), `±${accel[i][0]} g`);
		equal(reg16(model, Register.GYRO_XOUT_H + 4), Math.round(3.5 * gyro[i][1]), `±${gyro[i][0]} °/s`);
		close(s.accelerometer.x!, 0.5 * G, 1e-5);
		close(s.accelerometer.y!, -0.25 * G, 1e-5);
		close(s.gyroscope.y!, -20, 0.5 / gyro[i][1] + 1e-5, "half an LSB");
		close(s.gyroscope.z!, 3.5, 0.5 / gyro[i][1] + 1e-5, "half an LSB");
	}
	sensor.close();
});

test("fifo-drains-every-sample-in-order", () => {
	const { r, make } = setup();
	const sensor = make({ sampleRate: 100, gyroscopeRange: 1000 });
	r.clock.advance(500);
	const s = sensor.sample();
	equal(s.fifo.count, 50);
	for (let i = 1; i < s.fifo.count; i++)
		close(s.fifo.gyroscope[3 * i] - s.fifo.gyroscope[3 * (i - 1)], 1, 0.05, "10 ms apart: +1 °/s");
	close(s.gyroscope.x!, s.fifo.gyroscope[3 * 49], 0, "newest sample mirrored");
	close(s.fifo.accelerometer[2], G, 1e-4);
	deepEqual(drain(r), []);
	equal(sensor.sample().fifo.count, 0, "nothing new");
	sensor.close();
});

test("fifo-count-follows-rate", () => {
	for (const rate of [25, 50, 100]) {
		const { r, make } = setup();
		const sensor = make({ sampleRate: rate });
		let total = 0;
		for (let i = 0; i < 4; i++) {
			r.clock.advance(250);
			total += sensor.sample().fifo.count;
		}
		equal(total, rate, `${rate} Hz over 1 s`);
		equal(sensor.sampleRate, rate);
		sensor.close();
	}
});

test("fifo-holds-85-samples-then-overflows-and-recovers", () => {
	const { r, make } = setup();
	const sensor = make({ sampleRate: 100 });
	equal(FIFO_CAPACITY, 85, "1024 / 12");
	r.clock.advance(850);
	equal(sensor.sample().fifo.count, 85);
	deepEqual(drain(r), []);
	r.clock.advance(1_000);
	const s = sensor.sample();
	equal(s.fifo.count, 0);
	deepEqual(drain(r), ["fifo-overflow"]);
	r.clock.advance(200);
	equal(sensor.sample().fifo.count, 20, "FIFO reset: fresh, aligned samples");
	deepEqual(drain(r), []);
	sensor.close();
});

test("fifo-overflow-fault-is-reported", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("fifo-overflow");
	r.clock.advance(100);
	equal(sensor.sample().fifo.count, 0);
	deepEqual(drain(r), ["fifo-overflow"]);
	model.fault("fifo-overflow", false);
	r.clock.advance(100);
	equal(sensor.sample().fifo.count, 10);
	sensor.close();
});

test("implausible-fifo-count-resets-fifo", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("implausible");
	r.clock.advance(100);
	equal(sensor.sample().fifo.count, 0);
	deepEqual(drain(r), ["implausible"]);
	model.fault("implausible", false);
	r.clock.advance(100);
	equal(sensor.sample().fifo.count, 10);
	throws(() => model.fault("crc"), RangeError);
	sensor.close();
});

test("die-temperature-per-register-map", () => {
	const { r, make } = setup();
	const sensor = make();
	r.clock.advance(20);
	close(sensor.sample().thermometer.temperature!, 30, 1 / 340); // T = TEMP_OUT/340 + 36.53
	sensor.close();
});

test("nack-and-stuck-bus-then-recovery", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("nack");
	r.clock.advance(100);
	equal(sensor.sample().fifo.count, 0);
	r.bus.stuck = true;
	model.fault("nack", false);
	sensor.sample();
	deepEqual(drain(r), ["bus", "bus"]);
	r.bus.stuck = false;
	sensor.sample(); // re-initialises, FIFO restarted
	r.clock.advance(300);
	equal(sensor.sample().fifo.count, 30);
	deepEqual(drain(r), []);
	sensor.close();
});

test("replug-is-reinitialised", () => {
	const { r, make, model } = setup();
	const sensor = make({ sampleRate: 50, accelerometerRange: 4 });
	r.clock.advance(200);
	equal(sensor.sample().fifo.count, 10);
	r.bus.detach(model.address);
	r.clock.advance(100);
	sensor.sample();
	deepEqual(drain(r), ["bus"]);
	r.bus.replug(model); // power-on state: asleep, no ACK for 100 ms
	r.clock.advance(50);
	sensor.sample();
	deepEqual(drain(r), ["bus"], "start-up time");
	r.clock.advance(60);
	sensor.sample();
	deepEqual(drain(r), [], "re-initialised");
	equal(model.register(Register.ACCEL_CONFIG), 1 << 3);
	r.clock.advance(200);
	equal(sensor.sample().fifo.count, 10);
	sensor.close();
});

test("reset-between-samples-reports-reset", () => {
	const { r, make, model } = setup();
	const sensor = make();
	r.clock.advance(100);
	sensor.sample();
	model.powerOnReset();
	r.clock.advance(150);
	sensor.sample();
	deepEqual(drain(r), ["reset"]);
	r.clock.advance(100);
	equal(sensor.sample().fifo.count, 10);
	sensor.close();
});

test("result-and-arrays-are-reused", () => {
	const { r, make } = setup();
	const sensor = make();
	r.clock.advance(100);
	const a = sensor.sample();
	const arrays = [a.fifo.accelerometer, a.fifo.gyroscope];
	r.clock.advance(100);
	const b = sensor.sample();
	ok(a === b && b.fifo.accelerometer === arrays[0] && b.fifo.gyroscope === arrays[1]);
	equal(b.fifo.accelerometer.length, 3 * FIFO_CAPACITY);
	sensor.close();
});

test("close-twice-then-sample-throws", () => {
	const { make } = setup();
	const sensor = make();
	sensor.close();
	sensor.close();
	throws(() => sensor.sample(), Error, /closed/);
});
