#include "harness.h"

#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

int run_cli(char *out, size_t len, const char *args_fmt, ...)
{
    char args[2048], cmd[4096];
    va_list ap;
    va_start(ap, args_fmt);
    vsnprintf(args, sizeof args, args_fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", VF_TEST_CLI, args);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t got = fread(out, 1, len - 1, p);
    out[got] = '\0';
    while (fgetc(p) != EOF) /* drain what did not fit */
        ;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const char *test_tmpdir(void)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/vf-test-XXXXXX");
        if (!mkdtemp(dir))
            return "/tmp";
    }
    return dir;
}

vf_verdict claim_run_checked(const char *id, const vf_claim_opts *o, vf_claim_result *r)
{
    const vf_claim *c = vf_claim_find(id);
    cr_assert(c, "claim %s registered", id);
    vf_err e;
    vf_err_clear(&e);
    cr_assert_eq(vf_claim_run(c, o, r, &e), VF_OK, "%s: %s", id, e.msg);
    return r->verdict;
}
