//! Bulk loads: secondary indexes built once after the rows are in, not row by row as they arrive.
//!
//! A B-tree index kept up to date while rows are inserted in an order it does not share (metrics by subject, calls
//! by date) takes a page read and write per row; built afterwards, SQLite sorts its keys once and writes each page
//! once. Every bulk loader works this way (`pg_restore`, `sqlite-utils insert` then `create-index`). So an import
//! large against the archive it goes into drops the indexes in [`DEFERRED`] in its first transaction, loads, and
//! builds them again from their own definitions at its end.
//!
//! Only indexes that readers use are deferred. The importer's own look-ups (a call by its identity, content by its
//! hash, a speaker by key, a call's turns when two copies of it meet) keep theirs, and so does everything a delete
//! needs: a bulk load that replaces calls (`--replace`) defers nothing, since each delete cascades through the
//! child tables by these very indexes.
//!
//! Crash safety: each definition is kept in `archive_state` (`index:NAME` → its `CREATE INDEX` statement, exactly
//! as the migration wrote it) in the same transaction that drops it, so the archive always knows what it lacks.
//! The next writer builds them before anything else: [`super::Archive::upkeep`], and before a migration runs, so a
//! migration always finds the schema the previous one left. Meanwhile the archive is whole and every query answers
//! the same, only slower.

use rusqlite::{Connection, OptionalExtension};

/// Indexes a bulk load may build at its end instead of row by row. None is used while an import that replaces no
/// call writes (module docs).
pub const DEFERRED: &[&str] = &[
    "turns_by_section",
    "turns_by_participant",
    "metrics_by_turn",
    "metrics_by_call",
    "metrics_by_subject",
    "guidance_by_call",
    "guidance_by_turn",
    "exchanges_by_participant",
    "annotations_by_turn",
    "participants_by_firm",
    "calls_by_date",
    "calls_by_imported_at",
];

const KEY_PREFIX: &str = "index:";

/// Drops the deferrable indexes the archive has, keeping each definition in `archive_state`, inside the caller's
/// transaction. Returns how many were dropped.
pub fn defer_indexes(tx: &Connection) -> rusqlite::Result<usize> {
    let mut dropped = 0;
    for name in DEFERRED {
        let sql: Option<String> = tx
            .query_row("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1", [name], |r| r.get(0))
            .optional()?;
        let Some(sql) = sql else { continue };
        tx.execute(
            "INSERT INTO archive_state (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [format!("{KEY_PREFIX}{name}"), sql],
        )?;
        tx.execute(&format!("DROP INDEX \"{name}\""), [])?;
        dropped += 1;
    }
    Ok(dropped)
}

/// True when indexes were deferred and not built yet (a bulk import under way, or one that was interrupted).
pub fn indexes_deferred(conn: &Connection) -> rusqlite::Result<bool> {
    let has_state: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'archive_state')",
        [],
        |r| r.get(0),
    )?;
    if !has_state {
        return Ok(false);
    }
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM archive_state WHERE key >= ?1 AND key < ?2)",
        [KEY_PREFIX, "index;"],
        |r| r.get(0),
    )
}

/// Builds every deferred index from its kept definition and forgets the definition, inside the caller's
/// transaction. Returns how many were built.
pub fn build_deferred_indexes(tx: &Connection) -> rusqlite::Result<usize> {
    let kept: Vec<(String, String)> = tx
        .prepare("SELECT key, value FROM archive_state WHERE key >= ?1 AND key < ?2 ORDER BY key")?
        .query_map([KEY_PREFIX, "index;"], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (key, sql) in &kept {
        let name = &key[KEY_PREFIX.len()..];
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if !exists {
            tx.execute_batch(sql)?;
        }
        tx.execute("DELETE FROM archive_state WHERE key = ?1", [key])?;
    }
    Ok(kept.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn, std::path::Path::new(":memory:")).unwrap();
        conn
    }

    fn schema(conn: &Connection) -> Vec<(String, String)> {
        conn.prepare("SELECT name, coalesce(sql, '') FROM sqlite_master ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn deferred_indexes_come_back_exactly_as_the_migrations_wrote_them() {
        let conn = archive();
        let before = schema(&conn);
        assert!(!indexes_deferred(&conn).unwrap());
        assert_eq!(defer_indexes(&conn).unwrap(), DEFERRED.len(), "every deferred index exists in the schema");
        assert!(indexes_deferred(&conn).unwrap());
        let dropped = schema(&conn);
        for name in DEFERRED {
            assert!(!dropped.iter().any(|(n, _)| n == name), "{name} dropped");
        }
        // Deferring twice loses nothing: the definitions kept stay.
        assert_eq!(defer_indexes(&conn).unwrap(), 0);
        assert_eq!(build_deferred_indexes(&conn).unwrap(), DEFERRED.len());
        assert!(!indexes_deferred(&conn).unwrap());
        assert_eq!(schema(&conn), before);
    }

    #[test]
    fn an_index_already_built_again_is_only_forgotten() {
        let conn = archive();
        let before = schema(&conn);
        defer_indexes(&conn).unwrap();
        conn.execute_batch("CREATE INDEX calls_by_date ON calls (call_date)").unwrap();
        assert_eq!(build_deferred_indexes(&conn).unwrap(), DEFERRED.len());
        assert_eq!(schema(&conn), before);
    }
}
