#!/usr/bin/env python3
"""The book's cross-validation grid at PaySim size, side by side (issue 18, part 2).

On the same generated 6,362,620 transactions, labelled by the book's default rule, with
Playbook's 80/20 split (read from its predictions file) and the same eight features:

1. Grid: Playbook's `fraud train --cv 3 --grid-depths 5,10,15 --grid-bins 10,20,30` (9 settings
   x 3 folds) against scikit-learn's GridSearchCV over max_depth 5/10/15 (3 settings x 3 folds:
   scikit-learn has no bins), scoring average precision, on both cores (n_jobs=2).
   Compute: Playbook's `cv_seconds` against GridSearchCV's fit with refit=False. Whole: the
   command (CSV load, grid, the best tree trained and scored) against the script (pandas read,
   features, GridSearchCV with refit, the test set scored).
2. One tree of depth 10 with 32 bins: Playbook's `fraud train --max-depth 10 --max-bins 32`
   (`train_seconds`: binning, growing, scoring train and test) against LightGBM with one
   boosting round, max_depth 10, num_leaves 1024, max_bin 32, min_data_in_leaf 1 (Dataset
   construction, training and scoring the test set). Test PR-AUC printed for both.

usage: bench/fraud_grid_vs_sklearn.py [--rows 6362620] [--runs 3] [--playbook PATH]
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.tree import DecisionTreeClassifier

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=6_362_620)
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--data", help="an existing `playbook gen transactions` CSV")
ap.add_argument("--playbook", default=os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
args = ap.parse_args()

tmp = tempfile.mkdtemp()
env = dict(os.environ, PLAYBOOK_HOME=os.path.join(tmp, "home"))
data = args.data or os.path.join(tmp, "tx.csv")
if not args.data:
    subprocess.run([args.playbook, "gen", "transactions", "--rows", str(args.rows), "--out", data],
                   check=True, capture_output=True)
preds = os.path.join(tmp, "pred.csv")
m = statistics.median


def playbook(*extra):
    t = time.perf_counter()
    out = subprocess.run([args.playbook, "fraud", "train", "--input", data, "--rule", "default",
                          "--json", *extra], check=True, capture_output=True, env=env)
    return json.loads(out.stdout), time.perf_counter() - t


def features(df):
    levels = sorted(df.type.unique())
    return np.column_stack([
        df.type.map({l: i for i, l in enumerate(levels)}).to_numpy(),
        df.amount, df.oldbalanceOrg, df.newbalanceOrig, df.oldbalanceDest, df.newbalanceDest,
        df.newbalanceOrig - df.oldbalanceOrg, df.newbalanceDest - df.oldbalanceDest,
    ]).astype(np.float64)


def labels(df):
    rule = (((df.oldbalanceOrg <= 56900) & (df.type == "TRANSFER") & (df.newbalanceDest <= 105))
            | ((df.oldbalanceOrg > 56900) & (df.newbalanceOrig <= 12))
            | ((df.oldbalanceOrg > 56900) & (df.newbalanceOrig > 12) & (df.amount > 1160000)))
    return rule.to_numpy().astype(int)


grid_args = ["--cv", "3", "--grid-depths", "5,10,15", "--grid-bins", "10,20,30"]
pb, _ = playbook(*grid_args, "--out", preds)
sets = pd.read_csv(preds, usecols=["set"])["set"].to_numpy()
train, test = sets == "train", sets == "test"


def sklearn_grid(refit):
    t = time.perf_counter()
    df = pd.read_csv(data)
    X, y = features(df), labels(df)
    t_fit = time.perf_counter()
    g = GridSearchCV(DecisionTreeClassifier(random_state=0), {"max_depth": [5, 10, 15]},
                     cv=KFold(3, shuffle=True, random_state=0), scoring="average_precision",
                     n_jobs=2, refit=refit)
    g.fit(X[train], y[train])
    fit = time.perf_counter() - t_fit
    if refit:
        average_precision_score(y[test], g.predict_proba(X[test])[:, 1])
    return fit, time.perf_counter() - t, g


pb_cv, pb_whole, sk_cv, sk_whole = [], [], [], []
for _ in range(args.runs):
    v, w = playbook(*grid_args)
    pb_cv.append(v["cv_seconds"])
    pb_whole.append(w)
    fit, _, g = sklearn_grid(refit=False)
    sk_cv.append(fit)
    _, whole, _ = sklearn_grid(refit=True)
    sk_whole.append(whole)
print(f"{args.rows:,} transactions, {train.sum():,} train / {test.sum():,} test, "
      f"{os.cpu_count()} cores, medians of {args.runs}")
print("\n1. the cross-validation grid")
print(f"  {'':<9} {'Playbook (9 settings)':>22} {'scikit-learn (3 settings)':>26} {'ratio':>7}")
print(f"  {'compute':<9} {m(pb_cv):>21.2f}s {m(sk_cv):>25.2f}s {m(sk_cv) / m(pb_cv):>6.1f}x")
print(f"  {'whole':<9} {m(pb_whole):>21.2f}s {m(sk_whole):>25.2f}s "
      f"{m(sk_whole) / m(pb_whole):>6.1f}x")
best = max(v["cv"], key=lambda r: r["pr_auc_mean"])
print(f"  Playbook's best: depth {v['max_depth']}, bins {v['max_bins']}, CV PR-AUC "
      f"{best['pr_auc_mean']:.4f}; scikit-learn's best: depth {g.best_params_['max_depth']}, "
      f"CV PR-AUC {g.best_score_:.4f}")

df = pd.read_csv(data)
X, y = features(df), labels(df)
pb_t, lg_t = [], []
for _ in range(args.runs):
    v, _ = playbook("--max-depth", "10", "--max-bins", "32")
    pb_t.append(v["train_seconds"])
    t = time.perf_counter()
    ds = lgb.Dataset(X[train], label=y[train], params={"max_bin": 32, "verbose": -1})
    booster = lgb.train({"objective": "binary", "max_depth": 10, "num_leaves": 1024,
                         "max_bin": 32, "learning_rate": 1.0, "min_data_in_leaf": 1,
                         "min_sum_hessian_in_leaf": 0.0, "num_threads": 2, "verbose": -1},
                        ds, num_boost_round=1)
    p = booster.predict(X[test])
    lg_t.append(time.perf_counter() - t)
lg_pr = average_precision_score(y[test], p)
print("\n2. one tree, depth 10, 32 bins")
print(f"  Playbook {m(pb_t):.2f}s (test PR-AUC {v['pr_auc_test']:.4f}), LightGBM {m(lg_t):.2f}s "
      f"(test PR-AUC {lg_pr:.4f}): {m(lg_t) / m(pb_t):.1f}x")
