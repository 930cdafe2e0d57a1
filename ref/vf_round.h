/* vf_round.h — correct rounding to float32/float64 by Ziv's strategy.
 *
 * A certified result is produced by an evaluator that, given a working precision p, encloses
 * every element of the result in an interval.  vf_round_ziv evaluates at p0, and for each
 * element whose two endpoints round (to nearest, ties to even) to the same float in the target
 * format takes that float as the certified correctly rounded result; otherwise it doubles p and
 * re-evaluates, up to p_max.  Elements still ambiguous at p_max are reported uncertified, with
 * their value set to the rounding of the midpoint and flagged.
 * Exact-class results (rationals) round the same way through their tight enclosures: a dyadic
 * rational becomes a point interval at enough precision, any other rational is never on a
 * rounding boundary, so the loop terminates.
 * Subnormal results round as in the target format (gradual underflow), overflow to +-inf.
 * Signed zero: an enclosure straddling 0 whose two ends both round to zero ([-tiny, +tiny] ->
 * -0 and +0) is certified as +0 — the value rounds to zero, only the sign of that zero is not
 * determined by the enclosure.  An enclosure of one sign rounding to zero keeps that sign.
 */
#ifndef VF_ROUND_H
#define VF_ROUND_H

#include <stdint.h>

#include "vf_iv.h"

typedef enum { VF_DT_F16 = 0, VF_DT_F32 = 1, VF_DT_F64 = 2 } vf_dtype;

/* Evaluates the result at precision prec into out; out is initialised by vf_round_ziv as
 * rows x cols at prec (the shape given to vf_round_ziv).  Returns VF_OK or a vf_code. */
typedef int (*vf_eval_fn)(void *ctx, mpfr_prec_t prec, vf_imat *out, vf_err *e);

typedef struct vf_rounded {
    size_t rows, cols;
    vf_dtype dtype;
    double *v;               /* rows*cols correctly rounded values (exact in double) */
    unsigned char *certified; /* 1 where v is the certified correctly rounded value */
    size_t n_uncertified;
    mpfr_prec_t prec_used;   /* largest precision evaluated */
} vf_rounded;

/* Allocates r; runs the Ziv loop from p0 doubling to p_max (p0 >= 32, p_max >= p0, else
 * VF_E_USAGE).  Returns VF_OK even when elements stay uncertified (n_uncertified > 0, their
 * certified[] is 0): the caller decides.  An evaluator's error is returned as is (r freed).
 * Every call needs vf_rounded_clear, also after an error (it is then a no-op). */
int vf_round_ziv(vf_rounded *r, size_t rows, size_t cols, vf_dtype dt, vf_eval_fn eval,
                 void *ctx, mpfr_prec_t p0, mpfr_prec_t p_max, vf_err *e);
void vf_rounded_clear(vf_rounded *r);

/* Correct rounding of single values (to nearest even): of an exact rational (returns VF_OK,
 * VF_E_USAGE for an unknown dtype; 0 rounds to +0), and the test "both endpoints of x round to
 * the same float in dt" (returns 1 and sets *out, else 0 and leaves *out; a NaN or empty
 * interval gives 0). */
int vf_round_q(double *out, const mpq_t q, vf_dtype dt);
int vf_round_iv(double *out, const mpfi_t x, vf_dtype dt);

/* Default Ziv precisions (bits). */
#define VF_PREC_START 64
#define VF_PREC_MAX 4096

#endif
