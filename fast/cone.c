/* cone.c — public dispatchers of the Lorentz-cone kernels (vf_fast_cone.h); the bodies are in
 * fast/kernels/cone.c, compiled once per ISA. */
#include "vf_fast_cone.h"

void vf_lorentz_proj_f32(const float *x, float *y, size_t groups, size_t s)
{
    VF_DISPATCH(vf_lorentz_proj_f32, x, y, groups, s);
}

void vf_colu_f32(const float *x, float *y, size_t groups, size_t s)
{
    VF_DISPATCH(vf_colu_f32, x, y, groups, s);
}
