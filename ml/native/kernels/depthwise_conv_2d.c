/*
 * depthwise_conv_2d.c - DEPTHWISE_CONV_2D, int8 (per-channel) and float32 (spec 3.3).
 *
 * Operands: 0 input [b, h, w, in_c], 1 filter [1, kh, kw, out_c], 2 bias [out_c]
 * (optional), output [b, oh, ow, out_c], out_c = in_c * depth_multiplier.
 * Output channel oc = ic * depth_multiplier + m reads only input channel ic:
 * acc = bias[oc] + sum over in-image taps of w[0, ky, kx, oc] * (x[b, iy, ix, ic] - in_zp).
 * Per-channel multipliers use weight quantized_dimension 3.
 */
#include "conv_common.h"

typedef struct {
	conv_params_t p;
	int32_t mult_depth;   /* depth_multiplier: output channels per input channel */
} dw_data_t;

static eng_status_t init(eng_ctx_t *c, const eng_opdesc_t *op, dw_data_t *d)
{
	return eng_conv_init(c, op, DW_ACTIVATION, DW_DILATION_W, DW_DILATION_H, &d->p);
}

static eng_status_t prepare(eng_ctx_t *c, const eng_opdesc_t *op, dw_data_t *d)
{
	conv_params_t *p = &d->p;
	conv_tensors_t t;

	ENG_CHECK(eng_conv_operands(c, op, p, &t));
	p->out_c = t.filter.dims[3];
	ENG_OP_ENSURE(c, t.filter.dims[0] == 1 && p->in_c > 0 && p->out_c % p->in_c == 0 &&
		t.out.dims[3] == p->out_c && t.out.dims[0] == p->batches, ENG_ERR_MODEL,
		"filter [%ld, .., %ld], input depth %ld and output [%ld, .., %ld] do not agree",
		(long)t.filter.dims[0], (long)p->out_c, (long)p->in_c, (long)t.out.dims[0],
		(long)t.out.dims[3]);
	d->mult_depth = p->out_c / p->in_c;
	return eng_conv_finish(c, &t, 3, p);
}

eng_status_t eng_depthwise_conv_2d_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	dw_data_t d;

	memset(&d, 0, sizeof d);
	ENG_CHECK(init(c, op, &d));
	ENG_CHECK(prepare(c, op, &d));
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

static void eval_int8(const eng_run_t *r, const dw_data_t *d)
{
	const conv_params_t *p = &d->p;
	const int8_t *x = (const int8_t *)eng_cdata(r, p->in);
	const int8_t *w = (const int8_t *)eng_cdata(r, p->filter);
	const int32_t *bias = p->bias == ENG_NO_TENSOR ? NULL : (const int32_t *)eng_cdata(r, p->bias);
	int8_t *y = (int8_t *)eng_mdata(r, p->out);
	const int32_t *mult = eng_pc_mult(r, p->pc_off);
	const int8_t *shift = eng_pc_shift(r, p->pc_off, (uint32_t)p->out_c);
	int32_t b, oy, ox, ic, m, ky, kx;

	for (b = 0; b < p->batches; b++)
	for (oy = 0; oy < p->out_h; oy++)
	for (ox = 0; ox < p->out_w; ox++) {
		int32_t y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
		for (ic = 0; ic < p->in_c; ic++)
		for (m = 0; m < d->mult_depth; m++) {
			int32_t oc = ic * d->mult_depth + m;
			uint32_t sum = 0;   /* int32 accumulator; wraps instead of overflowing */
			for (ky = 0; ky < p->k_h; ky++) {
				int32_t iy = y0 + ky * p->dil_h;
				if (iy < 0 || iy >= p->in_h)
					continue;
				for (kx = 0; kx < p->k_w; kx++) {
					int32_t ix = x0 + kx * p->dil_w;
					int32_t xv, wv;
					if (ix < 0 || ix >= p->in_w)
						continue;
					xv = x[(((size_t)b * p->in_h + iy) * p->in_w + ix) * p->in_c + ic];
					wv = w[((size_t)ky * p->k_w + kx) * p->out_c + oc];
					sum += (uint32_t)(wv * (xv + p->in_offset));
				}
			}
			if (bias)
				sum += (uint32_t)bias[oc];
			y[(((size_t)b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
				eng_out_q8(sum, mult[oc], shift[oc], p->out_offset, p->act_min, p->act_max);
		}
	}
}

static void eval_float(const eng_run_t *r, const dw_data_t *d)
{
	const conv_params_t *p = &d->p;
	const float *x = (const float *)eng_cdata(r, p->in);
	const float *w = (const float *)eng_cdata(r, p->filter);
	const float *bias = p->bias == ENG_NO_TENSOR ? NULL : (const float *)eng_cdata(r, p->bias);
	float *y = (float *)eng_mdata(r, p->out);
	int32_t b, oy, ox, ic, m, ky, kx;

	for (b = 0; b < p->batches; b++)
	for (oy = 0; oy < p->out_h; oy++)
	for (ox = 0; ox < p->out_w; ox++) {
		int32_t y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
		for (ic = 0; ic < p->in_c; ic++)
		for (m = 0; m < d->mult_depth; m++) {
			int32_t oc = ic * d->mult_depth + m;
			float total = 0.0f, v;
			for (ky = 0; ky < p->k_h; ky++) {
				int32_t iy = y0 + ky * p->dil_h;
				if (iy < 0 || iy >= p->in_h)
					continue;
				for (kx = 0; kx < p->k_w; kx++) {
					int32_t ix = x0 + kx * p->dil_w;
					if (ix < 0 || ix >= p->in_w)
						continue;
					total += x[(((size_t)b * p->in_h + iy) * p->in_w + ix) * p->in_c + ic] *
						w[((size_t)ky * p->k_w + kx) * p->out_c + oc];
				}
			}
			v = total + (bias ? bias[oc] : 0.0f);
			v = v < p->f_min ? p->f_min : v > p->f_max ? p->f_max : v;
			y[(((size_t)b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] = v;
		}
	}
}

eng_status_t eng_depthwise_conv_2d_eval(const eng_run_t *r, const void *data)
{
	const dw_data_t *d = (const dw_data_t *)data;

	if (d->p.type == ENG_INT8)
		eval_int8(r, d);
	else
		eval_float(r, d);
	return ENG_OK;
}
