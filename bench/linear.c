/* linear.c — GEMM and linear attention benchmarks (fast/vf_fast_linear.h), single thread,
 * interleaved in one process (bench.h) with:
 *   roof  fma       the AVX-512 FMA peak loop of the same flops (vf_roof_fma);
 *   peer  openblas  cblas_sgemm as installed (the composite of two sgemm calls for attention);
 *                   OpenBLAS picks its kernel at load time from OPENBLAS_CORETYPE: run once
 *                   plainly and once with OPENBLAS_CORETYPE=SkylakeX (the header line prints
 *                   the active core);
 *   (peer onednn    dnnl_sgemm, the same composite: second peer, ratio by hand from the medians).
 * Linear attention, Q, K [n, d], V [n, d]:
 *   q_kv   Q (K^T V):  flops 4 n d^2 (two GEMMs, the d x d state);
 *   qk_v   (Q K^T) V:  flops 4 n^2 d (peers materialise the n x n scores; ours streams 126-row
 *                      score blocks);
 *   qk_v causal: ours only, useful flops ~ half (2 n (n+1) d), same roof;
 *   q_kv causal: ours only (chunked prefix-sum form), flops counted as 4 n d^2 (the chunked
 *                form does about twice that: intra-chunk scores plus the states).
 * GEMM alone: square and the attention shapes. */
#include <stdlib.h>
#include <string.h>

#include <oneapi/dnnl/dnnl.h>

#include "bench.h"
#include "vf_fast.h"
#include "vf_fast_linear.h"

/* OpenBLAS cblas (prototype as in cblas.h, row-major). */
enum { CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112 };
void cblas_sgemm(int order, int ta, int tb, int M, int N, int K, float alpha, const float *A,
                 int lda, const float *B, int ldb, float beta, float *C, int ldc);

typedef struct {
    const float *q, *k, *v;
    float *o, *s; /* s: state d x d or scores n x n for the peers */
    size_t n, d;
    int order, causal;
    size_t iters; /* roof */
    int (*fn)(const float *, const float *, const float *, float *, size_t, size_t, size_t,
              size_t, int, int);
    volatile float sink;
} la_ctx;

static void run_ours(void *c)
{
    la_ctx *x = c;
    x->fn(x->q, x->k, x->v, x->o, 1, x->n, x->d, x->d, x->order, x->causal);
}

static void run_roof(void *c)
{
    la_ctx *x = c;
    x->sink = vf_roof_fma(x->iters);
}

static void run_openblas(void *c)
{
    la_ctx *x = c;
    int n = (int)x->n, d = (int)x->d;
    if (x->order == VF_LINATT_Q_KV) {
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0f, x->k, d, x->v, d, 0.0f,
                    x->s, d);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, d, 1.0f, x->q, d, x->s, d,
                    0.0f, x->o, d);
    } else {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, d, 1.0f, x->q, d, x->k, d, 0.0f,
                    x->s, n);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, n, 1.0f, x->s, n, x->v, d,
                    0.0f, x->o, d);
    }
}

static void run_dnnl(void *c)
{
    la_ctx *x = c;
    dnnl_dim_t n = (dnnl_dim_t)x->n, d = (dnnl_dim_t)x->d;
    if (x->order == VF_LINATT_Q_KV) {
        dnnl_sgemm('T', 'N', d, d, n, 1.0f, x->k, d, x->v, d, 0.0f, x->s, d);
        dnnl_sgemm('N', 'N', n, d, d, 1.0f, x->q, d, x->s, d, 0.0f, x->o, d);
    } else {
        dnnl_sgemm('N', 'T', n, n, d, 1.0f, x->q, d, x->k, d, 0.0f, x->s, n);
        dnnl_sgemm('N', 'N', n, d, n, 1.0f, x->s, n, x->v, d, 0.0f, x->o, d);
    }
}

static void bench_la(const vf_bench_opts *o, size_t n, size_t d, int order, int causal)
{
    char key[96];
    snprintf(key, sizeof key, "linear_attention %s%s n=%zu d=%zu", order ? "q_kv" : "qk_v",
             causal ? " causal" : "", n, d);
    if (!vf_bench_selected(o, key))
        return;
    float *q = vf_bench_alloc(n * d), *k = vf_bench_alloc(n * d), *v = vf_bench_alloc(n * d);
    float *out = vf_bench_alloc(n * d);
    float *s = order == VF_LINATT_Q_KV ? vf_bench_alloc(d * d) : vf_bench_alloc(n * n);
    vf_bench_fill(q, n * d, 1);
    vf_bench_fill(k, n * d, 2);
    vf_bench_fill(v, n * d, 3);
    double flops = order == VF_LINATT_Q_KV ? 4.0 * n * d * d
                   : causal                ? 2.0 * n * (n + 1) * d
                                           : 4.0 * n * n * d;
    vf_bench_group g;
    memset(&g, 0, sizeof g);
    g.kernel = order == VF_LINATT_Q_KV ? (causal ? "linear_attention q_kv causal"
                                                 : "linear_attention q_kv")
               : causal                ? "linear_attention qk_v causal"
                                       : "linear_attention qk_v";
    snprintf(g.shape, sizeof g.shape, "n=%zu d=dv=%zu", n, d);
    g.n = n * d;
    g.bytes = 16.0 * (double)(n * d);
    g.flops = flops;
    g.roof = g.roof2 = g.peer = -1;
    la_ctx c = {q, k, v, out, s, n, d, order, causal,
                (size_t)(flops / VF_ROOF_FMA_FLOPS_PER_ITER), vf_linear_attention_f32, 0};
    la_ctx c2 = c;
    c2.fn = vf_linear_attention_f32__avx2;
    vf_bench_add(&g, "linear_attention", vf_isa_name(vf_isa_active()), VF_ROLE_OURS, run_ours,
                 &c);
    if (vf_isa_supported(VF_ISA_AVX2))
        vf_bench_add(&g, "linear_attention_isa", "avx2", VF_ROLE_OURS, run_ours, &c2);
    g.roof = vf_bench_add(&g, "fma", "avx512", VF_ROLE_ROOF, run_roof, &c);
    if (!causal) {
        g.peer = vf_bench_add(&g, "openblas", "sgemm x2", VF_ROLE_PEER, run_openblas, &c);
        vf_bench_add(&g, "onednn", "dnnl_sgemm x2", VF_ROLE_PEER, run_dnnl, &c);
    }
    vf_bench_run(&g, o);
    vf_bench_free(q);
    vf_bench_free(k);
    vf_bench_free(v);
    vf_bench_free(out);
    vf_bench_free(s);
}

/* ---- GEMM alone ---- */
typedef struct {
    const float *a, *b;
    float *c;
    size_t M, N, K;
    int tb;
    size_t iters;
    void (*fn)(int, int, size_t, size_t, size_t, const float *, size_t, const float *, size_t,
               float, float *, size_t);
    volatile float sink;
} gm_ctx;

static void run_gemm(void *p)
{
    gm_ctx *x = p;
    x->fn(0, x->tb, x->M, x->N, x->K, x->a, x->K, x->b, x->tb ? x->K : x->N, 0.0f, x->c, x->N);
}

static void run_gemm_roof(void *p)
{
    gm_ctx *x = p;
    x->sink = vf_roof_fma(x->iters);
}

static void run_gemm_openblas(void *p)
{
    gm_ctx *x = p;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, x->tb ? CblasTrans : CblasNoTrans, (int)x->M,
                (int)x->N, (int)x->K, 1.0f, x->a, (int)x->K, x->b, (int)(x->tb ? x->K : x->N),
                0.0f, x->c, (int)x->N);
}

static void run_gemm_dnnl(void *p)
{
    gm_ctx *x = p;
    dnnl_sgemm('N', x->tb ? 'T' : 'N', (dnnl_dim_t)x->M, (dnnl_dim_t)x->N, (dnnl_dim_t)x->K, 1.0f,
               x->a, (dnnl_dim_t)x->K, x->b, (dnnl_dim_t)(x->tb ? x->K : x->N), 0.0f, x->c,
               (dnnl_dim_t)x->N);
}

static void bench_gemm(const vf_bench_opts *o, size_t M, size_t N, size_t K, int tb)
{
    char key[96];
    snprintf(key, sizeof key, "linear gemm M=%zu N=%zu K=%zu%s", M, N, K, tb ? " B^T" : "");
    if (!vf_bench_selected(o, key))
        return;
    float *a = vf_bench_alloc(M * K), *b = vf_bench_alloc(K * N), *c = vf_bench_alloc(M * N);
    vf_bench_fill(a, M * K, 4);
    vf_bench_fill(b, K * N, 5);
    double flops = 2.0 * M * N * K;
    vf_bench_group g;
    memset(&g, 0, sizeof g);
    g.kernel = "gemm";
    snprintf(g.shape, sizeof g.shape, "%zux%zux%zu%s", M, N, K, tb ? " B^T" : "");
    g.n = M * N;
    g.bytes = 4.0 * (double)(M * K + K * N + M * N);
    g.flops = flops;
    g.roof = g.roof2 = g.peer = -1;
    gm_ctx x = {a, b, c, M, N, K, tb, (size_t)(flops / VF_ROOF_FMA_FLOPS_PER_ITER), vf_gemm_f32, 0};
    gm_ctx x2 = x;
    x2.fn = vf_gemm_f32__avx2;
    vf_bench_add(&g, "gemm", vf_isa_name(vf_isa_active()), VF_ROLE_OURS, run_gemm, &x);
    if (vf_isa_supported(VF_ISA_AVX2))
        vf_bench_add(&g, "gemm_isa", "avx2", VF_ROLE_OURS, run_gemm, &x2);
    g.roof = vf_bench_add(&g, "fma", "avx512", VF_ROLE_ROOF, run_gemm_roof, &x);
    g.peer = vf_bench_add(&g, "openblas", "sgemm", VF_ROLE_PEER, run_gemm_openblas, &x);
    vf_bench_add(&g, "onednn", "dnnl_sgemm", VF_ROLE_PEER, run_gemm_dnnl, &x);
    vf_bench_run(&g, o);
    vf_bench_free(a);
    vf_bench_free(b);
    vf_bench_free(c);
}

static void vf_bench_linear(const vf_bench_opts *o)
{
    static const size_t ns[] = {1024, 4096}, ds[] = {64, 128};
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < 2; j++) {
            bench_la(o, ns[i], ds[j], VF_LINATT_Q_KV, 0);
            bench_la(o, ns[i], ds[j], VF_LINATT_QK_V, 0);
        }
    bench_la(o, 4096, 64, VF_LINATT_QK_V, 1);
    bench_la(o, 4096, 64, VF_LINATT_Q_KV, 1);
    bench_gemm(o, 1024, 1024, 1024, 0);
    bench_gemm(o, 2048, 2048, 2048, 0);
    bench_gemm(o, 4096, 4096, 64, 1); /* the Q K^T shape */
    bench_gemm(o, 4096, 64, 4096, 0); /* the S V shape */
}
VF_BENCH_REGISTER("linear", vf_bench_linear)
