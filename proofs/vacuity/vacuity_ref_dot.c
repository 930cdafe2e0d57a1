/* vacuity_ref_dot.c — false statements about the exact dot product of ref/ (unit ref_dot),
 * under the same contract of dot_entries and the same GMP model (proofs/stubs/gmp_stubs.h,
 * with -DVF_GMP_UNMODELLED as in unit ref_dot).  ref/vf_q.c is included as is; every goal
 * named Vacuity_* must stay unproved (proofs/gate.py). */
#include "vf_q.c"

/* after a 2-term dot product: \false */
/*@ requires valid: \valid(acc) && \valid(tmp);
    requires valid_ab: \forall integer i; 0 <= i < 2 ==>
      \valid_read(&a[sidx(0, 1, i)][0]) && \valid_read(&b[sidx(0, 1, i)][0]);
    requires sep: \separated(acc, tmp);
    requires sep_ab: \base_addr(a) != \base_addr(acc) && \base_addr(a) != \base_addr(tmp) &&
      \base_addr(b) != \base_addr(acc) && \base_addr(b) != \base_addr(tmp);
    requires zero: mpq_val(acc) == 0.0;
    assigns *acc, *tmp;
*/
void vacuity_ref_dot_false(mpq_ptr acc, mpq_ptr tmp, const mpq_t *a, const mpq_t *b)
{
    dot_entries(acc, tmp, a, 0, 1, b, 0, 1, 2);
    //@ assert Vacuity_Ref_Dot_False: \false;
}

/* the result is the sum of the terms plus one */
/*@ requires valid: \valid(acc) && \valid(tmp);
    requires valid_ab: \forall integer i; 0 <= i < 2 ==>
      \valid_read(&a[sidx(0, 1, i)][0]) && \valid_read(&b[sidx(0, 1, i)][0]);
    requires sep: \separated(acc, tmp);
    requires sep_ab: \base_addr(a) != \base_addr(acc) && \base_addr(a) != \base_addr(tmp) &&
      \base_addr(b) != \base_addr(acc) && \base_addr(b) != \base_addr(tmp);
    requires zero: mpq_val(acc) == 0.0;
    assigns *acc, *tmp;
*/
void vacuity_ref_dot_plus_one(mpq_ptr acc, mpq_ptr tmp, const mpq_t *a, const mpq_t *b)
{
    dot_entries(acc, tmp, a, 0, 1, b, 0, 1, 2);
    /*@ assert Vacuity_Ref_Dot_Plus_One: \forall vf_seq t;
          \at(dot_terms(t, a, 0, 1, b, 0, 1, 2), Pre) ==> mpq_val(acc) == sum(t, 0, 2) + 1.0; */
}
