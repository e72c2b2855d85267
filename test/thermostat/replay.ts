/*
 * Device-side replayer for the property-based safety tests (test/node/thermostat-properties).
 * Node writes generated cases: `--arg cases=<file>.json` (per case: a ThermostatConfig) and
 * `--arg events=<file>.bin` (Float64, per case: a count, then (t, kind, a, b) per event).
 * Each case runs on a fresh controller core in virtual time: a control tick every tickMs
 * since boot, and a prompt step after every input, as app/thermostat/thermostat does. Prints
 * the relay command stream as JSON lines: [case, t, relay, on, reason] for a change,
 * [case, t, -1, offMs] for a reboot or power cut (every relay drops out at t; the device
 * boots at t + offMs), [case, t, -2] at the end of a case.
 */
import { arg, exit, readFile } from "xshost";
import { resolveConfig, MODES, FAN_MODES, PRESETS, type ThermostatConfig, type Tuning } from "app/thermostat/config";
import { ThermostatCore } from "app/thermostat/controller";
import { Settings } from "app/thermostat/settings";
import { createInputs, type ControlInputs } from "app/thermostat/decision";

export const Kind = Object.freeze({ SAMPLE: 1, OUTDOOR: 2, MODE: 3, SETPOINTS: 4, FAN: 5, PRESET: 6, REBOOT: 7, END: 8, FAULT: 9 });

interface CaseHeader {
	readonly tickMs: number;
	readonly count: number;
}

class Replay {
	readonly #id: number;
	readonly #tuning: Tuning;
	readonly #tick: number;
	readonly #settings: Settings;
	readonly #inputs: ControlInputs = createInputs();
	#core: ThermostatCore;
	#bootAt = 0;
	#nextTick: number;

	constructor(id: number, config: ThermostatConfig, tickMs: number) {
		this.#id = id;
		this.#tuning = resolveConfig(config);
		this.#tick = tickMs;
		this.#settings = new Settings(this.#tuning);
		this.#core = new ThermostatCore(this.#tuning, 0);
		this.#nextTick = tickMs;
		this.#settle();
		this.#step(0);
	}

	/** Runs the ticks due before `t`; false while the device is off. */
	advance(t: number): boolean {
		if (t < this.#bootAt) return false;
		while (this.#nextTick < t) {
			this.#step(this.#nextTick);
			this.#nextTick += this.#tick;
		}
		return true;
	}

	apply(t: number, kind: number, a: number, b: number): void {
		const inputs = this.#inputs, settings = this.#settings;
		switch (kind) {
		case Kind.SAMPLE:
			inputs.temperature = a;
			inputs.temperatureAt = t;
			break;
		case Kind.OUTDOOR:
			inputs.outdoor = a;
			break;
		case Kind.MODE:
			settings.setMode(MODES[a]);
			this.#settle();
			break;
		case Kind.SETPOINTS:
			settings.setSetpoints(a === a ? a : undefined, b === b ? b : undefined);
			this.#settle();
			break;
		case Kind.FAN:
			settings.setFanMode(FAN_MODES[a], b);
			this.#settle();
			break;
		case Kind.PRESET:
			settings.setPreset(PRESETS[a]);
			this.#settle();
			break;
		case Kind.FAULT:
			inputs.fault = a === 1;
			break;
		case Kind.REBOOT:
			trace(`[${this.#id},${t},-1,${a}]\n`);
			this.#bootAt = t + a;
			this.#core = new ThermostatCore(this.#tuning, this.#bootAt);
			inputs.temperature = NaN;
			inputs.temperatureAt = -Infinity;
			inputs.outdoor = NaN;
			inputs.fault = false;
			this.#nextTick = this.#bootAt + this.#tick;
			break;
		default:
			break;
		}
	}

	/** A prompt step after inputs at `t` (the tick due at t included). */
	settle(t: number): void {
		if (this.#nextTick === t) this.#nextTick += this.#tick;
		this.#step(t < this.#bootAt ? this.#bootAt : t);
	}

	end(t: number): void {
		this.advance(t + 1);
		trace(`[${this.#id},${t},-2]\n`);
	}

	/** The settings into the inputs (after a command, as the adapter does). */
	#settle(): void {
		const inputs = this.#inputs, settings = this.#settings;
		inputs.mode = settings.mode;
		inputs.heat = settings.heat;
		inputs.cool = settings.cool;
		inputs.fanMode = settings.fanMode;
		inputs.circulateMinutes = settings.circulateMinutes;
	}

	#step(now: number): void {
		const core = this.#core;
		const count = core.step(now, this.#inputs);
		for (let k = 0; k < count; k++) {
			const i = core.changes[k];
			trace(`[${this.#id},${now},${i},${core.isOn(i) ? 1 : 0},${JSON.stringify(core.reason(i))}]\n`);
		}
	}
}

/**
 * Mutation testing of the property test itself (`--arg mutate=<rule>`): the controller gets a
 * configuration that breaks one rule while the checker keeps the case's, so a run must fail.
 */
function mutated(config: ThermostatConfig, rule: string | undefined): ThermostatConfig {
	switch (rule) {
	case undefined: return config;
	case "min-off": return { ...config, heating: { ...config.heating, minOffMs: 0 }, cooling: { ...config.cooling, minOffMs: 0 }, stage2: { ...config.stage2, minOffMs: 0 } };
	case "stale": return { ...config, staleAfterMs: (config.staleAfterMs ?? 300_000) * 20 };
	case "changeover": return { ...config, changeoverMs: 0 };
	case "max-run": return { ...config, heating: { ...config.heating, maxRunMs: Infinity }, cooling: { ...config.cooling, maxRunMs: Infinity } };
	default: throw new Error(`replay: unknown mutation ${rule}`);
	}
}

const casesPath = arg("cases"), eventsPath = arg("events"), mutate = arg("mutate");
if (!casesPath || !eventsPath) throw new Error("replay: --arg cases=<json> --arg events=<bin>");
const text = readFile(casesPath);
const bytes = readFile(eventsPath);
if (!text || !bytes) throw new Error("replay: cannot read the case files");
// JSON lines: a header, then one configuration per case, parsed one at a time from the bytes
// (XS strings are UTF-8: indexing into one large string would be quadratic)
const raw = new Uint8Array(text);
let line = 0;
const nextLine = (): string => {
	let end = line;
	while (raw[end] !== 0x0a) end++;
	const out = String.fromArrayBuffer(text.slice(line, end));
	line = end + 1;
	return out;
};
const header = JSON.parse(nextLine()) as CaseHeader;
const events = new Float64Array(bytes);
let at = 0;
for (let id = 0; id < header.count; id++) {
	const config = JSON.parse(nextLine()) as ThermostatConfig;
	const count = events[at++];
	const replay = new Replay(id, mutated(config, mutate), header.tickMs);
	let pending = false, pendingT = 0;
	for (let e = 0; e < count; e++, at += 4) {
		const t = events[at], kind = events[at + 1], a = events[at + 2], b = events[at + 3];
		if (pending && t !== pendingT) {
			replay.settle(pendingT);
			pending = false;
		}
		if (kind === Kind.END) {
			replay.end(t);
			continue;
		}
		if (!replay.advance(t)) continue; // the device is off: the input is lost
		replay.apply(t, kind, a, b);
		pending = kind !== Kind.REBOOT;
		pendingT = t;
		if (kind === Kind.REBOOT) replay.settle(t + a);
	}
	if (pending) replay.settle(pendingT);
}
exit(0);
