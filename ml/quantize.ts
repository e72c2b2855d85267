/*
 * Affine quantization helpers (spec 3.10, the TFLite QUANTIZE / DEQUANTIZE reference):
 *   quantize:   q = clamp(round_half_away_from_zero(x / scale) + zeroPoint, qmin, qmax),
 *               the division in float32, [qmin, qmax] the range of the destination type;
 *   dequantize: x = scale * (q - zeroPoint), stored as float32 into a Float32Array.
 * Both write into caller-provided arrays and allocate nothing.
 */
import { EngineStatus, ModelError } from "ml/errors";

/** Arrays quantized values are written to: the destination's type gives the clamp range. */
export type QuantizedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;
/** Arrays real values are written to. */
export type RealArray = Float32Array | Float64Array | number[];

function checkArguments(length: number, into: ArrayLike<number>, scale: number, zeroPoint: number): void {
	if (into.length < length)
		throw new ModelError(`destination holds ${into.length} values, source ${length}`, EngineStatus.argument);
	if (!(scale > 0 && scale < Infinity))
		throw new ModelError(`invalid scale ${scale}`, EngineStatus.argument);
	if (!Number.isInteger(zeroPoint))
		throw new ModelError(`invalid zero point ${zeroPoint}`, EngineStatus.argument);
}

/** round(x / scale) + zeroPoint clamped to [min, max]; x / scale in float32, halves away from zero. NaN gives zeroPoint. */
export function quantizeValue(x: number, scale: number, zeroPoint: number, min: number, max: number): number {
	const v = Math.fround(Math.fround(x) / Math.fround(scale));
	if (v !== v) return Math.min(Math.max(zeroPoint, min), max);
	const q = (v < 0 ? -Math.floor(0.5 - v) : Math.floor(v + 0.5)) + zeroPoint;
	return q < min ? min : q > max ? max : q;
}

/** scale * (q - zeroPoint) in double precision (a Float32Array stores it rounded to float32). */
export function dequantizeValue(q: number, scale: number, zeroPoint: number): number {
	return scale * (q - zeroPoint);
}

/**
 * Quantizes `values` into `into` (at least as long), clamped to the range of `into`'s type.
 * @returns into
 * @throws ModelError ("bad argument") for a short destination, a scale that is not positive
 *   and finite, or a zero point that is not an integer
 */
export function quantize<T extends QuantizedArray>(values: ArrayLike<number>, scale: number, zeroPoint: number, into: T): T {
	const length = values.length;
	checkArguments(length, into, scale, zeroPoint);
	let min: number, max: number;
	if (into instanceof Int8Array) { min = -128; max = 127; }
	else if (into instanceof Uint8Array) { min = 0; max = 255; }
	else if (into instanceof Int16Array) { min = -32768; max = 32767; }
	else if (into instanceof Uint16Array) { min = 0; max = 65535; }
	else { min = -2147483648; max = 2147483647; }
	for (let i = 0; i < length; i++) into[i] = quantizeValue(values[i], scale, zeroPoint, min, max);
	return into;
}

/**
 * Dequantizes `values` into `into` (at least as long).
 * @returns into
 * @throws ModelError ("bad argument") as quantize()
 */
export function dequantize<T extends RealArray>(values: ArrayLike<number>, scale: number, zeroPoint: number, into: T): T {
	const length = values.length;
	checkArguments(length, into, scale, zeroPoint);
	for (let i = 0; i < length; i++) into[i] = scale * (values[i] - zeroPoint);
	return into;
}
