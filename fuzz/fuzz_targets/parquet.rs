//! Any bytes as a .parquet file: a dataset or a clear error. polars panics inside its footer
//! decoder on some corrupt files; Playbook's loader catches those (`data::guard`) and keeps
//! them quiet, so any panic that reaches libFuzzer's hook escaped the loader: a crash.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = playbook::data::load_bytes("fuzz.parquet", data);
});
