#!/usr/bin/python3
"""numpy side of the .npy cross-checks in tests/test_npy.c.

  crosscheck.py write DIR [--golden]  numpy writes .npy files, each with a text twin X.hex
                                      (--golden: only the small files committed in this dir)
  crosscheck.py verify DIR            numpy loads every X.npy of DIR written by the C writer and
                                      checks dtype, shape, values and header alignment against
                                      X.hex; exits 1 on any mismatch

Twin format: line 1 "DTYPE NDIM D0 D1 ...", then one value per line in C order, written with
float.hex ("nan" for any NaN, "inf", "-inf"), so the values are compared exactly.
Files named rej_*.npy are ones the C reader must reject (no twin).
"""
import os
import sys

import numpy as np
import numpy.lib.format as fmt


def hexval(x):
    x = float(x)
    return 'nan' if x != x else x.hex()


def write_twin(path, a):
    with open(path, 'w') as f:
        f.write('%s %d %s\n' % (a.dtype.str[1:], a.ndim, ' '.join(str(d) for d in a.shape)))
        for x in a.ravel(order='C'):
            f.write(hexval(x) + '\n')


def save(d, name, a, version=None):
    with open(os.path.join(d, name + '.npy'), 'wb') as f:
        fmt.write_array(f, a, version=version)
    write_twin(os.path.join(d, name + '.hex'), a)


def write(d, golden):
    tiny = np.finfo(np.float32).tiny
    f4_special = [0.0, -0.0, 1.0, -1.5, np.inf, -np.inf, np.nan, tiny, tiny / 8, -2.0**-149,
                  np.finfo(np.float32).max, 1.0 / 3, np.pi, 1e-30, -7.25, 65504.0]
    f8_special = [0.0, -0.0, 5e-324, -2.2250738585072014e-308, 1.7976931348623157e308,
                  np.inf, np.nan, 0.1, -1.0 / 3]
    f2_special = [0.0, -0.0, 2.0**-24, -2.0**-14, 65504.0, np.inf, -np.inf, np.nan, 0.1, -1.5,
                  1.0 / 3, 2.0**-20]
    save(d, 'f2_v1_2x3', np.array(f2_special[:6], dtype='<f2').reshape(2, 3))
    save(d, 'f4_v1_2x2x4', np.array(f4_special, dtype='<f4').reshape(2, 2, 4))
    save(d, 'f8_v1_9', np.array(f8_special, dtype='<f8'))
    save(d, 'f4_v1_0d', np.array(-2.5, dtype='<f4'))
    save(d, 'f8_v1_empty', np.zeros((2, 0, 3), dtype='<f8'))
    save(d, 'f4_v2_3x2', np.array(f4_special[:6], dtype='<f4').reshape(3, 2), version=(2, 0))
    save(d, 'f2_v3_12', np.array(f2_special, dtype='<f2'), version=(3, 0))
    # numpy refuses to write these in C order little-endian floats: the C reader must reject.
    np.save(os.path.join(d, 'rej_be.npy'), np.arange(4, dtype='>f4'))
    np.save(os.path.join(d, 'rej_fortran.npy'), np.asfortranarray(np.ones((2, 3), '<f8')))
    np.save(os.path.join(d, 'rej_i4.npy'), np.arange(3, dtype='<i4'))
    np.save(os.path.join(d, 'rej_u1.npy'), np.arange(3, dtype='u1'))
    np.save(os.path.join(d, 'rej_c8.npy'), np.ones(2, dtype='<c8'))
    np.save(os.path.join(d, 'rej_obj.npy'), np.array([1, None], dtype=object), allow_pickle=True)
    if not golden:
        # Every half, to check vf_half_to_double against numpy on all 65536 bit patterns.
        save(d, 'f2_all', np.arange(65536, dtype=np.uint16).view('<f2'))
        rng = np.random.default_rng(20261123)
        save(d, 'f8_rand_7x11', rng.standard_normal((7, 11)))
        save(d, 'f4_rand_v2', rng.standard_normal((3, 5)).astype('<f4'), version=(2, 0))


def verify(d):
    bad = 0
    names = sorted(n[:-4] for n in os.listdir(d) if n.endswith('.npy'))
    if not names:
        print('verify: no .npy files in %s' % d, file=sys.stderr)
        return 1
    for name in names:
        path = os.path.join(d, name + '.npy')
        with open(path, 'rb') as f:
            version = fmt.read_magic(f)
            read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
            shape, fortran, dtype = read(f)
            if f.tell() % 64 != 0:
                print('%s: data starts at %d, not a multiple of 64' % (name, f.tell()),
                      file=sys.stderr)
                bad += 1
        a = np.load(path, allow_pickle=False)
        with open(os.path.join(d, name + '.hex')) as f:
            head = f.readline().split()
            want = [line.strip() for line in f]
        wdt, wshape = head[0], tuple(int(x) for x in head[2:])
        if a.dtype.str != '<' + wdt or a.shape != wshape or fortran:
            print('%s: got %s %s fortran=%s, want <%s %s' % (name, a.dtype.str, a.shape,
                  fortran, wdt, wshape), file=sys.stderr)
            bad += 1
            continue
        got = [hexval(x) for x in a.ravel(order='C')]
        if len(got) != len(want):
            print('%s: %d values, twin has %d' % (name, len(got), len(want)), file=sys.stderr)
            bad += 1
            continue
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w and not (w != 'nan' and g != 'nan' and float.fromhex(g) == float.fromhex(w)
                               and g.startswith('-') == w.startswith('-')):
                print('%s[%d]: numpy read %s, C wrote %s' % (name, i, g, w), file=sys.stderr)
                bad += 1
                break
    return 1 if bad else 0


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('write', 'verify'):
        print(__doc__, file=sys.stderr)
        return 2
    if sys.argv[1] == 'write':
        write(sys.argv[2], '--golden' in sys.argv[3:])
        return 0
    return verify(sys.argv[2])


if __name__ == '__main__':
    sys.exit(main())
