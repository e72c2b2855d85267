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
	return eng_pool_setup(c, op, data);
}

eng_status_t eng_max_pool_2d_eval(const eng_run_t *r, const void *data)
{
	const pool_data_t *d = (const pool_data_t *)data;
	pool_window_t w;
	int32_t b, oy, ox, ch, fy, fx;

	for (b = 0; b < d->batches; b++)
	for (oy = 0; oy < d->out_h; oy++)
	for (ox = 0; ox < d->out_w; ox++) {
		eng_pool_window(d, b, oy, ox, &w);
		for (ch = 0; ch < d->depth; ch++) {
			if (d->type == ENG_INT8) {
				const int8_t *x = (const int8_t *)eng_cdata(r, d->in);
				int32_t m = -128;
				for (fy = w.y0; fy < w.y1; fy++)
					for (fx = w.x0; fx < w.x1; fx++) {
						int32_t v = x[eng_pool_in(d, b, &w, fy, fx, ch)];
						m = v > m ? v : m;
					}
				m = m < d->act_min ? d->act_min : m > d->act_max ? d->act_max : m;
				((int8_t *)eng_mdata(r, d->out))[w.out + ch] = (int8_t)m;
			} else {
				const float *x = (const float *)eng_cdata(r, d->in);
				float m = -FLT_MAX;
				for (fy = w.y0; fy < w.y1; fy++)
					for (fx = w.x0; fx < w.x1; fx++) {
						float v = x[eng_pool_in(d, b, &w, fy, fx, ch)];
						m = v > m ? v : m;
					}
				m = m < d->f_min ? d->f_min : m > d->f_max ? d->f_max : m;
				((float *)eng_mdata(r, d->out))[w.out + ch] = m;
			}
		}
	}
	return ENG_OK;
}
