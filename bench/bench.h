/* bench.h — the benchmark harness of veriformer (PERFORMANCE.md "How to measure").
 *
 * One process times, in rotating order, our kernel, the roof kernel of the same bytes and the
 * peer.  A sample repeats a variant's call until >= 20 ms have passed and keeps the time per
 * call; a round takes one sample of every variant of a group, the order rotated by one each
 * round; each variant reports its median over the rounds and its ratios to the roof and the
 * peer (the median of the per-round ratios, so slow drift of the VM cancels).
 */
#ifndef VF_BENCH_H
#define VF_BENCH_H

#include <stddef.h>
#include <stdio.h>

#define VF_BENCH_MIN_ROUNDS 21     /* fewer rounds are never reportable */
#define VF_BENCH_SAMPLE_S 0.020    /* minimum duration of one sample */
#define VF_BENCH_MAX_VARIANTS 16

typedef enum { VF_ROLE_OURS, VF_ROLE_ROOF, VF_ROLE_PEER } vf_bench_role;

/* One timed call; ctx is the variant's own state (buffers, primitive...). */
typedef void (*vf_bench_fn)(void *ctx);

typedef struct {
    const char *name;     /* e.g. "relu", "copy_nt", "onednn" */
    const char *isa;      /* ISA of the code actually run */
    vf_bench_role role;
    vf_bench_fn fn;
    void *ctx;
    /* results, filled by vf_bench_run */
    double median_s;      /* median time per call */
    double roof_ratio;    /* roof time / our time: fraction of roof throughput (NaN if none) */
    double roof2_ratio;   /* same against the group's second roof */
    double peer_ratio;    /* peer time / our time: speed-up over the peer (NaN if none) */
    double min_sample_s;  /* shortest sample seen (>= VF_BENCH_SAMPLE_S) */
    double spread;        /* (q3 - q1) / median of the per-call times: the run's noise */
} vf_bench_variant;

typedef struct {
    const char *kernel;   /* "relu_oop", "relu_inplace" */
    char shape[48];       /* e.g. "n=64Mi (DRAM)" */
    size_t n;             /* elements */
    double bytes;         /* bytes moved per call (reads + writes), for GB/s */
    double flops;         /* useful flops per call; when > 0 the rate column is GFLOP/s */
    int roof;             /* index of the primary roof variant, -1 if none */
    int roof2;            /* index of a second roof, -1 if none */
    int peer;             /* index of the peer variant, -1 if none */
    int nv;
    vf_bench_variant v[VF_BENCH_MAX_VARIANTS];
} vf_bench_group;

/* Run-wide options and report sinks. */
typedef struct {
    int rounds;
    int quick;            /* 1: smoke run, results marked not reportable */
    const char *filter;   /* substring of kernel name, or NULL */
    FILE *csv;            /* NULL: no CSV */
    char date[32];
    char dnnl_version[64];
    char openblas[128];
    int threads;          /* threads oneDNN / OpenMP may use (forced to 1) */
    double load1;         /* 1-minute load average at start */
} vf_bench_opts;

/* timing.c */
double vf_bench_now(void);
/* 1 iff the group "kernel shape" key is selected by --filter: no filter, or any of its
 * '|'-separated alternatives is a substring of key. */
int vf_bench_selected(const vf_bench_opts *o, const char *key);
/* Adds a variant; returns its index. */
int vf_bench_add(vf_bench_group *g, const char *name, const char *isa, vf_bench_role role,
                 vf_bench_fn fn, void *ctx);
/* Calibrates, runs the rounds, fills medians and ratios, prints and writes the group. */
void vf_bench_run(vf_bench_group *g, const vf_bench_opts *o);
void vf_bench_print_header(void);
void vf_bench_csv_header(FILE *f);
/* Allocates n floats, 2 MiB aligned, huge pages advised, every page touched. */
float *vf_bench_alloc(size_t n);
void vf_bench_free(float *p);
/* Fills with values in [-1, 1), about half negative, no subnormals. */
void vf_bench_fill(float *p, size_t n, unsigned seed);

/* roofs.c — memory roofs, AVX-512, single thread */
void vf_roof_copy(const float *x, float *y, size_t n);
void vf_roof_copy_nt(const float *x, float *y, size_t n);
void vf_roof_rw_inplace(float *x, size_t n);
float vf_roof_read_sum(const float *x, size_t n);
/* FMA peak roof: `iters` iterations of 12 independent AVX-512 FMA chains (enough to cover the
 * FMA latency on two pipes): 2 * 16 * 12 * iters flops.  Returns a value the caller must use
 * (so the loop is not removed).  Bench a compute kernel against it with the same flops/call:
 * iters = flops / VF_ROOF_FMA_FLOPS_PER_ITER. */
#define VF_ROOF_FMA_FLOPS_PER_ITER (2.0 * 16 * 12)
float vf_roof_fma(size_t iters);

/* peers_dnnl.c — oneDNN eltwise ReLU forward, f32 */
typedef struct vf_dnnl_relu vf_dnnl_relu;
/* Thread count forced to 1 for OpenMP-based oneDNN; returns the effective max threads. */
int vf_dnnl_init(void);
/* Version string "2.6.3 (hash)" into buf. */
void vf_dnnl_version(char *buf, size_t len);
/* Primitive over y = relu(x) of n floats; x == y builds the in-place one.  NULL on failure. */
vf_dnnl_relu *vf_dnnl_relu_create(float *x, float *y, size_t n);
void vf_dnnl_relu_run(void *ctx);
const char *vf_dnnl_relu_impl(const vf_dnnl_relu *r);
void vf_dnnl_relu_destroy(vf_dnnl_relu *r);
void vf_dnnl_fini(void);
/* oneDNN softmax (log = 0) or logsoftmax (log = 1) forward over the rows of [rows, cols] f32.
 * NULL on failure (message printed). */
typedef struct vf_dnnl_softmax vf_dnnl_softmax;
vf_dnnl_softmax *vf_dnnl_softmax_create(float *x, float *y, size_t rows, size_t cols, int log);
void vf_dnnl_softmax_run(void *ctx);
const char *vf_dnnl_softmax_impl(const vf_dnnl_softmax *d);
void vf_dnnl_softmax_destroy(vf_dnnl_softmax *d);

/* Each bench/<kernel>.c registers its groups with VF_BENCH_REGISTER("name", fn): main.c runs
 * every registered bench in name order (no list to edit when a kernel is added). */
typedef void (*vf_bench_entry)(const vf_bench_opts *o);
void vf_bench_register(const char *name, vf_bench_entry fn);
void vf_bench_run_all(const vf_bench_opts *o);
#define VF_BENCH_REGISTER(name, fn)                                                            \
    static void __attribute__((constructor)) vf_bench_register_##fn(void)                     \
    {                                                                                          \
        vf_bench_register(name, fn);                                                           \
    }

#endif
