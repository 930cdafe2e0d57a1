/* vacuity_real.c — honesty check of the real theory (specs/ + the lemma-function contracts).
 * Every goal named Vacuity_* here is FALSE and must stay NOT proved: if a prover ever closes
 * one, the hypotheses it may use (lemmas, axiomatic blocks, lemma-function contracts) are
 * inconsistent and every other proof is void.  proofs/gate.py enforces this.  The other
 * goals of this unit (call preconditions) must be proved as usual. */
#include "../lemmas/sum_lemmas.h"
#include "../lemmas/relu_lemmas.h"

/* `check lemma`: proved (or not) but never assumed by later goals.  A plain `lemma` would be
 * a hypothesis of everything after it, so an unproved \false would "prove" the rest. */
/*@ check lemma Vacuity_False: \false;
    check lemma Vacuity_Relu_Negative: \exists real x; relu(x) < 0.0;
    check lemma Vacuity_Relu_Not_Projection: \exists real x, y; y >= 0.0 && relu_vi_term(x, y) > 0.0;
    check lemma Vacuity_Sum_Single_Wrong: \exists vf_seq s; sum(s, 0, 1) != vf_at(s, 0);
*/

/* All lemma-function contracts at once, then \false: consistent contracts cannot prove it. */
void vacuity_lemma_contracts(void)
{
    lemma_sum_split(0, 1, 2);
    lemma_sum_first(0, 2);
    lemma_sum_add(0, 2);
    lemma_sum_scale(-1.0, 0, 2);
    lemma_sum_congruence(0, 2);
    lemma_sum_nonpos(0, 2);
    lemma_sum_zero(0, 2);
    lemma_relu_variational_sum(0, 2);
    lemma_relu_orthogonal_sum(0, 2);
    lemma_relu_moreau_sum(0, 2);
    //@ assert Vacuity_Lemma_Contracts: \false;
}

/* The ex/ln axiom block of specs/softmax.acsl (Vf_ExLn): false statements under the axioms.
 * Consistency of the block is also proved by
 * its Coq model (proofs/coq/ExLnModel.v); these are the prover-level counterpart. */
#include "../../specs/softmax.acsl"
/* Each statement mentions exln_axioms, the marker predicate declared in the block Vf_ExLn, so
 * WP puts the five axioms in its context (a block's axioms reach only goals that use one of
 * its symbols; ex and ln themselves are declared in the axiom-free block Vf_ExLn_Symbols). */
/*@ check lemma Vacuity_ExLn_False: exln_axioms ==> \forall real x; ln(ex(x)) == x ==> \false;
    check lemma Vacuity_ExLn_Ln_Above: exln_axioms ==> \exists real x; x > 0.0 && ln(x) > x - 1.0;
    check lemma Vacuity_ExLn_Ex_Nonpos: exln_axioms ==> \exists real x; ex(x) <= 0.0;
*/
