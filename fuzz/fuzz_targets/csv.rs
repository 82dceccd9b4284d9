//! Any bytes as a .csv file: a dataset or a clear error, never a panic or a hang.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = playbook::data::load_bytes("fuzz.csv", data);
    let _ = playbook::data::load_bytes("fuzz.tsv", data);
});
