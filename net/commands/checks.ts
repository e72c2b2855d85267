/*
 * Shared checks of the command parser: a rejection (thrown inside the parser, returned as a
 * typed CommandError by parseCommand), and the field and set point checks that commands,
 * schedules and configuration use alike.
 */
import { type ClimateLimits, type CommandErrorCode, type Unit, toCelsius } from "net/commands/types";

/** Tolerance of set point comparisons after a unit conversion (72 °F is 22.2222... °C). */
export const EPSILON = 1e-6;

/** Thrown inside the parser; parseCommand turns it into a CommandError. Not an Error: no stack to capture. */
export class Reject {
	readonly code: CommandErrorCode;
	readonly detail: string;
	readonly field: string | undefined;

	constructor(code: CommandErrorCode, detail: string, field?: string) {
		this.code = code;
		this.detail = detail;
		this.field = field;
	}
}
Object.freeze(Reject.prototype);

export function reject(code: CommandErrorCode, detail: string, field?: string): never {
	throw new Reject(code, detail, field);
}

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A required field of `object`. */
export function field(object: Record<string, unknown>, key: string, path: string): unknown {
	if (!Object.hasOwn(object, key)) reject("type", "missing", path);
	return object[key];
}

export function numberField(object: Record<string, unknown>, key: string, path: string): number {
	const value = field(object, key, path);
	if (typeof value !== "number") reject("type", "not a number", path);
	return value;
}

/** An integer within [min, max]. */
export function integer(value: unknown, min: number, max: number, path: string): number {
	if (typeof value !== "number") reject("type", "not a number", path);
	if (!Number.isInteger(value)) reject("type", "not an integer", path);
	if (value < min || value > max) reject("range", `outside ${min}..${max}`, path);
	return value;
}

/** A set point in `unit` to °C, within the climate's limits. */
export function setpoint(value: unknown, unit: Unit, climate: ClimateLimits, path: string): number {
	if (typeof value !== "number") return reject("type", "not a number", path);
	if (!Number.isFinite(value)) return reject("range", "not finite", path);
	const celsius = toCelsius(value, unit);
	if (celsius < climate.minC - EPSILON || celsius > climate.maxC + EPSILON)
		reject("range", `outside ${climate.minC}..${climate.maxC} °C`, path);
	return celsius;
}

/** heat_cool: cool - heat >= the minimum differential. */
export function differential(heat: number, cool: number, climate: ClimateLimits, path: string): void {
	if (cool - heat < climate.minDifferentialC - EPSILON)
		reject("range", `cool must be at least ${climate.minDifferentialC} K above heat`, path);
}
