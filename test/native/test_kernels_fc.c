/*
 * test_kernels_fc.c - FULLY_CONNECTED by hand (spec 3.1, primitives spec 2).
 *
 * Most cases use in_s = 1, w_s = 0.5, out_s = 1, so the multiplier is 0.5 =
 * (2^30, shift 0) and MBQM(acc) = SRDHM(acc, 2^30): acc / 2 rounded half up
 * (toward +inf), e.g. 35 -> 18 but -35 -> -17.
 */
#include <string.h>
#include "ktest.h"
#include "tap.h"

enum { FC = 9, OPTS_FC = 8, INT8 = 9, INT32 = 2, F32 = 0, RELU = 1, RELU_N1_TO_1 = 2, RELU6 = 3 };

static const int8_t W[8] = { 1, 2, 3, 4, -1, -2, -3, -4 };

/* input [batches, 4] zp in_zp, weights W (or w), bias b (NULL: absent), output zp out_zp */
static void fc_model(mm_model_t *m, int batches, int32_t in_zp, int32_t out_zp, float w_scale,
	const int8_t *w, const int32_t *bias, int act)
{
	int32_t in_dims[2] = { batches, 4 }, w_dims[2] = { 2, 4 }, b_dims[1] = { 2 }, out_dims[2] = { batches, 2 };
	int32_t ops_in[3], in, out;

	mm_init(m);
	in = mm_tensor(m, INT8, 2, in_dims, 1.0f, in_zp, NULL, 0);
	ops_in[0] = in;
	ops_in[1] = mm_tensor(m, INT8, 2, w_dims, w_scale, 0, w ? w : W, 8);
	ops_in[2] = bias ? mm_tensor(m, INT32, 1, b_dims, w_scale, 0, bias, 8) : -1;
	out = mm_tensor(m, INT8, 2, out_dims, 1.0f, out_zp, NULL, 0);
	mm_op(m, FC, OPTS_FC, 3, ops_in, out);
	mm_opt(m, 0, 0, MM_BYTE, act);
	mm_io(m, 1, &in, 1, &out);
}

int main(void)
{
	mm_model_t m;
	const int8_t x[4] = { 3, 4, 5, 7 };            /* - zp 3 -> 0, 1, 2, 4 */
	const void *in[2] = { x, NULL };
	const int32_t bias[2] = { 10, -10 }, bias_odd[2] = { 11, -11 };

	/* acc0 = 1*0 + 2*1 + 3*2 + 4*4 + 10 = 34 -> 17 - 5 = 12; acc1 = -34 -> -17 - 5 = -22 */
	fc_model(&m, 1, 3, -5, 0.5f, NULL, bias, 0);
	kt_expect_q8("fc-int8-per-tensor-bias", &m, in, (const int8_t[]){ 12, -22 }, 2);

	/* 35 / 2 = 17.5 -> 18 (half up); -35 / 2 = -17.5 -> -17 (spec 2.2 nudge) */
	fc_model(&m, 1, 3, -5, 0.5f, NULL, bias_odd, 0);
	kt_expect_q8("fc-int8-srdhm-rounds-half-toward-plus-infinity", &m, in,
		(const int8_t[]){ 13, -22 }, 2);

	/* bias input index -1 (spec 3.1): acc 24 -> 12 - 5 = 7, -24 -> -12 - 5 = -17 */
	fc_model(&m, 1, 3, -5, 0.5f, NULL, NULL, 0);
	kt_expect_q8("fc-int8-absent-bias", &m, in, (const int8_t[]){ 7, -17 }, 2);

	/* fused activations on out (scale 1, zp -5): RELU min Q(0) = -5; RELU6 max Q(6) = 1;
	   RELU_N1_TO_1 [-6, -4] (spec 2.6) */
	fc_model(&m, 1, 3, -5, 0.5f, NULL, bias, RELU);
	kt_expect_q8("fc-int8-relu", &m, in, (const int8_t[]){ 12, -5 }, 2);
	fc_model(&m, 1, 3, -5, 0.5f, NULL, bias, RELU6);
	kt_expect_q8("fc-int8-relu6", &m, in, (const int8_t[]){ 1, -5 }, 2);
	fc_model(&m, 1, 3, -5, 0.5f, NULL, bias, RELU_N1_TO_1);
	kt_expect_q8("fc-int8-relu-n1-to-1", &m, in, (const int8_t[]){ -4, -6 }, 2);

	/* saturation: input zp -128, x = 127 (diff 255), weights all 127 / all -128:
	   4 * 127 * 255 = 129540 -> 64770 -> 127; 4 * -128 * 255 = -130560 -> -65280 -> -128 */
	{
		static const int8_t wsat[8] = { 127, 127, 127, 127, -128, -128, -128, -128 };
		const int8_t xs[4] = { 127, 127, 127, 127 };
		const void *ins[2] = { xs, NULL };
		fc_model(&m, 1, -128, 0, 0.5f, wsat, NULL, 0);
		kt_expect_q8("fc-int8-saturates-both-ends", &m, ins, (const int8_t[]){ 127, -128 }, 2);
	}

	/* zero points 127 in and out: diffs -255, 0, -127, -27; row0 weights 1 -> -409 ->
	   SRDHM -204 (-204.5 up) -> -204 + 127 = -77; row1 weights 0 -> 127 */
	{
		static const int8_t w01[8] = { 1, 1, 1, 1, 0, 0, 0, 0 };
		const int8_t xz[4] = { -128, 127, 0, 100 };
		const void *inz[2] = { xz, NULL };
		fc_model(&m, 1, 127, 127, 0.5f, w01, NULL, 0);
		kt_expect_q8("fc-int8-zero-points-127", &m, inz, (const int8_t[]){ -77, 127 }, 2);
	}

	/* two batches: second row x = 3 everywhere (diffs 0) -> bias only: 10 -> 5 - 5 = 0,
	   -10 -> -5 - 5 = -10 */
	{
		const int8_t x2[8] = { 3, 4, 5, 7, 3, 3, 3, 3 };
		const void *in2[2] = { x2, NULL };
		fc_model(&m, 2, 3, -5, 0.5f, NULL, bias, 0);
		kt_expect_q8("fc-int8-two-batches", &m, in2, (const int8_t[]){ 12, -22, 0, -10 }, 4);
	}

	/* per-channel weight scales 0.5 and 0.25 (spec 3.1): channel 1 multiplier
	   (2^30, shift -1): SRDHM(-34) = -17, RDbyPOT(-17, 1) = -9 (-8.5 away from zero) */
	fc_model(&m, 1, 3, -5, 0.5f, NULL, bias, 0);
	mm_per_channel(&m, 1, 2, (const float[]){ 0.5f, 0.25f }, 0);
	kt_expect_q8("fc-int8-per-channel", &m, in, (const int8_t[]){ 12, -14 }, 2);

	/* multiplier above one: w_s = 2 -> real 2 = (2^30, shift 2): 24 * 2 = 48 - 5 = 43 */
	fc_model(&m, 1, 3, -5, 2.0f, NULL, NULL, 0);
	kt_expect_q8("fc-int8-multiplier-above-one", &m, in, (const int8_t[]){ 43, -53 }, 2);

	/* float32: x = [1, 2]; w = [[1, -1], [0.5, 0.5]]; b = [0.25, -1] -> [-0.75, 0.5]; RELU */
	{
		static const float wf[4] = { 1, -1, 0.5f, 0.5f }, bf[2] = { 0.25f, -1 };
		const float xf[2] = { 1, 2 };
		const void *inf[2] = { xf, NULL };
		int32_t d2[2] = { 1, 2 }, dw[2] = { 2, 2 }, db[1] = { 2 }, io[3], o;
		int act;
		for (act = 0; act <= 1; act++) {
			mm_init(&m);
			io[0] = mm_tensor(&m, F32, 2, d2, 0, 0, NULL, 0);
			io[1] = mm_tensor(&m, F32, 2, dw, 0, 0, wf, 16);
			io[2] = mm_tensor(&m, F32, 1, db, 0, 0, bf, 8);
			o = mm_tensor(&m, F32, 2, d2, 0, 0, NULL, 0);
			mm_op(&m, FC, OPTS_FC, 3, io, o);
			mm_opt(&m, 0, 0, MM_BYTE, act);
			mm_io(&m, 1, io, 1, &o);
			kt_expect_f32(act ? "fc-float-relu" : "fc-float", &m, inf,
				act ? (const float[]){ 0, 0.5f } : (const float[]){ -0.75f, 0.5f }, 2, 0);
		}
	}

	/* refusals: int16 activations (type screen at load), TANH, wrong bias length */
	fc_model(&m, 1, 3, -5, 0.5f, NULL, bias, 4 /* TANH */);
	kt_expect_refused("fc-refuses-tanh-by-name", &m, ENG_ERR_UNSUPPORTED, "TANH");
	fc_model(&m, 1, 3, -5, 0.5f, NULL, bias, 0);
	m.tensors[0].type = 7;   /* INT16 input */
	kt_expect_refused("fc-refuses-int16-by-name", &m, ENG_ERR_UNSUPPORTED, "INT16");
	fc_model(&m, 1, 3, -5, 0.5f, NULL, bias, 0);
	m.tensors[2].dims[0] = 1;
	m.tensors[2].data_len = 4;
	kt_expect_refused("fc-refuses-bias-length-mismatch", &m, ENG_ERR_MODEL, "1 elements for 2");
	fc_model(&m, 1, 3, -5, 0.5f, NULL, bias, 0);
	m.tensors[1].zps[0] = 3;
	kt_expect_refused("fc-refuses-asymmetric-weights", &m, ENG_ERR_UNSUPPORTED, "zero point 3");
	return tap_done();
}
