/* relu.c — ReLU benchmark: our vf_relu_f32 for every supported ISA against the memory roof of
 * the same bytes and oneDNN eltwise ReLU, out-of-place and in place, in cache and in DRAM.
 *
 *   out-of-place: roof copy_nt (y = x, non-temporal stores), roof2 copy (ordinary stores),
 *                 peer oneDNN out-of-place;
 *   in place:     roof rw_inplace (x = x, read + write back), peer oneDNN in place.
 * Bytes per call = 8n (n floats read, n written) for both, so GB/s compare across variants. */
#include <string.h>

#include "bench.h"
#include "vf_fast.h"

typedef struct {
    const float *x;
    float *y;
    size_t n;
    void (*relu)(const float *, float *, size_t);
} relu_ctx;

static void run_relu(void *c)
{
    relu_ctx *r = c;
    r->relu(r->x, r->y, r->n);
}

static void run_copy(void *c)
{
    relu_ctx *r = c;
    vf_roof_copy(r->x, r->y, r->n);
}

static void run_copy_nt(void *c)
{
    relu_ctx *r = c;
    vf_roof_copy_nt(r->x, r->y, r->n);
}

static void run_rw_inplace(void *c)
{
    relu_ctx *r = c;
    vf_roof_rw_inplace(r->y, r->n);
}

static const struct {
    vf_isa isa;
    void (*fn)(const float *, float *, size_t);
} per_isa[] = {
    {VF_ISA_SCALAR, vf_relu_f32__scalar},
    {VF_ISA_AVX2, vf_relu_f32__avx2},
    {VF_ISA_AVX512, vf_relu_f32__avx512},
};
#define N_ISA (sizeof per_isa / sizeof per_isa[0])

static const struct {
    size_t n;
    const char *label;
} shapes[] = {
    {(size_t)4 << 10, "4Ki (L1)"},
    {(size_t)16 << 10, "16Ki (L2)"},
    {(size_t)1 << 20, "1Mi (L3)"},
    {(size_t)64 << 20, "64Mi (DRAM)"},
};

static int selected(const vf_bench_opts *o, const char *kernel, const char *shape)
{
    char key[96];
    snprintf(key, sizeof key, "%s %s", kernel, shape);
    return vf_bench_selected(o, key);
}

/* Our variants: the public dispatched vf_relu_f32 ("relu", active ISA) and each per-ISA
 * instance the CPU supports ("relu_isa"). */
static void add_ours(vf_bench_group *g, relu_ctx *c, const float *x, float *y, size_t n)
{
    int k = 0;
    c[k] = (relu_ctx){x, y, n, vf_relu_f32};
    vf_bench_add(g, "relu", vf_isa_name(vf_isa_active()), VF_ROLE_OURS, run_relu, &c[k]);
    k++;
    for (size_t i = 0; i < N_ISA; i++) {
        if (!vf_isa_supported(per_isa[i].isa))
            continue;
        c[k] = (relu_ctx){x, y, n, per_isa[i].fn};
        vf_bench_add(g, "relu_isa", vf_isa_name(per_isa[i].isa), VF_ROLE_OURS, run_relu, &c[k]);
        k++;
    }
}

static void group_init(vf_bench_group *g, const char *kernel, const char *label, size_t n)
{
    memset(g, 0, sizeof *g);
    g->kernel = kernel;
    snprintf(g->shape, sizeof g->shape, "%s", label);
    g->n = n;
    g->bytes = 8.0 * (double)n;
    g->roof = g->roof2 = g->peer = -1;
}

static void bench_shape(const vf_bench_opts *o, size_t n, const char *label)
{
    int oop = selected(o, "relu_oop", label), inp = selected(o, "relu_inplace", label);
    if (!oop && !inp)
        return;
    float *x = vf_bench_alloc(n), *y = vf_bench_alloc(n);
    vf_bench_fill(x, n, 1);
    relu_ctx c[N_ISA + 1], roof = {x, y, n, NULL};
    vf_bench_group g;

    if (oop) {
        group_init(&g, "relu_oop", label, n);
        add_ours(&g, c, x, y, n);
        g.roof = vf_bench_add(&g, "copy_nt", "avx512", VF_ROLE_ROOF, run_copy_nt, &roof);
        g.roof2 = vf_bench_add(&g, "copy", "avx512", VF_ROLE_ROOF, run_copy, &roof);
        vf_dnnl_relu *d = vf_dnnl_relu_create(x, y, n);
        if (d)
            g.peer = vf_bench_add(&g, "onednn", vf_dnnl_relu_impl(d), VF_ROLE_PEER,
                                  vf_dnnl_relu_run, d);
        vf_bench_run(&g, o);
        vf_dnnl_relu_destroy(d);
    }
    if (inp) {
        memcpy(y, x, n * sizeof *x);
        group_init(&g, "relu_inplace", label, n);
        add_ours(&g, c, y, y, n);
        g.roof = vf_bench_add(&g, "rw_inpl", "avx512", VF_ROLE_ROOF, run_rw_inplace, &roof);
        vf_dnnl_relu *d = vf_dnnl_relu_create(y, y, n);
        if (d)
            g.peer = vf_bench_add(&g, "onednn", vf_dnnl_relu_impl(d), VF_ROLE_PEER,
                                  vf_dnnl_relu_run, d);
        vf_bench_run(&g, o);
        vf_dnnl_relu_destroy(d);
    }
    vf_bench_free(x);
    vf_bench_free(y);
}

static void vf_bench_relu(const vf_bench_opts *o)
{
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        bench_shape(o, shapes[i].n, shapes[i].label);
}
VF_BENCH_REGISTER("relu", vf_bench_relu)
