/* vf_simd_avx2.h — 8 x float32 lanes, AVX2 + FMA. */
#ifndef VF_SIMD_AVX2_H
#define VF_SIMD_AVX2_H
#include <immintrin.h>
#define VF_ISA_SUFFIX avx2
#define VF_W 8
typedef __m256 vf_v;
static inline vf_v vf_v_load(const float *p) { return _mm256_loadu_ps(p); }
/* Non-temporal store (p aligned to the vector width): bypasses the cache for outputs that
 * will not be read soon; vf_v_sfence() orders them before returning. */
static inline void vf_v_stream(float *p, vf_v x) { _mm256_stream_ps(p, x); }
static inline void vf_v_sfence(void) { _mm_sfence(); }
static inline void vf_v_store(float *p, vf_v x) { _mm256_storeu_ps(p, x); }
/* max(x, 0) maps NaN, -0 and negatives to +0 (second operand); NaN lanes are put back. */
static inline vf_v vf_v_relu(vf_v x)
{
    vf_v r = _mm256_max_ps(x, _mm256_setzero_ps());
    return _mm256_blendv_ps(r, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}
#endif
