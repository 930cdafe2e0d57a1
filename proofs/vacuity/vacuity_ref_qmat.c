/* vacuity_ref_qmat.c — false statements about the exact matrix product and transpose of ref/
 * (unit ref_qmat: mul_entries, transpose_entries in ref/vf_q.c), under the same contracts
 * (and the contract of dot_entries, unit ref_dot) and the same GMP model
 * (proofs/stubs/gmp_stubs.h, -DVF_GMP_UNMODELLED as in unit ref_qmat).  ref/vf_q.c is
 * included as is; every goal named Vacuity_* must stay unproved (proofs/gate.py). */
#include "vf_q.c"

/* the preconditions of mul_entries for 2 x 2 times 2 x 2 */
/*@ predicate mul22{L}(mpq_t *c, mpq_ptr t, mpq_t *a, mpq_t *b) =
      \valid(t) &&
      (\forall integer i, j; 0 <= i < 2 && 0 <= j < 2 ==>
        \valid(&c[midx(i, 2, j)][0]) && \valid_read(&a[midx(i, 2, j)][0]) &&
        \valid_read(&b[midx(i, 2, j)][0])) &&
      \base_addr(c) != \base_addr(t) &&
      \base_addr(a) != \base_addr(c) && \base_addr(a) != \base_addr(t) &&
      \base_addr(b) != \base_addr(c) && \base_addr(b) != \base_addr(t);
*/

/* after a 2 x 2 product: \false */
/*@ requires pre: mul22(c, t, (mpq_t *)a, (mpq_t *)b);
    assigns *t, c[0 .. 3][0];
*/
void vacuity_ref_qmat_false(mpq_t *c, mpq_ptr t, const mpq_t *a, const mpq_t *b)
{
    mul_entries(c, t, a, 2, 2, b, 2);
    //@ assert Vacuity_Ref_Qmat_False: \false;
}

/* entry (1, 0) of the product is (A B)_10 plus one */
/*@ requires pre: mul22(c, t, (mpq_t *)a, (mpq_t *)b);
    assigns *t, c[0 .. 3][0];
*/
void vacuity_ref_qmat_plus_one(mpq_t *c, mpq_ptr t, const mpq_t *a, const mpq_t *b)
{
    mul_entries(c, t, a, 2, 2, b, 2);
    /*@ assert Vacuity_Ref_Qmat_Plus_One: \forall vf_mat A, B;
          \at(mat_of(A, a, 2, 2), Pre) && \at(mat_of(B, b, 2, 2), Pre) ==>
          qv(c, midx(1, 2, 0)) == mat_mul(A, B, 1, 0, 2) + 1.0; */
}

/* the preconditions of transpose_entries for a 2 x 3 matrix */
/*@ predicate tr23{L}(mpq_t *t, mpq_t *a) =
      (\forall integer i, j; 0 <= i < 2 && 0 <= j < 3 ==>
        \valid(&t[midx(j, 2, i)][0]) && \valid_read(&a[midx(i, 3, j)][0])) &&
      \base_addr(t) != \base_addr(a);
*/

/* after a transpose: \false */
/*@ requires pre: tr23(t, (mpq_t *)a);
    assigns t[0 .. 5][0];
*/
void vacuity_ref_transpose_false(mpq_t *t, const mpq_t *a)
{
    transpose_entries(t, a, 2, 3);
    //@ assert Vacuity_Ref_Transpose_False: \false;
}

/* the transpose is the identity on the flat arrays: t[1] (that is t[0][1] = a[1][0]) is a[1] */
/*@ requires pre: tr23(t, (mpq_t *)a);
    assigns t[0 .. 5][0];
*/
void vacuity_ref_transpose_identity(mpq_t *t, const mpq_t *a)
{
    transpose_entries(t, a, 2, 3);
    //@ assert Vacuity_Ref_Transpose_Identity: qv(t, 1) == \at(qv(a, 1), Pre);
}
