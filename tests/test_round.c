/* Correct rounding: single rationals to binary16/32/64 (ties to even, gradual underflow,
 * overflow), the signed-zero policy of enclosures, and the Ziv loop with real and adversarial
 * evaluators. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "vf_round.h"

static uint64_t dbits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* q = (num / den) * 2^k, exact. */
static void q_set(mpq_t q, long num, unsigned long den, long k)
{
    mpq_set_si(q, num, den);
    mpq_canonicalize(q);
    if (k >= 0)
        mpq_mul_2exp(q, q, (mp_bitcnt_t)k);
    else
        mpq_div_2exp(q, q, (mp_bitcnt_t)-k);
}

/* q += s * 2^k */
static void q_add_pow2(mpq_t q, long s, long k)
{
    mpq_t t;
    mpq_init(t);
    q_set(t, s, 1, k);
    mpq_add(q, q, t);
    mpq_clear(t);
}

/* Asserts that q rounds to want in dt, bit for bit (signed zeros and infinities included). */
static void expect_round(const mpq_t q, vf_dtype dt, double want, const char *what)
{
    double got = -1.0;
    cr_assert_eq(vf_round_q(&got, q, dt), VF_OK, "%s", what);
    cr_expect_eq(dbits(got), dbits(want), "%s: got %a, want %a", what, got, want);
}

Test(round_q, float32_special_values)
{
    mpq_t q;
    mpq_init(q);
    q_set(q, 1, 3, 0);
    expect_round(q, VF_DT_F32, 0x1.555556p-2f, "1/3");
    q_set(q, 1, 1, 0);
    q_add_pow2(q, 1, -24);
    expect_round(q, VF_DT_F32, 1.0f, "1 + 2^-24 (tie to even, down)");
    q_add_pow2(q, 1, -200);
    expect_round(q, VF_DT_F32, 1.0f + 0x1p-23f, "1 + 2^-24 + 2^-200 (just above the tie)");
    q_set(q, 1, 1, 0);
    q_add_pow2(q, 3, -24);
    expect_round(q, VF_DT_F32, 1.0f + 0x1p-22f, "1 + 3*2^-24 (tie to even, up)");
    q_set(q, 1, 1, -150);
    expect_round(q, VF_DT_F32, 0.0, "2^-150 (tie between 0 and 2^-149)");
    q_set(q, -1, 1, -150);
    expect_round(q, VF_DT_F32, -0.0, "-2^-150 keeps its sign");
    q_set(q, 3, 1, -151);
    expect_round(q, VF_DT_F32, 0x1p-149, "3*2^-151");
    q_set(q, 3, 1, -150);
    expect_round(q, VF_DT_F32, 0x1p-148, "3*2^-150 (tie, subnormal, to even)");
    /* FLT_MAX + ulp/2 = 2^128 - 2^103: the tie between FLT_MAX (odd significand) and 2^128. */
    q_set(q, 1, 1, 128);
    q_add_pow2(q, -1, 103);
    expect_round(q, VF_DT_F32, INFINITY, "FLT_MAX + half ulp");
    q_add_pow2(q, -1, -1000);
    expect_round(q, VF_DT_F32, FLT_MAX, "just below FLT_MAX + half ulp");
    mpq_neg(q, q);
    expect_round(q, VF_DT_F32, -FLT_MAX, "negative");
    mpq_set_ui(q, 0, 1);
    expect_round(q, VF_DT_F32, 0.0, "zero is +0");
    mpq_clear(q);
}

Test(round_q, float64_special_values)
{
    mpq_t q;
    mpq_init(q);
    q_set(q, -1, 3, 0);
    expect_round(q, VF_DT_F64, -0x1.5555555555555p-2, "-1/3");
    q_set(q, 1, 1, -1075);
    expect_round(q, VF_DT_F64, 0.0, "2^-1075 (tie to 0)");
    q_set(q, 3, 1, -1076);
    expect_round(q, VF_DT_F64, 0x1p-1074, "3*2^-1076");
    q_set(q, 1, 1, 1024);
    q_add_pow2(q, -1, 970);
    expect_round(q, VF_DT_F64, INFINITY, "DBL_MAX + half ulp");
    q_add_pow2(q, -1, 0);
    expect_round(q, VF_DT_F64, DBL_MAX, "DBL_MAX + half ulp - 1");
    q_set(q, 1, 10, 0);
    expect_round(q, VF_DT_F64, 0.1, "1/10 (the literal 0.1 is its correct rounding)");
    mpq_clear(q);
}

Test(round_q, float16_special_values)
{
    mpq_t q;
    mpq_init(q);
    q_set(q, 1, 3, 0);
    /* 1/3 in [2^-2, 2^-1): quantum 2^-12, 4096/3 = 1365.33 -> 1365 = 0x555. */
    expect_round(q, VF_DT_F16, 0x555p-12, "1/3");
    q_set(q, 65504, 1, 0);
    expect_round(q, VF_DT_F16, 65504, "65504 (largest half)");
    q_set(q, 65519, 1, 0);
    expect_round(q, VF_DT_F16, 65504, "65519");
    q_set(q, 65520, 1, 0);
    expect_round(q, VF_DT_F16, INFINITY, "65520 (tie, to the even 2^16: overflow)");
    mpq_neg(q, q);
    expect_round(q, VF_DT_F16, -INFINITY, "-65520");
    q_set(q, 1, 1, 100);
    expect_round(q, VF_DT_F16, INFINITY, "2^100");
    q_set(q, 1, 1, -25);
    expect_round(q, VF_DT_F16, 0.0, "2^-25 (tie to 0)");
    q_set(q, -1, 1, -26);
    expect_round(q, VF_DT_F16, -0.0, "-2^-26");
    q_set(q, 3, 1, -26);
    expect_round(q, VF_DT_F16, 0x1p-24, "3*2^-26");
    q_set(q, 1, 1, -14);
    q_add_pow2(q, -1, -25);
    expect_round(q, VF_DT_F16, 0x1p-14, "2^-14 - 2^-25 (tie between 1023*2^-24 and 2^-14)");
    q_set(q, 1, 1, 0);
    q_add_pow2(q, 1, -11);
    expect_round(q, VF_DT_F16, 1.0, "1 + 2^-11 (tie to even)");
    q_add_pow2(q, 2, -11);
    expect_round(q, VF_DT_F16, 1.0 + 0x1p-9, "1 + 3*2^-11 (tie to even, up)");
    q_set(q, 1, 1, -1000);
    expect_round(q, VF_DT_F16, 0.0, "2^-1000");
    mpq_clear(q);
}

/* Every pair of adjacent positive binary16 values (decoded from their bit patterns, an oracle
 * independent of the rounding code): the midpoint rounds to the one with the even pattern,
 * and the midpoint +- 2^-40 (below half of the smallest gap 2^-24) to the upper / lower one.
 * The last pair is (65504, 65536 = the first overflow). */
static double half_value(unsigned b)
{
    unsigned ex = b >> 10, man = b & 0x3ff;
    return ex == 0 ? ldexp(man, -24) : ldexp(1024 + man, (int)ex - 25);
}

Test(round_q, float16_every_midpoint)
{
    mpq_t lo, hi, mid;
    mpq_inits(lo, hi, mid, (mpq_ptr)0);
    for (unsigned b = 0; b < 0x7c00; b++) {
        double a = half_value(b), c = half_value(b + 1);
        double up = b + 1 == 0x7c00 ? INFINITY : c;
        mpq_set_d(lo, a);
        mpq_set_d(hi, c);
        mpq_add(mid, lo, hi);
        mpq_div_2exp(mid, mid, 1);
        double got;
        cr_assert_eq(vf_round_q(&got, mid, VF_DT_F16), VF_OK);
        cr_assert_eq(dbits(got), dbits(b % 2 == 0 ? a : up), "midpoint after %a: %a", a, got);
        q_add_pow2(mid, 1, -40);
        vf_round_q(&got, mid, VF_DT_F16);
        cr_assert_eq(dbits(got), dbits(up), "above midpoint after %a: %a", a, got);
        q_add_pow2(mid, -2, -40);
        vf_round_q(&got, mid, VF_DT_F16);
        cr_assert_eq(dbits(got), dbits(a), "below midpoint after %a: %a", a, got);
    }
    mpq_clears(lo, hi, mid, (mpq_ptr)0);
}

/* The same oracle for binary32 and binary64 on deterministic samples of bit patterns, with a
 * third of them in the subnormal range: checks mpfr_get_flt / mpfr_get_d as used. */
static void midpoint_samples(vf_dtype dt)
{
    mpq_t lo, hi, mid;
    mpq_inits(lo, hi, mid, (mpq_ptr)0);
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 6000; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        double a, c;
        int even;
        if (dt == VF_DT_F32) {
            uint32_t b = (uint32_t)(s >> 33) % 0x7f7fffffu; /* a finite, below FLT_MAX */
            if (i % 3 == 0)
                b %= 0x00800000u; /* subnormal (or zero) */
            float fa, fc;
            memcpy(&fa, &b, sizeof fa);
            fc = nextafterf(fa, INFINITY);
            a = fa;
            c = fc;
            even = b % 2 == 0;
        } else {
            uint64_t b = (s >> 1) % 0x7fefffffffffffffu;
            if (i % 3 == 0)
                b %= 0x0010000000000000u;
            memcpy(&a, &b, sizeof a);
            c = nextafter(a, INFINITY);
            even = b % 2 == 0;
        }
        mpq_set_d(lo, a);
        mpq_set_d(hi, c);
        mpq_add(mid, lo, hi);
        mpq_div_2exp(mid, mid, 1);
        double got;
        cr_assert_eq(vf_round_q(&got, mid, dt), VF_OK);
        cr_assert_eq(dbits(got), dbits(even ? a : c), "midpoint after %a: %a", a, got);
        q_add_pow2(mid, 1, -1100); /* below half of the smallest gap of both formats */
        vf_round_q(&got, mid, dt);
        cr_assert_eq(dbits(got), dbits(c), "above midpoint after %a: %a", a, got);
        q_add_pow2(mid, -2, -1100);
        vf_round_q(&got, mid, dt);
        cr_assert_eq(dbits(got), dbits(a), "below midpoint after %a: %a", a, got);
    }
    mpq_clears(lo, hi, mid, (mpq_ptr)0);
}

Test(round_q, float32_sampled_midpoints) { midpoint_samples(VF_DT_F32); }
Test(round_q, float64_sampled_midpoints) { midpoint_samples(VF_DT_F64); }

Test(round_q, bad_dtype)
{
    mpq_t q;
    mpq_init(q);
    double out;
    cr_expect_eq(vf_round_q(&out, q, (vf_dtype)7), VF_E_USAGE);
    mpq_clear(q);
}

/* Enclosures: same float at both ends -> certified; straddling a rounding boundary -> not;
 * the signed-zero policy of vf_round.h. */
static int round_iv(double *out, const char *lo, const char *hi, vf_dtype dt)
{
    mpfi_t x;
    mpfi_init2(x, 200);
    mpfr_set_str(&x->left, lo, 0, MPFR_RNDN);
    mpfr_set_str(&x->right, hi, 0, MPFR_RNDN);
    int c = vf_round_iv(out, x, dt);
    mpfi_clear(x);
    return c;
}

Test(round_iv, certification_and_signed_zero)
{
    double out = 42;
    cr_expect_eq(round_iv(&out, "1", "0x1.000001p0", VF_DT_F32), 1, "both round to 1");
    cr_expect_eq(out, 1.0);
    out = 42;
    cr_expect_eq(round_iv(&out, "1", "0x1.000002p0", VF_DT_F32), 0, "contains a tie");
    cr_expect_eq(out, 42, "not certified: out untouched");
    cr_expect_eq(round_iv(&out, "-0x1p-200", "0x1p-200", VF_DT_F32), 1);
    cr_expect_eq(dbits(out), dbits(0.0), "straddling 0, both ends round to zero: +0");
    cr_expect_eq(round_iv(&out, "-0x1p-200", "-0x1p-300", VF_DT_F32), 1);
    cr_expect_eq(dbits(out), dbits(-0.0), "negative enclosure: -0");
    cr_expect_eq(round_iv(&out, "-1", "1", VF_DT_F64), 0);
    cr_expect_eq(round_iv(&out, "0x1p200", "0x1p300", VF_DT_F32), 1, "both overflow");
    cr_expect_eq(out, INFINITY);
    cr_expect_eq(round_iv(&out, "2", "1", VF_DT_F32), 0, "empty interval");
    cr_expect_eq(round_iv(&out, "@NaN@", "1", VF_DT_F32), 0, "NaN end");
}

/* ---------------------------------------------------------------- the Ziv loop */

/* exp of n points given as doubles; records every precision it is called at. */
typedef struct exp_ctx {
    const double *x;
    size_t n;
    mpfr_prec_t calls[16];
    int ncalls;
} exp_ctx;

static int eval_exp(void *vctx, mpfr_prec_t prec, vf_imat *out, vf_err *e)
{
    exp_ctx *c = vctx;
    cr_assert_eq(out->prec, prec);
    cr_assert_eq(out->rows * out->cols, c->n);
    if (c->ncalls < 16)
        c->calls[c->ncalls++] = prec;
    int rc = vf_imat_from_f64(out, c->x, e);
    return rc != VF_OK ? rc : vf_imat_exp(out, out, e);
}

/* Reference: exp at 300 bits (RN), then rounded to the format.  When the Ziv loop stops at
 * p <= 300 bits, exp(x) lies in [L, R] with L, R p-bit (hence 300-bit) numbers, so by
 * monotonicity of rounding RN300(exp(x)) is in [L, R] too, and it rounds to the float that
 * both L and R round to: the reference is the correct rounding whenever Ziv's answer is.
 * check_exp asserts prec_used <= 300 for that reason. */
static double ref_exp(double x, vf_dtype dt)
{
    mpfr_t y;
    mpfr_init2(y, 300);
    mpfr_set_d(y, x, MPFR_RNDN);
    mpfr_exp(y, y, MPFR_RNDN);
    double r = dt == VF_DT_F32 ? (double)mpfr_get_flt(y, MPFR_RNDN) : mpfr_get_d(y, MPFR_RNDN);
    mpfr_clear(y);
    return r;
}

/* 1 iff exp(x) enclosed at p bits is certified in dt (used to show an input is hard). */
static int certified_at(double x, mpfr_prec_t p, vf_dtype dt)
{
    mpfi_t iv;
    mpfi_init2(iv, p);
    mpfi_set_d(iv, x);
    mpfi_exp(iv, iv);
    double out;
    int c = vf_round_iv(&out, iv, dt);
    mpfi_clear(iv);
    return c;
}

static void check_exp(const double *x, size_t n, vf_dtype dt, mpfr_prec_t p0)
{
    vf_err e;
    exp_ctx c = {.x = x, .n = n};
    vf_rounded r = {0};
    cr_assert_eq(vf_round_ziv(&r, n, 1, dt, eval_exp, &c, p0, VF_PREC_MAX, &e), VF_OK, "%s",
                 e.msg);
    cr_expect_eq(r.n_uncertified, 0);
    cr_expect_leq(r.prec_used, 300, "the reference argument needs prec_used <= 300");
    cr_expect_eq(r.rows, n);
    cr_expect_eq(r.cols, 1);
    cr_expect_eq(r.dtype, dt);
    for (size_t i = 0; i < n; i++) {
        cr_expect(r.certified[i], "element %zu (x = %a) certified", i, x[i]);
        double want = ref_exp(x[i], dt);
        cr_expect_eq(dbits(r.v[i]), dbits(want), "exp(%a): got %a want %a", x[i], r.v[i], want);
    }
    cr_expect_eq(r.prec_used, c.calls[c.ncalls - 1], "prec_used is the last precision");
    for (int k = 1; k < c.ncalls; k++)
        cr_expect_eq(c.calls[k], 2 * c.calls[k - 1], "precision doubles");
    cr_expect_eq(c.calls[0], p0);
    vf_rounded_clear(&r);
}

Test(ziv, exp_float32_hard_cases_certified)
{
    /* -0x1.7acc62p+3 was found by scanning 4e6 floats in [-85, 85]: exp(x) is 2^-25.3 float
     * ulps from a midpoint.  2^-24: exp = 1 + 2^-24 + 2^-49 + ..., 2^-49 above the midpoint
     * 1 + 2^-24, whose 32-bit rounding-down is the midpoint itself (a tie going to 1 while
     * the upper end goes to 1 + 2^-23), so 32 bits cannot certify it.  Also: exp(0) = 1
     * exactly (a point), a subnormal result (exp(-100)), an overflow (exp(89) > FLT_MAX). */
    const double x[] = {-0x1.7acc62p+3, 0x1p-24, -0x1p-25, 0x1.df9896p+5, 0.0,
                        -100.0,         89.0,    1.0,      -0x1.3f1374p+5};
    const size_t n = sizeof x / sizeof x[0];
    cr_assert_eq(certified_at(0x1p-24, 32, VF_DT_F32), 0, "precondition: hard at 32 bits");
    exp_ctx probe = {.x = x, .n = n};
    vf_rounded r = {0};
    vf_err e;
    cr_assert_eq(vf_round_ziv(&r, n, 1, VF_DT_F32, eval_exp, &probe, 32, 4096, &e), VF_OK);
    cr_expect_gt(r.prec_used, 32, "the hard case forces a second evaluation");
    cr_expect_eq(dbits(r.v[6]), dbits((double)INFINITY));
    cr_expect(r.v[5] > 0 && r.v[5] < 0x1p-126, "subnormal: %a", r.v[5]);
    cr_expect_eq(r.v[4], 1.0);
    vf_rounded_clear(&r);
    check_exp(x, n, VF_DT_F32, 32);
    check_exp(x, n, VF_DT_F32, VF_PREC_START);
}

Test(ziv, exp_float64_certified)
{
    /* 2^-53: exp = 1 + 2^-53 + 2^-107 + ..., 2^-107 above the midpoint of 1 and 1 + 2^-52: a
     * 64-bit enclosure's lower end is the midpoint (a tie to 1), so it needs >= 128 bits. */
    const double x[] = {0x1p-53, 1.0, -0x1.62e42fefa39efp+9, 709.0, 1e-300, -745.0, 0.5};
    const size_t n = sizeof x / sizeof x[0];
    cr_assert_eq(certified_at(0x1p-53, 64, VF_DT_F64), 0, "precondition: hard at 64 bits");
    exp_ctx c = {.x = x, .n = n};
    vf_rounded r = {0};
    vf_err e;
    cr_assert_eq(vf_round_ziv(&r, n, 1, VF_DT_F64, eval_exp, &c, 64, 4096, &e), VF_OK);
    cr_expect_geq(r.prec_used, 128);
    cr_expect_eq(r.v[0], 1.0 + 0x1p-52);
    vf_rounded_clear(&r);
    check_exp(x, n, VF_DT_F64, 64);
}

Test(ziv, exp_float16)
{
    const double x[] = {0.0, 1.0, -3.0, 11.0, 12.0, -20.0};
    exp_ctx c = {.x = x, .n = 6};
    vf_rounded r = {0};
    vf_err e;
    cr_assert_eq(vf_round_ziv(&r, 2, 3, VF_DT_F16, eval_exp, &c, 32, 1024, &e), VF_OK);
    cr_expect_eq(r.n_uncertified, 0);
    mpfr_t y;
    mpfr_init2(y, 300);
    mpq_t q;
    mpq_init(q);
    for (size_t i = 0; i < 6; i++) {
        /* exp(x) at 300 bits turned into a rational then rounded by vf_round_q: the reference
         * takes the exact-class path through the same f16 rounding, so this checks that Ziv
         * and vf_round_q agree (the f16 rounding itself is checked by every_midpoint). */
        mpfr_set_d(y, x[i], MPFR_RNDN);
        mpfr_exp(y, y, MPFR_RNDN);
        mpfr_get_q(q, y);
        double want;
        cr_assert_eq(vf_round_q(&want, q, VF_DT_F16), VF_OK);
        cr_expect_eq(dbits(r.v[i]), dbits(want), "exp(%g): %a vs %a", x[i], r.v[i], want);
    }
    /* Independent values: exp(11) = 59874.14 lies in [2^15, 2^16), quantum 32, nearest
     * multiple 1871 * 32 = 59872; exp(12) = 162754.8 > 65520 overflows; exp(-20) = 2.06e-9
     * is below 2^-25 (half the smallest subnormal 2^-24) and rounds to +0. */
    cr_expect_eq(r.v[3], 59872.0);
    cr_expect_eq(r.v[4], INFINITY);
    cr_expect_eq(dbits(r.v[5]), dbits(0.0));
    mpq_clear(q);
    mpfr_clear(y);
    vf_rounded_clear(&r);
}

/* Element 1 is the point 3; elements 0 and 2 are [1, 2] at every precision: never certified. */
static int eval_stuck(void *vctx, mpfr_prec_t prec, vf_imat *out, vf_err *e)
{
    (void)e;
    exp_ctx *c = vctx;
    if (c->ncalls < 16)
        c->calls[c->ncalls++] = prec;
    mpfi_interv_ui(out->a[0], 1, 2);
    mpfi_set_ui(out->a[1], 3);
    mpfi_interv_ui(out->a[2], 1, 2);
    return VF_OK;
}

Test(ziv, stuck_elements_are_reported_uncertified)
{
    exp_ctx c = {0};
    vf_rounded r = {0};
    vf_err e;
    cr_assert_eq(vf_round_ziv(&r, 3, 1, VF_DT_F32, eval_stuck, &c, 32, 256, &e), VF_OK);
    cr_expect_eq(r.n_uncertified, 2);
    cr_expect_eq(r.certified[0], 0);
    cr_expect_eq(r.certified[1], 1);
    cr_expect_eq(r.certified[2], 0);
    cr_expect_eq(r.v[1], 3.0);
    cr_expect_eq(r.v[0], 1.5, "uncertified: rounding of the midpoint");
    cr_expect_eq(r.prec_used, 256);
    cr_expect_eq(c.ncalls, 4, "32, 64, 128, 256");
    cr_expect_eq(c.calls[3], 256);
    vf_rounded_clear(&r);

    /* A cap that is not p0 times a power of two is still evaluated, last. */
    exp_ctx c2 = {0};
    cr_assert_eq(vf_round_ziv(&r, 3, 1, VF_DT_F64, eval_stuck, &c2, 40, 100, &e), VF_OK);
    cr_expect_eq(c2.ncalls, 3);
    cr_expect_eq(c2.calls[0], 40);
    cr_expect_eq(c2.calls[1], 80);
    cr_expect_eq(c2.calls[2], 100);
    cr_expect_eq(r.prec_used, 100);
    cr_expect_eq(r.n_uncertified, 2);
    vf_rounded_clear(&r);
}

static int eval_fails(void *vctx, mpfr_prec_t prec, vf_imat *out, vf_err *e)
{
    int *silent = vctx;
    if (prec < 64) { /* uncertified at the first precision, so the loop goes on to 64 */
        mpfi_interv_ui(out->a[0], 1, 2);
        return VF_OK;
    }
    if (*silent)
        return VF_E_DOMAIN;
    return vf_fail(e, VF_E_DOMAIN, "row 0 is all masked");
}

Test(ziv, evaluator_errors_propagate)
{
    vf_err e;
    vf_rounded r = {0};
    int silent = 0;
    cr_expect_eq(vf_round_ziv(&r, 1, 1, VF_DT_F32, eval_fails, &silent, 32, 128, &e),
                 VF_E_DOMAIN);
    cr_expect_str_eq(e.msg, "row 0 is all masked");
    cr_expect_null(r.v, "freed on error");
    cr_expect_null(r.certified);
    silent = 1;
    cr_expect_eq(vf_round_ziv(&r, 1, 1, VF_DT_F32, eval_fails, &silent, 32, 128, &e),
                 VF_E_DOMAIN);
    cr_expect(strstr(e.msg, "64 bits"), "a silent evaluator still gets a message: %s", e.msg);
    vf_rounded_clear(&r);
}

Test(ziv, usage_errors)
{
    vf_err e;
    vf_rounded r = {0};
    exp_ctx c = {0};
    cr_expect_eq(vf_round_ziv(&r, 1, 1, VF_DT_F32, eval_stuck, &c, 16, 128, &e), VF_E_USAGE);
    cr_expect(strstr(e.msg, "p0 = 16"), "%s", e.msg);
    cr_expect_eq(vf_round_ziv(&r, 1, 1, VF_DT_F32, eval_stuck, &c, 64, 32, &e), VF_E_USAGE);
    cr_expect_eq(vf_round_ziv(&r, 1, 1, (vf_dtype)9, eval_stuck, &c, 64, 128, &e), VF_E_USAGE);
    cr_expect_eq(vf_round_ziv(&r, 1, 1, VF_DT_F32, NULL, &c, 64, 128, &e), VF_E_USAGE);
    cr_expect_eq(c.ncalls, 0, "no evaluation on a usage error");
    vf_rounded_clear(&r);
}
