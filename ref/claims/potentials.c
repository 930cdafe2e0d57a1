/* potentials.c — "attention is the gradient of a potential" (THEORY.md §2.3, §2.5, §2.9):
 * FU-1..5, the gated MLP and FU-9.
 *
 * Polynomial potentials (class Q) are differentiated EXACTLY: V is evaluated on X + εΔ as a
 * polynomial in ε with mpq matrix coefficients (vf_qmpoly) and the ε¹ coefficient, for each basis
 * direction Δ = E_ij, is the gradient entry (i, j).  Perturbing only the un-transposed or only
 * the transposed occurrences of X gives the slot derivatives D_X and D_* (THEORY §0.3).  The
 * closed forms are then compared by exact matrix equality.
 *
 * Transcendental potentials (class T: log-sum-exp, ½Σexp(xᵀAx')) are differentiated by
 * forward-mode dual intervals in MPFI (vf_dmat), seeded with the basis directions in the chosen
 * slot, and compared with the attention computed by the certified softmax kernel
 * (vf_ref_softmax).  The residual enclosures must contain 0 (CERTIFIED to 2^-k) — or exclude it,
 * which refutes the claim with the entry and its enclosure printed.
 *
 * Instances (--seed, --n tokens, --d features): trial t uses kind t mod 4 — small rationals
 * n x d, a single token (n = 1), a single feature (d = 1), repeated tokens (rows 0 and 1 equal).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields_common.h"
#include "registry.h"
#include "vf_potential.h"
#include "vf_qgen.h"
#include "vf_softmax.h"

#define SRC "C. Fu, Transformers Are Optimal Effective Fields (THEORY.md 2)"
#define N_KINDS 4

enum { SLOT_X = 1, SLOT_XT = 2, SLOT_BOTH = 3 };

/* ---------------------------------------------------------------- instances */

static const char *const kind_names[N_KINDS] = {"small rationals", "single token n = 1",
                                                 "single feature d = 1", "repeated token"};

static void dims(const fc_ctx *c, size_t *n, size_t *d)
{
    int k = c->t % N_KINDS;
    *n = k == 1 ? 1 : c->o->n;
    *d = k == 2 ? 1 : c->o->d;
}

/* X (n x d) of trial c->t; label set. */
static int gen_x(fc_ctx *c, vf_qmat *x, vf_err *e)
{
    size_t n, d;
    dims(c, &n, &d);
    int rc = fc_small_new(x, n, d, c, 1, e);
    if (!rc && c->t % N_KINDS == 3 && n >= 2)
        for (size_t j = 0; j < d; j++)
            mpq_set(VF_Q(x, 1, j), VF_Q(x, 0, j));
    snprintf(c->label, sizeof c->label, "trial %d (%s, X %zux%zu)", c->t,
             kind_names[c->t % N_KINDS], n, d);
    return rc;
}

/* ---------------------------------------------------------------- polynomial potentials */

/* V(X) = q2 Σ_h Tr(X W_h Xᵀ) + q4 Σ_h Tr(X A_h Xᵀ X B_h Xᵀ), the perturbation εΔ applied to the
 * occurrences of X selected by slots. */
typedef struct poly_pot {
    const vf_qmat *x;
    unsigned slots;
    int n2, n4;
    const vf_qmat *w[2], *a[2], *b[2];
    long q2n, q2d, q4n, q4d;
} poly_pot;

/* Product of k polynomials, left to right; out initialised here. */
static int chain(vf_qmpoly *out, vf_qmpoly *const *f, int k, vf_err *e)
{
    vf_qmpoly acc = {0};
    int rc = vf_qmpoly_mul(&acc, f[0], f[1], e);
    for (int i = 2; i < k && !rc; i++) {
        vf_qmpoly nx = {0};
        rc = vf_qmpoly_mul(&nx, &acc, f[i], e);
        vf_qmpoly_clear(&acc);
        acc = nx;
    }
    *out = acc;
    return rc;
}

/* ε^k coefficient of V along dir (dir NULL: V itself for k = 0). */
static int poly_pot_coef(mpq_t out, const poly_pot *p, const vf_qmat *dir, size_t k, vf_err *e)
{
    vf_qmpoly x1 = {0}, x2 = {0}, x2t = {0}, pw = {0}, pa = {0}, pb = {0}, prod = {0};
    mpq_t s, q;
    mpq_inits(s, q, NULL);
    mpq_set_ui(out, 0, 1);
    int rc;
    if ((rc = vf_qmpoly_line(&x1, p->x, (p->slots & SLOT_X) ? dir : NULL, e)) ||
        (rc = vf_qmpoly_line(&x2, p->x, (p->slots & SLOT_XT) ? dir : NULL, e)) ||
        (rc = vf_qmpoly_transpose(&x2t, &x2, e)))
        goto out;
    for (int h = 0; h < p->n2 && !rc; h++) {
        vf_qmpoly *f[3] = {&x1, &pw, &x2t};
        if (!(rc = vf_qmpoly_line(&pw, p->w[h], NULL, e)) && !(rc = chain(&prod, f, 3, e)) &&
            !(rc = vf_qmpoly_trace_coef(s, &prod, k, e))) {
            mpq_set_si(q, p->q2n, (unsigned long)p->q2d);
            mpq_canonicalize(q);
            mpq_mul(s, s, q);
            mpq_add(out, out, s);
        }
        vf_qmpoly_clear(&pw);
        vf_qmpoly_clear(&prod);
    }
    for (int h = 0; h < p->n4 && !rc; h++) {
        vf_qmpoly *f[6] = {&x1, &pa, &x2t, &x1, &pb, &x2t};
        if (!(rc = vf_qmpoly_line(&pa, p->a[h], NULL, e)) &&
            !(rc = vf_qmpoly_line(&pb, p->b[h], NULL, e)) && !(rc = chain(&prod, f, 6, e)) &&
            !(rc = vf_qmpoly_trace_coef(s, &prod, k, e))) {
            mpq_set_si(q, p->q4n, (unsigned long)p->q4d);
            mpq_canonicalize(q);
            mpq_mul(s, s, q);
            mpq_add(out, out, s);
        }
        vf_qmpoly_clear(&pa);
        vf_qmpoly_clear(&pb);
        vf_qmpoly_clear(&prod);
    }
out:
    vf_qmpoly_clear(&x1);
    vf_qmpoly_clear(&x2);
    vf_qmpoly_clear(&x2t);
    mpq_clears(s, q, NULL);
    return rc;
}

static int poly_pot_dir(mpq_t d1, const void *ctx, const vf_qmat *dir, vf_err *e)
{
    return poly_pot_coef(d1, ctx, dir, 1, e);
}

/* out (initialised here) = a1 a2 ... ak (k >= 2). */
static int prod_new(vf_qmat *out, const vf_qmat *const *m, int k, vf_err *e)
{
    vf_qmat acc = {0};
    int rc = fc_mul_new(&acc, m[0], m[1], e);
    for (int i = 2; i < k && !rc; i++) {
        vf_qmat nx = {0};
        rc = fc_mul_new(&nx, &acc, m[i], e);
        vf_qmat_clear(&acc);
        acc = nx;
    }
    *out = acc;
    return rc;
}

/* out += s * (m1 m2 ... mk) */
static int add_prod(vf_qmat *out, long s, const vf_qmat *const *m, int k, vf_err *e)
{
    vf_qmat t = {0};
    mpq_t q;
    mpq_init(q);
    mpq_set_si(q, s, 1);
    int rc = prod_new(&t, m, k, e);
    if (!rc)
        rc = vf_qmat_scale(&t, q, &t, e);
    if (!rc)
        rc = vf_qmat_add(out, out, &t, e);
    mpq_clear(q);
    vf_qmat_clear(&t);
    return rc;
}

/* The two linear-attention heads of one quartic term: XBXᵀXA + XAXᵀXB, times s. */
static int add_heads(vf_qmat *out, long s, const vf_qmat *x, const vf_qmat *xt,
                     const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    const vf_qmat *h1[5] = {x, b, xt, x, a}, *h2[5] = {x, a, xt, x, b};
    int rc = add_prod(out, s, h1, 5, e);
    return rc ? rc : add_prod(out, s, h2, 5, e);
}

enum { Q_DERIVS, Q_HEADS, Q_HEADS_SYM };

/* FU-1: D_* and ∇ of Tr(XAXᵀXBXᵀ) against the closed forms; the "two heads" claims. */
static int quartic_trial(fc_ctx *c, int which, vf_err *e)
{
    vf_qmat x = {0}, xt = {0}, a = {0}, b = {0}, at = {0}, bt = {0}, g = {0}, want = {0};
    int rc, sym = which == Q_HEADS_SYM;
    if ((rc = gen_x(c, &x, e)) || (rc = fc_transpose_new(&xt, &x, e)) ||
        (rc = fc_param_new(&a, x.cols, c, 10, sym, e)) || (rc = fc_param_new(&b, x.cols, c, 11, sym, e)) ||
        (rc = fc_transpose_new(&at, &a, e)) || (rc = fc_transpose_new(&bt, &b, e)) ||
        (rc = vf_qmat_init(&want, x.rows, x.cols, e)))
        goto out;
    poly_pot p = {.x = &x, .n4 = 1, .a = {&a}, .b = {&b}, .q4n = 1, .q4d = 1};
    if (which == Q_DERIVS) {
        p.slots = SLOT_XT; /* D_* = XBXᵀXA + XAXᵀXB */
        if ((rc = vf_q_gradient_by_directions(&g, x.rows, x.cols, poly_pot_dir, &p, e)) ||
            (rc = add_heads(&want, 1, &x, &xt, &a, &b, e)))
            goto out;
        if (fc_differ(c, "D_* Tr(XAX^TXBX^T)", &g, &want))
            goto out;
        vf_qmat_clear(&g);
    }
    p.slots = SLOT_BOTH;
    if ((rc = vf_q_gradient_by_directions(&g, x.rows, x.cols, poly_pot_dir, &p, e)))
        goto out;
    if (which == Q_DERIVS) { /* + XBᵀXᵀXAᵀ + XAᵀXᵀXBᵀ */
        if ((rc = add_heads(&want, 1, &x, &xt, &at, &bt, e)))
            goto out;
        fc_differ(c, "grad Tr(XAX^TXBX^T)", &g, &want);
    } else { /* claimed: ∇ = 2 (XBXᵀXA + XAXᵀXB) */
        if ((rc = add_heads(&want, 2, &x, &xt, &a, &b, e)))
            goto out;
        fc_differ(c, "grad Tr(XAX^TXBX^T)", &g, &want);
    }
    if (c->refuted || c->notes) {
        fc_note_q(c->r, "X", &x);
        fc_note_q(c->r, "A", &a);
        fc_note_q(c->r, "B", &b);
        if (c->refuted) {
            fc_note_q(c->r, "exact_gradient", &g);
            fc_note_q(c->r, "claimed_2x_heads", &want);
        }
    }
out:;
    vf_qmat *all[] = {&x, &xt, &a, &b, &at, &bt, &g, &want};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_qmat_clear(all[i]);
    return rc;
}

static int quartic_derivs_trial(fc_ctx *c, vf_err *e) { return quartic_trial(c, Q_DERIVS, e); }
static int quartic_heads_trial(fc_ctx *c, vf_err *e) { return quartic_trial(c, Q_HEADS, e); }
static int quartic_heads_sym_trial(fc_ctx *c, vf_err *e)
{
    return quartic_trial(c, Q_HEADS_SYM, e);
}

/* FU-2: ∇[½Tr(XW₁Xᵀ) + ¼Σ_h Tr((XW_hXᵀ)²)] = XW₁ + Σ_h XW_hXᵀXW_h, symmetric W's, two heads. */
static int fu2_trial(fc_ctx *c, vf_err *e)
{
    vf_qmat x = {0}, xt = {0}, w1 = {0}, wa = {0}, wb = {0}, g = {0}, want = {0};
    int rc;
    if ((rc = gen_x(c, &x, e)) || (rc = fc_transpose_new(&xt, &x, e)) ||
        (rc = fc_param_new(&w1, x.cols, c, 10, 1, e)) || (rc = fc_param_new(&wa, x.cols, c, 11, 1, e)) ||
        (rc = fc_param_new(&wb, x.cols, c, 12, 1, e)) || (rc = fc_mul_new(&want, &x, &w1, e)))
        goto out;
    poly_pot p = {.x = &x, .slots = SLOT_BOTH, .n2 = 1, .w = {&w1}, .q2n = 1, .q2d = 2,
                  .n4 = 2, .a = {&wa, &wb}, .b = {&wa, &wb}, .q4n = 1, .q4d = 4};
    const vf_qmat *h1[5] = {&x, &wa, &xt, &x, &wa}, *h2[5] = {&x, &wb, &xt, &x, &wb};
    if ((rc = add_prod(&want, 1, h1, 5, e)) || (rc = add_prod(&want, 1, h2, 5, e)) ||
        (rc = vf_q_gradient_by_directions(&g, x.rows, x.cols, poly_pot_dir, &p, e)))
        goto out;
    fc_differ(c, "grad V", &g, &want);
    if (c->notes)
        fc_note_q(c->r, "grad_trial0", &g);
out:;
    vf_qmat *all[] = {&x, &xt, &w1, &wa, &wb, &g, &want};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_qmat_clear(all[i]);
    return rc;
}

/* FU-3: V(PX) = V(X), rational orthogonal P (Cayley), arbitrary (non-symmetric) parameters. */
static int fu3_trial(fc_ctx *c, vf_err *e)
{
    vf_qmat x = {0}, w = {0}, a = {0}, b = {0}, pm = {0}, px = {0}, r = {0}, xr = {0};
    mpq_t v0, v1, v2;
    mpq_inits(v0, v1, v2, NULL);
    int rc;
    if ((rc = gen_x(c, &x, e)) || (rc = fc_param_new(&w, x.cols, c, 10, 0, e)) ||
        (rc = fc_param_new(&a, x.cols, c, 11, 0, e)) || (rc = fc_param_new(&b, x.cols, c, 12, 0, e)) ||
        (rc = vf_qmat_init(&pm, x.rows, x.rows, e)) ||
        (rc = vf_qgen_orthogonal(&pm, c->o->seed, 5000u + (uint64_t)c->t, e)) ||
        (rc = fc_mul_new(&px, &pm, &x, e)))
        goto out;
    poly_pot p = {.x = &x, .slots = SLOT_BOTH, .n2 = 1, .w = {&w}, .q2n = 1, .q2d = 1,
                  .n4 = 1, .a = {&a}, .b = {&b}, .q4n = 1, .q4d = 1};
    if ((rc = poly_pot_coef(v0, &p, NULL, 0, e)))
        goto out;
    p.x = &px;
    if ((rc = poly_pot_coef(v1, &p, NULL, 0, e)))
        goto out;
    if (fc_differ_q(c, "V(PX)", v1, v0))
        goto out;
    if (c->notes) {
        char *s = vf_q_str(v0);
        vf_claim_note_add(c->r, "V_trial0", "V(X) = V(PX) = %s", s);
        free(s);
        fc_note_q(c->r, "P", &pm);
        /* contrast: a right (feature-side) rotation is not a symmetry of V in general */
        if (!(rc = vf_qmat_init(&r, x.cols, x.cols, e)) &&
            !(rc = vf_qgen_orthogonal(&r, c->o->seed, 6000u, e)) &&
            !(rc = fc_mul_new(&xr, &x, &r, e))) {
            p.x = &xr;
            if (!(rc = poly_pot_coef(v2, &p, NULL, 0, e))) {
                char *s2 = vf_q_str(v2);
                vf_claim_note_add(c->r, "right_rotation", "V(XR) = %s for a rational orthogonal "
                                  "R (%s)", s2, mpq_equal(v2, v0) ? "equal" : "differs: only "
                                  "left isometries are symmetries");
                free(s2);
            }
        }
    }
out:;
    vf_qmat *all[] = {&x, &w, &a, &b, &pm, &px, &r, &xr};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_qmat_clear(all[i]);
    mpq_clears(v0, v1, v2, NULL);
    return rc;
}

/* ---------------------------------------------------------------- gated MLP (§2.9) */

typedef struct gated_pot {
    const vf_qmat *x, *a, *b, *cm;
} gated_pot;

/* ε¹ coefficient of ⅓ Σ (XA)⊙(XB)⊙(XC) along dir. */
static int gated_dir(mpq_t d1, const void *ctx, const vf_qmat *dir, vf_err *e)
{
    const gated_pot *g = ctx;
    vf_qmpoly x = {0}, pa = {0}, pb = {0}, pc = {0}, xa = {0}, xb = {0}, xc = {0}, h1 = {0},
              h2 = {0};
    int rc;
    if (!(rc = vf_qmpoly_line(&x, g->x, dir, e)) && !(rc = vf_qmpoly_line(&pa, g->a, NULL, e)) &&
        !(rc = vf_qmpoly_line(&pb, g->b, NULL, e)) && !(rc = vf_qmpoly_line(&pc, g->cm, NULL, e)) &&
        !(rc = vf_qmpoly_mul(&xa, &x, &pa, e)) && !(rc = vf_qmpoly_mul(&xb, &x, &pb, e)) &&
        !(rc = vf_qmpoly_mul(&xc, &x, &pc, e)) && !(rc = vf_qmpoly_hadamard(&h1, &xa, &xb, e)) &&
        !(rc = vf_qmpoly_hadamard(&h2, &h1, &xc, e))) {
        mpq_t third;
        mpq_init(third);
        mpq_set_ui(third, 1, 3);
        vf_qmpoly_sum_coef(d1, &h2, 1);
        mpq_mul(d1, d1, third);
        mpq_clear(third);
    }
    vf_qmpoly *all[] = {&x, &pa, &pb, &pc, &xa, &xb, &xc, &h1, &h2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_qmpoly_clear(all[i]);
    return rc;
}

/* out (initialised here) = ((XP)⊙(XQ)) Rᵀ */
static int gated_term(vf_qmat *out, const vf_qmat *x, const vf_qmat *p, const vf_qmat *q,
                      const vf_qmat *r, vf_err *e)
{
    vf_qmat xp = {0}, xq = {0}, rt = {0};
    int rc;
    if (!(rc = fc_mul_new(&xp, x, p, e)) && !(rc = fc_mul_new(&xq, x, q, e)) &&
        !(rc = fc_transpose_new(&rt, r, e))) {
        for (size_t i = 0; i < xp.rows * xp.cols; i++)
            mpq_mul(xp.a[i], xp.a[i], xq.a[i]);
        rc = fc_mul_new(out, &xp, &rt, e);
    }
    vf_qmat_clear(&xp);
    vf_qmat_clear(&xq);
    vf_qmat_clear(&rt);
    return rc;
}

static int gated_trial(fc_ctx *c, int tied, vf_err *e)
{
    vf_qmat x = {0}, a = {0}, b = {0}, cm = {0}, g = {0}, t1 = {0}, t2 = {0}, t3 = {0},
            exact = {0}, mlp = {0};
    int rc;
    if ((rc = gen_x(c, &x, e)) || (rc = fc_param_new(&a, x.cols, c, 10, 0, e)) ||
        (rc = vf_qmat_init(&b, x.cols, x.cols, e)) || (rc = vf_qmat_init(&cm, x.cols, x.cols, e)))
        goto out;
    if (tied) {
        if ((rc = vf_qmat_copy(&b, &a, e)) || (rc = vf_qmat_copy(&cm, &a, e)))
            goto out;
    } else {
        vf_qmat_clear(&b);
        vf_qmat_clear(&cm);
        if ((rc = fc_param_new(&b, x.cols, c, 11, 0, e)) || (rc = fc_param_new(&cm, x.cols, c, 12, 0, e)))
            goto out;
    }
    gated_pot p = {&x, &a, &b, &cm};
    mpq_t third;
    mpq_init(third);
    mpq_set_ui(third, 1, 3);
    /* exact gradient ⅓[((XB)⊙(XC))Aᵀ + ((XA)⊙(XC))Bᵀ + ((XA)⊙(XB))Cᵀ] and the gated MLP
     * ((XA)⊙(XB))Cᵀ (W_gate = A, W_in = B, W_out = C) */
    if (!(rc = vf_q_gradient_by_directions(&g, x.rows, x.cols, gated_dir, &p, e)) &&
        !(rc = gated_term(&t1, &x, &b, &cm, &a, e)) && !(rc = gated_term(&t2, &x, &a, &cm, &b, e)) &&
        !(rc = gated_term(&t3, &x, &a, &b, &cm, e)) &&
        !(rc = vf_qmat_init(&exact, x.rows, x.cols, e)) &&
        !(rc = vf_qmat_add(&exact, &t1, &t2, e)) && !(rc = vf_qmat_add(&exact, &exact, &t3, e)) &&
        !(rc = vf_qmat_scale(&exact, third, &exact, e)) &&
        !(rc = vf_qmat_init(&mlp, x.rows, x.cols, e)) && !(rc = vf_qmat_copy(&mlp, &t3, e))) {
        if (!fc_differ(c, "grad (1/3)sum((XA)o(XB)o(XC)) vs its 3-term closed form", &g, &exact))
            fc_differ(c, "grad V", &g, &mlp);
    }
    mpq_clear(third);
    if (!rc && (c->refuted || c->notes)) {
        fc_note_q(c->r, "X", &x);
        fc_note_q(c->r, "W_gate=A", &a);
        if (!tied) {
            fc_note_q(c->r, "W_in=B", &b);
            fc_note_q(c->r, "W_out=C", &cm);
        }
        fc_note_q(c->r, "exact_gradient", &g);
        if (c->refuted)
            fc_note_q(c->r, "gated_mlp", &mlp);
    }
out:;
    vf_qmat *all[] = {&x, &a, &b, &cm, &g, &t1, &t2, &t3, &exact, &mlp};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_qmat_clear(all[i]);
    return rc;
}

static int gated_untied_trial(fc_ctx *c, vf_err *e) { return gated_trial(c, 0, e); }
static int gated_tied_trial(fc_ctx *c, vf_err *e) { return gated_trial(c, 1, e); }

/* ---------------------------------------------------------------- log-sum-exp potential */

/* Tangent of V_LSE(X) = Σ_j log Σ_k exp([X_q W X_kᵀ]_jk), with X_q = X + ε dq (query slot) and
 * X_k = X + ε dk (key slot); forward mode in MPFI. */
static int lse_dir(mpfi_t out, const vf_qmat *x, const vf_qmat *w, const vf_qmat *dq,
                   const vf_qmat *dk, mpfr_prec_t p, vf_err *e)
{
    vf_dmat xq = {0}, xk = {0}, xkt = {0}, wd = {0}, s1 = {0}, s = {0}, ex = {0}, z = {0},
            lz = {0};
    int rc;
    if (!(rc = vf_dmat_from_q(&xq, x, dq, NULL, p, e)) &&
        !(rc = vf_dmat_from_q(&xk, x, dk, NULL, p, e)) && !(rc = vf_dmat_transpose(&xkt, &xk, e)) &&
        !(rc = vf_dmat_from_q(&wd, w, NULL, NULL, p, e)) && !(rc = vf_dmat_mul(&s1, &xq, &wd, e)) &&
        !(rc = vf_dmat_mul(&s, &s1, &xkt, e)) && !(rc = vf_dmat_exp(&ex, &s, e)) &&
        !(rc = vf_dmat_row_sums(&z, &ex, e)) && !(rc = vf_dmat_log(&lz, &z, e))) {
        mpfi_t v;
        mpfi_init2(v, p);
        vf_dmat_total(v, out, &lz);
        mpfi_clear(v);
    }
    vf_dmat *all[] = {&xq, &xk, &xkt, &wd, &s1, &s, &ex, &z, &lz};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_dmat_clear(all[i]);
    return rc;
}

/* g (n x d, initialised here) encloses the slot derivative of V_LSE, entry by entry. */
static int lse_grad(vf_imat *g, const vf_qmat *x, const vf_qmat *w, unsigned slots,
                    mpfr_prec_t p, vf_err *e)
{
    vf_qmat d = {0};
    int rc = vf_imat_init(g, x->rows, x->cols, p, e);
    if (!rc)
        rc = vf_qmat_init(&d, x->rows, x->cols, e);
    for (size_t i = 0; i < x->rows * x->cols && !rc; i++) {
        mpq_set_ui(d.a[i], 1, 1);
        rc = lse_dir(g->a[i], x, w, (slots & SLOT_X) ? &d : NULL, (slots & SLOT_XT) ? &d : NULL, p,
                     e);
        mpq_set_ui(d.a[i], 0, 1);
    }
    vf_qmat_clear(&d);
    return rc;
}

/* Attention-side matrices, all enclosures at precision p: P = softmax(β XAXᵀ) (row-wise, by the
 * certified kernel, temperature 1/β), and out = P M (or Pᵀ M) for a rational M. */
static int softmax_scores(vf_imat *pm, const vf_qmat *x, const vf_qmat *a, const mpq_t beta,
                          mpfr_prec_t p, vf_err *e)
{
    vf_qmat xa = {0}, xt = {0}, s = {0};
    int rc;
    if (!(rc = fc_mul_new(&xa, x, a, e)) && !(rc = fc_transpose_new(&xt, x, e)) &&
        !(rc = fc_mul_new(&s, &xa, &xt, e)) && !(rc = vf_qmat_scale(&s, beta, &s, e)) &&
        !(rc = vf_imat_init(pm, x->rows, x->rows, p, e))) {
        vf_sm_src src = {.kind = VF_SM_Q, .rows = s.rows, .cols = s.cols, .q = &s};
        rc = vf_ref_softmax(pm, &src, NULL, e);
    }
    vf_qmat_clear(&xa);
    vf_qmat_clear(&xt);
    vf_qmat_clear(&s);
    return rc;
}

static int apply_new(vf_imat *out, const vf_imat *pm, int transpose, const vf_qmat *m,
                     vf_err *e)
{
    vf_imat mi = {0}, pt = {0};
    const vf_imat *left = pm;
    int rc = vf_imat_init(&mi, m->rows, m->cols, pm->prec, e);
    if (!rc)
        rc = vf_imat_from_q(&mi, m, e);
    if (!rc && transpose) {
        if (!(rc = vf_imat_init(&pt, pm->cols, pm->rows, pm->prec, e)))
            for (size_t i = 0; i < pm->rows; i++)
                for (size_t j = 0; j < pm->cols; j++)
                    mpfi_set(VF_I(&pt, j, i), VF_I(pm, i, j));
        left = &pt;
    }
    if (!rc)
        rc = vf_imat_init(out, left->rows, mi.cols, pm->prec, e);
    if (!rc)
        rc = vf_imat_mul(out, left, &mi, e);
    vf_imat_clear(&mi);
    vf_imat_clear(&pt);
    return rc;
}

enum { L_SLOTS, L_FULL_IS_ATTN, L_STAR_IS_ATTN };

static int lse_trial(fc_ctx *c, int which, vf_err *e)
{
    vf_qmat x = {0}, w = {0}, wt = {0}, xw = {0}, xwt = {0};
    vf_imat pm = {0}, gq = {0}, gk = {0}, gf = {0}, pxwt = {0}, ptxw = {0}, pxw = {0}, sum = {0};
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    int rc, sym = which != L_SLOTS;
    if ((rc = gen_x(c, &x, e)) || (rc = fc_param_new(&w, x.cols, c, 10, sym, e)) ||
        (rc = fc_transpose_new(&wt, &w, e)) || (rc = fc_mul_new(&xw, &x, &w, e)) ||
        (rc = fc_mul_new(&xwt, &x, &wt, e)) || (rc = softmax_scores(&pm, &x, &w, one, c->p, e)) ||
        (rc = apply_new(&pxwt, &pm, 0, &xwt, e)) || (rc = apply_new(&ptxw, &pm, 1, &xw, e)) ||
        (rc = apply_new(&pxw, &pm, 0, &xw, e)))
        goto out;
    if (which == L_SLOTS) {
        if ((rc = lse_grad(&gq, &x, &w, SLOT_X, c->p, e)) ||
            (rc = lse_grad(&gk, &x, &w, SLOT_XT, c->p, e)) ||
            (rc = lse_grad(&gf, &x, &w, SLOT_BOTH, c->p, e)) ||
            (rc = vf_imat_init(&sum, x.rows, x.cols, c->p, e)) ||
            (rc = vf_imat_add(&sum, &pxwt, &ptxw, e)))
            goto out;
        if (!fc_resid_mat(c, "D_X V_LSE - P X W^T", &gq, &pxwt) &&
            !fc_resid_mat(c, "D_* V_LSE - P^T X W", &gk, &ptxw))
            fc_resid_mat(c, "grad V_LSE - (P X W^T + P^T X W)", &gf, &sum);
    } else {
        unsigned slots = which == L_FULL_IS_ATTN ? SLOT_BOTH : SLOT_XT;
        if ((rc = lse_grad(&gf, &x, &w, slots, c->p, e)))
            goto out;
        fc_resid_mat(c, which == L_FULL_IS_ATTN ? "grad V_LSE - softmax(XWX^T) X W"
                                                : "D_* V_LSE - softmax(XWX^T) X W",
                     &gf, &pxw);
        if (c->refuted) {
            /* the certified identity the derivative does satisfy, for the reader */
            vf_imat *want = &ptxw;
            if (which == L_FULL_IS_ATTN &&
                !(rc = vf_imat_init(&sum, x.rows, x.cols, c->p, e)) &&
                !(rc = vf_imat_add(&sum, &pxwt, &ptxw, e)))
                want = &sum;
            if (!rc) {
                mpfi_t d;
                mpfi_init2(d, c->p);
                mpfi_sub(d, gf.a[0], want->a[0]);
                char buf[160];
                vf_iv_text(buf, sizeof buf, d);
                vf_claim_note_add(c->r, "what_holds", "%s; entry (0,0) residual %s contains 0",
                                  which == L_FULL_IS_ATTN ? "grad V_LSE = P X W^T + P^T X W"
                                                          : "D_* V_LSE = P^T X W (column-weighted, "
                                                            "not attention)",
                                  buf);
                mpfi_clear(d);
            }
        }
    }
    if (!rc && (c->refuted || c->notes)) {
        fc_note_q(c->r, "X", &x);
        fc_note_q(c->r, sym ? "W (symmetric)" : "W", &w);
        if (c->notes && which == L_SLOTS)
            fc_note_iv(c->r, "D_X_V_00", gq.a[0]);
    }
out:
    mpq_clear(one);
    {
        vf_qmat *q[] = {&x, &w, &wt, &xw, &xwt};
        for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
            vf_qmat_clear(q[i]);
        vf_imat *m[] = {&pm, &gq, &gk, &gf, &pxwt, &ptxw, &pxw, &sum};
        for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
            vf_imat_clear(m[i]);
    }
    return rc;
}

static int lse_slots_trial(fc_ctx *c, vf_err *e) { return lse_trial(c, L_SLOTS, e); }
static int lse_full_trial(fc_ctx *c, vf_err *e) { return lse_trial(c, L_FULL_IS_ATTN, e); }
static int lse_star_trial(fc_ctx *c, vf_err *e) { return lse_trial(c, L_STAR_IS_ATTN, e); }

/* ---------------------------------------------------------------- FU-5 */

/* Tangent of Φ_β(X) = (1/2β) Σ_jk exp(β x_jᵀ A x_k) along dir (both slots). */
static int phi_dir(mpfi_t out, const vf_qmat *x, const vf_qmat *a, const mpq_t beta,
                   const vf_qmat *dir, mpfr_prec_t p, vf_err *e)
{
    vf_dmat xd = {0}, xdt = {0}, ad = {0}, s1 = {0}, s = {0}, bs = {0}, ex = {0};
    int rc;
    if (!(rc = vf_dmat_from_q(&xd, x, dir, NULL, p, e)) && !(rc = vf_dmat_transpose(&xdt, &xd, e)) &&
        !(rc = vf_dmat_from_q(&ad, a, NULL, NULL, p, e)) && !(rc = vf_dmat_mul(&s1, &xd, &ad, e)) &&
        !(rc = vf_dmat_mul(&s, &s1, &xdt, e)) && !(rc = vf_dmat_scale(&bs, beta, &s, e)) &&
        !(rc = vf_dmat_exp(&ex, &bs, e))) {
        mpfi_t v;
        mpfi_init2(v, p);
        vf_dmat_total(v, out, &ex);
        mpfi_div_q(out, out, beta);
        mpfi_div_2ui(out, out, 1);
        mpfi_clear(v);
    }
    vf_dmat *all[] = {&xd, &xdt, &ad, &s1, &s, &bs, &ex};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_dmat_clear(all[i]);
    return rc;
}

static int fu5_trial(fc_ctx *c, vf_err *e)
{
    static const long bnum[3] = {1, 2, 1}, bden[3] = {1, 1, 2};
    vf_qmat x = {0}, a = {0}, xa = {0}, xt = {0}, s = {0}, dir = {0};
    vf_imat pm = {0}, att = {0}, g = {0}, ex = {0};
    mpq_t beta;
    mpq_init(beta);
    mpq_set_ui(beta, (unsigned long)bnum[c->t % 3], (unsigned long)bden[c->t % 3]);
    int rc;
    if ((rc = gen_x(c, &x, e)) || (rc = fc_param_new(&a, x.cols, c, 10, 1, e)) ||
        (rc = softmax_scores(&pm, &x, &a, beta, c->p, e)) || (rc = fc_mul_new(&xa, &x, &a, e)) ||
        (rc = apply_new(&att, &pm, 0, &xa, e)) || (rc = fc_transpose_new(&xt, &x, e)) ||
        (rc = fc_mul_new(&s, &xa, &xt, e)) || (rc = vf_qmat_scale(&s, beta, &s, e)) ||
        (rc = vf_imat_init(&ex, s.rows, s.cols, c->p, e)) || (rc = vf_imat_from_q(&ex, &s, e)) ||
        (rc = vf_imat_exp(&ex, &ex, e)) || (rc = vf_imat_init(&g, x.rows, x.cols, c->p, e)) ||
        (rc = vf_qmat_init(&dir, x.rows, x.cols, e)))
        goto out;
    {
        char *bs = vf_q_str(beta);
        size_t len = strlen(c->label);
        snprintf(c->label + len, sizeof c->label - len, ", beta = %s", bs);
        free(bs);
    }
    /* ∇Φ_β by forward mode, entry by entry; then D^{-1} ∇Φ_β vs softmax(βXAXᵀ) X A */
    mpfi_t dsum, q, r;
    mpfi_init2(dsum, c->p);
    mpfi_init2(q, c->p);
    mpfi_init2(r, c->p);
    for (size_t i = 0; i < x.rows && !rc && !c->refuted; i++) {
        mpfi_set_ui(dsum, 0);
        for (size_t k = 0; k < x.rows; k++)
            mpfi_add(dsum, dsum, VF_I(&ex, i, k));
        for (size_t j = 0; j < x.cols && !rc && !c->refuted; j++) {
            mpq_set_ui(VF_Q(&dir, i, j), 1, 1);
            rc = phi_dir(VF_I(&g, i, j), &x, &a, beta, &dir, c->p, e);
            mpq_set_ui(VF_Q(&dir, i, j), 0, 1);
            mpfi_div(q, VF_I(&g, i, j), dsum);
            mpfi_sub(r, q, VF_I(&att, i, j));
            if (!rc)
                fc_resid(c, "D^-1 grad Phi - softmax(XAX^T) X A", i, j, r);
        }
    }
    mpfi_clear(dsum);
    mpfi_clear(q);
    mpfi_clear(r);
    if (!rc && c->notes) {
        fc_note_q(c->r, "A (symmetric)", &a);
        fc_note_iv(c->r, "grad_Phi_00", g.a[0]);
        fc_note_iv(c->r, "attention_00", att.a[0]);
    }
out:
    mpq_clear(beta);
    {
        vf_qmat *qm[] = {&x, &a, &xa, &xt, &s, &dir};
        for (size_t i = 0; i < sizeof qm / sizeof qm[0]; i++)
            vf_qmat_clear(qm[i]);
        vf_imat *im[] = {&pm, &att, &g, &ex};
        for (size_t i = 0; i < sizeof im / sizeof im[0]; i++)
            vf_imat_clear(im[i]);
    }
    return rc;
}

/* ---------------------------------------------------------------- FU-9 (Lemma 8) */

/* Witness on d x d (d >= 2): M = diag(m), A = a E_ij (i != j), [M, A] = (m_i - m_j) A exactly;
 * exp(M) exp(A) vs exp(M + G(β) A), G(β) = β/(1 - e^{-β}) (G(0) = 1), both by the certified
 * expm, and against the closed form exp(M) (I + A). */
static int fu9_trial(fc_ctx *c, vf_err *e)
{
    size_t d = c->o->d < 2 ? 2 : c->o->d;
    int kind = c->t % N_KINDS;
    vf_qmat m = {0}, a = {0}, ma = {0}, am = {0}, br = {0}, ba = {0}, ms = {0};
    vf_imat mi = {0}, ai = {0}, em = {0}, ea = {0}, lhs = {0}, rhs = {0}, arg = {0}, closed = {0};
    mpq_t beta, q;
    mpq_inits(beta, q, NULL);
    int rc;
    if ((rc = vf_qmat_init(&m, d, d, e)) || (rc = vf_qmat_init(&a, d, d, e)) ||
        (rc = fc_small_new(&ms, d, 1, c, 1, e)))
        goto out;
    size_t i = kind == 3 ? 1 : 0, j = kind == 3 ? 0 : 1; /* kind 3: lower-triangular A */
    for (size_t k = 0; k < d; k++)
        mpq_set(VF_Q(&m, k, k), VF_Q(&ms, k, 0));
    if (kind == 1) /* beta = 0: M and A commute */
        mpq_set(VF_Q(&m, j, j), VF_Q(&m, i, i));
    if (kind == 2) { /* beta = -20: G(beta) ~ 20 e^-20 */
        mpq_set_si(VF_Q(&m, i, i), -10, 1);
        mpq_set_si(VF_Q(&m, j, j), 10, 1);
    }
    mpq_set_ui(VF_Q(&a, i, j), 3, 2);
    mpq_sub(beta, VF_Q(&m, i, i), VF_Q(&m, j, j));
    {
        char *bs = vf_q_str(beta);
        snprintf(c->label, sizeof c->label, "trial %d (M = diag %zux%zu, A = (3/2) E_%zu%zu, "
                 "beta = %s)", c->t, d, d, i, j, bs);
        free(bs);
    }
    /* hypothesis [M, A] = beta A, exactly */
    if ((rc = fc_mul_new(&ma, &m, &a, e)) || (rc = fc_mul_new(&am, &a, &m, e)) ||
        (rc = vf_qmat_init(&br, d, d, e)) || (rc = vf_qmat_sub(&br, &ma, &am, e)) ||
        (rc = vf_qmat_init(&ba, d, d, e)) || (rc = vf_qmat_scale(&ba, beta, &a, e)))
        goto out;
    if (fc_differ(c, "[M, A]", &br, &ba))
        goto out;
    mpfr_prec_t p = c->p;
    if ((rc = vf_imat_init(&mi, d, d, p, e)) || (rc = vf_imat_from_q(&mi, &m, e)) ||
        (rc = vf_imat_init(&ai, d, d, p, e)) || (rc = vf_imat_from_q(&ai, &a, e)) ||
        (rc = vf_imat_init(&em, d, d, p, e)) || (rc = vf_imat_expm(&em, &mi, e)) ||
        (rc = vf_imat_init(&ea, d, d, p, e)) || (rc = vf_imat_expm(&ea, &ai, e)) ||
        (rc = vf_imat_init(&lhs, d, d, p, e)) || (rc = vf_imat_mul(&lhs, &em, &ea, e)) ||
        (rc = vf_imat_init(&arg, d, d, p, e)) || (rc = vf_imat_init(&rhs, d, d, p, e)))
        goto out;
    mpfi_t g, t;
    mpfi_init2(g, p);
    mpfi_init2(t, p);
    if (mpq_sgn(beta) == 0) {
        mpfi_set_ui(g, 1);
    } else { /* G = beta / (1 - e^{-beta}) */
        mpfi_set_q(t, beta);
        mpfi_neg(t, t);
        mpfi_exp(t, t);
        mpfi_ui_sub(t, 1, t);
        mpfi_set_q(g, beta);
        mpfi_div(g, g, t);
    }
    for (size_t k = 0; k < d * d; k++) {
        mpfi_mul(t, ai.a[k], g);
        mpfi_add(arg.a[k], mi.a[k], t);
    }
    if (c->notes)
        fc_note_iv(c->r, "G(beta)", g);
    mpfi_clear(g);
    mpfi_clear(t);
    if ((rc = vf_imat_expm(&rhs, &arg, e)))
        goto out;
    if (fc_resid_mat(c, "exp(M)exp(A) - exp(M + G(beta)A)", &lhs, &rhs))
        goto out;
    /* closed form exp(M)(I + A) (A nilpotent) */
    {
        vf_qmat ia = {0};
        if (!(rc = vf_qmat_init(&ia, d, d, e))) {
            vf_qmat_set_identity(&ia);
            rc = vf_qmat_add(&ia, &ia, &a, e);
        }
        vf_imat iai = {0};
        if (!rc && !(rc = vf_imat_init(&iai, d, d, p, e)) && !(rc = vf_imat_from_q(&iai, &ia, e)) &&
            !(rc = vf_imat_init(&closed, d, d, p, e)) && !(rc = vf_imat_mul(&closed, &em, &iai, e)))
            fc_resid_mat(c, "exp(M + G(beta)A) - exp(M)(I + A)", &rhs, &closed);
        vf_imat_clear(&iai);
        vf_qmat_clear(&ia);
    }
    if (!rc && c->notes)
        fc_note_iv(c->r, "exp(M+GA)_ij", VF_I(&rhs, i, j));
out:
    mpq_clears(beta, q, NULL);
    {
        vf_qmat *qm[] = {&m, &a, &ma, &am, &br, &ba, &ms};
        for (size_t k = 0; k < sizeof qm / sizeof qm[0]; k++)
            vf_qmat_clear(qm[k]);
        vf_imat *im[] = {&mi, &ai, &em, &ea, &lhs, &rhs, &arg, &closed};
        for (size_t k = 0; k < sizeof im / sizeof im[0]; k++)
            vf_imat_clear(im[k]);
    }
    return rc;
}

/* ---------------------------------------------------------------- checkers and table */


CHECKER(check_quartic_derivs, quartic_derivs_trial, 0,
        "D_* Tr(XAX^TXBX^T) = XBX^TXA + XAX^TXB and the 4-term full gradient (exact "
        "directional derivatives along every E_ij)")
CHECKER(check_quartic_heads, quartic_heads_trial, 0,
        "full gradient = 2 x (two linear-attention heads) for arbitrary A, B")
CHECKER(check_quartic_heads_sym, quartic_heads_sym_trial, 0,
        "full gradient = 2 x (XBX^TXA + XAX^TXB) for symmetric A, B")
CHECKER(check_fu2, fu2_trial, 0, "grad[1/2 Tr(XW1X^T) + 1/4 sum_h Tr((XW_hX^T)^2)] = XW1 + "
        "sum_h XW_hX^TXW_h (symmetric W's, 2 heads)")
CHECKER(check_fu3, fu3_trial, 0, "V(PX) = V(X) for rational orthogonal P (Cayley)")
CHECKER(check_gated, gated_untied_trial, 0, "grad (1/3)sum((XA)o(XB)o(XC)) = ((XA)o(XB))C^T")
CHECKER(check_gated_tied, gated_tied_trial, 0,
        "grad (1/3)sum((XA)o(XA)o(XA)) = ((XA)o(XA))A^T (tied weights)")
CHECKER(check_lse_slots, lse_slots_trial, 1,
        "D_X V_LSE = P X W^T, D_* V_LSE = P^T X W, grad V_LSE = P X W^T + P^T X W (forward-mode "
        "MPFI vs certified softmax)")
CHECKER(check_lse_full, lse_full_trial, 1, "grad V_LSE = softmax(XWX^T) X W for symmetric W")
CHECKER(check_lse_star, lse_star_trial, 1, "D_* V_LSE = softmax(XWX^T) X W for symmetric W")
CHECKER(check_fu5, fu5_trial, 1,
        "softmax(beta XAX^T) X A = D^-1 grad Phi_beta, Phi_beta = (1/2beta) sum exp(beta x^TAx'), "
        "A symmetric")
CHECKER(check_fu9, fu9_trial, 1,
        "[M, A] = beta A => exp(M)exp(A) = exp(M + G(beta)A), G(beta) = beta/(1 - e^-beta)")

#define CLAIM(var, idstr, stmt, cls_, exp_, n_, d_, tr, fn)                                      \
    const vf_claim var = {.id = idstr, .statement = stmt, .cls = cls_, .source = SRC,          \
                          .expected = exp_, .default_n = n_, .default_d = d_,                   \
                          .default_trials = tr, .check = fn};

CLAIM(vf_claim_fu_quartic_derivatives, "fu.quartic_derivatives",
      "D_* Tr(XAX^TXBX^T) = XBX^TXA + XAX^TXB and grad = XBX^TXA + XAX^TXB + XB^TX^TXA^T + "
      "XA^TX^TXB^T for any A, B (FU-1, Lemma 3)", VF_CLASS_Q, VF_HELD_EXACT, 4, 3, 4,
      check_quartic_derivs)
CLAIM(vf_claim_fu_quartic_gradient_is_heads, "fu.quartic_gradient_is_heads",
      "The full real gradient of Tr(XAX^TXBX^T) is 2 x the two linear-attention heads "
      "XBX^TXA + XAX^TXB, for arbitrary A, B (false: needs A, B symmetric; FU-1)", VF_CLASS_Q,
      VF_REFUTED, 4, 3, 4, check_quartic_heads)
CLAIM(vf_claim_fu_quartic_gradient_is_heads_symmetric, "fu.quartic_gradient_is_heads_symmetric",
      "For symmetric A, B the full real gradient of Tr(XAX^TXBX^T) is 2(XBX^TXA + XAX^TXB) "
      "(FU-1 under its condition)", VF_CLASS_Q, VF_HELD_EXACT, 4, 3, 4, check_quartic_heads_sym)
CLAIM(vf_claim_fu_quadratic_quartic_potential, "fu.quadratic_quartic_potential",
      "grad[1/2 Tr(XW1X^T) + 1/4 sum_h Tr(XW_hX^TXW_hX^T)] = XW1 + sum_h (XW_hX^T)(XW_h), "
      "W's symmetric: MLP + linear-attention heads (FU-2)", VF_CLASS_Q, VF_HELD_EXACT, 4, 3, 4,
      check_fu2)
CLAIM(vf_claim_fu_left_orthogonal_invariance, "fu.left_orthogonal_invariance",
      "V(PX) = V(X) for every orthogonal (token-side) P: V = Tr(XWX^T) + Tr(XAX^TXBX^T) "
      "depends on X only through X^TX (FU-3, Axiom 2)", VF_CLASS_Q, VF_HELD_EXACT, 4, 3, 4,
      check_fu3)
CLAIM(vf_claim_fu_gated_mlp_potential, "fu.gated_mlp_potential",
      "The gated MLP ((XW_gate)o(XW_in))W_out^T is the gradient of (1/3)sum((XW_gate)o(XW_in)o"
      "(XW_out)) (false for untied weights; THEORY 2.9)", VF_CLASS_Q, VF_REFUTED, 4, 3, 4,
      check_gated)
CLAIM(vf_claim_fu_gated_mlp_potential_tied, "fu.gated_mlp_potential_tied",
      "With tied weights W_gate = W_in = W_out = A, ((XA)o(XA))A^T = grad (1/3)sum((XA)o(XA)o"
      "(XA)) (THEORY 2.9 under its condition)", VF_CLASS_Q, VF_HELD_EXACT, 4, 3, 4,
      check_gated_tied)
CLAIM(vf_claim_fu_lse_slot_derivatives, "fu.lse_slot_derivatives",
      "V_LSE = sum_j LSE_k (XWX^T)_jk: query-slot derivative D_X V = softmax(XWX^T) X W^T "
      "(attention, keys frozen), key slot D_* V = P^T X W, full gradient = their sum (FU-4, "
      "Lemma 7 corrected)", VF_CLASS_T, VF_CERTIFIED, 4, 3, 4, check_lse_slots)
CLAIM(vf_claim_fu_lse_gradient_is_attention, "fu.lse_gradient_is_attention",
      "The full gradient of V_LSE is softmax attention softmax(XWX^T) X W for symmetric W "
      "(false: it is (P + P^T) X W; FU-4)", VF_CLASS_T, VF_REFUTED, 4, 3, 1, check_lse_full)
CLAIM(vf_claim_fu_lse_wirtinger_is_attention, "fu.lse_wirtinger_is_attention",
      "Fu's convention Xdot = dV/dX* (key-slot derivative) of V_LSE gives softmax attention "
      "softmax(XWX^T) X W for symmetric W (false: it gives P^T X W; FU-4, Lemma 7)", VF_CLASS_T,
      VF_REFUTED, 4, 3, 1, check_lse_star)
CLAIM(vf_claim_fu_softmax_preconditioned_gradient, "fu.softmax_preconditioned_gradient",
      "Softmax attention is the row-normaliser-preconditioned gradient of an interaction "
      "energy: softmax(beta XAX^T) X A = D^-1 grad Phi_beta, D = diag(exp(beta XAX^T) 1), "
      "A symmetric (FU-5)", VF_CLASS_T, VF_CERTIFIED, 4, 3, 4, check_fu5)
CLAIM(vf_claim_fu_bch_gate, "fu.bch_gate",
      "Lemma 8: [M, A] = beta A implies exp(M) exp(A) = exp(M + G(beta) A), G(beta) = beta/(1 - "
      "e^-beta); exact witness M diagonal, A = a E_ij (FU-9)", VF_CLASS_T, VF_CERTIFIED, 4, 2, 4,
      check_fu9)
