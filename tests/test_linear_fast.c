/* Fast GEMM, linear attention (both orders, causal) and the OLS-Transformer forward pass
 * (fast/vf_fast_linear.h) against the certified oracle, every supported ISA forced in turn.
 *
 * What is enforced, and why it is not a ULP bound.
 *  GEMM and linear attention are dot products: with u = 2^-24 a chain of k FMAs gives
 *  |fl - exact| <= gamma_k |a|.|b| (THEORY.md §6; every term sees at most k roundings; gradual
 *  underflow adds at most eta = 2^-149 per rounding).  The error is relative to |A||B|, not to
 *  the result: when the sum cancels, the error in ULP of the result is unbounded, so a ULP
 *  bound would be meaningless (or tuned).  The tests enforce, at EVERY output point,
 *      |got - exact| <= B,
 *    GEMM (K terms):             B_ij = gamma_K (|A||B|)_ij + K eta  (the oracle's VF_TOL_AUTO);
 *    GEMM with beta (power of 2, so beta C0 is exact unless subnormal): checked as the product
 *      [A, beta C0] [B; I] (K + N terms; our chain has K + 1 roundings <= K + N);
 *    linear attention (d, n):    B_ic = gamma_{d+n} (|Q||K|^T|V|)_ic + eta (d sum_j |V_jc| + n)
 *      over the unmasked keys (the oracle's VF_TOL_AUTO).  Roundings per term, by order:
 *      (QK^T)V: d for the score chain + n for the value chain;  Q(K^TV): n + d;  causal
 *      Q(K^TV), chunk c of size cs <= CH = 64 (chunk 0 has no prefix term): a term of the
 *      prefix state sees CH (its chunk's K_c^T V_c chain) + c - 1 (prefix adds) + d (the Q_c
 *      chain) + cs (the masked-score chain continues, beta = 1) <= d + n since n >= c CH + cs
 *      and CH + c - 1 <= c CH; an intra-chunk term sees d + cs <= d + n.  Masked scores are
 *      exact zeros: fma(0, v, s) = s adds no rounding.
 *  and vf_compare(VF_TOL_AUTO) must say PASSED (MISTRUSTED accepted only for the subnormal fill,
 *  whose products underflow).  Exact reference: vf_reference rounded to float64 (error <= 2^-53
 *  relative, added to B).
 *  acc_check gets the measured max / p99 ULP of vf_compare and, as `bound`, the enforced B
 *  expressed in ULP at its worst point, max_i B_i / ulp(exact_i): the derived worst case for
 *  that instance (large where outputs cancel — honest, not a target).  The summation-order
 *  contract is checked too: results equal a naive fmaf loop in the same order bit for bit
 *  (GEMM, both non-causal orders; causal (QK^T)V up to the sign of a zero), and 1 vs 2 threads
 *  are bitwise identical.
 *
 *  OLS forward (X [n, d] with known kappa from ref/vf_qgen.h, rounded to float32): float64
 *  accumulation, Cholesky and solves (u_D = 2^-53).  With (G + E) beta~ = b + e the computed
 *  solve (Higham Thm 10.4 for Cholesky, |E3| <= gamma_{3d+1} |R^T||R|, and
 *  || |R^T||R| ||_2 <= d ||G|| (1 + 1e-3) for the tested sizes; the Gram sums
 *  |E1| <= gamma_n |X|^T|X|, |e| <= gamma_n |X|^T|y|, and || |X| ||_2 <= sqrt(d) s1):
 *      ||E|| <= d (gamma_n + 1.001 gamma_{3d+1}) s1^2 =: E,   ||e|| <= gamma_n sqrt(d) s1 ||y||,
 *      rho = E / sd^2 < 1,   ||beta|| <= ||y|| / sd  (beta = X^+ y),
 *      ||X (beta~ - beta)|| <= (||e|| + E ||y|| / sd) / (sd (1 - rho))        [kappa^2 u_D]
 *      ||beta~ - beta||     <= (||e|| + E ||y|| / sd) / (sd^2 (1 - rho)),
 *  then x_q^T beta~ in float64 adds gamma_d ||x_q|| (||y||/sd + ||beta~ - beta||) and the
 *  float32 rounding u |t| + eta/2 <= u (|exact| + delta) + eta/2.  s1, sd: the singular values
 *  of the float X, within 2 u sqrt(d) of 1 and 1/kappa (rounding moves each entry by <= 2u|x|,
 *  mpq -> double -> float).  Per point: B_q = delta_q (1 + u) + u |exact_q| + eta.  This is the
 *  kappa(X)^2 law of THEORY.md §1.6 / §6 with explicit constants; the report's ULP bound is
 *  max_q B_q / ulp(exact_q) as above.  Bad input: rank-deficient X, kappa = 1e8 (beyond
 *  float64 normal equations), NaN, n < d -> the documented error codes, out untouched.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy.h"
#include "vf_fast_linear.h"
#include "vf_oracle.h"
#include "vf_par.h"
#include "vf_qgen.h"
#include "vf_rng.h"

#define SRC "tests/test_linear_fast.c"
#define U32 0x1p-24
#define ETA32 0x1p-149
#define UD 0x1p-53

static double gam(double k, double u) { return k * u / (1 - k * u); }

static double ulp32(double x)
{
    int e;
    x = fabs(x);
    if (x < 0x1p-126)
        return 0x1p-149;
    frexp(x, &e);
    return ldexp(1.0, e - 24);
}

static void tensor(vf_tensor *t, const float *x, int nd, size_t s0, size_t s1, size_t s2)
{
    vf_err e;
    size_t shape[3] = {s0, s1, s2};
    memset(t, 0, sizeof *t);
    cr_assert_eq(vf_oracle_tensor_f32(t, x, nd, shape, &e), VF_OK, "%s", e.msg);
}

/* The exact result rounded to float64 (malloc'ed), causal as given. */
static double *reference64(vf_kernel k, const vf_tensor *const *in, int causal)
{
    vf_err e;
    vf_oracle_opts o;
    vf_oracle_opts_default(&o);
    o.dtype = VF_DT_F64;
    o.causal = causal;
    vf_tensor out;
    memset(&out, 0, sizeof out);
    size_t unc = 0;
    cr_assert_eq(vf_reference(&out, &unc, k, in, &o, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(unc, 0);
    double *r = malloc(out.count * sizeof *r);
    cr_assert(r);
    memcpy(r, out.v, out.count * sizeof *r);
    vf_tensor_clear(&out);
    return r;
}

/* The bound as stated in the accuracy table: rounded up to 3 significant digits, so it
 * survives the table's %g text exactly. */
static double table_bound(double b)
{
    if (!(b > 0))
        return b;
    int e = (int)floor(log10(b)) - 2;
    char s[48];
    snprintf(s, sizeof s, "%.0fe%d", ceil(b / pow(10.0, e) * (1 + 0x1p-40)), e);
    return strtod(s, NULL);
}

/* Every point within B (+ the float64 rounding of the reference); returns max B / ulp. */
static double check_points(const float *got, const double *ref, const double *B, size_t cnt,
                           const char *what)
{
    double bulp = 0;
    for (size_t i = 0; i < cnt; i++) {
        double lim = B[i] + UD * fabs(ref[i]);
        cr_assert(fabs((double)got[i] - ref[i]) <= lim, "%s: point %zu: got %.9g exact %.17g bound %.3g",
                  what, i, (double)got[i], ref[i], lim);
        double b = lim / ulp32(ref[i]);
        if (b > bulp)
            bulp = b;
    }
    return table_bound(bulp);
}

/* vf_compare with the oracle's own tolerance (auto, or ULP when tol > 0); sample = 0: every
 * row.  Asserts the verdict. */
static void compare(vf_oracle_report *r, vf_kernel k, const vf_tensor *const *in,
                    const float *got, int nd, size_t s0, size_t s1, size_t s2, int causal,
                    double tol_ulp, size_t sample, int allow_mistrusted, const char *what)
{
    vf_err e;
    vf_tensor tc;
    tensor(&tc, got, nd, s0, s1, s2);
    vf_oracle_opts o;
    vf_oracle_opts_default(&o);
    o.causal = causal;
    if (tol_ulp > 0) {
        o.tol = VF_TOL_ULP;
        o.tol_value = tol_ulp;
    }
    o.rows_sample = sample;
    cr_assert_eq(vf_compare(r, k, in, &tc, &o, &e), VF_OK, "%s: %s", what, e.msg);
    cr_assert_neq(r->status, VF_ORACLE_FAILED, "%s: %s (max %.3g ULP)", what, r->why,
                  r->sum.max_ulp);
    cr_assert_neq(r->status, VF_ORACLE_UNCERTIFIED, "%s: %s", what, r->why);
    if (!allow_mistrusted)
        cr_assert_eq(r->status, VF_ORACLE_PASSED, "%s: %s", what, r->why);
    vf_tensor_clear(&tc);
}

static float *fill(size_t n, vf_fill f, uint64_t stream)
{
    float *x = malloc((n ? n : 1) * sizeof *x);
    cr_assert(x);
    vf_fill_f32(x, n, f, VF_SEED_DEFAULT, stream);
    return x;
}

static const vf_fill fills[] = {VF_FILL_UNIFORM, VF_FILL_NORMAL,   VF_FILL_TIES,
                                VF_FILL_BIG,     VF_FILL_NEGATIVE, VF_FILL_DENORMAL};
#define NFILLS (sizeof fills / sizeof fills[0])

/* ================================================================ GEMM */

static void gemm_naive(int ta, int tb, size_t M, size_t N, size_t K, const float *A, size_t lda,
                       const float *B, size_t ldb, float beta, float *C, size_t ldc)
{
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < N; j++) {
            float c = beta == 0.0f ? 0.0f : beta * C[i * ldc + j];
            for (size_t k = 0; k < K; k++)
                c = fmaf(ta ? A[k * lda + i] : A[i * lda + k], tb ? B[j * ldb + k] : B[k * ldb + j],
                         c);
            C[i * ldc + j] = c;
        }
}

/* op(A) [M, K] and op(B) [K, N] in canonical row-major copies, from stored A / B. */
static void canon(float *dst, const float *src, int t, size_t rows, size_t cols)
{
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            dst[i * cols + j] = t ? src[j * rows + i] : src[i * cols + j];
}

static const struct {
    size_t M, N, K;
    int ta, tb;
} gshapes[] = {{1, 1, 1, 0, 0},   {3, 5, 7, 0, 0},    {17, 33, 5, 1, 0}, {31, 47, 300, 0, 1},
               {64, 64, 64, 1, 1}, {29, 70, 520, 0, 0}, {15, 1, 9, 1, 1},
               {40, 150, 200, 0, 0}, {45, 64, 400, 1, 0}, {9, 32, 7, 0, 0}};

static void gemm_case(vf_isa isa, vf_fill f, size_t si, double *worst)
{
    size_t M = gshapes[si].M, N = gshapes[si].N, K = gshapes[si].K;
    int ta = gshapes[si].ta, tb = gshapes[si].tb;
    float *A = fill(M * K, f, 100 + si), *B = fill(K * N, f, 200 + si);
    float *C = malloc(M * N * sizeof *C), *R = malloc(M * N * sizeof *R);
    float *Ac = malloc(M * K * sizeof *Ac), *Bc = malloc(K * N * sizeof *Bc);
    cr_assert(C && R && Ac && Bc);
    size_t lda = ta ? M : K, ldb = tb ? K : N;
    char what[128];
    snprintf(what, sizeof what, "%s/%s/M=%zu,N=%zu,K=%zu/t=%d%d", vf_isa_name(isa),
             vf_fill_name(f), M, N, K, ta, tb);
    for (size_t i = 0; i < M * N; i++)
        C[i] = NAN; /* beta = 0 must not read C */
    vf_gemm_f32(ta, tb, M, N, K, A, lda, B, ldb, 0.0f, C, N);
    gemm_naive(ta, tb, M, N, K, A, lda, B, ldb, 0.0f, R, N);
    cr_assert(memcmp(C, R, M * N * sizeof *C) == 0, "%s: not the sequential FMA chain", what);
    /* the oracle takes op(A) [M, K] and op(B) [K, N] row-major */
    canon(Ac, A, ta, M, K);
    canon(Bc, B, tb, K, N);
    vf_tensor ta_, tb_;
    tensor(&ta_, Ac, 2, M, K, 0);
    tensor(&tb_, Bc, 2, K, N, 0);
    const vf_tensor *in[2] = {&ta_, &tb_};
    double *ref = reference64(VF_K_MATMUL, in, 0), *Bd = malloc(M * N * sizeof *Bd);
    cr_assert(Bd);
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < N; j++) {
            double s = 0;
            for (size_t k = 0; k < K; k++)
                s += fabs((double)Ac[i * K + k]) * fabs((double)Bc[k * N + j]);
            Bd[i * N + j] = gam((double)K, U32) * s * (1 + 0x1p-40) + (double)K * ETA32;
        }
    double bulp = check_points(C, ref, Bd, M * N, what);
    vf_oracle_report r;
    compare(&r, VF_K_MATMUL, in, C, 2, M, N, 0, 0, 0, 0, f == VF_FILL_DENORMAL, what);
    acc_check("gemm", what, bulp, SRC, r.sum.max_ulp, r.sum.p99_ulp);
    if (r.sum.max_ulp > *worst)
        *worst = r.sum.max_ulp;
    vf_tensor_clear(&ta_);
    vf_tensor_clear(&tb_);
    free(ref);
    free(Bd);
    free(A);
    free(B);
    free(C);
    free(R);
    free(Ac);
    free(Bc);
}

Test(linear_fast, gemm_every_isa_every_fill)
{
    int ran = 0;
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        ran++;
        for (size_t f = 0; f < NFILLS; f++) {
            double worst = 0;
            for (size_t s = 0; s < sizeof gshapes / sizeof gshapes[0]; s++)
                gemm_case((vf_isa)isa, fills[f], s, &worst);
            printf("gemm_fast %-7s %-9s max %.3g ULP (bound: gamma_K |A||B|)\n",
                   vf_isa_name((vf_isa)isa), vf_fill_name(fills[f]), worst);
        }
    }
    cr_assert(ran >= 1);
}

/* beta != 0: C = A B + beta C0 checked as [A, beta C0] [B; I] (beta a power of two). */
Test(linear_fast, gemm_beta)
{
    enum { M = 23, N = 19, K = 41 };
    static const float betas[] = {1.0f, -0.5f};
    float *A = fill(M * K, VF_FILL_NORMAL, 7), *B = fill(K * N, VF_FILL_NORMAL, 8);
    float *C0 = fill(M * N, VF_FILL_UNIFORM, 9);
    float C[M * N], R[M * N], Aa[M * (K + N)], Ba[(K + N) * N];
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        for (size_t bi = 0; bi < 2; bi++) {
            float beta = betas[bi];
            memcpy(C, C0, sizeof C);
            memcpy(R, C0, sizeof R);
            vf_gemm_f32(0, 0, M, N, K, A, K, B, N, beta, C, N);
            gemm_naive(0, 0, M, N, K, A, K, B, N, beta, R, N);
            cr_assert(memcmp(C, R, sizeof C) == 0, "beta %g: same chain", (double)beta);
            for (size_t i = 0; i < M; i++)
                for (size_t k = 0; k < K + N; k++)
                    Aa[i * (K + N) + k] = k < K ? A[i * K + k] : beta * C0[i * N + k - K];
            for (size_t k = 0; k < K + N; k++)
                for (size_t j = 0; j < N; j++)
                    Ba[k * N + j] = k < K ? B[k * N + j] : (k - K == j ? 1.0f : 0.0f);
            vf_tensor ta_, tb_;
            tensor(&ta_, Aa, 2, M, K + N, 0);
            tensor(&tb_, Ba, 2, K + N, N, 0);
            const vf_tensor *in[2] = {&ta_, &tb_};
            char what[96];
            snprintf(what, sizeof what, "%s/normal/M=%d,N=%d,K=%d/beta=%g",
                     vf_isa_name((vf_isa)isa), M, N, K, (double)beta);
            double *ref = reference64(VF_K_MATMUL, in, 0), Bd[M * N];
            for (size_t i = 0; i < M; i++)
                for (size_t j = 0; j < N; j++) {
                    double s = 0;
                    for (size_t k = 0; k < K + N; k++)
                        s += fabs((double)Aa[i * (K + N) + k]) * fabs((double)Ba[k * N + j]);
                    Bd[i * N + j] = gam(K + N, U32) * s * (1 + 0x1p-40) + (K + N) * ETA32;
                }
            double bulp = check_points(C, ref, Bd, M * N, what);
            vf_oracle_report r;
            compare(&r, VF_K_MATMUL, in, C, 2, M, N, 0, 0, 0, 0, 0, what);
            acc_check("gemm", what, bulp, SRC, r.sum.max_ulp, r.sum.p99_ulp);
            free(ref);
            vf_tensor_clear(&ta_);
            vf_tensor_clear(&tb_);
        }
    }
    free(A);
    free(B);
    free(C0);
}

Test(linear_fast, gemm_degenerate)
{
    float A[6] = {1, 2, 3, 4, 5, 6}, C[4] = {1, -2, NAN, 4};
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        float c[4];
        memcpy(c, C, sizeof c);
        vf_gemm_f32(0, 0, 2, 2, 0, A, 1, A, 2, 0.0f, c, 2); /* K = 0, beta = 0 -> zeros */
        for (int i = 0; i < 4; i++)
            cr_assert(c[i] == 0.0f);
        memcpy(c, C, sizeof c);
        vf_gemm_f32(0, 0, 2, 2, 0, A, 1, A, 2, 2.0f, c, 2); /* K = 0 -> beta C */
        cr_assert(c[0] == 2.0f && c[1] == -4.0f && isnan(c[2]) && c[3] == 8.0f);
        vf_gemm_f32(0, 0, 0, 2, 3, A, 3, A, 2, 0.0f, c, 2); /* M = 0: nothing */
        cr_assert(c[0] == 2.0f);
        /* IEEE propagation: an inf in A reaches its row only (no padding lane leaks) */
        float a2[6] = {INFINITY, 1, 1, 1, 1, 1}, b2[6] = {1, 1, 1, 1, 1, 1}, c2[4];
        vf_gemm_f32(0, 0, 2, 2, 3, a2, 3, b2, 2, 0.0f, c2, 2);
        cr_assert(isinf(c2[0]) && isinf(c2[1]) && c2[2] == 3.0f && c2[3] == 3.0f);
    }
}

/* ================================================================ linear attention */

static const struct {
    size_t batch, n, d, dv, sample;
} lshapes[] = {{1, 1, 1, 1, 0}, {1, 37, 5, 3, 0}, {2, 70, 9, 17, 0}, {1, 130, 16, 24, 0},
               {1, 200, 32, 32, 24}};

/* Naive outputs in the contract's order: (QK^T)V with causal (j <= i) or Q(K^TV). */
static void la_naive(const float *Q, const float *K, const float *V, float *o, size_t n, size_t d,
                     size_t dv, int order, int causal)
{
    if (order == VF_LINATT_QK_V) {
        float *s = malloc(n * sizeof *s);
        cr_assert(s);
        for (size_t i = 0; i < n; i++) {
            size_t nk = causal ? i + 1 : n;
            for (size_t j = 0; j < nk; j++) {
                float a = 0;
                for (size_t k = 0; k < d; k++)
                    a = fmaf(Q[i * d + k], K[j * d + k], a);
                s[j] = a;
            }
            for (size_t c = 0; c < dv; c++) {
                float a = 0;
                for (size_t j = 0; j < nk; j++)
                    a = fmaf(s[j], V[j * dv + c], a);
                o[i * dv + c] = a;
            }
        }
        free(s);
        return;
    }
    float *S = malloc((d * dv + 1) * sizeof *S);
    cr_assert(S);
    for (size_t k = 0; k < d; k++)
        for (size_t c = 0; c < dv; c++) {
            float a = 0;
            for (size_t j = 0; j < n; j++)
                a = fmaf(K[j * d + k], V[j * dv + c], a);
            S[k * dv + c] = a;
        }
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < dv; c++) {
            float a = 0;
            for (size_t k = 0; k < d; k++)
                a = fmaf(Q[i * d + k], S[k * dv + c], a);
            o[i * dv + c] = a;
        }
    free(S);
}

/* The oracle's auto bound per point, over the unmasked keys. */
static double *la_bounds(const float *Q, const float *K, const float *V, size_t batch, size_t n,
                         size_t d, size_t dv, int causal)
{
    double *B = malloc(batch * n * dv * sizeof *B), g = gam((double)(d + n), U32);
    cr_assert(B);
    for (size_t h = 0; h < batch; h++)
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < dv; c++) {
                const float *q = Q + (h * n + i) * d, *k = K + h * n * d, *v = V + h * n * dv;
                double M = 0, vs = 0;
                size_t nk = causal ? i + 1 : n;
                for (size_t j = 0; j < nk; j++) {
                    double sa = 0;
                    for (size_t t = 0; t < d; t++)
                        sa += fabs((double)q[t]) * fabs((double)k[j * d + t]);
                    M += sa * fabs((double)v[j * dv + c]);
                    vs += fabs((double)v[j * dv + c]);
                }
                B[(h * n + i) * dv + c] =
                    g * M * (1 + 0x1p-40) + ETA32 * ((double)d * vs + (double)n);
            }
    return B;
}

static void la_case(vf_fill f, size_t si, double worst[VF_ISA__COUNT][4])
{
    size_t b = lshapes[si].batch, n = lshapes[si].n, d = lshapes[si].d, dv = lshapes[si].dv;
    size_t cq = b * n * d, cv = b * n * dv;
    float *Q = fill(cq, f, 300 + si), *K = fill(cq, f, 400 + si), *V = fill(cv, f, 500 + si);
    float *o = malloc(cv * sizeof *o), *r = malloc(cv * sizeof *r);
    cr_assert(o && r);
    vf_tensor tq, tk, tv;
    tensor(&tq, Q, 3, b, n, d);
    tensor(&tk, K, 3, b, n, d);
    tensor(&tv, V, 3, b, n, dv);
    const vf_tensor *in[3] = {&tq, &tk, &tv};
    for (int causal = 0; causal < 2; causal++) {
        double *ref = reference64(VF_K_LINEAR_ATTENTION, in, causal);
        double *B = la_bounds(Q, K, V, b, n, d, dv, causal);
        for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
            vf_err e;
            if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
                continue;
            for (int order = 0; order < 2; order++) {
                char what[128];
                snprintf(what, sizeof what, "%s/%s/b=%zu,n=%zu,d=%zu,dv=%zu/%s%s",
                         vf_isa_name((vf_isa)isa), vf_fill_name(f), b, n, d, dv,
                         order ? "q_kv" : "qk_v", causal ? "/causal" : "");
                cr_assert_eq(vf_linear_attention_f32(Q, K, V, o, b, n, d, dv, order, causal),
                             VF_OK, "%s", what);
                if (!(order == VF_LINATT_Q_KV && causal)) {
                    for (size_t h = 0; h < b; h++)
                        la_naive(Q + h * n * d, K + h * n * d, V + h * n * dv, r + h * n * dv,
                                 n, d, dv, order, causal);
                    for (size_t i = 0; i < cv; i++) /* == : a causal zero may differ in sign */
                        cr_assert(o[i] == r[i] && (causal || signbit(o[i]) == signbit(r[i])),
                                  "%s: point %zu differs from the naive chain", what, i);
                }
                double bulp = check_points(o, ref, B, cv, what);
                vf_oracle_report rep;
                compare(&rep, VF_K_LINEAR_ATTENTION, in, o, 3, b, n, dv, causal, 0,
                        lshapes[si].sample, f == VF_FILL_DENORMAL, what);
                acc_check("linear_attention", what, bulp, SRC, rep.sum.max_ulp,
                          rep.sum.p99_ulp);
                int col = order * 2 + causal;
                if (rep.sum.max_ulp > worst[isa][col])
                    worst[isa][col] = rep.sum.max_ulp;
            }
        }
        free(ref);
        free(B);
    }
    vf_tensor_clear(&tq);
    vf_tensor_clear(&tk);
    vf_tensor_clear(&tv);
    free(Q);
    free(K);
    free(V);
    free(o);
    free(r);
}

Test(linear_fast, linear_attention_every_isa_every_fill)
{
    for (size_t f = 0; f < NFILLS; f++) {
        double worst[VF_ISA__COUNT][4] = {{0}};
        for (size_t s = 0; s < sizeof lshapes / sizeof lshapes[0]; s++)
            la_case(fills[f], s, worst);
        for (int isa = 0; isa < VF_ISA__COUNT; isa++)
            if (vf_isa_supported((vf_isa)isa))
                printf("linear_attention_fast %-7s %-9s max ULP: qk_v %.3g, causal %.3g; q_kv "
                       "%.3g, causal %.3g\n",
                       vf_isa_name((vf_isa)isa), vf_fill_name(fills[f]), worst[isa][0],
                       worst[isa][1], worst[isa][2], worst[isa][3]);
    }
}

Test(linear_fast, linear_attention_bad_order)
{
    float x[4] = {1, 2, 3, 4}, o[4];
    cr_assert_eq(vf_linear_attention_f32(x, x, x, o, 1, 2, 2, 2, 7, 0), VF_E_USAGE);
    cr_assert_eq(vf_linear_attention_f32(x, x, x, o, 1, 0, 2, 2, 0, 0), VF_OK, "n = 0");
}

/* ================================================================ threads */

Test(linear_fast, one_vs_two_threads_bitwise)
{
    size_t M = 200, N = 150, K = 130; /* M N K = 3.9 M >= VF_PAR_MIN_ELEMS */
    float *A = fill(M * K, VF_FILL_NORMAL, 1), *B = fill(K * N, VF_FILL_NORMAL, 2);
    float *c1 = malloc(M * N * sizeof *c1), *c2 = malloc(M * N * sizeof *c2);
    size_t n = 1100, d = 32, dv = 32; /* n d dv = 1.1 M, n^2 (d + dv) = 77 M */
    float *Q = fill(n * d, VF_FILL_UNIFORM, 3), *Kk = fill(n * d, VF_FILL_UNIFORM, 4);
    float *V = fill(n * dv, VF_FILL_UNIFORM, 5);
    float *o1 = malloc(n * dv * sizeof *o1), *o2 = malloc(n * dv * sizeof *o2);
    size_t on = 20000, od = 64; /* n d = 1.28 M */
    float *X = fill(on * od, VF_FILL_UNIFORM, 6), *y = fill(on, VF_FILL_NORMAL, 7);
    float *y1 = malloc(on * sizeof *y1), *y2 = malloc(on * sizeof *y2);
    cr_assert(c1 && c2 && o1 && o2 && y1 && y2);
    cr_assert_geq(vf_par_threads(M * N * K), 1);
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        vf_par_set_max_threads(1);
        vf_gemm_f32(0, 0, M, N, K, A, K, B, N, 0.0f, c1, N);
        vf_par_set_max_threads(2);
        cr_assert_eq(vf_par_threads(M * N * K), 2);
        vf_gemm_f32(0, 0, M, N, K, A, K, B, N, 0.0f, c2, N);
        cr_assert(memcmp(c1, c2, M * N * sizeof *c1) == 0, "gemm %s", vf_isa_name((vf_isa)isa));
        if (isa == VF_ISA_SCALAR)
            continue; /* the scalar build is slow; its order is the same code */
        for (int order = 0; order < 2; order++)
            for (int causal = 0; causal < 2; causal++) {
                vf_par_set_max_threads(1);
                cr_assert_eq(vf_linear_attention_f32(Q, Kk, V, o1, 1, n, d, dv, order, causal), 0);
                vf_par_set_max_threads(2);
                cr_assert_eq(vf_linear_attention_f32(Q, Kk, V, o2, 1, n, d, dv, order, causal), 0);
                cr_assert(memcmp(o1, o2, n * dv * sizeof *o1) == 0, "linear attention %s %d %d",
                          vf_isa_name((vf_isa)isa), order, causal);
            }
        vf_par_set_max_threads(1);
        cr_assert_eq(vf_ols_forward_f32(X, y, y1, on, od, 1, &e), VF_OK, "%s", e.msg);
        vf_par_set_max_threads(2);
        cr_assert_eq(vf_ols_forward_f32(X, y, y2, on, od, 1, &e), VF_OK, "%s", e.msg);
        cr_assert(memcmp(y1, y2, on * sizeof *y1) == 0, "ols %s", vf_isa_name((vf_isa)isa));
    }
    vf_par_set_max_threads(0);
    free(A);
    free(B);
    free(c1);
    free(c2);
    free(Q);
    free(Kk);
    free(V);
    free(o1);
    free(o2);
    free(X);
    free(y);
    free(y1);
    free(y2);
}

/* ================================================================ OLS forward */

/* X (float) from the exact known-kappa generator. */
static void known_kappa_f32(float *x, size_t n, size_t d, const char *kappa, uint64_t tensor_id)
{
    vf_err e;
    vf_qmat q;
    mpq_t k;
    mpq_init(k);
    cr_assert_eq(vf_q_set_str(k, kappa, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(vf_qmat_init(&q, n, d, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(vf_qgen_known_kappa(&q, n, d, k, VF_SEED_DEFAULT, tensor_id, &e), VF_OK, "%s",
                 e.msg);
    for (size_t i = 0; i < n * d; i++)
        x[i] = (float)mpq_get_d(q.a[i]);
    vf_qmat_clear(&q);
    mpq_clear(k);
}

static const struct {
    size_t n, d, m;
} oshapes[] = {{16, 4, 1}, {40, 8, 2}, {64, 16, 1}};
static const char *const kappas[] = {"1", "10", "1000", "100000"};

Test(linear_fast, ols_forward_known_kappa)
{
    for (size_t si = 0; si < sizeof oshapes / sizeof oshapes[0]; si++)
        for (size_t ki = 0; ki < sizeof kappas / sizeof kappas[0]; ki++) {
            size_t n = oshapes[si].n, d = oshapes[si].d, m = oshapes[si].m;
            double kappa = atof(kappas[ki]);
            float *X = malloc(n * d * sizeof *X), *Y = malloc(n * m * sizeof *Y);
            float *out = malloc(n * m * sizeof *out);
            cr_assert(X && Y && out);
            known_kappa_f32(X, n, d, kappas[ki], 40 + si);
            /* Y = X beta_true + 0.01 noise (a residual outside col X) */
            float *bt = fill(d * m, VF_FILL_NORMAL, 50 + si), *nz = fill(n * m, VF_FILL_NORMAL, 60);
            for (size_t i = 0; i < n; i++)
                for (size_t c = 0; c < m; c++) {
                    double s = 0.01 * nz[i * m + c];
                    for (size_t a = 0; a < d; a++)
                        s += (double)X[i * d + a] * bt[a * m + c];
                    Y[i * m + c] = (float)s;
                }
            vf_tensor tx, ty;
            tensor(&tx, X, 2, n, d, 0);
            tensor(&ty, Y, m == 1 ? 1 : 2, n, m, 0); /* y [n] for m = 1, else Y [n, m] */
            const vf_tensor *in[2] = {&tx, &ty};
            double *ref = reference64(VF_K_OLS, in, 0), *B = malloc(n * m * sizeof *B);
            cr_assert(B);
            /* the derived bound of the header */
            double s1 = 1 + 2 * U32 * sqrt((double)d), sd = 1 / kappa - 2 * U32 * sqrt((double)d);
            double gn = gam((double)n, UD), g3 = gam(3.0 * d + 1, UD), gd = gam((double)d, UD);
            double E = (double)d * (gn + 1.001 * g3) * s1 * s1, rho = E / (sd * sd);
            cr_assert(sd > 0 && rho < 0.5, "kappa %s: outside the bound's validity", kappas[ki]);
            for (size_t c = 0; c < m; c++) {
                double ny = 0;
                for (size_t i = 0; i < n; i++)
                    ny += (double)Y[i * m + c] * Y[i * m + c];
                ny = sqrt(ny) * (1 + 0x1p-40);
                double en = gn * sqrt((double)d) * s1 * ny;
                double dxb = (en + E * ny / sd) / (sd * (1 - rho));
                double db = (en + E * ny / sd) / (sd * sd * (1 - rho));
                for (size_t q = 0; q < n; q++) {
                    double nx = 0;
                    for (size_t a = 0; a < d; a++)
                        nx += (double)X[q * d + a] * X[q * d + a];
                    double delta = dxb + gd * sqrt(nx) * (1 + 0x1p-40) * (ny / sd + db);
                    double ex = fabs(ref[q * m + c]) * (1 + UD);
                    B[q * m + c] = delta * (1 + U32) + U32 * ex + ETA32;
                }
            }
            for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
                vf_err e;
                if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
                    continue;
                char what[96];
                snprintf(what, sizeof what, "%s/known_kappa/n=%zu,d=%zu,m=%zu/kappa=%s",
                         vf_isa_name((vf_isa)isa), n, d, m, kappas[ki]);
                cr_assert_eq(vf_ols_forward_f32(X, Y, out, n, d, m, &e), VF_OK, "%s: %s", what,
                             e.msg);
                double bulp = check_points(out, ref, B, n * m, what);
                vf_oracle_report r;
                compare(&r, VF_K_OLS, in, out, m == 1 ? 1 : 2, n, m == 1 ? 0 : m, 0, 0, bulp, 0,
                        0, what);
                acc_check("ols_forward", what, bulp, SRC, r.sum.max_ulp, r.sum.p99_ulp);
                printf("ols_forward_fast %-7s n=%-3zu d=%-2zu m=%zu kappa=%-6s max %.3g p99 %.3g "
                       "ULP (derived worst case %.3g ULP)\n",
                       vf_isa_name((vf_isa)isa), n, d, m, kappas[ki], r.sum.max_ulp,
                       r.sum.p99_ulp, bulp);
                /* out may alias Y */
                float *yy = malloc(n * m * sizeof *yy);
                cr_assert(yy);
                memcpy(yy, Y, n * m * sizeof *yy);
                cr_assert_eq(vf_ols_forward_f32(X, yy, yy, n, d, m, &e), VF_OK);
                cr_assert(memcmp(yy, out, n * m * sizeof *yy) == 0, "%s: in place", what);
                free(yy);
            }
            vf_tensor_clear(&tx);
            vf_tensor_clear(&ty);
            free(ref);
            free(B);
            free(bt);
            free(nz);
            free(X);
            free(Y);
            free(out);
        }
}

Test(linear_fast, ols_forward_bad_input)
{
    enum { n = 12, d = 4 };
    float X[n * d], y[n], out[n];
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        vf_fill_f32(X, n * d, VF_FILL_UNIFORM, VF_SEED_DEFAULT, 70);
        vf_fill_f32(y, n, VF_FILL_NORMAL, VF_SEED_DEFAULT, 71);
        for (int i = 0; i < n; i++)
            out[i] = 12345.0f;
        float Xd[n * d];
        memcpy(Xd, X, sizeof Xd);
        for (int i = 0; i < n; i++)
            Xd[i * d + 3] = Xd[i * d + 1]; /* duplicated column */
        cr_assert_eq(vf_ols_forward_f32(Xd, y, out, n, d, 1, &e), VF_E_DOMAIN);
        memcpy(Xd, X, sizeof Xd);
        for (int i = 0; i < n; i++)
            Xd[i * d + 2] = 0.0f; /* zero column */
        cr_assert_eq(vf_ols_forward_f32(Xd, y, out, n, d, 1, &e), VF_E_DOMAIN);
        memcpy(Xd, X, sizeof Xd);
        for (int i = 0; i < n; i++) /* column 3 = column 0 + column 1: collinear */
            Xd[i * d + 3] = Xd[i * d] + Xd[i * d + 1];
        int rc = vf_ols_forward_f32(Xd, y, out, n, d, 1, &e);
        /* the float sums are rounded, so X may be (barely) full rank in float: then the
         * result must at least be finite; never a silent NaN */
        if (rc == VF_OK)
            for (int i = 0; i < n; i++)
                cr_assert(isfinite(out[i]));
        else
            cr_assert_eq(rc, VF_E_DOMAIN);
        memcpy(Xd, X, sizeof Xd);
        Xd[5] = NAN;
        cr_assert_eq(vf_ols_forward_f32(Xd, y, out, n, d, 1, &e), VF_E_DOMAIN);
        float yn[n];
        memcpy(yn, y, sizeof yn);
        yn[3] = INFINITY;
        cr_assert_eq(vf_ols_forward_f32(X, yn, out, n, d, 1, &e), VF_E_DOMAIN);
        cr_assert_eq(vf_ols_forward_f32(X, y, out, 3, d, 1, &e), VF_E_SHAPE, "n < d");
        cr_assert_eq(vf_ols_forward_f32(X, y, out, n, 0, 1, &e), VF_E_SHAPE, "d = 0");
        cr_assert_eq(vf_ols_forward_f32(X, y, out, n, d, 0, &e), VF_E_SHAPE, "m = 0");
        for (int i = 0; i < n; i++)
            if (rc != VF_OK)
                cr_assert(out[i] == 12345.0f, "out untouched on error");
        /* kappa = 1e8: kappa^2 u_D ~ 1: the Cholesky pivot test must refuse it */
        float Xk[64 * 8], yk[64], ok[64];
        known_kappa_f32(Xk, 64, 8, "100000000", 80);
        vf_fill_f32(yk, 64, VF_FILL_NORMAL, VF_SEED_DEFAULT, 81);
        cr_assert_eq(vf_ols_forward_f32(Xk, yk, ok, 64, 8, 1, &e), VF_E_DOMAIN, "kappa 1e8");
    }
}
