/*
 * test_kernels_misc.c - SOFTMAX (spec 3.7), ADD (spec 3.8), RESHAPE (spec 3.6) by hand,
 * and refusal of unsupported operators by name.
 */
#include <math.h>
#include <string.h>
#include "ktest.h"
#include "tap.h"

enum { ADD = 0, RESHAPE = 22, SOFTMAX = 25, SUB = 41, CUSTOM = 32, OPTS_SOFTMAX = 9,
	OPTS_ADD = 11, OPTS_RESHAPE = 17, INT8 = 9, F32 = 0 };

static void softmax_model(mm_model_t *m, int type, int rows, int depth, float in_scale,
	int32_t in_zp, float out_scale, int32_t out_zp, float beta)
{
	int32_t d[2] = { rows, depth }, in, out;

	mm_init(m);
	in = mm_tensor(m, type, 2, d, in_scale, in_zp, NULL, 0);
	out = mm_tensor(m, type, 2, d, out_scale, out_zp, NULL, 0);
	mm_op(m, SOFTMAX, OPTS_SOFTMAX, 1, &in, out);
	mm_opt(m, 0, 0, MM_FLOAT, beta);
	mm_io(m, 1, &in, 1, &out);
}

static void softmax_cases(void)
{
	mm_model_t m;
	const void *in[2] = { NULL, NULL };

	/* equal inputs over 4: every exp is exactly 1 (INT32_MAX, spec 3.7.1 a = 0), the sum is
	   4 in Q12.19, so each probability is 1/4 = 64/256 -> 64 - 128 = -64 */
	{
		const int8_t x[4] = { 7, 7, 7, 7 };
		softmax_model(&m, INT8, 1, 4, 0.1f, 0, 1.0f / 256, -128, 1.0f);
		in[0] = x;
		kt_expect_q8("softmax-equal-inputs-quarter-each", &m, in, (const int8_t[]){ -64, -64, -64, -64 }, 4);
	}
	/* in_s 1, beta 1: real = 2^26 -> (2^30, left shift 27); diff_min = -floor(31 * 2^26 /
	   2^27) = -15. A difference of -255 is excluded (-128); the max alone has probability
	   1 -> 256 - 128 = 128, clamped to 127 */
	{
		const int8_t x[2] = { 127, -128 };
		softmax_model(&m, INT8, 1, 2, 1.0f, 0, 1.0f / 256, -128, 1.0f);
		in[0] = x;
		kt_expect_q8("softmax-one-hot-clamps-to-127", &m, in, (const int8_t[]){ 127, -128 }, 2);
	}
	/* rows are independent: [equal pair] -> 1/2 each = 0; [far apart] -> 127, -128 */
	{
		const int8_t x[4] = { 3, 3, -128, 127 };
		softmax_model(&m, INT8, 2, 2, 1.0f, 0, 1.0f / 256, -128, 1.0f);
		in[0] = x;
		kt_expect_q8("softmax-rows-independent", &m, in, (const int8_t[]){ 0, 0, -128, 127 }, 4);
	}
	/* float: [0, ln 3] -> [0.25, 0.75]; beta 2 on [0, ln 3 / 2] gives the same */
	{
		const float x[2] = { 0.0f, 1.0986123f }, x2[2] = { 0.0f, 0.54930615f };
		softmax_model(&m, F32, 1, 2, 0, 0, 0, 0, 1.0f);
		in[0] = x;
		kt_expect_f32("softmax-float", &m, in, (const float[]){ 0.25f, 0.75f }, 2, 1e-6);
		softmax_model(&m, F32, 1, 2, 0, 0, 0, 0, 2.0f);
		in[0] = x2;
		kt_expect_f32("softmax-float-beta", &m, in, (const float[]){ 0.25f, 0.75f }, 2, 1e-6);
	}
	softmax_model(&m, INT8, 1, 4, 0.1f, 0, 1.0f / 256, -127, 1.0f);
	kt_expect_refused("softmax-refuses-output-zp-not-minus-128", &m, ENG_ERR_UNSUPPORTED,
		"zero point -128 and scale 1/256");
	softmax_model(&m, INT8, 1, 4, 0.1f, 0, 1.0f / 255, -128, 1.0f);
	kt_expect_refused("softmax-refuses-output-scale-not-1-256", &m, ENG_ERR_UNSUPPORTED,
		"scale 1/256");
}

static void add_model(mm_model_t *m, int type, int r1, const int32_t *d1, int r2,
	const int32_t *d2, int ro, const int32_t *dout, int32_t zp1, int32_t zp2, int32_t zpo, int act)
{
	int32_t io[2], out;
	float s = type == INT8 ? 1.0f : 0.0f;

	mm_init(m);
	io[0] = mm_tensor(m, type, r1, d1, s, zp1, NULL, 0);
	io[1] = mm_tensor(m, type, r2, d2, s, zp2, NULL, 0);
	out = mm_tensor(m, type, ro, dout, 2.0f * s, zpo, NULL, 0);
	mm_op(m, ADD, OPTS_ADD, 2, io, out);
	mm_opt(m, 0, 0, MM_BYTE, act);
	mm_io(m, 2, io, 1, &out);
}

static void add_cases(void)
{
	mm_model_t m;
	const int32_t d4[1] = { 4 }, d1[1] = { 1 }, d22[4] = { 1, 1, 2, 2 }, d2[1] = { 2 };
	const int32_t d4d[4] = { 1, 2, 2, 1 };

	/* s1 = s2 = 1, s_out = 2: m1 = m2 = 0.5 = (2^30, 0); m_out = 2^-20 = (2^30, -19);
	   y = (d1 + d2) / 2 rounded half away from zero, + zp_out (spec 3.8) */
	{
		const int8_t a[4] = { 1, -1, 3, 100 }, b[4] = { 2, -2, 4, 100 };
		const void *in[3] = { a, b, NULL };
		add_model(&m, INT8, 1, d4, 1, d4, 1, d4, 0, 0, 0, 0);
		kt_expect_q8("add-int8-halves-round-away", &m, in, (const int8_t[]){ 2, -2, 4, 100 }, 4);
		add_model(&m, INT8, 1, d4, 1, d4, 1, d4, 0, 0, 0, 1);
		kt_expect_q8("add-int8-relu", &m, in, (const int8_t[]){ 2, 0, 4, 100 }, 4);
	}
	/* zero points -128 and 127, out zp 10: (0+0)/2, (255-255)/2, 255/2 = 127.5 -> 128
	   (+10, clamp 127), -255/2 = -127.5 -> -128 (+10 = -118) */
	{
		const int8_t a[4] = { -128, 127, 127, -128 }, b[4] = { 127, -128, 127, -128 };
		const void *in[3] = { a, b, NULL };
		add_model(&m, INT8, 1, d4, 1, d4, 1, d4, -128, 127, 10, 0);
		kt_expect_q8("add-int8-zero-points-and-saturation", &m, in, (const int8_t[]){ 10, 10, 127, -118 }, 4);
	}
	/* broadcast a scalar, and a channel vector over [1,1,2,2] */
	{
		const int8_t a[4] = { 2, 4, 6, 8 }, b[1] = { 2 }, c[4] = { 1, 2, 3, 4 }, v[2] = { 10, 20 };
		const void *in[3] = { a, b, NULL }, *in2[3] = { c, v, NULL };
		add_model(&m, INT8, 4, d4d, 1, d1, 4, d4d, 0, 0, 0, 0);
		kt_expect_q8("add-int8-broadcast-scalar", &m, in, (const int8_t[]){ 2, 3, 4, 5 }, 4);
		add_model(&m, INT8, 4, d22, 1, d2, 4, d22, 0, 0, 0, 0);
		kt_expect_q8("add-int8-broadcast-channels", &m, in2, (const int8_t[]){ 6, 11, 7, 12 }, 4);
	}
	/* float: [1.5, -2] + [0.25, 0.5]; RELU6 */
	{
		const float a[2] = { 1.5f, -2.0f }, b[2] = { 0.25f, 0.5f };
		const void *in[3] = { a, b, NULL };
		add_model(&m, F32, 1, d2, 1, d2, 1, d2, 0, 0, 0, 0);
		kt_expect_f32("add-float", &m, in, (const float[]){ 1.75f, -1.5f }, 2, 0);
		add_model(&m, F32, 1, d2, 1, d2, 1, d2, 0, 0, 0, 3);
		kt_expect_f32("add-float-relu6", &m, in, (const float[]){ 1.75f, 0.0f }, 2, 0);
	}
	add_model(&m, INT8, 1, d4, 1, d2, 1, d4, 0, 0, 0, 0);
	kt_expect_refused("add-refuses-incompatible-broadcast", &m, ENG_ERR_MODEL, "do not broadcast");
}

static void reshape_and_refusals(void)
{
	mm_model_t m;
	int32_t d6[1] = { 6 }, d23[2] = { 2, 3 }, d4[1] = { 4 }, shape[2] = { 2, 3 }, io[2], out;
	const int8_t x[6] = { 1, -2, 3, -4, 5, -128 };
	const void *in[2] = { x, NULL };

	/* RESHAPE copies bytes; the shape input is informational */
	mm_init(&m);
	io[0] = mm_tensor(&m, INT8, 1, d6, 0.5f, 3, NULL, 0);
	io[1] = mm_tensor(&m, 2 /* INT32 */, 1, (const int32_t[]){ 2 }, 0, 0, shape, 8);
	out = mm_tensor(&m, INT8, 2, d23, 0.5f, 3, NULL, 0);
	mm_op(&m, RESHAPE, OPTS_RESHAPE, 2, io, out);
	mm_io(&m, 1, io, 1, &out);
	kt_expect_q8("reshape-copies-bytes", &m, in, x, 6);
	m.tensors[2].dims[1] = 2;
	kt_expect_refused("reshape-refuses-size-change", &m, ENG_ERR_MODEL, "6 bytes");

	/* an unsupported builtin is refused at load with its name and code */
	mm_init(&m);
	io[0] = mm_tensor(&m, INT8, 1, d4, 1.0f, 0, NULL, 0);
	io[1] = mm_tensor(&m, INT8, 1, d4, 1.0f, 0, NULL, 0);
	out = mm_tensor(&m, INT8, 1, d4, 1.0f, 0, NULL, 0);
	mm_op(&m, SUB, 0, 2, io, out);
	mm_io(&m, 2, io, 1, &out);
	kt_expect_refused("refuses-unsupported-op-by-name", &m, ENG_ERR_UNSUPPORTED,
		"operator SUB (builtin code 41) not supported");
	m.ops[0].builtin = 150;
	kt_expect_refused("refuses-newer-op-by-name", &m, ENG_ERR_UNSUPPORTED, "GELU");
	m.ops[0].builtin = CUSTOM;
	m.ops[0].custom = "TFLite_Detection_PostProcess";
	kt_expect_refused("refuses-custom-op-by-name", &m, ENG_ERR_UNSUPPORTED,
		"custom operator 'TFLite_Detection_PostProcess'");
}

int main(void)
{
	softmax_cases();
	add_cases();
	reshape_and_refusals();
	return tap_done();
}
