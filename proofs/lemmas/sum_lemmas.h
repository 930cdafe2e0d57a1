/* sum_lemmas.h — lemma functions of specs/sum.acsl: their postconditions are the induction
 * facts on finite sums, for every index range representable in long long.  Bodies (the loop
 * invariants that carry the induction) are in sum_lemmas.c, proved in unit `sum`; callers
 * (other lemma units) use the contracts.  Never linked into the library. */
#ifndef VF_SUM_LEMMAS_H
#define VF_SUM_LEMMAS_H
#include "../../specs/sum.acsl"

/*@ requires range: a <= m <= b;
    assigns \nothing;
    ensures sum_split: \forall vf_seq s; Sum_Split(s, a, m, b);
*/
void lemma_sum_split(long long a, long long m, long long b);

/*@ assigns \nothing;
    ensures sum_first: \forall vf_seq s; Sum_First(s, a, b);
*/
void lemma_sum_first(long long a, long long b);

/*@ assigns \nothing;
    ensures sum_add: \forall vf_seq r, s, t; Sum_Add(r, s, t, a, b);
*/
void lemma_sum_add(long long a, long long b);

/* c is a C parameter, not quantified in the postcondition: a quantified real factor has no
 * uninterpreted term to trigger on in the loop invariant (measured: Z3/CVC4/CVC5 all fail).
 * Unit `sum` runs under -wp-model real, where a double parameter ranges over every real. */
/*@ assigns \nothing;
    ensures sum_scale: \forall vf_seq r, s; Sum_Scale(r, c, s, a, b);
*/
void lemma_sum_scale(double c, long long a, long long b);

/*@ assigns \nothing;
    ensures sum_congruence: \forall vf_seq s, t; Sum_Congruence(s, t, a, b);
*/
void lemma_sum_congruence(long long a, long long b);

/*@ assigns \nothing;
    ensures sum_nonpos: \forall vf_seq s; Sum_Nonpos(s, a, b);
*/
void lemma_sum_nonpos(long long a, long long b);

/*@ assigns \nothing;
    ensures sum_zero: \forall vf_seq s; Sum_Zero(s, a, b);
*/
void lemma_sum_zero(long long a, long long b);
#endif
