/* Exact reference ReLU (ref/vf_relu.c); the fast kernels are tested in test_relu_fast.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vf_relu.h"

Test(relu_ref, orthant_projection_values)
{
    vf_err e;
    vf_qmat x = {0}, y = {0};
    cr_assert_eq(vf_qmat_init(&x, 4, 1, &e), VF_OK);
    cr_assert_eq(vf_qmat_init(&y, 4, 1, &e), VF_OK);
    const char *in[] = {"-3/7", "0", "5/2", "-1"}, *want[] = {"0", "0", "5/2", "0"};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(vf_q_set_str(x.a[i], in[i], &e), VF_OK);
    cr_assert_eq(vf_ref_relu_q(&y, &x, &e), VF_OK);
    for (int i = 0; i < 4; i++) {
        char *s = vf_q_str(y.a[i]);
        cr_expect_str_eq(s, want[i]);
        free(s);
    }
    cr_assert_eq(vf_ref_relu_q(&x, &x, &e), VF_OK, "in place");
    cr_assert(vf_qmat_equal(&x, &y));
    vf_qmat_clear(&x);
    vf_qmat_clear(&y);
}

Test(relu_ref, shape_mismatch_is_an_error)
{
    vf_err e;
    vf_qmat x = {0}, y = {0};
    vf_qmat_init(&x, 3, 1, &e);
    vf_qmat_init(&y, 1, 3, &e);
    cr_assert_eq(vf_ref_relu_q(&y, &x, &e), VF_E_SHAPE);
    cr_assert(strstr(e.msg, "3x1"), "message names the shapes: %s", e.msg);
    vf_qmat_clear(&x);
    vf_qmat_clear(&y);
}
