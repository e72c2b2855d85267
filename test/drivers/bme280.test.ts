import { test, ok, equal, close, deepEqual, throws } from "test/harness";
import { rig, drain } from "sim/devices/bench";
import BME280 from "drivers/bme280";
import { Bme280Compensator, decodeCalibration, emptyCalibration, type Bme280Calibration } from "drivers/bme280-compensation";
import { Register } from "drivers/bme280.regs";
import { Bme280Model, EXAMPLE_CALIBRATION, encodeCalibration } from "sim/devices/bme280";
import { MutableAmbient } from "sim/devices/sources";

/* Datasheet worked example (Bosch BMP280 datasheet §3.12; same T/P formulas as the BME280):
 * adc_T = 519888 → t_fine = 128422, T = 25.08 °C; adc_P = 415148 → p = 100653.27 Pa. */
const EX_ADC_T = 519888, EX_ADC_P = 415148, EX_T_FINE = 128422, EX_P_PA = 100653.27;
/** The 32-bit pressure form (§8.2) agrees with the exact forms to within this, Pa. */
const P32_TOLERANCE_PA = 6;

function setup(ambient = new MutableAmbient(22, 48, 98_500), options: object = {}) {
	const r = rig();
	const model = new Bme280Model({ clock: r.clock, ambient, ...options });
	r.bus.attach(model);
	const make = (extra: object = {}) => new BME280({ sensor: r.sensor, onError: r.onError, ...extra });
	return { r, model, ambient, make };
}

/** Humidity by the datasheet's double-precision formula (§8.1), evaluated here by hand. */
function humidityByFormula(c: Bme280Calibration, tFine: number, adcH: number): number {
	let h = tFine - 76800.0;
	h = (adcH - (c.H4 * 64.0 + (c.H5 / 16384.0) * h)) *
		((c.H2 / 65536.0) * (1.0 + (c.H6 / 67108864.0) * h * (1.0 + (c.H3 / 67108864.0) * h)));
	h = h * (1.0 - (c.H1 * h) / 524288.0);
	return Math.min(100, Math.max(0, h));
}

test("compensation-matches-datasheet-example", () => {
	const comp = new Bme280Compensator({ ...EXAMPLE_CALIBRATION });
	equal(comp.temperature(EX_ADC_T), 2508, "25.08 °C in 0.01 °C");
	equal(comp.tFine, EX_T_FINE);
	close(comp.pressure(EX_ADC_P), EX_P_PA, P32_TOLERANCE_PA);
});

test("humidity-matches-double-formula", () => {
	const cal = { ...EXAMPLE_CALIBRATION };
	const comp = new Bme280Compensator(cal);
	comp.temperature(EX_ADC_T);
	for (const adcH of [20000, 26000, 30000, 36000, 42000]) {
		const expected = humidityByFormula(cal, EX_T_FINE, adcH);
		close(comp.humidity(adcH) / 1024, expected, 0.01, `adc_H ${adcH}`);
	}
});

test("calibration-decodes-signed-12-bit-h4-h5", () => {
	const values: Bme280Calibration = { ...EXAMPLE_CALIBRATION, H2: -300, H4: -5, H5: -1234, H6: -30 };
	const regs = new Uint8Array(256);
	encodeCalibration(values, regs);
	const cal = emptyCalibration();
	decodeCalibration(regs.subarray(0x88, 0x88 + 26), regs.subarray(0xe1, 0xe1 + 7), cal);
	deepEqual(cal, values);
});

test("rejects-bmp280-and-absent-chip", () => {
	const r = rig();
	throws(() => new BME280({ sensor: r.sensor }), Error, /bme280: identity/);
	r.bus.attach(new Bme280Model({ clock: r.clock, ambient: new MutableAmbient(), chipId: 0x58 }));
	const error = throws(() => new BME280({ sensor: r.sensor }), Error, /identity/);
	ok(error.cause instanceof Error && /0x58/.test(error.cause.message));
});

test("rejects-bad-options", () => {
	const { make } = setup();
	throws(() => make({ oversampling: { temperature: 0 } }), RangeError, /oversampling/);
	throws(() => make({ oversampling: { pressure: 3 } }), RangeError, /oversampling/);
	throws(() => make({ filter: 5 }), RangeError, /filter/);
	throws(() => make({ standby: 100 }), RangeError, /standby/);
	throws(() => make({ mode: "sleep" }), RangeError, /mode/);
});

test("datasheet-example-through-driver-and-model", () => {
	const { r, make, model } = setup();
	model.forceRaw([EX_ADC_T, EX_ADC_P, 30000]);
	const sensor = make();
	r.clock.advance(10);
	const s = sensor.sample();
	equal(s.thermometer.temperature, 25.08);
	close(s.barometer.pressure!, EX_P_PA, P32_TOLERANCE_PA);
	close(s.hygrometer.humidity!, humidityByFormula(EXAMPLE_CALIBRATION, EX_T_FINE, 30000), 0.01);
	deepEqual(drain(r), []);
	sensor.close();
});

test("writes-control-registers-per-datasheet-bits", () => {
	const { make, model } = setup();
	const sensor = make({ oversampling: { temperature: 2, pressure: 16, humidity: 4 }, filter: 16, standby: 1000 });
	// ctrl_meas: osrs_t x2 = 010, osrs_p x16 = 101, mode forced = 01 → 0b010_101_01
	equal(model.register(Register.CTRL_MEAS), 0b010_101_01);
	equal(model.register(Register.CTRL_HUM), 0b011, "osrs_h x4");
	equal(model.register(Register.CONFIG), 0b101_100_00, "t_sb 1000 ms = 101, filter 16 = 100");
	sensor.close();
});

test("measurement-time-follows-appendix-b", () => {
	const { make } = setup();
	const sensor = make();
	close(sensor.measurementTimeMs, 1.25 + 2.3 + (2.3 + 0.575) + (2.3 + 0.575), 1e-9);
	sensor.configure({ oversampling: { temperature: 16, pressure: 0, humidity: 0 } });
	close(sensor.measurementTimeMs, 1.25 + 2.3 * 16, 1e-9);
	sensor.close();
});

test("forced-mode-reports-busy-while-measuring", () => {
	const { r, make } = setup();
	const sensor = make();
	r.clock.advance(3);
	equal(sensor.sample().thermometer.temperature, undefined);
	deepEqual(drain(r), ["busy"]);
	r.clock.advance(7);
	ok(sensor.sample().thermometer.temperature !== undefined);
	deepEqual(drain(r), []);
	sensor.close();
});

test("tracks-ambient-through-inverse-compensation", () => {
	const { r, make, ambient } = setup();
	const sensor = make({ oversampling: { temperature: 16, pressure: 16, humidity: 16 } });
	for (const [t, rh, p] of [[-20, 15, 80_000], [0, 35, 95_000], [22.4, 51.5, 101_325], [60, 85, 105_000]]) {
		ambient.temperature = t;
		ambient.humidity = rh;
		ambient.pressure = p;
		r.clock.advance(120);
		sensor.sample();
		r.clock.advance(120);
		const s = sensor.sample();
		close(s.thermometer.temperature!, t, 0.011, "°C");
		close(s.barometer.pressure!, p, P32_TOLERANCE_PA, "Pa");
		close(s.hygrometer.humidity!, rh, 0.01, "%RH");
	}
	deepEqual(drain(r), []);
	sensor.close();
});

test("skipped-measurements-are-undefined-without-error", () => {
	const { r, make } = setup();
	const sensor = make({ oversampling: { pressure: 0, humidity: 0 } });
	r.clock.advance(10);
	const s = sensor.sample();
	ok(s.thermometer.temperature !== undefined);
	equal(s.barometer.pressure, undefined);
	equal(s.hygrometer.humidity, undefined);
	deepEqual(drain(r), []);
	sensor.close();
});

test("normal-mode-reads-latest-conversion", () => {
	const { r, make, model, ambient } = setup();
	const sensor = make({ mode: "normal", standby: 62.5 });
	equal(model.register(Register.CTRL_MEAS) & 0b11, 0b11);
	r.clock.advance(100);
	close(sensor.sample().thermometer.temperature!, 22, 0.02);
	ambient.temperature = 25;
	r.clock.advance(100);
	close(sensor.sample().thermometer.temperature!, 25, 0.02);
	deepEqual(drain(r), []);
	sensor.close();
});

test("iir-filter-smooths-a-step", () => {
	const { r, make, ambient } = setup();
	const sensor = make({ mode: "normal", standby: 0.5, filter: 4 });
	r.clock.advance(200);
	close(sensor.sample().thermometer.temperature!, 22, 0.02);
	ambient.temperature = 32;
	r.clock.advance(10); // about one conversion after the step
	const first = sensor.sample().thermometer.temperature!;
	ok(first > 22.5 && first < 28, `one filtered step moves part way (got ${first})`);
	r.clock.advance(500);
	close(sensor.sample().thermometer.temperature!, 32, 0.05);
	sensor.close();
});

test("implausible-values-are-dropped", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("implausible");
	r.clock.advance(10);
	const s = sensor.sample();
	equal(s.thermometer.temperature, undefined);
	equal(s.barometer.pressure, undefined);
	deepEqual(drain(r), ["implausible"]);
	model.fault("implausible", false);
	r.clock.advance(10);
	ok(sensor.sample().thermometer.temperature !== undefined);
	throws(() => model.fault("crc"), RangeError, /unsupported/);
	sensor.close();
});

test("stuck-measuring-reports-busy", () => {
	const { r, make, model } = setup(undefined, { faults: ["busy"] });
	const sensor = make();
	for (let i = 0; i < 3; i++) {
		r.clock.advance(50);
		equal(sensor.sample().thermometer.temperature, undefined);
	}
	deepEqual(drain(r), ["busy", "busy", "busy"]);
	model.fault("busy", false);
	r.clock.advance(10);
	ok(sensor.sample().thermometer.temperature !== undefined);
	sensor.close();
});

test("nack-then-recovery-reinitialises", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("nack");
	r.clock.advance(10);
	sensor.sample();
	sensor.sample();
	deepEqual(drain(r), ["bus", "bus"]);
	model.fault("nack", false);
	equal(sensor.sample().thermometer.temperature, undefined, "re-initialises and triggers");
	deepEqual(drain(r), []);
	r.clock.advance(10);
	ok(sensor.sample().thermometer.temperature !== undefined);
	sensor.close();
});

test("stuck-bus-does-not-hang", () => {
	const { r, make } = setup();
	const sensor = make();
	r.bus.stuck = true;
	r.clock.advance(10);
	sensor.sample();
	sensor.sample();
	deepEqual(drain(r), ["bus", "bus"]);
	r.bus.stuck = false;
	sensor.sample();
	r.clock.advance(10);
	ok(sensor.sample().barometer.pressure !== undefined);
	sensor.close();
});

test("replug-is-detected-and-reconfigured", () => {
	const { r, make, model } = setup();
	const sensor = make({ oversampling: { temperature: 2, pressure: 2, humidity: 2 }, filter: 2 });
	r.clock.advance(20);
	ok(sensor.sample().thermometer.temperature !== undefined);
	r.bus.detach(model.address);
	r.bus.replug(model); // back in reset state: sleep, nothing configured, 2 ms start-up
	sensor.sample();
	deepEqual(drain(r), ["bus"], "NACK during start-up");
	r.clock.advance(3);
	sensor.sample(); // re-initialises
	r.clock.advance(20);
	ok(sensor.sample().hygrometer.humidity !== undefined);
	deepEqual(drain(r), []);
	equal(model.register(Register.CONFIG), 0b000_001_00 | (0b101 << 5), "filter 2, standby default 1000 ms");
	sensor.close();
});

test("reset-between-samples-reports-reset", () => {
	const { r, make, model } = setup();
	const sensor = make();
	r.clock.advance(10);
	sensor.sample();
	model.powerOnReset();
	r.clock.advance(10);
	sensor.sample();
	deepEqual(drain(r), ["reset"]);
	r.clock.advance(10);
	ok(sensor.sample().thermometer.temperature !== undefined);
	sensor.close();
});

test("close-twice-then-sample-throws", () => {
	const { make } = setup();
	const sensor = make();
	sensor.close();
	sensor.close();
	throws(() => sensor.sample(), Error, /closed/);
	throws(() => sensor.configure({}), Error, /closed/);
});
