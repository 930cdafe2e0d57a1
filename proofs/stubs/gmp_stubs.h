/* gmp_stubs.h — the hand-written model of the GMP mpq calls used by the ref/ units proved with
 * WP (trust base: proofs/TRUST.md, "Library contracts").  Read only by Frama-C, through
 * `-cpp-extra-args="-include proofs/stubs/gmp_stubs.h"` in proofs/units.conf; never by the C
 * compiler.
 *
 * It stands in for <gmp.h> (it defines gmp.h's include guard `__GMP_H__`, so the real header
 * is skipped): the mpq_t layout is abstract (one opaque field), and the value of a rational is
 * the logic function mpq_val : mpq_srcptr -> real of the memory state, declared in an
 * axiomatic block with NO axiom (every assignment of real values to the mpq objects is a
 * model).  Each library call is a declaration whose contract states only what the GMP manual
 * (6.2, chapter "Rational Number Functions") guarantees for it:
 *   - the value it computes (in terms of mpq_val, exact arithmetic over the rationals);
 *   - it writes only the rop it is given (`assigns *rop`, plus the frame `mpq_unchanged`: the
 *     value of every mpq object separated from rop is unchanged), which holds because every
 *     mpq_t owns its limbs and GMP only touches the limbs of its output;
 *   - same-variable calls (rop == op) are allowed, as the manual states for every GMP function.
 * Only the functions below are modelled; a unit calling any other GMP function fails to parse
 * (no declaration), so the model cannot silently grow.  Exception: under -DVF_GMP_UNMODELLED
 * (unit ref_dot), parse-only declarations with `requires \false` (end of this file).
 */
#ifndef VF_GMP_STUBS_H
#define VF_GMP_STUBS_H
#define __GMP_H__ /* the real gmp.h is not read under Frama-C: this header is its model */

typedef struct {
    int _vf_opaque; /* the representation is abstract: only mpq_val is observable */
} __mpq_struct;
typedef __mpq_struct mpq_t[1];
typedef __mpq_struct *mpq_ptr;
typedef const __mpq_struct *mpq_srcptr;

/*@ axiomatic Vf_Gmp_Model {
      // the exact rational held by *q in the current memory state, as a real
      logic real mpq_val{L}(mpq_srcptr q) reads *q;
    }
    // every mpq object separated from rop keeps its value between Pre and Post
    predicate mpq_unchanged{L1, L2}(mpq_srcptr rop) =
      \forall mpq_srcptr p; \separated(p, rop) ==> \at(mpq_val(p), L1) == \at(mpq_val(p), L2);
*/

/* mpq_sgn: "Return +1 if op > 0, 0 if op = 0, and -1 if op < 0." (a macro in gmp.h reading the
 * sign of the numerator, which is the sign of the canonical fraction) */
/*@ requires valid_op: \valid_read(op);
    assigns \result \from *op;
    ensures sign: \result == (mpq_val(op) > 0.0 ? 1 : (mpq_val(op) < 0.0 ? -1 : 0));
*/
int mpq_sgn(mpq_srcptr op);

/* mpq_set: "Assign rop from op." */
/*@ requires valid_rop: \valid(rop);
    requires valid_op: \valid_read(op);
    assigns *rop \from *op;
    ensures value: mpq_val(rop) == \old(mpq_val(op));
    ensures frame: mpq_unchanged{Pre, Post}(rop);
*/
void mpq_set(mpq_ptr rop, mpq_srcptr op);

/* mpq_set_ui: "Set the value of rop to op1/op2."  The manual requires op1/op2 in canonical form
 * (else mpq_canonicalize must be called first); the model only admits op2 == 1, which is
 * canonical for every op1 and is the only form the proved code uses. */
/*@ requires valid_rop: \valid(rop);
    requires canonical: op2 == 1;
    assigns *rop \from op1, op2;
    ensures value: mpq_val(rop) == (real)op1;
    ensures frame: mpq_unchanged{Pre, Post}(rop);
*/
void mpq_set_ui(mpq_ptr rop, unsigned long op1, unsigned long op2);

/* mpq_mul: "Set product to multiplier times multiplicand." (exact: the canonical form of the
 * product of two rationals).  rop may be op1 and/or op2 (§"Variable Conventions"), hence \old. */
/*@ requires valid_rop: \valid(rop);
    requires valid_op1: \valid_read(op1);
    requires valid_op2: \valid_read(op2);
    assigns *rop \from *op1, *op2;
    ensures value: mpq_val(rop) == \old(mpq_val(op1)) * \old(mpq_val(op2));
    ensures frame: mpq_unchanged{Pre, Post}(rop);
*/
void mpq_mul(mpq_ptr rop, mpq_srcptr op1, mpq_srcptr op2);

/* mpq_add: "Set sum to addend1 + addend2." (exact).  rop may be op1 and/or op2, hence \old. */
/*@ requires valid_rop: \valid(rop);
    requires valid_op1: \valid_read(op1);
    requires valid_op2: \valid_read(op2);
    assigns *rop \from *op1, *op2;
    ensures value: mpq_val(rop) == \old(mpq_val(op1)) + \old(mpq_val(op2));
    ensures frame: mpq_unchanged{Pre, Post}(rop);
*/
void mpq_add(mpq_ptr rop, mpq_srcptr op1, mpq_srcptr op2);

/* mpq_equal: "Return non-zero if op1 and op2 are equal, zero if they are non-equal."  (It
 * compares numerators and denominators, which decides equality of the values because the
 * manual's rational functions "assume canonical form, and canonicalize their result": every
 * mpq the proved code compares comes out of GMP arithmetic or mpq_canonicalize.) */
/*@ requires valid_op1: \valid_read(op1);
    requires valid_op2: \valid_read(op2);
    assigns \result \from *op1, *op2;
    ensures equal: \result != 0 <==> mpq_val(op1) == mpq_val(op2);
*/
int mpq_equal(mpq_srcptr op1, mpq_srcptr op2);

/* mpq_init: "Initialize x and set it to 0/1.  Each variable should normally only be
 * initialized once, or at least cleared out (using the function mpq_clear) between each
 * initialization." */
/*@ requires valid_x: \valid(x);
    assigns *x;
    ensures value: mpq_val(x) == 0.0;
    ensures frame: mpq_unchanged{Pre, Post}(x);
*/
void mpq_init(mpq_ptr x);

/* mpq_clear: "Free the space occupied by x.  Make sure to call this function for all mpq_t
 * variables when you are done with them."  x's value is unspecified afterwards (assigns *x);
 * every other rational keeps its value (GMP frees only x's limbs). */
/*@ requires valid_x: \valid(x);
    assigns *x;
    ensures frame: mpq_unchanged{Pre, Post}(x);
*/
void mpq_clear(mpq_ptr x);

#ifdef VF_GMP_UNMODELLED
/* ---- Parse-only declarations (NOT modelled) ---------------------------------------------
 * Enabled only by -DVF_GMP_UNMODELLED (unit `ref_dot`, which proves one helper of ref/vf_q.c:
 * the rest of that file must parse).  Each has `requires unmodelled: \false`, so a proved
 * function that called one could never discharge the call's precondition: these declarations
 * add nothing a proof can use.  mpz_t is as opaque as mpq_t; mpq_numref / mpq_denref (macros
 * in gmp.h) are functions here.  The variadic init/clear functions carry no contract (they are
 * never called by proved code). */
#include <stddef.h>
typedef struct {
    int _vf_opaque;
} __mpz_struct;
typedef __mpz_struct mpz_t[1];
typedef __mpz_struct *mpz_ptr;
typedef const __mpz_struct *mpz_srcptr;
/*@ requires unmodelled: \false; assigns \nothing; */
void mpq_sub(mpq_ptr, mpq_srcptr, mpq_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpq_neg(mpq_ptr, mpq_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpq_canonicalize(mpq_ptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpq_set_d(mpq_ptr, double);
/*@ requires unmodelled: \false; assigns \nothing; */
char *mpq_get_str(char *, int, mpq_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
mpz_ptr mpq_numref(mpq_ptr);
/*@ requires unmodelled: \false; assigns \nothing; */
mpz_ptr mpq_denref(mpq_ptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_init(mpz_ptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_clear(mpz_ptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_init_set_ui(mpz_ptr, unsigned long);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_set(mpz_ptr, mpz_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_set_ui(mpz_ptr, unsigned long);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpz_set_str(mpz_ptr, const char *, int);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_neg(mpz_ptr, mpz_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_mul(mpz_ptr, mpz_srcptr, mpz_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_submul(mpz_ptr, mpz_srcptr, mpz_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_divexact(mpz_ptr, mpz_srcptr, mpz_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_lcm(mpz_ptr, mpz_srcptr, mpz_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_swap(mpz_ptr, mpz_ptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpz_sgn(mpz_srcptr);
/*@ requires unmodelled: \false; assigns \nothing; */
int mpz_cmp_ui(mpz_srcptr, unsigned long);
/*@ requires unmodelled: \false; assigns \nothing; */
size_t mpz_sizeinbase(mpz_srcptr, int);
/*@ requires unmodelled: \false; assigns \nothing; */
void mpz_ui_pow_ui(mpz_ptr, unsigned long, unsigned long);
void mpq_inits(mpq_ptr, ...);
void mpq_clears(mpq_ptr, ...);
void mpz_inits(mpz_ptr, ...);
void mpz_clears(mpz_ptr, ...);
#endif /* VF_GMP_UNMODELLED */

#endif
