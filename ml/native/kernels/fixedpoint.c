/*
 * fixedpoint.c - gemmlowp fixed-point exp, reciprocal, logistic and tanh (see fixedpoint.h).
 */
#include "fixedpoint.h"

#define F2_ONE (1 << 29)   /* 1.0 in Q2.29 */

/* exp(x) for x in [-1/4, 0), Q0.31 in and out: Taylor expansion around -1/8 */
static int32_t exp_interval(int32_t a)
{
	const int32_t exp_m1_8 = 1895147668, one_third = 715827883;
	int32_t x = eng_add_wrap(a, 1 << 28), x2, x3, x4, t;

	x2 = eng_srdhm(x, x);
	x3 = eng_srdhm(x2, x);
	x4 = eng_srdhm(x2, x2);
	t = eng_rdbypot(eng_add_wrap(eng_srdhm(eng_add_wrap(eng_rdbypot(x4, 2), x3), one_third), x2), 1);
	return eng_add_wrap(exp_m1_8, eng_srdhm(exp_m1_8, eng_add_wrap(x, t)));
}

int32_t eng_exp_on_negative_values(int32_t a, int int_bits)
{
	static const int32_t barrel[7] = { 1672461947, 1302514674, 790015084, 290630308,
		39332535, 720401, 242 };   /* e^-(2^k), k = -2..4 */
	const int frac = 31 - int_bits;
	const int32_t quarter = 1 << (frac - 2);
	int32_t a_mod = eng_add_wrap(a & (quarter - 1), -quarter);
	int32_t result = exp_interval(eng_sat_shl(a_mod, int_bits));
	int32_t remainder = eng_add_wrap(a_mod, (int32_t)(0u - (uint32_t)a));
	int k;

	for (k = 0; k < 7 && k - 2 < int_bits; k++)
		if (remainder & (1 << (frac - 2 + k)))
			result = eng_srdhm(result, barrel[k]);
	return a == 0 ? INT32_MAX : result;
}

/* RoundingHalfSum(a, 1.0) in Q0.31, and the Newton-Raphson 1 / (1 + a) in Q2.29 */
static int32_t reciprocal_q2(int32_t a)
{
	int64_t s = (int64_t)a + INT32_MAX;
	int32_t half_den = (int32_t)((s + (s >= 0 ? 1 : -1)) / 2), x;
	int i;

	x = eng_add_wrap(1515870810, eng_srdhm(half_den, -1010580540));   /* 48/17 - 32/17 d */
	for (i = 0; i < 3; i++) {
		int32_t r = eng_add_wrap(F2_ONE, (int32_t)(0u - (uint32_t)eng_srdhm(half_den, x)));
		x = eng_add_wrap(x, eng_sat_shl(eng_srdhm(x, r), 2));
	}
	return x;
}

int32_t eng_one_over_one_plus_x(int32_t a)
{
	return eng_sat_shl(reciprocal_q2(a), 1);
}

int32_t eng_one_minus_x_over_one_plus_x(int32_t a)
{
	return eng_sat_shl(eng_add_wrap(reciprocal_q2(a), -F2_ONE), 2);
}

/* 0 - x, saturating INT32_MIN like gemmlowp's unary minus on raw values (wraps) */
static int32_t neg(int32_t x)
{
	return (int32_t)(0u - (uint32_t)x);
}

int32_t eng_logistic_q4(int32_t a)
{
	int32_t pos;

	if (a == 0)
		return 1 << 30;   /* RDbyPOT(INT32_MAX, 1) */
	pos = eng_one_over_one_plus_x(eng_exp_on_negative_values(a > 0 ? neg(a) : a, 4));
	return a > 0 ? pos : eng_add_wrap(INT32_MAX, neg(pos));
}

int32_t eng_tanh_q4(int32_t a)
{
	int32_t n, t;

	if (a == 0)
		return 0;
	n = a < 0 ? a : neg(a);   /* -|a| */
	/* neg_tanh_on_negative_values(n) = (1 - e^(2n)) / (1 + e^(2n)): ExactMulByPot<1>
	   keeps the raw value and reads it as Q5.26 */
	t = eng_one_minus_x_over_one_plus_x(eng_exp_on_negative_values(n, 5));
	return a < 0 ? neg(t) : t;
}
