#!/usr/bin/env python3
"""The Data panel's filter and computed column on 6,362,620 transactions, against pandas.

Runs the explore_frame_time bench (the app's chart builder, headless) and pandas on the same
Parquet file, prints both, the ratio of the compute times, and checks the filter keeps the same
rows. Make the file first:

    playbook gen transactions --rows 6362620 --out tx.parquet
    python3 bench/explore_vs_pandas.py tx.parquet
"""
import json
import statistics
import subprocess
import sys
import time

import pandas as pd

FILTER = 'amount > 1e5 and type in ("TRANSFER", "CASH_OUT")'


def median_time(f, runs=5):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main():
    path = sys.argv[1]
    bench = subprocess.run(
        ["cargo", "bench", "--quiet", "--bench", "explore_frame_time", "--", path, "300"],
        check=True, capture_output=True, text=True,
    )
    pb = json.loads(bench.stdout.strip().splitlines()[-1])
    df = pd.read_parquet(path)
    f_s, kept = median_time(
        lambda: len(df[(df.amount > 1e5) & df.type.isin(["TRANSFER", "CASH_OUT"])]))
    q_s, kept_q = median_time(lambda: len(df.query(FILTER)))
    c_s, _ = median_time(lambda: df.newbalanceOrig - df.oldbalanceOrg)
    print(f"pandas {pd.__version__}, {len(df):,} rows")
    print(f"filter {FILTER!r}: Playbook {pb['filter_kernel_s']:.3f} s, "
          f"pandas mask {f_s:.3f} s ({f_s / pb['filter_kernel_s']:.1f}x), "
          f"pandas query {q_s:.3f} s ({q_s / pb['filter_kernel_s']:.1f}x)")
    print(f"rows kept: Playbook {pb['filter_kept']:,}, pandas {kept:,} / {kept_q:,}")
    assert pb["filter_kept"] == kept == kept_q, "the filters disagree"
    print(f"computed column: Playbook {pb['compute_kernel_s']:.3f} s, pandas {c_s:.3f} s "
          f"({c_s / pb['compute_kernel_s']:.1f}x)")
    print("in the app: filter to updated chart "
          f"{pb['filter_to_view_s']:.3f} s, computed column added "
          f"{pb['computed_column_s']:.3f} s, scatter of it drawn "
          f"{pb['scatter_of_computed_to_view_s']:.3f} s")
    for k in ("line_by_type", "filtered_line", "scatter_density"):
        v = pb[k]
        print(f"frame time, {k}: median {v['median_ms']:.2f} ms, p95 {v['p95_ms']:.2f} ms, "
              f"worst {v['worst_ms']:.2f} ms ({v['frames']} frames)")


if __name__ == "__main__":
    main()
