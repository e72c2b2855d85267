import { test, ok, equal, close, deepEqual, throws } from "test/harness";
import { rig, drain } from "sim/devices/bench";
import SHT3x from "drivers/sht3x";
import SHT4x from "drivers/sht4x";
import { Command, Status } from "drivers/sht3x.regs";
import { Sht3xModel } from "sim/devices/sht3x";
import { Sht4xModel } from "sim/devices/sht4x";
import { MutableAmbient } from "sim/devices/sources";

function setup(address = 0x44) {
	const r = rig();
	const ambient = new MutableAmbient(19.25, 62);
	const model = new Sht3xModel({ clock: r.clock, ambient, address });
	r.bus.attach(model);
	const make = (extra: object = {}) =>
		new SHT3x({ sensor: { ...r.sensor, address }, onError: r.onError, now: r.now, ...extra });
	return { r, model, ambient, make };
}

test("initialises-status-heater-and-first-shot", () => {
	const { make, model } = setup();
	const sensor = make();
	deepEqual(model.commands, [Command.BREAK, Command.READ_STATUS, Command.CLEAR_STATUS, Command.HEATER_DISABLE, 0x2400]);
	equal(model.status, 0, "reset and alert flags cleared");
	sensor.close();
});

test("rejects-absent-chip-and-sht4x", () => {
	const r = rig();
	throws(() => new SHT3x({ sensor: r.sensor }), Error, /sht3x: identity/);
	r.bus.attach(new Sht4xModel({ clock: r.clock, ambient: new MutableAmbient() }));
	throws(() => new SHT3x({ sensor: r.sensor }), Error, /identity/, "an SHT4x NACKs 16-bit commands");
});

test("sht4x-driver-rejects-sht3x", () => {
	const { r } = setup();
	throws(() => new SHT4x({ sensor: r.sensor }), Error, /sht4x: identity/);
});

test("rejects-bad-options", () => {
	const { make } = setup();
	throws(() => make({ mode: "burst" }), RangeError, /mode/);
	throws(() => make({ rate: 3 }), RangeError, /rate/);
	throws(() => make({ repeatability: "max" }), RangeError, /repeatability/);
});

test("works-at-alternate-address", () => {
	const { r, make } = setup(0x45);
	const sensor = make();
	r.clock.advance(20);
	close(sensor.sample().thermometer.temperature!, 19.25, 0.01);
	sensor.close();
});

test("converts-raw-words-with-datasheet-formula", () => {
	const { r, model, make } = setup();
	// 0x6666 = 0.4·65535 → T = -45 + 175·0.4 = 25.000 °C; 0x8000 → RH = 100·32768/65535 = 50.00076 %RH
	model.forceRaw(0x6666, 0x8000);
	const sensor = make();
	r.clock.advance(20);
	const s = sensor.sample();
	close(s.thermometer.temperature!, 25.0, 1e-9);
	close(s.hygrometer.humidity!, 50.000763, 1e-6);
	sensor.close();
});

test("single-shot-busy-until-conversion-ends", () => {
	const { r, make } = setup();
	const sensor = make(); // high repeatability: up to 15.5 ms
	r.clock.advance(5);
	equal(sensor.sample().thermometer.temperature, undefined);
	deepEqual(drain(r), ["busy"]);
	r.clock.advance(11);
	const s = sensor.sample();
	close(s.thermometer.temperature!, 19.25, 175 / 65535);
	close(s.hygrometer.humidity!, 62, 100 / 65535);
	deepEqual(drain(r), []);
	sensor.close();
});

test("repeatability-selects-single-shot-command", () => {
	const { r, make, model } = setup();
	const sensor = make({ repeatability: "low" });
	equal(model.commands.at(-1), 0x2416);
	r.clock.advance(3);
	ok(sensor.sample().thermometer.temperature !== undefined, "low: 4.5 ms max");
	r.clock.advance(6); // past 4.5 ms + 1 ms clock slack
	sensor.configure({ repeatability: "medium" }); // no conversion running: applied now
	equal(model.commands.at(-1), 0x240b);
	r.clock.advance(1);
	sensor.configure({ repeatability: "low" }); // conversion running: applied by the next sample()
	equal(model.commands.at(-1), 0x240b);
	r.clock.advance(6);
	ok(sensor.sample().hygrometer.humidity !== undefined, "medium result read first");
	equal(model.commands.at(-1), 0x2416);
	r.clock.advance(5);
	ok(sensor.sample().hygrometer.humidity !== undefined);
	deepEqual(drain(r), []);
	sensor.close();
});

test("periodic-commands-match-datasheet-table-10", () => {
	const { r, make, model } = setup();
	const sensor = make();
	r.clock.advance(20);
	const table: [0.5 | 1 | 2 | 4 | 10, number, number, number][] = [
		[0.5, 0x2032, 0x2024, 0x202f], [1, 0x2130, 0x2126, 0x212d], [2, 0x2236, 0x2220, 0x222b],
		[4, 0x2334, 0x2322, 0x2329], [10, 0x2737, 0x2721, 0x272a],
	];
	for (const [rate, high, medium, low] of table) {
		sensor.configure({ mode: "periodic", rate, repeatability: "high" });
		equal(model.commands.at(-1), high);
		sensor.configure({ repeatability: "medium" });
		equal(model.commands.at(-1), medium);
		sensor.configure({ repeatability: "low" });
		equal(model.commands.at(-1), low);
		r.clock.advance(20);
	}
	sensor.close();
});

test("periodic-mode-fetches-at-rate", () => {
	const { r, make, model, ambient } = setup();
	const sensor = make({ mode: "periodic", rate: 10 });
	ok(model.periodic);
	r.clock.advance(5);
	equal(sensor.sample().thermometer.temperature, undefined, "first conversion still running");
	deepEqual(drain(r), ["busy"]);
	r.clock.advance(10);
	close(sensor.sample().thermometer.temperature!, 19.25, 0.01);
	equal(sensor.sample().thermometer.temperature, undefined, "no new data within 100 ms");
	deepEqual(drain(r), ["busy"]);
	ambient.temperature = 30;
	r.clock.advance(100);
	close(sensor.sample().thermometer.temperature!, 30, 0.01);
	equal(model.commands.at(-1), Command.FETCH_DATA);
	deepEqual(drain(r), []);
	sensor.close();
	equal(model.commands.at(-1), Command.BREAK, "close stops periodic acquisition");
	ok(!model.periodic);
});

test("heater-and-status-register", () => {
	const { r, make, model } = setup();
	const sensor = make({ heater: true });
	ok(model.status & Status.HEATER_ON);
	r.clock.advance(20);
	const status = sensor.readStatus();
	equal(status, Status.HEATER_ON);
	r.clock.advance(20);
	sensor.configure({ heater: false });
	equal(sensor.readStatus(), undefined, "configure started a single shot");
	deepEqual(drain(r), ["busy"]);
	r.clock.advance(20);
	equal(sensor.readStatus(), 0);
	model.fault("crc");
	equal(sensor.readStatus(), undefined);
	deepEqual(drain(r), ["crc"]);
	model.fault("crc", false);
	sensor.clearStatus();
	equal(model.commands.at(-1), Command.CLEAR_STATUS);
	sensor.close();
});

test("status-read-while-converting-is-busy", () => {
	const { r, make } = setup();
	const sensor = make();
	r.clock.advance(2);
	equal(sensor.readStatus(), undefined);
	deepEqual(drain(r), ["busy"]);
	sensor.close();
});

test("crc-failure-omits-humidity", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.corruptWords(0b10);
	r.clock.advance(20);
	const s = sensor.sample();
	ok(s.thermometer.temperature !== undefined);
	equal(s.hygrometer.humidity, undefined);
	deepEqual(drain(r), ["crc"]);
	model.corruptWords(0);
	r.clock.advance(20);
	ok(sensor.sample().hygrometer.humidity !== undefined);
	sensor.close();
});

test("implausible-temperature-is-dropped", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("implausible");
	r.clock.advance(20);
	const s = sensor.sample();
	equal(s.thermometer.temperature, undefined);
	equal(s.hygrometer.humidity, 100);
	deepEqual(drain(r), ["implausible"]);
	sensor.close();
});

test("nack-fault-then-recovery", () => {
	const { r, make, model } = setup();
	const sensor = make();
	model.fault("nack");
	r.clock.advance(20);
	sensor.sample(); // read NACK past the 15.5 ms maximum
	sensor.sample(); // re-initialisation NACKed
	deepEqual(drain(r), ["bus", "bus"]);
	model.fault("nack", false);
	sensor.sample(); // re-initialises and triggers
	deepEqual(drain(r), []);
	r.clock.advance(20);
	ok(sensor.sample().thermometer.temperature !== undefined);
	sensor.close();
});

test("periodic-chip-stuck-busy-is-lost-then-restarted", () => {
	const { r, make, model } = setup();
	const sensor = make({ mode: "periodic", rate: 10 });
	r.clock.advance(20);
	ok(sensor.sample().thermometer.temperature !== undefined);
	model.fault("busy");
	r.clock.advance(50);
	sensor.sample();
	deepEqual(drain(r), ["busy"]);
	r.clock.advance(100);
	sensor.sample();
	deepEqual(drain(r), ["bus"], "no data for a period plus a conversion");
	model.fault("busy", false);
	sensor.sample();
	deepEqual(drain(r), [], "re-initialised, no reset flag");
	r.clock.advance(120);
	ok(sensor.sample().thermometer.temperature !== undefined);
	sensor.close();
});

test("stuck-bus-does-not-hang", () => {
	const { r, make } = setup();
	const sensor = make({ mode: "periodic", rate: 2 });
	r.bus.stuck = true;
	for (let i = 0; i < 4; i++) {
		r.clock.advance(600);
		equal(sensor.sample().thermometer.temperature, undefined);
	}
	deepEqual(drain(r), ["bus", "bus", "bus", "bus"]);
	r.bus.stuck = false;
	sensor.sample();
	deepEqual(drain(r), [], "re-initialised without a reset flag");
	r.clock.advance(600);
	ok(sensor.sample().thermometer.temperature !== undefined);
	sensor.close();
});

test("replug-in-periodic-mode-reports-reset-and-restarts", () => {
	const { r, make, model } = setup();
	const sensor = make({ mode: "periodic", rate: 4, heater: true });
	r.clock.advance(300);
	ok(sensor.sample().thermometer.temperature !== undefined);
	r.bus.detach(model.address);
	r.bus.replug(model); // between two samples: the chip comes back idle, status 0x8010
	ok(!model.periodic);
	r.clock.advance(100);
	sensor.sample();
	deepEqual(drain(r), ["bus"], "an idle chip NACKs fetch");
	sensor.sample();
	deepEqual(drain(r), ["reset"], "status shows the reset: configuration restored");
	ok(model.periodic && model.status & Status.HEATER_ON);
	r.clock.advance(300);
	ok(sensor.sample().thermometer.temperature !== undefined);
	deepEqual(drain(r), []);
	sensor.close();
});

test("close-twice-then-sample-throws", () => {
	const { make } = setup();
	const sensor = make();
	sensor.close();
	sensor.close();
	throws(() => sensor.sample(), Error, /closed/);
	throws(() => sensor.readStatus(), Error, /closed/);
});
