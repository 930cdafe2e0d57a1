(* proofs/coq/ExLnModel.v -- a model of the ex/ln axiom block of specs/softmax.acsl.

   The ACSL axiomatic block Vf_ExLn declares two logic functions ex, ln : real -> real and the
   axioms below.  Here ex := exp and ln := ln of Coq's standard library (Reals), and every axiom
   is proved as a theorem of the same name.  Hence:
     - the axiom block is consistent (it has a model), relative to Coq's classical reals;
     - every axiom is TRUE of the real exponential and natural logarithm, so nothing proved by
       WP from it is an artefact of a wrong axiom.
   Checked by `coqc` in proofs/prove.sh (every run); proofs/gate.py requires a Theorem here for
   every `axiom` of specs/.  Nothing in this file is assumed or left unproved (prove.sh checks).
   ACSL reals are the mathematical reals; ACSL `/` with a non-zero divisor is Coq's Rdiv. *)
Require Import Reals Rpower Lra.
Open Scope R_scope.

Definition ex (x : R) : R := exp x.
Definition ln (x : R) : R := Rpower.ln x.

(* ACSL ExLn_Ex_Pos = \forall real x; ex(x) > 0.0; *)
Theorem ExLn_Ex_Pos : forall x : R, ex x > 0.
Proof. intro x; unfold ex; apply exp_pos. Qed.

(* ACSL ExLn_Ln_Ex = \forall real x; ln(ex(x)) == x; *)
Theorem ExLn_Ln_Ex : forall x : R, ln (ex x) = x.
Proof. intro x; unfold ln, ex; apply ln_exp. Qed.

(* ACSL ExLn_Ex_Add = \forall real x, y, z; z == x + y ==> ex(z) == ex(x) * ex(y); *)
Theorem ExLn_Ex_Add : forall x y z : R, z = x + y -> ex z = ex x * ex y.
Proof. intros x y z Hz; subst z; unfold ex; apply exp_plus. Qed.

(* ACSL ExLn_Ln_Div = \forall real x, y, z; x > 0.0 ==> y > 0.0 ==> z == x / y ==>
     ln(z) == ln(x) - ln(y); *)
Theorem ExLn_Ln_Div : forall x y z : R, x > 0 -> y > 0 -> z = x / y -> ln z = ln x - ln y.
Proof.
  intros x y z Hx Hy Hz; subst z; unfold ln, Rdiv.
  rewrite ln_mult; [| exact Hx | apply Rinv_0_lt_compat; exact Hy].
  rewrite ln_Rinv; [ring | exact Hy].
Qed.

(* ACSL ExLn_Ln_Le = \forall real x; x > 0.0 ==> ln(x) <= x - 1.0; *)
Theorem ExLn_Ln_Le : forall x : R, x > 0 -> ln x <= x - 1.
Proof.
  intros x Hx; unfold ln.
  pose proof (exp_ineq1_le (Rpower.ln x)) as H.
  rewrite exp_ln in H by exact Hx.
  lra.
Qed.
