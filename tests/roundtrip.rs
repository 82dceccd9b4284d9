//! Property tests: any table Playbook writes reads back equal (CSV and Parquet), whatever its
//! numbers, text (commas, quotes, new lines, non-ASCII) and missing values.

use playbook::data;
use playbook::export;
use polars::prelude::*;
use proptest::prelude::*;

/// Text that stays text when read back: it starts with a letter (a column of digits would be
/// read as numbers, as any CSV reader does) and may hold separators, quotes and new lines.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Zé][a-zA-Z0-9 ,;\"'\\n\\té€-]{0,12}"
}

fn table() -> impl Strategy<Value = DataFrame> {
    (1usize..40).prop_flat_map(|rows| {
        (
            prop::collection::vec(prop::option::weighted(0.9, any::<i64>()), rows),
            prop::collection::vec(prop::option::weighted(0.9, -1e12f64..1e12f64), rows),
            prop::collection::vec(prop::option::weighted(0.9, text()), rows),
            prop::collection::vec(prop::option::weighted(0.9, any::<bool>()), rows),
        )
            .prop_map(|(ints, floats, texts, flags)| {
                // Each column keeps at least one value, so its type can be told.
                let mut ints = ints;
                ints[0] = Some(ints[0].unwrap_or(1));
                let mut floats = floats;
                floats[0] = Some(floats[0].unwrap_or(0.5));
                let mut texts = texts;
                texts[0] = Some(texts[0].clone().unwrap_or_else(|| "a".into()));
                let mut flags = flags;
                flags[0] = Some(flags[0].unwrap_or(true));
                DataFrame::new_infer_height(vec![
                    Column::new("id".into(), ints),
                    Column::new("amount".into(), floats),
                    Column::new("note".into(), texts),
                    Column::new("flag".into(), flags),
                ])
                .unwrap()
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn tables_written_and_read_back_are_equal(df in table()) {
        let dir = tempfile::tempdir().unwrap();
        for name in ["t.parquet", "t.csv"] {
            let path = dir.path().join(name);
            export::write_table(&df, &path).unwrap();
            let back = data::load_path(&path).unwrap();
            prop_assert_eq!(back.frame.schema(), df.schema(), "{}", name);
            prop_assert!(back.frame.equals_missing(&df), "{}:\n{}\n{}", name, df, back.frame);
        }
    }
}
