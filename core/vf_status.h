/* vf_status.h — error reporting and exit codes shared by every layer.
 *
 * Library functions return an int status: VF_OK (0) or one of vf_code, and when they fail
 * they fill the caller's vf_err with a message naming the problem.  Nothing in the library
 * prints, aborts or returns NaN for bad input.  The command maps codes to the exit codes
 * of DESIGN.md with vf_exit_code().
 */
#ifndef VF_STATUS_H
#define VF_STATUS_H

#include <stddef.h>

/* Process exit codes (DESIGN.md "The command"). */
enum {
    VF_EXIT_PASS = 0,      /* check passed / claim held or certified */
    VF_EXIT_FAIL = 1,      /* check failed / claim refuted */
    VF_EXIT_USAGE = 2,     /* usage, I/O or invalid-input error */
    VF_EXIT_SKIP = 77,     /* skipped (e.g. ISA not available) */
    VF_EXIT_INTERNAL = 99  /* internal error or result not certified */
};

typedef enum {
    VF_OK = 0,
    VF_E_USAGE,        /* bad arguments: unknown claim/kernel, bad option value */
    VF_E_IO,           /* cannot open/read/write a file */
    VF_E_FORMAT,       /* file readable but malformed or unsupported (.npy header, dtype) */
    VF_E_SHAPE,        /* inconsistent shapes between operands */
    VF_E_DOMAIN,       /* input outside the kernel's domain: NaN/inf to an exact kernel,
                          singular matrix, all-masked row, ... */
    VF_E_UNCERTIFIED,  /* precision cap reached before a result was certified */
    VF_E_NOMEM,        /* allocation failed */
    VF_E_INTERNAL      /* a bug: an invariant of ours does not hold */
} vf_code;

#define VF_ERR_MSG_LEN 512
typedef struct vf_err {
    vf_code code;
    char msg[VF_ERR_MSG_LEN];
} vf_err;

/* Records code and message in e (if non-NULL) and returns code, so a failure reads
 * `return vf_fail(e, VF_E_DOMAIN, "row %zu has no finite entry", i);`
 * The contract is what the proved ref/ functions use on their error paths; the body
 * (vsnprintf into e->msg, bounded by its size) is read, not proved (proofs/TRUST.md). */
/*@ requires valid_e: e == \null || \valid(e);
    assigns *e;
    ensures code: \result == code;
*/
int vf_fail(vf_err *e, vf_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears e to VF_OK with an empty message. */
void vf_err_clear(vf_err *e);

/* Exit code of DESIGN.md for a library code. */
int vf_exit_code(vf_code code);

/* Short stable name of a code ("domain", "io", ...), for JSON reports. */
const char *vf_code_name(vf_code code);

/* Checked allocation: returns NULL and fills e on failure; n*size overflow is a failure. */
void *vf_calloc(size_t n, size_t size, vf_err *e);

#endif
