#!/usr/bin/env python3
"""Side-by-side pitching benchmark on one generated season (about 700k pitches): Playbook's
`pitching flags` (the whole command: load, the linfa spin regression, both baselines for every
pitch, the sustained-rise rule, the flag table written) against pandas + numpy computing the
median/MAD baseline alone: for every pitch, the pitcher's median Bauer units and the median and
MAD of the residuals over his last 10 earlier outings of the pitch type, then z.

pandas has no rolling window "over the last 10 groups", so the baseline is computed the way an
analyst would write it: group by pitcher and pitch type, then per outing numpy medians over the
previous outings' pitches. Playbook does more (a regression, two signals, the spread split
into pitch-to-pitch and outing-to-outing parts); the times are of the whole of each.

Times are medians of --runs runs; each side runs in its own process, so peak memory (max RSS,
the file load included) is each side's alone. Prints both and the ratio.

usage: bench/pitching_vs_pandas.py [--seed 1] [--runs 3] [--playbook PATH] [--data FILE]
       bench/pitching_vs_pandas.py --pandas-only FILE   (one timed pandas run, JSON on stdout)
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
WINDOW = 10


def pandas_baseline(path):
    import numpy as np
    import pandas as pd

    started = time.perf_counter()
    cols = ["game_pk", "game_date", "pitcher", "pitch_type", "release_speed",
            "release_spin_rate", "at_bat_number", "pitch_number"]
    df = pd.read_parquet(path, columns=cols)
    loaded = time.perf_counter()
    df = df.dropna(subset=["release_spin_rate", "release_speed"])
    df = df.sort_values(["game_date", "game_pk", "at_bat_number", "pitch_number"],
                        kind="stable").reset_index(drop=True)
    z = np.full(len(df), np.nan)
    spin = df["release_spin_rate"].to_numpy()
    speed = df["release_speed"].to_numpy()
    for _, idx in df.groupby(["pitcher", "pitch_type"], sort=False).indices.items():
        games = df["game_pk"].to_numpy()[idx]
        # Outings in order: the positions where the game changes.
        cuts = np.flatnonzero(np.diff(games)) + 1
        bounds = np.concatenate(([0], cuts, [len(idx)]))
        for k in range(3, len(bounds) - 1):
            lo = bounds[max(0, k - WINDOW)]
            hist = idx[lo:bounds[k]]
            if len(hist) < 20:
                continue
            bauer = np.median(spin[hist] / speed[hist])
            resid = spin[hist] - bauer * speed[hist]
            centre = np.median(resid)
            scale = max(1.4826 * np.median(np.abs(resid - centre)), 15.0)
            now = idx[bounds[k]:bounds[k + 1]]
            z[now] = (spin[now] - bauer * speed[now] - centre) / scale
    done = time.perf_counter()
    return {
        "pitches": len(df),
        "scored": int(np.isfinite(z).sum()),
        "z_at_least_4": int((z >= 4).sum()),
        "load_seconds": loaded - started,
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
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", help="a pitch Parquet file to use instead of generating one")
    ap.add_argument("--pandas-only", help=argparse.SUPPRESS)
    ap.add_argument("--playbook", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
    args = ap.parse_args()
    if args.pandas_only:
        print(json.dumps(pandas_baseline(args.pandas_only)))
        return

    tmp = tempfile.mkdtemp()
    data = args.data
    if not data:
        data = os.path.join(tmp, "season.parquet")
        t = time.perf_counter()
        subprocess.run([args.playbook, "gen", "pitches", "--seed", str(args.seed), "--out", data],
                       check=True, capture_output=True)
        print(f"generated {data} in {time.perf_counter() - t:.1f} s "
              f"({os.path.getsize(data) / 1e6:.0f} MB)")

    pb, pd_ = [], []
    for _ in range(args.runs):
        out, wall, peak = timed([args.playbook, "--no-record", "pitching", "flags", "--input",
                                 data, "--json", "--out", os.path.join(tmp, "flags.parquet")])
        pb.append((wall, json.loads(out), peak))
        out, wall, peak = timed([sys.executable, __file__, "--pandas-only", data])
        pd_.append((wall, json.loads(out), peak))

    pb_wall = statistics.median(w for w, _, _ in pb)
    pb_compute = statistics.median(j["seconds"] for _, j, _ in pb)
    pd_wall = statistics.median(w for w, _, _ in pd_)
    pd_compute = statistics.median(j["seconds"] - j["load_seconds"] for _, j, _ in pd_)
    j, pdj = pb[-1][1], pd_[-1][1]
    print(f"pitches {j['pitches']}, pitchers {j['pitchers']}, outings {j['outings']}")
    print(f"playbook (regression + both baselines + flags written): wall {pb_wall:.2f} s "
          f"(scoring {pb_compute:.2f} s), peak {max(p for _, _, p in pb):.0f} MB; "
          f"flagged pitches {j['flagged_pitches']}, flagged outings {j['flagged_outings']}")
    print(f"pandas (median/MAD baseline only): wall {pd_wall:.2f} s (baseline {pd_compute:.2f} s), "
          f"peak {max(p for _, _, p in pd_):.0f} MB; scored {pdj['scored']}, "
          f"z >= 4: {pdj['z_at_least_4']}")
    print(f"ratio pandas / playbook, wall: {pd_wall / pb_wall:.2f}x")


if __name__ == "__main__":
    main()
