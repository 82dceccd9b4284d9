//! `playbook spatial ...`: points joined to polygons (exactly or through H3) and hexbins, on
//! the same compute functions as the Spatial panel.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use polars::prelude::*;

use crate::compute::NoProgress;
use crate::compute::spatial::join::{self, Assignment, Points};
use crate::compute::spatial::pip::PolygonIndex;
use crate::compute::spatial::polygons::{self, PolygonSet};
use crate::data::{self, Dataset};
use crate::export;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Method {
    Exact,
    H3,
}

#[derive(Args, Debug)]
pub struct PointArgs {
    /// Points: a CSV or Parquet table.
    #[arg(long)]
    pub points: PathBuf,
    #[arg(long, default_value = "pickup_longitude")]
    pub lon_col: String,
    #[arg(long, default_value = "pickup_latitude")]
    pub lat_col: String,
}

#[derive(Subcommand, Debug)]
pub enum SpatialCommand {
    /// Assign each point to the polygon containing it; count points per polygon.
    Join {
        #[command(flatten)]
        points: PointArgs,
        /// Polygons: GeoJSON, or a table with a WKT column (--wkt-col).
        #[arg(long)]
        polygons: PathBuf,
        #[arg(long)]
        wkt_col: Option<String>,
        /// The polygons' name column (default: the first text column).
        #[arg(long)]
        name_col: Option<String>,
        #[arg(long, value_enum, default_value = "exact")]
        method: Method,
        #[arg(long, default_value_t = 7)]
        resolution: u8,
        #[arg(long)]
        json: bool,
        /// The point rows plus the polygon's name (empty when no match).
        #[arg(long)]
        out: Option<PathBuf>,
        /// name,count per polygon.
        #[arg(long)]
        counts_out: Option<PathBuf>,
    },
    /// Count points per H3 cell: h3,count,lat,lon (the cell's centre).
    Hexbin {
        #[command(flatten)]
        points: PointArgs,
        #[arg(long, default_value_t = 7)]
        resolution: u8,
        #[arg(long)]
        out: PathBuf,
    },
}

fn load_points(a: &PointArgs) -> Result<(Dataset, Points)> {
    let ds = data::load_path(&a.points)?;
    let p = join::points(&ds, &a.lon_col, &a.lat_col)?;
    Ok((ds, p))
}

fn counts_frame(set: &PolygonSet, a: &Assignment) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        Column::new("name".into(), set.names.clone()),
        Column::new("count".into(), a.counts.clone()),
    ])
}

pub fn run(c: SpatialCommand) -> Result<()> {
    match c {
        SpatialCommand::Join {
            points,
            polygons: poly_path,
            wkt_col,
            name_col,
            method,
            resolution,
            json,
            out,
            counts_out,
        } => {
            let res = join::resolution(resolution)?;
            let (ds, p) = load_points(&points)?;
            let pd = data::load_path(&poly_path)?;
            let set = polygons::from_dataset(&pd, wkt_col.as_deref(), name_col.as_deref())?;
            let started = Instant::now();
            let index = PolygonIndex::new(&set);
            let a = match method {
                Method::Exact => join::exact(&p, &index, set.names.len(), &NoProgress)?,
                Method::H3 => join::h3(&p, &index, set.names.len(), res, &NoProgress)?,
            };
            let seconds = started.elapsed().as_secs_f64();
            // For an H3 join: the share of points it puts where the exact join does.
            let agreement = if method == Method::H3 {
                let e = join::exact(&p, &index, set.names.len(), &NoProgress)?;
                Some(join::agreement(&a, &e))
            } else {
                None
            };
            if let Some(path) = &out {
                let mut names: Vec<Option<&str>> = vec![None; ds.frame.height()];
                for (k, f) in a.feature.iter().enumerate() {
                    names[p.rows[k] as usize] = f.map(|f| set.names[f as usize].as_str());
                }
                let mut df = ds.frame.clone();
                df.with_column(Column::new("polygon".into(), names))?;
                export::write_table(&df, path)?;
            }
            if let Some(path) = &counts_out {
                export::write_table(&counts_frame(&set, &a)?, path)?;
            }
            let counts: serde_json::Map<String, serde_json::Value> = set
                .names
                .iter()
                .zip(&a.counts)
                .map(|(n, c)| (n.clone(), (*c).into()))
                .collect();
            if json {
                let v = serde_json::json!({
                    "points": p.len(),
                    "matched": a.matched,
                    "unmatched": p.len() - a.matched,
                    "skipped_rows": p.skipped(),
                    "method": format!("{method:?}").to_lowercase(),
                    "resolution": (method == Method::H3).then_some(resolution),
                    "polygons": set.names.len(),
                    "vertices": set.vertices(),
                    "seconds": seconds,
                    "same_as_exact": agreement,
                    "counts": counts,
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                println!(
                    "{} points, {} matched, {} unmatched in {seconds:.3} s ({} polygons, {} vertices)",
                    p.len(),
                    a.matched,
                    p.len() - a.matched,
                    set.names.len(),
                    set.vertices()
                );
                for (n, c) in set.names.iter().zip(&a.counts) {
                    println!("{c:>10}  {n}");
                }
                if let Some(g) = agreement {
                    println!(
                        "the H3 join at resolution {resolution} puts {:.2}% of the points where the exact join does",
                        100.0 * g
                    );
                }
            }
            if let Some(s) = p.skipped_text() {
                eprintln!("{}: {s}", ds.name);
            }
            Ok(())
        }
        SpatialCommand::Hexbin {
            points,
            resolution,
            out,
        } => {
            let res = join::resolution(resolution)?;
            let (ds, p) = load_points(&points)?;
            let cells = join::hexbin(&p, res, &NoProgress)?;
            let df = DataFrame::new_infer_height(vec![
                Column::new(
                    "h3".into(),
                    cells.iter().map(|c| c.cell.to_string()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "count".into(),
                    cells.iter().map(|c| c.count).collect::<Vec<_>>(),
                ),
                Column::new(
                    "lat".into(),
                    cells.iter().map(|c| c.lat).collect::<Vec<_>>(),
                ),
                Column::new(
                    "lon".into(),
                    cells.iter().map(|c| c.lon).collect::<Vec<_>>(),
                ),
            ])?;
            export::write_table(&df, &out)?;
            println!(
                "{} points in {} cells at resolution {resolution}",
                p.len(),
                cells.len()
            );
            if let Some(s) = p.skipped_text() {
                eprintln!("{}: {s}", ds.name);
            }
            Ok(())
        }
    }
}
