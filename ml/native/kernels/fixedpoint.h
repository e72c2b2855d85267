/*
 * fixedpoint.h - the gemmlowp fixed-point transcendental functions the int8 kernels share
 * (spec 3.7.1, 3.7.2; LOGISTIC spec 3.9; TANH from source: gemmlowp tanh). Pure integer
 * arithmetic on raw int32 values; wrapping adds go through uint32_t.
 */
#ifndef ENG_FIXEDPOINT_H
#define ENG_FIXEDPOINT_H

#include <stdint.h>
#include "../quant.h"

static inline int32_t eng_add_wrap(int32_t a, int32_t b)
{
	return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* exp(a) for a <= 0 given in Q(int_bits).(31 - int_bits), int_bits 1..5; result Q0.31
   (spec 3.7.1 with the barrel shifter limited to exponents below int_bits). */
int32_t eng_exp_on_negative_values(int32_t a, int int_bits);
/* 1 / (1 + x) for x in [0, 1), Q0.31 in and out (spec 3.7.2). */
int32_t eng_one_over_one_plus_x(int32_t a);
/* (1 - x) / (1 + x) for x in [0, 1), Q0.31 in and out (gemmlowp, from source). */
int32_t eng_one_minus_x_over_one_plus_x(int32_t a);
/* gemmlowp logistic / tanh of a Q4.27 value; Q0.31 result. */
int32_t eng_logistic_q4(int32_t a);
int32_t eng_tanh_q4(int32_t a);

#endif
