/* Rational instance generators: exact orthogonality, exact unit norm, exact known condition
 * number, determinism.  Every check is an exact rational identity. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "vf_q.h"
#include "vf_qgen.h"

#define SEED UINT64_C(20261123)

static vf_qmat mk(size_t r, size_t c)
{
    vf_err e;
    vf_qmat m = {0};
    cr_assert_eq(vf_qmat_init(&m, r, c, &e), VF_OK, "%s", e.msg);
    return m;
}

static vf_qmat mul_tn(const vf_qmat *a, const vf_qmat *b) /* a^T b */
{
    vf_err e;
    vf_qmat at = mk(a->cols, a->rows), c = mk(a->cols, b->cols);
    cr_assert_eq(vf_qmat_transpose(&at, a, &e), VF_OK);
    cr_assert_eq(vf_qmat_mul(&c, &at, b, &e), VF_OK);
    vf_qmat_clear(&at);
    return c;
}

static int is_identity(const vf_qmat *a)
{
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++)
            if (mpq_cmp_ui(VF_Q(a, i, j), i == j, 1) != 0)
                return 0;
    return a->rows == a->cols;
}

Test(qgen, small_entries_respect_bounds)
{
    vf_qmat m = mk(20, 20);
    vf_qgen_small(&m, SEED, 1, 4, 3);
    int saw_fraction = 0, saw_negative = 0;
    for (size_t i = 0; i < 400; i++) {
        /* p/q reduced keeps |value| <= num_max and denominator <= den_max. */
        cr_assert_leq(mpz_cmpabs_ui(mpq_numref(m.a[i]), 4), 0);
        cr_assert_leq(mpz_cmp_ui(mpq_denref(m.a[i]), 3), 0);
        saw_fraction |= mpz_cmp_ui(mpq_denref(m.a[i]), 1) > 0;
        saw_negative |= mpq_sgn(m.a[i]) < 0;
    }
    cr_assert(saw_fraction && saw_negative, "400 draws cover fractions and negatives");
    vf_qmat_clear(&m);
}

Test(qgen, orthogonal_is_exactly_orthogonal)
{
    vf_err e;
    for (size_t n = 1; n <= 8; n++) {
        vf_qmat r = mk(n, n);
        cr_assert_eq(vf_qgen_orthogonal(&r, SEED, 10 + n, &e), VF_OK, "%s", e.msg);
        vf_qmat rtr = mul_tn(&r, &r), rt = mk(n, n), rrt = mk(n, n);
        cr_assert(is_identity(&rtr), "R^T R != I for n=%zu", n);
        cr_assert_eq(vf_qmat_transpose(&rt, &r, &e), VF_OK);
        cr_assert_eq(vf_qmat_mul(&rrt, &r, &rt, &e), VF_OK);
        cr_assert(is_identity(&rrt), "R R^T != I for n=%zu", n);
        if (n >= 2)
            cr_assert(!is_identity(&r), "a random S != 0 gives R != I (n=%zu)", n);
        vf_qmat_clear(&r);
        vf_qmat_clear(&rtr);
        vf_qmat_clear(&rt);
        vf_qmat_clear(&rrt);
    }
    vf_qmat bad = mk(2, 3);
    cr_assert_eq(vf_qgen_orthogonal(&bad, SEED, 0, &e), VF_E_SHAPE);
    vf_qmat_clear(&bad);
}

Test(qgen, unit_vector_has_norm_one)
{
    vf_err e;
    mpq_t s;
    mpq_init(s);
    int plus = 0, minus = 0;
    for (size_t n = 1; n <= 10; n++)
        for (uint64_t t = 0; t < 6; t++) {
            vf_qmat v = mk(n, 1);
            cr_assert_eq(vf_qgen_unit_vector(&v, SEED, 100 * n + t, &e), VF_OK);
            cr_assert_eq(vf_qmat_dot(s, &v, &v, &e), VF_OK);
            cr_assert_eq(mpq_cmp_ui(s, 1, 1), 0, "sum v_i^2 != 1 for n=%zu", n);
            if (n == 1) {
                cr_assert_eq(mpz_cmpabs_ui(mpq_numref(v.a[0]), 1), 0, "n = 1 gives +-1");
                cr_assert_eq(mpz_cmp_ui(mpq_denref(v.a[0]), 1), 0);
                if (mpq_sgn(v.a[0]) > 0)
                    plus++;
                else
                    minus++;
            }
            vf_qmat_clear(&v);
        }
    cr_assert(plus && minus, "both signs occur for n = 1");
    vf_qmat bad = mk(3, 2), empty = mk(0, 1);
    cr_assert_eq(vf_qgen_unit_vector(&bad, SEED, 0, &e), VF_E_SHAPE);
    cr_assert_eq(vf_qgen_unit_vector(&empty, SEED, 0, &e), VF_E_SHAPE);
    vf_qmat_clear(&bad);
    vf_qmat_clear(&empty);
    mpq_clear(s);
}

/* The singular values documented in vf_qgen.h, recomputed here from the header's formula. */
static void documented_s(mpq_t *s, size_t d, const mpq_t kappa)
{
    mpz_srcptr a = mpq_numref(kappa), b = mpq_denref(kappa);
    unsigned long bd = 0;
    for (size_t v = d; v; v >>= 1)
        bd++;
    unsigned long p = (unsigned long)mpz_sizeinbase(a, 2) + bd + 2;
    mpz_t t, u;
    mpz_inits(t, u, NULL);
    for (size_t i = 0; i < d; i++) {
        if (d == 1) {
            mpq_set_ui(s[i], 1, 1);
            continue;
        }
        mpz_pow_ui(t, b, i);
        mpz_pow_ui(u, a, d - 1 - i);
        mpz_mul(t, t, u);
        mpz_mul_2exp(t, t, p * (d - 1));
        mpz_root(mpq_numref(s[i]), t, d - 1);
        mpz_mul_2exp(mpq_denref(s[i]), a, p);
        mpq_canonicalize(s[i]);
    }
    mpz_clears(t, u, NULL);
}

/* Exact spectral check of G = X^T X: det(G - s_i^2 I) == 0 for d pairwise distinct s_i^2 means
 * these are all d eigenvalues of G (its characteristic polynomial has degree d), so the
 * singular values of X are exactly s and cond_2(X) = s_1 / s_d. */
static void check_known_kappa(size_t n, size_t d, const char *kappa_text, uint64_t tensor)
{
    vf_err e;
    mpq_t kappa, ratio, det, l;
    mpq_inits(kappa, ratio, det, l, NULL);
    cr_assert_eq(vf_q_set_str(kappa, kappa_text, &e), VF_OK);
    vf_qmat x = mk(n, d);
    cr_assert_eq(vf_qgen_known_kappa(&x, n, d, kappa, SEED, tensor, &e), VF_OK, "%s", e.msg);
    vf_qmat g = mul_tn(&x, &x), h = mk(d, d);
    mpq_t *s = malloc(d * sizeof *s);
    for (size_t i = 0; i < d; i++)
        mpq_init(s[i]);
    documented_s(s, d, kappa);
    cr_assert_eq(mpq_cmp_ui(s[0], 1, 1), 0, "s_1 == 1");
    mpq_div(ratio, s[0], s[d - 1]);
    cr_assert(mpq_equal(ratio, kappa), "s_1 / s_d == kappa (%zux%zu, kappa %s)", n, d,
              kappa_text);
    int kappa_one = mpq_cmp_ui(kappa, 1, 1) == 0;
    for (size_t i = 0; i + 1 < d; i++)
        cr_assert(kappa_one ? mpq_equal(s[i], s[i + 1]) : mpq_cmp(s[i], s[i + 1]) > 0,
                  "s strictly decreasing (equal when kappa = 1)");
    if (kappa_one) {
        cr_assert(is_identity(&g), "kappa = 1: X has orthonormal columns");
    } else {
        for (size_t i = 0; i < d; i++) {
            mpq_mul(l, s[i], s[i]);
            cr_assert_eq(vf_qmat_copy(&h, &g, &e), VF_OK);
            for (size_t j = 0; j < d; j++)
                mpq_sub(VF_Q(&h, j, j), VF_Q(&h, j, j), l);
            cr_assert_eq(vf_q_det(det, &h, &e), VF_OK);
            cr_assert_eq(mpq_sgn(det), 0, "s_%zu^2 is an eigenvalue of X^T X", i + 1);
        }
    }
    for (size_t i = 0; i < d; i++)
        mpq_clear(s[i]);
    free(s);
    vf_qmat_clear(&x);
    vf_qmat_clear(&g);
    vf_qmat_clear(&h);
    mpq_clears(kappa, ratio, det, l, NULL);
}

Test(qgen, known_kappa_has_exact_spectrum)
{
    check_known_kappa(4, 3, "10", 1);
    check_known_kappa(6, 4, "1000000", 2);
    check_known_kappa(5, 5, "7/3", 3);
    check_known_kappa(8, 2, "1001/1000", 4); /* near 1: spacing still strict */
    check_known_kappa(7, 6, "100", 5);
    check_known_kappa(3, 3, "1", 6);
    check_known_kappa(3, 1, "1", 7);
}

Test(qgen, known_kappa_refuses_bad_parameters)
{
    vf_err e;
    mpq_t k;
    mpq_init(k);
    vf_qmat x = mk(3, 1), y = mk(2, 3), z = mk(3, 2);
    mpq_set_si(k, 1, 2);
    cr_assert_eq(vf_qgen_known_kappa(&z, 3, 2, k, SEED, 0, &e), VF_E_DOMAIN, "kappa < 1");
    mpq_set_si(k, 2, 1);
    cr_assert_eq(vf_qgen_known_kappa(&x, 3, 1, k, SEED, 0, &e), VF_E_DOMAIN, "d = 1, kappa 2");
    cr_assert_eq(vf_qgen_known_kappa(&y, 2, 3, k, SEED, 0, &e), VF_E_SHAPE, "n < d");
    cr_assert_eq(vf_qgen_known_kappa(&z, 4, 2, k, SEED, 0, &e), VF_E_SHAPE, "x not n x d");
    cr_assert(strstr(e.msg, "3x2") && strstr(e.msg, "4x2"), "%s", e.msg);
    vf_qmat_clear(&x);
    vf_qmat_clear(&y);
    vf_qmat_clear(&z);
    mpq_clear(k);
}

Test(qgen, deterministic_per_seed_and_tensor)
{
    vf_err e;
    mpq_t k;
    mpq_init(k);
    mpq_set_ui(k, 50, 1);
    vf_qmat a = mk(5, 5), b = mk(5, 5), c = mk(5, 5), d = mk(5, 5);
    vf_qgen_small(&a, SEED, 3, 9, 9);
    vf_qgen_small(&b, SEED, 3, 9, 9);
    vf_qgen_small(&c, SEED, 4, 9, 9);
    vf_qgen_small(&d, SEED + 1, 3, 9, 9);
    cr_assert(vf_qmat_equal(&a, &b));
    cr_assert(!vf_qmat_equal(&a, &c), "different tensor");
    cr_assert(!vf_qmat_equal(&a, &d), "different seed");
    cr_assert_eq(vf_qgen_orthogonal(&a, SEED, 3, &e), VF_OK);
    cr_assert_eq(vf_qgen_orthogonal(&b, SEED, 3, &e), VF_OK);
    cr_assert_eq(vf_qgen_orthogonal(&c, SEED, 4, &e), VF_OK);
    cr_assert(vf_qmat_equal(&a, &b));
    cr_assert(!vf_qmat_equal(&a, &c));
    cr_assert_eq(vf_qgen_known_kappa(&a, 5, 5, k, SEED, 3, &e), VF_OK);
    cr_assert_eq(vf_qgen_known_kappa(&b, 5, 5, k, SEED, 3, &e), VF_OK);
    cr_assert_eq(vf_qgen_known_kappa(&c, 5, 5, k, SEED, 4, &e), VF_OK);
    cr_assert(vf_qmat_equal(&a, &b));
    cr_assert(!vf_qmat_equal(&a, &c));
    vf_qmat u = mk(6, 1), v = mk(6, 1), w = mk(6, 1);
    cr_assert_eq(vf_qgen_unit_vector(&u, SEED, 3, &e), VF_OK);
    cr_assert_eq(vf_qgen_unit_vector(&v, SEED, 3, &e), VF_OK);
    cr_assert_eq(vf_qgen_unit_vector(&w, SEED, 4, &e), VF_OK);
    cr_assert(vf_qmat_equal(&u, &v));
    cr_assert(!vf_qmat_equal(&u, &w));
    vf_qmat *all[] = {&a, &b, &c, &d, &u, &v, &w};
    for (size_t i = 0; i < 7; i++)
        vf_qmat_clear(all[i]);
    mpq_clear(k);
}
