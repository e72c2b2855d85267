/*
 * conv_2d.c - CONV_2D, int8 (per-channel) and float32 (spec 3.2, geometry spec 2.7).
 *
 * Operands: 0 input [b, h, w, in_c], 1 filter OHWI [out_c, kh, kw, f_in_c], 2 bias [out_c]
 * (optional), output [b, oh, ow, out_c]. Grouped convolution when f_in_c < in_c.
 * acc = bias[oc] + sum over in-image taps of w[oc, ky, kx, ic] * (x[b, iy, ix, g*f_in_c+ic] - in_zp),
 * iy = oy*stride_h - pad_top + ky*dilation_h; then MBQM per channel, + out_zp, clamp.
 * The multiplier is always per channel: double(in_s) * double(w_s[oc]) / double(out_s),
 * with a single weight scale repeated.
 */
#include "conv_common.h"

typedef struct {
	conv_params_t p;
	int32_t f_in_c, per_group;   /* filter depth; output channels per group */
} conv_data_t;

static eng_status_t init(eng_ctx_t *c, const eng_opdesc_t *op, conv_data_t *d)
{
	return eng_conv_init(c, op, CONV_ACTIVATION, CONV_DILATION_W, CONV_DILATION_H, &d->p);
}

static eng_status_t prepare(eng_ctx_t *c, const eng_opdesc_t *op, conv_data_t *d)
{
	conv_params_t *p = &d->p;
	conv_tensors_t t;
	int32_t groups;

	ENG_CHECK(eng_conv_operands(c, op, p, &t));
	p->out_c = t.filter.dims[0];
	d->f_in_c = t.filter.dims[3];
	ENG_OP_ENSURE(c, d->f_in_c > 0 && p->in_c > 0 && p->in_c % d->f_in_c == 0, ENG_ERR_MODEL,
		"input depth %ld is not a multiple of filter depth %ld", (long)p->in_c, (long)d->f_in_c);
	groups = p->in_c / d->f_in_c;
	ENG_OP_ENSURE(c, p->out_c > 0 && p->out_c % groups == 0 && t.out.dims[3] == p->out_c &&
		t.out.dims[0] == p->batches, ENG_ERR_MODEL,
		"output [%ld, .., %ld] does not match batches %ld, filters %ld (groups %ld)",
		(long)t.out.dims[0], (long)t.out.dims[3], (long)p->batches, (long)p->out_c, (long)groups);
	d->per_group = p->out_c / groups;
	return eng_conv_finish(c, &t, 0, p);
}

eng_status_t eng_conv_2d_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	conv_data_t d;

	memset(&d, 0, sizeof d);
	ENG_CHECK(init(c, op, &d));
	ENG_CHECK(prepare(c, op, &d));
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

static void eval_int8(const eng_run_t *r, const conv_data_t *d)
{
	const conv_params_t *p = &d->p;
	const int8_t *x = (const int8_t *)eng_cdata(r, p->in);
	const int8_t *w = (const int8_t *)eng_cdata(r, p->filter);
	const int32_t *bias = p->bias == ENG_NO_TENSOR ? NULL : (const int32_t *)eng_cdata(r, p->bias);
	int8_t *y = (int8_t *)eng_mdata(r, p->out);
	const int32_t *mult = eng_pc_mult(r, p->pc_off);
	const int8_t *shift = eng_pc_shift(r, p->pc_off, (uint32_t)p->out_c);
	int32_t b, oy, ox, oc, ky, kx, ic;

	for (b = 0; b < p->batches; b++)
	for (oy = 0; oy < p->out_h; oy++)
	for (ox = 0; ox < p->out_w; ox++) {
		int32_t y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
		for (oc = 0; oc < p->out_c; oc++) {
			int32_t base_c = (oc / d->per_group) * d->f_in_c;
			uint32_t sum = 0;   /* int32 accumulator; wraps instead of overflowing */
			for (ky = 0; ky < p->k_h; ky++) {
				int32_t iy = y0 + ky * p->dil_h;
				if (iy < 0 || iy >= p->in_h)
					continue;
				for (kx = 0; kx < p->k_w; kx++) {
					int32_t ix = x0 + kx * p->dil_w;
					const int8_t *xp, *wp;
					if (ix < 0 || ix >= p->in_w)
						continue;
					xp = x + (((size_t)b * p->in_h + iy) * p->in_w + ix) * p->in_c + base_c;
					wp = w + (((size_t)oc * p->k_h + ky) * p->k_w + kx) * d->f_in_c;
					for (ic = 0; ic < d->f_in_c; ic++)
						sum += (uint32_t)(wp[ic] * (xp[ic] + p->in_offset));
				}
			}
			if (bias)
				sum += (uint32_t)bias[oc];
			y[(((size_t)b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
				eng_out_q8(sum, mult[oc], shift[oc], p->out_offset, p->act_min, p->act_max);
		}
	}
}

static void eval_float(const eng_run_t *r, const conv_data_t *d)
{
	const conv_params_t *p = &d->p;
	const float *x = (const float *)eng_cdata(r, p->in);
	const float *w = (const float *)eng_cdata(r, p->filter);
	const float *bias = p->bias == ENG_NO_TENSOR ? NULL : (const float *)eng_cdata(r, p->bias);
	float *y = (float *)eng_mdata(r, p->out);
	int32_t b, oy, ox, oc, ky, kx, ic;

	for (b = 0; b < p->batches; b++)
	for (oy = 0; oy < p->out_h; oy++)
	for (ox = 0; ox < p->out_w; ox++) {
		int32_t y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
		for (oc = 0; oc < p->out_c; oc++) {
			int32_t base_c = (oc / d->per_group) * d->f_in_c;
			float total = 0.0f, v;
			for (ky = 0; ky < p->k_h; ky++) {
				int32_t iy = y0 + ky * p->dil_h;
				if (iy < 0 || iy >= p->in_h)
					continue;
				for (kx = 0; kx < p->k_w; kx++) {
					int32_t ix = x0 + kx * p->dil_w;
					const float *xp, *wp;
					if (ix < 0 || ix >= p->in_w)
						continue;
					xp = x + (((size_t)b * p->in_h + iy) * p->in_w + ix) * p->in_c + base_c;
					wp = w + (((size_t)oc * p->k_h + ky) * p->k_w + kx) * d->f_in_c;
					for (ic = 0; ic < d->f_in_c; ic++)
						total += xp[ic] * wp[ic];
				}
			}
			v = total + (bias ? bias[oc] : 0.0f);
			v = v < p->f_min ? p->f_min : v > p->f_max ? p->f_max : v;
			y[(((size_t)b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] = v;
		}
	}
}

eng_status_t eng_conv_2d_eval(const eng_run_t *r, const void *data)
{
	const conv_data_t *d = (const conv_data_t *)data;

	if (d->p.type == ENG_INT8)
		eval_int8(r, d);
	else
		eval_float(r, d);
	return ENG_OK;
}
