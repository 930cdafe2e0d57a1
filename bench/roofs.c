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

/* Named registers, not an array: GCC keeps an array of vectors that an asm statement touches
 * in memory, which ran at ~1/6 of the peak (measured). */
float vf_roof_fma(size_t iters)
{
    const __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
    __m512 a0 = _mm512_set1_ps(0), a1 = _mm512_set1_ps(1), a2 = _mm512_set1_ps(2);
    __m512 a3 = _mm512_set1_ps(3), a4 = _mm512_set1_ps(4), a5 = _mm512_set1_ps(5);
    __m512 a6 = _mm512_set1_ps(6), a7 = _mm512_set1_ps(7), a8 = _mm512_set1_ps(8);
    __m512 a9 = _mm512_set1_ps(9), a10 = _mm512_set1_ps(10), a11 = _mm512_set1_ps(11);
    for (size_t i = 0; i < iters; i++) {
        a0 = _mm512_fmadd_ps(a0, m, c);
        a1 = _mm512_fmadd_ps(a1, m, c);
        a2 = _mm512_fmadd_ps(a2, m, c);
        a3 = _mm512_fmadd_ps(a3, m, c);
        a4 = _mm512_fmadd_ps(a4, m, c);
        a5 = _mm512_fmadd_ps(a5, m, c);
        a6 = _mm512_fmadd_ps(a6, m, c);
        a7 = _mm512_fmadd_ps(a7, m, c);
        a8 = _mm512_fmadd_ps(a8, m, c);
        a9 = _mm512_fmadd_ps(a9, m, c);
        a10 = _mm512_fmadd_ps(a10, m, c);
        a11 = _mm512_fmadd_ps(a11, m, c);
    }
    __m512 s0 = _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3));
    __m512 s1 = _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7));
    __m512 s2 = _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11));
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), s2));
}
