/*
 * engine.h - public API of the native TensorFlow Lite Micro-compatible engine.
 *
 * Portable C99. Bit-exact with the TFLM reference kernels for the supported int8
 * operators (see /work/shared/reference/tflite-int8-spec.md, "the spec" below).
 *
 * OWNERSHIP AND LIFETIMES (read this first)
 *
 *   eng_interp_t  Caller-owned, fixed size, contains NO pointers into model or arena
 *                 memory: every reference it holds is an offset or a count. It may be
 *                 copied or moved between calls (e.g. it may live in a movable XS host
 *                 chunk). The only pointers it stores are the optional profiling clock
 *                 function and its context, which the caller sets and must keep valid.
 *
 *   model         Caller-owned, read-only (.tflite flatbuffer), read IN PLACE: weights
 *                 are never copied. It must be 4-byte aligned, must not change between
 *                 eng_load() and the last call that uses it, and is passed again on every
 *                 call. It may be at a different address on each call (it is re-fetched),
 *                 as long as the bytes are the same; a cheap fingerprint catches a
 *                 different model.
 *
 *   arena         Caller-owned, read-write, 4-byte aligned (16 recommended). The engine
 *                 allocates nothing else: no malloc, no global state. The arena holds
 *                 planned activation buffers at the bottom (head) and persistent data
 *                 (tensor references, node records, op data, per-channel multipliers,
 *                 profile counters) at the top (tail). Everything inside is addressed by
 *                 offset from the arena start, so the arena is passed again on every call
 *                 and may be moved between calls (its bytes travel with it, same size).
 *                 The engine never frees anything; the caller frees the arena when done.
 *
 *   eng_tensor_info_t.data / .name   Point into the arena (activations) or the model
 *                 (constants, names). Valid only while that memory stays where it was
 *                 when the info was fetched; fetch again after any move.
 *
 * CALL SEQUENCE
 *
 *   eng_load()            verify the whole flatbuffer (every offset, length, vtable entry
 *                         and index is bounds-checked); refuse unsupported ops and types.
 *   eng_arena_required()  optional dry run: exact arena size eng_allocate() will need.
 *   eng_allocate()        run kernel init/prepare, plan activations, build the tail.
 *   eng_input()/eng_output()  tensor info; write input data through .data.
 *   eng_invoke()          run every op. Write the inputs before EACH invoke: the planner
 *                         reuses input memory for later activations.
 *
 * Errors: every function returns eng_status_t; on failure eng_message(it) holds a message
 * with the numbers ("tensor index 57 out of range (42 tensors)"). Nothing aborts.
 */
#ifndef ENG_ENGINE_H
#define ENG_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	ENG_OK = 0,
	ENG_ERR_ARGUMENT = 1,    /* NULL or misaligned pointer, index out of range */
	ENG_ERR_MODEL = 2,       /* malformed, truncated or inconsistent model */
	ENG_ERR_UNSUPPORTED = 3, /* well-formed model using an op, type or feature we lack */
	ENG_ERR_ARENA = 4,       /* arena too small; the message says how much is needed */
	ENG_ERR_STATE = 5,       /* call out of order, or a model/arena that is not this one */
	ENG_ERR_INTERNAL = 6     /* engine fault: an invariant did not hold */
} eng_status_t;

/* TensorType values of the TFLite schema (spec 4.3). */
typedef enum {
	ENG_FLOAT32 = 0, ENG_FLOAT16 = 1, ENG_INT32 = 2, ENG_UINT8 = 3, ENG_INT64 = 4,
	ENG_STRING = 5, ENG_BOOL = 6, ENG_INT16 = 7, ENG_COMPLEX64 = 8, ENG_INT8 = 9,
	ENG_FLOAT64 = 10, ENG_COMPLEX128 = 11, ENG_UINT64 = 12, ENG_RESOURCE = 13,
	ENG_VARIANT = 14, ENG_UINT32 = 15, ENG_UINT16 = 16, ENG_INT4 = 17, ENG_BFLOAT16 = 18
} eng_type_t;

#define ENG_MAX_DIMS 6       /* tensors of higher rank are refused at load */
#define ENG_OP_MAX_IO 4      /* most inputs a supported operator takes */
#define ENG_MSG_SIZE 160     /* error message buffer, NUL-terminated */
#define ENG_MODEL_ALIGN 4u   /* required alignment of the model buffer */
#define ENG_ARENA_ALIGN 4u   /* required alignment of the arena (16 recommended) */
#define ENG_BUFFER_ALIGN 16u /* activation buffers are 16-byte aligned relative to the arena */

/* Profiling clock: returns a free-running tick count (unit chosen by the host, e.g. us).
   Differences are taken modulo 2^32, so wrap-around is harmless. */
typedef uint32_t (*eng_clock_fn)(void *ctx);

/* Interpreter state. Treat every field as private; use the functions below. */
typedef struct eng_interp {
	uint32_t magic, state;
	uint32_t model_size, model_print;          /* size and fingerprint of the model */
	uint32_t tensors_vec, n_tensors;           /* model offsets of subgraph vectors */
	uint32_t ops_vec, n_ops;
	uint32_t opcodes_vec, n_opcodes;
	uint32_t buffers_vec, n_buffers;
	uint32_t inputs_vec, n_inputs;
	uint32_t outputs_vec, n_outputs;
	uint32_t arena_size, arena_used;           /* set by eng_allocate */
	uint32_t head_size, tail_size, plan_scratch;
	uint32_t refs_off, nodes_off, prof_off;    /* arena offsets of tail arrays */
	uint32_t n_buffers_planned;
	uint32_t stamp;                            /* written at the arena top, checked on use */
	eng_clock_fn clock;                        /* NULL: profiling off */
	void *clock_ctx;                           /* caller-owned, passed to clock */
	char msg[ENG_MSG_SIZE];
} eng_interp_t;

typedef struct {
	uint32_t index;         /* tensor index in the subgraph */
	eng_type_t type;
	uint32_t rank;
	int32_t shape[ENG_MAX_DIMS];
	uint32_t elements, bytes;
	float scale;            /* first (or only) scale; 0 when not quantized */
	int32_t zero_point;     /* first (or only) zero point */
	uint32_t n_scales;      /* > 1: per-channel quantization (see eng_tensor_channel) */
	int32_t quantized_dimension;
	int is_constant;        /* data lives in the model (read-only) */
	void *data;             /* NULL before eng_allocate, or for unused tensors */
	const char *name;       /* points into the model; NOT NUL-terminated */
	uint32_t name_len;
} eng_tensor_info_t;

typedef struct {
	uint32_t index;
	int32_t builtin;        /* BuiltinOperator code (spec 4.3) */
	const char *name;       /* static string, e.g. "CONV_2D" */
	uint32_t n_inputs, n_outputs;
	int32_t inputs[ENG_OP_MAX_IO];  /* -1: optional input absent */
	int32_t outputs[ENG_OP_MAX_IO];
	int fixture_verified;   /* 1: kernel verified bit-exact against fixture oracles;
	                           0: spec-tested (hand-computed expectations only) */
} eng_op_info_t;

/* ---- status and names (static strings, never NULL) ---- */
const char *eng_status_name(eng_status_t status);
const char *eng_builtin_name(int32_t builtin_code);  /* "BUILTIN_200" style if unknown */
const char *eng_type_name(int32_t type);
const char *eng_message(const eng_interp_t *it);     /* last error message, "" if none */

/* ---- lifecycle ---- */
eng_status_t eng_load(eng_interp_t *it, const void *model, size_t model_size);
/* Dry run: exact bytes eng_allocate() needs. Uses no arena; needs about 1.2 KB of stack
   and refuses (ENG_ERR_UNSUPPORTED) models with more than ENG_DRY_RUN_MAX_BUFFERS
   activation buffers: allocate into a large arena and read eng_arena_used() instead. */
#define ENG_DRY_RUN_MAX_BUFFERS 96u
eng_status_t eng_arena_required(eng_interp_t *it, const void *model, size_t *bytes);
eng_status_t eng_allocate(eng_interp_t *it, const void *model, void *arena, size_t arena_size);
/* Exact bytes in use after eng_allocate (an arena of exactly this size works); 0 before. */
size_t eng_arena_used(const eng_interp_t *it);
/* Planned activation (head) and persistent (tail) parts of eng_arena_used(). */
size_t eng_arena_head(const eng_interp_t *it);
size_t eng_arena_tail(const eng_interp_t *it);

eng_status_t eng_invoke(eng_interp_t *it, const void *model, void *arena);
/* Runs ops [first, first+count) only: for per-layer inspection (read any tensor after
   each step). Running all ops in order in steps equals eng_invoke. */
eng_status_t eng_invoke_ops(eng_interp_t *it, const void *model, void *arena,
	uint32_t first, uint32_t count);

/* ---- introspection (arena may be NULL: info.data is then NULL) ---- */
uint32_t eng_input_count(const eng_interp_t *it);
uint32_t eng_output_count(const eng_interp_t *it);
uint32_t eng_tensor_count(const eng_interp_t *it);
uint32_t eng_op_count(const eng_interp_t *it);
eng_status_t eng_input(eng_interp_t *it, const void *model, void *arena, uint32_t i,
	eng_tensor_info_t *info);
eng_status_t eng_output(eng_interp_t *it, const void *model, void *arena, uint32_t i,
	eng_tensor_info_t *info);
eng_status_t eng_tensor(eng_interp_t *it, const void *model, void *arena, uint32_t index,
	eng_tensor_info_t *info);
/* Scale and zero point of one channel of a per-channel quantized tensor. */
eng_status_t eng_tensor_channel(eng_interp_t *it, const void *model, uint32_t index,
	uint32_t channel, float *scale, int32_t *zero_point);
eng_status_t eng_op(eng_interp_t *it, const void *model, uint32_t index, eng_op_info_t *info);

/* ---- profiling: per op invocation count and ticks, kept in the arena tail ---- */
/* clock NULL turns profiling off; counters keep their values until eng_profile_reset. */
void eng_profile_enable(eng_interp_t *it, eng_clock_fn clock, void *clock_ctx);
eng_status_t eng_profile_reset(eng_interp_t *it, void *arena);
eng_status_t eng_profile_op(eng_interp_t *it, const void *arena, uint32_t op,
	uint32_t *count, uint64_t *ticks);

#ifdef __cplusplus
}
#endif

#endif
