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
	pool_data_t d;

	memset(&d, 0, sizeof d);
	ENG_CHECK(eng_pool_prepare(c, op, &d));
	eng_tail_persist(c, &d, sizeof d, data);
	return ENG_OK;
}

eng_status_t eng_average_pool_2d_eval(const eng_run_t *r, const void *data)
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
		if (y1 <= y0 || x1 <= x0)
			return ENG_ERR_INTERNAL;   /* excluded by the geometry checks in prepare */
		for (ch = 0; ch < d->depth; ch++) {
			int32_t n = (y1 - y0) * (x1 - x0);
			if (d->type == ENG_INT8) {
				const int8_t *x = (const int8_t *)eng_cdata(r, d->in);
				int32_t sum = 0;
				for (fy = y0; fy < y1; fy++)
					for (fx = x0; fx < x1; fx++)
						sum += x[(((size_t)b * d->in_h + iy0 + fy) * d->in_w + ix0 + fx) *
							d->depth + ch];
				sum = sum > 0 ? (sum + n / 2) / n : (sum - n / 2) / n;
				sum = sum < d->act_min ? d->act_min : sum > d->act_max ? d->act_max : sum;
				((int8_t *)eng_mdata(r, d->out))[o + ch] = (int8_t)sum;
			} else {
				const float *x = (const float *)eng_cdata(r, d->in);
				float total = 0.0f, v;
				for (fy = y0; fy < y1; fy++)
					for (fx = x0; fx < x1; fx++)
						total += x[(((size_t)b * d->in_h + iy0 + fy) * d->in_w + ix0 + fx) *
							d->depth + ch];
				v = total / (float)n;
				v = v < d->f_min ? d->f_min : v > d->f_max ? d->f_max : v;
				((float *)eng_mdata(r, d->out))[o + ch] = v;
			}
		}
	}
	return ENG_OK;
}
