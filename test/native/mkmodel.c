/*
 * mkmodel.c - see mkmodel.h. A minimal back-to-front FlatBuffers writer.
 *
 * Positions are counted from the END of the buffer ("off"), which stay valid while more
 * is prepended. An offset stored at field position F to an object at C is F - C.
 */
#include <stdlib.h>
#include <string.h>
#include "mkmodel.h"

#define CAP (1u << 20)

typedef struct {
	uint8_t *buf;
	size_t used;
	int err;
} bb_t;

static void push(bb_t *b, const void *p, size_t n)
{
	if (b->used + n > CAP) {
		b->err = 1;
		return;
	}
	b->used += n;
	memcpy(b->buf + CAP - b->used, p, n);
}

static void pad_to(bb_t *b, size_t align, size_t extra)
{
	static const uint8_t zero[16];
	while ((b->used + extra) % align)
		push(b, zero, 1);
}

static void push_u32(bb_t *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	push(b, x, 4);
}

/* Vector of raw elements; returns its off. */
static size_t vec(bb_t *b, const void *data, uint32_t count, uint32_t elem, uint32_t align)
{
	pad_to(b, align < 4 ? 4 : align, (size_t)count * elem);
	push(b, data, (size_t)count * elem);
	pad_to(b, 4, 4);   /* no-op when elements were 4-byte sized or aligned */
	push_u32(b, count);
	return b->used;
}

static size_t vec_i32(bb_t *b, const int32_t *v, int n)
{
	return vec(b, v, (uint32_t)n, 4, 4);
}

static size_t str(bb_t *b, const char *s)
{
	size_t n = strlen(s);
	pad_to(b, 4, n + 1);
	push(b, "", 1);
	push(b, s, n);
	push_u32(b, (uint32_t)n);
	return b->used;
}

/* Vector of offsets to objects at offs[]. */
static size_t vec_off(bb_t *b, const size_t *offs, int n)
{
	int i;
	pad_to(b, 4, 4u * (size_t)n);
	for (i = n - 1; i >= 0; i--)
		push_u32(b, (uint32_t)(b->used + 4 - offs[i]));
	push_u32(b, (uint32_t)n);
	return b->used;
}

/* Table builder: fields are (slot, size, value) or (slot, offset target). */
typedef struct {
	int n;
	struct { int slot, size, is_off; uint64_t v; size_t target; } f[12];
} tbl_t;

static void t_scalar(tbl_t *t, int slot, int size, uint64_t v)
{
	t->f[t->n].slot = slot;
	t->f[t->n].size = size;
	t->f[t->n].is_off = 0;
	t->f[t->n].v = v;
	t->n++;
}

static void t_off(tbl_t *t, int slot, size_t target)
{
	t->f[t->n].slot = slot;
	t->f[t->n].size = 4;
	t->f[t->n].is_off = 1;
	t->f[t->n].target = target;
	t->n++;
}

static size_t t_end(bb_t *b, const tbl_t *t)
{
	size_t start = b->used, field_off[12], table;
	uint16_t vt[24];
	int i, max_slot = -1, order, s;

	pad_to(b, 8, 0);
	/* larger fields first in memory: write smaller ones first (back to front) */
	for (order = 1; order <= 8; order *= 2)
		for (i = 0; i < t->n; i++) {
			uint8_t x[8];
			uint64_t v = t->f[i].v;
			if (t->f[i].size != order)
				continue;
			pad_to(b, (size_t)order, (size_t)order);
			if (t->f[i].is_off)
				v = b->used + 4 - t->f[i].target;
			for (s = 0; s < order; s++)
				x[s] = (uint8_t)(v >> (8 * s));
			push(b, x, (size_t)order);
			field_off[i] = b->used;
			if (t->f[i].slot > max_slot)
				max_slot = t->f[i].slot;
		}
	pad_to(b, 4, 4);
	push_u32(b, 0);   /* soffset to the vtable, patched below */
	table = b->used;
	memset(vt, 0, sizeof vt);
	vt[0] = (uint16_t)(4 + 2 * (max_slot + 1));
	vt[1] = (uint16_t)(table - start);
	for (i = 0; i < t->n; i++)
		vt[2 + t->f[i].slot] = (uint16_t)(table - field_off[i]);
	for (i = max_slot + 2; i >= 0; i--) {
		uint8_t x[2] = { (uint8_t)vt[i], (uint8_t)(vt[i] >> 8) };
		push(b, x, 2);
	}
	if (!b->err) {
		uint32_t so = (uint32_t)(b->used - table);
		uint8_t *p = b->buf + CAP - table;
		p[0] = (uint8_t)so; p[1] = (uint8_t)(so >> 8); p[2] = (uint8_t)(so >> 16); p[3] = (uint8_t)(so >> 24);
	}
	return table;
}

void mm_init(mm_model_t *m)
{
	memset(m, 0, sizeof *m);
}

int mm_tensor(mm_model_t *m, int type, int rank, const int32_t *dims, float scale, int32_t zp,
	const void *data, uint32_t data_len)
{
	mm_tensor_t *t = &m->tensors[m->n_tensors];
	memset(t, 0, sizeof *t);
	t->type = type;
	t->rank = rank;
	memcpy(t->dims, dims, sizeof(int32_t) * (size_t)rank);
	t->data = data;
	t->data_len = data_len;
	if (scale > 0) {
		t->quant = 1;
		t->n_scales = 1;
		t->scales[0] = scale;
		t->zps[0] = zp;
	}
	return m->n_tensors++;
}

void mm_per_channel(mm_model_t *m, int t, int n, const float *scales, int qdim)
{
	mm_tensor_t *x = &m->tensors[t];
	x->quant = 1;
	x->n_scales = n;
	memcpy(x->scales, scales, sizeof(float) * (size_t)n);
	memset(x->zps, 0, sizeof x->zps);
	x->qdim = qdim;
}

int mm_op(mm_model_t *m, int32_t builtin, int opt_type, int n_in, const int32_t *in, int32_t out)
{
	mm_op_t *o = &m->ops[m->n_ops];
	memset(o, 0, sizeof *o);
	o->builtin = builtin;
	o->opt_type = opt_type;
	o->n_in = n_in;
	memcpy(o->in, in, sizeof(int32_t) * (size_t)n_in);
	o->n_out = 1;
	o->out[0] = out;
	return m->n_ops++;
}

void mm_opt(mm_model_t *m, int op, int slot, int kind, double value)
{
	mm_op_t *o = &m->ops[op];
	o->opts[o->n_opts].slot = (uint8_t)slot;
	o->opts[o->n_opts].kind = (uint8_t)kind;
	o->opts[o->n_opts].value = value;
	o->n_opts++;
}

void mm_io(mm_model_t *m, int n_in, const int32_t *in, int n_out, const int32_t *out)
{
	m->n_inputs = n_in;
	memcpy(m->inputs, in, sizeof(int32_t) * (size_t)n_in);
	m->n_outputs = n_out;
	memcpy(m->outputs, out, sizeof(int32_t) * (size_t)n_out);
}

static size_t tensor_table(bb_t *b, const mm_tensor_t *t, uint32_t buffer)
{
	tbl_t tb;
	size_t shape = vec_i32(b, t->dims, t->rank), name = str(b, t->name ? t->name : "t"), q = 0;

	if (t->quant) {
		size_t sc = vec(b, t->scales, (uint32_t)t->n_scales, 4, 4);
		size_t zp = vec(b, t->zps, (uint32_t)t->n_scales, 8, 8);
		tbl_t qt = { 0 };
		t_off(&qt, 2, sc);
		t_off(&qt, 3, zp);
		if (t->qdim)
			t_scalar(&qt, 6, 4, (uint64_t)(uint32_t)t->qdim);
		q = t_end(b, &qt);
	}
	memset(&tb, 0, sizeof tb);
	t_off(&tb, 0, shape);
	t_scalar(&tb, 1, 1, (uint64_t)(uint8_t)t->type);
	t_scalar(&tb, 2, 4, buffer);
	t_off(&tb, 3, name);
	if (q)
		t_off(&tb, 4, q);
	if (t->is_variable)
		t_scalar(&tb, 5, 1, 1);
	return t_end(b, &tb);
}

static size_t op_table(bb_t *b, const mm_op_t *o, int opcode)
{
	tbl_t tb, ot;
	size_t in = vec_i32(b, o->in, o->n_in), out = vec_i32(b, o->out, o->n_out), opts = 0;
	int i;

	if (o->n_opts || o->opt_type) {
		memset(&ot, 0, sizeof ot);
		for (i = 0; i < o->n_opts; i++) {
			const mm_opt_t *p = &o->opts[i];
			if (p->kind == MM_FLOAT) {
				float f = (float)p->value;
				uint32_t u;
				memcpy(&u, &f, 4);
				t_scalar(&ot, p->slot, 4, u);
			} else {
				t_scalar(&ot, p->slot, p->kind, (uint64_t)(int64_t)p->value);
			}
		}
		opts = t_end(b, &ot);
	}
	memset(&tb, 0, sizeof tb);
	t_scalar(&tb, 0, 4, (uint64_t)opcode);
	t_off(&tb, 1, in);
	t_off(&tb, 2, out);
	if (opts) {
		t_scalar(&tb, 3, 1, (uint64_t)o->opt_type);
		t_off(&tb, 4, opts);
	}
	return t_end(b, &tb);
}

int mm_build(const mm_model_t *m, fx_buf_t *out)
{
	bb_t b;
	tbl_t tb;
	size_t bufs[MM_MAX_TENSORS + 1], tens[MM_MAX_TENSORS], ops[MM_MAX_OPS], codes[MM_MAX_OPS];
	size_t v_bufs, v_tens, v_ops, v_in, v_out, sg, v_sg, v_codes, root;
	int32_t code_of[MM_MAX_OPS];
	uint32_t buffer_of[MM_MAX_TENSORS], nb = 1;
	int i, j, n_codes = 0, op_code[MM_MAX_OPS];

	b.buf = malloc(CAP);
	b.used = 0;
	b.err = b.buf == NULL;
	if (b.err)
		return -1;
	memset(&tb, 0, sizeof tb);
	for (i = 0; i < m->n_tensors; i++) {
		buffer_of[i] = 0;
		if (m->tensors[i].data) {
			size_t data = vec(&b, m->tensors[i].data, m->tensors[i].data_len, 1, 16);
			tbl_t bt = { 0 };
			t_off(&bt, 0, data);
			bufs[nb] = t_end(&b, &bt);
			buffer_of[i] = nb++;
		}
	}
	bufs[0] = t_end(&b, &tb);   /* buffer 0: the empty sentinel */
	v_bufs = vec_off(&b, bufs, (int)nb);
	for (i = 0; i < m->n_tensors; i++)
		tens[i] = tensor_table(&b, &m->tensors[i], buffer_of[i]);
	v_tens = vec_off(&b, tens, m->n_tensors);
	for (i = 0; i < m->n_ops; i++) {
		for (j = 0; j < n_codes && code_of[j] != m->ops[i].builtin; j++)
			;
		if (j == n_codes)
			code_of[n_codes++] = m->ops[i].builtin;
		op_code[i] = j;
		ops[i] = op_table(&b, &m->ops[i], j);
	}
	v_ops = vec_off(&b, ops, m->n_ops);
	v_in = vec_i32(&b, m->inputs, m->n_inputs);
	v_out = vec_i32(&b, m->outputs, m->n_outputs);
	memset(&tb, 0, sizeof tb);
	t_off(&tb, 0, v_tens);
	t_off(&tb, 1, v_in);
	t_off(&tb, 2, v_out);
	t_off(&tb, 3, v_ops);
	sg = t_end(&b, &tb);
	{
		size_t sgs[2] = { sg, sg };
		v_sg = vec_off(&b, sgs, m->subgraphs ? m->subgraphs : 1);
	}
	for (j = 0; j < n_codes; j++) {
		size_t custom = 0;
		for (i = 0; i < m->n_ops; i++)
			if (op_code[i] == j && m->ops[i].custom)
				custom = str(&b, m->ops[i].custom);
		memset(&tb, 0, sizeof tb);
		t_scalar(&tb, 0, 1, (uint64_t)(code_of[j] < 127 ? code_of[j] : 127));
		if (custom)
			t_off(&tb, 1, custom);
		t_scalar(&tb, 3, 4, (uint64_t)code_of[j]);
		codes[j] = t_end(&b, &tb);
	}
	v_codes = vec_off(&b, codes, n_codes);
	memset(&tb, 0, sizeof tb);
	t_scalar(&tb, 0, 4, m->version ? m->version : 3);
	t_off(&tb, 1, v_codes);
	t_off(&tb, 2, v_sg);
	t_off(&tb, 4, v_bufs);
	root = t_end(&b, &tb);
	pad_to(&b, 16, 8);
	push(&b, "TFL3", 4);
	push_u32(&b, (uint32_t)(b.used + 4 - root));
	if (b.err || fx_alloc(out, b.used) != 0) {
		free(b.buf);
		return -1;
	}
	memcpy(out->data, b.buf + CAP - b.used, b.used);
	free(b.buf);
	return 0;
}
