/* Certified softmax family and Gibbs thermodynamics (ref/vf_softmax.h), and the TH-1..8 claims.
 * Every bound asserted below is derived in its comment; none is tuned. */
#include <criterion/criterion.h>
#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "vf_rng.h"
#include "vf_softmax.h"

#define P 128

static vf_sm_src f64_src(const double *v, size_t rows, size_t cols, int energy)
{
    return (vf_sm_src){.kind = VF_SM_F64, .rows = rows, .cols = cols, .f64 = v,
                       .energy = energy};
}

static void imat_new(vf_imat *m, size_t r, size_t c)
{
    vf_err e;
    cr_assert_eq(vf_imat_init(m, r, c, P, &e), VF_OK);
}

/* ---------------------------------------------------------------- kernel properties */

Test(softmax_ref, rows_sum_to_one_enclosure)
{
    enum { R = 6, N = 64 };
    float x[R * N];
    vf_fill_f32(x, R * N, VF_FILL_NORMAL, 11, 0);
    vf_sm_src s = {.kind = VF_SM_F32, .rows = R, .cols = N, .f32 = x};
    vf_imat p;
    vf_err e;
    imat_new(&p, R, N);
    cr_assert_eq(vf_ref_softmax(&p, &s, NULL, &e), VF_OK, "%s", e.msg);
    mpfi_t sum;
    mpfi_init2(sum, P);
    for (size_t i = 0; i < R; i++) {
        mpfi_set_ui(sum, 0);
        for (size_t j = 0; j < N; j++) {
            cr_assert(mpfi_is_strictly_pos(VF_I(&p, i, j)));
            mpfi_add(sum, sum, VF_I(&p, i, j));
        }
        cr_assert(mpfi_is_inside_ui(1, sum), "row %zu sum does not enclose 1", i);
        /* ~3 roundings per entry and N additions at 128 bits: width far below 2^-100. */
        cr_assert_geq(vf_iv_abs_bits(sum), 100);
    }
    mpfi_clear(sum);
    vf_imat_clear(&p);
}

Test(softmax_ref, masked_entries_exactly_zero)
{
    const double x[] = {1.5, -INFINITY, -2.0, -INFINITY, 0.25};
    vf_sm_src s = f64_src(x, 1, 5, 0);
    vf_imat p, lp;
    vf_err e;
    imat_new(&p, 1, 5);
    imat_new(&lp, 1, 5);
    cr_assert_eq(vf_ref_softmax(&p, &s, NULL, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(vf_ref_log_softmax(&lp, &s, NULL, &e), VF_OK, "%s", e.msg);
    for (int j = 1; j <= 3; j += 2) {
        cr_assert(mpfi_is_zero(VF_I(&p, 0, j)), "masked p is the point 0");
        cr_assert(mpfr_inf_p(&VF_I(&lp, 0, j)->left) && mpfr_inf_p(&VF_I(&lp, 0, j)->right));
        cr_assert(mpfr_sgn(&VF_I(&lp, 0, j)->right) < 0, "log of a masked entry is -inf");
    }
    /* Dropped from Z: the unmasked entries equal the softmax of the 3 finite logits. */
    const double y[] = {1.5, -2.0, 0.25};
    vf_sm_src s3 = f64_src(y, 1, 3, 0);
    vf_imat p3;
    imat_new(&p3, 1, 3);
    cr_assert_eq(vf_ref_softmax(&p3, &s3, NULL, &e), VF_OK);
    const int map[] = {0, 2, 4};
    for (int k = 0; k < 3; k++)
        cr_assert(mpfi_cmp(VF_I(&p3, 0, k), VF_I(&p, 0, map[k])) == 0 &&
                  mpfr_equal_p(&VF_I(&p3, 0, k)->left, &VF_I(&p, 0, map[k])->left));
    vf_rounded r;
    cr_assert_eq(vf_ref_softmax_cr(&r, &s, NULL, VF_DT_F32, &e), VF_OK);
    cr_assert_eq(r.n_uncertified, 0);
    cr_assert(r.v[1] == 0.0 && !signbit(r.v[1]) && r.certified[1]);
    vf_rounded_clear(&r);
    vf_imat_clear(&p);
    vf_imat_clear(&lp);
    vf_imat_clear(&p3);
}

Test(softmax_ref, all_masked_row_is_domain_error_naming_row)
{
    const double x[] = {0.0, 1.0, -INFINITY, -INFINITY};
    vf_sm_src s = f64_src(x, 2, 2, 0);
    vf_imat p;
    vf_err e;
    imat_new(&p, 2, 2);
    cr_assert_eq(vf_ref_softmax(&p, &s, NULL, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "row 1") && strstr(e.msg, "masked"), "%s", e.msg);
    vf_rounded r;
    cr_assert_eq(vf_ref_softmax_cr(&r, &s, NULL, VF_DT_F32, &e), VF_E_DOMAIN);
    vf_rounded_clear(&r);
    /* Energies: +inf energies are the masked ones. */
    const double en[] = {INFINITY, INFINITY};
    vf_sm_src se = f64_src(en, 1, 2, 1);
    vf_imat t;
    imat_new(&t, 1, 1);
    cr_assert_eq(vf_ref_thermo(&t, &se, NULL, VF_TH_C, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "row 0"), "%s", e.msg);
    vf_imat_clear(&p);
    vf_imat_clear(&t);
}

Test(softmax_ref, plus_inf_logit_and_nan_are_domain_errors)
{
    const double a[] = {0.0, 2.0, 1.0, INFINITY};
    const double b[] = {0.0, NAN};
    vf_imat p, p2;
    vf_err e;
    imat_new(&p, 2, 2);
    imat_new(&p2, 1, 2);
    vf_sm_src s = f64_src(a, 2, 2, 0);
    cr_assert_eq(vf_ref_softmax(&p, &s, NULL, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "row 1") && strstr(e.msg, "+inf"), "%s", e.msg);
    vf_sm_src sn = f64_src(b, 1, 2, 0);
    cr_assert_eq(vf_ref_softmax(&p2, &sn, NULL, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "NaN"), "%s", e.msg);
    const double en[] = {1.0, -INFINITY}; /* energy -inf = logit +inf */
    vf_sm_src se = f64_src(en, 1, 2, 1);
    cr_assert_eq(vf_ref_softmax(&p2, &se, NULL, &e), VF_E_DOMAIN);
    vf_imat_clear(&p);
    vf_imat_clear(&p2);
}

Test(softmax_ref, nonpositive_temperature_is_domain_error)
{
    const double x[] = {0.0, 1.0};
    vf_sm_src s = f64_src(x, 1, 2, 0);
    mpq_t t;
    mpq_init(t);
    vf_temp T = {t, 0};
    vf_imat p;
    vf_err e;
    imat_new(&p, 1, 2);
    cr_assert_eq(vf_ref_softmax(&p, &s, &T, &e), VF_E_DOMAIN);
    mpq_set_si(t, -1, 2);
    cr_assert_eq(vf_ref_softmax(&p, &s, &T, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "temperature"), "%s", e.msg);
    mpq_clear(t);
    vf_imat_clear(&p);
}

/* N = 1: p* = (1), F* = E_1, U* = E_1, S* = 0, C = 0 (THEORY §5.6). */
Test(softmax_ref, single_entry)
{
    const double en[] = {-97.25};
    vf_sm_src s = f64_src(en, 1, 1, 1);
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(t, 3, 7);
    vf_temp T = {t, 0};
    vf_imat p, q;
    vf_err e;
    imat_new(&p, 1, 1);
    imat_new(&q, 1, 1);
    cr_assert_eq(vf_ref_softmax(&p, &s, &T, &e), VF_OK);
    cr_assert(mpfi_is_inside_ui(1, VF_I(&p, 0, 0)), "p* = (1) enclosed");
    /* |s/T| = 97.25 * 7/3 < 2^8: its enclosure is 2^8 2^-127 wide, p* = e^y/e^y about twice
     * that, so 110 bits is a safe floor at 128. */
    cr_assert_geq(vf_iv_abs_bits(VF_I(&p, 0, 0)), 110);
    const double want[] = {0, -97.25, -97.25, 0, 0}; /* log Z = 97.25 / T checked apart */
    for (int k = VF_TH_F; k <= VF_TH_C; k++) {
        cr_assert_eq(vf_ref_thermo(&q, &s, &T, (vf_thermo_q)k, &e), VF_OK);
        cr_assert(mpfi_is_inside_d(want[k], VF_I(&q, 0, 0)), "quantity %d", k);
        cr_assert_geq(vf_iv_abs_bits(VF_I(&q, 0, 0)), 110);
    }
    mpq_clear(t);
    vf_imat_clear(&p);
    vf_imat_clear(&q);
}

Test(softmax_ref, ties_give_identical_enclosures)
{
    const double x[] = {0.5, -3.0, 0.5, -3.0, 0.5, 7.0, 7.0};
    vf_sm_src s = f64_src(x, 1, 7, 0);
    vf_imat p;
    vf_err e;
    imat_new(&p, 1, 7);
    cr_assert_eq(vf_ref_softmax(&p, &s, NULL, &e), VF_OK);
    const int pairs[][2] = {{0, 2}, {2, 4}, {1, 3}, {5, 6}};
    for (int k = 0; k < 4; k++) {
        mpfi_srcptr a = VF_I(&p, 0, pairs[k][0]), b = VF_I(&p, 0, pairs[k][1]);
        cr_assert(mpfr_equal_p(&a->left, &b->left) && mpfr_equal_p(&a->right, &b->right));
    }
    vf_rounded r;
    cr_assert_eq(vf_ref_softmax_cr(&r, &s, NULL, VF_DT_F32, &e), VF_OK);
    cr_assert(r.v[0] == r.v[2] && r.v[2] == r.v[4] && r.v[5] == r.v[6]);
    vf_rounded_clear(&r);
    vf_imat_clear(&p);
}

/* Independent reference: MPFR at 300 bits, round to nearest, no shift (MPFR's exponent range
 * makes e^{120} and e^{-7680} harmless), rounded to float.  Relative error of that evaluation
 * is below 2^-290, so it differs from the correct rounding only for a value within 2^-290 of a
 * float32 rounding boundary. */
static float mpfr300_softmax(const double *s, size_t n, size_t j, double T)
{
    mpfr_t z, t, w;
    mpfr_inits2(300, z, t, w, (mpfr_ptr)0);
    mpfr_set_ui(z, 0, MPFR_RNDN);
    for (size_t k = 0; k < n; k++) {
        if (isinf(s[k]))
            continue;
        mpfr_set_d(t, s[k], MPFR_RNDN);
        mpfr_div_d(t, t, T, MPFR_RNDN);
        mpfr_exp(t, t, MPFR_RNDN);
        if (k == j)
            mpfr_set(w, t, MPFR_RNDN);
        mpfr_add(z, z, t, MPFR_RNDN);
    }
    mpfr_div(w, w, z, MPFR_RNDN);
    float f = isinf(s[j]) ? 0.0f : mpfr_get_flt(w, MPFR_RNDN);
    mpfr_clears(z, t, w, (mpfr_ptr)0);
    return f;
}

Test(softmax_ref, correctly_rounded_f32_matches_mpfr_300)
{
    enum { R = 4, N = 37 };
    const vf_fill fills[] = {VF_FILL_NORMAL, VF_FILL_BIG, VF_FILL_MASKED, VF_FILL_TIES,
                             VF_FILL_NEGATIVE};
    const double temps[] = {1.0, 0.015625, 1024.0, 1.5};
    for (size_t f = 0; f < sizeof fills / sizeof fills[0]; f++)
        for (size_t ti = 0; ti < 4; ti++) {
            double x[R * N];
            vf_fill_f64(x, R * N, fills[f], 5, f);
            for (size_t i = 0; i < R; i++)
                x[i * N] = fills[f] == VF_FILL_MASKED ? 0.0 : x[i * N]; /* never all masked */
            vf_sm_src s = f64_src(x, R, N, 0);
            mpq_t t;
            mpq_init(t);
            mpq_set_d(t, temps[ti]);
            vf_temp T = {t, 0};
            vf_rounded r;
            vf_err e;
            cr_assert_eq(vf_ref_softmax_cr(&r, &s, &T, VF_DT_F32, &e), VF_OK, "%s", e.msg);
            cr_assert_eq(r.n_uncertified, 0);
            for (size_t i = 0; i < R; i++)
                for (size_t j = 0; j < N; j++) {
                    float want = mpfr300_softmax(x + i * N, N, j, temps[ti]);
                    cr_assert(r.v[i * N + j] == (double)want && isfinite(r.v[i * N + j]),
                              "fill %s T %g (%zu,%zu): %a vs %a", vf_fill_name(fills[f]),
                              temps[ti], i, j, r.v[i * N + j], (double)want);
                }
            vf_rounded_clear(&r);
            mpq_clear(t);
        }
}

Test(softmax_ref, logits_beyond_88_do_not_overflow)
{
    enum { N = 256 };
    float x[N];
    vf_fill_f32(x, N, VF_FILL_BIG, 3, 1); /* |x| in [88, 120): e^x overflows float32 */
    vf_sm_src s = {.kind = VF_SM_F32, .rows = 1, .cols = N, .f32 = x};
    vf_rounded r, l, lse;
    vf_err e;
    cr_assert_eq(vf_ref_softmax_cr(&r, &s, NULL, VF_DT_F32, &e), VF_OK);
    cr_assert_eq(vf_ref_log_softmax_cr(&l, &s, NULL, VF_DT_F32, &e), VF_OK);
    cr_assert_eq(vf_ref_logsumexp_cr(&lse, &s, NULL, VF_DT_F64, &e), VF_OK);
    cr_assert_eq(r.n_uncertified + l.n_uncertified + lse.n_uncertified, 0);
    double mx = -INFINITY;
    for (size_t j = 0; j < N; j++) {
        cr_assert(isfinite(r.v[j]) && r.v[j] >= 0 && r.v[j] <= 1);
        cr_assert(isfinite(l.v[j]) && l.v[j] <= 0);
        mx = x[j] > mx ? x[j] : mx;
    }
    /* LSE bound: max <= LSE <= max + log N (5.55 for N = 256). */
    cr_assert(lse.v[0] >= mx && lse.v[0] <= mx + log(256.0) + 1e-12);
    vf_rounded_clear(&r);
    vf_rounded_clear(&l);
    vf_rounded_clear(&lse);
}

/* T -> 0: E = (0, 1, 0, 2, 1.5), T = 1/64, argmin set {0, 2}, m = 2.  With R = sum over the
 * others of e^{-(E_j - E_min)/T}: p_j = e^{-D_j/T}/(m + R) <= e^{-D_j/T} / m off the argmin,
 * 1/m - R/m <= 1/(m + R) = p_j <= 1/m on it (the sharper 1/m - R/m^2 is only R^2/m^3 ~ 1e-56
 * away from p_j: below what 128 bits resolve), and F* = E_min - T log(m + R) in
 * [E_min - T log m - T R, E_min - T log m] (T R rather than the sharper T R/m, whose gap to
 * T log(1 + R/m) is ~1e-58, below 128-bit resolution). */
Test(softmax_ref, small_temperature_approaches_hardmax)
{
    const double en[] = {0.0, 1.0, 0.0, 2.0, 1.5};
    vf_sm_src s = f64_src(en, 1, 5, 1);
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(t, 1, 64);
    vf_temp T = {t, 0};
    vf_imat p, f;
    vf_err e;
    imat_new(&p, 1, 5);
    imat_new(&f, 1, 1);
    cr_assert_eq(vf_ref_softmax(&p, &s, &T, &e), VF_OK);
    cr_assert_eq(vf_ref_thermo(&f, &s, &T, VF_TH_F, &e), VF_OK);
    mpfi_t b, R, lo, hi;
    mpfi_init2(b, P);
    mpfi_init2(R, P);
    mpfi_init2(lo, P);
    mpfi_init2(hi, P);
    mpfi_set_ui(R, 0);
    for (int j = 0; j < 5; j++) {
        if (en[j] == 0.0)
            continue;
        mpfi_set_d(b, -en[j] * 64);
        mpfi_exp(b, b);
        mpfi_add(R, R, b);
        mpfi_div_ui(b, b, 2);
        cr_assert(mpfr_cmp(&VF_I(&p, 0, j)->right, &b->left) <= 0, "p_%d above e^-D/T/m", j);
    }
    mpfi_div_ui(b, R, 2); /* R/m */
    mpfi_set_d(lo, 0.5);
    mpfi_sub(lo, lo, b);
    for (int j = 0; j < 5; j++) {
        if (en[j] != 0.0)
            continue; /* the argmin set */
        cr_assert(mpfr_cmp(&VF_I(&p, 0, j)->left, &lo->left) >= 0);
        cr_assert(mpfr_cmp_d(&VF_I(&p, 0, j)->right, 0.5) <= 0);
    }
    mpfi_set_ui(hi, 2);
    mpfi_log(hi, hi);
    mpfi_div_ui(hi, hi, 64); /* T log m */
    mpfi_neg(hi, hi);
    mpfi_div_ui(b, R, 64); /* T R >= T log(1 + R/m): slack T R/2, resolvable at 128 bits */
    mpfi_sub(lo, hi, b);
    cr_assert(mpfr_cmp(&VF_I(&f, 0, 0)->left, &lo->left) >= 0);
    cr_assert(mpfr_cmp(&VF_I(&f, 0, 0)->right, &hi->right) <= 0);
    mpfi_clear(b);
    mpfi_clear(R);
    mpfi_clear(lo);
    mpfi_clear(hi);
    mpq_clear(t);
    vf_imat_clear(&p);
    vf_imat_clear(&f);
}

/* T -> inf: with δ = (max E - min E)/T, every x_j = -E_j/T lies in an interval of length δ,
 * so e^{-δ}/N <= p_j <= e^{δ}/N; and C = Var(E)/T^2 <= (max E - min E)^2 / (4 T^2)
 * (Popoviciu). */
Test(softmax_ref, large_temperature_approaches_uniform)
{
    enum { N = 8 };
    double en[N];
    vf_fill_f64(en, N, VF_FILL_NORMAL, 9, 2);
    double mn = en[0], mx = en[0];
    for (int j = 1; j < N; j++) {
        mn = en[j] < mn ? en[j] : mn;
        mx = en[j] > mx ? en[j] : mx;
    }
    vf_sm_src s = f64_src(en, 1, N, 1);
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(t, 1024, 1);
    vf_temp T = {t, 0};
    vf_imat p, c;
    vf_err e;
    imat_new(&p, 1, N);
    imat_new(&c, 1, 1);
    cr_assert_eq(vf_ref_softmax(&p, &s, &T, &e), VF_OK);
    cr_assert_eq(vf_ref_thermo(&c, &s, &T, VF_TH_C, &e), VF_OK);
    mpfi_t d, lo, hi;
    mpfi_init2(d, P);
    mpfi_init2(lo, P);
    mpfi_init2(hi, P);
    mpfi_set_d(d, mx);
    mpfi_sub_d(d, d, mn);
    mpfi_div_ui(d, d, 1024);
    mpfi_exp(hi, d);
    mpfi_div_ui(hi, hi, N);
    mpfi_neg(d, d);
    mpfi_exp(lo, d);
    mpfi_div_ui(lo, lo, N);
    for (int j = 0; j < N; j++) {
        cr_assert(mpfr_cmp(&VF_I(&p, 0, j)->left, &lo->left) >= 0);
        cr_assert(mpfr_cmp(&VF_I(&p, 0, j)->right, &hi->right) <= 0);
    }
    mpfi_set_d(d, mx);
    mpfi_sub_d(d, d, mn);
    mpfi_div_ui(d, d, 2 * 1024);
    mpfi_sqr(d, d);
    cr_assert(mpfi_is_nonneg(VF_I(&c, 0, 0)));
    cr_assert(mpfr_cmp(&VF_I(&c, 0, 0)->right, &d->right) <= 0);
    mpfi_clear(d);
    mpfi_clear(lo);
    mpfi_clear(hi);
    mpq_clear(t);
    vf_imat_clear(&p);
    vf_imat_clear(&c);
}

Test(softmax_ref, zero_entries_contribute_exactly_zero)
{
    /* q = (1/2, 0, 1/2) on energies (1, +inf, 3): the masked entry carries no mass, F[q] =
     * 2 - T log 2 finite; S[q] = log 2; KL(q||q) = 0. */
    const double en[] = {1.0, INFINITY, 3.0};
    vf_qmat q;
    vf_err e;
    cr_assert_eq(vf_qmat_init(&q, 1, 3, &e), VF_OK);
    mpq_set_ui(q.a[0], 1, 2);
    mpq_set_ui(q.a[2], 1, 2);
    vf_imat qi, f, s, kl;
    imat_new(&qi, 1, 3);
    imat_new(&f, 1, 1);
    imat_new(&s, 1, 1);
    imat_new(&kl, 1, 1);
    cr_assert_eq(vf_imat_from_q(&qi, &q, &e), VF_OK);
    vf_sm_src E = f64_src(en, 1, 3, 1);
    cr_assert_eq(vf_ref_free_energy(&f, &E, &qi, NULL, &e), VF_OK, "%s", e.msg);
    mpfi_t w;
    mpfi_init2(w, P);
    mpfi_const_log2(w);
    mpfi_neg(w, w);
    mpfi_add_ui(w, w, 2);
    mpfi_sub(w, w, VF_I(&f, 0, 0));
    cr_assert(mpfi_has_zero(w), "F[q] encloses 2 - log 2");
    cr_assert_eq(vf_ref_entropy(&s, &qi, &e), VF_OK);
    mpfi_const_log2(w);
    mpfi_sub(w, w, VF_I(&s, 0, 0));
    cr_assert(mpfi_has_zero(w) && vf_iv_abs_bits(w) >= 120, "S = log 2");
    cr_assert_eq(vf_ref_kl(&kl, &qi, &qi, &e), VF_OK);
    cr_assert(mpfi_has_zero(VF_I(&kl, 0, 0)));
    /* Mass on the masked entry: F[q] = +inf is a domain error, not an infinity. */
    mpq_set_ui(q.a[0], 1, 4);
    mpq_set_ui(q.a[1], 1, 4);
    cr_assert_eq(vf_imat_from_q(&qi, &q, &e), VF_OK);
    cr_assert_eq(vf_ref_free_energy(&f, &E, &qi, NULL, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "masked"), "%s", e.msg);
    mpfi_clear(w);
    vf_qmat_clear(&q);
    vf_imat_clear(&qi);
    vf_imat_clear(&f);
    vf_imat_clear(&s);
    vf_imat_clear(&kl);
}

Test(softmax_ref, kl_infinite_and_non_simplex_are_domain_errors)
{
    const double qv[] = {0.5, 0.5, 0.0}, pv[] = {1.0, 0.0, 0.0}, bad[] = {0.5, 0.75, -0.25};
    vf_sm_src q = f64_src(qv, 1, 3, 0), p = f64_src(pv, 1, 3, 0), b = f64_src(bad, 1, 3, 0);
    vf_rounded r;
    vf_err e;
    cr_assert_eq(vf_ref_kl_cr(&r, &q, &p, VF_DT_F64, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "KL"), "%s", e.msg);
    vf_rounded_clear(&r);
    cr_assert_eq(vf_ref_kl_cr(&r, &p, &q, VF_DT_F64, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(r.v[0], log(2.0), "KL((1,0,0)||(1/2,1/2,0)) = log 2, correctly rounded");
    vf_rounded_clear(&r);
    cr_assert_eq(vf_ref_entropy_cr(&r, &b, VF_DT_F64, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "negative"), "%s", e.msg);
    vf_rounded_clear(&r);
    const double sum2[] = {0.5, 0.75};
    vf_sm_src s2 = f64_src(sum2, 1, 2, 0);
    cr_assert_eq(vf_ref_entropy_cr(&r, &s2, VF_DT_F64, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "sum to 1"), "%s", e.msg);
    vf_rounded_clear(&r);
}

Test(softmax_ref, thermo_correctly_rounded_matches_mpfr_300)
{
    enum { N = 20 };
    double en[N];
    vf_fill_f64(en, N, VF_FILL_NORMAL, 4, 4);
    vf_sm_src s = f64_src(en, 1, N, 1);
    vf_rounded u, lse;
    vf_err e;
    cr_assert_eq(vf_ref_thermo_cr(&u, &s, NULL, VF_TH_U, VF_DT_F64, &e), VF_OK);
    cr_assert_eq(vf_ref_logsumexp_cr(&lse, &s, NULL, VF_DT_F64, &e), VF_OK);
    cr_assert_eq(u.n_uncertified + lse.n_uncertified, 0);
    mpfr_t z, ez, t;
    mpfr_inits2(300, z, ez, t, (mpfr_ptr)0);
    mpfr_set_ui(z, 0, MPFR_RNDN);
    mpfr_set_ui(ez, 0, MPFR_RNDN);
    for (int j = 0; j < N; j++) {
        mpfr_set_d(t, -en[j], MPFR_RNDN);
        mpfr_exp(t, t, MPFR_RNDN);
        mpfr_add(z, z, t, MPFR_RNDN);
        mpfr_mul_d(t, t, en[j], MPFR_RNDN);
        mpfr_add(ez, ez, t, MPFR_RNDN);
    }
    mpfr_div(ez, ez, z, MPFR_RNDN);
    mpfr_log(z, z, MPFR_RNDN);
    cr_assert_eq(u.v[0], mpfr_get_d(ez, MPFR_RNDN));
    cr_assert_eq(lse.v[0], mpfr_get_d(z, MPFR_RNDN));
    mpfr_clears(z, ez, t, (mpfr_ptr)0);
    vf_rounded_clear(&u);
    vf_rounded_clear(&lse);
}

Test(softmax_ref, attention_matches_mpfr_300_and_checks_shapes)
{
    enum { M = 3, N = 5, D = 4 };
    float q[M * D], k[N * D];
    vf_fill_f32(q, M * D, VF_FILL_NORMAL, 8, 0);
    vf_fill_f32(k, N * D, VF_FILL_NORMAL, 8, 1);
    unsigned char mask[M * N] = {0};
    mask[0 * N + 4] = mask[1 * N + 0] = 1;
    vf_sm_src Q = {.kind = VF_SM_F32, .rows = M, .cols = D, .f32 = q};
    vf_sm_src K = {.kind = VF_SM_F32, .rows = N, .cols = D, .f32 = k};
    vf_rounded r;
    vf_err e;
    cr_assert_eq(vf_ref_attention_cr(&r, &Q, &K, mask, VF_DT_F32, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(r.n_uncertified, 0);
    for (int i = 0; i < M; i++) {
        double logits[N];
        for (int j = 0; j < N; j++) {
            double acc = 0; /* float products summed in double: exact (48-bit products, 4 terms) */
            for (int d = 0; d < D; d++)
                acc += (double)q[i * D + d] * (double)k[j * D + d];
            logits[j] = mask[i * N + j] ? -INFINITY : acc;
        }
        for (int j = 0; j < N; j++)
            cr_assert_eq(r.v[i * N + j], (double)mpfr300_softmax(logits, N, j, 2.0),
                         "(%d,%d)", i, j); /* sqrt(4) = 2 */
    }
    vf_rounded_clear(&r);
    vf_sm_src K3 = {.kind = VF_SM_F32, .rows = N, .cols = 3, .f32 = k};
    vf_imat p;
    imat_new(&p, M, N);
    cr_assert_eq(vf_ref_attention(&p, &Q, &K3, NULL, &e), VF_E_SHAPE);
    vf_imat_clear(&p);
}

/* The residual test is not vacuous: a wrong identity (the gap with T replaced by T + 2^-40)
 * gives an enclosure excluding 0. */
Test(softmax_ref, perturbed_gap_identity_is_detected)
{
    const double en[] = {0.5, -1.25, 2.0, 0.0};
    vf_sm_src E = f64_src(en, 1, 4, 1);
    vf_qmat q;
    vf_err e;
    cr_assert_eq(vf_qmat_init(&q, 1, 4, &e), VF_OK);
    mpq_set_ui(q.a[0], 1, 3);
    mpq_set_ui(q.a[1], 2, 3);
    vf_imat qi, ps, fq, fp, kl;
    imat_new(&qi, 1, 4);
    imat_new(&ps, 1, 4);
    imat_new(&fq, 1, 1);
    imat_new(&fp, 1, 1);
    imat_new(&kl, 1, 1);
    cr_assert_eq(vf_imat_from_q(&qi, &q, &e), VF_OK);
    cr_assert_eq(vf_ref_softmax(&ps, &E, NULL, &e), VF_OK);
    cr_assert_eq(vf_ref_free_energy(&fq, &E, &qi, NULL, &e), VF_OK);
    cr_assert_eq(vf_ref_free_energy(&fp, &E, &ps, NULL, &e), VF_OK);
    cr_assert_eq(vf_ref_kl(&kl, &qi, &ps, &e), VF_OK);
    mpfi_t r, t;
    mpfi_init2(r, P);
    mpfi_init2(t, P);
    mpfi_sub(r, VF_I(&fq, 0, 0), VF_I(&fp, 0, 0));
    mpfi_sub(t, r, VF_I(&kl, 0, 0));
    cr_assert(mpfi_has_zero(t) && vf_iv_abs_bits(t) >= 100, "the true identity certifies");
    mpfi_mul_d(t, VF_I(&kl, 0, 0), 1.0 + 0x1p-40);
    mpfi_sub(t, r, t);
    cr_assert(!mpfi_has_zero(t), "a 2^-40 error in T is caught");
    mpfi_clear(r);
    mpfi_clear(t);
    vf_qmat_clear(&q);
    vf_imat *all[] = {&qi, &ps, &fq, &fp, &kl};
    for (int k = 0; k < 5; k++)
        vf_imat_clear(all[k]);
}

/* ---------------------------------------------------------------- claims */

static void expect_certified(const vf_claim *c, uint64_t seed, size_t n, int trials, long prec,
                             long min_bits)
{
    vf_claim_opts o;
    vf_claim_opts_default(&o);
    if (seed)
        o.seed = seed;
    o.n = n;
    o.trials = trials;
    o.prec = prec;
    vf_claim_result r;
    vf_err e;
    vf_err_clear(&e);
    cr_assert_eq(vf_claim_run(c, &o, &r, &e), VF_OK, "%s: %s", c->id, e.msg);
    cr_assert_eq(r.verdict, VF_CERTIFIED, "%s (seed %llu n %zu): %s %s", c->id,
                 (unsigned long long)o.seed, n, vf_verdict_name(r.verdict), r.summary);
    cr_assert_geq(r.bits, min_bits, "%s: only %ld bits", c->id, r.bits);
    cr_assert_eq(c->expected, VF_CERTIFIED);
    vf_claim_result_clear(&r);
}

/* Default seed and sizes (8 trials: every edge kind), then N = 1 everywhere, another seed
 * through a second cycle of kinds, and a higher precision (bits follow the precision). */
#define CLAIM_TEST(name, var)                                                                  \
    Test(thermo_claims, name)                                                                  \
    {                                                                                          \
        expect_certified(&var, 0, 0, 0, 0, 64);                                                \
        expect_certified(&var, 0, 1, 0, 0, 64);                                                \
        expect_certified(&var, 12345, 7, 16, 0, 64);                                           \
        expect_certified(&var, 0, 0, 0, 256, 128);                                             \
    }

CLAIM_TEST(gibbs_gap, vf_claim_softmax_gibbs_gap)
CLAIM_TEST(free_energy_min, vf_claim_softmax_free_energy_min)
CLAIM_TEST(attention_is_gibbs, vf_claim_softmax_attention_is_gibbs)
CLAIM_TEST(specific_heat, vf_claim_softmax_specific_heat)
CLAIM_TEST(scale_invariance, vf_claim_softmax_scale_invariance)
CLAIM_TEST(shift_invariance, vf_claim_softmax_shift_invariance)
CLAIM_TEST(replicator_rest_point, vf_claim_softmax_replicator_rest_point)
CLAIM_TEST(lse_bounds, vf_claim_softmax_lse_bounds)

Test(thermo_claims, registered_with_class_t_and_source)
{
    const char *ids[] = {"softmax.gibbs_gap",          "softmax.free_energy_min",
                         "softmax.attention_is_gibbs", "softmax.specific_heat",
                         "softmax.scale_invariance",   "softmax.shift_invariance",
                         "softmax.replicator_rest_point", "softmax.lse_bounds"};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        const vf_claim *c = vf_claim_find(ids[k]);
        cr_assert(c, "%s registered", ids[k]);
        cr_assert_eq(c->cls, VF_CLASS_T);
        cr_assert(strstr(c->source, "Kim"));
    }
}
