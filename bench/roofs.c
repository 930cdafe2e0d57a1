/* roofs.c — roof kernels: the fastest single-thread AVX-512 loops moving the same bytes as a
 * kernel under test (unrolled by 4 zmm, 256 bytes, per iteration; scalar tails), and the FMA
 * peak loop for compute-bound kernels. */
#include <immintrin.h>
#include <stdint.h>

#include "bench.h"

/* y = x with ordinary stores (write-allocate: the lines of y are read first). */
void vf_roof_copy(const float *x, float *y, size_t n)
{
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m512 a = _mm512_loadu_ps(x + i), b = _mm512_loadu_ps(x + i + 16);
        __m512 c = _mm512_loadu_ps(x + i + 32), d = _mm512_loadu_ps(x + i + 48);
        _mm512_storeu_ps(y + i, a);
        _mm512_storeu_ps(y + i + 16, b);
        _mm512_storeu_ps(y + i + 32, c);
        _mm512_storeu_ps(y + i + 48, d);
    }
    for (; i < n; i++)
        y[i] = x[i];
}

/* y = x with non-temporal stores (no read-for-ownership of y); sfence orders them. */
void vf_roof_copy_nt(const float *x, float *y, size_t n)
{
    size_t i = 0;
    for (; i < n && ((uintptr_t)(y + i) & 63); i++)
        y[i] = x[i];
    for (; i + 64 <= n; i += 64) {
        __m512 a = _mm512_loadu_ps(x + i), b = _mm512_loadu_ps(x + i + 16);
        __m512 c = _mm512_loadu_ps(x + i + 32), d = _mm512_loadu_ps(x + i + 48);
        _mm512_stream_ps(y + i, a);
        _mm512_stream_ps(y + i + 16, b);
        _mm512_stream_ps(y + i + 32, c);
        _mm512_stream_ps(y + i + 48, d);
    }
    _mm_sfence();
    for (; i < n; i++)
        y[i] = x[i];
}

/* x = x: every line read then written back.  The empty asm hides the identity from the
 * compiler so the store is not removed. */
void vf_roof_rw_inplace(float *x, size_t n)
{
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m512 a = _mm512_loadu_ps(x + i), b = _mm512_loadu_ps(x + i + 16);
        __m512 c = _mm512_loadu_ps(x + i + 32), d = _mm512_loadu_ps(x + i + 48);
        __asm__ volatile("" : "+v"(a), "+v"(b), "+v"(c), "+v"(d));
        _mm512_storeu_ps(x + i, a);
        _mm512_storeu_ps(x + i + 16, b);
        _mm512_storeu_ps(x + i + 32, c);
        _mm512_storeu_ps(x + i + 48, d);
    }
    for (; i < n; i++) {
        float v = x[i];
        __asm__ volatile("" : "+x"(v));
        x[i] = v;
    }
}

/* Sum of x with 8 independent accumulators (read-only roof). */
float vf_roof_read_sum(const float *x, size_t n)
{
    __m512 s[8];
    for (int k = 0; k < 8; k++)
        s[k] = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 128 <= n; i += 128)
        for (int k = 0; k < 8; k++)
            s[k] = _mm512_add_ps(s[k], _mm512_loadu_ps(x + i + 16 * k));
    for (int k = 1; k < 8; k++)
        s[0] = _mm512_add_ps(s[0], s[k]);
    float r = _mm512_reduce_add_ps(s[0]);
    for (; i < n; i++)
        r += x[i];
    return r;
}

float vf_roof_fma(size_t iters)
{
    __m512 a[12];
    const __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
    for (int k = 0; k < 12; k++)
        a[k] = _mm512_set1_ps((float)k);
    for (size_t i = 0; i < iters; i++) {
        for (int k = 0; k < 12; k++)
            a[k] = _mm512_fmadd_ps(a[k], m, c);
        __asm__ volatile("" : "+v"(a[0]), "+v"(a[1]), "+v"(a[2]), "+v"(a[3]), "+v"(a[4]),
                         "+v"(a[5]), "+v"(a[6]), "+v"(a[7]), "+v"(a[8]), "+v"(a[9]), "+v"(a[10]),
                         "+v"(a[11]));
    }
    for (int k = 1; k < 12; k++)
        a[0] = _mm512_add_ps(a[0], a[k]);
    return _mm512_reduce_add_ps(a[0]);
}
