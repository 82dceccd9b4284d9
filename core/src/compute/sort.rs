//! Row orders for the preview table: the permutation that sorts a dataset by one column
//! (nulls last), computed once as a job so the table can scroll through it for free.

use polars::prelude::*;

/// Row indices in the order that sorts `col` ascending or descending; nulls always last.
pub fn sort_order(col: &Column, descending: bool) -> Vec<u32> {
    let idx = col.arg_sort(SortOptions {
        descending,
        nulls_last: true,
        multithreaded: true,
        maintain_order: true,
        limit: None,
    });
    idx.iter().map(|i| i.unwrap_or(0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_with_nulls_last() {
        let col = Column::new("x".into(), [Some(3), None, Some(1), Some(2)]);
        assert_eq!(sort_order(&col, false), vec![2, 3, 0, 1]);
        assert_eq!(sort_order(&col, true), vec![0, 3, 2, 1]);
    }
}
