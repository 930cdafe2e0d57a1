#!/usr/bin/env python3
"""mk/bench_table.py CSV [CSV ...] — the README performance table from vf_bench CSV files.

`make bench` writes build/bench.csv; `make bench-table` (or this script by hand, e.g. adding a
second CSV measured with OPENBLAS_CORETYPE=SkylakeX) rewrites the README section between
<!-- bench:begin --> and <!-- bench:end -->.  One row per benchmark group (kernel, shape,
OpenBLAS configuration): our dispatched kernel (the group's first "ours" variant), its ratio to
the group's roofs (roof time / our time) and to every peer (peer time / our time, medians of the
same run), the worst measured ULP of the kernel (tests/data/accuracy.tsv) and the PERFORMANCE.md
target with met / missed.  Runs marked not reportable (fewer than 21 rounds) are refused.
"""
import csv
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, "README.md")
ACC = os.path.join(ROOT, "tests", "data", "accuracy.tsv")

# PERFORMANCE.md targets: (kernel prefix, shape substring, ratio column, min, peer, peer min)
# ratio column is "roof" or "roof2" of the group; None = no roof target.
TARGETS = [
    ("softmax", "DRAM", "roof", 0.95, "onednn", 2.5),
    ("softmax", "", "roof2", 0.65, "onednn", 2.5),
    ("relu_oop", "DRAM", "roof", 0.95, "onednn", 1.2),
    ("relu_inplace", "DRAM", "roof", 0.95, "onednn", 1.2),
    ("relu_2t", "", "roof", 0.9, None, None),
    ("logsumexp", "DRAM", "roof", 0.65, None, None),
    ("lorentz", "d=64", "roof", 0.9, None, None),
    ("lorentz", "d=16", "roof", 0.6, None, None),
    ("colu", "d=64", "roof", 0.9, None, None),
    ("colu", "d=16", "roof", 0.6, None, None),
    ("attention", "causal", "roof", 0.65, None, None),
    ("attention", "", "roof", 0.75, "onednn", 1.0),
    ("linear_attention q_kv", "", "roof", 0.75, None, None),
    ("lstsq", "4096x64", "roof", 0.35, "sgels", 2.0),
    ("lstsq", "", None, None, "sgels", 2.0),
]
# Further peer minimums (issue 6 "Done when": the softmax at least as fast as every peer,
# including the classic AVX-512 baseline of PERFORMANCE.md).
PEER_MINIMUMS = {"softmax": [("classic", 1.0)]}


def target(kernel, shape):
    for k, s, col, mn, peer, pmin in TARGETS:
        if kernel.startswith(k) and s in shape:
            return col, mn, peer, pmin
    return None


def worst_ulp():
    worst = {}
    if os.path.exists(ACC):
        for line in open(ACC):
            if line.startswith("#"):
                continue
            f = line.rstrip("\n").split("\t")
            worst[f[0]] = max(worst.get(f[0], 0.0), float(f[3]))
    return worst


def ulp_of(kernel, worst):
    best = None
    for k in worst:  # longest accuracy-table kernel name that prefixes the bench kernel
        if kernel.startswith(k) and (best is None or len(k) > len(best)):
            best = k
    if not best:
        return "-"
    v = worst[best]
    return f"{v:.2f}" if v < 1000 else f"{v:.2g}"


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: mk/bench_table.py CSV [CSV ...]")
    # A group measured again in a later CSV replaces the earlier one (e.g. the committed full
    # run followed by a re-run of one kernel with --filter).
    groups, meta = {}, {}
    for path in sys.argv[1:]:
        fresh = {}
        for r in csv.DictReader(open(path)):
            if r["reportable"] != "1":
                sys.exit(f"bench_table.py: {path}: {r['kernel']} {r['shape']} is not reportable "
                         "(run at least 21 rounds, without --quick)")
            blas = re.sub(r"\s+", " ", r["openblas"]).strip()
            key = (r["kernel"], r["shape"], blas)
            fresh.setdefault(key, []).append(r)
        for key, rows in fresh.items():
            groups[key] = rows
    for rows in groups.values():
        r = rows[0]
        meta[(r["date"][:10], r["onednn"], re.sub(r"\s+", " ", r["openblas"]).strip())] = 1
    worst = worst_ulp()
    lines = ["| kernel | shape | ISA | roof ratio | peer ratios | max ULP | target |",
             "|---|---|---|---|---|---|---|"]
    for (kernel, shape, blas), rows in groups.items():
        ours = next((r for r in rows if r["role"] == "ours"), None)
        if ours is None:
            continue
        t_ours = float(ours["median_ms"])
        roofs = []
        for col in ("roof", "roof2"):
            if ours[col] != "-":
                roofs.append(f"{float(ours[col + '_ratio']):.2f}× {ours[col]}")
        peers = {r["variant"]: float(r["median_ms"]) / t_ours for r in rows if r["role"] == "peer"}
        peer_txt = ", ".join(f"{v:.2f}× {k}" for k, v in peers.items()) or "-"
        if "SkylakeX" in blas or "SKYLAKEX" in blas.upper():
            peer_txt += " (OpenBLAS SkylakeX)"
        tgt = target(kernel, shape)
        verdict = "-"
        if tgt:
            col, mn, peer, pmin = tgt
            parts = []
            if col and ours[col] != "-":
                v = float(ours[col + "_ratio"])
                parts.append(f"{v:.2f}× {ours[col]} {'≥' if v >= mn else '<'} {mn} "
                             f"{'met' if v >= mn else 'MISSED'}")
            if peer and peer in peers:
                v = peers[peer]
                parts.append(f"{v:.2f}× {peer} {'≥' if v >= pmin else '<'} {pmin} "
                             f"{'met' if v >= pmin else 'MISSED'}")
            if parts:
                verdict = "; ".join(parts)
        for peer, pmin in PEER_MINIMUMS.get(kernel, []):
            if peer in peers:
                v = peers[peer]
                item = (f"{v:.2f}× {peer} {'≥' if v >= pmin else '<'} {pmin} "
                        f"{'met' if v >= pmin else 'MISSED'}")
                verdict = item if verdict == "-" else verdict + "; " + item
        lines.append(f"| {kernel} | {shape} | {ours['isa']} | {'; '.join(roofs) or '-'} | "
                     f"{peer_txt} | {ulp_of(kernel, worst)} | {verdict} |")
    head = ["Generated by `mk/bench_table.py` from `make bench` output; " +
            "; ".join(f"{d}, oneDNN {o}, {b}" for d, o, b in sorted(meta)) +
            ". Ratios are medians of the same run (roof or peer time / our time; > 1 means "
            "faster than the peer), 1 thread unless the kernel name says 2t.", ""]
    text = open(README).read()
    pat = re.compile(r"(<!-- bench:begin -->\n).*?(<!-- bench:end -->)", re.S)
    body = "\n".join(head + lines) + "\n"
    if not pat.search(text):
        print(body)
    else:
        open(README, "w").write(pat.sub(lambda m: m.group(1) + body + m.group(2), text))
        print(f"bench_table.py: {len(lines) - 2} rows written to README.md")


main()
