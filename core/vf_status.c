#include "vf_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int vf_fail(vf_err *e, vf_code code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = code;
    }
    return (int)code;
}

void vf_err_clear(vf_err *e)
{
    if (e) {
        e->code = VF_OK;
        e->msg[0] = '\0';
    }
}

int vf_exit_code(vf_code code)
{
    switch (code) {
    case VF_OK: return VF_EXIT_PASS;
    case VF_E_USAGE:
    case VF_E_IO:
    case VF_E_FORMAT:
    case VF_E_SHAPE:
    case VF_E_DOMAIN: return VF_EXIT_USAGE;
    case VF_E_UNCERTIFIED:
    case VF_E_NOMEM:
    case VF_E_INTERNAL: return VF_EXIT_INTERNAL;
    }
    return VF_EXIT_INTERNAL;
}

const char *vf_code_name(vf_code code)
{
    static const char *const names[] = {
        [VF_OK] = "ok", [VF_E_USAGE] = "usage", [VF_E_IO] = "io",
        [VF_E_FORMAT] = "format", [VF_E_SHAPE] = "shape", [VF_E_DOMAIN] = "domain",
        [VF_E_UNCERTIFIED] = "uncertified", [VF_E_NOMEM] = "nomem",
        [VF_E_INTERNAL] = "internal",
    };
    return (unsigned)code < sizeof names / sizeof names[0] ? names[code] : "internal";
}

void *vf_calloc(size_t n, size_t size, vf_err *e)
{
    void *p = (n == 0 || size == 0) ? calloc(1, 1) : calloc(n, size);
    if (!p)
        vf_fail(e, VF_E_NOMEM, "out of memory allocating %zu x %zu bytes", n, size);
    return p;
}
