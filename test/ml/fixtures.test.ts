// @host --arg fixtures=$ROOT/../shared/fixtures/tflm
// Every TFLM fixture (../shared/fixtures/tflm, outputs produced by TensorFlow Lite Micro's reference
// kernels) through the TypeScript API and the XS binding on the real XS engine: inputs written and
// outputs read through the zero-copy tensor views, int8 bit-exact, float within 1e-5, every
// per-layer dump bit-exact, and the arena figures the C tests pin.
import { test, equal, deepEqual, ok, close } from "test/harness";
import { arg, readFile } from "xshost";
import Resource from "Resource";
import { Model, Interpreter, type Tensor } from "ml/runtime";

/** A fixture file's bytes (the runner passes the fixtures directory as an absolute path). */
function fixture(path: string): ArrayBuffer {
	const bytes = readFile(`${arg("fixtures")}/${path}`);
	if (!bytes) throw new Error(`fixture not found: ${arg("fixtures")}/${path}`);
	return bytes;
}

function json<T>(path: string): T {
	return JSON.parse(String.fromArrayBuffer(fixture(path))) as T;
}

interface Expected {
	models: {
		micro_speech: { cases: Record<string, { expected_int8: number[] }> };
		magic_wand: { cases: Record<string, { expected_f32: number[] }> };
	};
}

interface Layer { op_index: number; op: string; output_tensor: number; shape: number[]; file: string }

/** Arena bytes pinned by the C tests (test/native test_fixtures; ml/README "Arena figures"). */
const ARENA = {
	hello_world_int8: 332,
	hello_world_float: 428,
	micro_speech: 6344,
	magic_wand: 14552,
	simple_add: 49308,
	kws_ds_cnn: 20420,
} as const;

/** Runs every sample of `inputs` (N concatenated samples per input) and returns the outputs concatenated, as bytes. */
function runAll(it: Interpreter, inputs: readonly ArrayBuffer[]): Uint8Array {
	const first = it.input(0), out = it.output(0);
	const samples = inputs[0].byteLength / first.bytes;
	const result = new Uint8Array(samples * out.bytes);
	for (let s = 0; s < samples; s++) {
		inputs.forEach((bytes, i) => {
			const input = it.input(i);
			new Uint8Array(input.data.buffer).set(new Uint8Array(bytes, s * input.bytes, input.bytes));
		});
		it.invoke();
		result.set(new Uint8Array(out.data.buffer), s * out.bytes);
	}
	return result;
}

function sameBytes(actual: Uint8Array, expected: ArrayBuffer, message: string): void {
	const want = new Uint8Array(expected);
	equal(actual.length, want.length, `${message}: length`);
	let first = -1;
	for (let i = 0; i < want.length && first < 0; i++) if (actual[i] !== want[i]) first = i;
	equal(first, -1, `${message}: first differing byte`);
}

function within(actual: Float32Array, expected: ArrayLike<number>, tolerance: number, message: string): void {
	equal(actual.length, expected.length, `${message}: length`);
	for (let i = 0; i < expected.length; i++) close(actual[i], expected[i], tolerance, `${message}[${i}]`);
}

function tensorIs(t: Tensor, type: string, shape: number[], scale: number, zeroPoint: number): void {
	equal(t.type, type);
	deepEqual([...t.shape], shape);
	close(t.scale, scale, Math.abs(scale) * 1e-7);
	equal(t.zeroPoint, zeroPoint);
}

test("hello-world-int8-all-256-inputs-bit-exact", () => {
	const it = new Interpreter(new Model(fixture("hello_world/hello_world_int8.tflite")));
	tensorIs(it.input(0), "int8", [1, 1], 0.024480115622282028, -128);
	tensorIs(it.output(0), "int8", [1, 1], 0.008290956728160381, 5);
	ok(it.input(0).data instanceof Int8Array && it.output(0).data instanceof Int8Array, "int8 views");
	sameBytes(runAll(it, [fixture("hello_world/input_int8_all256.bin")]), fixture("hello_world/expected_int8_all256.bin"), "outputs");
	equal(it.arenaUsed, ARENA.hello_world_int8);
	it.close();
});

test("hello-world-int8-upstream-cases-through-typed-views", () => {
	const it = new Interpreter(new Model(fixture("hello_world/hello_world_int8.tflite")));
	const x = it.input(0).data, y = it.output(0).data;
	const got: number[] = [];
	for (const v of [-96, -63, -34, 0]) {
		x[0] = v;
		it.invoke();
		got.push(y[0] as number);
	}
	deepEqual(got, [89, 125, 93, 4], "fixtures README: -96, -63, -34, 0 give 89, 125, 93, 4");
	it.close();
});

test("hello-world-float-37-inputs-within-1e-5", () => {
	const it = new Interpreter(new Model(fixture("hello_world/hello_world_float.tflite")));
	tensorIs(it.input(0), "float32", [1, 1], 0, 0);
	const x = it.input(0).data as Float32Array, y = it.output(0).data as Float32Array;
	ok(x instanceof Float32Array && y instanceof Float32Array, "float32 views");
	const inputs = new Float32Array(fixture("hello_world/input_float.bin"));
	const want = new Float32Array(fixture("hello_world/expected_float.bin"));
	equal(inputs.length, 37);
	const got = new Float32Array(inputs.length);
	for (let i = 0; i < inputs.length; i++) {
		x[0] = inputs[i];
		it.invoke();
		got[i] = y[0];
	}
	within(got, want, 1e-5, "outputs");
	equal(it.arenaUsed, ARENA.hello_world_float);
	it.close();
});

test("micro-speech-six-feature-files-bit-exact", () => {
	const { cases } = json<Expected>("expected.json").models.micro_speech;
	const it = new Interpreter(new Model(fixture("micro_speech/micro_speech_quantized.tflite")));
	tensorIs(it.input(0), "int8", [1, 1960], 0.10171568393707275, -128);
	tensorIs(it.output(0), "int8", [1, 4], 1 / 256, -128);
	const files = Object.keys(cases);
	equal(files.length, 6);
	for (const file of files) {
		(it.input(0).data as Int8Array).set(new Int8Array(fixture(`micro_speech/${file}`)));
		it.invoke();
		deepEqual([...(it.output(0).data as Int8Array)], cases[file].expected_int8, file);
	}
	equal(it.arenaUsed, ARENA.micro_speech);
	it.close();
});

test("magic-wand-ring-and-slope-within-1e-5", () => {
	const { cases } = json<Expected>("expected.json").models.magic_wand;
	const it = new Interpreter(new Model(fixture("magic_wand/magic_wand.tflite")));
	tensorIs(it.input(0), "float32", [1, 128, 3, 1], 0, 0);
	deepEqual([...it.output(0).shape], [1, 4]);
	for (const file of ["ring_f32.bin", "slope_f32.bin"]) {
		(it.input(0).data as Float32Array).set(new Float32Array(fixture(`magic_wand/${file}`)));
		it.invoke();
		within(it.output(0).data as Float32Array, cases[file].expected_f32, 1e-5, file);
	}
	equal(it.arenaUsed, ARENA.magic_wand);
	it.close();
});

test("magic-wand-from-the-bundled-resource-matches-the-fixture", () => {
	const { cases } = json<Expected>("expected.json").models.magic_wand;
	const resource = new Resource("magic_wand.tflite");
	equal(resource.byteLength, fixture("magic_wand/magic_wand.tflite").byteLength, "ml/models copy is the fixture's size");
	const model = new Model(resource);
	equal(model.bytes, resource as unknown, "read in place, not copied");
	const it = new Interpreter(model);
	for (const file of ["ring_f32.bin", "slope_f32.bin"]) {
		it.input(0).quantize(new Float32Array(fixture(`magic_wand/${file}`))); // float tensor: a copy
		it.invoke();
		const scores = it.output(0).dequantize(new Float32Array(4));
		within(scores, cases[file].expected_f32, 1e-5, file);
	}
	equal(it.arenaUsed, ARENA.magic_wand);
	it.close();
});

test("simple-add-two-inputs-bit-exact", () => {
	const it = new Interpreter(new Model(fixture("simple_add/simple_add_model.tflite")));
	equal(it.inputs.length, 2);
	deepEqual([...it.input(1).shape], [1, 128, 128, 1]);
	sameBytes(runAll(it, [fixture("simple_add/input0_int8.bin"), fixture("simple_add/input1_int8.bin")]),
		fixture("simple_add/expected_int8.bin"), "outputs");
	equal(it.arenaUsed, ARENA.simple_add);
	it.close();
});

test("kws-ds-cnn-four-random-inputs-bit-exact", () => {
	const it = new Interpreter(new Model(fixture("kws_ds_cnn/kws_ref_model.tflite")));
	tensorIs(it.input(0), "int8", [1, 49, 10, 1], 0.5847029089927673, 83);
	tensorIs(it.output(0), "int8", [1, 12], 1 / 256, -128);
	sameBytes(runAll(it, [fixture("kws_ds_cnn/input_random4_int8.bin")]), fixture("kws_ds_cnn/expected_random4_int8.bin"), "outputs");
	equal(it.arenaUsed, ARENA.kws_ds_cnn);
	it.close();
});

test("arena-figures-pinned-exact-size-works-4-bytes-less-refused", () => {
	const models = {
		hello_world_int8: "hello_world/hello_world_int8.tflite",
		hello_world_float: "hello_world/hello_world_float.tflite",
		micro_speech: "micro_speech/micro_speech_quantized.tflite",
		magic_wand: "magic_wand/magic_wand.tflite",
		simple_add: "simple_add/simple_add_model.tflite",
		kws_ds_cnn: "kws_ds_cnn/kws_ref_model.tflite",
	} as const;
	for (const name of Object.keys(models) as (keyof typeof models)[]) {
		const model = new Model(fixture(models[name]));
		equal(model.arenaRequired, ARENA[name], `${name}: dry run`);
		const exact = new Interpreter(model, { arenaSize: ARENA[name] });
		equal(exact.arenaUsed, ARENA[name], `${name}: arenaUsed`);
		equal(exact.arenaSize, ARENA[name], `${name}: arenaSize`);
		exact.close();
		const larger = new Interpreter(model, { arenaSize: ARENA[name] + 1000 });
		equal(larger.arenaUsed, ARENA[name], `${name}: arenaUsed in a larger arena`);
		equal(larger.arenaSize, ARENA[name] + 1000);
		larger.close();
		let refused = "";
		try {
			new Interpreter(model, { arenaSize: ARENA[name] - 4 }).close();
		} catch (error) {
			refused = (error as Error).message;
		}
		ok(refused.startsWith(`arena too small: need ${ARENA[name]} bytes`), `${name}: ${refused}`);
	}
});

function layersMatch(modelPath: string, input: ArrayBuffer, dir: string): void {
	const it = new Interpreter(new Model(fixture(modelPath)));
	const layers = json<Layer[]>(`${dir}/index.json`);
	equal(layers.length, it.opCount, "one dump per op");
	const ops = it.profile();
	new Uint8Array(it.input(0).data.buffer).set(new Uint8Array(input, 0, it.input(0).bytes));
	for (const layer of layers) {
		equal(ops[layer.op_index].op, layer.op, `op ${layer.op_index}`);
		it.invokeOps(layer.op_index, 1);
		const info = it.tensorInfo(layer.output_tensor);
		deepEqual([...info.shape], layer.shape, `${layer.file}: shape`);
		const got = new Uint8Array(info.bytes);
		it.readTensor(layer.output_tensor, got);
		sameBytes(got, fixture(`${dir}/${layer.file}`), layer.file);
	}
	it.close();
}

test("micro-speech-every-layer-of-yes-bit-exact", () => {
	layersMatch("micro_speech/micro_speech_quantized.tflite", fixture("micro_speech/features_yes_f2e59fea_nohash_1_int8.bin"),
		"micro_speech/layers_yes");
});

test("kws-ds-cnn-every-layer-of-input-0-bit-exact", () => {
	layersMatch("kws_ds_cnn/kws_ref_model.tflite", fixture("kws_ds_cnn/input_random4_int8.bin"), "kws_ds_cnn/layers_input0");
});

test("profile-names-every-op-and-counts-invocations", () => {
	const it = new Interpreter(new Model(fixture("micro_speech/micro_speech_quantized.tflite")));
	equal(it.profiling, false);
	it.invoke();
	deepEqual(it.profile().map((p) => p.count), [0, 0, 0, 0], "off by default");
	it.profiling = true;
	equal(it.profiling, true);
	for (let i = 0; i < 3; i++) it.invoke();
	const profile = it.profile();
	deepEqual(profile.map((p) => p.op), ["RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX"]);
	deepEqual(profile.map((p) => p.count), [3, 3, 3, 3]);
	deepEqual(profile.map((p) => p.index), [0, 1, 2, 3]);
	ok(profile.every((p) => p.us >= 0), "times");
	it.profiling = false;
	it.invoke();
	deepEqual(it.profile().map((p) => p.count), [3, 3, 3, 3], "switched off: counters kept");
	it.resetProfile();
	deepEqual(it.profile().map((p) => p.count), [0, 0, 0, 0], "reset");
	it.close();
});
