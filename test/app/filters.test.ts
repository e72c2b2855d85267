import { test, equal, deepEqual, close, throws, ok } from "test/harness";
import {
	Offset, Multiply, CalibrateLinear, Clamp, Median, SlidingWindowMovingAverage, ExponentialMovingAverage, Throttle,
	Delta, Heartbeat, Timeout, FilterChain, createFilter, createChain, Defaults, type Filter,
} from "app/filters";

/** Feeds values (one per ms unless times are given) and collects what passes; undefined marks a drop. */
function feed(filter: Filter, values: number[], times?: number[]): (number | undefined)[] {
	return values.map((v, i) => filter.input(v, times ? times[i] : i));
}

test("offset-and-multiply", () => {
	deepEqual(feed(new Offset(2), [1, -3, NaN]), [3, -1, NaN]);
	deepEqual(feed(new Multiply(0.5), [4, -3]), [2, -1.5]);
});

test("calibrate-linear-least-squares", () => {
	// (1,2) (2,4) (3,5): slope = (3·25 - 6·11) / (3·14 - 6²) = 1.5, bias = (11 - 1.5·6) / 3 = 2/3
	const f = new CalibrateLinear([[1, 2], [2, 4], [3, 5]]);
	close(f.input(4) as number, 1.5 * 4 + 2 / 3, 1e-12);
	close(f.input(0) as number, 2 / 3, 1e-12);
	const two = new CalibrateLinear([[0, 32], [100, 212]]); // °C → °F
	close(two.input(37) as number, 98.6, 1e-9);
});

test("calibrate-linear-exact-segments", () => {
	const f = new CalibrateLinear([[10, 100], [0, 0], [20, 150]], "exact");
	deepEqual(feed(f, [5, 10, 15, 25, -5]), [50, 100, 125, 175, -50]);
	ok(Number.isNaN(f.input(NaN) as number));
});

test("clamp-bounds-ignore-and-nan", () => {
	deepEqual(feed(new Clamp(0, 100), [-5, 150, 50]), [0, 100, 50]);
	deepEqual(feed(new Clamp(0, 100, true), [-5, 150, 50]), [undefined, undefined, 50]);
	ok(Number.isNaN(new Clamp(0, 100).input(NaN) as number), "a failed reading stays visible");
	equal(new Clamp(undefined, 10).input(-1e9), -1e9);
});

test("median-window-send-every-send-first-at", () => {
	// window 5, send every 5, first at 1: outputs after inputs #1 and #6
	const out = feed(new Median(5, 5, 1), [5, 1, 4, 2, 3, 10, 9]);
	deepEqual(out, [5, undefined, undefined, undefined, undefined, 3, undefined]); // #6: median of 1,4,2,3,10
	deepEqual(feed(new Median(4, 1, 1), [1, 2, 3, 4]), [1, 1.5, 2, 2.5]);
	deepEqual(feed(new Median(4, 1, 1), [1, NaN, 3, 5]), [1, 1, 2, 3], "NaN ignored");
	ok(Number.isNaN(new Median(3, 1).input(NaN) as number), "only NaN: NaN");
});

test("sliding-window-moving-average", () => {
	deepEqual(feed(new SlidingWindowMovingAverage(3, 1), [1, 2, 3, 4]), [1, 1.5, 2, 3]);
	deepEqual(feed(new SlidingWindowMovingAverage(3, 1), [1, NaN, 3]), [1, 1, 2]);
	deepEqual(feed(new SlidingWindowMovingAverage(2, 2, 2), [1, 3, 5, 7]), [undefined, 2, undefined, 6]);
});

test("exponential-moving-average", () => {
	const out = feed(new ExponentialMovingAverage(0.5, 1), [10, 20, NaN, 30]);
	deepEqual(out.slice(0, 2), [10, 15]);
	ok(Number.isNaN(out[2] as number), "NaN is sent as NaN");
	equal(out[3], 22.5, "NaN did not disturb the accumulator");
});

test("defaults-match-esphome", () => {
	equal(Defaults.SMA_WINDOW, 15);
	equal(Defaults.EMA_ALPHA, 0.1);
	equal(Defaults.MEDIAN_WINDOW, 5);
	// EMA α 0.1, send every 15, first at 1: outputs at inputs #1 and #16
	const ema = feed(createFilter({ exponential_moving_average: {} }), new Array(16).fill(10));
	deepEqual(ema.map((v, i) => (v === undefined ? -1 : i)).filter((i) => i >= 0), [0, 15]);
	const med = feed(createFilter({ median: {} }), [9, 8, 7, 6, 5, 4]);
	deepEqual(med, [9, undefined, undefined, undefined, undefined, 6], "window 5 / every 5: median(8,7,6,5,4)");
	const sma = feed(createFilter({ sliding_window_moving_average: {} }), new Array(16).fill(0).map((_, i) => i));
	equal(sma[0], 0);
	equal(sma[15], (1 + 15) / 2, "mean of 1…15");
});

test("throttle", () => {
	const f = new Throttle(1000);
	deepEqual(feed(f, [1, 2, 3, 4, 5], [0, 500, 1000, 1999, 2000]), [1, undefined, 3, undefined, 5]);
});

test("delta-absolute-percentage-and-nan", () => {
	deepEqual(feed(new Delta(2), [10, 11, 12, 13]), [10, undefined, 12, undefined]);
	const nan = feed(new Delta(2), [10, NaN, NaN, 10.5]);
	ok(nan[0] === 10 && Number.isNaN(nan[1] as number) && nan[2] === undefined && nan[3] === 10.5);
	deepEqual(feed(createFilter({ delta: "10%" }), [100, 105, 110, 120, 121]), [100, undefined, 110, undefined, 121]);
});

test("heartbeat-resends-latest", () => {
	const f = new Heartbeat(1000);
	equal(f.input(5, 0), undefined);
	equal(f.tick!(500), undefined);
	equal(f.tick!(1000), 5);
	f.input(6, 1200);
	equal(f.tick!(1999), undefined);
	equal(f.tick!(2000), 6);
	equal(f.tick!(5500), 6, "one beat after a long gap, not a burst");
	equal(f.tick!(5999), undefined);
	equal(f.tick!(6000), 6);
	equal(new Heartbeat(1000, true).input(7, 0), 7, "optimistic passes values through");
});

test("timeout-sends-nan-once", () => {
	const f = new Timeout(3000);
	equal(f.input(1, 0), 1);
	equal(f.tick!(2999), undefined);
	ok(Number.isNaN(f.tick!(3000) as number));
	equal(f.tick!(4000), undefined);
	f.input(2, 4000);
	ok(Number.isNaN(f.tick!(7000) as number));
	const zero = createFilter({ timeout: { period: 100, value: 0 } });
	zero.input(5, 0);
	equal(zero.tick!(100), 0);
});

test("chain-runs-filters-in-order", () => {
	const seen: number[] = [];
	const chain = createChain([
		{ offset: 1 },
		{ median: { window_size: 3, send_every: 1 } },
		{ clamp: { min_value: 0, max_value: 10 } },
		{ delta: 1 },
	], (v) => seen.push(v));
	const out = [0, 5, 20, 4, 4.2].map((v, i) => chain.input(v, i));
	// +1 → 1, 6, 21, 5, 5.2; median3 → 1, 3.5, 6, 6, 5.2; clamp → same; delta 1 → 1, 3.5, 6, drop, drop
	deepEqual(out, [1, 3.5, 6, undefined, undefined]);
	deepEqual(seen, [1, 3.5, 6]);
});

test("chain-ticks-flow-through-later-filters", () => {
	const seen: number[] = [];
	const chain = new FilterChain([new Heartbeat(1000), new Multiply(2), new Timeout(2500)], (v) => seen.push(v));
	chain.input(3, 0);
	equal(chain.tick(1000), 6, "heartbeat output doubled");
	equal(chain.tick(2000), 6);
	chain.tick(3000); // heartbeat feeds the timeout, which keeps being re-armed
	deepEqual(seen, [6, 6, 6]);
	const stale = new FilterChain([new Timeout(1000), new Offset(5)]);
	stale.input(1, 0);
	ok(Number.isNaN(stale.tick(1000) as number), "timeout NaN goes through offset as NaN");
});

test("reset-restores-initial-state", () => {
	const chain = createChain([{ median: { window_size: 3, send_every: 3 } }, { throttle: 10_000 }]);
	chain.input(1, 0);
	chain.input(2, 1);
	chain.reset();
	equal(chain.input(7, 2), 7, "send_first_at counts again and the throttle is open");
});

test("rejects-bad-specs", () => {
	throws(() => createFilter({ median: { window_size: 0 } }), RangeError, /window_size/);
	throws(() => createFilter({ median: { send_every: 2, send_first_at: 3 } }), RangeError, /send_first_at/);
	throws(() => createFilter({ exponential_moving_average: { alpha: 0 } }), RangeError, /alpha/);
	throws(() => createFilter({ delta: "x%" as never }), RangeError, /delta/);
	throws(() => createFilter({ calibrate_linear: [[1, 1]] }), RangeError, /datapoints/);
	throws(() => createFilter({ calibrate_linear: [[1, 1], [1, 2]] }), RangeError, /datapoints/);
	throws(() => createFilter({ offset: 1, multiply: 2 } as never), RangeError, /invalid filter/);
	throws(() => createFilter({ lambda: 1 } as never), RangeError, /unknown filter/);
	throws(() => new Throttle(0), RangeError);
	throws(() => new Clamp(5, 1), RangeError);
});
