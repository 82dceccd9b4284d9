//! `playbook fraud`: the generated transactions and the book's rule, training that recovers
//! the rule, metrics against scikit-learn, saved models, cross-validation, and bad input.

use std::path::{Path, PathBuf};

use playbook::compute::fraud::metrics;

use crate::{playbook as run, temp_file};

fn transactions(dir: &Path, rows: usize) -> PathBuf {
    let path = dir.join("tx.csv");
    let o = run(&[
        "gen",
        "transactions",
        "--rows",
        &rows.to_string(),
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    path
}

fn json(o: &std::process::Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn metrics_match_scikit_learn() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/sklearn_metrics.json")).unwrap();
    for (i, c) in fixture["cases"].as_array().unwrap().iter().enumerate() {
        let labels: Vec<bool> = c["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap() == 1)
            .collect();
        let scores: Vec<f64> = c["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let ap = metrics::average_precision(&scores, &labels);
        let auc = metrics::roc_auc(&scores, &labels);
        let want_ap = c["average_precision"].as_f64().unwrap();
        let want_auc = c["roc_auc"].as_f64().unwrap();
        assert!(
            (ap - want_ap).abs() < 1e-12,
            "case {i}: AP {ap} vs {want_ap}"
        );
        assert!(
            (auc - want_auc).abs() < 1e-12,
            "case {i}: AUC {auc} vs {want_auc}"
        );
    }
}

#[test]
fn the_default_rule_flags_what_the_book_says_and_the_tree_recovers_it() {
    let dir = tempfile::tempdir().unwrap();
    let tx = transactions(dir.path(), 200_000);
    let v = json(&run(&[
        "fraud",
        "rules",
        "--input",
        tx.to_str().unwrap(),
        "--json",
    ]));
    let rows = v["flagged_rows"].as_f64().unwrap() / 200_000.0;
    let money = v["flagged_money"].as_f64().unwrap() / v["total_money"].as_f64().unwrap();
    assert!((0.03..0.05).contains(&rows), "rows flagged {rows}");
    assert!((0.09..0.13).contains(&money), "money flagged {money}");
    assert_eq!(v["groups"].as_array().unwrap().len(), 3);

    let model = dir.path().join("model.json");
    let rules = dir.path().join("rules.sql");
    let preds = dir.path().join("pred.csv");
    let v = json(&run(&[
        "fraud",
        "train",
        "--input",
        tx.to_str().unwrap(),
        "--rule",
        "default",
        "--json",
        "--model-out",
        model.to_str().unwrap(),
        "--rules-out",
        rules.to_str().unwrap(),
        "--out",
        preds.to_str().unwrap(),
    ]));
    let pr = v["pr_auc_test"].as_f64().unwrap();
    assert!(pr >= 0.99, "test PR-AUC {pr}");
    for key in ["pr_auc_train", "roc_auc_train", "roc_auc_test", "seconds"] {
        assert!(v[key].as_f64().is_some(), "{key}");
    }
    let c = &v["confusion"];
    let total: u64 = ["tp", "fp", "tn", "fn"]
        .iter()
        .map(|k| c[k].as_u64().unwrap())
        .sum();
    assert_eq!(total, v["n_test"].as_u64().unwrap());
    assert_eq!(v["n_train"].as_u64().unwrap() + total, 200_000);
    let text = std::fs::read_to_string(&rules).unwrap();
    assert!(text.contains("IF ") && text.contains("CASE WHEN"), "{text}");
    assert!(text.contains("type IN ('TRANSFER')"), "{text}");
    assert!(text.contains("CASE WHEN \"type\" IN ("), "{text}");

    // The saved model scores the table as training did.
    let again = dir.path().join("again.csv");
    let o = run(&[
        "fraud",
        "predict",
        "--model",
        model.to_str().unwrap(),
        "--input",
        tx.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let a = playbook::data::load_path(&preds).unwrap().frame;
    let b = playbook::data::load_path(&again).unwrap().frame;
    assert!(
        a.column("probability")
            .unwrap()
            .equals(b.column("probability").unwrap())
    );
}

#[test]
fn balanced_training_and_cross_validation() {
    let dir = tempfile::tempdir().unwrap();
    let tx = transactions(dir.path(), 30_000);
    let v = json(&run(&[
        "fraud",
        "train",
        "--input",
        tx.to_str().unwrap(),
        "--label-col",
        "isFraud",
        "--balance",
        "--cv",
        "3",
        "--json",
    ]));
    assert_eq!(v["cv"].as_array().unwrap().len(), 9);
    assert_eq!(v["balanced"], true);
    // Balanced: as many training rows labelled 0 as 1.
    let pos = v["positives"].as_u64().unwrap();
    assert!(v["n_train"].as_u64().unwrap() <= 2 * pos);
    let best = v["cv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["pr_auc_mean"].as_f64().unwrap())
        .fold(f64::MIN, f64::max);
    let chosen = v["cv"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["max_depth"] == v["max_depth"] && r["max_bins"] == v["max_bins"])
        .unwrap();
    assert_eq!(chosen["pr_auc_mean"].as_f64().unwrap(), best);
}

/// The threshold moves the confusion matrix the way it must (lower flags more), is echoed with
/// precision and recall, reaches the predictions, and is refused outside 0.01..0.99.
#[test]
fn the_threshold_moves_the_confusion_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let tx = transactions(dir.path(), 30_000);
    let train = |t: &str| {
        let out = dir.path().join(format!("rows-{t}.csv"));
        let v = json(&run(&[
            "fraud",
            "train",
            "--input",
            tx.to_str().unwrap(),
            "--label-col",
            "isFraud",
            // A shallow tree: leaves of mixed labels, so scores between 0 and 1.
            "--max-depth",
            "2",
            "--threshold",
            t,
            "--out",
            out.to_str().unwrap(),
            "--json",
        ]));
        let flagged = std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .skip(1)
            .filter(|l| l.ends_with(",1"))
            .count();
        (v, flagged)
    };
    let (low, low_flagged) = train("0.1");
    let (high, high_flagged) = train("0.9");
    assert_eq!(low["threshold"], 0.1);
    assert_eq!(high["threshold"], 0.9);
    let c = |v: &serde_json::Value, k: &str| v["confusion"][k].as_u64().unwrap();
    // The same model (the threshold does not change training), cut at two places.
    assert_eq!(low["pr_auc_test"], high["pr_auc_test"]);
    assert!(c(&low, "tp") >= c(&high, "tp") && c(&low, "fp") >= c(&high, "fp"));
    assert!(c(&low, "tp") + c(&low, "fp") > c(&high, "tp") + c(&high, "fp"));
    assert!(
        low_flagged > high_flagged,
        "{low_flagged} vs {high_flagged}"
    );
    let precision = c(&low, "tp") as f64 / (c(&low, "tp") + c(&low, "fp")) as f64;
    assert!((low["precision_test"].as_f64().unwrap() - precision).abs() < 1e-12);
    let recall = c(&low, "tp") as f64 / (c(&low, "tp") + c(&low, "fn")) as f64;
    assert!((low["recall_test"].as_f64().unwrap() - recall).abs() < 1e-12);
    let o = run(&[
        "fraud",
        "train",
        "--input",
        tx.to_str().unwrap(),
        "--label-col",
        "isFraud",
        "--threshold",
        "1.5",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("threshold must be from 0.01 to 0.99"),
        "{err}"
    );
}

#[test]
fn bad_inputs_are_clear_errors() {
    let err = |args: &[&str]| {
        let o = run(args);
        assert!(!o.status.success(), "{args:?} should fail");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let header = "step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud\n";
    let (_d, bad_amount) = temp_file(
        "amount.csv",
        format!("{header}1,PAYMENT,lots,C1,10,5,M1,0,0,0\n").as_bytes(),
    );
    let e = err(&[
        "fraud",
        "train",
        "--input",
        bad_amount.to_str().unwrap(),
        "--rule",
        "default",
    ]);
    assert!(
        e.contains("amount.csv") && e.contains("'amount'") && e.contains("not numeric"),
        "{e}"
    );
    let (_d, labels) = temp_file(
        "labels.csv",
        format!("{header}1,PAYMENT,5,C1,10,5,M1,0,0,2\n2,PAYMENT,5,C1,10,5,M1,0,0,0\n").as_bytes(),
    );
    let e = err(&[
        "fraud",
        "train",
        "--input",
        labels.to_str().unwrap(),
        "--label-col",
        "isFraud",
    ]);
    assert!(
        e.contains(
            "label column 'isFraud' must hold only 0 and 1; 1 rows hold other values, e.g. 2"
        ),
        "{e}"
    );
    let e = err(&[
        "fraud",
        "train",
        "--input",
        labels.to_str().unwrap(),
        "--rule",
        "default",
        "--add-col",
        "fee",
    ]);
    assert!(e.contains("column 'fee' not found"), "{e}");
    let (_d, rule) = temp_file("r.txt", b"balance > 3\n");
    let e = err(&[
        "fraud",
        "train",
        "--input",
        labels.to_str().unwrap(),
        "--rule-file",
        rule.to_str().unwrap(),
    ]);
    assert!(e.contains("'balance' not found"), "{e}");
    let (_d, zeros) = temp_file(
        "zeros.csv",
        format!("{header}1,PAYMENT,5,C1,10,5,M1,0,0,0\n2,PAYMENT,5,C1,10,5,M1,0,0,0\n").as_bytes(),
    );
    let e = err(&[
        "fraud",
        "train",
        "--input",
        zeros.to_str().unwrap(),
        "--label-col",
        "isFraud",
        "--balance",
    ]);
    assert!(
        e.contains("a tree needs both classes (after balancing)"),
        "{e}"
    );
}

/// An analyst's verdicts from the review queue (a CSV of row and verdict) replace the labels
/// of their rows before training, and only of those rows; a bad file is one clear error.
#[test]
fn review_verdicts_become_labels() {
    let dir = tempfile::tempdir().unwrap();
    let tx = transactions(dir.path(), 5_000);
    let labels = |extra: &[&str]| -> Vec<String> {
        let out = dir.path().join("rows.csv");
        let mut args = vec![
            "fraud",
            "train",
            "--input",
            tx.to_str().unwrap(),
            "--label-col",
            "isFraud",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = run(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = std::fs::read_to_string(&out).unwrap();
        // row,set,label,probability,prediction
        text.lines()
            .skip(1)
            .map(|l| l.split(',').nth(2).unwrap().to_owned())
            .collect()
    };
    let before = labels(&[]);
    let legit: Vec<usize> = (0..before.len())
        .filter(|&k| before[k] == "0")
        .take(3)
        .collect();
    let fraud = (0..before.len()).find(|&k| before[k] == "1").unwrap();
    let verdicts = dir.path().join("verdicts.csv");
    let mut csv = String::from("row,verdict\n");
    for k in &legit {
        csv += &format!("{k},fraud\n");
    }
    csv += &format!("{fraud},legit\n");
    std::fs::write(&verdicts, csv).unwrap();
    let after = labels(&["--labels-from-review", verdicts.to_str().unwrap()]);
    assert_eq!(before.len(), after.len());
    for k in 0..before.len() {
        let want = if legit.contains(&k) {
            "1"
        } else if k == fraud {
            "0"
        } else {
            before[k].as_str()
        };
        assert_eq!(after[k], want, "row {k}");
    }
    // A bad verdict names the file, the line and the column; a row past the table, the table.
    let bad = dir.path().join("bad.csv");
    // Training on verdicts `csv`: whether it succeeded, and what it said on stderr.
    let with_verdicts = |csv: &str| {
        std::fs::write(&bad, csv).unwrap();
        let o = run(&[
            "fraud",
            "train",
            "--input",
            tx.to_str().unwrap(),
            "--label-col",
            "isFraud",
            "--labels-from-review",
            bad.to_str().unwrap(),
        ]);
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (ok, err) = with_verdicts("row,verdict\n3,maybe\n");
    assert!(
        !ok && err.contains("bad.csv, line 2, column verdict") && err.contains("'maybe'"),
        "{err}"
    );
    let (ok, err) = with_verdicts("row,verdict\n99999999,fraud\n");
    assert!(
        !ok && err.contains("row 99999999") && err.contains("5000 rows"),
        "{err}"
    );
    let (ok, err) = with_verdicts("row,verdict\n1,fraud\n1,legit\n");
    assert!(
        !ok && err.contains("row 1 is judged both fraud and not fraud"),
        "{err}"
    );
}
