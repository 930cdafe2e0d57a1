/* vf_fast_attention.h — fused softmax attention, flash-style, float32 (issue 6).
 * Written once in fast/kernels/attention.c against the ISA helper headers; the public name
 * dispatches on the active ISA (vf_fast.h).
 *
 *   O = softmax(scale Q K^T [+ causal mask]) V
 *
 * Layout: [batch, heads, seq, dim], contiguous row-major: Q [B, H, Sq, D], K [B, H, Sk, D],
 *   V [B, H, Sk, Dv], O [B, H, Sq, Dv].  O must not overlap the inputs.  Any sizes (D and Dv
 *   need not be multiples of the vector width).
 * scale: used as given (the oracle VF_K_ATTENTION takes it exactly); the usual 1/sqrt(D) is
 *   the caller's job: pass (float)(1/sqrt(D)) (exact for D = 4^k, else one rounding, which the
 *   accuracy bound below accounts for, as the oracle's default scale is the exact 1/sqrt(D)).
 * causal != 0: query i sees key j iff j <= i (top-left aligned, PyTorch is_causal), for any
 *   Sq, Sk: with Sq > Sk the rows i >= Sk see every key, with Sq < Sk the keys j >= Sq are
 *   never used.  Every row sees key 0, so no row is empty when Sk >= 1.
 *
 * Algorithm: query tiles of 48 rows x key blocks of 64 (L1-resident), scores by a register
 *   -blocked microkernel (queries in vector lanes), online softmax in the biased-exponent form
 *   of fast/kernels/vexp.h: e_j = exp(r_j) 2^(k_j - N), N = round(running max * log2 e), so
 *   the logit minus the running max is never formed and the rescaling of the accumulators
 *   when the max grows is by an exact power of two.  Fully masked causal blocks are skipped,
 *   the diagonal block is masked.  The Sq x Sk score matrix is never stored.
 *   Summation orders are fixed (keys in increasing order, per 64-key block then across
 *   blocks), so a result depends neither on the thread count nor on the other rows.
 *
 * Accuracy (THEORY.md §6 perturbation bound, derivation in tests/test_attention_fast.c):
 *   |O_ic - exact| <= sum_j (gamma_{2 Sk + 3} + Delta_ij + D_i) p_ij |V_jc| + Sk eta, with
 *   Delta_ij = gamma_D scale |q_i|.|k_j| + 2u |a_ij| the logit error, D_i = sum_j p_ij
 *   Delta_ij: the oracle's VF_TOL_AUTO bound for attention.  This is an absolute bound
 *   relative to sum_j p_ij |V_jc|, not a ULP bound (under cancellation in P V no ULP bound
 *   exists).  Rows with |max logit| > 2^22 are evaluated in float64 (slower, more accurate).
 *
 * NaN / inf policy (the function never fails or traps):
 *   - a row whose logits (scale q_i . k_j over the keys it sees, evaluated in float) are not
 *     all finite — a NaN or infinity in Q row i or in a K row it sees, a non-finite scale, or
 *     a logit that overflows — is NaN in every entry, and is counted;
 *   - otherwise a NaN in V[j, c] (key j seen by row i) gives O[i, c] = NaN, and +-inf in
 *     V[j, c] gives +-inf or NaN in O[i, c] (IEEE propagation); other columns are unaffected;
 *   - Sk == 0 (no key: the softmax of an empty row is undefined, as an all-masked softmax row)
 *     makes every row NaN, counted; D == 0 gives logits 0, so O = the mean of the V rows seen;
 *   - Dv == 0 or Sq == 0 or B H == 0: nothing to write, returns 0.
 *   If the scratch memory (a few tens of KiB per thread) cannot be allocated, the rows of the
 *   affected work items are NaN and counted.
 * Returns the number of NaN rows produced by the policy above (0 for valid input).
 * Threads: OpenMP over (batch, head, 48-query tile) work items when B H Sq Dv >=
 *   VF_PAR_MIN_ELEMS (vf_par.h); results are bitwise identical for any thread count.
 */
#ifndef VF_FAST_ATTENTION_H
#define VF_FAST_ATTENTION_H

#include <stddef.h>

#include "vf_fast.h"

VF_DECLARE_KERNEL(size_t, vf_attention_f32,
                  (const float *Q, const float *K, const float *V, float *O, size_t B, size_t H,
                   size_t Sq, size_t Sk, size_t D, size_t Dv, float scale, int causal));

#endif
