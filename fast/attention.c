/* attention.c — public entry point of the fused attention family (body in
 * fast/kernels/attention.c, contract in vf_fast_attention.h). */
#include "vf_fast_attention.h"

size_t vf_attention_f32(const float *Q, const float *K, const float *V, float *O, size_t B,
                        size_t H, size_t Sq, size_t Sk, size_t D, size_t Dv, float scale,
                        int causal)
{
    return VF_DISPATCH(vf_attention_f32, Q, K, V, O, B, H, Sq, Sk, D, Dv, scale, causal);
}
