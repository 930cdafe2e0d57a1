/* gmp_stubs.h — the hand-written model of the GMP mpq calls used by the ref/ units proved with
 * WP (trust base: proofs/TRUST.md, "Library stubs").  Read only by Frama-C, through
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
 * (no declaration), so the model cannot silently grow.
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

#endif
