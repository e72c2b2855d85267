/*
 * bench.c - speed benchmark of the engine on one model (issue 12; a benchmark, not a test).
 *
 *   tflm_bench MODEL --time [SECONDS]   invokes for about SECONDS (default 1), a fresh random
 *                                       input before every invoke; prints
 *                                       {"invokes": N, "seconds": S, "arenaBytes": A}
 *   tflm_bench MODEL --count N          exactly N invokes with fresh inputs, instruction
 *                                       collection switched on (callgrind client requests)
 *                                       around eng_invoke only; run it under
 *                                       valgrind --tool=callgrind --collect-atstart=no
 * Built with the engine at gcc -O2 and no target flags (ml/native/Makefile: bench).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>
#include "engine.h"

static uint32_t seed = 0x12345678u;

static void fresh_inputs(eng_interp_t *it, const void *model, void *arena)
{
	eng_tensor_info_t in;
	uint32_t i;
	size_t b;

	for (i = 0; i < eng_input_count(it); i++) {
		if (eng_input(it, model, arena, i, &in) != ENG_OK)
			continue;
		if (in.type == ENG_FLOAT32)
			for (b = 0; b < in.elements; b++) {
				seed = seed * 1664525u + 1013904223u;
				((float *)in.data)[b] = (float)((int32_t)(seed >> 8) - (1 << 23)) / (float)(1 << 23);
			}
		else
			for (b = 0; b < in.bytes; b++) {
				seed = seed * 1664525u + 1013904223u;
				((uint8_t *)in.data)[b] = (uint8_t)(seed >> 24);
			}
	}
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	eng_interp_t it;
	FILE *f;
	long size;
	void *model, *arena;
	size_t need;
	double t0, t1, limit = 1.0;
	unsigned long n = 0, count = 0;

	if (argc < 3 || (strcmp(argv[2], "--time") && strcmp(argv[2], "--count"))) {
		fprintf(stderr, "usage: tflm_bench MODEL --time [SECONDS] | --count N\n");
		return 2;
	}
	if (!(f = fopen(argv[1], "rb")) || fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0 ||
		fseek(f, 0, SEEK_SET) || posix_memalign(&model, 16, (size_t)size) ||
		fread(model, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "bench: cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	if (eng_load(&it, model, (size_t)size) != ENG_OK ||
		eng_arena_required(&it, model, &need) != ENG_OK ||
		posix_memalign(&arena, 16, need) || eng_allocate(&it, model, arena, need) != ENG_OK) {
		fprintf(stderr, "bench: %s\n", eng_message(&it));
		return 1;
	}
	if (!strcmp(argv[2], "--count")) {
		count = argc > 3 ? strtoul(argv[3], NULL, 10) : 10;
		for (n = 0; n < count; n++) {
			fresh_inputs(&it, model, arena);
			CALLGRIND_TOGGLE_COLLECT;
			eng_invoke(&it, model, arena);
			CALLGRIND_TOGGLE_COLLECT;
		}
		printf("{\"invokes\": %lu, \"arenaBytes\": %lu}\n", n, (unsigned long)eng_arena_used(&it));
		return 0;
	}
	if (argc > 3)
		limit = atof(argv[3]);
	t0 = now();
	do {
		unsigned long k;
		for (k = 0; k < 16; k++, n++) {
			fresh_inputs(&it, model, arena);
			if (eng_invoke(&it, model, arena) != ENG_OK) {
				fprintf(stderr, "bench: %s\n", eng_message(&it));
				return 1;
			}
		}
		t1 = now();
	} while (t1 - t0 < limit);
	printf("{\"invokes\": %lu, \"seconds\": %.6f, \"arenaBytes\": %lu}\n", n, t1 - t0,
		(unsigned long)eng_arena_used(&it));
	return 0;
}
