/* vf_fast_linear.h — float32 GEMM, linear attention in both orders, and the OLS-Transformer
 * forward pass (issue 6).  Written once in fast/kernels/{gemm,linear_attention}.c against the
 * ISA helper headers; the public names dispatch on the active ISA (vf_fast.h).
 *
 * Summation order (the determinism contract of this family).  Every float32 dot product is
 * the plain sequential FMA chain  c <- fma(a_k, b_k, c), k = 0, 1, ..., K-1, starting from
 * c = 0 (or beta*C).  Register tiles, cache blocking (k split into blocks that reload and
 * continue the same chain), the ISA (scalar / AVX2 / AVX-512) and the thread split (over
 * output row blocks only) never change that order, so every ISA and every thread count gives
 * the same bits, and the same bits as a naive triple loop with fmaf (tests check this).
 *
 * Accuracy (THEORY.md §6).  A K-term chain satisfies |fl(a.b) - a.b| <= gamma_K |a|.|b|,
 * gamma_K = K u / (1 - K u), u = 2^-24 (each term sees at most K roundings).  Errors are
 * relative to |A||B|, not to the result: under cancellation a ULP bound is meaningless, so
 * tests enforce this componentwise bound (the oracle's VF_TOL_AUTO) and report measured ULP.
 *
 * NaN/inf: GEMM and linear attention follow IEEE propagation through the sums an input enters;
 * zero padding of partial tiles never reaches a stored output.  With causal masking, masked
 * scores are exact zeros multiplied into V, so an inf/NaN in a *masked* V row can still reach
 * outputs of the same 126-row (scalar: 128) query block or 64-row chunk (0 * inf = NaN); inputs are expected finite.
 * OLS validates its input and returns an error instead (see below).
 */
#ifndef VF_FAST_LINEAR_H
#define VF_FAST_LINEAR_H

#include <stddef.h>

#include "vf_fast.h"
#include "vf_status.h"

/* C = op(A) op(B) + beta C, float32, row-major.
 *   op(A) is [M, K]: trans_a == 0 reads A[i*lda + k] (A is M x K), else A[k*lda + i] (A is
 *   K x M).  op(B) is [K, N]: trans_b == 0 reads B[k*ldb + j], else B[j*ldb + k].
 *   C[i*ldc + j], ldc >= N.  beta == 0: C is only written (NaN in C is ignored, as in BLAS);
 *   otherwise the chain starts at fl(beta * C[i,j]) (exactly C when beta == 1).  K == 0 gives
 *   C = beta C (0 for beta == 0).  C must not overlap A or B.
 * Threads: vf_par_threads(M*N*K) over blocks of output rows; bitwise identical results for
 *   any thread count (see the summation-order contract above).
 * Never fails: if the packing buffers cannot be allocated it runs the naive loop, which has
 *   the same summation order and so gives the same bits.
 * Accuracy: |C - exact| <= gamma_{K+1} (|op(A)||op(B)| + |beta C0|) (gamma_K when beta == 0). */
VF_DECLARE_KERNEL(void, vf_gemm_f32,
                  (int trans_a, int trans_b, size_t M, size_t N, size_t K, const float *A,
                   size_t lda, const float *B, size_t ldb, float beta, float *C, size_t ldc));

/* Linear attention (THEORY.md: the single-layer linear Transformer, no softmax, no scale),
 * batched over a leading dimension: Q [batch, n, d], K [batch, n, d], V [batch, n, dv],
 * out [batch, n, dv], contiguous row-major; out must not overlap the inputs.
 *   order VF_LINATT_QK_V:  out = (Q K^T) V, query rows in blocks, the n x n score matrix is
 *                          never stored whole (a 126-row block of scores at a time; 128 on scalar);
 *   order VF_LINATT_Q_KV:  out = Q (K^T V) (the d x dv state), O(n d dv) work.
 * causal != 0: out_i = sum_{j <= i} (q_i . k_j) v_j.  QK_V computes masked scores as exact
 *   zeros and skips key blocks after the query block; Q_KV uses the chunked prefix-sum form
 *   (64-row chunks: intra-chunk masked scores times V, plus q_i times the prefix sum of the
 *   earlier chunks' K_c^T V_c states, summed in chunk order; the per-chunk states are
 *   computed in parallel, the prefix sum sequentially, so the result is thread-independent).
 * Accuracy: every order satisfies |out - exact| <= gamma_{d+n} (|Q||K|^T|V|)_ic over the
 *   unmasked keys (the oracle's VF_TOL_AUTO bound; each term sees <= d + n roundings, counted
 *   per order in tests/test_linear_fast.c).
 * Threads: over query blocks (QK_V), over chunks and rows (Q_KV); bitwise identical for any
 *   thread count.  QK_V and Q_KV non-causal outputs equal a naive fmaf loop in the same order
 *   bit for bit (on every ISA). */
typedef enum { VF_LINATT_QK_V = 0, VF_LINATT_Q_KV = 1 } vf_linatt_order;
/* Returns VF_OK, VF_E_USAGE (order not one of the two), or VF_E_NOMEM (scratch: packed K and V,
 * one score block per thread; out is then unspecified). */
VF_DECLARE_KERNEL(int, vf_linear_attention_f32,
                  (const float *Q, const float *K, const float *V, float *out, size_t batch,
                   size_t n, size_t d, size_t dv, int order, int causal));

/* OLS-Transformer forward pass (THEORY.md §1, reading B): X [n, d], Y [n, m] (m = 1: a
 * vector y), both row-major float32; out [n, m] gets  out_q = x_q^T M (sum_i x_i y_i^T)  with
 * M = W_Q W_K^T = (X^T X)^{-1}, i.e. X beta_hat (the hat matrix applied to Y).  out may alias
 * Y (Y is read completely before out is written).
 * Algorithm: G = X^T X and b = X^T Y accumulated in float64 (every product x_ia x_ib is exact
 *   in float64), Cholesky G = R^T R in float64, beta = R^{-1} R^{-T} b (M is applied as two
 *   triangular solves, never formed), out = X beta in float64, rounded once to float32.
 * Errors (nothing is written to out on error):
 *   VF_E_SHAPE  n < d, d == 0 or m == 0;
 *   VF_E_DOMAIN a NaN or inf in X or Y; or G numerically singular: a Cholesky pivot
 *               <= tau = d (n + 3d + 1) 2^-53 max_a G_aa (rank-deficient X, a zero or
 *               duplicated column, or kappa(X)^2 so large that the first-order error bound
 *               below exceeds the data: no digit of the result would be guaranteed);
 *   VF_E_NOMEM.
 * Accuracy (first order, u_d = 2^-53; derivation in tests/test_linear_fast.c):
 *   |out_q - exact_q| <= (gamma_n sqrt(d) s1 ||y|| + d (gamma_n + gamma_{3d+1}) s1^2 ||y|| / sd)
 *                        / sd + gamma_d |x_q|.|beta| + 0.5 ulp_f32(out_q),
 *   s1, sd the extreme singular values of X (the kappa(X)^2 = (s1/sd)^2 amplification of the
 *   normal equations, THEORY.md §1.6), per column of Y.  For kappa <= ~1e3 at n ~ 1e3 this is
 *   within a few float32 ULP of ||y||; the float32 rounding of out dominates for kappa ~ 1.
 * Threads: the Gram matrix is one pass (single thread, fixed order); out = X beta is split over
 *   rows (vf_par_threads(n*m*d)); bitwise identical for any thread count.
 * Scratch: O(d (d + m) + n (d + m)) doubles, allocated per call. */
VF_DECLARE_KERNEL(int, vf_ols_forward_f32,
                  (const float *X, const float *Y, float *out, size_t n, size_t d, size_t m,
                   vf_err *e));

/* ---- internal (shared by fast/kernels/gemm.c and linear_attention.c, same ISA) ---------- */
/* B pre-packed into register-tile panels, so a B reused by many calls is packed once. */
typedef struct {
    float *p;
    size_t K, N, npad;
    size_t ld; /* 0: p holds packed panels (vf_gemm_pack_b); else p is B itself, read in
                  place with row stride ld (row-major B, N a multiple of the panel width) */
} vf_gemm_pb;
#define VF_DECLARE_ISA_ONLY(ret, name, params)                                                 \
    ret name##__scalar params;                                                                 \
    ret name##__avx2 params;                                                                   \
    ret name##__avx512 params
/* Packs op(B) [K, N] (trans_b as in vf_gemm_f32); pb->p is malloc'ed (free() it); VF_E_NOMEM
 * -> returns nonzero. */
VF_DECLARE_ISA_ONLY(int, vf_gemm_pack_b,
                    (vf_gemm_pb * pb, int trans_b, size_t K, size_t N, const float *B,
                     size_t ldb));
/* C = op(A)[M, K'] times the leading K' x N' block of the packed B (K' <= pb->K, N' <= pb->N)
 * + beta C; threads = 1 from inside a parallel region.  Returns nonzero on VF_E_NOMEM. */
VF_DECLARE_ISA_ONLY(int, vf_gemm_packed,
                    (int trans_a, size_t M, size_t N, size_t K, const float *A, size_t lda,
                     const vf_gemm_pb *pb, float beta, float *C, size_t ldc, int threads));
/* Single-threaded vf_gemm_f32 (for use inside parallel regions); returns 0 (never fails: the
 * naive fallback has the same order). */
VF_DECLARE_ISA_ONLY(int, vf_gemm1_f32,
                    (int trans_a, int trans_b, size_t M, size_t N, size_t K, const float *A,
                     size_t lda, const float *B, size_t ldb, float beta, float *C, size_t ldc));

#endif
