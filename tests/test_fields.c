/* Attention as fields and flows (THEORY.md §1.4, §2.3–2.5, §2.9, §3, §4): the exact ε-polynomial
 * and dual-interval kernels, the certified expm, and every fu.* / sympformer.* / meanfield.* /
 * hopfield.* claim at the default seed and on the edge cases THEORY lists. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vf_claims.h"
#include "vf_potential.h"

static const char *const ids[] = {
    "fu.quartic_derivatives", "fu.quartic_gradient_is_heads",
    "fu.quartic_gradient_is_heads_symmetric", "fu.quadratic_quartic_potential",
    "fu.left_orthogonal_invariance", "fu.gated_mlp_potential", "fu.gated_mlp_potential_tied",
    "fu.lse_slot_derivatives", "fu.lse_gradient_is_attention", "fu.lse_wirtinger_is_attention",
    "fu.softmax_preconditioned_gradient", "fu.bch_gate", "sympformer.stein_linear_attention",
    "sympformer.accelerated_common_map", "sympformer.causal_common_map", "sympformer.hamiltonian",
    "sympformer.hamiltonian_nonsymmetric", "sympformer.energy_dissipation",
    "sympformer.softmax_force", "meanfield.tangent_velocity", "meanfield.gradient_flow",
    "meanfield.energy_monotone", "meanfield.equiangular_ode", "meanfield.critical_scaling",
    "meanfield.contraction", "meanfield.equivariance", "hopfield.energy_descent"};
#define N_IDS (sizeof ids / sizeof ids[0])

/* Runs claim id with the given options (0 = default) and returns the verdict; r filled. */
static vf_verdict run(const char *id, uint64_t seed, size_t n, size_t d, int trials,
                      vf_claim_result *r)
{
    vf_claim_opts o;
    vf_claim_opts_default(&o);
    if (seed)
        o.seed = seed;
    o.n = n;
    o.d = d;
    o.trials = trials;
    return claim_run_checked(id, &o, r);
}

/* ---------------------------------------------------------------- kernels */

Test(fields_kernels, polynomial_square_coefficients)
{
    vf_err e;
    vf_qmat x = {0}, d = {0}, want = {0}, t = {0};
    vf_qmpoly p = {0}, q = {0};
    cr_assert_eq(vf_qmat_init(&x, 2, 2, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&d, 2, 2, &e), VF_OK);
    const char *xs[] = {"1", "2", "-1/3", "4"}, *ds[] = {"0", "1", "5", "-2/7"};
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(vf_q_set_str(x.a[i], xs[i], &e), VF_OK);
        cr_assert_eq(vf_q_set_str(d.a[i], ds[i], &e), VF_OK);
    }
    cr_assert_eq(vf_qmpoly_line(&p, &x, &d, &e), VF_OK);
    cr_assert_eq(vf_qmpoly_mul(&q, &p, &p, &e), VF_OK);
    cr_assert_eq(q.deg, 2);
    /* (X + εD)² = X² + ε(XD + DX) + ε²D² */
    cr_assert_eq(vf_qmat_init(&want, 2, 2, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&t, 2, 2, &e), VF_OK);
    cr_assert_eq(vf_qmat_mul(&want, &x, &x, &e), VF_OK);
    cr_expect(vf_qmat_equal(&q.c[0], &want));
    cr_assert_eq(vf_qmat_mul(&want, &x, &d, &e), VF_OK);
    cr_assert_eq(vf_qmat_mul(&t, &d, &x, &e), VF_OK);
    cr_assert_eq(vf_qmat_add(&want, &want, &t, &e), VF_OK);
    cr_expect(vf_qmat_equal(&q.c[1], &want));
    cr_assert_eq(vf_qmat_mul(&want, &d, &d, &e), VF_OK);
    cr_expect(vf_qmat_equal(&q.c[2], &want));
    mpq_t tr;
    mpq_init(tr);
    cr_assert_eq(vf_qmpoly_trace_coef(tr, &q, 7, &e), VF_OK);
    cr_expect_eq(mpq_sgn(tr), 0, "coefficients past the degree are 0");
    mpq_clear(tr);
    vf_qmpoly_clear(&p);
    vf_qmpoly_clear(&q);
    vf_qmat_clear(&x);
    vf_qmat_clear(&d);
    vf_qmat_clear(&want);
    vf_qmat_clear(&t);
}

Test(fields_kernels, shape_errors_are_reported)
{
    vf_err e;
    vf_qmat x = {0}, d = {0};
    vf_qmpoly p = {0};
    cr_assert_eq(vf_qmat_init(&x, 2, 3, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&d, 3, 2, &e), VF_OK);
    cr_expect_eq(vf_qmpoly_line(&p, &x, &d, &e), VF_E_SHAPE);
    vf_imat a = {0}, out = {0};
    cr_assert_eq(vf_imat_init(&a, 2, 3, 64, &e), VF_OK);
    cr_assert_eq(vf_imat_init(&out, 2, 3, 64, &e), VF_OK);
    cr_expect_eq(vf_imat_expm(&out, &a, &e), VF_E_SHAPE);
    vf_imat_clear(&a);
    vf_imat_clear(&out);
    vf_qmat_clear(&x);
    vf_qmat_clear(&d);
}

/* d/dε log(exp(x + ε)) = 1 exactly enclosed; d/dε exp(2(x + ε)) = 2e^{2x}. */
Test(fields_kernels, dual_chain_rule)
{
    vf_err e;
    vf_qmat x = {0}, one = {0};
    cr_assert_eq(vf_qmat_init(&x, 1, 1, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&one, 1, 1, &e), VF_OK);
    mpq_set_si(x.a[0], -3, 4);
    mpq_set_ui(one.a[0], 1, 1);
    vf_dmat a = {0}, b = {0}, c = {0}, s = {0}, f = {0};
    cr_assert_eq(vf_dmat_from_q(&a, &x, &one, NULL, 128, &e), VF_OK);
    cr_assert_eq(vf_dmat_exp(&b, &a, &e), VF_OK);
    cr_assert_eq(vf_dmat_log(&c, &b, &e), VF_OK);
    mpfi_t t;
    mpfi_init2(t, 128);
    mpfi_sub_ui(t, c.t.a[0], 1);
    cr_expect(mpfi_has_zero(t), "tangent of log exp is 1");
    mpq_t two;
    mpq_init(two);
    mpq_set_ui(two, 2, 1);
    cr_assert_eq(vf_dmat_scale(&s, two, &a, &e), VF_OK);
    cr_assert_eq(vf_dmat_exp(&f, &s, &e), VF_OK);
    mpfi_set_q(t, x.a[0]);
    mpfi_mul_ui(t, t, 2);
    mpfi_exp(t, t);
    mpfi_mul_ui(t, t, 2);
    mpfi_sub(t, t, f.t.a[0]);
    cr_expect(mpfi_has_zero(t));
    /* log of an interval touching 0 is a domain error */
    vf_dmat z = {0}, lz = {0};
    vf_qmat zero = {0};
    cr_assert_eq(vf_qmat_init(&zero, 1, 1, &e), VF_OK);
    cr_assert_eq(vf_dmat_from_q(&z, &zero, NULL, NULL, 64, &e), VF_OK);
    cr_expect_eq(vf_dmat_log(&lz, &z, &e), VF_E_DOMAIN);
    mpq_clear(two);
    mpfi_clear(t);
    vf_dmat *all[] = {&a, &b, &c, &s, &f, &z, &lz};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        vf_dmat_clear(all[i]);
    vf_qmat_clear(&x);
    vf_qmat_clear(&one);
    vf_qmat_clear(&zero);
}

/* expm of diag(m1, m2) + a E_01: [[e^m1, a(e^m1 - e^m2)/(m1 - m2)], [0, e^m2]]; big norm too. */
Test(fields_kernels, expm_closed_form)
{
    vf_err e;
    vf_qmat q = {0};
    cr_assert_eq(vf_qmat_init(&q, 2, 2, &e), VF_OK);
    mpq_set_ui(VF_Q(&q, 0, 0), 7, 1);
    mpq_set_si(VF_Q(&q, 1, 1), -3, 2);
    mpq_set_ui(VF_Q(&q, 0, 1), 5, 3);
    vf_imat a = {0}, x = {0};
    cr_assert_eq(vf_imat_init(&a, 2, 2, 200, &e), VF_OK);
    cr_assert_eq(vf_imat_init(&x, 2, 2, 200, &e), VF_OK);
    cr_assert_eq(vf_imat_from_q(&a, &q, &e), VF_OK);
    cr_assert_eq(vf_imat_expm(&x, &a, &e), VF_OK);
    mpfi_t e1, e2, w, t;
    mpfi_init2(e1, 200);
    mpfi_init2(e2, 200);
    mpfi_init2(w, 200);
    mpfi_init2(t, 200);
    mpfi_set_ui(e1, 7);
    mpfi_exp(e1, e1);
    mpfi_set_d(e2, -1.5);
    mpfi_exp(e2, e2);
    mpfi_sub(w, e1, e2);
    mpfi_mul_ui(w, w, 5);
    mpfi_div_ui(w, w, 3);
    mpfi_div_d(w, w, 8.5);
    mpfi_sub(t, VF_I(&x, 0, 0), e1);
    cr_expect(mpfi_has_zero(t));
    mpfi_sub(t, VF_I(&x, 1, 1), e2);
    cr_expect(mpfi_has_zero(t));
    mpfi_sub(t, VF_I(&x, 0, 1), w);
    cr_expect(mpfi_has_zero(t));
    cr_expect(mpfi_has_zero(VF_I(&x, 1, 0)));
    cr_expect_geq(vf_iv_abs_bits(t), 150, "tight enclosure");
    mpfi_clear(e1);
    mpfi_clear(e2);
    mpfi_clear(w);
    mpfi_clear(t);
    vf_imat_clear(&a);
    vf_imat_clear(&x);
    vf_qmat_clear(&q);
}

/* ---------------------------------------------------------------- claims */

Test(fields_claims, every_claim_gets_its_expected_verdict_at_the_default_seed)
{
    for (size_t i = 0; i < N_IDS; i++) {
        vf_claim_result r;
        vf_verdict v = run(ids[i], 0, 0, 0, 0, &r);
        const vf_claim *c = vf_claim_find(ids[i]);
        cr_expect_eq(v, c->expected, "%s: %s (%s)", ids[i], vf_verdict_name(v), r.summary);
        if (v == VF_CERTIFIED)
            cr_expect_geq(r.bits, 64, "%s certified to 2^-%ld", ids[i], r.bits);
        if (v == VF_REFUTED)
            cr_expect(vf_claim_note_get(&r, "difference") && vf_claim_note_get(&r, "repro"),
                      "%s prints the difference and a repro line", ids[i]);
        vf_claim_result_clear(&r);
    }
}

Test(fields_claims, verdicts_are_stable_across_seeds)
{
    for (uint64_t seed = 1; seed <= 3; seed++)
        for (size_t i = 0; i < N_IDS; i++) {
            vf_claim_result r;
            vf_verdict v = run(ids[i], seed, 0, 0, 0, &r);
            cr_expect_eq(v, vf_claim_find(ids[i])->expected, "%s seed %llu: %s (%s)", ids[i],
                         (unsigned long long)seed, vf_verdict_name(v), r.summary);
            vf_claim_result_clear(&r);
        }
}

Test(fields_claims, single_token_and_single_feature)
{
    static const char *const exact[] = {"fu.quartic_derivatives", "fu.quadratic_quartic_potential",
                                        "fu.left_orthogonal_invariance", "fu.gated_mlp_potential_tied",
                                        "fu.quartic_gradient_is_heads_symmetric",
                                        "sympformer.stein_linear_attention",
                                        "sympformer.hamiltonian"};
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        vf_claim_result r;
        cr_expect_eq(run(exact[i], 0, 1, 1, 2, &r), VF_HELD_EXACT, "%s n = d = 1: %s", exact[i],
                     r.summary);
        vf_claim_result_clear(&r);
    }
    /* with one feature, A and B are scalars: symmetric, so "2 x heads" holds */
    vf_claim_result r;
    cr_expect_eq(run("fu.quartic_gradient_is_heads", 0, 3, 1, 4, &r), VF_HELD_EXACT, "%s",
                 r.summary);
    vf_claim_result_clear(&r);
    cr_expect_eq(run("fu.lse_slot_derivatives", 0, 1, 1, 1, &r), VF_CERTIFIED, "%s", r.summary);
    vf_claim_result_clear(&r);
    /* one token: P = [1], so the key-slot derivative P^T X W is the attention X W, but the
     * full gradient is still 2 X W: refuted by a factor 2 */
    cr_expect_eq(run("fu.lse_wirtinger_is_attention", 0, 1, 2, 1, &r), VF_CERTIFIED, "%s",
                 r.summary);
    vf_claim_result_clear(&r);
    cr_expect_eq(run("fu.lse_gradient_is_attention", 0, 1, 2, 1, &r), VF_REFUTED, "%s",
                 r.summary);
    vf_claim_result_clear(&r);
}

Test(fields_claims, causal_needs_more_tokens_than_features)
{
    vf_claim_result r;
    cr_expect_eq(run("sympformer.causal_common_map", 0, 3, 3, 1, &r), VF_INVALID_INPUT, "%s",
                 r.summary);
    cr_expect(strstr(r.summary, "N > d"), "%s", r.summary);
    vf_claim_result_clear(&r);
    cr_expect_eq(run("sympformer.causal_common_map", 0, 8, 2, 1, &r), VF_REFUTED, "%s", r.summary);
    vf_claim_result_clear(&r);
}

/* Antipodal pair alone (n = 2, trial kind 2): no motion, dE/dt = 0 is a tight inequality;
 * n = 1 (kind 3): no motion either. */
Test(fields_claims, antipodal_pair_and_single_token_are_equilibria)
{
    vf_claim_result r;
    cr_expect_eq(run("meanfield.energy_monotone", 0, 2, 3, 4, &r), VF_CERTIFIED, "%s", r.summary);
    const char *in = vf_claim_note_get(&r, "inequalities");
    cr_expect(in && strstr(in, "tight") && !strstr(in, " 0 tight"), "%s", in ? in : "none");
    vf_claim_result_clear(&r);
    cr_expect_eq(run("meanfield.tangent_velocity", 0, 2, 2, 6, &r), VF_CERTIFIED, "circle d = 2: %s",
                 r.summary);
    vf_claim_result_clear(&r);
    cr_expect_eq(run("meanfield.gradient_flow", 0, 2, 2, 6, &r), VF_CERTIFIED, "%s", r.summary);
    vf_claim_result_clear(&r);
}

Test(fields_claims, critical_scaling_values)
{
    vf_claim_result r;
    cr_assert_eq(run("meanfield.critical_scaling", 0, 0, 0, 0, &r), VF_HELD_EXACT);
    const char *ex = vf_claim_note_get(&r, "critical_n10_exact"), *crit = vf_claim_note_get(&r, "regime_1");
    cr_assert(ex && crit);
    cr_expect(strstr(ex, "139/193"), "rho' at n = 10, rho = 1/3: %s", ex);
    cr_expect(strstr(crit, "0.720207") && strstr(crit, "0.667222") && strstr(crit, "0.666667222"),
              "%s", crit);
    vf_claim_result_clear(&r);
}

Test(fields_claims, contraction_many_instances_and_edges)
{
    vf_claim_result r;
    cr_expect_eq(run("meanfield.contraction", 0, 0, 0, 500, &r), VF_HELD_EXACT, "%s", r.summary);
    vf_claim_result_clear(&r);
    cr_expect_eq(run("meanfield.equiangular_ode", 0, 2, 0, 5, &r), VF_CERTIFIED, "n = 2: %s",
                 r.summary);
    vf_claim_result_clear(&r);
}

Test(fields_claims, hopfield_single_key_is_a_fixed_point)
{
    vf_claim_result r;
    cr_expect_eq(run("hopfield.energy_descent", 0, 1, 2, 4, &r), VF_CERTIFIED, "%s", r.summary);
    const char *in = vf_claim_note_get(&r, "inequalities");
    cr_expect(in && strstr(in, "tight"), "%s", in ? in : "none");
    vf_claim_result_clear(&r);
}

Test(fields_claims, bch_gate_on_larger_matrices)
{
    vf_claim_result r;
    cr_expect_eq(run("fu.bch_gate", 0, 0, 4, 4, &r), VF_CERTIFIED, "%s", r.summary);
    vf_claim_result_clear(&r);
}
