/* timing.c — the shared measurement machinery (see bench.h and PERFORMANCE.md). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "bench.h"

#define BATCH_MIN_S 2e-4 /* a batch of calls between two clock reads lasts >= 0.2 ms */

double vf_bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int vf_bench_add(vf_bench_group *g, const char *name, const char *isa, vf_bench_role role,
                 vf_bench_fn fn, void *ctx)
{
    if (g->nv >= VF_BENCH_MAX_VARIANTS) {
        fprintf(stderr, "vf_bench: too many variants in %s\n", g->kernel);
        exit(2);
    }
    vf_bench_variant *v = &g->v[g->nv];
    memset(v, 0, sizeof *v);
    v->name = name;
    v->isa = isa;
    v->role = role;
    v->fn = fn;
    v->ctx = ctx;
    return g->nv++;
}

/* Calls per batch: the smallest power of two whose batch lasts >= BATCH_MIN_S. */
static long calibrate(const vf_bench_variant *v)
{
    v->fn(v->ctx); /* warm-up: caches, page tables, lazy init */
    long batch = 1;
    for (;;) {
        double t0 = vf_bench_now();
        for (long i = 0; i < batch; i++)
            v->fn(v->ctx);
        if (vf_bench_now() - t0 >= BATCH_MIN_S || batch >= (1L << 30))
            return batch;
        batch *= 2;
    }
}

/* One sample: batches until >= VF_BENCH_SAMPLE_S; returns seconds per call. */
static double sample(const vf_bench_variant *v, long batch, double *elapsed)
{
    long calls = 0;
    double t0 = vf_bench_now(), t;
    do {
        for (long i = 0; i < batch; i++)
            v->fn(v->ctx);
        calls += batch;
        t = vf_bench_now() - t0;
    } while (t < VF_BENCH_SAMPLE_S);
    *elapsed = t;
    return t / (double)calls;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *a, int n)
{
    qsort(a, (size_t)n, sizeof *a, cmp_double);
    return n % 2 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
}

/* Interquartile range over the median of a sorted array (nearest-rank quartiles). */
static double spread(const double *sorted, int n, double med)
{
    return (sorted[(3 * (n - 1)) / 4] - sorted[(n - 1) / 4]) / med;
}

/* Median over rounds of t[ref][r] / t[i][r]; NaN when ref < 0. */
static double ratio(double *const *t, int ref, int i, int rounds, double *tmp)
{
    if (ref < 0)
        return NAN;
    for (int r = 0; r < rounds; r++)
        tmp[r] = t[ref][r] / t[i][r];
    return median(tmp, rounds);
}

static const char *role_name(vf_bench_role r)
{
    return r == VF_ROLE_OURS ? "ours" : r == VF_ROLE_ROOF ? "roof" : "peer";
}

static const char *name_or_dash(const vf_bench_group *g, int i)
{
    return i < 0 ? "-" : g->v[i].name;
}

void vf_bench_print_header(void)
{
    printf("%-13s %-12s %-9s %-16s %11s %6s %8s %8s %8s %8s\n", "kernel", "shape", "variant",
           "isa", "median_ms", "iqr%", "GB|GF/s", "roof", "roof2", "peer");
}

void vf_bench_csv_header(FILE *f)
{
    fprintf(f, "date,kernel,shape,n,variant,role,isa,threads,rounds,reportable,median_ms,iqr_rel,"
               "rate,rate_unit,roof,roof_ratio,roof2,roof2_ratio,peer,peer_ratio,min_sample_ms,onednn,"
               "openblas,load1\n");
}

static void print_ratio(double r)
{
    if (isnan(r))
        printf(" %8s", "-");
    else
        printf(" %7.3fx", r);
}

static void report(const vf_bench_group *g, const vf_bench_opts *o)
{
    printf("# %s %s: roof=%s roof2=%s peer=%s; ratios = median over %d rounds of "
           "(other time / this time)%s\n",
           g->kernel, g->shape, name_or_dash(g, g->roof), name_or_dash(g, g->roof2),
           name_or_dash(g, g->peer), o->rounds, o->quick ? " [QUICK: not reportable]" : "");
    for (int i = 0; i < g->nv; i++) {
        const vf_bench_variant *v = &g->v[i];
        double rate = (g->flops > 0 ? g->flops : g->bytes) / v->median_s * 1e-9;
        printf("%-13s %-12s %-9s %-16s %11.6f %6.1f %8.2f", g->kernel, g->shape, v->name, v->isa,
               1e3 * v->median_s, 100 * v->spread, rate);
        print_ratio(v->roof_ratio);
        print_ratio(v->roof2_ratio);
        print_ratio(v->peer_ratio);
        printf("\n");
        if (o->csv)
            fprintf(o->csv,
                    "%s,%s,\"%s\",%zu,%s,%s,\"%s\",%d,%d,%d,%.6f,%.4f,%.3f,%s,%s,%.4f,%s,%.4f,%s,%.4f,"
                    "%.3f,\"%s\",\"%s\",%.2f\n",
                    o->date, g->kernel, g->shape, g->n, v->name, role_name(v->role), v->isa,
                    o->threads, o->rounds, !o->quick && o->rounds >= VF_BENCH_MIN_ROUNDS,
                    1e3 * v->median_s, v->spread, rate, g->flops > 0 ? "GFLOP/s" : "GB/s",
                    name_or_dash(g, g->roof), v->roof_ratio, name_or_dash(g, g->roof2),
                    v->roof2_ratio,
                    name_or_dash(g, g->peer), v->peer_ratio, 1e3 * v->min_sample_s,
                    o->dnnl_version, o->openblas, o->load1);
    }
    fflush(stdout);
    if (o->csv)
        fflush(o->csv);
}

void vf_bench_run(vf_bench_group *g, const vf_bench_opts *o)
{
    int nv = g->nv, rounds = o->rounds;
    long batch[VF_BENCH_MAX_VARIANTS];
    double *t[VF_BENCH_MAX_VARIANTS];
    double *tmp = malloc((size_t)rounds * sizeof *tmp);
    if (!tmp) {
        perror("vf_bench");
        exit(2);
    }
    for (int i = 0; i < nv; i++) {
        batch[i] = calibrate(&g->v[i]);
        t[i] = malloc((size_t)rounds * sizeof *t[i]);
        if (!t[i]) {
            perror("vf_bench");
            exit(2);
        }
        g->v[i].min_sample_s = INFINITY;
    }
    /* Round -1 is a discarded warm-up; round r starts with variant r mod nv. */
    for (int r = -1; r < rounds; r++) {
        for (int k = 0; k < nv; k++) {
            int i = ((r < 0 ? 0 : r) + k) % nv;
            double el, s = sample(&g->v[i], batch[i], &el);
            if (r < 0)
                continue;
            t[i][r] = s;
            if (el < g->v[i].min_sample_s)
                g->v[i].min_sample_s = el;
        }
    }
    for (int i = 0; i < nv; i++) {
        vf_bench_variant *v = &g->v[i];
        v->roof_ratio = ratio(t, g->roof, i, rounds, tmp);
        v->roof2_ratio = ratio(t, g->roof2, i, rounds, tmp);
        v->peer_ratio = ratio(t, g->peer, i, rounds, tmp);
        memcpy(tmp, t[i], (size_t)rounds * sizeof *tmp);
        v->median_s = median(tmp, rounds);
        v->spread = spread(tmp, rounds, v->median_s);
    }
    report(g, o);
    for (int i = 0; i < nv; i++)
        free(t[i]);
    free(tmp);
}

float *vf_bench_alloc(size_t n)
{
    const size_t align = (size_t)2 << 20;
    size_t bytes = (n * sizeof(float) + align - 1) / align * align;
    float *p = aligned_alloc(align, bytes);
    if (!p) {
        fprintf(stderr, "vf_bench: cannot allocate %zu bytes\n", bytes);
        exit(2);
    }
    madvise(p, bytes, MADV_HUGEPAGE); /* advice only; failure is harmless */
    memset(p, 0, bytes);
    return p;
}

void vf_bench_free(float *p)
{
    free(p);
}

void vf_bench_fill(float *p, size_t n, unsigned seed)
{
    uint64_t s = 0x9E3779B97F4A7C15ull * (seed + 1u);
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        /* 24 random bits -> [-1, 1) in steps of 2^-23: never subnormal */
        p[i] = (float)((int32_t)(s >> 40) - (1 << 23)) * 0x1p-23f;
    }
}

/* ---- registry of bench entries (VF_BENCH_REGISTER) ---- */
#define VF_BENCH_MAX_ENTRIES 32
static struct {
    const char *name;
    vf_bench_entry fn;
} entries[VF_BENCH_MAX_ENTRIES];
static int n_entries;

void vf_bench_register(const char *name, vf_bench_entry fn)
{
    if (n_entries == VF_BENCH_MAX_ENTRIES) {
        fprintf(stderr, "vf_bench: more than %d bench entries\n", VF_BENCH_MAX_ENTRIES);
        exit(99);
    }
    int i = n_entries++;
    for (; i > 0 && strcmp(entries[i - 1].name, name) > 0; i--) /* keep name order */
        entries[i] = entries[i - 1];
    entries[i].name = name;
    entries[i].fn = fn;
}

void vf_bench_run_all(const vf_bench_opts *o)
{
    for (int i = 0; i < n_entries; i++)
        entries[i].fn(o);
}

int vf_bench_selected(const vf_bench_opts *o, const char *key)
{
    if (!o->filter || !*o->filter)
        return 1;
    char alt[256];
    snprintf(alt, sizeof alt, "%s", o->filter);
    char *save = NULL;
    for (char *t = strtok_r(alt, "|", &save); t; t = strtok_r(NULL, "|", &save))
        if (strstr(key, t))
            return 1;
    return 0;
}
