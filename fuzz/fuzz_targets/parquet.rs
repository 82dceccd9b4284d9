//! Any bytes as a .parquet file: a dataset or a clear error. polars panics inside its footer
//! decoder on some corrupt files; Playbook's reader catches those (`data::parquet`), so this
//! target silences libFuzzer's abort-on-any-panic hook: a panic that escapes the loader still
//! aborts (libfuzzer-sys catches it and aborts), one the loader catches does not.
#![no_main]

static QUIET: std::sync::Once = std::sync::Once::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let _ = playbook::data::load_bytes("fuzz.parquet", data);
});
