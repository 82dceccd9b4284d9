#!/usr/bin/env python3
"""Side-by-side DTW benchmark: 1-NN classification of UCR GunPoint (150 test x 50 train series
of length 150) with Playbook (`playbook dtw classify`, pruned 1-NN search on all cores) and with
dtaidistance's C library (all 7,500 distances with distance_matrix_fast, then argmin), at several
windows, alternating, N runs each. Prints the error rates (they must agree), the medians and the
ratio of in-process compute times.

usage: bench/dtw_vs_dtaidistance.py [--runs 5] [--playbook PATH]
"""
import argparse
import json
import os
import statistics
import subprocess
import time

import numpy as np
from dtaidistance import dtw

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--playbook", default=os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
args = ap.parse_args()

train_ts = os.path.join(root, "sample-data", "GunPoint_TRAIN.ts")
test_ts = os.path.join(root, "sample-data", "GunPoint_TEST.ts")


def read_ts(path):
    labels, series = [], []
    data = False
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            data = line.lower().startswith("@data") or data
            continue
        values, label = line.rsplit(":", 1)
        series.append([float(v) for v in values.split(",")])
        labels.append(label)
    return np.array(series), labels


train, train_labels = read_ts(train_ts)
test, test_labels = read_ts(test_ts)
stacked = np.vstack([train, test])
n_train = len(train)


def dtai(window_cells):
    # dtaidistance's window counts the diagonal itself: Playbook's w cells = window w + 1.
    t = time.perf_counter()
    m = dtw.distance_matrix_fast(stacked, window=window_cells + 1,
                                 block=((0, n_train), (n_train, len(stacked))), compact=False)
    d = np.array(m)[:n_train, n_train:]
    nearest = np.argmin(d, axis=0)
    seconds = time.perf_counter() - t
    errors = sum(train_labels[k] != l for k, l in zip(nearest, test_labels))
    return seconds, errors


def playbook(fraction):
    out = subprocess.run([args.playbook, "dtw", "classify", "--json", "--window", str(fraction),
                          "--train", train_ts, "--test", test_ts], check=True, capture_output=True)
    v = json.loads(out.stdout)
    return v["seconds"], v["errors"], v["window_cells"]


print(f"GunPoint 1-NN, {len(test)} x {n_train} series of length {train.shape[1]}, "
      f"{args.runs} runs each, alternating, on {os.cpu_count()} cores")
print(f"{'window':>8} {'cells':>6} {'playbook s':>11} {'dtaidistance s':>15} {'ratio':>7} {'errors':>8}")
for fraction in [0.0, 0.05, 0.1, 1.0]:
    pb, dt = [], []
    for _ in range(args.runs):
        s, e_pb, cells = playbook(fraction)
        pb.append(s)
        s, e_dt = dtai(cells)
        dt.append(s)
    assert e_pb == e_dt, f"error counts differ at window {fraction}: {e_pb} vs {e_dt}"
    a, b = statistics.median(pb), statistics.median(dt)
    print(f"{fraction:>8} {cells:>6} {a:>11.4f} {b:>15.4f} {b / a:>6.1f}x {e_pb:>8}")
