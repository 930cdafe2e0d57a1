/* vf_softmax.c — certified softmax family and Gibbs-state thermodynamics (see vf_softmax.h).
 *
 * Every value is an MPFI interval, so each result is an enclosure as long as the inputs are
 * (float/double inputs are exact points at >= 53 bits, rationals are enclosed by their two
 * roundings).  One row at a time goes through a workspace:
 *   s_j  logits (energies negated), masked entries flagged and never touched again;
 *   y_j  = s_j / T - c, with c the largest right endpoint of the s_j / T: an exact constant, so
 *        every y_j <= 0 (no overflow for logits beyond +-88 or tiny T) and the largest term
 *        e^{y_j} is about 1 (no underflow of Z); mathematically log sum e^{s_j/T} = c + log Z
 *        for ANY constant c, so the shift costs no rigour;
 *   w_j  = e^{y_j}, Z = sum w_j, logz = log Z.
 * No hardware float arithmetic decides anything: doubles only carry exact input values.
 */
#include "vf_softmax.h"

#include <math.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- sources and temperature */

static int src_check(const vf_sm_src *s, vf_err *e)
{
    int ok = (s->kind == VF_SM_F32 && s->f32) || (s->kind == VF_SM_F64 && s->f64) ||
             (s->kind == VF_SM_Q && s->q);
    if (!ok)
        return vf_fail(e, VF_E_USAGE, "softmax input: kind %d without its data", (int)s->kind);
    if (s->kind == VF_SM_Q && (s->q->rows != s->rows || s->q->cols != s->cols))
        return vf_fail(e, VF_E_SHAPE, "softmax input: rational matrix %zux%zu, declared %zux%zu",
                       s->q->rows, s->q->cols, s->rows, s->cols);
    return VF_OK;
}

static int out_check(const vf_imat *out, size_t rows, size_t cols, const char *what, vf_err *e)
{
    if (out->rows != rows || out->cols != cols)
        return vf_fail(e, VF_E_SHAPE, "%s: output %zux%zu, expected %zux%zu", what, out->rows,
                       out->cols, rows, cols);
    return VF_OK;
}

int vf_temp_enclose(mpfi_t out, const vf_temp *T, vf_err *e)
{
    if (!T || !T->t) {
        mpfi_set_ui(out, 1);
        return VF_OK;
    }
    if (mpq_sgn(T->t) <= 0)
        return vf_fail(e, VF_E_DOMAIN, "temperature must be > 0 (T = 0 is hardmax, outside the "
                                       "theorem)");
    mpfi_set_q(out, T->t);
    if (T->is_sqrt)
        mpfi_sqrt(out, out);
    return VF_OK;
}

/* T == 1 exactly: the division by T is skipped (it is the common case and the hot path). */
static int temp_is_one(const vf_temp *T)
{
    return !T || !T->t || mpq_cmp_ui(T->t, 1, 1) == 0;
}

static double src_value(const vf_sm_src *s, size_t k)
{
    return s->kind == VF_SM_F32 ? (double)s->f32[k] : s->f64[k];
}

/* Entry (i, j) of s as a logit into x; *masked set for -inf logits (+inf energies) and flagged
 * entries.  NaN and +inf logits (-inf energies) are outside the domain. */
static int load_logit(mpfi_t x, unsigned char *masked, const vf_sm_src *s, size_t i, size_t j,
                      vf_err *e)
{
    size_t k = i * s->cols + j;
    *masked = 0;
    if (s->mask && s->mask[k]) {
        *masked = 1;
        return VF_OK;
    }
    if (s->kind == VF_SM_Q) {
        mpfi_set_q(x, s->q->a[k]);
        if (s->energy)
            mpfi_neg(x, x);
        return VF_OK;
    }
    double v = src_value(s, k);
    if (isnan(v))
        return vf_fail(e, VF_E_DOMAIN, "row %zu: NaN at column %zu", i, j);
    if (s->energy)
        v = -v; /* exact */
    if (v == -INFINITY) {
        *masked = 1;
        return VF_OK;
    }
    if (v == INFINITY)
        return vf_fail(e, VF_E_DOMAIN,
                       "row %zu: column %zu is a +inf logit (energy -inf): all the mass sits on "
                       "it (F* = -inf), invalid input", i, j);
    mpfi_set_d(x, v);
    return VF_OK;
}

int vf_sm_src_enclose(vf_imat *m, const vf_sm_src *s, vf_err *e)
{
    int rc = src_check(s, e);
    if (rc)
        return rc;
    if ((rc = out_check(m, s->rows, s->cols, "enclose", e)))
        return rc;
    for (size_t k = 0; k < s->rows * s->cols; k++) {
        if (s->kind == VF_SM_Q) {
            mpfi_set_q(m->a[k], s->q->a[k]);
            continue;
        }
        double v = src_value(s, k);
        if (!isfinite(v))
            return vf_fail(e, VF_E_DOMAIN, "row %zu: %s at column %zu (a finite value is needed)",
                           k / s->cols, isnan(v) ? "NaN" : "an infinity", k % s->cols);
        mpfi_set_d(m->a[k], v);
    }
    return VF_OK;
}

/* ---------------------------------------------------------------- workspace */

typedef struct ws {
    size_t n;
    mpfi_t *s, *y, *w;
    unsigned char *m;
    mpfi_t T, Z, logz, t1, t2, t3;
    mpfr_t c;
    int t_one;
} ws;

static void ws_clear(ws *w)
{
    if (w->s) {
        for (size_t j = 0; j < w->n; j++) {
            mpfi_clear(w->s[j]);
            mpfi_clear(w->y[j]);
            mpfi_clear(w->w[j]);
        }
        mpfi_clear(w->T);
        mpfi_clear(w->Z);
        mpfi_clear(w->logz);
        mpfi_clear(w->t1);
        mpfi_clear(w->t2);
        mpfi_clear(w->t3);
        mpfr_clear(w->c);
    }
    free(w->s);
    free(w->y);
    free(w->w);
    free(w->m);
    w->s = w->y = w->w = NULL;
    w->m = NULL;
}

static int ws_init(ws *w, size_t n, mpfr_prec_t prec, const vf_temp *T, vf_err *e)
{
    *w = (ws){0};
    w->s = vf_calloc(n ? n : 1, sizeof *w->s, e);
    w->y = vf_calloc(n ? n : 1, sizeof *w->y, e);
    w->w = vf_calloc(n ? n : 1, sizeof *w->w, e);
    w->m = vf_calloc(n ? n : 1, 1, e);
    if (!w->s || !w->y || !w->w || !w->m) {
        ws_clear(w);
        return VF_E_NOMEM;
    }
    w->n = n;
    for (size_t j = 0; j < n; j++) {
        mpfi_init2(w->s[j], prec);
        mpfi_init2(w->y[j], prec);
        mpfi_init2(w->w[j], prec);
    }
    mpfi_init2(w->T, prec);
    mpfi_init2(w->Z, prec);
    mpfi_init2(w->logz, prec);
    mpfi_init2(w->t1, prec);
    mpfi_init2(w->t2, prec);
    mpfi_init2(w->t3, prec);
    mpfr_init2(w->c, prec);
    w->t_one = temp_is_one(T);
    int rc = vf_temp_enclose(w->T, T, e);
    if (rc)
        ws_clear(w);
    return rc;
}

static int ws_load_row(ws *w, const vf_sm_src *s, size_t i, vf_err *e)
{
    for (size_t j = 0; j < w->n; j++) {
        int rc = load_logit(w->s[j], &w->m[j], s, i, j, e);
        if (rc)
            return rc;
    }
    return VF_OK;
}

/* ---------------------------------------------------------------- proved helpers
 * The mathematical loops of ws_gibbs and of the softmax branch of row_out, without error paths
 * or allocation.  Their contracts are proved by WP (unit ref_softmax) against specs/softmax.acsl
 * modulo the MPFI/MPFR model of proofs/stubs/mpfi_stubs.h (proofs/TRUST.md): for every real
 * point v_j of each unmasked logit interval s_j and every real t > 0 of T's interval (t = 1
 * when t_one), each unmasked output interval contains softmax_j(v / t) over the unmasked
 * entries, e^{v_j/t} / sum_{unmasked k} e^{v_k/t}; each masked output is exactly 0.  The
 * asserts are proof hints. */
#ifdef __FRAMAC__
#include "../specs/softmax.acsl"
#include "../proofs/lemmas/ref_softmax_lemmas.h"
/*@ // the real t is a point of the temperature: 1 when t_one, else t > 0 in T's interval
    predicate t_point{L}(real t, mpfi_srcptr T, integer t_one) =
      (t_one != 0 ==> t == 1.0) && (t_one == 0 ==> t > 0.0 && mpfi_in(t, T));
    // every unmasked y_k contains x_k
    predicate y_in{L}(mpfi_t *y, unsigned char *m, integer n, vf_seq x) =
      \forall integer k; 0 <= k < n ==> m[k] == 0 ==> mpfi_in(vf_at(x, k), &y[k][0]);
    // the workspace of one row: s (the loaded logits), y, w (n intervals each) and m (n mask
    // bytes) are four allocations; T, Z, c three other objects (workspace fields); none of
    // them is MPFR's flags
    predicate row_ws{L}(mpfi_t *s, mpfi_t *y, mpfi_t *w, unsigned char *m, mpfi_srcptr T,
                        mpfi_srcptr Z, mpfr_srcptr c, integer n) =
      (\forall integer k; 0 <= k < n ==>
         \valid_read(&s[k][0]) && \valid(&y[k][0]) && \valid(&w[k][0])) &&
      \valid_read(m + (0 .. n - 1)) && \valid_read(T) && \valid(Z) && \valid(c) &&
      \base_addr(y) != \base_addr(s) && \base_addr(y) != \base_addr(w) &&
      \base_addr(y) != \base_addr(m) && \base_addr(w) != \base_addr(m) &&
      \base_addr(w) != \base_addr(s) && \base_addr(s) != \base_addr(m) &&
      \base_addr(y) != \base_addr(T) && \base_addr(y) != \base_addr(Z) &&
      \base_addr(y) != \base_addr(c) && \base_addr(w) != \base_addr(Z) &&
      \base_addr(w) != \base_addr(c) && \base_addr(s) != \base_addr(c) &&
      \base_addr(m) != \base_addr(c) && \base_addr(m) != \base_addr(Z) &&
      \base_addr(y) != \base_addr(&vf_mpfr_flags) && \base_addr(w) != \base_addr(&vf_mpfr_flags) &&
      \base_addr(s) != \base_addr(&vf_mpfr_flags) && \base_addr(m) != \base_addr(&vf_mpfr_flags) &&
      \base_addr(c) != \base_addr(&vf_mpfr_flags) && \base_addr(Z) != \base_addr(&vf_mpfr_flags) &&
      \separated(c, T) && \separated(Z, c);
    // v is a point of the unmasked logit enclosures s_k and x = v / t there (a named predicate:
    // a trigger that binds v, x and t when a caller instantiates gibbs_row's postcondition)
    predicate logit_points{L}(mpfi_t *s, unsigned char *m, integer n, vf_seq v, vf_seq x,
                              real t) =
      \forall integer k; 0 <= k < n ==> m[k] == 0 ==>
        mpfi_in(vf_at(v, k), &s[k][0]) && vf_at(x, k) == vf_at(v, k) / t;
    // after gibbs_weights for the points x and the shift c: w_k contains e^{x_k - c} (unmasked
    // k), Z contains their sum, which is e^{-c} times the unshifted one and > 0 if some k is
    // unmasked
    predicate gibbs_state{L}(mpfi_t *w, mpfi_srcptr Z, unsigned char *m, integer n,
                             vf_seq x, real c) =
      (\forall integer k; 0 <= k < n ==> m[k] == 0 ==> mpfi_in(ex(vf_at(x, k) - c), &w[k][0])) &&
      mpfi_in(mexp_sh(m, x, c, n), Z) &&
      mexp_sh(m, x, c, n) * ex(c) == mexp(m, x, n) &&
      (\forall integer k; 0 <= k < n ==> m[k] == 0 ==> mexp_sh(m, x, c, n) > 0.0);
    // every mpfi / mpfr object separated from o1 and o2 keeps its meaning
    predicate mpfi_frame2{L1, L2}(mpfi_srcptr o1, mpfi_srcptr o2) =
      (\forall mpfi_srcptr p; \separated(p, o1) ==> \separated(p, o2) ==>
         \forall real x; mpfi_in{L1}(x, p) <==> mpfi_in{L2}(x, p)) &&
      (\forall mpfr_srcptr f; \separated(f, o1) ==> \separated(f, o2) ==>
         (mpfr_number{L1}(f) <==> mpfr_number{L2}(f)) && mpfr_val{L1}(f) == mpfr_val{L2}(f));
*/
#endif

/* y = s / T (s when t_one): one step of gibbs_shift. */
/*@ requires valid: \valid(y) && \valid_read(s) && \valid_read(T);
    requires sep: \separated(y, s) && \separated(y, T) && \separated(y, &vf_mpfr_flags);
    assigns *y, vf_mpfr_flags;
    ensures quotient: \forall real v, t; \old(t_point(t, T, t_one)) ==> \old(mpfi_in(v, s)) ==>
      mpfi_in(v / t, y);
    ensures frame: mpfi_frame{Pre, Post}(y);
*/
static void shift_quotient(mpfi_ptr y, mpfi_srcptr s, mpfi_srcptr T, int t_one)
{
    if (t_one) {
        mpfi_set(y, s);
        //@ assert t_one: \forall real v, t; t == 1.0 ==> v / t == v;
    } else {
        mpfi_div(y, s, T);
    }
}

/* c = r if first or r > c: one step of the running maximum of gibbs_shift. */
/*@ requires valid: \valid(c) && \valid_read(r);
    requires sep: \separated(c, r) && \separated(c, &vf_mpfr_flags);
    assigns *c, vf_mpfr_flags;
    ensures frame: mpfr_frame{Pre, Post}(c);
*/
static void shift_max(mpfr_ptr c, mpfr_srcptr r, int first)
{
    /* Same precision: taking the larger endpoint is exact. */
    if (first || mpfr_cmp(r, c) > 0)
        mpfr_set(c, r, MPFR_RNDU);
}

/* w = e^{y - c}, y overwritten by y - c: one step of gibbs_weights. */
/*@ requires valid: \valid(w) && \valid(y) && \valid_read(c);
    requires sep: \separated(w, y) && \separated(w, c) && \separated(y, c) &&
      \separated(w, &vf_mpfr_flags) && \separated(y, &vf_mpfr_flags);
    requires c_number: mpfr_number(c);
    assigns *y, *w, vf_mpfr_flags;
    ensures exp: \forall real x; \old(mpfi_in(x, y)) ==> mpfi_in(ex(x - \old(mpfr_val(c))), w);
    ensures frame: mpfi_frame2{Pre, Post}(y, w);
*/
static void exp_shifted(mpfi_ptr w, mpfi_ptr y, mpfr_srcptr c)
{
    mpfi_sub_fr(y, y, c);
    mpfi_exp(w, y);
}

/* y_j = s_j / T (s_j when t_one) for the unmasked j, and c = the largest right endpoint of
 * those y_j; returns 0 iff every entry is masked.  The value of c does not matter to the
 * proved statement (any real shift is exact mathematics). */
/*@ requires valid_s: \forall integer k; 0 <= k < n ==> \valid_read(&s[k][0]);
    requires valid_y: \forall integer k; 0 <= k < n ==> \valid(&y[k][0]);
    requires valid_m: \valid_read(m + (0 .. n - 1));
    requires valid_T: \valid_read(T);
    requires valid_c: \valid(c);
    // s, y, m: separate allocations; T and c: other objects (two fields of the workspace)
    requires sep: \base_addr(y) != \base_addr(s) && \base_addr(y) != \base_addr(m) &&
      \base_addr(y) != \base_addr(T) && \base_addr(y) != \base_addr(c) &&
      \base_addr(s) != \base_addr(c) && \base_addr(m) != \base_addr(c) &&
      \base_addr(y) != \base_addr(&vf_mpfr_flags) && \base_addr(s) != \base_addr(&vf_mpfr_flags) &&
      \base_addr(m) != \base_addr(&vf_mpfr_flags) && \base_addr(c) != \base_addr(&vf_mpfr_flags) &&
      \separated(c, T);
    assigns y[0 .. n - 1][0], *c, vf_mpfr_flags;
    ensures any: \result != 0 <==> \exists integer k; 0 <= k < n && m[k] == 0;
    ensures quotient: \forall integer k, real v, t; 0 <= k < n ==> m[k] == 0 ==>
      \old(t_point(t, T, t_one)) ==> \old(mpfi_in(v, &s[k][0])) ==> mpfi_in(v / t, &y[k][0]);
*/
static int gibbs_shift(mpfi_t *y, const mpfi_t *s, mpfi_srcptr T, mpfr_ptr c,
                       const unsigned char *m, size_t n, int t_one)
{
    int any = 0;
    /*@ loop invariant bound: 0 <= j <= n;
        loop invariant any: any != 0 <==> \exists integer k; 0 <= k < j && m[k] == 0;
        loop invariant s_kept: \forall integer k, real v; 0 <= k < n ==>
          (mpfi_in(v, &s[k][0]) <==> \at(mpfi_in(v, &s[k][0]), Pre));
        loop invariant T_kept: \forall real t; mpfi_in(t, T) <==> \at(mpfi_in(t, T), Pre);
        loop invariant done: \forall integer k, real v, t; 0 <= k < j ==> m[k] == 0 ==>
          \at(t_point(t, T, t_one), Pre) ==> \at(mpfi_in(v, &s[k][0]), Pre) ==>
          mpfi_in(v / t, &y[k][0]);
        loop assigns j, any, y[0 .. n - 1][0], *c, vf_mpfr_flags;
        loop variant n - j;
    */
    for (size_t j = 0; j < n; j++) {
        if (m[j])
            continue;
        shift_quotient(y[j], s[j], T, t_one);
        shift_max(c, &y[j]->right, !any);
        any = 1;
    }
    return any;
}

/* y_j -= c, w_j = e^{y_j}, Z = sum of the w_j, over the unmasked j (c an ordinary number). */
/*@ requires valid_y: \forall integer k; 0 <= k < n ==> \valid(&y[k][0]);
    requires valid_w: \forall integer k; 0 <= k < n ==> \valid(&w[k][0]);
    requires valid_m: \valid_read(m + (0 .. n - 1));
    requires valid_Z: \valid(Z);
    requires valid_c: \valid_read(c);
    requires sep: \base_addr(y) != \base_addr(w) && \base_addr(y) != \base_addr(m) &&
      \base_addr(y) != \base_addr(Z) && \base_addr(y) != \base_addr(c) &&
      \base_addr(w) != \base_addr(m) && \base_addr(w) != \base_addr(Z) &&
      \base_addr(w) != \base_addr(c) && \base_addr(m) != \base_addr(Z) &&
      \base_addr(y) != \base_addr(&vf_mpfr_flags) && \base_addr(w) != \base_addr(&vf_mpfr_flags) &&
      \base_addr(m) != \base_addr(&vf_mpfr_flags) && \base_addr(Z) != \base_addr(&vf_mpfr_flags) &&
      \separated(Z, c);
    requires c_number: mpfr_number(c);
    assigns y[0 .. n - 1][0], w[0 .. n - 1][0], *Z, vf_mpfr_flags;
    ensures gibbs: \forall vf_seq x; \old(y_in(y, m, n, x)) ==>
      gibbs_state(w, Z, m, n, x, \old(mpfr_val(c)));
    ensures c_kept: mpfr_number(c) && mpfr_val(c) == \old(mpfr_val(c));
*/
static void gibbs_weights(mpfi_t *y, mpfi_t *w, mpfi_ptr Z, mpfr_srcptr c,
                          const unsigned char *m, size_t n)
{
    mpfi_set_ui(Z, 0);
    /*@ loop invariant bound: 0 <= j <= n;
        loop invariant c_kept: mpfr_number(c) && mpfr_val(c) == \at(mpfr_val(c), Pre);
        loop invariant y_rest: \forall integer k, real v; j <= k < n ==>
          (mpfi_in(v, &y[k][0]) <==> \at(mpfi_in(v, &y[k][0]), Pre));
        loop invariant w_done: \forall vf_seq x; \at(y_in(y, m, n, x), Pre) ==>
          \forall integer k; 0 <= k < j ==> m[k] == 0 ==>
          mpfi_in(ex(vf_at(x, k) - \at(mpfr_val(c), Pre)), &w[k][0]);
        loop invariant z_sum: \forall vf_seq x; \at(y_in(y, m, n, x), Pre) ==>
          mpfi_in(mexp_sh(m, x, \at(mpfr_val(c), Pre), j), Z);
        loop assigns j, y[0 .. n - 1][0], w[0 .. n - 1][0], *Z, vf_mpfr_flags;
        loop variant n - j;
    */
    for (size_t j = 0; j < n; j++) {
        if (m[j])
            continue;
        exp_shifted(w[j], y[j], c);
        /*@ assert w_j: \forall vf_seq x; \at(y_in(y, m, n, x), Pre) ==>
              mpfi_in(ex(vf_at(x, j) - \at(mpfr_val(c), Pre)), &w[j][0]); */
        mpfi_add(Z, Z, w[j]);
    }
    //@ ghost lemma_mexp(m, n);
}

/* One row of the workspace from the loaded logits: gibbs_shift, then gibbs_weights if the
 * shift c is an ordinary number.  Returns 0, or 1 if every entry is masked, or 2 if c is not
 * a number (NaN or infinite: T's enclosure reaches 0 or a quotient overflows). */
/*@ requires ws: row_ws(s, y, w, m, T, Z, c, n);
    assigns y[0 .. n - 1][0], w[0 .. n - 1][0], *Z, *c, vf_mpfr_flags;
    ensures status: 0 <= \result <= 2;
    ensures all_masked: \result == 1 <==> \forall integer k; 0 <= k < n ==> m[k] != 0;
    ensures gibbs: \result == 0 ==> \forall vf_seq v, x, real t; \old(t_point(t, T, t_one)) ==>
      \old(logit_points(s, m, n, v, x, t)) ==> gibbs_state(w, Z, m, n, x, mpfr_val(c));
*/
static int gibbs_row(mpfi_t *y, mpfi_t *w, const mpfi_t *s, mpfi_srcptr T, mpfi_ptr Z,
                     mpfr_ptr c, const unsigned char *m, size_t n, int t_one)
{
    if (!gibbs_shift(y, s, T, c, m, n, t_one))
        return 1;
    if (!mpfr_number_p(c))
        return 2;
    gibbs_weights(y, w, Z, c, m, n);
    return 0;
}

/* The error of a gibbs_row status (0: VF_OK) for row i. */
static int gibbs_status(int st, size_t i, vf_err *e)
{
    if (st == 1)
        return vf_fail(e, VF_E_DOMAIN,
                       "row %zu: every entry is masked (Z = 0, softmax undefined)", i);
    /* c is the right endpoint of an enclosure: not a number only if T's enclosure reaches 0 or
     * a quotient overflows MPFR's exponent range; then no shift by c is meaningful. */
    if (st == 2)
        return vf_fail(e, VF_E_DOMAIN,
                       "row %zu: max_j s_j/T is not a finite number (T too close to 0)", i);
    return VF_OK;
}

/* From the loaded logits s_j: y_j = s_j/T - c, w_j = e^{y_j}, Z, logz (see the file comment). */
static int ws_gibbs(ws *w, size_t i, vf_err *e)
{
    int rc = gibbs_status(gibbs_row(w->y, w->w, (const mpfi_t *)w->s, w->T, w->Z, w->c, w->m,
                                    w->n, w->t_one),
                          i, e);
    /* Z >= the term of the maximum, e^{y} with y within one enclosure width of 0: Z > 0. */
    if (!rc)
        mpfi_log(w->logz, w->Z);
    return rc;
}

/* The softmax row (o[j], j < n): p_j = w_j / Z, masked entries exactly 0. */
/*@ requires valid_o: \forall integer k; 0 <= k < n ==> \valid(&o[k][0]);
    requires valid_w: \forall integer k; 0 <= k < n ==> \valid_read(&w[k][0]);
    requires valid_m: \valid_read(m + (0 .. n - 1));
    requires valid_Z: \valid_read(Z);
    requires sep: \base_addr(o) != \base_addr(w) && \base_addr(o) != \base_addr(m) &&
      \base_addr(o) != \base_addr(Z) && \base_addr(o) != \base_addr(&vf_mpfr_flags) &&
      \base_addr(w) != \base_addr(&vf_mpfr_flags) && \base_addr(m) != \base_addr(&vf_mpfr_flags);
    assigns o[0 .. n - 1][0], vf_mpfr_flags;
    ensures softmax: \forall vf_seq x, real c; \old(gibbs_state(w, Z, m, n, x, c)) ==>
      \forall integer k; 0 <= k < n ==> m[k] == 0 ==>
      mpfi_in(ex(vf_at(x, k)) / mexp(m, x, n), &o[k][0]);
    ensures masked: \forall integer k; 0 <= k < n ==> m[k] != 0 ==>
      mpfi_in(0.0, &o[k][0]) && \forall real r; mpfi_in(r, &o[k][0]) ==> r == 0.0;
*/
static void softmax_entries(mpfi_t *o, const mpfi_t *w, mpfi_srcptr Z,
                            const unsigned char *m, size_t n)
{
    /*@ loop invariant bound: 0 <= j <= n;
        loop invariant w_kept: \forall integer k, real v; 0 <= k < n ==>
          (mpfi_in(v, &w[k][0]) <==> \at(mpfi_in(v, &w[k][0]), Pre));
        loop invariant Z_kept: \forall real v; mpfi_in(v, Z) <==> \at(mpfi_in(v, Z), Pre);
        loop invariant done: \forall vf_seq x, real c; \at(gibbs_state(w, Z, m, n, x, c), Pre) ==>
          \forall integer k; 0 <= k < j ==> m[k] == 0 ==>
          mpfi_in(ex(vf_at(x, k)) / mexp(m, x, n), &o[k][0]);
        loop invariant masked: \forall integer k; 0 <= k < j ==> m[k] != 0 ==>
          mpfi_in(0.0, &o[k][0]) && \forall real r; mpfi_in(r, &o[k][0]) ==> r == 0.0;
        loop assigns j, o[0 .. n - 1][0], vf_mpfr_flags;
        loop variant n - j;
    */
    for (size_t j = 0; j < n; j++) {
        if (m[j]) {
            mpfi_set_ui(o[j], 0); /* exactly 0, and +0 */
        } else {
            /*@ assert norm: \forall vf_seq x, real c; \at(gibbs_state(w, Z, m, n, x, c), Pre) ==>
                  mexp_sh(m, x, c, n) > 0.0 && mexp_sh(m, x, c, n) * ex(c) == mexp(m, x, n); */
            //@ ghost lemma_mexp_softmax(m, n);
            /*@ assert same: \forall vf_seq x, real c; \at(gibbs_state(w, Z, m, n, x, c), Pre) ==>
                  ex(vf_at(x, j) - c) / mexp_sh(m, x, c, n) == ex(vf_at(x, j)) / mexp(m, x, n); */
            /*@ assert in_j: \forall vf_seq x, real c; \at(gibbs_state(w, Z, m, n, x, c), Pre) ==>
                  mpfi_in(ex(vf_at(x, j) - c), &w[j][0]) && mpfi_in(mexp_sh(m, x, c, n), Z); */
            mpfi_div(o[j], w[j], Z);
            /*@ assert div_j: \forall vf_seq x, real c; \at(gibbs_state(w, Z, m, n, x, c), Pre) ==>
                  mpfi_in(ex(vf_at(x, j)) / mexp(m, x, n), &o[j][0]); */
        }
    }
}

/* One certified softmax row, o[k] for k < n, from the loaded logits s: gibbs_row, then
 * softmax_entries (the whole row computation of vf_ref_softmax and vf_ref_attention; the
 * workspace y, w, Z, c is the caller's).  Returns gibbs_row's status (0, or 1 if every entry
 * is masked, or 2 if the shift is not a number) and, on 0, for every point v of the unmasked
 * logit enclosures and t of T's (t = 1 when t_one), each unmasked o[k] contains the softmax
 * e^{x_k} / sum_{unmasked j} e^{x_j} of x = v / t, each masked o[k] is exactly 0.  Proved
 * (unit ref_softmax) from the contracts of the two. */
/*@ requires ws: row_ws(s, y, w, m, T, Z, c, n);
    requires valid_o: \forall integer k; 0 <= k < n ==> \valid(&o[k][0]);
    // the output row is an allocation of its own
    requires sep_o: \base_addr(o) != \base_addr(y) && \base_addr(o) != \base_addr(w) &&
      \base_addr(o) != \base_addr(s) && \base_addr(o) != \base_addr(m) &&
      \base_addr(o) != \base_addr(T) && \base_addr(o) != \base_addr(Z) &&
      \base_addr(o) != \base_addr(c) && \base_addr(o) != \base_addr(&vf_mpfr_flags);
    assigns y[0 .. n - 1][0], w[0 .. n - 1][0], *Z, *c, o[0 .. n - 1][0], vf_mpfr_flags;
    ensures status: 0 <= \result <= 2;
    ensures all_masked: \result == 1 <==> \forall integer k; 0 <= k < n ==> m[k] != 0;
    ensures softmax: \result == 0 ==> \forall vf_seq v, x, real t; \old(t_point(t, T, t_one)) ==>
      \old(logit_points(s, m, n, v, x, t)) ==>
      \forall integer k; 0 <= k < n ==> m[k] == 0 ==>
        mpfi_in(ex(vf_at(x, k)) / mexp(m, x, n), &o[k][0]);
    ensures masked: \result == 0 ==> \forall integer k; 0 <= k < n ==> m[k] != 0 ==>
      mpfi_in(0.0, &o[k][0]) && \forall real r; mpfi_in(r, &o[k][0]) ==> r == 0.0;
*/
static int softmax_row(mpfi_t *o, mpfi_t *y, mpfi_t *w, const mpfi_t *s, mpfi_srcptr T,
                       mpfi_ptr Z, mpfr_ptr c, const unsigned char *m, size_t n, int t_one)
{
    int st = gibbs_row(y, w, s, T, Z, c, m, n, t_one);
    if (st)
        return st;
    softmax_entries(o, (const mpfi_t *)w, Z, m, n);
    return 0;
}

/* ---------------------------------------------------------------- row kernels */

typedef enum { K_SOFTMAX, K_LOGSOFTMAX, K_LSE, K_THERMO } row_kind;

/* Writes row i's result from a workspace after ws_gibbs (log-softmax, LSE, thermo). */
static void row_out(ws *w, row_kind k, vf_thermo_q what, vf_imat *out, size_t i)
{
    switch (k) {
    case K_SOFTMAX: /* written by softmax_row_of (softmax_row, proved) */
        return;
    case K_LOGSOFTMAX:
        for (size_t j = 0; j < w->n; j++) {
            if (w->m[j]) {
                mpfr_set_inf(&VF_I(out, i, j)->left, -1);
                mpfr_set_inf(&VF_I(out, i, j)->right, -1);
            } else {
                mpfi_sub(VF_I(out, i, j), w->y[j], w->logz);
            }
        }
        return;
    case K_LSE:
        mpfi_add_fr(w->t1, w->logz, w->c);
        if (!w->t_one)
            mpfi_mul(w->t1, w->t1, w->T);
        mpfi_set(VF_I(out, i, 0), w->t1);
        return;
    case K_THERMO:
        break;
    }
    mpfi_t *r = &VF_I(out, i, 0);
    mpfi_add_fr(w->t1, w->logz, w->c); /* t1 = log Z */
    if (what == VF_TH_LOGZ) {
        mpfi_set(*r, w->t1);
        return;
    }
    if (what == VF_TH_F) {
        mpfi_mul(*r, w->t1, w->T);
        mpfi_neg(*r, *r);
        return;
    }
    /* Mean of the logits under p*: U* = -<s>.  w_j becomes p_j. */
    mpfi_set_ui(w->t2, 0);
    for (size_t j = 0; j < w->n; j++) {
        if (w->m[j])
            continue;
        mpfi_div(w->w[j], w->w[j], w->Z);
        mpfi_mul(w->t3, w->w[j], w->s[j]);
        mpfi_add(w->t2, w->t2, w->t3);
    }
    if (what == VF_TH_U) {
        mpfi_neg(*r, w->t2);
        return;
    }
    if (what == VF_TH_S) { /* S* = log Z + U* / T = log Z - <s>/T */
        mpfi_div(w->t3, w->t2, w->T);
        mpfi_sub(*r, w->t1, w->t3);
        return;
    }
    /* C: two-pass variance sum p_j (s_j - <s>)^2 (Var(E) = Var(s)), then / T^2. */
    mpfi_set_ui(*r, 0);
    for (size_t j = 0; j < w->n; j++) {
        if (w->m[j])
            continue;
        mpfi_sub(w->t3, w->s[j], w->t2);
        mpfi_sqr(w->t3, w->t3);
        mpfi_mul(w->t3, w->t3, w->w[j]);
        mpfi_add(*r, *r, w->t3);
    }
    mpfi_sqr(w->t3, w->T);
    mpfi_div(*r, *r, w->t3);
}

/* Row i of out = the certified softmax of the workspace's loaded row (softmax_row). */
static int softmax_row_of(ws *w, vf_imat *out, size_t i, vf_err *e)
{
    return gibbs_status(softmax_row(&VF_I(out, i, 0), w->y, w->w, (const mpfi_t *)w->s, w->T,
                                    w->Z, w->c, w->m, w->n, w->t_one),
                        i, e);
}

static int run_rows(vf_imat *out, const vf_sm_src *s, const vf_temp *T, row_kind k,
                    vf_thermo_q what, vf_err *e)
{
    static const char *const names[] = {"softmax", "log_softmax", "logsumexp", "thermo"};
    int rc = src_check(s, e);
    if (rc)
        return rc;
    size_t cols = (k == K_SOFTMAX || k == K_LOGSOFTMAX) ? s->cols : 1;
    if ((rc = out_check(out, s->rows, cols, names[k], e)))
        return rc;
    if (k == K_THERMO && (unsigned)what > VF_TH_C)
        return vf_fail(e, VF_E_USAGE, "thermo: unknown quantity %d", (int)what);
    ws w;
    if ((rc = ws_init(&w, s->cols, out->prec, T, e)))
        return rc;
    for (size_t i = 0; i < s->rows && !rc; i++) {
        rc = ws_load_row(&w, s, i, e);
        if (!rc && k == K_SOFTMAX) /* an empty row is all-masked: status 1 */
            rc = softmax_row_of(&w, out, i, e);
        else if (!rc && !(rc = ws_gibbs(&w, i, e)))
            row_out(&w, k, what, out, i);
    }
    ws_clear(&w);
    return rc;
}

int vf_ref_softmax(vf_imat *p, const vf_sm_src *s, const vf_temp *T, vf_err *e)
{
    return run_rows(p, s, T, K_SOFTMAX, VF_TH_LOGZ, e);
}

int vf_ref_log_softmax(vf_imat *out, const vf_sm_src *s, const vf_temp *T, vf_err *e)
{
    return run_rows(out, s, T, K_LOGSOFTMAX, VF_TH_LOGZ, e);
}

int vf_ref_logsumexp(vf_imat *out, const vf_sm_src *s, const vf_temp *T, vf_err *e)
{
    return run_rows(out, s, T, K_LSE, VF_TH_LOGZ, e);
}

int vf_ref_thermo(vf_imat *out, const vf_sm_src *E, const vf_temp *T, vf_thermo_q what,
                  vf_err *e)
{
    return run_rows(out, E, T, K_THERMO, what, e);
}

/* ---------------------------------------------------------------- distributions */

/* r = an enclosure of { x log x : x in X } for X inside [0, inf), with 0 log 0 = 0. */
static void xlogx(mpfi_t r, mpfi_srcptr x)
{
    mpfr_prec_t p = mpfi_get_prec(r);
    if (mpfr_zero_p(&x->right)) { /* the point 0: contributes exactly 0 */
        mpfi_set_ui(r, 0);
        return;
    }
    mpfi_t t, bl, ie;
    mpfi_init2(t, p);
    if (mpfr_sgn(&x->left) > 0) {
        mpfi_log(t, x);
        mpfi_mul(r, t, x);
        mpfi_clear(t);
        return;
    }
    /* X = [0, b]: x log x is continuous on [0, b] with value 0 at 0, decreasing on [0, 1/e]
     * (minimum -1/e at 1/e) and negative below 1.  Hence min = b log b if b <= 1/e, else -1/e;
     * max = 0 if b <= 1, else b log b. */
    mpfi_init2(bl, p);
    mpfi_init2(ie, p);
    mpfi_set_fr(t, &x->right);
    mpfi_log(bl, t);
    mpfi_mul(bl, bl, t); /* encloses b log b */
    mpfi_set_si(ie, -1);
    mpfi_exp(ie, ie); /* encloses 1/e */
    mpfr_t lo, hi;
    mpfr_init2(lo, p);
    mpfr_init2(hi, p);
    if (mpfr_cmp(&x->right, &ie->left) < 0)
        mpfr_set(lo, &bl->left, MPFR_RNDD);
    else
        mpfr_neg(lo, &ie->right, MPFR_RNDD); /* -1/e, rounded down */
    if (mpfr_cmp_ui(&x->right, 1) <= 0)
        mpfr_set_ui(hi, 0, MPFR_RNDU);
    else
        mpfr_set(hi, &bl->right, MPFR_RNDU);
    mpfi_interv_fr(r, lo, hi);
    mpfr_clears(lo, hi, (mpfr_ptr)0);
    mpfi_clear(t);
    mpfi_clear(bl);
    mpfi_clear(ie);
}

/* Row i of a distribution: nonnegative enclosures whose sum encloses 1. */
static int dist_check(const vf_imat *q, size_t i, const char *name, vf_err *e)
{
    mpfi_t sum;
    mpfi_init2(sum, q->prec);
    mpfi_set_ui(sum, 0);
    int rc = VF_OK;
    for (size_t j = 0; j < q->cols && !rc; j++) {
        if (mpfi_nan_p(VF_I(q, i, j)) || !mpfi_is_nonneg(VF_I(q, i, j)))
            rc = vf_fail(e, VF_E_DOMAIN,
                         "row %zu of %s: entry %zu is negative or not certified >= 0", i, name,
                         j);
        mpfi_add(sum, sum, VF_I(q, i, j));
    }
    if (!rc && (mpfr_cmp_ui(&sum->left, 1) > 0 || mpfr_cmp_ui(&sum->right, 1) < 0))
        rc = vf_fail(e, VF_E_DOMAIN, "row %zu of %s does not sum to 1 (not in the simplex)", i,
                     name);
    mpfi_clear(sum);
    return rc;
}

static int is_point_zero(mpfi_srcptr x)
{
    return mpfr_zero_p(&x->left) && mpfr_zero_p(&x->right);
}

int vf_ref_free_energy(vf_imat *out, const vf_sm_src *E, const vf_imat *q, const vf_temp *T,
                       vf_err *e)
{
    int rc = src_check(E, e);
    if (!rc)
        rc = out_check(out, E->rows, 1, "free_energy", e);
    if (!rc && (q->rows != E->rows || q->cols != E->cols))
        rc = vf_fail(e, VF_E_SHAPE, "free_energy: q is %zux%zu, energies %zux%zu", q->rows,
                     q->cols, E->rows, E->cols);
    if (rc)
        return rc;
    mpfi_t x, t, Tiv, u, h;
    mpfi_init2(x, out->prec);
    mpfi_init2(t, out->prec);
    mpfi_init2(Tiv, out->prec);
    mpfi_init2(u, out->prec);
    mpfi_init2(h, out->prec);
    rc = vf_temp_enclose(Tiv, T, e);
    for (size_t i = 0; i < E->rows && !rc; i++) {
        if ((rc = dist_check(q, i, "q", e)))
            break;
        mpfi_set_ui(u, 0); /* sum q_j E_j */
        mpfi_set_ui(h, 0); /* sum q_j log q_j */
        for (size_t j = 0; j < E->cols && !rc; j++) {
            unsigned char masked;
            mpfi_srcptr qj = VF_I(q, i, j);
            if ((rc = load_logit(x, &masked, E, i, j, e)))
                break;
            if (is_point_zero(qj))
                continue; /* 0 * E_j = 0 and 0 log 0 = 0, exactly (E_j = +inf included) */
            if (masked) {
                rc = vf_fail(e, VF_E_DOMAIN, "row %zu: q puts mass on the masked entry %zu "
                                             "(energy +inf, F[q] = +inf)", i, j);
                break;
            }
            mpfi_mul(t, qj, x);
            mpfi_sub(u, u, t); /* E_j = -s_j */
            xlogx(t, qj);
            mpfi_add(h, h, t);
        }
        if (rc)
            break;
        mpfi_mul(h, h, Tiv);
        mpfi_add(VF_I(out, i, 0), u, h);
    }
    mpfi_clear(x);
    mpfi_clear(t);
    mpfi_clear(Tiv);
    mpfi_clear(u);
    mpfi_clear(h);
    return rc;
}

int vf_ref_kl(vf_imat *out, const vf_imat *q, const vf_imat *p, vf_err *e)
{
    if (q->rows != p->rows || q->cols != p->cols)
        return vf_fail(e, VF_E_SHAPE, "kl: q is %zux%zu, p is %zux%zu", q->rows, q->cols, p->rows,
                       p->cols);
    int rc = out_check(out, q->rows, 1, "kl", e);
    if (rc)
        return rc;
    mpfi_t t, lp, acc;
    mpfi_init2(t, out->prec);
    mpfi_init2(lp, out->prec);
    mpfi_init2(acc, out->prec);
    for (size_t i = 0; i < q->rows && !rc; i++) {
        if ((rc = dist_check(q, i, "q", e)) || (rc = dist_check(p, i, "p", e)))
            break;
        mpfi_set_ui(acc, 0);
        for (size_t j = 0; j < q->cols; j++) {
            mpfi_srcptr qj = VF_I(q, i, j), pj = VF_I(p, i, j);
            if (is_point_zero(qj))
                continue; /* 0 log(0/p) = 0 even where p_j = 0 */
            if (!mpfi_is_strictly_pos(pj)) {
                rc = vf_fail(e, VF_E_DOMAIN, "row %zu: q_%zu > 0 where p_%zu may be 0 "
                                             "(KL(q||p) = +inf)", i, j, j);
                break;
            }
            xlogx(t, qj);
            mpfi_add(acc, acc, t);
            mpfi_log(lp, pj);
            mpfi_mul(t, qj, lp);
            mpfi_sub(acc, acc, t);
        }
        if (!rc)
            mpfi_set(VF_I(out, i, 0), acc);
    }
    mpfi_clear(t);
    mpfi_clear(lp);
    mpfi_clear(acc);
    return rc;
}

int vf_ref_entropy(vf_imat *out, const vf_imat *p, vf_err *e)
{
    int rc = out_check(out, p->rows, 1, "entropy", e);
    if (rc)
        return rc;
    mpfi_t t, acc;
    mpfi_init2(t, out->prec);
    mpfi_init2(acc, out->prec);
    for (size_t i = 0; i < p->rows && !rc; i++) {
        if ((rc = dist_check(p, i, "p", e)))
            break;
        mpfi_set_ui(acc, 0);
        for (size_t j = 0; j < p->cols; j++) {
            xlogx(t, VF_I(p, i, j));
            mpfi_sub(acc, acc, t);
        }
        mpfi_set(VF_I(out, i, 0), acc);
    }
    mpfi_clear(t);
    mpfi_clear(acc);
    return rc;
}

/* ---------------------------------------------------------------- attention */

int vf_ref_attention(vf_imat *P, const vf_sm_src *Q, const vf_sm_src *K,
                     const unsigned char *mask, vf_err *e)
{
    int rc;
    if ((rc = src_check(Q, e)) || (rc = src_check(K, e)))
        return rc;
    if (Q->cols == 0 || Q->cols != K->cols)
        return vf_fail(e, VF_E_SHAPE, "attention: Q is %zux%zu, K is %zux%zu (need equal d_k >= 1)",
                       Q->rows, Q->cols, K->rows, K->cols);
    if ((rc = out_check(P, Q->rows, K->rows, "attention", e)))
        return rc;
    size_t m = Q->rows, n = K->rows, d = Q->cols;
    vf_imat qi = {0}, ki = {0};
    mpq_t dk;
    mpq_init(dk);
    mpq_set_ui(dk, (unsigned long)d, 1);
    vf_temp T = {dk, 1}; /* T = sqrt(d_k) */
    ws w = {0};
    if ((rc = vf_imat_init(&qi, m, d, P->prec, e)) || (rc = vf_imat_init(&ki, n, d, P->prec, e)) ||
        (rc = vf_sm_src_enclose(&qi, Q, e)) || (rc = vf_sm_src_enclose(&ki, K, e)) ||
        (rc = ws_init(&w, n, P->prec, &T, e)))
        goto out;
    for (size_t i = 0; i < m && !rc; i++) {
        for (size_t j = 0; j < n; j++) {
            w.m[j] = mask && mask[i * n + j];
            if (w.m[j])
                continue;
            mpfi_set_ui(w.s[j], 0);
            for (size_t k = 0; k < d; k++) {
                mpfi_mul(w.t1, VF_I(&qi, i, k), VF_I(&ki, j, k));
                mpfi_add(w.s[j], w.s[j], w.t1);
            }
        }
        rc = softmax_row_of(&w, P, i, e);
    }
out:
    ws_clear(&w);
    vf_imat_clear(&qi);
    vf_imat_clear(&ki);
    mpq_clear(dk);
    return rc;
}

/* ---------------------------------------------------------------- correct rounding */

typedef enum { CR_SOFTMAX, CR_LOGSOFTMAX, CR_LSE, CR_THERMO, CR_FREE, CR_KL, CR_ENTROPY,
               CR_ATTN } cr_op;

typedef struct cr_ctx {
    cr_op op;
    const vf_sm_src *a, *b;
    const vf_temp *T;
    vf_thermo_q what;
    const unsigned char *mask;
} cr_ctx;

/* Encloses an exact distribution source at precision prec into m (initialised here). */
static int enclose_new(vf_imat *m, const vf_sm_src *s, mpfr_prec_t prec, vf_err *e)
{
    int rc = src_check(s, e);
    if (!rc)
        rc = vf_imat_init(m, s->rows, s->cols, prec, e);
    if (!rc)
        rc = vf_sm_src_enclose(m, s, e);
    return rc;
}

static int cr_eval(void *vctx, mpfr_prec_t prec, vf_imat *out, vf_err *e)
{
    const cr_ctx *c = vctx;
    vf_imat x = {0}, y = {0};
    int rc;
    switch (c->op) {
    case CR_SOFTMAX: return vf_ref_softmax(out, c->a, c->T, e);
    case CR_LOGSOFTMAX: return vf_ref_log_softmax(out, c->a, c->T, e);
    case CR_LSE: return vf_ref_logsumexp(out, c->a, c->T, e);
    case CR_THERMO: return vf_ref_thermo(out, c->a, c->T, c->what, e);
    case CR_ATTN: return vf_ref_attention(out, c->a, c->b, c->mask, e);
    case CR_FREE:
        if (!(rc = enclose_new(&x, c->b, prec, e)))
            rc = vf_ref_free_energy(out, c->a, &x, c->T, e);
        break;
    case CR_KL:
        if (!(rc = enclose_new(&x, c->a, prec, e)) && !(rc = enclose_new(&y, c->b, prec, e)))
            rc = vf_ref_kl(out, &x, &y, e);
        break;
    case CR_ENTROPY:
        if (!(rc = enclose_new(&x, c->a, prec, e)))
            rc = vf_ref_entropy(out, &x, e);
        break;
    default: rc = vf_fail(e, VF_E_INTERNAL, "softmax rounding: unknown op %d", (int)c->op);
    }
    vf_imat_clear(&x);
    vf_imat_clear(&y);
    return rc;
}

static int cr_run(vf_rounded *r, const cr_ctx *c, size_t rows, size_t cols, vf_dtype dt,
                  vf_err *e)
{
    return vf_round_ziv(r, rows, cols, dt, cr_eval, (void *)c, VF_PREC_START, VF_PREC_MAX, e);
}

int vf_ref_softmax_cr(vf_rounded *r, const vf_sm_src *s, const vf_temp *T, vf_dtype dt,
                      vf_err *e)
{
    cr_ctx c = {.op = CR_SOFTMAX, .a = s, .T = T};
    return cr_run(r, &c, s->rows, s->cols, dt, e);
}

int vf_ref_log_softmax_cr(vf_rounded *r, const vf_sm_src *s, const vf_temp *T, vf_dtype dt,
                          vf_err *e)
{
    cr_ctx c = {.op = CR_LOGSOFTMAX, .a = s, .T = T};
    return cr_run(r, &c, s->rows, s->cols, dt, e);
}

int vf_ref_logsumexp_cr(vf_rounded *r, const vf_sm_src *s, const vf_temp *T, vf_dtype dt,
                        vf_err *e)
{
    cr_ctx c = {.op = CR_LSE, .a = s, .T = T};
    return cr_run(r, &c, s->rows, 1, dt, e);
}

int vf_ref_thermo_cr(vf_rounded *r, const vf_sm_src *E, const vf_temp *T, vf_thermo_q what,
                     vf_dtype dt, vf_err *e)
{
    cr_ctx c = {.op = CR_THERMO, .a = E, .T = T, .what = what};
    return cr_run(r, &c, E->rows, 1, dt, e);
}

int vf_ref_free_energy_cr(vf_rounded *r, const vf_sm_src *E, const vf_sm_src *q,
                          const vf_temp *T, vf_dtype dt, vf_err *e)
{
    cr_ctx c = {.op = CR_FREE, .a = E, .b = q, .T = T};
    return cr_run(r, &c, E->rows, 1, dt, e);
}

int vf_ref_kl_cr(vf_rounded *r, const vf_sm_src *q, const vf_sm_src *p, vf_dtype dt,
                 vf_err *e)
{
    cr_ctx c = {.op = CR_KL, .a = q, .b = p};
    return cr_run(r, &c, q->rows, 1, dt, e);
}

int vf_ref_entropy_cr(vf_rounded *r, const vf_sm_src *p, vf_dtype dt, vf_err *e)
{
    cr_ctx c = {.op = CR_ENTROPY, .a = p};
    return cr_run(r, &c, p->rows, 1, dt, e);
}

int vf_ref_attention_cr(vf_rounded *r, const vf_sm_src *Q, const vf_sm_src *K,
                        const unsigned char *mask, vf_dtype dt, vf_err *e)
{
    cr_ctx c = {.op = CR_ATTN, .a = Q, .b = K, .mask = mask};
    return cr_run(r, &c, Q->rows, K->rows, dt, e);
}
