//! Schema versions: the refinery migrations in `migrations/`, embedded in the binary.

use std::path::Path;

use rusqlite::Connection;

use super::{sqlite_err, ArchiveError, Result};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The newest schema version this binary knows: the highest-numbered file in `migrations/` (a test holds the two
/// together). A constant, because every command checks it when it opens the archive, and reading it off the embedded
/// migrations would parse all of their names and sums on each run.
pub const SCHEMA_VERSION: i64 = 16;

/// The newest schema version this binary knows.
pub fn known_version() -> i64 {
    SCHEMA_VERSION
}

/// How many migrations this binary knows (versions need not be consecutive: they are numbered as they land).
pub fn known_migrations() -> usize {
    embedded::migrations::runner().get_migrations().len()
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
    not_newer(current_version(conn, path)?, path)
}

fn not_newer(found: i64, path: &Path) -> Result<()> {
    let known = known_version();
    if found > known {
        return Err(ArchiveError::NewerSchema { path: path.display().to_string(), found, known });
    }
    Ok(())
}

/// Refuses an SQLite database that holds tables but no calldb schema history: another application's data.
pub fn refuse_foreign(conn: &Connection, path: &Path) -> Result<()> {
    let (objects, has_history): (i64, bool) = conn
        .query_row(
            "SELECT count(*), coalesce(sum(name = 'refinery_schema_history'), 0) > 0 FROM sqlite_master
             WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| sqlite_err(path, e))?;
    if objects > 0 && !has_history {
        return Err(ArchiveError::Foreign {
            path: path.display().to_string(),
            what: format!("an SQLite database of another application ({objects} tables and views, none of calldb's)"),
        });
    }
    Ok(())
}

/// For read-only use: the archive must be exactly at this binary's version.
pub fn require_current(conn: &Connection, path: &Path) -> Result<()> {
    let found = current_version(conn, path)?;
    not_newer(found, path)?;
    let known = known_version();
    if found < known {
        return Err(ArchiveError::Outdated { path: path.display().to_string(), found, known });
    }
    Ok(())
}

/// Applies every migration the archive lacks, all in one transaction.
///
/// Foreign-key enforcement is off while they run (SQLite only allows switching it outside a transaction): a
/// migration that rebuilds a table (V8) would otherwise cascade the drop of the old table into every table that
/// references it. Such a migration checks the keys itself before it commits; enforcement is back on afterwards
/// whatever happened.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    refuse_newer(conn, path)?;
    if current_version(conn, path)? >= known_version() {
        return Ok(());
    }
    let sql_err = |e| sqlite_err(path, e);
    let enforced: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).map_err(sql_err)?;
    conn.execute_batch("PRAGMA foreign_keys = OFF").map_err(sql_err)?;
    let result = embedded::migrations::runner()
        .set_grouped(true)
        .run(conn)
        .map_err(|e| ArchiveError::Migration { path: path.display().to_string(), message: e.to_string() });
    if enforced {
        conn.execute_batch("PRAGMA foreign_keys = ON").map_err(sql_err)?;
    }
    result.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_version_is_the_newest_migration() {
        let newest = embedded::migrations::runner().get_migrations().iter().map(|m| i64::from(m.version())).max();
        assert_eq!(Some(SCHEMA_VERSION), newest, "SCHEMA_VERSION must name the newest file in migrations/");
    }

    /// An archive written at schema version 3 (before people, exchanges, figures and search) upgrades in place:
    /// aliases and normalized firms are backfilled, the full-text index is built, and opening it for writing
    /// re-analyses its calls.
    #[test]
    fn version_3_archive_upgrades_with_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let mut conn = Connection::open(&path).unwrap();
        embedded::migrations::runner().set_target(refinery::Target::Version(3)).run(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO companies (company_id, ticker, name) VALUES (1, 'ACME', 'Acme');
             INSERT INTO calls (call_id, company_id, title, fiscal_year, fiscal_quarter, call_date, call_time, timezone,
                 starts_at_utc, participant_count, turn_count, word_count, source_path, content_hash, byte_size,
                 imported_at, parser_version, layout)
             VALUES (1, 1, 'Q1 2021 Earnings Call', 2021, 1, '2021-04-27', '08:30', 'America/New_York',
                 '2021-04-27T12:30:00Z', 1, 2, 12, 'x.txt', 'h', 1, '2021-05-01T00:00:00.000Z', 'p', 'fool-classic');
             INSERT INTO sections VALUES (1, 1, 1, 'qa', 'Questions and Answers:');
             INSERT INTO speakers VALUES (1, 'Jane Doe');
             INSERT INTO participants (participant_id, call_id, speaker_id, name, title, firm, role, listed, ordinal)
             VALUES (1, 1, 1, 'Jane Doe', 'Analyst', 'KeyBanc Capital Markets.', 'analyst', 1, 1),
                    (2, 1, NULL, 'Operator', NULL, NULL, 'operator', 0, 2);
             INSERT INTO turns (turn_id, call_id, section_id, ordinal, participant_id, speaker_line, kind, text,
                 paragraphs, words, source_line)
             VALUES (1, 1, 1, 1, 2, 'Operator', 'operator', 'Next question.', 1, 2, 10),
                    (2, 1, 1, 2, 1, 'Jane Doe', 'question', 'Is revenue of $5 million on track?', 1, 7, 12);",
        )
        .unwrap();
        drop(conn);

        let archive = crate::archive::Archive::open_for_write(&path, crate::archive::DEFAULT_WAIT).unwrap();
        let c = &archive.conn;
        let one = |sql: &str| -> String { c.query_row(sql, [], |r| r.get::<_, String>(0)).unwrap() };
        assert_eq!(current_version(c, &path).unwrap(), known_version());
        assert_eq!(one("SELECT alias FROM speaker_aliases WHERE speaker_id = 1"), "Jane Doe");
        assert_eq!(one("SELECT firm_normalized FROM participants WHERE participant_id = 1"), "keybanc capital markets");
        assert_eq!(
            one("SELECT text FROM turns_fts WHERE turns_fts MATCH 'revenue'"),
            "Is revenue of $5 million on track?"
        );
        assert_eq!(one("SELECT subject || ' ' || value FROM metrics"), "revenue 5000000.0");
        assert_eq!(one("SELECT questions || '/' || answers FROM exchanges"), "1/0");
        // V9 sums what each role said from the participants rows.
        assert_eq!(one("SELECT group_concat(role, ' ') FROM call_roles WHERE call_id = 1"), "analyst operator");
        let differing: i64 = c
            .query_row(
                "SELECT count(*) FROM (SELECT call_id, role, sum(turns), sum(words) FROM participants GROUP BY 1, 2
                 EXCEPT SELECT call_id, role, turns, words FROM call_roles)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(differing, 0);
        assert_eq!(
            one("SELECT analysts || '/' || questions || '/' || answers || '/' || question_words FROM call_qa"),
            "1/1/0/7"
        );
    }

    /// An archive written at schema version 5, holding a call with everything that hangs off it, upgrades to the
    /// publishers schema without losing a row: companies, calls and the import log are rebuilt in place, every
    /// reference still holds, the copy is recorded as the call's stored source, and calls without a ticker or date
    /// can be stored afterwards.
    #[test]
    fn version_5_archive_with_data_upgrades_through_the_table_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v5.db");
        let mut conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        embedded::migrations::runner().set_target(refinery::Target::Version(5)).run(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO companies (company_id, ticker, name) VALUES (7, 'ACME', 'Acme Corp.');
             INSERT INTO calls (call_id, company_id, title, fiscal_year, fiscal_quarter, call_date, call_time, timezone,
                 starts_at_utc, participant_count, turn_count, word_count, source_path, content_hash, byte_size,
                 imported_at, parser_version, layout, analysis_version, source_url, header_sources)
             VALUES (3, 7, 'Q1 2021 Earnings Call', 2021, 1, '2021-04-27', '08:30', 'America/New_York',
                 '2021-04-27T12:30:00Z', 1, 2, 12, 'x.txt', 'h', 1, '2021-05-01T00:00:00.000Z', 'p', 'fool-classic',
                 999, 'https://example.com/acme', '{}');
             INSERT INTO sections VALUES (1, 3, 1, 'qa', 'Questions and Answers:');
             INSERT INTO speakers VALUES (1, 'Jane Doe');
             INSERT INTO speaker_keys VALUES ('firm:keybanc capital markets|jane|doe', 1);
             INSERT INTO participants (participant_id, call_id, speaker_id, name, title, firm, role, listed, ordinal,
                 firm_normalized)
             VALUES (1, 3, 1, 'Jane Doe', 'Analyst', 'KeyBanc Capital Markets.', 'analyst', 1, 1, 'keybanc capital markets'),
                    (2, 3, NULL, 'Operator', NULL, NULL, 'operator', 0, 2, NULL);
             INSERT INTO turns (turn_id, call_id, section_id, ordinal, participant_id, speaker_line, kind, text,
                 paragraphs, words, source_line)
             VALUES (1, 3, 1, 1, 2, 'Operator', 'operator', 'Next question.', 1, 2, 10),
                    (2, 3, 1, 2, 1, 'Jane Doe', 'question', 'Is revenue of $5 million on track?', 1, 7, 12);
             INSERT INTO turns_fts (turns_fts) VALUES ('rebuild');
             INSERT INTO editorial_items VALUES (1, 3, 'summary', 'SUMMARY', 1, 1, 'A good quarter.', 4);
             INSERT INTO imports (path, content_hash, byte_size, status, call_id, started_at, finished_at)
             VALUES ('x.txt', 'h', 1, 'imported', 3, '2021-05-01', '2021-05-01');",
        )
        .unwrap();
        drop(conn);

        let archive = crate::archive::Archive::open_for_write(&path, crate::archive::DEFAULT_WAIT).unwrap();
        let c = &archive.conn;
        let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
        let text = |sql: &str| -> String { c.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(current_version(c, &path).unwrap(), known_version());
        assert_eq!(count("SELECT count(*) FROM pragma_foreign_key_check"), 0);
        assert!(c.query_row("PRAGMA foreign_keys", [], |r| r.get::<_, bool>(0)).unwrap(), "enforcement is back on");
        assert_eq!(
            text("SELECT ticker || ' ' || company || ' ' || source_url FROM v_calls WHERE call_id = 3"),
            "ACME Acme Corp. https://example.com/acme"
        );
        assert_eq!(count("SELECT count(*) FROM v_turns WHERE call_id = 3"), 2);
        assert_eq!(
            text("SELECT text FROM turns_fts WHERE turns_fts MATCH 'revenue'"),
            "Is revenue of $5 million on track?"
        );
        assert_eq!(count("SELECT count(*) FROM v_editorial WHERE call_id = 3"), 1);
        assert_eq!(count("SELECT count(*) FROM imports WHERE call_id = 3 AND status = 'imported'"), 1);
        assert_eq!(text("SELECT event FROM calls WHERE call_id = 3"), "earnings");
        assert_eq!(text("SELECT name_key FROM companies WHERE company_id = 7"), "acme");
        assert_eq!(text("SELECT layout || ' ' || stored FROM v_call_sources WHERE call_id = 3"), "fool-classic 1");
        // Deleting the call still cascades through the rebuilt table.
        c.execute_batch(
            "INSERT INTO companies (ticker, name, name_key) VALUES (NULL, 'Beta Holdings', 'beta');
             INSERT INTO calls (company_id, title, fiscal_year, fiscal_quarter, participant_count, turn_count,
                 word_count, source_path, content_hash, byte_size, imported_at, parser_version, layout)
             SELECT company_id, 'Q2 2022 Earnings Call', 2022, 2, 0, 0, 0, 'y.txt', 'h2', 1, 'now', 'p', 'capiq'
             FROM companies WHERE ticker IS NULL;
             DELETE FROM calls WHERE call_id = 3;",
        )
        .unwrap();
        assert_eq!(count("SELECT count(*) FROM turns"), 0);
        assert_eq!(count("SELECT count(*) FROM call_sources"), 0);
        assert_eq!(count("SELECT count(*) FROM v_calls WHERE ticker IS NULL AND call_date IS NULL"), 1);
        assert_eq!(count("SELECT count(*) FROM imports WHERE call_id IS NULL"), 1);
    }
}
