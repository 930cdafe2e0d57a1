/* `veriformer check softmax.*`: verdicts, exit codes, user inputs and INVALID_INPUT. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "vf_npy.h"

static char out[1 << 16];

static void write_npy(const char *path, const double *v, size_t rows, size_t cols)
{
    vf_tensor t;
    vf_err e;
    size_t shape[2] = {rows, cols};
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F32, 2, shape, &e), VF_OK);
    memcpy(t.v, v, rows * cols * sizeof *v);
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_OK, "%s", e.msg);
    vf_tensor_clear(&t);
}

static const char *tmp(const char *name)
{
    static char path[8][256];
    static int k;
    k = (k + 1) % 8;
    snprintf(path[k], sizeof path[k], "%s/%s", test_tmpdir(), name);
    return path[k];
}

Test(thermo_cli, every_claim_certified_with_exit_0)
{
    const char *ids[] = {"gibbs_gap",        "free_energy_min",  "attention_is_gibbs",
                         "specific_heat",    "scale_invariance", "shift_invariance",
                         "replicator_rest_point", "lse_bounds"};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        cr_assert_eq(run_cli(out, sizeof out, "check softmax.%s", ids[k]), 0, "%s", out);
        cr_assert(strstr(out, "verdict    CERTIFIED (residual within 2^-"), "%s", out);
        cr_assert(strstr(out, "seed       20261123"), "%s", out);
        cr_assert(strstr(out, "class      T"), "%s", out);
    }
}

Test(thermo_cli, json_seed_sizes_and_precision)
{
    cr_assert_eq(run_cli(out, sizeof out,
                         "check softmax.gibbs_gap --seed 99 --n 5 --trials 3 --prec 256 --json"),
                 0, "%s", out);
    cr_assert(strstr(out, "\"verdict\": \"CERTIFIED\""), "%s", out);
    cr_assert(strstr(out, "\"seed\": 99"), "%s", out);
    const char *b = strstr(out, "\"bits\": ");
    cr_assert(b && atol(b + 8) >= 128, "256-bit run certifies >= 128 bits: %s", out);
    cr_assert_eq(run_cli(out, sizeof out, "check softmax.attention_is_gibbs --n 3 --d 5"), 0,
                 "%s", out);
}

Test(thermo_cli, user_logits_with_masked_entries_certified)
{
    const double s[] = {1.5, -INFINITY, 100.0, -95.0, 0.0, 0.0, 0.0, -INFINITY};
    const char *p = tmp("logits.npy"), *tp = tmp("t.npy");
    write_npy(p, s, 2, 4);
    const double t[] = {0.125};
    write_npy(tp, t, 1, 1);
    const char *ids[] = {"gibbs_gap", "free_energy_min", "specific_heat", "lse_bounds",
                         "replicator_rest_point", "shift_invariance", "scale_invariance"};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        cr_assert_eq(run_cli(out, sizeof out, "check softmax.%s --in %s", ids[k], p), 0, "%s",
                     out);
        cr_assert(strstr(out, "CERTIFIED") && strstr(out, "user logits"), "%s", out);
        cr_assert_eq(run_cli(out, sizeof out, "check softmax.%s --in %s --in %s", ids[k], p, tp),
                     0, "%s", out);
    }
}

Test(thermo_cli, all_masked_row_is_invalid_input_exit_2)
{
    const double s[] = {0.5, 2.0, -INFINITY, -INFINITY};
    const char *p = tmp("masked.npy");
    write_npy(p, s, 2, 2);
    cr_assert_eq(run_cli(out, sizeof out, "check softmax.gibbs_gap --in %s", p), 2, "%s", out);
    cr_assert(strstr(out, "INVALID_INPUT"), "%s", out);
    cr_assert(strstr(out, "row 1") && strstr(out, "masked"), "%s", out);
    /* Every energy claim: exit 2 and the verdict, never a crash (random q on a masked row). */
    const char *ids[] = {"free_energy_min", "specific_heat", "lse_bounds", "scale_invariance",
                         "replicator_rest_point", "shift_invariance"};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        cr_assert_eq(run_cli(out, sizeof out, "check softmax.%s --in %s --json", ids[k], p), 2,
                     "%s", out);
        cr_assert(strstr(out, "\"verdict\": \"INVALID_INPUT\""), "%s", out);
    }
}

Test(thermo_cli, plus_inf_logit_and_bad_temperature_are_invalid_input)
{
    const double s[] = {0.5, INFINITY, 1.0};
    const char *p = tmp("pinf.npy"), *good = tmp("good.npy"), *tp = tmp("tneg.npy");
    write_npy(p, s, 1, 3);
    cr_assert_eq(run_cli(out, sizeof out, "check softmax.free_energy_min --in %s", p), 2, "%s",
                 out);
    cr_assert(strstr(out, "INVALID_INPUT") && strstr(out, "+inf"), "%s", out);
    const double g[] = {0.5, 1.0}, t[] = {-1.0};
    write_npy(good, g, 1, 2);
    write_npy(tp, t, 1, 1);
    cr_assert_eq(run_cli(out, sizeof out, "check softmax.lse_bounds --in %s --in %s", good, tp),
                 2, "%s", out);
    cr_assert(strstr(out, "temperature"), "%s", out);
}

Test(thermo_cli, attention_user_inputs)
{
    const double q[] = {1.0, -2.0, 0.5, 3.0, 0.25, -1.0};
    const double k[] = {0.5, 0.5, 1.0, -1.0, 2.0, 0.0, 4.0, 1.0, -3.0, 0.0, 0.0, 0.0};
    const char *qp = tmp("q.npy"), *kp = tmp("k.npy"), *kb = tmp("kbad.npy");
    write_npy(qp, q, 2, 3);
    write_npy(kp, k, 4, 3);
    cr_assert_eq(run_cli(out, sizeof out, "check softmax.attention_is_gibbs --in %s --in %s", qp,
                         kp),
                 0, "%s", out);
    cr_assert(strstr(out, "CERTIFIED"), "%s", out);
    write_npy(kb, k, 3, 4); /* d_k = 4 vs 3 */
    cr_assert_eq(run_cli(out, sizeof out, "check softmax.attention_is_gibbs --in %s --in %s", qp,
                         kb),
                 2, "%s", out);
    cr_assert(strstr(out, "d_k"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "check softmax.attention_is_gibbs --in %s", qp), 2,
                 "%s", out);
}

Test(thermo_cli, missing_input_file_is_exit_2)
{
    cr_assert_eq(run_cli(out, sizeof out, "check softmax.gibbs_gap --in /nonexistent/x.npy"), 2,
                 "%s", out);
}
