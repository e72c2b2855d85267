/*
 * A .tflite model, verified once (every flatbuffer offset, length and index bounds-checked by
 * the engine) and read in place: weights are never copied.
 *   - From a Resource (flash on the device; a host buffer that never moves on the simulator
 *     host): the recommended way; costs no RAM.
 *   - From an ArrayBuffer, or a Uint8Array / Int8Array / DataView whose byteOffset is a
 *     multiple of 4: used in place. It lives in the XS heap and the garbage collector may move
 *     it; the engine never keeps a pointer into it (the binding fetches it again on every call).
 *     Do not modify it while an interpreter uses it (a changed model is refused as "bad state"
 *     when the change is caught, and gives wrong results otherwise).
 *   - A view at another offset is copied once into an aligned ArrayBuffer (the engine reads
 *     32-bit fields in place and needs the model 4-byte aligned).
 */
import { Interpreter as NativeInterpreter, type TflmBytes, type TflmModelCheck } from "ml/tflm";
import { typedError } from "ml/errors";

/** What a Model is made from: a Resource (HostBuffer), an ArrayBuffer, or a byte view. */
export type ModelSource = ArrayBuffer | HostBuffer | Uint8Array | Int8Array | DataView;

const MODEL_ALIGN = 4; // ENG_MODEL_ALIGN in ml/native/engine.h

export class Model {
	readonly #bytes: TflmBytes;
	readonly #check: TflmModelCheck;

	/**
	 * Verifies the model: structure, supported ops and types, and the arena it needs.
	 * @throws ModelError "malformed model" (truncated or corrupt, with the engine's message),
	 *   "unsupported" (an op or type the engine lacks, by name), "bad argument"
	 */
	constructor(source: ModelSource) {
		let bytes: TflmBytes = source as TflmBytes;
		if (ArrayBuffer.isView(source) && source.byteOffset % MODEL_ALIGN !== 0)
			bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength).slice().buffer;
		try {
			this.#check = NativeInterpreter.check(bytes);
		} catch (error) {
			throw typedError(error);
		}
		this.#bytes = bytes;
		Object.freeze(this);
	}

	/** The model's bytes as given (or their aligned copy): what the interpreter reads. */
	get bytes(): TflmBytes { return this.#bytes; }
	get byteLength(): number { return this.#bytes.byteLength; }
	/**
	 * Exact arena bytes an Interpreter needs (the engine's dry run), or undefined when the dry
	 * run cannot size this model (more than 96 activation buffers): give an arena size then.
	 */
	get arenaRequired(): number | undefined { return this.#check.arena; }
	get inputCount(): number { return this.#check.inputs; }
	get outputCount(): number { return this.#check.outputs; }
	get opCount(): number { return this.#check.ops; }
	get tensorCount(): number { return this.#check.tensors; }
}
