#!/usr/bin/env python3
"""proofs/gate.py - the proof gate: decides from WP's JSON reports, never from exit codes.

Usage (normally through proofs/prove.sh):
  gate.py [--check] --results DIR --status FILE [--previous DIR] [unit ...]

Fails (exit 1, one line per problem, naming unit and goal) when
  * a goal is not proved and is not listed in proofs/TRUST.md (table `| goal | unit | reason |`);
  * a goal named Vacuity_* (deliberately false) IS proved: the hypotheses are inconsistent;
    a vacuity unit (name starting with `vacuity`) without such a goal also fails;
  * an `axiom` / `admit` in specs/, proofs/ or a unit's sources is not listed in TRUST.md
    (table `| axiom | file | reason |`);
  * --check: a unit's goals or their proved status differ from the committed
    proofs/results/<unit>.json (timings, ranks and winning provers are ignored), or a unit
    listed in units.conf has no report.
Writes FILE (STATUS.md): per unit proved/total and the prover(s) that closed each goal.
Python 3 standard library only.
"""
import argparse
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROOFS = os.path.join(ROOT, "proofs")
VACUITY = re.compile(r"Vacuity_")


def rel(p):
    return os.path.relpath(p, ROOT)


def read_units():
    """units.conf -> list of (name, model, sources)."""
    units = []
    with open(os.path.join(PROOFS, "units.conf"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            main = line.split(" -- ", 1)[0].split()
            units.append((main[0], main[1], main[2:]))
    return units


def goals_of(report_path):
    """JSON report -> {goal: {"proved": bool, "provers": [..], "total": n}}.
    A goal is a leaf object holding a "wp:main" entry; keys "wp:*" are aggregates."""
    with open(report_path, encoding="utf-8") as f:
        data = json.load(f)
    goals = {}

    def walk(node, key):
        if not isinstance(node, dict):
            return
        if "wp:main" in node and key is not None and not key.startswith("wp:"):
            main = node["wp:main"]
            total = int(main.get("total", 0))
            valid = int(main.get("valid", 0))
            provers = sorted(p for p, r in node.items()
                             if p != "wp:main" and isinstance(r, dict) and r.get("valid", 0) > 0)
            if key in goals:  # same name twice in one unit: keep it strict
                goals[key]["proved"] = goals[key]["proved"] and total > 0 and valid == total
            else:
                goals[key] = {"proved": total > 0 and valid == total,
                              "provers": provers, "total": total}
            return
        for k, v in node.items():
            if k in ("wp:global",):
                continue
            walk(v, k)

    walk(data, None)
    return goals


def md_tables(path):
    """Markdown tables of TRUST.md -> {header tuple: [row tuples]}."""
    tables, header, rows = {}, None, None
    if not os.path.exists(path):
        return tables
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = line.strip()
            if not s.startswith("|"):
                header = None
                continue
            cells = tuple(c.strip() for c in s.strip("|").split("|"))
            if header is None:
                header = tuple(c.lower() for c in cells)
                rows = tables.setdefault(header, [])
            elif all(re.fullmatch(r":?-+:?", c) for c in cells):
                continue
            else:
                rows.append(cells)
    return tables


def strip_ticks(s):
    return s.strip().strip("`").strip()


AXIOM = re.compile(r"\b(axiom|admit\s+lemma)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:\{[^}]*\})?\s*:")


def find_axioms(extra_files):
    """Every `axiom NAME:` / `admit lemma NAME:` in specs/, proofs/ and the units' sources."""
    files = set()
    for top in ("specs", "proofs"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames[:] = [d for d in dirnames if d not in ("cache", "results", ".cache-local")]
            for fn in filenames:
                if fn.endswith((".acsl", ".h", ".c", ".v")):
                    files.add(os.path.join(dirpath, fn))
    files.update(os.path.join(ROOT, p) for p in extra_files)
    found = []
    for p in sorted(files):
        if not os.path.exists(p):
            continue
        with open(p, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in AXIOM.finditer(text):
            found.append((m.group(2), rel(p), text.count("\n", 0, m.start()) + 1))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--results", required=True)
    ap.add_argument("--status", required=True)
    ap.add_argument("--previous", help="earlier results, for an informative drift listing")
    ap.add_argument("units", nargs="*")
    a = ap.parse_args()

    conf = read_units()
    by_name = {u[0]: u for u in conf}
    # Every unit of units.conf is judged (the units just run and the reports left by earlier
    # runs alike), so a partial run cannot hide a failing unit; STATUS.md covers them all.
    errors, notes = [], []
    for u in a.units:
        if u not in by_name:
            errors.append(f"unit '{u}' is not in proofs/units.conf")
    units = [u[0] for u in conf]


    trust = md_tables(os.path.join(PROOFS, "TRUST.md"))
    trusted_goals = {}
    for row in trust.get(("goal", "unit", "reason"), []):
        if len(row) >= 3 and strip_ticks(row[0]):
            trusted_goals[(strip_ticks(row[1]), strip_ticks(row[0]))] = row[2].strip()
    trusted_axioms = {}
    for row in trust.get(("axiom", "file", "reason"), []):
        if len(row) >= 3 and strip_ticks(row[0]):
            trusted_axioms[(strip_ticks(row[0]), strip_ticks(row[1]))] = row[2].strip()

    results = {}
    used_trust = set()
    for u in units:
        if u not in by_name:
            continue
        path = os.path.join(a.results, u + ".json")
        if not os.path.exists(path):
            errors.append(f"unit '{u}': no report {rel(path)}")
            continue
        try:
            goals = goals_of(path)
        except (OSError, ValueError) as e:
            errors.append(f"unit '{u}': unreadable report {rel(path)}: {e}")
            continue
        results[u] = goals
        if not goals:
            errors.append(f"unit '{u}': the report holds no goal")
        vac = [g for g in goals if VACUITY.search(g)]
        if u.startswith("vacuity") and not vac:
            errors.append(f"unit '{u}': vacuity unit without any Vacuity_* goal")
        for g, r in sorted(goals.items()):
            if VACUITY.search(g):
                if r["proved"]:
                    errors.append(f"unit '{u}': deliberately false goal {g} was PROVED "
                                  f"(by {', '.join(r['provers']) or 'qed'}): the axioms/contracts "
                                  f"in scope are inconsistent")
                continue
            if not r["proved"]:
                why = trusted_goals.get((u, g))
                if why:
                    used_trust.add((u, g))
                    notes.append(f"unit '{u}': goal {g} not proved, trusted: {why}")
                else:
                    errors.append(f"unit '{u}': goal {g} NOT PROVED and not listed in "
                                  f"proofs/TRUST.md (| goal | unit | reason |)")
        # drift against the committed results
        committed = os.path.join(PROOFS, "results", u + ".json")
        ref = committed if a.check else (os.path.join(a.previous, u + ".json") if a.previous else None)
        if ref and os.path.abspath(ref) != os.path.abspath(path):
            if not os.path.exists(ref):
                if a.check:
                    errors.append(f"unit '{u}': no committed {rel(committed)}; run `make prove` "
                                  f"and commit proofs/results/ and proofs/cache/")
            else:
                old = goals_of(ref)
                diffs = []
                for g in sorted(set(old) | set(goals)):
                    if g not in goals:
                        diffs.append(f"goal {g} disappeared")
                    elif g not in old:
                        diffs.append(f"new goal {g} (proved={goals[g]['proved']})")
                    elif old[g]["proved"] != goals[g]["proved"]:
                        diffs.append(f"goal {g}: proved {old[g]['proved']} -> {goals[g]['proved']}")
                for d in diffs:
                    (errors if a.check else notes).append(
                        f"unit '{u}': drift from committed results: {d}")

    for (u, g), why in sorted(trusted_goals.items()):
        if (u, g) not in used_trust and u in results:
            notes.append(f"TRUST.md lists goal {g} of unit '{u}', which is proved or absent: "
                         f"remove the entry")

    srcs = [s for u in conf for s in u[2]]
    axioms = find_axioms(srcs)
    for name, path, line in axioms:
        if (name, path) not in trusted_axioms:
            errors.append(f"axiom {name} ({path}:{line}) is not listed in proofs/TRUST.md "
                          f"(| axiom | file | reason |)")

    if not any(VACUITY.search(g) for gs in results.values() for g in gs):
        errors.append("no Vacuity_* goal was run: the vacuity units must be part of every run")

    write_status(a.status, results, by_name, trusted_goals, axioms, a.check)

    for n in notes:
        print("gate: note:", n)
    total = sum(len(g) for g in results.values())
    proved = sum(1 for gs in results.values() for r in gs.values() if r["proved"])
    if errors:
        for e in errors:
            print("gate: FAIL:", e, file=sys.stderr)
        print(f"gate: FAILED ({len(errors)} problem(s)); {proved}/{total} report entries proved",
              file=sys.stderr)
        return 1
    vac = sum(1 for gs in results.values() for g in gs if VACUITY.search(g))
    print(f"gate: OK: {proved}/{total} report entries proved in {len(results)} unit(s); "
          f"{vac} deliberately false goal(s) unproved as required; "
          f"{len(axioms)} axiom(s), all listed in TRUST.md; status in {rel(a.status)}")
    return 0


def write_status(path, results, by_name, trusted, axioms, check):
    lines = ["# Proof status (generated by proofs/gate.py; do not edit)", ""]
    tpath = os.path.join(PROOFS, "TIMINGS.md")
    if os.path.exists(tpath):
        with open(tpath, encoding="utf-8") as f:
            body = f.read().strip().splitlines()
        lines += [l for l in body if not l.startswith("# ")] + [""]
    lines += ["Counts are report entries (one per property, e.g. a loop invariant, whose WP goals"
              " - established + preserved - are all proved); the last column counts WP goals.", "",
              "| unit | model | proved / total | deliberately false (must fail) | trusted | WP goals |",
              "|---|---|---|---|---|---|"]
    for u, goals in results.items():
        real = {g: r for g, r in goals.items() if not VACUITY.search(g)}
        vac = [g for g in goals if VACUITY.search(g)]
        pr = sum(1 for r in real.values() if r["proved"])
        tr = sum(1 for g, r in real.items() if not r["proved"] and (u, g) in trusted)
        lines.append(f"| {u} | {by_name[u][1]} | {pr} / {len(real)} | "
                     f"{sum(1 for g in vac if not goals[g]['proved'])} / {len(vac)} unproved | {tr} | "
                     f"{sum(r['total'] for r in goals.values())} |")
    lines += ["", f"Axioms in specs/ and proofs/: {len(axioms)}"
              + ("" if not axioms else " (" + ", ".join(a[0] for a in axioms) + ")"), ""]
    for u, goals in results.items():
        lines += [f"## {u}", "", "| goal | status | closed by |", "|---|---|---|"]
        for g, r in sorted(goals.items()):
            if VACUITY.search(g):
                st = "PROVED (inconsistent!)" if r["proved"] else "unproved (required)"
            elif r["proved"]:
                st = "proved"
            else:
                st = "trusted" if (u, g) in trusted else "NOT PROVED"
            prov = ", ".join(p.split(":")[0] for p in r["provers"]) or "-"
            lines.append(f"| `{g}` | {st} | {prov} |")
        lines.append("")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
