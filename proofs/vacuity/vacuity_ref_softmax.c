/* vacuity_ref_softmax.c — false statements about the certified softmax helpers of ref/
 * (unit ref_softmax), under the same contracts and the same MPFI/MPFR model
 * (proofs/stubs/mpfi_stubs.h, with -DVF_GMP_UNMODELLED -DVF_MPFI_UNMODELLED as in unit
 * ref_softmax).  ref/vf_softmax.c is included as is; every goal named Vacuity_* must stay
 * unproved (proofs/gate.py). */
#include "vf_softmax.c"

/* the hypotheses of softmax_entries for a 2-entry row (o, w: separate arrays) */
/*@ predicate row2{L}(mpfi_t *o, mpfi_t *w, mpfi_srcptr Z, unsigned char *m) =
      (\forall integer k; 0 <= k < 2 ==> \valid(&o[k][0]) && \valid_read(&w[k][0])) &&
      \valid_read(m + (0 .. 1)) && \valid_read(Z) &&
      \base_addr(o) != \base_addr(w) && \base_addr(o) != \base_addr(m) &&
      \base_addr(o) != \base_addr(Z) && \base_addr(o) != \base_addr(&vf_mpfr_flags) &&
      \base_addr(w) != \base_addr(&vf_mpfr_flags) && \base_addr(m) != \base_addr(&vf_mpfr_flags);
*/

/* after a softmax row: \false */
/*@ requires row2(o, w, Z, m);
    assigns o[0 .. 1][0], vf_mpfr_flags;
*/
void vacuity_ref_softmax_false(mpfi_t *o, mpfi_t *w, mpfi_srcptr Z, unsigned char *m)
{
    softmax_entries(o, (const mpfi_t *)w, Z, m, 2);
    //@ assert Vacuity_Ref_Softmax_False: \false;
}

/* an unmasked output contains softmax_k + 1 */
/*@ requires row2(o, w, Z, m);
    assigns o[0 .. 1][0], vf_mpfr_flags;
*/
void vacuity_ref_softmax_plus_one(mpfi_t *o, mpfi_t *w, mpfi_srcptr Z, unsigned char *m)
{
    softmax_entries(o, (const mpfi_t *)w, Z, m, 2);
    /*@ assert Vacuity_Ref_Softmax_Plus_One: \forall vf_seq x, real c;
          \at(gibbs_state(w, Z, m, 2, x, c), Pre) ==> m[0] == 0 ==>
          mpfi_in(ex(vf_at(x, 0)) / mexp(m, x, 2) + 1.0, &o[0][0]); */
}

/* a masked output contains 1 */
/*@ requires row2(o, w, Z, m);
    assigns o[0 .. 1][0], vf_mpfr_flags;
*/
void vacuity_ref_softmax_masked_one(mpfi_t *o, mpfi_t *w, mpfi_srcptr Z, unsigned char *m)
{
    softmax_entries(o, (const mpfi_t *)w, Z, m, 2);
    //@ assert Vacuity_Ref_Softmax_Masked_One: m[1] != 0 ==> mpfi_in(1.0, &o[1][0]);
}

/* the weights: Z contains the normaliser plus one */
/*@ requires valid: \forall integer k; 0 <= k < 2 ==> \valid(&y[k][0]) && \valid(&w[k][0]);
    requires valid_m: \valid_read(m + (0 .. 1));
    requires valid_Zc: \valid(Z) && \valid_read(c);
    requires sep: \base_addr(y) != \base_addr(w) && \base_addr(y) != \base_addr(m) &&
      \base_addr(y) != \base_addr(Z) && \base_addr(y) != \base_addr(c) &&
      \base_addr(w) != \base_addr(m) && \base_addr(w) != \base_addr(Z) &&
      \base_addr(w) != \base_addr(c) && \base_addr(m) != \base_addr(Z) &&
      \base_addr(y) != \base_addr(&vf_mpfr_flags) && \base_addr(w) != \base_addr(&vf_mpfr_flags) &&
      \base_addr(m) != \base_addr(&vf_mpfr_flags) && \base_addr(Z) != \base_addr(&vf_mpfr_flags) &&
      \separated(Z, c);
    requires c_number: mpfr_number(c);
    assigns y[0 .. 1][0], w[0 .. 1][0], *Z, vf_mpfr_flags;
*/
void vacuity_ref_softmax_z_plus_one(mpfi_t *y, mpfi_t *w, mpfi_ptr Z, mpfr_srcptr c,
                                    unsigned char *m)
{
    gibbs_weights(y, w, Z, c, m, 2);
    /*@ assert Vacuity_Ref_Softmax_Z_Plus_One: \forall vf_seq x; \at(y_in(y, m, 2, x), Pre) ==>
          mpfi_in(mexp_sh(m, x, \at(mpfr_val(c), Pre), 2) + 1.0, Z); */
}

/* after gibbs_row: Z contains the UNshifted normaliser (false: it holds e^{-c} times it) */
/*@ requires ws: row_ws(s, y, w, m, T, Z, c, 2);
    assigns y[0 .. 1][0], w[0 .. 1][0], *Z, *c, vf_mpfr_flags;
*/
void vacuity_ref_softmax_row_shift(mpfi_t *y, mpfi_t *w, const mpfi_t *s, mpfi_srcptr T,
                                   mpfi_ptr Z, mpfr_ptr c, unsigned char *m)
{
    int st = gibbs_row(y, w, s, T, Z, c, m, 2, 0);
    /* its true twin (Z holds the shifted normaliser) must prove: the postcondition is
     * instantiable here, so the false statement below fails for being false */
    /*@ assert row_shift_true: st == 0 ==> \forall vf_seq v, x, real t;
          \at(t_point(t, T, 0), Pre) ==> logit_points{Pre}(s, m, 2, v, x, t) ==>
          mpfi_in(mexp_sh(m, x, mpfr_val(c), 2), Z); */
    /*@ assert Vacuity_Ref_Softmax_Row_Shift: st == 0 ==> \forall vf_seq v, x, real t;
          \at(t_point(t, T, 0), Pre) ==> logit_points{Pre}(s, m, 2, v, x, t) ==>
          mpfi_in(mexp(m, x, 2), Z); */
}
