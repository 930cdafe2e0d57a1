/* relu.c — ReLU over float32, one source for every ISA (see vf_fast.h for the NaN/-0 policy).
 * The scalar instance carries the ACSL contract proved by WP under the IEEE float model
 * (proofs/); the vector instances are covered by the differential tests. */
#include "vf_fast.h"
#include "vf_simd.h"

/*@ requires n_fits: n <= 0x7fffffff;
    requires valid_x: \valid_read(x + (0 .. n - 1));
    requires valid_y: \valid(y + (0 .. n - 1));
    requires in_place_or_disjoint: y == x || \separated(x + (0 .. n - 1), y + (0 .. n - 1));
    assigns y[0 .. n - 1];
    ensures positive_kept: \forall integer k; 0 <= k < n ==> \old(x[k]) > 0.0 ==> y[k] == \old(x[k]);
    ensures nan_kept: \forall integer k; 0 <= k < n ==> \is_NaN(\old(x[k])) ==> \is_NaN(y[k]);
    ensures rest_zero: \forall integer k; 0 <= k < n ==> !\is_NaN(\old(x[k])) ==> !(\old(x[k]) > 0.0) ==> y[k] == 0.0;
*/
void VF_FN(vf_relu_f32)(const float *x, float *y, size_t n)
{
    size_t i = 0;
#if VF_W > 1
    for (; i + VF_W <= n; i += VF_W)
        vf_v_store(y + i, vf_v_relu(vf_v_load(x + i)));
#endif
    /*@ loop invariant 0 <= i <= n;
        loop assigns i, y[0 .. n - 1];
    */
    for (; i < n; i++)
        y[i] = VF_RELU1(x[i]);
}
