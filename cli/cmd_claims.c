/* cmd_claims.c — `veriformer check CLAIM` and `veriformer claims`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vf_claims.h"

typedef struct {
    vf_claim_opts opts;
    int json;
    const char *claim;
} check_args;

/* Parses the options shared by check and claims; positional CLAIM only for check. */
static int parse_args(int argc, char **argv, int want_claim, check_args *a)
{
    vf_claim_opts_default(&a->opts);
    a->json = 0;
    a->claim = NULL;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        unsigned long long v;
        if (!strcmp(opt, "--json")) {
            a->json = 1;
            continue;
        }
        if (opt[0] != '-') {
            if (!want_claim || a->claim)
                return cli_usage_error("unexpected argument '%s'", opt);
            a->claim = opt;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error("%s needs a value", opt);
        const char *val = argv[++i];
        if (!strcmp(opt, "--in")) {
            if (a->opts.n_in >= VF_CLAIM_MAX_IN)
                return cli_usage_error("at most %d --in files", VF_CLAIM_MAX_IN);
            a->opts.in[a->opts.n_in++] = val;
            continue;
        }
        /* Regression data by role: --x is input 1 (design), --y input 2 (response). */
        if (!strcmp(opt, "--x") || !strcmp(opt, "--y")) {
            int k = opt[2] == 'x' ? 0 : 1;
            a->opts.in[k] = val;
            if (a->opts.n_in <= k)
                a->opts.n_in = k + 1;
            continue;
        }
        if (cli_parse_u64(opt, val, &v))
            return VF_EXIT_USAGE;
        if (!strcmp(opt, "--seed"))
            a->opts.seed = v;
        else if (!strcmp(opt, "--n") || !strcmp(opt, "--size"))
            a->opts.n = v;
        else if (!strcmp(opt, "--d"))
            a->opts.d = v;
        else if (!strcmp(opt, "--trials") && v >= 1 && v <= 1000000)
            a->opts.trials = (int)v;
        else if (!strcmp(opt, "--prec") && v >= 32 && v <= 1000000)
            a->opts.prec = (long)v;
        else if (!strcmp(opt, "--trials") || !strcmp(opt, "--prec"))
            return cli_usage_error("%s %s is out of range (trials 1..1e6, prec 32..1e6 bits)",
                                   opt, val);
        else
            return cli_usage_error("unknown option '%s'", opt);
        if ((!strcmp(opt, "--n") || !strcmp(opt, "--size") || !strcmp(opt, "--d")) &&
            (v < 1 || v > 100000))
            return cli_usage_error("%s %s is out of range (1..100000)", opt, val);
    }
    for (int k = 0; k < a->opts.n_in; k++)
        if (!a->opts.in[k])
            return cli_usage_error("input %d is missing (--y given without --x?)", k + 1);
    if (want_claim && !a->claim)
        return cli_usage_error("check needs a claim id (see: veriformer claims)");
    return VF_EXIT_PASS;
}

static void print_text(const vf_claim *c, const vf_claim_opts *o, const vf_claim_result *r)
{
    printf("claim      %s\n", c->id);
    printf("statement  %s\n", c->statement);
    printf("class      %s\n", vf_claim_class_name(c->cls));
    printf("source     %s\n", c->source);
    printf("seed       %llu\n", (unsigned long long)o->seed);
    printf("verdict    %s", vf_verdict_name(r->verdict));
    if (r->verdict == VF_CERTIFIED)
        printf(" (residual within 2^-%ld)", r->bits);
    printf("\nsummary    %s\n", r->summary);
    for (int i = 0; i < r->n_notes; i++)
        printf("  %-16s %s\n", r->notes[i].key, r->notes[i].value);
}

static void print_json(FILE *f, const vf_claim *c, const vf_claim_result *r)
{
    fputs("{\"claim\": ", f);
    json_str(f, c->id);
    fputs(", \"statement\": ", f);
    json_str(f, c->statement);
    fprintf(f, ", \"class\": \"%s\", \"source\": ", vf_claim_class_name(c->cls));
    json_str(f, c->source);
    fprintf(f, ", \"verdict\": \"%s\", \"expected\": \"%s\", \"bits\": %ld, \"summary\": ",
            vf_verdict_name(r->verdict), vf_verdict_name(c->expected), r->bits);
    json_str(f, r->summary);
    fputs(", \"notes\": {", f);
    for (int i = 0; i < r->n_notes; i++) {
        fputs(i ? ", " : "", f);
        json_str(f, r->notes[i].key);
        fputs(": ", f);
        json_str(f, r->notes[i].value);
    }
    fputs("}}", f);
}

int cmd_check(int argc, char **argv)
{
    check_args a;
    int rc = parse_args(argc, argv, 1, &a);
    if (rc)
        return rc;
    const vf_claim *c = vf_claim_find(a.claim);
    if (!c)
        return cli_usage_error("unknown claim '%s' (list them with: veriformer claims)", a.claim);
    vf_claim_result r;
    vf_err e;
    vf_err_clear(&e);
    if ((rc = vf_claim_run(c, &a.opts, &r, &e)) != VF_OK) {
        vf_claim_result_clear(&r);
        fprintf(stderr, "veriformer: check %s: %s\n", c->id, e.msg);
        return vf_exit_code((vf_code)rc);
    }
    if (a.json) {
        fputs("{\"result\": ", stdout);
        print_json(stdout, c, &r);
        fputs(", \"env\": ", stdout);
        json_env(stdout, a.opts.seed, a.opts.prec);
        fputs("}\n", stdout);
    } else {
        print_text(c, &a.opts, &r);
        if (r.verdict == VF_INVALID_INPUT)
            fprintf(stderr, "veriformer: invalid input: %s\n", r.summary);
    }
    int code = vf_verdict_exit_code(r.verdict);
    vf_claim_result_clear(&r);
    return code;
}

/* Every claim; exit 0 iff each verdict is the one expected (claims false as stated are expected
 * REFUTED), 1 if a verdict differs, the error's code if a check could not run. */
int cmd_claims(int argc, char **argv)
{
    check_args a;
    int rc = parse_args(argc, argv, 0, &a);
    if (rc)
        return rc;
    if (a.opts.n_in)
        return cli_usage_error("claims runs on generated data; use check CLAIM --in ...");
    size_t count;
    const vf_claim *const *all = vf_claims_all(&count);
    int exit_code = VF_EXIT_PASS, unexpected = 0;
    if (a.json)
        fputs("{\"claims\": [", stdout);
    else
        printf("seed %llu\n%-28s %-6s %-13s %-13s %s\n", (unsigned long long)a.opts.seed,
               "claim", "class", "verdict", "expected", "evidence");
    for (size_t i = 0; i < count; i++) {
        const vf_claim *c = all[i];
        vf_claim_result r;
        vf_err e;
        vf_err_clear(&e);
        rc = vf_claim_run(c, &a.opts, &r, &e);
        if (rc != VF_OK) {
            vf_claim_set(&r, VF_UNCERTIFIED, "error: %s", e.msg);
            exit_code = vf_exit_code((vf_code)rc);
        } else if (r.verdict != c->expected) {
            unexpected++;
        }
        if (a.json) {
            fputs(i ? ",\n  " : "\n  ", stdout);
            print_json(stdout, c, &r);
        } else {
            char verdict[32];
            snprintf(verdict, sizeof verdict, r.verdict == VF_CERTIFIED ? "%s/%ld" : "%s",
                     vf_verdict_name(r.verdict), r.bits);
            printf("%-28s %-6s %-13s %-13s %s\n", c->id, vf_claim_class_name(c->cls), verdict,
                   vf_verdict_name(c->expected), r.summary);
        }
        vf_claim_result_clear(&r);
    }
    if (a.json) {
        fputs("\n], \"env\": ", stdout);
        json_env(stdout, a.opts.seed, a.opts.prec);
        fputs("}\n", stdout);
    } else {
        printf("%zu claims, %zu as expected, %d unexpected\n", count, count - (size_t)unexpected,
               unexpected);
    }
    if (exit_code == VF_EXIT_PASS && unexpected)
        exit_code = VF_EXIT_FAIL;
    return exit_code;
}
