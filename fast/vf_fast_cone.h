/* vf_fast_cone.h — Lorentz-cone kernels of the fast path (issue 6): the Euclidean projection
 * onto the Lorentz cone and CoLU, float32, groups along the last axis (THEORY.md §2.8,
 * ref/vf_cone.h; oracle kernels VF_K_LORENTZ and VF_K_COLU).
 *
 * x and y are [groups, s] float32, row-major; each group is (t, w) = (x_0, x_1 .. x_{s-1}) with
 * the apex channel first, r = |w|.  L = {(t, w) : |w| <= t}.
 *   vf_lorentz_proj_f32:  y = (t, w)                      if r <= t   (inside L: bits kept)
 *                           = +0                          if r <= -t  (inside the polar -L)
 *                           = ((t + r)/2) (1, w/r)        otherwise
 *   vf_colu_f32:          y = +0                          if t <= 0
 *                           = (t, min(1, t/r) w)          if t > 0 (r <= t: bits kept)
 *                         (current hard CoLU with eps = 0 and the explicit r = 0 branch of the
 *                         reference, not the authors' r + 1e-7 guard.)
 * Any s >= 1 (s = 1, w empty: both are ReLU of the apex); tuned for s = 4 .. 256, s = 4 with
 * its own across-group vector path.  groups == 0 or s == 0 does nothing.
 * Out-of-place or in place (y == x); no other overlap.
 * Non-finite input: a group with a NaN or an infinity anywhere becomes NaN in every entry (also
 *   t = +inf with finite w, whose limit would be x: the reference rejects non-finite input, so
 *   the fast path does not invent a value); other groups are unaffected.  Never traps.
 * Overflow: none inside (r^2 is accumulated in float64, where squares of floats are exact and
 *   cannot overflow); only the projection's apex (t + r)/2 can exceed FLT_MAX, and then it is
 *   +inf because the exact value rounds to it.
 * Accuracy (derived in tests/test_cone_fast.c): every output is within
 *   0.5 + (s + 7) kappa 2^-29 + 2^-23 ULP of the exact value (0.5 ULP more for outputs below
 *   ~2^-100, where an inner product underflows), with kappa = 1 for CoLU and
 *   kappa = (|t| + r)/(t + r) for the projection's scaled branch (large only near the polar
 *   cone boundary -t = r, where the output is small against |x|; in absolute terms the error
 *   is then <= (s + 7) 2^-53 (|t| + r) + 0.5 ulp).  So <= 0.51 ULP for CoLU and for projection
 *   points away from -L's boundary, s <= 256.  Identity and zero branches are exact (the
 *   identity keeps the bits, -0 included; the zero branch gives +0).
 * Threads: OpenMP over blocks of groups from VF_PAR_MIN_ELEMS elements (fast/vf_par.h); every
 *   group is computed by the same operations whatever the thread count (bitwise identical). */
#ifndef VF_FAST_CONE_H
#define VF_FAST_CONE_H

#include "vf_fast.h"

VF_DECLARE_KERNEL(void, vf_lorentz_proj_f32, (const float *x, float *y, size_t groups, size_t s));
VF_DECLARE_KERNEL(void, vf_colu_f32, (const float *x, float *y, size_t groups, size_t s));

#endif
