//! Any bytes as a saved fraud model: refused unless valid, and a valid one scores a row
//! without panicking or looping.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(tree) = serde_json::from_slice::<playbook::compute::fraud::tree::Tree>(data) else {
        return;
    };
    if tree.validate().is_ok() {
        let _ = tree.predict_one(|f| f as f64 - 1.0);
    }
});
