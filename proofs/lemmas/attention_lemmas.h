/* attention_lemmas.h — lemma functions of specs/attention.acsl: double-sum exchange and the
 * linear-attention identity Σ_i (x_qᵀ M x_i) y_i == x_qᵀ M (Σ_i x_i y_i) for every n and d.
 * One ghost loop per index (the loop invariant carries the induction); the nested sums are
 * handled by an inner lemma function called from the outer loop.  Bodies in
 * attention_lemmas.c, proved in unit `attention_theory`.  Never linked into the library.
 * Integer parameters (ranges, row indices) are C parameters, universally quantified by WP;
 * matrices and vectors are quantified in the postconditions. */
#ifndef VF_ATTENTION_LEMMAS_H
#define VF_ATTENTION_LEMMAS_H
#include "../../specs/attention.acsl"

/* ---- double-sum exchange ---- */
/*@ requires empty: ib <= ia;
    assigns \nothing;
    ensures cols_empty: \forall vf_mat A; sum_by_cols(A, ia, ib, ja, jb) == 0.0;
*/
void lemma_sum_by_cols_empty(long long ia, long long ib, long long ja, long long jb);

/*@ requires range: ia <= ib;
    assigns \nothing;
    ensures cols_step: \forall vf_mat A;
      sum_by_cols(A, ia, ib + 1, ja, jb) == sum_by_cols(A, ia, ib, ja, jb) + row_sum(A, ib, ja, jb);
*/
void lemma_sum_by_cols_step(long long ia, long long ib, long long ja, long long jb);

/*@ assigns \nothing;
    ensures exchange: \forall vf_mat A; Double_Sum_Exchange(A, ia, ib, ja, jb);
*/
void lemma_double_sum_exchange(long long ia, long long ib, long long ja, long long jb);

/* ---- linear attention ---- */
/*@ requires rows: n >= 0;
    assigns \nothing;
    ensures row_step: \forall vf_mat Q, M, X, vf_seq y;
      bil_xty_row(Q, j, M, X, y, n + 1, a, d)
        == bil_xty_row(Q, j, M, X, y, n, a, d) + vf_at(y, n) * bil_row(Q, j, M, X, n, a, d);
*/
void lemma_attn_row_step(long long j, long long n, long long a, long long d);

/*@ requires rows: n >= 0;
    assigns \nothing;
    ensures step: \forall vf_mat Q, M, X, vf_seq y;
      bil_xty(Q, j, M, X, y, n + 1, d, d)
        == bil_xty(Q, j, M, X, y, n, d, d) + vf_at(y, n) * bil(Q, j, M, X, n, d, d);
*/
void lemma_attn_step(long long j, long long n, long long d);

/*@ requires rows: n <= 0;
    assigns \nothing;
    ensures row_zero: \forall vf_mat Q, M, X, vf_seq y; bil_xty_row(Q, j, M, X, y, n, a, d) == 0.0;
*/
void lemma_attn_zero_row(long long j, long long n, long long a, long long d);

/*@ requires rows: n <= 0;
    assigns \nothing;
    ensures zero: \forall vf_mat Q, M, X, vf_seq y; bil_xty(Q, j, M, X, y, n, d, d) == 0.0;
*/
void lemma_attn_zero(long long j, long long n, long long d);

/*@ assigns \nothing;
    ensures linear_attention: \forall vf_mat Q, M, X, vf_seq y;
      Linear_Attention_Identity(Q, j, M, X, y, n, d);
*/
void lemma_linear_attention(long long j, long long n, long long d);

/*@ assigns \nothing;
    ensures factor_row: \forall vf_mat Q, M, X, vf_seq y;
      bil_xty_row(Q, j, M, X, y, n, a, d) == vf_mat_at(Q, j, a) * beta(M, X, y, n, a, d);
*/
void lemma_beta_factor_row(long long j, long long n, long long a, long long d);

/*@ assigns \nothing;
    ensures factor: \forall vf_mat Q, M, X, vf_seq y;
      bil_xty(Q, j, M, X, y, n, d, d) == q_beta(Q, j, M, X, y, n, d, d);
*/
void lemma_beta_factor(long long j, long long n, long long d);

/*@ assigns \nothing;
    ensures linear_attention_beta: \forall vf_mat Q, M, X, vf_seq y;
      Linear_Attention_Beta(Q, j, M, X, y, n, d);
*/
void lemma_linear_attention_beta(long long j, long long n, long long d);
#endif
