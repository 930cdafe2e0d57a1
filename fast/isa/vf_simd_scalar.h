/* vf_simd_scalar.h — width-1 "vectors": the portable, WP-proved instance of each kernel. */
#ifndef VF_SIMD_SCALAR_H
#define VF_SIMD_SCALAR_H
#define VF_ISA_SUFFIX scalar
#define VF_W 1
/* ---- softmax helpers (fast/kernels/softmax.c): a width-1 "vector" is a float, with the same
 * semantics as the x86 instructions of the vector headers.  Under Frama-C (__FRAMAC__) they are
 * read only when VF_WP_SOFTMAX is defined (unit `softmax_scalar`, which inlines them with
 * -inline-calls): the proved ReLU unit does not use them and must not get goals for them. */
#if !defined(__FRAMAC__) || defined(VF_WP_SOFTMAX)
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
typedef float vf_v;
static inline vf_v vf_v_load(const float *p) { return *p; }
static inline void vf_v_store(float *p, vf_v x) { *p = x; }
static inline vf_v vf_v_set1(float a) { return a; }
static inline vf_v vf_v_add(vf_v a, vf_v b) { return a + b; }
static inline vf_v vf_v_mul(vf_v a, vf_v b) { return a * b; }
/* a*b + c with one rounding (fmaf: hardware FMA through glibc's ifunc where available). */
static inline vf_v vf_v_fma(vf_v a, vf_v b, vf_v c) { return fmaf(a, b, c); }
/* c - a*b with one rounding. */
static inline vf_v vf_v_fnma(vf_v a, vf_v b, vf_v c) { return fmaf(-a, b, c); }
/* x86 max: b when either operand is NaN. */
static inline vf_v vf_v_max(vf_v a, vf_v b) { return a > b ? a : b; }
/* Round to the nearest integer, ties to even (default rounding mode). */
static inline vf_v vf_v_round(vf_v a) { return rintf(a); }
/* 2^k for an integer-valued k, exact: k <= -127 or NaN give +0, k >= 127 gives 2^127.
 * Built from the binary digits of |k| < 127 as a product of exact powers of two (every partial
 * product is a normal float, so every step is exact): the same bits as building the exponent
 * field by hand, but expressible to WP, whose typed memory model cannot read a float through
 * an integer, and with no float -> int conversion, whose range guard WP cannot derive from
 * the IEEE comparisons that bound k. */
/*@ assigns \nothing; */
static inline vf_v vf_v_pow2i(vf_v k)
{
    static const float up[7] = {0x1p64f, 0x1p32f, 0x1p16f, 0x1p8f, 0x1p4f, 0x1p2f, 0x1p1f};
    static const float down[7] = {0x1p-64f, 0x1p-32f, 0x1p-16f, 0x1p-8f, 0x1p-4f, 0x1p-2f, 0x1p-1f};
    if (k >= 127.0f)
        return 0x1p127f;
    if (!(k > -127.0f))
        return 0.0f;
    const float *p = k < 0.0f ? down : up;
    float a = k < 0.0f ? -k : k, r = 1.0f, b = 64.0f;
    /*@ loop invariant bound: 0 <= d <= 7;
        loop assigns d, a, r, b;
        loop variant 7 - d;
    */
    for (int d = 0; d < 7; d++, b *= 0.5f) /* b = 2^(6 - d): the binary digits of a, high first */
        if (a >= b) {
            a -= b;
            r *= p[d];
        }
    return r;
}
/* x 2^k for an integer-valued k in [-126, 127]: exact when normal; k <= -127 gives +0 (callers
 * only reach that range when the result would round to 0 anyway). */
/*@ assigns errno; */
static inline vf_v vf_v_scale2(vf_v x, vf_v k) { return x * vf_v_pow2i(k); }
/* a >= b ? x : +0 (false when either is NaN). */
static inline vf_v vf_v_if_ge(vf_v a, vf_v b, vf_v x) { return a >= b ? x : 0.0f; }
static inline float vf_v_reduce_max(vf_v a) { return a; }
/* Never called with VF_W == 1 (no partial vectors); present so the kernel compiles. */
static inline vf_v vf_v_load_tail(const float *p, size_t n, float fill) { return n ? *p : fill; }
static inline void vf_v_store_tail(float *p, vf_v x, size_t n)
{
    if (n)
        *p = x;
}
/* Row sums accumulate in float64. */
typedef double vf_vacc;
static inline vf_vacc vf_vacc_zero(void) { return 0.0; }
static inline vf_vacc vf_vacc_add(vf_vacc a, vf_v x) { return a + (double)x; }
static inline vf_vacc vf_vacc_merge(vf_vacc a, vf_vacc b) { return a + b; }
static inline double vf_vacc_sum(vf_vacc a) { return a; }
/* Sums of non-negative floats (softmax family): one lane has no widening cost, so it is the
 * plain float64 sum (macros: the proved scalar softmax sees exactly the vf_vacc code). */
typedef vf_vacc vf_psum;
#define vf_psum_zero vf_vacc_zero
#define vf_psum_add vf_vacc_add
#define vf_psum_merge vf_vacc_merge
#define vf_psum_total vf_vacc_sum
/* ---- linear family (fast/kernels/gemm.c, linear_attention.c): float64 "vectors" of VF_WD = 1
 * lane for the float64-accumulated Gram matrix of the OLS forward pass. -------------------- */
#define VF_WD 1
typedef double vf_vd;
static inline vf_vd vf_vd_set1(double a) { return a; }
static inline vf_vd vf_vd_load(const double *p) { return *p; }
static inline void vf_vd_store(double *p, vf_vd x) { *p = x; }
/* a*b + c with one rounding (float64). */
static inline vf_vd vf_vd_fma(vf_vd a, vf_vd b, vf_vd c) { return fma(a, b, c); }
/* ---- cone family (fast/kernels/cone.c): Lorentz projection and CoLU.  Group sums of squares
 * in float64 (squares of floats are exact in float64) and float64 per-group coefficients. --- */
/* v with lane 0 replaced by a (the apex channel of a group): the one lane is lane 0. */
static inline vf_v vf_v_set_lane0(vf_v v, float a)
{
    (void)v;
    return a;
}
/* a += x^2 in float64 (the square is exact, so this is one rounding). */
static inline vf_vacc vf_vacc_addsq(vf_vacc a, vf_v x) { return a + (double)x * (double)x; }
/* a += p[0]^2; _nolane0: p[0] (the apex) left out. */
static inline vf_vacc vf_vacc_addsq_ld(vf_vacc a, const float *p) { return vf_vacc_addsq(a, *p); }
static inline vf_vacc vf_vacc_addsq_ld_nolane0(vf_vacc a, const float *p)
{
    (void)p;
    return a;
}
static inline vf_vd vf_vd_load_f(const float *p) { return (double)*p; }
/* Rounds to float32 (nearest even) and stores it. */
static inline void vf_vd_store_f(float *p, vf_vd x) { *p = (float)x; }
/* x rounded to float32 and widened back (exact widening). */
static inline vf_vd vf_vd_round_f32(vf_vd x) { return (double)(float)x; }
static inline vf_vd vf_vd_add(vf_vd a, vf_vd b) { return a + b; }
static inline vf_vd vf_vd_sub(vf_vd a, vf_vd b) { return a - b; }
static inline vf_vd vf_vd_mul(vf_vd a, vf_vd b) { return a * b; }
static inline vf_vd vf_vd_div(vf_vd a, vf_vd b) { return a / b; }
static inline vf_vd vf_vd_sqrt(vf_vd a) { return sqrt(a); }
/* Lane j (j < VF_WD = 1) = the total of a[j]. */
static inline vf_vd vf_vacc_sums(const vf_vacc *a) { return a[0]; }
/* a <= b ? x : y (y when either of a, b is NaN). */
static inline vf_vd vf_vd_le_sel(vf_vd a, vf_vd b, vf_vd x, vf_vd y) { return a <= b ? x : y; }
/* ---- lstsq family (fast/kernels/lstsq.c): horizontal sum of a float64 "vector". */
static inline double vf_vd_hsum(vf_vd a) { return a; }
/* ---- attention family (fast/kernels/attention.c): flash-style fused softmax attention. --- */
/* a - b, a / b (one rounding each). */
static inline vf_v vf_v_sub(vf_v a, vf_v b) { return a - b; }
static inline vf_v vf_v_div(vf_v a, vf_v b) { return a / b; }
/* x86 min: b when either operand is NaN. */
static inline vf_v vf_v_min(vf_v a, vf_v b) { return a < b ? a : b; }
/* a >= b ? x : y (y when either of a, b is NaN). */
static inline vf_v vf_v_ge_sel(vf_v a, vf_v b, vf_v x, vf_v y) { return a >= b ? x : y; }
#endif
#endif
