"""The Spark recipes in local[2]: applyInArrow forecasts of 50 store-item series equal the
command line's; mapInArrow spatial counts equal the command line's; bad input fails the Spark
job with Playbook's message."""

import pathlib
import sys

import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))

import spark_forecast  # noqa: E402
import spark_spatial  # noqa: E402

from test_wheel import assert_tables_match  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    s = spark_forecast.session("local[2]")
    yield s
    s.stop()


def test_apply_in_arrow_forecasts_equal_the_command_line(spark, cli, tmp_path):
    src = tmp_path / "sales.csv"
    cli("gen", "store-sales", "--stores", "5", "--items", "10", "--out", src)
    out = tmp_path / "cli.parquet"
    cli("forecast", "--input", src, "--group", "store", "--group", "item", "--holdout", "28",
        "--out", out)
    want = pq.read_table(out)
    df = spark.read.csv(str(src), header=True, inferSchema=True)
    assert df.select("store", "item").distinct().count() == 50
    got = spark_forecast.forecast_all(df, horizon=90, holdout=28).toArrow()
    assert_tables_match(got, want.cast(got.schema), ["store", "item", "date"], 1e-9)


def test_map_in_arrow_spatial_counts_equal_the_command_line(spark, cli, samples, tmp_path):
    pts, polys = samples / "taxi_pickups.csv", samples / "nyc_boroughs.geojson"
    out = tmp_path / "counts.csv"
    cli("spatial", "join", "--points", pts, "--polygons", polys, "--name-col", "BoroName",
        "--counts-out", out)
    import csv

    want = {r["name"]: int(r["count"]) for r in csv.DictReader(open(out))}
    df = spark.read.csv(str(pts), header=True, inferSchema=True).repartition(4)
    joined = spark_spatial.join(df, polys.read_text(), "pickup_longitude", "pickup_latitude",
                                "BoroName")
    got = {r["polygon"]: r["count"] for r in joined.groupBy("polygon").count().collect()
           if r["polygon"] is not None}
    assert got == {k: v for k, v in want.items() if v > 0}


def test_bad_input_fails_the_spark_job_with_playbooks_message(spark, samples):
    df = spark.read.csv(str(samples / "store_sales_small.csv"), header=True, inferSchema=True)
    bad = df.withColumnRenamed("sales", "revenue")
    with pytest.raises(Exception) as e:
        spark_forecast.forecast_all(bad, horizon=7).collect()
    assert "PlaybookError" in str(e.value)
    assert "column 'sales' not found" in str(e.value)
