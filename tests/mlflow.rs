//! MLflow interop against a real `mlflow server` on loopback (sqlite backend, artifacts in a temp
//! folder), started once per test process. Everything pushed is read back through MLflow's own
//! REST search, metric history and artifact listing.
//!
//! The server is `$PLAYBOOK_MLFLOW` or `mlflow` on the PATH. When it cannot start, the tests
//! fail if PLAYBOOK_REQUIRE_MLFLOW=1 (as in CI) and are skipped with the reason otherwise.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use playbook::runs::mlflow::Client;
use serde_json::{Value, json};

use crate::playbook_in;

struct Server {
    uri: String,
}

fn start() -> Result<Server, String> {
    let exe = std::env::var("PLAYBOOK_MLFLOW").unwrap_or_else(|_| "mlflow".into());
    let version = Command::new(&exe).arg("--version").output();
    if !version.as_ref().is_ok_and(|o| o.status.success()) {
        return Err(format!(
            "`{exe} --version` failed ({}); set PLAYBOOK_MLFLOW to an mlflow executable",
            match version {
                Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_owned(),
                Err(e) => e.to_string(),
            }
        ));
    }
    // Removed with the test process's other folders when the next test process starts.
    let dir = crate::process_dir();
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let db = dir.join("mlflow.db");
    let art = dir.join("artifacts");
    let log = dir.join("server.log");
    // The server and its workers live in their own session; a watcher ends them all when this
    // test process is gone (a static is never dropped, so nothing else would).
    let script = format!(
        "\"$0\" server --backend-store-uri 'sqlite:///{db}' --artifacts-destination '{art}' \
         --host 127.0.0.1 --port {port} --workers 1 >'{log}' 2>&1 &\n\
         while kill -0 {pid} 2>/dev/null; do sleep 1; done\n\
         kill -TERM 0",
        db = db.display(),
        art = art.display(),
        log = log.display(),
        pid = std::process::id(),
    );
    Command::new("setsid")
        .args(["sh", "-c", &script, &exe])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run setsid sh: {e}"))?;
    let uri = format!("http://127.0.0.1:{port}");
    let health = format!("{uri}/health");
    // The test's own HTTP client uses the app's TLS stack, which is installed, not built in.
    playbook::tls::install();
    let began = Instant::now();
    while began.elapsed() < Duration::from_secs(120) {
        if reqwest::blocking::get(&health).is_ok_and(|r| r.status().is_success()) {
            return Ok(Server { uri });
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    let tail: Vec<&str> = said.lines().rev().take(5).collect();
    Err(format!(
        "`{exe} server` did not answer within 120 s: {}",
        tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
    ))
}

/// The shared server's address, or `None` (test skipped) when it cannot start locally.
fn server() -> Option<&'static str> {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    match SERVER.get_or_init(start) {
        Ok(s) => Some(&s.uri),
        Err(why) if std::env::var("PLAYBOOK_REQUIRE_MLFLOW").is_ok_and(|v| v == "1") => {
            panic!("MLflow server required (PLAYBOOK_REQUIRE_MLFLOW=1): {why}")
        }
        Err(why) => {
            eprintln!("skipped: no MLflow server: {why}");
            None
        }
    }
}

fn ok(o: &std::process::Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fraud run (PR and ROC curves, SVG charts) recorded in `home`; its id.
fn fraud_run(home: &Path, depth: &str) -> Value {
    ok(&crate::fraud_train_in(home, &["--max-depth", depth]));
    let list: Value =
        serde_json::from_str(&ok(&playbook_in(home, &["runs", "list", "--json"]))).unwrap();
    list[0].clone()
}

fn show(home: &Path, id: i64) -> Value {
    serde_json::from_str(&ok(&playbook_in(
        home,
        &["runs", "show", &id.to_string(), "--json"],
    )))
    .unwrap()
}

/// Every MLflow run of the experiment carrying Playbook's run uid `uid`.
fn mlflow_runs_with_uid(c: &Client, experiment: &str, uid: &str) -> Vec<Value> {
    let eid = c.experiment_id(experiment).unwrap().unwrap();
    c.search_runs(&eid, &format!("tags.`playbook.run_uid` = '{uid}'"))
        .unwrap()
}

fn pairs(list: &Value) -> std::collections::BTreeMap<String, String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    let v = &p["value"];
                    let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                    (p["key"].as_str().unwrap().to_owned(), text)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A run as another team's MLflow client logs it: started, params and metrics, finished a minute
/// later. Its MLflow run id.
fn log_finished_run(c: &Client, experiment_id: &str, params: Value, metrics: Value) -> String {
    let r = c
        .post(
            "runs/create",
            &json!({"experiment_id": experiment_id, "start_time": 1_700_000_000_000_i64}),
        )
        .unwrap();
    let rid = r["run"]["info"]["run_id"].as_str().unwrap().to_owned();
    c.post(
        "runs/log-batch",
        &json!({"run_id": rid, "params": params, "metrics": metrics}),
    )
    .unwrap();
    c.post(
        "runs/update",
        &json!({"run_id": rid, "status": "FINISHED", "end_time": 1_700_000_060_000_i64}),
    )
    .unwrap();
    rid
}

/// True when some label on screen contains `text` (a notice may repeat it).
fn shows(h: &egui_kittest::Harness<'static, playbook::app::PlaybookApp>, text: &str) -> bool {
    use egui_kittest::kittest::Queryable;
    h.query_all_by_label_contains(text).count() >= 1
}

fn artifact_paths(c: &Client, run_id: &str, path: &str) -> Vec<String> {
    let v = c
        .get("artifacts/list", &[("run_id", run_id), ("path", path)])
        .unwrap();
    v["files"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .map(|f| f["path"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_pushed_run_arrives_with_params_metrics_curves_tags_and_artifacts_once() {
    let Some(uri) = server() else { return };
    let home = tempfile::tempdir().unwrap();
    let run = fraud_run(home.path(), "4");
    let id = run["id"].as_i64().unwrap();
    let uid = run["uid"].as_str().unwrap().to_owned();
    assert!(!uid.is_empty(), "{run}");
    let experiment = "push-test";
    let out = ok(&playbook_in(
        home.path(),
        &[
            "runs",
            "push",
            "--mlflow-uri",
            uri,
            "--experiment",
            experiment,
            &id.to_string(),
        ],
    ));
    assert!(
        out.contains(&format!("run {id}: pushed as MLflow run")),
        "{out}"
    );

    let c = Client::new(uri).unwrap();
    let found = mlflow_runs_with_uid(&c, experiment, &uid);
    assert_eq!(found.len(), 1, "{found:?}");
    let m = &found[0];
    let rid = m["info"]["run_id"].as_str().unwrap().to_owned();
    assert_eq!(m["info"]["status"], "FINISHED");
    assert_eq!(m["info"]["run_name"], format!("fraud #{id}"));

    // Params: flattened, values as the store has them.
    let params = pairs(&m["data"]["params"]);
    assert_eq!(params["max_depth"], "4");
    assert_eq!(params["labels"], "rules");
    assert!(params.keys().any(|k| k.starts_with("rules.")), "{params:?}");
    // Metrics: every numeric metric of the run, to the bit.
    let metrics = pairs(&m["data"]["metrics"]);
    for (k, v) in run["metrics"].as_object().unwrap() {
        if let Some(x) = v.as_f64() {
            let got: f64 = metrics[k].parse().unwrap();
            assert_eq!(got, x, "metric {k}");
        }
    }
    // Tags: use case, app version, inputs with fingerprints.
    let tags = pairs(&m["data"]["tags"]);
    assert_eq!(tags["playbook.use_case"], "fraud");
    assert_eq!(tags["playbook.app_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(tags["playbook.push"], "complete");
    let hash = run["inputs"][0]["hash"].as_str().unwrap();
    assert!(
        tags.values().any(|v| v.contains(&hash[..16])),
        "no input fingerprint in {tags:?}"
    );
    // Curves: one metric step per point, in order.
    let curve = &run["curves"][0];
    let key = playbook::runs::mlflow::key_name(&format!(
        "curve/{}/{}",
        curve["chart"].as_str().unwrap(),
        curve["y_label"].as_str().unwrap()
    ));
    let history = c
        .get(
            "metrics/get-history",
            &[
                ("run_id", &rid),
                ("metric_key", &key),
                ("max_results", "25000"),
            ],
        )
        .unwrap();
    let points = curve["points"].as_array().unwrap();
    let mut steps: Vec<(i64, f64)> = history["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["step"].as_i64().unwrap_or(0),
                h["value"].as_f64().unwrap(),
            )
        })
        .collect();
    steps.sort_by_key(|s| s.0);
    let ys: Vec<f64> = points.iter().map(|p| p[1].as_f64().unwrap()).collect();
    assert_eq!(steps.len(), ys.len(), "curve {key}");
    assert_eq!(steps.iter().map(|s| s.1).collect::<Vec<_>>(), ys);
    // Artifacts: the run record and each chart the run kept.
    assert!(artifact_paths(&c, &rid, "").contains(&"playbook-run.json".to_owned()));
    let charts = artifact_paths(&c, &rid, "charts");
    let kept = run["artifacts"].as_array().unwrap();
    assert!(!kept.is_empty());
    for a in kept {
        let name = Path::new(a["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".svg") || name.ends_with(".png") {
            assert!(
                charts.contains(&format!("charts/{name}")),
                "{name} not in {charts:?}"
            );
        }
    }
    // Marked pushed in the store, with the MLflow run.
    let shown = show(home.path(), id);
    assert_eq!(shown["mlflow"][0]["mlflow_run_id"], rid.as_str());
    assert_eq!(shown["mlflow"][0]["direction"], "push");

    // Again: found by its tag, not duplicated.
    let again = ok(&playbook_in(
        home.path(),
        &[
            "runs",
            "push",
            "--mlflow-uri",
            uri,
            "--experiment",
            experiment,
        ],
    ));
    assert!(again.contains("already in MLflow"), "{again}");
    assert_eq!(mlflow_runs_with_uid(&c, experiment, &uid).len(), 1);
}

#[test]
fn a_push_that_broke_half_way_is_replaced_not_kept_twice() {
    let Some(uri) = server() else { return };
    let home = tempfile::tempdir().unwrap();
    let run = fraud_run(home.path(), "3");
    let uid = run["uid"].as_str().unwrap().to_owned();
    let experiment = "broken-push";
    let c = Client::new(uri).unwrap();
    let eid = c.experiment_id_or_create(experiment).unwrap();
    // What a push cut off after runs/create leaves: the uid tag, no completion tag.
    c.post(
        "runs/create",
        &json!({"experiment_id": eid, "tags": [{"key": "playbook.run_uid", "value": uid}]}),
    )
    .unwrap();
    let out = ok(&playbook_in(
        home.path(),
        &[
            "runs",
            "push",
            "--mlflow-uri",
            uri,
            "--experiment",
            experiment,
        ],
    ));
    assert!(out.contains("pushed as MLflow run"), "{out}");
    let found = mlflow_runs_with_uid(&c, experiment, &uid);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        pairs(&found[0]["data"]["tags"])["playbook.push"],
        "complete"
    );
}

#[test]
fn a_server_that_is_down_or_refuses_gives_one_clear_line_and_nothing_is_marked_pushed() {
    let Some(uri) = server() else { return };
    let home = tempfile::tempdir().unwrap();
    let run = fraud_run(home.path(), "2");
    let id = run["id"].as_i64().unwrap().to_string();
    // Nothing listens on a port just freed.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = format!("http://127.0.0.1:{port}");
    let o = playbook_in(home.path(), &["runs", "push", "--mlflow-uri", &down, &id]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains(&down) && err.contains("cannot connect"),
        "{err}"
    );
    // A server that refuses: the experiment exists but is deleted.
    let c = Client::new(uri).unwrap();
    let eid = c.experiment_id_or_create("deleted-one").unwrap();
    c.post("experiments/delete", &json!({ "experiment_id": eid }))
        .unwrap();
    let o = playbook_in(
        home.path(),
        &[
            "runs",
            "push",
            "--mlflow-uri",
            uri,
            "--experiment",
            "deleted-one",
            &id,
        ],
    );
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("deleted"), "{err}");
    // Not an address at all.
    let o = playbook_in(
        home.path(),
        &["runs", "push", "--mlflow-uri", "ftp://x", &id],
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("not an http"));
    assert!(
        show(home.path(), id.parse().unwrap())
            .get("mlflow")
            .is_none()
    );
}

#[test]
fn pull_brings_an_experiments_runs_in_for_comparison_once() {
    let Some(uri) = server() else { return };
    let c = Client::new(uri).unwrap();
    let experiment = "team-runs";
    let eid = c.experiment_id_or_create(experiment).unwrap();
    // Two runs logged by someone else's MLflow client, one still running.
    for (lr, rmse) in [("0.1", 2.5), ("0.01", 1.75)] {
        log_finished_run(
            &c,
            &eid,
            json!([{"key": "learning_rate", "value": lr}, {"key": "model", "value": "gbm"}]),
            json!([{"key": "rmse", "value": rmse, "timestamp": 1_700_000_060_000_i64, "step": 0}]),
        );
    }
    c.post("runs/create", &json!({"experiment_id": eid}))
        .unwrap();

    let home = tempfile::tempdir().unwrap();
    let out = ok(&playbook_in(
        home.path(),
        &[
            "runs",
            "pull",
            "--mlflow-uri",
            uri,
            "--experiment",
            experiment,
        ],
    ));
    assert!(out.contains("pulled 2 new run(s)"), "{out}");
    assert!(out.contains("1 still running"), "{out}");
    let list: Value =
        serde_json::from_str(&ok(&playbook_in(home.path(), &["runs", "list", "--json"]))).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let mut got: Vec<(f64, f64)> = list
        .iter()
        .map(|r| {
            assert_eq!(r["use_case"], "mlflow:team-runs");
            assert_eq!(r["origin"], "mlflow");
            assert_eq!(r["status"], "done");
            assert_eq!(r["params"]["model"], "gbm");
            assert_eq!(r["seconds"].as_f64(), Some(60.0));
            (
                r["params"]["learning_rate"].as_f64().unwrap(),
                r["metrics"]["rmse"].as_f64().unwrap(),
            )
        })
        .collect();
    got.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(got, vec![(0.01, 1.75), (0.1, 2.5)]);
    // Compared side by side like any runs; the learning rate differs.
    let ids: Vec<String> = list.iter().map(|r| r["id"].to_string()).collect();
    let cmp = ok(&playbook_in(
        home.path(),
        &["runs", "compare", &ids[0], &ids[1]],
    ));
    assert!(
        cmp.lines().any(|l| l.starts_with("* learning_rate")),
        "{cmp}"
    );
    // Pulled again: nothing new; a pulled run is not pushed back.
    let again = ok(&playbook_in(
        home.path(),
        &[
            "runs",
            "pull",
            "--mlflow-uri",
            uri,
            "--experiment",
            experiment,
        ],
    ));
    assert!(again.contains("pulled 0 new run(s)") && again.contains("2 already here"));
    let o = playbook_in(
        home.path(),
        &[
            "runs",
            "push",
            "--mlflow-uri",
            uri,
            "--experiment",
            experiment,
            &ids[0],
        ],
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("came from MLflow"));
}

#[test]
fn a_playbook_run_pushed_from_one_laptop_is_pulled_on_another_with_its_params() {
    let Some(uri) = server() else { return };
    let laptop_a = tempfile::tempdir().unwrap();
    let run = fraud_run(laptop_a.path(), "5");
    let experiment = "shared";
    ok(&playbook_in(
        laptop_a.path(),
        &[
            "runs",
            "push",
            "--mlflow-uri",
            uri,
            "--experiment",
            experiment,
        ],
    ));
    // Laptop A has it already.
    let same = ok(&playbook_in(
        laptop_a.path(),
        &[
            "runs",
            "pull",
            "--mlflow-uri",
            uri,
            "--experiment",
            experiment,
        ],
    ));
    assert!(same.contains("pulled 0 new run(s)"), "{same}");
    let laptop_b = tempfile::tempdir().unwrap();
    ok(&playbook_in(
        laptop_b.path(),
        &[
            "runs",
            "pull",
            "--mlflow-uri",
            uri,
            "--experiment",
            experiment,
        ],
    ));
    let list: Value = serde_json::from_str(&ok(&playbook_in(
        laptop_b.path(),
        &["runs", "list", "--json"],
    )))
    .unwrap();
    let pulled = &list[0];
    assert_eq!(pulled["use_case"], "fraud");
    // Params come back nested as the use case wrote them, so the run opens in its panel.
    assert_eq!(pulled["params"], run["params"]);
    assert_eq!(pulled["metrics"], run["metrics"]);
    assert_eq!(pulled["inputs"], run["inputs"]);
}

#[test]
fn the_runs_panel_pushes_selected_runs_and_pulls_an_experiment() {
    use crate::gui::{harness_with, settle};
    use egui_kittest::kittest::Queryable;
    let Some(uri) = server() else { return };
    let home = tempfile::tempdir().unwrap();
    let run = fraud_run(home.path(), "4");
    let uid = run["uid"].as_str().unwrap().to_owned();
    let mut h = harness_with(
        playbook::app::Settings::default(),
        home.path(),
        egui::vec2(1200.0, 900.0),
    );
    h.state_mut().select_panel("runs");
    settle(&mut h);
    // A server that is down first: the error is shown and nothing is marked pushed.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = format!("http://127.0.0.1:{port}");
    h.state_mut().restore_panel(
        "runs",
        &json!({"mlflow": {"uri": down, "experiment": "gui-push"}}),
    );
    h.get_by_label("run 1").click();
    settle(&mut h);
    h.get_by_label("Push to MLflow…").click();
    settle(&mut h);
    h.get_by_label("Push 1 selected run(s)").click();
    settle(&mut h);
    assert!(shows(&h, "cannot connect"));
    assert!(show(home.path(), 1).get("mlflow").is_none());
    // The real server: pushed, with a link to its page, and shown as pushed in the details.
    h.state_mut().restore_panel(
        "runs",
        &json!({"mlflow": {"uri": uri, "experiment": "gui-push"}}),
    );
    h.get_by_label("Push 1 selected run(s)").click();
    settle(&mut h);
    assert!(shows(&h, "run 1: pushed as MLflow run"));
    let c = Client::new(uri).unwrap();
    let found = mlflow_runs_with_uid(&c, "gui-push", &uid);
    assert_eq!(found.len(), 1);
    let rid = found[0]["info"]["run_id"].as_str().unwrap();
    h.get_by_label_contains("MLflow: pushed");
    h.get_by_label_contains(&format!("run {rid})"));
    // The address is remembered with the Runs panel.
    assert_eq!(
        h.state().settings_to_save().panels["runs"]["mlflow"]["uri"],
        uri
    );
    // Pull another experiment's runs in: they join the list.
    let eid = c.experiment_id_or_create("gui-pull").unwrap();
    log_finished_run(
        &c,
        &eid,
        json!([]),
        json!([{"key": "rmse", "value": 3.25, "timestamp": 1_700_000_060_000_i64, "step": 0}]),
    );
    h.state_mut().restore_panel(
        "runs",
        &json!({"mlflow": {"uri": uri, "experiment": "gui-pull"}}),
    );
    h.get_by_label("Pull this experiment").click();
    settle(&mut h);
    assert!(shows(&h, "pulled 1 new run(s) from experiment 'gui-pull'"));
    h.get_by_label("run 2");
    h.get_by_label("mlflow:gui-pull");
}

/// A server that always has another page (a new token each time, a run on each) is read for at
/// most a bounded number of pages, then the search ends with one clear error. No real MLflow:
/// a few lines of HTTP on loopback.
#[test]
fn an_endless_search_is_bounded() {
    use std::io::{BufRead as _, BufReader, Read as _, Write as _};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let served = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = std::sync::Arc::clone(&served);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            loop {
                // One request: its head, then its body (Content-Length).
                let mut length = 0usize;
                let mut line = String::new();
                let mut alive = false;
                while reader.read_line(&mut line).unwrap_or(0) > 0 {
                    alive = true;
                    if line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    line.clear();
                }
                if !alive {
                    break;
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    break;
                }
                let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let page = json!({
                    "runs": [{"info": {"run_id": format!("r{n}")}}],
                    "next_page_token": format!("page-{n}"),
                })
                .to_string();
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{page}",
                    page.len()
                );
                if reader.get_mut().write_all(reply.as_bytes()).is_err() {
                    break;
                }
            }
        }
    });
    let client = Client::new(&uri).unwrap();
    let e = client.search_runs("1", "").unwrap_err().to_string();
    assert!(e.contains("still had more pages after 1000"), "{e}");
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 1000);
}
