/*
 * cli.h - shared pieces of the native model tool (tflm_cli).
 */
#ifndef TFLM_CLI_H
#define TFLM_CLI_H

#include <stddef.h>
#include <stdint.h>
#include "engine.h"

typedef struct {
	const char *path;
	uint8_t *model;          /* 16-byte aligned copy of the file */
	size_t model_size;
	uint8_t *arena;          /* NULL until allocated */
	size_t arena_size;
	eng_interp_t it;
} cli_model_t;

/* Reads, loads and (when allocate) sizes and allocates the arena. Prints errors. */
int cli_open(cli_model_t *m, const char *path, int allocate, size_t arena_override);
void cli_close(cli_model_t *m);
/* Reads a whole file into malloc'd memory (16-byte aligned). NULL on failure. */
uint8_t *cli_read_file(const char *path, size_t *size);

int cli_inspect(cli_model_t *m, int json);

#endif
