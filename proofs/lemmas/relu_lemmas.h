/* relu_lemmas.h — lemma functions of specs/relu.acsl for vectors of any length (sums).
 * Bodies in relu_lemmas.c (unit `relu_theory`), which call the finite-sum lemma functions of
 * sum_lemmas.h (proved in unit `sum`). */
#ifndef VF_RELU_LEMMAS_H
#define VF_RELU_LEMMAS_H
#include "../../specs/relu.acsl"

/*@ assigns \nothing;
    ensures relu_variational_sum: \forall vf_seq t, x, y; Relu_Variational_Sum(t, x, y, a, b);
*/
void lemma_relu_variational_sum(long long a, long long b);

/*@ assigns \nothing;
    ensures relu_orthogonal_sum: \forall vf_seq t, x, p, q; Relu_Orthogonal_Sum(t, x, p, q, a, b);
*/
void lemma_relu_orthogonal_sum(long long a, long long b);

/*@ assigns \nothing;
    ensures relu_moreau_sum: \forall vf_seq x, p, q; Relu_Moreau_Sum(x, p, q, a, b);
*/
void lemma_relu_moreau_sum(long long a, long long b);
#endif
