/*
 * arena.c - the tail (persistent) allocator. It hands out 4-byte aligned blocks
 * downwards from the arena top. While it fits it returns memory; once it does not (or in
 * a dry run, where there is no arena) it only counts bytes, so the exact requirement is
 * still known at the end. The head (activations) is placed by the planner.
 */
#include "eng_internal.h"

void *eng_tail_alloc(eng_ctx_t *c, uint32_t bytes, uint32_t *off)
{
	uint32_t size = eng_align_up(bytes, ENG_TAIL_ALIGN);

	if (size < bytes || c->tail_bytes + size < c->tail_bytes) {
		c->tail_bytes = 0xfffffff0u;   /* saturate: the caller reports "too large" */
		c->writing = 0;
		*off = 0;
		return NULL;
	}
	c->tail_bytes += size;
	if (!c->writing || c->arena == NULL || c->tail_bytes > c->top) {
		c->writing = 0;
		*off = 0;
		return NULL;
	}
	*off = c->top - c->tail_bytes;
	return c->arena + *off;
}

void eng_tail_persist(eng_ctx_t *c, const void *src, uint32_t bytes, uint32_t *off)
{
	void *dst = eng_tail_alloc(c, bytes, off);
	if (dst)
		memcpy(dst, src, bytes);
}
