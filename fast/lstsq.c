/* lstsq.c — batched least squares: public dispatcher and the ISA-independent sizing rules
 * (see vf_fast_lstsq.h; the kernel is fast/kernels/lstsq.c). */
#include <math.h>

#include "vf_fast_lstsq.h"

size_t vf_lstsq_f32(const float *A, const float *b, float *x, size_t batch, size_t m, size_t n,
                    size_t nrhs, float *resid, int *status)
{
    return VF_DISPATCH(vf_lstsq_f32, A, b, x, batch, m, n, nrhs, resid, status);
}

size_t vf_lstsq_block_rows(size_t n, size_t nrhs)
{
    size_t cols = n + nrhs, rows = cols ? ((size_t)VF_LSTSQ_L1_BYTES / sizeof(float)) / cols : 0;
    rows -= rows % VF_LSTSQ_PAD;
    return rows < VF_LSTSQ_PAD ? VF_LSTSQ_PAD : rows;
}

size_t vf_lstsq_blocks(size_t m, size_t n, size_t nrhs)
{
    size_t r = vf_lstsq_block_rows(n, nrhs);
    return m ? (m + r - 1) / r : 1;
}

double vf_lstsq_backward_bound(size_t m, size_t n, size_t nrhs)
{
    const double u = ldexp(1.0, -24);
    double nu = 8.0 * ((double)vf_lstsq_block_rows(n, nrhs) + (double)n + 8.0) * ldexp(1.0, -53);
    double t = (double)vf_lstsq_blocks(m, n, nrhs) * (double)n * (3.0 * u + nu);
    return t < 1.0 ? t / (1.0 - t) : INFINITY;
}

double vf_lstsq_rank_tol(size_t n) { return 8.0 * (double)n * ldexp(1.0, -24); }

const char *vf_lstsq_status_name(int status)
{
    static const char *const names[] = {"ok", "nonfinite", "rank", "range", "nomem", "shape"};
    return status >= 0 && status <= VF_LSTSQ_SHAPE ? names[status] : "unknown";
}
