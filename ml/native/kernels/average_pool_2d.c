/*
 * average_pool_2d.c - AVERAGE_POOL_2D, int8 and float32 (spec 3.4).
 *
 * int8: sum the raw values of the in-image taps (no zero-point subtraction), divide by
 * the number of those taps rounding half away from zero with C truncating division:
 * (sum + n/2) / n if sum > 0, else (sum - n/2) / n; then clamp to the activation range.
 */
#include "pool_common.h"

eng_status_t eng_average_pool_2d_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data)
{
	return eng_pool_setup(c, op, data);
}

eng_status_t eng_average_pool_2d_eval(const eng_run_t *r, const void *data)
{
	const pool_data_t *d = (const pool_data_t *)data;
	pool_window_t w;
	int32_t b, oy, ox, ch, fy, fx;

	for (b = 0; b < d->batches; b++)
	for (oy = 0; oy < d->out_h; oy++)
	for (ox = 0; ox < d->out_w; ox++) {
		eng_pool_window(d, b, oy, ox, &w);
		if (w.y1 <= w.y0 || w.x1 <= w.x0)
			return ENG_ERR_INTERNAL;   /* excluded by the geometry checks in prepare */
		for (ch = 0; ch < d->depth; ch++) {
			int32_t n = (w.y1 - w.y0) * (w.x1 - w.x0);
			if (d->type == ENG_INT8) {
				const int8_t *x = (const int8_t *)eng_cdata(r, d->in);
				int32_t sum = 0;
				for (fy = w.y0; fy < w.y1; fy++)
					for (fx = w.x0; fx < w.x1; fx++)
						sum += x[eng_pool_in(d, b, &w, fy, fx, ch)];
				sum = sum > 0 ? (sum + n / 2) / n : (sum - n / 2) / n;
				sum = sum < d->act_min ? d->act_min : sum > d->act_max ? d->act_max : sum;
				((int8_t *)eng_mdata(r, d->out))[w.out + ch] = (int8_t)sum;
			} else {
				const float *x = (const float *)eng_cdata(r, d->in);
				float total = 0.0f, v;
				for (fy = w.y0; fy < w.y1; fy++)
					for (fx = w.x0; fx < w.x1; fx++)
						total += x[eng_pool_in(d, b, &w, fy, fx, ch)];
				v = total / (float)n;
				v = v < d->f_min ? d->f_min : v > d->f_max ? d->f_max : v;
				((float *)eng_mdata(r, d->out))[w.out + ch] = v;
			}
		}
	}
	return ENG_OK;
}
