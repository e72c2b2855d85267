/*
 * planner_linear.c - no-reuse planner: every buffer gets its own range, in index order.
 * A baseline for tests and for debugging a suspected planning fault.
 */
#include "planner.h"

uint64_t eng_plan_linear(eng_plan_buf_t *bufs, uint32_t n)
{
	uint64_t at = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (at + bufs[i].size > 0x7fffffffu)
			return (uint64_t)1 << 32;
		bufs[i].offset = (uint32_t)at;
		at += bufs[i].size;
	}
	return at;
}
