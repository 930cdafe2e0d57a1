/* The certified domain: enclosures contain the true values, tighten as precision grows, and
 * inputs outside a function's domain or of the wrong shape are errors naming the problem. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "vf_iv.h"
#include "vf_q.h"

static const mpfr_prec_t precs[] = {64, 128, 256, 512};
#define NPRECS (sizeof precs / sizeof precs[0])

/* 1 iff the rational q lies in x (exact comparisons). */
static int contains_q(const mpfi_t x, const mpq_t q)
{
    return mpfr_cmp_q(&x->left, q) <= 0 && mpfr_cmp_q(&x->right, q) >= 0;
}

static void set_q(mpq_t q, const char *s)
{
    vf_err e;
    cr_assert_eq(vf_q_set_str(q, s, &e), VF_OK, "%s", e.msg);
}

/* exp(1) = e.  An interval at p <= 512 bits with p-bit endpoints contains e iff
 * left <= RNDD_1000(e) and RNDU_1000(e) <= right: a p-bit number is a 1000-bit number, and
 * RNDD_1000(e) is the largest 1000-bit number <= e (symmetrically for RNDU).  So the check is
 * exact, not "close to a 1000-bit approximation". */
Test(iv, exp_of_one_contains_e_and_tightens)
{
    vf_err e;
    mpfr_t lo, hi, one;
    mpfr_inits2(1000, lo, hi, one, (mpfr_ptr)0);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    mpfr_exp(lo, one, MPFR_RNDD);
    mpfr_exp(hi, one, MPFR_RNDU);
    long prev = -1;
    for (size_t k = 0; k < NPRECS; k++) {
        vf_imat x = {0};
        vf_qmat q = {0};
        cr_assert_eq(vf_imat_init(&x, 1, 1, precs[k], &e), VF_OK);
        cr_assert_eq(vf_qmat_init(&q, 1, 1, &e), VF_OK);
        mpq_set_ui(VF_Q(&q, 0, 0), 1, 1);
        cr_assert_eq(vf_imat_from_q(&x, &q, &e), VF_OK);
        cr_assert_eq(vf_imat_exp(&x, &x, &e), VF_OK);
        cr_expect(mpfr_cmp(&VF_I(&x, 0, 0)->left, lo) <= 0 &&
                      mpfr_cmp(&VF_I(&x, 0, 0)->right, hi) >= 0,
                  "exp(1) at %ld bits misses e", (long)precs[k]);
        /* From the point 1, MPFI's exp is [RNDD(e), RNDU(e)]: two adjacent p-bit numbers in
         * [2, 4) = [2^1, 2^2) (e is irrational), width exactly ulp = 2^(1-p+1), so k = p - 2
         * exactly. */
        long bits = vf_imat_abs_bits(&x);
        cr_expect_eq(bits, (long)precs[k] - 2, "abs bits at %ld: %ld", (long)precs[k], bits);
        cr_expect_gt(bits, prev);
        prev = bits;
        vf_imat_clear(&x);
        vf_qmat_clear(&q);
    }
    mpfr_clears(lo, hi, one, (mpfr_ptr)0);
}

/* log(exp(x)) and sqrt(x)^2 enclose x, for several rationals, and tighten as p doubles. */
Test(iv, log_exp_and_sqrt_square_contain_x)
{
    vf_err e;
    const char *xs[] = {"3/7", "-5/2", "10", "1e-30", "123456789/1000"};
    const size_t n = sizeof xs / sizeof xs[0];
    vf_qmat q = {0};
    cr_assert_eq(vf_qmat_init(&q, n, 1, &e), VF_OK);
    for (size_t i = 0; i < n; i++)
        set_q(VF_Q(&q, i, 0), xs[i]);
    long prev_log = -1, prev_sqrt = -1;
    for (size_t k = 0; k < NPRECS; k++) {
        vf_imat x = {0}, y = {0};
        cr_assert_eq(vf_imat_init(&x, n, 1, precs[k], &e), VF_OK);
        cr_assert_eq(vf_imat_init(&y, n, 1, precs[k], &e), VF_OK);
        cr_assert_eq(vf_imat_from_q(&x, &q, &e), VF_OK);
        cr_assert_eq(vf_imat_exp(&y, &x, &e), VF_OK);
        cr_assert_eq(vf_imat_log(&y, &y, &e), VF_OK, "%s", e.msg);
        for (size_t i = 0; i < n; i++)
            cr_expect(contains_q(y.a[i], VF_Q(&q, i, 0)), "log(exp(%s)) at %ld bits", xs[i],
                      (long)precs[k]);
        long b = vf_imat_abs_bits(&y);
        cr_expect_gt(b, prev_log, "log(exp) bits %ld after %ld", b, prev_log);
        prev_log = b;

        /* sqrt of |x| (the negative entry is negated), squared. */
        for (size_t i = 0; i < n; i++)
            mpfi_abs(x.a[i], x.a[i]);
        cr_assert_eq(vf_imat_sqrt(&y, &x, &e), VF_OK, "%s", e.msg);
        for (size_t i = 0; i < n; i++) {
            mpq_t ax;
            mpq_init(ax);
            mpq_abs(ax, VF_Q(&q, i, 0));
            mpfi_t s2;
            mpfi_init2(s2, precs[k]);
            mpfi_sqr(s2, y.a[i]);
            cr_expect(contains_q(s2, ax), "sqrt(%s)^2 at %ld bits", xs[i], (long)precs[k]);
            mpfi_clear(s2);
            mpq_clear(ax);
        }
        b = vf_imat_abs_bits(&y);
        cr_expect_gt(b, prev_sqrt);
        prev_sqrt = b;
        vf_imat_clear(&x);
        vf_imat_clear(&y);
    }
    vf_qmat_clear(&q);
}

/* sqrt(2): the enclosure's ends bracket sqrt(2), checked exactly by squaring the p-bit ends
 * at 2p bits (exact). */
Test(iv, sqrt_two_brackets)
{
    vf_err e;
    vf_imat x = {0};
    cr_assert_eq(vf_imat_init(&x, 1, 1, 100, &e), VF_OK);
    double two = 2.0;
    cr_assert_eq(vf_imat_from_f64(&x, &two, &e), VF_OK);
    cr_assert_eq(vf_imat_sqrt(&x, &x, &e), VF_OK);
    mpfr_t s;
    mpfr_init2(s, 200);
    mpfr_sqr(s, &x.a[0]->left, MPFR_RNDN);
    cr_expect_lt(mpfr_cmp_ui(s, 2), 0);
    mpfr_sqr(s, &x.a[0]->right, MPFR_RNDN);
    cr_expect_gt(mpfr_cmp_ui(s, 2), 0);
    mpfr_clear(s);
    vf_imat_clear(&x);
}

/* Deterministic rationals with small numerators/denominators of both signs. */
static void fill_q(vf_qmat *m, uint32_t seed)
{
    uint32_t s = seed;
    for (size_t i = 0; i < m->rows * m->cols; i++) {
        s = s * 1664525u + 1013904223u;
        long num = (long)(s >> 16) % 2001 - 1000;
        s = s * 1664525u + 1013904223u;
        unsigned long den = (s >> 16) % 97 + 1;
        mpq_set_si(m->a[i], num, den);
        mpq_canonicalize(m->a[i]);
    }
}

Test(iv, dot_mul_add_sub_contain_exact_results)
{
    vf_err e;
    const size_t n = 40, r = 3, c = 5;
    vf_qmat qa = {0}, qb = {0}, qm = {0}, qn = {0}, qp = {0}, qs = {0}, qd = {0};
    cr_assert_eq(vf_qmat_init(&qa, n, 1, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&qb, n, 1, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&qm, r, n, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&qn, n, c, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&qp, r, c, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&qs, n, 1, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&qd, n, 1, &e), VF_OK);
    fill_q(&qa, 1);
    fill_q(&qb, 2);
    fill_q(&qm, 3);
    fill_q(&qn, 4);
    mpq_t dot;
    mpq_init(dot);
    cr_assert_eq(vf_qmat_dot(dot, &qa, &qb, &e), VF_OK);
    cr_assert_eq(vf_qmat_mul(&qp, &qm, &qn, &e), VF_OK);
    cr_assert_eq(vf_qmat_add(&qs, &qa, &qb, &e), VF_OK);
    cr_assert_eq(vf_qmat_sub(&qd, &qa, &qb, &e), VF_OK);
    long prev_dot = -1, prev_mul = -1;
    for (size_t k = 0; k < NPRECS; k++) {
        mpfr_prec_t p = precs[k];
        vf_imat a = {0}, b = {0}, m = {0}, nn = {0}, pr = {0}, s = {0}, d = {0};
        cr_assert_eq(vf_imat_init(&a, n, 1, p, &e), VF_OK);
        cr_assert_eq(vf_imat_init(&b, n, 1, p, &e), VF_OK);
        cr_assert_eq(vf_imat_init(&m, r, n, p, &e), VF_OK);
        cr_assert_eq(vf_imat_init(&nn, n, c, p, &e), VF_OK);
        cr_assert_eq(vf_imat_init(&pr, r, c, p, &e), VF_OK);
        cr_assert_eq(vf_imat_init(&s, n, 1, p, &e), VF_OK);
        cr_assert_eq(vf_imat_init(&d, n, 1, p, &e), VF_OK);
        cr_assert_eq(vf_imat_from_q(&a, &qa, &e), VF_OK);
        cr_assert_eq(vf_imat_from_q(&b, &qb, &e), VF_OK);
        cr_assert_eq(vf_imat_from_q(&m, &qm, &e), VF_OK);
        cr_assert_eq(vf_imat_from_q(&nn, &qn, &e), VF_OK);
        mpfi_t id;
        mpfi_init2(id, p);
        cr_assert_eq(vf_imat_dot(id, &a, &b, &e), VF_OK);
        cr_expect(contains_q(id, dot), "dot at %ld bits", (long)p);
        long bd = vf_iv_abs_bits(id);
        cr_expect_gt(bd, prev_dot);
        prev_dot = bd;
        mpfi_clear(id);
        cr_assert_eq(vf_imat_mul(&pr, &m, &nn, &e), VF_OK);
        for (size_t i = 0; i < r * c; i++)
            cr_expect(contains_q(pr.a[i], qp.a[i]), "mul entry %zu at %ld bits", i, (long)p);
        long bm = vf_imat_abs_bits(&pr);
        cr_expect_gt(bm, prev_mul);
        prev_mul = bm;
        cr_assert_eq(vf_imat_add(&s, &a, &b, &e), VF_OK);
        cr_assert_eq(vf_imat_sub(&d, &a, &b, &e), VF_OK);
        for (size_t i = 0; i < n; i++) {
            cr_expect(contains_q(s.a[i], qs.a[i]), "add entry %zu", i);
            cr_expect(contains_q(d.a[i], qd.a[i]), "sub entry %zu", i);
        }
        vf_imat_clear(&a);
        vf_imat_clear(&b);
        vf_imat_clear(&m);
        vf_imat_clear(&nn);
        vf_imat_clear(&pr);
        vf_imat_clear(&s);
        vf_imat_clear(&d);
    }
    mpq_clear(dot);
    vf_qmat_clear(&qa);
    vf_qmat_clear(&qb);
    vf_qmat_clear(&qm);
    vf_qmat_clear(&qn);
    vf_qmat_clear(&qp);
    vf_qmat_clear(&qs);
    vf_qmat_clear(&qd);
}

/* c = a * a computed in place equals the product into a separate matrix, endpoint for
 * endpoint (same operations in the same order). */
Test(iv, mul_in_place_matches)
{
    vf_err e;
    vf_qmat q = {0};
    vf_imat a = {0}, c = {0};
    cr_assert_eq(vf_qmat_init(&q, 3, 3, &e), VF_OK);
    fill_q(&q, 9);
    cr_assert_eq(vf_imat_init(&a, 3, 3, 80, &e), VF_OK);
    cr_assert_eq(vf_imat_init(&c, 3, 3, 80, &e), VF_OK);
    cr_assert_eq(vf_imat_from_q(&a, &q, &e), VF_OK);
    cr_assert_eq(vf_imat_mul(&c, &a, &a, &e), VF_OK);
    cr_assert_eq(vf_imat_mul(&a, &a, &a, &e), VF_OK);
    for (size_t i = 0; i < 9; i++) {
        cr_expect(mpfr_equal_p(&a.a[i]->left, &c.a[i]->left));
        cr_expect(mpfr_equal_p(&a.a[i]->right, &c.a[i]->right));
    }
    vf_imat_clear(&a);
    vf_imat_clear(&c);
    vf_qmat_clear(&q);
}

Test(iv, floats_are_exact_points)
{
    vf_err e;
    const double d[] = {0x1.fffffffffffffp-1, -0x1p-1074, 1e300, -0.0};
    const float f[] = {0x1.fffffep-1f, -0x1p-149f, 3e38f, 0.1f};
    vf_imat x = {0};
    cr_assert_eq(vf_imat_init(&x, 2, 2, 53, &e), VF_OK);
    cr_assert_eq(vf_imat_from_f64(&x, d, &e), VF_OK);
    for (size_t i = 0; i < 4; i++) {
        cr_expect_eq(mpfr_get_d(&x.a[i]->left, MPFR_RNDN), d[i]);
        cr_expect_eq(mpfr_get_d(&x.a[i]->right, MPFR_RNDN), d[i]);
        cr_expect_eq(vf_iv_abs_bits(x.a[i]), 53, "a point has prec bits");
    }
    cr_assert_eq(vf_imat_from_f32(&x, f, &e), VF_OK);
    for (size_t i = 0; i < 4; i++)
        cr_expect(mpfr_equal_p(&x.a[i]->left, &x.a[i]->right) &&
                      mpfr_get_flt(&x.a[i]->left, MPFR_RNDN) == f[i],
                  "float %zu", i);
    vf_imat_clear(&x);
}

Test(iv, nan_and_inf_inputs_name_the_index)
{
    vf_err e;
    vf_imat x = {0};
    cr_assert_eq(vf_imat_init(&x, 2, 3, 64, &e), VF_OK);
    const float f[] = {1, 2, 3, 4, NAN, 6};
    cr_expect_eq(vf_imat_from_f32(&x, f, &e), VF_E_DOMAIN);
    cr_expect(strstr(e.msg, "NaN") && strstr(e.msg, "(1,1)"), "%s", e.msg);
    const double d[] = {1, 2, -INFINITY, 4, 5, 6};
    cr_expect_eq(vf_imat_from_f64(&x, d, &e), VF_E_DOMAIN);
    cr_expect(strstr(e.msg, "infinity") && strstr(e.msg, "(0,2)"), "%s", e.msg);
    vf_imat_clear(&x);
}

/* Runs fn on the 2x3 matrix whose entries are all [1, 2] except (1,2) = [lo, hi]. */
static int run_bad(int (*fn)(vf_imat *, const vf_imat *, vf_err *), double lo, double hi,
                   vf_err *e)
{
    vf_imat x = {0};
    cr_assert_eq(vf_imat_init(&x, 2, 3, 64, e), VF_OK);
    for (size_t i = 0; i < 6; i++)
        mpfi_interv_d(x.a[i], 1, 2);
    mpfi_interv_d(VF_I(&x, 1, 2), lo, hi);
    int rc = fn(&x, &x, e);
    /* Checks come before any write: on error the input (aliased output) is untouched. */
    if (rc != VF_OK)
        for (size_t i = 0; i < 5; i++)
            cr_expect(mpfr_cmp_ui(&x.a[i]->left, 1) == 0 && mpfr_cmp_ui(&x.a[i]->right, 2) == 0,
                      "entry %zu modified by a failing call", i);
    vf_imat_clear(&x);
    return rc;
}

Test(iv, domain_errors)
{
    vf_err e;
    cr_expect_eq(run_bad(vf_imat_log, 0, 0, &e), VF_E_DOMAIN, "log(0)");
    cr_expect(strstr(e.msg, "log of an interval containing values <= 0 at (1,2)"), "%s", e.msg);
    cr_expect_eq(run_bad(vf_imat_log, -1, 1, &e), VF_E_DOMAIN, "log([-1,1])");
    cr_expect_eq(run_bad(vf_imat_log, 0, 1, &e), VF_E_DOMAIN, "log([0,1])");
    cr_expect_eq(run_bad(vf_imat_log, 0x1p-1074, 1, &e), VF_OK, "log([tiny,1])");
    cr_expect_eq(run_bad(vf_imat_sqrt, -1, -1, &e), VF_E_DOMAIN, "sqrt(-1)");
    cr_expect(strstr(e.msg, "sqrt") && strstr(e.msg, "(1,2)"), "%s", e.msg);
    cr_expect_eq(run_bad(vf_imat_sqrt, -0x1p-1074, 4, &e), VF_E_DOMAIN, "sqrt([-tiny,4])");
    cr_expect_eq(run_bad(vf_imat_sqrt, 0, 4, &e), VF_OK, "sqrt([0,4])");
    cr_expect_eq(run_bad(vf_imat_exp, -1000, 1000, &e), VF_OK, "exp is total");
}

Test(iv, shape_errors_name_the_shapes)
{
    vf_err e;
    vf_imat a = {0}, b = {0}, c = {0};
    vf_qmat q = {0};
    cr_assert_eq(vf_imat_init(&a, 2, 3, 64, &e), VF_OK);
    cr_assert_eq(vf_imat_init(&b, 3, 2, 64, &e), VF_OK);
    cr_assert_eq(vf_imat_init(&c, 2, 3, 64, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&q, 3, 2, &e), VF_OK);
    cr_expect_eq(vf_imat_add(&c, &a, &b, &e), VF_E_SHAPE);
    cr_expect(strstr(e.msg, "2x3") && strstr(e.msg, "3x2"), "%s", e.msg);
    cr_expect_eq(vf_imat_sub(&c, &a, &b, &e), VF_E_SHAPE);
    cr_expect_eq(vf_imat_mul(&c, &a, &a, &e), VF_E_SHAPE, "2x3 times 2x3");
    cr_expect(strstr(e.msg, "2x3 times 2x3"), "%s", e.msg);
    cr_expect_eq(vf_imat_mul(&c, &a, &b, &e), VF_E_SHAPE, "2x3 * 3x2 is 2x2, not 2x3");
    mpfi_t r;
    mpfi_init2(r, 64);
    cr_expect_eq(vf_imat_dot(r, &a, &b, &e), VF_E_SHAPE);
    mpfi_clear(r);
    cr_expect_eq(vf_imat_from_q(&a, &q, &e), VF_E_SHAPE);
    cr_expect_eq(vf_imat_exp(&b, &a, &e), VF_E_SHAPE);
    vf_imat z = {0};
    cr_expect_eq(vf_imat_init(&z, 1, 1, 0, &e), VF_E_USAGE, "precision 0");
    cr_expect_null(z.a);
    vf_imat_clear(&a);
    vf_imat_clear(&b);
    vf_imat_clear(&c);
    vf_qmat_clear(&q);
}

/* abs_bits on hand-made intervals: k is the largest with width <= 2^-k. */
static long bits_of(const char *lo, const char *hi, mpfr_prec_t p)
{
    mpfi_t x;
    mpfi_init2(x, p);
    mpfr_set_str(&x->left, lo, 0, MPFR_RNDN);
    mpfr_set_str(&x->right, hi, 0, MPFR_RNDN);
    long k = vf_iv_abs_bits(x);
    mpfi_clear(x);
    return k;
}

Test(iv, abs_bits_values)
{
    cr_expect_eq(bits_of("3", "3", 64), 64, "point");
    cr_expect_eq(bits_of("0", "1", 64), 0, "width 1");
    cr_expect_eq(bits_of("0", "5", 64), 0, "width 5");
    cr_expect_eq(bits_of("0", "0.5", 64), 1, "width 1/2");
    cr_expect_eq(bits_of("0", "0.75", 64), 0, "width 3/4 > 1/2");
    cr_expect_eq(bits_of("7", "0x7.004p0", 64), 10, "width 2^-10");
    cr_expect_eq(bits_of("7", "0x7.0041p0", 64), 9, "width just above 2^-10");
    cr_expect_eq(bits_of("7", "0x7.003fp0", 64), 10, "width just below 2^-10");
    cr_expect_eq(bits_of("-0x1p-200", "0x1p-200", 64), 64, "2^-199 capped at prec");
    cr_expect_eq(bits_of("-0x1p-200", "0x1p-200", 300), 199, "2^-199 at 300 bits");
    cr_expect_eq(bits_of("-inf", "0", 64), 0, "unbounded");
    cr_expect_eq(bits_of("2", "1", 64), 0, "empty");
    /* Width 1 + 2^-70 is not representable at 53 bits: the rounded-up width must not drop
     * below 1 (k stays 0); the true width 2^-60 + 2^-130 at 64 bits gives 59. */
    cr_expect_eq(bits_of("-0x1p-70", "1", 53), 0);
    cr_expect_eq(bits_of("-0x1p-130", "0x1p-60", 64), 59);
}

Test(iv, imat_abs_bits_is_the_minimum)
{
    vf_err e;
    vf_imat x = {0};
    cr_assert_eq(vf_imat_init(&x, 1, 3, 64, &e), VF_OK);
    mpfi_set_ui(x.a[0], 1);
    mpfi_interv_d(x.a[1], 1, 1 + 0x1p-20);
    mpfi_interv_d(x.a[2], 1, 1 + 0x1p-30);
    cr_expect_eq(vf_imat_abs_bits(&x), 20);
    vf_imat_clear(&x);
    cr_assert_eq(vf_imat_init(&x, 0, 3, 64, &e), VF_OK);
    cr_expect_eq(vf_imat_abs_bits(&x), 64, "no entry: nothing uncertain");
    vf_imat_clear(&x);
}
