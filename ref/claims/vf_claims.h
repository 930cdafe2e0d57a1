/* vf_claims.h — claims: theorems of our sources checked on concrete instances.
 *
 * A claim has an id ("relu.orthant_projection"), a statement, an exactness class (THEORY.md
 * §0.2), its source, the verdict it is expected to get (claims false as stated are expected
 * REFUTED), and a checker.  The checker builds a deterministic instance from the options
 * (seed, sizes) or from user .npy inputs, decides the verdict exactly or with a certified
 * enclosure, and records its evidence as notes (key/value pairs printed as text or JSON).
 */
#ifndef VF_CLAIMS_H
#define VF_CLAIMS_H

#include <stddef.h>
#include <stdint.h>

#include "vf_q.h"
#include "vf_status.h"

typedef enum {
    VF_HELD_EXACT = 0,  /* rational identity, checked by exact equality */
    VF_CERTIFIED,       /* residual enclosed within +-2^-k, k in result.bits */
    VF_REFUTED,         /* counterexample found (printed exactly in the notes) */
    VF_UNCERTIFIED,     /* precision cap reached before deciding */
    VF_INVALID_INPUT    /* a hypothesis fails (singular X^T X, masked row, NaN): message given */
} vf_verdict;

typedef enum { VF_CLASS_Q = 0, VF_CLASS_QSQRT, VF_CLASS_T } vf_claim_class;

#define VF_CLAIM_MAX_IN 8
typedef struct vf_claim_opts {
    uint64_t seed;                  /* default VF_SEED_DEFAULT */
    size_t n, d;                    /* instance sizes; 0 = the claim's default */
    long prec;                      /* working precision for certified claims; 0 = default */
    int trials;                     /* random instances per check; 0 = the claim's default */
    const char *in[VF_CLAIM_MAX_IN];/* user inputs (.npy paths), replacing generated data */
    int n_in;
} vf_claim_opts;

#define VF_CLAIM_MAX_NOTES 32
typedef struct vf_claim_note {
    char key[48];
    char *value; /* malloc'd */
} vf_claim_note;

typedef struct vf_claim_result {
    vf_verdict verdict;
    long bits;               /* certified bits for VF_CERTIFIED, else 0 */
    char summary[256];       /* one line: what was checked / why it failed */
    vf_claim_note notes[VF_CLAIM_MAX_NOTES];
    int n_notes;
} vf_claim_result;

typedef struct vf_claim {
    const char *id;
    const char *statement;
    vf_claim_class cls;
    const char *source;
    vf_verdict expected;
    size_t default_n, default_d;
    int default_trials;
    /* Fills r; returns VF_OK when a verdict was reached (any verdict, INVALID_INPUT included),
     * or a vf_code when the check itself could not run (I/O error on --in, out of memory). */
    int (*check)(const struct vf_claim *c, const vf_claim_opts *o, vf_claim_result *r,
                 vf_err *e);
} vf_claim;

/* Every registered claim, in table order: an array of *count pointers. */
const vf_claim *const *vf_claims_all(size_t *count);
const vf_claim *vf_claim_find(const char *id);

/* Default options (fixed seed). */
void vf_claim_opts_default(vf_claim_opts *o);
/* Runs c with defaults filled in from the claim; r is reset first. */
int vf_claim_run(const vf_claim *c, const vf_claim_opts *o, vf_claim_result *r, vf_err *e);
void vf_claim_result_clear(vf_claim_result *r);

/* Appends a note (printf-style value); silently drops notes past VF_CLAIM_MAX_NOTES. */
void vf_claim_note_add(vf_claim_result *r, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Value of the first note named key, or NULL. */
const char *vf_claim_note_get(const vf_claim_result *r, const char *key);
/* Sets verdict and summary. */
void vf_claim_set(vf_claim_result *r, vf_verdict v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

const char *vf_verdict_name(vf_verdict v);
/* Process exit code of a verdict: HELD_EXACT/CERTIFIED 0, REFUTED 1, INVALID_INPUT 2,
 * UNCERTIFIED 99 (DESIGN.md). */
int vf_verdict_exit_code(vf_verdict v);
const char *vf_claim_class_name(vf_claim_class c);

/* Loads user input k (o->in[k], a .npy of any shape) exactly as a rational matrix: 2-d arrays
 * keep their shape, others are flattened to a column.  NaN/inf -> VF_E_DOMAIN naming the
 * index; I/O or format problems -> the vf_npy codes.  m is initialised here. */
int vf_claim_input_q(const vf_claim_opts *o, int k, vf_qmat *m, vf_err *e);

/* Exact vector instance t of a claim on an n-vector: the user's input 0 when given (any t),
 * else small rationals with zeros and both signs (t = 0), then the float fills that hold only
 * rationals (uniform, normal, ties, big, negative, denormal; the masked fill holds -inf),
 * converted exactly.  x is initialised here; label names the instance for reports. */
int vf_claim_instance_q(vf_qmat *x, const vf_claim_opts *o, int t, char *label, size_t len,
                        vf_err *e);

#endif
