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
	ENG_K_SOFTMAX
} eng_kernel_id_t;

/* Kernel for a BuiltinOperator code, ENG_K_NONE if unsupported. */
uint8_t eng_kernel_for(int32_t builtin);
/* Builtin options union type the kernel expects (OPTS_*). */
uint8_t eng_kernel_options_type(uint8_t kernel);
/* Load-time type screen: 1 if the kernel handles an op whose first input has in_type
   and whose output has out_type (full checks happen in prepare). */
int eng_kernel_types_ok(uint8_t kernel, int32_t in_type, int32_t out_type);

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
#undef ENG_DECLARE_KERNEL

#endif
