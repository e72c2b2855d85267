/*
 * kernel_util.h - helpers shared by the kernels' init/prepare steps: operand lookup,
 * option reading, quantization checks, window geometry (spec 2.7) and per-channel
 * multipliers (spec 3.2). None of this runs in eval, except the inline eval-side views
 * and the int8 output step at the end of this file (pure arithmetic, no checks).
 */
#ifndef ENG_KERNEL_UTIL_H
#define ENG_KERNEL_UTIL_H

#include "kernels.h"
#include "../quant.h"
#include "../schema.h"

/* Operand k of op (input or output). A -1 index gives *index = ENG_NO_TENSOR when
   `optional`, else an error. */
eng_status_t eng_operand(eng_ctx_t *c, const eng_opdesc_t *op, int output, uint32_t k,
	int optional, eng_tdesc_t *d, uint16_t *index);

/* Builtin options with defaults when the options table is absent. */
eng_status_t eng_opt_i32(eng_ctx_t *c, const eng_opdesc_t *op, unsigned slot, int32_t dflt,
	int32_t *out);
eng_status_t eng_opt_i8(eng_ctx_t *c, const eng_opdesc_t *op, unsigned slot, int8_t dflt,
	int8_t *out);
eng_status_t eng_opt_f32(eng_ctx_t *c, const eng_opdesc_t *op, unsigned slot, float dflt,
	float *out);

/* Per-tensor int8 activation: one finite scale > 0, zero point in [-128, 127]. */
eng_status_t eng_check_act_q8(eng_ctx_t *c, const eng_tdesc_t *d, const char *what);
/* int8 symmetric weights: scales count 1 or `channels` (then quantized_dimension must be
   qdim), every zero point 0, every scale finite and > 0. */
eng_status_t eng_check_filter_q8(eng_ctx_t *c, const eng_tdesc_t *d, uint32_t channels,
	int32_t qdim);
/* Bias: absent, or `type` with exactly `channels` elements. */
eng_status_t eng_check_bias(eng_ctx_t *c, const eng_tdesc_t *d, uint16_t index, int32_t type,
	uint32_t channels);
/* Types of a weighted op (FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D), by the input's type:
   float32 filter, output and bias; else int8 input and output (eng_check_act_q8), int8
   symmetric filter (eng_check_filter_q8 with channels, qdim) and int32 bias. */
eng_status_t eng_check_weighted(eng_ctx_t *c, const eng_tdesc_t *in, const eng_tdesc_t *filter,
	const eng_tdesc_t *bias, uint16_t bias_index, const eng_tdesc_t *out, uint32_t channels,
	int32_t qdim);
eng_status_t eng_check_type(eng_ctx_t *c, const eng_tdesc_t *d, int32_t type, const char *what);
eng_status_t eng_check_rank(eng_ctx_t *c, const eng_tdesc_t *d, uint32_t rank, const char *what);

/* Fused activation ranges; refuses unsupported activations by name. */
eng_status_t eng_act_q8(eng_ctx_t *c, int act, const eng_tdesc_t *out, int32_t *min,
	int32_t *max);
eng_status_t eng_act_f32(eng_ctx_t *c, int act, float *min, float *max);

/* One spatial dimension of a window op (spec 2.7). */
eng_status_t eng_window(eng_ctx_t *c, int padding, int32_t in, int32_t k, int32_t stride,
	int32_t dilation, int32_t *out, int32_t *pad, const char *what);

/* Per-channel (mult, shift) for double(in_s) * double(w_s[c]) / double(out_s) (spec 3.2),
   stored in the tail as int32 mult[channels] followed by int8 shift[channels]. */
eng_status_t eng_per_channel(eng_ctx_t *c, float in_scale, const eng_tdesc_t *filter,
	float out_scale, uint32_t channels, uint32_t *off);
/* One multiplier, refused if its shift is outside [-31, 30] (MBQM shifts must be valid). */
eng_status_t eng_multiplier(eng_ctx_t *c, double real, int32_t *mult, int *shift,
	const char *what);

/* Shape helpers. */
static inline int32_t eng_dim(const eng_tdesc_t *d, int i)
{
	return i < 0 ? d->dims[d->rank + i] : d->dims[i];
}

/* Eval-side view of the per-channel arrays. */
static inline const int32_t *eng_pc_mult(const eng_run_t *r, uint32_t off)
{
	return (const int32_t *)(const void *)(r->arena + off);
}
static inline const int8_t *eng_pc_shift(const eng_run_t *r, uint32_t off, uint32_t channels)
{
	return (const int8_t *)(r->arena + off + 4u * channels);
}

/* int8 output of a wrapped int32 accumulator (bias included): MBQM, + output zero point,
   clamped to the activation range (spec 3.1-3.3). */
static inline int8_t eng_out_q8(uint32_t sum, int32_t mult, int shift, int32_t out_offset,
	int32_t act_min, int32_t act_max)
{
	int32_t acc = eng_mbqm((int32_t)sum, mult, shift);

	acc = (int32_t)((uint32_t)acc + (uint32_t)out_offset);
	return (int8_t)(acc < act_min ? act_min : acc > act_max ? act_max : acc);
}

#endif
