/*
 * dequantize.c - DEQUANTIZE int8 -> float32 (spec 3.10, from source):
 * y = float(double(scale) * (q - zp)).
 */
#include "unary_common.h"

eng_status_t eng_dequantize_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	unary_data_t d;
	eng_tdesc_t in, out;

	ENG_CHECK(eng_unary_operands(c, op, &d, &in, &out));
	ENG_CHECK(eng_check_act_q8(c, &in, "input"));
	ENG_CHECK(eng_check_type(c, &out, ENG_FLOAT32, "output"));
	d.in_zp = in.zp;
	d.scale = in.scale;
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

eng_status_t eng_dequantize_eval(const eng_run_t *r, const void *data)
{
	const unary_data_t *d = (const unary_data_t *)data;
	const int8_t *x = (const int8_t *)eng_cdata(r, d->in);
	float *y = (float *)eng_mdata(r, d->out);
	uint32_t i;

	for (i = 0; i < d->elems; i++)
		y[i] = (float)((double)d->scale * (double)((int32_t)x[i] - d->in_zp));
	return ENG_OK;
}
