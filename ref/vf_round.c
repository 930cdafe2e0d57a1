/* vf_round.c — correct rounding to binary16/32/64 by Ziv's strategy (see vf_round.h).
 *
 * Rounding one MPFR value to the target format is done by MPFR itself for float and double
 * (mpfr_get_flt / mpfr_get_d round correctly, subnormals and overflow included), and for half
 * precision by an exact integer method: scale |x| by the half-precision quantum of its binade
 * (a power of two, so exact), round to an integer with ties to even, scale back.  No hardware
 * float arithmetic takes part in a decision; doubles only carry exact values.
 */
#include "vf_round.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static int dtype_ok(vf_dtype dt)
{
    return dt == VF_DT_F16 || dt == VF_DT_F32 || dt == VF_DT_F64;
}

/* binary16: p = 11, normal exponents E in [-14, 15] (1 <= m < 2), quantum of the subnormal
 * binade 2^-24, largest finite 65504 = (2^11 - 1) * 2^5. */
static double round_f16(mpfr_srcptr x)
{
    if (mpfr_nan_p(x))
        return NAN;
    int neg = mpfr_signbit(x);
    if (mpfr_inf_p(x))
        return neg ? -INFINITY : INFINITY;
    if (mpfr_zero_p(x))
        return neg ? -0.0 : 0.0;
    mpfr_exp_t E = mpfr_get_exp(x) - 1; /* MPFR: 0.5 <= m < 1, so 2^E <= |x| < 2^(E+1) */
    if (E > 15)
        return neg ? -INFINITY : INFINITY; /* |x| >= 65536 > 65520, the overflow threshold */
    long qe = (long)(E < -14 ? -14 : E) - 10; /* quantum: 2^qe, qe in [-24, 5] */
    mpfr_t n;
    mpfr_init2(n, mpfr_get_prec(x) < 64 ? 64 : mpfr_get_prec(x));
    mpfr_mul_2si(n, x, -qe, MPFR_RNDN); /* exact: power-of-two scaling */
    mpfr_roundeven(n, n);               /* |n| <= 2^11, representable: no second rounding */
    mpfr_mul_2si(n, n, qe, MPFR_RNDN);  /* exact again */
    double r = mpfr_get_d(n, MPFR_RNDN); /* exact: at most 12 bits, exponent >= -24 */
    mpfr_clear(n);
    /* Rounding with an unbounded exponent gave a multiple of 32 above 65504, i.e. 65536: the
     * exact value was >= 65520 (the tie rounds to the even 2^11 * 2^5), so IEEE gives inf. */
    if (fabs(r) > 65504.0)
        return neg ? -INFINITY : INFINITY;
    return r;
}

static double round_fr(mpfr_srcptr x, vf_dtype dt)
{
    switch (dt) {
    case VF_DT_F16: return round_f16(x);
    case VF_DT_F32: return (double)mpfr_get_flt(x, MPFR_RNDN);
    case VF_DT_F64: return mpfr_get_d(x, MPFR_RNDN);
    }
    return NAN;
}

int vf_round_iv(double *out, const mpfi_t x, vf_dtype dt)
{
    if (!dtype_ok(dt) || mpfi_nan_p(x) || mpfr_cmp(&x->left, &x->right) > 0)
        return 0;
    double lo = round_fr(&x->left, dt), hi = round_fr(&x->right, dt);
    if (lo != hi) /* numeric comparison: -0 == +0 */
        return 0;
    /* [-tiny, +tiny] rounds to -0 and +0: the value rounds to zero whatever its sign, and the
     * enclosure cannot tell the sign; +0 is reported (see vf_round.h). */
    if (lo == 0.0 && signbit(lo) != signbit(hi))
        lo = 0.0;
    *out = lo;
    return 1;
}

int vf_round_q(double *out, const mpq_t q, vf_dtype dt)
{
    if (!dtype_ok(dt))
        return VF_E_USAGE;
    mpfi_t x;
    mpfi_init2(x, 64);
    /* [RNDD(q), RNDU(q)] at doubling precision: a dyadic q becomes a point at enough bits, any
     * other q is at a positive distance from every (dyadic) rounding boundary, so the
     * enclosure eventually falls inside one rounding cell. */
    for (mpfr_prec_t p = 64;; p *= 2) {
        mpfi_set_prec(x, p);
        mpfi_set_q(x, q);
        if (vf_round_iv(out, x, dt))
            break;
        if (p > MPFR_PREC_MAX / 2) { /* unreachable for any q that fits in memory */
            mpfi_clear(x);
            return VF_E_INTERNAL;
        }
    }
    mpfi_clear(x);
    return VF_OK;
}

void vf_rounded_clear(vf_rounded *r)
{
    free(r->v);
    free(r->certified);
    r->v = NULL;
    r->certified = NULL;
    r->rows = r->cols = 0;
    r->n_uncertified = 0;
    r->prec_used = 0;
}

/* Sets the uncertified elements to the rounding of the midpoint of their last enclosure. */
static void round_midpoints(vf_rounded *r, const vf_imat *x)
{
    mpfr_t m;
    mpfr_init2(m, x->prec);
    for (size_t i = 0; i < r->rows * r->cols; i++)
        if (!r->certified[i]) {
            mpfi_mid(m, x->a[i]);
            r->v[i] = round_fr(m, r->dtype);
        }
    mpfr_clear(m);
}

int vf_round_ziv(vf_rounded *r, size_t rows, size_t cols, vf_dtype dt, vf_eval_fn eval,
                 void *ctx, mpfr_prec_t p0, mpfr_prec_t p_max, vf_err *e)
{
    *r = (vf_rounded){0};
    if (!dtype_ok(dt))
        return vf_fail(e, VF_E_USAGE, "round: unknown dtype %d", (int)dt);
    if (!eval)
        return vf_fail(e, VF_E_USAGE, "round: no evaluator");
    if (p0 < 32 || p_max < p0 || p_max > MPFR_PREC_MAX)
        return vf_fail(e, VF_E_USAGE,
                       "round: precisions p0 = %ld, p_max = %ld (need 32 <= p0 <= p_max)",
                       (long)p0, (long)p_max);
    if (cols != 0 && rows > SIZE_MAX / cols)
        return vf_fail(e, VF_E_NOMEM, "round: result %zux%zu is too large", rows, cols);
    size_t n = rows * cols;
    r->v = vf_calloc(n, sizeof *r->v, e);
    r->certified = vf_calloc(n, sizeof *r->certified, e);
    if (!r->v || !r->certified) {
        vf_rounded_clear(r);
        return VF_E_NOMEM;
    }
    r->rows = rows;
    r->cols = cols;
    r->dtype = dt;

    size_t left = n;
    for (mpfr_prec_t p = p0;;) {
        vf_imat x = {0};
        int rc = vf_imat_init(&x, rows, cols, p, e);
        if (rc == VF_OK) {
            vf_err_clear(e);
            rc = eval(ctx, p, &x, e);
            if (rc != VF_OK && e && e->code == VF_OK)
                vf_fail(e, (vf_code)rc, "round: evaluator failed at %ld bits", (long)p);
            /* The evaluator must fill the shape it was given; anything else is our bug. */
            if (rc == VF_OK && (x.rows != rows || x.cols != cols))
                rc = vf_fail(e, VF_E_INTERNAL, "round: evaluator returned %zux%zu, wanted %zux%zu",
                             x.rows, x.cols, rows, cols);
        }
        if (rc != VF_OK) {
            vf_imat_clear(&x);
            vf_rounded_clear(r);
            return rc;
        }
        r->prec_used = p;
        /* An element certified at a lower precision stays certified: its earlier enclosure
         * already pinned the value inside one rounding cell. */
        for (size_t i = 0; i < n; i++)
            if (!r->certified[i] && vf_round_iv(&r->v[i], x.a[i], dt)) {
                r->certified[i] = 1;
                left--;
            }
        if (left == 0 || p >= p_max) {
            if (left)
                round_midpoints(r, &x);
            vf_imat_clear(&x);
            break;
        }
        vf_imat_clear(&x);
        p = p > p_max / 2 ? p_max : 2 * p;
    }
    r->n_uncertified = left;
    return VF_OK;
}
