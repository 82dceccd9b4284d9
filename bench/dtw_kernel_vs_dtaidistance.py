#!/usr/bin/env python3
"""Side-by-side DTW kernel benchmark (issue 18): every distance computed in full, no pruning.

1. One pattern against many: 100,000 random walks x 256, window 0.1 (26 cells).
   Playbook `dtw distances` against dtaidistance's `distance_matrix_fast` with a one-row block.
2. All pairs: 1,000 random walks x 256, window 0.1. Playbook `dtw matrix` against
   `distance_matrix_fast` (compact upper triangle).

Both sides on both cores (dtaidistance with OpenMP). Compute against compute (Playbook's
`seconds` in its JSON, dtaidistance timed around the call) and whole command against whole
script (read the Parquet, compute, write the table). Runs alternate; medians are printed. The
distances must be identical (asserted).

usage: bench/dtw_kernel_vs_dtaidistance.py [--runs 5] [--series 100000] [--pairs-series 1000]
                                           [--playbook PATH]
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from dtaidistance import dtw

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--series", type=int, default=100_000)
ap.add_argument("--pairs-series", type=int, default=1_000)
ap.add_argument("--length", type=int, default=256)
ap.add_argument("--window", type=float, default=0.1)
ap.add_argument("--playbook", default=os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
args = ap.parse_args()

tmp = tempfile.mkdtemp(prefix="dtw-bench-")
env = dict(os.environ, PLAYBOOK_HOME=os.path.join(tmp, "home"))
cells = round(args.window * args.length)
# dtaidistance's window counts the diagonal itself: Playbook's w cells = window w + 1.
dtai_window = cells + 1


def walks(n, seed):
    rng = np.random.default_rng(seed)
    x = np.cumsum(rng.standard_normal((n, args.length)), axis=1)
    path = os.path.join(tmp, f"walks{n}.parquet")
    cols = {"id": pa.array([f"s{i}" for i in range(n)])}
    for j in range(args.length):
        cols[f"t{j}"] = pa.array(x[:, j])
    pq.write_table(pa.table(cols), path)
    return path


def read(path):
    t = pq.read_table(path)
    ids = t.column("id").to_pylist()
    x = np.column_stack([t.column(f"t{j}").to_numpy() for j in range(args.length)])
    return ids, np.ascontiguousarray(x)


def playbook(cmd):
    t = time.perf_counter()
    out = subprocess.run([args.playbook, "dtw", *cmd, "--json"], check=True,
                         capture_output=True, env=env)
    whole = time.perf_counter() - t
    return json.loads(out.stdout)["seconds"], whole


def dtai_one(path, out):
    t0 = time.perf_counter()
    ids, x = read(path)
    t1 = time.perf_counter()
    d = np.array(dtw.distance_matrix_fast(x, window=dtai_window, block=((0, 1), (0, len(x))),
                                          compact=True))
    t2 = time.perf_counter()
    # The pattern against itself is not in the block: it is distance 0.
    d = np.concatenate([[0.0], d])
    order = np.argsort(d, kind="stable")
    pq.write_table(pa.table({"id": pa.array([ids[k] for k in order]),
                             "distance": pa.array(d[order])}), out)
    return t2 - t1, time.perf_counter() - t0, d


def dtai_pairs(path, out):
    t0 = time.perf_counter()
    ids, x = read(path)
    t1 = time.perf_counter()
    d = np.array(dtw.distance_matrix_fast(x, window=dtai_window, compact=True))
    t2 = time.perf_counter()
    n = len(ids)
    a, b = np.triu_indices(n, 1)
    names = np.array(ids, dtype=object)
    pq.write_table(pa.table({"a": pa.array(names[a]), "b": pa.array(names[b]),
                             "distance": pa.array(d)}), out)
    return t2 - t1, time.perf_counter() - t0, d


def compare(name, pb_out, dtai_d, key):
    t = pq.read_table(pb_out)
    if key == "one":
        ids = t.column("id").to_pylist()
        ours = dict(zip(ids, t.column("distance").to_numpy()))
        mine = np.array([ours[f"s{i}"] for i in range(len(dtai_d))])
    else:
        mine = t.column("distance").to_numpy()
    same = int(np.sum(mine == dtai_d))
    worst = float(np.max(np.abs(mine - dtai_d)))
    assert worst <= 1e-9, f"{name}: distances differ by {worst}"
    return same, len(dtai_d), worst


def bench(name, data, pb_cmd, dtai_fn, key):
    pb_c, pb_w, dt_c, dt_w = [], [], [], []
    pb_out, dt_out = os.path.join(tmp, f"{key}-pb.parquet"), os.path.join(tmp, f"{key}-dt.parquet")
    for _ in range(args.runs):
        c, w = playbook([*pb_cmd, "--out", pb_out])
        pb_c.append(c)
        pb_w.append(w)
        c, w, d = dtai_fn(data, dt_out)
        dt_c.append(c)
        dt_w.append(w)
    same, total, worst = compare(name, pb_out, d, key)
    m = statistics.median
    print(f"\n{name}")
    print(f"  identical distances: {same:,} of {total:,} (largest difference {worst:g})")
    print(f"  {'':<9} {'Playbook':>10} {'dtaidistance':>13} {'ratio':>7}")
    print(f"  {'compute':<9} {m(pb_c):>9.3f}s {m(dt_c):>12.3f}s {m(dt_c) / m(pb_c):>6.1f}x")
    print(f"  {'whole':<9} {m(pb_w):>9.3f}s {m(dt_w):>12.3f}s {m(dt_w) / m(pb_w):>6.1f}x")


print(f"DTW, every distance in full, {args.length} points, window {args.window} "
      f"({cells} cells), {args.runs} runs each, alternating, on {os.cpu_count()} cores")
many = walks(args.series, 1)
bench(f"one against many: {args.series:,} series", many,
      ["distances", "--input", many, "--pattern", "s0", "--window", str(args.window)],
      dtai_one, "one")
pairs = walks(args.pairs_series, 2)
bench(f"all pairs: {args.pairs_series:,} series", pairs,
      ["matrix", "--input", pairs, "--window", str(args.window)], dtai_pairs, "pairs")
