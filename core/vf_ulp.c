/* vf_ulp.c — the comparator: ULP error against the exact value, and its accumulation.
 *
 * Every quantity that decides a reported number is computed in MPFR with directed rounding
 * towards +inf, so a reported error is never smaller than the true one.  The only hardware
 * float operations are exact ones (frexp, ldexp on powers of two, comparisons).
 */
#include "vf_ulp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Precision of the accumulated L2 sums and of the hybrid quotient: far beyond what a double
 * result can show, so their own rounding is invisible in the reported doubles. */
#define VF_CMP_PREC 256

typedef struct {
    int p;     /* precision in bits, hidden bit included */
    int emin;  /* exponent of the smallest normal number */
} fmt_params;

static fmt_params params(vf_dtype dt)
{
    switch (dt) {
    case VF_DT_F16: return (fmt_params){11, -14};
    case VF_DT_F32: return (fmt_params){24, -126};
    case VF_DT_F64: break;
    }
    return (fmt_params){53, -1022}; /* F64; vf_cmp_init rejects any other value */
}

static int dtype_valid(vf_dtype dt)
{
    return dt == VF_DT_F16 || dt == VF_DT_F32 || dt == VF_DT_F64;
}

/* binary16 has no MPFR conversion: the project's one implementation is in ref/vf_round.c,
 * reached through a point interval (both ends equal, so it always rounds; the copy at x's
 * precision is exact). */
static double round_f16(const mpfr_t x)
{
    mpfi_t p;
    mpfi_init2(p, mpfr_get_prec(x));
    mpfi_set_fr(p, x);
    double r = NAN;
    int ok = vf_round_iv(&r, p, VF_DT_F16);
    mpfi_clear(p);
    return ok ? r : NAN;
}

/* x correctly rounded to dt, returned as a double (exact: every target value is a double). */
static double round_to(const mpfr_t x, vf_dtype dt)
{
    if (mpfr_nan_p(x))
        return NAN;
    if (mpfr_inf_p(x))
        return mpfr_signbit(x) ? -INFINITY : INFINITY;
    if (mpfr_zero_p(x))
        return mpfr_signbit(x) ? -0.0 : 0.0;
    switch (dt) {
    case VF_DT_F16: return round_f16(x);
    case VF_DT_F32: return (double)mpfr_get_flt(x, MPFR_RNDN);
    case VF_DT_F64: break;
    }
    return mpfr_get_d(x, MPFR_RNDN);
}

/* Exponent of ulp(cr): max(E(cr), Emin) - p + 1; cr = 0 gives the smallest subnormal. */
static long ulp_exp(double cr, vf_dtype dt)
{
    const fmt_params f = params(dt);
    long E = f.emin;
    if (cr != 0) {
        int e2;
        frexp(cr, &e2); /* 0.5 <= |m| < 1, also for subnormal doubles */
        if (e2 - 1 > E)
            E = e2 - 1;
    }
    return E - (f.p - 1);
}

/* d = |got - x| rounded up, at d's precision (got and x finite). */
static void abs_diff_up(mpfr_t d, double got, const mpfr_t x)
{
    mpfr_t g;
    mpfr_init2(g, 53);
    mpfr_set_d(g, got, MPFR_RNDN); /* exact */
    if (mpfr_cmp(g, x) >= 0)
        mpfr_sub(d, g, x, MPFR_RNDU);
    else
        mpfr_sub(d, x, g, MPFR_RNDU);
    mpfr_clear(g);
}

vf_ulp_err vf_ulp_error(double got, const mpfr_t exact, vf_dtype dt)
{
    vf_ulp_err r = {VF_ULP_OK, 0.0, 0.0};
    if (mpfr_nan_p(exact)) {
        r.cr = NAN;
        if (!isnan(got)) {
            r.cls = VF_ULP_WANT_NAN;
            r.ulp = INFINITY;
        }
        return r;
    }
    r.cr = round_to(exact, dt);
    if (isnan(got))
        r.cls = VF_ULP_GOT_NAN;
    else if (isinf(r.cr)) /* overflow in dt, or an infinite exact value */
        r.cls = !isinf(got) ? VF_ULP_MISSED_INF
              : (signbit(got) != signbit(r.cr)) ? VF_ULP_INF_SIGN : VF_ULP_OK;
    else if (isinf(got))
        r.cls = VF_ULP_GOT_INF;
    if (r.cls != VF_ULP_OK) {
        r.ulp = INFINITY;
        return r;
    }
    if (isinf(got)) /* same infinity as cr */
        return r;
    /* 64 bits suffice although the subtraction may be inexact: rounding up to 64 bits and then
     * up to 53 gives the same double as rounding the exact quotient up to 53 once (every double
     * is a 64-bit number, so the intermediate never passes the double above the true value);
     * the scaling by ulp(cr), a power of two, is exact. */
    mpfr_t d;
    mpfr_init2(d, 64);
    abs_diff_up(d, got, exact);
    mpfr_mul_2si(d, d, -ulp_exp(r.cr, dt), MPFR_RNDU);
    /* +inf if beyond the double range (still an upper bound); fabs: a zero difference may be
     * -0 (got = -0, exact 0), and p99 orders the errors by their bits. */
    r.ulp = fabs(mpfr_get_d(d, MPFR_RNDU));
    mpfr_clear(d);
    return r;
}

const char *vf_ulp_class_name(vf_ulp_class c)
{
    static const char *const names[] = {
        [VF_ULP_OK] = "ok", [VF_ULP_GOT_NAN] = "got_nan", [VF_ULP_GOT_INF] = "got_inf",
        [VF_ULP_MISSED_INF] = "missed_inf", [VF_ULP_INF_SIGN] = "inf_sign",
        [VF_ULP_WANT_NAN] = "want_nan",
    };
    return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "unknown";
}

int vf_cmp_init(vf_cmp *c, vf_dtype dt, double atol, vf_err *e)
{
    if (!dtype_valid(dt))
        return vf_fail(e, VF_E_USAGE, "comparator: unknown dtype %d", (int)dt);
    if (!(atol >= 0) || isinf(atol))
        return vf_fail(e, VF_E_USAGE, "comparator: atol must be finite and >= 0, got %g", atol);
    memset(c, 0, sizeof *c);
    c->dtype = dt;
    /* atol = 0 selects the smallest normal number of the dtype (vf_ulp.h). */
    c->atol = atol > 0 ? atol : ldexp(1.0, params(dt).emin);
    mpfr_init2(c->l2_diff, VF_CMP_PREC);
    mpfr_init2(c->l2_ref, VF_CMP_PREC);
    mpfr_set_zero(c->l2_diff, 1);
    mpfr_set_zero(c->l2_ref, 1);
    return VF_OK;
}

static int grow(vf_cmp *c, vf_err *e)
{
    if (c->n < c->cap)
        return VF_OK;
    size_t cap = c->cap ? c->cap : 64;
    if (c->cap) {
        if (cap > SIZE_MAX / 2 / sizeof *c->ulps)
            return vf_fail(e, VF_E_NOMEM, "comparator: %zu points exceed the address space",
                           c->n);
        cap *= 2;
    }
    double *u = realloc(c->ulps, cap * sizeof *u);
    if (!u)
        return vf_fail(e, VF_E_NOMEM, "comparator: out of memory growing to %zu points", cap);
    c->ulps = u;
    c->cap = cap;
    return VF_OK;
}

/* Hybrid error and L2 sums of a point where both got and x are finite numbers. */
static void add_norms(vf_cmp *c, double got, const mpfr_t x)
{
    mpfr_t d, den;
    mpfr_init2(d, VF_CMP_PREC);
    mpfr_init2(den, VF_CMP_PREC);
    abs_diff_up(d, got, x);
    /* L2: the squares at VF_CMP_PREC bits; relative rounding 2^-255 per operation. */
    mpfr_t sq;
    mpfr_init2(sq, VF_CMP_PREC);
    mpfr_sqr(sq, d, MPFR_RNDN);
    mpfr_add(c->l2_diff, c->l2_diff, sq, MPFR_RNDN);
    mpfr_sqr(sq, x, MPFR_RNDN);
    mpfr_add(c->l2_ref, c->l2_ref, sq, MPFR_RNDN);
    mpfr_clear(sq);
    /* hybrid: |got - x| / max(|x|, atol), rounded up (atol > 0, so never 0/0). */
    mpfr_abs(den, x, MPFR_RNDD);
    if (mpfr_cmp_d(den, c->atol) < 0)
        mpfr_set_d(den, c->atol, MPFR_RNDD);
    mpfr_div(d, d, den, MPFR_RNDU);
    double h = mpfr_get_d(d, MPFR_RNDU);
    if (h > c->max_hybrid)
        c->max_hybrid = h;
    mpfr_clear(d);
    mpfr_clear(den);
}

vf_ulp_err vf_cmp_add(vf_cmp *c, size_t index, double got, const mpfr_t exact, vf_err *e)
{
    vf_ulp_err r = vf_ulp_error(got, exact, c->dtype);
    if (grow(c, e) != VF_OK)
        return r; /* the point is not recorded; e says why */
    if (c->n == 0 || r.ulp > c->max_ulp) { /* strict: the first occurrence of the max wins */
        c->max_ulp = r.ulp;
        c->argmax = index;
    }
    c->ulps[c->n++] = r.ulp;
    c->count[r.cls]++;
    /* Class mismatches, and matching NaNs/infinities, have no meaningful difference. */
    if (r.cls == VF_ULP_OK && isfinite(got) && mpfr_number_p(exact))
        add_norms(c, got, exact);
    return r;
}

/* Bit pattern of a non-negative double: ordered like the values, +inf included. */
static uint64_t dbits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* The k-th smallest (1-based, 1 <= k <= n) of n values in [+0, +inf], without a copy: the
 * answer is the smallest bit pattern b with #{u <= b} >= k, found by bisection over the
 * 64-bit patterns (at most 64 passes over the data). */
static double kth_smallest(const double *u, size_t n, size_t k)
{
    uint64_t lo = 0, hi = dbits(INFINITY);
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++)
            cnt += dbits(u[i]) <= mid;
        if (cnt >= k)
            hi = mid;
        else
            lo = mid + 1;
    }
    double r;
    memcpy(&r, &lo, sizeof r);
    return r;
}

void vf_cmp_summarize(const vf_cmp *c, vf_cmp_summary *s)
{
    memset(s, 0, sizeof *s);
    if (c->n == 0)
        return;
    s->n = c->n;
    memcpy(s->count, c->count, sizeof s->count);
    s->mismatches = c->n - c->count[VF_ULP_OK];
    s->max_ulp = c->max_ulp;
    s->argmax = c->argmax;
    s->max_hybrid = c->max_hybrid;
    /* Nearest rank: the ceil(0.99 n)-th smallest, and ceil(0.99 n) = n - floor(n / 100). */
    s->p99_ulp = kth_smallest(c->ulps, c->n, c->n - c->n / 100);
    if (mpfr_zero_p(c->l2_ref)) {
        s->l2_rel = mpfr_zero_p(c->l2_diff) ? 0.0 : INFINITY;
    } else {
        mpfr_t q;
        mpfr_init2(q, VF_CMP_PREC);
        mpfr_div(q, c->l2_diff, c->l2_ref, MPFR_RNDU);
        mpfr_sqrt(q, q, MPFR_RNDU);
        s->l2_rel = mpfr_get_d(q, MPFR_RNDU);
        mpfr_clear(q);
    }
}

void vf_cmp_clear(vf_cmp *c)
{
    free(c->ulps);
    c->ulps = NULL;
    c->n = c->cap = 0;
    mpfr_clear(c->l2_diff);
    mpfr_clear(c->l2_ref);
}
