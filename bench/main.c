/* main.c — vf_bench driver.
 *
 *   vf_bench [--csv FILE] [--rounds N] [--filter TEXT] [--quick]
 *
 * --rounds N   rounds per group (default 21; fewer than 21 is marked not reportable)
 * --filter S   run only groups whose "kernel shape" contains S (e.g. relu_oop, DRAM);
 *              S may list alternatives separated by '|' (e.g. "gemm|lstsq")
 * --quick      CI smoke: 3 rounds, results marked not reportable
 * Single thread: OMP_NUM_THREADS=1 is exported and the process re-executed when it was not
 * already 1 (libgomp reads it when loaded, before main), and the fast path's thread cap is 1;
 * only bench/threads.c asks for two threads (num_threads(2) overrides OMP_NUM_THREADS). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "vf_fast.h"
#include "vf_par.h"

/* OpenBLAS extensions (cblas.h is not on the include path of every install). */
char *openblas_get_config(void);
void openblas_set_num_threads(int n);

static void usage(void)
{
    fprintf(stderr, "usage: vf_bench [--csv FILE] [--rounds N>=21] [--filter TEXT] [--quick]\n");
    exit(2);
}

static void single_thread(char **argv)
{
    const char *e = getenv("OMP_NUM_THREADS");
    if (e && strcmp(e, "1") == 0)
        return;
    setenv("OMP_NUM_THREADS", "1", 1);
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) {
        self[len] = 0;
        execv(self, argv);
    }
    perror("vf_bench: re-exec with OMP_NUM_THREADS=1"); /* fall back: omp_set_num_threads */
}

static void cpu_model(char *buf, size_t len)
{
    snprintf(buf, len, "?");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            char *p = strchr(line, ':');
            if (p) {
                snprintf(buf, len, "%s", p + 2);
                buf[strcspn(buf, "\n")] = 0;
            }
            break;
        }
    fclose(f);
}

int main(int argc, char **argv)
{
    single_thread(argv);
    vf_bench_opts o;
    memset(&o, 0, sizeof o);
    o.rounds = VF_BENCH_MIN_ROUNDS;
    const char *csv = NULL;
    int rounds_given = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc)
            csv = argv[++i];
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            o.rounds = atoi(argv[++i]);
            rounds_given = 1;
        } else if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc)
            o.filter = argv[++i];
        else if (strcmp(argv[i], "--quick") == 0)
            o.quick = 1;
        else
            usage();
    }
    if (o.quick && !rounds_given)
        o.rounds = 3;
    if (o.rounds < 1)
        usage();
    if (o.rounds < VF_BENCH_MIN_ROUNDS && !o.quick) {
        fprintf(stderr, "vf_bench: %d rounds < %d: results marked not reportable\n", o.rounds,
                VF_BENCH_MIN_ROUNDS);
        o.quick = 1;
    }

    /* Single-thread groups are compared with single-thread roofs; bench/threads.c measures the
     * two-thread path against a two-thread roof explicitly. */
    vf_par_set_max_threads(1);
    vf_err e;
    if (vf_isa_init_from_env(&e) != VF_OK) {
        fprintf(stderr, "vf_bench: bad VF_ISA\n");
        return 2;
    }
    time_t now = time(NULL);
    strftime(o.date, sizeof o.date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    double load[1] = {-1};
    getloadavg(load, 1);
    o.load1 = load[0];
    openblas_set_num_threads(1);
    o.threads = vf_dnnl_init();
    vf_dnnl_version(o.dnnl_version, sizeof o.dnnl_version);
    snprintf(o.openblas, sizeof o.openblas, "%s", openblas_get_config());
    for (char *p = o.openblas; *p; p++)
        if (*p == ',' || *p == '"')
            *p = ' ';
    char cpu[128];
    cpu_model(cpu, sizeof cpu);

    printf("# vf_bench %s  cpu: %s  load1: %.2f\n", o.date, cpu, o.load1);
    printf("# active ISA: %s (supported:", vf_isa_name(vf_isa_active()));
    for (int i = 0; i < VF_ISA__COUNT; i++)
        if (vf_isa_supported((vf_isa)i))
            printf(" %s", vf_isa_name((vf_isa)i));
    printf(")  threads: %d (OMP_NUM_THREADS=%s)\n", o.threads,
           getenv("OMP_NUM_THREADS") ? getenv("OMP_NUM_THREADS") : "unset");
    printf("# oneDNN %s  |  %s  |  cc %s\n", o.dnnl_version, o.openblas, __VERSION__);
    printf("# sample >= %.0f ms, %d rounds (rotating order), medians%s\n",
           1e3 * VF_BENCH_SAMPLE_S, o.rounds, o.quick ? "  [QUICK: NOT REPORTABLE]" : "");

    if (csv) {
        o.csv = fopen(csv, "w");
        if (!o.csv) {
            perror(csv);
            return 2;
        }
        vf_bench_csv_header(o.csv);
    }
    vf_bench_print_header();
    vf_bench_run_all(&o);

    vf_dnnl_fini();
    if (o.csv && fclose(o.csv) != 0) {
        perror(csv);
        return 2;
    }
    return 0;
}
