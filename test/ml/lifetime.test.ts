// @host --arg fixtures=$ROOT/../shared/fixtures/tflm
// Memory and lifetimes of the model runtime on the real XS engine: the engine keeps no pointer
// into XS memory (a model in a plain ArrayBuffer keeps working while the garbage collector moves
// it), tensor views are zero-copy over the native arena and are detached by close(), a view keeps
// its interpreter (and arena) alive, invoke() allocates nothing. Expected outputs: the fixtures'.
import { test, equal, deepEqual, ok, throws } from "test/harness";
import { arg, gc, memory, readFile } from "xshost";
import { Model, Interpreter, ModelError, type Tensor } from "ml/runtime";

function fixture(path: string): ArrayBuffer {
	const bytes = readFile(`${arg("fixtures")}/${path}`);
	if (!bytes) throw new Error(`fixture not found: ${arg("fixtures")}/${path}`);
	return bytes;
}

const HELLO = "hello_world/hello_world_int8.tflite";
const UPSTREAM_IN = [-96, -63, -34, 0], UPSTREAM_OUT = [89, 125, 93, 4]; // fixtures README

/** Allocates and drops a few hundred objects of assorted sizes, then collects: live chunks move down. */
function churn(round: number): void {
	const garbage: unknown[] = [];
	for (let i = 0; i < 100; i++) garbage.push(new ArrayBuffer(16 + ((i * 37 + round * 11) % 700)), { i, round });
	garbage.length = 0;
	gc();
}

/** A copy of `bytes` placed after a block of garbage that is then collected, so the copy moves. */
function movingCopy(bytes: ArrayBuffer): ArrayBuffer {
	const before: ArrayBuffer[] = [];
	for (let i = 0; i < 32; i++) before.push(new ArrayBuffer(1024));
	const copy = bytes.slice(0);
	before.length = 0;
	gc();
	return copy;
}

function upstreamCases(it: Interpreter, between?: (round: number) => void): number[] {
	const x = it.input(0).data, y = it.output(0).data, got: number[] = [];
	UPSTREAM_IN.forEach((v, round) => {
		between?.(round);
		x[0] = v;
		it.invoke();
		got.push(y[0] as number);
	});
	return got;
}

test("model-in-a-moving-arraybuffer-with-gc-between-invokes", () => {
	const model = new Model(movingCopy(fixture(HELLO)));
	const it = new Interpreter(model);
	deepEqual(upstreamCases(it, churn), UPSTREAM_OUT);
	// all 256 inputs, collecting every 16
	const inputs = new Int8Array(fixture("hello_world/input_int8_all256.bin"));
	const want = new Int8Array(fixture("hello_world/expected_int8_all256.bin"));
	const x = it.input(0).data, y = it.output(0).data;
	let wrong = 0;
	for (let i = 0; i < 256; i++) {
		if (i % 16 === 0) churn(i);
		x[0] = inputs[i];
		it.invoke();
		if (y[0] !== want[i]) wrong++;
	}
	equal(wrong, 0, "outputs differing from the fixture");
	it.close();
});

test("kws-model-in-a-moving-arraybuffer-bit-exact-with-gc-between-samples", () => {
	const it = new Interpreter(new Model(movingCopy(fixture("kws_ds_cnn/kws_ref_model.tflite"))));
	const inputs = new Int8Array(fixture("kws_ds_cnn/input_random4_int8.bin"));
	const want = new Int8Array(fixture("kws_ds_cnn/expected_random4_int8.bin"));
	const x = it.input(0).data as Int8Array, y = it.output(0).data as Int8Array;
	for (let s = 0; s < 4; s++) {
		churn(s);
		x.set(inputs.subarray(s * 490, (s + 1) * 490));
		churn(s + 10);
		it.invoke();
		churn(s + 20);
		deepEqual([...y], [...want.subarray(s * 12, (s + 1) * 12)], `sample ${s}`);
	}
	it.close();
});

test("model-from-byte-views-aligned-in-place-odd-offset-copied", () => {
	const bytes = fixture(HELLO);
	const view = new DataView(bytes);
	const inPlace = new Model(view);
	equal(inPlace.bytes, view as unknown, "a 4-byte aligned view is read in place");
	deepEqual(upstreamCases(new Interpreter(inPlace)), UPSTREAM_OUT);
	const shifted = new Uint8Array(bytes.byteLength + 1);
	shifted.set(new Uint8Array(bytes), 1);
	const odd = new Model(shifted.subarray(1));
	ok(odd.bytes instanceof ArrayBuffer && odd.byteLength === bytes.byteLength, "copied into an aligned ArrayBuffer");
	deepEqual(upstreamCases(new Interpreter(odd)), UPSTREAM_OUT);
});

test("two-interpreters-on-one-model-are-independent", () => {
	const model = new Model(fixture(HELLO));
	const a = new Interpreter(model), b = new Interpreter(model);
	a.input(0).data[0] = -96;
	b.input(0).data[0] = 0;
	a.invoke();
	b.invoke();
	deepEqual([a.output(0).data[0], b.output(0).data[0]], [89, 4]);
	a.close();
	b.input(0).data[0] = 0; // before every invoke: later layers reuse the input's memory
	b.invoke();
	equal(b.output(0).data[0], 4, "closing one leaves the other working");
	b.close();
});

test("close-twice-is-harmless", () => {
	const it = new Interpreter(new Model(fixture(HELLO)));
	it.close();
	it.close();
	equal(it.closed, true);
});

test("use-after-close-throws-model-error-bad-state", () => {
	const it = new Interpreter(new Model(fixture(HELLO)));
	it.close();
	const uses: [string, () => unknown][] = [
		["invoke", () => it.invoke()],
		["invokeOps", () => it.invokeOps(0, 1)],
		["input", () => it.input(0)],
		["output", () => it.output(0)],
		["inputs", () => it.inputs],
		["outputs", () => it.outputs],
		["arenaUsed", () => it.arenaUsed],
		["arenaSize", () => it.arenaSize],
		["opCount", () => it.opCount],
		["tensorInfo", () => it.tensorInfo(0)],
		["readTensor", () => it.readTensor(0, new Uint8Array(1))],
		["profile", () => it.profile()],
		["profiling", () => { it.profiling = true; }],
		["resetProfile", () => it.resetProfile()],
	];
	for (const [name, use] of uses) {
		const error = throws(use, ModelError, /^closed$/, name) as ModelError;
		equal(error.status, "bad state", name);
	}
});

test("views-are-detached-by-close", () => {
	const it = new Interpreter(new Model(fixture("micro_speech/micro_speech_quantized.tflite")));
	const input = it.input(0), output = it.output(0);
	const x = input.data as Int8Array, y = output.data as Int8Array;
	const alias = new Int8Array(x.buffer, 100, 10); // a view the caller made on the tensor's buffer
	equal(x.length, 1960);
	equal(alias.length, 10);
	it.close();
	equal(x.length, 0, "input view");
	equal(y.length, 0, "output view");
	equal(alias.length, 0, "caller's view of the same buffer");
	equal(x.byteLength, 0);
	equal(x[0], undefined, "reads see nothing");
	x[0] = 5;
	equal(x[0], undefined, "writes go nowhere");
	throws(() => x.fill(1), TypeError, /detached/);
	throws(() => y.set([1, 2]), TypeError, /detached/);
	equal(new Int8Array(x.buffer).length, 0, "a new view of the buffer is empty");
	throws(() => input.quantize(new Float32Array(1960)), ModelError, /^closed$/);
	throws(() => output.dequantize(new Float32Array(4)), ModelError, /^closed$/);
	equal(input.shape.length, 2, "shape and quantization stay readable");
});

test("a-view-keeps-its-interpreter-and-arena-alive", () => {
	function scoresOnly(v: number): Int8Array {
		const it = new Interpreter(new Model(fixture(HELLO)));
		it.input(0).data[0] = v;
		it.invoke();
		return it.output(0).data as Int8Array; // the interpreter itself is dropped here
	}
	const kept = scoresOnly(-96);
	for (let i = 0; i < 4; i++) {
		churn(i);
		// new interpreters and arenas; a freed arena would be reused by these
		const other = new Interpreter(new Model(fixture(HELLO)));
		other.input(0).data[0] = 0;
		other.invoke();
		equal(other.output(0).data[0], 4);
		other.close();
	}
	equal(kept.length, 1, "still attached");
	equal(kept[0], 89, "still the first interpreter's output");
	const native = (kept.buffer as unknown as { interpreter: { arenaUsed: number } }).interpreter;
	equal(native.arenaUsed, 332, "its interpreter is alive and open");
});

test("the-model-changed-after-load-is-refused-as-bad-state", () => {
	const bytes = fixture(HELLO);
	const it = new Interpreter(new Model(bytes));
	const view = new Uint8Array(bytes);
	view[10] ^= 0xff;
	const error = throws(() => it.invoke(), ModelError, /model bytes differ/) as ModelError;
	equal(error.status, "bad state");
	view[10] ^= 0xff;
	deepEqual(upstreamCases(it), UPSTREAM_OUT, "the same bytes again work");
	it.close();
});

const ROUNDS = 100;

/** Slots and chunk bytes allocated by `body` run ROUNDS times, net of the measuring itself. */
function allocated(body: () => void): number {
	body(); // warm up: first-call caches
	memory(); // the measuring itself (its first call creates its property keys)
	gc();
	const a = memory(), b = memory(); // the cost of one memory() call
	for (let i = 0; i < ROUNDS; i++) body();
	const c = memory();
	const overhead = b.slotsUsed - a.slotsUsed + (b.chunksUsed - a.chunksUsed);
	return c.slotsUsed - b.slotsUsed + (c.chunksUsed - b.chunksUsed) - overhead;
}

test("100-invokes-allocate-nothing", () => {
	const hello = new Interpreter(new Model(fixture(HELLO)));
	const x = hello.input(0).data, y = hello.output(0).data;
	let v = -128, sum = 0;
	equal(allocated(() => {
		x[0] = v;
		v = v === 127 ? -128 : v + 1;
		hello.invoke();
		sum += y[0] as number;
	}), 0, "hello_world: view in, invoke, view out");
	ok(sum !== 0);

	const speech = new Interpreter(new Model(fixture("micro_speech/micro_speech_quantized.tflite")));
	const features = new Float32Array(1960), scores = new Float32Array(4);
	const input: Tensor = speech.input(0), output: Tensor = speech.output(0);
	for (let i = 0; i < features.length; i++) features[i] = (i % 40) * 0.5;
	speech.profiling = true;
	equal(allocated(() => {
		input.quantize(features);
		speech.invoke();
		output.dequantize(scores);
	}), 0, "micro_speech: quantize in, invoke with profiling, dequantize out");
	equal(speech.profile()[0].count, ROUNDS + 1);

	const wand = new Interpreter(new Model(fixture("magic_wand/magic_wand.tflite")));
	const window = new Float32Array(fixture("magic_wand/ring_f32.bin"));
	const wx = wand.input(0).data as Float32Array;
	equal(allocated(() => {
		wx.set(window);
		wand.invoke();
	}), 0, "magic_wand: float views");
	hello.close();
	speech.close();
	wand.close();
});

test("memory-used-unchanged-across-100-invokes", () => {
	const it = new Interpreter(new Model(fixture("kws_ds_cnn/kws_ref_model.tflite")));
	const x = it.input(0).data as Int8Array;
	x.set(new Int8Array(fixture("kws_ds_cnn/input_random4_int8.bin"), 0, 490));
	it.invoke();
	gc();
	const before = memory(), again = memory();
	for (let i = 0; i < ROUNDS; i++) it.invoke();
	const after = memory();
	const cost = again.used - before.used; // one memory() result object
	equal(after.used - again.used, cost, "pool bytes used");
	equal(after.slotsUsed - again.slotsUsed, again.slotsUsed - before.slotsUsed, "slots");
	equal(after.chunksUsed - again.chunksUsed, again.chunksUsed - before.chunksUsed, "chunks");
	it.close();
});
