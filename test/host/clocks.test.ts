// @host --start 2026-03-01T08:00:00Z
// Moddable Timer semantics and the two clocks, in virtual time.
import { test, equal, deepEqual, ok } from "test/harness";
import Timer from "timer";
import Time from "time";

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => Timer.set(() => resolve(), ms));
}

test("wall-clock-starts-at-start-option", () => {
	const now = new Date();
	ok(now.toISOString().startsWith("2026-03-01T08:00"), now.toISOString());
});

test("timers-fire-in-due-order-then-scheduling-order", async () => {
	const fired: string[] = [];
	Timer.set(() => fired.push("b"), 20);
	Timer.set(() => fired.push("a"), 10);
	Timer.set(() => fired.push("c"), 20);
	Timer.set(() => fired.push("now"));
	await sleep(30);
	deepEqual(fired, ["now", "a", "b", "c"]);
});

test("monotonic-clock-advances-exactly-in-virtual-time", async () => {
	const start = Time.ticks;
	await sleep(3_600_000);
	equal(Time.ticks - start, 3_600_000);
});

test("wall-clock-follows-monotonic-time", async () => {
	const start = Date.now();
	await sleep(90_000);
	equal(Date.now() - start, 90_000);
});

test("repeat-schedule-and-clear", async () => {
	const times: number[] = [];
	const start = Time.ticks;
	const timer = Timer.repeat(() => {
		times.push(Time.ticks - start);
		if (times.length === 2) Timer.schedule(timer, 5, 5);
		if (times.length === 4) Timer.clear(timer);
	}, 100);
	await sleep(1000);
	deepEqual(times, [100, 200, 205, 210]);
});

test("one-shot-with-repeat-argument-repeats", async () => {
	let count = 0;
	const timer = Timer.set(() => count++, 50, 10);
	await sleep(95);
	Timer.clear(timer);
	equal(count, 5);
});

test("clear-is-idempotent-and-accepts-undefined", () => {
	const timer = Timer.set(() => undefined, 10);
	Timer.clear(timer);
	Timer.clear(timer);
	Timer.clear(undefined);
});

test("delay-blocks-and-advances-time", () => {
	const start = Time.ticks;
	Timer.delay(250);
	equal(Time.ticks - start, 250);
});

test("time-set-and-zone-drive-date", () => {
	Time.set(Date.UTC(2026, 6, 4, 12, 0, 0) / 1000);
	Time.timezone = -5 * 3600;
	Time.dst = 3600;
	const now = new Date();
	equal(now.getUTCHours(), 12);
	equal(now.getHours(), 8);
	Time.timezone = 0;
	Time.dst = 0;
	equal(new Date().getHours(), 12);
});
