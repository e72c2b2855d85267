/*
 * cli_inspect.c - `tflm_cli inspect`: ops, tensors, quantization, weight bytes and the
 * planned arena, as a readable table or as JSON (--json).
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static void json_string(const char *s, uint32_t n)
{
	uint32_t i;
	putchar('"');
	for (i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void shape_text(const eng_tensor_info_t *t, char *buf, size_t n)
{
	size_t len = 0;
	uint32_t i;
	len += (size_t)snprintf(buf, n, "[");
	for (i = 0; i < t->rank && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%ld", i ? "," : "", (long)t->shape[i]);
	if (len < n)
		snprintf(buf + len, n - len, "]");
}

static void io_list(const int32_t *v, uint32_t n, char *buf, size_t size)
{
	size_t len = 0;
	uint32_t i;
	len += (size_t)snprintf(buf, size, "[");
	for (i = 0; i < n && i < ENG_OP_MAX_IO && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%ld", i ? "," : "", (long)v[i]);
	if (len < size)
		snprintf(buf + len, size - len, "]");
}

static uint64_t weight_bytes(cli_model_t *m, uint32_t *n_const)
{
	eng_tensor_info_t t;
	uint64_t total = 0;
	uint32_t i;

	*n_const = 0;
	for (i = 0; i < eng_tensor_count(&m->it); i++)
		if (eng_tensor(&m->it, m->model, NULL, i, &t) == ENG_OK && t.is_constant) {
			total += t.bytes;
			++*n_const;
		}
	return total;
}

static void table(cli_model_t *m)
{
	eng_op_info_t op;
	eng_tensor_info_t t;
	char a[64], b[64], shape[64];
	uint32_t i, n_const;
	uint64_t w = weight_bytes(m, &n_const);

	printf("model   %s (%lu bytes)\n", m->path, (unsigned long)m->model_size);
	printf("ops     %lu\n", (unsigned long)eng_op_count(&m->it));
	printf("  %-3s %-20s %-16s %-16s %s\n", "#", "op", "inputs", "outputs", "kernel");
	for (i = 0; i < eng_op_count(&m->it); i++) {
		eng_op(&m->it, m->model, i, &op);
		io_list(op.inputs, op.n_inputs, a, sizeof a);
		io_list(op.outputs, op.n_outputs, b, sizeof b);
		printf("  %-3lu %-20s %-16s %-16s %s\n", (unsigned long)i, op.name, a, b,
			op.fixture_verified ? "fixture-verified" : "spec-tested");
	}
	printf("tensors %lu\n", (unsigned long)eng_tensor_count(&m->it));
	printf("  %-3s %-8s %-16s %8s %-8s %-28s %s\n", "#", "type", "shape", "bytes", "kind",
		"quantization", "name");
	for (i = 0; i < eng_tensor_count(&m->it); i++) {
		char q[64] = "-";
		eng_tensor(&m->it, m->model, m->arena, i, &t);
		shape_text(&t, shape, sizeof shape);
		if (t.n_scales == 1)
			snprintf(q, sizeof q, "s=%.9g zp=%ld", (double)t.scale, (long)t.zero_point);
		else if (t.n_scales > 1)
			snprintf(q, sizeof q, "%lu scales (axis %ld)", (unsigned long)t.n_scales,
				(long)t.quantized_dimension);
		printf("  %-3lu %-8s %-16s %8lu %-8s %-28s %.*s\n", (unsigned long)i, eng_type_name(t.type),
			shape, (unsigned long)t.bytes, t.is_constant ? "const" : t.data ? "arena" : "unused", q,
			(int)(t.name_len > 48 ? 48 : t.name_len), t.name);
	}
	printf("inputs ");
	for (i = 0; i < eng_input_count(&m->it); i++) {
		eng_input(&m->it, m->model, m->arena, i, &t);
		printf(" %lu", (unsigned long)t.index);
	}
	printf("\noutputs");
	for (i = 0; i < eng_output_count(&m->it); i++) {
		eng_output(&m->it, m->model, m->arena, i, &t);
		printf(" %lu", (unsigned long)t.index);
	}
	printf("\nweights %llu bytes in %lu constant tensors (read in place from the model)\n",
		(unsigned long long)w, (unsigned long)n_const);
	printf("arena   %lu bytes = %lu activations (greedy plan) + %lu persistent\n",
		(unsigned long)eng_arena_used(&m->it), (unsigned long)eng_arena_head(&m->it),
		(unsigned long)eng_arena_tail(&m->it));
}

static void json(cli_model_t *m)
{
	eng_op_info_t op;
	eng_tensor_info_t t;
	uint32_t i, k, n_const;
	uint64_t w = weight_bytes(m, &n_const);

	printf("{\n  \"model\": ");
	json_string(m->path, (uint32_t)strlen(m->path));
	printf(",\n  \"bytes\": %lu,\n  \"ops\": [", (unsigned long)m->model_size);
	for (i = 0; i < eng_op_count(&m->it); i++) {
		eng_op(&m->it, m->model, i, &op);
		printf("%s\n    {\"index\": %lu, \"op\": \"%s\", \"builtin\": %ld, \"inputs\": [",
			i ? "," : "", (unsigned long)i, op.name, (long)op.builtin);
		for (k = 0; k < op.n_inputs && k < ENG_OP_MAX_IO; k++)
			printf("%s%ld", k ? ", " : "", (long)op.inputs[k]);
		printf("], \"outputs\": [");
		for (k = 0; k < op.n_outputs && k < ENG_OP_MAX_IO; k++)
			printf("%s%ld", k ? ", " : "", (long)op.outputs[k]);
		printf("], \"kernel\": \"%s\"}", op.fixture_verified ? "fixture-verified" : "spec-tested");
	}
	printf("\n  ],\n  \"tensors\": [");
	for (i = 0; i < eng_tensor_count(&m->it); i++) {
		eng_tensor(&m->it, m->model, m->arena, i, &t);
		printf("%s\n    {\"index\": %lu, \"name\": ", i ? "," : "", (unsigned long)i);
		json_string(t.name, t.name_len);
		printf(", \"type\": \"%s\", \"shape\": [", eng_type_name(t.type));
		for (k = 0; k < t.rank; k++)
			printf("%s%ld", k ? ", " : "", (long)t.shape[k]);
		printf("], \"bytes\": %lu, \"constant\": %s", (unsigned long)t.bytes,
			t.is_constant ? "true" : "false");
		if (t.n_scales >= 1)
			printf(", \"scale\": %.9g, \"zero_point\": %ld, \"scales\": %lu, \"quantized_dimension\": %ld",
				(double)t.scale, (long)t.zero_point, (unsigned long)t.n_scales,
				(long)t.quantized_dimension);
		if (!t.is_constant && t.data)
			printf(", \"arena_offset\": %lu", (unsigned long)((uint8_t *)t.data - m->arena));
		printf("}");
	}
	printf("\n  ],\n  \"inputs\": [");
	for (i = 0; i < eng_input_count(&m->it); i++) {
		eng_input(&m->it, m->model, m->arena, i, &t);
		printf("%s%lu", i ? ", " : "", (unsigned long)t.index);
	}
	printf("],\n  \"outputs\": [");
	for (i = 0; i < eng_output_count(&m->it); i++) {
		eng_output(&m->it, m->model, m->arena, i, &t);
		printf("%s%lu", i ? ", " : "", (unsigned long)t.index);
	}
	printf("],\n  \"weight_bytes\": %llu,\n  \"constant_tensors\": %lu,\n",
		(unsigned long long)w, (unsigned long)n_const);
	printf("  \"arena\": {\"used\": %lu, \"activations\": %lu, \"persistent\": %lu}\n}\n",
		(unsigned long)eng_arena_used(&m->it), (unsigned long)eng_arena_head(&m->it),
		(unsigned long)eng_arena_tail(&m->it));
}

int cli_inspect(cli_model_t *m, int as_json)
{
	if (as_json)
		json(m);
	else
		table(m);
	return 0;
}
