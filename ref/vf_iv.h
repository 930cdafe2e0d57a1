/* vf_iv.h — the certified domain: interval matrices on MPFI (MPFR endpoints).
 *
 * Every result is an enclosure guaranteed to contain the real value of the operation applied
 * to the real values enclosed by the operands (MPFI rounds each endpoint outward).  Same
 * conventions as vf_q.h: row-major, vectors are n x 1, VF_I(m, i, j) names an entry, outputs
 * initialised by the caller, functions return VF_OK or a vf_code.  All entries of a matrix share
 * one precision (bits), fixed at init.
 */
#ifndef VF_IV_H
#define VF_IV_H

#include <mpfi.h>
#include <stddef.h>

#include "vf_q.h"
#include "vf_status.h"

typedef struct vf_imat {
    size_t rows, cols;
    mpfr_prec_t prec;
    mpfi_t *a;
} vf_imat;

#define VF_I(m, i, j) ((m)->a[(size_t)(i) * (m)->cols + (size_t)(j)])

int vf_imat_init(vf_imat *m, size_t rows, size_t cols, mpfr_prec_t prec, vf_err *e);
void vf_imat_clear(vf_imat *m);

/* Enclosures of exact values: from rationals (tight: the two roundings of q) and from
 * float/double (exact point intervals). NaN/inf -> VF_E_DOMAIN. */
int vf_imat_from_q(vf_imat *m, const vf_qmat *q, vf_err *e);
int vf_imat_from_f32(vf_imat *m, const float *x, vf_err *e);
int vf_imat_from_f64(vf_imat *m, const double *x, vf_err *e);

/* Elementwise enclosures; out may alias in.  log and sqrt of an interval not inside their
 * domain (log: containing a value <= 0; sqrt: containing a value < 0) -> VF_E_DOMAIN. */
int vf_imat_exp(vf_imat *out, const vf_imat *in, vf_err *e);
int vf_imat_log(vf_imat *out, const vf_imat *in, vf_err *e);
int vf_imat_sqrt(vf_imat *out, const vf_imat *in, vf_err *e);

/* c = a + b, c = a - b, c = a * b (matrix product), r = Frobenius inner product <a, b>.
 * Sums accumulate in intervals at the precision of the output. */
int vf_imat_add(vf_imat *c, const vf_imat *a, const vf_imat *b, vf_err *e);
int vf_imat_sub(vf_imat *c, const vf_imat *a, const vf_imat *b, vf_err *e);
int vf_imat_mul(vf_imat *c, const vf_imat *a, const vf_imat *b, vf_err *e);
int vf_imat_dot(mpfi_t r, const vf_imat *a, const vf_imat *b, vf_err *e);

/* Certified bits of an enclosure x of a value v: the largest k with width(x) <= 2^-k (absolute),
 * capped at prec; 0 when the width is >= 1; a point interval gives prec.  Used to report
 * CERTIFIED to 2^-k. */
long vf_iv_abs_bits(const mpfi_t x);
/* Largest such k over every entry of m, i.e. the minimum over entries. */
long vf_imat_abs_bits(const vf_imat *m);

#endif
