/*
 * test_planner.c - memory planner (spec 5.2 lifetimes, 5.3 greedy placement).
 *
 * Hand cases whose offsets follow from the spec's algorithm, a randomized property test
 * (no two simultaneously live buffers overlap; never worse than no reuse; never below the
 * peak live total), and the plans of real models checked through the public API with
 * lifetimes recomputed here from the op list.
 */
#include <stdio.h>
#include <string.h>
#include "engine.h"
#include "planner.h"
#include "fixture_io.h"
#include "mkmodel.h"
#include "tap.h"

static void set(eng_plan_buf_t *b, uint32_t size, int first, int last)
{
	b->size = size;
	b->first = (uint16_t)first;
	b->last = (uint16_t)last;
	b->offset = 0;
}

static void hand_cases(void)
{
	eng_plan_buf_t b[4];
	uint64_t high;

	/* A[0,1] 32, B[1,2] 16, C[2,3] 32: A@0; C not live with A -> 0; B live with both,
	   candidates 0 (A) and 32 (end of A, clear of C) -> 32 */
	set(&b[0], 32, 0, 1);
	set(&b[1], 16, 1, 2);
	set(&b[2], 32, 2, 3);
	high = eng_plan_greedy(b, 3);
	tap_check(b[0].offset == 0 && b[2].offset == 0 && b[1].offset == 32 && high == 48,
		"greedy-reuses-dead-buffer", "offsets %lu %lu %lu high %lu", (unsigned long)b[0].offset,
		(unsigned long)b[1].offset, (unsigned long)b[2].offset, (unsigned long)high);

	/* B(64)[0,0]@0; C(48)[1,3] not live with B -> 0; A(16)[0,3]: 0 and 48 collide, end of
	   B 64 -> 64; D(8)[1,1] live with C and A: 0 collides, 48 is a gap before A -> 48 */
	set(&b[0], 16, 0, 3);
	set(&b[1], 64, 0, 0);
	set(&b[2], 48, 1, 3);
	set(&b[3], 8, 1, 1);
	high = eng_plan_greedy(b, 4);
	tap_check(b[1].offset == 0 && b[2].offset == 0 && b[0].offset == 64 && b[3].offset == 48 &&
		high == 80, "greedy-fills-first-gap", "offsets %lu %lu %lu %lu high %lu",
		(unsigned long)b[0].offset, (unsigned long)b[1].offset, (unsigned long)b[2].offset,
		(unsigned long)b[3].offset, (unsigned long)high);

	/* equal sizes keep index order (stable): both live together -> 0 and 16 */
	set(&b[0], 16, 0, 1);
	set(&b[1], 16, 0, 1);
	high = eng_plan_greedy(b, 2);
	tap_check(b[0].offset == 0 && b[1].offset == 16 && high == 32, "greedy-ties-in-index-order",
		"offsets %lu %lu", (unsigned long)b[0].offset, (unsigned long)b[1].offset);

	set(&b[0], 16, 0, 0);
	set(&b[1], 32, 5, 5);
	set(&b[2], 0, 0, 9);
	high = eng_plan_linear(b, 3);
	tap_check(b[0].offset == 0 && b[1].offset == 16 && b[2].offset == 48 && high == 48,
		"linear-no-reuse", "offsets %lu %lu %lu high %lu", (unsigned long)b[0].offset,
		(unsigned long)b[1].offset, (unsigned long)b[2].offset, (unsigned long)high);
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void random_cases(void)
{
	eng_plan_buf_t b[40];
	uint32_t seed = 12345, round, n, i, a, c, t, ops;
	uint64_t high, lin, peak;
	int bad = 0;
	char detail[160] = "";

	for (round = 0; round < 300 && !bad; round++) {
		n = 1 + lcg(&seed) % 40;
		ops = 1 + lcg(&seed) % 20;
		for (i = 0; i < n; i++) {
			uint32_t f = lcg(&seed) % ops, l = f + lcg(&seed) % (ops - f);
			set(&b[i], 16 * (lcg(&seed) % 64), (int)f, (int)l);
		}
		high = eng_plan_greedy(b, n);
		if (eng_plan_find_overlap(b, n, &a, &c)) {
			snprintf(detail, sizeof detail, "round %lu: buffers %lu and %lu overlap",
				(unsigned long)round, (unsigned long)a, (unsigned long)c);
			bad = 1;
		}
		for (t = 0, peak = 0; t < ops; t++) {
			uint64_t live = 0;
			for (i = 0; i < n; i++)
				live += (b[i].first <= t && t <= b[i].last) ? b[i].size : 0;
			peak = live > peak ? live : peak;
		}
		lin = eng_plan_linear(b, n);
		if (!bad && (high > lin || high < peak)) {
			snprintf(detail, sizeof detail, "round %lu: high %llu, linear %llu, peak %llu",
				(unsigned long)round, (unsigned long long)high, (unsigned long long)lin,
				(unsigned long long)peak);
			bad = 1;
		}
	}
	tap_check(!bad, "greedy-random-300-sets-no-overlap-between-linear-and-peak", "%s", detail);
}

/* Recomputes lifetimes from the op list (spec 5.2) and checks data ranges pairwise. */
static int check_model_plan(eng_interp_t *it, const uint8_t *model, uint8_t *arena, char *detail,
	size_t n)
{
	int first[256], last[256];
	eng_tensor_info_t ti, tj;
	eng_op_info_t op;
	uint32_t i, j, k, nt = eng_tensor_count(it), nops = eng_op_count(it);

	if (nt > 256)
		return snprintf(detail, n, "too many tensors"), 0;
	for (i = 0; i < nt; i++)
		first[i] = last[i] = -1;
	for (i = 0; i < eng_input_count(it); i++) {
		eng_input(it, model, arena, i, &ti);
		first[ti.index] = last[ti.index] = 0;
	}
	for (i = 0; i < nops; i++) {
		eng_op(it, model, i, &op);
		for (k = 0; k < op.n_inputs; k++)
			if (op.inputs[k] >= 0 && first[op.inputs[k]] >= 0)
				last[op.inputs[k]] = (int)i;
		first[op.outputs[0]] = (int)i;
		if (last[op.outputs[0]] < (int)i)
			last[op.outputs[0]] = (int)i;
	}
	for (i = 0; i < eng_output_count(it); i++) {
		eng_output(it, model, arena, i, &ti);
		last[ti.index] = (int)nops - 1;
	}
	for (i = 0; i < nt; i++) {
		if (first[i] < 0)
			continue;
		eng_tensor(it, model, arena, i, &ti);
		if (!ti.data || (uintptr_t)((uint8_t *)ti.data - arena) % 16 != 0)
			return snprintf(detail, n, "tensor %lu has no 16-byte aligned buffer", (unsigned long)i), 0;
		for (j = i + 1; j < nt; j++) {
			const uint8_t *a, *b;
			if (first[j] < 0 || last[i] < first[j] || last[j] < first[i])
				continue;
			eng_tensor(it, model, arena, j, &tj);
			a = (const uint8_t *)ti.data;
			b = (const uint8_t *)tj.data;
			if (a < b + tj.bytes && b < a + ti.bytes)
				return snprintf(detail, n, "tensors %lu [%d,%d] and %lu [%d,%d] overlap",
					(unsigned long)i, first[i], last[i], (unsigned long)j, first[j], last[j]), 0;
		}
	}
	return 1;
}

static void plan_of(const char *name, const fx_buf_t *model, long want_head)
{
	eng_interp_t it;
	fx_buf_t arena = { 0, 0 };
	size_t need = 0;
	char detail[200] = "", label[96];
	int ok;

	snprintf(label, sizeof label, "plan-%s-live-buffers-disjoint", name);
	if (eng_load(&it, model->data, model->size) != ENG_OK ||
		eng_arena_required(&it, model->data, &need) != ENG_OK || fx_alloc(&arena, need) != 0 ||
		eng_allocate(&it, model->data, arena.data, need) != ENG_OK) {
		tap_fail(label, "%s", eng_message(&it));
		fx_free(&arena);
		return;
	}
	ok = check_model_plan(&it, model->data, arena.data, detail, sizeof detail);
	tap_check(ok, label, "%s", detail);
	if (want_head >= 0) {
		snprintf(label, sizeof label, "plan-%s-head-%ld", name, want_head);
		tap_check((long)eng_arena_head(&it) == want_head, label, "head %lu",
			(unsigned long)eng_arena_head(&it));
	}
	fx_free(&arena);
}

static void model_cases(void)
{
	static const char *fixtures[][2] = {
		{ "hello_world_int8", "hello_world/hello_world_int8.tflite" },
		{ "hello_world_float", "hello_world/hello_world_float.tflite" },
		{ "micro_speech", "micro_speech/micro_speech_quantized.tflite" },
		{ "magic_wand", "magic_wand/magic_wand.tflite" },
		{ "simple_add", "simple_add/simple_add_model.tflite" },
		{ "kws_ds_cnn", "kws_ds_cnn/kws_ref_model.tflite" },
	};
	mm_model_t m;
	fx_buf_t model;
	int32_t d[2] = { 1, 64 }, t[6];
	size_t i;

	for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		if (fx_read(fixtures[i][1], &model) != 0) {
			tap_fail(fixtures[i][0], "cannot read %s", fixtures[i][1]);
			continue;
		}
		plan_of(fixtures[i][0], &model, -1);
		fx_free(&model);
	}

	/* chain of three RESHAPEs over 64-byte tensors x0..x3: lifetimes [0,0] [0,1] [1,2]
	   [2,2]; greedy gives x0@0, x1@64, x2@0, x3@64: head 128 */
	mm_init(&m);
	for (i = 0; i < 4; i++)
		t[i] = mm_tensor(&m, 9, 2, d, 1.0f, 0, NULL, 0);
	for (i = 0; i < 3; i++)
		mm_op(&m, 22, 0, 1, &t[i], t[i + 1]);
	mm_io(&m, 1, &t[0], 1, &t[3]);
	mm_build(&m, &model);
	plan_of("reshape-chain", &model, 128);
	fx_free(&model);

	/* a second input first used by op 2 lives from op 0 (spec 5.2): A -> t1 -> t2,
	   ADD(t2, B) -> out. A@0, B@64, t1@128, t2@0, out@128: head 192 */
	mm_init(&m);
	for (i = 0; i < 5; i++)
		t[i] = mm_tensor(&m, 9, 2, d, 1.0f, 0, NULL, 0);   /* A, B, t1, t2, out */
	mm_op(&m, 22, 0, 1, &t[0], t[2]);
	mm_op(&m, 22, 0, 1, &t[2], t[3]);
	mm_op(&m, 0, 0, 2, (const int32_t[]){ t[3], t[1] }, t[4]);
	mm_io(&m, 2, (const int32_t[]){ t[0], t[1] }, 1, &t[4]);
	mm_build(&m, &model);
	plan_of("late-input-lives-from-start", &model, 192);
	fx_free(&model);

	/* an output written by op 0 lives to the end: x0 -> y (output) -> z -> w (output) */
	mm_init(&m);
	for (i = 0; i < 4; i++)
		t[i] = mm_tensor(&m, 9, 2, d, 1.0f, 0, NULL, 0);
	for (i = 0; i < 3; i++)
		mm_op(&m, 22, 0, 1, &t[i], t[i + 1]);
	mm_io(&m, 1, &t[0], 2, (const int32_t[]){ t[1], t[3] });
	mm_build(&m, &model);
	plan_of("early-output-lives-to-end", &model, 192);
	fx_free(&model);
}

int main(void)
{
	hand_cases();
	random_cases();
	model_cases();
	return tap_done();
}
