/* vacuity_code.c — honesty check of the contracts on code of issue 3 "contracts on code": the
 * scalar fast softmax (unit softmax_scalar) and the exact ReLU of ref/ against the GMP model
 * (unit ref_relu).  Both sources are included as is, with the same stubs as their units
 * (proofs/stubs/).  Each function below calls one of them and asserts one FALSE fact (one per
 * function: a failed assertion would otherwise be assumed by the next one).  Every Vacuity_*
 * goal must stay NOT proved: a proof would mean the contracts, the stubs or the float model
 * with these inputs are contradictory. */
#include "kernels/softmax.c"
#include "vf_relu.c"

/*@ requires valid: \valid(a + (0 .. 1));
    requires classes: \is_finite(a[0]) && \is_minus_infinity(a[1]);
    assigns a[0 .. 1], errno;
*/
void vacuity_softmax_false(float *a)
{
    VF_FN(vf_softmax_f32)(a, a, 1, 2, 1.0f);
    //@ assert Vacuity_Softmax_False: \false;
}

/* An invalid temperature (NaN) counts the row as invalid: claiming 0 invalid rows is false. */
/*@ requires valid: \valid(a + (0 .. 1));
    requires classes: \is_finite(a[0]) && \is_finite(a[1]);
    requires t_nan: \is_NaN(t);
    assigns a[0 .. 1], errno;
*/
void vacuity_softmax_invalid_t_ok(float *a, float t)
{
    size_t bad = VF_FN(vf_softmax_f32)(a, a, 1, 2, t);
    //@ assert Vacuity_Softmax_Invalid_T_Ok: bad == 0;
}

/* A fully masked row is NaN: claiming a number there is false. */
/*@ requires valid: \valid(a + (0 .. 1));
    requires classes: \is_minus_infinity(a[0]) && \is_minus_infinity(a[1]);
    assigns a[0 .. 1], errno;
*/
void vacuity_softmax_masked_number(float *a)
{
    VF_FN(vf_softmax_f32)(a, a, 1, 2, 1.0f);
    //@ assert Vacuity_Softmax_Masked_Number: !\is_NaN(a[0]);
}

/* Softmax outputs are <= 1: claiming an output above 1 is false (and not provable from the
 * contract, which is silent on valid rows). */
/*@ requires valid: \valid(a + (0 .. 1));
    requires classes: \is_finite(a[0]) && \is_finite(a[1]);
    assigns a[0 .. 1], errno;
*/
void vacuity_softmax_above_one(float *a)
{
    VF_FN(vf_softmax_f32)(a, a, 1, 2, 1.0f);
    //@ assert Vacuity_Softmax_Above_One: \gt_float(a[0], (float)1.0);
}

/*@ requires valid: \valid(q + (0 .. 1));
    requires sep: \separated(q + 0, q + 1);
    assigns q[0 .. 1][0];
*/
void vacuity_ref_relu_false(mpq_t *q)
{
    relu_entries(q, q, 2);
    //@ assert Vacuity_Ref_Relu_False: \false;
}

/* ReLU of -1 is 0: claiming a negative output is false. */
/*@ requires valid: \valid(q + (0 .. 1));
    requires minus_one: qv(q, 0) == -1.0;
    assigns q[0 .. 1][0];
*/
void vacuity_ref_relu_negative(mpq_t *q)
{
    relu_entries(q, q, 2);
    //@ assert Vacuity_Ref_Relu_Negative: qv(q, 0) < 0.0;
}
