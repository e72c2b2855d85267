/*
 * tap.h - minimal test reporter for the native tests.
 *
 * Output contract (read by the project's test runner): one line per case,
 * "ok <name>" or "not ok <name>: <detail>", then exactly one "N passed, M failed" line;
 * the process exits non-zero when M > 0.
 */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>

#if defined(__GNUC__)
#define TAP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TAP_PRINTF(a, b)
#endif

/* Records one case: passes when cond is true, else prints the formatted detail. */
int tap_check(int cond, const char *name, const char *fmt, ...) TAP_PRINTF(3, 4);
void tap_ok(const char *name);
void tap_fail(const char *name, const char *fmt, ...) TAP_PRINTF(2, 3);
/* Prints the summary line and returns the process exit code. */
int tap_done(void);

#endif
