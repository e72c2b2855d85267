/*
 * allocate.c - builds the arena: tail structures, kernel init/prepare, activation plan.
 *
 * One routine serves both eng_allocate and the dry run (eng_arena_required): with no
 * arena, or once the tail stops fitting, the tail allocator only counts, kernels skip
 * their writes, and the exact requirement is still computed.
 *
 * Requirement = tail + head, where head is the greedy plan's high-water mark. The
 * planner needs 12 bytes per activation buffer of scratch: it uses free arena space when
 * there is some, otherwise a stack array of ENG_DRY_RUN_MAX_BUFFERS entries. Models with
 * more buffers than that must also leave room for the scratch in the arena, so for them
 * the requirement is tail + max(head, scratch). Either way an arena of exactly the
 * reported size works.
 */
#include "eng_internal.h"
#include "planner.h"
#include "kernels/kernels.h"

#define STACK_BUFFERS ENG_DRY_RUN_MAX_BUFFERS
#define MAX_ARENA 0x7ffffff0u

typedef struct {
	eng_ctx_t c;
	uint32_t n_in;         /* distinct model inputs: plan entries [0, n_in) */
	uint32_t n;            /* plan entries: n_in + one per op output */
	uint32_t tail;
	uint32_t refs_off, nodes_off, prof_off;
	uint32_t *refs;
	uint32_t *stamp;
	uint32_t needed, head;
} build_t;

static int32_t model_input(const fb_t *b, uint32_t i)
{
	return fb_rd_i32(b->p, b->it->inputs_vec + 4 * i);
}

static int seen_before(const fb_t *b, uint32_t i)
{
	uint32_t j;
	for (j = 0; j < i; j++)
		if (model_input(b, j) == model_input(b, i))
			return 1;
	return 0;
}

/* Tensor of plan entry k: the k-th distinct model input, then op outputs in op order. */
static eng_status_t entry_tensor(const build_t *s, uint32_t k, int32_t *t)
{
	const fb_t *b = &s->c.fb;
	eng_opdesc_t o;
	uint32_t i, seen = 0;

	if (k >= s->n_in) {
		ENG_CHECK(eng_model_op(b, k - s->n_in, &o));
		*t = eng_op_io(b, &o.outputs, 0);
		return ENG_OK;
	}
	for (i = 0; i < b->it->n_inputs; i++)
		if (!seen_before(b, i) && seen++ == k)
			break;
	*t = model_input(b, i);
	return ENG_OK;
}

/* Sizes and lifetimes (spec 5.2) of every plan entry. */
static eng_status_t fill_plan(const build_t *s, eng_plan_buf_t *ws)
{
	const fb_t *b = &s->c.fb;
	const eng_interp_t *it = b->it;
	eng_opdesc_t o;
	eng_tdesc_t d;
	uint32_t k, j, q;
	int32_t t;

	for (k = 0; k < s->n; k++) {
		ENG_CHECK(entry_tensor(s, k, &t));
		ENG_CHECK(eng_model_tensor(b, (uint32_t)t, &d));
		ws[k].size = eng_align_up(d.bytes, ENG_BUFFER_ALIGN);
		ws[k].first = (uint16_t)(k < s->n_in ? 0 : k - s->n_in);
		ws[k].last = ws[k].first;
		for (j = ws[k].first; j < it->n_ops; j++) {
			ENG_CHECK(eng_model_op(b, j, &o));
			for (q = 0; q < o.inputs.len; q++)
				if (eng_op_io(b, &o.inputs, q) == t)
					ws[k].last = (uint16_t)j;
		}
		for (q = 0; q < it->n_outputs; q++)
			if (fb_rd_i32(b->p, it->outputs_vec + 4 * q) == t)
				ws[k].last = (uint16_t)(it->n_ops - 1);
	}
	return ENG_OK;
}

static eng_status_t write_refs(build_t *s, const eng_plan_buf_t *ws)
{
	const fb_t *b = &s->c.fb;
	eng_tdesc_t d;
	uint32_t t, k;
	int32_t tk;

	for (t = 0; t < b->it->n_tensors; t++) {
		ENG_CHECK(eng_model_tensor(b, t, &d));
		s->refs[t] = d.data_len ? (ENG_REF_MODEL | d.data_pos) : ENG_REF_NONE;
	}
	for (k = 0; k < s->n; k++) {
		ENG_CHECK(entry_tensor(s, k, &tk));
		s->refs[tk] = ws[k].offset;
	}
	return ENG_OK;
}

static eng_status_t plan(build_t *s, eng_plan_buf_t *ws, int on_stack)
{
	eng_interp_t *it = s->c.fb.it;
	uint64_t head, need;

	ENG_CHECK(fill_plan(s, ws));
	head = eng_plan_greedy(ws, s->n);
	need = (uint64_t)s->tail + head;
	if (!on_stack && s->n > STACK_BUFFERS && need < (uint64_t)s->tail + s->n * 12u)
		need = (uint64_t)s->tail + s->n * 12u;
	ENG_ENSURE(it, need <= MAX_ARENA, ENG_ERR_UNSUPPORTED,
		"model needs %llu arena bytes (max %lu)", (unsigned long long)need,
		(unsigned long)MAX_ARENA);
	s->head = (uint32_t)head;
	s->needed = (uint32_t)need;
	if (s->refs && s->c.writing && s->needed <= s->c.top)
		return write_refs(s, ws);
	return ENG_OK;
}

static eng_status_t plan_on_stack(build_t *s)
{
	eng_plan_buf_t ws[STACK_BUFFERS];
	return plan(s, ws, 1);
}

static eng_status_t build(build_t *s)
{
	eng_ctx_t *c = &s->c;
	eng_interp_t *it = c->fb.it;
	eng_node_t *nodes;
	eng_prof_t *prof;
	eng_opdesc_t o;
	uint32_t i, data, stamp_off, scratch;

	s->stamp = eng_tail_alloc(c, 8, &stamp_off);
	s->refs = eng_tail_alloc(c, 4 * it->n_tensors, &s->refs_off);
	nodes = eng_tail_alloc(c, (uint32_t)sizeof(eng_node_t) * it->n_ops, &s->nodes_off);
	prof = eng_tail_alloc(c, (uint32_t)sizeof(eng_prof_t) * it->n_ops, &s->prof_off);
	if (prof)
		memset(prof, 0, sizeof(eng_prof_t) * it->n_ops);
	for (i = 0; i < it->n_ops; i++) {
		ENG_CHECK(eng_model_op(&c->fb, i, &o));
		c->op = i;
		c->builtin = o.builtin;
		data = 0;
		ENG_CHECK(eng_kernel_setup(c, &o, &data));
		if (nodes) {
			memset(&nodes[i], 0, sizeof nodes[i]);
			nodes[i].kernel = o.kernel;
			nodes[i].data = data;
		}
	}
	s->tail = c->tail_bytes;
	ENG_ENSURE(it, s->tail <= MAX_ARENA, ENG_ERR_UNSUPPORTED,
		"model needs %lu bytes of persistent arena data (max %lu)", (unsigned long)s->tail,
		(unsigned long)MAX_ARENA);
	for (i = 0, s->n_in = 0; i < it->n_inputs; i++)
		s->n_in += !seen_before(&c->fb, i);
	s->n = s->n_in + it->n_ops;
	scratch = s->n * (uint32_t)sizeof(eng_plan_buf_t);
	if (c->arena && c->writing && scratch <= c->top - s->tail)
		return plan(s, (eng_plan_buf_t *)(void *)c->arena, 0);
	if (s->n <= STACK_BUFFERS)
		return plan_on_stack(s);
	ENG_ENSURE(it, c->arena != NULL, ENG_ERR_UNSUPPORTED,
		"dry run supports up to %u activation buffers, model has %lu: allocate into a large arena and read arena_used",
		STACK_BUFFERS, (unsigned long)s->n);
	return eng_fail(it, ENG_ERR_ARENA,
		"arena too small: need at least %lu bytes (persistent %lu + planner scratch %lu), got %lu",
		(unsigned long)(s->tail + scratch), (unsigned long)s->tail, (unsigned long)scratch,
		(unsigned long)c->top);
}

static uint32_t make_stamp(const eng_interp_t *it, uint32_t top)
{
	return (it->model_print * 2654435761u) ^ top ^ (it->n_ops << 16) ^ it->n_tensors;
}

eng_status_t eng_build_arena(eng_interp_t *it, const uint8_t *model, uint8_t *arena,
	uint32_t arena_size, uint32_t *needed)
{
	build_t s;

	memset(&s, 0, sizeof s);
	s.c.fb.p = model;
	s.c.fb.size = it->model_size;
	s.c.fb.it = it;
	s.c.arena = arena;
	s.c.top = arena_size & ~(ENG_TAIL_ALIGN - 1u);
	s.c.writing = arena != NULL;
	ENG_CHECK(build(&s));
	*needed = s.needed;
	if (!arena)
		return ENG_OK;
	ENG_ENSURE(it, s.c.writing && s.needed <= s.c.top, ENG_ERR_ARENA,
		"arena too small: need %lu bytes (activations %lu + persistent %lu), got %lu",
		(unsigned long)s.needed, (unsigned long)(s.needed - s.tail), (unsigned long)s.tail,
		(unsigned long)arena_size);
	it->arena_size = s.c.top;
	it->arena_used = s.needed;
	it->head_size = s.head;
	it->tail_size = s.tail;
	it->plan_scratch = s.n * (uint32_t)sizeof(eng_plan_buf_t);
	it->n_buffers_planned = s.n;
	it->refs_off = s.refs_off;
	it->nodes_off = s.nodes_off;
	it->prof_off = s.prof_off;
	it->stamp = make_stamp(it, s.c.top);
	s.stamp[0] = ENG_STAMP_MAGIC;
	s.stamp[1] = it->stamp;
	return ENG_OK;
}
