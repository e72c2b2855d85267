/*
 * tflm.c - XS binding of the native engine (engine.h). Entry points only: each reads its
 * arguments and buffers, calls one engine function, and maps a failing status to
 * RangeError (bad input: argument, model, unsupported, arena, state) or Error (engine
 * fault), carrying the engine's message.
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
 *     can allocate in XS.
 *   - close() is idempotent; other methods on a closed interpreter throw Error("closed").
 */
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

/* Throws for a failed status. The message is copied to the C stack before XS allocates. */
static void fail(xsMachine *the, eng_status_t status, const char *message)
{
	char m[ENG_MSG_SIZE + 32];
	snprintf(m, sizeof m, "%s", message && *message ? message : eng_status_name(status));
	if (status == ENG_ERR_INTERNAL)
		xsUnknownError("%s", m);
	xsRangeError("%s", m);
}

static tflm_state_t *open_state(xsMachine *the)
{
	tflm_state_t *s = (tflm_state_t *)xsmcGetHostChunkValidate(xsThis, (void *)xs_tflm_destructor);
	if (!s->arena)
		xsUnknownError("closed");
	return s;
}

/* The model buffer of argument `arg`; its size must be the loaded model's. */
static const void *model_arg(xsMachine *the, const tflm_state_t *s, int arg)
{
	void *data;
	xsUnsignedValue size;

	xsmcGetBufferReadable(xsArg(arg), &data, &size);
	if (size != s->it.model_size)
		xsRangeError("model buffer is %u bytes, the interpreter was built from %u",
			(unsigned)size, (unsigned)s->it.model_size);
	return data;
}

static uint32_t index_arg(xsMachine *the, int arg)
{
	xsIntegerValue i = xsmcToInteger(xsArg(arg));
	if (i < 0)
		xsRangeError("invalid index %d", (int)i);
	return (uint32_t)i;
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

	if (xsmcArgc > 1 && xsmcTypeOf(xsArg(1)) != xsUndefinedType) {
		xsIntegerValue n = xsmcToInteger(xsArg(1));
		if (n <= 0)
			xsRangeError("invalid arena size %d", (int)n);
		need = (size_t)n;
	}
	/* validate: load (whole-model verification) and size the arena */
	memset(&local, 0, sizeof local);
	xsmcGetBufferReadable(xsArg(0), &model, &model_size);
	st = eng_load(&local.it, model, model_size);
	if (st == ENG_OK && need == 0)
		st = eng_arena_required(&local.it, model, &need);
	if (st != ENG_OK)
		fail(the, st, eng_message(&local.it));
	/* commit the state first (arena NULL), so a failure below leaks nothing */
	xsmcSetHostChunk(xsThis, &local, sizeof local);
	arena = (uint8_t *)c_malloc(need);
	if (!arena)
		xsRangeError("cannot allocate a %u-byte arena", (unsigned)need);
	xsmcGetBufferReadable(xsArg(0), &model, &model_size);   /* may have moved */
	s = (tflm_state_t *)xsmcGetHostChunk(xsThis);
	st = eng_allocate(&s->it, model, arena, need);
	if (st != ENG_OK) {
		c_free(arena);
		fail(the, st, eng_message(&s->it));
	}
	s->arena = arena;
	s->arena_size = (uint32_t)need;
}

void xs_tflm_close(xsMachine *the)
{
	xs_tflm_destructor(xsmcGetHostChunkValidate(xsThis, (void *)xs_tflm_destructor));
}

/* invoke(model) */
void xs_tflm_invoke(xsMachine *the)
{
	tflm_state_t *s = open_state(the);
	const void *model = model_arg(the, s, 0);
	eng_status_t st = eng_invoke(&s->it, model, s->arena);
	if (st != ENG_OK)
		fail(the, st, eng_message(&s->it));
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
	eng_status_t st = eng_input(&s->it, model, s->arena, index, &info);

	if (st != ENG_OK)
		fail(the, st, eng_message(&s->it));
	xsmcGetBufferReadable(xsArg(2), &data, &size);
	if (size != info.bytes)
		xsRangeError("input %u needs %u bytes, got %u", (unsigned)index, (unsigned)info.bytes,
			(unsigned)size);
	memcpy(info.data, data, info.bytes);
}

/* getOutput(model, index, bytes): copies output index into bytes (exactly its size) */
void xs_tflm_get_output(xsMachine *the)
{
	uint32_t index = index_arg(the, 1);
	tflm_state_t *s = open_state(the);
	const void *model = model_arg(the, s, 0);
	eng_tensor_info_t info;
	void *data;
	xsUnsignedValue size;
	eng_status_t st = eng_output(&s->it, model, s->arena, index, &info);

	if (st != ENG_OK)
		fail(the, st, eng_message(&s->it));
	xsmcGetBufferWritable(xsArg(2), &data, &size);
	if (size != info.bytes)
		xsRangeError("output %u has %u bytes, buffer has %u", (unsigned)index,
			(unsigned)info.bytes, (unsigned)size);
	memcpy(data, info.data, info.bytes);
}

/* { index, type, shape, scale, zeroPoint, bytes } from a copy of the engine's info */
static void tensor_object(xsMachine *the, const eng_tensor_info_t *info)
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

static void io_info(xsMachine *the, int output)
{
	uint32_t index = index_arg(the, 1);
	tflm_state_t *s = open_state(the);
	const void *model = model_arg(the, s, 0);
	eng_tensor_info_t info;
	eng_status_t st = output ? eng_output(&s->it, model, NULL, index, &info)
		: eng_input(&s->it, model, NULL, index, &info);

	if (st != ENG_OK)
		fail(the, st, eng_message(&s->it));
	tensor_object(the, &info);   /* info.name is not used: it points into the model */
}

/* inputInfo(model, index), outputInfo(model, index) */
void xs_tflm_input_info(xsMachine *the) { io_info(the, 0); }
void xs_tflm_output_info(xsMachine *the) { io_info(the, 1); }

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

void xs_tflm_get_arena_used(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)eng_arena_used(&open_state(the)->it));
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

void xs_tflm_profile_reset(xsMachine *the)
{
	tflm_state_t *s = open_state(the);
	eng_status_t st = eng_profile_reset(&s->it, s->arena);
	if (st != ENG_OK)
		fail(the, st, eng_message(&s->it));
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
	if (st != ENG_OK)
		fail(the, st, eng_message(&s->it));
	xsmcVars(1);
	xsmcSetNewObject(xsResult);
	xsmcSetString(xsVar(0), (char *)op.name);   /* static string */
	xsmcSet(xsResult, xsID("op"), xsVar(0));
	xsmcSetInteger(xsVar(0), (xsIntegerValue)count);
	xsmcSet(xsResult, xsID("count"), xsVar(0));
	xsmcSetNumber(xsVar(0), (double)ticks);
	xsmcSet(xsResult, xsID("us"), xsVar(0));
}
