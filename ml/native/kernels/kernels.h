/*
 * kernels.h - operator registry. Dispatch is a switch (no function-pointer table), so the
 * engine has no relocated data even when built position-independent.
 *
 * Life cycle of every kernel (one file per op):
 *   setup = init (read builtin options into op data) + prepare (validate tensors,
 *           compute quantized multipliers and activation ranges, persist op data in the
 *           arena tail). Runs once, in eng_allocate (and in the dry run).
 *   eval  = compute only. No validation, no allocation, no model parsing.
 */
#ifndef ENG_KERNELS_H
#define ENG_KERNELS_H

#include "../eng_internal.h"

typedef enum {
	ENG_K_NONE = 0,
	ENG_K_ADD,
	ENG_K_AVERAGE_POOL_2D,
	ENG_K_CONV_2D,
	ENG_K_DEPTHWISE_CONV_2D,
	ENG_K_FULLY_CONNECTED,
	ENG_K_MAX_POOL_2D,
	ENG_K_RESHAPE,
	ENG_K_SOFTMAX,
	/* spec-tested: hand-computed expectations only, no fixture oracle yet */
	ENG_K_CONCATENATION,
	ENG_K_DEQUANTIZE,
	ENG_K_LOGISTIC,
	ENG_K_MEAN,
	ENG_K_MUL,
	ENG_K_PAD,
	ENG_K_QUANTIZE,
	ENG_K_RELU,
	ENG_K_RELU6,
	ENG_K_TANH
} eng_kernel_id_t;

/* Kernel for a BuiltinOperator code, ENG_K_NONE if unsupported. */
uint8_t eng_kernel_for(int32_t builtin);
/* Builtin options union type the kernel expects (OPTS_*). */
uint8_t eng_kernel_options_type(uint8_t kernel);
/* Load-time type screen: 1 if the kernel handles an op whose first input has in_type
   and whose output has out_type (full checks happen in prepare). */
int eng_kernel_types_ok(uint8_t kernel, int32_t in_type, int32_t out_type);
/* 1 if the kernel is verified bit-exact against fixture oracles (TFLM outputs), 0 if it is
   only tested against hand-computed expectations from the spec or the TFLM source. */
int eng_kernel_fixture_verified(uint8_t kernel);

eng_status_t eng_kernel_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data);
eng_status_t eng_kernel_eval(uint8_t kernel, const eng_run_t *r, const void *data);

/* Per-kernel entry points. */
#define ENG_DECLARE_KERNEL(name) \
	eng_status_t eng_##name##_setup(eng_ctx_t *c, const eng_opdesc_t *op, uint32_t *data); \
	eng_status_t eng_##name##_eval(const eng_run_t *r, const void *data);
ENG_DECLARE_KERNEL(add)
ENG_DECLARE_KERNEL(average_pool_2d)
ENG_DECLARE_KERNEL(conv_2d)
ENG_DECLARE_KERNEL(depthwise_conv_2d)
ENG_DECLARE_KERNEL(fully_connected)
ENG_DECLARE_KERNEL(max_pool_2d)
ENG_DECLARE_KERNEL(reshape)
ENG_DECLARE_KERNEL(softmax)
ENG_DECLARE_KERNEL(concatenation)
ENG_DECLARE_KERNEL(dequantize)
ENG_DECLARE_KERNEL(logistic)
ENG_DECLARE_KERNEL(mean)
ENG_DECLARE_KERNEL(mul)
ENG_DECLARE_KERNEL(pad)
ENG_DECLARE_KERNEL(quantize)
ENG_DECLARE_KERNEL(relu)
ENG_DECLARE_KERNEL(relu6)
ENG_DECLARE_KERNEL(tanh)
#undef ENG_DECLARE_KERNEL

#endif
