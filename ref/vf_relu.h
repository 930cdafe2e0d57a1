/* vf_relu.h — exact ReLU, the orthant projection P(x) = max(x, 0) componentwise (THEORY §2.7).
 * Its theory (projection, variational inequality, Moreau decomposition, ...) is specs/relu. */
#ifndef VF_RELU_H
#define VF_RELU_H

#include "vf_q.h"

#ifdef __FRAMAC__
#include "../specs/relu.acsl"
#endif

/* y = max(x, 0) entrywise; y initialised with x's shape (VF_E_SHAPE otherwise); y may be x.
 * Proved by WP (unit ref_relu) modulo the GMP model and vf_fail's contract.  (The entries'
 * validity is stated as a range, the form relu_entries uses: from qmat_ok's per-entry form
 * the provers did not derive it, measured.) */
/*@ requires valid_x: \valid_read(x) && x->rows * x->cols <= SIZE_MAX &&
      \valid(x->a + (0 .. x->rows * x->cols - 1));
    requires valid_y: \valid_read(y) && y->rows * y->cols <= SIZE_MAX &&
      \valid(y->a + (0 .. y->rows * y->cols - 1));
    requires own: qmat_own(y, x);
    requires valid_e: e == \null || \valid(e);
    assigns *e, y->a[0 .. y->rows * y->cols - 1][0];
    ensures codes: \result == VF_OK || \result == VF_E_SHAPE;
    ensures shape: \result == VF_E_SHAPE <==>
      !(\old(y->rows) == \old(x->rows) && \old(y->cols) == \old(x->cols));
    ensures relu: \result == VF_OK ==> \forall integer k; 0 <= k < \old(x->rows * x->cols) ==>
      qv(\old(y->a), k) == relu(\old(qv(x->a, k)));
*/
int vf_ref_relu_q(vf_qmat *y, const vf_qmat *x, vf_err *e);

#endif
