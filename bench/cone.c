/* cone.c — Lorentz projection and CoLU benchmark: vf_lorentz_proj_f32 / vf_colu_f32 for every
 * supported ISA against the memory roof of the same bytes (one read + one write per float) and
 * a naive C peer, group sizes 4, 16, 64 and 256, in L2 and in DRAM.
 *
 *   roof copy_nt (y = x, non-temporal stores: the PERFORMANCE.md roof), roof2 copy;
 *   peer "naive_c": the straightforward loop below (float sum of squares, sqrtf, branches),
 *   compiled with the bench's flags (-O2 -mavx512f ..., the compiler's own vectorisation).
 * Bytes per call = 8n. */
#include <math.h>
#include <string.h>

#include "bench.h"
#include "vf_fast.h"
#include "vf_fast_cone.h"

typedef void (*cone_fn)(const float *, float *, size_t, size_t);

typedef struct {
    const float *x;
    float *y;
    size_t groups, s;
    cone_fn fn;
} cone_ctx;

/* The peers: what one writes without thinking about accuracy or SIMD. */
static void naive_lorentz(const float *x, float *y, size_t groups, size_t s)
{
    for (size_t g = 0; g < groups; g++, x += s, y += s) {
        float t = x[0], r2 = 0;
        for (size_t i = 1; i < s; i++)
            r2 += x[i] * x[i];
        float r = sqrtf(r2);
        if (r <= t) {
            for (size_t i = 0; i < s; i++)
                y[i] = x[i];
        } else if (r <= -t) {
            for (size_t i = 0; i < s; i++)
                y[i] = 0;
        } else {
            float a = (t + r) / 2, c = a / r;
            y[0] = a;
            for (size_t i = 1; i < s; i++)
                y[i] = c * x[i];
        }
    }
}

static void naive_colu(const float *x, float *y, size_t groups, size_t s)
{
    for (size_t g = 0; g < groups; g++, x += s, y += s) {
        float t = x[0], r2 = 0;
        for (size_t i = 1; i < s; i++)
            r2 += x[i] * x[i];
        float r = sqrtf(r2);
        float c = t <= 0 ? 0 : r <= t ? 1 : t / r;
        y[0] = t > 0 ? t : 0;
        for (size_t i = 1; i < s; i++)
            y[i] = c * x[i];
    }
}

static void run_cone(void *c)
{
    cone_ctx *r = c;
    r->fn(r->x, r->y, r->groups, r->s);
}

static void run_copy(void *c)
{
    cone_ctx *r = c;
    vf_roof_copy(r->x, r->y, r->groups * r->s);
}

static void run_copy_nt(void *c)
{
    cone_ctx *r = c;
    vf_roof_copy_nt(r->x, r->y, r->groups * r->s);
}

static const struct {
    const char *kernel, *name;
    cone_fn fn, isa_fn[VF_ISA__COUNT], naive;
} ops[] = {
    {"cone_proj", "lorentz_proj", vf_lorentz_proj_f32,
     {vf_lorentz_proj_f32__scalar, vf_lorentz_proj_f32__avx2, vf_lorentz_proj_f32__avx512},
     naive_lorentz},
    {"cone_colu", "colu", vf_colu_f32, {vf_colu_f32__scalar, vf_colu_f32__avx2, vf_colu_f32__avx512},
     naive_colu},
};

static const size_t group_sizes[] = {4, 16, 64, 256};

static const struct {
    size_t n;
    const char *label;
} shapes[] = {
    {(size_t)256 << 10, "256Ki (L2)"},
    {(size_t)64 << 20, "64Mi (DRAM)"},
};

static void bench_one(const vf_bench_opts *o, size_t op, size_t s, size_t n, const char *label,
                      const float *x, float *y)
{
    vf_bench_group g;
    memset(&g, 0, sizeof g);
    g.kernel = ops[op].kernel;
    snprintf(g.shape, sizeof g.shape, "s=%zu %s", s, label);
    char key[96];
    snprintf(key, sizeof key, "%s %s", g.kernel, g.shape);
    if (!vf_bench_selected(o, key))
        return;
    g.n = n;
    g.bytes = 8.0 * (double)n;
    g.roof = g.roof2 = g.peer = -1;
    size_t groups = n / s;
    cone_ctx c[VF_ISA__COUNT + 2];
    int k = 0;
    c[k] = (cone_ctx){x, y, groups, s, ops[op].fn};
    vf_bench_add(&g, ops[op].name, vf_isa_name(vf_isa_active()), VF_ROLE_OURS, run_cone, &c[k++]);
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        if (!vf_isa_supported((vf_isa)isa) || (isa == VF_ISA_SCALAR && n > ((size_t)1 << 20)))
            continue; /* scalar in DRAM: minutes of samples for a known-slow variant */
        c[k] = (cone_ctx){x, y, groups, s, ops[op].isa_fn[isa]};
        vf_bench_add(&g, "cone_isa", vf_isa_name((vf_isa)isa), VF_ROLE_OURS, run_cone, &c[k++]);
    }
    c[k] = (cone_ctx){x, y, groups, s, ops[op].naive};
    g.peer = vf_bench_add(&g, "naive_c", "avx512-O2", VF_ROLE_PEER, run_cone, &c[k]);
    g.roof = vf_bench_add(&g, "copy_nt", "avx512", VF_ROLE_ROOF, run_copy_nt, &c[0]);
    g.roof2 = vf_bench_add(&g, "copy", "avx512", VF_ROLE_ROOF, run_copy, &c[0]);
    vf_bench_run(&g, o);
}

static void vf_bench_cone(const vf_bench_opts *o)
{
    for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
        size_t n = shapes[si].n;
        float *x = vf_bench_alloc(n), *y = vf_bench_alloc(n);
        vf_bench_fill(x, n, 1); /* uniform in [-1, 1): mixed branches at s = 4, mostly
                                  * the scaled branch from s = 16 */
        for (size_t op = 0; op < sizeof ops / sizeof ops[0]; op++)
            for (size_t gi = 0; gi < sizeof group_sizes / sizeof group_sizes[0]; gi++)
                bench_one(o, op, group_sizes[gi], n, shapes[si].label, x, y);
        vf_bench_free(x);
        vf_bench_free(y);
    }
}
VF_BENCH_REGISTER("cone", vf_bench_cone)
