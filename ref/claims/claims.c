/* claims.c — the claim registry and result helpers (see vf_claims.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "vf_npy.h"
#include "vf_qgen.h"
#include "vf_claims.h"
#include "vf_rng.h"

/* The table: one line per claim, grouped by source, in the order `veriformer claims` prints. */
static const vf_claim *const table[] = {
    &vf_claim_relu_orthant_projection,
    &vf_claim_relu_moreau,
    &vf_claim_relu_axioms_characterise,
    &vf_claim_lorentz_projection,
    &vf_claim_colu_properties,
    &vf_claim_colu_is_euclidean_projection,
    &vf_claim_colu_old_in_cone,
    &vf_claim_rcolu_properties,
    &vf_claim_ols_hat_matrix,
    &vf_claim_ols_normal_equations,
    &vf_claim_ols_scores_equal_hat,
    &vf_claim_ols_reading_b,
    &vf_claim_ols_reading_a,
    &vf_claim_ols_reading_a_spectral,
    &vf_claim_ols_gauge,
    &vf_claim_ols_intercept,
    &vf_claim_ols_spectral_inverse,
    &vf_claim_ols_pinv_projector,
    &vf_claim_ols_paper_experiment,
    &vf_claim_ols_distribution_shift,
    &vf_claim_softmax_gibbs_gap,
    &vf_claim_softmax_free_energy_min,
    &vf_claim_softmax_attention_is_gibbs,
    &vf_claim_softmax_specific_heat,
    &vf_claim_softmax_scale_invariance,
    &vf_claim_softmax_shift_invariance,
    &vf_claim_softmax_replicator_rest_point,
    &vf_claim_softmax_lse_bounds,
    &vf_claim_fu_quartic_derivatives,
    &vf_claim_fu_quartic_gradient_is_heads,
    &vf_claim_fu_quartic_gradient_is_heads_symmetric,
    &vf_claim_fu_quadratic_quartic_potential,
    &vf_claim_fu_left_orthogonal_invariance,
    &vf_claim_fu_gated_mlp_potential,
    &vf_claim_fu_gated_mlp_potential_tied,
    &vf_claim_fu_lse_slot_derivatives,
    &vf_claim_fu_lse_gradient_is_attention,
    &vf_claim_fu_lse_wirtinger_is_attention,
    &vf_claim_fu_softmax_preconditioned_gradient,
    &vf_claim_fu_bch_gate,
    &vf_claim_sy_stein_linear_attention,
    &vf_claim_sy_accelerated_common_map,
    &vf_claim_sy_causal_common_map,
    &vf_claim_sy_hamiltonian,
    &vf_claim_sy_hamiltonian_nonsymmetric,
    &vf_claim_sy_energy_dissipation,
    &vf_claim_sy_softmax_force,
    &vf_claim_mf_tangent_velocity,
    &vf_claim_mf_gradient_flow,
    &vf_claim_mf_energy_monotone,
    &vf_claim_mf_equiangular_ode,
    &vf_claim_mf_critical_scaling,
    &vf_claim_mf_contraction,
    &vf_claim_mf_equivariance,
    &vf_claim_hopfield_energy_descent,
};

const vf_claim *const *vf_claims_all(size_t *count)
{
    *count = sizeof table / sizeof table[0];
    return table;
}

const vf_claim *vf_claim_find(const char *id)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (id && strcmp(table[i]->id, id) == 0)
            return table[i];
    return NULL;
}

void vf_claim_opts_default(vf_claim_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = VF_SEED_DEFAULT;
}

void vf_claim_result_clear(vf_claim_result *r)
{
    for (int i = 0; i < r->n_notes; i++)
        free(r->notes[i].value);
    memset(r, 0, sizeof *r);
}

int vf_claim_run(const vf_claim *c, const vf_claim_opts *o, vf_claim_result *r, vf_err *e)
{
    vf_claim_opts eff = *o;
    if (!eff.n)
        eff.n = c->default_n;
    if (!eff.d)
        eff.d = c->default_d;
    if (!eff.trials)
        eff.trials = c->default_trials;
    memset(r, 0, sizeof *r);
    r->verdict = VF_UNCERTIFIED;
    return c->check(c, &eff, r, e);
}

void vf_claim_note_add(vf_claim_result *r, const char *key, const char *fmt, ...)
{
    if (r->n_notes >= VF_CLAIM_MAX_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *v = NULL;
    int len = vasprintf(&v, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    vf_claim_note *n = &r->notes[r->n_notes++];
    snprintf(n->key, sizeof n->key, "%s", key);
    n->value = v;
}

const char *vf_claim_note_get(const vf_claim_result *r, const char *key)
{
    for (int i = 0; i < r->n_notes; i++)
        if (!strcmp(r->notes[i].key, key))
            return r->notes[i].value;
    return NULL;
}

void vf_claim_set(vf_claim_result *r, vf_verdict v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->summary, sizeof r->summary, fmt, ap);
    va_end(ap);
    r->verdict = v;
}

const char *vf_verdict_name(vf_verdict v)
{
    static const char *const names[] = {"HELD_EXACT", "CERTIFIED", "REFUTED", "UNCERTIFIED",
                                        "INVALID_INPUT"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

const char *vf_claim_class_name(vf_claim_class c)
{
    static const char *const names[] = {"Q", "Q-sqrt", "T"};
    return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "?";
}

int vf_verdict_exit_code(vf_verdict v)
{
    switch (v) {
    case VF_HELD_EXACT:
    case VF_CERTIFIED: return VF_EXIT_PASS;
    case VF_REFUTED: return VF_EXIT_FAIL;
    case VF_INVALID_INPUT: return VF_EXIT_USAGE;
    case VF_UNCERTIFIED: return VF_EXIT_INTERNAL;
    }
    return VF_EXIT_INTERNAL;
}

int vf_claim_input_q(const vf_claim_opts *o, int k, vf_qmat *m, vf_err *e)
{
    if (k < 0 || k >= o->n_in)
        return vf_fail(e, VF_E_USAGE, "input %d missing: this claim needs %d --in file(s)", k + 1,
                       k + 1);
    vf_tensor t;
    int rc = vf_npy_read(&t, o->in[k], e);
    if (rc)
        return rc;
    size_t rows = t.ndim == 2 ? t.shape[0] : t.count, cols = t.ndim == 2 ? t.shape[1] : 1;
    rc = vf_qmat_init(m, rows, cols, e);
    if (!rc)
        rc = vf_qmat_from_f64(m, t.v, e);
    if (rc == VF_E_DOMAIN) {
        char why[VF_ERR_MSG_LEN];
        snprintf(why, sizeof why, "%s", e->msg);
        vf_fail(e, VF_E_DOMAIN, "%s: %s", o->in[k], why);
    }
    if (rc)
        vf_qmat_clear(m);
    vf_tensor_clear(&t);
    return rc;
}

int vf_claim_instance_q(vf_qmat *x, const vf_claim_opts *o, int t, char *label, size_t len,
                        vf_err *e)
{
    static const vf_fill exact_fills[] = {VF_FILL_UNIFORM, VF_FILL_NORMAL,   VF_FILL_TIES,
                                          VF_FILL_BIG,     VF_FILL_NEGATIVE, VF_FILL_DENORMAL};
    if (o->n_in) {
        snprintf(label, len, "%s", o->in[0]);
        return vf_claim_input_q(o, 0, x, e);
    }
    int rc = vf_qmat_init(x, o->n, 1, e);
    if (rc)
        return rc;
    if (t == 0) {
        vf_qgen_small(x, o->seed, 0, 4, 3);
        snprintf(label, len, "trial 0 (small rationals)");
        return VF_OK;
    }
    vf_fill f = exact_fills[(size_t)(t - 1) % (sizeof exact_fills / sizeof exact_fills[0])];
    float *buf = vf_calloc(o->n, sizeof *buf, e);
    if (!buf) {
        vf_qmat_clear(x);
        return VF_E_NOMEM;
    }
    vf_fill_f32(buf, o->n, f, o->seed, (uint64_t)t);
    rc = vf_qmat_from_f32(x, buf, e);
    free(buf);
    snprintf(label, len, "trial %d (fill %s)", t, vf_fill_name(f));
    return rc;
}
