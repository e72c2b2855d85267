/*
 * model.c - TFLite model verification (eng_model_verify) and tensor/operator descriptors.
 *
 * Interpretation rules from spec 4.4: opcode = max(builtin_code, deprecated_builtin_code);
 * buffer 0 or an empty data vector means a runtime (arena) tensor; external buffers
 * (offset/size) are refused; operator inputs may hold -1; zero points are int64.
 */
#include "model.h"
#include "schema.h"
#include "kernels/kernels.h"

#define TENSOR_EXTERNAL_BUFFER 10u   /* Tensor.external_buffer (schema.fbs, after variant_tensors) */
#define MAX_ELEMENTS 0x7fffffffu

uint32_t eng_type_size(int32_t type)
{
	switch (type) {
	case ENG_UINT8: case ENG_INT8: case ENG_BOOL: return 1;
	case ENG_FLOAT16: case ENG_INT16: case ENG_UINT16: case ENG_BFLOAT16: return 2;
	case ENG_FLOAT32: case ENG_INT32: case ENG_UINT32: return 4;
	case ENG_INT64: case ENG_UINT64: case ENG_FLOAT64: case ENG_COMPLEX64: return 8;
	case ENG_COMPLEX128: return 16;
	default: return 0;   /* STRING, RESOURCE, VARIANT, INT4 (packed) and unknown codes */
	}
}

uint32_t eng_model_print(const uint8_t *model, uint32_t size)
{
	uint32_t h = 2166136261u, i, n = size < 64 ? size : 64;   /* FNV-1a 32-bit */
	for (i = 0; i < n; i++)
		h = (h ^ model[i]) * 16777619u;
	for (i = size - n; i < size; i++)
		h = (h ^ model[i]) * 16777619u;
	return h ^ size;
}

static int zp_fits_int32(const uint8_t *p, uint32_t pos)
{
	uint32_t lo = fb_rd_u32(p, pos), hi = fb_rd_u32(p, pos + 4);
	return (hi == 0 && lo < 0x80000000u) || (hi == 0xffffffffu && lo >= 0x80000000u);
}

static eng_status_t read_quant(const fb_t *b, const fb_table_t *t, eng_tdesc_t *d)
{
	eng_interp_t *it = b->it;
	fb_table_t q;
	fb_vec_t v;
	int present;
	uint8_t details;
	uint32_t i;

	ENG_CHECK(fb_table_field(b, t, TENSOR_QUANTIZATION, "Tensor.quantization", &q, &present));
	if (!present)
		return ENG_OK;
	ENG_CHECK(fb_vector(b, &q, QUANT_SCALE, 4, "QuantizationParameters.scale", &v));
	d->n_scales = v.len;
	d->scales_pos = v.pos;
	if (v.len)
		d->scale = fb_rd_f32(b->p, v.pos);
	ENG_CHECK(fb_vector(b, &q, QUANT_ZERO_POINT, 8, "QuantizationParameters.zero_point", &v));
	ENG_ENSURE(it, v.len == 0 || v.len == d->n_scales, ENG_ERR_MODEL,
		"tensor %lu has %lu zero points for %lu scales", (unsigned long)d->index,
		(unsigned long)v.len, (unsigned long)d->n_scales);
	for (i = 0; i < v.len; i++)
		ENG_ENSURE(it, zp_fits_int32(b->p, v.pos + 8 * i), ENG_ERR_MODEL,
			"tensor %lu zero point %lu does not fit in 32 bits", (unsigned long)d->index,
			(unsigned long)i);
	d->n_zps = v.len;
	d->zps_pos = v.pos;
	if (v.len)
		d->zp = fb_rd_i32(b->p, v.pos);
	ENG_CHECK(fb_u8(b, &q, QUANT_DETAILS_TYPE, 0, "QuantizationParameters.details_type",
		&details));
	ENG_ENSURE(it, details == 0, ENG_ERR_UNSUPPORTED,
		"tensor %lu uses custom quantization details (type %u)", (unsigned long)d->index,
		(unsigned)details);
	return fb_i32(b, &q, QUANT_DIMENSION, 0, "QuantizationParameters.quantized_dimension",
		&d->qdim);
}

static eng_status_t read_buffer(const fb_t *b, eng_tdesc_t *d, uint32_t size)
{
	eng_interp_t *it = b->it;
	fb_vec_t bv = { it->buffers_vec, it->n_buffers }, data;
	fb_table_t buf;
	int external;
	uint32_t align = size < 4 ? size : 4;

	ENG_ENSURE(it, d->buffer < it->n_buffers, ENG_ERR_MODEL,
		"tensor %lu buffer index %lu out of range (%lu buffers)", (unsigned long)d->index,
		(unsigned long)d->buffer, (unsigned long)it->n_buffers);
	if (d->buffer == 0)
		return ENG_OK;   /* buffer 0 is the empty sentinel (spec 4.4) */
	ENG_CHECK(fb_vec_table(b, &bv, d->buffer, "Buffer", &buf));
	ENG_CHECK(fb_u64_nonzero(b, &buf, BUFFER_OFFSET, "Buffer.offset", &external));
	ENG_ENSURE(it, !external, ENG_ERR_UNSUPPORTED,
		"tensor %lu: buffer %lu stores its data outside the flatbuffer (offset/size)",
		(unsigned long)d->index, (unsigned long)d->buffer);
	ENG_CHECK(fb_vector(b, &buf, BUFFER_DATA, 1, "Buffer.data", &data));
	if (data.len == 0)
		return ENG_OK;
	ENG_ENSURE(it, data.len == d->bytes, ENG_ERR_MODEL,
		"tensor %lu needs %lu bytes but buffer %lu holds %lu", (unsigned long)d->index,
		(unsigned long)d->bytes, (unsigned long)d->buffer, (unsigned long)data.len);
	ENG_ENSURE(it, data.pos % align == 0, ENG_ERR_MODEL,
		"tensor %lu data at model offset %lu is not %lu-byte aligned", (unsigned long)d->index,
		(unsigned long)data.pos, (unsigned long)align);
	d->data_pos = data.pos;
	d->data_len = data.len;
	return ENG_OK;
}

eng_status_t eng_model_tensor(const fb_t *b, uint32_t index, eng_tdesc_t *d)
{
	eng_interp_t *it = b->it;
	fb_vec_t tv = { it->tensors_vec, it->n_tensors }, v;
	fb_table_t t;
	uint64_t elems = 1;
	uint32_t i, size, external;
	int8_t type;
	uint8_t variable;

	memset(d, 0, sizeof *d);
	d->index = index;
	ENG_ENSURE(it, index < it->n_tensors, ENG_ERR_MODEL,
		"tensor index %lu out of range (%lu tensors)", (unsigned long)index,
		(unsigned long)it->n_tensors);
	ENG_CHECK(fb_vec_table(b, &tv, index, "Tensor", &t));
	ENG_CHECK(fb_vector(b, &t, TENSOR_SHAPE, 4, "Tensor.shape", &v));
	ENG_ENSURE(it, v.len <= ENG_MAX_DIMS, ENG_ERR_UNSUPPORTED,
		"tensor %lu has rank %lu (max %d)", (unsigned long)index, (unsigned long)v.len,
		ENG_MAX_DIMS);
	d->rank = (uint8_t)v.len;
	for (i = 0; i < v.len; i++) {
		int32_t dim = fb_rd_i32(b->p, v.pos + 4 * i);
		ENG_ENSURE(it, dim >= 0, ENG_ERR_UNSUPPORTED,
			"tensor %lu dimension %lu is %ld (dynamic shapes not supported)",
			(unsigned long)index, (unsigned long)i, (long)dim);
		d->dims[i] = dim;
		elems *= (uint64_t)dim;
		if (elems > MAX_ELEMENTS)
			elems = (uint64_t)MAX_ELEMENTS + 1;   /* saturate; refused below */
	}
	ENG_CHECK(fb_i8(b, &t, TENSOR_TYPE, 0, "Tensor.type", &type));
	d->type = (uint8_t)type;
	size = eng_type_size(type);
	ENG_ENSURE(it, size != 0, ENG_ERR_UNSUPPORTED, "tensor %lu has type %s (%d), not supported",
		(unsigned long)index, eng_type_name(type), (int)type);
	ENG_ENSURE(it, elems * size <= MAX_ELEMENTS, ENG_ERR_UNSUPPORTED,
		"tensor %lu needs %llu bytes (max %lu)", (unsigned long)index,
		(unsigned long long)(elems * size), (unsigned long)MAX_ELEMENTS);
	d->elems = (uint32_t)elems;
	d->bytes = (uint32_t)elems * size;
	ENG_CHECK(fb_vector(b, &t, TENSOR_NAME, 1, "Tensor.name", &v));
	d->name_pos = v.pos;
	d->name_len = v.len;
	ENG_CHECK(fb_u8(b, &t, TENSOR_IS_VARIABLE, 0, "Tensor.is_variable", &variable));
	ENG_ENSURE(it, !variable, ENG_ERR_UNSUPPORTED, "tensor %lu is a variable tensor",
		(unsigned long)index);
	ENG_CHECK(fb_field(b, &t, TENSOR_SPARSITY, 4, "Tensor.sparsity", &i));
	ENG_ENSURE(it, i == 0, ENG_ERR_UNSUPPORTED, "tensor %lu is sparse", (unsigned long)index);
	ENG_CHECK(fb_u32(b, &t, TENSOR_EXTERNAL_BUFFER, 0, "Tensor.external_buffer", &external));
	ENG_ENSURE(it, external == 0, ENG_ERR_UNSUPPORTED,
		"tensor %lu uses external buffer %lu", (unsigned long)index, (unsigned long)external);
	ENG_CHECK(fb_u32(b, &t, TENSOR_BUFFER, 0, "Tensor.buffer", &d->buffer));
	ENG_CHECK(read_buffer(b, d, size));
	return read_quant(b, &t, d);
}

float eng_model_scale(const fb_t *b, const eng_tdesc_t *d, uint32_t channel)
{
	return channel < d->n_scales ? fb_rd_f32(b->p, d->scales_pos + 4 * channel) : 0.0f;
}

int32_t eng_model_zp(const fb_t *b, const eng_tdesc_t *d, uint32_t channel)
{
	return channel < d->n_zps ? fb_rd_i32(b->p, d->zps_pos + 8 * channel) : 0;
}

eng_status_t eng_model_op(const fb_t *b, uint32_t index, eng_opdesc_t *o)
{
	eng_interp_t *it = b->it;
	fb_vec_t ov = { it->ops_vec, it->n_ops }, cv = { it->opcodes_vec, it->n_opcodes };
	fb_table_t t, code;
	uint32_t opcode;
	int8_t deprecated;

	memset(o, 0, sizeof *o);
	o->index = index;
	ENG_ENSURE(it, index < it->n_ops, ENG_ERR_ARGUMENT, "op index %lu out of range (%lu ops)",
		(unsigned long)index, (unsigned long)it->n_ops);
	ENG_CHECK(fb_vec_table(b, &ov, index, "Operator", &t));
	ENG_CHECK(fb_u32(b, &t, OP_OPCODE_INDEX, 0, "Operator.opcode_index", &opcode));
	ENG_ENSURE(it, opcode < it->n_opcodes, ENG_ERR_MODEL,
		"op %lu opcode index %lu out of range (%lu operator codes)", (unsigned long)index,
		(unsigned long)opcode, (unsigned long)it->n_opcodes);
	ENG_CHECK(fb_vec_table(b, &cv, opcode, "OperatorCode", &code));
	ENG_CHECK(fb_i8(b, &code, OPCODE_DEPRECATED_BUILTIN, 0, "OperatorCode.deprecated_builtin_code",
		&deprecated));
	ENG_CHECK(fb_i32(b, &code, OPCODE_BUILTIN, 0, "OperatorCode.builtin_code", &o->builtin));
	if (deprecated > o->builtin)
		o->builtin = deprecated;
	if (o->builtin == OP_CUSTOM) {
		fb_vec_t name;
		ENG_CHECK(fb_vector(b, &code, OPCODE_CUSTOM, 1, "OperatorCode.custom_code", &name));
		return eng_fail(it, ENG_ERR_UNSUPPORTED, "op %lu: custom operator '%.*s' not supported",
			(unsigned long)index, (int)(name.len > 40 ? 40 : name.len),
			(const char *)b->p + name.pos);
	}
	o->kernel = eng_kernel_for(o->builtin);
	ENG_CHECK(fb_vector(b, &t, OP_INPUTS, 4, "Operator.inputs", &o->inputs));
	ENG_CHECK(fb_vector(b, &t, OP_OUTPUTS, 4, "Operator.outputs", &o->outputs));
	ENG_CHECK(fb_u8(b, &t, OP_OPTIONS_TYPE, 0, "Operator.builtin_options_type",
		&o->options_type));
	return fb_table_field(b, &t, OP_OPTIONS, "Operator.builtin_options", &o->options,
		&o->has_options);
}
