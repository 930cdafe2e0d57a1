/* vf_potential.h — kernels for "attention is a gradient" claims (THEORY.md §2.3–2.5, §2.9, §3, §4).
 *
 * Three tools, each independent of the closed-form gradients it is used to check:
 *
 *  1. Exact matrix polynomials in ε (vf_qmpoly): P(ε) = Σ_k ε^k c[k] with mpq matrix
 *     coefficients.  A polynomial potential V evaluated on X + εΔ is a polynomial in ε; its ε¹
 *     coefficient is the exact directional derivative <∇V(X), Δ> (THEORY §2.10 tip).  Slots can
 *     be perturbed separately (only the X or only the Xᵀ occurrences: D_X and D_*).
 *     vf_q_gradient_by_directions assembles a full gradient entry by entry from the basis
 *     directions E_ij, so a closed form can be compared by exact matrix equality.
 *
 *  2. Dual interval matrices (vf_dmat): forward-mode differentiation in MPFI.  Each entry is a
 *     pair (value, tangent) of enclosures; products follow the Leibniz rule, exp/log the chain
 *     rule.  The tangent of a scalar result encloses the directional derivative of the
 *     transcendental potential (log-sum-exp, interaction energies, Hamiltonians) along the seeded
 *     direction.
 *
 *  3. A certified matrix exponential (vf_imat_expm): scaling and squaring of a Taylor polynomial
 *     with a rigorous remainder bound added to every entry.
 *
 * Conventions of vf_q.h / vf_iv.h; outputs of the _new-style functions below are initialised by
 * the function itself (pass zeroed structs), and every function returns VF_OK or a vf_code.
 */
#ifndef VF_POTENTIAL_H
#define VF_POTENTIAL_H

#include <gmp.h>
#include <mpfi.h>
#include <stddef.h>

#include "vf_iv.h"
#include "vf_q.h"
#include "vf_status.h"

/* ---------------------------------------------------------------- exact ε-polynomials */

typedef struct vf_qmpoly {
    size_t rows, cols, deg;
    vf_qmat *c; /* deg + 1 coefficients, each rows x cols */
} vf_qmpoly;

/* Initialises p (zeroed struct) to the zero polynomial of degree deg. */
int vf_qmpoly_init(vf_qmpoly *p, size_t rows, size_t cols, size_t deg, vf_err *e);
void vf_qmpoly_clear(vf_qmpoly *p);
/* p = x + ε d (d NULL: the constant x); p initialised here. */
int vf_qmpoly_line(vf_qmpoly *p, const vf_qmat *x, const vf_qmat *d, vf_err *e);
/* c = a b (matrix product), c = aᵀ, c = a ⊙ b (entrywise), c = a + b; c initialised here and
 * may not alias an operand. */
int vf_qmpoly_mul(vf_qmpoly *c, const vf_qmpoly *a, const vf_qmpoly *b, vf_err *e);
int vf_qmpoly_transpose(vf_qmpoly *c, const vf_qmpoly *a, vf_err *e);
int vf_qmpoly_hadamard(vf_qmpoly *c, const vf_qmpoly *a, const vf_qmpoly *b, vf_err *e);
int vf_qmpoly_add(vf_qmpoly *c, const vf_qmpoly *a, const vf_qmpoly *b, vf_err *e);
/* r = ε^k coefficient of tr p (p square) / of the sum of all entries; 0 when k > deg. */
int vf_qmpoly_trace_coef(mpq_t r, const vf_qmpoly *p, size_t k, vf_err *e);
void vf_qmpoly_sum_coef(mpq_t r, const vf_qmpoly *p, size_t k);

/* A polynomial potential seen through one direction: d1 = ε¹ coefficient of V(· + εΔ). */
typedef int (*vf_qpot_dir)(mpq_t d1, const void *ctx, const vf_qmat *dir, vf_err *e);
/* g (rows x cols, initialised here): g_ij = fn(E_ij), the gradient assembled exactly from the
 * basis directions. */
int vf_q_gradient_by_directions(vf_qmat *g, size_t rows, size_t cols, vf_qpot_dir fn,
                                const void *ctx, vf_err *e);

/* ---------------------------------------------------------------- dual intervals */

typedef struct vf_dmat {
    vf_imat v, t; /* value and tangent, same shape and precision */
} vf_dmat;

int vf_dmat_init(vf_dmat *m, size_t rows, size_t cols, mpfr_prec_t prec, vf_err *e);
void vf_dmat_clear(vf_dmat *m);
/* m = (x, dir): exact rational value; tangent dir (rational, or an enclosure di), or 0 when
 * both are NULL.  m initialised here at precision prec. */
int vf_dmat_from_q(vf_dmat *m, const vf_qmat *x, const vf_qmat *dq, const vf_imat *di,
                   mpfr_prec_t prec, vf_err *e);
/* Initialised here: c = a b, c = aᵀ, c = a ⊙ b, c = a ⊘ b (entrywise quotient; b must exclude
 * 0, else VF_E_DOMAIN), c = s a (s rational), c = exp∘a, c = log∘a (a must be > 0), c = row sums
 * (rows x 1). */
int vf_dmat_mul(vf_dmat *c, const vf_dmat *a, const vf_dmat *b, vf_err *e);
int vf_dmat_transpose(vf_dmat *c, const vf_dmat *a, vf_err *e);
int vf_dmat_hadamard(vf_dmat *c, const vf_dmat *a, const vf_dmat *b, vf_err *e);
int vf_dmat_div(vf_dmat *c, const vf_dmat *a, const vf_dmat *b, vf_err *e);
int vf_dmat_scale(vf_dmat *c, const mpq_t s, const vf_dmat *a, vf_err *e);
int vf_dmat_exp(vf_dmat *c, const vf_dmat *a, vf_err *e);
int vf_dmat_log(vf_dmat *c, const vf_dmat *a, vf_err *e);
int vf_dmat_row_sums(vf_dmat *c, const vf_dmat *a, vf_err *e);
/* v, t (initialised by the caller) = sum of all values / of all tangents. */
void vf_dmat_total(mpfi_t v, mpfi_t t, const vf_dmat *a);

/* ---------------------------------------------------------------- certified expm */

/* out (n x n, initialised by the caller at its precision) encloses exp(a) for every real matrix
 * enclosed by a (n x n): scaling by 2^-s until the ∞-norm is <= 1/2, Taylor polynomial of
 * degree K with the remainder bound 2 (1/2)^{K+1}/(K+1)! added to every entry, K chosen so the
 * bound is below 2^-(prec+8), then s squarings.  Non-square -> VF_E_SHAPE; an unbounded entry
 * -> VF_E_DOMAIN. */
int vf_imat_expm(vf_imat *out, const vf_imat *a, vf_err *e);

/* Text of an enclosure "[lo, hi]" with 12 significant digits, into buf. */
void vf_iv_text(char *buf, size_t len, mpfi_srcptr x);

#endif
