#!/usr/bin/env python3
"""Side-by-side load benchmark: `playbook data info FILE` against pandas.read_csv on the same
CSV, each as a fresh process, run alternately N times. Prints wall time and peak memory (max
RSS of the process) per run, the medians, and the ratios.

usage: bench/load_vs_pandas.py [--runs 5] [--csv bench/out/paysim.csv] [--playbook PATH]
The CSV is generated with bench/gen_paysim.py if missing.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--csv", default=os.path.join(here, "out", "paysim.csv"))
ap.add_argument("--playbook", default=os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(here, "..", "target")), "release", "playbook"))
args = ap.parse_args()

if not os.path.exists(args.csv):
    os.makedirs(os.path.dirname(args.csv), exist_ok=True)
    subprocess.run([sys.executable, os.path.join(here, "gen_paysim.py"), args.csv], check=True)

PANDAS = ("import sys, time, pandas as pd; t = time.perf_counter(); df = pd.read_csv(sys.argv[1]); "
          "print(len(df), len(df.columns), round(time.perf_counter() - t, 3))")
tools = {
    "playbook": [args.playbook, "data", "info", args.csv, "--json"],
    "pandas": [sys.executable, "-c", PANDAS, args.csv],
}


def run_rusage(cmd):
    """Wall time and peak RSS (MiB) of one child process."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    out = p.stdout.read().decode()
    if status != 0:
        sys.exit(f"{cmd[0]} failed: {p.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024, out


size = os.path.getsize(args.csv) / 1e6
print(f"file: {args.csv} ({size:.0f} MB), {args.runs} runs each, alternating, on {os.cpu_count()} cores")
results = {k: [] for k in tools}
for i in range(args.runs):
    for name, cmd in tools.items():
        wall, rss, out = run_rusage(cmd)
        if name == "pandas":
            inproc = float(out.split()[-1])
        else:
            inproc = json.loads(out)["load_seconds"]
        results[name].append((wall, rss, inproc))
        print(f"run {i + 1} {name:9s} {wall:6.2f} s process  {inproc:6.2f} s load  {rss:6.0f} MiB peak")
med = {k: [statistics.median(r[j] for r in v) for j in range(3)] for k, v in results.items()}
print()
print(f"{'median':10s} {'process s':>10s} {'load s':>8s} {'peak MiB':>9s}")
for k, (w, r, l) in med.items():
    print(f"{k:10s} {w:10.2f} {l:8.2f} {r:9.0f}")
pb, pd_ = med["playbook"], med["pandas"]
print(f"speed-up, whole process (pandas / playbook): {pd_[0] / pb[0]:.2f}x")
print(f"speed-up, load only (read_csv / playbook load): {pd_[2] / pb[2]:.2f}x")
print(f"memory ratio (playbook / pandas peak RSS): {pb[1] / pd_[1]:.2f}")
