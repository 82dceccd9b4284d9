//! Any bytes as a .geojson file, then as polygons to join: a dataset or a clear error.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(ds) = playbook::data::load_bytes("fuzz.geojson", data)
        && let Ok(set) = playbook::compute::spatial::polygons::from_dataset(&ds, None, None)
    {
        let _ = playbook::compute::spatial::polygons::problems(&set, "fuzz.geojson");
    }
});
