/* main.c — `veriformer` subcommand dispatch. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vf_fast.h"
#include "vf_status.h"

static const char usage[] =
    "usage: veriformer <command> [options]\n"
    "\n"
    "commands:\n"
    "  claims [--json] [--seed N]            check every claim, print the verdict table\n"
    "  check CLAIM [--seed N] [--n N] [--d D] [--trials K] [--prec BITS] [--in x.npy ...]\n"
    "        [--x X.npy --y y.npy] [--json]   check one claim (generated or user data)\n"
    "  env [--json]                          versions, ISA, defaults\n"
    "  reference KERNEL --in x.npy [--in ...] --out ref.npy [--dtype f16|f32|f64] [--axis -1]\n"
    "        [--scale S] [--causal] [--temperature T]   correctly rounded reference\n"
    "  compare KERNEL --in x.npy [--in ...] --candidate y.npy [--max-ulp K | --tol rel:E |\n"
    "        --tol auto] [--rows-sample N] [--seed S] [--json]   check a kernel's output\n"
    "        kernels: softmax log_softmax logsumexp relu lorentz_projection colu matmul\n"
    "                 linear_attention attention ols\n"
    "  simulate mean-field --n N --d D --beta B --steps S [--dt H] [--seed S] [--prec BITS]\n"
    "        [--model sa|usa] [--cluster-tol TOL] [--csv FILE]   particle ODE on the sphere\n"
    "        (RK4 + renormalisation): CSV of energy E_beta (certified), clusters, min <x_i,x_j>\n"
    "\n"
    "exit codes: 0 pass, 1 fail (claim refuted / candidate wrong), 2 usage, I/O or invalid\n"
    "input, 77 skipped, 99 internal error or uncertified.\n"
    "environment: VF_ISA=scalar|avx2|avx512 forces the fast-path ISA; VF_THREADS=N caps the\n"
    "fast path's threads (default 2; results do not depend on it).\n";

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("veriformer: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return VF_EXIT_USAGE;
}

int cli_parse_u64(const char *opt, const char *text, unsigned long long *out)
{
    char *end = NULL;
    if (!text || !*text || *text == '-') {
        cli_usage_error("%s needs a non-negative integer, got '%s'", opt, text ? text : "");
        return -1;
    }
    errno = 0;
    *out = strtoull(text, &end, 10);
    if (*end != '\0' || errno == ERANGE) {
        cli_usage_error("%s needs a non-negative integer, got '%s'", opt, text);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? VF_EXIT_USAGE : VF_EXIT_PASS;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("veriformer %s\n", VF_VERSION);
        return VF_EXIT_PASS;
    }
    vf_err e;
    vf_err_clear(&e);
    if (vf_isa_init_from_env(&e) != VF_OK)
        return cli_usage_error("%s", e.msg);

    static const struct {
        const char *name;
        int (*run)(int, char **);
    } cmds[] = {{"check", cmd_check}, {"claims", cmd_claims}, {"env", cmd_env},
                  {"reference", cmd_reference}, {"compare", cmd_compare},
                  {"simulate", cmd_simulate}, {"bench", cmd_bench}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].run(argc - 1, argv + 1);
    return cli_usage_error("unknown command '%s' (try: veriformer --help)", argv[1]);
}
