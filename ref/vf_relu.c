#include "vf_relu.h"

/* y_k = max(x_k, 0) for the n entries of xa, written to ya (ya == xa allowed).  The contract is
 * proved by WP (unit `ref_relu`) against specs/relu.acsl modulo the GMP model of
 * proofs/stubs/gmp_stubs.h (proofs/TRUST.md). */
/*@ requires valid_x: \valid_read(xa + (0 .. n - 1));
    requires valid_y: \valid(ya + (0 .. n - 1));
    requires in_place_or_disjoint: ya == xa || \separated(xa + (0 .. n - 1), ya + (0 .. n - 1));
    assigns ya[0 .. n - 1][0];
    ensures relu: \forall integer k; 0 <= k < n ==> qv(ya, k) == relu(\old(qv(xa, k)));
    ensures relu_of: \forall vf_seq sx, sy;
      (\forall integer k; 0 <= k < n ==> vf_at(sx, k) == \old(qv(xa, k))) ==>
      (\forall integer k; 0 <= k < n ==> vf_at(sy, k) == qv(ya, k)) ==>
      relu_of(sy, sx, 0, n);
*/
static void relu_entries(mpq_t *ya, mpq_t *xa, size_t n)
{
    /*@ loop invariant bound: 0 <= i <= n;
        loop invariant done: \forall integer k; 0 <= k < i ==>
          qv(ya, k) == relu(\at(qv(xa, k), Pre));
        // xa[i ..] not yet overwritten (ya may be xa)
        loop invariant todo: \forall integer k; i <= k < n ==> qv(xa, k) == \at(qv(xa, k), Pre);
        loop assigns i, ya[0 .. n - 1][0];
        loop variant n - i;
    */
    for (size_t i = 0; i < n; i++) {
        if (mpq_sgn(xa[i]) > 0)
            mpq_set(ya[i], xa[i]);
        else
            mpq_set_ui(ya[i], 0, 1);
    }
}

/* Contract in vf_relu.h; the shape check establishes relu_entries' preconditions. */
int vf_ref_relu_q(vf_qmat *y, const vf_qmat *x, vf_err *e)
{
    if (y->rows != x->rows || y->cols != x->cols)
        return vf_fail(e, VF_E_SHAPE, "relu: output %zux%zu does not match input %zux%zu",
                       y->rows, y->cols, x->rows, x->cols);
    relu_entries(y->a, x->a, x->rows * x->cols);
    return VF_OK;
}
