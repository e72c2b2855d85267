/*
 * relu.c - RELU and RELU6, int8 and float32 (TFLM activations; the spec gives only the
 * clamp ranges, 2.6: RELU [Q(0), +inf), RELU6 [Q(0), Q(6)]; the rest is from source).
 *
 * RELU int8 rescales: (mult, shift) = QuantizeMultiplier(in_s / out_s);
 *   y = clamp(out_zp + MBQM(x - in_zp, mult, shift), max(-128, out_zp), 127).
 * RELU6 int8 does not rescale (input and output quantization must match, enforced):
 *   y = clamp(x, in_zp, min(127, in_zp + round(6 / in_s))), the division in float32.
 * float32: max(0, x), min(max(0, x), 6).
 */
#include <math.h>
#include "unary_common.h"

static eng_status_t setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data, int six)
{
	unary_data_t d;
	eng_tdesc_t in, out;
	int shift;

	ENG_CHECK(eng_unary_operands(c, op, &d, &in, &out));
	d.f_min = 0.0f;
	d.f_max = six ? 6.0f : INFINITY;
	if (in.type == ENG_FLOAT32) {
		ENG_CHECK(eng_check_type(c, &out, ENG_FLOAT32, "output"));
	} else {
		ENG_CHECK(eng_check_act_q8(c, &in, "input"));
		ENG_CHECK(eng_check_act_q8(c, &out, "output"));
		d.in_zp = in.zp;
		d.out_zp = out.zp;
		if (six) {
			int32_t top;
			ENG_OP_ENSURE(c, in.scale == out.scale && in.zp == out.zp, ENG_ERR_UNSUPPORTED,
				"input (scale %g, zero point %ld) and output (%g, %ld) quantization differ",
				(double)in.scale, (long)in.zp, (double)out.scale, (long)out.zp);
			top = (int32_t)fminf(roundf(6.0f / in.scale), 1000.0f) + in.zp;
			d.act_min = in.zp;
			d.act_max = top > 127 ? 127 : top;
		} else {
			ENG_CHECK(eng_multiplier(c, (double)in.scale / (double)out.scale, &d.mult,
				&shift, "input"));
			d.shift = shift;
			d.act_min = out.zp;
			d.act_max = 127;
		}
	}
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

eng_status_t eng_relu_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	return setup(c, op, data, 0);
}

eng_status_t eng_relu6_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	return setup(c, op, data, 1);
}

static void eval_float(const eng_run_t *r, const unary_data_t *d)
{
	const float *x = (const float *)eng_cdata(r, d->in);
	float *y = (float *)eng_mdata(r, d->out);
	uint32_t i;

	for (i = 0; i < d->elems; i++) {
		float v = x[i] < d->f_min ? d->f_min : x[i];
		y[i] = v > d->f_max ? d->f_max : v;
	}
}

eng_status_t eng_relu_eval(const eng_run_t *r, const void *data)
{
	const unary_data_t *d = (const unary_data_t *)data;
	const int8_t *x;
	int8_t *y;
	uint32_t i;

	if (d->in_type == ENG_FLOAT32) {
		eval_float(r, d);
		return ENG_OK;
	}
	x = (const int8_t *)eng_cdata(r, d->in);
	y = (int8_t *)eng_mdata(r, d->out);
	for (i = 0; i < d->elems; i++) {
		int32_t v = (int32_t)((uint32_t)d->out_zp +
			(uint32_t)eng_mbqm((int32_t)x[i] - d->in_zp, d->mult, d->shift));
		y[i] = (int8_t)(v < d->act_min ? d->act_min : v > d->act_max ? d->act_max : v);
	}
	return ENG_OK;
}

eng_status_t eng_relu6_eval(const eng_run_t *r, const void *data)
{
	const unary_data_t *d = (const unary_data_t *)data;
	const int8_t *x;
	int8_t *y;
	uint32_t i;

	if (d->in_type == ENG_FLOAT32) {
		eval_float(r, d);
		return ENG_OK;
	}
	x = (const int8_t *)eng_cdata(r, d->in);
	y = (int8_t *)eng_mdata(r, d->out);
	for (i = 0; i < d->elems; i++) {
		int32_t v = x[i];
		y[i] = (int8_t)(v < d->act_min ? d->act_min : v > d->act_max ? d->act_max : v);
	}
	return ENG_OK;
}
