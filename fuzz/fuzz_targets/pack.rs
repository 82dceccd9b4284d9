//! Any bytes as a packed workspace (a zip with a workspace.json), opened into a fresh home:
//! refused with a message or unpacked within what its manifest declares, never a panic, never a
//! file outside the home's `unpacked/` folder.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("in.playbook");
    let home = dir.path().join("home");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let _ = playbook::workspace::Workspace::open(&path, &home);
    // Whatever it wrote is under home/unpacked.
    if let Ok(entries) = std::fs::read_dir(&home) {
        for e in entries.flatten() {
            assert_eq!(e.file_name(), "unpacked", "wrote {:?} in the home", e.path());
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir.path()) {
        for e in entries.flatten() {
            let name = e.file_name();
            assert!(name == "in.playbook" || name == "home", "wrote {:?}", e.path());
        }
    }
});
