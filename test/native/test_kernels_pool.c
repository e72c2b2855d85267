/*
 * test_kernels_pool.c - AVERAGE_POOL_2D and MAX_POOL_2D by hand (spec 3.4, 3.5, 2.7).
 */
#include <string.h>
#include "ktest.h"
#include "tap.h"

enum { AVG = 1, MAX = 17, OPTS_POOL = 5, INT8 = 9, F32 = 0, SAME = 0, VALID = 1 };

static void pool_model(mm_model_t *m, int op, int type, int h, int w, int fh, int fw, int stride,
	int pad, int oh, int ow, int32_t zp, int32_t out_zp, int act)
{
	int32_t din[4] = { 1, h, w, 1 }, dout[4] = { 1, oh, ow, 1 }, in, out;
	float s = type == INT8 ? 1.0f : 0.0f;

	mm_init(m);
	in = mm_tensor(m, type, 4, din, s, zp, NULL, 0);
	out = mm_tensor(m, type, 4, dout, s, out_zp, NULL, 0);
	mm_op(m, op, OPTS_POOL, 1, &in, out);
	mm_opt(m, 0, 0, MM_BYTE, pad);
	mm_opt(m, 0, 1, MM_INT, stride);
	mm_opt(m, 0, 2, MM_INT, stride);
	mm_opt(m, 0, 3, MM_INT, fw);
	mm_opt(m, 0, 4, MM_INT, fh);
	mm_opt(m, 0, 5, MM_BYTE, act);
	mm_io(m, 1, &in, 1, &out);
}

int main(void)
{
	mm_model_t m;
	const void *in[2] = { NULL, NULL };
	int8_t x9[9];
	int i;

	for (i = 0; i < 9; i++)
		x9[i] = (int8_t)(i + 1);

	/* 1x2 windows, stride 2: (sum +- n/2) / n truncating = half away from zero:
	   3/2 -> 2, 7/2 -> 4; -3/2 -> -2, -7/2 -> -4 */
	{
		const int8_t xp[4] = { 1, 2, 3, 4 }, xn[4] = { -1, -2, -3, -4 };
		pool_model(&m, AVG, INT8, 1, 4, 1, 2, 2, VALID, 1, 2, 0, 0, 0);
		in[0] = xp;
		kt_expect_q8("avgpool-rounds-half-away-positive", &m, in, (const int8_t[]){ 2, 4 }, 2);
		in[0] = xn;
		kt_expect_q8("avgpool-rounds-half-away-negative", &m, in, (const int8_t[]){ -2, -4 }, 2);
	}

	/* raw values are summed, no zero point subtraction (zp 100 does not change results) */
	{
		const int8_t xp[4] = { 1, 2, 3, 4 };
		pool_model(&m, AVG, INT8, 1, 4, 1, 2, 2, VALID, 1, 2, 100, 100, 0);
		in[0] = xp;
		kt_expect_q8("avgpool-ignores-zero-point", &m, in, (const int8_t[]){ 2, 4 }, 2);
	}

	/* SAME 2x2 stride 1 on 3x3 (1..9): pad after; sums 12,16,9,24,28,15,15,17,9 over
	   counts 4,4,2,4,4,2,2,2,1 -> 3,4,5(4.5),6,7,8(7.5),8(7.5),9(8.5),9 */
	pool_model(&m, AVG, INT8, 3, 3, 2, 2, 1, SAME, 3, 3, 0, 0, 0);
	in[0] = x9;
	kt_expect_q8("avgpool-same-counts-only-in-image", &m, in,
		(const int8_t[]){ 3, 4, 5, 6, 7, 8, 8, 9, 9 }, 9);

	/* whole-image window (like KWS's 25x5 pool): 1..9 -> 45 / 9 = 5 */
	pool_model(&m, AVG, INT8, 3, 3, 3, 3, 3, VALID, 1, 1, 0, 0, 0);
	kt_expect_q8("avgpool-global", &m, in, (const int8_t[]){ 5 }, 1);

	/* extreme values: 127 and -128 averaged: -1/2 -> (-1 - 1)/2 = -1 */
	{
		const int8_t xe[2] = { 127, -128 };
		pool_model(&m, AVG, INT8, 1, 2, 1, 2, 2, VALID, 1, 1, 0, 0, 0);
		in[0] = xe;
		kt_expect_q8("avgpool-extremes", &m, in, (const int8_t[]){ -1 }, 1);
	}

	/* max pool SAME 2x2 on negatives */
	{
		const int8_t xm[9] = { -5, -3, -9, -1, -7, -2, -8, -6, -4 };
		pool_model(&m, MAX, INT8, 3, 3, 2, 2, 1, SAME, 3, 3, -3, -3, 0);
		in[0] = xm;
		kt_expect_q8("maxpool-same-negatives", &m, in,
			(const int8_t[]){ -1, -2, -2, -1, -2, -2, -6, -4, -4 }, 9);
		/* RELU with zp -3, scale 1: Q(0) = -3 floors the results */
		pool_model(&m, MAX, INT8, 3, 3, 2, 2, 1, SAME, 3, 3, -3, -3, 1);
		kt_expect_q8("maxpool-relu-clamps-to-zero-point", &m, in,
			(const int8_t[]){ -1, -2, -2, -1, -2, -2, -3, -3, -3 }, 9);
	}
	/* all -128 stays -128 (the max starts from the lowest value) */
	{
		const int8_t xl[4] = { -128, -128, -128, -128 };
		pool_model(&m, MAX, INT8, 2, 2, 2, 2, 2, VALID, 1, 1, 0, 0, 0);
		in[0] = xl;
		kt_expect_q8("maxpool-all-minimum", &m, in, (const int8_t[]){ -128 }, 1);
	}

	/* float: avg of 1..9 with SAME 2x2 = 3, 4, 4.5, ...; max = 5, 6, 6, 8, 9, 9, 8, 9, 9 */
	{
		float xf[9];
		for (i = 0; i < 9; i++)
			xf[i] = (float)(i + 1);
		in[0] = xf;
		pool_model(&m, AVG, F32, 3, 3, 2, 2, 1, SAME, 3, 3, 0, 0, 0);
		kt_expect_f32("avgpool-float-same", &m, in,
			(const float[]){ 3, 4, 4.5f, 6, 7, 7.5f, 7.5f, 8.5f, 9 }, 9, 0);
		pool_model(&m, MAX, F32, 3, 3, 2, 2, 1, SAME, 3, 3, 0, 0, 3 /* RELU6 */);
		kt_expect_f32("maxpool-float-relu6", &m, in,
			(const float[]){ 5, 6, 6, 6, 6, 6, 6, 6, 6 }, 9, 0);
	}

	/* refusals */
	pool_model(&m, AVG, INT8, 3, 3, 2, 2, 1, SAME, 3, 3, 0, 1, 0);
	kt_expect_refused("avgpool-refuses-requantizing", &m, ENG_ERR_UNSUPPORTED, "quantization differ");
	pool_model(&m, MAX, INT8, 3, 3, 0, 2, 1, SAME, 3, 3, 0, 0, 0);
	kt_expect_refused("maxpool-refuses-zero-filter", &m, ENG_ERR_MODEL, "filter 0x2");
	return tap_done();
}
