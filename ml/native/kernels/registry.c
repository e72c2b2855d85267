/*
 * registry.c - maps BuiltinOperator codes to kernels and dispatches setup/eval.
 */
#include "kernels.h"
#include "../schema.h"

uint8_t eng_kernel_for(int32_t builtin)
{
	switch (builtin) {
	case OP_ADD: return ENG_K_ADD;
	case OP_AVERAGE_POOL_2D: return ENG_K_AVERAGE_POOL_2D;
	case OP_CONV_2D: return ENG_K_CONV_2D;
	case OP_DEPTHWISE_CONV_2D: return ENG_K_DEPTHWISE_CONV_2D;
	case OP_FULLY_CONNECTED: return ENG_K_FULLY_CONNECTED;
	case OP_MAX_POOL_2D: return ENG_K_MAX_POOL_2D;
	case OP_RESHAPE: return ENG_K_RESHAPE;
	case OP_SOFTMAX: return ENG_K_SOFTMAX;
	default: return ENG_K_NONE;
	}
}

uint8_t eng_kernel_options_type(uint8_t kernel)
{
	switch (kernel) {
	case ENG_K_ADD: return OPTS_ADD;
	case ENG_K_AVERAGE_POOL_2D: return OPTS_POOL2D;
	case ENG_K_CONV_2D: return OPTS_CONV2D;
	case ENG_K_DEPTHWISE_CONV_2D: return OPTS_DEPTHWISE_CONV2D;
	case ENG_K_FULLY_CONNECTED: return OPTS_FULLY_CONNECTED;
	case ENG_K_MAX_POOL_2D: return OPTS_POOL2D;
	case ENG_K_RESHAPE: return OPTS_RESHAPE;
	case ENG_K_SOFTMAX: return OPTS_SOFTMAX;
	default: return OPTS_NONE;
	}
}

int eng_kernel_types_ok(uint8_t kernel, int32_t in_type, int32_t out_type)
{
	if (kernel == ENG_K_RESHAPE)
		return in_type == out_type;   /* a byte copy: any fixed-size type */
	return in_type == out_type && (in_type == ENG_INT8 || in_type == ENG_FLOAT32);
}

eng_status_t eng_kernel_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	switch (op->kernel) {
	case ENG_K_ADD: return eng_add_setup(c, op, data);
	case ENG_K_AVERAGE_POOL_2D: return eng_average_pool_2d_setup(c, op, data);
	case ENG_K_CONV_2D: return eng_conv_2d_setup(c, op, data);
	case ENG_K_DEPTHWISE_CONV_2D: return eng_depthwise_conv_2d_setup(c, op, data);
	case ENG_K_FULLY_CONNECTED: return eng_fully_connected_setup(c, op, data);
	case ENG_K_MAX_POOL_2D: return eng_max_pool_2d_setup(c, op, data);
	case ENG_K_RESHAPE: return eng_reshape_setup(c, op, data);
	case ENG_K_SOFTMAX: return eng_softmax_setup(c, op, data);
	default: return eng_op_fail(c, ENG_ERR_INTERNAL, "no kernel %u", (unsigned)op->kernel);
	}
}

eng_status_t eng_kernel_eval(uint8_t kernel, const eng_run_t *r, const void *data)
{
	switch (kernel) {
	case ENG_K_ADD: return eng_add_eval(r, data);
	case ENG_K_AVERAGE_POOL_2D: return eng_average_pool_2d_eval(r, data);
	case ENG_K_CONV_2D: return eng_conv_2d_eval(r, data);
	case ENG_K_DEPTHWISE_CONV_2D: return eng_depthwise_conv_2d_eval(r, data);
	case ENG_K_FULLY_CONNECTED: return eng_fully_connected_eval(r, data);
	case ENG_K_MAX_POOL_2D: return eng_max_pool_2d_eval(r, data);
	case ENG_K_RESHAPE: return eng_reshape_eval(r, data);
	case ENG_K_SOFTMAX: return eng_softmax_eval(r, data);
	default: return ENG_ERR_INTERNAL;
	}
}
