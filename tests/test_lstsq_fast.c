/* Fast batched least squares (fast/kernels/lstsq.c) against the EXACT solution, every
 * supported ISA forced in turn.
 *
 * Reference.  The float32 inputs are exact rationals; x = (A^T A)^{-1} A^T b by Bareiss on the
 * normal equations in mpq (vf_ref_ols_beta_q: exact, so kappa^2 does not matter there), the
 * residual r = b - A x and every norm below exactly, then rounded outwards to double.
 * kappa(A) of the float32 matrix actually solved is certified: the eigenvalues of the exact
 * G = A^T A are enclosed by vf_ref_eig_certify (Jacobi in MPFR + rigorous residual bounds), so
 * kappa_hi = sqrt(lmax_hi / lmin_lo) >= kappa(A) and ||A||_2 >= sqrt(lmax_lo).
 *
 * Designs.  "kappa1eK": known condition number 10^K (vf_qgen_known_kappa: X = U diag(s) V^T,
 * s geometric from 1 to 10^-K); for m > 64 the 64 x n design X0 is stacked 4^j times,
 * A = 2^-j [S_1 P_1 X0; ...] with random row permutations P_t and signs S_t, so
 * A^T A = X0^T X0 exactly (same kappa, cheap exact generator); rounding X0 to float32 moves
 * kappa slightly, which the certified kappa_hi accounts for.  Named fills of core/vf_rng.h
 * (uniform, normal, ties, big, negative) give random designs; "masked" (-inf entries) is the
 * non-finite policy test; "denormal" is out of scope (the analysis below assumes no underflow,
 * the contract makes no claim there).  Right-hand sides: column 0 compatible b = fl(A x_t)
 * (residual only the float32 rounding of b), column 1 incompatible b = fl(A x_t + e) with
 * |e_i| <= 2^-8 ||A x_t|| / sqrt(m).
 *
 * Error bound (Higham, Accuracy and Stability, ch. 19-20; THEORY.md §6 gives the normal-
 * equations level kappa^2 u for comparison).  u = 2^-24.  One reflector, one column x_j of the
 * stacked [R; block] (R in float64, the block in float32):
 *   - v = [R_kk - alpha; w_k] uses the stored float32 column itself, tau = 2 / v^T v comes
 *     from float64 sums of exact products: the applied map is an exact reflector P up to
 *     float64 rounding (relative errors of s, alpha, v_h, tau, the dot w_j and the float64 head
 *     update, each <= (rows + n + 8) 2^-53 =: nu/8 -- the 8 covers the <= 8 such terms);
 *   - c_j = tau w_j rounded to float32: |dc| <= u |c_j|, error |dc| ||w_k|| <= u tau |w_j|
 *     ||v||^2 / ||v|| * ||v|| <= 2u ||x_j|| (|w_j| <= ||v|| ||x_j||, tau ||v||^2 = 2);
 *   - the float32 FMA w_j - fl(c_j) w_k rounds once: <= u ||P x_j|| = u ||x_j||.
 *   So each reflector application is P (x_j + e) with ||e|| <= (3u + nu) ||x_j||, and P keeps
 *   norms.  A column meets at most N = B n reflectors (n per block, B = vf_lstsq_blocks), so
 *   (Higham Lemma 19.3 argument) the computed R, Q^T b are exactly those of (A + dA, b + db)
 *   with ||dA_j|| <= eps_c ||A_j||, ||db|| <= eps_c ||b||,
 *       eps_c = (1 + 3u + nu)^N - 1 <= N (3u + nu) / (1 - N (3u + nu))
 *   (= vf_lstsq_backward_bound; the float64 back substitution, a backward error
 *   |dR| <= gamma_n^(64) |R|, is inside nu).  In the 2-norm, ||dA||_2 <= ||dA||_F <=
 *   eps_c ||A||_F, so eps = eps_c ||A||_F / ||A||_2 bounds both relative perturbations.
 *   Wedin (Higham Thm 20.1): with kappa eps < 1 the exact solution y of the perturbed problem
 *       ||y - x|| / ||x|| <= kappa eps / (1 - kappa eps) (2 + (kappa + 1) ||r|| / (||A|| ||x||))
 *   and the residual of the perturbed problem s: ||s - r|| <= (1 + 2 kappa) eps ||b||.
 *   x^ = fl32(y): + u ||y|| <= u (1 + E) ||x||.  So the test asserts, per problem and rhs,
 *       ||x^ - x|| / ||x|| <= E + u (1 + E),   E the Wedin term with kappa_hi, ||A||_2 lower,
 *       |resid - ||r||| <= (1 + 2 kappa) eps ||b|| + 2u resid,
 *   whenever kappa eps < 1 and E < 1 ("meaningful"); otherwise the bound is vacuous and only
 *   status OK and finiteness are asserted (the case is printed, not put in the table).
 *   This is the c m n u (kappa + kappa^2 ||r|| / (||A|| ||x||)) of the brief with m n replaced
 *   by B n (float64 dots remove the m) times 3 ||A||_F / ||A||_2.
 *   QR class: at kappa = 1e5 with a compatible b the bound is < 1e-3 kappa^2 u (the normal
 *   equations' first-order level, THEORY.md §6) on 16x4 and 64x8, asserted there.
 * Table (tests/accuracy.h): the unit is u: max = max over the batch of ||x^ - x|| / (||x|| u),
 * p99 = the same (two problems per case), bound = min over the batch of the bound above / u.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy.h"
#include "vf_eig.h"
#include "vf_fast.h"
#include "vf_fast_lstsq.h"
#include "vf_iv.h"
#include "vf_ols.h"
#include "vf_par.h"
#include "vf_q.h"
#include "vf_qgen.h"
#include "vf_rng.h"

#define U_F32 0x1p-24
#define NRHS 2
#define PROBS 2

#if defined(__SANITIZE_ADDRESS__)
#define MAX_M 256
#else
#define MAX_M 1024
#endif

typedef struct {
    size_t m, n;
} shape;

static const shape shapes[] = {{16, 4}, {64, 8}, {256, 16}, {1024, 32}};

/* One problem with its exact facts (bounds rounded the safe way). */
typedef struct {
    float *a, *b;               /* [m x n], [m x NRHS] */
    vf_qmat x;                  /* exact solution n x NRHS */
    double kappa_hi, norm2_lo, normf_hi;
    double xnorm[NRHS], rnorm[NRHS], bnorm[NRHS];
} problem;

static double up(double v) { return v * (1 + 0x1p-40); }
static double down(double v) { return v * (1 - 0x1p-40); }

/* Exact squared 2-norm of column l of a rational matrix. */
static void col_norm2(mpq_t s, const vf_qmat *q, size_t l)
{
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(s, 0, 1);
    for (size_t i = 0; i < q->rows; i++) {
        mpq_mul(t, VF_Q(q, i, l), VF_Q(q, i, l));
        mpq_add(s, s, t);
    }
    mpq_clear(t);
}

/* Design: known kappa (kexp >= 0, stacked above 64 rows) or a named fill (kexp < 0). */
static void make_design(float *a, size_t m, size_t n, int kexp, vf_fill fill, uint64_t seed)
{
    if (kexp < 0) {
        vf_fill_f32(a, m * n, fill, seed, 1);
        return;
    }
    size_t m0 = m < 64 ? m : 64, k = m / m0, scale_log2 = 0;
    while (((size_t)1 << (2 * scale_log2)) < k)
        scale_log2++;
    cr_assert_eq((size_t)1 << (2 * scale_log2), k, "stack count must be a power of 4");
    vf_err e;
    vf_qmat x0 = {0};
    mpq_t kap;
    mpq_init(kap);
    mpz_ui_pow_ui(mpq_numref(kap), 10, (unsigned long)kexp);
    cr_assert_eq(vf_qmat_init(&x0, m0, n, &e), VF_OK);
    cr_assert_eq(vf_qgen_known_kappa(&x0, m0, n, kap, seed, 7, &e), VF_OK, "%s", e.msg);
    float *f0 = malloc(m0 * n * sizeof(float));
    size_t *perm = malloc(m0 * sizeof(size_t));
    /* Round each exact entry to nearest float32: mpq -> double is truncation, so go through
     * a 128-bit MPFR value (exact enough: double rounding at 128 bits cannot move a float). */
    mpfr_t t;
    mpfr_init2(t, 128);
    for (size_t i = 0; i < m0 * n; i++) {
        mpfr_set_q(t, x0.a[i], MPFR_RNDN);
        f0[i] = mpfr_get_flt(t, MPFR_RNDN);
    }
    mpfr_clear(t);
    for (size_t s = 0; s < k; s++) {
        for (size_t i = 0; i < m0; i++)
            perm[i] = i;
        for (size_t i = m0; i-- > 1;) { /* Fisher-Yates */
            size_t j = (size_t)vf_rng_int(seed, 100 + s, i, 0, (int64_t)i);
            size_t tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        for (size_t i = 0; i < m0; i++) {
            float sg = (s == 0 || vf_rng_int(seed, 200 + s, i, 0, 1)) ? 1.0f : -1.0f;
            for (size_t j = 0; j < n; j++)
                a[(s * m0 + i) * n + j] = ldexpf(sg * f0[perm[i] * n + j], -(int)scale_log2);
        }
    }
    free(f0);
    free(perm);
    vf_qmat_clear(&x0);
    mpq_clear(kap);
}

/* Right-hand sides (column 0 compatible, column 1 with noise). */
static void make_rhs(float *b, const float *a, size_t m, size_t n, uint64_t seed)
{
    double *xt = malloc(n * sizeof(double)), *ax = malloc(m * sizeof(double)), nrm = 0;
    for (size_t j = 0; j < n; j++)
        xt[j] = (double)vf_rng_int(seed, 300, j, 1, 16) * (vf_rng_int(seed, 301, j, 0, 1) ? 1 : -1) / 8;
    for (size_t i = 0; i < m; i++) {
        double s = 0;
        for (size_t j = 0; j < n; j++)
            s += (double)a[i * n + j] * xt[j];
        ax[i] = s;
        nrm += s * s;
    }
    double sc = ldexp(sqrt(nrm / (double)m), -8);
    for (size_t i = 0; i < m; i++) {
        b[i * NRHS] = (float)ax[i];
        b[i * NRHS + 1] = (float)(ax[i] + sc * (2 * vf_rng_unit(seed, 302, i) - 1));
    }
    free(xt);
    free(ax);
}

/* Exact solution, residual norms, certified kappa.  Returns 0 if A is exactly rank
 * deficient (the reference refuses it). */
static int make_facts(problem *p, size_t m, size_t n)
{
    vf_err e;
    vf_qmat qa = {0}, qb = {0}, g = {0}, ax = {0}, r = {0};
    cr_assert_eq(vf_qmat_init(&qa, m, n, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&qb, m, NRHS, &e), VF_OK);
    cr_assert_eq(vf_qmat_from_f32(&qa, p->a, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(vf_qmat_from_f32(&qb, p->b, &e), VF_OK, "%s", e.msg);
    memset(&p->x, 0, sizeof p->x);
    int rc = vf_ref_ols_beta_q(&p->x, &qa, &qb, &e);
    if (rc == VF_E_DOMAIN) {
        vf_qmat_clear(&qa);
        vf_qmat_clear(&qb);
        return 0;
    }
    cr_assert_eq(rc, VF_OK, "%s", e.msg);
    cr_assert_eq(vf_ref_ols_gram_q(&g, &qa, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(vf_qmat_init(&ax, m, NRHS, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&r, m, NRHS, &e), VF_OK);
    cr_assert_eq(vf_qmat_mul(&ax, &qa, &p->x, &e), VF_OK);
    cr_assert_eq(vf_qmat_sub(&r, &qb, &ax, &e), VF_OK);
    mpq_t s;
    mpq_init(s);
    for (size_t l = 0; l < NRHS; l++) {
        col_norm2(s, &p->x, l);
        p->xnorm[l] = down(sqrt(mpq_get_d(s)));
        col_norm2(s, &r, l);
        p->rnorm[l] = up(sqrt(mpq_get_d(s)));
        col_norm2(s, &qb, l);
        p->bnorm[l] = up(sqrt(mpq_get_d(s)));
    }
    /* ||A||_F^2 = trace G. */
    mpq_set_ui(s, 0, 1);
    for (size_t j = 0; j < n; j++)
        mpq_add(s, s, VF_Q(&g, j, j));
    p->normf_hi = up(sqrt(mpq_get_d(s)));
    mpq_clear(s);
    /* Certified eigenvalues of G. */
    vf_eig eig;
    vf_eig_cert c;
    vf_imat lam = {0};
    cr_assert_eq(vf_ref_eig_sym(&eig, &g, 160, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(vf_ref_eig_certify(&c, &lam, &eig, &g, &e), VF_OK, "%s", e.msg);
    cr_assert(c.separated && c.positive, "eigenvalues of A^T A not certified");
    double lmin = INFINITY, lmax_hi = 0, lmax_lo = 0;
    for (size_t j = 0; j < n; j++) {
        double lo = mpfr_get_d(&VF_I(&lam, j, 0)->left, MPFR_RNDD);
        double hi = mpfr_get_d(&VF_I(&lam, j, 0)->right, MPFR_RNDU);
        lmin = lo < lmin ? lo : lmin;
        if (hi > lmax_hi) {
            lmax_hi = hi;
            lmax_lo = lo;
        }
    }
    cr_assert(lmin > 0);
    p->kappa_hi = up(sqrt(lmax_hi / lmin));
    p->norm2_lo = down(sqrt(lmax_lo));
    vf_imat_clear(&lam);
    vf_ref_eig_clear(&eig);
    vf_qmat_clear(&qa);
    vf_qmat_clear(&qb);
    vf_qmat_clear(&g);
    vf_qmat_clear(&ax);
    vf_qmat_clear(&r);
    return 1;
}

/* The same facts for a stacked known-kappa design too large for the generic reference
 * (4096 x 64): every 64-row block of A is a signed row permutation of block 0 (make_design),
 * so G = A^T A = k * B0^T B0 exactly (k = m / 64 blocks); A^T b is formed exactly (m n
 * products), x = G^{-1} A^T b (Bareiss), ||r||^2 = ||b||^2 - x^T A^T b (r is orthogonal to
 * the range of A).  kappa without the eigen-solver: A = 2^-j [S P fl(X0)] has the singular
 * values of fl(X0) = X0 + E, |E| <= u |X0| (rounding), ||E||_2 <= u ||X0||_F <= u sqrt(n)
 * (singular values of X0 in [1/kappa, 1]), so by Weyl kappa(A) <= (1 + d) / (1/kappa - d),
 * ||A||_2 >= 1 - d, d = u sqrt(n). */
static void make_facts_stacked(problem *p, size_t m, size_t n, double kappa)
{
    vf_err e;
    size_t m0 = 64, k = m / m0;
    vf_qmat b0 = {0}, qb = {0}, g = {0}, h = {0};
    cr_assert_eq(vf_qmat_init(&b0, m0, n, &e), VF_OK);
    cr_assert_eq(vf_qmat_from_f32(&b0, p->a, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(vf_ref_ols_gram_q(&g, &b0, &e), VF_OK, "%s", e.msg);
    mpq_t s, t;
    mpq_inits(s, t, NULL);
    mpq_set_ui(s, (unsigned long)k, 1);
    for (size_t i = 0; i < n * n; i++)
        mpq_mul(g.a[i], g.a[i], s);
    cr_assert_eq(vf_qmat_init(&qb, m, NRHS, &e), VF_OK);
    cr_assert_eq(vf_qmat_from_f32(&qb, p->b, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(vf_qmat_init(&h, n, NRHS, &e), VF_OK);
    mpq_t aij;
    mpq_init(aij);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            mpq_set_d(aij, (double)p->a[i * n + j]);
            for (size_t l = 0; l < NRHS; l++) {
                mpq_mul(t, aij, VF_Q(&qb, i, l));
                mpq_add(VF_Q(&h, j, l), VF_Q(&h, j, l), t);
            }
        }
    mpq_clear(aij);
    memset(&p->x, 0, sizeof p->x);
    cr_assert_eq(vf_qmat_init(&p->x, n, NRHS, &e), VF_OK);
    cr_assert_eq(vf_q_solve(&p->x, &g, &h, &e), VF_OK, "%s", e.msg);
    for (size_t l = 0; l < NRHS; l++) {
        col_norm2(s, &p->x, l);
        p->xnorm[l] = down(sqrt(mpq_get_d(s)));
        col_norm2(s, &qb, l);
        p->bnorm[l] = up(sqrt(mpq_get_d(s)));
        for (size_t j = 0; j < n; j++) {
            mpq_mul(t, VF_Q(&p->x, j, l), VF_Q(&h, j, l));
            mpq_sub(s, s, t);
        }
        cr_assert(mpq_sgn(s) >= 0);
        p->rnorm[l] = up(sqrt(mpq_get_d(s)));
    }
    mpq_set_ui(s, 0, 1);
    for (size_t j = 0; j < n; j++)
        mpq_add(s, s, VF_Q(&g, j, j));
    p->normf_hi = up(sqrt(mpq_get_d(s)));
    double d = up(U_F32 * sqrt((double)n));
    p->kappa_hi = up((1 + d) / (1 / kappa - d));
    p->norm2_lo = down(1 - d);
    mpq_clears(s, t, NULL);
    vf_qmat_clear(&b0);
    vf_qmat_clear(&qb);
    vf_qmat_clear(&g);
    vf_qmat_clear(&h);
}

/* ||x^_l - x_l|| / ||x_l||, exact difference, rounded up. */
static double rel_err(const float *xh, const problem *p, size_t n, size_t l)
{
    mpq_t d, s, t;
    mpq_inits(d, s, t, NULL);
    for (size_t k = 0; k < n; k++) {
        mpq_set_d(d, (double)xh[k * NRHS + l]);
        mpq_sub(d, d, VF_Q(&p->x, k, l));
        mpq_mul(t, d, d);
        mpq_add(s, s, t);
    }
    double v = up(sqrt(mpq_get_d(s))) / p->xnorm[l];
    mpq_clears(d, s, t, NULL);
    return v;
}

/* The derived bound of the header; +inf when vacuous. */
static double derived_bound(const problem *p, size_t m, size_t n, size_t l, double *eps_out)
{
    double epsc = vf_lstsq_backward_bound(m, n, NRHS);
    double eps = up(epsc * p->normf_hi / p->norm2_lo), ke = up(p->kappa_hi * eps);
    *eps_out = eps;
    if (!(ke < 1))
        return INFINITY;
    double E = up(ke / (1 - ke) *
                  (2 + (p->kappa_hi + 1) * p->rnorm[l] / (p->norm2_lo * p->xnorm[l])));
    return E < 1 ? up(E + U_F32 * (1 + E)) : INFINITY;
}

static void run_case(const char *design, int kexp, vf_fill fill, size_t m, size_t n)
{
    problem pr[PROBS];
    float *A = malloc(PROBS * m * n * sizeof(float)), *B = malloc(PROBS * m * NRHS * sizeof(float));
    float *X = malloc(PROBS * n * NRHS * sizeof(float)), *R = malloc(PROBS * NRHS * sizeof(float));
    int st[PROBS];
    for (size_t p = 0; p < PROBS; p++) {
        uint64_t seed = VF_SEED_DEFAULT + 1000 * p + 17 * m + n;
        pr[p].a = A + p * m * n;
        pr[p].b = B + p * m * NRHS;
        make_design(pr[p].a, m, n, kexp, fill, seed);
        make_rhs(pr[p].b, pr[p].a, m, n, seed);
        if (m > 1024 && kexp >= 0)
            make_facts_stacked(&pr[p], m, n, pow(10.0, kexp));
        else
            cr_assert(make_facts(&pr[p], m, n), "%s %zux%zu: design exactly rank deficient",
                      design, m, n);
    }
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        const char *in = vf_isa_name((vf_isa)isa);
        size_t bad = vf_lstsq_f32(A, B, X, PROBS, m, n, NRHS, R, st), nrank = 0;
        for (size_t p = 0; p < PROBS; p++) {
            /* RANK means min |R_kk| <= t ||R||_F (t = vf_lstsq_rank_tol), and sigma_min(R) <=
             * min |R_kk|, ||R||_F <= (1 + eps_c) ||A||_F, ||dA||_2 <= eps_c ||A||_F, so
             * sigma_min(A) <= (t (1 + eps_c) + eps_c) ||A||_F: RANK is only allowed when
             * kappa_hi (t (1 + eps_c) + eps_c) ||A||_F / ||A||_2 >= 1 (0.99: outward roundings). */
            double ec = vf_lstsq_backward_bound(m, n, NRHS), tr = vf_lstsq_rank_tol(n);
            double lim = pr[p].kappa_hi * (tr * (1 + ec) + ec) * pr[p].normf_hi / pr[p].norm2_lo;
            cr_assert(st[p] == VF_LSTSQ_OK || (st[p] == VF_LSTSQ_RANK && lim >= 0.99),
                      "%s/%s/%zux%zu: status %s with kappa (t + eps) = %.3g", in, design, m, n,
                      vf_lstsq_status_name(st[p]), lim);
            nrank += st[p] != VF_LSTSQ_OK;
        }
        cr_assert_eq(bad, nrank);
        for (size_t l = 0; l < NRHS; l++) {
            double worst = 0, bmin = INFINITY;
            for (size_t p = 0; p < PROBS; p++) {
                double eps, bd = derived_bound(&pr[p], m, n, l, &eps);
                if (st[p] != VF_LSTSQ_OK) {
                    fprintf(stderr, "lstsq %s/%s/%zux%zu: flagged rank deficient at kappa eps "
                            "%.3g (allowed)\n", in, design, m, n, pr[p].kappa_hi * eps);
                    continue;
                }
                double err = rel_err(X + p * n * NRHS, &pr[p], n, l);
                cr_assert(isfinite(err), "%s: non-finite x", in);
                cr_assert(err <= bd, "%s/%s/%zux%zu/rhs%zu: error %.3g > bound %.3g (kappa %.3g)",
                          in, design, m, n, l, err, bd, pr[p].kappa_hi);
                if (isfinite(bd)) {
                    double rs = (double)R[p * NRHS + l];
                    double rb = (1 + 2 * pr[p].kappa_hi) * eps * pr[p].bnorm[l] + 2 * U_F32 * rs;
                    cr_assert(fabs(rs - pr[p].rnorm[l]) <= up(rb) + 1e-300,
                              "%s/%s/%zux%zu: resid %.9g vs exact %.9g (allowed %.3g)", in,
                              design, m, n, rs, pr[p].rnorm[l], rb);
                }
                /* QR class: kappa 1e5, compatible b, the small shapes. */
                if (kexp == 5 && l == 0 && m <= 64) {
                    double ne = 1e10 * U_F32;
                    cr_assert(bd < 1e-3 * ne, "%s/%zux%zu: bound %.3g not below 1e-3 kappa^2 u",
                              in, m, n, bd);
                }
                worst = err > worst ? err : worst;
                bmin = bd < bmin ? bd : bmin;
            }
            char name[96];
            snprintf(name, sizeof name, "%s/%s/%zux%zu/%s", in, design, m, n,
                     l ? "incompatible" : "compatible");
            if (isfinite(bmin))
                acc_check("lstsq", name, bmin / U_F32, "tests/test_lstsq_fast.c", worst / U_F32,
                          worst / U_F32);
            else
                fprintf(stderr, "lstsq %s: bound vacuous (kappa eps >= 1), error %.3g\n", name,
                        worst);
        }
    }
    for (size_t p = 0; p < PROBS; p++)
        vf_qmat_clear(&pr[p].x);
    free(A);
    free(B);
    free(X);
    free(R);
}

Test(lstsq_fast, known_kappa_designs)
{
    static const int kexps[] = {1, 3, 5};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        if (shapes[s].m > MAX_M)
            continue;
        for (size_t k = 0; k < 3; k++) {
            char d[16];
            snprintf(d, sizeof d, "kappa1e%d", kexps[k]);
            run_case(d, kexps[k], VF_FILL_UNIFORM, shapes[s].m, shapes[s].n);
        }
    }
}

/* The bench shape: 4096 x 64 (B = 37 blocks), kappa 10 and 1e3, exact reference through the
 * stacked structure (make_facts_stacked). */
#if !defined(__SANITIZE_ADDRESS__) /* plain build only: ASan is ~5x slower (and cr_skip_test
                                     * leaks inside libcriterion, which LSan reports) */
Test(lstsq_fast, stacked_4096x64)
{
    run_case("kappa1e1", 1, VF_FILL_UNIFORM, 4096, 64);
    run_case("kappa1e3", 3, VF_FILL_UNIFORM, 4096, 64);
}
#endif

Test(lstsq_fast, named_fills)
{
    static const vf_fill fills[] = {VF_FILL_UNIFORM, VF_FILL_NORMAL, VF_FILL_TIES, VF_FILL_BIG,
                                    VF_FILL_NEGATIVE};
    for (size_t s = 0; s < 3; s++)
        for (size_t f = 0; f < sizeof fills / sizeof fills[0]; f++)
            run_case(vf_fill_name(fills[f]), -1, fills[f], shapes[s].m, shapes[s].n);
}

/* Non-finite policy: NaN or +-inf anywhere in a problem -> NONFINITE, its x NaN, counted; the
 * other problems are unaffected (bitwise equal to solving them alone). */
Test(lstsq_fast, nonfinite_policy)
{
    enum { P = 4, M = 32, N = 4, L = 1 };
    float a[P * M * N], b[P * M * L], x[P * N * L], x1[N * L], res[P * L];
    int st[P];
    vf_fill_f32(a, sizeof a / sizeof a[0], VF_FILL_NORMAL, VF_SEED_DEFAULT, 11);
    vf_fill_f32(b, sizeof b / sizeof b[0], VF_FILL_NORMAL, VF_SEED_DEFAULT, 12);
    a[1 * M * N + 37] = NAN;
    b[2 * M * L + 31] = INFINITY;
    a[3 * M * N + 0] = -INFINITY;
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        if (vf_isa_set((vf_isa)isa, NULL) != VF_OK)
            continue;
        cr_assert_eq(vf_lstsq_f32(a, b, x, P, M, N, L, res, st), 3);
        cr_assert_eq(st[0], VF_LSTSQ_OK);
        for (int p = 1; p < P; p++) {
            cr_assert_eq(st[p], VF_LSTSQ_NONFINITE, "problem %d: %s", p,
                         vf_lstsq_status_name(st[p]));
            cr_assert(isnan(res[p]));
            for (int k = 0; k < N * L; k++)
                cr_assert(isnan(x[p * N * L + k]));
        }
        cr_assert_eq(vf_lstsq_f32(a, b, x1, 1, M, N, L, NULL, NULL), 0);
        cr_assert_eq(memcmp(x1, x, sizeof x1), 0, "problem 0 depends on its neighbours");
        /* The masked fill (-inf entries) is the same policy. */
        float am[M * N];
        vf_fill_f32(am, M * N, VF_FILL_MASKED, VF_SEED_DEFAULT, 13);
        cr_assert_eq(vf_lstsq_f32(am, b, x1, 1, M, N, L, NULL, st), 1);
        cr_assert_eq(st[0], VF_LSTSQ_NONFINITE);
    }
}

/* Rank deficiency: an exactly dependent column (c2 = c0 + c1 in small integers, exact in
 * float32) and a zero column give RANK with x NaN; m < n and n == 0 give SHAPE. */
Test(lstsq_fast, rank_and_shape)
{
    enum { M = 64, N = 6 };
    float a[2 * M * N], b[2 * M], x[2 * N];
    int st[2];
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            a[i * N + j] = (float)vf_rng_int(VF_SEED_DEFAULT, 21, (uint64_t)(i * N + j), -8, 8);
            a[M * N + i * N + j] = a[i * N + j];
        }
    for (int i = 0; i < M; i++) {
        a[i * N + 2] = a[i * N + 0] + a[i * N + 1];
        a[M * N + i * N + 4] = 0.0f;
        b[i] = b[M + i] = (float)i;
    }
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        if (vf_isa_set((vf_isa)isa, NULL) != VF_OK)
            continue;
        cr_assert_eq(vf_lstsq_f32(a, b, x, 2, M, N, 1, NULL, st), 2);
        cr_assert_eq(st[0], VF_LSTSQ_RANK, "dependent column: %s", vf_lstsq_status_name(st[0]));
        cr_assert_eq(st[1], VF_LSTSQ_RANK, "zero column: %s", vf_lstsq_status_name(st[1]));
        for (int k = 0; k < 2 * N; k++)
            cr_assert(isnan(x[k]));
        cr_assert_eq(vf_lstsq_f32(a, b, x, 1, 4, 5, 1, NULL, st), 1);
        cr_assert_eq(st[0], VF_LSTSQ_SHAPE);
        cr_assert_eq(vf_lstsq_f32(a, b, x, 1, 4, 0, 1, NULL, st), 1);
        cr_assert_eq(st[0], VF_LSTSQ_SHAPE);
        cr_assert_eq(vf_lstsq_f32(a, b, x, 2, M, N, 0, NULL, st), 0);
    }
}

/* 1 thread vs 2 threads, bitwise, above VF_PAR_MIN_ELEMS (batch * m * n = 2^20). */
Test(lstsq_fast, threads_bitwise)
{
#if defined(__SANITIZE_ADDRESS__)
    const size_t batch = 512, m = 256, n = 8, L = 2;
#else
    const size_t batch = 2048, m = 64, n = 8, L = 2;
#endif
    cr_assert_geq(batch * m * n, VF_PAR_MIN_ELEMS);
    float *a = malloc(batch * m * n * sizeof(float)), *b = malloc(batch * m * L * sizeof(float));
    float *x1 = malloc(batch * n * L * sizeof(float)), *x2 = malloc(batch * n * L * sizeof(float));
    float *r1 = malloc(batch * L * sizeof(float)), *r2 = malloc(batch * L * sizeof(float));
    int *s1 = malloc(batch * sizeof(int)), *s2 = malloc(batch * sizeof(int));
    vf_fill_f32(a, batch * m * n, VF_FILL_NORMAL, VF_SEED_DEFAULT, 31);
    vf_fill_f32(b, batch * m * L, VF_FILL_UNIFORM, VF_SEED_DEFAULT, 32);
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        if (vf_isa_set((vf_isa)isa, NULL) != VF_OK)
            continue;
        vf_par_set_max_threads(1);
        size_t f1 = vf_lstsq_f32(a, b, x1, batch, m, n, L, r1, s1);
        vf_par_set_max_threads(2);
        size_t f2 = vf_lstsq_f32(a, b, x2, batch, m, n, L, r2, s2);
        vf_par_set_max_threads(0);
        cr_assert_eq(f1, 0);
        cr_assert_eq(f2, 0);
        cr_assert_eq(memcmp(x1, x2, batch * n * L * sizeof(float)), 0, "%s: x differs",
                     vf_isa_name((vf_isa)isa));
        cr_assert_eq(memcmp(r1, r2, batch * L * sizeof(float)), 0);
        cr_assert_eq(memcmp(s1, s2, batch * sizeof(int)), 0);
    }
    free(a);
    free(b);
    free(x1);
    free(x2);
    free(r1);
    free(r2);
    free(s1);
    free(s2);
}
