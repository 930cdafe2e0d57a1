/* test_trust_axioms.c — numerical check of every axiom of the proof trust base
 * (proofs/TRUST.md, table "Axioms"; the ACSL block Vf_ExLn of specs/softmax.acsl).
 *
 * ex and ln are read as the real exp and natural log.  Each axiom is evaluated with MPFI
 * interval enclosures (256-bit) on many points; an axiom is REFUTED when the enclosures prove
 * it false somewhere (e.g. the enclosures of both sides of an equation are disjoint, or a
 * strict inequality's enclosure lies wholly on the wrong side).  Where an inequality has slack,
 * the test also requires it to be CERTIFIED (enclosure wholly on the right side).  Replacing an
 * axiom by a false variant (ex(x+y) = ex(x)+ex(y), ln x <= x - 2, ...) makes these tests fail.
 * Coq proves the same statements for Coq's exp/ln (proofs/coq/ExLnModel.v); this test guards
 * the reading of the ACSL text against the intended functions. */
#include <criterion/criterion.h>
#include <mpfi.h>
#include <math.h>

#define PREC 256

static void init_all(mpfi_ptr *v, int k) { for (int i = 0; i < k; i++) mpfi_init2(v[i], PREC); }
static void clear_all(mpfi_ptr *v, int k) { for (int i = 0; i < k; i++) mpfi_clear(v[i]); }

/* test points: a signed grid plus a log-spaced positive sweep (hits tiny and huge values) */
static int points(double *out, int cap)
{
    int n = 0;
    for (int k = -400; k <= 400 && n < cap; k++)
        out[n++] = k / 8.0 + (k % 7) * 1e-3;            /* [-50, 50], non-dyadic offsets */
    for (int k = -60; k <= 60 && n < cap; k++)
        out[n++] = ldexp(1.0 + (k & 15) / 17.0, k * 11); /* 2^-660 .. 2^660 */
    return n;
}

static int disjoint(mpfi_t a, mpfi_t b)
{
    return mpfr_cmp(&a->right, &b->left) < 0 || mpfr_cmp(&b->right, &a->left) < 0;
}

Test(trust_axioms, ExLn_Ex_Pos)   /* ex(x) > 0 */
{
    double p[1024]; int n = points(p, 1024);
    mpfi_t e; mpfi_init2(e, PREC);
    for (int i = 0; i < n; i++) {
        if (fabs(p[i]) > 1e4) continue;                  /* exp overflows MPFR's range beyond */
        mpfi_set_d(e, p[i]); mpfi_exp(e, e);
        cr_assert(mpfr_sgn(&e->left) > 0, "ex(%a) not certified > 0", p[i]);
    }
    mpfi_clear(e);
}

Test(trust_axioms, ExLn_Ln_Ex)    /* ln(ex(x)) == x */
{
    double p[1024]; int n = points(p, 1024);
    mpfi_t e, x; mpfi_init2(e, PREC); mpfi_init2(x, PREC);
    for (int i = 0; i < n; i++) {
        if (fabs(p[i]) > 1e4) continue;
        mpfi_set_d(x, p[i]); mpfi_exp(e, x); mpfi_log(e, e);
        cr_assert(!disjoint(e, x), "ln(ex(%a)) != %a", p[i], p[i]);
        mpfi_sub(e, e, x);                               /* the enclosure must be tight */
        cr_assert(mpfi_is_inside_d(0.0, e) || mpfr_zero_p(&e->left), "ln(ex(%a)) loose", p[i]);
        cr_assert(mpfr_cmp_d(&e->right, 1e-60) < 0 && mpfr_cmp_d(&e->left, -1e-60) > 0,
                  "ln(ex(%a)) enclosure too wide to decide", p[i]);
    }
    mpfi_clear(e); mpfi_clear(x);
}

Test(trust_axioms, ExLn_Ex_Add)   /* z == x + y ==> ex(z) == ex(x) * ex(y) */
{
    double p[1024]; int n = points(p, 1024);
    mpfi_t x, y, z, l, r; mpfi_ptr all[] = {x, y, z, l, r}; init_all(all, 5);
    for (int i = 0; i < n; i += 3)
        for (int j = 1; j < n; j += 37) {
            if (fabs(p[i]) > 1e3 || fabs(p[j]) > 1e3) continue;
            mpfi_set_d(x, p[i]); mpfi_set_d(y, p[j]); mpfi_add(z, x, y);
            mpfi_exp(l, z); mpfi_exp(x, x); mpfi_exp(y, y); mpfi_mul(r, x, y);
            cr_assert(!disjoint(l, r), "ex(%a + %a) != ex(%a) ex(%a)", p[i], p[j], p[i], p[j]);
            /* relative width small: disjointness would be detected for any wrong law */
            mpfi_div(l, l, r); mpfi_sub_d(l, l, 1.0);   /* ratio - 1 within +-1e-60 */
            cr_assert(mpfr_cmp_d(&l->left, -1e-60) > 0 && mpfr_cmp_d(&l->right, 1e-60) < 0);
        }
    clear_all(all, 5);
}

Test(trust_axioms, ExLn_Ln_Div)   /* x, y > 0, z == x / y ==> ln(z) == ln(x) - ln(y) */
{
    double p[1024]; int n = points(p, 1024);
    mpfi_t x, y, l, r; mpfi_ptr all[] = {x, y, l, r}; init_all(all, 4);
    int checked = 0;
    for (int i = 0; i < n; i += 2)
        for (int j = 1; j < n; j += 29) {
            if (!(p[i] > 0) || !(p[j] > 0)) continue;
            mpfi_set_d(x, p[i]); mpfi_set_d(y, p[j]);
            mpfi_div(l, x, y); mpfi_log(l, l);
            mpfi_log(x, x); mpfi_log(y, y); mpfi_sub(r, x, y);
            cr_assert(!disjoint(l, r), "ln(%a / %a) != ln %a - ln %a", p[i], p[j], p[i], p[j]);
            mpfi_sub(l, l, r);
            cr_assert(mpfr_cmp_d(&l->right, 1e-50) < 0 && mpfr_cmp_d(&l->left, -1e-50) > 0);
            checked++;
        }
    cr_assert(checked > 1000, "only %d pairs checked", checked);
    clear_all(all, 4);
}

Test(trust_axioms, ExLn_Ln_Le)    /* x > 0 ==> ln(x) <= x - 1 */
{
    double p[1024]; int n = points(p, 1024);
    mpfi_t x, d; mpfi_init2(x, PREC); mpfi_init2(d, PREC);
    int certified = 0;
    for (int i = 0; i < n; i++) {
        if (!(p[i] > 0)) continue;
        mpfi_set_d(x, p[i]); mpfi_set(d, x); mpfi_sub_d(d, d, 1.0); /* d = (x - 1) - ln x */
        mpfi_log(x, x); mpfi_sub(d, d, x);
        cr_assert(mpfr_sgn(&d->right) >= 0, "ln(%a) > %a - 1 (refuted)", p[i], p[i]);
        if (fabs(p[i] - 1.0) > 1e-6) {                  /* slack (x-1)^2/2 > 0: certify it */
            cr_assert(mpfr_sgn(&d->left) > 0, "ln(%a) <= %a - 1 not certified", p[i], p[i]);
            certified++;
        }
    }
    cr_assert(certified > 300, "only %d points certified", certified);
    mpfi_clear(x); mpfi_clear(d);
}
