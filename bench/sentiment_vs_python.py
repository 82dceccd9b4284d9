#!/usr/bin/env python3
"""Side-by-side sentiment benchmark, on the bundled 4,200 rated tweets
(sample-data/tweets_labelled.csv).

1. VADER scoring throughput: `playbook sentiment score` against Python's vaderSentiment 3.3.2
   on the same texts (the corpus repeated --repeat times), each in its own process; tweets per
   second, medians of --runs runs, and the ratio.
2. The classifier table: `playbook sentiment train --json` (VADER, logistic regression, linear
   SVM, naive Bayes) and scikit-learn's equivalents on the same seeded 20% test split (the
   test rows come from Playbook's JSON): LogisticRegression, LinearSVC and MultinomialNB with
   their regularisation chosen by 3-fold cross-validation over the same grids, on scikit-learn's
   own TfidfVectorizer (word 1-2 grams + char_wb 2-5 grams, sublinear tf), once with the same
   2,000 + 2,000 term cap as Playbook and once with the full vocabulary. Accuracy and macro-F1.

usage: bench/sentiment_vs_python.py [--playbook PATH] [--runs 3] [--repeat 20] [--seed 42]
                                    [--logistic-only]
requires: pip install vaderSentiment==3.3.2 scikit-learn pandas
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
corpus = os.path.join(root, "sample-data", "tweets_labelled.csv")


def python_vader(path):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    started = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    analyzer = SentimentIntensityAnalyzer()
    scores = [analyzer.polarity_scores(t) for t in texts]
    return len(scores), time.perf_counter() - started


def classes(ratings):
    import numpy as np

    r = np.asarray(ratings, dtype=float)
    return np.where(r > 0.5, 2, np.where(r < -0.5, 0, 1))


def python_vader_split(test_rows):
    import pandas as pd
    from sklearn.metrics import accuracy_score, f1_score
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    d = pd.read_csv(corpus).iloc[test_rows]
    analyzer = SentimentIntensityAnalyzer()
    c = [analyzer.polarity_scores(t)["compound"] for t in d["text"]]
    p = [2 if x >= 0.05 else 0 if x <= -0.05 else 1 for x in c]
    y = classes(d["rating"])
    return f"accuracy {accuracy_score(y, p):.4f}, macro-F1 {f1_score(y, p, average='macro'):.4f}"


def sklearn_table(test_rows, max_features):
    import numpy as np
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import GridSearchCV
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    d = pd.read_csv(corpus)
    y = classes(d["rating"])
    test = np.zeros(len(d), dtype=bool)
    test[test_rows] = True
    half = None if max_features is None else max_features // 2

    def features():
        return make_union(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=half),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                            max_features=half),
        )

    # The same grids as Playbook's (linfa-logistic's alpha is an L2 weight; C = 1/alpha).
    models = [
        ("Logistic regression", LogisticRegression(max_iter=2000), {"C": [100.0, 10.0, 1.0]}),
        ("Linear SVM", LinearSVC(), {"C": [0.1, 1.0, 10.0]}),
        ("Naive Bayes", MultinomialNB(), {"alpha": [0.01, 0.1, 1.0]}),
    ]
    rows = []
    for name, model, grid in models:
        started = time.perf_counter()
        pipe = make_pipeline(features(), model)
        step = pipe.steps[-1][0]
        search = GridSearchCV(pipe, {f"{step}__{k}": v for k, v in grid.items()}, cv=3)
        search.fit(d["text"][~test], y[~test])
        p = search.predict(d["text"][test])
        rows.append({
            "model": name,
            "accuracy": accuracy_score(y[test], p),
            "macro_f1": f1_score(y[test], p, average="macro"),
            "chosen": {k.split("__")[1]: v for k, v in search.best_params_.items()},
            "seconds": time.perf_counter() - started,
        })
    return rows


def sklearn_logistic_as_playbook(test_rows):
    """scikit-learn's LogisticRegression fitted the way Playbook fits its own: the features made
    once per fold (2,000 + 2,000 terms), the three penalties on them, the folds on 2 processes,
    then the refit on the whole training part. The solver's time without the pipeline's
    per-candidate vectorizer refits, which the GridSearchCV row above includes."""
    import numpy as np
    import pandas as pd
    from joblib import Parallel, delayed
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import KFold
    from sklearn.pipeline import make_union

    d = pd.read_csv(corpus)
    y = classes(d["rating"])
    test = np.zeros(len(d), dtype=bool)
    test[test_rows] = True
    texts, labels = d["text"][~test].to_numpy(), y[~test]

    def features():
        return make_union(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=2000),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                            max_features=2000),
        )

    grid = [100.0, 10.0, 1.0]

    def fold(train, held):
        f = features().fit(texts[train])
        xt, xh = f.transform(texts[train]), f.transform(texts[held])
        return [accuracy_score(labels[held], LogisticRegression(C=c, max_iter=2000)
                               .fit(xt, labels[train]).predict(xh)) for c in grid]

    started = time.perf_counter()
    folds = KFold(3, shuffle=True, random_state=7).split(texts)
    scores = Parallel(n_jobs=2)(delayed(fold)(t, h) for t, h in folds)
    best = grid[int(np.argmax(np.mean(scores, axis=0)))]
    f = features().fit(texts)
    model = LogisticRegression(C=best, max_iter=2000).fit(f.transform(texts), labels)
    accuracy = accuracy_score(y[test], model.predict(f.transform(d["text"][test])))
    return accuracy, best, time.perf_counter() - started


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--playbook", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--logistic-only", action="store_true",
                    help="only logistic regression against scikit-learn fitted the same way")
    ap.add_argument("--python-vader", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.python_vader:
        n, seconds = python_vader(a.python_vader)
        print(json.dumps({"n": n, "seconds": seconds}))
        return

    import sklearn

    if a.logistic_only:
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run([a.playbook, "sentiment", "train", "--input", corpus, "--json",
                                  "--model", "lr", "--seed", str(a.seed)], check=True,
                                 env=dict(os.environ, PLAYBOOK_HOME=tmp), capture_output=True,
                                 text=True).stdout
        logistic_line(json.loads(out))
        return
    import vaderSentiment  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        big = os.path.join(tmp, "tweets.csv")
        with open(corpus, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        with open(big, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["id", "rating", "text"])
            w.writeheader()
            for k in range(a.repeat):
                w.writerows(rows)
        n = len(rows) * a.repeat
        env = dict(os.environ, PLAYBOOK_HOME=tmp)
        ours, theirs = [], []
        for _ in range(a.runs):
            started = time.perf_counter()
            subprocess.run([a.playbook, "sentiment", "score", "--input", big, "--out",
                            os.path.join(tmp, "scored.csv")], check=True, env=env,
                           stderr=subprocess.DEVNULL)
            ours.append(time.perf_counter() - started)
            out = subprocess.run([sys.executable, __file__, "--python-vader", big], check=True,
                                 capture_output=True, text=True).stdout
            theirs.append(json.loads(out)["seconds"])
        o, t = statistics.median(ours), statistics.median(theirs)
        print(f"VADER on {n:,} tweets (median of {a.runs}): Playbook {o:.2f} s "
              f"({n / o:,.0f}/s, file read and write included), vaderSentiment {t:.2f} s "
              f"({n / t:,.0f}/s); Playbook {t / o:.0f}x faster")

        started = time.perf_counter()
        out = subprocess.run([a.playbook, "sentiment", "train", "--input", corpus, "--json",
                              "--seed", str(a.seed)], check=True, env=env, capture_output=True,
                             text=True).stdout
        ours_seconds = time.perf_counter() - started
    table = json.loads(out)
    print(f"\nclassifiers, seed {a.seed}: {table['n_train']} train / {table['n_test']} test "
          f"(Playbook {ours_seconds:.1f} s for all four, cross-validation included; "
          f"scikit-learn {sklearn.__version__})")
    print(f"{'model':<22} {'Playbook acc':>12} {'macro-F1':>9} {'seconds':>8}")
    for r in table["rows"]:
        print(f"{r['model']:<22} {r['test']['accuracy']:>12.4f} {r['test']['macro_f1']:>9.4f} "
              f"{r['seconds']:>8.1f}")
    print(f"\nvaderSentiment on the same test rows: {python_vader_split(table['test_rows'])}")
    for cap in (4000, None):
        label = "2,000 + 2,000 terms" if cap else "full vocabulary"
        print(f"\nscikit-learn, {label}:")
        for r in sklearn_table(table["test_rows"], cap):
            print(f"{r['model']:<22} {r['accuracy']:>12.4f} {r['macro_f1']:>9.4f}  "
                  f"{r['chosen']} {r['seconds']:.1f} s")
    logistic_line(table)


def logistic_line(table):
    accuracy, c, seconds = sklearn_logistic_as_playbook(table["test_rows"])
    ours = next(r for r in table["rows"] if r["model"] == "Logistic")
    print(f"\nlogistic regression fitted as Playbook fits it (features once per fold, folds on 2 "
          f"processes): scikit-learn accuracy {accuracy:.4f} (C {c}) in {seconds:.1f} s, Playbook "
          f"{ours['test']['accuracy']:.4f} in {ours['seconds']:.1f} s; Playbook "
          f"{seconds / ours['seconds']:.1f}x faster")


if __name__ == "__main__":
    main()
