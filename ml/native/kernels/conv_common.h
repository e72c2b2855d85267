/*
 * conv_common.h - init/prepare shared by CONV_2D and DEPTHWISE_CONV_2D (spec 3.2, 3.3,
 * geometry spec 2.7): options, operands, window and output size, type and quantization
 * checks, per-channel multipliers and activation range. Each op keeps, in its own file,
 * the reading of its filter layout (output channels, groups or depth multiplier) and eval.
 *
 * Prepare is: eng_conv_operands, the op's channel checks (they set out_c), then
 * eng_conv_finish. The op data of each kernel starts with a conv_params_t.
 */
#ifndef ENG_CONV_COMMON_H
#define ENG_CONV_COMMON_H

#include "kernel_util.h"

typedef struct {
	uint16_t in, filter, bias, out;
	uint8_t type;
	int8_t padding, act, pad_;
	int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c, k_h, k_w;
	int32_t stride_h, stride_w, dil_h, dil_w, pad_h, pad_w;
	int32_t in_offset, out_offset, act_min, act_max;
	uint32_t pc_off;   /* tail offset of the per-channel mult[out_c], shift[out_c] */
	float f_min, f_max;
} conv_params_t;

/* The op's tensor descriptors while it prepares (on the caller's stack; nothing kept). */
typedef struct {
	eng_tdesc_t in, filter, bias, out;
} conv_tensors_t;

/* Options. Conv2DOptions and DepthwiseConv2DOptions agree on padding and strides (slots
   0-2); the activation and dilation slots are the op's. */
eng_status_t eng_conv_init(eng_ctx_t *c, const eng_opdesc_t *op, unsigned act_slot,
	unsigned dil_w_slot, unsigned dil_h_slot, conv_params_t *p);

/* Operands 0 input, 1 filter, 2 bias (optional) and the output; input, filter and output
   of rank 4. Sets batches, in_h, in_w, in_c and k_h, k_w (filter dims 1 and 2 in both
   layouts). */
eng_status_t eng_conv_operands(eng_ctx_t *c, const eng_opdesc_t *op, conv_params_t *p,
	conv_tensors_t *t);

/* With out_c set and checked by the op: output height and width from the window, the
   types (int8 weights quantized per channel along qdim), input/output offsets, the
   per-channel multipliers double(in_s) * double(w_s[oc]) / double(out_s) and the fused
   activation range. */
eng_status_t eng_conv_finish(eng_ctx_t *c, const conv_tensors_t *t, int32_t qdim,
	conv_params_t *p);

#endif
