/*
 * quantize.c - QUANTIZE float32 -> int8 and int8 -> int8 (spec 3.10, from source).
 *
 * float32 -> int8: q = clamp(round_half_away(x / scale) + zp), the division in float32.
 * int8 -> int8: (mult, shift) = QuantizeMultiplier(in_s / out_s);
 * y = clamp(MBQM(x - in_zp, mult, shift) + out_zp).
 */
#include <math.h>
#include "unary_common.h"

eng_status_t eng_quantize_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	unary_data_t d;
	eng_tdesc_t in, out;
	int shift;

	ENG_CHECK(eng_unary_operands(c, op, &d, &in, &out));
	ENG_CHECK(eng_check_act_q8(c, &out, "output"));
	d.out_zp = out.zp;
	d.scale = out.scale;
	if (in.type == ENG_INT8) {
		ENG_CHECK(eng_check_act_q8(c, &in, "input"));
		d.in_zp = in.zp;
		ENG_CHECK(eng_multiplier(c, (double)in.scale / (double)out.scale, &d.mult, &shift,
			"requantize"));
		d.shift = shift;
	} else {
		ENG_CHECK(eng_check_type(c, &in, ENG_FLOAT32, "input"));
	}
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

/* float32 x / scale rounded half away from zero, + zp, clamped to int8 (NaN -> zp) */
static int8_t quantize_f32(float x, float scale, int32_t zp)
{
	float q = x / scale;
	int32_t v;

	if (!(q == q))
		q = 0.0f;
	q = q < -1e6f ? -1e6f : q > 1e6f ? 1e6f : q;   /* far outside int8 either way */
	v = (int32_t)roundf(q) + zp;
	return (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
}

eng_status_t eng_quantize_eval(const eng_run_t *r, const void *data)
{
	const unary_data_t *d = (const unary_data_t *)data;
	int8_t *y = (int8_t *)eng_mdata(r, d->out);
	uint32_t i;

	if (d->in_type == ENG_INT8) {
		const int8_t *x = (const int8_t *)eng_cdata(r, d->in);
		for (i = 0; i < d->elems; i++) {
			int32_t v = (int32_t)((uint32_t)eng_mbqm((int32_t)x[i] - d->in_zp, d->mult,
				d->shift) + (uint32_t)d->out_zp);
			y[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
		}
	} else {
		const float *x = (const float *)eng_cdata(r, d->in);
		for (i = 0; i < d->elems; i++)
			y[i] = quantize_f32(x[i], d->scale, d->out_zp);
	}
	return ENG_OK;
}
