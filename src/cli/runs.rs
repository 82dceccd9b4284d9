//! `playbook runs ...`: the run store from the command line: list, show, compare, delete and
//! export the runs that the app and the commands recorded.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};

use crate::export;
#[cfg(feature = "mlflow")]
use crate::runs::mlflow;
use crate::runs::{self, RunFilter, RunRecord, RunStatus, RunStore};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StatusArg {
    Running,
    Done,
    Failed,
    Cancelled,
}

impl From<StatusArg> for RunStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Running => RunStatus::Running,
            StatusArg::Done => RunStatus::Done,
            StatusArg::Failed => RunStatus::Failed,
            StatusArg::Cancelled => RunStatus::Cancelled,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum RunsCommand {
    /// Every recorded run, newest first.
    List {
        /// Only runs of this use case (fraud, dtw-match, forecast, spatial-join, ...).
        #[arg(long)]
        use_case: Option<String>,
        /// Only runs with an input whose name contains this text.
        #[arg(long)]
        dataset: Option<String>,
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        #[arg(long)]
        json: bool,
    },
    /// One run: params, inputs with fingerprints, metrics, artifacts.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Params and metrics of several runs side by side, one column per run.
    Compare {
        #[arg(required = true, num_args = 2..)]
        ids: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Delete runs and the artifacts kept for them in the store.
    Delete {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Every run as one table row (.csv or .parquet): params as JSON, a column per metric.
    Export {
        #[arg(long)]
        out: PathBuf,
    },
    #[cfg(feature = "mlflow")]
    /// Send runs to an MLflow tracking server: params, metrics, curves as metric steps, tags
    /// (use case, input fingerprints, app version), times, status, charts and tables. A run
    /// pushed before is found by its tag and not pushed again.
    Push {
        /// The server, e.g. http://127.0.0.1:5000 (MLFLOW_TRACKING_TOKEN or _USERNAME and
        /// _PASSWORD are sent when set).
        #[arg(long)]
        mlflow_uri: String,
        /// The experiment to put them in; made if missing.
        #[arg(long, default_value = mlflow::DEFAULT_EXPERIMENT)]
        experiment: String,
        /// Which runs; all finished runs made here when none are given.
        ids: Vec<i64>,
    },
    #[cfg(feature = "mlflow")]
    /// Bring an MLflow experiment's finished runs (params and metrics) into the run store, to
    /// compare them in the Runs panel. Runs already here are skipped.
    Pull {
        #[arg(long)]
        mlflow_uri: String,
        #[arg(long, default_value = mlflow::DEFAULT_EXPERIMENT)]
        experiment: String,
    },
}

fn open() -> Result<RunStore> {
    Ok(RunStore::open(&runs::home()?)?)
}

fn line(r: &RunRecord) -> String {
    let key = [
        "pr_auc_test",
        "smape",
        "median_distance",
        "error_rate",
        "matched",
    ]
    .iter()
    .find_map(|k| {
        r.metric(k)
            .map(|v| format!("{k} {}", crate::format::short(v)))
    })
    .unwrap_or_default();
    format!(
        "{:>5}  {:<14} {:<9} {}  {:>8}  {:<28} {key}",
        r.id,
        r.use_case,
        r.status.as_str(),
        r.started,
        r.seconds
            .map(|s| format!("{s:.2} s"))
            .unwrap_or_else(|| "-".into()),
        r.dataset_names(),
    )
}

pub fn run(c: RunsCommand) -> Result<()> {
    match c {
        RunsCommand::List {
            use_case,
            dataset,
            status,
            json,
        } => {
            let filter = RunFilter {
                use_case,
                dataset,
                status: status.map(RunStatus::from),
            };
            let list = open()?.list(&filter)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else if list.is_empty() {
                println!("no runs recorded");
            } else {
                for r in &list {
                    println!("{}", line(r));
                }
            }
        }
        RunsCommand::Show { id, json } => {
            let r = open()?.get(id)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!("{}", line(&r));
                if let Some(m) = &r.message {
                    println!("message: {m}");
                }
                println!("origin: {:?}, Playbook {}", r.origin, r.app_version);
                println!("params: {}", serde_json::to_string_pretty(&r.params)?);
                for i in &r.inputs {
                    println!(
                        "input {}: {} ({} bytes{}; hash {})",
                        i.role,
                        i.path.as_deref().unwrap_or(&i.name),
                        i.size,
                        if i.path.is_none() {
                            ", embedded sample"
                        } else {
                            ""
                        },
                        &i.hash.get(..16).unwrap_or(&i.hash)
                    );
                }
                for (k, v) in &r.metrics {
                    println!("metric {k}: {}", runs::cell_text(Some(v)));
                }
                for a in &r.artifacts {
                    println!("artifact: {} ({})", a.path, a.title);
                }
                for l in &r.mlflow {
                    println!("mlflow ({}ed {}): {}", l.direction, l.at, l.ui_url());
                }
            }
        }
        RunsCommand::Compare { ids, json } => {
            let store = open()?;
            let list = ids
                .iter()
                .map(|&id| store.get(id))
                .collect::<Result<Vec<_>, _>>()?;
            let cmp = runs::compare(&list);
            if json {
                let rows: Vec<_> = cmp
                    .rows
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "kind": r.kind, "name": r.name, "values": r.cells, "differs": r.differs
                        })
                    })
                    .collect();
                let v = serde_json::json!({"ids": cmp.ids, "rows": rows});
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                use crate::format::{column_width, pad};
                let name_w = column_width(cmp.rows.iter().map(|r| r.name.as_str()), 4);
                let w = column_width(
                    cmp.rows
                        .iter()
                        .flat_map(|r| r.cells.iter().map(String::as_str)),
                    8,
                );
                let head: Vec<String> = cmp
                    .ids
                    .iter()
                    .map(|i| pad(&format!("run {i}"), w, false))
                    .collect();
                println!("  {}  {}", pad("", name_w, true), head.join("  "));
                for r in &cmp.rows {
                    let cells: Vec<String> = r.cells.iter().map(|c| pad(c, w, false)).collect();
                    let mark = if r.differs && r.kind == "param" {
                        "*"
                    } else {
                        " "
                    };
                    println!(
                        "{mark} {}  {}",
                        pad(&r.name, name_w, true),
                        cells.join("  ")
                    );
                }
                println!("(* a parameter that differs)");
            }
        }
        RunsCommand::Delete { ids } => {
            let store = open()?;
            for &id in &ids {
                store.get(id)?;
            }
            let n = store.delete(&ids)?;
            println!("{n} run(s) deleted");
        }
        RunsCommand::Export { out } => {
            super::outputs::check(
                &[],
                &[super::outputs::Output::new(
                    "--out",
                    &out,
                    super::outputs::Kind::Table,
                )],
            )?;
            let list = open()?.list(&RunFilter::default())?;
            if list.is_empty() {
                bail!("no runs recorded; nothing to export");
            }
            export::write_table(&runs::runs_frame(&list)?, &out)?;
            println!("{} runs written to {}", list.len(), out.display());
        }
        #[cfg(feature = "mlflow")]
        RunsCommand::Push {
            mlflow_uri,
            experiment,
            ids,
        } => {
            let store = open()?;
            let ids = if ids.is_empty() {
                store
                    .list(&RunFilter::default())?
                    .iter()
                    .rev()
                    .filter(|r| {
                        r.status != RunStatus::Running && r.origin != runs::RunOrigin::Mlflow
                    })
                    .map(|r| r.id)
                    .collect()
            } else {
                for &id in &ids {
                    store.get(id)?;
                }
                ids
            };
            if ids.is_empty() {
                bail!("no finished runs recorded; nothing to push");
            }
            let results = mlflow::push(
                &store,
                &mlflow_uri,
                &experiment,
                &ids,
                &crate::compute::NoProgress,
            )?;
            for r in &results {
                println!("{}", r.line());
            }
            let failed = results.iter().filter(|r| r.outcome.is_err()).count();
            if failed > 0 {
                bail!(
                    "{failed} of {} run(s) not pushed (see above)",
                    results.len()
                );
            }
        }
        #[cfg(feature = "mlflow")]
        RunsCommand::Pull {
            mlflow_uri,
            experiment,
        } => {
            let mut store = open()?;
            let pulled = mlflow::pull(
                &mut store,
                &mlflow_uri,
                &experiment,
                &crate::compute::NoProgress,
            )?;
            println!("{}", pulled.line(&experiment));
            if !pulled.added.is_empty() {
                let ids: Vec<String> = pulled.added.iter().map(i64::to_string).collect();
                println!("new run ids: {}", ids.join(" "));
            }
        }
    }
    Ok(())
}
