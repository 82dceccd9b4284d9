//! Every command checks its output paths before it reads or computes anything, so that a
//! failure on the second output never comes after the first was written, and an output never
//! replaces an input: each output's kind must match its extension, its folder must exist, no two
//! outputs may share a path, and no output may be one of the command's inputs.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// What an output holds, which decides the extensions it accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `.csv` or `.parquet`.
    Table,
    /// `.png`, `.svg`, or the chart's numbers as `.csv` / `.parquet`.
    Chart,
    /// Anything (JSON models, SQL rules): only the folder and the clashes are checked.
    Text,
}

impl Kind {
    fn accepts(self, ext: &str) -> bool {
        match self {
            Kind::Table => matches!(ext, "csv" | "parquet"),
            Kind::Chart => matches!(ext, "png" | "svg" | "csv" | "parquet"),
            Kind::Text => true,
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Kind::Table => ".csv or .parquet",
            Kind::Chart => ".png, .svg, .csv or .parquet",
            Kind::Text => "any",
        }
    }
}

/// One output of a command: the flag that named it, its path and its kind.
pub struct Output<'a> {
    pub flag: &'static str,
    pub path: &'a Path,
    pub kind: Kind,
}

impl<'a> Output<'a> {
    pub fn new(flag: &'static str, path: &'a Path, kind: Kind) -> Self {
        Self { flag, path, kind }
    }
}

/// The path made absolute and, where the file or its folder exists, free of links and `..`,
/// so that two spellings of one file compare equal.
pub(super) fn resolved(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => dir
            .canonicalize()
            .map_or_else(|_| abs.clone(), |d| d.join(name)),
        _ => abs,
    }
}

/// An existing output that is not a plain, writable file is refused: writing it would replace
/// a link with a file, a device or pipe with a file (or block on a pipe), or overwrite a file its
/// owner made read-only.
fn special_file(o: &Output<'_>) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(o.path) else {
        return Ok(());
    };
    let shown = o.path.display();
    let kind = meta.file_type();
    if kind.is_symlink() {
        let target = std::fs::read_link(o.path)
            .map(|t| format!(" (to {})", t.display()))
            .unwrap_or_default();
        bail!(
            "{} {shown}: is a symbolic link{target}; name the file itself",
            o.flag
        );
    }
    if !kind.is_file() {
        bail!(
            "{} {shown}: is not a regular file (a device, pipe or socket); choose a file name",
            o.flag
        );
    }
    if meta.permissions().readonly() {
        bail!(
            "{} {shown}: is read-only; Playbook does not replace it",
            o.flag
        );
    }
    Ok(())
}

/// What of Playbook's own files `path` (resolved) is, if any: the run store (with SQLite's
/// journal files beside it) or a file under its artifacts folder.
fn playbook_file(path: &Path) -> Option<&'static str> {
    let home = resolved(&crate::runs::home().ok()?);
    let store = crate::runs::STORE_FILE;
    let name = path.file_name()?.to_str()?;
    let is_store = path.parent() == Some(home.as_path())
        && ["", "-wal", "-shm", "-journal"]
            .iter()
            .any(|suffix| name == format!("{store}{suffix}"));
    if is_store {
        return Some("Playbook's run store");
    }
    path.starts_with(home.join("artifacts"))
        .then_some("inside Playbook's run store (its artifacts folder)")
}

/// Check `outputs` against each other and against `inputs` (the files the command reads).
pub fn check(inputs: &[&Path], outputs: &[Output<'_>]) -> Result<()> {
    let inputs: Vec<PathBuf> = inputs.iter().map(|p| resolved(p)).collect();
    let mut seen: Vec<(PathBuf, &'static str)> = Vec::new();
    for o in outputs {
        let shown = o.path.display();
        let ext = o
            .path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if !o.kind.accepts(&ext) {
            bail!(
                "{} {shown}: unsupported type '{ext}' (expected {})",
                o.flag,
                o.kind.expected()
            );
        }
        if let Some(dir) = o.path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            bail!(
                "{} {shown}: folder {} does not exist",
                o.flag,
                dir.display()
            );
        }
        if o.path.is_dir() {
            bail!("{} {shown}: is a folder, not a file name", o.flag);
        }
        special_file(o)?;
        let here = resolved(o.path);
        if let Some(what) = playbook_file(&here) {
            bail!(
                "{} {shown}: is {what}; writing it would lose every recorded run (choose another \
                 name)",
                o.flag
            );
        }
        if inputs.contains(&here) {
            bail!(
                "{} {shown}: is one of the command's inputs; writing it would destroy the input \
                 (choose another name)",
                o.flag
            );
        }
        if let Some((_, other)) = seen.iter().find(|(p, _)| *p == here) {
            bail!(
                "{} {shown}: {other} names the same file; each output needs its own",
                o.flag
            );
        }
        seen.push((here, o.flag));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashes_types_and_folders_are_refused_before_anything_runs() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "a\n1\n").unwrap();
        let out = dir.path().join("out.csv");
        let ok = check(&[&input], &[Output::new("--out", &out, Kind::Table)]);
        assert!(ok.is_ok());
        // The input under another spelling.
        let same = dir.path().join(".").join("in.csv");
        let e = check(&[&input], &[Output::new("--out", &same, Kind::Table)]).unwrap_err();
        assert!(
            e.to_string().contains("is one of the command's inputs"),
            "{e}"
        );
        let e = check(
            &[&input],
            &[
                Output::new("--out", &out, Kind::Table),
                Output::new("--accuracy-out", &out, Kind::Table),
            ],
        )
        .unwrap_err();
        assert!(e.to_string().contains("--out names the same file"), "{e}");
        let xlsx = dir.path().join("acc.xlsx");
        let e = check(
            &[&input],
            &[Output::new("--accuracy-out", &xlsx, Kind::Table)],
        )
        .unwrap_err();
        assert!(e.to_string().contains("unsupported type 'xlsx'"), "{e}");
        let missing = dir.path().join("no").join("x.csv");
        let e = check(&[&input], &[Output::new("--out", &missing, Kind::Table)]).unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        let e = check(&[&input], &[Output::new("--out", dir.path(), Kind::Text)]).unwrap_err();
        assert!(e.to_string().contains("is a folder"), "{e}");
    }

    #[test]
    fn links_pipes_and_read_only_files_are_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.csv");
        std::fs::write(&target, "a\n1\n").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = check(&[], &[Output::new("--out", &link, Kind::Table)]).unwrap_err();
        assert!(e.to_string().contains("is a symbolic link"), "{e}");
        let stdout = Path::new("/dev/stdout");
        let e = check(&[], &[Output::new("--model-out", stdout, Kind::Text)]).unwrap_err();
        assert!(e.to_string().contains("--model-out /dev/stdout"), "{e}");
        let fifo = dir.path().join("pipe.csv");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let e = check(&[], &[Output::new("--out", &fifo, Kind::Table)]).unwrap_err();
        assert!(e.to_string().contains("is not a regular file"), "{e}");
        let locked = dir.path().join("locked.csv");
        std::fs::write(&locked, "a\n").unwrap();
        let mut perms = std::fs::metadata(&locked).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&locked, perms).unwrap();
        let e = check(&[], &[Output::new("--out", &locked, Kind::Table)]).unwrap_err();
        assert!(e.to_string().contains("is read-only"), "{e}");
        // A plain file is replaced as before.
        assert!(check(&[], &[Output::new("--out", &target, Kind::Table)]).is_ok());
    }
}
