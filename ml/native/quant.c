/*
 * quant.c - multiplier quantization and activation ranges (spec 2.1, 2.6).
 */
#include <float.h>
#include <math.h>
#include "quant.h"
#include "schema.h"

void eng_quantize_multiplier(double m, int32_t *mult, int *shift)
{
	double q;
	int64_t q_fixed;

	*mult = 0;
	*shift = 0;
	if (m == 0.0)
		return;
	q = frexp(m, shift);
	q_fixed = (int64_t)round(q * 2147483648.0);   /* round half away from zero */
	if (q_fixed == ((int64_t)1 << 31)) {
		q_fixed /= 2;
		++*shift;
	}
	if (*shift < -31) {
		*shift = 0;
		q_fixed = 0;
	}
	*mult = (int32_t)q_fixed;
}

/* Q(f) = zp + round_half_away(f / scale), in float32 (spec 2.6) */
static int32_t quantize_f(float f, float scale, int32_t zp)
{
	float v = roundf(f / scale);
	if (v > 1e9f)
		v = 1e9f;
	if (v < -1e9f)
		v = -1e9f;
	return zp + (int32_t)v;
}

int eng_act_range_q8(int act, float out_scale, int32_t out_zp, int32_t *min, int32_t *max)
{
	int32_t lo = -128, hi = 127, q;

	switch (act) {
	case ACT_NONE:
		break;
	case ACT_RELU:
		q = quantize_f(0.0f, out_scale, out_zp);
		lo = q > lo ? q : lo;
		break;
	case ACT_RELU6:
		q = quantize_f(0.0f, out_scale, out_zp);
		lo = q > lo ? q : lo;
		q = quantize_f(6.0f, out_scale, out_zp);
		hi = q < hi ? q : hi;
		break;
	case ACT_RELU_N1_TO_1:
		q = quantize_f(-1.0f, out_scale, out_zp);
		lo = q > lo ? q : lo;
		q = quantize_f(1.0f, out_scale, out_zp);
		hi = q < hi ? q : hi;
		break;
	default:
		return 0;
	}
	*min = lo;
	*max = hi;
	return 1;
}

int eng_act_range_f32(int act, float *min, float *max)
{
	switch (act) {
	case ACT_NONE: *min = -FLT_MAX; *max = FLT_MAX; return 1;
	case ACT_RELU: *min = 0.0f; *max = FLT_MAX; return 1;
	case ACT_RELU6: *min = 0.0f; *max = 6.0f; return 1;
	case ACT_RELU_N1_TO_1: *min = -1.0f; *max = 1.0f; return 1;
	default: return 0;
	}
}

const char *eng_act_name(int act)
{
	switch (act) {
	case ACT_NONE: return "NONE";
	case ACT_RELU: return "RELU";
	case ACT_RELU_N1_TO_1: return "RELU_N1_TO_1";
	case ACT_RELU6: return "RELU6";
	case ACT_TANH: return "TANH";
	case ACT_SIGN_BIT: return "SIGN_BIT";
	default: return "UNKNOWN_ACTIVATION";
	}
}
