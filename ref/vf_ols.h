/* vf_ols.h — exact OLS and the single-layer linear Transformer that realises it (THEORY.md §1).
 *
 * Everything here is class Q: rationals only, no square roots, no eigen-solver (the spectral
 * construction L = V Λ^{-1/2} lives in vf_eig.h).  Data: X is n x d (rows = samples), y is n x m
 * (usually m = 1), G = X^T X.  The invertible API needs rank X = d; otherwise it fails with
 * VF_E_DOMAIN and a message naming the rank, and the pseudo-inverse route (maximal independent
 * column subset) is the exact alternative.
 *
 * Output convention (unlike vf_q.h): every output matrix is a zeroed struct ({0}) or a cleared
 * one, and is initialised here with its shape; on failure it is left cleared.  This keeps the
 * long chains of the claims readable.
 */
#ifndef VF_OLS_H
#define VF_OLS_H

#include <stddef.h>

#include "vf_q.h"
#include "vf_status.h"

/* ---------------------------------------------------------------- OLS */

/* G = X^T X (d x d). */
int vf_ref_ols_gram_q(vf_qmat *g, const vf_qmat *x, vf_err *e);
/* VF_OK iff rank X = d (so G is invertible); else VF_E_DOMAIN "X^T X (dxd) is singular:
 * rank X = r < d = D (n = N) ...".  The message names the rank so a user sees why. */
int vf_ref_ols_require_full_rank(const vf_qmat *x, vf_err *e);
/* beta_hat (d x m) solving G beta = X^T y by Bareiss elimination. */
int vf_ref_ols_beta_q(vf_qmat *beta, const vf_qmat *x, const vf_qmat *y, vf_err *e);
/* Hat matrix H = X G^{-1} X^T (n x n), formed as X * solve(G, X^T). */
int vf_ref_ols_hat_q(vf_qmat *h, const vf_qmat *x, vf_err *e);
/* Fitted values yhat = X beta_hat and residual resid = y - yhat (either may be NULL). */
int vf_ref_ols_fit_q(vf_qmat *yhat, vf_qmat *resid, const vf_qmat *x, const vf_qmat *y,
                     vf_err *e);

/* Pseudo-inverse route for any X (THEORY §1.6): S = the lexicographically first maximal set of
 * independent columns (fraction-free elimination), H = X_S (X_S^T X_S)^{-1} X_S^T, the unique
 * orthogonal projector onto col X.  rank 0 gives H = 0.  cols (may be NULL) must hold d
 * entries and receives S; *rank = |S|. */
int vf_ref_ols_hat_pinv_q(vf_qmat *h, size_t *cols, size_t *rank, const vf_qmat *x, vf_err *e);
/* X_S: the columns cols[0..k-1] of x, in that order. */
int vf_ref_ols_select_cols_q(vf_qmat *xs, const vf_qmat *x, const size_t *cols, size_t k,
                             vf_err *e);

/* Centred data: xc = X - 1 xbar^T (column means removed), n >= 1. */
int vf_ref_ols_center_q(vf_qmat *xc, const vf_qmat *x, vf_err *e);
/* Intercept form: H~ = (1/n) 1 1^T + H_c with H_c the hat matrix of the centred X (needs
 * rank X_c = d, VF_E_DOMAIN otherwise). */
int vf_ref_ols_hat_intercept_q(vf_qmat *h, const vf_qmat *x, vf_err *e);

/* ---------------------------------------------------------------- linear Transformer */

/* Form flags. */
#define VF_LT_NORM_N 1u   /* scores carry 1/n_keys (attention over the covariance X^T X / n) */
#define VF_LT_RESIDUAL 2u /* reading A only: the block adds its input, Z = X + attention */

/* Parameters; wq, wk are required (d x k), wv, wffn, wp may be NULL = identity. */
typedef struct vf_lt_params {
    const vf_qmat *wq, *wk, *wv, *wffn, *wp;
} vf_lt_params;

/* Scores (fast memory) S = c (X_q W_Q)(X_k W_K)^T, c = 1/n_k with VF_LT_NORM_N, else 1. */
int vf_ref_lt_scores_q(vf_qmat *s, const vf_qmat *xq, const vf_qmat *xk, const vf_lt_params *p,
                       unsigned form, vf_err *e);
/* Reading A, self-attention over the design, y only through the head:
 * Z = S(X, X) (X W_V) [+ X with VF_LT_RESIDUAL, which needs Z to have X's shape];
 * out = Z W_FFN W_p. */
int vf_ref_lt_reading_a_q(vf_qmat *out, const vf_qmat *x, const vf_lt_params *p, unsigned form,
                          vf_err *e);
/* Reading B, in-context regression: queries X_q W_Q, keys X W_K, values y W_V;
 * out = S(X_q, X) (y W_V) W_FFN W_p.  VF_LT_RESIDUAL is a usage error here: a residual stream
 * carrying y needs the in-context token layout, which is not this model (THEORY §1.2). */
int vf_ref_lt_reading_b_q(vf_qmat *out, const vf_qmat *xq, const vf_qmat *x, const vf_qmat *y,
                          const vf_lt_params *p, unsigned form, vf_err *e);

/* ---------------------------------------------------------------- constructions */

typedef enum {
    VF_OLS_CONS_INVERSE = 0, /* W_Q = T^{-1}, W_K = I */
    VF_OLS_CONS_LDLT         /* T = U D U^T: W_K = U^{-T}, W_Q = U^{-T} D^{-1} */
} vf_ols_cons;

/* Rational factors with W_Q W_K^T = T^{-1}, where T = G (or G/n, the covariance, with
 * VF_LT_NORM_N): then the scores are exactly H.  No square root anywhere. */
int vf_ref_ols_construct_q(vf_qmat *wq, vf_qmat *wk, const vf_qmat *x, vf_ols_cons cons,
                           unsigned form, vf_err *e);
/* The head (slow memory) of reading A with W_V = W_K, W_FFN = I:
 * W_p = c W_Q^T X^T y, c = (1/n if VF_LT_NORM_N) * (1/2 if VF_LT_RESIDUAL).
 * Why it works: with c' W_Q W_K^T = G^{-1} (c' the score factor), attention(X) = X W_K, and
 * X W_K W_p = X G^{-1} X^T y = H y.  With the residual (use VF_OLS_CONS_INVERSE, W_K = W_V = I)
 * the block gives X + X = 2X, hence the 1/2. */
int vf_ref_ols_head_q(vf_qmat *wp, const vf_qmat *wq, const vf_qmat *x, const vf_qmat *y,
                      unsigned form, vf_err *e);

#endif
