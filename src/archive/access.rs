//! Who may write the archive, and how readers read it without writing anything.
//!
//! # Writers take turns
//! SQLite lets one connection write at a time. Left alone, a second writer either fails at once (`database is
//! locked`) or, polling, never finds the moment between two of a long import's batches. So every calldb writer
//! passes a turnstile before it starts a write transaction: an exclusive `flock` on a small file beside the archive,
//! `<archive>-writer`, held only until the transaction has begun (`BEGIN IMMEDIATE`). Whoever waits at the
//! turnstile is next: an import releases it after each batch, so a second import, a job logging its run or a
//! speaker correction gets its turn within one batch, and two imports interleave batch by batch.
//!
//! A writer waits up to its `--wait` (default [`DEFAULT_WAIT`]) for each turn. The writer that starts a
//! transaction records itself in the turnstile file (pid, host, command, time), so one that gives up can say who
//! holds the archive. Only writers open that file; readers never create or touch it.
//!
//! # The archive at rest is in rollback-journal mode
//! Writers switch the archive to WAL mode while they work, so readers (`query`, `search`, reports, jobs) read the
//! last committed batch and never wait for an import. When the last writer closes, it checkpoints and switches the
//! archive back to rollback-journal mode (`journal_mode = DELETE`), which removes the `-wal` and `-shm` files. A
//! reader of an archive at rest therefore needs no file beside it: it works on a read-only file, folder or mount,
//! and creates nothing. While a writer works the `-wal` and `-shm` files exist already and readers share them.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::{sqlite_err, ArchiveError, Result};

/// How long a writer waits for its turn when `--wait` is not given. Long enough to outlast any one batch, index
/// build or migration of a large archive, so overlapping cron runs queue instead of failing.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(300);

/// How often a waiting writer looks at the turnstile again.
const POLL: Duration = Duration::from_millis(10);

/// The turnstile file of an archive.
pub fn turnstile_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push("-writer");
    PathBuf::from(name)
}

/// A writer's place in the queue for the archive: the open turnstile file and how long to wait for a turn.
pub struct Turnstile {
    file: File,
    path: PathBuf,
    db: PathBuf,
    pub wait: Duration,
}

/// Holding the turnstile; released when dropped.
pub struct Turn<'a>(&'a File);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl Turnstile {
    pub fn open(db: &Path, wait: Duration) -> Result<Turnstile> {
        let path = turnstile_path(db);
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| ArchiveError::Io(format!("opening {}: {e}", path.display())))?;
        Ok(Turnstile { file, path, db: db.to_path_buf(), wait })
    }

    /// Waits for the turnstile until `deadline`.
    pub fn enter(&self, deadline: Instant) -> Result<Turn<'_>> {
        loop {
            match self.file.try_lock() {
                Ok(()) => return Ok(Turn(&self.file)),
                Err(std::fs::TryLockError::WouldBlock) => {
                    if Instant::now() >= deadline {
                        return Err(self.busy());
                    }
                    std::thread::sleep(POLL);
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(ArchiveError::Io(format!("locking {}: {e}", self.path.display())))
                }
            }
        }
    }

    /// Records this process as the archive's writer (call while holding the turnstile).
    pub fn record_holder(&self) {
        let text = format!(
            "pid {}\nhost {}\nsince {}\ncommand {}\n",
            std::process::id(),
            host_name(),
            super::now_utc(),
            std::env::args().collect::<Vec<_>>().join(" ").replace('\n', " ")
        );
        // Best effort: the record only improves a message.
        let mut f = &self.file;
        let _ = f.seek(SeekFrom::Start(0)).and_then(|_| f.write_all(text.as_bytes()));
        let _ = self.file.set_len(text.len() as u64);
    }

    /// The error for a writer that gave up, naming the last writer recorded.
    pub fn busy(&self) -> ArchiveError {
        ArchiveError::Busy {
            path: self.db.display().to_string(),
            waited: self.wait.as_secs_f64(),
            holder: describe_holder(&self.path),
        }
    }
}

/// Who holds the archive, as recorded in its turnstile file.
pub fn describe_holder(turnstile: &Path) -> String {
    let mut text = String::new();
    if File::open(turnstile).and_then(|mut f| f.read_to_string(&mut text)).is_err() || text.is_empty() {
        return "another program holds its write lock (no calldb writer is recorded)".into();
    }
    let field =
        |key: &str| text.lines().find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string())).unwrap_or_default();
    let (pid, host, since, command) = (field("pid "), field("host "), field("since "), field("command "));
    let alive = host == host_name() && !pid.is_empty() && Path::new("/proc").join(&pid).exists();
    if alive || host != host_name() {
        format!("held by `{command}` (pid {pid} on {host}, writing since {since})")
    } else {
        format!(
            "held by another program (the last calldb writer, `{command}`, pid {pid} on {host}, has ended; \
             perhaps sqlite3 or another tool has it open for writing)"
        )
    }
}

/// This machine's name, for messages and records (`user@host`).
pub(crate) fn host_name() -> String {
    whoami::hostname().ok().filter(|s| !s.is_empty()).unwrap_or_else(|| "localhost".into())
}

/// Begins an immediate (write) transaction, waiting at the turnstile and then for SQLite's write lock, each until
/// `deadline`.
pub fn begin<'c>(conn: &'c mut Connection, turnstile: &Turnstile, db: &Path) -> Result<rusqlite::Transaction<'c>> {
    let deadline = Instant::now() + turnstile.wait;
    let _turn = turnstile.enter(deadline)?;
    let remaining = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
    conn.busy_timeout(remaining).map_err(|e| sqlite_err(db, e))?;
    let tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(e) if is_busy(&e) => return Err(turnstile.busy()),
        Err(e) => return Err(sqlite_err(db, e)),
    };
    turnstile.record_holder();
    Ok(tx)
}

/// Takes turns at something other than the archive's write lock (one job file's runs, one export folder): an
/// exclusive `flock` on `path`, waited for up to `wait`, held until the returned file is dropped. `what` names the
/// thing for the message of one that gives up (which is a busy error, exit status 75).
pub fn take_turn(path: &Path, wait: Duration, what: &str) -> Result<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| ArchiveError::Io(format!("opening {}: {e}", path.display())))?;
    let deadline = Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => std::thread::sleep(POLL),
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(ArchiveError::Busy {
                    path: what.to_string(),
                    waited: wait.as_secs_f64(),
                    holder: format!("another run holds {}", path.display()),
                })
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(ArchiveError::Io(format!("locking {}: {e}", path.display())))
            }
        }
    }
}

/// True for SQLite's "another connection holds the lock" errors.
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked))
}

/// What kind of file a path holds, judged from its first bytes without opening it as a database.
pub enum FileKind {
    /// No file, or an empty one: a new archive.
    New,
    /// An SQLite database (in WAL mode when `wal`).
    Sqlite { wal: bool },
}

/// Looks at a file's header. Anything that is not an SQLite database is refused here, before SQLite opens it, so
/// nothing can be written to it.
pub fn identify(path: &Path) -> Result<FileKind> {
    let mut header = [0u8; 100];
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::New),
        Err(e) => return Err(ArchiveError::Io(format!("cannot read archive {}: {e}", path.display()))),
    };
    let meta = file.metadata().map_err(|e| ArchiveError::Io(format!("{}: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(ArchiveError::Foreign {
            path: path.display().to_string(),
            what: "a folder, not an archive file".into(),
        });
    }
    if meta.len() == 0 {
        return Ok(FileKind::New);
    }
    let n = read_up_to(&mut file, &mut header).map_err(|e| ArchiveError::Io(format!("{}: {e}", path.display())))?;
    if n < 100 || &header[..16] != b"SQLite format 3\0" {
        return Err(ArchiveError::Foreign { path: path.display().to_string(), what: "not an SQLite database".into() });
    }
    // Bytes 18 and 19: file format write/read versions, 2 in WAL mode.
    Ok(FileKind::Sqlite { wal: header[18] == 2 || header[19] == 2 })
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// A `file:` URI for `path` (absolute, percent-encoded) with the given query.
fn uri(path: &Path, query: &str) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file:");
    for &b in absolute.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push('?');
    out.push_str(query);
    out
}

/// Opens `path` for reading only.
///
/// An archive at rest (rollback-journal mode) opens as it is. In WAL mode SQLite wants the `-wal` and `-shm` files
/// beside the archive and creates them when it can; when they do not exist, no calldb writer is at work (it would
/// have them), so the archive is opened `immutable` instead, which reads the file as it is and creates nothing. The
/// same fallback serves a WAL archive whose `-shm` cannot be created (read-only folder or mount).
pub fn open_reader(path: &Path, wal: bool) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let sidecars_exist = sidecar(path, "-wal").exists() || sidecar(path, "-shm").exists();
    let immutable = || -> Result<Connection> {
        Connection::open_with_flags(uri(path, "immutable=1"), flags).map_err(|e| sqlite_err(path, e))
    };
    if wal && !sidecars_exist {
        return immutable();
    }
    // A copy (a backup, a snapshot) that kept the `-wal` file but not the `-shm`, on storage nobody may write: SQLite
    // cannot read the changes in the `-wal` without an `-shm`, and reading the archive without them would show an
    // older state. So the archive is read through a private copy with its `-wal` folded in; if even that cannot be
    // made, it is said plainly, with the way out.
    let cannot_read_wal = || match read_through_private_copy(path) {
        Ok(conn) => Ok(conn),
        Err(why) => Err(ArchiveError::Io(format!(
            "archive {p} is in WAL mode and its {p}-wal file holds changes, but {p}-shm is missing and cannot be \
             created here (read-only storage); SQLite needs it to read them, and a private copy could not be made \
             ({why}). Copy the archive together with its -wal file to storage you can write and read it there",
            p = path.display()
        ))),
    };
    // An empty `-wal` holds nothing: the archive file alone is the whole archive.
    let wal_empty = std::fs::metadata(sidecar(path, "-wal")).is_ok_and(|m| m.len() == 0);
    let conn = match Connection::open_with_flags(uri(path, "mode=ro"), flags) {
        Ok(conn) => conn,
        Err(_) if wal && wal_empty => return immutable(),
        Err(_) if wal && sidecar(path, "-wal").exists() && !sidecar(path, "-shm").exists() => return cannot_read_wal(),
        Err(e) => return Err(sqlite_err(path, e)),
    };
    // The first read is where SQLite opens (or fails to open) the WAL files.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())) {
        Ok(()) => Ok(conn),
        Err(e) if wal && !sidecar(path, "-wal").exists() => {
            drop(conn);
            immutable().map_err(|_| sqlite_err(path, e))
        }
        Err(_) if wal && wal_empty => {
            drop(conn);
            immutable()
        }
        Err(_) if wal && !sidecar(path, "-shm").exists() => {
            drop(conn);
            cannot_read_wal()
        }
        Err(e) => Err(sqlite_err(path, e)),
    }
}

/// Reads an archive whose `-wal` cannot be read in place (its `-shm` is missing on read-only storage): the archive
/// and its `-wal` are copied to a private temporary folder, the `-wal` is folded in there, and the folded copy is
/// opened `immutable` and unlinked at once (the open file stays readable until the process ends; nothing is left
/// behind). Costs one copy of the archive, which only this unusual case pays.
fn read_through_private_copy(path: &Path) -> std::result::Result<Connection, String> {
    let dir = tempfile::Builder::new().prefix("calldb-read-").tempdir().map_err(|e| e.to_string())?;
    let copy = dir.path().join("archive.db");
    std::fs::copy(path, &copy).map_err(|e| format!("copying {}: {e}", path.display()))?;
    std::fs::copy(sidecar(path, "-wal"), sidecar(&copy, "-wal")).map_err(|e| format!("copying the -wal: {e}"))?;
    // The copies keep the originals' read-only modes; this private copy must be writable to fold the `-wal` in.
    for file in [copy.clone(), sidecar(&copy, "-wal")] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).map_err(|e| e.to_string())?;
    }
    let fold = |conn: &Connection| -> rusqlite::Result<()> {
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
    };
    let writable = Connection::open(&copy).map_err(|e| e.to_string())?;
    fold(&writable).map_err(|e| format!("folding the -wal into a copy: {e}"))?;
    drop(writable);
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(uri(&copy, "immutable=1"), flags).map_err(|e| e.to_string())?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())).map_err(|e| e.to_string())?;
    drop(dir);
    Ok(conn)
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}
