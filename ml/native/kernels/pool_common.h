/*
 * pool_common.h - shared init/prepare of AVERAGE_POOL_2D and MAX_POOL_2D
 * (Pool2DOptions, geometry spec 2.7, spec 3.4/3.5). Eval stays in each op's file.
 */
#ifndef ENG_POOL_COMMON_H
#define ENG_POOL_COMMON_H

#include "kernel_util.h"

typedef struct {
	uint16_t in, out;
	uint8_t type;
	int8_t padding, act, pad_;
	int32_t batches, in_h, in_w, depth, out_h, out_w, f_h, f_w;
	int32_t stride_h, stride_w, pad_h, pad_w;
	int32_t act_min, act_max;
	float f_min, f_max;
} pool_data_t;

/* Reads options, validates shapes and quantization (input and output must share scale
   within 1e-6 and zero point), computes padding and activation range. */
eng_status_t eng_pool_prepare(eng_ctx_t *c, const eng_opdesc_t *op, pool_data_t *d);

/* In-image window [start, end) of one output coordinate (taps outside are skipped). */
static inline void eng_pool_span(int32_t origin, int32_t filter, int32_t size, int32_t *start,
	int32_t *end)
{
	*start = origin < 0 ? -origin : 0;
	*end = size - origin < filter ? size - origin : filter;
}

#endif
