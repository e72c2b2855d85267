/*
 * mean.c - MEAN, int8 and float32, rank up to 4, over any constant set of axes. The spec
 * is silent on MEAN: this follows the TFLM reference source (reference_integer_ops::Mean,
 * the int8 path TFLM takes for the common 4-D, axes {1, 2}, keep_dims case), applied to
 * any axes.
 *
 * int8 prepare: (mult, shift) = QuantizeMultiplier(in_s / out_s).
 * int8 eval, per output: acc = sum(x - in_zp) over the n reduced elements (wrapping);
 *   acc = MBQM(acc, mult, shift); acc = (acc +- n/2) / n (C division: rounds half away
 *   from zero); y = clamp(acc + out_zp).
 * float32: the sum in input order, divided by n.
 * Input 1: constant int32 axes (negative: + rank; repeats allowed). ReducerOptions.keep_dims
 * only shapes the output, whose element count is checked.
 */
#include "kernel_util.h"

#define MEAN_RANK 4

typedef struct {
	uint16_t in, out;
	uint8_t type, pad_[3];
	int32_t dims[MEAN_RANK], stride[MEAN_RANK];
	uint8_t reduced[MEAN_RANK];
	int32_t n, in_zp, out_zp, mult, shift;
} mean_data_t;

eng_status_t eng_mean_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	mean_data_t d;
	eng_tdesc_t in, axes, out;
	uint16_t axes_index;
	int64_t n = 1, kept = 1;
	uint32_t i;
	int32_t s = 1;
	int shift;

	memset(&d, 0, sizeof d);
	ENG_CHECK(eng_operand(c, op, 0, 0, 0, &in, &d.in));
	ENG_CHECK(eng_operand(c, op, 0, 1, 0, &axes, &axes_index));
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, &out, &d.out));
	ENG_CHECK(eng_check_type(c, &out, in.type, "output"));
	ENG_OP_ENSURE(c, in.rank >= 1 && in.rank <= MEAN_RANK, ENG_ERR_UNSUPPORTED,
		"input rank %u (1 to %d supported)", (unsigned)in.rank, MEAN_RANK);
	ENG_CHECK(eng_check_type(c, &axes, ENG_INT32, "axes"));
	ENG_OP_ENSURE(c, axes.data_len != 0 && axes.elems >= 1 && axes.elems <= 16,
		ENG_ERR_UNSUPPORTED, "axes tensor %lu must be constant with 1 to 16 elements",
		(unsigned long)axes.index);
	for (i = 0; i < MEAN_RANK; i++)
		d.dims[i] = 1;
	for (i = 0; i < in.rank; i++)
		d.dims[MEAN_RANK - in.rank + i] = in.dims[i];
	for (i = 0; i < axes.elems; i++) {
		int32_t a = fb_rd_i32(c->fb.p, axes.data_pos + 4 * i);
		if (a < 0)
			a += (int32_t)in.rank;
		ENG_OP_ENSURE(c, a >= 0 && a < (int32_t)in.rank, ENG_ERR_MODEL,
			"axis %ld out of range for rank %u", (long)fb_rd_i32(c->fb.p, axes.data_pos + 4 * i),
			(unsigned)in.rank);
		d.reduced[MEAN_RANK - in.rank + (uint32_t)a] = 1;
	}
	for (i = MEAN_RANK; i-- > 0;) {
		d.stride[i] = s;
		s *= d.dims[i];
		if (d.reduced[i])
			n *= d.dims[i];
		else
			kept *= d.dims[i];
	}
	ENG_OP_ENSURE(c, n >= 1 && kept == (int64_t)out.elems, ENG_ERR_MODEL,
		"output has %lu elements, the reduction gives %lld", (unsigned long)out.elems,
		(long long)kept);
	d.n = (int32_t)n;
	d.type = in.type;
	if (in.type == ENG_INT8) {
		ENG_CHECK(eng_check_act_q8(c, &in, "input"));
		ENG_CHECK(eng_check_act_q8(c, &out, "output"));
		d.in_zp = in.zp;
		d.out_zp = out.zp;
		ENG_CHECK(eng_multiplier(c, (double)in.scale / (double)out.scale, &d.mult, &shift,
			"output"));
		d.shift = shift;
	} else {
		ENG_CHECK(eng_check_type(c, &in, ENG_FLOAT32, "input"));
	}
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

eng_status_t eng_mean_eval(const eng_run_t *r, const void *data)
{
	const mean_data_t *d = (const mean_data_t *)data;
	const void *x = eng_cdata(r, d->in);
	void *y = eng_mdata(r, d->out);
	int32_t o[MEAN_RANK], k[MEAN_RANK], lim[MEAN_RANK], olim[MEAN_RANK];
	size_t out_i = 0;
	int i;

	for (i = 0; i < MEAN_RANK; i++) {
		olim[i] = d->reduced[i] ? 1 : d->dims[i];
		lim[i] = d->reduced[i] ? d->dims[i] : 1;
	}
	for (o[0] = 0; o[0] < olim[0]; o[0]++)
	for (o[1] = 0; o[1] < olim[1]; o[1]++)
	for (o[2] = 0; o[2] < olim[2]; o[2]++)
	for (o[3] = 0; o[3] < olim[3]; o[3]++, out_i++) {
		uint32_t acc = 0;
		float fsum = 0.0f;
		for (k[0] = 0; k[0] < lim[0]; k[0]++)
		for (k[1] = 0; k[1] < lim[1]; k[1]++)
		for (k[2] = 0; k[2] < lim[2]; k[2]++)
		for (k[3] = 0; k[3] < lim[3]; k[3]++) {
			size_t at = 0;
			for (i = 0; i < MEAN_RANK; i++)
				at += (size_t)(o[i] + k[i]) * (size_t)d->stride[i];
			if (d->type == ENG_INT8)
				acc += (uint32_t)((int32_t)((const int8_t *)x)[at] - d->in_zp);
			else
				fsum += ((const float *)x)[at];
		}
		if (d->type == ENG_INT8) {
			int32_t v = eng_mbqm((int32_t)acc, d->mult, d->shift);
			int64_t q = v > 0 ? ((int64_t)v + d->n / 2) / d->n : ((int64_t)v - d->n / 2) / d->n;
			q += d->out_zp;
			((int8_t *)y)[out_i] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
		} else {
			((float *)y)[out_i] = fsum / (float)d->n;
		}
	}
	return ENG_OK;
}
