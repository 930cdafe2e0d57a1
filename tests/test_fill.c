/* Named deterministic fills (vf_rng.h): determinism, index-wise independence, and the
 * property each fill is documented to exercise.
 *
 * Statistical checks use Hoeffding's inequality for n independent draws bounded in [a, b]:
 * P(|mean - E| >= t) <= 2 exp(-2 n t^2 / (b - a)^2).  Every threshold below is chosen so that
 * this bound is below 1e-8 (exponent >= 20), so a failure means a broken fill, not bad luck;
 * the outputs are deterministic anyway (fixed seed), the bound argues the seed is not special.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vf_rng.h"

#define N 100000

static float *fill32(vf_fill f, size_t n, uint64_t seed, uint64_t tensor)
{
    float *x = malloc((n ? n : 1) * sizeof *x);
    cr_assert_not_null(x);
    vf_fill_f32(x, n, f, seed, tensor);
    return x;
}

static uint32_t fbits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

Test(fill, names_round_trip)
{
    for (int f = 0; f < VF_FILL__COUNT; f++) {
        const char *name = vf_fill_name((vf_fill)f);
        cr_assert_not_null(name);
        cr_assert_eq(vf_fill_from_name(name), f, "%s", name);
        for (int g = 0; g < f; g++)
            cr_assert_str_neq(name, vf_fill_name((vf_fill)g));
    }
    cr_assert_str_eq(vf_fill_name(VF_FILL_BIG), "big");
    cr_assert_str_eq(vf_fill_name(VF_FILL_DENORMAL), "denormal");
    cr_assert_eq(vf_fill_from_name("Uniform"), -1);
    cr_assert_eq(vf_fill_from_name("uniformx"), -1);
    cr_assert_eq(vf_fill_from_name(""), -1);
    cr_assert_eq(vf_fill_from_name(NULL), -1);
}

Test(fill, same_arguments_same_values_and_keys_matter)
{
    for (int f = 0; f < VF_FILL__COUNT; f++) {
        float *a = fill32((vf_fill)f, 4096, 42, 3), *b = fill32((vf_fill)f, 4096, 42, 3);
        float *c = fill32((vf_fill)f, 4096, 43, 3), *d = fill32((vf_fill)f, 4096, 42, 4);
        cr_assert_eq(memcmp(a, b, 4096 * sizeof *a), 0, "%s not deterministic",
                     vf_fill_name((vf_fill)f));
        size_t diff_seed = 0, diff_tensor = 0;
        for (size_t i = 0; i < 4096; i++) {
            diff_seed += fbits(a[i]) != fbits(c[i]);
            diff_tensor += fbits(a[i]) != fbits(d[i]);
        }
        /* Even the 4-level fill differs in about 3/4 of the places; a quarter is plenty. */
        cr_assert_gt(diff_seed, 1024, "%s: seed barely matters", vf_fill_name((vf_fill)f));
        cr_assert_gt(diff_tensor, 1024, "%s: tensor barely matters", vf_fill_name((vf_fill)f));
        free(a);
        free(b);
        free(c);
        free(d);
    }
}

Test(fill, value_i_does_not_depend_on_the_buffer_length)
{
    static const size_t lens[] = {0, 1, 2, 7, 37, 1000};
    for (int f = 0; f < VF_FILL__COUNT; f++) {
        float *big = fill32((vf_fill)f, 5000, VF_SEED_DEFAULT, 9);
        for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
            /* Guard past the end: a fill of n must not write element n. */
            float *x = malloc((lens[k] + 1) * sizeof *x);
            cr_assert_not_null(x);
            x[lens[k]] = 12345.0f;
            vf_fill_f32(x, lens[k], (vf_fill)f, VF_SEED_DEFAULT, 9);
            cr_assert_eq(x[lens[k]], 12345.0f);
            for (size_t i = 0; i < lens[k]; i++)
                cr_assert_eq(fbits(x[i]), fbits(big[i]), "%s[%zu] of %zu",
                             vf_fill_name((vf_fill)f), i, lens[k]);
            free(x);
        }
        free(big);
    }
}

Test(fill, f64_is_the_f32_fill_widened)
{
    double *d = malloc(N * sizeof *d);
    cr_assert_not_null(d);
    for (int f = 0; f < VF_FILL__COUNT; f++) {
        float *x = fill32((vf_fill)f, N, 5, 6);
        vf_fill_f64(d, N, (vf_fill)f, 5, 6);
        for (size_t i = 0; i < N; i++) {
            cr_assert(d[i] == (double)x[i] || (isnan(d[i]) && isnan(x[i])), "%s[%zu]",
                      vf_fill_name((vf_fill)f), i);
            cr_assert_eq(signbit(d[i]) != 0, signbit(x[i]) != 0);
            cr_assert_eq((double)(float)d[i] == d[i] || isnan(d[i]), 1);
            cr_assert(!isnan(x[i]), "%s[%zu] is NaN", vf_fill_name((vf_fill)f), i);
        }
        free(x);
    }
    free(d);
}

Test(fill, uniform_covers_minus_one_to_one)
{
    float *x = fill32(VF_FILL_UNIFORM, N, VF_SEED_DEFAULT, 1);
    double sum = 0;
    size_t neg = 0;
    for (size_t i = 0; i < N; i++) {
        cr_assert(x[i] >= -1.0f && x[i] < 1.0f, "x[%zu] = %a", i, x[i]);
        sum += x[i];
        neg += x[i] < 0;
    }
    /* Mean: range 2, t = 0.02: 2 n t^2 / 4 = 20.  Sign fraction: range 1, t = 0.01: 20. */
    cr_assert_lt(fabs(sum / N), 0.02);
    cr_assert_lt(fabs((double)neg / N - 0.5), 0.01);
    free(x);
}

Test(fill, normal_has_mean_zero_variance_one_and_bounded_support)
{
    float *x = fill32(VF_FILL_NORMAL, N, VF_SEED_DEFAULT, 2);
    double s = 0, s2 = 0, lim = 2 * sqrt(3.0);
    for (size_t i = 0; i < N; i++) {
        cr_assert(fabs(x[i]) <= lim, "x[%zu] = %a", i, x[i]);
        s += x[i];
        s2 += (double)x[i] * x[i];
    }
    /* x in [-2 sqrt 3, 2 sqrt 3] (range^2 = 48): t = 0.07 gives 2 n t^2 / 48 = 20.4.
     * x^2 in [0, 12] (range^2 = 144), E x^2 = 1: t = 0.12 gives 2 n t^2 / 144 = 20. */
    cr_assert_lt(fabs(s / N), 0.07);
    cr_assert_lt(fabs(s2 / N - 1.0), 0.12);
    free(x);
}

Test(fill, ties_use_four_levels_and_rows_tie)
{
    float *x = fill32(VF_FILL_TIES, N, VF_SEED_DEFAULT, 3);
    float levels[8];
    size_t nlev = 0, count[8] = {0};
    for (size_t i = 0; i < N; i++) {
        size_t k = 0;
        while (k < nlev && levels[k] != x[i])
            k++;
        if (k == nlev) {
            cr_assert_lt(nlev, 4, "a fifth level %a", x[i]);
            levels[nlev++] = x[i];
        }
        count[k]++;
    }
    cr_assert_eq(nlev, 4);
    /* Each level has probability 1/4: t = 0.01, 2 n t^2 = 20. */
    for (size_t k = 0; k < 4; k++)
        cr_assert_lt(fabs((double)count[k] / N - 0.25), 0.01, "level %a", levels[k]);
    /* So any row of 5 or more entries has an exact tie (pigeonhole); rows of 4 mostly do. */
    size_t rows_with_tie = 0;
    for (size_t r = 0; r + 4 <= 4000; r += 4) {
        int tie = 0;
        for (int i = 0; i < 4; i++)
            for (int j = i + 1; j < 4; j++)
                tie |= x[r + i] == x[r + j];
        rows_with_tie += tie;
    }
    /* P(4 distinct among 4) = 4!/4^4 = 3/32, so about 29/32 of the 1000 rows tie;
     * Hoeffding t = 0.1 over 1000 rows: 2 * 1000 * 0.01 = 20. */
    cr_assert_gt(rows_with_tie, 1000 * (29.0 / 32 - 0.1));
    free(x);
}

Test(fill, big_is_beyond_88_with_both_signs)
{
    float *x = fill32(VF_FILL_BIG, N, VF_SEED_DEFAULT, 4);
    size_t pos = 0, overflow = 0;
    for (size_t i = 0; i < N; i++) {
        cr_assert(fabsf(x[i]) >= 88.0f && fabsf(x[i]) <= 120.0f, "x[%zu] = %a", i, x[i]);
        pos += x[i] > 0;
        overflow += x[i] > 0 && isinf(expf(x[i]));
    }
    cr_assert_lt(fabs((double)pos / N - 0.5), 0.01); /* Hoeffding t = 0.01: 20 */
    /* expf overflows above ln(FLT_MAX) = 88.72: (120 - 88.72) / 32 = 98% of the positives. */
    cr_assert_gt(overflow, pos * 9 / 10);
    free(x);
}

Test(fill, negative_is_strictly_negative_in_range)
{
    float *x = fill32(VF_FILL_NEGATIVE, N, VF_SEED_DEFAULT, 5);
    float lo = 0, hi = -100;
    for (size_t i = 0; i < N; i++) {
        cr_assert(x[i] >= -30.0f && x[i] < -1.0f, "x[%zu] = %a", i, x[i]);
        lo = fminf(lo, x[i]);
        hi = fmaxf(hi, x[i]);
    }
    /* Spread over the whole range: the gap to each end is below 1 with overwhelming
     * probability ((1 - 1/29)^N). */
    cr_assert_lt(lo, -29.0f);
    cr_assert_gt(hi, -2.0f);
    free(x);
}

Test(fill, masked_is_about_one_in_four_minus_inf)
{
    float *x = fill32(VF_FILL_MASKED, N, VF_SEED_DEFAULT, 6);
    float *nrm = fill32(VF_FILL_NORMAL, N, VF_SEED_DEFAULT, 6);
    size_t masked = 0;
    for (size_t i = 0; i < N; i++) {
        if (isinf(x[i])) {
            cr_assert(x[i] < 0, "x[%zu] = +inf", i);
            masked++;
        } else {
            /* Unmasked entries are the normal-like fill of the same (seed, tensor, index). */
            cr_assert_eq(fbits(x[i]), fbits(nrm[i]), "x[%zu]", i);
        }
    }
    /* Binomial(N, 1/4): Hoeffding with t = 0.01 gives 2 exp(-2 N t^2) = 2 exp(-20). */
    cr_assert_lt(fabs((double)masked / N - 0.25), 0.01, "%zu masked of %d", masked, N);
    /* No long runs are guaranteed unmasked, but every row of 64 has a finite entry with
     * probability 1 - 4^-64: check the first 1000 such rows. */
    for (size_t r = 0; r < 1000; r++) {
        int finite = 0;
        for (size_t j = 0; j < 64; j++)
            finite |= isfinite(x[64 * r + j]);
        cr_assert(finite, "row %zu all masked", r);
    }
    free(x);
    free(nrm);
}

Test(fill, denormal_has_subnormals_tiny_normals_and_zeros_of_both_signs)
{
    float *x = fill32(VF_FILL_DENORMAL, N, VF_SEED_DEFAULT, 7);
    size_t sub[2] = {0}, tiny[2] = {0}, zero[2] = {0};
    for (size_t i = 0; i < N; i++) {
        int neg = signbit(x[i]) != 0;
        float a = fabsf(x[i]);
        cr_assert(a < 0x1p-120f, "x[%zu] = %a is not tiny", i, x[i]);
        if (a == 0)
            zero[neg]++;
        else if (a < 0x1p-126f)
            sub[neg]++;
        else
            tiny[neg]++;
    }
    /* Designed fractions 1/16 zero, 9/16 subnormal, 6/16 tiny normal, halves by sign;
     * Hoeffding t = 0.01 per class and sign (exponent 20). */
    for (int s = 0; s < 2; s++) {
        cr_assert_lt(fabs((double)zero[s] / N - 1.0 / 32), 0.01);
        cr_assert_lt(fabs((double)sub[s] / N - 9.0 / 32), 0.01);
        cr_assert_lt(fabs((double)tiny[s] / N - 6.0 / 32), 0.01);
        cr_assert_gt(zero[s], 0);
    }
    /* The smallest subnormal and values near the top of the subnormal range both occur. */
    size_t smallest_region = 0, top_region = 0;
    for (size_t i = 0; i < N; i++) {
        float a = fabsf(x[i]);
        smallest_region += a > 0 && a < 0x1p-135f; /* m < 2^14: about 110 expected */
        top_region += a >= 0x1p-127f && a < 0x1p-126f;
    }
    cr_assert_gt(smallest_region, 0);
    cr_assert_gt(top_region, 0);
    free(x);
}
