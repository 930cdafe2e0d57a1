/* cmd_bench.c — `veriformer bench [vf_bench options]`: runs the benchmark driver.
 *
 * The benchmarks link the peers (oneDNN, OpenBLAS), which the library and this command must not
 * depend on, so they live in a separate executable, vf_bench (`make bench` builds it next to
 * this one).  This command finds it beside its own executable, else on PATH, and executes it
 * with the remaining arguments. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "vf_status.h"

int cmd_bench(int argc, char **argv)
{
    char self[PATH_MAX], path[PATH_MAX + 16];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) {
        self[len] = '\0';
        char *slash = strrchr(self, '/');
        if (slash)
            *slash = '\0';
        snprintf(path, sizeof path, "%s/vf_bench", self);
        if (access(path, X_OK) == 0) {
            argv[0] = path;
            execv(path, argv);
            perror(path);
            return VF_EXIT_INTERNAL;
        }
    }
    argv[0] = "vf_bench";
    execvp("vf_bench", argv);
    (void)argc;
    return cli_usage_error("bench: vf_bench not found beside veriformer or on PATH; build it with "
                           "`make bench` (it links the peers oneDNN and OpenBLAS)");
}
