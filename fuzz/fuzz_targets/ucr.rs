//! Any text as a UCR .ts file of labelled series.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = playbook::data::ucr::parse_ts(std::path::Path::new("fuzz.ts"), text);
});
