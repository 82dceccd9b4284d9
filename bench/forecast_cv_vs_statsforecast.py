#!/usr/bin/env python3
"""Rolling-origin cross-validation side by side with statsforecast 2.x on the same folds: the
same generated store-item sales, `--cv-horizon H --cv-folds K --cv-period P` in Playbook and
`cross_validation(h=H, n_windows=K, step_size=P)` in statsforecast.

The folds and the metrics are checked, not only timed: statsforecast's SeasonalNaive(7) makes
exactly Playbook's seasonal naive forecasts, so its sMAPE and MASE by step (computed here with
Playbook's definitions: sMAPE in percent, MASE against each fold's in-sample seasonal naive
error) must equal the `seasonal naive` rows of Playbook's table. Then the models' errors by step
are printed beside statsforecast's AutoETS (season 7), with the times.

usage: bench/forecast_cv_vs_statsforecast.py [--stores 10] [--items 50] [--playbook PATH]
"""
import argparse
import os
import subprocess
import tempfile
import time

import numpy as np
import pandas as pd

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument("--stores", type=int, default=10)
ap.add_argument("--items", type=int, default=50)
ap.add_argument("--horizon", type=int, default=28)
ap.add_argument("--folds", type=int, default=3)
ap.add_argument("--period", type=int, default=28)
ap.add_argument("--playbook", default=os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
args = ap.parse_args()

tmp = tempfile.mkdtemp()
data = os.path.join(tmp, "sales.csv")
subprocess.run([args.playbook, "--no-record", "gen", "store-sales", "--stores", str(args.stores),
                "--items", str(args.items), "--out", data], check=True, capture_output=True)
cv_out = os.path.join(tmp, "cv.csv")
t = time.perf_counter()
subprocess.run([args.playbook, "--no-record", "forecast", "--input", data, "--group",
                "store,item", "--horizon", "1", "--cv-horizon", str(args.horizon), "--cv-folds",
                str(args.folds), "--cv-period", str(args.period), "--out",
                os.path.join(tmp, "f.csv"), "--cv-out", cv_out], check=True, capture_output=True)
pb_wall = time.perf_counter() - t
pb = pd.read_csv(cv_out)

from statsforecast import StatsForecast  # noqa: E402
from statsforecast.models import AutoETS, SeasonalNaive  # noqa: E402

df = pd.read_csv(data, parse_dates=["date"])
df["unique_id"] = df["store"].astype(str) + "/" + df["item"].astype(str)
df = df.rename(columns={"date": "ds", "sales": "y"})[["unique_id", "ds", "y"]]
t = time.perf_counter()
sf = StatsForecast(models=[SeasonalNaive(season_length=7), AutoETS(season_length=7)], freq="D",
                   n_jobs=2)
cv = sf.cross_validation(df=df, h=args.horizon, n_windows=args.folds, step_size=args.period)
sf_wall = time.perf_counter() - t
cv = cv.reset_index() if "unique_id" not in cv.columns else cv
cv["step"] = cv.groupby(["unique_id", "cutoff"]).cumcount() + 1

# Each fold's MASE scale: the in-sample seasonal naive MAE of its training part.
hist = {k: g.sort_values("ds") for k, g in df.groupby("unique_id")}


def scale(uid, cutoff):
    h = hist[uid]
    y = h.loc[h["ds"] <= cutoff, "y"].to_numpy(float)
    return np.mean(np.abs(y[7:] - y[:-7]))


cv["scale"] = [scale(u, c) for u, c in zip(cv["unique_id"], cv["cutoff"])]


def by_step(col):
    a, p = cv["y"].to_numpy(float), cv[col].to_numpy(float)
    d = np.abs(a) + np.abs(p)
    sm = np.where(d > 0, 200 * np.abs(a - p) / np.where(d > 0, d, 1), np.nan)
    out = pd.DataFrame({"step": cv["step"], "smape": sm, "mase": np.abs(a - p) / cv["scale"]})
    return out.groupby("step").mean()


naive = by_step("SeasonalNaive")
ets = by_step("AutoETS")
mine = pb[pb["model"] == "seasonal naive"].set_index("step")
model = pb[pb["model"] == "playbook"].set_index("step")
d_smape = np.max(np.abs(naive["smape"].to_numpy() - mine["smape"].to_numpy()))
d_mase = np.max(np.abs(naive["mase"].to_numpy() - mine["mase"].to_numpy()))
print(f"{args.stores * args.items} series, {args.folds} folds of {args.horizon} steps, "
      f"{args.period} apart")
print(f"seasonal naive by step, Playbook vs statsforecast: max |d sMAPE| {d_smape:.2e}, "
      f"max |d MASE| {d_mase:.2e} ({'same' if max(d_smape, d_mase) < 1e-6 else 'DIFFERENT'})")
print(f"{'step':>4} {'playbook sMAPE':>15} {'AutoETS sMAPE':>14} {'playbook MASE':>14} "
      f"{'AutoETS MASE':>13}")
for s in [1, 7, 14, args.horizon]:
    if s in model.index:
        print(f"{s:>4} {model.loc[s, 'smape']:>15.2f} {ets.loc[s, 'smape']:>14.2f} "
              f"{model.loc[s, 'mase']:>14.3f} {ets.loc[s, 'mase']:>13.3f}")
print(f"mean {model['smape'].mean():>15.2f} {ets['smape'].mean():>14.2f} "
      f"{model['mase'].mean():>14.3f} {ets['mase'].mean():>13.3f}")
print(f"time: Playbook {pb_wall:.2f} s (whole command, both models), statsforecast "
      f"{sf_wall:.2f} s (SeasonalNaive + AutoETS, n_jobs=2): {sf_wall / pb_wall:.1f}x")
