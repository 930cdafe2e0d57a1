/* vacuity_attention_assoc.c — honesty check of specs/matmul.acsl and the contracts of
 * proofs/lemmas/assoc_lemmas.h.  Every goal named Vacuity_* here is FALSE and must stay NOT
 * proved (proofs/gate.py enforces it); the other goals must be proved as usual. */
#include "../lemmas/assoc_lemmas.h"

/*@ // one-term product, off by one in the sum bound: mat_mul over [0, 2) is not A_00 B_0s alone
    check lemma Vacuity_Mat_Mul_Off_By_One: \forall vf_mat A, B;
      mat_mul(A, B, 0, 0, 2) == vf_mat_at(A, 0, 0) * vf_mat_at(B, 0, 0);
*/

/* All contracts at once, then \false: the contracts are not contradictory. */
void vacuity_assoc_contracts(void)
{
    lemma_mm_r_zero(2, 0);
    lemma_mm_r_step(2, 1);
    lemma_mm_assoc_left(2, 3);
    lemma_mm_assoc_right(2, 3);
    lemma_mat_mul_assoc(2, 3);
    lemma_mm_transpose(2);
    lemma_bil_row_mm(2);
    lemma_bil_mm(2, 2);
    lemma_scores_link(2, 3);
    //@ assert Vacuity_Assoc_Contracts: \false;
}

/* False variants of the proved statements, each after the lemma that proves the true one. */
void vacuity_assoc_plus_one(long long p, long long q)
{
    lemma_mat_mul_assoc(p, q);
    /*@ assert Vacuity_Assoc_Plus_One: \forall vf_mat A, B, C, P, Q, integer i, l;
          Is_Mat_Mul(P, A, B, p) && Is_Mat_Mul(Q, B, C, q) ==>
            mat_mul(P, C, i, l, q) == mat_mul(A, Q, i, l, p) + 1.0;
    */
}

void vacuity_link_off_by_one(long long d, long long dk)
{
    lemma_scores_link(d, dk);
    /*@ assert Vacuity_Link_Off_By_One: \forall vf_mat Xq, WQ, Xk, WK, WKt, M, A, Bt, Xkt, MXt, integer j, i;
          Is_Transpose(WKt, WK) && Is_Mat_Mul(M, WQ, WKt, dk) &&
          Is_Mat_Mul(A, Xq, WQ, d) &&
          (\forall integer c, r; vf_mat_at(Bt, c, r) == mat_mul(Xk, WK, r, c, d)) &&
          Is_Transpose(Xkt, Xk) && Is_Mat_Mul(MXt, M, Xkt, d) ==>
            mat_mul(A, Bt, j, i, dk) == score(Xq, j, M, Xk, i, d + 1);
    */
}
