/*
 * unary_common.h - op data and prepare helpers shared by the element-wise one-input ops:
 * QUANTIZE, DEQUANTIZE, LOGISTIC, TANH, RELU, RELU6 (one file per op, this shared part).
 */
#ifndef ENG_UNARY_COMMON_H
#define ENG_UNARY_COMMON_H

#include "kernel_util.h"

typedef struct {
	uint16_t in, out;
	uint8_t in_type, out_type, pad_[2];
	uint32_t elems;
	int32_t in_zp, out_zp;
	int32_t mult, shift;          /* requantization or Q4.27 input multiplier */
	int32_t radius;               /* LOGISTIC / TANH saturation radius */
	int32_t act_min, act_max;     /* int8 clamp */
	float scale;                  /* QUANTIZE / DEQUANTIZE scale */
	float f_min, f_max;           /* float clamp */
} unary_data_t;

/* Input 0 and output 0, same element count; fills in, out, types and elems. */
eng_status_t eng_unary_operands(eng_ctx_t *c, const eng_opdesc_t *op, unary_data_t *d,
	eng_tdesc_t *in, eng_tdesc_t *out);
/* LOGISTIC / TANH int8 input stage (spec 3.9): real = in_s * 2^27, (mult, shift) from
   frexp with mult = round(q * 2^31), radius = floor(15 * 2^27 / 2^shift). */
eng_status_t eng_unary_q4_input(eng_ctx_t *c, const eng_tdesc_t *in, unary_data_t *d);

#endif
