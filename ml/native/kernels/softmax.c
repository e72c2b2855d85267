/*
 * softmax.c - SOFTMAX over the last dimension, int8 -> int8 and float32 (spec 3.7).
 *
 * int8 output convention (enforced): zero point -128, scale exactly 1/256.
 * Prepare: real = min(beta * in_s * 2^26, 2^31 - 1) (5 integer bits for the scaled
 * difference), (mult, left_shift) = QuantizeMultiplierGreaterThanOne(real),
 * diff_min = -floor(31 * 2^26 / 2^left_shift).
 * Eval: gemmlowp fixed point, no float shortcut (spec 3.7.1, 3.7.2).
 */
#include <float.h>
#include <math.h>
#include "kernel_util.h"
#include "fixedpoint.h"

#define SCALED_DIFF_INT_BITS 5     /* Q5.26 scaled differences */
#define ACCUM_INT_BITS 12          /* Q12.19 sum of exponentials */
#define OUTPUT_SCALE (1.0f / 256)  /* enforced int8 output scale */

typedef struct {
	uint16_t in, out;
	uint8_t type, pad_;
	int32_t rows, depth;
	int32_t mult, left_shift, diff_min;
	float beta;
} softmax_data_t;

static eng_status_t init(eng_ctx_t *c, const eng_opdesc_t *op, softmax_data_t *d)
{
	return eng_opt_f32(c, op, SOFTMAX_BETA, 0.0f, &d->beta);
}

static eng_status_t prepare(eng_ctx_t *c, const eng_opdesc_t *op, softmax_data_t *d)
{
	eng_tdesc_t in, out;
	double real, radius;
	int shift;

	ENG_CHECK(eng_operand(c, op, 0, 0, 0, &in, &d->in));
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, &out, &d->out));
	ENG_OP_ENSURE(c, in.rank >= 1 && in.elems == out.elems && eng_dim(&in, -1) > 0,
		ENG_ERR_MODEL, "input (%lu elements, rank %u) and output (%lu elements) do not match",
		(unsigned long)in.elems, (unsigned)in.rank, (unsigned long)out.elems);
	d->depth = eng_dim(&in, -1);
	d->rows = (int32_t)(in.elems / (uint32_t)d->depth);
	d->type = in.type;
	if (in.type == ENG_FLOAT32)
		return eng_check_type(c, &out, ENG_FLOAT32, "output");
	ENG_CHECK(eng_check_act_q8(c, &in, "input"));
	ENG_CHECK(eng_check_type(c, &out, ENG_INT8, "output"));
	ENG_OP_ENSURE(c, out.zp == -128 && out.scale == OUTPUT_SCALE && out.n_scales == 1,
		ENG_ERR_UNSUPPORTED, "int8 output must have zero point -128 and scale 1/256, has %ld and %g",
		(long)out.zp, (double)out.scale);
	real = (double)d->beta * (double)in.scale * (double)(1L << (31 - SCALED_DIFF_INT_BITS));
	if (real > 2147483647.0)
		real = 2147483647.0;
	ENG_OP_ENSURE(c, real > 1.0, ENG_ERR_UNSUPPORTED,
		"beta * input scale * 2^26 = %g, must exceed 1", real);
	ENG_CHECK(eng_multiplier(c, real, &d->mult, &shift, "input"));
	ENG_OP_ENSURE(c, shift >= 0, ENG_ERR_INTERNAL, "left shift %d", shift);
	d->left_shift = shift;
	radius = 1.0 * ((1 << SCALED_DIFF_INT_BITS) - 1) *
		(double)(1L << (31 - SCALED_DIFF_INT_BITS)) / (double)((int64_t)1 << shift);
	d->diff_min = -(int32_t)floor(radius);
	return ENG_OK;
}

eng_status_t eng_softmax_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	softmax_data_t d;

	memset(&d, 0, sizeof d);
	ENG_CHECK(init(c, op, &d));
	ENG_CHECK(prepare(c, op, &d));
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

#define add_wrap eng_add_wrap

static int clz32(uint32_t v)
{
	int n = 0;
	if (v == 0)
		return 32;
	while (!(v & 0x80000000u)) {
		v <<= 1;
		n++;
	}
	return n;
}

/* RoundingDivideByPOT for exponents that may exceed 31 (very long rows): exact in 64 bits. */
static int32_t rdbypot_wide(int32_t x, int e)
{
	int64_t mask, rem, thr;
	if (e <= 31)
		return eng_rdbypot(x, e);
	if (e > 62)
		e = 62;
	mask = ((int64_t)1 << e) - 1;
	rem = (int64_t)x & mask;
	thr = (mask >> 1) + (x < 0 ? 1 : 0);
	return (int32_t)(((int64_t)x >> e) + (rem > thr ? 1 : 0));
}

static void eval_int8(const eng_run_t *r, const softmax_data_t *d)
{
	const int8_t *x = (const int8_t *)eng_cdata(r, d->in);
	int8_t *y = (int8_t *)eng_mdata(r, d->out);
	int32_t row, i, max, sum, diff, e, headroom, over, recip, v;

	for (row = 0; row < d->rows; row++) {
		const int8_t *xr = x + (size_t)row * d->depth;
		int8_t *yr = y + (size_t)row * d->depth;
		max = -128;
		for (i = 0; i < d->depth; i++)
			max = xr[i] > max ? xr[i] : max;
		sum = 0;
		for (i = 0; i < d->depth; i++) {
			diff = xr[i] - max;
			if (diff >= d->diff_min) {
				e = eng_exp_on_negative_values(eng_srdhm((int32_t)((uint32_t)diff << d->left_shift),
					d->mult), SCALED_DIFF_INT_BITS);
				sum = add_wrap(sum, eng_rdbypot(e, ACCUM_INT_BITS));   /* Q0.31 -> Q12.19 */
			}
		}
		headroom = clz32((uint32_t)sum);
		over = ACCUM_INT_BITS - headroom;
		recip = eng_one_over_one_plus_x((int32_t)(((uint32_t)sum << (headroom & 31)) - 0x80000000u));
		for (i = 0; i < d->depth; i++) {
			diff = xr[i] - max;
			if (diff >= d->diff_min) {
				e = eng_exp_on_negative_values(eng_srdhm((int32_t)((uint32_t)diff << d->left_shift),
					d->mult), SCALED_DIFF_INT_BITS);
				v = rdbypot_wide(eng_srdhm(recip, e), over + 31 - 8) - 128;
				yr[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
			} else {
				yr[i] = -128;
			}
		}
	}
}

static void eval_float(const eng_run_t *r, const softmax_data_t *d)
{
	const float *x = (const float *)eng_cdata(r, d->in);
	float *y = (float *)eng_mdata(r, d->out);
	int32_t row, i;

	for (row = 0; row < d->rows; row++) {
		const float *xr = x + (size_t)row * d->depth;
		float *yr = y + (size_t)row * d->depth;
		float max = -FLT_MAX, sum = 0.0f;
		for (i = 0; i < d->depth; i++)
			max = xr[i] > max ? xr[i] : max;
		for (i = 0; i < d->depth; i++) {
			yr[i] = expf((xr[i] - max) * d->beta);
			sum += yr[i];
		}
		for (i = 0; i < d->depth; i++)
			yr[i] = yr[i] / sum;
	}
}

eng_status_t eng_softmax_eval(const eng_run_t *r, const void *data)
{
	const softmax_data_t *d = (const softmax_data_t *)data;

	if (d->type == ENG_INT8)
		eval_int8(r, d);
	else
		eval_float(r, d);
	return ENG_OK;
}
