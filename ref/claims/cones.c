/* cones.c — claims about the Lorentz cone and CoLU (THEORY.md §2.8, checks FU-7 and FU-8).
 *
 * lorentz.projection        P_L(x) in L, x - P_L(x) in -L, <P_L(x), x - P_L(x)> = 0,
 *                           P_L(P_L(x)) = P_L(x), Moreau x = P_L(x) - P_L(-x) with
 *                           <P_L(x), P_L(-x)> = 0.
 * colu.properties           hard CoLU: range in L, idempotence, positive homogeneity, O(S-1)
 *                           equivariance (Cayley rotation and a reflection of w), slice VI.
 * colu.is_euclidean_projection   false as stated: expected REFUTED.
 * colu.old_in_cone          "the older CoLU maps into L": false ((t, 0) with t < 0), REFUTED.
 * rcolu.properties          rCoLU: range in the cone around e = (1..1)/sqrt(S), idempotence,
 *                           positive homogeneity, equivariance under coordinate permutations.
 *
 * Every value is a vf_cone_val: exact (mpq) when the kernel's square root is rational, else an
 * MPFI enclosure.  An identity between exact values is checked by equality; otherwise the
 * enclosure of the residual must contain 0 and its width 2^-k is recorded.  An inequality g >= 0
 * is exact by sign, or certified when the enclosure of g lies in [-2^-k, +inf) (violation at
 * most 2^-k); an enclosure entirely on the wrong side is a certified counterexample.  Per point
 * the precision starts at --prec (default 128 bits) and doubles until k >= p/2 (Ziv), up to
 * VF_PREC_MAX (then UNCERTIFIED).  All Pythagorean points are exact, so `--trials 1` (one
 * Pythagorean trial) gives HELD_EXACT; the default trials mix in general points: CERTIFIED.
 *
 * Data: --n points of group size --d per trial (generator below), or --in a.npy: a 1-d array is
 * one group, the rows of a 2-d array are groups.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "vf_cone.h"
#include "vf_qgen.h"
#include "vf_rng.h"
#include "vf_round.h"

#define SRC_CONE "Fu, Transformers Are Optimal Effective Fields; jax-colu (THEORY.md 2.8)"
#define CONE_PREC 128  /* default starting precision of the certified path (bits) */
#define VI_SAMPLES 3   /* slice points y per point: the axis, the rim, one inside */
#define N_ROT 2        /* a Cayley rotation of w and that rotation followed by a reflection */

typedef struct ctx {
    const vf_claim_opts *o;
    vf_claim_result *r;
    const vf_qmat *x;    /* the point being checked (printed in counterexamples) */
    char where[96];      /* "trial 0, point 3 (pythagorean)" or the input file */
    int t;               /* trial, for the per-point generator ids */
    size_t k;            /* point index */
    mpfr_prec_t p;       /* working precision of this evaluation */
    long pk;             /* min certified bits of this point at p (LONG_MAX: nothing needed) */
    int used_iv;         /* some check of this point went through enclosures */
    int refuted;
    vf_cone_branch br;   /* branch of the claim's main operation at x */
    vf_qmat rot[N_ROT];  /* orthogonal (S-1)x(S-1) matrices of this trial (S >= 2) */
    size_t agree;        /* colu.is_euclidean_projection: points where CoLU = P_L */
} ctx;

typedef int (*point_fn)(ctx *c, vf_err *e);

/* ---------------------------------------------------------------- printing */

/* Exact values as rationals; enclosures as [lo, hi] with outward-rounded 17-digit endpoints. */
static char *val_str(const vf_cone_val *v)
{
    if (v->exact)
        return vf_qmat_str(&v->q, 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fputc('(', f);
    for (size_t i = 0; i < v->iv.rows; i++)
        mpfr_fprintf(f, "%s[%.17RDg, %.17RUg]", i ? ", " : "", &v->iv.a[i]->left,
                     &v->iv.a[i]->right);
    fputc(')', f);
    fclose(f);
    return buf;
}

static void note_val(ctx *c, const char *key, const char *name, const vf_cone_val *v)
{
    char *s = val_str(v);
    vf_claim_note_add(c->r, key, "%s = %s", name, s ? s : "?");
    free(s);
}

static void note_point(ctx *c)
{
    char *xs = vf_qmat_str(c->x, 0);
    vf_claim_note_add(c->r, "counterexample", "x = %s  [%s]", xs ? xs : "?", c->where);
    free(xs);
}

/* ---------------------------------------------------------------- exact-or-enclosed values */

/* Enclosures from q when exact (tight), q zeroed when not (never stale). */
static void val_sync(vf_cone_val *v)
{
    for (size_t i = 0; i < v->q.rows; i++) {
        if (v->exact)
            mpfi_set_q(v->iv.a[i], v->q.a[i]);
        else
            mpq_set_ui(v->q.a[i], 0, 1);
    }
}

static void val_set_q(vf_cone_val *v, const vf_qmat *x)
{
    v->exact = 1;
    for (size_t i = 0; i < v->q.rows; i++)
        mpq_set(v->q.a[i], x->a[i]);
    val_sync(v);
}

/* d = a + b (sign > 0) or a - b, elementwise; d may alias a or b. */
static void val_addsub(vf_cone_val *d, const vf_cone_val *a, int sign, const vf_cone_val *b)
{
    d->exact = a->exact && b->exact;
    for (size_t i = 0; i < d->q.rows; i++) {
        if (d->exact)
            (sign > 0 ? mpq_add : mpq_sub)(d->q.a[i], a->q.a[i], b->q.a[i]);
        else
            (sign > 0 ? mpfi_add : mpfi_sub)(d->iv.a[i], a->iv.a[i], b->iv.a[i]);
    }
    val_sync(d);
}

static void val_scale(vf_cone_val *d, const mpq_t h, const vf_cone_val *a)
{
    d->exact = a->exact;
    for (size_t i = 0; i < d->q.rows; i++) {
        if (d->exact)
            mpq_mul(d->q.a[i], h, a->q.a[i]);
        else
            mpfi_mul_q(d->iv.a[i], a->iv.a[i], h);
    }
    val_sync(d);
}

/* d (1 entry) = <a, b>. */
static void val_dot(vf_cone_val *d, const vf_cone_val *a, const vf_cone_val *b)
{
    d->exact = a->exact && b->exact;
    if (d->exact) {
        mpq_t t;
        mpq_init(t);
        mpq_set_ui(d->q.a[0], 0, 1);
        for (size_t i = 0; i < a->q.rows; i++) {
            mpq_mul(t, a->q.a[i], b->q.a[i]);
            mpq_add(d->q.a[0], d->q.a[0], t);
        }
        mpq_clear(t);
    } else {
        mpfi_t t;
        mpfi_init2(t, d->iv.prec);
        mpfi_set_ui(d->iv.a[0], 0);
        for (size_t i = 0; i < a->iv.rows; i++) {
            mpfi_mul(t, a->iv.a[i], b->iv.a[i]);
            mpfi_add(d->iv.a[0], d->iv.a[0], t);
        }
        mpfi_clear(t);
    }
    val_sync(d);
}

/* d = (a_0, Q a_w): Q acts on the non-apex channels; d may not alias a. */
static void val_rotate(vf_cone_val *d, const vf_qmat *q, const vf_cone_val *a)
{
    d->exact = a->exact;
    size_t m = q->rows;
    mpq_t t;
    mpfi_t ti;
    mpq_init(t);
    mpfi_init2(ti, d->iv.prec);
    if (d->exact)
        mpq_set(d->q.a[0], a->q.a[0]);
    else
        mpfi_set(d->iv.a[0], a->iv.a[0]);
    for (size_t i = 0; i < m; i++) {
        mpq_set_ui(d->q.a[i + 1], 0, 1);
        mpfi_set_ui(d->iv.a[i + 1], 0);
        for (size_t j = 0; j < m; j++) {
            if (d->exact) {
                mpq_mul(t, VF_Q(q, i, j), a->q.a[j + 1]);
                mpq_add(d->q.a[i + 1], d->q.a[i + 1], t);
            } else {
                mpfi_mul_q(ti, a->iv.a[j + 1], VF_Q(q, i, j));
                mpfi_add(d->iv.a[i + 1], d->iv.a[i + 1], ti);
            }
        }
    }
    mpq_clear(t);
    mpfi_clear(ti);
    val_sync(d);
}

/* d_i = a_{pi[i]}; d may not alias a. */
static void val_permute(vf_cone_val *d, const size_t *pi, const vf_cone_val *a)
{
    d->exact = a->exact;
    for (size_t i = 0; i < d->q.rows; i++) {
        mpq_set(d->q.a[i], a->q.a[pi[i]]);
        mpfi_set(d->iv.a[i], a->iv.a[pi[i]]);
    }
    val_sync(d);
}

/* Membership margins of y (1-entry g1, g2): y is in the cone iff g1 >= 0 and g2 >= 0.
 * Lorentz cone: g1 = y_0, g2 = y_0^2 - |y_w|^2.  Cone around e (rCoLU), with the mean
 * m = <y, 1>/S (so <y, e> = sqrt(S) m): g1 = m, g2 = S m^2 - |y - m 1|^2.  Squares keep the test
 * rational. */
static void val_margins(vf_cone_val *g1, vf_cone_val *g2, const vf_cone_val *y, int around_e)
{
    size_t S = y->q.rows;
    g1->exact = g2->exact = y->exact;
    if (y->exact) {
        mpq_t m, d, t;
        mpq_inits(m, d, t, NULL);
        if (around_e) {
            for (size_t i = 0; i < S; i++)
                mpq_add(m, m, y->q.a[i]);
            mpq_set_ui(t, (unsigned long)S, 1);
            mpq_div(m, m, t);
            mpq_mul(g2->q.a[0], m, m);
            mpq_mul(g2->q.a[0], g2->q.a[0], t);
        } else {
            mpq_set(m, y->q.a[0]);
            mpq_mul(g2->q.a[0], m, m);
        }
        for (size_t i = around_e ? 0 : 1; i < S; i++) {
            if (around_e)
                mpq_sub(d, y->q.a[i], m);
            else
                mpq_set(d, y->q.a[i]);
            mpq_mul(t, d, d);
            mpq_sub(g2->q.a[0], g2->q.a[0], t);
        }
        mpq_set(g1->q.a[0], m);
        mpq_clears(m, d, t, NULL);
    } else {
        mpfi_t m, d;
        mpfi_init2(m, g1->iv.prec);
        mpfi_init2(d, g1->iv.prec);
        if (around_e) {
            mpfi_set_ui(m, 0);
            for (size_t i = 0; i < S; i++)
                mpfi_add(m, m, y->iv.a[i]);
            mpfi_div_ui(m, m, (unsigned long)S);
            mpfi_sqr(g2->iv.a[0], m);
            mpfi_mul_ui(g2->iv.a[0], g2->iv.a[0], (unsigned long)S);
        } else {
            mpfi_set(m, y->iv.a[0]);
            mpfi_sqr(g2->iv.a[0], m);
        }
        for (size_t i = around_e ? 0 : 1; i < S; i++) {
            if (around_e)
                mpfi_sub(d, y->iv.a[i], m);
            else
                mpfi_set(d, y->iv.a[i]);
            mpfi_sqr(d, d);
            mpfi_sub(g2->iv.a[0], g2->iv.a[0], d);
        }
        mpfi_set(g1->iv.a[0], m);
        mpfi_clear(m);
        mpfi_clear(d);
    }
    val_sync(g1);
    val_sync(g2);
}

/* out = op(in): the exact kernel on an exact value, the box kernel on an enclosure. */
static int val_apply(vf_cone_val *out, const vf_cone_val *in, vf_cone_op op, vf_err *e)
{
    if (in->exact)
        return vf_ref_cone(out, NULL, &in->q, op, e);
    out->exact = 0;
    int rc = vf_ref_cone_iv(&out->iv, &in->iv, op, e);
    val_sync(out);
    return rc;
}

/* ---------------------------------------------------------------- checks */

static void record_bits(ctx *c, long k)
{
    c->used_iv = 1;
    if (k < c->pk)
        c->pk = k;
}

/* lhs == rhs: exactly, or the enclosure of lhs - rhs contains 0 (else a certified
 * counterexample).  Sets c->refuted with the counterexample in the notes. */
static int check_eq(ctx *c, const char *what, const char *lname, const vf_cone_val *l,
                    const char *rname, const vf_cone_val *rv, vf_err *e)
{
    vf_cone_val d = {0};
    int rc = vf_cone_val_init(&d, l->q.rows, c->p, e);
    if (rc)
        return rc;
    val_addsub(&d, l, -1, rv);
    int bad = 0;
    if (d.exact) {
        bad = !vf_qmat_is_zero(&d.q);
    } else {
        for (size_t i = 0; i < d.iv.rows && !bad; i++) {
            if (!mpfi_has_zero(d.iv.a[i]))
                bad = 1;
            else
                record_bits(c, vf_iv_abs_bits(d.iv.a[i]));
        }
    }
    if (bad) {
        c->refuted = 1;
        vf_claim_set(c->r, VF_REFUTED, "%s: %s fails (%s)", c->where, what,
                     d.exact ? "exact counterexample"
                             : "certified: the enclosure of the difference excludes 0");
        note_point(c);
        note_val(c, "lhs", lname, l);
        note_val(c, "rhs", rname, rv);
        note_val(c, "difference", "lhs - rhs", &d);
    }
    vf_cone_val_clear(&d);
    return VF_OK;
}

/* g (1 entry) >= 0: by sign when exact; else an enclosure with lo >= 0 holds outright, one
 * with hi < 0 is a certified counterexample, and one straddling 0 bounds the violation by
 * -lo <= 2^-k.  y (may be NULL) is the output printed with a counterexample. */
static int check_nonneg(ctx *c, const char *what, const char *gname, const vf_cone_val *g,
                        const char *yname, const vf_cone_val *y)
{
    int bad = 0;
    if (g->exact) {
        bad = mpq_sgn(g->q.a[0]) < 0;
    } else if (mpfr_sgn(&g->iv.a[0]->right) < 0) {
        bad = 1;
    } else if (mpfr_sgn(&g->iv.a[0]->left) >= 0) {
        record_bits(c, (long)c->p);
    } else {
        mpfi_t v;
        mpfr_t zero;
        mpfi_init2(v, c->p);
        mpfr_init2(zero, c->p);
        mpfr_set_ui(zero, 0, MPFR_RNDN);
        mpfi_interv_fr(v, &g->iv.a[0]->left, zero);
        record_bits(c, vf_iv_abs_bits(v));
        mpfi_clear(v);
        mpfr_clear(zero);
    }
    if (bad) {
        c->refuted = 1;
        vf_claim_set(c->r, VF_REFUTED, "%s: %s fails: %s < 0 (%s)", c->where, what, gname,
                     g->exact ? "exact counterexample" : "certified: enclosure below 0");
        note_point(c);
        if (y)
            note_val(c, "output", yname, y);
        note_val(c, "value", gname, g);
    }
    return VF_OK;
}

/* Both margins of y in the cone (around e for rCoLU). */
static int check_in_cone(ctx *c, const char *what, const char *yname, const vf_cone_val *y,
                         int around_e, vf_err *e)
{
    vf_cone_val g1 = {0}, g2 = {0};
    int rc = vf_cone_val_init(&g1, 1, c->p, e);
    if (!rc)
        rc = vf_cone_val_init(&g2, 1, c->p, e);
    if (!rc) {
        char n1[96], n2[96];
        snprintf(n1, sizeof n1, around_e ? "mean of %s" : "%s_0", yname);
        snprintf(n2, sizeof n2, around_e ? "S mean^2 - |%s - mean|^2" : "%s_0^2 - |%s_w|^2",
                 yname, yname);
        val_margins(&g1, &g2, y, around_e);
        if (!check_nonneg(c, what, n1, &g1, yname, y) && !c->refuted)
            check_nonneg(c, what, n2, &g2, yname, y);
    }
    vf_cone_val_clear(&g1);
    vf_cone_val_clear(&g2);
    return rc;
}

/* ---------------------------------------------------------------- instances */

static uint64_t point_tensor(int t, size_t k)
{
    return ((uint64_t)(unsigned)t << 40) | ((uint64_t)k << 8);
}

/* Generated point k of trial t (x initialised S x 1).  Even trials are Pythagorean: w = rho u
 * with u a rational unit vector (vf_qgen_unit_vector), so r = rho is rational and every output
 * is exact; t = rho j/4 with j uniform in [-8, 8] reaches all three branches, j = +-4 the
 * boundaries |w| = +-t exactly.  Points 0..5 of an even trial are the degenerate cases of
 * THEORY §2.8: the apex 0, |w| = t, |w| = -t, t = 0 with w != 0, w = 0 with t < 0 and with
 * t > 0.  Odd trials are small rationals p/q (|p| <= 6, q <= 4): r^2 is rarely a square, so the
 * scaled branch goes through the certified path. */
static int gen_point(vf_qmat *x, const vf_claim_opts *o, int t, size_t k, char *kind,
                     size_t len, vf_err *e)
{
    size_t S = x->rows;
    uint64_t id = point_tensor(t, k);
    if (t % 2) {
        vf_qgen_small(x, o->seed, id, 6, 4);
        snprintf(kind, len, "small rationals");
        return VF_OK;
    }
    snprintf(kind, len, "pythagorean");
    mpq_t rho, a;
    mpq_inits(rho, a, NULL);
    mpq_set_si(rho, (long)vf_rng_int(o->seed, id, 0, 1, 6),
               (unsigned long)vf_rng_int(o->seed, id, 1, 1, 3));
    mpq_canonicalize(rho);
    long j = (long)vf_rng_int(o->seed, id, 2, -8, 8);
    int w_zero = 0;
    static const long special_j[] = {0, 4, -4, 0, -4, 4};
    if (k < sizeof special_j / sizeof special_j[0]) {
        j = special_j[k];
        w_zero = k == 0 || k >= 4;
        if (k == 0)
            mpq_set_ui(rho, 0, 1);
    }
    mpq_set_si(a, j, 4);
    mpq_canonicalize(a);
    mpq_mul(x->a[0], rho, a);
    int rc = VF_OK;
    if (S >= 2) {
        vf_qmat u = {0};
        rc = vf_qmat_init(&u, S - 1, 1, e);
        if (!rc)
            rc = vf_qgen_unit_vector(&u, o->seed, id | 1, e);
        for (size_t i = 1; !rc && i < S; i++) {
            if (w_zero)
                mpq_set_ui(x->a[i], 0, 1);
            else
                mpq_mul(x->a[i], rho, u.a[i - 1]);
        }
        vf_qmat_clear(&u);
    }
    mpq_clears(rho, a, NULL);
    return rc;
}

/* The trial's rotations of w: a Cayley rotation Q and J Q, J flipping the first coordinate
 * (an improper orthogonal map), so O(S-1) is sampled beyond SO(S-1). */
static int make_rotations(ctx *c, size_t S, vf_err *e)
{
    for (int i = 0; i < N_ROT; i++)
        vf_qmat_clear(&c->rot[i]);
    if (S < 2)
        return VF_OK;
    int rc = vf_qmat_init(&c->rot[0], S - 1, S - 1, e);
    if (!rc)
        rc = vf_qgen_orthogonal(&c->rot[0], c->o->seed,
                                ((uint64_t)(unsigned)c->t << 40) | (UINT64_C(1) << 39), e);
    if (!rc)
        rc = vf_qmat_init(&c->rot[1], S - 1, S - 1, e);
    if (!rc)
        rc = vf_qmat_copy(&c->rot[1], &c->rot[0], e);
    for (size_t j = 0; !rc && j < S - 1; j++)
        mpq_neg(VF_Q(&c->rot[1], 0, j), VF_Q(&c->rot[1], 0, j));
    return rc;
}

/* ---------------------------------------------------------------- driver */

/* Runs fn on every point; the verdict is HELD_EXACT when every check was exact, CERTIFIED with
 * the minimum bits otherwise, unless a point refutes (stop) or stays uncertified. */
static int run_points(ctx *c, point_fn fn, const char *what, vf_err *e)
{
    const vf_claim_opts *o = c->o;
    vf_claim_result *r = c->r;
    vf_qmat in = {0}, x = {0};
    size_t S = o->d, npts = o->n;
    int trials = o->n_in ? 1 : o->trials, rc = VF_OK;
    if (o->n_in) {
        rc = vf_claim_input_q(o, 0, &in, e);
        if (rc == VF_E_DOMAIN) {
            vf_claim_set(r, VF_INVALID_INPUT, "%s", e->msg);
            return VF_OK;
        }
        if (rc)
            return rc;
        S = in.cols == 1 ? in.rows : in.cols;
        npts = in.cols == 1 ? 1 : in.rows;
    }
    if (S < 1 || npts < 1) {
        vf_qmat_clear(&in);
        vf_claim_set(r, VF_INVALID_INPUT, "empty input: no group to check");
        return VF_OK;
    }
    mpfr_prec_t p0 = o->prec ? (mpfr_prec_t)o->prec : CONE_PREC, pmax = p0;
    long bits = LONG_MAX;
    size_t n_exact = 0, n_cert = 0, nbr[3] = {0, 0, 0};
    for (int t = 0; t < trials && !rc && !c->refuted; t++) {
        c->t = t;
        if ((rc = make_rotations(c, S, e)))
            break;
        for (size_t k = 0; k < npts && !rc; k++) {
            char kind[32] = "input";
            if ((rc = vf_qmat_init(&x, S, 1, e)))
                break;
            if (o->n_in) {
                for (size_t i = 0; i < S; i++)
                    mpq_set(x.a[i], in.a[k * S + i]);
                snprintf(c->where, sizeof c->where, "%s, group %zu", o->in[0], k);
            } else {
                rc = gen_point(&x, o, t, k, kind, sizeof kind, e);
                snprintf(c->where, sizeof c->where, "trial %d, point %zu (%s)", t, k, kind);
            }
            c->x = &x;
            c->k = k;
            for (mpfr_prec_t p = p0; !rc; p *= 2) {
                c->p = p;
                c->pk = LONG_MAX;
                c->used_iv = 0;
                rc = fn(c, e);
                if (rc || c->refuted)
                    break;
                if (c->pk >= (long)p / 2)
                    break;
                if (2 * p > VF_PREC_MAX) {
                    vf_claim_set(r, VF_UNCERTIFIED, "%s: residual only within 2^-%ld at %ld "
                                 "bits (cap)", c->where, c->pk, (long)p);
                    c->refuted = 1; /* stop: the verdict is final */
                    break;
                }
            }
            vf_qmat_clear(&x);
            if (rc || c->refuted)
                break;
            if (c->p > pmax)
                pmax = c->p;
            if (c->pk < bits)
                bits = c->pk;
            if (c->used_iv)
                n_cert++;
            else
                n_exact++;
            nbr[c->br]++;
        }
    }
    for (int i = 0; i < N_ROT; i++)
        vf_qmat_clear(&c->rot[i]);
    vf_qmat_clear(&in);
    if (rc || c->refuted)
        return rc;
    if (n_cert) {
        r->bits = bits == LONG_MAX ? (long)p0 : bits;
        vf_claim_set(r, VF_CERTIFIED, "%s: exact on %zu group(s), certified within 2^-%ld on %zu",
                     what, n_exact, r->bits, n_cert);
    } else {
        vf_claim_set(r, VF_HELD_EXACT, "%s: exact on %zu group(s)", what, n_exact);
    }
    vf_claim_note_add(r, "groups", "%zu of size S = %zu (%s)", n_exact + n_cert, S,
                      o->n_in ? "user input"
                              : "even trials pythagorean (exact), odd small rationals");
    vf_claim_note_add(r, "branches", "identity %zu, zero %zu, scaled %zu", nbr[VF_BR_IDENTITY],
                      nbr[VF_BR_ZERO], nbr[VF_BR_SCALED]);
    if (n_cert)
        vf_claim_note_add(r, "precision", "%ld..%ld bits (certified once k >= p/2)", (long)p0,
                          (long)pmax);
    return VF_OK;
}

/* ---------------------------------------------------------------- lorentz.projection */

static int proj_point(ctx *c, vf_err *e)
{
    size_t S = c->x->rows;
    vf_cone_val xv = {0}, pv = {0}, dv = {0}, mv = {0}, ppv = {0}, nv = {0}, zero = {0},
                dot = {0}, negx = {0};
    vf_cone_val *all[] = {&xv, &pv, &dv, &mv, &ppv, &nv, &negx};
    int rc = VF_OK;
    for (size_t i = 0; i < sizeof all / sizeof all[0] && !rc; i++)
        rc = vf_cone_val_init(all[i], S, c->p, e);
    if (rc || (rc = vf_cone_val_init(&zero, 1, c->p, e)) ||
        (rc = vf_cone_val_init(&dot, 1, c->p, e)))
        goto out;
    val_set_q(&xv, c->x);
    if ((rc = vf_ref_cone(&pv, &c->br, c->x, VF_CONE_PROJ, e)))
        goto out;
    val_addsub(&dv, &xv, -1, &pv); /* x - P(x) */
    val_addsub(&mv, &pv, -1, &xv); /* -(x - P(x)), in L iff x - P(x) in -L */
    if ((rc = check_in_cone(c, "P_L(x) in L", "P_L(x)", &pv, 0, e)) || c->refuted ||
        (rc = check_in_cone(c, "x - P_L(x) in -L", "P_L(x) - x", &mv, 0, e)) || c->refuted)
        goto out;
    val_dot(&dot, &pv, &dv);
    if ((rc = check_eq(c, "<P_L(x), x - P_L(x)> = 0", "<P_L(x), x - P_L(x)>", &dot, "0", &zero,
                       e)) ||
        c->refuted)
        goto out;
    if ((rc = val_apply(&ppv, &pv, VF_CONE_PROJ, e)) ||
        (rc = check_eq(c, "idempotence", "P_L(P_L(x))", &ppv, "P_L(x)", &pv, e)) ||
        c->refuted)
        goto out;
    /* Moreau: P_L(-x) = -(x - P_L(x)) = the polar part, and <P_L(x), P_L(-x)> = 0. */
    for (size_t i = 0; i < S; i++)
        mpq_neg(negx.q.a[i], c->x->a[i]);
    val_sync(&negx);
    if ((rc = vf_ref_cone(&nv, NULL, &negx.q, VF_CONE_PROJ, e)) ||
        (rc = check_eq(c, "Moreau x = P_L(x) - P_L(-x)", "P_L(-x)", &nv, "P_L(x) - x", &mv,
                       e)) ||
        c->refuted)
        goto out;
    val_dot(&dot, &pv, &nv);
    rc = check_eq(c, "Moreau <P_L(x), P_L(-x)> = 0", "<P_L(x), P_L(-x)>", &dot, "0", &zero, e);
out:
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_cone_val_clear(all[i]);
    vf_cone_val_clear(&zero);
    vf_cone_val_clear(&dot);
    return rc;
}

static int check_lorentz_projection(const vf_claim *cl, const vf_claim_opts *o,
                                    vf_claim_result *r, vf_err *e)
{
    (void)cl;
    ctx c = {.o = o, .r = r};
    return run_points(&c, proj_point,
                      "P_L(x) in L, x - P_L(x) in -L, orthogonality, idempotence, Moreau", e);
}

/* ---------------------------------------------------------------- colu.properties */

static void point_scale(mpq_t h, const ctx *c)
{
    uint64_t id = point_tensor(c->t, c->k) | 2;
    mpq_set_si(h, (long)vf_rng_int(c->o->seed, id, 0, 1, 9),
               (unsigned long)vf_rng_int(c->o->seed, id, 1, 1, 4));
    mpq_canonicalize(h);
}

/* Slice point j of x: y = (t, s t u) with u a rational unit vector, s = 0 (the axis), 1 (the
 * rim |y_w| = t) or k/5 (inside); |y_w| = s t <= t exactly. */
static int slice_point(vf_qmat *y, const ctx *c, int j, vf_err *e)
{
    size_t S = c->x->rows;
    uint64_t id = point_tensor(c->t, c->k) | (uint64_t)(3 + j);
    mpq_t s;
    mpq_init(s);
    if (j == 1)
        mpq_set_ui(s, 1, 1);
    else if (j >= 2)
        mpq_set_ui(s, (unsigned long)vf_rng_int(c->o->seed, id, 1000, 1, 4), 5);
    mpq_canonicalize(s);
    mpq_set(y->a[0], c->x->a[0]);
    int rc = VF_OK;
    if (S >= 2) {
        vf_qmat u = {0};
        rc = vf_qmat_init(&u, S - 1, 1, e);
        if (!rc)
            rc = vf_qgen_unit_vector(&u, c->o->seed, id, e);
        mpq_mul(s, s, c->x->a[0]);
        for (size_t i = 1; !rc && i < S; i++)
            mpq_mul(y->a[i], s, u.a[i - 1]);
        vf_qmat_clear(&u);
    }
    mpq_clear(s);
    return rc;
}

static int colu_point(ctx *c, vf_err *e)
{
    size_t S = c->x->rows;
    vf_cone_val xv = {0}, cv = {0}, ccv = {0}, hv = {0}, rv = {0}, yv = {0}, a = {0}, b = {0},
                dot = {0};
    vf_cone_val *all[] = {&xv, &cv, &ccv, &hv, &rv, &yv, &a, &b};
    vf_qmat tx = {0};
    mpq_t h, m1;
    mpq_inits(h, m1, NULL);
    mpq_set_si(m1, -1, 1);
    int rc = VF_OK;
    for (size_t i = 0; i < sizeof all / sizeof all[0] && !rc; i++)
        rc = vf_cone_val_init(all[i], S, c->p, e);
    if (rc || (rc = vf_cone_val_init(&dot, 1, c->p, e)) || (rc = vf_qmat_init(&tx, S, 1, e)))
        goto out;
    val_set_q(&xv, c->x);
    if ((rc = vf_ref_cone(&cv, &c->br, c->x, VF_CONE_COLU, e)) ||
        (rc = check_in_cone(c, "range in L", "CoLU(x)", &cv, 0, e)) || c->refuted)
        goto out;
    if ((rc = val_apply(&ccv, &cv, VF_CONE_COLU, e)) ||
        (rc = check_eq(c, "idempotence", "CoLU(CoLU(x))", &ccv, "CoLU(x)", &cv, e)) ||
        c->refuted)
        goto out;
    /* positive homogeneity: CoLU(h x) = h CoLU(x), h > 0 rational */
    point_scale(h, c);
    for (size_t i = 0; i < S; i++)
        mpq_mul(tx.a[i], h, c->x->a[i]);
    val_scale(&hv, h, &cv);
    if ((rc = vf_ref_cone(&a, NULL, &tx, VF_CONE_COLU, e)) ||
        (rc = check_eq(c, "positive homogeneity", "CoLU(h x)", &a, "h CoLU(x)", &hv, e)) ||
        c->refuted)
        goto out;
    /* O(S-1) equivariance: CoLU(t, Q w) = (CoLU(x)_0, Q CoLU(x)_w) */
    for (int q = 0; q < N_ROT && S >= 2; q++) {
        val_rotate(&rv, &c->rot[q], &xv);
        val_rotate(&b, &c->rot[q], &cv);
        if ((rc = vf_ref_cone(&a, NULL, &rv.q, VF_CONE_COLU, e)) ||
            (rc = check_eq(c, q ? "O(S-1) equivariance (reflection)"
                                : "O(S-1) equivariance (Cayley rotation)",
                           "CoLU(t, Q w)", &a, "(CoLU(x)_0, Q CoLU(x)_w)", &b, e)) ||
            c->refuted)
            goto out;
    }
    /* slice VI: for t > 0, <x - CoLU(x), y - CoLU(x)> <= 0 for y in L with y_0 = t */
    for (int j = 0; j < VI_SAMPLES && mpq_sgn(c->x->a[0]) > 0; j++) {
        if ((rc = slice_point(&tx, c, j, e)))
            goto out;
        val_set_q(&yv, &tx);
        val_addsub(&a, &xv, -1, &cv);
        val_addsub(&b, &yv, -1, &cv);
        val_dot(&dot, &a, &b);
        val_scale(&dot, m1, &dot); /* -<x - C, y - C> >= 0 */
        char name[64];
        snprintf(name, sizeof name, "-<x - CoLU(x), y%d - CoLU(x)>", j);
        if ((rc = check_nonneg(c, "slice variational inequality", name, &dot, "y", &yv)) ||
            c->refuted)
            goto out;
    }
out:
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_cone_val_clear(all[i]);
    vf_cone_val_clear(&dot);
    vf_qmat_clear(&tx);
    mpq_clears(h, m1, NULL);
    return rc;
}

static int check_colu_properties(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                                 vf_err *e)
{
    (void)cl;
    ctx c = {.o = o, .r = r};
    return run_points(&c, colu_point,
                      "CoLU range in L, idempotence, homogeneity, O(S-1) equivariance, slice VI",
                      e);
}

/* ---------------------------------------------------------------- colu.is_euclidean_projection */

static int eucl_point(ctx *c, vf_err *e)
{
    size_t S = c->x->rows;
    vf_cone_val cv = {0}, pv = {0};
    vf_cone_branch bp;
    int rc = vf_cone_val_init(&cv, S, c->p, e);
    if (!rc)
        rc = vf_cone_val_init(&pv, S, c->p, e);
    if (!rc && !(rc = vf_ref_cone(&cv, &c->br, c->x, VF_CONE_COLU, e)) &&
        !(rc = vf_ref_cone(&pv, &bp, c->x, VF_CONE_PROJ, e)) &&
        !(rc = check_eq(c, "CoLU(x) = P_L(x)", "CoLU(x)", &cv, "P_L(x)", &pv, e)) &&
        !c->refuted)
        c->agree++;
    if (!rc && c->refuted)
        vf_claim_note_add(c->r, "branches", "CoLU: %s, P_L: %s", vf_cone_branch_name(c->br),
                          vf_cone_branch_name(bp));
    vf_cone_val_clear(&cv);
    vf_cone_val_clear(&pv);
    return rc;
}

/* THEORY §2.8's example (1/2, 3, 4), zero-padded to S >= 3, computed by the kernels. */
static int note_theory_example(vf_claim_result *r, size_t S, vf_err *e)
{
    if (S < 3)
        return VF_OK;
    vf_qmat x = {0};
    vf_cone_val cv = {0}, pv = {0}, dv = {0};
    int rc = vf_qmat_init(&x, S, 1, e);
    if (!rc)
        rc = vf_cone_val_init(&cv, S, CONE_PREC, e);
    if (!rc)
        rc = vf_cone_val_init(&pv, S, CONE_PREC, e);
    if (!rc)
        rc = vf_cone_val_init(&dv, S, CONE_PREC, e);
    if (!rc) {
        mpq_set_ui(x.a[0], 1, 2);
        mpq_set_ui(x.a[1], 3, 1);
        mpq_set_ui(x.a[2], 4, 1);
        rc = vf_ref_cone(&cv, NULL, &x, VF_CONE_COLU, e);
    }
    if (!rc)
        rc = vf_ref_cone(&pv, NULL, &x, VF_CONE_PROJ, e);
    if (!rc) {
        val_addsub(&dv, &cv, -1, &pv);
        char *xs = vf_qmat_str(&x, 0), *cs = val_str(&cv), *ps = val_str(&pv), *ds = val_str(&dv);
        vf_claim_note_add(r, "theory_example", "x = %s: CoLU(x) = %s, P_L(x) = %s, difference %s",
                          xs ? xs : "?", cs ? cs : "?", ps ? ps : "?", ds ? ds : "?");
        free(xs);
        free(cs);
        free(ps);
        free(ds);
    }
    vf_qmat_clear(&x);
    vf_cone_val_clear(&cv);
    vf_cone_val_clear(&pv);
    vf_cone_val_clear(&dv);
    return rc;
}

static int check_colu_is_projection(const vf_claim *cl, const vf_claim_opts *o,
                                    vf_claim_result *r, vf_err *e)
{
    (void)cl;
    ctx c = {.o = o, .r = r};
    int rc = run_points(&c, eucl_point, "CoLU(x) = P_L(x) (no counterexample found)", e);
    if (!rc && r->verdict == VF_REFUTED)
        vf_claim_note_add(r, "agree_before", "%zu group(s) where CoLU = P_L (on L and -L they "
                          "coincide)", c.agree);
    if (!rc && r->verdict != VF_INVALID_INPUT)
        rc = note_theory_example(r, o->n_in ? 0 : o->d, e);
    return rc;
}

/* ---------------------------------------------------------------- colu.old_in_cone */

static int old_point(ctx *c, vf_err *e)
{
    vf_cone_val ov = {0};
    int rc = vf_cone_val_init(&ov, c->x->rows, c->p, e);
    if (!rc && !(rc = vf_ref_cone(&ov, &c->br, c->x, VF_CONE_COLU_OLD, e)))
        rc = check_in_cone(c, "older CoLU range in L", "CoLU_old(x)", &ov, 0, e);
    vf_cone_val_clear(&ov);
    return rc;
}

static int check_colu_old_in_cone(const vf_claim *cl, const vf_claim_opts *o,
                                  vf_claim_result *r, vf_err *e)
{
    (void)cl;
    ctx c = {.o = o, .r = r};
    return run_points(&c, old_point, "older CoLU maps into L", e);
}

/* ---------------------------------------------------------------- rcolu.properties */

/* A permutation of S indices from (seed, point): Fisher-Yates on the counter-based RNG. */
static void point_perm(size_t *pi, size_t S, const ctx *c)
{
    uint64_t id = point_tensor(c->t, c->k) | 7;
    for (size_t i = 0; i < S; i++)
        pi[i] = i;
    for (size_t i = S; i-- > 1;) {
        size_t j = (size_t)vf_rng_int(c->o->seed, id, i, 0, (int64_t)i);
        size_t s = pi[i];
        pi[i] = pi[j];
        pi[j] = s;
    }
}

static int rcolu_point(ctx *c, vf_err *e)
{
    size_t S = c->x->rows;
    vf_cone_val xv = {0}, cv = {0}, ccv = {0}, hv = {0}, a = {0}, b = {0};
    vf_cone_val *all[] = {&xv, &cv, &ccv, &hv, &a, &b};
    vf_qmat tx = {0};
    mpq_t h;
    mpq_init(h);
    size_t *pi = vf_calloc(S, sizeof *pi, e);
    int rc = pi ? VF_OK : VF_E_NOMEM;
    for (size_t i = 0; i < sizeof all / sizeof all[0] && !rc; i++)
        rc = vf_cone_val_init(all[i], S, c->p, e);
    if (rc || (rc = vf_qmat_init(&tx, S, 1, e)))
        goto out;
    val_set_q(&xv, c->x);
    if ((rc = vf_ref_cone(&cv, &c->br, c->x, VF_CONE_RCOLU, e)) ||
        (rc = check_in_cone(c, "range in the cone around e", "rCoLU(x)", &cv, 1, e)) ||
        c->refuted)
        goto out;
    if ((rc = val_apply(&ccv, &cv, VF_CONE_RCOLU, e)) ||
        (rc = check_eq(c, "idempotence", "rCoLU(rCoLU(x))", &ccv, "rCoLU(x)", &cv, e)) ||
        c->refuted)
        goto out;
    point_scale(h, c);
    for (size_t i = 0; i < S; i++)
        mpq_mul(tx.a[i], h, c->x->a[i]);
    val_scale(&hv, h, &cv);
    if ((rc = vf_ref_cone(&a, NULL, &tx, VF_CONE_RCOLU, e)) ||
        (rc = check_eq(c, "positive homogeneity", "rCoLU(h x)", &a, "h rCoLU(x)", &hv, e)) ||
        c->refuted)
        goto out;
    /* permutations fix e: rCoLU(pi x) = pi rCoLU(x) */
    point_perm(pi, S, c);
    for (size_t i = 0; i < S; i++)
        mpq_set(tx.a[i], c->x->a[pi[i]]);
    val_permute(&b, pi, &cv);
    if ((rc = vf_ref_cone(&a, NULL, &tx, VF_CONE_RCOLU, e)))
        goto out;
    rc = check_eq(c, "permutation equivariance", "rCoLU(pi x)", &a, "pi rCoLU(x)", &b, e);
out:
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_cone_val_clear(all[i]);
    vf_qmat_clear(&tx);
    mpq_clear(h);
    free(pi);
    return rc;
}

static int check_rcolu_properties(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                                  vf_err *e)
{
    (void)cl;
    ctx c = {.o = o, .r = r};
    return run_points(&c, rcolu_point,
                      "rCoLU range in the cone around e, idempotence, homogeneity, permutation "
                      "equivariance",
                      e);
}

/* ---------------------------------------------------------------- the claims */

const vf_claim vf_claim_lorentz_projection = {
    .id = "lorentz.projection",
    .statement = "P_L(x) in L, x - P_L(x) in -L, <P_L(x), x - P_L(x)> = 0, P_L idempotent, "
                 "x = P_L(x) - P_L(-x) (Euclidean projection onto the Lorentz cone, FU-7)",
    .cls = VF_CLASS_QSQRT,
    .source = "standard; THEORY.md 2.8 (FU-7)",
    .expected = VF_CERTIFIED,
    .default_n = 16,
    .default_d = 3,
    .default_trials = 6,
    .check = check_lorentz_projection,
};

const vf_claim vf_claim_colu_properties = {
    .id = "colu.properties",
    .statement = "hard CoLU (t+, min(1, t+/r) w): range in L, idempotent, positively "
                 "1-homogeneous, O(S-1)-equivariant, slice variational inequality (FU-8)",
    .cls = VF_CLASS_QSQRT,
    .source = SRC_CONE,
    .expected = VF_CERTIFIED,
    .default_n = 16,
    .default_d = 3,
    .default_trials = 6,
    .check = check_colu_properties,
};

const vf_claim vf_claim_colu_is_euclidean_projection = {
    .id = "colu.is_euclidean_projection",
    .statement = "CoLU is the Euclidean projection onto the Lorentz cone",
    .cls = VF_CLASS_QSQRT,
    .source = SRC_CONE,
    .expected = VF_REFUTED,
    .default_n = 16,
    .default_d = 3,
    .default_trials = 6,
    .check = check_colu_is_projection,
};

const vf_claim vf_claim_colu_old_in_cone = {
    .id = "colu.old_in_cone",
    .statement = "the older CoLU (t, clip(t/r, 0, 1) w) maps into the Lorentz cone",
    .cls = VF_CLASS_QSQRT,
    .source = SRC_CONE,
    .expected = VF_REFUTED,
    .default_n = 16,
    .default_d = 3,
    .default_trials = 6,
    .check = check_colu_old_in_cone,
};

const vf_claim vf_claim_rcolu_properties = {
    .id = "rcolu.properties",
    .statement = "rCoLU t+ e + min(1, t+/r) w (e = (1..1)/sqrt(S)): range in the cone around e, "
                 "idempotent, positively 1-homogeneous, permutation-equivariant",
    .cls = VF_CLASS_QSQRT,
    .source = SRC_CONE,
    .expected = VF_CERTIFIED,
    .default_n = 16,
    .default_d = 3,
    .default_trials = 6,
    .check = check_rcolu_properties,
};
