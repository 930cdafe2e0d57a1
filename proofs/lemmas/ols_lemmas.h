/* ols_lemmas.h — lemma functions of specs/ols.acsl: OLS as one linear-attention pass, for
 * every n and d.  Bodies in ols_lemmas.c, proved in unit `ols_theory`, which assumes the
 * contracts of attention_lemmas.h (proved in unit `attention_theory`).  Each exchange of a
 * nested sum is a "step" lemma (inner index) used by an outer loop, plus a "zero" base case.
 * Never linked into the library. */
#ifndef VF_OLS_LEMMAS_H
#define VF_OLS_LEMMAS_H
#include "../../specs/ols.acsl"
#include "attention_lemmas.h"
#include "assoc_lemmas.h" /* lemma_mat_mul_assoc (proved in unit attention_assoc) */

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

/* ---- any solution B of the normal equations (XᵀX) B = Xᵀ Y: the residual is orthogonal ----
 * The exact OLS of ref/ computes such a B (normal_equations_into, unit ref_ols: G B = XT Y
 * with G = XT X, in exactly the form of residual_normal's last premise); these lemmas give
 * Xᵀ(Y − X B) = 0 for it, with no inverse and no hypothesis on M.  XT is any matrix here (the
 * identity holds for every left factor); Is_Mat_Mul / mat_mul: specs/matmul.acsl. */

/* linearity of the product in its right factor: A (Y − P) == A Y − A P over [0, m) */
/*@ assigns \nothing;
    ensures mm_sub: \forall vf_mat A, Y, P, R, integer c, j;
      (\forall integer i, l; vf_mat_at(R, i, l) == vf_mat_at(Y, i, l) - vf_mat_at(P, i, l)) ==>
      mat_mul(A, R, c, j, m) == mat_mul(A, Y, c, j, m) - mat_mul(A, P, c, j, m);
*/
void lemma_mm_sub(long long m);

/* XT (Y − X B) == XT Y − (XT X) B; hence a solution of G B = XT Y leaves XT R = 0 */
/*@ assigns \nothing;
    ensures residual: \forall vf_mat X, XT, G, Y, B, P, R, integer c, j;
      Is_Mat_Mul(G, XT, X, n) && Is_Mat_Mul(P, X, B, d) &&
      (\forall integer i, l; vf_mat_at(R, i, l) == vf_mat_at(Y, i, l) - vf_mat_at(P, i, l)) ==>
      mat_mul(XT, R, c, j, n) == mat_mul(XT, Y, c, j, n) - mat_mul(G, B, c, j, d);
    ensures residual_normal: \forall vf_mat X, XT, G, Y, B, P, R;
      Is_Mat_Mul(G, XT, X, n) && Is_Mat_Mul(P, X, B, d) &&
      (\forall integer i, l; vf_mat_at(R, i, l) == vf_mat_at(Y, i, l) - vf_mat_at(P, i, l)) &&
      (\forall integer c, j; 0 <= c < d && 0 <= j < k ==>
        mat_mul(G, B, c, j, d) == mat_mul(XT, Y, c, j, n)) ==>
      \forall integer c, j; 0 <= c < d && 0 <= j < k ==> mat_mul(XT, R, c, j, n) == 0.0;
*/
void lemma_ols_residual(long long n, long long d, long long k);

/* ---- attention scores = fitted values ---- */
/*@ assigns \nothing;
    ensures scores_fit: \forall vf_mat X, M, vf_seq y; Ols_Scores_Fit(X, M, y, n, d, i);
*/
void lemma_ols_scores(long long i, long long n, long long d);
#endif
