/* report.c — JSON helpers and `veriformer env`. */
#include <gmp.h>
#include <mpfi.h>
#include <mpfr.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "vf_fast.h"
#include "vf_status.h"

void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void isa_list(char *buf, size_t len)
{
    buf[0] = '\0';
    for (int i = 0; i < VF_ISA__COUNT; i++)
        if (vf_isa_supported((vf_isa)i)) {
            if (buf[0])
                strncat(buf, ",", len - strlen(buf) - 1);
            strncat(buf, vf_isa_name((vf_isa)i), len - strlen(buf) - 1);
        }
}

void json_env(FILE *f, unsigned long long seed, long prec)
{
    char isas[64];
    isa_list(isas, sizeof isas);
    fprintf(f, "{\"veriformer\": \"%s\", \"gmp\": \"%s\", \"mpfr\": \"%s\", \"mpfi\": \"%s\", ",
            VF_VERSION, gmp_version, mpfr_get_version(), mpfi_get_version());
    fprintf(f, "\"compiler\": \"gcc %s\", \"isa_active\": \"%s\", \"isa_supported\": \"%s\", ",
            __VERSION__, vf_isa_name(vf_isa_active()), isas);
    fprintf(f, "\"seed\": %llu, \"prec\": %ld}", seed, prec);
}

int cmd_env(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else
            return cli_usage_error("env: unknown option '%s'", argv[i]);
    }
    if (json) {
        json_env(stdout, 0, 0);
        putchar('\n');
        return VF_EXIT_PASS;
    }
    char isas[64];
    isa_list(isas, sizeof isas);
    printf("veriformer %s\n", VF_VERSION);
    printf("gmp        %s\nmpfr       %s\nmpfi       %s\ncompiler   gcc %s\n", gmp_version,
           mpfr_get_version(), mpfi_get_version(), __VERSION__);
    printf("isa        %s (supported: %s)\n", vf_isa_name(vf_isa_active()), isas);
    return VF_EXIT_PASS;
}
