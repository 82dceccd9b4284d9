//! MLflow interop: push runs of the run store to an MLflow tracking server through its REST API
//! (the 2.0 endpoints), and pull an experiment's runs back into the store to compare them in the
//! Runs panel. The CLI (`playbook runs push|pull`) and the Runs panel both call `push` and
//! `pull`; nothing here imports egui.
//!
//! A pushed run carries the tag `playbook.run_uid` (the run's unique token), so pushing it again
//! finds it instead of making a second one. Its last write is the tag `playbook.push = complete`;
//! a run found without it is what a push that broke half-way left, and it is replaced. A run is
//! marked pushed in the store only after all of that succeeded.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::{
    Curve, Imported, InputFingerprint, MlflowLink, RunOrigin, RunRecord, RunStatus, RunStore,
    StoreError,
};
use crate::compute::Progress;

/// The experiment runs go to when none is named.
pub const DEFAULT_EXPERIMENT: &str = "Playbook";
/// The tag holding the Playbook run's unique token.
pub(crate) const UID_TAG: &str = "playbook.run_uid";
/// The tag a push writes last: a run without it is a broken push.
const COMPLETE_TAG: &str = "playbook.push";
/// MLflow's limits per `runs/log-batch` request.
const MAX_PARAMS: usize = 100;
const MAX_METRICS: usize = 1000;
const MAX_TAGS: usize = 100;
/// MLflow's longest param value (6,000 characters) and tag value (8,000), with room to spare.
const MAX_PARAM_VALUE: usize = 6000;
const MAX_TAG_VALUE: usize = 5000;

/// Why MLflow could not be used at all (a run that alone failed is in its `PushResult`).
#[derive(Debug, thiserror::Error)]
pub enum MlflowError {
    #[error("MLflow at {uri}: {message}")]
    Server { uri: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The most pages of a search a client reads before giving up on a server that never ends.
const MAX_PAGES: usize = 1_000;

/// What became of one run.
#[derive(Clone, Debug, PartialEq)]
pub enum Pushed {
    /// Sent now: with how many artifact files, and why some were not sent.
    New {
        link: MlflowLink,
        artifacts: usize,
        note: Option<String>,
    },
    /// It was there already (pushed before, from here or from a copy of this store).
    Already { link: MlflowLink },
}

impl Pushed {
    pub fn link(&self) -> &MlflowLink {
        match self {
            Self::New { link, .. } | Self::Already { link } => link,
        }
    }
}

/// One run's push: where it went, or why it did not.
#[derive(Clone, Debug, PartialEq)]
pub struct PushResult {
    pub id: i64,
    pub outcome: Result<Pushed, String>,
}

impl PushResult {
    /// One line for the CLI and the Runs panel.
    pub fn line(&self) -> String {
        match &self.outcome {
            Ok(Pushed::New {
                link,
                artifacts,
                note,
            }) => format!(
                "run {}: pushed as MLflow run {} with {artifacts} artifact file(s){}",
                self.id,
                link.mlflow_run_id,
                note.as_deref()
                    .map(|n| format!("; {n}"))
                    .unwrap_or_default()
            ),
            Ok(Pushed::Already { link }) => format!(
                "run {}: already in MLflow as run {} (not pushed again)",
                self.id, link.mlflow_run_id
            ),
            Err(e) => format!("run {}: not pushed: {e}", self.id),
        }
    }
}

/// What a pull added.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pulled {
    /// The new runs' ids in the store.
    pub added: Vec<i64>,
    /// MLflow runs the store has already (pulled before, or pushed from here).
    pub already: usize,
    /// MLflow runs still running, left for a later pull.
    pub running: usize,
}

impl Pulled {
    pub fn line(&self, experiment: &str) -> String {
        format!(
            "pulled {} new run(s) from experiment '{experiment}'; {} already here{}",
            self.added.len(),
            self.already,
            if self.running > 0 {
                format!("; {} still running there, not pulled", self.running)
            } else {
                String::new()
            }
        )
    }
}

/// A tracking server's REST API.
pub struct Client {
    base: String,
    http: reqwest::blocking::Client,
    /// `MLFLOW_TRACKING_TOKEN`, or `MLFLOW_TRACKING_USERNAME` and `_PASSWORD`, as MLflow's own
    /// client reads them.
    token: Option<String>,
    basic: Option<(String, String)>,
}

/// The innermost cause of an HTTP error ("Connection refused (os error 111)").
fn root_cause(e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Keep what MLflow allows in a metric or param name: letters, digits, `_ - . : /` and spaces.
pub fn key_name(s: &str) -> String {
    let kept: String = s
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '[' | ']'))
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ' | ':' | '/') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let kept = kept.trim().to_owned();
    kept.chars().take(250).collect()
}

fn cut(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        return s;
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// Params as MLflow's flat text: nested objects joined with dots, text as it is, anything else
/// as JSON.
pub(crate) fn flat_params(params: &Value) -> Vec<(String, String)> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(m) if !m.is_empty() => {
                for (k, v) in m {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out);
                }
            }
            Value::String(s) => out.push((key_name(prefix), cut(s.clone(), MAX_PARAM_VALUE))),
            other => out.push((key_name(prefix), cut(other.to_string(), MAX_PARAM_VALUE))),
        }
    }
    let mut out = Vec::new();
    match params {
        Value::Object(_) => walk("", params, &mut out),
        Value::Null => {}
        other => walk("params", other, &mut out),
    }
    out
}

/// Flat MLflow params back as an object, dotted keys nested again, values read as JSON where
/// they are JSON (numbers, booleans, lists) and as text otherwise.
pub(crate) fn nest_params(flat: &[(String, String)], nest: bool) -> Value {
    /// Put `value` at `path`; gives it back when a shorter key already holds a value there.
    fn insert(map: &mut Map<String, Value>, path: &[&str], value: Value) -> Result<(), Value> {
        match path {
            [] => Err(value),
            [last] => {
                map.insert((*last).to_owned(), value);
                Ok(())
            }
            [first, rest @ ..] => match map
                .entry((*first).to_owned())
                .or_insert_with(|| Value::Object(Map::new()))
            {
                Value::Object(m) => insert(m, rest, value),
                _ => Err(value),
            },
        }
    }
    let mut root = Map::new();
    for (k, v) in flat {
        let value = serde_json::from_str::<Value>(v)
            .ok()
            .filter(|j| !j.is_string())
            .unwrap_or_else(|| Value::String(v.clone()));
        let path: Vec<&str> = if nest {
            k.split('.').collect()
        } else {
            vec![k.as_str()]
        };
        if let Err(value) = insert(&mut root, &path, value) {
            root.insert(k.clone(), value);
        }
    }
    Value::Object(root)
}

/// A curve as metric steps: `"curve/<chart>/<y label>"` at each point. Where x is a whole
/// number that grows (epochs, steps) it is the step; otherwise the step is the point's index
/// and x goes in its own metric beside it.
pub(crate) fn curve_metrics(c: &Curve, timestamp: i64) -> Vec<Value> {
    let whole_steps = c
        .points
        .iter()
        .all(|(x, _)| x.fract() == 0.0 && *x >= 0.0 && *x < 1e15)
        && c.points.windows(2).all(|w| w[1].0 > w[0].0);
    let base = format!("curve/{}", c.chart);
    let y_key = key_name(&format!("{base}/{}", c.y_label));
    let x_key = key_name(&format!("{base}/{}", c.x_label));
    let mut out = Vec::new();
    for (i, &(x, y)) in c.points.iter().enumerate() {
        let step = if whole_steps { x as i64 } else { i as i64 };
        if y.is_finite() {
            out.push(json!({"key": y_key, "value": y, "timestamp": timestamp, "step": step}));
        }
        if !whole_steps && x.is_finite() {
            out.push(json!({"key": x_key, "value": x, "timestamp": timestamp, "step": step}));
        }
    }
    out
}

fn tag(key: &str, value: impl Into<String>) -> Value {
    json!({"key": key, "value": cut(value.into(), MAX_TAG_VALUE)})
}

/// Seconds since 1970 of a run's RFC 3339 start.
fn started_seconds(r: &RunRecord) -> f64 {
    chrono::DateTime::parse_from_rfc3339(&r.started)
        .map(|t| t.timestamp() as f64)
        .unwrap_or(0.0)
}

fn status_name(s: RunStatus) -> &'static str {
    match s {
        RunStatus::Running => "RUNNING",
        RunStatus::Done => "FINISHED",
        RunStatus::Failed => "FAILED",
        RunStatus::Cancelled => "KILLED",
    }
}

/// Where an artifact goes in the MLflow run: charts, tables, or other files.
fn artifact_folder(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png" | "svg") => "charts",
        Some("csv" | "parquet" | "tsv") => "tables",
        _ => "files",
    }
}

/// An artifact path's segments, each percent-encoded for a URL.
fn url_path(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            seg.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl Client {
    /// A client for the server at `uri` (`http://host:port`, or https). Nothing is sent yet.
    pub fn new(uri: &str) -> Result<Self, MlflowError> {
        let base = uri.trim().trim_end_matches('/').to_owned();
        let bad = |message: String| MlflowError::Server {
            uri: base.clone(),
            message,
        };
        let url = reqwest::Url::parse(&base).map_err(|e| bad(format!("not a URL ({e})")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad(format!(
                "not an http or https address (it starts with {}:)",
                url.scheme()
            )));
        }
        crate::tls::install();
        let http = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| bad(root_cause(&e)))?;
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Ok(Self {
            base,
            http,
            token: env("MLFLOW_TRACKING_TOKEN"),
            basic: env("MLFLOW_TRACKING_USERNAME").zip(env("MLFLOW_TRACKING_PASSWORD")),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn error(&self, message: String) -> MlflowError {
        MlflowError::Server {
            uri: self.base.clone(),
            message,
        }
    }

    fn authorize(&self, b: reqwest::blocking::RequestBuilder) -> reqwest::blocking::RequestBuilder {
        match (&self.token, &self.basic) {
            (Some(t), _) => b.bearer_auth(t),
            (None, Some((u, p))) => b.basic_auth(u, Some(p)),
            (None, None) => b,
        }
    }

    /// Send a request and read its JSON answer; MLflow's error answers become their message.
    fn send(&self, b: reqwest::blocking::RequestBuilder) -> Result<Value, MlflowError> {
        let resp = self.authorize(b).send().map_err(|e| {
            self.error(if e.is_connect() {
                format!(
                    "cannot connect ({}); is the server running?",
                    root_cause(&e)
                )
            } else if e.is_timeout() {
                "no answer in time".to_owned()
            } else {
                root_cause(&e)
            })
        })?;
        let status = resp.status();
        let body = resp.bytes().map_err(|e| self.error(root_cause(&e)))?;
        let parsed: Option<Value> = serde_json::from_slice(&body).ok();
        if !status.is_success() {
            let said = parsed
                .as_ref()
                .and_then(|v| {
                    let code = v.get("error_code")?.as_str()?;
                    let msg = v.get("message").and_then(Value::as_str).unwrap_or("");
                    Some(format!("{code}: {msg}"))
                })
                .unwrap_or_else(|| {
                    let text = String::from_utf8_lossy(&body);
                    let text: String = text.chars().take(200).collect();
                    format!("HTTP {status}: {}", text.trim())
                });
            return Err(self.error(said));
        }
        Ok(parsed.unwrap_or(Value::Null))
    }

    fn api(&self, endpoint: &str) -> String {
        format!("{}/api/2.0/mlflow/{endpoint}", self.base)
    }

    /// POST a JSON body to an MLflow endpoint.
    pub fn post(&self, endpoint: &str, body: &Value) -> Result<Value, MlflowError> {
        self.send(self.http.post(self.api(endpoint)).json(body))
    }

    /// GET an MLflow endpoint with query parameters.
    pub fn get(&self, endpoint: &str, query: &[(&str, &str)]) -> Result<Value, MlflowError> {
        let url = reqwest::Url::parse_with_params(&self.api(endpoint), query)
            .map_err(|e| self.error(e.to_string()))?;
        self.send(self.http.get(url))
    }

    /// The experiment's id, or `None` when there is none of that name.
    pub fn experiment_id(&self, name: &str) -> Result<Option<String>, MlflowError> {
        let answer = self.get("experiments/get-by-name", &[("experiment_name", name)]);
        match answer {
            Ok(v) => {
                let e = &v["experiment"];
                if e["lifecycle_stage"].as_str() == Some("deleted") {
                    return Err(self.error(format!(
                        "experiment '{name}' is deleted there; restore it or choose another name"
                    )));
                }
                Ok(e["experiment_id"].as_str().map(str::to_owned))
            }
            Err(MlflowError::Server { message, .. })
                if message.starts_with("RESOURCE_DOES_NOT_EXIST") =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// The experiment's id, made if there is none.
    pub fn experiment_id_or_create(&self, name: &str) -> Result<String, MlflowError> {
        if let Some(id) = self.experiment_id(name)? {
            return Ok(id);
        }
        // Marked as model training, so MLflow 3's UI opens it on runs and metric charts.
        let v = self.post(
            "experiments/create",
            &json!({
                "name": name,
                "tags": [
                    {"key": "mlflow.experimentKind", "value": "custom_model_development"},
                    {"key": "mlflow.note.content", "value": "Runs pushed from Playbook (playbook runs push, or the Runs panel)."},
                ],
            }),
        )?;
        v["experiment_id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.error("experiments/create answered without an id".into()))
    }

    /// Every active run of the experiment matching `filter` (MLflow's search syntax), all pages.
    pub fn search_runs(
        &self,
        experiment_id: &str,
        filter: &str,
    ) -> Result<Vec<Value>, MlflowError> {
        let mut runs = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut body = json!({
                "experiment_ids": [experiment_id],
                "filter": filter,
                "max_results": 1000,
                "run_view_type": "ACTIVE_ONLY",
            });
            if let Some(t) = &token {
                body["page_token"] = Value::String(t.clone());
            }
            let v = self.post("runs/search", &body)?;
            if let Some(list) = v["runs"].as_array() {
                runs.extend(list.iter().cloned());
            }
            let next = v["next_page_token"]
                .as_str()
                .filter(|t| !t.is_empty())
                .map(str::to_owned);
            // A page with no runs that still points further, or the same page again, is a
            // server going round in circles.
            let empty = v["runs"].as_array().is_none_or(Vec::is_empty);
            if next.is_none() || empty || next == token {
                return Ok(runs);
            }
            token = next;
        }
        Err(MlflowError::Server {
            uri: self.base.clone(),
            message: format!(
                "runs/search still had more pages after {MAX_PAGES} (of up to 1,000 runs each); \
                 stopped"
            ),
        })
    }

    /// Upload one file through the server's artifact proxy (`mlflow-artifacts:` runs).
    fn upload(
        &self,
        artifact_uri: &str,
        rel: &str,
        body: reqwest::blocking::Body,
    ) -> Result<(), String> {
        let root = artifact_uri
            .strip_prefix("mlflow-artifacts:")
            .ok_or("not a proxied artifact store")?;
        // `mlflow-artifacts:/1/<run>/artifacts`, or with an authority: `mlflow-artifacts://h:p/1/...`.
        let root = match root.strip_prefix("//") {
            Some(rest) => rest.split_once('/').map_or("", |(_, p)| p),
            None => root.trim_start_matches('/'),
        };
        let url = format!(
            "{}/api/2.0/mlflow-artifacts/artifacts/{}/{}",
            self.base,
            url_path(root),
            url_path(rel)
        );
        self.send(self.http.put(url).body(body))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// The MLflow run's id and whether its push completed.
fn found(run: &Value) -> Option<(String, bool)> {
    let id = run["info"]["run_id"].as_str()?.to_owned();
    let complete = tags_of(run).get(COMPLETE_TAG).and_then(Value::as_str) == Some("complete");
    Some((id, complete))
}

/// Push runs `ids` of `store` to experiment `experiment` (made if missing) of the server at
/// `uri`. Fails as a whole only when the server cannot be reached or refuses the experiment;
/// each run's own failure is in its result.
pub fn push(
    store: &RunStore,
    uri: &str,
    experiment: &str,
    ids: &[i64],
    progress: &dyn Progress,
) -> Result<Vec<PushResult>, MlflowError> {
    let client = Client::new(uri)?;
    progress.report(0.0, &format!("Finding experiment '{experiment}'"));
    let experiment_id = client.experiment_id_or_create(experiment)?;
    let mut results = Vec::new();
    for (i, &id) in ids.iter().enumerate() {
        if progress.cancelled() {
            break;
        }
        progress.report(
            i as f32 / ids.len().max(1) as f32,
            &format!("Pushing run {id} ({} of {})", i + 1, ids.len()),
        );
        let outcome = store
            .get(id)
            .map_err(|e| e.to_string())
            .and_then(|run| push_one(store, &client, &experiment_id, &run));
        if let Ok(p) = &outcome {
            // Marked pushed only once MLflow has all of it.
            store.add_link(id, p.link())?;
        }
        results.push(PushResult { id, outcome });
    }
    progress.report(1.0, "Pushed");
    Ok(results)
}

fn push_one(
    store: &RunStore,
    client: &Client,
    experiment_id: &str,
    run: &RunRecord,
) -> Result<Pushed, String> {
    let err = |e: MlflowError| e.to_string();
    match run.origin {
        RunOrigin::Mlflow => return Err("it came from MLflow (pulled); not pushed back".into()),
        _ if run.status == RunStatus::Running => {
            return Err("still running; push it once it has finished".into());
        }
        _ => {}
    }
    let link = |mlflow_run_id: String| MlflowLink {
        server: client.base().to_owned(),
        experiment_id: experiment_id.to_owned(),
        mlflow_run_id,
        direction: "push".into(),
        at: String::new(),
    };
    let filter = format!("tags.`{UID_TAG}` = '{}'", run.uid.replace('\'', ""));
    for earlier in client.search_runs(experiment_id, &filter).map_err(err)? {
        match found(&earlier) {
            Some((rid, true)) => return Ok(Pushed::Already { link: link(rid) }),
            // A push that broke half-way: replace it.
            Some((rid, false)) => {
                client
                    .post("runs/delete", &json!({ "run_id": rid }))
                    .map_err(err)?;
            }
            None => {}
        }
    }
    let start_ms = (started_seconds(run) * 1000.0) as i64;
    let end_ms = start_ms + (run.seconds.unwrap_or(0.0) * 1000.0) as i64;
    let mut tags = vec![
        tag(UID_TAG, run.uid.clone()),
        tag("playbook.run_id", run.id.to_string()),
        tag("playbook.use_case", run.use_case.clone()),
        tag("playbook.app_version", run.app_version.clone()),
        tag("playbook.origin", run.origin.as_str()),
        tag("mlflow.source.name", "playbook"),
        tag("mlflow.source.type", "LOCAL"),
    ];
    for input in &run.inputs {
        tags.push(tag(
            &key_name(&format!("playbook.input.{}", input.role)),
            format!(
                "{} ({} bytes, blake3 {}{})",
                input.name,
                input.size,
                input.hash.get(..16).unwrap_or(&input.hash),
                input
                    .path
                    .as_deref()
                    .map(|p| format!(", {p}"))
                    .unwrap_or_default()
            ),
        ));
    }
    if let Ok(all) = serde_json::to_string(&run.inputs)
        && all.len() <= MAX_TAG_VALUE
    {
        tags.push(tag("playbook.inputs", all));
    }
    if let Some(m) = &run.message {
        tags.push(tag("playbook.message", m.clone()));
    }
    let created = client
        .post(
            "runs/create",
            &json!({
                "experiment_id": experiment_id,
                "start_time": start_ms,
                "run_name": format!("{} #{}", run.use_case, run.id),
                "tags": tags.iter().take(MAX_TAGS).collect::<Vec<_>>(),
            }),
        )
        .map_err(err)?;
    let info = &created["run"]["info"];
    let rid = info["run_id"]
        .as_str()
        .ok_or("runs/create answered without a run id")?
        .to_owned();
    let artifact_uri = info["artifact_uri"].as_str().unwrap_or("").to_owned();
    let batch = |body: Value| client.post("runs/log-batch", &body).map_err(err);
    for chunk in tags.get(MAX_TAGS..).unwrap_or(&[]).chunks(MAX_TAGS) {
        batch(json!({"run_id": rid, "tags": chunk}))?;
    }
    let params: Vec<Value> = flat_params(&run.params)
        .into_iter()
        .map(|(key, value)| json!({"key": key, "value": value}))
        .collect();
    for chunk in params.chunks(MAX_PARAMS) {
        batch(json!({"run_id": rid, "params": chunk}))?;
    }
    let mut metrics: Vec<Value> = run
        .metrics
        .iter()
        .filter_map(|(k, v)| {
            let v = v.as_f64().filter(|v| v.is_finite())?;
            Some(json!({"key": key_name(k), "value": v, "timestamp": end_ms, "step": 0}))
        })
        .collect();
    for c in &run.curves {
        metrics.extend(curve_metrics(c, end_ms));
    }
    for chunk in metrics.chunks(MAX_METRICS) {
        batch(json!({"run_id": rid, "metrics": chunk}))?;
    }
    let (artifacts, note) = push_artifacts(store, client, run, &artifact_uri);
    batch(json!({"run_id": rid, "tags": [tag(COMPLETE_TAG, "complete")]}))?;
    client
        .post(
            "runs/update",
            &json!({"run_id": rid, "status": status_name(run.status), "end_time": end_ms}),
        )
        .map_err(err)?;
    Ok(Pushed::New {
        link: link(rid),
        artifacts,
        note,
    })
}

/// Upload the run's files that still exist, and its record as `playbook-run.json`. Returns how
/// many went and a note on what did not.
fn push_artifacts(
    store: &RunStore,
    client: &Client,
    run: &RunRecord,
    artifact_uri: &str,
) -> (usize, Option<String>) {
    if !artifact_uri.starts_with("mlflow-artifacts:") {
        return (
            0,
            Some(format!(
                "the server keeps artifacts at {artifact_uri} and does not proxy uploads (start it with --serve-artifacts), so charts and tables were not sent"
            )),
        );
    }
    let mut problems = Vec::new();
    // The run's record first, then each kept file that still exists.
    let record = serde_json::to_vec_pretty(run).unwrap_or_default();
    let mut uploads: Vec<(String, reqwest::blocking::Body)> =
        vec![("playbook-run.json".into(), record.into())];
    let mut missing = 0;
    for a in &run.artifacts {
        let path = Path::new(&a.path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "artifact".into());
        let rel = format!("{}/{name}", artifact_folder(path));
        // Only the run's own files, as it left them (a tampered store names others).
        let real = match store.trusted_artifact(run, a) {
            Ok(real) => real,
            Err(_) if !path.exists() => {
                missing += 1;
                continue;
            }
            Err(why) => {
                problems.push(why);
                continue;
            }
        };
        match std::fs::File::open(&real) {
            Ok(f) if real.is_file() => uploads.push((rel, f.into())),
            Ok(_) => missing += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => missing += 1,
            Err(e) => problems.push(format!("{rel}: {}: {e}", path.display())),
        }
    }
    let mut sent = 0;
    for (rel, body) in uploads {
        match client.upload(artifact_uri, &rel, body) {
            Ok(()) => sent += 1,
            Err(e) => problems.push(format!("{rel}: {e}")),
        }
    }
    if missing > 0 {
        problems.push(format!("{missing} file(s) no longer exist"));
    }
    let note = (!problems.is_empty()).then(|| format!("not sent: {}", problems.join("; ")));
    (sent, note)
}

/// The tags of an MLflow run as a map.
fn tags_of(run: &Value) -> Map<String, Value> {
    run["data"]["tags"]
        .as_array()
        .map(|tags| {
            tags.iter()
                .filter_map(|t| Some((t["key"].as_str()?.to_owned(), t["value"].clone())))
                .collect()
        })
        .unwrap_or_default()
}

/// An MLflow run as a finished run of the store; `None` while it is still running there.
fn imported(run: &Value, experiment: &str) -> Option<Imported> {
    let info = &run["info"];
    let status = match info["status"].as_str().unwrap_or("") {
        "FINISHED" => RunStatus::Done,
        "FAILED" => RunStatus::Failed,
        "KILLED" => RunStatus::Cancelled,
        _ => return None,
    };
    let tags = tags_of(run);
    let tag_text = |k: &str| tags.get(k).and_then(Value::as_str).map(str::to_owned);
    let from_playbook = tags.contains_key(UID_TAG);
    let flat: Vec<(String, String)> = run["data"]["params"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(|p| {
                    Some((
                        p["key"].as_str()?.to_owned(),
                        p["value"].as_str().unwrap_or("").to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let metrics: Map<String, Value> = run["data"]["metrics"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .filter_map(|m| {
                    let k = m["key"].as_str()?;
                    // A curve's last point is not a metric of the run.
                    (!k.starts_with("curve/")).then(|| (k.to_owned(), m["value"].clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    let start_ms = info["start_time"].as_f64().unwrap_or(0.0);
    let end_ms = info["end_time"].as_f64();
    let inputs: Vec<InputFingerprint> = tag_text("playbook.inputs")
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let status_message = (status == RunStatus::Failed)
        .then(|| tag_text("playbook.message").unwrap_or_else(|| "failed in MLflow".to_owned()));
    Some(Imported {
        use_case: tag_text("playbook.use_case").unwrap_or_else(|| format!("mlflow:{experiment}")),
        status,
        message: status_message,
        params: nest_params(&flat, from_playbook),
        metrics,
        inputs,
        started: start_ms / 1000.0,
        seconds: end_ms.map(|e| ((e - start_ms) / 1000.0).max(0.0)),
        app_version: tag_text("playbook.app_version").unwrap_or_else(|| "MLflow".to_owned()),
    })
}

/// Pull experiment `experiment`'s finished runs from the server at `uri` into the store: params,
/// metrics, and (for runs Playbook pushed) use case and inputs. Runs the store has already are
/// left alone.
pub fn pull(
    store: &mut RunStore,
    uri: &str,
    experiment: &str,
    progress: &dyn Progress,
) -> Result<Pulled, MlflowError> {
    let client = Client::new(uri)?;
    progress.report(0.0, &format!("Finding experiment '{experiment}'"));
    let experiment_id = client
        .experiment_id(experiment)?
        .ok_or_else(|| client.error(format!("no experiment named '{experiment}'")))?;
    progress.report(0.1, "Listing its runs");
    let runs = client.search_runs(&experiment_id, "")?;
    let here = store.list(&super::RunFilter::default())?;
    let mut known: HashSet<String> = here
        .iter()
        .flat_map(|r| {
            r.mlflow
                .iter()
                .filter(|l| l.server == client.base())
                .map(|l| l.mlflow_run_id.clone())
        })
        .collect();
    let uids: HashSet<&str> = here.iter().map(|r| r.uid.as_str()).collect();
    let mut pulled = Pulled::default();
    // Oldest first, so the store's ids follow the runs' order.
    for (i, run) in runs.iter().rev().enumerate() {
        if progress.cancelled() {
            break;
        }
        progress.report(
            0.1 + 0.9 * i as f32 / runs.len().max(1) as f32,
            &format!("Reading run {} of {}", i + 1, runs.len()),
        );
        let Some(rid) = run["info"]["run_id"].as_str() else {
            continue;
        };
        let ours = tags_of(run)
            .get(UID_TAG)
            .and_then(Value::as_str)
            .is_some_and(|u| uids.contains(u));
        if ours || known.contains(rid) {
            pulled.already += 1;
            continue;
        }
        let Some(imp) = imported(run, experiment) else {
            pulled.running += 1;
            continue;
        };
        let link = MlflowLink {
            server: client.base().to_owned(),
            experiment_id: experiment_id.clone(),
            mlflow_run_id: rid.to_owned(),
            direction: "pull".into(),
            at: String::new(),
        };
        pulled.added.push(store.import(&imp, &link)?);
        known.insert(rid.to_owned());
    }
    progress.report(1.0, "Pulled");
    Ok(pulled)
}
