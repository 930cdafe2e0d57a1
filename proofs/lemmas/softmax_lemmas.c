/* softmax_lemmas.c — bodies of the lemma functions of softmax_lemmas.h (unit
 * `softmax_theory`, -wp-model real: pure real theory).
 *
 * How the goals were made to close (measured with Z3 4.8.12 / CVC4 1.8 / CVC5 1.0.3, 10 s):
 *   - the ex/ln axioms are visible only in the five exp/log lemma functions (requires
 *     exln_axioms); with them in context even one-step nonlinear identities fail;
 *   - every algebraic step is its own `static` lemma function with an empty body (an assert in
 *     a body is a hypothesis of every later goal of that body, and the quantified steps then
 *     defeat each other); a step that needs a fact takes it as a hypothesis in the same
 *     formula, so Qed can substitute it (e.g. step_kl_mul, step_empty_mul);
 *   - sign steps are stated on atoms (kl_slack), never on expanded sums of products;
 *   - range-level interfaces are named predicates (scaled_ex_on, gap_terms_on,
 *     gibbs_facts_on, shifted), so caller and callee see the same formula after Qed;
 *   - summing loops call their unfolding steps inside the loop body (out of the exit goal)
 *     and assert i == b after the loop.
 * Summing functions: each loop walks the upper end i of the range; its invariant is the
 * statement for [a, i) (base case: established; induction step: preserved).  Theorems: calls
 * of lemma functions only. */
#include "softmax_lemmas.h"

/* ---- exp/log facts ---- */

void lemma_ex_pos_at(double c)
{
}

void lemma_ex_shift_at(double c)
{
}

void lemma_ln_p_at(double Z)
{
}

void lemma_ln_div_at(void)
{
}

void lemma_ln_le_at(void)
{
}

/* ---- per-component algebra ---- */

void lemma_softmax_term(double Z)
{
}

void lemma_softmax_shift_term(double c, double Z, double Z2)
{
}

void lemma_gibbs_scores(double T)
{
}

/* Algebra steps of the three per-component facts below, one lemma function each (asserts in
 * one body would put every earlier step in every later goal; measured worse).  Internal:
 * contracts here, not in the header. */

/*@ assigns \nothing;
    ensures xlnx_pos: \forall vf_seq q, integer i; vf_at(q, i) > 0.0 ==>
      T * xlnx(vf_at(q, i)) == T * vf_at(q, i) * ln(vf_at(q, i));
*/
static void step_xlnx_pos(double T) { }

/*@ assigns \nothing;
    ensures stat_mul: \forall vf_seq q, p, E, integer i; gibbs_stationary_at(p, E, T, Z, i) ==>
      vf_at(q, i) * vf_at(E, i) + T * vf_at(q, i) * ln(vf_at(p, i)) + T * ln(Z) * vf_at(q, i) == 0.0;
*/
static void step_stat_mul(double T, double Z) { }

/*@ assigns \nothing;
    ensures kl_pos: \forall vf_seq q, p, integer i; vf_at(q, i) > 0.0 ==>
      T * kl_term(vf_at(q, i), vf_at(p, i)) == T * vf_at(q, i) * ln(vf_at(q, i) / vf_at(p, i));
*/
static void step_kl_pos(double T) { }

/*@ assigns \nothing;
    ensures kl_split: \forall vf_seq q, p, integer i;
      ln(vf_at(q, i) / vf_at(p, i)) == ln(vf_at(q, i)) - ln(vf_at(p, i)) ==>
      T * vf_at(q, i) * ln(vf_at(q, i) / vf_at(p, i))
        == T * vf_at(q, i) * ln(vf_at(q, i)) - T * vf_at(q, i) * ln(vf_at(p, i));
*/
static void step_kl_split(double T) { }

/*@ assigns \nothing;
    ensures gap_zero: \forall vf_seq q, p, E, integer i; vf_at(q, i) == 0.0 ==>
      vf_at(q, i) * vf_at(E, i) + T * xlnx(vf_at(q, i)) + T * ln(Z) * vf_at(q, i)
        == T * kl_term(vf_at(q, i), vf_at(p, i));
*/
static void step_gap_zero(double T, double Z) { }

/*@ assigns \nothing;
    ensures kl_term_pos: \forall vf_seq q, p, integer i; vf_at(q, i) > 0.0 ==>
      kl_term(vf_at(q, i), vf_at(p, i)) == vf_at(q, i) * ln(vf_at(q, i) / vf_at(p, i));
*/
static void step_kl_term_pos(void) { }

/*@ assigns \nothing;
    ensures ln_ratio: \forall vf_seq q, p, integer i;
      ln(vf_at(q, i) / vf_at(p, i)) == ln(vf_at(q, i)) - ln(vf_at(p, i)) ==>
      ln(vf_at(p, i) / vf_at(q, i)) == ln(vf_at(p, i)) - ln(vf_at(q, i)) ==>
      ln(vf_at(p, i) / vf_at(q, i)) <= vf_at(p, i) / vf_at(q, i) - 1.0 ==>
      ln(vf_at(q, i) / vf_at(p, i)) >= 1.0 - vf_at(p, i) / vf_at(q, i);
*/
static void step_ln_ratio(void) { }

/* q ln(q/p) - (q - p) = q * kl_slack(q, p): the slack as a function symbol, so that "q > 0 and
 * slack >= 0 imply q * slack >= 0" is a step on two atoms (measured: stated on the expanded
 * sum, Z3 / CVC4 / CVC5 all fail this one-line sign fact). */
/*@ logic real kl_slack(real q, real p) = ln(q / p) - 1.0 + p / q; */

/*@ assigns \nothing;
    ensures slack_nonneg: \forall vf_seq q, p, integer i; vf_at(q, i) > 0.0 ==>
      ln(vf_at(q, i) / vf_at(p, i)) >= 1.0 - vf_at(p, i) / vf_at(q, i) ==>
      kl_slack(vf_at(q, i), vf_at(p, i)) >= 0.0;
*/
static void step_slack_nonneg(void) { }

/*@ assigns \nothing;
    ensures slack_mul: \forall vf_seq q, p, integer i; vf_at(q, i) > 0.0 ==>
      kl_slack(vf_at(q, i), vf_at(p, i)) >= 0.0 ==>
      vf_at(q, i) * kl_slack(vf_at(q, i), vf_at(p, i)) >= 0.0;
*/
static void step_slack_mul(void) { }

/*@ assigns \nothing;
    ensures slack_expand: \forall vf_seq q, p, integer i;
      vf_at(q, i) * kl_slack(vf_at(q, i), vf_at(p, i))
        == vf_at(q, i) * ln(vf_at(q, i) / vf_at(p, i)) - vf_at(q, i) + vf_at(q, i) * (vf_at(p, i) / vf_at(q, i));
*/
static void step_slack_expand(void) { }

/*@ assigns \nothing;
    ensures cancel: \forall vf_seq q, p, integer i; vf_at(q, i) > 0.0 ==>
      vf_at(q, i) * (vf_at(p, i) / vf_at(q, i)) == vf_at(p, i);
*/
static void step_cancel(void) { }

/*@ assigns \nothing;
    ensures kl_zero: \forall vf_seq q, p, integer i; vf_at(q, i) == 0.0 ==> vf_at(p, i) > 0.0 ==>
      kl_term(vf_at(q, i), vf_at(p, i)) >= vf_at(q, i) - vf_at(p, i);
*/
static void step_kl_zero(void) { }

void lemma_gibbs_stationary(double T, double Z)
{
}

void lemma_gibbs_at_min_term(double T, double Z)
{
    step_xlnx_pos(T);
    step_stat_mul(T, Z);
}

void lemma_gibbs_gap_term(double T, double Z)
{
    step_gap_zero(T, Z);
    step_xlnx_pos(T);
    step_kl_pos(T);
    step_kl_split(T);
    step_stat_mul(T, Z);
}

void lemma_kl_term_ge(void)
{
    step_kl_zero();
    step_kl_term_pos();
    step_ln_ratio();
    step_slack_nonneg();
    step_slack_mul();
    step_slack_expand();
    step_cancel();
}

/* ---- summing facts ---- */

void lemma_sum_pos(long long a, long long b)
{
    if (b <= a)
        return;
    long long i = a + 1;
    /*@ loop invariant bound: a + 1 <= i <= b;
        loop invariant pos: \forall vf_seq w;
          (\forall integer j; a <= j < b ==> vf_at(w, j) > 0.0) ==> sum(w, a, i) > 0.0;
        loop assigns i;
        loop variant b - i;
    */
    while (i < b)
        i++;
}

void lemma_sum_scale_ex(double c, long long a, long long b)
{
    if (b <= a)
        return;
    long long i = a;
    /*@ loop invariant bound: a <= i <= b;
        loop invariant scale: \forall vf_seq r, s;
          scaled_ex_on(r, s, c, a, b) ==> sum(r, a, i) == ex(c) * sum(s, a, i);
        loop assigns i;
        loop variant b - i;
    */
    while (i < b) {
        //@ assert unfold: \forall vf_seq s; ex(c) * sum(s, a, i + 1) == ex(c) * sum(s, a, i) + ex(c) * vf_at(s, i);
        i++;
    }
}

/* One-step unfoldings of the recursive sums, multiplied out (outside the loops: a clean
 * context per step). */
/*@ assigns \nothing;
    ensures fe_unfold: \forall vf_seq q, E, integer a, i; a <= i ==>
      free_energy(q, E, T, a, i + 1)
        == free_energy(q, E, T, a, i) + (vf_at(q, i) * vf_at(E, i) + T * xlnx(vf_at(q, i)));
*/
static void step_fe_unfold(double T) { }

/*@ assigns \nothing;
    ensures sum_unfold: \forall vf_seq q, integer a, i; a <= i ==>
      T * ln(Z) * sum(q, a, i + 1) == T * ln(Z) * sum(q, a, i) + T * ln(Z) * vf_at(q, i);
*/
static void step_scaled_sum_unfold(double T, double Z) { }

/*@ assigns \nothing;
    ensures kl_def: \forall vf_seq q, p, integer a, i; a <= i ==>
      kl(q, p, a, i + 1) == kl(q, p, a, i) + kl_term(vf_at(q, i), vf_at(p, i));
*/
static void step_kl_def(void) { }

/*@ assigns \nothing;
    ensures kl_mul: \forall vf_seq q, p, integer a, i;
      kl(q, p, a, i + 1) == kl(q, p, a, i) + kl_term(vf_at(q, i), vf_at(p, i)) ==>
      T * kl(q, p, a, i + 1) == T * kl(q, p, a, i) + T * kl_term(vf_at(q, i), vf_at(p, i));
*/
static void step_kl_mul(double T) { }

/*@ assigns \nothing;
    ensures kl_unfold: \forall vf_seq q, p, integer a, i; a <= i ==>
      T * kl(q, p, a, i + 1) == T * kl(q, p, a, i) + T * kl_term(vf_at(q, i), vf_at(p, i));
*/
static void step_kl_unfold(double T) { step_kl_def(); step_kl_mul(T); }

/*@ assigns \nothing;
    ensures empty_def: \forall vf_seq q, p, E, integer a, b; b <= a ==>
      free_energy(q, E, T, a, b) == 0.0 && sum(q, a, b) == 0.0 && kl(q, p, a, b) == 0.0;
*/
static void step_empty_def(double T) { }

/*@ assigns \nothing;
    ensures empty_mul: \forall vf_seq q, p, E, integer a, b;
      free_energy(q, E, T, a, b) == 0.0 ==> sum(q, a, b) == 0.0 ==> kl(q, p, a, b) == 0.0 ==>
      free_energy(q, E, T, a, b) + T * ln(Z) * sum(q, a, b) == 0.0 &&
      free_energy(q, E, T, a, b) + T * ln(Z) * sum(q, a, b) == T * kl(q, p, a, b);
*/
static void step_empty_mul(double T, double Z) { }

/*@ assigns \nothing;
    ensures empty: \forall vf_seq q, p, E, integer a, b; b <= a ==>
      free_energy(q, E, T, a, b) + T * ln(Z) * sum(q, a, b) == 0.0 &&
      free_energy(q, E, T, a, b) + T * ln(Z) * sum(q, a, b) == T * kl(q, p, a, b);
*/
static void step_empty(double T, double Z) { step_empty_def(T); step_empty_mul(T, Z); }

void lemma_free_energy_lin(double T, double Z, long long a, long long b)
{
    if (b <= a) {
        step_empty(T, Z);
        return;
    }
    long long i = a;
    /*@ loop invariant bound: a <= i <= b;
        loop invariant lin: \forall vf_seq q, E;
          (\forall integer j; a <= j < b ==>
             vf_at(q, j) * vf_at(E, j) + T * xlnx(vf_at(q, j)) + T * ln(Z) * vf_at(q, j) == 0.0) ==>
          free_energy(q, E, T, a, i) + T * ln(Z) * sum(q, a, i) == 0.0;
        loop assigns i;
        loop variant b - i;
    */
    while (i < b) {
        step_fe_unfold(T);
        step_scaled_sum_unfold(T, Z);
        i++;
    }
    //@ assert end: i == b;
}

void lemma_free_energy_kl(double T, double Z, long long a, long long b)
{
    if (b <= a) {
        step_empty(T, Z);
        return;
    }
    long long i = a;
    /*@ loop invariant bound: a <= i <= b;
        loop invariant fkl: \forall vf_seq q, p, E;
          gap_terms_on(q, p, E, T, Z, a, b) ==>
          free_energy(q, E, T, a, i) + T * ln(Z) * sum(q, a, i) == T * kl(q, p, a, i);
        loop assigns i;
        loop variant b - i;
    */
    while (i < b) {
        step_fe_unfold(T);
        step_scaled_sum_unfold(T, Z);
        step_kl_unfold(T);
        i++;
    }
    //@ assert end: i == b;
}

void lemma_kl_ge(long long a, long long b)
{
    if (b <= a)
        return;
    long long i = a;
    /*@ loop invariant bound: a <= i <= b;
        loop invariant ge: \forall vf_seq q, p;
          (\forall integer j; a <= j < b ==> kl_term(vf_at(q, j), vf_at(p, j)) >= vf_at(q, j) - vf_at(p, j)) ==>
          kl(q, p, a, i) >= sum(q, a, i) - sum(p, a, i);
        loop assigns i;
        loop variant b - i;
    */
    while (i < b)
        i++;
}

/* ---- per-component facts over a whole range (inputs of the summing facts) ---- */

/*@ assigns \nothing;
    ensures weights: \forall vf_seq p, w, s;
      Z > 0.0 ==> softmax_of(p, w, s, Z, a, b) ==>
      \forall integer j; a <= j < b ==> vf_at(p, j) > 0.0 && vf_at(w, j) == Z * vf_at(p, j);
*/
static void range_weights(double Z, long long a, long long b)
{
    lemma_ex_pos_at(0.0);
    lemma_softmax_term(Z);
}

/*@ assigns \nothing;
    ensures cancel: \forall vf_seq p, w;
      Z > 0.0 ==> sum(w, a, b) == Z ==> sum(w, a, b) == Z * sum(p, a, b) ==> sum(p, a, b) == 1.0;
*/
static void step_sum_one_cancel(double Z, long long a, long long b) { }

/*@ assigns \nothing;
    ensures shift_weights: \forall vf_seq w, s, w2, s2;
      shifted(s2, s, c, a, b) ==> ex_of(w, s, a, b) ==> ex_of(w2, s2, a, b) ==>
      scaled_ex_on(w2, w, c, a, b);
*/
static void range_shift_weights(double c, long long a, long long b)
{
    lemma_ex_shift_at(c);
}

/*@ assigns \nothing;
    ensures z2: \forall vf_seq w, w2;
      sum(w, a, b) == Z ==> sum(w2, a, b) == Z2 ==> sum(w2, a, b) == ex(c) * sum(w, a, b) ==>
      Z2 == ex(c) * Z;
*/
static void step_shift_z2(double c, double Z, double Z2, long long a, long long b) { }

/*@ assigns \nothing;
    ensures shift_probs: \forall vf_seq p, w, s, p2, w2, s2;
      ex(c) > 0.0 ==> Z > 0.0 ==> sum(w2, a, b) == ex(c) * sum(w, a, b) ==>
      scaled_ex_on(w2, w, c, a, b) ==>
      softmax_of(p, w, s, Z, a, b) ==> softmax_of(p2, w2, s2, Z2, a, b) ==>
      \forall integer j; a <= j < b ==> vf_at(p2, j) == vf_at(p, j);
*/
static void range_shift_probs(double c, double Z, double Z2, long long a, long long b)
{
    step_shift_z2(c, Z, Z2, a, b);
    lemma_softmax_shift_term(c, Z, Z2);
}

/*@ assigns \nothing;
    ensures stationary: \forall vf_seq p, w, s, E;
      T > 0.0 ==> Z > 0.0 ==> gibbs_of(p, w, s, E, T, Z, a, b) ==>
      \forall integer j; a <= j < b ==> gibbs_stationary_at(p, E, T, Z, j);
*/
static void range_stationary(double T, double Z, long long a, long long b)
{
    lemma_ln_p_at(Z);
    lemma_gibbs_scores(T);
    lemma_gibbs_stationary(T, Z);
}

/*@ assigns \nothing;
    ensures at_min_terms: \forall vf_seq p, w, s, E;
      T > 0.0 ==> Z > 0.0 ==> gibbs_of(p, w, s, E, T, Z, a, b) ==>
      \forall integer j; a <= j < b ==>
        vf_at(p, j) * vf_at(E, j) + T * xlnx(vf_at(p, j)) + T * ln(Z) * vf_at(p, j) == 0.0;
*/
static void range_at_min_terms(double T, double Z, long long a, long long b)
{
    range_weights(Z, a, b);
    range_stationary(T, Z, a, b);
    lemma_gibbs_at_min_term(T, Z);
}

/*@ assigns \nothing;
    ensures gibbs_facts: \forall vf_seq p, w, s, E;
      T > 0.0 ==> Z > 0.0 ==> gibbs_of(p, w, s, E, T, Z, a, b) ==> gibbs_facts_on(p, E, T, Z, a, b);
*/
static void range_gibbs_facts(double T, double Z, long long a, long long b)
{
    range_weights(Z, a, b);
    range_stationary(T, Z, a, b);
}

/*@ assigns \nothing;
    ensures ln_divs: \forall vf_seq q, p;
      (\forall integer j; a <= j < b ==> vf_at(p, j) > 0.0) ==>
      \forall integer j; a <= j < b ==> vf_at(q, j) > 0.0 ==>
        ln(vf_at(q, j) / vf_at(p, j)) == ln(vf_at(q, j)) - ln(vf_at(p, j));
*/
static void range_ln_div(long long a, long long b)
{
    lemma_ln_div_at();
}

/*@ assigns \nothing;
    ensures gap_terms0: \forall vf_seq q, p, E;
      gibbs_facts_on(p, E, T, Z, a, b) ==> vf_nonneg(q, a, b) ==> gap_terms_on(q, p, E, T, Z, a, b);
*/
static void range_gap_terms0(double T, double Z, long long a, long long b)
{
    range_ln_div(a, b);
    lemma_gibbs_gap_term(T, Z);
}

/*@ assigns \nothing;
    ensures fe_kl: \forall vf_seq q, p, w, s, E;
      T > 0.0 ==> Z > 0.0 ==> gibbs_of(p, w, s, E, T, Z, a, b) ==> vf_nonneg(q, a, b) ==>
      free_energy(q, E, T, a, b) + T * ln(Z) * sum(q, a, b) == T * kl(q, p, a, b);
*/
static void range_fe_kl(double T, double Z, long long a, long long b)
{
    range_gibbs_facts(T, Z, a, b);
    range_gap_terms0(T, Z, a, b);
    lemma_free_energy_kl(T, Z, a, b);
}

/*@ assigns \nothing;
    ensures sum_w: \forall vf_seq p, w, s;
      Z > 0.0 ==> softmax_of(p, w, s, Z, a, b) ==> sum(w, a, b) == Z * sum(p, a, b);
*/
static void range_sum_w(double Z, long long a, long long b)
{
    range_weights(Z, a, b);
    lemma_sum_scale(Z, a, b);
}

/*@ assigns \nothing;
    ensures shift_z: \forall vf_seq w, s, w2, s2;
      shifted(s2, s, c, a, b) ==> ex_of(w, s, a, b) ==> ex_of(w2, s2, a, b) ==>
      sum(w2, a, b) == ex(c) * sum(w, a, b);
*/
static void range_shift_z(double c, long long a, long long b)
{
    range_shift_weights(c, a, b);
    lemma_sum_scale_ex(c, a, b);
}

/*@ assigns \nothing;
    ensures kl_terms: \forall vf_seq q, p, w, s;
      Z > 0.0 ==> softmax_of(p, w, s, Z, a, b) ==> vf_nonneg(q, a, b) ==>
      \forall integer j; a <= j < b ==>
        kl_term(vf_at(q, j), vf_at(p, j)) >= vf_at(q, j) - vf_at(p, j);
*/
static void range_kl_terms(double Z, long long a, long long b)
{
    range_weights(Z, a, b);
    lemma_ln_div_at();
    lemma_ln_le_at();
    lemma_kl_term_ge();
}

/*@ assigns \nothing;
    ensures f_min: \forall vf_seq p, E;
      sum(p, a, b) == 1.0 ==> free_energy(p, E, T, a, b) + T * ln(Z) * sum(p, a, b) == 0.0 ==>
      free_energy(p, E, T, a, b) == -(T * ln(Z));
*/
static void step_f_min(double T, double Z, long long a, long long b) { }

/*@ assigns \nothing;
    ensures gap: \forall vf_seq q, p, E;
      sum(q, a, b) == 1.0 ==>
      free_energy(q, E, T, a, b) + T * ln(Z) * sum(q, a, b) == T * kl(q, p, a, b) ==>
      free_energy(p, E, T, a, b) == -(T * ln(Z)) ==>
      free_energy(q, E, T, a, b) - free_energy(p, E, T, a, b) == T * kl(q, p, a, b);
*/
static void step_gap(double T, double Z, long long a, long long b) { }

/*@ assigns \nothing;
    ensures kl_sign: \forall vf_seq q, p;
      sum(q, a, b) == 1.0 ==> sum(p, a, b) == 1.0 ==> kl(q, p, a, b) >= sum(q, a, b) - sum(p, a, b) ==>
      kl(q, p, a, b) >= 0.0;
*/
static void step_kl_sign(long long a, long long b) { }

/*@ assigns \nothing;
    ensures min: \forall vf_seq q, p, E;
      T > 0.0 ==> kl(q, p, a, b) >= 0.0 ==>
      free_energy(q, E, T, a, b) - free_energy(p, E, T, a, b) == T * kl(q, p, a, b) ==>
      free_energy(q, E, T, a, b) >= free_energy(p, E, T, a, b);
*/
static void step_min(double T, long long a, long long b) { }

/* ---- the theorems ---- */

void lemma_softmax_z_pos(long long a, long long b)
{
    lemma_ex_pos_at(0.0);
    lemma_sum_pos(a, b);
}

void lemma_softmax_pos(double Z, long long a, long long b)
{
    lemma_softmax_z_pos(a, b);
    range_weights(Z, a, b);
}

void lemma_softmax_sum_one(double Z, long long a, long long b)
{
    lemma_softmax_z_pos(a, b);
    range_sum_w(Z, a, b);
    step_sum_one_cancel(Z, a, b);
}

void lemma_softmax_shift(double c, double Z, double Z2, long long a, long long b)
{
    lemma_softmax_z_pos(a, b);
    lemma_ex_pos_at(c);
    range_shift_weights(c, a, b);
    range_shift_z(c, a, b);
    range_shift_probs(c, Z, Z2, a, b);
}

void lemma_gibbs_f_at_min(double T, double Z, long long a, long long b)
{
    lemma_softmax_z_pos(a, b);
    range_at_min_terms(T, Z, a, b);
    lemma_free_energy_lin(T, Z, a, b);
    lemma_softmax_sum_one(Z, a, b);
    step_f_min(T, Z, a, b);
}

void lemma_gibbs_gap(double T, double Z, long long a, long long b)
{
    lemma_gibbs_f_at_min(T, Z, a, b);
    lemma_softmax_z_pos(a, b);
    range_fe_kl(T, Z, a, b);
    step_gap(T, Z, a, b);
}

void lemma_gibbs_kl_nonneg(double T, double Z, long long a, long long b)
{
    lemma_softmax_z_pos(a, b);
    lemma_softmax_sum_one(Z, a, b);
    range_kl_terms(Z, a, b);
    lemma_kl_ge(a, b);
    step_kl_sign(a, b);
}

void lemma_gibbs_min(double T, double Z, long long a, long long b)
{
    lemma_gibbs_gap(T, Z, a, b);
    lemma_gibbs_kl_nonneg(T, Z, a, b);
    step_min(T, a, b);
}
