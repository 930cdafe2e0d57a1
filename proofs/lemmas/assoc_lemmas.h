/* assoc_lemmas.h — lemma functions of specs/matmul.acsl: associativity of the finite matrix
 * product (general sizes) and the link of the linear-attention scores as ref/ computes them,
 * S = (Xq WQ)(Xk WK)^T, to score(Xq, j, M, Xk, i, d) of specs/attention.acsl with M = WQ WK^T.
 * One ghost loop per induction (its invariant is the statement for [0, k)); bodies in
 * assoc_lemmas.c, proved in unit `attention_assoc`; also the matrix form of the linear-attention
 * output and the OLS residual of any solution of the normal equations.  Never linked into the
 * library.
 * Sizes are C parameters (universally quantified by WP); matrices and entry indices are
 * quantified in the postconditions.  Matrices are total maps (vf_mat), so the outer sizes
 * (rows of A, columns of C) play no role. */
#ifndef VF_ASSOC_LEMMAS_H
#define VF_ASSOC_LEMMAS_H
#include "../../specs/matmul.acsl"

/*@ requires q <= 0;
    assigns \nothing;
    ensures r_zero: \forall vf_mat A, B, C, integer i, l; mat_mul_r(A, B, C, i, l, p, q) == 0.0;
*/
void lemma_mm_r_zero(long long p, long long q);

/*@ requires q >= 0;
    assigns \nothing;
    ensures r_step: \forall vf_mat A, B, C, integer i, l;
      mat_mul_r(A, B, C, i, l, p, q + 1)
        == mat_mul_r(A, B, C, i, l, p, q) + mat_mul(A, B, i, q, p) * vf_mat_at(C, q, l);
*/
void lemma_mm_r_step(long long p, long long q);

/* (A B) C == A (B C) summed first over B C, when P holds A B */
/*@ assigns \nothing;
    ensures assoc_left: \forall vf_mat A, B, C, P, integer i, l;
      Is_Mat_Mul(P, A, B, p) ==> mat_mul(P, C, i, l, q) == mat_mul_r(A, B, C, i, l, p, q);
*/
void lemma_mm_assoc_left(long long p, long long q);

/* A Q == the same sum, when Q holds B C */
/*@ assigns \nothing;
    ensures assoc_right: \forall vf_mat A, B, C, Q, integer i, l;
      Is_Mat_Mul(Q, B, C, q) ==> mat_mul(A, Q, i, l, p) == mat_mul_r(A, B, C, i, l, p, q);
*/
void lemma_mm_assoc_right(long long p, long long q);

/* associativity: A (p inner) B (q inner) C, P = A B, Q = B C: (P C)_il == (A Q)_il */
/*@ assigns \nothing;
    ensures mat_mul_assoc: \forall vf_mat A, B, C, P, Q, integer i, l;
      Is_Mat_Mul(P, A, B, p) && Is_Mat_Mul(Q, B, C, q) ==>
        mat_mul(P, C, i, l, q) == mat_mul(A, Q, i, l, p);
*/
void lemma_mat_mul_assoc(long long p, long long q);

/* (X Y)^T == Y^T X^T, entrywise */
/*@ assigns \nothing;
    ensures mat_mul_transpose: \forall vf_mat X, Y, Xt, Yt, integer r, s;
      Is_Transpose(Xt, X) && Is_Transpose(Yt, Y) ==> mat_mul(X, Y, r, s, n) == mat_mul(Yt, Xt, s, r, n);
*/
void lemma_mm_transpose(long long n);

/* Σ_{b<k} Q_ja M_ab X_ib == Q_ja (M X^T)_ai over [0, k) */
/*@ assigns \nothing;
    ensures bil_row_mm: \forall vf_mat Q, M, X, Xt, integer j, i, a;
      Is_Transpose(Xt, X) ==> bil_row(Q, j, M, X, i, a, k) == vf_mat_at(Q, j, a) * mat_mul(M, Xt, a, i, k);
*/
void lemma_bil_row_mm(long long k);

/* score(Q, j, M, X, i, d) == (Q (M X^T))_ji, with MXt holding M X^T */
/*@ assigns \nothing;
    ensures score_mm: \forall vf_mat Q, M, X, Xt, MXt, integer j, i;
      Is_Transpose(Xt, X) && Is_Mat_Mul(MXt, M, Xt, d) ==>
        bil(Q, j, M, X, i, m, d) == mat_mul(Q, MXt, j, i, m);
*/
void lemma_bil_mm(long long m, long long d);

/* The link.  ref/ computes A = Xq WQ (inner d), B = Xk WK (inner d), Bt = B^T and
 * S_ji = (A Bt)_ji (inner dk).  With WKt = WK^T and M = WQ WKt (inner dk):
 * S_ji == score(Xq, j, M, Xk, i, d) = Σ_a Σ_b Xq_ja M_ab Xk_ib.  Xkt (= Xk^T) and MXt
 * (= M Xkt) are witnesses: any matrices with those entries (they exist: vf_mat is any map). */
/*@ assigns \nothing;
    ensures scores_link: \forall vf_mat Xq, WQ, Xk, WK, WKt, M, A, Bt, Xkt, MXt, integer j, i;
      Is_Transpose(WKt, WK) && Is_Mat_Mul(M, WQ, WKt, dk) &&
      Is_Mat_Mul(A, Xq, WQ, d) &&
      (\forall integer c, r; vf_mat_at(Bt, c, r) == mat_mul(Xk, WK, r, c, d)) &&
      Is_Transpose(Xkt, Xk) && Is_Mat_Mul(MXt, M, Xkt, d) ==>
        mat_mul(A, Bt, j, i, dk) == score(Xq, j, M, Xk, i, d);
*/
void lemma_scores_link(long long d, long long dk);

/* The output.  ref/ computes z = S V (attention_into, unit ref_ols) with S_ji = (A Bt)_ji,
 * i.e. score(Xq, j, M, Xk, i, d) by lemma_scores_link: entry (j, l) of z is the linear
 * attention lin_attn of specs/attention.acsl over the n keys, with y = column l of V. */
/*@ assigns \nothing;
    ensures lin_attn_mm: \forall vf_mat S, V, Q, M, X, vf_seq y, integer j, l, d;
      (\forall integer i; vf_mat_at(S, j, i) == score(Q, j, M, X, i, d)) &&
      (\forall integer i; vf_at(y, i) == vf_mat_at(V, i, l)) ==>
        mat_mul(S, V, j, l, n) == lin_attn(Q, j, M, X, y, n, d);
*/
void lemma_lin_attn_mm(long long n);

/* ---- OLS: any solution B of the normal equations (XᵀX) B = Xᵀ Y leaves a residual
 * orthogonal to the columns of X.  The exact OLS of ref/ computes such a B
 * (normal_equations_into, unit ref_ols: G B = XT Y with G = XT X, in exactly the form of
 * residual_normal's last premise); these lemmas give
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
#endif
