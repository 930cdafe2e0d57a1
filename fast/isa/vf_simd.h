/* vf_simd.h — selects the per-ISA helper header for the kernel being compiled.
 * The Makefile compiles every fast/kernels/ source once per ISA with -DVF_BUILD_<NAME>;
 * VF_FN(name) appends the ISA suffix, so one source defines vf_relu_f32__avx512 etc. */
#ifndef VF_SIMD_H
#define VF_SIMD_H

#if defined(VF_BUILD_AVX512)
#include "vf_simd_avx512.h"
#elif defined(VF_BUILD_AVX2)
#include "vf_simd_avx2.h"
#else
#include "vf_simd_scalar.h"
#endif

#define VF_CAT_(a, b) a##__##b
#define VF_CAT(a, b) VF_CAT_(a, b)
#define VF_FN(name) VF_CAT(name, VF_ISA_SUFFIX)

/* Scalar ReLU of one element, bit-identical to every vector vf_v_relu: x when x > 0 or x is
 * NaN, otherwise +0.  A macro (not a function) so WP sees the expression in the proved code. */
#define VF_RELU1(x) (((x) > 0.0f || (x) != (x)) ? (x) : 0.0f)

#endif
