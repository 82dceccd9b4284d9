//! `playbook fraud ...`: rules to labels, decision-tree training and prediction, on the same
//! compute functions as the Fraud panel.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{ArgGroup, Args, Subcommand};
use polars::prelude::*;

use crate::compute::NoProgress;
use crate::compute::fraud::features::{self, FeatureSpec};
use crate::compute::fraud::rules::{self, RuleSet};
use crate::compute::fraud::train::{self, TrainParams};
use crate::compute::fraud::{explain, tree::Tree};
use crate::data;
use crate::export;

#[derive(Subcommand, Debug)]
pub enum FraudCommand {
    /// How many rows and how much money each rule group and the whole rule set flag.
    Rules {
        #[arg(long)]
        input: PathBuf,
        #[command(flatten)]
        rule: RuleArgs,
        #[arg(long)]
        json: bool,
    },
    /// Train a decision tree on rule labels or a label column; print PR/ROC and the confusion.
    Train(Box<TrainArgs>),
    /// Score a table with a saved model: probability and prediction per row.
    Predict {
        #[arg(long)]
        model: PathBuf,
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("labels").required(true).args(["label_col", "rule", "rule_file"])))]
pub struct TrainArgs {
    #[arg(long)]
    pub input: PathBuf,
    /// Use this 0/1 column as the label (e.g. isFraud).
    #[arg(long)]
    pub label_col: Option<String>,
    /// Label by a built-in rule set: `default` is the book's.
    #[arg(long, value_parser = ["default"])]
    pub rule: Option<String>,
    /// Label by the rules in this file (one AND-group per line, lines ORed).
    #[arg(long)]
    pub rule_file: Option<PathBuf>,
    #[arg(long, default_value_t = 5)]
    pub max_depth: usize,
    /// Numeric features are cut into at most this many bins (Spark's maxBins).
    #[arg(long, default_value_t = 32)]
    pub max_bins: usize,
    /// Undersample the majority class of the training rows.
    #[arg(long)]
    pub balance: bool,
    /// Cross-validate this many folds over --grid-depths x --grid-bins, then train the best.
    #[arg(long)]
    pub cv: Option<usize>,
    #[arg(long, value_delimiter = ',', default_value = "5,10,15")]
    pub grid_depths: Vec<usize>,
    #[arg(long, value_delimiter = ',', default_value = "10,20,30")]
    pub grid_bins: Vec<usize>,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Extra numeric columns to use as features.
    #[arg(long, value_delimiter = ',')]
    pub add_col: Vec<String>,
    /// Default features to leave out (type, amount, orgDiff, ...).
    #[arg(long, value_delimiter = ',')]
    pub drop_col: Vec<String>,
    #[arg(long)]
    pub json: bool,
    /// Save the model as JSON (for `fraud predict`).
    #[arg(long)]
    pub model_out: Option<PathBuf>,
    /// Save the tree as readable rules and a SQL CASE WHEN expression.
    #[arg(long)]
    pub rules_out: Option<PathBuf>,
    /// Per row: set (train/test/unused), label, probability, prediction.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct RuleArgs {
    /// A rule file: one AND-group per line, lines ORed (default: the book's rule).
    #[arg(long)]
    pub rule_file: Option<PathBuf>,
    /// The money column summed for flagged rows.
    #[arg(long, default_value = "amount")]
    pub money_col: String,
}

impl RuleArgs {
    pub fn load(&self) -> Result<RuleSet> {
        match &self.rule_file {
            None => Ok(RuleSet::default_rule()),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                RuleSet::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e:#}", path.display()))
            }
        }
    }
}

pub fn run(c: FraudCommand) -> Result<()> {
    match c {
        FraudCommand::Train(args) => train_cmd(&args),
        FraudCommand::Predict { model, input, out } => predict_cmd(&model, &input, &out),
        FraudCommand::Rules { input, rule, json } => {
            let rules = rule.load()?;
            let ds = data::load_path(&input)?;
            let f = rules::evaluate(&ds.name, &ds.frame, &rules, &rule.money_col)?;
            let n = ds.frame.height().max(1) as f64;
            let share = |m: f64| 100.0 * m / f.total_money.max(f64::MIN_POSITIVE);
            if json {
                let groups: Vec<_> = rules
                    .groups
                    .iter()
                    .zip(&f.per_group)
                    .map(|(g, (r, m))| {
                        serde_json::json!({"rule": g.to_string(), "rows": r, "money": m})
                    })
                    .collect();
                let v = serde_json::json!({
                    "rows": ds.frame.height(),
                    "flagged_rows": f.rows,
                    "flagged_money": f.money,
                    "total_money": f.total_money,
                    "groups": groups,
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                for (g, (r, m)) in rules.groups.iter().zip(&f.per_group) {
                    println!(
                        "{:>6.2}% rows {:>6.2}% money  {g}",
                        100.0 * *r as f64 / n,
                        share(*m)
                    );
                }
                println!(
                    "{:>6.2}% rows {:>6.2}% money  the whole rule set ({} of {} rows)",
                    100.0 * f.rows as f64 / n,
                    share(f.money),
                    f.rows,
                    ds.frame.height()
                );
            }
            Ok(())
        }
    }
}

fn feature_spec(args: &TrainArgs) -> FeatureSpec {
    let mut spec = FeatureSpec::default();
    let drop = |name: &str| args.drop_col.iter().any(|d| d == name);
    if spec.type_col.as_deref().is_some_and(drop) {
        spec.type_col = None;
    }
    spec.numeric.retain(|c| !drop(c));
    spec.numeric.extend(args.add_col.iter().cloned());
    if drop("orgDiff") || drop("destDiff") {
        spec.balance_diffs = false;
    }
    spec
}

fn train_cmd(args: &TrainArgs) -> Result<()> {
    let ds = data::load_path(&args.input)?;
    let (file, df) = (&ds.name, &ds.frame);
    let labels = match (&args.label_col, &args.rule_file) {
        (Some(col), _) => features::labels_from_column(file, df, col)?,
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read the rule file", path.display()))?;
            let r =
                RuleSet::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e:#}", path.display()))?;
            rules::evaluate(file, df, &r, "amount")?.labels
        }
        (None, None) => rules::evaluate(file, df, &RuleSet::default_rule(), "amount")?.labels,
    };
    let spec = feature_spec(args);
    let feats = features::build(file, df, &spec, None)?;
    let mut params = TrainParams {
        max_depth: args.max_depth,
        max_bins: args.max_bins,
        balance: args.balance,
        seed: args.seed,
        ..TrainParams::default()
    };
    let started = std::time::Instant::now();
    let mut cv_rows = Vec::new();
    if let Some(k) = args.cv {
        if args.grid_depths.is_empty() || args.grid_bins.is_empty() {
            bail!("--grid-depths and --grid-bins need at least one value each");
        }
        cv_rows = train::cross_validate(
            &feats,
            &labels,
            &args.grid_depths,
            &args.grid_bins,
            k,
            &params,
            &NoProgress,
        )?;
        // The best mean PR-AUC; on a tie the first setting (the shallowest, fewest bins).
        let best = cv_rows.iter().filter(|r| r.pr_auc_mean.is_finite()).fold(
            None::<&train::CvRow>,
            |b, r| match b {
                Some(b) if b.pr_auc_mean >= r.pr_auc_mean => Some(b),
                _ => Some(r),
            },
        );
        if let Some(best) = best {
            params.max_depth = best.max_depth;
            params.max_bins = best.max_bins;
        }
    }
    let cv_seconds = started.elapsed().as_secs_f64();
    let o = train::train(&feats, &spec, &labels, &params, &NoProgress)?;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(path) = &args.model_out {
        let json = serde_json::to_vec_pretty(&o.tree)?;
        export::write_atomic(path, |w| std::io::Write::write_all(w, &json))?;
    }
    if let Some(path) = &args.rules_out {
        let text = format!(
            "{}\n{}",
            explain::rules_text(&o.tree),
            explain::sql_case(&o.tree)
        );
        export::write_atomic(path, |w| std::io::Write::write_all(w, text.as_bytes()))?;
    }
    if let Some(path) = &args.out {
        write_predictions(&o, &feats, &labels, path)?;
    }
    let importances: serde_json::Map<String, serde_json::Value> = o
        .tree
        .feature_names
        .iter()
        .zip(o.tree.importances())
        .map(|(n, v)| (n.clone(), v.into()))
        .collect();
    if args.json {
        let v = serde_json::json!({
            "pr_auc_train": o.train.pr_auc,
            "pr_auc_test": o.test.pr_auc,
            "roc_auc_train": o.train.roc_auc,
            "roc_auc_test": o.test.roc_auc,
            "confusion": o.test.confusion,
            "n_train": o.train.rows,
            "n_test": o.test.rows,
            "positives": labels.iter().filter(|&&l| l).count(),
            "max_depth": params.max_depth,
            "max_bins": params.max_bins,
            "balanced": params.balance,
            "nodes": o.tree.nodes.len(),
            "importances": importances,
            "cv": cv_rows,
            "cv_seconds": if args.cv.is_some() { Some(cv_seconds) } else { None },
            "train_seconds": o.seconds,
            "seconds": seconds,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        for r in &cv_rows {
            println!(
                "cv: max depth {:>2}, max bins {:>3}: PR-AUC {:.4}",
                r.max_depth, r.max_bins, r.pr_auc_mean
            );
        }
        let c = o.test.confusion;
        println!(
            "tree: depth {}, max bins {}, {} nodes; {} training rows{}, {} test rows",
            o.tree.depth(),
            params.max_bins,
            o.tree.nodes.len(),
            o.train.rows,
            if params.balance { " (balanced)" } else { "" },
            o.test.rows
        );
        println!(
            "PR-AUC train {:.4} test {:.4}; ROC-AUC train {:.4} test {:.4}",
            o.train.pr_auc, o.test.pr_auc, o.train.roc_auc, o.test.roc_auc
        );
        println!(
            "test confusion: tp {} fp {} tn {} fn {}; {:.2} s",
            c.tp, c.fp, c.tn, c.fn_, seconds
        );
    }
    Ok(())
}

fn write_predictions(
    o: &train::Outcome,
    feats: &features::Features,
    labels: &[bool],
    path: &Path,
) -> Result<()> {
    let n = feats.rows();
    let mut set = vec!["unused"; n];
    for &r in &o.train_rows {
        set[r as usize] = "train";
    }
    for &r in &o.test_rows {
        set[r as usize] = "test";
    }
    let p = o.tree.predict(feats);
    let df = DataFrame::new_infer_height(vec![
        Column::new("row".into(), (0..n as u64).collect::<Vec<_>>()),
        Column::new("set".into(), set),
        Column::new(
            "label".into(),
            labels.iter().map(|&l| i32::from(l)).collect::<Vec<_>>(),
        ),
        Column::new("probability".into(), &p),
        Column::new(
            "prediction".into(),
            p.iter().map(|&v| i32::from(v > 0.5)).collect::<Vec<_>>(),
        ),
    ])?;
    export::write_table(&df, path)?;
    Ok(())
}

fn predict_cmd(model: &Path, input: &Path, out: &Path) -> Result<()> {
    let text = std::fs::read(model).with_context(|| format!("{}: cannot read", model.display()))?;
    let tree: Tree = serde_json::from_slice(&text)
        .with_context(|| format!("{}: not a Playbook fraud model", model.display()))?;
    let ds = data::load_path(input)?;
    let feats = features::build(&ds.name, &ds.frame, &tree.spec, Some(&tree.type_levels))?;
    if feats.names != tree.feature_names {
        bail!(
            "{}: the model's features ({}) differ from the table's ({})",
            model.display(),
            tree.feature_names.join(", "),
            feats.names.join(", ")
        );
    }
    let p = tree.predict(&feats);
    let df = DataFrame::new_infer_height(vec![
        Column::new("probability".into(), &p),
        Column::new(
            "prediction".into(),
            p.iter().map(|&v| i32::from(v > 0.5)).collect::<Vec<_>>(),
        ),
    ])?;
    export::write_table(&df, out)?;
    println!(
        "{} rows scored, {} predicted fraud",
        p.len(),
        p.iter().filter(|&&v| v > 0.5).count()
    );
    Ok(())
}
