/*
 * A model input or output: its shape, type and quantization, and `data`, a typed array of the
 * tensor's type viewing the tensor's bytes in the interpreter's native arena (zero-copy: write
 * inputs and read outputs through it). The arena never moves, so the view stays valid for the
 * interpreter's life; close() detaches it (length 0; its methods throw TypeError).
 * Tensors are made by the Interpreter, once, at construction.
 */
import type { TflmTensorInfo, TflmType } from "ml/tflm";
import { EngineStatus, ModelError } from "ml/errors";
import { quantizeValue, type RealArray } from "ml/quantize";

export type TensorType = TflmType;

/** The typed array each tensor type is viewed as (Uint8Array for bool and types without one). */
export type TensorData = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
	| Float32Array | Float64Array | BigInt64Array | BigUint64Array;

export interface TensorInfo {
	readonly index: number;
	readonly name: string;
	readonly type: TensorType;
	readonly shape: readonly number[];
	/** real = scale * (q - zeroPoint); 0 for tensors that are not quantized */
	readonly scale: number;
	readonly zeroPoint: number;
	readonly bytes: number;
}

/** How real values map onto a tensor's elements. */
const enum Kind { Real, Quantized, Raw }

/** Integer range of each quantizable type (spec 3.10 clamps to the output type's range). */
const RANGES: Readonly<Record<string, readonly [number, number] | undefined>> = Object.freeze({
	int8: Object.freeze([-128, 127] as const),
	uint8: Object.freeze([0, 255] as const),
	int16: Object.freeze([-32768, 32767] as const),
	uint16: Object.freeze([0, 65535] as const),
	int32: Object.freeze([-2147483648, 2147483647] as const),
});

function viewOf(type: TensorType, buffer: ArrayBufferLike): TensorData {
	switch (type) {
	case "int8": return new Int8Array(buffer);
	case "int16": return new Int16Array(buffer);
	case "uint16": return new Uint16Array(buffer);
	case "int32": return new Int32Array(buffer);
	case "uint32": return new Uint32Array(buffer);
	case "float32": return new Float32Array(buffer);
	case "float64": return new Float64Array(buffer);
	case "int64": return new BigInt64Array(buffer);
	case "uint64": return new BigUint64Array(buffer);
	default: return new Uint8Array(buffer);
	}
}

export class Tensor implements TensorInfo {
	readonly #info: TflmTensorInfo;
	readonly #shape: readonly number[];
	readonly #data: TensorData;
	readonly #elements: number;
	readonly #kind: Kind;
	readonly #min: number;
	readonly #max: number;

	/** Used by the Interpreter: `buffer` is the binding's host buffer over the tensor's arena bytes. */
	constructor(info: TflmTensorInfo, buffer: ArrayBufferLike) {
		this.#info = info;
		this.#shape = Object.freeze(info.shape.slice());
		this.#data = viewOf(info.type, buffer);
		this.#elements = this.#data.length;
		const range = RANGES[info.type];
		this.#kind = info.type === "float32" || info.type === "float64" ? Kind.Real
			: range && info.scale > 0 ? Kind.Quantized : Kind.Raw;
		this.#min = range ? range[0] : 0;
		this.#max = range ? range[1] : 0;
		Object.freeze(this);
	}

	get index(): number { return this.#info.index; }
	get name(): string { return this.#info.name; }
	get type(): TensorType { return this.#info.type; }
	get shape(): readonly number[] { return this.#shape; }
	get scale(): number { return this.#info.scale; }
	get zeroPoint(): number { return this.#info.zeroPoint; }
	get bytes(): number { return this.#info.bytes; }
	/** Element count (the product of the shape). */
	get length(): number { return this.#elements; }
	/** true for an integer tensor with a scale (real = scale * (q - zeroPoint)) */
	get quantized(): boolean { return this.#kind === Kind.Quantized; }
	/** The tensor's bytes in the arena, as a typed array of its type (length 0 once closed). */
	get data(): TensorData { return this.#data; }

	/**
	 * Writes real `values` (one per element) into the tensor: quantized with its scale and zero
	 * point (spec 3.10: float32 division, halves away from zero, clamped to the type), or copied
	 * for a float tensor. Allocates nothing.
	 * @throws ModelError "bad argument" for a wrong count or a tensor without real values,
	 *   "bad state" once the interpreter is closed
	 */
	quantize(values: ArrayLike<number>): void {
		const data = this.#checked(values.length !== this.#elements, values.length) as Float32Array;
		const n = this.#elements;
		if (this.#kind === Kind.Real) {
			for (let i = 0; i < n; i++) data[i] = values[i];
			return;
		}
		const scale = this.#info.scale, zeroPoint = this.#info.zeroPoint, min = this.#min, max = this.#max;
		for (let i = 0; i < n; i++) data[i] = quantizeValue(values[i], scale, zeroPoint, min, max);
	}

	/**
	 * Reads the tensor as real values into `into` (at least one slot per element): scale *
	 * (q - zeroPoint), or copied for a float tensor. Allocates nothing.
	 * @returns into
	 * @throws ModelError as quantize()
	 */
	dequantize<T extends RealArray>(into: T): T {
		const data = this.#checked(into.length < this.#elements, into.length) as Float32Array;
		const n = this.#elements;
		if (this.#kind === Kind.Real) {
			for (let i = 0; i < n; i++) into[i] = data[i];
			return into;
		}
		const scale = this.#info.scale, zeroPoint = this.#info.zeroPoint;
		for (let i = 0; i < n; i++) into[i] = scale * (data[i] - zeroPoint);
		return into;
	}

	/** The quantized value of the real `x` for this tensor (spec 3.10), e.g. to compare outputs with a threshold. */
	quantizeValue(x: number): number {
		if (this.#kind !== Kind.Quantized)
			throw new ModelError(`tensor ${this.#info.index} (${this.#info.type}) is not quantized`, EngineStatus.argument);
		return quantizeValue(x, this.#info.scale, this.#info.zeroPoint, this.#min, this.#max);
	}

	#checked(wrongCount: boolean, count: number): TensorData {
		const data = this.#data;
		if (this.#kind === Kind.Raw)
			throw new ModelError(`tensor ${this.#info.index} (${this.#info.type}) holds no real values`, EngineStatus.argument);
		if (data.length !== this.#elements)
			throw new ModelError("closed", EngineStatus.state);
		if (wrongCount)
			throw new ModelError(`tensor ${this.#info.index} has ${this.#elements} elements, got ${count}`, EngineStatus.argument);
		return data;
	}
}
