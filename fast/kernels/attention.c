/* attention.c — fused softmax attention, flash-style, one source for every ISA (contract and
 * NaN/inf policy in vf_fast_attention.h).
 *
 * Work item = (batch, head, tile of MQ = 48 queries).  For each key block of NC = 64 keys:
 *   1. scores  S[j][q] = scale * (q_q . k_j) by a register-blocked microkernel with the
 *              queries in vector lanes (Q^T of the tile packed once, K read in place, each
 *              k_j[d] broadcast): the per-query statistics are then lane-wise, with no
 *              horizontal reduction.  The epilogue masks the causal diagonal block and keeps
 *              the block max and min per query;
 *   2. stats   running max m, N = round(m log2 e), alpha = 2^(N_old - N) (exact);
 *   3. exps    e_j = exp(r_j) 2^(k_j - N), k_j = round(s_j log2 e), r_j = s_j - k_j ln 2
 *              (fast/kernels/vexp.h: exact first reduction step, degree-6 polynomial): the
 *              difference s_j - m is never formed, and rescaling by alpha is exact, so the
 *              online softmax adds no rounding of its own; l <- l alpha + sum_j e_j;
 *   4. P V     O_acc[q][c] <- O_acc[q][c] alpha_q + sum_j e_j[q] V[j][c] (register blocked,
 *              the block sum from 0 in key order, then one FMA into the accumulator).
 * At the end O = O_acc / l (one division).  Causal: blocks beyond the tile's last query are
 * skipped, only the block(s) crossing the diagonal are masked.
 *
 * Rows whose |max logit| exceeds ZLIM = 2^22 (where the exp reduction stops being exact) are
 * recomputed in float64 (wide_row).  Entries more than 200 below the running max are clamped
 * there (exp < 2^-288: exactly 0 after scaling), which also keeps huge negative logits out of
 * the inexact reduction range.  A -inf logit would be clamped too, so the running minimum
 * catches it for the NaN-row policy; NaN and +inf logits propagate to l by themselves.
 */
#include "vf_fast_attention.h"
#include "vf_par.h"
#include "vf_simd.h"
#include "vexp.h"

#include <float.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MQ 48 /* queries per tile (work item) */
#define NC 64 /* keys per block: S (12 KiB) and a 64-column V panel (16 KiB) stay in L1 */

/* Register tiles per ISA: scores NR keys x QV query vectors, P V RQ queries x CV vectors. */
#if VF_W == 16
#define QV 3
#define NR 8
#define RQ 6
#define CV 4
#elif VF_W == 8
#define QV 2
#define NR 4
#define RQ 6
#define CV 2
#else
#define QV 4
#define NR 2
#define RQ 4
#define CV 2
#endif
#define QS (QV * VF_W)  /* queries per score strip */
#define NQV (MQ / VF_W) /* query vectors per tile */
_Static_assert(MQ % QS == 0 && MQ % RQ == 0 && NC % NR == 0 && MQ % VF_W == 0, "tile sizes");

/* A causally masked logit: finite (the running minimum flags only real -inf logits), below
 * every allowed logit's clamp floor, so its weight is exactly 0. */
#define MASKED (-FLT_MAX)

/* Per-thread scratch: every array 64-byte aligned. */
typedef struct {
    float *buf;
    float *qt;   /* [D][MQ] the tile's queries, transposed, zero beyond the last query */
    float *s;    /* [NC][MQ] scores, then e_j */
    float *oacc; /* [MQ][dvp] the unnormalised output */
    float *vp;   /* [NC][dvp] V block padded to whole vectors (Dv % VF_W != 0 only) */
    float *mt, *nn, *fl, *l, *mn, *al, *bm, *bn, *qi; /* [MQ] per-query statistics */
    double *wide; /* [Dv] float64 accumulator of wide_row */
} work;

static size_t round_up(size_t n, size_t m) { return (n + m - 1) / m * m; }

static int work_alloc(work *w, size_t D, size_t Dv)
{
    size_t dvp = round_up(Dv, VF_W), d1 = D ? D : 1;
    size_t n = MQ * d1 + NC * MQ + MQ * dvp + (Dv % VF_W ? NC * dvp : 0) + 9 * MQ +
               round_up(2 * Dv, 16);
    memset(w, 0, sizeof *w);
    w->buf = aligned_alloc(64, round_up(n * sizeof(float), 64));
    if (!w->buf)
        return 0;
    float *p = w->buf;
    w->qt = p, p += MQ * d1;
    w->s = p, p += NC * MQ;
    w->oacc = p, p += MQ * dvp;
    if (Dv % VF_W)
        w->vp = p, p += NC * dvp;
    float **st[9] = {&w->mt, &w->nn, &w->fl, &w->l, &w->mn, &w->al, &w->bm, &w->bn, &w->qi};
    for (int k = 0; k < 9; k++)
        *st[k] = p, p += MQ;
    w->wide = (double *)(void *)p;
    return 1;
}

/* One strip of the score microkernel: acc[jj][v] = sum_d k_jj[d] qt[d][v], d in order. */
static inline __attribute__((always_inline)) void score_strip(const float *qt,
                                                              const float *const kr[NR],
                                                              size_t D, vf_v acc[NR][QV])
{
#pragma GCC unroll 16
    for (int jj = 0; jj < NR; jj++)
#pragma GCC unroll 16
        for (int v = 0; v < QV; v++)
            acc[jj][v] = vf_v_set1(0.0f);
    for (size_t d = 0; d < D; d++) {
        const float *qp = qt + d * MQ;
        vf_v qv[QV];
#pragma GCC unroll 16
        for (int v = 0; v < QV; v++)
            qv[v] = vf_v_load(qp + v * VF_W);
#pragma GCC unroll 16
        for (int jj = 0; jj < NR; jj++) {
            vf_v kb = vf_v_set1(kr[jj][d]);
#pragma GCC unroll 16
            for (int v = 0; v < QV; v++)
                acc[jj][v] = vf_v_fma(kb, qv[v], acc[jj][v]);
        }
    }
}

/* Step 1: S[j][q] for the nc keys of the block starting at key j0 (K points at key j0),
 * block max / min per query into w->bm / w->bn (masked entries count as MASKED). */
static void scores(work *w, const float *K, size_t D, size_t j0, size_t nc, float scale, int diag)
{
    const vf_v sc = vf_v_set1(scale), masked = vf_v_set1(MASKED);
    for (size_t qs = 0; qs < MQ; qs += QS) {
        vf_v m[QV], n[QV], qi[QV];
#pragma GCC unroll 16
        for (int v = 0; v < QV; v++) {
            m[v] = vf_v_set1(-INFINITY);
            n[v] = vf_v_set1(INFINITY);
            qi[v] = vf_v_load(w->qi + qs + v * VF_W);
        }
        for (size_t js = 0; js < nc; js += NR) {
            size_t nr = nc - js < NR ? nc - js : NR;
            const float *kr[NR];
            /* Keys past the block's end repeat its last key (valid memory, not stored). */
#pragma GCC unroll 16
            for (int jj = 0; jj < NR; jj++)
                kr[jj] = K + (js + ((size_t)jj < nr ? (size_t)jj : nr - 1)) * D;
            vf_v acc[NR][QV];
            score_strip(w->qt + qs, kr, D, acc);
#pragma GCC unroll 16
            for (int jj = 0; jj < NR; jj++) {
                if ((size_t)jj >= nr)
                    break;
                float *srow = w->s + (js + (size_t)jj) * MQ + qs;
                vf_v jf = vf_v_set1((float)(j0 + js + (size_t)jj));
#pragma GCC unroll 16
                for (int v = 0; v < QV; v++) {
                    vf_v t = vf_v_mul(acc[jj][v], sc);
                    if (diag) /* key j visible to query i iff i >= j */
                        t = vf_v_ge_sel(qi[v], jf, t, masked);
                    vf_v_store(srow + v * VF_W, t);
                    m[v] = vf_v_max(t, m[v]); /* a NaN t is skipped (propagates via e) */
                    n[v] = vf_v_min(t, n[v]);
                }
            }
        }
#pragma GCC unroll 16
        for (int v = 0; v < QV; v++) {
            vf_v_store(w->bm + qs + v * VF_W, m[v]);
            vf_v_store(w->bn + qs + v * VF_W, n[v]);
        }
    }
}

/* Steps 2 and 3: new max, exact rescale factor, e_j in place of S, l. */
static void stats_exps(work *w, size_t nc)
{
    for (size_t v = 0; v < NQV; v++) {
        size_t o = v * VF_W;
        vf_v mt = vf_v_max(vf_v_load(w->bm + o), vf_v_load(w->mt + o));
        vf_v nn = vf_v_round(vf_v_mul(mt, vf_v_set1(LOG2E))); /* = k of the max entry */
        vf_v al = vf_v_scale2(vf_v_set1(1.0f), vf_v_sub(vf_v_load(w->nn + o), nn));
        vf_v fl = vf_v_add(mt, vf_v_set1(-ZFLOOR_GAP));
        vf_v_store(w->mt + o, mt);
        vf_v_store(w->nn + o, nn);
        vf_v_store(w->al + o, al);
        vf_v_store(w->mn + o, vf_v_min(vf_v_load(w->bn + o), vf_v_load(w->mn + o)));
        vf_v ls0 = vf_v_set1(0.0f), ls1 = ls0;
        float *p = w->s + o;
        size_t j = 0;
        /* Two independent chains; the pairing is fixed, so the order is too. */
        for (; j + 2 <= nc; j += 2) {
            vf_v t0 = vf_v_max(fl, vf_v_load(p + j * MQ)); /* second operand: NaN stays */
            vf_v t1 = vf_v_max(fl, vf_v_load(p + (j + 1) * MQ));
            vf_v k0 = vf_v_round(vf_v_mul(t0, vf_v_set1(LOG2E)));
            vf_v k1 = vf_v_round(vf_v_mul(t1, vf_v_set1(LOG2E)));
            vf_v e0 = vf_v_scale2(exp_reduced(reduce(t0, k0)), vf_v_sub(k0, nn));
            vf_v e1 = vf_v_scale2(exp_reduced(reduce(t1, k1)), vf_v_sub(k1, nn));
            vf_v_store(p + j * MQ, e0);
            vf_v_store(p + (j + 1) * MQ, e1);
            ls0 = vf_v_add(ls0, e0);
            ls1 = vf_v_add(ls1, e1);
        }
        if (j < nc) {
            vf_v t0 = vf_v_max(fl, vf_v_load(p + j * MQ));
            vf_v k0 = vf_v_round(vf_v_mul(t0, vf_v_set1(LOG2E)));
            vf_v e0 = vf_v_scale2(exp_reduced(reduce(t0, k0)), vf_v_sub(k0, nn));
            vf_v_store(p + j * MQ, e0);
            ls0 = vf_v_add(ls0, e0);
        }
        /* l alpha is exact (a power of two), so this is one rounding. */
        vf_v_store(w->l + o, vf_v_fma(vf_v_load(w->l + o), al, vf_v_add(ls0, ls1)));
    }
}

/* Step 4 for queries r0 .. r0+RQ-1 and cv vectors of columns: vb points at column c0 of the
 * block's first V row (row stride ldv), oa at O_acc[r0][c0].  Keys j < jlo are seen by every
 * row of the strip; key j in [jlo, jhi) (causal diagonal) only by the rows r >= j + off;
 * keys j >= jhi by none.  Unseen keys are skipped rather than multiplied by their zero
 * weight, so a NaN or inf in a V row never reaches a query that does not see it. */
static inline __attribute__((always_inline)) void pv_tile(const work *w, const float *vb,
                                                          size_t ldv, size_t jlo, size_t jhi,
                                                          ptrdiff_t off, float *oa, size_t dvp,
                                                          size_t r0, int cv)
{
    vf_v acc[RQ][CV];
#pragma GCC unroll 16
    for (int r = 0; r < RQ; r++)
#pragma GCC unroll 16
        for (int c = 0; c < CV; c++)
            acc[r][c] = vf_v_set1(0.0f);
    const float *pj = w->s + r0;
    for (size_t j = 0; j < jlo; j++, pj += MQ, vb += ldv) {
        vf_v vv[CV];
#pragma GCC unroll 16
        for (int c = 0; c < CV; c++)
            if (c < cv)
                vv[c] = vf_v_load(vb + c * VF_W);
#pragma GCC unroll 16
        for (int r = 0; r < RQ; r++) {
            vf_v pb = vf_v_set1(pj[r]);
#pragma GCC unroll 16
            for (int c = 0; c < CV; c++)
                if (c < cv)
                    acc[r][c] = vf_v_fma(pb, vv[c], acc[r][c]);
        }
    }
    for (size_t j = jlo; j < jhi; j++, pj += MQ, vb += ldv) {
        ptrdiff_t first = (ptrdiff_t)j + off; /* first row of the strip that sees key j */
#pragma GCC unroll 16
        for (int r = 0; r < RQ; r++) {
            if ((ptrdiff_t)r < first)
                continue;
            vf_v pb = vf_v_set1(pj[r]);
#pragma GCC unroll 16
            for (int c = 0; c < CV; c++)
                if (c < cv)
                    acc[r][c] = vf_v_fma(pb, vf_v_load(vb + c * VF_W), acc[r][c]);
        }
    }
#pragma GCC unroll 16
    for (int r = 0; r < RQ; r++) {
        vf_v al = vf_v_set1(w->al[r0 + (size_t)r]);
        float *o = oa + (size_t)r * dvp;
#pragma GCC unroll 16
        for (int c = 0; c < CV; c++)
            if (c < cv)
                vf_v_store(o + c * VF_W, vf_v_fma(vf_v_load(o + c * VF_W), al, acc[r][c]));
    }
}

/* Keys of the block (first key j0, nc keys) seen by query row a - 1 of the head: min(nc,
 * a - j0), 0 when a <= j0. */
static size_t seen(size_t a, size_t j0, size_t nc) { return a <= j0 ? 0 : a - j0 < nc ? a - j0 : nc; }

/* Step 4 for the block of nc keys starting at key j0 (Vb = its first V row); diag: the
 * causal diagonal crosses the block (tile's first query i0). */
static void pv(work *w, const float *Vb, size_t Dv, size_t nc, int diag, size_t i0, size_t j0)
{
    size_t dvp = round_up(Dv, VF_W), nvec = dvp / VF_W, ldv = Dv;
    if (w->vp) { /* pad the block's rows to whole vectors */
        for (size_t j = 0; j < nc; j++) {
            memcpy(w->vp + j * dvp, Vb + j * Dv, Dv * sizeof(float));
            memset(w->vp + j * dvp + Dv, 0, (dvp - Dv) * sizeof(float));
        }
        Vb = w->vp;
        ldv = dvp;
    }
    for (size_t c0 = 0; c0 < nvec; c0 += CV) {
        int cv = (int)(nvec - c0 < CV ? nvec - c0 : CV);
        const float *vb = Vb + c0 * VF_W;
        for (size_t r0 = 0; r0 < MQ; r0 += RQ) {
            float *oa = w->oacc + r0 * dvp + c0 * VF_W;
            size_t jlo = diag ? seen(i0 + r0 + 1, j0, nc) : nc;
            size_t jhi = diag ? seen(i0 + r0 + RQ, j0, nc) : nc;
            ptrdiff_t off = (ptrdiff_t)j0 - (ptrdiff_t)(i0 + r0); /* key j0+j: row j0+j-i0-r0 */
            switch (cv) { /* constant cv per call: fully unrolled register tiles */
#if CV >= 4
            case 4: pv_tile(w, vb, ldv, jlo, jhi, off, oa, dvp, r0, 4); break;
            case 3: pv_tile(w, vb, ldv, jlo, jhi, off, oa, dvp, r0, 3); break;
#endif
            case 2: pv_tile(w, vb, ldv, jlo, jhi, off, oa, dvp, r0, 2); break;
            default: pv_tile(w, vb, ldv, jlo, jhi, off, oa, dvp, r0, 1); break;
            }
        }
    }
}

/* Float64 evaluation of one row (|max logit| > ZLIM): exact products, float64 sums, a shift
 * by the float64 max, one final rounding per output. */
static void wide_row(const float *q, const float *K, const float *V, float *o, size_t nk,
                     size_t D, size_t Dv, float scale, double *acc)
{
    double m = -INFINITY, l = 0;
    for (size_t j = 0; j < nk; j++) {
        double s = 0;
        for (size_t d = 0; d < D; d++)
            s += (double)q[d] * K[j * D + d];
        m = fmax(m, s * scale);
    }
    for (size_t c = 0; c < Dv; c++)
        acc[c] = 0;
    for (size_t j = 0; j < nk; j++) {
        double s = 0;
        for (size_t d = 0; d < D; d++)
            s += (double)q[d] * K[j * D + d];
        double e = exp(s * scale - m);
        l += e;
        for (size_t c = 0; c < Dv; c++)
            acc[c] += e * V[j * Dv + c];
    }
    for (size_t c = 0; c < Dv; c++)
        o[c] = (float)(acc[c] / l);
}

static void nan_rows(float *o, size_t n)
{
    for (size_t i = 0; i < n; i++)
        o[i] = NAN;
}

/* One work item: queries i0 .. i0+mq-1 of one head (Q, K, V, O at the head's start).
 * Returns the number of NaN rows of the policy. */
static size_t tile(work *w, const float *Q, const float *K, const float *V, float *O, size_t Sq,
                   size_t Sk, size_t D, size_t Dv, float scale, int causal, size_t i0)
{
    size_t mq = Sq - i0 < MQ ? Sq - i0 : MQ, dvp = round_up(Dv, VF_W);
    for (size_t q = 0; q < MQ; q++) {
        for (size_t d = 0; d < D; d++)
            w->qt[d * MQ + q] = q < mq ? Q[(i0 + q) * D + d] : 0.0f;
        w->mt[q] = w->nn[q] = -INFINITY;
        w->mn[q] = INFINITY;
        w->l[q] = 0.0f;
        w->qi[q] = (float)(i0 + q); /* exact below 2^24 queries */
    }
    memset(w->oacc, 0, MQ * dvp * sizeof(float));
    size_t jend = causal && i0 + mq < Sk ? i0 + mq : Sk; /* last query sees keys < i0 + mq */
    for (size_t j0 = 0; j0 < jend; j0 += NC) {
        size_t nc = jend - j0 < NC ? jend - j0 : NC;
        int diag = causal && j0 + nc - 1 > i0; /* some (query, key) pair is masked */
        scores(w, K + j0 * D, D, j0, nc, scale, diag);
        stats_exps(w, nc);
        pv(w, V + j0 * Dv, Dv, nc, diag, i0, j0);
    }
    size_t bad = 0;
    for (size_t q = 0; q < mq; q++) {
        float *o = O + (i0 + q) * Dv;
        /* l >= 0.7 for finite logits (the max entry is exp(r) >= 2^-1/2); NaN otherwise. */
        if (!(w->l[q] >= 0.5f) || !(w->mn[q] > -INFINITY)) {
            nan_rows(o, Dv);
            bad++;
            continue;
        }
        if (!(fabsf(w->mt[q]) <= ZLIM)) {
            size_t nk = causal && i0 + q + 1 < Sk ? i0 + q + 1 : Sk;
            wide_row(Q + (i0 + q) * D, K, V, o, nk, D, Dv, scale, w->wide);
            continue;
        }
        vf_v lv = vf_v_set1(w->l[q]);
        const float *a = w->oacc + q * dvp;
        size_t c = 0;
        for (; c + VF_W <= Dv; c += VF_W)
            vf_v_store(o + c, vf_v_div(vf_v_load(a + c), lv));
        if (c < Dv)
            vf_v_store_tail(o + c, vf_v_div(vf_v_load(a + c), lv), Dv - c);
    }
    return bad;
}

size_t VF_FN(vf_attention_f32)(const float *Q, const float *K, const float *V, float *O,
                               size_t B, size_t H, size_t Sq, size_t Sk, size_t D, size_t Dv,
                               float scale, int causal)
{
    size_t bh = B * H;
    if (!bh || !Sq || !Dv)
        return 0;
    if (!Sk) {
        nan_rows(O, bh * Sq * Dv);
        return bh * Sq;
    }
    size_t ntiles = (Sq + MQ - 1) / MQ, items = bh * ntiles, bad = 0;
    int nt = vf_par_threads(bh * Sq * Dv);
#pragma omp parallel num_threads(nt) if (nt > 1) reduction(+ : bad)
    {
        work w;
        int ok = work_alloc(&w, D, Dv);
        /* Round robin: causal tiles grow with i0, so neighbours go to different threads. */
#pragma omp for schedule(static, 1)
        for (size_t it = 0; it < items; it++) {
            size_t h = it / ntiles, i0 = it % ntiles * MQ;
            size_t mq = Sq - i0 < MQ ? Sq - i0 : MQ;
            float *o = O + (h * Sq + i0) * Dv;
            if (!ok) {
                nan_rows(o, mq * Dv);
                bad += mq;
                continue;
            }
            bad += tile(&w, Q + h * Sq * D, K + h * Sk * D, V + h * Sk * Dv, O + h * Sq * Dv,
                        Sq, Sk, D, Dv, scale, causal, i0);
        }
        free(w.buf);
    }
    return bad;
}
