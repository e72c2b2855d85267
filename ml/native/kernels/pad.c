/*
 * pad.c - PAD, int8 and float32, rank up to 4. The spec is silent on PAD: this follows
 * the TFLM reference kernel's source.
 *
 * Input 1 is a constant int32 [rank, 2] tensor of (before, after) paddings, each >= 0;
 * output dim = before + input dim + after. int8 pads with the output zero point and
 * requires the input's quantization (the kernel copies bytes); float32 pads with 0.
 */
#include "kernel_util.h"

#define PAD_RANK 4

typedef struct {
	uint16_t in, out;
	uint8_t type, pad_[3];
	int32_t in_dims[PAD_RANK], out_dims[PAD_RANK], before[PAD_RANK];
	int32_t pad_value;   /* int8 */
} pad_data_t;

eng_status_t eng_pad_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	pad_data_t d;
	eng_tdesc_t in, pads, out;
	uint16_t pads_index;
	uint32_t i;

	memset(&d, 0, sizeof d);
	ENG_CHECK(eng_operand(c, op, 0, 0, 0, &in, &d.in));
	ENG_CHECK(eng_operand(c, op, 0, 1, 0, &pads, &pads_index));
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, &out, &d.out));
	ENG_OP_ENSURE(c, op->inputs.len == 2, ENG_ERR_UNSUPPORTED,
		"%lu inputs (constant_values is PADV2's)", (unsigned long)op->inputs.len);
	ENG_CHECK(eng_check_type(c, &out, in.type, "output"));
	ENG_OP_ENSURE(c, in.rank <= PAD_RANK && in.rank == out.rank, ENG_ERR_UNSUPPORTED,
		"input rank %u, output rank %u (equal, at most %d)", (unsigned)in.rank,
		(unsigned)out.rank, PAD_RANK);
	ENG_CHECK(eng_check_type(c, &pads, ENG_INT32, "paddings"));
	ENG_OP_ENSURE(c, pads.data_len != 0 && pads.rank == 2 && pads.dims[0] == (int32_t)in.rank &&
		pads.dims[1] == 2, ENG_ERR_UNSUPPORTED,
		"paddings tensor %lu must be constant int32 [%u, 2]", (unsigned long)pads.index,
		(unsigned)in.rank);
	for (i = 0; i < PAD_RANK; i++) {
		d.in_dims[i] = d.out_dims[i] = 1;
	}
	for (i = 0; i < in.rank; i++) {
		int k = (int)(PAD_RANK - in.rank + i);
		int32_t before = fb_rd_i32(c->fb.p, pads.data_pos + 8 * i);
		int32_t after = fb_rd_i32(c->fb.p, pads.data_pos + 8 * i + 4);
		ENG_OP_ENSURE(c, before >= 0 && after >= 0 &&
			(int64_t)before + in.dims[i] + after == out.dims[i], ENG_ERR_MODEL,
			"dimension %lu: input %ld padded by (%ld, %ld) does not give output %ld",
			(unsigned long)i, (long)in.dims[i], (long)before, (long)after, (long)out.dims[i]);
		d.in_dims[k] = in.dims[i];
		d.out_dims[k] = out.dims[i];
		d.before[k] = before;
	}
	d.type = in.type;
	if (in.type == ENG_INT8) {
		ENG_CHECK(eng_check_act_q8(c, &in, "input"));
		ENG_CHECK(eng_check_act_q8(c, &out, "output"));
		ENG_OP_ENSURE(c, in.scale == out.scale && in.zp == out.zp, ENG_ERR_UNSUPPORTED,
			"input (scale %g, zero point %ld) and output (%g, %ld) quantization differ",
			(double)in.scale, (long)in.zp, (double)out.scale, (long)out.zp);
		d.pad_value = out.zp;
	} else {
		ENG_CHECK(eng_check_type(c, &in, ENG_FLOAT32, "input"));
	}
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

static int inside(const pad_data_t *d, int k, int32_t o)
{
	return o >= d->before[k] && o < d->before[k] + d->in_dims[k];
}

eng_status_t eng_pad_eval(const eng_run_t *r, const void *data)
{
	const pad_data_t *d = (const pad_data_t *)data;
	const uint8_t *x = (const uint8_t *)eng_cdata(r, d->in);
	uint8_t *y = (uint8_t *)eng_mdata(r, d->out);
	const float zero = 0.0f;
	const int8_t q = (int8_t)d->pad_value;
	size_t es = d->type == ENG_INT8 ? 1 : 4, o = 0;
	const void *pad = d->type == ENG_INT8 ? (const void *)&q : (const void *)&zero;
	int32_t i0, i1, i2, i3;

	for (i0 = 0; i0 < d->out_dims[0]; i0++)
	for (i1 = 0; i1 < d->out_dims[1]; i1++)
	for (i2 = 0; i2 < d->out_dims[2]; i2++)
	for (i3 = 0; i3 < d->out_dims[3]; i3++, o++) {
		if (inside(d, 0, i0) && inside(d, 1, i1) && inside(d, 2, i2) && inside(d, 3, i3)) {
			size_t k = (((size_t)(i0 - d->before[0]) * d->in_dims[1] + (size_t)(i1 - d->before[1])) *
				d->in_dims[2] + (size_t)(i2 - d->before[2])) * d->in_dims[3] +
				(size_t)(i3 - d->before[3]);
			memcpy(y + o * es, x + k * es, es);
		} else {
			memcpy(y + o * es, pad, es);
		}
	}
	return ENG_OK;
}
