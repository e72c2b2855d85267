/*
 * fixture_io.c - see fixture_io.h (test-only: uses malloc and POSIX directory reads).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fixture_io.h"

const char *fx_dir(void)
{
	const char *d = getenv("FIXTURES_DIR");
	if (d && *d)
		return d;
#ifdef FIXTURES_DEFAULT
	return FIXTURES_DEFAULT;   /* the Makefile's FIXTURES_DIR, absolute */
#else
	return "../shared/fixtures/tflm";   /* relative to the repository root */
#endif
}

int fx_alloc(fx_buf_t *b, size_t size)
{
	void *p = NULL;
	b->data = NULL;
	b->size = 0;
	if (posix_memalign(&p, 16, size ? size : 1) != 0)
		return -1;
	b->data = (uint8_t *)p;
	b->size = size;
	return 0;
}

void fx_free(fx_buf_t *b)
{
	free(b->data);
	b->data = NULL;
	b->size = 0;
}

int fx_read(const char *rel, fx_buf_t *b)
{
	char path[512];
	FILE *f;
	long n;
	int ok;

	snprintf(path, sizeof path, "%s/%s", fx_dir(), rel);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n < 0 || fx_alloc(b, (size_t)n) != 0) {
		fclose(f);
		return -1;
	}
	ok = fread(b->data, 1, (size_t)n, f) == (size_t)n;
	fclose(f);
	if (!ok)
		fx_free(b);
	return ok ? 0 : -1;
}

static int by_op(const void *a, const void *b)
{
	return ((const fx_layer_t *)a)->op - ((const fx_layer_t *)b)->op;
}

int fx_layers(const char *rel, fx_layer_t *out, int max)
{
	char path[512];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof path, "%s/%s", fx_dir(), rel);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL && n < max) {
		const char *t;
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, "op", 2) != 0 || len < 8 || len > 200 ||
			strlen(rel) > 200 || strcmp(e->d_name + len - 4, ".bin") != 0)
			continue;
		t = strrchr(e->d_name, '_');
		if (!t || t[1] != 't')
			continue;
		out[n].op = atoi(e->d_name + 2);
		out[n].tensor = atoi(t + 2);
		snprintf(out[n].file, sizeof out[n].file, "%.200s/%.200s", rel, e->d_name);
		n++;
	}
	closedir(d);
	qsort(out, (size_t)n, sizeof *out, by_op);
	return n;
}
