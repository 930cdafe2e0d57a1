/* mpfi_stubs.h — the hand-written model of the MPFI / MPFR calls made by the ref/ softmax
 * helpers proved with WP (unit ref_softmax; trust base: proofs/TRUST.md, "Library contracts").
 * Read only by Frama-C, as <mpfi.h> / <mpfr.h> through -Iproofs/stubs; never by the compiler.
 *
 * It stands in for <mpfr.h> and <mpfi.h> (it defines their include guards).  The endpoints of
 * an interval are abstract: the meaning of an mpfi_t is the containment predicate
 *   mpfi_in(x, I)   "the real x lies in the interval *I",
 * and the meaning of an mpfr_t is mpfr_number(f) ("f is an ordinary number": neither NaN nor
 * an infinity) and its value mpfr_val(f), all declared in an axiomatic block with NO axiom
 * (every assignment of real sets / reals to the objects is a model).  Each modelled call is a
 * declaration whose contract states only:
 *   - the inclusion property of the MPFI manual (1.5.x, "Introduction to Interval Arithmetic"):
 *     "The arithmetic operations are extended for interval operands in such a way that the
 *     exact result of the operation belongs to the computed interval" — i.e. for every point
 *     of each operand interval the exact real result is in the result interval, with exactly
 *     the side conditions under which the exact operation is a real (a divisor point != 0,
 *     a floating-point operand that is a number); exp is ex of specs/softmax.acsl;
 *   - that it writes only its output (and MPFR's global exception flags, vf_mpfr_flags):
 *     every mpfi / mpfr object separated from the output keeps its meaning (frame
 *     predicates below);
 *   - same-variable calls (rop == op) are allowed, as in MPFR ("Variable Conventions"), hence
 *     \old on the operands.
 * Nothing is said about the width of a result: a proof using this model proves enclosure only.
 * Only the functions below are modelled.  Under -DVF_MPFI_UNMODELLED (the rest of
 * ref/vf_softmax.c must parse), parse-only declarations with `requires \false` follow. */
#ifndef VF_MPFI_STUBS_H
#define VF_MPFI_STUBS_H
#define __MPFR_H    /* the real mpfr.h and mpfi.h are not read under Frama-C */
#define __MPFI_H__
#include "gmp_stubs.h"
#include "../../specs/softmax.acsl" /* ex, the exponential of the theory */

typedef long mpfr_prec_t;
typedef enum { MPFR_RNDN = 0, MPFR_RNDZ, MPFR_RNDU, MPFR_RNDD, MPFR_RNDA } mpfr_rnd_t;
/* The opaque field is a pointer (never read): under WP's typed memory model the state of the
 * MPFR / MPFI objects then lives apart from the C integer data (masks, sizes), so a library
 * call is seen at once to leave the integers unchanged (they are separate objects in reality
 * too); a double field would bring the IEEE theory into every goal (measured: Z3 / CVC5 fail). */
typedef struct {
    void *_vf_opaque; /* abstract: only mpfr_number / mpfr_val are observable */
} __mpfr_struct;
typedef __mpfr_struct mpfr_t[1];
typedef __mpfr_struct *mpfr_ptr;
typedef const __mpfr_struct *mpfr_srcptr;
/* mpfi.h's layout (the code takes &x->right): two mpfr endpoints */
typedef struct {
    __mpfr_struct left;
    __mpfr_struct right;
} __mpfi_struct;
typedef __mpfi_struct mpfi_t[1];
typedef __mpfi_struct *mpfi_ptr;
typedef const __mpfi_struct *mpfi_srcptr;

/* MPFR's global exception flags (inexact, overflow, erange, ...), lumped into one opaque
 * object (a pointer field, for the reason above): every MPFR / MPFI operation may raise them. */
extern struct vf_mpfr_flags_s {
    void *_vf_opaque;
} vf_mpfr_flags;

/*@ axiomatic Vf_Mpfi_Model {
      // the real x lies in the interval *I (current memory state)
      predicate mpfi_in{L}(real x, mpfi_srcptr I) reads *I;
      // *f is an ordinary number (not NaN, not an infinity), of value mpfr_val(f)
      predicate mpfr_number{L}(mpfr_srcptr f) reads *f;
      logic real mpfr_val{L}(mpfr_srcptr f) reads *f;
    }
    // every mpfi / mpfr object separated from the written object o keeps its meaning
    // (o an interval: mpfi_frame; o a floating-point number: mpfr_frame)
    predicate mpfi_frame{L1, L2}(mpfi_srcptr o) =
      (\forall mpfi_srcptr p; \separated(p, o) ==>
         \forall real x; mpfi_in{L1}(x, p) <==> mpfi_in{L2}(x, p)) &&
      (\forall mpfr_srcptr f; \separated(f, o) ==>
         (mpfr_number{L1}(f) <==> mpfr_number{L2}(f)) && mpfr_val{L1}(f) == mpfr_val{L2}(f));
    // no mpfi / mpfr object changes meaning (a write to the global flags only)
    predicate mp_unchanged{L1, L2} =
      (\forall mpfi_srcptr p; \forall real x; mpfi_in{L1}(x, p) <==> mpfi_in{L2}(x, p)) &&
      (\forall mpfr_srcptr f;
         (mpfr_number{L1}(f) <==> mpfr_number{L2}(f)) && mpfr_val{L1}(f) == mpfr_val{L2}(f));
    predicate mpfr_frame{L1, L2}(mpfr_srcptr o) =
      (\forall mpfi_srcptr p; \separated(p, o) ==>
         \forall real x; mpfi_in{L1}(x, p) <==> mpfi_in{L2}(x, p)) &&
      (\forall mpfr_srcptr f; \separated(f, o) ==>
         (mpfr_number{L1}(f) <==> mpfr_number{L2}(f)) && mpfr_val{L1}(f) == mpfr_val{L2}(f));
*/

/* mpfi_set: "Set the value of rop from op" (outward rounding if the precisions differ). */
/*@ requires valid: \valid(rop) && \valid_read(op);
    assigns *rop, vf_mpfr_flags \from *op;
    ensures enclose: \forall real x; \old(mpfi_in(x, op)) ==> mpfi_in(x, rop);
    ensures frame: mpfi_frame{Pre, Post}(rop);
*/
int mpfi_set(mpfi_ptr rop, mpfi_srcptr op);

/* mpfi_set_ui: "Set the value of rop from op", rounded outward: rop contains op.  0 is
 * representable at every precision, so mpfi_set_ui(rop, 0) is the point interval [0, 0]. */
/*@ requires valid: \valid(rop);
    assigns *rop, vf_mpfr_flags \from op;
    ensures enclose: mpfi_in((real)op, rop);
    ensures zero: op == 0 ==> \forall real x; mpfi_in(x, rop) ==> x == 0.0;
    ensures frame: mpfi_frame{Pre, Post}(rop);
*/
int mpfi_set_ui(mpfi_ptr rop, unsigned long op);

/* mpfi_add: "Set rop to op1 + op2" (inclusion property). */
/*@ requires valid: \valid(rop) && \valid_read(op1) && \valid_read(op2);
    assigns *rop, vf_mpfr_flags \from *op1, *op2;
    ensures enclose: \forall real x, y; \old(mpfi_in(x, op1)) ==> \old(mpfi_in(y, op2)) ==>
      mpfi_in(x + y, rop);
    ensures frame: mpfi_frame{Pre, Post}(rop);
*/
int mpfi_add(mpfi_ptr rop, mpfi_srcptr op1, mpfi_srcptr op2);

/* mpfi_div: "Set rop to op1 / op2" (inclusion property; the exact quotient is a real only for
 * a nonzero divisor point, so nothing is claimed for y == 0: MPFI returns an unbounded or NaN
 * interval when op2 contains 0). */
/*@ requires valid: \valid(rop) && \valid_read(op1) && \valid_read(op2);
    assigns *rop, vf_mpfr_flags \from *op1, *op2;
    ensures enclose: \forall real x, y; \old(mpfi_in(x, op1)) ==> \old(mpfi_in(y, op2)) ==>
      y != 0.0 ==> mpfi_in(x / y, rop);
    ensures frame: mpfi_frame{Pre, Post}(rop);
*/
int mpfi_div(mpfi_ptr rop, mpfi_srcptr op1, mpfi_srcptr op2);

/* mpfi_sub_fr: "Set rop to op1 - op2" with op2 a floating-point number (inclusion property;
 * the exact difference is a real only when op2 is an ordinary number). */
/*@ requires valid: \valid(rop) && \valid_read(op1) && \valid_read(op2);
    assigns *rop, vf_mpfr_flags \from *op1, *op2;
    ensures enclose: \old(mpfr_number(op2)) ==> \forall real x; \old(mpfi_in(x, op1)) ==>
      mpfi_in(x - \old(mpfr_val(op2)), rop);
    ensures frame: mpfi_frame{Pre, Post}(rop);
*/
int mpfi_sub_fr(mpfi_ptr rop, mpfi_srcptr op1, mpfr_srcptr op2);

/* mpfi_exp: "Set rop to the exponential of op" (inclusion property; ex = exp). */
/*@ requires valid: \valid(rop) && \valid_read(op);
    assigns *rop, vf_mpfr_flags \from *op;
    ensures enclose: \forall real x; \old(mpfi_in(x, op)) ==> mpfi_in(ex(x), rop);
    ensures frame: mpfi_frame{Pre, Post}(rop);
*/
int mpfi_exp(mpfi_ptr rop, mpfi_srcptr op);

/* mpfr_set: "Set the value of rop from op, rounded in the direction rnd."  The model states
 * nothing about the value (the proved code needs none: any real shift c is correct). */
/*@ requires valid: \valid(rop) && \valid_read(op);
    assigns *rop, vf_mpfr_flags \from *op, rnd;
    ensures frame: mpfr_frame{Pre, Post}(rop);
*/
int mpfr_set(mpfr_ptr rop, mpfr_srcptr op, mpfr_rnd_t rnd);

/* mpfr_cmp: "Compare op1 and op2. Return a positive value if op1 > op2, zero if op1 = op2, and
 * a negative value if op1 < op2. ... If one of the operands is NaN, set the erange flag and
 * return zero."  The model states nothing about the result (the code's choice of c does not
 * matter to the proved statement); it may set the flags. */
/*@ requires valid: \valid_read(op1) && \valid_read(op2);
    assigns \result, vf_mpfr_flags \from *op1, *op2;
    ensures frame: mp_unchanged{Pre, Post};
*/
int mpfr_cmp(mpfr_srcptr op1, mpfr_srcptr op2);

/* mpfr_number_p: "Return non-zero if op is an ordinary number (i.e., neither NaN nor an
 * infinity). Return zero otherwise." */
/*@ requires valid: \valid_read(op);
    assigns \result \from *op;
    ensures number: \result != 0 <==> mpfr_number(op);
*/
int mpfr_number_p(mpfr_srcptr op);

#ifdef VF_MPFI_UNMODELLED
/* ---- Parse-only declarations (NOT modelled) ---------------------------------------------
 * For the rest of ref/vf_softmax.c (unit ref_softmax proves helpers of it).  Each has
 * `requires unmodelled: \false`, so a proved function that called one could never discharge
 * the call's precondition: these declarations add nothing a proof can use. */
/*@ requires unmodelled: \false; assigns \nothing; */
int mpq_cmp_ui(mpq_srcptr, unsigned long, unsigned long);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpfi_init2(mpfi_ptr, mpfr_prec_t);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpfi_clear(mpfi_ptr);
/*@ requires unmodelled: \false; assigns \nothing; */
mpfr_prec_t mpfi_get_prec(mpfi_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_set_q(mpfi_ptr, mpq_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_set_d(mpfi_ptr, const double);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_set_si(mpfi_ptr, const long);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_set_fr(mpfi_ptr, mpfr_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_interv_fr(mpfi_ptr, mpfr_srcptr, mpfr_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_sub(mpfi_ptr, mpfi_srcptr, mpfi_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_mul(mpfi_ptr, mpfi_srcptr, mpfi_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_add_fr(mpfi_ptr, mpfi_srcptr, mpfr_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_neg(mpfi_ptr, mpfi_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_sqr(mpfi_ptr, mpfi_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_sqrt(mpfi_ptr, mpfi_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_log(mpfi_ptr, mpfi_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_nan_p(mpfi_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_is_nonneg(mpfi_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfi_is_strictly_pos(mpfi_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpfr_init2(mpfr_ptr, mpfr_prec_t);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpfr_clear(mpfr_ptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfr_zero_p(mpfr_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfr_sgn(mpfr_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfr_cmp_ui(mpfr_srcptr, unsigned long);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpfr_set_inf(mpfr_ptr, int);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfr_set_ui(mpfr_ptr, unsigned long, mpfr_rnd_t);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpfr_neg(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);
void mpfr_clears(mpfr_ptr, ...);
#endif /* VF_MPFI_UNMODELLED */

#endif
