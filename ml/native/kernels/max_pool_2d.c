/*
 * max_pool_2d.c - MAX_POOL_2D, int8 and float32 (spec 3.5).
 *
 * The maximum over the in-image taps, starting from the type's lowest value (-128, or
 * -FLT_MAX), then clamped to the activation range. Quantization passes through.
 */
#include <float.h>
#include "pool_common.h"

eng_status_t eng_max_pool_2d_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	pool_data_t d;

	memset(&d, 0, sizeof d);
	ENG_CHECK(eng_pool_prepare(c, op, &d));
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

eng_status_t eng_max_pool_2d_eval(const eng_run_t *r, const void *data)
{
	const pool_data_t *d = (const pool_data_t *)data;
	int32_t b, oy, ox, ch, fy, fx, y0, y1, x0, x1;

	for (b = 0; b < d->batches; b++)
	for (oy = 0; oy < d->out_h; oy++)
	for (ox = 0; ox < d->out_w; ox++) {
		int32_t iy0 = oy * d->stride_h - d->pad_h, ix0 = ox * d->stride_w - d->pad_w;
		size_t o = (((size_t)b * d->out_h + oy) * d->out_w + ox) * d->depth;
		eng_pool_span(iy0, d->f_h, d->in_h, &y0, &y1);
		eng_pool_span(ix0, d->f_w, d->in_w, &x0, &x1);
		for (ch = 0; ch < d->depth; ch++) {
			if (d->type == ENG_INT8) {
				const int8_t *x = (const int8_t *)eng_cdata(r, d->in);
				int32_t m = -128;
				for (fy = y0; fy < y1; fy++)
					for (fx = x0; fx < x1; fx++) {
						int32_t v = x[(((size_t)b * d->in_h + iy0 + fy) * d->in_w + ix0 + fx) *
							d->depth + ch];
						m = v > m ? v : m;
					}
				m = m < d->act_min ? d->act_min : m > d->act_max ? d->act_max : m;
				((int8_t *)eng_mdata(r, d->out))[o + ch] = (int8_t)m;
			} else {
				const float *x = (const float *)eng_cdata(r, d->in);
				float m = -FLT_MAX;
				for (fy = y0; fy < y1; fy++)
					for (fx = x0; fx < x1; fx++) {
						float v = x[(((size_t)b * d->in_h + iy0 + fy) * d->in_w + ix0 + fx) *
							d->depth + ch];
						m = v > m ? v : m;
					}
				m = m < d->f_min ? d->f_min : m > d->f_max ? d->f_max : m;
				((float *)eng_mdata(r, d->out))[o + ch] = m;
			}
		}
	}
	return ENG_OK;
}
