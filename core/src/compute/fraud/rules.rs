//! Experts' rules that turn transactions into labels: conditions on columns (`amount >
//! 1160000`, `type == TRANSFER`) ANDed into groups, groups ORed into a rule set. Written one
//! group per line (`oldbalanceOrg <= 56900 AND type == TRANSFER AND newbalanceDest <= 105`), or
//! as JSON with the workspace. Evaluated over a whole polars frame at once.

use std::fmt;

use anyhow::{Context, Result, bail};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::schema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Op {
    pub const ALL: [Op; 6] = [Op::Le, Op::Lt, Op::Gt, Op::Ge, Op::Eq, Op::Ne];

    pub fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }

    fn test<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Eq => a == b,
            Op::Ne => a != b,
        }
    }
}

/// One comparison of a column with a value. Numeric columns compare with the value read as
/// a number; text columns compare as text (`type == TRANSFER`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub column: String,
    pub op: Op,
    pub value: String,
}

/// Conditions that must all hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub conditions: Vec<Condition>,
}

/// Groups of which any may hold: label 1 when one group's conditions all hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleSet {
    pub groups: Vec<Group>,
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.column, self.op.symbol(), self.value)
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.conditions.iter().map(|c| c.to_string()).collect();
        write!(f, "{}", parts.join(" AND "))
    }
}

impl fmt::Display for RuleSet {
    /// One group per line: the rule-file format.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for g in &self.groups {
            writeln!(f, "{g}")?;
        }
        Ok(())
    }
}

impl RuleSet {
    /// The book's rule (its notebook; the printed text garbles it).
    pub fn default_rule() -> Self {
        Self::parse(
            "oldbalanceOrg <= 56900 AND type == TRANSFER AND newbalanceDest <= 105\n\
             oldbalanceOrg > 56900 AND newbalanceOrig <= 12\n\
             oldbalanceOrg > 56900 AND newbalanceOrig > 12 AND amount > 1160000\n",
        )
        .unwrap_or_default()
    }

    /// Parse the rule-file format: one group per line, conditions joined by AND (any case);
    /// blank lines and lines starting with # are skipped.
    pub fn parse(text: &str) -> Result<Self> {
        let mut groups = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let conditions = split_and(line)
                .into_iter()
                .map(|c| parse_condition(c).with_context(|| format!("rule line {}", n + 1)))
                .collect::<Result<Vec<_>>>()?;
            groups.push(Group { conditions });
        }
        if groups.is_empty() {
            bail!("the rule set is empty");
        }
        Ok(Self { groups })
    }

    /// Every column the rules name.
    pub fn columns(&self) -> Vec<&str> {
        let mut cols: Vec<&str> = self
            .groups
            .iter()
            .flat_map(|g| g.conditions.iter().map(|c| c.column.as_str()))
            .collect();
        cols.sort_unstable();
        cols.dedup();
        cols
    }
}

fn split_and(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = line;
    loop {
        let lower = rest.to_ascii_lowercase();
        match lower.find(" and ") {
            Some(i) => {
                parts.push(rest[..i].trim());
                rest = &rest[i + 5..];
            }
            None => {
                parts.push(rest.trim());
                return parts;
            }
        }
    }
}

fn parse_condition(text: &str) -> Result<Condition> {
    // Two-character operators first, so "<=" is not read as "<".
    for op in [Op::Le, Op::Ge, Op::Eq, Op::Ne, Op::Lt, Op::Gt] {
        if let Some(i) = text.find(op.symbol()) {
            let column = text[..i].trim();
            let value = text[i + op.symbol().len()..]
                .trim()
                .trim_matches(['\'', '"']);
            if column.is_empty() || value.is_empty() {
                bail!("'{text}': expected COLUMN {} VALUE", op.symbol());
            }
            return Ok(Condition {
                column: column.to_owned(),
                op,
                value: value.to_owned(),
            });
        }
    }
    bail!("'{text}': no comparison (use <, <=, >, >=, == or !=)")
}

/// A condition's truth for every row. Nulls are false.
fn eval_condition(file: &str, df: &DataFrame, c: &Condition) -> Result<Vec<bool>> {
    let col = schema::column(file, df, &c.column)?;
    if col.dtype().is_primitive_numeric() {
        let v: f64 = c.value.parse().map_err(|_| {
            anyhow::anyhow!(
                "{file}: rule '{c}': column '{}' is numeric but '{}' is not a number",
                c.column,
                c.value
            )
        })?;
        let x = col.cast(&DataType::Float64)?;
        return Ok(x
            .f64()?
            .iter()
            .map(|a| a.is_some_and(|a| c.op.test(a, v)))
            .collect());
    }
    let s = col.cast(&DataType::String).map_err(|_| {
        anyhow::anyhow!(
            "{file}: rule '{c}': column '{}' cannot be compared",
            c.column
        )
    })?;
    Ok(s.str()?
        .iter()
        .map(|a| a.is_some_and(|a| c.op.test(a, c.value.as_str())))
        .collect())
}

/// What a rule set flags: the label of every row, and rows and money per group.
#[derive(Clone, Debug, PartialEq)]
pub struct Flagged {
    pub labels: Vec<bool>,
    /// (rows, money) flagged by each group alone.
    pub per_group: Vec<(usize, f64)>,
    pub rows: usize,
    /// Money flagged and in total (infinite when the sums overflow f64; the shares do not).
    pub money: f64,
    pub total_money: f64,
    /// Share of the money the whole rule set flags (None when there is no money).
    pub money_share: Option<f64>,
    /// Share of the money each group flags alone.
    pub group_shares: Vec<Option<f64>>,
    /// Infinite amounts, counted as no money.
    pub non_finite_money: usize,
}

/// Evaluate `rules` over `df`; `money_col` (e.g. amount) sums the money flagged.
/// `money_col` names the column whose flagged share is summed; with `None` (labelling only)
/// money is not read and counts as zero.
pub fn evaluate(
    file: &str,
    df: &DataFrame,
    rules: &RuleSet,
    money_col: Option<&str>,
) -> Result<Flagged> {
    // Non-finite amounts count as no money (and are counted); the rest is summed in units of
    // the largest amount, so that two amounts near f64::MAX do not overflow the shares.
    let mut non_finite = 0;
    let raw: Vec<f64> = match money_col {
        Some(col) => schema::numeric_rows(file, df, col)?
            .into_iter()
            .map(|m| {
                if m.is_finite() {
                    m
                } else {
                    non_finite += usize::from(!m.is_nan());
                    0.0
                }
            })
            .collect(),
        None => vec![0.0; df.height()],
    };
    let unit = raw.iter().fold(0.0f64, |a, m| a.max(m.abs()));
    let unit = if unit > 0.0 { unit } else { 1.0 };
    // (raw sum, sum in units of the largest amount) of the rows where `pick` holds.
    let sums = |pick: &dyn Fn(usize) -> bool| -> (f64, f64) {
        raw.iter()
            .enumerate()
            .filter(|(i, _)| pick(*i))
            .fold((0.0, 0.0), |(a, b), (_, m)| (a + m, b + m / unit))
    };
    let (total_money, scaled_total) = sums(&|_| true);
    let share = |scaled: f64| (scaled_total > 0.0).then(|| scaled / scaled_total);
    let mut labels = vec![false; df.height()];
    let mut per_group = Vec::with_capacity(rules.groups.len());
    let mut group_shares = Vec::with_capacity(rules.groups.len());
    for g in &rules.groups {
        let mut hit = vec![true; df.height()];
        for c in &g.conditions {
            let t = eval_condition(file, df, c)?;
            hit.iter_mut().zip(t).for_each(|(h, t)| *h &= t);
        }
        let (money, scaled) = sums(&|i| hit[i]);
        per_group.push((hit.iter().filter(|h| **h).count(), money));
        group_shares.push(share(scaled));
        labels.iter_mut().zip(&hit).for_each(|(l, h)| *l |= h);
    }
    let rows = labels.iter().filter(|&&l| l).count();
    let (money, scaled) = sums(&|i| labels[i]);
    Ok(Flagged {
        rows,
        per_group,
        money_share: share(scaled),
        group_shares,
        money,
        total_money,
        non_finite_money: non_finite,
        labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prints_and_evaluates_the_default_rule() {
        let r = RuleSet::default_rule();
        assert_eq!(r.groups.len(), 3);
        assert_eq!(
            r.groups[0].to_string(),
            "oldbalanceOrg <= 56900 AND type == TRANSFER AND newbalanceDest <= 105"
        );
        assert_eq!(RuleSet::parse(&r.to_string()).unwrap(), r);
        let df = df!(
            "type" => ["TRANSFER", "PAYMENT", "CASH_OUT", "CASH_OUT"],
            "amount" => [100.0, 5.0, 2_000_000.0, 10.0],
            "oldbalanceOrg" => [1000.0, 10.0, 100_000.0, 100_000.0],
            "newbalanceOrig" => [900.0, 5.0, 50.0, 99_990.0],
            "newbalanceDest" => [0.0, 0.0, 0.0, 0.0],
        )
        .unwrap();
        let f = evaluate("t.csv", &df, &r, Some("amount")).unwrap();
        assert_eq!(f.labels, [true, false, true, false]);
        assert_eq!(f.per_group, [(1, 100.0), (0, 0.0), (1, 2_000_000.0)]);
        assert_eq!(f.money, 2_000_100.0);
    }

    #[test]
    fn bad_rules_are_clear_errors() {
        let e = RuleSet::parse("amount >= 5 AND type").unwrap_err();
        assert!(format!("{e:#}").contains("'type': no comparison"), "{e:#}");
        let df = df!("amount" => [1.0], "type" => ["A"]).unwrap();
        let r = RuleSet::parse("balance > 3").unwrap();
        let e = evaluate("t.csv", &df, &r, Some("amount"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.csv") && e.contains("'balance' not found"),
            "{e}"
        );
        let r = RuleSet::parse("amount > lots").unwrap();
        let e = evaluate("t.csv", &df, &r, Some("amount"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("'lots' is not a number"), "{e}");
    }
}
