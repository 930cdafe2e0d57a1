/* fields_common.c — trial driver and evidence helpers of the fields claims (fields_common.h). */
#include "fields_common.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf_potential.h"
#include "vf_qgen.h"
#include "vf_round.h"

#define TEXT_MAX 600

void fc_note_q(vf_claim_result *r, const char *key, const vf_qmat *m)
{
    char *s = vf_qmat_str(m, TEXT_MAX);
    vf_claim_note_add(r, key, "%s", s ? s : "?");
    free(s);
}

void fc_note_iv(vf_claim_result *r, const char *key, mpfi_srcptr x)
{
    char buf[160];
    vf_iv_text(buf, sizeof buf, x);
    vf_claim_note_add(r, key, "%s", buf);
}

static void repro(fc_ctx *c)
{
    char extra[64] = "";
    if (c->o->prec || c->p)
        snprintf(extra, sizeof extra, " --prec %ld", (long)c->p);
    vf_claim_note_add(c->r, "repro", "veriformer check %s --seed %llu --n %zu --d %zu --trials %d%s",
                      c->claim->id, (unsigned long long)c->o->seed, c->o->n, c->o->d, c->t + 1,
                      c->p ? extra : "");
}

int fc_differ_q(fc_ctx *c, const char *what, const mpq_t got, const mpq_t want)
{
    if (c->refuted || mpq_equal(got, want))
        return c->refuted;
    mpq_t d;
    mpq_init(d);
    mpq_sub(d, got, want);
    char *g = vf_q_str(got), *w = vf_q_str(want), *ds = vf_q_str(d);
    vf_claim_set(c->r, VF_REFUTED, "%s: %s = %s but the claim gives %s (difference %s)",
                 c->label, what, g, w, ds);
    vf_claim_note_add(c->r, "difference", "%s - claimed = %s (exact)", what, ds);
    free(g);
    free(w);
    free(ds);
    mpq_clear(d);
    repro(c);
    c->refuted = 1;
    return 1;
}

int fc_differ(fc_ctx *c, const char *what, const vf_qmat *got, const vf_qmat *want)
{
    if (c->refuted)
        return 1;
    if (got->rows != want->rows || got->cols != want->cols) {
        vf_claim_set(c->r, VF_REFUTED, "%s: %s has shape %zux%zu, expected %zux%zu", c->label,
                     what, got->rows, got->cols, want->rows, want->cols);
        c->refuted = 1;
        return 1;
    }
    for (size_t i = 0; i < got->rows * got->cols; i++)
        if (!mpq_equal(got->a[i], want->a[i])) {
            char w[160];
            snprintf(w, sizeof w, "%s[%zu][%zu]", what, i / got->cols, i % got->cols);
            return fc_differ_q(c, w, got->a[i], want->a[i]);
        }
    return 0;
}

static void refute_iv(fc_ctx *c, const char *what, size_t i, size_t j, mpfi_srcptr x,
                      const char *why)
{
    char buf[160];
    vf_iv_text(buf, sizeof buf, x);
    vf_claim_set(c->r, VF_REFUTED, "%s: %s at (%zu,%zu): enclosure %s %s", c->label, what, i, j,
                 buf, why);
    vf_claim_note_add(c->r, "difference", "%s[%zu][%zu] in %s (certified at %ld bits)", what, i,
                      j, buf, (long)c->p);
    repro(c);
    c->refuted = 1;
}

int fc_resid(fc_ctx *c, const char *what, size_t i, size_t j, mpfi_srcptr x)
{
    if (c->refuted)
        return 1;
    c->residuals++;
    if (mpfi_nan_p(x) || !mpfi_has_zero(x)) {
        refute_iv(c, what, i, j, x, "excludes 0");
        return 1;
    }
    long k = vf_iv_abs_bits(x);
    if (k < c->kmin)
        c->kmin = k;
    return 0;
}

int fc_ineq(fc_ctx *c, const char *what, size_t i, size_t j, mpfi_srcptr x)
{
    if (c->refuted)
        return 1;
    if (mpfr_sgn(&x->left) >= 0) {
        c->proved++;
        return 0;
    }
    if (mpfr_sgn(&x->right) < 0) {
        refute_iv(c, what, i, j, x, "is negative: the inequality fails");
        return 1;
    }
    c->tight++;
    return fc_resid(c, what, i, j, x);
}

int fc_resid_mat(fc_ctx *c, const char *what, const vf_imat *a, const vf_imat *b)
{
    mpfi_t d;
    mpfi_init2(d, a->prec);
    for (size_t i = 0; i < a->rows && !c->refuted; i++)
        for (size_t j = 0; j < a->cols && !c->refuted; j++) {
            mpfi_sub(d, VF_I(a, i, j), VF_I(b, i, j));
            fc_resid(c, what, i, j, d);
        }
    mpfi_clear(d);
    return c->refuted;
}

int fc_mul_new(vf_qmat *c, const vf_qmat *a, const vf_qmat *b, vf_err *e)
{
    int rc = vf_qmat_init(c, a->rows, b->cols, e);
    return rc ? rc : vf_qmat_mul(c, a, b, e);
}

int fc_transpose_new(vf_qmat *t, const vf_qmat *a, vf_err *e)
{
    int rc = vf_qmat_init(t, a->cols, a->rows, e);
    return rc ? rc : vf_qmat_transpose(t, a, e);
}

int fc_sym_new(vf_qmat *s, const vf_qmat *m, vf_err *e)
{
    vf_qmat t = {0};
    int rc = fc_transpose_new(&t, m, e);
    if (!rc)
        rc = vf_qmat_init(s, m->rows, m->cols, e);
    if (!rc)
        rc = vf_qmat_add(s, m, &t, e);
    vf_qmat_clear(&t);
    return rc;
}

int fc_small_new(vf_qmat *m, size_t rows, size_t cols, const fc_ctx *c, uint64_t tensor,
                 vf_err *e)
{
    int rc = vf_qmat_init(m, rows, cols, e);
    if (!rc)
        vf_qgen_small(m, c->o->seed, 1000u * (uint64_t)c->t + tensor, 3, 3);
    return rc;
}

int fc_run(const vf_claim *claim, const vf_claim_opts *o, vf_claim_result *r, vf_err *e,
           fc_trial_fn fn, int certified, const char *what)
{
    int trials = o->trials > 0 ? o->trials : 1;
    long bits = LONG_MAX, proved = 0, tight = 0, residuals = 0;
    mpfr_prec_t pmax = 0;
    char labels[600] = "";
    for (int t = 0; t < trials; t++) {
        fc_ctx c = {.claim = claim, .o = o, .r = r, .t = t};
        mpfr_prec_t p = certified ? (o->prec ? (mpfr_prec_t)o->prec : FC_PREC) : 0;
        for (;;) {
            c.p = p;
            c.kmin = certified ? (long)p : LONG_MAX;
            c.refuted = 0;
            c.residuals = c.proved = c.tight = 0;
            c.notes = 0;
            int rc = fn(&c, e);
            if (rc == VF_E_DOMAIN || rc == VF_E_SHAPE) {
                vf_claim_set(r, VF_INVALID_INPUT, "%s: %s", c.label, e->msg);
                return VF_OK;
            }
            if (rc)
                return rc;
            if (c.refuted)
                return VF_OK;
            if (!certified || c.kmin >= (long)p / 2)
                break;
            if (p >= VF_PREC_MAX) {
                vf_claim_set(r, VF_UNCERTIFIED, "%s: residuals only within 2^-%ld at %ld bits "
                             "(cap)", c.label, c.kmin, (long)p);
                return VF_OK;
            }
            p *= 2;
        }
        if (t == 0) { /* final evaluation of trial 0 again, now allowed to write notes */
            c.notes = 1;
            c.kmin = certified ? (long)p : LONG_MAX;
            c.residuals = c.proved = c.tight = 0;
            int rc = fn(&c, e);
            if (rc)
                return rc;
            if (c.refuted)
                return VF_OK;
        }
        if (certified && c.kmin < bits)
            bits = c.kmin;
        if (p > pmax)
            pmax = p;
        proved += c.proved;
        tight += c.tight;
        residuals += c.residuals;
        size_t used = strlen(labels);
        if (used + strlen(c.label) + 3 < sizeof labels)
            snprintf(labels + used, sizeof labels - used, "%s%s", t ? "; " : "", c.label);
    }
    vf_claim_note_add(r, "instances", "%d: %s", trials, labels);
    if (certified) {
        r->bits = bits;
        if (proved || tight)
            vf_claim_note_add(r, "inequalities", "%ld proved outright (enclosure in [0, inf)), "
                              "%ld tight (enclosure straddles 0, within 2^-%ld)", proved, tight,
                              bits);
        vf_claim_set(r, VF_CERTIFIED, "%s; %ld residual(s) within 2^-%ld (precision %ld bits), "
                     "%d instance(s)", what, residuals, bits, (long)pmax, trials);
    } else {
        vf_claim_set(r, VF_HELD_EXACT, "%s exactly on %d instance(s)", what, trials);
    }
    return VF_OK;
}

int fc_param_new(vf_qmat *m, size_t d, const fc_ctx *c, uint64_t tensor, int sym, vf_err *e)
{
    vf_qmat raw = {0};
    int rc = fc_small_new(&raw, d, d, c, tensor, e);
    if (!rc && sym)
        rc = fc_sym_new(m, &raw, e);
    else if (!rc && !(rc = vf_qmat_init(m, d, d, e)))
        rc = vf_qmat_copy(m, &raw, e);
    vf_qmat_clear(&raw);
    return rc;
}

void fc_clear_q(vf_qmat *const *m, size_t k)
{
    for (size_t i = 0; i < k; i++)
        vf_qmat_clear(m[i]);
}
