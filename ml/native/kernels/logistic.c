/*
 * logistic.c - LOGISTIC, int8 (spec 3.9, from source) and float32.
 *
 * int8: output zero point -128 (enforced), scale 1/256 by convention. d = x - in_zp;
 * d <= -radius -> -128, d >= radius -> 127, else y = gemmlowp logistic(MBQM(d) as Q4.27),
 * output clamp(RDbyPOT(y, 23) - 128). float32: 1 / (1 + e^-x).
 */
#include <math.h>
#include "unary_common.h"
#include "fixedpoint.h"

eng_status_t eng_logistic_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	unary_data_t d;
	eng_tdesc_t in, out;

	ENG_CHECK(eng_unary_operands(c, op, &d, &in, &out));
	if (in.type == ENG_INT8) {
		ENG_CHECK(eng_unary_q4_input(c, &in, &d));
		ENG_CHECK(eng_check_act_q8(c, &out, "output"));
		ENG_OP_ENSURE(c, out.zp == -128, ENG_ERR_UNSUPPORTED,
			"int8 output zero point must be -128, is %ld", (long)out.zp);
	} else {
		ENG_CHECK(eng_check_type(c, &out, ENG_FLOAT32, "output"));
	}
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

eng_status_t eng_logistic_eval(const eng_run_t *r, const void *data)
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
				v = eng_rdbypot(eng_logistic_q4(eng_mbqm(v, d->mult, d->shift)), 23) - 128;
				y[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
			}
		}
	} else {
		const float *x = (const float *)eng_cdata(r, d->in);
		float *y = (float *)eng_mdata(r, d->out);
		for (i = 0; i < d->elems; i++)
			y[i] = 1.0f / (1.0f + expf(-x[i]));
	}
	return ENG_OK;
}
