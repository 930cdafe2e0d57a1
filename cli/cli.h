/* cli.h — the `veriformer` command: subcommands and shared report helpers. */
#ifndef VF_CLI_H
#define VF_CLI_H

#include <stdio.h>

#define VF_VERSION "0.1.0"

/* Subcommands: argv[0] is the subcommand name; each returns a process exit code. */
int cmd_check(int argc, char **argv);
int cmd_claims(int argc, char **argv);
int cmd_env(int argc, char **argv);
int cmd_reference(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_bench(int argc, char **argv);

/* Prints "veriformer: <msg>" to stderr and returns VF_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses a non-negative decimal integer; 0 on success, -1 (and message) otherwise. */
int cli_parse_u64(const char *opt, const char *text, unsigned long long *out);

/* JSON helpers: a quoted, escaped string; the environment block (versions, ISA, precision). */
void json_str(FILE *f, const char *s);
void json_env(FILE *f, unsigned long long seed, long prec);

#endif
