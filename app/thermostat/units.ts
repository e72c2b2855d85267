/*
 * Temperature units. The controller works in °C throughout; °F exists only at the edges
 * (commands in, state and reasons out). Absolute temperatures convert with the offset,
 * differences (deadbands, deltas) with the scale only.
 * Conversion: °F = °C × 9/5 + 32 (NIST SP 811, B.9).
 */

export type Unit = "C" | "F";

export const UNITS: readonly Unit[] = Object.freeze(["C", "F"]);

const F_PER_C = 9 / 5;
const F_OFFSET = 32;

/** An absolute temperature in `unit` to °C. */
export function toCelsius(value: number, unit: Unit): number {
	return unit === "F" ? (value - F_OFFSET) / F_PER_C : value;
}

/** An absolute temperature in °C to `unit`. */
export function fromCelsius(celsius: number, unit: Unit): number {
	return unit === "F" ? celsius * F_PER_C + F_OFFSET : celsius;
}

/** A temperature difference in `unit` to kelvin (°C difference). */
export function deltaToCelsius(delta: number, unit: Unit): number {
	return unit === "F" ? delta / F_PER_C : delta;
}

/** A temperature difference in kelvin to `unit`. */
export function deltaFromCelsius(delta: number, unit: Unit): number {
	return unit === "F" ? delta * F_PER_C : delta;
}

/** "19.4 °C" / "66.9 °F": one decimal, for reasons and logs (allocates: only when text is made). */
export function formatTemperature(celsius: number, unit: Unit): string {
	return `${fixed1(fromCelsius(celsius, unit))} °${unit}`;
}

/** "0.5 °C" for a difference. */
export function formatDelta(delta: number, unit: Unit): string {
	return `${fixed1(deltaFromCelsius(delta, unit))} °${unit}`;
}

/** One decimal, without "-0.0". */
function fixed1(value: number): string {
	const rounded = Math.round(value * 10) / 10;
	return (rounded === 0 ? 0 : rounded).toFixed(1);
}
