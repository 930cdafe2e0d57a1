/* libm_stubs.h — ACSL contracts for the libm functions called by the proved scalar softmax
 * (fast/kernels/softmax.c with -DVF_BUILD_SCALAR), which Frama-C 25's libc declares without
 * a contract.  Read only by Frama-C, through -cpp-extra-args="-include
 * proofs/stubs/libm_stubs.h" in proofs/units.conf (unit softmax_scalar); the C compiler never
 * sees it.  Trust base: proofs/TRUST.md, "Library contracts".
 *
 * Each contract states only IEEE 754-2008 facts about the float CLASS of the result (NaN,
 * infinite, finite), which hold for glibc's correctly rounded fmaf and rintf and its fmax
 * (C11 F.10.6.6, F.10.9.4, F.10.9.2), in the default rounding mode (the kernel never changes
 * it).  They say nothing about the numerical value beyond class: the kernel's accuracy is
 * established by the differential tests, not by these stubs.
 * Contracts of Frama-C's own libc that the unit also uses (exp, fabsf, ldexpf, isinf through
 * __fc_fpclassify(f), NAN / INFINITY through __fc_nan / __fc_infinity) are listed in TRUST.md. */
#ifndef VF_LIBM_STUBS_H
#define VF_LIBM_STUBS_H
#include <errno.h>
#include <math.h>

/* fmaf(x, y, z) = (x*y + z) rounded once (IEEE 754 fusedMultiplyAdd).
 * - a NaN operand gives NaN (IEEE 754 §6.2: every operation on a quiet NaN returns NaN);
 * - x, y finite and z not NaN: x*y is an exact finite real, so the exact sum is a finite
 *   real or z's infinity, rounded: never NaN (invalid needs inf*0 or inf-inf);
 * - x, y, z finite: the exact x*y + z is a finite real; rounding gives a finite value or an
 *   overflow to +-inf, never NaN (a special case of the previous line, kept for readability). */
/*@ assigns errno, \result \from x, y, z;
    ensures nan_in: \is_NaN(x) || \is_NaN(y) || \is_NaN(z) ==> \is_NaN(\result);
    ensures no_nan: \is_finite(x) && \is_finite(y) && !\is_NaN(z) ==> !\is_NaN(\result);
*/
extern float fmaf(float x, float y, float z);

/* rintf(x): x rounded to an integer in the current (nearest-even) mode (C11 F.10.6.4):
 * NaN -> NaN, +-inf -> itself, a finite x -> a finite integer. */
/*@ assigns \result \from x;
    ensures nan: \is_NaN(x) ==> \is_NaN(\result);
    ensures finite: \is_finite(x) ==> \is_finite(\result);
    ensures plus_inf: \is_plus_infinity(x) ==> \is_plus_infinity(\result);
    ensures minus_inf: \is_minus_infinity(x) ==> \is_minus_infinity(\result);
*/
extern float rintf(float x);

/* fmax(x, y) (C11 F.10.9.2): the larger numeric operand; one NaN operand -> the other operand;
 * both NaN -> NaN. */
/*@ assigns \result \from x, y;
    ensures both_nan: \is_NaN(x) && \is_NaN(y) ==> \is_NaN(\result);
    ensures nan_x: \is_NaN(x) && !\is_NaN(y) ==> \eq_double(\result, y);
    ensures nan_y: !\is_NaN(x) && \is_NaN(y) ==> \eq_double(\result, x);
    ensures max: !\is_NaN(x) && !\is_NaN(y) ==>
      \le_double(x, \result) && \le_double(y, \result) &&
      (\eq_double(\result, x) || \eq_double(\result, y));
*/
extern double fmax(double x, double y);

/* NAN and INFINITY.  Frama-C 25's libc defines them as calls to __fc_nan(0) /
 * __fc_infinity(0), but WP translates those through the logic functions of the same names
 * (\NaN, \plus_infinity), which its IEEE model renders as to_f32(0.0/0.0) and to_f32(1.0/0.0):
 * roundings of unspecified reals, never NaN or infinite (measured: the goal
 * `y[j] = NAN ==> \is_NaN(y[j])` is then unprovable).  The C macros are "a constant of type
 * float representing a quiet NaN" / "positive infinity" (C11 7.12 p5, p4): these stubs state
 * exactly that class, nothing about the payload. */
#undef NAN
#undef INFINITY
/*@ assigns \result \from \nothing;
    ensures quiet_nan: \is_NaN(\result);
*/
extern float vf_stub_nan(void);
/*@ assigns \result \from \nothing;
    ensures plus_infinity: \is_plus_infinity(\result);
*/
extern float vf_stub_infinity(void);
#define NAN vf_stub_nan()
#define INFINITY vf_stub_infinity()
#endif
