//! Files calldb writes (`--output`, jobs, exports): written whole or not at all, with the permissions the user
//! expects.
//!
//! - Atomic: the content goes to a temporary file beside the target (`.calldb-<pid>-<random>.tmp`), renamed over the
//!   target only once complete and synced; a failed run removes it and leaves the target as it was.
//! - Permissions: a new file gets `0666` less the umask (so `0644` under umask 022, like any other tool's output,
//!   and a web folder can serve it); a file that already exists keeps its mode.
//! - A run killed outright (`kill -9`, power loss) cannot remove its temporary file; the next write into the same
//!   folder does. A temporary file is locked while it is written, so a file nobody holds a lock on (and older than a
//!   second, in case its writer has not locked it yet) was left by a killed run and is deleted.

use std::io::Write;
use std::path::Path;

/// The prefix of calldb's temporary files.
pub const TEMP_PREFIX: &str = ".calldb-";
pub const TEMP_SUFFIX: &str = ".tmp";

/// Writes `contents` to `path` atomically (see the module documentation).
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, |f| f.write_all(contents))
}

/// Like [`write_atomically`], with the contents produced by `fill`; if it fails, the target is left as it was and
/// the temporary file is removed.
pub fn write_atomically_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    remove_stale_temp_files(dir);
    let existing_mode = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666: the kernel applies the umask, as for any file a program creates.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    // Locked while being written, so [`remove_stale_temp_files`] can tell it from one a killed run left.
    tmp.as_file().lock()?;
    if let Some(mode) = existing_mode {
        tmp.as_file().set_permissions(mode)?;
    }
    fill(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The suffix of an output written whole but not yet in place (see [`Pending`]).
pub const PENDING_SUFFIX: &str = ".calldb-pending";

/// Where the output for `target` waits between being written and being published: `.NAME.calldb-pending` beside
/// it, hidden, and never a name readers look for.
pub fn pending_path(target: &Path) -> std::path::PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}{PENDING_SUFFIX}"))
}

/// An output written whole under its pending name ([`pending_path`]), not yet in place. Outputs that must appear
/// exactly once (a job's report, an export's part files) are published in three steps: written pending, recorded in
/// the archive, renamed into place. A run killed between the second and third step left a recorded pending file,
/// which the next run renames (it is recorded, so it is the run's output); one killed before recording left an
/// unrecorded pending file, which the next run removes. Either way no output is both missing and recorded, or
/// present twice.
#[derive(Debug)]
pub struct Pending {
    pub pending: std::path::PathBuf,
    pub target: std::path::PathBuf,
}

impl Pending {
    /// Writes the output for `target` under its pending name (atomically, as [`write_atomically_with`]).
    pub fn write(target: &Path, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<Pending> {
        let pending = pending_path(target);
        write_atomically_with(&pending, fill)?;
        Ok(Pending { pending, target: target.to_path_buf() })
    }

    /// Renames the output into place (an existing target is replaced whole).
    pub fn publish(&self) -> std::io::Result<()> {
        publish(&self.pending, &self.target)
    }

    /// Removes the pending output (its run failed before it was recorded).
    pub fn discard(&self) {
        let _ = std::fs::remove_file(&self.pending);
    }
}

/// Renames a recorded pending output into place; done already (no pending file) is fine.
pub fn publish(pending: &Path, target: &Path) -> std::io::Result<()> {
    match std::fs::rename(pending, target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && target.exists() => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The rename is durable once the folder is.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Removes pending outputs under `dir` (recursively) that no run recorded: what a run killed before recording its
/// output left. `recorded` are the pending files still to be published, which stay.
pub fn remove_unrecorded_pending(dir: &Path, recorded: &[std::path::PathBuf]) {
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name.ends_with(PENDING_SUFFIX) && !recorded.iter().any(|r| r == entry.path())
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes the temporary files that runs killed while writing into `dir` left behind. A file still being written
/// is locked by its writer and is left alone, as is one younger than a second (its writer may not have locked it
/// yet). Best effort: whatever cannot be removed stays.
pub fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= std::time::Duration::from_secs(1));
        if !old {
            continue;
        }
        if let Ok(file) = std::fs::OpenOptions::new().write(true).open(entry.path()) {
            if file.try_lock().is_ok() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.csv");
        write_atomically(&p, b"one").unwrap();
        write_atomically(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
        let failed = write_atomically_with(&p, |f| {
            f.write_all(b"partial")?;
            Err(std::io::Error::other("query failed"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_follow_the_umask_and_existing_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        write_atomically(&p, b"x").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        // The test process's umask is whatever it is; the file must be 0666 less it, never tempfile's 0600.
        let probe = dir.path().join("probe");
        std::fs::File::create(&probe).unwrap();
        let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected, "{mode:o} vs {expected:o}");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&p, b"y").unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o640);
    }

    #[test]
    fn temporary_files_of_killed_runs_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(format!("{TEMP_PREFIX}killed{TEMP_SUFFIX}"));
        let live = dir.path().join(format!("{TEMP_PREFIX}writing{TEMP_SUFFIX}"));
        let other = dir.path().join("keep.tmp");
        for p in [&dead, &live, &other] {
            std::fs::write(p, b"partial").unwrap();
        }
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        for p in [&dead, &live] {
            std::fs::File::options().write(true).open(p).unwrap().set_modified(old).unwrap();
        }
        let writer = std::fs::File::options().write(true).open(&live).unwrap();
        writer.lock().unwrap();
        write_atomically(&dir.path().join("out.csv"), b"x").unwrap();
        assert!(!dead.exists());
        assert!(live.exists() && other.exists());
    }
}
