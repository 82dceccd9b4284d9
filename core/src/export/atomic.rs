//! Atomic file writes: the content goes to a temp file in the destination's folder, is synced,
//! then renamed over the destination. If the writer fails (or panics) the temp file is removed
//! and the destination is untouched. A process killed mid-write cannot remove its temp file, so
//! temp files carry the writer's process id (`.playbook-<pid>-<random>.tmp`) and each write
//! first removes, in its folder, those whose process is gone.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

const TEMP_PREFIX: &str = ".playbook-";
const TEMP_SUFFIX: &str = ".tmp";

/// Whether process `pid` still runs (where that can be told: Linux's /proc; elsewhere a temp
/// file is always taken to be someone's and kept).
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Remove the temp files in `dir` left by writers that died mid-write. Errors are ignored: this
/// is tidying, and a write must not fail for it.
fn sweep_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TEMP_PREFIX))
            .filter(|rest| rest.ends_with(TEMP_SUFFIX))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Write `path` atomically with `fill`. The destination folder must exist.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<&mut File>) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory, not a file",
        ));
    }
    sweep_stale(dir);
    // tempfile's error names the temp file ("… at path /dir/.playbook-1-x.tmp"), which the user
    // never asked for; callers name the destination, so keep only what went wrong.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(|e| {
            let kind = e.kind();
            let text = e.to_string();
            let reason = text.split(" at path ").next().unwrap_or(&text).to_owned();
            io::Error::new(kind, reason)
        })?;
    {
        let mut w = BufWriter::new(tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    // Temp files are private (0600); give the result the permissions of the file it replaces,
    // or the usual 0644 for a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.persist(path).map_err(|e| {
        let kind = e.error.kind();
        io::Error::new(
            kind,
            e.error
                .to_string()
                .split(" at path ")
                .next()
                .unwrap_or("")
                .to_owned(),
        )
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_nothing_and_keeps_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();
        let r = write_atomic(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "temp file left behind");
    }

    #[test]
    fn panicking_writer_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let r = std::panic::catch_unwind(|| {
            let _ = write_atomic(&path, |_| panic!("boom"));
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_and_replaced_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.csv");
        write_atomic(&path, |w| w.write_all(b"x")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o644);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, |w| w.write_all(b"y")).unwrap();
        assert_eq!(mode(&path), 0o640);
    }

    #[test]
    fn success_replaces_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn temp_files_of_dead_writers_are_swept_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        // Past Linux's largest pid (4194304): no such process.
        let dead = dir.path().join(".playbook-99999999-abc.tmp");
        let mine = dir
            .path()
            .join(format!(".playbook-{}-def.tmp", std::process::id()));
        let other = dir.path().join(".playbook-notes.tmp");
        for p in [&dead, &mine, &other] {
            std::fs::write(p, "x").unwrap();
        }
        write_atomic(&dir.path().join("out.csv"), |w| w.write_all(b"a\n")).unwrap();
        assert!(!dead.exists(), "a dead writer's temp file is removed");
        assert!(mine.exists(), "a live writer's temp file stays");
        assert!(other.exists(), "a file that is not ours stays");
    }
}
