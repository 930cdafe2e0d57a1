/* vf_cone.h — the Lorentz cone: Euclidean projection, CoLU and rCoLU (THEORY §2.8).
 *
 * A group of S >= 1 channels is split as x = (t, w): t = x_0 the apex (axis) channel,
 * w = (x_1, ..., x_{S-1}), r = |w|.  L = {(t, w) : |w| <= t} is the Lorentz (second-order) cone.
 *
 *   P_L(t, w)     = (t, w)                       if |w| <= t          (branch IDENTITY)
 *                 = 0                            if |w| <= -t         (branch ZERO: the polar -L)
 *                 = ((t + r)/2) (1, w/r)         otherwise, |t| < r   (branch SCALED)
 *   CoLU(t, w)    = (t+, min(1, t+/r) w)         current hard version (jax-colu _reference.py)
 *   CoLU_old(t,w) = (t, clip(t/r, 0, 1) w)       older version: the apex passes through
 *   rCoLU(x)      = t+ e + min(1, t+/r) w        e = (1, ..., 1)/sqrt(S), t = <x, e>, w = x - t e
 *   rCoLU_old(x)  = t e + clip(t/r, 0, 1) w
 * For CoLU the branches are ZERO (t <= 0: w is zeroed, and the apex too in the current version),
 * IDENTITY (t > 0, r <= t: factor 1) and SCALED (0 < t < r: factor t/r).
 *
 * r = 0.  The authors' code divides by r + eps (eps = 1e-7) — a numerical guard against 0/0,
 * not part of the mathematics: it perturbs the factor by a relative eps/r and breaks positive
 * homogeneity at tiny r.  The reference uses eps = 0 and branches explicitly instead; at r = 0,
 * w = 0 so the factor multiplies nothing, and the result is the limit of the code's value
 * (t > 0: factor 1, result x; t <= 0: result (t+, 0), old (t, 0)).  S = 1 (w empty) follows the
 * same formulas: CoLU and P_L are then ReLU on the apex, CoLU_old the identity.
 *
 * Exactness.  Every branch decision is exact: the sign of t and t^2 against r^2 = |w|^2 are
 * compared in mpq (for rCoLU: the mean m = <x, 1>/S is rational, t = sqrt(S) m, and S m^2 is
 * compared with r^2).  The IDENTITY and ZERO branches are rational.  The SCALED branch is rational
 * exactly when the square root it needs is (r for P_L; t/r, i.e. sqrt(t^2/r^2), for CoLU and
 * rCoLU), decided by vf_cone_qsqrt (Pythagorean inputs); otherwise the result is a certified MPFI
 * enclosure with the root computed by mpfi_sqrt.
 */
#ifndef VF_CONE_H
#define VF_CONE_H

#include <stddef.h>

#include "vf_iv.h"
#include "vf_q.h"

typedef enum {
    VF_CONE_PROJ = 0,  /* Euclidean projection P_L onto the Lorentz cone */
    VF_CONE_COLU,      /* CoLU, current hard version */
    VF_CONE_COLU_OLD,  /* CoLU, older version (apex passed through) */
    VF_CONE_RCOLU,     /* rCoLU (axis (1..1)/sqrt(S)), current */
    VF_CONE_RCOLU_OLD, /* rCoLU, older */
    VF_CONE__COUNT
} vf_cone_op;

typedef enum {
    VF_BR_IDENTITY = 0, /* the group is returned unchanged */
    VF_BR_ZERO,         /* P_L: |w| <= -t, result 0.  CoLU: t <= 0, w zeroed */
    VF_BR_SCALED        /* P_L: |t| < |w|.  CoLU: 0 < t < |w|, w scaled by t/|w| */
} vf_cone_branch;

/* A value that is exact when it can be: q holds it iff exact, iv always holds an enclosure
 * (the tight roundings of q when exact).  Vectors are n x 1. */
typedef struct vf_cone_val {
    vf_qmat q;
    vf_imat iv;
    int exact;
} vf_cone_val;

/* n x 1 zeros (exact) with enclosures at prec bits; clear is safe on a zeroed struct and twice. */
int vf_cone_val_init(vf_cone_val *v, size_t n, mpfr_prec_t prec, vf_err *e);
void vf_cone_val_clear(vf_cone_val *v);

/* 1 and root = sqrt(a) >= 0 when a (canonical) is the square of a rational — numerator and
 * denominator both perfect squares (mpz_perfect_square_p) — else 0 and root untouched. root may
 * be a. */
int vf_cone_qsqrt(mpq_t root, const mpq_t a);

/* One group: x is S x 1 (S >= 1), y initialised with S entries (vf_cone_val_init) and not x's
 * storage.  Sets y->exact, y->q when exact, y->iv always (at y->iv.prec), and *br when br is
 * non-NULL.  Wrong shapes -> VF_E_SHAPE; bad op -> VF_E_USAGE. */
int vf_ref_cone(vf_cone_val *y, vf_cone_branch *br, const vf_qmat *x, vf_cone_op op, vf_err *e);

/* Groups of S consecutive entries over x (n x 1, S >= 1 dividing n), the apex/axis channel first
 * in each group: y (n entries) gets op applied to every group; y->exact iff every group is exact
 * (y->q is then the whole exact result).  br, when non-NULL, gets n/S branches.
 * S = 0 -> VF_E_USAGE; S not dividing n -> VF_E_SHAPE. */
int vf_ref_cone_groups(vf_cone_val *y, vf_cone_branch *br, const vf_qmat *x, size_t S,
                       vf_cone_op op, vf_err *e);

/* One group given by an interval box x (S x 1): y (S x 1, initialised, may not be x) gets an
 * enclosure of {op(z) : z in x}.  Where the box does not decide the branch, y is the hull of
 * the enclosures of every branch the box allows (sound because each z uses one of them); a
 * ratio t/r whose denominator encloses 0 is replaced by its range [0, 1] (and w/r by [-1, 1]).
 * Used to compose kernels on irrational values (idempotence checks).  A NaN endpoint ->
 * VF_E_DOMAIN. */
int vf_ref_cone_iv(vf_imat *y, const vf_imat *x, vf_cone_op op, vf_err *e);

/* Stable names: "proj", "colu", "colu_old", "rcolu", "rcolu_old"; "identity", "zero",
 * "scaled". */
const char *vf_cone_op_name(vf_cone_op op);
const char *vf_cone_branch_name(vf_cone_branch b);

#endif
