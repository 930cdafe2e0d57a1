/* `veriformer simulate mean-field` and the vf_meanfield kernels behind it (THEORY.md §4):
 * clustering for d >= 3, certified energy monotonicity, edge cases, bad options.
 *
 * Step size.  Along the exact SA flow dE/dt = Σ_i (n²/Z_i)|grad_i E|² >= 0 (THEORY §4.3), so a
 * step can lower E only through its local error.  Near a cluster the SA linearisation decays at
 * rate 2 (ε = 1 - ρ, ε' ≈ -2ε, §4.5), USA at 2e^β; RK4 multiplies such a mode by
 * R(z) = 1 + z + z²/2 + z³/6 + z⁴/24 with z = -hλ, and 0 < R(z) < 1 for z in (-2.78, 0), so the
 * energy deficit shrinks mode by mode.  With h = 1/10, z = -0.2 (SA) and -0.54 (USA, β = 1), far
 * inside; away from equilibria the increase h·dE/dt dominates the O(h^5) local error.  The run
 * checks it with certified enclosures (no step with hi(E_k+1) < lo(E_k)), no tolerance; the
 * control run with h = 3 (z = -6, outside) shows a certified decrease, so the check can fail. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vf_meanfield.h"

static char out[1 << 16];

/* Last CSV row of path: clusters and min inner product (columns 5 and 6); returns the rows. */
static int last_row(const char *path, long *clusters, double *min_inner)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "CSV %s written", path);
    char line[512], last[512] = "";
    int rows = 0;
    while (fgets(line, sizeof line, f))
        if (line[0] >= '0' && line[0] <= '9') {
            strcpy(last, line);
            rows++;
        }
    fclose(f);
    unsigned long step;
    double t, en, w;
    cr_assert_eq(sscanf(last, "%lu,%lf,%lf,%lf,%ld,%lf", &step, &t, &en, &w, clusters, min_inner),
                 6, "last row '%s'", last);
    return rows;
}

static void clusters_to_one(const char *model)
{
    char path[256];
    snprintf(path, sizeof path, "%s/mf_%s.csv", test_tmpdir(), model);
    int rc = run_cli(out, sizeof out, "simulate mean-field --n 8 --d 3 --beta 1 --steps 200 "
                     "--dt 0.1 --model %s --csv %s", model, path);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
    cr_assert(strstr(out, "final: clusters 1,"), "%s", out);
    cr_assert(strstr(out, "energy monotone: yes"), "%s", out);
    long clusters;
    double min_inner;
    cr_assert_eq(last_row(path, &clusters, &min_inner), 201);
    cr_assert_eq(clusters, 1);
    cr_assert_geq(min_inner, 1 - 1e-6);
    FILE *f = fopen(path, "r");
    cr_assert(fgets(out, sizeof out, f) && strstr(out, "cluster_tol=1e-06"), "%s", out);
    cr_assert(fgets(out, sizeof out, f) && !strncmp(out, "step,t,energy,energy_width,", 27));
    fclose(f);
}

Test(simulate, sa_n8_d3_clusters_to_one_with_monotone_energy)
{
    clusters_to_one("sa");
}

Test(simulate, usa_n8_d3_clusters_to_one_with_monotone_energy)
{
    clusters_to_one("usa");
}

Test(simulate, too_large_step_is_caught_as_a_certified_decrease)
{
    int rc = run_cli(out, sizeof out, "simulate mean-field --n 8 --d 3 --beta 1 --steps 10 "
                     "--dt 3 --csv %s/mf_dt3.csv", test_tmpdir());
    cr_assert_eq(rc, 1, "exit %d: %s", rc, out);
    cr_assert(strstr(out, "energy monotone: no"), "%s", out);
}

/* The same run through the library: every energy enclosure compared with the previous one. */
Test(simulate, library_energy_enclosures_never_decrease)
{
    vf_err e;
    mpq_t beta, h;
    mpq_inits(beta, h, NULL);
    mpq_set_ui(beta, 1, 1);
    mpq_set_ui(h, 1, 10);
    vf_imat x = {0};
    cr_assert_eq(vf_imat_init(&x, 5, 3, 128, &e), VF_OK);
    static const int pts[5][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {-1, 0, 0}, {0, 0, -1}};
    for (size_t i = 0; i < 15; i++) /* a non-generic start: antipodal pairs and axes */
        mpfi_set_si(x.a[i], pts[i / 3][i % 3]);
    mpfi_set_ui(VF_I(&x, 1, 0), 1); /* token 1 off the axis: (1, 1, 0)/sqrt 2 after a step */
    cr_assert_eq(vf_mf_rk4_step(&x, beta, 1, h, &e), VF_OK, "%s", e.msg);
    mpfi_t en, prev;
    mpfi_init2(en, 128);
    mpfi_init2(prev, 128);
    mpfr_t mi;
    mpfr_init2(mi, 128);
    size_t clusters = 0;
    for (int k = 0; k < 150; k++) {
        vf_imat g = {0};
        cr_assert_eq(vf_mf_gram(&g, &x, &e), VF_OK);
        vf_mf_energy_gram(en, &g, beta);
        cr_assert_eq(vf_mf_clusters(&clusters, &g, 1e-6, mi, &e), VF_OK);
        vf_imat_clear(&g);
        if (k > 0)
            cr_assert(mpfr_greaterequal_p(&en->right, &prev->left), "E decreased at step %d", k);
        mpfi_set(prev, en);
        cr_assert_eq(vf_mf_rk4_step(&x, beta, 1, h, &e), VF_OK, "%s", e.msg);
    }
    cr_assert_eq(clusters, 1);
    mpfi_clear(en);
    mpfi_clear(prev);
    mpfr_clear(mi);
    vf_imat_clear(&x);
    mpq_clears(beta, h, NULL);
}

/* THEORY §4.7 edge cases: an antipodal pair is an equilibrium (zero velocity), a single token
 * does not move, coincident tokens are one cluster. */
Test(simulate, antipodal_pair_single_token_coincident)
{
    vf_err e;
    mpq_t beta;
    mpq_init(beta);
    mpq_set_ui(beta, 1, 1);
    vf_imat x = {0}, v = {0}, g = {0};
    cr_assert_eq(vf_imat_init(&x, 2, 3, 128, &e), VF_OK);
    for (size_t i = 0; i < 6; i++)
        mpfi_set_ui(x.a[i], 0);
    mpfi_set_ui(VF_I(&x, 0, 0), 1);
    mpfi_set_si(VF_I(&x, 1, 0), -1);
    for (int sa = 0; sa < 2; sa++) {
        cr_assert_eq(vf_mf_velocity(&v, &x, beta, sa, &e), VF_OK);
        for (size_t i = 0; i < 6; i++)
            cr_assert(mpfi_has_zero(v.a[i]) && vf_iv_abs_bits(v.a[i]) >= 120,
                      "antipodal velocity entry %zu encloses 0 tightly", i);
        vf_imat_clear(&v);
    }
    mpfr_t mi;
    mpfr_init2(mi, 128);
    size_t clusters = 0;
    mpfi_set_ui(VF_I(&x, 1, 0), 1); /* coincident */
    cr_assert_eq(vf_mf_gram(&g, &x, &e), VF_OK);
    cr_assert_eq(vf_mf_clusters(&clusters, &g, 1e-6, mi, &e), VF_OK);
    cr_assert_eq(clusters, 1);
    cr_assert(mpfr_cmp_ui(mi, 1) == 0);
    vf_imat_clear(&g);
    vf_imat_clear(&x);
    mpfr_clear(mi);
    mpq_clear(beta);
    int rc = run_cli(out, sizeof out, "simulate mean-field --n 1 --d 3 --beta 1 --steps 5");
    cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
    /* one token: E_1 = e^1/2 at every step, no pair (min inner product NaN) */
    cr_assert(strstr(out, "\n5,0.5,1.3591409142295226177,"), "%s", out);
    cr_assert(strstr(out, ",1,nan\n"), "%s", out);
}

Test(simulate, bad_options_exit_2_with_a_message)
{
    static const struct {
        const char *args, *msg;
    } bad[] = {
        {"--n 0 --d 3 --beta 1 --steps 5", "--n 0 is out of range"},
        {"--n 4 --d 1 --beta 1 --steps 5", "--d 1 is out of range"},
        {"--n 4 --d 3 --beta 1 --steps -3", "--steps needs a non-negative integer"},
        {"--n 4 --d 3 --beta 1 --steps 5 --model xyz", "unknown model 'xyz'"},
        {"--n 4 --d 3 --beta abc --steps 5", "--beta needs a number"},
        {"--n 4 --d 3 --beta 1 --steps 5 --dt 0", "--dt must be > 0"},
        {"--n 4 --d 3 --beta 1 --steps 5 --cluster-tol x", "--cluster-tol needs a number"},
        {"--n 4 --d 3 --beta 1", "needs --n, --d, --beta and --steps"},
        {"--n 4 --d 3 --beta 1 --steps 5 --bogus 1", "unknown option '--bogus'"},
        {"--n 4 --d 3 --beta 1 --steps", "--steps needs a value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = run_cli(out, sizeof out, "simulate mean-field %s", bad[i].args);
        cr_assert_eq(rc, 2, "'%s': exit %d: %s", bad[i].args, rc, out);
        cr_assert(strstr(out, bad[i].msg), "'%s': expected '%s' in: %s", bad[i].args,
                  bad[i].msg, out);
    }
    int rc = run_cli(out, sizeof out, "simulate --n 4");
    cr_assert_eq(rc, 2);
    cr_assert(strstr(out, "simulate needs a model family"), "%s", out);
}
