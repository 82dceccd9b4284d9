#!/usr/bin/env python3
"""Side-by-side forecast benchmark: Playbook's `forecast` against Prophet with the book's
settings (linear growth, weekly + yearly seasonality, multiplicative, no daily seasonality, 95%
intervals) on the same generated store-item sales, the last 90 days of every series held out.
Prints time, mean holdout sMAPE, MASE and interval coverage for both, with the same metric
definitions (sMAPE in percent; MASE against the in-sample seasonal naive, season 7).

With --us-holidays both get the same holiday table: the US holidays of the `holidays`
package Prophet depends on (its `add_country_holidays` source), written as a (ds, holiday) CSV
that Prophet takes as `holidays=` and Playbook as `--holidays FILE`.

usage: bench/forecast_vs_prophet.py [--stores 10] [--items 50] [--us-holidays] [--playbook PATH]
"""
import argparse
import json
import logging
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
ap.add_argument("--holdout", type=int, default=90)
ap.add_argument("--us-holidays", action="store_true")
ap.add_argument("--playbook", default=os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
args = ap.parse_args()

tmp = tempfile.mkdtemp()
data = os.path.join(tmp, "sales.csv")
subprocess.run([args.playbook, "gen", "store-sales", "--stores", str(args.stores), "--items",
                str(args.items), "--out", data], check=True)

holiday_args, holiday_df = [], None
if args.us_holidays:
    import holidays as hol  # noqa: E402

    rows = [(pd.Timestamp(d), n) for d, n in sorted(hol.US(years=range(2012, 2020)).items())]
    holiday_df = pd.DataFrame(rows, columns=["ds", "holiday"])
    table = os.path.join(tmp, "holidays.csv")
    holiday_df.to_csv(table, index=False, date_format="%Y-%m-%d")
    holiday_args = ["--holidays", table]
t = time.perf_counter()
out = subprocess.run([args.playbook, "forecast", "--input", data, "--group", "store,item",
                      "--holdout", str(args.holdout), "--json", "--out",
                      os.path.join(tmp, "pb.csv")] + holiday_args, check=True,
                     capture_output=True)
pb_wall = time.perf_counter() - t
pb = json.loads(out.stdout)


def smape(a, p):
    a, p = np.asarray(a, float), np.asarray(p, float)
    d = np.abs(a) + np.abs(p)
    m = d > 0
    return 100 * np.mean(2 * np.abs(a - p)[m] / d[m])


def mase(a, p, hist, season=7):
    hist = np.asarray(hist, float)
    naive = np.mean(np.abs(hist[season:] - hist[:-season]))
    return np.mean(np.abs(np.asarray(a) - np.asarray(p))) / naive


logging.getLogger("prophet").setLevel(logging.ERROR)
logging.getLogger("cmdstanpy").setLevel(logging.ERROR)
from prophet import Prophet  # noqa: E402

df = pd.read_csv(data, parse_dates=["date"])
scores = []
t = time.perf_counter()
for (_, g) in df.groupby(["store", "item"]):
    g = g.sort_values("date")
    train, test = g.iloc[:-args.holdout], g.iloc[-args.holdout:]
    m = Prophet(growth="linear", weekly_seasonality=True, yearly_seasonality=True,
                daily_seasonality=False, seasonality_mode="multiplicative", interval_width=0.95,
                holidays=holiday_df)
    m.fit(train.rename(columns={"date": "ds", "sales": "y"})[["ds", "y"]])
    f = m.predict(test.rename(columns={"date": "ds"})[["ds"]])
    a = test["sales"].to_numpy()
    cov = np.mean((a >= f["yhat_lower"].to_numpy()) & (a <= f["yhat_upper"].to_numpy()))
    scores.append((smape(a, f["yhat"]), mase(a, f["yhat"], train["sales"]), cov))
prophet_s = time.perf_counter() - t
s = np.mean(scores, axis=0)
n = len(scores)
print(f"{n} series x {len(df) // n} days, holdout {args.holdout} days, on {os.cpu_count()} cores"
      + (f", {holiday_df['holiday'].nunique()} US holidays in both" if args.us_holidays else ""))
print(f"{'model':<10} {'seconds':>9} {'sMAPE':>7} {'MASE':>7} {'coverage':>9}")
print(f"{'playbook':<10} {pb['seconds']:>9.2f} {pb['smape']:>7.2f} {pb['mase']:>7.3f} {pb['coverage']:>9.3f}"
      f"   (whole process incl. reading the CSV: {pb_wall:.2f} s)")
nv = pb["seasonal_naive"]
print(f"{'naive':<10} {'(same run)':>9} {nv['smape']:>7.2f} {nv['mase']:>7.3f} {nv['coverage']:>9.3f}"
      "   (Playbook's seasonal naive baseline, season 7)")
print(f"{'prophet':<10} {prophet_s:>9.2f} {s[0]:>7.2f} {s[1]:>7.3f} {s[2]:>9.3f}")
print(f"speed-up: {prophet_s / pb['seconds']:.0f}x (compute), {prophet_s / pb_wall:.0f}x (whole process)")
