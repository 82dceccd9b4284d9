#!/usr/bin/env python3
"""Side-by-side fraud benchmark: Playbook's `fraud train` against scikit-learn's
DecisionTreeClassifier(max_depth=5) on the same generated PaySim-sized transactions, labelled
by the book's default rule, with the same 80/20 split (Playbook's, read from its predictions
file) and the same eight features. Prints times, test PR-AUC (average precision) and
Playbook's peak memory (whole command, CSV load included).

usage: bench/fraud_vs_sklearn.py [--rows 6362620] [--cv] [--playbook PATH]
"""
import argparse
import json
import os
import resource
import subprocess
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.tree import DecisionTreeClassifier

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=6_362_620)
ap.add_argument("--cv", action="store_true", help="also time the 9-setting x 3-fold CV")
ap.add_argument("--playbook", default=os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
args = ap.parse_args()

tmp = tempfile.mkdtemp()
data = os.path.join(tmp, "tx.csv")
subprocess.run([args.playbook, "gen", "transactions", "--rows", str(args.rows), "--out", data],
               check=True, capture_output=True)
preds = os.path.join(tmp, "pred.csv")


def playbook(*extra):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    out = subprocess.run([args.playbook, "fraud", "train", "--input", data, "--rule", "default",
                          "--max-depth", "5", "--json", *extra],
                         check=True, capture_output=True)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return json.loads(out.stdout), wall, max(peak, before) / 1024


walls = []
for _ in range(3):
    pb, wall, peak = playbook()
    walls.append((wall, pb["train_seconds"]))
pb, _, peak = playbook("--out", preds)
wall = float(np.median([w for w, _ in walls]))
fit = float(np.median([f for _, f in walls]))

df = pd.read_csv(data)
rule = (((df.oldbalanceOrg <= 56900) & (df.type == "TRANSFER") & (df.newbalanceDest <= 105))
        | ((df.oldbalanceOrg > 56900) & (df.newbalanceOrig <= 12))
        | ((df.oldbalanceOrg > 56900) & (df.newbalanceOrig > 12) & (df.amount > 1160000)))
y = rule.to_numpy().astype(int)
levels = sorted(df.type.unique())
X = np.column_stack([
    df.type.map({l: i for i, l in enumerate(levels)}).to_numpy(),
    df.amount, df.oldbalanceOrg, df.newbalanceOrig, df.oldbalanceDest, df.newbalanceDest,
    df.newbalanceOrig - df.oldbalanceOrg, df.newbalanceDest - df.oldbalanceDest,
]).astype(np.float64)
sets = pd.read_csv(preds, usecols=["set"])["set"].to_numpy()
train, test = sets == "train", sets == "test"
assert y[train].sum() + y[test].sum() == y.sum()
t = time.perf_counter()
clf = DecisionTreeClassifier(max_depth=5, random_state=0).fit(X[train], y[train])
sk_fit = time.perf_counter() - t
p = clf.predict_proba(X[test])[:, 1]
sk_pr, sk_roc = average_precision_score(y[test], p), roc_auc_score(y[test], p)

print(f"{args.rows} transactions, {y.mean() * 100:.2f}% labelled by the default rule, "
      f"{train.sum()} train / {test.sum()} test, on {os.cpu_count()} cores")
print(f"{'':<22} {'fit s':>7} {'command s':>10} {'test PR-AUC':>12} {'test ROC-AUC':>13}")
print(f"{'playbook (median of 3)':<22} {fit:>7.2f} {wall:>10.2f} {pb['pr_auc_test']:>12.4f} "
      f"{pb['roc_auc_test']:>13.4f}   peak memory {peak:.0f} MiB")
print(f"{'scikit-learn':<22} {sk_fit:>7.2f} {'':>10} {sk_pr:>12.4f} {sk_roc:>13.4f}")
print(f"speed-up: {sk_fit / fit:.1f}x (fit against fit), {sk_fit / wall:.1f}x "
      f"(sklearn's fit against Playbook's whole command, CSV load included)")
if args.cv:
    cv, cv_wall, _ = playbook("--cv", "3")
    print(f"cross-validation, 9 settings x 3 folds: {cv['cv_seconds']:.2f} s "
          f"(whole command {cv_wall:.2f} s); best max depth {cv['max_depth']}, "
          f"max bins {cv['max_bins']}")
    for r in cv["cv"]:
        print(f"  depth {r['max_depth']:>2} bins {r['max_bins']:>2}: PR-AUC {r['pr_auc_mean']:.4f}")
