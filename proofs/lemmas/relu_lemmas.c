/* relu_lemmas.c — bodies of the vector ReLU lemma functions (contracts in relu_lemmas.h):
 * the per-component lemma of specs/relu.acsl plus one finite-sum lemma function. */
#include "sum_lemmas.h"
#include "relu_lemmas.h"

void lemma_relu_variational_sum(long long a, long long b)
{
    // every term (x_i - P x_i)(y_i - P x_i) is <= 0 (Relu_Variational), so is their sum
    /*@ assert terms_nonpos: \forall vf_seq t, x, y;
          vf_nonneg(y, a, b) ==> relu_vi_terms(t, x, y, a, b) ==>
          \forall integer i; a <= i < b ==> vf_at(t, i) <= 0.0;
    */
    lemma_sum_nonpos(a, b);
}

void lemma_relu_orthogonal_sum(long long a, long long b)
{
    // every term P(x_i) P(-x_i) is 0 (Relu_Orthogonal), so is their sum
    lemma_sum_zero(a, b);
}

void lemma_relu_moreau_sum(long long a, long long b)
{
    // p_i == x_i + q_i (Relu_Moreau), so sum p == sum x + sum q
    lemma_sum_add(a, b);
}
