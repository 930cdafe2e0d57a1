/* vf_oracle.c — references and comparisons for user kernels (see vf_oracle.h).
 *
 * One engine for every kernel: the output is viewed as rows x cols (cols = its last axis, 1 for
 * logsumexp), each kernel has a row evaluator that encloses one output row at a given
 * precision, and vf_round_ziv rounds that row correctly.  The evaluators only assemble the
 * reference modules: vf_softmax (softmax family, attention probabilities), vf_relu, vf_cone,
 * vf_ols; exact sums of products (matmul, linear attention, attention logits) are exact MPFR
 * sums (mpfr_sum at a precision covering every bit, so no rounding happens).  Comparison goes
 * through vf_cmp (vf_ulp.h); the only code here on top of it is the per-point tolerance test.
 */
#include <stdio.h> /* before mpfr.h (through vf_oracle.h): declares mpfr_snprintf */

#include "vf_oracle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vf_cone.h"
#include "vf_ols.h"
#include "vf_q.h"
#include "vf_relu.h"
#include "vf_rng.h"
#include "vf_softmax.h"

/* ---------------------------------------------------------------- names and options */

static const char *const kernel_names[VF_K__COUNT] = {
    "softmax", "log_softmax", "logsumexp", "relu", "lorentz_projection", "colu", "matmul",
    "linear_attention", "attention", "ols"};
static const int kernel_nin[VF_K__COUNT] = {1, 1, 1, 1, 1, 1, 2, 3, 3, 2};

const char *vf_kernel_name(vf_kernel k)
{
    return (unsigned)k < VF_K__COUNT ? kernel_names[k] : "?";
}

int vf_kernel_from_name(const char *name)
{
    for (int k = 0; k < VF_K__COUNT; k++)
        if (name && !strcmp(name, kernel_names[k]))
            return k;
    return -1;
}

int vf_kernel_inputs(vf_kernel k)
{
    return (unsigned)k < VF_K__COUNT ? kernel_nin[k] : 0;
}

void vf_oracle_opts_default(vf_oracle_opts *o)
{
    *o = (vf_oracle_opts){.dtype = VF_DT_F32, .tol = VF_TOL_AUTO, .seed = VF_SEED_DEFAULT};
}

const char *vf_oracle_status_name(vf_oracle_status s)
{
    static const char *const n[] = {"PASSED", "FAILED", "MISTRUSTED", "UNCERTIFIED"};
    return (unsigned)s < 4 ? n[s] : "?";
}

int vf_oracle_exit(vf_oracle_status s)
{
    switch (s) {
    case VF_ORACLE_PASSED: return VF_EXIT_PASS;
    case VF_ORACLE_FAILED:
    case VF_ORACLE_MISTRUSTED: return VF_EXIT_FAIL;
    case VF_ORACLE_UNCERTIFIED: break;
    }
    return VF_EXIT_INTERNAL;
}

int vf_oracle_tensor_f32(vf_tensor *t, const float *x, int ndim, const size_t *shape, vf_err *e)
{
    int rc = vf_tensor_init(t, VF_DT_F32, ndim, shape, e);
    for (size_t i = 0; !rc && i < t->count; i++)
        t->v[i] = x[i];
    return rc;
}

static const char *dtype_name(vf_dtype dt)
{
    return dt == VF_DT_F16 ? "f16" : dt == VF_DT_F32 ? "f32" : "f64";
}

/* "[2, 3, 4]" into buf. */
static const char *shape_str(char *buf, size_t len, int ndim, const size_t *shape)
{
    size_t k = (size_t)snprintf(buf, len, "[");
    for (int i = 0; i < ndim && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%zu", i ? ", " : "", shape[i]);
    if (k < len)
        snprintf(buf + k, len - k, "]");
    return buf;
}

/* ---------------------------------------------------------------- the problem */

typedef struct prob {
    vf_kernel k;
    const vf_tensor *in[3];
    const vf_oracle_opts *o;
    int ondim;
    size_t oshape[VF_NPY_MAX_DIM];
    size_t rows, cols; /* the output as rows x cols */
    size_t len;        /* reduction or group length: N, S, K (matmul), D (attention, d) */
    size_t sq, sk, dv; /* matmul: sq = M; attention: queries, keys, value width per head */
    int b_bcast;       /* matmul: B is [K, N], shared by every batch */
    mpq_t t;           /* temperature, or 1/scale for attention */
    vf_temp T;
    vf_qmat yhat;      /* ols */
} prob;

static void prob_clear(prob *p)
{
    mpq_clear(p->t);
    vf_qmat_clear(&p->yhat);
}

/* Every value finite, except -inf where allowed (masked logits). */
static int check_values(const vf_tensor *t, const char *name, int allow_neg_inf, vf_err *e)
{
    for (size_t i = 0; i < t->count; i++) {
        double v = t->v[i];
        if (isfinite(v) || (allow_neg_inf && v == -INFINITY))
            continue;
        size_t idx[VF_NPY_MAX_DIM];
        char buf[128];
        size_t rest = i;
        for (int d = t->ndim - 1; d >= 0; d--) {
            idx[d] = t->shape[d] ? rest % t->shape[d] : 0;
            rest = t->shape[d] ? rest / t->shape[d] : 0;
        }
        return vf_fail(e, VF_E_DOMAIN, "%s at index %s of input %s: the inputs must be %s",
                       isnan(v) ? "NaN" : v > 0 ? "+inf" : "-inf",
                       shape_str(buf, sizeof buf, t->ndim, idx), name,
                       allow_neg_inf ? "finite or -inf (masked)" : "finite");
    }
    return VF_OK;
}

/* Leading dims (all but the last `tail`) of a and b are equal. */
static int same_lead(const vf_tensor *a, const vf_tensor *b, int tail)
{
    if (a->ndim != b->ndim || a->ndim < tail)
        return 0;
    for (int d = 0; d < a->ndim - tail; d++)
        if (a->shape[d] != b->shape[d])
            return 0;
    return 1;
}

static size_t lastdim(const vf_tensor *t, int from_end)
{
    return t->shape[t->ndim - from_end];
}

static int shape_error(const prob *p, const char *need, vf_err *e)
{
    char b[3][96] = {"", "", ""};
    for (int i = 0; i < kernel_nin[p->k]; i++)
        shape_str(b[i], sizeof b[i], p->in[i]->ndim, p->in[i]->shape);
    return vf_fail(e, VF_E_SHAPE, "%s: input shapes %s %s %s: %s", kernel_names[p->k], b[0], b[1],
                   b[2], need);
}

/* Output shape = input 0's shape with the last `drop` dims replaced by `add` (nadd of them). */
static void out_shape(prob *p, const vf_tensor *t, int drop, const size_t *add, int nadd)
{
    p->ondim = t->ndim - drop + nadd;
    for (int d = 0; d < t->ndim - drop; d++)
        p->oshape[d] = t->shape[d];
    for (int d = 0; d < nadd; d++)
        p->oshape[t->ndim - drop + d] = add[d];
}

static size_t out_count(const prob *p)
{
    size_t n = 1;
    for (int d = 0; d < p->ondim; d++)
        n *= p->oshape[d];
    return n;
}

static int set_temperature(prob *p, double T, vf_err *e)
{
    if (T == 0)
        T = 1;
    if (!(T > 0) || !isfinite(T))
        return vf_fail(e, VF_E_USAGE, "temperature must be a finite number > 0, got %g", T);
    mpq_set_d(p->t, T); /* exact: a double is a dyadic rational */
    p->T = (vf_temp){p->t, 0};
    return VF_OK;
}

static int setup_rowwise(prob *p, vf_err *e)
{
    const vf_tensor *x = p->in[0];
    if (x->ndim < 1 || lastdim(x, 1) == 0)
        return shape_error(p, "needs at least one axis and a non-empty last axis", e);
    p->len = lastdim(x, 1);
    p->rows = x->count / p->len;
    int rc = set_temperature(p, p->o->temperature, e);
    if (rc || (rc = check_values(x, "x", 1, e)))
        return rc;
    for (size_t r = 0; r < p->rows; r++) {
        size_t j = 0;
        while (j < p->len && x->v[r * p->len + j] == -INFINITY)
            j++;
        if (j == p->len)
            return vf_fail(e, VF_E_DOMAIN, "%s: row %zu of x has no finite entry (every logit is "
                           "-inf, masked): the softmax of that row is undefined",
                           kernel_names[p->k], r);
    }
    if (p->k == VF_K_LOGSUMEXP) {
        out_shape(p, x, 1, NULL, 0);
        p->cols = 1;
    } else {
        out_shape(p, x, 0, NULL, 0);
        p->cols = p->len;
    }
    return VF_OK;
}

static int setup_matmul(prob *p, vf_err *e)
{
    const vf_tensor *a = p->in[0], *b = p->in[1];
    if (a->ndim < 2 || b->ndim < 2 || lastdim(a, 1) != lastdim(b, 2) ||
        !(b->ndim == 2 || same_lead(a, b, 2)))
        return shape_error(p, "need A [..., M, K] and B [K, N] or [..., K, N] with A's leading "
                           "dims", e);
    p->len = lastdim(a, 1);
    p->sq = lastdim(a, 2);
    p->cols = lastdim(b, 1);
    p->b_bcast = b->ndim == 2 && a->ndim > 2;
    size_t add[2] = {p->sq, p->cols};
    out_shape(p, a, 2, add, 2);
    p->rows = p->cols ? out_count(p) / p->cols : 0;
    return VF_OK;
}

static int setup_attention(prob *p, vf_err *e)
{
    const vf_tensor *q = p->in[0], *k = p->in[1], *v = p->in[2];
    int lin = p->k == VF_K_LINEAR_ATTENTION;
    if (q->ndim < 2 || !same_lead(q, k, 2) || !same_lead(q, v, 2) ||
        lastdim(q, 1) != lastdim(k, 1) || lastdim(k, 2) != lastdim(v, 2) || lastdim(q, 1) == 0 ||
        lastdim(k, 2) == 0 ||
        (lin && lastdim(q, 2) != lastdim(k, 2)))
        return shape_error(p, lin ? "need Q, K [..., n, d] and V [..., n, dv], equal leading dims"
                                  : "need Q [..., Sq, D], K [..., Sk, D], V [..., Sk, Dv] "
                                    "([batch, heads, seq, dim]), equal leading dims, D >= 1", e);
    p->len = lastdim(q, 1);
    p->sq = lastdim(q, 2);
    p->sk = lastdim(k, 2);
    p->dv = p->cols = lastdim(v, 1);
    size_t add[1] = {p->dv};
    out_shape(p, q, 1, add, 1);
    p->rows = p->cols ? out_count(p) / p->cols : 0;
    if (lin)
        return VF_OK;
    if (p->o->scale == 0) { /* T = sqrt(D): softmax(Q K^T / sqrt(D)) */
        mpq_set_ui(p->t, (unsigned long)p->len, 1);
        p->T = (vf_temp){p->t, 1};
        return VF_OK;
    }
    if (!(p->o->scale > 0) || !isfinite(p->o->scale))
        return vf_fail(e, VF_E_USAGE, "attention: scale must be a finite number > 0, got %g",
                       p->o->scale);
    mpq_set_d(p->t, p->o->scale);
    mpq_inv(p->t, p->t); /* T = 1/scale, exactly */
    p->T = (vf_temp){p->t, 0};
    return VF_OK;
}

static int setup_ols(prob *p, vf_err *e)
{
    const vf_tensor *x = p->in[0], *y = p->in[1];
    if (x->ndim != 2 || (y->ndim != 1 && y->ndim != 2) || y->shape[0] != x->shape[0])
        return shape_error(p, "need X [n, d] and y [n] or [n, m]", e);
    p->rows = x->shape[0];
    p->cols = y->ndim == 2 ? y->shape[1] : 1;
    p->len = x->shape[1];
    out_shape(p, y, 0, NULL, 0);
    vf_qmat qx = {0}, qy = {0};
    int rc = vf_qmat_init(&qx, p->rows, p->len, e);
    if (!rc)
        rc = vf_qmat_init(&qy, p->rows, p->cols, e);
    if (!rc)
        rc = vf_qmat_from_f64(&qx, x->v, e);
    if (!rc)
        rc = vf_qmat_from_f64(&qy, y->v, e);
    if (!rc)
        rc = vf_ref_ols_fit_q(&p->yhat, NULL, &qx, &qy, e);
    vf_qmat_clear(&qx);
    vf_qmat_clear(&qy);
    return rc;
}

static int prob_init(prob *p, vf_kernel k, const vf_tensor *const *in, const vf_oracle_opts *o,
                     vf_err *e)
{
    *p = (prob){.k = k, .o = o};
    mpq_init(p->t);
    if ((unsigned)k >= VF_K__COUNT)
        return vf_fail(e, VF_E_USAGE, "unknown kernel %d", (int)k);
    static const char *const role[VF_K__COUNT][3] = {
        {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"A", "B"}, {"Q", "K", "V"}, {"Q", "K", "V"},
        {"X", "y"}};
    for (int i = 0; i < kernel_nin[k]; i++) {
        if (!in || !in[i] || !in[i]->v)
            return vf_fail(e, VF_E_USAGE, "%s needs %d input tensors (%s%s%s%s%s), input %d is "
                           "missing", kernel_names[k], kernel_nin[k], role[k][0],
                           role[k][1] ? ", " : "", role[k][1] ? role[k][1] : "",
                           role[k][2] ? ", " : "", role[k][2] ? role[k][2] : "", i + 1);
        p->in[i] = in[i];
        if (in[i]->dtype != in[0]->dtype)
            return vf_fail(e, VF_E_FORMAT, "%s: input %s is %s but %s is %s (all inputs must "
                           "share one dtype)", kernel_names[k], role[k][i],
                           dtype_name(in[i]->dtype), role[k][0], dtype_name(in[0]->dtype));
        int rc;
        if (k > VF_K_LOGSUMEXP && (rc = check_values(in[i], role[k][i], 0, e)))
            return rc;
    }
    if (o->prec_max != 0 && (o->prec_max < 64 || o->prec_max > VF_PREC_MAX * 16))
        return vf_fail(e, VF_E_USAGE, "precision cap %ld bits: need 64 <= cap <= %d",
                       (long)o->prec_max, VF_PREC_MAX * 16);
    const vf_tensor *x = in[0];
    switch (k) {
    case VF_K_SOFTMAX:
    case VF_K_LOG_SOFTMAX:
    case VF_K_LOGSUMEXP: return setup_rowwise(p, e);
    case VF_K_RELU:
        out_shape(p, x, 0, NULL, 0);
        p->cols = x->ndim ? lastdim(x, 1) : 1;
        p->rows = p->cols ? x->count / p->cols : 0;
        return VF_OK;
    case VF_K_LORENTZ:
    case VF_K_COLU:
        if (x->ndim < 1 || lastdim(x, 1) == 0)
            return shape_error(p, "needs a non-empty last axis (the group)", e);
        out_shape(p, x, 0, NULL, 0);
        p->cols = p->len = lastdim(x, 1);
        p->rows = x->count / p->cols;
        return VF_OK;
    case VF_K_MATMUL: return setup_matmul(p, e);
    case VF_K_LINEAR_ATTENTION:
    case VF_K_ATTENTION: return setup_attention(p, e);
    case VF_K_OLS: return setup_ols(p, e);
    case VF_K__COUNT: break;
    }
    return vf_fail(e, VF_E_INTERNAL, "oracle: kernel %d has no setup", (int)k);
}

/* ---------------------------------------------------------------- exact sums of products */

/* res = t[0] + ... + t[n-1] exactly: the precision covers every bit from the lowest bit of any
 * term to the carry above the largest, so mpfr_sum does not round. */
static void exact_sum(mpfr_t res, mpfr_ptr *t, size_t n)
{
    mpfr_exp_t hi = 0, lo = 0;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (mpfr_zero_p(t[i]))
            continue;
        mpfr_exp_t h = mpfr_get_exp(t[i]), l = h - (mpfr_exp_t)mpfr_get_prec(t[i]);
        if (!any || h > hi)
            hi = h;
        if (!any || l < lo)
            lo = l;
        any = 1;
    }
    mpfr_prec_t need = 128;
    if (any) {
        mpfr_prec_t bits = 2;
        for (size_t m = n; m; m >>= 1)
            bits++;
        if ((mpfr_prec_t)(hi - lo) + bits > need)
            need = (mpfr_prec_t)(hi - lo) + bits;
    }
    mpfr_set_prec(res, need);
    mpfr_sum(res, t, (unsigned long)n, MPFR_RNDN);
}

typedef struct scratch {
    size_t n;
    mpfr_t *t;      /* terms */
    mpfr_ptr *ptr;
    mpfr_t a, acc;
} scratch;

static void scratch_clear(scratch *s)
{
    for (size_t i = 0; s->t && i < s->n; i++)
        mpfr_clear(s->t[i]);
    if (s->t) {
        mpfr_clear(s->a);
        mpfr_clear(s->acc);
    }
    free(s->t);
    free(s->ptr);
    *s = (scratch){0};
}

static int scratch_init(scratch *s, size_t n, vf_err *e)
{
    *s = (scratch){0};
    s->t = vf_calloc(n ? n : 1, sizeof *s->t, e);
    s->ptr = vf_calloc(n ? n : 1, sizeof *s->ptr, e);
    if (!s->t || !s->ptr) {
        free(s->t);
        free(s->ptr);
        *s = (scratch){0};
        return VF_E_NOMEM;
    }
    s->n = n;
    for (size_t i = 0; i < n; i++) {
        mpfr_init2(s->t[i], 106); /* a product of two doubles is exact in 106 bits */
        s->ptr[i] = s->t[i];
    }
    mpfr_init2(s->a, 53);
    mpfr_init2(s->acc, 128);
    return VF_OK;
}

/* s->acc = sum_i a[i sa] b[i sb] exactly (n <= s->n). */
static void exact_dot(scratch *s, const double *a, size_t sa, const double *b, size_t sb,
                      size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mpfr_set_prec(s->t[i], 106);
        mpfr_set_d(s->a, a[i * sa], MPFR_RNDN);
        mpfr_mul_d(s->t[i], s->a, b[i * sb], MPFR_RNDN);
    }
    exact_sum(s->acc, s->ptr, n);
}

/* ---------------------------------------------------------------- row evaluators */

typedef struct rowctx {
    const prob *p;
    size_t r;
    int keep_last;    /* compare: keep the last enclosure for the comparator */
    vf_imat last;
    scratch s;
    size_t cached;    /* row whose logits are in lq/mask/lv, or SIZE_MAX */
    vf_qmat lq;       /* attention: exact logits of the row, 1 x sk */
    unsigned char *mask;
    mpfr_t *lv;       /* linear attention: exact scores of the row, sk of them */
} rowctx;

static void rowctx_clear(rowctx *c)
{
    vf_imat_clear(&c->last);
    scratch_clear(&c->s);
    vf_qmat_clear(&c->lq);
    free(c->mask);
    if (c->lv)
        for (size_t j = 0; j < c->p->sk; j++)
            mpfr_clear(c->lv[j]);
    free(c->lv);
    *c = (rowctx){0};
}

static int rowctx_init(rowctx *c, const prob *p, int keep_last, vf_err *e)
{
    *c = (rowctx){.p = p, .keep_last = keep_last, .cached = SIZE_MAX};
    int rc = VF_OK;
    if (p->k == VF_K_MATMUL)
        rc = scratch_init(&c->s, p->len, e);
    if (p->k == VF_K_ATTENTION || p->k == VF_K_LINEAR_ATTENTION) {
        size_t n = p->len > p->sk ? p->len : p->sk;
        rc = scratch_init(&c->s, n, e);
        if (!rc && p->k == VF_K_ATTENTION)
            rc = vf_qmat_init(&c->lq, 1, p->sk, e);
        if (!rc && !(c->mask = vf_calloc(p->sk, 1, e)))
            rc = VF_E_NOMEM;
        if (!rc && p->k == VF_K_LINEAR_ATTENTION) {
            if (!(c->lv = vf_calloc(p->sk ? p->sk : 1, sizeof *c->lv, e)))
                rc = VF_E_NOMEM;
            for (size_t j = 0; !rc && j < p->sk; j++)
                mpfr_init2(c->lv[j], 128);
        }
    }
    if (rc)
        rowctx_clear(c);
    return rc;
}

/* The exact logits q_i . k_j of query row r (attention: as rationals; linear attention: as
 * exact MPFR values), and the causal mask; computed once per row, whatever the precision. */
static void row_logits(rowctx *c)
{
    const prob *p = c->p;
    if (c->cached == c->r)
        return;
    size_t head = c->r / p->sq, i = c->r % p->sq, D = p->len;
    const double *q = p->in[0]->v + c->r * D, *k = p->in[1]->v + head * p->sk * D;
    for (size_t j = 0; j < p->sk; j++) {
        c->mask[j] = p->o->causal && j > i;
        if (c->mask[j])
            continue;
        exact_dot(&c->s, q, 1, k + j * D, 1, D);
        if (p->k == VF_K_ATTENTION) {
            mpfr_get_q(VF_Q(&c->lq, 0, j), c->s.acc);
        } else {
            mpfr_set_prec(c->lv[j], mpfr_get_prec(c->s.acc));
            mpfr_set(c->lv[j], c->s.acc, MPFR_RNDN); /* exact: same precision */
        }
    }
    c->cached = c->r;
}

static int eval_attention(rowctx *c, mpfr_prec_t prec, vf_imat *out, vf_err *e)
{
    const prob *p = c->p;
    row_logits(c);
    vf_sm_src src = {.kind = VF_SM_Q, .rows = 1, .cols = p->sk, .q = &c->lq, .mask = c->mask};
    vf_imat P = {0};
    mpfi_t t;
    int rc = vf_imat_init(&P, 1, p->sk, prec, e);
    if (!rc)
        rc = vf_ref_softmax(&P, &src, &p->T, e);
    mpfi_init2(t, prec);
    for (size_t col = 0; col < p->dv; col++)
        mpfi_set_ui(VF_I(out, 0, col), 0);
    const double *v = p->in[2]->v + (c->r / p->sq) * p->sk * p->dv;
    for (size_t j = 0; !rc && j < p->sk; j++) {
        if (c->mask[j])
            continue;
        for (size_t col = 0; col < p->dv; col++) {
            mpfi_mul_d(t, VF_I(&P, 0, j), v[j * p->dv + col]);
            mpfi_add(VF_I(out, 0, col), VF_I(out, 0, col), t);
        }
    }
    mpfi_clear(t);
    vf_imat_clear(&P);
    return rc;
}

static void eval_linear_attention(rowctx *c, vf_imat *out)
{
    const prob *p = c->p;
    row_logits(c);
    const double *v = p->in[2]->v + (c->r / p->sq) * p->sk * p->dv;
    for (size_t col = 0; col < p->dv; col++) {
        size_t n = 0;
        for (size_t j = 0; j < p->sk; j++) {
            if (c->mask[j])
                continue;
            mpfr_set_prec(c->s.t[n], mpfr_get_prec(c->lv[j]) + 53); /* exact product */
            mpfr_mul_d(c->s.t[n], c->lv[j], v[j * p->dv + col], MPFR_RNDN);
            c->s.ptr[n] = c->s.t[n];
            n++;
        }
        exact_sum(c->s.acc, c->s.ptr, n);
        mpfi_set_fr(VF_I(out, 0, col), c->s.acc);
    }
}

/* Group (row) r of a cone kernel: exact branch decisions and values in vf_cone. */
static int eval_cone(rowctx *c, mpfr_prec_t prec, vf_imat *out, vf_err *e)
{
    const prob *p = c->p;
    vf_qmat x = {0};
    vf_cone_val y = {0};
    int rc = vf_qmat_init(&x, p->len, 1, e);
    if (!rc)
        rc = vf_qmat_from_f64(&x, p->in[0]->v + c->r * p->len, e);
    if (!rc)
        rc = vf_cone_val_init(&y, p->len, prec, e);
    if (!rc)
        rc = vf_ref_cone(&y, NULL, &x, p->k == VF_K_COLU ? VF_CONE_COLU : VF_CONE_PROJ, e);
    for (size_t j = 0; !rc && j < p->len; j++)
        mpfi_set(VF_I(out, 0, j), VF_I(&y.iv, j, 0));
    vf_cone_val_clear(&y);
    vf_qmat_clear(&x);
    return rc;
}

static int eval_relu(rowctx *c, vf_imat *out, vf_err *e)
{
    const prob *p = c->p;
    vf_qmat x = {0}, y = {0};
    int rc = vf_qmat_init(&x, 1, p->cols, e);
    if (!rc)
        rc = vf_qmat_init(&y, 1, p->cols, e);
    if (!rc)
        rc = vf_qmat_from_f64(&x, p->in[0]->v + c->r * p->cols, e);
    if (!rc)
        rc = vf_ref_relu_q(&y, &x, e);
    if (!rc)
        rc = vf_imat_from_q(out, &y, e);
    vf_qmat_clear(&x);
    vf_qmat_clear(&y);
    return rc;
}

static int eval_row(rowctx *c, mpfr_prec_t prec, vf_imat *out, vf_err *e)
{
    const prob *p = c->p;
    vf_sm_src s = {.kind = VF_SM_F64, .rows = 1, .cols = p->len,
                   .f64 = p->in[0]->v + c->r * p->len};
    switch (p->k) {
    case VF_K_SOFTMAX: return vf_ref_softmax(out, &s, &p->T, e);
    case VF_K_LOG_SOFTMAX: return vf_ref_log_softmax(out, &s, &p->T, e);
    case VF_K_LOGSUMEXP: return vf_ref_logsumexp(out, &s, &p->T, e);
    case VF_K_RELU: return eval_relu(c, out, e);
    case VF_K_LORENTZ:
    case VF_K_COLU: return eval_cone(c, prec, out, e);
    case VF_K_MATMUL: {
        size_t b = c->r / p->sq, K = p->len, N = p->cols;
        const double *a = p->in[0]->v + c->r * K;
        const double *bm = p->in[1]->v + (p->b_bcast ? 0 : b * K * N);
        for (size_t j = 0; j < N; j++) {
            exact_dot(&c->s, a, 1, bm + j, N, K);
            mpfi_set_fr(VF_I(out, 0, j), c->s.acc);
        }
        return VF_OK;
    }
    case VF_K_LINEAR_ATTENTION: eval_linear_attention(c, out); return VF_OK;
    case VF_K_ATTENTION: return eval_attention(c, prec, out, e);
    case VF_K_OLS:
        for (size_t j = 0; j < p->cols; j++)
            mpfi_set_q(VF_I(out, 0, j), VF_Q(&p->yhat, c->r, j));
        return VF_OK;
    case VF_K__COUNT: break;
    }
    return vf_fail(e, VF_E_INTERNAL, "oracle: no evaluator for kernel %d", (int)p->k);
}

/* The evaluator handed to vf_round_ziv; keeps a copy of the last enclosure when comparing. */
static int ziv_eval(void *vc, mpfr_prec_t prec, vf_imat *out, vf_err *e)
{
    rowctx *c = vc;
    int rc = eval_row(c, prec, out, e);
    if (rc || !c->keep_last)
        return rc;
    vf_imat_clear(&c->last);
    if ((rc = vf_imat_init(&c->last, out->rows, out->cols, prec, e)))
        return rc;
    for (size_t i = 0; i < out->rows * out->cols; i++)
        mpfi_set(c->last.a[i], out->a[i]);
    return VF_OK;
}

static int run_row(rowctx *c, size_t r, vf_dtype dt, mpfr_prec_t p0, vf_rounded *rr, vf_err *e)
{
    mpfr_prec_t pmax = c->p->o->prec_max ? c->p->o->prec_max : VF_PREC_MAX;
    c->r = r;
    return vf_round_ziv(rr, 1, c->p->cols, dt, ziv_eval, c, p0 < pmax ? p0 : pmax, pmax, e);
}

/* ---------------------------------------------------------------- reference */

int vf_reference(vf_tensor *out, size_t *n_uncertified, vf_kernel k, const vf_tensor *const *in,
                 const vf_oracle_opts *o, vf_err *e)
{
    prob p;
    rowctx c = {0};
    size_t unc = 0;
    *out = (vf_tensor){0};
    int rc = prob_init(&p, k, in, o, e);
    if (!rc)
        rc = vf_tensor_init(out, o->dtype, p.ondim, p.oshape, e);
    if (!rc)
        rc = rowctx_init(&c, &p, 0, e);
    for (size_t r = 0; !rc && r < p.rows; r++) {
        vf_rounded rr;
        rc = run_row(&c, r, o->dtype, VF_PREC_START, &rr, e);
        if (!rc) {
            memcpy(out->v + r * p.cols, rr.v, p.cols * sizeof *rr.v);
            unc += rr.n_uncertified;
        }
        vf_rounded_clear(&rr);
    }
    if (c.p)
        rowctx_clear(&c);
    prob_clear(&p);
    if (rc)
        vf_tensor_clear(out);
    if (n_uncertified)
        *n_uncertified = unc;
    return rc;
}

/* ---------------------------------------------------------------- tolerance bounds */

/* Tolerances of --tol auto: first-order perturbation bounds (THEORY.md §6) for a kernel that
 * evaluates in the candidate's dtype, with unit roundoff u (2^-11, 2^-24, 2^-53) and the
 * standard model with gradual underflow, fl(a op b) = (a op b)(1 + d) + t, |d| <= u,
 * |t| <= eta/2 (eta = the smallest subnormal; a rounded result below the normal range adds at
 * most eta per point, counted once — the outputs' own rounding).  gamma_k = k u / (1 - k u)
 * (+inf when k u >= 1: no bound).  Magnitudes are computed in double from the inputs: they set
 * a tolerance, they never decide a reference value, and their own rounding (~n 2^-53 relative)
 * is far below the first-order slack.  Per kernel (row of length N, entry j, output x):
 *   relu                B = 0: max(x, 0) is exact in every format.
 *   softmax (T)         y_j = s_j/T - m (m the row max): the shift (and division by T) is
 *                       rounded, Delta_j = u|y_j| (+ u(|s_j/T| + |m|) when T != 1); it moves
 *                       p_j relatively by Delta_j - log sum_k p_k e^{Delta_k}, at first order
 *                       <= Delta_j + D, D = sum_k p_k Delta_k (THEORY: the Jacobian
 *                       diag(p) - p p^T, here per entry); exp, the N-term sum and the divide
 *                       add (N+3)u relative (THEORY §6), as gamma_{N+3}:
 *                       B_j = (gamma_{N+3} + Delta_j + D)(1+u)|x_j| + eta.
 *   log_softmax         x_j = y_j - log Z: the shift error Delta_j, log Z off by D + gamma_{N+3}
 *                       relative in Z plus u|log Z| for the log, and the final subtraction
 *                       u|x_j|: B_j = gamma_{N+3}(1 + |log Z| + |x_j|) + Delta_j + D + eta.
 *   logsumexp (T)       L = T(m + log Z): LSE is 1-Lipschitz (THEORY §6), so the shift errors
 *                       cost D and the sum gamma_{N+3}; adding m and multiplying by T round:
 *                       B = T(gamma_{N+3}(1 + |m| + |log Z|) + D) + 2u|L| + eta.
 *   matmul (K)          THEORY §6 dot products: B_ij = gamma_K (|A||B|)_ij + K eta.
 *   linear_attention    either order, (Q K^T) V or Q (K^T V): |fl - exact| <= gamma_{d+n}
 *                       (|Q||K|^T|V|) + underflow: B = gamma_{d+n} M + eta (d sum_j|V_j| + n).
 *   attention           logits a_j = scale q.k_j with Delta_j = gamma_D scale |q|.|k_j|
 *                       + 2u|a_j| (scale rounded, then the product) + u|y_j| (shift); the
 *                       softmax bound above per p_j, then P V with gamma_N, plus N more
 *                       roundings for online-softmax rescaling (flash tiling):
 *                       B_c = sum_j (gamma_{2N+3} + Delta_j + D) p_j |V_jc| + N eta.
 *   lorentz_projection, colu (group size S): r = |w| costs gamma_{S+1} relative, the branch
 *                       formulas ((t + r)/2 (1, w/r), min(1, t/r) w) at most 4 more roundings,
 *                       and every branch is bounded by |t| + r (the kernels are continuous
 *                       across branches, so a float branch decision near a boundary stays
 *                       within the same bound): B_k = gamma_{S+5}(|t| + r) + eta.
 *   ols                 needs kappa(X)^2 u (THEORY §6): no a-priori bound from the data alone;
 *                       --tol auto is refused for it. */
typedef struct fmt {
    double u, eta, tiny; /* unit roundoff, smallest subnormal, smallest normal */
} fmt;

static fmt fmt_of(vf_dtype dt)
{
    switch (dt) {
    case VF_DT_F16: return (fmt){0x1p-11, 0x1p-24, 0x1p-14};
    case VF_DT_F32: return (fmt){0x1p-24, 0x1p-149, 0x1p-126};
    case VF_DT_F64: break;
    }
    return (fmt){0x1p-53, 0x1p-1074, 0x1p-1022};
}

static double gam(double k, double u)
{
    return k * u < 1 ? k * u / (1 - k * u) : INFINITY;
}

/* Double magnitudes of a softmax row a[0..n) (masked: -inf): y_j = a_j - m into y, Delta_j into
 * dl (extra: the rounding of a_j itself, per entry, may be NULL), p_j into w; D and log Z. */
static void sm_stats(const double *a, const double *extra, size_t n, double u, double *y,
                     double *dl, double *w, double *D, double *logz, double *m)
{
    *m = -INFINITY;
    for (size_t j = 0; j < n; j++)
        if (a[j] > *m)
            *m = a[j];
    double Z = 0, S = 0;
    for (size_t j = 0; j < n; j++) {
        if (a[j] == -INFINITY) {
            y[j] = -INFINITY;
            w[j] = dl[j] = 0;
            continue;
        }
        y[j] = a[j] - *m;
        dl[j] = u * fabs(y[j]) + (extra ? extra[j] : 0);
        w[j] = exp(y[j]);
        Z += w[j];
    }
    for (size_t j = 0; j < n; j++) {
        w[j] /= Z;
        S += w[j] * dl[j];
    }
    *D = S;
    *logz = log(Z);
}

typedef struct bws {
    double *a, *ex, *y, *dl, *w;
} bws;

static void auto_bounds(const prob *p, size_t r, const double *x, double *B, bws *b)
{
    fmt f = fmt_of(p->in[0]->dtype);
    const double u = f.u, eta = f.eta;
    size_t n = p->len;
    double m, D, logz;
    switch (p->k) {
    case VF_K_SOFTMAX:
    case VF_K_LOG_SOFTMAX:
    case VF_K_LOGSUMEXP: {
        double T = p->o->temperature ? p->o->temperature : 1;
        const double *s = p->in[0]->v + r * n;
        for (size_t j = 0; j < n; j++)
            b->a[j] = s[j] / T;
        if (T != 1) { /* the division by T, and the subtraction of a rounded maximum */
            double amax = 0;
            for (size_t j = 0; j < n; j++)
                if (isfinite(b->a[j]) && fabs(b->a[j]) > amax)
                    amax = fabs(b->a[j]);
            for (size_t j = 0; j < n; j++)
                b->ex[j] = u * (fabs(b->a[j]) + amax);
        }
        sm_stats(b->a, T != 1 ? b->ex : NULL, n, u, b->y, b->dl, b->w, &D, &logz, &m);
        double g = gam((double)n + 3, u);
        if (p->k == VF_K_LOGSUMEXP) {
            B[0] = T * (g * (1 + fabs(m) + fabs(logz)) + D) + 2 * u * fabs(x[0]) + eta;
            return;
        }
        for (size_t j = 0; j < n; j++) {
            if (b->y[j] == -INFINITY)
                B[j] = p->k == VF_K_SOFTMAX ? eta : 0;
            else if (p->k == VF_K_SOFTMAX)
                B[j] = (g + b->dl[j] + D) * (1 + u) * fabs(x[j]) + eta;
            else
                B[j] = g * (1 + fabs(logz) + fabs(x[j])) + b->dl[j] + D + eta;
        }
        return;
    }
    case VF_K_RELU:
        for (size_t j = 0; j < p->cols; j++)
            B[j] = 0;
        return;
    case VF_K_LORENTZ:
    case VF_K_COLU: {
        const double *g = p->in[0]->v + r * n;
        double rr = 0;
        for (size_t j = 1; j < n; j++)
            rr += g[j] * g[j];
        double bound = gam((double)n + 5, u) * (fabs(g[0]) + sqrt(rr)) + eta;
        for (size_t j = 0; j < n; j++)
            B[j] = bound;
        return;
    }
    case VF_K_MATMUL: {
        size_t K = n, N = p->cols, bt = r / p->sq;
        const double *a = p->in[0]->v + r * K;
        const double *bm = p->in[1]->v + (p->b_bcast ? 0 : bt * K * N);
        for (size_t j = 0; j < N; j++) {
            double s = 0;
            for (size_t k = 0; k < K; k++)
                s += fabs(a[k]) * fabs(bm[k * N + j]);
            B[j] = gam((double)K, u) * s + (double)K * eta;
        }
        return;
    }
    case VF_K_LINEAR_ATTENTION:
    case VF_K_ATTENTION: {
        size_t head = r / p->sq, i = r % p->sq, Sk = p->sk, dv = p->dv;
        const double *q = p->in[0]->v + r * n, *k = p->in[1]->v + head * Sk * n;
        const double *v = p->in[2]->v + head * Sk * dv;
        double scale = p->o->scale ? p->o->scale : 1 / sqrt((double)n);
        for (size_t j = 0; j < Sk; j++) { /* a_j = logit, ex_j = |q|.|k_j| */
            double s = 0, sa = 0;
            for (size_t d = 0; d < n; d++) {
                s += q[d] * k[j * n + d];
                sa += fabs(q[d]) * fabs(k[j * n + d]);
            }
            int masked = p->o->causal && j > i;
            b->a[j] = masked ? -INFINITY : (p->k == VF_K_ATTENTION ? scale * s : s);
            b->ex[j] = masked ? 0 : sa;
        }
        if (p->k == VF_K_LINEAR_ATTENTION) {
            for (size_t col = 0; col < dv; col++) {
                double M = 0, vs = 0;
                for (size_t j = 0; j < Sk; j++) {
                    if (b->a[j] == -INFINITY)
                        continue;
                    M += b->ex[j] * fabs(v[j * dv + col]);
                    vs += fabs(v[j * dv + col]);
                }
                B[col] = gam((double)(n + Sk), u) * M + eta * ((double)n * vs + (double)Sk);
            }
            return;
        }
        for (size_t j = 0; j < Sk; j++)
            b->ex[j] = gam((double)n, u) * scale * b->ex[j] + 2 * u * fabs(b->a[j]);
        sm_stats(b->a, b->ex, Sk, u, b->y, b->dl, b->w, &D, &logz, &m);
        double g = gam(2.0 * (double)Sk + 3, u);
        for (size_t col = 0; col < dv; col++) {
            double s = 0;
            for (size_t j = 0; j < Sk; j++)
                s += (g + b->dl[j] + D) * b->w[j] * fabs(v[j * dv + col]);
            B[col] = s + (double)Sk * eta;
        }
        return;
    }
    case VF_K_OLS:
    case VF_K__COUNT: break;
    }
    for (size_t j = 0; j < p->cols; j++)
        B[j] = INFINITY;
}

/* ---------------------------------------------------------------- compare */

/* |got - x| rounded up to a double; 0 for the same infinity, +inf for a class mismatch. */
static double abs_err(double got, mpfr_srcptr x, mpfr_t t)
{
    if (isnan(got) || mpfr_nan_p(x))
        return NAN;
    if (isinf(got) || mpfr_inf_p(x))
        return isinf(got) && mpfr_inf_p(x) && (got < 0) == (mpfr_signbit(x) != 0) ? 0 : INFINITY;
    mpfr_sub_d(t, x, got, MPFR_RNDA);
    mpfr_abs(t, t, MPFR_RNDU);
    return mpfr_get_d(t, MPFR_RNDU);
}

/* Worse = failing before passing, then larger ULP error. */
static int worse(const vf_oracle_point *a, const vf_oracle_point *b)
{
    if (a->fails != b->fails)
        return a->fails > b->fails;
    return a->ulp > b->ulp || (isnan(b->ulp) && !isnan(a->ulp));
}

static void keep_worst(vf_oracle_report *r, const vf_oracle_point *pt, mpfr_srcptr x)
{
    size_t n = r->n_worst;
    if (n == VF_ORACLE_WORST && !worse(pt, &r->worst[n - 1]))
        return;
    size_t at = n < VF_ORACLE_WORST ? n : n - 1;
    while (at > 0 && worse(pt, &r->worst[at - 1])) {
        r->worst[at] = r->worst[at - 1];
        at--;
    }
    r->worst[at] = *pt;
    mpfr_snprintf(r->worst[at].exact, sizeof r->worst[at].exact, "%.40Rg", x);
    if (n < VF_ORACLE_WORST)
        r->n_worst++;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The rows to check: all, or `want` distinct rows drawn by a seeded partial Fisher-Yates
 * shuffle (vf_rng: reproducible from the seed), in increasing order. */
static size_t *pick_rows(size_t total, size_t want, uint64_t seed, size_t *n, vf_err *e)
{
    size_t *rows = vf_calloc(total ? total : 1, sizeof *rows, e);
    if (!rows)
        return NULL;
    for (size_t i = 0; i < total; i++)
        rows[i] = i;
    *n = total;
    if (want == 0 || want >= total)
        return rows;
    for (size_t i = 0; i < want; i++) {
        size_t j = (size_t)vf_rng_int(seed, UINT64_C(0x726f7773), i, (int64_t)i,
                                      (int64_t)total - 1);
        size_t t = rows[i];
        rows[i] = rows[j];
        rows[j] = t;
    }
    qsort(rows, want, sizeof *rows, cmp_size);
    *n = want;
    return rows;
}

static int all_constant(const prob *p)
{
    for (int i = 0; i < kernel_nin[p->k]; i++) {
        const vf_tensor *t = p->in[i];
        for (size_t j = 1; j < t->count; j++)
            if (t->v[j] != t->v[0] && !(isnan(t->v[j]) && isnan(t->v[0])))
                return 0;
    }
    return 1;
}

static void verdict(vf_oracle_report *r, const prob *p, size_t out_n)
{
    size_t n = r->sum.n;
    if (r->n_fail) {
        r->status = VF_ORACLE_FAILED;
        snprintf(r->why, sizeof r->why, "%zu of %zu points exceed the tolerance", r->n_fail, n);
    } else if (r->n_uncertified) {
        r->status = VF_ORACLE_UNCERTIFIED;
        snprintf(r->why, sizeof r->why, "%zu reference values stayed ambiguous at %ld bits: "
                 "their correct rounding is not certified", r->n_uncertified, (long)r->prec_used);
    } else if (n == 0) {
        r->status = VF_ORACLE_MISTRUSTED;
        snprintf(r->why, sizeof r->why, "no point was compared (empty output)");
    } else if (10 * r->n_tiny >= 9 * n) {
        r->status = VF_ORACLE_MISTRUSTED;
        snprintf(r->why, sizeof r->why, "%zu of %zu exact outputs (>= 90%%) round to 0 or a "
                 "subnormal: the data does not exercise the kernel", r->n_tiny, n);
    } else if (out_n > 1 && all_constant(p)) {
        r->status = VF_ORACLE_MISTRUSTED;
        snprintf(r->why, sizeof r->why, "every input tensor is constant (all elements equal): "
                 "the data does not exercise the kernel");
    } else {
        r->status = VF_ORACLE_PASSED;
        snprintf(r->why, sizeof r->why, "all %zu points within the tolerance", n);
    }
}

static int check_candidate(const prob *p, const vf_tensor *cand, vf_err *e)
{
    char a[128], b[128];
    int same = cand && cand->ndim == p->ondim;
    for (int d = 0; same && d < p->ondim; d++)
        same = cand->shape[d] == p->oshape[d];
    if (!cand || !cand->v)
        return vf_fail(e, VF_E_USAGE, "compare: no candidate tensor");
    if (!same)
        return vf_fail(e, VF_E_SHAPE, "candidate shape %s does not match the %s output shape %s",
                       shape_str(a, sizeof a, cand->ndim, cand->shape), kernel_names[p->k],
                       shape_str(b, sizeof b, p->ondim, p->oshape));
    if (cand->dtype != p->in[0]->dtype)
        return vf_fail(e, VF_E_FORMAT, "candidate dtype %s differs from the inputs' dtype %s "
                       "(the reference is rounded to the inputs' dtype)",
                       dtype_name(cand->dtype), dtype_name(p->in[0]->dtype));
    return VF_OK;
}

typedef struct cmp_ws {
    vf_cmp cmp;
    int cmp_live;
    mpfr_t x, t;
    double *B;
    bws b;
    size_t *rows;
} cmp_ws;

static void cmp_ws_clear(cmp_ws *w)
{
    if (w->cmp_live)
        vf_cmp_clear(&w->cmp);
    mpfr_clear(w->x);
    mpfr_clear(w->t);
    free(w->B);
    free(w->b.a);
    free(w->b.ex);
    free(w->b.y);
    free(w->b.dl);
    free(w->b.w);
    free(w->rows);
}

static int cmp_ws_init(cmp_ws *w, const prob *p, vf_err *e)
{
    size_t n = p->cols + p->len + p->sk + 1;
    *w = (cmp_ws){0};
    mpfr_init2(w->x, 128);
    mpfr_init2(w->t, 256);
    w->B = vf_calloc(n, sizeof *w->B, e);
    w->b.a = vf_calloc(n, sizeof(double), e);
    w->b.ex = vf_calloc(n, sizeof(double), e);
    w->b.y = vf_calloc(n, sizeof(double), e);
    w->b.dl = vf_calloc(n, sizeof(double), e);
    w->b.w = vf_calloc(n, sizeof(double), e);
    if (!w->B || !w->b.a || !w->b.ex || !w->b.y || !w->b.dl || !w->b.w)
        return VF_E_NOMEM;
    int rc = vf_cmp_init(&w->cmp, p->in[0]->dtype, 0, e);
    w->cmp_live = rc == VF_OK;
    return rc;
}

/* Compares output row r (its reference rr and last enclosure c->last) point by point. */
static int compare_row(vf_oracle_report *rep, cmp_ws *w, const prob *p, const rowctx *c,
                       const vf_rounded *rr, size_t r, const vf_tensor *cand, vf_err *e)
{
    fmt f = fmt_of(cand->dtype);
    if (p->o->tol == VF_TOL_AUTO)
        auto_bounds(p, r, rr->v, w->B, &w->b);
    for (size_t j = 0; j < p->cols; j++) {
        vf_oracle_point pt = {.flat = r * p->cols + j, .certified = rr->certified[j]};
        mpfr_set_prec(w->x, c->last.prec);
        mpfi_mid(w->x, c->last.a[j]);
        pt.got = cand->v[pt.flat];
        pt.expected = rr->v[j];
        pt.exact_d = mpfr_get_d(w->x, MPFR_RNDN);
        vf_err_clear(e);
        vf_ulp_err ue = vf_cmp_add(&w->cmp, pt.flat, pt.got, w->x, e);
        if (e && e->code != VF_OK)
            return e->code;
        pt.ulp = ue.ulp;
        pt.cls = ue.cls;
        pt.abs_err = abs_err(pt.got, w->x, w->t);
        switch (p->o->tol) {
        case VF_TOL_ULP:
            pt.bound = p->o->tol_value;
            pt.fails = !(ue.cls == VF_ULP_OK && ue.ulp <= pt.bound);
            break;
        case VF_TOL_REL:
            pt.bound = p->o->tol_value * fmax(fabs(pt.exact_d), f.tiny);
            pt.fails = !(ue.cls == VF_ULP_OK && pt.abs_err <= pt.bound);
            break;
        case VF_TOL_AUTO:
            pt.bound = w->B[j];
            pt.fails = !(ue.cls == VF_ULP_OK && pt.abs_err <= pt.bound);
            break;
        }
        rep->n_fail += (size_t)pt.fails;
        rep->n_uncertified += (size_t)!pt.certified;
        rep->n_tiny += (size_t)(fabs(pt.expected) < f.tiny);
        size_t rest = pt.flat;
        for (int d = p->ondim - 1; d >= 0; d--) {
            pt.idx[d] = rest % p->oshape[d];
            rest /= p->oshape[d];
        }
        keep_worst(rep, &pt, w->x);
    }
    return VF_OK;
}

int vf_compare(vf_oracle_report *rep, vf_kernel k, const vf_tensor *const *in,
               const vf_tensor *cand, const vf_oracle_opts *o, vf_err *e)
{
    *rep = (vf_oracle_report){.kernel = k, .tol = o->tol, .tol_value = o->tol_value,
                              .seed = o->seed};
    if (o->tol != VF_TOL_AUTO && !(o->tol_value >= 0))
        return vf_fail(e, VF_E_USAGE, "tolerance must be >= 0, got %g", o->tol_value);
    if (o->tol == VF_TOL_AUTO && k == VF_K_OLS)
        return vf_fail(e, VF_E_USAGE, "ols: --tol auto is not available (the a-priori bound "
                       "needs kappa(X)^2 u, THEORY.md §6); give --max-ulp K or --tol rel:E");
    prob p;
    rowctx c = {0};
    cmp_ws w;
    int ws_live = 0;
    int rc = prob_init(&p, k, in, o, e);
    if (!rc)
        rc = check_candidate(&p, cand, e);
    if (!rc) {
        rc = cmp_ws_init(&w, &p, e);
        ws_live = 1;
    }
    if (!rc)
        rc = rowctx_init(&c, &p, 1, e);
    size_t nrows = 0;
    if (!rc && !(w.rows = pick_rows(p.rows, o->rows_sample, o->seed, &nrows, e)))
        rc = VF_E_NOMEM;
    if (!rc) {
        rep->dtype = cand->dtype;
        rep->rows_total = p.rows;
        rep->rows_checked = nrows;
        rep->row_len = p.cols;
        rep->sampled = nrows < p.rows;
        rep->out_ndim = p.ondim;
        memcpy(rep->out_shape, p.oshape, sizeof p.oshape);
    }
    for (size_t i = 0; !rc && i < nrows; i++) {
        vf_rounded rr;
        rc = run_row(&c, w.rows[i], cand->dtype, 128, &rr, e);
        if (!rc) {
            if (rr.prec_used > rep->prec_used)
                rep->prec_used = rr.prec_used;
            rc = compare_row(rep, &w, &p, &c, &rr, w.rows[i], cand, e);
        }
        vf_rounded_clear(&rr);
    }
    if (!rc) {
        vf_cmp_summarize(&w.cmp, &rep->sum);
        verdict(rep, &p, out_count(&p));
    }
    if (c.p)
        rowctx_clear(&c);
    if (ws_live)
        cmp_ws_clear(&w);
    prob_clear(&p);
    return rc;
}

/* ---------------------------------------------------------------- inputs of a point */

int vf_oracle_point_inputs(vf_oracle_span sp[3], vf_kernel k, const vf_tensor *const *in,
                           size_t flat)
{
    const vf_tensor *x = in[0];
    size_t last = x->ndim ? x->shape[x->ndim - 1] : 1;
    switch (k) {
    case VF_K_SOFTMAX:
    case VF_K_LOG_SOFTMAX:
        sp[0] = (vf_oracle_span){0, flat / last * last, 1, last};
        return 1;
    case VF_K_LOGSUMEXP:
        sp[0] = (vf_oracle_span){0, flat * last, 1, last};
        return 1;
    case VF_K_RELU:
        sp[0] = (vf_oracle_span){0, flat, 1, 1};
        return 1;
    case VF_K_LORENTZ:
    case VF_K_COLU:
        sp[0] = (vf_oracle_span){0, flat / last * last, 1, last};
        return 1;
    case VF_K_MATMUL: {
        const vf_tensor *b = in[1];
        size_t K = last, N = b->shape[b->ndim - 1], M = x->shape[x->ndim - 2];
        size_t row = flat / N, j = flat % N, bt = row / M;
        sp[0] = (vf_oracle_span){0, row * K, 1, K};
        sp[1] = (vf_oracle_span){1, (b->ndim == 2 ? 0 : bt * K * N) + j, N, K};
        return 2;
    }
    case VF_K_LINEAR_ATTENTION:
    case VF_K_ATTENTION: {
        const vf_tensor *kk = in[1], *v = in[2];
        size_t D = last, dv = v->shape[v->ndim - 1], Sk = kk->shape[kk->ndim - 2];
        size_t Sq = x->shape[x->ndim - 2], row = flat / dv, col = flat % dv, head = row / Sq;
        sp[0] = (vf_oracle_span){0, row * D, 1, D};
        sp[1] = (vf_oracle_span){1, head * Sk * D, 1, Sk * D};
        sp[2] = (vf_oracle_span){2, head * Sk * dv + col, dv, Sk};
        return 3;
    }
    case VF_K_OLS: {
        size_t d = x->shape[1], m = in[1]->ndim == 2 ? in[1]->shape[1] : 1;
        sp[0] = (vf_oracle_span){0, flat / m * d, 1, d};
        return 1;
    }
    case VF_K__COUNT: break;
    }
    return 0;
}

/* ---------------------------------------------------------------- per-kernel entry points */

#define IN1(x) ((const vf_tensor *const[]){(x)})
#define IN2(a, b) ((const vf_tensor *const[]){(a), (b)})
#define IN3(a, b, c) ((const vf_tensor *const[]){(a), (b), (c)})

int vf_reference_softmax(vf_tensor *out, const vf_tensor *x, const vf_oracle_opts *o, vf_err *e)
{
    return vf_reference(out, NULL, VF_K_SOFTMAX, IN1(x), o, e);
}
int vf_reference_log_softmax(vf_tensor *out, const vf_tensor *x, const vf_oracle_opts *o,
                             vf_err *e)
{
    return vf_reference(out, NULL, VF_K_LOG_SOFTMAX, IN1(x), o, e);
}
int vf_reference_logsumexp(vf_tensor *out, const vf_tensor *x, const vf_oracle_opts *o,
                           vf_err *e)
{
    return vf_reference(out, NULL, VF_K_LOGSUMEXP, IN1(x), o, e);
}
int vf_reference_relu(vf_tensor *out, const vf_tensor *x, const vf_oracle_opts *o, vf_err *e)
{
    return vf_reference(out, NULL, VF_K_RELU, IN1(x), o, e);
}
int vf_reference_matmul(vf_tensor *out, const vf_tensor *a, const vf_tensor *b,
                        const vf_oracle_opts *o, vf_err *e)
{
    return vf_reference(out, NULL, VF_K_MATMUL, IN2(a, b), o, e);
}
int vf_reference_attention(vf_tensor *out, const vf_tensor *q, const vf_tensor *k,
                           const vf_tensor *v, const vf_oracle_opts *o, vf_err *e)
{
    return vf_reference(out, NULL, VF_K_ATTENTION, IN3(q, k, v), o, e);
}

int vf_compare_softmax(vf_oracle_report *r, const vf_tensor *x, const vf_tensor *cand,
                       const vf_oracle_opts *o, vf_err *e)
{
    return vf_compare(r, VF_K_SOFTMAX, IN1(x), cand, o, e);
}
int vf_compare_log_softmax(vf_oracle_report *r, const vf_tensor *x, const vf_tensor *cand,
                           const vf_oracle_opts *o, vf_err *e)
{
    return vf_compare(r, VF_K_LOG_SOFTMAX, IN1(x), cand, o, e);
}
int vf_compare_logsumexp(vf_oracle_report *r, const vf_tensor *x, const vf_tensor *cand,
                         const vf_oracle_opts *o, vf_err *e)
{
    return vf_compare(r, VF_K_LOGSUMEXP, IN1(x), cand, o, e);
}
int vf_compare_relu(vf_oracle_report *r, const vf_tensor *x, const vf_tensor *cand,
                    const vf_oracle_opts *o, vf_err *e)
{
    return vf_compare(r, VF_K_RELU, IN1(x), cand, o, e);
}
int vf_compare_matmul(vf_oracle_report *r, const vf_tensor *a, const vf_tensor *b,
                      const vf_tensor *cand, const vf_oracle_opts *o, vf_err *e)
{
    return vf_compare(r, VF_K_MATMUL, IN2(a, b), cand, o, e);
}
int vf_compare_attention(vf_oracle_report *r, const vf_tensor *q, const vf_tensor *k,
                         const vf_tensor *v, const vf_tensor *cand, const vf_oracle_opts *o,
                         vf_err *e)
{
    return vf_compare(r, VF_K_ATTENTION, IN3(q, k, v), cand, o, e);
}
