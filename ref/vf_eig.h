/* vf_eig.h — certified symmetric eigen-decomposition, for the spectral OLS construction
 * L = V Λ^{-1/2} (THEORY.md §1.2, OLS-5, OLS-6, OLS-8).
 *
 * Method and why it is certified.  Eigenvectors are algebraic numbers, not rationals, so they
 * cannot be checked by exact equality; running Jacobi on intervals would blow the widths up
 * with every rotation.  Instead (a posteriori verification):
 *   1. cyclic Jacobi in MPFR at precision p produces V~ and Λ~.  These are ordinary MPFR
 *      numbers, i.e. EXACT dyadic rationals: whatever rounding happened inside Jacobi only
 *      decides which approximation we get, never what we claim about it;
 *   2. vf_ref_eig_certify encloses, in MPFI (outward rounding), the residuals G V~ - V~ Λ~ and
 *      V~^T V~ - I of those exact numbers.  Their magnitudes are rigorous bounds (reported as
 *      bits k: every entry within ±2^-k);
 *   3. by the residual theorem for symmetric matrices (for any μ and v != 0 there is an
 *      eigenvalue λ of G with |λ - μ| <= ||G v - μ v|| / ||v||), each λ~_j widened by
 *      ||r_j|| / ||v_j|| encloses an eigenvalue of G; when these enclosures are pairwise
 *      disjoint each one holds exactly one eigenvalue, so the spectrum is certified;
 *   4. vf_ref_eig_whitener encloses L~ = V~ Λ~^{-1/2} (the square roots in MPFI), and the
 *      claims then enclose the residuals of the Transformer identities built on L~.
 * So a CERTIFIED verdict states rigorously: "the computed spectral factor satisfies the identity
 * to within ±2^-k", with k reported; the precision p is raised when k is too small.
 */
#ifndef VF_EIG_H
#define VF_EIG_H

#include <limits.h>
#include <mpfi.h>
#include <mpfr.h>
#include <stddef.h>

#include "vf_iv.h"
#include "vf_q.h"
#include "vf_status.h"

typedef struct vf_eig {
    size_t n;
    mpfr_prec_t prec;
    mpfr_t *v;      /* n*n row-major; column j is the eigenvector of lambda[j] */
    mpfr_t *lambda; /* n eigenvalue approximations */
    int sweeps;     /* Jacobi sweeps used */
    int converged;  /* off-diagonal mass fell below 2^-2p of the total */
} vf_eig;

/* Cyclic Jacobi on the symmetric rational g (n x n) at precision prec (>= 32).  r is
 * initialised here.  Not square / not symmetric -> VF_E_SHAPE / VF_E_DOMAIN. */
int vf_ref_eig_sym(vf_eig *r, const vf_qmat *g, mpfr_prec_t prec, vf_err *e);
void vf_ref_eig_clear(vf_eig *r);

typedef struct vf_eig_cert {
    long resid_bits; /* every entry of G V~ - V~ Λ~ within ±2^-resid_bits */
    long orth_bits;  /* every entry of V~^T V~ - I within ±2^-orth_bits */
    int separated;   /* eigenvalue enclosures pairwise disjoint (each holds one eigenvalue) */
    int positive;    /* every enclosure is > 0 (G positive definite, certified) */
} vf_eig_cert;

/* Certifies r against g (see the header comment).  lam (may be NULL) is initialised here as an
 * n x 1 interval matrix of eigenvalue enclosures. */
int vf_ref_eig_certify(vf_eig_cert *c, vf_imat *lam, const vf_eig *r, const vf_qmat *g,
                       vf_err *e);

/* l (initialised here, n x n at r->prec) encloses V~ diag(Λ~)^{-1/2}.  A λ~_j <= 0 ->
 * VF_E_DOMAIN (G is not positive definite, or not resolved at this precision). */
int vf_ref_eig_whitener(vf_imat *l, const vf_eig *r, vf_err *e);

/* Magnitude bits of a residual enclosure: the largest k with |v| <= 2^-k for every v in x
 * (may be <= 0 for residuals >= 1), the precision of x for [0, 0], LONG_MIN for NaN/inf.
 * The matrix version is the minimum over entries. */
long vf_ref_iv_mag_bits(const mpfi_t x);
long vf_ref_imat_mag_bits(const vf_imat *m);

#endif
