//! `playbook spatial ...`: points joined to polygons (exactly or through H3) and hexbins, on
//! the same compute functions as the Spatial panel.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::RecordRuns;
use super::outputs::{self, Kind, Output};
use crate::export;
use crate::runs::of_dataset;
use crate::usecases::Analysis;
use crate::usecases::analysis::{Hexbin, SpatialJoin};
use crate::usecases::record::written;
use crate::usecases::spatial::{self as usecase, HexbinParams, JoinParams, Method, PointColumns};

flag_enum! {
    MethodArg mirrors Method { Exact, H3 }
}

#[derive(Args, Debug)]
pub struct PointArgs {
    /// Points: a CSV or Parquet table.
    #[arg(long)]
    pub points: PathBuf,
    #[arg(long, default_value_t = PointColumns::default().lon_col)]
    pub lon_col: String,
    #[arg(long, default_value_t = PointColumns::default().lat_col)]
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
        #[arg(long, value_enum, default_value_t = JoinParams::default().method.into())]
        method: MethodArg,
        #[arg(long, default_value_t = JoinParams::default().resolution)]
        resolution: u8,
        /// Polygon columns to append to each point and to the counts, comma-separated (e.g.
        /// zone,borough); a name the points already have gets `_polygon`.
        #[arg(long, value_delimiter = ',')]
        keep_cols: Vec<String>,
        /// The polygons' coordinate system as an EPSG code (2263, 3857, a UTM zone), for a file
        /// that does not say its own; a shapefile's .prj is read without it.
        #[arg(long)]
        crs: Option<String>,
        #[arg(long)]
        json: bool,
        /// The point rows plus the polygon's name (empty when no match) and the kept columns.
        #[arg(long)]
        out: Option<PathBuf>,
        /// name, the kept columns, count: one row per polygon.
        #[arg(long)]
        counts_out: Option<PathBuf>,
    },
    /// Count points per H3 cell: h3,count,lat,lon (the cell's centre).
    Hexbin {
        #[command(flatten)]
        points: PointArgs,
        #[arg(long, default_value_t = HexbinParams::default().resolution)]
        resolution: u8,
        #[arg(long)]
        out: PathBuf,
    },
}

impl PointArgs {
    fn columns(&self) -> PointColumns {
        PointColumns {
            lon_col: self.lon_col.clone(),
            lat_col: self.lat_col.clone(),
        }
    }
}

pub fn run(c: SpatialCommand, record: RecordRuns) -> Result<()> {
    match c {
        SpatialCommand::Join {
            points,
            polygons: poly_path,
            wkt_col,
            name_col,
            method,
            resolution,
            keep_cols,
            crs,
            json,
            out,
            counts_out,
        } => {
            let params = JoinParams {
                points: points.columns(),
                wkt_col,
                name_col,
                method: method.into(),
                resolution,
                keep_cols,
                polygons_crs: crs,
            };
            let valid = usecase::check(&params)?;
            let outs: Vec<Output> = [("--out", &out), ("--counts-out", &counts_out)]
                .into_iter()
                .filter_map(|(flag, p)| p.as_deref().map(|p| Output::new(flag, p, Kind::Table)))
                .collect();
            outputs::check(&[&points.points, &poly_path], &outs)?;
            let ds = super::load(&points.points)?;
            let pd = super::load(&poly_path)?;
            let j = record.analyse::<SpatialJoin>(
                &params,
                &valid,
                (&ds, &pd),
                vec![of_dataset("points", &ds), of_dataset("polygons", &pd)],
                |j| {
                    let mut artifacts = Vec::new();
                    if let Some(path) = &out {
                        export::write_table(&j.joined_frame(&ds)?, path)?;
                        artifacts.push(written("joined points", path));
                    }
                    if let Some(path) = &counts_out {
                        export::write_table(&j.counts_frame()?, path)?;
                        artifacts.push(written("counts per polygon", path));
                    }
                    Ok(artifacts)
                },
            )?;
            for w in &j.warnings {
                eprintln!("warning: {w}");
            }
            let (p, a, set) = (&j.points, &j.assignment, &j.set);
            let seconds = j.seconds;
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
                    "resolution": (method == MethodArg::H3).then_some(resolution),
                    "polygons": set.names.len(),
                    "vertices": set.vertices(),
                    "seconds": seconds,
                    "same_as_exact": j.agreement,
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
                if let Some(g) = j.agreement {
                    println!(
                        "the H3 join at resolution {resolution} puts {:.2}% of the points where the exact join does",
                        100.0 * g
                    );
                }
            }
            if let Some(s) = p.skipped_text() {
                eprintln!("{}: {s}", ds.name);
            }
            if let Some(h) = crate::compute::spatial::join::no_match_hint(p, set.bbox(), a.matched)
            {
                eprintln!("{}: {h}", ds.name);
            }
            Ok(())
        }
        SpatialCommand::Hexbin {
            points,
            resolution,
            out,
        } => {
            let params = HexbinParams {
                points: points.columns(),
                resolution,
            };
            let valid = Hexbin::check(&params)?;
            outputs::check(
                &[&points.points],
                &[Output::new("--out", &out, Kind::Table)],
            )?;
            let ds = super::load(&points.points)?;
            let h = record.analyse::<Hexbin>(
                &params,
                &valid,
                &ds,
                vec![of_dataset("points", &ds)],
                |h| {
                    export::write_table(&h.frame()?, &out)?;
                    Ok(vec![written("cells", &out)])
                },
            )?;
            println!(
                "{} points in {} cells at resolution {resolution}",
                h.points.len(),
                h.cells.len()
            );
            if let Some(s) = h.points.skipped_text() {
                eprintln!("{}: {s}", ds.name);
            }
            Ok(())
        }
    }
}
