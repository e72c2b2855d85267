// ml/tflm.js - XS binding of the native TFLM-compatible engine (natives in
// ml/native/tflm.c, engine in ml/native/). Logic-free: every member is a native.
//
// The interpreter does not keep the model: pass the same model buffer (a Resource, or any
// ArrayBuffer / byte view holding the same bytes, 4-byte aligned) to every call that takes
// one. The arena is native memory allocated once by the constructor (exact size from the
// engine's dry run unless arenaSize is given) and freed by close(), which is idempotent.
// Bad arguments, malformed or unsupported models and a too-small arena throw RangeError;
// an engine fault throws Error; any use after close() throws Error("closed").
export class Interpreter @ "xs_tflm_destructor" {
	constructor(model, arenaSize) @ "xs_tflm_constructor";
	close() @ "xs_tflm_close";
	invoke(model) @ "xs_tflm_invoke";
	setInput(model, index, bytes) @ "xs_tflm_set_input";
	getOutput(model, index, bytes) @ "xs_tflm_get_output";
	inputInfo(model, index) @ "xs_tflm_input_info";
	outputInfo(model, index) @ "xs_tflm_output_info";
	get inputCount() @ "xs_tflm_get_input_count";
	get outputCount() @ "xs_tflm_get_output_count";
	get opCount() @ "xs_tflm_get_op_count";
	get arenaUsed() @ "xs_tflm_get_arena_used";
	profile(enable) @ "xs_tflm_profile";
	profileReset() @ "xs_tflm_profile_reset";
	profileOp(model, index) @ "xs_tflm_profile_op";
}
Object.freeze(Interpreter.prototype);
