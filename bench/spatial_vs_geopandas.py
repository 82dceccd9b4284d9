#!/usr/bin/env python3
"""Side-by-side spatial benchmark: Playbook's `spatial join` against GeoPandas `sjoin`
(shapely 2, predicate "within") on the same N random points over the NYC boroughs' bounding
box (10 million by default) and the five borough MultiPolygons (about 76,000 vertices).
Checks that every point gets the same borough, then times Playbook's H3 joins and hexbins at
resolutions 7 and 9 with their agreement with the exact join.

usage: bench/spatial_vs_geopandas.py [--points 10000000] [--playbook PATH] [--keep FILE]
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

import geopandas as gpd
import numpy as np
import pandas as pd

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument("--points", type=int, default=10_000_000)
ap.add_argument("--keep", help="also write the points here (for the map frame-time bench)")
ap.add_argument("--playbook", default=os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
args = ap.parse_args()

boroughs_path = os.path.join(root, "sample-data", "nyc_boroughs.geojson")
boroughs = gpd.read_file(boroughs_path)
minx, miny, maxx, maxy = boroughs.total_bounds
rng = np.random.default_rng(10)
n = args.points
pts = pd.DataFrame({
    "pickup_longitude": rng.uniform(minx, maxx, n),
    "pickup_latitude": rng.uniform(miny, maxy, n),
})
tmp = tempfile.mkdtemp()
data = args.keep or os.path.join(tmp, "points.parquet")
pts.to_parquet(data, index=False)


def playbook(*extra):
    t = time.perf_counter()
    out = subprocess.run([args.playbook, "spatial", *extra], check=True, capture_output=True)
    return time.perf_counter() - t, out.stdout


join = ["join", "--points", data, "--polygons", boroughs_path, "--name-col", "BoroName", "--json"]
runs = [playbook(*join) for _ in range(3)]
pb_wall = float(np.median([w for w, _ in runs]))
pb = [json.loads(o) for _, o in runs]
pb_join = float(np.median([v["seconds"] for v in pb]))
joined = os.path.join(tmp, "joined.parquet")
playbook(*join, "--out", joined)

t = time.perf_counter()
g = gpd.GeoDataFrame(pts, geometry=gpd.points_from_xy(pts.pickup_longitude, pts.pickup_latitude),
                     crs=boroughs.crs)
j = gpd.sjoin(g, boroughs[["BoroName", "geometry"]], predicate="within", how="left")
gp = time.perf_counter() - t
gp_names = j["BoroName"].sort_index().to_numpy()
pb_names = pd.read_parquet(joined, columns=["polygon"])["polygon"].to_numpy()
same = np.mean([(a == b) or (pd.isna(a) and pd.isna(b)) for a, b in zip(pb_names, gp_names)]) \
    if n <= 2_000_000 else float((pd.Series(pb_names).fillna("") == pd.Series(gp_names).fillna("")).mean())

print(f"{n} points, 5 boroughs ({pb[0]['vertices']} vertices), on {os.cpu_count()} cores")
print(f"{'':<34} {'seconds':>8} {'points/s':>12}")
print(f"{'playbook exact join (median of 3)':<34} {pb_join:>8.2f} {n / pb_join:>12.3g}"
      f"   (whole command incl. reading the file: {pb_wall:.2f} s)")
print(f"{'geopandas sjoin within':<34} {gp:>8.2f} {n / gp:>12.3g}   (incl. making the points)")
print(f"speed-up: {gp / pb_join:.1f}x (join), {gp / pb_wall:.1f}x (whole command against "
      f"GeoPandas' points + sjoin); same borough for {same * 100:.4f}% of the points")
for res in (7, 9):
    w, o = playbook(*join[:-1], "--method", "h3", "--resolution", str(res), "--json")
    v = json.loads(o)
    hw, _ = playbook("hexbin", "--points", data, "--resolution", str(res), "--out",
                     os.path.join(tmp, f"cells{res}.csv"))
    print(f"H3 resolution {res}: join {v['seconds']:.2f} s, same borough as exact for "
          f"{v['same_as_exact'] * 100:.2f}% of the points; hexbin command {hw:.2f} s")
