//! A tree read as rules people can defend (the book's "convert the model to rules with
//! thresholds"): one IF ... THEN line per leaf, and one SQL `CASE WHEN` expression giving the
//! fraud probability, with the type index written back as the types it stands for and the
//! balance differences as their columns.

use super::tree::Tree;

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
    // The type index: the levels at or below the threshold.
    if let Some(col) = name.strip_suffix("_index")
        && !tree.type_levels.is_empty()
    {
        let levels: Vec<String> = tree
            .type_levels
            .iter()
            .enumerate()
            .filter(|&(i, _)| (i as f64 <= threshold) == left)
            .map(|(_, l)| format!("'{l}'"))
            .collect();
        return format!("{} IN ({})", quote(col), levels.join(", "));
    }
    let expr = match name {
        "orgDiff" if sql => "(\"newbalanceOrig\" - \"oldbalanceOrg\")".to_owned(),
        "destDiff" if sql => "(\"newbalanceDest\" - \"oldbalanceDest\")".to_owned(),
        other => quote(other),
    };
    let t = crate::format::short(threshold);
    if left {
        format!("{expr} <= {t}")
    } else {
        format!("{expr} > {t}")
    }
}

/// One line per leaf: `IF a <= 1 AND type IN ('TRANSFER') THEN fraud probability 0.98 (n rows)`,
/// the likeliest leaves first.
pub fn rules_text(tree: &Tree) -> String {
    let mut leaves: Vec<(f64, usize, String)> = Vec::new();
    let mut stack: Vec<(usize, Vec<String>)> = vec![(0, Vec::new())];
    while let Some((i, path)) = stack.pop() {
        let Some(n) = tree.nodes.get(i) else { continue };
        match &n.split {
            Some(s) => {
                for (child, left) in [(s.right, false), (s.left, true)] {
                    let mut p = path.clone();
                    p.push(condition(tree, s.feature, s.threshold, left, false));
                    stack.push((child, p));
                }
            }
            None => {
                let cond = if path.is_empty() {
                    "TRUE".to_owned()
                } else {
                    path.join(" AND ")
                };
                let line = format!(
                    "IF {cond} THEN fraud probability {:.4} ({} training rows, {} labelled 1)",
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
