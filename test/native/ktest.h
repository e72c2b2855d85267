/*
 * ktest.h - runs a small model built with mkmodel through the public engine API:
 * build, load, dry run, allocate an exact-size arena, write inputs, invoke, read output 0.
 */
#ifndef KTEST_H
#define KTEST_H

#include <stddef.h>
#include "engine.h"
#include "mkmodel.h"

typedef struct {
	eng_status_t status;
	const char *stage;      /* "build", "load", "dry-run", "allocate", "invoke", "done" */
	char msg[ENG_MSG_SIZE];
} kt_result_t;

/* in[i] are the model inputs in order (NULL ends the list early). */
kt_result_t kt_run(const mm_model_t *m, const void *const *in, void *out, size_t out_bytes);

/* Compares int8 outputs; prints via tap. Returns 1 when equal. */
int kt_expect_q8(const char *name, const mm_model_t *m, const void *const *in,
	const int8_t *want, size_t n);
int kt_expect_f32(const char *name, const mm_model_t *m, const void *const *in,
	const float *want, size_t n, double tol);
/* Expects the model to be refused with `status` and a message containing `needle`. */
int kt_expect_refused(const char *name, const mm_model_t *m, eng_status_t status,
	const char *needle);

#endif
