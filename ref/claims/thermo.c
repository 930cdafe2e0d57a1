/* thermo.c — claims of THEORY.md §5 (TH-1..8): softmax is the Gibbs state of a Helmholtz free
 * energy; scaled dot-product attention is that state at T = sqrt(d_k).
 *
 * Every claim is an identity (or an inequality) between transcendental quantities, class T.
 * Each residual is enclosed in MPFI with the certified kernels of vf_softmax.h:
 *   identity   CERTIFIED when every residual enclosure contains 0 and has width <= 2^-k with
 *              k >= p/2 at working precision p (p doubles up to VF_PREC_MAX otherwise, then
 *              UNCERTIFIED); an enclosure that excludes 0 is a proof the identity fails:
 *              REFUTED, with the instance printed.
 *   inequality r >= 0 is proved when the enclosure of r lies in [0, inf); an enclosure in
 *              (-inf, 0) refutes it; one straddling 0 (the equality cases: N = 1, all ties)
 *              counts as a tight residual, certified to 2^-k like an identity.  The notes say
 *              how many inequalities were proved outright and how many were tight.
 *
 * Instances (deterministic from --seed, sizes --n entries and, for attention, --d = d_k): trial
 * t uses kind t mod 8 — normal fill (T = 1), N = 1, ties, logits beyond +-88, masked entries,
 * T = 1/64, T = 1024, an irrational T = sqrt(2) — two rows each, energies E = -s for logits s
 * from the named fills (masked logits -inf become energies +inf).  User data: --in S.npy
 * (logits, 1-d or 2-d rows; -inf entries masked) and optionally --in T.npy (one value, the
 * temperature, default 1); attention takes --in Q.npy --in K.npy.  A failed hypothesis (an
 * all-masked row, a +inf logit, NaN, T <= 0) is INVALID_INPUT with the kernel's message.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "vf_npy.h"
#include "vf_rng.h"
#include "vf_softmax.h"

#define SRC "G. Kim, Thermodynamic isomorphism (THEORY.md 5)"
#define TH_PREC 128 /* default working precision (bits) */
#define N_KINDS 8
#define ROWS 2     /* rows per generated energy instance */
#define ATT_M 4    /* queries per generated attention instance */

/* ---------------------------------------------------------------- instances */

typedef struct inst {
    size_t rows, n;          /* energies: rows x n */
    double *E;               /* exact values, +inf = masked */
    mpq_t t;                 /* T = t or sqrt(t) */
    int t_sqrt;
    size_t d;                /* attention: Q rows x d, K n x d */
    double *Q, *K;
    unsigned char *mask;     /* attention: rows x n, or NULL */
    int kind;                /* generated kind, -1 for user data */
    char label[160];
} inst;

static void inst_clear(inst *x)
{
    free(x->E);
    free(x->Q);
    free(x->K);
    free(x->mask);
    mpq_clear(x->t);
}

static vf_sm_src e_src(const inst *x)
{
    return (vf_sm_src){.kind = VF_SM_F64, .rows = x->rows, .cols = x->n, .f64 = x->E,
                       .energy = 1};
}

static vf_temp temp_of(const inst *x)
{
    return (vf_temp){x->t, x->t_sqrt};
}

static const char *const kind_names[N_KINDS] = {
    "normal, T = 1", "N = 1, T = 3/2", "ties, T = 1", "logits beyond +-88, T = 1",
    "masked entries, T = 1", "normal, T = 1/64", "normal, T = 1024", "negative, T = sqrt(2)"};

/* Energies of generated trial t. */
static int gen_energies(inst *x, const vf_claim_opts *o, int t, vf_err *e)
{
    static const vf_fill fills[N_KINDS] = {VF_FILL_NORMAL, VF_FILL_NORMAL, VF_FILL_TIES,
                                           VF_FILL_BIG,    VF_FILL_MASKED, VF_FILL_NORMAL,
                                           VF_FILL_NORMAL, VF_FILL_NEGATIVE};
    static const long tnum[N_KINDS] = {1, 3, 1, 1, 1, 1, 1024, 2};
    static const long tden[N_KINDS] = {1, 2, 1, 1, 1, 64, 1, 1};
    int k = t % N_KINDS;
    x->kind = k;
    x->rows = ROWS;
    x->n = k == 1 ? 1 : o->n;
    x->E = vf_calloc(x->rows * x->n, sizeof *x->E, e);
    if (!x->E)
        return VF_E_NOMEM;
    vf_fill_f64(x->E, x->rows * x->n, fills[k], o->seed, (uint64_t)t);
    for (size_t i = 0; i < x->rows; i++) {
        int live = 0;
        for (size_t j = 0; j < x->n; j++) {
            x->E[i * x->n + j] = -x->E[i * x->n + j]; /* E = -s: masked -inf -> +inf */
            live += !isinf(x->E[i * x->n + j]);
        }
        if (!live) /* keep the hypothesis: a generated row is never entirely masked */
            x->E[i * x->n] = 0.0;
    }
    mpq_set_si(x->t, tnum[k], (unsigned long)tden[k]);
    x->t_sqrt = k == 7;
    snprintf(x->label, sizeof x->label, "trial %d (%s, %zux%zu)", t, kind_names[k], x->rows,
             x->n);
    return VF_OK;
}

/* Reads user input k as doubles: 2-d keeps its shape, anything else is one row. */
static int read_input(const vf_claim_opts *o, int k, double **v, size_t *rows, size_t *cols,
                      vf_err *e)
{
    vf_tensor t;
    int rc = vf_npy_read(&t, o->in[k], e);
    if (rc)
        return rc;
    *rows = t.ndim == 2 ? t.shape[0] : 1;
    *cols = t.ndim == 2 ? t.shape[1] : t.count;
    *v = t.v; /* ownership moves to the caller */
    t.v = NULL;
    vf_tensor_clear(&t);
    if (*rows * *cols == 0) {
        free(*v);
        *v = NULL;
        return vf_fail(e, VF_E_DOMAIN, "%s has no entries", o->in[k]);
    }
    return VF_OK;
}

static int user_energies(inst *x, const vf_claim_opts *o, vf_err *e)
{
    x->kind = -1;
    mpq_set_ui(x->t, 1, 1);
    int rc = read_input(o, 0, &x->E, &x->rows, &x->n, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < x->rows * x->n; i++)
        x->E[i] = -x->E[i]; /* logits to energies; NaN stays NaN for the kernel to reject */
    if (o->n_in > 1) {
        double *tv = NULL;
        size_t r, c;
        if ((rc = read_input(o, 1, &tv, &r, &c, e)))
            return rc;
        int ok = r * c == 1 && isfinite(tv[0]) && tv[0] > 0;
        if (ok)
            mpq_set_d(x->t, tv[0]);
        free(tv);
        if (!ok)
            return vf_fail(e, VF_E_DOMAIN, "%s: the temperature must be one finite value > 0",
                           o->in[1]);
    }
    snprintf(x->label, sizeof x->label, "user logits %.100s (%zux%zu)", o->in[0], x->rows, x->n);
    return VF_OK;
}

/* Attention trial t: Q (ATT_M x d), K (n x d), optional causal mask, T = sqrt(d). */
static int gen_attention(inst *x, const vf_claim_opts *o, int t, vf_err *e)
{
    static const char *const names[N_KINDS] = {
        "normal", "N = 1 key", "ties", "entries beyond +-88", "causal mask", "d_k = 1",
        "d_k = 1024 (T = 32)", "d_k = 3 (T = sqrt 3)"};
    static const vf_fill fills[N_KINDS] = {VF_FILL_NORMAL,  VF_FILL_NORMAL, VF_FILL_TIES,
                                           VF_FILL_BIG,     VF_FILL_NORMAL, VF_FILL_NORMAL,
                                           VF_FILL_UNIFORM, VF_FILL_NORMAL};
    int k = t % N_KINDS;
    x->kind = k;
    x->rows = ATT_M;
    x->n = k == 1 ? 1 : o->n;
    x->d = k == 5 ? 1 : k == 6 ? 1024 : k == 7 ? 3 : o->d;
    x->Q = vf_calloc(x->rows * x->d, sizeof *x->Q, e);
    x->K = vf_calloc(x->n * x->d, sizeof *x->K, e);
    if (!x->Q || !x->K)
        return VF_E_NOMEM;
    vf_fill_f64(x->Q, x->rows * x->d, fills[k], o->seed, 2 * (uint64_t)t + 100);
    vf_fill_f64(x->K, x->n * x->d, fills[k], o->seed, 2 * (uint64_t)t + 101);
    if (k == 4) { /* query i sees keys j <= i + n - m: key 0 always visible */
        if (!(x->mask = vf_calloc(x->rows * x->n, 1, e)))
            return VF_E_NOMEM;
        for (size_t i = 0; i < x->rows; i++)
            for (size_t j = 0; j < x->n; j++)
                x->mask[i * x->n + j] = j > 0 && j + x->rows > i + x->n;
    }
    mpq_set_ui(x->t, (unsigned long)x->d, 1);
    x->t_sqrt = 1;
    snprintf(x->label, sizeof x->label, "trial %d (%s, Q %zux%zu, K %zux%zu)", t, names[k],
             x->rows, x->d, x->n, x->d);
    return VF_OK;
}

static int user_attention(inst *x, const vf_claim_opts *o, vf_err *e)
{
    size_t kr, kc;
    x->kind = -1;
    if (o->n_in < 2)
        return vf_fail(e, VF_E_USAGE, "attention needs --in Q.npy --in K.npy");
    int rc = read_input(o, 0, &x->Q, &x->rows, &x->d, e);
    if (!rc)
        rc = read_input(o, 1, &x->K, &kr, &kc, e);
    if (rc)
        return rc;
    if (kc != x->d)
        return vf_fail(e, VF_E_SHAPE, "Q is %zux%zu but K is %zux%zu: d_k differs", x->rows,
                       x->d, kr, kc);
    x->n = kr;
    mpq_set_ui(x->t, (unsigned long)x->d, 1);
    x->t_sqrt = 1;
    snprintf(x->label, sizeof x->label, "user Q %zux%zu, K %zux%zu", x->rows, x->d, x->n, x->d);
    return VF_OK;
}

/* ---------------------------------------------------------------- residual bookkeeping */

typedef struct chk {
    const char *id;
    const vf_claim_opts *o;
    vf_claim_result *r;
    const inst *x;
    int t;
    mpfr_prec_t p;
    long kmin;                  /* certified bits of this evaluation */
    int refuted;
    long residuals, proved, tight;
} chk;

typedef int (*check_fn)(chk *c, vf_err *e);

/* Prints the instance (row i) so that the refutation can be reproduced and read. */
static void note_instance(chk *c, size_t i)
{
    const inst *x = c->x;
    char buf[700] = "";
    size_t len = 0;
    const double *row = x->E ? x->E + i * x->n : x->Q + i * x->d;
    size_t cnt = x->E ? x->n : x->d;
    for (size_t j = 0; j < cnt && j < 12 && len < sizeof buf - 40; j++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%a", j ? " " : "", row[j]);
    char *ts = vf_q_str(x->t);
    vf_claim_note_add(c->r, "instance", "%s; T = %s%s%s; %s row %zu: %s%s", x->label,
                      x->t_sqrt ? "sqrt(" : "", ts, x->t_sqrt ? ")" : "",
                      x->E ? "energies" : "query", i, buf, cnt > 12 ? " ..." : "");
    free(ts);
    char dopt[32] = "";
    if (c->o->d)
        snprintf(dopt, sizeof dopt, " --d %zu", c->o->d);
    if (x->kind >= 0)
        vf_claim_note_add(c->r, "repro", "veriformer check %s --seed %llu --n %zu%s --trials %d "
                          "--prec %ld", c->id, (unsigned long long)c->o->seed, c->o->n, dopt,
                          c->t + 1, (long)c->p);
}

static void refute(chk *c, const char *what, size_t i, size_t j, mpfi_srcptr x, const char *why)
{
    char lo[64], hi[64];
    mpfr_snprintf(lo, sizeof lo, "%.12Re", &x->left);
    mpfr_snprintf(hi, sizeof hi, "%.12Re", &x->right);
    vf_claim_set(c->r, VF_REFUTED, "%s: %s at (%zu,%zu): enclosure [%s, %s] %s", c->x->label,
                 what, i, j, lo, hi, why);
    note_instance(c, i);
    c->refuted = 1;
}

/* Identity residual: must contain 0; records its certified bits. */
static void resid(chk *c, const char *what, size_t i, size_t j, mpfi_srcptr x)
{
    if (c->refuted)
        return;
    c->residuals++;
    if (mpfi_nan_p(x) || !mpfi_has_zero(x)) {
        refute(c, what, i, j, x, "excludes 0");
        return;
    }
    long k = vf_iv_abs_bits(x);
    if (k < c->kmin)
        c->kmin = k;
}

/* Inequality x >= 0 (see the file comment). */
static void ineq(chk *c, const char *what, size_t i, size_t j, mpfi_srcptr x)
{
    if (c->refuted)
        return;
    if (mpfr_sgn(&x->left) >= 0) {
        c->proved++;
        return;
    }
    if (mpfr_sgn(&x->right) < 0) {
        refute(c, what, i, j, x, "is negative: the inequality fails");
        return;
    }
    c->tight++;
    resid(c, what, i, j, x);
}

/* mpfi scratch of one check, all at the check's precision. */
#define NS 12
typedef struct scratch {
    mpfi_t v[NS];
} scratch;

static void sc_init(scratch *s, mpfr_prec_t p)
{
    for (int k = 0; k < NS; k++)
        mpfi_init2(s->v[k], p);
}

static void sc_clear(scratch *s)
{
    for (int k = 0; k < NS; k++)
        mpfi_clear(s->v[k]);
}

/* Runs fn at p0, doubling p until every residual has >= p/2 certified bits. */
static int run_trial(chk *c, check_fn fn, long *bits, mpfr_prec_t *pmax, long tot[3],
                     vf_err *e)
{
    mpfr_prec_t p = c->o->prec ? (mpfr_prec_t)c->o->prec : TH_PREC;
    for (;;) {
        c->p = p;
        c->kmin = (long)p;
        c->refuted = 0;
        c->residuals = c->proved = c->tight = 0;
        int rc = fn(c, e);
        if (rc || c->refuted)
            return rc;
        if (c->kmin >= (long)p / 2) {
            if (c->kmin < *bits)
                *bits = c->kmin;
            if (p > *pmax)
                *pmax = p;
            tot[0] += c->residuals;
            tot[1] += c->proved;
            tot[2] += c->tight;
            return VF_OK;
        }
        if (p >= VF_PREC_MAX) {
            vf_claim_set(c->r, VF_UNCERTIFIED, "%s: residuals only within 2^-%ld at %ld bits "
                         "(cap)", c->x->label, c->kmin, (long)p);
            return VF_OK;
        }
        p = p > VF_PREC_MAX / 2 ? VF_PREC_MAX : 2 * p;
    }
}

static int run_claim(const char *id, const vf_claim_opts *o, vf_claim_result *r, vf_err *e,
                     check_fn fn, int attention, const char *what)
{
    int trials = o->n_in ? 1 : o->trials;
    long bits = LONG_MAX, tot[3] = {0, 0, 0};
    mpfr_prec_t pmax = 0;
    char labels[600] = "";
    for (int t = 0; t < trials; t++) {
        inst x = {0};
        mpq_init(x.t);
        int rc = o->n_in ? (attention ? user_attention(&x, o, e) : user_energies(&x, o, e))
                         : (attention ? gen_attention(&x, o, t, e) : gen_energies(&x, o, t, e));
        chk c = {.id = id, .o = o, .r = r, .x = &x, .t = t};
        r->verdict = VF_CERTIFIED;
        if (!rc)
            rc = run_trial(&c, fn, &bits, &pmax, tot, e);
        if (strlen(labels) + strlen(x.label) + 3 < sizeof labels)
            snprintf(labels + strlen(labels), sizeof labels - strlen(labels), "%s%s",
                     t ? "; " : "", x.label);
        inst_clear(&x);
        if (rc == VF_E_DOMAIN || rc == VF_E_SHAPE) {
            vf_claim_set(r, VF_INVALID_INPUT, "%s", e->msg);
            return VF_OK;
        }
        if (rc)
            return rc;
        if (r->verdict != VF_CERTIFIED)
            return VF_OK; /* refuted or uncertified: summary and notes are set */
    }
    r->bits = bits;
    vf_claim_set(r, VF_CERTIFIED, "%s: residuals within 2^-%ld (precision %ld bits), %d "
                 "instance(s)", what, bits, (long)pmax, trials);
    vf_claim_note_add(r, "instances", "%d: %s", trials, labels);
    vf_claim_note_add(r, "residuals", "%ld identity residual(s), each enclosure contains 0",
                      tot[0] - tot[2]);
    if (tot[1] + tot[2])
        vf_claim_note_add(r, "inequalities", "%ld proved (enclosure >= 0), %ld tight (equality "
                          "case: enclosure contains 0, counted in the bits)", tot[1], tot[2]);
    return VF_OK;
}

/* ---------------------------------------------------------------- shared pieces */

static int imat(vf_imat *m, size_t rows, size_t cols, chk *c, vf_err *e)
{
    return vf_imat_init(m, rows, cols, c->p, e);
}

static int is_masked(const inst *x, size_t i, size_t j)
{
    return isinf(x->E[i * x->n + j]) && x->E[i * x->n + j] > 0;
}

/* A rational distribution on each row: zeros on masked entries; with_zeros: weights in
 * {0..6} with about a third zero (boundary points of the simplex), else weights in {1..16}
 * (interior of the unmasked face).  At least one entry per row is positive. */
static int random_q(vf_qmat *q, const inst *x, const vf_claim_opts *o, int t, int with_zeros,
                    vf_err *e)
{
    int rc = vf_qmat_init(q, x->rows, x->n, e);
    if (rc)
        return rc;
    mpz_t sum;
    mpz_init(sum);
    for (size_t i = 0; i < x->rows; i++) {
        mpz_set_ui(sum, 0);
        for (size_t j = 0; j < x->n; j++) {
            uint64_t idx = i * x->n + j;
            long w = with_zeros ? (long)vf_rng_int(o->seed, 0x7100 + (uint64_t)t, idx, -2, 6)
                                : (long)vf_rng_int(o->seed, 0x7200 + (uint64_t)t, idx, 1, 16);
            if (w < 0 || is_masked(x, i, j))
                w = 0;
            mpq_set_si(VF_Q(q, i, j), w, 1);
            mpz_add_ui(sum, sum, (unsigned long)w);
        }
        if (mpz_sgn(sum) == 0)
            for (size_t j = 0; j < x->n; j++)
                if (!is_masked(x, i, j)) {
                    mpq_set_ui(VF_Q(q, i, j), 1, 1);
                    mpz_set_ui(sum, 1);
                    break;
                }
        for (size_t j = 0; j < x->n && mpz_sgn(sum); j++) { /* sum 0: all masked, the kernel
                                                                  rejects the row */
            mpz_mul(mpq_denref(VF_Q(q, i, j)), mpq_denref(VF_Q(q, i, j)), sum);
            mpq_canonicalize(VF_Q(q, i, j));
        }
    }
    mpz_clear(sum);
    return VF_OK;
}

/* ---------------------------------------------------------------- TH-1 Gibbs gap */

/* F[q] - F[p*] - T KL(q||p*) = 0 for q in the closed simplex (zeros included), and the Gibbs
 * inequality F[q] - F[p*] >= 0. */
static int gap_fn(chk *c, vf_err *e)
{
    const inst *x = c->x;
    vf_sm_src E = e_src(x);
    vf_temp T = temp_of(x);
    vf_qmat q = {0};
    vf_imat qi = {0}, ps = {0}, fq = {0}, fp = {0}, kl = {0};
    scratch s;
    sc_init(&s, c->p);
    int rc;
    if ((rc = imat(&ps, x->rows, x->n, c, e)) || (rc = vf_ref_softmax(&ps, &E, &T, e)) ||
        (rc = random_q(&q, x, c->o, c->t, 1, e)) || (rc = imat(&qi, x->rows, x->n, c, e)) ||
        (rc = vf_imat_from_q(&qi, &q, e)) || (rc = imat(&fq, x->rows, 1, c, e)) ||
        (rc = imat(&fp, x->rows, 1, c, e)) || (rc = imat(&kl, x->rows, 1, c, e)) ||
        (rc = vf_ref_free_energy(&fq, &E, &qi, &T, e)) ||
        (rc = vf_ref_free_energy(&fp, &E, &ps, &T, e)) || (rc = vf_ref_kl(&kl, &qi, &ps, e)) ||
        (rc = vf_temp_enclose(s.v[0], &T, e)))
        goto out;
    for (size_t i = 0; i < x->rows; i++) {
        mpfi_sub(s.v[1], VF_I(&fq, i, 0), VF_I(&fp, i, 0)); /* F[q] - F[p*] */
        mpfi_mul(s.v[2], s.v[0], VF_I(&kl, i, 0));
        mpfi_sub(s.v[3], s.v[1], s.v[2]);
        resid(c, "F[q] - F[p*] - T KL(q||p*)", i, 0, s.v[3]);
        ineq(c, "F[q] - F[p*] (Gibbs inequality)", i, 0, s.v[1]);
    }
out:
    vf_qmat_clear(&q);
    vf_imat *all[] = {&qi, &ps, &fq, &fp, &kl};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        vf_imat_clear(all[k]);
    sc_clear(&s);
    return rc;
}

/* ---------------------------------------------------------------- TH-2 minimum value */

/* F[p*] + T log Z = 0, F* (thermo) - F[p*] = 0, and E_j + T log p*_j + T log Z = 0 for every
 * unmasked j, with log p*_j taken from the softmax enclosure (not from log-softmax). */
static int fmin_fn(chk *c, vf_err *e)
{
    const inst *x = c->x;
    vf_sm_src E = e_src(x);
    vf_temp T = temp_of(x);
    vf_imat ps = {0}, fp = {0}, lz = {0}, fs = {0};
    scratch s;
    sc_init(&s, c->p);
    int rc;
    if ((rc = imat(&ps, x->rows, x->n, c, e)) || (rc = imat(&fp, x->rows, 1, c, e)) ||
        (rc = imat(&lz, x->rows, 1, c, e)) || (rc = imat(&fs, x->rows, 1, c, e)) ||
        (rc = vf_ref_softmax(&ps, &E, &T, e)) || (rc = vf_ref_free_energy(&fp, &E, &ps, &T, e)) ||
        (rc = vf_ref_thermo(&lz, &E, &T, VF_TH_LOGZ, e)) ||
        (rc = vf_ref_thermo(&fs, &E, &T, VF_TH_F, e)) || (rc = vf_temp_enclose(s.v[0], &T, e)))
        goto out;
    for (size_t i = 0; i < x->rows; i++) {
        mpfi_mul(s.v[1], s.v[0], VF_I(&lz, i, 0)); /* T log Z */
        mpfi_add(s.v[2], VF_I(&fp, i, 0), s.v[1]);
        resid(c, "F[p*] + T log Z", i, 0, s.v[2]);
        mpfi_sub(s.v[2], VF_I(&fs, i, 0), VF_I(&fp, i, 0));
        resid(c, "F* - F[p*]", i, 0, s.v[2]);
        for (size_t j = 0; j < x->n; j++) {
            if (is_masked(x, i, j)) {
                if (!mpfi_is_zero(VF_I(&ps, i, j)))
                    refute(c, "p* of a masked entry is not exactly 0", i, j, VF_I(&ps, i, j),
                           "is not the point 0");
                continue;
            }
            mpfi_log(s.v[3], VF_I(&ps, i, j));
            mpfi_mul(s.v[3], s.v[3], s.v[0]);
            mpfi_add_d(s.v[3], s.v[3], x->E[i * x->n + j]);
            mpfi_add(s.v[3], s.v[3], s.v[1]);
            resid(c, "E_j + T log p*_j + T log Z", i, j, s.v[3]);
        }
    }
out:
    vf_imat_clear(&ps);
    vf_imat_clear(&fp);
    vf_imat_clear(&lz);
    vf_imat_clear(&fs);
    sc_clear(&s);
    return rc;
}

/* ---------------------------------------------------------------- TH-3 attention = Gibbs */

/* softmax(Q K^T / sqrt(d_k)) from the attention kernel (logits enclosed in MPFI) against the
 * Gibbs state of the energies E = -Q K^T computed exactly in mpq, at T = sqrt(d_k) enclosed
 * separately; T^2 - d_k = 0 certifies the temperature. */
static int attn_fn(chk *c, vf_err *e)
{
    const inst *x = c->x;
    vf_qmat q = {0}, k = {0}, kt = {0}, en = {0};
    vf_imat pa = {0}, pg = {0};
    mpq_t minus;
    mpq_init(minus);
    mpq_set_si(minus, -1, 1);
    scratch s;
    sc_init(&s, c->p);
    vf_sm_src Q = {.kind = VF_SM_F64, .rows = x->rows, .cols = x->d, .f64 = x->Q};
    vf_sm_src K = {.kind = VF_SM_F64, .rows = x->n, .cols = x->d, .f64 = x->K};
    vf_temp T = temp_of(x);
    int rc;
    if ((rc = imat(&pa, x->rows, x->n, c, e)) || (rc = imat(&pg, x->rows, x->n, c, e)) ||
        (rc = vf_ref_attention(&pa, &Q, &K, x->mask, e)) ||
        (rc = vf_qmat_init(&q, x->rows, x->d, e)) || (rc = vf_qmat_init(&k, x->n, x->d, e)) ||
        (rc = vf_qmat_from_f64(&q, x->Q, e)) || (rc = vf_qmat_from_f64(&k, x->K, e)) ||
        (rc = vf_qmat_init(&kt, x->d, x->n, e)) || (rc = vf_qmat_transpose(&kt, &k, e)) ||
        (rc = vf_qmat_init(&en, x->rows, x->n, e)) || (rc = vf_qmat_mul(&en, &q, &kt, e)) ||
        (rc = vf_qmat_scale(&en, minus, &en, e)))
        goto out;
    vf_sm_src E = {.kind = VF_SM_Q, .rows = x->rows, .cols = x->n, .q = &en, .mask = x->mask,
                   .energy = 1};
    if ((rc = vf_ref_softmax(&pg, &E, &T, e)) || (rc = vf_temp_enclose(s.v[0], &T, e)))
        goto out;
    mpfi_sqr(s.v[1], s.v[0]);
    mpfi_sub_ui(s.v[1], s.v[1], (unsigned long)x->d);
    resid(c, "T^2 - d_k (T = sqrt(d_k))", 0, 0, s.v[1]);
    for (size_t i = 0; i < x->rows; i++)
        for (size_t j = 0; j < x->n; j++) {
            mpfi_sub(s.v[2], VF_I(&pa, i, j), VF_I(&pg, i, j));
            resid(c, "softmax(qK^T/sqrt(d_k)) - Gibbs(-qK^T, sqrt(d_k))", i, j, s.v[2]);
        }
out:
    vf_qmat *qs[] = {&q, &k, &kt, &en};
    for (size_t m = 0; m < 4; m++)
        vf_qmat_clear(qs[m]);
    vf_imat_clear(&pa);
    vf_imat_clear(&pg);
    mpq_clear(minus);
    sc_clear(&s);
    return rc;
}

/* ---------------------------------------------------------------- TH-4 specific heat */

/* Independent derivative: Taylor-mode automatic differentiation in interval arithmetic.
 * Every quantity is carried as its degree-2 Taylor polynomial in h at T + h, (v0, v1, v2) with
 * v(T + h) = v0 + v1 h + v2 h^2 + O(h^3), so v1 = v'(T) and v2 = v''(T)/2.  The program
 *   x_j = -(E_j - E_min)/T,  w_j = e^{x_j},  Z = sum w_j,  U = (sum E_j w_j)/Z,
 *   log Z_true = -E_min/T + log Z,  F = -T log Z_true
 * is differentiated mechanically by the chain, product and quotient rules below; nothing in it
 * knows the closed forms Var(E)/T^2 or -S*.  Each rule is exact for the Taylor coefficients
 * and every coefficient is an MPFI enclosure, so U1 encloses dU* / dT and 2 F2 encloses F*''
 * rigorously (no step size, no truncation error: this is what makes the comparison with
 * C = Var_{p*}(E)/T^2 a certified check, unlike a plain finite difference). */
typedef struct tay {
    mpfi_t c[3];
} tay;

static void tay_init(tay *a, mpfr_prec_t p)
{
    for (int k = 0; k < 3; k++) {
        mpfi_init2(a->c[k], p);
        mpfi_set_ui(a->c[k], 0);
    }
}

static void tay_clear(tay *a)
{
    for (int k = 0; k < 3; k++)
        mpfi_clear(a->c[k]);
}

static void tay_add(tay *r, const tay *a)
{
    for (int k = 0; k < 3; k++)
        mpfi_add(r->c[k], r->c[k], a->c[k]);
}

/* r = e^a: r0 = e^{a0}, r1 = r0 a1, r2 = r0 (a2 + a1^2/2). */
static void tay_exp(tay *r, const tay *a, mpfi_t t)
{
    mpfi_exp(r->c[0], a->c[0]);
    mpfi_mul(r->c[1], r->c[0], a->c[1]);
    mpfi_sqr(t, a->c[1]);
    mpfi_div_ui(t, t, 2);
    mpfi_add(t, t, a->c[2]);
    mpfi_mul(r->c[2], r->c[0], t);
}

/* r = a / b: r0 = a0/b0, r1 = (a1 - r0 b1)/b0, r2 = (a2 - r0 b2 - r1 b1)/b0. */
static void tay_div(tay *r, const tay *a, const tay *b, mpfi_t t)
{
    mpfi_div(r->c[0], a->c[0], b->c[0]);
    mpfi_mul(t, r->c[0], b->c[1]);
    mpfi_sub(r->c[1], a->c[1], t);
    mpfi_div(r->c[1], r->c[1], b->c[0]);
    mpfi_mul(t, r->c[0], b->c[2]);
    mpfi_sub(r->c[2], a->c[2], t);
    mpfi_mul(t, r->c[1], b->c[1]);
    mpfi_sub(r->c[2], r->c[2], t);
    mpfi_div(r->c[2], r->c[2], b->c[0]);
}

/* r = log a: r0 = log a0, r1 = a1/a0, r2 = a2/a0 - r1^2/2. */
static void tay_log(tay *r, const tay *a, mpfi_t t)
{
    mpfi_log(r->c[0], a->c[0]);
    mpfi_div(r->c[1], a->c[1], a->c[0]);
    mpfi_div(r->c[2], a->c[2], a->c[0]);
    mpfi_sqr(t, r->c[1]);
    mpfi_div_ui(t, t, 2);
    mpfi_sub(r->c[2], r->c[2], t);
}

/* Taylor polynomials of log Z_true (L), U and F at T for row i. */
static void taylor_row(const inst *x, size_t i, mpfi_srcptr T, mpfr_prec_t p, tay *L, tay *U,
                       tay *F)
{
    tay inv, xj, wj, Z, EZ, ew, lz;
    tay *all[] = {&inv, &xj, &wj, &Z, &EZ, &ew, &lz};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        tay_init(all[k], p);
    mpfi_t t, dE;
    mpfi_init2(t, p);
    mpfi_init2(dE, p);
    /* 1/(T + h) = 1/T - h/T^2 + h^2/T^3 */
    mpfi_ui_div(inv.c[0], 1, T);
    mpfi_sqr(inv.c[1], inv.c[0]);
    mpfi_neg(inv.c[1], inv.c[1]);
    mpfi_mul(inv.c[2], inv.c[1], inv.c[0]);
    mpfi_neg(inv.c[2], inv.c[2]);
    double emin = INFINITY; /* exact comparisons of exact doubles */
    for (size_t j = 0; j < x->n; j++)
        if (x->E[i * x->n + j] < emin)
            emin = x->E[i * x->n + j];
    for (size_t j = 0; j < x->n; j++) {
        double ej = x->E[i * x->n + j];
        if (is_masked(x, i, j))
            continue;
        mpfi_set_d(dE, ej);
        mpfi_sub_d(dE, dE, emin);
        for (int k = 0; k < 3; k++) {
            mpfi_mul(xj.c[k], inv.c[k], dE);
            mpfi_neg(xj.c[k], xj.c[k]);
        }
        tay_exp(&wj, &xj, t);
        tay_add(&Z, &wj);
        for (int k = 0; k < 3; k++)
            mpfi_mul_d(ew.c[k], wj.c[k], ej);
        tay_add(&EZ, &ew);
    }
    tay_div(U, &EZ, &Z, t);
    tay_log(&lz, &Z, t);
    for (int k = 0; k < 3; k++) { /* L = -E_min inv + log Z */
        mpfi_mul_d(L->c[k], inv.c[k], -emin);
        mpfi_add(L->c[k], L->c[k], lz.c[k]);
    }
    /* F = -(T + h) L: F0 = -T L0, F1 = -(T L1 + L0), F2 = -(T L2 + L1) */
    mpfi_mul(F->c[0], T, L->c[0]);
    mpfi_neg(F->c[0], F->c[0]);
    for (int k = 1; k < 3; k++) {
        mpfi_mul(F->c[k], T, L->c[k]);
        mpfi_add(F->c[k], F->c[k], L->c[k - 1]);
        mpfi_neg(F->c[k], F->c[k]);
    }
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        tay_clear(all[k]);
    mpfi_clear(t);
    mpfi_clear(dE);
}

/* C = Var/T^2 (kernel) against dU* / dT and -T F*'' (Taylor AD), plus dF* / dT = -S*,
 * d(log Z)/dT = U* / T^2, the AD values of U* and F* against the kernel's, and C >= 0. */
static int heat_fn(chk *c, vf_err *e)
{
    const inst *x = c->x;
    vf_sm_src E = e_src(x);
    vf_temp T = temp_of(x);
    vf_imat q[4] = {{0}}; /* C, U, S, F */
    static const vf_thermo_q what[4] = {VF_TH_C, VF_TH_U, VF_TH_S, VF_TH_F};
    scratch s;
    sc_init(&s, c->p);
    tay L, U, F;
    tay_init(&L, c->p);
    tay_init(&U, c->p);
    tay_init(&F, c->p);
    int rc = vf_temp_enclose(s.v[0], &T, e);
    for (int k = 0; k < 4 && !rc; k++)
        if (!(rc = imat(&q[k], x->rows, 1, c, e)))
            rc = vf_ref_thermo(&q[k], &E, &T, what[k], e);
    for (size_t i = 0; i < x->rows && !rc; i++) {
        mpfi_srcptr C = VF_I(&q[0], i, 0), Uk = VF_I(&q[1], i, 0), Sk = VF_I(&q[2], i, 0),
                    Fk = VF_I(&q[3], i, 0);
        taylor_row(x, i, s.v[0], c->p, &L, &U, &F);
        mpfi_sub(s.v[1], C, U.c[1]);
        resid(c, "C - dU* / dT", i, 0, s.v[1]);
        mpfi_mul_ui(s.v[2], F.c[2], 2); /* F'' */
        mpfi_mul(s.v[2], s.v[2], s.v[0]);
        mpfi_add(s.v[2], s.v[2], C);
        resid(c, "C + T F*''", i, 0, s.v[2]);
        mpfi_add(s.v[3], F.c[1], Sk);
        resid(c, "dF* / dT + S*", i, 0, s.v[3]);
        mpfi_sqr(s.v[4], s.v[0]);
        mpfi_div(s.v[4], Uk, s.v[4]);
        mpfi_sub(s.v[4], L.c[1], s.v[4]);
        resid(c, "d(log Z)/dT - U* / T^2", i, 0, s.v[4]);
        mpfi_sub(s.v[5], U.c[0], Uk);
        resid(c, "U* (AD) - U* (kernel)", i, 0, s.v[5]);
        mpfi_sub(s.v[6], F.c[0], Fk);
        resid(c, "F* (AD) - F* (kernel)", i, 0, s.v[6]);
        ineq(c, "C >= 0", i, 0, C);
    }
    for (int k = 0; k < 4; k++)
        vf_imat_clear(&q[k]);
    tay_clear(&L);
    tay_clear(&U);
    tay_clear(&F);
    sc_clear(&s);
    return rc;
}

/* ---------------------------------------------------------------- TH-5/6 invariances */

/* Kernel values of one instance: p* (rows x n) and log Z, F*, U*, S*, C (rows x 1 each). */
typedef struct thvals {
    vf_imat p, q[5];
} thvals;

static void thvals_clear(thvals *v)
{
    vf_imat_clear(&v->p);
    for (int k = 0; k < 5; k++)
        vf_imat_clear(&v->q[k]);
}

static int thvals_eval(thvals *v, const vf_sm_src *E, const vf_temp *T, chk *c, vf_err *e)
{
    int rc = imat(&v->p, E->rows, E->cols, c, e);
    if (!rc)
        rc = vf_ref_softmax(&v->p, E, T, e);
    for (int k = 0; k < 5 && !rc; k++)
        if (!(rc = imat(&v->q[k], E->rows, 1, c, e)))
            rc = vf_ref_thermo(&v->q[k], E, T, (vf_thermo_q)k, e);
    return rc;
}

/* The instance's energies as rationals (masked entries flagged, their value unused). */
static int energies_q(vf_qmat *q, unsigned char **mask, const inst *x, vf_err *e)
{
    int rc = vf_qmat_init(q, x->rows, x->n, e);
    if (rc)
        return rc;
    if (!(*mask = vf_calloc(x->rows * x->n, 1, e)))
        return VF_E_NOMEM;
    for (size_t k = 0; k < x->rows * x->n && !rc; k++) {
        (*mask)[k] = isinf(x->E[k]) && x->E[k] > 0;
        if (!(*mask)[k])
            rc = vf_q_set_f64(q->a[k], x->E[k], e); /* NaN / -inf: domain error */
    }
    return rc;
}

/* Compares transformed (b) with original (a) values: p* equal; for each thermo quantity
 * b - (scale * a + shift) = 0, where scale/shift are given per quantity (NULL: 1 / 0). */
static void compare_vals(chk *c, const thvals *a, const thvals *b, mpfi_srcptr const scale[5],
                         mpfi_srcptr const shift[5])
{
    static const char *const names[5] = {"log Z", "F*", "U*", "S*", "C"};
    mpfi_t t;
    mpfi_init2(t, c->p);
    for (size_t i = 0; i < a->p.rows; i++) {
        for (size_t j = 0; j < a->p.cols; j++) {
            mpfi_sub(t, VF_I(&b->p, i, j), VF_I(&a->p, i, j));
            resid(c, "p* (transformed) - p*", i, j, t);
        }
        for (int k = 0; k < 5; k++) {
            char what[64];
            snprintf(what, sizeof what, "%s (transformed) - expected", names[k]);
            if (scale[k])
                mpfi_mul(t, VF_I(&a->q[k], i, 0), scale[k]);
            else
                mpfi_set(t, VF_I(&a->q[k], i, 0));
            if (shift[k])
                mpfi_add(t, t, shift[k]);
            mpfi_sub(t, VF_I(&b->q[k], i, 0), t);
            resid(c, what, i, 0, t);
        }
    }
    mpfi_clear(t);
}

/* Scale factor of trial t (positive rationals spanning 2^-10 .. 10^3). */
static void scale_of(mpq_t cq, int t)
{
    static const long num[N_KINDS] = {7, 1, 64, 1, 5, 3, 1000, 2};
    static const long den[N_KINDS] = {2, 3, 1, 1024, 1, 7, 1, 9};
    mpq_set_si(cq, num[t % N_KINDS], (unsigned long)den[t % N_KINDS]);
}

/* (E, T) -> (cE, cT): p*, S*, C unchanged; F*, U* scale by c; log Z unchanged. */
static int scale_fn(chk *c, vf_err *e)
{
    const inst *x = c->x;
    vf_sm_src E = e_src(x);
    vf_temp T = temp_of(x);
    vf_qmat eq = {0};
    unsigned char *mask = NULL;
    thvals a = {0}, b = {0};
    mpq_t cq, ct;
    mpq_inits(cq, ct, NULL);
    mpfi_t civ;
    mpfi_init2(civ, c->p);
    scale_of(cq, c->t);
    int rc;
    if ((rc = thvals_eval(&a, &E, &T, c, e)) || (rc = energies_q(&eq, &mask, x, e)) ||
        (rc = vf_qmat_scale(&eq, cq, &eq, e)))
        goto out;
    /* cT: c t, or for T = sqrt(t) the rational c^2 t under the root. */
    mpq_mul(ct, cq, x->t);
    if (x->t_sqrt)
        mpq_mul(ct, ct, cq);
    vf_sm_src Ec = {.kind = VF_SM_Q, .rows = x->rows, .cols = x->n, .q = &eq, .mask = mask,
                    .energy = 1};
    vf_temp Tc = {ct, x->t_sqrt};
    if ((rc = thvals_eval(&b, &Ec, &Tc, c, e)))
        goto out;
    mpfi_set_q(civ, cq);
    mpfi_srcptr scale[5] = {NULL, civ, civ, NULL, NULL}, shift[5] = {NULL};
    compare_vals(c, &a, &b, scale, shift);
out:
    vf_qmat_clear(&eq);
    free(mask);
    thvals_clear(&a);
    thvals_clear(&b);
    mpq_clears(cq, ct, NULL);
    mpfi_clear(civ);
    return rc;
}

/* E -> E + c 1: p*, S*, C unchanged; F*, U* shift by c; log Z shifts by -c/T. */
static int shift_fn(chk *c, vf_err *e)
{
    const inst *x = c->x;
    vf_sm_src E = e_src(x);
    vf_temp T = temp_of(x);
    vf_qmat eq = {0};
    unsigned char *mask = NULL;
    thvals a = {0}, b = {0};
    mpq_t cq;
    mpq_init(cq);
    mpfi_t civ, lzs;
    mpfi_init2(civ, c->p);
    mpfi_init2(lzs, c->p);
    /* Shifts: k/8 for k in [-8000, 8000], and a large 10^6 + 1/3 on every fourth trial. */
    if (c->t % 4 == 3)
        mpq_set_ui(cq, 3000001, 3);
    else
        mpq_set_si(cq, (long)vf_rng_int(c->o->seed, 0x7300, (uint64_t)c->t, -8000, 8000), 8);
    mpq_canonicalize(cq);
    int rc;
    if ((rc = thvals_eval(&a, &E, &T, c, e)) || (rc = energies_q(&eq, &mask, x, e)))
        goto out;
    for (size_t k = 0; k < x->rows * x->n; k++)
        mpq_add(eq.a[k], eq.a[k], cq);
    vf_sm_src Ec = {.kind = VF_SM_Q, .rows = x->rows, .cols = x->n, .q = &eq, .mask = mask,
                    .energy = 1};
    if ((rc = thvals_eval(&b, &Ec, &T, c, e)) || (rc = vf_temp_enclose(lzs, &T, e)))
        goto out;
    mpfi_set_q(civ, cq);
    mpfi_div(lzs, civ, lzs);
    mpfi_neg(lzs, lzs);
    mpfi_srcptr scale[5] = {NULL}, shift[5] = {lzs, civ, civ, NULL, NULL};
    compare_vals(c, &a, &b, scale, shift);
out:
    vf_qmat_clear(&eq);
    free(mask);
    thvals_clear(&a);
    thvals_clear(&b);
    mpq_clear(cq);
    mpfi_clear(civ);
    mpfi_clear(lzs);
    return rc;
}

/* ---------------------------------------------------------------- TH-7 replicator */

/* Replicator field at p (row i): phi_j = E_j + T log p_j, phibar = sum p_j phi_j,
 * v_j = -p_j (phi_j - phibar), dF/dt = -sum p_j (phi_j - phibar)^2.  Masked entries have
 * p_j = 0 and stay out of the dynamics (the face of the simplex the support spans). */
static void replicator(chk *c, const inst *x, size_t i, const vf_imat *p, mpfi_srcptr T,
                       mpfi_t *phi, mpfi_t *v, mpfi_t dfdt, mpfi_t t)
{
    mpfi_t bar;
    mpfi_init2(bar, c->p);
    mpfi_set_ui(bar, 0);
    for (size_t j = 0; j < x->n; j++) {
        if (is_masked(x, i, j))
            continue;
        mpfi_log(phi[j], VF_I(p, i, j));
        mpfi_mul(phi[j], phi[j], T);
        mpfi_add_d(phi[j], phi[j], x->E[i * x->n + j]);
        mpfi_mul(t, phi[j], VF_I(p, i, j));
        mpfi_add(bar, bar, t);
    }
    mpfi_set_ui(dfdt, 0);
    for (size_t j = 0; j < x->n; j++) {
        if (is_masked(x, i, j)) {
            mpfi_set_ui(v[j], 0);
            continue;
        }
        mpfi_sub(t, phi[j], bar);
        mpfi_mul(v[j], t, VF_I(p, i, j));
        mpfi_neg(v[j], v[j]);
        mpfi_sqr(t, t);
        mpfi_mul(t, t, VF_I(p, i, j));
        mpfi_sub(dfdt, dfdt, t);
    }
    mpfi_clear(bar);
}

/* At p*: v = 0 componentwise.  At a random interior p: sum v_j = 0 (the flow stays on the
 * simplex), the chain rule dF/dt = sum_j dF/dp_j v_j = sum (E_j + T + T log p_j) v_j equals
 * -sum p_j (phi_j - phibar)^2, and dF/dt <= 0. */
static int repl_fn(chk *c, vf_err *e)
{
    const inst *x = c->x;
    vf_sm_src E = e_src(x);
    vf_temp T = temp_of(x);
    vf_qmat q = {0};
    vf_imat ps = {0}, pr = {0};
    mpfi_t *phi = vf_calloc(x->n, sizeof *phi, e), *v = vf_calloc(x->n, sizeof *v, e);
    scratch s;
    sc_init(&s, c->p);
    int rc = phi && v ? VF_OK : VF_E_NOMEM;
    for (size_t j = 0; phi && v && j < x->n; j++) {
        mpfi_init2(phi[j], c->p);
        mpfi_init2(v[j], c->p);
    }
    if (rc || (rc = imat(&ps, x->rows, x->n, c, e)) || (rc = imat(&pr, x->rows, x->n, c, e)) ||
        (rc = vf_ref_softmax(&ps, &E, &T, e)) || (rc = random_q(&q, x, c->o, c->t, 0, e)) ||
        (rc = vf_imat_from_q(&pr, &q, e)) || (rc = vf_temp_enclose(s.v[0], &T, e)))
        goto out;
    for (size_t i = 0; i < x->rows; i++) {
        replicator(c, x, i, &ps, s.v[0], phi, v, s.v[1], s.v[2]);
        for (size_t j = 0; j < x->n; j++)
            resid(c, "replicator velocity at p*", i, j, v[j]);
        replicator(c, x, i, &pr, s.v[0], phi, v, s.v[1], s.v[2]);
        mpfi_set_ui(s.v[3], 0); /* sum v_j */
        mpfi_set_ui(s.v[4], 0); /* sum dF/dp_j v_j */
        for (size_t j = 0; j < x->n; j++) {
            mpfi_add(s.v[3], s.v[3], v[j]);
            if (is_masked(x, i, j))
                continue;
            mpfi_add(s.v[5], phi[j], s.v[0]);
            mpfi_mul(s.v[5], s.v[5], v[j]);
            mpfi_add(s.v[4], s.v[4], s.v[5]);
        }
        resid(c, "sum of the replicator velocity", i, 0, s.v[3]);
        mpfi_sub(s.v[5], s.v[4], s.v[1]);
        resid(c, "<grad F, v> - dF/dt", i, 0, s.v[5]);
        mpfi_neg(s.v[6], s.v[1]);
        ineq(c, "-dF/dt >= 0 at a random interior p", i, 0, s.v[6]);
    }
out:
    for (size_t j = 0; phi && v && j < x->n; j++) {
        mpfi_clear(phi[j]);
        mpfi_clear(v[j]);
    }
    free(phi);
    free(v);
    vf_qmat_clear(&q);
    vf_imat_clear(&ps);
    vf_imat_clear(&pr);
    sc_clear(&s);
    return rc;
}

/* ---------------------------------------------------------------- TH-8 LSE bounds */

/* With logits s = -E and N unmasked entries: max s <= LSE_T(s) <= max s + T log N, and
 * F* = -LSE_T(s) (so E_min - T log N <= F* <= E_min).  At T = 1 this is the textbook bound. */
static int lse_fn(chk *c, vf_err *e)
{
    const inst *x = c->x;
    vf_sm_src E = e_src(x);
    vf_temp T = temp_of(x);
    vf_imat lse = {0}, fs = {0};
    scratch s;
    sc_init(&s, c->p);
    int rc;
    if ((rc = imat(&lse, x->rows, 1, c, e)) || (rc = imat(&fs, x->rows, 1, c, e)) ||
        (rc = vf_ref_logsumexp(&lse, &E, &T, e)) ||
        (rc = vf_ref_thermo(&fs, &E, &T, VF_TH_F, e)) || (rc = vf_temp_enclose(s.v[0], &T, e)))
        goto out;
    for (size_t i = 0; i < x->rows; i++) {
        double emin = INFINITY;
        unsigned long live = 0;
        for (size_t j = 0; j < x->n; j++) {
            if (is_masked(x, i, j))
                continue;
            live++;
            if (x->E[i * x->n + j] < emin)
                emin = x->E[i * x->n + j];
        }
        mpfi_set_d(s.v[1], -emin); /* max s, exact */
        mpfi_sub(s.v[2], VF_I(&lse, i, 0), s.v[1]);
        ineq(c, "LSE_T(s) - max s >= 0", i, 0, s.v[2]);
        mpfi_set_ui(s.v[3], live);
        mpfi_log(s.v[3], s.v[3]);
        mpfi_mul(s.v[3], s.v[3], s.v[0]);
        mpfi_add(s.v[3], s.v[3], s.v[1]);
        mpfi_sub(s.v[3], s.v[3], VF_I(&lse, i, 0));
        ineq(c, "max s + T log N - LSE_T(s) >= 0", i, 0, s.v[3]);
        mpfi_add(s.v[4], VF_I(&fs, i, 0), VF_I(&lse, i, 0));
        resid(c, "F* + LSE_T(s)", i, 0, s.v[4]);
    }
out:
    vf_imat_clear(&lse);
    vf_imat_clear(&fs);
    sc_clear(&s);
    return rc;
}

/* ---------------------------------------------------------------- the claims */

#define CHECKER(name, fn, att, what)                                                           \
    static int name(const vf_claim *c, const vf_claim_opts *o, vf_claim_result *r,            \
                    vf_err *e)                                                                 \
    {                                                                                          \
        return run_claim(c->id, o, r, e, fn, att, what);                                       \
    }

CHECKER(check_gap, gap_fn, 0, "F[q] - F[p*] = T KL(q||p*) and F[q] >= F[p*]")
CHECKER(check_fmin, fmin_fn, 0, "F[p*] = -T log Z, E_j + T log p*_j = -T log Z")
CHECKER(check_attn, attn_fn, 1, "softmax(qK^T/sqrt(d_k)) = Gibbs(-qK^T, sqrt(d_k))")
CHECKER(check_heat, heat_fn, 0, "C = Var(E)/T^2 = dU* / dT = -T F*'' (Taylor AD)")
CHECKER(check_scale, scale_fn, 0, "p*, S*, C invariant and F*, U* scale under (cE, cT)")
CHECKER(check_shift, shift_fn, 0, "p*, S*, C invariant and F*, U* shift under E + c")
CHECKER(check_repl, repl_fn, 0, "replicator velocity 0 at p*, dF/dt <= 0 elsewhere")
CHECKER(check_lse, lse_fn, 0, "max s <= LSE_T(s) <= max s + T log N, F* = -LSE_T(-E)")

#define TH_CLAIM(var, cid, stmt, fn, dn, dd)                                                   \
    const vf_claim var = {.id = cid, .statement = stmt, .cls = VF_CLASS_T, .source = SRC,     \
                          .expected = VF_CERTIFIED, .default_n = dn, .default_d = dd,          \
                          .default_trials = N_KINDS, .check = fn}

TH_CLAIM(vf_claim_softmax_gibbs_gap, "softmax.gibbs_gap",
         "TH-1: F[q] - F[p*] = T KL(q||p*) >= 0 for every q in the closed simplex, "
         "F[p] = <p,E> - T S[p], p* = softmax(-E/T)",
         check_gap, 32, 0);
TH_CLAIM(vf_claim_softmax_free_energy_min, "softmax.free_energy_min",
         "TH-2: F[p*] = -T log Z and E_j + T log p*_j + T log Z = 0 for every j",
         check_fmin, 32, 0);
TH_CLAIM(vf_claim_softmax_attention_is_gibbs, "softmax.attention_is_gibbs",
         "TH-3: softmax(q K^T / sqrt(d_k)) = Gibbs state of E = -q K^T at T = sqrt(d_k)",
         check_attn, 32, 16);
TH_CLAIM(vf_claim_softmax_specific_heat, "softmax.specific_heat",
         "TH-4: C(T) = Var_{p*}(E)/T^2 = dU* / dT = -T d^2F* / dT^2, and dF* / dT = -S*",
         check_heat, 32, 0);
TH_CLAIM(vf_claim_softmax_scale_invariance, "softmax.scale_invariance",
         "TH-5: (E, T) -> (cE, cT), c > 0, leaves p*, S*, C unchanged and scales F*, U* by c",
         check_scale, 32, 0);
TH_CLAIM(vf_claim_softmax_shift_invariance, "softmax.shift_invariance",
         "TH-6: E -> E + c 1 leaves p*, S*, C unchanged and shifts F*, U* by c",
         check_shift, 32, 0);
TH_CLAIM(vf_claim_softmax_replicator_rest_point, "softmax.replicator_rest_point",
         "TH-7: the replicator (Fisher-Rao gradient) flow of F rests at p*, and dF/dt = "
         "-sum p_j (phi_j - phibar)^2 <= 0",
         check_repl, 32, 0);
TH_CLAIM(vf_claim_softmax_lse_bounds, "softmax.lse_bounds",
         "TH-8: max s <= LSE(s) <= max s + log N (at temperature T: E_min - T log N <= F* <= "
         "E_min)",
         check_lse, 32, 0);
