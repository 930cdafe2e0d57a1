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

#endif
