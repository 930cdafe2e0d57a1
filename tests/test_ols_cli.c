/* `veriformer check ols.*` on generated data and on a user's regression data (.npy). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "vf_npy.h"

static char out[1 << 16];

/* Writes a float64 .npy of shape rows x cols (cols 0 = a 1-d vector) into the test dir. */
static const char *write_npy(const char *name, const double *v, size_t rows, size_t cols)
{
    static char paths[8][256];
    static int k;
    char *path = paths[k++ % 8];
    snprintf(path, 256, "%s/%s", test_tmpdir(), name);
    vf_tensor t;
    vf_err e;
    size_t shape[2] = {rows, cols};
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F64, cols ? 2 : 1, shape, &e), VF_OK);
    memcpy(t.v, v, rows * (cols ? cols : 1) * sizeof *v);
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_OK, "%s", e.msg);
    vf_tensor_clear(&t);
    return path;
}

/* A 6 x 2 design (0.1 is not dyadic: converted exactly as the double nearest 0.1), y. */
static const double X6[] = {1, 0.5, 2, -1, 3, 0.25, 4, 2, 5, -0.1, 6, 1.5};
static const double Y6[] = {2.1, 3.9, 6.2, 8.1, 9.8, 12.3};

Test(ols_cli, user_regression_data_held_exactly)
{
    const char *x = write_npy("x.npy", X6, 6, 2), *y = write_npy("y.npy", Y6, 6, 0);
    const char *ids[] = {"ols.reading_b", "ols.reading_a", "ols.hat_matrix", "ols.intercept"};
    for (size_t i = 0; i < 4; i++) {
        cr_expect_eq(run_cli(out, sizeof out, "check %s --x %s --y %s", ids[i], x, y), 0, "%s",
                     out);
        cr_expect(strstr(out, "verdict    HELD_EXACT") && strstr(out, "user X"), "%s", out);
    }
}

Test(ols_cli, user_data_spectral_is_certified_with_bits_in_json)
{
    const char *x = write_npy("xs.npy", X6, 6, 2), *y = write_npy("ys.npy", Y6, 6, 0);
    cr_assert_eq(run_cli(out, sizeof out, "check ols.reading_a_spectral --x %s --y %s --json", x,
                         y),
                 0, "%s", out);
    cr_assert(strstr(out, "\"verdict\": \"CERTIFIED\""), "%s", out);
    cr_assert(strstr(out, "\"bits\": 2"), "about 2xx bits at 256: %s", out);
    cr_assert_eq(run_cli(out, sizeof out, "check ols.spectral_inverse --prec 512 --x %s", x), 0,
                 "%s", out);
    cr_assert(strstr(out, "precision 512 bits"), "%s", out);
}

Test(ols_cli, singular_user_design_is_invalid_input_exit_2)
{
    const double dup[] = {1, 1, 2, 2, 3, 3, 4, 4};
    const char *x = write_npy("dup.npy", dup, 4, 2), *y = write_npy("y4.npy", Y6, 4, 0);
    cr_assert_eq(run_cli(out, sizeof out, "check ols.reading_b --x %s --y %s", x, y), 2, "%s",
                 out);
    cr_assert(strstr(out, "INVALID_INPUT") && strstr(out, "rank X = 1 < d = 2"), "%s", out);
    /* the pseudo-inverse route takes the same data */
    cr_assert_eq(run_cli(out, sizeof out, "check ols.pinv_projector --x %s", x), 0, "%s", out);
    cr_assert(strstr(out, "rank 1 of 2"), "%s", out);
}

Test(ols_cli, mismatched_y_is_invalid_input)
{
    const char *x = write_npy("xm.npy", X6, 6, 2), *y = write_npy("ym.npy", Y6, 5, 0);
    cr_assert_eq(run_cli(out, sizeof out, "check ols.normal_equations --x %s --y %s", x, y), 2,
                 "%s", out);
    cr_assert(strstr(out, "y has 5 rows but X has 6"), "%s", out);
}

Test(ols_cli, distribution_shift_refuted_unless_gram_is_preserved)
{
    const char *x = write_npy("xd.npy", X6, 6, 2), *y = write_npy("yd.npy", Y6, 6, 0);
    /* X' = 2X: M' = 4I, predictions 4 X' beta_hat */
    double x2[12], xp[12];
    for (size_t i = 0; i < 12; i++)
        x2[i] = 2 * X6[i];
    const char *p2 = write_npy("x2.npy", x2, 6, 2);
    cr_assert_eq(run_cli(out, sizeof out, "check ols.distribution_shift --x %s --y %s --in %s",
                         x, y, p2),
                 1, "%s", out);
    cr_assert(strstr(out, "REFUTED") && strstr(out, "M_prime          [[4, 0], [0, 4]]"), "%s",
              out);
    /* X' = rows of X permuted: X'^T X' = X^T X, so the frozen weights do reproduce X' beta */
    for (size_t i = 0; i < 6; i++)
        for (size_t j = 0; j < 2; j++)
            xp[i * 2 + j] = X6[((i + 2) % 6) * 2 + j];
    const char *pp = write_npy("xp.npy", xp, 6, 2);
    cr_assert_eq(run_cli(out, sizeof out, "check ols.distribution_shift --x %s --y %s --in %s",
                         x, y, pp),
                 0, "%s", out);
    cr_assert(strstr(out, "HELD_EXACT"), "%s", out);
}

Test(ols_cli, generated_sizes_and_seed_options)
{
    cr_assert_eq(run_cli(out, sizeof out, "check ols.scores_equal_hat --n 7 --d 4 --seed 9"), 0,
                 "%s", out);
    cr_assert(strstr(out, "seed       9"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "check ols.hat_matrix --n 2 --d 3"), 2, "%s", out);
    cr_assert(strstr(out, "rank X = 2 < d = 3"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "check ols.paper_experiment"), 0, "%s", out);
    cr_assert(strstr(out, "slow_W_Q") && strstr(out, "fast_scores"), "%s", out);
}

Test(ols_cli, claims_table_has_every_ols_claim_as_expected)
{
    cr_assert_eq(run_cli(out, sizeof out, "claims"), 0, "%s", out);
    cr_assert(strstr(out, "0 unexpected"), "%s", out);
    cr_assert(strstr(out, "ols.distribution_shift       Q      REFUTED       REFUTED"), "%s", out);
    cr_assert(strstr(out, "ols.spectral_inverse         Q-sqrt CERTIFIED/"), "%s", out);
}
