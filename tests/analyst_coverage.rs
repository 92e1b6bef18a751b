//! analyst-coverage's rows are kept as calls are stored (`analyst_coverage`, schema V15) and stay exactly what the
//! report computed from every appearance before (`tests/fixtures/analyst-coverage-v14.sql`), through imports, deletes,
//! replacements, corrections, speaker merges and splits, raw SQL and an import killed midway.

mod common;

use std::path::{Path, PathBuf};

use common::Env;
use rusqlite::types::Value;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// Every row of a query with `:ticker` bound.
fn rows(conn: &rusqlite::Connection, sql: &str, ticker: Option<&str>) -> Vec<Vec<Value>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map(rusqlite::named_params! {":ticker": ticker}, |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The kept rows as they stand, without the report's live part for analysts marked out of date.
const KEPT: &str = "
    SELECT k.speaker_id, s.name, k.firm, k.calls, k.companies, k.tickers, k.questions, k.first_call, k.last_call
    FROM analyst_coverage k JOIN speakers s ON s.speaker_id = k.speaker_id
    WHERE :ticker IS NULL
    ORDER BY k.calls DESC, k.questions DESC, s.name, k.speaker_id";

/// The report, for every analyst and for each ticker, gives the rows the V14 query gives; unless `stale` is allowed
/// (a write was cut short), no analyst is marked and the kept rows alone are those rows.
fn assert_coverage(env: &Env, stale_allowed: bool, when: &str) {
    let (report, reference) =
        (read("sql/reports/analyst-coverage.sql"), read("tests/fixtures/analyst-coverage-v14.sql"));
    let conn = env.conn();
    let all = rows(&conn, &reference, None);
    assert!(all.len() > 10, "{when}: too few analysts to test with ({})", all.len());
    assert_eq!(rows(&conn, &report, None), all, "{when}: every analyst");
    let tickers: Vec<String> = conn
        .prepare("SELECT ticker FROM companies WHERE ticker IS NOT NULL ORDER BY ticker")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for ticker in tickers.iter().map(String::as_str).chain(["nosuch", "acme"]) {
        assert_eq!(rows(&conn, &report, Some(ticker)), rows(&conn, &reference, Some(ticker)), "{when}: {ticker}");
    }
    if !stale_allowed {
        assert_eq!(env.count("SELECT count(*) FROM analyst_coverage_stale"), 0, "{when}: rows left out of date");
        assert_eq!(rows(&conn, KEPT, None), all, "{when}: the kept rows");
    }
}

/// Generated calls (companies whose analysts cover several of them) in two folders: 60 imported here with the
/// samples and the V14 fixtures (an analyst whose line spells the name otherwise, a withdrawal), 80 more kept for
/// later. One run of the generator makes them all, so they are distinct calls.
fn archive(env: &Env) -> (PathBuf, PathBuf) {
    let all = env.path("all");
    env.calldb(&["generate", all.to_str().unwrap(), "--calls", "140"]).assert().success();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&all).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let (generated, more) = (env.path("generated"), env.path("more"));
    for (dir, part) in [(&generated, &files[..60]), (&more, &files[60..])] {
        std::fs::create_dir_all(dir).unwrap();
        for f in part {
            std::fs::rename(f, dir.join(f.file_name().unwrap())).unwrap();
        }
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive-v14");
    env.calldb(&["import", "-q", generated.to_str().unwrap()]).assert().success();
    env.calldb(&["import", "-q", common::samples().to_str().unwrap(), fixtures.to_str().unwrap()]).assert().success();
    (generated, more)
}

fn one(env: &Env, sql: &str) -> i64 {
    env.count(sql)
}

#[test]
fn kept_rows_stay_right_through_deletes_replacements_and_corrections() {
    let env = Env::new();
    let (generated, _) = archive(&env);
    assert_coverage(&env, false, "imported");

    // A call deleted: its analysts lose an appearance, some a company.
    let busiest = one(
        &env,
        "SELECT call_id FROM participants WHERE role = 'analyst' GROUP BY call_id ORDER BY count(*) DESC, call_id LIMIT 1",
    );
    env.calldb(&["calls", "delete", &busiest.to_string()]).assert().success();
    assert_coverage(&env, false, "after a delete");

    // A call replaced by a corrected copy: the new version has a new id, so its tickers move in the order.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&generated).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let fixed = env.path("fixed");
    std::fs::create_dir_all(&fixed).unwrap();
    for file in &files[..3] {
        let text = std::fs::read_to_string(file).unwrap();
        let cut = text.find("\nDuration:").unwrap_or(text.len());
        let corrected = format!("{} [corrected]{}", text[..cut].trim_end(), &text[cut..]);
        std::fs::write(fixed.join(file.file_name().unwrap()), corrected).unwrap();
    }
    let replaced_before = one(&env, "SELECT count(*) FROM deleted_calls WHERE reason = 'replaced'");
    env.calldb(&["import", "-q", "--replace", fixed.to_str().unwrap()]).assert().success();
    assert_eq!(one(&env, "SELECT count(*) FROM deleted_calls WHERE reason = 'replaced'"), replaced_before + 3);
    assert_coverage(&env, false, "after a replacement");

    // Corrections: a call moved to another ticker (a new company), a date removed, a date set.
    let moved = one(&env, "SELECT min(call_id) FROM participants WHERE role = 'analyst'");
    env.calldb(&["calls", "set", &moved.to_string(), "--ticker", "NEWCO"]).assert().success();
    assert_coverage(&env, false, "after a ticker correction");
    let undated = one(&env, "SELECT max(call_id) FROM participants WHERE role = 'analyst'");
    env.calldb(&["calls", "set", &undated.to_string(), "--no-date"]).assert().success();
    assert_coverage(&env, false, "after a date removed");
    env.calldb(&["calls", "set", &moved.to_string(), "--date", "2031-02-03"]).assert().success();
    assert_coverage(&env, false, "after a date set");

    // One person made of two, then split again by name.
    let (keep, other) = (
        one(&env, "SELECT min(speaker_id) FROM participants WHERE role = 'analyst'"),
        one(&env, "SELECT max(speaker_id) FROM participants WHERE role = 'analyst'"),
    );
    let other_name: String =
        env.conn().query_row("SELECT name FROM speakers WHERE speaker_id = ?1", [other], |r| r.get(0)).unwrap();
    env.calldb(&["speakers", "merge", &keep.to_string(), &other.to_string()]).assert().success();
    assert_coverage(&env, false, "after a merge");
    env.calldb(&["speakers", "split", &keep.to_string(), "--name", &other_name]).assert().success();
    assert_coverage(&env, false, "after a split");

    // Every call of a company deleted: the analysts who covered only it leave the report.
    env.calldb(&["calls", "delete", "--source", common::samples().to_str().unwrap()]).assert().success();
    assert_coverage(&env, false, "after deleting a source");
}

#[test]
fn raw_sql_and_an_interrupted_import_are_right_at_once_and_kept_by_the_next_writer() {
    let env = Env::new();
    let (_, more) = archive(&env);
    // A ticker learnt for a company, and a call deleted by hand with foreign keys off (as the sqlite3 shell
    // runs): its appearances stay behind, and the report leaves them out as it always did.
    let conn = env.conn();
    conn.execute("UPDATE companies SET ticker = 'RENAMED' WHERE ticker = 'ACME'", []).unwrap();
    conn.execute(
        "DELETE FROM calls WHERE call_id = (SELECT max(call_id) FROM participants WHERE role = 'analyst')",
        [],
    )
    .unwrap();
    assert!(env.count("SELECT count(*) FROM analyst_coverage_stale") > 0);
    assert_coverage(&env, true, "after raw SQL");
    env.calldb(&["migrate"]).assert().success();
    assert_coverage(&env, false, "after the next writer");

    // An import killed once its calls are stored, before anything built at its end: whatever its appearances added
    // in place or marked, the report is right, and the next import leaves nothing marked.
    let killed =
        env.calldb(&["import", "-q", more.to_str().unwrap()]).env("CALLDB_CRASH_AT", "bulk-loaded").output().unwrap();
    assert!(!killed.status.success(), "the crash point was not reached");
    assert_coverage(&env, true, "after a killed import");
    env.calldb(&["import", "-q", more.to_str().unwrap()]).assert().success();
    assert_coverage(&env, false, "after the next import");

    // The canned report runs from the command line and gives every analyst.
    let out = common::stdout_of(&mut env.calldb(&["report", "run", "analyst-coverage", "--format", "csv"]));
    assert_eq!(out.lines().count() as i64 - 1, env.count("SELECT count(*) FROM analyst_coverage"));
}

/// A call stored after every other adds to its analysts' kept rows in the trigger that sees each appearance, with no
/// row marked to build again: calls and companies counted once, a new company's ticker at the end, dates and the
/// firm of the latest call as the report computes them, for a dated, an undated and an early call, of the same
/// company, a new one with a ticker and a new one without.
#[test]
fn appearances_on_new_calls_add_to_kept_rows_in_place() {
    let env = Env::new();
    archive(&env);
    assert_coverage(&env, false, "imported");
    let conn = env.conn();
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    let source = one(
        &env,
        "SELECT call_id FROM participants WHERE role = 'analyst' GROUP BY call_id HAVING count(*) >= 2
         ORDER BY call_id LIMIT 1",
    );
    conn.execute_batch(
        "INSERT INTO companies (ticker, name, name_key) VALUES ('ZZNEW', 'Zz New', 'zz new'), (NULL, 'Zz Nameless', 'zz nameless');",
    )
    .unwrap();
    let copies: [(&str, &str, i64); 4] = [
        ("(SELECT company_id FROM calls WHERE call_id = ?1)", "'2099-01-15'", 2099),
        ("(SELECT company_id FROM companies WHERE ticker = 'ZZNEW')", "NULL", 2098),
        ("(SELECT company_id FROM companies WHERE name = 'Zz Nameless')", "'1990-01-02'", 2097),
        ("(SELECT company_id FROM calls WHERE call_id = ?1)", "'2099-01-15'", 2096),
    ];
    for (company, date, year) in copies {
        conn.execute(
            &format!(
                "INSERT INTO calls (call_id, company_id, title, fiscal_year, fiscal_quarter, call_date, participant_count,
                     turn_count, word_count, source_path, content_hash, byte_size, imported_at, parser_version, layout)
                 SELECT (SELECT max(call_id) FROM calls) + 1, {company}, title, {year}, fiscal_quarter, {date},
                        participant_count, 0, 0, source_path, content_hash || '-{year}', byte_size, imported_at,
                        parser_version, layout
                 FROM calls WHERE call_id = ?1"
            ),
            [source],
        )
        .unwrap();
        // Every participant again, and one analyst twice (listed under another spelling, say).
        // Each copy's firms are spelled its own way, so which appearance gave the firm shows.
        conn.execute(
            &format!(
                "INSERT INTO participants (call_id, speaker_id, name, title, firm, role, listed, ordinal, turns, words)
                 SELECT (SELECT max(call_id) FROM calls), speaker_id, name, title, firm || ' ({year})', role, listed,
                        ordinal, turns, words
                 FROM participants WHERE call_id = ?1 ORDER BY participant_id"
            ),
            [source],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO participants (call_id, speaker_id, name, title, firm, role, listed, ordinal, turns, words)
             SELECT (SELECT max(call_id) FROM calls), speaker_id, name, title, firm, role, 0, 100, 1, 5
             FROM participants WHERE call_id = ?1 AND role = 'analyst' ORDER BY participant_id LIMIT 1",
            [source],
        )
        .unwrap();
    }
    assert_eq!(one(&env, "SELECT count(*) FROM analyst_coverage_stale"), 0, "kept in place, none marked");
    assert_coverage(&env, false, "after new calls stored by hand");
}
