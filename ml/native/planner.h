/*
 * planner.h - memory planner interface: assign arena offsets to activation buffers so
 * that buffers whose lifetimes overlap never overlap in memory.
 *
 * The caller owns the buffer array (it is the planner's only memory; 12 bytes per
 * buffer) and fills size/first/last; the planner writes offset. Lifetimes are inclusive
 * op indices (spec 5.2): model inputs start at op 0, an op's output starts at that op,
 * every use as an input extends `last`, model outputs last to the final op. Two buffers
 * are live together when neither ends before the other starts, so an op's inputs never
 * share memory with its output.
 *
 * Implementations:
 *   eng_plan_greedy  spec 5.3: largest buffer first; each next buffer goes into the
 *                    lowest gap between already placed, time-overlapping buffers that
 *                    fits it, or after the last of them. O(n^3) worst case, no scratch.
 *   eng_plan_linear  no reuse: buffers one after another (debugging baseline).
 *
 * Both return the high-water mark (bytes from offset 0), or UINT64 above 2^31 when the
 * plan would not fit a 31-bit arena (the caller refuses it).
 */
#ifndef ENG_PLANNER_H
#define ENG_PLANNER_H

#include <stdint.h>

typedef struct {
	uint32_t size;      /* bytes, already rounded to the buffer alignment */
	uint32_t offset;    /* output */
	uint16_t first;     /* first op that needs the buffer */
	uint16_t last;      /* last op that needs the buffer */
} eng_plan_buf_t;

uint64_t eng_plan_greedy(eng_plan_buf_t *bufs, uint32_t n);
uint64_t eng_plan_linear(eng_plan_buf_t *bufs, uint32_t n);

/* Test support, O(n^2): returns 1 and the pair if two simultaneously live buffers
   overlap in memory, else 0. */
int eng_plan_find_overlap(const eng_plan_buf_t *bufs, uint32_t n, uint32_t *a, uint32_t *b);

static inline int eng_plan_live_together(const eng_plan_buf_t *x, const eng_plan_buf_t *y)
{
	return !(x->last < y->first || y->last < x->first);
}

#endif
