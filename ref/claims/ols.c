/* ols.c — claims of THEORY.md §1: OLS is a special case of a single-layer linear Transformer.
 *
 * Class Q claims (hat matrix, normal equations, scores = H, readings A and B with the rational
 * constructions, intercept, pseudo-inverse route, the paper's experiment, distribution shift)
 * are decided by exact equality in mpq.  Class Q-sqrt claims (the paper's spectral
 * L = V Λ^{-1/2}: OLS-5, OLS-6, OLS-8) use the certified eigen-decomposition of vf_eig.h and
 * enclose the residual of each identity in MPFI; the verdict is CERTIFIED when every residual is
 * within ±2^-k with k >= p/2 at working precision p (p doubles up to VF_PREC_MAX otherwise).
 *
 * Data: generated from the seed (trials cycle through five kinds of instance, below), or the
 * user's --x X.npy [--y y.npy] converted exactly.  A failed hypothesis (rank X < d, shapes that
 * do not match, NaN) is INVALID_INPUT with the reference's message, which names the rank.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "vf_eig.h"
#include "vf_ols.h"
#include "vf_qgen.h"
#include "vf_rng.h"
#include "vf_round.h"

#define SRC "Tan & Zhao 2026 (THEORY.md 1)"
#define SPECTRAL_PREC 256 /* default working precision of the spectral claims (bits) */
#define TEXT_MAX 700      /* longest matrix printed in a note */

/* ---------------------------------------------------------------- small helpers */

static int mul_new(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    int rc = vf_qmat_init(c, a->rows, b->cols, e);
    return rc ? rc : vf_qmat_mul(c, a, b, e);
}

static int transpose_new(vf_qmat *t, const vf_qmat *a, vf_err *e)
{
    int rc = vf_qmat_init(t, a->cols, a->rows, e);
    return rc ? rc : vf_qmat_transpose(t, a, e);
}

static void clear_all(vf_qmat *m, size_t k)
{
    for (size_t i = 0; i < k; i++)
        vf_qmat_clear(&m[i]);
}

static void note_q(vf_claim_result *r, const char *key, const vf_qmat *m)
{
    char *s = vf_qmat_str(m, TEXT_MAX);
    vf_claim_note_add(r, key, "%s", s ? s : "?");
    free(s);
}

/* ---------------------------------------------------------------- instances */

enum { K_SMALL, K_FLOAT, K_KAPPA, K_YCOL, K_YZERO, K__COUNT };
static const char *const kind_label[K__COUNT] = {
    "small rationals", "float32 normal fill", "ill-conditioned kappa(X) = 10^6",
    "y in col X (residual 0)", "y = 0"};

/* Generated instance t (kind t mod 5), tensors offset by t so repeated kinds differ. */
static int gen_xy(const vf_claim_opts *o, int t, vf_qmat *x, vf_qmat *y, char *label,
                  size_t len, vf_err *e)
{
    size_t n = o->n, d = o->d;
    uint64_t s = o->seed, base = 100u * (uint64_t)t;
    int kind = t % K__COUNT, rc;
    if ((rc = vf_qmat_init(x, n, d, e)) || (rc = vf_qmat_init(y, n, 1, e)))
        return rc;
    snprintf(label, len, "trial %d (%s)", t, kind_label[kind]);
    vf_qgen_small(x, s, base + 1, 5, 4);
    vf_qgen_small(y, s, base + 2, 5, 4);
    if (kind == K_FLOAT) {
        float *buf = vf_calloc(n * d + n, sizeof *buf, e);
        if (!buf)
            return VF_E_NOMEM;
        vf_fill_f32(buf, n * d, VF_FILL_NORMAL, s, base + 3);
        vf_fill_f32(buf + n * d, n, VF_FILL_NORMAL, s, base + 4);
        if (!(rc = vf_qmat_from_f32(x, buf, e)))
            rc = vf_qmat_from_f32(y, buf + n * d, e);
        free(buf);
    } else if (kind == K_KAPPA) {
        if (d >= 2 && n >= d) {
            mpq_t kappa;
            mpq_init(kappa);
            mpq_set_ui(kappa, 1000000, 1);
            rc = vf_qgen_known_kappa(x, n, d, kappa, s, base + 5, e);
            mpq_clear(kappa);
        } else { /* a single column has kappa 1; n < d has no kappa: keep small rationals */
            snprintf(label, len, "trial %d (small rationals: kappa needs n >= d >= 2)", t);
        }
    } else if (kind == K_YCOL) {
        vf_qmat b = {0};
        if (!(rc = vf_qmat_init(&b, d, 1, e))) {
            vf_qgen_small(&b, s, base + 6, 5, 3);
            rc = vf_qmat_mul(y, x, &b, e);
        }
        vf_qmat_clear(&b);
    } else if (kind == K_YZERO) {
        for (size_t i = 0; i < n; i++)
            mpq_set_ui(VF_Q(y, i, 0), 0, 1);
    }
    return rc;
}

/* User data: X = --x (input 1), y = --y (input 2) or, when absent, generated small rationals. */
static int user_xy(const vf_claim_opts *o, vf_qmat *x, vf_qmat *y, char *label, size_t len,
                   vf_err *e)
{
    int rc = vf_claim_input_q(o, 0, x, e);
    if (rc)
        return rc;
    if (o->n_in >= 2) {
        if ((rc = vf_claim_input_q(o, 1, y, e)))
            return rc;
        snprintf(label, len, "user X %s, y %s", o->in[0], o->in[1]);
    } else {
        if ((rc = vf_qmat_init(y, x->rows, 1, e)))
            return rc;
        vf_qgen_small(y, o->seed, 2, 5, 4);
        snprintf(label, len, "user X %s, y generated from the seed", o->in[0]);
    }
    if (y->rows != x->rows)
        return vf_fail(e, VF_E_SHAPE, "y has %zu rows but X has %zu (y must be n or n x m)",
                       y->rows, x->rows);
    return VF_OK;
}

/* ---------------------------------------------------------------- trial driver */

typedef struct trial {
    const vf_claim_opts *o;
    vf_claim_result *r;
    int t;
    const char *label;
    int certified;      /* Q-sqrt claim: verdict CERTIFIED with bits */
    long bits;          /* minimum certified bits over trials */
    mpfr_prec_t prec;   /* largest precision used */
} trial;

typedef int (*trial_fn)(trial *c, const vf_qmat *x, const vf_qmat *y, vf_err *e);

/* Sets REFUTED (exact counterexample in the notes) unless got == want; returns 1 if refuted. */
static int differ(trial *c, const char *what, const vf_qmat *got, const vf_qmat *want)
{
    if (vf_qmat_equal(got, want))
        return 0;
    if (got->rows != want->rows || got->cols != want->cols) {
        vf_claim_set(c->r, VF_REFUTED, "%s: %s has shape %zux%zu, expected %zux%zu", c->label,
                     what, got->rows, got->cols, want->rows, want->cols);
        return 1;
    }
    for (size_t i = 0; i < got->rows * got->cols; i++)
        if (!mpq_equal(got->a[i], want->a[i])) {
            char *g = vf_q_str(got->a[i]), *w = vf_q_str(want->a[i]);
            size_t row = i / got->cols, col = i % got->cols;
            vf_claim_set(c->r, VF_REFUTED, "%s: %s differs at (%zu,%zu)", c->label, what, row,
                         col);
            vf_claim_note_add(c->r, "counterexample", "%s[%zu][%zu] = %s, expected %s", what,
                              row, col, g, w);
            free(g);
            free(w);
            break;
        }
    return 1;
}

/* Trace check: tr m == want. */
static int trace_differs(trial *c, const char *what, const vf_qmat *m, unsigned long want)
{
    mpq_t tr;
    mpq_init(tr);
    for (size_t i = 0; i < m->rows && i < m->cols; i++)
        mpq_add(tr, tr, VF_Q(m, i, i));
    int bad = mpq_cmp_ui(tr, want, 1) != 0;
    if (bad) {
        char *s = vf_q_str(tr);
        vf_claim_set(c->r, VF_REFUTED, "%s: tr %s = %s, expected %lu", c->label, what, s, want);
        free(s);
    }
    mpq_clear(tr);
    return bad;
}

/* Records a certified residual: k bits at precision p. */
static void certified_bits(trial *c, long k, mpfr_prec_t p)
{
    if (k < c->bits)
        c->bits = k;
    if (p > c->prec)
        c->prec = p;
}

/* Runs fn on every instance; the verdict is HELD_EXACT/CERTIFIED unless a trial refutes (stop)
 * or a hypothesis fails (INVALID_INPUT with the message). */
static int run_trials(const vf_claim_opts *o, vf_claim_result *r, vf_err *e, trial_fn fn,
                      int certified, const char *what)
{
    trial c = {.o = o, .r = r, .certified = certified, .bits = LONG_MAX};
    int trials = o->n_in ? 1 : o->trials, rc = VF_OK;
    char labels[512] = "";
    r->verdict = certified ? VF_CERTIFIED : VF_HELD_EXACT;
    for (int t = 0; t < trials; t++) {
        vf_qmat x = {0}, y = {0};
        char label[300];
        c.t = t;
        c.label = label;
        rc = o->n_in ? user_xy(o, &x, &y, label, sizeof label, e)
                     : gen_xy(o, t, &x, &y, label, sizeof label, e);
        if (!rc)
            rc = fn(&c, &x, &y, e);
        vf_qmat_clear(&x);
        vf_qmat_clear(&y);
        if (rc == VF_E_DOMAIN || rc == VF_E_SHAPE) {
            vf_claim_set(r, VF_INVALID_INPUT, "%s: %s", label, e->msg);
            return VF_OK;
        }
        if (rc)
            return rc;
        if (r->verdict != (certified ? VF_CERTIFIED : VF_HELD_EXACT))
            return VF_OK; /* refuted or uncertified: summary and notes already set */
        if (strlen(labels) + strlen(label) + 3 < sizeof labels)
            snprintf(labels + strlen(labels), sizeof labels - strlen(labels), "%s%s",
                     t ? "; " : "", label);
    }
    vf_claim_note_add(r, "instances", "%d: %s", trials, labels);
    if (certified) {
        r->bits = c.bits;
        vf_claim_set(r, VF_CERTIFIED, "%s, residuals within 2^-%ld (precision %ld bits), %d "
                     "instance(s)", what, c.bits, (long)c.prec, trials);
    } else {
        vf_claim_set(r, VF_HELD_EXACT, "%s exactly on %d instance(s)", what, trials);
    }
    return VF_OK;
}

/* ---------------------------------------------------------------- OLS-1 hat matrix */

static int hat_matrix_trial(trial *c, const vf_qmat *x, const vf_qmat *y, vf_err *e)
{
    (void)y;
    vf_qmat m[5] = {{0}}; /* H, H^2, H^T, HX, I */
    int rc;
    if ((rc = vf_ref_ols_hat_q(&m[0], x, e)) || (rc = mul_new(&m[1], &m[0], &m[0], e)) ||
        (rc = transpose_new(&m[2], &m[0], e)) || (rc = mul_new(&m[3], &m[0], x, e)))
        goto out;
    if (differ(c, "H^2", &m[1], &m[0]) || differ(c, "H^T", &m[2], &m[0]) ||
        differ(c, "HX", &m[3], x) || trace_differs(c, "H", &m[0], (unsigned long)x->cols))
        goto out;
    if (x->rows == x->cols) { /* interpolation: H = I_n */
        if ((rc = vf_qmat_init(&m[4], x->rows, x->rows, e)))
            goto out;
        vf_qmat_set_identity(&m[4]);
        if (!differ(c, "H (n = d)", &m[0], &m[4]) && c->t == 0)
            vf_claim_note_add(c->r, "n_equals_d", "H = I_%zu exactly (interpolation)", x->rows);
    }
    if (c->t == 0 && x->rows <= 6)
        note_q(c->r, "H", &m[0]);
out:
    clear_all(m, 5);
    return rc;
}

static int check_hat_matrix(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                            vf_err *e)
{
    (void)cl;
    return run_trials(o, r, e, hat_matrix_trial, 0, "H^2 = H, H^T = H, HX = X, tr H = d");
}

/* ---------------------------------------------------------------- OLS-2 normal equations */

static int normal_equations_trial(trial *c, const vf_qmat *x, const vf_qmat *y, vf_err *e)
{
    vf_qmat m[4] = {{0}}; /* yhat, resid, X^T, X^T resid */
    mpq_t a, b, s;
    mpq_inits(a, b, s, NULL);
    int rc;
    if ((rc = vf_ref_ols_fit_q(&m[0], &m[1], x, y, e)) || (rc = transpose_new(&m[2], x, e)) ||
        (rc = mul_new(&m[3], &m[2], &m[1], e)))
        goto out;
    if (!vf_qmat_is_zero(&m[3])) {
        vf_qmat zero = {0};
        if (!(rc = vf_qmat_init(&zero, m[3].rows, m[3].cols, e)))
            differ(c, "X^T(y - Hy)", &m[3], &zero);
        vf_qmat_clear(&zero);
        goto out;
    }
    /* Pythagoras: ||y||^2 = ||Hy||^2 + ||y - Hy||^2 */
    if ((rc = vf_qmat_dot(a, y, y, e)) || (rc = vf_qmat_dot(b, &m[0], &m[0], e)) ||
        (rc = vf_qmat_dot(s, &m[1], &m[1], e)))
        goto out;
    mpq_add(b, b, s);
    if (!mpq_equal(a, b)) {
        char *l = vf_q_str(a), *rr = vf_q_str(b);
        vf_claim_set(c->r, VF_REFUTED, "%s: ||y||^2 = %s but ||Hy||^2 + ||y - Hy||^2 = %s",
                     c->label, l, rr);
        free(l);
        free(rr);
        goto out;
    }
    /* y in col X (or y = 0): the residual must vanish exactly */
    int kind = c->o->n_in ? -1 : c->t % K__COUNT;
    if ((kind == K_YCOL || kind == K_YZERO) && !vf_qmat_is_zero(&m[1])) {
        vf_claim_set(c->r, VF_REFUTED, "%s: y is in col X but the residual is not 0", c->label);
        goto out;
    }
    if (c->o->n_in || c->t == 0) {
        char *rs = vf_q_str(s);
        vf_claim_note_add(c->r, c->o->n_in ? "rss" : "rss_trial0", "||y - Hy||^2 = %s", rs);
        free(rs);
    }
out:
    mpq_clears(a, b, s, NULL);
    clear_all(m, 4);
    return rc;
}

static int check_normal_equations(const vf_claim *cl, const vf_claim_opts *o,
                                  vf_claim_result *r, vf_err *e)
{
    (void)cl;
    return run_trials(o, r, e, normal_equations_trial, 0,
                      "X^T(y - Hy) = 0 and ||y||^2 = ||Hy||^2 + ||y - Hy||^2 (residual 0 when "
                      "y in col X)");
}

/* ---------------------------------------------------------------- OLS-3 scores = H */

static const char *const cons_name[] = {"W_Q = G^-1, W_K = I", "LDL^T: W_K = U^-T, W_Q = U^-T D^-1"};

/* T^{-1} for T = G or G/n, computed independently of the constructions (Bareiss inverse). */
static int target_inverse(vf_qmat *tinv, const vf_qmat *x, unsigned form, vf_err *e)
{
    vf_qmat g = {0};
    int rc = vf_ref_ols_gram_q(&g, x, e);
    if (!rc && (form & VF_LT_NORM_N)) {
        mpq_t c;
        mpq_init(c);
        mpq_set_ui(c, 1, (unsigned long)x->rows);
        rc = vf_qmat_scale(&g, c, &g, e);
        mpq_clear(c);
    }
    if (!rc && !(rc = vf_qmat_init(tinv, g.rows, g.cols, e)))
        rc = vf_q_inverse(tinv, &g, e);
    vf_qmat_clear(&g);
    return rc;
}

static int scores_trial(trial *c, const vf_qmat *x, const vf_qmat *y, vf_err *e)
{
    (void)y;
    vf_qmat h = {0};
    int rc = vf_ref_ols_hat_q(&h, x, e), done = 0;
    for (int cons = 0; cons < 2 && !rc && !done; cons++)
        for (unsigned form = 0; form <= VF_LT_NORM_N && !rc && !done; form += VF_LT_NORM_N) {
            vf_qmat m[5] = {{0}}; /* W_Q, W_K, W_K^T, W_Q W_K^T, T^-1 */
            vf_qmat s = {0};
            vf_lt_params p = {.wq = &m[0], .wk = &m[1]};
            char what[96];
            if (!(rc = vf_ref_ols_construct_q(&m[0], &m[1], x, (vf_ols_cons)cons, form, e)) &&
                !(rc = transpose_new(&m[2], &m[1], e)) &&
                !(rc = mul_new(&m[3], &m[0], &m[2], e)) &&
                !(rc = target_inverse(&m[4], x, form, e)) &&
                !(rc = vf_ref_lt_scores_q(&s, x, x, &p, form, e))) {
                snprintf(what, sizeof what, "W_Q W_K^T [%s%s]", cons_name[cons],
                         form ? ", 1/n" : "");
                done = differ(c, what, &m[3], &m[4]);
                snprintf(what, sizeof what, "QK^T [%s%s]", cons_name[cons], form ? ", 1/n" : "");
                done = done || differ(c, what, &s, &h);
                if (!done && c->t == 0 && cons == 1 && form == 0 && x->cols <= 4) {
                    note_q(c->r, "W_Q_ldlt", &m[0]);
                    note_q(c->r, "W_K_ldlt", &m[1]);
                }
            }
            clear_all(m, 5);
            vf_qmat_clear(&s);
        }
    vf_qmat_clear(&h);
    return rc;
}

static int check_scores_equal_hat(const vf_claim *cl, const vf_claim_opts *o,
                                  vf_claim_result *r, vf_err *e)
{
    (void)cl;
    int rc = run_trials(o, r, e, scores_trial, 0,
                        "W_Q W_K^T = G^-1 and (XW_Q)(XW_K)^T = H for both rational "
                        "constructions, with and without 1/n");
    if (!rc && r->verdict == VF_HELD_EXACT)
        vf_claim_note_add(r, "constructions", "%s; %s (each also with 1/n: factors of (G/n)^-1)",
                          cons_name[0], cons_name[1]);
    return rc;
}

/* ---------------------------------------------------------------- OLS-4 reading B */

static int reading_b_trial(trial *c, const vf_qmat *x, const vf_qmat *y, vf_err *e)
{
    vf_qmat beta = {0}, xq = {0}, want_in = {0}, want_out = {0};
    int rc, done = 0;
    /* beta_hat from the solver (independent of the constructions); queries: X itself (H y)
     * and 4 fresh rows X_q (X_q beta_hat, out-of-sample prediction). */
    if ((rc = vf_ref_ols_beta_q(&beta, x, y, e)) || (rc = vf_qmat_init(&xq, 4, x->cols, e)))
        goto out;
    vf_qgen_small(&xq, c->o->seed, 900u + (uint64_t)c->t, 7, 5);
    if ((rc = mul_new(&want_in, x, &beta, e)) || (rc = mul_new(&want_out, &xq, &beta, e)))
        goto out;
    for (int cons = 0; cons < 2 && !rc && !done; cons++)
        for (unsigned form = 0; form <= VF_LT_NORM_N && !rc && !done; form += VF_LT_NORM_N) {
            vf_qmat wq = {0}, wk = {0}, oi = {0}, oo = {0};
            vf_lt_params p = {.wq = &wq, .wk = &wk};
            char what[96];
            if (!(rc = vf_ref_ols_construct_q(&wq, &wk, x, (vf_ols_cons)cons, form, e)) &&
                !(rc = vf_ref_lt_reading_b_q(&oi, x, x, y, &p, form, e)) &&
                !(rc = vf_ref_lt_reading_b_q(&oo, &xq, x, y, &p, form, e))) {
                snprintf(what, sizeof what, "QK^T y [%s%s]", cons_name[cons], form ? ", 1/n" : "");
                done = differ(c, what, &oi, &want_in);
                snprintf(what, sizeof what, "X_q W_Q (X W_K)^T y [%s%s]", cons_name[cons],
                         form ? ", 1/n" : "");
                done = done || differ(c, what, &oo, &want_out);
            }
            vf_qmat_clear(&wq);
            vf_qmat_clear(&wk);
            vf_qmat_clear(&oi);
            vf_qmat_clear(&oo);
        }
    if (!rc && !done && (c->o->n_in || c->t == 0) && beta.rows <= 8)
        note_q(c->r, "beta_hat", &beta);
out:
    vf_qmat_clear(&beta);
    vf_qmat_clear(&xq);
    vf_qmat_clear(&want_in);
    vf_qmat_clear(&want_out);
    return rc;
}

static int check_reading_b(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                           vf_err *e)
{
    (void)cl;
    return run_trials(o, r, e, reading_b_trial, 0,
                      "QK^T y = X beta_hat and X_q-queries give X_q beta_hat (beta_hat by an "
                      "independent Bareiss solve), both constructions, with and without 1/n");
}

/* ---------------------------------------------------------------- OLS-5 reading A (rational) */

/* Reading A output with W_V = W_K, W_FFN = I, W_p from vf_ref_ols_head_q; head_form may differ
 * from form to show a mis-scaled head. */
static int reading_a_out(vf_qmat *out, const vf_qmat *x, const vf_qmat *y, vf_ols_cons cons,
                         unsigned form, unsigned head_form, vf_err *e)
{
    vf_qmat wq = {0}, wk = {0}, wp = {0};
    vf_lt_params p = {.wq = &wq, .wk = &wk, .wv = &wk, .wp = &wp};
    int rc;
    if (!(rc = vf_ref_ols_construct_q(&wq, &wk, x, cons, form & VF_LT_NORM_N, e)) &&
        !(rc = vf_ref_ols_head_q(&wp, &wq, x, y, head_form, e)))
        rc = vf_ref_lt_reading_a_q(out, x, &p, form, e);
    vf_qmat_clear(&wq);
    vf_qmat_clear(&wk);
    vf_qmat_clear(&wp);
    return rc;
}

static int reading_a_trial(trial *c, const vf_qmat *x, const vf_qmat *y, vf_err *e)
{
    /* (construction, form): both constructions plain and 1/n; the residual form with the inverse
     * construction (W_K = W_V = I, so the block gives X + X = 2X and W_p is halved). */
    static const struct { vf_ols_cons cons; unsigned form; const char *name; } cases[] = {
        {VF_OLS_CONS_INVERSE, 0, "inverse"},
        {VF_OLS_CONS_INVERSE, VF_LT_NORM_N, "inverse, 1/n"},
        {VF_OLS_CONS_LDLT, 0, "LDL^T"},
        {VF_OLS_CONS_LDLT, VF_LT_NORM_N, "LDL^T, 1/n"},
        {VF_OLS_CONS_INVERSE, VF_LT_RESIDUAL, "inverse, residual"},
        {VF_OLS_CONS_INVERSE, VF_LT_RESIDUAL | VF_LT_NORM_N, "inverse, residual, 1/n"},
    };
    vf_qmat h = {0}, hy = {0}; /* Hy = X beta_hat from the Bareiss solve (n x 1, cheap) */
    int rc = vf_ref_ols_fit_q(&hy, NULL, x, y, e), done = 0;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0] && !rc && !done; k++) {
        vf_qmat out = {0};
        char what[96];
        snprintf(what, sizeof what, "Out(X) [%s]", cases[k].name);
        if (!(rc = reading_a_out(&out, x, y, cases[k].cons, cases[k].form, cases[k].form, e)))
            done = differ(c, what, &out, &hy);
        vf_qmat_clear(&out);
    }
    /* The residual factor matters: an unhalved head gives 2Hy (differs unless Hy = 0). */
    if (!rc && !done && (c->o->n_in || c->t == 0)) {
        vf_qmat out = {0};
        if (!(rc = reading_a_out(&out, x, y, VF_OLS_CONS_INVERSE, VF_LT_RESIDUAL, 0, e)))
            vf_claim_note_add(c->r, "residual_factor",
                              "with the residual and an unhalved W_p, Out = 2Hy: %s",
                              vf_qmat_equal(&out, &hy) ? "equal to Hy (Hy = 0 here)"
                                                       : "differs from Hy, as it must");
        vf_qmat_clear(&out);
    }
    vf_qmat_clear(&h);
    vf_qmat_clear(&hy);
    return rc;
}

static int check_reading_a(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                           vf_err *e)
{
    (void)cl;
    int rc = run_trials(o, r, e, reading_a_trial, 0,
                        "(XW_Q)(XW_K)^T(XW_V) W_FFN W_p = Hy (W_V = W_K, W_FFN = I, W_p = c "
                        "W_Q^T X^T y), plain, 1/n and residual forms");
    if (!rc && r->verdict == VF_HELD_EXACT)
        vf_claim_note_add(r, "parameters", "W_V = W_K, W_FFN = I, W_p = c W_Q^T X^T y with "
                                           "c = 1, 1/n, 1/2 (residual), 1/(2n)");
    return rc;
}

/* ---------------------------------------------------------------- OLS-7 intercept */

static int intercept_trial(trial *c, const vf_qmat *x, const vf_qmat *y, vf_err *e)
{
    size_t n = x->rows, d = x->cols;
    vf_qmat m[10] = {{0}}; /* H~, X1 = [1 | X], H1, H~^2, ones, H~ 1, Xc, yc, pred, fit1 */
    vf_qmat wq = {0}, wk = {0};
    mpq_t ybar;
    mpq_init(ybar);
    int rc;
    if ((rc = vf_ref_ols_hat_intercept_q(&m[0], x, e)) || (rc = vf_qmat_init(&m[1], n, d + 1, e)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        mpq_set_ui(VF_Q(&m[1], i, 0), 1, 1);
        for (size_t j = 0; j < d; j++)
            mpq_set(VF_Q(&m[1], i, j + 1), VF_Q(x, i, j));
    }
    if ((rc = vf_ref_ols_hat_q(&m[2], &m[1], e)) || (rc = mul_new(&m[3], &m[0], &m[0], e)) ||
        (rc = vf_qmat_init(&m[4], n, 1, e)))
        goto out;
    for (size_t i = 0; i < n; i++)
        mpq_set_ui(VF_Q(&m[4], i, 0), 1, 1);
    if ((rc = mul_new(&m[5], &m[0], &m[4], e)))
        goto out;
    if (differ(c, "(1/n)11^T + H_c vs hat of [1 | X]", &m[0], &m[2]) ||
        differ(c, "H~^2", &m[3], &m[0]) || differ(c, "H~ 1", &m[5], &m[4]) ||
        trace_differs(c, "H~", &m[0], (unsigned long)d + 1))
        goto out;
    /* The centred-covariance Transformer (reading B, 1/n, LDL^T factors of Sigma_c^-1):
     * yhat = ybar 1 + (1/n)(X_c W_Q)(X_c W_K)^T (y - ybar 1) must be the OLS fit with intercept. */
    if (y->cols != 1) {
        rc = vf_fail(e, VF_E_SHAPE, "intercept: y must be one column, it is %zux%zu", y->rows,
                     y->cols);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        mpq_add(ybar, ybar, VF_Q(y, i, 0));
    {
        mpq_t nn;
        mpq_init(nn);
        mpq_set_ui(nn, (unsigned long)n, 1);
        mpq_div(ybar, ybar, nn);
        mpq_clear(nn);
    }
    vf_lt_params p = {.wq = &wq, .wk = &wk};
    if ((rc = vf_ref_ols_center_q(&m[6], x, e)) || (rc = vf_qmat_init(&m[7], n, 1, e)))
        goto out;
    for (size_t i = 0; i < n; i++)
        mpq_sub(VF_Q(&m[7], i, 0), VF_Q(y, i, 0), ybar);
    if ((rc = vf_ref_ols_construct_q(&wq, &wk, &m[6], VF_OLS_CONS_LDLT, VF_LT_NORM_N, e)) ||
        (rc = vf_ref_lt_reading_b_q(&m[8], &m[6], &m[6], &m[7], &p, VF_LT_NORM_N, e)) ||
        (rc = vf_ref_ols_fit_q(&m[9], NULL, &m[1], y, e)))
        goto out;
    for (size_t i = 0; i < n; i++)
        mpq_add(VF_Q(&m[8], i, 0), VF_Q(&m[8], i, 0), ybar);
    differ(c, "ybar 1 + centred-covariance attention", &m[8], &m[9]);
out:
    mpq_clear(ybar);
    clear_all(m, 10);
    vf_qmat_clear(&wq);
    vf_qmat_clear(&wk);
    return rc;
}

static int check_intercept(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                           vf_err *e)
{
    (void)cl;
    return run_trials(o, r, e, intercept_trial, 0,
                      "H~ = (1/n)11^T + H_c is the projector onto span(1, col X) and the "
                      "centred-covariance attention gives the OLS fit with intercept");
}

/* ---------------------------------------------------------------- pseudo-inverse route */

/* Generated rank-deficient designs: [A | a_0 | 0 | a_0 + a_1] (duplicate, zero and dependent
 * columns, rank d), n < d (rank n, H = I_n), and X = 0 (rank 0, H = 0). */
static int pinv_instance(const vf_claim_opts *o, int t, vf_qmat *x, size_t *want_rank,
                         char *label, size_t len, vf_err *e)
{
    size_t n = o->n, d = o->d;
    int rc;
    switch (t % 3) {
    case 0:
        if ((rc = vf_qmat_init(x, n, d + 3, e)))
            return rc;
        {
            vf_qmat a = {0};
            if ((rc = vf_qmat_init(&a, n, d, e)))
                return rc;
            vf_qgen_small(&a, o->seed, 700u + (uint64_t)t, 5, 4);
            for (size_t i = 0; i < n; i++) {
                for (size_t j = 0; j < d; j++)
                    mpq_set(VF_Q(x, i, j), VF_Q(&a, i, j));
                mpq_set(VF_Q(x, i, d), VF_Q(&a, i, 0));
                mpq_set_ui(VF_Q(x, i, d + 1), 0, 1);
                mpq_add(VF_Q(x, i, d + 2), VF_Q(&a, i, 0), VF_Q(&a, i, d > 1 ? 1 : 0));
            }
            vf_qmat_clear(&a);
            rc = vf_q_rank(want_rank, x, e);
        }
        snprintf(label, len, "trial %d (%zux%zu: duplicate, zero and dependent columns)", t, n,
                 d + 3);
        return rc;
    case 1:
        if ((rc = vf_qmat_init(x, 2, d + 2, e)))
            return rc;
        vf_qgen_small(x, o->seed, 710u + (uint64_t)t, 5, 4);
        snprintf(label, len, "trial %d (n = 2 < d = %zu)", t, d + 2);
        return vf_q_rank(want_rank, x, e);
    default:
        *want_rank = 0;
        snprintf(label, len, "trial %d (X = 0, %zux%zu)", t, n, d);
        return vf_qmat_init(x, n, d, e);
    }
}

static int pinv_trial(trial *c, const vf_qmat *x, size_t want_rank, vf_err *e)
{
    vf_qmat m[4] = {{0}}; /* H, H^2, H^T, HX */
    size_t rank = 0, *cols = vf_calloc(x->cols ? x->cols : 1, sizeof *cols, e);
    if (!cols)
        return VF_E_NOMEM;
    int rc;
    if ((rc = vf_ref_ols_hat_pinv_q(&m[0], cols, &rank, x, e)) ||
        (rc = mul_new(&m[1], &m[0], &m[0], e)) || (rc = transpose_new(&m[2], &m[0], e)) ||
        (rc = mul_new(&m[3], &m[0], x, e)))
        goto out;
    if (rank != want_rank) {
        vf_claim_set(c->r, VF_REFUTED, "%s: rank of the column subset %zu, rank X = %zu",
                     c->label, rank, want_rank);
        goto out;
    }
    if (differ(c, "H^2", &m[1], &m[0]) || differ(c, "H^T", &m[2], &m[0]) ||
        differ(c, "HX (every column of X)", &m[3], x) ||
        trace_differs(c, "H", &m[0], (unsigned long)rank))
        goto out;
    if (c->t == 0 || c->o->n_in) {
        char buf[200] = "";
        for (size_t j = 0; j < rank && strlen(buf) < sizeof buf - 12; j++)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%zu", j ? ", " : "", cols[j]);
        vf_claim_note_add(c->r, c->o->n_in ? "columns" : "columns_trial0",
                          "rank %zu of %zu, independent columns {%s}", rank, x->cols, buf);
        vf_err e2;
        vf_err_clear(&e2);
        if (vf_ref_ols_require_full_rank(x, &e2) == VF_E_DOMAIN)
            vf_claim_note_add(c->r, "invertible_route", "%s", e2.msg);
    }
out:
    free(cols);
    clear_all(m, 4);
    return rc;
}

static int check_pinv_projector(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                                vf_err *e)
{
    (void)cl;
    int trials = o->n_in ? 1 : o->trials, rc = VF_OK;
    trial c = {.o = o, .r = r};
    r->verdict = VF_HELD_EXACT;
    for (int t = 0; t < trials && r->verdict == VF_HELD_EXACT; t++) {
        vf_qmat x = {0};
        size_t want = 0;
        char label[300];
        c.t = t;
        c.label = label;
        if (o->n_in) {
            snprintf(label, sizeof label, "user X %s", o->in[0]);
            if (!(rc = vf_claim_input_q(o, 0, &x, e)))
                rc = vf_q_rank(&want, &x, e);
        } else {
            rc = pinv_instance(o, t, &x, &want, label, sizeof label, e);
        }
        if (!rc)
            rc = pinv_trial(&c, &x, want, e);
        vf_qmat_clear(&x);
        if (rc == VF_E_DOMAIN) {
            vf_claim_set(r, VF_INVALID_INPUT, "%s: %s", label, e->msg);
            return VF_OK;
        }
        if (rc)
            return rc;
    }
    if (r->verdict == VF_HELD_EXACT)
        vf_claim_set(r, VF_HELD_EXACT,
                     "H = X_S (X_S^T X_S)^-1 X_S^T: H^2 = H, H^T = H, HX = X, tr H = rank X "
                     "exactly on %d rank-deficient instance(s)", trials);
    return VF_OK;
}

/* ---------------------------------------------------------------- the paper's experiment */

static int check_paper_experiment(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                                  vf_err *e)
{
    (void)cl;
    vf_qmat x = {0}, y = {0}, beta = {0}, h = {0}, hy = {0}, xb = {0}, wq = {0}, wk = {0},
            wp = {0}, s = {0}, outa = {0}, outb = {0};
    char label[300];
    int rc;
    trial c = {.o = o, .r = r, .label = label};
    if (o->n_in) {
        rc = user_xy(o, &x, &y, label, sizeof label, e);
    } else {
        /* y = 2x + eps: x_i small rationals, eps_i small rationals / 8 (no intercept, d = 1
         * unless --d asks for more columns, then y = 2 x_0 + eps) */
        if (!(rc = vf_qmat_init(&x, o->n, o->d, e)) && !(rc = vf_qmat_init(&y, o->n, 1, e))) {
            vf_qgen_small(&x, o->seed, 1, 9, 2);
            vf_qgen_small(&y, o->seed, 2, 3, 8); /* eps */
            for (size_t i = 0; i < o->n; i++) {
                mpq_t t2;
                mpq_init(t2);
                mpq_add(t2, VF_Q(&x, i, 0), VF_Q(&x, i, 0));
                mpq_add(VF_Q(&y, i, 0), VF_Q(&y, i, 0), t2);
                mpq_clear(t2);
            }
        }
        snprintf(label, sizeof label, "y = 2x + eps, n = %zu", o->n);
    }
    vf_lt_params pa = {.wq = &wq, .wk = &wk, .wv = &wk, .wp = &wp}, pb = {.wq = &wq, .wk = &wk};
    if (!rc && !(rc = vf_ref_ols_beta_q(&beta, &x, &y, e)) && !(rc = vf_ref_ols_hat_q(&h, &x, e)) &&
        !(rc = mul_new(&hy, &h, &y, e)) && !(rc = mul_new(&xb, &x, &beta, e)) &&
        !(rc = vf_ref_ols_construct_q(&wq, &wk, &x, VF_OLS_CONS_INVERSE, 0, e)) &&
        !(rc = vf_ref_ols_head_q(&wp, &wq, &x, &y, 0, e)) &&
        !(rc = vf_ref_lt_scores_q(&s, &x, &x, &pb, 0, e)) &&
        !(rc = vf_ref_lt_reading_a_q(&outa, &x, &pa, 0, e)) &&
        !(rc = vf_ref_lt_reading_b_q(&outb, &x, &x, &y, &pb, 0, e))) {
        r->verdict = VF_HELD_EXACT;
        if (!differ(&c, "X beta_hat vs Hy", &xb, &hy) && !differ(&c, "scores vs H", &s, &h) &&
            !differ(&c, "reading A output", &outa, &hy) &&
            !differ(&c, "reading B output", &outb, &hy)) {
            vf_claim_set(r, VF_HELD_EXACT, "%s: constructed parameters (no training, 0 epochs) "
                         "reproduce OLS exactly in readings A and B", label);
            char *b0 = vf_q_str(VF_Q(&beta, 0, 0));
            vf_claim_note_add(r, "beta_hat", "%s (~ %.6f; true slope 2)", b0,
                              mpq_get_d(VF_Q(&beta, 0, 0)));
            free(b0);
            note_q(r, "x", &x);
            note_q(r, "y", &y);
            note_q(r, "slow_W_Q", &wq);
            note_q(r, "slow_W_K", &wk);
            note_q(r, "slow_W_p", &wp);
            note_q(r, "fast_scores", &s);
            note_q(r, "yhat", &hy);
        }
    }
    if (rc == VF_E_DOMAIN || rc == VF_E_SHAPE) {
        vf_claim_set(r, VF_INVALID_INPUT, "%s: %s", label, e->msg);
        rc = VF_OK;
    }
    vf_qmat *all[] = {&x, &y, &beta, &h, &hy, &xb, &wq, &wk, &wp, &s, &outa, &outb};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_qmat_clear(all[i]);
    return rc;
}

/* ---------------------------------------------------------------- distribution shift */

/* X' for instance t: user input 3 (--in after --x --y) or fresh small rationals shaped like X. */
static int shifted_x(const vf_claim_opts *o, const vf_qmat *x, int t, vf_qmat *xs, vf_err *e)
{
    if (o->n_in >= 3)
        return vf_claim_input_q(o, 2, xs, e);
    int rc = vf_qmat_init(xs, x->rows, x->cols, e);
    if (!rc)
        vf_qgen_small(xs, o->seed, 800u + (uint64_t)t, 5, 4);
    return rc;
}

static int shift_trial(trial *c, const vf_qmat *x, const vf_qmat *y, vf_err *e)
{
    vf_qmat m[12] = {{0}}; /* X', W_Q, W_K, W_p, W_Q^T, G, M, G', M', Out', beta, X' beta */
    vf_lt_params p = {.wq = &m[1], .wk = &m[2], .wv = &m[2], .wp = &m[3]};
    int rc;
    if ((rc = shifted_x(c->o, x, c->t, &m[0], e)))
        goto out;
    if (m[0].cols != x->cols) {
        rc = vf_fail(e, VF_E_SHAPE, "X' has %zu columns but X has %zu", m[0].cols, x->cols);
        goto out;
    }
    /* Slow memory frozen on (X, y): rational LDL^T factors, so M' below is exact. */
    if ((rc = vf_ref_ols_construct_q(&m[1], &m[2], x, VF_OLS_CONS_LDLT, 0, e)) ||
        (rc = vf_ref_ols_head_q(&m[3], &m[1], x, y, 0, e)) ||
        (rc = transpose_new(&m[4], &m[1], e)) || (rc = vf_ref_ols_gram_q(&m[5], x, e)) ||
        (rc = vf_ref_ols_gram_q(&m[7], &m[0], e)))
        goto out;
    /* M = W_Q^T G W_K (= I on the training data) and M' = W_Q^T G' W_K: with L = U^-T D^-1/2,
     * L^T G' L = D^1/2 M' D^-1/2 is similar to M', so M' = I iff L^T X'^T X' L = I. */
    {
        vf_qmat t1 = {0};
        if (!(rc = mul_new(&t1, &m[4], &m[5], e)))
            rc = mul_new(&m[6], &t1, &m[2], e);
        vf_qmat_clear(&t1);
        if (!rc && !(rc = mul_new(&t1, &m[4], &m[7], e)))
            rc = mul_new(&m[8], &t1, &m[2], e);
        vf_qmat_clear(&t1);
    }
    if (rc)
        goto out;
    {
        vf_qmat id = {0};
        if (!(rc = vf_qmat_init(&id, x->cols, x->cols, e))) {
            vf_qmat_set_identity(&id);
            if (!vf_qmat_equal(&m[6], &id))
                rc = vf_fail(e, VF_E_INTERNAL, "LDL^T construction: W_Q^T G W_K != I on X");
        }
        vf_qmat_clear(&id);
    }
    if (rc || (rc = vf_ref_lt_reading_a_q(&m[9], &m[0], &p, 0, e)) ||
        (rc = vf_ref_ols_beta_q(&m[10], x, y, e)) || (rc = mul_new(&m[11], &m[0], &m[10], e)))
        goto out;
    if (differ(c, "Out(X') with frozen weights vs X' beta_hat", &m[9], &m[11])) {
        note_q(c->r, "M_prime", &m[8]);
        vf_claim_note_add(c->r, "why", "LinAttn(X') = X' W_K M' with M' = W_Q^T X'^T X' W_K "
                                       "(similar to L^T X'^T X' L); M' = I on X, not on X'");
        note_q(c->r, "X_prime", &m[0]);
        /* Reading B with the context (X, y) as keys/values and X' as queries is fine. */
        vf_lt_params pb = {.wq = &m[1], .wk = &m[2]};
        vf_qmat ob = {0};
        if (!(rc = vf_ref_lt_reading_b_q(&ob, &m[0], x, y, &pb, 0, e)))
            vf_claim_note_add(c->r, "reading_b", "queries X', keys/values from (X, y): %s",
                              vf_qmat_equal(&ob, &m[11]) ? "X' beta_hat exactly (no shift issue)"
                                                         : "differs from X' beta_hat");
        vf_qmat_clear(&ob);
    }
out:
    clear_all(m, 12);
    return rc;
}

static int check_distribution_shift(const vf_claim *cl, const vf_claim_opts *o,
                                    vf_claim_result *r, vf_err *e)
{
    (void)cl;
    return run_trials(o, r, e, shift_trial, 0,
                      "frozen weights reproduce X' beta_hat on the new data (X'^T X' = X^T X "
                      "here)");
}

/* ---------------------------------------------------------------- spectral (Q-sqrt) */

enum { SP_INVERSE, SP_READING_A, SP_GAUGE };

static int imat_from_q_new(vf_imat *m, const vf_qmat *q, mpfr_prec_t p, vf_err *e)
{
    int rc = vf_imat_init(m, q->rows, q->cols, p, e);
    return rc ? rc : vf_imat_from_q(m, q, e);
}

static int imat_mul_new(vf_imat *c, const vf_imat *a, const vf_imat *b, vf_err *e)
{
    int rc = vf_imat_init(c, a->rows, b->cols, a->prec, e);
    return rc ? rc : vf_imat_mul(c, a, b, e);
}

static int imat_transpose_new(vf_imat *t, const vf_imat *a, vf_err *e)
{
    int rc = vf_imat_init(t, a->cols, a->rows, a->prec, e);
    if (!rc)
        for (size_t i = 0; i < a->rows; i++)
            for (size_t j = 0; j < a->cols; j++)
                mpfi_set(VF_I(t, j, i), VF_I(a, i, j));
    return rc;
}

/* Magnitude bits of a - b (b exact or interval), both a->rows x a->cols. */
static int resid_bits(long *k, const vf_imat *a, const vf_imat *b, vf_err *e)
{
    vf_imat d = {0};
    int rc = vf_imat_init(&d, a->rows, a->cols, a->prec, e);
    if (!rc && !(rc = vf_imat_sub(&d, a, b, e)))
        *k = vf_ref_imat_mag_bits(&d);
    vf_imat_clear(&d);
    return rc;
}

/* One spectral evaluation at precision p: k = certified bits of the identity's residual. */
static int spectral_eval(trial *c, const vf_qmat *x, const vf_qmat *y, int which, mpfr_prec_t p,
                         long *k, int notes, vf_err *e)
{
    vf_eig eig = {0};
    vf_eig_cert cert;
    vf_imat lam = {0}, l = {0}, lt = {0}, g = {0}, t1 = {0}, t2 = {0}, xi = {0}, xl = {0},
            xlt = {0}, want = {0}, id = {0}, ri = {0};
    vf_qmat gq = {0}, h = {0}, hy = {0}, rq = {0}, idq = {0};
    int rc;
    long k1 = 0, k2 = 0;
    if ((rc = vf_ref_ols_require_full_rank(x, e)) || (rc = vf_ref_ols_gram_q(&gq, x, e)) ||
        (rc = vf_ref_eig_sym(&eig, &gq, p, e)) || (rc = vf_ref_eig_certify(&cert, &lam, &eig, &gq, e)) ||
        (rc = vf_ref_eig_whitener(&l, &eig, e)) || (rc = imat_transpose_new(&lt, &l, e)))
        goto out;
    if (which == SP_INVERSE) {
        /* L L^T G - I and L^T G L - I */
        if ((rc = imat_from_q_new(&g, &gq, p, e)) || (rc = vf_qmat_init(&idq, x->cols, x->cols, e)))
            goto out;
        vf_qmat_set_identity(&idq);
        if ((rc = imat_from_q_new(&id, &idq, p, e)) || (rc = imat_mul_new(&t1, &l, &lt, e)) ||
            (rc = imat_mul_new(&t2, &t1, &g, e)) || (rc = resid_bits(&k1, &t2, &id, e)))
            goto out;
        vf_imat_clear(&t1);
        vf_imat_clear(&t2);
        if ((rc = imat_mul_new(&t1, &lt, &g, e)) || (rc = imat_mul_new(&t2, &t1, &l, e)) ||
            (rc = resid_bits(&k2, &t2, &id, e)))
            goto out;
    } else {
        if (which == SP_GAUGE) { /* L <- L R, R rational orthogonal (Cayley) */
            if ((rc = vf_qmat_init(&rq, x->cols, x->cols, e)) ||
                (rc = vf_qgen_orthogonal(&rq, c->o->seed, 600u + (uint64_t)c->t, e)) ||
                (rc = imat_from_q_new(&ri, &rq, p, e)) || (rc = imat_mul_new(&t1, &l, &ri, e)))
                goto out;
            {
                vf_imat tmp = l;
                l = t1;
                t1 = tmp;
            }
            vf_imat_clear(&t1);
            vf_imat_clear(&lt);
            if ((rc = imat_transpose_new(&lt, &l, e)))
                goto out;
        }
        /* Hy = X beta_hat (n x 1): never form the n x n H here, it dominates the cost */
        if ((rc = vf_ref_ols_fit_q(&hy, NULL, x, y, e)) ||
            (rc = imat_from_q_new(&want, &hy, p, e)) || (rc = imat_from_q_new(&xi, x, p, e)) ||
            (rc = imat_mul_new(&xl, &xi, &l, e)) || (rc = imat_transpose_new(&xlt, &xl, e)))
            goto out;
        if (which == SP_READING_A) {
            /* (XL)(XL)^T(XL) - XL, and XLP - Hy with P = L^T X^T y */
            vf_imat yi = {0}, xt = {0}, u = {0}, pp = {0};
            if (!(rc = imat_mul_new(&t1, &xl, &xlt, e)) && !(rc = imat_mul_new(&t2, &t1, &xl, e)) &&
                !(rc = resid_bits(&k1, &t2, &xl, e)) && !(rc = imat_from_q_new(&yi, y, p, e)) &&
                !(rc = imat_transpose_new(&xt, &xi, e)) && !(rc = imat_mul_new(&u, &xt, &yi, e)) &&
                !(rc = imat_mul_new(&pp, &lt, &u, e))) {
                vf_imat_clear(&t1);
                if (!(rc = imat_mul_new(&t1, &xl, &pp, e)))
                    rc = resid_bits(&k2, &t1, &want, e);
            }
            vf_imat_clear(&yi);
            vf_imat_clear(&xt);
            vf_imat_clear(&u);
            vf_imat_clear(&pp);
        } else {
            /* (XLR)(XLR)^T y - Hy */
            vf_imat yi = {0};
            if (!(rc = imat_from_q_new(&yi, y, p, e)) && !(rc = imat_mul_new(&t1, &xlt, &yi, e)) &&
                !(rc = imat_mul_new(&t2, &xl, &t1, e)))
                rc = resid_bits(&k1, &t2, &want, e);
            k2 = k1;
            vf_imat_clear(&yi);
        }
        if (rc)
            goto out;
    }
    *k = k1 < k2 ? k1 : k2;
    if (notes) {
        vf_claim_note_add(c->r, "eig", "Jacobi %d sweeps at %ld bits; |GV - VL| <= 2^-%ld, "
                          "|V^T V - I| <= 2^-%ld; eigenvalue enclosures %s, %s",
                          eig.sweeps, (long)p, cert.resid_bits, cert.orth_bits,
                          cert.separated ? "disjoint (spectrum certified)" : "overlapping",
                          cert.positive ? "all > 0" : "not all certified > 0");
        char *s = NULL;
        mpfr_t mid;
        mpfr_init2(mid, p);
        mpfi_mid(mid, VF_I(&lam, 0, 0));
        if (mpfr_asprintf(&s, "%.15Rg", mid) >= 0) {
            vf_claim_note_add(c->r, "lambda_0", "%s (enclosure width <= 2^-%ld)", s,
                              vf_iv_abs_bits(VF_I(&lam, 0, 0)));
            mpfr_free_str(s);
        }
        mpfr_clear(mid);
        if (which == SP_INVERSE)
            vf_claim_note_add(c->r, "residuals", "|LL^T G - I| <= 2^-%ld, |L^T G L - I| <= 2^-%ld",
                              k1, k2);
        else if (which == SP_READING_A)
            vf_claim_note_add(c->r, "residuals", "|(XL)(XL)^T(XL) - XL| <= 2^-%ld, "
                              "|XLP - Hy| <= 2^-%ld", k1, k2);
        else
            note_q(c->r, "R", &rq);
    }
out:
    vf_ref_eig_clear(&eig);
    vf_imat *im[] = {&lam, &l, &lt, &g, &t1, &t2, &xi, &xl, &xlt, &want, &id, &ri};
    for (size_t i = 0; i < sizeof im / sizeof im[0]; i++)
        vf_imat_clear(im[i]);
    vf_qmat *qm[] = {&gq, &h, &hy, &rq, &idq};
    for (size_t i = 0; i < sizeof qm / sizeof qm[0]; i++)
        vf_qmat_clear(qm[i]);
    return rc;
}

/* Ziv-style loop: certified once k >= p/2, else p doubles up to VF_PREC_MAX (UNCERTIFIED). */
static int spectral_trial(trial *c, const vf_qmat *x, const vf_qmat *y, int which, vf_err *e)
{
    mpfr_prec_t p = c->o->prec ? (mpfr_prec_t)c->o->prec : SPECTRAL_PREC;
    for (;;) {
        long k = 0;
        int notes = c->o->n_in || c->t == 0;
        int rc = spectral_eval(c, x, y, which, p, &k, 0, e);
        if (rc)
            return rc;
        if (k >= (long)p / 2) {
            certified_bits(c, k, p);
            if (notes)
                rc = spectral_eval(c, x, y, which, p, &k, 1, e);
            return rc;
        }
        if (p >= VF_PREC_MAX) {
            vf_claim_set(c->r, VF_UNCERTIFIED, "%s: residual only within 2^-%ld at %ld bits "
                         "(cap)", c->label, k, (long)p);
            return VF_OK;
        }
        p *= 2;
    }
}

static int spectral_inverse_trial(trial *c, const vf_qmat *x, const vf_qmat *y, vf_err *e)
{
    return spectral_trial(c, x, y, SP_INVERSE, e);
}

static int reading_a_spectral_trial(trial *c, const vf_qmat *x, const vf_qmat *y, vf_err *e)
{
    return spectral_trial(c, x, y, SP_READING_A, e);
}

/* Gauge: certified for the spectral L R, and exactly for rational factors (W_Q R, W_K R). */
static int gauge_trial(trial *c, const vf_qmat *x, const vf_qmat *y, vf_err *e)
{
    int rc = spectral_trial(c, x, y, SP_GAUGE, e);
    if (rc || c->r->verdict != VF_CERTIFIED)
        return rc;
    vf_qmat rq = {0}, wq = {0}, wk = {0}, wqr = {0}, wkr = {0}, s = {0}, h = {0};
    vf_lt_params p = {.wq = &wqr, .wk = &wkr};
    if (!(rc = vf_qmat_init(&rq, x->cols, x->cols, e)) &&
        !(rc = vf_qgen_orthogonal(&rq, c->o->seed, 600u + (uint64_t)c->t, e)) &&
        !(rc = vf_ref_ols_construct_q(&wq, &wk, x, VF_OLS_CONS_LDLT, 0, e)) &&
        !(rc = mul_new(&wqr, &wq, &rq, e)) && !(rc = mul_new(&wkr, &wk, &rq, e)) &&
        !(rc = vf_ref_lt_scores_q(&s, x, x, &p, 0, e)) && !(rc = vf_ref_ols_hat_q(&h, x, e)) &&
        !differ(c, "scores with rational factors rotated by R", &s, &h) && c->t == 0)
        vf_claim_note_add(c->r, "rational_gauge", "(XW_Q R)(XW_K R)^T = H exactly (LDL^T "
                                                  "factors, R rational orthogonal)");
    vf_qmat *all[] = {&rq, &wq, &wk, &wqr, &wkr, &s, &h};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_qmat_clear(all[i]);
    return rc;
}

static int check_spectral_inverse(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                                  vf_err *e)
{
    (void)cl;
    return run_trials(o, r, e, spectral_inverse_trial, 1,
                      "L = V Lambda^-1/2: LL^T G = I and L^T G L = I");
}

static int check_reading_a_spectral(const vf_claim *cl, const vf_claim_opts *o,
                                    vf_claim_result *r, vf_err *e)
{
    (void)cl;
    return run_trials(o, r, e, reading_a_spectral_trial, 1,
                      "W_Q = W_K = W_V = L, W_p = L^T X^T y: (XL)(XL)^T(XL) = XL, XLP = Hy");
}

static int check_gauge(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                       vf_err *e)
{
    (void)cl;
    return run_trials(o, r, e, gauge_trial, 1, "(XLR)(XLR)^T y = Hy for rational orthogonal R");
}

/* ---------------------------------------------------------------- the table */

const vf_claim vf_claim_ols_hat_matrix = {
    .id = "ols.hat_matrix",
    .statement = "H = X(X^T X)^-1 X^T satisfies H^2 = H, H^T = H, HX = X, tr H = d (OLS-1)",
    .cls = VF_CLASS_Q, .source = SRC, .expected = VF_HELD_EXACT,
    .default_n = 12, .default_d = 3, .default_trials = 5, .check = check_hat_matrix};

const vf_claim vf_claim_ols_normal_equations = {
    .id = "ols.normal_equations",
    .statement = "X^T(y - Hy) = 0 and ||y||^2 = ||Hy||^2 + ||y - Hy||^2 (OLS-2)",
    .cls = VF_CLASS_Q, .source = SRC, .expected = VF_HELD_EXACT,
    .default_n = 12, .default_d = 3, .default_trials = 5, .check = check_normal_equations};

const vf_claim vf_claim_ols_scores_equal_hat = {
    .id = "ols.scores_equal_hat",
    .statement = "W_Q W_K^T = G^-1 implies attention scores (XW_Q)(XW_K)^T = H; rational "
                 "factors W_Q = G^-1, W_K = I and LDL^T (OLS-3)",
    .cls = VF_CLASS_Q, .source = SRC, .expected = VF_HELD_EXACT,
    .default_n = 12, .default_d = 3, .default_trials = 5, .check = check_scores_equal_hat};

const vf_claim vf_claim_ols_reading_b = {
    .id = "ols.reading_b",
    .statement = "In-context reading (queries X_q W_Q, keys X W_K, values y): QK^T y = X_q "
                 "beta_hat (OLS-4)",
    .cls = VF_CLASS_Q, .source = SRC, .expected = VF_HELD_EXACT,
    .default_n = 12, .default_d = 3, .default_trials = 5, .check = check_reading_b};

const vf_claim vf_claim_ols_reading_a = {
    .id = "ols.reading_a",
    .statement = "Self-attention reading, rational factors: LinAttn(X) W_FFN W_p = Hy, plain, "
                 "1/n and residual forms (OLS-5, rational)",
    .cls = VF_CLASS_Q, .source = SRC, .expected = VF_HELD_EXACT,
    .default_n = 12, .default_d = 3, .default_trials = 5, .check = check_reading_a};

const vf_claim vf_claim_ols_reading_a_spectral = {
    .id = "ols.reading_a_spectral",
    .statement = "Paper's construction W_Q = W_K = W_V = L = V Lambda^-1/2, W_FFN = I, "
                 "W_p = L^T X^T y: (XL)(XL)^T(XL) = XL and XLP = Hy (OLS-5)",
    .cls = VF_CLASS_QSQRT, .source = SRC, .expected = VF_CERTIFIED,
    .default_n = 12, .default_d = 3, .default_trials = 5, .check = check_reading_a_spectral};

const vf_claim vf_claim_ols_gauge = {
    .id = "ols.gauge",
    .statement = "Gauge freedom L -> LR, R orthogonal: (XLR)(XLR)^T y = Hy (OLS-6)",
    .cls = VF_CLASS_QSQRT, .source = SRC, .expected = VF_CERTIFIED,
    .default_n = 12, .default_d = 3, .default_trials = 5, .check = check_gauge};

const vf_claim vf_claim_ols_intercept = {
    .id = "ols.intercept",
    .statement = "Centred covariance gives OLS with intercept: H~ = (1/n)11^T + H_c is the "
                 "projector onto span(1, col X) (OLS-7)",
    .cls = VF_CLASS_Q, .source = SRC, .expected = VF_HELD_EXACT,
    .default_n = 12, .default_d = 3, .default_trials = 5, .check = check_intercept};

const vf_claim vf_claim_ols_spectral_inverse = {
    .id = "ols.spectral_inverse",
    .statement = "L = V Lambda^-1/2 from G = V Lambda V^T satisfies LL^T G = I (OLS-8)",
    .cls = VF_CLASS_QSQRT, .source = SRC, .expected = VF_CERTIFIED,
    .default_n = 12, .default_d = 3, .default_trials = 5, .check = check_spectral_inverse};

const vf_claim vf_claim_ols_pinv_projector = {
    .id = "ols.pinv_projector",
    .statement = "Rank-deficient X: H = X_S (X_S^T X_S)^-1 X_S^T over a maximal independent "
                 "column subset is the projector onto col X (THEORY 1.6)",
    .cls = VF_CLASS_Q, .source = SRC, .expected = VF_HELD_EXACT,
    .default_n = 12, .default_d = 3, .default_trials = 3, .check = check_pinv_projector};

const vf_claim vf_claim_ols_paper_experiment = {
    .id = "ols.paper_experiment",
    .statement = "y = 2x + eps: the constructed parameters (no training) reproduce the OLS fit "
                 "exactly; slow memory W_Q, W_K, W_p and fast memory (scores) printed",
    .cls = VF_CLASS_Q, .source = SRC, .expected = VF_HELD_EXACT,
    .default_n = 6, .default_d = 1, .default_trials = 1, .check = check_paper_experiment};

const vf_claim vf_claim_ols_distribution_shift = {
    .id = "ols.distribution_shift",
    .statement = "Weights frozen on X reproduce OLS on new data X': Out(X') = X' beta_hat "
                 "(false unless X'^T X' = X^T X; THEORY 1.4)",
    .cls = VF_CLASS_Q, .source = SRC, .expected = VF_REFUTED,
    .default_n = 12, .default_d = 3, .default_trials = 1, .check = check_distribution_shift};
