/* relu.c — claims about ReLU as the orthant projection (THEORY §2.7).
 *
 * relu.orthant_projection: ReLU(x) = argmin_{y >= 0} ||x - y||^2.  For each instance the exact
 * KKT certificate is checked: p >= 0, p - x >= 0 and <p, p - x> = 0 with p = ReLU(x).  These
 * three facts imply the variational inequality <x - p, y - p> <= 0 for EVERY y >= 0
 * (<x - p, y - p> = -<p - x, y> + <p - x, p>; first term <= 0, second = 0), which
 * characterises the Euclidean projection onto the closed convex orthant; that implication is the
 * lemma Relu_KKT_VI of specs/relu.  Sampled feasible y also check the inequality and the
 * distance optimality directly, exactly.
 */
#include <stdio.h>
#include <stdlib.h>

#include "registry.h"
#include "vf_qgen.h"
#include "vf_relu.h"
#include "vf_rng.h"

#define VI_SAMPLES 8

/* Checks one instance; returns 1 and sets a REFUTED verdict with the exact counterexample when
 * a certificate fails, 0 when it holds. */
static int check_instance(const vf_qmat *x, const vf_claim_opts *o, int t, const char *label,
                          vf_claim_result *r, vf_err *e, int *rc)
{
    vf_qmat p = {0}, g = {0}, y = {0}, xp = {0};
    mpq_t s, s2;
    mpq_inits(s, s2, NULL);
    int refuted = 0;
    size_t n = x->rows * x->cols;
    if ((*rc = vf_qmat_init(&p, x->rows, x->cols, e)) ||
        (*rc = vf_qmat_init(&g, x->rows, x->cols, e)) ||
        (*rc = vf_qmat_init(&y, x->rows, x->cols, e)) ||
        (*rc = vf_qmat_init(&xp, x->rows, x->cols, e)) || (*rc = vf_ref_relu_q(&p, x, e)) ||
        (*rc = vf_qmat_sub(&g, &p, x, e)) || (*rc = vf_qmat_sub(&xp, x, &p, e)))
        goto out;
    for (size_t i = 0; i < n && !refuted; i++) {
        if (mpq_sgn(p.a[i]) < 0 || mpq_sgn(g.a[i]) < 0) {
            char *xs = vf_q_str(x->a[i]), *ps = vf_q_str(p.a[i]);
            vf_claim_set(r, VF_REFUTED, "%s: p = ReLU(x) infeasible at entry %zu", label, i);
            vf_claim_note_add(r, "counterexample", "x[%zu] = %s, ReLU(x)[%zu] = %s", i, xs, i, ps);
            free(xs);
            free(ps);
            refuted = 1;
        }
    }
    if (!refuted && ((*rc = vf_qmat_dot(s, &p, &g, e)) == VF_OK) && mpq_sgn(s) != 0) {
        char *ss = vf_q_str(s);
        vf_claim_set(r, VF_REFUTED, "%s: complementarity <p, p - x> = %s != 0", label, ss);
        free(ss);
        refuted = 1;
    }
    /* Sampled feasible points: <x - p, y - p> <= 0 and ||x - p||^2 <= ||x - y||^2. */
    for (int k = 0; k < VI_SAMPLES && !refuted && !*rc; k++) {
        vf_qgen_small(&y, o->seed, 1000u + (uint64_t)t * VI_SAMPLES + (uint64_t)k, 6, 5);
        for (size_t i = 0; i < n; i++)
            mpq_abs(y.a[i], y.a[i]);
        if ((*rc = vf_qmat_sub(&g, &y, &p, e)) || (*rc = vf_qmat_dot(s, &xp, &g, e)))
            break;
        if (mpq_sgn(s) > 0) {
            char *ss = vf_q_str(s);
            vf_claim_set(r, VF_REFUTED, "%s: <x - p, y - p> = %s > 0 for sample y #%d", label,
                         ss, k);
            free(ss);
            refuted = 1;
            break;
        }
        if ((*rc = vf_qmat_dot(s, &xp, &xp, e)) || (*rc = vf_qmat_sub(&g, x, &y, e)) ||
            (*rc = vf_qmat_dot(s2, &g, &g, e)))
            break;
        if (mpq_cmp(s, s2) > 0) {
            vf_claim_set(r, VF_REFUTED, "%s: sample y #%d is closer to x than ReLU(x)", label, k);
            refuted = 1;
        }
    }
out:
    mpq_clears(s, s2, NULL);
    vf_qmat_clear(&p);
    vf_qmat_clear(&g);
    vf_qmat_clear(&y);
    vf_qmat_clear(&xp);
    return refuted;
}

static int check_orthant_projection(const vf_claim *c, const vf_claim_opts *o,
                                    vf_claim_result *r, vf_err *e)
{
    (void)c;
    int rc = VF_OK, trials = o->n_in ? 1 : o->trials;
    size_t entries = 0;
    for (int t = 0; t < trials; t++) {
        vf_qmat x = {0};
        char label[256];
        rc = vf_claim_instance_q(&x, o, t, label, sizeof label, e);
        if (rc == VF_E_DOMAIN && o->n_in) {
            vf_claim_set(r, VF_INVALID_INPUT, "%s", e->msg);
            return VF_OK;
        }
        int refuted = rc ? 0 : check_instance(&x, o, t, label, r, e, &rc);
        entries += x.rows * x.cols;
        vf_qmat_clear(&x);
        if (rc)
            return rc;
        if (refuted)
            return VF_OK;
    }
    vf_claim_set(r, VF_HELD_EXACT,
                 "KKT certificate p >= 0, p - x >= 0, <p, p - x> = 0 exact on %d instance(s)",
                 trials);
    vf_claim_note_add(r, "instances", "%d (%s)", trials,
                      o->n_in ? "user input" : "small rationals, then float fills");
    vf_claim_note_add(r, "entries", "%zu", entries);
    vf_claim_note_add(r, "vi_samples", "%d feasible y per instance, <x-p, y-p> <= 0 exactly",
                      VI_SAMPLES);
    return VF_OK;
}

const vf_claim vf_claim_relu_orthant_projection = {
    .id = "relu.orthant_projection",
    .statement = "ReLU(x) = argmin_{y >= 0} ||x - y||^2 (Euclidean projection onto the orthant)",
    .cls = VF_CLASS_Q,
    .source = "Fu, Transformers Are Optimal Effective Fields (THEORY.md 2.7)",
    .expected = VF_HELD_EXACT,
    .default_n = 64,
    .default_trials = 13,
    .check = check_orthant_projection,
};
