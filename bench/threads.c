/* threads.c — the two-thread fast path (vf_par.h) against a two-thread roof measured in the
 * same run (PERFORMANCE.md: >= 0.9x that roof).  The roof splits the same bytes in two halves
 * copied by two OpenMP threads with non-temporal stores; the one-thread kernel is timed too, so
 * the speed-up is visible.  Two vCPUs reach 2x only when they land on separate cores. */
#include <string.h>

#include "bench.h"
#include "vf_fast.h"
#include "vf_par.h"

typedef struct {
    const float *x;
    float *y;
    size_t n;
    int threads;
} par_ctx;

static void run_relu(void *c)
{
    par_ctx *p = c;
    vf_par_set_max_threads(p->threads);
    vf_relu_f32(p->x, p->y, p->n);
    vf_par_set_max_threads(1);
}

static void run_copy_nt_2t(void *c)
{
    par_ctx *p = c;
    size_t half = (p->n / 2 + 63) & ~(size_t)63;
#pragma omp parallel for schedule(static) num_threads(2)
    for (int t = 0; t < 2; t++) {
        size_t lo = t ? half : 0, hi = t ? p->n : half;
        vf_roof_copy_nt(p->x + lo, p->y + lo, hi - lo);
    }
}

static void bench_threads(const vf_bench_opts *o)
{
    size_t n = (size_t)64 << 20;
    const char *label = "64Mi (DRAM)";
    char key[64];
    snprintf(key, sizeof key, "relu_2t %s", label);
    if (!vf_bench_selected(o, key))
        return;
    float *x = vf_bench_alloc(n), *y = vf_bench_alloc(n);
    vf_bench_fill(x, n, 1);
    par_ctx two = {x, y, n, 2}, one = {x, y, n, 1};
    vf_bench_group g;
    memset(&g, 0, sizeof g);
    g.kernel = "relu_2t";
    snprintf(g.shape, sizeof g.shape, "%s", label);
    g.n = n;
    g.bytes = 8.0 * (double)n;
    g.roof = g.roof2 = g.peer = -1;
    vf_bench_add(&g, "relu_2t", vf_isa_name(vf_isa_active()), VF_ROLE_OURS, run_relu, &two);
    g.roof2 = vf_bench_add(&g, "relu_1t", vf_isa_name(vf_isa_active()), VF_ROLE_OURS, run_relu,
                           &one);
    g.roof = vf_bench_add(&g, "copy_nt_2t", "avx512", VF_ROLE_ROOF, run_copy_nt_2t, &two);
    vf_bench_run(&g, o);
    vf_bench_free(x);
    vf_bench_free(y);
}
VF_BENCH_REGISTER("threads", bench_threads)
