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
    row_consts rc = row_consts_of(8.0f, 1.0f, 1.0f); /* N = 12: the cheaper pow form */
    vf_v a0 = vf_v_set1(0.0f), a1 = a0, a2 = a0, a3 = a0;
    for (; i + 4 * VF_W <= n; i += 4 * VF_W) {
        a0 = vf_v_add(a0, biased_exp(vf_v_load(x + i), &rc, 0, 1));
        a1 = vf_v_add(a1, biased_exp(vf_v_load(x + i + VF_W), &rc, 0, 1));
        a2 = vf_v_add(a2, biased_exp(vf_v_load(x + i + 2 * VF_W), &rc, 0, 1));
        a3 = vf_v_add(a3, biased_exp(vf_v_load(x + i + 3 * VF_W), &rc, 0, 1));
    }
    s->sink = _mm512_reduce_add_ps(vf_v_add(vf_v_add(a0, a1), vf_v_add(a2, a3)));
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
    vf_dnnl_softmax *d = NULL;
    if (lsm) {
        g.roof = vf_bench_add(&g, "copy", "avx512", VF_ROLE_ROOF, run_copy, &c[k]);
        g.roof2 = vf_bench_add(&g, "copy_nt", "avx512", VF_ROLE_ROOF, run_copy_nt, &c[k]);
        d = vf_dnnl_softmax_create(x, y, rows, cols, 1);
        if (d)
            g.peer = vf_bench_add(&g, "onednn", vf_dnnl_softmax_impl(d), VF_ROLE_PEER,
                                  vf_dnnl_softmax_run, d);
    } else {
        g.roof = vf_bench_add(&g, "read_sum", "avx512", VF_ROLE_ROOF, run_read, &c[k]);
        g.roof2 = vf_bench_add(&g, "exp", "avx512", VF_ROLE_ROOF, run_exp_roof, &c[k]);
    }
    vf_bench_run(&g, o);
    vf_dnnl_softmax_destroy(d);
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
