/*
 * pool_common.h - shared init/prepare of AVERAGE_POOL_2D and MAX_POOL_2D
 * (Pool2DOptions, geometry spec 2.7, spec 3.4/3.5), and the window each output position
 * reads, which both evals walk. Each eval (the arithmetic) stays in its op's file.
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

/* Setup of both pools: reads options, validates shapes and quantization (input and output
   must share scale within 1e-6 and zero point), computes padding and activation range, and
   persists the pool_data_t in the tail at *data. */
eng_status_t eng_pool_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data);

/* The window of output position (b, oy, ox): input origin (iy0, ix0), which may lie in the
   padding; its in-image taps fy in [y0, y1), fx in [x0, x1) (taps outside are skipped); and
   the index of the output's channel 0. */
typedef struct {
	int32_t iy0, ix0, y0, y1, x0, x1;
	size_t out;
} pool_window_t;

/* In-image window [start, end) of one output coordinate. */
static inline void eng_pool_span(int32_t origin, int32_t filter, int32_t size, int32_t *start,
	int32_t *end)
{
	*start = origin < 0 ? -origin : 0;
	*end = size - origin < filter ? size - origin : filter;
}

static inline void eng_pool_window(const pool_data_t *d, int32_t b, int32_t oy, int32_t ox,
	pool_window_t *w)
{
	w->iy0 = oy * d->stride_h - d->pad_h;
	w->ix0 = ox * d->stride_w - d->pad_w;
	w->out = (((size_t)b * d->out_h + oy) * d->out_w + ox) * d->depth;
	eng_pool_span(w->iy0, d->f_h, d->in_h, &w->y0, &w->y1);
	eng_pool_span(w->ix0, d->f_w, d->in_w, &w->x0, &w->x1);
}

/* Index of input tap (fy, fx) of window w, channel ch. */
static inline size_t eng_pool_in(const pool_data_t *d, int32_t b, const pool_window_t *w,
	int32_t fy, int32_t fx, int32_t ch)
{
	return (((size_t)b * d->in_h + w->iy0 + fy) * d->in_w + w->ix0 + fx) * d->depth + ch;
}

#endif
