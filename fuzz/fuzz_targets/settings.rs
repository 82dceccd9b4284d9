//! Any bytes as the saved settings the app starts from.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<playbook::settings::Settings>(data);
});
