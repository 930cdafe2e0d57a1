/* `veriformer reference` and `veriformer compare`: verdicts, exit codes (0 PASSED, 1 FAILED and
 * MISTRUSTED, 2 bad input, 99 UNCERTIFIED), the report's content, and bad input each with a
 * clear message. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "vf_npy.h"
#include "vf_oracle.h"

static char out[1 << 16];

static const char *tmp(const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", test_tmpdir(), name);
    return buf[k];
}

static const char *write_t(const char *name, vf_dtype dt, int ndim, const size_t *shape,
                           const double *v)
{
    const char *path = tmp(name);
    vf_tensor t;
    vf_err e;
    cr_assert_eq(vf_tensor_init(&t, dt, ndim, shape, &e), VF_OK);
    memcpy(t.v, v, t.count * sizeof *v);
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_OK, "%s", e.msg);
    vf_tensor_clear(&t);
    return path;
}

/* x: 3 x 4 logits; its reference written by the command to sm_ref.npy. */
static const double X[12] = {0.5, -1, 2, 0.25, 3, 3, -2, 1, -0.75, 0, 1.5, -3};
static const size_t S[2] = {3, 4};

static void softmax_reference(vf_tensor *ref)
{
    const char *x = write_t("sm_x.npy", VF_DT_F32, 2, S, X);
    cr_assert_eq(run_cli(out, sizeof out, "reference softmax --in %s --out %s", x,
                         tmp("sm_ref.npy")), 0, "%s", out);
    cr_assert(strstr(out, "all 12 elements certified"), "%s", out);
    vf_err e;
    cr_assert_eq(vf_npy_read(ref, tmp("sm_ref.npy"), &e), VF_OK, "%s", e.msg);
}

Test(oracle_cli, reference_matches_the_c_api)
{
    vf_tensor r = {0}, c = {0}, x = {0};
    softmax_reference(&r);
    vf_err e;
    vf_oracle_opts o;
    vf_oracle_opts_default(&o);
    cr_assert_eq(vf_npy_read(&x, tmp("sm_x.npy"), &e), VF_OK);
    cr_assert_eq(vf_reference_softmax(&c, &x, &o, &e), VF_OK);
    cr_assert(r.dtype == VF_DT_F32 && !memcmp(r.v, c.v, 12 * sizeof *r.v));
    cr_assert_eq(run_cli(out, sizeof out, "reference softmax --in %s --out %s --dtype f64",
                         tmp("sm_x.npy"), tmp("sm64.npy")), 0, "%s", out);
    cr_assert(strstr(out, "f64"), "%s", out);
    vf_tensor_clear(&r);
    vf_tensor_clear(&c);
    vf_tensor_clear(&x);
}

Test(oracle_cli, compare_passed_failed_and_json)
{
    vf_tensor r = {0};
    softmax_reference(&r);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s --candidate %s --max-ulp 0.5",
                         tmp("sm_x.npy"), tmp("sm_ref.npy")), 0, "%s", out);
    cr_assert(strstr(out, "0:PASSED") && strstr(out, "max ulp"), "%s", out);
    r.v[6] = nextafterf((float)r.v[6], 0.0f); /* point [1, 2] off by one ulp */
    const char *bad = write_t("sm_bad.npy", VF_DT_F32, 2, S, r.v);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s --candidate %s --max-ulp 0.5",
                         tmp("sm_x.npy"), bad), 1, "%s", out);
    cr_assert(strstr(out, "1:FAILED") && strstr(out, "failing     1 point"), "%s", out);
    cr_assert(strstr(out, "[1, 2]  exact "), "the failing point by multi-index: %s", out);
    cr_assert(strstr(out, "x (4 values from flat 4, stride 1): 0x1.8p+1"),
              "its input row in %%a: %s", out);
    cr_assert(strstr(out, "repro       veriformer compare softmax --in"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s --candidate %s --tol auto",
                         tmp("sm_x.npy"), bad), 0, "one ulp is within the auto bound: %s", out);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s --candidate %s --max-ulp 0.5 "
                         "--json", tmp("sm_x.npy"), bad), 1, "%s", out);
    cr_assert(strstr(out, "\"status\": \"FAILED\"") && strstr(out, "\"exit\": 1"), "%s", out);
    cr_assert(strstr(out, "\"index\": [1, 2]") && strstr(out, "\"fails\": true"), "%s", out);
    cr_assert(strstr(out, "\"env\": {\"veriformer\"") && strstr(out, "\"mpfr\""), "%s", out);
    cr_assert(strstr(out, "\"tolerance\": {\"kind\": \"max_ulp\", \"value\": 0.5}"), "%s", out);
    vf_tensor_clear(&r);
}

Test(oracle_cli, nan_in_candidate_is_a_failed_point)
{
    vf_tensor r = {0};
    softmax_reference(&r);
    r.v[0] = NAN;
    const char *c = write_t("sm_nan.npy", VF_DT_F32, 2, S, r.v);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s --candidate %s",
                         tmp("sm_x.npy"), c), 1, "%s", out);
    cr_assert(strstr(out, "got_nan 1") && strstr(out, "FAILED"), "%s", out);
    vf_tensor_clear(&r);
}

Test(oracle_cli, rows_sample_says_so_and_prints_the_seed)
{
    double x[400];
    for (int i = 0; i < 400; i++)
        x[i] = (double)((i * 37) % 23) / 8 - 1;
    size_t s[2] = {100, 4};
    const char *xp = write_t("rs_x.npy", VF_DT_F32, 2, s, x);
    cr_assert_eq(run_cli(out, sizeof out, "reference softmax --in %s --out %s", xp,
                         tmp("rs_ref.npy")), 0, "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s --candidate %s "
                         "--rows-sample 7 --seed 5", xp, tmp("rs_ref.npy")), 0, "%s", out);
    cr_assert(strstr(out, "7 of 100 rows SAMPLED at random (seed 5)"), "%s", out);
    cr_assert(strstr(out, "28 checked"), "%s", out);
}

Test(oracle_cli, mistrusted_exits_1_with_the_reason)
{
    double z[12] = {0};
    const char *x = write_t("zero.npy", VF_DT_F32, 2, S, z);
    cr_assert_eq(run_cli(out, sizeof out, "compare relu --in %s --candidate %s", x, x), 1, "%s",
                 out);
    cr_assert(strstr(out, "MISTRUSTED") && strstr(out, "does not exercise"), "%s", out);
}

Test(oracle_cli, precision_cap_gives_uncertified_exit_99)
{
    /* 1 + 2^-24 + 2^-80: at 64 bits the enclosure straddles the f32 tie 1 + 2^-24 */
    size_t sa[2] = {1, 3}, sb[2] = {3, 1};
    const double a[] = {1, 0x1p-24, 0x1p-40}, b[] = {1, 1, 0x1p-40};
    const char *A = write_t("ua.npy", VF_DT_F64, 2, sa, a), *B = write_t("ub.npy", VF_DT_F64, 2,
                                                                         sb, b);
    cr_assert_eq(run_cli(out, sizeof out, "reference matmul --in %s --in %s --out %s --dtype f32 "
                         "--prec-max 64", A, B, tmp("u.npy")), 99, "%s", out);
    cr_assert(strstr(out, "UNCERTIFIED"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "reference matmul --in %s --in %s --out %s --dtype f32",
                         A, B, tmp("u.npy")), 0, "%s", out);
}

Test(oracle_cli, attention_and_matmul_end_to_end)
{
    size_t s[4] = {1, 2, 3, 2};
    const double q[12] = {1, 0, 0, 1, 1, 1, -1, 0.5, 2, 0.25, 0, 0};
    const char *Q = write_t("q.npy", VF_DT_F32, 4, s, q);
    cr_assert_eq(run_cli(out, sizeof out, "reference attention --in %s --in %s --in %s --out %s "
                         "--causal --scale 0.5", Q, Q, Q, tmp("o.npy")), 0, "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "compare attention --in %s --in %s --in %s "
                         "--candidate %s --causal --scale 0.5 --max-ulp 0.5", Q, Q, Q,
                         tmp("o.npy")), 0, "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "compare attention --in %s --in %s --in %s "
                         "--candidate %s --max-ulp 0.5", Q, Q, Q, tmp("o.npy")), 1,
                 "not causal, other scale: a different function: %s", out);
}

/* ---------------------------------------------------------------- bad input: exit 2 */

Test(oracle_cli, bad_input_exits_2_with_a_clear_message)
{
    size_t s2[2] = {4, 3};
    double t[12];
    for (int i = 0; i < 12; i++)
        t[i] = i;
    const char *x = write_t("b_x.npy", VF_DT_F32, 2, S, X);
    const char *x64 = write_t("b_x64.npy", VF_DT_F64, 2, S, X);
    const char *xt = write_t("b_xt.npy", VF_DT_F32, 2, s2, t);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s --candidate %s", x, xt), 2);
    cr_assert(strstr(out, "candidate shape [4, 3] does not match"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s --candidate %s", x, x64), 2);
    cr_assert(strstr(out, "candidate dtype f64 differs"), "%s", out);

    double n[12];
    memcpy(n, X, sizeof n);
    n[5] = NAN;
    const char *xn = write_t("b_nan.npy", VF_DT_F32, 2, S, n);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s --candidate %s", xn, x), 2);
    cr_assert(strstr(out, "NaN at index [1, 1]"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "reference relu --in %s --out %s", xn, tmp("r.npy")),
                 2);

    double m[12];
    memcpy(m, X, sizeof m);
    for (int j = 8; j < 12; j++)
        m[j] = -INFINITY;
    const char *xm = write_t("b_masked.npy", VF_DT_F32, 2, S, m);
    cr_assert_eq(run_cli(out, sizeof out, "reference softmax --in %s --out %s", xm,
                         tmp("r.npy")), 2);
    cr_assert(strstr(out, "row 2 of x has no finite entry"), "%s", out);

    cr_assert_eq(run_cli(out, sizeof out, "compare gelu --in %s --candidate %s", x, x), 2);
    cr_assert(strstr(out, "unknown kernel 'gelu'"), "%s", out);

    /* unsupported npy features: an integer dtype, and a big-endian float */
    const char *bad = tmp("int.npy");
    FILE *f = fopen(bad, "wb");
    cr_assert(f);
    char hdr[128];
    int len = snprintf(hdr, sizeof hdr,
                       "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }");
    while ((10 + len + 1) % 64)
        hdr[len++] = ' ';
    hdr[len++] = '\n';
    fwrite("\x93NUMPY\x01\x00", 1, 8, f);
    unsigned char hl[2] = {(unsigned char)(len & 255), (unsigned char)(len >> 8)};
    fwrite(hl, 1, 2, f);
    fwrite(hdr, 1, (size_t)len, f);
    fwrite("\1\0\0\0\2\0\0\0", 1, 8, f);
    fclose(f);
    cr_assert_eq(run_cli(out, sizeof out, "compare relu --in %s --candidate %s", bad, bad), 2);
    cr_assert(strstr(out, "<i4"), "the message names the dtype: %s", out);

    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in /nonexistent.npy --candidate %s",
                         x), 2);
    cr_assert(strstr(out, "/nonexistent.npy"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s", x), 2);
    cr_assert(strstr(out, "--candidate"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s --candidate %s --axis 0", x,
                         x), 2);
    cr_assert(strstr(out, "only the last axis"), "%s", out);
    cr_assert_eq(run_cli(out, sizeof out, "compare softmax --in %s --candidate %s --tol abs:1",
                         x, x), 2);
    cr_assert_eq(run_cli(out, sizeof out, "compare matmul --in %s --candidate %s", x, x), 2);
    cr_assert(strstr(out, "needs 2 --in files"), "%s", out);
}
