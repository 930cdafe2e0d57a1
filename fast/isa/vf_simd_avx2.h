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
/* Sums of non-negative floats e <= 2^65: Fast2Sum into float accumulators >= 2^65 with the
 * errors flushed to float64 (the why and the error bound: vf_simd_avx512.h, vf_psum). */
#define PSUM_S0 0x1p65f
#define PSUM_FLUSH 16
typedef struct {
    __m256 a, c;
    __m256d lo, hi;
    unsigned k;
} vf_psum;
static inline vf_psum vf_psum_zero(void)
{
    return (vf_psum){_mm256_set1_ps(PSUM_S0), _mm256_setzero_ps(), _mm256_setzero_pd(),
                     _mm256_setzero_pd(), 0};
}
static inline void vf_psum_widen_(__m256 x, __m256d *lo, __m256d *hi)
{
    *lo = _mm256_cvtps_pd(_mm256_castps256_ps128(x));
    *hi = _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1));
}
/* One Fast2Sum step without the flush: for loops that call vf_psum_flush themselves at least
 * every PSUM_FLUSH additions per chain (softmax.c, row_exp_sum_long). */
static inline vf_psum vf_psum_add_noflush(vf_psum p, vf_v e)
{
    __m256 a = _mm256_add_ps(p.a, e);
    p.c = _mm256_add_ps(p.c, _mm256_sub_ps(e, _mm256_sub_ps(a, p.a)));
    p.a = a;
    return p;
}
/* The float32 error sum c moved into the float64 lanes. */
static inline vf_psum vf_psum_flush(vf_psum p)
{
    __m256d l, h;
    vf_psum_widen_(p.c, &l, &h);
    p.lo = _mm256_add_pd(p.lo, l);
    p.hi = _mm256_add_pd(p.hi, h);
    p.c = _mm256_setzero_ps();
    p.k = 0;
    return p;
}
/* One Fast2Sum step, flushed every PSUM_FLUSH additions. */
static inline vf_psum vf_psum_add(vf_psum p, vf_v e)
{
    p = vf_psum_add_noflush(p, e);
    if (++p.k == PSUM_FLUSH)
        p = vf_psum_flush(p);
    return p;
}
static inline vf_psum vf_psum_merge(vf_psum p, vf_psum q)
{
    const __m256d s0 = _mm256_set1_pd((double)PSUM_S0);
    __m256d l, h;
    vf_psum_widen_(p.a, &l, &h);
    p.lo = _mm256_add_pd(p.lo, _mm256_sub_pd(l, s0));
    p.hi = _mm256_add_pd(p.hi, _mm256_sub_pd(h, s0));
    vf_psum_widen_(q.a, &l, &h);
    p.lo = _mm256_add_pd(p.lo, _mm256_sub_pd(l, s0));
    p.hi = _mm256_add_pd(p.hi, _mm256_sub_pd(h, s0));
    vf_psum_widen_(_mm256_add_ps(p.c, q.c), &l, &h);
    p.lo = _mm256_add_pd(_mm256_add_pd(p.lo, q.lo), l);
    p.hi = _mm256_add_pd(_mm256_add_pd(p.hi, q.hi), h);
    p.a = _mm256_set1_ps(PSUM_S0);
    p.c = _mm256_setzero_ps();
    p.k = 0;
    return p;
}
static inline double vf_psum_total(vf_psum p)
{
    __m256d s = _mm256_add_pd(p.lo, p.hi);
    __m128d t = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
    return _mm_cvtsd_f64(_mm_add_sd(t, _mm_unpackhi_pd(t, t)));
}
/* ---- linear family (fast/kernels/gemm.c, linear_attention.c): float64 vectors of VF_WD lanes
 * for the float64-accumulated Gram matrix of the OLS forward pass. ------------------------- */
#define VF_WD 4
typedef __m256d vf_vd;
static inline vf_vd vf_vd_set1(double a) { return _mm256_set1_pd(a); }
static inline vf_vd vf_vd_load(const double *p) { return _mm256_loadu_pd(p); }
static inline void vf_vd_store(double *p, vf_vd x) { _mm256_storeu_pd(p, x); }
/* a*b + c with one rounding (float64). */
static inline vf_vd vf_vd_fma(vf_vd a, vf_vd b, vf_vd c) { return _mm256_fmadd_pd(a, b, c); }
/* ---- cone family (fast/kernels/cone.c): Lorentz projection and CoLU.  Group sums of squares
 * in float64 (squares of floats are exact in float64) and float64 per-group coefficients. --- */
/* v with lane 0 replaced by a (the apex channel of a group). */
static inline vf_v vf_v_set_lane0(vf_v v, float a)
{
    return _mm256_blend_ps(v, _mm256_set1_ps(a), 1);
}
/* a += x^2 lane-wise in float64 (the square is exact, so this is one rounding per lane). */
static inline vf_vacc vf_vacc_addsq(vf_vacc a, vf_v x)
{
    __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(x));
    __m256d hi = _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1));
    a.lo = _mm256_fmadd_pd(lo, lo, a.lo);
    a.hi = _mm256_fmadd_pd(hi, hi, a.hi);
    return a;
}
/* a += p[0 .. VF_W)^2, loading and widening the halves straight from memory; _nolane0: with
 * p[0] (the apex) left out. */
static inline vf_vacc vf_vacc_addsq_ld(vf_vacc a, const float *p)
{
    __m256d lo = _mm256_cvtps_pd(_mm_loadu_ps(p)), hi = _mm256_cvtps_pd(_mm_loadu_ps(p + 4));
    a.lo = _mm256_fmadd_pd(lo, lo, a.lo);
    a.hi = _mm256_fmadd_pd(hi, hi, a.hi);
    return a;
}
static inline vf_vacc vf_vacc_addsq_ld_nolane0(vf_vacc a, const float *p)
{
    __m256d lo = _mm256_blend_pd(_mm256_cvtps_pd(_mm_loadu_ps(p)), _mm256_setzero_pd(), 1);
    __m256d hi = _mm256_cvtps_pd(_mm_loadu_ps(p + 4));
    a.lo = _mm256_fmadd_pd(lo, lo, a.lo);
    a.hi = _mm256_fmadd_pd(hi, hi, a.hi);
    return a;
}
static inline vf_vd vf_vd_load_f(const float *p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
/* Rounds to float32 (nearest even) and stores VF_WD floats. */
static inline void vf_vd_store_f(float *p, vf_vd x) { _mm_storeu_ps(p, _mm256_cvtpd_ps(x)); }
/* x rounded to float32 and widened back (exact widening). */
static inline vf_vd vf_vd_round_f32(vf_vd x) { return _mm256_cvtps_pd(_mm256_cvtpd_ps(x)); }
static inline vf_vd vf_vd_add(vf_vd a, vf_vd b) { return _mm256_add_pd(a, b); }
static inline vf_vd vf_vd_sub(vf_vd a, vf_vd b) { return _mm256_sub_pd(a, b); }
static inline vf_vd vf_vd_mul(vf_vd a, vf_vd b) { return _mm256_mul_pd(a, b); }
static inline vf_vd vf_vd_div(vf_vd a, vf_vd b) { return _mm256_div_pd(a, b); }
static inline vf_vd vf_vd_sqrt(vf_vd a) { return _mm256_sqrt_pd(a); }
/* Lane j (j < VF_WD) = the total of a[j]: the horizontal sums of VF_WD accumulators at once, by
 * a transpose-and-add tree (lo + hi, then pairs, then 128-bit halves). */
static inline vf_vd vf_vacc_sums(const vf_vacc *a)
{
    __m256d t01 = _mm256_hadd_pd(_mm256_add_pd(a[0].lo, a[0].hi), _mm256_add_pd(a[1].lo, a[1].hi));
    __m256d t23 = _mm256_hadd_pd(_mm256_add_pd(a[2].lo, a[2].hi), _mm256_add_pd(a[3].lo, a[3].hi));
    return _mm256_add_pd(_mm256_permute2f128_pd(t01, t23, 0x20),
                         _mm256_permute2f128_pd(t01, t23, 0x31));
}
/* Groups of s = 4 (cone kernels, 2 groups per vector).  r2: lane j = w_j^2 summed over group j
 * of the 4 groups in p[0 .. 16), apex lanes left out, by the tree of vf_vacc_sums. */
static inline vf_vd vf_cone4_r2(const float *p)
{
    __m256d z = _mm256_setzero_pd(), q[4];
    for (int j = 0; j < 4; j++) {
        q[j] = _mm256_blend_pd(_mm256_cvtps_pd(_mm_loadu_ps(p + 4 * j)), z, 1);
        q[j] = _mm256_mul_pd(q[j], q[j]);
    }
    __m256d t01 = _mm256_hadd_pd(q[0], q[1]), t23 = _mm256_hadd_pd(q[2], q[3]);
    return _mm256_add_pd(_mm256_permute2f128_pd(t01, t23, 0x20),
                         _mm256_permute2f128_pd(t01, t23, 0x31));
}
/* Lane j = the apex p[4j] of group j (j < 4), widened. */
static inline vf_vd vf_cone4_apex(const float *p)
{
    return _mm256_cvtps_pd(_mm_setr_ps(p[0], p[4], p[8], p[12]));
}
/* Lane i = c[i / 4]: a per-group value spread over its 4 lanes. */
static inline vf_v vf_cone4_spread(const float *c)
{
    return _mm256_set_m128(_mm_set1_ps(c[1]), _mm_set1_ps(c[0]));
}
/* v with the apex lanes (i % 4 == 0) taken from a. */
static inline vf_v vf_cone4_set_apex(vf_v v, vf_v a) { return _mm256_blend_ps(v, a, 0x11); }
/* a <= b ? x : y lane-wise (y when either of a, b is NaN). */
static inline vf_vd vf_vd_le_sel(vf_vd a, vf_vd b, vf_vd x, vf_vd y)
{
    return _mm256_blendv_pd(y, x, _mm256_cmp_pd(a, b, _CMP_LE_OQ));
}
/* ---- lstsq family (fast/kernels/lstsq.c): horizontal sum of a float64 vector, fixed order. */
static inline double vf_vd_hsum(vf_vd a)
{
    __m128d t = _mm_add_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
    return _mm_cvtsd_f64(_mm_add_sd(t, _mm_unpackhi_pd(t, t)));
}
/* ---- attention family (fast/kernels/attention.c): flash-style fused softmax attention. --- */
/* a - b, a / b (one rounding each). */
static inline vf_v vf_v_sub(vf_v a, vf_v b) { return _mm256_sub_ps(a, b); }
static inline vf_v vf_v_div(vf_v a, vf_v b) { return _mm256_div_ps(a, b); }
/* x86 min: b when either operand is NaN (as vf_v_max). */
static inline vf_v vf_v_min(vf_v a, vf_v b) { return _mm256_min_ps(a, b); }
/* a >= b ? x : y lane-wise (y when either of a, b is NaN). */
static inline vf_v vf_v_ge_sel(vf_v a, vf_v b, vf_v x, vf_v y)
{
    return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_GE_OQ));
}
#endif
