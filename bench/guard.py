#!/usr/bin/env python3
"""The regression guard: the key side-by-side ratios (Playbook against its peer, in one run on
the same data), at sizes that run in a few minutes, printed against the figures committed in
BENCHMARKS.md ("The regression guard" table), with any ratio more than 25% worse flagged.

Each check runs one of the bench scripts in this folder at a small size and reads the ratio it
prints; the scripts themselves are the benchmarks (same data on both sides, medians). A ratio is
"peer seconds / Playbook seconds": higher is better. This is a benchmark, not a test: it exits
0 whatever it finds unless a check cannot run (exit 2), so CI never fails on the noise of a
shared machine; read what it prints.

usage: bench/guard.py [--only NAME[,NAME]] [--playbook PATH] [--tolerance 0.25] [--table]
  --table  print the measured ratios as the Markdown rows BENCHMARKS.md keeps (to commit new
           figures after a change that is meant to move them)
requires: the peers (bench/all.sh installs them in a venv and runs this)
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)

# name, the script and its arguments (sizes picked to run in seconds to a minute each), the
# pattern of the ratio in its output, and what the ratio compares.
CHECKS = [
    ("load", ["load_vs_pandas.py", "--runs", "3", "--csv", "{out}/paysim.csv"],
     r"speed-up, load only \(read_csv / playbook load\): ([\d.]+)x",
     "CSV load, 6.36M PaySim rows: pandas.read_csv / Playbook load"),
    ("sentiment-lr", ["sentiment_vs_python.py", "--logistic-only"],
     r"Playbook ([\d.]+)x faster",
     "logistic regression with its 3-fold grid: scikit-learn / Playbook, same features"),
    ("dtw-one-vs-many", ["dtw_kernel_vs_dtaidistance.py", "--runs", "3", "--series", "20000",
                         "--pairs-series", "200"],
     r"one against many.*?\n.*?\n.*?\n\s+compute\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)x",
     "DTW one pattern against 20,000 series, compute: dtaidistance / Playbook"),
    ("dtw-one-vs-many-whole", ["dtw_kernel_vs_dtaidistance.py", "--runs", "3", "--series",
                               "20000", "--pairs-series", "200"],
     r"one against many.*?\n.*?\n.*?\n.*?\n\s+whole\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)x",
     "the same, whole command against whole script"),
    ("spatial-join", ["spatial_vs_geopandas.py", "--points", "1000000"],
     r"speed-up: [\d.]+x \(join\), ([\d.]+)x \(whole command",
     "1M points x NYC boroughs, whole command: GeoPandas points + sjoin / Playbook"),
    ("forecast", ["forecast_vs_prophet.py", "--stores", "2", "--items", "10"],
     r"speed-up: \d+x \(compute\), (\d+)x \(whole process\)",
     "20 store-item series, whole process: Prophet / Playbook"),
    ("fraud-tree", ["fraud_vs_sklearn.py", "--rows", "1000000"],
     r"speed-up: ([\d.]+)x \(fit against fit\)",
     "decision tree on 1M transactions, fit: scikit-learn / Playbook"),
    ("stock", ["stock_vs_pandas.py", "--stores", "20", "--skus", "200", "--runs", "3"],
     r"ratio pandas / playbook, wall: ([\d.]+)x",
     "stock alerts on 20 stores x 200 SKUs x 365 days, wall: pandas / Playbook"),
]


def committed():
    """The guard's table in BENCHMARKS.md: check name -> ratio."""
    figures = {}
    with open(os.path.join(root, "BENCHMARKS.md"), encoding="utf-8") as f:
        inside = False
        for line in f:
            if line.startswith("## "):
                inside = line.strip() == "## The regression guard"
            m = re.match(r"\|\s*`([\w-]+)`\s*\|\s*([\d.]+)x\s*\|", line) if inside else None
            if m:
                figures[m.group(1)] = float(m.group(2))
    return figures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only")
    ap.add_argument("--tolerance", type=float, default=0.25)
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--playbook", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
    a = ap.parse_args()
    if not os.path.exists(a.playbook):
        sys.exit(f"guard: no Playbook binary at {a.playbook} (cargo build --release first)")
    wanted = set(a.only.split(",")) if a.only else None
    figures = committed()
    out = os.path.join(here, "out")
    os.makedirs(out, exist_ok=True)
    results = []
    cache = {}
    for name, argv, pattern, what in CHECKS:
        if wanted and name not in wanted:
            continue
        cmd = [sys.executable, os.path.join(here, argv[0]), *[x.format(out=out) for x in argv[1:]],
               "--playbook", a.playbook]
        key = tuple(cmd)
        started = time.perf_counter()
        if key not in cache:
            with tempfile.TemporaryDirectory() as home:
                run = subprocess.run(cmd, capture_output=True, text=True,
                                     env=dict(os.environ, PLAYBOOK_HOME=home))
            if run.returncode != 0:
                print(f"guard: {name} failed ({' '.join(cmd)}):\n{run.stderr[-2000:]}",
                      file=sys.stderr)
                sys.exit(2)
            cache[key] = run.stdout
        m = re.search(pattern, cache[key])
        if not m:
            print(f"guard: {name}: no ratio in the output of {argv[0]}:\n{cache[key][-2000:]}",
                  file=sys.stderr)
            sys.exit(2)
        ratio = float(m.group(1))
        results.append((name, ratio, what, time.perf_counter() - started))
        print(f"  ran {name} in {time.perf_counter() - started:.0f} s: {ratio:g}x", flush=True)

    print()
    print(f"{'check':<22} {'committed':>10} {'now':>8} {'change':>8}")
    worse = []
    for name, ratio, what, _ in results:
        before = figures.get(name)
        if before is None:
            print(f"{name:<22} {'-':>10} {ratio:>7.2f}x {'':>8}  (no committed figure)")
            continue
        change = ratio / before - 1
        flag = "  WORSE" if ratio < before * (1 - a.tolerance) else ""
        if flag:
            worse.append(name)
        print(f"{name:<22} {before:>9.2f}x {ratio:>7.2f}x {change * 100:>+7.0f}%{flag}")
    print()
    if worse:
        print(f"{len(worse)} ratio(s) more than {a.tolerance:.0%} worse than committed: "
              f"{', '.join(worse)}. Re-run alone before believing it (the machine is shared).")
    else:
        print(f"no ratio more than {a.tolerance:.0%} worse than committed")
    if a.table:
        print("\n| check | ratio | what it compares |\n|---|---:|---|")
        for name, ratio, what, _ in results:
            print(f"| `{name}` | {ratio:.2f}x | {what} |")


if __name__ == "__main__":
    main()
