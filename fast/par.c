/* par.c — thread count policy of the fast path (see vf_par.h). */
#include <stdatomic.h>
#include <stdlib.h>

#include "vf_par.h"

#ifdef _OPENMP
#include <omp.h>
#endif

static _Atomic int forced = 0; /* 0: default policy */

static int default_threads(void)
{
    const char *env = getenv("VF_THREADS");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 1 && v <= 1024)
            return (int)v;
    }
#ifdef _OPENMP
    int procs = omp_get_num_procs();
    return procs >= 2 ? 2 : 1;
#else
    return 1;
#endif
}

int vf_par_max_threads(void)
{
    int n = atomic_load(&forced);
    return n >= 1 ? n : default_threads();
}

void vf_par_set_max_threads(int n) { atomic_store(&forced, n >= 1 ? n : 0); }

int vf_par_threads(size_t elems) { return elems < VF_PAR_MIN_ELEMS ? 1 : vf_par_max_threads(); }
