/*
 * eng_error.h - error reporting into the interpreter's message buffer (no globals).
 *
 * ENG_ENSURE(it, cond, code, fmt, ...) returns `code` from the calling function with a
 * formatted message when `cond` is false. Messages carry the actual value and the limit.
 */
#ifndef ENG_ERROR_H
#define ENG_ERROR_H

#include "engine.h"

#if defined(__GNUC__)
#define ENG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ENG_PRINTF(a, b)
#endif

/* Writes the message into it->msg (truncated to ENG_MSG_SIZE) and returns code. */
eng_status_t eng_fail(eng_interp_t *it, eng_status_t code, const char *fmt, ...) ENG_PRINTF(3, 4);

#define ENG_ENSURE(it, cond, code, ...) \
	do { if (!(cond)) return eng_fail((it), (code), __VA_ARGS__); } while (0)

#define ENG_CHECK(expr) \
	do { eng_status_t eng_s_ = (expr); if (eng_s_ != ENG_OK) return eng_s_; } while (0)

#endif
