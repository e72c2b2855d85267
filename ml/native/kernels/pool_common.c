/*
 * pool_common.c - init and prepare shared by the two pooling kernels.
 */
#include <math.h>
#include "pool_common.h"

#define POOL_AREA_MAX (1L << 23)   /* 2^23 taps * 128 keeps the int8 sum inside int32 */

static eng_status_t init(eng_ctx_t *c, const eng_opdesc_t *op, pool_data_t *d)
{
	ENG_CHECK(eng_opt_i8(c, op, POOL_PADDING, PADDING_SAME, &d->padding));
	ENG_CHECK(eng_opt_i32(c, op, POOL_STRIDE_W, 0, &d->stride_w));
	ENG_CHECK(eng_opt_i32(c, op, POOL_STRIDE_H, 0, &d->stride_h));
	ENG_CHECK(eng_opt_i32(c, op, POOL_FILTER_W, 0, &d->f_w));
	ENG_CHECK(eng_opt_i32(c, op, POOL_FILTER_H, 0, &d->f_h));
	return eng_opt_i8(c, op, POOL_ACTIVATION, ACT_NONE, &d->act);
}

static eng_status_t prepare(eng_ctx_t *c, const eng_opdesc_t *op, pool_data_t *d)
{
	eng_tdesc_t in, out;
	int32_t oh, ow;

	ENG_CHECK(eng_operand(c, op, 0, 0, 0, &in, &d->in));
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, &out, &d->out));
	ENG_CHECK(eng_check_rank(c, &in, 4, "input"));
	ENG_CHECK(eng_check_rank(c, &out, 4, "output"));
	d->batches = in.dims[0];
	d->in_h = in.dims[1];
	d->in_w = in.dims[2];
	d->depth = in.dims[3];
	ENG_OP_ENSURE(c, out.dims[0] == d->batches && out.dims[3] == d->depth, ENG_ERR_MODEL,
		"output [%ld, .., %ld] does not match input [%ld, .., %ld]", (long)out.dims[0],
		(long)out.dims[3], (long)d->batches, (long)d->depth);
	ENG_OP_ENSURE(c, d->f_h >= 1 && d->f_w >= 1 && (long)d->f_h * d->f_w <= POOL_AREA_MAX,
		ENG_ERR_MODEL, "filter %ldx%ld outside 1..%ld taps", (long)d->f_h, (long)d->f_w,
		POOL_AREA_MAX);
	ENG_CHECK(eng_window(c, d->padding, d->in_h, d->f_h, d->stride_h, 1, &oh, &d->pad_h,
		"height"));
	ENG_CHECK(eng_window(c, d->padding, d->in_w, d->f_w, d->stride_w, 1, &ow, &d->pad_w,
		"width"));
	ENG_OP_ENSURE(c, oh == out.dims[1] && ow == out.dims[2], ENG_ERR_MODEL,
		"output is %ldx%ld, padding and strides give %ldx%ld", (long)out.dims[1],
		(long)out.dims[2], (long)oh, (long)ow);
	d->out_h = oh;
	d->out_w = ow;
	d->type = in.type;
	if (in.type == ENG_FLOAT32) {
		ENG_CHECK(eng_check_type(c, &out, ENG_FLOAT32, "output"));
		return eng_act_f32(c, d->act, &d->f_min, &d->f_max);
	}
	ENG_CHECK(eng_check_act_q8(c, &in, "input"));
	ENG_CHECK(eng_check_act_q8(c, &out, "output"));
	ENG_OP_ENSURE(c, fabs((double)in.scale - (double)out.scale) <= 1e-6 && in.zp == out.zp,
		ENG_ERR_UNSUPPORTED, "input (scale %g, zp %ld) and output (scale %g, zp %ld) quantization differ",
		(double)in.scale, (long)in.zp, (double)out.scale, (long)out.zp);
	return eng_act_q8(c, d->act, &out, &d->act_min, &d->act_max);
}

eng_status_t eng_pool_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	pool_data_t d;

	memset(&d, 0, sizeof d);
	ENG_CHECK(init(c, op, &d));
	ENG_CHECK(prepare(c, op, &d));
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}
