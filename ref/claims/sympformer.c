/* sympformer.c — SympFormer's linear and softmax attention blocks as (accelerated) flows
 * (THEORY.md §3, SY-1..5).
 *
 * Linear blocks (class Q) are checked exactly in mpq: the first-order block against the Stein
 * variational gradient flow with the bilinear kernel κ(x, x') = x'ᵀAx, evaluated token by token
 * (SY-1); the accelerated kick–damp–drift scheme, run token by token for several steps with
 * rational step sizes and the rational Nesterov damping σ_k = (t_k/(t_k + h_Y))³ (or a constant
 * σ), against the d x d recursion that maps every token by the same matrix (SY-2), and its
 * failure under a causal mask (no common matrix exists: the least-squares candidate leaves an
 * exact nonzero residual); Hamiltonian consistency F = ∂H/∂Y, G = -∂H/∂X by exact directional
 * derivatives (SY-3, symmetric A and V; refuted for non-symmetric A); dH/dt = -α<Y, ∂H/∂Y>
 * along the damped flow, exactly, and <= 0 for PSD A (SY-4).  The softmax block (class T)
 * compares ẋ_i = B p_i/z_i and the closed-form force with forward-mode MPFI derivatives of its
 * Hamiltonian (SY-5).
 *
 * Instances (--seed, --n tokens N, --d features): small rationals; trial kinds per claim.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields_common.h"
#include "registry.h"
#include "vf_potential.h"

#define SRC "Stein, Li, Steidl, SympFormer (arXiv 2603.16535, authors' model.py; THEORY.md 3)"
#define STEPS 3

/* out (initialised here) = s (a b cm). */
static int mul3s(vf_qmat *out, const mpq_t s, const vf_qmat *a, const vf_qmat *b,
                 const vf_qmat *cm, vf_err *e)
{
    vf_qmat ab = {0};
    int rc = fc_mul_new(&ab, a, b, e);
    if (!rc)
        rc = fc_mul_new(out, &ab, cm, e);
    if (!rc)
        rc = vf_qmat_scale(out, s, out, e);
    vf_qmat_clear(&ab);
    return rc;
}

/* Token counts per kind: kind 1 is the single-token edge case N = 1. */
static size_t tokens(const fc_ctx *c, int kinds)
{
    return (c->t % kinds) == 1 ? 1 : c->o->n;
}

/* Zeroes the entries j > i of the square m (causal mask). */
static void causal_mask(vf_qmat *m)
{
    for (size_t i = 0; i < m->rows; i++)
        for (size_t j = i + 1; j < m->cols; j++)
            mpq_set_ui(VF_Q(m, i, j), 0, 1);
}

/* Code oracles: F = (1/N)(X Aᵀ Xᵀ) Y, G = -(1/N)(Y Yᵀ)(X Aᵀ) + X Vᵀ (initialised here); with
 * causal, the N x N factors keep only j <= i (still divided by the full N, as the code does). */
static int oracle_f(vf_qmat *f, const vf_qmat *x, const vf_qmat *y, const vf_qmat *a, int causal,
                    vf_err *e)
{
    vf_qmat at = {0}, xat = {0}, xt = {0}, k = {0};
    mpq_t s;
    mpq_init(s);
    mpq_set_ui(s, 1, (unsigned long)x->rows);
    int rc;
    if (!(rc = fc_transpose_new(&at, a, e)) && !(rc = fc_mul_new(&xat, x, &at, e)) &&
        !(rc = fc_transpose_new(&xt, x, e)) && !(rc = fc_mul_new(&k, &xat, &xt, e))) {
        if (causal)
            causal_mask(&k);
        if (!(rc = fc_mul_new(f, &k, y, e)))
            rc = vf_qmat_scale(f, s, f, e);
    }
    mpq_clear(s);
    vf_qmat *all[] = {&at, &xat, &xt, &k};
    fc_clear_q(all, 4);
    return rc;
}

static int oracle_g(vf_qmat *g, const vf_qmat *x, const vf_qmat *y, const vf_qmat *a,
                    const vf_qmat *v, int causal, vf_err *e)
{
    vf_qmat at = {0}, vt = {0}, xat = {0}, yt = {0}, yy = {0}, kin = {0}, xvt = {0};
    mpq_t s;
    mpq_init(s);
    mpq_set_si(s, -1, (unsigned long)x->rows);
    int rc;
    if (!(rc = fc_transpose_new(&at, a, e)) && !(rc = fc_transpose_new(&vt, v, e)) &&
        !(rc = fc_mul_new(&xat, x, &at, e)) && !(rc = fc_transpose_new(&yt, y, e)) &&
        !(rc = fc_mul_new(&yy, y, &yt, e))) {
        if (causal)
            causal_mask(&yy);
        if (!(rc = fc_mul_new(&kin, &yy, &xat, e)) && !(rc = vf_qmat_scale(&kin, s, &kin, e)) &&
            !(rc = fc_mul_new(&xvt, x, &vt, e)) && !(rc = vf_qmat_init(g, x->rows, x->cols, e)))
            rc = vf_qmat_add(g, &kin, &xvt, e);
    }
    mpq_clear(s);
    vf_qmat *all[] = {&at, &vt, &xat, &yt, &yy, &kin, &xvt};
    fc_clear_q(all, 7);
    return rc;
}

/* ---------------------------------------------------------------- SY-1 */

static int sy1_trial(fc_ctx *c, vf_err *e)
{
    size_t n = tokens(c, 3), d = (c->t % 3) == 2 ? 1 : c->o->d;
    vf_qmat x = {0}, a = {0}, v = {0}, vs = {0}, xv = {0}, step = {0}, code = {0}, row = {0},
            xt = {0}, s = {0}, at = {0}, vt = {0}, m = {0}, stein = {0};
    mpq_t h, k, t, inv;
    mpq_inits(h, k, t, inv, NULL);
    mpq_set_ui(h, 1, 4);
    mpq_set_ui(inv, 1, (unsigned long)n);
    snprintf(c->label, sizeof c->label, "trial %d (N = %zu, d = %zu, h = 1/4, V symmetric)", c->t,
             n, d);
    int rc;
    if ((rc = fc_small_new(&x, n, d, c, 1, e)) || (rc = fc_param_new(&a, d, c, 20, 0, e)) ||
        (rc = fc_param_new(&v, d, c, 21, 1, e)) || (rc = fc_sym_new(&vs, &v, e)))
        goto out;
    /* (1) the code's block: X + h (1/N)(X Aᵀ Xᵀ)(X Vᵀ) */
    if ((rc = fc_transpose_new(&vt, &v, e)) || (rc = fc_mul_new(&xv, &x, &vt, e)) ||
        (rc = oracle_f(&step, &x, &xv, &a, 0, e)) || (rc = vf_qmat_init(&code, n, d, e)) ||
        (rc = vf_qmat_scale(&step, h, &step, e)) || (rc = vf_qmat_add(&code, &x, &step, e)))
        goto out;
    /* (2) row form X (I + h Aᵀ S Vᵀ), S = XᵀX/N */
    if ((rc = fc_transpose_new(&xt, &x, e)) || (rc = fc_mul_new(&s, &xt, &x, e)) ||
        (rc = vf_qmat_scale(&s, inv, &s, e)) || (rc = fc_transpose_new(&at, &a, e)) ||
        (rc = mul3s(&m, h, &at, &s, &vt, e)))
        goto out;
    mpq_set_ui(t, 1, 1);
    for (size_t i = 0; i < d; i++)
        mpq_add(VF_Q(&m, i, i), VF_Q(&m, i, i), t);
    if ((rc = fc_mul_new(&row, &x, &m, e)))
        goto out;
    /* (3) Stein flow token by token: x_i + h (-(1/N) Σ_j κ(x_i, x_j) ∇U(x_j)), U(x) = -½xᵀVx,
     *     ∇U(x) = -½(V + Vᵀ)x, κ(x, x') = x'ᵀ A x */
    if ((rc = vf_qmat_init(&stein, n, d, e)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            mpq_set_ui(k, 0, 1);
            for (size_t p = 0; p < d; p++)
                for (size_t q = 0; q < d; q++) {
                    mpq_mul(t, VF_Q(&x, j, p), VF_Q(&a, p, q));
                    mpq_mul(t, t, VF_Q(&x, i, q));
                    mpq_add(k, k, t);
                }
            for (size_t p = 0; p < d; p++) /* -κ ∇U(x_j) = κ ½(V + Vᵀ) x_j */
                for (size_t q = 0; q < d; q++) {
                    mpq_mul(t, VF_Q(&vs, p, q), VF_Q(&x, j, q));
                    mpq_mul(t, t, k);
                    mpq_div_2exp(t, t, 1);
                    mpq_add(VF_Q(&stein, i, p), VF_Q(&stein, i, p), t);
                }
        }
        for (size_t p = 0; p < d; p++) {
            mpq_mul(t, VF_Q(&stein, i, p), inv);
            mpq_mul(t, t, h);
            mpq_add(VF_Q(&stein, i, p), VF_Q(&x, i, p), t);
        }
    }
    if (!fc_differ(c, "X(I + h A^T S V^T)", &row, &code))
        fc_differ(c, "Stein step x_i + h (1/N) sum_j k(x_i,x_j) V x_j", &stein, &code);
    if (c->notes) {
        fc_note_q(c->r, "token_matrix_I+hA^TSV^T", &m);
        fc_note_q(c->r, "X+", &code);
    }
out:
    mpq_clears(h, k, t, inv, NULL);
    {
        vf_qmat *all[] = {&x, &a, &v, &vs, &xv, &step, &code, &row, &xt, &s, &at, &vt, &m, &stein};
        fc_clear_q(all, sizeof all / sizeof all[0]);
    }
    return rc;
}

/* ---------------------------------------------------------------- SY-2 and the causal mask */

/* sigma_k: Nesterov (t_k/(t_k + h))³ with t_k = 1 + k h, or the constant 4/5 (heavy ball). */
static void damping(mpq_t sigma, int nesterov, int k, const mpq_t h)
{
    if (!nesterov) {
        mpq_set_ui(sigma, 4, 5);
        return;
    }
    mpq_t tk, den;
    mpq_inits(tk, den, NULL);
    mpq_set_ui(tk, (unsigned long)k, 1);
    mpq_mul(tk, tk, h);
    mpq_set_ui(den, 1, 1);
    mpq_add(tk, tk, den);
    mpq_add(den, tk, h);
    mpq_div(sigma, tk, den);
    mpq_mul(den, sigma, sigma);
    mpq_mul(sigma, den, sigma);
    mpq_clears(tk, den, NULL);
}

/* One token-level step: Y ← σ (Y + h_Y G(X, Y)); X ← X + h_X F(X, Y). */
static int token_step(vf_qmat *x, vf_qmat *y, const vf_qmat *a, const vf_qmat *v,
                      const mpq_t sigma, const mpq_t hx, const mpq_t hy, int causal, vf_err *e)
{
    vf_qmat g = {0}, f = {0};
    int rc;
    if (!(rc = oracle_g(&g, x, y, a, v, causal, e)) && !(rc = vf_qmat_scale(&g, hy, &g, e)) &&
        !(rc = vf_qmat_add(y, y, &g, e)) && !(rc = vf_qmat_scale(y, sigma, y, e)) &&
        !(rc = oracle_f(&f, x, y, a, causal, e)) && !(rc = vf_qmat_scale(&f, hx, &f, e)))
        rc = vf_qmat_add(x, x, &f, e);
    vf_qmat_clear(&g);
    vf_qmat_clear(&f);
    return rc;
}

/* The d x d recursion in terms of the initial tokens X⁰ (S₀ = X⁰ᵀX⁰/N):
 *   Ψ ← σ (Ψ + h_Y (-Ψ Ψᵀ S₀ Φ Aᵀ + Φ Vᵀ)),   Φ ← Φ + h_X Φ Aᵀ Φᵀ S₀ Ψ. */
static int matrix_step(vf_qmat *phi, vf_qmat *psi, const vf_qmat *s0, const vf_qmat *a,
                       const vf_qmat *v, const mpq_t sigma, const mpq_t hx, const mpq_t hy,
                       vf_err *e)
{
    vf_qmat at = {0}, vt = {0}, pt = {0}, ppt = {0}, t1 = {0}, t2 = {0}, t3 = {0}, phit = {0},
            u1 = {0}, u2 = {0}, u3 = {0};
    mpq_t m1;
    mpq_init(m1);
    mpq_set_si(m1, -1, 1);
    int rc;
    if (!(rc = fc_transpose_new(&at, a, e)) && !(rc = fc_transpose_new(&vt, v, e)) &&
        !(rc = fc_transpose_new(&pt, psi, e)) && !(rc = fc_mul_new(&ppt, psi, &pt, e)) &&
        !(rc = fc_mul_new(&t1, &ppt, s0, e)) && !(rc = mul3s(&t2, m1, &t1, phi, &at, e)) &&
        !(rc = fc_mul_new(&t3, phi, &vt, e)) && !(rc = vf_qmat_add(&t2, &t2, &t3, e)) &&
        !(rc = vf_qmat_scale(&t2, hy, &t2, e)) && !(rc = vf_qmat_add(psi, psi, &t2, e)) &&
        !(rc = vf_qmat_scale(psi, sigma, psi, e)) && !(rc = fc_transpose_new(&phit, phi, e)) &&
        !(rc = fc_mul_new(&u1, phi, &at, e)) && !(rc = fc_mul_new(&u2, &u1, &phit, e)) &&
        !(rc = mul3s(&u3, hx, &u2, s0, psi, e)))
        rc = vf_qmat_add(phi, phi, &u3, e);
    mpq_clear(m1);
    vf_qmat *all[] = {&at, &vt, &pt, &ppt, &t1, &t2, &t3, &phit, &u1, &u2, &u3};
    fc_clear_q(all, sizeof all / sizeof all[0]);
    return rc;
}

/* Instance of SY-2 / causal: X⁰ (N x d), A, V (general), B₀ (0 on kind 2), step sizes. */
static int accel_instance(fc_ctx *c, vf_qmat *x, vf_qmat *a, vf_qmat *v, vf_qmat *b0, size_t n,
                          vf_err *e)
{
    size_t d = c->o->d;
    int rc;
    if ((rc = fc_small_new(x, n, d, c, 1, e)) || (rc = fc_param_new(a, d, c, 20, 0, e)) ||
        (rc = fc_param_new(v, d, c, 21, 0, e)) || (rc = fc_param_new(b0, d, c, 22, 0, e)))
        return rc;
    if (c->t % 4 == 2)
        for (size_t i = 0; i < d * d; i++)
            mpq_set_ui(b0->a[i], 0, 1);
    return VF_OK;
}

static int sy2_trial(fc_ctx *c, vf_err *e)
{
    int kind = c->t % 4, nesterov = kind != 3;
    size_t n = tokens(c, 4);
    vf_qmat x0 = {0}, a = {0}, v = {0}, b0 = {0}, x = {0}, y = {0}, phi = {0}, psi = {0}, s0 = {0},
            xt = {0}, xp = {0}, yp = {0};
    mpq_t hx, hy, sigma, inv;
    mpq_inits(hx, hy, sigma, inv, NULL);
    mpq_set_ui(hx, 1, 4);
    mpq_set_ui(hy, 1, 3);
    mpq_set_ui(inv, 1, (unsigned long)n);
    snprintf(c->label, sizeof c->label, "trial %d (N = %zu, d = %zu, h_X = 1/4, h_Y = 1/3, %s, "
             "%s, %d steps)", c->t, n, c->o->d,
             nesterov ? "Nesterov sigma_k = (t_k/(t_k+h_Y))^3, t_0 = 1" : "heavy ball sigma = 4/5",
             kind == 2 ? "Y0 = 0" : "Y0 = X0 B0", STEPS);
    int rc;
    if ((rc = accel_instance(c, &x0, &a, &v, &b0, n, e)) || (rc = vf_qmat_init(&x, n, c->o->d, e)) ||
        (rc = vf_qmat_copy(&x, &x0, e)) || (rc = fc_mul_new(&y, &x0, &b0, e)) ||
        (rc = vf_qmat_init(&phi, c->o->d, c->o->d, e)) ||
        (rc = vf_qmat_init(&psi, c->o->d, c->o->d, e)) || (rc = vf_qmat_copy(&psi, &b0, e)) ||
        (rc = fc_transpose_new(&xt, &x0, e)) || (rc = fc_mul_new(&s0, &xt, &x0, e)) ||
        (rc = vf_qmat_scale(&s0, inv, &s0, e)))
        goto out;
    vf_qmat_set_identity(&phi);
    for (int k = 0; k < STEPS && !rc && !c->refuted; k++) {
        damping(sigma, nesterov, k, hy);
        if ((rc = token_step(&x, &y, &a, &v, sigma, hx, hy, 0, e)) ||
            (rc = matrix_step(&phi, &psi, &s0, &a, &v, sigma, hx, hy, e)) ||
            (rc = fc_mul_new(&xp, &x0, &phi, e)) || (rc = fc_mul_new(&yp, &x0, &psi, e)))
            break;
        char w[64];
        snprintf(w, sizeof w, "X^%d = X^0 Phi_%d", k + 1, k + 1);
        if (!fc_differ(c, w, &xp, &x)) {
            snprintf(w, sizeof w, "Y^%d = X^0 Psi_%d", k + 1, k + 1);
            fc_differ(c, w, &yp, &y);
        }
        vf_qmat_clear(&xp);
        vf_qmat_clear(&yp);
        if (!rc && c->notes && k == 0) {
            fc_note_q(c->r, "Phi_1 = I + h_X A^T S B'", &phi);
            fc_note_q(c->r, "Psi_1 = B'", &psi);
        }
    }
    if (!rc && c->notes) {
        vf_claim_note_add(c->r, "elliptical", "the empirical law is pushed forward by one linear "
                          "map, so EC(mu, Sigma, g) -> EC(mu Phi, Phi^T Sigma Phi, g) (row "
                          "convention)");
    }
out:
    mpq_clears(hx, hy, sigma, inv, NULL);
    {
        vf_qmat *all[] = {&x0, &a, &v, &b0, &x, &y, &phi, &psi, &s0, &xt, &xp, &yp};
        fc_clear_q(all, sizeof all / sizeof all[0]);
    }
    return rc;
}

/* Causal mask: after one accelerated step from Y⁰ = X⁰B₀, is X¹ = X⁰ M for one d x d M?  M would
 * solve the normal equations X⁰ᵀX⁰ M = X⁰ᵀX¹; if X⁰ M* != X¹ no common matrix exists. */
static int causal_trial(fc_ctx *c, vf_err *e)
{
    size_t n = c->o->n, d = c->o->d;
    vf_qmat x0 = {0}, a = {0}, v = {0}, b0 = {0}, x = {0}, y = {0}, xt = {0}, g = {0}, rhs = {0},
            m = {0}, xm = {0};
    mpq_t hx, hy, sigma;
    mpq_inits(hx, hy, sigma, NULL);
    mpq_set_ui(hx, 1, 4);
    mpq_set_ui(hy, 1, 3);
    damping(sigma, 1, 0, hy);
    snprintf(c->label, sizeof c->label, "trial %d (causal mask, N = %zu, d = %zu, one step, "
             "h_X = 1/4, h_Y = 1/3, sigma_0 = 27/64)", c->t, n, d);
    int rc;
    if (n <= d) {
        mpq_clears(hx, hy, sigma, NULL);
        return vf_fail(e, VF_E_SHAPE, "the causal test needs N > d (N = %zu, d = %zu): with "
                       "N <= d every map of full-row-rank tokens is linear", n, d);
    }
    if ((rc = accel_instance(c, &x0, &a, &v, &b0, n, e)) || (rc = vf_qmat_init(&x, n, d, e)) ||
        (rc = vf_qmat_copy(&x, &x0, e)) || (rc = fc_mul_new(&y, &x0, &b0, e)) ||
        (rc = token_step(&x, &y, &a, &v, sigma, hx, hy, 1, e)) ||
        (rc = fc_transpose_new(&xt, &x0, e)) || (rc = fc_mul_new(&g, &xt, &x0, e)) ||
        (rc = fc_mul_new(&rhs, &xt, &x, e)) || (rc = vf_qmat_init(&m, d, d, e)) ||
        (rc = vf_q_solve(&m, &g, &rhs, e)) || (rc = fc_mul_new(&xm, &x0, &m, e)))
        goto out;
    fc_differ(c, "causal X^1 vs X^0 M* (M* = least-squares common matrix)", &x, &xm);
    if (c->refuted || c->notes) {
        fc_note_q(c->r, "X0", &x0);
        fc_note_q(c->r, "A", &a);
        fc_note_q(c->r, "V", &v);
        fc_note_q(c->r, "B0", &b0);
        fc_note_q(c->r, "X1_causal", &x);
        fc_note_q(c->r, "M*", &m);
    }
out:
    mpq_clears(hx, hy, sigma, NULL);
    {
        vf_qmat *all[] = {&x0, &a, &v, &b0, &x, &y, &xt, &g, &rhs, &m, &xm};
        fc_clear_q(all, sizeof all / sizeof all[0]);
    }
    return rc;
}

/* ---------------------------------------------------------------- SY-3, SY-4 */

/* H(X, Y) = (1/2N) Tr(X Aᵀ Xᵀ Y Yᵀ) - ½ Tr(X V Xᵀ), evaluated on (X + ε dx, Y + ε dy). */
typedef struct ham {
    const vf_qmat *x, *y, *a, *v, *dx, *dy;
} ham;

static int ham_coef(mpq_t out, const ham *h, size_t k, vf_err *e)
{
    vf_qmat at = {0};
    vf_qmpoly x = {0}, xt = {0}, y = {0}, yt = {0}, pa = {0}, pv = {0}, t1 = {0}, t2 = {0},
              t3 = {0}, t4 = {0}, u1 = {0}, u2 = {0};
    mpq_t s, q;
    mpq_inits(s, q, NULL);
    int rc;
    if (!(rc = fc_transpose_new(&at, h->a, e)) && !(rc = vf_qmpoly_line(&x, h->x, h->dx, e)) &&
        !(rc = vf_qmpoly_transpose(&xt, &x, e)) && !(rc = vf_qmpoly_line(&y, h->y, h->dy, e)) &&
        !(rc = vf_qmpoly_transpose(&yt, &y, e)) && !(rc = vf_qmpoly_line(&pa, &at, NULL, e)) &&
        !(rc = vf_qmpoly_line(&pv, h->v, NULL, e)) && !(rc = vf_qmpoly_mul(&t1, &x, &pa, e)) &&
        !(rc = vf_qmpoly_mul(&t2, &t1, &xt, e)) && !(rc = vf_qmpoly_mul(&t3, &t2, &y, e)) &&
        !(rc = vf_qmpoly_mul(&t4, &t3, &yt, e)) && !(rc = vf_qmpoly_trace_coef(s, &t4, k, e)) &&
        !(rc = vf_qmpoly_mul(&u1, &x, &pv, e)) && !(rc = vf_qmpoly_mul(&u2, &u1, &xt, e)) &&
        !(rc = vf_qmpoly_trace_coef(q, &u2, k, e))) {
        mpq_t c2n;
        mpq_init(c2n);
        mpq_set_ui(c2n, 1, 2 * (unsigned long)h->x->rows);
        mpq_mul(s, s, c2n);
        mpq_div_2exp(q, q, 1);
        mpq_sub(out, s, q);
        mpq_clear(c2n);
    }
    vf_qmat_clear(&at);
    vf_qmpoly *all[] = {&x, &xt, &y, &yt, &pa, &pv, &t1, &t2, &t3, &t4, &u1, &u2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_qmpoly_clear(all[i]);
    mpq_clears(s, q, NULL);
    return rc;
}

static int ham_dir_x(mpq_t d1, const void *ctx, const vf_qmat *dir, vf_err *e)
{
    ham h = *(const ham *)ctx;
    h.dx = dir;
    h.dy = NULL;
    return ham_coef(d1, &h, 1, e);
}

static int ham_dir_y(mpq_t d1, const void *ctx, const vf_qmat *dir, vf_err *e)
{
    ham h = *(const ham *)ctx;
    h.dx = NULL;
    h.dy = dir;
    return ham_coef(d1, &h, 1, e);
}

static int sy3_trial(fc_ctx *c, int sym, vf_err *e)
{
    size_t n = tokens(c, 3), d = (c->t % 3) == 2 ? 1 : c->o->d;
    vf_qmat x = {0}, y = {0}, a = {0}, v = {0}, f = {0}, g = {0}, hx = {0}, hy = {0};
    mpq_t m1;
    mpq_init(m1);
    mpq_set_si(m1, -1, 1);
    snprintf(c->label, sizeof c->label, "trial %d (N = %zu, d = %zu, %s)", c->t, n, d,
             sym ? "A, V symmetric" : "A, V not symmetric");
    int rc;
    if ((rc = fc_small_new(&x, n, d, c, 1, e)) || (rc = fc_small_new(&y, n, d, c, 2, e)) ||
        (rc = fc_param_new(&a, d, c, 20, sym, e)) || (rc = fc_param_new(&v, d, c, 21, sym, e)) ||
        (rc = oracle_f(&f, &x, &y, &a, 0, e)) || (rc = oracle_g(&g, &x, &y, &a, &v, 0, e)) ||
        (rc = vf_qmat_scale(&g, m1, &g, e)))
        goto out;
    ham h = {.x = &x, .y = &y, .a = &a, .v = &v};
    if ((rc = vf_q_gradient_by_directions(&hy, n, d, ham_dir_y, &h, e)) ||
        (rc = vf_q_gradient_by_directions(&hx, n, d, ham_dir_x, &h, e)))
        goto out;
    if (!fc_differ(c, "dH/dY vs F", &hy, &f))
        fc_differ(c, "dH/dX vs -G", &hx, &g);
    if (c->refuted || c->notes) {
        fc_note_q(c->r, "A", &a);
        fc_note_q(c->r, "V", &v);
        if (c->refuted) {
            fc_note_q(c->r, "X", &x);
            fc_note_q(c->r, "Y", &y);
            fc_note_q(c->r, "dH/dY", &hy);
            fc_note_q(c->r, "F", &f);
        }
    }
out:
    mpq_clear(m1);
    {
        vf_qmat *all[] = {&x, &y, &a, &v, &f, &g, &hx, &hy};
        fc_clear_q(all, sizeof all / sizeof all[0]);
    }
    return rc;
}

static int sy3_sym_trial(fc_ctx *c, vf_err *e) { return sy3_trial(c, 1, e); }
static int sy3_nonsym_trial(fc_ctx *c, vf_err *e) { return sy3_trial(c, 0, e); }

/* SY-4: dH/dt along ẋ = F, ẏ = G - αY is the ε¹ coefficient of H(X + εF, Y + ε(G - αY)); it
 * must equal -α<Y, F>, and <Y, F> = (1/N) Tr(Yᵀ X Aᵀ Xᵀ Y) >= 0 for PSD A = L Lᵀ. */
static int sy4_trial(fc_ctx *c, vf_err *e)
{
    static const long anum[4] = {3, 0, 3, 1}, aden[4] = {2, 1, 2, 5};
    size_t n = tokens(c, 4), d = c->o->d;
    vf_qmat x = {0}, y = {0}, l = {0}, lt = {0}, a = {0}, v = {0}, f = {0}, g = {0}, ay = {0};
    mpq_t alpha, dh, want, yf;
    mpq_inits(alpha, dh, want, yf, NULL);
    mpq_set_ui(alpha, (unsigned long)anum[c->t % 4], (unsigned long)aden[c->t % 4]);
    char *as = vf_q_str(alpha);
    snprintf(c->label, sizeof c->label, "trial %d (N = %zu, d = %zu, alpha = %s, A = LL^T PSD, V "
             "symmetric)", c->t, n, d, as);
    free(as);
    int rc;
    if ((rc = fc_small_new(&x, n, d, c, 1, e)) || (rc = fc_small_new(&y, n, d, c, 2, e)) ||
        (rc = fc_param_new(&l, d, c, 20, 0, e)) || (rc = fc_transpose_new(&lt, &l, e)) ||
        (rc = fc_mul_new(&a, &l, &lt, e)) || (rc = fc_param_new(&v, d, c, 21, 1, e)) ||
        (rc = oracle_f(&f, &x, &y, &a, 0, e)) || (rc = oracle_g(&g, &x, &y, &a, &v, 0, e)) ||
        (rc = vf_qmat_init(&ay, n, d, e)) || (rc = vf_qmat_scale(&ay, alpha, &y, e)) ||
        (rc = vf_qmat_sub(&g, &g, &ay, e)))
        goto out;
    ham h = {.x = &x, .y = &y, .a = &a, .v = &v, .dx = &f, .dy = &g};
    if ((rc = ham_coef(dh, &h, 1, e)) || (rc = vf_qmat_dot(yf, &y, &f, e)))
        goto out;
    mpq_mul(want, alpha, yf);
    mpq_neg(want, want);
    if (fc_differ_q(c, "dH/dt", dh, want))
        goto out;
    if (mpq_sgn(yf) < 0) { /* kinetic energy of a PSD kernel cannot be negative */
        mpq_t z;
        mpq_init(z);
        fc_differ_q(c, "<Y, dH/dY> (2 x kinetic energy, must be >= 0)", yf, z);
        mpq_clear(z);
    }
    if (c->notes) {
        char *s1 = vf_q_str(dh), *s2 = vf_q_str(yf);
        vf_claim_note_add(c->r, "dH/dt_trial0", "%s = -alpha <Y, F>, <Y, F> = %s >= 0", s1, s2);
        free(s1);
        free(s2);
    }
out:
    mpq_clears(alpha, dh, want, yf, NULL);
    {
        vf_qmat *all[] = {&x, &y, &l, &lt, &a, &v, &f, &g, &ay};
        fc_clear_q(all, sizeof all / sizeof all[0]);
    }
    return rc;
}

/* ---------------------------------------------------------------- SY-5 softmax block */

/* Tangent of H(X, P) = Σ_i ½ p_iᵀ B p_i / z_i(X) - ½ Σ_ij E_ij, E = exp(X A Xᵀ),
 * z_i = (1/N) Σ_j E_ij, along (dx, dp). */
static int soft_ham_dir(mpfi_t out, const vf_qmat *x, const vf_qmat *p, const vf_qmat *a,
                        const vf_qmat *b, const vf_qmat *dx, const vf_qmat *dp, mpfr_prec_t prec,
                        vf_err *e)
{
    vf_dmat xd = {0}, xdt = {0}, ad = {0}, bd = {0}, pd = {0}, s1 = {0}, s = {0}, ex = {0}, zs = {0},
            z = {0}, pb = {0}, pbp = {0}, q = {0}, kin = {0};
    mpq_t inv;
    mpq_init(inv);
    mpq_set_ui(inv, 1, (unsigned long)x->rows);
    int rc;
    if (!(rc = vf_dmat_from_q(&xd, x, dx, NULL, prec, e)) && !(rc = vf_dmat_transpose(&xdt, &xd, e)) &&
        !(rc = vf_dmat_from_q(&ad, a, NULL, NULL, prec, e)) &&
        !(rc = vf_dmat_from_q(&bd, b, NULL, NULL, prec, e)) &&
        !(rc = vf_dmat_from_q(&pd, p, dp, NULL, prec, e)) && !(rc = vf_dmat_mul(&s1, &xd, &ad, e)) &&
        !(rc = vf_dmat_mul(&s, &s1, &xdt, e)) && !(rc = vf_dmat_exp(&ex, &s, e)) &&
        !(rc = vf_dmat_row_sums(&zs, &ex, e)) && !(rc = vf_dmat_scale(&z, inv, &zs, e)) &&
        !(rc = vf_dmat_mul(&pb, &pd, &bd, e)) && !(rc = vf_dmat_hadamard(&pbp, &pb, &pd, e)) &&
        !(rc = vf_dmat_row_sums(&q, &pbp, e)) && !(rc = vf_dmat_div(&kin, &q, &z, e))) {
        mpfi_t tk, vk, te, ve;
        mpfi_init2(tk, prec);
        mpfi_init2(vk, prec);
        mpfi_init2(te, prec);
        mpfi_init2(ve, prec);
        vf_dmat_total(vk, tk, &kin);
        vf_dmat_total(ve, te, &ex);
        mpfi_sub(out, tk, te);
        mpfi_div_2ui(out, out, 1);
        mpfi_clear(tk);
        mpfi_clear(vk);
        mpfi_clear(te);
        mpfi_clear(ve);
    }
    mpq_clear(inv);
    vf_dmat *all[] = {&xd, &xdt, &ad, &bd, &pd, &s1, &s, &ex, &zs, &z, &pb, &pbp, &q, &kin};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_dmat_clear(all[i]);
    return rc;
}

/* Closed forms for symmetric A, B:  ẋ_i = B p_i / z_i,
 *   -∂H/∂x_i = (1/2N) Σ_j E_ij (s_i + s_j + 2N) A x_j,  s_i = p_iᵀ B p_i / z_i². */
static int sy5_trial(fc_ctx *c, vf_err *e)
{
    size_t n = tokens(c, 3), d = (c->t % 3) == 2 ? 1 : c->o->d;
    mpfr_prec_t pr = c->p;
    vf_qmat x = {0}, p = {0}, a = {0}, b = {0}, xa = {0}, xt = {0}, sq = {0}, dir = {0}, bp = {0};
    vf_imat ex = {0}, xai = {0}, bpi = {0};
    mpfi_t z[64], sv[64], t, u, w, r;
    snprintf(c->label, sizeof c->label, "trial %d (N = %zu, d = %zu, A, B symmetric)", c->t, n, d);
    if (n > 64)
        return vf_fail(e, VF_E_SHAPE, "the softmax-block check takes N <= 64 tokens (N = %zu)",
                       n);
    int rc;
    if ((rc = fc_small_new(&x, n, d, c, 1, e)) || (rc = fc_small_new(&p, n, d, c, 2, e)) ||
        (rc = fc_param_new(&a, d, c, 20, 1, e)) || (rc = fc_param_new(&b, d, c, 21, 1, e)) ||
        (rc = fc_mul_new(&xa, &x, &a, e)) || (rc = fc_transpose_new(&xt, &x, e)) ||
        (rc = fc_mul_new(&sq, &xa, &xt, e)) || (rc = vf_imat_init(&ex, n, n, pr, e)) ||
        (rc = vf_imat_from_q(&ex, &sq, e)) || (rc = vf_imat_exp(&ex, &ex, e)) ||
        (rc = vf_imat_init(&xai, n, d, pr, e)) || (rc = vf_imat_from_q(&xai, &xa, e)) ||
        (rc = fc_mul_new(&bp, &p, &b, e)) || /* rows: (B p_i)ᵀ, B symmetric */
        (rc = vf_imat_init(&bpi, n, d, pr, e)) || (rc = vf_imat_from_q(&bpi, &bp, e)) ||
        (rc = vf_qmat_init(&dir, n, d, e)))
        goto out0;
    mpfi_init2(t, pr);
    mpfi_init2(u, pr);
    mpfi_init2(w, pr);
    mpfi_init2(r, pr);
    for (size_t i = 0; i < n; i++) {
        mpfi_init2(z[i], pr);
        mpfi_init2(sv[i], pr);
        mpfi_set_ui(z[i], 0);
        for (size_t j = 0; j < n; j++)
            mpfi_add(z[i], z[i], VF_I(&ex, i, j));
        mpfi_div_ui(z[i], z[i], (unsigned long)n);
        mpfi_set_ui(sv[i], 0); /* p_iᵀ B p_i */
        for (size_t k = 0; k < d; k++) {
            mpfi_set_q(t, VF_Q(&bp, i, k));
            mpfi_mul_q(t, t, VF_Q(&p, i, k));
            mpfi_add(sv[i], sv[i], t);
        }
        mpfi_div(sv[i], sv[i], z[i]);
        mpfi_div(sv[i], sv[i], z[i]);
    }
    for (size_t i = 0; i < n && !rc && !c->refuted; i++)
        for (size_t k = 0; k < d && !rc && !c->refuted; k++) {
            /* force from the formula */
            mpfi_set_ui(w, 0);
            for (size_t j = 0; j < n; j++) {
                mpfi_add(t, sv[i], sv[j]);
                mpfi_add_ui(t, t, 2 * (unsigned long)n);
                mpfi_mul(t, t, VF_I(&ex, i, j));
                mpfi_mul(t, t, VF_I(&xai, j, k));
                mpfi_add(w, w, t);
            }
            mpfi_div_ui(w, w, 2 * (unsigned long)n);
            mpq_set_ui(VF_Q(&dir, i, k), 1, 1);
            if (!(rc = soft_ham_dir(u, &x, &p, &a, &b, &dir, NULL, pr, e))) {
                mpfi_add(r, w, u); /* force + ∂H/∂x */
                fc_resid(c, "-dH/dx_i - (1/2N) sum_j E_ij (s_i + s_j + 2N) A x_j", i, k, r);
            }
            if (!rc && !c->refuted && !(rc = soft_ham_dir(u, &x, &p, &a, &b, NULL, &dir, pr, e))) {
                mpfi_div(t, VF_I(&bpi, i, k), z[i]);
                mpfi_sub(r, u, t);
                fc_resid(c, "dH/dp_i - B p_i / z_i", i, k, r);
            }
            mpq_set_ui(VF_Q(&dir, i, k), 0, 1);
            if (!rc && c->notes && i == 0 && k == 0)
                fc_note_iv(c->r, "force_00", w);
        }
    for (size_t i = 0; i < n; i++) {
        mpfi_clear(z[i]);
        mpfi_clear(sv[i]);
    }
    mpfi_clear(t);
    mpfi_clear(u);
    mpfi_clear(w);
    mpfi_clear(r);
    if (!rc && c->notes)
        vf_claim_note_add(c->r, "convention", "H = sum_i 1/2 p_i^T B p_i / z_i - 1/2 sum_ij E_ij "
                          "as THEORY 3.4 states it; the constant 2N comes from that potential "
                          "term (a potential -(1/2N) sum E_ij would give 2 instead)");
out0:
    {
        vf_qmat *all[] = {&x, &p, &a, &b, &xa, &xt, &sq, &dir, &bp};
        fc_clear_q(all, sizeof all / sizeof all[0]);
        vf_imat *im[] = {&ex, &xai, &bpi};
        for (size_t i = 0; i < sizeof im / sizeof im[0]; i++)
            vf_imat_clear(im[i]);
    }
    return rc;
}

/* ---------------------------------------------------------------- table */


CHECKER(check_sy1, sy1_trial, 0, "X + h(1/N)(XA^TX^T)(XV^T) = X(I + hA^TSV^T) = Stein step")
CHECKER(check_sy2, sy2_trial, 0, "accelerated steps: X^k = X^0 Phi_k, Y^k = X^0 Psi_k")
CHECKER(check_causal, causal_trial, 0, "causal accelerated step: X^1 = X^0 M for one M")
CHECKER(check_sy3, sy3_sym_trial, 0, "F = dH/dY and G = -dH/dX (exact directional derivatives)")
CHECKER(check_sy3_nonsym, sy3_nonsym_trial, 0, "F = dH/dY and G = -dH/dX for non-symmetric A, V")
CHECKER(check_sy4, sy4_trial, 0, "dH/dt = -alpha <Y, dH/dY> <= 0 along the damped flow")
CHECKER(check_sy5, sy5_trial, 1,
        "softmax block: dH/dp_i = B p_i/z_i and -dH/dx_i = (1/2N) sum_j E_ij (s_i + s_j + 2N) A x_j")

#define CLAIM(var, idstr, stmt, cls_, exp_, n_, d_, tr, fn)                                      \
    const vf_claim var = {.id = idstr, .statement = stmt, .cls = cls_, .source = SRC,          \
                          .expected = exp_, .default_n = n_, .default_d = d_,                   \
                          .default_trials = tr, .check = fn};

CLAIM(vf_claim_sy_stein_linear_attention, "sympformer.stein_linear_attention",
      "1/N-normalised linear attention X + h(1/N)(XA^TX^T)(XV^T) is one Euler step of the Stein "
      "variational gradient flow of U(x) = -1/2 x^TVx with kernel k(x,x') = x'^TAx, and equals "
      "X(I + h A^T S V^T), S = X^TX/N (SY-1, V symmetric)", VF_CLASS_Q, VF_HELD_EXACT, 5, 3, 3,
      check_sy1)
CLAIM(vf_claim_sy_accelerated_common_map, "sympformer.accelerated_common_map",
      "The accelerated linear block (kick-damp-drift, rational h and damping) maps every token "
      "by the same d x d matrix: X^k = X^0 Phi_k, Y^k = X^0 Psi_k, so elliptical families are "
      "preserved (SY-2)", VF_CLASS_Q, VF_HELD_EXACT, 5, 3, 4, check_sy2)
CLAIM(vf_claim_sy_causal_common_map, "sympformer.causal_common_map",
      "With a causal mask the accelerated linear block still maps every token by one common "
      "d x d matrix (false: each token sees its own prefix moments; THEORY 3.6)", VF_CLASS_Q,
      VF_REFUTED, 6, 3, 1, check_causal)
CLAIM(vf_claim_sy_hamiltonian, "sympformer.hamiltonian",
      "For symmetric A, V the linear block's oracles are Hamiltonian: F = dH/dY, G = -dH/dX, "
      "H = (1/2N) sum_ij k(x_i,x_j)<y_i,y_j> - 1/2 sum_i x_i^TVx_i (SY-3)", VF_CLASS_Q,
      VF_HELD_EXACT, 5, 3, 3, check_sy3)
CLAIM(vf_claim_sy_hamiltonian_nonsymmetric, "sympformer.hamiltonian_nonsymmetric",
      "The linear block's oracles are Hamiltonian (F = dH/dY, G = -dH/dX) for arbitrary A, V "
      "(false: needs A, V symmetric; THEORY 3.6)", VF_CLASS_Q, VF_REFUTED, 5, 3, 1,
      check_sy3_nonsym)
CLAIM(vf_claim_sy_energy_dissipation, "sympformer.energy_dissipation",
      "Along the damped flow xdot = F, ydot = G - alpha y: dH/dt = -alpha <Y, dH/dY>, which is "
      "<= 0 for PSD A and alpha >= 0 (SY-4)", VF_CLASS_Q, VF_HELD_EXACT, 5, 3, 4, check_sy4)
CLAIM(vf_claim_sy_softmax_force, "sympformer.softmax_force",
      "Softmax Hamiltonian block H = sum_i 1/2 p_i^TBp_i/z_i - 1/2 sum_ij E_ij: xdot_i = B p_i/z_i "
      "and force -dH/dx_i = (1/2N) sum_j E_ij (s_i + s_j + 2N) A x_j, s_i = p_i^TBp_i/z_i^2 "
      "(SY-5, A and B symmetric)", VF_CLASS_T, VF_CERTIFIED, 4, 2, 3, check_sy5)
