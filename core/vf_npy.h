/* vf_npy.h — NumPy .npy read/write (format versions 1.0 and 2.0).
 *
 * Supported: little-endian '<f2', '<f4', '<f8' (also '|'-less forms numpy writes), C order
 * ('fortran_order': False), any number of dimensions up to VF_NPY_MAX_DIM, 0-d arrays.
 * Everything else is rejected with VF_E_FORMAT and a message naming what was found
 * (big-endian '>f4', Fortran order, integer dtypes, truncated data, bad magic, malformed header
 * dict, shape overflowing size_t); a file that cannot be opened is VF_E_IO.
 * Values are held as double: every half/single value converts exactly.
 */
#ifndef VF_NPY_H
#define VF_NPY_H

#include <stddef.h>

#include "vf_round.h" /* vf_dtype */
#include "vf_status.h"

#define VF_NPY_MAX_DIM 8

typedef struct vf_tensor {
    vf_dtype dtype;                /* dtype in the file (or to write) */
    int ndim;
    size_t shape[VF_NPY_MAX_DIM];
    size_t count;                  /* product of shape (1 for 0-d) */
    double *v;                     /* count values, C order */
} vf_tensor;

/* Allocates a tensor of the given shape, zero-filled. */
int vf_tensor_init(vf_tensor *t, vf_dtype dt, int ndim, const size_t *shape, vf_err *e);
void vf_tensor_clear(vf_tensor *t);

int vf_npy_read(vf_tensor *t, const char *path, vf_err *e);
/* Writes t->v converted to t->dtype.  Each value must be representable in that dtype (it is
 * rounded to nearest otherwise); writes a version 1.0 header when it fits, else 2.0. */
int vf_npy_write(const vf_tensor *t, const char *path, vf_err *e);

/* Parses an in-memory .npy image (used by vf_npy_read and by the tests). */
int vf_npy_parse(vf_tensor *t, const unsigned char *buf, size_t len, const char *name, vf_err *e);

/* Half precision <-> double (exact widening; narrowing rounds to nearest even). */
double vf_half_to_double(unsigned short h);
unsigned short vf_double_to_half(double x);

#endif
