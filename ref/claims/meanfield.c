/* meanfield.c — mean-field dynamics of Transformers on the sphere (THEORY.md §4, MF-1..6) and the
 * modern Hopfield energy (§1.4).
 *
 * Tokens are rational points of the unit sphere (Pythagorean: inverse stereographic projection,
 * ‖x_i‖² = 1 exactly).  Velocities of SA and USA are enclosed in MPFI (exp of the exact Gram
 * entries); identities are certified residuals, inequalities (dE/dt >= 0, Hopfield descent) are
 * proved when the enclosure lies in [0, inf), tight when it straddles 0 (equilibria), refuted
 * when it lies below 0.  Gradients of the energy E_β come from forward-mode dual intervals
 * (vf_dmat), independently of the velocity formulas.  The critical-scaling results (MF-4, MF-5)
 * are exact in mpq: at β_n = γ log n with γ(1 - ρ) = k the equiangular weights are
 * a = n^k/(n^k + n - 1), b = 1/(n^k + n - 1) (k = 1/2 with n a perfect square is rational too).
 *
 * Instances (--seed, --n tokens, --d dimension): trial kinds per claim (random points, β = 0,
 * an antipodal pair, n = 1, coincident tokens, large β).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields_common.h"
#include "registry.h"
#include "vf_meanfield.h"
#include "vf_potential.h"
#include "vf_qgen.h"
#include "vf_rng.h"
#include "vf_softmax.h"

#define SRC_MF "Rigollet, The Mean-Field Dynamics of Transformers (arXiv 2512.01868; THEORY.md 4)"
#define SRC_HOP "Modern Hopfield energy, attention update (THEORY.md 1.4, 2.5)"
#define N_KINDS 6
#define HOP_STEPS 4

/* ---------------------------------------------------------------- sphere instances */

static const char *const kind_names[N_KINDS] = {"random points, beta = 1", "beta = 0 (Kuramoto)",
                                                 "antipodal pair x_1 = -x_0, beta = 1",
                                                 "n = 1, beta = 1", "coincident x_1 = x_0, beta = 1",
                                                 "beta = 9/2"};

/* Tokens (n x d rows on S^{d-1}) and β of trial c->t. */
static int sphere_instance(fc_ctx *c, vf_qmat *x, mpq_t beta, vf_err *e)
{
    int k = c->t % N_KINDS;
    size_t n = k == 3 ? 1 : c->o->n, d = c->o->d;
    vf_qmat u = {0};
    int rc;
    if ((rc = vf_qmat_init(x, n, d, e)) || (rc = vf_qmat_init(&u, d, 1, e)))
        goto out;
    for (size_t i = 0; i < n && !rc; i++) {
        if (!(rc = vf_qgen_unit_vector(&u, c->o->seed, 100u * (uint64_t)c->t + i, e)))
            for (size_t j = 0; j < d; j++)
                mpq_set(VF_Q(x, i, j), VF_Q(&u, j, 0));
    }
    if (n >= 2 && (k == 2 || k == 4))
        for (size_t j = 0; j < d; j++) {
            mpq_set(VF_Q(x, 1, j), VF_Q(x, 0, j));
            if (k == 2)
                mpq_neg(VF_Q(x, 1, j), VF_Q(x, 1, j));
        }
    mpq_set_ui(beta, k == 1 ? 0 : k == 5 ? 9 : 1, k == 5 ? 2 : 1);
    snprintf(c->label, sizeof c->label, "trial %d (%s, n = %zu, d = %zu)", c->t, kind_names[k], n,
             d);
out:
    vf_qmat_clear(&u);
    return rc;
}

/* ‖x_i‖² = 1 exactly for every row (hypothesis of the sphere models). */
static int require_sphere(const vf_qmat *x, vf_err *e)
{
    mpq_t s, t;
    mpq_inits(s, t, NULL);
    int rc = VF_OK;
    for (size_t i = 0; i < x->rows && !rc; i++) {
        mpq_set_ui(s, 0, 1);
        for (size_t j = 0; j < x->cols; j++) {
            mpq_mul(t, VF_Q(x, i, j), VF_Q(x, i, j));
            mpq_add(s, s, t);
        }
        if (mpq_cmp_ui(s, 1, 1) != 0)
            rc = vf_fail(e, VF_E_DOMAIN, "token %zu is not on the unit sphere", i);
    }
    mpq_clears(s, t, NULL);
    return rc;
}

/* Velocities (n x d, initialised here): SA (sa = 1) or USA (vf_meanfield.h), with the weights
 * e^{β<x_i,x_j>} enclosed from the exact rational Gram matrix. */
static int velocity(vf_imat *v, const vf_qmat *x, const mpq_t beta, int sa, mpfr_prec_t p,
                    vf_err *e)
{
    size_t n = x->rows, d = x->cols;
    vf_qmat xt = {0}, g = {0};
    vf_imat w = {0}, xi = {0};
    int rc;
    if (!(rc = fc_transpose_new(&xt, x, e)) && !(rc = fc_mul_new(&g, x, &xt, e)) &&
        !(rc = vf_qmat_scale(&g, beta, &g, e)) && !(rc = vf_imat_init(&w, n, n, p, e)) &&
        !(rc = vf_imat_from_q(&w, &g, e)) && !(rc = vf_imat_exp(&w, &w, e)) &&
        !(rc = vf_imat_init(&xi, n, d, p, e)) && !(rc = vf_imat_from_q(&xi, x, e)))
        rc = vf_mf_velocity_w(v, &xi, &w, sa, e);
    vf_qmat_clear(&xt);
    vf_qmat_clear(&g);
    vf_imat_clear(&w);
    vf_imat_clear(&xi);
    return rc;
}

/* Tangent of E_β(X) = (1/(2βn²)) Σ_ij e^{β<x_i,x_j>} (β = 0: (1/(2n²)) Σ_ij <x_i,x_j>, the limit
 * up to a constant) along a rational (dq) or interval (di) direction. */
static int energy_dir(mpfi_t out, const vf_qmat *x, const mpq_t beta, const vf_qmat *dq,
                      const vf_imat *di, mpfr_prec_t p, vf_err *e)
{
    vf_dmat xd = {0}, xdt = {0}, g = {0}, bg = {0}, ex = {0};
    int rc, b0 = mpq_sgn(beta) == 0;
    if (!(rc = vf_dmat_from_q(&xd, x, dq, di, p, e)) && !(rc = vf_dmat_transpose(&xdt, &xd, e)) &&
        !(rc = vf_dmat_mul(&g, &xd, &xdt, e)) && !(rc = vf_dmat_scale(&bg, beta, &g, e)) &&
        !(rc = vf_dmat_exp(&ex, &bg, e))) {
        mpfi_t v;
        mpfi_init2(v, p);
        vf_dmat_total(v, out, b0 ? &g : &ex);
        vf_mf_energy_normalise(out, beta, x->rows);
        mpfi_clear(v);
    }
    vf_dmat *all[] = {&xd, &xdt, &g, &bg, &ex};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_dmat_clear(all[i]);
    return rc;
}

/* ---------------------------------------------------------------- MF-1 */

static int mf1_trial(fc_ctx *c, vf_err *e)
{
    vf_qmat x = {0};
    vf_imat v = {0}, xi = {0};
    mpq_t beta;
    mpq_init(beta);
    int rc;
    if ((rc = sphere_instance(c, &x, beta, e)) || (rc = require_sphere(&x, e)) ||
        (rc = vf_imat_init(&xi, x.rows, x.cols, c->p, e)) || (rc = vf_imat_from_q(&xi, &x, e)))
        goto out;
    mpfi_t s, t;
    mpfi_init2(s, c->p);
    mpfi_init2(t, c->p);
    for (int sa = 0; sa < 2 && !rc && !c->refuted; sa++) {
        vf_imat_clear(&v);
        if ((rc = velocity(&v, &x, beta, sa, c->p, e)))
            break;
        for (size_t i = 0; i < x.rows && !c->refuted; i++) {
            mpfi_set_ui(s, 0);
            for (size_t j = 0; j < x.cols; j++) {
                mpfi_mul(t, VF_I(&v, i, j), VF_I(&xi, i, j));
                mpfi_add(s, s, t);
            }
            fc_resid(c, sa ? "SA <x_i, xdot_i>" : "USA <x_i, xdot_i>", i, 0, s);
        }
    }
    mpfi_clear(s);
    mpfi_clear(t);
    if (!rc && c->notes) {
        fc_note_q(c->r, "X_trial0", &x);
        vf_claim_note_add(c->r, "sphere", "|x_i|^2 = 1 exactly (Pythagorean rational points)");
    }
out:
    mpq_clear(beta);
    vf_qmat_clear(&x);
    vf_imat_clear(&v);
    vf_imat_clear(&xi);
    return rc;
}

/* ---------------------------------------------------------------- MF-2 */

/* USA = n grad E_β and SA = (n²/Z_i) grad E_β (Riemannian gradients from forward mode). */
static int mf2_grad_trial(fc_ctx *c, vf_err *e)
{
    vf_qmat x = {0}, dir = {0}, xt = {0}, gq = {0};
    vf_imat vs = {0}, vu = {0}, g = {0}, ex = {0};
    mpq_t beta;
    mpq_init(beta);
    int rc;
    if ((rc = sphere_instance(c, &x, beta, e)) || (rc = require_sphere(&x, e)) ||
        (rc = velocity(&vs, &x, beta, 1, c->p, e)) || (rc = velocity(&vu, &x, beta, 0, c->p, e)) ||
        (rc = vf_qmat_init(&dir, x.rows, x.cols, e)) ||
        (rc = vf_imat_init(&g, x.rows, x.cols, c->p, e)) || (rc = fc_transpose_new(&xt, &x, e)) ||
        (rc = fc_mul_new(&gq, &x, &xt, e)) || (rc = vf_qmat_scale(&gq, beta, &gq, e)) ||
        (rc = vf_imat_init(&ex, x.rows, x.rows, c->p, e)) || (rc = vf_imat_from_q(&ex, &gq, e)) ||
        (rc = vf_imat_exp(&ex, &ex, e)))
        goto out;
    for (size_t i = 0; i < x.rows * x.cols && !rc; i++) {
        mpq_set_ui(dir.a[i], 1, 1);
        rc = energy_dir(g.a[i], &x, beta, &dir, NULL, c->p, e);
        mpq_set_ui(dir.a[i], 0, 1);
    }
    mpfi_t s, t, z;
    mpfi_init2(s, c->p);
    mpfi_init2(t, c->p);
    mpfi_init2(z, c->p);
    size_t n = x.rows;
    for (size_t i = 0; i < n && !rc && !c->refuted; i++) {
        mpfi_set_ui(s, 0); /* <x_i, g_i> */
        for (size_t j = 0; j < x.cols; j++) {
            mpfi_mul_q(t, VF_I(&g, i, j), VF_Q(&x, i, j));
            mpfi_add(s, s, t);
        }
        mpfi_set_ui(z, 0);
        for (size_t j = 0; j < n; j++)
            mpfi_add(z, z, VF_I(&ex, i, j));
        for (size_t j = 0; j < x.cols && !c->refuted; j++) {
            mpfi_mul_q(t, s, VF_Q(&x, i, j));
            mpfi_sub(t, VF_I(&g, i, j), t); /* Riemannian gradient entry */
            mpfi_mul_ui(t, t, (unsigned long)n);
            mpfi_sub(s, VF_I(&vu, i, j), t);
            fc_resid(c, "USA xdot - n grad E", i, j, s);
            mpfi_mul_ui(t, t, (unsigned long)n);
            mpfi_div(t, t, z);
            mpfi_sub(s, VF_I(&vs, i, j), t);
            fc_resid(c, "SA xdot - (n^2/Z_i) grad E", i, j, s);
            /* restore <x_i, g_i> for the next column */
            mpfi_set_ui(s, 0);
            for (size_t k = 0; k < x.cols; k++) {
                mpfi_mul_q(t, VF_I(&g, i, k), VF_Q(&x, i, k));
                mpfi_add(s, s, t);
            }
        }
    }
    mpfi_clear(s);
    mpfi_clear(t);
    mpfi_clear(z);
out:
    mpq_clear(beta);
    {
        vf_qmat *q[] = {&x, &dir, &xt, &gq};
        fc_clear_q(q, 4);
        vf_imat *m[] = {&vs, &vu, &g, &ex};
        for (size_t i = 0; i < 4; i++)
            vf_imat_clear(m[i]);
    }
    return rc;
}

/* dE_β/dt along SA and USA: tangent of E_β in the direction of the velocity field, >= 0. */
static int mf2_monotone_trial(fc_ctx *c, vf_err *e)
{
    vf_qmat x = {0};
    vf_imat v = {0};
    mpq_t beta;
    mpq_init(beta);
    mpfi_t de;
    mpfi_init2(de, c->p);
    int rc;
    if ((rc = sphere_instance(c, &x, beta, e)) || (rc = require_sphere(&x, e)))
        goto out;
    for (int sa = 1; sa >= 0 && !rc && !c->refuted; sa--) {
        vf_imat_clear(&v);
        if ((rc = velocity(&v, &x, beta, sa, c->p, e)) ||
            (rc = energy_dir(de, &x, beta, NULL, &v, c->p, e)))
            break;
        fc_ineq(c, sa ? "dE/dt along SA" : "dE/dt along USA", 0, 0, de);
        if (c->notes)
            fc_note_iv(c->r, sa ? "dE/dt_SA_trial0" : "dE/dt_USA_trial0", de);
    }
out:
    mpfi_clear(de);
    mpq_clear(beta);
    vf_qmat_clear(&x);
    vf_imat_clear(&v);
    return rc;
}

/* ---------------------------------------------------------------- MF-3 equiangular */

static int mf3_trial(fc_ctx *c, vf_err *e)
{
    static const unsigned long pa[5] = {3, 4, 5, 0, 1}, pb[5] = {4, 3, 12, 1, 0},
                               pc[5] = {5, 5, 13, 1, 1};
    static const long bn[3] = {1, 0, 5}, bd[3] = {1, 1, 2};
    int k = c->t % 5;
    size_t n = c->o->n < 2 ? 2 : c->o->n, d = n + 1;
    vf_qmat x0 = {0}, r = {0}, x = {0};
    vf_imat v = {0}, xi = {0};
    mpq_t beta, rho, sa_, sb_;
    mpq_inits(beta, rho, sa_, sb_, NULL);
    mpq_set_si(beta, bn[c->t % 3], (unsigned long)bd[c->t % 3]);
    mpq_set_ui(sa_, pa[k], pc[k]);
    mpq_set_ui(sb_, pb[k], pc[k]);
    mpq_mul(rho, sa_, sa_);
    {
        char *rs = vf_q_str(rho), *bs = vf_q_str(beta);
        snprintf(c->label, sizeof c->label, "trial %d (equiangular rho = %s, n = %zu, d = %zu, "
                 "beta = %s, rotated by a rational orthogonal R)", c->t, rs, n, d, bs);
        free(rs);
        free(bs);
    }
    int rc;
    /* x_i = sqrt(rho) e_0 + sqrt(1 - rho) e_{i+1}, then rotated */
    if ((rc = vf_qmat_init(&x0, n, d, e)) || (rc = vf_qmat_init(&r, d, d, e)) ||
        (rc = vf_qgen_orthogonal(&r, c->o->seed, 7000u + (uint64_t)c->t, e)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        mpq_set(VF_Q(&x0, i, 0), sa_);
        mpq_set(VF_Q(&x0, i, i + 1), sb_);
    }
    if ((rc = fc_mul_new(&x, &x0, &r, e)) || (rc = require_sphere(&x, e)) ||
        (rc = vf_imat_init(&xi, n, d, c->p, e)) || (rc = vf_imat_from_q(&xi, &x, e)))
        goto out;
    mpfi_t eb, ebr, f, t, s, dot;
    mpfi_init2(eb, c->p);
    mpfi_init2(ebr, c->p);
    mpfi_init2(f, c->p);
    mpfi_init2(t, c->p);
    mpfi_init2(s, c->p);
    mpfi_init2(dot, c->p);
    mpfi_set_q(eb, beta);
    mpfi_exp(eb, eb);
    mpfi_set_q(ebr, beta);
    mpfi_mul_q(ebr, ebr, rho);
    mpfi_exp(ebr, ebr);
    for (int sa = 1; sa >= 0 && !rc && !c->refuted; sa--) {
        /* formula: 2 e^{βρ}(1-ρ)((n-1)ρ+1) / (e^β + (n-1)e^{βρ})  (SA),  (2/n) e^{βρ}(...) (USA) */
        mpq_t q;
        mpq_init(q);
        mpq_set_ui(q, (unsigned long)(n - 1), 1);
        mpq_mul(q, q, rho);
        mpq_set_ui(sa_, 1, 1);
        mpq_add(q, q, sa_);
        mpq_sub(sb_, sa_, rho);
        mpq_mul(q, q, sb_);
        mpfi_mul_q(f, ebr, q);
        mpfi_mul_ui(f, f, 2);
        if (sa) {
            mpfi_mul_ui(t, ebr, (unsigned long)(n - 1));
            mpfi_add(t, t, eb);
            mpfi_div(f, f, t);
        } else {
            mpfi_div_ui(f, f, (unsigned long)n);
        }
        mpq_clear(q);
        vf_imat_clear(&v);
        if ((rc = velocity(&v, &x, beta, sa, c->p, e)))
            break;
        for (size_t i = 0; i < n && !c->refuted; i++)
            for (size_t j = 0; j < n && !c->refuted; j++) {
                /* i != j: rho_dot = <v_i, x_j> + <x_i, v_j>;  i == j: <v_i, x_i> = 0 */
                mpfi_set_ui(dot, 0);
                for (size_t l = 0; l < d; l++) {
                    mpfi_mul(t, VF_I(&v, i, l), VF_I(&xi, j, l));
                    mpfi_add(dot, dot, t);
                    if (i != j) {
                        mpfi_mul(t, VF_I(&xi, i, l), VF_I(&v, j, l));
                        mpfi_add(dot, dot, t);
                    }
                }
                if (i != j)
                    mpfi_sub(dot, dot, f);
                fc_resid(c, i == j ? "<xdot_i, x_i>"
                                   : (sa ? "SA rho_dot(direct) - formula"
                                         : "USA rho_dot(direct) - formula"),
                         i, j, dot);
            }
        if (c->notes)
            fc_note_iv(c->r, sa ? "rho_dot_SA_trial0" : "rho_dot_USA_trial0", f);
    }
    mpfi_clear(eb);
    mpfi_clear(ebr);
    mpfi_clear(f);
    mpfi_clear(t);
    mpfi_clear(s);
    mpfi_clear(dot);
out:
    mpq_clears(beta, rho, sa_, sb_, NULL);
    {
        vf_qmat *q[] = {&x0, &r, &x};
        fc_clear_q(q, 3);
    }
    vf_imat_clear(&v);
    vf_imat_clear(&xi);
    return rc;
}

/* ---------------------------------------------------------------- MF-4, MF-5 (exact) */

/* Equiangular one-layer correlation: ν = n^{γ(1-ρ)}, a = ν/(ν + n - 1), b = 1/(ν + n - 1),
 * c = a - b + α, s₁ = 1 + (n-1)ρ, s₂ = n s₁;  ρ' = (c²ρ + 2cb s₁ + b² s₂)/(c² + 2cb s₁ + b² s₂).
 * Returns 0 when the denominator (= ‖ATT(x_i)‖²) is 0 (direction undefined). */
static int rho_prime(mpq_t out, const mpq_t nu, unsigned long n, const mpq_t rho,
                     const mpq_t alpha, mpq_t a, mpq_t b, mpq_t cc)
{
    mpq_t s1, s2, num, den, t;
    mpq_inits(s1, s2, num, den, t, NULL);
    mpq_set_ui(t, n - 1, 1);
    mpq_add(den, nu, t);
    mpq_div(a, nu, den);
    mpq_inv(b, den);
    mpq_sub(cc, a, b);
    mpq_add(cc, cc, alpha);
    mpq_mul(s1, t, rho);
    mpq_set_ui(t, 1, 1);
    mpq_add(s1, s1, t);
    mpq_set_ui(t, n, 1);
    mpq_mul(s2, s1, t);
    mpq_mul(t, cc, b); /* 2cb s1 + b² s2 */
    mpq_mul(t, t, s1);
    mpq_add(t, t, t);
    mpq_mul(den, b, b);
    mpq_mul(den, den, s2);
    mpq_add(den, den, t);
    mpq_set(num, den);
    mpq_mul(t, cc, cc);
    mpq_add(den, den, t);
    mpq_mul(t, t, rho);
    mpq_add(num, num, t);
    int ok = mpq_sgn(den) != 0;
    if (ok)
        mpq_div(out, num, den);
    mpq_clears(s1, s2, num, den, t, NULL);
    return ok;
}

/* Independent route for small n: ρ' = M_01 / M_00 with M = A G Aᵀ, A = c I + b J (+ no
 * residual: α folded into c), G = (1 - ρ) I + ρ J — exact matrices. */
static int rho_prime_direct(mpq_t out, unsigned long n, const mpq_t rho, const mpq_t b,
                            const mpq_t cc, vf_err *e)
{
    vf_qmat a = {0}, g = {0}, at = {0}, ag = {0}, m = {0};
    int rc;
    if ((rc = vf_qmat_init(&a, n, n, e)) || (rc = vf_qmat_init(&g, n, n, e)))
        goto out;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            mpq_set(VF_Q(&a, i, j), b);
            if (i == j) {
                mpq_add(VF_Q(&a, i, j), VF_Q(&a, i, j), cc);
                mpq_set_ui(VF_Q(&g, i, j), 1, 1);
            } else {
                mpq_set(VF_Q(&g, i, j), rho);
            }
        }
    if ((rc = fc_transpose_new(&at, &a, e)) || (rc = fc_mul_new(&ag, &a, &g, e)) ||
        (rc = fc_mul_new(&m, &ag, &at, e)))
        goto out;
    if (mpq_sgn(VF_Q(&m, 0, 0)) == 0)
        rc = vf_fail(e, VF_E_DOMAIN, "attention output is 0: direction undefined");
    else
        mpq_div(out, VF_Q(&m, 0, 1), VF_Q(&m, 0, 0));
out:
    {
        vf_qmat *q[] = {&a, &g, &at, &ag, &m};
        fc_clear_q(q, 5);
    }
    return rc;
}

static void q_decimal(char *buf, size_t len, const mpq_t q)
{
    mpf_t f;
    mpf_init2(f, 128);
    mpf_set_q(f, q);
    gmp_snprintf(buf, len, "%.12Ff", f);
    mpf_clear(f);
}

static int mf4_trial(fc_ctx *c, vf_err *e)
{
    static const unsigned long rn[3] = {1, 1, 1}, rd[3] = {3, 2, 5};
    /* regimes: k = γ(1-ρ) = 1/2 (n perfect squares), 1 (critical), 2 */
    static const unsigned long ns[3][3] = {{100, 10000, 1000000}, {10, 1000, 1000000},
                                           {10, 1000, 1000000}};
    static const char *const regime[3] = {"sub-critical k = 1/2, limit 1",
                                          "critical k = 1, limit 4rho/(1+3rho)",
                                          "super-critical k = 2, limit rho"};
    mpq_t rho, alpha, nu, rp, a, b, cc, lim, gap, prev, direct, t;
    mpq_inits(rho, alpha, nu, rp, a, b, cc, lim, gap, prev, direct, t, NULL);
    mpq_set_ui(rho, rn[c->t % 3], rd[c->t % 3]);
    char *rs = vf_q_str(rho);
    snprintf(c->label, sizeof c->label, "trial %d (rho = %s)", c->t, rs);
    free(rs);
    int rc = VF_OK;
    char line[3][300];
    for (int reg = 0; reg < 3 && !rc && !c->refuted; reg++) {
        if (reg == 0)
            mpq_set_ui(lim, 1, 1);
        else if (reg == 1) { /* 4ρ/(1+3ρ) */
            mpq_set_ui(t, 3, 1);
            mpq_mul(t, t, rho);
            mpq_set_ui(lim, 1, 1);
            mpq_add(t, t, lim);
            mpq_set_ui(lim, 4, 1);
            mpq_mul(lim, lim, rho);
            mpq_div(lim, lim, t);
        } else
            mpq_set(lim, rho);
        size_t used = (size_t)snprintf(line[reg], sizeof line[reg], "%s:", regime[reg]);
        for (int m = 0; m < 3 && !rc && !c->refuted; m++) {
            unsigned long n = ns[reg][m];
            mpz_t z;
            mpz_init(z);
            if (reg == 0) {
                mpz_set_ui(z, n);
                mpz_sqrt(z, z);
            } else {
                mpz_ui_pow_ui(z, n, (unsigned long)reg);
            }
            mpq_set_z(nu, z);
            mpz_clear(z);
            rho_prime(rp, nu, n, rho, alpha, a, b, cc);
            /* the weights of the theorem: A_ii = 1/(1 + (n-1) n^{-k}) */
            mpq_set_ui(t, n - 1, 1);
            mpq_div(t, t, nu);
            mpq_set_ui(direct, 1, 1);
            mpq_add(t, t, direct);
            mpq_inv(t, t);
            if (fc_differ_q(c, "A_ii", a, t))
                break;
            if (n <= 100 && !(rc = rho_prime_direct(direct, n, rho, b, cc, e)) &&
                fc_differ_q(c, "rho' (closed form vs A G A^T)", rp, direct))
                break;
            mpq_sub(gap, rp, lim);
            mpq_abs(gap, gap);
            if (m > 0 && mpq_cmp(gap, prev) >= 0) {
                fc_differ_q(c, "|rho'(n) - limit| (must shrink as n grows)", gap, prev);
                break;
            }
            mpq_set(prev, gap);
            if (mpq_cmp(rp, rho) < 0)
                fc_differ_q(c, "rho' (contraction rho' >= rho)", rp, rho);
            char dec[64];
            q_decimal(dec, sizeof dec, rp);
            if (used < sizeof line[reg])
                used += (size_t)snprintf(line[reg] + used, sizeof line[reg] - used,
                                         " n=%lu: %s", n, dec);
            if (c->notes && reg == 1 && m == 0) {
                char *s = vf_q_str(rp);
                vf_claim_note_add(c->r, "critical_n10_exact", "rho' = %s (a = %lu/%lu, b = 1/%lu)",
                                  s, n, 2 * n - 1, 2 * n - 1);
                free(s);
            }
        }
        if (!rc && !c->refuted && c->notes) {
            char key[32], dl[64];
            q_decimal(dl, sizeof dl, lim);
            snprintf(key, sizeof key, "regime_%d", reg);
            vf_claim_note_add(c->r, key, "%s -> %s", line[reg], dl);
        }
    }
    mpq_clears(rho, alpha, nu, rp, a, b, cc, lim, gap, prev, direct, t, NULL);
    return rc;
}

static int mf5_trial(fc_ctx *c, vf_err *e)
{
    static const unsigned long alphas_n[4] = {0, 1, 1, 3}, alphas_d[4] = {1, 2, 1, 7};
    uint64_t s = c->o->seed, tn = 9000u + (uint64_t)c->t;
    unsigned long n = (unsigned long)vf_rng_int(s, tn, 0, 2, 40);
    int kind = c->t % 8;
    unsigned long kk = (unsigned long)vf_rng_int(s, tn, 1, 0, 3);
    mpq_t rho, alpha, nu, rp, a, b, cc, kq, t, u, lhs, rhs, one;
    mpq_inits(rho, alpha, nu, rp, a, b, cc, kq, t, u, lhs, rhs, one, NULL);
    mpq_set_ui(one, 1, 1);
    /* ρ uniform-ish rational in [-1/(n-1), 1]; kinds 6, 7: the endpoints */
    long num = vf_rng_int(s, tn, 2, 0, 1000);
    mpq_set_si(t, -1, n - 1);
    mpq_set_ui(u, (unsigned long)num, 1000);
    mpq_canonicalize(u);
    mpq_sub(rho, one, t);
    mpq_mul(rho, rho, u);
    mpq_add(rho, rho, t);
    if (kind == 6)
        mpq_set(rho, t);
    if (kind == 7) { /* coincident tokens: every weight is 1/n whatever beta (nu = 1) */
        mpq_set(rho, one);
        kk = 0;
    }
    mpq_set_ui(alpha, alphas_n[c->t % 4], alphas_d[c->t % 4]);
    mpz_t z;
    mpz_init(z);
    mpz_ui_pow_ui(z, n, kk);
    mpq_set_z(nu, z);
    mpz_clear(z);
    {
        char *rs = vf_q_str(rho), *as = vf_q_str(alpha);
        snprintf(c->label, sizeof c->label, "trial %d (n = %lu, rho = %s, k = gamma(1-rho) = %lu, "
                 "alpha = %s)", c->t, n, rs, kk, as);
        free(rs);
        free(as);
    }
    int rc = VF_OK;
    if (!rho_prime(rp, nu, n, rho, alpha, a, b, cc)) {
        /* ATT(x_i) = 0: only when c = 0 and s₁ = 0 — no direction, nothing to contract */
        if (c->notes)
            vf_claim_note_add(c->r, "degenerate", "%s: attention output 0", c->label);
        goto out;
    }
    /* K = b s₁ (2c + b n);  ρ' - ρ = K(1 - ρ)/(c² + K) */
    mpq_set_ui(t, n - 1, 1);
    mpq_mul(t, t, rho);
    mpq_add(t, t, one); /* s1 */
    mpq_set_ui(u, n, 1);
    mpq_mul(u, u, b);
    mpq_add(u, u, cc);
    mpq_add(u, u, cc); /* 2c + bn */
    mpq_mul(kq, b, t);
    mpq_mul(kq, kq, u);
    mpq_sub(lhs, rp, rho);
    mpq_sub(t, one, rho);
    mpq_mul(rhs, kq, t);
    mpq_mul(u, cc, cc);
    mpq_add(u, u, kq);
    mpq_div(rhs, rhs, u);
    if (fc_differ_q(c, "rho' - rho", lhs, rhs))
        goto out;
    if (mpq_sgn(lhs) < 0) {
        mpq_set_ui(t, 0, 1);
        fc_differ_q(c, "rho' - rho (must be >= 0)", lhs, t);
        goto out;
    }
    if (n <= 12 && mpq_sgn(alpha) == 0 && !(rc = rho_prime_direct(t, n, rho, b, cc, e)))
        fc_differ_q(c, "rho' (closed form vs A G A^T)", rp, t);
out:
    mpq_clears(rho, alpha, nu, rp, a, b, cc, kq, t, u, lhs, rhs, one, NULL);
    return rc;
}

/* ---------------------------------------------------------------- MF-6 */

static int mf6_trial(fc_ctx *c, vf_err *e)
{
    vf_qmat x = {0}, r = {0}, rt = {0}, xr = {0}, px = {0};
    vf_imat v = {0}, vr = {0}, vp = {0}, rti = {0}, want = {0};
    mpq_t beta;
    mpq_init(beta);
    int rc;
    if ((rc = sphere_instance(c, &x, beta, e)) || (rc = require_sphere(&x, e)) ||
        (rc = vf_qmat_init(&r, x.cols, x.cols, e)) ||
        (rc = vf_qgen_orthogonal(&r, c->o->seed, 8000u + (uint64_t)c->t, e)) ||
        (rc = fc_transpose_new(&rt, &r, e)) || (rc = fc_mul_new(&xr, &x, &rt, e)) ||
        (rc = vf_qmat_init(&px, x.rows, x.cols, e)) ||
        (rc = vf_imat_init(&rti, x.cols, x.cols, c->p, e)) || (rc = vf_imat_from_q(&rti, &rt, e)))
        goto out;
    for (size_t i = 0; i < x.rows; i++) /* cyclic shift of the tokens */
        for (size_t j = 0; j < x.cols; j++)
            mpq_set(VF_Q(&px, i, j), VF_Q(&x, (i + 1) % x.rows, j));
    for (int sa = 0; sa < 2 && !rc && !c->refuted; sa++) {
        vf_imat_clear(&v);
        vf_imat_clear(&vr);
        vf_imat_clear(&vp);
        vf_imat_clear(&want);
        if ((rc = velocity(&v, &x, beta, sa, c->p, e)) ||
            (rc = velocity(&vr, &xr, beta, sa, c->p, e)) ||
            (rc = velocity(&vp, &px, beta, sa, c->p, e)) ||
            (rc = vf_imat_init(&want, x.rows, x.cols, c->p, e)) ||
            (rc = vf_imat_mul(&want, &v, &rti, e)))
            break;
        if (fc_resid_mat(c, sa ? "SA v(Rx) - R v(x)" : "USA v(Rx) - R v(x)", &vr, &want))
            break;
        for (size_t i = 0; i < x.rows; i++)
            for (size_t j = 0; j < x.cols; j++)
                mpfi_set(VF_I(&want, i, j), VF_I(&v, (i + 1) % x.rows, j));
        fc_resid_mat(c, sa ? "SA v(pi x) - pi v(x)" : "USA v(pi x) - pi v(x)", &vp, &want);
    }
    if (!rc && c->notes)
        fc_note_q(c->r, "R", &r);
out:
    mpq_clear(beta);
    {
        vf_qmat *q[] = {&x, &r, &rt, &xr, &px};
        fc_clear_q(q, 5);
        vf_imat *m[] = {&v, &vr, &vp, &rti, &want};
        for (size_t i = 0; i < 5; i++)
            vf_imat_clear(m[i]);
    }
    return rc;
}

/* ---------------------------------------------------------------- Hopfield */

/* E(ξ) = -β^{-1} log Σ_i exp(β k_iᵀ ξ) + ½‖ξ‖² for an enclosure ξ (d x 1). */
static int hop_energy(mpfi_t out, const vf_imat *k, const vf_imat *xi, const mpq_t beta,
                      vf_err *e)
{
    vf_imat s = {0};
    int rc = vf_imat_init(&s, k->rows, 1, xi->prec, e);
    if (!rc)
        rc = vf_imat_mul(&s, k, xi, e);
    if (!rc) {
        mpfi_t z, t;
        mpfi_init2(z, xi->prec);
        mpfi_init2(t, xi->prec);
        mpfi_set_ui(z, 0);
        for (size_t i = 0; i < s.rows; i++) {
            mpfi_mul_q(t, s.a[i], beta);
            mpfi_exp(t, t);
            mpfi_add(z, z, t);
        }
        mpfi_log(z, z);
        mpfi_div_q(z, z, beta);
        mpfi_neg(out, z);
        for (size_t i = 0; i < xi->rows; i++) {
            mpfi_sqr(t, xi->a[i]);
            mpfi_div_2ui(t, t, 1);
            mpfi_add(out, out, t);
        }
        mpfi_clear(z);
        mpfi_clear(t);
    }
    vf_imat_clear(&s);
    return rc;
}

/* Rational ξ (d x 1) from the midpoints of an enclosure (the next start point). */
static void mid_q(vf_qmat *q, const vf_imat *m)
{
    mpfr_t mid;
    mpfr_init2(mid, m->prec);
    for (size_t i = 0; i < m->rows * m->cols; i++) {
        mpfi_mid(mid, m->a[i]);
        mpfr_get_q(q->a[i], mid);
    }
    mpfr_clear(mid);
}

static int hop_trial(fc_ctx *c, vf_err *e)
{
    static const long bn[3] = {1, 4, 1}, bd[3] = {1, 1, 4};
    int kind = c->t % 4;
    size_t m = kind == 1 ? 1 : c->o->n, d = c->o->d;
    vf_qmat k = {0}, kt = {0}, xi = {0}, s = {0}, dir = {0};
    vf_imat ki = {0}, kti = {0}, p = {0}, pc = {0}, xn = {0}, xii = {0};
    mpq_t beta;
    mpq_init(beta);
    mpq_set_si(beta, bn[c->t % 3], (unsigned long)bd[c->t % 3]);
    {
        char *bs = vf_q_str(beta);
        snprintf(c->label, sizeof c->label, "trial %d (%s, %zu keys, d = %zu, beta = %s, %d "
                 "updates)", c->t, kind == 1 ? "single key" : kind == 2 ? "repeated key" :
                 kind == 3 ? "start at 0" : "random", m, d, bs, HOP_STEPS);
        free(bs);
    }
    int rc;
    if ((rc = fc_small_new(&k, m, d, c, 1, e)) || (rc = fc_small_new(&xi, d, 1, c, 2, e)) ||
        (rc = fc_transpose_new(&kt, &k, e)) || (rc = vf_imat_init(&ki, m, d, c->p, e)) ||
        (rc = vf_imat_from_q(&ki, &k, e)) || (rc = vf_imat_init(&kti, d, m, c->p, e)) ||
        (rc = vf_imat_from_q(&kti, &kt, e)) || (rc = vf_imat_init(&pc, m, 1, c->p, e)) ||
        (rc = vf_imat_init(&xn, d, 1, c->p, e)) || (rc = vf_imat_init(&xii, d, 1, c->p, e)))
        goto out;
    if (kind == 2 && m >= 2)
        for (size_t j = 0; j < d; j++)
            mpq_set(VF_Q(&k, 1, j), VF_Q(&k, 0, j));
    if (kind == 2 && m >= 2 && ((rc = vf_imat_from_q(&ki, &k, e)) ||
                                (rc = vf_qmat_transpose(&kt, &k, e)) ||
                                (rc = vf_imat_from_q(&kti, &kt, e))))
        goto out;
    if (kind == 3)
        for (size_t j = 0; j < d; j++)
            mpq_set_ui(xi.a[j], 0, 1);
    mpfi_t e0, e1, de, g, r;
    mpfi_init2(e0, c->p);
    mpfi_init2(e1, c->p);
    mpfi_init2(de, c->p);
    mpfi_init2(g, c->p);
    mpfi_init2(r, c->p);
    for (int step = 0; step < HOP_STEPS && !rc && !c->refuted; step++) {
        /* scores β K ξ (exact), p = softmax by the certified kernel, ξ⁺ = Kᵀ p */
        vf_qmat_clear(&s);
        vf_imat_clear(&p);
        if ((rc = fc_mul_new(&s, &k, &xi, e)) || (rc = vf_qmat_scale(&s, beta, &s, e)) ||
            (rc = vf_imat_init(&p, 1, m, c->p, e)))
            break;
        vf_sm_src src = {.kind = VF_SM_Q, .rows = 1, .cols = m, .q = &s};
        vf_qmat srow = {.rows = 1, .cols = m, .a = s.a}; /* the same entries as one row */
        src.q = &srow;
        if ((rc = vf_ref_softmax(&p, &src, NULL, e)))
            break;
        for (size_t i = 0; i < m; i++)
            mpfi_set(pc.a[i], p.a[i]);
        if ((rc = vf_imat_mul(&xn, &kti, &pc, e)) || (rc = vf_imat_from_q(&xii, &xi, e)) ||
            (rc = hop_energy(e0, &ki, &xii, beta, e)) || (rc = hop_energy(e1, &ki, &xn, beta, e)))
            break;
        mpfi_sub(de, e0, e1);
        fc_ineq(c, "E(xi) - E(xi+)", (size_t)step, 0, de);
        /* the update is the gradient of the LSE term: forward mode along e_j */
        for (size_t j = 0; j < d && !rc && !c->refuted; j++) {
            vf_dmat xd = {0}, kd = {0}, sd = {0}, bs = {0}, ex = {0}, z = {0}, lz = {0};
            if (!(rc = vf_qmat_init(&dir, d, 1, e))) {
                mpq_set_ui(dir.a[j], 1, 1);
                if (!(rc = vf_dmat_from_q(&xd, &xi, &dir, NULL, c->p, e)) &&
                    !(rc = vf_dmat_from_q(&kd, &k, NULL, NULL, c->p, e)) &&
                    !(rc = vf_dmat_mul(&sd, &kd, &xd, e)) && !(rc = vf_dmat_scale(&bs, beta, &sd, e)) &&
                    !(rc = vf_dmat_exp(&ex, &bs, e))) {
                    mpfi_t zv, zt;
                    mpfi_init2(zv, c->p);
                    mpfi_init2(zt, c->p);
                    vf_dmat_total(zv, zt, &ex);
                    mpfi_div(g, zt, zv); /* d/dε log Z */
                    mpfi_div_q(g, g, beta);
                    mpfi_sub(r, g, xn.a[j]);
                    fc_resid(c, "grad_xi LSE_beta(K xi)/beta - K^T softmax(beta K xi)", (size_t)step,
                             j, r);
                    mpfi_clear(zv);
                    mpfi_clear(zt);
                }
            }
            vf_qmat_clear(&dir);
            vf_dmat *all[] = {&xd, &kd, &sd, &bs, &ex, &z, &lz};
            for (size_t q = 0; q < sizeof all / sizeof all[0]; q++)
                vf_dmat_clear(all[q]);
        }
        if (c->notes && step == 0) {
            fc_note_iv(c->r, "E(xi0)", e0);
            fc_note_iv(c->r, "E(xi1)", e1);
        }
        mid_q(&xi, &xn); /* next start point: a rational point next to ξ⁺ */
    }
    mpfi_clear(e0);
    mpfi_clear(e1);
    mpfi_clear(de);
    mpfi_clear(g);
    mpfi_clear(r);
out:
    mpq_clear(beta);
    {
        vf_qmat *q[] = {&k, &kt, &xi, &s, &dir};
        fc_clear_q(q, 5);
        vf_imat *im[] = {&ki, &kti, &p, &pc, &xn, &xii};
        for (size_t i = 0; i < 6; i++)
            vf_imat_clear(im[i]);
    }
    return rc;
}

/* ---------------------------------------------------------------- table */


CHECKER(check_mf1, mf1_trial, 1, "<x_i, xdot_i> = 0 for SA and USA (|x_i| = 1 preserved)")
CHECKER(check_mf2g, mf2_grad_trial, 1, "USA xdot_i = n grad_i E_beta, SA xdot_i = (n^2/Z_i) "
        "grad_i E_beta (Riemannian gradients by forward mode)")
CHECKER(check_mf2m, mf2_monotone_trial, 1, "dE_beta/dt >= 0 along SA and USA")
CHECKER(check_mf3, mf3_trial, 1, "equiangular rho_dot formulas (SA, USA) = direct evaluation")
CHECKER(check_mf4, mf4_trial, 0, "critical scaling: rational weights, exact rho', trend to the "
        "three limits")
CHECKER(check_mf5, mf5_trial, 0, "rho' - rho = K(1-rho)/(c^2+K) >= 0")
CHECKER(check_mf6, mf6_trial, 1, "v(Rx) = R v(x), v(pi x) = pi v(x) for SA and USA")
CHECKER(check_hop, hop_trial, 1, "E(K^T softmax(beta K xi)) <= E(xi) and the update = grad of "
        "the LSE term")

#define CLAIM(var, idstr, stmt, cls_, src_, exp_, n_, d_, tr, fn)                                \
    const vf_claim var = {.id = idstr, .statement = stmt, .cls = cls_, .source = src_,         \
                          .expected = exp_, .default_n = n_, .default_d = d_,                   \
                          .default_trials = tr, .check = fn};

CLAIM(vf_claim_mf_tangent_velocity, "meanfield.tangent_velocity",
      "SA and USA velocities are tangent to the sphere, <x_i, xdot_i> = 0, so |x_i| = 1 is "
      "preserved (MF-1)", VF_CLASS_T, SRC_MF, VF_CERTIFIED, 5, 3, 6, check_mf1)
CLAIM(vf_claim_mf_gradient_flow, "meanfield.gradient_flow",
      "USA is the gradient ascent xdot_i = n grad_i E_beta and SA the reweighted one "
      "xdot_i = (n^2/Z_i) grad_i E_beta, E_beta = (1/2beta n^2) sum_ij e^{beta<x_i,x_j>} (MF-2)",
      VF_CLASS_T, SRC_MF, VF_CERTIFIED, 5, 3, 6, check_mf2g)
CLAIM(vf_claim_mf_energy_monotone, "meanfield.energy_monotone",
      "E_beta is non-decreasing along SA and USA: dE_beta/dt >= 0 (MF-2)", VF_CLASS_T, SRC_MF,
      VF_CERTIFIED, 5, 3, 6, check_mf2m)
CLAIM(vf_claim_mf_equiangular_ode, "meanfield.equiangular_ode",
      "Equiangular configurations stay equiangular with rho_dot = 2e^{beta rho}(1-rho)((n-1)rho+1)"
      "/(e^beta + (n-1)e^{beta rho}) (SA) and (2/n)e^{beta rho}(1-rho)((n-1)rho+1) (USA) (MF-3)",
      VF_CLASS_T, SRC_MF, VF_CERTIFIED, 4, 0, 5, check_mf3)
CLAIM(vf_claim_mf_critical_scaling, "meanfield.critical_scaling",
      "beta_n = gamma log n: one attention layer maps equiangular rho to rho' -> 1, 4rho/(1+3rho), "
      "rho for gamma below, at, above 1/(1-rho); exact rational rho' at gamma(1-rho) in {1/2, 1, "
      "2} for n = 10..10^6 (MF-4)", VF_CLASS_Q, SRC_MF, VF_HELD_EXACT, 0, 0, 3, check_mf4)
CLAIM(vf_claim_mf_contraction, "meanfield.contraction",
      "One attention layer contracts equiangular tokens: rho' - rho = K(1-rho)/(c^2+K) >= 0, "
      "K = b s1 (2c + bn), for rho >= -1/(n-1), beta >= 0, residual alpha >= 0 (MF-5)",
      VF_CLASS_Q, SRC_MF, VF_HELD_EXACT, 0, 0, 64, check_mf5)
CLAIM(vf_claim_mf_equivariance, "meanfield.equivariance",
      "SA and USA velocities are rotation and permutation equivariant: v(Rx) = R v(x), "
      "v(pi x) = pi v(x) (MF-6)", VF_CLASS_T, SRC_MF, VF_CERTIFIED, 5, 3, 6, check_mf6)
CLAIM(vf_claim_hopfield_energy_descent, "hopfield.energy_descent",
      "The attention update xi <- K^T softmax(beta K xi) never increases the modern Hopfield "
      "energy E(xi) = -beta^-1 log sum_i exp(beta k_i^T xi) + 1/2|xi|^2, and is the gradient of "
      "its LSE term (THEORY 1.4)", VF_CLASS_T, SRC_HOP, VF_CERTIFIED, 6, 3, 4, check_hop)
