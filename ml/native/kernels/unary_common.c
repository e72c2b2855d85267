/*
 * unary_common.c - see unary_common.h.
 */
#include <math.h>
#include "unary_common.h"

#define Q4_INPUT_INT_BITS 4

eng_status_t eng_unary_operands(eng_ctx_t *c, const eng_opdesc_t *op, unary_data_t *d,
	eng_tdesc_t *in, eng_tdesc_t *out)
{
	memset(d, 0, sizeof *d);
	ENG_CHECK(eng_operand(c, op, 0, 0, 0, in, &d->in));
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, out, &d->out));
	ENG_OP_ENSURE(c, in->elems == out->elems, ENG_ERR_MODEL,
		"input has %lu elements, output %lu", (unsigned long)in->elems,
		(unsigned long)out->elems);
	d->in_type = in->type;
	d->out_type = out->type;
	d->elems = in->elems;
	return ENG_OK;
}

eng_status_t eng_unary_q4_input(eng_ctx_t *c, const eng_tdesc_t *in, unary_data_t *d)
{
	double real, q, radius;
	int64_t m;
	int shift;

	ENG_CHECK(eng_check_act_q8(c, in, "input"));
	real = (double)in->scale * (double)(1L << (31 - Q4_INPUT_INT_BITS));
	q = frexp(real, &shift);
	m = (int64_t)floor(q * 2147483648.0 + 0.5);   /* TfLiteRound: half away (q > 0) */
	if (m == ((int64_t)1 << 31)) {   /* q rounded up to 1.0: TFLM would overflow int32 */
		m /= 2;
		shift++;
	}
	ENG_OP_ENSURE(c, shift >= -31 && shift <= 30, ENG_ERR_UNSUPPORTED,
		"input scale %g needs shift %d (outside [-31, 30])", (double)in->scale, shift);
	d->mult = (int32_t)m;
	d->shift = shift;
	radius = 1.0 * ((1 << Q4_INPUT_INT_BITS) - 1) *
		(double)(1L << (31 - Q4_INPUT_INT_BITS)) / ldexp(1.0, shift);
	d->radius = radius > 2147483647.0 ? INT32_MAX : (int32_t)floor(radius);
	d->in_zp = in->zp;
	return ENG_OK;
}
