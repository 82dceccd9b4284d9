//! Loading real and broken files: every bad input gives a clear error naming the file (and the
//! column), never a panic.

use playbook::data::{self, DataError, schema};
use polars::prelude::*;

use crate::{sample, temp_file};

fn load_err(path: &std::path::Path) -> (DataError, String) {
    let err = match data::load_path(path) {
        Ok(ds) => panic!("{} loaded with {} rows", path.display(), ds.rows()),
        Err(e) => e,
    };
    let msg = err.to_string();
    (err, msg)
}

#[test]
fn loads_every_sample_file() {
    let weather = data::load_path(&sample("seattle-weather.csv")).unwrap();
    assert_eq!(weather.rows(), 1461);
    assert_eq!(weather.frame.width(), 6);
    let boroughs = data::load_path(&sample("nyc_boroughs.geojson")).unwrap();
    assert_eq!(boroughs.rows(), 5);
    let names = boroughs.frame.column("BoroName").unwrap();
    assert_eq!(names.dtype(), &DataType::String);
    assert_eq!(boroughs.geometries.as_ref().map(|g| g.len()), Some(5));
    let kinds = boroughs.frame.column("geometry_type").unwrap();
    assert_eq!(kinds.get(0).unwrap(), AnyValue::String("MultiPolygon"));
    assert_eq!(
        data::sample::load_all().unwrap().len(),
        data::sample::SAMPLES.len()
    );
}

#[test]
fn parquet_round_trip() {
    let ds = data::load_path(&sample("stocks.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stocks.parquet");
    playbook::export::write_table(&ds.frame, &path).unwrap();
    let back = data::load_path(&path).unwrap();
    assert!(back.frame.equals_missing(&ds.frame));
}

#[test]
fn missing_file() {
    let (e, msg) = load_err(std::path::Path::new("/nonexistent/sales.csv"));
    assert!(matches!(e, DataError::NotFound(_)));
    assert!(
        msg.contains("/nonexistent/sales.csv") && msg.contains("no such file"),
        "{msg}"
    );
}

#[test]
fn directory_instead_of_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("folder.csv");
    std::fs::create_dir(&path).unwrap();
    let (e, msg) = load_err(&path);
    assert!(matches!(e, DataError::IsDirectory(_)), "{msg}");
    assert!(msg.contains("folder.csv"));
}

#[test]
fn empty_file() {
    let (_d, path) = temp_file("empty.csv", b"");
    let (e, msg) = load_err(&path);
    assert!(matches!(e, DataError::Empty(_)));
    assert!(msg.contains("empty.csv") && msg.contains("empty"), "{msg}");
}

#[test]
fn ragged_rows() {
    let (_d, path) = temp_file("ragged.csv", b"a,b\n1,2\n3,4,5\n6,7\n");
    let (e, msg) = load_err(&path);
    assert!(matches!(e, DataError::Csv { .. }), "{msg}");
    assert!(
        msg.contains("ragged.csv") && msg.contains("more fields"),
        "{msg}"
    );
}

#[test]
fn bad_quoting() {
    let (_d, path) = temp_file("quotes.csv", b"a,b\n\"1,2\n3,4\n5,\"6\"x,7\n");
    let (e, msg) = load_err(&path);
    assert!(matches!(e, DataError::Csv { .. }), "{msg}");
    assert!(msg.contains("quotes.csv"), "{msg}");
}

#[test]
fn not_utf8() {
    let (_d, path) = temp_file("latin1.csv", b"name,value\ncaf\xe9,1\nna\xefve,2\n");
    let (e, msg) = load_err(&path);
    assert!(matches!(e, DataError::NotUtf8 { offset: 14, .. }), "{msg}");
    assert!(msg.contains("latin1.csv") && msg.contains("UTF-8"), "{msg}");
}

#[test]
fn truncated_parquet() {
    let ds = data::load_path(&sample("seattle-weather.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.parquet");
    playbook::export::write_table(&ds.frame, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for keep in [bytes.len() / 2, bytes.len() - 10, 12] {
        std::fs::write(&path, &bytes[..keep]).unwrap();
        let (e, msg) = load_err(&path);
        assert!(matches!(e, DataError::Parquet { .. }), "{msg}");
        assert!(msg.contains("cut.parquet"), "{msg}");
    }
}

/// Found by fuzzing: a page header declaring -63 values made polars ask for 2^61 bytes and
/// abort the process. Now the page headers are checked before polars decodes anything.
#[test]
fn parquet_page_declaring_a_negative_value_count() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus/parquet/negative_value_count.parquet");
    let (e, msg) = load_err(&path);
    assert!(matches!(e, DataError::Parquet { .. }), "{msg}");
    assert!(
        msg.contains("negative_value_count.parquet")
            && msg.contains("column 'a'")
            && msg.contains("-63 values"),
        "{msg}"
    );
    let bytes = std::fs::read(&path).unwrap();
    let Err(from_bytes) = data::load_bytes(path.to_str().unwrap(), &bytes) else {
        panic!("loaded from bytes");
    };
    assert_eq!(from_bytes.to_string(), msg);
}

/// Every Parquet file in the fuzz corpus (the seeds and what fuzzing found) loads or gives a
/// Parquet error naming the file; none panics or aborts the test process.
#[test]
fn every_parquet_file_in_the_fuzz_corpus_loads_or_is_refused() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/parquet");
    let mut refused = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if let Err(e) = data::load_path(&path) {
            let msg = e.to_string();
            assert!(matches!(e, DataError::Parquet { .. }), "{msg}");
            assert!(
                msg.contains(&*path.file_name().unwrap().to_string_lossy()),
                "{msg}"
            );
            refused += 1;
        }
    }
    assert!(refused >= 4, "only {refused} of the corrupt seeds refused");
}

/// Every CSV file in the fuzz corpus (the seeds and what fuzzing found: one made polars' CSV
/// parser panic on a worker thread) loads or gives an error naming the file, never a panic.
#[test]
fn every_csv_file_in_the_fuzz_corpus_loads_or_is_refused() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/csv");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        if let Err(e) = data::load_bytes("fuzzed.csv", &bytes) {
            assert!(e.to_string().starts_with("fuzzed.csv"), "{e}");
        }
    }
    let found = dir.join("parser_slice_panic.csv");
    let (e, msg) = load_err(&found);
    assert!(matches!(e, DataError::Csv { .. }), "{msg}");
}

/// The layout check passes what real writers make: many row groups and pages, nulls,
/// dictionary-encoded text, booleans, dates.
#[test]
fn parquet_layout_check_passes_real_files() {
    let n = 5_000;
    let mut frame = df!(
        "id" => (0..n as i64).collect::<Vec<_>>(),
        "maybe" => (0..n).map(|i| (i % 7 != 0).then_some(i as f64 * 0.5)).collect::<Vec<_>>(),
        "word" => (0..n).map(|i| ["alpha", "beta", "gamma"][i % 3]).collect::<Vec<_>>(),
        "flag" => (0..n).map(|i| i % 2 == 0).collect::<Vec<_>>(),
        "none" => (0..n).map(|_| None::<i32>).collect::<Vec<_>>(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many_pages.parquet");
    let file = std::fs::File::create(&path).unwrap();
    ParquetWriter::new(file)
        .with_row_group_size(Some(700))
        .with_data_page_size(Some(1024))
        .finish(&mut frame)
        .unwrap();
    let back = data::load_path(&path).unwrap();
    assert!(back.frame.equals_missing(&frame));
}

#[test]
fn csv_renamed_as_parquet() {
    let (_d, path) = temp_file("fake.parquet", b"a,b\n1,2\n");
    let (e, msg) = load_err(&path);
    assert!(matches!(e, DataError::Parquet { .. }), "{msg}");
}

#[test]
fn geojson_that_is_not_json() {
    let (_d, path) = temp_file(
        "broken.geojson",
        b"{\"type\": \"FeatureCollection\", \"features\": [",
    );
    let (e, msg) = load_err(&path);
    assert!(matches!(e, DataError::GeoJson { .. }), "{msg}");
    assert!(msg.contains("broken.geojson"), "{msg}");
}

#[test]
fn geojson_with_unsupported_geometry() {
    let text = br#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"n":1},"geometry":{"type":"Point","coordinates":[1,2]}},
      {"type":"Feature","properties":{"n":2},"geometry":{"type":"GeometryCollection","geometries":[]}}]}"#;
    let (_d, path) = temp_file("mixed.geojson", text);
    let (_, msg) = load_err(&path);
    assert!(
        msg.contains("mixed.geojson") && msg.contains("feature 1"),
        "{msg}"
    );
    assert!(msg.contains("GeometryCollection"), "{msg}");
}

#[test]
fn geojson_with_invalid_ring() {
    let text = br#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}"#;
    let (_d, path) = temp_file("ring.geojson", text);
    let (_, msg) = load_err(&path);
    assert!(msg.contains("invalid polygon ring"), "{msg}");
}

#[test]
fn unsupported_extension() {
    let (_d, path) = temp_file("notes.xlsx", b"x");
    let (e, msg) = load_err(&path);
    assert!(matches!(e, DataError::UnsupportedFormat { .. }), "{msg}");
}

#[test]
fn missing_and_non_numeric_columns() {
    let ds = data::load_path(&sample("seattle-weather.csv")).unwrap();
    let e = schema::numeric_values(&ds.name, &ds.frame, "humidity").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("seattle-weather.csv") && msg.contains("'humidity' not found"),
        "{msg}"
    );
    assert!(msg.contains("temp_max"), "lists the real columns: {msg}");
    let e = schema::numeric_values(&ds.name, &ds.frame, "weather").unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, DataError::NotNumeric { .. }), "{msg}");
    assert!(msg.contains("'weather' is str"), "{msg}");
    let v = schema::numeric_values(&ds.name, &ds.frame, "temp_max").unwrap();
    assert_eq!(v.len(), 1461);
}
