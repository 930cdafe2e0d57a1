/* vf_qgen.c — deterministic rational instance generators (see vf_qgen.h).
 *
 * Every random value is vf_rng_int(seed, tensor, index, ...) for a fixed index layout, so any
 * instance is a pure function of (seed, tensor).  Generators that need several independent
 * tensors derive them from (seed, tensor) with sub_tensor().
 */
#include "vf_qgen.h"

#include "vf_rng.h"

/* Id of the k-th independent tensor inside one generated instance.  Indices with the top bit
 * set are never element indices (no matrix has 2^63 entries), so this hash of the counter does
 * not reuse any element's value. */
static uint64_t sub_tensor(uint64_t seed, uint64_t tensor, uint64_t k)
{
    return vf_rng_u64(seed, tensor, (UINT64_C(1) << 63) | k);
}

/* q = p/d with p uniform in [-num_max, num_max], d uniform in [1, den_max], values 2i, 2i+1. */
static void small_q(mpq_t q, uint64_t seed, uint64_t tensor, uint64_t i, long num_max,
                    long den_max)
{
    long p = (long)vf_rng_int(seed, tensor, 2 * i, -num_max, num_max);
    long d = (long)vf_rng_int(seed, tensor, 2 * i + 1, 1, den_max);
    mpq_set_si(q, p, (unsigned long)d);
    mpq_canonicalize(q);
}

void vf_qgen_small(vf_qmat *m, uint64_t seed, uint64_t tensor, long num_max, long den_max)
{
    /* Out-of-range bounds are clamped to the nearest meaningful ones (a void function cannot
     * report them): num_max >= 0, den_max >= 1. */
    if (num_max < 0)
        num_max = 0;
    if (den_max < 1)
        den_max = 1;
    for (size_t i = 0; i < m->rows * m->cols; i++)
        small_q(m->a[i], seed, tensor, i, num_max, den_max);
}

int vf_qgen_unit_vector(vf_qmat *v, uint64_t seed, uint64_t tensor, vf_err *e)
{
    size_t n = v->rows;
    if (n < 1 || v->cols != 1)
        return vf_fail(e, VF_E_SHAPE, "unit vector: v is %zux%zu, must be nx1 with n >= 1",
                       v->rows, v->cols);
    /* Inverse stereographic projection of u in Q^{n-1}: with s = |u|^2,
     * v = (2u, s - 1) / (s + 1) and |v|^2 = (4s + (s-1)^2) / (s+1)^2 = 1.  A random sign on the
     * last coordinate (projection from the other pole) covers both hemispheres; n = 1 gives
     * u empty, s = 0, v = -+1. */
    mpq_t s, t;
    mpq_inits(s, t, NULL);
    for (size_t i = 0; i + 1 < n; i++) {
        small_q(VF_Q(v, i, 0), seed, tensor, i, 3, 3);
        mpq_mul(t, VF_Q(v, i, 0), VF_Q(v, i, 0));
        mpq_add(s, s, t);
    }
    mpq_set_ui(t, 1, 1);
    mpq_add(t, s, t); /* t = s + 1 > 0 */
    for (size_t i = 0; i + 1 < n; i++) {
        mpq_ptr vi = VF_Q(v, i, 0);
        mpq_add(vi, vi, vi);
        mpq_div(vi, vi, t);
    }
    mpq_ptr last = VF_Q(v, n - 1, 0);
    mpq_set_ui(last, 1, 1);
    mpq_sub(last, s, last);
    mpq_div(last, last, t);
    if (vf_rng_int(seed, tensor, 2 * (n - 1), 0, 1))
        mpq_neg(last, last);
    mpq_clears(s, t, NULL);
    return VF_OK;
}

/* r (n x ncols, initialised) = the first ncols columns of the Cayley transform
 * R = (I - S)(I + S)^{-1} = (I + S)^{-1}(I - S) (the two factors commute) of a skew S with
 * entries p/q, |p| <= 3, 1 <= q <= 4.  I + S is invertible: a real skew matrix has purely
 * imaginary eigenvalues, so -1 is never one.  With S^T = -S, R^T = (I - S)^{-1}(I + S), and
 * R^T R = (I - S)^{-1}(I + S)(I - S)(I + S)^{-1} = I because I + S and I - S commute. */
static int cayley(vf_qmat *r, size_t n, size_t ncols, uint64_t seed, uint64_t tensor, vf_err *e)
{
    vf_qmat a = {0}, b = {0};
    int rc;
    if ((rc = vf_qmat_init(&a, n, n, e)) || (rc = vf_qmat_init(&b, n, ncols, e)))
        goto out;
    vf_qmat_set_identity(&a);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ncols; j++)
            mpq_set_ui(VF_Q(&b, i, j), i == j, 1);
    mpq_t sij;
    mpq_init(sij);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            small_q(sij, seed, tensor, i * n + j, 3, 4);
            mpq_set(VF_Q(&a, i, j), sij); /* a = I + S */
            mpq_neg(VF_Q(&a, j, i), sij);
            if (j < ncols) /* b = (I - S)[:, :ncols] */
                mpq_neg(VF_Q(&b, i, j), sij);
            if (i < ncols)
                mpq_set(VF_Q(&b, j, i), sij);
        }
    mpq_clear(sij);
    rc = vf_q_solve(r, &a, &b, e);
    if (rc == VF_E_DOMAIN) /* impossible by the argument above: a bug if it happens */
        rc = vf_fail(e, VF_E_INTERNAL, "Cayley transform: I + S singular for n = %zu", n);
out:
    vf_qmat_clear(&a);
    vf_qmat_clear(&b);
    return rc;
}

int vf_qgen_orthogonal(vf_qmat *r, uint64_t seed, uint64_t tensor, vf_err *e)
{
    if (r->rows != r->cols)
        return vf_fail(e, VF_E_SHAPE, "orthogonal: r is %zux%zu, not square", r->rows, r->cols);
    return cayley(r, r->rows, r->rows, seed, tensor, e);
}

static unsigned long bit_length(size_t v)
{
    unsigned long b = 0;
    while (v) {
        b++;
        v >>= 1;
    }
    return b;
}

/* s (d x 1) = the singular values documented in vf_qgen.h.  With kappa = a/b in lowest terms
 * and P = bits(a) + bits(d) + 2, s_i = floor(2^P a (b/a)^{i/(d-1)}) / (2^P a), i = 0..d-1,
 * computed exactly as an integer (d-1)-th root of b^i a^{d-1-i} 2^{P(d-1)}.  The ends are
 * perfect powers, so s_0 = 1 and s_{d-1} = b/a exactly.  Strictly decreasing for kappa > 1:
 * consecutive unrounded values differ by at least 2^P b (kappa^{1/(d-1)} - 1)
 * >= 2^P b ln(kappa)/(d-1) >= 2^P b (a-b)/(a(d-1)) >= 2^P/(a(d-1)) > 4 (as 2^bits(a) > a,
 * 2^bits(d) > d-1), so their floors differ. */
static void singular_values(vf_qmat *s, size_t d, const mpq_t kappa)
{
    if (d == 1) {
        mpq_set_ui(VF_Q(s, 0, 0), 1, 1);
        return;
    }
    mpz_srcptr a = mpq_numref(kappa), b = mpq_denref(kappa);
    unsigned long p = (unsigned long)mpz_sizeinbase(a, 2) + bit_length(d) + 2;
    mpz_t t, u;
    mpz_inits(t, u, NULL);
    for (size_t i = 0; i < d; i++) {
        mpq_ptr si = VF_Q(s, i, 0);
        mpz_pow_ui(t, b, i);
        mpz_pow_ui(u, a, d - 1 - i);
        mpz_mul(t, t, u);
        mpz_mul_2exp(t, t, p * (d - 1));
        mpz_root(mpq_numref(si), t, d - 1);
        mpz_mul_2exp(mpq_denref(si), a, p);
        mpq_canonicalize(si);
    }
    mpz_clears(t, u, NULL);
}

int vf_qgen_known_kappa(vf_qmat *x, size_t n, size_t d, const mpq_t kappa, uint64_t seed,
                        uint64_t tensor, vf_err *e)
{
    if (x->rows != n || x->cols != d)
        return vf_fail(e, VF_E_SHAPE, "known_kappa: x is %zux%zu but %zux%zu was asked for",
                       x->rows, x->cols, n, d);
    if (d < 1 || n < d)
        return vf_fail(e, VF_E_SHAPE, "known_kappa: %zux%zu needs n >= d >= 1", n, d);
    if (mpq_cmp_ui(kappa, 1, 1) < 0)
        return vf_fail(e, VF_E_DOMAIN, "known_kappa: kappa must be >= 1");
    if (d == 1 && mpq_cmp_ui(kappa, 1, 1) != 0)
        return vf_fail(e, VF_E_DOMAIN,
                       "known_kappa: d = 1 has a single singular value, so kappa must be 1");
    vf_qmat u = {0}, v = {0}, vt = {0}, s = {0};
    int rc;
    if ((rc = vf_qmat_init(&u, n, d, e)) || (rc = vf_qmat_init(&v, d, d, e)) ||
        (rc = vf_qmat_init(&vt, d, d, e)) || (rc = vf_qmat_init(&s, d, 1, e)) ||
        (rc = cayley(&u, n, d, seed, sub_tensor(seed, tensor, 0), e)) ||
        (rc = cayley(&v, d, d, seed, sub_tensor(seed, tensor, 1), e)) ||
        (rc = vf_qmat_transpose(&vt, &v, e)))
        goto out;
    singular_values(&s, d, kappa);
    for (size_t i = 0; i < n; i++) /* u = U[:, :d] diag(s) */
        for (size_t j = 0; j < d; j++)
            mpq_mul(VF_Q(&u, i, j), VF_Q(&u, i, j), VF_Q(&s, j, 0));
    rc = vf_qmat_mul(x, &u, &vt, e);
out:
    vf_qmat_clear(&u);
    vf_qmat_clear(&v);
    vf_qmat_clear(&vt);
    vf_qmat_clear(&s);
    return rc;
}
