// @host --arg fixtures=$ROOT/../shared/fixtures/tflm
// quantize/dequantize (spec 3.10, TFLite QUANTIZE/DEQUANTIZE reference): q = clamp(round(x / scale)
// + zp) with the division in float32 and halves away from zero; x = scale * (q - zp). Vectors are
// worked by hand from the spec; the hello_world check is the upstream test's (|sin x - y| <= 0.05).
import { test, equal, deepEqual, close, throws } from "test/harness";
import { arg, gc, memory, readFile } from "xshost";
import { Model, Interpreter, ModelError, quantize, dequantize, quantizeValue, dequantizeValue } from "ml/runtime";

test("rounds-half-away-from-zero", () => {
	const q = quantize([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49, -0.49], 1, 0, new Int8Array(8));
	deepEqual([...q], [1, 2, 3, -1, -2, -3, 0, 0]);
});

test("divides-in-float32", () => {
	// 0.25 / float(0.1) = 2.49999996... in double, exactly 2.5 once rounded to float32: 3, not 2
	equal(quantizeValue(0.25, 0.1, 0, -128, 127), 3);
	equal(quantizeValue(-0.25, 0.1, 0, -128, 127), -3);
});

test("adds-the-zero-point-and-clamps-to-the-destination-type", () => {
	deepEqual([...quantize([0, 1, -1, 1000, -1000], 0.5, -128, new Int8Array(5))], [-128, -126, -128, 127, -128]);
	deepEqual([...quantize([0, 1, -1, 1000], 0.5, 10, new Uint8Array(4))], [10, 12, 8, 255]);
	deepEqual([...quantize([1e9, -1e9, 3], 1, 0, new Int16Array(3))], [32767, -32768, 3]);
	deepEqual([...quantize([1e12, -1e12, 3.5], 1, 1, new Int32Array(3))], [2147483647, -2147483648, 5]);
	equal(quantizeValue(NaN, 0.5, -3, -128, 127), -3, "NaN gives the zero point");
});

test("dequantizes-scale-times-q-minus-zero-point", () => {
	deepEqual([...dequantize(Int8Array.of(-128, 0, 127), 0.5, -128, new Float32Array(3))], [0, 64, 127.5]);
	deepEqual(dequantize([5, 6], 0.25, 5, [0, 0]), [0, 0.25]);
	equal(dequantizeValue(89, 0.008290956728160381, 5), 0.008290956728160381 * 84);
	// stored into a Float32Array: float(double(scale) * (q - zp)), as the DEQUANTIZE reference
	equal(dequantize([1], 0.1, 0, new Float32Array(1))[0], Math.fround(0.1));
});

test("bad-arguments-throw-model-errors", () => {
	throws(() => quantize([1, 2, 3], 1, 0, new Int8Array(2)), ModelError, /destination holds 2 values, source 3/);
	throws(() => quantize([1], 0, 0, new Int8Array(1)), ModelError, /invalid scale 0/);
	throws(() => quantize([1], Infinity, 0, new Int8Array(1)), ModelError, /invalid scale/);
	throws(() => dequantize([1], 1, 0.5, new Float32Array(1)), ModelError, /invalid zero point 0.5/);
});

test("tensor-helpers-hello-world-upstream-tolerance", () => {
	const bytes = readFile(`${arg("fixtures")}/hello_world/hello_world_int8.tflite`);
	if (!bytes) throw new Error("fixture");
	const it = new Interpreter(new Model(bytes));
	const input = it.input(0), output = it.output(0);
	equal(input.quantized, true);
	const x = new Float32Array(1), y = new Float32Array(1);
	for (const v of [0.77, 1.57, 2.3, 3.14]) {
		x[0] = v;
		input.quantize(x);
		equal(input.data[0], input.quantizeValue(v));
		it.invoke();
		output.dequantize(y);
		close(y[0], Math.sin(v), 0.05, `sin(${v})`);
		equal(y[0], Math.fround(output.scale * ((output.data[0] as number) - output.zeroPoint)));
	}
	it.close();
});

test("float-tensors-copy-real-values", () => {
	const bytes = readFile(`${arg("fixtures")}/hello_world/hello_world_float.tflite`);
	if (!bytes) throw new Error("fixture");
	const it = new Interpreter(new Model(bytes));
	equal(it.input(0).quantized, false);
	it.input(0).quantize([1]);
	equal(it.input(0).data[0], 1);
	it.invoke();
	close(it.output(0).dequantize([0])[0], 0.863043606, 1e-5, "fixtures README: x = 1");
	throws(() => it.input(0).quantizeValue(1), ModelError, /not quantized/);
	it.close();
});

test("helpers-allocate-nothing", () => {
	const values = new Float32Array(64), q = new Int8Array(64), back = new Float32Array(64);
	for (let i = 0; i < 64; i++) values[i] = i / 8 - 4;
	const body = (): void => {
		quantize(values, 0.05, 3, q);
		dequantize(q, 0.05, 3, back);
	};
	body();
	memory();
	gc();
	const a = memory(), b = memory();
	for (let i = 0; i < 50; i++) body();
	const c = memory();
	equal(c.slotsUsed - b.slotsUsed + c.chunksUsed - b.chunksUsed, b.slotsUsed - a.slotsUsed + b.chunksUsed - a.chunksUsed);
});
