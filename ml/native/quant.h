/*
 * quant.h - fixed-point primitives of the TFLM reference kernels (spec section 2).
 *
 * These are the core of bit-exactness: 64-bit products, rounding half away from zero,
 * and the default "double rounding" MultiplyByQuantizedMultiplier (spec 2.4).
 * Right shifts of negative int32 values must be arithmetic (GCC/Clang on every target we
 * build for; checked at compile time below).
 */
#ifndef ENG_QUANT_H
#define ENG_QUANT_H

#include <stdint.h>
#include "eng_error.h"

typedef char eng_arithmetic_shift_check[(-8 >> 1) == -4 ? 1 : -1];

/* spec 2.2 SaturatingRoundingDoublingHighMul */
static inline int32_t eng_srdhm(int32_t a, int32_t b)
{
	int64_t ab;
	int64_t nudge;

	if (a == b && a == INT32_MIN)
		return INT32_MAX;
	ab = (int64_t)a * (int64_t)b;
	nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
	return (int32_t)((ab + nudge) / ((int64_t)1 << 31));   /* C division truncates */
}

/* spec 2.3 RoundingDivideByPOT, exponent 0..31: rounds half away from zero */
static inline int32_t eng_rdbypot(int32_t x, int e)
{
	int32_t mask = (int32_t)(((int64_t)1 << e) - 1);
	int32_t remainder = x & mask;
	int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
	return (x >> e) + (remainder > threshold ? 1 : 0);
}

/* spec 2.4 MultiplyByQuantizedMultiplier; x * 2^left wraps as int32 */
static inline int32_t eng_mbqm(int32_t x, int32_t mult, int shift)
{
	int left = shift > 0 ? shift : 0;
	int right = shift > 0 ? 0 : -shift;
	return eng_rdbypot(eng_srdhm((int32_t)((uint32_t)x << left), mult), right);
}

/* gemmlowp SaturatingRoundingMultiplyByPOT with a positive exponent (spec 3.7.1/3.7.2) */
static inline int32_t eng_sat_shl(int32_t x, int e)
{
	int32_t threshold = (int32_t)(((int64_t)1 << (31 - e)) - 1);
	if (x > threshold)
		return INT32_MAX;
	if (x < -threshold)
		return INT32_MIN;
	return (int32_t)((uint32_t)x << e);
}

/* spec 2.1 QuantizeMultiplier: m ~= mult * 2^(shift - 31). m must be finite, >= 0. */
void eng_quantize_multiplier(double m, int32_t *mult, int *shift);

/* spec 2.6 CalculateActivationRangeQuantized for int8 outputs. Returns 0 for an
   activation this engine does not support (TANH, SIGN_BIT, unknown). */
int eng_act_range_q8(int act, float out_scale, int32_t out_zp, int32_t *min, int32_t *max);
/* Float activation range (CalculateActivationRange). Returns 0 if unsupported. */
int eng_act_range_f32(int act, float *min, float *max);
const char *eng_act_name(int act);

#endif
