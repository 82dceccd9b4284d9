//! `playbook spatial`: H3 cells against h3-py, borough counts against GeoPandas, hexbins, the
//! H3 join's agreement with the exact join, and bad input.

use h3o::{LatLng, Resolution};

use crate::{playbook as run, sample, temp_file};

fn json(o: &std::process::Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn h3_cells_and_centres_equal_h3_py() {
    let text = include_str!("fixtures/h3_cells.csv");
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let res = [3u8, 7, 9, 12];
    let mut centres = 0;
    for (i, line) in lines.enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let (lon, lat): (f64, f64) = (f[0].parse().unwrap(), f[1].parse().unwrap());
        for (k, &r) in res.iter().enumerate() {
            let cell = LatLng::new(lat, lon)
                .unwrap()
                .to_cell(Resolution::try_from(r).unwrap());
            assert_eq!(cell.to_string(), f[2 + k], "row {i} {}", head[2 + k]);
            let (clat, clon) = (f[6 + 2 * k], f[7 + 2 * k]);
            if !clat.is_empty() {
                let c = LatLng::from(cell);
                assert!(
                    (c.lat() - clat.parse::<f64>().unwrap()).abs() < 1e-9,
                    "row {i}"
                );
                assert!(
                    (c.lng() - clon.parse::<f64>().unwrap()).abs() < 1e-9,
                    "row {i}"
                );
                centres += 1;
            }
        }
    }
    assert_eq!(centres, 500 * 4);
}

#[test]
fn borough_counts_equal_geopandas() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/geopandas_counts.json")).unwrap();
    let points = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/nyc_points.csv");
    let boroughs = sample("nyc_boroughs.geojson");
    let v = json(&run(&[
        "spatial",
        "join",
        "--points",
        points,
        "--lon-col",
        "lon",
        "--lat-col",
        "lat",
        "--polygons",
        boroughs.to_str().unwrap(),
        "--name-col",
        "BoroName",
        "--json",
    ]));
    assert_eq!(v["points"], fixture["points"]);
    assert_eq!(v["matched"], fixture["matched"]);
    for (name, count) in fixture["counts"].as_object().unwrap() {
        assert_eq!(v["counts"][name], *count, "{name}");
    }
}

#[test]
fn joins_and_hexbins_the_sample_pickups() {
    let dir = tempfile::tempdir().unwrap();
    let taxi = sample("taxi_pickups.csv");
    let boroughs = sample("nyc_boroughs.geojson");
    let joined = dir.path().join("joined.csv");
    let counts = dir.path().join("counts.csv");
    let args = |method: &str, res: &str| {
        vec![
            "spatial".to_owned(),
            "join".into(),
            "--points".into(),
            taxi.to_str().unwrap().into(),
            "--polygons".into(),
            boroughs.to_str().unwrap().into(),
            "--name-col".into(),
            "BoroName".into(),
            "--method".into(),
            method.into(),
            "--resolution".into(),
            res.into(),
            "--json".into(),
            "--out".into(),
            joined.to_str().unwrap().into(),
            "--counts-out".into(),
            counts.to_str().unwrap().into(),
        ]
    };
    let a: Vec<String> = args("exact", "7");
    let v = json(&run(&a.iter().map(String::as_str).collect::<Vec<_>>()));
    assert_eq!(v["points"], 20_000);
    let matched = v["matched"].as_u64().unwrap();
    assert!(matched > 17_000 && matched < 20_000, "{matched}");
    assert!(v["counts"]["Manhattan"].as_u64().unwrap() > 8_000);
    let j = playbook::data::load_path(&joined).unwrap().frame;
    assert_eq!(j.height(), 20_000);
    let named = j.column("polygon").unwrap().null_count();
    assert_eq!(20_000 - named as u64, matched);
    let c = std::fs::read_to_string(&counts).unwrap();
    assert!(c.starts_with("name,count\n"), "{c}");
    // Finer H3 cells agree more with the exact join.
    let same = |res: &str| {
        let a = args("h3", res);
        json(&run(&a.iter().map(String::as_str).collect::<Vec<_>>()))["same_as_exact"]
            .as_f64()
            .unwrap()
    };
    let (r7, r9) = (same("7"), same("9"));
    assert!(r9 > r7 && r9 > 0.97, "resolution 7: {r7}, 9: {r9}");

    let cells = dir.path().join("cells.csv");
    let o = run(&[
        "spatial",
        "hexbin",
        "--points",
        taxi.to_str().unwrap(),
        "--resolution",
        "7",
        "--out",
        cells.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = playbook::data::load_path(&cells).unwrap().frame;
    let names: Vec<String> = t.get_column_names().iter().map(|c| c.to_string()).collect();
    assert_eq!(names, ["h3", "count", "lat", "lon"]);
    let total: i64 = t
        .column("count")
        .unwrap()
        .i64()
        .unwrap()
        .into_no_null_iter()
        .sum();
    assert_eq!(total, 20_000);
    let first = t
        .column("h3")
        .unwrap()
        .str()
        .unwrap()
        .get(0)
        .unwrap()
        .to_owned();
    assert_eq!(first.len(), 15);
    assert!(first.starts_with("87"), "{first}");
}

#[test]
fn bad_inputs_are_clear_errors_or_counted_skips() {
    let err = |args: &[&str]| {
        let o = run(args);
        assert!(!o.status.success(), "{args:?} should fail");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let boroughs = sample("nyc_boroughs.geojson");
    let b = boroughs.to_str().unwrap();
    let (_d, pts) = temp_file(
        "pts.csv",
        b"lon,lat\n-73.97,40.78\n-73.97,95\n,40.7\nNaN,40.7\n-73.95,40.65\n",
    );
    let p = pts.to_str().unwrap();
    let o = run(&[
        "spatial",
        "join",
        "--points",
        p,
        "--lon-col",
        "lon",
        "--lat-col",
        "lat",
        "--polygons",
        b,
        "--name-col",
        "BoroName",
        "--json",
    ]);
    let v = json(&o);
    assert_eq!(v["points"], 2);
    assert_eq!(v["skipped_rows"], 3);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("3 rows skipped: 2 with empty or NaN coordinates, 1 with a latitude outside"),
        "{e}"
    );
    let e = err(&[
        "spatial",
        "join",
        "--points",
        p,
        "--lon-col",
        "x",
        "--lat-col",
        "lat",
        "--polygons",
        b,
    ]);
    assert!(e.contains("pts.csv") && e.contains("'x' not found"), "{e}");
    let (_d, cities) = temp_file(
        "cities.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
    );
    let e = err(&[
        "spatial",
        "join",
        "--points",
        p,
        "--lon-col",
        "lon",
        "--lat-col",
        "lat",
        "--polygons",
        cities.to_str().unwrap(),
    ]);
    assert!(
        e.contains("cities.geojson: no Polygon or MultiPolygon geometries"),
        "{e}"
    );
    let (_d, wkt) = temp_file(
        "zones.csv",
        b"zone,the_geom\nA,\"POLYGON ((0 0, 1 0, 0 0))\"\n",
    );
    let e = err(&[
        "spatial",
        "join",
        "--points",
        p,
        "--lon-col",
        "lon",
        "--lat-col",
        "lat",
        "--polygons",
        wkt.to_str().unwrap(),
        "--wkt-col",
        "the_geom",
    ]);
    assert!(
        e.contains("zones.csv: row 1 of column 'the_geom': invalid ring 0 (3 positions"),
        "{e}"
    );
    let e = err(&[
        "spatial",
        "hexbin",
        "--points",
        p,
        "--lon-col",
        "lon",
        "--lat-col",
        "lat",
        "--resolution",
        "16",
        "--out",
        "/tmp/x.csv",
    ]);
    assert!(
        e.contains("H3 resolution must be from 0 to 15, got 16"),
        "{e}"
    );
}

#[test]
fn shapefiles_and_wkt_tables_are_polygons_too() {
    let shp = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/shp/boroughs.shp"
    );
    let points = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/nyc_points.csv");
    let v = json(&run(&[
        "spatial",
        "join",
        "--points",
        points,
        "--lon-col",
        "lon",
        "--lat-col",
        "lat",
        "--polygons",
        shp,
        "--name-col",
        "BoroName",
        "--json",
    ]));
    assert_eq!(v["polygons"], 5);
    // Simplified to 0.001 degrees: within 1% of GeoPandas' counts on the full outlines.
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/geopandas_counts.json")).unwrap();
    for (name, want) in fixture["counts"].as_object().unwrap() {
        let got = v["counts"][name].as_f64().unwrap();
        let want = want.as_f64().unwrap();
        assert!(
            (got - want).abs() <= 0.01 * want + 5.0,
            "{name}: {got} vs {want}"
        );
    }
    // The same outlines in New York State Plane feet (EPSG:2263), as GeoPandas wrote them: the
    // shapefile's .prj, the GeoJSON's crs member, and that GeoJSON without it but with --crs,
    // are brought back to WGS 84 and give the same counts as the WGS 84 shapefile.
    let projected = |file: &str, extra: &[&str]| {
        let mut args = vec![
            "spatial",
            "join",
            "--points",
            points,
            "--lon-col",
            "lon",
            "--lat-col",
            "lat",
            "--polygons",
            file,
            "--name-col",
            "BoroName",
            "--json",
        ];
        args.extend_from_slice(extra);
        let o = run(&args);
        let e = String::from_utf8_lossy(&o.stderr).to_string();
        (json(&o), e)
    };
    let dir = env!("CARGO_MANIFEST_DIR");
    let shp_2263 = format!("{dir}/tests/fixtures/shp/boroughs_2263.shp");
    let geojson_2263 = format!("{dir}/tests/fixtures/shp/boroughs_2263.geojson");
    let text = std::fs::read_to_string(&geojson_2263).unwrap();
    let mut silent: serde_json::Value = serde_json::from_str(&text).unwrap();
    silent.as_object_mut().unwrap().remove("crs");
    let (_d, silent) = temp_file("boroughs_feet.geojson", silent.to_string().as_bytes());
    for (file, extra, says) in [
        (
            shp_2263.as_str(),
            &[][..],
            "NAD_1983_StatePlane_New_York_Long_Island_FIPS_3104_Feet",
        ),
        (geojson_2263.as_str(), &[][..], "EPSG:2263"),
        (
            silent.to_str().unwrap(),
            &["--crs", "EPSG:2263"][..],
            "EPSG:2263",
        ),
    ] {
        let (p, e) = projected(file, extra);
        assert_eq!(p["counts"], v["counts"], "{file}");
        assert_eq!(p["matched"], v["matched"], "{file}");
        assert!(
            e.contains(&format!("coordinates reprojected from {says}")),
            "{file}: {e}"
        );
    }
    // Without its system the feet are not longitudes: an error that says how to name it.
    let o = run(&[
        "spatial",
        "join",
        "--points",
        points,
        "--lon-col",
        "lon",
        "--lat-col",
        "lat",
        "--polygons",
        silent.to_str().unwrap(),
        "--json",
    ]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("projected coordinate system") && e.contains("--crs"),
        "{e}"
    );
    // A file that says its own system refuses a second one; an unknown code is named.
    for (file, code, want) in [
        (
            geojson_2263.as_str(),
            "EPSG:2263",
            "declares its own coordinate system",
        ),
        (silent.to_str().unwrap(), "EPSG:27700", "EPSG:27700"),
    ] {
        let o = run(&[
            "spatial",
            "join",
            "--points",
            points,
            "--lon-col",
            "lon",
            "--lat-col",
            "lat",
            "--polygons",
            file,
            "--crs",
            code,
        ]);
        assert!(!o.status.success());
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains(want), "{e}");
    }
    // A table whose WKT column is found without --wkt-col (like the book's taxi zones).
    let (_d, zones) = temp_file(
        "zones.wkt.csv",
        b"zone,the_geom\nsouth,\"POLYGON ((-74.3 40.4, -73.6 40.4, -73.6 40.7, -74.3 40.7, -74.3 40.4))\"\nnorth,\"MULTIPOLYGON (((-74.3 40.7, -73.6 40.7, -73.6 41, -74.3 41, -74.3 40.7)))\"\n",
    );
    let v = json(&run(&[
        "spatial",
        "join",
        "--points",
        points,
        "--lon-col",
        "lon",
        "--lat-col",
        "lat",
        "--polygons",
        zones.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(v["polygons"], 2);
    assert_eq!(v["matched"], 10_000);
    assert!(
        v["counts"]["south"].as_u64().unwrap() > 0 && v["counts"]["north"].as_u64().unwrap() > 0
    );
}

#[test]
fn a_ring_that_crosses_itself_is_a_warning_naming_the_feature() {
    let join = |polygons: &str, extra: &[&str]| {
        let points = sample("taxi_pickups.csv");
        let polygons = sample(polygons);
        let args = [
            &[
                "--no-record",
                "spatial",
                "join",
                "--points",
                points.to_str().unwrap(),
                "--lon-col",
                "pickup_longitude",
                "--lat-col",
                "pickup_latitude",
                "--polygons",
                polygons.to_str().unwrap(),
            ][..],
            extra,
        ]
        .concat();
        run(&args)
    };
    // Natural Earth's Sudan crosses itself near (33.96, 9.46): Shapely's explain_validity says
    // "Self-intersection[33.9633927949711 9.46428522942063]"; no other country does.
    let o = join("naturalearth_countries.geojson", &["--name-col", "name"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "warning: naturalearth_countries.geojson: 'Sudan' has a ring that crosses itself"
        ),
        "{err}"
    );
    assert_eq!(err.matches("crosses itself").count(), 1, "{err}");
    // The boroughs are clean.
    let o = join("nyc_boroughs.geojson", &[]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("crosses itself"));
}

/// `--keep-cols` appends polygon attributes to every joined point and to the counts, as
/// GeoPandas' sjoin keeps the right frame's columns; a missing one names the file and column.
#[test]
fn kept_polygon_columns_follow_each_point() {
    let dir = tempfile::tempdir().unwrap();
    let taxi = sample("taxi_pickups.csv");
    let boroughs = sample("nyc_boroughs.geojson");
    let joined = dir.path().join("joined.csv");
    let counts = dir.path().join("counts.csv");
    let o = run(&[
        "spatial",
        "join",
        "--points",
        taxi.to_str().unwrap(),
        "--polygons",
        boroughs.to_str().unwrap(),
        "--name-col",
        "BoroName",
        "--keep-cols",
        "BoroCode,BoroName",
        "--out",
        joined.to_str().unwrap(),
        "--counts-out",
        counts.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let j = playbook::data::load_path(&joined).unwrap().frame;
    assert_eq!(j.height(), 20_000);
    let polygon = j.column("polygon").unwrap().str().unwrap().clone();
    let kept = j.column("BoroName").unwrap().str().unwrap().clone();
    let code = j.column("BoroCode").unwrap().i64().unwrap().clone();
    let mut matched = 0;
    for k in 0..j.height() {
        // The kept name is the joined polygon's; outside every polygon both are empty.
        assert_eq!(polygon.get(k), kept.get(k), "row {k}");
        assert_eq!(polygon.get(k).is_some(), code.get(k).is_some(), "row {k}");
        matched += usize::from(polygon.get(k).is_some());
        if polygon.get(k) == Some("Manhattan") {
            assert_eq!(code.get(k), Some(1), "row {k}");
        }
    }
    assert!(matched > 17_000, "{matched}");
    let c = std::fs::read_to_string(&counts).unwrap();
    assert!(c.starts_with("name,BoroCode,BoroName,count\n"), "{c}");
    assert!(c.contains("Manhattan,1,Manhattan,"), "{c}");

    let o = run(&[
        "spatial",
        "join",
        "--points",
        taxi.to_str().unwrap(),
        "--polygons",
        boroughs.to_str().unwrap(),
        "--keep-cols",
        "zone",
        "--out",
        joined.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("nyc_boroughs.geojson") && err.contains("zone"),
        "{err}"
    );
}
