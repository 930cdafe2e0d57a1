/* ols_lemmas.h — lemma functions of specs/ols.acsl: OLS as one linear-attention pass, for
 * every n and d.  Bodies in ols_lemmas.c, proved in unit `ols_theory`, which assumes the
 * contracts of attention_lemmas.h (proved in unit `attention_theory`).  Each exchange of a
 * nested sum is a "step" lemma (inner index) used by an outer loop, plus a "zero" base case.
 * Never linked into the library. */
#ifndef VF_OLS_LEMMAS_H
#define VF_OLS_LEMMAS_H
#include "../../specs/ols.acsl"
#include "attention_lemmas.h"

/* ---- G β̂ = Xᵀ y ---- */
/*@ requires k >= 0;
    assigns \nothing;
    ensures gmv_step: \forall vf_mat X, M, vf_seq y;
      gmv(X, M, y, n, c, k + 1, l) == gmv(X, M, y, n, c, k, l) + gram(X, c, k, n) * beta(M, X, y, n, k, l);
*/
void lemma_ols_gmv_step(long long c, long long n, long long k, long long l);

/*@ assigns \nothing;
    ensures gmv_zero: \forall vf_mat X, M, vf_seq y; gmv(X, M, y, n, c, 0, l) == 0.0;
*/
void lemma_ols_gmv_zero(long long c, long long n, long long l);

/*@ assigns \nothing;
    ensures gb_gmv: \forall vf_mat X, M, vf_seq y; gb(X, M, y, n, d, c, n, d) == gmv(X, M, y, n, c, d, d);
*/
void lemma_ols_gb_gmv(long long c, long long n, long long d);

/*@ requires 0 <= c < d;
    assigns \nothing;
    ensures delta: \forall vf_mat X, M, vf_seq y;
      Ols_Right_Inverse(X, M, n, d) ==> gmv(X, M, y, n, c, d, d) == xty(X, y, c, n);
*/
void lemma_ols_delta(long long c, long long n, long long d);

/*@ requires 0 <= c < d;
    assigns \nothing;
    ensures gram_beta: \forall vf_mat X, M, vf_seq y; Ols_Gram_Beta(X, M, y, n, d, c);
*/
void lemma_ols_gram_beta(long long c, long long n, long long d);

/* ---- normal equations Xᵀ (y − X β̂) = 0 ---- */
/*@ requires m >= 0;
    assigns \nothing;
    ensures gb_step: \forall vf_mat X, M, vf_seq y;
      gb(X, M, y, n, d, c, m + 1, k)
        == gb(X, M, y, n, d, c, m, k) + vf_mat_at(X, m, c) * q_beta(X, m, M, X, y, n, k, d);
*/
void lemma_ols_gb_step(long long c, long long n, long long d, long long m, long long k);

/*@ requires m <= 0;
    assigns \nothing;
    ensures gb_zero: \forall vf_mat X, M, vf_seq y; gb(X, M, y, n, d, c, m, k) == 0.0;
*/
void lemma_ols_gb_zero(long long c, long long n, long long d, long long m, long long k);

/*@ assigns \nothing;
    ensures xxb_gb: \forall vf_mat X, M, vf_seq y; xxb(X, M, y, n, d, c, n) == gb(X, M, y, n, d, c, n, d);
*/
void lemma_ols_xxb_gb(long long c, long long n, long long d);

/*@ assigns \nothing;
    ensures nres_split: \forall vf_mat X, M, vf_seq y;
      nres(X, M, y, n, d, c, n) == xty(X, y, c, n) - xxb(X, M, y, n, d, c, n);
*/
void lemma_ols_nres_split(long long c, long long n, long long d);

/*@ requires 0 <= c < d;
    assigns \nothing;
    ensures normal_equations: \forall vf_mat X, M, vf_seq y; Ols_Normal_Equations(X, M, y, n, d, c);
*/
void lemma_ols_normal_equations(long long c, long long n, long long d);

/* ---- orthogonality <X β̂, y − X β̂> = 0 ---- */
/*@ requires m >= 0;
    assigns \nothing;
    ensures bn_step: \forall vf_mat X, M, vf_seq y;
      bn(X, M, y, n, d, m + 1, k)
        == bn(X, M, y, n, d, m, k) + resid(X, M, y, n, d, m) * q_beta(X, m, M, X, y, n, k, d);
*/
void lemma_ols_bn_step(long long n, long long d, long long m, long long k);

/*@ requires m <= 0;
    assigns \nothing;
    ensures bn_zero: \forall vf_mat X, M, vf_seq y; bn(X, M, y, n, d, m, k) == 0.0;
*/
void lemma_ols_bn_zero(long long n, long long d, long long m, long long k);

/*@ assigns \nothing;
    ensures orth_bn: \forall vf_mat X, M, vf_seq y; orth(X, M, y, n, d, n) == bn(X, M, y, n, d, n, d);
*/
void lemma_ols_orth_bn(long long n, long long d);

/*@ assigns \nothing;
    ensures bn_normal: \forall vf_mat X, M, vf_seq y;
      (\forall integer a; 0 <= a < d ==> nres(X, M, y, n, d, a, n) == 0.0) ==>
      bn(X, M, y, n, d, n, d) == 0.0;
*/
void lemma_ols_bn_normal(long long n, long long d);

/*@ assigns \nothing;
    ensures orthogonality: \forall vf_mat X, M, vf_seq y; Ols_Orthogonality(X, M, y, n, d);
*/
void lemma_ols_orthogonality(long long n, long long d);

/* ---- attention scores = fitted values ---- */
/*@ assigns \nothing;
    ensures scores_fit: \forall vf_mat X, M, vf_seq y; Ols_Scores_Fit(X, M, y, n, d, i);
*/
void lemma_ols_scores(long long i, long long n, long long d);
#endif
