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

static float row_max(const float *x, size_t n)
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

/* Pass 2: y_j = e_j, returns sum_j e_j (float64).  Two chains for instruction-level
 * parallelism; the order is fixed, so a row's result does not depend on anything else.
 * Always inlined: each call site passes a constant temp, giving two tight loops. */
static inline __attribute__((always_inline)) double row_exp_sum(const float *x, float *y, size_t n,
                                                               const row_consts *c, int temp)
{
    vf_vacc a0 = vf_vacc_zero(), a1 = vf_vacc_zero();
    size_t j = 0;
    for (; j + 2 * VF_W <= n; j += 2 * VF_W) {
        vf_v e0 = biased_exp(vf_v_load(x + j), c, temp);
        vf_v e1 = biased_exp(vf_v_load(x + j + VF_W), c, temp);
        vf_v_store(y + j, e0);
        vf_v_store(y + j + VF_W, e1);
        a0 = vf_vacc_add(a0, e0);
        a1 = vf_vacc_add(a1, e1);
    }
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
static void row_scale(float *y, size_t n, double inv)
{
    float ihf = (float)inv, ilf = (float)(inv - (double)ihf);
    vf_v ih = vf_v_set1(ihf), il = vf_v_set1(ilf);
    size_t j = 0;
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
static int row_wide(const float *x, float *y, size_t n, float T)
{
    double zmax = -INFINITY, s = 0.0;
    for (size_t j = 0; j < n; j++)
        zmax = fmax(zmax, (double)x[j] / T);
    for (size_t j = 0; j < n; j++)
        s += exp((double)x[j] / T - zmax);
    if (!(s >= 1.0) || isinf(s))
        return 1;
    for (size_t j = 0; j < n; j++)
        y[j] = (float)(exp((double)x[j] / T - zmax) / s);
    return 0;
}

static void row_nan(float *y, size_t n)
{
    for (size_t j = 0; j < n; j++)
        y[j] = NAN;
}

size_t VF_FN(vf_softmax_f32)(const float *x, float *y, size_t rows, size_t cols, float T)
{
    size_t bad = 0;
    int valid_t = T > 0.0f && !isinf(T);
    int temp = T != 1.0f;
    float invT = 1.0f / T;
    for (size_t i = 0; i < rows; i++) {
        const float *xr = x + i * cols;
        float *yr = y + i * cols;
        if (cols == 0)
            continue;
        float xmax = valid_t ? row_max(xr, cols) : NAN;
        /* All masked (max = -inf), a +inf logit, or an invalid T: NaN row. */
        if (!(xmax > -INFINITY) || isinf(xmax)) {
            row_nan(yr, cols);
            bad++;
            continue;
        }
        /* The same float operations as biased_exp on the max entry, so k_j <= N exactly. */
        float zmax = temp ? xmax * invT : xmax;
        if (!(fabsf(zmax) <= ZLIM)) {
            if (row_wide(xr, yr, cols, T)) {
                row_nan(yr, cols);
                bad++;
            }
            continue;
        }
        float nf = rintf(zmax * LOG2E);
        row_consts c = {vf_v_set1(zmax - ZFLOOR_GAP), vf_v_set1(EBIAS - nf), vf_v_set1(T),
                        vf_v_set1(invT)};
        double s = temp ? row_exp_sum(xr, yr, cols, &c, 1) : row_exp_sum(xr, yr, cols, &c, 0);
        if (!(s >= 0.5) || isinf(s)) { /* NaN: some x_j was NaN */
            row_nan(yr, cols);
            bad++;
            continue;
        }
        row_scale(yr, cols, 1.0 / s);
    }
    return bad;
}
