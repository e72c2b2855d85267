/*
 * Commands over MQTT: `<prefix>/<device>/cmd/<kind>` (net/topics), one JSON text each:
 *
 *   {"v": <value>, "t": <unix time in seconds, when the command was sent>, "u": "C"|"F"}
 *   [<value>, <unix time in seconds>]                     (compact form)
 *
 * `u` only on temperature commands (default: the climate's configured unit). Home Assistant
 * sends the compact form, which its command template renders (net/ha/discovery:
 * COMMAND_TEMPLATE), in the climate's unit. parseCommand() is pure: it returns a typed command
 * (temperatures in °C) or a typed error, and changes nothing; the caller applies the command
 * or logs rejectedEvent(error). Rules (net/README.md, "Commands"):
 *
 * - retained messages are never acted on (A.3 step 7): a broker sets RETAIN on a PUBLISH only
 *   when it delivers a stored message to a new subscription (MQTT 3.1.1 §3.3.1.3);
 * - staleness: every command carries the time it was sent (`t`); one older than maxAgeS (30 s)
 *   or more than maxFutureS (30 s) ahead of the device's wall time is rejected, and so is
 *   every command while the device's wall time is unknown. This, not a QoS 0 subscription,
 *   keeps a persistent session's backlog from acting after an outage: a broker may queue QoS 0
 *   messages for an offline persistent session too (§3.1.2.4 makes it optional; EMQX does by
 *   default), so QoS 0 is a broker setting, not a guarantee, and it would lose live commands
 *   on every reconnect;
 * - size per kind (MAX_BYTES), strict UTF-8, JSON nesting at most 4 deep, then types,
 *   unknown fields, values and ranges. Set points within [minC, maxC]; a command that sets
 *   the heat_cool range (target_lo, target_hi, setpoints) keeps cool - heat >= the minimum
 *   differential or is rejected (it never moves the set point it does not name). A single
 *   set point (target) goes to heat in heat mode and cool in cool mode; in other modes there
 *   is none to set. Duplicate delivery (QoS 1 DUP) is harmless: every command is idempotent.
 */
import { decodeJson } from "net/commands/json";
import {
	type ClimateLimits, type CommandError, type FanMode, type Mode, type Preset, type Unit,
	FAN_MODES, MODES, PRESETS, UNITS,
} from "net/commands/types";
import { type ScheduleEntry, parseSchedule } from "net/commands/schedule";
import { type ConfigChanges, parseConfig } from "net/commands/config";
import { Reject, differential, isObject, numberField, reject, setpoint } from "net/commands/checks";

export const Kind = Object.freeze({
	MODE: "mode",
	/** The single set point (HA temperature_command_topic): heat in heat mode, cool in cool mode. */
	TARGET: "target",
	/** heat_cool's low (heat) and high (cool) set points (HA temperature_low/high_command_topic). */
	TARGET_LO: "target_lo",
	TARGET_HI: "target_hi",
	/** Both set points at once: {"heat": n, "cool": n} (not used by HA). */
	SETPOINTS: "setpoints",
	PRESET: "preset",
	FAN_MODE: "fan_mode",
	SCHEDULE: "schedule",
	CONFIG: "config",
});

export type CommandKind = (typeof Kind)[keyof typeof Kind];

export const KINDS: readonly CommandKind[] = Object.freeze(Object.values(Kind));

/**
 * Largest payload per kind, bytes. The largest, a schedule, still fits the MQTT client's
 * default receive buffer (1024 bytes of remaining length) with the longest command topic
 * (78 bytes: a 32-byte prefix, a 32-character device id, `/cmd/schedule`): 2 + 78 + 2 + 896 = 978.
 */
export const MAX_BYTES: Readonly<Record<CommandKind, number>> = Object.freeze({
	mode: 128, target: 128, target_lo: 128, target_hi: 128, setpoints: 128, preset: 128, fan_mode: 128,
	schedule: 896, config: 256,
});

/** Staleness rule defaults, seconds. */
export const MAX_AGE_S = 30;
export const MAX_FUTURE_S = 30;
/**
 * Wall times before this (2024-01-01T00:00:00Z, ms) mean the clock was never set: a Moddable
 * device counts from 1970 until SNTP (or the phone, over BLE) sets it.
 */
export const WALL_TIME_VALID_FROM = 1_704_067_200_000;

export type Command =
	| { readonly kind: "mode"; readonly mode: Mode; readonly sentAt: number }
	/** °C; at least one of heat and cool. */
	| { readonly kind: "setpoints"; readonly heat?: number; readonly cool?: number; readonly sentAt: number }
	| { readonly kind: "preset"; readonly preset: Preset; readonly sentAt: number }
	| { readonly kind: "fan_mode"; readonly fanMode: FanMode; readonly sentAt: number }
	/** An empty list clears the schedule. */
	| { readonly kind: "schedule"; readonly entries: readonly ScheduleEntry[]; readonly sentAt: number }
	| { readonly kind: "config"; readonly changes: ConfigChanges; readonly sentAt: number };

export type ParseResult = { readonly ok: Command } | { readonly error: CommandError };

/** What the thermostat has now (°C): set point commands are checked against it. */
export interface ClimateState {
	readonly mode: Mode;
	readonly heat: number;
	readonly cool: number;
}

export interface CommandContext {
	/** The PUBLISH's RETAIN flag. */
	readonly retained: boolean;
	/** The climate's limits; absent on a device without a climate (the wearable): climate commands are refused. */
	readonly climate?: ClimateLimits;
	/** The thermostat's mode and active set points now; needed by set point commands. */
	readonly current?: ClimateState;
	readonly maxAgeS?: number;
	readonly maxFutureS?: number;
}

const CLIMATE_KINDS: readonly string[] = Object.freeze(["mode", "target", "target_lo", "target_hi", "setpoints", "preset", "fan_mode", "schedule"]);
const TEMPERATURE_KINDS: readonly string[] = Object.freeze(["target", "target_lo", "target_hi", "setpoints", "schedule"]);

/** Whether `now` (ms since the epoch) is a wall time the device can trust. */
export function wallTimeKnown(now: number): boolean {
	return Number.isFinite(now) && now >= WALL_TIME_VALID_FROM;
}

/**
 * Parses one command. `kind`: the topic suffix after `<base>/cmd/` (Topics.commandKind);
 * `payload`: the PUBLISH payload (may be a view of the client's receive buffer: nothing keeps
 * it); `now`: the device's wall time, ms since the epoch (NaN or a pre-2024 value when unknown).
 */
export function parseCommand(kind: string, payload: Uint8Array, now: number, context: CommandContext): ParseResult {
	try {
		return { ok: parse(kind, payload, now, context) };
	} catch (error) {
		if (error instanceof Reject) return { error: { code: error.code, command: kind, ...(error.field === undefined ? {} : { field: error.field }), detail: error.detail } };
		throw error;
	}
}

function parse(kind: string, payload: Uint8Array, now: number, context: CommandContext): Command {
	if (!(KINDS as readonly string[]).includes(kind)) reject("topic", "unknown command");
	const climate = context.climate;
	if (!climate && CLIMATE_KINDS.includes(kind)) reject("topic", "this device has no climate");
	if (context.retained) reject("retained", "retained command messages are never acted on");
	const limit = MAX_BYTES[kind as CommandKind];
	if (payload.length === 0) reject("size", "empty payload");
	if (payload.length > limit) reject("size", `${payload.length} bytes, at most ${limit}`);

	const decoded = decodeJson(payload);
	if ("problem" in decoded) reject(decoded.problem, decoded.detail);
	const root = decoded.value;
	let v: unknown, t: unknown;
	let unit: Unit = climate?.unit ?? "C";
	if (Array.isArray(root)) {
		// the compact form Home Assistant's command template renders: [value, time]
		if (root.length !== 2) reject("type", "the compact form is [value, time]");
		v = root[0];
		t = root[1];
		if (t === null) t = undefined;
		checkTime(t, now, context);
	} else {
		if (!isObject(root)) reject("type", "not a JSON object or [value, time]");
		const temperatures = TEMPERATURE_KINDS.includes(kind);
		for (const key of Object.keys(root))
			if (key !== "v" && key !== "t" && !(key === "u" && temperatures)) reject("field", "unknown field", key);
		t = root.t;
		checkTime(t, now, context);
		if (!Object.hasOwn(root, "v")) reject("type", "missing", "v");
		v = root.v;
		if (Object.hasOwn(root, "u")) {
			if (typeof root.u !== "string") reject("type", "not a string", "u");
			if (!(UNITS as readonly string[]).includes(root.u)) reject("value", "unit is C or F", "u");
			unit = root.u as Unit;
		}
	}
	const sentAt = (t as number) * 1000;

	switch (kind as CommandKind) {
	case "mode": {
		const mode = oneOf(v, climate!.modes ?? MODES, "mode");
		return { kind: "mode", mode, sentAt };
	}
	case "preset": {
		const offered: readonly Preset[] = climate!.presets ? ["none", ...climate!.presets] : PRESETS;
		const preset = oneOf(v, offered, "preset");
		return { kind: "preset", preset, sentAt };
	}
	case "fan_mode": {
		const fanMode = oneOf(v, climate!.fanModes ?? FAN_MODES, "fan mode");
		return { kind: "fan_mode", fanMode, sentAt };
	}
	case "target": {
		const current = needCurrent(context);
		const value = setpoint(v, unit, climate!, "v");
		if (current.mode === "heat") return { kind: "setpoints", heat: value, sentAt };
		if (current.mode === "cool") return { kind: "setpoints", cool: value, sentAt };
		return reject("state", `mode ${current.mode} has no single set point`);
	}
	case "target_lo": {
		const current = needCurrent(context);
		const heat = setpoint(v, unit, climate!, "v");
		differential(heat, current.cool, climate!, "v");
		return { kind: "setpoints", heat, sentAt };
	}
	case "target_hi": {
		const current = needCurrent(context);
		const cool = setpoint(v, unit, climate!, "v");
		differential(current.heat, cool, climate!, "v");
		return { kind: "setpoints", cool, sentAt };
	}
	case "setpoints": {
		if (!isObject(v)) reject("type", "not an object", "v");
		for (const key of Object.keys(v)) if (key !== "heat" && key !== "cool") reject("field", "unknown field", `v.${key}`);
		const heat = setpoint(numberField(v, "heat", "v.heat"), unit, climate!, "v.heat");
		const cool = setpoint(numberField(v, "cool", "v.cool"), unit, climate!, "v.cool");
		differential(heat, cool, climate!, "v");
		return { kind: "setpoints", heat, cool, sentAt };
	}
	case "schedule":
		return { kind: "schedule", entries: parseSchedule(v, unit, climate!), sentAt };
	case "config":
		return { kind: "config", changes: parseConfig(v, climate !== undefined), sentAt };
	}
	return reject("topic", "unknown command");
}

/** The staleness rule. */
function checkTime(t: unknown, now: number, context: CommandContext): void {
	if (t === undefined) reject("untimed", "no sending time", "t");
	if (typeof t !== "number" || !Number.isFinite(t) || t <= 0) reject("type", "not a positive number of seconds", "t");
	if (!wallTimeKnown(now)) reject("clock", "device wall time unknown", "t");
	const age = now / 1000 - t;
	const maxAge = context.maxAgeS ?? MAX_AGE_S;
	const maxFuture = context.maxFutureS ?? MAX_FUTURE_S;
	if (age > maxAge) reject("stale", `sent ${Math.round(age)} s ago, at most ${maxAge}`, "t");
	if (-age > maxFuture) reject("future", `sent ${Math.round(-age)} s ahead of the device clock, at most ${maxFuture}`, "t");
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
	if (typeof value !== "string") reject("type", "not a string", "v");
	if (!(allowed as readonly string[]).includes(value)) reject("value", `unknown ${what}`, "v");
	return value as T;
}

function needCurrent(context: CommandContext): ClimateState {
	const current = context.current;
	if (!current) return reject("state", "current set points unknown");
	return current;
}
