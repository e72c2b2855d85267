/*
 * model_verify.c - whole-model verification at load time.
 *
 * Checks, in order: container (identifier, version, one subgraph), every tensor
 * descriptor (model.c), subgraph inputs/outputs, then every operator: supported builtin,
 * options type, operand counts and indices, and the dataflow (each activation is written
 * by exactly one earlier op or is a model input). After this, the allocation and run
 * paths may rely on every index being in range. Uses no memory beyond the stack.
 */
#include "model.h"
#include "schema.h"
#include "kernels/kernels.h"

#define MAX_INDEX 0xfffeu   /* tensor and op indices are kept in 16 bits */

static int is_model_input(const fb_t *b, int32_t t)
{
	uint32_t i;
	for (i = 0; i < b->it->n_inputs; i++)
		if (fb_rd_i32(b->p, b->it->inputs_vec + 4 * i) == t)
			return 1;
	return 0;
}

/* Index of the op (< before) whose output is t, or -1. Ops have one output (checked). */
static eng_status_t producer(const fb_t *b, int32_t t, uint32_t before, int32_t *op)
{
	eng_opdesc_t o;
	uint32_t j;

	*op = -1;
	for (j = 0; j < before; j++) {
		ENG_CHECK(eng_model_op(b, j, &o));
		if (eng_op_io(b, &o.outputs, 0) == t) {
			*op = (int32_t)j;
			break;
		}
	}
	return ENG_OK;
}

/* A vector of offsets or int32 (4-byte elements) at `slot`: where it starts and its length. */
static eng_status_t vec4(const fb_t *b, const fb_table_t *t, unsigned slot, const char *what,
	uint32_t *pos, uint32_t *len)
{
	fb_vec_t v;

	ENG_CHECK(fb_vector(b, t, slot, 4, what, &v));
	*pos = v.pos;
	*len = v.len;
	return ENG_OK;
}

static eng_status_t check_io_list(const fb_t *b, uint32_t pos, uint32_t n, int inputs)
{
	eng_interp_t *it = b->it;
	eng_tdesc_t d;
	uint32_t i;

	for (i = 0; i < n; i++) {
		int32_t t = fb_rd_i32(b->p, pos + 4 * i);
		ENG_ENSURE(it, t >= 0 && (uint32_t)t < it->n_tensors, ENG_ERR_MODEL,
			"model %s %lu: tensor index %ld out of range (%lu tensors)",
			inputs ? "input" : "output",
			(unsigned long)i, (long)t, (unsigned long)it->n_tensors);
		ENG_CHECK(eng_model_tensor(b, (uint32_t)t, &d));
		ENG_ENSURE(it, !inputs || d.data_len == 0, ENG_ERR_MODEL,
			"model input %lu (tensor %ld) has constant data", (unsigned long)i, (long)t);
	}
	return ENG_OK;
}

static eng_status_t check_op(const fb_t *b, uint32_t i)
{
	eng_interp_t *it = b->it;
	eng_opdesc_t o;
	eng_tdesc_t d;
	const char *name;
	int32_t t, out, in0 = -1, prod;
	uint32_t k;
	uint8_t want;

	ENG_CHECK(eng_model_op(b, i, &o));
	name = eng_builtin_name(o.builtin);
	ENG_ENSURE(it, o.kernel != ENG_K_NONE, ENG_ERR_UNSUPPORTED,
		"op %lu: operator %s (builtin code %ld) not supported", (unsigned long)i, name,
		(long)o.builtin);
	want = eng_kernel_options_type(o.kernel);
	ENG_ENSURE(it, o.options_type == OPTS_NONE || o.options_type == want, ENG_ERR_MODEL,
		"op %lu (%s): builtin options type %u, expected %u", (unsigned long)i, name,
		(unsigned)o.options_type, (unsigned)want);
	ENG_ENSURE(it, o.inputs.len >= 1 && o.inputs.len <= ENG_OP_MAX_IO, ENG_ERR_MODEL,
		"op %lu (%s) has %lu inputs (1 to %d supported)", (unsigned long)i, name,
		(unsigned long)o.inputs.len, ENG_OP_MAX_IO);
	ENG_ENSURE(it, o.outputs.len == 1, ENG_ERR_MODEL, "op %lu (%s) has %lu outputs, expected 1",
		(unsigned long)i, name, (unsigned long)o.outputs.len);

	out = eng_op_io(b, &o.outputs, 0);
	ENG_ENSURE(it, out >= 0 && (uint32_t)out < it->n_tensors, ENG_ERR_MODEL,
		"op %lu (%s): output tensor index %ld out of range (%lu tensors)", (unsigned long)i,
		name, (long)out, (unsigned long)it->n_tensors);
	ENG_CHECK(eng_model_tensor(b, (uint32_t)out, &d));
	ENG_ENSURE(it, d.data_len == 0, ENG_ERR_MODEL,
		"op %lu (%s): output tensor %ld has constant data", (unsigned long)i, name, (long)out);
	ENG_ENSURE(it, !is_model_input(b, out), ENG_ERR_MODEL,
		"op %lu (%s): output tensor %ld is a model input", (unsigned long)i, name, (long)out);
	ENG_CHECK(producer(b, out, i, &prod));
	ENG_ENSURE(it, prod < 0, ENG_ERR_MODEL, "op %lu (%s): output tensor %ld already written by op %ld",
		(unsigned long)i, name, (long)out, (long)prod);

	for (k = 0; k < o.inputs.len; k++) {
		t = eng_op_io(b, &o.inputs, k);
		if (t == -1)
			continue;   /* optional input absent (spec 4.4) */
		ENG_ENSURE(it, t >= 0 && (uint32_t)t < it->n_tensors, ENG_ERR_MODEL,
			"op %lu (%s): input %lu tensor index %ld out of range (%lu tensors)",
			(unsigned long)i, name, (unsigned long)k, (long)t, (unsigned long)it->n_tensors);
		ENG_ENSURE(it, t != out, ENG_ERR_MODEL, "op %lu (%s): tensor %ld is both input and output",
			(unsigned long)i, name, (long)t);
		ENG_CHECK(eng_model_tensor(b, (uint32_t)t, &d));
		if (k == 0)
			in0 = (int32_t)d.type;
		if (d.data_len != 0 || is_model_input(b, t))
			continue;
		ENG_CHECK(producer(b, t, i, &prod));
		ENG_ENSURE(it, prod >= 0, ENG_ERR_MODEL,
			"op %lu (%s): input tensor %ld is not a model input, a constant or an earlier op's output",
			(unsigned long)i, name, (long)t);
	}
	ENG_ENSURE(it, in0 >= 0, ENG_ERR_MODEL, "op %lu (%s): first input is absent", (unsigned long)i,
		name);
	ENG_CHECK(eng_model_tensor(b, (uint32_t)out, &d));
	ENG_ENSURE(it, eng_kernel_types_ok(o.kernel, in0, d.type), ENG_ERR_UNSUPPORTED,
		"op %lu (%s): input type %s, output type %s not supported", (unsigned long)i, name,
		eng_type_name(in0), eng_type_name(d.type));
	return ENG_OK;
}

static eng_status_t check_outputs_written(const fb_t *b)
{
	eng_interp_t *it = b->it;
	eng_tdesc_t d;
	uint32_t i;
	int32_t t, prod;

	for (i = 0; i < it->n_outputs; i++) {
		t = fb_rd_i32(b->p, it->outputs_vec + 4 * i);
		ENG_CHECK(eng_model_tensor(b, (uint32_t)t, &d));
		if (d.data_len != 0 || is_model_input(b, t))
			continue;
		ENG_CHECK(producer(b, t, it->n_ops, &prod));
		ENG_ENSURE(it, prod >= 0, ENG_ERR_MODEL, "model output %lu (tensor %ld) is never written",
			(unsigned long)i, (long)t);
	}
	return ENG_OK;
}

eng_status_t eng_model_verify(eng_interp_t *it, const uint8_t *model, uint32_t size)
{
	fb_t b = { model, size, it };
	fb_table_t root, sg;
	fb_vec_t v;
	uint32_t version, i;

	ENG_CHECK(fb_root(&b, &root));
	ENG_ENSURE(it, memcmp(model + 4, TFL_FILE_IDENTIFIER, 4) == 0, ENG_ERR_MODEL,
		"not a TFLite model: file identifier is %02x %02x %02x %02x, expected 'TFL3'",
		model[4], model[5], model[6], model[7]);
	ENG_CHECK(fb_u32(&b, &root, MODEL_VERSION, 0, "Model.version", &version));
	ENG_ENSURE(it, version == TFL_SCHEMA_VERSION, ENG_ERR_UNSUPPORTED,
		"model schema version %lu not supported (expected %u)", (unsigned long)version,
		TFL_SCHEMA_VERSION);
	ENG_CHECK(vec4(&b, &root, MODEL_OPERATOR_CODES, "Model.operator_codes", &it->opcodes_vec,
		&it->n_opcodes));
	ENG_CHECK(vec4(&b, &root, MODEL_BUFFERS, "Model.buffers", &it->buffers_vec, &it->n_buffers));
	ENG_CHECK(fb_vector(&b, &root, MODEL_SUBGRAPHS, 4, "Model.subgraphs", &v));
	ENG_ENSURE(it, v.len == 1, ENG_ERR_UNSUPPORTED, "model has %lu subgraphs; only 1 supported",
		(unsigned long)v.len);
	ENG_CHECK(fb_vec_table(&b, &v, 0, "SubGraph", &sg));
	ENG_CHECK(vec4(&b, &sg, SUBGRAPH_TENSORS, "SubGraph.tensors", &it->tensors_vec,
		&it->n_tensors));
	ENG_CHECK(vec4(&b, &sg, SUBGRAPH_INPUTS, "SubGraph.inputs", &it->inputs_vec, &it->n_inputs));
	ENG_CHECK(vec4(&b, &sg, SUBGRAPH_OUTPUTS, "SubGraph.outputs", &it->outputs_vec,
		&it->n_outputs));
	ENG_CHECK(vec4(&b, &sg, SUBGRAPH_OPERATORS, "SubGraph.operators", &it->ops_vec, &it->n_ops));

	ENG_ENSURE(it, it->n_tensors <= MAX_INDEX, ENG_ERR_UNSUPPORTED,
		"model has %lu tensors (max %u)", (unsigned long)it->n_tensors, MAX_INDEX);
	ENG_ENSURE(it, it->n_ops >= 1 && it->n_ops <= MAX_INDEX, ENG_ERR_UNSUPPORTED,
		"model has %lu operators (1 to %u supported)", (unsigned long)it->n_ops, MAX_INDEX);
	ENG_ENSURE(it, it->n_outputs >= 1, ENG_ERR_MODEL, "model has no outputs");
	for (i = 0; i < it->n_tensors; i++) {
		eng_tdesc_t d;
		ENG_CHECK(eng_model_tensor(&b, i, &d));
	}
	ENG_CHECK(check_io_list(&b, it->inputs_vec, it->n_inputs, 1));
	ENG_CHECK(check_io_list(&b, it->outputs_vec, it->n_outputs, 0));
	for (i = 0; i < it->n_ops; i++)
		ENG_CHECK(check_op(&b, i));
	return check_outputs_written(&b);
}
