/*
 * fuzz_engine.c - libFuzzer harness for the loader and the invoke path (issue 12).
 *
 * The fuzz input is the model. It is copied into an exact-size heap buffer (so AddressSanitizer catches a read one byte past the end), loaded, sized by the
 * dry run, allocated (arenas above 4 MB are skipped), then invoked twice with inputs
 * filled from a hash of the model. Any crash, sanitizer report or a refusal without a
 * message is a bug.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"

#define ARENA_CAP (4u << 20)

/* Exactly `size` bytes from malloc (at least 8-byte aligned everywhere we fuzz; the engine
   needs 4), so the sanitizer flags any read past the end. */
static void *exact_copy(const uint8_t *data, size_t size)
{
	void *p = malloc(size ? size : 1);
	if (p && size)
		memcpy(p, data, size);
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eng_interp_t it;
	eng_tensor_info_t in;
	size_t need = 0, b;
	uint32_t i, round, h = 2166136261u;
	void *model = exact_copy(data, size), *arena = NULL;

	if (!model)
		return 0;
	for (b = 0; b < size && b < 256; b++)
		h = (h ^ data[b]) * 16777619u;
	if (eng_load(&it, model, size) != ENG_OK) {
		if (!eng_message(&it)[0])
			abort();   /* every refusal carries a message */
		goto out;
	}
	if (eng_arena_required(&it, model, &need) != ENG_OK || need > ARENA_CAP)
		goto out;
	if (posix_memalign(&arena, 16, need ? need : 16) != 0)
		arena = NULL;
	if (!arena || eng_allocate(&it, model, arena, need) != ENG_OK)
		goto out;
	for (round = 0; round < 2; round++) {
		for (i = 0; i < eng_input_count(&it); i++)
			if (eng_input(&it, model, arena, i, &in) == ENG_OK)
				for (b = 0; b < in.bytes; b++) {
					h = h * 1103515245u + 12345u;
					((uint8_t *)in.data)[b] = (uint8_t)(h >> 16);
				}
		if (eng_invoke(&it, model, arena) != ENG_OK)
			break;
	}
out:
	free(arena);
	free(model);
	return 0;
}
