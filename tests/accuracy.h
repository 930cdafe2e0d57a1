/* accuracy.h — the one accuracy table of the fast path (tests/data/accuracy.tsv).
 *
 * Every differential test of a fast kernel reports each measured case here:
 *     acc_check("softmax", "avx512/normal/n=4096/T=1", 3.0, "tests/test_softmax_fast.c", max, p99);
 * kernel and case name the row; bound is the tolerance in ULP of the correctly rounded result,
 * derived in the file named by `derivation` (THEORY.md §6 perturbation bounds, never tuned);
 * max and p99 are the measured errors against the certified reference.
 *
 *   - fails (Criterion assert) when max > bound;
 *   - fails when the case has no row in the table, or the row's bound differs from `bound`
 *     (the table must state the bound the test enforces): regenerate with `make accuracy`;
 *   - warns on stderr ("ratchet:") when max or p99 moved by more than 2x from the recorded
 *     values (errors below 0.05 ULP count as 0.05, so exact kernels do not warn on noise);
 *   - when VF_ACCURACY_RECORD names a file, appends the measured row to it instead of reading
 *     the table (used by `make accuracy`, which rebuilds tests/data/accuracy.tsv from it).
 */
#ifndef VF_ACCURACY_H
#define VF_ACCURACY_H

void acc_check(const char *kernel, const char *case_name, double bound, const char *derivation,
               double max_ulp, double p99_ulp);

#endif
