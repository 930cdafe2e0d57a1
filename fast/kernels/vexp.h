/* vexp.h — the accurate biased vector exp of the softmax family (softmax, log-softmax,
 * logsumexp), one copy for every kernel that needs it.  Included by fast/kernels/ sources only
 * (after vf_simd.h has chosen the ISA), so every helper is compiled once per ISA.
 *
 * Moved verbatim from fast/kernels/softmax.c (same operations, same order, same results):
 * the constants, row_consts, reduce, exp_reduced, biased_exp, row_max, row_nan.  New, for
 * kernels that need the exp before its last rounding: exp_reduced_t (exp(r) - 1, the sum
 * exp_reduced rounds) and biased_exp_parts (t and the exponent biased_exp scales by);
 * exp_reduced and biased_exp are written on top of them with the same float operations.
 *
 * Why not exp(x - max): the rounding of x - max is amplified by exp (16-115 ULP for the usual
 * kernels, PERFORMANCE.md).  Here, with z = x/T and N = round(max z * log2 e), every entry is
 *     e_j = exp(z_j) * 2^(64 - N) = exp(r_j) * 2^(k_j - N + 64),   k_j = round(z_j log2 e),
 * where r_j = z_j - k_j ln 2 comes from the classic two-constant reduction (exact first step,
 * see reduce()), k_j - N is an exact integer and the power of two is exact: the only
 * roundings are those of the exp polynomial, whatever the size of max z.  The bias 2^64 keeps
 * every e_j that can matter a normal float (exact scaling).
 */
#ifndef VF_VEXP_H
#define VF_VEXP_H

#include <math.h>
#include <stddef.h>

#include "vf_simd.h"

#define LOG2E 1.44269504088896341f
/* ln 2 = C1 + C2: C1 = ln 2 rounded to float (a multiple of 2^-24), C2 = the rest rounded. */
#define LN2_C1 0x1.62e430p-1f
#define LN2_C2 -0x1.05c610p-29f
/* |max z| up to which the reduction is exact (|k| < 2^23, |k (C1 - ln 2)| < 0.012, so
 * z - k C1 stays below 1/2 and is a float): beyond, a row takes the float64 path. */
#define ZLIM 4194304.0f
/* Entries more than 200 below max z have exp(z - max) < 2^-288: their output is +0 whatever
 * the rounding, so z is clamped there (this also turns -inf = masked into an exact +0). */
#define ZFLOOR_GAP 200.0f
/* exp is evaluated as exp(z) 2^(64 - N): the largest entry is ~2^64, and every entry with
 * k - N >= -190 is a normal float (the others give a 2^-189-small y, rounded to +0). */
#define EBIAS 64.0f

typedef struct {
    vf_v floor_; /* max z - 200 */
    vf_v nbias;  /* 64 - N */
    vf_v T, invT;
} row_consts;

/* r = z - k ln 2 by two FMAs: z - k C1 is exact (z is a multiple of 2^-25 whenever k != 0,
 * k C1 a multiple of 2^-24, and |z - k C1| < 1/2), so only the tiny k C2 term rounds. */
static inline vf_v reduce(vf_v z, vf_v k)
{
    return vf_v_fnma(k, vf_v_set1(LN2_C2), vf_v_fnma(k, vf_v_set1(LN2_C1), z));
}

/* t = exp(r) - 1 = r + r^2 q(r), before the final rounding of exp_reduced.  q is degree 4
 * (exp degree 6), fitted (weighted minimax by Lawson iterations) for the relative error of
 * exp on |r| <= 1.01 ln2/2: 0.08 u with the float coefficients below.  |t| < 0.42. */
static inline vf_v exp_reduced_t(vf_v r)
{
    vf_v q = vf_v_set1(0x1.6a1a6ep-10f);
    q = vf_v_fma(q, r, vf_v_set1(0x1.123fc6p-7f));
    q = vf_v_fma(q, r, vf_v_set1(0x1.555916p-5f));
    q = vf_v_fma(q, r, vf_v_set1(0x1.55548ap-3f));
    q = vf_v_fma(q, r, vf_v_set1(0x1.fffffcp-2f));
    return vf_v_fma(vf_v_mul(r, r), q, r);
}

/* exp(r) for |r| <= ln2/2 (+ reduction slack) as 1 + (r + r^2 q(r)): the small part is
 * summed first so 1 + (...) is the single large rounding (~1 ULP overall). */
static inline vf_v exp_reduced(vf_v r)
{
    return vf_v_add(vf_v_set1(1.0f), exp_reduced_t(r));
}

/* The parts of biased_exp: e = (1 + t) 2^kb, t = exp_reduced_t(r), kb = k + 64 - N.
 * temp = 0 (T = 1) or 1, a constant at every call so the compiler emits two specialised
 * loops.  With T != 1, z = x/T is carried as zh + zl: zh = x * (1/T) rounded,
 * zl = (x - zh T)/T from the FMA remainder (error ~u^2 |z|), so the division by T adds no
 * rounding that exp would amplify. */
static inline __attribute__((always_inline)) void biased_exp_parts(vf_v x, const row_consts *c,
                                                                   int temp, vf_v *t, vf_v *kb)
{
    vf_v z = x, zl = vf_v_set1(0.0f);
    if (temp) {
        z = vf_v_mul(x, c->invT);
        zl = vf_v_mul(vf_v_fnma(z, c->T, x), c->invT);
        /* Clamped lanes (masked: -inf - -inf = NaN) lose their correction. */
        zl = vf_v_if_ge(z, c->floor_, zl);
    }
    z = vf_v_max(c->floor_, z); /* second operand: a NaN z stays NaN */
    vf_v k = vf_v_round(vf_v_mul(z, vf_v_set1(LOG2E)));
    vf_v r = reduce(z, k);
    if (temp)
        r = vf_v_add(r, zl);
    *t = exp_reduced_t(r);
    *kb = vf_v_add(k, c->nbias);
}

/* e = exp(x/T) 2^(64 - N) for one vector (see biased_exp_parts). */
static inline __attribute__((always_inline)) vf_v biased_exp(vf_v x, const row_consts *c, int temp)
{
    vf_v t, kb;
    biased_exp_parts(x, c, temp, &t, &kb);
    return vf_v_scale2(vf_v_add(vf_v_set1(1.0f), t), kb);
}

static inline float row_max(const float *x, size_t n)
{
    vf_v m0 = vf_v_set1(-INFINITY), m1 = m0, m2 = m0, m3 = m0;
    size_t j = 0;
    /* max(x, m) returns m when x is NaN: NaN is ignored here and caught by the sum. */
    for (; j + 4 * VF_W <= n; j += 4 * VF_W) {
        m0 = vf_v_max(vf_v_load(x + j), m0);
        m1 = vf_v_max(vf_v_load(x + j + VF_W), m1);
        m2 = vf_v_max(vf_v_load(x + j + 2 * VF_W), m2);
        m3 = vf_v_max(vf_v_load(x + j + 3 * VF_W), m3);
    }
    for (; j + VF_W <= n; j += VF_W)
        m0 = vf_v_max(vf_v_load(x + j), m0);
    if (j < n)
        m1 = vf_v_max(vf_v_load_tail(x + j, n - j, -INFINITY), m1);
    m0 = vf_v_max(vf_v_max(m0, m1), vf_v_max(m2, m3));
    return vf_v_reduce_max(m0);
}

static inline void row_nan(float *y, size_t n)
{
    for (size_t j = 0; j < n; j++)
        y[j] = NAN;
}

#endif
