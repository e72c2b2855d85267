/*
 * model.h - TFLite schema access on top of fb.h: model verification at load, and
 * descriptors of tensors and operators read from the model on demand (zero-copy).
 *
 * Descriptors hold model offsets, never pointers; they are valid while the model is.
 */
#ifndef ENG_MODEL_H
#define ENG_MODEL_H

#include "fb.h"

typedef struct {
	uint32_t index;
	uint8_t type, rank;
	int32_t dims[ENG_MAX_DIMS];
	uint32_t elems, bytes;
	uint32_t buffer;
	uint32_t data_pos, data_len;    /* constant data in the model; data_len 0: activation */
	float scale;                    /* first scale, 0 if none */
	int32_t zp;                     /* first zero point, 0 if none */
	uint32_t n_scales, scales_pos;  /* float32 vector in the model */
	uint32_t n_zps, zps_pos;        /* int64 vector in the model */
	int32_t qdim;                   /* quantized_dimension */
	uint32_t name_pos, name_len;
} eng_tdesc_t;

typedef struct {
	uint32_t index;
	int32_t builtin;
	uint8_t kernel;                 /* eng_kernel_id_t */
	fb_vec_t inputs, outputs;       /* int32 tensor indices, -1 = absent */
	uint8_t options_type;
	int has_options;
	fb_table_t options;
} eng_opdesc_t;

/* Bytes per element of a tensor type, 0 for types without a fixed byte size. */
uint32_t eng_type_size(int32_t type);

/* Checks the whole model and fills the model fields of *it. */
eng_status_t eng_model_verify(eng_interp_t *it, const uint8_t *model, uint32_t size);
eng_status_t eng_model_tensor(const fb_t *b, uint32_t index, eng_tdesc_t *d);
eng_status_t eng_model_op(const fb_t *b, uint32_t index, eng_opdesc_t *o);
/* Per-channel scale / zero point of a tensor already described by eng_model_tensor. */
float eng_model_scale(const fb_t *b, const eng_tdesc_t *d, uint32_t channel);
int32_t eng_model_zp(const fb_t *b, const eng_tdesc_t *d, uint32_t channel);

/* Tensor index k of an operator's inputs or outputs vector (validated at load). */
static inline int32_t eng_op_io(const fb_t *b, const fb_vec_t *v, uint32_t k)
{
	return k < v->len ? fb_rd_i32(b->p, v->pos + 4 * k) : -1;
}

/* Model fingerprint: size and FNV-1a over the first and last 64 bytes. */
uint32_t eng_model_print(const uint8_t *model, uint32_t size);

#endif
