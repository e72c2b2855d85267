import { test, ok, equal, deepEqual, throws } from "test/harness";
import PIR from "drivers/pir";
import { SimPinBank, digitalIoFor } from "sim/devices/digital-pin";
import { PirModel } from "sim/devices/pir";
import { ManualClock } from "sim/devices/manual-clock";
import { ManualTimer } from "sim/devices/manual-timer";

const PIN = 27;

function setup(options: { activeLow?: boolean; debounceMs?: number; timer?: boolean } = {}) {
	const clock = new ManualClock(5_000);
	const bank = new SimPinBank();
	const pin = bank.pin(PIN);
	const model = new PirModel({ pin, clock, holdMs: 2_000, activeLow: options.activeLow });
	const timer = new ManualTimer(clock);
	const events: boolean[] = [];
	const errors: string[] = [];
	const pir = new PIR({
		sensor: { io: digitalIoFor(bank), pin: PIN },
		activeLow: options.activeLow,
		debounceMs: options.debounceMs,
		onMotion: (detected) => events.push(detected),
		onError: (code) => errors.push(code),
		now: () => clock.now(),
		timer: options.timer === false ? undefined : timer,
	});
	return { clock, pin, model, timer, events, errors, pir };
}

test("rejects-bad-options", () => {
	const bank = new SimPinBank();
	throws(() => new PIR({ sensor: { io: digitalIoFor(bank), pin: 1.5 } }), RangeError, /sensor/);
	throws(() => new PIR({ sensor: { io: digitalIoFor(bank), pin: 1 }, debounceMs: -1 }), RangeError, /debounceMs/);
	const Digital = digitalIoFor(bank);
	const first = new PIR({ sensor: { io: Digital, pin: 2 } });
	throws(() => new PIR({ sensor: { io: Digital, pin: 2 } }), RangeError, /in use/, "the io's own error");
	first.close();
});

test("motion-reported-after-debounce-with-timer", () => {
	const { model, timer, events, pir } = setup({ debounceMs: 50 });
	equal(pir.sample().motion.detected, false);
	model.detect();
	deepEqual(events, [], "not before the level is stable");
	timer.run(50);
	deepEqual(events, [true]);
	equal(pir.sample().motion.detected, true);
	timer.run(2_000);
	model.update(); // hold time over
	timer.run(50);
	deepEqual(events, [true, false]);
	equal(pir.sample().motion.detected, false);
	pir.close();
});

test("glitch-shorter-than-debounce-is-ignored", () => {
	const { model, timer, events, pir, clock } = setup({ debounceMs: 50 });
	model.glitch();
	timer.run(100);
	deepEqual(events, []);
	clock.advance(10);
	model.glitch();
	clock.advance(10);
	model.glitch();
	timer.run(200);
	equal(pir.sample().motion.detected, false);
	deepEqual(events, []);
	pir.close();
});

test("without-timer-sample-settles-stable-level", () => {
	const { model, clock, events, pir } = setup({ debounceMs: 50, timer: false });
	model.detect();
	clock.advance(20);
	equal(pir.sample().motion.detected, false, "not stable for 50 ms yet");
	clock.advance(40);
	equal(pir.sample().motion.detected, true);
	deepEqual(events, [true]);
	pir.close();
});

test("without-timer-next-edge-settles-previous-level", () => {
	const { model, clock, events, pir } = setup({ debounceMs: 50, timer: false });
	model.detect();
	clock.advance(2_500);
	model.update(); // falling edge: the high level lasted 2.5 s, so it counted
	deepEqual(events, [true]);
	clock.advance(60);
	equal(pir.sample().motion.detected, false);
	deepEqual(events, [true, false]);
	pir.close();
});

test("active-low-output", () => {
	const { model, timer, events, pir, pin } = setup({ activeLow: true, debounceMs: 10 });
	equal(pin.level, 1, "idle high");
	equal(pir.sample().motion.detected, false);
	model.detect();
	timer.run(10);
	deepEqual(events, [true]);
	pir.close();
});

test("zero-debounce-reports-each-edge", () => {
	const { model, events, pir } = setup({ debounceMs: 0 });
	model.glitch();
	deepEqual(events, [true, false]);
	pir.close();
});

test("stuck-pin-reads-as-constant", () => {
	const { model, timer, events, pir, pin } = setup({ debounceMs: 20 });
	pin.force(1); // output shorted high: one edge, then nothing
	timer.run(20);
	model.update();
	model.detect();
	timer.run(3_000);
	model.update();
	timer.run(20);
	deepEqual(events, [true]);
	pin.force(undefined);
	timer.run(20);
	deepEqual(events, [true, false]);
	pir.close();
});

test("close-twice-cancels-timer", () => {
	const { model, timer, events, pir } = setup({ debounceMs: 50 });
	model.detect();
	equal(timer.pending, 1);
	pir.close();
	pir.close();
	equal(timer.pending, 0);
	timer.run(100);
	deepEqual(events, []);
	throws(() => pir.sample(), Error, /closed/);
	ok(true);
});
