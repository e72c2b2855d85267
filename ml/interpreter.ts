/*
 * Runs a Model with the native engine. All memory is decided at construction: one native
 * arena (exact size by default), the tensors' typed-array views onto it, and the Tensor
 * objects. invoke() allocates nothing.
 *
 *   const model = new Model(new Resource("magic_wand.tflite"));
 *   const it = new Interpreter(model);
 *   it.input(0).data.set(window);        // or it.input(0).quantize(realValues)
 *   it.invoke();
 *   const scores = it.output(0).data;     // Float32Array / Int8Array view onto the arena
 *   it.close();                           // frees the arena; every view now has length 0
 *
 * Write the inputs before every invoke: the planner reuses input memory for later layers.
 * Errors: ModelError (bad input, arena too small, use after close) or EngineError (engine
 * fault), each with the engine's message and status name (ml/errors).
 */
import { Interpreter as NativeInterpreter, type TflmBytes } from "ml/tflm";
import { EngineStatus, ModelError, typedError } from "ml/errors";
import type { Model } from "ml/model";
import { Tensor, type TensorInfo } from "ml/tensor";

export interface InterpreterOptions {
	/** Arena bytes; default: exactly what the model needs (Model.arenaRequired). */
	readonly arenaSize?: number;
}

export interface OpProfile {
	readonly index: number;
	/** builtin operator name, e.g. "CONV_2D" */
	readonly op: string;
	/** invocations counted while profiling was on */
	readonly count: number;
	/** total microseconds of those invocations (the device's microsecond clock; processor time on the host) */
	readonly us: number;
}

function closedError(): ModelError {
	return new ModelError("closed", EngineStatus.state);
}

export class Interpreter {
	readonly #native: NativeInterpreter;
	readonly #bytes: TflmBytes;
	readonly #inputs: readonly Tensor[];
	readonly #outputs: readonly Tensor[];
	#closed = false;

	/**
	 * Allocates the arena, plans it and prepares every op.
	 * @throws ModelError "arena too small" (with the bytes needed), "bad argument", or any
	 *   model error the engine finds
	 */
	constructor(model: Model, options?: InterpreterOptions) {
		const bytes = model.bytes;
		try {
			const native = new NativeInterpreter(bytes, options?.arenaSize);
			const inputs: Tensor[] = [], outputs: Tensor[] = [];
			for (let i = 0; i < native.inputCount; i++)
				inputs.push(new Tensor(native.inputInfo(bytes, i), native.inputBuffer(i)));
			for (let i = 0; i < native.outputCount; i++)
				outputs.push(new Tensor(native.outputInfo(bytes, i), native.outputBuffer(i)));
			this.#native = native;
			this.#inputs = Object.freeze(inputs);
			this.#outputs = Object.freeze(outputs);
		} catch (error) {
			throw typedError(error);
		}
		this.#bytes = bytes;
	}

	/** Model inputs, in the model's order. */
	get inputs(): readonly Tensor[] { return this.#open() && this.#inputs; }
	/** Model outputs, in the model's order. */
	get outputs(): readonly Tensor[] { return this.#open() && this.#outputs; }

	input(index = 0): Tensor {
		this.#open();
		const tensor = this.#inputs[index];
		if (!tensor) throw new ModelError(`input ${index} out of range (${this.#inputs.length} inputs)`, EngineStatus.argument);
		return tensor;
	}

	output(index = 0): Tensor {
		this.#open();
		const tensor = this.#outputs[index];
		if (!tensor) throw new ModelError(`output ${index} out of range (${this.#outputs.length} outputs)`, EngineStatus.argument);
		return tensor;
	}

	/** Runs every op on the current input data. Allocates nothing. */
	invoke(): void {
		try {
			this.#native.invoke(this.#bytes);
		} catch (error) {
			throw typedError(error);
		}
	}

	/** Runs ops [first, first + count) only: step through the model layer by layer. */
	invokeOps(first: number, count: number): void {
		try {
			this.#native.invokeOps(this.#bytes, first, count);
		} catch (error) {
			throw typedError(error);
		}
	}

	/** Shape, type and quantization of any tensor of the model (activations, weights, ...). */
	tensorInfo(index: number): TensorInfo {
		try {
			const info = this.#native.tensorInfo(this.#bytes, index);
			Object.freeze(info.shape);
			return Object.freeze(info);
		} catch (error) {
			throw typedError(error);
		}
	}

	/**
	 * Copies tensor `index` into `into` (exactly its byte size). An intermediate activation
	 * holds its layer's output until the planner reuses its memory: read it right after the op
	 * that wrote it (invokeOps). Constants (weights) come from the model.
	 */
	readTensor(index: number, into: Uint8Array | Int8Array | DataView | ArrayBuffer): void {
		try {
			this.#native.getTensor(this.#bytes, index, into);
		} catch (error) {
			throw typedError(error);
		}
	}

	/** Exact arena bytes in use: planned activations + persistent data. */
	get arenaUsed(): number { return this.#call(() => this.#native.arenaUsed); }
	/** Arena bytes allocated (arenaUsed unless options.arenaSize asked for more). */
	get arenaSize(): number { return this.#call(() => this.#native.arenaSize); }
	get opCount(): number { return this.#call(() => this.#native.opCount); }
	get tensorCount(): number { return this.#call(() => this.#native.tensorCount); }

	/** Per-op profiling (invocations and time), off by default; counters survive switching. */
	get profiling(): boolean { return this.#call(() => this.#native.profiling); }
	set profiling(on: boolean) { this.#call(() => this.#native.profile(on)); }

	/** Per-op counters since the last resetProfile(), one record per op in model order. */
	profile(): OpProfile[] {
		return this.#call(() => {
			const records: OpProfile[] = [];
			for (let i = 0; i < this.#native.opCount; i++) {
				const { op, count, us } = this.#native.profileOp(this.#bytes, i);
				records.push(Object.freeze({ index: i, op, count, us }));
			}
			return records;
		});
	}

	resetProfile(): void { this.#call(() => this.#native.profileReset()); }

	get closed(): boolean { return this.#closed; }

	/** Detaches every tensor view (length 0), then frees the arena. Idempotent. */
	close(): void {
		this.#closed = true;
		this.#native.close();
	}

	#open(): true {
		if (this.#closed) throw closedError();
		return true;
	}

	#call<T>(body: () => T): T {
		try {
			return body();
		} catch (error) {
			throw typedError(error);
		}
	}
}
