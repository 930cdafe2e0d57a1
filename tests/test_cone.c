/* Lorentz cone, CoLU, rCoLU: the kernels (branches, boundaries, apex, r = 0, Pythagorean
 * exactness, certified enclosures, interval boxes) and the cone claims' verdicts. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vf_claims.h"
#include "vf_cone.h"
#include "vf_npy.h"

/* x = the rationals in s (n x 1). */
static void setq(vf_qmat *x, const char *const *s, size_t n)
{
    vf_err e;
    cr_assert_eq(vf_qmat_init(x, n, 1, &e), VF_OK);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(vf_q_set_str(x->a[i], s[i], &e), VF_OK, "%s", s[i]);
}

/* Runs op on the group in and checks an exact result want (strings) and the branch. */
static void expect_exact(vf_cone_op op, const char *const *in, const char *const *want, size_t n,
                         vf_cone_branch br_want)
{
    vf_err e;
    vf_qmat x = {0};
    vf_cone_val y = {0};
    vf_cone_branch br;
    setq(&x, in, n);
    cr_assert_eq(vf_cone_val_init(&y, n, 64, &e), VF_OK);
    cr_assert_eq(vf_ref_cone(&y, &br, &x, op, &e), VF_OK, "%s", e.msg);
    cr_expect(y.exact, "%s(%s, ...) should be exact", vf_cone_op_name(op), in[0]);
    cr_expect_eq(br, br_want, "%s(%s, %s, ...): branch %s, want %s", vf_cone_op_name(op), in[0],
                 n > 1 ? in[1] : "", vf_cone_branch_name(br), vf_cone_branch_name(br_want));
    for (size_t i = 0; i < n; i++) {
        char *s = vf_q_str(y.q.a[i]);
        cr_expect_str_eq(s, want[i], "%s(%s, ...)[%zu]", vf_cone_op_name(op), in[0], i);
        free(s);
        cr_expect(mpfi_is_inside_q(y.q.a[i], y.iv.a[i]), "enclosure holds the exact value");
    }
    vf_cone_val_clear(&y);
    vf_qmat_clear(&x);
}

Test(cone_kernel, qsqrt_detects_rational_squares)
{
    const char *in[] = {"9/4", "2", "0", "-1/4", "8/18", "1/3"};
    const char *want[] = {"3/2", NULL, "0", NULL, "2/3", NULL};
    vf_err e;
    mpq_t a, r;
    mpq_inits(a, r, NULL);
    for (int i = 0; i < 6; i++) {
        cr_assert_eq(vf_q_set_str(a, in[i], &e), VF_OK);
        mpq_set_si(r, -7, 1);
        int ok = vf_cone_qsqrt(r, a);
        cr_expect_eq(ok, want[i] != NULL, "%s", in[i]);
        char *s = vf_q_str(r);
        cr_expect_str_eq(s, want[i] ? want[i] : "-7", "%s: root untouched when not a square",
                         in[i]);
        free(s);
    }
    mpq_clears(a, r, NULL);
}

Test(cone_kernel, projection_branches_and_boundaries)
{
    /* |w| = t exactly: identity; |w| = -t: zero; (1/2, 3, 4): the boundary ray, r = 5 */
    expect_exact(VF_CONE_PROJ, (const char *[]){"5", "3", "4"}, (const char *[]){"5", "3", "4"},
                 3, VF_BR_IDENTITY);
    expect_exact(VF_CONE_PROJ, (const char *[]){"-5", "3", "4"}, (const char *[]){"0", "0", "0"},
                 3, VF_BR_ZERO);
    expect_exact(VF_CONE_PROJ, (const char *[]){"1/2", "3", "4"},
                 (const char *[]){"11/4", "33/20", "11/5"}, 3, VF_BR_SCALED);
    expect_exact(VF_CONE_PROJ, (const char *[]){"7", "3", "-4"}, (const char *[]){"7", "3", "-4"},
                 3, VF_BR_IDENTITY);
    /* apex, t = 0 with w != 0, r = 0 with either sign of t */
    expect_exact(VF_CONE_PROJ, (const char *[]){"0", "0", "0"}, (const char *[]){"0", "0", "0"},
                 3, VF_BR_IDENTITY);
    expect_exact(VF_CONE_PROJ, (const char *[]){"0", "3", "4"},
                 (const char *[]){"5/2", "3/2", "2"}, 3, VF_BR_SCALED);
    expect_exact(VF_CONE_PROJ, (const char *[]){"-2", "0", "0"}, (const char *[]){"0", "0", "0"},
                 3, VF_BR_ZERO);
    expect_exact(VF_CONE_PROJ, (const char *[]){"2", "0", "0"}, (const char *[]){"2", "0", "0"},
                 3, VF_BR_IDENTITY);
    /* S = 1: the cone is t >= 0, P_L = ReLU */
    expect_exact(VF_CONE_PROJ, (const char *[]){"-3"}, (const char *[]){"0"}, 1, VF_BR_ZERO);
    expect_exact(VF_CONE_PROJ, (const char *[]){"3"}, (const char *[]){"3"}, 1,
                 VF_BR_IDENTITY);
    /* Pythagorean in 4-d: |(2, 3, 6)| = 7 */
    expect_exact(VF_CONE_PROJ, (const char *[]){"1", "2", "3", "6"},
                 (const char *[]){"4", "8/7", "12/7", "24/7"}, 4, VF_BR_SCALED);
}

Test(cone_kernel, colu_current_and_old_definitions)
{
    const char *v[] = {"1/2", "3", "4"};
    expect_exact(VF_CONE_COLU, v, (const char *[]){"1/2", "3/10", "2/5"}, 3, VF_BR_SCALED);
    expect_exact(VF_CONE_COLU_OLD, v, (const char *[]){"1/2", "3/10", "2/5"}, 3, VF_BR_SCALED);
    /* boundary |w| = t: factor exactly 1 */
    expect_exact(VF_CONE_COLU, (const char *[]){"5", "3", "4"}, (const char *[]){"5", "3", "4"},
                 3, VF_BR_IDENTITY);
    /* t < 0: current zeroes everything, old keeps the apex */
    expect_exact(VF_CONE_COLU, (const char *[]){"-1", "3", "4"}, (const char *[]){"0", "0", "0"},
                 3, VF_BR_ZERO);
    expect_exact(VF_CONE_COLU_OLD, (const char *[]){"-1", "3", "4"},
                 (const char *[]){"-1", "0", "0"}, 3, VF_BR_ZERO);
    /* t = 0 (apex of the cone, w != 0): output 0 */
    expect_exact(VF_CONE_COLU, (const char *[]){"0", "3", "4"}, (const char *[]){"0", "0", "0"},
                 3, VF_BR_ZERO);
    /* r = 0: the explicit branch (no eps) */
    expect_exact(VF_CONE_COLU, (const char *[]){"2", "0", "0"}, (const char *[]){"2", "0", "0"},
                 3, VF_BR_IDENTITY);
    expect_exact(VF_CONE_COLU, (const char *[]){"-2", "0", "0"}, (const char *[]){"0", "0", "0"},
                 3, VF_BR_ZERO);
    expect_exact(VF_CONE_COLU_OLD, (const char *[]){"-2", "0", "0"},
                 (const char *[]){"-2", "0", "0"}, 3, VF_BR_ZERO);
    expect_exact(VF_CONE_COLU, (const char *[]){"0", "0", "0"}, (const char *[]){"0", "0", "0"},
                 3, VF_BR_ZERO);
    /* S = 1: ReLU (current), identity (old formula) */
    expect_exact(VF_CONE_COLU, (const char *[]){"-3"}, (const char *[]){"0"}, 1, VF_BR_ZERO);
    expect_exact(VF_CONE_COLU_OLD, (const char *[]){"-3"}, (const char *[]){"-3"}, 1,
                 VF_BR_ZERO);
}

Test(cone_kernel, tiny_r_is_exactly_homogeneous_without_eps)
{
    /* With the code's eps = 1e-7 the factor of h x for h = 1e-9 would be ~ t/(r + eps): far from
     * t/r.  The reference has no eps: CoLU(h x) = h CoLU(x) exactly. */
    expect_exact(VF_CONE_COLU, (const char *[]){"1/2000000000", "3/1000000000", "4/1000000000"},
                 (const char *[]){"1/2000000000", "3/10000000000", "1/2500000000"}, 3,
                 VF_BR_SCALED);
}

Test(cone_kernel, rcolu_on_the_homogeneous_axis)
{
    /* mean 1/4, t = sqrt(4)/4 = 1/2, w = (1, 1, -1, -1)/2 with r = 1: factor 1/2 exactly */
    const char *x[] = {"3/4", "3/4", "-1/4", "-1/4"};
    expect_exact(VF_CONE_RCOLU, x, (const char *[]){"1/2", "1/2", "0", "0"}, 4, VF_BR_SCALED);
    expect_exact(VF_CONE_RCOLU_OLD, x, (const char *[]){"1/2", "1/2", "0", "0"}, 4,
                 VF_BR_SCALED);
    /* permutations fix the axis: rCoLU(pi x) = pi rCoLU(x) */
    expect_exact(VF_CONE_RCOLU, (const char *[]){"-1/4", "3/4", "-1/4", "3/4"},
                 (const char *[]){"0", "1/2", "0", "1/2"}, 4, VF_BR_SCALED);
    /* negative mean: 0 (current), mean * (1, .., 1) (old) */
    expect_exact(VF_CONE_RCOLU, (const char *[]){"-1", "0", "0", "0"},
                 (const char *[]){"0", "0", "0", "0"}, 4, VF_BR_ZERO);
    expect_exact(VF_CONE_RCOLU_OLD, (const char *[]){"-1", "0", "0", "0"},
                 (const char *[]){"-1/4", "-1/4", "-1/4", "-1/4"}, 4, VF_BR_ZERO);
    /* on the axis (r = 0) and S = 1 */
    expect_exact(VF_CONE_RCOLU, (const char *[]){"2", "2", "2"}, (const char *[]){"2", "2", "2"},
                 3, VF_BR_IDENTITY);
    expect_exact(VF_CONE_RCOLU, (const char *[]){"-5/2"}, (const char *[]){"0"}, 1, VF_BR_ZERO);
}

/* Enclosure check: y (not exact) encloses want = expected values at 256 bits, tightly. */
static void expect_encloses(const vf_cone_val *y, mpfi_t *want, size_t n)
{
    cr_expect(!y->exact, "irrational result must not be flagged exact");
    for (size_t i = 0; i < n; i++) {
        cr_expect_eq(mpq_sgn(y->q.a[i]), 0, "q zeroed when not exact");
        mpfi_t d;
        mpfi_init2(d, 256);
        mpfi_intersect(d, y->iv.a[i], want[i]);
        cr_expect(!mpfi_is_empty(d), "entry %zu: enclosure misses the value", i);
        cr_expect_geq(vf_iv_abs_bits(y->iv.a[i]), 100, "entry %zu: enclosure too wide", i);
        mpfi_clear(d);
    }
}

Test(cone_kernel, irrational_norm_gives_certified_enclosures)
{
    vf_err e;
    vf_qmat x = {0};
    vf_cone_val y = {0};
    vf_cone_branch br;
    setq(&x, (const char *[]){"1", "1", "1"}, 3);
    cr_assert_eq(vf_cone_val_init(&y, 3, 128, &e), VF_OK);
    mpfi_t s2, want[3];
    mpfi_init2(s2, 256);
    for (int i = 0; i < 3; i++)
        mpfi_init2(want[i], 256);
    mpfi_set_ui(s2, 2);
    mpfi_sqrt(s2, s2);
    /* P_L(1, 1, 1): r = sqrt 2, c = (1 + sqrt 2)/2, y_w = c/sqrt 2 (1, 1) */
    mpfi_add_ui(want[0], s2, 1);
    mpfi_div_ui(want[0], want[0], 2);
    mpfi_div(want[1], want[0], s2);
    mpfi_set(want[2], want[1]);
    cr_assert_eq(vf_ref_cone(&y, &br, &x, VF_CONE_PROJ, &e), VF_OK);
    cr_expect_eq(br, VF_BR_SCALED);
    expect_encloses(&y, want, 3);
    /* CoLU(1, 1, 1) = (1, 1/sqrt 2, 1/sqrt 2) */
    mpfi_set_ui(want[0], 1);
    mpfi_ui_div(want[1], 1, s2);
    mpfi_set(want[2], want[1]);
    cr_assert_eq(vf_ref_cone(&y, &br, &x, VF_CONE_COLU, &e), VF_OK);
    cr_expect_eq(br, VF_BR_SCALED);
    cr_expect(mpfi_is_inside_ui(1, y.iv.a[0]));
    expect_encloses(&y, want + 1, 0);
    for (int i = 1; i < 3; i++) {
        mpfi_t d;
        mpfi_init2(d, 256);
        mpfi_intersect(d, y.iv.a[i], want[i]);
        cr_expect(!mpfi_is_empty(d));
        mpfi_clear(d);
    }
    mpfi_clear(s2);
    for (int i = 0; i < 3; i++)
        mpfi_clear(want[i]);
    vf_cone_val_clear(&y);
    vf_qmat_clear(&x);
}

Test(cone_kernel, groups_apex_first_and_errors)
{
    vf_err e;
    vf_qmat x = {0}, bad = {0};
    vf_cone_val y = {0}, y4 = {0};
    vf_cone_branch br[3];
    setq(&x, (const char *[]){"1/2", "3", "4", "-1", "3", "4", "5", "3", "4"}, 9);
    cr_assert_eq(vf_cone_val_init(&y, 9, 64, &e), VF_OK);
    cr_assert_eq(vf_ref_cone_groups(&y, br, &x, 3, VF_CONE_COLU, &e), VF_OK);
    const char *want[] = {"1/2", "3/10", "2/5", "0", "0", "0", "5", "3", "4"};
    cr_expect(y.exact);
    for (int i = 0; i < 9; i++) {
        char *s = vf_q_str(y.q.a[i]);
        cr_expect_str_eq(s, want[i]);
        free(s);
    }
    cr_expect(br[0] == VF_BR_SCALED && br[1] == VF_BR_ZERO && br[2] == VF_BR_IDENTITY);
    /* one irrational group makes the whole result inexact (q zeroed), enclosures still hold */
    mpq_set_ui(x.a[5], 1, 1); /* group 2 = (-1, 3, 1): zero branch, still exact */
    mpq_set_ui(x.a[8], 1, 1); /* group 3 = (5, 3, 1): r = sqrt 10 < 5: identity, exact */
    mpq_set_ui(x.a[2], 1, 1); /* group 1 = (1/2, 3, 1): r = sqrt 10, scaled: irrational */
    cr_assert_eq(vf_ref_cone_groups(&y, NULL, &x, 3, VF_CONE_COLU, &e), VF_OK);
    cr_expect(!y.exact);
    cr_expect(vf_qmat_is_zero(&y.q));
    cr_expect(mpfi_is_inside_ui(5, y.iv.a[6]));
    /* errors */
    cr_expect_eq(vf_ref_cone_groups(&y, NULL, &x, 0, VF_CONE_COLU, &e), VF_E_USAGE);
    cr_expect_eq(vf_ref_cone_groups(&y, NULL, &x, 4, VF_CONE_COLU, &e), VF_E_SHAPE);
    cr_expect_eq(vf_ref_cone_groups(&y, NULL, &x, 3, (vf_cone_op)42, &e), VF_E_USAGE);
    cr_assert_eq(vf_cone_val_init(&y4, 4, 64, &e), VF_OK);
    cr_expect_eq(vf_ref_cone_groups(&y4, NULL, &x, 3, VF_CONE_PROJ, &e), VF_E_SHAPE);
    cr_assert_eq(vf_qmat_init(&bad, 1, 3, &e), VF_OK);
    cr_expect_eq(vf_ref_cone(&y4, NULL, &bad, VF_CONE_PROJ, &e), VF_E_SHAPE);
    cr_expect(strstr(e.msg, "1x3"), "message names the shape: %s", e.msg);
    vf_cone_val_clear(&y);
    vf_cone_val_clear(&y4);
    vf_cone_val_clear(&y4); /* twice is safe */
    vf_qmat_clear(&x);
    vf_qmat_clear(&bad);
}

/* The box kernel on point boxes encloses the exact kernel's value, for every op and a set of
 * points covering every branch and boundary; on the irrational P_L(1, 1, 1), which sits on the
 * boundary of L, it must take the hull and still be tight (idempotence). */
Test(cone_kernel, interval_boxes_enclose_every_branch)
{
    static const char *pts[][3] = {{"5", "3", "4"},  {"-5", "3", "4"}, {"1/2", "3", "4"},
                                   {"0", "0", "0"},  {"0", "3", "4"},  {"-2", "0", "0"},
                                   {"2", "0", "0"},  {"7", "3", "-4"}, {"-1/2", "3", "4"}};
    vf_err e;
    for (int op = 0; op < VF_CONE__COUNT; op++)
        for (size_t k = 0; k < sizeof pts / sizeof pts[0]; k++) {
            vf_qmat x = {0};
            vf_imat xb = {0}, yb = {0};
            vf_cone_val y = {0};
            setq(&x, pts[k], 3);
            cr_assert_eq(vf_cone_val_init(&y, 3, 128, &e), VF_OK);
            cr_assert_eq(vf_ref_cone(&y, NULL, &x, (vf_cone_op)op, &e), VF_OK);
            cr_assert_eq(vf_imat_init(&xb, 3, 1, 128, &e), VF_OK);
            cr_assert_eq(vf_imat_init(&yb, 3, 1, 128, &e), VF_OK);
            cr_assert_eq(vf_imat_from_q(&xb, &x, &e), VF_OK);
            cr_assert_eq(vf_ref_cone_iv(&yb, &xb, (vf_cone_op)op, &e), VF_OK);
            /* exact values must lie inside the box's enclosure; enclosures (rCoLU off its
             * Pythagorean points) must meet it */
            for (int i = 0; i < 3; i++) {
                mpfi_t d;
                mpfi_init2(d, 128);
                mpfi_intersect(d, yb.a[i], y.iv.a[i]);
                cr_expect(y.exact ? mpfi_is_inside_q(y.q.a[i], yb.a[i]) : !mpfi_is_empty(d),
                          "%s(%s, %s, %s)[%d]", vf_cone_op_name((vf_cone_op)op), pts[k][0],
                          pts[k][1], pts[k][2], i);
                mpfi_clear(d);
            }
            vf_qmat_clear(&x);
            vf_imat_clear(&xb);
            vf_imat_clear(&yb);
            vf_cone_val_clear(&y);
        }
    vf_qmat x = {0};
    vf_cone_val y = {0};
    vf_imat yy = {0};
    setq(&x, (const char *[]){"1", "1", "1"}, 3);
    cr_assert_eq(vf_cone_val_init(&y, 3, 128, &e), VF_OK);
    cr_assert_eq(vf_imat_init(&yy, 3, 1, 128, &e), VF_OK);
    cr_assert_eq(vf_ref_cone(&y, NULL, &x, VF_CONE_PROJ, &e), VF_OK);
    cr_assert_eq(vf_ref_cone_iv(&yy, &y.iv, VF_CONE_PROJ, &e), VF_OK);
    for (int i = 0; i < 3; i++) {
        mpfi_t d;
        mpfi_init2(d, 128);
        mpfi_sub(d, yy.a[i], y.iv.a[i]);
        cr_expect(mpfi_has_zero(d));
        cr_expect_geq(vf_iv_abs_bits(d), 100, "P(P(x)) - P(x) tight at entry %d", i);
        mpfi_clear(d);
    }
    /* a NaN box is rejected */
    mpfi_set_d(y.iv.a[1], 0.0);
    mpfr_set_nan(&y.iv.a[1]->left);
    cr_expect_eq(vf_ref_cone_iv(&yy, &y.iv, VF_CONE_COLU, &e), VF_E_DOMAIN);
    vf_qmat_clear(&x);
    vf_cone_val_clear(&y);
    vf_imat_clear(&yy);
}

/* ---------------------------------------------------------------- claims */

Test(cone_claims, default_seed_verdicts_as_expected)
{
    const char *ids[] = {"lorentz.projection", "colu.properties", "colu.is_euclidean_projection",
                         "colu.old_in_cone", "rcolu.properties"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        vf_claim_opts o;
        vf_claim_result r;
        vf_claim_opts_default(&o);
        claim_run_checked(ids[i], &o, &r);
        cr_expect_eq(r.verdict, vf_claim_find(ids[i])->expected, "%s: %s (%s)", ids[i],
                     vf_verdict_name(r.verdict), r.summary);
        if (r.verdict == VF_CERTIFIED)
            cr_expect_geq(r.bits, 64, "%s: %ld bits", ids[i], r.bits);
        vf_claim_result_clear(&r);
    }
}

Test(cone_claims, pythagorean_trial_alone_holds_exactly)
{
    const char *ids[] = {"lorentz.projection", "colu.properties"};
    for (size_t i = 0; i < 2; i++) {
        vf_claim_opts o;
        vf_claim_result r;
        vf_claim_opts_default(&o);
        o.trials = 1; /* trial 0: Pythagorean, every square root rational */
        claim_run_checked(ids[i], &o, &r);
        cr_expect_eq(r.verdict, VF_HELD_EXACT, "%s: %s", ids[i], r.summary);
        vf_claim_result_clear(&r);
    }
}

Test(cone_claims, is_euclidean_projection_prints_exact_counterexample)
{
    vf_claim_opts o;
    vf_claim_result r;
    vf_claim_opts_default(&o);
    claim_run_checked("colu.is_euclidean_projection", &o, &r);
    cr_assert_eq(r.verdict, VF_REFUTED);
    cr_expect(strstr(r.summary, "exact counterexample"), "%s", r.summary);
    cr_assert(vf_claim_note_get(&r, "counterexample") && vf_claim_note_get(&r, "lhs") && vf_claim_note_get(&r, "rhs") &&
              vf_claim_note_get(&r, "difference"));
    cr_expect(strstr(vf_claim_note_get(&r, "counterexample"), "x = ("));
    cr_expect(strstr(vf_claim_note_get(&r, "lhs"), "CoLU(x) = ("));
    cr_expect(strstr(vf_claim_note_get(&r, "rhs"), "P_L(x) = ("));
    cr_assert(vf_claim_note_get(&r, "theory_example"));
    cr_expect_str_eq(vf_claim_note_get(&r, "theory_example"),
                     "x = (1/2, 3, 4): CoLU(x) = (1/2, 3/10, 2/5), P_L(x) = (11/4, 33/20, 11/5), "
                     "difference (-9/4, -27/20, -9/5)");
    vf_claim_result_clear(&r);
}

Test(cone_claims, old_colu_leaves_the_cone)
{
    vf_claim_opts o;
    vf_claim_result r;
    vf_claim_opts_default(&o);
    claim_run_checked("colu.old_in_cone", &o, &r);
    cr_assert_eq(r.verdict, VF_REFUTED);
    cr_assert(vf_claim_note_get(&r, "value") && vf_claim_note_get(&r, "output"));
    cr_expect(strstr(vf_claim_note_get(&r, "value"), "= (-"), "negative apex: %s", vf_claim_note_get(&r, "value"));
    vf_claim_result_clear(&r);
}

/* User groups from a .npy: rows are groups. */
static void write_rows(const char *path, const double *v, size_t rows, size_t cols)
{
    vf_err e;
    vf_tensor t;
    size_t shape[2] = {rows, cols};
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F64, cols ? 2 : 1, shape, &e), VF_OK);
    memcpy(t.v, v, rows * (cols ? cols : 1) * sizeof *v);
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_OK, "%s", e.msg);
    vf_tensor_clear(&t);
}

Test(cone_claims, user_input_groups)
{
    char path[512];
    snprintf(path, sizeof path, "%s/cone.npy", test_tmpdir());
    /* the (1/2, 3, 4) example and its boundary neighbours; all Pythagorean */
    const double g[] = {0.5, 3, 4, 5, 3, 4, -5, 3, 4, 0, 0, 0};
    write_rows(path, g, 4, 3);
    vf_claim_opts o;
    vf_claim_result r;
    vf_claim_opts_default(&o);
    o.in[0] = path;
    o.n_in = 1;
    claim_run_checked("lorentz.projection", &o, &r);
    cr_expect_eq(r.verdict, VF_HELD_EXACT, "%s", r.summary);
    vf_claim_result_clear(&r);
    claim_run_checked("colu.is_euclidean_projection", &o, &r);
    cr_assert_eq(r.verdict, VF_REFUTED);
    cr_expect(strstr(vf_claim_note_get(&r, "counterexample"), "x = (1/2, 3, 4)"), "%s",
              vf_claim_note_get(&r, "counterexample"));
    cr_expect(strstr(vf_claim_note_get(&r, "difference"), "(-9/4, -27/20, -9/5)"), "%s",
              vf_claim_note_get(&r, "difference"));
    vf_claim_result_clear(&r);
    /* general (non-Pythagorean) groups: certified */
    const double h[] = {0.5, 1, 1, 1, 1, 1, -0.25, 2, 1};
    write_rows(path, h, 3, 3);
    claim_run_checked("colu.properties", &o, &r);
    cr_expect_eq(r.verdict, VF_CERTIFIED, "%s", r.summary);
    cr_expect_geq(r.bits, 64);
    vf_claim_result_clear(&r);
    /* NaN is invalid input */
    const double n[] = {0.5, __builtin_nan(""), 1};
    write_rows(path, n, 1, 3);
    claim_run_checked("lorentz.projection", &o, &r);
    cr_expect_eq(r.verdict, VF_INVALID_INPUT, "%s", r.summary);
    vf_claim_result_clear(&r);
}

Test(cone_claims, other_sizes_and_low_precision)
{
    vf_claim_opts o;
    vf_claim_result r;
    vf_claim_opts_default(&o);
    o.d = 6;
    o.n = 30;
    o.trials = 4;
    o.prec = 32; /* certified once k >= 16 */
    const char *ids[] = {"lorentz.projection", "colu.properties", "rcolu.properties"};
    for (size_t i = 0; i < 3; i++) {
        claim_run_checked(ids[i], &o, &r);
        cr_expect_eq(r.verdict, VF_CERTIFIED, "%s: %s", ids[i], r.summary);
        cr_expect_geq(r.bits, 16);
        vf_claim_result_clear(&r);
    }
    o.d = 1; /* S = 1: ReLU on the apex, everything rational */
    claim_run_checked("lorentz.projection", &o, &r);
    cr_expect_eq(r.verdict, VF_HELD_EXACT, "%s", r.summary);
    vf_claim_result_clear(&r);
}
