/* relu.moreau and relu.axioms_characterise: verdicts at the default seed, on user input, and
 * the printed counterexample. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "vf_claims.h"
#include "vf_npy.h"

/* opts reading the vector v (n doubles) from a temporary .npy */
static void user_vector(vf_claim_opts *o, char *path, size_t len, const char *name,
                        const double *v, size_t n)
{
    vf_err e;
    vf_tensor t;
    snprintf(path, len, "%s/%s.npy", test_tmpdir(), name);
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F64, 1, &n, &e), VF_OK);
    memcpy(t.v, v, n * sizeof *v);
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_OK, "%s", e.msg);
    vf_tensor_clear(&t);
    vf_claim_opts_default(o);
    o->in[0] = path;
    o->n_in = 1;
}

Test(relu_axioms, default_seed_verdicts_as_expected)
{
    const char *ids[] = {"relu.moreau", "relu.axioms_characterise"};
    for (int i = 0; i < 2; i++) {
        vf_claim_opts o;
        vf_claim_result r;
        vf_claim_opts_default(&o);
        claim_run_checked(ids[i], &o, &r);
        cr_expect_eq(r.verdict, vf_claim_find(ids[i])->expected, "%s: %s", ids[i], r.summary);
        vf_claim_result_clear(&r);
    }
}

Test(relu_axioms, moreau_exact_on_user_input_and_nan_invalid)
{
    char path[512];
    vf_claim_opts o;
    vf_claim_result r;
    const double v[] = {-0.5, 2, -3, 0, 1e-300, -1e300};
    user_vector(&o, path, sizeof path, "moreau", v, 6);
    claim_run_checked("relu.moreau", &o, &r);
    cr_expect_eq(r.verdict, VF_HELD_EXACT, "%s", r.summary);
    vf_claim_result_clear(&r);
    const double n[] = {1, __builtin_nan("")};
    user_vector(&o, path, sizeof path, "moreau_nan", n, 2);
    claim_run_checked("relu.moreau", &o, &r);
    cr_expect_eq(r.verdict, VF_INVALID_INPUT, "%s", r.summary);
    vf_claim_result_clear(&r);
}

Test(relu_axioms, abs_is_the_printed_counterexample)
{
    char path[512];
    vf_claim_opts o;
    vf_claim_result r;
    const double v[] = {-0.5, 2, -3, 0};
    user_vector(&o, path, sizeof path, "axioms", v, 4);
    claim_run_checked("relu.axioms_characterise", &o, &r);
    cr_assert_eq(r.verdict, VF_REFUTED, "%s", r.summary);
    cr_expect(strstr(r.summary, "|x|"), "%s", r.summary);
    cr_assert(vf_claim_note_get(&r, "counterexample") && vf_claim_note_get(&r, "x") && vf_claim_note_get(&r, "s(x)") &&
              vf_claim_note_get(&r, "ReLU(x)") && vf_claim_note_get(&r, "difference") && vf_claim_note_get(&r, "entry"));
    cr_expect(strstr(vf_claim_note_get(&r, "counterexample"), "s(x) = |x|"));
    cr_expect_str_eq(vf_claim_note_get(&r, "x"), "(-1/2, 2, -3, 0)");
    cr_expect_str_eq(vf_claim_note_get(&r, "s(x)"), "(1/2, 2, 3, 0)");
    cr_expect_str_eq(vf_claim_note_get(&r, "ReLU(x)"), "(0, 2, 0, 0)");
    cr_expect_str_eq(vf_claim_note_get(&r, "difference"), "s(x) - ReLU(x) = (1/2, 0, 3, 0)");
    cr_expect_str_eq(vf_claim_note_get(&r, "entry"), "x[0] = -1/2: s = 1/2, ReLU = 0");
    /* the rest of the family of THEORY 2.7 passes too; 2 ReLU is rejected (not idempotent) */
    cr_expect(strstr(vf_claim_note_get(&r, "also_satisfy"), "|x|, x, 0, min(x, 0)"), "%s",
              vf_claim_note_get(&r, "also_satisfy"));
    cr_expect(strstr(vf_claim_note_get(&r, "control"), "idempotence fails at x[1] = 2"), "%s",
              vf_claim_note_get(&r, "control"));
    vf_claim_result_clear(&r);
}

Test(relu_axioms, nonnegative_input_cannot_refute)
{
    /* On x >= 0 every candidate that passes the axioms agrees with ReLU or is zero-like: |x| and
     * x equal ReLU there, so only 0 and min(x, 0) can differ — and they do where x > 0. */
    char path[512];
    vf_claim_opts o;
    vf_claim_result r;
    const double v[] = {0, 0, 0};
    user_vector(&o, path, sizeof path, "zeros", v, 3);
    claim_run_checked("relu.axioms_characterise", &o, &r);
    cr_expect_eq(r.verdict, VF_HELD_EXACT, "all-zero input shows no difference: %s", r.summary);
    vf_claim_result_clear(&r);
    const double p[] = {1, 2.5};
    user_vector(&o, path, sizeof path, "pos", p, 2);
    claim_run_checked("relu.axioms_characterise", &o, &r);
    cr_expect_eq(r.verdict, VF_REFUTED, "%s", r.summary);
    cr_expect(strstr(vf_claim_note_get(&r, "also_satisfy"), "0, min(x, 0)"), "%s", vf_claim_note_get(&r, "also_satisfy"));
    cr_expect(!strstr(r.summary, "|x|"), "|x| = ReLU on x >= 0: %s", r.summary);
    vf_claim_result_clear(&r);
}
