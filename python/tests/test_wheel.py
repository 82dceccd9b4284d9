"""The wheel's functions give the command line's output on the same input: forecast rows to
1e-9, spatial joins exactly, DTW distances to 1e-12, fraud scores exactly; bad input raises
PlaybookError with the command line's message; RAYON_NUM_THREADS is respected."""

import json
import math
import os
import subprocess
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import playbook


def close(a, b, tol):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return abs(a - b) <= tol * max(1.0, abs(a))


def assert_tables_match(got: pa.Table, want: pa.Table, keys, tol):
    assert got.column_names == want.column_names
    assert got.num_rows == want.num_rows
    # Sorted in Python: Playbook's Parquet files hold text that pyarrow reads as string_view,
    # which pyarrow cannot sort.
    def rows(t):
        return sorted(t.to_pylist(), key=lambda r: tuple(str(r[k]) for k in keys))

    got, want = rows(got), rows(want)
    for g, w in zip(got, want):
        for c in w:
            if isinstance(w[c], float) or isinstance(g[c], float):
                assert close(g[c], w[c], tol), (c, g, w)
            else:
                assert str(g[c]) == str(w[c]), (c, g, w)


def test_forecast_equals_the_command_line(cli, samples, tmp_path):
    src = samples / "store_sales_small.csv"
    out = tmp_path / "f.parquet"
    cli("forecast", "--input", src, "--group", "store", "--group", "item",
        "--holdout", "30", "--out", out)
    want = pq.read_table(out)
    got = playbook.forecast(pacsv.read_csv(src), date_col="date", value_col="sales",
                            group_cols=["store", "item"], horizon=90, holdout=30)
    assert_tables_match(got, want, ["store", "item", "date"], 1e-9)
    assert want.num_rows == 10 * 30


def test_forecast_takes_the_types_spark_sends(samples):
    """utf8 or large_utf8 text, int32 or int64 keys, date32, naive or UTC timestamps, or text
    dates."""
    t = pacsv.read_csv(samples / "store_sales_small.csv")
    base = playbook.forecast(t, group_cols=["store", "item"], horizon=14)
    variants = [
        t.set_column(1, "store", pc.cast(t["store"], pa.int32())),
        t.set_column(0, "date", pc.cast(t["date"], pa.timestamp("us"))),
        # Spark's TimestampType: time-zone-aware, in its session's zone.
        t.set_column(0, "date", pc.cast(t["date"], pa.timestamp("us", tz="UTC"))),
        t.set_column(0, "date", pc.cast(pc.cast(t["date"], pa.string()), pa.large_string())),
        t.set_column(1, "store", pc.cast(t["store"], pa.string())),
    ]
    for v in variants:
        got = playbook.forecast(v, group_cols=["store", "item"], horizon=14)
        assert_tables_match(got, base, ["store", "item", "date"], 1e-12)
        # Integer group keys come back as integers of their type, not text (Spark's
        # applyInArrow checks the schema it was promised).
        want_type = v.schema.field("store").type
        if pa.types.is_integer(want_type):
            assert got.schema.field("store").type == want_type, got.schema
        else:
            assert not pa.types.is_integer(got.schema.field("store").type), got.schema
    assert base.schema.field("item").type == pa.int64(), base.schema


def test_dtw_distances_equal_the_command_line(cli, samples, tmp_path):
    src = samples / "weekly_sales.csv"
    out = tmp_path / "d.parquet"
    cli("dtw", "distances", "--input", src, "--pattern", "P1", "--window", "0.1", "--out", out)
    want = pq.read_table(out)
    got = playbook.dtw_distances(pacsv.read_csv(src), "P1", window=0.1)
    assert_tables_match(got, want, ["id"], 1e-12)
    assert got.num_rows == 811


@pytest.mark.parametrize("method", ["exact", "h3"])
def test_spatial_join_equals_the_command_line(cli, samples, tmp_path, method):
    pts, polys = samples / "taxi_pickups.csv", samples / "nyc_boroughs.geojson"
    out = tmp_path / "j.parquet"
    cli("spatial", "join", "--points", pts, "--polygons", polys, "--name-col", "BoroName",
        "--method", method, "--out", out)
    want = pq.read_table(out)["polygon"].to_pylist()
    got = playbook.spatial_join(pacsv.read_csv(pts), polys.read_text(), name_col="BoroName",
                                method=method)
    assert got["polygon"].to_pylist() == want
    assert sum(p is not None for p in want) > 15000  # most pickups fall in a borough


def test_spatial_join_keeps_columns_and_reads_a_named_system(cli, samples, tmp_path):
    """keep_cols and crs, as --keep-cols and --crs: the State Plane outlines (EPSG:2263, their
    crs member taken out) named by crs give the WGS 84 join's rows and kept columns."""
    pts, polys = samples / "taxi_pickups.csv", samples / "nyc_boroughs.geojson"
    out = tmp_path / "j.parquet"
    cli("spatial", "join", "--points", pts, "--polygons", polys, "--name-col", "BoroName",
        "--keep-cols", "BoroCode,BoroName", "--out", out)
    want = pq.read_table(out)
    got = playbook.spatial_join(pacsv.read_csv(pts), polys.read_text(), name_col="BoroName",
                                keep_cols=["BoroCode", "BoroName"])
    for c in ["polygon", "BoroCode", "BoroName"]:
        assert got[c].to_pylist() == want[c].to_pylist(), c
    feet = json.loads((samples.parent / "tests/fixtures/shp/boroughs_2263.geojson").read_text())
    feet.pop("crs")
    named = playbook.spatial_join(pacsv.read_csv(pts), json.dumps(feet), name_col="BoroName",
                                  crs="EPSG:2263")
    assert named.num_rows == want.num_rows
    assert sum(p is not None for p in named["polygon"].to_pylist()) > 15000
    with pytest.raises(playbook.PlaybookError, match="EPSG:27700"):
        playbook.spatial_join(pacsv.read_csv(pts), json.dumps(feet), crs="EPSG:27700")


def test_fraud_predict_equals_the_command_line(cli, samples, tmp_path):
    tx = samples / "transactions_100k.parquet"
    model, out = tmp_path / "m.json", tmp_path / "p.parquet"
    cli("fraud", "train", "--input", tx, "--rule", "default", "--model-out", model)
    cli("fraud", "predict", "--model", model, "--input", tx, "--out", out)
    want = pq.read_table(out)
    got = playbook.fraud_predict(model.read_text(), pq.read_table(tx))
    assert got.column_names == want.column_names
    for c in want.column_names:
        assert got[c].to_pylist() == want[c].to_pylist(), c


def test_pitching_flags_equal_the_command_line(cli, samples, tmp_path):
    src = samples / "pitches_2021_06.parquet"
    out = tmp_path / "flags.parquet"
    cli("pitching", "flags", "--input", src, "--out", out)
    want = pq.read_table(out)
    got = playbook.pitching_flags(pq.read_table(src))
    assert want.num_rows > 0
    assert got.column_names == want.column_names
    assert got.num_rows == want.num_rows
    for c in want.column_names:
        g, w = got[c].to_pylist(), want[c].to_pylist()
        if pa.types.is_floating(want.schema.field(c).type):
            assert all(close(a, b, 1e-12) for a, b in zip(g, w)), c
        else:
            assert [str(v) for v in g] == [str(v) for v in w], c


def test_bad_input_raises_the_command_lines_message(cli, samples, tmp_path):
    src = tmp_path / "table.csv"
    src.write_text((samples / "store_sales_small.csv").read_text())
    p = cli("forecast", "--input", src, "--value-col", "revenue", "--out", tmp_path / "x.csv",
            ok=False)
    assert p.returncode != 0
    cli_message = p.stderr.strip().removeprefix("error: ")
    with pytest.raises(playbook.PlaybookError) as e:
        playbook.forecast(pacsv.read_csv(src), value_col="revenue")
    assert isinstance(e.value, ValueError)
    assert str(e.value) == cli_message.replace("table.csv", "table"), (str(e.value), cli_message)
    with pytest.raises(playbook.PlaybookError, match="expected exact or h3"):
        playbook.spatial_join(pa.table({"x": [1.0]}), "{}", method="grid")
    with pytest.raises(playbook.PlaybookError, match="not a Playbook fraud model"):
        playbook.fraud_predict("{", pa.table({"x": [1.0]}))


def test_rayon_num_threads_is_respected():
    code = "import playbook; print(playbook.threads())"
    for n in ["1", "2"]:
        env = dict(os.environ, RAYON_NUM_THREADS=n)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout.strip()
        assert out == n
