/* vacuity_float.c — honesty check of the float-model proof of the scalar ReLU kernel.
 * The kernel source is included as is; each function below calls it on an in-place array
 * holding NaN, +inf, -inf and asserts one FALSE fact (one per function: a failed assertion
 * would otherwise be assumed by the next one).  Every Vacuity_* goal must stay NOT proved:
 * a proof would mean the kernel's contract (or the float model with these inputs) is
 * contradictory, e.g. that WP silently assumes floats are finite. */
#include "kernels/relu.c"

/*@ requires valid: \valid(a + (0 .. 2));
    requires classes: \is_NaN(a[0]) && \is_plus_infinity(a[1]) && \is_minus_infinity(a[2]);
    assigns a[0 .. 2];
*/
void vacuity_relu_false(float *a)
{
    VF_FN(vf_relu_f32)(a, a, 3);
    //@ assert Vacuity_Relu_Post_False: \false;
}

/*@ requires valid: \valid(a + (0 .. 2));
    requires classes: \is_NaN(a[0]) && \is_plus_infinity(a[1]) && \is_minus_infinity(a[2]);
    assigns a[0 .. 2];
*/
void vacuity_relu_nan_lost(float *a)
{
    VF_FN(vf_relu_f32)(a, a, 3);
    //@ assert Vacuity_Relu_Nan_Lost: !\is_NaN(a[0]);
}

/*@ requires valid: \valid(a + (0 .. 2));
    requires classes: \is_NaN(a[0]) && \is_plus_infinity(a[1]) && \is_minus_infinity(a[2]);
    assigns a[0 .. 2];
*/
void vacuity_relu_inf_zeroed(float *a)
{
    VF_FN(vf_relu_f32)(a, a, 3);
    //@ assert Vacuity_Relu_Inf_Zeroed: \is_finite(a[1]);
}

/*@ requires valid: \valid(a + (0 .. 2));
    requires classes: \is_NaN(a[0]) && \is_plus_infinity(a[1]) && \is_minus_infinity(a[2]);
    assigns a[0 .. 2];
*/
void vacuity_relu_minus_inf_kept(float *a)
{
    VF_FN(vf_relu_f32)(a, a, 3);
    //@ assert Vacuity_Relu_Minus_Inf_Kept: \is_infinite(a[2]);
}
