/* vf_rng.c — counter-based generator (see vf_rng.h).  The fills live in vf_fill.c. */
#include "vf_rng.h"

/* SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijection of 64-bit words with full
 * avalanche; chaining it over (seed, tensor, index) gives a keyed hash of the counter. */
static uint64_t mix64(uint64_t z)
{
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t vf_rng_u64(uint64_t seed, uint64_t tensor, uint64_t index)
{
    return mix64(mix64(mix64(seed) ^ tensor) ^ index);
}

double vf_rng_unit(uint64_t seed, uint64_t tensor, uint64_t index)
{
    return (double)(vf_rng_u64(seed, tensor, index) >> 11) * 0x1p-53;
}

int64_t vf_rng_int(uint64_t seed, uint64_t tensor, uint64_t index, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo; /* hi - lo, as an unsigned count minus one */
    if (span == UINT64_MAX)
        return (int64_t)vf_rng_u64(seed, tensor, index);
    uint64_t range = span + 1, limit = UINT64_MAX - UINT64_MAX % range;
    /* Rejection keeps it unbiased; the k-th retry re-hashes the same counter with a new key,
     * so the value is still a pure function of (seed, tensor, index). */
    uint64_t r = vf_rng_u64(seed, tensor, index);
    for (uint64_t k = 1; r >= limit; k++)
        r = vf_rng_u64(seed ^ (k * UINT64_C(0xd1b54a32d192ed03)), tensor, index);
    return lo + (int64_t)(r % range);
}
