/*
 * fully_connected.c - FULLY_CONNECTED, int8 and float32 (spec 3.1).
 *
 * Operands: 0 input (flattened to [batches, depth]), 1 filter [out_depth, depth],
 * 2 bias [out_depth] (optional), output [.., out_depth].
 * int8: acc = sum_d w[o,d] * (x[b,d] - in_zp) + bias[o];
 *       y = clamp(MBQM(acc, mult, shift) + out_zp, act_min, act_max).
 * Per-tensor multiplier: double(float(in_s * w_s)) / double(out_s); per-channel (scale
 * vector longer than 1): double(in_s) * double(w_s[o]) / double(out_s).
 */
#include "kernel_util.h"

typedef struct {
	uint16_t in, filter, bias, out;
	uint8_t type, per_channel, pad[2];
	int32_t batches, depth, out_depth;
	int32_t in_offset, out_offset, act_min, act_max;
	int32_t mult, shift;
	uint32_t pc_off;
	float f_min, f_max;
	int8_t act;
} fc_data_t;

static eng_status_t init(eng_ctx_t *c, const eng_opdesc_t *op, fc_data_t *d)
{
	int8_t format;

	ENG_CHECK(eng_opt_i8(c, op, FC_ACTIVATION, ACT_NONE, &d->act));
	ENG_CHECK(eng_opt_i8(c, op, FC_WEIGHTS_FORMAT, 0, &format));
	ENG_OP_ENSURE(c, format == 0, ENG_ERR_UNSUPPORTED,
		"weights_format %d not supported (DEFAULT only)", format);
	return ENG_OK;
}

static eng_status_t prepare(eng_ctx_t *c, const eng_opdesc_t *op, fc_data_t *d)
{
	eng_tdesc_t in, w, bias, out;

	ENG_CHECK(eng_operand(c, op, 0, 0, 0, &in, &d->in));
	ENG_CHECK(eng_operand(c, op, 0, 1, 0, &w, &d->filter));
	ENG_CHECK(eng_operand(c, op, 0, 2, 1, &bias, &d->bias));
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, &out, &d->out));
	ENG_CHECK(eng_check_rank(c, &w, 2, "filter"));
	ENG_OP_ENSURE(c, out.rank >= 1 && w.dims[0] == eng_dim(&out, -1) && w.dims[0] > 0,
		ENG_ERR_MODEL, "output depth %ld does not match filter rows %ld",
		(long)(out.rank ? eng_dim(&out, -1) : 0), (long)w.dims[0]);
	d->out_depth = w.dims[0];
	d->depth = w.dims[1];
	d->batches = (int32_t)(out.elems / (uint32_t)d->out_depth);
	ENG_OP_ENSURE(c, (uint64_t)d->batches * (uint64_t)d->depth == in.elems, ENG_ERR_MODEL,
		"input has %lu elements, expected %ld batches x %ld", (unsigned long)in.elems,
		(long)d->batches, (long)d->depth);
	d->type = in.type;
	ENG_CHECK(eng_check_weighted(c, &in, &w, &bias, d->bias, &out, (uint32_t)d->out_depth, 0));
	if (in.type == ENG_FLOAT32)
		return eng_act_f32(c, d->act, &d->f_min, &d->f_max);
	d->in_offset = -in.zp;
	d->out_offset = out.zp;
	d->per_channel = w.n_scales > 1;
	if (d->per_channel) {
		ENG_CHECK(eng_per_channel(c, in.scale, &w, out.scale, (uint32_t)d->out_depth,
			&d->pc_off));
	} else {
		float product = in.scale * w.scale;   /* float32 first (GetQuantizedConvolutionMultipler) */
		int shift;
		ENG_CHECK(eng_multiplier(c, (double)product / (double)out.scale, &d->mult, &shift,
			"output"));
		d->shift = shift;
	}
	return eng_act_q8(c, d->act, &out, &d->act_min, &d->act_max);
}

eng_status_t eng_fully_connected_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	fc_data_t d;

	memset(&d, 0, sizeof d);
	ENG_CHECK(init(c, op, &d));
	ENG_CHECK(prepare(c, op, &d));
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

static void eval_int8(const eng_run_t *r, const fc_data_t *d)
{
	const int8_t *x = (const int8_t *)eng_cdata(r, d->in);
	const int8_t *w = (const int8_t *)eng_cdata(r, d->filter);
	const int32_t *bias = d->bias == ENG_NO_TENSOR ? NULL : (const int32_t *)eng_cdata(r, d->bias);
	int8_t *y = (int8_t *)eng_mdata(r, d->out);
	const int32_t *pc_mult = d->per_channel ? eng_pc_mult(r, d->pc_off) : NULL;
	const int8_t *pc_shift = d->per_channel ?
		eng_pc_shift(r, d->pc_off, (uint32_t)d->out_depth) : NULL;
	int32_t b, o, i;

	for (b = 0; b < d->batches; b++) {
		const int8_t *xb = x + (size_t)b * d->depth;
		for (o = 0; o < d->out_depth; o++) {
			const int8_t *wo = w + (size_t)o * d->depth;
			uint32_t sum = 0;   /* int32 accumulator; wraps instead of overflowing */
			for (i = 0; i < d->depth; i++)
				sum += (uint32_t)(wo[i] * (xb[i] + d->in_offset));
			if (bias)
				sum += (uint32_t)bias[o];
			y[(size_t)b * d->out_depth + o] = eng_out_q8(sum, pc_mult ? pc_mult[o] : d->mult,
				pc_shift ? pc_shift[o] : d->shift, d->out_offset, d->act_min, d->act_max);
		}
	}
}

static void eval_float(const eng_run_t *r, const fc_data_t *d)
{
	const float *x = (const float *)eng_cdata(r, d->in);
	const float *w = (const float *)eng_cdata(r, d->filter);
	const float *bias = d->bias == ENG_NO_TENSOR ? NULL : (const float *)eng_cdata(r, d->bias);
	float *y = (float *)eng_mdata(r, d->out);
	int32_t b, o, i;

	for (b = 0; b < d->batches; b++)
		for (o = 0; o < d->out_depth; o++) {
			float total = 0.0f, v;
			for (i = 0; i < d->depth; i++)
				total += x[(size_t)b * d->depth + i] * w[(size_t)o * d->depth + i];
			v = total + (bias ? bias[o] : 0.0f);
			v = v < d->f_min ? d->f_min : v > d->f_max ? d->f_max : v;
			y[(size_t)b * d->out_depth + o] = v;
		}
}

eng_status_t eng_fully_connected_eval(const eng_run_t *r, const void *data)
{
	const fc_data_t *d = (const fc_data_t *)data;

	if (d->type == ENG_INT8)
		eval_int8(r, d);
	else
		eval_float(r, d);
	return ENG_OK;
}
