/* dispatch.c — runtime ISA selection for the fast path (see vf_fast.h). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "vf_fast.h"

static const char *const isa_names[VF_ISA__COUNT] = {"scalar", "avx2", "avx512"};
static _Atomic int active = -1;

const char *vf_isa_name(vf_isa isa)
{
    return (unsigned)isa < VF_ISA__COUNT ? isa_names[isa] : "unknown";
}

int vf_isa_from_name(const char *name)
{
    for (int i = 0; i < VF_ISA__COUNT; i++)
        if (name && strcmp(name, isa_names[i]) == 0)
            return i;
    return -1;
}

int vf_isa_supported(vf_isa isa)
{
    __builtin_cpu_init();
    switch (isa) {
    case VF_ISA_SCALAR: return 1;
    case VF_ISA_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case VF_ISA_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    default: return 0;
    }
}

static vf_isa best(void)
{
    for (int i = VF_ISA__COUNT - 1; i > 0; i--)
        if (vf_isa_supported((vf_isa)i))
            return (vf_isa)i;
    return VF_ISA_SCALAR;
}

int vf_isa_set(vf_isa isa, vf_err *e)
{
    if ((unsigned)isa >= VF_ISA__COUNT)
        return vf_fail(e, VF_E_USAGE, "unknown ISA %d", (int)isa);
    if (!vf_isa_supported(isa))
        return vf_fail(e, VF_E_USAGE, "ISA %s is not supported by this CPU", vf_isa_name(isa));
    atomic_store(&active, (int)isa);
    return VF_OK;
}

int vf_isa_init_from_env(vf_err *e)
{
    const char *env = getenv("VF_ISA");
    if (!env || !*env) {
        atomic_store(&active, (int)best());
        return VF_OK;
    }
    int isa = vf_isa_from_name(env);
    if (isa < 0)
        return vf_fail(e, VF_E_USAGE, "VF_ISA=%s: unknown ISA (expected scalar, avx2 or avx512)",
                       env);
    return vf_isa_set((vf_isa)isa, e);
}

vf_isa vf_isa_active(void)
{
    int isa = atomic_load(&active);
    if (isa < 0) {
        /* First use without vf_isa_init_from_env: honour a valid VF_ISA, else the best ISA. */
        if (vf_isa_init_from_env(NULL) != VF_OK)
            atomic_store(&active, (int)best());
        isa = atomic_load(&active);
    }
    return (vf_isa)isa;
}

void vf_relu_f32(const float *x, float *y, size_t n) { VF_DISPATCH(vf_relu_f32, x, y, n); }

size_t vf_softmax_f32(const float *x, float *y, size_t rows, size_t cols, float T)
{
    return VF_DISPATCH(vf_softmax_f32, x, y, rows, cols, T);
}
