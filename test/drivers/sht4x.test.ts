import { test, ok, equal, close, deepEqual, throws } from "test/harness";
import { rig, drain } from "sim/devices/bench";
import SHT4x from "drivers/sht4x";
import { crc8 } from "drivers/sensirion/crc";
import { Command } from "drivers/sht4x.regs";
import { Sht4xModel } from "sim/devices/sht4x";
import { MutableAmbient } from "sim/devices/sources";

function setup(ambient = new MutableAmbient(23.5, 41)) {
	const r = rig();
	const model = new Sht4xModel({ clock: r.clock, ambient, serialNumber: 0x12345678 });
	r.bus.attach(model);
	const make = (extra: object = {}) => new SHT4x({ sensor: r.sensor, onError: r.onError, now: r.now, ...extra });
	return { r, model, ambient, make };
}

test("crc8-matches-datasheet-example-0xBEEF", () => {
	equal(crc8(Uint8Array.of(0xbe, 0xef)), 0x92);
	equal(crc8(Uint8Array.of(0x00, 0x00)), 0x81); // init 0xFF, poly 0x31: an all-zero word is not CRC 0
});

test("reads-serial-number-at-construction", () => {
	const { make, model } = setup();
	const sensor = make();
	equal(sensor.serialNumber, 0x12345678);
	equal(model.commands[0], Command.SERIAL_NUMBER);
	equal(model.commands[1], Command.MEASURE_HIGH, "first measurement triggered by the constructor");
	sensor.close();
});

test("rejects-absent-chip-with-cause", () => {
	const r = rig();
	const error = throws(() => new SHT4x({ sensor: r.sensor }), Error, /sht4x: identity/);
	ok(error.cause instanceof Error, "cause carries the bus error");
});

test("rejects-bad-serial-crc", () => {
	const { make, model } = setup();
	model.fault("crc");
	throws(() => make(), Error, /identity/);
});

test("rejects-bad-options", () => {
	const { make } = setup();
	throws(() => make({ precision: "ultra" }), RangeError, /precision/);
	throws(() => make({ heaterMaxDuty: 0.2 }), RangeError, /heaterMaxDuty/);
	throws(() => new SHT4x({} as never), RangeError, /sensor/);
	const sensor = make();
	throws(() => sensor.configure({ precision: "x" as never }), RangeError);
	sensor.close();
});

test("converts-raw-words-with-datasheet-formula", () => {
	const { r, model, make } = setup();
	// 0x6666 = 26214 = 0.4·65535 → T = -45 + 175·0.4 = 25.000 °C
	// 0x8000 = 32768 → RH = -6 + 125·32768/65535 = 56.50095 %RH
	model.forceRaw(0x6666, 0x8000);
	const sensor = make();
	r.clock.advance(10);
	const s = sensor.sample();
	close(s.thermometer.temperature!, 25.0, 1e-9);
	close(s.hygrometer.humidity!, 56.500954, 1e-6);
	deepEqual(drain(r), []);
	sensor.close();
});

test("crops-humidity-to-0-100", () => {
	const { r, model, make } = setup();
	model.forceRaw(0x6666, 0xffff); // RH = -6 + 125 = 119 %RH → cropped to 100 (datasheet §4.6)
	const sensor = make();
	r.clock.advance(10);
	equal(sensor.sample().hygrometer.humidity, 100);
	sensor.close();
});

test("tracks-ambient-via-forward-formula", () => {
	const { r, make, ambient } = setup();
	const sensor = make();
	for (const [t, rh] of [[-10, 5], [23.5, 41], [60, 95]]) {
		ambient.temperature = t;
		ambient.humidity = rh;
		r.clock.advance(10);
		sensor.sample(); // reads the previous conversion, triggers one at the new ambient
		r.clock.advance(10);
		const s = sensor.sample();
		close(s.thermometer.temperature!, t, 175 / 65535);
		close(s.hygrometer.humidity!, rh, 125 / 65535);
	}
	sensor.close();
});

test("reports-busy-when-sampled-before-conversion-ends", () => {
	const { r, make } = setup();
	const sensor = make();
	r.clock.advance(2); // high precision takes up to 8.3 ms
	const early = sensor.sample();
	equal(early.thermometer.temperature, undefined);
	equal(early.hygrometer.humidity, undefined);
	deepEqual(drain(r), ["busy"]);
	r.clock.advance(8);
	close(sensor.sample().thermometer.temperature!, 23.5, 0.01);
	deepEqual(drain(r), []);
	sensor.close();
});

test("precision-selects-command-and-duration", () => {
	const { r, make, model } = setup();
	const sensor = make({ precision: "low" });
	equal(model.commands.at(-1), Command.MEASURE_LOW);
	r.clock.advance(2); // low precision: 1.6 ms max
	ok(sensor.sample().thermometer.temperature !== undefined);
	sensor.configure({ precision: "medium" });
	r.clock.advance(2);
	sensor.sample(); // reads the low-precision result, triggers medium
	equal(model.commands.at(-1), Command.MEASURE_MEDIUM);
	r.clock.advance(2);
	equal(sensor.sample().thermometer.temperature, undefined, "medium needs up to 4.5 ms");
	deepEqual(drain(r), ["busy"]);
	r.clock.advance(3);
	ok(sensor.sample().thermometer.temperature !== undefined);
	sensor.configure({ precision: "high" });
	r.clock.advance(5);
	sensor.sample();
	equal(model.commands.at(-1), Command.MEASURE_HIGH);
	sensor.close();
});

test("crc-failure-omits-humidity", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.corruptWords(0b10);
	r.clock.advance(10);
	const s = sensor.sample();
	close(s.thermometer.temperature!, 23.5, 0.01);
	equal(s.hygrometer.humidity, undefined);
	deepEqual(drain(r), ["crc"]);
	sensor.close();
});

test("crc-fault-omits-both-and-recovers", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("crc");
	r.clock.advance(10);
	const s = sensor.sample();
	equal(s.thermometer.temperature, undefined);
	equal(s.hygrometer.humidity, undefined);
	deepEqual(drain(r), ["crc", "crc"]);
	model.fault("crc", false);
	r.clock.advance(10);
	ok(sensor.sample().hygrometer.humidity !== undefined);
	deepEqual(drain(r), []);
	sensor.close();
});

test("implausible-temperature-is-dropped", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("implausible"); // 0xFFFF → 130 °C, outside -40…125 °C
	r.clock.advance(10);
	const s = sensor.sample();
	equal(s.thermometer.temperature, undefined);
	equal(s.hygrometer.humidity, 0, "0x0000 → -6 %RH, cropped");
	deepEqual(drain(r), ["implausible"]);
	model.fault("implausible", false);
	r.clock.advance(10);
	ok(sensor.sample().thermometer.temperature !== undefined);
	sensor.close();
});

test("nack-fault-reports-bus-and-recovers", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("nack");
	r.clock.advance(10);
	sensor.sample(); // read NACKed after the conversion's maximum: the chip is gone
	sensor.sample(); // trigger NACKed
	deepEqual(drain(r), ["bus", "bus"]);
	model.fault("nack", false);
	const first = sensor.sample(); // triggers only: one-interval latency
	equal(first.thermometer.temperature, undefined);
	deepEqual(drain(r), []);
	r.clock.advance(10);
	close(sensor.sample().thermometer.temperature!, 23.5, 0.01);
	sensor.close();
});

test("stuck-busy-chip-then-recovery", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("busy"); // the conversion never completes: the chip NACKs everything
	r.clock.advance(5);
	sensor.sample();
	deepEqual(drain(r), ["busy"], "within 8.3 ms: still converting");
	r.clock.advance(5);
	sensor.sample();
	sensor.sample();
	deepEqual(drain(r), ["bus", "bus"], "past the maximum: lost, and the new trigger is NACKed");
	model.fault("busy", false);
	sensor.sample(); // triggers a new conversion (one-interval latency)
	r.clock.advance(10);
	close(sensor.sample().thermometer.temperature!, 23.5, 0.01);
	deepEqual(drain(r), []);
	sensor.close();
});

test("stuck-bus-does-not-hang-and-recovers", () => {
	const { r, make } = setup();
	const sensor = make();
	r.bus.stuck = true;
	for (let i = 0; i < 3; i++) {
		r.clock.advance(10);
		equal(sensor.sample().thermometer.temperature, undefined);
	}
	deepEqual(drain(r), ["bus", "bus", "bus"]);
	r.bus.stuck = false;
	sensor.sample();
	r.clock.advance(10);
	ok(sensor.sample().thermometer.temperature !== undefined);
	deepEqual(drain(r), []);
	sensor.close();
});

test("unplug-replug-recovers", () => {
	const { r, make, model } = setup();
	const sensor = make();
	r.bus.detach(model.address);
	r.clock.advance(10);
	sensor.sample();
	sensor.sample();
	deepEqual(drain(r), ["bus", "bus"]);
	r.bus.replug(model);
	sensor.sample();
	r.clock.advance(10);
	close(sensor.sample().hygrometer.humidity!, 41, 0.01);
	deepEqual(drain(r), []);
	sensor.close();
});

test("heater-respects-duty-cycle", () => {
	const { r, make, model } = setup();
	const sensor = make();
	r.clock.advance(10);
	ok(sensor.heat("200mW-1s"), "first pulse allowed");
	equal(sensor.heat("20mW-100ms"), false, "one pulse at a time");
	close(sensor.sample().thermometer.temperature!, 23.5, 0.01, "reads the pending measurement");
	equal(model.commands.at(-1), Command.HEATER_200MW_1S, "then sends the heater command");
	const started = r.clock.now();
	r.clock.advance(500);
	equal(sensor.sample().thermometer.temperature, undefined, "busy while heating");
	deepEqual(drain(r), ["busy"]);
	r.clock.advance(700);
	equal(sensor.sample().thermometer.temperature, undefined, "heated frame is dropped");
	deepEqual(drain(r), ["busy"]);
	r.clock.advance(10);
	close(sensor.sample().thermometer.temperature!, 23.5, 0.01, "ambient again");
	equal(sensor.heat("200mW-1s"), false, "1 s pulse at 10 % duty: next one 10 s after the first");
	r.clock.set(started + 10_000 - 1);
	equal(sensor.heat("20mW-100ms"), false);
	r.clock.advance(1);
	ok(sensor.heat("20mW-100ms"));
	sensor.sample();
	equal(model.commands.at(-1), Command.HEATER_20MW_100MS);
	sensor.close();
});

test("heater-duty-budget-is-configurable", () => {
	const { r, make } = setup();
	const sensor = make({ heaterMaxDuty: 0.05 });
	r.clock.advance(10);
	ok(sensor.heat("20mW-100ms"));
	sensor.sample();
	const started = r.clock.now();
	r.clock.set(started + 1_999);
	equal(sensor.heat("20mW-100ms"), false);
	r.clock.advance(1);
	equal(sensor.heat("20mW-100ms"), true, "0.1 s / 5 % = 2 s");
	sensor.close();
});

test("soft-reset-then-resumes", () => {
	const { r, make, model } = setup();
	const sensor = make();
	r.clock.advance(10);
	sensor.sample();
	r.clock.advance(10);
	sensor.reset();
	equal(model.commands.at(-1), Command.SOFT_RESET);
	sensor.sample();
	deepEqual(drain(r), ["busy"], "inside the 1 ms reset time");
	r.clock.advance(2);
	sensor.sample();
	r.clock.advance(10);
	ok(sensor.sample().thermometer.temperature !== undefined);
	deepEqual(drain(r), []);
	sensor.close();
});

test("result-object-is-reused", () => {
	const { r, make } = setup();
	const sensor = make();
	r.clock.advance(10);
	const a = sensor.sample();
	r.clock.advance(10);
	const b = sensor.sample();
	ok(a === b && a.thermometer === b.thermometer, "same object refilled");
	sensor.close();
});

test("close-twice-then-sample-throws", () => {
	const { r, make } = setup();
	const sensor = make();
	sensor.close();
	sensor.close();
	throws(() => sensor.sample(), Error, /closed/);
	r.clock.advance(10); // let the measurement the first instance started finish
	const again = make(); // the address is free again after close
	again.close();
	equal(r.errors.length, 0);
});
