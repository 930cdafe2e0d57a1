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
/* x 2^k for an integer-valued k, one rounding (exact unless the result is subnormal), for
 * every k (the AVX2 and scalar versions need k in [-126, 127]). */
#define VF_SCALE2_ANY_K 1
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
/* Sums of non-negative floats e <= 2^65 (the biased exponentials of the softmax family), with
 * float64-class accuracy at float32 cost: each lane keeps a float accumulator a >= PSUM_S0 =
 * 2^65 >= e, so Fast2Sum (a' = a + e, t = e - (a' - a)) is exact (Dekker: exponent of a >= that
 * of e, round to nearest, no overflow) and the rounding error t of every addition is kept.  The
 * t are summed in float32 for at most PSUM_FLUSH additions, then flushed into float64: the
 * result is exact up to the float32 sums of the t, a relative error <= 16 PSUM_FLUSH m u^2
 * (PSUM_S0 L / total + 1) ~ 2^-27 for rows of 32768 (m additions per lane, L lanes, u = 2^-24,
 * total >= 2^63.5 for the softmax).  Four add-class operations per vector instead of the two
 * float64 widenings and a lane shuffle of vf_vacc_add, which cost ~15 % of the softmax. */
#define PSUM_S0 0x1p65f
#define PSUM_FLUSH 16
typedef struct {
    __m512 a, c;
    __m512d lo, hi;
    unsigned k;
} vf_psum;
static inline vf_psum vf_psum_zero(void)
{
    return (vf_psum){_mm512_set1_ps(PSUM_S0), _mm512_setzero_ps(), _mm512_setzero_pd(),
                     _mm512_setzero_pd(), 0};
}
/* float lanes -> float64 halves (exact) */
static inline void vf_psum_widen_(__m512 x, __m512d *lo, __m512d *hi)
{
    *lo = _mm512_cvtps_pd(_mm512_castps512_ps256(x));
    *hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
}
/* One Fast2Sum step without the flush: for loops that call vf_psum_flush themselves at least
 * every PSUM_FLUSH additions per chain (softmax.c, row_exp_sum_long). */
static inline vf_psum vf_psum_add_noflush(vf_psum p, vf_v e)
{
    __m512 a = _mm512_add_ps(p.a, e);
    p.c = _mm512_add_ps(p.c, _mm512_sub_ps(e, _mm512_sub_ps(a, p.a)));
    p.a = a;
    return p;
}
/* The float32 error sum c moved into the float64 lanes. */
static inline vf_psum vf_psum_flush(vf_psum p)
{
    __m512d l, h;
    vf_psum_widen_(p.c, &l, &h);
    p.lo = _mm512_add_pd(p.lo, l);
    p.hi = _mm512_add_pd(p.hi, h);
    p.c = _mm512_setzero_ps();
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
/* Everything of p and q in float64 lanes (a - S0 is exact in float64). */
static inline vf_psum vf_psum_merge(vf_psum p, vf_psum q)
{
    const __m512d s0 = _mm512_set1_pd((double)PSUM_S0);
    __m512d l, h;
    vf_psum_widen_(p.a, &l, &h);
    p.lo = _mm512_add_pd(p.lo, _mm512_sub_pd(l, s0));
    p.hi = _mm512_add_pd(p.hi, _mm512_sub_pd(h, s0));
    vf_psum_widen_(q.a, &l, &h);
    p.lo = _mm512_add_pd(p.lo, _mm512_sub_pd(l, s0));
    p.hi = _mm512_add_pd(p.hi, _mm512_sub_pd(h, s0));
    vf_psum_widen_(_mm512_add_ps(p.c, q.c), &l, &h); /* |c| < 2^-24 of the rest: one rounding */
    p.lo = _mm512_add_pd(_mm512_add_pd(p.lo, q.lo), l);
    p.hi = _mm512_add_pd(_mm512_add_pd(p.hi, q.hi), h);
    p.a = _mm512_set1_ps(PSUM_S0);
    p.c = _mm512_setzero_ps();
    p.k = 0;
    return p;
}
/* The total of a merged sum (vf_psum_merge of the two chains). */
static inline double vf_psum_total(vf_psum p)
{
    return _mm512_reduce_add_pd(_mm512_add_pd(p.lo, p.hi));
}
/* ---- linear family (fast/kernels/gemm.c, linear_attention.c): float64 vectors of VF_WD lanes
 * for the float64-accumulated Gram matrix of the OLS forward pass. ------------------------- */
#define VF_WD 8
typedef __m512d vf_vd;
static inline vf_vd vf_vd_set1(double a) { return _mm512_set1_pd(a); }
static inline vf_vd vf_vd_load(const double *p) { return _mm512_loadu_pd(p); }
static inline void vf_vd_store(double *p, vf_vd x) { _mm512_storeu_pd(p, x); }
/* a*b + c with one rounding (float64). */
static inline vf_vd vf_vd_fma(vf_vd a, vf_vd b, vf_vd c) { return _mm512_fmadd_pd(a, b, c); }
/* ---- cone family (fast/kernels/cone.c): Lorentz projection and CoLU.  Group sums of squares
 * in float64 (squares of floats are exact in float64) and float64 per-group coefficients. --- */
/* v with lane 0 replaced by a (the apex channel of a group). */
static inline vf_v vf_v_set_lane0(vf_v v, float a)
{
    return _mm512_mask_mov_ps(v, (__mmask16)1, _mm512_set1_ps(a));
}
/* a += x^2 lane-wise in float64 (the square is exact, so this is one rounding per lane). */
static inline vf_vacc vf_vacc_addsq(vf_vacc a, vf_v x)
{
    __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(x));
    __m512d hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
    a.lo = _mm512_fmadd_pd(lo, lo, a.lo);
    a.hi = _mm512_fmadd_pd(hi, hi, a.hi);
    return a;
}
/* a += p[0 .. VF_W)^2, loading and widening the halves straight from memory; _nolane0: with
 * p[0] (the apex) left out (zero-masked conversion). */
static inline vf_vacc vf_vacc_addsq_ld(vf_vacc a, const float *p)
{
    __m512d lo = _mm512_cvtps_pd(_mm256_loadu_ps(p)), hi = _mm512_cvtps_pd(_mm256_loadu_ps(p + 8));
    a.lo = _mm512_fmadd_pd(lo, lo, a.lo);
    a.hi = _mm512_fmadd_pd(hi, hi, a.hi);
    return a;
}
static inline vf_vacc vf_vacc_addsq_ld_nolane0(vf_vacc a, const float *p)
{
    __m512d lo = _mm512_maskz_cvtps_pd((__mmask8)0xFE, _mm256_loadu_ps(p));
    __m512d hi = _mm512_cvtps_pd(_mm256_loadu_ps(p + 8));
    a.lo = _mm512_fmadd_pd(lo, lo, a.lo);
    a.hi = _mm512_fmadd_pd(hi, hi, a.hi);
    return a;
}
static inline vf_vd vf_vd_load_f(const float *p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }
/* Rounds to float32 (nearest even) and stores VF_WD floats. */
static inline void vf_vd_store_f(float *p, vf_vd x) { _mm256_storeu_ps(p, _mm512_cvtpd_ps(x)); }
/* x rounded to float32 and widened back (exact widening). */
static inline vf_vd vf_vd_round_f32(vf_vd x) { return _mm512_cvtps_pd(_mm512_cvtpd_ps(x)); }
static inline vf_vd vf_vd_add(vf_vd a, vf_vd b) { return _mm512_add_pd(a, b); }
static inline vf_vd vf_vd_sub(vf_vd a, vf_vd b) { return _mm512_sub_pd(a, b); }
static inline vf_vd vf_vd_mul(vf_vd a, vf_vd b) { return _mm512_mul_pd(a, b); }
static inline vf_vd vf_vd_div(vf_vd a, vf_vd b) { return _mm512_div_pd(a, b); }
static inline vf_vd vf_vd_sqrt(vf_vd a) { return _mm512_sqrt_pd(a); }
/* Lane j (j < VF_WD) = the total of a[j]: the horizontal sums of VF_WD accumulators at once, by
 * a transpose-and-add tree (lo + hi, then pairs, 128-bit halves, 256-bit halves). */
static inline __m512d vf_vacc_pair_(vf_vacc a, vf_vacc b) /* 128-bit lane k: pair sums */
{
    __m512d p = _mm512_add_pd(a.lo, a.hi), q = _mm512_add_pd(b.lo, b.hi);
    return _mm512_add_pd(_mm512_unpacklo_pd(p, q), _mm512_unpackhi_pd(p, q));
}
static inline __m512d vf_vacc_quad_(__m512d t, __m512d u) /* 0x88: lanes 0,2; 0xDD: 1,3 */
{
    return _mm512_add_pd(_mm512_shuffle_f64x2(t, u, 0x88), _mm512_shuffle_f64x2(t, u, 0xDD));
}
static inline vf_vd vf_vacc_sums(const vf_vacc *a)
{
    __m512d s0 = vf_vacc_quad_(vf_vacc_pair_(a[0], a[1]), vf_vacc_pair_(a[2], a[3]));
    __m512d s1 = vf_vacc_quad_(vf_vacc_pair_(a[4], a[5]), vf_vacc_pair_(a[6], a[7]));
    return vf_vacc_quad_(s0, s1);
}
/* Groups of s = 4 (cone kernels, 4 groups per vector).  r2: lane j = w_j^2 summed over group j
 * of the 8 groups in p[0 .. 32), apex lanes left out (zero-masked conversions); the exact
 * float64 squares are added by a transpose-and-add tree, (0 + x1^2) + (x2^2 + x3^2). */
static inline vf_vd vf_cone4_r2(const float *p)
{
    const __mmask8 m = 0xEE;
    __m512d a = _mm512_maskz_cvtps_pd(m, _mm256_loadu_ps(p));      /* groups 0, 1 */
    __m512d b = _mm512_maskz_cvtps_pd(m, _mm256_loadu_ps(p + 8));  /* groups 2, 3 */
    __m512d c = _mm512_maskz_cvtps_pd(m, _mm256_loadu_ps(p + 16)); /* groups 4, 5 */
    __m512d d = _mm512_maskz_cvtps_pd(m, _mm256_loadu_ps(p + 24)); /* groups 6, 7 */
    a = _mm512_mul_pd(a, a);
    b = _mm512_mul_pd(b, b);
    c = _mm512_mul_pd(c, c);
    d = _mm512_mul_pd(d, d);
    __m512d ab = _mm512_add_pd(_mm512_unpacklo_pd(a, b), _mm512_unpackhi_pd(a, b));
    __m512d cd = _mm512_add_pd(_mm512_unpacklo_pd(c, d), _mm512_unpackhi_pd(c, d));
    __m512d s = vf_vacc_quad_(ab, cd); /* groups 0 2 1 3 4 6 5 7 */
    return _mm512_permutexvar_pd(_mm512_setr_epi64(0, 2, 1, 3, 4, 6, 5, 7), s);
}
/* Lane j = the apex p[4j] of group j (j < 8), widened. */
static inline vf_vd vf_cone4_apex(const float *p)
{
    __m512i idx = _mm512_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0);
    __m512 t = _mm512_permutex2var_ps(_mm512_loadu_ps(p), idx, _mm512_loadu_ps(p + 16));
    return _mm512_cvtps_pd(_mm512_castps512_ps256(t));
}
/* Lane i = c[i / 4]: a per-group value spread over its 4 lanes. */
static inline vf_v vf_cone4_spread(const float *c)
{
    __m512i idx = _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
    return _mm512_permutexvar_ps(idx, _mm512_castps128_ps512(_mm_loadu_ps(c)));
}
/* v with the apex lanes (i % 4 == 0) taken from a. */
static inline vf_v vf_cone4_set_apex(vf_v v, vf_v a)
{
    return _mm512_mask_mov_ps(v, (__mmask16)0x1111, a);
}
/* a <= b ? x : y lane-wise (y when either of a, b is NaN). */
static inline vf_vd vf_vd_le_sel(vf_vd a, vf_vd b, vf_vd x, vf_vd y)
{
    return _mm512_mask_mov_pd(y, _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ), x);
}
/* ---- lstsq family (fast/kernels/lstsq.c): horizontal sum of a float64 vector, fixed order
 * (halves, then quarters...), so the bits depend only on the lanes. ------------------------- */
static inline double vf_vd_hsum(vf_vd a) { return _mm512_reduce_add_pd(a); }
/* ---- attention family (fast/kernels/attention.c): flash-style fused softmax attention. --- */
/* a - b, a / b (one rounding each). */
static inline vf_v vf_v_sub(vf_v a, vf_v b) { return _mm512_sub_ps(a, b); }
static inline vf_v vf_v_div(vf_v a, vf_v b) { return _mm512_div_ps(a, b); }
/* x86 min: b when either operand is NaN (as vf_v_max). */
static inline vf_v vf_v_min(vf_v a, vf_v b) { return _mm512_min_ps(a, b); }
/* a >= b ? x : y lane-wise (y when either of a, b is NaN). */
static inline vf_v vf_v_ge_sel(vf_v a, vf_v b, vf_v x, vf_v y)
{
    return _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ), x);
}
#endif
