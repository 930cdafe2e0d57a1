/* attention.c — fused softmax attention benchmark: our vf_attention_f32 (dispatched: AVX-512
 * here) against the FMA peak and two composite peers, interleaved in one process (bench.h).
 * Layout [B*H, n, d], Dv = d, scale 1/sqrt(d).  flops per call = 4 B H n^2 d (QK^T and PV;
 * causal: 4 B H d n(n+1)/2, the useful flops only, so the ratio is "% of peak on useful
 * work").
 *
 *   roof   fma      vf_roof_fma (bench/roofs.c) for the same flops: the FMA peak, the ratio to
 *                   quote against the 75 % target;
 *   peer   onednn   oneDNN matmul (Q K^T, output scale) + oneDNN softmax + oneDNN matmul (P V),
 *                   f32, the n x n score matrix materialised (non-causal groups only);
 *   openblas        cblas_sgemm + vf_softmax_f32 (ours, the accurate one) + cblas_sgemm, per
 *                   head, OpenBLAS as installed (its ratio: median time / ours, by hand from
 *                   the median_ms column; run again with OPENBLAS_CORETYPE=SkylakeX for the
 *                   tuned OpenBLAS: the core type is read when the library loads, the header
 *                   line "openblas:" of vf_bench shows which one is active).
 * Causal groups are compared with the roofs only (oneDNN 2.6 has no fused causal mask; a
 * masked composite would do the full n^2 work anyway). */
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <oneapi/dnnl/dnnl.h>

#include "bench.h"
#include "vf_fast.h"
#include "vf_fast_attention.h"

/* OpenBLAS cblas (prototype as in cblas.h, row-major). */
enum { CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112 };
void cblas_sgemm(int order, int ta, int tb, int M, int N, int K, float alpha, const float *A,
                 int lda, const float *B, int ldb, float beta, float *C, int ldc);

typedef struct {
    const float *q, *k, *v;
    float *o, *s; /* s: B*H x n x n scores for the composites */
    size_t bh, n, d;
    int causal;
    float scale;
    size_t iters; /* roofs */
    volatile float sink;
} at_ctx;

static void run_ours(void *c)
{
    at_ctx *x = c;
    vf_attention_f32(x->q, x->k, x->v, x->o, x->bh, 1, x->n, x->n, x->d, x->d, x->scale,
                     x->causal);
}

static void run_roof(void *c)
{
    at_ctx *x = c;
    x->sink = vf_roof_fma(x->iters);
}

static void run_openblas(void *c)
{
    at_ctx *x = c;
    int n = (int)x->n, d = (int)x->d;
    for (size_t h = 0; h < x->bh; h++) {
        const float *q = x->q + h * x->n * x->d, *k = x->k + h * x->n * x->d;
        const float *v = x->v + h * x->n * x->d;
        float *s = x->s + h * x->n * x->n, *o = x->o + h * x->n * x->d;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, d, x->scale, q, d, k, d, 0.0f,
                    s, n);
        vf_softmax_f32(s, s, x->n, x->n, 1.0f);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, n, 1.0f, s, n, v, d, 0.0f,
                    o, d);
    }
}

/* ---- oneDNN composite: matmul (output scale) -> softmax (last axis) -> matmul ---- */
typedef struct {
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    dnnl_primitive_desc_t pd[3];
    dnnl_primitive_t prim[3];
    dnnl_memory_t q, k, s, v, o;
    dnnl_exec_arg_t a0[3], a1[2], a2[3];
    char impl[160];
} dnnl_att;

static void dnnl_att_destroy(dnnl_att *d)
{
    if (!d)
        return;
    dnnl_memory_t m[5] = {d->q, d->k, d->s, d->v, d->o};
    for (int i = 0; i < 5; i++)
        if (m[i])
            dnnl_memory_destroy(m[i]);
    for (int i = 0; i < 3; i++) {
        if (d->prim[i])
            dnnl_primitive_destroy(d->prim[i]);
        if (d->pd[i])
            dnnl_primitive_desc_destroy(d->pd[i]);
    }
    if (d->stream)
        dnnl_stream_destroy(d->stream);
    if (d->engine)
        dnnl_engine_destroy(d->engine);
    free(d);
}

static dnnl_att *dnnl_att_create(at_ctx *x)
{
    dnnl_att *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    dnnl_dim_t B = (dnnl_dim_t)x->bh, n = (dnnl_dim_t)x->n, dd = (dnnl_dim_t)x->d;
    dnnl_dims_t qd = {B, n, dd}, ktd = {B, dd, n}, sd = {B, n, n}, vd = {B, n, dd};
    dnnl_memory_desc_t mq, mk, ms, mv, mo;
    dnnl_matmul_desc_t m1, m2;
    dnnl_softmax_desc_t smd;
    dnnl_primitive_attr_t attr = NULL;
    int ok =
        dnnl_engine_create(&d->engine, dnnl_cpu, 0) == dnnl_success &&
        dnnl_stream_create(&d->stream, d->engine, dnnl_stream_default_flags) == dnnl_success &&
        dnnl_memory_desc_init_by_tag(&mq, 3, qd, dnnl_f32, dnnl_abc) == dnnl_success &&
        /* K^T as weights [B, d, n] over K's [B, n, d] memory: physical order a, c, b */
        dnnl_memory_desc_init_by_tag(&mk, 3, ktd, dnnl_f32, dnnl_acb) == dnnl_success &&
        dnnl_memory_desc_init_by_tag(&ms, 3, sd, dnnl_f32, dnnl_abc) == dnnl_success &&
        dnnl_memory_desc_init_by_tag(&mv, 3, vd, dnnl_f32, dnnl_abc) == dnnl_success &&
        dnnl_memory_desc_init_by_tag(&mo, 3, qd, dnnl_f32, dnnl_abc) == dnnl_success &&
        dnnl_primitive_attr_create(&attr) == dnnl_success &&
        dnnl_primitive_attr_set_output_scales(attr, 1, 0, &x->scale) == dnnl_success &&
        dnnl_matmul_desc_init(&m1, &mq, &mk, NULL, &ms) == dnnl_success &&
        dnnl_primitive_desc_create(&d->pd[0], &m1, attr, d->engine, NULL) == dnnl_success &&
        dnnl_softmax_forward_desc_init(&smd, dnnl_forward_inference, &ms, 2) == dnnl_success &&
        dnnl_primitive_desc_create(&d->pd[1], &smd, NULL, d->engine, NULL) == dnnl_success &&
        dnnl_matmul_desc_init(&m2, &ms, &mv, NULL, &mo) == dnnl_success &&
        dnnl_primitive_desc_create(&d->pd[2], &m2, NULL, d->engine, NULL) == dnnl_success;
    for (int i = 0; ok && i < 3; i++)
        ok = dnnl_primitive_create(&d->prim[i], d->pd[i]) == dnnl_success;
    ok = ok && dnnl_memory_create(&d->q, &mq, d->engine, (void *)x->q) == dnnl_success &&
         dnnl_memory_create(&d->k, &mk, d->engine, (void *)x->k) == dnnl_success &&
         dnnl_memory_create(&d->s, &ms, d->engine, x->s) == dnnl_success &&
         dnnl_memory_create(&d->v, &mv, d->engine, (void *)x->v) == dnnl_success &&
         dnnl_memory_create(&d->o, &mo, d->engine, x->o) == dnnl_success;
    if (attr)
        dnnl_primitive_attr_destroy(attr);
    if (!ok) {
        fprintf(stderr, "vf_bench: oneDNN attention composite setup failed\n");
        dnnl_att_destroy(d);
        return NULL;
    }
    d->a0[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, d->q};
    d->a0[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, d->k};
    d->a0[2] = (dnnl_exec_arg_t){DNNL_ARG_DST, d->s};
    d->a1[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, d->s};
    d->a1[1] = (dnnl_exec_arg_t){DNNL_ARG_DST, d->s};
    d->a2[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, d->s};
    d->a2[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, d->v};
    d->a2[2] = (dnnl_exec_arg_t){DNNL_ARG_DST, d->o};
    const char *i0 = "?", *i1 = "?";
    dnnl_primitive_desc_query(d->pd[0], dnnl_query_impl_info_str, 0, &i0);
    dnnl_primitive_desc_query(d->pd[1], dnnl_query_impl_info_str, 0, &i1);
    snprintf(d->impl, sizeof d->impl, "%.7s+%.8s", i0, i1);
    return d;
}

static void run_dnnl(void *c)
{
    dnnl_att *d = c;
    dnnl_primitive_execute(d->prim[0], d->stream, 3, d->a0);
    dnnl_primitive_execute(d->prim[1], d->stream, 2, d->a1);
    dnnl_primitive_execute(d->prim[2], d->stream, 3, d->a2);
    dnnl_stream_wait(d->stream);
}

static double max_diff(const float *a, const float *b, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - (double)b[i]);
        if (!(d <= m))
            m = d; /* NaN propagates */
    }
    return m;
}

static const struct {
    size_t bh, n, d;
    int causal;
} shapes[] = {
    {4, 1024, 64, 0}, {2, 1024, 128, 0}, {1, 4096, 64, 0},
    {1, 4096, 128, 0}, {1, 4096, 64, 1}, {1, 4096, 128, 1},
};

static void bench_shape(const vf_bench_opts *o, size_t bh, size_t n, size_t d, int causal)
{
    char label[48], key[96];
    snprintf(label, sizeof label, "bh%zu n%zu d%zu%s", bh, n, d, causal ? " causal" : "");
    snprintf(key, sizeof key, "attention %s", label);
    if (!vf_bench_selected(o, key))
        return;
    size_t nq = bh * n * d;
    float *q = vf_bench_alloc(nq), *k = vf_bench_alloc(nq), *v = vf_bench_alloc(nq);
    float *out = vf_bench_alloc(nq), *s = causal ? NULL : vf_bench_alloc(bh * n * n);
    /* Q, K in [-2, 2): logits of a realistic spread after the 1/sqrt(d) scale. */
    vf_bench_fill(q, nq, 11);
    vf_bench_fill(k, nq, 12);
    vf_bench_fill(v, nq, 13);
    for (size_t i = 0; i < nq; i++) {
        q[i] *= 2.0f;
        k[i] *= 2.0f;
    }
    double flops = causal ? 4.0 * (double)bh * (double)d * (double)n * (double)(n + 1) / 2
                          : 4.0 * (double)bh * (double)n * (double)n * (double)d;
    at_ctx c = {q, k, v, out, s, bh, n, d, causal, (float)(1.0 / sqrt((double)d)),
                (size_t)(flops / VF_ROOF_FMA_FLOPS_PER_ITER), 0};
    vf_bench_group g;
    memset(&g, 0, sizeof g);
    g.kernel = "attention";
    snprintf(g.shape, sizeof g.shape, "%s", label);
    g.n = nq;
    g.flops = flops;
    g.bytes = 16.0 * (double)nq;
    g.roof = g.roof2 = g.peer = -1;
    vf_bench_add(&g, "attention", vf_isa_name(vf_isa_active()), VF_ROLE_OURS, run_ours, &c);
    g.roof = vf_bench_add(&g, "fma", "avx512", VF_ROLE_ROOF, run_roof, &c);
    dnnl_att *dn = NULL;
    if (!causal) {
        dn = dnnl_att_create(&c);
        if (dn)
            g.peer = vf_bench_add(&g, "onednn", dn->impl, VF_ROLE_PEER, run_dnnl, dn);
        vf_bench_add(&g, "openblas", "sgemm+vf_softmax", VF_ROLE_PEER, run_openblas, &c);
    }
    if (!causal) { /* the peers compute the same thing: max |difference| to ours, once */
        float *ref = vf_bench_alloc(nq);
        run_ours(&c);
        memcpy(ref, out, nq * sizeof *ref);
        double dd = -1, db;
        if (dn) {
            run_dnnl(dn);
            dd = max_diff(ref, out, nq);
        }
        run_openblas(&c);
        db = max_diff(ref, out, nq);
        printf("# check %s: max |O - ours| onednn %.3g, openblas %.3g\n", label, dd, db);
        vf_bench_free(ref);
    }
    vf_bench_run(&g, o);
    dnnl_att_destroy(dn);
    vf_bench_free(q);
    vf_bench_free(k);
    vf_bench_free(v);
    vf_bench_free(out);
    if (s)
        vf_bench_free(s);
}

static void vf_bench_attention(const vf_bench_opts *o)
{
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        bench_shape(o, shapes[i].bh, shapes[i].n, shapes[i].d, shapes[i].causal);
}
VF_BENCH_REGISTER("attention", vf_bench_attention)
