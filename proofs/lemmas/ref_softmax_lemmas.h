/* ref_softmax_lemmas.h — the exp facts used by the proved softmax helpers of ref/vf_softmax.c
 * (unit ref_softmax), as a GHOST lemma function: ghost code (the code unit calls it with
 * `//@ ghost lemma_ex_unshift();`) may only call ghost functions.  Its body is proved in unit
 * `ref_softmax_theory` (-wp-model real: pure real theory, no C arithmetic in it) from the
 * axioms ExLn_Ex_Pos and ExLn_Ex_Add of specs/softmax.acsl, which reach only this goal
 * (`requires exln_axioms`, see softmax.acsl).  The statements quantify reals, with the
 * triggers ex(x), ex(c), ex(z) on variables only (the z == x - c form, as ExLn_Ex_Add). */
#ifndef VF_REF_SOFTMAX_LEMMAS_H
#define VF_REF_SOFTMAX_LEMMAS_H
#include <stddef.h>
#include "../../specs/softmax.acsl"

/*@ // sum over the unmasked k < n (m[k] == 0) of e^{x_k}: the softmax normaliser over the
    // unmasked entries of x
    logic real mexp{L}(unsigned char *m, vf_seq x, integer n) =
      n <= 0 ? 0.0 : mexp(m, x, n - 1) + (m[n - 1] != 0 ? 0.0 : ex(vf_at(x, n - 1)));
    // the same with every exponent shifted by -c: sum over the unmasked k < n of e^{x_k - c}
    logic real mexp_sh{L}(unsigned char *m, vf_seq x, real c, integer n) =
      n <= 0 ? 0.0 : mexp_sh(m, x, c, n - 1) + (m[n - 1] != 0 ? 0.0 : ex(vf_at(x, n - 1) - c));
    // S e^{c} == T (a named predicate: Qed keeps it folded and the solvers use it as a trigger)
    predicate unshift_pair(real S, real T, real c) = S * ex(c) == T;
*/

/*@ ghost
  /@ requires exln_axioms;
     assigns \nothing;
     ensures ex_pos: \forall real x; ex(x) > 0.0;
     ensures ex_unshift: \forall real x, c, z; z == x - c ==> ex(z) * ex(c) == ex(x);
  @/
  void lemma_ex_unshift(void);
*/

/* The same facts without the marker: code units call this one, so that exln_axioms (a
 * hypothesis after a call of lemma_ex_unshift) and with it the axioms stay out of their
 * goals. */
/*@ ghost
  /@ assigns \nothing;
     ensures ex_pos: \forall real x; ex(x) > 0.0;
     ensures ex_unshift: \forall real x, c, z; z == x - c ==> ex(z) * ex(c) == ex(x);
  @/
  void lemma_ex_facts(void);
*/

/* Shift invariance of the masked normaliser, e^{c} sum e^{x_k - c} = sum e^{x_k}, and its sign
 * (>= 0; > 0 as soon as one entry is unmasked), for every mask m[0 .. n-1], x and real c: the
 * loop of the body is the induction on n. */
/*@ ghost
  /@ assigns \nothing;
     ensures unshift: \forall vf_seq x, real c;
       unshift_pair(mexp_sh(m, x, c, n), mexp(m, x, n), c);
     ensures nonneg: \forall vf_seq x, real c; mexp_sh(m, x, c, n) >= 0.0;
     ensures pos: \forall vf_seq x, real c, integer k; 0 <= k < n ==> m[k] == 0 ==>
       mexp_sh(m, x, c, n) > 0.0;
  @/
  void lemma_mexp(const unsigned char *m, size_t n);
*/

/* Shift invariance of one softmax entry: e^{x_k - c} / S = e^{x_k} / T when S e^c = T, S > 0
 * (S, T the shifted and unshifted normalisers); the exp facts at x_k, c are hypotheses of the
 * formula (instances of lemma_ex_unshift, supplied by the caller), so that the goal is pure
 * algebra on atoms with no axiom in context. */
/*@ ghost
  /@ assigns \nothing;
     ensures unshift: \forall vf_seq x, real c, integer k, real S, T;
       ex(vf_at(x, k) - c) * ex(c) == ex(vf_at(x, k)) ==> ex(c) > 0.0 ==>
       S * ex(c) == T ==> S > 0.0 ==> ex(vf_at(x, k) - c) / S == ex(vf_at(x, k)) / T;
  @/
  void lemma_softmax_unshift(void);
*/

/* The same for the masked normalisers: for an unmasked k,
 * e^{x_k - c} / sum_{unmasked j} e^{x_j - c} = e^{x_k} / sum_{unmasked j} e^{x_j}. */
/*@ ghost
  /@ assigns \nothing;
     ensures softmax_unshift: \forall vf_seq x, real c, integer k; 0 <= k < n ==> m[k] == 0 ==>
       mexp_sh(m, x, c, n) > 0.0 ==> mexp_sh(m, x, c, n) * ex(c) == mexp(m, x, n) ==>
       ex(vf_at(x, k) - c) / mexp_sh(m, x, c, n) == ex(vf_at(x, k)) / mexp(m, x, n);
  @/
  void lemma_mexp_softmax(const unsigned char *m, size_t n);
*/
#endif
