/*
 * kernel_util.c - prepare-time helpers shared by the kernels (see kernel_util.h).
 */
#include <math.h>
#include "kernel_util.h"

#define WINDOW_MAX 0x3fffffff   /* keeps every index computation inside int32 */

eng_status_t eng_operand(eng_ctx_t *c, const eng_opdesc_t *op, int output, uint32_t k,
	int optional, eng_tdesc_t *d, uint16_t *index)
{
	int32_t t = eng_op_io(&c->fb, output ? &op->outputs : &op->inputs, k);

	memset(d, 0, sizeof *d);
	if (t < 0) {
		ENG_OP_ENSURE(c, optional, ENG_ERR_MODEL, "%s %lu is missing",
			output ? "output" : "input", (unsigned long)k);
		*index = ENG_NO_TENSOR;
		return ENG_OK;
	}
	*index = (uint16_t)t;
	return eng_model_tensor(&c->fb, (uint32_t)t, d);
}

eng_status_t eng_opt_i32(eng_ctx_t *c, const eng_opdesc_t *op, unsigned slot, int32_t dflt,
	int32_t *out)
{
	if (!op->has_options) {
		*out = dflt;
		return ENG_OK;
	}
	return fb_i32(&c->fb, &op->options, slot, dflt, "builtin option", out);
}

eng_status_t eng_opt_i8(eng_ctx_t *c, const eng_opdesc_t *op, unsigned slot, int8_t dflt,
	int8_t *out)
{
	if (!op->has_options) {
		*out = dflt;
		return ENG_OK;
	}
	return fb_i8(&c->fb, &op->options, slot, dflt, "builtin option", out);
}

eng_status_t eng_opt_f32(eng_ctx_t *c, const eng_opdesc_t *op, unsigned slot, float dflt,
	float *out)
{
	if (!op->has_options) {
		*out = dflt;
		return ENG_OK;
	}
	return fb_f32(&c->fb, &op->options, slot, dflt, "builtin option", out);
}

static int good_scale(float s)
{
	return s > 0.0f && s <= 3.0e38f;   /* finite and positive (also rejects NaN) */
}

eng_status_t eng_check_type(eng_ctx_t *c, const eng_tdesc_t *d, int32_t type, const char *what)
{
	ENG_OP_ENSURE(c, d->type == type, ENG_ERR_UNSUPPORTED, "%s tensor %lu is %s, expected %s",
		what, (unsigned long)d->index, eng_type_name(d->type), eng_type_name(type));
	return ENG_OK;
}

eng_status_t eng_check_rank(eng_ctx_t *c, const eng_tdesc_t *d, uint32_t rank, const char *what)
{
	ENG_OP_ENSURE(c, d->rank == rank, ENG_ERR_MODEL, "%s tensor %lu has rank %u, expected %lu",
		what, (unsigned long)d->index, (unsigned)d->rank, (unsigned long)rank);
	return ENG_OK;
}

eng_status_t eng_check_act_q8(eng_ctx_t *c, const eng_tdesc_t *d, const char *what)
{
	ENG_CHECK(eng_check_type(c, d, ENG_INT8, what));
	ENG_OP_ENSURE(c, d->n_scales == 1, ENG_ERR_UNSUPPORTED,
		"%s tensor %lu has %lu scales (per-tensor quantization required)", what,
		(unsigned long)d->index, (unsigned long)d->n_scales);
	ENG_OP_ENSURE(c, good_scale(d->scale), ENG_ERR_MODEL, "%s tensor %lu has scale %g",
		what, (unsigned long)d->index, (double)d->scale);
	ENG_OP_ENSURE(c, d->zp >= -128 && d->zp <= 127, ENG_ERR_MODEL,
		"%s tensor %lu zero point %ld outside [-128, 127]", what, (unsigned long)d->index,
		(long)d->zp);
	return ENG_OK;
}

eng_status_t eng_check_filter_q8(eng_ctx_t *c, const eng_tdesc_t *d, uint32_t channels,
	int32_t qdim)
{
	uint32_t i;

	ENG_CHECK(eng_check_type(c, d, ENG_INT8, "filter"));
	ENG_OP_ENSURE(c, d->n_scales == 1 || d->n_scales == channels, ENG_ERR_MODEL,
		"filter tensor %lu has %lu scales for %lu channels", (unsigned long)d->index,
		(unsigned long)d->n_scales, (unsigned long)channels);
	ENG_OP_ENSURE(c, d->n_scales == 1 || d->qdim == qdim, ENG_ERR_UNSUPPORTED,
		"filter tensor %lu quantized_dimension %ld, expected %ld", (unsigned long)d->index,
		(long)d->qdim, (long)qdim);
	for (i = 0; i < d->n_scales; i++) {
		ENG_OP_ENSURE(c, good_scale(eng_model_scale(&c->fb, d, i)), ENG_ERR_MODEL,
			"filter tensor %lu channel %lu has scale %g", (unsigned long)d->index,
			(unsigned long)i, (double)eng_model_scale(&c->fb, d, i));
		ENG_OP_ENSURE(c, eng_model_zp(&c->fb, d, i) == 0, ENG_ERR_UNSUPPORTED,
			"filter tensor %lu channel %lu zero point %ld (symmetric weights required)",
			(unsigned long)d->index, (unsigned long)i, (long)eng_model_zp(&c->fb, d, i));
	}
	return ENG_OK;
}

eng_status_t eng_check_bias(eng_ctx_t *c, const eng_tdesc_t *d, uint16_t index, int32_t type,
	uint32_t channels)
{
	if (index == ENG_NO_TENSOR)
		return ENG_OK;
	ENG_CHECK(eng_check_type(c, d, type, "bias"));
	ENG_OP_ENSURE(c, d->data_len != 0, ENG_ERR_UNSUPPORTED, "bias tensor %lu is not constant",
		(unsigned long)d->index);
	ENG_OP_ENSURE(c, d->elems == channels, ENG_ERR_MODEL,
		"bias tensor %lu has %lu elements for %lu channels", (unsigned long)d->index,
		(unsigned long)d->elems, (unsigned long)channels);
	return ENG_OK;
}

eng_status_t eng_check_weighted(eng_ctx_t *c, const eng_tdesc_t *in, const eng_tdesc_t *filter,
	const eng_tdesc_t *bias, uint16_t bias_index, const eng_tdesc_t *out, uint32_t channels,
	int32_t qdim)
{
	if (in->type == ENG_FLOAT32) {
		ENG_CHECK(eng_check_type(c, filter, ENG_FLOAT32, "filter"));
		ENG_CHECK(eng_check_type(c, out, ENG_FLOAT32, "output"));
		return eng_check_bias(c, bias, bias_index, ENG_FLOAT32, channels);
	}
	ENG_CHECK(eng_check_act_q8(c, in, "input"));
	ENG_CHECK(eng_check_act_q8(c, out, "output"));
	ENG_CHECK(eng_check_filter_q8(c, filter, channels, qdim));
	return eng_check_bias(c, bias, bias_index, ENG_INT32, channels);
}

eng_status_t eng_act_q8(eng_ctx_t *c, int act, const eng_tdesc_t *out, int32_t *min,
	int32_t *max)
{
	ENG_OP_ENSURE(c, eng_act_range_q8(act, out->scale, out->zp, min, max), ENG_ERR_UNSUPPORTED,
		"fused activation %s (%d) not supported", eng_act_name(act), act);
	return ENG_OK;
}

eng_status_t eng_act_f32(eng_ctx_t *c, int act, float *min, float *max)
{
	ENG_OP_ENSURE(c, eng_act_range_f32(act, min, max), ENG_ERR_UNSUPPORTED,
		"fused activation %s (%d) not supported", eng_act_name(act), act);
	return ENG_OK;
}

eng_status_t eng_window(eng_ctx_t *c, int padding, int32_t in, int32_t k, int32_t stride,
	int32_t dilation, int32_t *out, int32_t *pad, const char *what)
{
	int64_t eff, o, total;

	ENG_OP_ENSURE(c, padding == PADDING_SAME || padding == PADDING_VALID, ENG_ERR_MODEL,
		"padding %d unknown", padding);
	ENG_OP_ENSURE(c, stride >= 1 && stride <= 0xffff && dilation >= 1 && dilation <= 0xffff,
		ENG_ERR_MODEL, "%s stride %ld / dilation %ld outside [1, 65535]", what, (long)stride,
		(long)dilation);
	eff = (int64_t)(k - 1) * dilation + 1;
	ENG_OP_ENSURE(c, k >= 1 && eff <= WINDOW_MAX && in <= WINDOW_MAX, ENG_ERR_MODEL,
		"%s window %ld (dilated %lld) over input %ld out of range", what, (long)k,
		(long long)eff, (long)in);
	if (padding == PADDING_SAME)
		o = ((int64_t)in + stride - 1) / stride;
	else
		o = ((int64_t)in + stride - eff) / stride;
	ENG_OP_ENSURE(c, o >= 1, ENG_ERR_MODEL,
		"%s output size %lld (input %ld, window %lld, stride %ld)", what, (long long)o,
		(long)in, (long long)eff, (long)stride);
	total = (o - 1) * stride + eff - in;
	if (total < 0)
		total = 0;
	*out = (int32_t)o;
	*pad = (int32_t)(total / 2);   /* the odd pixel goes at the end (spec 2.7) */
	return ENG_OK;
}

eng_status_t eng_multiplier(eng_ctx_t *c, double real, int32_t *mult, int *shift,
	const char *what)
{
	ENG_OP_ENSURE(c, real >= 0.0 && real < 1e9, ENG_ERR_MODEL, "%s multiplier %g invalid",
		what, real);
	eng_quantize_multiplier(real, mult, shift);
	ENG_OP_ENSURE(c, *shift >= -31 && *shift <= 30, ENG_ERR_UNSUPPORTED,
		"%s multiplier %g needs shift %d (outside [-31, 30])", what, real, *shift);
	return ENG_OK;
}

eng_status_t eng_per_channel(eng_ctx_t *c, float in_scale, const eng_tdesc_t *filter,
	float out_scale, uint32_t channels, uint32_t *off)
{
	uint8_t *mem = eng_tail_alloc(c, 5u * channels, off);
	uint32_t ch;
	int32_t mult;
	int shift;

	for (ch = 0; ch < channels; ch++) {
		float ws = eng_model_scale(&c->fb, filter, filter->n_scales > 1 ? ch : 0);
		double real = (double)in_scale * (double)ws / (double)out_scale;
		ENG_CHECK(eng_multiplier(c, real, &mult, &shift, "channel"));
		if (mem) {
			memcpy(mem + 4u * ch, &mult, 4);
			mem[4u * channels + ch] = (uint8_t)(int8_t)shift;
		}
	}
	return ENG_OK;
}
