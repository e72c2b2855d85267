/*
 * reshape.c - RESHAPE (spec 3.6): a byte copy into the output's own buffer. The shape
 * comes from the output tensor; the optional shape input and new_shape are informational.
 */
#include "kernel_util.h"

typedef struct {
	uint16_t in, out;
	uint32_t bytes;
} reshape_data_t;

eng_status_t eng_reshape_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	reshape_data_t d;
	eng_tdesc_t in, out;

	/* init: ReshapeOptions.new_shape carries nothing the copy needs */
	memset(&d, 0, sizeof d);
	ENG_CHECK(eng_operand(c, op, 0, 0, 0, &in, &d.in));
	ENG_CHECK(eng_operand(c, op, 1, 0, 0, &out, &d.out));
	ENG_OP_ENSURE(c, in.type == out.type && in.bytes == out.bytes, ENG_ERR_MODEL,
		"input %s %lu bytes, output %s %lu bytes", eng_type_name(in.type),
		(unsigned long)in.bytes, eng_type_name(out.type), (unsigned long)out.bytes);
	d.bytes = in.bytes;
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

eng_status_t eng_reshape_eval(const eng_run_t *r, const void *data)
{
	const reshape_data_t *d = (const reshape_data_t *)data;
	const void *src = eng_cdata(r, d->in);
	void *dst = eng_mdata(r, d->out);

	if (src != dst)
		memcpy(dst, src, d->bytes);
	return ENG_OK;
}
