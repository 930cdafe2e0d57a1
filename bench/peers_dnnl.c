/* peers_dnnl.c — the oneDNN peer: eltwise ReLU forward (alpha 0), f32, through the C API.
 *
 * Threads: this oneDNN build uses the OpenMP runtime (DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP) and
 * the 2.6 C API has no thread-count setter (dnnl_threadpool_interop_* exists only for
 * threadpool builds).  libgomp reads OMP_NUM_THREADS when it is loaded, before main, so main
 * exports OMP_NUM_THREADS=1 and re-executes itself (main.c); here we also call
 * omp_set_num_threads(1) found at run time in the already loaded libgomp and report
 * omp_get_max_threads(). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

#include "bench.h"

struct vf_dnnl_relu {
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t prim;
    dnnl_memory_t src, dst;
    dnnl_exec_arg_t args[2];
    const char *impl;
};

static dnnl_engine_t engine;
static dnnl_stream_t stream;

static int check(dnnl_status_t s, const char *what)
{
    if (s != dnnl_success)
        fprintf(stderr, "vf_bench: oneDNN %s failed (status %d)\n", what, (int)s);
    return s == dnnl_success;
}

int vf_dnnl_init(void)
{
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    int (*get)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_max_threads");
    if (set)
        set(1);
    if (!check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine_create") ||
        !check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags), "stream_create"))
        exit(2);
    return get ? get() : -1;
}

void vf_dnnl_version(char *buf, size_t len)
{
    const dnnl_version_t *v = dnnl_version();
    snprintf(buf, len, "%d.%d.%d (%.8s) %s", v->major, v->minor, v->patch, v->hash,
             dnnl_cpu_isa2str(dnnl_get_effective_cpu_isa()));
}

vf_dnnl_relu *vf_dnnl_relu_create(float *x, float *y, size_t n)
{
    vf_dnnl_relu *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    dnnl_dims_t dims = {(dnnl_dim_t)n};
    dnnl_memory_desc_t md;
    dnnl_eltwise_desc_t ed;
    if (!check(dnnl_memory_desc_init_by_tag(&md, 1, dims, dnnl_f32, dnnl_a), "memory_desc") ||
        !check(dnnl_eltwise_forward_desc_init(&ed, dnnl_forward_inference, dnnl_eltwise_relu, &md,
                                              0.0f, 0.0f),
               "eltwise_forward_desc_init") ||
        !check(dnnl_primitive_desc_create(&r->pd, &ed, NULL, engine, NULL), "pd_create") ||
        !check(dnnl_primitive_create(&r->prim, r->pd), "primitive_create") ||
        !check(dnnl_memory_create(&r->src, &md, engine, x), "memory_create(src)")) {
        vf_dnnl_relu_destroy(r);
        return NULL;
    }
    if (x == y)
        r->dst = r->src;
    else if (!check(dnnl_memory_create(&r->dst, &md, engine, y), "memory_create(dst)")) {
        vf_dnnl_relu_destroy(r);
        return NULL;
    }
    r->args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, r->src};
    r->args[1] = (dnnl_exec_arg_t){DNNL_ARG_DST, r->dst};
    if (dnnl_primitive_desc_query(r->pd, dnnl_query_impl_info_str, 0, &r->impl) != dnnl_success)
        r->impl = "?";
    return r;
}

void vf_dnnl_relu_run(void *ctx)
{
    vf_dnnl_relu *r = ctx;
    dnnl_primitive_execute(r->prim, stream, 2, r->args);
    dnnl_stream_wait(stream);
}

const char *vf_dnnl_relu_impl(const vf_dnnl_relu *r)
{
    return r->impl;
}

void vf_dnnl_relu_destroy(vf_dnnl_relu *r)
{
    if (!r)
        return;
    if (r->dst && r->dst != r->src)
        dnnl_memory_destroy(r->dst);
    if (r->src)
        dnnl_memory_destroy(r->src);
    if (r->prim)
        dnnl_primitive_destroy(r->prim);
    if (r->pd)
        dnnl_primitive_desc_destroy(r->pd);
    free(r);
}

void vf_dnnl_fini(void)
{
    dnnl_stream_destroy(stream);
    dnnl_engine_destroy(engine);
}

/* ---- softmax / logsoftmax forward over the last axis of [rows, cols] (own engine/stream) ---- */
struct vf_dnnl_softmax {
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t prim;
    dnnl_memory_t src, dst;
    dnnl_exec_arg_t args[2];
    const char *impl;
};

void vf_dnnl_softmax_destroy(vf_dnnl_softmax *d)
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

vf_dnnl_softmax *vf_dnnl_softmax_create(float *x, float *y, size_t rows, size_t cols, int log)
{
    vf_dnnl_softmax *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    dnnl_dims_t dims = {(dnnl_dim_t)rows, (dnnl_dim_t)cols};
    dnnl_memory_desc_t md;
    dnnl_softmax_desc_t sd;
    dnnl_logsoftmax_desc_t ld;
    const void *op = log ? (const void *)&ld : (const void *)&sd;
    if (dnnl_engine_create(&d->engine, dnnl_cpu, 0) != dnnl_success ||
        dnnl_stream_create(&d->stream, d->engine, dnnl_stream_default_flags) != dnnl_success ||
        dnnl_memory_desc_init_by_tag(&md, 2, dims, dnnl_f32, dnnl_ab) != dnnl_success ||
        (log ? dnnl_logsoftmax_forward_desc_init(&ld, dnnl_forward_inference, &md, 1)
             : dnnl_softmax_forward_desc_init(&sd, dnnl_forward_inference, &md, 1)) !=
            dnnl_success ||
        dnnl_primitive_desc_create(&d->pd, op, NULL, d->engine, NULL) != dnnl_success ||
        dnnl_primitive_create(&d->prim, d->pd) != dnnl_success ||
        dnnl_memory_create(&d->src, &md, d->engine, x) != dnnl_success ||
        dnnl_memory_create(&d->dst, &md, d->engine, y) != dnnl_success) {
        fprintf(stderr, "vf_bench: oneDNN %s setup failed\n", log ? "logsoftmax" : "softmax");
        vf_dnnl_softmax_destroy(d);
        return NULL;
    }
    d->args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, d->src};
    d->args[1] = (dnnl_exec_arg_t){DNNL_ARG_DST, d->dst};
    if (dnnl_primitive_desc_query(d->pd, dnnl_query_impl_info_str, 0, &d->impl) != dnnl_success)
        d->impl = "?";
    return d;
}

void vf_dnnl_softmax_run(void *ctx)
{
    vf_dnnl_softmax *d = ctx;
    dnnl_primitive_execute(d->prim, d->stream, 2, d->args);
    dnnl_stream_wait(d->stream);
}

const char *vf_dnnl_softmax_impl(const vf_dnnl_softmax *d) { return d->impl; }
