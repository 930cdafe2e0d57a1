/* relu_axioms.c — the rest of THEORY §2.7: Moreau decomposition, and the axioms that are
 * attributed to ReLU but do not characterise it.
 *
 * relu.moreau: the orthant is a closed convex cone with polar -K, so x = P_K(x) + P_{-K}(x) =
 * ReLU(x) - ReLU(-x) with <ReLU(x), ReLU(-x)> = 0 — checked exactly (class Q).
 *
 * relu.axioms_characterise: "idempotence s(s(x)) = s(x), positive homogeneity s(hx) = h s(x)
 * (h > 0) and permutation equivariance s(pi x) = pi s(x) characterise ReLU".  False as stated:
 * every componentwise s_{a,b}(x) = a x (x > 0), b x (x < 0) is positively homogeneous and
 * permutation-equivariant, and idempotent for (a, b) in {(0,0), (1,0), (0,1), (1,1)}, for a = 1,
 * b < 0 and for b = 1, a < 0.  The checker runs the three axioms exactly on each instance for a
 * set of candidates — ReLU itself, |x| = s_{1,-1} (the counterexample of record), identity, zero,
 * min(x, 0), and 2 ReLU(x) as a control that must be rejected (it is not idempotent) — and
 * refutes the claim with a candidate that passes all three axioms yet differs from ReLU.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "vf_qgen.h"
#include "vf_relu.h"
#include "vf_rng.h"

/* ---------------------------------------------------------------- relu.moreau */

static int check_moreau(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                        vf_err *e)
{
    (void)cl;
    int trials = o->n_in ? 1 : o->trials, rc = VF_OK;
    size_t entries = 0;
    for (int t = 0; t < trials && !rc; t++) {
        vf_qmat x = {0}, nx = {0}, p = {0}, n = {0}, d = {0};
        mpq_t s;
        mpq_init(s);
        char label[96];
        rc = vf_claim_instance_q(&x, o, t, label, sizeof label, e);
        if (rc == VF_E_DOMAIN) {
            vf_claim_set(r, VF_INVALID_INPUT, "%s", e->msg);
            vf_qmat_clear(&x);
            mpq_clear(s);
            return VF_OK;
        }
        int refuted = 0;
        if (!rc && !(rc = vf_qmat_init(&nx, x.rows, x.cols, e)) &&
            !(rc = vf_qmat_init(&p, x.rows, x.cols, e)) &&
            !(rc = vf_qmat_init(&n, x.rows, x.cols, e)) &&
            !(rc = vf_qmat_init(&d, x.rows, x.cols, e))) {
            for (size_t i = 0; i < x.rows * x.cols; i++)
                mpq_neg(nx.a[i], x.a[i]);
            if (!(rc = vf_ref_relu_q(&p, &x, e)) && !(rc = vf_ref_relu_q(&n, &nx, e)) &&
                !(rc = vf_qmat_sub(&d, &p, &n, e)) && !vf_qmat_equal(&d, &x)) {
                char *xs = vf_qmat_str(&x, 0), *ds = vf_qmat_str(&d, 0);
                vf_claim_set(r, VF_REFUTED, "%s: ReLU(x) - ReLU(-x) != x", label);
                vf_claim_note_add(r, "counterexample", "x = %s, ReLU(x) - ReLU(-x) = %s",
                                  xs ? xs : "?", ds ? ds : "?");
                free(xs);
                free(ds);
                refuted = 1;
            }
            if (!rc && !refuted && !(rc = vf_qmat_dot(s, &p, &n, e)) && mpq_sgn(s) != 0) {
                char *xs = vf_qmat_str(&x, 0), *ss = vf_q_str(s);
                vf_claim_set(r, VF_REFUTED, "%s: <ReLU(x), ReLU(-x)> = %s != 0", label, ss);
                vf_claim_note_add(r, "counterexample", "x = %s", xs ? xs : "?");
                free(xs);
                free(ss);
                refuted = 1;
            }
        }
        entries += x.rows * x.cols;
        vf_qmat *all[] = {&x, &nx, &p, &n, &d};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            vf_qmat_clear(all[i]);
        mpq_clear(s);
        if (refuted)
            return VF_OK;
    }
    if (rc)
        return rc;
    vf_claim_set(r, VF_HELD_EXACT,
                 "x = ReLU(x) - ReLU(-x) and <ReLU(x), ReLU(-x)> = 0 exact on %d instance(s)",
                 trials);
    vf_claim_note_add(r, "instances", "%d (%s)", trials,
                      o->n_in ? "user input" : "small rationals, then float fills");
    vf_claim_note_add(r, "entries", "%zu", entries);
    return VF_OK;
}

/* ---------------------------------------------------------------- relu.axioms_characterise */

typedef struct cand {
    const char *name;
    long a, b;      /* s(x) = a x for x > 0, b x for x < 0, 0 at 0 */
    int sat;        /* passed the three axioms on every instance so far */
    int differs;    /* differs from ReLU on some instance */
    char fail[160]; /* first axiom failure, for the notes */
} cand;

static void sigma(vf_qmat *y, const vf_qmat *x, const cand *c)
{
    mpq_t k;
    mpq_init(k);
    for (size_t i = 0; i < x->rows * x->cols; i++) {
        int sg = mpq_sgn(x->a[i]);
        mpq_set_si(k, sg > 0 ? c->a : sg < 0 ? c->b : 0, 1);
        mpq_mul(y->a[i], k, x->a[i]);
    }
    mpq_clear(k);
}

/* First index where a and b differ, or SIZE_MAX. */
static size_t first_diff(const vf_qmat *a, const vf_qmat *b)
{
    for (size_t i = 0; i < a->rows * a->cols; i++)
        if (!mpq_equal(a->a[i], b->a[i]))
            return i;
    return SIZE_MAX;
}

/* Runs the three axioms on x for candidate c (exactly); returns the failing axiom's name or
 * NULL, with *at the entry where it fails.  h > 0 and pi are this instance's scale and
 * permutation.  w1..w3 are scratch vectors with x's shape. */
static const char *axioms(const cand *c, const vf_qmat *x, const mpq_t h, const size_t *pi,
                          vf_qmat *w1, vf_qmat *w2, vf_qmat *w3, size_t *at)
{
    size_t n = x->rows * x->cols;
    sigma(w1, x, c); /* s(x) */
    sigma(w2, w1, c);
    if ((*at = first_diff(w2, w1)) != SIZE_MAX)
        return "idempotence";
    for (size_t i = 0; i < n; i++)
        mpq_mul(w3->a[i], h, x->a[i]);
    sigma(w2, w3, c); /* s(h x) */
    for (size_t i = 0; i < n; i++)
        mpq_mul(w3->a[i], h, w1->a[i]); /* h s(x) */
    if ((*at = first_diff(w2, w3)) != SIZE_MAX)
        return "positive homogeneity";
    for (size_t i = 0; i < n; i++)
        mpq_set(w3->a[i], x->a[pi[i]]);
    sigma(w2, w3, c); /* s(pi x) */
    for (size_t i = 0; i < n; i++)
        mpq_set(w3->a[i], w1->a[pi[i]]); /* pi s(x) */
    if ((*at = first_diff(w2, w3)) != SIZE_MAX)
        return "permutation equivariance";
    return NULL;
}

/* Notes of the counterexample: |x| on instance x passes the axioms and differs from ReLU. */
static void note_counterexample(vf_claim_result *r, const cand *c, const vf_qmat *x,
                                const mpq_t h, const char *label, vf_qmat *s, vf_qmat *p,
                                vf_qmat *d, vf_err *e)
{
    sigma(s, x, c);
    if (vf_ref_relu_q(p, x, e) || vf_qmat_sub(d, s, p, e))
        return;
    size_t i = first_diff(s, p);
    char *xs = vf_qmat_str(x, 0), *ss = vf_qmat_str(s, 0), *ps = vf_qmat_str(p, 0), *ds = vf_qmat_str(d, 0);
    char *xi = vf_q_str(x->a[i]), *si = vf_q_str(s->a[i]), *pi = vf_q_str(p->a[i]);
    char *hs = vf_q_str(h);
    vf_claim_note_add(r, "counterexample",
                      "s(x) = %s: idempotent, positively homogeneous (h = %s) and "
                      "permutation-equivariant exactly on x [%s], yet s != ReLU",
                      c->name, hs ? hs : "?", label);
    vf_claim_note_add(r, "x", "%s", xs ? xs : "?");
    vf_claim_note_add(r, "s(x)", "%s", ss ? ss : "?");
    vf_claim_note_add(r, "ReLU(x)", "%s", ps ? ps : "?");
    vf_claim_note_add(r, "difference", "s(x) - ReLU(x) = %s", ds ? ds : "?");
    vf_claim_note_add(r, "entry", "x[%zu] = %s: s = %s, ReLU = %s", i, xi ? xi : "?",
                      si ? si : "?", pi ? pi : "?");
    free(xs);
    free(ss);
    free(ps);
    free(ds);
    free(xi);
    free(si);
    free(pi);
    free(hs);
}

static int check_axioms(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r,
                        vf_err *e)
{
    (void)cl;
    cand cs[] = {
        {"ReLU(x)", 1, 0, 1, 0, ""},  {"|x|", 1, -1, 1, 0, ""},     {"x", 1, 1, 1, 0, ""},
        {"0", 0, 0, 1, 0, ""},        {"min(x, 0)", 0, 1, 1, 0, ""}, {"2 ReLU(x)", 2, 0, 1, 0, ""},
    };
    enum { C_RELU = 0, C_CONTROL = 5, N_CAND = 6 };
    int trials = o->n_in ? 1 : o->trials, rc = VF_OK, witness = -1;
    for (int t = 0; t < trials && !rc; t++) {
        vf_qmat x = {0}, w1 = {0}, w2 = {0}, w3 = {0}, p = {0};
        char label[96];
        rc = vf_claim_instance_q(&x, o, t, label, sizeof label, e);
        if (rc == VF_E_DOMAIN) {
            vf_claim_set(r, VF_INVALID_INPUT, "%s", e->msg);
            vf_qmat_clear(&x);
            return VF_OK;
        }
        size_t n = x.rows * x.cols;
        size_t *pi = rc ? NULL : vf_calloc(n ? n : 1, sizeof *pi, e);
        if (!rc && !pi)
            rc = VF_E_NOMEM;
        if (!rc && !(rc = vf_qmat_init(&w1, x.rows, x.cols, e)) &&
            !(rc = vf_qmat_init(&w2, x.rows, x.cols, e)) &&
            !(rc = vf_qmat_init(&w3, x.rows, x.cols, e)) &&
            !(rc = vf_qmat_init(&p, x.rows, x.cols, e)) && !(rc = vf_ref_relu_q(&p, &x, e))) {
            /* this instance's h = a/b > 0, h != 1, and a permutation (Fisher-Yates) */
            mpq_t h;
            mpq_init(h);
            mpq_set_ui(h, (unsigned long)vf_rng_int(o->seed, 900u + (uint64_t)t, 0, 2, 9),
                       (unsigned long)vf_rng_int(o->seed, 900u + (uint64_t)t, 1, 1, 4));
            mpq_canonicalize(h);
            if (mpq_cmp_ui(h, 1, 1) == 0)
                mpq_set_ui(h, 3, 2);
            for (size_t i = 0; i < n; i++)
                pi[i] = i;
            for (size_t i = n; i-- > 1;) {
                size_t j = (size_t)vf_rng_int(o->seed, 950u + (uint64_t)t, i, 0, (int64_t)i);
                size_t s = pi[i];
                pi[i] = pi[j];
                pi[j] = s;
            }
            for (int k = 0; k < N_CAND; k++) {
                size_t at;
                const char *bad = axioms(&cs[k], &x, h, pi, &w1, &w2, &w3, &at);
                if (bad && cs[k].sat) {
                    char *xs = vf_q_str(x.a[at]);
                    snprintf(cs[k].fail, sizeof cs[k].fail, "%s fails at x[%zu] = %s [%s]", bad,
                             at, xs ? xs : "?", label);
                    free(xs);
                    cs[k].sat = 0;
                }
                sigma(&w1, &x, &cs[k]);
                if (!bad && first_diff(&w1, &p) != SIZE_MAX) {
                    cs[k].differs = 1;
                    /* the first candidate passing and differing is printed: |x| comes first */
                    if (witness < 0 && k != C_RELU && k != C_CONTROL) {
                        witness = k;
                        note_counterexample(r, &cs[k], &x, h, label, &w1, &w2, &w3, e);
                    }
                }
            }
            mpq_clear(h);
        }
        vf_qmat *all[] = {&x, &w1, &w2, &w3, &p};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            vf_qmat_clear(all[i]);
        free(pi);
    }
    if (rc)
        return rc;
    if (!cs[C_RELU].sat)
        return vf_fail(e, VF_E_INTERNAL, "ReLU itself fails the axioms: %s", cs[C_RELU].fail);
    /* the verdict: some candidate other than ReLU passes every axiom and differs from ReLU */
    char others[256] = "";
    int refuted = 0;
    for (int k = 1; k < N_CAND; k++) {
        if (cs[k].sat && cs[k].differs) {
            refuted = 1;
            size_t len = strlen(others);
            snprintf(others + len, sizeof others - len, "%s%s", len ? ", " : "", cs[k].name);
        }
    }
    vf_claim_note_add(r, "also_satisfy", "%s (each passes the three axioms and differs from "
                      "ReLU)", others[0] ? others : "none");
    vf_claim_note_add(r, "control", "%s: %s", cs[C_CONTROL].name,
                      cs[C_CONTROL].sat ? "passed (no positive entry to reject it on)"
                                        : cs[C_CONTROL].fail);
    if (refuted) {
        const cand *w = witness >= 0 && cs[witness].sat ? &cs[witness] : NULL;
        vf_claim_set(r, VF_REFUTED, "the three axioms do not characterise ReLU: %s satisfies "
                     "them exactly and differs from ReLU", w ? w->name : others);
    } else {
        vf_claim_set(r, VF_HELD_EXACT, "no candidate other than ReLU both satisfies the axioms "
                     "and differs from ReLU on these %d instance(s) (no negative entry?)",
                     trials);
    }
    return VF_OK;
}

const vf_claim vf_claim_relu_moreau = {
    .id = "relu.moreau",
    .statement = "x = ReLU(x) - ReLU(-x) and <ReLU(x), ReLU(-x)> = 0 (Moreau decomposition "
                 "for the orthant and its polar -K)",
    .cls = VF_CLASS_Q,
    .source = "Fu, Transformers Are Optimal Effective Fields (THEORY.md 2.7, FU-6)",
    .expected = VF_HELD_EXACT,
    .default_n = 64,
    .default_trials = 7,
    .check = check_moreau,
};

const vf_claim vf_claim_relu_axioms_characterise = {
    .id = "relu.axioms_characterise",
    .statement = "idempotence, positive homogeneity and permutation equivariance characterise "
                 "ReLU",
    .cls = VF_CLASS_Q,
    .source = "Fu & Cohen 2024, as cited in THEORY.md 2.7",
    .expected = VF_REFUTED,
    .default_n = 16,
    .default_trials = 7,
    .check = check_axioms,
};
