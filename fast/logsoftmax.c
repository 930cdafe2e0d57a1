/* logsoftmax.c — public entry points of the log-softmax family (bodies in
 * fast/kernels/logsoftmax.c, contracts in vf_fast_logsoftmax.h). */
#include "vf_fast_logsoftmax.h"

size_t vf_log_softmax_f32(const float *x, float *y, size_t rows, size_t cols, float T)
{
    return VF_DISPATCH(vf_log_softmax_f32, x, y, rows, cols, T);
}

size_t vf_logsumexp_f32(const float *x, float *out, size_t rows, size_t cols, float T)
{
    return VF_DISPATCH(vf_logsumexp_f32, x, out, rows, cols, T);
}
