/* vf_rng.h — counter-based deterministic inputs.
 *
 * Value i of tensor t under seed s is F(s, t, i): a pure function (SplitMix64-style finaliser
 * over the three words), so any element can be generated alone, in any order, by any thread,
 * and a run is reproduced from its printed seed.  VF_SEED_DEFAULT is the fixed default.
 *
 * Named float fills (DESIGN.md "Tests") write n values of tensor t into a float or double
 * buffer; every fill is documented with the property it exercises.
 */
#ifndef VF_RNG_H
#define VF_RNG_H

#include <stddef.h>
#include <stdint.h>

#define VF_SEED_DEFAULT UINT64_C(20261123)

/* 64 uniform bits of (seed, tensor, index). */
uint64_t vf_rng_u64(uint64_t seed, uint64_t tensor, uint64_t index);
/* Uniform in [0, 1) with 53 random bits (exactly representable double). */
double vf_rng_unit(uint64_t seed, uint64_t tensor, uint64_t index);
/* Uniform integer in [lo, hi] (inclusive, lo <= hi), without modulo bias. */
int64_t vf_rng_int(uint64_t seed, uint64_t tensor, uint64_t index, int64_t lo, int64_t hi);

typedef enum {
    VF_FILL_UNIFORM,   /* uniform in [-1, 1) */
    VF_FILL_NORMAL,    /* normal-like: sum of 4 uniforms, centred, variance 1 (light tails) */
    VF_FILL_TIES,      /* values from a set of 4 levels, so rows contain exact ties */
    VF_FILL_BIG,       /* logits beyond +-88 (|x| in [88, 120]): exp overflows without a shift */
    VF_FILL_NEGATIVE,  /* all strictly negative, in [-30, -1) */
    VF_FILL_MASKED,    /* normal-like with about 1 in 4 entries -inf (masked logits) */
    VF_FILL_DENORMAL,  /* float32 subnormals and tiny normals of both signs */
    VF_FILL__COUNT
} vf_fill;

/* Stable name ("uniform", "normal", "ties", "big", "negative", "masked", "denormal"),
 * and lookup by name (-1 when unknown). */
const char *vf_fill_name(vf_fill f);
int vf_fill_from_name(const char *name);

/* Writes n values of the fill into x (float32 values; every one exactly representable). */
void vf_fill_f32(float *x, size_t n, vf_fill f, uint64_t seed, uint64_t tensor);
void vf_fill_f64(double *x, size_t n, vf_fill f, uint64_t seed, uint64_t tensor);

#endif
