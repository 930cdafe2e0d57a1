/* vf_qgen.h — deterministic rational instance generators (exact inputs for claims).
 *
 * Every value is a function of (seed, tensor id, index) through vf_rng (counter-based), so an
 * instance does not depend on thread count or generation order.
 */
#ifndef VF_QGEN_H
#define VF_QGEN_H

#include <stdint.h>

#include "vf_q.h"

/* m (initialised) gets entries p/q with p uniform in [-num_max, num_max] and q uniform in
 * [1, den_max]: small denominators, exact. */
void vf_qgen_small(vf_qmat *m, uint64_t seed, uint64_t tensor, long num_max, long den_max);

/* A Pythagorean unit vector with rational entries: v (initialised n x 1, n >= 1) gets a point of
 * the unit sphere S^{n-1} with rational coordinates, obtained by inverse stereographic
 * projection of a small-denominator rational point; sum v_i^2 == 1 exactly. */
int vf_qgen_unit_vector(vf_qmat *v, uint64_t seed, uint64_t tensor, vf_err *e);

/* A rational orthogonal n x n matrix by the Cayley transform R = (I - S)(I + S)^{-1} of a
 * random small-denominator skew-symmetric S (I + S is always invertible).  R^T R == I exactly. */
int vf_qgen_orthogonal(vf_qmat *r, uint64_t seed, uint64_t tensor, vf_err *e);

/* An n x d (n >= d) matrix with known 2-norm condition number kappa (rational >= 1):
 * X = U[:, :d] * diag(s) * V^T with U, V rational orthogonal (Cayley) and singular values
 * s geometrically spaced between 1 and 1/kappa (s_1 = 1, s_d = 1/kappa exactly, the others
 * rational).  X^T X = V diag(s^2) V^T, so cond_2(X) = kappa exactly.
 * Exactly: with kappa = a/b in lowest terms and P = bits(a) + bits(d) + 2 (bits(v) = number of
 * binary digits of v), s_{i+1} = floor(2^P a (b/a)^{i/(d-1)}) / (2^P a) for i = 0..d-1 (the
 * geometric point rounded down to a multiple of 2^-P/a); strictly decreasing when kappa > 1,
 * all 1 when kappa = 1.  x must be initialised n x d (VF_E_SHAPE otherwise, or if d = 0 or
 * n < d); kappa < 1, or d = 1 with kappa != 1 -> VF_E_DOMAIN. */
int vf_qgen_known_kappa(vf_qmat *x, size_t n, size_t d, const mpq_t kappa, uint64_t seed,
                        uint64_t tensor, vf_err *e);

#endif
