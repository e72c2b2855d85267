/*
 * Test driver for the controller core: virtual time, a sensor that reports every
 * `sampleMs` (or falls silent), control ticks every 10 s, and the relay changes recorded
 * with their reasons. Times are ms since boot; temperatures °C unless a test says otherwise.
 */
import { resolveConfig, type ThermostatConfig, type Tuning } from "app/thermostat/config";
import { ThermostatCore } from "app/thermostat/controller";
import { createInputs, type ControlInputs } from "app/thermostat/decision";
import { Settings } from "app/thermostat/settings";

export interface Change {
	readonly t: number;
	readonly relay: string;
	readonly on: boolean;
	readonly reason: string;
}

export const TICK_MS = 10_000;

export class Drive {
	readonly tuning: Tuning;
	readonly settings: Settings;
	readonly inputs: ControlInputs = createInputs();
	readonly changes: Change[] = [];
	core: ThermostatCore;
	now = 0;
	/** The sensor's value (°C), reported every sampleMs while not undefined. */
	temperature: number | undefined;
	sampleMs = 30_000;
	#nextSample = 0;
	#nextTick = TICK_MS;

	constructor(config: ThermostatConfig = {}, temperature?: number) {
		this.tuning = resolveConfig(config);
		this.settings = new Settings(this.tuning);
		this.core = new ThermostatCore(this.tuning, 0);
		this.temperature = temperature;
		this.#sample();
		this.step();
	}

	/** Runs `ms` of virtual time: samples, ticks. */
	advance(ms: number): this {
		const end = this.now + ms;
		for (;;) {
			const next = Math.min(this.#nextTick, this.temperature === undefined ? Infinity : this.#nextSample);
			if (next > end) break;
			this.now = next;
			if (next === this.#nextSample && this.temperature !== undefined) this.#sample();
			if (next === this.#nextTick) this.#nextTick += TICK_MS;
			this.step();
		}
		this.now = end;
		return this;
	}

	/** Runs until `relay` is in state `on` (at most `limitMs`); returns the time it took. */
	until(relay: string, on: boolean, limitMs = 6 * 3_600_000): number {
		const start = this.now;
		while (this.isOn(relay) !== on) {
			if (this.now - start >= limitMs) throw new Error(`${relay} not ${on ? "on" : "off"} within ${limitMs} ms`);
			this.advance(1000);
		}
		return this.now - start;
	}

	/** A reading now (a prompt step follows, as the adapter does). */
	reading(celsius: number): this {
		this.temperature = celsius;
		this.#sample();
		this.step();
		return this;
	}

	/** The sensor falls silent (no more samples). */
	silence(): this {
		this.temperature = undefined;
		return this;
	}

	/** A settings command (then a prompt step). */
	command(apply: (settings: Settings) => void): this {
		apply(this.settings);
		this.step();
		return this;
	}

	/** Power cut at now: the device is off for `offMs`, then boots with a fresh core. */
	reboot(offMs = 0): this {
		this.now += offMs;
		this.core = new ThermostatCore(this.tuning, this.now);
		this.inputs.temperature = NaN;
		this.inputs.temperatureAt = -Infinity;
		this.#nextTick = this.now + TICK_MS;
		this.#nextSample = this.now + this.sampleMs;
		this.changes.push({ t: this.now, relay: "*", on: false, reason: "reboot" });
		this.step();
		return this;
	}

	step(): number {
		const inputs = this.inputs, settings = this.settings, core = this.core;
		inputs.mode = settings.mode;
		inputs.heat = settings.heat;
		inputs.cool = settings.cool;
		inputs.fanMode = settings.fanMode;
		inputs.circulateMinutes = settings.circulateMinutes;
		const count = core.step(this.now, inputs);
		for (let k = 0; k < count; k++) {
			const i = core.changes[k];
			this.changes.push({ t: this.now, relay: core.names[i], on: core.isOn(i), reason: core.reason(i) });
		}
		return count;
	}

	isOn(relay: string): boolean {
		const i = this.core.names.indexOf(relay as never);
		if (i < 0) throw new RangeError(`no relay ${relay}`);
		return this.core.isOn(i);
	}

	/** The relays that are on, e.g. "heat+fan", or "" */
	get on(): string {
		return this.core.names.filter((_, i) => this.core.isOn(i)).join("+");
	}

	/** Changes of one relay: "on@t" / "off@t" (t in s). */
	history(relay: string): string[] {
		return this.changes.filter((c) => c.relay === relay).map((c) => `${c.on ? "on" : "off"}@${c.t / 1000}`);
	}

	last(relay: string): Change {
		const found = this.changes.filter((c) => c.relay === relay).at(-1);
		if (!found) throw new Error(`${relay} never changed`);
		return found;
	}

	#sample(): void {
		if (this.temperature === undefined) return;
		this.inputs.temperature = this.temperature;
		this.inputs.temperatureAt = this.now;
		this.#nextSample = this.now + this.sampleMs;
	}
}

/** No equipment timers: decision tests see the hysteresis alone. */
export const NO_TIMERS: ThermostatConfig = Object.freeze({
	heating: { minRunMs: 0, minOffMs: 0 }, cooling: { minRunMs: 0, minOffMs: 0 }, stage2: { minRunMs: 0, minOffMs: 0 },
	fan: { minRunMs: 0, minOffMs: 0 }, minIdleMs: 0, changeoverMs: 0,
});
