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
#include "kernel_util.h"

typedef struct {
	uint16_t in, filter, bias, out;
	uint8_t type;
	int8_t padding, act, pad_;
	int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c, k_h, k_w, f_in_c, per_group;
	int32_t stride_h, stride_w, dil_h, dil_w, pad_h, pad_w;
	int32_t in_offset, out_offset, act_min, act_max;
	uint32_t pc_off;
	float f_min, f_max;
} conv_data_t;

static eng_status_t init(eng_ctx_t *c, const eng_opdesc_t *op, conv_data_t *d)
{
	ENG_CHECK(eng_opt_i8(c, op, CONV_PADDING, PADDING_SAME, &d->padding));
	ENG_CHECK(eng_opt_i32(c, op, CONV_STRIDE_W, 0, &d->stride_w));
	ENG_CHECK(eng_opt_i32(c, op, CONV_STRIDE_H, 0, &d->stride_h));
	ENG_CHECK(eng_opt_i8(c, op, CONV_ACTIVATION, ACT_NONE, &d->act));
	ENG_CHECK(eng_opt_i32(c, op, CONV_DILATION_W, 1, &d->dil_w));
	return eng_opt_i32(c, op, CONV_DILATION_H, 1, &d->dil_h);
}

static eng_status_t prepare(eng_ctx_t *c, const eng_opdesc_t *op, conv_data_t *d)
{
	eng_tdesc_t in, w, bias, out;
	int32_t oh, ow, groups;

	ENG_CHECK(eng_operand(c, op, 0, 0, 0, &in, &d->in));
	ENG_CHECK(eng_operand(c, op, 0, 1, 0, &w, &d->filter));
	ENG_CHECK(eng_operand(c, op, 0, 2, 1, &bias, &d->bias));
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, &out, &d->out));
	ENG_CHECK(eng_check_rank(c, &in, 4, "input"));
	ENG_CHECK(eng_check_rank(c, &w, 4, "filter"));
	ENG_CHECK(eng_check_rank(c, &out, 4, "output"));
	d->batches = in.dims[0];
	d->in_h = in.dims[1];
	d->in_w = in.dims[2];
	d->in_c = in.dims[3];
	d->out_c = w.dims[0];
	d->k_h = w.dims[1];
	d->k_w = w.dims[2];
	d->f_in_c = w.dims[3];
	ENG_OP_ENSURE(c, d->f_in_c > 0 && d->in_c % d->f_in_c == 0, ENG_ERR_MODEL,
		"input depth %ld is not a multiple of filter depth %ld", (long)d->in_c, (long)d->f_in_c);
	groups = d->in_c / d->f_in_c;
	ENG_OP_ENSURE(c, d->out_c > 0 && d->out_c % groups == 0 && out.dims[3] == d->out_c &&
		out.dims[0] == d->batches, ENG_ERR_MODEL,
		"output [%ld, .., %ld] does not match batches %ld, filters %ld (groups %ld)",
		(long)out.dims[0], (long)out.dims[3], (long)d->batches, (long)d->out_c, (long)groups);
	d->per_group = d->out_c / groups;
	ENG_CHECK(eng_window(c, d->padding, d->in_h, d->k_h, d->stride_h, d->dil_h, &oh, &d->pad_h,
		"height"));
	ENG_CHECK(eng_window(c, d->padding, d->in_w, d->k_w, d->stride_w, d->dil_w, &ow, &d->pad_w,
		"width"));
	ENG_OP_ENSURE(c, oh == out.dims[1] && ow == out.dims[2], ENG_ERR_MODEL,
		"output is %ldx%ld, padding and strides give %ldx%ld", (long)out.dims[1],
		(long)out.dims[2], (long)oh, (long)ow);
	d->out_h = oh;
	d->out_w = ow;
	d->type = in.type;
	if (in.type == ENG_FLOAT32) {
		ENG_CHECK(eng_check_type(c, &w, ENG_FLOAT32, "filter"));
		ENG_CHECK(eng_check_type(c, &out, ENG_FLOAT32, "output"));
		ENG_CHECK(eng_check_bias(c, &bias, d->bias, ENG_FLOAT32, (uint32_t)d->out_c));
		return eng_act_f32(c, d->act, &d->f_min, &d->f_max);
	}
	ENG_CHECK(eng_check_act_q8(c, &in, "input"));
	ENG_CHECK(eng_check_act_q8(c, &out, "output"));
	ENG_CHECK(eng_check_filter_q8(c, &w, (uint32_t)d->out_c, 0));
	ENG_CHECK(eng_check_bias(c, &bias, d->bias, ENG_INT32, (uint32_t)d->out_c));
	d->in_offset = -in.zp;
	d->out_offset = out.zp;
	ENG_CHECK(eng_per_channel(c, in.scale, &w, out.scale, (uint32_t)d->out_c, &d->pc_off));
	return eng_act_q8(c, d->act, &out, &d->act_min, &d->act_max);
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
	const int8_t *x = (const int8_t *)eng_cdata(r, d->in);
	const int8_t *w = (const int8_t *)eng_cdata(r, d->filter);
	const int32_t *bias = d->bias == ENG_NO_TENSOR ? NULL : (const int32_t *)eng_cdata(r, d->bias);
	int8_t *y = (int8_t *)eng_mdata(r, d->out);
	const int32_t *mult = eng_pc_mult(r, d->pc_off);
	const int8_t *shift = eng_pc_shift(r, d->pc_off, (uint32_t)d->out_c);
	int32_t b, oy, ox, oc, ky, kx, ic, acc;

	for (b = 0; b < d->batches; b++)
	for (oy = 0; oy < d->out_h; oy++)
	for (ox = 0; ox < d->out_w; ox++) {
		int32_t y0 = oy * d->stride_h - d->pad_h, x0 = ox * d->stride_w - d->pad_w;
		for (oc = 0; oc < d->out_c; oc++) {
			int32_t base_c = (oc / d->per_group) * d->f_in_c;
			uint32_t sum = 0;   /* int32 accumulator; wraps instead of overflowing */
			for (ky = 0; ky < d->k_h; ky++) {
				int32_t iy = y0 + ky * d->dil_h;
				if (iy < 0 || iy >= d->in_h)
					continue;
				for (kx = 0; kx < d->k_w; kx++) {
					int32_t ix = x0 + kx * d->dil_w;
					const int8_t *xp, *wp;
					if (ix < 0 || ix >= d->in_w)
						continue;
					xp = x + (((size_t)b * d->in_h + iy) * d->in_w + ix) * d->in_c + base_c;
					wp = w + (((size_t)oc * d->k_h + ky) * d->k_w + kx) * d->f_in_c;
					for (ic = 0; ic < d->f_in_c; ic++)
						sum += (uint32_t)(wp[ic] * (xp[ic] + d->in_offset));
				}
			}
			if (bias)
				sum += (uint32_t)bias[oc];
			acc = eng_mbqm((int32_t)sum, mult[oc], shift[oc]);
			acc = (int32_t)((uint32_t)acc + (uint32_t)d->out_offset);
			acc = acc < d->act_min ? d->act_min : acc > d->act_max ? d->act_max : acc;
			y[(((size_t)b * d->out_h + oy) * d->out_w + ox) * d->out_c + oc] = (int8_t)acc;
		}
	}
}

static void eval_float(const eng_run_t *r, const conv_data_t *d)
{
	const float *x = (const float *)eng_cdata(r, d->in);
	const float *w = (const float *)eng_cdata(r, d->filter);
	const float *bias = d->bias == ENG_NO_TENSOR ? NULL : (const float *)eng_cdata(r, d->bias);
	float *y = (float *)eng_mdata(r, d->out);
	int32_t b, oy, ox, oc, ky, kx, ic;

	for (b = 0; b < d->batches; b++)
	for (oy = 0; oy < d->out_h; oy++)
	for (ox = 0; ox < d->out_w; ox++) {
		int32_t y0 = oy * d->stride_h - d->pad_h, x0 = ox * d->stride_w - d->pad_w;
		for (oc = 0; oc < d->out_c; oc++) {
			int32_t base_c = (oc / d->per_group) * d->f_in_c;
			float total = 0.0f, v;
			for (ky = 0; ky < d->k_h; ky++) {
				int32_t iy = y0 + ky * d->dil_h;
				if (iy < 0 || iy >= d->in_h)
					continue;
				for (kx = 0; kx < d->k_w; kx++) {
					int32_t ix = x0 + kx * d->dil_w;
					const float *xp, *wp;
					if (ix < 0 || ix >= d->in_w)
						continue;
					xp = x + (((size_t)b * d->in_h + iy) * d->in_w + ix) * d->in_c + base_c;
					wp = w + (((size_t)oc * d->k_h + ky) * d->k_w + kx) * d->f_in_c;
					for (ic = 0; ic < d->f_in_c; ic++)
						total += xp[ic] * wp[ic];
				}
			}
			v = total + (bias ? bias[oc] : 0.0f);
			v = v < d->f_min ? d->f_min : v > d->f_max ? d->f_max : v;
			y[(((size_t)b * d->out_h + oy) * d->out_w + ox) * d->out_c + oc] = v;
		}
	}
}

eng_status_t eng_conv_2d_eval(const eng_run_t *r, const void *data)
{
	const conv_data_t *d = (const conv_data_t *)data;

	if (d->type == ENG_INT8)
		eval_int8(r, d);
	else
		eval_float(r, d);
	return ENG_OK;
}
