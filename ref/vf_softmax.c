/* vf_softmax.c — certified softmax family and Gibbs-state thermodynamics (see vf_softmax.h).
 *
 * Every value is an MPFI interval, so each result is an enclosure as long as the inputs are
 * (float/double inputs are exact points at >= 53 bits, rationals are enclosed by their two
 * roundings).  One row at a time goes through a workspace:
 *   s_j  logits (energies negated), masked entries flagged and never touched again;
 *   y_j  = s_j / T - c, with c the largest right endpoint of the s_j / T: an exact constant, so
 *        every y_j <= 0 (no overflow for logits beyond +-88 or tiny T) and the largest term
 *        e^{y_j} is about 1 (no underflow of Z); mathematically log sum e^{s_j/T} = c + log Z
 *        for ANY constant c, so the shift costs no rigour;
 *   w_j  = e^{y_j}, Z = sum w_j, logz = log Z.
 * No hardware float arithmetic decides anything: doubles only carry exact input values.
 */
#include "vf_softmax.h"

#include <math.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- sources and temperature */

static int src_check(const vf_sm_src *s, vf_err *e)
{
    int ok = (s->kind == VF_SM_F32 && s->f32) || (s->kind == VF_SM_F64 && s->f64) ||
             (s->kind == VF_SM_Q && s->q);
    if (!ok)
        return vf_fail(e, VF_E_USAGE, "softmax input: kind %d without its data", (int)s->kind);
    if (s->kind == VF_SM_Q && (s->q->rows != s->rows || s->q->cols != s->cols))
        return vf_fail(e, VF_E_SHAPE, "softmax input: rational matrix %zux%zu, declared %zux%zu",
                       s->q->rows, s->q->cols, s->rows, s->cols);
    return VF_OK;
}

static int out_check(const vf_imat *out, size_t rows, size_t cols, const char *what, vf_err *e)
{
    if (out->rows != rows || out->cols != cols)
        return vf_fail(e, VF_E_SHAPE, "%s: output %zux%zu, expected %zux%zu", what, out->rows,
                       out->cols, rows, cols);
    return VF_OK;
}

int vf_temp_enclose(mpfi_t out, const vf_temp *T, vf_err *e)
{
    if (!T || !T->t) {
        mpfi_set_ui(out, 1);
        return VF_OK;
    }
    if (mpq_sgn(T->t) <= 0)
        return vf_fail(e, VF_E_DOMAIN, "temperature must be > 0 (T = 0 is hardmax, outside the "
                                       "theorem)");
    mpfi_set_q(out, T->t);
    if (T->is_sqrt)
        mpfi_sqrt(out, out);
    return VF_OK;
}

/* T == 1 exactly: the division by T is skipped (it is the common case and the hot path). */
static int temp_is_one(const vf_temp *T)
{
    return !T || !T->t || mpq_cmp_ui(T->t, 1, 1) == 0;
}

static double src_value(const vf_sm_src *s, size_t k)
{
    return s->kind == VF_SM_F32 ? (double)s->f32[k] : s->f64[k];
}

/* Entry (i, j) of s as a logit into x; *masked set for -inf logits (+inf energies) and flagged
 * entries.  NaN and +inf logits (-inf energies) are outside the domain. */
static int load_logit(mpfi_t x, unsigned char *masked, const vf_sm_src *s, size_t i, size_t j,
                      vf_err *e)
{
    size_t k = i * s->cols + j;
    *masked = 0;
    if (s->mask && s->mask[k]) {
        *masked = 1;
        return VF_OK;
    }
    if (s->kind == VF_SM_Q) {
        mpfi_set_q(x, s->q->a[k]);
        if (s->energy)
            mpfi_neg(x, x);
        return VF_OK;
    }
    double v = src_value(s, k);
    if (isnan(v))
        return vf_fail(e, VF_E_DOMAIN, "row %zu: NaN at column %zu", i, j);
    if (s->energy)
        v = -v; /* exact */
    if (v == -INFINITY) {
        *masked = 1;
        return VF_OK;
    }
    if (v == INFINITY)
        return vf_fail(e, VF_E_DOMAIN,
                       "row %zu: column %zu is a +inf logit (energy -inf): all the mass sits on "
                       "it (F* = -inf), invalid input", i, j);
    mpfi_set_d(x, v);
    return VF_OK;
}

int vf_sm_src_enclose(vf_imat *m, const vf_sm_src *s, vf_err *e)
{
    int rc = src_check(s, e);
    if (rc)
        return rc;
    if ((rc = out_check(m, s->rows, s->cols, "enclose", e)))
        return rc;
    for (size_t k = 0; k < s->rows * s->cols; k++) {
        if (s->kind == VF_SM_Q) {
            mpfi_set_q(m->a[k], s->q->a[k]);
            continue;
        }
        double v = src_value(s, k);
        if (!isfinite(v))
            return vf_fail(e, VF_E_DOMAIN, "row %zu: %s at column %zu (a finite value is needed)",
                           k / s->cols, isnan(v) ? "NaN" : "an infinity", k % s->cols);
        mpfi_set_d(m->a[k], v);
    }
    return VF_OK;
}

/* ---------------------------------------------------------------- workspace */

typedef struct ws {
    size_t n;
    mpfi_t *s, *y, *w;
    unsigned char *m;
    mpfi_t T, Z, logz, t1, t2, t3;
    mpfr_t c;
    int t_one;
} ws;

static void ws_clear(ws *w)
{
    if (w->s) {
        for (size_t j = 0; j < w->n; j++) {
            mpfi_clear(w->s[j]);
            mpfi_clear(w->y[j]);
            mpfi_clear(w->w[j]);
        }
        mpfi_clear(w->T);
        mpfi_clear(w->Z);
        mpfi_clear(w->logz);
        mpfi_clear(w->t1);
        mpfi_clear(w->t2);
        mpfi_clear(w->t3);
        mpfr_clear(w->c);
    }
    free(w->s);
    free(w->y);
    free(w->w);
    free(w->m);
    w->s = w->y = w->w = NULL;
    w->m = NULL;
}

static int ws_init(ws *w, size_t n, mpfr_prec_t prec, const vf_temp *T, vf_err *e)
{
    *w = (ws){0};
    w->s = vf_calloc(n ? n : 1, sizeof *w->s, e);
    w->y = vf_calloc(n ? n : 1, sizeof *w->y, e);
    w->w = vf_calloc(n ? n : 1, sizeof *w->w, e);
    w->m = vf_calloc(n ? n : 1, 1, e);
    if (!w->s || !w->y || !w->w || !w->m) {
        ws_clear(w);
        return VF_E_NOMEM;
    }
    w->n = n;
    for (size_t j = 0; j < n; j++) {
        mpfi_init2(w->s[j], prec);
        mpfi_init2(w->y[j], prec);
        mpfi_init2(w->w[j], prec);
    }
    mpfi_init2(w->T, prec);
    mpfi_init2(w->Z, prec);
    mpfi_init2(w->logz, prec);
    mpfi_init2(w->t1, prec);
    mpfi_init2(w->t2, prec);
    mpfi_init2(w->t3, prec);
    mpfr_init2(w->c, prec);
    w->t_one = temp_is_one(T);
    int rc = vf_temp_enclose(w->T, T, e);
    if (rc)
        ws_clear(w);
    return rc;
}

static int ws_load_row(ws *w, const vf_sm_src *s, size_t i, vf_err *e)
{
    for (size_t j = 0; j < w->n; j++) {
        int rc = load_logit(w->s[j], &w->m[j], s, i, j, e);
        if (rc)
            return rc;
    }
    return VF_OK;
}

/* From the loaded logits s_j: y_j = s_j/T - c, w_j = e^{y_j}, Z, logz (see the file comment). */
static int ws_gibbs(ws *w, size_t i, vf_err *e)
{
    int any = 0;
    for (size_t j = 0; j < w->n; j++) {
        if (w->m[j])
            continue;
        if (w->t_one)
            mpfi_set(w->y[j], w->s[j]);
        else
            mpfi_div(w->y[j], w->s[j], w->T);
        /* Same precision: taking the larger endpoint is exact. */
        if (!any || mpfr_cmp(&w->y[j]->right, w->c) > 0)
            mpfr_set(w->c, &w->y[j]->right, MPFR_RNDU);
        any = 1;
    }
    if (!any)
        return vf_fail(e, VF_E_DOMAIN,
                       "row %zu: every entry is masked (Z = 0, softmax undefined)", i);
    mpfi_set_ui(w->Z, 0);
    for (size_t j = 0; j < w->n; j++) {
        if (w->m[j])
            continue;
        mpfi_sub_fr(w->y[j], w->y[j], w->c);
        mpfi_exp(w->w[j], w->y[j]);
        mpfi_add(w->Z, w->Z, w->w[j]);
    }
    /* Z >= the term of the maximum, e^{y} with y within one enclosure width of 0: Z > 0. */
    mpfi_log(w->logz, w->Z);
    return VF_OK;
}

/* ---------------------------------------------------------------- row kernels */

typedef enum { K_SOFTMAX, K_LOGSOFTMAX, K_LSE, K_THERMO } row_kind;

/* Writes row i's result from a workspace after ws_gibbs. */
static void row_out(ws *w, row_kind k, vf_thermo_q what, vf_imat *out, size_t i)
{
    switch (k) {
    case K_SOFTMAX:
        for (size_t j = 0; j < w->n; j++) {
            if (w->m[j])
                mpfi_set_ui(VF_I(out, i, j), 0); /* exactly 0, and +0 */
            else
                mpfi_div(VF_I(out, i, j), w->w[j], w->Z);
        }
        return;
    case K_LOGSOFTMAX:
        for (size_t j = 0; j < w->n; j++) {
            if (w->m[j]) {
                mpfr_set_inf(&VF_I(out, i, j)->left, -1);
                mpfr_set_inf(&VF_I(out, i, j)->right, -1);
            } else {
                mpfi_sub(VF_I(out, i, j), w->y[j], w->logz);
            }
        }
        return;
    case K_LSE:
        mpfi_add_fr(w->t1, w->logz, w->c);
        if (!w->t_one)
            mpfi_mul(w->t1, w->t1, w->T);
        mpfi_set(VF_I(out, i, 0), w->t1);
        return;
    case K_THERMO:
        break;
    }
    mpfi_t *r = &VF_I(out, i, 0);
    mpfi_add_fr(w->t1, w->logz, w->c); /* t1 = log Z */
    if (what == VF_TH_LOGZ) {
        mpfi_set(*r, w->t1);
        return;
    }
    if (what == VF_TH_F) {
        mpfi_mul(*r, w->t1, w->T);
        mpfi_neg(*r, *r);
        return;
    }
    /* Mean of the logits under p*: U* = -<s>.  w_j becomes p_j. */
    mpfi_set_ui(w->t2, 0);
    for (size_t j = 0; j < w->n; j++) {
        if (w->m[j])
            continue;
        mpfi_div(w->w[j], w->w[j], w->Z);
        mpfi_mul(w->t3, w->w[j], w->s[j]);
        mpfi_add(w->t2, w->t2, w->t3);
    }
    if (what == VF_TH_U) {
        mpfi_neg(*r, w->t2);
        return;
    }
    if (what == VF_TH_S) { /* S* = log Z + U* / T = log Z - <s>/T */
        mpfi_div(w->t3, w->t2, w->T);
        mpfi_sub(*r, w->t1, w->t3);
        return;
    }
    /* C: two-pass variance sum p_j (s_j - <s>)^2 (Var(E) = Var(s)), then / T^2. */
    mpfi_set_ui(*r, 0);
    for (size_t j = 0; j < w->n; j++) {
        if (w->m[j])
            continue;
        mpfi_sub(w->t3, w->s[j], w->t2);
        mpfi_sqr(w->t3, w->t3);
        mpfi_mul(w->t3, w->t3, w->w[j]);
        mpfi_add(*r, *r, w->t3);
    }
    mpfi_sqr(w->t3, w->T);
    mpfi_div(*r, *r, w->t3);
}

static int run_rows(vf_imat *out, const vf_sm_src *s, const vf_temp *T, row_kind k,
                    vf_thermo_q what, vf_err *e)
{
    static const char *const names[] = {"softmax", "log_softmax", "logsumexp", "thermo"};
    int rc = src_check(s, e);
    if (rc)
        return rc;
    size_t cols = (k == K_SOFTMAX || k == K_LOGSOFTMAX) ? s->cols : 1;
    if ((rc = out_check(out, s->rows, cols, names[k], e)))
        return rc;
    if (k == K_THERMO && (unsigned)what > VF_TH_C)
        return vf_fail(e, VF_E_USAGE, "thermo: unknown quantity %d", (int)what);
    ws w;
    if ((rc = ws_init(&w, s->cols, out->prec, T, e)))
        return rc;
    for (size_t i = 0; i < s->rows && !rc; i++) {
        rc = ws_load_row(&w, s, i, e);
        if (!rc)
            rc = ws_gibbs(&w, i, e);
        if (!rc)
            row_out(&w, k, what, out, i);
    }
    ws_clear(&w);
    return rc;
}

int vf_ref_softmax(vf_imat *p, const vf_sm_src *s, const vf_temp *T, vf_err *e)
{
    return run_rows(p, s, T, K_SOFTMAX, VF_TH_LOGZ, e);
}

int vf_ref_log_softmax(vf_imat *out, const vf_sm_src *s, const vf_temp *T, vf_err *e)
{
    return run_rows(out, s, T, K_LOGSOFTMAX, VF_TH_LOGZ, e);
}

int vf_ref_logsumexp(vf_imat *out, const vf_sm_src *s, const vf_temp *T, vf_err *e)
{
    return run_rows(out, s, T, K_LSE, VF_TH_LOGZ, e);
}

int vf_ref_thermo(vf_imat *out, const vf_sm_src *E, const vf_temp *T, vf_thermo_q what,
                  vf_err *e)
{
    return run_rows(out, E, T, K_THERMO, what, e);
}

/* ---------------------------------------------------------------- distributions */

/* r = an enclosure of { x log x : x in X } for X inside [0, inf), with 0 log 0 = 0. */
static void xlogx(mpfi_t r, mpfi_srcptr x)
{
    mpfr_prec_t p = mpfi_get_prec(r);
    if (mpfr_zero_p(&x->right)) { /* the point 0: contributes exactly 0 */
        mpfi_set_ui(r, 0);
        return;
    }
    mpfi_t t, bl, ie;
    mpfi_init2(t, p);
    if (mpfr_sgn(&x->left) > 0) {
        mpfi_log(t, x);
        mpfi_mul(r, t, x);
        mpfi_clear(t);
        return;
    }
    /* X = [0, b]: x log x is continuous on [0, b] with value 0 at 0, decreasing on [0, 1/e]
     * (minimum -1/e at 1/e) and negative below 1.  Hence min = b log b if b <= 1/e, else -1/e;
     * max = 0 if b <= 1, else b log b. */
    mpfi_init2(bl, p);
    mpfi_init2(ie, p);
    mpfi_set_fr(t, &x->right);
    mpfi_log(bl, t);
    mpfi_mul(bl, bl, t); /* encloses b log b */
    mpfi_set_si(ie, -1);
    mpfi_exp(ie, ie); /* encloses 1/e */
    mpfr_t lo, hi;
    mpfr_init2(lo, p);
    mpfr_init2(hi, p);
    if (mpfr_cmp(&x->right, &ie->left) < 0)
        mpfr_set(lo, &bl->left, MPFR_RNDD);
    else
        mpfr_neg(lo, &ie->right, MPFR_RNDD); /* -1/e, rounded down */
    if (mpfr_cmp_ui(&x->right, 1) <= 0)
        mpfr_set_ui(hi, 0, MPFR_RNDU);
    else
        mpfr_set(hi, &bl->right, MPFR_RNDU);
    mpfi_interv_fr(r, lo, hi);
    mpfr_clears(lo, hi, (mpfr_ptr)0);
    mpfi_clear(t);
    mpfi_clear(bl);
    mpfi_clear(ie);
}

/* Row i of a distribution: nonnegative enclosures whose sum encloses 1. */
static int dist_check(const vf_imat *q, size_t i, const char *name, vf_err *e)
{
    mpfi_t sum;
    mpfi_init2(sum, q->prec);
    mpfi_set_ui(sum, 0);
    int rc = VF_OK;
    for (size_t j = 0; j < q->cols && !rc; j++) {
        if (mpfi_nan_p(VF_I(q, i, j)) || !mpfi_is_nonneg(VF_I(q, i, j)))
            rc = vf_fail(e, VF_E_DOMAIN,
                         "row %zu of %s: entry %zu is negative or not certified >= 0", i, name,
                         j);
        mpfi_add(sum, sum, VF_I(q, i, j));
    }
    if (!rc && (mpfr_cmp_ui(&sum->left, 1) > 0 || mpfr_cmp_ui(&sum->right, 1) < 0))
        rc = vf_fail(e, VF_E_DOMAIN, "row %zu of %s does not sum to 1 (not in the simplex)", i,
                     name);
    mpfi_clear(sum);
    return rc;
}

static int is_point_zero(mpfi_srcptr x)
{
    return mpfr_zero_p(&x->left) && mpfr_zero_p(&x->right);
}

int vf_ref_free_energy(vf_imat *out, const vf_sm_src *E, const vf_imat *q, const vf_temp *T,
                       vf_err *e)
{
    int rc = src_check(E, e);
    if (!rc)
        rc = out_check(out, E->rows, 1, "free_energy", e);
    if (!rc && (q->rows != E->rows || q->cols != E->cols))
        rc = vf_fail(e, VF_E_SHAPE, "free_energy: q is %zux%zu, energies %zux%zu", q->rows,
                     q->cols, E->rows, E->cols);
    if (rc)
        return rc;
    mpfi_t x, t, Tiv, u, h;
    mpfi_init2(x, out->prec);
    mpfi_init2(t, out->prec);
    mpfi_init2(Tiv, out->prec);
    mpfi_init2(u, out->prec);
    mpfi_init2(h, out->prec);
    rc = vf_temp_enclose(Tiv, T, e);
    for (size_t i = 0; i < E->rows && !rc; i++) {
        if ((rc = dist_check(q, i, "q", e)))
            break;
        mpfi_set_ui(u, 0); /* sum q_j E_j */
        mpfi_set_ui(h, 0); /* sum q_j log q_j */
        for (size_t j = 0; j < E->cols && !rc; j++) {
            unsigned char masked;
            mpfi_srcptr qj = VF_I(q, i, j);
            if ((rc = load_logit(x, &masked, E, i, j, e)))
                break;
            if (is_point_zero(qj))
                continue; /* 0 * E_j = 0 and 0 log 0 = 0, exactly (E_j = +inf included) */
            if (masked) {
                rc = vf_fail(e, VF_E_DOMAIN, "row %zu: q puts mass on the masked entry %zu "
                                             "(energy +inf, F[q] = +inf)", i, j);
                break;
            }
            mpfi_mul(t, qj, x);
            mpfi_sub(u, u, t); /* E_j = -s_j */
            xlogx(t, qj);
            mpfi_add(h, h, t);
        }
        if (rc)
            break;
        mpfi_mul(h, h, Tiv);
        mpfi_add(VF_I(out, i, 0), u, h);
    }
    mpfi_clear(x);
    mpfi_clear(t);
    mpfi_clear(Tiv);
    mpfi_clear(u);
    mpfi_clear(h);
    return rc;
}

int vf_ref_kl(vf_imat *out, const vf_imat *q, const vf_imat *p, vf_err *e)
{
    if (q->rows != p->rows || q->cols != p->cols)
        return vf_fail(e, VF_E_SHAPE, "kl: q is %zux%zu, p is %zux%zu", q->rows, q->cols, p->rows,
                       p->cols);
    int rc = out_check(out, q->rows, 1, "kl", e);
    if (rc)
        return rc;
    mpfi_t t, lp, acc;
    mpfi_init2(t, out->prec);
    mpfi_init2(lp, out->prec);
    mpfi_init2(acc, out->prec);
    for (size_t i = 0; i < q->rows && !rc; i++) {
        if ((rc = dist_check(q, i, "q", e)) || (rc = dist_check(p, i, "p", e)))
            break;
        mpfi_set_ui(acc, 0);
        for (size_t j = 0; j < q->cols; j++) {
            mpfi_srcptr qj = VF_I(q, i, j), pj = VF_I(p, i, j);
            if (is_point_zero(qj))
                continue; /* 0 log(0/p) = 0 even where p_j = 0 */
            if (!mpfi_is_strictly_pos(pj)) {
                rc = vf_fail(e, VF_E_DOMAIN, "row %zu: q_%zu > 0 where p_%zu may be 0 "
                                             "(KL(q||p) = +inf)", i, j, j);
                break;
            }
            xlogx(t, qj);
            mpfi_add(acc, acc, t);
            mpfi_log(lp, pj);
            mpfi_mul(t, qj, lp);
            mpfi_sub(acc, acc, t);
        }
        if (!rc)
            mpfi_set(VF_I(out, i, 0), acc);
    }
    mpfi_clear(t);
    mpfi_clear(lp);
    mpfi_clear(acc);
    return rc;
}

int vf_ref_entropy(vf_imat *out, const vf_imat *p, vf_err *e)
{
    int rc = out_check(out, p->rows, 1, "entropy", e);
    if (rc)
        return rc;
    mpfi_t t, acc;
    mpfi_init2(t, out->prec);
    mpfi_init2(acc, out->prec);
    for (size_t i = 0; i < p->rows && !rc; i++) {
        if ((rc = dist_check(p, i, "p", e)))
            break;
        mpfi_set_ui(acc, 0);
        for (size_t j = 0; j < p->cols; j++) {
            xlogx(t, VF_I(p, i, j));
            mpfi_sub(acc, acc, t);
        }
        mpfi_set(VF_I(out, i, 0), acc);
    }
    mpfi_clear(t);
    mpfi_clear(acc);
    return rc;
}

/* ---------------------------------------------------------------- attention */

int vf_ref_attention(vf_imat *P, const vf_sm_src *Q, const vf_sm_src *K,
                     const unsigned char *mask, vf_err *e)
{
    int rc;
    if ((rc = src_check(Q, e)) || (rc = src_check(K, e)))
        return rc;
    if (Q->cols == 0 || Q->cols != K->cols)
        return vf_fail(e, VF_E_SHAPE, "attention: Q is %zux%zu, K is %zux%zu (need equal d_k >= 1)",
                       Q->rows, Q->cols, K->rows, K->cols);
    if ((rc = out_check(P, Q->rows, K->rows, "attention", e)))
        return rc;
    size_t m = Q->rows, n = K->rows, d = Q->cols;
    vf_imat qi = {0}, ki = {0};
    mpq_t dk;
    mpq_init(dk);
    mpq_set_ui(dk, (unsigned long)d, 1);
    vf_temp T = {dk, 1}; /* T = sqrt(d_k) */
    ws w = {0};
    if ((rc = vf_imat_init(&qi, m, d, P->prec, e)) || (rc = vf_imat_init(&ki, n, d, P->prec, e)) ||
        (rc = vf_sm_src_enclose(&qi, Q, e)) || (rc = vf_sm_src_enclose(&ki, K, e)) ||
        (rc = ws_init(&w, n, P->prec, &T, e)))
        goto out;
    for (size_t i = 0; i < m && !rc; i++) {
        for (size_t j = 0; j < n; j++) {
            w.m[j] = mask && mask[i * n + j];
            if (w.m[j])
                continue;
            mpfi_set_ui(w.s[j], 0);
            for (size_t k = 0; k < d; k++) {
                mpfi_mul(w.t1, VF_I(&qi, i, k), VF_I(&ki, j, k));
                mpfi_add(w.s[j], w.s[j], w.t1);
            }
        }
        if (!(rc = ws_gibbs(&w, i, e)))
            row_out(&w, K_SOFTMAX, VF_TH_LOGZ, P, i);
    }
out:
    ws_clear(&w);
    vf_imat_clear(&qi);
    vf_imat_clear(&ki);
    mpq_clear(dk);
    return rc;
}

/* ---------------------------------------------------------------- correct rounding */

typedef enum { CR_SOFTMAX, CR_LOGSOFTMAX, CR_LSE, CR_THERMO, CR_FREE, CR_KL, CR_ENTROPY,
               CR_ATTN } cr_op;

typedef struct cr_ctx {
    cr_op op;
    const vf_sm_src *a, *b;
    const vf_temp *T;
    vf_thermo_q what;
    const unsigned char *mask;
} cr_ctx;

/* Encloses an exact distribution source at precision prec into m (initialised here). */
static int enclose_new(vf_imat *m, const vf_sm_src *s, mpfr_prec_t prec, vf_err *e)
{
    int rc = src_check(s, e);
    if (!rc)
        rc = vf_imat_init(m, s->rows, s->cols, prec, e);
    if (!rc)
        rc = vf_sm_src_enclose(m, s, e);
    return rc;
}

static int cr_eval(void *vctx, mpfr_prec_t prec, vf_imat *out, vf_err *e)
{
    const cr_ctx *c = vctx;
    vf_imat x = {0}, y = {0};
    int rc;
    switch (c->op) {
    case CR_SOFTMAX: return vf_ref_softmax(out, c->a, c->T, e);
    case CR_LOGSOFTMAX: return vf_ref_log_softmax(out, c->a, c->T, e);
    case CR_LSE: return vf_ref_logsumexp(out, c->a, c->T, e);
    case CR_THERMO: return vf_ref_thermo(out, c->a, c->T, c->what, e);
    case CR_ATTN: return vf_ref_attention(out, c->a, c->b, c->mask, e);
    case CR_FREE:
        if (!(rc = enclose_new(&x, c->b, prec, e)))
            rc = vf_ref_free_energy(out, c->a, &x, c->T, e);
        break;
    case CR_KL:
        if (!(rc = enclose_new(&x, c->a, prec, e)) && !(rc = enclose_new(&y, c->b, prec, e)))
            rc = vf_ref_kl(out, &x, &y, e);
        break;
    case CR_ENTROPY:
        if (!(rc = enclose_new(&x, c->a, prec, e)))
            rc = vf_ref_entropy(out, &x, e);
        break;
    default: rc = vf_fail(e, VF_E_INTERNAL, "softmax rounding: unknown op %d", (int)c->op);
    }
    vf_imat_clear(&x);
    vf_imat_clear(&y);
    return rc;
}

static int cr_run(vf_rounded *r, const cr_ctx *c, size_t rows, size_t cols, vf_dtype dt,
                  vf_err *e)
{
    return vf_round_ziv(r, rows, cols, dt, cr_eval, (void *)c, VF_PREC_START, VF_PREC_MAX, e);
}

int vf_ref_softmax_cr(vf_rounded *r, const vf_sm_src *s, const vf_temp *T, vf_dtype dt,
                      vf_err *e)
{
    cr_ctx c = {.op = CR_SOFTMAX, .a = s, .T = T};
    return cr_run(r, &c, s->rows, s->cols, dt, e);
}

int vf_ref_log_softmax_cr(vf_rounded *r, const vf_sm_src *s, const vf_temp *T, vf_dtype dt,
                          vf_err *e)
{
    cr_ctx c = {.op = CR_LOGSOFTMAX, .a = s, .T = T};
    return cr_run(r, &c, s->rows, s->cols, dt, e);
}

int vf_ref_logsumexp_cr(vf_rounded *r, const vf_sm_src *s, const vf_temp *T, vf_dtype dt,
                        vf_err *e)
{
    cr_ctx c = {.op = CR_LSE, .a = s, .T = T};
    return cr_run(r, &c, s->rows, 1, dt, e);
}

int vf_ref_thermo_cr(vf_rounded *r, const vf_sm_src *E, const vf_temp *T, vf_thermo_q what,
                     vf_dtype dt, vf_err *e)
{
    cr_ctx c = {.op = CR_THERMO, .a = E, .T = T, .what = what};
    return cr_run(r, &c, E->rows, 1, dt, e);
}

int vf_ref_free_energy_cr(vf_rounded *r, const vf_sm_src *E, const vf_sm_src *q,
                          const vf_temp *T, vf_dtype dt, vf_err *e)
{
    cr_ctx c = {.op = CR_FREE, .a = E, .b = q, .T = T};
    return cr_run(r, &c, E->rows, 1, dt, e);
}

int vf_ref_kl_cr(vf_rounded *r, const vf_sm_src *q, const vf_sm_src *p, vf_dtype dt,
                 vf_err *e)
{
    cr_ctx c = {.op = CR_KL, .a = q, .b = p};
    return cr_run(r, &c, q->rows, 1, dt, e);
}

int vf_ref_entropy_cr(vf_rounded *r, const vf_sm_src *p, vf_dtype dt, vf_err *e)
{
    cr_ctx c = {.op = CR_ENTROPY, .a = p};
    return cr_run(r, &c, p->rows, 1, dt, e);
}

int vf_ref_attention_cr(vf_rounded *r, const vf_sm_src *Q, const vf_sm_src *K,
                        const unsigned char *mask, vf_dtype dt, vf_err *e)
{
    cr_ctx c = {.op = CR_ATTN, .a = Q, .b = K, .mask = mask};
    return cr_run(r, &c, Q->rows, K->rows, dt, e);
}
