//! Schema versions: the refinery migrations in `migrations/`, embedded in the binary.

use std::path::Path;

use rusqlite::Connection;

use super::{sqlite_err, ArchiveError, Result};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The newest schema version this binary knows.
pub fn known_version() -> i64 {
    embedded::migrations::runner().get_migrations().iter().map(|m| i64::from(m.version())).max().unwrap_or(0)
}

/// The archive's schema version (0 for a new, empty file).
pub fn current_version(conn: &Connection, path: &Path) -> Result<i64> {
    let has_history: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'refinery_schema_history'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(|e| sqlite_err(path, e))?
        > 0;
    if !has_history {
        return Ok(0);
    }
    conn.query_row("SELECT coalesce(max(version), 0) FROM refinery_schema_history", [], |r| r.get(0))
        .map_err(|e| sqlite_err(path, e))
}

/// Refuses an archive whose schema is newer than this binary's migrations.
pub fn refuse_newer(conn: &Connection, path: &Path) -> Result<()> {
    let found = current_version(conn, path)?;
    let known = known_version();
    if found > known {
        return Err(ArchiveError::NewerSchema { path: path.display().to_string(), found, known });
    }
    Ok(())
}

/// For read-only use: the archive must be exactly at this binary's version.
pub fn require_current(conn: &Connection, path: &Path) -> Result<()> {
    refuse_newer(conn, path)?;
    let found = current_version(conn, path)?;
    let known = known_version();
    if found < known {
        return Err(ArchiveError::Outdated { path: path.display().to_string(), found, known });
    }
    Ok(())
}

/// Applies every migration the archive lacks, each in its own transaction.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    refuse_newer(conn, path)?;
    embedded::migrations::runner()
        .set_grouped(true)
        .run(conn)
        .map_err(|e| ArchiveError::Migration { path: path.display().to_string(), message: e.to_string() })?;
    Ok(())
}
