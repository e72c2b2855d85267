// ml/tflm.js - XS binding of the native TFLM-compatible engine (natives in
// ml/native/tflm.c, engine in ml/native/). Logic-free: every member is a native. The
// TypeScript API over it is ml/model, ml/interpreter, ml/tensor (see ml/README.md).
//
// The interpreter does not keep the model: pass the same model buffer (a Resource, or any
// ArrayBuffer / byte view holding the same bytes, 4-byte aligned) to every call that takes
// one. The arena is native memory allocated once by the constructor (exact size from the
// engine's dry run unless arenaSize is given) and freed by close(), which is idempotent.
// inputBuffer/outputBuffer return read-write host buffers over the tensors' bytes in the
// arena (zero-copy); close() detaches them all (length 0) before it frees the arena.
// Bad arguments, malformed or unsupported models, a too-small arena and calls out of order
// (including any use after close()) throw RangeError; an engine fault throws Error. Both
// carry the engine's message and `status`, the engine's status name.
export class Interpreter @ "xs_tflm_destructor" {
	constructor(model, arenaSize) @ "xs_tflm_constructor";
	static check(model) @ "xs_tflm_check";
	close() @ "xs_tflm_close";
	invoke(model) @ "xs_tflm_invoke";
	invokeOps(model, first, count) @ "xs_tflm_invoke_ops";
	setInput(model, index, bytes) @ "xs_tflm_set_input";
	getOutput(model, index, bytes) @ "xs_tflm_get_output";
	getTensor(model, index, bytes) @ "xs_tflm_get_tensor";
	inputBuffer(index) @ "xs_tflm_input_buffer";
	outputBuffer(index) @ "xs_tflm_output_buffer";
	inputInfo(model, index) @ "xs_tflm_input_info";
	outputInfo(model, index) @ "xs_tflm_output_info";
	tensorInfo(model, index) @ "xs_tflm_tensor_info";
	get inputCount() @ "xs_tflm_get_input_count";
	get outputCount() @ "xs_tflm_get_output_count";
	get opCount() @ "xs_tflm_get_op_count";
	get tensorCount() @ "xs_tflm_get_tensor_count";
	get arenaUsed() @ "xs_tflm_get_arena_used";
	get arenaSize() @ "xs_tflm_get_arena_size";
	get profiling() @ "xs_tflm_get_profiling";
	profile(enable) @ "xs_tflm_profile";
	profileReset() @ "xs_tflm_profile_reset";
	profileOp(model, index) @ "xs_tflm_profile_op";
}
Object.freeze(Interpreter.prototype);
