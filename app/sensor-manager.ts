/*
 * The sensor layer: samples each configured sensor on its interval, filters each quantity
 * (ESPHome semantics, app/filters), logs readings, and keeps the rest of the device safe from
 * bus trouble. A failing read is retried a bounded number of times, then reported once as a
 * typed `fault` event; a sensor with no valid sample for its timeout is `stale` (a fault
 * event too) until a valid one arrives (`recovered`). A sensor whose chip cannot be opened
 * (unplugged at boot, wrong chip) is retried every interval, and a chip that lost its
 * configuration is re-initialised by its driver. Nothing here throws out of a timer.
 */
import Timer from "timer";
import { createChain, type FilterChain, type FilterSpec } from "app/filters";
import type { EventLog } from "app/eventlog";
import type { OnError, SensorErrorCode } from "drivers/errors";

/** Quantities a sensor reports this sample; NaN where the driver had no valid value. */
export type Quantities = Record<string, number>;

export interface SensorSpec<Driver> {
	/** Name in events and queries ("climate", "pir"). */
	readonly name: string;
	/** Opens the driver; throws when the chip is absent or not the expected one. */
	open(onError: OnError): Driver;
	/** Samples the driver into `into` (preallocated; NaN for missing values). */
	read(driver: Driver, into: Quantities): void;
	close(driver: Driver): void;
	readonly intervalMs: number;
	/** No valid sample for this long makes the sensor stale; default 3 intervals, at most 5 minutes. */
	readonly staleAfterMs?: number;
	/** Per-quantity filter chains, ESPHome-style specs in order. */
	readonly filters?: Readonly<Record<string, readonly FilterSpec[]>>;
	/** The quantities the sensor reports (preallocated at construction). */
	readonly quantities: readonly string[];
	/** Quantities without which a sample is not valid; default the first one. */
	readonly required?: readonly string[];
}

export type ReadingListener = (sensor: string, values: Readonly<Quantities>, stale: boolean) => void;

/** Retries of a failed read before it is reported, and the pause between them (ms). */
const RETRIES = 2;
const RETRY_MS = 50;
const STALE_INTERVALS = 3;
const STALE_MAX_MS = 300_000;
/** The stale timer repeats this rarely once stale (it is rescheduled by every valid sample). */
const STALE_RECHECK_MS = 86_400_000;

export class SensorManager {
	readonly #log: EventLog;
	readonly #now: () => number;
	readonly #sensors: ManagedSensor[] = [];
	readonly #listeners: ReadingListener[] = [];

	constructor(log: EventLog, now: () => number) {
		this.#log = log;
		this.#now = now;
	}

	add<Driver>(spec: SensorSpec<Driver>): void {
		if (this.#sensors.some((s) => s.name === spec.name)) throw new RangeError(`sensor "${spec.name}" added twice`);
		this.#sensors.push(new ManagedSensor(spec as SensorSpec<unknown>, this.#log, this.#now, (name, values, stale) => {
			for (const listener of this.#listeners) listener(name, values, stale);
		}));
	}

	/** Called after every sample with the latest filtered values (and when staleness changes). */
	listen(listener: ReadingListener): void {
		this.#listeners.push(listener);
	}

	start(): void {
		for (const sensor of this.#sensors) sensor.start();
	}

	stop(): void {
		for (const sensor of this.#sensors) sensor.stop();
	}

	/** The latest filtered value of a quantity, or NaN when unknown or stale. */
	value(sensor: string, quantity: string): number {
		return this.#find(sensor).value(quantity);
	}

	stale(sensor: string): boolean {
		return this.#find(sensor).isStale;
	}

	#find(name: string): ManagedSensor {
		const sensor = this.#sensors.find((s) => s.name === name);
		if (!sensor) throw new RangeError(`no sensor "${name}"`);
		return sensor;
	}
}

class ManagedSensor {
	readonly name: string;
	readonly #spec: SensorSpec<unknown>;
	readonly #log: EventLog;
	readonly #now: () => number;
	readonly #notify: ReadingListener;
	readonly #raw: Quantities = {};
	readonly #values: Quantities = {};
	readonly #chains: Record<string, FilterChain | undefined> = {};
	readonly #staleAfterMs: number;
	readonly #required: readonly string[];
	readonly #onError: OnError;
	#driver: unknown;
	#timer: ReturnType<typeof Timer.set> | undefined;
	#retry: ReturnType<typeof Timer.set> | undefined;
	#staleTimer: ReturnType<typeof Timer.set> | undefined;
	#attempt = 0;
	/** Error codes seen since the last valid sample (the first failed attempt's). */
	#pendingError: SensorErrorCode | "absent" | undefined;
	/** The fault currently reported in the log, until a valid sample recovers it. */
	#reported: string | undefined;
	#stale = false;
	#openFailure: string | undefined;

	constructor(spec: SensorSpec<unknown>, log: EventLog, now: () => number, notify: ReadingListener) {
		this.name = spec.name;
		this.#spec = spec;
		this.#log = log;
		this.#now = now;
		this.#notify = notify;
		this.#staleAfterMs = spec.staleAfterMs ?? Math.min(STALE_INTERVALS * spec.intervalMs, STALE_MAX_MS);
		this.#required = spec.required ?? spec.quantities.slice(0, 1);
		for (const quantity of spec.quantities) {
			this.#raw[quantity] = NaN;
			this.#values[quantity] = NaN;
			const filters = spec.filters?.[quantity];
			this.#chains[quantity] = filters?.length ? createChain(filters) : undefined;
		}
		this.#onError = (code) => {
			this.#pendingError ??= code;
		};
	}

	get isStale(): boolean {
		return this.#stale;
	}

	value(quantity: string): number {
		return this.#stale ? NaN : (this.#values[quantity] ?? NaN);
	}

	start(): void {
		this.#ensureOpen();
		this.#timer = Timer.repeat(() => this.#tick(), this.#spec.intervalMs);
		this.#staleTimer = Timer.set(() => this.#setStale(true), this.#staleDelay(), STALE_RECHECK_MS);
	}

	stop(): void {
		Timer.clear(this.#timer);
		Timer.clear(this.#retry);
		Timer.clear(this.#staleTimer);
		this.#timer = this.#retry = this.#staleTimer = undefined;
		this.#closeDriver();
	}

	#tick(): void {
		Timer.clear(this.#retry);
		this.#retry = undefined;
		this.#attempt = 0;
		this.#sample();
	}

	#ensureOpen(): boolean {
		if (this.#driver !== undefined) return true;
		try {
			this.#driver = this.#spec.open(this.#onError);
			this.#openFailure = undefined;
			if (this.#pendingError === "absent") this.#pendingError = undefined; // a chip still starting up at boot
			return true;
		} catch (error) {
			this.#openFailure = error instanceof Error ? error.message : String(error);
			this.#pendingError ??= "absent";
			return false;
		}
	}

	/* Per-sample path: no closures, iterators or objects (indexed loops, preallocated records). */
	#sample(): void {
		const now = this.#now();
		const quantities = this.#spec.quantities;
		const raw = this.#raw;
		let valid = false;
		if (this.#ensureOpen()) {
			for (let i = 0; i < quantities.length; i++) raw[quantities[i]] = NaN;
			try {
				this.#spec.read(this.#driver, raw);
			} catch (error) {
				this.#driverFailed(error);
			}
			valid = true;
			const required = this.#required;
			for (let i = 0; i < required.length; i++) if (Number.isNaN(raw[required[i]])) valid = false;
		}
		if (valid) this.#accept(now);
		else if (this.#attempt < RETRIES) {
			this.#attempt++;
			this.#retry = Timer.set(() => this.#sample(), RETRY_MS);
		} else this.#reject();
	}

	/** A valid sample; an error on an optional quantity is still a fault (reported once). */
	#accept(now: number): void {
		Timer.schedule(this.#staleTimer!, this.#staleDelay(), STALE_RECHECK_MS);
		const error = this.#pendingError;
		this.#pendingError = undefined;
		if (error === undefined && this.#reported !== undefined) {
			this.#log.emit({ type: "recovered", source: this.name, error: this.#reported });
			this.#reported = undefined;
		} else if (error !== undefined && this.#reported === undefined) {
			this.#reported = error;
			this.#log.emit({ type: "fault", source: this.name, error });
		}
		this.#setStale(false);
		let changed = false;
		const values = this.#values;
		const quantities = this.#spec.quantities;
		for (let i = 0; i < quantities.length; i++) {
			const quantity = quantities[i];
			const raw = this.#raw[quantity];
			if (Number.isNaN(raw)) continue;
			const chain = this.#chains[quantity];
			const out = chain ? chain.input(raw, now) : raw;
			if (out !== undefined) {
				values[quantity] = out;
				changed = true;
			}
		}
		if (changed) {
			this.#log.emit({ type: "reading", sensor: this.name, values: this.#defined() });
			this.#notify(this.name, values, false);
		}
	}

	#reject(): void {
		const error = this.#pendingError ?? "bus";
		this.#pendingError = undefined;
		if (this.#reported === undefined) {
			this.#reported = error;
			this.#log.emit({ type: "fault", source: this.name, error: this.#openFailure && error === "absent" ? `absent: ${this.#openFailure}` : error });
		}
		// A chip that keeps failing is re-opened: a replugged chip comes back in its reset state.
		if (error === "bus" || error === "identity") this.#closeDriver();
	}

	/** A sample due at the timeout still counts, retries included: stale strictly after that. */
	#staleDelay(): number {
		return this.#staleAfterMs + RETRIES * RETRY_MS + 1;
	}

	#setStale(stale: boolean): void {
		if (stale === this.#stale) return;
		this.#stale = stale;
		if (stale) this.#log.emit({ type: "fault", source: this.name, error: "stale" });
		else this.#log.emit({ type: "recovered", source: this.name, error: "stale" });
		this.#notify(this.name, this.#values, stale);
	}

	/** The values that are known, for the log (allocates: once per logged reading). */
	#defined(): Quantities {
		const out: Quantities = {};
		for (const quantity of this.#spec.quantities)
			if (!Number.isNaN(this.#values[quantity])) out[quantity] = round(this.#values[quantity]);
		return out;
	}

	#closeDriver(): void {
		const driver = this.#driver;
		this.#driver = undefined;
		if (driver === undefined) return;
		try {
			this.#spec.close(driver);
		} catch {
			// closing a driver whose bus is gone may fail; the driver is dropped either way
		}
	}

	/*
	 * Drivers report run-time faults through onError; a throw from read() is a driver bug or a
	 * dead bus. Either way the device keeps running, the fault is logged and the driver reopened.
	 */
	#driverFailed(error: unknown): void {
		this.#pendingError ??= "bus";
		if (this.#reported === undefined) {
			this.#reported = "bus";
			this.#log.emit({ type: "fault", source: this.name, error: `driver: ${error instanceof Error ? error.message : String(error)}` });
		}
		this.#closeDriver();
	}
}

/** Readings are logged to 0.01 of their unit; the filters work at full precision. */
function round(value: number): number {
	return Math.round(value * 100) / 100;
}
