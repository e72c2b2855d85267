/*
 * concatenation.c - CONCATENATION, int8 and float32, 1 to 4 inputs. The spec is silent:
 * this follows the TFLM reference kernel's source, which copies bytes for int8, so every
 * int8 input must carry the output's scale and zero point (enforced, as the converter
 * guarantees). Fused activation must be NONE (as TFLM requires).
 *
 * Axis may be negative (+ rank). Inputs share rank and every dimension but the axis; the
 * output's axis dimension is their sum. Eval: for each outer index, each input's
 * contiguous block of axis * inner elements in turn.
 */
#include "kernel_util.h"

typedef struct {
	uint16_t in[ENG_OP_MAX_IO], out;
	uint8_t n, elem_size;
	uint32_t outer;
	uint32_t block[ENG_OP_MAX_IO];   /* bytes per outer index, per input */
} concat_data_t;

eng_status_t eng_concatenation_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	concat_data_t d;
	eng_tdesc_t in, out;
	int32_t axis;
	int8_t act;
	int64_t sum = 0, outer = 1, inner = 1;
	uint32_t k, i;

	memset(&d, 0, sizeof d);
	ENG_CHECK(eng_opt_i32(c, op, CONCAT_AXIS, 0, &axis));   /* init */
	ENG_CHECK(eng_opt_i8(c, op, CONCAT_ACTIVATION, ACT_NONE, &act));
	ENG_OP_ENSURE(c, act == ACT_NONE, ENG_ERR_UNSUPPORTED, "fused activation %s (%d) not supported",
		eng_act_name(act), act);
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, &out, &d.out));
	ENG_OP_ENSURE(c, out.rank >= 1, ENG_ERR_MODEL, "output is a scalar");
	if (axis < 0)
		axis += (int32_t)out.rank;
	ENG_OP_ENSURE(c, axis >= 0 && axis < (int32_t)out.rank, ENG_ERR_MODEL,
		"axis %ld out of range for rank %u", (long)axis, (unsigned)out.rank);
	ENG_OP_ENSURE(c, out.type == ENG_INT8 || out.type == ENG_FLOAT32, ENG_ERR_UNSUPPORTED,
		"output type %s not supported", eng_type_name(out.type));
	if (out.type == ENG_INT8)
		ENG_CHECK(eng_check_act_q8(c, &out, "output"));
	d.elem_size = (uint8_t)eng_type_size(out.type);
	for (i = 0; i < (uint32_t)axis; i++)
		outer *= out.dims[i];
	for (i = (uint32_t)axis + 1; i < out.rank; i++)
		inner *= out.dims[i];
	d.n = (uint8_t)op->inputs.len;
	for (k = 0; k < d.n; k++) {
		ENG_CHECK(eng_operand(c, op, 0, k, 0, &in, &d.in[k]));
		ENG_CHECK(eng_check_type(c, &in, out.type, "input"));
		ENG_OP_ENSURE(c, in.rank == out.rank, ENG_ERR_MODEL, "input %lu has rank %u, output %u",
			(unsigned long)k, (unsigned)in.rank, (unsigned)out.rank);
		for (i = 0; i < out.rank; i++)
			ENG_OP_ENSURE(c, (int32_t)i == axis || in.dims[i] == out.dims[i], ENG_ERR_MODEL,
				"input %lu dimension %lu is %ld, output %ld", (unsigned long)k,
				(unsigned long)i, (long)in.dims[i], (long)out.dims[i]);
		if (out.type == ENG_INT8) {
			ENG_CHECK(eng_check_act_q8(c, &in, "input"));
			ENG_OP_ENSURE(c, in.scale == out.scale && in.zp == out.zp, ENG_ERR_UNSUPPORTED,
				"input %lu quantization (scale %g, zero point %ld) differs from the output's "
				"(%g, %ld)", (unsigned long)k, (double)in.scale, (long)in.zp,
				(double)out.scale, (long)out.zp);
		}
		sum += in.dims[axis];
		d.block[k] = (uint32_t)((int64_t)in.dims[axis] * inner * d.elem_size);
	}
	ENG_OP_ENSURE(c, sum == out.dims[axis], ENG_ERR_MODEL,
		"inputs sum to %lld along axis %ld, output has %ld", (long long)sum, (long)axis,
		(long)out.dims[axis]);
	d.outer = (uint32_t)outer;
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

eng_status_t eng_concatenation_eval(const eng_run_t *r, const void *data)
{
	const concat_data_t *d = (const concat_data_t *)data;
	uint8_t *y = (uint8_t *)eng_mdata(r, d->out);
	uint32_t o, k;

	for (o = 0; o < d->outer; o++)
		for (k = 0; k < d->n; k++) {
			const uint8_t *x = (const uint8_t *)eng_cdata(r, d->in[k]);
			memcpy(y, x + (size_t)o * d->block[k], d->block[k]);
			y += d->block[k];
		}
	return ENG_OK;
}
