#include "accuracy.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACC_TABLE VF_TEST_DATA "/accuracy.tsv"
#define ACC_FLOOR 0.05 /* ULP: smaller errors are "exact" for the ratchet */

typedef struct {
    double bound, max, p99;
} acc_row;

/* Looks up kernel/case in the table; 1 when found. */
static int acc_lookup(const char *kernel, const char *case_name, acc_row *row)
{
    FILE *f = fopen(ACC_TABLE, "r");
    if (!f)
        return 0;
    char line[1024];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *save = NULL, *k = strtok_r(line, "\t", &save), *c = strtok_r(NULL, "\t", &save);
        char *b = strtok_r(NULL, "\t", &save), *m = strtok_r(NULL, "\t", &save);
        char *p = strtok_r(NULL, "\t\n", &save);
        if (k && c && b && m && p && strcmp(k, kernel) == 0 && strcmp(c, case_name) == 0) {
            row->bound = strtod(b, NULL);
            row->max = strtod(m, NULL);
            row->p99 = strtod(p, NULL);
            found = 1;
        }
    }
    fclose(f);
    return found;
}

static int moved_2x(double now, double was)
{
    now = fmax(now, ACC_FLOOR);
    was = fmax(was, ACC_FLOOR);
    return now > 2.0 * was || now < 0.5 * was;
}

void acc_check(const char *kernel, const char *case_name, double bound, const char *derivation,
               double max_ulp, double p99_ulp)
{
    cr_assert(max_ulp <= bound, "%s %s: max error %.4g ULP exceeds the bound %g ULP (%s)", kernel,
              case_name, max_ulp, bound, derivation);
    const char *rec = getenv("VF_ACCURACY_RECORD");
    if (rec && *rec) {
        FILE *f = fopen(rec, "a");
        cr_assert(f, "VF_ACCURACY_RECORD=%s: cannot append", rec);
        fprintf(f, "%s\t%s\t%.17g\t%.4f\t%.4f\t%s\n", kernel, case_name, bound, max_ulp, p99_ulp,
                derivation);
        fclose(f);
        return;
    }
    acc_row row;
    cr_assert(acc_lookup(kernel, case_name, &row),
              "%s %s: no row in tests/data/accuracy.tsv (run `make accuracy`)", kernel, case_name);
    cr_assert(row.bound == bound,
              "%s %s: the table states bound %g ULP, the test enforces %g (run `make accuracy`)",
              kernel, case_name, row.bound, bound);
    if (moved_2x(max_ulp, row.max) || moved_2x(p99_ulp, row.p99))
        fprintf(stderr,
                "ratchet: %s %s moved by more than 2x: max %.4f ULP (recorded %.4f), p99 %.4f "
                "(recorded %.4f); check the kernel, then `make accuracy`\n",
                kernel, case_name, max_ulp, row.max, p99_ulp, row.p99);
}
