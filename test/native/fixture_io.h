/*
 * fixture_io.h - test helpers: read fixture files (FIXTURES_DIR, default
 * ../shared/fixtures/tflm relative to the repository root), exact-size aligned buffers
 * (so AddressSanitizer sees any read past the end), and per-layer dump listings.
 */
#ifndef FIXTURE_IO_H
#define FIXTURE_IO_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint8_t *data;   /* 16-byte aligned, exactly `size` bytes allocated */
	size_t size;
} fx_buf_t;

const char *fx_dir(void);
/* Allocates exactly `size` bytes, 16-byte aligned (size 0 allocates 1). 0 on success. */
int fx_alloc(fx_buf_t *b, size_t size);
void fx_free(fx_buf_t *b);
/* Reads FIXTURES_DIR/rel into an exact-size buffer. 0 on success. */
int fx_read(const char *rel, fx_buf_t *b);

typedef struct {
	int op;          /* NN of opNN_..._tKK.bin */
	int tensor;      /* KK */
	char file[512];
} fx_layer_t;

/* Lists FIXTURES_DIR/rel/op*.bin sorted by op; returns the count or -1. */
int fx_layers(const char *rel, fx_layer_t *out, int max);

#endif
