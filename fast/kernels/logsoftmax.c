/* logsoftmax.c — row log-softmax and logsumexp over float32 with temperature and -inf masks,
 * one source for every ISA (contracts in vf_fast_logsoftmax.h).
 *
 * LSE of a row, z = x/T, never forming x - max (vexp.h): with N = round(max z log2 e),
 *     s = sum_j e_j,  e_j = exp(z_j) 2^(64 - N) = (1 + t_j) 2^(kb_j),
 * summed in float64, so LSE = log(s 2^-64) + N ln 2 (the 2^-64 is an exact scaling; log and
 * the product N ln 2 in float64 add ~2^-52 |LSE|).  Compensation: p_j = RN(1 + t_j) rounds
 * away up to u = 2^-24 relative (half an ULP of numbers just above 1); its error
 * t_j - (p_j - 1) is exact (Fast2Sum, |t_j| < 1 <= |1|) and the scaled errors are summed in
 * float32 lanes (their sum is ~u s, so the float32 sum adds ~(n / W) u^2 s) and added to s.
 * What remains per entry, relative to e_j (u = 2^-24, |r| <= 0.347, |t| <= 0.42, 1 + t >= 0.707):
 *   reduction r = RN(z - k C1 - k C2): 0.5 ulp(r) <= u/4;  T != 1: r + zl rounds again, u/4;
 *   the FMA t = RN(r^2 q + r): 0.5 ulp(t) <= u/4, / (1 + t): 0.354 u;  RN(r^2) and the
 *   Horner roundings of q, on the r^2 q <= 0.068 term: 0.096 u + 0.05 u;  fit error: 0.08 u;
 *   k (ln 2 - C1 - C2) for |k| < 2^23: < 0.01 u;
 * so s has relative error <= 0.84 u (T = 1) or 1.09 u (T != 1), and the computed LSE is within
 * dL <= 1.1 u (+ ~2^-37 for the float64 sums and log) of the exact one, absolutely, whatever
 * the row length or the size of LSE.
 *
 * logsumexp: out = RN(T LSE) has error <= 0.5 ulp + T dL, and ulp(v) > u |v|, so the error is
 * <= 0.5 + dL / (u |LSE|) ULP.  A row is first summed without the compensation (cheaper:
 * dL <= 1.1 u + u for the rounding of p_j = 1 + t_j = 2.1 u): <= 0.77 ULP when |LSE| >= 8
 * (LSE_UNC).  Rows with 4 <= |LSE| < 8 are summed again with it (from L1/L2): <= 0.78 ULP
 * (LSE_MIN = 4).  Rows with |LSE| < 4
 * (short rows, or rows whose entries are all well below 0) are evaluated in float64 instead
 * (row_wide: x_max + T log1p(sum_{k != argmax} exp(z_k - max z)), relative error ~2^-50 of
 * |x_max| + |out|), as are rows with |max z| > 2^22 (ZLIM, where the float reduction stops
 * being exact).
 *
 * log-softmax: y_j = z_j - LSE, with LSE as two floats Lh + Ll (to 2^-48) and z_j as zh + zl
 * (T != 1): zh - Lh is computed with its exact rounding error (2Sum) and
 *     y_j = RN((zh - Lh) + (err + (zl - Ll))),
 * one final rounding of z_j - LSE up to u^2-sized terms: |y - y*| <= 0.5 ulp(y*) + dL.
 *
 * Passes per row: 1 max (reads x); 2 the sum (reads x again, from L1/L2 for rows up to
 * ~256 KiB; the next row is prefetched meanwhile); 3 (log-softmax) y = z - LSE, or
 * (logsumexp, 4 <= |LSE| < 8 only) the compensated sum.  Threads: independent rows (vf_par.h).
 */
#include <float.h>

#include "vexp.h"
#include "vf_fast_logsoftmax.h"
#include "vf_par.h"

/* logsumexp: rows with |LSE| >= LSE_UNC keep the uncompensated sum, rows with
 * LSE_MIN <= |LSE| < LSE_UNC are summed again with compensation, rows below LSE_MIN are
 * evaluated in float64 (see the top comment). */
#define LSE_UNC 8.0
#define LSE_MIN 4.0
/* __builtin_prefetch locality of the next row (2: prefetcht1, into L2). */
#ifndef PF_LOCALITY
#define PF_LOCALITY 2
#endif

/* Row sum: returns sum_j exp(z_j) 2^(64 - N) (float64); comp = 1 adds back the rounding of
 * each p_j = 1 + t_j (comp = 0: the biased exps as they are: 1.0 u more error, ~25 % faster,
 * 0.23 instead of 0.30 ns per element in L1 with AVX-512).
 * Two chains for instruction-level parallelism; the order is fixed, so a row's result does not
 * depend on anything else.  Always inlined: each call site passes constant temp and comp,
 * giving specialised loops. */
static inline __attribute__((always_inline)) double row_sum(const float *x, size_t n,
                                                           const float *pf, const row_consts *c,
                                                           int temp, int comp)
{
    const vf_v one = vf_v_set1(1.0f);
    vf_psum a0 = vf_psum_zero(), a1 = vf_psum_zero(); /* terms in [0, 2^65] */
    vf_v c0 = vf_v_set1(0.0f), c1 = c0;
    size_t j = 0;
#define VF_LSE_TERM(xv, acc, cacc)                                                             \
    do {                                                                                       \
        if (!comp) {                                                                           \
            acc = vf_psum_add(acc, biased_exp((xv), c, temp, 0));                              \
            break;                                                                             \
        }                                                                                      \
        vf_reduced rk_ = biased_reduce((xv), c, temp);                                         \
        vf_v t_ = exp_reduced_t(rk_.r), kb_ = rk_.kb;                                          \
        vf_v p_ = vf_v_add(one, t_);                                                           \
        /* t - (p - 1), exact: 1 - p is exact (p in [0.7, 1.42]), then Fast2Sum. */           \
        vf_v d_ = vf_v_add(t_, vf_v_fnma(p_, one, one));                                       \
        /* 2^kb once; p 2^kb is exact (a normal result), the FMA rounds the tiny term once */ \
        vf_v pw_ = vf_v_scale2(one, kb_);                                                      \
        acc = vf_psum_add(acc, vf_v_mul(p_, pw_));                                             \
        cacc = vf_v_fma(d_, pw_, cacc);                                                        \
    } while (0)
    for (; j + 2 * VF_W <= n; j += 2 * VF_W) {
#if VF_W < 8
        (void)pf; /* scalar: no prefetch (one per element would cost more than it saves) */
#else
        /* The next row, one 64-byte line per 16 floats (prefetches never fault). */
        for (size_t q = 0; q < 2 * VF_W; q += 16)
            __builtin_prefetch(pf + j + q, 0, PF_LOCALITY);
#endif
        VF_LSE_TERM(vf_v_load(x + j), a0, c0);
        VF_LSE_TERM(vf_v_load(x + j + VF_W), a1, c1);
    }
    for (; j + VF_W <= n; j += VF_W)
        VF_LSE_TERM(vf_v_load(x + j), a0, c0);
    if (j < n) /* -inf fill: the clamp makes the extra lanes exactly 0 */
        VF_LSE_TERM(vf_v_load_tail(x + j, n - j, -INFINITY), a1, c1);
#undef VF_LSE_TERM
    double s = vf_psum_total(vf_psum_merge(a0, a1));
    if (!comp)
        return s;
    return s + vf_vacc_sum(vf_vacc_add(vf_vacc_zero(), vf_v_add(c0, c1)));
}

/* LSE from the biased sum: log(s 2^-64) + N ln 2 (the scaling is exact). */
static inline double lse_of(double s, float nf)
{
    return log(ldexp(s, -(int)EBIAS)) + (double)nf * M_LN2;
}

enum { ROW_FAST = 0, ROW_BAD = 1, ROW_WIDE = 2 };

/* LSE of a row (float64) by the vector path: ROW_FAST with *L, *c and *nf set, ROW_BAD for an
 * invalid row (all masked, NaN, +inf, bad T), ROW_WIDE when |max z| > ZLIM. */
static inline __attribute__((always_inline)) int row_lse(const float *x, size_t n,
                                                         const float *pf, float T, float invT,
                                                         int valid_t, int temp, int comp,
                                                         double *L, row_consts *c, float *nf_)
{
    float xmax = valid_t ? row_max(x, n) : NAN;
    if (!(xmax > -INFINITY) || isinf(xmax))
        return ROW_BAD;
    float zmax = temp ? xmax * invT : xmax;
    if (!(fabsf(zmax) <= ZLIM))
        return ROW_WIDE;
    float nf = rintf(zmax * LOG2E); /* N, as in row_consts_of */
    *c = row_consts_of(zmax, T, invT);
    double s = row_sum(x, n, pf, c, temp, comp);
    if (!(s >= 0.5) || isinf(s)) /* NaN: some x_j was NaN */
        return ROW_BAD;
    *L = lse_of(s, nf);
    *nf_ = nf;
    return ROW_FAST;
}

/* float64 row: z_j = x_j / T, m = max z at index *jm, returns log1p(sum_{k != jm} exp(z_k - m))
 * in *l1; 1 when the row holds a NaN.  For rows beyond ZLIM (float inputs that large are
 * spaced >= 1/2 apart, the float64 reduction is exact enough) and small-|LSE| logsumexp rows. */
static int row_wide(const float *x, size_t n, double T, size_t *jm, double *m, double *l1)
{
    double zm = -INFINITY, s = 0.0;
    size_t im = 0;
    for (size_t j = 0; j < n; j++) {
        double z = (double)x[j] / T;
        if (z > zm) {
            zm = z;
            im = j;
        }
    }
    for (size_t j = 0; j < n; j++)
        if (j != im)
            s += exp((double)x[j] / T - zm); /* a NaN x_j makes s NaN */
    if (isnan(s) || !(zm > -INFINITY) || isinf(zm))
        return 1;
    *jm = im;
    *m = zm;
    *l1 = log1p(s);
    return 0;
}

/* y_j = (z_j - Lh) - Ll, see the top comment; masked lanes (z = -inf) give -inf. */
static inline __attribute__((always_inline)) vf_v sub_lse(vf_v x, const row_consts *c, vf_v nLh,
                                                          vf_v nLl, int temp)
{
    const vf_v one = vf_v_set1(1.0f);
    vf_v z = x, zl = vf_v_set1(0.0f);
    if (temp) {
        z = vf_v_mul(x, c->invT);
        zl = vf_v_mul(vf_v_fnma(z, c->T, x), c->invT);
    }
    /* 2Sum: s + err = z + nLh exactly (a - b written as fnma(b, 1, a): one rounding). */
    vf_v s = vf_v_add(z, nLh);
    vf_v bp = vf_v_fnma(z, one, s);
    vf_v ap = vf_v_fnma(bp, one, s);
    vf_v err = vf_v_add(vf_v_fnma(ap, one, z), vf_v_fnma(bp, one, nLh));
    vf_v corr = vf_v_add(err, vf_v_add(zl, nLl));
    /* z = -inf (masked, or x/T below -FLT_MAX): the NaN correction is dropped, y = -inf. */
    corr = vf_v_if_ge(z, vf_v_set1(-FLT_MAX), corr);
    return vf_v_add(s, corr);
}

static inline __attribute__((always_inline)) void row_sub(const float *x, float *y, size_t n,
                                                          const row_consts *c, double L, int temp)
{
    float lh = (float)L, ll = (float)(L - (double)lh);
    vf_v nLh = vf_v_set1(-lh), nLl = vf_v_set1(-ll);
    size_t j = 0;
    for (; j + VF_W <= n; j += VF_W)
        vf_v_store(y + j, sub_lse(vf_v_load(x + j), c, nLh, nLl, temp));
    if (j < n)
        vf_v_store_tail(y + j, sub_lse(vf_v_load_tail(x + j, n - j, 0.0f), c, nLh, nLl, temp),
                        n - j);
}

/* One log-softmax row; returns 1 when invalid (NaN row written). */
static inline __attribute__((always_inline)) size_t log_softmax_row(const float *x, float *y,
                                                                    size_t n, const float *pf,
                                                                    float T, float invT,
                                                                    int valid_t, int temp)
{
    row_consts c;
    double L = 0.0;
    float nf;
    int st = row_lse(x, n, pf, T, invT, valid_t, temp, 1, &L, &c, &nf);
    if (st == ROW_FAST) {
        row_sub(x, y, n, &c, L, temp);
        return 0;
    }
    size_t jm;
    double m, l1;
    if (st == ROW_WIDE && !row_wide(x, n, T, &jm, &m, &l1)) {
        for (size_t j = 0; j < n; j++)
            y[j] = (float)(((double)x[j] / T - m) - l1);
        return 0;
    }
    row_nan(y, n);
    return 1;
}

#if VF_W > 1
/* ROW_GROUP short rows (vexp.h).  Each row gets exactly the operations of log_softmax_row (a
 * row that is not ROW_FAST goes through it), so the bits are the same.  Returns the number of
 * invalid rows. */
static inline __attribute__((always_inline)) size_t log_softmax_group(const float *x, float *y,
                                                                      size_t n, float T,
                                                                      float invT, int valid_t,
                                                                      int temp)
{
    row_consts c[ROW_GROUP];
    double L[ROW_GROUP] = {0};
    int st[ROW_GROUP];
    float nf;
    for (int g = 0; g < ROW_GROUP; g++) /* pf = the row itself: these rows are in cache */
        st[g] = row_lse(x + g * n, n, x + g * n, T, invT, valid_t, temp, 1, &L[g], &c[g], &nf);
    size_t bad = 0;
    for (int g = 0; g < ROW_GROUP; g++) {
        if (st[g] == ROW_FAST)
            row_sub(x + g * n, y + g * n, n, &c[g], L[g], temp);
        else
            bad += log_softmax_row(x + g * n, y + g * n, n, x + g * n, T, invT, valid_t, temp);
    }
    return bad;
}
#endif

size_t VF_FN(vf_log_softmax_f32)(const float *x, float *y, size_t rows, size_t cols, float T)
{
    size_t bad = 0;
    if (cols == 0)
        return 0;
    int valid_t = T > 0.0f && !isinf(T);
    int temp = T != 1.0f;
    float invT = 1.0f / T;
    int nt = vf_par_threads(rows * cols);
#if VF_W > 1
    if (cols <= ROW_GROUP_MAX_COLS && nt == 1) {
        size_t i = 0;
        for (; i + ROW_GROUP <= rows; i += ROW_GROUP)
            bad += temp ? log_softmax_group(x + i * cols, y + i * cols, cols, T, invT, valid_t, 1)
                        : log_softmax_group(x + i * cols, y + i * cols, cols, T, invT, valid_t, 0);
        for (; i < rows; i++)
            bad += log_softmax_row(x + i * cols, y + i * cols, cols, x + i * cols, T, invT,
                                   valid_t, temp);
        return bad;
    }
#endif
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1) reduction(+ : bad)
    for (size_t i = 0; i < rows; i++) {
        const float *xr = x + i * cols;
        float *yr = y + i * cols;
        const float *pf = i + 1 < rows ? xr + cols : xr; /* prefetched during the sum */
        bad += temp ? log_softmax_row(xr, yr, cols, pf, T, invT, valid_t, 1)
                    : log_softmax_row(xr, yr, cols, pf, T, invT, valid_t, 0);
    }
    return bad;
}

/* One logsumexp row; returns 1 when invalid (*out = NaN). */
static inline __attribute__((always_inline)) size_t logsumexp_row(const float *x, float *out,
                                                                  size_t n, const float *pf,
                                                                  float T, float invT,
                                                                  int valid_t, int temp)
{
    row_consts c;
    double L = 0.0;
    float nf;
    int st = row_lse(x, n, pf, T, invT, valid_t, temp, 0, &L, &c, &nf);
    if (st == ROW_FAST && fabs(L) < LSE_UNC && fabs(L) >= LSE_MIN - 0.01) {
        /* Compensated sum again (the row is in L1/L2); 0.01: margin for the uncompensated L. */
        L = lse_of(row_sum(x, n, x, &c, temp, 1), nf);
    }
    if (st == ROW_FAST && fabs(L) >= LSE_MIN) {
        *out = (float)((double)T * L);
        return 0;
    }
    size_t jm;
    double m, l1;
    if (st != ROW_BAD && !row_wide(x, n, T, &jm, &m, &l1)) {
        /* T m = x[jm] exactly (up to the float64 division, which T m would undo). */
        *out = (float)((double)x[jm] + (double)T * l1);
        return 0;
    }
    *out = NAN;
    return 1;
}

size_t VF_FN(vf_logsumexp_f32)(const float *x, float *out, size_t rows, size_t cols, float T)
{
    size_t bad = 0;
    if (cols == 0)
        return 0;
    int valid_t = T > 0.0f && !isinf(T);
    int temp = T != 1.0f;
    float invT = 1.0f / T;
    int nt = vf_par_threads(rows * cols);
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1) reduction(+ : bad)
    for (size_t i = 0; i < rows; i++) {
        const float *xr = x + i * cols;
        const float *pf = i + 1 < rows ? xr + cols : xr; /* prefetched during the sum */
        bad += temp ? logsumexp_row(xr, out + i, cols, pf, T, invT, valid_t, 1)
                    : logsumexp_row(xr, out + i, cols, pf, T, invT, valid_t, 0);
    }
    return bad;
}
