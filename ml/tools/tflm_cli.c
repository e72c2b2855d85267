/*
 * tflm_cli.c - native model tool on top of ml/native/engine.h.
 *
 *   tflm_cli inspect MODEL [--json]
 *       ops, tensors (shape, type, quantization), weight bytes, planned arena
 *   tflm_cli run MODEL INPUT.bin [--out OUT.bin] [--profile] [--arena BYTES]
 *   tflm_cli run MODEL --input A.bin --input B.bin [...]
 *       each input file holds N concatenated samples; every sample is written into the
 *       input tensor(s) right before its invoke (later layers may reuse input memory);
 *       the outputs of all samples are concatenated (all model outputs, in order, per
 *       sample) into OUT.bin, or printed one sample per line without --out.
 *
 * Exit status: 0 success, 1 model or engine error, 2 usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

#define MAX_INPUTS 8

static int usage(void)
{
	fprintf(stderr,
		"usage: tflm_cli inspect MODEL [--json]\n"
		"       tflm_cli run MODEL (INPUT.bin | --input A.bin [--input B.bin ...])\n"
		"                [--out OUT.bin] [--profile] [--arena BYTES]\n");
	return 2;
}

uint8_t *cli_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
		posix_memalign(&p, 16, n ? (size_t)n : 1) != 0) {
		fclose(f);
		return NULL;
	}
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return (uint8_t *)p;
}

static int fail(const cli_model_t *m, const char *what, eng_status_t s)
{
	fprintf(stderr, "tflm: %s: %s failed: %s: %s\n", m->path, what, eng_status_name(s),
		eng_message(&m->it));
	return 1;
}

int cli_open(cli_model_t *m, const char *path, int allocate, size_t arena_override)
{
	eng_status_t s;
	size_t need = 0;
	void *p = NULL;

	memset(m, 0, sizeof *m);
	m->path = path;
	m->model = cli_read_file(path, &m->model_size);
	if (!m->model) {
		fprintf(stderr, "tflm: cannot read %s\n", path);
		return 1;
	}
	if ((s = eng_load(&m->it, m->model, m->model_size)) != ENG_OK)
		return fail(m, "load", s);
	if (!allocate)
		return 0;
	if (arena_override)
		need = arena_override;
	else if ((s = eng_arena_required(&m->it, m->model, &need)) != ENG_OK)
		return fail(m, "arena sizing", s);
	if (posix_memalign(&p, 16, need ? need : 1) != 0) {
		fprintf(stderr, "tflm: cannot allocate a %lu-byte arena\n", (unsigned long)need);
		return 1;
	}
	m->arena = (uint8_t *)p;
	m->arena_size = need;
	if ((s = eng_allocate(&m->it, m->model, m->arena, need)) != ENG_OK)
		return fail(m, "allocate", s);
	return 0;
}

void cli_close(cli_model_t *m)
{
	free(m->model);
	free(m->arena);
	m->model = m->arena = NULL;
}

static uint32_t clock_us(void *ctx)
{
	struct timespec ts;
	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)((uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u);
}

static void print_sample(const eng_tensor_info_t *o, size_t sample)
{
	uint32_t k;
	printf("%lu:", (unsigned long)sample);
	for (k = 0; k < o->elements; k++) {
		if (o->type == ENG_FLOAT32)
			printf(" %.9g", (double)((const float *)o->data)[k]);
		else if (o->type == ENG_INT8)
			printf(" %d", ((const int8_t *)o->data)[k]);
		else
			printf(" %02x", ((const uint8_t *)o->data)[k]);
	}
	printf("\n");
}

static void print_profile(cli_model_t *m)
{
	eng_op_info_t op;
	uint32_t i, count;
	uint64_t ticks, total = 0;

	fprintf(stderr, "%-4s %-20s %8s %12s %10s\n", "op", "name", "count", "total_us", "avg_us");
	for (i = 0; i < eng_op_count(&m->it); i++) {
		eng_op(&m->it, m->model, i, &op);
		eng_profile_op(&m->it, m->arena, i, &count, &ticks);
		total += ticks;
		fprintf(stderr, "%-4lu %-20s %8lu %12llu %10.1f\n", (unsigned long)i, op.name,
			(unsigned long)count, (unsigned long long)ticks, count ? (double)ticks / count : 0.0);
	}
	fprintf(stderr, "total %llu us\n", (unsigned long long)total);
}

static int run(int argc, char **argv)
{
	const char *model_path = NULL, *out_path = NULL, *inputs[MAX_INPUTS];
	uint8_t *data[MAX_INPUTS];
	size_t sizes[MAX_INPUTS], samples = 0, arena = 0, s;
	eng_tensor_info_t in[MAX_INPUTS], out;
	int n_in = 0, profile = 0, i, rc = 1;
	uint32_t k, n_out;
	FILE *of = NULL;
	cli_model_t m;
	eng_status_t st;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out_path = argv[++i];
		else if (!strcmp(argv[i], "--input") && i + 1 < argc && n_in < MAX_INPUTS)
			inputs[n_in++] = argv[++i];
		else if (!strcmp(argv[i], "--arena") && i + 1 < argc)
			arena = (size_t)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--profile"))
			profile = 1;
		else if (argv[i][0] == '-')
			return usage();
		else if (!model_path)
			model_path = argv[i];
		else if (n_in < MAX_INPUTS)
			inputs[n_in++] = argv[i];
		else
			return usage();
	}
	if (!model_path || n_in == 0)
		return usage();
	memset(data, 0, sizeof data);
	if (cli_open(&m, model_path, 1, arena) != 0)
		goto out;
	if ((uint32_t)n_in != eng_input_count(&m.it)) {
		fprintf(stderr, "tflm: model has %lu inputs, %d input files given\n",
			(unsigned long)eng_input_count(&m.it), n_in);
		rc = 2;
		goto out;
	}
	for (i = 0; i < n_in; i++) {
		eng_input(&m.it, m.model, m.arena, (uint32_t)i, &in[i]);
		data[i] = cli_read_file(inputs[i], &sizes[i]);
		if (!data[i] || in[i].bytes == 0 || sizes[i] % in[i].bytes != 0 ||
			(i > 0 && sizes[i] / in[i].bytes != samples)) {
			fprintf(stderr, "tflm: %s: unreadable, or not a whole number of %lu-byte samples%s\n",
				inputs[i], (unsigned long)in[i].bytes, i ? " matching the first input" : "");
			goto out;
		}
		samples = sizes[i] / in[i].bytes;
	}
	if (out_path && !(of = fopen(out_path, "wb"))) {
		fprintf(stderr, "tflm: cannot write %s\n", out_path);
		goto out;
	}
	if (profile)
		eng_profile_enable(&m.it, clock_us, NULL);
	n_out = eng_output_count(&m.it);
	for (s = 0; s < samples; s++) {
		for (i = 0; i < n_in; i++)
			memcpy(in[i].data, data[i] + s * in[i].bytes, in[i].bytes);
		if ((st = eng_invoke(&m.it, m.model, m.arena)) != ENG_OK) {
			fail(&m, "invoke", st);
			goto out;
		}
		for (k = 0; k < n_out; k++) {
			eng_output(&m.it, m.model, m.arena, k, &out);
			if (of && fwrite(out.data, 1, out.bytes, of) != out.bytes) {
				fprintf(stderr, "tflm: write to %s failed\n", out_path);
				goto out;
			}
			if (!of)
				print_sample(&out, s);
		}
	}
	if (profile)
		print_profile(&m);
	rc = 0;
out:
	if (of && fclose(of) != 0 && rc == 0) {
		fprintf(stderr, "tflm: write to %s failed\n", out_path);
		rc = 1;
	}
	for (i = 0; i < n_in; i++)
		free(data[i]);
	cli_close(&m);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "inspect")) {
		cli_model_t m;
		int json = argc >= 4 && !strcmp(argv[3], "--json"), rc;
		if (argc > 4 || (argc == 4 && !json))
			return usage();
		rc = cli_open(&m, argv[2], 1, 0);
		if (rc == 0)
			rc = cli_inspect(&m, json);
		cli_close(&m);
		return rc;
	}
	if (argc >= 3 && !strcmp(argv[1], "run"))
		return run(argc - 2, argv + 2);
	return usage();
}
