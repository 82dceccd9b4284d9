//! Everything Playbook writes to disk: tables as CSV or Parquet, charts as PNG or SVG (rendered
//! from the chart's data, independent of any window) or as the CSV of their numbers. Every
//! write is atomic: a temp file in the destination folder, then a rename; a failed or cancelled
//! export leaves nothing behind.

mod atomic;
mod render;

use std::path::Path;

use polars::prelude::*;

pub use atomic::write_atomic;

use crate::chart::Chart;

/// Why an export failed; names the destination.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{}: {source}", path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{}: unsupported export type '{ext}' (expected {expected})", path.display())]
    Format {
        path: std::path::PathBuf,
        ext: String,
        expected: &'static str,
    },
    #[error("{}: {detail}", path.display())]
    Render {
        path: std::path::PathBuf,
        detail: String,
    },
}

fn ext(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Write a table as `.csv` or `.parquet`, chosen by the extension of `path`.
pub fn write_table(df: &DataFrame, path: &Path) -> Result<(), ExportError> {
    let mut df = df.clone();
    match ext(path).as_str() {
        "csv" => write_atomic(path, |f| {
            let mut df = spreadsheet_safe(&df).map_err(std::io::Error::other)?;
            CsvWriter::new(f)
                .include_header(true)
                .finish(&mut df)
                .map_err(std::io::Error::other)
        })
        .map_err(io_err(path)),
        "parquet" => write_atomic(path, |f| {
            ParquetWriter::new(f)
                .finish(&mut df)
                .map(|_| ())
                .map_err(std::io::Error::other)
        })
        .map_err(io_err(path)),
        other => Err(ExportError::Format {
            path: path.to_owned(),
            ext: other.to_owned(),
            expected: ".csv or .parquet",
        }),
    }
}

/// A text cell a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+`, `-`, `@`, or a
/// leading tab or carriage return), made inert with a leading `'` as OWASP advises; numbers
/// written as text (`-5`, `+1.5e3`) are left as they are.
pub(crate) fn inert(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && text.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// `df` with every text cell and column name `inert`: what CSV exports write, since a CSV is
/// opened in a spreadsheet.
pub(crate) fn spreadsheet_safe(df: &DataFrame) -> PolarsResult<DataFrame> {
    let columns = df
        .columns()
        .iter()
        .map(|c| {
            let name = inert(c.name().as_str()).into_owned();
            let col = match c.dtype() {
                DataType::String => {
                    let s = c.str()?;
                    if s.iter()
                        .flatten()
                        .any(|v| matches!(inert(v), std::borrow::Cow::Owned(_)))
                    {
                        let mapped: StringChunked =
                            s.iter().map(|v| v.map(|v| inert(v).into_owned())).collect();
                        mapped.into_series().into_column()
                    } else {
                        c.clone()
                    }
                }
                _ => c.clone(),
            };
            Ok(col.with_name(name.into()))
        })
        .collect::<PolarsResult<Vec<Column>>>()?;
    DataFrame::new_infer_height(columns)
}

/// Pixel size of exported chart images.
pub const CHART_SIZE: (u32, u32) = (1000, 600);

/// Write a chart as `.png`, `.svg`, or its data as `.csv`, by the extension of `path`.
/// Write several charts (small multiples) as one image, in a grid of up to three columns;
/// one chart is written as `write_chart` does, and a table holds every chart's numbers.
pub fn write_charts(charts: &[Chart], path: &Path) -> Result<(), ExportError> {
    let render_err = |detail: String| ExportError::Render {
        path: path.to_owned(),
        detail,
    };
    match (charts, ext(path).as_str()) {
        ([one], _) => write_chart(one, path),
        (many, "png") => {
            let bytes = render::png_grid(many, CHART_SIZE).map_err(render_err)?;
            write_atomic(path, |f| std::io::Write::write_all(f, &bytes)).map_err(io_err(path))
        }
        (many, "svg") => {
            let text = render::svg_grid(many, CHART_SIZE).map_err(render_err)?;
            write_atomic(path, |f| std::io::Write::write_all(f, text.as_bytes()))
                .map_err(io_err(path))
        }
        (many, _) => {
            let mut all: Option<polars::prelude::DataFrame> = None;
            for c in many {
                let mut df = c.to_frame().map_err(|e| render_err(e.to_string()))?;
                let title = polars::prelude::Column::new(
                    "chart".into(),
                    vec![c.title.clone(); df.height()],
                );
                df.with_column(title)
                    .map_err(|e| render_err(e.to_string()))?;
                all = Some(match all {
                    Some(a) => a.vstack(&df).map_err(|e| render_err(e.to_string()))?,
                    None => df,
                });
            }
            write_table(&all.unwrap_or_default(), path)
        }
    }
}

/// A chart as SVG text, at the export size (reports inline it).
pub fn chart_svg(chart: &Chart) -> Result<String, String> {
    render::svg(chart, CHART_SIZE)
}

pub fn write_chart(chart: &Chart, path: &Path) -> Result<(), ExportError> {
    let render_err = |detail: String| ExportError::Render {
        path: path.to_owned(),
        detail,
    };
    match ext(path).as_str() {
        "png" => {
            let bytes = render::png(chart, CHART_SIZE).map_err(render_err)?;
            write_atomic(path, |f| std::io::Write::write_all(f, &bytes)).map_err(io_err(path))
        }
        "svg" => {
            let text = render::svg(chart, CHART_SIZE).map_err(render_err)?;
            write_atomic(path, |f| std::io::Write::write_all(f, text.as_bytes()))
                .map_err(io_err(path))
        }
        "csv" | "parquet" => {
            let df = chart.to_frame().map_err(|e| render_err(e.to_string()))?;
            write_table(&df, path)
        }
        other => Err(ExportError::Format {
            path: path.to_owned(),
            ext: other.to_owned(),
            expected: ".png, .svg or .csv",
        }),
    }
}

#[cfg(test)]
mod spreadsheet_tests {
    use super::*;

    #[test]
    fn csv_cells_a_spreadsheet_would_run_are_made_inert() {
        let df = DataFrame::new_infer_height(vec![
            Column::new(
                "=cmd".into(),
                [
                    "=HYPERLINK(\"http://x\")",
                    "-5",
                    "@SUM(A1)",
                    "plain",
                    "+1.5e3",
                    "-x",
                ],
            ),
            Column::new("n".into(), [-1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        ])
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        write_table(&df, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "'=cmd,n");
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\")\",-1.0");
        assert_eq!(lines[2], "-5,2.0");
        assert_eq!(lines[3], "'@SUM(A1),3.0");
        assert_eq!(lines[4], "plain,4.0");
        assert_eq!(lines[5], "+1.5e3,5.0");
        assert_eq!(lines[6], "'-x,6.0");
    }
}
