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
/* ---- softmax helpers (fast/kernels/softmax.c) ------------------------------------------- */
static inline vf_v vf_v_set1(float a) { return _mm512_set1_ps(a); }
static inline vf_v vf_v_add(vf_v a, vf_v b) { return _mm512_add_ps(a, b); }
static inline vf_v vf_v_mul(vf_v a, vf_v b) { return _mm512_mul_ps(a, b); }
/* a*b + c with one rounding. */
static inline vf_v vf_v_fma(vf_v a, vf_v b, vf_v c) { return _mm512_fmadd_ps(a, b, c); }
/* c - a*b with one rounding. */
static inline vf_v vf_v_fnma(vf_v a, vf_v b, vf_v c) { return _mm512_fnmadd_ps(a, b, c); }
/* x 2^k for an integer-valued k, one rounding (exact unless the result is subnormal). */
static inline vf_v vf_v_scale2(vf_v x, vf_v k) { return _mm512_scalef_ps(x, k); }
/* x86 max: b when either operand is NaN (every ISA header keeps this rule). */
static inline vf_v vf_v_max(vf_v a, vf_v b) { return _mm512_max_ps(a, b); }
/* Round to the nearest integer, ties to even. */
static inline vf_v vf_v_round(vf_v a)
{
    return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
/* a >= b ? x : +0, lane-wise (false when either is NaN). */
static inline vf_v vf_v_if_ge(vf_v a, vf_v b, vf_v x)
{
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(a, b, _CMP_GE_OQ), x);
}
static inline float vf_v_reduce_max(vf_v a) { return _mm512_reduce_max_ps(a); }
/* The first n < VF_W lanes from p, the others = fill; never touches p[n ..]. */
static inline vf_v vf_v_load_tail(const float *p, size_t n, float fill)
{
    return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), (__mmask16)((1u << n) - 1), p);
}
static inline void vf_v_store_tail(float *p, vf_v x, size_t n)
{
    _mm512_mask_storeu_ps(p, (__mmask16)((1u << n) - 1), x);
}
/* Row sums accumulate in float64 (each float lane widened exactly). */
typedef struct { __m512d lo, hi; } vf_vacc;
static inline vf_vacc vf_vacc_zero(void)
{
    return (vf_vacc){_mm512_setzero_pd(), _mm512_setzero_pd()};
}
static inline vf_vacc vf_vacc_add(vf_vacc a, vf_v x)
{
    __m256 h = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1));
    a.lo = _mm512_add_pd(a.lo, _mm512_cvtps_pd(_mm512_castps512_ps256(x)));
    a.hi = _mm512_add_pd(a.hi, _mm512_cvtps_pd(h));
    return a;
}
static inline vf_vacc vf_vacc_merge(vf_vacc a, vf_vacc b)
{
    return (vf_vacc){_mm512_add_pd(a.lo, b.lo), _mm512_add_pd(a.hi, b.hi)};
}
static inline double vf_vacc_sum(vf_vacc a)
{
    return _mm512_reduce_add_pd(_mm512_add_pd(a.lo, a.hi));
}
#endif
