/* attention_lemmas.c — bodies of the lemma functions of attention_lemmas.h.  Each loop walks
 * the upper end of one range; its invariant is the statement for [.., k), so WP's "preserved"
 * goal is the induction step and "established" the base case.  Nested sums: the outer loop
 * calls the lemma function of the inner sum (small contexts, one index per goal). */
#include "attention_lemmas.h"

/* ---- double-sum exchange ---- */

void lemma_sum_by_cols_empty(long long ia, long long ib, long long ja, long long jb)
{
    if (jb <= ja)
        return;
    long long k = ja;
    /*@ loop invariant bound: ja <= k <= jb;
        loop invariant empty: \forall vf_mat A; sum_by_cols(A, ia, ib, ja, k) == 0.0;
        loop assigns k;
        loop variant jb - k;
    */
    while (k < jb)
        k++;
}

void lemma_sum_by_cols_step(long long ia, long long ib, long long ja, long long jb)
{
    if (jb <= ja)
        return;
    long long k = ja;
    /*@ loop invariant bound: ja <= k <= jb;
        loop invariant step: \forall vf_mat A;
          sum_by_cols(A, ia, ib + 1, ja, k) == sum_by_cols(A, ia, ib, ja, k) + row_sum(A, ib, ja, k);
        loop assigns k;
        loop variant jb - k;
    */
    while (k < jb) {
        //@ assert col: \forall vf_mat A; col_sum(A, k, ia, ib + 1) == col_sum(A, k, ia, ib) + vf_mat_at(A, ib, k);
        k++;
    }
}

void lemma_double_sum_exchange(long long ia, long long ib, long long ja, long long jb)
{
    lemma_sum_by_cols_empty(ia, ia, ja, jb);
    if (ib <= ia) {
        lemma_sum_by_cols_empty(ia, ib, ja, jb);
        return;
    }
    long long i = ia;
    /*@ loop invariant bound: ia <= i <= ib;
        loop invariant exchange: \forall vf_mat A;
          sum_by_rows(A, ia, i, ja, jb) == sum_by_cols(A, ia, i, ja, jb);
        loop assigns i;
        loop variant ib - i;
    */
    while (i < ib) {
        lemma_sum_by_cols_step(ia, i, ja, jb);
        i++;
    }
}

/* ---- linear attention ---- */

void lemma_attn_row_step(long long j, long long n, long long a, long long d)
{
    if (d <= 0)
        return;
    long long k = 0;
    /*@ loop invariant bound: 0 <= k <= d;
        loop invariant row_step: \forall vf_mat Q, M, X, vf_seq y;
          bil_xty_row(Q, j, M, X, y, n + 1, a, k)
            == bil_xty_row(Q, j, M, X, y, n, a, k) + vf_at(y, n) * bil_row(Q, j, M, X, n, a, k);
        loop assigns k;
        loop variant d - k;
    */
    while (k < d) {
        //@ assert xty_step: \forall vf_mat X, vf_seq y; xty(X, y, k, n + 1) == xty(X, y, k, n) + vf_mat_at(X, n, k) * vf_at(y, n);
        // the new term, multiplied out (distributivity over the sum unfolded once)
        /*@ assert term: \forall vf_mat Q, M, X, vf_seq y;
              vf_mat_at(Q, j, a) * vf_mat_at(M, a, k) * xty(X, y, k, n + 1)
                == vf_mat_at(Q, j, a) * vf_mat_at(M, a, k) * xty(X, y, k, n)
                   + vf_at(y, n) * (vf_mat_at(Q, j, a) * vf_mat_at(M, a, k) * vf_mat_at(X, n, k));
        */
        /*@ assert unfold: \forall vf_mat Q, M, X;
              bil_row(Q, j, M, X, n, a, k + 1) == bil_row(Q, j, M, X, n, a, k)
                + vf_mat_at(Q, j, a) * vf_mat_at(M, a, k) * vf_mat_at(X, n, k);
        */
        /*@ assert scaled: \forall vf_mat Q, M, X, vf_seq y;
              vf_at(y, n) * bil_row(Q, j, M, X, n, a, k + 1)
                == vf_at(y, n) * bil_row(Q, j, M, X, n, a, k)
                   + vf_at(y, n) * (vf_mat_at(Q, j, a) * vf_mat_at(M, a, k) * vf_mat_at(X, n, k));
        */
        k++;
    }
}

void lemma_attn_step(long long j, long long n, long long d)
{
    if (d <= 0)
        return;
    long long m = 0;
    /*@ loop invariant bound: 0 <= m <= d;
        loop invariant step: \forall vf_mat Q, M, X, vf_seq y;
          bil_xty(Q, j, M, X, y, n + 1, m, d)
            == bil_xty(Q, j, M, X, y, n, m, d) + vf_at(y, n) * bil(Q, j, M, X, n, m, d);
        loop assigns m;
        loop variant d - m;
    */
    while (m < d) {
        lemma_attn_row_step(j, n, m, d);
        /*@ assert unfold: \forall vf_mat Q, M, X;
              bil(Q, j, M, X, n, m + 1, d) == bil(Q, j, M, X, n, m, d) + bil_row(Q, j, M, X, n, m, d);
        */
        /*@ assert scaled: \forall vf_mat Q, M, X, vf_seq y;
              bil(Q, j, M, X, n, m + 1, d) == bil(Q, j, M, X, n, m, d) + bil_row(Q, j, M, X, n, m, d) ==>
              vf_at(y, n) * bil(Q, j, M, X, n, m + 1, d)
                == vf_at(y, n) * bil(Q, j, M, X, n, m, d) + vf_at(y, n) * bil_row(Q, j, M, X, n, m, d);
        */
        m++;
    }
}

void lemma_attn_zero_row(long long j, long long n, long long a, long long d)
{
    if (d <= 0)
        return;
    long long k = 0;
    /*@ loop invariant bound: 0 <= k <= d;
        loop invariant row_zero: \forall vf_mat Q, M, X, vf_seq y;
          bil_xty_row(Q, j, M, X, y, n, a, k) == 0.0;
        loop assigns k;
        loop variant d - k;
    */
    while (k < d) {
        //@ assert xty_zero: \forall vf_mat X, vf_seq y; xty(X, y, k, n) == 0.0;
        k++;
    }
}

void lemma_attn_zero(long long j, long long n, long long d)
{
    if (d <= 0)
        return;
    long long m = 0;
    /*@ loop invariant bound: 0 <= m <= d;
        loop invariant zero: \forall vf_mat Q, M, X, vf_seq y; bil_xty(Q, j, M, X, y, n, m, d) == 0.0;
        loop assigns m;
        loop variant d - m;
    */
    while (m < d) {
        lemma_attn_zero_row(j, n, m, d);
        m++;
    }
}

void lemma_linear_attention(long long j, long long n, long long d)
{
    if (n <= 0) {
        lemma_attn_zero(j, n, d);
        return;
    }
    lemma_attn_zero(j, 0, d);
    long long i = 0;
    /*@ loop invariant bound: 0 <= i <= n;
        loop invariant identity: \forall vf_mat Q, M, X, vf_seq y;
          lin_attn(Q, j, M, X, y, i, d) == bil_xty(Q, j, M, X, y, i, d, d);
        loop assigns i;
        loop variant n - i;
    */
    while (i < n) {
        lemma_attn_step(j, i, d);
        i++;
    }
}

void lemma_beta_factor_row(long long j, long long n, long long a, long long d)
{
    if (d <= 0)
        return;
    long long k = 0;
    /*@ loop invariant bound: 0 <= k <= d;
        loop invariant factor_row: \forall vf_mat Q, M, X, vf_seq y;
          bil_xty_row(Q, j, M, X, y, n, a, k) == vf_mat_at(Q, j, a) * beta(M, X, y, n, a, k);
        loop assigns k;
        loop variant d - k;
    */
    while (k < d) {
        /*@ assert unfold: \forall vf_mat M, X, vf_seq y;
              beta(M, X, y, n, a, k + 1) == beta(M, X, y, n, a, k) + vf_mat_at(M, a, k) * xty(X, y, k, n);
        */
        /*@ assert scaled: \forall vf_mat Q, M, X, vf_seq y;
              beta(M, X, y, n, a, k + 1) == beta(M, X, y, n, a, k) + vf_mat_at(M, a, k) * xty(X, y, k, n) ==>
              vf_mat_at(Q, j, a) * beta(M, X, y, n, a, k + 1)
                == vf_mat_at(Q, j, a) * beta(M, X, y, n, a, k)
                   + vf_mat_at(Q, j, a) * vf_mat_at(M, a, k) * xty(X, y, k, n);
        */
        k++;
    }
}

void lemma_beta_factor(long long j, long long n, long long d)
{
    if (d <= 0)
        return;
    long long m = 0;
    /*@ loop invariant bound: 0 <= m <= d;
        loop invariant factor: \forall vf_mat Q, M, X, vf_seq y;
          bil_xty(Q, j, M, X, y, n, m, d) == q_beta(Q, j, M, X, y, n, m, d);
        loop assigns m;
        loop variant d - m;
    */
    while (m < d) {
        lemma_beta_factor_row(j, n, m, d);
        m++;
    }
}

void lemma_linear_attention_beta(long long j, long long n, long long d)
{
    lemma_linear_attention(j, n, d);
    lemma_beta_factor(j, n, d);
}
