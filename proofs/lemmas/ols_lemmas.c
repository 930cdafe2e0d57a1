/* ols_lemmas.c — bodies of the lemma functions of ols_lemmas.h.  Same pattern as
 * attention_lemmas.c: one loop per index; each step unfolds the recursive sums once
 * (`unfold` asserts) and multiplies the unfolded equation out (`scaled` asserts, stated with
 * the unfolded equation as premise: without it the provers time out). */
#include "ols_lemmas.h"

/* ---- G β̂ = Xᵀ y ---- */

void lemma_ols_gmv_step(long long c, long long n, long long k, long long l)
{
    if (l <= 0) {
        /*@ assert empty: \forall vf_mat X, M, vf_seq y; gmv(X, M, y, n, c, k + 1, l) == 0.0 &&
              gmv(X, M, y, n, c, k, l) == 0.0 && beta(M, X, y, n, k, l) == 0.0; */
        return;
    }
    long long b = 0;
    /*@ loop invariant bound: 0 <= b <= l;
        loop invariant gmv_step: \forall vf_mat X, M, vf_seq y;
          gmv(X, M, y, n, c, k + 1, b) == gmv(X, M, y, n, c, k, b) + gram(X, c, k, n) * beta(M, X, y, n, k, b);
        loop assigns b;
        loop variant l - b;
    */
    while (b < l) {
        /*@ assert unfold_gm: \forall vf_mat X, M;
              gm(X, M, n, c, b, k + 1) == gm(X, M, n, c, b, k) + gram(X, c, k, n) * vf_mat_at(M, k, b);
        */
        /*@ assert unfold_beta: \forall vf_mat X, M, vf_seq y;
              beta(M, X, y, n, k, b + 1) == beta(M, X, y, n, k, b) + vf_mat_at(M, k, b) * xty(X, y, b, n);
        */
        /*@ assert scaled_gm: \forall vf_mat X, M, vf_seq y;
              gm(X, M, n, c, b, k + 1) == gm(X, M, n, c, b, k) + gram(X, c, k, n) * vf_mat_at(M, k, b) ==>
              gm(X, M, n, c, b, k + 1) * xty(X, y, b, n)
                == gm(X, M, n, c, b, k) * xty(X, y, b, n)
                   + gram(X, c, k, n) * (vf_mat_at(M, k, b) * xty(X, y, b, n));
        */
        /*@ assert scaled_beta: \forall vf_mat X, M, vf_seq y;
              beta(M, X, y, n, k, b + 1) == beta(M, X, y, n, k, b) + vf_mat_at(M, k, b) * xty(X, y, b, n) ==>
              gram(X, c, k, n) * beta(M, X, y, n, k, b + 1)
                == gram(X, c, k, n) * beta(M, X, y, n, k, b)
                   + gram(X, c, k, n) * (vf_mat_at(M, k, b) * xty(X, y, b, n));
        */
        b++;
    }
}

void lemma_ols_gmv_zero(long long c, long long n, long long l)
{
    if (l <= 0)
        return;
    long long b = 0;
    /*@ loop invariant bound: 0 <= b <= l;
        loop invariant gmv_zero: \forall vf_mat X, M, vf_seq y; gmv(X, M, y, n, c, 0, b) == 0.0;
        loop assigns b;
        loop variant l - b;
    */
    while (b < l) {
        //@ assert gm_zero: \forall vf_mat X, M; gm(X, M, n, c, b, 0) == 0.0;
        b++;
    }
}

void lemma_ols_gb_gmv(long long c, long long n, long long d)
{
    lemma_ols_gmv_zero(c, n, d);
    if (d <= 0)
        return;
    long long k = 0;
    /*@ loop invariant bound: 0 <= k <= d;
        loop invariant gb_gmv: \forall vf_mat X, M, vf_seq y;
          gb(X, M, y, n, d, c, n, k) == gmv(X, M, y, n, c, k, d);
        loop assigns k;
        loop variant d - k;
    */
    while (k < d) {
        lemma_ols_gmv_step(c, n, k, d);
        k++;
    }
}

void lemma_ols_delta(long long c, long long n, long long d)
{
    long long l = 0;
    /*@ loop invariant bound: 0 <= l <= d;
        loop invariant delta: \forall vf_mat X, M, vf_seq y;
          Ols_Right_Inverse(X, M, n, d) ==>
          gmv(X, M, y, n, c, d, l) == (c < l ? xty(X, y, c, n) : 0.0);
        loop assigns l;
        loop variant d - l;
    */
    while (l < d) {
        /*@ assert entry: \forall vf_mat X, M;
              Ols_Right_Inverse(X, M, n, d) ==> gm(X, M, n, c, l, d) == (c == l ? 1.0 : 0.0);
        */
        l++;
    }
}

void lemma_ols_gram_beta(long long c, long long n, long long d)
{
    lemma_ols_gb_gmv(c, n, d);
    lemma_ols_delta(c, n, d);
}

/* ---- normal equations ---- */

void lemma_ols_gb_step(long long c, long long n, long long d, long long m, long long k)
{
    if (k <= 0) {
        /*@ assert empty: \forall vf_mat X, M, vf_seq y; gb(X, M, y, n, d, c, m + 1, k) == 0.0 &&
              gb(X, M, y, n, d, c, m, k) == 0.0 && q_beta(X, m, M, X, y, n, k, d) == 0.0; */
        return;
    }
    long long a = 0;
    /*@ loop invariant bound: 0 <= a <= k;
        loop invariant gb_step: \forall vf_mat X, M, vf_seq y;
          gb(X, M, y, n, d, c, m + 1, a)
            == gb(X, M, y, n, d, c, m, a) + vf_mat_at(X, m, c) * q_beta(X, m, M, X, y, n, a, d);
        loop assigns a;
        loop variant k - a;
    */
    while (a < k) {
        /*@ assert unfold_gram: \forall vf_mat X;
              gram(X, c, a, m + 1) == gram(X, c, a, m) + vf_mat_at(X, m, c) * vf_mat_at(X, m, a);
        */
        /*@ assert unfold_fit: \forall vf_mat X, M, vf_seq y;
              q_beta(X, m, M, X, y, n, a + 1, d)
                == q_beta(X, m, M, X, y, n, a, d) + vf_mat_at(X, m, a) * beta(M, X, y, n, a, d);
        */
        /*@ assert scaled_gram: \forall vf_mat X, M, vf_seq y;
              gram(X, c, a, m + 1) == gram(X, c, a, m) + vf_mat_at(X, m, c) * vf_mat_at(X, m, a) ==>
              gram(X, c, a, m + 1) * beta(M, X, y, n, a, d)
                == gram(X, c, a, m) * beta(M, X, y, n, a, d)
                   + vf_mat_at(X, m, c) * (vf_mat_at(X, m, a) * beta(M, X, y, n, a, d));
        */
        /*@ assert scaled_fit: \forall vf_mat X, M, vf_seq y;
              q_beta(X, m, M, X, y, n, a + 1, d)
                == q_beta(X, m, M, X, y, n, a, d) + vf_mat_at(X, m, a) * beta(M, X, y, n, a, d) ==>
              vf_mat_at(X, m, c) * q_beta(X, m, M, X, y, n, a + 1, d)
                == vf_mat_at(X, m, c) * q_beta(X, m, M, X, y, n, a, d)
                   + vf_mat_at(X, m, c) * (vf_mat_at(X, m, a) * beta(M, X, y, n, a, d));
        */
        a++;
    }
}

void lemma_ols_gb_zero(long long c, long long n, long long d, long long m, long long k)
{
    if (k <= 0)
        return;
    long long a = 0;
    /*@ loop invariant bound: 0 <= a <= k;
        loop invariant gb_zero: \forall vf_mat X, M, vf_seq y; gb(X, M, y, n, d, c, m, a) == 0.0;
        loop assigns a;
        loop variant k - a;
    */
    while (a < k) {
        //@ assert gram_zero: \forall vf_mat X; gram(X, c, a, m) == 0.0;
        a++;
    }
}

void lemma_ols_xxb_gb(long long c, long long n, long long d)
{
    if (n <= 0) {
        lemma_ols_gb_zero(c, n, d, n, d);
        return;
    }
    lemma_ols_gb_zero(c, n, d, 0, d);
    long long m = 0;
    /*@ loop invariant bound: 0 <= m <= n;
        loop invariant xxb_gb: \forall vf_mat X, M, vf_seq y;
          xxb(X, M, y, n, d, c, m) == gb(X, M, y, n, d, c, m, d);
        loop assigns m;
        loop variant n - m;
    */
    while (m < n) {
        lemma_ols_gb_step(c, n, d, m, d);
        m++;
    }
}

void lemma_ols_nres_split(long long c, long long n, long long d)
{
    if (n <= 0)
        return;
    long long m = 0;
    /*@ loop invariant bound: 0 <= m <= n;
        loop invariant nres_split: \forall vf_mat X, M, vf_seq y;
          nres(X, M, y, n, d, c, m) == xty(X, y, c, m) - xxb(X, M, y, n, d, c, m);
        loop assigns m;
        loop variant n - m;
    */
    while (m < n) {
        /*@ assert term: \forall vf_mat X, M, vf_seq y;
              vf_mat_at(X, m, c) * resid(X, M, y, n, d, m)
                == vf_mat_at(X, m, c) * vf_at(y, m) - vf_mat_at(X, m, c) * q_beta(X, m, M, X, y, n, d, d);
        */
        m++;
    }
}

void lemma_ols_normal_equations(long long c, long long n, long long d)
{
    lemma_ols_gram_beta(c, n, d);
    lemma_ols_xxb_gb(c, n, d);
    lemma_ols_nres_split(c, n, d);
}

/* ---- orthogonality ---- */

void lemma_ols_bn_step(long long n, long long d, long long m, long long k)
{
    if (k <= 0) {
        //@ assert fit_zero: \forall vf_mat X, M, vf_seq y; q_beta(X, m, M, X, y, n, k, d) == 0.0;
        /*@ assert scaled_zero: \forall vf_mat X, M, vf_seq y;
              q_beta(X, m, M, X, y, n, k, d) == 0.0 ==>
              resid(X, M, y, n, d, m) * q_beta(X, m, M, X, y, n, k, d) == 0.0;
        */
        //@ assert bn_zero: \forall vf_mat X, M, vf_seq y; bn(X, M, y, n, d, m + 1, k) == 0.0 && bn(X, M, y, n, d, m, k) == 0.0;
        return;
    }
    long long a = 0;
    /*@ loop invariant bound: 0 <= a <= k;
        loop invariant bn_step: \forall vf_mat X, M, vf_seq y;
          bn(X, M, y, n, d, m + 1, a)
            == bn(X, M, y, n, d, m, a) + resid(X, M, y, n, d, m) * q_beta(X, m, M, X, y, n, a, d);
        loop assigns a;
        loop variant k - a;
    */
    while (a < k) {
        /*@ assert unfold_nres: \forall vf_mat X, M, vf_seq y;
              nres(X, M, y, n, d, a, m + 1)
                == nres(X, M, y, n, d, a, m) + vf_mat_at(X, m, a) * resid(X, M, y, n, d, m);
        */
        /*@ assert unfold_fit: \forall vf_mat X, M, vf_seq y;
              q_beta(X, m, M, X, y, n, a + 1, d)
                == q_beta(X, m, M, X, y, n, a, d) + vf_mat_at(X, m, a) * beta(M, X, y, n, a, d);
        */
        /*@ assert scaled_nres: \forall vf_mat X, M, vf_seq y;
              nres(X, M, y, n, d, a, m + 1)
                == nres(X, M, y, n, d, a, m) + vf_mat_at(X, m, a) * resid(X, M, y, n, d, m) ==>
              beta(M, X, y, n, a, d) * nres(X, M, y, n, d, a, m + 1)
                == beta(M, X, y, n, a, d) * nres(X, M, y, n, d, a, m)
                   + resid(X, M, y, n, d, m) * (vf_mat_at(X, m, a) * beta(M, X, y, n, a, d));
        */
        /*@ assert scaled_fit: \forall vf_mat X, M, vf_seq y;
              q_beta(X, m, M, X, y, n, a + 1, d)
                == q_beta(X, m, M, X, y, n, a, d) + vf_mat_at(X, m, a) * beta(M, X, y, n, a, d) ==>
              resid(X, M, y, n, d, m) * q_beta(X, m, M, X, y, n, a + 1, d)
                == resid(X, M, y, n, d, m) * q_beta(X, m, M, X, y, n, a, d)
                   + resid(X, M, y, n, d, m) * (vf_mat_at(X, m, a) * beta(M, X, y, n, a, d));
        */
        a++;
    }
    //@ assert done: a == k;
}

void lemma_ols_bn_zero(long long n, long long d, long long m, long long k)
{
    if (k <= 0)
        return;
    long long a = 0;
    /*@ loop invariant bound: 0 <= a <= k;
        loop invariant bn_zero: \forall vf_mat X, M, vf_seq y; bn(X, M, y, n, d, m, a) == 0.0;
        loop assigns a;
        loop variant k - a;
    */
    while (a < k) {
        //@ assert nres_zero: \forall vf_mat X, M, vf_seq y; nres(X, M, y, n, d, a, m) == 0.0;
        a++;
    }
}

void lemma_ols_orth_bn(long long n, long long d)
{
    if (n <= 0) {
        lemma_ols_bn_zero(n, d, n, d);
        return;
    }
    lemma_ols_bn_zero(n, d, 0, d);
    long long m = 0;
    /*@ loop invariant bound: 0 <= m <= n;
        loop invariant orth_bn: \forall vf_mat X, M, vf_seq y;
          orth(X, M, y, n, d, m) == bn(X, M, y, n, d, m, d);
        loop assigns m;
        loop variant n - m;
    */
    while (m < n) {
        lemma_ols_bn_step(n, d, m, d);
        m++;
    }
}

void lemma_ols_bn_normal(long long n, long long d)
{
    if (d <= 0)
        return;
    long long k = 0;
    /*@ loop invariant bound: 0 <= k <= d;
        loop invariant bn_normal: \forall vf_mat X, M, vf_seq y;
          (\forall integer a; 0 <= a < d ==> nres(X, M, y, n, d, a, n) == 0.0) ==>
          bn(X, M, y, n, d, n, k) == 0.0;
        loop assigns k;
        loop variant d - k;
    */
    while (k < d)
        k++;
}

void lemma_ols_orthogonality(long long n, long long d)
{
    lemma_ols_orth_bn(n, d);
    lemma_ols_bn_normal(n, d);
    if (d <= 0)
        return;
    long long c = 0;
    /*@ loop invariant bound: 0 <= c <= d;
        loop invariant normal: \forall vf_mat X, M, vf_seq y;
          Ols_Right_Inverse(X, M, n, d) ==>
          \forall integer a; 0 <= a < c ==> nres(X, M, y, n, d, a, n) == 0.0;
        loop assigns c;
        loop variant d - c;
    */
    while (c < d) {
        lemma_ols_normal_equations(c, n, d);
        c++;
    }
}

/* ---- attention scores = fitted values ---- */

void lemma_ols_scores(long long i, long long n, long long d)
{
    lemma_linear_attention_beta(i, n, d);
}
