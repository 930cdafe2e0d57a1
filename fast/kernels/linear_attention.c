/* linear_attention.c — linear attention in both orders and the OLS-Transformer forward pass
 * (vf_fast_linear.h), one source for every ISA, built on the GEMM of gemm.c (same ISA). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vf_fast_linear.h"
#include "vf_par.h"
#include "vf_simd.h"

/* Query rows per score block of (Q K^T) V: a multiple of the GEMM row tile (14 / 6 / 4). */
#if VF_W == 1
#define BQ 128
#else
#define BQ 126
#endif
/* Chunk of the causal prefix-sum form of Q (K^T V). */
#define CH 64

static size_t min_sz(size_t a, size_t b) { return a < b ? a : b; }

/* ---------------------------------------------------------------- (Q K^T) V */

/* One head: K^T and V are packed once; each thread takes query blocks round-robin (causal
 * blocks grow with i, so cyclic keeps the threads balanced) with its own score block. */
static int qk_v_head(const float *Q, const float *K, const float *V, float *out, size_t n,
                     size_t d, size_t dv, int causal)
{
    vf_gemm_pb kt, vp;
    if (VF_FN(vf_gemm_pack_b)(&kt, 1, d, n, K, d))
        return VF_E_NOMEM;
    if (VF_FN(vf_gemm_pack_b)(&vp, 0, n, dv, V, dv)) {
        free(kt.p);
        return VF_E_NOMEM;
    }
    size_t nb = (n + BQ - 1) / BQ;
    int nt = vf_par_threads(n * n * (d + dv) / (causal ? 2 : 1));
    if ((size_t)nt > nb)
        nt = (int)nb;
    int fail = 0;
#pragma omp parallel num_threads(nt) if (nt > 1) reduction(| : fail)
    {
        float *s = malloc(BQ * n * sizeof(float));
        if (!s)
            fail |= 1;
#pragma omp for schedule(static, 1)
        for (size_t b = 0; b < nb; b++) {
            if (!s)
                continue;
            size_t i0 = b * BQ, bq = min_sz(BQ, n - i0), nk = causal ? i0 + bq : n;
            fail |= VF_FN(vf_gemm_packed)(0, bq, nk, d, Q + i0 * d, d, &kt, 0.0f, s, nk, 1);
            if (causal) /* key j > query i: an exact zero score */
                for (size_t r = 0; r < bq; r++)
                    memset(s + r * nk + i0 + r + 1, 0, (nk - (i0 + r + 1)) * sizeof *s);
            fail |= VF_FN(vf_gemm_packed)(0, bq, dv, nk, s, nk, &vp, 0.0f, out + i0 * dv, dv, 1);
        }
        free(s);
    }
    free(kt.p);
    free(vp.p);
    return fail ? VF_E_NOMEM : VF_OK;
}

/* ---------------------------------------------------------------- Q (K^T V) */

/* Causal, chunked: state_c = K_c^T V_c for every chunk (parallel), prefix sums
 * pre_c = state_0 + ... + state_{c-1} in chunk order (sequential), then per chunk (parallel)
 * out_c = Q_c pre_c, out_c += mask(Q_c K_c^T) V_c (the chain continues: beta = 1). */
static int q_kv_causal_head(const float *Q, const float *K, const float *V, float *out, size_t n,
                            size_t d, size_t dv)
{
    size_t nc = (n + CH - 1) / CH, sz = d * dv;
    size_t cnt = nc * sz;
    float *pre = malloc((cnt > 0 ? cnt : 1) * sizeof *pre);
    if (!pre)
        return VF_E_NOMEM;
    int nt = vf_par_threads(n * d * dv);
    if ((size_t)nt > nc)
        nt = (int)nc;
    /* pre[c+1] = state_c for c < nc - 1; pre[0] is unused (chunk 0 has no prefix). */
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1)
    for (size_t c = 0; c < nc - 1; c++)
        VF_FN(vf_gemm1_f32)(1, 0, d, dv, CH, K + c * CH * d, d, V + c * CH * dv, dv, 0.0f,
                            pre + (c + 1) * sz, dv);
    for (size_t c = 2; c < nc; c++)
        for (size_t t = 0; t < sz; t++)
            pre[c * sz + t] += pre[(c - 1) * sz + t];
    int fail = 0;
#pragma omp parallel num_threads(nt) if (nt > 1) reduction(| : fail)
    {
        float *p = malloc(CH * CH * sizeof *p);
        if (!p)
            fail |= 1;
#pragma omp for schedule(static)
        for (size_t c = 0; c < nc; c++) {
            if (!p)
                continue;
            size_t i0 = c * CH, cs = min_sz(CH, n - i0);
            const float *qc = Q + i0 * d, *kc = K + i0 * d, *vc = V + i0 * dv;
            float *oc = out + i0 * dv;
            VF_FN(vf_gemm1_f32)(0, 1, cs, cs, d, qc, d, kc, d, 0.0f, p, cs);
            for (size_t r = 0; r < cs; r++)
                memset(p + r * cs + r + 1, 0, (cs - r - 1) * sizeof *p);
            float beta = 0.0f;
            if (c > 0) {
                VF_FN(vf_gemm1_f32)(0, 0, cs, dv, d, qc, d, pre + c * sz, dv, 0.0f, oc, dv);
                beta = 1.0f;
            }
            VF_FN(vf_gemm1_f32)(0, 0, cs, dv, cs, p, cs, vc, dv, beta, oc, dv);
        }
        free(p);
    }
    free(pre);
    return fail ? VF_E_NOMEM : VF_OK;
}

static int q_kv_head(const float *Q, const float *K, const float *V, float *out, size_t n,
                     size_t d, size_t dv)
{
    size_t cnt = d * dv;
    float *s = malloc((cnt > 0 ? cnt : 1) * sizeof *s);
    if (!s)
        return VF_E_NOMEM;
    VF_FN(vf_gemm_f32)(1, 0, d, dv, n, K, d, V, dv, 0.0f, s, dv);   /* S = K^T V */
    VF_FN(vf_gemm_f32)(0, 0, n, dv, d, Q, d, s, dv, 0.0f, out, dv); /* out = Q S */
    free(s);
    return VF_OK;
}

int VF_FN(vf_linear_attention_f32)(const float *Q, const float *K, const float *V, float *out,
                                   size_t batch, size_t n, size_t d, size_t dv, int order,
                                   int causal)
{
    if (order != VF_LINATT_QK_V && order != VF_LINATT_Q_KV)
        return VF_E_USAGE;
    for (size_t h = 0; h < batch; h++) {
        const float *q = Q + h * n * d, *k = K + h * n * d, *v = V + h * n * dv;
        float *o = out + h * n * dv;
        int rc = n == 0 || dv == 0                 ? VF_OK
                 : order == VF_LINATT_QK_V         ? qk_v_head(q, k, v, o, n, d, dv, causal)
                 : causal                          ? q_kv_causal_head(q, k, v, o, n, d, dv)
                                                   : q_kv_head(q, k, v, o, n, d, dv);
        if (rc)
            return rc;
    }
    return VF_OK;
}

/* ---------------------------------------------------------------- OLS-Transformer forward */

/* g[a][c] += sum_i x_ia z_ic over all rows (z = [x | y] widened to float64, padded to wp
 * columns), sequential in i for every element (so every ISA gives the same bits). */
static void gram_xz(const float *X, const float *Y, size_t n, size_t d, size_t m, size_t wp,
                    double *g, double *z)
{
    size_t w = d + m;
    for (size_t i0 = 0; i0 < n; i0 += 4) {
        size_t rows = min_sz(4, n - i0);
        for (size_t r = 0; r < 4; r++)
            for (size_t c = 0; c < wp; c++)
                z[r * wp + c] = r < rows && c < w
                                    ? (double)(c < d ? X[(i0 + r) * d + c] : Y[(i0 + r) * m + c - d])
                                    : 0.0;
        for (size_t a = 0; a < d; a++) {
            /* rows beyond n have z = 0: adding 0 * 0 leaves the sums exact */
            vf_vd x0 = vf_vd_set1(z[a]), x1 = vf_vd_set1(z[wp + a]);
            vf_vd x2 = vf_vd_set1(z[2 * wp + a]), x3 = vf_vd_set1(z[3 * wp + a]);
            double *ga = g + a * wp;
            for (size_t c = 0; c < wp; c += VF_WD) {
                vf_vd s = vf_vd_load(ga + c);
                s = vf_vd_fma(x0, vf_vd_load(z + c), s);
                s = vf_vd_fma(x1, vf_vd_load(z + wp + c), s);
                s = vf_vd_fma(x2, vf_vd_load(z + 2 * wp + c), s);
                s = vf_vd_fma(x3, vf_vd_load(z + 3 * wp + c), s);
                vf_vd_store(ga + c, s);
            }
        }
    }
}

int VF_FN(vf_ols_forward_f32)(const float *X, const float *Y, float *out, size_t n, size_t d,
                              size_t m, vf_err *e)
{
    if (d == 0 || m == 0 || n < d)
        return vf_fail(e, VF_E_SHAPE, "ols forward: need n >= d >= 1 and m >= 1 (n %zu, d %zu, m %zu)",
                       n, d, m);
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(X[i]))
            return vf_fail(e, VF_E_DOMAIN, "ols forward: X[%zu, %zu] is not finite", i / d, i % d);
    for (size_t i = 0; i < n * m; i++)
        if (!isfinite(Y[i]))
            return vf_fail(e, VF_E_DOMAIN, "ols forward: Y[%zu, %zu] is not finite", i / m, i % m);
    size_t w = d + m, wp = (w + VF_WD - 1) / VF_WD * VF_WD;
    double *g = calloc(d * wp, sizeof *g), *z = malloc(4 * wp * sizeof *z);
    double *beta = malloc(d * m * sizeof *beta);
    if (!g || !z || !beta) {
        free(g);
        free(z);
        free(beta);
        return vf_fail(e, VF_E_NOMEM, "ols forward: out of memory (d %zu, m %zu)", d, m);
    }
    gram_xz(X, Y, n, d, m, wp, g, z);
    /* Cholesky G = R^T R in place (upper triangle of g[:, :d]); a pivot <= tau means the
     * first-order error bound (vf_fast_linear.h) is no longer below the data. */
    double gmax = 0;
    for (size_t a = 0; a < d; a++)
        gmax = fmax(gmax, g[a * wp + a]);
    double tau = (double)d * ((double)n + 3.0 * (double)d + 1.0) * 0x1p-53 * gmax;
    int rc = VF_OK;
    for (size_t k = 0; k < d && rc == VF_OK; k++) {
        double p = g[k * wp + k];
        for (size_t t = 0; t < k; t++)
            p -= g[t * wp + k] * g[t * wp + k];
        if (!(p > tau)) {
            rc = vf_fail(e, VF_E_DOMAIN,
                         "ols forward: X^T X is numerically singular (Cholesky pivot %zu = %.3g "
                         "<= %.3g): X is rank-deficient or kappa(X)^2 is beyond float64",
                         k, p, tau);
            break;
        }
        double rkk = sqrt(p);
        g[k * wp + k] = rkk;
        for (size_t j = k + 1; j < d; j++) {
            double s = g[k * wp + j];
            for (size_t t = 0; t < k; t++)
                s -= g[t * wp + k] * g[t * wp + j];
            g[k * wp + j] = s / rkk;
        }
    }
    if (rc == VF_OK) {
        /* beta = R^{-1} R^{-T} b for each column of b = X^T Y (g[:, d + c]). */
        for (size_t c = 0; c < m; c++) {
            for (size_t a = 0; a < d; a++) { /* R^T t = b */
                double s = g[a * wp + d + c];
                for (size_t t = 0; t < a; t++)
                    s -= g[t * wp + a] * beta[t * m + c];
                beta[a * m + c] = s / g[a * wp + a];
            }
            for (size_t a = d; a-- > 0;) { /* R beta = t */
                double s = beta[a * m + c];
                for (size_t t = a + 1; t < d; t++)
                    s -= g[a * wp + t] * beta[t * m + c];
                beta[a * m + c] = s / g[a * wp + a];
            }
        }
        /* out = X beta in float64 (x_q^T M sum_i x_i y_i^T), rounded once. */
        int nt = vf_par_threads(n * m * d);
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1)
        for (size_t q = 0; q < n; q++)
            for (size_t c = 0; c < m; c++) {
                double s = 0;
                for (size_t a = 0; a < d; a++)
                    s = fma((double)X[q * d + a], beta[a * m + c], s);
                out[q * m + c] = (float)s;
            }
    }
    free(g);
    free(z);
    free(beta);
    return rc;
}
