/* vacuity_softmax.c — honesty check of specs/softmax.acsl (softmax, Gibbs free energy, the ex/ln
 * axioms) and the contracts of proofs/lemmas/softmax_lemmas.h.  Every goal named Vacuity_* here
 * is FALSE and must stay NOT proved (proofs/gate.py enforces it); the other goals (call
 * preconditions) must be proved as usual.  Pure real theory: run under -wp-model real.
 *
 * The axioms of Vf_ExLn reach a goal only when it mentions `exln_axioms` (see the comment in
 * specs/softmax.acsl), so each false statement below is guarded by `exln_axioms ==>`: the five
 * axioms and every lemma-function contract are then in its context.  One false statement per
 * function, so that no unproved assertion is assumed by another. */
#include "../lemmas/softmax_lemmas.h"

/* Every contract of softmax_lemmas.h and the axioms, then \false. */
void vacuity_softmax_contracts(double T, double Z, double c)
{
    lemma_ex_pos_at(c);
    lemma_ex_shift_at(c);
    lemma_ln_p_at(Z);
    lemma_ln_div_at();
    lemma_ln_le_at();
    lemma_softmax_term(Z);
    lemma_softmax_shift_term(c, Z, Z);
    lemma_gibbs_scores(T);
    lemma_gibbs_stationary(T, Z);
    lemma_gibbs_at_min_term(T, Z);
    lemma_gibbs_gap_term(T, Z);
    lemma_kl_term_ge();
    lemma_sum_pos(0, 2);
    lemma_sum_scale_ex(c, 0, 2);
    lemma_free_energy_lin(T, Z, 0, 2);
    lemma_free_energy_kl(T, Z, 0, 2);
    lemma_kl_ge(0, 2);
    lemma_softmax_z_pos(0, 2);
    lemma_softmax_pos(Z, 0, 2);
    lemma_softmax_sum_one(Z, 0, 2);
    lemma_softmax_shift(c, Z, Z, 0, 2);
    lemma_gibbs_f_at_min(T, Z, 0, 2);
    lemma_gibbs_gap(T, Z, 0, 2);
    lemma_gibbs_kl_nonneg(T, Z, 0, 2);
    lemma_gibbs_min(T, Z, 0, 2);
    //@ assert Vacuity_Gibbs_Contracts: exln_axioms ==> \false;
}

/* Wrong sign of the minimum: F[p*] = +T ln Z (false, e.g. n = 2, E = 0, T = 1: Z = 2 and
 * F[p*] = -ln 2 < 0 < ln 2; ln 2 > 0 follows from the axioms). */
void vacuity_gibbs_f_plus(double T, double Z)
{
    lemma_gibbs_f_at_min(T, Z, 0, 2);
    /*@ assert Vacuity_Gibbs_F_Plus: exln_axioms ==> \forall vf_seq p, w, s, E;
          T > 0.0 ==> gibbs_of(p, w, s, E, T, Z, 0, 2) ==> free_energy(p, E, T, 0, 2) == T * ln(Z);
    */
}
