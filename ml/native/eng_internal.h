/*
 * eng_internal.h - structures shared by the interpreter and the kernels.
 *
 * Arena layout (all positions are offsets from the arena start, never pointers):
 *
 *   0 ............ head_size      planned activation buffers (16-byte aligned offsets);
 *                                 during eng_allocate the planner's scratch array sits
 *                                 here too, before the plan is committed
 *   (free)
 *   top-tail_size .. top          tail, allocated downwards from top = arena_size & ~3:
 *                                 [op data + per-channel arrays][profile][nodes][refs][stamp]
 *
 * A tensor is reached through refs[t]: bit 31 set -> offset into the model (constant),
 * otherwise -> offset into the arena (activation); ENG_REF_NONE for unused tensors.
 */
#ifndef ENG_INTERNAL_H
#define ENG_INTERNAL_H

#include "model.h"

#define ENG_MAGIC 0x4d4c4654u      /* "TFLM" little-endian: interpreter loaded */
#define ENG_STAMP_MAGIC 0x41524e41u /* "ANRA": first word of the tail stamp */
#define ENG_REF_MODEL 0x80000000u
#define ENG_REF_NONE 0xffffffffu
#define ENG_NO_TENSOR 0xffffu      /* absent optional input in op data */
#define ENG_TAIL_ALIGN 4u

enum { ENG_STATE_EMPTY = 0, ENG_STATE_LOADED = 1, ENG_STATE_ALLOCATED = 2 };

typedef struct {
	uint8_t kernel;     /* eng_kernel_id_t */
	uint8_t pad[3];
	uint32_t data;      /* arena offset of the kernel's op data */
} eng_node_t;

typedef struct {
	uint32_t count;
	uint32_t ticks_lo, ticks_hi;
} eng_prof_t;

/* Allocation-time context: model access, tail allocator, message prefix. */
typedef struct {
	fb_t fb;
	uint8_t *arena;       /* NULL in a dry run */
	uint32_t top;         /* tail grows down from here */
	uint32_t tail_bytes;  /* bytes allocated so far (also counted when not writing) */
	int writing;          /* 0 once the tail stopped fitting, or in a dry run */
	uint32_t op;          /* operator being prepared (for messages) */
	int32_t builtin;
} eng_ctx_t;

/* Run-time context: bases for the refs (re-fetched on every call). */
typedef struct {
	const uint8_t *model;
	uint8_t *arena;
	const uint32_t *refs;
} eng_run_t;

static inline uint32_t eng_align_up(uint32_t v, uint32_t a)
{
	return (v + (a - 1u)) & ~(a - 1u);
}

/* Tail allocation of `bytes` (rounded up to 4). Returns the memory, or NULL when not
   writing (dry run or tail overflow); *off is the arena offset it will have. */
void *eng_tail_alloc(eng_ctx_t *c, uint32_t bytes, uint32_t *off);
/* Copies `bytes` of src into a new tail allocation (or only counts them). */
void eng_tail_persist(eng_ctx_t *c, const void *src, uint32_t bytes, uint32_t *off);

/* allocate.c: builds the tail and plans the head. arena NULL: dry run (only *needed). */
eng_status_t eng_build_arena(eng_interp_t *it, const uint8_t *model, uint8_t *arena,
	uint32_t arena_size, uint32_t *needed);

/* interpreter.c: state, model fingerprint and arena stamp checks for run-time calls. */
eng_status_t eng_check_allocated(eng_interp_t *it, const void *model, const void *arena);

/* Message prefixed with "op N (NAME): ". Returns code. */
eng_status_t eng_op_fail(const eng_ctx_t *c, eng_status_t code, const char *fmt, ...)
	ENG_PRINTF(3, 4);
#define ENG_OP_ENSURE(c, cond, code, ...) \
	do { if (!(cond)) return eng_op_fail((c), (code), __VA_ARGS__); } while (0)

static inline const void *eng_cdata(const eng_run_t *r, uint32_t t)
{
	uint32_t ref = r->refs[t];
	return (ref & ENG_REF_MODEL) ? (const void *)(r->model + (ref & ~ENG_REF_MODEL))
		: (const void *)(r->arena + ref);
}
static inline void *eng_mdata(const eng_run_t *r, uint32_t t)
{
	return r->arena + r->refs[t];   /* outputs are always activations (checked at load) */
}

#endif
