//! An archive written at schema version 14 (`tests/fixtures/archive-v14.sql`, made by calldb as it was then from the
//! samples and two calls with curly quotes, dashes, euros, a sentence said twice and a withdrawal) migrates with its
//! data whole: every view gives the rows it gave before, column for column.

mod common;

use common::Env;
use rusqlite::types::Value;

/// The version-14 archive, loaded into the test's archive file.
fn v14_archive(env: &Env) {
    let dump = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive-v14.sql"),
    )
    .unwrap();
    env.conn().execute_batch(&dump).unwrap();
    assert_eq!(env.count("SELECT max(version) FROM refinery_schema_history"), 14);
    // The calls count as analysed by today's rules, so what is compared is the schema migration's doing alone: rules
    // newer than the fixture derive figures and guidance again on the next write, which other tests cover.
    let current = calldb::analysis::ANALYSIS_VERSION;
    env.conn().execute("UPDATE calls SET analysis_version = ?1", [current]).unwrap();
}

/// Every row of a query, every value as stored.
fn rows(conn: &rusqlite::Connection, sql: &str) -> Vec<Vec<Value>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The views whose rows must survive the migration, each read in a stable order.
const VIEWS: &[(&str, &str)] = &[
    ("v_guidance", "SELECT * FROM v_guidance ORDER BY guidance_id"),
    ("v_guidance_changes", "SELECT * FROM v_guidance_changes ORDER BY guidance_id"),
    ("v_metrics", "SELECT * FROM v_metrics ORDER BY metric_id"),
    ("v_turns", "SELECT * FROM v_turns ORDER BY turn_id"),
    ("v_calls", "SELECT * FROM v_calls ORDER BY call_id"),
    ("v_speakers", "SELECT * FROM v_speakers ORDER BY speaker_id"),
    ("v_exchanges", "SELECT * FROM v_exchanges ORDER BY exchange_id"),
];

#[test]
fn a_version_14_archive_migrates_and_its_views_give_the_same_rows() {
    let env = Env::new();
    v14_archive(&env);
    let before: Vec<Vec<Vec<Value>>> = VIEWS.iter().map(|(_, sql)| rows(&env.conn(), sql)).collect();
    let fixture = |name: &str| {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name))
            .unwrap()
            .replace(":ticker", "NULL")
    };
    let coverage = rows(&env.conn(), &fixture("tests/fixtures/analyst-coverage-v14.sql"));
    let guided = before[0].len();
    assert!(guided >= 10, "the fixture holds guidance ({guided} rows)");
    // The fixture's point: sentences after multi-byte characters, one sentence said twice in a turn, a withdrawal.
    assert!(
        env.count("SELECT count(*) FROM guidance WHERE sentence LIKE '%’%' OR sentence LIKE '%—%' OR text LIKE '€%'")
            > 0
    );
    assert!(
        env.count("SELECT count(*) FROM (SELECT 1 FROM guidance GROUP BY turn_id, sentence HAVING count(*) > 1)") > 0
    );
    assert_eq!(env.count("SELECT count(*) FROM guidance WHERE text = ''"), 1);

    env.calldb(&["migrate"]).assert().success();
    assert_eq!(env.count("SELECT max(version) FROM refinery_schema_history"), calldb::archive::schema::SCHEMA_VERSION);
    let conn = env.conn();
    for ((view, sql), was) in VIEWS.iter().zip(&before) {
        assert_eq!(&rows(&conn, sql), was, "{view} changed in the migration");
    }
    // analyst-coverage's rows are built for every analyst by the migrating writer, and the report gives them.
    assert!(coverage.len() >= 8);
    assert_eq!(env.count("SELECT count(*) FROM analyst_coverage_stale"), 0);
    assert_eq!(env.count("SELECT count(*) FROM analyst_coverage"), coverage.len() as i64);
    assert_eq!(rows(&conn, &fixture("sql/reports/analyst-coverage.sql")), coverage);
    // The sentences are no longer copied: the turn's text holds them.
    assert!(!env.columns("guidance").iter().any(|c| c == "sentence"));
    // Each sentence was found where its figure is: a sentence said twice points at each saying in turn.
    let twice: Vec<(i64, i64, i64)> = conn
        .prepare(
            "SELECT start_offset, sentence_start, sentence_end FROM guidance
             WHERE turn_id IN (SELECT turn_id FROM guidance GROUP BY turn_id HAVING count(DISTINCT sentence_start) > 1
                               AND count(*) = 2)
             ORDER BY guidance_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(!twice.is_empty());
    for (figure, start, end) in twice {
        assert!(start <= figure && figure < end, "the sentence at {start}..{end} does not hold the figure at {figure}");
    }
    // Nothing needed deriving again, and the next write finds nothing to do: the rows stay as they are.
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM calls WHERE analysis_version < {}",
            calldb::analysis::ANALYSIS_VERSION
        )),
        0
    );
    env.calldb(&["import", "--quiet", common::samples().to_str().unwrap()]).assert().success();
    for ((view, sql), was) in VIEWS.iter().zip(&before) {
        if *view != "v_calls" {
            assert_eq!(&rows(&env.conn(), sql), was, "{view} changed after the next write");
        }
    }
}

/// What a fresh import of the same calls stores gives the same view rows as the migrated archive.
#[test]
fn a_fresh_import_gives_the_rows_the_migrated_archive_gives() {
    let migrated = Env::new();
    v14_archive(&migrated);
    migrated.calldb(&["migrate"]).assert().success();
    let fresh = Env::new();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive-v14");
    fresh
        .calldb(&["import", "--quiet", common::samples().to_str().unwrap(), fixtures.to_str().unwrap()])
        .assert()
        .success();
    for (view, sql) in VIEWS.iter().filter(|(v, _)| *v != "v_calls") {
        assert_eq!(rows(&fresh.conn(), sql), rows(&migrated.conn(), sql), "{view}");
    }
    // A fresh import keeps a turn's speaker name only where it is not its participant's.
    assert_eq!(fresh.count("SELECT count(*) FROM turns WHERE speaker_name IS NOT NULL"), 1);
    assert_eq!(
        fresh
            .count("SELECT count(*) FROM v_turns WHERE speaker = 'Sean O’Connell' AND participant = 'Sean O''Connell'"),
        1
    );
}
