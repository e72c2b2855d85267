/*
 * interpreter.c - lifecycle: load, dry run, allocate, invoke; state and argument checks.
 *
 * Every call that touches the model or the arena receives their pointers again and checks
 * them: alignment, the model fingerprint, and the stamp written at the arena top by
 * eng_allocate. Nothing here keeps a pointer between calls.
 */
#include "eng_internal.h"
#include "kernels/kernels.h"

static int host_supported(void)
{
	uint32_t one = 1;
	uint8_t first;
	memcpy(&first, &one, 1);
	/* Kernels read weights and activations in place: little-endian IEEE-754 float32. */
	return first == 1 && sizeof(float) == 4;
}

static eng_status_t check_model(eng_interp_t *it, const void *model, unsigned state)
{
	if (!it)
		return ENG_ERR_ARGUMENT;
	ENG_ENSURE(it, it->magic == ENG_MAGIC && it->state >= state, ENG_ERR_STATE,
		"interpreter is %s", it->magic != ENG_MAGIC || it->state == ENG_STATE_EMPTY
		? "not loaded" : "not allocated");
	ENG_ENSURE(it, model != NULL, ENG_ERR_ARGUMENT, "model is NULL");
	ENG_ENSURE(it, ((uintptr_t)model & (ENG_MODEL_ALIGN - 1u)) == 0, ENG_ERR_ARGUMENT,
		"model at %p is not %u-byte aligned", model, ENG_MODEL_ALIGN);
	ENG_ENSURE(it, eng_model_print((const uint8_t *)model, it->model_size) == it->model_print,
		ENG_ERR_STATE, "model bytes differ from the %lu-byte model given to eng_load",
		(unsigned long)it->model_size);
	return ENG_OK;
}

static eng_status_t check_arena(eng_interp_t *it, const void *arena)
{
	const uint8_t *a = (const uint8_t *)arena;
	uint32_t stamp[2];

	ENG_ENSURE(it, arena != NULL, ENG_ERR_ARGUMENT, "arena is NULL");
	ENG_ENSURE(it, ((uintptr_t)arena & (ENG_ARENA_ALIGN - 1u)) == 0, ENG_ERR_ARGUMENT,
		"arena at %p is not %u-byte aligned", arena, ENG_ARENA_ALIGN);
	memcpy(stamp, a + it->arena_size - 8, sizeof stamp);
	ENG_ENSURE(it, stamp[0] == ENG_STAMP_MAGIC && stamp[1] == it->stamp, ENG_ERR_STATE,
		"arena does not hold this interpreter's plan (stamp %08lx, expected %08lx)",
		(unsigned long)stamp[1], (unsigned long)it->stamp);
	return ENG_OK;
}

eng_status_t eng_load(eng_interp_t *it, const void *model, size_t model_size)
{
	eng_status_t s;

	if (!it)
		return ENG_ERR_ARGUMENT;
	memset(it, 0, sizeof *it);
	ENG_ENSURE(it, host_supported(), ENG_ERR_UNSUPPORTED,
		"host is not little-endian with 32-bit IEEE floats");
	ENG_ENSURE(it, model != NULL, ENG_ERR_ARGUMENT, "model is NULL");
	ENG_ENSURE(it, ((uintptr_t)model & (ENG_MODEL_ALIGN - 1u)) == 0, ENG_ERR_ARGUMENT,
		"model at %p is not %u-byte aligned", model, ENG_MODEL_ALIGN);
	ENG_ENSURE(it, model_size <= 0x7fffffffu, ENG_ERR_UNSUPPORTED,
		"model is %lu bytes (max 2^31-1)", (unsigned long)model_size);
	s = eng_model_verify(it, (const uint8_t *)model, (uint32_t)model_size);
	if (s != ENG_OK) {
		it->state = ENG_STATE_EMPTY;
		return s;
	}
	it->model_size = (uint32_t)model_size;
	it->model_print = eng_model_print((const uint8_t *)model, (uint32_t)model_size);
	it->magic = ENG_MAGIC;
	it->state = ENG_STATE_LOADED;
	it->msg[0] = 0;
	return ENG_OK;
}

eng_status_t eng_arena_required(eng_interp_t *it, const void *model, size_t *bytes)
{
	uint32_t needed = 0;

	ENG_CHECK(check_model(it, model, ENG_STATE_LOADED));
	ENG_ENSURE(it, bytes != NULL, ENG_ERR_ARGUMENT, "bytes is NULL");
	ENG_CHECK(eng_build_arena(it, (const uint8_t *)model, NULL, 0, &needed));
	*bytes = needed;
	return ENG_OK;
}

eng_status_t eng_allocate(eng_interp_t *it, const void *model, void *arena, size_t arena_size)
{
	uint32_t needed = 0;
	eng_status_t s;

	ENG_CHECK(check_model(it, model, ENG_STATE_LOADED));
	ENG_ENSURE(it, arena != NULL, ENG_ERR_ARGUMENT, "arena is NULL (use eng_arena_required for a dry run)");
	ENG_ENSURE(it, ((uintptr_t)arena & (ENG_ARENA_ALIGN - 1u)) == 0, ENG_ERR_ARGUMENT,
		"arena at %p is not %u-byte aligned", arena, ENG_ARENA_ALIGN);
	it->state = ENG_STATE_LOADED;
	it->arena_used = 0;
	if (arena_size > 0x7ffffff0u)
		arena_size = 0x7ffffff0u;
	s = eng_build_arena(it, (const uint8_t *)model, (uint8_t *)arena, (uint32_t)arena_size,
		&needed);
	if (s != ENG_OK) {
		it->arena_used = 0;
		return s;
	}
	it->state = ENG_STATE_ALLOCATED;
	it->msg[0] = 0;
	return ENG_OK;
}

size_t eng_arena_used(const eng_interp_t *it)
{
	return it && it->state == ENG_STATE_ALLOCATED ? it->arena_used : 0;
}

size_t eng_arena_head(const eng_interp_t *it)
{
	return it && it->state == ENG_STATE_ALLOCATED ? it->head_size : 0;
}

size_t eng_arena_tail(const eng_interp_t *it)
{
	return it && it->state == ENG_STATE_ALLOCATED ? it->tail_size : 0;
}

eng_status_t eng_check_allocated(eng_interp_t *it, const void *model, const void *arena)
{
	ENG_CHECK(check_model(it, model, ENG_STATE_ALLOCATED));
	return check_arena(it, arena);
}

static const char *kernel_name(uint8_t kernel)
{
	switch (kernel) {
	case ENG_K_ADD: return "ADD";
	case ENG_K_AVERAGE_POOL_2D: return "AVERAGE_POOL_2D";
	case ENG_K_CONV_2D: return "CONV_2D";
	case ENG_K_DEPTHWISE_CONV_2D: return "DEPTHWISE_CONV_2D";
	case ENG_K_FULLY_CONNECTED: return "FULLY_CONNECTED";
	case ENG_K_MAX_POOL_2D: return "MAX_POOL_2D";
	case ENG_K_RESHAPE: return "RESHAPE";
	case ENG_K_SOFTMAX: return "SOFTMAX";
	default: return "?";
	}
}

eng_status_t eng_invoke_ops(eng_interp_t *it, const void *model, void *arena, uint32_t first,
	uint32_t count)
{
	uint8_t *a = (uint8_t *)arena;
	const eng_node_t *nodes;
	eng_prof_t *prof;
	eng_run_t r;
	uint32_t i, t0 = 0, dt;
	eng_status_t s;

	ENG_CHECK(eng_check_allocated(it, model, arena));
	ENG_ENSURE(it, first <= it->n_ops && count <= it->n_ops - first, ENG_ERR_ARGUMENT,
		"ops %lu..%lu out of range (%lu ops)", (unsigned long)first,
		(unsigned long)first + count, (unsigned long)it->n_ops);
	r.model = (const uint8_t *)model;
	r.arena = a;
	r.refs = (const uint32_t *)(void *)(a + it->refs_off);
	nodes = (const eng_node_t *)(void *)(a + it->nodes_off);
	prof = (eng_prof_t *)(void *)(a + it->prof_off);
	for (i = first; i < first + count; i++) {
		if (it->clock)
			t0 = it->clock(it->clock_ctx);
		s = eng_kernel_eval(nodes[i].kernel, &r, a + nodes[i].data);
		if (s != ENG_OK)
			return eng_fail(it, s, "op %lu (%s): eval failed", (unsigned long)i,
				kernel_name(nodes[i].kernel));
		if (it->clock) {
			dt = it->clock(it->clock_ctx) - t0;
			prof[i].count++;
			prof[i].ticks_lo += dt;
			if (prof[i].ticks_lo < dt)
				prof[i].ticks_hi++;
		}
	}
	return ENG_OK;
}

eng_status_t eng_invoke(eng_interp_t *it, const void *model, void *arena)
{
	if (!it)
		return ENG_ERR_ARGUMENT;
	return eng_invoke_ops(it, model, arena, 0, it->n_ops);
}
