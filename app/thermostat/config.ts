/*
 * Thermostat configuration: the vocabulary (modes, actions, fan modes, presets, in Home
 * Assistant's climate terms), the defaults with their sources, and validation. Setup fails
 * loudly: a bad option throws RangeError("thermostat: <option>"). The resolved `Tuning` is
 * in °C and milliseconds whatever the configured unit, frozen, and indexed by relay.
 *
 * Sources (../shared/reference/peer-defaults.md):
 *   §1.1  ESPHome `thermostat`: deadband/overrun 0.5 °C each, set_point_minimum_differential
 *         0.5 °C, docs example min run/off 300 s and min idle 30 s, heat <-> cool through IDLE;
 *         ecobee compressor min off 300 s, AC compressor min outdoor 35 °F, aux lockout;
 *         Nest install set points 20 °C heat / 24.5 °C cool.
 *   §1.2  Tasmota frost protection 4.0 °C; ESPHome NaN -> OFF.
 *   §1.4  Home Assistant climate min_temp / max_temp 7 / 35 °C.
 *   §11   proposed defaults: compressor min off / min run 300 s, min idle 30 s, min off
 *         honoured after power loss, always through IDLE with a dead time, stale after at most
 *         5 min -> relays off, frost floor about 4 °C, max-on watchdog per relay.
 * Values no peer documents are marked "ours" with the reasoning.
 */
import { type Unit, UNITS, toCelsius, deltaToCelsius } from "app/thermostat/units";
import { type SystemType, RELAY_COUNT, HEAT, HEAT2, COOL, FAN, COMPRESSOR, AUX, VALVE } from "app/thermostat/relays";

export type Mode = "off" | "heat" | "cool" | "heat_cool" | "fan_only";
export type Action = "off" | "idle" | "heating" | "cooling" | "fan";
export type FanMode = "auto" | "on" | "circulate";
export type Preset = "none" | "home" | "away" | "sleep" | "eco" | "boost" | "comfort" | "activity";
export type ReversingValve = "O" | "B";

export const MODES: readonly Mode[] = Object.freeze(["off", "heat", "cool", "heat_cool", "fan_only"]);
export const FAN_MODES: readonly FanMode[] = Object.freeze(["auto", "on", "circulate"]);
export const PRESETS: readonly Preset[] = Object.freeze(["none", "home", "away", "sleep", "eco", "boost", "comfort", "activity"]);

/** Defaults, °C and ms. */
export const DEFAULTS = Object.freeze({
	/** ESPHome heat_deadband / heat_overrun / cool_deadband / cool_overrun default (§1.1, §11). */
	DEADBAND_C: 0.5,
	OVERRUN_C: 0.5,
	/** ESPHome set_point_minimum_differential default (§1.1, §11). */
	MIN_DIFFERENTIAL_C: 0.5,
	/** Home Assistant climate min_temp / max_temp (§1.4). */
	MIN_SETPOINT_C: 7,
	MAX_SETPOINT_C: 35,
	/** Nest install set points until changed (§1.1). */
	HEAT_SETPOINT_C: 20,
	COOL_SETPOINT_C: 24.5,
	/** ESPHome default_mode: off (docs, "Default Target Temperatures and Mode"). */
	MODE: "off" as Mode,
	/** ESPHome's fan modes default to auto; ours: 15 min/h when circulate is chosen without a figure. */
	FAN_MODE: "auto" as FanMode,
	CIRCULATE_MIN_PER_H: 15,
	/** Compressor (and heating equipment) minimum run and minimum off: ecobee 300 s, ESPHome docs example 300 s (§1.1, §11). */
	MIN_RUN_MS: 300_000,
	MIN_OFF_MS: 300_000,
	/** ESPHome docs example min_idle_time 30 s (§1.1, §11). */
	MIN_IDLE_MS: 30_000,
	/**
	 * Heat <-> cool always through idle with a dead time (§11: ESPHome passes through IDLE for
	 * min_idle_time; Tasmota interlock). Ours: 300 s, the compressor minimum off, so a
	 * changeover never gives a compressor less rest than a normal cycle would.
	 */
	CHANGEOVER_MS: 300_000,
	/**
	 * Max-on watchdog per relay (§11, no value given). Ours: 4 h, above any normal cycle; a
	 * heat pump that must run longer loses one minimum-off pause (300 s) every 4 h.
	 */
	MAX_RUN_MS: 4 * 3_600_000,
	/** ESPHome requires min_fanning_run_time / min_fanning_off_time without a default; ours: 30 s, like min idle. */
	FAN_MIN_RUN_MS: 30_000,
	FAN_MIN_OFF_MS: 30_000,
	/** Ours (ESPHome supplemental_heating_delta / max_heating_run_time have no default): 10 min of stage 1, or 2 °C below. */
	STAGE2_DELAY_MS: 600_000,
	STAGE2_DELTA_C: 2,
	/** ecobee compressor minimum outdoor temperature for AC: 35 °F (§1.1). */
	COOL_MIN_OUTDOOR_C: (35 - 32) * 5 / 9,
	/** ecobee offers a heat-pump aux lockout (§1.1, §10 item 4) without a default in our reference; ours: 10 °C (50 °F). */
	AUX_MAX_OUTDOOR_C: 10,
	/** Tasmota frost protection 4.0 °C (§1.2, §11). */
	FROST_FLOOR_C: 4,
	/** Stale after 3 sample intervals, at most 5 min (§11; app/sensor-manager uses the same cap). */
	STALE_AFTER_MS: 300_000,
	/** Ours: an indoor reading outside -30..60 °C is implausible (SHT4x measures -40..125 °C). */
	PLAUSIBLE_MIN_C: -30,
	PLAUSIBLE_MAX_C: 60,
	/** ESPHome fan_with_cooling / fan_with_heating default false; ours: the blower (G) runs with an AC or heat-pump compressor, a furnace drives its own. */
	FAN_WITH_COOLING: true,
});

/** Preset set points (°C). Home: Nest's install values (§1.1); the others are ours (no peer publishes defaults). */
export const PRESET_DEFAULTS: Readonly<Record<Exclude<Preset, "none">, { readonly heat: number; readonly cool: number }>> = Object.freeze({
	home: Object.freeze({ heat: 20, cool: 24.5 }),
	away: Object.freeze({ heat: 16, cool: 28 }),
	sleep: Object.freeze({ heat: 18, cool: 26 }),
	eco: Object.freeze({ heat: 15, cool: 29 }),
	boost: Object.freeze({ heat: 23, cool: 23.5 }),
	comfort: Object.freeze({ heat: 21, cool: 24 }),
	activity: Object.freeze({ heat: 19, cool: 23 }),
});

export interface RelayTimingOptions {
	readonly minRunMs?: number;
	readonly minOffMs?: number;
	/** Infinity disables the watchdog. */
	readonly maxRunMs?: number;
}

export interface ThermostatConfig {
	readonly system?: SystemType;
	/** Unit of every temperature in this configuration, in commands and in reasons. Default "C". */
	readonly unit?: Unit;
	/** Conventional: 2 when W2 is wired. Default 1. */
	readonly heatStages?: 1 | 2;
	/** Heat pump: auxiliary heat wired. Default true. */
	readonly auxHeat?: boolean;
	/** Heat pump: O energises the valve for cooling, B for heating. Default "O". */
	readonly reversingValve?: ReversingValve;
	readonly heatDeadband?: number;
	readonly heatOverrun?: number;
	readonly coolDeadband?: number;
	readonly coolOverrun?: number;
	readonly minDifferential?: number;
	readonly minSetpoint?: number;
	readonly maxSetpoint?: number;
	/** Heating relays (heat, heat2, compressor, aux). */
	readonly heating?: RelayTimingOptions;
	/** The AC compressor (conventional cool). */
	readonly cooling?: RelayTimingOptions;
	/** Stage 2 / aux; default: as `heating`. */
	readonly stage2?: RelayTimingOptions;
	readonly fan?: RelayTimingOptions;
	readonly minIdleMs?: number;
	readonly changeoverMs?: number;
	/** Stage 2 / aux after stage 1 ran this long (Infinity: never by time). */
	readonly stage2DelayMs?: number;
	/** Stage 2 / aux when this far below the heat set point (Infinity: never by delta). */
	readonly stage2Delta?: number;
	/** No compressor cooling below this outdoor temperature (-Infinity: no lockout). */
	readonly coolMinOutdoor?: number;
	/** Heat pump: no compressor heating below this outdoor temperature (aux heats alone). Default -Infinity. */
	readonly compressorMinOutdoor?: number;
	/** Heat pump: no aux heat above this outdoor temperature. */
	readonly auxMaxOutdoor?: number;
	/** Frost floor: heats when off or faulted, if a valid reading exists. null disables. */
	readonly frostFloor?: number | null;
	readonly staleAfterMs?: number;
	readonly plausibleMin?: number;
	readonly plausibleMax?: number;
	readonly fanWithCooling?: boolean;
	/** Default: true for a heat pump (its air handler needs G), false for a furnace. */
	readonly fanWithHeating?: boolean;
	readonly presets?: Partial<Record<Exclude<Preset, "none">, { readonly heat: number; readonly cool: number }>>;
	/** Initial settings (first boot; later boots restore the saved ones). */
	readonly mode?: Mode;
	readonly heatSetpoint?: number;
	readonly coolSetpoint?: number;
	readonly fanMode?: FanMode;
	readonly circulateMinutes?: number;
	readonly preset?: Preset;
}

/** The resolved configuration: °C, ms, per relay index. */
export interface Tuning {
	readonly system: SystemType;
	readonly unit: Unit;
	/** Which of the four channels exist (heat2 / aux may be absent). */
	readonly present: readonly boolean[];
	readonly valveEnergisedFor: "heat" | "cool";
	readonly heatDeadband: number;
	readonly heatOverrun: number;
	readonly coolDeadband: number;
	readonly coolOverrun: number;
	readonly minDifferential: number;
	readonly minSetpoint: number;
	readonly maxSetpoint: number;
	readonly minRunMs: Float64Array;
	readonly minOffMs: Float64Array;
	readonly maxRunMs: Float64Array;
	readonly minIdleMs: number;
	readonly changeoverMs: number;
	readonly stage2DelayMs: number;
	readonly stage2Delta: number;
	readonly coolMinOutdoor: number;
	readonly compressorMinOutdoor: number;
	readonly auxMaxOutdoor: number;
	/** NaN: disabled. */
	readonly frostFloor: number;
	readonly staleAfterMs: number;
	readonly plausibleMin: number;
	readonly plausibleMax: number;
	readonly fanWithCooling: boolean;
	readonly fanWithHeating: boolean;
	readonly presets: Readonly<Record<Exclude<Preset, "none">, { readonly heat: number; readonly cool: number }>>;
	readonly mode: Mode;
	readonly heatSetpoint: number;
	readonly coolSetpoint: number;
	readonly fanMode: FanMode;
	readonly circulateMinutes: number;
	readonly preset: Preset;
}

function fail(option: string): never {
	throw new RangeError(`thermostat: ${option}`);
}

function oneOf<T>(value: T | undefined, allowed: readonly T[], fallback: T, option: string): T {
	if (value === undefined) return fallback;
	if (!allowed.includes(value)) fail(option);
	return value;
}

function duration(value: number | undefined, fallback: number, option: string, infinite = false): number {
	const ms = value ?? fallback;
	if (!(ms >= 0) || (!infinite && !Number.isFinite(ms))) fail(option);
	return ms;
}

function delta(value: number | undefined, fallbackC: number, unit: Unit, option: string, infinite = false): number {
	if (value === undefined) return fallbackC;
	if (!(value >= 0) || (!infinite && !Number.isFinite(value))) fail(option);
	return deltaToCelsius(value, unit);
}

function absolute(value: number | undefined, fallbackC: number, unit: Unit, option: string, infinite = false): number {
	if (value === undefined) return fallbackC;
	if (Number.isNaN(value) || (!infinite && !Number.isFinite(value))) fail(option);
	return toCelsius(value, unit);
}

/**
 * A default pair of set points made to fit the configured limits and differential, as
 * ESPHome's validate_target_temperatures would: the side not pinned moves.
 */
function fit(heat: number, cool: number, min: number, max: number, gap: number, moveHeat = false): [number, number] {
	heat = Math.min(Math.max(heat, min), max);
	cool = Math.min(Math.max(cool, min), max);
	if (cool - heat < gap) {
		if (moveHeat) heat = cool - gap;
		else cool = heat + gap;
		if (cool > max) [heat, cool] = [max - gap, max];
		if (heat < min) [heat, cool] = [min, min + gap];
	}
	return [heat, cool];
}

export function resolveConfig(options: ThermostatConfig = {}): Tuning {
	if (typeof options !== "object" || options === null) fail("config");
	const system = oneOf<SystemType>(options.system, ["conventional", "heat_pump"], "conventional", "system");
	const unit = oneOf(options.unit, UNITS, "C", "unit");
	const heatPump = system === "heat_pump";
	const stages = oneOf<1 | 2>(options.heatStages, [1, 2], 1, "heatStages");
	const aux = options.auxHeat ?? true;
	if (typeof aux !== "boolean") fail("auxHeat");
	const valve = oneOf<ReversingValve>(options.reversingValve, ["O", "B"], "O", "reversingValve");

	const present = Object.freeze([true, heatPump ? aux : stages === 2, true, true]);

	const heating = options.heating ?? {};
	const cooling = options.cooling ?? {};
	const stage2 = options.stage2 ?? heating;
	const fan = options.fan ?? {};
	const minRunMs = new Float64Array(RELAY_COUNT);
	const minOffMs = new Float64Array(RELAY_COUNT);
	const maxRunMs = new Float64Array(RELAY_COUNT);
	const timing = (index: number, t: RelayTimingOptions, run: number, off: number, max: number, name: string): void => {
		minRunMs[index] = duration(t.minRunMs, run, `${name}.minRunMs`);
		minOffMs[index] = duration(t.minOffMs, off, `${name}.minOffMs`);
		maxRunMs[index] = duration(t.maxRunMs, max, `${name}.maxRunMs`, true);
		if (maxRunMs[index] < minRunMs[index]) fail(`${name}.maxRunMs`);
	};
	if (heatPump) {
		// one compressor heats and cools: the stricter of the two settings
		const run = Math.max(duration(heating.minRunMs, DEFAULTS.MIN_RUN_MS, "heating.minRunMs"), duration(cooling.minRunMs, DEFAULTS.MIN_RUN_MS, "cooling.minRunMs"));
		const off = Math.max(duration(heating.minOffMs, DEFAULTS.MIN_OFF_MS, "heating.minOffMs"), duration(cooling.minOffMs, DEFAULTS.MIN_OFF_MS, "cooling.minOffMs"));
		const max = Math.min(duration(heating.maxRunMs, DEFAULTS.MAX_RUN_MS, "heating.maxRunMs", true), duration(cooling.maxRunMs, DEFAULTS.MAX_RUN_MS, "cooling.maxRunMs", true));
		timing(COMPRESSOR, {}, run, off, max, "heating");
		timing(AUX, stage2, DEFAULTS.MIN_RUN_MS, DEFAULTS.MIN_OFF_MS, DEFAULTS.MAX_RUN_MS, "stage2");
		timing(VALVE, {}, 0, 0, Infinity, "valve"); // the valve is switched only with the compressor at rest
	} else {
		timing(HEAT, heating, DEFAULTS.MIN_RUN_MS, DEFAULTS.MIN_OFF_MS, DEFAULTS.MAX_RUN_MS, "heating");
		timing(HEAT2, stage2, DEFAULTS.MIN_RUN_MS, DEFAULTS.MIN_OFF_MS, DEFAULTS.MAX_RUN_MS, "stage2");
		timing(COOL, cooling, DEFAULTS.MIN_RUN_MS, DEFAULTS.MIN_OFF_MS, DEFAULTS.MAX_RUN_MS, "cooling");
	}
	timing(FAN, fan, DEFAULTS.FAN_MIN_RUN_MS, DEFAULTS.FAN_MIN_OFF_MS, Infinity, "fan");

	const minSetpoint = absolute(options.minSetpoint, DEFAULTS.MIN_SETPOINT_C, unit, "minSetpoint");
	const maxSetpoint = absolute(options.maxSetpoint, DEFAULTS.MAX_SETPOINT_C, unit, "maxSetpoint");
	const minDifferential = delta(options.minDifferential, DEFAULTS.MIN_DIFFERENTIAL_C, unit, "minDifferential");
	if (!(maxSetpoint - minSetpoint >= minDifferential)) fail("maxSetpoint");

	const presets = {} as Record<Exclude<Preset, "none">, { heat: number; cool: number }>;
	for (const name of PRESETS) {
		if (name === "none") continue;
		const given = options.presets?.[name];
		let heat: number, cool: number;
		if (given) {
			heat = absolute(given.heat, NaN, unit, `presets.${name}`);
			cool = absolute(given.cool, NaN, unit, `presets.${name}`);
		} else [heat, cool] = fit(PRESET_DEFAULTS[name].heat, PRESET_DEFAULTS[name].cool, minSetpoint, maxSetpoint, minDifferential);
		if (!(heat >= minSetpoint && cool <= maxSetpoint && cool - heat >= minDifferential - 1e-9)) fail(`presets.${name}`);
		presets[name] = Object.freeze({ heat, cool });
	}
	if (options.presets) for (const name of Object.keys(options.presets)) if (!(name in presets)) fail(`presets.${name}`);

	let heatSetpoint = absolute(options.heatSetpoint, DEFAULTS.HEAT_SETPOINT_C, unit, "heatSetpoint");
	let coolSetpoint = absolute(options.coolSetpoint, DEFAULTS.COOL_SETPOINT_C, unit, "coolSetpoint");
	if (options.heatSetpoint === undefined || options.coolSetpoint === undefined)
		[heatSetpoint, coolSetpoint] = fit(heatSetpoint, coolSetpoint, minSetpoint, maxSetpoint, minDifferential, options.heatSetpoint === undefined);
	if (!(heatSetpoint >= minSetpoint && coolSetpoint <= maxSetpoint && coolSetpoint - heatSetpoint >= minDifferential - 1e-9))
		fail("heatSetpoint");

	const frost = options.frostFloor === null ? NaN : absolute(options.frostFloor, DEFAULTS.FROST_FLOOR_C, unit, "frostFloor");
	const plausibleMin = absolute(options.plausibleMin, DEFAULTS.PLAUSIBLE_MIN_C, unit, "plausibleMin");
	const plausibleMax = absolute(options.plausibleMax, DEFAULTS.PLAUSIBLE_MAX_C, unit, "plausibleMax");
	if (!(plausibleMax > plausibleMin)) fail("plausibleMax");
	const compressorMinOutdoor = absolute(options.compressorMinOutdoor, -Infinity, unit, "compressorMinOutdoor", true);
	const auxMaxOutdoor = absolute(options.auxMaxOutdoor, DEFAULTS.AUX_MAX_OUTDOOR_C, unit, "auxMaxOutdoor", true);
	// with the compressor locked out, aux must be allowed: otherwise nothing could heat
	if (heatPump && aux && !(auxMaxOutdoor >= compressorMinOutdoor)) fail("auxMaxOutdoor");
	const circulateMinutes = options.circulateMinutes ?? DEFAULTS.CIRCULATE_MIN_PER_H;
	if (!(circulateMinutes >= 0 && circulateMinutes <= 60)) fail("circulateMinutes");
	const fanWithCooling = options.fanWithCooling ?? DEFAULTS.FAN_WITH_COOLING;
	const fanWithHeating = options.fanWithHeating ?? heatPump;
	if (typeof fanWithCooling !== "boolean") fail("fanWithCooling");
	if (typeof fanWithHeating !== "boolean") fail("fanWithHeating");

	return Object.freeze({
		system, unit, present,
		valveEnergisedFor: valve === "O" ? "cool" : "heat",
		heatDeadband: delta(options.heatDeadband, DEFAULTS.DEADBAND_C, unit, "heatDeadband"),
		heatOverrun: delta(options.heatOverrun, DEFAULTS.OVERRUN_C, unit, "heatOverrun"),
		coolDeadband: delta(options.coolDeadband, DEFAULTS.DEADBAND_C, unit, "coolDeadband"),
		coolOverrun: delta(options.coolOverrun, DEFAULTS.OVERRUN_C, unit, "coolOverrun"),
		minDifferential, minSetpoint, maxSetpoint,
		minRunMs, minOffMs, maxRunMs,
		minIdleMs: duration(options.minIdleMs, DEFAULTS.MIN_IDLE_MS, "minIdleMs"),
		changeoverMs: duration(options.changeoverMs, DEFAULTS.CHANGEOVER_MS, "changeoverMs"),
		stage2DelayMs: duration(options.stage2DelayMs, DEFAULTS.STAGE2_DELAY_MS, "stage2DelayMs", true),
		stage2Delta: delta(options.stage2Delta, DEFAULTS.STAGE2_DELTA_C, unit, "stage2Delta", true),
		coolMinOutdoor: absolute(options.coolMinOutdoor, DEFAULTS.COOL_MIN_OUTDOOR_C, unit, "coolMinOutdoor", true),
		compressorMinOutdoor, auxMaxOutdoor,
		frostFloor: frost,
		staleAfterMs: duration(options.staleAfterMs, DEFAULTS.STALE_AFTER_MS, "staleAfterMs"),
		plausibleMin, plausibleMax,
		fanWithCooling, fanWithHeating,
		presets: Object.freeze(presets),
		mode: oneOf(options.mode, MODES, DEFAULTS.MODE, "mode"),
		heatSetpoint, coolSetpoint,
		fanMode: oneOf(options.fanMode, FAN_MODES, DEFAULTS.FAN_MODE, "fanMode"),
		circulateMinutes,
		preset: oneOf(options.preset, PRESETS, "none", "preset"),
	});
}
