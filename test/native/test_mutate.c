/*
 * test_mutate.c - hostile-model campaign (issue 12): mutated and truncated copies of every
 * fixture. Each copy, in an exact-size buffer (AddressSanitizer sees any read past the end),
 * must load with an error, or load, allocate and invoke (with random inputs) without a
 * crash; under `make test-asan` also without undefined behaviour.
 *
 * Mutations, picked per case from a fixed-seed generator:
 *   - random bit flips (1 to 8 bits) anywhere;
 *   - cuts at random lengths;
 *   - structure-aware, from a walk of the valid flatbuffer: vector counts and uoffsets set
 *     to huge or off-by-one values, tensor types set to wrong or unknown types, shape
 *     dimensions to 0, -1 or huge, buffer and opcode indices out of range, op and model
 *     tensor indices out of range, negative, or cyclic (an op reading its own output or a
 *     later op's output), builtin codes changed to other (supported or not) operators.
 * MUTATE_CASES=N sets the total number of cases (default 2000, spread over the fixtures).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "fixture_io.h"
#include "tap.h"

#define ARENA_CAP (8u << 20)
#define MAX_SITES 8192

static const char *fixtures[][2] = {
	{ "hello_world_int8", "hello_world/hello_world_int8.tflite" },
	{ "hello_world_float", "hello_world/hello_world_float.tflite" },
	{ "micro_speech", "micro_speech/micro_speech_quantized.tflite" },
	{ "magic_wand", "magic_wand/magic_wand.tflite" },
	{ "simple_add", "simple_add/simple_add_model.tflite" },
	{ "kws_ds_cnn", "kws_ds_cnn/kws_ref_model.tflite" },
};

enum { S_COUNT, S_UOFFSET, S_TYPE, S_DIM, S_BUFFER, S_OPCODE, S_OP_INDEX, S_IO_INDEX,
	S_BUILTIN, S_KINDS };

typedef struct {
	uint32_t pos;
	uint8_t kind;
	int32_t self;   /* S_OP_INDEX: the op's output tensor (for cycles) */
} site_t;

typedef struct {
	site_t s[MAX_SITES];
	uint32_t n;
} sites_t;

static uint32_t rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* ---- a minimal walk of a VALID model, collecting mutation sites ---- */

static uint32_t rd32(const uint8_t *p, uint32_t o)
{
	return (uint32_t)p[o] | (uint32_t)p[o + 1] << 8 | (uint32_t)p[o + 2] << 16 |
		(uint32_t)p[o + 3] << 24;
}

static void add(sites_t *st, uint32_t pos, int kind, int32_t self)
{
	if (st->n < MAX_SITES) {
		st->s[st->n].pos = pos;
		st->s[st->n].kind = (uint8_t)kind;
		st->s[st->n].self = self;
		st->n++;
	}
}

/* Position of field `slot` of the table at t, or 0 when absent. */
static uint32_t field(const uint8_t *p, uint32_t t, unsigned slot)
{
	uint32_t vt = t - rd32(p, t);
	uint16_t vsize = (uint16_t)(p[vt] | p[vt + 1] << 8), off;
	if (4 + 2 * slot >= vsize)
		return 0;
	off = (uint16_t)(p[vt + 4 + 2 * slot] | p[vt + 5 + 2 * slot] << 8);
	return off ? t + off : 0;
}

/* Follows the uoffset at field `slot` (recording it and the vector count); 0 if absent. */
static uint32_t vec(const uint8_t *p, uint32_t t, unsigned slot, sites_t *st, uint32_t *len)
{
	uint32_t f = field(p, t, slot), v;
	*len = 0;
	if (!f)
		return 0;
	v = f + rd32(p, f);
	add(st, f, S_UOFFSET, 0);
	add(st, v, S_COUNT, 0);
	*len = rd32(p, v);
	return v + 4;
}

static void walk(const uint8_t *p, sites_t *st)
{
	uint32_t root = rd32(p, 0), n, i, k, sgs, sg, tensors, nt, ops, nops, codes, ncodes, v, nv;

	st->n = 0;
	add(st, 0, S_UOFFSET, 0);
	codes = vec(p, root, 1, st, &ncodes);
	for (i = 0; i < ncodes; i++) {
		uint32_t c = codes + 4 * i + rd32(p, codes + 4 * i), f;
		add(st, codes + 4 * i, S_UOFFSET, 0);
		if ((f = field(p, c, 3)) != 0)
			add(st, f, S_BUILTIN, 0);
		if ((f = field(p, c, 0)) != 0)
			add(st, f, S_TYPE, 0);   /* deprecated_builtin_code: an int8 */
	}
	vec(p, root, 4, st, &n);
	sgs = vec(p, root, 2, st, &n);
	if (!sgs || !n)
		return;
	sg = sgs + rd32(p, sgs);
	tensors = vec(p, sg, 0, st, &nt);
	for (i = 0; i < nt; i++) {
		uint32_t t = tensors + 4 * i + rd32(p, tensors + 4 * i), f;
		add(st, tensors + 4 * i, S_UOFFSET, 0);
		if ((f = field(p, t, 1)) != 0)
			add(st, f, S_TYPE, 0);
		if ((f = field(p, t, 2)) != 0)
			add(st, f, S_BUFFER, 0);
		v = vec(p, t, 0, st, &nv);
		for (k = 0; k < nv; k++)
			add(st, v + 4 * k, S_DIM, 0);
		if ((f = field(p, t, 4)) != 0)
			add(st, f, S_UOFFSET, 0);
	}
	for (k = 1; k <= 2; k++) {
		v = vec(p, sg, k, st, &nv);
		for (i = 0; i < nv; i++)
			add(st, v + 4 * i, S_IO_INDEX, 0);
	}
	ops = vec(p, sg, 3, st, &nops);
	for (i = 0; i < nops; i++) {
		uint32_t o = ops + 4 * i + rd32(p, ops + 4 * i), f, out = 0, nout;
		add(st, ops + 4 * i, S_UOFFSET, 0);
		if ((f = field(p, o, 0)) != 0)
			add(st, f, S_OPCODE, 0);
		v = vec(p, o, 2, st, &nout);
		if (nout)
			out = rd32(p, v);
		add(st, v, S_OP_INDEX, (int32_t)out);
		v = vec(p, o, 1, st, &nv);
		for (k = 0; k < nv; k++)
			add(st, v + 4 * k, S_OP_INDEX, (int32_t)out);
		if ((f = field(p, o, 4)) != 0)
			add(st, f, S_UOFFSET, 0);
	}
}

/* ---- mutations ---- */

static void put32(uint8_t *p, uint32_t o, uint32_t v)
{
	p[o] = (uint8_t)v;
	p[o + 1] = (uint8_t)(v >> 8);
	p[o + 2] = (uint8_t)(v >> 16);
	p[o + 3] = (uint8_t)(v >> 24);
}

static uint32_t hostile32(uint32_t *seed, uint32_t size, uint32_t old)
{
	static const uint32_t vals[] = { 0, 1, 0x7fffffffu, 0x80000000u, 0xffffffffu, 0xfffffffeu,
		0x10000u, 0xffffu, 0x3fffffffu, 0x40000000u };
	switch (rng(seed) % 6) {
	case 0: return vals[rng(seed) % (sizeof vals / sizeof vals[0])];
	case 1: return size + (rng(seed) % 16) - 8;
	case 2: return old + 1;
	case 3: return old - 1;
	case 4: return old ^ (1u << (rng(seed) % 32));
	default: return rng(seed);
	}
}

static void mutate_site(uint8_t *p, uint32_t size, const site_t *s, uint32_t n_tensors,
	uint32_t *seed)
{
	static const uint8_t types[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 200, 255 };
	static const int32_t builtins[] = { 0, 1, 2, 3, 4, 6, 9, 14, 17, 18, 19, 21, 22, 25, 28,
		32, 34, 40, 41, 114, 127, 150, 209, 210, -1, 0x7fffffff };
	uint32_t old = s->pos + 4 <= size ? rd32(p, s->pos) : 0;

	if (s->pos + 4 > size)
		return;
	switch (s->kind) {
	case S_TYPE:
		p[s->pos] = types[rng(seed) % sizeof types];
		break;
	case S_DIM: {
		static const int32_t dims[] = { 0, -1, 2, 3, 65535, 0x7fffffff, -0x7fffffff - 1,
			1 << 16, 1 << 20 };
		put32(p, s->pos, (uint32_t)dims[rng(seed) % (sizeof dims / sizeof dims[0])]);
		break;
	}
	case S_OP_INDEX:
	case S_IO_INDEX: {
		int32_t v;
		switch (rng(seed) % 6) {
		case 0: v = (int32_t)n_tensors + (int32_t)(rng(seed) % 3); break;
		case 1: v = -1 - (int32_t)(rng(seed) % 3); break;
		case 2: v = s->self; break;                          /* reads its own output */
		case 3: v = (int32_t)(rng(seed) % (n_tensors + 1)); break;   /* maybe a later output */
		case 4: v = 0x7fffffff; break;
		default: v = 0xffff; break;
		}
		put32(p, s->pos, (uint32_t)v);
		break;
	}
	case S_BUILTIN:
		put32(p, s->pos, (uint32_t)builtins[rng(seed) % (sizeof builtins / sizeof builtins[0])]);
		break;
	case S_BUFFER:
	case S_OPCODE:
		put32(p, s->pos, rng(seed) % 2 ? old + 1 + rng(seed) % 1000 : hostile32(seed, size, old));
		break;
	default:   /* counts and uoffsets */
		put32(p, s->pos, hostile32(seed, size, old));
		break;
	}
}

/* Load, size, allocate and invoke twice with random inputs. Returns 1 if it ran. */
static int exercise(const uint8_t *bytes, size_t size, uint32_t *seed, char *msg, int *refused_quiet)
{
	eng_interp_t it;
	fx_buf_t model, arena = { 0, 0 };
	eng_tensor_info_t in;
	size_t need = 0, b;
	uint32_t i, round;
	eng_status_t s;
	int ran = 0;

	*refused_quiet = 0;
	fx_alloc(&model, size);
	memcpy(model.data, bytes, size);
	if ((s = eng_load(&it, model.data, model.size)) != ENG_OK)
		goto out;
	if ((s = eng_arena_required(&it, model.data, &need)) != ENG_OK || need > ARENA_CAP)
		goto out;
	fx_alloc(&arena, need);
	if ((s = eng_allocate(&it, model.data, arena.data, need)) != ENG_OK)
		goto out;
	for (round = 0; round < 2; round++) {
		for (i = 0; i < eng_input_count(&it); i++)
			if (eng_input(&it, model.data, arena.data, i, &in) == ENG_OK)
				for (b = 0; b < in.bytes; b++)
					((uint8_t *)in.data)[b] = (uint8_t)rng(seed);
		if ((s = eng_invoke(&it, model.data, arena.data)) != ENG_OK)
			goto out;
	}
	ran = 1;
out:
	if (!ran && eng_message(&it)[0] == 0)
		*refused_quiet = 1;
	snprintf(msg, ENG_MSG_SIZE, "%s", eng_message(&it));
	fx_free(&model);
	fx_free(&arena);
	return ran;
}

static void campaign(const char *name, const fx_buf_t *model, uint32_t cases, uint32_t seed0)
{
	static sites_t st;
	char label[128], msg[ENG_MSG_SIZE], bad[ENG_MSG_SIZE + 96] = "";
	fx_buf_t copy;
	eng_interp_t probe;
	uint32_t seed = seed0, i, ran = 0, kinds[4] = { 0, 0, 0, 0 }, n_tensors;
	int quiet;

	walk(model->data, &st);
	n_tensors = eng_load(&probe, model->data, model->size) == ENG_OK ? eng_tensor_count(&probe) : 0;
	fx_alloc(&copy, model->size);
	for (i = 0; i < cases; i++) {
		uint32_t size = (uint32_t)model->size, k, m = rng(&seed) % 4, n;
		memcpy(copy.data, model->data, model->size);
		kinds[m]++;
		if (m == 0) {            /* bit flips */
			n = 1 + rng(&seed) % 8;
			for (k = 0; k < n; k++)
				copy.data[rng(&seed) % size] ^= (uint8_t)(1u << (rng(&seed) % 8));
		} else if (m == 1) {     /* cut, sometimes after a structural mutation */
			size = rng(&seed) % size;
			if (rng(&seed) % 2 && st.n)
				mutate_site(copy.data, (uint32_t)model->size, &st.s[rng(&seed) % st.n],
					n_tensors, &seed);
		} else {                 /* 1 to 3 structure-aware mutations */
			n = 1 + (m == 3 ? rng(&seed) % 3 : 0);
			for (k = 0; k < n && st.n; k++)
				mutate_site(copy.data, size, &st.s[rng(&seed) % st.n], n_tensors, &seed);
		}
		ran += (uint32_t)exercise(copy.data, size, &seed, msg, &quiet);
		if (quiet && !bad[0])
			snprintf(bad, sizeof bad, "case %lu (seed %lu) refused without a message",
				(unsigned long)i, (unsigned long)seed0);
	}
	fx_free(&copy);
	printf("# %s: %u mutation sites; %lu cases ran, flips %lu, cuts %lu, structural %lu\n",
		name, st.n, (unsigned long)ran, (unsigned long)kinds[0], (unsigned long)kinds[1],
		(unsigned long)(kinds[2] + kinds[3]));
	snprintf(label, sizeof label, "%s-%lu-mutants-refused-or-run", name, (unsigned long)cases);
	tap_check(!bad[0], label, "%s", bad);
}

int main(void)
{
	const char *env = getenv("MUTATE_CASES");
	uint32_t total = env ? (uint32_t)strtoul(env, NULL, 10) : 2000u, per;
	size_t i, nf = sizeof fixtures / sizeof fixtures[0];

	per = (total + (uint32_t)nf - 1) / (uint32_t)nf;
	for (i = 0; i < nf; i++) {
		fx_buf_t m;
		if (fx_read(fixtures[i][1], &m) != 0) {
			tap_check(0, fixtures[i][0], "cannot read %s/%s", fx_dir(), fixtures[i][1]);
			continue;
		}
		campaign(fixtures[i][0], &m, per, 0x9e3779b9u + (uint32_t)i * 7919u);
		fx_free(&m);
	}
	return tap_done();
}
