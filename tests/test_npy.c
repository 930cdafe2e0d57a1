/* .npy reader/writer and half-precision conversions.
 *
 * Exactness everywhere: every value that crosses the file boundary is compared bit for bit
 * (NaN only as "is NaN" when it crossed numpy, which does not promise payloads).  numpy is
 * the independent oracle for the format (tests/data/npy/crosscheck.py); the committed golden
 * files in tests/data/npy (written by that script with --golden) keep the format checks
 * alive when numpy is absent.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "harness.h"
#include "vf_npy.h"
#include "vf_rng.h"

#define NPY_DATA VF_TEST_DATA "/npy"

static uint64_t dbits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static double from_dbits(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

static double f32_from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return (double)f;
}

/* Reads a whole file into a malloc'd buffer of exactly its length (so ASan sees overreads). */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
    cr_assert_not_null(b);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* An image: magic, version major.0, raw header text (no padding added), then data. */
static unsigned char *image(int major, const char *header, const void *data, size_t dlen,
                            size_t *len)
{
    size_t hl = strlen(header), pre = major == 1 ? 10 : 12;
    unsigned char *b = malloc(pre + hl + dlen + 1);
    cr_assert_not_null(b);
    memcpy(b, "\x93NUMPY", 6);
    b[6] = (unsigned char)major;
    b[7] = 0;
    for (size_t i = 0; i < pre - 8; i++)
        b[8 + i] = (unsigned char)(hl >> (8 * i));
    memcpy(b + pre, header, hl);
    if (dlen)
        memcpy(b + pre + hl, data, dlen);
    *len = pre + hl + dlen;
    return b;
}

static const float f4_six[6] = {1.0f, -2.5f, 0.375f, 1e-3f, -0.0f, 3.0e38f};

/* ---- half precision ---------------------------------------------------------------- */

Test(half, every_half_round_trips_bit_for_bit)
{
    for (unsigned h = 0; h < 65536; h++) {
        double d = vf_half_to_double((unsigned short)h);
        unsigned short back = vf_double_to_half(d);
        cr_assert_eq(back, h, "half 0x%04x -> %a -> 0x%04x", h, d, back);
        cr_assert_eq(isnan(d) != 0, (h & 0x7c00) == 0x7c00 && (h & 0x3ff),
                     "NaN class of half 0x%04x", h);
    }
}

Test(half, widening_matches_the_definition)
{
    /* Independent of the implementation's branches: value = (-1)^s 2^(e-15) (1 + m/1024) for
     * normals, 2^-14 (m/1024) for subnormals, computed with pow and division. */
    for (unsigned h = 0; h < 0x7c00; h++) {
        unsigned e = h >> 10, m = h & 1023;
        double want = e ? pow(2.0, (double)e - 15.0) * (1.0 + m / 1024.0)
                        : pow(2.0, -14.0) * (m / 1024.0);
        cr_assert_eq(vf_half_to_double((unsigned short)h), want, "half 0x%04x", h);
        cr_assert_eq(vf_half_to_double((unsigned short)(h | 0x8000)), -want);
    }
    cr_assert_eq(vf_half_to_double(0x7c00), INFINITY);
    cr_assert_eq(vf_half_to_double(0xfc00), -INFINITY);
    cr_assert(signbit(vf_half_to_double(0x8000)) && vf_half_to_double(0x8000) == 0.0);
}

Test(half, narrowing_rounds_to_nearest_even_between_every_pair)
{
    /* For each pair of adjacent non-negative finite halfs a < b (and b = inf above 65504, with
     * 65536 as its rounding boundary): the exact midpoint goes to the even one, anything
     * strictly inside goes to the nearer one.  Mirrored for negative values. */
    for (unsigned h = 0; h < 0x7c00; h++) {
        double a = vf_half_to_double((unsigned short)h);
        double b = h + 1 < 0x7c00 ? vf_half_to_double((unsigned short)(h + 1)) : 65536.0;
        double mid = (a + b) / 2; /* exact: a, b have few bits */
        unsigned even = (h & 1) ? h + 1 : h;
        cr_assert_eq(vf_double_to_half(mid), even, "midpoint %a after 0x%04x", mid, h);
        cr_assert_eq(vf_double_to_half(nextafter(mid, 0.0)), h);
        cr_assert_eq(vf_double_to_half(nextafter(mid, INFINITY)), h + 1);
        cr_assert_eq(vf_double_to_half(-nextafter(mid, 0.0)), h | 0x8000);
        cr_assert_eq(vf_double_to_half(-mid), even | 0x8000);
    }
}

Test(half, special_values)
{
    cr_assert_eq(vf_double_to_half(0.0), 0x0000);
    cr_assert_eq(vf_double_to_half(-0.0), 0x8000);
    cr_assert_eq(vf_double_to_half(INFINITY), 0x7c00);
    cr_assert_eq(vf_double_to_half(-INFINITY), 0xfc00);
    cr_assert_eq(vf_double_to_half(1e300), 0x7c00);
    cr_assert_eq(vf_double_to_half(65519.999), 0x7bff);
    cr_assert_eq(vf_double_to_half(65520.0), 0x7c00); /* tie between 65504 and 2^16: even */
    cr_assert_eq(vf_double_to_half(0x1p-25), 0x0000);  /* tie between 0 and 2^-24: even */
    cr_assert_eq(vf_double_to_half(-0x1p-25), 0x8000);
    cr_assert_eq(vf_double_to_half(0x1.8p-24), 0x0002); /* 1.5 quanta: tie to even 2 */
    cr_assert_eq(vf_double_to_half(5e-324), 0x0000);
    cr_assert_eq(vf_double_to_half(0x1.ff8p-15), 0x03ff); /* largest subnormal */
    cr_assert_eq(vf_double_to_half(0x1.ffcp-15), 0x0400); /* tie: even is 2^-14 */
    cr_assert_eq(vf_double_to_half(0x1.ffbp-15), 0x03ff);
    unsigned short n = vf_double_to_half(NAN);
    cr_assert((n & 0x7c00) == 0x7c00 && (n & 0x3ff), "NaN -> 0x%04x", n);
}

#ifdef __FLT16_MAX__
Test(half, narrowing_agrees_with_the_compiler_float16)
{
    /* GCC's _Float16 conversion (libgcc __truncdfhf2) is an independent RNE implementation. */
    for (uint64_t i = 0; i < 2000000; i++) {
        uint64_t u = vf_rng_u64(VF_SEED_DEFAULT, 1, i);
        /* Exponents around the half range, random 52-bit mantissa and sign. */
        uint64_t ex = 1023 - 30 + (u >> 58) % 50;
        double x = from_dbits((u & 0x800fffffffffffffULL) | (ex << 52));
        _Float16 g = (_Float16)x;
        unsigned short gb;
        memcpy(&gb, &g, sizeof gb);
        cr_assert_eq(vf_double_to_half(x), gb, "x = %a", x);
    }
}
#endif

/* ---- tensors ------------------------------------------------------------------------ */

Test(tensor, init_counts_and_zero_fills)
{
    vf_err e;
    vf_tensor t;
    size_t sh[3] = {2, 3, 4};
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F32, 3, sh, &e), VF_OK);
    cr_assert_eq(t.count, 24);
    for (size_t i = 0; i < 24; i++)
        cr_assert_eq(dbits(t.v[i]), 0);
    vf_tensor_clear(&t);
    cr_assert_null(t.v);
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F64, 0, NULL, &e), VF_OK);
    cr_assert_eq(t.count, 1);
    vf_tensor_clear(&t);
    size_t huge[2] = {SIZE_MAX / 4, 8};
    cr_assert_neq(vf_tensor_init(&t, VF_DT_F64, 2, huge, &e), VF_OK);
    cr_assert_null(t.v);
    size_t nine[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F64, 9, nine, &e), VF_E_USAGE);
}

/* ---- writer/reader round trips ------------------------------------------------------- */

/* A value exactly representable in dt, from random bits of that format (NaNs made quiet so
 * that narrowing keeps their bits). */
static double random_value(vf_dtype dt, uint64_t i)
{
    uint64_t u = vf_rng_u64(VF_SEED_DEFAULT, 100 + (uint64_t)dt, i);
    if (dt == VF_DT_F16) {
        unsigned short h = (unsigned short)u;
        if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff))
            h |= 0x200;
        return vf_half_to_double(h);
    }
    if (dt == VF_DT_F32) {
        uint32_t b = (uint32_t)u;
        if ((b & 0x7f800000u) == 0x7f800000u && (b & 0x7fffffu))
            b |= 0x400000u;
        return f32_from_bits(b);
    }
    if ((u & 0x7ff0000000000000ULL) == 0x7ff0000000000000ULL && (u & 0xfffffffffffffULL))
        u |= 0x8000000000000ULL;
    return from_dbits(u);
}

static const struct {
    int ndim;
    size_t shape[3];
} shapes[] = {{0, {0}}, {1, {0}}, {1, {5}}, {2, {2, 3}}, {3, {2, 3, 4}}, {3, {2, 0, 3}},
              {1, {1000}}};

Test(npy, write_read_round_trip_every_dtype_and_shape)
{
    char path[256];
    for (int dt = VF_DT_F16; dt <= VF_DT_F64; dt++)
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
            vf_err e;
            vf_tensor t, r;
            cr_assert_eq(vf_tensor_init(&t, (vf_dtype)dt, shapes[s].ndim, shapes[s].shape, &e),
                         VF_OK, "%s", e.msg);
            for (size_t i = 0; i < t.count; i++)
                t.v[i] = random_value((vf_dtype)dt, i);
            if (t.count >= 5) { /* specials always present */
                t.v[0] = -0.0;
                t.v[1] = INFINITY;
                t.v[2] = -INFINITY;
                t.v[3] = dt == VF_DT_F16 ? 0x1p-24 : dt == VF_DT_F32 ? 0x1p-149 : 0x1p-1074;
            }
            snprintf(path, sizeof path, "%s/rt_%d_%zu.npy", test_tmpdir(), dt, s);
            cr_assert_eq(vf_npy_write(&t, path, &e), VF_OK, "%s", e.msg);
            cr_assert_eq(vf_npy_read(&r, path, &e), VF_OK, "%s", e.msg);
            cr_assert_eq(r.dtype, t.dtype);
            cr_assert_eq(r.ndim, t.ndim);
            cr_assert_eq(r.count, t.count);
            for (int k = 0; k < t.ndim; k++)
                cr_assert_eq(r.shape[k], t.shape[k]);
            for (size_t i = 0; i < t.count; i++)
                cr_assert_eq(dbits(r.v[i]), dbits(t.v[i]), "dtype %d shape #%zu [%zu]: %a vs %a",
                             dt, s, i, r.v[i], t.v[i]);
            vf_tensor_clear(&t);
            vf_tensor_clear(&r);
        }
}

Test(npy, header_is_numpy_style_and_64_byte_aligned)
{
    char path[256];
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        vf_err e;
        vf_tensor t;
        cr_assert_eq(vf_tensor_init(&t, VF_DT_F32, shapes[s].ndim, shapes[s].shape, &e), VF_OK);
        snprintf(path, sizeof path, "%s/hdr_%zu.npy", test_tmpdir(), s);
        cr_assert_eq(vf_npy_write(&t, path, &e), VF_OK, "%s", e.msg);
        size_t len;
        unsigned char *b = slurp(path, &len);
        cr_assert_eq(memcmp(b, "\x93NUMPY\x01\x00", 8), 0);
        size_t hl = b[8] | (size_t)b[9] << 8;
        cr_assert_eq((10 + hl) % 64, 0, "data offset %zu", 10 + hl);
        cr_assert_eq(b[10 + hl - 1], '\n');
        cr_assert_eq(len, 10 + hl + 4 * t.count);
        vf_tensor_clear(&t);
        free(b);
    }
    /* numpy's exact dict text for the common shapes. */
    size_t sh[2] = {2, 3}, len;
    vf_err e;
    vf_tensor t;
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F16, 2, sh, &e), VF_OK);
    snprintf(path, sizeof path, "%s/hdr_text.npy", test_tmpdir());
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_OK);
    unsigned char *b = slurp(path, &len);
    const char *want = "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }";
    cr_assert_eq(memcmp(b + 10, want, strlen(want)), 0);
    free(b);
    vf_tensor_clear(&t);
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F64, 1, sh, &e), VF_OK);
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_OK);
    b = slurp(path, &len);
    want = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
    cr_assert_eq(memcmp(b + 10, want, strlen(want)), 0);
    free(b);
    vf_tensor_clear(&t);
}

Test(npy, writer_rounds_to_nearest_even)
{
    static const struct {
        vf_dtype dt;
        double in, out;
    } cases[] = {
        {VF_DT_F32, 1.0 + 0x1p-24, 1.0},                 /* tie: even */
        {VF_DT_F32, 1.0 + 0x1.8p-23, 1.0 + 0x1p-22},     /* tie: even (up) */
        {VF_DT_F32, 1.0 + 0x1.00001p-24, 1.0 + 0x1p-23},      /* just above the tie */
        {VF_DT_F32, 1e300, INFINITY},
        {VF_DT_F32, 0x1p-151, 0.0},
        {VF_DT_F16, 1.0 + 0x1p-11, 1.0},
        {VF_DT_F16, 0.1, 0x1.998p-4},
        {VF_DT_F16, 70000.0, INFINITY},
        {VF_DT_F16, -0x1.8p-25, -0x1p-24},
    };
    char path[256];
    snprintf(path, sizeof path, "%s/round.npy", test_tmpdir());
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vf_err e;
        vf_tensor t, r;
        size_t one = 1;
        cr_assert_eq(vf_tensor_init(&t, cases[i].dt, 1, &one, &e), VF_OK);
        t.v[0] = cases[i].in;
        cr_assert_eq(vf_npy_write(&t, path, &e), VF_OK, "%s", e.msg);
        cr_assert_eq(vf_npy_read(&r, path, &e), VF_OK, "%s", e.msg);
        cr_assert_eq(dbits(r.v[0]), dbits(cases[i].out), "case %zu: %a -> %a, want %a", i,
                     cases[i].in, r.v[0], cases[i].out);
        vf_tensor_clear(&t);
        vf_tensor_clear(&r);
    }
}

Test(npy, overwrite_replaces_the_file)
{
    char path[256];
    snprintf(path, sizeof path, "%s/over.npy", test_tmpdir());
    size_t sh5 = 5, sh2[2] = {2, 2};
    vf_err e;
    vf_tensor a, b, r;
    cr_assert_eq(vf_tensor_init(&a, VF_DT_F64, 1, &sh5, &e), VF_OK);
    cr_assert_eq(vf_tensor_init(&b, VF_DT_F32, 2, sh2, &e), VF_OK);
    b.v[3] = 7.0;
    cr_assert_eq(vf_npy_write(&a, path, &e), VF_OK);
    cr_assert_eq(vf_npy_write(&b, path, &e), VF_OK);
    cr_assert_eq(vf_npy_read(&r, path, &e), VF_OK);
    cr_assert_eq(r.dtype, VF_DT_F32);
    cr_assert_eq(r.count, 4);
    cr_assert_eq(r.v[3], 7.0);
    vf_tensor_clear(&a);
    vf_tensor_clear(&b);
    vf_tensor_clear(&r);
}

/* ---- header parsing ----------------------------------------------------------------- */

Test(npy, header_variants_are_accepted)
{
    static const char *const headers[] = {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",
        "{'fortran_order': False, 'shape': (2,3), 'descr': '<f4', }          \n",
        "  {  'descr'  :  '<f4'  ,  'fortran_order'  :  False  ,  'shape'  :  ( 2 , 3 , )  }\n",
        "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}",
        "{'descr': '=f4', 'fortran_order': False, 'shape': (2, 3), }",
        "{'descr': '|f4', 'fortran_order': False, 'shape': (2, 3), }",
        "{'descr': 'f4', 'fortran_order': False, 'shape': (2, 3), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",
        "{'descr':'<f4','fortran_order':False,'shape':(2,3)}",
        "{'descr': '<f4',\n 'fortran_order': False,\n 'shape': (2, 3)}\n",
    };
    for (size_t k = 0; k < sizeof headers / sizeof headers[0]; k++)
        for (int major = 1; major <= 3; major++) {
            size_t len;
            unsigned char *b = image(major, headers[k], f4_six, sizeof f4_six, &len);
            vf_err e;
            vf_tensor t;
            cr_assert_eq(vf_npy_parse(&t, b, len, "v.npy", &e), VF_OK, "header %zu v%d: %s", k,
                         major, e.msg);
            cr_assert_eq(t.dtype, VF_DT_F32);
            cr_assert_eq(t.ndim, 2);
            cr_assert_eq(t.shape[0], 2);
            cr_assert_eq(t.shape[1], 3);
            for (size_t i = 0; i < 6; i++)
                cr_assert_eq(dbits(t.v[i]), dbits((double)f4_six[i]));
            vf_tensor_clear(&t);
            free(b);
        }
}

Test(npy, shape_forms)
{
    static const struct {
        const char *shape;
        int ndim;
        size_t count;
    } cases[] = {{"()", 0, 1}, {"(6,)", 1, 6}, {"(6)", 1, 6}, {"(0,)", 1, 0},
                 {"(2, 0, 3)", 3, 0}, {"(1, 1, 2, 1, 1, 3, 1, 1)", 8, 6}, {"( )", 0, 1}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char h[128];
        snprintf(h, sizeof h, "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }",
                 cases[k].shape);
        size_t len;
        unsigned char *b = image(1, h, f4_six, cases[k].count * 4, &len);
        vf_err e;
        vf_tensor t;
        cr_assert_eq(vf_npy_parse(&t, b, len, "s.npy", &e), VF_OK, "%s: %s", cases[k].shape,
                     e.msg);
        cr_assert_eq(t.ndim, cases[k].ndim, "%s", cases[k].shape);
        cr_assert_eq(t.count, cases[k].count, "%s", cases[k].shape);
        for (size_t i = 0; i < t.count; i++)
            cr_assert_eq(t.v[i], (double)f4_six[i]);
        vf_tensor_clear(&t);
        free(b);
    }
}

Test(npy, version_2_and_3_headers_including_one_past_65535_bytes)
{
    /* The writer never needs a 2.0 header with at most 8 dimensions, so the 4-byte length is
     * exercised on hand-built images, one of them with a 70000-byte padded header. */
    size_t pad = 70000;
    char *h = malloc(pad + 1);
    cr_assert_not_null(h);
    const char *dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }";
    memset(h, ' ', pad);
    memcpy(h, dict, strlen(dict));
    h[pad - 1] = '\n';
    h[pad] = '\0';
    const double d3[3] = {0.1, -0x1p-1074, 1e308};
    for (int major = 2; major <= 3; major++) {
        size_t len;
        unsigned char *b = image(major, h, d3, sizeof d3, &len);
        cr_assert_eq(b[8] | b[9] << 8 | b[10] << 16 | b[11] << 24, (int)pad);
        vf_err e;
        vf_tensor t;
        cr_assert_eq(vf_npy_parse(&t, b, len, "big.npy", &e), VF_OK, "%s", e.msg);
        cr_assert_eq(t.count, 3);
        for (size_t i = 0; i < 3; i++)
            cr_assert_eq(dbits(t.v[i]), dbits(d3[i]));
        vf_tensor_clear(&t);
        free(b);
    }
    free(h);
}

/* A rejection: the image, the expected code, and a phrase the message must contain. */
static void expect_reject(const unsigned char *b, size_t len, const char *key, const char *what)
{
    vf_err e;
    vf_tensor t;
    unsigned char *copy = malloc(len ? len : 1); /* exact size: ASan catches overreads */
    cr_assert_not_null(copy);
    memcpy(copy, b, len);
    int rc = vf_npy_parse(&t, copy, len, "case.npy", &e);
    free(copy);
    cr_assert_eq(rc, VF_E_FORMAT, "%s: rc %d (%s)", what, rc, rc ? e.msg : "accepted");
    cr_assert_eq(e.code, VF_E_FORMAT);
    cr_assert_null(t.v, "%s: tensor left allocated", what);
    cr_assert(strstr(e.msg, key), "%s: message '%s' lacks '%s'", what, e.msg, key);
    cr_assert(strstr(e.msg, "case.npy"), "%s: message '%s' does not name the file", what,
              e.msg);
}

static void reject_header(int major, const char *header, size_t dlen, const char *key)
{
    unsigned char data[64] = {0};
    size_t len;
    unsigned char *b = image(major, header, data, dlen, &len);
    expect_reject(b, len, key, header);
    free(b);
}

#define HDR(descr, fo, shape) \
    "{'descr': '" descr "', 'fortran_order': " fo ", 'shape': " shape ", }"

Test(npy, rejections_name_the_problem)
{
    reject_header(1, HDR(">f4", "False", "(2,)"), 8, "big-endian data is not supported");
    reject_header(1, HDR(">f4", "False", "(2,)"), 8, "astype('<f4')");
    reject_header(1, HDR(">f8", "False", "(2,)"), 16, "big-endian");
    reject_header(1, HDR("<f4", "True", "(2, 2)"), 16, "Fortran-order arrays are not supported");
    reject_header(1, HDR("<f4", "True", "(2, 2)"), 16, "np.ascontiguousarray");
    reject_header(1, HDR("<i4", "False", "(2,)"), 8, "'<i4'");
    reject_header(1, HDR("|u1", "False", "(2,)"), 2, "'|u1'");
    reject_header(1, HDR("<c8", "False", "(2,)"), 16, "'<c8'");
    reject_header(1, HDR("|O", "False", "(2,)"), 16, "'|O'");
    reject_header(1, HDR("<f16", "False", "(2,)"), 32, "'<f16'");
    reject_header(1, HDR(">i4", "False", "(2,)"), 8, "'>i4'");
    reject_header(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8,
                  "structured");
    reject_header(1, HDR("<f4", "False", "(1, 1, 1, 1, 1, 1, 1, 1, 1)"), 4, "9 dimensions");
    reject_header(1, HDR("<f4", "False", "(4294967296, 4294967296)"), 0, "overflows size_t");
    reject_header(1, HDR("<f4", "False", "(2305843009213693952,)"), 0, "overflows size_t");
    reject_header(1, HDR("<f4", "False", "(99999999999999999999999,)"), 0, "overflows size_t");
    reject_header(1, HDR("<f4", "False", "(2, 3)"), 20,
                  "truncated: expected 24 bytes of data, found 20");
    reject_header(1, HDR("<f4", "False", "(2, 3)"), 28, "trailing garbage");
    reject_header(1, HDR("<f4", "False", "(-2, 3)"), 24, "malformed");
    reject_header(1, HDR("<f4", "Maybe", "(2,)"), 8, "True or False");
    reject_header(1, HDR("<f4", "False", "[2, 3]"), 24, "malformed");
    reject_header(1, "{'descr': '<f4', 'fortran_order': False}", 4, "missing key 'shape'");
    reject_header(1, "{'fortran_order': False, 'shape': ()}", 4, "missing key 'descr'");
    reject_header(1, "{'descr': '<f4', 'shape': ()}", 4, "missing key 'fortran_order'");
    reject_header(1, HDR("<f4", "False", "()") "x", 4, "after the dict");
    reject_header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}", 4,
                  "unexpected key 'x'");
    reject_header(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}", 4,
                  "duplicate key 'descr'");
    reject_header(1, "{'descr' '<f4', 'fortran_order': False, 'shape': ()}", 4, "malformed");
    reject_header(1, "{'descr': '<f4' 'fortran_order': False, 'shape': ()}", 4, "malformed");
    reject_header(1, "{'descr': '<f4, 'fortran_order': False, 'shape': ()}", 4, "malformed");
    reject_header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': ()", 4, "malformed");
    reject_header(1, "", 4, "malformed");
    reject_header(3, HDR(">f2", "False", "(2,)"), 4, "big-endian");

    /* Framing errors. */
    size_t len;
    unsigned char *b = image(1, HDR("<f4", "False", "(2,)"), f4_six, 8, &len);
    b[5] = 'Z';
    expect_reject(b, len, "not a .npy file", "bad magic");
    expect_reject((const unsigned char *)"PK\x03\x04", 4, "not a .npy file", "zip file");
    expect_reject(b, 0, "not a .npy file", "empty file");
    b[5] = 'Y';
    b[6] = 4;
    expect_reject(b, len, "unsupported .npy version 4.0", "version 4.0");
    b[6] = 1;
    b[7] = 1;
    expect_reject(b, len, "unsupported .npy version 1.1", "version 1.1");
    b[7] = 0;
    b[8] = 0xff;
    b[9] = 0xff;
    expect_reject(b, len, "header length 65535 runs past the end", "header length");
    free(b);
}

Test(npy, truncation_at_every_byte_offset_is_an_error)
{
    for (int major = 1; major <= 2; major++) {
        size_t len;
        unsigned char *b = image(major, HDR("<f4", "False", "(2, 3)") "   \n", f4_six,
                                 sizeof f4_six, &len);
        for (size_t cut = 0; cut < len; cut++) {
            vf_err e;
            vf_tensor t;
            unsigned char *copy = malloc(cut ? cut : 1);
            cr_assert_not_null(copy);
            memcpy(copy, b, cut);
            int rc = vf_npy_parse(&t, copy, cut, "cut.npy", &e);
            free(copy);
            cr_assert_eq(rc, VF_E_FORMAT, "v%d cut at %zu of %zu accepted", major, cut, len);
            cr_assert_null(t.v);
            cr_assert(e.msg[0] != '\0');
        }
        vf_err e;
        vf_tensor t;
        cr_assert_eq(vf_npy_parse(&t, b, len, "full.npy", &e), VF_OK, "%s", e.msg);
        vf_tensor_clear(&t);
        free(b);
    }
    /* And a file numpy wrote (golden, version 2.0 header). */
    size_t len;
    unsigned char *b = slurp(NPY_DATA "/f4_v2_3x2.npy", &len);
    for (size_t cut = 0; cut < len; cut++) {
        vf_err e;
        vf_tensor t;
        unsigned char *copy = malloc(cut ? cut : 1);
        cr_assert_not_null(copy);
        memcpy(copy, b, cut);
        cr_assert_eq(vf_npy_parse(&t, copy, cut, "cut.npy", &e), VF_E_FORMAT, "cut at %zu", cut);
        free(copy);
        cr_assert_null(t.v);
    }
    free(b);
}

Test(npy, corrupted_bytes_never_crash)
{
    /* Every byte of a valid image replaced by a few values: either a valid parse or
     * VF_E_FORMAT with a message; ASan/UBSan builds check memory safety on every case. */
    static const unsigned char repl[] = {0, ' ', '\'', ',', ':', '(', ')', '{', '}', '9', 0x80,
                                         0xff, 'L', '>'};
    size_t len;
    unsigned char *b = image(1, HDR("<f4", "False", "(2, 3)"), f4_six, sizeof f4_six, &len);
    for (size_t i = 0; i < len; i++)
        for (size_t k = 0; k < sizeof repl; k++) {
            unsigned char *copy = malloc(len);
            cr_assert_not_null(copy);
            memcpy(copy, b, len);
            copy[i] = repl[k];
            vf_err e;
            vf_tensor t;
            int rc = vf_npy_parse(&t, copy, len, "bad.npy", &e);
            free(copy);
            cr_assert(rc == VF_OK || rc == VF_E_FORMAT, "byte %zu = 0x%02x: rc %d", i, repl[k],
                      rc);
            if (rc == VF_OK)
                vf_tensor_clear(&t);
            else
                cr_assert(e.msg[0] && !t.v);
        }
    free(b);
}

/* ---- I/O errors ---------------------------------------------------------------------- */

Test(npy, unreadable_and_unwritable_paths_are_io_errors)
{
    vf_err e;
    vf_tensor t;
    char path[512];
    snprintf(path, sizeof path, "%s/does-not-exist.npy", test_tmpdir());
    cr_assert_eq(vf_npy_read(&t, path, &e), VF_E_IO);
    cr_assert(strstr(e.msg, path) && strstr(e.msg, strerror(ENOENT)), "%s", e.msg);
    cr_assert_null(t.v);

    size_t one = 1;
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F32, 1, &one, &e), VF_OK);
    snprintf(path, sizeof path, "%s/no-such-dir/x.npy", test_tmpdir());
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_E_IO);
    cr_assert(strstr(e.msg, path) && strstr(e.msg, strerror(ENOENT)), "%s", e.msg);

    /* A directory in the way: the temporary file is written, the rename fails, and the
     * temporary file must be gone afterwards. */
    char dir[256];
    snprintf(dir, sizeof dir, "%s/atomic", test_tmpdir());
    cr_assert_eq(mkdir(dir, 0700), 0);
    snprintf(path, sizeof path, "%s/x.npy", dir);
    cr_assert_eq(mkdir(path, 0700), 0);
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_E_IO);
    cr_assert(strstr(e.msg, path), "%s", e.msg);
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int entries = 0;
    for (struct dirent *de; (de = readdir(d));)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            entries++;
            cr_assert_str_eq(de->d_name, "x.npy", "left behind: %s", de->d_name);
        }
    closedir(d);
    cr_assert_eq(entries, 1);

    /* Reading a directory is an I/O error, not a crash or a format error. */
    vf_tensor r;
    cr_assert_eq(vf_npy_read(&r, dir, &e), VF_E_IO, "%s", e.msg);
    cr_assert_null(r.v);
    vf_tensor_clear(&t);
}

Test(npy, invalid_tensor_is_refused_without_creating_a_file)
{
    vf_err e;
    vf_tensor t;
    size_t sh = 3;
    char path[256];
    snprintf(path, sizeof path, "%s/invalid.npy", test_tmpdir());
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F32, 1, &sh, &e), VF_OK);
    t.count = 4; /* inconsistent with the shape */
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_E_SHAPE);
    t.count = 3;
    t.dtype = (vf_dtype)7;
    cr_assert_eq(vf_npy_write(&t, path, &e), VF_E_USAGE);
    struct stat st;
    cr_assert_neq(stat(path, &st), 0, "a file was created");
    t.dtype = VF_DT_F32;
    vf_tensor_clear(&t);
}

/* ---- files written by numpy ------------------------------------------------------------ */

/* Reads NAME.npy and compares it with its text twin NAME.hex (see crosscheck.py). */
static void check_against_twin(const char *dir, const char *name)
{
    char path[512];
    vf_err e;
    vf_tensor t;
    snprintf(path, sizeof path, "%s/%s.npy", dir, name);
    cr_assert_eq(vf_npy_read(&t, path, &e), VF_OK, "%s", e.msg);
    snprintf(path, sizeof path, "%s/%s.hex", dir, name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    char dt[8];
    int ndim;
    cr_assert_eq(fscanf(f, "%7s %d", dt, &ndim), 2);
    vf_dtype want = strcmp(dt, "f2") == 0 ? VF_DT_F16 : strcmp(dt, "f4") == 0 ? VF_DT_F32
                                                                               : VF_DT_F64;
    cr_assert_eq(t.dtype, want, "%s: dtype", name);
    cr_assert_eq(t.ndim, ndim, "%s: ndim", name);
    for (int k = 0; k < ndim; k++) {
        size_t d;
        cr_assert_eq(fscanf(f, "%zu", &d), 1);
        cr_assert_eq(t.shape[k], d, "%s: shape[%d]", name, k);
    }
    char tok[64];
    size_t i = 0;
    for (; fscanf(f, "%63s", tok) == 1; i++) {
        cr_assert_lt(i, t.count, "%s: twin has more values", name);
        double w = strtod(tok, NULL);
        if (isnan(w))
            cr_assert(isnan(t.v[i]), "%s[%zu]: %a, want NaN", name, i, t.v[i]);
        else
            cr_assert_eq(dbits(t.v[i]), dbits(w), "%s[%zu]: %a, want %s", name, i, t.v[i], tok);
    }
    cr_assert_eq(i, t.count, "%s: twin has %zu values, file %zu", name, i, t.count);
    fclose(f);
    vf_tensor_clear(&t);
}

static const char *const twins[] = {"f2_v1_2x3", "f4_v1_2x2x4", "f8_v1_9",  "f4_v1_0d",
                                    "f8_v1_empty", "f4_v2_3x2", "f2_v3_12"};
static const struct {
    const char *name, *key;
} rejects[] = {{"rej_be", "big-endian"},   {"rej_fortran", "Fortran-order"},
               {"rej_i4", "'<i4'"},        {"rej_u1", "'|u1'"},
               {"rej_c8", "'<c8'"},        {"rej_obj", "'|O'"}};

static void check_rejects(const char *dir)
{
    for (size_t k = 0; k < sizeof rejects / sizeof rejects[0]; k++) {
        char path[512];
        vf_err e;
        vf_tensor t;
        snprintf(path, sizeof path, "%s/%s.npy", dir, rejects[k].name);
        cr_assert_eq(vf_npy_read(&t, path, &e), VF_E_FORMAT, "%s accepted", path);
        cr_assert(strstr(e.msg, rejects[k].key) && strstr(e.msg, path), "%s: '%s'", path, e.msg);
        cr_assert_null(t.v);
    }
}

Test(golden, committed_numpy_files_read_exactly)
{
    for (size_t k = 0; k < sizeof twins / sizeof twins[0]; k++)
        check_against_twin(NPY_DATA, twins[k]);
}

Test(golden, committed_unsupported_files_are_rejected)
{
    check_rejects(NPY_DATA);
}

static int have_numpy(void)
{
    return system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") == 0;
}

/* Runs crosscheck.py MODE DIR (quiet: stderr discarded); returns its exit status. */
static int crosscheck(const char *mode, const char *dir, int quiet)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/crosscheck.py' %s '%s'%s", NPY_DATA, mode,
             dir, quiet ? " 2>/dev/null" : "");
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *fresh_dir(const char *name)
{
    static char dir[256];
    snprintf(dir, sizeof dir, "%s/%s", test_tmpdir(), name);
    cr_assert_eq(mkdir(dir, 0700), 0, "%s: %s", dir, strerror(errno));
    return dir;
}

Test(numpy, numpy_written_files_read_exactly)
{
    if (!have_numpy())
        cr_skip_test("/usr/bin/python3 cannot import numpy: cross-check skipped");
    const char *dir = fresh_dir("np_written");
    cr_assert_eq(crosscheck("write", dir, 0), 0);
    for (size_t k = 0; k < sizeof twins / sizeof twins[0]; k++)
        check_against_twin(dir, twins[k]);
    check_against_twin(dir, "f8_rand_7x11");
    check_against_twin(dir, "f4_rand_v2");
    /* All 65536 halfs: numpy's float(h) against vf_half_to_double, and back to the same bits. */
    check_against_twin(dir, "f2_all");
    char path[512];
    vf_err e;
    vf_tensor t;
    snprintf(path, sizeof path, "%s/f2_all.npy", dir);
    cr_assert_eq(vf_npy_read(&t, path, &e), VF_OK);
    cr_assert_eq(t.count, 65536);
    for (size_t i = 0; i < 65536; i++)
        cr_assert_eq(vf_double_to_half(t.v[i]), i, "half 0x%04zx", i);
    vf_tensor_clear(&t);
    check_rejects(dir);
}

/* Writes NAME.npy with the C writer and its twin NAME.hex from the values actually stored. */
static void write_with_twin(const char *dir, const char *name, const vf_tensor *t,
                            int corrupt_twin)
{
    char path[512];
    vf_err e;
    snprintf(path, sizeof path, "%s/%s.npy", dir, name);
    cr_assert_eq(vf_npy_write(t, path, &e), VF_OK, "%s", e.msg);
    snprintf(path, sizeof path, "%s/%s.hex", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    static const char *const dts[] = {"f2", "f4", "f8"};
    fprintf(f, "%s %d", dts[t->dtype], t->ndim);
    for (int k = 0; k < t->ndim; k++)
        fprintf(f, " %zu", t->shape[k]);
    fprintf(f, "\n");
    for (size_t i = 0; i < t->count; i++) {
        double v = corrupt_twin && i == t->count - 1 ? t->v[i] * 2 + 1 : t->v[i];
        if (isnan(v))
            fprintf(f, "nan\n");
        else if (isinf(v))
            fprintf(f, "%s\n", v > 0 ? "inf" : "-inf");
        else
            fprintf(f, "%a\n", v);
    }
    fclose(f);
}

Test(numpy, c_written_files_load_in_numpy)
{
    if (!have_numpy())
        cr_skip_test("/usr/bin/python3 cannot import numpy: cross-check skipped");
    const char *dir = fresh_dir("c_written");
    for (int dt = VF_DT_F16; dt <= VF_DT_F64; dt++)
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
            vf_err e;
            vf_tensor t;
            cr_assert_eq(vf_tensor_init(&t, (vf_dtype)dt, shapes[s].ndim, shapes[s].shape, &e),
                         VF_OK);
            for (size_t i = 0; i < t.count; i++)
                t.v[i] = random_value((vf_dtype)dt, i + 7 * s);
            char name[32];
            snprintf(name, sizeof name, "c_%d_%zu", dt, s);
            write_with_twin(dir, name, &t, 0);
            vf_tensor_clear(&t);
        }
    cr_assert_eq(crosscheck("verify", dir, 0), 0, "numpy disagrees with the C writer");
}

Test(numpy, verifier_detects_a_wrong_value)
{
    /* Control for the test above: the numpy side does fail when a value differs. */
    if (!have_numpy())
        cr_skip_test("/usr/bin/python3 cannot import numpy: cross-check skipped");
    const char *dir = fresh_dir("c_wrong");
    size_t sh[2] = {2, 3};
    vf_err e;
    vf_tensor t;
    cr_assert_eq(vf_tensor_init(&t, VF_DT_F32, 2, sh, &e), VF_OK);
    for (size_t i = 0; i < 6; i++)
        t.v[i] = f4_six[i];
    write_with_twin(dir, "wrong", &t, 1);
    vf_tensor_clear(&t);
    cr_assert_eq(crosscheck("verify", dir, 1), 1);
}
