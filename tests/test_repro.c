/* Bitwise reproducibility of the fast path: a hash of every kernel's output on fixed inputs,
 * per ISA, must equal the committed one (tests/data/repro.tsv).  A change of bits is either a
 * bug or a deliberate kernel change; in the latter case the accuracy suites must still pass and
 * the table is regenerated with `VF_REPRO_RECORD=tests/data/repro.tsv build/tests/test_repro`
 * and the diff committed with the change.  Inputs come from the counter-based generator with the
 * default seed (core/vf_rng.h), so they are the same on every machine; the hash is FNV-1a 64
 * over the output bytes.  Sizes straddle VF_PAR_MIN_ELEMS, so the thread split is covered too
 * (results must not depend on the thread count: vf_par.h). */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf_fast.h"
#include "vf_par.h"
#include "vf_rng.h"

#define REPRO_TABLE VF_TEST_DATA "/repro.tsv"

static uint64_t fnv1a(const void *p, size_t len)
{
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* A case fills its inputs from the seed and runs the dispatched kernel; returns the number of
 * output floats written to out (capacity REPRO_MAX). */
#define REPRO_MAX ((size_t)3 << 20)
typedef size_t (*repro_fn)(float *in, float *out);
typedef struct {
    const char *kernel, *shape;
    repro_fn run;
} repro_case;

static size_t relu_big(float *in, float *out)
{
    size_t n = VF_PAR_MIN_ELEMS + 4099;
    vf_fill_f32(in, n, VF_FILL_NORMAL, VF_SEED_DEFAULT, 101);
    vf_relu_f32(in, out, n);
    return n;
}

static size_t softmax_small(float *in, float *out)
{
    size_t r = 33, c = 1000;
    vf_fill_f32(in, r * c, VF_FILL_NORMAL, VF_SEED_DEFAULT, 102);
    vf_softmax_f32(in, out, r, c, 0.7f);
    return r * c;
}

static size_t softmax_big(float *in, float *out)
{
    size_t r = 260, c = 4097;
    vf_fill_f32(in, r * c, VF_FILL_BIG, VF_SEED_DEFAULT, 103);
    vf_softmax_f32(in, out, r, c, 1.0f);
    return r * c;
}

/* [2, 4, 300, 64] attention, causal, 1/sqrt(64): output 2*4*300*64 < 1 Mi (one thread), and
 * a [1, 8, 1024, 128] one whose output (1 Mi floats) takes the two-thread path. */
static size_t attention_small(float *in, float *out)
{
    size_t bh = 8, s = 300, d = 64, n = bh * s * d;
    float *q = in, *k = in + n, *v = in + 2 * n;
    vf_fill_f32(in, 3 * n, VF_FILL_NORMAL, VF_SEED_DEFAULT, 104);
    vf_attention_f32(q, k, v, out, 2, 4, s, s, d, d, 0.125f, 1);
    return n;
}

static size_t attention_big(float *in, float *out)
{
    size_t s = 1024, d = 128, n = 8 * s * d, kv = 8 * 256 * d;
    float *q = in, *k = in + n, *v = in + n + kv;
    vf_fill_f32(in, n + 2 * kv, VF_FILL_UNIFORM, VF_SEED_DEFAULT, 105);
    vf_attention_f32(q, k, v, out, 1, 8, s, 256, d, d, 0.08838834764f, 0);
    return n;
}

/* 64 problems 256x16 and 2 problems 4096x64 (two right-hand sides), normal fill. */
static size_t lstsq_batch(float *in, float *out)
{
    size_t batch = 64, m = 256, n = 16, nrhs = 2;
    float *a = in, *b = in + batch * m * n;
    vf_fill_f32(in, batch * m * (n + nrhs), VF_FILL_NORMAL, VF_SEED_DEFAULT, 106);
    vf_lstsq_f32(a, b, out, batch, m, n, nrhs, out + batch * n * nrhs, NULL);
    return batch * n * nrhs + batch * nrhs;
}

static size_t lstsq_tall(float *in, float *out)
{
    size_t batch = 2, m = 4096, n = 64, nrhs = 2;
    float *a = in, *b = in + batch * m * n;
    vf_fill_f32(in, batch * m * (n + nrhs), VF_FILL_UNIFORM, VF_SEED_DEFAULT, 107);
    vf_lstsq_f32(a, b, out, batch, m, n, nrhs, out + batch * n * nrhs, NULL);
    return batch * n * nrhs + batch * nrhs;
}

static size_t log_softmax_rows(float *in, float *out)
{
    size_t r = 300, c = 4097;
    vf_fill_f32(in, r * c, VF_FILL_NORMAL, VF_SEED_DEFAULT, 108);
    vf_log_softmax_f32(in, out, r, c, 0.7f);
    return r * c;
}

static size_t logsumexp_rows(float *in, float *out)
{
    size_t r = 300, c = 4097;
    vf_fill_f32(in, r * c, VF_FILL_BIG, VF_SEED_DEFAULT, 109);
    vf_logsumexp_f32(in, out, r, c, 1.0f);
    return r;
}

/* 1024x1024x1024 GEMM (above VF_PAR_MIN_ELEMS: two threads split the rows). */
static size_t gemm_square(float *in, float *out)
{
    size_t n = 1024;
    vf_fill_f32(in, 2 * n * n, VF_FILL_UNIFORM, VF_SEED_DEFAULT, 110);
    vf_gemm_f32(0, 1, n, n, n, in, n, in + n * n, n, 0.0f, out, n);
    return n * n;
}

/* Linear attention, both orders and causal, [2, 512, 64] -> 4 outputs side by side. */
static size_t linear_attention_all(float *in, float *out)
{
    size_t b = 2, n = 512, d = 64, len = b * n * d;
    vf_fill_f32(in, 3 * len, VF_FILL_NORMAL, VF_SEED_DEFAULT, 111);
    for (int order = 0; order < 2; order++)
        for (int causal = 0; causal < 2; causal++)
            vf_linear_attention_f32(in, in + len, in + 2 * len, out + (size_t)(2 * order + causal) * len,
                                    b, n, d, d, order, causal);
    return 4 * len;
}

static size_t ols_forward_tall(float *in, float *out)
{
    size_t n = 2048, d = 32, m = 2;
    vf_err e;
    vf_fill_f32(in, n * (d + m), VF_FILL_NORMAL, VF_SEED_DEFAULT, 112);
    cr_assert_eq(vf_ols_forward_f32(in, in + n * d, out, n, d, m, &e), VF_OK, "%s", e.msg);
    return n * m;
}

static const repro_case cases[] = {
    {"gemm", "1024^3/B^T", gemm_square},
    {"linear_attention", "2x512x64/both orders/causal", linear_attention_all},
    {"ols_forward", "2048x32/m=2", ols_forward_tall},
    {"log_softmax", "300x4097/T=0.7", log_softmax_rows},
    {"logsumexp", "300x4097/big", logsumexp_rows},
    {"attention", "2x4x300x64/causal", attention_small},
    {"attention", "1x8x1024x128/Sk=256", attention_big},
    {"lstsq", "64x256x16/nrhs=2", lstsq_batch},
    {"lstsq", "2x4096x64/nrhs=2", lstsq_tall},
    {"relu", "n=1Mi+4099", relu_big},
    {"softmax", "33x1000/T=0.7", softmax_small},
    {"softmax", "260x4097/big", softmax_big},
};

static int lookup(const char *kernel, const char *isa, const char *shape, uint64_t *h)
{
    FILE *f = fopen(REPRO_TABLE, "r");
    if (!f)
        return 0;
    char line[512], k[128], i[32], s[128];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        if (line[0] != '#' && sscanf(line, "%127[^\t]\t%31[^\t]\t%127[^\t]\t%" SCNx64, k, i, s, h) == 4)
            found = !strcmp(k, kernel) && !strcmp(i, isa) && !strcmp(s, shape);
    fclose(f);
    return found;
}

Test(repro, hashes_per_kernel_and_isa)
{
    float *in = malloc(REPRO_MAX * sizeof *in), *out = malloc(REPRO_MAX * sizeof *out);
    cr_assert(in && out);
    const char *rec = getenv("VF_REPRO_RECORD");
    FILE *rf = NULL;
    if (rec && *rec) {
        rf = fopen(rec, "w");
        cr_assert(rf, "VF_REPRO_RECORD=%s: cannot write", rec);
        fprintf(rf, "# tests/data/repro.tsv - FNV-1a 64 of each fast kernel's output on fixed "
                    "inputs (tests/test_repro.c)\n# kernel\tisa\tshape\thash\n");
    }
    int checked = 0;
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        vf_err e;
        if (vf_isa_set((vf_isa)isa, &e) != VF_OK)
            continue;
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            const repro_case *k = &cases[c];
            uint64_t h[2];
            for (int threads = 1; threads <= 2; threads++) {
                vf_par_set_max_threads(threads);
                memset(out, 0, REPRO_MAX * sizeof *out);
                size_t n = k->run(in, out);
                cr_assert(n <= REPRO_MAX);
                h[threads - 1] = fnv1a(out, n * sizeof *out);
            }
            vf_par_set_max_threads(0);
            const char *iname = vf_isa_name((vf_isa)isa);
            cr_assert_eq(h[0], h[1], "%s %s %s: 1 and 2 threads give different bits", k->kernel,
                         iname, k->shape);
            if (rf) {
                fprintf(rf, "%s\t%s\t%s\t%016" PRIx64 "\n", k->kernel, iname, k->shape, h[0]);
                continue;
            }
            uint64_t want;
            cr_assert(lookup(k->kernel, iname, k->shape, &want),
                      "%s %s %s: no hash in tests/data/repro.tsv (see tests/test_repro.c)",
                      k->kernel, iname, k->shape);
            cr_expect_eq(h[0], want, "%s %s %s: output bits changed: %016" PRIx64
                         " != committed %016" PRIx64, k->kernel, iname, k->shape, h[0], want);
            checked++;
        }
    }
    if (rf)
        fclose(rf);
    else
        cr_assert(checked > 0);
    free(in);
    free(out);
}
