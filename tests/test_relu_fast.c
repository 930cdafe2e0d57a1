/* Fast ReLU (fast/kernels/relu.c) on every ISA against the exact reference. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy.h"
#include "vf_fast.h"
#include "vf_par.h"
#include "vf_q.h"
#include "vf_rng.h"
#include "vf_ulp.h"

static uint32_t bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* Differential test: every supported ISA, every named fill, lengths around the vector widths.
 * ReLU is exact in float32, so the bound is 0 ULP against the exact reference (derivation:
 * max(x, 0) of a float is a float; no rounding happens), and the NaN/-0 policy of vf_fast.h is
 * checked bit for bit. */
static const size_t lengths[] = {0, 1, 7, 15, 16, 17, 31, 33, 100, 1000, 4099};

static void check_against_reference(const float *x, const float *y, size_t n, const char *what)
{
    vf_err e;
    vf_cmp c;
    cr_assert_eq(vf_cmp_init(&c, VF_DT_F32, 0, &e), VF_OK);
    mpq_t q;
    mpq_init(q);
    mpfr_t exact;
    mpfr_init2(exact, 128);
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) {
            cr_assert(isnan(y[i]) && bits(y[i]) == bits(x[i]), "%s: NaN kept at %zu", what, i);
            continue;
        }
        if (isinf(x[i])) {
            cr_assert_eq(bits(y[i]), bits(x[i] > 0 ? x[i] : 0.0f), "%s: inf policy at %zu", what,
                         i);
            continue;
        }
        cr_assert_eq(vf_q_set_f32(q, x[i], &e), VF_OK);
        if (mpq_sgn(q) < 0)
            mpq_set_ui(q, 0, 1);
        mpfr_set_q(exact, q, MPFR_RNDN); /* exact: a float fits in 128 bits */
        vf_cmp_add(&c, i, y[i], exact, &e);
        if (!(x[i] > 0))
            cr_assert_eq(bits(y[i]), 0u, "%s: +0 for x = %a at %zu", what, (double)x[i], i);
    }
    vf_cmp_summary s;
    vf_cmp_summarize(&c, &s);
    cr_assert_eq(s.mismatches, 0, "%s: class mismatches", what);
    cr_assert_eq(s.max_ulp, 0.0, "%s: max %g ULP at %zu", what, s.max_ulp, s.argmax);
    if (n > 0)
        acc_check("relu", what, 0.0, "tests/test_relu_fast.c", s.max_ulp,
                  s.p99_ulp);
    vf_cmp_clear(&c);
    mpfr_clear(exact);
    mpq_clear(q);
}

Test(relu_fast, every_isa_every_fill_matches_reference)
{
    int ran = 0;
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue; /* not on this CPU: nothing to run */
        ran++;
        for (int f = 0; f < VF_FILL__COUNT; f++)
            for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
                size_t n = lengths[li];
                float *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
                vf_fill_f32(x, n, (vf_fill)f, VF_SEED_DEFAULT, 7);
                /* Special values sprinkled in: NaN (with payload), +-inf, -0, +0. */
                static const float specials[] = {0.0f, -0.0f, INFINITY, -INFINITY};
                for (size_t i = 0; i < n; i += 5)
                    x[i] = specials[(i / 5) % 4];
                if (n > 3) {
                    uint32_t u = 0x7fc01234u;
                    memcpy(&x[3], &u, sizeof u);
                }
                char what[96];
                snprintf(what, sizeof what, "%s/%s/n=%zu", vf_isa_name((vf_isa)isa),
                         vf_fill_name((vf_fill)f), n);
                vf_relu_f32(x, y, n);
                check_against_reference(x, y, n, what);
                vf_relu_f32(x, x, n); /* in place gives the same bits */
                cr_assert(n == 0 || memcmp(x, y, n * sizeof *x) == 0, "%s: in place differs",
                          what);
                free(x);
                free(y);
            }
    }
    cr_assert(ran >= 1, "the scalar ISA always runs");
}

Test(relu_fast, isas_are_bitwise_identical)
{
    size_t n = 4099;
    float *x = malloc(n * sizeof *x), *ref = malloc(n * sizeof *ref), *y = malloc(n * sizeof *y);
    vf_fill_f32(x, n, VF_FILL_NORMAL, VF_SEED_DEFAULT, 11);
    vf_relu_f32__scalar(x, ref, n);
    for (int isa = 1; isa < VF_ISA__COUNT; isa++) {
        if (!vf_isa_supported((vf_isa)isa))
            continue;
        (isa == VF_ISA_AVX2 ? vf_relu_f32__avx2 : vf_relu_f32__avx512)(x, y, n);
        cr_assert(memcmp(ref, y, n * sizeof *y) == 0, "%s differs from scalar",
                  vf_isa_name((vf_isa)isa));
    }
    free(x);
    free(ref);
    free(y);
}

Test(relu_fast, isa_names_and_env_validation)
{
    vf_err e;
    cr_assert_eq(vf_isa_from_name("avx512"), VF_ISA_AVX512);
    cr_assert_eq(vf_isa_from_name("sse9"), -1);
    cr_assert_eq(vf_isa_set((vf_isa)7, &e), VF_E_USAGE);
    setenv("VF_ISA", "bogus", 1);
    cr_assert_eq(vf_isa_init_from_env(&e), VF_E_USAGE);
    cr_assert(strstr(e.msg, "bogus"), "%s", e.msg);
    setenv("VF_ISA", "scalar", 1);
    cr_assert_eq(vf_isa_init_from_env(&e), VF_OK);
    cr_assert_eq(vf_isa_active(), VF_ISA_SCALAR);
    unsetenv("VF_ISA");
}

/* The streaming-store path (out of place, n >= 4 Mi floats) with a misaligned output: bitwise
 * equal to the scalar instance, specials included. */
Test(relu_fast, streaming_path_matches_scalar)
{
    size_t n = ((size_t)4 << 20) + 37;
    float *x = malloc(n * sizeof *x), *ref = malloc(n * sizeof *ref);
    float *ybuf = malloc((n + 1) * sizeof *ybuf), *y = ybuf + 1;
    cr_assert(x && ref && ybuf);
    vf_fill_f32(x, n, VF_FILL_NORMAL, VF_SEED_DEFAULT, 13);
    x[5] = NAN;
    x[6] = -0.0f;
    x[n - 1] = -INFINITY;
    vf_relu_f32__scalar(x, ref, n);
    for (int isa = 1; isa < VF_ISA__COUNT; isa++) {
        if (!vf_isa_supported((vf_isa)isa))
            continue;
        memset(ybuf, 0xff, (n + 1) * sizeof *ybuf);
        (isa == VF_ISA_AVX2 ? vf_relu_f32__avx2 : vf_relu_f32__avx512)(x, y, n);
        cr_assert(memcmp(ref, y, n * sizeof *y) == 0, "%s streaming path differs",
                  vf_isa_name((vf_isa)isa));
    }
    free(x);
    free(ref);
    free(ybuf);
}

/* Two threads (above VF_PAR_MIN_ELEMS) give the same bits as one, in place and out of place. */
Test(relu_fast, threads_bitwise_identical)
{
    size_t n = VF_PAR_MIN_ELEMS * 3 + 5;
    float *x = malloc(n * sizeof *x), *y1 = malloc(n * sizeof *y1), *y2 = malloc(n * sizeof *y2);
    cr_assert(x && y1 && y2);
    vf_fill_f32(x, n, VF_FILL_NORMAL, VF_SEED_DEFAULT, 17);
    x[n / 2] = NAN;
    vf_par_set_max_threads(1);
    vf_relu_f32(x, y1, n);
    vf_par_set_max_threads(2);
    vf_relu_f32(x, y2, n);
    cr_assert(memcmp(y1, y2, n * sizeof *y1) == 0, "1 vs 2 threads differ (out of place)");
    vf_relu_f32(x, x, n);
    cr_assert(memcmp(x, y1, n * sizeof *y1) == 0, "1 vs 2 threads differ (in place)");
    vf_par_set_max_threads(0);
    free(x);
    free(y1);
    free(y2);
}
