/* harness.h — helpers shared by the Criterion suites. */
#ifndef VF_HARNESS_H
#define VF_HARNESS_H

#include <stddef.h>

#include "vf_claims.h"

/* Runs `veriformer <args>` (a shell fragment) with stderr merged into stdout; captures up to
 * len-1 bytes of output in out and returns the exit status (or -1 if it did not exit). */
int run_cli(char *out, size_t len, const char *args_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A fresh temporary directory for a test's files (removed by the OS at reboot, not by us:
 * keeping failing inputs around helps reproduce). */
const char *test_tmpdir(void);

/* Runs the registered claim id with options o into r, asserting (Criterion) that the claim
 * exists and that its check ran (any verdict); returns the verdict. */
vf_verdict claim_run_checked(const char *id, const vf_claim_opts *o, vf_claim_result *r);

#endif
