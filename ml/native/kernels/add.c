/*
 * add.c - ADD, int8 and float32, with broadcasting up to rank 4 (spec 3.8).
 *
 * int8 prepare: left_shift = 20, twice_max = 2 * max(s1, s2);
 *   m1 = s1 / twice_max, m2 = s2 / twice_max, m_out = twice_max / (2^20 * s_out), each
 *   quantized with QuantizeMultiplierSmallerThanOne (shift <= 0).
 * int8 eval: a' = RDbyPOT(SRDHM((x1 - zp1) * 2^20, m1), -shift1), same for b';
 *   y = clamp(RDbyPOT(SRDHM(a' + b', m_out), -shift_out) + zp_out).
 */
#include "kernel_util.h"

#define ADD_LEFT_SHIFT 20   /* int8 inputs (16-bit uses 15) */
#define ADD_RANK 4

typedef struct {
	uint16_t in1, in2, out;
	uint8_t type, broadcast;
	int8_t act, pad_[3];
	uint32_t elems;
	int32_t dims[ADD_RANK], stride1[ADD_RANK], stride2[ADD_RANK];
	int32_t off1, off2, out_offset;
	int32_t m1, s1, m2, s2, mo, so;
	int32_t act_min, act_max;
	float f_min, f_max;
} add_data_t;

/* Output shape and per-input strides (0 along broadcast dimensions), left-padded to 4. */
static eng_status_t broadcast_shape(eng_ctx_t *c, const eng_tdesc_t *a, const eng_tdesc_t *b,
	const eng_tdesc_t *out, add_data_t *d)
{
	int32_t da[ADD_RANK], db[ADD_RANK], sa = 1, sb = 1;
	int i;

	ENG_OP_ENSURE(c, a->rank <= ADD_RANK && b->rank <= ADD_RANK && out->rank <= ADD_RANK,
		ENG_ERR_UNSUPPORTED, "ranks %u, %u -> %u (at most %d supported)", (unsigned)a->rank,
		(unsigned)b->rank, (unsigned)out->rank, ADD_RANK);
	for (i = 0; i < ADD_RANK; i++) {
		int ka = i - (ADD_RANK - a->rank), kb = i - (ADD_RANK - b->rank);
		int ko = i - (ADD_RANK - out->rank);
		da[i] = ka >= 0 ? a->dims[ka] : 1;
		db[i] = kb >= 0 ? b->dims[kb] : 1;
		d->dims[i] = ko >= 0 ? out->dims[ko] : 1;
		ENG_OP_ENSURE(c, (da[i] == d->dims[i] || da[i] == 1) &&
			(db[i] == d->dims[i] || db[i] == 1) &&
			d->dims[i] == (da[i] > db[i] ? da[i] : db[i]), ENG_ERR_MODEL,
			"dimension %d: inputs %ld and %ld do not broadcast to output %ld", i,
			(long)da[i], (long)db[i], (long)d->dims[i]);
	}
	for (i = ADD_RANK - 1; i >= 0; i--) {
		d->stride1[i] = da[i] == 1 ? 0 : sa;
		d->stride2[i] = db[i] == 1 ? 0 : sb;
		sa *= da[i];
		sb *= db[i];
	}
	d->broadcast = a->elems != out->elems || b->elems != out->elems;
	return ENG_OK;
}

static eng_status_t prepare_int8(eng_ctx_t *c, const eng_tdesc_t *a, const eng_tdesc_t *b,
	const eng_tdesc_t *out, add_data_t *d)
{
	double twice_max;
	int shift;

	ENG_CHECK(eng_check_act_q8(c, a, "input 1"));
	ENG_CHECK(eng_check_act_q8(c, b, "input 2"));
	ENG_CHECK(eng_check_act_q8(c, out, "output"));
	d->off1 = -a->zp;
	d->off2 = -b->zp;
	d->out_offset = out->zp;
	twice_max = 2.0 * (double)(a->scale > b->scale ? a->scale : b->scale);
	ENG_CHECK(eng_multiplier(c, (double)a->scale / twice_max, &d->m1, &shift, "input 1"));
	d->s1 = shift;
	ENG_CHECK(eng_multiplier(c, (double)b->scale / twice_max, &d->m2, &shift, "input 2"));
	d->s2 = shift;
	ENG_CHECK(eng_multiplier(c, twice_max / ((double)(1L << ADD_LEFT_SHIFT) * (double)out->scale),
		&d->mo, &shift, "output"));
	d->so = shift;
	ENG_OP_ENSURE(c, d->s1 <= 0 && d->s2 <= 0 && d->so <= 0, ENG_ERR_UNSUPPORTED,
		"multipliers must be below 1 (shifts %ld, %ld, %ld)", (long)d->s1, (long)d->s2,
		(long)d->so);
	return eng_act_q8(c, d->act, out, &d->act_min, &d->act_max);
}

eng_status_t eng_add_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	add_data_t d;
	eng_tdesc_t a, b, out;

	memset(&d, 0, sizeof d);
	ENG_CHECK(eng_opt_i8(c, op, ADD_ACTIVATION, ACT_NONE, &d.act));   /* init */
	ENG_CHECK(eng_operand(c, op, 0, 0, 0, &a, &d.in1));
	ENG_CHECK(eng_operand(c, op, 0, 1, 0, &b, &d.in2));
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, &out, &d.out));
	ENG_OP_ENSURE(c, a.type == out.type && b.type == out.type, ENG_ERR_UNSUPPORTED,
		"input types %s, %s and output type %s differ", eng_type_name(a.type),
		eng_type_name(b.type), eng_type_name(out.type));
	ENG_CHECK(broadcast_shape(c, &a, &b, &out, &d));
	d.elems = out.elems;
	d.type = out.type;
	if (out.type == ENG_FLOAT32)
		ENG_CHECK(eng_act_f32(c, d.act, &d.f_min, &d.f_max));
	else
		ENG_CHECK(prepare_int8(c, &a, &b, &out, &d));
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

static int8_t add_q8(const add_data_t *d, int32_t x1, int32_t x2)
{
	int32_t a = (int32_t)((uint32_t)(x1 + d->off1) << ADD_LEFT_SHIFT);
	int32_t b = (int32_t)((uint32_t)(x2 + d->off2) << ADD_LEFT_SHIFT);
	int32_t sa = eng_rdbypot(eng_srdhm(a, d->m1), -d->s1);
	int32_t sb = eng_rdbypot(eng_srdhm(b, d->m2), -d->s2);
	int32_t raw = eng_rdbypot(eng_srdhm((int32_t)((uint32_t)sa + (uint32_t)sb), d->mo), -d->so);
	raw = (int32_t)((uint32_t)raw + (uint32_t)d->out_offset);
	return (int8_t)(raw < d->act_min ? d->act_min : raw > d->act_max ? d->act_max : raw);
}

static float add_f32(const add_data_t *d, float x1, float x2)
{
	float v = x1 + x2;
	return v < d->f_min ? d->f_min : v > d->f_max ? d->f_max : v;
}

eng_status_t eng_add_eval(const eng_run_t *r, const void *data)
{
	const add_data_t *d = (const add_data_t *)data;
	const void *pa = eng_cdata(r, d->in1), *pb = eng_cdata(r, d->in2);
	void *py = eng_mdata(r, d->out);
	uint32_t i, o = 0;
	int32_t i0, i1, i2, i3;

	if (!d->broadcast) {
		for (i = 0; i < d->elems; i++) {
			if (d->type == ENG_INT8)
				((int8_t *)py)[i] = add_q8(d, ((const int8_t *)pa)[i], ((const int8_t *)pb)[i]);
			else
				((float *)py)[i] = add_f32(d, ((const float *)pa)[i], ((const float *)pb)[i]);
		}
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
		if (d->type == ENG_INT8)
			((int8_t *)py)[o] = add_q8(d, ((const int8_t *)pa)[ka], ((const int8_t *)pb)[kb]);
		else
			((float *)py)[o] = add_f32(d, ((const float *)pa)[ka], ((const float *)pb)[kb]);
	}
	return ENG_OK;
}
