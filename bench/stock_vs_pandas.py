#!/usr/bin/env python3
"""Side-by-side out-of-stock benchmark: Playbook's `stock alerts` (all four detectors, with a
forecast-engine fit per store x SKU for the expected sales) against pandas doing the zero-sales
and phantom detectors with the same formulas (weekday sale odds with Laplace's rule and 7
pseudo-days of shrinkage; the chance of a zero run anywhere in the history; phantom = such a
run of 3+ days with stock reported), on the same generated inventory (Parquet).

Times are medians of --runs runs; each side runs in its own process, so peak memory (max RSS,
the file load included) is each side's alone. Prints both and the ratio.

usage: bench/stock_vs_pandas.py [--stores 100] [--skus 1000] [--days 365] [--runs 3]
                                [--playbook PATH] [--data FILE]
       bench/stock_vs_pandas.py --pandas-only FILE   (one timed pandas run, JSON on stdout)
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)


def pandas_detectors(path):
    import numpy as np
    import pandas as pd

    started = time.perf_counter()
    df = pd.read_parquet(path, columns=["date", "store", "sku", "on_hand", "units_sold"])
    loaded = time.perf_counter()
    df = df.sort_values(["store", "sku", "date"], kind="stable").reset_index(drop=True)
    g = df.groupby(["store", "sku"], sort=False, observed=True).ngroup().to_numpy()
    wd = pd.to_datetime(df["date"]).dt.weekday.to_numpy()
    sold = df["units_sold"].to_numpy()
    on_hand = df["on_hand"].to_numpy()
    instock = (on_hand > 0) | (sold > 0)
    sale = (sold > 0) & instock
    frame = pd.DataFrame({"g": g, "wd": wd, "instock": instock, "sale": sale})
    per = frame.groupby("g").agg(n=("instock", "sum"), s=("sale", "sum"))
    p = (per["s"] + 1.0) / (per["n"] + 2.0)
    by_wd = frame.groupby(["g", "wd"]).agg(n=("instock", "sum"), s=("sale", "sum")).reset_index()
    by_wd["p"] = ((by_wd["s"] + 7.0 * p.loc[by_wd["g"]].to_numpy()) / (by_wd["n"] + 7.0)).clip(0, 0.999)
    pw = frame[["g", "wd"]].merge(by_wd[["g", "wd", "p"]], on=["g", "wd"], how="left")["p"].to_numpy()
    chances = pd.Series(np.where(instock, pw * (1 - pw), 0.0)).groupby(g).sum()
    zero = sold == 0
    run_id = pd.Series(~zero).groupby(g).cumsum().to_numpy()
    z = pd.DataFrame({
        "g": g[zero], "run": run_id[zero], "logq": np.log1p(-pw[zero]),
        "date": df["date"].to_numpy()[zero], "on_hand": on_hand[zero],
    })
    runs = z.groupby(["g", "run"]).agg(
        days=("logq", "size"), logq=("logq", "sum"), start=("date", "min"), end=("date", "max"),
        min_on_hand=("on_hand", "min"),
    ).reset_index()
    q = np.exp(runs["logq"].to_numpy())
    n = chances.loc[runs["g"]].clip(lower=1.0).to_numpy()
    prob = -np.expm1(n * np.log1p(-q))
    zero_alerts = prob < 0.01
    phantom = zero_alerts & (runs["days"].to_numpy() >= 3) & (runs["min_on_hand"].to_numpy() > 0)
    done = time.perf_counter()
    return {
        "rows": len(df),
        "series": int(per.shape[0]),
        "zero_sales": int(zero_alerts.sum()),
        "phantom": int(phantom.sum()),
        "load_seconds": loaded - started,
        "detect_seconds": done - loaded,
        "seconds": done - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def timed(cmd):
    """Run cmd under /usr/bin/time -f %M: (stdout, wall seconds, peak MB)."""
    with tempfile.NamedTemporaryFile("r") as f:
        t = time.perf_counter()
        out = subprocess.run(["/usr/bin/time", "-o", f.name, "-f", "%M", *cmd],
                             check=True, capture_output=True, text=True)
        wall = time.perf_counter() - t
        peak = int(f.read().strip().splitlines()[-1]) / 1024
    return out.stdout, wall, peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stores", type=int, default=100)
    ap.add_argument("--skus", type=int, default=1000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", help="an inventory Parquet file to use instead of generating one")
    ap.add_argument("--pandas-only", help=argparse.SUPPRESS)
    ap.add_argument("--playbook", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
    args = ap.parse_args()
    if args.pandas_only:
        print(json.dumps(pandas_detectors(args.pandas_only)))
        return

    tmp = tempfile.mkdtemp()
    data = args.data
    if not data:
        data = os.path.join(tmp, "inventory.parquet")
        t = time.perf_counter()
        subprocess.run([args.playbook, "gen", "inventory", "--stores", str(args.stores),
                        "--skus", str(args.skus), "--days", str(args.days), "--out", data],
                       check=True, capture_output=True)
        print(f"generated {data} in {time.perf_counter() - t:.1f} s "
              f"({os.path.getsize(data) / 1e6:.0f} MB)")

    pb, pd_ = [], []
    for _ in range(args.runs):
        out, wall, peak = timed([args.playbook, "--no-record", "stock", "alerts", "--input", data,
                                 "--json", "--out", os.path.join(tmp, "alerts.csv")])
        pb.append((wall, json.loads(out), peak))
        out, wall, peak = timed([sys.executable, __file__, "--pandas-only", data])
        pd_.append((wall, json.loads(out), peak))

    pb_wall = statistics.median(w for w, _, _ in pb)
    pb_compute = statistics.median(j["seconds"] for _, j, _ in pb)
    pd_wall = statistics.median(w for w, _, _ in pd_)
    pd_detect = statistics.median(j["detect_seconds"] for _, j, _ in pd_)
    j, pdj = pb[-1][1], pd_[-1][1]
    print(f"rows {j['rows']}, series {j['series']}")
    print(f"playbook (4 detectors + a forecast per series): wall {pb_wall:.1f} s "
          f"(prepare + detect {pb_compute:.1f} s), peak {max(p for _, _, p in pb):.0f} MB; "
          f"zero_sales {j['zero_sales']}, phantom {j['phantom']}, safety_stock "
          f"{j['safety_stock']}, osa {j['osa']}")
    print(f"pandas (zero-sales + phantom): wall {pd_wall:.1f} s (detect {pd_detect:.1f} s), "
          f"peak {max(p for _, _, p in pd_):.0f} MB; zero_sales {pdj['zero_sales']}, "
          f"phantom {pdj['phantom']}")
    print(f"ratio pandas / playbook, wall: {pd_wall / pb_wall:.2f}x")


if __name__ == "__main__":
    main()
