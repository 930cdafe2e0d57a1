/* vf_meanfield.h — the mean-field particle dynamics of THEORY.md §4 in MPFI: SA / USA velocities,
 * the energy E_β, one RK4 step on the sphere, and cluster statistics.
 *
 * Tokens are the rows of an n x d interval matrix x.  With w_ij = e^{β<x_i,x_j>}:
 *   (SA)  ẋ_i = P⊥_{x_i}( Σ_j w_ij x_j / Z_i ),  Z_i = Σ_k w_ik
 *   (USA) ẋ_i = P⊥_{x_i}( Σ_j w_ij x_j / n ),    P⊥_x y = y − <x,y> x
 *   E_β(x) = (1/(2βn²)) Σ_ij w_ij   (β = 0: (1/(2n²)) Σ_ij <x_i,x_j>, the limit up to a constant).
 * Used by the meanfield.* claims (exact rational tokens, weights from the exact Gram matrix) and
 * by `veriformer simulate mean-field` (tokens carried at high precision).  Conventions of vf_iv.h.
 */
#ifndef VF_MEANFIELD_H
#define VF_MEANFIELD_H

#include <mpfi.h>

#include "vf_iv.h"
#include "vf_q.h"

/* v (zeroed struct, initialised here n x d at w's precision) = the SA (sa = 1) or USA velocity of
 * the tokens x (n x d) given w (n x n) enclosing e^{β<x_i,x_j>}; w is normalised in place (it
 * holds the attention weights A_ij afterwards). */
int vf_mf_velocity_w(vf_imat *v, const vf_imat *x, vf_imat *w, int sa, vf_err *e);
/* g (zeroed struct, initialised here n x n at x's precision) = Gram matrix <x_i, x_j>. */
int vf_mf_gram(vf_imat *g, const vf_imat *x, vf_err *e);
/* v (zeroed struct, initialised here) = SA / USA velocity, weights from the interval Gram matrix. */
int vf_mf_velocity(vf_imat *v, const vf_imat *x, const mpq_t beta, int sa, vf_err *e);
/* s = s / (2 β n²) (β = 0: s / (2 n²)): turns Σ_ij w_ij (or Σ_ij <x_i,x_j>) into E_β. */
void vf_mf_energy_normalise(mpfi_t s, const mpq_t beta, size_t n);
/* out (initialised by the caller) = E_β of the tokens whose Gram matrix is g (n x n). */
void vf_mf_energy_gram(mpfi_t out, const vf_imat *g, const mpq_t beta);
/* *clusters = number of connected components of the graph i ~ j when the midpoint of g_ij is
 * >= 1 - tol; min_inner (initialised) = least midpoint of g_ij over i < j (NaN when n = 1). */
int vf_mf_clusters(size_t *clusters, const vf_imat *g, double tol, mpfr_t min_inner, vf_err *e);

/* One classical RK4 step of size h of the ODE above (ambient extension: the same formula off the
 * sphere, whose flow keeps |x_i| = 1 invariant), then every row is projected back onto the unit
 * sphere in MPFR (x_i / |x_i|, round to nearest); x must hold point intervals and holds point
 * intervals (the computed state) on return. */
int vf_mf_rk4_step(vf_imat *x, const mpq_t beta, int sa, const mpq_t h, vf_err *e);

#endif
