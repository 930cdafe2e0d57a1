#!/usr/bin/env bash
# proofs/mutants.sh — the gate must fail when the proofs are broken (make prove-mutants, part of
# make test).  Each mutant copies the tree (with the committed WP cache) to scratch space,
# breaks one thing, runs a full `proofs/prove.sh <unit>` there (cache "update": the provers run
# on every goal the change touched), and passes only when the gate FAILS and names the goal the
# change broke:
#   false_lemma     a false lemma added to the specs (specs/sum.acsl): its own goal fails, while
#                   its true twin, added just before it (so the false one is not among its
#                   hypotheses), is proved: the provers do run and prove;
#   weak_invariant  a loop invariant of the proved scalar ReLU weakened (x[i] no longer known
#                   unchanged when y == x): the functional invariant it supported fails;
#   wrong_code      the exact ReLU of ref/ keeps negatives instead of positives: its
#                   postcondition fails.
# A mutation that no longer applies (the text it edits changed) is an error, not a pass.
# The committed proofs/ are never touched.  The three run at once (about 1.5 min on 2 cores):
# load can only make a goal fail, never prove, so it cannot make a mutant look caught unless
# the gate fails on the very goal the mutation broke.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=proofs/.cache-local/mutants
rm -rf "$WORK"
mkdir -p "$WORK"

# mutant NAME UNIT FILE PERL-SUBSTITUTION GOAL-REGEX [PROVED-GOAL]: prints one line, exit 0
# when caught: the gate fails, every goal it fails on matches GOAL-REGEX (nothing else broke),
# and PROVED-GOAL, a new true goal, is proved.
mutant() {
  local name=$1 unit=$2 file=$3 subst=$4 goal=$5 twin=${6:-} dir=$WORK/$1 rc=0 t0 hit
  mkdir -p "$dir"
  tar --exclude=./.git --exclude='./build*' --exclude=./proofs/.cache-local -cf - . |
    tar -xf - -C "$dir"
  perl -0pi -e "$subst" "$dir/$file"
  if cmp -s "$file" "$dir/$file"; then
    echo "mutant $name: the mutation no longer applies to $file (update proofs/mutants.sh)" >&2
    return 1
  fi
  t0=$(date +%s)
  (cd "$dir" && proofs/prove.sh "$unit") >"$dir.log" 2>&1 || rc=$?
  # the gate's own failure line for the broken goal (not a drift note, not a frama-c message)
  hit=$(grep -E "^gate: FAIL: unit '$unit': goal [A-Za-z0-9_]*($goal)[A-Za-z0-9_]* NOT PROVED" \
    "$dir.log" | head -1 || true)
  if [ "$rc" -eq 0 ]; then
    echo "mutant $name: NOT caught: the gate passed with $file broken (log: $dir.log)" >&2
    return 1
  elif [ -z "$hit" ]; then
    echo "mutant $name: the gate failed, but not on a goal matching /$goal/ (log: $dir.log)" >&2
    tail -15 "$dir.log" >&2
    return 1
  elif grep -E "^gate: FAIL: " "$dir.log" | grep -vqE "goal [A-Za-z0-9_]*($goal)[A-Za-z0-9_]* NOT PROVED"; then
    echo "mutant $name: the gate also failed on something the mutation should not break:" >&2
    grep -E "^gate: FAIL: " "$dir.log" | grep -vE "($goal)" >&2
    return 1
  elif [ -n "$twin" ] && ! grep -qE "new goal lemma_$twin \(proved=True\)" "$dir.log"; then
    echo "mutant $name: the true twin lemma $twin was not proved (log: $dir.log)" >&2
    return 1
  fi
  printf 'mutant %-15s caught in %3ss: %s\n' "$name" "$(($(date +%s) - t0))" "${hit#gate: FAIL: }"
}

mutant false_lemma sum specs/sum.acsl \
  's/(\n(\s*)lemma Sum_Single:)/\n$2lemma Sum_Mutant_Pair: \\forall vf_seq s, integer a; sum(s, a, a + 2) == vf_at(s, a) + vf_at(s, a + 1);\n$2lemma Sum_Mutant_Two: \\forall vf_seq s, integer a; sum(s, a, a + 2) == vf_at(s, a);$1/' \
  'Sum_Mutant_Two' Sum_Mutant_Pair &

mutant weak_invariant relu_scalar fast/kernels/relu.c \
  's/(loop invariant todo_unchanged: \\forall integer k; )i <= k < n/${1}i + 1 <= k < n/' \
  'loop_invariant_done_(positive|nan|zero)' &

mutant wrong_code ref_relu ref/vf_relu.c \
  's/if \(mpq_sgn\(xa\[i\]\) > 0\)/if (mpq_sgn(xa[i]) < 0)/' \
  'relu_entries_(ensures|loop_invariant)' &

fails=0
for job in $(jobs -p); do wait "$job" || fails=$((fails + 1)); done
if [ "$fails" -ne 0 ]; then
  echo "prove-mutants: $fails mutant(s) not caught" >&2
  exit 1
fi
echo "prove-mutants: 3 of 3 mutants caught (the gate fails on a false lemma, a weakened invariant, wrong code)"
