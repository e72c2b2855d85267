import { test, ok, equal, close, notEqual } from "test/harness";
import { Prng } from "sim/devices/prng";
import { ManualClock } from "sim/devices/manual-clock";

test("same-seed-same-sequence", () => {
	const a = new Prng(42), b = new Prng(42), c = new Prng(43);
	for (let i = 0; i < 100; i++) equal(a.next(), b.next());
	notEqual(new Prng(42).next(), c.next());
});

test("uniform-range-and-mean", () => {
	const p = new Prng(7);
	let sum = 0;
	for (let i = 0; i < 10_000; i++) {
		const x = p.next();
		ok(x >= 0 && x < 1);
		sum += x;
	}
	close(sum / 10_000, 0.5, 0.02);
	for (let i = 0; i < 100; i++) {
		const k = p.int(6);
		ok(Number.isInteger(k) && k >= 0 && k < 6);
	}
});

test("gaussian-mean-and-sigma", () => {
	const p = new Prng(1234);
	let sum = 0, squares = 0;
	const n = 20_000;
	for (let i = 0; i < n; i++) {
		const x = p.gaussian(2);
		sum += x;
		squares += x * x;
	}
	close(sum / n, 0, 0.06);
	close(Math.sqrt(squares / n), 2, 0.06);
});

test("manual-clock-only-moves-forward", () => {
	const clock = new ManualClock(10);
	equal(clock.advance(5), 15);
	clock.set(20);
	equal(clock.nowFn(), 20);
	let threw = false;
	try {
		clock.set(19);
	} catch (error) {
		threw = error instanceof RangeError;
	}
	ok(threw);
});
