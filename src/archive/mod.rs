//! The SQLite archive: opening it (read-only or for writing), migrating it, and importing transcripts into it.
//!
//! The schema is created and upgraded only by the refinery migrations in `migrations/` (see [`schema`]). Every
//! write happens in a transaction that holds whole calls, so a crash at any moment leaves a valid archive.

pub mod identity;
pub mod import;
pub mod schema;
pub mod speakers;
pub mod store;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

/// Environment variable naming the archive when `--db` is not given.
pub const DB_ENV: &str = "CALLDB_DB";

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("archive {path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
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
    #[error("{0}")]
    Io(String),
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
}

impl Archive {
    /// Opens (creating and migrating if needed) an archive for writing.
    pub fn open_for_write(path: &Path) -> Result<Archive> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| ArchiveError::Io(format!("creating {}: {e}", parent.display())))?;
        }
        if path.exists() {
            // Check the version before touching anything, so a newer archive stays byte-for-byte untouched.
            let probe =
                Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| sqlite_err(path, e))?;
            schema::refuse_newer(&probe, path)?;
        }
        let mut conn = Connection::open(path).map_err(|e| sqlite_err(path, e))?;
        configure(&conn, path, true)?;
        schema::migrate(&mut conn, path)?;
        store::reanalyze_outdated(&mut conn).map_err(|e| sqlite_err(path, e))?;
        if store::index_pending(&conn).map_err(|e| sqlite_err(path, e))? {
            // A bulk import was interrupted before its index build: finish that first.
            store::rebuild_index(&mut conn).map_err(|e| sqlite_err(path, e))?;
        }
        Ok(Archive { conn, path: path.to_path_buf() })
    }

    /// Opens an archive that must already exist, for writing (corrections, job logs): a typo in `--db` is an error,
    /// not a new empty archive.
    pub fn open_existing_for_write(path: &Path) -> Result<Archive> {
        if !path.exists() {
            return Err(ArchiveError::Missing { path: path.display().to_string() });
        }
        Archive::open_for_write(path)
    }

    /// Opens an existing archive read-only: nothing the caller does can change it.
    pub fn open_read_only(path: &Path) -> Result<Archive> {
        if !path.exists() {
            return Err(ArchiveError::Missing { path: path.display().to_string() });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| sqlite_err(path, e))?;
        configure(&conn, path, false)?;
        // No ATTACH: a read-only archive must not become a way to write another file.
        conn.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_ATTACHED, 0).map_err(|e| sqlite_err(path, e))?;
        schema::require_current(&conn, path)?;
        Ok(Archive { conn, path: path.to_path_buf() })
    }

    pub(crate) fn err(&self, e: rusqlite::Error) -> ArchiveError {
        sqlite_err(&self.path, e)
    }
}

pub(crate) fn sqlite_err(path: &Path, source: rusqlite::Error) -> ArchiveError {
    ArchiveError::Sqlite { path: path.display().to_string(), source }
}

fn configure(conn: &Connection, path: &Path, write: bool) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(|e| sqlite_err(path, e))?;
    let pragmas = if write {
        // WAL: readers never block the nightly import; NORMAL sync is crash-safe in WAL mode (a power cut may lose
        // the last commits, never consistency).
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
         PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;"
    } else {
        "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;"
    };
    conn.execute_batch(pragmas).map_err(|e| sqlite_err(path, e))?;
    Ok(())
}

/// Current UTC time as stored in the archive: ISO 8601 with milliseconds.
pub fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
