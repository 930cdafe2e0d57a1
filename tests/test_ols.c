/* OLS as a linear Transformer (THEORY.md §1): exact reference, certified eigen-decomposition,
 * the ols.* claims and every edge case of §1.6. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vf_claims.h"
#include "vf_eig.h"
#include "vf_ols.h"
#include "vf_qgen.h"

/* m (initialised here) from rational texts, row-major. */
static void qm(vf_qmat *m, size_t r, size_t c, const char *const *v)
{
    vf_err e;
    cr_assert_eq(vf_qmat_init(m, r, c, &e), VF_OK);
    for (size_t i = 0; i < r * c; i++)
        cr_assert_eq(vf_q_set_str(m->a[i], v[i], &e), VF_OK, "%s", e.msg);
}

static void expect_str(const mpq_t q, const char *want)
{
    char *s = vf_q_str(q);
    cr_expect_str_eq(s, want);
    free(s);
}

/* H^2 = H, H^T = H, HX = X (X may be rank-deficient: H is then the pinv projector). */
static void assert_projector_of(const vf_qmat *h, const vf_qmat *x)
{
    vf_err e;
    vf_qmat h2 = {0}, ht = {0}, hx = {0};
    cr_assert_eq(vf_qmat_init(&h2, h->rows, h->cols, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&ht, h->rows, h->cols, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&hx, x->rows, x->cols, &e), VF_OK);
    cr_assert_eq(vf_qmat_mul(&h2, h, h, &e), VF_OK);
    cr_assert_eq(vf_qmat_transpose(&ht, h, &e), VF_OK);
    cr_assert_eq(vf_qmat_mul(&hx, h, x, &e), VF_OK);
    cr_assert(vf_qmat_equal(&h2, h), "H^2 != H");
    cr_assert(vf_qmat_equal(&ht, h), "H^T != H");
    cr_assert(vf_qmat_equal(&hx, x), "HX != X");
    vf_qmat_clear(&h2);
    vf_qmat_clear(&ht);
    vf_qmat_clear(&hx);
}

static const char *const X3[] = {"1", "0", "0", "1", "1", "1"}; /* 3x2 */
static const char *const Y3[] = {"1", "2", "4"};

Test(ols_ref, beta_hat_by_hand)
{
    /* G = [[2,1],[1,2]], X^T y = [5,6], beta = G^-1 [5,6] = [4/3, 7/3]. */
    vf_err e;
    vf_qmat x = {0}, y = {0}, beta = {0}, fit = {0}, res = {0};
    qm(&x, 3, 2, X3);
    qm(&y, 3, 1, Y3);
    cr_assert_eq(vf_ref_ols_beta_q(&beta, &x, &y, &e), VF_OK, "%s", e.msg);
    expect_str(VF_Q(&beta, 0, 0), "4/3");
    expect_str(VF_Q(&beta, 1, 0), "7/3");
    cr_assert_eq(vf_ref_ols_fit_q(&fit, &res, &x, &y, &e), VF_OK);
    expect_str(VF_Q(&fit, 2, 0), "11/3");
    expect_str(VF_Q(&res, 2, 0), "1/3");
    vf_qmat *all[] = {&x, &y, &beta, &fit, &res};
    for (size_t i = 0; i < 5; i++)
        vf_qmat_clear(all[i]);
}

Test(ols_ref, hat_is_a_projector_with_trace_d)
{
    vf_err e;
    vf_qmat x = {0}, h = {0};
    cr_assert_eq(vf_qmat_init(&x, 9, 4, &e), VF_OK);
    vf_qgen_small(&x, 5, 1, 7, 5);
    cr_assert_eq(vf_ref_ols_hat_q(&h, &x, &e), VF_OK, "%s", e.msg);
    assert_projector_of(&h, &x);
    mpq_t tr;
    mpq_init(tr);
    for (size_t i = 0; i < 9; i++)
        mpq_add(tr, tr, VF_Q(&h, i, i));
    cr_assert_eq(mpq_cmp_ui(tr, 4, 1), 0);
    mpq_clear(tr);
    vf_qmat_clear(&x);
    vf_qmat_clear(&h);
}

Test(ols_edge, n_equals_d_gives_identity)
{
    vf_err e;
    vf_qmat x = {0}, h = {0}, id = {0};
    cr_assert_eq(vf_qmat_init(&x, 4, 4, &e), VF_OK);
    vf_qgen_small(&x, 3, 2, 5, 3);
    cr_assert_eq(vf_qmat_init(&id, 4, 4, &e), VF_OK);
    vf_qmat_set_identity(&id);
    cr_assert_eq(vf_ref_ols_hat_q(&h, &x, &e), VF_OK, "%s", e.msg);
    cr_assert(vf_qmat_equal(&h, &id), "H = I_n when n = d");
    vf_qmat_clear(&x);
    vf_qmat_clear(&h);
    vf_qmat_clear(&id);
}

/* Each singular design is rejected by the invertible API with a message naming the rank. */
static void expect_singular(const vf_qmat *x, const char *rank_text)
{
    vf_err e;
    vf_qmat h = {0}, wq = {0}, wk = {0};
    cr_assert_eq(vf_ref_ols_hat_q(&h, x, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, rank_text), "message names the rank: %s", e.msg);
    cr_assert_eq(vf_ref_ols_construct_q(&wq, &wk, x, VF_OLS_CONS_LDLT, 0, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, rank_text), "%s", e.msg);
    cr_assert_null(h.a);
    cr_assert_null(wq.a);
}

Test(ols_edge, singular_designs_are_domain_errors_naming_the_rank)
{
    vf_err e;
    vf_qmat x = {0};
    /* duplicate column */
    const char *dup[] = {"1", "1", "2", "2", "3", "3"};
    qm(&x, 3, 2, dup);
    expect_singular(&x, "rank X = 1 < d = 2");
    vf_qmat_clear(&x);
    /* zero column */
    const char *zero[] = {"1", "0", "2", "0", "3", "0"};
    qm(&x, 3, 2, zero);
    expect_singular(&x, "rank X = 1 < d = 2");
    vf_qmat_clear(&x);
    /* n < d */
    cr_assert_eq(vf_qmat_init(&x, 2, 3, &e), VF_OK);
    vf_qgen_small(&x, 1, 1, 5, 3);
    expect_singular(&x, "rank X = 2 < d = 3");
    vf_qmat_clear(&x);
}

Test(ols_edge, pinv_route_projects_onto_col_x)
{
    vf_err e;
    vf_qmat x = {0}, h = {0};
    size_t cols[4], rank = 0;
    /* columns: a, 2a, 0, b  -> rank 2, subset {0, 3} */
    const char *v[] = {"1", "2", "0", "1", "2", "4", "0", "-1", "3", "6", "0", "5", "1", "2", "0", "0"};
    qm(&x, 4, 4, v);
    cr_assert_eq(vf_ref_ols_hat_pinv_q(&h, cols, &rank, &x, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(rank, 2);
    cr_assert_eq(cols[0], 0);
    cr_assert_eq(cols[1], 3);
    assert_projector_of(&h, &x);
    vf_qmat_clear(&h);
    vf_qmat_clear(&x);
    /* n < d: H = I_n; X = 0: H = 0 */
    cr_assert_eq(vf_qmat_init(&x, 2, 5, &e), VF_OK);
    vf_qgen_small(&x, 2, 2, 5, 3);
    cr_assert_eq(vf_ref_ols_hat_pinv_q(&h, NULL, &rank, &x, &e), VF_OK);
    cr_assert_eq(rank, 2);
    cr_assert(mpq_cmp_ui(VF_Q(&h, 0, 0), 1, 1) == 0 && mpq_sgn(VF_Q(&h, 0, 1)) == 0 &&
              mpq_cmp_ui(VF_Q(&h, 1, 1), 1, 1) == 0);
    vf_qmat_clear(&h);
    vf_qmat_clear(&x);
    cr_assert_eq(vf_qmat_init(&x, 3, 2, &e), VF_OK);
    cr_assert_eq(vf_ref_ols_hat_pinv_q(&h, NULL, &rank, &x, &e), VF_OK);
    cr_assert_eq(rank, 0);
    cr_assert(vf_qmat_is_zero(&h) && h.rows == 3 && h.cols == 3);
    vf_qmat_clear(&h);
    vf_qmat_clear(&x);
}

Test(ols_edge, y_in_col_x_and_y_zero_have_zero_residual)
{
    vf_err e;
    vf_qmat x = {0}, b = {0}, y = {0}, res = {0};
    cr_assert_eq(vf_qmat_init(&x, 7, 3, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&b, 3, 1, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&y, 7, 1, &e), VF_OK);
    vf_qgen_small(&x, 9, 1, 6, 4);
    vf_qgen_small(&b, 9, 2, 6, 4);
    cr_assert_eq(vf_qmat_mul(&y, &x, &b, &e), VF_OK);
    cr_assert_eq(vf_ref_ols_fit_q(NULL, &res, &x, &y, &e), VF_OK);
    cr_assert(vf_qmat_is_zero(&res), "y = Xb is fitted exactly");
    vf_qmat_clear(&res);
    for (size_t i = 0; i < 7; i++)
        mpq_set_ui(VF_Q(&y, i, 0), 0, 1);
    cr_assert_eq(vf_ref_ols_fit_q(NULL, &res, &x, &y, &e), VF_OK);
    cr_assert(vf_qmat_is_zero(&res), "y = 0");
    vf_qmat *all[] = {&x, &b, &y, &res};
    for (size_t i = 0; i < 4; i++)
        vf_qmat_clear(all[i]);
}

Test(ols_edge, ill_conditioned_known_kappa_still_exact)
{
    vf_err e;
    vf_qmat x = {0}, h = {0};
    mpq_t kappa;
    mpq_init(kappa);
    mpq_set_ui(kappa, 100000000, 1); /* kappa(X) = 1e8, kappa(G) = 1e16: float64 would fail */
    cr_assert_eq(vf_qmat_init(&x, 10, 4, &e), VF_OK);
    cr_assert_eq(vf_qgen_known_kappa(&x, 10, 4, kappa, 11, 3, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(vf_ref_ols_hat_q(&h, &x, &e), VF_OK, "%s", e.msg);
    assert_projector_of(&h, &x);
    mpq_clear(kappa);
    vf_qmat_clear(&x);
    vf_qmat_clear(&h);
}

Test(ols_ref, intercept_hat_equals_hat_of_augmented_design)
{
    vf_err e;
    vf_qmat x = {0}, x1 = {0}, ht = {0}, h1 = {0};
    cr_assert_eq(vf_qmat_init(&x, 8, 2, &e), VF_OK);
    vf_qgen_small(&x, 4, 4, 6, 3);
    cr_assert_eq(vf_qmat_init(&x1, 8, 3, &e), VF_OK);
    for (size_t i = 0; i < 8; i++) {
        mpq_set_ui(VF_Q(&x1, i, 0), 1, 1);
        mpq_set(VF_Q(&x1, i, 1), VF_Q(&x, i, 0));
        mpq_set(VF_Q(&x1, i, 2), VF_Q(&x, i, 1));
    }
    cr_assert_eq(vf_ref_ols_hat_intercept_q(&ht, &x, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(vf_ref_ols_hat_q(&h1, &x1, &e), VF_OK);
    cr_assert(vf_qmat_equal(&ht, &h1));
    vf_qmat *all[] = {&x, &x1, &ht, &h1};
    for (size_t i = 0; i < 4; i++)
        vf_qmat_clear(all[i]);
}

Test(ols_lt, residual_form_needs_the_halved_head)
{
    vf_err e;
    vf_qmat x = {0}, y = {0}, wq = {0}, wk = {0}, wp = {0}, wp2 = {0}, out = {0}, out2 = {0},
            h = {0}, hy = {0};
    qm(&x, 3, 2, X3);
    qm(&y, 3, 1, Y3);
    cr_assert_eq(vf_ref_ols_construct_q(&wq, &wk, &x, VF_OLS_CONS_INVERSE, 0, &e), VF_OK);
    cr_assert_eq(vf_ref_ols_head_q(&wp, &wq, &x, &y, VF_LT_RESIDUAL, &e), VF_OK);
    cr_assert_eq(vf_ref_ols_head_q(&wp2, &wq, &x, &y, 0, &e), VF_OK);
    vf_lt_params p = {.wq = &wq, .wk = &wk, .wv = &wk, .wp = &wp};
    cr_assert_eq(vf_ref_lt_reading_a_q(&out, &x, &p, VF_LT_RESIDUAL, &e), VF_OK, "%s", e.msg);
    p.wp = &wp2;
    cr_assert_eq(vf_ref_lt_reading_a_q(&out2, &x, &p, VF_LT_RESIDUAL, &e), VF_OK);
    cr_assert_eq(vf_ref_ols_hat_q(&h, &x, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&hy, 3, 1, &e), VF_OK);
    cr_assert_eq(vf_qmat_mul(&hy, &h, &y, &e), VF_OK);
    cr_assert(vf_qmat_equal(&out, &hy), "residual + halved head = Hy");
    mpq_t two;
    mpq_init(two);
    mpq_set_ui(two, 2, 1);
    cr_assert_eq(vf_qmat_scale(&hy, two, &hy, &e), VF_OK);
    cr_assert(vf_qmat_equal(&out2, &hy), "residual + unhalved head = 2Hy");
    mpq_clear(two);
    vf_qmat *all[] = {&x, &y, &wq, &wk, &wp, &wp2, &out, &out2, &h, &hy};
    for (size_t i = 0; i < 10; i++)
        vf_qmat_clear(all[i]);
}

Test(ols_lt, reading_b_rejects_residual_and_bad_shapes)
{
    vf_err e;
    vf_qmat x = {0}, y = {0}, wq = {0}, wk = {0}, out = {0};
    qm(&x, 3, 2, X3);
    qm(&y, 2, 1, Y3);
    cr_assert_eq(vf_ref_ols_construct_q(&wq, &wk, &x, VF_OLS_CONS_LDLT, 0, &e), VF_OK);
    vf_lt_params p = {.wq = &wq, .wk = &wk};
    cr_assert_eq(vf_ref_lt_reading_b_q(&out, &x, &x, &y, &p, VF_LT_RESIDUAL, &e), VF_E_USAGE);
    cr_assert_eq(vf_ref_lt_reading_b_q(&out, &x, &x, &y, &p, 0, &e), VF_E_SHAPE);
    cr_assert(strstr(e.msg, "2 rows"), "%s", e.msg);
    vf_qmat *all[] = {&x, &y, &wq, &wk, &out};
    for (size_t i = 0; i < 5; i++)
        vf_qmat_clear(all[i]);
}

Test(ols_eig, jacobi_certifies_a_known_spectrum)
{
    /* [[2,1],[1,2]] has eigenvalues 1 and 3. */
    vf_err e;
    vf_qmat g = {0};
    const char *v[] = {"2", "1", "1", "2"};
    qm(&g, 2, 2, v);
    vf_eig eig;
    vf_eig_cert c;
    vf_imat lam = {0};
    cr_assert_eq(vf_ref_eig_sym(&eig, &g, 200, &e), VF_OK, "%s", e.msg);
    cr_assert(eig.converged);
    cr_assert_eq(vf_ref_eig_certify(&c, &lam, &eig, &g, &e), VF_OK, "%s", e.msg);
    cr_assert(c.separated && c.positive);
    cr_assert_geq(c.resid_bits, 180);
    cr_assert_geq(c.orth_bits, 180);
    int has1 = 0, has3 = 0;
    for (size_t j = 0; j < 2; j++) {
        has1 |= mpfi_is_inside_ui(1, VF_I(&lam, j, 0)) > 0;
        has3 |= mpfi_is_inside_ui(3, VF_I(&lam, j, 0)) > 0;
    }
    cr_assert(has1 && has3, "enclosures contain the true eigenvalues");
    vf_imat_clear(&lam);
    vf_ref_eig_clear(&eig);
    vf_qmat_clear(&g);
}

Test(ols_eig, rejects_non_symmetric_and_indefinite)
{
    vf_err e;
    vf_qmat g = {0};
    vf_eig eig;
    vf_imat l = {0};
    const char *ns[] = {"2", "1", "0", "2"}, *ind[] = {"1", "2", "2", "1"};
    qm(&g, 2, 2, ns);
    cr_assert_eq(vf_ref_eig_sym(&eig, &g, 128, &e), VF_E_DOMAIN);
    vf_qmat_clear(&g);
    qm(&g, 2, 2, ind); /* eigenvalues 3 and -1 */
    cr_assert_eq(vf_ref_eig_sym(&eig, &g, 128, &e), VF_OK);
    cr_assert_eq(vf_ref_eig_whitener(&l, &eig, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "not positive definite"), "%s", e.msg);
    vf_ref_eig_clear(&eig);
    vf_qmat_clear(&g);
}

Test(ols_eig, magnitude_bits)
{
    mpfi_t x;
    mpfi_init2(x, 64);
    mpfi_set_ui(x, 0);
    cr_assert_eq(vf_ref_iv_mag_bits(x), 64);
    mpfi_interv_si(x, -1, 1);
    mpfi_div_2ui(x, x, 10); /* [-2^-10, 2^-10] */
    cr_assert_eq(vf_ref_iv_mag_bits(x), 10);
    mpfi_interv_si(x, -3, 1);
    mpfi_div_2ui(x, x, 10); /* |v| <= 3 * 2^-10 < 2^-8 */
    cr_assert_eq(vf_ref_iv_mag_bits(x), 8);
    mpfi_clear(x);
}

/* ---------------------------------------------------------------- claims */

static vf_verdict run_claim(const char *id, uint64_t seed, size_t n, size_t d, vf_claim_result *r)
{
    vf_claim_opts o;
    vf_claim_opts_default(&o);
    o.seed = seed;
    o.n = n;
    o.d = d;
    return claim_run_checked(id, &o, r);
}

static const char *const ols_ids[] = {
    "ols.hat_matrix",     "ols.normal_equations", "ols.scores_equal_hat",  "ols.reading_b",
    "ols.reading_a",      "ols.reading_a_spectral", "ols.gauge",           "ols.intercept",
    "ols.spectral_inverse", "ols.pinv_projector", "ols.paper_experiment",  "ols.distribution_shift"};
#define N_IDS (sizeof ols_ids / sizeof ols_ids[0])

Test(ols_claims, every_claim_gets_its_expected_verdict_on_several_seeds_and_sizes)
{
    const size_t sizes[][2] = {{0, 0}, {5, 2}, {4, 4}, {9, 1}};
    for (uint64_t seed = 1; seed <= 3; seed++)
        for (size_t s = 0; s < 4; s++)
            for (size_t i = 0; i < N_IDS; i++) {
                vf_claim_result r;
                const vf_claim *c = vf_claim_find(ols_ids[i]);
                vf_verdict v = run_claim(ols_ids[i], seed, sizes[s][0], sizes[s][1], &r);
                /* with an intercept n = d points cannot determine d + 1 parameters: the centred
                 * design has rank n - 1 < d, a failed hypothesis */
                vf_verdict want = sizes[s][0] == 4 && !strcmp(ols_ids[i], "ols.intercept")
                                      ? VF_INVALID_INPUT
                                      : c->expected;
                cr_expect_eq(v, want, "%s seed %lu n %zu d %zu: %s (%s)", ols_ids[i],
                             (unsigned long)seed, sizes[s][0], sizes[s][1], vf_verdict_name(v),
                             r.summary);
                if (v == VF_CERTIFIED)
                    cr_expect_geq(r.bits, 128, "%s: %ld bits", ols_ids[i], r.bits);
                vf_claim_result_clear(&r);
            }
}

Test(ols_claims, n_less_than_d_is_invalid_input_naming_the_rank)
{
    const char *ids[] = {"ols.hat_matrix", "ols.scores_equal_hat", "ols.reading_a",
                         "ols.reading_b", "ols.spectral_inverse", "ols.reading_a_spectral"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        vf_claim_result r;
        cr_expect_eq(run_claim(ids[i], 7, 2, 3, &r), VF_INVALID_INPUT, "%s", ids[i]);
        cr_expect(strstr(r.summary, "rank X = 2 < d = 3"), "%s: %s", ids[i], r.summary);
        vf_claim_result_clear(&r);
    }
}

Test(ols_claims, paper_experiment_prints_slow_and_fast_memory)
{
    vf_claim_result r;
    cr_assert_eq(run_claim("ols.paper_experiment", 20261123, 0, 0, &r), VF_HELD_EXACT, "%s",
                 r.summary);
    const char *keys[] = {"beta_hat", "slow_W_Q", "slow_W_K", "slow_W_p", "fast_scores", "yhat"};
    for (size_t i = 0; i < 6; i++)
        cr_expect_not_null(vf_claim_note_get(&r, keys[i]), "note %s", keys[i]);
    vf_claim_result_clear(&r);
}

Test(ols_claims, distribution_shift_counterexample_prints_m_prime)
{
    vf_claim_result r;
    cr_assert_eq(run_claim("ols.distribution_shift", 20261123, 0, 0, &r), VF_REFUTED);
    cr_expect_not_null(vf_claim_note_get(&r, "M_prime"));
    cr_expect_not_null(vf_claim_note_get(&r, "counterexample"));
    const char *b = vf_claim_note_get(&r, "reading_b");
    cr_expect(b && strstr(b, "exactly"), "reading B with the fixed context still works");
    vf_claim_result_clear(&r);
}

Test(ols_claims, n_equals_d_notes_interpolation)
{
    vf_claim_result r;
    cr_assert_eq(run_claim("ols.hat_matrix", 3, 3, 3, &r), VF_HELD_EXACT, "%s", r.summary);
    const char *s = vf_claim_note_get(&r, "n_equals_d");
    cr_expect(s && strstr(s, "H = I_3"), "%s", s ? s : "(none)");
    vf_claim_result_clear(&r);
}
