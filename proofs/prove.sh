#!/usr/bin/env bash
# proofs/prove.sh — runs Frama-C/WP on every unit of proofs/units.conf, then the gate.
#
#   proofs/prove.sh [unit ...]          full run: WP cache "update" (reuse proofs/cache, run the
#                                       provers on what is missing, store it), reports written to
#                                       proofs/results/<unit>.json, STATUS.md regenerated
#   proofs/prove.sh --check [unit ...]  CI (make test): WP cache "offline" (the committed cache
#                                       only: no prover runs, a goal missing from it is not
#                                       proved, and never write the cache);
#                                       reports go to proofs/.cache-local/results/ and must
#                                       match the committed proofs/results/ exactly (goals and
#                                       proved status), else the gate fails
#   proofs/prove.sh --cold [unit ...]   from scratch (make prove-cold): an empty scratch cache
#                                       in proofs/.cache-local/, every goal sent to the provers;
#                                       reports in proofs/.cache-local/cold/ (the committed
#                                       proofs/ are left alone), gated like a full run
#
# The verdict comes from proofs/gate.py reading the JSON reports: frama-c exits 0 even when
# goals fail, so its exit status is only used to detect crashes (parse errors, missing tools).
# Runs on a fresh Debian 12 machine after `make deps`: the Why3 configuration is regenerated
# here on every run (never ~/.why3.conf).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

MODE=update
case "${1:-}" in --check) MODE=check; shift ;; --cold) MODE=cold; shift ;; esac
ONLY=("$@")

LOCAL=proofs/.cache-local               # scratch space, git-ignored
mkdir -p "$LOCAL" proofs/results proofs/cache
CACHE=proofs/cache
case "$MODE" in
  check) OUT=$LOCAL/results ;;
  cold) OUT=$LOCAL/cold; CACHE=$LOCAL/cold-cache; rm -rf "$OUT" "$CACHE"; mkdir -p "$CACHE" ;;
  *) OUT=proofs/results ;;
esac
mkdir -p "$OUT" "$LOCAL/logs"
# Full and cold runs: the gate lists what changed against the committed reports (informative).
rm -rf "$LOCAL/previous"; mkdir -p "$LOCAL/previous"
[ "$MODE" = check ] || cp proofs/results/*.json "$LOCAL/previous/" 2>/dev/null || true

for tool in frama-c why3 z3 cvc4 cvc5 gappa python3 ocamlfind; do
  command -v "$tool" >/dev/null || { echo "prove.sh: '$tool' not found; run 'make deps'" >&2; exit 2; }
done

# ---- project-local Why3 configuration -------------------------------------------------------
# `why3 config detect` finds Z3, CVC4, Gappa (and Coq, unused); why3 1.5.1 has no detection
# entry for cvc5, so it is registered by hand.  why3 1.5.1 ships no cvc5 driver: cvc4_16 is the
# CVC4 >= 1.6 driver with the SMT-LIB floating-point theory and the explicit logic
# AUFBVFPDTNIRA, which cvc5 1.0.3 accepts (cvc4_17 sets ALL_SUPPORTED, which cvc5 rejects).
export WHY3CONFIG=$ROOT/proofs/why3.conf
rm -f "$WHY3CONFIG"
why3 config detect >"$LOCAL/logs/why3-detect.log" 2>&1
cat >>"$WHY3CONFIG" <<'CONF'

[prover]
command = "/usr/bin/cvc5 --tlimit=%t000 --lang=smt2 %f"
command_steps = "/usr/bin/cvc5 --rlimit=%S --lang=smt2 %f"
driver = "cvc4_16"
name = "CVC5"
shortcut = "cvc5"
version = "1.0.3"
CONF
cvc5 --version | grep -q 'cvc5 version 1.0.3' ||
  echo "prove.sh: warning: cvc5 is not 1.0.3; the hand-made entry in $WHY3CONFIG says 1.0.3" >&2

# ---- proofs/wp_poll.ml, compiled once per run ---------------------------------------------------
# Frama-C's -load-script would compile it in every frama-c process, into proofs/, and
# parallel units then race on the object files (measured): compile it once here instead.
rm -rf "$LOCAL/wp_poll"; mkdir -p "$LOCAL/wp_poll"; cp proofs/wp_poll.ml "$LOCAL/wp_poll/"
(cd "$LOCAL/wp_poll" &&
  ocamlfind ocamlopt -shared -I "$(frama-c -print-lib-path)" -package unix -o wp_poll.cmxs \
    wp_poll.ml) >"$LOCAL/logs/wp_poll.log" 2>&1 ||
  { echo "prove.sh: cannot compile proofs/wp_poll.ml; run 'make deps':" >&2;
    cat "$LOCAL/logs/wp_poll.log" >&2; exit 2; }

# ---- every WP option, in one place ----------------------------------------------------------
# One prover process at a time: provers are then tried in list order, so the cache records the
# same winner on every machine and --check looks up exactly that entry (with more, --check
# would also hash the task for the provers racing beside it: measured 10 s -> 17 s CPU on
# ref_qmat for nothing).
PAR=${VF_WP_PAR:-1}
COMMON=(
  -wp                              # the WP plugin
  -wp-rte                          # generate and prove runtime-error guards (RTE plugin) ...
  -warn-unsigned-overflow          # ... including unsigned wrap-around ...
  -warn-unsigned-downcast          # ... and narrowing conversions to unsigned types
  -wp-par "$PAR"                   # parallel prover processes (see PAR above)
  -wp-cache-dir "$CACHE"           # committed WP cache (proofs/cache; scratch for --cold)
  -wp-no-warn-memory-model         # quiet: separation hypotheses are in the contracts
  -load-module "$LOCAL/wp_poll/wp_poll.cmxs"  # poll proof tasks every 5 ms, not 50 (below)
)
if [ "$MODE" = check ]; then
  # The committed cache is the record of a full run (`make prove`), which CI does not repeat:
  # a goal whose task is not in it (code or specs changed without a full run) is reported
  # not proved and the gate fails, instead of CI re-proving it ("replay" mode would).
  COMMON+=(-wp-cache offline)      # use the cache only, never run a prover, never write it
else
  COMMON+=(-wp-cache update)       # use the cache, run provers on misses, store new results
fi
# Provers after Qed (always first).  Pure-real units: Z3 and CVC4 close most goals, CVC5 some
# (Z3 sometimes answers "Unknown error" on goals CVC4 closes: keep all three).  Float units:
# CVC5 is the only one with a working IEEE float theory here (Debian's CVC4 lacks it, Z3 runs
# out of memory on float goals), Z3 closes the pointer/index goals, Gappa the odd float bound.
PROVERS_real=(-wp-prover qed,z3,cvc4,cvc5)
PROVERS_float=(-wp-prover qed,cvc5,z3,gappa)
# -wp-model real: floats read as unbounded reals.  UNSOUND for float code; used ONLY for units
# declared `real` in units.conf, whose code is pure real-valued theory (lemma functions).
# Prover timeout per goal, per model: 5 s for the pure-real units (their slowest proof takes
# 3.4 s, cold run 2026-11-24), 10 s for code.  A vacuity unit gets the budget of the proof
# units of its model: the false statements are tried exactly as hard as the true ones.  A
# shorter timeout can only make the gate fail, never pass.
MODEL_real=(-wp-model real -wp-timeout 5)
MODEL_float=(-wp-timeout 10)       # WP default: typed memory model, IEEE float model

# ---- run the units -------------------------------------------------------------------------
# Units run as separate frama-c processes, JOBS at a time.  Full runs: one per core, at most 2
# (each unit's WP generation and Qed simplification is single-threaded, so the biggest unit
# runs beside the rest).  Each unit runs one prover at a time (PAR=1), so with one unit
# per core a prover never shares its core and a timeout does not depend on a neighbour's load:
# the cache records the same outcomes as a one-unit-at-a-time run (a full run used JOBS=1
# until the cold run had to fit 15 min).  Summaries print in units.conf order.
# --check runs no prover, so no outcome depends on load: it runs two units per core, which
# keeps both cores busy while a unit waits on its task loop (2 min 25 s, proofs/TIMINGS.md).
NCPU=$(nproc 2>/dev/null || echo 1)
if [ "$MODE" = check ]; then DEFJOBS=$((2 * NCPU)); else DEFJOBS=$((NCPU >= 2 ? 2 : 1)); fi
JOBS=${VF_PROVE_JOBS:-$DEFJOBS}
run_unit() { # unit model report log -- frama-c arguments
  local unit=$1 model=$2 report=$3 log=$4; shift 5
  local t0 t1 rc=0 summary
  t0=$(date +%s)
  frama-c "$@" -wp-report-json "$report" >"$log" 2>&1 || rc=$?
  t1=$(date +%s)
  summary=$(grep -E '^\[wp\] Proved goals:' "$log" | tail -1 || true)
  printf '%-14s %-5s %4ss  %s\n' "$unit" "$model" "$((t1 - t0))" "${summary:-(no summary)}" \
    >"$log.summary"
  echo "$rc" >"$log.rc"
}
units_run=()
crash=0
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%%$'\r'}
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  main=${line%% -- *}; extra=""
  [ "$main" != "$line" ] && extra=${line#* -- }
  read -r -a words <<<"$main"
  unit=${words[0]}; model=${words[1]:-}; srcs=("${words[@]:2}")
  if [ ${#ONLY[@]} -gt 0 ] && [[ ! " ${ONLY[*]} " =~ " $unit " ]]; then continue; fi
  case "$model" in
    real)  model_flags=("${MODEL_real[@]}");  prover_flags=("${PROVERS_real[@]}") ;;
    float) model_flags=("${MODEL_float[@]}"); prover_flags=("${PROVERS_float[@]}") ;;
    *) echo "prove.sh: unit '$unit': model must be real or float, got '$model'" >&2; exit 2 ;;
  esac
  [ ${#srcs[@]} -gt 0 ] || { echo "prove.sh: unit '$unit' has no sources" >&2; exit 2; }
  eval "extra_flags=($extra)"        # units.conf is part of the repository (trusted input)
  report=$OUT/$unit.json
  log=$LOCAL/logs/$unit.log
  rm -f "$report" "$log.summary" "$log.rc"
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  run_unit "$unit" "$model" "$report" "$log" -- "${srcs[@]}" "${COMMON[@]}" "${model_flags[@]}" \
    "${prover_flags[@]}" "${extra_flags[@]}" &
  units_run+=("$unit")
done < proofs/units.conf
wait
for unit in "${units_run[@]}"; do
  log=$LOCAL/logs/$unit.log
  cat "$log.summary" 2>/dev/null || echo "$unit: (no summary)"
  rc=$(cat "$log.rc" 2>/dev/null || echo 99)
  if [ "$rc" -ne 0 ] || [ ! -s "$OUT/$unit.json" ]; then
    echo "prove.sh: frama-c failed on unit '$unit' (exit $rc); see $log:" >&2
    tail -20 "$log" >&2
    crash=1
  fi
done
[ $crash -eq 0 ] || exit 1

# ---- Coq models of the axioms (proofs/coq/*.v), checked stand-alone -------------------------
# Every ACSL `axiom` of specs/ must be a Theorem of the same name in proofs/coq/ (a model: the
# axioms are consistent and true of the intended functions, see TRUST.md); no Admitted / Axiom /
# Parameter there.  Compiled in scratch space so no .vo/.glob lands in the tree.  Failure stops
# the run before the gate.
command -v coqc >/dev/null || { echo "prove.sh: 'coqc' not found; run 'make deps'" >&2; exit 2; }
rm -rf "$LOCAL/coq"; mkdir -p "$LOCAL/coq"; cp proofs/coq/*.v "$LOCAL/coq/"
if grep -nE '\b(Admitted|admit|Axiom|Axioms|Parameter|Hypothesis|Conjecture)\b' proofs/coq/*.v; then
  echo "prove.sh: proofs/coq/ must prove everything (no Admitted/Axiom/Parameter)" >&2; exit 1
fi
for ax in $(grep -hoE '\baxiom[[:space:]]+[A-Za-z_][A-Za-z0-9_]*[[:space:]]*:' -r specs | tr -d ':' | awk '{print $2}'); do
  grep -qE "^Theorem[[:space:]]+$ax[[:space:]]*:" proofs/coq/*.v ||
    { echo "prove.sh: axiom $ax of specs/ has no Coq model (Theorem $ax) in proofs/coq/" >&2; exit 1; }
done
for v in "$LOCAL"/coq/*.v; do
  (cd "$LOCAL/coq" && coqc -q "$(basename "$v")") >"$LOCAL/logs/coq.log" 2>&1 ||
    { echo "prove.sh: coqc failed on proofs/coq/$(basename "$v"):" >&2; cat "$LOCAL/logs/coq.log" >&2; exit 1; }
done
echo "coq models: $(ls proofs/coq/*.v | wc -l) file(s) checked by coqc"

# ---- gate -----------------------------------------------------------------------------------
if [ "$MODE" = check ]; then
  exec python3 proofs/gate.py --check --results "$OUT" --status "$LOCAL/STATUS.md" "${units_run[@]}"
fi
# A cold run leaves the committed STATUS.md alone, like the rest of proofs/.
STATUS=proofs/STATUS.md; [ "$MODE" = cold ] && STATUS=$LOCAL/STATUS-cold.md
exec python3 proofs/gate.py --results "$OUT" --previous "$LOCAL/previous" --status "$STATUS" \
  "${units_run[@]}"
