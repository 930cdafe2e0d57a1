/* softmax.c — row softmax over float32 with temperature and -inf masks, one source for every
 * ISA (policy and accuracy contract in vf_fast.h).
 *
 * Why not exp(x - max): the rounding of x - max is amplified by exp (16-115 ULP for the usual
 * kernels, PERFORMANCE.md).  Here, with z = x/T and N = round(max z * log2 e), every entry is
 *     e_j = exp(z_j) * 2^(64 - N) = exp(r_j) * 2^(k_j - N + 64),   k_j = round(z_j log2 e),
 * where r_j = z_j - k_j ln 2 comes from the classic two-constant reduction (exact first step,
 * see reduce()), k_j - N is an exact integer and the power of two is exact: the only
 * roundings are those of the exp polynomial, whatever the size of max z.  The bias 2^64 keeps
 * every e_j that can matter a normal float (exact scaling), so a subnormal output is rounded
 * once, at the end.  The row sum is as good as a float64 sum (vf_psum: float32 lanes whose
 * every rounding error is kept by Fast2Sum, relative error <= 2^-27 at n = 32768; the scalar
 * kernel sums in float64), and y_j = e_j / s is one float rounding of e_j (ih + il) with
 * ih + il = 1/s to ~2^-48.
 *
 * Passes: 1 max (reads x); 2 e_j stored in y and summed; 3 y_j *= 1/s in place.  A row of
 * 16 KiB stays in L1/L2 between passes 2 and 3, so DRAM sees x read once and y written once.
 * (Measured on 4096x4096, not kept: software prefetch of the next row, no gain; an L1 scratch
 * row with non-temporal stores of y, 0.43x instead of 0.60x of the copy roof.)
 * A plain float32 sum broke the 3 ULP bound in tests/test_softmax_fast.c (13.8 ULP on ties at
 * n = 32768, 3.06 ULP on normal at n = 4096, T = 0.7); a float64 sum (two widening converts and
 * a shuffle per vector) cost ~15 % more than vf_psum's four additions.  Pass 2 of rows of
 * LONG_ROW entries or more is software pipelined (row_exp_sum_long); short rows go ROW_GROUP
 * at a time (row_group).
 */
#include "vexp.h"
#include "vf_fast.h"
#include "vf_par.h"
#include "vf_simd.h"

#include <math.h>
#if VF_W > 1
#include <omp.h>
#endif

/* The scalar instance (-DVF_BUILD_SCALAR) carries ACSL contracts proved by WP under the IEEE
 * float model (unit `softmax_scalar`, proofs/PROVED.md "What is proved for the scalar
 * softmax"): no runtime error, memory safety, termination, and the float-class behaviour of
 * every row (invalid rows all NaN, valid rows NaN-free).  The vector instances are covered by
 * the differential tests (the contracts are comments there).  The exp, row_max and row_nan
 * helpers and the ACSL predicates (vf_all_nan, ...) are in vexp.h, shared with the other
 * kernels of the softmax family. */

/* Pass 2: y_j = e_j, returns sum_j e_j (vf_psum, float64 result).  Two chains for instruction-level
 * parallelism; the order is fixed, so a row's result does not depend on anything else.
 * Always inlined: each call site passes a constant temp, giving two tight loops.
 * px / py: the next row's x and y, or NULL.  This pass computes from L1 only, so DRAM would
 * idle; prefetching the next row into L2 (its x for reading, its y for writing, which saves
 * the read-for-ownership stall of pass 2 there) overlaps the next row's memory traffic with
 * this row's arithmetic (prefetches never fault). */
/*@ requires n_pos: 1 <= n <= 0x3fffffffffffffff;
    requires valid_x: \valid_read(x + (0 .. n - 1));
    requires valid_y: \valid(y + (0 .. n - 1));
    requires in_place_or_disjoint: y == x || \separated(x + (0 .. n - 1), y + (0 .. n - 1));
    requires valid_c: \valid_read(c) && \separated(c, y + (0 .. n - 1));
    assigns y[0 .. n - 1], errno;
    // No float-class claim: the float64 sum converts each e_j, and WP's model of a float ->
    // double conversion is wrong for NaN (proofs/TRUST.md), so none is made across it.
*/
static inline __attribute__((always_inline)) double row_exp_sum(const float *x, float *y, size_t n,
                                                               const row_consts *c, int temp,
                                                               int pow, const float *px,
                                                               float *py)
{
    vf_psum a0 = vf_psum_zero(), a1 = vf_psum_zero();
    size_t j = 0;
    /*@ loop invariant bound: 0 <= j <= n;
        loop assigns j, a0, a1, y[0 .. n - 1], errno;
        loop variant n - j;
    */
    for (; j + 2 * VF_W <= n; j += 2 * VF_W) {
#if VF_W >= 8
        if (px)
            for (size_t q = 0; q < 2 * VF_W; q += 16) { /* one 64-byte line per 16 floats */
                __builtin_prefetch(px + j + q, 0, 2);
                __builtin_prefetch(py + j + q, 1, 2);
            }
#else
        (void)px, (void)py; /* scalar: one prefetch per element would cost more than it saves */
#endif
        vf_v e0 = biased_exp(vf_v_load(x + j), c, temp, pow);
        vf_v e1 = biased_exp(vf_v_load(x + j + VF_W), c, temp, pow);
        vf_v_store(y + j, e0);
        vf_v_store(y + j + VF_W, e1);
        a0 = vf_psum_add(a0, e0);
        a1 = vf_psum_add(a1, e1);
    }
    /*@ loop invariant bound: 0 <= j <= n;
        loop assigns j, a0, y[0 .. n - 1], errno;
        loop variant n - j;
    */
    for (; j + VF_W <= n; j += VF_W) {
        vf_v e0 = biased_exp(vf_v_load(x + j), c, temp, pow);
        vf_v_store(y + j, e0);
        a0 = vf_psum_add(a0, e0);
    }
    if (j < n) {
        /* -inf fill: the clamp makes the extra lanes exactly 0. */
        vf_v e0 = biased_exp(vf_v_load_tail(x + j, n - j, -INFINITY), c, temp, pow);
        vf_v_store_tail(y + j, e0, n - j);
        a1 = vf_psum_add(a1, e0);
    }
    return vf_psum_total(vf_psum_merge(a0, a1));
}

#if VF_W > 1
/* Rows of at least LONG_ROW entries take row_exp_sum_long; shorter rows lose to its start-up
 * and its four-chain merge (old and new kernels in one process, 2026-11-24: 0.93x on 128x128
 * with AVX2, 0.98x on 256x256 with AVX-512; 1.04-1.05x on 256x512 with either). */
#define LONG_ROW 512

/* e = the biased exp of the full vector at x, stored at y. */
static inline __attribute__((always_inline)) vf_v exp_store(const float *x, float *y,
                                                          const row_consts *c, int temp, int pow)
{
    vf_v e = biased_exp(vf_v_load(x), c, temp, pow);
    vf_v_store(y, e);
    return e;
}

/* Pass 2 for long rows: row_exp_sum's result by a faster schedule.  Four vectors per iteration
 * into four Fast2Sum chains, software pipelined: each iteration adds the e of the previous one,
 * so the additions do not wait in the scheduler behind the ~45-cycle exp chain of their own
 * iteration; the loop flushes the chains every PSUM_FLUSH iterations itself (no per-addition
 * counter).  Measured against the classic baseline (bench/softmax.c, AVX-512, 2026-11-24, old
 * and new binaries alternated three times): 0.94-0.97x instead of 0.89-0.94x on 64x32768,
 * 1.07-1.15x instead of 1.04-1.08x on 4096x4096; in one process, 1.0x instead of 0.90x on
 * 512x1024.  Adding the e of two iterations back gained nothing more; three spilled registers.
 * The sum is the same Fast2Sum sum as row_exp_sum's (error <= 2^-27), in another order. */
static inline __attribute__((always_inline)) double row_exp_sum_long(const float *x, float *y,
                                                                    size_t n, const row_consts *c,
                                                                    int temp, int pow,
                                                                    const float *px, float *py)
{
    vf_psum a0 = vf_psum_zero(), a1 = vf_psum_zero(), a2 = vf_psum_zero(), a3 = vf_psum_zero();
    vf_v p0 = vf_v_set1(0.0f), p1 = p0, p2 = p0, p3 = p0; /* the previous iteration's e */
    size_t j = 0;
    while (j + 4 * VF_W <= n) {
        /* one block: at most PSUM_FLUSH additions per chain, then the flush */
        size_t left = (n - j) / (4 * VF_W);
        size_t end = j + (left < PSUM_FLUSH ? left : PSUM_FLUSH) * 4 * VF_W;
        for (; j < end; j += 4 * VF_W) {
            if (px)
                for (size_t q = 0; q < 4 * VF_W; q += 16) { /* as in row_exp_sum */
                    __builtin_prefetch(px + j + q, 0, 2);
                    __builtin_prefetch(py + j + q, 1, 2);
                }
            vf_v e0 = biased_exp(vf_v_load(x + j), c, temp, pow);
            vf_v e1 = biased_exp(vf_v_load(x + j + VF_W), c, temp, pow);
            vf_v e2 = biased_exp(vf_v_load(x + j + 2 * VF_W), c, temp, pow);
            vf_v e3 = biased_exp(vf_v_load(x + j + 3 * VF_W), c, temp, pow);
            a0 = vf_psum_add_noflush(a0, p0);
            a1 = vf_psum_add_noflush(a1, p1);
            a2 = vf_psum_add_noflush(a2, p2);
            a3 = vf_psum_add_noflush(a3, p3);
            vf_v_store(y + j, e0);
            vf_v_store(y + j + VF_W, e1);
            vf_v_store(y + j + 2 * VF_W, e2);
            vf_v_store(y + j + 3 * VF_W, e3);
            p0 = e0, p1 = e1, p2 = e2, p3 = e3;
        }
        a0 = vf_psum_flush(a0);
        a1 = vf_psum_flush(a1);
        a2 = vf_psum_flush(a2);
        a3 = vf_psum_flush(a3);
    }
    /* the last iteration's e, then at most three vectors and a tail: <= 3 more per chain */
    a0 = vf_psum_add_noflush(a0, p0);
    a1 = vf_psum_add_noflush(a1, p1);
    a2 = vf_psum_add_noflush(a2, p2);
    a3 = vf_psum_add_noflush(a3, p3);
    if (j + VF_W <= n)
        a0 = vf_psum_add_noflush(a0, exp_store(x + j, y + j, c, temp, pow)), j += VF_W;
    if (j + VF_W <= n)
        a1 = vf_psum_add_noflush(a1, exp_store(x + j, y + j, c, temp, pow)), j += VF_W;
    if (j + VF_W <= n)
        a2 = vf_psum_add_noflush(a2, exp_store(x + j, y + j, c, temp, pow)), j += VF_W;
    if (j < n) { /* -inf fill: the clamp makes the extra lanes exactly 0 */
        vf_v e0 = biased_exp(vf_v_load_tail(x + j, n - j, -INFINITY), c, temp, pow);
        vf_v_store_tail(y + j, e0, n - j);
        a3 = vf_psum_add_noflush(a3, e0);
    }
    return vf_psum_total(vf_psum_merge(vf_psum_merge(a0, a1), vf_psum_merge(a2, a3)));
}
#endif

/* row_exp_sum with constant temp (T != 1) and pow (c->pow): four specialised loops. */
/*@ requires n_pos: 1 <= n <= 0x3fffffffffffffff;
    requires valid_x: \valid_read(x + (0 .. n - 1));
    requires valid_y: \valid(y + (0 .. n - 1));
    requires in_place_or_disjoint: y == x || \separated(x + (0 .. n - 1), y + (0 .. n - 1));
    requires valid_c: \valid_read(c) && \separated(c, y + (0 .. n - 1));
    assigns y[0 .. n - 1], errno;
*/
static inline __attribute__((always_inline)) double row_exp_sum_sel(const float *x, float *y,
                                                                   size_t n, const row_consts *c,
                                                                   int temp, const float *px,
                                                                   float *py)
{
#if VF_W > 1
    if (n >= LONG_ROW) {
        if (c->pow)
            return temp ? row_exp_sum_long(x, y, n, c, 1, 1, px, py)
                        : row_exp_sum_long(x, y, n, c, 0, 1, px, py);
        return temp ? row_exp_sum_long(x, y, n, c, 1, 0, px, py)
                    : row_exp_sum_long(x, y, n, c, 0, 0, px, py);
    }
#endif
    if (c->pow)
        return temp ? row_exp_sum(x, y, n, c, 1, 1, px, py) : row_exp_sum(x, y, n, c, 0, 1, px, py);
    return temp ? row_exp_sum(x, y, n, c, 1, 0, px, py) : row_exp_sum(x, y, n, c, 0, 0, px, py);
}

/* Pass 3: y_j = RN(e_j (ih + il)) in place: e_j il is ~2^-24 of the result, so its rounding
 * is negligible and the FMA rounds once. */
/*@ requires n_pos: 1 <= n <= 0x3fffffffffffffff;
    requires valid_y: \valid(y + (0 .. n - 1));
    assigns y[0 .. n - 1], errno;
*/
static void row_scale(float *y, size_t n, double inv)
{
    float ihf = (float)inv, ilf = (float)(inv - (double)ihf);
    vf_v ih = vf_v_set1(ihf), il = vf_v_set1(ilf);
    size_t j = 0;
    /*@ loop invariant bound: 0 <= j <= n;
        loop assigns j, y[0 .. n - 1], errno;
        loop variant n - j;
    */
    for (; j + VF_W <= n; j += VF_W) {
        vf_v e = vf_v_load(y + j);
        vf_v_store(y + j, vf_v_fma(e, ih, vf_v_mul(e, il)));
    }
    if (j < n) {
        vf_v e = vf_v_load_tail(y + j, n - j, 0.0f);
        vf_v_store_tail(y + j, vf_v_fma(e, ih, vf_v_mul(e, il)), n - j);
    }
}

/* Rows whose |max x/T| exceeds ZLIM (or whose x/T overflows float): float64 evaluation of
 * exp(x/T - max), exact enough there (float inputs that large are spaced >= 1/2 apart).
 * Returns 0 when the row is valid, 1 when it holds a NaN (y left for the caller). */
/* exp(x/T - zmax) in float64, one term of row_wide (its own function so that WP's goals for
 * the loops do not carry the libm contract of exp). */
/*@ assigns errno; */
static inline double wide_term(float x, float T, double zmax)
{
    return exp((double)x / T - zmax);
}

/*@ requires n_pos: 1 <= n <= 0x3fffffffffffffff;
    requires valid_x: \valid_read(x + (0 .. n - 1));
    requires valid_y: \valid(y + (0 .. n - 1));
    requires in_place_or_disjoint: y == x || \separated(x + (0 .. n - 1), y + (0 .. n - 1));
    assigns y[0 .. n - 1], errno;
    ensures ret: \result == 0 || \result == 1;
    // No float-class claim: every term converts x_j to double, and WP's model of that
    // conversion is wrong for NaN (proofs/TRUST.md).
*/
static int row_wide(const float *x, float *y, size_t n, float T)
{
    double zmax = -INFINITY, s = 0.0;
    /*@ loop invariant bound: 0 <= j <= n;
        loop assigns j, zmax;
        loop variant n - j;
    */
    for (size_t j = 0; j < n; j++)
        zmax = fmax(zmax, (double)x[j] / T);
    /*@ loop invariant bound: 0 <= j <= n;
        loop assigns j, s, errno;
        loop variant n - j;
    */
    for (size_t j = 0; j < n; j++)
        s += wide_term(x[j], T, zmax);
    if (!(s >= 1.0) || isinf(s))
        return 1;
    /*@ loop invariant bound: 0 <= j <= n;
        loop assigns j, y[0 .. n - 1], errno;
        loop variant n - j;
    */
    for (size_t j = 0; j < n; j++)
        y[j] = (float)(wide_term(x[j], T, zmax) / s);
    return 0;
}

/* Pass 3 for a row whose biased sum is s: 1 (row set to NaN) when s is NaN (some x_j was NaN),
 * else y *= 1/s and 0. */
/*@ requires n_pos: 1 <= n <= 0x3fffffffffffffff;
    requires valid_y: \valid(y + (0 .. n - 1));
    assigns y[0 .. n - 1], errno;
    ensures ret: \result == 0 || \result == 1;
    ensures invalid_row: \result == 1 ==> vf_all_nan(y, 0, n);
*/
static inline int row_finish(float *y, size_t n, double s)
{
    if (!(s >= 0.5) || isinf(s)) {
        row_nan(y, n);
        return 1;
    }
    row_scale(y, n, 1.0 / s);
    return 0;
}

/* One row of n >= 1 entries: 1 when the row is invalid (every y_j set to NaN), 0 otherwise.
 * valid_t, temp and invT are computed once per call from T by the caller. */
/*@ requires n_pos: 1 <= n <= 0x3fffffffffffffff;
    requires valid_x: \valid_read(x + (0 .. n - 1));
    requires valid_y: \valid(y + (0 .. n - 1));
    requires in_place_or_disjoint: y == x || \separated(x + (0 .. n - 1), y + (0 .. n - 1));
    requires valid_t: valid_t != 0 <==> (\gt_float(T, (float)0.0) && !\is_infinite(T));
    assigns y[0 .. n - 1], errno;
    ensures ret: \result == 0 || \result == 1;
    ensures invalid_row: \result == 1 ==> vf_all_nan(y, 0, n);
    ensures invalid_t: valid_t == 0 ==> \result == 1;
    ensures inf_in: (\exists integer k; 0 <= k < n && \is_plus_infinity(\old(x[k]))) ==> \result == 1;
    ensures all_masked: (\forall integer k; 0 <= k < n ==> \is_minus_infinity(\old(x[k]))) ==>
      \result == 1;
*/
static int row_softmax(const float *x, float *y, size_t n, float T, float invT, int valid_t,
                       int temp, const float *px, float *py)
{
    float xmax = valid_t ? row_max(x, n) : NAN;
    /* All masked (max = -inf), a +inf logit, or an invalid T: NaN row. */
    if (!(xmax > -INFINITY) || isinf(xmax)) {
        row_nan(y, n);
        return 1;
    }
    float zmax = temp ? xmax * invT : xmax;
    if (!(fabsf(zmax) <= ZLIM)) {
        if (row_wide(x, y, n, T)) {
            row_nan(y, n);
            return 1;
        }
        return 0;
    }
    row_consts c = row_consts_of(zmax, T, invT);
    double s = row_exp_sum_sel(x, y, n, &c, temp, px, py);
    return row_finish(y, n, s);
}

#if VF_W > 1
/* ROW_GROUP short rows (vexp.h), measured 0.67x the classic baseline on 128x128 one row at a
 * time.  Each row gets exactly the operations of row_softmax (a group with a row that is not
 * ordinary goes through it row by row), so the bits are the same.  Returns the number of
 * invalid rows. */
static size_t row_group(const float *x, float *y, size_t n, float T, float invT, int valid_t,
                        int temp)
{
    float z[ROW_GROUP];
    row_consts c[ROW_GROUP];
    double s[ROW_GROUP];
    int ordinary = 1;
    for (int g = 0; g < ROW_GROUP; g++) {
        float m = valid_t ? row_max(x + g * n, n) : NAN;
        z[g] = temp ? m * invT : m;
        /* row_softmax's main path: T valid and |max x/T| <= ZLIM (so finite) */
        ordinary &= fabsf(z[g]) <= ZLIM;
    }
    size_t bad = 0;
    if (!ordinary) {
        for (int g = 0; g < ROW_GROUP; g++)
            bad += (size_t)row_softmax(x + g * n, y + g * n, n, T, invT, valid_t, temp, NULL,
                                       NULL);
        return bad;
    }
    for (int g = 0; g < ROW_GROUP; g++) {
        c[g] = row_consts_of(z[g], T, invT);
        s[g] = row_exp_sum_sel(x + g * n, y + g * n, n, &c[g], temp, NULL, NULL);
    }
    for (int g = 0; g < ROW_GROUP; g++)
        bad += (size_t)row_finish(y + g * n, n, s[g]);
    return bad;
}

/* Rows [r0, r1) of the matrix, in groups when the rows are short. */
static size_t rows_softmax(const float *x, float *y, size_t r0, size_t r1, size_t cols, float T,
                           float invT, int valid_t, int temp)
{
    size_t bad = 0, i = r0;
    if (cols <= ROW_GROUP_MAX_COLS)
        for (; i + ROW_GROUP <= r1; i += ROW_GROUP)
            bad += row_group(x + i * cols, y + i * cols, cols, T, invT, valid_t, temp);
    for (; i < r1; i++) {
        int last = i + 1 == r1;
        bad += (size_t)row_softmax(x + i * cols, y + i * cols, cols, T, invT, valid_t, temp,
                                   last ? NULL : x + (i + 1) * cols, y + (i + 1) * cols);
    }
    return bad;
}
#endif

/*@ // Row r of a row-major matrix p with n columns is p[r n .. r n + n).  Indexed by the row
    // number r, not by r n, so that the provers can instantiate the quantified row facts of
    // vf_softmax_f32 by matching (an arithmetic term such as r * n cannot be matched).
    predicate vf_row_nan{L}(float *p, integer r, integer n) = vf_all_nan(p + r * n, 0, n);
    predicate vf_row_has_pinf{L}(float *p, integer r, integer n) =
      \exists integer k; r * n <= k < r * n + n && \is_plus_infinity(p[k]);
    predicate vf_row_masked{L}(float *p, integer r, integer n) =
      \forall integer k; r * n <= k < r * n + n ==> \is_minus_infinity(p[k]);
    // row r lies within [0, i n): before row i
    predicate vf_row_before(integer r, integer i, integer n) = 0 <= r * n && r * n + n <= i * n;
*/

#ifdef __FRAMAC__
/* Lemmas (ghost, no code) of the main loop of vf_softmax_f32: row i < rows of a row-major
 * rows x cols matrix ends where row i + 1 starts, within the matrix, and the rows before it
 * end before it starts.  Nonlinear (distributivity and monotonicity of the product); proved
 * alone, so that the provers see them in a small context (the loop's context is float-laden),
 * and used by ghost calls, which leave only facts linear in the atoms r * cols, i * cols. */
/*@ ghost
  /@ requires 0 <= i < rows;
     assigns \nothing;
     ensures row_end: i * cols + cols == (i + 1) * cols && (i + 1) * cols <= rows * cols;
  @/
  void lemma_softmax_row_end(size_t i, size_t rows, size_t cols) { }
*/
/*@ ghost
  /@ assigns \nothing;
     ensures prev_rows: \forall integer r; 0 <= r < i ==> vf_row_before(r, i, cols);
  @/
  void lemma_softmax_prev_rows(size_t i, size_t cols) { }
*/
/* The same +inf entry of x, indexed from x or from the row start x + a (the form of
 * row_softmax's contract): an existential witness across an index shift, which the provers
 * do not find by themselves (the index a + i is arithmetic); the ghost loop names each
 * candidate a + i. */
/*@ predicate vf_pinf_at{L}(float *p, integer a, integer n) =
      \exists integer i; 0 <= i < n && \is_plus_infinity(p[a + i]);
*/
/*@ ghost
  /@ assigns \nothing;
     ensures shift: (\exists integer k; a <= k < a + n && \is_plus_infinity(x[k])) ==>
       \exists integer i; 0 <= i < n && \is_plus_infinity(x[a + i]);
  @/
  void lemma_softmax_pinf_shift(const float *x, size_t a, size_t n)
  {
    /@ loop invariant bound: 0 <= i <= n;
       loop invariant seen: \forall integer k; a <= k < a + i ==> \is_plus_infinity(x[k]) ==>
         vf_pinf_at((float *)x, a, n);
       loop assigns i;
       loop variant n - i;
    @/
    for (size_t i = 0; i < n; i++) {
      /@ assert witness: \is_plus_infinity(x[a + i]) ==> vf_pinf_at((float *)x, a, n); @/
    }
    /@ assert done: (\exists integer k; a <= k < a + n && \is_plus_infinity(x[k])) ==>
         vf_pinf_at((float *)x, a, n); @/
  }
*/
#endif

/*@ requires sizes: rows * cols <= 0x3fffffffffffffff;
    requires valid_x: \valid_read(x + (0 .. rows * cols - 1));
    requires valid_y: \valid(y + (0 .. rows * cols - 1));
    requires in_place_or_disjoint: y == x ||
      \separated(x + (0 .. rows * cols - 1), y + (0 .. rows * cols - 1));
    assigns y[0 .. rows * cols - 1], errno;
    ensures count: \result <= rows;
    // every row counted in the result is entirely NaN
    ensures counted_rows_nan: \result >= 1 ==> cols >= 1;
    // row i (0 <= i < rows): x[i cols .. i cols + cols) -> y[i cols .. i cols + cols)
    ensures invalid_t: !(\gt_float(T, (float)0.0) && !\is_infinite(T)) ==>
      (cols >= 1 ==> \result == rows) &&
      \forall integer i; 0 <= i < rows ==> vf_row_nan(y, i, cols);
    ensures inf_row: \forall integer i; 0 <= i < rows ==>
      vf_row_has_pinf{Pre}(x, i, cols) ==> vf_row_nan(y, i, cols);
    ensures masked_row: \forall integer i; 0 <= i < rows ==>
      vf_row_masked{Pre}(x, i, cols) ==> vf_row_nan(y, i, cols);
*/
size_t VF_FN(vf_softmax_f32)(const float *x, float *y, size_t rows, size_t cols, float T)
{
    size_t bad = 0;
    int valid_t = T > 0.0f && !isinf(T);
    int temp = T != 1.0f;
    float invT = 1.0f / T;
#if VF_W > 1
    /* Two threads for large inputs: rows are independent, so the bits do not depend on the
     * split (vf_par.h).  The scalar instance, the proved one, stays sequential. */
    if (cols == 0)
        return 0;
    int nt = vf_par_threads(rows * cols);
    if (nt > 1) {
        /* Contiguous halves (row groups stay inside a half). */
#pragma omp parallel num_threads(nt) reduction(+ : bad)
        {
            size_t t = (size_t)omp_get_thread_num(), k = (size_t)omp_get_num_threads();
            bad += rows_softmax(x, y, rows * t / k, rows * (t + 1) / k, cols, T, invT, valid_t,
                                temp);
        }
        return bad;
    }
    return rows_softmax(x, y, 0, rows, cols, T, invT, valid_t, temp);
#endif
    /* ti, not i: at the loop exit WP's Qed turns ti <= rows <= ti into an equation, and with
     * this name it keeps rows in the exit state (the size of the loop's assigns), with i it
     * rewrote rows into i in the goal only, leaving y[0 .. rows*cols) and y[0 .. i*cols) as
     * two memory states the provers could not identify (measured). */
    /*@ loop invariant bound: 0 <= ti <= rows && 0 <= bad <= ti;
        loop invariant todo: vf_unchanged{Pre, Here}((float *)x, ti * cols, rows * cols);
        loop invariant counted: bad >= 1 ==> cols >= 1;
        loop invariant invalid_t: valid_t == 0 ==> (cols >= 1 ==> bad == ti) &&
          \forall integer r; 0 <= r < ti ==> vf_row_nan(y, r, cols);
        loop invariant inf_row: \forall integer r; 0 <= r < ti ==>
          vf_row_has_pinf{Pre}((float *)x, r, cols) ==> vf_row_nan(y, r, cols);
        loop invariant masked_row: \forall integer r; 0 <= r < ti ==>
          vf_row_masked{Pre}((float *)x, r, cols) ==> vf_row_nan(y, r, cols);
        loop assigns ti, bad, y[0 .. rows * cols - 1], errno;
        loop variant rows - ti;
    */
    for (size_t ti = 0; ti < rows; ti++) {
        if (cols == 0)
            continue;
        /* index arithmetic for the provers (nonlinear in ti, cols: ghost lemmas above) */
        //@ ghost lemma_softmax_row_end(ti, rows, cols);
        //@ ghost lemma_softmax_prev_rows(ti, cols);
        /* row ti of x as row_softmax's contract reads it (x is unchanged there since Pre) */
        /*@ assert row_x_inf: vf_row_has_pinf{Pre}((float *)x, ti, cols) ==>
              \exists integer k; ti * cols <= k < ti * cols + cols && \is_plus_infinity(x[k]); */
        //@ ghost lemma_softmax_pinf_shift(x, ti * cols, cols);
        /*@ assert row_x_masked: vf_row_masked{Pre}((float *)x, ti, cols) ==>
              \forall integer k; 0 <= k < cols ==> \is_minus_infinity(x[ti * cols + k]); */
        bad += (size_t)row_softmax(x + ti * cols, y + ti * cols, cols, T, invT, valid_t, temp,
                                   NULL, NULL);
        /* row ti, from row_softmax's contract */
        //@ assert row_count: bad == \at(bad, LoopCurrent) + 1 ==> vf_row_nan(y, ti, cols);
        //@ assert row_inf: vf_row_has_pinf{Pre}((float *)x, ti, cols) ==> vf_row_nan(y, ti, cols);
        //@ assert row_masked: vf_row_masked{Pre}((float *)x, ti, cols) ==> vf_row_nan(y, ti, cols);
        /* the write of row ti leaves the rows before it as they were */
        //@ assert kept: vf_unchanged{LoopCurrent, Here}(y, 0, ti * cols);
        /*@ assert kept_rows: \forall integer r; 0 <= r < ti ==> vf_row_before(r, ti, cols) ==>
              vf_row_nan{LoopCurrent}(y, r, cols) ==> vf_row_nan(y, r, cols); */
    }
    return bad;
}
