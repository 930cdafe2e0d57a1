#include "vf_relu.h"

int vf_ref_relu_q(vf_qmat *y, const vf_qmat *x, vf_err *e)
{
    if (y->rows != x->rows || y->cols != x->cols)
        return vf_fail(e, VF_E_SHAPE, "relu: output %zux%zu does not match input %zux%zu",
                       y->rows, y->cols, x->rows, x->cols);
    for (size_t i = 0; i < x->rows * x->cols; i++) {
        if (mpq_sgn(x->a[i]) > 0)
            mpq_set(y->a[i], x->a[i]);
        else
            mpq_set_ui(y->a[i], 0, 1);
    }
    return VF_OK;
}
