/* vf_relu.h — exact ReLU, the orthant projection P(x) = max(x, 0) componentwise (THEORY §2.7).
 * Its theory (projection, variational inequality, Moreau decomposition, ...) is specs/relu. */
#ifndef VF_RELU_H
#define VF_RELU_H

#include "vf_q.h"

/* y = max(x, 0) entrywise; y initialised with x's shape (VF_E_SHAPE otherwise); y may be x. */
int vf_ref_relu_q(vf_qmat *y, const vf_qmat *x, vf_err *e);

#endif
