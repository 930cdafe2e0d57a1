/* vf_fast.h — the optimised float32 path: public kernels and runtime ISA dispatch.
 *
 * Each kernel is written once in fast/kernels/ against the helper header of fast/isa/ and
 * compiled once per ISA, giving vf_<op>_f32__scalar, __avx2 and __avx512.  The public
 * vf_<op>_f32 calls the variant of the active ISA: the best one the CPU supports, unless the
 * environment variable VF_ISA (scalar|avx2|avx512) or vf_isa_set() chose another.
 * Every variant is differentially tested against the certified reference (tests/).
 */
#ifndef VF_FAST_H
#define VF_FAST_H

#include <stddef.h>

#include "vf_status.h"

typedef enum { VF_ISA_SCALAR = 0, VF_ISA_AVX2 = 1, VF_ISA_AVX512 = 2, VF_ISA__COUNT } vf_isa;

const char *vf_isa_name(vf_isa isa);
/* 1 iff this CPU (and OS) can run the variant. */
int vf_isa_supported(vf_isa isa);
/* The active ISA (resolved on first use: VF_ISA if set and valid, else the best supported). */
vf_isa vf_isa_active(void);
/* Forces an ISA; unsupported -> VF_E_USAGE (the caller may skip, exit 77). */
int vf_isa_set(vf_isa isa, vf_err *e);
/* Validates VF_ISA from the environment and applies it: unknown name -> VF_E_USAGE, ISA not
 * supported by this CPU -> VF_E_USAGE naming it; unset -> best.  The command calls this first
 * so a bad VF_ISA is an error, never a silent fallback. */
int vf_isa_init_from_env(vf_err *e);
/* Parses "scalar" | "avx2" | "avx512"; -1 when unknown. */
int vf_isa_from_name(const char *name);

/* Declares a kernel's public entry point and its three ISA variants (same signature). */
#define VF_DECLARE_KERNEL(ret, name, params)                                                   \
    ret name params;                                                                           \
    ret name##__scalar params;                                                                 \
    ret name##__avx2 params;                                                                   \
    ret name##__avx512 params
/* Calls the variant of the active ISA (the body of every public vf_<op>_f32). */
#define VF_DISPATCH(name, ...)                                                                 \
    (vf_isa_active() == VF_ISA_AVX512  ? name##__avx512(__VA_ARGS__)                           \
     : vf_isa_active() == VF_ISA_AVX2 ? name##__avx2(__VA_ARGS__)                              \
                                      : name##__scalar(__VA_ARGS__))

/* ReLU, y_i = x_i if x_i > 0, NaN stays NaN (same bits), otherwise +0 (so -0, negatives and
 * -inf give +0, +inf gives +inf).  Out-of-place or in place (y == x); no other overlap. */
VF_DECLARE_KERNEL(void, vf_relu_f32, (const float *x, float *y, size_t n));

/* Row softmax with temperature: x and y are [rows, cols] float32, row-major, and
 *     y[i, j] = exp(x[i, j] / T) / sum_k exp(x[i, k] / T).
 * Out-of-place or in place (y == x); no other overlap.  Single thread.
 * Masks: x = -inf is a masked logit, its output is exactly +0.
 * Invalid rows (the function never fails or traps; it counts them): a row with every entry
 *   masked, a NaN anywhere in the row, or a +inf logit gets NaN in every entry (the certified
 *   reference calls these domain errors).  T that is not finite and > 0 makes every row
 *   invalid.  Returns the number of invalid rows (0 for valid input); cols == 0 does nothing.
 * Accuracy: within 3 ULP of the correctly rounded softmax for every row length (bound derived
 *   in tests/test_softmax_fast.c) when |max_j x[i, j] / T| <= 2^22; beyond that a row is
 *   evaluated in float64 (slower, at least as accurate).  The division by T is carried as a
 *   two-float value (z = zh + zl), so T adds no amplified rounding error.  Subnormal outputs
 *   are rounded once.
 * Never forms x - max (see fast/kernels/softmax.c for the algorithm). */
VF_DECLARE_KERNEL(size_t, vf_softmax_f32,
                  (const float *x, float *y, size_t rows, size_t cols, float T));

/* The other kernel families, one header each (API and contract). */
#include "vf_fast_attention.h"
#include "vf_fast_cone.h"
#include "vf_fast_linear.h"
#include "vf_fast_logsoftmax.h"
#include "vf_fast_lstsq.h"

#endif
