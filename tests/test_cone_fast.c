/* Fast Lorentz-cone projection and CoLU (fast/kernels/cone.c) against the certified oracle
 * (vf_compare, VF_K_LORENTZ / VF_K_COLU), every supported ISA forced in turn, every named fill,
 * group sizes 1 .. 256 around the vector widths, and constructed groups: exact cone-boundary
 * points from Pythagorean vectors (ref/vf_qgen.h), points inside L, inside and on the boundary
 * of the polar cone -L, near the polar boundary, apex-only and zero groups, huge (2^100) and
 * tiny (2^-140, subnormal) magnitudes.  Also: the NaN/inf policy, in place == out of place
 * bitwise, 1 thread == 2 threads bitwise above VF_PAR_MIN_ELEMS.
 *
 * Error bound (derivation; u = 2^-24 float32, u_d = 2^-53 float64, group (t, w), n = s - 1,
 * r = |w|).  THEORY.md §6 / §2.8: the projection is 1-Lipschitz, so an input perturbation of
 * size d moves the output by <= d; the kernel perturbs nothing at the input (floats widen
 * exactly) and its own roundings are:
 *   - r2 = sum of n exact float64 squares: relative error <= (n - 1) u_d (any summation order);
 *     r' = sqrt(r2): relative error <= ((n + 1)/2) u_d;
 *   - projection, scaled branch |t| < r: h = RN(RN(t + r') / 2) and c = RN(h / r'):
 *     |h - (t + r)/2| <= ((n + 1)/2 + 1) u_d kappa (t + r)/2 and |c'/c - 1| <= (n + 3) kappa u_d
 *     with kappa = (|t| + r)/(t + r) >= 1 (the cancellation of t + r near the polar boundary
 *     -t = r, the only amplification; kappa = 1 for t >= 0).  CoLU: c = RN(t / r'), relative
 *     error <= ((n + 1)/2 + 1) u_d, kappa = 1.  Apex: h (projection) or t (CoLU, exact).
 *   - c = ch + cl + e with ch = RN32(c), cl = RN32(c - ch): |e| <= u^2 c; RN(cl w + z) adds
 *     <= u |cl w| <= u^2 |c w| (normal range);
 *   - one final rounding (the outer FMA, or the float64 -> float32 conversion of the apex):
 *     0.5 ULP.
 * A relative error eps before the final rounding costs <= eps 2^24 ULP (ulp(y) >= 2^-24 |y|), so
 *     err <= 0.5 + 2^24 ((n + 4) kappa u_d + 2.01 u^2) <= 0.5 + (s + 7) kappa 2^-29 + 2^-23 ULP
 * (s + 7 >= n + 4 leaves room for the second-order terms).  Subnormal range: the inner
 * RN(cl w + z) has an absolute error up to 2^-150 = 0.5 ULP of a subnormal when cl w underflows,
 * so cases with an output below 2^-99 get 0.5 ULP more.  Identity and zero branches are exact
 * (a mis-decided branch at r' ~ t or r' ~ -t is continuous there and within the same bound).
 * Each case's bound is that formula with the case's largest kappa (computed from its inputs),
 * rounded up to 0.01 ULP: 0.51 ULP for every CoLU case and every projection case whose groups
 * are not near the polar boundary.  In absolute terms the error is <= (s + 7) u_d (|t| + r)
 * + 0.5 ulp, far inside the oracle's float32 VF_TOL_AUTO bound gamma_(s+5) (|t| + r), which
 * the constructed near-polar case also checks.
 */
#include <criterion/criterion.h>
#include <gmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy.h"
#include "vf_fast.h"
#include "vf_fast_cone.h"
#include "vf_oracle.h"
#include "vf_par.h"
#include "vf_q.h"
#include "vf_qgen.h"
#include "vf_rng.h"

typedef void (*cone_fn)(const float *, float *, size_t, size_t);

static const struct {
    vf_kernel k;
    const char *name;
    cone_fn fn;
    int colu;
} kernels[] = {
    {VF_K_LORENTZ, "lorentz_projection", vf_lorentz_proj_f32, 0},
    {VF_K_COLU, "colu", vf_colu_f32, 1},
};
#define N_KERNELS (sizeof kernels / sizeof kernels[0])

static const size_t sizes[] = {1, 2, 3, 4, 5, 8, 15, 16, 17, 33, 64, 100, 256};
#define N_SIZES (sizeof sizes / sizeof sizes[0])

/* Elements per case (also under ASan: each case's bound is derived from its data, and the
 * accuracy table must see the same cases; the whole suite takes ~30 s under ASan). */
#define CASE_ELEMS 1024

static uint32_t bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* The derived bound in ULP (header): largest kappa over the scaled-branch groups, + 0.5 ULP
 * when an output is below 2^-99, rounded up to 0.01. */
static double derived_bound(const float *x, const float *y, size_t groups, size_t s, int colu)
{
    double kappa = 1;
    int sub = 0;
    for (size_t g = 0; g < groups; g++) {
        const float *xg = x + g * s;
        double t = xg[0], r2 = 0;
        for (size_t i = 1; i < s; i++)
            r2 += (double)xg[i] * (double)xg[i];
        double r = sqrt(r2);
        if (!colu && r > fabs(t)) { /* scaled branch of the projection */
            double k = (fabs(t) + r) / (t + r);
            if (!(k <= kappa))
                kappa = k; /* +inf when t + r rounds to 0: no ULP bound there */
        }
    }
    for (size_t i = 0; i < groups * s; i++)
        if (y[i] != 0 && fabs(y[i]) < 0x1p-99)
            sub = 1;
    double b = 0.5 + (double)(s + 7) * kappa * 0x1p-29 + 0x1p-23 + (sub ? 0.5 : 0);
    return isfinite(b) ? ceil(b * 100) / 100 : b;
}

/* Runs the oracle with the ULP bound (and optionally the float32 AUTO bound); asserts it
 * passed (MISTRUSTED allowed: subnormal-only data). */
static void compare(vf_oracle_report *r, vf_kernel k, const float *x, const float *y,
                    size_t groups, size_t s, vf_tol_kind tol, double bound, const char *what)
{
    vf_err e;
    size_t shape[2] = {groups, s};
    vf_tensor tx, ty;
    memset(&tx, 0, sizeof tx);
    memset(&ty, 0, sizeof ty);
    cr_assert_eq(vf_oracle_tensor_f32(&tx, x, 2, shape, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(vf_oracle_tensor_f32(&ty, y, 2, shape, &e), VF_OK, "%s", e.msg);
    vf_oracle_opts o;
    vf_oracle_opts_default(&o);
    o.tol = tol;
    o.tol_value = bound;
    const vf_tensor *in[1] = {&tx};
    cr_assert_eq(vf_compare(r, k, in, &ty, &o, &e), VF_OK, "%s: %s", what, e.msg);
    cr_assert_neq(r->status, VF_ORACLE_FAILED, "%s: %s (max %.4g ULP at %zu, bound %g)", what,
                  r->why, r->sum.max_ulp, r->sum.argmax, bound);
    cr_assert_neq(r->status, VF_ORACLE_UNCERTIFIED, "%s: %s", what, r->why);
    cr_assert_eq(r->sum.mismatches, 0, "%s: class mismatches", what);
    vf_tensor_clear(&tx);
    vf_tensor_clear(&ty);
}

/* Kernel on x: out of place, then in place (bitwise equal), then the oracle; returns max ULP. */
static double run_and_check(size_t ki, const float *x, size_t groups, size_t s,
                            const char *what, double *p99)
{
    size_t len = groups * s;
    float *y = malloc(len * sizeof *y), *z = malloc(len * sizeof *z);
    cr_assert(y && z);
    kernels[ki].fn(x, y, groups, s);
    memcpy(z, x, len * sizeof *z);
    kernels[ki].fn(z, z, groups, s);
    cr_assert(memcmp(y, z, len * sizeof *y) == 0, "%s: in place differs", what);
    double bound = derived_bound(x, y, groups, s, kernels[ki].colu);
    vf_oracle_report r;
    compare(&r, kernels[ki].k, x, y, groups, s, VF_TOL_ULP, bound, what);
    acc_check(kernels[ki].name, what, bound, "tests/test_cone_fast.c", r.sum.max_ulp,
              r.sum.p99_ulp);
    if (getenv("VF_CONE_VERBOSE"))
        printf("%-18s %-36s bound %-5g max %.4f p99 %.4f ULP [%s]\n", kernels[ki].name, what,
               bound, r.sum.max_ulp, r.sum.p99_ulp, vf_oracle_status_name(r.status));
    *p99 = r.sum.p99_ulp;
    double m = r.sum.max_ulp;
    free(y);
    free(z);
    return m;
}

static size_t groups_for(size_t s)
{
    return CASE_ELEMS / s + 3; /* not a multiple of the vector-of-groups sizes (tails) */
}

Test(cone_fast, every_isa_every_fill_within_bound)
{
    int ran = 0;
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue; /* not on this CPU */
        ran++;
        for (size_t ki = 0; ki < N_KERNELS; ki++)
            for (int f = 0; f < VF_FILL__COUNT; f++) {
                double worst = 0, worst_p99 = 0;
                for (size_t si = 0; si < N_SIZES; si++) {
                    size_t s = sizes[si], groups = groups_for(s), len = groups * s;
                    float *x = malloc(len * sizeof *x);
                    cr_assert(x);
                    vf_fill_f32(x, len, (vf_fill)f, VF_SEED_DEFAULT, 31 + s);
                    if (f == VF_FILL_MASKED) /* -inf groups are NaN groups (policy test) */
                        for (size_t i = 0; i < len; i++)
                            if (isinf(x[i]))
                                x[i] = -2.5f;
                    /* The oracle cannot certify an exact tie between subnormals when the
                     * value is rational but r is not (t = 0: y = w/2 exactly, enclosed by
                     * MPFI): give such apexes the smallest subnormal instead. */
                    if (f == VF_FILL_DENORMAL)
                        for (size_t g = 0; g < groups; g++)
                            if (x[g * s] == 0)
                                x[g * s] = 0x1p-149f;
                    char what[96];
                    snprintf(what, sizeof what, "%s/%s/s=%zu", vf_isa_name((vf_isa)isa),
                             vf_fill_name((vf_fill)f), s);
                    double p99, m = run_and_check(ki, x, groups, s, what, &p99);
                    worst = m > worst ? m : worst;
                    worst_p99 = p99 > worst_p99 ? p99 : worst_p99;
                    free(x);
                }
                printf("cone_fast %-18s %-7s %-9s all sizes: max %.4f ULP, worst p99 %.4f ULP\n",
                       kernels[ki].name, vf_isa_name((vf_isa)isa), vf_fill_name((vf_fill)f),
                       worst, worst_p99);
            }
    }
    cr_assert(ran >= 1, "the scalar ISA always runs");
}

/* w = L v with v a Pythagorean unit vector (n entries) and L the lcm of its denominators: an
 * integer vector with |w| = L exactly.  Returns L, or 0 when an entry does not fit a float's
 * 24-bit significand (the caller tries another tensor id). */
static long pythagorean(float *w, size_t n, uint64_t tensor)
{
    vf_err e;
    vf_qmat v;
    cr_assert_eq(vf_qmat_init(&v, n, 1, &e), VF_OK);
    cr_assert_eq(vf_qgen_unit_vector(&v, VF_SEED_DEFAULT, tensor, &e), VF_OK, "%s", e.msg);
    mpz_t L, q;
    mpz_inits(L, q, NULL);
    mpz_set_ui(L, 1);
    for (size_t i = 0; i < n; i++)
        mpz_lcm(L, L, mpq_denref(VF_Q(&v, i, 0)));
    long res = mpz_cmp_ui(L, 1u << 24) < 0 ? mpz_get_si(L) : 0;
    for (size_t i = 0; res && i < n; i++) {
        mpz_divexact(q, L, mpq_denref(VF_Q(&v, i, 0)));
        mpz_mul(q, q, mpq_numref(VF_Q(&v, i, 0)));
        if (mpz_cmpabs_ui(q, 1u << 24) >= 0)
            res = 0;
        else
            w[i] = (float)mpz_get_si(q); /* exact: |q| < 2^24 */
    }
    mpz_clears(L, q, NULL);
    vf_qmat_clear(&v);
    return res;
}

enum { KINDS = 13 };

/* Group `kind` of size s (s >= 2) scaled by 2^e: exact float values. */
static void special_group(float *g, size_t s, int kind, int e, uint64_t tensor)
{
    size_t n = s - 1;
    long L = 0;
    for (uint64_t k = 0; !L; k++)
        L = pythagorean(g + 1, n, tensor * 64 + k);
    float Lf = (float)L;
    switch (kind) {
    case 0: g[0] = Lf; break;               /* on the boundary of L: identity */
    case 1: g[0] = 2 * Lf; break;           /* inside L */
    case 2: g[0] = -Lf; break;              /* on the boundary of -L: zero */
    case 3: g[0] = -2 * Lf; break;          /* inside -L */
    case 4: g[0] = 1 - Lf; break;           /* just outside -L: kappa ~ 2L */
    case 5: g[0] = Lf - 1; break;           /* just outside L */
    case 6: g[0] = 0; break;                /* t = 0: projection w/2, CoLU 0 */
    case 7: g[0] = Lf / 4; break;           /* scaled, t > 0 */
    case 8: g[0] = -Lf / 4; break;          /* scaled, t < 0 */
    case 9:                                 /* apex only: w = 0 */
        memset(g + 1, 0, n * sizeof *g);
        g[0] = (tensor & 1) ? 3 : -3;
        break;
    case 12: g[0] = 0x1p-6f - Lf; break;    /* t + r = 2^-6: kappa ~ 2^7 L, the cancellation
                                             * case (exact: L < 2^17, 23 bits) */
    case 10: /* zero group, +0 or -0 */
        for (size_t i = 0; i < s; i++)
            g[i] = (tensor & 1) ? -0.0f : 0.0f;
        break;
    default: /* one large coordinate among tiny ones: the sum of squares is dominated */
        for (size_t i = 1; i < s; i++)
            g[i] = (float)(i % 3) * 0x1p-20f;
        g[1] = 1;
        g[0] = 0.5f;
        break;
    }
    for (size_t i = 0; i < s; i++)
        g[i] = ldexpf(g[i], e); /* exact for the integer kinds (2^-20 entries of kind 11 underflow
                                 * at 2^-140: the input is then what the float holds) */
}

Test(cone_fast, constructed_groups_within_bound)
{
    static const size_t ss[] = {2, 3, 4, 5, 16, 17, 64, 256};
    static const struct {
        int e;
        const char *name;
    } mags[] = {{0, "unit"}, {100, "huge"}, {-140, "tiny"}};
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        for (size_t ki = 0; ki < N_KERNELS; ki++)
            for (size_t mi = 0; mi < sizeof mags / sizeof mags[0]; mi++) {
                double worst = 0;
                for (size_t si = 0; si < sizeof ss / sizeof ss[0]; si++) {
                    size_t s = ss[si], groups = 2 * KINDS + 3, len = groups * s;
                    float *x = malloc(len * sizeof *x);
                    cr_assert(x);
                    for (size_t g = 0; g < groups; g++)
                        special_group(x + g * s, s, (int)(g % KINDS), mags[mi].e, 100 * s + g);
                    char what[96];
                    snprintf(what, sizeof what, "%s/constructed-%s/s=%zu",
                             vf_isa_name((vf_isa)isa), mags[mi].name, s);
                    double p99, m = run_and_check(ki, x, groups, s, what, &p99);
                    worst = m > worst ? m : worst;
                    /* Exact branches are exact: boundary of L and inside L kept bitwise
                     * (CoLU too, t > 0), polar cone -> +0 (projection). */
                    float *y = malloc(len * sizeof *y);
                    cr_assert(y);
                    kernels[ki].fn(x, y, groups, s);
                    for (size_t g = 0; g < groups; g++) {
                        int kind = (int)(g % KINDS);
                        for (size_t i = 0; i < s; i++) {
                            float xi = x[g * s + i], yi = y[g * s + i];
                            if (kind <= 1 || (kind == 10 && !kernels[ki].colu))
                                cr_assert_eq(bits(yi), bits(xi), "%s: group %zu kept", what, g);
                            if (kind == 2 || kind == 3 || (kernels[ki].colu && kind == 10))
                                cr_assert_eq(bits(yi), 0u, "%s: group %zu -> +0", what, g);
                        }
                    }
                    /* The absolute float32 bound of the oracle (VF_TOL_AUTO) holds as well. */
                    vf_oracle_report r;
                    compare(&r, kernels[ki].k, x, y, groups, s, VF_TOL_AUTO, 0, what);
                    free(y);
                    free(x);
                }
                printf("cone_fast %-18s %-7s constructed-%-5s max %.4f ULP\n", kernels[ki].name,
                       vf_isa_name((vf_isa)isa), mags[mi].name, worst);
            }
    }
}

/* Policy of vf_fast_cone.h: a NaN or an infinity anywhere in a group makes the whole group NaN;
 * the other groups get the same bits as when computed alone. */
Test(cone_fast, nonfinite_policy)
{
    static const size_t ss[] = {1, 2, 4, 16, 17, 64};
    const float bad[] = {NAN, -NAN, INFINITY, -INFINITY};
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        for (size_t ki = 0; ki < N_KERNELS; ki++)
            for (size_t si = 0; si < sizeof ss / sizeof ss[0]; si++) {
                size_t s = ss[si], groups = 12, len = groups * s;
                float *x = malloc(len * sizeof *x), *y = malloc(len * sizeof *y);
                float *one = malloc(s * sizeof *one);
                cr_assert(x && y && one);
                vf_fill_f32(x, len, VF_FILL_NORMAL, VF_SEED_DEFAULT, 7 + s);
                /* groups 1, 3, 5, 7: a bad value at the apex; 9, 11: inside w (or the apex) */
                for (size_t b = 0; b < 4; b++) {
                    x[(2 * b + 1) * s] = bad[b];
                    if (b < 2)
                        x[(2 * b + 9) * s + (s - 1) / 2 + (s > 1)] = bad[b + 2 * (s > 1)];
                }
                kernels[ki].fn(x, y, groups, s);
                for (size_t g = 0; g < groups; g++) {
                    if (g % 2) {
                        for (size_t i = 0; i < s; i++)
                            cr_assert(isnan(y[g * s + i]), "%s %s s=%zu group %zu entry %zu",
                                      kernels[ki].name, vf_isa_name((vf_isa)isa), s, g, i);
                        continue;
                    }
                    kernels[ki].fn(x + g * s, one, 1, s);
                    cr_assert(memcmp(one, y + g * s, s * sizeof *one) == 0,
                              "%s: finite group %zu unaffected", kernels[ki].name, g);
                }
                free(x);
                free(y);
                free(one);
            }
    }
}

/* Above VF_PAR_MIN_ELEMS: 1 thread == 2 threads bitwise, out of place (non-temporal path) and in
 * place, and the large call agrees with the same groups computed in a small call. */
Test(cone_fast, threads_bitwise_identical)
{
    static const size_t ss[] = {4, 5, 16, 64};
    /* above VF_PAR_MIN_ELEMS and at least 4 Mi floats with 64-byte aligned outputs, so the
     * non-temporal store path of fast/kernels/cone.c runs; divisible by 4, 5, 16 and 64 */
    size_t len = ((size_t)4 << 20) + ((size_t)1 << 16) * 5;
    size_t bytes = (len * sizeof(float) + 63) / 64 * 64;
    float *x = aligned_alloc(64, bytes), *y1 = aligned_alloc(64, bytes), *y2 = aligned_alloc(64, bytes);
    cr_assert(x && y1 && y2);
    vf_fill_f32(x, len, VF_FILL_NORMAL, VF_SEED_DEFAULT, 99);
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        for (size_t ki = 0; ki < N_KERNELS; ki++)
            for (size_t si = 0; si < sizeof ss / sizeof ss[0]; si++) {
                size_t s = ss[si], groups = len / s;
                vf_par_set_max_threads(1);
                kernels[ki].fn(x, y1, groups, s);
                vf_par_set_max_threads(2);
                kernels[ki].fn(x, y2, groups, s);
                cr_assert(memcmp(y1, y2, groups * s * sizeof *x) == 0, "%s %s s=%zu: 1 vs 2",
                          kernels[ki].name, vf_isa_name((vf_isa)isa), s);
                memcpy(y2, x, groups * s * sizeof *x);
                kernels[ki].fn(y2, y2, groups, s);
                cr_assert(memcmp(y1, y2, groups * s * sizeof *x) == 0, "%s %s s=%zu: in place",
                          kernels[ki].name, vf_isa_name((vf_isa)isa), s);
                size_t tail = groups - 37;
                kernels[ki].fn(x + tail * s, y2, 37, s);
                cr_assert(memcmp(y1 + tail * s, y2, 37 * s * sizeof *x) == 0,
                          "%s %s s=%zu: small call", kernels[ki].name, vf_isa_name((vf_isa)isa), s);
            }
    }
    vf_par_set_max_threads(0);
    free(x);
    free(y1);
    free(y2);
}

Test(cone_fast, empty_shapes)
{
    float x[4] = {1, 2, 3, 4}, y[4] = {9, 9, 9, 9};
    vf_lorentz_proj_f32(x, y, 0, 4);
    vf_colu_f32(x, y, 1, 0);
    for (int i = 0; i < 4; i++)
        cr_assert(y[i] == 9);
}
