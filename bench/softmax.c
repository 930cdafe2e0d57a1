/* softmax.c — row softmax benchmark: our vf_softmax_f32 (dispatched, and every supported ISA)
 * against the copy roof of the same bytes, an exp-throughput roof and oneDNN softmax forward
 * (axis 1 of a 2-D [rows, cols] tensor), interleaved in one process (bench.h).
 *
 *   roof  copy     y = x, ordinary stores (8 bytes per element: read x, write y);
 *   roof2 exp      n exps of x: the same degree-6 polynomial and two-constant reduction as
 *                  ours, AVX-512, 4 independent chains, summed (no store): the compute bound
 *                  of any exp-based softmax (one exp per element);
 *   (copy_nt       non-temporal copy, timed for reference; ratio by hand: time / ours)
 *   peer  onednn   dnnl_softmax_forward_desc_init, forward inference, f32.
 * Bytes per call = 8n. */
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


#include "bench.h"
#include "vf_fast.h"

typedef struct {
    const float *x;
    float *y;
    size_t rows, cols;
    size_t (*sm)(const float *, float *, size_t, size_t, float);
    volatile float sink;
} sm_ctx;

static void run_softmax(void *c)
{
    sm_ctx *s = c;
    s->sm(s->x, s->y, s->rows, s->cols, 1.0f);
}

static void run_copy(void *c)
{
    sm_ctx *s = c;
    vf_roof_copy(s->x, s->y, s->rows * s->cols);
}

static void run_copy_nt(void *c)
{
    sm_ctx *s = c;
    vf_roof_copy_nt(s->x, s->y, s->rows * s->cols);
}

/* exp(x) by k = round(x log2e), r = x - k ln2 (two FMAs), 1 + (r + r^2 q(r)), scalef. */
static inline __m512 exp16(__m512 x)
{
    __m512 k = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(k, _mm512_set1_ps(0x1.62e430p-1f), x);
    r = _mm512_fnmadd_ps(k, _mm512_set1_ps(-0x1.05c610p-29f), r);
    __m512 q = _mm512_set1_ps(0x1.6a1a6ep-10f);
    q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(0x1.123fc6p-7f));
    q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(0x1.555916p-5f));
    q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(0x1.55548ap-3f));
    q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(0x1.fffffcp-2f));
    __m512 p = _mm512_add_ps(_mm512_set1_ps(1.0f),
                             _mm512_fmadd_ps(_mm512_mul_ps(r, r), q, r));
    return _mm512_scalef_ps(p, k);
}

static void run_exp_roof(void *c)
{
    sm_ctx *s = c;
    const float *x = s->x;
    size_t n = s->rows * s->cols, i = 0;
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (; i + 64 <= n; i += 64) {
        a0 = _mm512_add_ps(a0, exp16(_mm512_loadu_ps(x + i)));
        a1 = _mm512_add_ps(a1, exp16(_mm512_loadu_ps(x + i + 16)));
        a2 = _mm512_add_ps(a2, exp16(_mm512_loadu_ps(x + i + 32)));
        a3 = _mm512_add_ps(a3, exp16(_mm512_loadu_ps(x + i + 48)));
    }
    s->sink = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}

/* ---- baseline: the classic AVX-512 softmax (PERFORMANCE.md "the best open AVX-512 softmax
 * algorithm you can write as a baseline") ----
 * Three passes per row like ours, but the usual algorithm: e_j = exp(x_j - max) with the same
 * exp polynomial as ours (so the comparison isolates the algorithm), a float32 row sum over four
 * accumulators, y = e * (1/sum).  Like every library exp it clamps its argument (at -104, where
 * exp rounds to 0), so masked -inf entries give 0 instead of NaN; the max runs over four
 * accumulators like ours, so the baseline is not held back by the latency of one chain.  Forming x - max and summing in float32 is what makes such
 * kernels 16-115 ULP off (PERFORMANCE.md); it is the speed baseline, not a reference. */
static void classic_row(const float *x, float *y, size_t n)
{
    __m512 m = _mm512_set1_ps(-INFINITY), m1 = m, m2 = m, m3 = m;
    size_t j = 0;
    for (; j + 64 <= n; j += 64) {
        m = _mm512_max_ps(m, _mm512_loadu_ps(x + j));
        m1 = _mm512_max_ps(m1, _mm512_loadu_ps(x + j + 16));
        m2 = _mm512_max_ps(m2, _mm512_loadu_ps(x + j + 32));
        m3 = _mm512_max_ps(m3, _mm512_loadu_ps(x + j + 48));
    }
    for (; j + 16 <= n; j += 16)
        m = _mm512_max_ps(m, _mm512_loadu_ps(x + j));
    float mx = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_max_ps(m, m1), _mm512_max_ps(m2, m3)));
    for (; j < n; j++)
        mx = x[j] > mx ? x[j] : mx;
    __m512 vm = _mm512_set1_ps(mx), lo = _mm512_set1_ps(-104.0f);
    __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    j = 0;
    for (; j + 64 <= n; j += 64) {
        __m512 e0 = exp16(_mm512_max_ps(_mm512_sub_ps(_mm512_loadu_ps(x + j), vm), lo));
        __m512 e1 = exp16(_mm512_max_ps(_mm512_sub_ps(_mm512_loadu_ps(x + j + 16), vm), lo));
        __m512 e2 = exp16(_mm512_max_ps(_mm512_sub_ps(_mm512_loadu_ps(x + j + 32), vm), lo));
        __m512 e3 = exp16(_mm512_max_ps(_mm512_sub_ps(_mm512_loadu_ps(x + j + 48), vm), lo));
        _mm512_storeu_ps(y + j, e0);
        _mm512_storeu_ps(y + j + 16, e1);
        _mm512_storeu_ps(y + j + 32, e2);
        _mm512_storeu_ps(y + j + 48, e3);
        s0 = _mm512_add_ps(s0, e0);
        s1 = _mm512_add_ps(s1, e1);
        s2 = _mm512_add_ps(s2, e2);
        s3 = _mm512_add_ps(s3, e3);
    }
    for (; j + 16 <= n; j += 16) {
        __m512 e0 = exp16(_mm512_max_ps(_mm512_sub_ps(_mm512_loadu_ps(x + j), vm), lo));
        _mm512_storeu_ps(y + j, e0);
        s0 = _mm512_add_ps(s0, e0);
    }
    float sum = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
    for (; j < n; j++) {
        y[j] = expf(x[j] - mx);
        sum += y[j];
    }
    __m512 inv = _mm512_set1_ps(1.0f / sum);
    j = 0;
    for (; j + 16 <= n; j += 16)
        _mm512_storeu_ps(y + j, _mm512_mul_ps(_mm512_loadu_ps(y + j), inv));
    for (; j < n; j++)
        y[j] *= 1.0f / sum;
}

static void run_classic(void *c)
{
    sm_ctx *s = c;
    for (size_t i = 0; i < s->rows; i++)
        classic_row(s->x + i * s->cols, s->y + i * s->cols, s->cols);
}

/* ---- groups ---- */
static const struct {
    vf_isa isa;
    size_t (*fn)(const float *, float *, size_t, size_t, float);
} per_isa[] = {
    {VF_ISA_SCALAR, vf_softmax_f32__scalar},
    {VF_ISA_AVX2, vf_softmax_f32__avx2},
    {VF_ISA_AVX512, vf_softmax_f32__avx512},
};
#define N_ISA (sizeof per_isa / sizeof per_isa[0])

static const struct {
    size_t rows, cols;
    const char *label;
} shapes[] = {
    {128, 128, "128x128"},
    {64, 32768, "64x32768"},
    {4096, 4096, "4096x4096 DRAM"},
};

static void bench_shape(const vf_bench_opts *o, size_t rows, size_t cols, const char *label)
{
    char key[96];
    snprintf(key, sizeof key, "softmax %s", label);
    if (!vf_bench_selected(o, key))
        return;
    size_t n = rows * cols;
    float *x = vf_bench_alloc(n), *y = vf_bench_alloc(n);
    /* Logits in [-8, 8): a realistic spread (scaled [-1, 1) fill). */
    vf_bench_fill(x, n, 3);
    for (size_t i = 0; i < n; i++)
        x[i] *= 8.0f;
    sm_ctx c[N_ISA + 2];
    vf_bench_group g;
    memset(&g, 0, sizeof g);
    g.kernel = "softmax";
    snprintf(g.shape, sizeof g.shape, "%s", label);
    g.n = n;
    g.bytes = 8.0 * (double)n;
    g.roof = g.roof2 = g.peer = -1;
    int k = 0;
    c[k] = (sm_ctx){x, y, rows, cols, vf_softmax_f32, 0};
    vf_bench_add(&g, "softmax", vf_isa_name(vf_isa_active()), VF_ROLE_OURS, run_softmax, &c[k]);
    k++;
    for (size_t i = 0; i < N_ISA; i++) {
        if (!vf_isa_supported(per_isa[i].isa) || per_isa[i].isa == VF_ISA_SCALAR)
            continue; /* scalar: ~20x slower, would dominate the run time */
        c[k] = (sm_ctx){x, y, rows, cols, per_isa[i].fn, 0};
        vf_bench_add(&g, "softmax_isa", vf_isa_name(per_isa[i].isa), VF_ROLE_OURS, run_softmax,
                     &c[k]);
        k++;
    }
    c[k] = (sm_ctx){x, y, rows, cols, NULL, 0};
    g.roof = vf_bench_add(&g, "copy", "avx512", VF_ROLE_ROOF, run_copy, &c[k]);
    g.roof2 = vf_bench_add(&g, "exp", "avx512", VF_ROLE_ROOF, run_exp_roof, &c[k]);
    vf_bench_add(&g, "copy_nt", "avx512", VF_ROLE_ROOF, run_copy_nt, &c[k]);
    vf_dnnl_softmax *d = vf_dnnl_softmax_create(x, y, rows, cols, 0);
    if (d)
        g.peer = vf_bench_add(&g, "onednn", vf_dnnl_softmax_impl(d), VF_ROLE_PEER,
                              vf_dnnl_softmax_run, d);
    /* Second peer, ratio by hand from the printed medians (the group has one peer column). */
    vf_bench_add(&g, "classic", "avx512", VF_ROLE_PEER, run_classic, &c[k]);
    vf_bench_run(&g, o);
    vf_dnnl_softmax_destroy(d);
    vf_bench_free(x);
    vf_bench_free(y);
}

static void vf_bench_softmax(const vf_bench_opts *o)
{
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        bench_shape(o, shapes[i].rows, shapes[i].cols, shapes[i].label);
}
VF_BENCH_REGISTER("softmax", vf_bench_softmax)
