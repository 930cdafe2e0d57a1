/* cmd_simulate.c — `veriformer simulate mean-field`: the SA / USA particle ODE on the sphere
 * (THEORY.md §4.2) integrated at high precision, with the energy E_β and the clusters over time.
 *
 * Method: classical RK4 with a fixed step h on the ambient ODE (the velocity formula extended
 * off the sphere; its flow keeps |x_i| = 1 invariant), each step followed by renormalising every
 * token onto the sphere (vf_mf_rk4_step).  RK4 because the field is analytic, so the local error
 * is O(h^5), and the linearisation at a cluster (decay rates 2 for SA, 2e^β for USA) stays well
 * inside RK4's real stability interval (-2.78, 0) for moderate h.  The projection moves a token
 * only by the normal part of that local error, so the order is kept and the state never drifts
 * off the sphere.  Arithmetic is MPFI at --prec bits; the state is the midpoint of each step
 * (a computed trajectory, not an enclosure of the exact one).
 *
 * What is certified: E_β of each computed state is an MPFI enclosure (its width is a column).
 * Monotonicity: dE/dt = Σ_i (n²/Z_i)|grad_i E|² >= 0 along the exact SA flow (n|grad_i E|² for
 * USA); a step can lower E only through its O(h^5) local error, so with h small the increments
 * stay >= 0.  The run checks it: "energy monotone: yes" iff no step has hi(E_{k+1}) < lo(E_k)
 * (no certified decrease); a certified decrease makes the exit code 1.
 *
 * Initial condition: token i is the rational Pythagorean unit vector vf_qgen_unit_vector(seed,
 * SIM_TENSOR + i), rounded to --prec bits.  Clusters: connected components of the graph
 * <x_i, x_j> >= 1 - tol (--cluster-tol, default 1e-6).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vf_meanfield.h"
#include "vf_qgen.h"
#include "vf_rng.h"

#define SIM_TENSOR UINT64_C(0x53494d00) /* "SIM": tensor ids of the initial tokens */

typedef struct {
    unsigned long long n, d, steps, seed, prec;
    mpq_t beta, dt;
    int sa;
    double tol;
    const char *csv;
} sim_args;

/* Exact rational option (integer, decimal or p/q). */
static int parse_q(const char *opt, const char *val, mpq_t out)
{
    vf_err e;
    if (vf_q_set_str(out, val, &e) != VF_OK)
        return cli_usage_error("%s needs a number (integer, decimal or p/q), got '%s'", opt, val);
    return 0;
}

static int parse_args(int argc, char **argv, sim_args *a)
{
    int have_n = 0, have_d = 0, have_beta = 0, have_steps = 0;
    if (argc < 2 || strcmp(argv[1], "mean-field"))
        return cli_usage_error("simulate needs a model family: simulate mean-field --n N --d D "
                               "--beta B --steps S [options]");
    for (int i = 2; i < argc; i++) {
        const char *opt = argv[i];
        if (i + 1 >= argc)
            return cli_usage_error("%s needs a value", opt);
        const char *val = argv[++i];
        unsigned long long *u = !strcmp(opt, "--n")       ? &a->n
                                : !strcmp(opt, "--d")     ? &a->d
                                : !strcmp(opt, "--steps") ? &a->steps
                                : !strcmp(opt, "--seed")  ? &a->seed
                                : !strcmp(opt, "--prec")  ? &a->prec
                                                          : NULL;
        if (u) {
            if (cli_parse_u64(opt, val, u))
                return VF_EXIT_USAGE;
            have_n |= u == &a->n;
            have_d |= u == &a->d;
            have_steps |= u == &a->steps;
        } else if (!strcmp(opt, "--beta")) {
            if (parse_q(opt, val, a->beta))
                return VF_EXIT_USAGE;
            have_beta = 1;
        } else if (!strcmp(opt, "--dt")) {
            if (parse_q(opt, val, a->dt))
                return VF_EXIT_USAGE;
            if (mpq_sgn(a->dt) <= 0)
                return cli_usage_error("--dt must be > 0, got '%s'", val);
        } else if (!strcmp(opt, "--model")) {
            if (strcmp(val, "sa") && strcmp(val, "usa"))
                return cli_usage_error("unknown model '%s' (sa or usa)", val);
            a->sa = !strcmp(val, "sa");
        } else if (!strcmp(opt, "--cluster-tol")) {
            char *end = NULL;
            errno = 0;
            a->tol = strtod(val, &end);
            if (!*val || *end || errno || !(a->tol > 0 && a->tol < 2))
                return cli_usage_error("--cluster-tol needs a number in (0, 2), got '%s'", val);
        } else if (!strcmp(opt, "--csv")) {
            a->csv = val;
        } else {
            return cli_usage_error("unknown option '%s'", opt);
        }
    }
    if (!have_n || !have_d || !have_beta || !have_steps)
        return cli_usage_error("simulate mean-field needs --n, --d, --beta and --steps");
    if (a->n < 1 || a->n > 10000)
        return cli_usage_error("--n %llu is out of range (1..10000 tokens)", a->n);
    if (a->d < 2 || a->d > 10000)
        return cli_usage_error("--d %llu is out of range (2..10000: tokens live on S^{d-1})",
                               a->d);
    if (a->steps > 100000000)
        return cli_usage_error("--steps %llu is out of range (0..1e8)", a->steps);
    if (a->prec < 53 || a->prec > 100000)
        return cli_usage_error("--prec %llu is out of range (53..100000 bits)", a->prec);
    return 0;
}

/* Tokens (n x d point intervals): rational unit vectors rounded to the working precision. */
static int initial_tokens(vf_imat *x, const sim_args *a, vf_err *e)
{
    vf_qmat u = {0};
    vf_imat ui = {0};
    mpfr_t m;
    mpfr_init2(m, (mpfr_prec_t)a->prec);
    int rc = vf_imat_init(x, a->n, a->d, (mpfr_prec_t)a->prec, e);
    if (!rc && !(rc = vf_qmat_init(&u, a->d, 1, e)))
        rc = vf_imat_init(&ui, a->d, 1, (mpfr_prec_t)a->prec, e);
    for (size_t i = 0; i < a->n && !rc; i++)
        if (!(rc = vf_qgen_unit_vector(&u, a->seed, SIM_TENSOR + i, e)) &&
            !(rc = vf_imat_from_q(&ui, &u, e)))
            for (size_t j = 0; j < a->d; j++) {
                mpfi_mid(m, ui.a[j]);
                mpfi_set_fr(VF_I(x, i, j), m);
            }
    mpfr_clear(m);
    vf_qmat_clear(&u);
    vf_imat_clear(&ui);
    return rc;
}

typedef struct {
    size_t clusters, rises; /* rises: steps with a certified strict increase lo(E_k+1) > hi(E_k) */
    unsigned long long first_drop; /* first step with a certified decrease; 0 = none */
    mpfi_t energy, prev;
    mpfr_t min_inner, width;
} sim_obs;

/* Observes state x at step k: energy enclosure, clusters, min inner product; one CSV row. */
static int observe(FILE *out, sim_obs *o, const vf_imat *x, const sim_args *a,
                   unsigned long long k, vf_err *e)
{
    vf_imat g = {0};
    int rc;
    if (!(rc = vf_mf_gram(&g, x, e)) &&
        !(rc = vf_mf_clusters(&o->clusters, &g, a->tol, o->min_inner, e))) {
        vf_mf_energy_gram(o->energy, &g, a->beta);
        mpfi_diam_abs(o->width, o->energy);
        if (k > 0) {
            if (mpfr_less_p(&o->energy->right, &o->prev->left) && !o->first_drop)
                o->first_drop = k;
            if (mpfr_greater_p(&o->energy->left, &o->prev->right))
                o->rises++;
        }
        mpfi_set(o->prev, o->energy);
        mpq_t t;
        mpq_init(t);
        mpq_set_ui(t, (unsigned long)k, 1);
        mpq_mul(t, t, a->dt);
        mpfr_t mid;
        mpfr_init2(mid, x->prec);
        mpfi_mid(mid, o->energy);
        mpfr_fprintf(out, "%llu,%.10g,%.20Rg,%.3Re,%zu,%.20Rg\n", k, mpq_get_d(t), mid, o->width,
                     o->clusters, o->min_inner);
        mpfr_clear(mid);
        mpq_clear(t);
    }
    vf_imat_clear(&g);
    return rc;
}

static int simulate(FILE *out, const sim_args *a, vf_err *e)
{
    mpfr_prec_t p = (mpfr_prec_t)a->prec;
    char *bs = vf_q_str(a->beta), *hs = vf_q_str(a->dt);
    fprintf(out, "# veriformer simulate mean-field: model=%s n=%llu d=%llu beta=%s dt=%s "
            "steps=%llu seed=%llu prec=%llu cluster_tol=%g (clusters: components of "
            "<x_i,x_j> >= 1 - cluster_tol); RK4 + renormalisation; energy = midpoint of the "
            "certified enclosure of E_beta, energy_width = its width\n",
            a->sa ? "sa" : "usa", a->n, a->d, bs, hs, a->steps, a->seed, a->prec, a->tol);
    fprintf(out, "step,t,energy,energy_width,clusters(tol=%g),min_inner\n", a->tol);
    sim_obs o = {0};
    mpfi_init2(o.energy, p);
    mpfi_init2(o.prev, p);
    mpfr_init2(o.min_inner, p);
    mpfr_init2(o.width, p);
    vf_imat x = {0};
    int rc = initial_tokens(&x, a, e);
    for (unsigned long long k = 0; !rc && k <= a->steps; k++)
        if (!(rc = observe(out, &o, &x, a, k, e)) && k < a->steps)
            rc = vf_mf_rk4_step(&x, a->beta, a->sa, a->dt, e);
    if (!rc) {
        fprintf(stderr, "veriformer simulate mean-field: model %s, n %llu, d %llu, beta %s, "
                "dt %s, steps %llu, seed %llu, prec %llu bits, cluster-tol %g\n",
                a->sa ? "sa" : "usa", a->n, a->d, bs, hs, a->steps, a->seed, a->prec, a->tol);
        mpfr_ui_sub(o.min_inner, 1, o.min_inner, MPFR_RNDN);
        mpfr_fprintf(stderr, "  final: clusters %zu, 1 - min <x_i,x_j> = %.3Re, E_beta width "
                     "%.3Re\n", o.clusters, o.min_inner, o.width);
        if (o.first_drop)
            fprintf(stderr, "  energy monotone: no (certified decrease hi(E_k+1) < lo(E_k) first "
                    "at step %llu: dt too large for RK4 here)\n", o.first_drop);
        else
            fprintf(stderr, "  energy monotone: yes (no step with hi(E_k+1) < lo(E_k); certified "
                    "strict increase on %zu of %llu steps)\n", o.rises, a->steps);
    }
    free(bs);
    free(hs);
    vf_imat_clear(&x);
    mpfi_clear(o.energy);
    mpfi_clear(o.prev);
    mpfr_clear(o.min_inner);
    mpfr_clear(o.width);
    if (!rc && o.first_drop)
        rc = -1;
    return rc;
}

int cmd_simulate(int argc, char **argv)
{
    sim_args a = {.seed = VF_SEED_DEFAULT, .prec = 128, .sa = 1, .tol = 1e-6};
    mpq_inits(a.beta, a.dt, NULL);
    mpq_set_ui(a.dt, 1, 10);
    int code = parse_args(argc, argv, &a);
    FILE *out = stdout;
    if (!code && a.csv && !(out = fopen(a.csv, "w"))) {
        out = stdout;
        code = cli_usage_error("cannot write %s: %s", a.csv, strerror(errno));
    }
    if (!code) {
        vf_err e;
        vf_err_clear(&e);
        int rc = simulate(out, &a, &e);
        if (rc > 0)
            fprintf(stderr, "veriformer: simulate: %s%s\n", e.msg,
                    rc == VF_E_DOMAIN ? " (dt too large?)" : "");
        code = rc < 0 ? VF_EXIT_FAIL : rc ? vf_exit_code((vf_code)rc) : VF_EXIT_PASS;
        if (out != stdout && fclose(out) != 0 && !code)
            code = cli_usage_error("cannot write %s: %s", a.csv, strerror(errno));
    }
    mpq_clears(a.beta, a.dt, NULL);
    return code;
}
