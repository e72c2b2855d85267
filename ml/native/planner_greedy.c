/*
 * planner_greedy.c - greedy-by-size memory planner (spec 5.3).
 *
 * 1. Take the largest unplaced buffer (lowest index on ties, i.e. a stable order).
 * 2. Candidate offsets are 0 and the end of every placed buffer that is live at the same
 *    time. The lowest candidate at which the buffer overlaps no such placed buffer is the
 *    first gap that fits (or the end of the last one), which is where it goes.
 * The only memory used is the caller's array; the result is a high-water mark, not an
 * optimum (the problem is NP-complete).
 */
#include "planner.h"

#define UNPLACED 0xffffffffu

static int fits_at(const eng_plan_buf_t *bufs, uint32_t n, uint32_t self, uint64_t at)
{
	const eng_plan_buf_t *me = &bufs[self];
	uint32_t j;

	for (j = 0; j < n; j++) {
		const eng_plan_buf_t *o = &bufs[j];
		if (j == self || o->offset == UNPLACED || o->size == 0)
			continue;
		if (!eng_plan_live_together(me, o))
			continue;
		if (at < (uint64_t)o->offset + o->size && (uint64_t)o->offset < at + me->size)
			return 0;
	}
	return 1;
}

uint64_t eng_plan_greedy(eng_plan_buf_t *bufs, uint32_t n)
{
	uint64_t high = 0;
	uint32_t step, i, j;

	for (i = 0; i < n; i++)
		bufs[i].offset = UNPLACED;
	for (step = 0; step < n; step++) {
		uint32_t pick = UNPLACED;
		uint64_t best = 0;

		for (i = 0; i < n; i++)
			if (bufs[i].offset == UNPLACED && (pick == UNPLACED || bufs[i].size > bufs[pick].size))
				pick = i;
		if (bufs[pick].size != 0 && !fits_at(bufs, n, pick, 0)) {
			best = UINT64_MAX;
			for (j = 0; j < n; j++) {
				const eng_plan_buf_t *o = &bufs[j];
				uint64_t end = (uint64_t)o->offset + o->size;
				if (j == pick || o->offset == UNPLACED || o->size == 0 || end >= best)
					continue;
				if (eng_plan_live_together(&bufs[pick], o) && fits_at(bufs, n, pick, end))
					best = end;
			}
		}
		if (best + bufs[pick].size > 0x7fffffffu)
			return (uint64_t)1 << 32;   /* cannot be addressed: caller refuses the model */
		bufs[pick].offset = (uint32_t)best;
		if (best + bufs[pick].size > high)
			high = best + bufs[pick].size;
	}
	return high;
}

int eng_plan_find_overlap(const eng_plan_buf_t *bufs, uint32_t n, uint32_t *a, uint32_t *b)
{
	uint32_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			const eng_plan_buf_t *x = &bufs[i], *y = &bufs[j];
			if (x->size == 0 || y->size == 0 || !eng_plan_live_together(x, y))
				continue;
			if ((uint64_t)x->offset < (uint64_t)y->offset + y->size &&
				(uint64_t)y->offset < (uint64_t)x->offset + x->size) {
				*a = i;
				*b = j;
				return 1;
			}
		}
	return 0;
}
