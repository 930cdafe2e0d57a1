/* vf_ols.c — exact OLS and the OLS linear Transformer (see vf_ols.h, THEORY.md §1).
 *
 * Only + - * / on rationals: every solve goes through vf_q_solve (Bareiss), every factorisation
 * through vf_q_ldlt; no inverse is formed where a solve does (H = X solve(G, X^T)).
 */
#include "vf_ols.h"

#include <stdio.h>
#include <stdlib.h>

/* c = a b, c initialised here. */
static int mul_new(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    int rc = vf_qmat_init(c, a->rows, b->cols, e);
    if (!rc && (rc = vf_qmat_mul(c, a, b, e)))
        vf_qmat_clear(c);
    return rc;
}

/* t = a^T, t initialised here. */
static int transpose_new(vf_qmat *t, const vf_qmat *a, vf_err *e)
{
    int rc = vf_qmat_init(t, a->cols, a->rows, e);
    if (!rc && (rc = vf_qmat_transpose(t, a, e)))
        vf_qmat_clear(t);
    return rc;
}

/* x = a^{-1} b, x initialised here. */
static int solve_new(vf_qmat *x, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    int rc = vf_qmat_init(x, a->cols, b->cols, e);
    if (!rc && (rc = vf_q_solve(x, a, b, e)))
        vf_qmat_clear(x);
    return rc;
}

/* c = a * b with the optional b == NULL meaning the identity (a copy). */
static int mul_opt(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    if (b)
        return mul_new(c, a, b, e);
    int rc = vf_qmat_init(c, a->rows, a->cols, e);
    if (!rc && (rc = vf_qmat_copy(c, a, e)))
        vf_qmat_clear(c);
    return rc;
}

/* Replaces *dst by *src (moves ownership). */
static void move(vf_qmat *dst, vf_qmat *src)
{
    vf_qmat_clear(dst);
    *dst = *src;
    src->a = NULL;
    src->rows = src->cols = 0;
}

/* ---------------------------------------------------------------- OLS */

int vf_ref_ols_gram_q(vf_qmat *g, const vf_qmat *x, vf_err *e)
{
    vf_qmat xt = {0};
    int rc = transpose_new(&xt, x, e);
    if (!rc)
        rc = mul_new(g, &xt, x, e);
    vf_qmat_clear(&xt);
    return rc;
}

int vf_ref_ols_require_full_rank(const vf_qmat *x, vf_err *e)
{
    size_t r;
    int rc = vf_q_rank(&r, x, e);
    if (rc)
        return rc;
    if (r < x->cols)
        return vf_fail(e, VF_E_DOMAIN,
                       "X^T X (%zux%zu) is singular: rank X = %zu < d = %zu (n = %zu); the "
                       "invertible construction needs rank X = d (the pseudo-inverse route, "
                       "ols.pinv_projector, handles this X)",
                       x->cols, x->cols, r, x->cols, x->rows);
    return VF_OK;
}

/* The proved core of vf_ref_ols_beta_q: beta solves the normal equations (X^T X) beta = X^T y
 * exactly, computed into matrices the caller allocated and shaped (x n x d, y n x k; xt d x n,
 * g d x d, xty d x k, beta d x k): xt = x^T, g = xt x, xty = xt y, beta = solve(g, xty),
 * certified; col (d rationals), acc, tmp are scratch.  It allocates no rational (WP 25 has no
 * ACSL allocation), so its whole computation is proved (unit ref_ols), through the proved
 * contracts of vf_qmat_transpose, vf_qmat_mul_with (ref_qmat) and vf_q_solve_into
 * (ref_solve_check).  With G invertible (rank X = d, checked by the caller) the solution is
 * unique, so beta is the beta_hat = G^{-1} X^T y of specs/ols.acsl (Ols_Gram_Beta). */
/*@ requires ok: qmat_ok(beta) && qmat_ok(xt) && qmat_ok(g) && qmat_ok(xty) &&
      qmat_ok(x) && qmat_ok(y);
    requires shapes: y->rows == x->rows && xt->rows == x->cols && xt->cols == x->rows &&
      g->rows == x->cols && g->cols == x->cols && xty->rows == x->cols &&
      xty->cols == y->cols && beta->rows == x->cols && beta->cols == y->cols;
    // every output is a matrix of its own, with its own array (vf_qmat_init allocates one each)
    requires distinct: xt != x && g != xt && g != x && xty != xt && xty != y && xty != x &&
      beta != g && beta != xty;
    requires own: qmat_own(xt, x) && qmat_own(g, xt) && qmat_own(g, x) && qmat_own(xty, xt) &&
      qmat_own(xty, y) && qmat_own(xty, x) && qmat_own(beta, g) && qmat_own(beta, xty);
    // the later writes leave what is still read alone: y (by xt), xty (by g)
    requires apart: \base_addr(xt->a) != \base_addr(y->a) && \base_addr(xty->a) != \base_addr(g->a);
    requires scratch: \valid(acc) && \valid(tmp) && \separated(acc, tmp) &&
      \forall integer k; 0 <= k < x->cols ==> \valid(&col[k][0]);
    requires apart_acc: \base_addr(acc) != \base_addr(xt->a) && \base_addr(acc) != \base_addr(g->a) &&
      \base_addr(acc) != \base_addr(xty->a) && \base_addr(acc) != \base_addr(beta->a) &&
      \base_addr(acc) != \base_addr(x->a) && \base_addr(acc) != \base_addr(y->a);
    requires apart_tmp: \base_addr(tmp) != \base_addr(g->a) && \base_addr(tmp) != \base_addr(xty->a) &&
      \base_addr(tmp) != \base_addr(beta->a);
    requires apart_col: \base_addr(col) != \base_addr(acc) && \base_addr(col) != \base_addr(tmp) &&
      \base_addr(col) != \base_addr(g->a) && \base_addr(col) != \base_addr(xty->a) &&
      \base_addr(col) != \base_addr(beta->a);
    // e, null or not, is no rational (every array is a real block: vf_calloc never returns
    // a null pointer for an initialised matrix)
    requires valid_e: (e == \null || \valid(e)) && \base_addr(e) != \base_addr(xt->a) &&
      \base_addr(e) != \base_addr(g->a) && \base_addr(e) != \base_addr(xty->a) &&
      \base_addr(e) != \base_addr(beta->a) && \base_addr(e) != \base_addr(x->a) &&
      \base_addr(e) != \base_addr(y->a) && \base_addr(e) != \base_addr(acc) &&
      \base_addr(e) != \base_addr(tmp) && \base_addr(e) != \base_addr(col);
    assigns *e, *acc, *tmp, col[0 .. x->cols - 1][0], xt->a[0 .. xt->rows * xt->cols - 1][0],
      g->a[0 .. g->rows * g->cols - 1][0], xty->a[0 .. xty->rows * xty->cols - 1][0],
      beta->a[0 .. beta->rows * beta->cols - 1][0];
    ensures codes: \result == VF_OK || \result == VF_E_DOMAIN || \result == VF_E_NOMEM ||
      \result == VF_E_INTERNAL;
    // for every X, Y held by x, y, with XT = X^T and G = XT X: G B = XT Y for the B beta holds
    ensures normal_equations: \result == VF_OK ==> \forall vf_mat X, Y, XT, G, B;
      \old(mat_of(X, x->a, x->rows, x->cols)) && \old(mat_of(Y, y->a, y->rows, y->cols)) &&
      Is_Transpose(XT, X) &&
      Is_Mat_Mul(G, XT, X, x->rows) &&
      mat_of(B, beta->a, beta->rows, beta->cols) ==>
      \forall integer c, j; 0 <= c < x->cols && 0 <= j < y->cols ==>
        mat_mul(G, B, c, j, x->cols) == mat_mul(XT, Y, c, j, x->rows);
*/
static int normal_equations_into(vf_qmat *beta, vf_qmat *xt, vf_qmat *g, vf_qmat *xty,
                                 const vf_qmat *x, const vf_qmat *y, mpq_t *col, mpq_ptr acc,
                                 mpq_ptr tmp, vf_err *e)
{
    vf_qmat_transpose(xt, x, e);
    /* proof hints: each step's contract in the form the next one reads */
    /*@ assert xt_holds: \forall vf_mat X, XT; mat_of{Pre}(X, x->a, x->rows, x->cols) &&
          Is_Transpose(XT, X) ==> mat_of(XT, xt->a, xt->rows, xt->cols); */
    vf_qmat_mul_with(xty, xt, y, acc, e);
    /*@ assert xty_prod: \forall vf_mat X, Y, XT; mat_of{Pre}(X, x->a, x->rows, x->cols) &&
          mat_of{Pre}(Y, y->a, y->rows, y->cols) && Is_Transpose(XT, X) ==>
          \forall integer c, j; 0 <= c < x->cols && 0 <= j < y->cols ==>
            qv(xty->a, midx(c, xty->cols, j)) == mat_mul(XT, Y, c, j, x->rows); */
    /*@ assert x_kept: \forall integer k; qv(x->a, k) == \at(qv(x->a, k), Pre); */
    /*@ assert x_holds: \forall vf_mat X; mat_of{Pre}(X, x->a, x->rows, x->cols) ==>
          mat_of(X, x->a, x->rows, x->cols); */
    /*@ assert xt_kept: \forall vf_mat X, XT; mat_of{Pre}(X, x->a, x->rows, x->cols) &&
          Is_Transpose(XT, X) ==> mat_of(XT, xt->a, xt->rows, xt->cols); */
#ifdef __FRAMAC__
Lx:
#endif
    vf_qmat_mul_with(g, xt, x, acc, e);
    /*@ assert g_holds: \forall vf_mat X, XT, G; mat_of{Pre}(X, x->a, x->rows, x->cols) &&
          Is_Transpose(XT, X) && Is_Mat_Mul(G, XT, X, x->rows) ==>
          mat_of(G, g->a, g->rows, g->cols); */
    /*@ assert xty_kept: \forall integer k; qv(xty->a, k) == \at(qv(xty->a, k), Lx); */
    int rc;
#ifdef __FRAMAC__
Lg:
#endif
    rc = vf_q_solve_into(beta, g, xty, col, acc, tmp, "ols", e);
    /*@ assert solved: rc == VF_OK ==> \forall vf_mat G, B;
          mat_of{Lg}(G, g->a, g->rows, g->cols) && mat_of(B, beta->a, beta->rows, beta->cols) ==>
          \forall integer c, j; 0 <= c < x->cols && 0 <= j < y->cols ==>
            mat_mul(G, B, c, j, x->cols) == qv{Lg}(xty->a, midx(c, xty->cols, j)); */
    /*@ assert gb: rc == VF_OK ==> \forall vf_mat X, XT, G, B;
          mat_of{Pre}(X, x->a, x->rows, x->cols) &&
          Is_Transpose(XT, X) &&
          Is_Mat_Mul(G, XT, X, x->rows) &&
          mat_of(B, beta->a, beta->rows, beta->cols) ==>
          \forall integer c, j; 0 <= c < x->cols && 0 <= j < y->cols ==>
            mat_mul(G, B, c, j, x->cols) == qv{Lg}(xty->a, midx(c, xty->cols, j)); */
    return rc;
}

/* The allocation around normal_equations_into (read, not proved: proofs/TRUST.md section 4). */
int vf_ref_ols_beta_q(vf_qmat *beta, const vf_qmat *x, const vf_qmat *y, vf_err *e)
{
    if (y->rows != x->rows)
        return vf_fail(e, VF_E_SHAPE, "ols: y has %zu rows but X has %zu", y->rows, x->rows);
    int rc = vf_ref_ols_require_full_rank(x, e);
    if (rc)
        return rc;
    size_t d = x->cols;
    vf_qmat xt = {0}, g = {0}, xty = {0}, b = {0};
    vf_q_check c = {0};
    if (!(rc = vf_qmat_init(&xt, d, x->rows, e)) && !(rc = vf_qmat_init(&g, d, d, e)) &&
        !(rc = vf_qmat_init(&xty, d, y->cols, e)) && !(rc = vf_qmat_init(&b, d, y->cols, e)) &&
        !(rc = vf_q_check_init(&c, d, e)) &&
        !(rc = normal_equations_into(&b, &xt, &g, &xty, x, y, c.col, c.acc, c.tmp, e)))
        move(beta, &b);
    vf_q_check_clear(&c);
    vf_qmat_clear(&xt);
    vf_qmat_clear(&g);
    vf_qmat_clear(&xty);
    vf_qmat_clear(&b);
    return rc;
}

/* The proved core of vf_ref_ols_hat_q: h = X G^{-1} X^T with G = X^T X, computed into
 * matrices the caller allocated and shaped (x n x d; xt d x n, g d x d, gx d x n, h n x n):
 * xt = x^T, g = xt x, gx = solve(g, xt) (certified: G GX = X^T exactly), h = x gx; col (d
 * rationals), acc, tmp are scratch.  Proved (unit ref_ols) as normal_equations_into. */
/*@ requires ok: qmat_ok(h) && qmat_ok(xt) && qmat_ok(g) && qmat_ok(gx) && qmat_ok(x);
    requires shapes: xt->rows == x->cols && xt->cols == x->rows && g->rows == x->cols &&
      g->cols == x->cols && gx->rows == x->cols && gx->cols == x->rows && h->rows == x->rows &&
      h->cols == x->rows;
    requires distinct: xt != x && g != xt && g != x && gx != g && gx != xt && gx != x &&
      h != x && h != gx;
    requires own: qmat_own(xt, x) && qmat_own(g, xt) && qmat_own(g, x) && qmat_own(gx, g) &&
      qmat_own(gx, xt) && qmat_own(gx, x) && qmat_own(h, x) && qmat_own(h, gx);
    requires scratch: \valid(acc) && \valid(tmp) && \separated(acc, tmp) &&
      \forall integer k; 0 <= k < x->cols ==> \valid(&col[k][0]);
    requires apart_acc: \base_addr(acc) != \base_addr(xt->a) && \base_addr(acc) != \base_addr(g->a) &&
      \base_addr(acc) != \base_addr(gx->a) && \base_addr(acc) != \base_addr(h->a) &&
      \base_addr(acc) != \base_addr(x->a);
    requires apart_tmp: \base_addr(tmp) != \base_addr(g->a) && \base_addr(tmp) != \base_addr(xt->a) &&
      \base_addr(tmp) != \base_addr(gx->a) && \base_addr(tmp) != \base_addr(x->a);
    requires apart_col: \base_addr(col) != \base_addr(acc) && \base_addr(col) != \base_addr(tmp) &&
      \base_addr(col) != \base_addr(g->a) && \base_addr(col) != \base_addr(xt->a) &&
      \base_addr(col) != \base_addr(gx->a) && \base_addr(col) != \base_addr(x->a);
    requires valid_e: (e == \null || \valid(e)) && \base_addr(e) != \base_addr(xt->a) &&
      \base_addr(e) != \base_addr(g->a) && \base_addr(e) != \base_addr(gx->a) &&
      \base_addr(e) != \base_addr(h->a) && \base_addr(e) != \base_addr(x->a) &&
      \base_addr(e) != \base_addr(acc) && \base_addr(e) != \base_addr(tmp) &&
      \base_addr(e) != \base_addr(col);
    assigns *e, *acc, *tmp, col[0 .. x->cols - 1][0], xt->a[0 .. xt->rows * xt->cols - 1][0],
      g->a[0 .. g->rows * g->cols - 1][0], gx->a[0 .. gx->rows * gx->cols - 1][0],
      h->a[0 .. h->rows * h->cols - 1][0];
    ensures codes: \result == VF_OK || \result == VF_E_DOMAIN || \result == VF_E_NOMEM ||
      \result == VF_E_INTERNAL;
    // for every X held by x, with XT = X^T, G = XT X and GX the matrix gx holds:
    // G GX = XT (GX = G^{-1} X^T) and h holds X GX
    ensures hat: \result == VF_OK ==> \forall vf_mat X, XT, G, GX;
      \old(mat_of(X, x->a, x->rows, x->cols)) &&
      Is_Transpose(XT, X) &&
      Is_Mat_Mul(G, XT, X, x->rows) &&
      mat_of(GX, gx->a, gx->rows, gx->cols) ==>
      (\forall integer c, i; 0 <= c < x->cols && 0 <= i < x->rows ==>
        mat_mul(G, GX, c, i, x->cols) == vf_mat_at(XT, c, i)) &&
      (\forall integer i, j; 0 <= i < x->rows && 0 <= j < x->rows ==>
        qv(h->a, midx(i, h->cols, j)) == mat_mul(X, GX, i, j, x->cols));
*/
static int hat_into(vf_qmat *h, vf_qmat *xt, vf_qmat *g, vf_qmat *gx, const vf_qmat *x,
                    mpq_t *col, mpq_ptr acc, mpq_ptr tmp, vf_err *e)
{
    vf_qmat_transpose(xt, x, e);
    /*@ assert xt_holds: \forall vf_mat X, XT; mat_of{Pre}(X, x->a, x->rows, x->cols) &&
          Is_Transpose(XT, X) ==> mat_of(XT, xt->a, xt->rows, xt->cols); */
    vf_qmat_mul_with(g, xt, x, acc, e);
    /*@ assert g_holds: \forall vf_mat X, XT, G; mat_of{Pre}(X, x->a, x->rows, x->cols) &&
          Is_Transpose(XT, X) &&
          Is_Mat_Mul(G, XT, X, x->rows) ==>
          mat_of(G, g->a, g->rows, g->cols); */
    int rc;
#ifdef __FRAMAC__
Lg:
#endif
    rc = vf_q_solve_into(gx, g, xt, col, acc, tmp, "hat", e);
    if (rc)
        return rc;
    /*@ assert solved: \forall vf_mat G, GX;
          mat_of{Lg}(G, g->a, g->rows, g->cols) && mat_of(GX, gx->a, gx->rows, gx->cols) ==>
          \forall integer c, i; 0 <= c < x->cols && 0 <= i < x->rows ==>
            mat_mul(G, GX, c, i, x->cols) == qv{Lg}(xt->a, midx(c, xt->cols, i)); */
    /*@ assert gg: \forall vf_mat X, XT, G, GX; mat_of{Pre}(X, x->a, x->rows, x->cols) &&
          Is_Transpose(XT, X) &&
          Is_Mat_Mul(G, XT, X, x->rows) &&
          mat_of(GX, gx->a, gx->rows, gx->cols) ==>
          \forall integer c, i; 0 <= c < x->cols && 0 <= i < x->rows ==>
            mat_mul(G, GX, c, i, x->cols) == qv{Lg}(xt->a, midx(c, xt->cols, i)); */
    /*@ assert xt_at: \forall vf_mat X, XT; mat_of{Pre}(X, x->a, x->rows, x->cols) &&
          Is_Transpose(XT, X) ==>
          \forall integer c, i; 0 <= c < x->cols && 0 <= i < x->rows ==>
            qv{Lg}(xt->a, midx(c, xt->cols, i)) == vf_mat_at(XT, c, i); */
    /*@ assert gx_solves: \forall vf_mat X, XT, G, GX; mat_of{Pre}(X, x->a, x->rows, x->cols) &&
          Is_Transpose(XT, X) &&
          Is_Mat_Mul(G, XT, X, x->rows) &&
          mat_of(GX, gx->a, gx->rows, gx->cols) ==>
          \forall integer c, i; 0 <= c < x->cols && 0 <= i < x->rows ==>
            mat_mul(G, GX, c, i, x->cols) == vf_mat_at(XT, c, i); */
    /*@ assert x_kept: \forall integer k; qv(x->a, k) == \at(qv(x->a, k), Pre); */
    /*@ assert x_holds: \forall vf_mat X; mat_of{Pre}(X, x->a, x->rows, x->cols) ==>
          mat_of(X, x->a, x->rows, x->cols); */
#ifdef __FRAMAC__
Lh:
#endif
    vf_qmat_mul_with(h, x, gx, acc, e);
    /*@ assert gx_kept: \forall integer k; qv(gx->a, k) == \at(qv(gx->a, k), Lh); */
    /*@ assert h_prod: \forall vf_mat X, GX; mat_of{Pre}(X, x->a, x->rows, x->cols) &&
          mat_of(GX, gx->a, gx->rows, gx->cols) ==>
          \forall integer i, j; 0 <= i < x->rows && 0 <= j < x->rows ==>
            qv(h->a, midx(i, h->cols, j)) == mat_mul(X, GX, i, j, x->cols); */
    return VF_OK;
}

/* The allocation around hat_into (read, not proved: proofs/TRUST.md section 4). */
int vf_ref_ols_hat_q(vf_qmat *h, const vf_qmat *x, vf_err *e)
{
    int rc = vf_ref_ols_require_full_rank(x, e);
    if (rc)
        return rc;
    size_t n = x->rows, d = x->cols;
    vf_qmat xt = {0}, g = {0}, gx = {0}, hh = {0};
    vf_q_check c = {0};
    if (!(rc = vf_qmat_init(&xt, d, n, e)) && !(rc = vf_qmat_init(&g, d, d, e)) &&
        !(rc = vf_qmat_init(&gx, d, n, e)) && !(rc = vf_qmat_init(&hh, n, n, e)) &&
        !(rc = vf_q_check_init(&c, d, e)) &&
        !(rc = hat_into(&hh, &xt, &g, &gx, x, c.col, c.acc, c.tmp, e)))
        move(h, &hh);
    vf_q_check_clear(&c);
    vf_qmat_clear(&xt);
    vf_qmat_clear(&g);
    vf_qmat_clear(&gx);
    vf_qmat_clear(&hh);
    return rc;
}

int vf_ref_ols_fit_q(vf_qmat *yhat, vf_qmat *resid, const vf_qmat *x, const vf_qmat *y,
                     vf_err *e)
{
    vf_qmat beta = {0}, fit = {0};
    int rc = vf_ref_ols_beta_q(&beta, x, y, e);
    if (!rc)
        rc = mul_new(&fit, x, &beta, e);
    if (!rc && resid) {
        vf_qmat r = {0};
        if (!(rc = vf_qmat_init(&r, y->rows, y->cols, e)) && !(rc = vf_qmat_sub(&r, y, &fit, e)))
            move(resid, &r);
        vf_qmat_clear(&r);
    }
    if (!rc && yhat)
        move(yhat, &fit);
    vf_qmat_clear(&fit);
    vf_qmat_clear(&beta);
    return rc;
}

int vf_ref_ols_select_cols_q(vf_qmat *xs, const vf_qmat *x, const size_t *cols, size_t k,
                             vf_err *e)
{
    for (size_t j = 0; j < k; j++)
        if (cols[j] >= x->cols)
            return vf_fail(e, VF_E_SHAPE, "select_cols: column %zu of a %zux%zu matrix", cols[j],
                           x->rows, x->cols);
    int rc = vf_qmat_init(xs, x->rows, k, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < x->rows; i++)
        for (size_t j = 0; j < k; j++)
            mpq_set(VF_Q(xs, i, j), VF_Q(x, i, cols[j]));
    return VF_OK;
}

int vf_ref_ols_hat_pinv_q(vf_qmat *h, size_t *cols, size_t *rank, const vf_qmat *x, vf_err *e)
{
    size_t *s = vf_calloc(x->cols ? x->cols : 1, sizeof *s, e), r = 0;
    if (!s)
        return VF_E_NOMEM;
    vf_qmat xs = {0};
    int rc = vf_q_independent_cols(s, &r, x, e);
    if (!rc && !(rc = vf_ref_ols_select_cols_q(&xs, x, s, r, e))) {
        if (r == 0) /* col X = {0} (X = 0): the projector onto it is the zero matrix */
            rc = vf_qmat_init(h, x->rows, x->rows, e);
        else /* X_S has independent columns by construction, so its Gram matrix is invertible */
            rc = vf_ref_ols_hat_q(h, &xs, e);
    }
    if (!rc) {
        *rank = r;
        if (cols)
            for (size_t j = 0; j < r; j++)
                cols[j] = s[j];
    }
    vf_qmat_clear(&xs);
    free(s);
    return rc;
}

int vf_ref_ols_center_q(vf_qmat *xc, const vf_qmat *x, vf_err *e)
{
    if (x->rows == 0)
        return vf_fail(e, VF_E_SHAPE, "center: X has no rows, its mean is undefined");
    int rc = vf_qmat_init(xc, x->rows, x->cols, e);
    if (rc)
        return rc;
    mpq_t mean, n;
    mpq_inits(mean, n, NULL);
    mpq_set_ui(n, (unsigned long)x->rows, 1);
    for (size_t j = 0; j < x->cols; j++) {
        mpq_set_ui(mean, 0, 1);
        for (size_t i = 0; i < x->rows; i++)
            mpq_add(mean, mean, VF_Q(x, i, j));
        mpq_div(mean, mean, n);
        for (size_t i = 0; i < x->rows; i++)
            mpq_sub(VF_Q(xc, i, j), VF_Q(x, i, j), mean);
    }
    mpq_clears(mean, n, NULL);
    return VF_OK;
}

int vf_ref_ols_hat_intercept_q(vf_qmat *h, const vf_qmat *x, vf_err *e)
{
    vf_qmat xc = {0};
    int rc = vf_ref_ols_center_q(&xc, x, e);
    if (!rc && (rc = vf_ref_ols_require_full_rank(&xc, e)) == VF_E_DOMAIN) {
        char why[VF_ERR_MSG_LEN];
        snprintf(why, sizeof why, "%s", e->msg);
        rc = vf_fail(e, VF_E_DOMAIN, "centred design: %s", why);
    }
    if (!rc && !(rc = vf_ref_ols_hat_q(h, &xc, e))) {
        mpq_t inv_n;
        mpq_init(inv_n);
        mpq_set_ui(inv_n, 1, (unsigned long)x->rows);
        for (size_t i = 0; i < h->rows * h->cols; i++)
            mpq_add(h->a[i], h->a[i], inv_n);
        mpq_clear(inv_n);
    }
    vf_qmat_clear(&xc);
    return rc;
}

/* ---------------------------------------------------------------- linear Transformer */

/* What the proofs give (unit ref_ols, through units ref_qmat and ref_dot; modulo the GMP
 * model of proofs/stubs/): with Xq, WQ, Xk, WK, V the vf_mat held by the inputs,
 * scores_into computes S = (Xq WQ)(Xk WK)^T exactly and attention_into Z = f S V (f = 1/n_k
 * with VF_LT_NORM_N, else 1).  Re-associating S to the bilinear form score(Xq, j, M, Xk, i, d)
 * with M = WQ WK^T of specs/attention.acsl (lemma_scores_link) and S V to the linear attention
 * lin_attn (lemma_lin_attn_mm), to which the proved linear-attention identity of unit
 * attention_theory applies, are theorems about mat_mul (unit attention_assoc).  Read, not
 * proved (proofs/TRUST.md section 4): the allocation around them, the 1/n_k factor of the
 * scores alone (vf_ref_lt_scores_q: a vf_qmat_scale call, proved on its own), the residual
 * and the head products of the readings. */
/* s = (xq wq)(xk wk)^T into matrices the caller allocated and shaped: q = xq wq, k = xk wk,
 * kt = k^T, s = q kt; t is scratch.  It allocates nothing (WP implements
 * no ACSL allocation: a function that writes into memory it allocated has no provable
 * assigns), so its whole computation is proved (unit ref_ols); vf_ref_lt_scores_q
 * allocates around it. */
/*@ requires ok: qmat_ok(s) && qmat_ok(q) && qmat_ok(k) && qmat_ok(kt) &&
      qmat_ok(xq) && qmat_ok(xk) && qmat_ok(wq) && qmat_ok(wk);
    requires chain: xq->cols == wq->rows && xk->cols == wk->rows && wq->cols == wk->cols;
    requires shapes: q->rows == xq->rows && q->cols == wq->cols && k->rows == xk->rows &&
      k->cols == wk->cols && kt->rows == k->cols && kt->cols == k->rows &&
      s->rows == q->rows && s->cols == kt->cols;
    // every output is a matrix of its own, with its own array (vf_qmat_init allocates one each)
    requires distinct: q != xq && q != wq && k != xk && k != wk && kt != k && s != q && s != kt;
    requires own: qmat_own(q, xq) && qmat_own(q, wq) && qmat_own(k, xk) && qmat_own(k, wk) &&
      qmat_own(kt, k) && qmat_own(s, q) && qmat_own(s, kt);
    // the later writes leave what is still read alone: q (by k, kt), xk and wk (by q)
    requires apart: \base_addr(k->a) != \base_addr(q->a) && \base_addr(kt->a) != \base_addr(q->a) &&
      \base_addr(q->a) != \base_addr(xk->a) && \base_addr(q->a) != \base_addr(wk->a);
    // the scratch t and the factor f are rationals of their own
    requires valid_t: \valid(t) && \base_addr(t) != \base_addr(q->a) &&
      \base_addr(t) != \base_addr(k->a) && \base_addr(t) != \base_addr(s->a) &&
      \base_addr(t) != \base_addr(xq->a) && \base_addr(t) != \base_addr(wq->a) &&
      \base_addr(t) != \base_addr(xk->a) && \base_addr(t) != \base_addr(wk->a) &&
      \base_addr(t) != \base_addr(kt->a);
    // e, null or not, is no rational (every array is a real block: vf_calloc never returns
    // a null pointer for an initialised matrix)
    requires valid_e: (e == \null || \valid(e)) && \base_addr(e) != \base_addr(q->a) &&
      \base_addr(e) != \base_addr(k->a) && \base_addr(e) != \base_addr(kt->a) &&
      \base_addr(e) != \base_addr(xk->a) && \base_addr(e) != \base_addr(wk->a) &&
      \base_addr(e) != \base_addr(t);
    assigns *e, *t, q->a[0 .. q->rows * q->cols - 1][0], k->a[0 .. k->rows * k->cols - 1][0],
      kt->a[0 .. kt->rows * kt->cols - 1][0], s->a[0 .. s->rows * s->cols - 1][0];
    ensures ok: \result == VF_OK;
    // every rational outside the outputs, t and *e keeps its value
    ensures frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(q->a) &&
      \base_addr(p) != \base_addr(k->a) && \base_addr(p) != \base_addr(kt->a) &&
      \base_addr(p) != \base_addr(s->a) && \separated(p, t) && \base_addr(p) != \base_addr(e) ==>
      mpq_val(p) == \old(mpq_val(p));
    ensures scores: \forall vf_mat XQ, WQ, XK, WK, A, Bt;
      \old(mat_of(XQ, xq->a, xq->rows, xq->cols)) && \old(mat_of(WQ, wq->a, wq->rows, wq->cols)) &&
      \old(mat_of(XK, xk->a, xk->rows, xk->cols)) && \old(mat_of(WK, wk->a, wk->rows, wk->cols)) &&
      (\forall integer j, c; vf_mat_at(A, j, c) == mat_mul(XQ, WQ, j, c, xq->cols)) &&
      (\forall integer c, i; vf_mat_at(Bt, c, i) == mat_mul(XK, WK, i, c, xk->cols)) ==>
      \forall integer j, i; 0 <= j < xq->rows && 0 <= i < xk->rows ==>
        qv(s->a, midx(j, xk->rows, i)) == mat_mul(A, Bt, j, i, wq->cols);
*/
static int scores_into(vf_qmat *s, vf_qmat *q, vf_qmat *k, vf_qmat *kt, const vf_qmat *xq,
                       const vf_qmat *xk, const vf_qmat *wq, const vf_qmat *wk, mpq_ptr t,
                       vf_err *e)
{
    vf_qmat_mul_with(q, xq, wq, t, e);
    /* proof hints: each step's contract in the form the next one reads */
    /*@ assert q_prod: \forall vf_mat XQ, WQ;
          mat_of{Pre}(XQ, xq->a, xq->rows, xq->cols) && mat_of{Pre}(WQ, wq->a, wq->rows, wq->cols) ==>
          \forall integer j, c; 0 <= j < q->rows && 0 <= c < q->cols ==>
            qv(q->a, midx(j, q->cols, c)) == mat_mul(XQ, WQ, j, c, xq->cols); */
    /*@ assert xk_kept: \forall integer x; qv(xk->a, x) == \at(qv(xk->a, x), Pre); */
    /*@ assert wk_kept: \forall integer x; qv(wk->a, x) == \at(qv(wk->a, x), Pre); */
#ifdef __FRAMAC__
Lq: /* labels for the proof hints only */
#endif
    vf_qmat_mul_with(k, xk, wk, t, e);
    /*@ assert q_kept_k: \forall integer x; qv(q->a, x) == \at(qv(q->a, x), Lq); */
    /*@ assert k_prod: \forall vf_mat XK, WK;
          mat_of{Pre}(XK, xk->a, xk->rows, xk->cols) && mat_of{Pre}(WK, wk->a, wk->rows, wk->cols) ==>
          \forall integer i, c; 0 <= i < k->rows && 0 <= c < k->cols ==>
            qv(k->a, midx(i, k->cols, c)) == mat_mul(XK, WK, i, c, xk->cols); */
#ifdef __FRAMAC__
Lk:
#endif
    vf_qmat_transpose(kt, k, e);
    /*@ assert q_kept_kt: \forall integer x; qv(q->a, x) == \at(qv(q->a, x), Lk); */
    /*@ assert kt_entries: \forall integer i, c; 0 <= i < k->rows && 0 <= c < k->cols ==>
          qv(kt->a, midx(c, k->rows, i)) == \at(qv(k->a, midx(i, k->cols, c)), Lk); */
    /*@ assert q_holds: \forall vf_mat XQ, WQ, A;
          mat_of{Pre}(XQ, xq->a, xq->rows, xq->cols) && mat_of{Pre}(WQ, wq->a, wq->rows, wq->cols) &&
          (\forall integer j, c; vf_mat_at(A, j, c) == mat_mul(XQ, WQ, j, c, xq->cols)) ==>
          mat_of(A, q->a, q->rows, q->cols); */
    /*@ assert kt_holds: \forall vf_mat XK, WK, Bt;
          mat_of{Pre}(XK, xk->a, xk->rows, xk->cols) && mat_of{Pre}(WK, wk->a, wk->rows, wk->cols) &&
          (\forall integer c, i; vf_mat_at(Bt, c, i) == mat_mul(XK, WK, i, c, xk->cols)) ==>
          mat_of(Bt, kt->a, kt->rows, kt->cols); */
    vf_qmat_mul_with(s, q, kt, t, e);
    /*@ assert s_prod: \forall vf_mat XQ, WQ, XK, WK, A, Bt;
          mat_of{Pre}(XQ, xq->a, xq->rows, xq->cols) && mat_of{Pre}(WQ, wq->a, wq->rows, wq->cols) &&
          mat_of{Pre}(XK, xk->a, xk->rows, xk->cols) && mat_of{Pre}(WK, wk->a, wk->rows, wk->cols) &&
          (\forall integer j, c; vf_mat_at(A, j, c) == mat_mul(XQ, WQ, j, c, xq->cols)) &&
          (\forall integer c, i; vf_mat_at(Bt, c, i) == mat_mul(XK, WK, i, c, xk->cols)) ==>
          \forall integer j, i; 0 <= j < xq->rows && 0 <= i < xk->rows ==>
            qv(s->a, midx(j, xk->rows, i)) == mat_mul(A, Bt, j, i, wq->cols); */
    return VF_OK;
}

/* The linear-attention output z = f (s v) with s = (xq wq)(xk wk)^T the scores of scores_into,
 * v the values (n_k x d_v) and f the score factor (1/n_k with VF_LT_NORM_N, else 1), into
 * matrices the caller allocated: the computation of the readings vf_ref_lt_reading_a_q / _b_q
 * up to their head.  Proved (unit ref_ols) through the contracts of scores_into,
 * vf_qmat_mul_with and vf_qmat_scale: entry (j, l) of z is f sum_i S_ji V_il for the S, V the
 * scores and values hold; with lemma_scores_link and lemma_lin_attn_mm (unit
 * attention_assoc), sum_i S_ji V_il is lin_attn(Xq, j, WQ WK^T, Xk, y_l, n_k, d) for
 * y_l = column l of V, to which the linear-attention identity of attention_theory applies. */
/*@ requires ok: qmat_ok(z) && qmat_ok(v) && qmat_ok(s) && qmat_ok(q) && qmat_ok(k) &&
      qmat_ok(kt) && qmat_ok(xq) && qmat_ok(xk) && qmat_ok(wq) && qmat_ok(wk);
    requires chain: xq->cols == wq->rows && xk->cols == wk->rows && wq->cols == wk->cols;
    requires shapes: q->rows == xq->rows && q->cols == wq->cols && k->rows == xk->rows &&
      k->cols == wk->cols && kt->rows == k->cols && kt->cols == k->rows &&
      s->rows == q->rows && s->cols == kt->cols && v->rows == xk->rows &&
      z->rows == xq->rows && z->cols == v->cols;
    requires distinct: q != xq && q != wq && k != xk && k != wk && kt != k && s != q && s != kt &&
      z != s && z != v;
    requires own: qmat_own(q, xq) && qmat_own(q, wq) && qmat_own(k, xk) && qmat_own(k, wk) &&
      qmat_own(kt, k) && qmat_own(s, q) && qmat_own(s, kt) && qmat_own(z, s) && qmat_own(z, v);
    requires apart: \base_addr(k->a) != \base_addr(q->a) && \base_addr(kt->a) != \base_addr(q->a) &&
      \base_addr(q->a) != \base_addr(xk->a) && \base_addr(q->a) != \base_addr(wk->a);
    // the values and the factor survive the scores
    requires apart_v: \base_addr(v->a) != \base_addr(q->a) && \base_addr(v->a) != \base_addr(k->a) &&
      \base_addr(v->a) != \base_addr(kt->a) && \base_addr(v->a) != \base_addr(s->a) &&
      \base_addr(v->a) != \base_addr(t);
    requires valid_t: \valid(t) && \base_addr(t) != \base_addr(q->a) &&
      \base_addr(t) != \base_addr(k->a) && \base_addr(t) != \base_addr(s->a) &&
      \base_addr(t) != \base_addr(xq->a) && \base_addr(t) != \base_addr(wq->a) &&
      \base_addr(t) != \base_addr(xk->a) && \base_addr(t) != \base_addr(wk->a) &&
      \base_addr(t) != \base_addr(kt->a) && \base_addr(t) != \base_addr(z->a);
    requires valid_f: \valid_read(f) && \base_addr(f) != \base_addr(q->a) &&
      \base_addr(f) != \base_addr(k->a) && \base_addr(f) != \base_addr(kt->a) &&
      \base_addr(f) != \base_addr(s->a) && \base_addr(f) != \base_addr(z->a) && \separated(f, t);
    requires valid_e: (e == \null || \valid(e)) && \base_addr(e) != \base_addr(q->a) &&
      \base_addr(e) != \base_addr(k->a) && \base_addr(e) != \base_addr(kt->a) &&
      \base_addr(e) != \base_addr(xk->a) && \base_addr(e) != \base_addr(wk->a) &&
      \base_addr(e) != \base_addr(t) && \base_addr(e) != \base_addr(s->a) &&
      \base_addr(e) != \base_addr(v->a) && \base_addr(e) != \base_addr(z->a) &&
      \base_addr(e) != \base_addr(f);
    assigns *e, *t, q->a[0 .. q->rows * q->cols - 1][0], k->a[0 .. k->rows * k->cols - 1][0],
      kt->a[0 .. kt->rows * kt->cols - 1][0], s->a[0 .. s->rows * s->cols - 1][0],
      z->a[0 .. z->rows * z->cols - 1][0];
    ensures ok: \result == VF_OK;
    // s holds the scores (as scores_into states them) ...
    ensures scores: \forall vf_mat XQ, WQ, XK, WK, A, Bt;
      \old(mat_of(XQ, xq->a, xq->rows, xq->cols)) && \old(mat_of(WQ, wq->a, wq->rows, wq->cols)) &&
      \old(mat_of(XK, xk->a, xk->rows, xk->cols)) && \old(mat_of(WK, wk->a, wk->rows, wk->cols)) &&
      (\forall integer j, c; vf_mat_at(A, j, c) == mat_mul(XQ, WQ, j, c, xq->cols)) &&
      (\forall integer c, i; vf_mat_at(Bt, c, i) == mat_mul(XK, WK, i, c, xk->cols)) ==>
      \forall integer j, i; 0 <= j < xq->rows && 0 <= i < xk->rows ==>
        qv(s->a, midx(j, xk->rows, i)) == mat_mul(A, Bt, j, i, wq->cols);
    // ... and z = f (S V) for the S that s holds and the V that v held
    ensures output: \forall vf_mat S, V;
      mat_of(S, s->a, s->rows, s->cols) && \old(mat_of(V, v->a, v->rows, v->cols)) ==>
      \forall integer j, l; 0 <= j < z->rows && 0 <= l < z->cols ==>
        scaled_by(qv(z->a, midx(j, z->cols, l)), \old(mpq_val(f)), mat_mul(S, V, j, l, xk->rows));
*/
static int attention_into(vf_qmat *z, vf_qmat *s, vf_qmat *q, vf_qmat *k, vf_qmat *kt,
                          const vf_qmat *xq, const vf_qmat *xk, const vf_qmat *wq,
                          const vf_qmat *wk, const vf_qmat *v, mpq_ptr t, mpq_srcptr f,
                          vf_err *e)
{
    scores_into(s, q, k, kt, xq, xk, wq, wk, t, e);
    /* proof hints: each step's contract in the form the next one reads */
    /*@ assert v_holds: \forall vf_mat V; mat_of{Pre}(V, v->a, v->rows, v->cols) ==>
          mat_of(V, v->a, v->rows, v->cols); */
    //@ assert inner: s->cols == xk->rows;
#ifdef __FRAMAC__
Lm:
#endif
    vf_qmat_mul_with(z, s, v, t, e);
    /*@ assert z_sv: \forall vf_mat S, V;
          mat_of{Lm}(S, s->a, s->rows, s->cols) && mat_of{Lm}(V, v->a, v->rows, v->cols) ==>
          \forall integer j, l; 0 <= j < z->rows && 0 <= l < z->cols ==>
            qv(z->a, midx(j, z->cols, l)) == mat_mul(S, V, j, l, xk->rows); */
    /*@ assert s_kept: \forall vf_mat S; mat_of(S, s->a, s->rows, s->cols) ==>
          mat_of{Lm}(S, s->a, s->rows, s->cols); */
    /*@ assert f_kept: mpq_val(f) == \at(mpq_val(f), Pre); */
#ifdef __FRAMAC__
Lz:
#endif
    vf_qmat_scale(z, f, z, e); /* in place: the proved contract allows it */
    /*@ assert s_entries_kept: \forall integer x; qv(s->a, x) == \at(qv(s->a, x), Lz); */
    /*@ assert s_kept_z: \forall vf_mat S; mat_of(S, s->a, s->rows, s->cols) ==>
          mat_of{Lz}(S, s->a, s->rows, s->cols); */
    /*@ assert z_scaled: \forall integer j, l; 0 <= j < z->rows && 0 <= l < z->cols ==>
          scaled_by(qv(z->a, midx(j, z->cols, l)), \at(mpq_val(f), Lz),
                    \at(qv(z->a, midx(j, z->cols, l)), Lz)); */
    return VF_OK;
}

/* The matrices and rationals of the proved linear-attention computation (scores_into,
 * attention_into), allocated and shaped here after the shape checks of the scores: each
 * vf_qmat_init allocates an array of its own, which is what their preconditions ask (read,
 * not proved: proofs/TRUST.md section 4). */
typedef struct lt_ws {
    vf_qmat q, k, kt, s;
    mpq_t t, f; /* scratch, and the score factor: 1/n_k with VF_LT_NORM_N, else 1 */
} lt_ws;

static void lt_ws_clear(lt_ws *w)
{
    vf_qmat_clear(&w->q);
    vf_qmat_clear(&w->k);
    vf_qmat_clear(&w->kt);
    vf_qmat_clear(&w->s);
    mpq_clear(w->t);
    mpq_clear(w->f);
}

static int lt_ws_init(lt_ws *w, const vf_qmat *xq, const vf_qmat *xk, const vf_lt_params *p,
                      unsigned form, vf_err *e)
{
    *w = (lt_ws){0};
    mpq_init(w->t);
    mpq_init(w->f);
    if (!p->wq || !p->wk)
        return vf_fail(e, VF_E_USAGE, "scores: W_Q and W_K are required");
    if (xq->cols != p->wq->rows || xk->cols != p->wk->rows || p->wq->cols != p->wk->cols)
        return vf_fail(e, VF_E_SHAPE,
                       "scores: X_q %zux%zu, W_Q %zux%zu, X_k %zux%zu, W_K %zux%zu do not chain",
                       xq->rows, xq->cols, p->wq->rows, p->wq->cols, xk->rows, xk->cols,
                       p->wk->rows, p->wk->cols);
    if ((form & VF_LT_NORM_N) && xk->rows == 0)
        return vf_fail(e, VF_E_SHAPE, "scores: 1/n normalisation over zero keys");
    mpq_set_ui(w->f, 1, (form & VF_LT_NORM_N) ? (unsigned long)xk->rows : 1);
    int rc;
    if (!(rc = vf_qmat_init(&w->q, xq->rows, p->wq->cols, e)) &&
        !(rc = vf_qmat_init(&w->k, xk->rows, p->wk->cols, e)) &&
        !(rc = vf_qmat_init(&w->kt, p->wk->cols, xk->rows, e)))
        rc = vf_qmat_init(&w->s, xq->rows, xk->rows, e);
    return rc;
}

/* The allocation around scores_into (read, not proved: proofs/TRUST.md section 4). */
int vf_ref_lt_scores_q(vf_qmat *s, const vf_qmat *xq, const vf_qmat *xk, const vf_lt_params *p,
                       unsigned form, vf_err *e)
{
    lt_ws w;
    int rc = lt_ws_init(&w, xq, xk, p, form, e);
    if (!rc && !(rc = scores_into(&w.s, &w.q, &w.k, &w.kt, xq, xk, p->wq, p->wk, w.t, e)) &&
        (form & VF_LT_NORM_N))
        rc = vf_qmat_scale(&w.s, w.f, &w.s, e); /* 1/n_k */
    if (!rc)
        move(s, &w.s);
    lt_ws_clear(&w);
    return rc;
}

/* z = S(xq, xk) v, z initialised here: the allocation around attention_into (read, not
 * proved: proofs/TRUST.md section 4). */
static int attend(vf_qmat *z, const vf_qmat *xq, const vf_qmat *xk, const vf_qmat *v,
                  const vf_lt_params *p, unsigned form, vf_err *e)
{
    lt_ws w;
    vf_qmat r = {0};
    int rc = lt_ws_init(&w, xq, xk, p, form, e);
    if (!rc && !(rc = vf_qmat_init(&r, xq->rows, v->cols, e)) &&
        !(rc = attention_into(&r, &w.s, &w.q, &w.k, &w.kt, xq, xk, p->wq, p->wk, v, w.t, w.f,
                              e)))
        move(z, &r);
    vf_qmat_clear(&r);
    lt_ws_clear(&w);
    return rc;
}

/* out = z W_FFN W_p (either may be NULL = identity); out initialised here. */
static int apply_head(vf_qmat *out, const vf_qmat *z, const vf_lt_params *p, vf_err *e)
{
    if ((p->wffn && p->wffn->rows != z->cols) ||
        (p->wp && p->wp->rows != (p->wffn ? p->wffn->cols : z->cols)))
        return vf_fail(e, VF_E_SHAPE, "head: W_FFN or W_p does not chain with the %zu-column "
                                      "attention output", z->cols);
    vf_qmat f = {0};
    int rc = mul_opt(&f, z, p->wffn, e);
    if (!rc)
        rc = mul_opt(out, &f, p->wp, e);
    vf_qmat_clear(&f);
    return rc;
}

/* Z = f S(X, X) (X W_V) is attention_into (proved, unit ref_ols); V = X W_V and the head
 * products Z W_FFN, (.) W_p are each proved products (vf_qmat_mul); the residual
 * (vf_qmat_add), the copies of mul_opt and the chaining here are read, not proved. */
int vf_ref_lt_reading_a_q(vf_qmat *out, const vf_qmat *x, const vf_lt_params *p, unsigned form,
                          vf_err *e)
{
    if (p->wv && p->wv->rows != x->cols)
        return vf_fail(e, VF_E_SHAPE, "reading A: W_V is %zux%zu but X has %zu columns",
                       p->wv->rows, p->wv->cols, x->cols);
    vf_qmat v = {0}, z = {0};
    int rc;
    if (!(rc = mul_opt(&v, x, p->wv, e)) && !(rc = attend(&z, x, x, &v, p, form, e)) &&
        (form & VF_LT_RESIDUAL)) {
        if (z.rows != x->rows || z.cols != x->cols)
            rc = vf_fail(e, VF_E_SHAPE, "reading A residual: attention output %zux%zu cannot "
                                        "be added to X %zux%zu", z.rows, z.cols, x->rows, x->cols);
        else
            rc = vf_qmat_add(&z, &z, x, e);
    }
    if (!rc)
        rc = apply_head(out, &z, p, e);
    vf_qmat_clear(&v);
    vf_qmat_clear(&z);
    return rc;
}

/* Z = f S(X_q, X) (y W_V) is attention_into (proved, unit ref_ols); V = y W_V and the head
 * products are proved products (vf_qmat_mul); the copies of mul_opt and the chaining here are
 * read, not proved. */
int vf_ref_lt_reading_b_q(vf_qmat *out, const vf_qmat *xq, const vf_qmat *x, const vf_qmat *y,
                          const vf_lt_params *p, unsigned form, vf_err *e)
{
    if (form & VF_LT_RESIDUAL)
        return vf_fail(e, VF_E_USAGE, "reading B has no residual form here: a residual stream "
                                      "carrying y needs the in-context token layout");
    if (y->rows != x->rows)
        return vf_fail(e, VF_E_SHAPE, "reading B: y has %zu rows but X has %zu", y->rows,
                       x->rows);
    if (p->wv && p->wv->rows != y->cols)
        return vf_fail(e, VF_E_SHAPE, "reading B: W_V is %zux%zu but y has %zu columns",
                       p->wv->rows, p->wv->cols, y->cols);
    vf_qmat v = {0}, z = {0};
    int rc;
    if (!(rc = mul_opt(&v, y, p->wv, e)) && !(rc = attend(&z, xq, x, &v, p, form, e)))
        rc = apply_head(out, &z, p, e);
    vf_qmat_clear(&v);
    vf_qmat_clear(&z);
    return rc;
}

/* ---------------------------------------------------------------- constructions */

int vf_ref_ols_construct_q(vf_qmat *wq, vf_qmat *wk, const vf_qmat *x, vf_ols_cons cons,
                           unsigned form, vf_err *e)
{
    int rc = vf_ref_ols_require_full_rank(x, e);
    if (rc)
        return rc;
    size_t d = x->cols;
    vf_qmat t = {0}, u = {0}, dg = {0}, ut = {0}, id = {0}, a = {0}, b = {0};
    if ((rc = vf_ref_ols_gram_q(&t, x, e)))
        goto out;
    if (form & VF_LT_NORM_N) { /* T = G / n: the covariance the paper decomposes */
        mpq_t c;
        mpq_init(c);
        mpq_set_ui(c, 1, (unsigned long)x->rows);
        rc = vf_qmat_scale(&t, c, &t, e);
        mpq_clear(c);
        if (rc)
            goto out;
    }
    if ((rc = vf_qmat_init(&id, d, d, e)))
        goto out;
    vf_qmat_set_identity(&id);
    if (cons == VF_OLS_CONS_INVERSE) {
        if (!(rc = solve_new(&a, &t, &id, e)) && !(rc = vf_qmat_init(&b, d, d, e))) {
            vf_qmat_set_identity(&b);
            move(wq, &a);
            move(wk, &b);
        }
        goto out;
    }
    /* T = U D U^T  =>  W_K = U^{-T}, W_Q = U^{-T} D^{-1}: W_Q W_K^T = U^{-T} D^{-1} U^{-1} = T^{-1}.
     * U^{-T} = solve(U^T, I); D^{-1} scales columns. */
    if ((rc = vf_qmat_init(&u, d, d, e)) || (rc = vf_qmat_init(&dg, d, 1, e)) ||
        (rc = vf_q_ldlt(&u, &dg, &t, e)) || (rc = transpose_new(&ut, &u, e)) ||
        (rc = solve_new(&b, &ut, &id, e)) || (rc = vf_qmat_init(&a, d, d, e)))
        goto out;
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++)
            mpq_div(VF_Q(&a, i, j), VF_Q(&b, i, j), VF_Q(&dg, j, 0));
    move(wq, &a);
    move(wk, &b);
out:
    vf_qmat_clear(&t);
    vf_qmat_clear(&u);
    vf_qmat_clear(&dg);
    vf_qmat_clear(&ut);
    vf_qmat_clear(&id);
    vf_qmat_clear(&a);
    vf_qmat_clear(&b);
    return rc;
}

int vf_ref_ols_head_q(vf_qmat *wp, const vf_qmat *wq, const vf_qmat *x, const vf_qmat *y,
                      unsigned form, vf_err *e)
{
    if (y->rows != x->rows || wq->rows != x->cols)
        return vf_fail(e, VF_E_SHAPE, "head: X %zux%zu, y %zux%zu, W_Q %zux%zu", x->rows,
                       x->cols, y->rows, y->cols, wq->rows, wq->cols);
    vf_qmat xt = {0}, xty = {0}, wqt = {0};
    int rc;
    if (!(rc = transpose_new(&xt, x, e)) && !(rc = mul_new(&xty, &xt, y, e)) &&
        !(rc = transpose_new(&wqt, wq, e)) && !(rc = mul_new(wp, &wqt, &xty, e))) {
        mpq_t c;
        mpq_init(c);
        mpq_set_ui(c, 1, (form & VF_LT_NORM_N) ? (unsigned long)x->rows : 1ul);
        if (form & VF_LT_RESIDUAL)
            mpq_div_2exp(c, c, 1);
        rc = vf_qmat_scale(wp, c, wp, e);
        mpq_clear(c);
    }
    vf_qmat_clear(&xt);
    vf_qmat_clear(&xty);
    vf_qmat_clear(&wqt);
    return rc;
}
