/* registry.h — every claim object, defined in ref/claims/<topic>.c, listed in claims.c. */
#ifndef VF_REGISTRY_H
#define VF_REGISTRY_H
#include "vf_claims.h"

extern const vf_claim vf_claim_relu_orthant_projection;
extern const vf_claim vf_claim_relu_moreau;
extern const vf_claim vf_claim_relu_axioms_characterise;
extern const vf_claim vf_claim_lorentz_projection;
extern const vf_claim vf_claim_colu_properties;
extern const vf_claim vf_claim_colu_is_euclidean_projection;
extern const vf_claim vf_claim_colu_old_in_cone;
extern const vf_claim vf_claim_rcolu_properties;
extern const vf_claim vf_claim_ols_hat_matrix;
extern const vf_claim vf_claim_ols_normal_equations;
extern const vf_claim vf_claim_ols_scores_equal_hat;
extern const vf_claim vf_claim_ols_reading_b;
extern const vf_claim vf_claim_ols_reading_a;
extern const vf_claim vf_claim_ols_reading_a_spectral;
extern const vf_claim vf_claim_ols_gauge;
extern const vf_claim vf_claim_ols_intercept;
extern const vf_claim vf_claim_ols_spectral_inverse;
extern const vf_claim vf_claim_ols_pinv_projector;
extern const vf_claim vf_claim_ols_paper_experiment;
extern const vf_claim vf_claim_ols_distribution_shift;
extern const vf_claim vf_claim_softmax_gibbs_gap;
extern const vf_claim vf_claim_softmax_free_energy_min;
extern const vf_claim vf_claim_softmax_attention_is_gibbs;
extern const vf_claim vf_claim_softmax_specific_heat;
extern const vf_claim vf_claim_softmax_scale_invariance;
extern const vf_claim vf_claim_softmax_shift_invariance;
extern const vf_claim vf_claim_softmax_replicator_rest_point;
extern const vf_claim vf_claim_softmax_lse_bounds;
extern const vf_claim vf_claim_fu_quartic_derivatives;
extern const vf_claim vf_claim_fu_quartic_gradient_is_heads;
extern const vf_claim vf_claim_fu_quartic_gradient_is_heads_symmetric;
extern const vf_claim vf_claim_fu_quadratic_quartic_potential;
extern const vf_claim vf_claim_fu_left_orthogonal_invariance;
extern const vf_claim vf_claim_fu_gated_mlp_potential;
extern const vf_claim vf_claim_fu_gated_mlp_potential_tied;
extern const vf_claim vf_claim_fu_lse_slot_derivatives;
extern const vf_claim vf_claim_fu_lse_gradient_is_attention;
extern const vf_claim vf_claim_fu_lse_wirtinger_is_attention;
extern const vf_claim vf_claim_fu_softmax_preconditioned_gradient;
extern const vf_claim vf_claim_fu_bch_gate;
extern const vf_claim vf_claim_sy_stein_linear_attention;
extern const vf_claim vf_claim_sy_accelerated_common_map;
extern const vf_claim vf_claim_sy_causal_common_map;
extern const vf_claim vf_claim_sy_hamiltonian;
extern const vf_claim vf_claim_sy_hamiltonian_nonsymmetric;
extern const vf_claim vf_claim_sy_energy_dissipation;
extern const vf_claim vf_claim_sy_softmax_force;
extern const vf_claim vf_claim_mf_tangent_velocity;
extern const vf_claim vf_claim_mf_gradient_flow;
extern const vf_claim vf_claim_mf_energy_monotone;
extern const vf_claim vf_claim_mf_equiangular_ode;
extern const vf_claim vf_claim_mf_critical_scaling;
extern const vf_claim vf_claim_mf_contraction;
extern const vf_claim vf_claim_mf_equivariance;
extern const vf_claim vf_claim_hopfield_energy_descent;

#endif
