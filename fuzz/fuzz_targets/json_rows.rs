//! Any bytes as JSON rows (.jsonl, and .json that is not GeoJSON), as live pitch files arrive.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = playbook::data::load_bytes("fuzz.jsonl", data);
    let _ = playbook::data::load_bytes("fuzz.json", data);
});
