/* vf_q.h — the exact domain: rational matrices on GMP (mpq_t), fraction-free linear algebra.
 *
 * A vector is an n x 1 matrix: one type, one set of operations.  Storage is row-major;
 * VF_Q(m, i, j) names entry (i, j).  Every function returns VF_OK or a vf_code and fills
 * the vf_err on failure.  Outputs must be initialised by the caller with the right shape
 * (vf_qmat_init) unless the function says it (re)initialises them; outputs may not alias
 * inputs unless stated.  Every float32/float64 value is a dyadic rational and converts
 * exactly; NaN and infinities are outside the exact domain (VF_E_DOMAIN).
 */
#ifndef VF_Q_H
#define VF_Q_H

#include <gmp.h>
#include <stddef.h>

#include "vf_status.h"

typedef struct vf_qmat {
    size_t rows, cols;
    mpq_t *a; /* rows*cols entries, row-major */
} vf_qmat;

#define VF_Q(m, i, j) ((m)->a[(size_t)(i) * (m)->cols + (size_t)(j)])

/* Allocates rows x cols zeros. rows*cols may be 0. */
int vf_qmat_init(vf_qmat *m, size_t rows, size_t cols, vf_err *e);
/* Frees entries; safe on a zeroed struct and twice. */
void vf_qmat_clear(vf_qmat *m);
/* dst = identity (dst square, initialised). */
void vf_qmat_set_identity(vf_qmat *dst);
/* dst (initialised, same shape) = src. */
int vf_qmat_copy(vf_qmat *dst, const vf_qmat *src, vf_err *e);
/* 1 iff same shape and every entry equal. */
int vf_qmat_equal(const vf_qmat *a, const vf_qmat *b);
/* 1 iff every entry is 0. */
int vf_qmat_is_zero(const vf_qmat *a);

/* c = a + b, c = a - b, c = a * b (matrix product), t = a^T, c = s * a. c may alias a or b
 * for add/sub/scale (elementwise), not for mul/transpose (VF_E_USAGE, unless c has no entry).
 * mul, transpose and dot carry ACSL contracts in vf_q.c, proved by WP (unit ref_qmat): the
 * shape codes, and on VF_OK the exact product / transpose / sum of what the inputs held. */
int vf_qmat_add(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e);
int vf_qmat_sub(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e);
int vf_qmat_mul(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e);
int vf_qmat_transpose(vf_qmat *t, const vf_qmat *a, vf_err *e);
int vf_qmat_scale(vf_qmat *c, const mpq_t s, const vf_qmat *a, vf_err *e);
/* r = sum_i a_i b_i over all entries (Frobenius inner product); shapes must match. */
int vf_qmat_dot(mpq_t r, const vf_qmat *a, const vf_qmat *b, vf_err *e);

/* Fraction-free (Bareiss) elimination on the integer matrix obtained by clearing each row's
 * denominators; exact for every rational input.
 *   det:     a square; det = determinant.
 *   rank:    any shape; *rank = rank of a.
 *   solve:   a square n x n, b n x k; x (n x k) with a x = b.  Singular a -> VF_E_DOMAIN with a
 *            message naming the rank ("singular n x n matrix: rank r").  x may alias a or b.
 *   inverse: a square; inv = a^{-1}; singular -> VF_E_DOMAIN as solve.
 *   Both are certified: before returning VF_OK they check a x = b (a inv = I) exactly with
 *   vf_q_check_solution, whose core is proved (proofs/TRUST.md, unit ref_solve_check); a failed
 *   check (a bug) is VF_E_INTERNAL ("certificate check failed").
 *   independent_cols: the lexicographically first maximal set of linearly independent columns
 *            of a (pivot columns of the row-echelon form); cols[] gets *rank indices, increasing.
 *            cols must hold a->cols entries. */
int vf_q_det(mpq_t det, const vf_qmat *a, vf_err *e);
int vf_q_rank(size_t *rank, const vf_qmat *a, vf_err *e);
int vf_q_solve(vf_qmat *x, const vf_qmat *a, const vf_qmat *b, vf_err *e);
int vf_q_inverse(vf_qmat *inv, const vf_qmat *a, vf_err *e);
int vf_q_independent_cols(size_t *cols, size_t *rank, const vf_qmat *a, vf_err *e);
/* Exact check of a solution: VF_OK iff a (n x n) times x (n x k) equals b (n x k) entry by
 * entry; a x != b -> VF_E_DOMAIN; shapes -> VF_E_SHAPE. */
int vf_q_check_solution(const vf_qmat *a, const vf_qmat *x, const vf_qmat *b, vf_err *e);

/* LDL^T of a symmetric positive-definite a, without square roots:
 * a = u * diag(d) * u^T with u unit lower-triangular (n x n) and d (n x 1) positive.
 * Not symmetric -> VF_E_DOMAIN; not positive definite -> VF_E_DOMAIN naming the pivot. */
int vf_q_ldlt(vf_qmat *u, vf_qmat *d, const vf_qmat *a, vf_err *e);

/* Exact conversions.  NaN or +-inf -> VF_E_DOMAIN ("NaN is not a rational"). */
int vf_q_set_f32(mpq_t r, float x, vf_err *e);
int vf_q_set_f64(mpq_t r, double x, vf_err *e);
/* Rational text: "3/7", "-12", "0.125", "-1.5e-3", "1e10" (decimal notation is converted
 * exactly, 0.1 is 1/10).  Anything else, a zero denominator or trailing junk -> VF_E_FORMAT
 * naming the text. */
int vf_q_set_str(mpq_t r, const char *text, vf_err *e);
/* Fills m (initialised rows x cols) from rows*cols floats/doubles, row-major. */
int vf_qmat_from_f32(vf_qmat *m, const float *x, vf_err *e);
int vf_qmat_from_f64(vf_qmat *m, const double *x, vf_err *e);

/* Writes q as "p/q" (or "p" when integral) into a newly malloc'd string; free() it. */
char *vf_q_str(const mpq_t q);
/* Exact text of m, malloc'd (NULL when out of memory): a column vector as "(a, b, c)", any other
 * shape as "[[a, b], [c, d]]".  With max_chars > 0 the text is cut after the entry or row that
 * passes max_chars characters and ends in ", ..." (notes stay readable for large instances). */
char *vf_qmat_str(const vf_qmat *m, size_t max_chars);

#endif
