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
	case OP_CONCATENATION: return ENG_K_CONCATENATION;
	case OP_DEQUANTIZE: return ENG_K_DEQUANTIZE;
	case OP_LOGISTIC: return ENG_K_LOGISTIC;
	case OP_MEAN: return ENG_K_MEAN;
	case OP_MUL: return ENG_K_MUL;
	case OP_PAD: return ENG_K_PAD;
	case OP_QUANTIZE: return ENG_K_QUANTIZE;
	case OP_RELU: return ENG_K_RELU;
	case OP_RELU6: return ENG_K_RELU6;
	case OP_TANH: return ENG_K_TANH;
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
	case ENG_K_CONCATENATION: return OPTS_CONCATENATION;
	case ENG_K_DEQUANTIZE: return OPTS_DEQUANTIZE;
	case ENG_K_MEAN: return OPTS_REDUCER;
	case ENG_K_MUL: return OPTS_MUL;
	case ENG_K_PAD: return OPTS_PAD;
	case ENG_K_QUANTIZE: return OPTS_QUANTIZE;
	default: return OPTS_NONE;
	}
}

int eng_kernel_types_ok(uint8_t kernel, int32_t in_type, int32_t out_type)
{
	if (kernel == ENG_K_RESHAPE)
		return in_type == out_type;   /* a byte copy: any fixed-size type */
	if (kernel == ENG_K_QUANTIZE)
		return out_type == ENG_INT8 && (in_type == ENG_INT8 || in_type == ENG_FLOAT32);
	if (kernel == ENG_K_DEQUANTIZE)
		return in_type == ENG_INT8 && out_type == ENG_FLOAT32;
	return in_type == out_type && (in_type == ENG_INT8 || in_type == ENG_FLOAT32);
}

int eng_kernel_fixture_verified(uint8_t kernel)
{
	return kernel >= ENG_K_ADD && kernel <= ENG_K_SOFTMAX;
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
	case ENG_K_CONCATENATION: return eng_concatenation_setup(c, op, data);
	case ENG_K_DEQUANTIZE: return eng_dequantize_setup(c, op, data);
	case ENG_K_LOGISTIC: return eng_logistic_setup(c, op, data);
	case ENG_K_MEAN: return eng_mean_setup(c, op, data);
	case ENG_K_MUL: return eng_mul_setup(c, op, data);
	case ENG_K_PAD: return eng_pad_setup(c, op, data);
	case ENG_K_QUANTIZE: return eng_quantize_setup(c, op, data);
	case ENG_K_RELU: return eng_relu_setup(c, op, data);
	case ENG_K_RELU6: return eng_relu6_setup(c, op, data);
	case ENG_K_TANH: return eng_tanh_setup(c, op, data);
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
	case ENG_K_CONCATENATION: return eng_concatenation_eval(r, data);
	case ENG_K_DEQUANTIZE: return eng_dequantize_eval(r, data);
	case ENG_K_LOGISTIC: return eng_logistic_eval(r, data);
	case ENG_K_MEAN: return eng_mean_eval(r, data);
	case ENG_K_MUL: return eng_mul_eval(r, data);
	case ENG_K_PAD: return eng_pad_eval(r, data);
	case ENG_K_QUANTIZE: return eng_quantize_eval(r, data);
	case ENG_K_RELU: return eng_relu_eval(r, data);
	case ENG_K_RELU6: return eng_relu6_eval(r, data);
	case ENG_K_TANH: return eng_tanh_eval(r, data);
	default: return ENG_ERR_INTERNAL;
	}
}
