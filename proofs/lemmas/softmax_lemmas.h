/* softmax_lemmas.h — lemma functions of specs/softmax.acsl: softmax positivity, sum to one,
 * shift invariance, and the Gibbs free-energy theorems (F[p*] = -T ln Z, the gap identity
 * F[q] - F[p*] = T KL(q || p*), KL >= 0, F[q] >= F[p*]) for every index range [a, b).
 * Bodies in softmax_lemmas.c, proved in unit `softmax_theory`.  Never linked into the library.
 *
 * Structure (each step its own small goal, measured necessary; details in softmax_lemmas.c):
 *   - exp/log facts: instances of the ex/ln axioms at one component (the only goals that see
 *     the axioms, through `requires exln_axioms`);
 *   - per-component algebra (no sum in them): one component i, quantified, no axiom in context;
 *   - summing facts: a ghost loop over the upper end of the range, its invariant the statement
 *     for the prefix (the induction), with the per-term relation as a hypothesis;
 *   - the theorems: calls of the kinds above (and of sum_lemmas.h), nothing else.
 * Reals that are not sequence components (temperature T, normaliser Z, shift c) are C double
 * parameters, not quantified reals (a quantified real with no uninterpreted term gives the SMT
 * solvers no trigger): unit `softmax_theory` runs under -wp-model real, where a double
 * parameter ranges over every real, so each postcondition holds for all reals T, Z, c. */
#ifndef VF_SOFTMAX_LEMMAS_H
#define VF_SOFTMAX_LEMMAS_H
#include "../../specs/softmax.acsl"
#include "sum_lemmas.h"

/* ---- exp/log facts: instances of the axioms of Vf_ExLn at one component ----
 * Only these functions require exln_axioms, so only their goals see the axioms. */

/*@ requires exln_axioms;
    assigns \nothing;
    ensures ex_pos: ex(c) > 0.0;
    ensures ex_pos_at: \forall vf_seq w, s, integer i;
      vf_at(w, i) == ex(vf_at(s, i)) ==> vf_at(w, i) > 0.0;
*/
void lemma_ex_pos_at(double c);

/*@ requires exln_axioms;
    assigns \nothing;
    ensures ex_shift_at: \forall vf_seq w, s, w2, s2, integer i;
      vf_at(s2, i) == vf_at(s, i) + c ==> vf_at(w, i) == ex(vf_at(s, i)) ==>
      vf_at(w2, i) == ex(vf_at(s2, i)) ==> vf_at(w2, i) == ex(c) * vf_at(w, i);
*/
void lemma_ex_shift_at(double c);

/*@ requires exln_axioms;
    assigns \nothing;
    ensures ln_p_at: \forall vf_seq p, w, s, integer i;
      Z > 0.0 ==> vf_at(w, i) == ex(vf_at(s, i)) ==> vf_at(p, i) == vf_at(w, i) / Z ==>
      ln(vf_at(p, i)) == vf_at(s, i) - ln(Z);
*/
void lemma_ln_p_at(double Z);

/*@ requires exln_axioms;
    assigns \nothing;
    ensures ln_div_at: \forall vf_seq q, p, integer i; vf_at(q, i) > 0.0 ==> vf_at(p, i) > 0.0 ==>
      ln(vf_at(q, i) / vf_at(p, i)) == ln(vf_at(q, i)) - ln(vf_at(p, i));
*/
void lemma_ln_div_at(void);

/*@ requires exln_axioms;
    assigns \nothing;
    ensures ln_le_at: \forall vf_seq q, p, integer i; vf_at(q, i) > 0.0 ==> vf_at(p, i) > 0.0 ==>
      ln(vf_at(p, i) / vf_at(q, i)) <= vf_at(p, i) / vf_at(q, i) - 1.0;
*/
void lemma_ln_le_at(void);

/* ---- per-component algebra (no axiom in context) ---- */

/*@ assigns \nothing;
    ensures weight: \forall vf_seq p, w, integer i;
      Z > 0.0 ==> vf_at(w, i) > 0.0 ==> vf_at(p, i) == vf_at(w, i) / Z ==>
      vf_at(p, i) > 0.0 && vf_at(w, i) == Z * vf_at(p, i);
*/
void lemma_softmax_term(double Z);

/*@ assigns \nothing;
    ensures shift_term: \forall vf_seq p, w, p2, w2, integer i;
      ex(c) > 0.0 ==> Z > 0.0 ==> Z2 == ex(c) * Z ==> vf_at(w2, i) == ex(c) * vf_at(w, i) ==>
      vf_at(p, i) == vf_at(w, i) / Z ==> vf_at(p2, i) == vf_at(w2, i) / Z2 ==>
      vf_at(p2, i) == vf_at(p, i);
*/
void lemma_softmax_shift_term(double c, double Z, double Z2);

/*@ assigns \nothing;
    ensures scores: \forall vf_seq s, E, integer i;
      T > 0.0 ==> vf_at(s, i) == -vf_at(E, i) / T ==> vf_at(s, i) * T == -vf_at(E, i);
*/
void lemma_gibbs_scores(double T);

/* Stationarity of the Gibbs state at component i (THEORY.md §5.2, item 2):
 * E_i + T ln p_i = -T ln Z.  A predicate, so that the prover's simplifier (Qed) keeps it
 * folded instead of solving it for one atom and rewriting products (measured: that rewriting
 * makes the per-term goals nonlinear and unprovable). */
/*@ predicate gibbs_stationary_at(vf_seq p, vf_seq E, real T, real Z, integer i) =
      vf_at(E, i) + T * ln(vf_at(p, i)) + T * ln(Z) == 0.0;
*/

/*@ assigns \nothing;
    ensures stationary: \forall vf_seq p, s, E, integer i;
      ln(vf_at(p, i)) == vf_at(s, i) - ln(Z) ==> vf_at(s, i) * T == -vf_at(E, i) ==>
      gibbs_stationary_at(p, E, T, Z, i);
*/
void lemma_gibbs_stationary(double T, double Z);

/*@ assigns \nothing;
    ensures at_min_term: \forall vf_seq p, E, integer i;
      vf_at(p, i) > 0.0 ==> gibbs_stationary_at(p, E, T, Z, i) ==>
      vf_at(p, i) * vf_at(E, i) + T * xlnx(vf_at(p, i)) + T * ln(Z) * vf_at(p, i) == 0.0;
*/
void lemma_gibbs_at_min_term(double T, double Z);

/*@ assigns \nothing;
    ensures gap_term: \forall vf_seq q, p, E, integer i;
      vf_at(q, i) >= 0.0 ==> vf_at(p, i) > 0.0 ==> gibbs_stationary_at(p, E, T, Z, i) ==>
      (vf_at(q, i) > 0.0 ==> ln(vf_at(q, i) / vf_at(p, i)) == ln(vf_at(q, i)) - ln(vf_at(p, i))) ==>
      vf_at(q, i) * vf_at(E, i) + T * xlnx(vf_at(q, i)) + T * ln(Z) * vf_at(q, i)
        == T * kl_term(vf_at(q, i), vf_at(p, i));
*/
void lemma_gibbs_gap_term(double T, double Z);

/*@ assigns \nothing;
    ensures kl_term_ge: \forall vf_seq q, p, integer i;
      vf_at(q, i) >= 0.0 ==> vf_at(p, i) > 0.0 ==>
      (vf_at(q, i) > 0.0 ==> ln(vf_at(q, i) / vf_at(p, i)) == ln(vf_at(q, i)) - ln(vf_at(p, i))) ==>
      (vf_at(q, i) > 0.0 ==> ln(vf_at(p, i) / vf_at(q, i)) == ln(vf_at(p, i)) - ln(vf_at(q, i))) ==>
      (vf_at(q, i) > 0.0 ==> ln(vf_at(p, i) / vf_at(q, i)) <= vf_at(p, i) / vf_at(q, i) - 1.0) ==>
      kl_term(vf_at(q, i), vf_at(p, i)) >= vf_at(q, i) - vf_at(p, i);
*/
void lemma_kl_term_ge(void);

/* ---- summing facts (induction on the range) ----
 * Range-level hypotheses are named predicates: a hypothesis written out as a quantified formula
 * is normalised by Qed differently in the caller and in the callee (monomial order depends on
 * variable names), and the SMT solvers then fail to match them (measured). */
/*@ predicate scaled_ex_on(vf_seq r, vf_seq s, real c, integer a, integer b) =
      \forall integer j; a <= j < b ==> vf_at(r, j) == ex(c) * vf_at(s, j);
    predicate gap_terms_on(vf_seq q, vf_seq p, vf_seq E, real T, real Z, integer a, integer b) =
      \forall integer j; a <= j < b ==>
        vf_at(q, j) * vf_at(E, j) + T * xlnx(vf_at(q, j)) + T * ln(Z) * vf_at(q, j)
          == T * kl_term(vf_at(q, j), vf_at(p, j));
    predicate gibbs_facts_on(vf_seq p, vf_seq E, real T, real Z, integer a, integer b) =
      \forall integer j; a <= j < b ==> vf_at(p, j) > 0.0 && gibbs_stationary_at(p, E, T, Z, j);
*/

/*@ assigns \nothing;
    ensures sum_pos: \forall vf_seq w;
      a < b ==> (\forall integer j; a <= j < b ==> vf_at(w, j) > 0.0) ==> sum(w, a, b) > 0.0;
*/
void lemma_sum_pos(long long a, long long b);

/*@ assigns \nothing;
    ensures sum_scale_ex: \forall vf_seq r, s;
      scaled_ex_on(r, s, c, a, b) ==> sum(r, a, b) == ex(c) * sum(s, a, b);
*/
void lemma_sum_scale_ex(double c, long long a, long long b);

/*@ assigns \nothing;
    ensures free_energy_lin: \forall vf_seq q, E;
      (\forall integer j; a <= j < b ==>
         vf_at(q, j) * vf_at(E, j) + T * xlnx(vf_at(q, j)) + T * ln(Z) * vf_at(q, j) == 0.0) ==>
      free_energy(q, E, T, a, b) + T * ln(Z) * sum(q, a, b) == 0.0;
*/
void lemma_free_energy_lin(double T, double Z, long long a, long long b);

/*@ assigns \nothing;
    ensures free_energy_kl: \forall vf_seq q, p, E;
      gap_terms_on(q, p, E, T, Z, a, b) ==>
      free_energy(q, E, T, a, b) + T * ln(Z) * sum(q, a, b) == T * kl(q, p, a, b);
*/
void lemma_free_energy_kl(double T, double Z, long long a, long long b);

/*@ assigns \nothing;
    ensures kl_ge: \forall vf_seq q, p;
      (\forall integer j; a <= j < b ==> kl_term(vf_at(q, j), vf_at(p, j)) >= vf_at(q, j) - vf_at(p, j)) ==>
      kl(q, p, a, b) >= sum(q, a, b) - sum(p, a, b);
*/
void lemma_kl_ge(long long a, long long b);

/* ---- the theorems of specs/softmax.acsl ---- */

/*@ assigns \nothing;
    ensures softmax_z_pos: \forall vf_seq w, s; Softmax_Z_Pos(w, s, a, b);
*/
void lemma_softmax_z_pos(long long a, long long b);

/*@ assigns \nothing;
    ensures softmax_pos: \forall vf_seq p, w, s; Softmax_Pos(p, w, s, Z, a, b);
*/
void lemma_softmax_pos(double Z, long long a, long long b);

/*@ assigns \nothing;
    ensures softmax_sum_one: \forall vf_seq p, w, s; Softmax_Sum_One(p, w, s, Z, a, b);
*/
void lemma_softmax_sum_one(double Z, long long a, long long b);

/*@ assigns \nothing;
    ensures softmax_shift: \forall vf_seq p, w, s, p2, w2, s2;
      Softmax_Shift(p, w, s, Z, p2, w2, s2, Z2, c, a, b);
*/
void lemma_softmax_shift(double c, double Z, double Z2, long long a, long long b);

/*@ assigns \nothing;
    ensures gibbs_f_at_min: \forall vf_seq p, w, s, E; Gibbs_F_At_Min(p, w, s, E, T, Z, a, b);
*/
void lemma_gibbs_f_at_min(double T, double Z, long long a, long long b);

/*@ assigns \nothing;
    ensures gibbs_gap: \forall vf_seq q, p, w, s, E; Gibbs_Gap(q, p, w, s, E, T, Z, a, b);
*/
void lemma_gibbs_gap(double T, double Z, long long a, long long b);

/*@ assigns \nothing;
    ensures gibbs_kl_nonneg: \forall vf_seq q, p, w, s, E; Gibbs_Kl_Nonneg(q, p, w, s, E, T, Z, a, b);
*/
void lemma_gibbs_kl_nonneg(double T, double Z, long long a, long long b);

/*@ assigns \nothing;
    ensures gibbs_min: \forall vf_seq q, p, w, s, E; Gibbs_Min(q, p, w, s, E, T, Z, a, b);
*/
void lemma_gibbs_min(double T, double Z, long long a, long long b);
#endif
