/*
 * Sensor value filters with ESPHome's semantics and defaults (esphome/components/sensor/filter.cpp
 * and the sensor schema, snapshot 2024.10; see /work/shared/reference/peer-defaults.md §5), for
 * the XS engine: time is passed in (ms), nothing allocates per value, windows are preallocated.
 *
 * A filter takes a value and returns the value to pass on, or undefined to drop it. NaN is a value:
 * it stands for "sensor failed" and flows through (clamp, offset, delta pass it on), so fail-safe
 * logic downstream sees it. Time-driven filters (heartbeat, timeout) also emit from tick(now).
 * A FilterChain runs filters in order, as ESPHome does, and hands what comes out to `onValue`.
 */

export interface Filter {
	/** A new value at time `now` (ms). Returns the value to pass on, or undefined to drop it. */
	input(value: number, now: number): number | undefined;
	/** Time-driven output; the chain calls it with the current time. */
	tick?(now: number): number | undefined;
	/** Back to the state after construction. */
	reset(): void;
}

/** ESPHome defaults (sensor schema): SMA window 15 / send_every 15; EMA α 0.1 / send_every 15; median window 5 / send_every 5. */
export const Defaults = Object.freeze({
	SMA_WINDOW: 15,
	SMA_SEND_EVERY: 15,
	EMA_ALPHA: 0.1,
	EMA_SEND_EVERY: 15,
	MEDIAN_WINDOW: 5,
	MEDIAN_SEND_EVERY: 5,
	SEND_FIRST_AT: 1,
	TIMEOUT_VALUE: NaN,
} as const);

function positiveInteger(value: number, name: string): number {
	if (!Number.isInteger(value) || value < 1 || value > 65535) throw new RangeError(`invalid ${name}`);
	return value;
}

function finite(value: number, name: string): number {
	if (!Number.isFinite(value)) throw new RangeError(`invalid ${name}`);
	return value;
}

function period(value: number, name: string): number {
	if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`invalid ${name}`);
	return value;
}

/** `offset`: x + offset. */
export class Offset implements Filter {
	readonly #offset: number;
	constructor(offset: number) {
		this.#offset = finite(offset, "offset");
	}
	input(value: number): number {
		return value + this.#offset;
	}
	reset(): void {}
}

/** `multiply`: x · factor. */
export class Multiply implements Filter {
	readonly #factor: number;
	constructor(factor: number) {
		this.#factor = finite(factor, "multiply");
	}
	input(value: number): number {
		return value * this.#factor;
	}
	reset(): void {}
}

export type Datapoint = readonly [from: number, to: number];

/**
 * `calibrate_linear`: maps measured → true values through datapoints. "least_squares" (ESPHome's
 * default) fits one line y = slope·x + bias to all points; "exact" uses the segment between
 * neighbouring points (the outer segments extend beyond the ends).
 */
export class CalibrateLinear implements Filter {
	/** Per segment: slope, bias, upper bound of x (the last is +Infinity). */
	readonly #segments: Float64Array;

	constructor(datapoints: readonly Datapoint[], method: "least_squares" | "exact" = "least_squares") {
		if (!Array.isArray(datapoints) || datapoints.length < 2) throw new RangeError("invalid datapoints");
		for (const [x, y] of datapoints) {
			finite(x, "datapoint");
			finite(y, "datapoint");
		}
		if (method === "least_squares") {
			const n = datapoints.length;
			let sx = 0, sy = 0, sxx = 0, sxy = 0;
			for (const [x, y] of datapoints) {
				sx += x;
				sy += y;
				sxx += x * x;
				sxy += x * y;
			}
			const denominator = n * sxx - sx * sx;
			if (denominator === 0) throw new RangeError("invalid datapoints");
			const slope = (n * sxy - sx * sy) / denominator;
			this.#segments = Float64Array.of(slope, (sy - slope * sx) / n, Infinity);
		} else if (method === "exact") {
			const sorted = [...datapoints].sort((a, b) => a[0] - b[0]);
			this.#segments = new Float64Array(3 * (sorted.length - 1));
			for (let i = 0; i + 1 < sorted.length; i++) {
				const [x0, y0] = sorted[i], [x1, y1] = sorted[i + 1];
				if (x1 === x0) throw new RangeError("invalid datapoints");
				const slope = (y1 - y0) / (x1 - x0);
				this.#segments.set([slope, y0 - slope * x0, i + 2 < sorted.length ? x1 : Infinity], 3 * i);
			}
		} else throw new RangeError("invalid method");
	}

	input(value: number): number {
		const s = this.#segments;
		for (let i = 0; i < s.length; i += 3) if (!(value >= s[i + 2])) return value * s[i] + s[i + 1];
		return NaN;
	}

	reset(): void {}
}

/** `clamp`: finite values outside [min, max] become the bound, or are dropped with ignoreOutOfRange; NaN passes. */
export class Clamp implements Filter {
	readonly #min: number;
	readonly #max: number;
	readonly #ignore: boolean;
	constructor(min = -Infinity, max = Infinity, ignoreOutOfRange = false) {
		if (Number.isNaN(min) || Number.isNaN(max) || min > max) throw new RangeError("invalid clamp");
		this.#min = min;
		this.#max = max;
		this.#ignore = ignoreOutOfRange;
	}
	input(value: number): number | undefined {
		if (Number.isFinite(value)) {
			if (value < this.#min) return this.#ignore ? undefined : this.#min;
			if (value > this.#max) return this.#ignore ? undefined : this.#max;
		}
		return value;
	}
	reset(): void {}
}

/** The window and send_every / send_first_at counting shared by median and moving average. */
abstract class SlidingWindow implements Filter {
	protected readonly window: Float64Array;
	protected size = 0;
	#next = 0;
	readonly #sendEvery: number;
	readonly #sendFirstAt: number;
	#sendAt: number;

	constructor(windowSize: number, sendEvery: number, sendFirstAt: number) {
		this.window = new Float64Array(positiveInteger(windowSize, "window_size"));
		this.#sendEvery = positiveInteger(sendEvery, "send_every");
		this.#sendFirstAt = positiveInteger(sendFirstAt, "send_first_at");
		if (sendFirstAt > sendEvery) throw new RangeError("invalid send_first_at");
		this.#sendAt = sendEvery - sendFirstAt;
	}

	input(value: number): number | undefined {
		this.window[this.#next] = value;
		this.#next = (this.#next + 1) % this.window.length;
		if (this.size < this.window.length) this.size++;
		if (++this.#sendAt < this.#sendEvery) return undefined;
		this.#sendAt = 0;
		return this.compute();
	}

	reset(): void {
		this.size = this.#next = 0;
		this.#sendAt = this.#sendEvery - this.#sendFirstAt;
	}

	/** Result over the first `size` entries of `window` (order irrelevant), NaN entries ignored. */
	protected abstract compute(): number;
}

/** `median`: median of the last window_size values (NaN ignored; the mean of the middle two for an even count). */
export class Median extends SlidingWindow {
	readonly #sorted: Float64Array;
	constructor(windowSize: number = Defaults.MEDIAN_WINDOW, sendEvery: number = Defaults.MEDIAN_SEND_EVERY, sendFirstAt: number = Defaults.SEND_FIRST_AT) {
		super(windowSize, sendEvery, sendFirstAt);
		this.#sorted = new Float64Array(windowSize);
	}
	protected compute(): number {
		const sorted = this.#sorted;
		let n = 0;
		for (let i = 0; i < this.size; i++) {
			const v = this.window[i];
			if (Number.isNaN(v)) continue;
			let j = n++;
			for (; j > 0 && sorted[j - 1] > v; j--) sorted[j] = sorted[j - 1]; // insertion sort: windows are small
			sorted[j] = v;
		}
		if (!n) return NaN;
		const mid = n >> 1;
		return n & 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	}
}

/** `sliding_window_moving_average`: mean of the last window_size values, NaN ignored. */
export class SlidingWindowMovingAverage extends SlidingWindow {
	constructor(windowSize: number = Defaults.SMA_WINDOW, sendEvery: number = Defaults.SMA_SEND_EVERY, sendFirstAt: number = Defaults.SEND_FIRST_AT) {
		super(windowSize, sendEvery, sendFirstAt);
	}
	protected compute(): number {
		let sum = 0, n = 0;
		for (let i = 0; i < this.size; i++) {
			const v = this.window[i];
			if (Number.isNaN(v)) continue;
			sum += v;
			n++;
		}
		return n ? sum / n : NaN;
	}
}

/** `exponential_moving_average`: acc = α·x + (1-α)·acc, seeded by the first value; NaN does not update and is sent as NaN. */
export class ExponentialMovingAverage implements Filter {
	readonly #alpha: number;
	readonly #sendEvery: number;
	readonly #sendFirstAt: number;
	#sendAt: number;
	#accumulator = NaN;

	constructor(alpha: number = Defaults.EMA_ALPHA, sendEvery: number = Defaults.EMA_SEND_EVERY, sendFirstAt: number = Defaults.SEND_FIRST_AT) {
		if (!(alpha > 0 && alpha <= 1)) throw new RangeError("invalid alpha");
		this.#alpha = alpha;
		this.#sendEvery = positiveInteger(sendEvery, "send_every");
		this.#sendFirstAt = positiveInteger(sendFirstAt, "send_first_at");
		if (sendFirstAt > sendEvery) throw new RangeError("invalid send_first_at");
		this.#sendAt = sendEvery - sendFirstAt;
	}

	input(value: number): number | undefined {
		if (!Number.isNaN(value))
			this.#accumulator = Number.isNaN(this.#accumulator) ? value : this.#alpha * value + (1 - this.#alpha) * this.#accumulator;
		if (++this.#sendAt < this.#sendEvery) return undefined;
		this.#sendAt = 0;
		return Number.isNaN(value) ? value : this.#accumulator;
	}

	reset(): void {
		this.#accumulator = NaN;
		this.#sendAt = this.#sendEvery - this.#sendFirstAt;
	}
}

/** `throttle`: passes a value only if at least `intervalMs` passed since the last one passed (the first always passes). */
export class Throttle implements Filter {
	readonly #interval: number;
	#last = NaN;
	constructor(intervalMs: number) {
		this.#interval = period(intervalMs, "throttle");
	}
	input(value: number, now: number): number | undefined {
		if (!Number.isNaN(this.#last) && now - this.#last < this.#interval) return undefined;
		this.#last = now;
		return value;
	}
	reset(): void {
		this.#last = NaN;
	}
}

/**
 * `delta`: passes a value if it differs from the last passed one by at least `delta` (or, in
 * percentage mode, by that fraction of the last passed value). The first value passes; a change
 * to NaN passes once.
 */
export class Delta implements Filter {
	readonly #delta: number;
	readonly #percentage: boolean;
	#current: number;
	#last = NaN;
	constructor(delta: number, percentage = false) {
		if (!(delta >= 0 && Number.isFinite(delta))) throw new RangeError("invalid delta");
		this.#delta = this.#current = delta;
		this.#percentage = percentage;
	}
	input(value: number): number | undefined {
		if (Number.isNaN(value)) {
			if (Number.isNaN(this.#last)) return undefined;
			return this.#pass(value);
		}
		if (Number.isNaN(this.#last) || Math.abs(value - this.#last) >= this.#current) return this.#pass(value);
		return undefined;
	}
	#pass(value: number): number {
		if (this.#percentage) this.#current = Math.abs(value * this.#delta);
		return (this.#last = value);
	}
	reset(): void {
		this.#last = NaN;
		this.#current = this.#delta;
	}
}

/**
 * `heartbeat`: sends the latest value every `periodMs` (from the first value on), whether or not it
 * changed; incoming values are held, not passed (unless `optimistic`).
 */
export class Heartbeat implements Filter {
	readonly #period: number;
	readonly #optimistic: boolean;
	#value = NaN;
	#has = false;
	#due = NaN;
	constructor(periodMs: number, optimistic = false) {
		this.#period = period(periodMs, "heartbeat");
		this.#optimistic = optimistic;
	}
	input(value: number, now: number): number | undefined {
		this.#value = value;
		this.#has = true;
		if (Number.isNaN(this.#due)) this.#due = now + this.#period;
		return this.#optimistic ? value : undefined;
	}
	tick(now: number): number | undefined {
		if (!this.#has || now < this.#due) return undefined;
		this.#due += this.#period * Math.max(1, Math.floor((now - this.#due) / this.#period) + 1);
		return this.#value;
	}
	reset(): void {
		this.#has = false;
		this.#value = this.#due = NaN;
	}
}

/** `timeout`: passes values through; if none arrives for `periodMs`, sends `value` (NaN by default) once. */
export class Timeout implements Filter {
	readonly #period: number;
	readonly #value: number;
	#deadline = NaN;
	constructor(periodMs: number, value: number = Defaults.TIMEOUT_VALUE) {
		this.#period = period(periodMs, "timeout");
		this.#value = value;
	}
	input(value: number, now: number): number {
		this.#deadline = now + this.#period;
		return value;
	}
	tick(now: number): number | undefined {
		if (Number.isNaN(this.#deadline) || now < this.#deadline) return undefined;
		this.#deadline = NaN;
		return this.#value;
	}
	reset(): void {
		this.#deadline = NaN;
	}
}

/** Runs filters in order; what leaves the last one goes to `onValue`. */
export class FilterChain {
	readonly #filters: readonly Filter[];
	readonly #onValue: ((value: number, now: number) => void) | undefined;

	constructor(filters: readonly Filter[], onValue?: (value: number, now: number) => void) {
		this.#filters = Object.freeze([...filters]);
		this.#onValue = onValue;
	}

	/** Feeds a raw value; returns what came out of the chain (also given to onValue), or undefined. */
	input(value: number, now: number): number | undefined {
		return this.#run(0, value, now);
	}

	/** Lets time-driven filters emit; returns the last value that came out, or undefined. */
	tick(now: number): number | undefined {
		let out: number | undefined;
		const filters = this.#filters;
		for (let i = 0; i < filters.length; i++) {
			const emitted = filters[i].tick?.(now);
			if (emitted !== undefined) {
				const result = this.#run(i + 1, emitted, now);
				if (result !== undefined) out = result;
			}
		}
		return out;
	}

	reset(): void {
		for (const filter of this.#filters) filter.reset();
	}

	#run(from: number, value: number, now: number): number | undefined {
		let v: number | undefined = value;
		const filters = this.#filters;
		for (let i = from; i < filters.length && v !== undefined; i++) v = filters[i].input(v, now);
		if (v !== undefined) this.#onValue?.(v, now);
		return v;
	}
}

/** ESPHome-style configuration of one filter (the YAML keys; times in ms; "5%" deltas as strings). */
export type FilterSpec =
	| { readonly offset: number }
	| { readonly multiply: number }
	| { readonly calibrate_linear: readonly Datapoint[] | { readonly datapoints: readonly Datapoint[]; readonly method?: "least_squares" | "exact" } }
	| { readonly clamp: { readonly min_value?: number; readonly max_value?: number; readonly ignore_out_of_range?: boolean } }
	| { readonly median: WindowSpec }
	| { readonly sliding_window_moving_average: WindowSpec }
	| { readonly exponential_moving_average: { readonly alpha?: number; readonly send_every?: number; readonly send_first_at?: number } }
	| { readonly throttle: number }
	| { readonly delta: number | `${number}%` }
	| { readonly heartbeat: number | { readonly period: number; readonly optimistic?: boolean } }
	| { readonly timeout: number | { readonly period: number; readonly value?: number } };

export interface WindowSpec {
	readonly window_size?: number;
	readonly send_every?: number;
	readonly send_first_at?: number;
}

/** Builds a filter from its ESPHome-style spec, with ESPHome's defaults. Throws RangeError on a bad spec. */
export function createFilter(spec: FilterSpec): Filter {
	const keys = typeof spec === "object" && spec !== null ? Object.keys(spec) : [];
	if (keys.length !== 1) throw new RangeError("invalid filter");
	const s = spec;
	if ("offset" in s) return new Offset(s.offset);
	if ("multiply" in s) return new Multiply(s.multiply);
	if ("calibrate_linear" in s) {
		const c = s.calibrate_linear;
		return Array.isArray(c) ? new CalibrateLinear(c) : new CalibrateLinear((c as { datapoints: Datapoint[] }).datapoints, (c as { method?: "least_squares" | "exact" }).method);
	}
	if ("clamp" in s) return new Clamp(s.clamp.min_value, s.clamp.max_value, s.clamp.ignore_out_of_range);
	if ("median" in s)
		return new Median(s.median.window_size ?? Defaults.MEDIAN_WINDOW, s.median.send_every ?? Defaults.MEDIAN_SEND_EVERY, s.median.send_first_at ?? Defaults.SEND_FIRST_AT);
	if ("sliding_window_moving_average" in s) {
		const w = s.sliding_window_moving_average;
		return new SlidingWindowMovingAverage(w.window_size ?? Defaults.SMA_WINDOW, w.send_every ?? Defaults.SMA_SEND_EVERY, w.send_first_at ?? Defaults.SEND_FIRST_AT);
	}
	if ("exponential_moving_average" in s) {
		const e = s.exponential_moving_average;
		return new ExponentialMovingAverage(e.alpha ?? Defaults.EMA_ALPHA, e.send_every ?? Defaults.EMA_SEND_EVERY, e.send_first_at ?? Defaults.SEND_FIRST_AT);
	}
	if ("throttle" in s) return new Throttle(s.throttle);
	if ("delta" in s) {
		const d = s.delta;
		if (typeof d === "string") {
			if (!/^\d+(\.\d+)?%$/.test(d)) throw new RangeError("invalid delta");
			return new Delta(Number(d.slice(0, -1)) / 100, true);
		}
		return new Delta(d);
	}
	if ("heartbeat" in s) {
		const h = s.heartbeat;
		return typeof h === "number" ? new Heartbeat(h) : new Heartbeat(h.period, h.optimistic);
	}
	if ("timeout" in s) {
		const t = s.timeout;
		return typeof t === "number" ? new Timeout(t) : new Timeout(t.period, t.value);
	}
	throw new RangeError(`unknown filter ${keys[0]}`);
}

/** Builds a chain from specs, in order. */
export function createChain(specs: readonly FilterSpec[], onValue?: (value: number, now: number) => void): FilterChain {
	return new FilterChain(specs.map(createFilter), onValue);
}
