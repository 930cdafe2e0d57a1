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

/*@ requires valid: \valid_read(a) && \valid_read(b);
    assigns \nothing;
    ensures same: \result != 0 <==> (a->rows == b->rows && a->cols == b->cols);
*/
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
    // the same value in the matrix vocabulary: row r of A times column s of B
    ensures dot_mat: \forall vf_mat A, B, integer r, s;
      \old(row_col(A, r, a, oa, sa, B, s, b, ob, sb, n)) ==> mpq_val(acc) == mat_mul(A, B, r, s, n);
    // every other mpq object keeps its value (callers rely on it: vf_qmat_mul's other entries)
    ensures frame: \forall mpq_srcptr p; \separated(p, acc) && \separated(p, tmp) ==>
      mpq_val(p) == \old(mpq_val(p));
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
        loop invariant partial_mat: \forall vf_mat A, B, integer r, s;
          \at(row_col(A, r, a, oa, sa, B, s, b, ob, sb, n), Pre) ==>
          mpq_val(acc) == mat_mul(A, B, r, s, i);
        loop invariant frame: \forall mpq_srcptr p; \separated(p, acc) && \separated(p, tmp) ==>
          mpq_val(p) == \at(mpq_val(p), Pre);
        loop assigns i, *acc, *tmp;
        loop variant n - i;
    */
    for (size_t i = 0; i < n; i++) {
        //@ assert in_a: \valid_read(&a[sidx(oa, sa, i)][0]);
        //@ assert in_b: \valid_read(&b[sidx(ob, sb, i)][0]);
        //@ assert in_range: oa + i * sa <= SIZE_MAX && ob + i * sb <= SIZE_MAX;
        mpq_mul(tmp, a[oa + i * sa], b[ob + i * sb]);
        /*@ assert term: \let ka = oa + i * sa; \let kb = ob + i * sb;
              mpq_val(tmp) == \at(qv(a, ka), Pre) * \at(qv(b, kb), Pre); */
        mpq_add(acc, acc, tmp);
        //@ assert step: mpq_val(acc) == \at(mpq_val(acc), LoopCurrent) + mpq_val(tmp);
    }
}

#ifdef __FRAMAC__
/* Lemma (ghost, no code): row i < ar of a row-major matrix ends within the first ar rows.
 * Nonlinear (monotonicity of the product); proved alone, so that the provers see it in a
 * small context, and used in mul_entries and transpose_entries by ghost calls. */
/*@ ghost
  /@ requires 0 <= i < ar;
     assigns \nothing;
     ensures row_end: i * bc + bc <= ar * bc;
  @/
  void lemma_row_end(size_t i, size_t ar, size_t bc) { }
*/
/* Lemma (ghost): every row of a rows x cols matrix ends within its rows*cols entries, for all
 * rows at once, one lemma_row_end instance per row (used by vf_qmat_scale, whose flat-index
 * result then reads as entries (i, j), and by lemma_rows_fit). */
/*@ ghost
  /@ assigns \nothing;
     ensures rows_end: \forall integer k; 0 <= k < rows ==> k * cols + cols <= rows * cols;
  @/
  void lemma_rows_end(size_t rows, size_t cols)
  {
    /@ loop invariant bound: 0 <= k <= rows;
       loop invariant done: \forall integer j; 0 <= j < k ==> j * cols + cols <= rows * cols;
       loop assigns k;
       loop variant rows - k;
    @/
    for (size_t k = 0; k < rows; k++)
      lemma_row_end(k, rows, cols);
  }
*/
/* Lemma (ghost): every row of a rows x cols matrix whose size fits in size_t ends within
 * size_t, for all rows at once (the quantified form of mul_entries' no_wrap preconditions;
 * used by mul_entries, whose callers then only need ac * bc <= SIZE_MAX, which holds for an
 * allocated b). */
/*@ ghost
  /@ requires fits: rows * cols <= SIZE_MAX;
     assigns \nothing;
     ensures rows_fit: \forall integer k; 0 <= k < rows ==> k * cols + cols <= SIZE_MAX;
  @/
  void lemma_rows_fit(size_t rows, size_t cols)
  {
    lemma_rows_end(rows, cols);
  }
*/
#endif

/* c = a b for row-major arrays a (ar x ac), b (ac x bc), c (ar x bc): entry (i, j) is the
 * dot_entries sum of row i of a and column j of b; t is scratch.  The loop nest of
 * vf_qmat_mul, moved here unchanged (same calls, same order), so that it has no error path
 * and no allocation.  Proved by WP (unit `ref_qmat`) modulo the GMP model and the contract of
 * dot_entries (proved in unit `ref_dot`); a and b may be the same array, c must be another
 * one (vf_qmat_mul refuses c == a, c == b).  The no_wrap preconditions follow from
 * ar*ac, ar*bc <= SIZE_MAX (the arrays exist); they are stated per index so that no
 * nonlinear reasoning is needed to use them; b's is ac*bc <= SIZE_MAX, turned into the per-row
 * form by lemma_rows_fit (stated per index, the provers took up to 9 s on the call). */
/*@ requires valid_t: \valid(t);
    requires valid_c: \forall integer i, j; 0 <= i < ar && 0 <= j < bc ==>
      \valid(&c[midx(i, bc, j)][0]);
    requires valid_a: \forall integer i, k; 0 <= i < ar && 0 <= k < ac ==>
      \valid_read(&a[midx(i, ac, k)][0]);
    requires valid_b: \forall integer k, j; 0 <= k < ac && 0 <= j < bc ==>
      \valid_read(&b[midx(k, bc, j)][0]);
    requires no_wrap_rows: \forall integer i; 0 <= i < ar ==>
      midx(i, ac, ac) <= SIZE_MAX && midx(i, bc, bc) <= SIZE_MAX;
    requires fits_b: ac * bc <= SIZE_MAX;
    // c, t, a/b: three different allocations (a and b may be the same one)
    requires sep_c_t: \base_addr(c) != \base_addr(t);
    requires sep_a: \base_addr(a) != \base_addr(c) && \base_addr(a) != \base_addr(t);
    requires sep_b: \base_addr(b) != \base_addr(c) && \base_addr(b) != \base_addr(t);
    assigns *t, c[0 .. ar * bc - 1][0];
    // entry (i, j) of c is the exact sum of the products a[i][k] b[k][j], k < ac, in the
    // matrix vocabulary of specs/attention.acsl: for every A, B holding a, b at entry, c holds
    // the product A B
    ensures product: \forall vf_mat A, B;
      \old(mat_of(A, a, ar, ac)) && \old(mat_of(B, b, ac, bc)) ==>
      \forall integer i, j; 0 <= i < ar && 0 <= j < bc ==>
        qv(c, midx(i, bc, j)) == mat_mul(A, B, i, j, ac);
    // ... and in the vocabulary of specs/sum.acsl, entrywise (as dot_entries states it)
    ensures product_sum: \forall integer i, j; 0 <= i < ar && 0 <= j < bc ==>
      \forall vf_seq s; \old(dot_terms(s, a, i * ac, 1, b, j, bc, ac)) ==>
        qv(c, midx(i, bc, j)) == sum(s, 0, ac);
    ensures a_kept: \forall integer k; qv(a, k) == \old(qv(a, k));
    ensures b_kept: \forall integer k; qv(b, k) == \old(qv(b, k));
    // every rational outside c and t keeps its value
    ensures frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(c) && \separated(p, t) ==>
      mpq_val(p) == \old(mpq_val(p));
*/
static void mul_entries(mpq_t *c, mpq_ptr t, const mpq_t *a, size_t ar, size_t ac,
                        const mpq_t *b, size_t bc)
{
    /* every row of b ends within size_t (the column walks of dot_entries) */
    //@ ghost lemma_rows_fit(ac, bc);
    /*@ loop invariant bound_i: 0 <= i <= ar;
        loop invariant a_kept: \forall integer k; qv(a, k) == \at(qv(a, k), Pre);
        loop invariant b_kept: \forall integer k; qv(b, k) == \at(qv(b, k), Pre);
        loop invariant frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(c) &&
          \separated(p, t) ==> mpq_val(p) == \at(mpq_val(p), Pre);
        // rows before i end before row i (by induction on i: no monotonicity of products)
        loop invariant rows_before: \forall integer r, s; 0 <= r < i && 0 <= s < bc ==>
          midx(r, bc, s) < i * bc;
        loop invariant done: \forall vf_mat A, B;
          \at(mat_of(A, a, ar, ac), Pre) && \at(mat_of(B, b, ac, bc), Pre) ==>
          \forall integer r, s; 0 <= r < i && 0 <= s < bc ==>
            qv(c, midx(r, bc, s)) == mat_mul(A, B, r, s, ac);
        loop invariant done_sum: \forall integer r, s; 0 <= r < i && 0 <= s < bc ==>
          \forall vf_seq u; \at(dot_terms(u, a, r * ac, 1, b, s, bc, ac), Pre) ==>
            qv(c, midx(r, bc, s)) == sum(u, 0, ac);
        loop assigns i, *t, c[0 .. ar * bc - 1][0];
        loop variant ar - i;
    */
    for (size_t i = 0; i < ar; i++)
        /*@ loop invariant bound_j: 0 <= j <= bc;
            loop invariant a_kept: \forall integer k; qv(a, k) == \at(qv(a, k), Pre);
            loop invariant b_kept: \forall integer k; qv(b, k) == \at(qv(b, k), Pre);
            loop invariant frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(c) &&
              \separated(p, t) ==> mpq_val(p) == \at(mpq_val(p), Pre);
            loop invariant done: \forall vf_mat A, B;
              \at(mat_of(A, a, ar, ac), Pre) && \at(mat_of(B, b, ac, bc), Pre) ==>
              \forall integer r, s; (0 <= r < i && 0 <= s < bc) || (r == i && 0 <= s < j) ==>
                qv(c, midx(r, bc, s)) == mat_mul(A, B, r, s, ac);
            loop invariant done_sum: \forall integer r, s; 0 <= r < i && 0 <= s < bc ==>
              \forall vf_seq u; \at(dot_terms(u, a, r * ac, 1, b, s, bc, ac), Pre) ==>
                qv(c, midx(r, bc, s)) == sum(u, 0, ac);
            loop invariant done_sum_row: \forall integer s; 0 <= s < j ==>
              \forall vf_seq u; dot_terms{Pre}(u, a, i * ac, 1, b, s, bc, ac) ==>
                qv(c, midx(i, bc, s)) == sum(u, 0, ac);
            loop assigns j, *t, c[0 .. ar * bc - 1][0];
            loop variant bc - j;
        */
        for (size_t j = 0; j < bc; j++) {
            // proof hints: instances of the preconditions at (i, j), the product bound from
            // the lemma below, and the entries already done lie before entry (i, j)
            //@ assert in_c: \valid(&c[midx(i, bc, j)][0]);
            //@ assert wrap_midx: midx(i, ac, ac) <= SIZE_MAX && midx(i, bc, bc) <= SIZE_MAX;
            //@ assert wrap: i * ac + ac <= SIZE_MAX && i * bc + bc <= SIZE_MAX;
            //@ ghost lemma_row_end(i, ar, bc);
            /*@ assert before: \forall integer r, s;
                  (0 <= r < i && 0 <= s < bc) || (r == i && 0 <= s < j) ==>
                  midx(r, bc, s) < i * bc + j; */
            mpq_ptr s = c[i * bc + j];
            mpq_set_ui(s, 0, 1);
            /*@ assert args: \forall vf_mat A, B;
                  \at(mat_of(A, a, ar, ac), Pre) && \at(mat_of(B, b, ac, bc), Pre) ==>
                  row_col(A, i, a, i * ac, 1, B, j, b, j, bc, ac); */
            /*@ assert args_sum: \forall vf_seq u;
                  dot_terms{Pre}(u, a, i * ac, 1, b, j, bc, ac) ==>
                  dot_terms(u, a, i * ac, 1, b, j, bc, ac); */
            //@ assert in_a: \forall integer k; 0 <= k < ac ==> \valid_read(&a[midx(i, ac, k)][0]);
            //@ assert in_b: \forall integer k; 0 <= k < ac ==> \valid_read(&b[midx(k, bc, j)][0]);
            /*@ assert strides: \forall integer k; sidx(i * ac, 1, k) == midx(i, ac, k) &&
                  sidx(j, bc, k) == midx(k, bc, j); */
            dot_entries(s, t, a, i * ac, 1, b, j, bc, ac);
            /*@ assert new_mat: \forall vf_mat A, B;
                  \at(mat_of(A, a, ar, ac), Pre) && \at(mat_of(B, b, ac, bc), Pre) ==>
                  qv(c, midx(i, bc, j)) == mat_mul(A, B, i, j, ac); */
            /*@ assert new_sum: \forall vf_seq u;
                  dot_terms{Pre}(u, a, i * ac, 1, b, j, bc, ac) ==>
                  qv(c, midx(i, bc, j)) == sum(u, 0, ac); */
            /*@ assert kept: \forall integer r, s;
                  (0 <= r < i && 0 <= s < bc) || (r == i && 0 <= s < j) ==>
                  qv(c, midx(r, bc, s)) == \at(qv(c, midx(r, bc, s)), LoopCurrent); */
        }
}

/* t = a^T for row-major arrays a (ar x ac), t (ac x ar): t[j][i] = a[i][j] (mpq_set copies).
 * The loop nest of vf_qmat_transpose, with the loops interchanged so that t is written in
 * its own row order (the same ar*ac independent copies, so the same result; the order lets
 * the proof show that earlier writes are untouched with the inductive `rows_before`, as in
 * mul_entries, instead of a nonlinear uniqueness-of-division fact, which Z3 proved only
 * intermittently: measured).  Proved by WP (unit `ref_qmat`) modulo the GMP model.  t must be
 * another array than a (vf_qmat_transpose refuses t == a). */
/*@ requires valid_t: \forall integer i, j; 0 <= i < ar && 0 <= j < ac ==>
      \valid(&t[midx(j, ar, i)][0]);
    requires valid_a: \forall integer i, j; 0 <= i < ar && 0 <= j < ac ==>
      \valid_read(&a[midx(i, ac, j)][0]);
    requires no_wrap_rows: \forall integer i; 0 <= i < ar ==> midx(i, ac, ac) <= SIZE_MAX;
    requires no_wrap_cols: \forall integer j; 0 <= j < ac ==> midx(j, ar, ar) <= SIZE_MAX;
    requires sep: \base_addr(t) != \base_addr(a);
    assigns t[0 .. ac * ar - 1][0];
    ensures transposed: \forall integer i, j; 0 <= i < ar && 0 <= j < ac ==>
      qv(t, midx(j, ar, i)) == \old(qv(a, midx(i, ac, j)));
    // in the matrix vocabulary: t holds A^T whenever a holds A
    ensures transposed_mat: \forall vf_mat A, AT;
      \old(mat_of(A, a, ar, ac)) &&
      (\forall integer i, j; 0 <= i < ar && 0 <= j < ac ==> vf_mat_at(AT, j, i) == vf_mat_at(A, i, j)) ==>
      mat_of(AT, t, ac, ar);
    ensures a_kept: \forall integer k; qv(a, k) == \old(qv(a, k));
    // every rational outside t keeps its value
    ensures frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(t) ==>
      mpq_val(p) == \old(mpq_val(p));
*/
static void transpose_entries(mpq_t *t, const mpq_t *a, size_t ar, size_t ac)
{
    /*@ loop invariant bound_j: 0 <= j <= ac;
        loop invariant a_kept: \forall integer k; qv(a, k) == \at(qv(a, k), Pre);
        loop invariant frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(t) ==>
          mpq_val(p) == \at(mpq_val(p), Pre);
        // rows of t before j end before row j (by induction on j)
        loop invariant rows_before: \forall integer r, s; 0 <= r < j && 0 <= s < ar ==>
          midx(r, ar, s) < j * ar;
        loop invariant done: \forall integer r, s; 0 <= r < j && 0 <= s < ar ==>
          qv(t, midx(r, ar, s)) == \at(qv(a, midx(s, ac, r)), Pre);
        loop assigns j, t[0 .. ac * ar - 1][0];
        loop variant ac - j;
    */
    for (size_t j = 0; j < ac; j++)
        /*@ loop invariant bound_i: 0 <= i <= ar;
            loop invariant a_kept: \forall integer k; qv(a, k) == \at(qv(a, k), Pre);
            loop invariant frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(t) ==>
              mpq_val(p) == \at(mpq_val(p), Pre);
            loop invariant done: \forall integer r, s; 0 <= r < j && 0 <= s < ar ==>
              qv(t, midx(r, ar, s)) == \at(qv(a, midx(s, ac, r)), Pre);
            loop invariant done_row: \forall integer s; 0 <= s < i ==>
              qv(t, midx(j, ar, s)) == qv{Pre}(a, midx(s, ac, j));
            loop assigns i, t[0 .. ac * ar - 1][0];
            loop variant ar - i;
        */
        for (size_t i = 0; i < ar; i++) {
            // proof hints: instances of the preconditions, the product bound of the lemma,
            // and the entries already written lie before entry (j, i) of t
            //@ assert in_t: \valid(&t[midx(j, ar, i)][0]);
            //@ assert in_a: \valid_read(&a[midx(i, ac, j)][0]);
            //@ assert wrap_midx: midx(i, ac, ac) <= SIZE_MAX && midx(j, ar, ar) <= SIZE_MAX;
            //@ assert wrap: i * ac + ac <= SIZE_MAX && j * ar + ar <= SIZE_MAX;
            //@ ghost lemma_row_end(j, ac, ar);
            /*@ assert before: \forall integer r, s;
                  (0 <= r < j && 0 <= s < ar) || (r == j && 0 <= s < i) ==>
                  midx(r, ar, s) < j * ar + i; */
            mpq_set(t[j * ar + i], a[i * ac + j]);
            //@ assert new: qv(t, midx(j, ar, i)) == qv{Pre}(a, midx(i, ac, j));
            /*@ assert kept: \forall integer r, s;
                  (0 <= r < j && 0 <= s < ar) || (r == j && 0 <= s < i) ==>
                  qv(t, midx(r, ar, s)) == \at(qv(t, midx(r, ar, s)), LoopCurrent); */
        }
}

/* c = a b.  Proved by WP (unit `ref_qmat`) modulo the GMP model and vf_fail's contract: the
 * shape and alias checks establish mul_entries' preconditions, whose proved contract gives
 * c = a b entrywise. */
int vf_qmat_mul_with(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, mpq_ptr t, vf_err *e)
{
    if (a->cols != b->rows)
        return vf_fail(e, VF_E_SHAPE, "mul: a is %zux%zu but b is %zux%zu", a->rows, a->cols,
                       b->rows, b->cols);
    if (c->rows != a->rows || c->cols != b->cols)
        return vf_fail(e, VF_E_SHAPE, "mul: output is %zux%zu but a*b is %zux%zu", c->rows,
                       c->cols, a->rows, b->cols);
    if (c->rows * c->cols == 0)
        return VF_OK; /* no entry to compute (an empty c may alias an input) */
    if ((const vf_qmat *)c == a || (const vf_qmat *)c == b) /* one pointer type: WP compares */
        return vf_fail(e, VF_E_USAGE, "mul: output aliases an input");
    mul_entries(c->a, t, a->a, a->rows, a->cols, b->a, b->cols);
    return VF_OK;
}

int vf_qmat_mul(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    mpq_t t;
    mpq_init(t);
    int rc = vf_qmat_mul_with(c, a, b, t, e);
    mpq_clear(t);
    return rc;
}

/* t = a^T.  Proved like vf_qmat_mul (unit `ref_qmat`); transpose_entries' proved contract gives
 * t = a^T. */
int vf_qmat_transpose(vf_qmat *t, const vf_qmat *a, vf_err *e)
{
    if (t->rows != a->cols || t->cols != a->rows)
        return vf_fail(e, VF_E_SHAPE, "transpose: output is %zux%zu but a is %zux%zu", t->rows,
                       t->cols, a->rows, a->cols);
    if (t->rows * t->cols == 0)
        return VF_OK; /* no entry to copy (an empty t may alias a) */
    if ((const vf_qmat *)t == a)
        return vf_fail(e, VF_E_USAGE, "transpose: output aliases the input");
    transpose_entries(t->a, a->a, a->rows, a->cols);
    return VF_OK;
}

int vf_qmat_scale(vf_qmat *c, const mpq_t s, const vf_qmat *a, vf_err *e)
{
    if (!same_shape(c, a))
        return vf_fail(e, VF_E_SHAPE, "scale: output is %zux%zu but a is %zux%zu", c->rows,
                       c->cols, a->rows, a->cols);
    /* entry (i, j) is flat entry i*cols + j < rows*cols (the 2-D form of the result) */
    //@ ghost lemma_rows_end(a->rows, a->cols);
    /*@ loop invariant bound: 0 <= i <= a->rows * a->cols;
        loop invariant done: \forall integer k; 0 <= k < i ==>
          qv(c->a, k) == \at(mpq_val(s), Pre) * \at(qv(a->a, k), Pre);
        // a's entries from i on are not yet written (c may be a)
        loop invariant todo: \forall integer k; i <= k < a->rows * a->cols ==>
          qv(a->a, k) == \at(qv(a->a, k), Pre);
        loop invariant s_kept: mpq_val(s) == \at(mpq_val(s), Pre);
        loop invariant frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(c->a) ==>
          mpq_val(p) == \at(mpq_val(p), Pre);
        loop assigns i, c->a[0 .. c->rows * c->cols - 1][0];
        loop variant a->rows * a->cols - i;
    */
    for (size_t i = 0; i < a->rows * a->cols; i++)
        mpq_mul(c->a[i], s, a->a[i]);
    /*@ assert in_range: \forall integer i, j; 0 <= i < a->rows && 0 <= j < a->cols ==>
          0 <= midx(i, a->cols, j) < a->rows * a->cols; */
    return VF_OK;
}

/* r = sum of a_k b_k over every entry k.  Proved by WP (unit `ref_qmat`) modulo the GMP model
 * and vf_fail's contract, through the proved contract of dot_entries. */
int vf_qmat_dot(mpq_t r, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    if (!same_shape(a, b))
        return vf_fail(e, VF_E_SHAPE, "dot: a is %zux%zu but b is %zux%zu", a->rows, a->cols,
                       b->rows, b->cols);
    mpq_t s, t;
    mpq_init(s);
    mpq_init(t);
    dot_entries(s, t, a->a, 0, 1, b->a, 0, 1, a->rows * a->cols);
    mpq_set(r, s);
    mpq_clear(s);
    mpq_clear(t);
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

/* Contract of solve_impl: TRUSTED, not proved (proofs/TRUST.md section 3): Bareiss
 * elimination works on mpz matrices it allocates, outside the GMP model.  It claims nothing
 * about the values it writes (vf_q_solve_into checks them: a x == b exactly, proved), only
 * what it writes: the entries of x and *e. */
/*@ requires ok: qmat_ok(x) && qmat_ok(a) && qmat_ok(b);
    requires shapes: a->rows == a->cols && b->rows == a->rows && x->rows == a->rows &&
      x->cols == b->cols;
    requires own: x != a && x != b && qmat_own(x, a) && qmat_own(x, b);
    requires valid_e: e == \null || \valid(e);
    assigns *e, x->a[0 .. x->rows * x->cols - 1][0];
    ensures frame: \forall mpq_srcptr p; \base_addr(p) != \base_addr(\old(x->a)) &&
      \base_addr(p) != \base_addr(e) ==> mpq_val(p) == \old(mpq_val(p));
    ensures codes: \result == VF_OK || \result == VF_E_DOMAIN || \result == VF_E_NOMEM;
*/
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

#ifdef __FRAMAC__
/*@ // entry (i, j) of a x == b, for a n x n and x, b n x m, row-major: every term sequence of
    // row i of a times column j of x sums to b[i][j], i.e. sum_k a[i][k] x[k][j] == b[i][j]
    // (x[k][j] and b[i][j] are entries k and i of column j: the strided index sidx(j, m, .))
    predicate solve_entry_ok{L}(mpq_t *a, mpq_t *x, mpq_t *b, integer n, integer m, integer i,
                                integer j) =
      \forall vf_seq t; dot_terms(t, a, i * n, 1, x, j, m, n) ==>
        sum(t, 0, n) == qv(b, sidx(j, m, i));
    // entry (i, j) of a x != b
    predicate solve_entry_bad{L}(mpq_t *a, mpq_t *x, mpq_t *b, integer n, integer m, integer i,
                                 integer j) =
      \forall vf_seq t; dot_terms(t, a, i * n, 1, x, j, m, n) ==>
        sum(t, 0, n) != qv(b, sidx(j, m, i));
*/
#endif

/* The certificate of a solve: 1 iff a x == b exactly, entry by entry (a n x n, x and b n x m,
 * flat row-major arrays; col (n entries), acc and tmp are scratch).  Column j of x is copied
 * into col, then entry (i, j) of a x is the proved dot_entries (unit `ref_dot`) of row i of a
 * and col, compared with mpq_equal.  (The copy makes both dot_entries strides 1: with stride m
 * its no-wrap precondition is a quantified product that Z3 / CVC5 do not instantiate.)  The
 * contract is proved by WP (unit `ref_solve_check`) modulo the GMP model of
 * proofs/stubs/gmp_stubs.h.  Validity and no-wrap hold because the arrays have n*n and n*m
 * entries; they are stated per index through named terms (sidx), so that their instances are
 * found without nonlinear reasoning. */
/*@ requires valid_acc: \valid(acc);
    requires valid_tmp: \valid(tmp);
    requires valid_col: \forall integer k; 0 <= k < n ==> \valid(&col[k][0]);
    // row i of a starts at sidx(0, n, i) = i*n
    requires valid_a: \forall integer i, k; 0 <= i < n && 0 <= k < n ==>
      \valid_read(&a[sidx(sidx(0, n, i), 1, k)][0]);
    requires no_wrap_a: \forall integer i; 0 <= i < n ==> sidx(0, n, i) + n <= SIZE_MAX;
    requires valid_x: \forall integer j, k; 0 <= j < m && 0 <= k < n ==>
      \valid_read(&x[sidx(j, m, k)][0]) && sidx(j, m, k) <= SIZE_MAX;
    requires valid_b: \forall integer j, i; 0 <= j < m && 0 <= i < n ==>
      \valid_read(&b[sidx(j, m, i)][0]) && sidx(j, m, i) <= SIZE_MAX;
    requires sep_acc_tmp: \separated(acc, tmp);
    // col, acc, tmp and the inputs (a, x, b possibly the same array) are other allocations
    requires sep_col: \base_addr(col) != \base_addr(acc) && \base_addr(col) != \base_addr(tmp);
    requires sep_a: \base_addr(a) != \base_addr(acc) && \base_addr(a) != \base_addr(tmp) &&
      \base_addr(a) != \base_addr(col);
    requires sep_x: \base_addr(x) != \base_addr(acc) && \base_addr(x) != \base_addr(tmp) &&
      \base_addr(x) != \base_addr(col);
    requires sep_b: \base_addr(b) != \base_addr(acc) && \base_addr(b) != \base_addr(tmp) &&
      \base_addr(b) != \base_addr(col);
    assigns *acc, *tmp, col[0 .. n - 1][0];
    ensures result: \result == 0 || \result == 1;
    ensures ok: \result == 1 ==> \forall integer i, j; 0 <= i < n && 0 <= j < m ==>
      \old(solve_entry_ok(a, x, b, n, m, i, j));
    ensures bad: \result == 0 ==> \exists integer i, j; 0 <= i < n && 0 <= j < m &&
      \old(solve_entry_bad(a, x, b, n, m, i, j));
    // ok in the matrix vocabulary: for every A, X held by a, x, the product A X is b
    ensures ok_mat: \result == 1 ==> \forall vf_mat A, X;
      \old(mat_of(A, a, n, n)) && \old(mat_of(X, x, n, m)) ==>
      \forall integer i, j; 0 <= i < n && 0 <= j < m ==>
        mat_mul(A, X, i, j, n) == \old(qv(b, midx(i, m, j)));
    // every rational outside acc, tmp and col keeps its value
    ensures frame: \forall mpq_srcptr p; \separated(p, acc) && \separated(p, tmp) &&
      \base_addr(p) != \base_addr(col) ==> mpq_val(p) == \old(mpq_val(p));
*/
static int solve_residual_zero(const mpq_t *a, size_t n, const mpq_t *x, const mpq_t *b,
                               size_t m, mpq_t *col, mpq_ptr acc, mpq_ptr tmp)
{
    /*@ loop invariant bound_j: 0 <= j <= m;
        loop invariant a_kept: \forall integer k; qv(a, k) == \at(qv(a, k), Pre);
        loop invariant x_kept: \forall integer k; qv(x, k) == \at(qv(x, k), Pre);
        loop invariant b_kept: \forall integer k; qv(b, k) == \at(qv(b, k), Pre);
        loop invariant cols_ok: \forall integer r, c; 0 <= r < n && 0 <= c < j ==>
          solve_entry_ok{Pre}(a, x, b, n, m, r, c);
        loop invariant cols_mat: \forall vf_mat A, X;
          mat_of{Pre}(A, a, n, n) && mat_of{Pre}(X, x, n, m) ==>
          \forall integer r, c; 0 <= r < n && 0 <= c < j ==>
            mat_mul(A, X, r, c, n) == qv{Pre}(b, midx(r, m, c));
        loop invariant frame: \forall mpq_srcptr p; \separated(p, acc) && \separated(p, tmp) &&
          \base_addr(p) != \base_addr(col) ==> mpq_val(p) == \at(mpq_val(p), Pre);
        loop assigns j, *acc, *tmp, col[0 .. n - 1][0];
        loop variant m - j;
    */
    for (size_t j = 0; j < m; j++) {
        /*@ loop invariant bound_k: 0 <= k <= n;
            loop invariant a_kept: \forall integer q; qv(a, q) == \at(qv(a, q), Pre);
            loop invariant x_kept: \forall integer q; qv(x, q) == \at(qv(x, q), Pre);
            loop invariant b_kept: \forall integer q; qv(b, q) == \at(qv(b, q), Pre);
            loop invariant cols_ok: \forall integer r, c; 0 <= r < n && 0 <= c < j ==>
              solve_entry_ok{Pre}(a, x, b, n, m, r, c);
            loop invariant copied: \forall integer q; 0 <= q < k ==>
              qv(col, q) == qv{Pre}(x, sidx(j, m, q));
            loop invariant frame: \forall mpq_srcptr p; \separated(p, acc) &&
              \separated(p, tmp) && \base_addr(p) != \base_addr(col) ==>
              mpq_val(p) == \at(mpq_val(p), Pre);
            loop assigns k, col[0 .. n - 1][0];
            loop variant n - k;
        */
        for (size_t k = 0; k < n; k++) {
            //@ assert in_x: \valid_read(&x[sidx(j, m, k)][0]) && sidx(j, m, k) <= SIZE_MAX;
            mpq_set(col[k], x[k * m + j]);
        }
        /*@ loop invariant bound_i: 0 <= i <= n;
            loop invariant a_kept: \forall integer q; qv(a, q) == \at(qv(a, q), Pre);
            loop invariant x_kept: \forall integer q; qv(x, q) == \at(qv(x, q), Pre);
            loop invariant b_kept: \forall integer q; qv(b, q) == \at(qv(b, q), Pre);
            loop invariant col_kept: \forall integer q; 0 <= q < n ==>
              qv(col, q) == qv{Pre}(x, sidx(j, m, q));
            loop invariant cols_ok: \forall integer r, c; 0 <= r < n && 0 <= c < j ==>
              solve_entry_ok{Pre}(a, x, b, n, m, r, c);
            loop invariant rows_ok: \forall integer r; 0 <= r < i ==>
              solve_entry_ok{Pre}(a, x, b, n, m, r, j);
            loop invariant rows_mat: \forall vf_mat A, X;
              mat_of{Pre}(A, a, n, n) && mat_of{Pre}(X, x, n, m) ==>
              \forall integer r; 0 <= r < i ==> mat_mul(A, X, r, j, n) == qv{Pre}(b, midx(r, m, j));
            loop invariant frame: \forall mpq_srcptr p; \separated(p, acc) &&
              \separated(p, tmp) && \base_addr(p) != \base_addr(col) ==>
              mpq_val(p) == \at(mpq_val(p), Pre);
            loop assigns i, *acc, *tmp;
            loop variant n - i;
        */
        for (size_t i = 0; i < n; i++) {
            // proof hints: the row offset as a named term, the instances of the preconditions
            //@ assert row_a: sidx(0, n, i) == i * n && sidx(0, n, i) + n <= SIZE_MAX;
            //@ assert in_b: \valid_read(&b[sidx(j, m, i)][0]) && sidx(j, m, i) <= SIZE_MAX;
            mpq_set_ui(acc, 0, 1);
            /*@ assert terms: \forall vf_seq t; dot_terms{Pre}(t, a, i * n, 1, x, j, m, n) ==>
                  dot_terms(t, a, i * n, 1, col, 0, 1, n); */
            /*@ assert a_row: \forall vf_mat A; mat_of{Pre}(A, a, n, n) ==>
                  \forall integer k; 0 <= k < n ==> vf_mat_at(A, i, k) == qv(a, midx(i, n, k)); */
            /*@ assert x_col: \forall vf_mat X; mat_of{Pre}(X, x, n, m) ==>
                  \forall integer k; 0 <= k < n ==> vf_mat_at(X, k, j) == qv(col, k); */
            //@ assert offsets: \forall integer k; i * n + k * 1 == midx(i, n, k) && 0 + k * 1 == k;
            /*@ assert args_mat: \forall vf_mat A, X;
                  mat_of{Pre}(A, a, n, n) && mat_of{Pre}(X, x, n, m) ==>
                  row_col(A, i, a, i * n, 1, X, j, col, 0, 1, n); */
            dot_entries(acc, tmp, a, i * n, 1, col, 0, 1, n);
            /*@ assert entry_mat: \forall vf_mat A, X;
                  mat_of{Pre}(A, a, n, n) && mat_of{Pre}(X, x, n, m) ==>
                  mpq_val(acc) == mat_mul(A, X, i, j, n); */
            /*@ assert entry: \forall vf_seq t; dot_terms{Pre}(t, a, i * n, 1, x, j, m, n) ==>
                  mpq_val(acc) == sum(t, 0, n); */
            if (!mpq_equal(acc, b[i * m + j])) {
                //@ assert differs: mpq_val(acc) != qv{Pre}(b, sidx(j, m, i));
                //@ assert bad_here: solve_entry_bad{Pre}(a, x, b, n, m, i, j);
                return 0;
            }
            //@ assert same: mpq_val(acc) == qv{Pre}(b, sidx(j, m, i));
            //@ assert ok_here: solve_entry_ok{Pre}(a, x, b, n, m, i, j);
            //@ assert b_index: sidx(j, m, i) == midx(i, m, j);
        }
    }
    return 1;
}

int vf_q_check_init(vf_q_check *c, size_t n, vf_err *e)
{
    c->col = vf_calloc(n ? n : 1, sizeof *c->col, e);
    if (!c->col)
        return VF_E_NOMEM;
    c->n = n;
    for (size_t k = 0; k < n; k++)
        mpq_init(c->col[k]);
    mpq_init(c->acc);
    mpq_init(c->tmp);
    return VF_OK;
}

void vf_q_check_clear(vf_q_check *c)
{
    if (!c->col)
        return;
    for (size_t k = 0; k < c->n; k++)
        mpq_clear(c->col[k]);
    mpq_clear(c->acc);
    mpq_clear(c->tmp);
    free(c->col);
    c->col = NULL;
    c->n = 0;
}

/* VF_OK iff a x == b exactly (a n x n, x and b n x k); a x != b -> VF_E_DOMAIN. */
int vf_q_check_solution(const vf_qmat *a, const vf_qmat *x, const vf_qmat *b, vf_err *e)
{
    if (a->rows != a->cols || x->rows != a->cols || b->rows != a->rows || x->cols != b->cols)
        return vf_fail(e, VF_E_SHAPE, "check_solution: a is %zux%zu, x is %zux%zu, b is %zux%zu",
                       a->rows, a->cols, x->rows, x->cols, b->rows, b->cols);
    vf_q_check c;
    int rc = vf_q_check_init(&c, a->rows, e);
    if (rc)
        return rc;
    int ok = solve_residual_zero(a->a, a->rows, x->a, b->a, b->cols, c.col, c.acc, c.tmp);
    vf_q_check_clear(&c);
    return ok ? VF_OK : vf_fail(e, VF_E_DOMAIN, "a x != b (%zux%zu system, %zu right-hand sides)",
                                a->rows, a->rows, b->cols);
}

/* solve_impl, then its certificate: on VF_OK, a x == b holds exactly because the last step is
 * the proved checker solve_residual_zero, whatever the elimination did (its own correctness
 * is not proved: mpz and allocation are outside the GMP model; its contract says only what it
 * writes).  The contract (ref/vf_q.h) is proved (unit ref_solve_check). */
int vf_q_solve_into(vf_qmat *x, const vf_qmat *a, const vf_qmat *b, mpq_t *col, mpq_ptr acc,
                    mpq_ptr tmp, const char *what, vf_err *e)
{
    int rc = solve_impl(x, a, b, what, e);
    if (rc)
        return rc;
    /* proof hints: solve_residual_zero's preconditions, per index, from qmat_ok */
    /*@ assert valid_a: \forall integer i, k; 0 <= i < a->rows && 0 <= k < a->rows ==>
          sidx(sidx(0, a->rows, i), 1, k) == midx(i, a->cols, k); */
    /*@ assert valid_x: \forall integer j, k; 0 <= j < b->cols && 0 <= k < a->rows ==>
          sidx(j, b->cols, k) == midx(k, x->cols, j) && midx(k, x->cols, j) < midx(k, x->cols, x->cols); */
    /*@ assert valid_b: \forall integer j, i; 0 <= j < b->cols && 0 <= i < a->rows ==>
          sidx(j, b->cols, i) == midx(i, b->cols, j) && midx(i, b->cols, j) < midx(i, b->cols, b->cols); */
    if (!solve_residual_zero(a->a, a->rows, x->a, b->a, b->cols, col, acc, tmp))
        return vf_fail(e, VF_E_INTERNAL,
                       "%s: certificate check failed: the computed x does not satisfy a x = b "
                       "exactly (%zux%zu system, %zu right-hand sides); a bug in the elimination",
                       what, a->rows, a->cols, b->cols);
    return VF_OK;
}

/* vf_q_solve_into with the scratch allocated here.  When x shares its entries with a or b,
 * the solution goes to a temporary first: the check needs the inputs. */
static int solve_checked(vf_qmat *x, const vf_qmat *a, const vf_qmat *b, const char *what,
                         vf_err *e)
{
    /* every initialised matrix has an array of its own (vf_calloc never returns NULL), so
     * sharing one is aliasing; vf_q_solve_into requires none, even without entries */
    int alias = x->a == a->a || x->a == b->a;
    vf_qmat t = {0};
    vf_qmat *out = x;
    vf_q_check c = {0};
    int rc;
    if (alias && (rc = vf_qmat_init(&t, x->rows, x->cols, e)))
        return rc;
    if (alias)
        out = &t;
    if (!(rc = vf_q_check_init(&c, a->rows, e)))
        rc = vf_q_solve_into(out, a, b, c.col, c.acc, c.tmp, what, e);
    if (!rc && alias)
        rc = vf_qmat_copy(x, &t, e);
    vf_q_check_clear(&c);
    vf_qmat_clear(&t);
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
    /* x may alias a or b (solve_checked solves into a temporary then). */
    return solve_checked(x, a, b, "solve", e);
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
    rc = solve_checked(inv, a, &id, "inverse", e);
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
