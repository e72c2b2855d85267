/*
 * eng_error.c - error messages and static name tables for statuses and types.
 */
#include <stdarg.h>
#include <stdio.h>
#include "eng_internal.h"

static eng_status_t failv(eng_interp_t *it, eng_status_t code, size_t at, const char *fmt,
	va_list ap)
{
	if (it) {
		if (at < ENG_MSG_SIZE)
			vsnprintf(it->msg + at, ENG_MSG_SIZE - at, fmt, ap);
		it->msg[ENG_MSG_SIZE - 1] = 0;
	}
	return code;
}

eng_status_t eng_fail(eng_interp_t *it, eng_status_t code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	code = failv(it, code, 0, fmt, ap);
	va_end(ap);
	return code;
}

eng_status_t eng_op_fail(const eng_ctx_t *c, eng_status_t code, const char *fmt, ...)
{
	va_list ap;
	int n;
	eng_interp_t *it = c->fb.it;

	n = snprintf(it->msg, ENG_MSG_SIZE, "op %lu (%s): ", (unsigned long)c->op,
		eng_builtin_name(c->builtin));
	va_start(ap, fmt);
	code = failv(it, code, n > 0 ? (size_t)n : 0, fmt, ap);
	va_end(ap);
	return code;
}

const char *eng_message(const eng_interp_t *it)
{
	return it ? it->msg : "";
}

const char *eng_status_name(eng_status_t status)
{
	switch (status) {
	case ENG_OK: return "ok";
	case ENG_ERR_ARGUMENT: return "bad argument";
	case ENG_ERR_MODEL: return "malformed model";
	case ENG_ERR_UNSUPPORTED: return "unsupported";
	case ENG_ERR_ARENA: return "arena too small";
	case ENG_ERR_STATE: return "bad state";
	case ENG_ERR_INTERNAL: return "internal error";
	}
	return "unknown status";
}

const char *eng_type_name(int32_t type)
{
	switch (type) {
	case ENG_FLOAT32: return "FLOAT32";
	case ENG_FLOAT16: return "FLOAT16";
	case ENG_INT32: return "INT32";
	case ENG_UINT8: return "UINT8";
	case ENG_INT64: return "INT64";
	case ENG_STRING: return "STRING";
	case ENG_BOOL: return "BOOL";
	case ENG_INT16: return "INT16";
	case ENG_COMPLEX64: return "COMPLEX64";
	case ENG_INT8: return "INT8";
	case ENG_FLOAT64: return "FLOAT64";
	case ENG_COMPLEX128: return "COMPLEX128";
	case ENG_UINT64: return "UINT64";
	case ENG_RESOURCE: return "RESOURCE";
	case ENG_VARIANT: return "VARIANT";
	case ENG_UINT32: return "UINT32";
	case ENG_UINT16: return "UINT16";
	case ENG_INT4: return "INT4";
	case ENG_BFLOAT16: return "BFLOAT16";
	}
	return "UNKNOWN_TYPE";
}
