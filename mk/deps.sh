#!/usr/bin/env bash
# Installs the Debian 12 packages veriformer needs (DESIGN.md "Dependencies").
# As root: apt-get update once, then install what is missing. Otherwise: print the
# exact command and exit 2, so a non-root user knows what to run.
set -euo pipefail
pkgs=(
  build-essential pkg-config
  libgmp-dev libmpfr-dev libmpfi-dev        # reference number domains
  libcriterion-dev                          # tests
  frama-c-base why3 z3 cvc4 cvc5 gappa coq  # proofs (cvc5 closes IEEE-float goals)
  ocaml-nox ocaml-findlib                   # compile proofs/wp_poll.ml (frama-c -load-script)
  python3 python3-numpy                     # proof gate script; .npy cross-check
  libdnnl-dev libopenblas-dev               # benchmark peers only
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "veriformer: missing Debian packages; run as root:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 2
fi
echo "veriformer: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
