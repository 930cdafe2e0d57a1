/* lstsq.c — batched least squares by Householder QR (flat-tree TSQR), one source for every
 * ISA (contract, statuses and accuracy statement in vf_fast_lstsq.h; error analysis in
 * tests/test_lstsq_fast.c).
 *
 * One problem: R (n x n) and the head of Q^T b (n x nrhs) live in float64, row-major in one
 * [n x (n + nrhs)] array.  The rows of [A b] are absorbed in B blocks of at most
 * vf_lstsq_block_rows rows: a block is copied transposed (column j contiguous, padded with
 * zero rows to a multiple of VF_LSTSQ_PAD, which every operation leaves zero), then
 * reflector k (k = 0..n-1) annihilates the block part of column k against R_kk:
 *     x = [R_kk; w_k],  alpha = -sign(R_kk) ||x||,  v = [R_kk - alpha; w_k],
 *     tau = 2 / v^T v = 1 / (-alpha (R_kk - alpha)),
 *     for every later column j (and every right-hand side):
 *         c_j = tau (v_h R_kj + w_k . w_j)      (float64 dot of the float32 block)
 *         R_kj -= c_j v_h                        (float64)
 *         w_j  -= fl32(c_j) w_k                  (one float32 FMA per element)
 * The body of v is the stored float32 column itself and tau comes from float64 sums of exact
 * products, so each applied reflector is orthogonal to float64 accuracy; the float32 block
 * is the only place where float32 rounding enters (3u per reflector and column).
 * After the last block, the block parts of the right-hand sides hold the residual component
 * of Q^T b (their norms are accumulated over blocks), x = R^{-1} (Q^T b)_head in float64.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vf_fast_lstsq.h"
#include "vf_par.h"
#include "vf_simd.h"

typedef struct {
    float *w;     /* [(n + nrhs) x ld]: the transposed block, column j at w + j ld */
    double *vd;   /* [ld]: column k widened to float64 */
    double *r;    /* [n x (n + nrhs)]: R | (Q^T b)_head */
    double *res2; /* [nrhs]: squared residual norms, accumulated over blocks */
    size_t ld;
    size_t nb;    /* row blocks (vf_lstsq_blocks) */
    double tol;   /* rank tolerance (vf_lstsq_rank_tol) */
} lsq_work;

static void *alloc64(size_t bytes)
{
    bytes = (bytes + 63) & ~(size_t)63;
    return aligned_alloc(64, bytes ? bytes : 64);
}

static int work_init(lsq_work *wk, size_t m, size_t n, size_t nrhs)
{
    size_t nc = n + nrhs;
    wk->ld = vf_lstsq_block_rows(n, nrhs);
    wk->nb = vf_lstsq_blocks(m, n, nrhs);
    wk->tol = vf_lstsq_rank_tol(n);
    wk->w = alloc64(nc * wk->ld * sizeof(float));
    wk->vd = alloc64(wk->ld * sizeof(double));
    wk->r = alloc64(n * nc * sizeof(double));
    wk->res2 = alloc64(nrhs * sizeof(double));
    return wk->w && wk->vd && wk->r && wk->res2;
}

static void work_free(lsq_work *wk)
{
    free(wk->w);
    free(wk->vd);
    free(wk->r);
    free(wk->res2);
}

/* Copies rows [r0, r0 + rows) of A and b into the block, transposed, zero-padded to rp rows.
 * Returns 0 iff a copied value is NaN or +-inf. */
static int load_block(lsq_work *wk, const float *A, const float *b, size_t r0, size_t rows,
                      size_t rp, size_t n, size_t nrhs)
{
    int finite = 1;
    float *w = wk->w;
    size_t ld = wk->ld;
    for (size_t i = 0; i < rows; i++) {
        const float *a = A + (r0 + i) * n, *bb = b + (r0 + i) * nrhs;
        for (size_t j = 0; j < n; j++) {
            w[j * ld + i] = a[j];
            finite &= fabsf(a[j]) <= FLT_MAX;
        }
        for (size_t l = 0; l < nrhs; l++) {
            w[(n + l) * ld + i] = bb[l];
            finite &= fabsf(bb[l]) <= FLT_MAX;
        }
    }
    for (size_t j = 0; j < n + nrhs; j++)
        memset(w + j * ld + rows, 0, (rp - rows) * sizeof(float));
    return finite;
}

/* vd = (double)wk[0 .. rp), returns sum wk_i^2 (float64, exact squares, two lane chains). */
static double widen_sumsq(double *vd, const float *wk, size_t rp)
{
    vf_vd a0 = vf_vd_set1(0.0), a1 = vf_vd_set1(0.0);
    for (size_t i = 0; i < rp; i += 2 * VF_WD) {
        vf_vd d0 = vf_vd_load_f(wk + i), d1 = vf_vd_load_f(wk + i + VF_WD);
        vf_vd_store(vd + i, d0);
        vf_vd_store(vd + i + VF_WD, d1);
        a0 = vf_vd_fma(d0, d0, a0);
        a1 = vf_vd_fma(d1, d1, a1);
    }
    return vf_vd_hsum(vf_vd_add(a0, a1));
}

/* Sum of squares of a float32 column (float64). */
static double sumsq(const float *c, size_t rp)
{
    vf_vd a0 = vf_vd_set1(0.0), a1 = vf_vd_set1(0.0);
    for (size_t i = 0; i < rp; i += 2 * VF_WD) {
        vf_vd d0 = vf_vd_load_f(c + i), d1 = vf_vd_load_f(c + i + VF_WD);
        a0 = vf_vd_fma(d0, d0, a0);
        a1 = vf_vd_fma(d1, d1, a1);
    }
    return vf_vd_hsum(vf_vd_add(a0, a1));
}

/* out[c] = vd . w_c for four columns (float64; products of floats are exact). */
static void dot4(double out[4], const double *vd, const float *c0, const float *c1,
                 const float *c2, const float *c3, size_t rp)
{
    vf_vd a0 = vf_vd_set1(0.0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    for (size_t i = 0; i < rp; i += 2 * VF_WD) {
        vf_vd v0 = vf_vd_load(vd + i), v1 = vf_vd_load(vd + i + VF_WD);
        a0 = vf_vd_fma(vf_vd_load_f(c0 + i), v0, a0);
        a1 = vf_vd_fma(vf_vd_load_f(c1 + i), v0, a1);
        a2 = vf_vd_fma(vf_vd_load_f(c2 + i), v0, a2);
        a3 = vf_vd_fma(vf_vd_load_f(c3 + i), v0, a3);
        b0 = vf_vd_fma(vf_vd_load_f(c0 + i + VF_WD), v1, b0);
        b1 = vf_vd_fma(vf_vd_load_f(c1 + i + VF_WD), v1, b1);
        b2 = vf_vd_fma(vf_vd_load_f(c2 + i + VF_WD), v1, b2);
        b3 = vf_vd_fma(vf_vd_load_f(c3 + i + VF_WD), v1, b3);
    }
    out[0] = vf_vd_hsum(vf_vd_add(a0, b0));
    out[1] = vf_vd_hsum(vf_vd_add(a1, b1));
    out[2] = vf_vd_hsum(vf_vd_add(a2, b2));
    out[3] = vf_vd_hsum(vf_vd_add(a3, b3));
}

static double dot1(const double *vd, const float *c0, size_t rp)
{
    vf_vd a0 = vf_vd_set1(0.0), b0 = a0;
    for (size_t i = 0; i < rp; i += 2 * VF_WD) {
        a0 = vf_vd_fma(vf_vd_load_f(c0 + i), vf_vd_load(vd + i), a0);
        b0 = vf_vd_fma(vf_vd_load_f(c0 + i + VF_WD), vf_vd_load(vd + i + VF_WD), b0);
    }
    return vf_vd_hsum(vf_vd_add(a0, b0));
}

/* w_c -= f_c w_k for four columns (float32, one rounding per element). */
static void upd4(float *c0, float *c1, float *c2, float *c3, const float f[4], const float *wk,
                 size_t rp)
{
    vf_v f0 = vf_v_set1(f[0]), f1 = vf_v_set1(f[1]), f2 = vf_v_set1(f[2]), f3 = vf_v_set1(f[3]);
    for (size_t i = 0; i < rp; i += VF_W) {
        vf_v v = vf_v_load(wk + i);
        vf_v_store(c0 + i, vf_v_fnma(f0, v, vf_v_load(c0 + i)));
        vf_v_store(c1 + i, vf_v_fnma(f1, v, vf_v_load(c1 + i)));
        vf_v_store(c2 + i, vf_v_fnma(f2, v, vf_v_load(c2 + i)));
        vf_v_store(c3 + i, vf_v_fnma(f3, v, vf_v_load(c3 + i)));
    }
}

static void upd1(float *c0, float f, const float *wk, size_t rp)
{
    vf_v f0 = vf_v_set1(f);
    for (size_t i = 0; i < rp; i += VF_W)
        vf_v_store(c0 + i, vf_v_fnma(f0, vf_v_load(wk + i), vf_v_load(c0 + i)));
}

/* Absorbs one block (already in wk->w, rp rows) into R: reflectors k = 0..n-1. */
static void absorb_block(lsq_work *wk, size_t rp, size_t n, size_t nrhs)
{
    size_t nc = n + nrhs, ld = wk->ld;
    float *w = wk->w;
    double *r = wk->r, *vd = wk->vd;
    for (size_t k = 0; k < n; k++) {
        const float *wkc = w + k * ld;
        double sb = widen_sumsq(vd, wkc, rp);
        if (sb == 0.0)
            continue; /* block part of column k already zero: the reflector is I */
        double *rk = r + k * nc;
        double h = rk[k], s = h * h + sb;
        double alpha = -copysign(sqrt(s), h), vh = h - alpha, tau = 1.0 / (-alpha * vh);
        rk[k] = alpha;
        size_t j = k + 1;
        for (; j + 4 <= nc; j += 4) {
            float *c0 = w + j * ld, *c1 = c0 + ld, *c2 = c1 + ld, *c3 = c2 + ld;
            double d[4];
            float f[4];
            dot4(d, vd, c0, c1, c2, c3, rp);
            for (int t = 0; t < 4; t++) {
                double c = tau * (vh * rk[j + t] + d[t]);
                rk[j + t] -= c * vh;
                f[t] = (float)c;
            }
            upd4(c0, c1, c2, c3, f, wkc, rp);
        }
        for (; j < nc; j++) {
            float *c0 = w + j * ld;
            double c = tau * (vh * rk[j] + dot1(vd, c0, rp));
            rk[j] -= c * vh;
            upd1(c0, (float)c, wkc, rp);
        }
    }
    for (size_t l = 0; l < nrhs; l++)
        wk->res2[l] += sumsq(w + (n + l) * ld, rp);
}

/* Solves one problem; returns its status.  x and resid are written only when OK. */
static int solve_one(lsq_work *wk, const float *A, const float *b, float *x, float *resid,
                     size_t m, size_t n, size_t nrhs)
{
    size_t nc = n + nrhs, nb = wk->nb;
    double *r = wk->r;
    memset(r, 0, n * nc * sizeof(double));
    memset(wk->res2, 0, nrhs * sizeof(double));
    /* Balanced blocks: the first m % nb get one row more (each <= the block size). */
    size_t base = m / nb, extra = m % nb, r0 = 0;
    for (size_t t = 0; t < nb; t++) {
        size_t rows = base + (t < extra), rp = (rows + VF_LSTSQ_PAD - 1) / VF_LSTSQ_PAD * VF_LSTSQ_PAD;
        if (!load_block(wk, A, b, r0, rows, rp, n, nrhs))
            return VF_LSTSQ_NONFINITE;
        absorb_block(wk, rp, n, nrhs);
        r0 += rows;
    }
    /* Overflow anywhere reaches R, the head of Q^T b or the residual sums. */
    double fro2 = 0.0, dmin = INFINITY;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i; j < nc; j++)
            if (!(fabs(r[i * nc + j]) <= DBL_MAX))
                return VF_LSTSQ_RANGE;
        for (size_t j = i; j < n; j++)
            fro2 += r[i * nc + j] * r[i * nc + j];
        double d = fabs(r[i * nc + i]);
        dmin = d < dmin ? d : dmin;
    }
    for (size_t l = 0; l < nrhs; l++)
        if (!(wk->res2[l] <= DBL_MAX))
            return VF_LSTSQ_RANGE;
    /* ||R||_F = ||A||_F up to the backward error; the rank test of the header. */
    if (!(dmin > wk->tol * sqrt(fro2)))
        return VF_LSTSQ_RANK;
    /* Back substitution in float64, one right-hand side at a time; the solution overwrites
     * the head column of Q^T b. */
    for (size_t l = 0; l < nrhs; l++) {
        for (size_t k = n; k-- > 0;) {
            double s = r[k * nc + n + l];
            for (size_t j = k + 1; j < n; j++)
                s -= r[k * nc + j] * r[j * nc + n + l];
            r[k * nc + n + l] = s / r[k * nc + k];
        }
        for (size_t k = 0; k < n; k++)
            if (!(fabsf((float)r[k * nc + n + l]) <= FLT_MAX))
                return VF_LSTSQ_RANGE;
    }
    for (size_t k = 0; k < n; k++)
        for (size_t l = 0; l < nrhs; l++)
            x[k * nrhs + l] = (float)r[k * nc + n + l];
    if (resid)
        for (size_t l = 0; l < nrhs; l++)
            resid[l] = (float)sqrt(wk->res2[l]);
    return VF_LSTSQ_OK;
}

static void mark_failed(float *x, float *resid, size_t n, size_t nrhs)
{
    for (size_t i = 0; i < n * nrhs; i++)
        x[i] = NAN;
    if (resid)
        for (size_t l = 0; l < nrhs; l++)
            resid[l] = NAN;
}

size_t VF_FN(vf_lstsq_f32)(const float *A, const float *b, float *x, size_t batch, size_t m,
                           size_t n, size_t nrhs, float *resid, int *status)
{
    if (nrhs == 0 || batch == 0) {
        if (status)
            memset(status, 0, batch * sizeof *status);
        return 0;
    }
    if (n == 0 || m < n) {
        for (size_t p = 0; p < batch; p++) {
            mark_failed(x + p * n * nrhs, resid ? resid + p * nrhs : NULL, n, nrhs);
            if (status)
                status[p] = VF_LSTSQ_SHAPE;
        }
        return batch;
    }
    size_t failed = 0;
    int nt = vf_par_threads(batch * m * n);
#pragma omp parallel num_threads(nt) if (nt > 1) reduction(+ : failed)
    {
        lsq_work wk;
        int have = work_init(&wk, m, n, nrhs);
#pragma omp for schedule(static)
        for (size_t p = 0; p < batch; p++) {
            float *xp = x + p * n * nrhs, *rp = resid ? resid + p * nrhs : NULL;
            int st = have ? solve_one(&wk, A + p * m * n, b + p * m * nrhs, xp, rp, m, n, nrhs)
                          : VF_LSTSQ_NOMEM;
            if (st != VF_LSTSQ_OK) {
                mark_failed(xp, rp, n, nrhs);
                failed++;
            }
            if (status)
                status[p] = st;
        }
        work_free(&wk);
    }
    return failed;
}
