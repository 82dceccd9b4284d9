//! Exports: charts as PNG/SVG/CSV rendered from data, tables as CSV/Parquet, atomic writes.

use playbook::chart::Chart;
use playbook::compute::{NoProgress, histogram::histogram};
use playbook::export::{self, ExportError};
use polars::prelude::*;

fn chart() -> Chart {
    let values: Vec<f64> = (0..1000).map(|i| ((i * 37) % 101) as f64).collect();
    Chart::histogram("test", "x", histogram(&values, 10, &NoProgress).unwrap())
}

#[test]
fn png_has_the_fixed_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.png");
    export::write_chart(&chart(), &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR: width and height, big-endian, at bytes 16..24.
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((w, h), export::CHART_SIZE);
}

#[test]
fn svg_and_csv_carry_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("h.svg");
    export::write_chart(&chart(), &svg).unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("</svg>"));
    assert!(text.contains("\ntest\n</text>"), "title drawn as text");
    let csv = dir.path().join("h.csv");
    export::write_chart(&chart(), &csv).unwrap();
    let back = playbook::data::load_path(&csv).unwrap();
    assert_eq!(back.rows(), 10);
    let total: i64 = back
        .frame
        .column("count")
        .unwrap()
        .as_materialized_series()
        .sum()
        .unwrap();
    assert_eq!(total, 1000);
}

#[test]
fn unknown_extension_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.jpg");
    let e = export::write_chart(&chart(), &path).unwrap_err();
    assert!(matches!(e, ExportError::Format { .. }));
    assert!(e.to_string().contains("h.jpg"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn failed_table_write_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, "old").unwrap();
    // A folder that does not exist: the temp file cannot be made, nothing changes.
    let missing = dir.path().join("nope").join("t.csv");
    let df = df!("a" => [1, 2]).unwrap();
    assert!(export::write_table(&df, &missing).is_err());
    export::write_table(&df, &path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\n1\n2\n");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp files left"
    );
}

/// The rightmost edge of the filled bars in an SVG written by `write_chart`.
fn bars_right_edge(svg: &str) -> i64 {
    svg.lines()
        .filter(|l| l.starts_with("<rect") && l.contains("fill=\"#4C78A8\""))
        .map(|l| {
            let attr = |name: &str| -> i64 {
                let start = l.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                l[start..].split('"').next().unwrap().parse().unwrap()
            };
            attr("x") + attr("width")
        })
        .max()
        .unwrap()
}

#[test]
fn bar_charts_use_the_whole_width() {
    let t = playbook::compute::top_values::top_values(
        &Column::new("s".into(), ["a", "b", "b", "c", "c", "c"]),
        10,
        &NoProgress,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bars.svg");
    export::write_chart(&Chart::top_values("bars", "s", &t), &path).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    // The plot spans x = 100..980 (1000 px less margins); the last of three bars ends near its
    // right end, not one empty segment short of it.
    let right = bars_right_edge(&svg);
    assert!((950..=980).contains(&right), "last bar ends at x = {right}");
    let path = dir.path().join("hist.svg");
    export::write_chart(&chart(), &path).unwrap();
    let right = bars_right_edge(&std::fs::read_to_string(&path).unwrap());
    assert!((970..=980).contains(&right), "last bin ends at x = {right}");
}

/// An exported chart notes where its numbers came from, at its foot.
#[test]
fn exported_charts_name_their_data_source() {
    use playbook::chart::{Chart, Line};
    let dir = tempfile::tempdir().unwrap();
    let chart = Chart::lines(
        "t",
        "x",
        "y",
        vec![Line::new("a", vec![(0.0, 1.0), (1.0, 2.0)])],
        Vec::new(),
    )
    .with_source("sales.csv");
    let path = dir.path().join("c.svg");
    playbook::export::write_chart(&chart, &path).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.contains("Data: sales.csv"), "{svg}");
    let plain = Chart {
        source: None,
        ..chart
    };
    playbook::export::write_chart(&plain, &path).unwrap();
    assert!(!std::fs::read_to_string(&path).unwrap().contains("Data:"));
}
