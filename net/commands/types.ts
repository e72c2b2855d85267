/*
 * The command vocabulary shared by the command parser (net/commands/parse) and Home
 * Assistant discovery (net/ha/discovery): climate modes, presets and fan modes in Home
 * Assistant's climate terms (interop-protocols.md A.7; the same strings as
 * app/thermostat/config, so the parsed commands go straight to the thermostat's Settings),
 * temperature units, the climate limits a command is checked against, and typed errors.
 *
 * Temperatures leave the parser in °C whatever the unit they were sent in.
 * Conversion: °F = °C × 9/5 + 32 (NIST SP 811, B.9).
 */

export type Mode = "off" | "heat" | "cool" | "heat_cool" | "fan_only";
export type FanMode = "auto" | "on" | "circulate";
export type Preset = "none" | "home" | "away" | "sleep" | "eco" | "boost" | "comfort" | "activity";
export type Action = "off" | "idle" | "heating" | "cooling" | "fan";
export type Unit = "C" | "F";

export const MODES: readonly Mode[] = Object.freeze(["off", "heat", "cool", "heat_cool", "fan_only"]);
export const FAN_MODES: readonly FanMode[] = Object.freeze(["auto", "on", "circulate"]);
/** HA's preset names (A.7). `none` clears the preset; it is accepted as a command but never listed in discovery (A.7). */
export const PRESETS: readonly Preset[] = Object.freeze(["none", "home", "away", "sleep", "eco", "boost", "comfort", "activity"]);
export const ACTIONS: readonly Action[] = Object.freeze(["off", "idle", "heating", "cooling", "fan"]);
export const UNITS: readonly Unit[] = Object.freeze(["C", "F"]);

/**
 * What climate commands are checked against, and what the climate discovery advertises.
 * Temperatures in °C (as app/thermostat's Tuning keeps them); `unit` is the unit commands
 * arrive in unless they say otherwise, and the unit Home Assistant is told to use.
 */
export interface ClimateLimits {
	readonly unit: Unit;
	/** Lowest and highest set point, °C (HA's defaults 7 / 35 °C, peer-defaults §1.4). */
	readonly minC: number;
	readonly maxC: number;
	/** heat_cool: the cool set point at least this far above the heat one, K (ESPHome 0.5, §1.1). */
	readonly minDifferentialC: number;
	/** UI step in `unit` (HA temp_step; default 0.5 for °C, 1 for °F). */
	readonly step?: number;
	/** Modes this installation offers (default all of MODES). */
	readonly modes?: readonly Mode[];
	/** Presets offered, without "none" (default all HA presets). */
	readonly presets?: readonly Exclude<Preset, "none">[];
	readonly fanModes?: readonly FanMode[];
}

/** HA's climate defaults (§1.4) with ESPHome's differential (§1.1). */
export const DEFAULT_LIMITS: ClimateLimits = Object.freeze({ unit: "C", minC: 7, maxC: 35, minDifferentialC: 0.5 });

const F_PER_C = 9 / 5;
const F_OFFSET = 32;

export function toCelsius(value: number, unit: Unit): number {
	return unit === "F" ? (value - F_OFFSET) / F_PER_C : value;
}

export function fromCelsius(celsius: number, unit: Unit): number {
	return unit === "F" ? celsius * F_PER_C + F_OFFSET : celsius;
}

/** Rounds to `places` decimals (for advertising converted limits: 7 °C = 44.6 °F). */
export function round(value: number, places: number): number {
	const scale = 10 ** places;
	const rounded = Math.round(value * scale) / scale;
	return rounded === 0 ? 0 : rounded;
}

/**
 * Why a command was rejected:
 *   topic     not a command this device takes (unknown kind, or a climate command without a climate)
 *   retained  a retained message (delivered at subscribe time): never acted on (A.3 step 7)
 *   size      empty, or longer than the kind's limit
 *   encoding  not UTF-8
 *   json      not JSON, or nested deeper than the parser allows
 *   type      a field of the wrong type, or missing
 *   field     a field this command does not have
 *   value     an unknown mode, preset, fan mode, unit or config option value
 *   range     a number outside its range (set points: min/max and the heat_cool differential)
 *   state     not applicable now (a single set point while the mode has none)
 *   untimed   no `t`: the sending time is required (staleness rule, net/README.md)
 *   stale     sent more than maxAge seconds before the device's wall time
 *   future    sent more than maxFuture seconds after the device's wall time (clock skew)
 *   clock     the device's wall time is unknown, so the age cannot be checked
 */
export type CommandErrorCode =
	| "topic" | "retained" | "size" | "encoding" | "json" | "type" | "field" | "value" | "range" | "state"
	| "untimed" | "stale" | "future" | "clock";

export interface CommandError {
	readonly code: CommandErrorCode;
	/** The command kind (topic suffix) as received. */
	readonly command: string;
	/** The offending field (`v`, `t`, `v.heat`, `v[2].at`...), when there is one. */
	readonly field?: string;
	/** Short English detail for the event log. */
	readonly detail: string;
}

/**
 * The event describing a rejected command (one JSON line in the event log and on the events
 * topic): `{"type":"command-rejected","command":"mode","error":"value","field":"v","detail":"..."}`.
 */
export interface CommandRejectedEvent {
	readonly type: "command-rejected";
	readonly command: string;
	readonly error: CommandErrorCode;
	readonly field?: string;
	readonly detail: string;
}

export function rejectedEvent(error: CommandError): CommandRejectedEvent {
	return error.field === undefined
		? { type: "command-rejected", command: error.command, error: error.code, detail: error.detail }
		: { type: "command-rejected", command: error.command, error: error.code, field: error.field, detail: error.detail };
}
