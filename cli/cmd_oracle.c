/* cmd_oracle.c — `veriformer reference KERNEL` and `veriformer compare KERNEL` (ref/vf_oracle.h).
 *
 *   reference KERNEL --in x.npy [--in ...] --out ref.npy [--dtype f16|f32|f64] [--axis -1]
 *             [--scale S] [--causal] [--temperature T] [--prec-max BITS]
 *   compare   KERNEL --in x.npy [--in ...] --candidate y.npy [--max-ulp K | --tol rel:E |
 *             --tol auto] [--rows-sample N] [--seed S] [--json] (+ the kernel options above)
 *
 * Exit codes: 0 PASSED (reference: every element certified), 1 FAILED or MISTRUSTED (see
 * vf_oracle.h for why MISTRUSTED is 1), 2 usage, I/O or invalid input, 99 UNCERTIFIED.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vf_npy.h"
#include "vf_oracle.h"
#include "vf_rng.h"

typedef struct oargs {
    int compare;
    vf_kernel k;
    const char *in[3];
    int nin;
    const char *out, *cand;
    vf_oracle_opts o;
    int dtype_set, seed_set, json;
    long axis;
} oargs;

static const char *dt_name(vf_dtype dt)
{
    return dt == VF_DT_F16 ? "f16" : dt == VF_DT_F32 ? "f32" : "f64";
}

static int parse_double(const char *opt, const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    *out = strtod(text, &end);
    if (!*text || *end || errno == ERANGE || !isfinite(*out)) {
        cli_usage_error("%s needs a finite number, got '%s'", opt, text);
        return -1;
    }
    return 0;
}

static int parse_tol(const char *text, vf_oracle_opts *o)
{
    if (!strcmp(text, "auto")) {
        o->tol = VF_TOL_AUTO;
        return 0;
    }
    if (!strncmp(text, "rel:", 4) && !parse_double("--tol rel:", text + 4, &o->tol_value) &&
        o->tol_value >= 0) {
        o->tol = VF_TOL_REL;
        return 0;
    }
    cli_usage_error("--tol takes 'auto' or 'rel:E' (E >= 0), got '%s' (ULP bounds: --max-ulp K)",
                    text);
    return -1;
}

static int parse_args(int argc, char **argv, int compare, oargs *a)
{
    const char *cmd = compare ? "compare" : "reference";
    *a = (oargs){.compare = compare, .axis = -1};
    vf_oracle_opts_default(&a->o);
    if (argc < 2 || argv[1][0] == '-')
        return cli_usage_error("%s: name a kernel first (softmax, log_softmax, logsumexp, relu, "
                               "lorentz_projection, colu, matmul, linear_attention, attention, "
                               "ols)", cmd);
    int k = vf_kernel_from_name(argv[1]);
    if (k < 0)
        return cli_usage_error("%s: unknown kernel '%s' (known: softmax, log_softmax, logsumexp, "
                               "relu, lorentz_projection, colu, matmul, linear_attention, "
                               "attention, ols)", cmd, argv[1]);
    a->k = (vf_kernel)k;
    for (int i = 2; i < argc; i++) {
        const char *opt = argv[i];
        if (!strcmp(opt, "--json") && compare) {
            a->json = 1;
            continue;
        }
        if (!strcmp(opt, "--causal")) {
            a->o.causal = 1;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error("%s: %s needs a value (or is unknown)", cmd, opt);
        const char *val = argv[++i];
        unsigned long long u;
        if (!strcmp(opt, "--in")) {
            if (a->nin >= 3)
                return cli_usage_error("%s: at most 3 --in files", cmd);
            a->in[a->nin++] = val;
        } else if (!strcmp(opt, "--out") && !compare) {
            a->out = val;
        } else if (!strcmp(opt, "--candidate") && compare) {
            a->cand = val;
        } else if (!strcmp(opt, "--dtype") && !compare) {
            if (!strcmp(val, "f16"))
                a->o.dtype = VF_DT_F16;
            else if (!strcmp(val, "f32"))
                a->o.dtype = VF_DT_F32;
            else if (!strcmp(val, "f64"))
                a->o.dtype = VF_DT_F64;
            else
                return cli_usage_error("--dtype takes f16, f32 or f64, got '%s'", val);
            a->dtype_set = 1;
        } else if (!strcmp(opt, "--axis")) {
            char *end = NULL;
            a->axis = strtol(val, &end, 10);
            if (!*val || *end)
                return cli_usage_error("--axis needs an integer, got '%s'", val);
        } else if (!strcmp(opt, "--scale")) {
            if (parse_double(opt, val, &a->o.scale))
                return VF_EXIT_USAGE;
        } else if (!strcmp(opt, "--temperature")) {
            if (parse_double(opt, val, &a->o.temperature))
                return VF_EXIT_USAGE;
        } else if (!strcmp(opt, "--max-ulp") && compare) {
            if (parse_double(opt, val, &a->o.tol_value) || a->o.tol_value < 0)
                return cli_usage_error("--max-ulp needs a number >= 0, got '%s'", val);
            a->o.tol = VF_TOL_ULP;
        } else if (!strcmp(opt, "--tol") && compare) {
            if (parse_tol(val, &a->o))
                return VF_EXIT_USAGE;
        } else if (!strcmp(opt, "--rows-sample") && compare) {
            if (cli_parse_u64(opt, val, &u))
                return VF_EXIT_USAGE;
            a->o.rows_sample = (size_t)u;
        } else if (!strcmp(opt, "--seed") && compare) {
            if (cli_parse_u64(opt, val, &u))
                return VF_EXIT_USAGE;
            a->o.seed = u;
            a->seed_set = 1;
        } else if (!strcmp(opt, "--prec-max")) {
            if (cli_parse_u64(opt, val, &u))
                return VF_EXIT_USAGE;
            a->o.prec_max = (mpfr_prec_t)u;
        } else {
            return cli_usage_error("%s: unknown option '%s'", cmd, opt);
        }
    }
    int need = vf_kernel_inputs(a->k);
    if (a->nin != need)
        return cli_usage_error("%s %s needs %d --in file%s, got %d", cmd, argv[1], need,
                               need > 1 ? "s" : "", a->nin);
    if (!compare && !a->out)
        return cli_usage_error("reference: --out ref.npy is required");
    if (compare && !a->cand)
        return cli_usage_error("compare: --candidate y.npy is required");
    return VF_EXIT_PASS;
}

/* Loads the inputs (and the candidate); checks --axis against input 0. */
static int load(const oargs *a, vf_tensor *in, vf_tensor *cand)
{
    vf_err e;
    vf_err_clear(&e);
    for (int i = 0; i < a->nin; i++)
        if (vf_npy_read(&in[i], a->in[i], &e) != VF_OK)
            return cli_usage_error("%s", e.msg);
    if (cand && vf_npy_read(cand, a->cand, &e) != VF_OK)
        return cli_usage_error("%s", e.msg);
    if (a->axis != -1 && a->axis != (long)in[0].ndim - 1)
        return cli_usage_error("--axis %ld: only the last axis is supported (--axis -1)", a->axis);
    return VF_EXIT_PASS;
}

static void print_shape(FILE *f, int ndim, const size_t *shape, int json)
{
    fputc('[', f);
    for (int d = 0; d < ndim; d++)
        fprintf(f, "%s%zu", d ? ", " : "", shape[d]);
    fputc(']', f);
    (void)json;
}

static int run_reference(const oargs *a, vf_tensor *in)
{
    const vf_tensor *ptr[3] = {&in[0], &in[1], &in[2]};
    vf_oracle_opts o = a->o;
    if (!a->dtype_set)
        o.dtype = in[0].dtype;
    vf_tensor out = {0};
    vf_err e;
    size_t unc = 0;
    vf_err_clear(&e);
    int rc = vf_reference(&out, &unc, a->k, ptr, &o, &e);
    if (rc == VF_OK && vf_npy_write(&out, a->out, &e) != VF_OK)
        rc = e.code;
    if (rc != VF_OK) {
        fprintf(stderr, "veriformer: reference %s: %s\n", vf_kernel_name(a->k), e.msg);
        vf_tensor_clear(&out);
        return vf_exit_code((vf_code)rc);
    }
    printf("reference %s: wrote %s, %s ", vf_kernel_name(a->k), a->out, dt_name(o.dtype));
    print_shape(stdout, out.ndim, out.shape, 0);
    if (unc) {
        printf(", %zu of %zu elements UNCERTIFIED (precision cap reached; their value is the "
               "rounded midpoint)\n", unc, out.count);
        vf_tensor_clear(&out);
        return VF_EXIT_INTERNAL;
    }
    printf(", all %zu elements certified correctly rounded\n", out.count);
    vf_tensor_clear(&out);
    return VF_EXIT_PASS;
}

static const char *const roles[VF_K__COUNT][3] = {
    {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"A", "B"}, {"Q", "K", "V"}, {"Q", "K", "V"},
    {"X", "y"}};

/* The repro line: this very command, with the seed made explicit when rows were sampled. */
static void repro(FILE *f, int argc, char **argv, const oargs *a, const vf_oracle_report *r)
{
    fputs("veriformer compare", f);
    for (int i = 1; i < argc; i++)
        fprintf(f, strpbrk(argv[i], " \t'\"") ? " '%s'" : " %s", argv[i]);
    if (r->sampled && !a->seed_set)
        fprintf(f, " --seed %llu", (unsigned long long)a->o.seed);
}

static void print_inputs(const oargs *a, const vf_tensor *in, const vf_oracle_point *pt)
{
    vf_oracle_span sp[3];
    const vf_tensor *ptr[3] = {&in[0], &in[1], &in[2]};
    int n = vf_oracle_point_inputs(sp, a->k, ptr, pt->flat);
    for (int s = 0; s < n; s++) {
        printf("      %s (%zu value%s from flat %zu, stride %zu):", roles[a->k][sp[s].tensor],
               sp[s].count, sp[s].count == 1 ? "" : "s", sp[s].start, sp[s].stride);
        for (size_t i = 0; i < sp[s].count && i < 8; i++)
            printf(" %a", in[sp[s].tensor].v[sp[s].start + i * sp[s].stride]);
        printf("%s\n", sp[s].count > 8 ? " ..." : "");
    }
}

static void print_index(FILE *f, const vf_oracle_report *r, const vf_oracle_point *pt)
{
    print_shape(f, r->out_ndim, pt->idx, 0);
}

static const char *tol_text(char *buf, size_t len, const vf_oracle_report *r)
{
    switch (r->tol) {
    case VF_TOL_ULP: snprintf(buf, len, "max-ulp %g", r->tol_value); break;
    case VF_TOL_REL: snprintf(buf, len, "rel %g (|got - x| <= E max(|x|, tiny))", r->tol_value);
        break;
    case VF_TOL_AUTO: snprintf(buf, len, "auto (first-order bound of THEORY.md §6 per point, "
                               "see vf_oracle.c)");
        break;
    }
    return buf;
}

static void print_text(int argc, char **argv, const oargs *a, const vf_tensor *in,
                       const vf_tensor *cand, const vf_oracle_report *r)
{
    char buf[160];
    printf("veriformer compare %s\n", vf_kernel_name(a->k));
    for (int i = 0; i < a->nin; i++) {
        printf("%-11s %s = %s %s ", i ? "" : "inputs", roles[a->k][i], a->in[i],
               dt_name(in[i].dtype));
        print_shape(stdout, in[i].ndim, in[i].shape, 0);
        putchar('\n');
    }
    printf("candidate   %s %s ", a->cand, dt_name(cand->dtype));
    print_shape(stdout, cand->ndim, cand->shape, 0);
    putchar('\n');
    if (r->sampled)
        printf("rows        %zu of %zu rows SAMPLED at random (seed %llu), %zu points each: "
               "the other rows were not checked\n", r->rows_checked, r->rows_total,
               (unsigned long long)r->seed, r->row_len);
    else
        printf("rows        all %zu rows, %zu points each\n", r->rows_total, r->row_len);
    printf("tolerance   %s\n", tol_text(buf, sizeof buf, r));
    printf("points      %zu checked, %zu uncertified, reference precision up to %ld bits\n",
           r->sum.n, r->n_uncertified, (long)r->prec_used);
    printf("max ulp     %.4g\np99 ulp     %.4g\nmax rel     %.4g\nl2 rel      %.4g\n",
           r->sum.max_ulp, r->sum.p99_ulp, r->sum.max_hybrid, r->sum.l2_rel);
    printf("mismatches  %zu (", r->sum.mismatches);
    for (int c = 1; c < 6; c++)
        printf("%s%s %zu", c > 1 ? ", " : "", vf_ulp_class_name((vf_ulp_class)c),
               r->sum.count[c]);
    printf(")\n");
    size_t shown = r->n_fail ? (r->n_fail < r->n_worst ? r->n_fail : r->n_worst)
                             : (r->n_worst ? 1 : 0);
    if (r->n_fail)
        printf("failing     %zu point%s, the %zu worst:\n", r->n_fail, r->n_fail == 1 ? "" : "s",
               shown);
    else if (shown)
        printf("worst point (passing):\n");
    for (size_t i = 0; i < shown; i++) {
        const vf_oracle_point *pt = &r->worst[i];
        printf("  ");
        print_index(stdout, r, pt);
        printf("  exact %s (%a)  expected %a  got %a  ulp %.4g%s%s  |err| %.3g, bound %.3g%s\n",
               pt->exact, pt->exact_d, pt->expected, pt->got, pt->ulp,
               pt->cls ? " " : "", pt->cls ? vf_ulp_class_name(pt->cls) : "", pt->abs_err,
               pt->bound, r->tol == VF_TOL_ULP ? " ulp" : "");
        print_inputs(a, in, pt);
    }
    printf("repro       ");
    repro(stdout, argc, argv, a, r);
    printf("\nstatus      %s: %s\n", vf_oracle_status_name(r->status), r->why);
    printf("%d:%s (%zu points, max %.4g ulp) __REPRO: ", r->status == VF_ORACLE_PASSED ? 0 : 1,
           vf_oracle_status_name(r->status), r->sum.n, r->sum.max_ulp);
    repro(stdout, argc, argv, a, r);
    putchar('\n');
}

static void json_num(double x)
{
    if (isfinite(x))
        printf("%.17g", x);
    else
        printf("null");
}

static void json_hex(double x)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%a", x);
    json_str(stdout, buf);
}

static void json_tensor(const char *path, const vf_tensor *t)
{
    printf("{\"path\": ");
    json_str(stdout, path);
    printf(", \"dtype\": \"%s\", \"shape\": ", dt_name(t->dtype));
    print_shape(stdout, t->ndim, t->shape, 1);
    printf("}");
}

static void print_json(int argc, char **argv, const oargs *a, const vf_tensor *in,
                       const vf_tensor *cand, const vf_oracle_report *r)
{
    static const char *const tk[] = {"auto", "max_ulp", "rel"};
    printf("{\"command\": \"compare\", \"kernel\": \"%s\", \"status\": \"%s\", \"exit\": %d, "
           "\"why\": ", vf_kernel_name(a->k), vf_oracle_status_name(r->status),
           vf_oracle_exit(r->status));
    json_str(stdout, r->why);
    printf(",\n \"inputs\": [");
    for (int i = 0; i < a->nin; i++) {
        printf(i ? ", " : "");
        json_tensor(a->in[i], &in[i]);
    }
    printf("],\n \"candidate\": ");
    json_tensor(a->cand, cand);
    printf(",\n \"tolerance\": {\"kind\": \"%s\", \"value\": ", tk[r->tol]);
    if (r->tol == VF_TOL_AUTO)
        printf("null");
    else
        json_num(r->tol_value);
    printf("},\n \"rows\": {\"total\": %zu, \"checked\": %zu, \"sampled\": %s, \"seed\": %llu},\n",
           r->rows_total, r->rows_checked, r->sampled ? "true" : "false",
           (unsigned long long)r->seed);
    printf(" \"points\": %zu, \"uncertified\": %zu, \"tiny\": %zu, \"failing\": %zu, "
           "\"prec_used\": %ld,\n", r->sum.n, r->n_uncertified, r->n_tiny, r->n_fail,
           (long)r->prec_used);
    printf(" \"max_ulp\": ");
    json_num(r->sum.max_ulp);
    printf(", \"p99_ulp\": ");
    json_num(r->sum.p99_ulp);
    printf(", \"max_rel\": ");
    json_num(r->sum.max_hybrid);
    printf(", \"l2_rel\": ");
    json_num(r->sum.l2_rel);
    printf(",\n \"mismatches\": {\"total\": %zu", r->sum.mismatches);
    for (int c = 1; c < 6; c++)
        printf(", \"%s\": %zu", vf_ulp_class_name((vf_ulp_class)c), r->sum.count[c]);
    printf("},\n \"worst\": [");
    for (size_t i = 0; i < r->n_worst; i++) {
        const vf_oracle_point *pt = &r->worst[i];
        printf("%s\n  {\"index\": ", i ? "," : "");
        print_shape(stdout, r->out_ndim, pt->idx, 1);
        printf(", \"flat\": %zu, \"exact\": ", pt->flat);
        json_str(stdout, pt->exact);
        printf(", \"exact_a\": ");
        json_hex(pt->exact_d);
        printf(", \"expected\": ");
        json_hex(pt->expected);
        printf(", \"got\": ");
        json_hex(pt->got);
        printf(", \"ulp\": ");
        json_num(pt->ulp);
        printf(", \"class\": \"%s\", \"abs_err\": ", vf_ulp_class_name(pt->cls));
        json_num(pt->abs_err);
        printf(", \"bound\": ");
        json_num(pt->bound);
        printf(", \"fails\": %s, \"certified\": %s}", pt->fails ? "true" : "false",
               pt->certified ? "true" : "false");
    }
    printf("],\n \"repro\": ");
    char line[4096];
    FILE *m = fmemopen(line, sizeof line, "w");
    if (m) {
        repro(m, argc, argv, a, r);
        fclose(m);
    } else {
        line[0] = '\0';
    }
    json_str(stdout, line);
    printf(",\n \"env\": ");
    json_env(stdout, (unsigned long long)r->seed, (long)r->prec_used);
    printf("}\n");
}

static int run_compare(int argc, char **argv, const oargs *a, vf_tensor *in, vf_tensor *cand)
{
    const vf_tensor *ptr[3] = {&in[0], &in[1], &in[2]};
    vf_oracle_report *r = calloc(1, sizeof *r);
    vf_err e;
    vf_err_clear(&e);
    if (!r)
        return cli_usage_error("out of memory");
    int rc = vf_compare(r, a->k, ptr, cand, &a->o, &e);
    if (rc != VF_OK) {
        fprintf(stderr, "veriformer: compare %s: %s\n", vf_kernel_name(a->k), e.msg);
        free(r);
        return vf_exit_code((vf_code)rc);
    }
    if (a->json)
        print_json(argc, argv, a, in, cand, r);
    else
        print_text(argc, argv, a, in, cand, r);
    int code = vf_oracle_exit(r->status);
    free(r);
    return code;
}

static int run(int argc, char **argv, int compare)
{
    oargs a;
    int code = parse_args(argc, argv, compare, &a);
    if (code != VF_EXIT_PASS)
        return code;
    vf_tensor in[3] = {{0}}, cand = {0};
    code = load(&a, in, compare ? &cand : NULL);
    if (code == VF_EXIT_PASS)
        code = compare ? run_compare(argc, argv, &a, in, &cand) : run_reference(&a, in);
    for (int i = 0; i < 3; i++)
        vf_tensor_clear(&in[i]);
    vf_tensor_clear(&cand);
    return code;
}

int cmd_reference(int argc, char **argv)
{
    return run(argc, argv, 0);
}

int cmd_compare(int argc, char **argv)
{
    return run(argc, argv, 1);
}
