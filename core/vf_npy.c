/* vf_npy.c — NumPy .npy reader and writer (see vf_npy.h).
 *
 * Layout (numpy/lib/format.py): "\x93NUMPY", major, minor, header length (2 bytes
 * little-endian in 1.0, 4 bytes in 2.0 and 3.0), the header — a Python dict literal with the
 * keys 'descr', 'fortran_order', 'shape', padded with spaces and ended by '\n' — then the raw
 * data.  Version 3.0 only changes the header encoding to UTF-8; we accept ASCII content.
 * The reader works on a whole in-memory image so every length check is against a known end.
 */
#include "vf_npy.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const unsigned char npy_magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
#define NPY_ALIGN 64 /* numpy's ARRAY_ALIGN: data starts at a multiple of 64 */

static size_t dtype_size(vf_dtype dt)
{
    switch (dt) {
    case VF_DT_F16: return 2;
    case VF_DT_F32: return 4;
    case VF_DT_F64: return 8;
    }
    return 0;
}

/* ---- half precision ---------------------------------------------------------------- */

double vf_half_to_double(unsigned short h)
{
    uint64_t sign = (uint64_t)(h >> 15) << 63;
    unsigned ex = (h >> 10) & 31, m = h & 1023;
    if (ex == 31) {
        /* inf, or NaN with its 10-bit payload kept in the top mantissa bits (round trips). */
        uint64_t b = sign | (UINT64_C(0x7ff) << 52) | ((uint64_t)m << 42);
        double d;
        memcpy(&d, &b, sizeof d);
        return d;
    }
    /* Subnormal m 2^-24, normal (1024 + m) 2^(ex-25): exact scalings of small integers. */
    double v = ex == 0 ? ldexp((double)m, -24) : ldexp((double)(1024 + m), (int)ex - 25);
    return sign ? -v : v;
}

unsigned short vf_double_to_half(double x)
{
    unsigned short sign = signbit(x) ? 0x8000 : 0;
    if (isnan(x)) {
        uint64_t b;
        memcpy(&b, &x, sizeof b);
        unsigned m = (unsigned)(b >> 42) & 1023;
        return (unsigned short)(sign | 0x7c00 | (m ? m : 0x200));
    }
    double a = fabs(x);
    if (a >= 0x1p16) /* also inf; finite a in [65520, 2^16) overflows through the carry below */
        return (unsigned short)(sign | 0x7c00);
    /* Quantum of the half grid at a: 2^-24 below 2^-14 (subnormals), else 2^(E-10) for
     * a in [2^E, 2^(E+1)).  n = a / quantum is exact (power-of-two scaling) and < 2^11. */
    int e;
    (void)frexp(a, &e); /* a = f 2^e, f in [0.5, 1): E = e - 1 */
    int qexp = a < 0x1p-14 ? -24 : e - 11;
    double n = ldexp(a, -qexp);
    unsigned k = (unsigned)n; /* floor: n >= 0 */
    double frac = n - (double)k; /* exact */
    if (frac > 0.5 || (frac == 0.5 && (k & 1)))
        k++; /* round to nearest, ties to even */
    if (qexp == -24) /* k <= 1024: k == 1024 is exactly the encoding of 2^-14 */
        return (unsigned short)(sign | k);
    /* k in [1024, 2048]; k == 2048 carries into the exponent (up to 0x7c00 = inf). */
    return (unsigned short)(sign | (((unsigned)(qexp + 25) << 10) + (k - 1024)));
}

/* ---- tensors ------------------------------------------------------------------------ */

/* Product of the shape, failing on size_t overflow (also of the byte count). */
static int shape_count(size_t *count, int ndim, const size_t *shape, size_t itemsize)
{
    size_t c = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] != 0 && c > SIZE_MAX / shape[i])
            return -1;
        c *= shape[i];
    }
    if (itemsize && c > SIZE_MAX / itemsize)
        return -1;
    *count = c;
    return 0;
}

int vf_tensor_init(vf_tensor *t, vf_dtype dt, int ndim, const size_t *shape, vf_err *e)
{
    memset(t, 0, sizeof *t);
    if (!dtype_size(dt))
        return vf_fail(e, VF_E_USAGE, "tensor dtype %d is not f16, f32 or f64", (int)dt);
    if (ndim < 0 || ndim > VF_NPY_MAX_DIM)
        return vf_fail(e, VF_E_USAGE, "tensor has %d dimensions; 0 to %d are supported", ndim,
                       VF_NPY_MAX_DIM);
    size_t count;
    if (shape_count(&count, ndim, shape, sizeof(double)) != 0)
        return vf_fail(e, VF_E_USAGE, "tensor shape product overflows size_t");
    double *v = vf_calloc(count, sizeof(double), e);
    if (!v)
        return VF_E_NOMEM;
    t->dtype = dt;
    t->ndim = ndim;
    for (int i = 0; i < ndim; i++)
        t->shape[i] = shape[i];
    t->count = count;
    t->v = v;
    return VF_OK;
}

void vf_tensor_clear(vf_tensor *t)
{
    if (!t)
        return;
    free(t->v);
    memset(t, 0, sizeof *t);
}

/* ---- header parsing ------------------------------------------------------------------ */

typedef struct {
    const char *p, *end; /* cursor over the header text */
    const char *name;    /* file name for messages */
    vf_err *e;
} hdr;

static void skip_ws(hdr *h)
{
    while (h->p < h->end && (*h->p == ' ' || *h->p == '\t' || *h->p == '\n' || *h->p == '\r'))
        h->p++;
}

/* Printable excerpt of the header at the cursor, for "found ..." messages. */
static const char *excerpt(const hdr *h, char *buf, size_t len)
{
    size_t i = 0;
    for (const char *q = h->p; q < h->end && i + 1 < len && i < 24; q++)
        buf[i++] = (*q >= 32 && *q < 127) ? *q : '?';
    buf[i] = '\0';
    if (i == 0)
        snprintf(buf, len, "end of header");
    return buf;
}

static int expect(hdr *h, char c, const char *what)
{
    skip_ws(h);
    if (h->p < h->end && *h->p == c) {
        h->p++;
        return VF_OK;
    }
    char ex[32];
    return vf_fail(h->e, VF_E_FORMAT, "%s: malformed .npy header: expected %s, found '%s'",
                   h->name, what, excerpt(h, ex, sizeof ex));
}

/* A Python string literal in single or double quotes, without escapes (numpy never needs
 * them for these keys and dtypes); copied into out (truncated to len-1). */
static int parse_string(hdr *h, char *out, size_t len)
{
    skip_ws(h);
    char ex[32];
    if (h->p >= h->end || (*h->p != '\'' && *h->p != '"'))
        return vf_fail(h->e, VF_E_FORMAT, "%s: malformed .npy header: expected a quoted string, "
                       "found '%s'", h->name, excerpt(h, ex, sizeof ex));
    char q = *h->p++;
    size_t i = 0;
    while (h->p < h->end && *h->p != q) {
        if (*h->p == '\\' || *h->p == '\n')
            return vf_fail(h->e, VF_E_FORMAT, "%s: malformed .npy header: unsupported character "
                           "in a string", h->name);
        if (i + 1 < len)
            out[i++] = *h->p;
        h->p++;
    }
    out[i] = '\0';
    if (h->p >= h->end)
        return vf_fail(h->e, VF_E_FORMAT, "%s: malformed .npy header: unterminated string",
                       h->name);
    h->p++;
    return VF_OK;
}

static int parse_bool(hdr *h, int *out)
{
    skip_ws(h);
    size_t left = (size_t)(h->end - h->p);
    if (left >= 4 && memcmp(h->p, "True", 4) == 0) {
        h->p += 4;
        *out = 1;
        return VF_OK;
    }
    if (left >= 5 && memcmp(h->p, "False", 5) == 0) {
        h->p += 5;
        *out = 0;
        return VF_OK;
    }
    char ex[32];
    return vf_fail(h->e, VF_E_FORMAT, "%s: malformed .npy header: 'fortran_order' must be True "
                   "or False, found '%s'", h->name, excerpt(h, ex, sizeof ex));
}

/* A dimension: decimal digits (Python 2 numpy may add an 'L' suffix), checked for overflow. */
static int parse_dim(hdr *h, size_t *out)
{
    size_t v = 0;
    const char *start = h->p;
    while (h->p < h->end && *h->p >= '0' && *h->p <= '9') {
        size_t d = (size_t)(*h->p - '0');
        if (v > (SIZE_MAX - d) / 10)
            return vf_fail(h->e, VF_E_FORMAT, "%s: .npy shape dimension overflows size_t",
                           h->name);
        v = v * 10 + d;
        h->p++;
    }
    if (h->p == start) {
        char ex[32];
        return vf_fail(h->e, VF_E_FORMAT, "%s: malformed .npy header: expected a non-negative "
                       "dimension in 'shape', found '%s'", h->name, excerpt(h, ex, sizeof ex));
    }
    if (h->p < h->end && (*h->p == 'L' || *h->p == 'l'))
        h->p++;
    *out = v;
    return VF_OK;
}

/* "(" [dim ("," dim)* [","]] ")"; counts dimensions past VF_NPY_MAX_DIM to report them. */
static int parse_shape(hdr *h, size_t *shape, int *ndim)
{
    int rc = expect(h, '(', "'(' starting the 'shape' tuple");
    if (rc)
        return rc;
    int n = 0;
    skip_ws(h);
    while (h->p < h->end && *h->p != ')') {
        size_t d = 0;
        if ((rc = parse_dim(h, &d)) != VF_OK)
            return rc;
        if (n < VF_NPY_MAX_DIM)
            shape[n] = d;
        if (n < INT_MAX)
            n++;
        skip_ws(h);
        if (h->p < h->end && *h->p == ',') {
            h->p++;
            skip_ws(h);
        } else if (h->p < h->end && *h->p != ')') {
            char ex[32];
            return vf_fail(h->e, VF_E_FORMAT, "%s: malformed .npy header: expected ',' or ')' "
                           "in 'shape', found '%s'", h->name, excerpt(h, ex, sizeof ex));
        }
    }
    if ((rc = expect(h, ')', "')' ending the 'shape' tuple")) != VF_OK)
        return rc;
    if (n > VF_NPY_MAX_DIM)
        return vf_fail(h->e, VF_E_FORMAT, "%s: .npy array has %d dimensions; at most %d are "
                       "supported", h->name, n, VF_NPY_MAX_DIM);
    *ndim = n;
    return VF_OK;
}

/* Maps a descr to a dtype, or explains the rejection. */
static int parse_descr(const char *d, vf_dtype *dt, const char *name, vf_err *e)
{
    char order = d[0];
    const char *type = d;
    if (order == '<' || order == '>' || order == '=' || order == '|')
        type++;
    else
        order = '=';
    int is_float = strcmp(type, "f2") == 0 || strcmp(type, "f4") == 0 || strcmp(type, "f8") == 0;
    if (is_float && order == '>')
        return vf_fail(e, VF_E_FORMAT, "%s: descr '%s': big-endian data is not supported; "
                       "convert with arr.astype('<%s')", name, d, type);
    if (!is_float)
        return vf_fail(e, VF_E_FORMAT, "%s: unsupported dtype descr '%s' (supported: '<f2', "
                       "'<f4', '<f8')", name, d);
    /* '<', '=' and '|' (no byte order) all mean little-endian on the hosts we build for. */
    *dt = type[1] == '2' ? VF_DT_F16 : type[1] == '4' ? VF_DT_F32 : VF_DT_F64;
    return VF_OK;
}

/* Parses the header dict text [p, end) into dtype and shape. */
static int parse_header(const char *p, const char *end, vf_dtype *dt, int *ndim, size_t *shape,
                        const char *name, vf_err *e)
{
    hdr h = {p, end, name, e};
    int rc, have_descr = 0, have_fortran = 0, have_shape = 0, fortran = 0;
    char descr[64];
    if ((rc = expect(&h, '{', "'{' starting the header dict")) != VF_OK)
        return rc;
    for (;;) {
        skip_ws(&h);
        if (h.p < h.end && *h.p == '}') {
            h.p++;
            break;
        }
        char key[32];
        if ((rc = parse_string(&h, key, sizeof key)) != VF_OK)
            return rc;
        if ((rc = expect(&h, ':', "':' after a key")) != VF_OK)
            return rc;
        int *seen;
        if (strcmp(key, "descr") == 0) {
            seen = &have_descr;
            skip_ws(&h);
            if (h.p < h.end && *h.p == '[')
                return vf_fail(e, VF_E_FORMAT, "%s: structured dtype (descr is a list) is not "
                               "supported (supported: '<f2', '<f4', '<f8')", name);
            rc = parse_string(&h, descr, sizeof descr);
        } else if (strcmp(key, "fortran_order") == 0) {
            seen = &have_fortran;
            rc = parse_bool(&h, &fortran);
        } else if (strcmp(key, "shape") == 0) {
            seen = &have_shape;
            rc = parse_shape(&h, shape, ndim);
        } else {
            return vf_fail(e, VF_E_FORMAT, "%s: malformed .npy header: unexpected key '%s'",
                           name, key);
        }
        if (rc)
            return rc;
        if (*seen)
            return vf_fail(e, VF_E_FORMAT, "%s: malformed .npy header: duplicate key '%s'",
                           name, key);
        *seen = 1;
        skip_ws(&h);
        if (h.p < h.end && *h.p == ',')
            h.p++;
        else if (!(h.p < h.end && *h.p == '}')) {
            char ex[32];
            return vf_fail(e, VF_E_FORMAT, "%s: malformed .npy header: expected ',' or '}', "
                           "found '%s'", name, excerpt(&h, ex, sizeof ex));
        }
    }
    skip_ws(&h);
    if (h.p != h.end) {
        char ex[32];
        return vf_fail(e, VF_E_FORMAT, "%s: malformed .npy header: unexpected '%s' after the "
                       "dict", name, excerpt(&h, ex, sizeof ex));
    }
    if (!have_descr || !have_fortran || !have_shape)
        return vf_fail(e, VF_E_FORMAT, "%s: malformed .npy header: missing key '%s'", name,
                       !have_descr ? "descr" : !have_fortran ? "fortran_order" : "shape");
    if ((rc = parse_descr(descr, dt, name, e)) != VF_OK)
        return rc;
    if (fortran)
        return vf_fail(e, VF_E_FORMAT, "%s: Fortran-order arrays are not supported; use "
                       "np.ascontiguousarray", name);
    return VF_OK;
}

static uint64_t load_le(const unsigned char *b, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = (v << 8) | b[i];
    return v;
}

static void store_le(unsigned char *b, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++, v >>= 8)
        b[i] = (unsigned char)v;
}

int vf_npy_parse(vf_tensor *t, const unsigned char *buf, size_t len, const char *name, vf_err *e)
{
    memset(t, 0, sizeof *t);
    if (!name)
        name = "<buffer>";
    if (!buf || len < sizeof npy_magic || memcmp(buf, npy_magic, sizeof npy_magic) != 0)
        return vf_fail(e, VF_E_FORMAT, "%s: not a .npy file (bad magic: the file does not start "
                       "with \\x93NUMPY)", name);
    if (len < 8)
        return vf_fail(e, VF_E_FORMAT, "%s: truncated .npy file: %zu bytes, no version", name,
                       len);
    unsigned major = buf[6], minor = buf[7];
    if (!((major == 1 || major == 2 || major == 3) && minor == 0))
        return vf_fail(e, VF_E_FORMAT, "%s: unsupported .npy version %u.%u (supported: 1.0, "
                       "2.0, 3.0)", name, major, minor);
    size_t lenbytes = major == 1 ? 2 : 4, start = 8 + lenbytes;
    if (len < start)
        return vf_fail(e, VF_E_FORMAT, "%s: truncated .npy file: %zu bytes, header length "
                       "missing", name, len);
    uint64_t hlen = load_le(buf + 8, lenbytes);
    if (hlen > len - start)
        return vf_fail(e, VF_E_FORMAT, "%s: truncated .npy file: header length %llu runs past "
                       "the end of the file (%zu bytes)", name, (unsigned long long)hlen, len);
    vf_dtype dt = VF_DT_F64;
    int ndim = 0;
    size_t shape[VF_NPY_MAX_DIM];
    int rc = parse_header((const char *)buf + start, (const char *)buf + start + hlen, &dt, &ndim,
                          shape, name, e);
    if (rc)
        return rc;
    size_t isz = dtype_size(dt), count;
    if (shape_count(&count, ndim, shape, sizeof(double)) != 0)
        return vf_fail(e, VF_E_FORMAT, "%s: .npy shape product overflows size_t", name);
    size_t need = count * isz, off = start + (size_t)hlen, have = len - off;
    if (have < need)
        return vf_fail(e, VF_E_FORMAT, "%s: truncated: expected %zu bytes of data, found %zu",
                       name, need, have);
    if (have > need)
        return vf_fail(e, VF_E_FORMAT, "%s: trailing garbage: %zu bytes after the %zu bytes of "
                       "data", name, have - need, need);
    if ((rc = vf_tensor_init(t, dt, ndim, shape, e)) != VF_OK)
        return rc;
    const unsigned char *d = buf + off;
    for (size_t i = 0; i < count; i++, d += isz) {
        uint64_t b = load_le(d, isz);
        if (dt == VF_DT_F16) {
            t->v[i] = vf_half_to_double((unsigned short)b);
        } else if (dt == VF_DT_F32) {
            uint32_t b32 = (uint32_t)b;
            float f;
            memcpy(&f, &b32, sizeof f);
            t->v[i] = (double)f;
        } else {
            memcpy(&t->v[i], &b, sizeof(double));
        }
    }
    return VF_OK;
}

int vf_npy_read(vf_tensor *t, const char *path, vf_err *e)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (!f)
        return vf_fail(e, VF_E_IO, "%s: cannot open: %s", path, strerror(errno));
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = VF_OK;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            unsigned char *nb = ncap > cap ? realloc(buf, ncap) : NULL;
            if (!nb) {
                rc = vf_fail(e, VF_E_NOMEM, "%s: out of memory reading the file", path);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                rc = vf_fail(e, VF_E_IO, "%s: read error: %s", path, strerror(errno));
            break;
        }
    }
    fclose(f);
    if (rc == VF_OK)
        rc = vf_npy_parse(t, buf, len, path, e);
    free(buf);
    return rc;
}

/* ---- writing ------------------------------------------------------------------------- */

/* Builds the complete file image (header and data) in a fresh buffer. */
static int build_image(const vf_tensor *t, unsigned char **out, size_t *outlen, const char *path,
                       vf_err *e)
{
    static const char *const descr[] = {[VF_DT_F16] = "<f2", [VF_DT_F32] = "<f4",
                                        [VF_DT_F64] = "<f8"};
    size_t isz = dtype_size(t->dtype), count;
    if (!isz)
        return vf_fail(e, VF_E_USAGE, "%s: cannot write dtype %d (not f16, f32 or f64)", path,
                       (int)t->dtype);
    if (t->ndim < 0 || t->ndim > VF_NPY_MAX_DIM)
        return vf_fail(e, VF_E_USAGE, "%s: cannot write a tensor with %d dimensions", path,
                       t->ndim);
    if (shape_count(&count, t->ndim, t->shape, isz) != 0 || count != t->count)
        return vf_fail(e, VF_E_SHAPE, "%s: tensor count %zu does not match its shape", path,
                       t->count);
    if (count && !t->v)
        return vf_fail(e, VF_E_USAGE, "%s: tensor has no values", path);

    /* The dict as numpy writes it: "(5,)" for one dimension, "()" for none. */
    char dict[64 + VF_NPY_MAX_DIM * 24];
    int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
                     descr[t->dtype]);
    for (int i = 0; i < t->ndim; i++)
        n += snprintf(dict + n, sizeof dict - (size_t)n, i ? ", %zu" : "%zu", t->shape[i]);
    n += snprintf(dict + n, sizeof dict - (size_t)n, "%s), }", t->ndim == 1 ? "," : "");

    /* Pad with spaces and a final '\n' so that the data starts at a multiple of 64; use the
     * 2-byte length of version 1.0 when the padded header fits in it. */
    size_t prefix = 10, hlen = ((prefix + (size_t)n + 1 + NPY_ALIGN - 1) / NPY_ALIGN) * NPY_ALIGN
                                  - prefix;
    if (hlen > 65535) {
        prefix = 12;
        hlen = ((prefix + (size_t)n + 1 + NPY_ALIGN - 1) / NPY_ALIGN) * NPY_ALIGN - prefix;
    }
    size_t total = prefix + hlen + count * isz;
    unsigned char *img = vf_calloc(total, 1, e);
    if (!img)
        return VF_E_NOMEM;
    memcpy(img, npy_magic, sizeof npy_magic);
    img[6] = prefix == 10 ? 1 : 2;
    img[7] = 0;
    store_le(img + 8, hlen, prefix - 8);
    memcpy(img + prefix, dict, (size_t)n);
    memset(img + prefix + n, ' ', hlen - (size_t)n - 1);
    img[prefix + hlen - 1] = '\n';

    unsigned char *d = img + prefix + hlen;
    for (size_t i = 0; i < count; i++, d += isz) {
        uint64_t b;
        if (t->dtype == VF_DT_F16) {
            b = vf_double_to_half(t->v[i]);
        } else if (t->dtype == VF_DT_F32) {
            float f = (float)t->v[i]; /* rounds to nearest even */
            uint32_t b32;
            memcpy(&b32, &f, sizeof b32);
            b = b32;
        } else {
            memcpy(&b, &t->v[i], sizeof b);
        }
        store_le(d, b, isz);
    }
    *out = img;
    *outlen = total;
    return VF_OK;
}

/* Creates a fresh temporary file next to path (same directory, so rename is atomic); open
 * with mode 0666 lets the umask decide permissions as for any new file. */
static int open_temp(const char *path, char *tmp, size_t len)
{
    static unsigned counter;
    for (int tries = 0; tries < 100; tries++) {
        snprintf(tmp, len, "%s.tmp.%ld.%u", path, (long)getpid(), counter++);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

int vf_npy_write(const vf_tensor *t, const char *path, vf_err *e)
{
    unsigned char *img;
    size_t len;
    int rc = build_image(t, &img, &len, path, e);
    if (rc)
        return rc;
    size_t tlen = strlen(path) + 48;
    char *tmp = malloc(tlen);
    if (!tmp) {
        free(img);
        return vf_fail(e, VF_E_NOMEM, "%s: out of memory", path);
    }
    int fd = open_temp(path, tmp, tlen);
    if (fd < 0) {
        rc = vf_fail(e, VF_E_IO, "%s: cannot create a temporary file next to it: %s", path,
                     strerror(errno));
        goto done;
    }
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, img + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = vf_fail(e, VF_E_IO, "%s: write failed: %s", path,
                         w < 0 ? strerror(errno) : "no progress");
            break;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0 && rc == VF_OK)
        rc = vf_fail(e, VF_E_IO, "%s: write failed on close: %s", path, strerror(errno));
    if (rc == VF_OK && rename(tmp, path) != 0)
        rc = vf_fail(e, VF_E_IO, "%s: cannot rename the temporary file into place: %s", path,
                     strerror(errno));
    if (rc != VF_OK)
        unlink(tmp); /* never leave a partial file behind */
done:
    free(tmp);
    free(img);
    return rc;
}
