// Types of the XS binding ml/tflm.js (natives in ml/native/tflm.c). The interpreter does
// not keep the model: every call that takes `model` must get the same bytes the
// constructor got (a Resource, or a 4-byte aligned buffer holding them). Application code
// uses the TypeScript API (ml/model, ml/interpreter, ml/tensor) rather than this module.

/** Any buffer XS natives read as bytes: an ArrayBuffer, a host buffer (Resource), a byte-sized typed array or a DataView. */
export type TflmBytes = ArrayBufferLike | Uint8Array | Int8Array | DataView;

/** The engine's status names (eng_status_name), carried by every error as `status`. */
export type TflmStatus = "bad argument" | "malformed model" | "unsupported" | "arena too small" | "bad state" | "internal error";

/** What the binding throws: RangeError (Error for "internal error") with the engine's message. */
export interface TflmError extends Error {
	readonly status: TflmStatus;
}

export type TflmType = "float32" | "int8" | "uint8" | "int16" | "int32" | "int64" | "bool" | string;

export interface TflmTensorInfo {
	readonly index: number;
	/** the tensor's name in the model (truncated to 96 bytes) */
	readonly name: string;
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

export interface TflmModelCheck {
	/** exact arena bytes; undefined when the dry run cannot size the model (more than 96 activation buffers) */
	readonly arena?: number;
	readonly inputs: number;
	readonly outputs: number;
	readonly ops: number;
	readonly tensors: number;
}

export class Interpreter {
	/**
	 * Verifies the model and allocates the arena in native memory.
	 * @param arenaSize bytes; omitted: the exact size from the engine's dry run
	 * @throws RangeError malformed or unsupported model, bad arena size, out of memory
	 */
	constructor(model: TflmBytes, arenaSize?: number);
	/** Verifies a model and sizes its arena without allocating one. */
	static check(model: TflmBytes): TflmModelCheck;
	/** Detaches every tensor buffer, then frees the arena. Idempotent; every other member then throws RangeError("closed"). */
	close(): void;
	/** Runs every op. Write the inputs before each invoke: later layers reuse input memory. */
	invoke(model: TflmBytes): void;
	/** Runs ops [first, first + count) only (per-layer inspection). */
	invokeOps(model: TflmBytes, first: number, count: number): void;
	/** Copies `bytes` (exactly the input's byte size) into input `index`. */
	setInput(model: TflmBytes, index: number, bytes: TflmBytes): void;
	/** Copies output `index` into `bytes` (exactly the output's byte size). */
	getOutput(model: TflmBytes, index: number, bytes: TflmBytes): void;
	/** Copies tensor `index` (any activation or constant) into `bytes` (exactly its byte size). */
	getTensor(model: TflmBytes, index: number, bytes: TflmBytes): void;
	/** Read-write host buffer over input `index`'s bytes in the arena; detached (length 0) by close(). */
	inputBuffer(index: number): ArrayBufferLike;
	/** Read-write host buffer over output `index`'s bytes in the arena; detached (length 0) by close(). */
	outputBuffer(index: number): ArrayBufferLike;
	inputInfo(model: TflmBytes, index: number): TflmTensorInfo;
	outputInfo(model: TflmBytes, index: number): TflmTensorInfo;
	tensorInfo(model: TflmBytes, index: number): TflmTensorInfo;
	readonly inputCount: number;
	readonly outputCount: number;
	readonly opCount: number;
	readonly tensorCount: number;
	/** Exact arena bytes in use (activations + persistent data). */
	readonly arenaUsed: number;
	/** Bytes allocated for the arena (arenaUsed unless a larger size was given). */
	readonly arenaSize: number;
	readonly profiling: boolean;
	/** Per-op counters and time on or off (counters are kept until profileReset). */
	profile(enable: boolean): void;
	profileReset(): void;
	profileOp(model: TflmBytes, index: number): TflmOpProfile;
}
