/* vf_fast_logsoftmax.h — row log-softmax and logsumexp over float32 (the softmax family of the
 * fast path; ISA dispatch and VF_DECLARE_KERNEL in vf_fast.h).
 *
 * Both act on x [rows, cols] float32, row-major, with a temperature T; z = x / T.
 *   LSE_i = log sum_k exp(z[i, k])          (the row's log partition function)
 *
 * Masks and invalid rows: exactly the policy of vf_softmax_f32.  x = -inf is a masked logit.
 *   A row with every entry masked, a NaN anywhere in the row, or a +inf logit is invalid;
 *   T that is not finite and > 0 makes every row invalid.  An invalid row gets NaN output and
 *   is counted: both return the number of invalid rows (0 for valid input).  They never fail
 *   or trap; cols == 0 does nothing and returns 0.
 * Threads: rows are split over vf_par_threads(rows * cols) OpenMP threads (vf_par.h); every
 *   row is computed by the same operations whatever the thread count, so the results are
 *   bitwise identical for 1 and 2 threads.
 * Never forms x - max: each row sum is the float64 sum of exp(z) 2^(64 - N) (fast/kernels/
 * vexp.h) with the rounding of every exp's last addition added back, so LSE_i is within
 * ~1.1 u = 1.1 * 2^-24 of the exact value in absolute terms (derivation in
 * fast/kernels/logsoftmax.c and tests/test_logsoftmax_fast.c).
 */
#ifndef VF_FAST_LOGSOFTMAX_H
#define VF_FAST_LOGSOFTMAX_H

#include "vf_fast.h"

/* Row log-softmax: y[i, j] = z[i, j] - LSE_i.
 * Out-of-place or in place (y == x); no other overlap.
 * A masked entry (x = -inf) gives exactly -inf; the others of a valid row are finite unless
 *   the exact value overflows float.
 * Accuracy (hybrid; a ULP bound is impossible near y = 0, where z and LSE cancel):
 *   |y - y*| <= 0.5 ulp(y*) + 1.1 * 2^-24 (tiny terms aside) for rows with
 *   |max_j x[i, j] / T| <= 2^22, i.e. within 1.05 ULP of max(|y*|, 1) (the test enforces 1.5);
 *   wider rows are evaluated in float64 (error ~2^-52 max|z| absolute). */
VF_DECLARE_KERNEL(size_t, vf_log_softmax_f32,
                  (const float *x, float *y, size_t rows, size_t cols, float T));

/* Row logsumexp: out[i] = T * LSE_i = T log sum_k exp(x[i, k] / T) (the oracle's
 * VF_K_LOGSUMEXP: the free energy -F = T log Z), out has `rows` entries.
 * Accuracy: <= 1 ULP (0.78 ULP by the rounding analysis) of the correctly rounded value.
 *   Rows with |LSE_i| >= 4 take the float32 vector path; the others (and rows with
 *   |max z| > 2^22) are evaluated in float64 as max z + log1p(sum_{k != argmax} exp(z_k - max z)),
 *   within 1 ULP unless |LSE_i| < 2^-26 |max z| (cancellation: the error stays below
 *   ~2^-51 |max z| absolute). */
VF_DECLARE_KERNEL(size_t, vf_logsumexp_f32,
                  (const float *x, float *out, size_t rows, size_t cols, float T));

#endif
