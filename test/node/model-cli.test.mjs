// The model tool (npm run model -> ml/tools/model.mjs -> build/native/tflm_cli) on the TFLM
// fixtures: outputs bit-exact with the expected files TFLM produced (floats within 1e-5),
// inspect as JSON, and refusal of broken input. FIXTURES_DIR defaults to
// ../shared/fixtures/tflm relative to the repository root.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const FIXTURES = resolve(ROOT, process.env.FIXTURES_DIR ?? "../shared/fixtures/tflm");
const MODEL = join(ROOT, "ml", "tools", "model.mjs");
const fx = (path) => join(FIXTURES, path);

function model(...args) {
	const result = spawnSync(process.execPath, [MODEL, ...args], { cwd: ROOT, encoding: "buffer" });
	return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

function withTemp(body) {
	const dir = mkdtempSync(join(tmpdir(), "model-cli-"));
	try {
		return body(dir);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

function runToFile(modelPath, inputs) {
	return withTemp((dir) => {
		const out = join(dir, "out.bin");
		const args = inputs.length === 1 ? [inputs[0]] : inputs.flatMap((f) => ["--input", f]);
		const result = model("run", modelPath, ...args, "--out", out);
		assert.equal(result.status, 0, result.stderr);
		return readFileSync(out);
	});
}

function assertBytesEqual(actual, expected) {
	assert.equal(actual.length, expected.length, "output length");
	const first = actual.findIndex((byte, i) => byte !== expected[i]);
	assert.equal(first, -1, `first difference at byte ${first}`);
}

test("model-cli-hello-world-int8-all-256-bit-exact", () => {
	const out = runToFile(fx("hello_world/hello_world_int8.tflite"), [fx("hello_world/input_int8_all256.bin")]);
	assertBytesEqual(out, readFileSync(fx("hello_world/expected_int8_all256.bin")));
});

test("model-cli-hello-world-float-within-1e-5", () => {
	const out = runToFile(fx("hello_world/hello_world_float.tflite"), [fx("hello_world/input_float.bin")]);
	const want = readFileSync(fx("hello_world/expected_float.bin"));
	assert.equal(out.length, want.length);
	for (let i = 0; i < out.length; i += 4)
		assert.ok(Math.abs(out.readFloatLE(i) - want.readFloatLE(i)) <= 1e-5, `sample ${i / 4}`);
});

test("model-cli-simple-add-two-inputs-bit-exact", () => {
	const out = runToFile(fx("simple_add/simple_add_model.tflite"),
		[fx("simple_add/input0_int8.bin"), fx("simple_add/input1_int8.bin")]);
	assertBytesEqual(out, readFileSync(fx("simple_add/expected_int8.bin")));
});

test("model-cli-kws-four-samples-bit-exact", () => {
	const out = runToFile(fx("kws_ds_cnn/kws_ref_model.tflite"), [fx("kws_ds_cnn/input_random4_int8.bin")]);
	assertBytesEqual(out, readFileSync(fx("kws_ds_cnn/expected_random4_int8.bin")));
});

test("model-cli-micro-speech-cases-from-expected-json", () => {
	const { models } = JSON.parse(readFileSync(fx("expected.json"), "utf8"));
	const ms = models.micro_speech;
	for (const [file, { expected_int8: want }] of Object.entries(ms.cases)) {
		const out = runToFile(fx(ms.model), [fx(`micro_speech/${file}`)]);
		assert.deepEqual([...new Int8Array(out.buffer, out.byteOffset, out.length)], want, file);
	}
});

test("model-cli-magic-wand-cases-within-1e-5", () => {
	const { models } = JSON.parse(readFileSync(fx("expected.json"), "utf8"));
	const mw = models.magic_wand;
	for (const [file, { expected_f32: want }] of Object.entries(mw.cases)) {
		const out = runToFile(fx(mw.model), [fx(`magic_wand/${file}`)]);
		want.forEach((w, i) => assert.ok(Math.abs(out.readFloatLE(4 * i) - w) <= 1e-5, `${file}[${i}]`));
	}
});

test("model-cli-run-prints-one-line-per-sample", () => {
	const result = model("run", fx("kws_ds_cnn/kws_ref_model.tflite"), fx("kws_ds_cnn/input_random4_int8.bin"));
	assert.equal(result.status, 0, result.stderr);
	const lines = result.stdout.trim().split("\n");
	assert.equal(lines.length, 4);
	const bytes = readFileSync(fx("kws_ds_cnn/expected_random4_int8.bin"));
	const want = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
	assert.equal(lines[0], `0: ${[...want.slice(0, 12)].join(" ")}`);
});

test("model-cli-inspect-json", () => {
	const result = model("inspect", fx("micro_speech/micro_speech_quantized.tflite"), "--json");
	assert.equal(result.status, 0, result.stderr);
	const info = JSON.parse(result.stdout);
	assert.deepEqual(info.ops.map((op) => op.op), ["RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX"]);
	const input = info.tensors[info.inputs[0]];
	assert.deepEqual(input.shape, [1, 1960]);
	assert.equal(input.type, "INT8");
	assert.equal(input.zero_point, -128);
	assert.ok(Math.abs(input.scale - 0.10171568393707275) < 1e-8);
	assert.ok(info.arena.used > 0 && info.arena.used <= 7312, `arena ${info.arena.used} vs TFLM 7312`);
	assert.equal(info.arena.used, info.arena.activations + info.arena.persistent);
	assert.ok(info.weight_bytes > 16000);
});

/** Op multisets from the fixtures README's model table; arena figures pinned by the C tests (ml/README). */
const INSPECT = {
	hello_world_int8: { ops: { FULLY_CONNECTED: 3 }, arena: [332, 32, 300] },
	hello_world_float: { ops: { FULLY_CONNECTED: 3 }, arena: [428, 128, 300] },
	micro_speech: { ops: { RESHAPE: 1, DEPTHWISE_CONV_2D: 1, FULLY_CONNECTED: 1, SOFTMAX: 1 }, arena: [6344, 5968, 376] },
	magic_wand: { ops: { DEPTHWISE_CONV_2D: 1, MAX_POOL_2D: 2, CONV_2D: 1, FULLY_CONNECTED: 2, SOFTMAX: 1 }, arena: [14552, 13824, 728] },
	simple_add: { ops: { ADD: 1 }, arena: [49308, 49152, 156] },
	mlperf_kws_ref_model: {
		ops: { CONV_2D: 5, DEPTHWISE_CONV_2D: 4, AVERAGE_POOL_2D: 1, RESHAPE: 1, FULLY_CONNECTED: 1, SOFTMAX: 1 },
		arena: [20420, 16000, 4420],
	},
};

function counts(names) {
	const result = {};
	for (const name of names) result[name] = (result[name] ?? 0) + 1;
	return result;
}

function tensorMatches(tensor, want, what) {
	assert.equal(tensor.type, want.dtype.toUpperCase(), `${what}: type`);
	assert.deepEqual(tensor.shape, want.shape, `${what}: shape`);
	if (want.scale !== undefined) {
		assert.ok(Math.abs(tensor.scale - want.scale) <= want.scale * 1e-7, `${what}: scale ${tensor.scale}`);
		assert.equal(tensor.zero_point, want.zero_point, `${what}: zero point`);
	}
}

test("model-cli-inspect-every-fixture-ops-tensors-quantization-weights-arena", () => {
	const { models } = JSON.parse(readFileSync(fx("expected.json"), "utf8"));
	assert.deepEqual(Object.keys(models).sort(), Object.keys(INSPECT).sort());
	for (const [name, entry] of Object.entries(models)) {
		const result = model("inspect", fx(entry.model), "--json");
		assert.equal(result.status, 0, result.stderr);
		const info = JSON.parse(result.stdout);
		assert.equal(info.bytes, readFileSync(fx(entry.model)).length, `${name}: bytes`);
		assert.deepEqual(counts(info.ops.map((op) => op.op)), INSPECT[name].ops, `${name}: ops`);
		info.ops.forEach((op, i) => assert.equal(op.index, i));
		// inputs and outputs as expected.json describes them (simple_add lists its output only)
		if (entry.input) tensorMatches(info.tensors[info.inputs[0]], entry.input, `${name} input`);
		const output = entry.output ?? entry.expected;
		tensorMatches(info.tensors[info.outputs[0]], { dtype: output.dtype ?? "int8", ...output }, `${name} output`);
		// every tensor has a shape whose product times the element size is its byte count
		for (const tensor of info.tensors) {
			const size = { INT8: 1, UINT8: 1, INT16: 2, INT32: 4, FLOAT32: 4, INT64: 8 }[tensor.type];
			assert.equal(tensor.bytes, tensor.shape.reduce((a, b) => a * b, 1) * size, `${name} tensor ${tensor.index}`);
		}
		const constants = info.tensors.filter((t) => t.constant);
		assert.equal(info.constant_tensors, constants.length, `${name}: constant tensors`);
		assert.equal(info.weight_bytes, constants.reduce((sum, t) => sum + t.bytes, 0), `${name}: weight bytes`);
		const [used, activations, persistent] = INSPECT[name].arena;
		assert.deepEqual(info.arena, { used, activations, persistent }, `${name}: arena`);
		assert.ok(used <= entry.arena_used_bytes_x86_64, `${name}: arena ${used} within TFLM's ${entry.arena_used_bytes_x86_64}`);
	}
});

test("model-cli-inspect-per-layer-ops-match-the-dumps", () => {
	for (const [path, dir] of [["micro_speech/micro_speech_quantized.tflite", "micro_speech/layers_yes"],
		["kws_ds_cnn/kws_ref_model.tflite", "kws_ds_cnn/layers_input0"]]) {
		const info = JSON.parse(model("inspect", fx(path), "--json").stdout);
		const layers = JSON.parse(readFileSync(fx(`${dir}/index.json`), "utf8"));
		assert.deepEqual(info.ops.map((op) => op.op), layers.map((layer) => layer.op), dir);
		assert.deepEqual(info.ops.map((op) => op.outputs[0]), layers.map((layer) => layer.output_tensor), dir);
		for (const layer of layers) assert.deepEqual(info.tensors[layer.output_tensor].shape, layer.shape, layer.file);
	}
});

test("model-cli-inspect-table-shows-shapes-quantization-weights-and-arena", () => {
	const result = model("inspect", fx("micro_speech/micro_speech_quantized.tflite"));
	assert.equal(result.status, 0, result.stderr);
	const text = result.stdout;
	assert.match(text, /^ops\s+4$/m);
	assert.match(text, /^\s+1\s+DEPTHWISE_CONV_2D\s/m);
	assert.match(text, /^tensors\s+10$/m);
	assert.match(text, /^\s+\d+\s+INT8\s+\[1,1960\]\s+1960\s+arena\s+s=0\.101715\d* zp=-128\s/m, "input row");
	assert.match(text, /^\s+\d+\s+INT8\s+\[1,4\]\s+4\s+arena\s+s=0\.00390625 zp=-128\s/m, "output row");
	assert.match(text, /8 scales \(axis 3\)/, "per-channel depthwise weights");
	assert.match(text, /^weights\s+\d+ bytes in 5 constant tensors/m);
	assert.match(text, /^arena\s+6344 bytes = 5968 activations \(greedy plan\) \+ 376 persistent$/m);
});

test("model-cli-inspect-table", () => {
	const result = model("inspect", fx("kws_ds_cnn/kws_ref_model.tflite"));
	assert.equal(result.status, 0, result.stderr);
	assert.match(result.stdout, /AVERAGE_POOL_2D/);
	assert.match(result.stdout, /^arena\s+\d+ bytes = \d+ activations/m);
});

test("model-cli-refuses-truncated-model-with-message", () => {
	withTemp((dir) => {
		const path = join(dir, "truncated.tflite");
		writeFileSync(path, readFileSync(fx("hello_world/hello_world_int8.tflite")).subarray(0, 1000));
		const result = model("inspect", path);
		assert.equal(result.status, 1);
		assert.match(result.stderr, /malformed model: truncated model/);
	});
});

test("model-cli-refuses-wrong-input-size", () => {
	withTemp((dir) => {
		const path = join(dir, "in.bin");
		writeFileSync(path, Buffer.alloc(1961));
		const result = model("run", fx("micro_speech/micro_speech_quantized.tflite"), path);
		assert.equal(result.status, 1);
		assert.match(result.stderr, /1960-byte samples/);
	});
});

test("model-cli-usage-errors-exit-2", () => {
	assert.equal(model().status, 2);
	assert.equal(model("run", fx("simple_add/simple_add_model.tflite"), fx("simple_add/input0_int8.bin")).status, 2);
});
