/* The comparator (vf_ulp.h): ULP errors of single points, modelled on SLEEF's ULP-counter
 * tests (unit ulp(cr), subnormal floor, halfway cases, NaN/inf classes, overflow), the
 * correct rounding it relies on (checked against the definition of round-to-nearest-even,
 * exhaustively for binary16), and the accumulator (max, argmax, p99, hybrid, L2, counts).
 *
 * Expected values are exact: every ULP error below is a dyadic rational computed by hand
 * (exactly representable, compared with ==) except the quotients by 3 and 5, whose derivation
 * is given where they appear. */
#include <criterion/criterion.h>
#include <float.h>
#include <gmp.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "vf_rng.h"
#include "vf_ulp.h"

#define XPREC 200 /* precision of the "exact" values built here */

/* x = m * 2^e exactly. */
static void set_2exp(mpfr_t x, long m, long e)
{
    cr_assert_eq(mpfr_set_si_2exp(x, m, e, MPFR_RNDN), 0, "%ld*2^%ld not exact", m, e);
}

/* ULP error of got against the exact value v (a double, hence exact in XPREC bits). */
static vf_ulp_err err_d(double got, double v, vf_dtype dt)
{
    mpfr_t x;
    mpfr_init2(x, XPREC);
    mpfr_set_d(x, v, MPFR_RNDN);
    vf_ulp_err r = vf_ulp_error(got, x, dt);
    mpfr_clear(x);
    return r;
}

/* ULP error of got against m * 2^e. */
static vf_ulp_err err_2exp(double got, long m, long e, vf_dtype dt)
{
    mpfr_t x;
    mpfr_init2(x, XPREC);
    set_2exp(x, m, e);
    vf_ulp_err r = vf_ulp_error(got, x, dt);
    mpfr_clear(x);
    return r;
}

#define expect_ulp(r, want)                                                                 \
    do {                                                                                    \
        vf_ulp_err r_ = (r);                                                                \
        cr_expect_eq(r_.cls, VF_ULP_OK, "class %s", vf_ulp_class_name(r_.cls));             \
        cr_expect_eq(r_.ulp, (want), "%s: got %a ULP, want %a", #r, r_.ulp, (double)(want)); \
    } while (0)

#define expect_cls(r, want)                                                                \
    do {                                                                                   \
        vf_ulp_err r_ = (r);                                                               \
        cr_expect_eq(r_.cls, (want), "%s: class %s, want %s", #r,                          \
                     vf_ulp_class_name(r_.cls), vf_ulp_class_name(want));                  \
        if ((want) != VF_ULP_OK)                                                           \
            cr_expect(isinf(r_.ulp) && r_.ulp > 0, "%s: mismatch reports +inf ULP", #r);   \
    } while (0)

/* ---------------------------------------------------------------- single points, float32 */

Test(ulp_f32, one_and_its_neighbours)
{
    expect_ulp(err_d(1.0, 1.0, VF_DT_F32), 0.0);
    expect_ulp(err_d(nextafterf(1.0f, 2.0f), 1.0, VF_DT_F32), 1.0);
    /* Below 1 the spacing halves, but the unit stays ulp(cr) = ulp(1) = 2^-23, so
     * 1 - 2^-24 is half a unit away. */
    expect_ulp(err_d(nextafterf(1.0f, 0.0f), 1.0, VF_DT_F32), 0.5);
    expect_ulp(err_d(-1.0 - 0x1p-23, -1.0, VF_DT_F32), 1.0);
    expect_ulp(err_d(1.0 + 0x1p-23 * 5, 1.0, VF_DT_F32), 5.0);
    cr_expect_eq(err_d(1.0, 1.0, VF_DT_F32).cr, 1.0);
}

/* 1/3 = 2^-2 * 1.010101...b.  With 24 significant bits the kept fraction bits 1..23 are
 * 0101...010 and the discarded tail (bits 24, 25, ... = 1010...) is 2/3 of a unit, so RN rounds
 * up: RN(1/3) = 1/3 + (1/3) 2^-25 = 0x1.555556p-2, ulp(cr) = 2^(-2-23) = 2^-25.  Error of RN:
 * exactly 1/3 ULP; of the neighbour below (1/3 - (2/3) 2^-25): 2/3 ULP.  The 200-bit "exact"
 * value differs from 1/3 by < 2^-202, i.e. < 2^-177 ULP, and the comparator rounds its result up
 * to a double (relative 2^-52): 1e-12 relative covers both with a huge margin while still
 * telling 1/3 apart from any neighbouring simple fraction. */
Test(ulp_f32, one_third)
{
    mpfr_t x;
    mpfr_init2(x, XPREC);
    mpfr_set_ui(x, 1, MPFR_RNDN);
    mpfr_div_ui(x, x, 3, MPFR_RNDN);
    vf_ulp_err r = vf_ulp_error(0x1.555556p-2, x, VF_DT_F32);
    cr_expect_eq(r.cr, 0x1.555556p-2);
    cr_expect_eq(r.cls, VF_ULP_OK);
    cr_expect(fabs(r.ulp - 1.0 / 3) <= 1e-12 / 3, "RN(1/3): %.17g ULP, want 1/3", r.ulp);
    cr_expect(r.ulp < 0.5);
    r = vf_ulp_error(0x1.555554p-2, x, VF_DT_F32);
    cr_expect(fabs(r.ulp - 2.0 / 3) <= 2e-12 / 3, "lower neighbour: %.17g ULP, want 2/3", r.ulp);
    mpfr_clear(x);
}

/* Ties round to even, and the unit is ulp(cr) even when cr is in the next binade. */
Test(ulp_f32, halfway_cases)
{
    /* 1 + 2^-24: halfway between 1 (even) and 1 + 2^-23 (odd). */
    vf_ulp_err r = err_2exp(1.0, (1L << 24) + 1, -24, VF_DT_F32);
    cr_expect_eq(r.cr, 1.0);
    expect_ulp(r, 0.5);
    expect_ulp(err_2exp(1.0 + 0x1p-23, (1L << 24) + 1, -24, VF_DT_F32), 0.5);
    /* 1 + 3*2^-24: halfway between 1 + 2^-23 (odd) and 1 + 2^-22 (even). */
    cr_expect_eq(err_2exp(1.0, (1L << 24) + 3, -24, VF_DT_F32).cr, 1.0 + 0x1p-22);
    /* Just below / above the tie: 2^-24 -+ 2^-40 away from 1, in units of 2^-23. */
    r = err_2exp(1.0, (1L << 40) + (1L << 16) - 1, -40, VF_DT_F32);
    cr_expect_eq(r.cr, 1.0);
    expect_ulp(r, 0.5 - 0x1p-17);
    r = err_2exp(1.0, (1L << 40) + (1L << 16) + 1, -40, VF_DT_F32);
    cr_expect_eq(r.cr, 1.0 + 0x1p-23);
    expect_ulp(r, 0.5 + 0x1p-17);
    /* 2 - 2^-25: halfway between 2 - 2^-23 (odd) and 2 (even) -> cr = 2, ulp(2) = 2^-22, so
     * got = 2 - 2^-23 is (2^-23 - 2^-25) / 2^-22 = 3/8 ULP away. */
    r = err_2exp(2.0 - 0x1p-23, (1L << 26) - 1, -25, VF_DT_F32);
    cr_expect_eq(r.cr, 2.0);
    expect_ulp(r, 0.375);
}

/* The unit never drops below the smallest subnormal 2^-149. */
Test(ulp_f32, subnormal_floor)
{
    expect_ulp(err_d(0x1p-149, 0.0, VF_DT_F32), 1.0);
    expect_ulp(err_d(-0x1p-149, 0.0, VF_DT_F32), 1.0);
    expect_ulp(err_d(0x1p-140 + 0x1p-149, 0x1p-140, VF_DT_F32), 1.0);
    /* Just below the normal range: without the floor the unit would be 2^-150 (2 ULP). */
    expect_ulp(err_d(0x1p-127 + 0x1p-149, 0x1p-127, VF_DT_F32), 1.0);
    expect_ulp(err_d(0x1p-126 + 0x1p-149, 0x1p-126, VF_DT_F32), 1.0);
    expect_ulp(err_d(0.0, 0x1p-150, VF_DT_F32), 0.5);
    /* Gradual underflow ties: 2^-150 -> +0 (even), -2^-150 -> -0, 3*2^-150 -> 2^-148. */
    vf_ulp_err r = err_2exp(0.0, 1, -150, VF_DT_F32);
    cr_expect(r.cr == 0 && !signbit(r.cr), "2^-150 -> +0, got %a", r.cr);
    r = err_2exp(0.0, -1, -150, VF_DT_F32);
    cr_expect(r.cr == 0 && signbit(r.cr), "-2^-150 -> -0, got %a", r.cr);
    cr_expect_eq(err_2exp(0.0, 3, -150, VF_DT_F32).cr, 0x1p-148);
    /* Far below: rounds to 0, error in units of 2^-149. */
    expect_ulp(err_2exp(0.0, 1, -200, VF_DT_F32), 0x1p-51);
}

Test(ulp_f32, overflow)
{
    /* 2^128 is above FLT_MAX + ulp/2 = 2^128 - 2^103: cr = +inf. */
    vf_ulp_err r = err_2exp(INFINITY, 1, 128, VF_DT_F32);
    cr_expect(isinf(r.cr) && r.cr > 0);
    expect_cls(r, VF_ULP_OK);
    cr_expect_eq(r.ulp, 0.0);
    expect_cls(err_2exp(FLT_MAX, 1, 128, VF_DT_F32), VF_ULP_MISSED_INF);
    expect_cls(err_2exp(-INFINITY, 1, 128, VF_DT_F32), VF_ULP_INF_SIGN);
    expect_cls(err_2exp(-INFINITY, -1, 128, VF_DT_F32), VF_ULP_OK);
    /* The tie FLT_MAX + 2^103 goes to the even side, which is 2^128: overflow. */
    r = err_2exp(FLT_MAX, (1L << 25) - 1, 103, VF_DT_F32);
    cr_expect(isinf(r.cr));
    expect_cls(r, VF_ULP_MISSED_INF);
    /* Just below the tie: FLT_MAX; got = inf is a GOT_INF. */
    mpfr_t x;
    mpfr_init2(x, XPREC);
    set_2exp(x, (1L << 25) - 1, 103);
    mpfr_nextbelow(x);
    r = vf_ulp_error(INFINITY, x, VF_DT_F32);
    cr_expect_eq(r.cr, FLT_MAX);
    expect_cls(r, VF_ULP_GOT_INF);
    /* x - FLT_MAX = 2^103 - 2^-72 (one 200-bit step below the tie), ulp(FLT_MAX) = 2^104:
     * 0.5 - 2^-176 ULP, which rounded up to a double (as the comparator reports) is 0.5. */
    r = vf_ulp_error(FLT_MAX, x, VF_DT_F32);
    expect_ulp(r, 0.5);
    mpfr_clear(x);
}

/* ---------------------------------------------------------------- float64 */

/* 1/3 = 2^-2 * 1.0101...b; with 53 bits the kept fraction bits 1..52 end in ...01 and the tail
 * (bits 53, ... = 0101...) is 1/3 of a unit: RN rounds down, RN(1/3) = 1/3 - (1/3) 2^-54 =
 * 0x1.5555555555555p-2, ulp = 2^-54; errors 1/3 (RN) and 2/3 (the neighbour above).  Same
 * tolerance argument as for float32 (the 200-bit value is within 2^-148 ULP of 1/3). */
Test(ulp_f64, one_third_one_and_neighbours)
{
    expect_ulp(err_d(1.0, 1.0, VF_DT_F64), 0.0);
    expect_ulp(err_d(nextafter(1.0, 2.0), 1.0, VF_DT_F64), 1.0);
    expect_ulp(err_d(nextafter(1.0, 0.0), 1.0, VF_DT_F64), 0.5);
    mpfr_t x;
    mpfr_init2(x, XPREC);
    mpfr_set_ui(x, 1, MPFR_RNDN);
    mpfr_div_ui(x, x, 3, MPFR_RNDN);
    vf_ulp_err r = vf_ulp_error(1.0 / 3, x, VF_DT_F64);
    cr_expect_eq(r.cr, 0x1.5555555555555p-2);
    cr_expect(fabs(r.ulp - 1.0 / 3) <= 1e-12 / 3, "RN(1/3): %.17g ULP", r.ulp);
    r = vf_ulp_error(0x1.5555555555556p-2, x, VF_DT_F64);
    cr_expect(fabs(r.ulp - 2.0 / 3) <= 2e-12 / 3, "upper neighbour: %.17g ULP", r.ulp);
    mpfr_clear(x);
}

Test(ulp_f64, subnormal_floor_halfway_overflow)
{
    expect_ulp(err_d(0x1p-1074, 0.0, VF_DT_F64), 1.0);
    expect_ulp(err_d(0x1p-1030 + 0x1p-1074, 0x1p-1030, VF_DT_F64), 1.0);
    expect_ulp(err_d(0x1p-1023 + 0x1p-1074, 0x1p-1023, VF_DT_F64), 1.0);
    cr_expect_eq(err_2exp(0.0, 3, -1075, VF_DT_F64).cr, 0x1p-1073);
    cr_expect_eq(err_2exp(0.0, 1, -1075, VF_DT_F64).cr, 0.0);
    /* 1 + 2^-53: tie -> 1. */
    mpfr_t x;
    mpfr_init2(x, XPREC);
    set_2exp(x, 1, -53);
    mpfr_add_ui(x, x, 1, MPFR_RNDN);
    vf_ulp_err r = vf_ulp_error(1.0, x, VF_DT_F64);
    cr_expect_eq(r.cr, 1.0);
    expect_ulp(r, 0.5);
    expect_ulp(vf_ulp_error(1.0 + 0x1p-52, x, VF_DT_F64), 0.5);
    /* Overflow: 2^1024 and the tie DBL_MAX + 2^970 go to inf, just below stays DBL_MAX. */
    set_2exp(x, 1, 1024);
    expect_cls(vf_ulp_error(INFINITY, x, VF_DT_F64), VF_ULP_OK);
    expect_cls(vf_ulp_error(DBL_MAX, x, VF_DT_F64), VF_ULP_MISSED_INF);
    set_2exp(x, (1L << 54) - 1, 970);
    cr_expect(isinf(vf_ulp_error(DBL_MAX, x, VF_DT_F64).cr));
    mpfr_nextbelow(x);
    cr_expect_eq(vf_ulp_error(DBL_MAX, x, VF_DT_F64).cr, DBL_MAX);
    expect_cls(vf_ulp_error(INFINITY, x, VF_DT_F64), VF_ULP_GOT_INF);
    /* An error beyond the double range is reported as +inf ULP (an upper bound), class OK. */
    r = err_d(DBL_MAX, 0.0, VF_DT_F64);
    cr_expect(r.cls == VF_ULP_OK && isinf(r.ulp));
    mpfr_clear(x);
}

/* ---------------------------------------------------------------- classes */

Test(ulp_classes, nan_and_inf)
{
    mpfr_t x;
    mpfr_init2(x, XPREC);
    for (int dt = VF_DT_F16; dt <= VF_DT_F64; dt++) {
        mpfr_set_nan(x);
        vf_ulp_err r = vf_ulp_error(NAN, x, (vf_dtype)dt);
        expect_cls(r, VF_ULP_OK);
        cr_expect_eq(r.ulp, 0.0);
        cr_expect(isnan(r.cr));
        expect_cls(vf_ulp_error(1.0, x, (vf_dtype)dt), VF_ULP_WANT_NAN);
        expect_cls(vf_ulp_error(INFINITY, x, (vf_dtype)dt), VF_ULP_WANT_NAN);
        mpfr_set_ui(x, 1, MPFR_RNDN);
        expect_cls(vf_ulp_error(NAN, x, (vf_dtype)dt), VF_ULP_GOT_NAN);
        expect_cls(vf_ulp_error(INFINITY, x, (vf_dtype)dt), VF_ULP_GOT_INF);
        expect_cls(vf_ulp_error(-INFINITY, x, (vf_dtype)dt), VF_ULP_GOT_INF);
        /* An MPFR infinity (e.g. logsumexp of an all -inf row) behaves like cr = inf. */
        mpfr_set_inf(x, -1);
        r = vf_ulp_error(-INFINITY, x, (vf_dtype)dt);
        expect_cls(r, VF_ULP_OK);
        cr_expect(r.ulp == 0 && isinf(r.cr) && r.cr < 0);
        expect_cls(vf_ulp_error(INFINITY, x, (vf_dtype)dt), VF_ULP_INF_SIGN);
        expect_cls(vf_ulp_error(-1e300, x, (vf_dtype)dt), VF_ULP_MISSED_INF);
        expect_cls(vf_ulp_error(NAN, x, (vf_dtype)dt), VF_ULP_GOT_NAN);
    }
    mpfr_clear(x);
}

Test(ulp_classes, names_are_distinct)
{
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < i; j++)
            cr_expect_str_neq(vf_ulp_class_name((vf_ulp_class)i),
                              vf_ulp_class_name((vf_ulp_class)j));
    cr_expect_str_eq(vf_ulp_class_name(VF_ULP_MISSED_INF), "missed_inf");
    cr_expect_str_eq(vf_ulp_class_name((vf_ulp_class)17), "unknown");
}

/* ---------------------------------------------------------------- binary16 */

Test(ulp_f16, basics)
{
    expect_ulp(err_d(1.0 + 0x1p-10, 1.0, VF_DT_F16), 1.0);
    expect_ulp(err_d(1.0 - 0x1p-11, 1.0, VF_DT_F16), 0.5);
    expect_ulp(err_d(0x1p-24, 0.0, VF_DT_F16), 1.0);
    expect_ulp(err_d(0x1p-20 + 0x1p-24, 0x1p-20, VF_DT_F16), 1.0); /* subnormal floor */
    cr_expect_eq(err_d(0, 65519.0, VF_DT_F16).cr, 65504.0);
    cr_expect(isinf(err_d(0, 65520.0, VF_DT_F16).cr), "65520 ties to even = 2^16: inf");
    expect_cls(err_d(65504.0, 65520.0, VF_DT_F16), VF_ULP_MISSED_INF);
    expect_cls(err_d(INFINITY, 65519.0, VF_DT_F16), VF_ULP_GOT_INF);
    cr_expect(isinf(err_d(0, -1e6, VF_DT_F16).cr) && err_d(0, -1e6, VF_DT_F16).cr < 0);
    cr_expect_eq(err_d(0, 0x1p-25, VF_DT_F16).cr, 0.0);
    cr_expect_eq(err_d(0, 3 * 0x1p-25, VF_DT_F16).cr, 0x1p-23);
    cr_expect_eq(err_d(0, 1 + 0x1p-11, VF_DT_F16).cr, 1.0);
    cr_expect_eq(err_d(0, 1 + 3 * 0x1p-11, VF_DT_F16).cr, 1 + 0x1p-9);
    /* 1/3 = 2^-2 * 1.0101...b: 10 kept fraction bits 0101010101, tail 0.0101...b = 1/3 unit,
     * so RN(1/3) = 1/3 - (1/3) 2^-12 = 0x1.554p-2 with error 1/3 ULP (ulp = 2^-12). */
    mpfr_t x;
    mpfr_init2(x, XPREC);
    mpfr_set_ui(x, 1, MPFR_RNDN);
    mpfr_div_ui(x, x, 3, MPFR_RNDN);
    vf_ulp_err r = vf_ulp_error(0x1.554p-2, x, VF_DT_F16);
    cr_expect_eq(r.cr, 0x1.554p-2);
    cr_expect(fabs(r.ulp - 1.0 / 3) <= 1e-12 / 3, "%.17g", r.ulp);
    mpfr_clear(x);
}

/* ---------------------------------------------------------------- correct rounding */

/* Bit patterns of non-negative finite values of each format, ordered like the values. */
static uint64_t to_bits(double a, vf_dtype dt)
{
    if (dt == VF_DT_F64) {
        uint64_t u;
        memcpy(&u, &a, sizeof u);
        return u;
    }
    if (dt == VF_DT_F32) {
        float f = (float)a;
        uint32_t u;
        memcpy(&u, &f, sizeof u);
        return u;
    }
    if (a < 0x1p-14) /* binary16 subnormal: multiple of 2^-24 */
        return (uint64_t)(a * 0x1p24);
    int e;
    frexp(a, &e); /* a = m 2^e, 0.5 <= m < 1: biased exponent e - 1 + 15 */
    return ((uint64_t)(e + 14) << 10) | ((uint64_t)ldexp(a, 11 - e) - 1024);
}

static double from_bits(uint64_t b, vf_dtype dt)
{
    if (dt == VF_DT_F64) {
        double d;
        memcpy(&d, &b, sizeof d);
        return d;
    }
    if (dt == VF_DT_F32) {
        uint32_t u = (uint32_t)b;
        float f;
        memcpy(&f, &u, sizeof f);
        return f;
    }
    if (b >= 0x7c00)
        return INFINITY;
    if (b < 0x400)
        return ldexp((double)b, -24);
    return ldexp((double)(1024 + (b & 0x3ff)), (int)(b >> 10) - 25);
}

/* y = 2^(emax+1): where the format would continue after its largest finite value. */
static void set_beyond_max(mpfr_t y, vf_dtype dt)
{
    mpfr_set_ui_2exp(y, 1, dt == VF_DT_F16 ? 16 : dt == VF_DT_F32 ? 128 : 1024, MPFR_RNDN);
}

/* y = the value of pattern b (b + 1 past the largest finite value gives 2^(emax+1)). */
static void set_value(mpfr_t y, uint64_t b, vf_dtype dt)
{
    double v = from_bits(b, dt);
    if (isinf(v))
        set_beyond_max(y, dt);
    else
        mpfr_set_d(y, v, MPFR_RNDN);
}

/* d = |x - y| exactly (4400 bits cover the span of any double and a 200-bit x of exponent
 * within the double range). */
static void dist(mpfr_t d, const mpfr_t x, const mpfr_t y)
{
    cr_assert_eq(mpfr_sub(d, x, y, MPFR_RNDN), 0, "inexact distance");
    mpfr_abs(d, d, MPFR_RNDN);
}

/* Checks vf_ulp_error against definitions, for x >= 0:
 * - cr is the round-to-nearest-even of x: a value of the format, no neighbour nearer, even on
 *   a tie; +inf exactly when x >= (largest + 2^(emax+1)) / 2 (the tie goes to the even side);
 * - the error of got = cr is |x - cr| / (spacing of the format just above cr) rounded up to a
 *   double: that spacing is ulp(cr) = 2^(max(E, Emin) - p + 1), computed here independently of
 *   exponents (at a power of two the spacing above is the larger one, so a tie there is 1/4). */
static void check_rn(const mpfr_t x, vf_dtype dt)
{
    double cr = vf_ulp_error(0.0, x, dt).cr;
    cr_assert(mpfr_sgn(x) >= 0 && !signbit(cr));
    mpfr_t v, dc, dn, q;
    mpfr_inits2(4400, v, dc, dn, q, (mpfr_ptr)0);
    uint64_t btop = to_bits(dt == VF_DT_F64 ? DBL_MAX : dt == VF_DT_F32 ? FLT_MAX : 65504.0, dt);
    if (isinf(cr)) {
        set_value(v, btop, dt);
        set_value(q, btop + 1, dt);
        mpfr_add(v, v, q, MPFR_RNDN);
        mpfr_div_2ui(v, v, 1, MPFR_RNDN);
        cr_assert(mpfr_cmp(x, v) >= 0, "overflow below the threshold: x = %a",
                  mpfr_get_d(x, MPFR_RNDN));
        goto done;
    }
    uint64_t b = to_bits(cr, dt);
    cr_assert_eq(from_bits(b, dt), cr, "cr = %a is not a value of dtype %d", cr, (int)dt);
    mpfr_set_d(v, cr, MPFR_RNDN);
    dist(dc, x, v);
    for (int side = -1; side <= 1; side += 2) {
        if (side < 0 && b == 0)
            continue;
        set_value(v, b + side, dt);
        dist(dn, x, v);
        int c = mpfr_cmp(dc, dn);
        cr_assert(c <= 0, "x = %a: a neighbour is nearer than cr = %a", mpfr_get_d(x, MPFR_RNDN),
                  cr);
        cr_assert(c != 0 || (b & 1) == 0, "tie at %a not rounded to even (cr = %a)",
                  mpfr_get_d(x, MPFR_RNDN), cr);
    }
    /* v is the value above cr now: the spacing is v - cr, a power of two (exact division). */
    mpfr_sub_d(v, v, cr, MPFR_RNDN);
    cr_assert_eq(mpfr_div(q, dc, v, MPFR_RNDU), 0);
    vf_ulp_err r = vf_ulp_error(cr, x, dt);
    cr_assert_eq(r.cls, VF_ULP_OK);
    cr_assert_eq(r.ulp, mpfr_get_d(q, MPFR_RNDU), "x = %a, cr = %a: %a ULP, want %a",
                 mpfr_get_d(x, MPFR_RNDN), cr, r.ulp, mpfr_get_d(q, MPFR_RNDU));
    cr_assert(r.ulp <= 0.5);
done:
    mpfr_clears(v, dc, dn, q, (mpfr_ptr)0);
}

/* Every binary16 value and every midpoint between consecutive values (and just around it). */
Test(ulp_f16, rounding_exhaustive)
{
    mpfr_t x, y;
    mpfr_inits2(XPREC, x, y, (mpfr_ptr)0);
    for (uint64_t b = 0; b < 0x7c00; b++) {
        double a = from_bits(b, VF_DT_F16);
        mpfr_set_d(x, a, MPFR_RNDN);
        cr_assert_eq(vf_ulp_error(0, x, VF_DT_F16).cr, a, "value %a", a);
        check_rn(x, VF_DT_F16);
        set_value(y, b + 1, VF_DT_F16); /* midpoint to the next value */
        mpfr_add(x, x, y, MPFR_RNDN);
        mpfr_div_2ui(x, x, 1, MPFR_RNDN);
        check_rn(x, VF_DT_F16);
        mpfr_nextbelow(x);
        check_rn(x, VF_DT_F16);
        mpfr_nextabove(x);
        mpfr_nextabove(x);
        check_rn(x, VF_DT_F16);
    }
    mpfr_clears(x, y, (mpfr_ptr)0);
}

/* x = (random 200-bit significand in [1/2, 1)) * 2^e with e uniform in [elo, ehi]. */
static void rand_exact(mpfr_t x, uint64_t tensor, uint64_t i, long elo, long ehi)
{
    uint64_t w[4];
    for (int k = 0; k < 4; k++)
        w[k] = vf_rng_u64(VF_SEED_DEFAULT, tensor, 4 * i + (uint64_t)k);
    w[3] |= UINT64_C(1) << 63;
    mpz_t z;
    mpz_init(z);
    mpz_import(z, 4, -1, sizeof w[0], 0, 0, w);
    mpfr_set_z_2exp(x, z, vf_rng_int(VF_SEED_DEFAULT, tensor + 100, i, elo, ehi) - 256,
                    MPFR_RNDN);
    mpz_clear(z);
}

/* Random values over each format's whole range (subnormals and overflow included) and exact
 * midpoints between random consecutive values (ties) with their two 200-bit neighbours. */
Test(ulp_rounding, random_values_and_ties_every_dtype)
{
    static const long range[3][2] = {{-30, 18}, {-155, 130}, {-1080, 1026}};
    static const uint64_t nbits[3] = {0x7c00, 0x7f800000, UINT64_C(0x7ff0000000000000)};
    mpfr_t x, y;
    mpfr_inits2(XPREC, x, y, (mpfr_ptr)0);
    for (int dt = VF_DT_F16; dt <= VF_DT_F64; dt++) {
        for (uint64_t i = 0; i < 20000; i++) {
            rand_exact(x, (uint64_t)dt, i, range[dt][0], range[dt][1]);
            check_rn(x, (vf_dtype)dt);
        }
        /* 5000 random patterns, then both ends of the range explicitly. */
        for (uint64_t i = 0; i < 5004; i++) {
            const uint64_t ends[4] = {0, 1, nbits[dt] - 2, nbits[dt] - 1};
            uint64_t b = i < 5000 ? vf_rng_u64(VF_SEED_DEFAULT, 10 + (uint64_t)dt, i) % nbits[dt]
                                  : ends[i - 5000];
            set_value(x, b, (vf_dtype)dt);
            set_value(y, b + 1, (vf_dtype)dt);
            mpfr_add(x, x, y, MPFR_RNDN);
            mpfr_div_2ui(x, x, 1, MPFR_RNDN);
            check_rn(x, (vf_dtype)dt);
            mpfr_nextbelow(x);
            check_rn(x, (vf_dtype)dt);
            mpfr_nextabove(x);
            mpfr_nextabove(x);
            check_rn(x, (vf_dtype)dt);
        }
    }
    mpfr_clears(x, y, (mpfr_ptr)0);
}

/* ---------------------------------------------------------------- the accumulator */

static vf_cmp mkcmp(vf_dtype dt, double atol)
{
    vf_err e;
    vf_cmp c;
    cr_assert_eq(vf_cmp_init(&c, dt, atol, &e), VF_OK, "%s", e.msg);
    return c;
}

static vf_ulp_err add_d(vf_cmp *c, size_t idx, double got, double v)
{
    vf_err e;
    vf_err_clear(&e);
    mpfr_t x;
    mpfr_init2(x, XPREC);
    mpfr_set_d(x, v, MPFR_RNDN);
    vf_ulp_err r = vf_cmp_add(c, idx, got, x, &e);
    cr_assert_eq(e.code, VF_OK, "%s", e.msg);
    mpfr_clear(x);
    return r;
}

/* Errors of exactly 1..200 ULP (got = 1 + k 2^-23 against 1), added in a scrambled order
 * (k = 7i mod 200 + 1; 7 is prime to 200) under caller indices 1000 + i.  Nearest-rank p99:
 * the ceil(0.99 * 200) = 198th smallest = 198.  Also grows the array past its first block. */
Test(ulp_cmp, max_argmax_p99)
{
    vf_cmp c = mkcmp(VF_DT_F32, 0);
    size_t where200 = 0;
    for (size_t i = 0; i < 200; i++) {
        size_t k = (7 * i) % 200 + 1;
        if (k == 200)
            where200 = 1000 + i;
        vf_ulp_err r = add_d(&c, 1000 + i, 1.0 + (double)k * 0x1p-23, 1.0);
        cr_assert_eq(r.ulp, (double)k);
    }
    vf_cmp_summary s;
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.n, 200);
    cr_expect_eq(s.count[VF_ULP_OK], 200);
    cr_expect_eq(s.mismatches, 0);
    cr_expect_eq(s.max_ulp, 200.0);
    cr_expect_eq(s.argmax, where200);
    cr_expect_eq(s.p99_ulp, 198.0);
    for (size_t i = 0; i < 200; i++)
        cr_expect_eq(c.ulps[i], (double)((7 * i) % 200 + 1), "per-point array in add order");
    /* A second 200 keeps the first occurrence; p99 of 201 points is the 199th smallest. */
    add_d(&c, 5, 1.0 + 200 * 0x1p-23, 1.0);
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.argmax, where200);
    cr_expect_eq(s.p99_ulp, 199.0);
    vf_cmp_clear(&c);
}

/* got = -0 against an exact 0 is 0 ULP, and +0 (not -0, which would sort above +inf in the
 * bit-ordered p99 search): 50 exact -0 outputs among 100 give p99 = the 99th smallest. */
Test(ulp_cmp, minus_zero_is_zero_ulp)
{
    vf_cmp c = mkcmp(VF_DT_F32, 0);
    for (size_t i = 0; i < 100; i++) {
        vf_ulp_err r = add_d(&c, i, i % 2 ? -0.0 : 1.0 + 0x1p-23, i % 2 ? 0.0 : 1.0);
        cr_assert(r.ulp == (i % 2 ? 0.0 : 1.0) && !signbit(r.ulp), "point %zu: %g", i, r.ulp);
    }
    vf_cmp_summary s;
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.p99_ulp, 1.0);
    cr_expect_eq(s.max_ulp, 1.0);
    vf_cmp_clear(&c);
}

/* Mismatches count as +inf ULP in p99: with 100 points, p99 is the 99th smallest. */
Test(ulp_cmp, p99_with_mismatches)
{
    vf_cmp c = mkcmp(VF_DT_F64, 0);
    for (size_t i = 0; i < 99; i++)
        add_d(&c, i, 1.0 + (double)i * 0x1p-52, 1.0);
    add_d(&c, 99, NAN, 1.0);
    vf_cmp_summary s;
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.p99_ulp, 98.0);
    cr_expect(isinf(s.max_ulp));
    cr_expect_eq(s.argmax, 99);
    add_d(&c, 100, INFINITY, 1.0);
    vf_cmp_summarize(&c, &s); /* 101 points: the ceil(99.99) = 100th smallest is a mismatch */
    cr_expect(isinf(s.p99_ulp));
    cr_expect_eq(s.argmax, 99, "first mismatch stays the argmax");
    vf_cmp_clear(&c);
}

/* got = x (1 + 2^-20) with x = +-m 2^e, m < 16: got = x + x 2^-20 has at most 24 significant
 * bits, so it is an exact float, got - x = x 2^-20 exactly, and ||got - x|| / ||x|| = 2^-20
 * exactly (the 256-bit sums of these squares are exact too).  |x| >= 2^-8 > atol, so the
 * hybrid error is the relative one, 2^-20 at every point. */
Test(ulp_cmp, l2_uniform_perturbation)
{
    vf_cmp c = mkcmp(VF_DT_F32, 0);
    for (size_t i = 0; i < 500; i++) {
        double m = (double)vf_rng_int(VF_SEED_DEFAULT, 50, i, 1, 15);
        double x = ldexp(m, (int)vf_rng_int(VF_SEED_DEFAULT, 51, i, -8, 8));
        if (vf_rng_u64(VF_SEED_DEFAULT, 52, i) & 1)
            x = -x;
        float got = (float)(x + x * 0x1p-20);
        cr_assert_eq((double)got, x + x * 0x1p-20, "perturbed value is a float");
        add_d(&c, i, got, x);
    }
    vf_cmp_summary s;
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.l2_rel, 0x1p-20, "%a", s.l2_rel);
    cr_expect_eq(s.max_hybrid, 0x1p-20, "%a", s.max_hybrid);
    vf_cmp_clear(&c);
}

/* x = (3, 4), got = (3 + 2^-10, 4): ||diff|| / ||x|| = 2^-10 / 5.  1/5 = 0x1.999...p-3 with an
 * infinite tail 0x0.999... > half a unit, so the double above is 0x1.999999999999ap-3 (also
 * the nearest): the result rounded up is 0x1.999999999999ap-13. */
Test(ulp_cmp, l2_non_uniform_and_zero_reference)
{
    vf_cmp c = mkcmp(VF_DT_F64, 0);
    add_d(&c, 0, 3 + 0x1p-10, 3);
    add_d(&c, 1, 4, 4);
    vf_cmp_summary s;
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.l2_rel, 0x1.999999999999ap-13, "%a", s.l2_rel);
    /* hybrid 2^-10 / 3: 1/3 = 0x1.555...p-2 with a tail 0x0.555... below half a unit, so the
     * nearest double is 0x1.5555555555555p-2 and the one above, which a bound must report,
     * is 0x1.5555555555556p-2. */
    cr_expect_eq(s.max_hybrid, 0x1.5555555555556p-12, "%a", s.max_hybrid);
    vf_cmp_clear(&c);
    /* A zero reference: 0/0 = 0, y/0 = +inf. */
    c = mkcmp(VF_DT_F64, 0);
    add_d(&c, 0, 0, 0);
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.l2_rel, 0.0);
    add_d(&c, 1, 0x1p-1074, 0);
    vf_cmp_summarize(&c, &s);
    cr_expect(isinf(s.l2_rel) && s.l2_rel > 0);
    vf_cmp_clear(&c);
}

/* Hybrid error |got - x| / max(|x|, atol); all quotients are powers of two, exact. */
Test(ulp_cmp, hybrid_with_atol)
{
    vf_cmp c = mkcmp(VF_DT_F32, 0x1p-10);
    add_d(&c, 0, 1 + 0x1p-20, 1);              /* relative: 2^-20 */
    add_d(&c, 1, 0x1p-20 + 0x1p-25, 0x1p-20);  /* |x| < atol: 2^-25 / 2^-10 = 2^-15 */
    add_d(&c, 2, 0x1p-30, 0);                  /* 2^-30 / 2^-10 = 2^-20 */
    vf_cmp_summary s;
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.max_hybrid, 0x1p-15, "%a", s.max_hybrid);
    vf_cmp_clear(&c);
    /* atol = 0 selects FLT_MIN = 2^-126: the second point is now relative (2^-5) and the
     * third is 2^-30 / 2^-126 = 2^96. */
    c = mkcmp(VF_DT_F32, 0);
    cr_expect_eq(c.atol, 0x1p-126);
    add_d(&c, 0, 1 + 0x1p-20, 1);
    add_d(&c, 1, 0x1p-20 + 0x1p-25, 0x1p-20);
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.max_hybrid, 0x1p-5, "%a", s.max_hybrid);
    add_d(&c, 2, 0x1p-30, 0);
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.max_hybrid, 0x1p96, "%a", s.max_hybrid);
    vf_cmp_clear(&c);
    c = mkcmp(VF_DT_F16, 0);
    cr_expect_eq(c.atol, 0x1p-14);
    vf_cmp_clear(&c);
}

/* One point of every class; class mismatches (and matching NaN/inf points) stay out of L2 and
 * hybrid, so those come from the two finite points only: diff (0, 2^-21) against (3, 4):
 * L2 = 2^-21 / 5 -> 0x1.999999999999ap-24 (as above), hybrid 2^-21 / 4 = 2^-23. */
Test(ulp_cmp, counts_per_class_and_exclusions)
{
    vf_cmp c = mkcmp(VF_DT_F32, 0);
    mpfr_t x;
    mpfr_init2(x, XPREC);
    vf_err e;
    vf_err_clear(&e);
    add_d(&c, 0, 3, 3);
    add_d(&c, 1, 1, NAN);                     /* want_nan */
    add_d(&c, 2, NAN, 1);                     /* got_nan */
    add_d(&c, 3, INFINITY, 1);                /* got_inf */
    set_2exp(x, 1, 128);
    vf_cmp_add(&c, 4, FLT_MAX, x, &e);        /* missed_inf */
    vf_cmp_add(&c, 5, INFINITY, x, &e);       /* ok: overflow matched */
    mpfr_set_inf(x, 1);
    vf_cmp_add(&c, 6, -INFINITY, x, &e);      /* inf_sign */
    add_d(&c, 7, NAN, NAN);                   /* ok */
    add_d(&c, 8, 4 + 0x1p-21, 4);             /* ok, 1 ULP */
    cr_assert_eq(e.code, VF_OK);
    vf_cmp_summary s;
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.n, 9);
    cr_expect_eq(s.count[VF_ULP_OK], 4);
    for (int k = 1; k < 6; k++)
        cr_expect_eq(s.count[k], 1, "class %s", vf_ulp_class_name((vf_ulp_class)k));
    cr_expect_eq(s.mismatches, 5);
    cr_expect(isinf(s.max_ulp));
    cr_expect_eq(s.argmax, 1);
    cr_expect(isinf(s.p99_ulp));
    cr_expect_eq(s.l2_rel, 0x1.999999999999ap-24, "%a", s.l2_rel);
    cr_expect_eq(s.max_hybrid, 0x1p-23, "%a", s.max_hybrid);
    mpfr_clear(x);
    vf_cmp_clear(&c);
}

Test(ulp_cmp, empty_summary_is_zero)
{
    vf_cmp c = mkcmp(VF_DT_F64, 0);
    vf_cmp_summary s;
    memset(&s, 0xa5, sizeof s);
    vf_cmp_summarize(&c, &s);
    cr_expect_eq(s.n, 0);
    cr_expect_eq(s.mismatches, 0);
    cr_expect_eq(s.argmax, 0);
    for (int k = 0; k < 6; k++)
        cr_expect_eq(s.count[k], 0);
    cr_expect(s.max_ulp == 0 && s.p99_ulp == 0 && s.max_hybrid == 0 && s.l2_rel == 0);
    vf_cmp_clear(&c);
}

Test(ulp_cmp, init_rejects_bad_arguments)
{
    vf_err e;
    vf_cmp c;
    cr_expect_eq(vf_cmp_init(&c, (vf_dtype)7, 0, &e), VF_E_USAGE);
    cr_expect(strstr(e.msg, "dtype"), "%s", e.msg);
    cr_expect_eq(vf_cmp_init(&c, VF_DT_F32, -1, &e), VF_E_USAGE);
    cr_expect(strstr(e.msg, "atol"), "%s", e.msg);
    cr_expect_eq(vf_cmp_init(&c, VF_DT_F32, NAN, &e), VF_E_USAGE);
    cr_expect_eq(vf_cmp_init(&c, VF_DT_F32, INFINITY, &e), VF_E_USAGE);
}
