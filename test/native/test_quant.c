/*
 * test_quant.c - fixed-point primitives against values worked out by hand from the spec
 * (section 2). Each expectation states the arithmetic it comes from.
 */
#include <stdio.h>
#include "quant.h"
#include "tap.h"

#define P30 (1 << 30)   /* 0.5 as a Q0.31 multiplier */

static void eq(const char *name, long long got, long long want)
{
	tap_check(got == want, name, "got %lld, want %lld", got, want);
}

static void srdhm(void)
{
	/* spec 2.2: (a*b + nudge) / 2^31, truncating; nudge 2^30 or 1 - 2^30 */
	eq("srdhm-min-times-min-saturates", eng_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
	eq("srdhm-half-of-3-rounds-up-to-2", eng_srdhm(3, P30), 2);           /* (3*2^30 + 2^30)/2^31 = 2 */
	eq("srdhm-half-of-minus-3-is-minus-1", eng_srdhm(-3, P30), -1);       /* (-4*2^30 + 1)/2^31 -> -1.99.. -> -1 */
	eq("srdhm-half-of-minus-4-is-minus-2", eng_srdhm(-4, P30), -2);       /* (-5*2^30 + 1)/2^31 -> -2.49.. -> -2 */
	eq("srdhm-quarter-squared", eng_srdhm(P30, P30), 1 << 29);            /* 0.5 * 0.5 = 0.25 */
	eq("srdhm-max-times-max", eng_srdhm(INT32_MAX, INT32_MAX), 2147483646); /* (2^62 - 2^32 + 1 + 2^30)/2^31 */
	eq("srdhm-min-times-max", eng_srdhm(INT32_MIN, INT32_MAX), -2147483647); /* (-2^62 + 2^31 + 1 - 2^30)/2^31 */
}

static void rdbypot(void)
{
	/* spec 2.3: rounds half away from zero */
	eq("rdbypot-5-by-2-is-3", eng_rdbypot(5, 1), 3);        /* 2.5 -> 3 */
	eq("rdbypot-minus-5-by-2-is-minus-3", eng_rdbypot(-5, 1), -3);
	eq("rdbypot-7-by-4-is-2", eng_rdbypot(7, 2), 2);        /* 1.75 */
	eq("rdbypot-minus-7-by-4-is-minus-2", eng_rdbypot(-7, 2), -2);
	eq("rdbypot-6-by-4-is-2", eng_rdbypot(6, 2), 2);        /* 1.5 -> 2 */
	eq("rdbypot-minus-6-by-4-is-minus-2", eng_rdbypot(-6, 2), -2);
	eq("rdbypot-minus-5-by-4-is-minus-1", eng_rdbypot(-5, 2), -1);   /* -1.25 */
	eq("rdbypot-exponent-0-is-identity", eng_rdbypot(-12345, 0), -12345);
	eq("rdbypot-exponent-31", eng_rdbypot(INT32_MIN, 31), -1);        /* -1.0 exactly */
}

static void mbqm(void)
{
	/* spec 2.4: RDbyPOT(SRDHM(x * 2^left, mult), right) */
	eq("mbqm-half", eng_mbqm(100, P30, 0), 50);
	eq("mbqm-one", eng_mbqm(100, P30, 1), 100);
	eq("mbqm-quarter", eng_mbqm(100, P30, -1), 25);
	eq("mbqm-two", eng_mbqm(100, P30, 2), 200);
	/* 5 * 0.25 = 1.25: SRDHM gives 3 (2.5 up), RDbyPOT(3, 1) gives 2 (1.5 away from zero);
	   single rounding would give 1. This is the documented double rounding. */
	eq("mbqm-double-rounding-5-quarter-is-2", eng_mbqm(5, P30, -1), 2);
	eq("mbqm-minus-3-quarter-is-minus-1", eng_mbqm(-3, P30, -1), -1);  /* SRDHM -1, RDbyPOT(-1,1) = -1 */
	/* (2^29 + 1) * 4 wraps to -2^31 + 4; SRDHM(-2147483644, 2^30) = trunc(-1073741822.49..) */
	eq("mbqm-left-shift-wraps-int32", eng_mbqm((1 << 29) + 1, P30, 2), -1073741822);
}

static void quantize_multiplier(void)
{
	int32_t m;
	int s;

	/* spec 2.1: frexp, round(q * 2^31), carry on 2^31, flush below 2^-31 */
	eng_quantize_multiplier(0.5, &m, &s);
	tap_check(m == P30 && s == 0, "qm-0.5", "got (%ld, %d)", (long)m, s);
	eng_quantize_multiplier(0.25, &m, &s);
	tap_check(m == P30 && s == -1, "qm-0.25", "got (%ld, %d)", (long)m, s);
	eng_quantize_multiplier(1.0, &m, &s);
	tap_check(m == P30 && s == 1, "qm-1.0", "got (%ld, %d)", (long)m, s);
	eng_quantize_multiplier(0.75, &m, &s);
	tap_check(m == 1610612736 && s == 0, "qm-0.75", "got (%ld, %d)", (long)m, s);
	eng_quantize_multiplier(0.0, &m, &s);
	tap_check(m == 0 && s == 0, "qm-zero", "got (%ld, %d)", (long)m, s);
	eng_quantize_multiplier(1.0 - 1.0 / (1024.0 * 1024.0 * 1024.0 * 1024.0), &m, &s);
	tap_check(m == P30 && s == 1, "qm-rounds-up-to-2^31-carries", "got (%ld, %d)", (long)m, s);
	eng_quantize_multiplier(1.0 / (1024.0 * 1024.0 * 1024.0 * 1024.0), &m, &s);
	tap_check(m == 0 && s == 0, "qm-below-2^-31-flushes-to-zero", "got (%ld, %d)", (long)m, s);
}

static void activation_ranges(void)
{
	int32_t lo, hi;

	/* spec 2.6: Q(f) = zp + round_half_away(f / scale) in float32, intersected with int8 */
	eng_act_range_q8(3 /* RELU6 */, 0.5f, -10, &lo, &hi);
	tap_check(lo == -10 && hi == 2, "act-relu6-scale-0.5-zp-minus-10", "got [%ld, %ld]", (long)lo, (long)hi);
	eng_act_range_q8(3, 4.0f, 0, &lo, &hi);   /* 6/4 = 1.5 rounds to 2 */
	tap_check(lo == 0 && hi == 2, "act-relu6-rounds-half-away", "got [%ld, %ld]", (long)lo, (long)hi);
	eng_act_range_q8(2 /* RELU_N1_TO_1 */, 2.0f, 0, &lo, &hi);   /* -0.5 -> -1, 0.5 -> 1 */
	tap_check(lo == -1 && hi == 1, "act-relu-n1-to-1-rounds-half-away", "got [%ld, %ld]", (long)lo, (long)hi);
	eng_act_range_q8(1 /* RELU */, 1.0f, 127, &lo, &hi);
	tap_check(lo == 127 && hi == 127, "act-relu-zp-127", "got [%ld, %ld]", (long)lo, (long)hi);
	eng_act_range_q8(1, 1.0f, -128, &lo, &hi);
	tap_check(lo == -128 && hi == 127, "act-relu-zp-minus-128", "got [%ld, %ld]", (long)lo, (long)hi);
	eng_act_range_q8(0 /* NONE */, 0.001f, 5, &lo, &hi);
	tap_check(lo == -128 && hi == 127, "act-none-full-range", "got [%ld, %ld]", (long)lo, (long)hi);
	eng_act_range_q8(3, 0.01f, 0, &lo, &hi);   /* Q(6) = 600, clipped to 127 */
	tap_check(lo == 0 && hi == 127, "act-relu6-clipped-to-int8", "got [%ld, %ld]", (long)lo, (long)hi);
	tap_check(!eng_act_range_q8(4 /* TANH */, 1.0f, 0, &lo, &hi), "act-tanh-not-a-fused-range",
		"%s", "accepted");
}

int main(void)
{
	srdhm();
	rdbypot();
	mbqm();
	quantize_multiplier();
	activation_ranges();
	return tap_done();
}
