//! Reports a room can open anywhere: one self-contained HTML file (charts as inline SVG drawn
//! from the same `Chart` values as the screen and the PNG export, images inline, tables cut
//! with a note, styles inline, no external requests, a print stylesheet). `playbook report
//! --runs` and `playbook demo`'s index are written through it.

use std::fmt::Write as _;
use std::path::Path;

use base64::Engine as _;
use polars::prelude::DataFrame;

use crate::chart::Chart;

/// Rows of a table shown before it is cut.
pub(crate) const TABLE_ROWS: usize = 50;
/// Images larger than this are linked, not embedded.
const EMBED_MAX: u64 = 8 << 20;

/// One part of a section.
pub(crate) enum Item {
    /// A chart, drawn as inline SVG.
    Chart(Box<Chart>),
    /// A PNG embedded in the file (its bytes), with a title.
    Png { title: String, bytes: Vec<u8> },
    /// An image beside the report, linked by a relative path (the demo's folder).
    ImageLink { title: String, href: String },
    /// A table, cut at `TABLE_ROWS` rows with a note.
    Table { title: String, frame: DataFrame },
    /// Named values (parameters, fingerprints).
    Facts {
        title: String,
        rows: Vec<(String, String)>,
    },
    /// A file beside the report, linked.
    Link { title: String, href: String },
    /// A sentence in bold: what the section found.
    Finding(String),
}

pub(crate) struct Section {
    pub title: String,
    pub about: Option<String>,
    pub items: Vec<Item>,
}

pub(crate) struct Report {
    pub title: String,
    pub intro: String,
    pub sections: Vec<Section>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;\
max-width:1050px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}\
h1{margin-bottom:.2em}.meta{color:#666;margin-top:0}.about{color:#444}\
.finding{font-weight:bold}nav ul{columns:2}figure{margin:1em 0}\
figure svg,figure img{max-width:100%;height:auto;display:block}\
figcaption{font-weight:600;margin-bottom:.3em}\
table{border-collapse:collapse;margin:1em 0;font-size:.9em}\
caption{text-align:left;font-weight:600;padding-bottom:.3em}\
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left}\
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f2f2f2}\
.cut{color:#666;font-size:.85em}dl{display:grid;grid-template-columns:max-content auto;\
gap:.1em 1em}dt{font-weight:600}dd{margin:0;word-break:break-all}\
@media print{nav{display:none}body{margin:0;max-width:none}section{break-before:page}\
section:first-of-type{break-before:auto}figure,table{break-inside:avoid}\
a{color:inherit;text-decoration:none}}";

fn table_html(out: &mut String, title: &str, frame: &DataFrame) {
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let _ = write!(
        out,
        "<table><caption>{}</caption><thead><tr>",
        escape(title)
    );
    for n in &names {
        let _ = write!(out, "<th>{}</th>", escape(n));
    }
    out.push_str("</tr></thead><tbody>");
    let shown = frame.height().min(TABLE_ROWS);
    for i in 0..shown {
        out.push_str("<tr>");
        for c in frame.columns() {
            let v = c
                .get(i)
                .map(|v| crate::format::cell(&v))
                .unwrap_or_default();
            let class = if c.dtype().is_primitive_numeric() {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", escape(&v));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    if frame.height() > shown {
        let _ = write!(
            out,
            "<p class=\"cut\">The first {shown} of {} rows.</p>",
            crate::format::whole(frame.height())
        );
    }
}

impl Report {
    /// The report as one HTML document (well-formed XML, so any parser reads it).
    pub fn html(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\
             <meta name=\"viewport\" content=\"width=device-width\"/><title>{}</title>\
             <style>{STYLE}</style></head><body>\n<header><h1>{}</h1><p class=\"meta\">{}</p>\
             <p>{}</p></header>\n",
            escape(&self.title),
            escape(&self.title),
            escape(&format!(
                "Playbook {}, {}",
                env!("CARGO_PKG_VERSION"),
                chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
            )),
            escape(&self.intro)
        );
        // Anchors named after the titles ("#pitching"), numbered when two share one.
        let mut ids: Vec<String> = Vec::new();
        for s in &self.sections {
            let base = crate::format::slug(&s.title);
            let id = if ids.contains(&base) {
                format!("{base}-{}", ids.len())
            } else {
                base
            };
            ids.push(id);
        }
        if self.sections.len() > 1 {
            out.push_str("<nav><ul>");
            for (s, id) in self.sections.iter().zip(&ids) {
                let _ = write!(
                    out,
                    "<li><a href=\"#{id}\">{}</a>{}</li>",
                    escape(&s.title),
                    s.about
                        .as_ref()
                        .map(|a| format!(": {}", escape(a)))
                        .unwrap_or_default()
                );
            }
            out.push_str("</ul></nav>\n");
        }
        for (s, id) in self.sections.iter().zip(&ids) {
            let _ = write!(out, "<section id=\"{id}\"><h2>{}</h2>", escape(&s.title));
            if let Some(a) = &s.about {
                let _ = write!(out, "<p class=\"about\">{}</p>", escape(a));
            }
            for item in &s.items {
                match item {
                    Item::Chart(c) => {
                        let svg = crate::export::chart_svg(c).unwrap_or_else(|e| {
                            format!("<p>This chart could not be drawn: {}</p>", escape(&e))
                        });
                        // The SVG draws the chart's title itself.
                        let _ = write!(
                            out,
                            "<figure class=\"chart\" title=\"{}\">{}</figure>",
                            escape(&c.title),
                            svg.trim_start_matches(|ch| ch != '<')
                        );
                    }
                    Item::Png { title, bytes } => {
                        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
                        let _ = write!(
                            out,
                            "<figure class=\"image\"><figcaption>{0}</figcaption>\
                             <img src=\"data:image/png;base64,{data}\" alt=\"{0}\"/></figure>",
                            escape(title)
                        );
                    }
                    Item::ImageLink { title, href } => {
                        let _ = write!(
                            out,
                            "<figure class=\"image\"><figcaption>{0}</figcaption>\
                             <img src=\"{1}\" alt=\"{0}\"/></figure>",
                            escape(title),
                            escape(href)
                        );
                    }
                    Item::Table { title, frame } => table_html(&mut out, title, frame),
                    Item::Facts { title, rows } => {
                        let _ = write!(out, "<h3>{}</h3><dl>", escape(title));
                        for (k, v) in rows {
                            let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
                        }
                        out.push_str("</dl>");
                    }
                    Item::Link { title, href } => {
                        let _ = write!(
                            out,
                            "<p><a href=\"{0}\">{0}</a> — {1}</p>",
                            escape(href),
                            escape(title)
                        );
                    }
                    Item::Finding(f) => {
                        let _ = write!(out, "<p class=\"finding\">{}</p>", escape(f));
                    }
                }
            }
            out.push_str("</section>\n");
        }
        out.push_str("</body></html>\n");
        out
    }

    /// Write the report to `path` atomically.
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let html = self.html();
        crate::export::write_atomic(path, |w| std::io::Write::write_all(w, html.as_bytes()))
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))
    }
}

/// A report of recorded runs: for each, its facts, parameters, metrics, inputs with their
/// fingerprints, its curves as charts, and its saved charts and tables.
pub(crate) fn of_runs(store: &crate::runs::RunStore, ids: &[i64]) -> anyhow::Result<Report> {
    if ids.is_empty() {
        anyhow::bail!("name at least one run id (playbook runs list shows them)");
    }
    let sections = ids
        .iter()
        .map(|&id| Ok(run_section(&store.get(id)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Report {
        title: if ids.len() == 1 {
            format!("Playbook run {}", ids[0])
        } else {
            format!(
                "Playbook runs {}",
                ids.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        intro: RUNS_INTRO.into(),
        sections,
    })
}

const RUNS_INTRO: &str = "Each run's parameters, metrics, inputs (with the fingerprints that identify the exact files) and charts, from Playbook's run store.";

/// A parameter or metric value as one short line, in words (the Runs panel's cells).
fn flat(v: &serde_json::Value) -> String {
    crate::runs::cell_text(Some(v))
}

/// A saved choice's key for a reader: `plot.agg` → "plot › agg", `hop_ms` → "hop (ms)".
fn key_words(key: &str) -> String {
    key.split('.')
        .map(|part| {
            let (stem, unit) = match part.rsplit_once('_') {
                Some((stem, unit @ ("ms" | "px" | "pct" | "km" | "m" | "s"))) => (stem, Some(unit)),
                _ => (part, None),
            };
            let words = stem.replace('_', " ");
            match unit {
                Some(u) => format!("{words} ({u})"),
                None => words,
            }
        })
        .collect::<Vec<_>>()
        .join(" › ")
}

/// One run's section.
fn run_section(r: &crate::runs::RunRecord) -> Section {
    let id = r.id;
    let mut items = vec![Item::Facts {
        title: "Run".into(),
        rows: vec![
            ("run id".into(), r.id.to_string()),
            ("use case".into(), r.use_case.clone()),
            ("status".into(), format!("{:?}", r.status).to_lowercase()),
            ("started".into(), r.started.clone()),
            (
                "seconds".into(),
                r.seconds.map_or_else(String::new, |s| format!("{s:.2}")),
            ),
            ("Playbook".into(), r.app_version.clone()),
        ],
    }];
    if let Some(m) = &r.message {
        items.push(Item::Finding(m.clone()));
    }
    if let Some(params) = r.params.as_object() {
        items.push(Item::Facts {
            title: "Parameters".into(),
            rows: params.iter().map(|(k, v)| (k.clone(), flat(v))).collect(),
        });
    }
    items.push(Item::Facts {
        title: "Metrics".into(),
        rows: r
            .metrics
            .iter()
            .map(|(k, v)| (k.clone(), flat(v)))
            .collect(),
    });
    items.push(Item::Facts {
        title: "Inputs".into(),
        rows: r
            .inputs
            .iter()
            .map(|i| {
                let place = i.path.clone().unwrap_or_else(|| "bundled sample".into());
                (
                    format!("{} ({})", i.name, i.role),
                    format!("{place}; {} bytes; fingerprint {}", i.size, i.hash),
                )
            })
            .collect(),
    });
    for c in &r.curves {
        let chart = Chart::lines(
            format!("{} (run {id})", c.chart),
            &c.x_label,
            &c.y_label,
            vec![crate::chart::Line::new(c.chart.clone(), c.points.clone())],
            Vec::new(),
        );
        items.push(Item::Chart(Box::new(chart)));
    }
    for a in &r.artifacts {
        let path = Path::new(&a.path);
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let size = std::fs::metadata(path).map_or(u64::MAX, |m| m.len());
        match ext.as_deref() {
            Some("png") if size <= EMBED_MAX => {
                if let Ok(bytes) = std::fs::read(path) {
                    items.push(Item::Png {
                        title: a.title.clone(),
                        bytes,
                    });
                }
            }
            Some("csv" | "parquet") => match crate::data::load_path(path) {
                Ok(ds) => items.push(Item::Table {
                    title: a.title.clone(),
                    frame: ds.frame,
                }),
                Err(e) => items.push(Item::Finding(format!("{}: {e}", a.title))),
            },
            _ => items.push(Item::Link {
                title: a.title.clone(),
                href: a.path.clone(),
            }),
        }
    }
    Section {
        title: format!("Run {id} · {}", r.use_case),
        about: None,
        items,
    }
}

/// The runs a workspace's report covers: the ones it shows (ticked in its Runs panel); when it
/// shows none, the latest finished run of each use case made on exactly its datasets (every
/// input's fingerprint among the workspace's). Also notes on runs it names that are not here.
pub(crate) fn workspace_runs(
    runs: &[crate::runs::RunRecord],
    ws: &crate::workspace::Workspace,
) -> (Vec<crate::runs::RunRecord>, Vec<String>) {
    let mut notes = Vec::new();
    if !ws.runs.is_empty() {
        let mut chosen = Vec::new();
        for id in &ws.runs {
            match runs.iter().find(|r| r.id == *id) {
                Some(r) => chosen.push(r.clone()),
                None => notes.push(format!(
                    "Run {id}, shown in the workspace, is not in this run store (deleted, or the workspace was saved on another machine)."
                )),
            }
        }
        return (chosen, notes);
    }
    let hashes: std::collections::HashSet<&str> =
        ws.datasets.iter().map(|d| d.hash.as_str()).collect();
    let mut latest: std::collections::BTreeMap<&str, &crate::runs::RunRecord> = Default::default();
    for r in runs {
        let on_these =
            !r.inputs.is_empty() && r.inputs.iter().all(|i| hashes.contains(i.hash.as_str()));
        if r.status == crate::runs::RunStatus::Done && on_these {
            let e = latest.entry(r.use_case.as_str()).or_insert(r);
            if r.id > e.id {
                *e = r;
            }
        }
    }
    (latest.into_values().cloned().collect(), notes)
}

/// A report of a workspace: its datasets with their fingerprints and how each stands now, each
/// panel's saved choices, and the runs it covers (`workspace_runs`) with their charts.
pub(crate) fn of_workspace(
    store: &crate::runs::RunStore,
    path: &Path,
    ws: &crate::workspace::Workspace,
) -> anyhow::Result<Report> {
    use crate::workspace::Standing;
    let name = crate::data::file_name(path);
    let mut items = vec![Item::Facts {
        title: "Workspace".into(),
        rows: vec![
            ("file".into(), path.display().to_string()),
            ("saved by".into(), format!("Playbook {}", ws.app_version)),
            ("panel on screen".into(), ws.panel.clone()),
            (
                "selected dataset".into(),
                ws.dataset.clone().unwrap_or_else(|| "none".into()),
            ),
        ],
    }];
    let mut datasets: Vec<(String, String)> = ws
        .datasets
        .iter()
        .map(|d| {
            let now = match crate::workspace::standing(d) {
                Standing::Same => "as saved".to_owned(),
                Standing::Missing => "not found now".to_owned(),
                Standing::Changed(why) => format!("changed since: {why}"),
            };
            (
                d.name.clone(),
                format!(
                    "{}; {}; fingerprint {}; {now}",
                    d.path.as_deref().unwrap_or("bundled sample"),
                    crate::format::bytes(d.size),
                    d.hash
                ),
            )
        })
        .collect();
    if datasets.is_empty() {
        datasets.push((
            "none".into(),
            "no table was loaded when the workspace was saved; its panels read Playbook's \
             bundled samples"
                .into(),
        ));
    }
    items.push(Item::Facts {
        title: "Datasets".into(),
        rows: datasets,
    });
    for (panel, choices) in &ws.panels {
        let Some(obj) = choices.as_object().filter(|o| !o.is_empty()) else {
            continue;
        };
        // Choices left empty (no text, none picked) say nothing to a reader.
        let said = |v: &serde_json::Value| match v {
            serde_json::Value::Null => false,
            serde_json::Value::String(t) => !t.is_empty(),
            serde_json::Value::Array(a) => !a.is_empty(),
            _ => true,
        };
        let mut rows = Vec::new();
        for (k, v) in obj {
            match v.as_object() {
                // One level down (a panel's params), so each parameter is its own row.
                Some(inner) if !inner.is_empty() => rows.extend(
                    inner
                        .iter()
                        .filter(|(_, v2)| said(v2))
                        .map(|(k2, v2)| (key_words(&format!("{k}.{k2}")), flat(v2))),
                ),
                _ if said(v) => rows.push((key_words(k), flat(v))),
                _ => {}
            }
        }
        let title = crate::usecases::registry::get(panel).map_or(panel.as_str(), |u| u.title);
        items.push(Item::Facts {
            title: format!("Panel {title}"),
            rows,
        });
    }
    let all = store.list(&crate::runs::RunFilter::default())?;
    let (runs, notes) = workspace_runs(&all, ws);
    items.extend(notes.into_iter().map(Item::Finding));
    let about = if ws.runs.is_empty() {
        "It shows no runs, so the report has the latest finished run of each use case made on exactly these datasets."
    } else {
        "The runs it shows (ticked in its Runs panel)."
    };
    let mut sections = vec![Section {
        title: format!("Workspace {name}"),
        about: Some(about.into()),
        items,
    }];
    if runs.is_empty()
        && let Some(s) = sections.first_mut()
    {
        s.items.push(Item::Finding(
                "No recorded run matches this workspace yet: run an analysis on its datasets, or tick runs in the Runs panel and save the workspace again.".into(),
            ));
    }
    sections.extend(runs.iter().map(run_section));
    Ok(Report {
        title: format!("Playbook workspace {name}"),
        intro: format!(
            "What the workspace holds (datasets with their fingerprints, each panel's choices) and its runs. {RUNS_INTRO}"
        ),
        sections,
    })
}
