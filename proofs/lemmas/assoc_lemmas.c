/* assoc_lemmas.c — bodies of the lemma functions of assoc_lemmas.h.  Each loop walks the upper
 * end of one range; its invariant is the statement for [0, k), so WP's "preserved" goal is the
 * induction step and "established" the base case.  The asserts spell out one unfolding of a
 * recursive sum and the distributivity step (nonlinear) so each goal stays small. */
#include "assoc_lemmas.h"

void lemma_mm_r_zero(long long p, long long q)
{
    if (p <= 0)
        return;
    long long a = 0;
    /*@ loop invariant bound: 0 <= a <= p;
        loop invariant zero: \forall vf_mat A, B, C, integer i, l; mat_mul_r(A, B, C, i, l, a, q) == 0.0;
        loop assigns a;
        loop variant p - a;
    */
    while (a < p) {
        //@ assert inner: \forall vf_mat B, C, integer l; mat_mul(B, C, a, l, q) == 0.0;
        a++;
    }
}

void lemma_mm_r_step(long long p, long long q)
{
    if (p <= 0)
        return;
    long long a = 0;
    /*@ loop invariant bound: 0 <= a <= p;
        loop invariant step: \forall vf_mat A, B, C, integer i, l;
          mat_mul_r(A, B, C, i, l, a, q + 1)
            == mat_mul_r(A, B, C, i, l, a, q) + mat_mul(A, B, i, q, a) * vf_mat_at(C, q, l);
        loop assigns a;
        loop variant p - a;
    */
    while (a < p) {
        /*@ assert bc: \forall vf_mat B, C, integer l;
              mat_mul(B, C, a, l, q + 1) == mat_mul(B, C, a, l, q) + vf_mat_at(B, a, q) * vf_mat_at(C, q, l);
        */
        /*@ assert ab: \forall vf_mat A, B, integer i;
              mat_mul(A, B, i, q, a + 1) == mat_mul(A, B, i, q, a) + vf_mat_at(A, i, a) * vf_mat_at(B, a, q);
        */
        /*@ assert left: \forall vf_mat A, B, C, integer i, l;
              mat_mul(B, C, a, l, q + 1) == mat_mul(B, C, a, l, q) + vf_mat_at(B, a, q) * vf_mat_at(C, q, l) ==>
              vf_mat_at(A, i, a) * mat_mul(B, C, a, l, q + 1)
                == vf_mat_at(A, i, a) * mat_mul(B, C, a, l, q)
                   + vf_mat_at(A, i, a) * vf_mat_at(B, a, q) * vf_mat_at(C, q, l);
        */
        /*@ assert right: \forall vf_mat A, B, C, integer i, l;
              mat_mul(A, B, i, q, a + 1) == mat_mul(A, B, i, q, a) + vf_mat_at(A, i, a) * vf_mat_at(B, a, q) ==>
              mat_mul(A, B, i, q, a + 1) * vf_mat_at(C, q, l)
                == mat_mul(A, B, i, q, a) * vf_mat_at(C, q, l)
                   + vf_mat_at(A, i, a) * vf_mat_at(B, a, q) * vf_mat_at(C, q, l);
        */
        a++;
    }
}

void lemma_mm_assoc_left(long long p, long long q)
{
    if (q <= 0) {
        lemma_mm_r_zero(p, q);
        return;
    }
    lemma_mm_r_zero(p, 0);
    long long k = 0;
    /*@ loop invariant bound: 0 <= k <= q;
        loop invariant assoc_left: \forall vf_mat A, B, C, P, integer i, l;
          Is_Mat_Mul(P, A, B, p) ==> mat_mul(P, C, i, l, k) == mat_mul_r(A, B, C, i, l, p, k);
        loop assigns k;
        loop variant q - k;
    */
    while (k < q) {
        lemma_mm_r_step(p, k);
        k++;
    }
}

void lemma_mm_assoc_right(long long p, long long q)
{
    if (p <= 0)
        return;
    long long a = 0;
    /*@ loop invariant bound: 0 <= a <= p;
        loop invariant assoc_right: \forall vf_mat A, B, C, Q, integer i, l;
          Is_Mat_Mul(Q, B, C, q) ==> mat_mul(A, Q, i, l, a) == mat_mul_r(A, B, C, i, l, a, q);
        loop assigns a;
        loop variant p - a;
    */
    while (a < p)
        a++;
}

void lemma_mat_mul_assoc(long long p, long long q)
{
    lemma_mm_assoc_left(p, q);
    lemma_mm_assoc_right(p, q);
}

void lemma_mm_transpose(long long n)
{
    if (n <= 0)
        return;
    long long k = 0;
    /*@ loop invariant bound: 0 <= k <= n;
        loop invariant transpose: \forall vf_mat X, Y, Xt, Yt, integer r, s;
          Is_Transpose(Xt, X) && Is_Transpose(Yt, Y) ==> mat_mul(X, Y, r, s, k) == mat_mul(Yt, Xt, s, r, k);
        loop assigns k;
        loop variant n - k;
    */
    while (k < n)
        k++;
}

void lemma_bil_row_mm(long long k)
{
    if (k <= 0)
        return;
    long long b = 0;
    /*@ loop invariant bound: 0 <= b <= k;
        loop invariant bil_row_mm: \forall vf_mat Q, M, X, Xt, integer j, i, a;
          Is_Transpose(Xt, X) ==> bil_row(Q, j, M, X, i, a, b) == vf_mat_at(Q, j, a) * mat_mul(M, Xt, a, i, b);
        loop assigns b;
        loop variant k - b;
    */
    while (b < k) {
        /*@ assert scaled: \forall vf_mat Q, M, Xt, integer j, i, a;
              vf_mat_at(Q, j, a) * mat_mul(M, Xt, a, i, b + 1)
                == vf_mat_at(Q, j, a) * mat_mul(M, Xt, a, i, b)
                   + vf_mat_at(Q, j, a) * vf_mat_at(M, a, b) * vf_mat_at(Xt, b, i);
        */
        b++;
    }
}

void lemma_bil_mm(long long m, long long d)
{
    lemma_bil_row_mm(d);
    if (m <= 0)
        return;
    long long a = 0;
    /*@ loop invariant bound: 0 <= a <= m;
        loop invariant score_mm: \forall vf_mat Q, M, X, Xt, MXt, integer j, i;
          Is_Transpose(Xt, X) && Is_Mat_Mul(MXt, M, Xt, d) ==>
            bil(Q, j, M, X, i, a, d) == mat_mul(Q, MXt, j, i, a);
        loop assigns a;
        loop variant m - a;
    */
    while (a < m) {
        /*@ assert unfold: \forall vf_mat Q, M, X, integer j, i;
              bil(Q, j, M, X, i, a + 1, d) == bil(Q, j, M, X, i, a, d) + bil_row(Q, j, M, X, i, a, d);
        */
        /*@ assert mm: \forall vf_mat Q, MXt, integer j, i;
              mat_mul(Q, MXt, j, i, a + 1) == mat_mul(Q, MXt, j, i, a) + vf_mat_at(Q, j, a) * vf_mat_at(MXt, a, i);
        */
        /*@ assert row: \forall vf_mat Q, M, X, Xt, MXt, integer j, i;
              Is_Transpose(Xt, X) && Is_Mat_Mul(MXt, M, Xt, d) ==>
                bil_row(Q, j, M, X, i, a, d) == vf_mat_at(Q, j, a) * vf_mat_at(MXt, a, i);
        */
        a++;
    }
}

void lemma_scores_link(long long d, long long dk)
{
    lemma_mm_transpose(d);
    /*@ assert bt: \forall vf_mat Xk, WK, WKt, Xkt, Bt;
          Is_Transpose(WKt, WK) && Is_Transpose(Xkt, Xk) &&
          (\forall integer c, r; vf_mat_at(Bt, c, r) == mat_mul(Xk, WK, r, c, d)) ==>
            Is_Mat_Mul(Bt, WKt, Xkt, d);
    */
    lemma_mat_mul_assoc(dk, d);
    /*@ assert mxt: \forall vf_mat WQ, WKt, Xkt, M, Bt, MXt;
          Is_Mat_Mul(M, WQ, WKt, dk) && Is_Mat_Mul(Bt, WKt, Xkt, d) && Is_Mat_Mul(MXt, M, Xkt, d) ==>
            Is_Mat_Mul(MXt, WQ, Bt, dk);
    */
    lemma_mm_assoc_right(d, dk);
    lemma_mm_assoc_left(d, dk);
    lemma_bil_mm(d, d);
}

void lemma_lin_attn_mm(long long n)
{
    if (n <= 0)
        return;
    long long m = 0;
    /*@ loop invariant bound: 0 <= m <= n;
        loop invariant lin_attn_mm: \forall vf_mat S, V, Q, M, X, vf_seq y, integer j, l, d;
          (\forall integer i; vf_mat_at(S, j, i) == score(Q, j, M, X, i, d)) &&
          (\forall integer i; vf_at(y, i) == vf_mat_at(V, i, l)) ==>
            mat_mul(S, V, j, l, m) == lin_attn(Q, j, M, X, y, m, d);
        loop assigns m;
        loop variant n - m;
    */
    while (m < n) {
        /*@ assert unfold: \forall vf_mat S, V, Q, M, X, vf_seq y, integer j, l, d;
              mat_mul(S, V, j, l, m + 1) == mat_mul(S, V, j, l, m) + vf_mat_at(S, j, m) * vf_mat_at(V, m, l) &&
              lin_attn(Q, j, M, X, y, m + 1, d) == lin_attn(Q, j, M, X, y, m, d) + score(Q, j, M, X, m, d) * vf_at(y, m); */
        m++;
    }
}

/* ---- OLS: any solution of the normal equations ---- */

void lemma_mm_sub(long long m)
{
    if (m <= 0)
        return;
    long long a = 0;
    /*@ loop invariant bound: 0 <= a <= m;
        loop invariant mm_sub: \forall vf_mat A, Y, P, R, integer c, j;
          (\forall integer i, l; vf_mat_at(R, i, l) == vf_mat_at(Y, i, l) - vf_mat_at(P, i, l)) ==>
          mat_mul(A, R, c, j, a) == mat_mul(A, Y, c, j, a) - mat_mul(A, P, c, j, a);
        loop assigns a;
        loop variant m - a;
    */
    while (a < m) {
        /*@ assert unfold: \forall vf_mat A, Y, P, R, integer c, j;
              mat_mul(A, R, c, j, a + 1) == mat_mul(A, R, c, j, a) + vf_mat_at(A, c, a) * vf_mat_at(R, a, j) &&
              mat_mul(A, Y, c, j, a + 1) == mat_mul(A, Y, c, j, a) + vf_mat_at(A, c, a) * vf_mat_at(Y, a, j) &&
              mat_mul(A, P, c, j, a + 1) == mat_mul(A, P, c, j, a) + vf_mat_at(A, c, a) * vf_mat_at(P, a, j); */
        /*@ assert scaled: \forall vf_mat A, Y, P, R, integer c, j;
              vf_mat_at(R, a, j) == vf_mat_at(Y, a, j) - vf_mat_at(P, a, j) ==>
              vf_mat_at(A, c, a) * vf_mat_at(R, a, j) ==
                vf_mat_at(A, c, a) * vf_mat_at(Y, a, j) - vf_mat_at(A, c, a) * vf_mat_at(P, a, j); */
        a++;
    }
}

void lemma_ols_residual(long long n, long long d, long long k)
{
    lemma_mm_sub(n);
    lemma_mat_mul_assoc(n, d); /* (XT X) B == XT (X B) */
    /*@ assert residual: \forall vf_mat X, XT, G, Y, B, P, R, integer c, j;
          Is_Mat_Mul(G, XT, X, n) && Is_Mat_Mul(P, X, B, d) &&
          (\forall integer i, l; vf_mat_at(R, i, l) == vf_mat_at(Y, i, l) - vf_mat_at(P, i, l)) ==>
          mat_mul(XT, R, c, j, n) == mat_mul(XT, Y, c, j, n) - mat_mul(G, B, c, j, d); */
    (void)k;
}
