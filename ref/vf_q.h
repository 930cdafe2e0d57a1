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

#ifdef __FRAMAC__
#include <stdint.h>           /* SIZE_MAX in qmat_ok */
#include "../specs/qmat.acsl" /* qv, mat_of, qmat_ok, ...: the contracts below */
#endif

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
 * mul, transpose, scale and dot carry ACSL contracts, proved by WP (unit ref_qmat): the
 * shape codes, and on VF_OK the exact product / transpose / multiple / sum of what the inputs
 * held. */
int vf_qmat_add(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e);
int vf_qmat_sub(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e);
/*@ requires ok: qmat_ok(c) && qmat_ok(a) && qmat_ok(b);
    requires own: qmat_own(c, a) && qmat_own(c, b);
    requires valid_e: e == \null || \valid(e);
    assigns *e, c->a[0 .. c->rows * c->cols - 1][0];
    ensures codes: \result == VF_OK || \result == VF_E_SHAPE || \result == VF_E_USAGE;
    ensures shape: \result == VF_E_SHAPE <==>
      !(\old(a->cols) == \old(b->rows) && \old(c->rows) == \old(a->rows) &&
        \old(c->cols) == \old(b->cols));
    // an output that aliases an input is refused (unless it has no entry to compute)
    ensures alias: \result == VF_E_USAGE ==> (c == a || c == b);
    ensures product: \result == VF_OK ==> \forall vf_mat A, B;
      \old(mat_of(A, a->a, a->rows, a->cols)) && \old(mat_of(B, b->a, b->rows, b->cols)) ==>
      \forall integer i, j; 0 <= i < \old(c->rows) && 0 <= j < \old(c->cols) ==>
        qv(\old(c->a), midx(i, \old(c->cols), j)) == mat_mul(A, B, i, j, \old(a->cols));
*/
int vf_qmat_mul(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e);
/* vf_qmat_mul with the caller's scratch rational t (initialised), so that it has no local:
 * its frame (every other rational unchanged) is then provable, which the proved scores of
 * ref/vf_ols.c need. */
/*@ requires ok: qmat_ok(c) && qmat_ok(a) && qmat_ok(b);
    requires own: qmat_own(c, a) && qmat_own(c, b);
    requires valid_t: \valid(t) && \base_addr(t) != \base_addr(c->a) &&
      \base_addr(t) != \base_addr(a->a) && \base_addr(t) != \base_addr(b->a);
    requires valid_e: e == \null || \valid(e);
    assigns *e, *t, c->a[0 .. c->rows * c->cols - 1][0];
    // every rational outside c's entries, t and *e keeps its value
    ensures frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(\old(c->a)) &&
      \separated(p, t) && \base_addr(p) != \base_addr(e) ==> mpq_val(p) == \old(mpq_val(p));
    ensures codes: \result == VF_OK || \result == VF_E_SHAPE || \result == VF_E_USAGE;
    ensures shape: \result == VF_E_SHAPE <==>
      !(\old(a->cols) == \old(b->rows) && \old(c->rows) == \old(a->rows) &&
        \old(c->cols) == \old(b->cols));
    // an output that aliases an input is refused (unless it has no entry to compute)
    ensures alias: \result == VF_E_USAGE ==> (c == a || c == b);
    ensures product: \result == VF_OK ==> \forall vf_mat A, B;
      \old(mat_of(A, a->a, a->rows, a->cols)) && \old(mat_of(B, b->a, b->rows, b->cols)) ==>
      \forall integer i, j; 0 <= i < \old(c->rows) && 0 <= j < \old(c->cols) ==>
        qv(\old(c->a), midx(i, \old(c->cols), j)) == mat_mul(A, B, i, j, \old(a->cols));
*/
int vf_qmat_mul_with(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, mpq_ptr t, vf_err *e);
/*@ requires ok: qmat_ok(t) && qmat_ok(a);
    requires own: qmat_own(t, a);
    requires valid_e: e == \null || \valid(e);
    assigns *e, t->a[0 .. t->rows * t->cols - 1][0];
    ensures codes: \result == VF_OK || \result == VF_E_SHAPE || \result == VF_E_USAGE;
    ensures shape: \result == VF_E_SHAPE <==>
      !(\old(t->rows) == \old(a->cols) && \old(t->cols) == \old(a->rows));
    ensures alias: \result == VF_E_USAGE ==> t == a;
    ensures frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(\old(t->a)) &&
      \base_addr(p) != \base_addr(e) ==> mpq_val(p) == \old(mpq_val(p));
    ensures transposed_entries: \result == VF_OK ==>
      \forall integer i, j; 0 <= i < \old(a->rows) && 0 <= j < \old(a->cols) ==>
        qv(\old(t->a), midx(j, \old(a->rows), i)) == \old(qv(a->a, midx(i, a->cols, j)));
    ensures transposed: \result == VF_OK ==> \forall vf_mat A, AT;
      \old(mat_of(A, a->a, a->rows, a->cols)) &&
      (\forall integer i, j; 0 <= i < \old(a->rows) && 0 <= j < \old(a->cols) ==>
        vf_mat_at(AT, j, i) == vf_mat_at(A, i, j)) ==>
      mat_of(AT, \old(t->a), \old(a->cols), \old(a->rows));
*/
int vf_qmat_transpose(vf_qmat *t, const vf_qmat *a, vf_err *e);
/*@ requires ok: qmat_ok(c) && qmat_ok(a);
    requires own: qmat_own(c, a);
    requires valid_s: \valid_read(s) && \base_addr(s) != \base_addr(c->a);
    requires valid_e: e == \null || \valid(e);
    assigns *e, c->a[0 .. c->rows * c->cols - 1][0];
    ensures codes: \result == VF_OK || \result == VF_E_SHAPE;
    ensures shape: \result == VF_E_SHAPE <==>
      !(\old(c->rows) == \old(a->rows) && \old(c->cols) == \old(a->cols));
    ensures frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(\old(c->a)) &&
      \base_addr(p) != \base_addr(e) ==> mpq_val(p) == \old(mpq_val(p));
    ensures scaled: \result == VF_OK ==> \forall integer k; 0 <= k < \old(a->rows * a->cols) ==>
      qv(\old(c->a), k) == \old(mpq_val(s)) * \old(qv(a->a, k));
    // the same, entry (i, j)
    ensures scaled_entries: \result == VF_OK ==>
      \forall integer i, j; 0 <= i < \old(a->rows) && 0 <= j < \old(a->cols) ==>
        scaled_by(qv(\old(c->a), midx(i, \old(a->cols), j)), \old(mpq_val(s)),
                  \old(qv(a->a, midx(i, a->cols, j))));
*/
int vf_qmat_scale(vf_qmat *c, const mpq_t s, const vf_qmat *a, vf_err *e);
/* r = sum_i a_i b_i over all entries (Frobenius inner product); shapes must match. */
/*@ requires ok: qmat_ok(a) && qmat_ok(b);
    requires valid_r: \valid(r);
    requires valid_e: e == \null || \valid(e);
    assigns *e, *r;
    ensures codes: \result == VF_OK || \result == VF_E_SHAPE;
    ensures shape: \result == VF_E_SHAPE <==>
      !(\old(a->rows) == \old(b->rows) && \old(a->cols) == \old(b->cols));
    ensures dot: \result == VF_OK ==> \forall vf_seq u;
      \old(dot_terms(u, a->a, 0, 1, b->a, 0, 1, a->rows * a->cols)) ==>
      mpq_val(r) == sum(u, 0, \old(a->rows * a->cols));
*/
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

/* The scratch of the exact solution check for n x n systems: a column of n rationals and two
 * more, initialised to 0 (vf_q_check_init; clear is safe on a zeroed struct and twice). */
typedef struct vf_q_check {
    size_t n;
    mpq_t *col;
    mpq_t acc, tmp;
} vf_q_check;
int vf_q_check_init(vf_q_check *c, size_t n, vf_err *e);
void vf_q_check_clear(vf_q_check *c);

/* vf_q_solve for an x that shares no entry with a or b, with the check's scratch (col: n
 * rationals, acc, tmp) from the caller: it allocates no rational, so its frame is provable
 * (the proved drivers of ref/vf_ols.c chain it).  what names the caller in messages.  Proved
 * (unit ref_solve_check) modulo the trusted contract of the elimination (it writes only x and
 * *e; proofs/TRUST.md): on VF_OK, a x == b exactly. */
/*@ requires ok: qmat_ok(x) && qmat_ok(a) && qmat_ok(b);
    requires shapes: a->rows == a->cols && b->rows == a->rows && x->rows == a->rows &&
      x->cols == b->cols;
    requires own: x != a && x != b && qmat_own(x, a) && qmat_own(x, b);
    requires scratch: \valid(acc) && \valid(tmp) && \separated(acc, tmp) &&
      \forall integer k; 0 <= k < a->rows ==> \valid(&col[k][0]);
    // the scratch is apart from the matrices, and *e from everything
    requires apart: \base_addr(col) != \base_addr(acc) && \base_addr(col) != \base_addr(tmp) &&
      \base_addr(col) != \base_addr(x->a) && \base_addr(col) != \base_addr(a->a) &&
      \base_addr(col) != \base_addr(b->a) &&
      \base_addr(acc) != \base_addr(x->a) && \base_addr(acc) != \base_addr(a->a) &&
      \base_addr(acc) != \base_addr(b->a) &&
      \base_addr(tmp) != \base_addr(x->a) && \base_addr(tmp) != \base_addr(a->a) &&
      \base_addr(tmp) != \base_addr(b->a);
    requires valid_e: (e == \null || \valid(e)) && \base_addr(e) != \base_addr(x->a) &&
      \base_addr(e) != \base_addr(a->a) && \base_addr(e) != \base_addr(b->a) &&
      \base_addr(e) != \base_addr(col) && \base_addr(e) != \base_addr(acc) &&
      \base_addr(e) != \base_addr(tmp);
    assigns *e, *acc, *tmp, col[0 .. a->rows - 1][0], x->a[0 .. x->rows * x->cols - 1][0];
    ensures codes: \result == VF_OK || \result == VF_E_DOMAIN || \result == VF_E_NOMEM ||
      \result == VF_E_INTERNAL;
    // every rational outside x's entries and the scratch keeps its value
    ensures frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(\old(x->a)) &&
      \separated(p, acc) && \separated(p, tmp) && \base_addr(p) != \base_addr(col) &&
      \base_addr(p) != \base_addr(e) ==> mpq_val(p) == \old(mpq_val(p));
    // for every A held by a before and X held by x after: A X == b, entry by entry
    ensures solved: \result == VF_OK ==> \forall vf_mat A, X;
      \old(mat_of(A, a->a, a->rows, a->cols)) &&
      mat_of(X, \old(x->a), \old(x->rows), \old(x->cols)) ==>
      \forall integer i, j; 0 <= i < \old(a->rows) && 0 <= j < \old(b->cols) ==>
        mat_mul(A, X, i, j, \old(a->rows)) == \old(qv(b->a, midx(i, b->cols, j)));
*/
int vf_q_solve_into(vf_qmat *x, const vf_qmat *a, const vf_qmat *b, mpq_t *col, mpq_ptr acc,
                    mpq_ptr tmp, const char *what, vf_err *e);

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
