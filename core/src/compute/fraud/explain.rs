//! A tree read as rules people can defend (the book's "convert the model to rules with
//! thresholds"): one IF ... THEN line per leaf, and one SQL `CASE WHEN` expression giving the
//! fraud probability, with the type index written back as the types it stands for and the
//! balance differences as their columns.

use super::tree::Tree;

/// For the type-index feature: its column and the levels whose index is in (lo, hi]. None for
/// any other feature.
pub fn type_levels(tree: &Tree, feature: usize, lo: f64, hi: f64) -> Option<(&str, Vec<&str>)> {
    let name = tree.feature_names.get(feature)?;
    let col = name.strip_suffix("_index")?;
    if tree.type_levels.is_empty() {
        return None;
    }
    let levels = tree
        .type_levels
        .iter()
        .enumerate()
        .filter(|&(i, _)| (i as f64) > lo && (i as f64) <= hi)
        .map(|(_, l)| l.as_str())
        .collect();
    Some((col, levels))
}

/// The condition "feature <= threshold" (or >) in words, for rules and SQL.
fn condition(tree: &Tree, feature: usize, threshold: f64, left: bool, sql: bool) -> String {
    let name = tree.feature_names.get(feature).map_or("?", String::as_str);
    let quote = |c: &str| {
        if sql {
            format!("\"{c}\"")
        } else {
            c.to_owned()
        }
    };
    // The type index: the levels at or below the threshold (or above it).
    let (lo, hi) = if left {
        (f64::NEG_INFINITY, threshold)
    } else {
        (threshold, f64::INFINITY)
    };
    if let Some((col, levels)) = type_levels(tree, feature, lo, hi) {
        let quoted: Vec<String> = levels.iter().map(|l| format!("'{l}'")).collect();
        return format!("{} IN ({})", quote(col), quoted.join(", "));
    }
    let expr = match name {
        "orgDiff" if sql => "(\"newbalanceOrig\" - \"oldbalanceOrg\")".to_owned(),
        "destDiff" if sql => "(\"newbalanceDest\" - \"oldbalanceDest\")".to_owned(),
        other => quote(other),
    };
    // Exact (Rust's shortest round-trip form): rules and SQL must split where the tree does,
    // and a rounded "1.1600e6" would move the threshold.
    let t = format!("{threshold}");
    if left {
        format!("{expr} <= {t}")
    } else {
        format!("{expr} > {t}")
    }
}

/// The bounds a path puts on one feature: `lo < x <= hi`.
#[derive(Clone, Copy)]
struct Bounds {
    feature: usize,
    lo: f64,
    hi: f64,
}

/// A path's conditions, one or two per feature, tightest bounds only.
fn path_text(tree: &Tree, path: &[Bounds]) -> String {
    let mut parts = Vec::new();
    for b in path {
        if let Some((col, levels)) = type_levels(tree, b.feature, b.lo, b.hi) {
            let quoted: Vec<String> = levels.iter().map(|l| format!("'{l}'")).collect();
            parts.push(format!("{col} IN ({})", quoted.join(", ")));
            continue;
        }
        if b.lo > f64::NEG_INFINITY {
            parts.push(condition(tree, b.feature, b.lo, false, false));
        }
        if b.hi < f64::INFINITY {
            parts.push(condition(tree, b.feature, b.hi, true, false));
        }
    }
    if parts.is_empty() {
        "TRUE".to_owned()
    } else {
        parts.join(" AND ")
    }
}

/// One line per leaf: `IF a <= 1 AND type IN ('TRANSFER') THEN fraud probability 0.98 (n rows)`,
/// the likeliest leaves first.
pub fn rules_text(tree: &Tree) -> String {
    let mut leaves: Vec<(f64, usize, String)> = Vec::new();
    let mut stack: Vec<(usize, Vec<Bounds>)> = vec![(0, Vec::new())];
    while let Some((i, path)) = stack.pop() {
        let Some(n) = tree.nodes.get(i) else { continue };
        match &n.split {
            Some(s) => {
                for (child, left) in [(s.right, false), (s.left, true)] {
                    let mut p = path.clone();
                    let at = match p.iter().position(|b| b.feature == s.feature) {
                        Some(at) => at,
                        None => {
                            p.push(Bounds {
                                feature: s.feature,
                                lo: f64::NEG_INFINITY,
                                hi: f64::INFINITY,
                            });
                            p.len() - 1
                        }
                    };
                    if left {
                        p[at].hi = p[at].hi.min(s.threshold);
                    } else {
                        p[at].lo = p[at].lo.max(s.threshold);
                    }
                    stack.push((child, p));
                }
            }
            None => {
                let line = format!(
                    "IF {} THEN fraud probability {:.4} ({} training rows, {} labelled 1)",
                    path_text(tree, &path),
                    n.probability(),
                    n.samples,
                    n.positives
                );
                leaves.push((n.probability(), n.samples, line));
            }
        }
    }
    leaves.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut out = String::from("-- Decision tree as rules, likeliest fraud first\n");
    for (_, _, l) in leaves {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// A SQL expression for the fraud probability: nested `CASE WHEN ... THEN ... ELSE ... END`.
pub fn sql_case(tree: &Tree) -> String {
    fn node(tree: &Tree, i: usize, indent: usize) -> String {
        let pad = "  ".repeat(indent);
        let Some(n) = tree.nodes.get(i) else {
            return format!("{pad}0");
        };
        match &n.split {
            None => format!("{pad}{:.6}", n.probability()),
            Some(s) => format!(
                "{pad}CASE WHEN {}\n{pad}THEN\n{}\n{pad}ELSE\n{}\n{pad}END",
                condition(tree, s.feature, s.threshold, true, true),
                node(tree, s.left, indent + 1),
                node(tree, s.right, indent + 1)
            ),
        }
    }
    format!(
        "-- Fraud probability from the decision tree (depth {}, {} nodes)\n{} AS fraud_probability\n",
        tree.depth(),
        tree.nodes.len(),
        node(tree, 0, 0)
    )
}
