/*
 * The thermostat on the device: a thin adapter around the controller core. It owns the relay
 * drivers (built first, so every relay is driven off before anything else runs), runs a
 * control step every tick (10 s) and promptly on each new temperature reading or command,
 * applies the core's changes in its order, and logs each as a `relay` event with its reason.
 * A temperature fault is logged once per episode (`fault` / `recovered`, source
 * "thermostat"); a relay driver's error (bus, read-back) is an equipment fault: heating and
 * cooling stay off (frost floor excepted) until clearEquipmentFault() or a reboot.
 *
 * Hooks for what lies outside the core: a SetpointProvider (the weekly schedule, smart
 * recovery) overrides the set points each tick; setPreset() takes a source for occupancy or
 * the schedule; a SettingsStore keeps the settings across reboots; `outdoor` gives the
 * outdoor temperature (weather over MQTT, an outdoor sensor).
 */
import Timer from "timer";
import Relay from "drivers/relay";
import type { DigitalConstructor } from "drivers/io";
import type { EventLog } from "app/eventlog";
import type { SensorManager, Quantities } from "app/sensor-manager";
import { resolveConfig, type ThermostatConfig, type Tuning, type Mode, type FanMode, type Preset, type Action } from "app/thermostat/config";
import { ThermostatCore, type TemperatureFault } from "app/thermostat/controller";
import { createInputs, type ControlInputs } from "app/thermostat/decision";
import { Settings, type SettingsStore, type SetpointProvider, type SetpointTarget } from "app/thermostat/settings";
import { RELAY_COUNT } from "app/thermostat/relays";
import { fromCelsius } from "app/thermostat/units";

/** Control tick (brief: a decision every 10 s, and at once on a reading or a command). */
export const TICK_MS = 10_000;
/** The prompt decision's timer waits this long when idle (it is rescheduled to 0 ms on each reading or command). */
const PROMPT_IDLE_MS = 86_400_000;

export interface ThermostatOptions {
	readonly log: EventLog;
	/** Monotonic ms (Time.ticks). */
	readonly now: () => number;
	readonly config?: ThermostatConfig;
	/** Relay outputs by relay name: heat, heat2, cool, fan (conventional); compressor, aux, ob, fan (heat pump). */
	readonly relays: { readonly io: DigitalConstructor; readonly pins: Readonly<Record<string, number>>; readonly activeLow?: boolean };
	/** Where the room temperature comes from: a sensor of the sensor manager (default "climate" / "temperature"). */
	readonly sensors?: SensorManager;
	readonly sensor?: string;
	readonly quantity?: string;
	/** Outdoor temperature, °C, NaN when unknown. */
	readonly outdoor?: () => number;
	readonly store?: SettingsStore;
	readonly setpoints?: SetpointProvider;
	readonly tickMs?: number;
}

/** The state for MQTT / BLE / Home Assistant (temperatures in the configured unit). */
export interface ThermostatState {
	mode: Mode;
	action: Action;
	preset: Preset;
	fanMode: FanMode;
	circulateMinutes: number;
	unit: "C" | "F";
	heatSetpoint: number;
	coolSetpoint: number;
	temperature: number | null;
	fault: TemperatureFault | "equipment";
	relays: Record<string, boolean>;
	why: string;
}

export class Thermostat {
	readonly #log: EventLog;
	readonly #now: () => number;
	readonly #tuning: Tuning;
	readonly #core: ThermostatCore;
	readonly #settings: Settings;
	readonly #relays: (Relay | undefined)[] = [];
	readonly #inputs: ControlInputs = createInputs();
	readonly #target: SetpointTarget = { heat: NaN, cool: NaN };
	readonly #options: ThermostatOptions;
	readonly #tick: () => void;
	readonly #onReading: (sensor: string, values: Readonly<Quantities>, stale: boolean) => void;
	#timer: ReturnType<typeof Timer.repeat> | undefined;
	/**
	 * Decides soon after a reading or a command, from its own timer, never inside the caller's
	 * stack (the sensor layer's, a driver's, MQTT's): with XS's 512-slot device stack, a relay
	 * event (and the journal write it causes) at the end of the sensor layer's call chain
	 * overflowed it in a simulated day.
	 */
	#prompt: ReturnType<typeof Timer.set> | undefined;
	#reportedFault: string = "";
	#listening = false;

	constructor(options: ThermostatOptions) {
		this.#options = options;
		this.#log = options.log;
		this.#now = options.now;
		this.#tuning = resolveConfig(options.config);
		const names = this.#tuning.system === "heat_pump" ? ["compressor", "aux", "ob", "fan"] : ["heat", "heat2", "cool", "fan"];
		// relays first: each is driven off in its constructor, before anything else can run
		const { io, pins, activeLow } = options.relays;
		try {
			for (let i = 0; i < RELAY_COUNT; i++) {
				if (!this.#tuning.present[i]) {
					this.#relays.push(undefined);
					continue;
				}
				const name = names[i], pin = pins[name];
				if (!Number.isInteger(pin)) throw new RangeError(`thermostat: no pin for relay ${name}`);
				this.#relays.push(new Relay({ relay: { io, pin }, activeLow, now: options.now,
					onError: (error) => this.#relayError(name, error) }));
			}
		} catch (error) {
			for (const relay of this.#relays) relay?.close();
			throw error;
		}
		this.#core = new ThermostatCore(this.#tuning, options.now());
		this.#settings = new Settings(this.#tuning, options.store?.load());
		this.#tick = () => this.#control();
		const sensor = options.sensor ?? "climate", quantity = options.quantity ?? "temperature";
		this.#onReading = (name, values, stale) => {
			if (name !== sensor) return;
			this.reading(stale ? NaN : values[quantity], this.#now());
		};
	}

	/** Logs the boot state of every relay (off), starts the control tick and listens to the sensor. */
	start(): void {
		if (this.#timer !== undefined) return;
		for (let i = 0; i < RELAY_COUNT; i++)
			if (this.#relays[i]) this.#log.emit({ type: "relay", relay: this.#core.names[i], on: false, reason: this.#core.reason(i) });
		if (!this.#listening && this.#options.sensors) {
			this.#options.sensors.listen(this.#onReading);
			this.#listening = true;
		}
		this.#timer = Timer.repeat(this.#tick, this.#options.tickMs ?? TICK_MS);
		this.#prompt = Timer.set(this.#tick, 0, PROMPT_IDLE_MS); // the first decision, then on demand
	}

	/** Stops controlling and drives every relay off (closing the drivers). */
	stop(): void {
		if (this.#timer !== undefined) Timer.clear(this.#timer);
		if (this.#prompt !== undefined) Timer.clear(this.#prompt);
		this.#timer = this.#prompt = undefined;
		for (let i = 0; i < RELAY_COUNT; i++) {
			const relay = this.#relays[i];
			if (!relay) continue;
			const wasOn = relay.on;
			relay.close();
			if (wasOn) this.#log.emit({ type: "relay", relay: this.#core.names[i], on: false, reason: `${this.#core.names[i]} off: thermostat stopped` });
			this.#relays[i] = undefined;
		}
	}

	/** A temperature reading (°C; NaN: none valid) sampled at `at` (monotonic ms); a decision follows at once (0 ms timer). */
	reading(celsius: number, at: number): void {
		this.#inputs.temperature = celsius;
		this.#inputs.temperatureAt = at;
		this.#soon();
	}

	setMode(mode: Mode): void {
		this.#settings.setMode(mode);
		this.#changed();
	}

	/** Set points in the configured unit (either may be omitted); the active preset's when one is. */
	setSetpoints(heat?: number, cool?: number): void {
		this.#settings.setSetpoints(heat, cool);
		this.#changed();
	}

	setFanMode(fanMode: FanMode, circulateMinutes?: number): void {
		this.#settings.setFanMode(fanMode, circulateMinutes);
		this.#changed();
	}

	/** Selects a preset; `source` (command, schedule, occupancy) is for the log. */
	setPreset(preset: Preset, source = "command"): void {
		const before = this.#settings.preset;
		this.#settings.setPreset(preset);
		if (before !== preset) this.#log.emit({ type: "sync", state: `preset ${preset} (${source})` });
		this.#changed();
	}

	setPresetSetpoints(preset: Exclude<Preset, "none">, heat: number, cool: number): void {
		this.#settings.setPresetSetpoints(preset, heat, cool);
		this.#changed();
	}

	/** Ends an equipment fault (a command, once the wiring is checked). */
	clearEquipmentFault(): void {
		if (!this.#inputs.fault) return;
		this.#inputs.fault = false;
		this.#changed();
	}

	/** Why each relay is as it is (for MQTT / BLE / the console). */
	why(): string {
		return this.#core.why();
	}

	get action(): Action {
		return this.#core.action;
	}

	/** The selected preset (allocation-free, unlike state()). */
	get preset(): Preset {
		return this.#settings.preset;
	}

	get mode(): Mode {
		return this.#settings.mode;
	}

	state(): ThermostatState {
		const unit = this.#tuning.unit, core = this.#core, inputs = this.#inputs;
		const relays: Record<string, boolean> = {};
		for (let i = 0; i < RELAY_COUNT; i++) if (this.#tuning.present[i]) relays[core.names[i]] = core.isOn(i);
		const valid = core.fault === "" && core.started;
		return {
			mode: this.#settings.mode, action: core.action, preset: this.#settings.preset,
			fanMode: this.#settings.fanMode, circulateMinutes: this.#settings.circulateMinutes, unit,
			// the set points in force: the last tick's (a provider's may differ from the settings'), or the settings' before start
			heatSetpoint: round1(fromCelsius(this.#timer === undefined ? this.#settings.heat : inputs.heat, unit)),
			coolSetpoint: round1(fromCelsius(this.#timer === undefined ? this.#settings.cool : inputs.cool, unit)),
			temperature: valid ? round1(fromCelsius(inputs.temperature, unit)) : null,
			fault: inputs.fault ? "equipment" : core.fault, relays, why: core.why(),
		};
	}

	#changed(): void {
		this.#options.store?.save(this.#settings.saved());
		this.#soon();
	}

	/** A relay driver's onError: logged once per episode; heating and cooling stop until cleared. */
	#relayError(name: string, error: string): void {
		if (this.#inputs.fault) return;
		this.#log.emit({ type: "fault", source: `relay-${name}`, error });
		this.#inputs.fault = true;
		this.#soon(); // decide outside the driver's call
	}

	/** A decision as soon as possible, from the prompt timer (allocates nothing). */
	#soon(): void {
		if (this.#prompt !== undefined) Timer.schedule(this.#prompt, 0, PROMPT_IDLE_MS);
	}

	/* The control tick: no allocation unless a relay changes or a fault starts or ends. */
	#control(): void {
		const now = this.#now(), inputs = this.#inputs, settings = this.#settings, core = this.#core;
		inputs.mode = settings.mode;
		inputs.fanMode = settings.fanMode;
		inputs.circulateMinutes = settings.circulateMinutes;
		inputs.outdoor = this.#options.outdoor ? this.#options.outdoor() : NaN;
		const provider = this.#options.setpoints, target = this.#target;
		if (provider && provider.setpoints(now, target) && target.cool - target.heat >= this.#tuning.minDifferential - 1e-9) {
			inputs.heat = target.heat;
			inputs.cool = target.cool;
		} else {
			inputs.heat = settings.heat;
			inputs.cool = settings.cool;
		}
		const count = core.step(now, inputs);
		for (let k = 0; k < count; k++) {
			const i = core.changes[k];
			const on = core.isOn(i);
			this.#relays[i]?.write(on);
			this.#log.emit({ type: "relay", relay: core.names[i], on, reason: core.reason(i) });
		}
		// after a relay error, every tick re-asserts the commanded states: a write that failed is retried
		if (inputs.fault) for (let i = 0; i < RELAY_COUNT; i++) this.#relays[i]?.write(core.isOn(i));
		const fault = core.fault;
		if (fault !== this.#reportedFault) {
			if (this.#reportedFault) this.#log.emit({ type: "recovered", source: "thermostat", error: `temperature-${this.#reportedFault}` });
			if (fault) this.#log.emit({ type: "fault", source: "thermostat", error: `temperature-${fault}` });
			this.#reportedFault = fault;
		}
	}
}

function round1(value: number): number {
	return Math.round(value * 10) / 10;
}

Object.freeze(Thermostat.prototype);
