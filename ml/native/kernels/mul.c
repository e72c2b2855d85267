/*
 * mul.c - MUL, int8 and float32, broadcasting up to rank 4. The spec is silent on MUL:
 * this follows the TFLM reference kernel's source (reference_integer_ops::Mul).
 *
 * int8 prepare: (mult, shift) = QuantizeMultiplier(double(s1) * double(s2) / double(s_out)),
 * activation range as spec 2.6. Eval: y = clamp(out_zp + MBQM((x1 - zp1) * (x2 - zp2))).
 * float32: clamp(x1 * x2) to the fused activation's range.
 */
#include "kernel_util.h"

#define MUL_RANK 4

typedef struct {
	uint16_t in1, in2, out;
	uint8_t type, broadcast;
	uint32_t elems;
	int32_t dims[MUL_RANK], stride1[MUL_RANK], stride2[MUL_RANK];
	int32_t zp1, zp2, out_zp, mult, shift, act_min, act_max;
	float f_min, f_max;
} mul_data_t;

static eng_status_t broadcast_shape(eng_ctx_t *c, const eng_tdesc_t *a, const eng_tdesc_t *b,
	const eng_tdesc_t *out, mul_data_t *d)
{
	int32_t da[MUL_RANK], db[MUL_RANK], sa = 1, sb = 1;
	int i;

	ENG_OP_ENSURE(c, a->rank <= MUL_RANK && b->rank <= MUL_RANK && out->rank <= MUL_RANK,
		ENG_ERR_UNSUPPORTED, "ranks %u, %u -> %u (at most %d supported)", (unsigned)a->rank,
		(unsigned)b->rank, (unsigned)out->rank, MUL_RANK);
	for (i = 0; i < MUL_RANK; i++) {
		int ka = i - (MUL_RANK - a->rank), kb = i - (MUL_RANK - b->rank);
		int ko = i - (MUL_RANK - out->rank);
		da[i] = ka >= 0 ? a->dims[ka] : 1;
		db[i] = kb >= 0 ? b->dims[kb] : 1;
		d->dims[i] = ko >= 0 ? out->dims[ko] : 1;
		ENG_OP_ENSURE(c, (da[i] == d->dims[i] || da[i] == 1) &&
			(db[i] == d->dims[i] || db[i] == 1) &&
			d->dims[i] == (da[i] > db[i] ? da[i] : db[i]), ENG_ERR_MODEL,
			"dimension %d: inputs %ld and %ld do not broadcast to output %ld", i,
			(long)da[i], (long)db[i], (long)d->dims[i]);
	}
	for (i = MUL_RANK - 1; i >= 0; i--) {
		d->stride1[i] = da[i] == 1 ? 0 : sa;
		d->stride2[i] = db[i] == 1 ? 0 : sb;
		sa *= da[i];
		sb *= db[i];
	}
	d->broadcast = a->elems != out->elems || b->elems != out->elems;
	return ENG_OK;
}

eng_status_t eng_mul_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	mul_data_t d;
	eng_tdesc_t a, b, out;
	int8_t act;
	int shift;

	memset(&d, 0, sizeof d);
	ENG_CHECK(eng_opt_i8(c, op, MUL_ACTIVATION, ACT_NONE, &act));   /* init */
	ENG_CHECK(eng_operand(c, op, 0, 0, 0, &a, &d.in1));
	ENG_CHECK(eng_operand(c, op, 0, 1, 0, &b, &d.in2));
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, &out, &d.out));
	ENG_OP_ENSURE(c, a.type == out.type && b.type == out.type, ENG_ERR_UNSUPPORTED,
		"input types %s, %s and output type %s differ", eng_type_name(a.type),
		eng_type_name(b.type), eng_type_name(out.type));
	ENG_CHECK(broadcast_shape(c, &a, &b, &out, &d));
	d.elems = out.elems;
	d.type = out.type;
	if (out.type == ENG_FLOAT32) {
		ENG_CHECK(eng_act_f32(c, act, &d.f_min, &d.f_max));
	} else {
		ENG_CHECK(eng_check_act_q8(c, &a, "input 1"));
		ENG_CHECK(eng_check_act_q8(c, &b, "input 2"));
		ENG_CHECK(eng_check_act_q8(c, &out, "output"));
		d.zp1 = a.zp;
		d.zp2 = b.zp;
		d.out_zp = out.zp;
		ENG_CHECK(eng_multiplier(c, (double)a.scale * (double)b.scale / (double)out.scale,
			&d.mult, &shift, "output"));
		d.shift = shift;
		ENG_CHECK(eng_act_q8(c, act, &out, &d.act_min, &d.act_max));
	}
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

static void mul_one(const mul_data_t *d, const void *pa, size_t ka, const void *pb, size_t kb,
	void *py, size_t o)
{
	if (d->type == ENG_INT8) {
		/* |x - zp| <= 255, so the product fits in int32 */
		int32_t p = ((int32_t)((const int8_t *)pa)[ka] - d->zp1) *
			((int32_t)((const int8_t *)pb)[kb] - d->zp2);
		int32_t v = (int32_t)((uint32_t)d->out_zp + (uint32_t)eng_mbqm(p, d->mult, d->shift));
		((int8_t *)py)[o] = (int8_t)(v < d->act_min ? d->act_min : v > d->act_max ? d->act_max : v);
	} else {
		float v = ((const float *)pa)[ka] * ((const float *)pb)[kb];
		((float *)py)[o] = v < d->f_min ? d->f_min : v > d->f_max ? d->f_max : v;
	}
}

eng_status_t eng_mul_eval(const eng_run_t *r, const void *data)
{
	const mul_data_t *d = (const mul_data_t *)data;
	const void *pa = eng_cdata(r, d->in1), *pb = eng_cdata(r, d->in2);
	void *py = eng_mdata(r, d->out);
	uint32_t i, o = 0;
	int32_t i0, i1, i2, i3;

	if (!d->broadcast) {
		for (i = 0; i < d->elems; i++)
			mul_one(d, pa, i, pb, i, py, i);
		return ENG_OK;
	}
	for (i0 = 0; i0 < d->dims[0]; i0++)
	for (i1 = 0; i1 < d->dims[1]; i1++)
	for (i2 = 0; i2 < d->dims[2]; i2++)
	for (i3 = 0; i3 < d->dims[3]; i3++, o++) {
		size_t ka = (size_t)i0 * d->stride1[0] + (size_t)i1 * d->stride1[1] +
			(size_t)i2 * d->stride1[2] + (size_t)i3 * d->stride1[3];
		size_t kb = (size_t)i0 * d->stride2[0] + (size_t)i1 * d->stride2[1] +
			(size_t)i2 * d->stride2[2] + (size_t)i3 * d->stride2[3];
		mul_one(d, pa, ka, pb, kb, py, o);
	}
	return ENG_OK;
}
