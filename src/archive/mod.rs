//! The SQLite archive: opening it (read-only or for writing), migrating it, and importing transcripts into it.
//!
//! The schema is created and upgraded only by the refinery migrations in `migrations/` (see [`schema`]). Every
//! write happens in a transaction that holds whole calls, so a crash at any moment leaves a valid archive.

pub mod access;
pub mod bulk;
pub mod coverage;
pub mod curate;
pub mod identity;
pub mod import;
pub mod known;
pub mod schema;
pub mod signature;
pub mod speakers;
pub mod store;

use std::path::{Path, PathBuf};

use std::time::Duration;

use rusqlite::Connection;

pub use access::DEFAULT_WAIT;

/// Environment variable naming the archive when `--db` is not given.
pub const DB_ENV: &str = "CALLDB_DB";

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// SQLite's own message is part of this one, not a separate cause: printed once, not repeated by a chain.
    #[error("archive {path}: {error}")]
    Sqlite { path: String, error: rusqlite::Error },
    #[error(
        "the disk holding archive {path} is full (or the archive reached its size limit): what was being written \
         was rolled back and the archive holds only whole calls. Free some space and run the command again"
    )]
    DiskFull { path: String },
    #[error(
        "archive {path} was written by a newer calldb (schema version {found}, this calldb knows up to {known}); \
         it was left untouched: upgrade calldb to use it"
    )]
    NewerSchema { path: String, found: i64, known: i64 },
    #[error("archive {path} does not exist yet: import transcripts first (`calldb import DIR`)")]
    Missing { path: String },
    #[error(
        "archive {path} is at schema version {found} but this calldb needs {known}: run `calldb migrate` to upgrade it"
    )]
    Outdated { path: String, found: i64, known: i64 },
    #[error("migrating archive {path}: {message}")]
    Migration { path: String, message: String },
    #[error("{path} is {what}: calldb refuses it and leaves it untouched")]
    Foreign { path: String, what: String },
    #[error("archive {path} is busy: waited {waited:.0} s for it (--wait), {holder}; nothing was changed")]
    Busy { path: String, waited: f64, holder: String },
    #[error("{0}")]
    Io(String),
}

impl ArchiveError {
    /// True when another writer kept the archive longer than this one was willing to wait.
    pub fn is_busy(&self) -> bool {
        matches!(self, ArchiveError::Busy { .. })
    }
}

pub type Result<T, E = ArchiveError> = std::result::Result<T, E>;

/// The archive path: `--db`, else `$CALLDB_DB`, else the per-user data directory
/// (`~/.local/share/calldb/calldb.db` on Linux).
pub fn resolve_path(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    default_path()
}

pub fn default_path() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("calldb").join("calldb.db")
}

/// An open archive.
pub struct Archive {
    pub conn: Connection,
    pub path: PathBuf,
    /// Present when opened for writing: the writers' turnstile (see [`access`]).
    writer: Option<access::Turnstile>,
}

impl Archive {
    /// Opens (creating and migrating if needed) an archive for writing, and finishes work an interrupted import
    /// left (figures from older rules, a pending full-text index build). Waits up to `wait` for each turn at the
    /// archive when other writers are at work.
    pub fn open_for_write(path: &Path, wait: Duration) -> Result<Archive> {
        let mut archive = Archive::open_writer(path, wait)?;
        archive.upkeep()?;
        Ok(archive)
    }

    /// Opens an archive that must already exist, for a short write (corrections, job logs): a typo in `--db` is an
    /// error, not a new empty archive. Upgrades its schema if needed, but leaves bulk upkeep to imports.
    pub fn open_existing_for_write(path: &Path, wait: Duration) -> Result<Archive> {
        if !path.exists() {
            return Err(ArchiveError::Missing { path: path.display().to_string() });
        }
        Archive::open_writer(path, wait)
    }

    fn open_writer(path: &Path, wait: Duration) -> Result<Archive> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| ArchiveError::Io(format!("creating {}: {e}", parent.display())))?;
        }
        // Check what the file is before SQLite opens it for writing, so a foreign file or a newer archive stays
        // byte-for-byte untouched.
        if let access::FileKind::Sqlite { wal } = access::identify(path)? {
            let probe = access::open_reader(path, wal)?;
            schema::refuse_foreign(&probe, path)?;
            schema::refuse_newer(&probe, path)?;
        }
        let turnstile = access::Turnstile::open(path, wait)?;
        let mut conn = Connection::open(path).map_err(|e| sqlite_err(path, e))?;
        conn.busy_timeout(wait).map_err(|e| sqlite_err(path, e))?;
        // Transactions that write start as writers, so SQLite's busy handler applies (a deferred transaction that
        // reads first and then writes fails at once when another writer got in between).
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        // Switching to WAL mode needs the archive to itself for a moment; SQLite does not wait for that when a
        // writer in rollback mode holds it (it would deadlock), so retry until the wait is over.
        let deadline = std::time::Instant::now() + wait;
        loop {
            match configure(&conn, path, true) {
                Ok(()) => break,
                Err(ArchiveError::Sqlite { error, .. })
                    if access::is_busy(&error) && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Err(e) => return Err(busy_or(e, &turnstile)),
            }
        }
        {
            // One process migrates; another that starts at the same moment waits here, then finds nothing to do.
            let deadline = std::time::Instant::now() + wait;
            let _turn = turnstile.enter(deadline)?;
            if schema::current_version(&conn, path)? != schema::known_version() {
                turnstile.record_holder();
                // A migration finds the schema the previous one left: indexes an interrupted bulk import deferred
                // are built first (this process holds the writers' turn already).
                build_deferred_indexes(&mut conn, path, None).map_err(|e| busy_or(e, &turnstile))?;
                schema::migrate(&mut conn, path).map_err(|e| busy_or(e, &turnstile))?;
                // Rows a migration marked to build (V15 marks every analyst's) are built by the writer that
                // migrated, whatever it came to do.
                refresh_coverage(&mut conn, path).map_err(|e| busy_or(e, &turnstile))?;
            }
        }
        Ok(Archive { conn, path: path.to_path_buf(), writer: Some(turnstile) })
    }

    /// Work a previous run may have left: figures from older analysis rules, an index build an interrupted bulk
    /// import did not get to.
    pub fn upkeep(&mut self) -> Result<()> {
        let path = self.path.clone();
        // Companies the V8 migration could not give their name key (it is computed here, not in SQL).
        if store::name_keys_missing(&self.conn).map_err(|e| self.err(e))? {
            let tx = self.write_transaction()?;
            store::fill_name_keys(&tx).map_err(|e| sqlite_err(&path, e))?;
            tx.commit().map_err(|e| sqlite_err(&path, e))?;
        }
        let outdated = store::outdated_calls(&self.conn).map_err(|e| self.err(e))?;
        for chunk in outdated.chunks(200) {
            let tx = self.write_transaction()?;
            store::reanalyze(&tx, chunk).map_err(|e| sqlite_err(&path, e))?;
            tx.commit().map_err(|e| sqlite_err(&path, e))?;
        }
        // The full-text index first: the pages its build frees are taken up by the indexes built after it.
        if store::index_pending(&self.conn).map_err(|e| self.err(e))? {
            self.rebuild_index()?;
        }
        self.build_deferred_indexes()?;
        self.refresh_coverage()
    }

    /// Builds the analyst-coverage rows marked out of date (see [`coverage`]), in one transaction; nothing when none
    /// are.
    pub fn refresh_coverage(&mut self) -> Result<()> {
        if !coverage::stale(&self.conn).map_err(|e| self.err(e))? {
            return Ok(());
        }
        let path = self.path.clone();
        self.conn.execute_batch("PRAGMA temp_store = FILE").map_err(|e| sqlite_err(&path, e))?;
        let built = (|| {
            let tx = self.write_transaction()?;
            coverage::refresh(&tx).map_err(|e| sqlite_err(&path, e))?;
            tx.commit().map_err(|e| sqlite_err(&path, e))
        })();
        self.conn.execute_batch("PRAGMA temp_store = MEMORY").map_err(|e| sqlite_err(&path, e))?;
        built
    }

    /// Builds the secondary indexes a bulk import deferred (see [`bulk`]), in one transaction; nothing when none
    /// are.
    pub fn build_deferred_indexes(&mut self) -> Result<()> {
        let turnstile = self.writer.as_ref().expect("archive opened for writing");
        build_deferred_indexes(&mut self.conn, &self.path, Some(turnstile))
    }

    /// Builds the full-text index over every turn in one pass and clears the pending mark, in one transaction.
    pub fn rebuild_index(&mut self) -> Result<()> {
        let path = self.path.clone();
        let tx = self.write_transaction()?;
        store::rebuild_index(&tx).map_err(|e| sqlite_err(&path, e))?;
        tx.commit().map_err(|e| sqlite_err(&path, e))
    }

    /// Begins a write transaction, taking this writer's turn at the archive (see [`access`]); gives up with
    /// [`ArchiveError::Busy`] after the writer's wait.
    ///
    /// # Panics
    /// When the archive was opened read-only.
    pub fn write_transaction(&mut self) -> Result<rusqlite::Transaction<'_>> {
        let turnstile = self.writer.as_ref().expect("archive opened for writing");
        access::begin(&mut self.conn, turnstile, &self.path)
    }

    /// Opens an existing archive read-only: nothing the caller does can change it, and nothing is created beside
    /// it (see [`access::open_reader`]), so it works on read-only storage.
    pub fn open_read_only(path: &Path) -> Result<Archive> {
        let wal = match access::identify(path)? {
            access::FileKind::New if !path.exists() => {
                return Err(ArchiveError::Missing { path: path.display().to_string() })
            }
            access::FileKind::New => false,
            access::FileKind::Sqlite { wal } => wal,
        };
        let conn = access::open_reader(path, wal)?;
        conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(|e| sqlite_err(path, e))?;
        configure(&conn, path, false)?;
        // No ATTACH: a read-only archive must not become a way to write another file.
        conn.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_ATTACHED, 0).map_err(|e| sqlite_err(path, e))?;
        schema::refuse_foreign(&conn, path)?;
        schema::require_current(&conn, path)?;
        Ok(Archive { conn, path: path.to_path_buf(), writer: None })
    }

    pub(crate) fn err(&self, e: rusqlite::Error) -> ArchiveError {
        sqlite_err(&self.path, e)
    }
}

impl Drop for Archive {
    /// The last writer to leave puts the archive back at rest in rollback-journal mode (see [`access`]): the WAL is
    /// checkpointed and the `-wal` and `-shm` files go away. When any other connection is still open the switch
    /// fails harmlessly and the archive stays in WAL mode until the next writer leaves.
    fn drop(&mut self) {
        if self.writer.is_some() {
            let _ = self.conn.busy_timeout(Duration::ZERO);
            let _ = self.conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()));
        }
    }
}

/// Builds the indexes a bulk import deferred, if any, in one transaction: begun through the writers' turnstile when
/// given, else by a process that holds the turn already. Sorting their keys may need more room than memory should
/// give it (peak memory stays bounded at any archive size), so the sorts spill to temporary files meanwhile.
fn build_deferred_indexes(conn: &mut Connection, path: &Path, turnstile: Option<&access::Turnstile>) -> Result<()> {
    if !bulk::indexes_deferred(conn).map_err(|e| sqlite_err(path, e))? {
        return Ok(());
    }
    conn.execute_batch("PRAGMA temp_store = FILE").map_err(|e| sqlite_err(path, e))?;
    let built = (|| {
        let tx = match turnstile {
            Some(turnstile) => access::begin(conn, turnstile, path)?,
            None => conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| sqlite_err(path, e))?,
        };
        bulk::build_deferred_indexes(&tx).map_err(|e| sqlite_err(path, e))?;
        tx.commit().map_err(|e| sqlite_err(path, e))
    })();
    conn.execute_batch("PRAGMA temp_store = MEMORY").map_err(|e| sqlite_err(path, e))?;
    built
}

/// [`Archive::refresh_coverage`] for a process that holds the writers' turn already (the one that migrates).
fn refresh_coverage(conn: &mut Connection, path: &Path) -> Result<()> {
    if !coverage::stale(conn).map_err(|e| sqlite_err(path, e))? {
        return Ok(());
    }
    let tx =
        conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(|e| sqlite_err(path, e))?;
    coverage::refresh(&tx).map_err(|e| sqlite_err(path, e))?;
    tx.commit().map_err(|e| sqlite_err(path, e))
}

/// A busy error from SQLite while opening becomes the writer's busy error (naming who holds the archive).
fn busy_or(e: ArchiveError, turnstile: &access::Turnstile) -> ArchiveError {
    match &e {
        ArchiveError::Sqlite { error, .. } if access::is_busy(error) => turnstile.busy(),
        _ => e,
    }
}

pub(crate) fn sqlite_err(path: &Path, source: rusqlite::Error) -> ArchiveError {
    if source.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
        return ArchiveError::DiskFull { path: path.display().to_string() };
    }
    ArchiveError::Sqlite { path: path.display().to_string(), error: source }
}

fn configure(conn: &Connection, path: &Path, write: bool) -> Result<()> {
    let pragmas = if write {
        // WAL: readers never block the nightly import; NORMAL sync is crash-safe in WAL mode (a power cut may lose
        // the last commits, never consistency). A 32 MB page cache: a parser per core keeps its own pattern caches,
        // and peak memory stays under 200 MB at any archive size.
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
         PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;"
    } else {
        "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;"
    };
    conn.execute_batch(pragmas).map_err(|e| sqlite_err(path, e))?;
    // Storing one call runs a few dozen distinct statements; with room for all of them none is compiled twice.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

/// Prepared statements kept per connection: more than the import's write path uses.
const STATEMENT_CACHE: usize = 128;

/// Current UTC time as stored in the archive: ISO 8601 with milliseconds.
pub fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
