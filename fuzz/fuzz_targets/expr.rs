//! Any text as a filter and as a computed column over a small table of every column kind:
//! an error with a position, or a result, never a panic or a stack overflow (the parser bounds
//! its nesting).
#![no_main]
use playbook::compute::expr;
use polars::prelude::*;

fn table() -> DataFrame {
    DataFrame::new_infer_height(vec![
        Column::new("amount".into(), [1.5f64, f64::NAN, -3.0, 1e308]),
        Column::new("n".into(), [1i64, 0, -7, i64::MAX]),
        Column::new("type".into(), ["TRANSFER", "CASH_OUT", "", "PAYMENT"]),
        Column::new("flag".into(), [true, false, true, false]),
        Column::new("day".into(), [0i32, 1, 2, 30000])
            .cast(&DataType::Date)
            .expect("dates"),
    ])
    .expect("a table")
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let df = table();
    let _ = expr::parse(text);
    let _ = expr::filter(&df, text);
    let _ = expr::compute(&df, text, "out");
});
