/* The command: verdicts, exit codes and clear errors for bad input (DESIGN.md "The command"). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "harness.h"
#include "vf_npy.h"

static char out[1 << 16];

static void write_vector(const char *path, const double *v, size_t n)
{
    vf_tensor t;
    vf_err e;
    size_t shape[1] = {n};
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F32, 1, shape, &e), VF_OK);
    memcpy(t.v, v, n * sizeof *v);
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_OK, "%s", e.msg);
    vf_tensor_clear(&t);
}

Test(cli, help_and_usage)
{
    cr_assert_eq(run_cli(out, sizeof out, "--help"), 0);
    cr_assert(strstr(out, "exit codes"));
    cr_assert_eq(run_cli(out, sizeof out, "%s", ""), 2, "no command is a usage error");
    cr_assert_eq(run_cli(out, sizeof out, "frobnicate"), 2);
    cr_assert(strstr(out, "unknown command 'frobnicate'"), "%s", out);
}

Test(cli, check_relu_holds_exactly_and_prints_seed)
{
    cr_assert_eq(run_cli(out, sizeof out, "check relu.orthant_projection"), 0, "%s", out);
    cr_assert(strstr(out, "verdict    HELD_EXACT"), "%s", out);
    cr_assert(strstr(out, "seed       20261123"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "check relu.orthant_projection --seed 7 --n 5 --json"),
                 0, "%s", out);
    cr_assert(strstr(out, "\"verdict\": \"HELD_EXACT\""), "%s", out);
    cr_assert(strstr(out, "\"seed\": 7"), "%s", out);
}

Test(cli, claims_table_lists_every_claim_as_expected)
{
    cr_assert_eq(run_cli(out, sizeof out, "claims"), 0, "%s", out);
    cr_assert(strstr(out, "relu.orthant_projection"), "%s", out);
    cr_assert(strstr(out, "0 unexpected"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "claims --json"), 0, "%s", out);
    cr_assert(strstr(out, "\"claims\": ["), "%s", out);
}

Test(cli, user_input_checked_exactly)
{
    char path[256];
    snprintf(path, sizeof path, "%s/x.npy", test_tmpdir());
    const double x[] = {-2.5, 0.0, 3.0, -0.0, 0x1p-149, 1e30};
    write_vector(path, x, 6);
    cr_assert_eq(run_cli(out, sizeof out, "check relu.orthant_projection --in %s", path), 0,
                 "%s", out);
    cr_assert(strstr(out, "user input"), "%s", out);
}

Test(cli, nan_input_is_invalid_input_exit_2)
{
    char path[256];
    snprintf(path, sizeof path, "%s/nan.npy", test_tmpdir());
    const double x[] = {1.0, NAN, 2.0};
    write_vector(path, x, 3);
    cr_assert_eq(run_cli(out, sizeof out, "check relu.orthant_projection --in %s", path), 2,
                 "%s", out);
    cr_assert(strstr(out, "INVALID_INPUT") && strstr(out, "NaN"), "%s", out);
}

Test(cli, bad_files_are_clear_errors_exit_2)
{
    char path[256];
    cr_assert_eq(run_cli(out, sizeof out, "check relu.orthant_projection --in /nonexistent.npy"),
                 2, "%s", out);
    cr_assert(strstr(out, "/nonexistent.npy"), "message names the file: %s", out);
    snprintf(path, sizeof path, "%s/garbage.npy", test_tmpdir());
    FILE *f = fopen(path, "w");
    fputs("this is not an npy file", f);
    fclose(f);
    cr_assert_eq(run_cli(out, sizeof out, "check relu.orthant_projection --in %s", path), 2,
                 "%s", out);
    cr_assert(strstr(out, "not a .npy file"), "%s", out);
}

Test(cli, bad_options_exit_2)
{
    cr_assert_eq(run_cli(out, sizeof out, "check no.such_claim"), 2);
    cr_assert(strstr(out, "unknown claim 'no.such_claim'"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "check relu.orthant_projection --seed abc"), 2);
    cr_assert(strstr(out, "--seed needs a non-negative integer"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "check relu.orthant_projection --n 0"), 2);
    cr_assert_eq(run_cli(out, sizeof out, "check relu.orthant_projection --bogus 1"), 2);
    cr_assert_eq(run_cli(out, sizeof out, "check relu.orthant_projection --seed"), 2);
    cr_assert_eq(run_cli(out, sizeof out, "check"), 2);
}

Test(cli, bad_vf_isa_is_an_error_not_a_fallback)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "VF_ISA=sse9 %s env 2>&1", VF_TEST_CLI);
    FILE *p = popen(cmd, "r");
    size_t got = fread(out, 1, sizeof out - 1, p);
    out[got] = '\0';
    int st = pclose(p);
    cr_assert_eq(WEXITSTATUS(st), 2, "%s", out);
    cr_assert(strstr(out, "VF_ISA=sse9"), "%s", out);
}
