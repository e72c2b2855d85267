/*
 * fb.c - bounds-checked FlatBuffers primitives (spec 4.1).
 *
 * Layout facts used here: a table starts with an int32 offset back to its vtable
 * (vtable = table - offset); the vtable holds uint16 vtable size, uint16 table size and
 * one uint16 field offset per slot at byte 4 + 2*slot (0 = absent). Offsets to tables,
 * vectors and strings are uint32, relative to where they are stored. A vector starts
 * with a uint32 element count. All arithmetic is done in 64 bits before comparing with
 * the buffer size, so no wrap-around can hide an out-of-range offset.
 */
#include "fb.h"

eng_status_t fb_table_at(const fb_t *b, uint32_t pos, const char *what, fb_table_t *t)
{
	int64_t vt;
	uint32_t vt_size, size;

	ENG_ENSURE(b->it, b->size >= 4 && pos <= b->size - 4, ENG_ERR_MODEL,
		"truncated model: %s table at %lu needs 4 bytes, model is %lu bytes", what,
		(unsigned long)pos, (unsigned long)b->size);
	vt = (int64_t)pos - (int64_t)fb_rd_i32(b->p, pos);
	ENG_ENSURE(b->it, vt >= 0 && vt + 4 <= (int64_t)b->size, ENG_ERR_MODEL,
		"corrupt model: %s vtable at %lld out of range (model is %lu bytes)", what,
		(long long)vt, (unsigned long)b->size);
	vt_size = fb_rd_u16(b->p, (uint32_t)vt);
	size = fb_rd_u16(b->p, (uint32_t)vt + 2);
	ENG_ENSURE(b->it, vt_size >= 4 && (vt_size & 1) == 0 && vt + vt_size <= (int64_t)b->size,
		ENG_ERR_MODEL, "corrupt model: %s vtable at %lld has size %lu (model is %lu bytes)",
		what, (long long)vt, (unsigned long)vt_size, (unsigned long)b->size);
	ENG_ENSURE(b->it, size >= 4 && (uint64_t)pos + size <= b->size, ENG_ERR_MODEL,
		"truncated model: %s table at %lu has size %lu (model is %lu bytes)", what,
		(unsigned long)pos, (unsigned long)size, (unsigned long)b->size);
	t->pos = pos;
	t->vt = (uint32_t)vt;
	t->vt_size = (uint16_t)vt_size;
	t->size = (uint16_t)size;
	return ENG_OK;
}

eng_status_t fb_root(const fb_t *b, fb_table_t *root)
{
	ENG_ENSURE(b->it, b->size >= 8, ENG_ERR_MODEL,
		"truncated model: %lu bytes, a flatbuffer needs at least 8", (unsigned long)b->size);
	return fb_table_at(b, fb_rd_u32(b->p, 0), "Model", root);
}

eng_status_t fb_field(const fb_t *b, const fb_table_t *t, unsigned slot, unsigned width,
	const char *what, uint32_t *pos)
{
	uint32_t entry = 4u + 2u * slot, fo;

	*pos = 0;
	if (entry + 2u > t->vt_size)
		return ENG_OK; /* slot beyond this vtable: absent */
	fo = fb_rd_u16(b->p, t->vt + entry);
	if (fo == 0)
		return ENG_OK;
	ENG_ENSURE(b->it, fo >= 4 && fo + width <= t->size, ENG_ERR_MODEL,
		"corrupt model: %s field at +%lu (%u bytes) outside its %lu-byte table", what,
		(unsigned long)fo, width, (unsigned long)t->size);
	*pos = t->pos + fo;
	return ENG_OK;
}

eng_status_t fb_u8(const fb_t *b, const fb_table_t *t, unsigned slot, uint8_t dflt,
	const char *what, uint8_t *out)
{
	uint32_t pos;
	ENG_CHECK(fb_field(b, t, slot, 1, what, &pos));
	*out = pos ? b->p[pos] : dflt;
	return ENG_OK;
}

eng_status_t fb_i8(const fb_t *b, const fb_table_t *t, unsigned slot, int8_t dflt,
	const char *what, int8_t *out)
{
	uint32_t pos;
	ENG_CHECK(fb_field(b, t, slot, 1, what, &pos));
	*out = pos ? (int8_t)(b->p[pos] >= 128 ? (int)b->p[pos] - 256 : (int)b->p[pos]) : dflt;
	return ENG_OK;
}

eng_status_t fb_i32(const fb_t *b, const fb_table_t *t, unsigned slot, int32_t dflt,
	const char *what, int32_t *out)
{
	uint32_t pos;
	ENG_CHECK(fb_field(b, t, slot, 4, what, &pos));
	*out = pos ? fb_rd_i32(b->p, pos) : dflt;
	return ENG_OK;
}

eng_status_t fb_u32(const fb_t *b, const fb_table_t *t, unsigned slot, uint32_t dflt,
	const char *what, uint32_t *out)
{
	uint32_t pos;
	ENG_CHECK(fb_field(b, t, slot, 4, what, &pos));
	*out = pos ? fb_rd_u32(b->p, pos) : dflt;
	return ENG_OK;
}

eng_status_t fb_f32(const fb_t *b, const fb_table_t *t, unsigned slot, float dflt,
	const char *what, float *out)
{
	uint32_t pos;
	ENG_CHECK(fb_field(b, t, slot, 4, what, &pos));
	*out = pos ? fb_rd_f32(b->p, pos) : dflt;
	return ENG_OK;
}

eng_status_t fb_u64_nonzero(const fb_t *b, const fb_table_t *t, unsigned slot,
	const char *what, int *nonzero)
{
	uint32_t pos;
	ENG_CHECK(fb_field(b, t, slot, 8, what, &pos));
	*nonzero = pos ? (fb_rd_u32(b->p, pos) | fb_rd_u32(b->p, pos + 4)) != 0 : 0;
	return ENG_OK;
}

/* Follows the uint32 offset stored at `at`; the target must start inside the buffer. */
static eng_status_t follow(const fb_t *b, uint32_t at, const char *what, uint32_t *target)
{
	uint64_t t = (uint64_t)at + fb_rd_u32(b->p, at);
	ENG_ENSURE(b->it, t < b->size, ENG_ERR_MODEL,
		"truncated model: %s offset at %lu points to %llu, model is %lu bytes", what,
		(unsigned long)at, (unsigned long long)t, (unsigned long)b->size);
	*target = (uint32_t)t;
	return ENG_OK;
}

eng_status_t fb_table_field(const fb_t *b, const fb_table_t *t, unsigned slot,
	const char *what, fb_table_t *out, int *present)
{
	uint32_t pos, target = 0;

	*present = 0;
	ENG_CHECK(fb_field(b, t, slot, 4, what, &pos));
	if (!pos)
		return ENG_OK;
	ENG_CHECK(follow(b, pos, what, &target));
	ENG_CHECK(fb_table_at(b, target, what, out));
	*present = 1;
	return ENG_OK;
}

eng_status_t fb_vector(const fb_t *b, const fb_table_t *t, unsigned slot,
	uint32_t elem_size, const char *what, fb_vec_t *out)
{
	uint32_t pos, vpos = 0, len;

	out->pos = 0;
	out->len = 0;
	ENG_CHECK(fb_field(b, t, slot, 4, what, &pos));
	if (!pos)
		return ENG_OK;
	ENG_CHECK(follow(b, pos, what, &vpos));
	ENG_ENSURE(b->it, (uint64_t)vpos + 4 <= b->size, ENG_ERR_MODEL,
		"truncated model: %s vector length at %lu beyond model size %lu", what,
		(unsigned long)vpos, (unsigned long)b->size);
	len = fb_rd_u32(b->p, vpos);
	ENG_ENSURE(b->it, (uint64_t)vpos + 4 + (uint64_t)len * elem_size <= b->size,
		ENG_ERR_MODEL,
		"truncated model: %s vector at %lu holds %lu elements of %lu bytes, model is %lu bytes",
		what, (unsigned long)vpos, (unsigned long)len, (unsigned long)elem_size,
		(unsigned long)b->size);
	out->pos = vpos + 4;
	out->len = len;
	return ENG_OK;
}

eng_status_t fb_vec_table(const fb_t *b, const fb_vec_t *v, uint32_t i, const char *what,
	fb_table_t *out)
{
	uint32_t target = 0;

	ENG_ENSURE(b->it, i < v->len, ENG_ERR_MODEL, "%s index %lu out of range (%lu entries)",
		what, (unsigned long)i, (unsigned long)v->len);
	ENG_CHECK(follow(b, v->pos + 4 * i, what, &target));
	return fb_table_at(b, target, what, out);
}
