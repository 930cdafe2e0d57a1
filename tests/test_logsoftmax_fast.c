/* Fast row log-softmax and logsumexp (fast/kernels/logsoftmax.c) against the certified oracle,
 * every supported ISA forced in turn, every named fill, row lengths around the vector widths up
 * to a long row of 32768, T = 1 and 0.7.
 *
 * How the error is measured.  For each input the certified reference (vf_reference, correctly
 * rounded to float64) is computed once and every ISA is compared with it: the float64 value is
 * within 2^-53 relative of the exact one, which moves the float32 errors below by < 2^-28 ULP.
 * Once per case the oracle's own comparator also runs (vf_compare on the active ISA: logsumexp
 * with VF_TOL_ULP 1, log-softmax with VF_TOL_AUTO, the THEORY.md §6 perturbation bound).
 *
 * Error of the computed LSE (the analysis is in fast/kernels/logsoftmax.c; u = 2^-24).  Each
 * biased exp e_j = (1 + t_j) 2^kb_j has the rounding of 1 + t_j added back exactly (Fast2Sum)
 * into the float64 row sum; what remains per entry, relative to e_j, is the reduction rounding
 * (u/4; T != 1: one more, u/4), the rounding of t = r + r^2 q (u/4 / (1 + t) <= 0.354 u), the
 * roundings inside r^2 q (<= 0.15 u), the polynomial fit (0.08 u) and k (ln 2 - C1 - C2)
 * (< 0.01 u): <= 0.84 u (T = 1), 1.09 u (T != 1).  The row sum of positive terms has the worst
 * relative error of its terms (+ n 2^-53 for float64 summation, + (n/W) u^2 for the float32
 * sum of the compensations), and log turns a relative error of s into an absolute error of
 * LSE:
 *     |LSE~ - LSE| <= dL = 1.1 u (+ ~2^-37),  whatever the row length or the size of LSE.
 * (THEORY.md §6: LSE is 1-Lipschitz in the inf-norm, so the representation z = zh + zl of x/T,
 * exact to ~u^2 |z|, adds nothing at this scale.)
 *
 * logsumexp, bound 1 ULP.  out = RN(T LSE~): error <= 0.5 ulp + T dL, and ulp(v) > u |v|, so
 * <= 0.5 + dL / (u |LSE|) ULP.  Rows with |LSE| >= 8 use the sum without compensation (dL <=
 * 2.1 u: + u for the rounding of 1 + t_j): <= 0.77 ULP; rows with 4 <= |LSE| < 8 the
 * compensated sum: <= 0.78 ULP.  Rows with |LSE| < 4 are evaluated in
 * float64 as x_max + T log1p(sum_{k != argmax} exp(z_k - z_max)) (relative error ~2^-50 of
 * |x_max| + |out|): <= 0.5 + 2^-26 |x_max| / |out| ULP, i.e. 1 ULP unless LSE cancels to
 * < 2^-26 |z_max| (a ~2^-26-probability coincidence; test cancellation_near_zero builds one
 * with LSE ~ 1e-8 and |z_max| ~ 0.7, still within bound).  The test enforces 1 ULP, the
 * PERFORMANCE.md target.
 *
 * log-softmax, hybrid bound.  y_j = z_j - LSE: near y = 0 (the row's dominant entries, z_j ~
 * LSE) the absolute error dL of LSE is not relative to |y|, and no float algorithm that rounds
 * LSE can bound the ULP error of y there (the correctly rounded y of a one-entry row is 0, any
 * LSE error is infinitely many ULPs of it).  The kernel computes y = RN((zh - Lh) + (err +
 * (zl - Ll))) with the exact 2Sum error err, so
 *     |y~ - y*| <= 0.5 ulp(y*) + dL (+ u^2-sized terms).
 * The table reports the error in ULPs of max(|y*|, 1) ("hybrid ULP": the unit is floored at
 * ulp(1) = 2u): <= 0.5 + 1.1 u / (2u) = 1.05, so the test enforces 1.5 hybrid ULP (margin for
 * the u^2 terms and the 2^-48 split of LSE into two floats, nothing else).  Rows beyond
 * |max z| > 2^22 (float64 path) are tested in huge_logits (error ~2^-52 |z| absolute, far
 * below ulp(y) there).  Masked entries must be exactly -inf; the oracle's VF_TOL_AUTO bound
 * (g(1 + |log Z| + |y|) + Delta + eta, THEORY.md §6) must also hold.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy.h"
#include "vf_fast_logsoftmax.h"
#include "vf_oracle.h"
#include "vf_par.h"
#include "vf_rng.h"
#include "vf_ulp.h"

#define LSE_BOUND_ULP 1.0
#define LSM_BOUND_HYBRID 1.5
#define DERIV "tests/test_logsoftmax_fast.c"

static const size_t lengths[] = {1, 7, 16, 17, 100, 1000, 4096, 32768};
#define N_LENGTHS (sizeof lengths / sizeof lengths[0])

/* Rows per case: more rows for short ones (logsumexp has one output per row), ~4k elements
 * otherwise, so the certified reference stays ~1 s per fill. */
static size_t rows_for(size_t n)
{
#if defined(__SANITIZE_ADDRESS__)
    return n <= 17 ? 16 : n <= 1000 ? 2 : 1;
#else
    return n <= 17 ? 64 : n <= 100 ? 16 : n <= 1000 ? 4 : n <= 4096 ? 2 : 1;
#endif
}

/* Masked fill: a row with every entry -inf is invalid (tested apart); give it one logit. */
static void unmask_empty_rows(float *x, size_t rows, size_t n)
{
    for (size_t i = 0; i < rows; i++) {
        size_t j = 0;
        while (j < n && x[i * n + j] == -INFINITY)
            j++;
        if (j == n)
            x[i * n] = 0.5f;
    }
}

static void tensor2(vf_tensor *t, const float *v, size_t rows, size_t n, int ndim)
{
    vf_err e;
    size_t shape[2] = {rows, n};
    memset(t, 0, sizeof *t);
    cr_assert_eq(vf_oracle_tensor_f32(t, v, ndim, shape, &e), VF_OK, "%s",
                 e.msg);
}

/* The certified reference of kernel k on x, correctly rounded to float64. */
static void reference_f64(vf_tensor *out, vf_kernel k, const float *x, size_t rows, size_t n,
                          float T)
{
    vf_tensor tx;
    tensor2(&tx, x, rows, n, 2);
    vf_oracle_opts o;
    vf_oracle_opts_default(&o);
    o.dtype = VF_DT_F64;
    o.temperature = (double)T;
    size_t unc = 0;
    vf_err e;
    const vf_tensor *in[1] = {&tx};
    memset(out, 0, sizeof *out);
    cr_assert_eq(vf_reference(out, &unc, k, in, &o, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(unc, 0, "reference certified");
    vf_tensor_clear(&tx);
}

/* The oracle's comparator on the active ISA's output (cross-check of the numbers below). */
static void oracle_compare(vf_kernel k, const float *x, const float *y, size_t rows, size_t n,
                           float T, const char *what)
{
    vf_tensor tx, ty;
    tensor2(&tx, x, rows, n, 2);
    if (k == VF_K_LOGSUMEXP)
        tensor2(&ty, y, rows, 1, 1);
    else
        tensor2(&ty, y, rows, n, 2);
    vf_oracle_opts o;
    vf_oracle_opts_default(&o);
    o.temperature = (double)T;
    if (k == VF_K_LOGSUMEXP) {
        o.tol = VF_TOL_ULP;
        o.tol_value = LSE_BOUND_ULP;
    } else {
        o.tol = VF_TOL_AUTO;
    }
    vf_oracle_report r;
    vf_err e;
    const vf_tensor *in[1] = {&tx};
    cr_assert_eq(vf_compare(&r, k, in, &ty, &o, &e), VF_OK, "%s: %s", what, e.msg);
    cr_assert_neq(r.status, VF_ORACLE_FAILED, "%s: oracle %s: %s (max %.3g ULP at %zu)", what,
                  vf_kernel_name(k), r.why, r.sum.max_ulp, r.sum.argmax);
    cr_assert_neq(r.status, VF_ORACLE_UNCERTIFIED, "%s: %s", what, r.why);
    cr_assert_eq(r.sum.mismatches, 0, "%s: class mismatches", what);
    vf_tensor_clear(&tx);
    vf_tensor_clear(&ty);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* max and p99 (nearest rank) of e[0..m), sorts e. */
static void max_p99(double *e, size_t m, double *mx, double *p99)
{
    *mx = *p99 = 0;
    if (!m)
        return;
    qsort(e, m, sizeof *e, cmp_double);
    *mx = e[m - 1];
    size_t rank = (size_t)ceil(0.99 * (double)m);
    *p99 = e[rank ? rank - 1 : 0];
}

/* ULP of float32 at |v| (v normal or >= 1 here). */
static double ulp32(double v)
{
    int ex;
    frexp(fabs(v), &ex);
    return ldexp(1.0, ex - 24);
}

typedef struct {
    double lse_max, lse_p99, lsm_max, lsm_p99;
} worst_t;

static void run_case(vf_fill f, size_t n, float T, worst_t *w)
{
    size_t rows = rows_for(n), len = rows * n;
    float *x = malloc(len * sizeof *x), *y = malloc(len * sizeof *y), *z = malloc(len * sizeof *z);
    float *out = malloc(rows * sizeof *out);
    double *err = malloc(len * sizeof *err);
    cr_assert(x && y && z && out && err);
    vf_fill_f32(x, len, f, VF_SEED_DEFAULT, 31 + n);
    if (f == VF_FILL_MASKED)
        unmask_empty_rows(x, rows, n);
    vf_tensor rl, rs; /* references: logsumexp [rows], log-softmax [rows, n] */
    reference_f64(&rl, VF_K_LOGSUMEXP, x, rows, n, T);
    reference_f64(&rs, VF_K_LOG_SOFTMAX, x, rows, n, T);
    mpfr_t ex;
    mpfr_init2(ex, 128);
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue; /* not on this CPU */
        char what[96];
        snprintf(what, sizeof what, "%s/%s/n=%zu/T=%g", vf_isa_name((vf_isa)isa),
                 vf_fill_name(f), n, (double)T);
        /* logsumexp: ULP of the correctly rounded float32 value. */
        cr_assert_eq(vf_logsumexp_f32(x, out, rows, n, T), 0, "%s: no invalid row", what);
        for (size_t i = 0; i < rows; i++) {
            mpfr_set_d(ex, rl.v[i], MPFR_RNDN);
            vf_ulp_err u = vf_ulp_error((double)out[i], ex, VF_DT_F32);
            cr_assert_eq(u.cls, VF_ULP_OK, "%s: logsumexp row %zu class", what, i);
            err[i] = u.ulp;
        }
        double mx, p99;
        max_p99(err, rows, &mx, &p99);
        acc_check("logsumexp", what, LSE_BOUND_ULP, DERIV, mx, p99);
        double lse_mx = mx;
        w->lse_max = fmax(w->lse_max, mx);
        w->lse_p99 = fmax(w->lse_p99, p99);
        /* log-softmax: hybrid ULP (unit ulp(max(|y*|, 1))); masked entries exactly -inf. */
        cr_assert_eq(vf_log_softmax_f32(x, y, rows, n, T), 0, "%s: no invalid row", what);
        size_t m = 0;
        for (size_t i = 0; i < len; i++) {
            if (x[i] == -INFINITY) {
                cr_assert(y[i] == -INFINITY, "%s: masked -> -inf at %zu", what, i);
                continue;
            }
            cr_assert(isfinite(y[i]), "%s: finite output at %zu", what, i);
            double r = rs.v[i];
            err[m++] = fabs((double)y[i] - r) / ulp32(fmax(fabs(r), 1.0));
        }
        max_p99(err, m, &mx, &p99);
        char hw[112];
        snprintf(hw, sizeof hw, "%s/hybrid", what);
        cr_assert(mx <= LSM_BOUND_HYBRID, "%s: log-softmax %.4g hybrid ULP", what, mx);
        acc_check("log_softmax", hw, LSM_BOUND_HYBRID, DERIV, mx, p99);
        w->lsm_max = fmax(w->lsm_max, mx);
        w->lsm_p99 = fmax(w->lsm_p99, p99);
        if (n == 32768 || getenv("VF_LSE_VERBOSE"))
            printf("logsoftmax_fast %-7s %-9s n=%-6zu T=%-4g logsumexp max %.3f ULP, "
                   "log_softmax max %.3f p99 %.3f hybrid ULP\n",
                   vf_isa_name((vf_isa)isa), vf_fill_name(f), n, (double)T, lse_mx, mx, p99);
        /* In place gives the same bits. */
        memcpy(z, x, len * sizeof *z);
        vf_log_softmax_f32(z, z, rows, n, T);
        cr_assert(memcmp(z, y, len * sizeof *y) == 0, "%s: in place differs", what);
    }
    mpfr_clear(ex);
    /* The oracle's comparator, on the last (best) ISA's outputs. */
    char what[96];
    snprintf(what, sizeof what, "%s/%s/n=%zu/T=%g", vf_isa_name(vf_isa_active()),
             vf_fill_name(f), n, (double)T);
    oracle_compare(VF_K_LOGSUMEXP, x, out, rows, n, T, what);
    oracle_compare(VF_K_LOG_SOFTMAX, x, y, rows, n, T, what);
    vf_tensor_clear(&rl);
    vf_tensor_clear(&rs);
    free(x);
    free(y);
    free(z);
    free(out);
    free(err);
}

static void run_temperature(float T)
{
    for (int f = 0; f < VF_FILL__COUNT; f++) {
        worst_t w = {0, 0, 0, 0};
        for (size_t li = 0; li < N_LENGTHS; li++)
            run_case((vf_fill)f, lengths[li], T, &w);
        printf("logsoftmax_fast %-9s T=%-4g (all ISAs, lengths): logsumexp max %.3f p99 %.3f "
               "ULP; log_softmax max %.3f p99 %.3f hybrid ULP\n",
               vf_fill_name((vf_fill)f), (double)T, w.lse_max, w.lse_p99, w.lsm_max, w.lsm_p99);
    }
    unsetenv("VF_ISA");
}

Test(logsoftmax_fast, every_isa_every_fill_T1) { run_temperature(1.0f); }

/* Temperature: x/T is carried as two floats, so T != 1 keeps the same bounds. */
Test(logsoftmax_fast, every_isa_every_fill_T07) { run_temperature(0.7f); }

/* LSE cancelling to ~1e-8: x = (a, a) with a = RN(-ln 2), LSE = a + ln 2 = ln 2 - RN(ln 2).
 * The float64 path keeps logsumexp within 1 ULP of that tiny value. */
Test(logsoftmax_fast, cancellation_near_zero)
{
    float x[2] = {-0x1.62e430p-1f, -0x1.62e430p-1f}, out, y[2];
    vf_tensor rl, rs;
    reference_f64(&rl, VF_K_LOGSUMEXP, x, 1, 2, 1.0f);
    reference_f64(&rs, VF_K_LOG_SOFTMAX, x, 1, 2, 1.0f);
    cr_assert(fabs(rl.v[0]) < 1e-7 && rl.v[0] != 0);
    mpfr_t ex;
    mpfr_init2(ex, 128);
    mpfr_set_d(ex, rl.v[0], MPFR_RNDN);
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        cr_assert_eq(vf_logsumexp_f32(x, &out, 1, 2, 1.0f), 0);
        vf_ulp_err u = vf_ulp_error((double)out, ex, VF_DT_F32);
        cr_assert(u.cls == VF_ULP_OK && u.ulp <= LSE_BOUND_ULP, "%s: %.3g ULP",
                  vf_isa_name((vf_isa)isa), u.ulp);
        cr_assert_eq(vf_log_softmax_f32(x, y, 1, 2, 1.0f), 0);
        for (int j = 0; j < 2; j++)
            cr_assert(fabs((double)y[j] - rs.v[j]) <= LSM_BOUND_HYBRID * ulp32(1.0));
    }
    mpfr_clear(ex);
    vf_tensor_clear(&rl);
    vf_tensor_clear(&rs);
    unsetenv("VF_ISA");
}

/* Logits far beyond +-88, including rows past the exact-reduction limit |x/T| <= 2^22 (the
 * float64 row path): no overflow; logsumexp within 1 ULP; log-softmax within the hybrid bound
 * and the oracle's VF_TOL_AUTO. */
Test(logsoftmax_fast, huge_logits_no_overflow)
{
    enum { N = 37 };
    float x[2 * N], y[2 * N], out[2];
    for (int j = 0; j < N; j++) {
        x[j] = 1.0e5f + (float)(j % 5) * 0.75f - (float)j;    /* exp(x) overflows float */
        x[N + j] = 6.0e6f + (float)(j % 3) * 0.5f - (float)j; /* wide path */
    }
    x[3] = -INFINITY;
    static const float temps[] = {1.0f, 0.7f};
    for (size_t t = 0; t < 2; t++) {
        vf_tensor rl, rs;
        reference_f64(&rl, VF_K_LOGSUMEXP, x, 2, N, temps[t]);
        reference_f64(&rs, VF_K_LOG_SOFTMAX, x, 2, N, temps[t]);
        mpfr_t ex;
        mpfr_init2(ex, 128);
        for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
            vf_err e;
            if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
                continue;
            cr_assert_eq(vf_logsumexp_f32(x, out, 2, N, temps[t]), 0);
            for (int i = 0; i < 2; i++) {
                mpfr_set_d(ex, rl.v[i], MPFR_RNDN);
                vf_ulp_err u = vf_ulp_error((double)out[i], ex, VF_DT_F32);
                cr_assert(u.cls == VF_ULP_OK && u.ulp <= LSE_BOUND_ULP, "%s row %d: %.3g ULP",
                          vf_isa_name((vf_isa)isa), i, u.ulp);
            }
            cr_assert_eq(vf_log_softmax_f32(x, y, 2, N, temps[t]), 0);
            cr_assert(y[3] == -INFINITY);
            for (int j = 0; j < 2 * N; j++)
                if (j != 3)
                    cr_assert(fabs((double)y[j] - rs.v[j]) <=
                                  LSM_BOUND_HYBRID * ulp32(fmax(fabs(rs.v[j]), 1.0)),
                              "%s: y[%d] = %a, want %a", vf_isa_name((vf_isa)isa), j,
                              (double)y[j], rs.v[j]);
            oracle_compare(VF_K_LOG_SOFTMAX, x, y, 2, N, temps[t], vf_isa_name((vf_isa)isa));
            oracle_compare(VF_K_LOGSUMEXP, x, out, 2, N, temps[t], vf_isa_name((vf_isa)isa));
        }
        mpfr_clear(ex);
        vf_tensor_clear(&rl);
        vf_tensor_clear(&rs);
    }
    unsetenv("VF_ISA");
}

/* Policy of vf_softmax_f32: all-masked, NaN and +inf rows become NaN and are counted; the
 * other rows are unaffected; an invalid T invalidates every row; never traps. */
Test(logsoftmax_fast, invalid_rows_policy)
{
    enum { R = 5, N = 19 };
    float x[R * N], y[R * N], ref[N], out[R], lref;
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        const char *nm = vf_isa_name((vf_isa)isa);
        vf_fill_f32(x, R * N, VF_FILL_NORMAL, VF_SEED_DEFAULT, 5);
        for (int j = 0; j < N; j++)
            x[1 * N + j] = -INFINITY; /* row 1: every entry masked */
        x[2 * N + 7] = NAN;           /* row 2: a NaN */
        x[3 * N + 18] = INFINITY;     /* row 3: a +inf logit */
        vf_log_softmax_f32(x + 4 * N, ref, 1, N, 1.0f);
        vf_logsumexp_f32(x + 4 * N, &lref, 1, N, 1.0f);
        cr_assert_eq(vf_log_softmax_f32(x, y, R, N, 1.0f), 3, "%s", nm);
        cr_assert_eq(vf_logsumexp_f32(x, out, R, N, 1.0f), 3, "%s", nm);
        for (int j = 0; j < N; j++) {
            cr_assert(!isnan(y[j]) && !isnan(y[4 * N + j]));
            cr_assert(isnan(y[N + j]) && isnan(y[2 * N + j]) && isnan(y[3 * N + j]));
        }
        cr_assert(!isnan(out[0]) && isnan(out[1]) && isnan(out[2]) && isnan(out[3]));
        cr_assert(memcmp(ref, y + 4 * N, sizeof ref) == 0, "%s: valid rows unaffected", nm);
        cr_assert(memcmp(&lref, out + 4, sizeof lref) == 0, "%s: valid rows unaffected", nm);
        static const float bad_t[] = {0.0f, -1.0f, NAN, INFINITY};
        for (int t = 0; t < 4; t++) {
            cr_assert_eq(vf_log_softmax_f32(x, y, R, N, bad_t[t]), R, "%s T=%g", nm,
                         (double)bad_t[t]);
            cr_assert_eq(vf_logsumexp_f32(x, out, R, N, bad_t[t]), R, "%s T=%g", nm,
                         (double)bad_t[t]);
            for (int i = 0; i < R * N; i++)
                cr_assert(isnan(y[i]));
            for (int i = 0; i < R; i++)
                cr_assert(isnan(out[i]));
        }
        cr_assert_eq(vf_log_softmax_f32(x, y, R, 0, 1.0f), 0, "cols = 0");
        cr_assert_eq(vf_log_softmax_f32(x, y, 0, N, 1.0f), 0, "rows = 0");
        cr_assert_eq(vf_logsumexp_f32(x, out, R, 0, 1.0f), 0, "cols = 0");
        cr_assert_eq(vf_logsumexp_f32(x, out, 0, N, 1.0f), 0, "rows = 0");
    }
    unsetenv("VF_ISA");
}

/* Above VF_PAR_MIN_ELEMS the rows are split over threads: 1 and 2 threads give the same bits
 * (each row is computed by the same operations whatever the thread count), invalid rows
 * included in the count. */
Test(logsoftmax_fast, threads_bitwise_identical)
{
    size_t rows = 300, cols = 3500, len = rows * cols;
    cr_assert(len > VF_PAR_MIN_ELEMS);
    float *x = malloc(len * sizeof *x), *y1 = malloc(len * sizeof *y1),
          *y2 = malloc(len * sizeof *y2), o1[300], o2[300];
    cr_assert(x && y1 && y2);
    vf_fill_f32(x, len, VF_FILL_MASKED, VF_SEED_DEFAULT, 77);
    x[5 * cols + 9] = NAN; /* one invalid row */
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        for (int t = 0; t < 2; t++) {
            float T = t ? 0.7f : 1.0f;
            vf_par_set_max_threads(1);
            size_t b1 = vf_log_softmax_f32(x, y1, rows, cols, T);
            size_t c1 = vf_logsumexp_f32(x, o1, rows, cols, T);
            vf_par_set_max_threads(2);
            size_t b2 = vf_log_softmax_f32(x, y2, rows, cols, T);
            size_t c2 = vf_logsumexp_f32(x, o2, rows, cols, T);
            cr_assert(b1 == 1 && b2 == 1 && c1 == 1 && c2 == 1);
            cr_assert(memcmp(y1, y2, len * sizeof *y1) == 0, "%s: log-softmax 1 vs 2 threads",
                      vf_isa_name((vf_isa)isa));
            cr_assert(memcmp(o1, o2, sizeof o1) == 0, "%s: logsumexp 1 vs 2 threads",
                      vf_isa_name((vf_isa)isa));
        }
    }
    vf_par_set_max_threads(0);
    free(x);
    free(y1);
    free(y2);
    unsetenv("VF_ISA");
}
