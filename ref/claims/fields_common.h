/* fields_common.h — the trial driver and evidence helpers shared by the "attention as fields and
 * flows" claims (potentials.c, sympformer.c, meanfield.c).
 *
 * A claim runs a trial function on o->trials generated instances (trial index t picks the kind
 * of instance).  Exact claims compare rationals (fc_differ, fc_differ_q); certified claims
 * enclose residuals in MPFI (fc_resid: must contain 0; fc_ineq: must be >= 0, an enclosure
 * straddling 0 is a tight case counted like a residual).  A certified trial is re-run with the
 * precision doubled (from o->prec or FC_PREC up to VF_PREC_MAX) until every residual is within
 * 2^-k with k >= p/2; at the cap the verdict is UNCERTIFIED.  The first failing comparison sets
 * REFUTED with the instance, the exact difference or the enclosure excluding 0, and a repro line.
 */
#ifndef VF_FIELDS_COMMON_H
#define VF_FIELDS_COMMON_H

#include <mpfi.h>

#include "vf_claims.h"
#include "vf_iv.h"
#include "vf_q.h"

#define FC_PREC 128 /* default working precision of certified claims (bits) */

typedef struct fc_ctx {
    const vf_claim *claim;
    const vf_claim_opts *o;
    vf_claim_result *r;
    int t;              /* trial index */
    int notes;          /* 1: this evaluation may add notes (trial 0, final precision) */
    mpfr_prec_t p;      /* working precision of this evaluation */
    long kmin;          /* certified bits of this evaluation */
    int refuted;
    long residuals, proved, tight;
    char label[200];    /* instance description, set by the trial function */
} fc_ctx;

typedef int (*fc_trial_fn)(fc_ctx *c, vf_err *e);

/* Runs fn over the trials; certified = 1 for class T / Q-sqrt claims.  what = one line for the
 * summary of a held claim. */
int fc_run(const vf_claim *claim, const vf_claim_opts *o, vf_claim_result *r, vf_err *e,
           fc_trial_fn fn, int certified, const char *what);

/* Exact comparisons: return 1 (and set REFUTED with the first differing entry, both values and
 * the exact difference) when got != want. */
int fc_differ(fc_ctx *c, const char *what, const vf_qmat *got, const vf_qmat *want);
int fc_differ_q(fc_ctx *c, const char *what, const mpq_t got, const mpq_t want);
/* Certified checks on one enclosure (see the file comment); return 1 when refuted. */
int fc_resid(fc_ctx *c, const char *what, size_t i, size_t j, mpfi_srcptr x);
int fc_ineq(fc_ctx *c, const char *what, size_t i, size_t j, mpfi_srcptr x);
/* Residuals a - b entry by entry (same shape); returns 1 when refuted. */
int fc_resid_mat(fc_ctx *c, const char *what, const vf_imat *a, const vf_imat *b);

/* Notes: a rational matrix "[[..], ..]" (cut after ~600 characters), an enclosure. */
void fc_note_q(vf_claim_result *r, const char *key, const vf_qmat *m);
void fc_note_iv(vf_claim_result *r, const char *key, mpfi_srcptr x);

/* Small exact helpers: c = a b, t = aᵀ (initialised here); s = m + mᵀ (initialised here). */
int fc_mul_new(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e);
int fc_transpose_new(vf_qmat *t, const vf_qmat *a, vf_err *e);
int fc_sym_new(vf_qmat *s, const vf_qmat *m, vf_err *e);
/* m (initialised here) = small rationals of tensor `tensor` (numerators in [-3, 3], denominators
 * in [1, 3]). */
int fc_small_new(vf_qmat *m, size_t rows, size_t cols, const fc_ctx *c, uint64_t tensor,
                 vf_err *e);

/* d x d small-rational parameter of tensor id `tensor` (initialised here), symmetrised
 * (M + M^T) when sym. */
int fc_param_new(vf_qmat *m, size_t d, const fc_ctx *c, uint64_t tensor, int sym, vf_err *e);
/* Clears k matrices. */
void fc_clear_q(vf_qmat *const *m, size_t k);

/* Defines a claim checker `name` that runs the trial function fn through fc_run. */
#define CHECKER(name, fn, cert, what)                                                           \
    static int name(const vf_claim *cl, const vf_claim_opts *o, vf_claim_result *r, vf_err *e) \
    {                                                                                           \
        return fc_run(cl, o, r, e, fn, cert, what);                                             \
    }

#endif
