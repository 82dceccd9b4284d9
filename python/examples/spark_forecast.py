"""Forecast every store-item series inside Spark with Playbook's forecast kernel.

The book fits one Prophet model per store-item with ``groupBy().applyInPandas``. Here each
group arrives as an Arrow table (``applyInArrow``, Spark 4), Playbook forecasts it in Rust, and
the same columns as ``playbook forecast --out`` come back.

    python examples/spark_forecast.py store_sales.csv forecasts.parquet [--holdout 30]

Set RAYON_NUM_THREADS to the cores each Spark task has (spark.task.cpus; 1 by default here).
"""

import argparse
import os
import sys

import pyarrow as pa

import playbook

# The schema this example promises Spark: store and item as text. playbook.forecast gives group
# keys back in their input type (integers here); forecast_group casts to this schema.
SCHEMA = (
    "store string, item string, date date, yhat double, yhat_lower double, "
    "yhat_upper double, actual double, training_date date"
)


# The same as an Arrow schema (Spark reads plain strings, not large ones).
ARROW_SCHEMA = pa.schema(
    [
        ("store", pa.string()),
        ("item", pa.string()),
        ("date", pa.date32()),
        ("yhat", pa.float64()),
        ("yhat_lower", pa.float64()),
        ("yhat_upper", pa.float64()),
        ("actual", pa.float64()),
        ("training_date", pa.date32()),
    ]
)


def forecast_group(table: pa.Table, horizon, holdout, interval) -> pa.Table:
    """One store-item's rows in, its forecast out (runs on the executors). None: the use
    case's default, as in `playbook.forecast`."""
    out = playbook.forecast(
        table,
        group_cols=["store", "item"],
        horizon=horizon,
        holdout=holdout,
        interval=interval,
    )
    return out.cast(ARROW_SCHEMA)


def forecast_all(df, horizon=None, holdout=None, interval=None):
    """A Spark DataFrame (date, store, item, sales) to every series' forecast; a setting left
    at None is the use case's default (`playbook forecast --help`)."""
    # The executors import this module to run forecast_group: ship it to them.
    df.sparkSession.sparkContext.addPyFile(__file__)
    return df.groupBy("store", "item").applyInArrow(
        lambda t: forecast_group(t, horizon, holdout, interval), SCHEMA
    )


def session(master="local[2]", driver_memory=None):
    from pyspark.sql import SparkSession

    # One rayon thread per task unless told otherwise: Spark already runs a task per core.
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    # Local workers run this Python (with pyarrow and playbook), not the first python3 on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(master)
        .appName("playbook-forecast")
        .config("spark.executorEnv.RAYON_NUM_THREADS", os.environ["RAYON_NUM_THREADS"])
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", driver_memory or "1g")
        .getOrCreate()
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", help="CSV or Parquet with date, store, item, sales")
    ap.add_argument("out", help="Parquet folder for the forecasts")
    ap.add_argument("--horizon", type=int, default=None, help="default: the use case's")
    ap.add_argument("--holdout", type=int, default=None)
    ap.add_argument("--master", default="local[2]")
    a = ap.parse_args()
    spark = session(a.master)
    reader = spark.read
    df = (
        reader.parquet(a.input)
        if a.input.endswith(".parquet")
        else reader.csv(a.input, header=True, inferSchema=True)
    )
    out = forecast_all(df, a.horizon, a.holdout)
    out.write.mode("overwrite").parquet(a.out)
    print(f"{out.count()} forecast rows for {df.select('store', 'item').distinct().count()} series in {a.out}")
    spark.stop()


if __name__ == "__main__":
    main()
