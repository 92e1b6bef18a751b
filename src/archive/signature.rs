//! What a file looked like on disk when it was read, so that re-importing an unchanged folder need not read it again
//! (the `file_signatures` table; see `migrations/V10__file_signatures.sql` for why this is safe).

use std::collections::{BTreeSet, HashMap};
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rusqlite::Connection;

/// A file's identity, size and times, as `stat` gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileSignature {
    pub device: i64,
    pub inode: i64,
    pub byte_size: i64,
    pub modified_ns: i64,
    pub changed_ns: i64,
}

/// How long a file must have been left alone before it is read for its signature to be kept: file times are taken
/// from a clock that ticks every few milliseconds, so a file written twice within one tick keeps the first write's
/// times. A second is far more than any tick.
const SETTLED: Duration = Duration::from_secs(1);

impl FileSignature {
    /// The signature of a file's metadata; `None` where the system does not give inodes and change times.
    #[cfg(unix)]
    pub fn of(meta: &Metadata) -> Option<FileSignature> {
        use std::os::unix::fs::MetadataExt;
        let nanos = |secs: i64, nsec: i64| secs.checked_mul(1_000_000_000)?.checked_add(nsec);
        Some(FileSignature {
            device: meta.dev() as i64,
            inode: meta.ino() as i64,
            byte_size: meta.len() as i64,
            modified_ns: nanos(meta.mtime(), meta.mtime_nsec())?,
            changed_ns: nanos(meta.ctime(), meta.ctime_nsec())?,
        })
    }

    #[cfg(not(unix))]
    pub fn of(_meta: &Metadata) -> Option<FileSignature> {
        None
    }

    /// True when the file had not been changed for [`SETTLED`] when reading it began at `read_at`: only then does an
    /// equal signature later prove equal content.
    pub fn settled_at(&self, read_at: SystemTime) -> bool {
        let Ok(since_epoch) = read_at.duration_since(SystemTime::UNIX_EPOCH) else { return false };
        let read_ns = i64::try_from(since_epoch.as_nanos()).unwrap_or(i64::MAX);
        let settled_ns = SETTLED.as_nanos() as i64;
        self.changed_ns.max(self.modified_ns).saturating_add(settled_ns) < read_ns
    }
}

/// The recorded signatures of files under the folders `files` are in, by path, with the content hash each vouches
/// for. Only those folders' rows are read, so a night's few new files do not load a large archive's every row; a
/// file whose canonical path lies elsewhere (reached through a link) simply has no signature here and is read.
pub fn load_for(conn: &Connection, files: &[PathBuf]) -> rusqlite::Result<HashMap<String, Recorded>> {
    let parents: BTreeSet<&Path> = files.iter().filter_map(|f| f.parent()).collect();
    let prefixes: BTreeSet<String> = parents
        .into_iter()
        .filter_map(|folder| {
            std::fs::canonicalize(if folder.as_os_str().is_empty() { Path::new(".") } else { folder }).ok()
        })
        .map(|folder| {
            let mut prefix = folder.display().to_string();
            if !prefix.ends_with(std::path::MAIN_SEPARATOR) {
                prefix.push(std::path::MAIN_SEPARATOR);
            }
            prefix
        })
        .collect();
    let mut stmt = conn.prepare(
        "SELECT path, device, inode, byte_size, modified_ns, changed_ns, content_hash, records FROM file_signatures
         WHERE path >= ?1 AND path < ?1 || char(1114111)",
    )?;
    let mut found = HashMap::new();
    // In sorted order a folder's subfolders follow it directly; they are read with it.
    let mut read: Option<&str> = None;
    for prefix in &prefixes {
        if read.is_some_and(|r| prefix.starts_with(r)) {
            continue;
        }
        read = Some(prefix);
        let rows = stmt.query_map([prefix], |r| {
            let signature = FileSignature {
                device: r.get(1)?,
                inode: r.get(2)?,
                byte_size: r.get(3)?,
                modified_ns: r.get(4)?,
                changed_ns: r.get(5)?,
            };
            Ok((r.get(0)?, Recorded { signature, content_hash: r.get(6)?, records: r.get(7)? }))
        })?;
        for row in rows {
            let (path, recorded) = row?;
            found.insert(path, recorded);
        }
    }
    Ok(found)
}

/// What a file looked like when it was last read, and what it held then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub signature: FileSignature,
    /// The hash of the transcript read (a transcript file), or the fingerprint of the records read (a dataset).
    pub content_hash: String,
    /// For a dataset file, how many records it held, every one settled; `None` for a transcript file.
    pub records: Option<i64>,
}

/// Records (or replaces) what the file at `path` looked like when the bytes hashing to `content_hash` were read;
/// `records` for a dataset file whose every record was settled.
pub fn record(
    tx: &Connection,
    path: &str,
    signature: &FileSignature,
    content_hash: &str,
    records: Option<i64>,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO file_signatures (path, device, inode, byte_size, modified_ns, changed_ns, content_hash, records)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (path) DO UPDATE SET device = excluded.device, inode = excluded.inode,
             byte_size = excluded.byte_size, modified_ns = excluded.modified_ns, changed_ns = excluded.changed_ns,
             content_hash = excluded.content_hash, records = excluded.records",
    )?
    .execute(rusqlite::params![
        path,
        signature.device,
        signature.inode,
        signature.byte_size,
        signature.modified_ns,
        signature.changed_ns,
        content_hash,
        records
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signature(changed_ns: i64) -> FileSignature {
        FileSignature { device: 1, inode: 2, byte_size: 3, modified_ns: changed_ns - 5, changed_ns }
    }

    #[test]
    fn only_a_file_left_alone_for_a_second_before_it_was_read_is_settled() {
        let read_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let at = |secs: f64| (secs * 1e9) as i64;
        assert!(signature(at(998.9)).settled_at(read_at));
        assert!(!signature(at(999.5)).settled_at(read_at));
        assert!(!signature(at(1_000.0)).settled_at(read_at));
        // A file whose times lie in the future (a clock set wrong) is never settled.
        assert!(!signature(at(2_000.0)).settled_at(read_at));
        // Nor is one modified recently, whatever its change time says.
        let odd = FileSignature { modified_ns: at(999.9), ..signature(at(900.0)) };
        assert!(!odd.settled_at(read_at));
    }
}
