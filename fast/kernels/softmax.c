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
 * once, at the end.  The row sum is accumulated in float64 (relative error <= n 2^-53,
 * negligible for any row that fits in memory), and y_j = e_j / s is one float rounding of
 * e_j (ih + il) with ih + il = 1/s to ~2^-48.
 *
 * Passes: 1 max (reads x); 2 e_j stored in y and summed; 3 y_j *= 1/s in place.  A row of
 * 16 KiB stays in L1/L2 between passes 2 and 3, so DRAM sees x read once and y written once.
 * (Measured on 4096x4096, not kept: software prefetch of the next row, no gain; an L1 scratch
 * row with non-temporal stores of y, 0.43x instead of 0.60x of the copy roof.)
 * The float64 sum costs ~25-40 % in cache (the widening converts), but a float32 sum broke
 * the 3 ULP bound in tests/test_softmax_fast.c: 13.8 ULP on ties at n = 32768, 3.06 ULP on
 * normal at n = 4096, T = 0.7.  Accuracy first (issue 6): the float64 sum stays.
 */
#include "vexp.h"
#include "vf_fast.h"
#include "vf_par.h"
#include "vf_simd.h"

#include <math.h>

/* The scalar instance (-DVF_BUILD_SCALAR) carries ACSL contracts proved by WP under the IEEE
 * float model (unit `softmax_scalar`, proofs/TRUST.md "What is proved for the scalar
 * softmax"): no runtime error, memory safety, termination, and the float-class behaviour of
 * every row (invalid rows all NaN, valid rows NaN-free).  The vector instances are covered by
 * the differential tests (the contracts are comments there).  The exp, row_max and row_nan
 * helpers and the ACSL predicates (vf_all_nan, ...) are in vexp.h, shared with the other
 * kernels of the softmax family. */

/* Pass 2: y_j = e_j, returns sum_j e_j (float64).  Two chains for instruction-level
 * parallelism; the order is fixed, so a row's result does not depend on anything else.
 * Always inlined: each call site passes a constant temp, giving two tight loops. */
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
                                                               const row_consts *c, int temp)
{
    vf_vacc a0 = vf_vacc_zero(), a1 = vf_vacc_zero();
    size_t j = 0;
    /*@ loop invariant bound: 0 <= j <= n;
        loop assigns j, a0, a1, y[0 .. n - 1], errno;
        loop variant n - j;
    */
    for (; j + 2 * VF_W <= n; j += 2 * VF_W) {
        vf_v e0 = biased_exp(vf_v_load(x + j), c, temp);
        vf_v e1 = biased_exp(vf_v_load(x + j + VF_W), c, temp);
        vf_v_store(y + j, e0);
        vf_v_store(y + j + VF_W, e1);
        a0 = vf_vacc_add(a0, e0);
        a1 = vf_vacc_add(a1, e1);
    }
    /*@ loop invariant bound: 0 <= j <= n;
        loop assigns j, a0, y[0 .. n - 1], errno;
        loop variant n - j;
    */
    for (; j + VF_W <= n; j += VF_W) {
        vf_v e0 = biased_exp(vf_v_load(x + j), c, temp);
        vf_v_store(y + j, e0);
        a0 = vf_vacc_add(a0, e0);
    }
    if (j < n) {
        /* -inf fill: the clamp makes the extra lanes exactly 0. */
        vf_v e0 = biased_exp(vf_v_load_tail(x + j, n - j, -INFINITY), c, temp);
        vf_v_store_tail(y + j, e0, n - j);
        a1 = vf_vacc_add(a1, e0);
    }
    return vf_vacc_sum(vf_vacc_merge(a0, a1));
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
                       int temp)
{
    float xmax = valid_t ? row_max(x, n) : NAN;
    /* All masked (max = -inf), a +inf logit, or an invalid T: NaN row. */
    if (!(xmax > -INFINITY) || isinf(xmax)) {
        row_nan(y, n);
        return 1;
    }
    /* The same float operations as biased_exp on the max entry, so k_j <= N exactly. */
    float zmax = temp ? xmax * invT : xmax;
    if (!(fabsf(zmax) <= ZLIM)) {
        if (row_wide(x, y, n, T)) {
            row_nan(y, n);
            return 1;
        }
        return 0;
    }
    float nf = rintf(zmax * LOG2E);
    row_consts c = {vf_v_set1(zmax - ZFLOOR_GAP), vf_v_set1(EBIAS - nf), vf_v_set1(T),
                    vf_v_set1(invT)};
    double s = temp ? row_exp_sum(x, y, n, &c, 1) : row_exp_sum(x, y, n, &c, 0);
    if (!(s >= 0.5) || isinf(s)) { /* NaN: some x_j was NaN */
        row_nan(y, n);
        return 1;
    }
    row_scale(y, n, 1.0 / s);
    return 0;
}

/*@ requires sizes: rows * cols <= 0x3fffffffffffffff;
    requires valid_x: \valid_read(x + (0 .. rows * cols - 1));
    requires valid_y: \valid(y + (0 .. rows * cols - 1));
    requires in_place_or_disjoint: y == x ||
      \separated(x + (0 .. rows * cols - 1), y + (0 .. rows * cols - 1));
    assigns y[0 .. rows * cols - 1], errno;
    ensures count: \result <= rows;
    // every row counted in the result is entirely NaN
    ensures counted_rows_nan: \result >= 1 ==> cols >= 1;
    ensures invalid_t: !(\gt_float(T, (float)0.0) && !\is_infinite(T)) ==>
      (cols >= 1 ==> \result == rows) &&
      \forall integer i; 0 <= i < rows ==> vf_all_nan(y, i * cols, i * cols + cols);
    ensures inf_row: \forall integer i; 0 <= i < rows ==>
      (\exists integer j; 0 <= j < cols && \is_plus_infinity(\old(x[i * cols + j]))) ==>
      vf_all_nan(y, i * cols, i * cols + cols);
    ensures masked_row: \forall integer i; 0 <= i < rows ==>
      (\forall integer j; 0 <= j < cols ==> \is_minus_infinity(\old(x[i * cols + j]))) ==>
      vf_all_nan(y, i * cols, i * cols + cols);
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
    int nt = vf_par_threads(rows * cols);
    if (nt > 1) {
#pragma omp parallel for schedule(static) num_threads(nt) reduction(+ : bad)
        for (size_t i = 0; i < rows; i++)
            bad += (size_t)row_softmax(x + i * cols, y + i * cols, cols, T, invT, valid_t, temp);
        return bad;
    }
#endif
    /*@ loop invariant bound: 0 <= i <= rows && 0 <= bad <= i;
        loop invariant todo: vf_unchanged{Pre, Here}((float *)x, i * cols, rows * cols);
        loop invariant counted: bad >= 1 ==> cols >= 1;
        loop invariant invalid_t: valid_t == 0 ==> (cols >= 1 ==> bad == i) &&
          \forall integer r; 0 <= r < i ==> vf_all_nan(y, r * cols, r * cols + cols);
        loop invariant inf_row: \forall integer r; 0 <= r < i ==>
          (\exists integer j; 0 <= j < cols && \is_plus_infinity(\at(x[r * cols + j], Pre))) ==>
          vf_all_nan(y, r * cols, r * cols + cols);
        loop invariant masked_row: \forall integer r; 0 <= r < i ==>
          (\forall integer j; 0 <= j < cols ==> \is_minus_infinity(\at(x[r * cols + j], Pre))) ==>
          vf_all_nan(y, r * cols, r * cols + cols);
        loop assigns i, bad, y[0 .. rows * cols - 1], errno;
        loop variant rows - i;
    */
    for (size_t i = 0; i < rows; i++) {
        if (cols == 0)
            continue;
        /* index arithmetic hints for the provers (nonlinear in i, cols) */
        //@ assert row_end: i * cols + cols == (i + 1) * cols && (i + 1) * cols <= rows * cols;
        //@ assert prev_rows: \forall integer r; 0 <= r < i ==> r * cols + cols <= i * cols;
        bad += (size_t)row_softmax(x + i * cols, y + i * cols, cols, T, invT, valid_t, temp);
    }
    return bad;
}
