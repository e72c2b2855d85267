/*
 * test_kernels_conv.c - CONV_2D and DEPTHWISE_CONV_2D by hand (spec 3.2, 3.3; geometry
 * spec 2.7: SAME out = ceil(in / stride), pad_before = floor(total / 2) with the odd
 * pixel at the end, out-of-image taps skipped).
 *
 * Scales: with in_s = w_s = out_s = 1 the multiplier is 1.0 = (2^30, shift 1) and
 * MBQM(acc) = acc exactly; with w_s = 0.5 it is acc / 2 rounded half up (spec 2.2).
 */
#include <string.h>
#include "ktest.h"
#include "tap.h"

enum { CONV = 3, DW = 4, OPTS_CONV = 1, OPTS_DW = 2, INT8 = 9, INT32 = 2, F32 = 0,
	SAME = 0, VALID = 1 };

typedef struct {
	int op;                  /* CONV or DW */
	int h, w, c;             /* input */
	int kh, kw, oc, fc;      /* filter: CONV [oc, kh, kw, fc]; DW [1, kh, kw, oc] */
	int oh, ow;
	int pad, stride, dil, act;
	float w_scale;
	int32_t in_zp, out_zp;
	const int8_t *filter;
	const int32_t *bias;
} conv_t;

static void conv_model(mm_model_t *m, const conv_t *p)
{
	int32_t din[4] = { 1, p->h, p->w, p->c }, dout[4] = { 1, p->oh, p->ow, p->oc }, db[1] = { p->oc };
	int32_t dconv[4] = { p->oc, p->kh, p->kw, p->fc }, ddw[4] = { 1, p->kh, p->kw, p->oc };
	int32_t io[3], out;
	uint32_t fbytes = (uint32_t)(p->kh * p->kw * p->oc * (p->op == CONV ? p->fc : 1));

	mm_init(m);
	io[0] = mm_tensor(m, INT8, 4, din, 1.0f, p->in_zp, NULL, 0);
	io[1] = mm_tensor(m, INT8, 4, p->op == CONV ? dconv : ddw, p->w_scale, 0, p->filter, fbytes);
	io[2] = p->bias ? mm_tensor(m, INT32, 1, db, p->w_scale, 0, p->bias, 4u * (uint32_t)p->oc) : -1;
	out = mm_tensor(m, INT8, 4, dout, 1.0f, p->out_zp, NULL, 0);
	mm_op(m, p->op, p->op == CONV ? OPTS_CONV : OPTS_DW, 3, io, out);
	mm_opt(m, 0, 0, MM_BYTE, p->pad);
	mm_opt(m, 0, 1, MM_INT, p->stride);
	mm_opt(m, 0, 2, MM_INT, p->stride);
	if (p->op == CONV) {
		mm_opt(m, 0, 3, MM_BYTE, p->act);
		mm_opt(m, 0, 4, MM_INT, p->dil);
		mm_opt(m, 0, 5, MM_INT, p->dil);
	} else {
		mm_opt(m, 0, 3, MM_INT, p->oc / p->c);
		mm_opt(m, 0, 4, MM_BYTE, p->act);
		mm_opt(m, 0, 5, MM_INT, p->dil);
		mm_opt(m, 0, 6, MM_INT, p->dil);
	}
	mm_io(m, 1, io, 1, &out);
}

static const int8_t ONES[16] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };

static void conv_cases(void)
{
	mm_model_t m;
	int8_t x9[9], x10[9], x25[25], x16[16], ones25[25];
	const void *in[2] = { x9, NULL };
	conv_t p;
	int i;

	for (i = 0; i < 9; i++) {
		x9[i] = (int8_t)(i + 1);
		x10[i] = (int8_t)(i + 2);
	}
	for (i = 0; i < 25; i++) {
		x25[i] = (int8_t)i;
		ones25[i] = 1;
	}
	for (i = 0; i < 16; i++)
		x16[i] = 1;

	/* 3x3 input 1..9, 2x2 ones, VALID: window sums 12, 16, 24, 28, halved */
	memset(&p, 0, sizeof p);
	p.op = CONV; p.h = 3; p.w = 3; p.c = 1; p.kh = 2; p.kw = 2; p.oc = 1; p.fc = 1;
	p.oh = 2; p.ow = 2; p.pad = VALID; p.stride = 1; p.dil = 1; p.w_scale = 0.5f; p.filter = ONES;
	conv_model(&m, &p);
	kt_expect_q8("conv-valid-2x2", &m, in, (const int8_t[]){ 6, 8, 12, 14 }, 4);

	/* SAME, stride 1, 2x2 on 3x3: total pad 1, all of it after (bottom/right); partial
	   windows 9, 15, 15, 17, 9 halve to 5 (4.5 up), 8, 8, 9 (8.5 up), 5 */
	p.pad = SAME; p.oh = 3; p.ow = 3;
	conv_model(&m, &p);
	kt_expect_q8("conv-same-odd-padding-goes-after", &m, in,
		(const int8_t[]){ 6, 8, 5, 12, 14, 8, 8, 9, 5 }, 9);

	/* skipped taps behave like padding with the input zero point: x = 2..10, zp 1 */
	p.in_zp = 1;
	conv_model(&m, &p);
	in[0] = x10;
	kt_expect_q8("conv-same-skipped-taps-equal-zero-point-padding", &m, in,
		(const int8_t[]){ 6, 8, 5, 12, 14, 8, 8, 9, 5 }, 9);

	/* 5x5 ones, 3x3 ones, SAME stride 2: out 3x3, pad 1 each side: tap counts */
	memset(&p, 0, sizeof p);
	p.op = CONV; p.h = 5; p.w = 5; p.c = 1; p.kh = 3; p.kw = 3; p.oc = 1; p.fc = 1;
	p.oh = 3; p.ow = 3; p.pad = SAME; p.stride = 2; p.dil = 1; p.w_scale = 1.0f; p.filter = ONES;
	conv_model(&m, &p);
	in[0] = ones25;
	kt_expect_q8("conv-same-stride-2-counts-in-image-taps", &m, in,
		(const int8_t[]){ 4, 6, 4, 6, 9, 6, 4, 6, 4 }, 9);

	/* 4x4 ones, 3x3, SAME stride 2: out 2x2, total pad 1 -> 0 before: 9, 6, 6, 4 */
	p.h = 4; p.w = 4; p.oh = 2; p.ow = 2;
	conv_model(&m, &p);
	in[0] = x16;
	kt_expect_q8("conv-same-stride-2-odd-pad-after", &m, in, (const int8_t[]){ 9, 6, 6, 4 }, 4);

	/* dilation 2, 2x2 ones on 5x5 (x = 0..24), VALID: eff 3, out 3x3;
	   out(y, x) = x(y,x) + x(y,x+2) + x(y+2,x) + x(y+2,x+2) = 24 + 20y + 4x */
	memset(&p, 0, sizeof p);
	p.op = CONV; p.h = 5; p.w = 5; p.c = 1; p.kh = 2; p.kw = 2; p.oc = 1; p.fc = 1;
	p.oh = 3; p.ow = 3; p.pad = VALID; p.stride = 1; p.dil = 2; p.w_scale = 1.0f; p.filter = ONES;
	conv_model(&m, &p);
	in[0] = x25;
	kt_expect_q8("conv-dilation-2", &m, in, (const int8_t[]){ 24, 28, 32, 44, 48, 52, 64, 68, 72 }, 9);

	/* per-channel scales [1, 0.5], 1x1 spatial, 2 in / 2 out channels, bias [1, -1]:
	   ch0 5 + 12 + 1 = 18; ch1 15 - 24 - 1 = -10 -> -5 */
	{
		static const int8_t f[4] = { 1, 2, 3, -4 };
		static const int32_t b[2] = { 1, -1 };
		const int8_t x[2] = { 5, 6 };
		memset(&p, 0, sizeof p);
		p.op = CONV; p.h = 1; p.w = 1; p.c = 2; p.kh = 1; p.kw = 1; p.oc = 2; p.fc = 2;
		p.oh = 1; p.ow = 1; p.pad = VALID; p.stride = 1; p.dil = 1; p.w_scale = 1.0f;
		p.filter = f; p.bias = b;
		conv_model(&m, &p);
		mm_per_channel(&m, 1, 2, (const float[]){ 1.0f, 0.5f }, 0);
		in[0] = x;
		kt_expect_q8("conv-per-channel-with-bias", &m, in, (const int8_t[]){ 18, -5 }, 2);
	}

	/* grouped: 4 input channels, filter depth 2 -> 2 groups; ch0 = x0 + x1, ch1 = x2 - x3 */
	{
		static const int8_t f[4] = { 1, 1, 1, -1 };
		const int8_t x[4] = { 1, 2, 3, 4 };
		memset(&p, 0, sizeof p);
		p.op = CONV; p.h = 1; p.w = 1; p.c = 4; p.kh = 1; p.kw = 1; p.oc = 2; p.fc = 2;
		p.oh = 1; p.ow = 1; p.pad = VALID; p.stride = 1; p.dil = 1; p.w_scale = 1.0f; p.filter = f;
		conv_model(&m, &p);
		in[0] = x;
		kt_expect_q8("conv-grouped", &m, in, (const int8_t[]){ 3, -1 }, 2);
	}

	/* RELU6 with out zp -128, out scale 1: Q(6) = -122; 1x1 conv of 100 -> clamp */
	{
		const int8_t x[1] = { 100 }, xn[1] = { -100 };
		memset(&p, 0, sizeof p);
		p.op = CONV; p.h = 1; p.w = 1; p.c = 1; p.kh = 1; p.kw = 1; p.oc = 1; p.fc = 1;
		p.oh = 1; p.ow = 1; p.pad = VALID; p.stride = 1; p.dil = 1; p.w_scale = 1.0f;
		p.filter = ONES; p.out_zp = -128; p.act = 3;
		conv_model(&m, &p);
		in[0] = x;
		kt_expect_q8("conv-relu6-zp-minus-128-clamps-high", &m, in, (const int8_t[]){ -122 }, 1);
		in[0] = xn;
		kt_expect_q8("conv-relu6-zp-minus-128-clamps-low", &m, in, (const int8_t[]){ -128 }, 1);
	}

	/* wrong output size in the model is refused with both sizes */
	memset(&p, 0, sizeof p);
	p.op = CONV; p.h = 3; p.w = 3; p.c = 1; p.kh = 2; p.kw = 2; p.oc = 1; p.fc = 1;
	p.oh = 3; p.ow = 3; p.pad = VALID; p.stride = 1; p.dil = 1; p.w_scale = 1.0f; p.filter = ONES;
	conv_model(&m, &p);
	kt_expect_refused("conv-refuses-output-size-mismatch", &m, ENG_ERR_MODEL, "3x3");
	p.oh = 2; p.ow = 2; p.stride = 0;
	conv_model(&m, &p);
	kt_expect_refused("conv-refuses-stride-0", &m, ENG_ERR_MODEL, "stride 0");
}

static void dw_cases(void)
{
	mm_model_t m;
	conv_t p;
	const void *in[2] = { NULL, NULL };
	int i;

	/* depth multiplier 2, 1x1 kernel [2, -1]: pixel p -> [2p, -p] */
	{
		static const int8_t f[2] = { 2, -1 };
		const int8_t x[4] = { 1, 2, 3, 4 };
		memset(&p, 0, sizeof p);
		p.op = DW; p.h = 2; p.w = 2; p.c = 1; p.kh = 1; p.kw = 1; p.oc = 2;
		p.oh = 2; p.ow = 2; p.pad = VALID; p.stride = 1; p.dil = 1; p.w_scale = 1.0f; p.filter = f;
		conv_model(&m, &p);
		in[0] = x;
		kt_expect_q8("dw-depth-multiplier-2", &m, in, (const int8_t[]){ 2, -1, 4, -2, 6, -3, 8, -4 }, 8);
	}

	/* 3x3 SAME, 2 channels (1s and 2s), per-channel scales [1, 0.5]: both give tap counts */
	{
		static const int8_t f[18] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
		int8_t x[18];
		for (i = 0; i < 9; i++) {
			x[2 * i] = 1;
			x[2 * i + 1] = 2;
		}
		memset(&p, 0, sizeof p);
		p.op = DW; p.h = 3; p.w = 3; p.c = 2; p.kh = 3; p.kw = 3; p.oc = 2;
		p.oh = 3; p.ow = 3; p.pad = SAME; p.stride = 1; p.dil = 1; p.w_scale = 1.0f; p.filter = f;
		conv_model(&m, &p);
		mm_per_channel(&m, 1, 2, (const float[]){ 1.0f, 0.5f }, 3);
		in[0] = x;
		kt_expect_q8("dw-same-per-channel-qdim-3", &m, in,
			(const int8_t[]){ 4, 4, 6, 6, 4, 4, 6, 6, 9, 9, 6, 6, 4, 4, 6, 6, 4, 4 }, 18);
		mm_per_channel(&m, 1, 2, (const float[]){ 1.0f, 0.5f }, 0);
		kt_expect_refused("dw-refuses-per-channel-on-wrong-dimension", &m, ENG_ERR_UNSUPPORTED,
			"quantized_dimension 0, expected 3");
	}

	/* dilation 2 on 5x5 (x = 0..24), 2x2 ones, VALID: same sums as the conv case */
	{
		int8_t x[25];
		for (i = 0; i < 25; i++)
			x[i] = (int8_t)i;
		memset(&p, 0, sizeof p);
		p.op = DW; p.h = 5; p.w = 5; p.c = 1; p.kh = 2; p.kw = 2; p.oc = 1;
		p.oh = 3; p.ow = 3; p.pad = VALID; p.stride = 1; p.dil = 2; p.w_scale = 1.0f; p.filter = ONES;
		conv_model(&m, &p);
		in[0] = x;
		kt_expect_q8("dw-dilation-2", &m, in, (const int8_t[]){ 24, 28, 32, 44, 48, 52, 64, 68, 72 }, 9);
	}

	/* input zp 127: x = 127 everywhere gives 0 before bias; bias [5] -> 5 (scale 1) */
	{
		static const int32_t b[1] = { 5 };
		const int8_t x[4] = { 127, 127, 127, 127 };
		memset(&p, 0, sizeof p);
		p.op = DW; p.h = 2; p.w = 2; p.c = 1; p.kh = 2; p.kw = 2; p.oc = 1;
		p.oh = 1; p.ow = 1; p.pad = VALID; p.stride = 1; p.dil = 1; p.w_scale = 1.0f;
		p.filter = ONES; p.bias = b; p.in_zp = 127;
		conv_model(&m, &p);
		in[0] = x;
		kt_expect_q8("dw-input-zero-point-127", &m, in, (const int8_t[]){ 5 }, 1);
	}

	/* float: 1x1 spatial, dm 2, filter [0.5, -2], bias [0.25, 1]: x = 3 -> [1.75, -5] */
	{
		static const float f[2] = { 0.5f, -2.0f }, b[2] = { 0.25f, 1.0f };
		const float x[1] = { 3.0f };
		int32_t din[4] = { 1, 1, 1, 1 }, dfl[4] = { 1, 1, 1, 2 }, db[1] = { 2 }, dout[4] = { 1, 1, 1, 2 };
		int32_t io[3], out;
		mm_init(&m);
		io[0] = mm_tensor(&m, F32, 4, din, 0, 0, NULL, 0);
		io[1] = mm_tensor(&m, F32, 4, dfl, 0, 0, f, 8);
		io[2] = mm_tensor(&m, F32, 1, db, 0, 0, b, 8);
		out = mm_tensor(&m, F32, 4, dout, 0, 0, NULL, 0);
		mm_op(&m, DW, OPTS_DW, 3, io, out);
		mm_opt(&m, 0, 0, MM_BYTE, VALID);
		mm_opt(&m, 0, 1, MM_INT, 1);
		mm_opt(&m, 0, 2, MM_INT, 1);
		mm_opt(&m, 0, 3, MM_INT, 2);
		mm_io(&m, 1, io, 1, &out);
		in[0] = x;
		kt_expect_f32("dw-float", &m, in, (const float[]){ 1.75f, -5.0f }, 2, 0);
	}
}

int main(void)
{
	conv_cases();
	dw_cases();
	return tap_done();
}
