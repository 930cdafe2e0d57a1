/* vacuity_attention.c — honesty check of specs/attention.acsl, specs/ols.acsl and the
 * contracts of proofs/lemmas/attention_lemmas.h, ols_lemmas.h.  Every goal named Vacuity_*
 * here is FALSE and must stay NOT proved (proofs/gate.py enforces it); the other goals (call
 * preconditions) must be proved as usual.  `check lemma`: never assumed by later goals. */
#include "../lemmas/attention_lemmas.h"
#include "../lemmas/ols_lemmas.h"

/*@ check lemma Vacuity_Attention_False: \forall vf_mat A; sum_by_rows(A, 0, 1, 0, 1) == vf_mat_at(A, 0, 0) ==> \false;
    check lemma Vacuity_Attention_Exchange_Wrong: \exists vf_mat A;
      sum_by_rows(A, 0, 1, 0, 1) != vf_mat_at(A, 0, 0);
    check lemma Vacuity_Linear_Attention_Wrong: \exists vf_mat Q, M, X, vf_seq y;
      lin_attn(Q, 0, M, X, y, 1, 1)
        != vf_mat_at(Q, 0, 0) * vf_mat_at(M, 0, 0) * vf_mat_at(X, 0, 0) * vf_at(y, 0);
    check lemma Vacuity_Ols_Inverse_Wrong: \exists vf_mat X, M;
      Ols_Right_Inverse(X, M, 1, 1) && vf_mat_at(X, 0, 0) * vf_mat_at(X, 0, 0) * vf_mat_at(M, 0, 0) != 1.0;
*/

/* All attention / OLS lemma-function contracts at once, then \false. */
void vacuity_attention_ols_contracts(void)
{
    lemma_sum_by_cols_empty(1, 0, 0, 2);
    lemma_sum_by_cols_step(0, 1, 0, 2);
    lemma_double_sum_exchange(0, 2, 0, 2);
    lemma_attn_row_step(0, 1, 0, 2);
    lemma_attn_step(0, 1, 2);
    lemma_attn_zero_row(0, 0, 0, 2);
    lemma_attn_zero(0, 0, 2);
    lemma_linear_attention(0, 2, 2);
    lemma_beta_factor_row(0, 2, 0, 2);
    lemma_beta_factor(0, 2, 2);
    lemma_linear_attention_beta(0, 2, 2);
    lemma_ols_gmv_step(0, 2, 1, 2);
    lemma_ols_gmv_zero(0, 2, 2);
    lemma_ols_gb_gmv(0, 2, 2);
    lemma_ols_delta(0, 2, 2);
    lemma_ols_gram_beta(0, 2, 2);
    lemma_ols_gb_step(0, 2, 2, 1, 2);
    lemma_ols_gb_zero(0, 2, 2, 0, 2);
    lemma_ols_xxb_gb(0, 2, 2);
    lemma_ols_nres_split(0, 2, 2);
    lemma_ols_normal_equations(0, 2, 2);
    lemma_ols_bn_step(2, 2, 1, 2);
    lemma_ols_bn_zero(2, 2, 0, 2);
    lemma_ols_orth_bn(2, 2);
    lemma_ols_bn_normal(2, 2);
    lemma_ols_orthogonality(2, 2);
    lemma_ols_scores(0, 2, 2);
    //@ assert Vacuity_Attention_Ols_Contracts: \false;
}
