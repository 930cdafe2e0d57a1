/* vf_potential.c — exact ε-polynomials, dual intervals, certified expm (see vf_potential.h). */
#include "vf_potential.h"

#include <stdio.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- exact ε-polynomials */

int vf_qmpoly_init(vf_qmpoly *p, size_t rows, size_t cols, size_t deg, vf_err *e)
{
    p->rows = rows;
    p->cols = cols;
    p->deg = deg;
    p->c = vf_calloc(deg + 1, sizeof *p->c, e);
    if (!p->c)
        return VF_E_NOMEM;
    for (size_t k = 0; k <= deg; k++) {
        int rc = vf_qmat_init(&p->c[k], rows, cols, e);
        if (rc)
            return rc;
    }
    return VF_OK;
}

void vf_qmpoly_clear(vf_qmpoly *p)
{
    if (p->c) {
        for (size_t k = 0; k <= p->deg; k++)
            vf_qmat_clear(&p->c[k]);
        free(p->c);
    }
    p->c = NULL;
}

int vf_qmpoly_line(vf_qmpoly *p, const vf_qmat *x, const vf_qmat *d, vf_err *e)
{
    if (d && (d->rows != x->rows || d->cols != x->cols))
        return vf_fail(e, VF_E_SHAPE, "direction is %zux%zu but the point is %zux%zu", d->rows,
                       d->cols, x->rows, x->cols);
    int rc = vf_qmpoly_init(p, x->rows, x->cols, d ? 1 : 0, e);
    if (!rc)
        rc = vf_qmat_copy(&p->c[0], x, e);
    if (!rc && d)
        rc = vf_qmat_copy(&p->c[1], d, e);
    return rc;
}

int vf_qmpoly_mul(vf_qmpoly *c, const vf_qmpoly *a, const vf_qmpoly *b, vf_err *e)
{
    if (a->cols != b->rows)
        return vf_fail(e, VF_E_SHAPE, "polynomial product %zux%zu by %zux%zu", a->rows, a->cols,
                       b->rows, b->cols);
    vf_qmat t = {0};
    int rc = vf_qmpoly_init(c, a->rows, b->cols, a->deg + b->deg, e);
    if (!rc)
        rc = vf_qmat_init(&t, a->rows, b->cols, e);
    for (size_t i = 0; i <= a->deg && !rc; i++)
        for (size_t j = 0; j <= b->deg && !rc; j++)
            if (!(rc = vf_qmat_mul(&t, &a->c[i], &b->c[j], e)))
                rc = vf_qmat_add(&c->c[i + j], &c->c[i + j], &t, e);
    vf_qmat_clear(&t);
    return rc;
}

int vf_qmpoly_transpose(vf_qmpoly *c, const vf_qmpoly *a, vf_err *e)
{
    int rc = vf_qmpoly_init(c, a->cols, a->rows, a->deg, e);
    for (size_t k = 0; k <= a->deg && !rc; k++)
        rc = vf_qmat_transpose(&c->c[k], &a->c[k], e);
    return rc;
}

int vf_qmpoly_hadamard(vf_qmpoly *c, const vf_qmpoly *a, const vf_qmpoly *b, vf_err *e)
{
    if (a->rows != b->rows || a->cols != b->cols)
        return vf_fail(e, VF_E_SHAPE, "entrywise product %zux%zu by %zux%zu", a->rows, a->cols,
                       b->rows, b->cols);
    int rc = vf_qmpoly_init(c, a->rows, a->cols, a->deg + b->deg, e);
    if (rc)
        return rc;
    mpq_t t;
    mpq_init(t);
    size_t n = a->rows * a->cols;
    for (size_t i = 0; i <= a->deg; i++)
        for (size_t j = 0; j <= b->deg; j++)
            for (size_t k = 0; k < n; k++) {
                mpq_mul(t, a->c[i].a[k], b->c[j].a[k]);
                mpq_add(c->c[i + j].a[k], c->c[i + j].a[k], t);
            }
    mpq_clear(t);
    return VF_OK;
}

int vf_qmpoly_add(vf_qmpoly *c, const vf_qmpoly *a, const vf_qmpoly *b, vf_err *e)
{
    if (a->rows != b->rows || a->cols != b->cols)
        return vf_fail(e, VF_E_SHAPE, "polynomial sum %zux%zu + %zux%zu", a->rows, a->cols,
                       b->rows, b->cols);
    int rc = vf_qmpoly_init(c, a->rows, a->cols, a->deg > b->deg ? a->deg : b->deg, e);
    for (size_t k = 0; k <= a->deg && !rc; k++)
        rc = vf_qmat_add(&c->c[k], &c->c[k], &a->c[k], e);
    for (size_t k = 0; k <= b->deg && !rc; k++)
        rc = vf_qmat_add(&c->c[k], &c->c[k], &b->c[k], e);
    return rc;
}

int vf_qmpoly_trace_coef(mpq_t r, const vf_qmpoly *p, size_t k, vf_err *e)
{
    if (p->rows != p->cols)
        return vf_fail(e, VF_E_SHAPE, "trace of a %zux%zu polynomial", p->rows, p->cols);
    mpq_set_ui(r, 0, 1);
    if (k <= p->deg)
        for (size_t i = 0; i < p->rows; i++)
            mpq_add(r, r, VF_Q(&p->c[k], i, i));
    return VF_OK;
}

void vf_qmpoly_sum_coef(mpq_t r, const vf_qmpoly *p, size_t k)
{
    mpq_set_ui(r, 0, 1);
    if (k <= p->deg)
        for (size_t i = 0; i < p->rows * p->cols; i++)
            mpq_add(r, r, p->c[k].a[i]);
}

int vf_q_gradient_by_directions(vf_qmat *g, size_t rows, size_t cols, vf_qpot_dir fn,
                                const void *ctx, vf_err *e)
{
    vf_qmat d = {0};
    int rc = vf_qmat_init(g, rows, cols, e);
    if (!rc)
        rc = vf_qmat_init(&d, rows, cols, e);
    for (size_t i = 0; i < rows * cols && !rc; i++) {
        mpq_set_ui(d.a[i], 1, 1);
        rc = fn(g->a[i], ctx, &d, e);
        mpq_set_ui(d.a[i], 0, 1);
    }
    vf_qmat_clear(&d);
    return rc;
}

/* ---------------------------------------------------------------- dual intervals */

int vf_dmat_init(vf_dmat *m, size_t rows, size_t cols, mpfr_prec_t prec, vf_err *e)
{
    int rc = vf_imat_init(&m->v, rows, cols, prec, e);
    if (!rc)
        rc = vf_imat_init(&m->t, rows, cols, prec, e);
    if (!rc)
        for (size_t i = 0; i < rows * cols; i++) {
            mpfi_set_ui(m->v.a[i], 0);
            mpfi_set_ui(m->t.a[i], 0);
        }
    return rc;
}

void vf_dmat_clear(vf_dmat *m)
{
    vf_imat_clear(&m->v);
    vf_imat_clear(&m->t);
}

int vf_dmat_from_q(vf_dmat *m, const vf_qmat *x, const vf_qmat *dq, const vf_imat *di,
                   mpfr_prec_t prec, vf_err *e)
{
    const size_t r = x->rows, c = x->cols;
    if ((dq && (dq->rows != r || dq->cols != c)) || (di && (di->rows != r || di->cols != c)))
        return vf_fail(e, VF_E_SHAPE, "tangent shape differs from the %zux%zu point", r, c);
    int rc = vf_dmat_init(m, r, c, prec, e);
    if (!rc)
        rc = vf_imat_from_q(&m->v, x, e);
    if (!rc && dq)
        rc = vf_imat_from_q(&m->t, dq, e);
    if (!rc && di)
        for (size_t i = 0; i < r * c; i++)
            mpfi_set(m->t.a[i], di->a[i]);
    return rc;
}

int vf_dmat_mul(vf_dmat *c, const vf_dmat *a, const vf_dmat *b, vf_err *e)
{
    if (a->v.cols != b->v.rows)
        return vf_fail(e, VF_E_SHAPE, "dual product %zux%zu by %zux%zu", a->v.rows, a->v.cols,
                       b->v.rows, b->v.cols);
    vf_imat t = {0};
    int rc = vf_dmat_init(c, a->v.rows, b->v.cols, a->v.prec, e);
    if (!rc)
        rc = vf_imat_init(&t, a->v.rows, b->v.cols, a->v.prec, e);
    if (!rc)
        rc = vf_imat_mul(&c->v, &a->v, &b->v, e);
    if (!rc)
        rc = vf_imat_mul(&c->t, &a->t, &b->v, e);
    if (!rc)
        rc = vf_imat_mul(&t, &a->v, &b->t, e);
    if (!rc)
        rc = vf_imat_add(&c->t, &c->t, &t, e);
    vf_imat_clear(&t);
    return rc;
}

int vf_dmat_transpose(vf_dmat *c, const vf_dmat *a, vf_err *e)
{
    int rc = vf_dmat_init(c, a->v.cols, a->v.rows, a->v.prec, e);
    if (!rc)
        for (size_t i = 0; i < a->v.rows; i++)
            for (size_t j = 0; j < a->v.cols; j++) {
                mpfi_set(VF_I(&c->v, j, i), VF_I(&a->v, i, j));
                mpfi_set(VF_I(&c->t, j, i), VF_I(&a->t, i, j));
            }
    return rc;
}

static int same2(const char *op, const vf_dmat *a, const vf_dmat *b, vf_err *e)
{
    if (a->v.rows != b->v.rows || a->v.cols != b->v.cols)
        return vf_fail(e, VF_E_SHAPE, "dual %s %zux%zu by %zux%zu", op, a->v.rows, a->v.cols,
                       b->v.rows, b->v.cols);
    return VF_OK;
}

int vf_dmat_hadamard(vf_dmat *c, const vf_dmat *a, const vf_dmat *b, vf_err *e)
{
    int rc = same2("entrywise product", a, b, e);
    if (!rc)
        rc = vf_dmat_init(c, a->v.rows, a->v.cols, a->v.prec, e);
    if (rc)
        return rc;
    mpfi_t u;
    mpfi_init2(u, a->v.prec);
    for (size_t i = 0; i < a->v.rows * a->v.cols; i++) {
        mpfi_mul(c->v.a[i], a->v.a[i], b->v.a[i]);
        mpfi_mul(c->t.a[i], a->t.a[i], b->v.a[i]);
        mpfi_mul(u, a->v.a[i], b->t.a[i]);
        mpfi_add(c->t.a[i], c->t.a[i], u);
    }
    mpfi_clear(u);
    return VF_OK;
}

int vf_dmat_div(vf_dmat *c, const vf_dmat *a, const vf_dmat *b, vf_err *e)
{
    int rc = same2("entrywise quotient", a, b, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < b->v.rows * b->v.cols; i++)
        if (mpfi_has_zero(b->v.a[i]))
            return vf_fail(e, VF_E_DOMAIN, "dual quotient: divisor entry %zu encloses 0", i);
    if ((rc = vf_dmat_init(c, a->v.rows, a->v.cols, a->v.prec, e)))
        return rc;
    mpfi_t u, w;
    mpfi_init2(u, a->v.prec);
    mpfi_init2(w, a->v.prec);
    for (size_t i = 0; i < a->v.rows * a->v.cols; i++) {
        /* (a/b)' = (a' - (a/b) b') / b */
        mpfi_div(c->v.a[i], a->v.a[i], b->v.a[i]);
        mpfi_mul(u, c->v.a[i], b->t.a[i]);
        mpfi_sub(w, a->t.a[i], u);
        mpfi_div(c->t.a[i], w, b->v.a[i]);
    }
    mpfi_clear(u);
    mpfi_clear(w);
    return VF_OK;
}

int vf_dmat_scale(vf_dmat *c, const mpq_t s, const vf_dmat *a, vf_err *e)
{
    int rc = vf_dmat_init(c, a->v.rows, a->v.cols, a->v.prec, e);
    if (!rc)
        for (size_t i = 0; i < a->v.rows * a->v.cols; i++) {
            mpfi_mul_q(c->v.a[i], a->v.a[i], s);
            mpfi_mul_q(c->t.a[i], a->t.a[i], s);
        }
    return rc;
}

int vf_dmat_exp(vf_dmat *c, const vf_dmat *a, vf_err *e)
{
    int rc = vf_dmat_init(c, a->v.rows, a->v.cols, a->v.prec, e);
    if (!rc)
        for (size_t i = 0; i < a->v.rows * a->v.cols; i++) {
            mpfi_exp(c->v.a[i], a->v.a[i]);
            mpfi_mul(c->t.a[i], c->v.a[i], a->t.a[i]);
        }
    return rc;
}

int vf_dmat_log(vf_dmat *c, const vf_dmat *a, vf_err *e)
{
    for (size_t i = 0; i < a->v.rows * a->v.cols; i++)
        if (mpfr_sgn(&a->v.a[i]->left) <= 0)
            return vf_fail(e, VF_E_DOMAIN, "dual log: entry %zu is not certainly > 0", i);
    int rc = vf_dmat_init(c, a->v.rows, a->v.cols, a->v.prec, e);
    if (!rc)
        for (size_t i = 0; i < a->v.rows * a->v.cols; i++) {
            mpfi_log(c->v.a[i], a->v.a[i]);
            mpfi_div(c->t.a[i], a->t.a[i], a->v.a[i]);
        }
    return rc;
}

int vf_dmat_row_sums(vf_dmat *c, const vf_dmat *a, vf_err *e)
{
    int rc = vf_dmat_init(c, a->v.rows, 1, a->v.prec, e);
    if (!rc)
        for (size_t i = 0; i < a->v.rows; i++)
            for (size_t j = 0; j < a->v.cols; j++) {
                mpfi_add(c->v.a[i], c->v.a[i], VF_I(&a->v, i, j));
                mpfi_add(c->t.a[i], c->t.a[i], VF_I(&a->t, i, j));
            }
    return rc;
}

void vf_dmat_total(mpfi_t v, mpfi_t t, const vf_dmat *a)
{
    mpfi_set_ui(v, 0);
    mpfi_set_ui(t, 0);
    for (size_t i = 0; i < a->v.rows * a->v.cols; i++) {
        mpfi_add(v, v, a->v.a[i]);
        mpfi_add(t, t, a->t.a[i]);
    }
}

/* ---------------------------------------------------------------- certified expm */

int vf_imat_expm(vf_imat *out, const vf_imat *a, vf_err *e)
{
    const size_t n = a->rows;
    const mpfr_prec_t p = out->prec;
    if (a->cols != n || out->rows != n || out->cols != n)
        return vf_fail(e, VF_E_SHAPE, "expm of %zux%zu into %zux%zu", a->rows, a->cols,
                       out->rows, out->cols);
    for (size_t i = 0; i < n * n; i++)
        if (!mpfi_bounded_p(a->a[i]))
            return vf_fail(e, VF_E_DOMAIN, "expm: entry %zu is not bounded", i);
    mpfr_t norm, row, m, bound, thr;
    mpfr_inits2(p + 32, norm, row, m, bound, thr, (mpfr_ptr)0);
    /* ∞-norm upper bound */
    mpfr_set_ui(norm, 0, MPFR_RNDU);
    for (size_t i = 0; i < n; i++) {
        mpfr_set_ui(row, 0, MPFR_RNDU);
        for (size_t j = 0; j < n; j++) {
            mpfi_mag(m, VF_I(a, i, j));
            mpfr_add(row, row, m, MPFR_RNDU);
        }
        if (mpfr_cmp(row, norm) > 0)
            mpfr_set(norm, row, MPFR_RNDU);
    }
    unsigned long s = 0;
    while (mpfr_cmp_d(norm, 0.5) > 0) {
        mpfr_div_2ui(norm, norm, 1, MPFR_RNDU);
        s++;
    }
    /* degree K: 2 (1/2)^{K+1}/(K+1)! <= 2^-(p+8) */
    unsigned long K = 1;
    mpfr_set_ui_2exp(thr, 1, -(long)(p + 8), MPFR_RNDD);
    for (;;) {
        mpfr_set_ui(bound, 2, MPFR_RNDU);
        mpfr_div_2ui(bound, bound, K + 1, MPFR_RNDU);
        for (unsigned long k = 2; k <= K + 1; k++)
            mpfr_div_ui(bound, bound, k, MPFR_RNDU);
        if (mpfr_cmp(bound, thr) <= 0)
            break;
        K++;
    }
    vf_imat b = {0}, term = {0}, t2 = {0}, acc = {0};
    int rc;
    if ((rc = vf_imat_init(&b, n, n, p + 32, e)) || (rc = vf_imat_init(&term, n, n, p + 32, e)) ||
        (rc = vf_imat_init(&t2, n, n, p + 32, e)) || (rc = vf_imat_init(&acc, n, n, p + 32, e)))
        goto out;
    for (size_t i = 0; i < n * n; i++)
        mpfi_div_2ui(b.a[i], a->a[i], s);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            mpfi_set_ui(VF_I(&term, i, j), i == j);
            mpfi_set_ui(VF_I(&acc, i, j), i == j);
        }
    for (unsigned long k = 1; k <= K; k++) {
        if ((rc = vf_imat_mul(&t2, &term, &b, e)))
            goto out;
        for (size_t i = 0; i < n * n; i++)
            mpfi_div_ui(term.a[i], t2.a[i], k);
        if ((rc = vf_imat_add(&acc, &acc, &term, e)))
            goto out;
    }
    {
        mpfi_t r;
        mpfi_init2(r, p + 32);
        mpfr_t lo;
        mpfr_init2(lo, p + 32);
        mpfr_neg(lo, bound, MPFR_RNDD);
        mpfi_interv_fr(r, lo, bound);
        for (size_t i = 0; i < n * n; i++)
            mpfi_add(acc.a[i], acc.a[i], r);
        mpfr_clear(lo);
        mpfi_clear(r);
    }
    for (unsigned long k = 0; k < s; k++) {
        if ((rc = vf_imat_mul(&t2, &acc, &acc, e)))
            goto out;
        for (size_t i = 0; i < n * n; i++)
            mpfi_set(acc.a[i], t2.a[i]);
    }
    for (size_t i = 0; i < n * n; i++)
        mpfi_set(out->a[i], acc.a[i]);
out:
    vf_imat_clear(&b);
    vf_imat_clear(&term);
    vf_imat_clear(&t2);
    vf_imat_clear(&acc);
    mpfr_clears(norm, row, m, bound, thr, (mpfr_ptr)0);
    return rc;
}

void vf_iv_text(char *buf, size_t len, mpfi_srcptr x)
{
    mpfr_snprintf(buf, len, "[%.12Re, %.12Re]", &x->left, &x->right);
}
