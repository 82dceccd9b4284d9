//! Any text as WKT polygons, and their rings through the self-crossing check.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(polys) = playbook::compute::spatial::polygons::parse_wkt(text) {
        for ring in polys.iter().flatten() {
            let _ = playbook::compute::spatial::polygons::crosses_itself(ring);
        }
    }
});
