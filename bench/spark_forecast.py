"""Forecasting store-item series in local[2] Spark: the book's Prophet recipe
(groupBy().applyInPandas) against Playbook's applyInArrow recipe, and Playbook's wheel outside
Spark on the same series (Spark's own overhead), then how Playbook's time grows with the
number of series.

    python bench/spark_forecast.py --playbook target/release/playbook [--prophet-series 10]
        [--scales 500,5000] [--runs 3]

Needs a venv with pyspark, pyarrow, pandas, the playbook wheel, and prophet for the book's
recipe. Prints medians of --runs runs and the ratios; the numbers go in BENCHMARKS.md.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python", "examples"))

import spark_forecast  # noqa: E402

HORIZON = 90


def gen(exe, stores, items, out):
    subprocess.run([exe, "--no-record", "gen", "store-sales", "--stores", str(stores),
                    "--items", str(items), "--out", out], check=True, capture_output=True)


def timed(f, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


WHEEL_ALONE = """
import statistics, sys, time
import pyarrow.parquet as pq
import playbook
table = pq.read_table(sys.argv[1])
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    playbook.forecast(table, group_cols=["store", "item"], horizon=int(sys.argv[3]))
    times.append(time.perf_counter() - t)
print(statistics.median(times), playbook.threads())
"""


def wheel_alone(path, runs):
    """The wheel outside Spark, in a process of its own with both cores (rayon's pool is sized
    once per process, and this one's is set to 1 thread per Spark task)."""
    env = dict(os.environ, RAYON_NUM_THREADS="2")
    out = subprocess.run([sys.executable, "-c", WHEEL_ALONE, path, str(runs), str(HORIZON)],
                         env=env, check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1])


def prophet_group(pdf):
    """The book's recipe: one Prophet model per store-item (yearly and weekly seasonality)."""
    import pandas as pd
    from prophet import Prophet

    model = Prophet(interval_width=0.95, growth="linear", daily_seasonality=False,
                    weekly_seasonality=True, yearly_seasonality=True,
                    seasonality_mode="multiplicative")
    hist = pd.DataFrame({"ds": pd.to_datetime(pdf["date"]), "y": pdf["sales"]})
    model.fit(hist)
    future = model.make_future_dataframe(periods=HORIZON, freq="d", include_history=False)
    fc = model.predict(future)
    return pd.DataFrame({
        "store": str(pdf["store"].iloc[0]), "item": str(pdf["item"].iloc[0]),
        "date": fc["ds"].dt.date, "yhat": fc["yhat"], "yhat_lower": fc["yhat_lower"],
        "yhat_upper": fc["yhat_upper"], "actual": float("nan"),
        "training_date": datetime.date.today(),
    })


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--playbook", required=True, help="the playbook command line (for gen)")
    ap.add_argument("--prophet-series", type=int, default=10)
    ap.add_argument("--scales", default="500,5000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--driver-memory", default="6g", help="local mode runs the tasks in the driver")
    a = ap.parse_args()
    spark = spark_forecast.session("local[2]", a.driver_memory)
    tmp = tempfile.mkdtemp()
    print(f"local[2] Spark {spark.version}, pyarrow {pa.__version__}, "
          f"RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS')}")

    # The book's recipe on a subset it can finish, against Playbook on the same series.
    small = os.path.join(tmp, "small.parquet")
    gen(a.playbook, 1, a.prophet_series, small)
    df = spark.read.parquet(small).cache()
    n = df.select("store", "item").distinct().count()
    try:
        import prophet  # noqa: F401

        book = lambda: df.groupBy("store", "item").applyInPandas(  # noqa: E731
            prophet_group, spark_forecast.SCHEMA).write.mode("overwrite").format("noop").save()
        pm, pt = timed(book, a.runs)
        print(f"book (Prophet, applyInPandas), {n} series: median {pm:.2f} s "
              f"({pm / n:.3f} s per series); runs {[round(t, 2) for t in pt]}")
    except ImportError:
        pm = None
        print("prophet is not installed: the book's recipe was not run")
    ours = lambda: spark_forecast.forecast_all(df, HORIZON).write.mode(  # noqa: E731
        "overwrite").format("noop").save()
    om, ot = timed(ours, a.runs)
    print(f"Playbook (applyInArrow), {n} series: median {om:.2f} s "
          f"({om / n:.4f} s per series); runs {[round(t, 2) for t in ot]}")
    if pm:
        print(f"ratio book / Playbook: {pm / om:.1f}x")

    for scale in [int(s) for s in a.scales.split(",")]:
        stores = max(1, scale // 50)
        path = os.path.join(tmp, f"s{scale}.parquet")
        gen(a.playbook, stores, scale // stores, path)
        rows = pq.read_metadata(path).num_rows
        wm, threads = wheel_alone(path, a.runs)
        sdf = spark.read.parquet(path)
        inspark = lambda: spark_forecast.forecast_all(sdf, HORIZON).write.mode(  # noqa: E731
            "overwrite").format("noop").save()
        sm, st = timed(inspark, a.runs)
        print(f"{scale} series ({rows} rows): wheel alone median {wm:.2f} s "
              f"({1000 * wm / scale:.2f} ms per series, {threads} threads); "
              f"Spark applyInArrow median {sm:.2f} s ({1000 * sm / scale:.2f} ms per series); "
              f"Spark / wheel {sm / wm:.2f}x")
    spark.stop()


if __name__ == "__main__":
    main()
