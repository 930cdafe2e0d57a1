/* vacuity_ref_solve_check.c — false statements about the certificate check of the exact solve
 * (solve_residual_zero in ref/vf_q.c, unit ref_solve_check), under the same contracts
 * (dot_entries, solve_residual_zero) and the same GMP model (proofs/stubs/gmp_stubs.h, with
 * -DVF_GMP_UNMODELLED as in that unit).  ref/vf_q.c is included as is; every goal named
 * Vacuity_* must stay unproved (proofs/gate.py).  The systems are 1 x 1: a x = b reads
 * a[0] x[0] = b[0]. */
#include "vf_q.c"

/*@ predicate one_by_one{L}(mpq_t *a, mpq_t *x, mpq_t *b, mpq_t *col, mpq_ptr acc, mpq_ptr tmp) =
      \valid(acc) && \valid(tmp) && \valid(&col[0][0]) && \valid_read(&a[0][0]) &&
      \valid_read(&x[0][0]) && \valid_read(&b[0][0]) && \separated(acc, tmp) &&
      \base_addr(col) != \base_addr(acc) && \base_addr(col) != \base_addr(tmp) &&
      \base_addr(a) != \base_addr(acc) && \base_addr(a) != \base_addr(tmp) &&
      \base_addr(a) != \base_addr(col) &&
      \base_addr(x) != \base_addr(acc) && \base_addr(x) != \base_addr(tmp) &&
      \base_addr(x) != \base_addr(col) &&
      \base_addr(b) != \base_addr(acc) && \base_addr(b) != \base_addr(tmp) &&
      \base_addr(b) != \base_addr(col);
*/

/* after a check: \false */
/*@ requires one_by_one(a, x, b, col, acc, tmp);
    assigns *acc, *tmp, col[0][0];
*/
void vacuity_solve_check_false(const mpq_t *a, const mpq_t *x, const mpq_t *b, mpq_t *col,
                               mpq_ptr acc, mpq_ptr tmp)
{
    int r = solve_residual_zero(a, 1, x, b, 1, col, acc, tmp);
    //@ assert Vacuity_Solve_Check_False: \false;
    (void)r;
}

/* one entry differs (a[0] x[0] != b[0], and the term sequence exists), yet the check passes */
/*@ requires one_by_one(a, x, b, col, acc, tmp);
    requires differs: qv(a, 0) * qv(x, 0) != qv(b, 0);
    requires witness: \exists vf_seq t; vf_at(t, 0) == qv(a, 0) * qv(x, 0);
    assigns *acc, *tmp, col[0][0];
*/
void vacuity_solve_check_accepts_wrong(const mpq_t *a, const mpq_t *x, const mpq_t *b,
                                       mpq_t *col, mpq_ptr acc, mpq_ptr tmp)
{
    int r = solve_residual_zero(a, 1, x, b, 1, col, acc, tmp);
    //@ assert Vacuity_Solve_Check_Accepts_Wrong: r == 1;
}

/* a[0] x[0] == b[0] (a solution), yet the check fails */
/*@ requires one_by_one(a, x, b, col, acc, tmp);
    requires solves: qv(a, 0) * qv(x, 0) == qv(b, 0);
    requires witness: \exists vf_seq t; vf_at(t, 0) == qv(a, 0) * qv(x, 0);
    assigns *acc, *tmp, col[0][0];
*/
void vacuity_solve_check_rejects_right(const mpq_t *a, const mpq_t *x, const mpq_t *b,
                                       mpq_t *col, mpq_ptr acc, mpq_ptr tmp)
{
    int r = solve_residual_zero(a, 1, x, b, 1, col, acc, tmp);
    //@ assert Vacuity_Solve_Check_Rejects_Right: r == 0;
}

/* after the trusted elimination (solve_impl) and the proved certified solve (vf_q_solve_into)
 * on 1 x 1 systems of their own: \false (either contract inconsistent would prove it) */
/*@ requires ok: qmat_ok(x) && qmat_ok(a) && qmat_ok(b);
    requires one: a->rows == 1 && a->cols == 1 && b->rows == 1 && b->cols == 1 &&
      x->rows == 1 && x->cols == 1;
    requires own: x != a && x != b && qmat_own(x, a) && qmat_own(x, b);
    requires scratch: \valid(acc) && \valid(tmp) && \separated(acc, tmp) && \valid(&col[0][0]);
    requires apart: \base_addr(col) != \base_addr(acc) && \base_addr(col) != \base_addr(tmp) &&
      \base_addr(col) != \base_addr(x->a) && \base_addr(col) != \base_addr(a->a) &&
      \base_addr(col) != \base_addr(b->a) &&
      \base_addr(acc) != \base_addr(x->a) && \base_addr(acc) != \base_addr(a->a) &&
      \base_addr(acc) != \base_addr(b->a) &&
      \base_addr(tmp) != \base_addr(x->a) && \base_addr(tmp) != \base_addr(a->a) &&
      \base_addr(tmp) != \base_addr(b->a);
    assigns *acc, *tmp, col[0][0], x->a[0][0];
*/
void vacuity_solve_into_false(vf_qmat *x, const vf_qmat *a, const vf_qmat *b, mpq_t *col,
                              mpq_ptr acc, mpq_ptr tmp)
{
    vf_err err; /* a local: a block of its own */
    int r = solve_impl(x, a, b, "vacuity", &err);
    int s = vf_q_solve_into(x, a, b, col, acc, tmp, "vacuity", &err);
    //@ assert Vacuity_Solve_Into_False: \false;
    (void)r;
    (void)s;
}
