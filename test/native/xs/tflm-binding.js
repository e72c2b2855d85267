// XS binding test (ml/tflm.js + ml/native/tflm.c) on the real XS engine, run by
// `make -C ml/native test-xs` in a private build of the simulator host. Fixture models
// arrive as Resources (read-only, non-moving, like flash). Expected values: fixtures README.
// Prints "ok <name>" / "not ok <name>: <detail>" lines and "N passed, M failed".
import Resource from "Resource";
import { Interpreter } from "ml/tflm";
import { exit, gc } from "xshost";

let passed = 0, failed = 0;
function check(name, ok, detail) {
	if (ok) {
		passed++;
		trace(`ok ${name}\n`);
	} else {
		failed++;
		trace(`not ok ${name}: ${detail}\n`);
	}
}
function throwsWith(name, body, kind, pattern) {
	try {
		body();
		check(name, false, "did not throw");
	} catch (error) {
		check(name, error instanceof kind && pattern.test(error.message), `${error.name}: ${error.message}`);
	}
}

const hello = new Resource("hello_world_int8.tflite");
const it = new Interpreter(hello);
check("binding-arena-used-is-engine-figure", it.arenaUsed === 332, `arenaUsed ${it.arenaUsed}`);
check("binding-counts", it.inputCount === 1 && it.outputCount === 1 && it.opCount === 3,
	`${it.inputCount} ${it.outputCount} ${it.opCount}`);

const info = it.inputInfo(hello, 0);
check("binding-input-info", info.type === "int8" && info.shape.join() === "1,1" && info.zeroPoint === -128 &&
	Math.abs(info.scale - 0.024480115622282028) < 1e-9 && info.bytes === 1, JSON.stringify(info));
const out = it.outputInfo(hello, 0);
check("binding-output-info", out.zeroPoint === 5 && Math.abs(out.scale - 0.008290956728160381) < 1e-9,
	JSON.stringify(out));

// upstream hello_world cases: -96, -63, -34, 0 -> 89, 125, 93, 4
const x = new Int8Array(1), y = new Int8Array(1), got = [];
for (const v of [-96, -63, -34, 0]) {
	x[0] = v;
	it.setInput(hello, 0, x);
	it.invoke(hello);
	it.getOutput(hello, 0, y);
	got.push(y[0]);
}
check("binding-hello-world-upstream-cases", got.join() === "89,125,93,4", got.join());

it.profile(true);
it.invoke(hello);
it.invoke(hello);
const p = it.profileOp(hello, 2);
check("binding-profile-op", p.op === "FULLY_CONNECTED" && p.count === 2 && p.us >= 0, JSON.stringify(p));
it.profileReset();
check("binding-profile-reset", it.profileOp(hello, 0).count === 0, "not reset");

throwsWith("binding-wrong-input-size-is-range-error", () => it.setInput(hello, 0, new Int8Array(2)), RangeError,
	/input 0 needs 1 bytes, got 2/);
throwsWith("binding-bad-index-is-range-error", () => it.inputInfo(hello, 3), RangeError, /input 3 out of range/);
const micro = new Resource("micro_speech_quantized.tflite");
throwsWith("binding-other-model-is-range-error", () => it.invoke(micro), RangeError, /model buffer is 18800 bytes/);

// micro_speech from a Resource: the yes features -> [-128, -128, 127, -128]
const ms = new Interpreter(micro);
ms.setInput(micro, 0, new Resource("features_yes_f2e59fea_nohash_1_int8.bin"));
ms.invoke(micro);
const scores = new Int8Array(4);
ms.getOutput(micro, 0, scores);
check("binding-micro-speech-yes", scores.join() === "-128,-128,127,-128", scores.join());
ms.close();

// a model in an ordinary (relocatable) ArrayBuffer: pointers are re-fetched on every call,
// so the engine keeps working while the GC moves the buffer and the host chunk
const copy = hello.slice(0);
const moving = new Interpreter(copy);
const seen = [];
for (const v of [-96, -63, -34, 0]) {
	const garbage = [];
	for (let i = 0; i < 200; i++) garbage.push(new ArrayBuffer(64 + i));
	garbage.length = 0; // unreachable now: the collection below may move the model buffer
	gc();
	x[0] = v;
	moving.setInput(copy, 0, x);
	moving.invoke(copy);
	moving.getOutput(copy, 0, y);
	seen.push(y[0]);
}
check("binding-model-in-moving-arraybuffer", seen.join() === "89,125,93,4", seen.join());
moving.close();

it.close();
it.close();
check("binding-close-is-idempotent", true, "");
throwsWith("binding-use-after-close-is-error", () => it.invoke(hello), Error, /closed/);

throwsWith("binding-truncated-model-is-range-error", () => new Interpreter(hello.slice(0, 1000)), RangeError,
	/truncated model/);
throwsWith("binding-arena-too-small-is-range-error", () => new Interpreter(hello, 64), RangeError,
	/arena too small: need 332 bytes/);
throwsWith("binding-not-a-buffer", () => new Interpreter(42), TypeError, /buffer/);

trace(`${passed} passed, ${failed} failed\n`);
exit(failed ? 1 : 0);
