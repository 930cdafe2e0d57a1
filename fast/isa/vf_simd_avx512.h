/* vf_simd_avx512.h — 16 x float32 lanes, AVX-512F/BW/DQ/VL + FMA. */
#ifndef VF_SIMD_AVX512_H
#define VF_SIMD_AVX512_H
#include <immintrin.h>
#define VF_ISA_SUFFIX avx512
#define VF_W 16
typedef __m512 vf_v;
static inline vf_v vf_v_load(const float *p) { return _mm512_loadu_ps(p); }
/* Non-temporal store (p aligned to the vector width): bypasses the cache for outputs that
 * will not be read soon; vf_v_sfence() orders them before returning. */
static inline void vf_v_stream(float *p, vf_v x) { _mm512_stream_ps(p, x); }
static inline void vf_v_sfence(void) { _mm_sfence(); }
static inline void vf_v_store(float *p, vf_v x) { _mm512_storeu_ps(p, x); }
/* max(x, 0) maps NaN, -0 and negatives to +0 (second operand); NaN lanes are put back. */
static inline vf_v vf_v_relu(vf_v x)
{
    vf_v r = _mm512_max_ps(x, _mm512_setzero_ps());
    return _mm512_mask_mov_ps(r, _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), x);
}
#endif
