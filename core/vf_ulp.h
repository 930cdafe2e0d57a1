/* vf_ulp.h — the comparator: error of a float result against the exact value.
 *
 * The exact value is given as an MPFR number of high precision (>= 128 bits; at that precision
 * its own rounding is below 2^-100 ULP, far below what is reported).  An MPFR NaN means "the
 * exact result is undefined" (e.g. softmax of an all-masked row).
 *
 * ULP error (as SLEEF/CORE-MATH count it): |got - exact| / ulp(cr), where cr is the exact value
 * correctly rounded (nearest-even) to the dtype and ulp(cr) = 2^(max(E(cr), Emin) - p + 1)
 * (E = binary exponent with 1 <= |m| < 2, p the precision, Emin the smallest normal exponent):
 * the subnormal floor makes ulp(0) the smallest subnormal.  A correctly rounded result has
 * error <= 0.5.  Class mismatches are not numbers of ULPs: they get their own codes and ulp is
 * reported as +inf.
 */
#ifndef VF_ULP_H
#define VF_ULP_H

#include <mpfr.h>
#include <stddef.h>

#include "vf_round.h"

typedef enum {
    VF_ULP_OK = 0,        /* both finite (or both the same infinity): ulp is meaningful */
    VF_ULP_GOT_NAN,       /* got NaN, exact defined */
    VF_ULP_GOT_INF,       /* got +-inf, correctly rounded value finite */
    VF_ULP_MISSED_INF,    /* correctly rounded value is +-inf (overflow), got finite */
    VF_ULP_INF_SIGN,      /* both infinite, opposite signs */
    VF_ULP_WANT_NAN       /* exact undefined (NaN), got a number */
} vf_ulp_class;

typedef struct vf_ulp_err {
    vf_ulp_class cls;
    double ulp;  /* ULPs of cr (rounded up to a double); +inf unless cls == VF_ULP_OK
                    (also +inf, class OK, if the error exceeds the double range) */
    double cr;   /* the correctly rounded value */
} vf_ulp_err;

vf_ulp_err vf_ulp_error(double got, const mpfr_t exact, vf_dtype dt);
const char *vf_ulp_class_name(vf_ulp_class c);

/* Accumulates a comparison over many points: max and p99 ULP (p99 = nearest-rank 99th
 * percentile of the per-point ULP errors, class mismatches counting as +inf), the componentwise
 * hybrid error max_i |got_i - x_i| / max(|x_i|, atol), the normwise L2 error
 * ||got - x||_2 / ||x||_2 (computed in MPFR; 0/0 = 0, y/0 = +inf) and the counts per class.
 * atol = 0 selects the smallest normal number of the dtype. */
typedef struct vf_cmp {
    vf_dtype dtype;
    double atol;
    size_t n, cap;
    double *ulps;             /* per-point ULP errors, in order of vf_cmp_add */
    size_t count[6];          /* per vf_ulp_class */
    double max_ulp;
    size_t argmax;            /* index passed to vf_cmp_add of the worst point */
    double max_hybrid;
    mpfr_t l2_diff, l2_ref;   /* running sums of squares */
} vf_cmp;

typedef struct vf_cmp_summary {
    size_t n, mismatches;     /* mismatches: points with cls != VF_ULP_OK */
    size_t count[6];
    double max_ulp, p99_ulp, max_hybrid, l2_rel;
    size_t argmax;
} vf_cmp_summary;

int vf_cmp_init(vf_cmp *c, vf_dtype dt, double atol, vf_err *e);
/* Adds one point; returns its error.  index is the caller's flat index of the point.
 * If the per-point array cannot grow, e gets VF_E_NOMEM and the point is not recorded (e is
 * left untouched on success: clear it before to detect this). */
vf_ulp_err vf_cmp_add(vf_cmp *c, size_t index, double got, const mpfr_t exact, vf_err *e);
void vf_cmp_summarize(const vf_cmp *c, vf_cmp_summary *s);
void vf_cmp_clear(vf_cmp *c);

#endif
