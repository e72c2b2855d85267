/*
 * test_kernels_ops.c - the spec-tested ops (no fixture oracle): QUANTIZE, DEQUANTIZE,
 * LOGISTIC, TANH, RELU, RELU6, MUL, PAD, CONCATENATION, MEAN. Every expectation is computed
 * by hand; each case cites the spec section it comes from, or says "from source" where the
 * spec (../shared/reference/tflite-int8-spec.md) is silent and the rule is the TFLM
 * reference kernel's.
 */
#include <math.h>
#include <string.h>
#include "ktest.h"
#include "tap.h"

enum { CONCATENATION = 2, DEQUANTIZE = 6, LOGISTIC = 14, MUL = 18, RELU = 19, RELU6 = 21,
	TANH = 28, PAD = 34, MEAN = 40, QUANTIZE = 114 };
enum { OPTS_CONCATENATION = 10, OPTS_MUL = 21, OPTS_PAD = 22, OPTS_REDUCER = 27,
	OPTS_DEQUANTIZE = 38, OPTS_QUANTIZE = 89 };
enum { F32 = 0, I32 = 2, INT8 = 9 };

/* One input, one output of n elements. */
static void unary(mm_model_t *m, int builtin, int opts, int in_type, float in_s, int32_t in_zp,
	int out_type, float out_s, int32_t out_zp, int n)
{
	int32_t d[1] = { n }, in, out;

	mm_init(m);
	in = mm_tensor(m, in_type, 1, d, in_s, in_zp, NULL, 0);
	out = mm_tensor(m, out_type, 1, d, out_s, out_zp, NULL, 0);
	mm_op(m, builtin, opts, 1, &in, out);
	mm_io(m, 1, &in, 1, &out);
}

static void quantize_cases(void)
{
	mm_model_t m;

	/* spec 3.10 QUANTIZE float -> int8: x / 0.5 = 2.5, -2.5, 1.5 round half away to 3, -3,
	   2; + zp -3; 200 - 3 and -200 - 3 clamp */
	{
		const float x[6] = { 1.25f, -1.25f, 0.75f, 100.0f, -100.0f, 0.0f };
		const void *in[2] = { x, NULL };
		unary(&m, QUANTIZE, OPTS_QUANTIZE, F32, 0, 0, INT8, 0.5f, -3, 6);
		kt_expect_q8("quantize-float-round-half-away-and-clamp", &m, in,
			(const int8_t[]){ 0, -6, -1, 127, -128, -3 }, 6);
	}
	/* spec 3.10 requantize, spec 2.1/2.4: in_s / out_s = 0.5 -> (2^30, 0); MBQM = SRDHM(x,
	   2^30) rounds half toward +inf: 3 -> 2, -3 -> -1, 1 -> 1, -1 -> 0, 5 -> 3, -5 -> -2,
	   127 -> 64, -128 -> -64; + out zp 10 */
	{
		const int8_t x[8] = { 3, -3, 1, -1, 5, -5, 127, -128 };
		const void *in[2] = { x, NULL };
		unary(&m, QUANTIZE, OPTS_QUANTIZE, INT8, 1.0f, 0, INT8, 2.0f, 10, 8);
		kt_expect_q8("quantize-int8-requantize-halves", &m, in,
			(const int8_t[]){ 12, 9, 11, 10, 13, 8, 74, -54 }, 8);
	}
	/* spec 3.10 requantize with zero points -128 -> 0, equal scales ((2^30, 1): identity):
	   y = x + 128, clamped at 127 */
	{
		const int8_t x[4] = { -128, -1, 0, 127 };
		const void *in[2] = { x, NULL };
		unary(&m, QUANTIZE, OPTS_QUANTIZE, INT8, 0.3f, -128, INT8, 0.3f, 0, 4);
		kt_expect_q8("quantize-int8-zero-points-saturate", &m, in,
			(const int8_t[]){ 0, 127, 127, 127 }, 4);
	}
	unary(&m, QUANTIZE, OPTS_QUANTIZE, F32, 0, 0, F32, 0, 0, 4);
	kt_expect_refused("quantize-refuses-float-output", &m, ENG_ERR_UNSUPPORTED,
		"input type FLOAT32, output type FLOAT32 not supported");
}

static void dequantize_cases(void)
{
	mm_model_t m;
	/* spec 3.10 DEQUANTIZE: 0.25 * (q + 128) */
	const int8_t x[4] = { -128, 127, 0, -1 };
	const void *in[2] = { x, NULL };

	unary(&m, DEQUANTIZE, OPTS_DEQUANTIZE, INT8, 0.25f, -128, F32, 0, 0, 4);
	kt_expect_f32("dequantize-int8", &m, in, (const float[]){ 0.0f, 63.75f, 32.0f, 31.75f }, 4, 0);
}

static void logistic_cases(void)
{
	mm_model_t m;

	/* spec 3.9: in_s 1/16 -> real 2^23 = 0.5 * 2^24: mult 2^30, shift 24; radius =
	   floor(15 * 2^27 / 2^24) = 120. x = 16 * r, v = r in Q4.27; output round(256 *
	   sigmoid(r)) - 128: r 0 -> 128 - 128 = 0; 1 -> 187.15 -> 59; -1 -> 68.85 -> -59;
	   0.5 -> 159.35 -> 31; 2.5 -> 236.58 -> 109; 7.4375 -> 255.85 -> 256 -> clamp 127;
	   |d| >= 120 saturates */
	{
		const int8_t x[10] = { 0, 16, -16, 8, 40, 119, 120, -120, 127, -128 };
		const void *in[2] = { x, NULL };
		unary(&m, LOGISTIC, 0, INT8, 1.0f / 16, 0, INT8, 1.0f / 256, -128, 10);
		kt_expect_q8("logistic-int8-values-and-radius", &m, in,
			(const int8_t[]){ 0, 59, -59, 31, 109, 127, 127, -128, 127, -128 }, 10);
	}
	/* spec 3.9: d = x - in_zp with in_zp 10 */
	{
		const int8_t x[3] = { 26, 10, -6 };
		const void *in[2] = { x, NULL };
		unary(&m, LOGISTIC, 0, INT8, 1.0f / 16, 10, INT8, 1.0f / 256, -128, 3);
		kt_expect_q8("logistic-int8-input-zero-point", &m, in, (const int8_t[]){ 59, 0, -59 }, 3);
	}
	/* float: 1 / (1 + e^-x): 0 -> 0.5, ln 3 -> 0.75 */
	{
		const float x[2] = { 0.0f, 1.0986123f };
		const void *in[2] = { x, NULL };
		unary(&m, LOGISTIC, 0, F32, 0, 0, F32, 0, 0, 2);
		kt_expect_f32("logistic-float", &m, in, (const float[]){ 0.5f, 0.75f }, 2, 1e-6);
	}
	unary(&m, LOGISTIC, 0, INT8, 1.0f / 16, 0, INT8, 1.0f / 256, 0, 4);
	kt_expect_refused("logistic-refuses-output-zp-not-minus-128", &m, ENG_ERR_UNSUPPORTED,
		"zero point must be -128");
}

static void tanh_cases(void)
{
	mm_model_t m;

	/* from source (spec silent; input stage as spec 3.9): in_s 1/16, radius 120, output
	   zp 0, scale 1/128: round(128 * tanh(r)): 1 -> 97.48 -> 97; 0.5 -> 59.15 -> 59;
	   2.5 -> 126.29 -> 126; 7.4375 -> 127.99996 -> 128 -> clamp 127; -7.4375 -> -128 */
	const int8_t x[10] = { 0, 16, -16, 8, 40, -40, 119, -119, 120, -128 };
	const void *in[2] = { x, NULL };

	unary(&m, TANH, 0, INT8, 1.0f / 16, 0, INT8, 1.0f / 128, 0, 10);
	kt_expect_q8("tanh-int8-values-and-radius", &m, in,
		(const int8_t[]){ 0, 97, -97, 59, 126, -126, 127, -128, 127, -128 }, 10);
	{
		const float xf[2] = { 0.5f, -2.0f };
		const void *inf[2] = { xf, NULL };
		unary(&m, TANH, 0, F32, 0, 0, F32, 0, 0, 2);
		kt_expect_f32("tanh-float", &m, inf, (const float[]){ 0.46211716f, -0.96402758f }, 2, 1e-6);
	}
	unary(&m, TANH, 0, INT8, 1.0f / 16, 0, INT8, 1.0f / 128, 5, 4);
	kt_expect_refused("tanh-refuses-output-zp-not-0", &m, ENG_ERR_UNSUPPORTED,
		"zero point must be 0");
}

static void relu_cases(void)
{
	mm_model_t m;

	/* range spec 2.6 (RELU: [Q(0), +inf)); rescale from source: in_s / out_s = 2 ->
	   (2^30, 2), MBQM = 2x; y = clamp(-10 + 2x, -10, 127) */
	{
		const int8_t x[5] = { -5, 0, 3, 60, 100 };
		const void *in[2] = { x, NULL };
		unary(&m, RELU, 0, INT8, 1.0f, 0, INT8, 0.5f, -10, 5);
		kt_expect_q8("relu-int8-rescale-and-clamp", &m, in,
			(const int8_t[]){ -10, -10, -4, 110, 127 }, 5);
	}
	/* same quantization, zp 5: y = max(x, 5) */
	{
		const int8_t x[5] = { -128, 4, 5, 6, 127 };
		const void *in[2] = { x, NULL };
		unary(&m, RELU, 0, INT8, 0.1f, 5, INT8, 0.1f, 5, 5);
		kt_expect_q8("relu-int8-zero-point", &m, in, (const int8_t[]){ 5, 5, 5, 6, 127 }, 5);
	}
	/* spec 2.6 RELU6: [Q(0), Q(6)] = [-100, -100 + round(6 / 0.05) = 20]; from source: no
	   rescale */
	{
		const int8_t x[6] = { -128, -100, -50, 20, 21, 127 };
		const void *in[2] = { x, NULL };
		unary(&m, RELU6, 0, INT8, 0.05f, -100, INT8, 0.05f, -100, 6);
		kt_expect_q8("relu6-int8-range", &m, in, (const int8_t[]){ -100, -100, -50, 20, 20, 20 }, 6);
	}
	unary(&m, RELU6, 0, INT8, 0.05f, -100, INT8, 0.1f, -100, 6);
	kt_expect_refused("relu6-refuses-requantization", &m, ENG_ERR_UNSUPPORTED,
		"quantization differ");
	{
		const float x[3] = { -1.0f, 3.0f, 7.0f };
		const void *in[2] = { x, NULL };
		unary(&m, RELU, 0, F32, 0, 0, F32, 0, 0, 3);
		kt_expect_f32("relu-float", &m, in, (const float[]){ 0.0f, 3.0f, 7.0f }, 3, 0);
		unary(&m, RELU6, 0, F32, 0, 0, F32, 0, 0, 3);
		kt_expect_f32("relu6-float", &m, in, (const float[]){ 0.0f, 3.0f, 6.0f }, 3, 0);
	}
}

static void mul_model(mm_model_t *m, int type, int r1, const int32_t *d1, int r2,
	const int32_t *d2, int ro, const int32_t *dout, float s1, int32_t zp1, float s2, int32_t zp2,
	float so, int32_t zpo, int act)
{
	int32_t io[2], out;

	mm_init(m);
	io[0] = mm_tensor(m, type, r1, d1, s1, zp1, NULL, 0);
	io[1] = mm_tensor(m, type, r2, d2, s2, zp2, NULL, 0);
	out = mm_tensor(m, type, ro, dout, so, zpo, NULL, 0);
	mm_op(m, MUL, OPTS_MUL, 2, io, out);
	mm_opt(m, 0, 0, MM_BYTE, act);
	mm_io(m, 2, io, 1, &out);
}

static void mul_cases(void)
{
	mm_model_t m;
	const int32_t d4[1] = { 4 }, d6[1] = { 6 }, d22[2] = { 2, 2 }, d1[1] = { 1 }, d2[1] = { 2 };

	/* from source (spec silent; arithmetic spec 2.1/2.4): 0.5 * 0.5 / 0.25 = 1 -> (2^30, 1),
	   identity; y = (x1 - 1)(x2 + 1) + 3: 2*2, -6*4, 99*-127 (clamps), 10*1 */
	{
		const int8_t a[4] = { 3, -5, 100, 11 }, b[4] = { 1, 3, -128, 0 };
		const void *in[3] = { a, b, NULL };
		mul_model(&m, INT8, 1, d4, 1, d4, 1, d4, 0.5f, 1, 0.5f, -1, 0.25f, 3, 0);
		kt_expect_q8("mul-int8-zero-points-and-saturation", &m, in,
			(const int8_t[]){ 7, -21, -128, 13 }, 4);
	}
	/* 1 * 1 / 4 -> (2^30, -1): spec 2.4 double rounding: p 1 -> SRDHM 1 -> RDbyPOT 1 (a
	   single rounding would give 0); 3 -> 2 -> 1; 6 -> 3 -> 2; -6 -> -3 -> -2; -2 -> -1 ->
	   -1; -1 -> 0 -> 0 */
	{
		const int8_t a[6] = { 1, 3, 6, -6, -2, -1 }, b[6] = { 1, 1, 1, 1, 1, 1 };
		const void *in[3] = { a, b, NULL };
		mul_model(&m, INT8, 1, d6, 1, d6, 1, d6, 1.0f, 0, 1.0f, 0, 4.0f, 0, 0);
		kt_expect_q8("mul-int8-double-rounding", &m, in, (const int8_t[]){ 1, 1, 2, -2, -1, 0 }, 6);
	}
	/* broadcast (as ADD, spec 3.8): a scalar, then a row vector over [2,2]; RELU clamps at
	   Q(0) = 0 (spec 2.6) */
	{
		const int8_t a[4] = { 1, 2, 3, 4 }, s[1] = { 2 }, v[2] = { 10, -1 };
		const void *in[3] = { a, s, NULL }, *in2[3] = { a, v, NULL };
		mul_model(&m, INT8, 2, d22, 1, d1, 2, d22, 1.0f, 0, 1.0f, 0, 1.0f, 0, 0);
		kt_expect_q8("mul-int8-broadcast-scalar", &m, in, (const int8_t[]){ 2, 4, 6, 8 }, 4);
		mul_model(&m, INT8, 2, d22, 1, d2, 2, d22, 1.0f, 0, 1.0f, 0, 1.0f, 0, 0);
		kt_expect_q8("mul-int8-broadcast-row", &m, in2, (const int8_t[]){ 10, -2, 30, -4 }, 4);
		mul_model(&m, INT8, 2, d22, 1, d2, 2, d22, 1.0f, 0, 1.0f, 0, 1.0f, 0, 1);
		kt_expect_q8("mul-int8-relu", &m, in2, (const int8_t[]){ 10, 0, 30, 0 }, 4);
	}
	{
		const float a[2] = { 1.5f, 4.0f }, b[2] = { 2.0f, -0.25f };
		const void *in[3] = { a, b, NULL };
		mul_model(&m, F32, 1, d2, 1, d2, 1, d2, 0, 0, 0, 0, 0, 0, 0);
		kt_expect_f32("mul-float", &m, in, (const float[]){ 3.0f, -1.0f }, 2, 0);
		mul_model(&m, F32, 1, d2, 1, d2, 1, d2, 0, 0, 0, 0, 0, 0, 3);
		kt_expect_f32("mul-float-relu6", &m, in, (const float[]){ 3.0f, 0.0f }, 2, 0);
	}
	mul_model(&m, INT8, 1, d4, 1, d2, 1, d4, 1.0f, 0, 1.0f, 0, 1.0f, 0, 0);
	kt_expect_refused("mul-refuses-incompatible-broadcast", &m, ENG_ERR_MODEL, "do not broadcast");
}

static void pad_model(mm_model_t *m, int type, int rank, const int32_t *din, const int32_t *pads,
	const int32_t *dout, float s, int32_t zp, float out_s)
{
	int32_t io[2], out, pd[2] = { rank, 2 };

	mm_init(m);
	io[0] = mm_tensor(m, type, rank, din, s, zp, NULL, 0);
	io[1] = mm_tensor(m, I32, 2, pd, 0, 0, pads, (uint32_t)(8 * rank));
	out = mm_tensor(m, type, rank, dout, out_s, zp, NULL, 0);
	mm_op(m, PAD, OPTS_PAD, 2, io, out);
	mm_io(m, 1, io, 1, &out);
}

static void pad_cases(void)
{
	mm_model_t m;
	/* from source (spec silent): [1,2,2,1] padded (0,0), (1,0), (0,1), (0,0) -> [1,3,3,1],
	   int8 pad value = output zero point -7 */
	const int32_t din[4] = { 1, 2, 2, 1 }, dout[4] = { 1, 3, 3, 1 };
	const int32_t pads[8] = { 0, 0, 1, 0, 0, 1, 0, 0 }, bad[8] = { 0, 0, 1, 0, 0, 2, 0, 0 };
	const int8_t x[4] = { 1, 2, 3, 4 };
	const void *in[2] = { x, NULL };

	pad_model(&m, INT8, 4, din, pads, dout, 0.5f, -7, 0.5f);
	kt_expect_q8("pad-int8-output-zero-point", &m, in,
		(const int8_t[]){ -7, -7, -7, 1, 2, -7, 3, 4, -7 }, 9);
	pad_model(&m, INT8, 4, din, bad, dout, 0.5f, -7, 0.5f);
	kt_expect_refused("pad-refuses-shape-mismatch", &m, ENG_ERR_MODEL, "does not give output");
	pad_model(&m, INT8, 4, din, pads, dout, 0.5f, -7, 0.25f);
	kt_expect_refused("pad-refuses-requantization", &m, ENG_ERR_UNSUPPORTED, "quantization differ");
	{
		/* float, rank 2: [1,2] padded (1,1), (2,0) -> [3,4] with zeros */
		const int32_t d12[2] = { 1, 2 }, d34[2] = { 3, 4 }, p[4] = { 1, 1, 2, 0 };
		const float xf[2] = { 1.5f, -2.0f };
		const void *inf[2] = { xf, NULL };
		pad_model(&m, F32, 2, d12, p, d34, 0, 0, 0);
		kt_expect_f32("pad-float-rank-2", &m, inf,
			(const float[]){ 0, 0, 0, 0, 0, 0, 1.5f, -2.0f, 0, 0, 0, 0 }, 12, 0);
	}
}

static void concat_model(mm_model_t *m, int type, int n, const int32_t (*dims)[2],
	const int32_t *dout, int32_t axis, float s, const float *in_s, int act)
{
	int32_t io[4], out;
	int k;

	mm_init(m);
	for (k = 0; k < n; k++)
		io[k] = mm_tensor(m, type, 2, dims[k], in_s ? in_s[k] : s, 0, NULL, 0);
	out = mm_tensor(m, type, 2, dout, s, 0, NULL, 0);
	mm_op(m, CONCATENATION, OPTS_CONCATENATION, n, io, out);
	mm_opt(m, 0, 0, MM_INT, axis);
	mm_opt(m, 0, 1, MM_BYTE, act);
	mm_io(m, n, io, 1, &out);
}

static void concat_cases(void)
{
	mm_model_t m;
	const int32_t dab[2][2] = { { 2, 2 }, { 2, 1 } }, d23[2] = { 2, 3 };
	const int32_t d3[3][2] = { { 1, 2 }, { 2, 2 }, { 1, 2 } }, d42[2] = { 4, 2 };
	const int8_t a[4] = { 1, 2, 3, 4 }, b[2] = { 5, 6 };
	const void *in[3] = { a, b, NULL };
	const float s2[2] = { 0.5f, 0.25f };

	/* from source (spec silent): axis -1 = 1: per row, a's 2 then b's 1 */
	concat_model(&m, INT8, 2, dab, d23, -1, 0.5f, NULL, 0);
	kt_expect_q8("concatenation-int8-last-axis", &m, in, (const int8_t[]){ 1, 2, 5, 3, 4, 6 }, 6);
	{
		const float x0[2] = { 1, 2 }, x1[4] = { 3, 4, 5, 6 }, x2[2] = { 7, 8 };
		const void *inf[4] = { x0, x1, x2, NULL };
		concat_model(&m, F32, 3, d3, d42, 0, 0, NULL, 0);
		kt_expect_f32("concatenation-float-axis-0-three-inputs", &m, inf,
			(const float[]){ 1, 2, 3, 4, 5, 6, 7, 8 }, 8, 0);
	}
	concat_model(&m, INT8, 2, dab, d23, 1, 0.5f, s2, 0);
	kt_expect_refused("concatenation-refuses-mixed-quantization", &m, ENG_ERR_UNSUPPORTED,
		"differs from the output's");
	concat_model(&m, INT8, 2, dab, d23, 1, 0.5f, NULL, 1);
	kt_expect_refused("concatenation-refuses-fused-activation", &m, ENG_ERR_UNSUPPORTED,
		"fused activation RELU");
	concat_model(&m, INT8, 2, dab, d23, 0, 0.5f, NULL, 0);
	kt_expect_refused("concatenation-refuses-shape-mismatch", &m, ENG_ERR_MODEL, "dimension 1");
}

static void mean_model(mm_model_t *m, int type, int rank, const int32_t *din, int n_axes,
	const int32_t *axes, int orank, const int32_t *dout, float s, int32_t zp, float os,
	int32_t ozp)
{
	int32_t io[2], out, da[1] = { n_axes };

	mm_init(m);
	io[0] = mm_tensor(m, type, rank, din, s, zp, NULL, 0);
	io[1] = mm_tensor(m, I32, 1, da, 0, 0, axes, (uint32_t)(4 * n_axes));
	out = mm_tensor(m, type, orank, dout, os, ozp, NULL, 0);
	mm_op(m, MEAN, OPTS_REDUCER, 2, io, out);
	mm_opt(m, 0, 0, MM_BYTE, orank == rank);
	mm_io(m, 1, io, 1, &out);
}

static void mean_cases(void)
{
	mm_model_t m;
	const int32_t din[4] = { 1, 2, 2, 2 }, dout[4] = { 1, 1, 1, 2 }, ax12[2] = { 1, 2 };

	/* from source (spec silent): reference_integer_ops::Mean. Same scales -> (2^30, 1),
	   identity; channel 0: 1+2+3+4 = 10, (10 + 2) / 4 = 3 (2.5 rounds away); channel 1:
	   -1-2-3-5 = -11, (-11 - 2) / 4 = -3 (-2.75) */
	{
		const int8_t x[8] = { 1, -1, 2, -2, 3, -3, 4, -5 };
		const void *in[2] = { x, NULL };
		mean_model(&m, INT8, 4, din, 2, ax12, 4, dout, 0.5f, 0, 0.5f, 0);
		kt_expect_q8("mean-int8-axes-1-2-rounding", &m, in, (const int8_t[]){ 3, -3 }, 2);
		/* zero points: in 10 (d = x - 10), out -5 */
		mean_model(&m, INT8, 4, din, 2, ax12, 4, dout, 0.5f, 10, 0.5f, -5);
		{
			const int8_t x2[8] = { 11, 9, 12, 8, 13, 7, 14, 5 };
			const void *in2[2] = { x2, NULL };
			kt_expect_q8("mean-int8-zero-points", &m, in2, (const int8_t[]){ -2, -8 }, 2);
		}
		/* rescale: in_s / out_s = 0.5 -> (2^30, 0): MBQM(10) = 5, (5 + 2) / 4 = 1;
		   MBQM(-11) = SRDHM rounds -5.5 up to -5, (-5 - 2) / 4 = -1 */
		mean_model(&m, INT8, 4, din, 2, ax12, 4, dout, 0.5f, 0, 1.0f, 0);
		kt_expect_q8("mean-int8-rescale", &m, in, (const int8_t[]){ 1, -1 }, 2);
	}
	/* float, no keep_dims: [2,3] over axis -1 -> [2, 5]; over axis 0 -> [2.5, 3.5, 4.5] */
	{
		const int32_t d23[2] = { 2, 3 }, d2[1] = { 2 }, d3[1] = { 3 }, am1[1] = { -1 }, a0[1] = { 0 };
		const float x[6] = { 1, 2, 3, 4, 5, 6 };
		const void *in[2] = { x, NULL };
		mean_model(&m, F32, 2, d23, 1, am1, 1, d2, 0, 0, 0, 0);
		kt_expect_f32("mean-float-last-axis", &m, in, (const float[]){ 2, 5 }, 2, 0);
		mean_model(&m, F32, 2, d23, 1, a0, 1, d3, 0, 0, 0, 0);
		kt_expect_f32("mean-float-axis-0", &m, in, (const float[]){ 2.5f, 3.5f, 4.5f }, 3, 0);
		mean_model(&m, F32, 2, d23, 1, a0, 1, d2, 0, 0, 0, 0);
		kt_expect_refused("mean-refuses-wrong-output-size", &m, ENG_ERR_MODEL,
			"the reduction gives 3");
	}
}

int main(void)
{
	quantize_cases();
	dequantize_cases();
	logistic_cases();
	tanh_cases();
	relu_cases();
	mul_cases();
	pad_cases();
	concat_cases();
	mean_cases();
	return tap_done();
}
