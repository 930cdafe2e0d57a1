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
#include "vf_fast.h"
#include "vf_simd.h"

#include <math.h>

/* The scalar instance (-DVF_BUILD_SCALAR) carries ACSL contracts proved by WP under the IEEE
 * float model (unit `softmax_scalar`, proofs/TRUST.md "What is proved for the scalar
 * softmax"): no runtime error, memory safety, termination, and the float-class behaviour of
 * every row (invalid rows all NaN, valid rows NaN-free).  The vector instances are covered by
 * the differential tests (the contracts are comments there). */
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

/* exp(r) for |r| <= ln2/2 (+ reduction slack) as 1 + (r + r^2 q(r)): the small part is
 * summed first so 1 + (...) is the single large rounding (~1 ULP overall).  q is degree 4
 * (exp degree 6), fitted (weighted minimax by Lawson iterations) for the relative error of
 * exp on |r| <= 1.01 ln2/2: 0.08 u with the float coefficients below. */
static inline vf_v exp_reduced(vf_v r)
{
    vf_v q = vf_v_set1(0x1.6a1a6ep-10f);
    q = vf_v_fma(q, r, vf_v_set1(0x1.123fc6p-7f));
    q = vf_v_fma(q, r, vf_v_set1(0x1.555916p-5f));
    q = vf_v_fma(q, r, vf_v_set1(0x1.55548ap-3f));
    q = vf_v_fma(q, r, vf_v_set1(0x1.fffffcp-2f));
    return vf_v_add(vf_v_set1(1.0f), vf_v_fma(vf_v_mul(r, r), q, r));
}

/* e = exp(x/T) 2^(64 - N) for one vector.  temp = 0 (T = 1) or 1, a constant at every call
 * so the compiler emits two specialised loops.  With T != 1, z = x/T is carried as zh + zl:
 * zh = x * (1/T) rounded, zl = (x - zh T)/T from the FMA remainder (error ~u^2 |z|), so the
 * division by T adds no rounding that exp would amplify. */
/*@ requires valid_c: \valid_read(c);
    assigns errno;
*/
static inline __attribute__((always_inline)) vf_v biased_exp(vf_v x, const row_consts *c, int temp)
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
    return vf_v_scale2(exp_reduced(r), vf_v_add(k, c->nbias));
}

/*@ requires n_pos: 1 <= n <= 0x3fffffffffffffff;
    requires valid_x: \valid_read(x + (0 .. n - 1));
    assigns \nothing;
    ensures not_nan: !\is_NaN(\result);
    ensures upper: \forall integer k; 0 <= k < n ==> !\is_NaN(x[k]) ==> \le_float(x[k], \result);
    ensures attained: \is_minus_infinity(\result) ||
      \exists integer k; 0 <= k < n && \eq_float(\result, x[k]);
*/
static float row_max(const float *x, size_t n)
{
    vf_v m0 = vf_v_set1(-INFINITY), m1 = m0, m2 = m0, m3 = m0;
    size_t j = 0;
    /* max(x, m) returns m when x is NaN: NaN is ignored here and caught by the sum. */
    /*@ loop invariant bound: 0 <= j <= n;
        loop invariant not_nan: !\is_NaN(m0) && !\is_NaN(m1) && !\is_NaN(m2) && !\is_NaN(m3);
        loop invariant upper: \forall integer k; 0 <= k < j ==> !\is_NaN(x[k]) ==>
          \le_float(x[k], m0) || \le_float(x[k], m1) || \le_float(x[k], m2) || \le_float(x[k], m3);
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
    m0 = vf_v_max(vf_v_max(m0, m1), vf_v_max(m2, m3));
    return vf_v_reduce_max(m0);
}

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

/*@ requires n_pos: 1 <= n <= 0x3fffffffffffffff;
    requires valid_y: \valid(y + (0 .. n - 1));
    assigns y[0 .. n - 1];
    ensures all_nan: vf_all_nan(y, 0, n);
*/
static void row_nan(float *y, size_t n)
{
    /*@ loop invariant bound: 0 <= j <= n;
        loop invariant done: vf_all_nan(y, 0, j);
        loop assigns j, y[0 .. n - 1];
        loop variant n - j;
    */
    for (size_t j = 0; j < n; j++)
        y[j] = NAN;
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
