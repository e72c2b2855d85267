/*
 * What the user (or MQTT, BLE, a schedule, occupancy) asks for: mode, set points, fan mode,
 * preset. Commands are validated here (RangeError on a bad one) and set points kept valid
 * as ESPHome's validate_target_temperatures does: clamped to min/max, and at least the
 * minimum differential apart, moving the other set point (the one not being changed).
 * Temperatures in and out are in the configured unit; stored in °C.
 *
 * Presets carry their own set points (ESPHome: "a preset bundles mode, set points, fan";
 * here set points only, §1.3). Selecting a preset uses its set points; changing a set point
 * by hand while a preset is active changes that preset's set points (ecobee's comfort
 * settings behave this way); "none" uses the manual set points.
 */
import { type Tuning, type Mode, type FanMode, type Preset, MODES, FAN_MODES, PRESETS } from "app/thermostat/config";
import { toCelsius } from "app/thermostat/units";

/** The persisted part (°C), for a SettingsStore. */
export interface SavedSettings {
	mode: Mode;
	fanMode: FanMode;
	circulateMinutes: number;
	preset: Preset;
	heat: number;
	cool: number;
	presets?: Partial<Record<Exclude<Preset, "none">, { heat: number; cool: number }>>;
}

/** Where settings survive a reboot (preferences on the device). */
export interface SettingsStore {
	load(): SavedSettings | undefined;
	save(settings: SavedSettings): void;
}

/**
 * A source of set points that overrides the preset and manual ones: the weekly schedule,
 * smart recovery. Fills `into` (°C) and returns true, or returns false to leave the
 * thermostat's own set points in charge (e.g. wall time unknown). Called every control tick:
 * it must not allocate.
 */
export interface SetpointProvider {
	setpoints(now: number, into: SetpointTarget): boolean;
}

export interface SetpointTarget {
	heat: number;
	cool: number;
}

const EPSILON = 1e-9;

export class Settings {
	readonly #tuning: Tuning;
	#mode: Mode;
	#fanMode: FanMode;
	#circulateMinutes: number;
	#preset: Preset;
	/** PRESETS.indexOf(#preset) */
	#active: number;
	/** index 0: manual; 1..7: PRESETS[1..7]; pairs (heat, cool), °C */
	readonly #points = new Float64Array(PRESETS.length * 2);

	constructor(tuning: Tuning, saved?: SavedSettings) {
		this.#tuning = tuning;
		this.#mode = tuning.mode;
		this.#fanMode = tuning.fanMode;
		this.#circulateMinutes = tuning.circulateMinutes;
		this.#preset = tuning.preset;
		this.#active = PRESETS.indexOf(tuning.preset);
		this.#points[0] = tuning.heatSetpoint;
		this.#points[1] = tuning.coolSetpoint;
		for (let i = 1; i < PRESETS.length; i++) {
			const p = tuning.presets[PRESETS[i] as Exclude<Preset, "none">];
			this.#points[i * 2] = p.heat;
			this.#points[i * 2 + 1] = p.cool;
		}
		if (saved) this.#restore(saved);
	}

	get mode(): Mode {
		return this.#mode;
	}

	get fanMode(): FanMode {
		return this.#fanMode;
	}

	get circulateMinutes(): number {
		return this.#circulateMinutes;
	}

	get preset(): Preset {
		return this.#preset;
	}

	/** The active heat set point, °C. */
	get heat(): number {
		return this.#points[this.#active * 2];
	}

	/** The active cool set point, °C. */
	get cool(): number {
		return this.#points[this.#active * 2 + 1];
	}

	setMode(mode: Mode): void {
		if (!MODES.includes(mode)) throw new RangeError("thermostat: mode");
		this.#mode = mode;
	}

	setFanMode(fanMode: FanMode, circulateMinutes?: number): void {
		if (!FAN_MODES.includes(fanMode)) throw new RangeError("thermostat: fan mode");
		if (circulateMinutes !== undefined && !(circulateMinutes >= 0 && circulateMinutes <= 60))
			throw new RangeError("thermostat: circulate minutes");
		this.#fanMode = fanMode;
		if (circulateMinutes !== undefined) this.#circulateMinutes = circulateMinutes;
	}

	setPreset(preset: Preset): void {
		if (!PRESETS.includes(preset)) throw new RangeError("thermostat: preset");
		this.#preset = preset;
		this.#active = PRESETS.indexOf(preset);
	}

	/**
	 * Sets the active set points (the current preset's, or the manual ones), in the configured
	 * unit; either may be omitted. ESPHome semantics: when only the cool set point changes,
	 * the heat set point moves down to keep the differential; otherwise the cool one moves up.
	 */
	setSetpoints(heat?: number, cool?: number): void {
		this.#set(this.#active, heat, cool);
	}

	/** Sets one preset's set points (configured unit). */
	setPresetSetpoints(preset: Exclude<Preset, "none">, heat: number, cool: number): void {
		const index = PRESETS.indexOf(preset);
		if (index < 1) throw new RangeError("thermostat: preset");
		this.#set(index, heat, cool);
	}

	/**
	 * A preset's set points (°C) into `into`, without selecting it: the schedule's preset
	 * resolver (app/thermostat/schedule PresetResolver). Allocates nothing.
	 */
	presetSetpoints(preset: Exclude<Preset, "none">, into: SetpointTarget): void {
		const index = PRESETS.indexOf(preset);
		if (index < 1) throw new RangeError("thermostat: preset");
		into.heat = this.#points[index * 2];
		into.cool = this.#points[index * 2 + 1];
	}

	saved(): SavedSettings {
		const presets: Record<string, { heat: number; cool: number }> = {};
		for (let i = 1; i < PRESETS.length; i++) presets[PRESETS[i]] = { heat: this.#points[i * 2], cool: this.#points[i * 2 + 1] };
		return {
			mode: this.#mode, fanMode: this.#fanMode, circulateMinutes: this.#circulateMinutes, preset: this.#preset,
			heat: this.#points[0], cool: this.#points[1], presets,
		};
	}

	#set(index: number, heat: number | undefined, cool: number | undefined): void {
		const unit = this.#tuning.unit;
		if (heat !== undefined && !Number.isFinite(heat)) throw new RangeError("thermostat: heat set point");
		if (cool !== undefined && !Number.isFinite(cool)) throw new RangeError("thermostat: cool set point");
		if (heat === undefined && cool === undefined) return;
		let low = heat === undefined ? this.#points[index * 2] : toCelsius(heat, unit);
		let high = cool === undefined ? this.#points[index * 2 + 1] : toCelsius(cool, unit);
		const { minSetpoint: min, maxSetpoint: max, minDifferential: gap } = this.#tuning;
		low = clamp(low, min, max);
		high = clamp(high, min, max);
		if (high - low < gap - EPSILON) {
			if (heat === undefined) low = high - gap; // the cool set point was pinned
			else high = low + gap;
			if (high > max) {
				high = max;
				low = max - gap;
			}
			if (low < min) {
				low = min;
				high = min + gap;
			}
		}
		this.#points[index * 2] = low;
		this.#points[index * 2 + 1] = high;
	}

	#restore(saved: SavedSettings): void {
		// a stored value that no longer validates (configuration changed) is ignored, not fatal
		if (MODES.includes(saved.mode)) this.#mode = saved.mode;
		if (FAN_MODES.includes(saved.fanMode)) this.#fanMode = saved.fanMode;
		if (saved.circulateMinutes >= 0 && saved.circulateMinutes <= 60) this.#circulateMinutes = saved.circulateMinutes;
		if (PRESETS.includes(saved.preset)) {
			this.#preset = saved.preset;
			this.#active = PRESETS.indexOf(saved.preset);
		}
		this.#restorePoints(0, saved.heat, saved.cool);
		for (let i = 1; i < PRESETS.length; i++) {
			const p = saved.presets?.[PRESETS[i] as Exclude<Preset, "none">];
			if (p) this.#restorePoints(i, p.heat, p.cool);
		}
	}

	#restorePoints(index: number, heat: number, cool: number): void {
		const { minSetpoint: min, maxSetpoint: max, minDifferential: gap } = this.#tuning;
		if (heat >= min && cool <= max && cool - heat >= gap - EPSILON) {
			this.#points[index * 2] = heat;
			this.#points[index * 2 + 1] = cool;
		}
	}
}

function clamp(value: number, min: number, max: number): number {
	return value < min ? min : value > max ? max : value;
}

Object.freeze(Settings.prototype);
