/* vf_iv.c — the certified domain (see vf_iv.h): interval matrices on MPFI.
 *
 * MPFI rounds every endpoint outward, so each operation below returns an enclosure as long as
 * its operands are enclosures.  Domain checks for log/sqrt are made on the whole interval
 * before anything is written, so an error never leaves out half-updated (out may alias in).
 */
#include "vf_iv.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- matrices */

int vf_imat_init(vf_imat *m, size_t rows, size_t cols, mpfr_prec_t prec, vf_err *e)
{
    m->rows = m->cols = 0;
    m->prec = prec;
    m->a = NULL;
    if (prec < MPFR_PREC_MIN || prec > MPFR_PREC_MAX)
        return vf_fail(e, VF_E_USAGE, "interval precision %ld bits is outside [%ld, %ld]",
                       (long)prec, (long)MPFR_PREC_MIN, (long)MPFR_PREC_MAX);
    if (cols != 0 && rows > SIZE_MAX / cols)
        return vf_fail(e, VF_E_NOMEM, "interval matrix %zux%zu is too large", rows, cols);
    mpfi_t *a = vf_calloc(rows * cols, sizeof *a, e);
    if (!a)
        return VF_E_NOMEM;
    for (size_t i = 0; i < rows * cols; i++)
        mpfi_init2(a[i], prec);
    m->rows = rows;
    m->cols = cols;
    m->a = a;
    return VF_OK;
}

void vf_imat_clear(vf_imat *m)
{
    if (m->a) {
        for (size_t i = 0; i < m->rows * m->cols; i++)
            mpfi_clear(m->a[i]);
        free(m->a);
    }
    m->a = NULL;
    m->rows = m->cols = 0;
}

static size_t count(const vf_imat *m)
{
    return m->rows * m->cols;
}

static int same_shape(const vf_imat *a, const vf_imat *b)
{
    return a->rows == b->rows && a->cols == b->cols;
}

/* ---------------------------------------------------------------- conversions */

int vf_imat_from_q(vf_imat *m, const vf_qmat *q, vf_err *e)
{
    if (m->rows != q->rows || m->cols != q->cols)
        return vf_fail(e, VF_E_SHAPE, "from_q: interval matrix %zux%zu, rational matrix %zux%zu",
                       m->rows, m->cols, q->rows, q->cols);
    for (size_t i = 0; i < count(m); i++)
        mpfi_set_q(m->a[i], q->a[i]); /* outward: [RNDD(q), RNDU(q)] */
    return VF_OK;
}

/* Checks every value first so a NaN leaves m untouched.  A float is a dyadic rational with at
 * most 53 significant bits: the point interval is exact when prec >= 53 (>= 24 for float32),
 * and an outward-rounded enclosure otherwise. */
static int check_finite(const vf_imat *m, const double *x, size_t i, vf_err *e)
{
    if (isfinite(x[0]))
        return VF_OK;
    return vf_fail(e, VF_E_DOMAIN, "%s at (%zu,%zu) has no enclosure",
                   isnan(x[0]) ? "NaN" : "an infinity", i / m->cols, i % m->cols);
}

int vf_imat_from_f32(vf_imat *m, const float *x, vf_err *e)
{
    for (size_t i = 0; i < count(m); i++) {
        double d = x[i];
        int rc = check_finite(m, &d, i, e);
        if (rc != VF_OK)
            return rc;
    }
    for (size_t i = 0; i < count(m); i++)
        mpfi_set_d(m->a[i], (double)x[i]);
    return VF_OK;
}

int vf_imat_from_f64(vf_imat *m, const double *x, vf_err *e)
{
    for (size_t i = 0; i < count(m); i++) {
        int rc = check_finite(m, &x[i], i, e);
        if (rc != VF_OK)
            return rc;
    }
    for (size_t i = 0; i < count(m); i++)
        mpfi_set_d(m->a[i], x[i]);
    return VF_OK;
}

/* ---------------------------------------------------------------- elementwise */

typedef enum { FN_EXP, FN_LOG, FN_SQRT } unary_fn;

static int unary(vf_imat *out, const vf_imat *in, unary_fn fn, vf_err *e)
{
    static const char *const names[] = {"exp", "log", "sqrt"};
    if (!same_shape(out, in))
        return vf_fail(e, VF_E_SHAPE, "%s: output %zux%zu, input %zux%zu", names[fn], out->rows,
                       out->cols, in->rows, in->cols);
    for (size_t i = 0; i < count(in); i++) {
        size_t r = i / in->cols, c = i % in->cols;
        if (mpfi_nan_p(in->a[i]))
            return vf_fail(e, VF_E_DOMAIN, "%s of a NaN interval at (%zu,%zu)", names[fn], r, c);
        /* log needs left > 0, sqrt needs left >= 0: the whole interval inside the domain. */
        if (fn == FN_LOG && !mpfi_is_strictly_pos(in->a[i]))
            return vf_fail(e, VF_E_DOMAIN,
                           "log of an interval containing values <= 0 at (%zu,%zu)", r, c);
        if (fn == FN_SQRT && !mpfi_is_nonneg(in->a[i]))
            return vf_fail(e, VF_E_DOMAIN,
                           "sqrt of an interval containing values < 0 at (%zu,%zu)", r, c);
    }
    for (size_t i = 0; i < count(in); i++) {
        switch (fn) {
        case FN_EXP: mpfi_exp(out->a[i], in->a[i]); break;
        case FN_LOG: mpfi_log(out->a[i], in->a[i]); break;
        case FN_SQRT: mpfi_sqrt(out->a[i], in->a[i]); break;
        }
    }
    return VF_OK;
}

int vf_imat_exp(vf_imat *out, const vf_imat *in, vf_err *e)
{
    return unary(out, in, FN_EXP, e);
}

int vf_imat_log(vf_imat *out, const vf_imat *in, vf_err *e)
{
    return unary(out, in, FN_LOG, e);
}

int vf_imat_sqrt(vf_imat *out, const vf_imat *in, vf_err *e)
{
    return unary(out, in, FN_SQRT, e);
}

/* ---------------------------------------------------------------- linear algebra */

static int check_same3(const char *op, const vf_imat *c, const vf_imat *a, const vf_imat *b,
                       vf_err *e)
{
    if (same_shape(a, b) && same_shape(c, a))
        return VF_OK;
    return vf_fail(e, VF_E_SHAPE, "%s: result %zux%zu, operands %zux%zu and %zux%zu", op, c->rows,
                   c->cols, a->rows, a->cols, b->rows, b->cols);
}

int vf_imat_add(vf_imat *c, const vf_imat *a, const vf_imat *b, vf_err *e)
{
    int rc = check_same3("add", c, a, b, e);
    if (rc != VF_OK)
        return rc;
    for (size_t i = 0; i < count(c); i++)
        mpfi_add(c->a[i], a->a[i], b->a[i]);
    return VF_OK;
}

int vf_imat_sub(vf_imat *c, const vf_imat *a, const vf_imat *b, vf_err *e)
{
    int rc = check_same3("sub", c, a, b, e);
    if (rc != VF_OK)
        return rc;
    for (size_t i = 0; i < count(c); i++)
        mpfi_sub(c->a[i], a->a[i], b->a[i]);
    return VF_OK;
}

int vf_imat_mul(vf_imat *c, const vf_imat *a, const vf_imat *b, vf_err *e)
{
    if (a->cols != b->rows || c->rows != a->rows || c->cols != b->cols)
        return vf_fail(e, VF_E_SHAPE, "mul: %zux%zu times %zux%zu into %zux%zu", a->rows, a->cols,
                       b->rows, b->cols, c->rows, c->cols);
    /* When c aliases an operand, entries of c are still needed after being computed: build the
     * product in a temporary and swap it in. */
    vf_imat tmp = {0};
    vf_imat *dst = c;
    if (c == a || c == b) {
        int rc = vf_imat_init(&tmp, c->rows, c->cols, c->prec, e);
        if (rc != VF_OK)
            return rc;
        dst = &tmp;
    }
    mpfi_t t;
    mpfi_init2(t, c->prec);
    for (size_t i = 0; i < c->rows; i++)
        for (size_t j = 0; j < c->cols; j++) {
            mpfi_ptr s = VF_I(dst, i, j);
            mpfi_set_ui(s, 0);
            for (size_t k = 0; k < a->cols; k++) {
                mpfi_mul(t, VF_I(a, i, k), VF_I(b, k, j));
                mpfi_add(s, s, t);
            }
        }
    mpfi_clear(t);
    if (dst == &tmp) {
        for (size_t i = 0; i < count(c); i++)
            mpfi_swap(c->a[i], tmp.a[i]);
        vf_imat_clear(&tmp);
    }
    return VF_OK;
}

int vf_imat_dot(mpfi_t r, const vf_imat *a, const vf_imat *b, vf_err *e)
{
    if (!same_shape(a, b))
        return vf_fail(e, VF_E_SHAPE, "dot: operands %zux%zu and %zux%zu", a->rows, a->cols,
                       b->rows, b->cols);
    mpfr_prec_t p = mpfi_get_prec(r);
    mpfi_t s, t;
    mpfi_init2(s, p);
    mpfi_init2(t, p);
    mpfi_set_ui(s, 0);
    for (size_t i = 0; i < count(a); i++) {
        mpfi_mul(t, a->a[i], b->a[i]);
        mpfi_add(s, s, t);
    }
    mpfi_swap(r, s); /* same precision: r keeps its precision */
    mpfi_clear(s);
    mpfi_clear(t);
    return VF_OK;
}

/* ---------------------------------------------------------------- certified bits */

long vf_iv_abs_bits(const mpfi_t x)
{
    long prec = (long)mpfi_get_prec(x);
    if (mpfi_nan_p(x) || mpfi_inf_p(x))
        return 0;
    mpfr_t w;
    mpfr_init2(w, mpfi_get_prec(x));
    /* Rounding the width up never crosses a power of two (powers of two are representable),
     * so the k found from the rounded width is the exact largest k with width <= 2^-k. */
    mpfr_sub(w, &x->right, &x->left, MPFR_RNDU);
    long k;
    if (mpfr_sgn(w) < 0) {
        k = 0; /* empty interval (left > right): encloses nothing, certifies nothing */
    } else if (mpfr_zero_p(w)) {
        k = prec; /* point interval */
    } else {
        mpfr_exp_t ex = mpfr_get_exp(w); /* 2^(ex-1) <= w < 2^ex */
        int pow2 = mpfr_cmp_ui_2exp(w, 1, ex - 1) == 0;
        /* w = 2^(ex-1): k = 1 - ex; otherwise 2^-k >= w needs -k >= ex. */
        k = pow2 ? (long)(1 - ex) : (long)(-ex);
        if (k < 0)
            k = 0;
        if (k > prec)
            k = prec;
    }
    mpfr_clear(w);
    return k;
}

long vf_imat_abs_bits(const vf_imat *m)
{
    long k = (long)m->prec;
    for (size_t i = 0; i < count(m); i++) {
        long ki = vf_iv_abs_bits(m->a[i]);
        if (ki < k)
            k = ki;
    }
    return k;
}
