/* vf_softmax.h — certified softmax, log-softmax, logsumexp, free energy, KL, entropy, the
 * thermodynamic quantities of the Gibbs state and softmax attention (THEORY.md §2.6, §5, §6).
 *
 * Every kernel encloses its result in MPFI at the precision of its output matrix (out->prec):
 * the returned intervals are guaranteed to contain the real values.  Each kernel also has a
 * correctly rounded entry point (`_cr`) that runs it through vf_round_ziv (vf_round.h) from
 * VF_PREC_START to VF_PREC_MAX bits.
 *
 * Conventions (rows are independent instances, all kernels act row by row):
 *   logits s, temperature T > 0:  softmax_T(s)_j = e^{s_j/T} / sum_k e^{s_k/T}
 *                                  LSE_T(s)       = T log sum_k e^{s_k/T}
 *   energies E = -s (Gibbs state):  p*_j = e^{-E_j/T} / Z,  Z = sum_j e^{-E_j/T}
 *   F[q] = sum q_j E_j + T sum q_j log q_j,  KL(q||p) = sum q_j log(q_j/p_j),
 *   S[p] = -sum p_j log p_j,  with 0 log 0 = 0: an entry q_j that is exactly 0 contributes
 *   exactly 0.  U* = <E>_{p*}, S* = log Z + U* / T, F* = -T log Z, C = Var_{p*}(E)/T^2
 *   (two-pass variance sum p_j (E_j - U*)^2).
 * Masking: a -inf logit (+inf energy) or an entry flagged in src->mask is masked: its
 *   probability is exactly 0 and it is dropped from Z, U*, S*, C.  A row with every entry
 *   masked (Z = 0), a +inf logit (-inf energy: all mass on it, F* = -inf) or a NaN is
 *   VF_E_DOMAIN with a message naming the row and column.  log-softmax of a masked entry is
 *   exactly -inf (a point interval), the only infinite value a kernel returns.
 * Numerics: logits are shifted by (an upper bound of) the row maximum before exp, so every
 *   exponent is <= 0: logits beyond +-88 (or tiny T) need no special care (§5.6, §6).
 */
#ifndef VF_SOFTMAX_H
#define VF_SOFTMAX_H

#include <gmp.h>
#include <mpfi.h>

#include "vf_iv.h"
#include "vf_q.h"
#include "vf_round.h"
#include "vf_status.h"

/* An exact input matrix: float32, float64 or rational values, row-major rows x cols. */
typedef enum { VF_SM_F32 = 0, VF_SM_F64, VF_SM_Q } vf_sm_kind;

typedef struct vf_sm_src {
    vf_sm_kind kind;
    size_t rows, cols;
    const float *f32;          /* kind VF_SM_F32 */
    const double *f64;         /* kind VF_SM_F64 */
    const vf_qmat *q;          /* kind VF_SM_Q: must be rows x cols */
    const unsigned char *mask; /* optional, rows*cols: nonzero = masked (needed for rationals,
                                  which have no infinity; ignored by the distribution kernels) */
    int energy;                /* 0: values are logits s; 1: values are energies E = -s */
} vf_sm_src;

/* Temperature T = t (is_sqrt = 0) or T = sqrt(t) (is_sqrt = 1, e.g. T = sqrt(d_k)), t > 0
 * rational; t == NULL means T = 1.  T <= 0 -> VF_E_DOMAIN (T = 0 is hardmax, not covered). */
typedef struct vf_temp {
    mpq_srcptr t;
    int is_sqrt;
} vf_temp;

/* Encloses T in out (at out's precision). */
int vf_temp_enclose(mpfi_t out, const vf_temp *T, vf_err *e);

/* p (rows x cols) = softmax_T of the logits (or Gibbs state of the energies) of s. */
int vf_ref_softmax(vf_imat *p, const vf_sm_src *s, const vf_temp *T, vf_err *e);
/* out (rows x cols) = log softmax_T(s); masked entries are the point -inf. */
int vf_ref_log_softmax(vf_imat *out, const vf_sm_src *s, const vf_temp *T, vf_err *e);
/* out (rows x 1) = LSE_T(s) = T log sum_j e^{s_j/T} (for energies: LSE_T(-E) = -F*). */
int vf_ref_logsumexp(vf_imat *out, const vf_sm_src *s, const vf_temp *T, vf_err *e);

/* Thermodynamic quantities of the Gibbs state, one per row (out rows x 1). */
typedef enum {
    VF_TH_LOGZ = 0, /* log Z */
    VF_TH_F,        /* F* = -T log Z */
    VF_TH_U,        /* U* = <E>_{p*} */
    VF_TH_S,        /* S* = log Z + U* / T */
    VF_TH_C         /* C = Var_{p*}(E) / T^2 */
} vf_thermo_q;
int vf_ref_thermo(vf_imat *out, const vf_sm_src *E, const vf_temp *T, vf_thermo_q what,
                  vf_err *e);

/* Distributions are given as enclosures (rows x cols), e.g. exact rationals through
 * vf_imat_from_q or a Gibbs state from vf_ref_softmax.  Each row must be a point of the closed
 * simplex as far as the enclosures tell: no entry certainly negative or containing negative
 * values, and the row sum enclosing 1 — else VF_E_DOMAIN naming the row. */

/* out (rows x 1) = F[q] for the energies E (masked energies need q_j exactly 0, else
 * F[q] = +inf: VF_E_DOMAIN). */
int vf_ref_free_energy(vf_imat *out, const vf_sm_src *E, const vf_imat *q, const vf_temp *T,
                       vf_err *e);
/* out (rows x 1) = KL(q || p); q_j > 0 where p_j may be 0 -> VF_E_DOMAIN (KL = +inf). */
int vf_ref_kl(vf_imat *out, const vf_imat *q, const vf_imat *p, vf_err *e);
/* out (rows x 1) = S[p] = -sum p_j log p_j. */
int vf_ref_entropy(vf_imat *out, const vf_imat *p, vf_err *e);

/* P (m x n) = softmax(Q K^T / sqrt(d_k)) for Q (m x d_k), K (n x d_k), both finite; mask
 * (optional, m*n, nonzero = masked) drops keys per query.  d_k = 0 or differing widths ->
 * VF_E_SHAPE. */
int vf_ref_attention(vf_imat *P, const vf_sm_src *Q, const vf_sm_src *K,
                     const unsigned char *mask, vf_err *e);

/* Correctly rounded entry points (to dt = VF_DT_F32 or VF_DT_F64; f16 works too) through
 * vf_round_ziv; distributions are exact sources here (re-enclosed at every precision).
 * r must be released with vf_rounded_clear. */
int vf_ref_softmax_cr(vf_rounded *r, const vf_sm_src *s, const vf_temp *T, vf_dtype dt,
                      vf_err *e);
int vf_ref_log_softmax_cr(vf_rounded *r, const vf_sm_src *s, const vf_temp *T, vf_dtype dt,
                          vf_err *e);
int vf_ref_logsumexp_cr(vf_rounded *r, const vf_sm_src *s, const vf_temp *T, vf_dtype dt,
                        vf_err *e);
int vf_ref_thermo_cr(vf_rounded *r, const vf_sm_src *E, const vf_temp *T, vf_thermo_q what,
                     vf_dtype dt, vf_err *e);
int vf_ref_free_energy_cr(vf_rounded *r, const vf_sm_src *E, const vf_sm_src *q,
                          const vf_temp *T, vf_dtype dt, vf_err *e);
int vf_ref_kl_cr(vf_rounded *r, const vf_sm_src *q, const vf_sm_src *p, vf_dtype dt,
                 vf_err *e);
int vf_ref_entropy_cr(vf_rounded *r, const vf_sm_src *p, vf_dtype dt, vf_err *e);
int vf_ref_attention_cr(vf_rounded *r, const vf_sm_src *Q, const vf_sm_src *K,
                        const unsigned char *mask, vf_dtype dt, vf_err *e);

/* Encloses the exact values of a finite source (no masks) in m (initialised, same shape):
 * the distribution loader of the _cr entry points, also handy for claims. */
int vf_sm_src_enclose(vf_imat *m, const vf_sm_src *s, vf_err *e);

#endif
