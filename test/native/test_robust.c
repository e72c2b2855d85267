/*
 * test_robust.c - malformed models never crash the engine and are refused with a clear
 * message. Every fixture is truncated at many lengths (each copy in an exact-size
 * buffer, so AddressSanitizer in `make test-asan` sees any read past the end) and has
 * bytes flipped; a flipped model must either be refused or run to completion. Targeted
 * corruptions check the message names the problem and the numbers.
 * ROBUST_FLIPS=N overrides the number of flipped copies per model (deeper local runs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "fixture_io.h"
#include "mkmodel.h"
#include "tap.h"

#define ARENA_CAP (8u << 20)   /* flipped shapes may ask for absurd arenas: refuse those */

static const char *fixtures[][2] = {
	{ "hello_world_int8", "hello_world/hello_world_int8.tflite" },
	{ "hello_world_float", "hello_world/hello_world_float.tflite" },
	{ "micro_speech", "micro_speech/micro_speech_quantized.tflite" },
	{ "magic_wand", "magic_wand/magic_wand.tflite" },
	{ "simple_add", "simple_add/simple_add_model.tflite" },
	{ "kws_ds_cnn", "kws_ds_cnn/kws_ref_model.tflite" },
};

typedef enum { REFUSED_LOAD, REFUSED_LATER, RAN } outcome_t;

/* Loads, sizes, allocates and (if all of that succeeds) invokes with zero inputs. */
static outcome_t exercise(const uint8_t *bytes, size_t size, eng_status_t *status, char *msg)
{
	eng_interp_t it;
	fx_buf_t model, arena = { 0, 0 };
	eng_tensor_info_t in;
	size_t need = 0;
	uint32_t i;
	outcome_t o = REFUSED_LATER;

	fx_alloc(&model, size);
	memcpy(model.data, bytes, size);
	*status = eng_load(&it, model.data, model.size);
	if (*status != ENG_OK) {
		o = REFUSED_LOAD;
		goto out;
	}
	if ((*status = eng_arena_required(&it, model.data, &need)) != ENG_OK)
		goto out;
	if (need > ARENA_CAP) {
		*status = ENG_ERR_ARENA;
		goto out;
	}
	fx_alloc(&arena, need);
	if ((*status = eng_allocate(&it, model.data, arena.data, need)) != ENG_OK)
		goto out;
	for (i = 0; i < eng_input_count(&it); i++)
		if (eng_input(&it, model.data, arena.data, i, &in) == ENG_OK)
			memset(in.data, 0, in.bytes);
	*status = eng_invoke(&it, model.data, arena.data);
	o = *status == ENG_OK ? RAN : REFUSED_LATER;
out:
	snprintf(msg, ENG_MSG_SIZE, "%s", eng_message(&it));
	fx_free(&model);
	fx_free(&arena);
	return o;
}

static void truncations(const char *name, const fx_buf_t *model)
{
	char label[96], msg[ENG_MSG_SIZE], bad[ENG_MSG_SIZE + 80] = "";
	size_t n, tried = 0, step = model->size > 4096 ? model->size / 400 : 1;
	eng_status_t s;

	for (n = 0; n < model->size; n += (n < 1024 || n + 1024 > model->size) ? 1 : step) {
		outcome_t o = exercise(model->data, n, &s, msg);
		tried++;
		if ((o != REFUSED_LOAD || s != ENG_ERR_MODEL || msg[0] == 0) && !bad[0])
			snprintf(bad, sizeof bad, "length %lu: outcome %d status %d \"%s\"", (unsigned long)n,
				(int)o, (int)s, msg);
	}
	snprintf(label, sizeof label, "%s-truncated-at-%lu-lengths-refused-with-message", name,
		(unsigned long)tried);
	tap_check(!bad[0], label, "%s", bad);
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void flips(const char *name, const fx_buf_t *model, uint32_t count)
{
	char label[96], msg[ENG_MSG_SIZE], bad[ENG_MSG_SIZE + 80] = "";
	fx_buf_t copy;
	uint32_t seed = 2024, i, refused = 0, ran = 0;
	eng_status_t s;

	fx_alloc(&copy, model->size);
	for (i = 0; i < count; i++) {
		uint32_t k, nbytes = 1 + (i % 4 == 3 ? 3 : 0);
		outcome_t o;
		memcpy(copy.data, model->data, model->size);
		for (k = 0; k < nbytes; k++) {
			/* half the flips land in the first or last 1 KB, where tables and vtables are */
			uint32_t pos = lcg(&seed) % (uint32_t)model->size;
			if (i % 2 && model->size > 2048)
				pos = (lcg(&seed) & 1) ? pos % 1024 : (uint32_t)model->size - 1 - pos % 1024;
			copy.data[pos] ^= (uint8_t)(1 + lcg(&seed) % 255);
		}
		o = exercise(copy.data, copy.size, &s, msg);
		if (o == RAN)
			ran++;
		else
			refused++;
		if (o != RAN && msg[0] == 0 && !bad[0])
			snprintf(bad, sizeof bad, "flip %lu refused (status %d) without a message",
				(unsigned long)i, (int)s);
	}
	fx_free(&copy);
	snprintf(label, sizeof label, "%s-%lu-byte-flips-refused-or-run", name, (unsigned long)count);
	tap_check(!bad[0] && refused + ran == count, label, "%s", bad);
}

static void expect(const char *label, const fx_buf_t *m, eng_status_t want, const char *needle)
{
	char msg[ENG_MSG_SIZE];
	eng_status_t s;
	outcome_t o = exercise(m->data, m->size, &s, msg);

	tap_check(o != RAN && s == want && strstr(msg, needle) != NULL, label,
		"outcome %d status %d \"%s\" (want %d \"%s\")", (int)o, (int)s, msg, (int)want, needle);
}

static void targeted(void)
{
	mm_model_t m, base;
	fx_buf_t b;
	int32_t d[2] = { 1, 4 }, t[3];
	static const int8_t four[4] = { 1, 2, 3, 4 };

	mm_init(&base);
	t[0] = mm_tensor(&base, 9, 2, d, 1.0f, 0, NULL, 0);
	t[1] = mm_tensor(&base, 9, 2, d, 1.0f, 0, NULL, 0);
	t[2] = mm_tensor(&base, 9, 2, d, 1.0f, 0, NULL, 0);
	mm_op(&base, 22, 0, 1, &t[0], t[1]);
	mm_op(&base, 22, 0, 1, &t[1], t[2]);
	mm_io(&base, 1, &t[0], 1, &t[2]);

	mm_build(&base, &b);
	b.data[5] = 'X';
	expect("corrupt-identifier", &b, ENG_ERR_MODEL, "not a TFLite model");
	b.data[5] = 'F';
	b.data[0] = 0xf0;
	b.data[1] = 0xff;
	expect("root-offset-past-end", &b, ENG_ERR_MODEL, "Model table at");
	fx_free(&b);

	m = base;
	m.version = 2;
	mm_build(&m, &b);
	expect("schema-version-2", &b, ENG_ERR_UNSUPPORTED, "schema version 2 not supported");
	fx_free(&b);

	m = base;
	m.subgraphs = 2;
	mm_build(&m, &b);
	expect("two-subgraphs", &b, ENG_ERR_UNSUPPORTED, "2 subgraphs");
	fx_free(&b);

	m = base;
	m.tensors[1].dims[1] = -1;
	mm_build(&m, &b);
	expect("negative-dimension", &b, ENG_ERR_UNSUPPORTED, "dimension 1 is -1");
	fx_free(&b);

	m = base;
	m.tensors[1].data = four;
	m.tensors[1].data_len = 3;
	mm_build(&m, &b);
	expect("buffer-size-mismatch", &b, ENG_ERR_MODEL, "needs 4 bytes but buffer 1 holds 3");
	fx_free(&b);

	m = base;
	m.tensors[1].data = four;
	m.tensors[1].data_len = 4;
	mm_build(&m, &b);
	expect("op-writes-constant", &b, ENG_ERR_MODEL, "output tensor 1 has constant data");
	fx_free(&b);

	m = base;
	m.tensors[0].data = four;
	m.tensors[0].data_len = 4;
	mm_build(&m, &b);
	expect("constant-model-input", &b, ENG_ERR_MODEL, "model input 0 (tensor 0) has constant data");
	fx_free(&b);

	m = base;
	m.tensors[1].is_variable = 1;
	mm_build(&m, &b);
	expect("variable-tensor", &b, ENG_ERR_UNSUPPORTED, "tensor 1 is a variable tensor");
	fx_free(&b);

	m = base;
	m.ops[1].in[0] = t[2];
	m.ops[1].out[0] = t[1];
	mm_build(&m, &b);
	expect("tensor-written-twice", &b, ENG_ERR_MODEL, "already written by op 0");
	fx_free(&b);

	m = base;
	m.ops[0].in[0] = t[1];
	m.ops[0].out[0] = t[2];
	m.ops[1].in[0] = t[0];
	m.ops[1].out[0] = t[1];
	mm_build(&m, &b);
	expect("read-before-write", &b, ENG_ERR_MODEL, "not a model input, a constant or an earlier op's output");
	fx_free(&b);

	m = base;
	m.tensors[2].rank = 1;
	m.tensors[2].dims[0] = 3;
	mm_build(&m, &b);
	expect("reshape-size-mismatch-refused-at-allocate", &b, ENG_ERR_MODEL, "op 1 (RESHAPE)");
	fx_free(&b);
}

int main(void)
{
	fx_buf_t model;
	size_t i;
	const char *extra = getenv("ROBUST_FLIPS");   /* deeper local fuzzing: flips per model */
	uint32_t n = extra ? (uint32_t)strtoul(extra, NULL, 10) : 0;

	for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		if (fx_read(fixtures[i][1], &model) != 0) {
			tap_fail(fixtures[i][0], "cannot read %s", fixtures[i][1]);
			continue;
		}
		truncations(fixtures[i][0], &model);
		flips(fixtures[i][0], &model, n ? n : i == 5 ? 200 : 400);
		fx_free(&model);
	}
	targeted();
	return tap_done();
}
