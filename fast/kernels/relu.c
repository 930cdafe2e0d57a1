/* relu.c — ReLU over float32, one source for every ISA (see vf_fast.h for the NaN/-0 policy).
 * The scalar instance carries the ACSL contract proved by WP under the IEEE float model
 * (proofs/); the vector instances are covered by the differential tests. */
#include "vf_fast.h"
#include "vf_par.h"
#include "vf_simd.h"

#include <stdint.h>

/* Output size from which out-of-place ReLU streams past the cache (16 MiB of float32). */
#define VF_STREAM_MIN_FLOATS ((size_t)4 << 20)

#if VF_W > 1
/* One thread's share: streaming stores for large out-of-place outputs, else plain stores. */
static void relu_block(const float *x, float *y, size_t n)
{
    size_t i = 0;
    if (y != x && n >= VF_STREAM_MIN_FLOATS) {
        /* Large out-of-place outputs: align y, then streaming stores (bench/relu.c measured
         * 0.82x -> 1.04x of the copy_nt roof at 64 Mi floats; slower below ~2 Mi). */
        for (; i < n && ((uintptr_t)(y + i) & (sizeof(vf_v) - 1)); i++)
            y[i] = VF_RELU1(x[i]);
        for (; i + VF_W <= n; i += VF_W)
            vf_v_stream(y + i, vf_v_relu(vf_v_load(x + i)));
        vf_v_sfence();
    } else {
        for (; i + VF_W <= n; i += VF_W)
            vf_v_store(y + i, vf_v_relu(vf_v_load(x + i)));
    }
    for (; i < n; i++)
        y[i] = VF_RELU1(x[i]);
}
#endif

/*@ requires n_fits: n <= 0x7fffffff;
    requires valid_x: \valid_read(x + (0 .. n - 1));
    requires valid_y: \valid(y + (0 .. n - 1));
    requires in_place_or_disjoint: y == x || \separated(x + (0 .. n - 1), y + (0 .. n - 1));
    assigns y[0 .. n - 1];
    // IEEE comparisons (\gt_float, \eq_float), not real ones: "x > 0.0" would compare the
    // real value of x, which WP's float model leaves unspecified for +-inf and NaN.
    ensures positive_kept: \forall integer k; 0 <= k < n ==>
      \gt_float(\old(x[k]), (float)0.0) ==> \eq_float(y[k], \old(x[k]));
    ensures nan_kept: \forall integer k; 0 <= k < n ==> \is_NaN(\old(x[k])) ==> \is_NaN(y[k]);
    ensures rest_zero: \forall integer k; 0 <= k < n ==> !\is_NaN(\old(x[k])) ==>
      !\gt_float(\old(x[k]), (float)0.0) ==> \is_finite(y[k]) && y[k] == 0.0;
*/
void VF_FN(vf_relu_f32)(const float *x, float *y, size_t n)
{
    size_t i = 0;
#if VF_W > 1
    int nt = vf_par_threads(n);
    if (nt > 1) {
        /* Two threads: fixed chunks (a multiple of 64 floats, so every chunk but the first
         * starts as aligned as y), each run through the single-thread code below; elementwise,
         * so the bits do not depend on the split. */
        size_t chunk = (n / (size_t)nt + 63) & ~(size_t)63;
#pragma omp parallel for schedule(static) num_threads(nt)
        for (int t = 0; t < nt; t++) {
            size_t lo = (size_t)t * chunk, hi = lo + chunk < n ? lo + chunk : n;
            if (lo < hi)
                relu_block(x + lo, y + lo, hi - lo);
        }
        return;
    }
    relu_block(x, y, n);
    return;
#endif
    /*@ loop invariant bound: 0 <= i <= n;
        // x[i ..] not yet overwritten (y may be x): IEEE-equal to its initial value, or both NaN
        // ("==" would compare real values, which say nothing about NaN and infinities).
        loop invariant todo_unchanged: \forall integer k; i <= k < n ==>
          (\is_NaN(x[k]) && \is_NaN(\at(x[k], Pre))) || \eq_float(x[k], \at(x[k], Pre));
        loop invariant done_positive: \forall integer k; 0 <= k < i ==>
          \gt_float(\at(x[k], Pre), (float)0.0) ==> \eq_float(y[k], \at(x[k], Pre));
        loop invariant done_nan: \forall integer k; 0 <= k < i ==>
          \is_NaN(\at(x[k], Pre)) ==> \is_NaN(y[k]);
        loop invariant done_zero: \forall integer k; 0 <= k < i ==> !\is_NaN(\at(x[k], Pre)) ==>
          !\gt_float(\at(x[k], Pre), (float)0.0) ==> \is_finite(y[k]) && y[k] == 0.0;
        loop assigns i, y[0 .. n - 1];
        loop variant n - i;
    */
    for (; i < n; i++)
        y[i] = VF_RELU1(x[i]);
}
