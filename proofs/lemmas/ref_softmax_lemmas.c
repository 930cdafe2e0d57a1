/* ref_softmax_lemmas.c — body of the ghost lemma function of ref_softmax_lemmas.h (unit
 * `ref_softmax_theory`, -wp-model real: pure real theory).  Both postconditions are instances
 * of the axioms ExLn_Ex_Pos and ExLn_Ex_Add (x := z, y := c, z := x). */
#include "ref_softmax_lemmas.h"

/*@ ghost
  void lemma_ex_unshift(void)
  {
  }
*/

/*@ ghost
  void lemma_ex_facts(void)
  {
    lemma_ex_unshift();
  }
*/

/* The two sums at i + 1, unfolded once. */
/*@ ghost
  /@ requires 0 <= i;
     assigns \nothing;
     ensures masked: m[i] != 0 ==> \forall vf_seq x, real c;
       mexp_sh(m, x, c, i + 1) == mexp_sh(m, x, c, i) && mexp(m, x, i + 1) == mexp(m, x, i);
     ensures unmasked: m[i] == 0 ==> \forall vf_seq x, real c;
       mexp_sh(m, x, c, i + 1) == mexp_sh(m, x, c, i) + ex(vf_at(x, i) - c) &&
       mexp(m, x, i + 1) == mexp(m, x, i) + ex(vf_at(x, i));
  @/
  static void step_unfold(const unsigned char *m, size_t i)
  {
  }
*/

/* The shifted sum at i + 1 times e^c, expanded: the unfolding of step_unfold is a hypothesis
 * of the formula, so that Qed substitutes it and the goal is ring arithmetic (stated with the
 * unfolding proved inside, the goal needed up to 3.3 s of Z3 and failed under load, measured). */
/*@ ghost
  /@ requires 0 <= i;
     assigns \nothing;
     ensures masked: \forall vf_seq x, real c;
       mexp_sh(m, x, c, i + 1) == mexp_sh(m, x, c, i) ==>
       mexp_sh(m, x, c, i + 1) * ex(c) == mexp_sh(m, x, c, i) * ex(c);
     ensures unmasked: \forall vf_seq x, real c;
       mexp_sh(m, x, c, i + 1) == mexp_sh(m, x, c, i) + ex(vf_at(x, i) - c) ==>
       mexp_sh(m, x, c, i + 1) * ex(c) ==
         mexp_sh(m, x, c, i) * ex(c) + ex(vf_at(x, i) - c) * ex(c);
  @/
  static void step_mul(const unsigned char *m, size_t i)
  {
  }
*/

/* One induction step of `unshift` (the sums unfold once at i + 1; the exp fact at x_i). */
/*@ ghost
  /@ requires 0 <= i;
     assigns \nothing;
     ensures step: \forall vf_seq x, real c;
       mexp_sh(m, x, c, i) * ex(c) == mexp(m, x, i) ==>
       mexp_sh(m, x, c, i + 1) * ex(c) == mexp(m, x, i + 1);
  @/
  static void step_unshift(const unsigned char *m, size_t i)
  {
    lemma_ex_unshift();
    step_unfold(m, i);
    step_mul(m, i);
  }
*/

/* The sign facts of lemma_mexp, by induction on n. */
/*@ ghost
  /@ assigns \nothing;
     ensures nonneg: \forall vf_seq x, real c; mexp_sh(m, x, c, n) >= 0.0;
     ensures pos: \forall vf_seq x, real c, integer k; 0 <= k < n ==> m[k] == 0 ==>
       mexp_sh(m, x, c, n) > 0.0;
  @/
  static void mexp_sign(const unsigned char *m, size_t n)
  {
    /@ loop invariant bound: 0 <= i <= n;
       loop invariant nonneg: \forall vf_seq x, real c; mexp_sh(m, x, c, i) >= 0.0;
       loop invariant pos: \forall vf_seq x, real c, integer k; 0 <= k < i ==> m[k] == 0 ==>
         mexp_sh(m, x, c, i) > 0.0;
       loop assigns i;
       loop variant n - i;
    @/
    for (size_t i = 0; i < n; i++) {
      lemma_ex_unshift();
      step_unfold(m, i);
    }
  }
*/

/*@ ghost
  void lemma_mexp(const unsigned char *m, size_t n)
  {
    /@ loop invariant bound: 0 <= i <= n;
       loop invariant unshift: \forall vf_seq x, real c;
         unshift_pair(mexp_sh(m, x, c, i), mexp(m, x, i), c);
       loop assigns i;
       loop variant n - i;
    @/
    for (size_t i = 0; i < n; i++) {
      step_unshift(m, i);
    }
    mexp_sign(m, n);
  }
*/

/*@ ghost
  void lemma_softmax_unshift(void)
  {
  }
*/

/*@ ghost
  void lemma_mexp_softmax(const unsigned char *m, size_t n)
  {
    lemma_ex_facts();
    lemma_softmax_unshift();
  }
*/
