/* registry.h — every claim object, defined in ref/claims/<topic>.c, listed in claims.c. */
#ifndef VF_REGISTRY_H
#define VF_REGISTRY_H
#include "vf_claims.h"

extern const vf_claim vf_claim_relu_orthant_projection;

#endif
