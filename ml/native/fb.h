/*
 * fb.h - bounds-checked, zero-copy FlatBuffers reader (spec 4.1).
 *
 * Every read goes through a check against the buffer size before it happens; a
 * malformed or truncated buffer yields ENG_ERR_MODEL with the offending numbers.
 * Values are read byte by byte (little-endian), so no alignment is assumed here.
 *
 * Ownership: fb_t borrows the model bytes for the duration of one engine call.
 */
#ifndef ENG_FB_H
#define ENG_FB_H

#include <stdint.h>
#include <string.h>
#include "eng_error.h"

typedef struct {
	const uint8_t *p;   /* model bytes, borrowed */
	uint32_t size;
	eng_interp_t *it;   /* message sink */
} fb_t;

typedef struct {
	uint32_t pos;       /* table start */
	uint32_t vt;        /* vtable start */
	uint16_t vt_size;   /* vtable bytes */
	uint16_t size;      /* table bytes (inline fields) */
} fb_table_t;

typedef struct {
	uint32_t pos;       /* first element, 0 when absent */
	uint32_t len;       /* element count, 0 when absent */
} fb_vec_t;

static inline uint16_t fb_rd_u16(const uint8_t *p, uint32_t o)
{
	return (uint16_t)(p[o] | (p[o + 1] << 8));
}
static inline uint32_t fb_rd_u32(const uint8_t *p, uint32_t o)
{
	return (uint32_t)p[o] | ((uint32_t)p[o + 1] << 8) | ((uint32_t)p[o + 2] << 16) |
		((uint32_t)p[o + 3] << 24);
}
static inline int32_t fb_rd_i32(const uint8_t *p, uint32_t o)
{
	uint32_t u = fb_rd_u32(p, o);
	int32_t v;
	memcpy(&v, &u, sizeof v);
	return v;
}
static inline float fb_rd_f32(const uint8_t *p, uint32_t o)
{
	uint32_t u = fb_rd_u32(p, o);
	float v;
	memcpy(&v, &u, sizeof v);
	return v;
}

/* Root table of the buffer (offset at byte 0). */
eng_status_t fb_root(const fb_t *b, fb_table_t *root);
/* Table at absolute position pos; checks the vtable and the table extent. */
eng_status_t fb_table_at(const fb_t *b, uint32_t pos, const char *what, fb_table_t *t);
/* Absolute position of a scalar field of `width` bytes, 0 when absent (use default). */
eng_status_t fb_field(const fb_t *b, const fb_table_t *t, unsigned slot, unsigned width,
	const char *what, uint32_t *pos);

eng_status_t fb_u8(const fb_t *b, const fb_table_t *t, unsigned slot, uint8_t dflt,
	const char *what, uint8_t *out);
eng_status_t fb_i8(const fb_t *b, const fb_table_t *t, unsigned slot, int8_t dflt,
	const char *what, int8_t *out);
eng_status_t fb_i32(const fb_t *b, const fb_table_t *t, unsigned slot, int32_t dflt,
	const char *what, int32_t *out);
eng_status_t fb_u32(const fb_t *b, const fb_table_t *t, unsigned slot, uint32_t dflt,
	const char *what, uint32_t *out);
eng_status_t fb_f32(const fb_t *b, const fb_table_t *t, unsigned slot, float dflt,
	const char *what, float *out);
/* 64-bit field: reports whether it is non-zero (used to refuse external buffers). */
eng_status_t fb_u64_nonzero(const fb_t *b, const fb_table_t *t, unsigned slot,
	const char *what, int *nonzero);

/* Sub-table through an offset field. *present = 0 when the field is absent. */
eng_status_t fb_table_field(const fb_t *b, const fb_table_t *t, unsigned slot,
	const char *what, fb_table_t *out, int *present);
/* Vector through an offset field; elements of elem_size bytes must fit in the buffer. */
eng_status_t fb_vector(const fb_t *b, const fb_table_t *t, unsigned slot,
	uint32_t elem_size, const char *what, fb_vec_t *out);
/* Element i of a vector of tables. */
eng_status_t fb_vec_table(const fb_t *b, const fb_vec_t *v, uint32_t i, const char *what,
	fb_table_t *out);

#endif
