/* cone.c — Lorentz-cone projection and CoLU over float32 groups, one source for every ISA
 * (contracts and the NaN/inf policy in vf_fast_cone.h; error bound derived in
 * tests/test_cone_fast.c).
 *
 * Algorithm, per block of up to 64 groups (the block stays in L1/L2 between the passes):
 *   1. r2 = sum_{i>=1} x_i^2 per group in float64: a float squared is exact in float64 and the
 *      sum cannot overflow or underflow, so no scaling pass is needed; the vector loads cover
 *      the whole group and the apex lane is zeroed in the register (no unaligned w loads);
 *      the lanes of VF_WD groups are summed together by one transpose-and-add tree
 *      (vf_vacc_sums), which gives the r2 vector of pass 2 directly;
 *   2. the coefficients, VF_WD groups per float64 vector (sqrt and division amortised across
 *      groups; branch-free selects, so mixed branches cost no mispredictions): output
 *      y_i = c w_i (i >= 1) and apex a, with c = 1, 0, (t + r)/(2r) (projection) or
 *      1, 0, t/r (CoLU).  c is split as ch + cl, two floats (|c - ch - cl| <= 2^-48 c);
 *   3. y_i = RN(ch w_i + RN(cl w_i + z)) by two FMAs over the whole group, the apex lane
 *      replaced by a in the register.  z = -0 keeps the identity branch bitwise (w + -0 = w,
 *      -0 + -0 = -0) and z = +0 makes the zero branch +0 (0 * w = -0 for w < 0).
 * A group with a non-finite entry gets NaN coefficients (q = t*0 + r2*0 is NaN exactly then).
 * s = 4 (4 or 2 groups per vector) has its own across-group path (cone_block4); s = 8, 16, 32
 * and 64 are compiled as constants (the group loops unroll).  Large out-of-place outputs with s
 * a multiple of the vector width (or s = 4) go through non-temporal stores (the roof is
 * copy_nt).  Threads split the groups into blocks; each group's bits never depend on the
 * split. */
#include <math.h>
#include <stdint.h>

#include "vf_fast_cone.h"
#include "vf_par.h"
#include "vf_simd.h"

#define CONE_BLK 64                            /* groups per block, at most */
#define CONE_BLK_FLOATS ((size_t)2048)         /* a block holds about this many floats */
#define CONE_STREAM_MIN_FLOATS ((size_t)4 << 20) /* non-temporal stores from 16 MiB */

typedef struct {
    double r2[CONE_BLK + VF_WD], t[CONE_BLK + VF_WD];
    float ch[CONE_BLK + VF_WD], cl[CONE_BLK + VF_WD], z[CONE_BLK + VF_WD], a[CONE_BLK + VF_WD];
} cone_work;

#define CONE_INLINE static inline __attribute__((always_inline))

/* The float64 accumulator of |w|^2 for the group at x (s >= 1 entries, the apex x[0] excluded
 * by zeroing lane 0 of the first vector); its lanes are summed by vf_vacc_sums. */
CONE_INLINE vf_vacc group_acc(const float *x, size_t s)
{
    vf_vacc a0 = vf_vacc_zero();
    if (s < VF_W)
        return vf_vacc_addsq(a0, vf_v_set_lane0(vf_v_load_tail(x, s, 0.0f), 0.0f));
    a0 = vf_vacc_addsq_ld_nolane0(a0, x);
    size_t i = VF_W;
    if (s >= 4 * VF_W) { /* long groups: two chains (latency of the float64 adds) */
        vf_vacc a1 = vf_vacc_zero();
        for (; i + 2 * VF_W <= s; i += 2 * VF_W) {
            a1 = vf_vacc_addsq_ld(a1, x + i);
            a0 = vf_vacc_addsq_ld(a0, x + i + VF_W);
        }
        a0 = vf_vacc_merge(a0, a1);
    }
    for (; i + VF_W <= s; i += VF_W)
        a0 = vf_vacc_addsq_ld(a0, x + i);
    if (i < s)
        a0 = vf_vacc_addsq(a0, vf_v_load_tail(x + i, s - i, 0.0f));
    return a0;
}

/* Coefficients of groups g .. g + VF_WD - 1 of the block. */
CONE_INLINE void group_coef(cone_work *w, size_t g, int colu)
{
    const vf_vd zero = vf_vd_set1(0.0), one = vf_vd_set1(1.0), mzero = vf_vd_set1(-0.0);
    vf_vd r2 = vf_vd_load(w->r2 + g), t = vf_vd_load(w->t + g);
    vf_vd r = vf_vd_sqrt(r2), c, a, z;
    if (colu) { /* t <= 0: zero; r <= t: identity; else scaled by t/r */
        c = vf_vd_le_sel(t, zero, zero, vf_vd_le_sel(r, t, one, vf_vd_div(t, r)));
        a = vf_vd_le_sel(t, zero, zero, t);
        z = vf_vd_le_sel(t, zero, zero, mzero);
    } else { /* r <= t: identity (first: t = r = 0 keeps x); r <= -t: zero; else scaled */
        vf_vd mt = vf_vd_sub(zero, t), half = vf_vd_mul(vf_vd_add(t, r), vf_vd_set1(0.5));
        vf_vd cs = vf_vd_div(half, r);
        c = vf_vd_le_sel(r, t, one, vf_vd_le_sel(r, mt, zero, cs));
        a = vf_vd_le_sel(r, t, t, vf_vd_le_sel(r, mt, zero, half));
        z = vf_vd_le_sel(r, t, mzero, vf_vd_le_sel(r, mt, zero, mzero));
    }
    /* Non-finite group (NaN or inf in t or w): q = NaN, and every coefficient becomes NaN. */
    const vf_vd nan = vf_vd_set1(NAN);
    vf_vd q = vf_vd_add(vf_vd_mul(t, zero), vf_vd_mul(r2, zero));
    c = vf_vd_le_sel(q, zero, c, nan);
    a = vf_vd_le_sel(q, zero, a, nan);
    z = vf_vd_le_sel(q, zero, z, nan);
    vf_vd ch = vf_vd_round_f32(c);
    vf_vd_store_f(w->ch + g, ch);
    vf_vd_store_f(w->cl + g, vf_vd_sub(c, ch)); /* exact in float64, rounded once to float */
    vf_vd_store_f(w->z + g, z);
    vf_vd_store_f(w->a + g, a);
}

CONE_INLINE vf_v group_val(vf_v v, vf_v ch, vf_v cl, vf_v z)
{
    return vf_v_fma(ch, v, vf_v_fma(cl, v, z));
}

/* Writes one group: y_i = RN(ch x_i + RN(cl x_i + z)), apex a.  stream: non-temporal stores
 * (s a multiple of VF_W, y aligned). */
CONE_INLINE void group_out(const float *x, float *y, size_t s, float fch, float fcl, float fz,
                             float fa, int stream)
{
    vf_v ch = vf_v_set1(fch), cl = vf_v_set1(fcl), z = vf_v_set1(fz);
    if (s < VF_W) {
        vf_v v = vf_v_load_tail(x, s, 0.0f);
        vf_v_store_tail(y, vf_v_set_lane0(group_val(v, ch, cl, z), fa), s);
        return;
    }
    vf_v o = vf_v_set_lane0(group_val(vf_v_load(x), ch, cl, z), fa);
#if VF_W > 1
    if (stream) {
        vf_v_stream(y, o);
        for (size_t i = VF_W; i < s; i += VF_W)
            vf_v_stream(y + i, group_val(vf_v_load(x + i), ch, cl, z));
        return;
    }
#else
    (void)stream;
#endif
    vf_v_store(y, o);
    size_t i = VF_W;
    for (; i + VF_W <= s; i += VF_W)
        vf_v_store(y + i, group_val(vf_v_load(x + i), ch, cl, z));
    if (i < s)
        vf_v_store_tail(y + i, group_val(vf_v_load_tail(x + i, s - i, 0.0f), ch, cl, z), s - i);
}

CONE_INLINE void cone_block(const float *x, float *y, size_t ng, size_t s, int colu, int stream)
{
    cone_work w;
    size_t g;
    /* pass 1 reads every group before pass 3 writes (in place); VF_WD groups at a time, so
     * their horizontal sums share one transpose-and-add tree */
    for (g = 0; g < ng; g += VF_WD) {
        vf_vacc acc[VF_WD];
#pragma GCC unroll 8
        for (size_t j = 0; j < VF_WD; j++) {
            if (g + j < ng) {
                acc[j] = group_acc(x + (g + j) * s, s);
                w.t[g + j] = (double)x[(g + j) * s];
            } else { /* padding lanes of the last coefficient vector */
                acc[j] = vf_vacc_zero();
                w.t[g + j] = 0.0;
            }
        }
        vf_vd_store(w.r2 + g, vf_vacc_sums(acc));
    }
    for (g = 0; g < ng; g += VF_WD)
        group_coef(&w, g, colu);
    /* pass 3; meanwhile the next block is prefetched (the same offset, one block ahead), so
     * DRAM reads keep flowing while this block computes and writes (prefetches never fault) */
    const char *next = (const char *)(x + ng * s);
    for (g = 0; g < ng; g++) {
        for (size_t b = g * s * sizeof(float); b < (g + 1) * s * sizeof(float); b += 64)
            __builtin_prefetch(next + b);
        group_out(x + g * s, y + g * s, s, w.ch[g], w.cl[g], w.z[g], w.a[g], stream);
    }
}

#if VF_W >= 8
/* s = 4: VF_W / 4 groups per vector, across-group vector code for every pass (no masked loads
 * of 4 floats): r2 and the apexes of VF_WD groups from whole vectors, the coefficients spread
 * over their groups' lanes, the apex lanes blended.  ng % VF_WD trailing groups take the
 * generic path.  Same operations per output as the generic path up to the summation order of
 * r2 (which the error bound does not depend on). */
CONE_INLINE void cone_block4(const float *x, float *y, size_t ng, int colu, int stream)
{
    cone_work w;
    size_t full = ng / VF_WD * VF_WD, g;
    for (g = 0; g < full; g += VF_WD) {
        vf_vd_store(w.r2 + g, vf_cone4_r2(x + 4 * g));
        vf_vd_store(w.t + g, vf_cone4_apex(x + 4 * g));
    }
    for (g = 0; g < full; g += VF_WD)
        group_coef(&w, g, colu);
    const char *next = (const char *)(x + 4 * ng); /* prefetch the next block (cone_block) */
    for (g = 0; g < full; g += VF_W / 4) {
        __builtin_prefetch(next + 16 * g);
        vf_v v = vf_v_load(x + 4 * g);
        vf_v o = group_val(v, vf_cone4_spread(w.ch + g), vf_cone4_spread(w.cl + g),
                           vf_cone4_spread(w.z + g));
        o = vf_cone4_set_apex(o, vf_cone4_spread(w.a + g));
        if (stream)
            vf_v_stream(y + 4 * g, o);
        else
            vf_v_store(y + 4 * g, o);
    }
    if (full < ng)
        cone_block(x + 4 * full, y + 4 * full, ng - full, 4, colu, 0);
}
#define CONE_BLOCK4(colu, stream) cone_block4(x, y, ng, colu, stream)
#else
#define CONE_BLOCK4(colu, stream) cone_block(x, y, ng, 4, colu, stream)
#endif

/* Constant flags, and constant s for the common power-of-two group sizes, so each combination
 * is its own specialised loop (the group loops unroll completely). */
#define CONE_SIZES(colu, stream)                                                               \
    switch (s) {                                                                               \
    case 4: CONE_BLOCK4(colu, stream); return;                                                 \
    case 8: cone_block(x, y, ng, 8, colu, stream); return;                                     \
    case 16: cone_block(x, y, ng, 16, colu, stream); return;                                   \
    case 32: cone_block(x, y, ng, 32, colu, stream); return;                                   \
    case 64: cone_block(x, y, ng, 64, colu, stream); return;                                   \
    default: cone_block(x, y, ng, s, colu, stream); return;                                    \
    }

static void cone_block_any(const float *x, float *y, size_t ng, size_t s, int colu, int stream)
{
    if (colu) {
        if (stream)
            CONE_SIZES(1, 1)
        else
            CONE_SIZES(1, 0)
    } else {
        if (stream)
            CONE_SIZES(0, 1)
        else
            CONE_SIZES(0, 0)
    }
}

static void cone_run(const float *x, float *y, size_t groups, size_t s, int colu)
{
    if (groups == 0 || s == 0)
        return;
    size_t nb = CONE_BLK_FLOATS / s;
    nb = nb < 8 ? 8 : nb > CONE_BLK ? CONE_BLK : nb;
    size_t nblocks = (groups + nb - 1) / nb;
    int stream = 0;
#if VF_W > 1
    stream = y != x && (s % VF_W == 0 || (s == 4 && VF_W >= 8)) &&
             ((uintptr_t)y & (sizeof(vf_v) - 1)) == 0 &&
             groups * s >= CONE_STREAM_MIN_FLOATS;
#endif
    int nt = vf_par_threads(groups * s);
    if (nt == 1) { /* no parallel region at all: entering one costs ~1 us even when idle */
        for (size_t b = 0; b < nblocks; b++) {
            size_t g0 = b * nb, ng = groups - g0 < nb ? groups - g0 : nb;
            cone_block_any(x + g0 * s, y + g0 * s, ng, s, colu, stream);
        }
#if VF_W > 1
        if (stream)
            vf_v_sfence();
#endif
        return;
    }
#pragma omp parallel num_threads(nt)
    {
#pragma omp for schedule(static) nowait
        for (size_t b = 0; b < nblocks; b++) {
            size_t g0 = b * nb, ng = groups - g0 < nb ? groups - g0 : nb;
            const float *xb = x + g0 * s;
            float *yb = y + g0 * s;
            cone_block_any(xb, yb, ng, s, colu, stream);
        }
#if VF_W > 1
        if (stream)
            vf_v_sfence(); /* each thread orders its own non-temporal stores */
#endif
    }
}

void VF_FN(vf_lorentz_proj_f32)(const float *x, float *y, size_t groups, size_t s)
{
    cone_run(x, y, groups, s, 0);
}

void VF_FN(vf_colu_f32)(const float *x, float *y, size_t groups, size_t s)
{
    cone_run(x, y, groups, s, 1);
}
