/* The oracle's C API (ref/vf_oracle.h): references exact on hand-checked cases, golden files,
 * verdicts (PASSED / FAILED / MISTRUSTED / UNCERTIFIED), row sampling, bad input, and the fast
 * path's ReLU checked through vf_compare on every ISA (dogfooding). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf_fast.h"
#include "vf_oracle.h"
#include "vf_rng.h"

/* A tensor of dtype dt holding the n values v. */
static vf_tensor T(vf_dtype dt, int ndim, const size_t *shape, const double *v)
{
    vf_tensor t;
    vf_err e;
    cr_assert_eq(vf_tensor_init(&t, dt, ndim, shape, &e), VF_OK, "%s", e.msg);
    if (v)
        memcpy(t.v, v, t.count * sizeof *v);
    return t;
}

static vf_oracle_opts opts(void)
{
    vf_oracle_opts o;
    vf_oracle_opts_default(&o);
    return o;
}

/* The reference of kernel k on in[] (dtype dt), asserting success and full certification. */
static vf_tensor ref(vf_kernel k, const vf_tensor *const *in, vf_oracle_opts o, vf_dtype dt)
{
    vf_tensor r = {0};
    vf_err e;
    size_t unc = 1;
    o.dtype = dt;
    cr_assert_eq(vf_reference(&r, &unc, k, in, &o, &e), VF_OK, "%s", e.msg);
    cr_assert_eq(unc, 0);
    return r;
}

static vf_oracle_report cmp(vf_kernel k, const vf_tensor *const *in, const vf_tensor *cand,
                            vf_oracle_opts o)
{
    vf_oracle_report r;
    vf_err e;
    cr_assert_eq(vf_compare(&r, k, in, cand, &o, &e), VF_OK, "%s", e.msg);
    return r;
}

static double q_f32(long num, long den)
{
    mpq_t q;
    double d;
    mpq_init(q);
    mpq_set_si(q, num, (unsigned long)den);
    mpq_canonicalize(q);
    cr_assert_eq(vf_round_q(&d, q, VF_DT_F32), VF_OK);
    mpq_clear(q);
    return d;
}

/* ---------------------------------------------------------------- exact hand-checked cases */

Test(oracle, matmul_is_exact_and_batched_broadcast)
{
    size_t sa[3] = {2, 2, 2}, sb[2] = {2, 1};
    const double a[] = {1, 2, 3, 4, 0.5, 0.25, -1, 0x1p-30}, b[] = {5, 6};
    vf_tensor A = T(VF_DT_F32, 3, sa, a), B = T(VF_DT_F32, 2, sb, b);
    vf_tensor r = ref(VF_K_MATMUL, (const vf_tensor *[]){&A, &B}, opts(), VF_DT_F32);
    cr_assert_eq(r.ndim, 3);
    cr_assert(r.shape[0] == 2 && r.shape[1] == 2 && r.shape[2] == 1);
    const double want[] = {17, 39, 4, (double)(float)(-5 + 6 * 0x1p-30)};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(r.v[i], want[i], "element %d: %a", i, r.v[i]);
    vf_tensor_clear(&r);
    vf_tensor_clear(&A);
    vf_tensor_clear(&B);
}

Test(oracle, attention_uniform_keys_average_values_and_causal_row0_is_v0)
{
    size_t sq[4] = {1, 1, 2, 2}, sk[4] = {1, 1, 3, 2}, sv[4] = {1, 1, 3, 1};
    const double q[] = {0.5, -2, 3, 1}, k[] = {1, 1, 1, 1, 1, 1}, v[] = {1, 2, 6};
    vf_tensor Q = T(VF_DT_F32, 4, sq, q), K = T(VF_DT_F32, 4, sk, k), V = T(VF_DT_F32, 4, sv, v);
    const vf_tensor *in[] = {&Q, &K, &V};
    vf_tensor r = ref(VF_K_ATTENTION, in, opts(), VF_DT_F32);
    cr_assert(r.v[0] == 3 && r.v[1] == 3, "mean of V: %a %a", r.v[0], r.v[1]);
    vf_tensor_clear(&r);
    vf_oracle_opts o = opts();
    o.causal = 1;
    r = ref(VF_K_ATTENTION, in, o, VF_DT_F32);
    cr_assert_eq(r.v[0], 1, "query 0 sees key 0 only");
    cr_assert_eq(r.v[1], 1.5, "query 1 averages keys 0, 1");
    vf_tensor_clear(&r);
    vf_tensor_clear(&Q);
    vf_tensor_clear(&K);
    vf_tensor_clear(&V);
}

Test(oracle, attention_scale_is_taken_exactly)
{
    /* two keys, logits scale * (0, 1): weights 1/(1+e^s), e^s/(1+e^s); V = (0, 1) -> sigmoid(s) */
    size_t sq[2] = {1, 1}, sk[2] = {2, 1};
    const double q[] = {1}, k[] = {0, 1}, v[] = {0, 1};
    vf_tensor Q = T(VF_DT_F64, 2, sq, q), K = T(VF_DT_F64, 2, sk, k), V = T(VF_DT_F64, 2, sk, v);
    vf_oracle_opts o = opts();
    o.scale = 0.5;
    vf_tensor r = ref(VF_K_ATTENTION, (const vf_tensor *[]){&Q, &K, &V}, o, VF_DT_F64);
    cr_assert(fabs(r.v[0] - 1 / (1 + exp(-0.5))) < 1e-15, "%a", r.v[0]);
    vf_tensor_clear(&r);
    o.scale = 0; /* default 1/sqrt(1) = 1 */
    r = ref(VF_K_ATTENTION, (const vf_tensor *[]){&Q, &K, &V}, o, VF_DT_F64);
    cr_assert(fabs(r.v[0] - 1 / (1 + exp(-1.0))) < 1e-15, "%a", r.v[0]);
    vf_tensor_clear(&r);
    vf_tensor_clear(&Q);
    vf_tensor_clear(&K);
    vf_tensor_clear(&V);
}

Test(oracle, linear_attention_exact_plain_and_causal)
{
    size_t s[2] = {2, 2}, sv[2] = {2, 1};
    const double q[] = {1, 1, 1, 1}, v[] = {1, 2};
    vf_tensor Q = T(VF_DT_F32, 2, s, q), K = T(VF_DT_F32, 2, s, q), V = T(VF_DT_F32, 2, sv, v);
    const vf_tensor *in[] = {&Q, &K, &V};
    vf_tensor r = ref(VF_K_LINEAR_ATTENTION, in, opts(), VF_DT_F32);
    cr_assert(r.v[0] == 6 && r.v[1] == 6);
    vf_tensor_clear(&r);
    vf_oracle_opts o = opts();
    o.causal = 1;
    r = ref(VF_K_LINEAR_ATTENTION, in, o, VF_DT_F32);
    cr_assert(r.v[0] == 2 && r.v[1] == 6, "%g %g", r.v[0], r.v[1]);
    vf_tensor_clear(&r);
    vf_tensor_clear(&Q);
    vf_tensor_clear(&K);
    vf_tensor_clear(&V);
}

Test(oracle, cone_kernels_on_pythagorean_groups)
{
    size_t s[2] = {2, 3};
    const double x[] = {0, 3, 4, 1, 3, 4};
    vf_tensor X = T(VF_DT_F32, 2, s, x);
    vf_tensor p = ref(VF_K_LORENTZ, (const vf_tensor *[]){&X}, opts(), VF_DT_F32);
    cr_assert(p.v[0] == 2.5 && p.v[1] == 1.5 && p.v[2] == 2, "(t+r)/2 (1, w/r)");
    cr_assert(p.v[3] == 3 && p.v[4] == q_f32(9, 5), "group 2: (1+5)/2 (1, 3/5, 4/5)");
    cr_assert_eq(p.v[5], q_f32(12, 5));
    vf_tensor c = ref(VF_K_COLU, (const vf_tensor *[]){&X}, opts(), VF_DT_F32);
    cr_assert(c.v[0] == 0 && c.v[1] == 0 && c.v[2] == 0, "t <= 0: zero");
    cr_assert(c.v[3] == 1 && c.v[4] == q_f32(3, 5) && c.v[5] == q_f32(4, 5), "factor t/r = 1/5");
    vf_tensor_clear(&p);
    vf_tensor_clear(&c);
    vf_tensor_clear(&X);
}

Test(oracle, ols_prediction_is_the_rounded_rational)
{
    size_t sx[2] = {3, 2}, sy[1] = {3};
    const double x[] = {1, 0, 0, 1, 1, 1}, y[] = {1, 2, 4};
    vf_tensor X = T(VF_DT_F32, 2, sx, x), Y = T(VF_DT_F32, 1, sy, y);
    vf_tensor r = ref(VF_K_OLS, (const vf_tensor *[]){&X, &Y}, opts(), VF_DT_F32);
    cr_assert_eq(r.ndim, 1);
    cr_assert(r.v[0] == q_f32(4, 3) && r.v[1] == q_f32(7, 3) && r.v[2] == q_f32(11, 3));
    vf_tensor_clear(&r);
    vf_tensor_clear(&X);
    vf_tensor_clear(&Y);
}

Test(oracle, softmax_family_with_temperature_and_masks)
{
    size_t s[2] = {1, 4};
    const double x[] = {0, 0, -INFINITY, 0};
    vf_tensor X = T(VF_DT_F32, 2, s, x);
    const vf_tensor *in[] = {&X};
    vf_tensor p = ref(VF_K_SOFTMAX, in, opts(), VF_DT_F32);
    cr_assert(p.v[0] == q_f32(1, 3) && p.v[2] == 0 && !signbit(p.v[2]));
    vf_tensor l = ref(VF_K_LOG_SOFTMAX, in, opts(), VF_DT_F64);
    cr_assert(l.v[2] == -INFINITY && fabs(l.v[0] + log(3.0)) < 1e-15);
    vf_oracle_opts o = opts();
    o.temperature = 0.5;
    vf_tensor z = ref(VF_K_LOGSUMEXP, in, o, VF_DT_F64);
    cr_assert_eq(z.ndim, 1);
    cr_assert(fabs(z.v[0] - 0.5 * log(3.0)) < 1e-16, "%a", z.v[0]);
    vf_tensor_clear(&p);
    vf_tensor_clear(&l);
    vf_tensor_clear(&z);
    vf_tensor_clear(&X);
}

/* ---------------------------------------------------------------- golden */

/* tests/data/golden/<name>_in<i>.npy, <name>_ref.npy and the text twin <name>_ref.hex were
 * written by our reference; recomputing must give the same bits, and the twin the same values. */
Test(oracle, golden_references_are_bitwise_stable)
{
    static const struct {
        const char *name;
        vf_kernel k;
        double temperature;
        int causal;
    } g[] = {{"softmax", VF_K_SOFTMAX, 0, 0},       {"log_softmax", VF_K_LOG_SOFTMAX, 0, 0},
             {"logsumexp", VF_K_LOGSUMEXP, 0.5, 0}, {"matmul", VF_K_MATMUL, 0, 0},
             {"attention_causal", VF_K_ATTENTION, 0, 1}, {"colu", VF_K_COLU, 0, 0},
             {"relu", VF_K_RELU, 0, 0}};
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        char path[512];
        vf_err e;
        vf_tensor in[3] = {{0}}, want = {0};
        int nin = vf_kernel_inputs(g[i].k);
        for (int t = 0; t < nin; t++) {
            snprintf(path, sizeof path, "%s/golden/%s_in%d.npy", VF_TEST_DATA, g[i].name, t);
            cr_assert_eq(vf_npy_read(&in[t], path, &e), VF_OK, "%s", e.msg);
        }
        snprintf(path, sizeof path, "%s/golden/%s_ref.npy", VF_TEST_DATA, g[i].name);
        cr_assert_eq(vf_npy_read(&want, path, &e), VF_OK, "%s", e.msg);
        vf_oracle_opts o = opts();
        o.temperature = g[i].temperature;
        o.causal = g[i].causal;
        vf_tensor got = ref(g[i].k, (const vf_tensor *[]){&in[0], &in[1], &in[2]}, o,
                            want.dtype);
        cr_assert_eq(got.count, want.count, "%s", g[i].name);
        cr_assert(!memcmp(got.v, want.v, got.count * sizeof *got.v), "%s: bits differ",
                  g[i].name);
        snprintf(path, sizeof path, "%s/golden/%s_ref.hex", VF_TEST_DATA, g[i].name);
        FILE *f = fopen(path, "r");
        cr_assert(f, "%s", path);
        char line[256];
        size_t n = 0;
        while (fgets(line, sizeof line, f)) {
            if (line[0] == '#')
                continue;
            size_t idx;
            char hex[64];
            cr_assert_eq(sscanf(line, "%zu %63s", &idx, hex), 2, "%s: '%s'", path, line);
            double v = strtod(hex, NULL);
            cr_assert(idx == n && !memcmp(&v, &want.v[idx], sizeof v), "%s line %zu", path, n);
            n++;
        }
        fclose(f);
        cr_assert_eq(n, want.count, "%s: the twin lists every element", path);
        for (int t = 0; t < 3; t++)
            vf_tensor_clear(&in[t]);
        vf_tensor_clear(&want);
        vf_tensor_clear(&got);
    }
}

/* ---------------------------------------------------------------- verdicts */

static vf_tensor normal_f32(int ndim, const size_t *shape, uint64_t tensor)
{
    vf_tensor t = T(VF_DT_F32, ndim, shape, NULL);
    float *x = malloc(t.count * sizeof *x);
    vf_fill_f32(x, t.count, VF_FILL_NORMAL, 11, tensor);
    for (size_t i = 0; i < t.count; i++)
        t.v[i] = x[i];
    free(x);
    return t;
}

Test(oracle, the_reference_passes_against_itself_for_every_kernel)
{
    size_t s2[2] = {3, 4}, s4[4] = {1, 2, 3, 4}, sq[2] = {4, 4}, sy[1] = {4};
    vf_tensor x = normal_f32(2, s2, 1), b = normal_f32(2, sq, 2);
    vf_tensor q = normal_f32(4, s4, 3), k = normal_f32(4, s4, 4), v = normal_f32(4, s4, 5);
    vf_tensor y = normal_f32(1, sy, 6), g = normal_f32(2, s2, 14);
    for (size_t r = 0; r < 3; r++) /* cone groups with a positive apex: not all zeroed */
        g.v[r * 4] = fabs(g.v[r * 4]) + 0.5;
    struct {
        vf_kernel k;
        const vf_tensor *in[3];
    } c[] = {{VF_K_SOFTMAX, {&x}},   {VF_K_LOG_SOFTMAX, {&x}}, {VF_K_LOGSUMEXP, {&x}},
             {VF_K_RELU, {&x}},      {VF_K_LORENTZ, {&g}},     {VF_K_COLU, {&g}},
             {VF_K_MATMUL, {&x, &b}}, {VF_K_LINEAR_ATTENTION, {&q, &k, &v}},
             {VF_K_ATTENTION, {&q, &k, &v}}, {VF_K_OLS, {&b, &y}}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        vf_oracle_opts o = opts();
        vf_tensor r = ref(c[i].k, c[i].in, o, VF_DT_F32);
        o.tol = VF_TOL_ULP;
        o.tol_value = 0.5;
        vf_oracle_report rep = cmp(c[i].k, c[i].in, &r, o);
        cr_assert_eq(rep.status, VF_ORACLE_PASSED, "%s: %s", vf_kernel_name(c[i].k), rep.why);
        cr_assert(rep.sum.max_ulp <= 0.5 && rep.n_fail == 0 && rep.sum.n == r.count);
        vf_tensor_clear(&r);
    }
    vf_tensor *all[] = {&x, &b, &q, &k, &v, &y, &g};
    for (int i = 0; i < 7; i++)
        vf_tensor_clear(all[i]);
}

Test(oracle, one_ulp_off_fails_at_half_ulp_and_names_the_point)
{
    size_t s[2] = {3, 5};
    vf_tensor x = normal_f32(2, s, 7);
    const vf_tensor *in[] = {&x};
    vf_tensor c = ref(VF_K_SOFTMAX, in, opts(), VF_DT_F32);
    c.v[7] = nextafterf((float)c.v[7], 2.0f); /* point [1, 2] */
    vf_oracle_opts o = opts();
    o.tol = VF_TOL_ULP;
    o.tol_value = 0.5;
    vf_oracle_report r = cmp(VF_K_SOFTMAX, in, &c, o);
    cr_assert_eq(r.status, VF_ORACLE_FAILED);
    cr_assert_eq(r.n_fail, 1);
    cr_assert(r.worst[0].fails && r.worst[0].idx[0] == 1 && r.worst[0].idx[1] == 2);
    cr_assert(r.worst[0].ulp > 0.5 && r.worst[0].ulp < 1.5, "%g", r.worst[0].ulp);
    cr_assert_eq(r.worst[0].got, c.v[7]);
    cr_assert(strlen(r.worst[0].exact) > 30, "exact value printed at 40 digits: %s",
              r.worst[0].exact);
    o.tol = VF_TOL_AUTO; /* one ulp is within (N+3)u */
    cr_assert_eq(cmp(VF_K_SOFTMAX, in, &c, o).status, VF_ORACLE_PASSED);
    o.tol = VF_TOL_REL;
    o.tol_value = 1e-9;
    cr_assert_eq(cmp(VF_K_SOFTMAX, in, &c, o).status, VF_ORACLE_FAILED);
    o.tol_value = 1e-6;
    cr_assert_eq(cmp(VF_K_SOFTMAX, in, &c, o).status, VF_ORACLE_PASSED);
    vf_tensor_clear(&c);
    vf_tensor_clear(&x);
}

Test(oracle, auto_tolerance_catches_a_real_bug)
{
    /* a "kernel" that forgets the last entry of each row in the normaliser */
    size_t s[2] = {4, 16};
    vf_tensor x = normal_f32(2, s, 8), c = T(VF_DT_F32, 2, s, NULL);
    for (size_t r = 0; r < 4; r++) {
        double z = 0;
        for (size_t j = 0; j + 1 < 16; j++)
            z += exp(x.v[r * 16 + j]);
        for (size_t j = 0; j < 16; j++)
            c.v[r * 16 + j] = (float)(exp(x.v[r * 16 + j]) / z);
    }
    vf_oracle_report r = cmp(VF_K_SOFTMAX, (const vf_tensor *[]){&x}, &c, opts());
    cr_assert_eq(r.status, VF_ORACLE_FAILED, "%s", r.why);
    cr_assert_eq(r.n_fail, 64);
    vf_tensor_clear(&c);
    vf_tensor_clear(&x);
}

Test(oracle, nan_where_exact_is_finite_is_a_failed_point)
{
    size_t s[2] = {2, 3};
    vf_tensor x = normal_f32(2, s, 9);
    const vf_tensor *in[] = {&x};
    vf_tensor c = ref(VF_K_SOFTMAX, in, opts(), VF_DT_F32);
    c.v[4] = NAN;
    c.v[5] = INFINITY;
    vf_oracle_report r = cmp(VF_K_SOFTMAX, in, &c, opts());
    cr_assert_eq(r.status, VF_ORACLE_FAILED);
    cr_assert_eq(r.n_fail, 2);
    cr_assert(r.sum.count[VF_ULP_GOT_NAN] == 1 && r.sum.count[VF_ULP_GOT_INF] == 1);
    cr_assert(r.worst[0].fails && isinf(r.worst[0].ulp));
    vf_tensor_clear(&c);
    vf_tensor_clear(&x);
}

Test(oracle, degenerate_data_is_mistrusted)
{
    size_t s[1] = {64}, s2[2] = {4, 8};
    vf_tensor x = T(VF_DT_F32, 1, s, NULL), z = T(VF_DT_F32, 2, s2, NULL);
    for (size_t i = 0; i < 64; i++)
        x.v[i] = -(double)(i + 1); /* relu of negatives: every output 0 */
    vf_tensor c = T(VF_DT_F32, 1, s, NULL);
    vf_oracle_report r = cmp(VF_K_RELU, (const vf_tensor *[]){&x}, &c, opts());
    cr_assert_eq(r.status, VF_ORACLE_MISTRUSTED, "%s", r.why);
    cr_assert(strstr(r.why, "round to 0"), "%s", r.why);
    cr_assert_eq(vf_oracle_exit(r.status), 1);
    vf_tensor p = ref(VF_K_SOFTMAX, (const vf_tensor *[]){&z}, opts(), VF_DT_F32);
    r = cmp(VF_K_SOFTMAX, (const vf_tensor *[]){&z}, &p, opts());
    cr_assert_eq(r.status, VF_ORACLE_MISTRUSTED, "all-zero logits: %s", r.why);
    cr_assert(strstr(r.why, "constant"), "%s", r.why);
    vf_tensor *all[] = {&x, &z, &c, &p};
    for (int i = 0; i < 4; i++)
        vf_tensor_clear(all[i]);
}

Test(oracle, precision_cap_gives_uncertified)
{
    /* 1 + 2^-53 + 2^-130: at 128 bits its enclosure straddles the f64 tie 1 + 2^-53 */
    size_t sa[2] = {1, 3}, sb[2] = {3, 1};
    const double a[] = {1, 0x1p-53, 0x1p-65}, b[] = {1, 1, 0x1p-65};
    vf_tensor A = T(VF_DT_F64, 2, sa, a), B = T(VF_DT_F64, 2, sb, b);
    const vf_tensor *in[] = {&A, &B};
    vf_oracle_opts o = opts();
    o.prec_max = 128;
    o.tol = VF_TOL_ULP;
    o.tol_value = 1;
    size_t s1[2] = {1, 1};
    const double one[] = {1};
    vf_tensor c = T(VF_DT_F64, 2, s1, one);
    vf_oracle_report r = cmp(VF_K_MATMUL, in, &c, o);
    cr_assert_eq(r.status, VF_ORACLE_UNCERTIFIED, "%s", r.why);
    cr_assert_eq(vf_oracle_exit(r.status), 99);
    o.prec_max = 0; /* default cap: certified (it rounds up: above the tie) */
    r = cmp(VF_K_MATMUL, in, &c, o);
    cr_assert_eq(r.status, VF_ORACLE_PASSED, "%s", r.why);
    cr_assert_eq(r.worst[0].expected, 1 + 0x1p-52);
    vf_tensor_clear(&A);
    vf_tensor_clear(&B);
    vf_tensor_clear(&c);
}

Test(oracle, rows_sample_is_deterministic_and_reported)
{
    size_t s[2] = {100, 4};
    vf_tensor x = normal_f32(2, s, 10);
    const vf_tensor *in[] = {&x};
    vf_tensor c = ref(VF_K_SOFTMAX, in, opts(), VF_DT_F32);
    for (size_t i = 0; i < c.count; i += 3)
        c.v[i] = nextafterf((float)c.v[i], 1.0f);
    vf_oracle_opts o = opts();
    o.rows_sample = 10;
    o.seed = 5;
    vf_oracle_report r1 = cmp(VF_K_SOFTMAX, in, &c, o), r2 = cmp(VF_K_SOFTMAX, in, &c, o);
    cr_assert(r1.sampled && r1.rows_checked == 10 && r1.rows_total == 100 && r1.seed == 5);
    cr_assert_eq(r1.sum.n, 40);
    cr_assert(r1.worst[0].flat == r2.worst[0].flat && r1.sum.max_ulp == r2.sum.max_ulp);
    o.rows_sample = 1000; /* more than there are: every row, not "sampled" */
    vf_oracle_report r3 = cmp(VF_K_SOFTMAX, in, &c, o);
    cr_assert(!r3.sampled && r3.rows_checked == 100);
    vf_tensor_clear(&c);
    vf_tensor_clear(&x);
}

/* ---------------------------------------------------------------- bad input */

Test(oracle, bad_input_is_a_clear_error)
{
    size_t s[2] = {2, 3}, s3[2] = {3, 2};
    const double nanv[] = {1, NAN, 2, 0, 0, 0}, masked[] = {1, 2, 3, -INFINITY, -INFINITY,
                                                            -INFINITY};
    vf_tensor x = normal_f32(2, s, 12), xt = normal_f32(2, s3, 13);
    vf_tensor x64 = T(VF_DT_F64, 2, s, x.v), xn = T(VF_DT_F32, 2, s, nanv),
              xm = T(VF_DT_F32, 2, s, masked);
    vf_oracle_report r;
    vf_err e;
    vf_oracle_opts o = opts();
    cr_assert_eq(vf_compare_softmax(&r, &x, &xt, &o, &e), VF_E_SHAPE);
    cr_assert(strstr(e.msg, "[3, 2]") && strstr(e.msg, "[2, 3]"), "%s", e.msg);
    cr_assert_eq(vf_compare_softmax(&r, &x, &x64, &o, &e), VF_E_FORMAT);
    cr_assert(strstr(e.msg, "dtype"), "%s", e.msg);
    cr_assert_eq(vf_compare_softmax(&r, &xn, &x, &o, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "NaN") && strstr(e.msg, "[0, 1]"), "%s", e.msg);
    cr_assert_eq(vf_compare_softmax(&r, &xm, &x, &o, &e), VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "row 1") && strstr(e.msg, "no finite entry"), "%s", e.msg);
    cr_assert_eq(vf_compare_matmul(&r, &x, &x, &x, &o, &e), VF_E_SHAPE, "%s", e.msg);
    cr_assert_eq(vf_compare_matmul(&r, &x, &x64, &x, &o, &e), VF_E_FORMAT, "%s", e.msg);
    cr_assert_eq(vf_compare_relu(&r, &xm, &xm, &o, &e), VF_E_DOMAIN, "-inf is not a relu input");
    /* rank-deficient design; auto refused for ols */
    size_t sx[2] = {3, 2}, sy[1] = {3};
    const double X[] = {1, 2, 2, 4, 3, 6}, y[] = {1, 2, 3};
    vf_tensor tX = T(VF_DT_F32, 2, sx, X), ty = T(VF_DT_F32, 1, sy, y);
    cr_assert_eq(vf_compare(&r, VF_K_OLS, (const vf_tensor *[]){&tX, &ty}, &ty, &o, &e),
                 VF_E_USAGE);
    cr_assert(strstr(e.msg, "kappa"), "%s", e.msg);
    o.tol = VF_TOL_ULP;
    o.tol_value = 1;
    cr_assert_eq(vf_compare(&r, VF_K_OLS, (const vf_tensor *[]){&tX, &ty}, &ty, &o, &e),
                 VF_E_DOMAIN);
    cr_assert(strstr(e.msg, "rank"), "%s", e.msg);
    o.temperature = -1;
    vf_tensor out = {0};
    cr_assert_eq(vf_reference_softmax(&out, &x, &o, &e), VF_E_USAGE);
    vf_tensor *all[] = {&x, &xt, &x64, &xn, &xm, &tX, &ty};
    for (int i = 0; i < 7; i++)
        vf_tensor_clear(all[i]);
}

/* ---------------------------------------------------------------- dogfooding */

Test(oracle, fast_relu_on_every_isa_goes_through_vf_compare)
{
    enum { N = 1003 };
    float x[N], y[N];
    vf_fill_f32(x, N, VF_FILL_NORMAL, 21, 0);
    x[0] = -0.0f;
    x[1] = 0x1p-149f;
    x[2] = -0x1p-149f;
    x[3] = 3.4e38f;
    size_t s[1] = {N};
    vf_tensor tx;
    vf_err e;
    cr_assert_eq(vf_oracle_tensor_f32(&tx, x, 1, s, &e), VF_OK);
    int ran = 0;
    for (int isa = 0; isa < VF_ISA__COUNT; isa++) {
        if (!vf_isa_supported((vf_isa)isa))
            continue;
        cr_assert_eq(vf_isa_set((vf_isa)isa, &e), VF_OK, "%s", e.msg);
        vf_relu_f32(x, y, N);
        vf_tensor ty;
        cr_assert_eq(vf_oracle_tensor_f32(&ty, y, 1, s, &e), VF_OK);
        vf_oracle_opts o = opts(); /* auto: relu is exact, bound 0 */
        vf_oracle_report r;
        cr_assert_eq(vf_compare_relu(&r, &tx, &ty, &o, &e), VF_OK, "%s", e.msg);
        cr_assert_eq(r.status, VF_ORACLE_PASSED, "%s: %s", vf_isa_name((vf_isa)isa), r.why);
        cr_assert(r.sum.max_ulp == 0 && r.sum.n == N);
        vf_tensor_clear(&ty);
        ran++;
    }
    cr_assert(ran >= 1);
    vf_tensor_clear(&tx);
}
