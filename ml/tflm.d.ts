// Types of the XS binding ml/tflm.js (natives in ml/native/tflm.c). The interpreter does
// not keep the model: every call that takes `model` must get the same bytes the
// constructor got (a Resource, or a 4-byte aligned buffer holding them).

/** Any buffer XS natives read as bytes: an ArrayBuffer, a byte-sized typed array or a DataView. */
export type TflmBytes = ArrayBufferLike | Uint8Array | Int8Array | DataView;

export type TflmType = "float32" | "int8" | "uint8" | "int16" | "int32" | "int64" | "bool" | string;

export interface TflmTensorInfo {
	readonly index: number;
	readonly type: TflmType;
	readonly shape: readonly number[];
	/** real = scale * (q - zeroPoint); 0 for unquantized tensors */
	readonly scale: number;
	readonly zeroPoint: number;
	readonly bytes: number;
}

export interface TflmOpProfile {
	readonly op: string;
	readonly count: number;
	/** total microseconds of all invocations */
	readonly us: number;
}

export class Interpreter {
	/**
	 * Verifies the model and allocates the arena in native memory.
	 * @param arenaSize bytes; omitted: the exact size from the engine's dry run
	 * @throws RangeError malformed or unsupported model, bad arena size, out of memory
	 */
	constructor(model: TflmBytes, arenaSize?: number);
	/** Frees the arena. Idempotent; every other member then throws Error("closed"). */
	close(): void;
	/** Runs every op. Write the inputs before each invoke: later layers reuse input memory. */
	invoke(model: TflmBytes): void;
	/** Copies `bytes` (exactly the input's byte size) into input `index`. */
	setInput(model: TflmBytes, index: number, bytes: TflmBytes): void;
	/** Copies output `index` into `bytes` (exactly the output's byte size). */
	getOutput(model: TflmBytes, index: number, bytes: TflmBytes): void;
	inputInfo(model: TflmBytes, index: number): TflmTensorInfo;
	outputInfo(model: TflmBytes, index: number): TflmTensorInfo;
	readonly inputCount: number;
	readonly outputCount: number;
	readonly opCount: number;
	/** Exact arena bytes in use (activations + persistent data). */
	readonly arenaUsed: number;
	/** Per-op counters and time on or off (counters are kept until profileReset). */
	profile(enable: boolean): void;
	profileReset(): void;
	profileOp(model: TflmBytes, index: number): TflmOpProfile;
}
