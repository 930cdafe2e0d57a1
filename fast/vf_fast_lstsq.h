/* vf_fast_lstsq.h — batched small dense least squares, float32 in and out (issue 6).
 *
 * vf_lstsq_f32(A, b, x, batch, m, n, nrhs, resid, status): for each problem p < batch,
 *     x_p = argmin_x || A_p x - b_p ||_2   (one solve per right-hand side column)
 * with A_p = A + p*m*n  [m, n] row-major, b_p = b + p*m*nrhs [m, nrhs] row-major,
 *      x_p = x + p*n*nrhs [n, nrhs] row-major, m >= n >= 1 and A_p of full column rank.
 * Intended shapes 16x4 ... 4096x64 (any m >= n works; the work buffer grows with n + nrhs).
 * No overlap between x and A or b.  Inputs are never modified.
 *
 * Algorithm (fast/kernels/lstsq.c): Householder QR of the augmented matrix [A b], so Q^T b
 * comes out of the same passes, done as a flat-tree TSQR over B row blocks of at most
 * vf_lstsq_block_rows(n, nrhs) rows (each block, transposed, stays in L1): R (and Q^T b) is
 * kept in float64, the block in float32; every reflector is built in float64 from the stored
 * float32 column (so it is orthogonal to float64 accuracy), dot products and norms are
 * accumulated in float64, the rank-1 update of the float32 block is one float32 FMA.
 * x = R^{-1} (Q^T b) by back substitution in float64, rounded once to float32.
 * NOT the normal equations: the error grows with kappa, not kappa^2.
 *
 * Accuracy (derived in tests/test_lstsq_fast.c, Higham ch. 19-20): the computed x is the exact
 * least-squares solution of a problem (A + dA, b + db), rounded to float32, with columnwise
 *     ||dA_j|| <= eps_c ||A_j||, ||db_l|| <= eps_c ||b_l||,
 *     eps_c = vf_lstsq_backward_bound(m, n, nrhs) ~= 3 B n u  (u = 2^-24),
 * so  ||x^ - x|| / ||x|| <~ kappa eps (2 + (kappa + 1) ||r|| / (||A|| ||x||)) + u  with
 * eps = eps_c ||A||_F / ||A||_2  (Wedin's theorem, Higham Thm 20.1) while kappa eps < 1.
 * The analysis assumes no underflow: subnormal data carry no accuracy claim.
 *
 * Status per problem (status may be NULL; else status[p] gets one of these):
 *   VF_LSTSQ_OK         solved.
 *   VF_LSTSQ_NONFINITE  a NaN or +-inf in A_p or b_p.
 *   VF_LSTSQ_RANK       numerically rank deficient: min_k |R_kk| <= t ||A_p||_F with
 *                       t = vf_lstsq_rank_tol(n) = 8 n u.  Why 8 n u: exactly dependent columns
 *                       leave |R_kk| at the rounding noise, ~sqrt(B n) u ||A|| in practice
 *                       (<= 8 n u up to B = 64 n blocks), while a tolerance growing with m
 *                       would reject usable problems (eps_c is a worst case).  Without pivoting
 *                       this catches exactly dependent columns, not every ill-conditioned A:
 *                       a problem that is solved but has kappa eps >= 1 gets no guarantee.
 *                       RANK implies sigma_min(A) <= (t (1 + eps_c) + eps_c) ||A||_F (tested).
 *   VF_LSTSQ_RANGE      finite input but the computation overflowed float32 (column norms near
 *                       FLT_MAX; no scaling is attempted) or gave a non-finite x.
 *   VF_LSTSQ_NOMEM      the work buffer could not be allocated.
 *   VF_LSTSQ_SHAPE      n == 0 or m < n.
 * A problem that is not OK gets x_p = NaN everywhere (never a silent NaN: it is counted).
 * Returns the number of problems that are not OK (0 when every problem was solved).
 * nrhs == 0 or batch == 0: nothing to compute, every problem OK, returns 0.
 *
 * resid (may be NULL): [batch, nrhs], resid[p*nrhs + l] = ||b_l - A x_l||_2 of the computed
 * factorisation (the norm of the part of Q^T b_l below row n), float64 accumulated, rounded
 * once; NaN for a problem that is not OK.
 *
 * Threads: problems are split over vf_par_threads(batch * m * n) threads (fast/vf_par.h); each
 * problem is computed by the same operations in the same order whatever the thread count, so
 * x, resid and status are bitwise identical for 1 and 2 threads.  Results differ between ISAs
 * only by rounding (different lane splits of the float64 sums; the float32 results were
 * bitwise equal across scalar/AVX2/AVX-512 in every test case, but that is not promised).
 */
#ifndef VF_FAST_LSTSQ_H
#define VF_FAST_LSTSQ_H

#include <stddef.h>

#include "vf_fast.h"

enum {
    VF_LSTSQ_OK = 0,
    VF_LSTSQ_NONFINITE = 1,
    VF_LSTSQ_RANK = 2,
    VF_LSTSQ_RANGE = 3,
    VF_LSTSQ_NOMEM = 4,
    VF_LSTSQ_SHAPE = 5
};

VF_DECLARE_KERNEL(size_t, vf_lstsq_f32,
                  (const float *A, const float *b, float *x, size_t batch, size_t m, size_t n,
                   size_t nrhs, float *resid, int *status));

/* Byte budget of one transposed float32 block (it must stay in the 48 KiB L1d). */
#ifndef VF_LSTSQ_L1_BYTES
#define VF_LSTSQ_L1_BYTES 32768
#endif
/* Row padding of a block (a multiple of every ISA's float32 and 2x float64 width). */
#define VF_LSTSQ_PAD 16
/* Largest rows of one TSQR block: the transposed float32 block [(n + nrhs) x rows] fits in
 * VF_LSTSQ_L1_BYTES (L1), at least VF_LSTSQ_PAD, a multiple of VF_LSTSQ_PAD. */
size_t vf_lstsq_block_rows(size_t n, size_t nrhs);
/* Number of row blocks B = ceil(m / vf_lstsq_block_rows(n, nrhs)) (m >= 1). */
size_t vf_lstsq_blocks(size_t m, size_t n, size_t nrhs);
/* eps_c of the accuracy statement: the columnwise relative backward error bound
 * N (3u + nu) / (1 - N (3u + nu)), N = B n reflector applications per column,
 * nu = 8 (rows + n + 8) 2^-53 the float64 share (see tests/test_lstsq_fast.c). */
double vf_lstsq_backward_bound(size_t m, size_t n, size_t nrhs);
/* The rank tolerance t = 8 n 2^-24 of VF_LSTSQ_RANK (relative to ||A||_F). */
double vf_lstsq_rank_tol(size_t n);
/* Name of a status ("ok", "nonfinite", "rank", "range", "nomem", "shape"). */
const char *vf_lstsq_status_name(int status);

#endif
