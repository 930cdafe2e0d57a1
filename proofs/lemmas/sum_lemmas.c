/* sum_lemmas.c — bodies of the finite-sum lemma functions (contracts in sum_lemmas.h).
 * Each loop walks the upper end i of the range; its invariant is the statement for [.., i),
 * so WP's "preserved" goal is exactly the induction step and "established" the base case. */
#include "sum_lemmas.h"

void lemma_sum_split(long long a, long long m, long long b)
{
    long long i = m;
    /*@ loop invariant bound: m <= i <= b;
        loop invariant split: \forall vf_seq s; sum(s, a, i) == sum(s, a, m) + sum(s, m, i);
        loop assigns i;
        loop variant b - i;
    */
    while (i < b)
        i++;
}

void lemma_sum_first(long long a, long long b)
{
    if (a >= b)
        return;
    long long i = a + 1;
    /*@ loop invariant bound: a + 1 <= i <= b;
        loop invariant first: \forall vf_seq s; sum(s, a, i) == vf_at(s, a) + sum(s, a + 1, i);
        loop assigns i;
        loop variant b - i;
    */
    while (i < b)
        i++;
}

void lemma_sum_add(long long a, long long b)
{
    if (b <= a)
        return;
    long long i = a;
    /*@ loop invariant bound: a <= i <= b;
        loop invariant add: \forall vf_seq r, s, t;
          (\forall integer j; a <= j < b ==> vf_at(r, j) == vf_at(s, j) + vf_at(t, j)) ==>
          sum(r, a, i) == sum(s, a, i) + sum(t, a, i);
        loop assigns i;
        loop variant b - i;
    */
    while (i < b)
        i++;
}

void lemma_sum_scale(double c, long long a, long long b)
{
    if (b <= a)
        return;
    long long i = a;
    /*@ loop invariant bound: a <= i <= b;
        loop invariant scale: \forall vf_seq r, s;
          (\forall integer j; a <= j < b ==> vf_at(r, j) == c * vf_at(s, j)) ==>
          sum(r, a, i) == c * sum(s, a, i);
        loop assigns i;
        loop variant b - i;
    */
    while (i < b) {
        // one unfolding of sum, multiplied out (the provers miss this distributivity step)
        //@ assert unfold: \forall vf_seq s; c * sum(s, a, i + 1) == c * sum(s, a, i) + c * vf_at(s, i);
        i++;
    }
}

void lemma_sum_congruence(long long a, long long b)
{
    if (b <= a)
        return;
    long long i = a;
    /*@ loop invariant bound: a <= i <= b;
        loop invariant congruence: \forall vf_seq s, t;
          vf_eq_on(s, t, a, b) ==> sum(s, a, i) == sum(t, a, i);
        loop assigns i;
        loop variant b - i;
    */
    while (i < b)
        i++;
}

void lemma_sum_nonpos(long long a, long long b)
{
    if (b <= a)
        return;
    long long i = a;
    /*@ loop invariant bound: a <= i <= b;
        loop invariant nonpos: \forall vf_seq s;
          (\forall integer j; a <= j < b ==> vf_at(s, j) <= 0.0) ==> sum(s, a, i) <= 0.0;
        loop assigns i;
        loop variant b - i;
    */
    while (i < b)
        i++;
}

void lemma_sum_zero(long long a, long long b)
{
    if (b <= a)
        return;
    long long i = a;
    /*@ loop invariant bound: a <= i <= b;
        loop invariant zero: \forall vf_seq s;
          (\forall integer j; a <= j < b ==> vf_at(s, j) == 0.0) ==> sum(s, a, i) == 0.0;
        loop assigns i;
        loop variant b - i;
    */
    while (i < b)
        i++;
}
