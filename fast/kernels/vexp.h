/* vexp.h — the accurate biased vector exp of the softmax family (softmax, log-softmax,
 * logsumexp), one copy for every kernel that needs it.  Included by fast/kernels/ sources only
 * (after vf_simd.h has chosen the ISA), so every helper is compiled once per ISA.
 *
 * Users: fast/kernels/softmax.c, logsoftmax.c, attention.c.  The ACSL contracts are proved for
 * the scalar instance inside unit `softmax_scalar` (proofs/units.conf, -DVF_WP_SOFTMAX); the
 * vector instances are covered by the differential tests (the contracts are comments there).
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

/*@ // a and b are the same float datum: both NaN, or IEEE-equal
    predicate vf_same(float a, float b) = (\is_NaN(a) && \is_NaN(b)) || \eq_float(a, b);
    // every entry of p[a .. b) is NaN / none is NaN
    predicate vf_all_nan{L}(float *p, integer a, integer b) =
      \forall integer k; a <= k < b ==> \is_NaN(p[k]);
    predicate vf_no_nan{L}(float *p, integer a, integer b) =
      \forall integer k; a <= k < b ==> !\is_NaN(p[k]);
    predicate vf_all_finite{L}(float *p, integer a, integer b) =
      \forall integer k; a <= k < b ==> \is_finite(p[k]);
    // x[a .. b) unchanged since label L0 (y may be x: in-place rows)
    predicate vf_unchanged{L0, L1}(float *x, integer a, integer b) =
      \forall integer k; a <= k < b ==> vf_same(\at(x[k], L1), \at(x[k], L0));
*/

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

/* Short rows are latency-bound (max -> N -> exp -> sum -> 1/s or log -> last pass is one
 * dependency chain of ~150 cycles for 128 entries): softmax.c and logsoftmax.c take them
 * ROW_GROUP at a time so the out-of-order core overlaps the chains; a group's x and y stay
 * within 32 KiB of L1. */
#ifndef ROW_GROUP
#define ROW_GROUP 4
#endif
#define ROW_GROUP_MAX_COLS (4096 / ROW_GROUP)

typedef struct {
    vf_v floor_; /* max z - 200 */
    vf_v nbias;  /* 64 - N */
    vf_v T, invT;
    vf_v bias; /* 2^(64 - N) when pow (VF_SCALE2_ANY_K, -63 <= N <= 189), else 0 */
    int pow;
} row_consts;

/* The constants of biased_exp for a row whose max x/T is zmax (|zmax| <= ZLIM), with
 * N = rintf(zmax log2 e): the same float operations as biased_exp on the max entry, so
 * k_j <= N exactly. */
static inline row_consts row_consts_of(float zmax, float T, float invT)
{
    float nf = rintf(zmax * LOG2E);
    row_consts c = {vf_v_set1(zmax - ZFLOOR_GAP), vf_v_set1(EBIAS - nf), vf_v_set1(T),
                    vf_v_set1(invT), vf_v_set1(0.0f), 0};
#ifdef VF_SCALE2_ANY_K /* pow needs 2^k for k in [N - 290, N], beyond AVX2's [-126, 127] */
    if (nf >= -63.0f && nf <= 189.0f) { /* 2^(64 - N) in [2^-125, 2^127]: a normal float */
        c.bias = vf_v_scale2(vf_v_set1(1.0f), c.nbias); /* exact: a normal power of two */
        c.pow = 1;
    }
#endif
    return c;
}

/* r = z - k ln 2 by two FMAs: z - k C1 is exact (z is a multiple of 2^-25 whenever k != 0,
 * k C1 a multiple of 2^-24, and |z - k C1| < 1/2), so only the tiny k C2 term rounds. */
static inline vf_v reduce(vf_v z, vf_v k)
{
    return vf_v_fnma(k, vf_v_set1(LN2_C2), vf_v_fnma(k, vf_v_set1(LN2_C1), z));
}

/* exp(r) for |r| <= ln2/2 (+ reduction slack) as 1 + (r + r^2 q(r)): the small part
 * t = r + r^2 q(r) = exp(r) - 1 (|t| < 0.42) is summed first so 1 + t is the single large
 * rounding (~1 ULP overall).  q is degree 4 (exp degree 6), fitted (weighted minimax by Lawson
 * iterations) for the relative error of exp on |r| <= 1.01 ln2/2: 0.08 u with the float
 * coefficients below.  exp_reduced_t is exposed for kernels that need t before the rounding
 * (logsumexp compensates it). */
static inline vf_v exp_reduced_t(vf_v r)
{
    vf_v q = vf_v_set1(0x1.6a1a6ep-10f);
    q = vf_v_fma(q, r, vf_v_set1(0x1.123fc6p-7f));
    q = vf_v_fma(q, r, vf_v_set1(0x1.555916p-5f));
    q = vf_v_fma(q, r, vf_v_set1(0x1.55548ap-3f));
    q = vf_v_fma(q, r, vf_v_set1(0x1.fffffcp-2f));
    return vf_v_fma(vf_v_mul(r, r), q, r);
}

/* exp(r) = 1 + t rounded once. */
static inline vf_v exp_reduced(vf_v r) { return vf_v_add(vf_v_set1(1.0f), exp_reduced_t(r)); }

/* The reduced argument of exp(x/T) 2^(64 - N): exp(x/T) 2^(64 - N) = exp(r) 2^kb with
 * kb = k + 64 - N.  temp = 0 (T = 1) or 1, a constant at every call so the compiler emits two
 * specialised loops.  With T != 1, z = x/T is carried as zh + zl: zh = x * (1/T) rounded,
 * zl = (x - zh T)/T from the FMA remainder (error ~u^2 |z|), so the division by T adds no
 * rounding that exp would amplify (zl is added to r). */
typedef struct {
    vf_v r, k, kb; /* kb = k + 64 - N */
} vf_reduced;

static inline __attribute__((always_inline)) vf_reduced biased_reduce(vf_v x, const row_consts *c,
                                                                     int temp)
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
    vf_reduced p = {r, k, vf_v_add(k, c->nbias)};
    return p;
}

/* e = exp(x/T) 2^(64 - N) for one vector.  pow (a constant at every call; only when c->pow):
 * the bias goes into the rounding of 1 + t instead of the exponent, RN(B + B t) = B RN(1 + t)
 * exactly for the normal power of two B = 2^(64 - N), then 2^k: the same value and the same
 * single rounding of a subnormal result as 2^(k + 64 - N) RN(1 + t), one addition less. */
/*@ requires valid_c: \valid_read(c);
    assigns errno;
*/
static inline __attribute__((always_inline)) vf_v biased_exp(vf_v x, const row_consts *c, int temp,
                                                           int pow)
{
    vf_reduced p = biased_reduce(x, c, temp);
    if (pow)
        return vf_v_scale2(vf_v_fma(exp_reduced_t(p.r), c->bias, c->bias), p.k);
    return vf_v_scale2(exp_reduced(p.r), p.kb);
}

/*@ requires n_pos: 1 <= n <= 0x3fffffffffffffff;
    requires valid_x: \valid_read(x + (0 .. n - 1));
    assigns \nothing;
    ensures not_nan: !\is_NaN(\result);
    ensures upper: \forall integer k; 0 <= k < n ==> !\is_NaN(x[k]) ==> \le_float(x[k], \result);
    ensures attained: \is_minus_infinity(\result) ||
      \exists integer k; 0 <= k < n && \eq_float(\result, x[k]);
*/
static inline float row_max(const float *x, size_t n)
{
    vf_v m0 = vf_v_set1(-INFINITY), m1 = m0, m2 = m0, m3 = m0;
    size_t j = 0;
    /* max(x, m) returns m when x is NaN: NaN is ignored here and caught by the sum. */
    /* upper0 .. upper3 (scalar instance, VF_W == 1): x[k] went into accumulator k % 4, one
     * accumulator per property, so that no goal needs the four-way disjunction. */
    /*@ loop invariant bound: 0 <= j <= n;
        loop invariant lanes: j % 4 == 0;
        loop invariant not_nan: !\is_NaN(m0) && !\is_NaN(m1) && !\is_NaN(m2) && !\is_NaN(m3);
        loop invariant upper0: \forall integer k; 0 <= k < j ==> k % 4 == 0 ==> !\is_NaN(x[k]) ==>
          \le_float(x[k], m0);
        loop invariant upper1: \forall integer k; 0 <= k < j ==> k % 4 == 1 ==> !\is_NaN(x[k]) ==>
          \le_float(x[k], m1);
        loop invariant upper2: \forall integer k; 0 <= k < j ==> k % 4 == 2 ==> !\is_NaN(x[k]) ==>
          \le_float(x[k], m2);
        loop invariant upper3: \forall integer k; 0 <= k < j ==> k % 4 == 3 ==> !\is_NaN(x[k]) ==>
          \le_float(x[k], m3);
        loop invariant att0: \is_minus_infinity(m0) || \exists integer k; 0 <= k < j && \eq_float(m0, x[k]);
        loop invariant att1: \is_minus_infinity(m1) || \exists integer k; 0 <= k < j && \eq_float(m1, x[k]);
        loop invariant att2: \is_minus_infinity(m2) || \exists integer k; 0 <= k < j && \eq_float(m2, x[k]);
        loop invariant att3: \is_minus_infinity(m3) || \exists integer k; 0 <= k < j && \eq_float(m3, x[k]);
        loop assigns j, m0, m1, m2, m3;
        loop variant n - j;
    */
    for (; j + 4 * VF_W <= n; j += 4 * VF_W) {
        m0 = vf_v_max(vf_v_load(x + j), m0);
        m1 = vf_v_max(vf_v_load(x + j + VF_W), m1);
        m2 = vf_v_max(vf_v_load(x + j + 2 * VF_W), m2);
        m3 = vf_v_max(vf_v_load(x + j + 3 * VF_W), m3);
    }
    /*@ loop invariant bound: 0 <= j <= n;
        loop invariant not_nan: !\is_NaN(m0) && !\is_NaN(m1) && !\is_NaN(m2) && !\is_NaN(m3);
        loop invariant upper: \forall integer k; 0 <= k < j ==> !\is_NaN(x[k]) ==>
          \le_float(x[k], m0) || \le_float(x[k], m1) || \le_float(x[k], m2) || \le_float(x[k], m3);
        loop invariant att0: \is_minus_infinity(m0) || \exists integer k; 0 <= k < j && \eq_float(m0, x[k]);
        loop invariant att1: \is_minus_infinity(m1) || \exists integer k; 0 <= k < j && \eq_float(m1, x[k]);
        loop invariant att2: \is_minus_infinity(m2) || \exists integer k; 0 <= k < j && \eq_float(m2, x[k]);
        loop invariant att3: \is_minus_infinity(m3) || \exists integer k; 0 <= k < j && \eq_float(m3, x[k]);
        loop assigns j, m0;
        loop variant n - j;
    */
    for (; j + VF_W <= n; j += VF_W)
        m0 = vf_v_max(vf_v_load(x + j), m0);
    if (j < n)
        m1 = vf_v_max(vf_v_load_tail(x + j, n - j, -INFINITY), m1);
    //@ ghost float m0_acc = m0;
    m0 = vf_v_max(vf_v_max(m0, m1), vf_v_max(m2, m3));
    /* the combined max is >= each accumulator (none is NaN) */
    //@ assert top: \le_float(m0_acc, m0) && \le_float(m1, m0) && \le_float(m2, m0) && \le_float(m3, m0);
    /* one transitivity step per accumulator (then ensures upper is propositional) */
    //@ assert top0: \forall integer k; 0 <= k < n ==> \le_float(x[k], m0_acc) ==> \le_float(x[k], m0);
    //@ assert top1: \forall integer k; 0 <= k < n ==> \le_float(x[k], m1) ==> \le_float(x[k], m0);
    //@ assert top2: \forall integer k; 0 <= k < n ==> \le_float(x[k], m2) ==> \le_float(x[k], m0);
    //@ assert top3: \forall integer k; 0 <= k < n ==> \le_float(x[k], m3) ==> \le_float(x[k], m0);
    return vf_v_reduce_max(m0);
}

/*@ requires n_pos: 1 <= n <= 0x3fffffffffffffff;
    requires valid_y: \valid(y + (0 .. n - 1));
    assigns y[0 .. n - 1];
    ensures all_nan: vf_all_nan(y, 0, n);
*/
static inline void row_nan(float *y, size_t n)
{
    /*@ loop invariant bound: 0 <= j <= n;
        loop invariant done: vf_all_nan(y, 0, j);
        loop assigns j, y[0 .. n - 1];
        loop variant n - j;
    */
    for (size_t j = 0; j < n; j++)
        y[j] = NAN;
}

#endif
