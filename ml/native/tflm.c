/*
 * tflm.c - XS binding of the native engine (engine.h). Entry points only: each reads its
 * arguments and buffers, calls one engine function, and maps a failing status to
 * RangeError (bad input: argument, model, unsupported, arena, state) or Error (engine
 * fault). The exception carries the engine's message and a `status` property holding the
 * engine's status name (eng_status_name: "malformed model", "arena too small", ...).
 *
 * Memory and lifetimes
 *   - State lives in a host chunk (GC-owned, may move between calls). It holds the
 *     engine's eng_interp_t, which contains no pointers into model or arena, and the arena
 *     pointer.
 *   - The arena is c_malloc'd once in the constructor (exact size from the engine's dry
 *     run, or the size the caller gives) and freed by close() or the destructor. It never
 *     moves.
 *   - The model is NOT kept: every call that needs it takes the model buffer again (the
 *     same bytes given to the constructor, e.g. a Resource) and its pointer is fetched
 *     on that call. Chunk and buffer pointers are used only before anything in the call
 *     can allocate in XS, and fetched again after.
 *   - Tensor buffers: the constructor makes one read-write host buffer per model input and
 *     output, over that tensor's bytes in the arena (zero-copy: typed arrays built on them
 *     read and write the arena). They are kept in a frozen array in a read-only,
 *     non-configurable property of the interpreter ("buffers", inputs first), and each holds
 *     its interpreter in a read-only property ("interpreter"), so the interpreter (and its
 *     arena) cannot be collected while any view of one of its tensors is reachable.
 *     close() detaches every one of them (data NULL, length 0: views then have length 0,
 *     and their methods throw TypeError "detached buffer") before it frees the arena.
 *     No JS code can reach freed arena memory.
 *   - close() is idempotent; other methods on a closed interpreter throw RangeError
 *     "closed" (status "bad state").
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "xsmc.h"
#include "engine.h"

#ifndef c_malloc
#include <stdlib.h>
#define c_malloc malloc
#define c_free free
#endif

#define TFLM_NAME_MAX 96   /* tensor names longer than this are truncated in info objects */

typedef struct {
	eng_interp_t it;      /* pointer-free engine state */
	uint8_t *arena;       /* native memory, NULL once closed */
	uint32_t arena_size;
} tflm_state_t;

void xs_tflm_destructor(void *data)
{
	tflm_state_t *s = (tflm_state_t *)data;
	if (s && s->arena) {
		c_free(s->arena);
		s->arena = NULL;
	}
}

/* Tensor buffers own nothing: the arena belongs to the interpreter. */
void xs_tflm_buffer_destructor(void *data)
{
	(void)data;
}

/* Throws RangeError (Error for ENG_ERR_INTERNAL) with the formatted message and
   `status` = the engine's status name. The message is formatted on the C stack first. */
static void fail(xsMachine *the, eng_status_t status, const char *format, ...)
{
	char m[ENG_MSG_SIZE + 64];
	va_list ap;
	xsSlot name;

	va_start(ap, format);
	vsnprintf(m, sizeof m, format, ap);
	va_end(ap);
	if (!m[0])
		snprintf(m, sizeof m, "%s", eng_status_name(status));
	xsResult = xsNew1(xsGlobal, xsID(status == ENG_ERR_INTERNAL ? "Error" : "RangeError"), xsString(m));
	fxStringX(the, &name, (xsStringValue)eng_status_name(status));   /* static: never moves */
	xsmcSet(xsResult, xsID("status"), name);
	xsThrow(xsResult);
}

static void check(xsMachine *the, eng_status_t status, const eng_interp_t *it)
{
	if (status != ENG_OK)
		fail(the, status, "%s", eng_message(it));
}

static tflm_state_t *state(xsMachine *the)
{
	return (tflm_state_t *)xsmcGetHostChunkValidate(xsThis, (void *)xs_tflm_destructor);
}

static tflm_state_t *open_state(xsMachine *the)
{
	tflm_state_t *s = state(the);
	if (!s->arena)
		fail(the, ENG_ERR_STATE, "closed");
	return s;
}

/* The model buffer of argument `arg`; its size must be the loaded model's. */
static const void *model_arg(xsMachine *the, const tflm_state_t *s, int arg)
{
	void *data;
	xsUnsignedValue size;

	xsmcGetBufferReadable(xsArg(arg), &data, &size);
	if (size != s->it.model_size)
		fail(the, ENG_ERR_STATE, "model buffer is %u bytes, the interpreter was built from %u",
			(unsigned)size, (unsigned)s->it.model_size);
	return data;
}

static uint32_t index_arg(xsMachine *the, int arg)
{
	xsIntegerValue i = xsmcToInteger(xsArg(arg));
	if (i < 0)
		fail(the, ENG_ERR_ARGUMENT, "invalid index %d", (int)i);
	return (uint32_t)i;
}

/* One host buffer per input then output, over the tensor's bytes in the arena, in a frozen
   array defined on `this` (see the header). Uses xsVar(0..3). */
static void make_buffers(xsMachine *the, int model_arg_index)
{
	tflm_state_t *s = state(the);
	uint32_t n_in = eng_input_count(&s->it), n_out = eng_output_count(&s->it), i;

	xsmcSetNewArray(xsVar(0), (xsIntegerValue)(n_in + n_out));
	for (i = 0; i < n_in + n_out; i++) {
		eng_tensor_info_t info;
		const void *model;
		eng_status_t st;

		s = state(the);                           /* the chunk may have moved */
		model = model_arg(the, s, model_arg_index);
		st = i < n_in ? eng_input(&s->it, model, s->arena, i, &info)
			: eng_output(&s->it, model, s->arena, i - n_in, &info);
		check(the, st, &s->it);
		/* info.data points into the arena, which never moves */
		xsVar(1) = xsNewHostObject(xs_tflm_buffer_destructor);
		xsmcSetHostBuffer(xsVar(1), info.data, (xsIntegerValue)info.bytes);
		xsmcDefine(xsVar(1), xsID("interpreter"), xsThis, xsDontDelete | xsDontSet | xsDontEnum);
		xsmcSetIndex(xsVar(0), (xsIntegerValue)i, xsVar(1));
	}
	xsmcGet(xsVar(2), xsGlobal, xsID("Object"));
	xsmcCall(xsVar(3), xsVar(2), xsID("freeze"), &xsVar(0), NULL);
	xsmcDefine(xsThis, xsID("buffers"), xsVar(0), xsDontDelete | xsDontSet | xsDontEnum);
}

/* constructor(model, arenaSize?) */
void xs_tflm_constructor(xsMachine *the)
{
	tflm_state_t local, *s;
	void *model;
	xsUnsignedValue model_size;
	size_t need = 0;
	uint8_t *arena;
	eng_status_t st;

	xsmcVars(4);
	if (xsmcArgc > 1 && xsmcTypeOf(xsArg(1)) != xsUndefinedType) {
		xsNumberValue n = xsmcToNumber(xsArg(1));
		if (!(n >= 1 && n <= 0x7fffffff) || n != (xsNumberValue)(xsIntegerValue)n)
			fail(the, ENG_ERR_ARGUMENT, "invalid arena size %g", (double)n);
		need = (size_t)n;
	}
	/* validate: load (whole-model verification) and size the arena */
	memset(&local, 0, sizeof local);
	xsmcGetBufferReadable(xsArg(0), &model, &model_size);
	st = eng_load(&local.it, model, model_size);
	if (st == ENG_OK && need == 0)
		st = eng_arena_required(&local.it, model, &need);
	check(the, st, &local.it);
	/* commit the state first (arena NULL), so a failure below leaks nothing */
	xsmcSetHostChunk(xsThis, &local, sizeof local);
	arena = (uint8_t *)c_malloc(need);
	if (!arena)
		fail(the, ENG_ERR_ARENA, "cannot allocate a %u-byte arena", (unsigned)need);
	xsmcGetBufferReadable(xsArg(0), &model, &model_size);   /* may have moved */
	s = state(the);
	st = eng_allocate(&s->it, model, arena, need);
	if (st != ENG_OK) {
		c_free(arena);
		check(the, st, &s->it);
	}
	s->arena = arena;
	s->arena_size = (uint32_t)need;
	make_buffers(the, 0);
}

/* static check(model) -> { arena, inputs, outputs, ops, tensors }: whole-model verification
   and the dry run, with no arena. `arena` is undefined when the dry run cannot size this
   model (more than ENG_DRY_RUN_MAX_BUFFERS activation buffers); an arena size must then be
   given to the constructor. */
void xs_tflm_check(xsMachine *the)
{
	eng_interp_t it;
	void *model;
	xsUnsignedValue model_size;
	size_t need = 0;
	eng_status_t st, dry;

	memset(&it, 0, sizeof it);
	xsmcGetBufferReadable(xsArg(0), &model, &model_size);
	st = eng_load(&it, model, model_size);
	check(the, st, &it);
	dry = eng_arena_required(&it, model, &need);
	if (dry != ENG_OK && dry != ENG_ERR_UNSUPPORTED)
		check(the, dry, &it);
	xsmcVars(1);
	xsmcSetNewObject(xsResult);
	if (dry == ENG_OK) {
		xsmcSetInteger(xsVar(0), (xsIntegerValue)need);
		xsmcSet(xsResult, xsID("arena"), xsVar(0));
	}
	xsmcSetInteger(xsVar(0), (xsIntegerValue)eng_input_count(&it));
	xsmcSet(xsResult, xsID("inputs"), xsVar(0));
	xsmcSetInteger(xsVar(0), (xsIntegerValue)eng_output_count(&it));
	xsmcSet(xsResult, xsID("outputs"), xsVar(0));
	xsmcSetInteger(xsVar(0), (xsIntegerValue)eng_op_count(&it));
	xsmcSet(xsResult, xsID("ops"), xsVar(0));
	xsmcSetInteger(xsVar(0), (xsIntegerValue)eng_tensor_count(&it));
	xsmcSet(xsResult, xsID("tensors"), xsVar(0));
}

/* close(): detaches every tensor buffer, then frees the arena. Idempotent. */
void xs_tflm_close(xsMachine *the)
{
	xsIntegerValue i, n;

	xsmcVars(2);
	if (!state(the)->arena)
		return;
	if (xsmcHas(xsThis, xsID("buffers"))) {
		xsmcGet(xsVar(0), xsThis, xsID("buffers"));
		xsmcGet(xsVar(1), xsVar(0), xsID("length"));
		n = xsmcToInteger(xsVar(1));
		for (i = 0; i < n; i++) {
			xsmcGetIndex(xsVar(1), xsVar(0), i);
			xsmcSetHostBuffer(xsVar(1), NULL, 0);
		}
	}
	xs_tflm_destructor(state(the));   /* the chunk pointer is fetched after the calls above */
}

/* invoke(model) */
void xs_tflm_invoke(xsMachine *the)
{
	tflm_state_t *s = open_state(the);
	const void *model = model_arg(the, s, 0);
	check(the, eng_invoke(&s->it, model, s->arena), &s->it);
}

/* invokeOps(model, first, count): runs ops [first, first + count) only */
void xs_tflm_invoke_ops(xsMachine *the)
{
	uint32_t first = index_arg(the, 1), count = index_arg(the, 2);
	tflm_state_t *s = open_state(the);
	const void *model = model_arg(the, s, 0);
	check(the, eng_invoke_ops(&s->it, model, s->arena, first, count), &s->it);
}

/* setInput(model, index, bytes): copies bytes (exactly the tensor's size) into input index */
void xs_tflm_set_input(xsMachine *the)
{
	uint32_t index = index_arg(the, 1);
	tflm_state_t *s = open_state(the);
	const void *model = model_arg(the, s, 0);
	eng_tensor_info_t info;
	void *data;
	xsUnsignedValue size;

	check(the, eng_input(&s->it, model, s->arena, index, &info), &s->it);
	xsmcGetBufferReadable(xsArg(2), &data, &size);
	if (size != info.bytes)
		fail(the, ENG_ERR_ARGUMENT, "input %u needs %u bytes, got %u", (unsigned)index,
			(unsigned)info.bytes, (unsigned)size);
	memmove(info.data, data, info.bytes);   /* the source may be a view of the arena */
}

/* Copies `info` (an arena or model tensor) into argument `arg` (exactly its size). */
static void copy_out(xsMachine *the, const eng_tensor_info_t *info, int arg, const char *what)
{
	void *data;
	xsUnsignedValue size;

	if (!info->data)
		fail(the, ENG_ERR_ARGUMENT, "%s %u has no data (not used by any op)", what,
			(unsigned)info->index);
	xsmcGetBufferWritable(xsArg(arg), &data, &size);
	if (size != info->bytes)
		fail(the, ENG_ERR_ARGUMENT, "%s %u has %u bytes, buffer has %u", what,
			(unsigned)info->index, (unsigned)info->bytes, (unsigned)size);
	memmove(data, info->data, info->bytes);
}

/* getOutput(model, index, bytes): copies output index into bytes (exactly its size) */
void xs_tflm_get_output(xsMachine *the)
{
	uint32_t index = index_arg(the, 1);
	tflm_state_t *s = open_state(the);
	const void *model = model_arg(the, s, 0);
	eng_tensor_info_t info;

	check(the, eng_output(&s->it, model, s->arena, index, &info), &s->it);
	info.index = index;
	copy_out(the, &info, 2, "output");
}

/* getTensor(model, index, bytes): copies any tensor (activation or constant) into bytes.
   Activations hold what the last op that wrote them left, until the planner reuses them. */
void xs_tflm_get_tensor(xsMachine *the)
{
	uint32_t index = index_arg(the, 1);
	tflm_state_t *s = open_state(the);
	const void *model = model_arg(the, s, 0);
	eng_tensor_info_t info;

	check(the, eng_tensor(&s->it, model, s->arena, index, &info), &s->it);
	copy_out(the, &info, 2, "tensor");
}

/* inputBuffer(index), outputBuffer(index): the host buffer over that tensor's arena bytes */
static void io_buffer(xsMachine *the, int output)
{
	uint32_t index = index_arg(the, 0);
	tflm_state_t *s = open_state(the);
	uint32_t n_in = eng_input_count(&s->it);
	uint32_t n = output ? eng_output_count(&s->it) : n_in;

	if (index >= n)
		fail(the, ENG_ERR_ARGUMENT, "%s %u out of range (%u %ss)", output ? "output" : "input",
			(unsigned)index, (unsigned)n, output ? "output" : "input");
	xsmcGet(xsResult, xsThis, xsID("buffers"));
	xsmcGetIndex(xsResult, xsResult, (xsIntegerValue)(output ? n_in + index : index));
}

void xs_tflm_input_buffer(xsMachine *the) { io_buffer(the, 0); }
void xs_tflm_output_buffer(xsMachine *the) { io_buffer(the, 1); }

/* { index, name, type, shape, scale, zeroPoint, bytes } from a copy of the engine's info;
   `name` is the tensor's name copied out of the model before anything allocates. */
static void tensor_object(xsMachine *the, const eng_tensor_info_t *info, const char *name)
{
	char type[16];
	uint32_t i;

	snprintf(type, sizeof type, "%s", eng_type_name(info->type));
	for (i = 0; type[i]; i++)
		type[i] = (char)(type[i] >= 'A' && type[i] <= 'Z' ? type[i] - 'A' + 'a' : type[i]);
	xsmcVars(2);
	xsmcSetNewObject(xsResult);
	xsmcSetInteger(xsVar(0), (xsIntegerValue)info->index);
	xsmcSet(xsResult, xsID("index"), xsVar(0));
	xsmcSetString(xsVar(0), (char *)name);
	xsmcSet(xsResult, xsID("name"), xsVar(0));
	xsmcSetString(xsVar(0), type);
	xsmcSet(xsResult, xsID("type"), xsVar(0));
	xsmcSetNewArray(xsVar(1), (xsIntegerValue)info->rank);
	for (i = 0; i < info->rank; i++) {
		xsmcSetInteger(xsVar(0), info->shape[i]);
		xsmcSetIndex(xsVar(1), (xsIntegerValue)i, xsVar(0));
	}
	xsmcSet(xsResult, xsID("shape"), xsVar(1));
	xsmcSetNumber(xsVar(0), (double)info->scale);
	xsmcSet(xsResult, xsID("scale"), xsVar(0));
	xsmcSetInteger(xsVar(0), info->zero_point);
	xsmcSet(xsResult, xsID("zeroPoint"), xsVar(0));
	xsmcSetInteger(xsVar(0), (xsIntegerValue)info->bytes);
	xsmcSet(xsResult, xsID("bytes"), xsVar(0));
}

/* which: 0 input, 1 output, 2 any tensor by index */
static void info_of(xsMachine *the, int which)
{
	uint32_t index = index_arg(the, 1);
	tflm_state_t *s = open_state(the);
	const void *model = model_arg(the, s, 0);
	eng_tensor_info_t info;
	char name[TFLM_NAME_MAX + 1];
	uint32_t n;
	eng_status_t st = which == 1 ? eng_output(&s->it, model, NULL, index, &info)
		: which == 0 ? eng_input(&s->it, model, NULL, index, &info)
		: eng_tensor(&s->it, model, NULL, index, &info);

	check(the, st, &s->it);
	n = info.name && info.name_len < TFLM_NAME_MAX ? info.name_len : info.name ? TFLM_NAME_MAX : 0;
	if (n)
		memcpy(name, info.name, n);   /* points into the model: copy before XS allocates */
	name[n] = 0;
	tensor_object(the, &info, name);
}

/* inputInfo(model, index), outputInfo(model, index), tensorInfo(model, index) */
void xs_tflm_input_info(xsMachine *the) { info_of(the, 0); }
void xs_tflm_output_info(xsMachine *the) { info_of(the, 1); }
void xs_tflm_tensor_info(xsMachine *the) { info_of(the, 2); }

void xs_tflm_get_input_count(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)eng_input_count(&open_state(the)->it));
}

void xs_tflm_get_output_count(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)eng_output_count(&open_state(the)->it));
}

void xs_tflm_get_op_count(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)eng_op_count(&open_state(the)->it));
}

void xs_tflm_get_tensor_count(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)eng_tensor_count(&open_state(the)->it));
}

void xs_tflm_get_arena_used(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)eng_arena_used(&open_state(the)->it));
}

void xs_tflm_get_arena_size(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)open_state(the)->arena_size);
}

/* Profiling clock in microseconds: the host may define TFLM_CLOCK_US() (e.g. the device's
   microsecond timer); the fallback is ISO C processor time. */
static uint32_t clock_us(void *ctx)
{
	(void)ctx;
#ifdef TFLM_CLOCK_US
	return (uint32_t)TFLM_CLOCK_US();
#else
	return (uint32_t)((uint64_t)clock() * 1000000u / CLOCKS_PER_SEC);
#endif
}

/* profile(enable): per-op counters and microseconds on or off */
void xs_tflm_profile(xsMachine *the)
{
	int on = xsmcTest(xsArg(0));
	eng_profile_enable(&open_state(the)->it, on ? clock_us : NULL, NULL);
}

void xs_tflm_get_profiling(xsMachine *the)
{
	xsmcSetBoolean(xsResult, open_state(the)->it.clock != NULL);
}

void xs_tflm_profile_reset(xsMachine *the)
{
	tflm_state_t *s = open_state(the);
	check(the, eng_profile_reset(&s->it, s->arena), &s->it);
}

/* profileOp(model, index) -> { op, count, us } */
void xs_tflm_profile_op(xsMachine *the)
{
	uint32_t index = index_arg(the, 1), count = 0;
	tflm_state_t *s = open_state(the);
	const void *model = model_arg(the, s, 0);
	eng_op_info_t op;
	uint64_t ticks = 0;
	eng_status_t st = eng_op(&s->it, model, index, &op);

	if (st == ENG_OK)
		st = eng_profile_op(&s->it, s->arena, index, &count, &ticks);
	check(the, st, &s->it);
	xsmcVars(1);
	xsmcSetNewObject(xsResult);
	xsmcSetString(xsVar(0), (char *)op.name);   /* static string */
	xsmcSet(xsResult, xsID("op"), xsVar(0));
	xsmcSetInteger(xsVar(0), (xsIntegerValue)count);
	xsmcSet(xsResult, xsID("count"), xsVar(0));
	xsmcSetNumber(xsVar(0), (double)ticks);
	xsmcSet(xsResult, xsID("us"), xsVar(0));
}
