/*
 * mkmodel.h - test-only builder of small .tflite flatbuffers (schema facts: spec 4.1-4.3).
 *
 * Tests describe a model (tensors, ops, options, inputs, outputs) and mm_build
 * serializes it the way the FlatBuffers builder does: back to front, children before
 * parents, vtables before their tables, buffer data 16-byte aligned. Used for per-kernel
 * tests with hand-computed expectations, planner tests, and malformed-model tests.
 */
#ifndef MKMODEL_H
#define MKMODEL_H

#include <stdint.h>
#include "fixture_io.h"

#define MM_MAX_TENSORS 32
#define MM_MAX_OPS 16
#define MM_MAX_CH 16

enum { MM_BYTE = 1, MM_INT = 4, MM_FLOAT = 5 };

typedef struct {
	int type, rank;
	int32_t dims[6];
	const void *data;            /* constant data (copied at build), NULL: activation */
	uint32_t data_len;
	int quant;                   /* write QuantizationParameters */
	int n_scales;                /* 1 = per tensor */
	float scales[MM_MAX_CH];
	int64_t zps[MM_MAX_CH];
	int qdim;
	int is_variable;
	const char *name;
} mm_tensor_t;

typedef struct {
	uint8_t slot, kind;
	double value;
} mm_opt_t;

typedef struct {
	int32_t builtin;
	const char *custom;          /* custom_code for builtin 32 */
	int n_in, n_out;
	int32_t in[4], out[2];
	int opt_type, n_opts;
	mm_opt_t opts[8];
} mm_op_t;

typedef struct {
	int n_tensors, n_ops, n_inputs, n_outputs;
	mm_tensor_t tensors[MM_MAX_TENSORS];
	mm_op_t ops[MM_MAX_OPS];
	int32_t inputs[4], outputs[4];
	uint32_t version;            /* 0 means 3 */
	int subgraphs;               /* 0 means 1 */
} mm_model_t;

void mm_init(mm_model_t *m);
/* Adds a tensor; scale > 0 adds per-tensor quantization. Returns its index. */
int mm_tensor(mm_model_t *m, int type, int rank, const int32_t *dims, float scale, int32_t zp,
	const void *data, uint32_t data_len);
/* Per-channel quantization for tensor t (n scales, zero points 0). */
void mm_per_channel(mm_model_t *m, int t, int n, const float *scales, int qdim);
/* Adds an op with one output. Returns its index. */
int mm_op(mm_model_t *m, int32_t builtin, int opt_type, int n_in, const int32_t *in, int32_t out);
void mm_opt(mm_model_t *m, int op, int slot, int kind, double value);
void mm_io(mm_model_t *m, int n_in, const int32_t *in, int n_out, const int32_t *out);
/* Serializes into an exact-size, 16-byte aligned buffer. 0 on success. */
int mm_build(const mm_model_t *m, fx_buf_t *out);

#endif
