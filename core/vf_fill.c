/* vf_fill.c — the named deterministic fills of vf_rng.h.
 *
 * Every value is fill_one(f, seed, tensor, i): a pure function of (seed, tensor, index), built
 * only from vf_rng_u64 / vf_rng_int, so filling n values and reading value i gives the same
 * number as filling any longer buffer.  Each value is constructed on a grid that float32
 * represents exactly (integer counts times powers of two), or rounded to float32 once (the
 * normal-like fills); vf_fill_f64 writes the very same float32 values widened to double, so
 * a float32 kernel and a double reference see identical inputs.
 */
#include "vf_rng.h"

#include <math.h>
#include <string.h>

static const char *const fill_names[VF_FILL__COUNT] = {
    [VF_FILL_UNIFORM] = "uniform",   [VF_FILL_NORMAL] = "normal",
    [VF_FILL_TIES] = "ties",         [VF_FILL_BIG] = "big",
    [VF_FILL_NEGATIVE] = "negative", [VF_FILL_MASKED] = "masked",
    [VF_FILL_DENORMAL] = "denormal",
};

const char *vf_fill_name(vf_fill f)
{
    return (unsigned)f < VF_FILL__COUNT ? fill_names[f] : "unknown";
}

int vf_fill_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int f = 0; f < VF_FILL__COUNT; f++)
        if (strcmp(name, fill_names[f]) == 0)
            return f;
    return -1;
}

/* The k-th independent draw for one element: re-keying the seed (as vf_rng_int does for its
 * retries) keeps every draw a function of (seed, tensor, index) alone. */
static uint64_t draw(uint64_t seed, uint64_t tensor, uint64_t index, uint64_t k)
{
    return vf_rng_u64(seed ^ (k * UINT64_C(0x9e6c63d0676a9a99)), tensor, index);
}

/* Sum of 4 uniforms in [0, 1), centred (mean 2) and scaled by sqrt(3) to variance 1
 * (Irwin-Hall: variance 4/12); support [-2 sqrt 3, 2 sqrt 3], so the tails are light. */
static float normal_like(uint64_t seed, uint64_t tensor, uint64_t i)
{
    double s = 0.0;
    for (uint64_t k = 0; k < 4; k++)
        s += (double)(draw(seed, tensor, i, k) >> 11) * 0x1p-53;
    return (float)((s - 2.0) * 1.7320508075688772); /* one rounding to float32 */
}

static float fill_one(vf_fill f, uint64_t seed, uint64_t tensor, uint64_t i)
{
    static const float ties_levels[4] = {-1.5f, -0.25f, 0.5f, 2.0f};
    uint64_t u;
    switch (f) {
    case VF_FILL_UNIFORM:
        /* k in [0, 2^24): (k - 2^23) 2^-23 covers [-1, 1 - 2^-23] on the float32 grid. */
        u = vf_rng_u64(seed, tensor, i) >> 40;
        return (float)(((double)u - 0x1p23) * 0x1p-23);
    case VF_FILL_NORMAL:
        return normal_like(seed, tensor, i);
    case VF_FILL_TIES:
        return ties_levels[vf_rng_int(seed, tensor, i, 0, 3)];
    case VF_FILL_BIG:
        /* 88 + k 2^-17 with k < 2^22: [88, 120), on the float32 grid of [64, 128). */
        u = vf_rng_u64(seed, tensor, i);
        return (float)((88.0 + (double)(u >> 42) * 0x1p-17) * ((u & 1) ? -1.0 : 1.0));
    case VF_FILL_NEGATIVE:
        /* -(30 - k 2^-19), k < 29 2^19: [-30, -1), on the float32 grid of [16, 32) (finer
         * below 16, so still exact). */
        return (float)-(30.0 - (double)vf_rng_int(seed, tensor, i, 0, 29 * (INT64_C(1) << 19) - 1)
                                   * 0x1p-19);
    case VF_FILL_MASKED:
        /* An independent draw decides the mask (2 bits: probability exactly 1/4). */
        if ((draw(seed, tensor, i, 7) & 3) == 0)
            return -INFINITY;
        return normal_like(seed, tensor, i);
    case VF_FILL_DENORMAL: {
        /* Bits: 0 sign, 1-4 class (1/16 signed zero, 9/16 subnormal, 6/16 tiny normal in
         * [2^-126, 2^-120)), 8.. exponent offset, 40-62 the 23-bit mantissa. */
        u = vf_rng_u64(seed, tensor, i);
        double sign = (u & 1) ? -1.0 : 1.0;
        unsigned cls = (unsigned)(u >> 1) & 15;
        uint64_t m = (u >> 40) & ((UINT64_C(1) << 23) - 1);
        if (cls == 0)
            return (float)(sign * 0.0);
        if (cls <= 9)
            return (float)(sign * ldexp((double)(m ? m : 1), -149));
        int ex = -126 + (int)((u >> 8) % 6);
        return (float)(sign * ldexp(1.0 + (double)m * 0x1p-23, ex));
    }
    case VF_FILL__COUNT:
        break;
    }
    return 0.0f; /* not a fill: callers pass a vf_fill; zeros are at least deterministic */
}

void vf_fill_f32(float *x, size_t n, vf_fill f, uint64_t seed, uint64_t tensor)
{
    for (size_t i = 0; i < n; i++)
        x[i] = fill_one(f, seed, tensor, (uint64_t)i);
}

/* Same values as vf_fill_f32, widened: every fill value is a float32 by construction. */
void vf_fill_f64(double *x, size_t n, vf_fill f, uint64_t seed, uint64_t tensor)
{
    for (size_t i = 0; i < n; i++)
        x[i] = (double)fill_one(f, seed, tensor, (uint64_t)i);
}
