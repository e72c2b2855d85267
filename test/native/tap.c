/*
 * tap.c - see tap.h. Test-only code: a process-wide counter is fine here.
 */
#include <stdio.h>
#include "tap.h"

static int passed, failed;

static void vfail(const char *name, const char *fmt, va_list ap)
{
	printf("not ok %s: ", name);
	vprintf(fmt, ap);
	printf("\n");
	failed++;
}

void tap_ok(const char *name)
{
	printf("ok %s\n", name);
	passed++;
}

void tap_fail(const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(name, fmt, ap);
	va_end(ap);
}

int tap_check(int cond, const char *name, const char *fmt, ...)
{
	va_list ap;
	if (cond) {
		tap_ok(name);
		return 1;
	}
	va_start(ap, fmt);
	vfail(name, fmt, ap);
	va_end(ap);
	return 0;
}

int tap_done(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	fflush(stdout);
	return failed > 0 ? 1 : 0;
}
