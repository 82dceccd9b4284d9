"""Join points to polygons inside Spark with Playbook's spatial kernel (``mapInArrow``).

The book joins pickups to borough polygons with Spark UDFs. Here each partition's record
batches go to Playbook's join (exact point-in-polygon, or H3 cells) with the polygons shipped to
every task as GeoJSON text; each point comes back with its polygon's name.

    python examples/spark_spatial.py taxi_pickups.csv nyc_boroughs.geojson counts.csv
"""

import argparse
import os
import sys

import pyarrow as pa

import playbook


def join_batches(batches, geojson, lon_col, lat_col, name_col, method):
    """Each record batch of a partition, joined (runs on the executors)."""
    for batch in batches:
        # Spark's schema: the batch's columns and a text polygon (Playbook returns large_string).
        schema = batch.schema.append(pa.field("polygon", pa.string()))
        joined = playbook.spatial_join(
            batch,
            geojson,
            lon_col=lon_col,
            lat_col=lat_col,
            name_col=name_col,
            method=method,
        )
        yield from joined.cast(schema).to_batches()


def join(df, geojson, lon_col, lat_col, name_col, method="exact"):
    """A Spark DataFrame of points to the same rows with a `polygon` column."""
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType(df.schema.fields + [StructField("polygon", StringType())])
    # The executors import this module to run join_batches: ship it to them.
    df.sparkSession.sparkContext.addPyFile(__file__)
    return df.mapInArrow(
        lambda it: join_batches(it, geojson, lon_col, lat_col, name_col, method), schema
    )


def main():
    from pyspark.sql import SparkSession

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("points")
    ap.add_argument("polygons", help="GeoJSON file")
    ap.add_argument("out", help="CSV of points per polygon")
    ap.add_argument("--lon-col", default="pickup_longitude")
    ap.add_argument("--lat-col", default="pickup_latitude")
    ap.add_argument("--name-col", default="BoroName")
    ap.add_argument("--method", default="exact", choices=["exact", "h3"])
    a = ap.parse_args()
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("playbook-spatial")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    geojson = open(a.polygons, encoding="utf-8").read()
    df = spark.read.csv(a.points, header=True, inferSchema=True)
    counts = join(df, geojson, a.lon_col, a.lat_col, a.name_col, a.method).groupBy("polygon").count()
    counts.toPandas().to_csv(a.out, index=False)
    print(counts.orderBy("polygon").collect())
    spark.stop()


if __name__ == "__main__":
    main()
