/* vf_simd_scalar.h — width-1 "vectors": the portable, WP-proved instance of each kernel. */
#ifndef VF_SIMD_SCALAR_H
#define VF_SIMD_SCALAR_H
#define VF_ISA_SUFFIX scalar
#define VF_W 1
#endif
