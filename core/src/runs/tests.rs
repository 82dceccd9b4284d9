use super::*;

fn start(store: &RunStore, use_case: &str, depth: i64) -> RunRecorder {
    store
        .start(RunStart {
            use_case: use_case.into(),
            params: serde_json::json!({"max_depth": depth, "seed": 42}),
            inputs: vec![of_bytes("transactions", "tx.csv", b"a,b\n1,2\n")],
            origin: RunOrigin::Cli,
        })
        .unwrap()
}

fn finish(metric: f64) -> RunFinish {
    let mut f = RunFinish::default();
    f.metrics.insert("pr_auc_test".into(), metric.into());
    f.curves.push(Curve {
        chart: "PR (test)".into(),
        x_label: "recall".into(),
        y_label: "precision".into(),
        points: vec![(0.0, 1.0), (1.0, metric)],
    });
    f
}

#[test]
fn runs_are_recorded_listed_compared_and_deleted() {
    let home = tempfile::tempdir().unwrap();
    let store = RunStore::open(home.path()).unwrap();
    let a = start(&store, "fraud", 5);
    let id_a = a.id();
    assert_eq!(store.get(id_a).unwrap().status, RunStatus::Running);
    a.done(finish(0.9)).unwrap();
    let b = start(&store, "fraud", 10);
    b.done(finish(0.95)).unwrap();
    let c = start(&store, "dtw", 0);
    c.failed("series.csv: column 'x' not found").unwrap();
    let d = start(&store, "dtw", 0);
    d.cancelled().unwrap();

    let all = store.list(&RunFilter::default()).unwrap();
    assert_eq!(all.len(), 4);
    assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let fraud = store.list(&RunFilter::use_case("fraud")).unwrap();
    assert_eq!(fraud.len(), 2);
    let r = store.get(id_a).unwrap();
    assert_eq!(r.status, RunStatus::Done);
    assert_eq!(r.metric("pr_auc_test"), Some(0.9));
    assert_eq!(r.params["max_depth"], 5);
    assert_eq!(r.inputs[0].name, "tx.csv");
    assert_eq!(r.curves[0].points[1], (1.0, 0.9));
    assert!(r.seconds.unwrap() >= 0.0);
    assert!(r.started.ends_with('Z'));
    let failed = RunFilter {
        status: Some(RunStatus::Failed),
        ..RunFilter::default()
    };
    let f = store.list(&failed).unwrap();
    assert_eq!(f.len(), 1);
    assert!(f[0].message.as_deref().unwrap().contains("column 'x'"));
    let by_data = RunFilter {
        dataset: Some("TX".into()),
        ..RunFilter::default()
    };
    assert_eq!(store.list(&by_data).unwrap().len(), 4);

    assert_eq!(differing_params(&fraud), vec!["max_depth".to_owned()]);
    let cmp = compare(&fraud);
    let depth = cmp.rows.iter().find(|r| r.name == "max_depth").unwrap();
    assert!(depth.differs);
    assert_eq!(depth.cells, vec!["10".to_owned(), "5".to_owned()]);
    let seed = cmp.rows.iter().find(|r| r.name == "seed").unwrap();
    assert!(!seed.differs);
    let frame = runs_frame(&all).unwrap();
    assert_eq!(frame.height(), 4);
    assert!(frame.column("pr_auc_test").is_ok());

    assert_eq!(store.delete(&[id_a]).unwrap(), 1);
    assert!(matches!(store.get(id_a), Err(StoreError::NoSuchRun(_))));
    assert!(store.delete(&[id_a]).is_err());
}

#[test]
fn a_run_whose_process_died_shows_as_failed_and_a_live_one_does_not() {
    let home = tempfile::tempdir().unwrap();
    let store = RunStore::open(home.path()).unwrap();
    let live = start(&store, "fraud", 5);
    let mut dead = start(&store, "fraud", 6);
    // What kill -9 leaves: the row says running, and nobody holds its lock any more.
    drop(dead.lock.take());
    let dead_id = dead.id();
    std::mem::forget(dead);
    let reopened = RunStore::open(home.path()).unwrap();
    let d = reopened.get(dead_id).unwrap();
    assert_eq!(d.status, RunStatus::Failed);
    assert_eq!(d.message.as_deref(), Some(INTERRUPTED));
    assert_eq!(reopened.get(live.id()).unwrap().status, RunStatus::Running);
    live.done(finish(0.5)).unwrap();
    assert_eq!(reopened.get(1).unwrap().status, RunStatus::Done);
}

#[test]
fn a_dropped_recorder_marks_its_run_failed() {
    let home = tempfile::tempdir().unwrap();
    let store = RunStore::open(home.path()).unwrap();
    let id = {
        let r = start(&store, "dtw", 1);
        r.id()
    };
    let r = store.get(id).unwrap();
    assert_eq!(r.status, RunStatus::Failed);
    assert!(r.message.unwrap().contains("without a result"));
}

#[test]
fn a_store_from_a_newer_playbook_or_a_corrupt_file_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    {
        let conn = Connection::open(home.path().join(STORE_FILE)).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let e = RunStore::open(home.path()).err().unwrap().to_string();
    assert!(e.contains("newer Playbook"), "{e}");
    assert!(e.contains("runs.sqlite"), "{e}");

    let junk = tempfile::tempdir().unwrap();
    std::fs::write(junk.path().join(STORE_FILE), vec![b'x'; 4096]).unwrap();
    let e = RunStore::open(junk.path()).err().unwrap().to_string();
    assert!(e.contains("runs.sqlite"), "{e}");
}

#[test]
fn reopening_keeps_the_schema_and_the_runs() {
    let home = tempfile::tempdir().unwrap();
    let id = {
        let store = RunStore::open(home.path()).unwrap();
        let r = start(&store, "forecast", 1);
        let id = r.id();
        r.done(finish(0.1)).unwrap();
        id
    };
    let store = RunStore::open(home.path()).unwrap();
    let v: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, schema::VERSION);
    assert_eq!(store.get(id).unwrap().use_case, "forecast");
}

/// What `runs push` may send: the run's kept files inside its folder and the files it wrote as
/// it left them; not a file outside the folder listed as kept, not an older file listed as
/// written by the run (a tampered store naming `/etc/passwd`), not one changed since.
#[test]
fn only_the_runs_own_files_are_trusted_for_upload() {
    let home = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let old = elsewhere.path().join("secret.txt");
    std::fs::write(&old, "private").unwrap();
    // Written an hour before the run.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let store = RunStore::open(home.path()).unwrap();
    let r = start(&store, "fraud", 5);
    let id = r.id();
    let dir = store.artifact_dir(id);
    std::fs::create_dir_all(&dir).unwrap();
    let kept = dir.join("chart.svg");
    std::fs::write(&kept, "<svg/>").unwrap();
    let written = elsewhere.path().join("forecast.csv");
    std::fs::write(&written, "a\n1\n").unwrap();
    let mut f = finish(0.9);
    let artifact = |path: &std::path::Path, owned| ArtifactRecord {
        title: "x".into(),
        path: path.display().to_string(),
        owned,
    };
    f.artifacts = vec![
        artifact(&kept, true),
        artifact(&written, false),
        artifact(&old, true),
        artifact(&old, false),
    ];
    r.done(f).unwrap();
    let run = store.get(id).unwrap();
    let trusted: Vec<bool> = run
        .artifacts
        .iter()
        .map(|a| store.trusted_artifact(&run, a).is_ok())
        .collect();
    assert_eq!(trusted, [true, true, false, false]);
    // A written file changed long after the run is no longer the run's.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&written)
        .unwrap()
        .set_modified(later)
        .unwrap();
    assert!(store.trusted_artifact(&run, &run.artifacts[1]).is_err());
}

/// A store edited to list a file outside its artifacts folder as the run's own: `delete`
/// removes the run and its real artifacts, never that file.
#[test]
fn delete_removes_only_files_in_the_artifacts_folder() {
    let home = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let victim = elsewhere.path().join("precious.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let store = RunStore::open(home.path()).unwrap();
    let r = start(&store, "fraud", 5);
    let id = r.id();
    let dir = store.artifact_dir(id);
    std::fs::create_dir_all(&dir).unwrap();
    let own = dir.join("chart.svg");
    std::fs::write(&own, "<svg/>").unwrap();
    let mut f = finish(0.9);
    for path in [&own, &victim] {
        f.artifacts.push(ArtifactRecord {
            title: "x".into(),
            path: path.display().to_string(),
            owned: true,
        });
    }
    r.done(f).unwrap();
    assert_eq!(store.delete(&[id]).unwrap(), 1);
    assert!(!own.exists(), "the run's own artifact is deleted");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
}
