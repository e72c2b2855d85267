/*
 * The `config` command's value: the options that may change over MQTT, at least one of
 *
 *   unit       "C" | "F"     (thermostat) the unit of the climate's commands and display (HA temperature_unit)
 *   circulate  0..60         (thermostat) fan circulate minutes per hour (app/thermostat fan `circulate`)
 *   telemetry  10..3600      telemetry interval, s (Tasmota's TelePeriod range, peer-defaults §3)
 *
 *   {"v": {"unit": "F", "telemetry": 300}, "t": ...}
 *
 * Nothing that protects equipment or people is here: compressor minimum run / off times,
 * set point limits, the frost floor, relay watchdogs and Wi-Fi or broker credentials are set
 * on the device (manifest or BLE) only, so a compromised broker cannot unprotect a compressor.
 */
import { type Unit, UNITS } from "net/commands/types";
import { integer, isObject, reject } from "net/commands/checks";

export interface ConfigChanges {
	readonly unit?: Unit;
	readonly circulateMinutes?: number;
	readonly telemetryS?: number;
}

export const CONFIG_KEYS: readonly string[] = Object.freeze(["unit", "circulate", "telemetry"]);

/** Options only a device with a climate (the thermostat) has. */
const CLIMATE_KEYS: readonly string[] = Object.freeze(["unit", "circulate"]);

export function parseConfig(value: unknown, climate: boolean): ConfigChanges {
	if (!isObject(value)) return reject("type", "not an object", "v");
	const keys = Object.keys(value);
	if (keys.length === 0) reject("value", "no option given", "v");
	for (const key of keys) {
		if (!CONFIG_KEYS.includes(key)) reject("field", "not an option settable over MQTT", `v.${key}`);
		if (!climate && CLIMATE_KEYS.includes(key)) reject("field", "this device has no climate", `v.${key}`);
	}
	let unit: Unit | undefined;
	if (Object.hasOwn(value, "unit")) {
		if (typeof value.unit !== "string") reject("type", "not a string", "v.unit");
		if (!(UNITS as readonly string[]).includes(value.unit)) reject("value", "unit is C or F", "v.unit");
		unit = value.unit as Unit;
	}
	const circulateMinutes = Object.hasOwn(value, "circulate") ? integer(value.circulate, 0, 60, "v.circulate") : undefined;
	const telemetryS = Object.hasOwn(value, "telemetry") ? integer(value.telemetry, 10, 3600, "v.telemetry") : undefined;
	const changes: { unit?: Unit; circulateMinutes?: number; telemetryS?: number } = {};
	if (unit !== undefined) changes.unit = unit;
	if (circulateMinutes !== undefined) changes.circulateMinutes = circulateMinutes;
	if (telemetryS !== undefined) changes.telemetryS = telemetryS;
	return Object.freeze(changes);
}
