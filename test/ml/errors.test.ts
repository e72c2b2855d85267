// @host --arg fixtures=$ROOT/../shared/fixtures/tflm
// Typed errors of the model runtime: ModelError (a RangeError) for truncated, corrupt or
// unsupported models and bad arguments, EngineError for engine faults, each with the engine's
// message and status name. Every fixture is truncated at several lengths and byte-flipped.
import { test, equal, ok, throws } from "test/harness";
import { arg, readFile } from "xshost";
import { Model, Interpreter, ModelError, EngineError, EngineStatus } from "ml/runtime";
import { typedError } from "ml/errors";

function fixture(path: string): ArrayBuffer {
	const bytes = readFile(`${arg("fixtures")}/${path}`);
	if (!bytes) throw new Error(`fixture not found: ${arg("fixtures")}/${path}`);
	return bytes;
}

const MODELS = [
	"hello_world/hello_world_int8.tflite",
	"hello_world/hello_world_float.tflite",
	"micro_speech/micro_speech_quantized.tflite",
	"magic_wand/magic_wand.tflite",
	"simple_add/simple_add_model.tflite",
	"kws_ds_cnn/kws_ref_model.tflite",
];

function modelError(body: () => unknown, pattern: RegExp, status: string, message: string): ModelError {
	const error = throws(body, ModelError, pattern, message) as ModelError;
	ok(error instanceof RangeError, `${message}: a RangeError`);
	equal(error.name, "ModelError");
	equal(error.status, status, `${message}: status`);
	return error;
}

test("truncated-models-are-refused-with-the-engine-message", () => {
	let count = 0;
	for (const path of MODELS) {
		const bytes = fixture(path);
		const n = bytes.byteLength;
		for (const length of [0, 4, 7, 8, 12, 16, 64, 256, n >> 2, n >> 1, n - 256, n - 16, n - 4, n - 1]) {
			modelError(() => new Model(bytes.slice(0, length)), /^truncated model: /, EngineStatus.model, `${path} at ${length}`);
			count++;
		}
	}
	equal(count, MODELS.length * 14);
});

test("a-wrong-file-identifier-is-refused-by-name", () => {
	const bytes = fixture("hello_world/hello_world_int8.tflite").slice(0);
	new Uint8Array(bytes).set([0x54, 0x46, 0x4c, 0x32], 4); // "TFL2"
	modelError(() => new Model(bytes), /^not a TFLite model: file identifier is 54 46 4c 32, expected 'TFL3'$/,
		EngineStatus.model, "identifier");
});

/** xorshift32: a fixed sequence of positions and masks. */
function random(seed: number): () => number {
	let s = seed >>> 0 || 1;
	return () => {
		s ^= s << 13; s >>>= 0;
		s ^= s >>> 17;
		s ^= s << 5; s >>>= 0;
		return s;
	};
}

test("byte-flipped-models-are-refused-or-run-never-crash", () => {
	const statuses = new Set<string>(Object.values(EngineStatus));
	let refused = 0, ran = 0;
	for (const path of MODELS) {
		const original = fixture(path);
		const next = random(path.length * 7919);
		for (let k = 0; k < 30; k++) {
			const bytes = original.slice(0);
			const view = new Uint8Array(bytes);
			const flips = 1 + (next() % 4);
			for (let f = 0; f < flips; f++) view[next() % view.length] ^= 1 + (next() % 255);
			let it: Interpreter | undefined;
			try {
				it = new Interpreter(new Model(bytes));
				for (let i = 0; i < it.inputs.length; i++) it.input(i).data.fill(0 as never);
				it.invoke();
				ran++;
			} catch (error) {
				ok(error instanceof ModelError || error instanceof EngineError, `${path} #${k}: ${error}`);
				const { status, message } = error as ModelError;
				ok(statuses.has(status), `${path} #${k}: status ${status}`);
				ok(message.length > 0 && message !== status, `${path} #${k}: a message with the numbers`);
				refused++;
			} finally {
				it?.close();
			}
		}
	}
	equal(refused + ran, MODELS.length * 30);
	ok(refused > 0, `refused ${refused}, ran ${ran}`);
});

test("arena-too-small-names-the-bytes-needed", () => {
	const model = new Model(fixture("micro_speech/micro_speech_quantized.tflite"));
	modelError(() => new Interpreter(model, { arenaSize: 6000 }),
		/^arena too small: need 6344 bytes \(activations 5968 \+ persistent 376\), got 6000$/, EngineStatus.arena, "6000 bytes");
});

test("bad-arguments-are-model-errors", () => {
	const model = new Model(fixture("hello_world/hello_world_int8.tflite"));
	for (const size of [0, -1, 1.5, NaN])
		modelError(() => new Interpreter(model, { arenaSize: size }), /^invalid arena size/, EngineStatus.argument, `arena ${size}`);
	const it = new Interpreter(model);
	modelError(() => it.input(1), /^input 1 out of range \(1 inputs\)$/, EngineStatus.argument, "input(1)");
	modelError(() => it.output(3), /^output 3 out of range \(1 outputs\)$/, EngineStatus.argument, "output(3)");
	modelError(() => it.invokeOps(2, 5), /^ops 2\.\.7 out of range \(3 ops\)$/, EngineStatus.argument, "invokeOps");
	modelError(() => it.tensorInfo(999), /out of range/, EngineStatus.argument, "tensorInfo");
	modelError(() => it.readTensor(0, new Uint8Array(3)), /^tensor 0 has 1 bytes, buffer has 3$/, EngineStatus.argument, "readTensor");
	modelError(() => it.input(0).quantize([1, 2]), /^tensor \d+ has 1 elements, got 2$/, EngineStatus.argument, "quantize count");
	modelError(() => it.output(0).dequantize([]), /^tensor \d+ has 1 elements, got 0$/, EngineStatus.argument, "dequantize count");
	it.close();
});

test("another-models-bytes-are-refused-as-bad-state", () => {
	// the Interpreter reads its Model's bytes; the raw binding refuses any other buffer
	const hello = new Model(fixture("hello_world/hello_world_int8.tflite"));
	const it = new Interpreter(hello);
	const native = (it.input(0).data.buffer as unknown as { interpreter: { invoke(model: unknown): void } }).interpreter;
	const other = fixture("hello_world/hello_world_float.tflite");
	const error = typedError(throws(() => native.invoke(other), RangeError, /^model buffer is 3164 bytes, the interpreter was built from 2704$/));
	ok(error instanceof ModelError && error.status === EngineStatus.state, "bad state");
	it.close();
});

test("not-a-buffer-is-a-type-error", () => {
	throws(() => new Model(42 as unknown as ArrayBuffer), TypeError, /buffer/);
	throws(() => new Model(new Float32Array(8) as unknown as ArrayBuffer), TypeError, /buffer/);
});

test("binding-errors-map-to-typed-errors-by-status", () => {
	const fault = Object.assign(new Error("op 3 (CONV_2D): eval failed"), { status: "internal error" });
	const engine = typedError(fault) as EngineError;
	ok(engine instanceof EngineError && !(engine instanceof RangeError), "an engine fault is an EngineError, not a RangeError");
	equal(engine.message, "op 3 (CONV_2D): eval failed");
	equal(engine.status, EngineStatus.internal);
	equal(engine.name, "EngineError");
	equal((engine as Error & { cause?: unknown }).cause, fault);
	const bad = typedError(Object.assign(new RangeError("x"), { status: "unsupported" }));
	ok(bad instanceof ModelError && bad.status === EngineStatus.unsupported);
	const plain = new TypeError("detached buffer");
	equal(typedError(plain), plain, "errors without a status pass through");
});
