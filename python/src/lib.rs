//! `import playbook`: Playbook's kernels on Arrow tables, for Python and for Spark's
//! `applyInArrow` / `mapInArrow`. A thin layer: each function turns its Arrow input into the
//! app's `Dataset`, calls the same use-case function as the command line, and returns the same
//! table the command line writes, as a `pyarrow.Table`.
//!
//! Arrow crosses in both directions through the Arrow C data interface: pyo3-arrow takes any
//! object with `__arrow_c_stream__` / `__arrow_c_array__` (pyarrow tables and record batches,
//! whatever pyarrow version Spark ships) into arrow-rs arrays, which are handed to polars without
//! a copy (their buffers move; text becomes polars' string views, which is one pass). Errors are
//! `playbook.PlaybookError` (a `ValueError`) with the command line's one-line message. The
//! compute runs with the GIL released, on rayon's pool: `RAYON_NUM_THREADS` sets its size.

use std::sync::Arc;

use arrow_array::{RecordBatch, make_array};
use arrow_schema::{Field, Schema};
use playbook_core::data::{self, Dataset};
use playbook_core::usecases;
use polars::prelude::{CompatLevel, DataFrame, IntoColumn, PlSmallStr, Series};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use pyo3_arrow::input::AnyRecordBatch;

pyo3::create_exception!(
    playbook,
    PlaybookError,
    PyValueError,
    "A Playbook error: the same one-line message as the command line's."
);

/// The error as the command line prints it: one line, at most 1,000 characters.
fn py_err(e: impl Into<anyhow::Error>) -> PyErr {
    let e: anyhow::Error = e.into();
    PlaybookError::new_err(playbook_core::format::one_line(&format!("{e:#}")))
}

/// An arrow-rs array as a polars series, its buffers moved through the C data interface.
fn series_of(name: &str, array: &dyn arrow_array::Array) -> anyhow::Result<Series> {
    let (ffi_array, ffi_schema) = arrow_array::ffi::to_ffi(&array.to_data())?;
    // SAFETY: both structs are the Arrow C data interface's `ArrowArray` and `ArrowSchema`,
    // `#[repr(C)]` with the same fields in both crates; ownership (and the release callback)
    // moves to polars, which releases it once.
    let (schema, array): (
        polars_arrow::ffi::ArrowSchema,
        polars_arrow::ffi::ArrowArray,
    ) = unsafe {
        (
            std::mem::transmute::<arrow_schema::ffi::FFI_ArrowSchema, polars_arrow::ffi::ArrowSchema>(
                ffi_schema,
            ),
            std::mem::transmute::<arrow_data::ffi::FFI_ArrowArray, polars_arrow::ffi::ArrowArray>(
                ffi_array,
            ),
        )
    };
    // SAFETY: the structs were just exported by arrow-rs and are valid C data interface values.
    let field = unsafe { polars_arrow::ffi::import_field_from_c(&schema)? };
    let imported = unsafe { polars_arrow::ffi::import_array_from_c(array, field.dtype().clone())? };
    Ok(Series::from_arrow(PlSmallStr::from_str(name), imported)?)
}

/// A pyarrow table (or record batch, or any Arrow stream) as a dataset named `name`. With
/// `find_dates`, dates in text columns are found as in a CSV (a forecast's date column sent as
/// text); otherwise the columns keep their types, so a Spark schema stays as declared.
fn dataset_of(name: &str, input: AnyRecordBatch, find_dates: bool) -> anyhow::Result<Dataset> {
    let table = input
        .into_table()
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let (batches, schema) = table.into_inner();
    let mut columns = Vec::with_capacity(schema.fields().len());
    for (i, f) in schema.fields().iter().enumerate() {
        let mut series: Option<Series> = None;
        for b in &batches {
            let s = series_of(f.name(), b.column(i).as_ref())
                .map_err(|e| anyhow::anyhow!("{name}: column '{}': {e}", f.name()))?;
            match &mut series {
                Some(acc) => {
                    acc.append(&s)?;
                }
                None => series = Some(s),
            }
        }
        let s = match series {
            Some(s) => s,
            None => {
                let empty = arrow_array::new_empty_array(f.data_type());
                series_of(f.name(), empty.as_ref())?
            }
        };
        columns.push(s.into_column());
    }
    let frame = DataFrame::new_infer_height(columns)?;
    if find_dates {
        Ok(data::from_frame(name, frame)?)
    } else {
        Ok(Dataset::made(name, frame, Vec::new()))
    }
}

/// A polars frame as a pyarrow table (large strings, as pyarrow and Spark read everywhere).
fn to_pyarrow(py: Python<'_>, mut frame: DataFrame) -> PyResult<Py<PyAny>> {
    frame.rechunk_mut();
    let mut fields = Vec::new();
    let mut arrays = Vec::new();
    for c in frame.columns() {
        let s = c.as_materialized_series();
        let name = s.name().clone();
        let arrow = s.to_arrow(0, CompatLevel::oldest());
        let field = s.dtype().to_arrow_field(name, CompatLevel::oldest());
        let ffi_array = polars_arrow::ffi::export_array_to_c(arrow);
        let ffi_schema = polars_arrow::ffi::export_field_to_c(&field);
        // SAFETY: as in `series_of`, the other way: the same C structs, ownership moving to
        // arrow-rs.
        let data = unsafe {
            let a = std::mem::transmute::<
                polars_arrow::ffi::ArrowArray,
                arrow_data::ffi::FFI_ArrowArray,
            >(ffi_array);
            let sc = std::mem::transmute::<
                polars_arrow::ffi::ArrowSchema,
                arrow_schema::ffi::FFI_ArrowSchema,
            >(ffi_schema);
            let f = Field::try_from(&sc).map_err(py_err)?;
            fields.push(f);
            arrow_array::ffi::from_ffi(a, &sc).map_err(py_err)?
        };
        arrays.push(make_array(data));
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(Arc::clone(&schema), arrays).map_err(py_err)?;
    let table = PyTable::try_new(vec![batch], schema)?;
    Ok(table.into_pyarrow(py)?.unbind())
}

/// One model per group (the command line's `playbook forecast --out` table): the group
/// columns, date, model, forecast, lower, upper (and the actual value where held out). An
/// argument left at None takes the use case's default, as the command line does (`playbook
/// forecast --help` lists them).
#[pyfunction]
#[pyo3(signature = (table, date_col = None, value_col = None, group_cols = Vec::new(), horizon = None, holdout = None, interval = None, mode = None))]
#[allow(clippy::too_many_arguments)]
fn forecast(
    py: Python<'_>,
    table: AnyRecordBatch,
    date_col: Option<String>,
    value_col: Option<String>,
    group_cols: Vec<String>,
    horizon: Option<usize>,
    holdout: Option<usize>,
    interval: Option<f64>,
    mode: Option<&str>,
) -> PyResult<Py<PyAny>> {
    use playbook_core::compute::forecast::Mode;
    use usecases::forecast::{self as uc, ForecastParams};
    let d = ForecastParams::default();
    let mode = match mode {
        None => d.mode,
        Some("multiplicative") => Mode::Multiplicative,
        Some("additive") => Mode::Additive,
        Some(other) => {
            return Err(PlaybookError::new_err(format!(
                "mode '{other}': expected multiplicative or additive"
            )));
        }
    };
    let params = ForecastParams {
        date_col: date_col.unwrap_or(d.date_col),
        value_col: value_col.unwrap_or(d.value_col),
        group: group_cols.clone(),
        horizon: horizon.unwrap_or(d.horizon),
        holdout,
        interval: interval.unwrap_or(d.interval),
        mode,
        ..d
    };
    let valid = uc::check(&params).map_err(py_err)?;
    let ds = dataset_of("table", table, true).map_err(py_err)?;
    let frame = py
        .detach(|| {
            let out = uc::run(&valid, &ds, &playbook_core::compute::NoProgress)?;
            anyhow::Ok(out.batch.forecast_frame(&group_cols)?)
        })
        .map_err(py_err)?;
    to_pyarrow(py, frame)
}

/// DTW distance from the pattern series (by id) to every series of a wide table (an id column,
/// then one column per step): id, distance, zscore, as `playbook dtw distances` writes. The
/// window left at None is the use case's default band (`playbook dtw distances --help`).
#[pyfunction]
#[pyo3(signature = (table, pattern, window = None, znorm = false, id_col = None))]
fn dtw_distances(
    py: Python<'_>,
    table: AnyRecordBatch,
    pattern: &str,
    window: Option<f64>,
    znorm: bool,
    id_col: Option<String>,
) -> PyResult<Py<PyAny>> {
    use usecases::dtw::{
        self as uc, Layout, MatchParams, PatternChoice, SeriesParams, WarpingBand,
    };
    let params = MatchParams {
        series: SeriesParams {
            layout: Layout::Wide,
            id_col,
            pattern: PatternChoice::Series(pattern.to_owned()),
            znorm,
        },
        band: WarpingBand {
            stretch: window.unwrap_or(WarpingBand::default().stretch),
            cells: None,
        },
    };
    let valid = uc::check_match(&params).map_err(py_err)?;
    let ds = dataset_of("table", table, false).map_err(py_err)?;
    let frame = py
        .detach(|| {
            let m = uc::run_match(&valid, &ds, None, &playbook_core::compute::NoProgress)?;
            anyhow::Ok(m.table()?)
        })
        .map_err(py_err)?;
    to_pyarrow(py, frame)
}

/// Each point joined to the polygon containing it (`playbook spatial join --out`): the points'
/// columns and the polygon's name (null outside every polygon). An argument left at None takes
/// the use case's default, as the command line does (`playbook spatial join --help`); the name
/// column defaults to the first text column. `keep_cols` appends those polygon attributes too
/// (`--keep-cols`); `crs` names the polygons' EPSG code when the GeoJSON does not (`--crs`).
#[pyfunction]
#[pyo3(signature = (points, polygons_geojson, lon_col = None, lat_col = None, name_col = None, method = None, resolution = None, keep_cols = Vec::new(), crs = None))]
#[allow(clippy::too_many_arguments)]
fn spatial_join(
    py: Python<'_>,
    points: AnyRecordBatch,
    polygons_geojson: &str,
    lon_col: Option<String>,
    lat_col: Option<String>,
    name_col: Option<String>,
    method: Option<&str>,
    resolution: Option<u8>,
    keep_cols: Vec<String>,
    crs: Option<String>,
) -> PyResult<Py<PyAny>> {
    use usecases::spatial::{self as uc, JoinParams, Method, PointColumns};
    let d = JoinParams::default();
    let method = match method {
        None => d.method,
        Some("exact") => Method::Exact,
        Some("h3") => Method::H3,
        Some(other) => {
            return Err(PlaybookError::new_err(format!(
                "method '{other}': expected exact or h3"
            )));
        }
    };
    let params = JoinParams {
        points: PointColumns {
            lon_col: lon_col.unwrap_or(d.points.lon_col),
            lat_col: lat_col.unwrap_or(d.points.lat_col),
        },
        wkt_col: None,
        name_col,
        method,
        resolution: resolution.unwrap_or(d.resolution),
        keep_cols,
        polygons_crs: crs,
    };
    let valid = uc::check(&params).map_err(py_err)?;
    let ds = dataset_of("points", points, false).map_err(py_err)?;
    let polygons =
        data::load_bytes("polygons.geojson", polygons_geojson.as_bytes()).map_err(py_err)?;
    let frame = py
        .detach(|| {
            let j = uc::join(&valid, &ds, &polygons, &playbook_core::compute::NoProgress)?;
            anyhow::Ok(j.joined_frame(&ds)?)
        })
        .map_err(py_err)?;
    to_pyarrow(py, frame)
}

/// Rows scored with a saved fraud model (the JSON `playbook fraud train --model-out` writes):
/// probability and prediction per row, as `playbook fraud predict` writes.
#[pyfunction]
fn fraud_predict(py: Python<'_>, model_json: &str, table: AnyRecordBatch) -> PyResult<Py<PyAny>> {
    use usecases::fraud as uc;
    let tree = uc::parse_model("model", model_json.as_bytes()).map_err(py_err)?;
    let ds = dataset_of("table", table, false).map_err(py_err)?;
    let frame = py
        .detach(|| uc::score_with(tree, "model", &ds)?.frame())
        .map_err(py_err)?;
    to_pyarrow(py, frame)
}

/// Each pitch of the sticky-outing rule's flagged outings, with its reason (the command line's
/// `playbook pitching flags --out` table). `history` holds earlier pitches used only as the
/// pitchers' baseline; the rule's thresholds are the command line's defaults unless given.
#[pyfunction]
#[pyo3(signature = (pitches, history = None, z = None, min_outings = None, min_pitches = None))]
fn pitching_flags(
    py: Python<'_>,
    pitches: AnyRecordBatch,
    history: Option<AnyRecordBatch>,
    z: Option<f64>,
    min_outings: Option<usize>,
    min_pitches: Option<usize>,
) -> PyResult<Py<PyAny>> {
    use usecases::pitching::{self as uc, PitchingParams};
    let mut rule = playbook_core::compute::pitching::Rule::default();
    rule.z = z.unwrap_or(rule.z);
    rule.min_outings = min_outings.unwrap_or(rule.min_outings);
    rule.min_pitches = min_pitches.unwrap_or(rule.min_pitches);
    let valid = uc::check(&PitchingParams { rule }).map_err(py_err)?;
    let ds = dataset_of("pitches", pitches, true).map_err(py_err)?;
    let hist = history
        .map(|h| dataset_of("history", h, true))
        .transpose()
        .map_err(py_err)?;
    let frame = py
        .detach(|| {
            let out = uc::run(
                &valid,
                &ds,
                hist.as_ref(),
                &playbook_core::compute::NoProgress,
            )?;
            anyhow::Ok(uc::tables::flags_frame(&out)?)
        })
        .map_err(py_err)?;
    to_pyarrow(py, frame)
}

/// The threads a call computes on: rayon's pool, `RAYON_NUM_THREADS` when set (read once, at
/// the first call), else one per core.
#[pyfunction]
fn threads() -> usize {
    rayon::current_num_threads()
}

/// The version of Playbook these kernels come from.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn playbook(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("PlaybookError", m.py().get_type::<PlaybookError>())?;
    m.add_function(wrap_pyfunction!(forecast, m)?)?;
    m.add_function(wrap_pyfunction!(dtw_distances, m)?)?;
    m.add_function(wrap_pyfunction!(spatial_join, m)?)?;
    m.add_function(wrap_pyfunction!(fraud_predict, m)?)?;
    m.add_function(wrap_pyfunction!(pitching_flags, m)?)?;
    m.add_function(wrap_pyfunction!(threads, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
