import { test, ok, equal, close, deepEqual, throws } from "test/harness";
import { rig, drain } from "sim/devices/bench";
import MAX30102 from "drivers/max30102";
import { Register } from "drivers/max30102.regs";
import { Max30102Model } from "sim/devices/max30102";
import { Mpu6050Model } from "sim/devices/mpu6050";
import { StillMotion, type PpgSource } from "sim/devices/sources";

/** red = 1000 + t/10 counts (order visible), ir = 2·red. Values fit 15 bits so every resolution is exact up to truncation. */
class Ramp implements PpgSource {
	sample(t: number, out: Uint32Array): void {
		out[0] = 1000 + Math.round(t / 10);
		out[1] = 2 * out[0];
	}
}

function setup(ppg: PpgSource = new Ramp(), temperature = 31.5) {
	const r = rig();
	const model = new Max30102Model({ clock: r.clock, ppg, temperature });
	r.bus.attach(model);
	const make = (options: object = {}) => new MAX30102({ sensor: r.sensor, onError: r.onError, ...options });
	return { r, model, make };
}

test("rejects-wrong-part-id-and-absent-chip", () => {
	const r = rig();
	throws(() => new MAX30102({ sensor: r.sensor }), Error, /max30102: identity/);
	r.bus.attach(new Mpu6050Model({ clock: r.clock, motion: new StillMotion(), address: 0x57, poweredUp: true }));
	const error = throws(() => new MAX30102({ sensor: r.sensor }), Error, /identity/);
	ok(/PART_ID 0x0/.test((error.cause as Error).message));
});

test("rejects-max30100-part-id", () => {
	const r = rig();
	r.bus.attach(new Max30102Model({ clock: r.clock, ppg: new Ramp(), partId: 0x11 }));
	throws(() => new MAX30102({ sensor: r.sensor }), Error, /identity/);
});

test("rejects-bad-options", () => {
	const { make } = setup();
	throws(() => make({ mode: "multi" }), RangeError, /mode/);
	throws(() => make({ pulseWidth: 100 }), RangeError, /pulseWidth/);
	throws(() => make({ ledCurrent: { red: 52 } }), RangeError, /ledCurrent/);
	throws(() => make({ sampleAverage: 3 }), RangeError, /sampleAverage/);
	throws(() => make({ sampleRate: 800, pulseWidth: 411 }), RangeError, /sampleRate/, "SpO2: 411 µs allows up to 400 sps");
	make({ sampleRate: 400, pulseWidth: 411 }).close();
});

test("writes-registers-per-datasheet", () => {
	const { make, model } = setup();
	const sensor = make({ mode: "spo2", sampleRate: 100, pulseWidth: 411, adcRange: 4096, sampleAverage: 4, ledCurrent: { red: 7, ir: 51 } });
	equal(model.register(Register.MODE_CONFIG), 0b011, "SpO2 mode");
	equal(model.register(Register.SPO2_CONFIG), 0b0_01_001_11, "range 4096 nA, 100 sps, 411 µs");
	equal(model.register(Register.FIFO_CONFIG), 0b010_0_0000, "SMP_AVE 4, no rollover, A_FULL at 0 free");
	equal(model.register(Register.LED1_PA), 35, "7 mA / 0.2 mA");
	equal(model.register(Register.LED2_PA), 0xff, "51 mA");
	equal(model.register(Register.INT_ENABLE_1), 0b1010_0000, "A_FULL and ALC_OVF");
	equal(model.register(Register.INT_ENABLE_2), 0b10, "DIE_TEMP_RDY");
	equal(sensor.outputRate, 25);
	sensor.close();
	equal(model.register(Register.MODE_CONFIG) & 0x80, 0x80, "close shuts the LEDs down");
});

test("fifo-drains-18-bit-red-ir-in-order", () => {
	const { r, make } = setup();
	const sensor = make({ sampleRate: 100 });
	r.clock.advance(300);
	const s = sensor.sample();
	equal(s.ppg.count, 30);
	for (let i = 1; i < 30; i++) equal(s.ppg.red[i] - s.ppg.red[i - 1], 1, "10 ms apart");
	for (let i = 0; i < 30; i++) equal(s.ppg.ir[i], 2 * s.ppg.red[i]);
	equal(s.ppg.lost, 0);
	deepEqual(drain(r), []);
	equal(sensor.sample().ppg.count, 0);
	sensor.close();
});

test("pointers-wrap-around-32", () => {
	const { r, make, model } = setup();
	const sensor = make({ sampleRate: 100 });
	let total = 0, last = 0;
	for (let round = 0; round < 5; round++) {
		r.clock.advance(250);
		const s = sensor.sample();
		equal(s.ppg.count, 25);
		if (last) equal(s.ppg.red[0] - last, 1, "continuous across calls");
		last = s.ppg.red[s.ppg.count - 1];
		total += s.ppg.count;
	}
	equal(total, 125);
	equal(model.register(Register.FIFO_WR_PTR), 125 % 32);
	equal(model.register(Register.FIFO_RD_PTR), 125 % 32);
	deepEqual(drain(r), []);
	sensor.close();
});

test("exactly-full-fifo-is-not-empty", () => {
	const { r, make } = setup();
	const sensor = make({ sampleRate: 100 });
	r.clock.advance(320); // 32 samples: write pointer == read pointer
	equal(sensor.sample().ppg.count, 32, "A_FULL tells full from empty");
	deepEqual(drain(r), []);
	sensor.close();
});

test("overflow-delivers-32-and-counts-lost", () => {
	const { r, make } = setup();
	const sensor = make({ sampleRate: 100 });
	r.clock.advance(500);
	let s = sensor.sample();
	equal(s.ppg.count, 32);
	equal(s.ppg.lost, 18);
	deepEqual(drain(r), ["fifo-overflow"]);
	r.clock.advance(2_000);
	s = sensor.sample();
	equal(s.ppg.lost, 31, "OVF_COUNTER saturates at 0x1F");
	deepEqual(drain(r), ["fifo-overflow"]);
	r.clock.advance(100);
	s = sensor.sample();
	equal(s.ppg.count, 10, "reading popped samples, counter cleared");
	equal(s.ppg.lost, 0);
	deepEqual(drain(r), []);
	sensor.close();
});

test("resolution-follows-pulse-width", () => {
	for (const [width, bits] of [[69, 15], [118, 16], [215, 17], [411, 18]]) {
		const { r, make } = setup({ sample: (_t, out) => { out[0] = 0x2ffff; out[1] = 0x12345; } });
		const sensor = make({ pulseWidth: width, sampleRate: 100 });
		r.clock.advance(50);
		const s = sensor.sample();
		const mask = 0x3ffff & ~((1 << (18 - bits)) - 1); // left-justified (datasheet "FIFO Data")
		equal(s.ppg.red[0], 0x2ffff & mask, `${width} µs: ${bits} bits`);
		equal(s.ppg.ir[0], 0x12345 & mask);
		sensor.close();
	}
});

test("hr-mode-is-red-only", () => {
	const { r, make, model } = setup();
	const sensor = make({ mode: "hr", sampleRate: 800, pulseWidth: 411 }); // HR mode allows more than SpO2 (Table 12)
	equal(model.register(Register.MODE_CONFIG), 0b010);
	r.clock.advance(30);
	const s = sensor.sample();
	equal(s.ppg.count, 24);
	close(s.ppg.red[23] - s.ppg.red[0], 2.875, 0.5, "23 steps of 1.25 ms at 0.1 count/ms");
	equal(s.ppg.ir[0], 0);
	sensor.close();
});

test("averaging-and-led-current-scale-output", () => {
	const flat: PpgSource = { sample: (_t, out) => { out[0] = 50_000; out[1] = 60_000; } };
	const { r, make } = setup(flat);
	const sensor = make({ sampleRate: 400, sampleAverage: 4, ledCurrent: { red: 14, ir: 7 } });
	equal(sensor.outputRate, 100);
	r.clock.advance(100);
	const s = sensor.sample();
	equal(s.ppg.count, 10);
	equal(s.ppg.red[0], 100_000, "twice the reference current, twice the counts");
	equal(s.ppg.ir[0], 60_000);
	sensor.close();
});

test("die-temperature-tint-plus-tfrac", () => {
	for (const t of [31.5, -5.25]) {
		const { r, make } = setup(new Ramp(), t);
		const sensor = make();
		r.clock.advance(10);
		equal(sensor.sample().thermometer.temperature, undefined, "29 ms conversion");
		r.clock.advance(30);
		equal(sensor.sample().thermometer.temperature, t, "TINT + 0.0625·TFRAC");
		r.clock.advance(30);
		equal(sensor.sample().thermometer.temperature, t, "re-triggered each call");
		sensor.close();
	}
});

test("ambient-light-overflow-is-implausible", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("implausible");
	r.clock.advance(100);
	equal(sensor.sample().ppg.count, 0);
	deepEqual(drain(r), ["implausible"]);
	model.fault("implausible", false);
	r.clock.advance(100);
	equal(sensor.sample().ppg.count, 10);
	deepEqual(drain(r), []);
	sensor.close();
});

test("fifo-overflow-fault", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("fifo-overflow");
	r.clock.advance(50);
	const s = sensor.sample();
	equal(s.ppg.count, 32);
	ok(s.ppg.lost >= 1);
	deepEqual(drain(r), ["fifo-overflow"]);
	model.fault("fifo-overflow", false);
	sensor.close();
});

test("nack-stuck-then-recovery", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("nack");
	r.clock.advance(100);
	sensor.sample();
	model.fault("nack", false);
	r.bus.stuck = true;
	sensor.sample();
	deepEqual(drain(r), ["bus", "bus"]);
	r.bus.stuck = false;
	sensor.sample(); // re-initialises: FIFO cleared
	r.clock.advance(100);
	equal(sensor.sample().ppg.count, 10);
	deepEqual(drain(r), []);
	sensor.close();
});

test("replug-reports-reset-and-reconfigures", () => {
	const { r, make, model } = setup();
	const sensor = make({ ledCurrent: { red: 10, ir: 10 } });
	r.clock.advance(100);
	equal(sensor.sample().ppg.count, 10);
	r.bus.detach(model.address);
	r.bus.replug(model);
	r.clock.advance(100);
	equal(sensor.sample().ppg.count, 0);
	deepEqual(drain(r), ["reset"], "PWR_RDY after a power cycle");
	equal(model.register(Register.LED1_PA), 50);
	r.clock.advance(100);
	equal(sensor.sample().ppg.count, 10);
	sensor.close();
});

test("result-arrays-are-reused", () => {
	const { r, make } = setup();
	const sensor = make();
	r.clock.advance(100);
	const a = sensor.sample();
	const red = a.ppg.red;
	r.clock.advance(100);
	const b = sensor.sample();
	ok(a === b && b.ppg.red === red && red.length === 32);
	sensor.close();
});

test("close-twice-then-sample-throws", () => {
	const { make } = setup();
	const sensor = make();
	sensor.close();
	sensor.close();
	throws(() => sensor.sample(), Error, /closed/);
});
