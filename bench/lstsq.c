/* lstsq.c — batched small least squares: our vf_lstsq_f32 (dispatched, and AVX2) against the
 * FMA-peak roof of the same flops and LAPACK sgels from OpenBLAS, interleaved (bench.h).
 *
 *   ours  lstsq    vf_lstsq_f32, one call for the whole batch, single thread (bench/main.c
 *                  caps the fast path at one thread);
 *   roof  fma      vf_roof_fma with the flops of Householder QR + applying it to b:
 *                  per problem 2 m n^2 - 2 n^3 / 3 + 4 m n nrhs (the brief's count);
 *   peer  sgels    sgels_ per problem, TRANS = 'T' on the row-major A read as the column-major
 *                  n x m matrix A^T (LAPACK then solves min || (A^T)^T x - b ||, the same
 *                  problem, by an LQ factorisation: no transposition needed), workspace
 *                  queried once; sgels overwrites A and b, so each call first copies them
 *                  (memcpy, counted in its time: a caller who keeps A must do the same).
 *                  OpenBLAS picks its kernels at load time: run once plainly and once with
 *                  OPENBLAS_CORETYPE=SkylakeX (the header line prints the active core).
 * nrhs = 1. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "vf_fast.h"
#include "vf_fast_lstsq.h"
#include "vf_par.h"

/* LAPACK (gfortran ABI: the hidden length of the character argument comes last). */
void sgels_(const char *trans, const int *m, const int *n, const int *nrhs, float *a,
            const int *lda, float *b, const int *ldb, float *work, const int *lwork, int *info,
            size_t trans_len);

typedef struct {
    const float *a, *b;
    float *x;
    size_t batch, m, n;
    size_t (*fn)(const float *, const float *, float *, size_t, size_t, size_t, size_t, float *,
                 int *);
    /* sgels */
    float *ca, *cb, *work;
    int lwork;
    size_t iters;
    volatile float sink;
} ls_ctx;

static void run_ours(void *c)
{
    ls_ctx *s = c;
    s->fn(s->a, s->b, s->x, s->batch, s->m, s->n, 1, NULL, NULL);
}

static void run_roof(void *c)
{
    ls_ctx *s = c;
    s->sink = vf_roof_fma(s->iters);
}

static void run_sgels(void *c)
{
    ls_ctx *s = c;
    int m = (int)s->n, n = (int)s->m, nrhs = 1, lda = (int)s->n, ldb = (int)s->m, info;
    for (size_t p = 0; p < s->batch; p++) {
        memcpy(s->ca, s->a + p * s->m * s->n, s->m * s->n * sizeof(float));
        memcpy(s->cb, s->b + p * s->m, s->m * sizeof(float));
        sgels_("T", &m, &n, &nrhs, s->ca, &lda, s->cb, &ldb, s->work, &s->lwork, &info, 1);
        s->x[p * s->n] = s->cb[0];
    }
}

static const struct {
    size_t batch, m, n;
} shapes[] = {{4096, 16, 4}, {1024, 64, 8}, {128, 256, 16}, {2, 4096, 64}};

static void bench_shape(const vf_bench_opts *o, size_t batch, size_t m, size_t n)
{
    char key[96];
    snprintf(key, sizeof key, "lstsq %zux%zu", m, n);
    if (!vf_bench_selected(o, key))
        return;
    float *a = vf_bench_alloc(batch * m * n), *b = vf_bench_alloc(batch * m);
    float *x = vf_bench_alloc(batch * n);
    vf_bench_fill(a, batch * m * n, 5);
    vf_bench_fill(b, batch * m, 6);
    /* Check once that every problem is solved (a random design has full rank). */
    int *st = malloc(batch * sizeof(int));
    size_t bad = vf_lstsq_f32(a, b, x, batch, m, n, 1, NULL, st);
    if (bad)
        fprintf(stderr, "lstsq bench: %zu problems not solved (%s)\n", bad,
                vf_lstsq_status_name(st[0]));
    free(st);
    double flops = (double)batch * (2.0 * (double)m * (double)(n * n) -
                                    2.0 * (double)(n * n * n) / 3.0 + 4.0 * (double)(m * n));
    vf_bench_group g;
    memset(&g, 0, sizeof g);
    g.kernel = "lstsq";
    snprintf(g.shape, sizeof g.shape, "%zux%zu x%zu", m, n, batch);
    g.n = batch * m * n;
    g.bytes = 4.0 * (double)(batch * (m * n + m + n));
    g.flops = flops;
    g.roof = g.roof2 = g.peer = -1;
    ls_ctx c[4];
    memset(c, 0, sizeof c);
    c[0] = (ls_ctx){.a = a, .b = b, .x = x, .batch = batch, .m = m, .n = n, .fn = vf_lstsq_f32};
    vf_bench_add(&g, "lstsq", vf_isa_name(vf_isa_active()), VF_ROLE_OURS, run_ours, &c[0]);
    int k = 1;
    if (vf_isa_supported(VF_ISA_AVX2) && vf_isa_active() != VF_ISA_AVX2) {
        c[k] = c[0];
        c[k].fn = vf_lstsq_f32__avx2;
        vf_bench_add(&g, "lstsq_isa", "avx2", VF_ROLE_OURS, run_ours, &c[k]);
        k++;
    }
    c[k] = c[0];
    c[k].iters = (size_t)(flops / VF_ROOF_FMA_FLOPS_PER_ITER);
    g.roof = vf_bench_add(&g, "fma", "avx512", VF_ROLE_ROOF, run_roof, &c[k]);
    k++;
    c[k] = c[0];
    c[k].ca = malloc(m * n * sizeof(float));
    c[k].cb = malloc(m * sizeof(float));
    {
        int mm = (int)n, nn = (int)m, nrhs = 1, lda = (int)n, ldb = (int)m, lw = -1, info;
        float q;
        sgels_("T", &mm, &nn, &nrhs, c[k].ca, &lda, c[k].cb, &ldb, &q, &lw, &info, 1);
        c[k].lwork = (int)q;
        c[k].work = malloc((size_t)(c[k].lwork > 1 ? c[k].lwork : 1) * sizeof(float));
    }
    g.peer = vf_bench_add(&g, "sgels", "openblas", VF_ROLE_PEER, run_sgels, &c[k]);
    vf_bench_run(&g, o);
    free(c[k].ca);
    free(c[k].cb);
    free(c[k].work);
    vf_bench_free(a);
    vf_bench_free(b);
    vf_bench_free(x);
}

static void vf_bench_lstsq(const vf_bench_opts *o)
{
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        bench_shape(o, shapes[i].batch, shapes[i].m, shapes[i].n);
}

VF_BENCH_REGISTER("lstsq", vf_bench_lstsq)
