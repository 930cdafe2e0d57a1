/* vf_eig.c — Jacobi in MPFR, a posteriori certification in MPFI (see vf_eig.h). */
#include "vf_eig.h"

#include <stdlib.h>

#define MAX_SWEEPS 64 /* quadratic convergence needs ~log2(p) sweeps; 64 is never reached
                         unless something is wrong, and then certification says so */

static mpfr_t *mpfr_array(size_t n, mpfr_prec_t prec, vf_err *e)
{
    mpfr_t *a = vf_calloc(n ? n : 1, sizeof *a, e);
    if (a)
        for (size_t i = 0; i < n; i++) {
            mpfr_init2(a[i], prec);
            mpfr_set_zero(a[i], 1);
        }
    return a;
}

static void mpfr_array_free(mpfr_t *a, size_t n)
{
    if (!a)
        return;
    for (size_t i = 0; i < n; i++)
        mpfr_clear(a[i]);
    free(a);
}

void vf_ref_eig_clear(vf_eig *r)
{
    mpfr_array_free(r->v, r->n * r->n);
    mpfr_array_free(r->lambda, r->n);
    r->v = r->lambda = NULL;
    r->n = 0;
}

/* Off-diagonal and total squared Frobenius mass of a (n x n). */
static void masses(mpfr_t off, mpfr_t tot, mpfr_t *a, size_t n, mpfr_t t)
{
    mpfr_set_zero(off, 1);
    mpfr_set_zero(tot, 1);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            mpfr_sqr(t, a[i * n + j], MPFR_RNDN);
            mpfr_add(tot, tot, t, MPFR_RNDN);
            if (i != j)
                mpfr_add(off, off, t, MPFR_RNDN);
        }
}

/* x_k, y_k <- c x_k - s y_k, s x_k + c y_k (a plane rotation of two strided vectors). */
static void rotate(mpfr_t *x, mpfr_t *y, size_t n, size_t stride, const mpfr_t c, const mpfr_t s,
                   mpfr_t t1, mpfr_t t2)
{
    for (size_t k = 0; k < n; k++) {
        mpfr_ptr xk = x[k * stride], yk = y[k * stride];
        mpfr_mul(t1, c, xk, MPFR_RNDN);
        mpfr_mul(t2, s, yk, MPFR_RNDN);
        mpfr_mul(yk, c, yk, MPFR_RNDN);
        mpfr_fma(yk, s, xk, yk, MPFR_RNDN);
        mpfr_sub(xk, t1, t2, MPFR_RNDN);
    }
}

int vf_ref_eig_sym(vf_eig *r, const vf_qmat *g, mpfr_prec_t prec, vf_err *e)
{
    r->n = 0;
    r->v = r->lambda = NULL;
    size_t n = g->rows;
    if (g->cols != n)
        return vf_fail(e, VF_E_SHAPE, "eig: matrix is %zux%zu, not square", g->rows, g->cols);
    if (prec < 32 || prec > MPFR_PREC_MAX)
        return vf_fail(e, VF_E_USAGE, "eig: precision %ld bits is below 32 or too large",
                       (long)prec);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (!mpq_equal(VF_Q(g, i, j), VF_Q(g, j, i)))
                return vf_fail(e, VF_E_DOMAIN, "eig: matrix is not symmetric at (%zu,%zu)", i, j);
    mpfr_t *a = mpfr_array(n * n, prec, e);
    if (!a)
        return VF_E_NOMEM;
    r->v = mpfr_array(n * n, prec, e);
    r->lambda = mpfr_array(n, prec, e);
    if (!r->v || !r->lambda) {
        mpfr_array_free(a, n * n);
        mpfr_array_free(r->v, r->v ? n * n : 0);
        mpfr_array_free(r->lambda, 0);
        r->v = r->lambda = NULL;
        return VF_E_NOMEM;
    }
    r->n = n;
    r->prec = prec;
    for (size_t i = 0; i < n * n; i++)
        mpfr_set_q(a[i], g->a[i], MPFR_RNDN);
    for (size_t i = 0; i < n; i++)
        mpfr_set_ui(r->v[i * n + i], 1, MPFR_RNDN);

    mpfr_t off, tot, theta, t, c, s, t1, t2;
    mpfr_inits2(prec, off, tot, theta, t, c, s, t1, t2, (mpfr_ptr)0);
    r->sweeps = 0;
    r->converged = 0;
    for (; r->sweeps < MAX_SWEEPS; r->sweeps++) {
        masses(off, tot, a, n, t1);
        mpfr_mul_2si(tot, tot, -2 * (long)prec, MPFR_RNDN);
        if (mpfr_lessequal_p(off, tot)) {
            r->converged = 1;
            break;
        }
        for (size_t p = 0; p < n; p++)
            for (size_t q = p + 1; q < n; q++) {
                mpfr_ptr apq = a[p * n + q];
                if (mpfr_zero_p(apq))
                    continue;
                /* theta = (a_qq - a_pp) / (2 a_pq); t = sgn(theta)/(|theta| + sqrt(theta^2+1))
                 * is the smaller root of t^2 + 2 theta t - 1 = 0 (the stable choice: rotation
                 * angle <= pi/4); c = 1/sqrt(1+t^2), s = t c annihilate a_pq. */
                mpfr_sub(theta, a[q * n + q], a[p * n + p], MPFR_RNDN);
                mpfr_div(theta, theta, apq, MPFR_RNDN);
                mpfr_div_2ui(theta, theta, 1, MPFR_RNDN);
                mpfr_sqr(t1, theta, MPFR_RNDN);
                mpfr_add_ui(t1, t1, 1, MPFR_RNDN);
                mpfr_sqrt(t1, t1, MPFR_RNDN);
                mpfr_abs(t2, theta, MPFR_RNDN);
                mpfr_add(t1, t1, t2, MPFR_RNDN);
                mpfr_ui_div(t, 1, t1, MPFR_RNDN);
                if (mpfr_sgn(theta) < 0)
                    mpfr_neg(t, t, MPFR_RNDN);
                mpfr_sqr(c, t, MPFR_RNDN);
                mpfr_add_ui(c, c, 1, MPFR_RNDN);
                mpfr_rec_sqrt(c, c, MPFR_RNDN);
                mpfr_mul(s, t, c, MPFR_RNDN);
                rotate(&a[p], &a[q], n, n, c, s, t1, t2);     /* columns p, q */
                rotate(&a[p * n], &a[q * n], n, 1, c, s, t1, t2); /* rows p, q */
                rotate(&r->v[p], &r->v[q], n, n, c, s, t1, t2);
                /* The exact rotation zeroes a_pq; the rounded one leaves ~2^-p noise there.
                 * Zeroing it is harmless: V~ and Λ~ are certified afterwards, not trusted. */
                mpfr_set_zero(a[p * n + q], 1);
                mpfr_set_zero(a[q * n + p], 1);
            }
    }
    for (size_t i = 0; i < n; i++)
        mpfr_set(r->lambda[i], a[i * n + i], MPFR_RNDN);
    mpfr_clears(off, tot, theta, t, c, s, t1, t2, (mpfr_ptr)0);
    mpfr_array_free(a, n * n);
    return VF_OK;
}

long vf_ref_iv_mag_bits(const mpfi_t x)
{
    if (mpfi_nan_p(x) || mpfi_inf_p(x))
        return LONG_MIN;
    mpfr_prec_t prec = mpfi_get_prec(x);
    mpfr_t m;
    mpfr_init2(m, prec);
    mpfi_mag(m, x); /* rounded up: a bound on every |v|, v in x */
    long k;
    if (mpfr_zero_p(m)) {
        k = (long)prec;
    } else {
        mpfr_exp_t ex = mpfr_get_exp(m); /* 2^(ex-1) <= m < 2^ex */
        int pow2 = mpfr_cmp_ui_2exp(m, 1, ex - 1) == 0;
        k = pow2 ? (long)(1 - ex) : (long)(-ex);
    }
    mpfr_clear(m);
    return k;
}

long vf_ref_imat_mag_bits(const vf_imat *m)
{
    long k = (long)m->prec;
    for (size_t i = 0; i < m->rows * m->cols; i++) {
        long ki = vf_ref_iv_mag_bits(m->a[i]);
        if (ki < k)
            k = ki;
    }
    return k;
}

int vf_ref_eig_certify(vf_eig_cert *c, vf_imat *lam, const vf_eig *r, const vf_qmat *g,
                       vf_err *e)
{
    size_t n = r->n;
    if (g->rows != n || g->cols != n)
        return vf_fail(e, VF_E_SHAPE, "eig certify: G is %zux%zu, decomposition is %zux%zu",
                       g->rows, g->cols, n, n);
    mpfr_prec_t p = r->prec;
    vf_imat gi = {0}, vi = {0}, res = {0}, vt = {0}, orth = {0}, enc = {0};
    int rc;
    if ((rc = vf_imat_init(&gi, n, n, p, e)) || (rc = vf_imat_from_q(&gi, g, e)) ||
        (rc = vf_imat_init(&vi, n, n, p, e)) || (rc = vf_imat_init(&vt, n, n, p, e)) ||
        (rc = vf_imat_init(&res, n, n, p, e)) || (rc = vf_imat_init(&orth, n, n, p, e)) ||
        (rc = vf_imat_init(&enc, n, 1, p, e)))
        goto out;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            mpfi_set_fr(VF_I(&vi, i, j), r->v[i * n + j]); /* exact: same precision */
            mpfi_set_fr(VF_I(&vt, j, i), r->v[i * n + j]);
        }
    /* res = G V - V Λ, orth = V^T V - I */
    if ((rc = vf_imat_mul(&res, &gi, &vi, e)) || (rc = vf_imat_mul(&orth, &vt, &vi, e)))
        goto out;
    mpfi_t t, rn, vn;
    mpfi_init2(t, p);
    mpfi_init2(rn, p);
    mpfi_init2(vn, p);
    for (size_t i = 0; i < n; i++) {
        mpfi_sub_ui(VF_I(&orth, i, i), VF_I(&orth, i, i), 1);
        for (size_t j = 0; j < n; j++) {
            mpfi_mul_fr(t, VF_I(&vi, i, j), r->lambda[j]);
            mpfi_sub(VF_I(&res, i, j), VF_I(&res, i, j), t);
        }
    }
    c->resid_bits = vf_ref_imat_mag_bits(&res);
    c->orth_bits = vf_ref_imat_mag_bits(&orth);
    /* Enclosures lambda~_j +- ||r_j|| / ||v_j|| (residual theorem, see the header). */
    c->positive = 1;
    for (size_t j = 0; j < n; j++) {
        mpfi_set_ui(rn, 0);
        mpfi_set_ui(vn, 0);
        for (size_t i = 0; i < n; i++) {
            mpfi_sqr(t, VF_I(&res, i, j));
            mpfi_add(rn, rn, t);
            mpfi_sqr(t, VF_I(&vi, i, j));
            mpfi_add(vn, vn, t);
        }
        mpfi_ptr ej = VF_I(&enc, j, 0);
        if (!mpfi_is_strictly_pos(vn)) { /* no usable eigenvector: the enclosure is everything */
            mpfr_set_inf(&ej->left, -1);
            mpfr_set_inf(&ej->right, 1);
            c->positive = 0;
            continue;
        }
        mpfi_div(t, rn, vn);
        mpfi_sqrt(t, t);
        mpfi_neg(rn, t);
        mpfi_put(t, rn);          /* t = [-rad, rad] with rad an upper bound of the radius */
        mpfi_add_fr(ej, t, r->lambda[j]);
        if (!mpfi_is_strictly_pos(ej))
            c->positive = 0;
    }
    c->separated = 1;
    for (size_t i = 0; i < n && c->separated; i++)
        for (size_t j = i + 1; j < n; j++)
        {
            mpfi_intersect(t, VF_I(&enc, i, 0), VF_I(&enc, j, 0));
            if (!mpfi_is_empty(t)) {
                c->separated = 0;
                break;
            }
        }
    mpfi_clear(t);
    mpfi_clear(rn);
    mpfi_clear(vn);
    if (lam) {
        *lam = enc;
        enc.a = NULL;
        enc.rows = enc.cols = 0;
    }
out:
    vf_imat_clear(&gi);
    vf_imat_clear(&vi);
    vf_imat_clear(&vt);
    vf_imat_clear(&res);
    vf_imat_clear(&orth);
    vf_imat_clear(&enc);
    return rc;
}

int vf_ref_eig_whitener(vf_imat *l, const vf_eig *r, vf_err *e)
{
    size_t n = r->n;
    for (size_t j = 0; j < n; j++)
        if (mpfr_sgn(r->lambda[j]) <= 0)
            return vf_fail(e, VF_E_DOMAIN,
                           "eig: eigenvalue %zu is <= 0 at %ld bits: G is not positive definite "
                           "(or not resolved at this precision)", j, (long)r->prec);
    int rc = vf_imat_init(l, n, n, r->prec, e);
    if (rc)
        return rc;
    mpfi_t s;
    mpfi_init2(s, r->prec);
    for (size_t j = 0; j < n; j++) {
        mpfi_set_fr(s, r->lambda[j]);
        mpfi_sqrt(s, s);
        mpfi_ui_div(s, 1, s); /* enclosure of lambda~_j^{-1/2} */
        for (size_t i = 0; i < n; i++)
            mpfi_mul_fr(VF_I(l, i, j), s, r->v[i * n + j]);
    }
    mpfi_clear(s);
    return VF_OK;
}
