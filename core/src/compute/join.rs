//! Joining two tables on key columns (inner or left), with the unmatched rows of each side
//! counted: Statcast pitches to pitcher names, sales to stores. A hash join on the keys' text
//! (so an integer id matches the same id read as text), the right table's key columns left
//! out, its other columns renamed `name_right` when the left table has that name.

use std::collections::HashMap;

use anyhow::bail;
use polars::prelude::*;

/// Which left rows a join keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JoinKind {
    /// Only rows with a match.
    #[default]
    Inner,
    /// Every left row; the right columns empty where nothing matched.
    Left,
}

/// The most memory a join's result may take (estimated from its row count before it is made).
pub(crate) const MAX_JOIN_BYTES: u64 = 4 << 30;

/// A join's table and what did not match.
pub struct Joined {
    pub frame: DataFrame,
    /// Left rows with no match (dropped by an inner join, kept with empty right columns by a
    /// left join).
    pub left_unmatched: usize,
    /// Right rows no left row matched.
    pub right_unmatched: usize,
}

impl Joined {
    pub fn summary(&self) -> String {
        format!(
            "{} rows; {} left rows without a match, {} right rows unused",
            self.frame.height(),
            self.left_unmatched,
            self.right_unmatched
        )
    }
}

/// Each row's key: the key columns' text joined by a separator no text holds. `None` when a
/// key is empty (an empty key matches nothing, as in SQL).
fn keys(name: &str, df: &DataFrame, cols: &[&str]) -> anyhow::Result<Vec<Option<String>>> {
    let text: Vec<StringChunked> = cols
        .iter()
        .map(|c| -> anyhow::Result<StringChunked> {
            let col = crate::data::schema::column(name, df, c)?;
            Ok(col.cast(&DataType::String)?.str()?.clone())
        })
        .collect::<anyhow::Result<_>>()?;
    Ok((0..df.height())
        .map(|i| {
            let parts: Option<Vec<&str>> = text.iter().map(|t| t.get(i)).collect();
            parts.map(|p| p.join("\u{1f}"))
        })
        .collect())
}

/// Join `right` to `left` on `on` (left column, right column) pairs.
pub fn join(
    (left_name, left): (&str, &DataFrame),
    (right_name, right): (&str, &DataFrame),
    on: &[(String, String)],
    kind: JoinKind,
) -> anyhow::Result<Joined> {
    if on.is_empty() {
        bail!("choose at least one pair of key columns to join {left_name} and {right_name} on");
    }
    let left_cols: Vec<&str> = on.iter().map(|p| p.0.as_str()).collect();
    let right_cols: Vec<&str> = on.iter().map(|p| p.1.as_str()).collect();
    let (lk, rk) = (
        keys(left_name, left, &left_cols)?,
        keys(right_name, right, &right_cols)?,
    );
    let mut index: HashMap<&str, Vec<IdxSize>> = HashMap::new();
    for (j, k) in rk.iter().enumerate() {
        if let Some(k) = k {
            index.entry(k.as_str()).or_default().push(j as IdxSize);
        }
    }
    // The result's size, counted before anything is made: a many-to-many join (a table with
    // itself on a column of five values) can ask for more memory than the machine has.
    let rows: u64 = lk
        .iter()
        .map(|k| match k.as_deref().and_then(|k| index.get(k)) {
            Some(matches) => matches.len() as u64,
            None => u64::from(kind == JoinKind::Left),
        })
        .sum();
    let per_row = |df: &DataFrame| df.estimated_size() as u64 / df.height().max(1) as u64;
    let bytes = rows.saturating_mul(per_row(left) + per_row(right) + 16);
    if bytes > MAX_JOIN_BYTES {
        bail!(
            "joining {left_name} and {right_name} on {} would make {} rows (about {}): more than \
             Playbook joins in memory ({}). Join on more key columns, or filter the tables first.",
            left_cols.join(", "),
            crate::format::whole(rows.min(usize::MAX as u64) as usize),
            crate::format::bytes(bytes),
            crate::format::bytes(MAX_JOIN_BYTES)
        );
    }
    let mut used = vec![false; right.height()];
    let (mut li, mut ri): (Vec<IdxSize>, Vec<Option<IdxSize>>) = (Vec::new(), Vec::new());
    let mut left_unmatched = 0;
    for (i, k) in lk.iter().enumerate() {
        match k.as_deref().and_then(|k| index.get(k)) {
            Some(matches) => {
                for &j in matches {
                    li.push(i as IdxSize);
                    ri.push(Some(j));
                    used[j as usize] = true;
                }
            }
            None => {
                left_unmatched += 1;
                if kind == JoinKind::Left {
                    li.push(i as IdxSize);
                    ri.push(None);
                }
            }
        }
    }
    let right_unmatched = used.iter().filter(|u| !**u).count();
    let left_idx = IdxCa::from_vec("l".into(), li);
    let right_idx: IdxCa = ri.into_iter().collect();
    let mut out = left.take(&left_idx)?;
    let rest: Vec<String> = right
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .filter(|c| !right_cols.contains(&c.as_str()))
        .collect();
    let kept = right.select(rest.iter().map(String::as_str))?;
    let taken = kept.take(&right_idx)?;
    for col in taken.columns() {
        let mut col = col.clone();
        if out.column(col.name()).is_ok() {
            let name = format!("{}_right", col.name());
            col.rename(name.into());
        }
        out.with_column(col)?;
    }
    Ok(Joined {
        frame: out,
        left_unmatched,
        right_unmatched,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table joined with itself on a column of two values: every row meets every other of its
    /// value, n²/2 rows. Refused, with the count, before any is made.
    #[test]
    fn a_join_too_big_for_memory_is_refused_before_it_is_made() {
        let n = 200_000;
        let df = DataFrame::new_infer_height(vec![
            Column::new("type".into(), (0..n).map(|i| i % 2).collect::<Vec<i64>>()),
            Column::new("amount".into(), vec![1.0f64; n as usize]),
        ])
        .unwrap();
        let on = [("type".to_owned(), "type".to_owned())];
        let err = join(("tx", &df), ("tx", &df), &on, JoinKind::Inner)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("would make 20,000,000,000 rows"), "{err}");
        assert!(err.contains("on type"), "{err}");
    }

    fn pitches() -> DataFrame {
        DataFrame::new_infer_height(vec![
            Column::new("pitcher".into(), [1i64, 2, 2, 9]),
            Column::new("spin".into(), [2200.0, 2500.0, 2510.0, 1900.0]),
        ])
        .unwrap()
    }

    fn names() -> DataFrame {
        DataFrame::new_infer_height(vec![
            Column::new("id".into(), ["1", "2", "3"]),
            Column::new("name".into(), ["Cole", "Bauer", "Kershaw"]),
            Column::new("spin".into(), [1.0, 2.0, 3.0]),
        ])
        .unwrap()
    }

    #[test]
    fn inner_and_left_joins_match_a_brute_force_loop_and_count_the_unmatched() {
        let on = [("pitcher".to_owned(), "id".to_owned())];
        let inner = join(("p", &pitches()), ("n", &names()), &on, JoinKind::Inner).unwrap();
        assert_eq!(inner.frame.height(), 3);
        assert_eq!((inner.left_unmatched, inner.right_unmatched), (1, 1));
        assert_eq!(
            inner.frame.get_column_names(),
            ["pitcher", "spin", "name", "spin_right"]
        );
        let who: Vec<&str> = inner
            .frame
            .column("name")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .flatten()
            .collect();
        assert_eq!(who, ["Cole", "Bauer", "Bauer"]);
        let left = join(("p", &pitches()), ("n", &names()), &on, JoinKind::Left).unwrap();
        assert_eq!(left.frame.height(), 4);
        assert_eq!(left.frame.column("name").unwrap().null_count(), 1);
        assert_eq!(
            left.summary(),
            "4 rows; 1 left rows without a match, 1 right rows unused"
        );
        // Brute force: every (left, right) pair whose keys are equal, in left order.
        let (p, n) = (pitches(), names());
        let mut pairs = Vec::new();
        for i in 0..p.height() {
            for j in 0..n.height() {
                let a = p.column("pitcher").unwrap().get(i).unwrap().to_string();
                let b = n
                    .column("id")
                    .unwrap()
                    .str()
                    .unwrap()
                    .get(j)
                    .unwrap()
                    .to_owned();
                if a == b {
                    pairs.push((i, j));
                }
            }
        }
        assert_eq!(pairs.len(), inner.frame.height());
    }

    #[test]
    fn missing_keys_are_named() {
        let e = join(
            ("p.csv", &pitches()),
            ("n.csv", &names()),
            &[("pitcher".into(), "who".into())],
            JoinKind::Inner,
        )
        .err()
        .unwrap()
        .to_string();
        assert!(e.starts_with("n.csv: column 'who' not found"), "{e}");
        let e = join(
            ("p.csv", &pitches()),
            ("n.csv", &names()),
            &[],
            JoinKind::Inner,
        )
        .err()
        .unwrap()
        .to_string();
        assert_eq!(
            e,
            "choose at least one pair of key columns to join p.csv and n.csv on"
        );
    }
}
