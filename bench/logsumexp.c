/* logsumexp.c — row logsumexp and log-softmax benchmarks: our vf_logsumexp_f32 and
 * vf_log_softmax_f32 (dispatched, and every supported vector ISA) against the roofs of the
 * same bytes and oneDNN logsoftmax, interleaved in one process (bench.h).
 *
 * logsumexp groups (bytes per call 4n: x read once; the rows outputs are negligible):
 *   roof  read_sum  AVX-512 sum of x (vf_roof_read_sum): the read-only memory roof;
 *   roof2 exp       sum over x of the same biased exp (fast/kernels/vexp.h, AVX-512, 4 chains,
 *                   float32 sums, no compensation): the compute bound of one exp per element.
 *   (no peer: oneDNN 2.6 has no logsumexp primitive.)
 * log-softmax groups (bytes per call 8n: read x, write y):
 *   roof  copy      y = x, ordinary stores;
 *   roof2 copy_nt   non-temporal copy;
 *   peer  onednn    dnnl_logsoftmax_forward_desc_init, forward inference, f32, axis 1.
 * Logits in [-8, 8), T = 1 (as bench/softmax.c). */
#include <stdlib.h>
#include <string.h>

#include <oneapi/dnnl/dnnl.h>

#include "bench.h"
#include "vf_fast_logsoftmax.h"

/* The exp of the kernels, AVX-512 instance (this file is compiled with AVX-512 flags). */
#define VF_BUILD_AVX512
#include "../fast/kernels/vexp.h"

typedef size_t (*lse_fn)(const float *, float *, size_t, size_t, float);

typedef struct {
    const float *x;
    float *y;
    size_t rows, cols;
    lse_fn fn;
    volatile float sink;
} lse_ctx;

static void run_ours(void *c)
{
    lse_ctx *s = c;
    s->fn(s->x, s->y, s->rows, s->cols, 1.0f);
}

static void run_read(void *c)
{
    lse_ctx *s = c;
    s->sink = vf_roof_read_sum(s->x, s->rows * s->cols);
}

static void run_copy(void *c)
{
    lse_ctx *s = c;
    vf_roof_copy(s->x, s->y, s->rows * s->cols);
}

static void run_copy_nt(void *c)
{
    lse_ctx *s = c;
    vf_roof_copy_nt(s->x, s->y, s->rows * s->cols);
}

/* One biased exp per element (row constants of max z = 8), summed in 4 float32 chains. */
static void run_exp_roof(void *c)
{
    lse_ctx *s = c;
    const float *x = s->x;
    size_t n = s->rows * s->cols, i = 0;
    row_consts rc = {vf_v_set1(8.0f - ZFLOOR_GAP), vf_v_set1(EBIAS - 12.0f), vf_v_set1(1.0f),
                     vf_v_set1(1.0f)};
    vf_v a0 = vf_v_set1(0.0f), a1 = a0, a2 = a0, a3 = a0;
    for (; i + 4 * VF_W <= n; i += 4 * VF_W) {
        a0 = vf_v_add(a0, biased_exp(vf_v_load(x + i), &rc, 0));
        a1 = vf_v_add(a1, biased_exp(vf_v_load(x + i + VF_W), &rc, 0));
        a2 = vf_v_add(a2, biased_exp(vf_v_load(x + i + 2 * VF_W), &rc, 0));
        a3 = vf_v_add(a3, biased_exp(vf_v_load(x + i + 3 * VF_W), &rc, 0));
    }
    s->sink = _mm512_reduce_add_ps(vf_v_add(vf_v_add(a0, a1), vf_v_add(a2, a3)));
}

/* ---- oneDNN logsoftmax forward (own engine and stream, as bench/softmax.c) ---- */
typedef struct {
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t prim;
    dnnl_memory_t src, dst;
    dnnl_exec_arg_t args[2];
    const char *impl;
} dnnl_lsm;

static void dnnl_lsm_destroy(dnnl_lsm *d)
{
    if (!d)
        return;
    if (d->dst)
        dnnl_memory_destroy(d->dst);
    if (d->src)
        dnnl_memory_destroy(d->src);
    if (d->prim)
        dnnl_primitive_destroy(d->prim);
    if (d->pd)
        dnnl_primitive_desc_destroy(d->pd);
    if (d->stream)
        dnnl_stream_destroy(d->stream);
    if (d->engine)
        dnnl_engine_destroy(d->engine);
    free(d);
}

static dnnl_lsm *dnnl_lsm_create(float *x, float *y, size_t rows, size_t cols)
{
    dnnl_lsm *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    dnnl_dims_t dims = {(dnnl_dim_t)rows, (dnnl_dim_t)cols};
    dnnl_memory_desc_t md;
    dnnl_logsoftmax_desc_t sd;
    if (dnnl_engine_create(&d->engine, dnnl_cpu, 0) != dnnl_success ||
        dnnl_stream_create(&d->stream, d->engine, dnnl_stream_default_flags) != dnnl_success ||
        dnnl_memory_desc_init_by_tag(&md, 2, dims, dnnl_f32, dnnl_ab) != dnnl_success ||
        dnnl_logsoftmax_forward_desc_init(&sd, dnnl_forward_inference, &md, 1) != dnnl_success ||
        dnnl_primitive_desc_create(&d->pd, &sd, NULL, d->engine, NULL) != dnnl_success ||
        dnnl_primitive_create(&d->prim, d->pd) != dnnl_success ||
        dnnl_memory_create(&d->src, &md, d->engine, x) != dnnl_success ||
        dnnl_memory_create(&d->dst, &md, d->engine, y) != dnnl_success) {
        fprintf(stderr, "vf_bench: oneDNN logsoftmax setup failed\n");
        dnnl_lsm_destroy(d);
        return NULL;
    }
    d->args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, d->src};
    d->args[1] = (dnnl_exec_arg_t){DNNL_ARG_DST, d->dst};
    if (dnnl_primitive_desc_query(d->pd, dnnl_query_impl_info_str, 0, &d->impl) != dnnl_success)
        d->impl = "?";
    return d;
}

static void run_dnnl_lsm(void *c)
{
    dnnl_lsm *d = c;
    dnnl_primitive_execute(d->prim, d->stream, 2, d->args);
    dnnl_stream_wait(d->stream);
}

/* ---- groups ---- */
static const struct {
    vf_isa isa;
    lse_fn lse, lsm;
} per_isa[] = {
    {VF_ISA_AVX2, vf_logsumexp_f32__avx2, vf_log_softmax_f32__avx2},
    {VF_ISA_AVX512, vf_logsumexp_f32__avx512, vf_log_softmax_f32__avx512},
};
#define N_ISA (sizeof per_isa / sizeof per_isa[0])

static const struct {
    size_t rows, cols;
    const char *label;
} shapes[] = {
    {128, 128, "128x128"},
    {64, 1024, "64x1024"},
    {64, 32768, "64x32768"},
    {4096, 4096, "4096x4096 DRAM"},
};

static void bench_shape(const vf_bench_opts *o, int lsm, size_t rows, size_t cols,
                        const char *label)
{
    const char *kernel = lsm ? "log_softmax" : "logsumexp";
    char key[96];
    snprintf(key, sizeof key, "%s %s", kernel, label);
    if (!vf_bench_selected(o, key))
        return;
    size_t n = rows * cols;
    float *x = vf_bench_alloc(n), *y = vf_bench_alloc(n);
    vf_bench_fill(x, n, 3);
    for (size_t i = 0; i < n; i++)
        x[i] *= 8.0f;
    lse_ctx c[N_ISA + 2];
    vf_bench_group g;
    memset(&g, 0, sizeof g);
    g.kernel = kernel;
    snprintf(g.shape, sizeof g.shape, "%s", label);
    g.n = n;
    g.bytes = (lsm ? 8.0 : 4.0) * (double)n;
    g.roof = g.roof2 = g.peer = -1;
    int k = 0;
    c[k] = (lse_ctx){x, y, rows, cols, lsm ? vf_log_softmax_f32 : vf_logsumexp_f32, 0};
    vf_bench_add(&g, kernel, vf_isa_name(vf_isa_active()), VF_ROLE_OURS, run_ours, &c[k]);
    k++;
    for (size_t i = 0; i < N_ISA; i++) {
        if (!vf_isa_supported(per_isa[i].isa))
            continue; /* (scalar is not listed: ~20x slower, it would dominate the run) */
        c[k] = (lse_ctx){x, y, rows, cols, lsm ? per_isa[i].lsm : per_isa[i].lse, 0};
        vf_bench_add(&g, lsm ? "log_softmax_isa" : "logsumexp_isa", vf_isa_name(per_isa[i].isa),
                     VF_ROLE_OURS, run_ours, &c[k]);
        k++;
    }
    c[k] = (lse_ctx){x, y, rows, cols, NULL, 0};
    dnnl_lsm *d = NULL;
    if (lsm) {
        g.roof = vf_bench_add(&g, "copy", "avx512", VF_ROLE_ROOF, run_copy, &c[k]);
        g.roof2 = vf_bench_add(&g, "copy_nt", "avx512", VF_ROLE_ROOF, run_copy_nt, &c[k]);
        d = dnnl_lsm_create(x, y, rows, cols);
        if (d)
            g.peer = vf_bench_add(&g, "onednn", d->impl, VF_ROLE_PEER, run_dnnl_lsm, d);
    } else {
        g.roof = vf_bench_add(&g, "read_sum", "avx512", VF_ROLE_ROOF, run_read, &c[k]);
        g.roof2 = vf_bench_add(&g, "exp", "avx512", VF_ROLE_ROOF, run_exp_roof, &c[k]);
    }
    vf_bench_run(&g, o);
    dnnl_lsm_destroy(d);
    vf_bench_free(x);
    vf_bench_free(y);
}

static void vf_bench_logsumexp(const vf_bench_opts *o)
{
    for (int lsm = 0; lsm < 2; lsm++)
        for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
            bench_shape(o, lsm, shapes[i].rows, shapes[i].cols, shapes[i].label);
}
VF_BENCH_REGISTER("logsumexp", vf_bench_logsumexp)
