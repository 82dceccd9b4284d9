//! `playbook fraud ...`: rules to labels, decision-tree training and prediction, on the same
//! compute functions as the Fraud panel.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{ArgGroup, Args, Subcommand};

use super::outputs::{self, Kind, Output};
use super::{RecordRuns, finish};
use crate::compute::NoProgress;
use crate::compute::fraud::features::FeatureSpec;
use crate::compute::fraud::rules::RuleSet;
use crate::data;
use crate::export;
use crate::runs::of_dataset;
use crate::usecases::fraud::{self as usecase, FraudParams, LabelChoice};
use crate::usecases::record::written;

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
        /// A row scoring above this is predicted fraud (0.01 to 0.99).
        #[arg(long, default_value_t = FraudParams::default().threshold)]
        threshold: f64,
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
    #[arg(long, default_value_t = FraudParams::default().max_depth)]
    pub max_depth: usize,
    /// Numeric features are cut into at most this many bins (Spark's maxBins).
    #[arg(long, default_value_t = FraudParams::default().max_bins)]
    pub max_bins: usize,
    /// Undersample the majority class of the training rows.
    #[arg(long)]
    pub balance: bool,
    /// Cross-validate this many folds over --grid-depths x --grid-bins, then train the best.
    #[arg(long)]
    pub cv: Option<usize>,
    /// Tree depths tried by --cv.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = super::listed(&FraudParams::default().grid_depths),
        requires = "cv"
    )]
    pub grid_depths: Vec<usize>,
    /// Bin counts tried by --cv.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = super::listed(&FraudParams::default().grid_bins),
        requires = "cv"
    )]
    pub grid_bins: Vec<usize>,
    #[arg(long, default_value_t = FraudParams::default().seed)]
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
    /// A row scoring above this is flagged: the confusion matrix, precision and recall, the
    /// predictions (0.01 to 0.99; lower catches more fraud and flags more legitimate rows).
    #[arg(long, default_value_t = FraudParams::default().threshold)]
    pub threshold: f64,
    /// An analyst's verdicts (CSV: row, verdict = fraud or legit), as the app's review queue
    /// saves them: they replace the labels of their rows before training.
    #[arg(long, value_name = "CSV")]
    pub labels_from_review: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct RuleArgs {
    /// A rule file: one AND-group per line, lines ORed (default: the book's rule).
    #[arg(long)]
    pub rule_file: Option<PathBuf>,
    /// The money column summed for flagged rows (left out if the table has none).
    #[arg(long, default_value_t = FraudParams::default().money_col)]
    pub money_col: String,
}

impl RuleArgs {
    pub fn load(&self) -> Result<RuleSet> {
        match &self.rule_file {
            None => Ok(RuleSet::default_rule()),
            Some(path) => read_rules(path),
        }
    }
}

fn read_rules(path: &Path) -> Result<RuleSet> {
    crate::data::regular_file(path)?;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the rule file", path.display()))?;
    RuleSet::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e:#}", path.display()))
}

pub fn run(c: FraudCommand, record: RecordRuns) -> Result<()> {
    match c {
        FraudCommand::Train(args) => train_cmd(&args, record),
        FraudCommand::Predict {
            model,
            input,
            out,
            threshold,
        } => predict_cmd(&model, &input, &out, threshold, record),
        FraudCommand::Rules { input, rule, json } => {
            let rules = rule.load()?;
            let ds = super::load(&input)?;
            let c = usecase::count_rules(&ds, &rules, &rule.money_col)?;
            let n = ds.frame.height().max(1) as f64;
            let pct = |m: Option<f64>| match m {
                Some(m) => format!("{:>6.2}%", 100.0 * m),
                None => "     -".to_owned(),
            };
            if json {
                let groups: Vec<_> = rules
                    .groups
                    .iter()
                    .zip(&c.per_group)
                    .map(|(g, k)| {
                        serde_json::json!({"rule": g.to_string(), "rows": k.rows, "money_share": k.money_share})
                    })
                    .collect();
                let v = serde_json::json!({
                    "rows": ds.frame.height(),
                    "flagged_rows": c.rows,
                    "flagged_money_share": c.money_share,
                    "flagged_money": c.money,
                    "total_money": c.total_money,
                    "non_finite_money": c.non_finite_money,
                    "groups": groups,
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                for (g, k) in rules.groups.iter().zip(&c.per_group) {
                    println!(
                        "{:>6.2}% rows {} money  {g}",
                        100.0 * k.rows as f64 / n,
                        pct(k.money_share)
                    );
                }
                println!(
                    "{:>6.2}% rows {} money  the whole rule set ({} of {} rows)",
                    100.0 * c.rows as f64 / n,
                    pct(c.money_share),
                    c.rows,
                    ds.frame.height()
                );
            }
            if c.non_finite_money > 0 {
                eprintln!(
                    "{}: {} infinite amounts counted as no money",
                    ds.name, c.non_finite_money
                );
            }
            Ok(())
        }
    }
}

fn feature_spec(args: &TrainArgs) -> Result<FeatureSpec> {
    let mut spec = FeatureSpec::default();
    // A name that is not one of the default features would be silently ignored.
    let known: Vec<&str> = spec
        .type_col
        .iter()
        .chain(&spec.numeric)
        .map(String::as_str)
        .chain(["orgDiff", "destDiff"])
        .collect();
    if let Some(bad) = args.drop_col.iter().find(|d| !known.contains(&d.as_str())) {
        bail!(
            "--drop-col {bad}: not one of the features ({})",
            known.join(", ")
        );
    }
    let drop = |name: &str| args.drop_col.iter().any(|d| d == name);
    if spec.type_col.as_deref().is_some_and(drop) {
        spec.type_col = None;
    }
    spec.numeric.retain(|c| !drop(c));
    spec.numeric.extend(args.add_col.iter().cloned());
    if drop("orgDiff") || drop("destDiff") {
        spec.balance_diffs = false;
    }
    Ok(spec)
}

/// The command line's choices as the use case's params.
fn params_of(args: &TrainArgs) -> Result<FraudParams> {
    let defaults = FraudParams::default();
    let (labels, rules, label_col) = match (&args.label_col, &args.rule_file) {
        (Some(col), _) => (LabelChoice::Column, defaults.rules.clone(), col.clone()),
        (None, Some(path)) => (
            LabelChoice::Rules,
            read_rules(path)?,
            defaults.label_col.clone(),
        ),
        (None, None) => (
            LabelChoice::Rules,
            RuleSet::default_rule(),
            defaults.label_col.clone(),
        ),
    };
    Ok(FraudParams {
        labels,
        rules,
        label_col,
        features: feature_spec(args)?,
        max_depth: args.max_depth,
        max_bins: args.max_bins,
        balance: args.balance,
        seed: args.seed,
        cross_validate: args.cv.is_some(),
        folds: args.cv.unwrap_or(defaults.folds),
        grid_depths: args.grid_depths.clone(),
        grid_bins: args.grid_bins.clone(),
        threshold: args.threshold,
        verdicts: match &args.labels_from_review {
            Some(path) => usecase::read_verdicts(path)?,
            None => Vec::new(),
        },
        ..defaults
    })
}

fn train_cmd(args: &TrainArgs, record: RecordRuns) -> Result<()> {
    let outs: Vec<Output> = [
        ("--model-out", &args.model_out, Kind::Text),
        ("--rules-out", &args.rules_out, Kind::Text),
        ("--out", &args.out, Kind::Table),
    ]
    .into_iter()
    .filter_map(|(flag, path, kind)| path.as_deref().map(|p| Output::new(flag, p, kind)))
    .collect();
    let mut inputs = vec![args.input.as_path()];
    inputs.extend(args.rule_file.as_deref());
    inputs.extend(args.labels_from_review.as_deref());
    outputs::check(&inputs, &outs)?;
    let params = params_of(args)?;
    let valid = usecase::check(&params)?;
    let ds = super::load(&args.input)?;
    let rec = record.start(usecase::ID, &params, vec![of_dataset("transactions", &ds)]);
    let started = Instant::now();
    let mut artifacts = Vec::new();
    let result = usecase::features_of(&valid, &ds).and_then(|feats| {
        let out = usecase::run_on(&valid, &ds, &feats, &NoProgress)?;
        if let Some(path) = &args.model_out {
            let json = serde_json::to_vec_pretty(&out.outcome.tree)?;
            export::write_atomic(path, |w| std::io::Write::write_all(w, &json))
                .with_context(|| format!("{}: cannot write", path.display()))?;
            artifacts.push(written("model (JSON)", path));
        }
        if let Some(path) = &args.rules_out {
            let text = out.rules_and_sql();
            export::write_atomic(path, |w| std::io::Write::write_all(w, text.as_bytes()))
                .with_context(|| format!("{}: cannot write", path.display()))?;
            artifacts.push(written("tree as rules and SQL", path));
        }
        if let Some(path) = &args.out {
            export::write_table(&out.predictions_frame(&feats)?, path)?;
            artifacts.push(written("predictions", path));
        }
        Ok(out)
    });
    let out = finish(rec, result, artifacts)?;
    let seconds = started.elapsed().as_secs_f64();
    let o = &out.outcome;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&out.summary_json(seconds))?
        );
    } else {
        for r in &out.cv {
            println!(
                "cv: max depth {:>2}, max bins {:>3}: PR-AUC {:.4}",
                r.max_depth, r.max_bins, r.pr_auc_mean
            );
        }
        let c = o.test.confusion;
        println!(
            "tree: depth {}, max bins {}, {} nodes; {} training rows{}, {} test rows",
            o.tree.depth(),
            out.effective.max_bins,
            o.tree.nodes.len(),
            o.train.rows,
            if out.effective.balance {
                " (balanced)"
            } else {
                ""
            },
            o.test.rows
        );
        println!(
            "PR-AUC train {:.4} test {:.4}; ROC-AUC train {:.4} test {:.4}",
            o.train.pr_auc, o.test.pr_auc, o.train.roc_auc, o.test.roc_auc
        );
        println!(
            "test confusion above {}: tp {} fp {} tn {} fn {}; precision {}, recall {}; {:.2} s",
            out.effective.threshold,
            c.tp,
            c.fp,
            c.tn,
            c.fn_,
            crate::format::percent(c.precision()),
            crate::format::percent(c.recall()),
            seconds
        );
    }
    Ok(())
}

/// What `fraud predict` records as its params.
#[derive(serde::Serialize)]
struct PredictParams<'a> {
    model: &'a Path,
    threshold: f64,
}

fn predict_cmd(
    model: &Path,
    input: &Path,
    out: &Path,
    threshold: f64,
    record: RecordRuns,
) -> Result<()> {
    usecase::THRESHOLD.check(threshold)?;
    outputs::check(&[model, input], &[Output::new("--out", out, Kind::Table)])?;
    let ds = super::load(input)?;
    let mut inputs = vec![of_dataset("transactions", &ds)];
    if let Ok(f) = crate::runs::of_file("model", &data::file_name(model), model) {
        inputs.push(f);
    }
    let s = record.run(
        "fraud-predict",
        &PredictParams { model, threshold },
        inputs,
        || {
            let mut s = usecase::score(model, &ds)?;
            s.threshold = threshold;
            Ok(s)
        },
        |s| {
            export::write_table(&s.frame()?, out)?;
            Ok(vec![written("scored rows", out)])
        },
    )?;
    println!(
        "{} rows scored, {} predicted fraud",
        s.probabilities.len(),
        s.predicted_fraud()
    );
    Ok(())
}
