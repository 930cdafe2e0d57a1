/* vf_meanfield.c — mean-field particle dynamics in MPFI (see vf_meanfield.h). */
#include "vf_meanfield.h"

#include <stdlib.h>

int vf_mf_velocity_w(vf_imat *v, const vf_imat *x, vf_imat *w, int sa, vf_err *e)
{
    size_t n = x->rows, d = x->cols;
    mpfr_prec_t p = w->prec;
    vf_imat u = {0};
    mpfi_t z, t;
    mpfi_init2(z, p);
    mpfi_init2(t, p);
    for (size_t i = 0; i < n; i++) {
        mpfi_set_ui(z, 0);
        if (sa)
            for (size_t j = 0; j < n; j++)
                mpfi_add(z, z, VF_I(w, i, j));
        else
            mpfi_set_ui(z, (unsigned long)n);
        for (size_t j = 0; j < n; j++)
            mpfi_div(VF_I(w, i, j), VF_I(w, i, j), z);
    }
    int rc;
    if (!(rc = vf_imat_init(&u, n, d, p, e)) && !(rc = vf_imat_mul(&u, w, x, e)) &&
        !(rc = vf_imat_init(v, n, d, p, e)))
        for (size_t i = 0; i < n; i++) {
            mpfi_set_ui(z, 0); /* <x_i, u_i> */
            for (size_t j = 0; j < d; j++) {
                mpfi_mul(t, VF_I(&u, i, j), VF_I(x, i, j));
                mpfi_add(z, z, t);
            }
            for (size_t j = 0; j < d; j++) {
                mpfi_mul(t, z, VF_I(x, i, j));
                mpfi_sub(VF_I(v, i, j), VF_I(&u, i, j), t);
            }
        }
    mpfi_clear(z);
    mpfi_clear(t);
    vf_imat_clear(&u);
    return rc;
}

int vf_mf_gram(vf_imat *g, const vf_imat *x, vf_err *e)
{
    size_t n = x->rows;
    int rc = vf_imat_init(g, n, n, x->prec, e);
    if (rc)
        return rc;
    mpfi_t t;
    mpfi_init2(t, x->prec);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i; j < n; j++) {
            mpfi_set_ui(VF_I(g, i, j), 0);
            for (size_t k = 0; k < x->cols; k++) {
                mpfi_mul(t, VF_I(x, i, k), VF_I(x, j, k));
                mpfi_add(VF_I(g, i, j), VF_I(g, i, j), t);
            }
            mpfi_set(VF_I(g, j, i), VF_I(g, i, j));
        }
    mpfi_clear(t);
    return VF_OK;
}

int vf_mf_velocity(vf_imat *v, const vf_imat *x, const mpq_t beta, int sa, vf_err *e)
{
    vf_imat w = {0};
    int rc = vf_mf_gram(&w, x, e);
    if (!rc) {
        for (size_t i = 0; i < w.rows * w.cols; i++)
            mpfi_mul_q(w.a[i], w.a[i], beta);
        if (!(rc = vf_imat_exp(&w, &w, e)))
            rc = vf_mf_velocity_w(v, x, &w, sa, e);
    }
    vf_imat_clear(&w);
    return rc;
}

void vf_mf_energy_normalise(mpfi_t s, const mpq_t beta, size_t n)
{
    if (mpq_sgn(beta) != 0)
        mpfi_div_q(s, s, beta);
    mpfi_div_ui(s, s, 2 * (unsigned long)(n * n));
}

void vf_mf_energy_gram(mpfi_t out, const vf_imat *g, const mpq_t beta)
{
    mpfi_t t;
    mpfi_init2(t, g->prec);
    mpfi_set_ui(out, 0);
    for (size_t i = 0; i < g->rows * g->cols; i++) {
        if (mpq_sgn(beta) != 0) {
            mpfi_mul_q(t, g->a[i], beta);
            mpfi_exp(t, t);
            mpfi_add(out, out, t);
        } else {
            mpfi_add(out, out, g->a[i]);
        }
    }
    mpfi_clear(t);
    vf_mf_energy_normalise(out, beta, g->rows);
}

static size_t uf_find(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

int vf_mf_clusters(size_t *clusters, const vf_imat *g, double tol, mpfr_t min_inner, vf_err *e)
{
    size_t n = g->rows, count = n;
    size_t *parent = malloc((n ? n : 1) * sizeof *parent);
    if (!parent)
        return vf_fail(e, VF_E_NOMEM, "cluster count: out of memory (n = %zu)", n);
    mpfr_t m, thr;
    mpfr_init2(m, g->prec);
    mpfr_init2(thr, g->prec);
    mpfr_set_ui(thr, 1, MPFR_RNDN);
    mpfr_sub_d(thr, thr, tol, MPFR_RNDN);
    mpfr_set_nan(min_inner);
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            mpfi_mid(m, VF_I(g, i, j));
            if (mpfr_nan_p(min_inner) || mpfr_less_p(m, min_inner))
                mpfr_set(min_inner, m, MPFR_RNDN);
            if (mpfr_greaterequal_p(m, thr)) {
                size_t a = uf_find(parent, i), b = uf_find(parent, j);
                if (a != b) {
                    parent[a] = b;
                    count--;
                }
            }
        }
    mpfr_clear(m);
    mpfr_clear(thr);
    free(parent);
    *clusters = count;
    return VF_OK;
}

/* y = x + s k (entrywise; s rational). */
static void axpy(vf_imat *y, const vf_imat *x, const mpq_t s, const vf_imat *k, mpfi_t t)
{
    for (size_t i = 0; i < x->rows * x->cols; i++) {
        mpfi_mul_q(t, k->a[i], s);
        mpfi_add(y->a[i], x->a[i], t);
    }
}

int vf_mf_rk4_step(vf_imat *x, const mpq_t beta, int sa, const mpq_t h, vf_err *e)
{
    size_t n = x->rows, d = x->cols;
    mpfr_prec_t p = x->prec;
    vf_imat k[4] = {{0}}, y = {0};
    mpq_t half, sixth, third;
    mpq_inits(half, sixth, third, NULL);
    mpq_set_ui(half, 1, 2);
    mpq_mul(half, half, h);
    mpq_set_ui(sixth, 1, 6);
    mpq_mul(sixth, sixth, h);
    mpq_set_ui(third, 1, 3);
    mpq_mul(third, third, h);
    mpfi_t t;
    mpfi_init2(t, p);
    /* k1 = f(x), k2 = f(x + h/2 k1), k3 = f(x + h/2 k2), k4 = f(x + h k3) */
    int rc = vf_imat_init(&y, n, d, p, e);
    for (int s = 0; s < 4 && !rc; s++) {
        if (s > 0)
            axpy(&y, x, s == 3 ? h : half, &k[s - 1], t);
        rc = vf_mf_velocity(&k[s], s == 0 ? x : &y, beta, sa, e);
    }
    if (!rc) { /* x + h/6 k1 + h/3 k2 + h/3 k3 + h/6 k4, then back onto the sphere */
        for (int s = 0; s < 4; s++)
            axpy(x, x, s == 0 || s == 3 ? sixth : third, &k[s], t);
        mpfr_t m, nrm, sq;
        mpfr_inits2(p, m, nrm, sq, (mpfr_ptr)0);
        for (size_t i = 0; i < n; i++) {
            mpfr_set_ui(nrm, 0, MPFR_RNDN);
            for (size_t j = 0; j < d; j++) {
                mpfi_mid(m, VF_I(x, i, j));
                mpfr_sqr(sq, m, MPFR_RNDN);
                mpfr_add(nrm, nrm, sq, MPFR_RNDN);
            }
            mpfr_sqrt(nrm, nrm, MPFR_RNDN);
            if (mpfr_zero_p(nrm) || !mpfr_number_p(nrm)) {
                rc = vf_fail(e, VF_E_DOMAIN, "RK4 step: token %zu left the sphere (norm %s)", i,
                             mpfr_zero_p(nrm) ? "0" : "not finite");
                break;
            }
            for (size_t j = 0; j < d; j++) {
                mpfi_mid(m, VF_I(x, i, j));
                mpfr_div(m, m, nrm, MPFR_RNDN);
                mpfi_set_fr(VF_I(x, i, j), m);
            }
        }
        mpfr_clears(m, nrm, sq, (mpfr_ptr)0);
    }
    mpfi_clear(t);
    mpq_clears(half, sixth, third, NULL);
    for (int s = 0; s < 4; s++)
        vf_imat_clear(&k[s]);
    vf_imat_clear(&y);
    return rc;
}
