/* vf_simd_scalar.h — width-1 "vectors": the portable, WP-proved instance of each kernel. */
#ifndef VF_SIMD_SCALAR_H
#define VF_SIMD_SCALAR_H
#define VF_ISA_SUFFIX scalar
#define VF_W 1
/* ---- softmax helpers (fast/kernels/softmax.c): a width-1 "vector" is a float, with the same
 * semantics as the x86 instructions of the vector headers.  Hidden from Frama-C (__FRAMAC__):
 * the proved ReLU unit does not use them and must not get goals for them. */
#ifndef __FRAMAC__
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
/* 2^k for an integer-valued k, exact: k <= -127 or NaN give +0, k >= 127 gives 2^127. */
static inline vf_v vf_v_pow2i(vf_v k)
{
    int32_t i = k >= 127.0f ? 127 : k > -127.0f ? (int32_t)k : -127;
    uint32_t u = (uint32_t)(i + 127) << 23;
    float r;
    memcpy(&r, &u, sizeof r);
    return r;
}
/* x 2^k for an integer-valued k in [-126, 127]: exact when normal; k <= -127 gives +0 (callers
 * only reach that range when the result would round to 0 anyway). */
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
#endif
#endif
