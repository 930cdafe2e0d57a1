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

static const repro_case cases[] = {
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

Test(repro, hashes_per_kernel_and_isa, .timeout = 300)
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
