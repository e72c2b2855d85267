/*
 * test_api.c - public API behaviour: argument and state errors, dry run, relocation of
 * the model, arena and interpreter struct between calls, tensor and op info, profiling.
 * Model facts (scales, zero points, op lists) come from the fixtures README.
 */
#include <stdio.h>
#include <string.h>
#include "engine.h"
#include "fixture_io.h"
#include "mkmodel.h"
#include "tap.h"

#define HW "hello_world/hello_world_int8.tflite"

typedef struct {
	eng_interp_t it;
	fx_buf_t model, arena;
} rig_t;

static int open_rig(rig_t *r, const char *path)
{
	size_t need;
	memset(r, 0, sizeof *r);
	return fx_read(path, &r->model) == 0 && eng_load(&r->it, r->model.data, r->model.size) == ENG_OK &&
		eng_arena_required(&r->it, r->model.data, &need) == ENG_OK && fx_alloc(&r->arena, need) == 0 &&
		eng_allocate(&r->it, r->model.data, r->arena.data, need) == ENG_OK;
}

static void close_rig(rig_t *r)
{
	fx_free(&r->model);
	fx_free(&r->arena);
}

/* hello_world int8: input -96 gives 89 (fixtures README, upstream case) */
static int hw_case(eng_interp_t *it, const void *model, void *arena)
{
	eng_tensor_info_t in, out;
	if (eng_input(it, model, arena, 0, &in) != ENG_OK || eng_output(it, model, arena, 0, &out) != ENG_OK)
		return -1000;
	*(int8_t *)in.data = -96;
	if (eng_invoke(it, model, arena) != ENG_OK)
		return -1000;
	return *(const int8_t *)out.data;
}

static void argument_and_state_errors(void)
{
	eng_interp_t it;
	fx_buf_t model, odd, small;
	uint8_t *arena;
	eng_status_t s;

	fx_read(HW, &model);
	fx_alloc(&small, 64);
	arena = small.data;
	tap_check(eng_load(NULL, model.data, model.size) == ENG_ERR_ARGUMENT, "load-null-interpreter",
		"%s", "accepted");
	s = eng_load(&it, NULL, 10);
	tap_check(s == ENG_ERR_ARGUMENT && strstr(eng_message(&it), "NULL"), "load-null-model",
		"status %d: %s", (int)s, eng_message(&it));
	fx_alloc(&odd, model.size + 1);
	memcpy(odd.data + 1, model.data, model.size);
	s = eng_load(&it, odd.data + 1, model.size);
	tap_check(s == ENG_ERR_ARGUMENT && strstr(eng_message(&it), "4-byte aligned"),
		"load-misaligned-model", "status %d: %s", (int)s, eng_message(&it));
	fx_free(&odd);
	s = eng_allocate(&it, model.data, arena, 64);
	tap_check(s == ENG_ERR_STATE && strstr(eng_message(&it), "not loaded"), "allocate-before-load",
		"status %d: %s", (int)s, eng_message(&it));
	eng_load(&it, model.data, model.size);
	s = eng_invoke(&it, model.data, arena);
	tap_check(s == ENG_ERR_STATE && strstr(eng_message(&it), "not allocated"), "invoke-before-allocate",
		"status %d: %s", (int)s, eng_message(&it));
	tap_check(eng_arena_used(&it) == 0, "arena-used-zero-before-allocate", "%lu",
		(unsigned long)eng_arena_used(&it));
	s = eng_allocate(&it, model.data, arena, 64);
	tap_check(s == ENG_ERR_ARENA && strstr(eng_message(&it), "got 64"), "allocate-too-small-says-sizes",
		"status %d: %s", (int)s, eng_message(&it));
	s = eng_invoke(&it, model.data, arena);
	tap_check(s == ENG_ERR_STATE, "failed-allocate-leaves-interpreter-unallocated", "status %d", (int)s);
	fx_free(&small);
	fx_free(&model);
}

static void dry_run_and_relocation(void)
{
	rig_t r;
	eng_interp_t copy;
	fx_buf_t arena2, model2, junk;
	size_t need = 0;
	eng_status_t s;

	if (!open_rig(&r, HW)) {
		tap_fail("rig-hello-world", "%s", eng_message(&r.it));
		return;
	}
	eng_arena_required(&r.it, r.model.data, &need);
	tap_check(need == eng_arena_used(&r.it) && need == r.arena.size, "dry-run-equals-arena-used",
		"dry run %lu, used %lu", (unsigned long)need, (unsigned long)eng_arena_used(&r.it));
	tap_check(hw_case(&r.it, r.model.data, r.arena.data) == 89, "hello-world-minus-96-gives-89",
		"%s", eng_message(&r.it));

	/* move everything: arena bytes to a new block, model to a new block, struct copied;
	   the old blocks are freed first, so a kept pointer would be a use after free */
	fx_alloc(&arena2, r.arena.size);
	memcpy(arena2.data, r.arena.data, r.arena.size);
	fx_alloc(&model2, r.model.size);
	memcpy(model2.data, r.model.data, r.model.size);
	memcpy(&copy, &r.it, sizeof copy);
	close_rig(&r);
	tap_check(hw_case(&copy, model2.data, arena2.data) == 89, "runs-after-arena-model-and-struct-move",
		"%s", eng_message(&copy));

	fx_read("micro_speech/micro_speech_quantized.tflite", &junk);
	s = eng_invoke(&copy, junk.data, arena2.data);
	tap_check(s == ENG_ERR_STATE && strstr(eng_message(&copy), "model bytes differ"),
		"rejects-a-different-model", "status %d: %s", (int)s, eng_message(&copy));
	fx_free(&junk);
	fx_alloc(&junk, arena2.size);
	memset(junk.data, 0, junk.size);
	s = eng_invoke(&copy, model2.data, junk.data);
	tap_check(s == ENG_ERR_STATE && strstr(eng_message(&copy), "stamp"), "rejects-a-foreign-arena",
		"status %d: %s", (int)s, eng_message(&copy));
	fx_free(&junk);

	s = eng_invoke_ops(&copy, model2.data, arena2.data, 2, 2);
	tap_check(s == ENG_ERR_ARGUMENT && strstr(eng_message(&copy), "(3 ops)"), "invoke-ops-range-checked",
		"status %d: %s", (int)s, eng_message(&copy));
	fx_free(&model2);
	fx_free(&arena2);
}

static void info_cases(void)
{
	rig_t r;
	eng_tensor_info_t in, out, w;
	eng_op_info_t op;
	/* fixtures README; assigned to float so x87 excess precision cannot leak in */
	const float in_scale = 0.024480115622282028f, out_scale = 0.008290956728160381f;
	static const char *ms_ops[4] = { "RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX" };
	float scale;
	int32_t zp;
	uint32_t i;
	int ok = 1;
	eng_status_t s;

	if (open_rig(&r, HW)) {
		eng_input(&r.it, r.model.data, r.arena.data, 0, &in);
		eng_output(&r.it, r.model.data, r.arena.data, 0, &out);
		tap_check(in.type == ENG_INT8 && in.rank == 2 && in.shape[0] == 1 && in.shape[1] == 1 &&
			in.bytes == 1 && in.scale == in_scale && in.zero_point == -128 &&
			!in.is_constant && in.data != NULL, "input-info-hello-world",
			"type %d rank %lu scale %.9g zp %ld", (int)in.type, (unsigned long)in.rank,
			(double)in.scale, (long)in.zero_point);
		tap_check(out.scale == out_scale && out.zero_point == 5 && out.elements == 1,
			"output-info-hello-world", "scale %.9g zp %ld", (double)out.scale, (long)out.zero_point);
		s = eng_input(&r.it, r.model.data, r.arena.data, 1, &in);
		tap_check(s == ENG_ERR_ARGUMENT && strstr(eng_message(&r.it), "input 1 out of range (1 inputs)"),
			"input-index-checked", "%s", eng_message(&r.it));
	}
	close_rig(&r);

	if (open_rig(&r, "micro_speech/micro_speech_quantized.tflite")) {
		for (i = 0; i < 4; i++) {
			eng_op(&r.it, r.model.data, i, &op);
			ok &= strcmp(op.name, ms_ops[i]) == 0;
		}
		tap_check(ok && eng_op_count(&r.it) == 4, "op-names-micro-speech", "op count %lu",
			(unsigned long)eng_op_count(&r.it));
	}
	close_rig(&r);

	if (open_rig(&r, "kws_ds_cnn/kws_ref_model.tflite")) {
		eng_op(&r.it, r.model.data, 0, &op);   /* CONV_2D: inputs input, filter, bias */
		eng_tensor(&r.it, r.model.data, NULL, (uint32_t)op.inputs[1], &w);
		tap_check(w.is_constant && w.n_scales == 64 && w.quantized_dimension == 0 && w.type == ENG_INT8,
			"per-channel-filter-info", "n_scales %lu qdim %ld", (unsigned long)w.n_scales,
			(long)w.quantized_dimension);
		s = eng_tensor_channel(&r.it, r.model.data, w.index, 63, &scale, &zp);
		tap_check(s == ENG_OK && scale > 0 && zp == 0, "per-channel-scale-63", "%s", eng_message(&r.it));
		s = eng_tensor_channel(&r.it, r.model.data, w.index, 64, &scale, &zp);
		tap_check(s == ENG_ERR_ARGUMENT && strstr(eng_message(&r.it), "channel 64 out of range"),
			"per-channel-index-checked", "%s", eng_message(&r.it));
	}
	close_rig(&r);

	tap_check(strcmp(eng_builtin_name(9), "FULLY_CONNECTED") == 0 &&
		strcmp(eng_builtin_name(114), "QUANTIZE") == 0 &&
		strcmp(eng_builtin_name(161), "RIGHT_SHIFT") == 0 &&
		strcmp(eng_builtin_name(-1), "UNKNOWN_OP") == 0 &&
		strcmp(eng_builtin_name(1000), "UNKNOWN_OP") == 0, "builtin-name-table", "%s",
		eng_builtin_name(161));
}

static uint32_t fake_clock(void *ctx)
{
	uint32_t *t = (uint32_t *)ctx;
	*t += 7;
	return *t;
}

static void profiling(void)
{
	rig_t r;
	uint32_t now = 0xfffffff0u, count = 0, i;   /* starts near wrap-around */
	uint64_t ticks = 0;
	int ok = 1;

	if (!open_rig(&r, HW)) {
		tap_fail("profiling-rig", "%s", eng_message(&r.it));
		return;
	}
	eng_profile_enable(&r.it, fake_clock, &now);
	eng_invoke(&r.it, r.model.data, r.arena.data);
	eng_invoke(&r.it, r.model.data, r.arena.data);
	for (i = 0; i < 3; i++) {
		eng_profile_op(&r.it, r.arena.data, i, &count, &ticks);
		ok &= count == 2 && ticks == 14;
	}
	tap_check(ok, "profile-counts-and-ticks-per-op", "op 2: count %lu ticks %llu",
		(unsigned long)count, (unsigned long long)ticks);
	eng_profile_enable(&r.it, NULL, NULL);
	eng_invoke(&r.it, r.model.data, r.arena.data);
	eng_profile_op(&r.it, r.arena.data, 0, &count, &ticks);
	tap_check(count == 2 && ticks == 14, "profile-off-keeps-counters", "count %lu", (unsigned long)count);
	eng_profile_reset(&r.it, r.arena.data);
	eng_profile_op(&r.it, r.arena.data, 0, &count, &ticks);
	tap_check(count == 0 && ticks == 0, "profile-reset", "count %lu", (unsigned long)count);
	tap_check(eng_profile_op(&r.it, r.arena.data, 3, &count, &ticks) == ENG_ERR_ARGUMENT,
		"profile-op-index-checked", "%s", eng_message(&r.it));
	close_rig(&r);
}

static void messages_carry_numbers(void)
{
	mm_model_t m;
	fx_buf_t model;
	eng_interp_t it;
	int32_t d[2] = { 1, 4 }, t[3];
	eng_status_t s;

	mm_init(&m);
	t[0] = mm_tensor(&m, 9, 2, d, 1.0f, 0, NULL, 0);
	t[1] = mm_tensor(&m, 9, 2, d, 1.0f, 0, NULL, 0);
	t[2] = 57;
	mm_op(&m, 0, 0, 2, (const int32_t[]){ t[0], 57 }, t[1]);
	mm_io(&m, 1, t, 1, &t[1]);
	mm_build(&m, &model);
	s = eng_load(&it, model.data, model.size);
	tap_check(s == ENG_ERR_MODEL && strstr(eng_message(&it), "tensor index 57 out of range (2 tensors)"),
		"message-tensor-index-57-of-2", "status %d: %s", (int)s, eng_message(&it));
	fx_free(&model);
}

int main(void)
{
	argument_and_state_errors();
	dry_run_and_relocation();
	info_cases();
	profiling();
	messages_carry_numbers();
	return tap_done();
}
