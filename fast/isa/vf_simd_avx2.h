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
/* ---- softmax helpers (fast/kernels/softmax.c) ------------------------------------------- */
static inline vf_v vf_v_set1(float a) { return _mm256_set1_ps(a); }
static inline vf_v vf_v_add(vf_v a, vf_v b) { return _mm256_add_ps(a, b); }
static inline vf_v vf_v_mul(vf_v a, vf_v b) { return _mm256_mul_ps(a, b); }
/* a*b + c with one rounding. */
static inline vf_v vf_v_fma(vf_v a, vf_v b, vf_v c) { return _mm256_fmadd_ps(a, b, c); }
/* c - a*b with one rounding. */
static inline vf_v vf_v_fnma(vf_v a, vf_v b, vf_v c) { return _mm256_fnmadd_ps(a, b, c); }
/* x86 max: b when either operand is NaN (every ISA header keeps this rule). */
static inline vf_v vf_v_max(vf_v a, vf_v b) { return _mm256_max_ps(a, b); }
/* Round to the nearest integer, ties to even. */
static inline vf_v vf_v_round(vf_v a)
{
    return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
/* 2^k for an integer-valued k, exact: k <= -127, NaN or |k| >= 2^31 give +0, k >= 127 gives
 * 2^127 (cvtps gives INT_MIN for NaN / out of range, which the clamp sends to -127 = +0). */
static inline vf_v vf_v_pow2i(vf_v k)
{
    __m256i i = _mm256_cvtps_epi32(k);
    i = _mm256_min_epi32(_mm256_max_epi32(i, _mm256_set1_epi32(-127)), _mm256_set1_epi32(127));
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(i, _mm256_set1_epi32(127)), 23));
}
/* x 2^k for an integer-valued k in [-126, 127]: exact when normal; k <= -127 gives +0 (callers
 * only reach that range when the result would round to 0 anyway). */
static inline vf_v vf_v_scale2(vf_v x, vf_v k) { return _mm256_mul_ps(x, vf_v_pow2i(k)); }
/* a >= b ? x : +0, lane-wise (false when either is NaN). */
static inline vf_v vf_v_if_ge(vf_v a, vf_v b, vf_v x)
{
    return _mm256_and_ps(_mm256_cmp_ps(a, b, _CMP_GE_OQ), x);
}
static inline float vf_v_reduce_max(vf_v a)
{
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
    return _mm_cvtss_f32(m);
}
static inline __m256i vf_v_tail_mask_(size_t n)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
/* The first n < VF_W lanes from p, the others = fill; never touches p[n ..]. */
static inline vf_v vf_v_load_tail(const float *p, size_t n, float fill)
{
    __m256i m = vf_v_tail_mask_(n);
    return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
}
static inline void vf_v_store_tail(float *p, vf_v x, size_t n)
{
    _mm256_maskstore_ps(p, vf_v_tail_mask_(n), x);
}
/* Row sums accumulate in float64 (each float lane widened exactly). */
typedef struct { __m256d lo, hi; } vf_vacc;
static inline vf_vacc vf_vacc_zero(void)
{
    return (vf_vacc){_mm256_setzero_pd(), _mm256_setzero_pd()};
}
static inline vf_vacc vf_vacc_add(vf_vacc a, vf_v x)
{
    a.lo = _mm256_add_pd(a.lo, _mm256_cvtps_pd(_mm256_castps256_ps128(x)));
    a.hi = _mm256_add_pd(a.hi, _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)));
    return a;
}
static inline vf_vacc vf_vacc_merge(vf_vacc a, vf_vacc b)
{
    return (vf_vacc){_mm256_add_pd(a.lo, b.lo), _mm256_add_pd(a.hi, b.hi)};
}
static inline double vf_vacc_sum(vf_vacc a)
{
    __m256d s = _mm256_add_pd(a.lo, a.hi);
    __m128d t = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
    return _mm_cvtsd_f64(_mm_add_sd(t, _mm_unpackhi_pd(t, t)));
}
#endif
