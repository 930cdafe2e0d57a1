/* vf_q.c — the exact domain (see vf_q.h): rational matrices and fraction-free linear algebra.
 *
 * Elimination never works in mpq: each row is scaled by the lcm of its denominators into an
 * integer matrix (mpz), and Bareiss' fraction-free elimination keeps every intermediate entry
 * a minor of that integer matrix, so entries grow linearly (not exponentially) with the step
 * and every division is exact (mpz_divexact).  Only the final results are formed as mpq.
 */
#include "vf_q.h"

#include <stdio.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- matrices */

int vf_qmat_init(vf_qmat *m, size_t rows, size_t cols, vf_err *e)
{
    m->rows = m->cols = 0;
    m->a = NULL;
    if (cols != 0 && rows > SIZE_MAX / cols)
        return vf_fail(e, VF_E_NOMEM, "matrix %zux%zu is too large", rows, cols);
    mpq_t *a = vf_calloc(rows * cols, sizeof *a, e);
    if (!a)
        return VF_E_NOMEM;
    for (size_t i = 0; i < rows * cols; i++)
        mpq_init(a[i]);
    m->rows = rows;
    m->cols = cols;
    m->a = a;
    return VF_OK;
}

void vf_qmat_clear(vf_qmat *m)
{
    if (m->a) {
        for (size_t i = 0; i < m->rows * m->cols; i++)
            mpq_clear(m->a[i]);
        free(m->a);
    }
    m->a = NULL;
    m->rows = m->cols = 0;
}

void vf_qmat_set_identity(vf_qmat *dst)
{
    for (size_t i = 0; i < dst->rows; i++)
        for (size_t j = 0; j < dst->cols; j++)
            mpq_set_ui(VF_Q(dst, i, j), i == j, 1);
}

static int same_shape(const vf_qmat *a, const vf_qmat *b)
{
    return a->rows == b->rows && a->cols == b->cols;
}

int vf_qmat_copy(vf_qmat *dst, const vf_qmat *src, vf_err *e)
{
    if (!same_shape(dst, src))
        return vf_fail(e, VF_E_SHAPE, "copy: destination %zux%zu, source %zux%zu", dst->rows,
                       dst->cols, src->rows, src->cols);
    if (dst != src)
        for (size_t i = 0; i < src->rows * src->cols; i++)
            mpq_set(dst->a[i], src->a[i]);
    return VF_OK;
}

int vf_qmat_equal(const vf_qmat *a, const vf_qmat *b)
{
    if (!same_shape(a, b))
        return 0;
    for (size_t i = 0; i < a->rows * a->cols; i++)
        if (!mpq_equal(a->a[i], b->a[i]))
            return 0;
    return 1;
}

int vf_qmat_is_zero(const vf_qmat *a)
{
    for (size_t i = 0; i < a->rows * a->cols; i++)
        if (mpq_sgn(a->a[i]) != 0)
            return 0;
    return 1;
}

static int elementwise(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, int sub, vf_err *e)
{
    const char *op = sub ? "sub" : "add";
    if (!same_shape(a, b))
        return vf_fail(e, VF_E_SHAPE, "%s: a is %zux%zu but b is %zux%zu", op, a->rows, a->cols,
                       b->rows, b->cols);
    if (!same_shape(c, a))
        return vf_fail(e, VF_E_SHAPE, "%s: output is %zux%zu but operands are %zux%zu", op,
                       c->rows, c->cols, a->rows, a->cols);
    for (size_t i = 0; i < a->rows * a->cols; i++) {
        if (sub)
            mpq_sub(c->a[i], a->a[i], b->a[i]);
        else
            mpq_add(c->a[i], a->a[i], b->a[i]);
    }
    return VF_OK;
}

int vf_qmat_add(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    return elementwise(c, a, b, 0, e);
}

int vf_qmat_sub(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    return elementwise(c, a, b, 1, e);
}

#ifdef __FRAMAC__
#include "../specs/sum.acsl"
/*@ // value of entry k of an mpq array, in the current memory state
    logic real qv{L}(mpq_t *a, integer k) = mpq_val(&a[k][0]);
    // entry i of a strided vector at offset o, stride s (a named term: a clean trigger)
    logic integer sidx(integer o, integer s, integer i) = o + i * s;
    // t[i] == a[oa + i*sa] * b[ob + i*sb] for 0 <= i < n: the terms of the strided dot product
    predicate dot_terms{L}(vf_seq t, mpq_t *a, integer oa, integer sa, mpq_t *b, integer ob,
                           integer sb, integer n) =
      \forall integer i; 0 <= i < n ==> vf_at(t, i) == qv(a, oa + i * sa) * qv(b, ob + i * sb);
*/
#endif

/* acc = sum over i < n of a[oa + i*sa] * b[ob + i*sb], exactly, accumulated in order of i;
 * tmp is scratch; acc must be 0 on entry.  Used by vf_qmat_dot (offsets 0, strides 1) and
 * vf_qmat_mul (row i of a: offset i*cols, stride 1; column j of b: offset j, stride cols);
 * offsets instead of row/column pointers, so that no pointer is formed when n == 0.  The
 * contract is proved by WP (unit `ref_dot`) against the finite sum of specs/sum.acsl modulo
 * the GMP model of proofs/stubs/gmp_stubs.h (proofs/TRUST.md); the asserts in the loop are
 * proof hints (instances of the preconditions and of the GMP frame). */
/*@ requires valid_acc: \valid(acc);
    requires valid_tmp: \valid(tmp);
    requires valid_a: \forall integer i; 0 <= i < n ==> \valid_read(&a[sidx(oa, sa, i)][0]);
    requires valid_b: \forall integer i; 0 <= i < n ==> \valid_read(&b[sidx(ob, sb, i)][0]);
    requires no_wrap: \forall integer i; 0 <= i < n ==>
      oa + i * sa <= SIZE_MAX && ob + i * sb <= SIZE_MAX;
    requires sep_acc_tmp: \separated(acc, tmp);
    // a and b (possibly the same array) are other allocations than acc and tmp
    requires sep_a: \base_addr(a) != \base_addr(acc) && \base_addr(a) != \base_addr(tmp);
    requires sep_b: \base_addr(b) != \base_addr(acc) && \base_addr(b) != \base_addr(tmp);
    requires acc_zero: mpq_val(acc) == 0.0;
    assigns *acc, *tmp;
    ensures dot: \forall vf_seq t; \old(dot_terms(t, a, oa, sa, b, ob, sb, n)) ==>
      mpq_val(acc) == sum(t, 0, n);
*/
static void dot_entries(mpq_ptr acc, mpq_ptr tmp, const mpq_t *a, size_t oa, size_t sa,
                        const mpq_t *b, size_t ob, size_t sb, size_t n)
{
    /*@ loop invariant bound: 0 <= i <= n;
        // a and b are never written (other allocations than acc and tmp)
        loop invariant a_kept: \forall integer k; qv(a, k) == \at(qv(a, k), Pre);
        loop invariant b_kept: \forall integer k; qv(b, k) == \at(qv(b, k), Pre);
        loop invariant partial: \forall vf_seq t;
          \at(dot_terms(t, a, oa, sa, b, ob, sb, n), Pre) ==> mpq_val(acc) == sum(t, 0, i);
        loop assigns i, *acc, *tmp;
        loop variant n - i;
    */
    for (size_t i = 0; i < n; i++) {
        //@ assert in_a: \valid_read(&a[sidx(oa, sa, i)][0]);
        //@ assert in_b: \valid_read(&b[sidx(ob, sb, i)][0]);
        mpq_mul(tmp, a[oa + i * sa], b[ob + i * sb]);
        /*@ assert term: \let ka = oa + i * sa; \let kb = ob + i * sb;
              mpq_val(tmp) == \at(qv(a, ka), Pre) * \at(qv(b, kb), Pre); */
        mpq_add(acc, acc, tmp);
        //@ assert step: mpq_val(acc) == \at(mpq_val(acc), LoopCurrent) + mpq_val(tmp);
    }
}

int vf_qmat_mul(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    if (a->cols != b->rows)
        return vf_fail(e, VF_E_SHAPE, "mul: a is %zux%zu but b is %zux%zu", a->rows, a->cols,
                       b->rows, b->cols);
    if (c->rows != a->rows || c->cols != b->cols)
        return vf_fail(e, VF_E_SHAPE, "mul: output is %zux%zu but a*b is %zux%zu", c->rows,
                       c->cols, a->rows, b->cols);
    if ((c == a || c == b) && c->rows * c->cols != 0)
        return vf_fail(e, VF_E_USAGE, "mul: output aliases an input");
    mpq_t t;
    mpq_init(t);
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < b->cols; j++) {
            mpq_ptr s = VF_Q(c, i, j);
            mpq_set_ui(s, 0, 1);
            dot_entries(s, t, a->a, i * a->cols, 1, b->a, j, b->cols, a->cols);
        }
    mpq_clear(t);
    return VF_OK;
}

int vf_qmat_transpose(vf_qmat *t, const vf_qmat *a, vf_err *e)
{
    if (t->rows != a->cols || t->cols != a->rows)
        return vf_fail(e, VF_E_SHAPE, "transpose: output is %zux%zu but a is %zux%zu", t->rows,
                       t->cols, a->rows, a->cols);
    if (t == a && a->rows * a->cols != 0)
        return vf_fail(e, VF_E_USAGE, "transpose: output aliases the input");
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++)
            mpq_set(VF_Q(t, j, i), VF_Q(a, i, j));
    return VF_OK;
}

int vf_qmat_scale(vf_qmat *c, const mpq_t s, const vf_qmat *a, vf_err *e)
{
    if (!same_shape(c, a))
        return vf_fail(e, VF_E_SHAPE, "scale: output is %zux%zu but a is %zux%zu", c->rows,
                       c->cols, a->rows, a->cols);
    for (size_t i = 0; i < a->rows * a->cols; i++)
        mpq_mul(c->a[i], s, a->a[i]);
    return VF_OK;
}

int vf_qmat_dot(mpq_t r, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    if (!same_shape(a, b))
        return vf_fail(e, VF_E_SHAPE, "dot: a is %zux%zu but b is %zux%zu", a->rows, a->cols,
                       b->rows, b->cols);
    mpq_t s, t;
    mpq_inits(s, t, NULL);
    dot_entries(s, t, a->a, 0, 1, b->a, 0, 1, a->rows * a->cols);
    mpq_set(r, s);
    mpq_clears(s, t, NULL);
    return VF_OK;
}

/* ---------------------------------------------------------------- integer matrices, Bareiss */

typedef struct zmat {
    size_t rows, cols;
    mpz_t *z;
} zmat;

#define ZM(m, i, j) ((m)->z[(size_t)(i) * (m)->cols + (size_t)(j)])

static int zmat_init(zmat *m, size_t rows, size_t cols, vf_err *e)
{
    m->rows = m->cols = 0;
    m->z = NULL;
    if (cols != 0 && rows > SIZE_MAX / cols)
        return vf_fail(e, VF_E_NOMEM, "matrix %zux%zu is too large", rows, cols);
    mpz_t *z = vf_calloc(rows * cols, sizeof *z, e);
    if (!z)
        return VF_E_NOMEM;
    for (size_t i = 0; i < rows * cols; i++)
        mpz_init(z[i]);
    m->rows = rows;
    m->cols = cols;
    m->z = z;
    return VF_OK;
}

static void zmat_clear(zmat *m)
{
    if (m->z) {
        for (size_t i = 0; i < m->rows * m->cols; i++)
            mpz_clear(m->z[i]);
        free(m->z);
    }
    m->z = NULL;
    m->rows = m->cols = 0;
}

/* m (a->rows x (a->cols + b->cols)) = row-wise [a | b], each row multiplied by the lcm of its
 * denominators so that it is integral (b may be NULL).  Scaling a row by a positive factor
 * changes neither the rank nor the solution set; det is corrected by *prod, the product of the
 * factors (prod may be NULL). */
static void load_rows(zmat *m, const vf_qmat *a, const vf_qmat *b, mpz_t prod)
{
    mpz_t l, t;
    mpz_inits(l, t, NULL);
    if (prod)
        mpz_set_ui(prod, 1);
    for (size_t i = 0; i < a->rows; i++) {
        mpz_set_ui(l, 1);
        for (size_t j = 0; j < a->cols; j++)
            mpz_lcm(l, l, mpq_denref(VF_Q(a, i, j)));
        for (size_t j = 0; b && j < b->cols; j++)
            mpz_lcm(l, l, mpq_denref(VF_Q(b, i, j)));
        for (size_t j = 0; j < m->cols; j++) {
            mpq_srcptr q = j < a->cols ? VF_Q(a, i, j) : VF_Q(b, i, j - a->cols);
            mpz_divexact(t, l, mpq_denref(q));
            mpz_mul(ZM(m, i, j), t, mpq_numref(q));
        }
        if (prod)
            mpz_mul(prod, prod, l);
    }
    mpz_clears(l, t, NULL);
}

/* One Bareiss step with pivot (r, c): for rows i > r and columns j > c,
 *   m[i][j] = (m[r][c] m[i][j] - m[i][c] m[r][j]) / prev,
 * prev being the previous pivot (1 at the first step).  By Sylvester's identity the result is a
 * minor of the original matrix, so the division is exact.  Column c below the pivot is left
 * alone: it holds the fraction-free L factor (used by LDL^T) and is never read otherwise. */
static void bareiss_step(zmat *m, size_t r, size_t c, const mpz_t prev, mpz_t t)
{
    mpz_srcptr p = ZM(m, r, c);
    int unit = mpz_cmp_ui(prev, 1) == 0;
    for (size_t i = r + 1; i < m->rows; i++) {
        mpz_srcptr f = ZM(m, i, c);
        for (size_t j = c + 1; j < m->cols; j++) {
            mpz_mul(t, p, ZM(m, i, j));
            mpz_submul(t, f, ZM(m, r, j));
            if (unit)
                mpz_swap(ZM(m, i, j), t);
            else
                mpz_divexact(ZM(m, i, j), t, prev);
        }
    }
}

/* Row-echelon form by Bareiss with row pivoting (first nonzero entry at or below row r),
 * pivoting only in columns < pcols; a column without a pivot is skipped.  Returns the rank
 * (number of pivots), fills piv[0..rank) with the pivot columns (piv may be NULL) and *sign with
 * the sign of the row permutation.  When rank == rows == pcols, m[n-1][n-1] is the determinant
 * of the row-permuted leading n x n block. */
static size_t echelon(zmat *m, size_t pcols, size_t *piv, int *sign)
{
    mpz_t prev, t;
    mpz_init_set_ui(prev, 1);
    mpz_init(t);
    size_t r = 0;
    int s = 1;
    for (size_t c = 0; c < pcols && r < m->rows; c++) {
        size_t p = r;
        while (p < m->rows && mpz_sgn(ZM(m, p, c)) == 0)
            p++;
        if (p == m->rows)
            continue;
        if (p != r) {
            for (size_t j = 0; j < m->cols; j++)
                mpz_swap(ZM(m, p, j), ZM(m, r, j));
            s = -s;
        }
        bareiss_step(m, r, c, prev, t);
        mpz_set(prev, ZM(m, r, c));
        if (piv)
            piv[r] = c;
        r++;
    }
    mpz_clears(prev, t, NULL);
    if (sign)
        *sign = s;
    return r;
}

/* ---------------------------------------------------------------- det, rank, solve */

int vf_q_det(mpq_t det, const vf_qmat *a, vf_err *e)
{
    if (a->rows != a->cols)
        return vf_fail(e, VF_E_SHAPE, "det: matrix %zux%zu is not square", a->rows, a->cols);
    size_t n = a->rows;
    if (n == 0) {
        mpq_set_ui(det, 1, 1);
        return VF_OK;
    }
    zmat m;
    int rc = zmat_init(&m, n, n, e);
    if (rc)
        return rc;
    mpz_t prod;
    mpz_init(prod);
    load_rows(&m, a, NULL, prod);
    int sign;
    if (echelon(&m, n, NULL, &sign) < n) {
        mpq_set_ui(det, 0, 1);
    } else {
        /* det(diag(l) a) = prod(l) det(a), and the swaps contributed sign. */
        mpz_set(mpq_numref(det), ZM(&m, n - 1, n - 1));
        if (sign < 0)
            mpz_neg(mpq_numref(det), mpq_numref(det));
        mpz_set(mpq_denref(det), prod);
        mpq_canonicalize(det);
    }
    mpz_clear(prod);
    zmat_clear(&m);
    return VF_OK;
}

static int echelon_pivots(size_t *cols, size_t *rank, const vf_qmat *a, vf_err *e)
{
    zmat m;
    int rc = zmat_init(&m, a->rows, a->cols, e);
    if (rc)
        return rc;
    load_rows(&m, a, NULL, NULL);
    *rank = echelon(&m, a->cols, cols, NULL);
    zmat_clear(&m);
    return VF_OK;
}

int vf_q_rank(size_t *rank, const vf_qmat *a, vf_err *e)
{
    return echelon_pivots(NULL, rank, a, e);
}

int vf_q_independent_cols(size_t *cols, size_t *rank, const vf_qmat *a, vf_err *e)
{
    return echelon_pivots(cols, rank, a, e);
}

/* x = a^{-1} b.  After elimination of [a | b] the system is U x = c with U upper triangular
 * (integers) and D = U[n-1][n-1] = det of the scaled, permuted a.  By Cramer's rule y = D x is
 * an integer matrix, so back substitution U y = D c divides exactly at every step; x = y / D is
 * formed in mpq only at the end. */
static int solve_impl(vf_qmat *x, const vf_qmat *a, const vf_qmat *b, const char *what,
                      vf_err *e)
{
    size_t n = a->rows, k = b->cols;
    zmat m, y;
    int rc = zmat_init(&m, n, n + k, e);
    if (rc)
        return rc;
    if ((rc = zmat_init(&y, n, k, e))) {
        zmat_clear(&m);
        return rc;
    }
    load_rows(&m, a, b, NULL);
    size_t r = echelon(&m, n, NULL, NULL);
    if (r < n) {
        rc = vf_fail(e, VF_E_DOMAIN, "%s: singular %zux%zu matrix: rank %zu", what, n, n, r);
        goto out;
    }
    if (n == 0)
        goto out; /* x is 0 x k: nothing to write */
    mpz_t t;
    mpz_init(t);
    mpz_srcptr d = ZM(&m, n - 1, n - 1);
    for (size_t q = 0; q < k; q++)
        for (size_t i = n; i-- > 0;) {
            mpz_mul(t, d, ZM(&m, i, n + q));
            for (size_t j = i + 1; j < n; j++)
                mpz_submul(t, ZM(&m, i, j), ZM(&y, j, q));
            mpz_divexact(ZM(&y, i, q), t, ZM(&m, i, i));
        }
    for (size_t i = 0; i < n; i++)
        for (size_t q = 0; q < k; q++) {
            mpq_ptr xi = VF_Q(x, i, q);
            mpz_set(mpq_numref(xi), ZM(&y, i, q));
            mpz_set(mpq_denref(xi), d);
            mpq_canonicalize(xi); /* also makes the denominator positive */
        }
    mpz_clear(t);
out:
    zmat_clear(&y);
    zmat_clear(&m);
    return rc;
}

int vf_q_solve(vf_qmat *x, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    if (a->rows != a->cols)
        return vf_fail(e, VF_E_SHAPE, "solve: a is %zux%zu, not square", a->rows, a->cols);
    if (b->rows != a->rows)
        return vf_fail(e, VF_E_SHAPE, "solve: a is %zux%zu but b is %zux%zu", a->rows, a->cols,
                       b->rows, b->cols);
    if (x->rows != a->cols || x->cols != b->cols)
        return vf_fail(e, VF_E_SHAPE, "solve: x is %zux%zu but must be %zux%zu", x->rows,
                       x->cols, a->cols, b->cols);
    /* Inputs are read into mpz before x is written, so aliasing x with a or b is harmless. */
    return solve_impl(x, a, b, "solve", e);
}

int vf_q_inverse(vf_qmat *inv, const vf_qmat *a, vf_err *e)
{
    if (a->rows != a->cols)
        return vf_fail(e, VF_E_SHAPE, "inverse: a is %zux%zu, not square", a->rows, a->cols);
    if (!same_shape(inv, a))
        return vf_fail(e, VF_E_SHAPE, "inverse: output is %zux%zu but a is %zux%zu", inv->rows,
                       inv->cols, a->rows, a->cols);
    vf_qmat id;
    int rc = vf_qmat_init(&id, a->rows, a->rows, e);
    if (rc)
        return rc;
    vf_qmat_set_identity(&id);
    rc = solve_impl(inv, a, &id, "inverse", e);
    vf_qmat_clear(&id);
    return rc;
}

/* ---------------------------------------------------------------- LDL^T */

/* a is scaled by the lcm L of all its denominators (one factor keeps M = L a symmetric), then
 * Bareiss runs without pivoting.  Its k-th pivot is the leading principal minor
 * Delta_{k+1} of M, so by Sylvester's criterion a is positive definite iff every pivot is > 0;
 * then d_k = Delta_{k+1} / (Delta_k L) and u[i][k] = M^{(k)}[i][k] / Delta_{k+1} (the
 * fraction-free LU factors, Bareiss 1968), with a = u diag(d) u^T. */
int vf_q_ldlt(vf_qmat *u, vf_qmat *d, const vf_qmat *a, vf_err *e)
{
    size_t n = a->rows;
    if (a->cols != n)
        return vf_fail(e, VF_E_SHAPE, "ldlt: a is %zux%zu, not square", a->rows, a->cols);
    if (u->rows != n || u->cols != n || d->rows != n || d->cols != 1)
        return vf_fail(e, VF_E_SHAPE, "ldlt: u is %zux%zu and d is %zux%zu but a is %zux%zu",
                       u->rows, u->cols, d->rows, d->cols, n, n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (!mpq_equal(VF_Q(a, i, j), VF_Q(a, j, i)))
                return vf_fail(e, VF_E_DOMAIN, "matrix is not symmetric: a[%zu][%zu] != a[%zu][%zu]",
                               i, j, j, i);
    zmat m;
    int rc = zmat_init(&m, n, n, e);
    if (rc)
        return rc;
    mpz_t l, t, prev;
    mpz_inits(l, t, NULL);
    mpz_init_set_ui(prev, 1);
    mpz_set_ui(l, 1);
    for (size_t i = 0; i < n * n; i++)
        mpz_lcm(l, l, mpq_denref(a->a[i]));
    for (size_t i = 0; i < n * n; i++) {
        mpz_divexact(t, l, mpq_denref(a->a[i]));
        mpz_mul(m.z[i], t, mpq_numref(a->a[i]));
    }
    for (size_t k = 0; k < n; k++) {
        mpz_srcptr p = ZM(&m, k, k);
        if (mpz_sgn(p) <= 0) {
            rc = vf_fail(e, VF_E_DOMAIN, "not positive definite: pivot %zu is <= 0", k);
            break;
        }
        mpq_ptr dk = VF_Q(d, k, 0);
        mpz_set(mpq_numref(dk), p);
        mpz_mul(mpq_denref(dk), prev, l);
        mpq_canonicalize(dk);
        for (size_t i = 0; i < n; i++) {
            mpq_ptr uik = VF_Q(u, i, k);
            if (i < k) {
                mpq_set_ui(uik, 0, 1);
            } else if (i == k) {
                mpq_set_ui(uik, 1, 1);
            } else {
                mpz_set(mpq_numref(uik), ZM(&m, i, k));
                mpz_set(mpq_denref(uik), p);
                mpq_canonicalize(uik);
            }
        }
        bareiss_step(&m, k, k, prev, t);
        mpz_set(prev, p);
    }
    mpz_clears(l, t, prev, NULL);
    zmat_clear(&m);
    return rc;
}

/* ---------------------------------------------------------------- conversions */

int vf_q_set_f64(mpq_t r, double x, vf_err *e)
{
    if (isnan(x))
        return vf_fail(e, VF_E_DOMAIN, "NaN is not a rational");
    if (isinf(x))
        return vf_fail(e, VF_E_DOMAIN, "%sinfinity is not a rational", x < 0 ? "-" : "+");
    mpq_set_d(r, x); /* exact: a finite double is m 2^k */
    return VF_OK;
}

int vf_q_set_f32(mpq_t r, float x, vf_err *e)
{
    return vf_q_set_f64(r, (double)x, e); /* float -> double is exact */
}

static int from_doubles(vf_qmat *m, const float *xf, const double *xd, vf_err *e)
{
    vf_err inner;
    for (size_t i = 0; i < m->rows * m->cols; i++) {
        double v = xf ? (double)xf[i] : xd[i];
        int rc = vf_q_set_f64(m->a[i], v, &inner);
        if (rc)
            return vf_fail(e, (vf_code)rc, "entry (%zu, %zu): %s", i / m->cols, i % m->cols,
                           inner.msg);
    }
    return VF_OK;
}

int vf_qmat_from_f32(vf_qmat *m, const float *x, vf_err *e)
{
    return from_doubles(m, x, NULL, e);
}

int vf_qmat_from_f64(vf_qmat *m, const double *x, vf_err *e)
{
    return from_doubles(m, NULL, x, e);
}

/* Decimal exponents beyond this are refused: 10^100000 already has 332,193 bits, far past any
 * float64 (whose decimal expansions need |exponent| <= 1074 + 767 digits). */
#define VF_Q_EXP10_MAX 100000L

static const char digits[] = "0123456789";

/* z = the decimal number written by the digits s1[0..n1) followed by s2[0..n2). */
static int set_digits(mpz_t z, const char *s1, size_t n1, const char *s2, size_t n2, vf_err *e)
{
    char *buf = vf_calloc(n1 + n2 + 1, 1, e);
    if (!buf)
        return VF_E_NOMEM;
    memcpy(buf, s1, n1);
    if (n2)
        memcpy(buf + n1, s2, n2);
    mpz_set_str(z, buf, 10); /* cannot fail: nonempty, digits only */
    free(buf);
    return VF_OK;
}

static int bad_text(const char *text, const char *why, vf_err *e)
{
    return vf_fail(e, VF_E_FORMAT, "not a rational: \"%.100s\"%s (%s)", text,
                   strlen(text) > 100 ? "..." : "", why);
}

/* Grammar: [+-] digits "/" digits  |  [+-] (digits ["." [digits]] | "." digits) [(e|E) [+-]
 * digits].  No spaces, no "inf"/"nan", no sign after "/". */
int vf_q_set_str(mpq_t r, const char *text, vf_err *e)
{
    if (!text)
        return vf_fail(e, VF_E_FORMAT, "not a rational: (null)");
    const char *s = text;
    int neg = *s == '-';
    if (*s == '+' || *s == '-')
        s++;
    const char *ip = s;
    size_t ni = strspn(s, digits);
    s += ni;
    mpq_t v;
    mpq_init(v);
    int rc = VF_OK;
    if (*s == '/') {
        const char *dp = s + 1;
        size_t nd = strspn(dp, digits);
        if (ni == 0 || nd == 0 || dp[nd] != '\0') {
            rc = bad_text(text, "expected integer/integer", e);
            goto out;
        }
        if ((rc = set_digits(mpq_numref(v), ip, ni, NULL, 0, e)) ||
            (rc = set_digits(mpq_denref(v), dp, nd, NULL, 0, e)))
            goto out;
        if (mpz_sgn(mpq_denref(v)) == 0) {
            rc = bad_text(text, "zero denominator", e);
            goto out;
        }
    } else {
        const char *fp = s;
        size_t nf = 0;
        if (*s == '.') {
            fp = s + 1;
            nf = strspn(fp, digits);
            s = fp + nf;
        }
        if (ni + nf == 0) {
            rc = bad_text(text, "no digits", e);
            goto out;
        }
        long ex = 0;
        if (*s == 'e' || *s == 'E') {
            s++;
            int eneg = *s == '-';
            if (*s == '+' || *s == '-')
                s++;
            size_t ne = strspn(s, digits);
            if (ne == 0) {
                rc = bad_text(text, "exponent without digits", e);
                goto out;
            }
            for (size_t i = 0; i < ne; i++) {
                ex = ex * 10 + (s[i] - '0');
                if (ex > VF_Q_EXP10_MAX) {
                    rc = bad_text(text, "exponent out of range", e);
                    goto out;
                }
            }
            s += ne;
            if (eneg)
                ex = -ex;
        }
        if (*s != '\0') {
            rc = bad_text(text, "trailing characters", e);
            goto out;
        }
        if ((rc = set_digits(mpq_numref(v), ip, ni, fp, nf, e)))
            goto out;
        /* value = digits * 10^(ex - nf); nf <= strlen(text), so this cannot overflow a long
         * in any realistic input, and is bounded by the exponent cap plus the text length. */
        long p10 = ex - (long)nf;
        mpz_t t;
        mpz_init(t);
        mpz_ui_pow_ui(t, 10, (unsigned long)(p10 < 0 ? -p10 : p10));
        if (p10 >= 0)
            mpz_mul(mpq_numref(v), mpq_numref(v), t);
        else
            mpz_set(mpq_denref(v), t);
        mpz_clear(t);
    }
    mpq_canonicalize(v);
    if (neg)
        mpq_neg(v, v);
    mpq_set(r, v);
out:
    mpq_clear(v);
    return rc;
}

char *vf_q_str(const mpq_t q)
{
    /* sizeinbase may overshoot by one per part; +3 holds '-', '/' and the NUL. */
    size_t n = mpz_sizeinbase(mpq_numref(q), 10) + mpz_sizeinbase(mpq_denref(q), 10) + 3;
    char *s = malloc(n);
    if (s)
        mpq_get_str(s, 10, q);
    return s;
}

char *vf_qmat_str(const vf_qmat *m, size_t max_chars)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    int column = m->cols == 1;
    fputc(column ? '(' : '[', f);
    for (size_t i = 0; i < m->rows; i++) {
        if (!column)
            fputs(i ? ", [" : "[", f);
        for (size_t j = 0; j < m->cols; j++) {
            char *s = vf_q_str(VF_Q(m, i, j));
            fprintf(f, "%s%s", (column ? i : j) ? ", " : "", s ? s : "?");
            free(s);
        }
        if (!column)
            fputc(']', f);
        if (max_chars && (size_t)ftell(f) > max_chars && i + 1 < m->rows) {
            fputs(", ...", f);
            break;
        }
    }
    fputc(column ? ')' : ']', f);
    fclose(f);
    return buf;
}
