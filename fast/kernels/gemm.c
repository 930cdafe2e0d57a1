/* gemm.c — float32 C = op(A) op(B) + beta C (vf_fast_linear.h), one source for every ISA.
 *
 * BLIS-style: op(B) is packed into panels of NR columns (k-major: NR floats per k), op(A) into
 * panels of MR rows (MR floats per k), and an MR x NR register tile of accumulators runs
 *     acc[r][v] = fma(broadcast(a[k][r]), b[k][v], acc[r][v])   for k = 0 .. kc-1.
 * k is split into blocks of KC (the B micro-panel, KC x NR, stays in L1, the A block MC x KC
 * in L2); the first block starts the accumulators at 0 or beta*C, later blocks reload C and
 * continue, so each C element is exactly the sequential FMA chain over k = 0..K-1 whatever the
 * blocking, the tile, the ISA or the thread split (the contract of vf_fast_linear.h).
 * Partial tiles run the same kernel on a zero-padded copy; padded lanes are never stored.
 * With few column panels (N <= 4 NR, e.g. the S V and K^T V products of attention, dv = 64
 * or 128) A is not packed: the tile broadcasts from MR rows of A in place (packing would cost about as much
 * as the 2N flops each packed element feeds).
 * Tiles: AVX-512 14 x 32 (28 zmm accumulators + 2 B vectors + 1 broadcast), AVX2 6 x 16
 * (12 + 2 + 1 of 16 ymm), scalar 4 x 4.  KC = 192: B micro-panel 24 KiB + A panel 10.5 KiB
 * stay within the 48 KiB L1 of Zen 5. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vf_fast_linear.h"
#include "vf_par.h"
#include "vf_simd.h"

#if VF_W == 16
#define MR 14
#define NV 2
#elif VF_W == 8
#define MR 6
#define NV 2
#else
#define MR 4
#define NV 4
#endif
#define NR (NV * VF_W)
#define KC 192
#define MC (MR * 24)

enum { INIT_ZERO, INIT_BETA, INIT_LOAD };

static size_t min_sz(size_t a, size_t b) { return a < b ? a : b; }

/* One MR x NR tile: C (ldc) op= A (element (r, k) at a[r rsa + k csa]: a packed panel has
 * rsa = 1, csa = MR; rows read in place have rsa = lda, csa = 1) times a B panel (kc x NR). */
static inline void micro(size_t kc, const float *restrict a, size_t rsa, size_t csa,
                         const float *restrict b, size_t bs, float *restrict C, size_t ldc,
                         int init, float beta)
{
    vf_v acc[MR][NV];
    const vf_v vb = vf_v_set1(beta);
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            acc[r][v] = init == INIT_ZERO   ? vf_v_set1(0.0f)
                        : init == INIT_BETA ? vf_v_mul(vb, vf_v_load(C + r * ldc + v * VF_W))
                                            : vf_v_load(C + r * ldc + v * VF_W);
    for (size_t k = 0; k < kc; k++) {
        vf_v bv[NV];
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            bv[v] = vf_v_load(b + k * bs + v * VF_W);
#pragma GCC unroll 16
        for (int r = 0; r < MR; r++) {
            vf_v av = vf_v_set1(a[r * rsa + k * csa]);
#pragma GCC unroll 4
            for (int v = 0; v < NV; v++)
                acc[r][v] = vf_v_fma(av, bv[v], acc[r][v]);
        }
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            vf_v_store(C + r * ldc + v * VF_W, acc[r][v]);
}

/* A partial tile (mr <= MR rows, nr <= NR columns) through a zero-padded MR x NR copy. */
static void micro_edge(size_t kc, const float *a, const float *b, size_t bs, float *C, size_t ldc,
                       size_t mr, size_t nr, int init, float beta)
{
    if (mr == MR && nr == NR) {
        micro(kc, a, 1, MR, b, bs, C, ldc, init, beta);
        return;
    }
    float t[MR * NR];
    memset(t, 0, sizeof t);
    if (init != INIT_ZERO)
        for (size_t r = 0; r < mr; r++)
            memcpy(t + r * NR, C + r * ldc, nr * sizeof *t);
    micro(kc, a, 1, MR, b, bs, t, NR, init, beta);
    for (size_t r = 0; r < mr; r++)
        memcpy(C + r * ldc, t + r * NR, nr * sizeof *t);
}

/* op(A) rows [i0, i0+mc), k in [p0, p0+kc) -> MR-row panels, zero-padded. */
static void pack_a(float *restrict ap, int ta, const float *A, size_t lda, size_t i0, size_t mc,
                   size_t p0, size_t kc)
{
    for (size_t ip = 0; ip < mc; ip += MR) {
        size_t mr = min_sz(MR, mc - ip);
        float *dst = ap + ip * kc;
        if (!ta) {
            for (size_t r = 0; r < mr; r++) {
                const float *src = A + (i0 + ip + r) * lda + p0;
                for (size_t k = 0; k < kc; k++)
                    dst[k * MR + r] = src[k];
            }
        } else {
            for (size_t k = 0; k < kc; k++) {
                const float *src = A + (p0 + k) * lda + i0 + ip;
                for (size_t r = 0; r < mr; r++)
                    dst[k * MR + r] = src[r];
            }
        }
        if (mr < MR)
            for (size_t k = 0; k < kc; k++)
                for (size_t r = mr; r < MR; r++)
                    dst[k * MR + r] = 0.0f;
    }
}

/* Offset of the panel (k block p0, columns from jp) in a packed B: k blocks of KC rows, each
 * holding npad/NR panels of kcb x NR floats (kcb = that block's row count in the full K). */
static size_t pb_off(const vf_gemm_pb *pb, size_t p0, size_t jp)
{
    if (pb->ld) /* B read in place */
        return p0 * pb->ld + jp;
    return p0 * pb->npad + jp * min_sz(KC, pb->K - p0);
}

int VF_FN(vf_gemm_pack_b)(vf_gemm_pb *pb, int tb, size_t K, size_t N, const float *B, size_t ldb)
{
    pb->K = K;
    pb->N = N;
    pb->ld = 0;
    pb->npad = (N + NR - 1) / NR * NR;
    size_t cnt = K * pb->npad; /* a multiple of NR: 64-byte aligned panels, whole lines */
    pb->p = aligned_alloc(64, (cnt > 0 ? (cnt + 15) / 16 * 16 : 16) * sizeof(float));
    if (!pb->p)
        return 1;
    for (size_t p0 = 0; p0 < K; p0 += KC) {
        size_t kc = min_sz(KC, K - p0);
        for (size_t jp = 0; jp < N; jp += NR) {
            size_t nr = min_sz(NR, N - jp);
            float *dst = pb->p + pb_off(pb, p0, jp);
            if (!tb) {
                for (size_t k = 0; k < kc; k++) {
                    memcpy(dst + k * NR, B + (p0 + k) * ldb + jp, nr * sizeof *dst);
                    for (size_t c = nr; c < NR; c++)
                        dst[k * NR + c] = 0.0f;
                }
            } else {
                for (size_t c = 0; c < nr; c++) {
                    const float *src = B + (jp + c) * ldb + p0;
                    for (size_t k = 0; k < kc; k++)
                        dst[k * NR + c] = src[k];
                }
                for (size_t k = 0; k < kc; k++)
                    for (size_t c = nr; c < NR; c++)
                        dst[k * NR + c] = 0.0f;
            }
        }
    }
    return 0;
}

/* Rows [m0, m1) of C with the packed B; ap holds a packed A block (<= MC x KC floats). */
static void gemm_rows(int ta, size_t m0, size_t m1, size_t N, size_t K, const float *A,
                      size_t lda, const vf_gemm_pb *pb, float beta, float *C, size_t ldc,
                      float *ap)
{
    /* Few column panels: packing A would cost as much as the FMAs it feeds (2 N flops per
     * packed element), so full row tiles read A in place (either layout: op(A)(i, k) at
     * A[i rsa + k csa]); only a last partial tile is packed. */
    int inplace = N <= 4 * NR;
    size_t bs = pb->ld ? pb->ld : NR; /* B row stride within a panel */
    size_t rsa = ta ? 1 : lda, csa = ta ? lda : 1; /* element (i, k) of op(A) */
    for (size_t p0 = 0; p0 < K; p0 += KC) {
        size_t kc = min_sz(KC, K - p0);
        int init = p0 ? INIT_LOAD : beta == 0.0f ? INIT_ZERO : INIT_BETA;
        if (inplace) {
            for (size_t i = m0; i < m1; i += MR) {
                size_t mr = min_sz(MR, m1 - i);
                if (mr < MR)
                    pack_a(ap, ta, A, lda, i, mr, p0, kc);
                for (size_t jp = 0; jp < N; jp += NR) {
                    const float *bp = pb->p + pb_off(pb, p0, jp);
                    size_t nr = min_sz(NR, N - jp);
                    if (mr == MR && nr == NR)
                        micro(kc, A + i * rsa + p0 * csa, rsa, csa, bp, bs, C + i * ldc + jp,
                              ldc, init, beta);
                    else if (mr == MR) {
                        pack_a(ap, ta, A, lda, i, mr, p0, kc);
                        micro_edge(kc, ap, bp, bs, C + i * ldc + jp, ldc, mr, nr, init, beta);
                    } else
                        micro_edge(kc, ap, bp, bs, C + i * ldc + jp, ldc, mr, nr, init, beta);
                }
            }
            continue;
        }
        for (size_t i0 = m0; i0 < m1; i0 += MC) {
            size_t mc = min_sz(MC, m1 - i0);
            pack_a(ap, ta, A, lda, i0, mc, p0, kc);
            for (size_t jp = 0; jp < N; jp += NR) {
                const float *bp = pb->p + pb_off(pb, p0, jp);
                size_t nr = min_sz(NR, N - jp);
                for (size_t ip = 0; ip < mc; ip += MR)
                    micro_edge(kc, ap + ip * kc, bp, bs, C + (i0 + ip) * ldc + jp, ldc,
                               min_sz(MR, mc - ip), nr, init, beta);
            }
        }
    }
}

/* K == 0: C = beta C (0 for beta == 0, never reading C). */
static void scale_c(size_t M, size_t N, float beta, float *C, size_t ldc)
{
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < N; j++)
            C[i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[i * ldc + j];
}

int VF_FN(vf_gemm_packed)(int ta, size_t M, size_t N, size_t K, const float *A, size_t lda,
                          const vf_gemm_pb *pb, float beta, float *C, size_t ldc, int threads)
{
    if (M == 0 || N == 0)
        return 0;
    if (K == 0) {
        scale_c(M, N, beta, C, ldc);
        return 0;
    }
    size_t blocks = (M + MR - 1) / MR;
    int nt = threads < 1 ? 1 : (size_t)threads > blocks ? (int)blocks : threads;
    size_t per = (blocks + (size_t)nt - 1) / (size_t)nt * MR; /* rows per thread, MR multiple */
    int fail = 0;
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1) reduction(| : fail)
    for (int t = 0; t < nt; t++) {
        size_t m0 = (size_t)t * per, m1 = min_sz(M, m0 + per);
        if (m0 >= m1)
            continue;
        /* A block scratch sized to the call (small calls stay off mmap'ed memory) */
        size_t rows = min_sz(MC, (m1 - m0 + MR - 1) / MR * MR), cols = min_sz(KC, K);
        float *ap = aligned_alloc(64, (rows * cols + 15) / 16 * 16 * sizeof(float));
        if (!ap) {
            fail |= 1;
            continue;
        }
        gemm_rows(ta, m0, m1, N, K, A, lda, pb, beta, C, ldc, ap);
        free(ap);
    }
    return fail;
}

/* The contract's summation order without any buffer: the fallback when allocation fails. */
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

static void gemm_any(int ta, int tb, size_t M, size_t N, size_t K, const float *A, size_t lda,
                     const float *B, size_t ldb, float beta, float *C, size_t ldc, int threads)
{
    if (M == 0 || N == 0)
        return;
    vf_gemm_pb pb;
    /* Few whole panels of a row-major B (K^T V, S V in attention): its rows already hold the
     * NR-wide panel rows, so B is read in place (stride ldb) instead of copied. */
    int b_inplace = !tb && N % NR == 0 && N <= 4 * NR;
    if (b_inplace)
        pb = (vf_gemm_pb){(float *)(uintptr_t)B, K, N, N, ldb};
    if (K == 0 || (!b_inplace && VF_FN(vf_gemm_pack_b)(&pb, tb, K, N, B, ldb))) {
        gemm_naive(ta, tb, M, N, K, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    if (VF_FN(vf_gemm_packed)(ta, M, N, K, A, lda, &pb, beta, C, ldc, threads))
        gemm_naive(ta, tb, M, N, K, A, lda, B, ldb, beta, C, ldc); /* same bits: redo all */
    if (!b_inplace)
        free(pb.p);
}

int VF_FN(vf_gemm1_f32)(int ta, int tb, size_t M, size_t N, size_t K, const float *A, size_t lda,
                        const float *B, size_t ldb, float beta, float *C, size_t ldc)
{
    gemm_any(ta, tb, M, N, K, A, lda, B, ldb, beta, C, ldc, 1);
    return 0;
}

void VF_FN(vf_gemm_f32)(int ta, int tb, size_t M, size_t N, size_t K, const float *A, size_t lda,
                        const float *B, size_t ldb, float beta, float *C, size_t ldc)
{
    gemm_any(ta, tb, M, N, K, A, lda, B, ldb, beta, C, ldc, vf_par_threads(M * N * K));
}
