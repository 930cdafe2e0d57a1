/* vf_oracle.h — a certified oracle for anyone's kernels: correctly rounded references and
 * comparisons of a candidate output against them (`veriformer reference` / `veriformer compare`).
 *
 * Kernels (inputs are vf_tensor: exact double values + the file dtype; "rows" are the output's
 * last axis, every kernel acts along the last axis only):
 *   softmax, log_softmax   x [..., N] -> [..., N]       row-wise, temperature T (x/T); a -inf
 *                                                        logit is masked (probability exactly 0)
 *   logsumexp              x [..., N] -> [...]          T log sum_j e^{x_j/T}
 *   relu                   x [...]    -> [...]          max(x, 0), exact
 *   lorentz_projection     x [..., S] -> [..., S]       Euclidean projection on the Lorentz cone,
 *   colu                   x [..., S] -> [..., S]       CoLU; group = last axis, apex first
 *                                                        (vf_cone.h)
 *   matmul                 A [..., M, K], B [..., K, N] (same leading dims) or B [K, N]
 *                                                     -> [..., M, N], exact then rounded
 *   linear_attention       Q [..., n, d], K [..., n, d], V [..., n, dv] -> (Q K^T) V [..., n, dv],
 *                                                        exact; causal: key j <= query i
 *   attention              Q [B, H, Sq, D], K [B, H, Sk, D], V [B, H, Sk, Dv] (any equal leading
 *                          dims) -> softmax(scale Q K^T [+ causal mask]) V [B, H, Sq, Dv];
 *                          scale = the given double exactly, default the exact 1/sqrt(D);
 *                          causal: key j allowed iff j <= i (top-left, as PyTorch is_causal)
 *   ols                    X [n, d], y [n] or [n, m] -> X beta_hat (shape of y), exact
 *                          (rank X < d is invalid input)
 *
 * Reference.  Each output element is certified individually: the exact value (exact rational
 * for matmul, linear_attention, relu, ols and the rational branches of the cone kernels, a
 * certified MPFI enclosure otherwise) is rounded to nearest-even in the requested dtype by
 * vf_round_ziv, one output row at a time (rows are independent, so a hard row re-evaluates alone).
 * No hardware float arithmetic decides a reference value.  Inputs must be finite except -inf
 * logits in the softmax family (masked); NaN anywhere, +inf logits and a row with every entry
 * masked are VF_E_DOMAIN naming the tensor and index.
 *
 * Compare.  The reference is evaluated (from 128 bits, so the exact value handed to the
 * comparator is within 2^-100 ULP) on every row, or on rows_sample deterministic random rows
 * (seeded: the seed is in the report), and every point goes through the comparator of vf_ulp.h
 * (vf_cmp: max/p99 ULP, hybrid relative error, normwise L2, class mismatches).  A point FAILS
 * when its class mismatches (NaN or inf where the exact value is finite, and so on) or its error
 * exceeds the tolerance:
 *   VF_TOL_ULP  K    ULP error (vf_ulp_error) > K;
 *   VF_TOL_REL  E    |got - x| > E max(|x|, smallest normal of the dtype)  (hybrid, as vf_cmp);
 *   VF_TOL_AUTO      |got - x| > B(point), B the first-order perturbation bound of THEORY.md §6
 *                    for a kernel evaluated in the candidate's dtype (derivations in
 *                    vf_oracle.c, auto_bounds); not available for ols (needs kappa(X)^2).
 * The candidate must have the output's shape and the inputs' dtype (else VF_E_SHAPE /
 * VF_E_FORMAT); all inputs share one dtype.
 *
 * Status (benchdnn-like), first match wins:
 *   FAILED       at least one point fails;
 *   UNCERTIFIED  some reference element stayed ambiguous at prec_max (its float is unknown);
 *   MISTRUSTED   the data does not exercise the kernel: >= 90% of the checked exact outputs
 *                round to 0 or to a subnormal of the dtype, or every input tensor is constant
 *                (all elements equal) while the output has more than one element, or no point
 *                was checked;
 *   PASSED       otherwise.
 * Exit codes (vf_oracle_exit): PASSED 0, FAILED 1, MISTRUSTED 1, UNCERTIFIED 99; invalid input
 * 2 (vf_exit_code).  MISTRUSTED exits 1 because CI must not go green on data that proves
 * nothing (all zeros, everything underflowing), and 77 ("skipped") is swallowed as a success
 * by common harnesses (automake, ctest, meson); the status line and the report say MISTRUSTED
 * and why, so it is never mistaken for a wrong kernel.
 *
 * Example (a C test suite; build with `cc t.c $(pkg-config --cflags --libs --static veriformer)`):
 *
 *   #include <stdio.h>
 *   #include <vf_oracle.h>     // pkg-config puts <prefix>/include/veriformer on the path
 *   extern void my_softmax(const float *x, float *y, size_t rows, size_t n);
 *   int main(void)
 *   {
 *       enum { R = 4, N = 8 };
 *       float x[R * N], y[R * N];
 *       for (int i = 0; i < R * N; i++) x[i] = (float)((i * 37 % 17) - 8) / 4;
 *       my_softmax(x, y, R, N);
 *       size_t shape[2] = {R, N};
 *       vf_tensor tx, ty;
 *       vf_err e;
 *       vf_oracle_opts o;
 *       vf_oracle_opts_default(&o);                    // --tol auto, every row
 *       vf_oracle_report rep;
 *       if (vf_oracle_tensor_f32(&tx, x, 2, shape, &e) || vf_oracle_tensor_f32(&ty, y, 2, shape, &e)
 *           || vf_compare_softmax(&rep, &tx, &ty, &o, &e)) {
 *           fprintf(stderr, "%s\n", e.msg);
 *           return 2;
 *       }
 *       printf("%s: max %.3g ulp\n", vf_oracle_status_name(rep.status), rep.sum.max_ulp);
 *       vf_tensor_clear(&tx);
 *       vf_tensor_clear(&ty);
 *       return vf_oracle_exit(rep.status);
 *   }
 */
#ifndef VF_ORACLE_H
#define VF_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "vf_npy.h"
#include "vf_round.h"
#include "vf_status.h"
#include "vf_ulp.h"

typedef enum {
    VF_K_SOFTMAX = 0,
    VF_K_LOG_SOFTMAX,
    VF_K_LOGSUMEXP,
    VF_K_RELU,
    VF_K_LORENTZ,
    VF_K_COLU,
    VF_K_MATMUL,
    VF_K_LINEAR_ATTENTION,
    VF_K_ATTENTION,
    VF_K_OLS,
    VF_K__COUNT
} vf_kernel;

/* Stable names ("softmax", ..., "lorentz_projection", "linear_attention", "ols"); lookup gives
 * -1 when unknown.  vf_kernel_inputs: number of input tensors (1, 2 or 3). */
const char *vf_kernel_name(vf_kernel k);
int vf_kernel_from_name(const char *name);
int vf_kernel_inputs(vf_kernel k);

typedef enum { VF_TOL_AUTO = 0, VF_TOL_ULP, VF_TOL_REL } vf_tol_kind;

typedef struct vf_oracle_opts {
    vf_dtype dtype;          /* reference: output dtype (compare: the candidate's) */
    double temperature;      /* softmax family: T > 0 taken exactly; 0 means 1 */
    double scale;            /* attention: taken exactly; 0 means the exact 1/sqrt(D) */
    int causal;              /* linear_attention, attention */
    mpfr_prec_t prec_max;    /* Ziv cap in bits (>= 64); 0 means VF_PREC_MAX */
    vf_tol_kind tol;         /* compare */
    double tol_value;        /* K for VF_TOL_ULP, E for VF_TOL_REL */
    size_t rows_sample;      /* compare: check this many random rows; 0 = every row */
    uint64_t seed;           /* of the row sample */
} vf_oracle_opts;

/* dtype f32, T = 1, default scale, not causal, VF_PREC_MAX, --tol auto, every row,
 * VF_SEED_DEFAULT. */
void vf_oracle_opts_default(vf_oracle_opts *o);

/* A tensor of the given shape (dtype f32) holding x exactly: a convenience for C callers.
 * Release with vf_tensor_clear. */
int vf_oracle_tensor_f32(vf_tensor *t, const float *x, int ndim, const size_t *shape, vf_err *e);

/* ---------------------------------------------------------------- reference */

/* out (a cleared or zeroed tensor; initialised here with the output shape and o->dtype) gets
 * the correctly rounded reference.  in[] holds vf_kernel_inputs(k) tensors.  Returns VF_OK even
 * when some elements stayed uncertified: *n_uncertified (may be NULL) counts them (their value
 * is then the rounding of the midpoint of the last enclosure); the caller decides (the command
 * exits 99). */
int vf_reference(vf_tensor *out, size_t *n_uncertified, vf_kernel k, const vf_tensor *const *in,
                 const vf_oracle_opts *o, vf_err *e);

/* ---------------------------------------------------------------- compare */

typedef enum {
    VF_ORACLE_PASSED = 0,
    VF_ORACLE_FAILED,
    VF_ORACLE_MISTRUSTED,
    VF_ORACLE_UNCERTIFIED
} vf_oracle_status;

const char *vf_oracle_status_name(vf_oracle_status s);
/* Exit code of a status (see the file comment). */
int vf_oracle_exit(vf_oracle_status s);

#define VF_ORACLE_WORST 10

/* One compared point. */
typedef struct vf_oracle_point {
    size_t flat;                   /* index into the output, C order */
    size_t idx[VF_NPY_MAX_DIM];    /* the same as a multi-index (ndim of the output) */
    char exact[64];                /* exact value, 40 significant decimal digits */
    double exact_d;                /* the exact value rounded to the nearest double */
    double expected;               /* correctly rounded to the dtype */
    double got;                    /* the candidate's value */
    double ulp;                    /* ULP error (+inf for a class mismatch) */
    vf_ulp_class cls;
    double abs_err;                /* |got - exact| rounded up (+inf / NaN on class mismatch) */
    double bound;                  /* the tolerance of this point as an absolute error, or the
                                      ULP bound for VF_TOL_ULP */
    int fails, certified;
} vf_oracle_point;

typedef struct vf_oracle_report {
    vf_oracle_status status;
    char why[256];                 /* one sentence: the reason for the status */
    vf_kernel kernel;
    vf_dtype dtype;
    vf_tol_kind tol;
    double tol_value;
    vf_cmp_summary sum;            /* of vf_cmp over the checked points */
    size_t n_fail, n_uncertified, n_tiny; /* failing, uncertified, exact rounding to 0/subnormal */
    size_t rows_total, rows_checked, row_len;
    int sampled;                   /* 1 when rows_checked < rows_total by --rows-sample */
    uint64_t seed;
    mpfr_prec_t prec_used;         /* largest precision any row needed */
    int out_ndim;
    size_t out_shape[VF_NPY_MAX_DIM];
    size_t n_worst;                /* worst points, failing first, then by ULP, worst first */
    vf_oracle_point worst[VF_ORACLE_WORST];
} vf_oracle_report;

/* Runs the reference on in[] and compares cand point by point.  Returns VF_OK with the verdict
 * in r->status, or a code for invalid input (shape/dtype mismatch, NaN input, ...). */
int vf_compare(vf_oracle_report *r, vf_kernel k, const vf_tensor *const *in,
               const vf_tensor *cand, const vf_oracle_opts *o, vf_err *e);

/* The inputs that determine output point `flat`: up to 3 spans (tensor index, first element,
 * stride, count), e.g. the softmax row, the matmul row of A and column of B.  Returns the
 * number of spans. */
typedef struct vf_oracle_span {
    int tensor;
    size_t start, stride, count;
} vf_oracle_span;
int vf_oracle_point_inputs(vf_oracle_span sp[3], vf_kernel k, const vf_tensor *const *in,
                           size_t flat);

/* ---------------------------------------------------------------- per-kernel entry points */

int vf_reference_softmax(vf_tensor *out, const vf_tensor *x, const vf_oracle_opts *o, vf_err *e);
int vf_reference_log_softmax(vf_tensor *out, const vf_tensor *x, const vf_oracle_opts *o,
                             vf_err *e);
int vf_reference_logsumexp(vf_tensor *out, const vf_tensor *x, const vf_oracle_opts *o,
                           vf_err *e);
int vf_reference_relu(vf_tensor *out, const vf_tensor *x, const vf_oracle_opts *o, vf_err *e);
int vf_reference_matmul(vf_tensor *out, const vf_tensor *a, const vf_tensor *b,
                        const vf_oracle_opts *o, vf_err *e);
int vf_reference_attention(vf_tensor *out, const vf_tensor *q, const vf_tensor *k,
                           const vf_tensor *v, const vf_oracle_opts *o, vf_err *e);

int vf_compare_softmax(vf_oracle_report *r, const vf_tensor *x, const vf_tensor *cand,
                       const vf_oracle_opts *o, vf_err *e);
int vf_compare_log_softmax(vf_oracle_report *r, const vf_tensor *x, const vf_tensor *cand,
                           const vf_oracle_opts *o, vf_err *e);
int vf_compare_logsumexp(vf_oracle_report *r, const vf_tensor *x, const vf_tensor *cand,
                         const vf_oracle_opts *o, vf_err *e);
int vf_compare_relu(vf_oracle_report *r, const vf_tensor *x, const vf_tensor *cand,
                    const vf_oracle_opts *o, vf_err *e);
int vf_compare_matmul(vf_oracle_report *r, const vf_tensor *a, const vf_tensor *b,
                      const vf_tensor *cand, const vf_oracle_opts *o, vf_err *e);
int vf_compare_attention(vf_oracle_report *r, const vf_tensor *q, const vf_tensor *k,
                         const vf_tensor *v, const vf_tensor *cand, const vf_oracle_opts *o,
                         vf_err *e);

#endif
