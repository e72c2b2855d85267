/*
 * conv_common.c - init and prepare shared by the two convolution kernels (conv_common.h).
 */
#include "conv_common.h"

/* eng_conv_init reads padding and strides at the Conv2DOptions slots for both ops. */
typedef char conv_dw_slots_agree[(int)CONV_PADDING == (int)DW_PADDING &&
	(int)CONV_STRIDE_W == (int)DW_STRIDE_W && (int)CONV_STRIDE_H == (int)DW_STRIDE_H ? 1 : -1];

eng_status_t eng_conv_init(eng_ctx_t *c, const eng_opdesc_t *op, unsigned act_slot,
	unsigned dil_w_slot, unsigned dil_h_slot, conv_params_t *p)
{
	ENG_CHECK(eng_opt_i8(c, op, CONV_PADDING, PADDING_SAME, &p->padding));
	ENG_CHECK(eng_opt_i32(c, op, CONV_STRIDE_W, 0, &p->stride_w));
	ENG_CHECK(eng_opt_i32(c, op, CONV_STRIDE_H, 0, &p->stride_h));
	ENG_CHECK(eng_opt_i8(c, op, act_slot, ACT_NONE, &p->act));
	ENG_CHECK(eng_opt_i32(c, op, dil_w_slot, 1, &p->dil_w));
	return eng_opt_i32(c, op, dil_h_slot, 1, &p->dil_h);
}

eng_status_t eng_conv_operands(eng_ctx_t *c, const eng_opdesc_t *op, conv_params_t *p,
	conv_tensors_t *t)
{
	ENG_CHECK(eng_operand(c, op, 0, 0, 0, &t->in, &p->in));
	ENG_CHECK(eng_operand(c, op, 0, 1, 0, &t->filter, &p->filter));
	ENG_CHECK(eng_operand(c, op, 0, 2, 1, &t->bias, &p->bias));
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, &t->out, &p->out));
	ENG_CHECK(eng_check_rank(c, &t->in, 4, "input"));
	ENG_CHECK(eng_check_rank(c, &t->filter, 4, "filter"));
	ENG_CHECK(eng_check_rank(c, &t->out, 4, "output"));
	p->batches = t->in.dims[0];
	p->in_h = t->in.dims[1];
	p->in_w = t->in.dims[2];
	p->in_c = t->in.dims[3];
	p->k_h = t->filter.dims[1];
	p->k_w = t->filter.dims[2];
	return ENG_OK;
}

eng_status_t eng_conv_finish(eng_ctx_t *c, const conv_tensors_t *t, int32_t qdim,
	conv_params_t *p)
{
	const eng_tdesc_t *in = &t->in, *out = &t->out;
	int32_t oh, ow;

	ENG_CHECK(eng_window(c, p->padding, p->in_h, p->k_h, p->stride_h, p->dil_h, &oh, &p->pad_h,
		"height"));
	ENG_CHECK(eng_window(c, p->padding, p->in_w, p->k_w, p->stride_w, p->dil_w, &ow, &p->pad_w,
		"width"));
	ENG_OP_ENSURE(c, oh == out->dims[1] && ow == out->dims[2], ENG_ERR_MODEL,
		"output is %ldx%ld, padding and strides give %ldx%ld", (long)out->dims[1],
		(long)out->dims[2], (long)oh, (long)ow);
	p->out_h = oh;
	p->out_w = ow;
	p->type = in->type;
	ENG_CHECK(eng_check_weighted(c, in, &t->filter, &t->bias, p->bias, out, (uint32_t)p->out_c,
		qdim));
	if (in->type == ENG_FLOAT32)
		return eng_act_f32(c, p->act, &p->f_min, &p->f_max);
	p->in_offset = -in->zp;
	p->out_offset = out->zp;
	ENG_CHECK(eng_per_channel(c, in->scale, &t->filter, out->scale, (uint32_t)p->out_c,
		&p->pc_off));
	return eng_act_q8(c, p->act, out, &p->act_min, &p->act_max);
}
