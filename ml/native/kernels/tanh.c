/*
 * tanh.c - TANH, int8 and float32. The spec is silent on TANH: this follows the TFLM
 * reference kernel's source (reference_integer_ops::Tanh).
 *
 * int8: the input stage is LOGISTIC's (spec 3.9: Q4.27 multiplier from frexp, radius);
 * output zero point 0 (enforced; the reference assumes it), scale 1/128 by convention.
 * d = x - in_zp; d <= -radius -> -128, d >= radius -> 127, else
 * y = clamp(RDbyPOT(gemmlowp tanh(MBQM(d) as Q4.27), 24)). float32: tanhf.
 */
#include <math.h>
#include "unary_common.h"
#include "fixedpoint.h"

eng_status_t eng_tanh_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	unary_data_t d;
	eng_tdesc_t in, out;

	ENG_CHECK(eng_unary_operands(c, op, &d, &in, &out));
	if (in.type == ENG_INT8) {
		ENG_CHECK(eng_unary_q4_input(c, &in, &d));
		ENG_CHECK(eng_check_act_q8(c, &out, "output"));
		ENG_OP_ENSURE(c, out.zp == 0, ENG_ERR_UNSUPPORTED,
			"int8 output zero point must be 0, is %ld", (long)out.zp);
	} else {
		ENG_CHECK(eng_check_type(c, &out, ENG_FLOAT32, "output"));
	}
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

eng_status_t eng_tanh_eval(const eng_run_t *r, const void *data)
{
	const unary_data_t *d = (const unary_data_t *)data;
	uint32_t i;

	if (d->in_type == ENG_INT8) {
		const int8_t *x = (const int8_t *)eng_cdata(r, d->in);
		int8_t *y = (int8_t *)eng_mdata(r, d->out);
		for (i = 0; i < d->elems; i++) {
			int32_t v = (int32_t)x[i] - d->in_zp;
			if (v <= -d->radius)
				y[i] = -128;
			else if (v >= d->radius)
				y[i] = 127;
			else {
				v = eng_rdbypot(eng_tanh_q4(eng_mbqm(v, d->mult, d->shift)), 24);
				y[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
			}
		}
	} else {
		const float *x = (const float *)eng_cdata(r, d->in);
		float *y = (float *)eng_mdata(r, d->out);
		for (i = 0; i < d->elems; i++)
			y[i] = tanhf(x[i]);
	}
	return ENG_OK;
}
