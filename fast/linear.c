/* linear.c — public dispatchers of the linear family (vf_fast_linear.h). */
#include "vf_fast_linear.h"

void vf_gemm_f32(int trans_a, int trans_b, size_t M, size_t N, size_t K, const float *A,
                 size_t lda, const float *B, size_t ldb, float beta, float *C, size_t ldc)
{
    VF_DISPATCH(vf_gemm_f32, trans_a, trans_b, M, N, K, A, lda, B, ldb, beta, C, ldc);
}

int vf_linear_attention_f32(const float *Q, const float *K, const float *V, float *out,
                            size_t batch, size_t n, size_t d, size_t dv, int order, int causal)
{
    return VF_DISPATCH(vf_linear_attention_f32, Q, K, V, out, batch, n, d, dv, order, causal);
}

int vf_ols_forward_f32(const float *X, const float *Y, float *out, size_t n, size_t d, size_t m,
                       vf_err *e)
{
    return VF_DISPATCH(vf_ols_forward_f32, X, Y, out, n, d, m, e);
}
