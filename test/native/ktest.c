/*
 * ktest.c - see ktest.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "ktest.h"
#include "tap.h"

kt_result_t kt_run(const mm_model_t *m, const void *const *in, void *out, size_t out_bytes)
{
	kt_result_t r;
	fx_buf_t model = { 0, 0 }, arena = { 0, 0 };
	eng_interp_t it;
	eng_tensor_info_t info;
	size_t need = 0;
	uint32_t i;

	memset(&r, 0, sizeof r);
	memset(&it, 0, sizeof it);
	r.stage = "build";
	r.status = ENG_ERR_INTERNAL;
	if (mm_build(m, &model) != 0)
		goto out;
	r.stage = "load";
	if ((r.status = eng_load(&it, model.data, model.size)) != ENG_OK)
		goto out;
	r.stage = "dry-run";
	if ((r.status = eng_arena_required(&it, model.data, &need)) != ENG_OK)
		goto out;
	r.stage = "allocate";
	if (fx_alloc(&arena, need) != 0 ||
		(r.status = eng_allocate(&it, model.data, arena.data, need)) != ENG_OK)
		goto out;
	r.stage = "invoke";
	for (i = 0; in && i < eng_input_count(&it) && in[i]; i++) {
		eng_input(&it, model.data, arena.data, i, &info);
		memcpy(info.data, in[i], info.bytes);
	}
	if ((r.status = eng_invoke(&it, model.data, arena.data)) != ENG_OK)
		goto out;
	eng_output(&it, model.data, arena.data, 0, &info);
	if (info.bytes != out_bytes) {
		r.status = ENG_ERR_INTERNAL;
		snprintf(r.msg, sizeof r.msg, "output has %lu bytes, test expects %lu",
			(unsigned long)info.bytes, (unsigned long)out_bytes);
		goto done;
	}
	memcpy(out, info.data, out_bytes);
	r.stage = "done";
out:
	snprintf(r.msg, sizeof r.msg, "%s", eng_message(&it));
done:
	fx_free(&model);
	fx_free(&arena);
	return r;
}

int kt_expect_q8(const char *name, const mm_model_t *m, const void *const *in,
	const int8_t *want, size_t n)
{
	int8_t got[256];
	char detail[1024];
	size_t i, len = 0;
	kt_result_t r = kt_run(m, in, got, n);

	if (r.status != ENG_OK)
		return tap_check(0, name, "%s failed (%d): %s", r.stage, (int)r.status, r.msg);
	for (i = 0; i < n; i++)
		if (got[i] != want[i])
			break;
	if (i == n)
		return tap_check(1, name, "%s", "");
	for (i = 0; i < n && len < sizeof detail - 16; i++)
		len += (size_t)snprintf(detail + len, sizeof detail - len, "%s%d/%d", i ? " " : "",
			got[i], want[i]);
	return tap_check(0, name, "got/want %s", detail);
}

int kt_expect_f32(const char *name, const mm_model_t *m, const void *const *in,
	const float *want, size_t n, double tol)
{
	float got[256];
	size_t i;
	kt_result_t r = kt_run(m, in, got, n * 4);

	if (r.status != ENG_OK)
		return tap_check(0, name, "%s failed (%d): %s", r.stage, (int)r.status, r.msg);
	for (i = 0; i < n; i++)
		if (!(fabs((double)got[i] - want[i]) <= tol))
			return tap_check(0, name, "element %lu: got %.9g want %.9g", (unsigned long)i,
				(double)got[i], (double)want[i]);
	return tap_check(1, name, "%s", "");
}

int kt_expect_refused(const char *name, const mm_model_t *m, eng_status_t status,
	const char *needle)
{
	int8_t out[256];
	kt_result_t r = kt_run(m, NULL, out, 0);

	return tap_check(r.status == status && strstr(r.msg, needle) != NULL, name,
		"stage %s status %d (want %d), message \"%s\" (want \"%s\")", r.stage, (int)r.status,
		(int)status, r.msg, needle);
}
