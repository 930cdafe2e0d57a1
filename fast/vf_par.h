/* vf_par.h — the threading policy of the fast path (PERFORMANCE.md "two threads").
 *
 * Kernels split work over independent output rows (or fixed chunks) with OpenMP, using
 * vf_par_threads(elems) threads: 1 below VF_PAR_MIN_ELEMS elements (thread start-up costs more
 * than it gains there), otherwise vf_par_max_threads().  Every output element is computed by
 * the same operations in the same order whatever the thread count, so results are bitwise
 * identical for 1 and 2 threads (tests/test_repro.c checks it).  Usage in a kernel:
 *
 *     int nt = vf_par_threads(rows * cols);
 *     #pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1)
 *     for (size_t i = 0; i < rows; i++) ...one row, no shared state...
 */
#ifndef VF_PAR_H
#define VF_PAR_H

#include <stddef.h>

/* Element count from which a kernel uses more than one thread (about 1 M, issue 6). */
#define VF_PAR_MIN_ELEMS ((size_t)1 << 20)

/* The thread count for large inputs: vf_par_set_max_threads() if called, else VF_THREADS from
 * the environment if it is a number >= 1, else 2 capped by the CPUs OpenMP sees.  Never < 1. */
int vf_par_max_threads(void);
/* Overrides VF_THREADS (n >= 1; n <= 0 restores the default).  Tests use it to compare 1 and 2
 * threads. */
void vf_par_set_max_threads(int n);
/* Threads for a kernel touching `elems` elements: 1 below VF_PAR_MIN_ELEMS, else the max. */
int vf_par_threads(size_t elems);

#endif
