/* vf_cone.c — Lorentz-cone projection, CoLU and rCoLU, exact or certified (see vf_cone.h).
 *
 * The CoLU family shares one core: x = a + w with a the axis part (CoLU: (t, 0, .., 0); rCoLU:
 * m (1, .., 1) with m the mean, so t e = m 1 is rational even though t = sqrt(S) m is not) and
 * w the part orthogonal to the axis.  The result is a' + f w with a' = a (old) or a+ (current)
 * and f = 0 (t <= 0), 1 (t >= r) or t/r = sqrt(t^2 / r^2): with t^2 and r^2 rational, every
 * branch is decided exactly and only f may need a square root.
 */
#include "vf_cone.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- values and helpers */

int vf_cone_val_init(vf_cone_val *v, size_t n, mpfr_prec_t prec, vf_err *e)
{
    memset(v, 0, sizeof *v);
    int rc = vf_qmat_init(&v->q, n, 1, e);
    if (!rc)
        rc = vf_imat_init(&v->iv, n, 1, prec, e);
    if (rc) {
        vf_cone_val_clear(v);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        mpfi_set_ui(v->iv.a[i], 0);
    v->exact = 1;
    return VF_OK;
}

void vf_cone_val_clear(vf_cone_val *v)
{
    vf_qmat_clear(&v->q);
    vf_imat_clear(&v->iv);
    v->exact = 0;
}

int vf_cone_qsqrt(mpq_t root, const mpq_t a)
{
    /* a is canonical, so a = p/q is a rational square iff p and q are integer squares; the
     * roots of coprime squares are coprime, so the result is canonical too. */
    if (mpq_sgn(a) < 0 || !mpz_perfect_square_p(mpq_numref(a)) ||
        !mpz_perfect_square_p(mpq_denref(a)))
        return 0;
    mpz_sqrt(mpq_numref(root), mpq_numref(a));
    mpz_sqrt(mpq_denref(root), mpq_denref(a));
    return 1;
}

const char *vf_cone_op_name(vf_cone_op op)
{
    static const char *const names[] = {"proj", "colu", "colu_old", "rcolu", "rcolu_old"};
    return (unsigned)op < sizeof names / sizeof names[0] ? names[op] : "?";
}

const char *vf_cone_branch_name(vf_cone_branch b)
{
    static const char *const names[] = {"identity", "zero", "scaled"};
    return (unsigned)b < sizeof names / sizeof names[0] ? names[b] : "?";
}

static mpq_t *q_alloc(size_t n, vf_err *e)
{
    mpq_t *a = vf_calloc(n ? n : 1, sizeof *a, e);
    for (size_t i = 0; a && i < n; i++)
        mpq_init(a[i]);
    return a;
}

static void q_free(mpq_t *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++)
        mpq_clear(a[i]);
    free(a);
}

static mpfi_t *iv_alloc(size_t n, mpfr_prec_t p, vf_err *e)
{
    mpfi_t *a = vf_calloc(n ? n : 1, sizeof *a, e);
    for (size_t i = 0; a && i < n; i++)
        mpfi_init2(a[i], p);
    return a;
}

static void iv_free(mpfi_t *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++)
        mpfi_clear(a[i]);
    free(a);
}

static void q_sumsq(mpq_t s, const mpq_t *v, size_t n)
{
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(s, 0, 1);
    for (size_t i = 0; i < n; i++) {
        mpq_mul(t, v[i], v[i]);
        mpq_add(s, s, t);
    }
    mpq_clear(t);
}

/* s = sum v_i^2 with mpfi_sqr, so the enclosure never goes below 0 (sqrt stays defined). */
static void iv_sumsq(mpfi_t s, mpfi_t *v, size_t n)
{
    mpfi_t t;
    mpfi_init2(t, mpfi_get_prec(s));
    mpfi_set_ui(s, 0);
    for (size_t i = 0; i < n; i++) {
        mpfi_sqr(t, v[i]);
        mpfi_add(s, s, t);
    }
    mpfi_clear(t);
}

/* out = {max(z, 0) : z in in} and out = {min(z, 1) : z in in}: both maps are monotone, so they
 * act on the endpoints. */
static void iv_pos(mpfi_t out, mpfi_t in)
{
    mpfr_t lo, hi;
    mpfr_inits2(mpfi_get_prec(in), lo, hi, (mpfr_ptr)0);
    mpfi_get_left(lo, in);
    mpfi_get_right(hi, in);
    if (mpfr_sgn(lo) < 0)
        mpfr_set_ui(lo, 0, MPFR_RNDD);
    if (mpfr_sgn(hi) < 0)
        mpfr_set_ui(hi, 0, MPFR_RNDU);
    mpfi_interv_fr(out, lo, hi);
    mpfr_clears(lo, hi, (mpfr_ptr)0);
}

static void iv_min1(mpfi_t out, mpfi_t in)
{
    mpfr_t lo, hi;
    mpfr_inits2(mpfi_get_prec(in), lo, hi, (mpfr_ptr)0);
    mpfi_get_left(lo, in);
    mpfi_get_right(hi, in);
    if (mpfr_cmp_ui(lo, 1) > 0)
        mpfr_set_ui(lo, 1, MPFR_RNDD);
    if (mpfr_cmp_ui(hi, 1) > 0)
        mpfr_set_ui(hi, 1, MPFR_RNDU);
    mpfi_interv_fr(out, lo, hi);
    mpfr_clears(lo, hi, (mpfr_ptr)0);
}

/* y = z when *first (then *first = 0), else y = hull(y, z): the union of branch enclosures. */
static void iv_merge(mpfi_t *y, mpfi_t *z, size_t n, int *first)
{
    for (size_t i = 0; i < n; i++) {
        if (*first)
            mpfi_set(y[i], z[i]);
        else
            mpfi_union(y[i], y[i], z[i]);
    }
    *first = 0;
}

/* ---------------------------------------------------------------- exact-input kernels */

/* P_L on one rational group.  The branch is decided by the sign of t and by r^2 <= t^2 (that
 * is |w| <= |t|) in mpq; only the SCALED branch needs r, exact when r^2 is a rational square. */
static void proj_q(mpq_t *yq, mpfi_t *yi, int *exact, vf_cone_branch *br, const mpq_t *x,
                   size_t S)
{
    mpq_t r2, t2, r, c;
    mpq_inits(r2, t2, r, c, NULL);
    q_sumsq(r2, x + 1, S - 1);
    mpq_mul(t2, x[0], x[0]);
    *exact = 1;
    if (mpq_cmp(r2, t2) <= 0 && mpq_sgn(x[0]) >= 0) {
        *br = VF_BR_IDENTITY;
        for (size_t i = 0; i < S; i++)
            mpq_set(yq[i], x[i]);
    } else if (mpq_cmp(r2, t2) <= 0) {
        *br = VF_BR_ZERO;
        for (size_t i = 0; i < S; i++)
            mpq_set_ui(yq[i], 0, 1);
    } else if (vf_cone_qsqrt(r, r2)) {
        /* r > |t| >= 0, so r > 0: y = c (1, w/r) with c = (t + r)/2. */
        *br = VF_BR_SCALED;
        mpq_add(c, x[0], r);
        mpq_div_2exp(c, c, 1);
        mpq_set(yq[0], c);
        mpq_div(c, c, r);
        for (size_t i = 1; i < S; i++)
            mpq_mul(yq[i], c, x[i]);
    } else {
        *br = VF_BR_SCALED;
        *exact = 0;
        mpfi_t ri, ci;
        mpfi_init2(ri, mpfi_get_prec(yi[0]));
        mpfi_init2(ci, mpfi_get_prec(yi[0]));
        mpfi_set_q(ri, r2);
        mpfi_sqrt(ri, ri);
        mpfi_add_q(ci, ri, x[0]);
        mpfi_div_2ui(ci, ci, 1);
        mpfi_set(yi[0], ci);
        mpfi_div(ci, ci, ri);
        for (size_t i = 1; i < S; i++)
            mpfi_mul_q(yi[i], ci, x[i]);
        mpfi_clear(ri);
        mpfi_clear(ci);
    }
    mpq_clears(r2, t2, r, c, NULL);
}

/* The CoLU core on x = a + w: tau_sgn is the sign of the apex coordinate t and tau2 = t^2. */
static void colu_core_q(mpq_t *yq, mpfi_t *yi, int *exact, vf_cone_branch *br, const mpq_t *a,
                        const mpq_t *w, size_t S, int tau_sgn, const mpq_t tau2, int old)
{
    mpq_t r2, f;
    mpq_inits(r2, f, NULL);
    q_sumsq(r2, w, S);
    *exact = 1;
    if (tau_sgn <= 0) {
        /* factor clip(t/r, 0, 1) = 0; the current version also zeroes the apex (t+ = 0). */
        *br = VF_BR_ZERO;
        for (size_t i = 0; i < S; i++) {
            if (old)
                mpq_set(yq[i], a[i]);
            else
                mpq_set_ui(yq[i], 0, 1);
        }
    } else if (mpq_cmp(tau2, r2) >= 0) {
        /* t >= r (r = 0 included: w = 0 and the factor multiplies nothing): factor 1. */
        *br = VF_BR_IDENTITY;
        for (size_t i = 0; i < S; i++)
            mpq_add(yq[i], a[i], w[i]);
    } else {
        /* 0 < t < r, so r^2 > 0: factor t/r = sqrt(t^2/r^2). */
        *br = VF_BR_SCALED;
        mpq_div(f, tau2, r2);
        if (vf_cone_qsqrt(f, f)) {
            for (size_t i = 0; i < S; i++) {
                mpq_mul(yq[i], f, w[i]);
                mpq_add(yq[i], yq[i], a[i]);
            }
        } else {
            *exact = 0;
            mpfi_t fi;
            mpfi_init2(fi, mpfi_get_prec(yi[0]));
            mpfi_set_q(fi, f);
            mpfi_sqrt(fi, fi);
            for (size_t i = 0; i < S; i++) {
                mpfi_mul_q(yi[i], fi, w[i]);
                mpfi_add_q(yi[i], yi[i], a[i]);
            }
            mpfi_clear(fi);
        }
    }
    mpq_clears(r2, f, NULL);
}

/* One rational group of S entries; yi entries are initialised at the output precision. */
static int group_q(mpq_t *yq, mpfi_t *yi, int *exact, vf_cone_branch *br, const mpq_t *x,
                   size_t S, vf_cone_op op, vf_err *e)
{
    if (op == VF_CONE_PROJ) {
        proj_q(yq, yi, exact, br, x, S);
    } else {
        mpq_t *a = q_alloc(S, e), *w = q_alloc(S, e);
        if (!a || !w) {
            q_free(a, S);
            q_free(w, S);
            return VF_E_NOMEM;
        }
        mpq_t tau2;
        mpq_init(tau2);
        int tau_sgn, old = op == VF_CONE_COLU_OLD || op == VF_CONE_RCOLU_OLD;
        if (op == VF_CONE_COLU || op == VF_CONE_COLU_OLD) {
            mpq_set(a[0], x[0]);
            for (size_t i = 1; i < S; i++)
                mpq_set(w[i], x[i]);
            tau_sgn = mpq_sgn(x[0]);
            mpq_mul(tau2, x[0], x[0]);
        } else {
            /* t e = mean * (1, .., 1) and t^2 = S mean^2: rational although t is not. */
            mpq_t m, s;
            mpq_inits(m, s, NULL);
            for (size_t i = 0; i < S; i++)
                mpq_add(m, m, x[i]);
            mpq_set_ui(s, (unsigned long)S, 1);
            mpq_div(m, m, s);
            for (size_t i = 0; i < S; i++) {
                mpq_set(a[i], m);
                mpq_sub(w[i], x[i], m);
            }
            tau_sgn = mpq_sgn(m);
            mpq_mul(tau2, m, m);
            mpq_mul(tau2, tau2, s);
            mpq_clears(m, s, NULL);
        }
        colu_core_q(yq, yi, exact, br, (const mpq_t *)a, (const mpq_t *)w, S, tau_sgn, tau2,
                    old);
        mpq_clear(tau2);
        q_free(a, S);
        q_free(w, S);
    }
    /* q holds the value iff exact; otherwise zeros, never stale numbers. */
    for (size_t i = 0; i < S; i++) {
        if (*exact)
            mpfi_set_q(yi[i], yq[i]);
        else
            mpq_set_ui(yq[i], 0, 1);
    }
    return VF_OK;
}

static int check_out(const vf_cone_val *y, size_t n, vf_err *e)
{
    if (y->q.rows != n || y->q.cols != 1 || y->iv.rows != n || y->iv.cols != 1)
        return vf_fail(e, VF_E_SHAPE, "cone output is %zux%zu / %zux%zu, expected %zux1",
                       y->q.rows, y->q.cols, y->iv.rows, y->iv.cols, n);
    return VF_OK;
}

int vf_ref_cone(vf_cone_val *y, vf_cone_branch *br, const vf_qmat *x, vf_cone_op op, vf_err *e)
{
    if ((unsigned)op >= VF_CONE__COUNT)
        return vf_fail(e, VF_E_USAGE, "unknown cone operation %d", (int)op);
    if (x->cols != 1 || x->rows < 1)
        return vf_fail(e, VF_E_SHAPE, "cone group is %zux%zu, must be Sx1 with S >= 1", x->rows,
                       x->cols);
    int rc = check_out(y, x->rows, e);
    if (rc)
        return rc;
    vf_cone_branch b;
    rc = group_q(y->q.a, y->iv.a, &y->exact, &b, (const mpq_t *)x->a, x->rows, op, e);
    if (!rc && br)
        *br = b;
    return rc;
}

int vf_ref_cone_groups(vf_cone_val *y, vf_cone_branch *br, const vf_qmat *x, size_t S,
                       vf_cone_op op, vf_err *e)
{
    if ((unsigned)op >= VF_CONE__COUNT)
        return vf_fail(e, VF_E_USAGE, "unknown cone operation %d", (int)op);
    if (S == 0)
        return vf_fail(e, VF_E_USAGE, "cone group size must be >= 1");
    if (x->cols != 1 || x->rows % S != 0)
        return vf_fail(e, VF_E_SHAPE, "cone input is %zux%zu, must be nx1 with n a multiple of "
                       "the group size %zu", x->rows, x->cols, S);
    int rc = check_out(y, x->rows, e);
    if (rc)
        return rc;
    y->exact = 1;
    for (size_t g = 0; g < x->rows / S; g++) {
        int ex;
        vf_cone_branch b;
        rc = group_q(y->q.a + g * S, y->iv.a + g * S, &ex, &b, (const mpq_t *)x->a + g * S, S,
                     op, e);
        if (rc)
            return rc;
        y->exact &= ex;
        if (br)
            br[g] = b;
    }
    if (!y->exact) /* q is all-or-nothing: zero the exact groups too */
        for (size_t i = 0; i < x->rows; i++)
            mpq_set_ui(y->q.a[i], 0, 1);
    return VF_OK;
}

/* ---------------------------------------------------------------- interval-input kernels */

/* Hull of the P_L branches the box x allows.  With a = t - r and b = -t - r: IDENTITY is
 * possible iff max a >= 0, ZERO iff max b >= 0, SCALED (r > |t|) only if min a < 0 and
 * min b < 0 — necessary conditions, so no branch a point of the box uses is missed. */
static void proj_iv(mpfi_t *y, mpfi_t *x, mpfi_t *z, size_t S, mpfr_prec_t p)
{
    mpfi_t r, a, b, c, u, unit;
    mpfi_init2(r, p);
    mpfi_init2(a, p);
    mpfi_init2(b, p);
    mpfi_init2(c, p);
    mpfi_init2(u, p);
    mpfi_init2(unit, p);
    iv_sumsq(r, x + 1, S - 1);
    mpfi_sqrt(r, r);
    mpfi_sub(a, x[0], r);
    mpfi_neg(b, x[0]);
    mpfi_sub(b, b, r);
    int first = 1;
    if (mpfr_sgn(&a->right) >= 0)
        iv_merge(y, x, S, &first);
    if (mpfr_sgn(&b->right) >= 0) {
        for (size_t i = 0; i < S; i++)
            mpfi_set_ui(z[i], 0);
        iv_merge(y, z, S, &first);
    }
    if (mpfr_sgn(&a->left) < 0 && mpfr_sgn(&b->left) < 0) {
        /* c (1, w/r); each w_i/r lies in [-1, 1], which also covers an r enclosing 0. */
        mpfi_add(c, x[0], r);
        mpfi_div_2ui(c, c, 1);
        mpfi_set(z[0], c);
        mpfi_interv_si(unit, -1, 1);
        for (size_t i = 1; i < S; i++) {
            if (mpfr_sgn(&r->left) > 0) {
                mpfi_div(u, x[i], r);
                mpfi_intersect(u, u, unit);
            } else {
                mpfi_set(u, unit);
            }
            mpfi_mul(z[i], c, u);
        }
        iv_merge(y, z, S, &first);
    }
    mpfi_clear(r);
    mpfi_clear(a);
    mpfi_clear(b);
    mpfi_clear(c);
    mpfi_clear(u);
    mpfi_clear(unit);
}

/* CoLU core on a box: factor f = min(1, t+/r) enclosed monotonically; f = 0 when no point has
 * t > 0, 1 when every point has t+ >= r, [0, 1] when r encloses 0 otherwise. */
static void colu_core_iv(mpfi_t *y, mpfi_t *a, mpfi_t *w, size_t S, mpfi_t tau, int old,
                         mpfr_prec_t p)
{
    mpfi_t tp, r, f, ai;
    mpfi_init2(tp, p);
    mpfi_init2(r, p);
    mpfi_init2(f, p);
    mpfi_init2(ai, p);
    iv_pos(tp, tau);
    iv_sumsq(r, w, S);
    mpfi_sqrt(r, r);
    if (mpfr_sgn(&tp->right) <= 0) {
        mpfi_set_ui(f, 0);
    } else if (mpfr_cmp(&tp->left, &r->right) >= 0) {
        mpfi_set_ui(f, 1);
    } else if (mpfr_sgn(&r->left) > 0) {
        mpfi_div(f, tp, r);
        iv_min1(f, f);
    } else {
        mpfi_interv_si(f, 0, 1);
    }
    for (size_t i = 0; i < S; i++) {
        /* current: t+ e, i.e. a_i+ (every a_i has the sign of t); old: a unchanged */
        if (old)
            mpfi_set(ai, a[i]);
        else
            iv_pos(ai, a[i]);
        mpfi_mul(y[i], f, w[i]);
        mpfi_add(y[i], y[i], ai);
    }
    mpfi_clear(tp);
    mpfi_clear(r);
    mpfi_clear(f);
    mpfi_clear(ai);
}

int vf_ref_cone_iv(vf_imat *y, const vf_imat *x, vf_cone_op op, vf_err *e)
{
    if ((unsigned)op >= VF_CONE__COUNT)
        return vf_fail(e, VF_E_USAGE, "unknown cone operation %d", (int)op);
    if (x->cols != 1 || x->rows < 1 || y->rows != x->rows || y->cols != 1)
        return vf_fail(e, VF_E_SHAPE, "cone box is %zux%zu -> %zux%zu, must be Sx1 -> Sx1",
                       x->rows, x->cols, y->rows, y->cols);
    size_t S = x->rows;
    for (size_t i = 0; i < S; i++)
        if (mpfi_nan_p(x->a[i]))
            return vf_fail(e, VF_E_DOMAIN, "cone box entry %zu is NaN", i);
    mpfr_prec_t p = y->prec;
    mpfi_t *a = iv_alloc(S, p, e), *w = iv_alloc(S, p, e);
    if (!a || !w) {
        iv_free(a, S);
        iv_free(w, S);
        return VF_E_NOMEM;
    }
    mpfi_t tau;
    mpfi_init2(tau, p);
    if (op == VF_CONE_PROJ) {
        for (size_t i = 0; i < S; i++)
            mpfi_set(a[i], x->a[i]); /* a: a copy, so y may share nothing with x */
        proj_iv(y->a, a, w, S, p);
    } else if (op == VF_CONE_COLU || op == VF_CONE_COLU_OLD) {
        for (size_t i = 0; i < S; i++) {
            mpfi_set_ui(a[i], 0);
            mpfi_set(w[i], x->a[i]);
        }
        mpfi_set(a[0], x->a[0]);
        mpfi_set_ui(w[0], 0);
        mpfi_set(tau, x->a[0]);
        colu_core_iv(y->a, a, w, S, tau, op == VF_CONE_COLU_OLD, p);
    } else {
        mpfi_t m;
        mpfi_init2(m, p);
        mpfi_set_ui(m, 0);
        for (size_t i = 0; i < S; i++)
            mpfi_add(m, m, x->a[i]);
        mpfi_div_ui(m, m, (unsigned long)S);
        for (size_t i = 0; i < S; i++) {
            mpfi_set(a[i], m);
            mpfi_sub(w[i], x->a[i], m);
        }
        mpfi_set_ui(tau, (unsigned long)S);
        mpfi_sqrt(tau, tau);
        mpfi_mul(tau, tau, m);
        mpfi_clear(m);
        colu_core_iv(y->a, a, w, S, tau, op == VF_CONE_RCOLU_OLD, p);
    }
    mpfi_clear(tau);
    iv_free(a, S);
    iv_free(w, S);
    return VF_OK;
}
