//! `calldb import`, `calls`, `show` and `migrate` end to end, on temporary archives.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{sample_text, samples, stdout_of, Env};
use predicates::prelude::*;

#[test]
fn import_lists_and_shows_calls() {
    let env = Env::new();
    env.calldb(&["import", samples().to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("3 imported, 0 unchanged, 0 replaced, 0 conflicts, 0 failed"));
    assert_eq!(env.count("SELECT count(*) FROM calls"), 3);
    assert_eq!(env.count("SELECT count(*) FROM turns"), 21 + 12 + 8);
    assert_eq!(env.count("SELECT count(*) FROM imports WHERE status = 'imported'"), 3);

    let csv = stdout_of(&mut env.calldb(&["calls", "--format", "csv"]));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[0].starts_with("call_id,ticker,company,fiscal_year,fiscal_quarter,call_date"));
    assert!(lines[1].contains("ACME,Acme Robotics Inc,2020,4,2021-02-09,17:00,America/New_York,29"), "{csv}");

    let filtered =
        stdout_of(&mut env.calldb(&["calls", "--ticker", "acme", "--since", "2021-03-01", "--format", "json"]));
    let rows: serde_json::Value = serde_json::from_str(&filtered).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["fiscal_quarter"], 1);
    env.calldb(&["calls", "--since", "May 2021"]).assert().failure().stderr(predicate::str::contains("YYYY-MM-DD"));

    let shown = stdout_of(&mut env.calldb(&["show", "ACME:2021Q1"]));
    assert!(shown.starts_with("Acme Robotics Inc (NASDAQ:ACME) — Q1 2021 Earnings Call"), "{shown}");
    assert!(shown.contains("2021-04-27 08:30 America/New_York (2021-04-27T12:30:00Z) · 38 minutes"));
    assert!(shown.contains("== Questions and Answers =="));
    assert!(shown.contains("[6] Drew Patel -- Citigroup -- Analyst (question)"));
    assert!(shown.contains("    Before we begin, please note"));
    env.calldb(&["show", "ACME:2019Q1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no call for ACME Q1 2019"));
}

#[test]
fn reimport_is_a_no_op() {
    let env = Env::new();
    env.import_samples();
    let before = env.count("SELECT max(turn_id) FROM turns");
    env.calldb(&["import", samples().to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("0 imported, 3 unchanged"));
    assert_eq!(env.count("SELECT count(*) FROM calls"), 3);
    assert_eq!(env.count("SELECT max(turn_id) FROM turns"), before);
    assert_eq!(env.count("SELECT count(*) FROM imports WHERE status = 'unchanged' AND call_id IS NOT NULL"), 3);
}

/// A nightly import indexes a transaction's calls for search together: FTS5 writes what it has gathered as a new
/// segment whenever a statement begins, so indexing call by call would leave one segment per call, each to be read by
/// every search and merged later.
#[test]
fn a_small_import_indexes_each_transaction_as_one_segment() {
    let env = Env::new();
    let segments = || env.count("SELECT count(DISTINCT segid) FROM turns_fts_idx");
    env.import_samples();
    assert_eq!(env.count("SELECT count(*) FROM calls"), 3);
    assert_eq!(segments(), 1);
    let corpus = env.path("nightly");
    let files = calldb::synth::generate(&corpus, 12, 5).unwrap();
    env.calldb(&["import", "--quiet", corpus.to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM calls"), 3 + files.len() as i64);
    assert_eq!(segments(), 2);
    // Every turn is found through the index, and the index agrees with the turns it was built from.
    assert_eq!(env.count("SELECT count(*) FROM turns_fts_docsize"), env.count("SELECT count(*) FROM turns"));
    env.assert_search_index_whole();
}

/// Two corrected copies of one call in one small `--replace` import: the second replaces a call stored moments
/// before in the same transaction, whose speech is not in the search index yet. The index stays whole.
#[test]
fn a_call_replaced_twice_in_one_small_import_keeps_the_search_index_whole() {
    let env = Env::new();
    env.import_samples();
    let folder = env.path("corrections");
    std::fs::create_dir_all(&folder).unwrap();
    let text = sample_text("initech-q2-2021.txt");
    for (name, word) in [("a-first.txt", "zeugmatic"), ("b-second.txt", "quixotical")] {
        let corrected = text.replacen("revenue", word, 1);
        assert_ne!(corrected, text);
        std::fs::write(folder.join(name), corrected).unwrap();
    }
    env.calldb(&["import", "--replace", folder.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("2 replaced"));
    env.assert_search_index_whole();
    assert_eq!(env.count("SELECT count(*) FROM calls"), 3);
    assert_eq!(env.count("SELECT count(*) FROM turns_fts WHERE turns_fts MATCH 'quixotical'"), 1);
    assert_eq!(env.count("SELECT count(*) FROM turns_fts WHERE turns_fts MATCH 'zeugmatic'"), 0);
    assert_eq!(env.count("SELECT count(*) FROM turns_fts_docsize"), env.count("SELECT count(*) FROM turns"));
}

/// Fresh copies of the bundled samples in `dir`.
fn copied_samples(env: &Env, dir: &str) -> std::path::PathBuf {
    let folder = env.path(dir);
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(samples()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
    }
    folder
}

/// Copies of the bundled samples whose change times are over a second old, as a folder of downloaded transcripts is
/// by the time a nightly import reads it.
fn settled_samples(env: &Env, dir: &str) -> std::path::PathBuf {
    let folder = copied_samples(env, dir);
    std::thread::sleep(Duration::from_millis(1_100));
    folder
}

/// A re-import recognises a file that looks exactly as it did when it was read (device, inode, size, modification
/// and change times) without reading it again.
#[test]
fn an_unchanged_file_is_recognised_by_its_signature_without_being_read() {
    let env = Env::new();
    let folder = settled_samples(&env, "transcripts");
    env.calldb(&["import", "--quiet", folder.to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM file_signatures"), 3);
    assert_eq!(env.count("SELECT count(*) FROM file_signatures s JOIN calls c USING (content_hash)"), 3);
    env.calldb(&["import", folder.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("0 imported, 3 unchanged"));
    // Proof that the files were not read: point one file's signature at another call's content; the re-import
    // takes the signature's word for it (reading the file would have found its own call).
    let conn = env.conn();
    let (first, second): (String, String) =
        conn.query_row("SELECT min(path), max(path) FROM file_signatures", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    conn.execute(
        "UPDATE file_signatures SET content_hash = (SELECT content_hash FROM file_signatures WHERE path = ?2)
         WHERE path = ?1",
        [&first, &second],
    )
    .unwrap();
    env.calldb(&["import", "--quiet", folder.to_str().unwrap()]).assert().success();
    let logged_call = |path: &str| -> i64 {
        conn.query_row("SELECT call_id FROM imports WHERE path = ?1 ORDER BY import_id DESC LIMIT 1", [path], |r| {
            r.get(0)
        })
        .unwrap()
    };
    assert_eq!(logged_call(&first), logged_call(&second));
    // `--replace` reads every file, whatever its signature says.
    env.calldb(&["import", "--quiet", "--replace", folder.to_str().unwrap()]).assert().success();
    assert_ne!(logged_call(&first), logged_call(&second));
}

/// A file rewritten in place keeps nothing of its signature that matters: even with its old size and modification
/// time put back, its change time moved, so it is read again and its new content found.
#[test]
fn a_rewritten_file_is_read_again_even_with_its_old_size_and_times() {
    let env = Env::new();
    let folder = settled_samples(&env, "transcripts");
    env.calldb(&["import", "--quiet", folder.to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM file_signatures"), 3);
    let file = folder.join("initech-q2-2021.txt");
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen("revenue", "REVENUE", 1);
    assert_ne!(edited, text);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&file, &edited).unwrap();
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(modified).unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), modified);
    env.calldb(&["import", folder.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("conflict: ").and(predicate::str::contains("initech-q2-2021.txt")));
}

/// A file whose times are not over a second in the past when it is read gets no signature: its times could still be
/// those of a write in the same clock tick. It is read again next time (hashed, and found unchanged that way).
/// (Times an hour ahead stand for "just written" here, so that a slow machine cannot make the test pass a second.)
#[test]
fn a_file_changed_too_recently_gets_no_signature_and_is_read_again() {
    let env = Env::new();
    let folder = copied_samples(&env, "fresh");
    let ahead = std::time::SystemTime::now() + Duration::from_secs(3_600);
    for entry in std::fs::read_dir(&folder).unwrap() {
        std::fs::File::options().write(true).open(entry.unwrap().path()).unwrap().set_modified(ahead).unwrap();
    }
    env.calldb(&["import", "--quiet", folder.to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM calls"), 3);
    assert_eq!(env.count("SELECT count(*) FROM file_signatures"), 0);
    env.calldb(&["import", folder.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("0 imported, 3 unchanged"));
    assert_eq!(env.count("SELECT count(*) FROM file_signatures"), 0);
}

#[test]
fn a_different_file_for_an_archived_call_is_a_conflict_unless_replace() {
    let env = Env::new();
    env.import_samples();
    let edited = env.path("edited/acme-q1-fixed.txt");
    std::fs::create_dir_all(edited.parent().unwrap()).unwrap();
    std::fs::write(
        &edited,
        sample_text("acme-robotics-q1-2021.txt").replace("Mix and freight, yes.", "Mix and freight, yes. And pricing."),
    )
    .unwrap();

    env.calldb(&["import", edited.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("conflict:").and(predicate::str::contains("--replace")));
    assert_eq!(env.count("SELECT count(*) FROM turns WHERE text LIKE '%And pricing.%'"), 0);
    assert_eq!(env.count("SELECT count(*) FROM imports WHERE status = 'conflict'"), 1);

    env.calldb(&["import", "--replace", edited.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 replaced"));
    assert_eq!(env.count("SELECT count(*) FROM calls"), 3);
    assert_eq!(env.count("SELECT count(*) FROM turns WHERE text LIKE '%And pricing.%'"), 1);
    assert_eq!(env.count("SELECT count(*) FROM calls WHERE source_path LIKE '%acme-q1-fixed.txt'"), 1);
    // Nothing of the old call is left behind.
    assert_eq!(env.count("SELECT count(*) FROM turns WHERE call_id NOT IN (SELECT call_id FROM calls)"), 0);
    assert_eq!(env.count("SELECT count(*) FROM participants WHERE call_id NOT IN (SELECT call_id FROM calls)"), 0);
}

#[test]
fn bad_files_are_reported_and_the_rest_imports() {
    let env = Env::new();
    let dir = env.path("in");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["acme-robotics-q1-2021.txt", "initech-q2-2021.txt"] {
        std::fs::copy(samples().join(name), dir.join(name)).unwrap();
    }
    let broken =
        sample_text("acme-robotics-q4-2020.txt").replace("Feb 9, 2021, 5:00 p.m. ET", "Feb 30, 2021, 5:00 p.m. ET");
    std::fs::write(dir.join("acme-broken.txt"), broken).unwrap();
    std::fs::write(dir.join("notes.md"), "not a transcript").unwrap();

    let out = env.calldb(&["import", dir.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("acme-broken.txt:7: expected the call date"), "{stderr}");
    assert!(stderr.contains("no such date"), "{stderr}");
    assert!(stderr.contains("2 imported, 0 unchanged, 0 replaced, 0 conflicts, 1 failed"), "{stderr}");
    assert_eq!(env.count("SELECT count(*) FROM calls"), 2);
    assert_eq!(
        env.count("SELECT count(*) FROM imports WHERE status = 'failed' AND line = 7 AND path LIKE '%acme-broken.txt'"),
        1
    );

    // --strict stops at the first failure (files are taken in name order: the broken one comes first).
    let strict = Env::new();
    let out = strict.calldb(&["import", "--strict", dir.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--strict"));
    assert_eq!(strict.count("SELECT count(*) FROM calls"), 0);

    // --glob changes which files a folder yields.
    let md = Env::new();
    md.calldb(&["import", "--glob", "*.md", dir.to_str().unwrap()]).assert().code(1).stderr(
        predicate::str::contains("notes.md")
            .and(predicate::str::contains("not a transcript in a layout calldb reads"))
            .and(predicate::str::contains("no transcript header in the first 40 lines")),
    );
}

#[test]
fn missing_paths_and_empty_folders_are_clear_errors() {
    let env = Env::new();
    env.calldb(&["import", env.path("nope.txt").to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nope.txt: cannot read file"));
    std::fs::create_dir_all(env.path("empty")).unwrap();
    env.calldb(&["import", env.path("empty").to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no files matching `*.{txt,html,htm,pdf,json,jsonl,ndjson,csv,tsv,parquet}`"));
}

#[test]
fn reading_commands_never_create_or_write_an_archive() {
    let env = Env::new();
    env.calldb(&["calls"]).assert().failure().stderr(predicate::str::contains("does not exist yet"));
    assert!(!env.db.exists());
}

#[test]
fn archive_path_from_env_then_default() {
    let env = Env::new();
    let via_env = env.path("from-env.db");
    let mut cmd = assert_cmd::Command::cargo_bin("calldb").unwrap();
    cmd.env("CALLDB_DB", &via_env)
        .env("XDG_DATA_HOME", env.path("data"))
        .env("HOME", env.dir.path())
        .args(["import", "--quiet", samples().to_str().unwrap()])
        .assert()
        .success();
    assert!(via_env.exists());

    let mut cmd = assert_cmd::Command::cargo_bin("calldb").unwrap();
    cmd.env_remove("CALLDB_DB")
        .env("XDG_DATA_HOME", env.path("data"))
        .env("HOME", env.dir.path())
        .args(["import", "--quiet", samples().to_str().unwrap()])
        .assert()
        .success();
    assert!(env.path("data/calldb/calldb.db").exists());
}

#[test]
fn views_have_the_documented_columns() {
    let env = Env::new();
    env.import_samples();
    let calls = env.columns("v_calls");
    for c in [
        "call_id",
        "ticker",
        "company",
        "exchange",
        "title",
        "fiscal_year",
        "fiscal_quarter",
        "call_date",
        "call_time",
        "timezone",
        "starts_at_utc",
        "duration_minutes",
        "price_change_pct",
        "participants",
        "turns",
        "words",
        "source_path",
        "content_hash",
        "imported_at",
    ] {
        assert!(calls.iter().any(|x| x == c), "v_calls lacks {c}");
    }
    let turns = env.columns("v_turns");
    for c in [
        "turn_id",
        "call_id",
        "ticker",
        "company",
        "call_date",
        "fiscal_year",
        "fiscal_quarter",
        "section",
        "ordinal",
        "speaker",
        "title",
        "firm",
        "role",
        "kind",
        "text",
        "words",
    ] {
        assert!(turns.iter().any(|x| x == c), "v_turns lacks {c}");
    }
    let (title, firm): (String, String) = env
        .conn()
        .query_row("SELECT title, firm FROM v_turns WHERE speaker = 'Drew Kim' LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((title.as_str(), firm.as_str()), ("Analyst", "JPMorgan"));
    let words: i64 =
        env.count("SELECT words FROM v_calls WHERE fiscal_year = 2021 AND fiscal_quarter = 1 AND ticker = 'ACME'");
    assert_eq!(
        words,
        env.count("SELECT sum(words) FROM v_turns WHERE ticker = 'ACME' AND fiscal_year = 2021 AND fiscal_quarter = 1")
    );
}

#[test]
fn migrations_create_and_upgrade_and_refuse_newer_archives() {
    let env = Env::new();
    env.calldb(&["migrate"]).assert().success();
    let version = env.count("SELECT max(version) FROM refinery_schema_history");
    assert_eq!(version, calldb::archive::schema::known_version());
    env.calldb(&["migrate"]).assert().success();
    assert_eq!(
        env.count("SELECT count(*) FROM refinery_schema_history"),
        calldb::archive::schema::known_migrations() as i64
    );
    assert_eq!(
        env.count("SELECT count(*) FROM sqlite_master WHERE name IN ('v_calls', 'v_turns', 'calls', 'turns')"),
        4
    );

    // An archive from a newer calldb: refused, byte for byte untouched.
    env.conn()
        .execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (9999, 'future', '2030-01-01', '0')",
            [],
        )
        .unwrap();
    let before = std::fs::read(&env.db).unwrap();
    env.calldb(&["import", samples().to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("newer calldb").and(predicate::str::contains("9999")));
    env.calldb(&["calls"]).assert().failure().stderr(predicate::str::contains("newer calldb"));
    assert_eq!(std::fs::read(&env.db).unwrap(), before);
}

/// A count read from the archive while a writer works (read-only, so polling never creates the file): `None` while
/// there is no archive or its schema is not there yet.
fn count_while_writing(db: &std::path::Path, sql: &str) -> Option<i64> {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = rusqlite::Connection::open_with_flags(db, flags).ok()?;
    conn.query_row(sql, [], |r| r.get(0)).ok()
}

/// Waits until `sql` counts more than `before` in the archive a child is writing (or the child has exited, or 20 s
/// have passed), so a kill lands where the test means it to whatever the machine's speed; then waits `then` more.
fn wait_for_progress(child: &mut std::process::Child, db: &std::path::Path, sql: &str, before: i64, then: Duration) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        if count_while_writing(db, sql).is_some_and(|n| n > before) {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(then);
}

/// `kill -9` at moments of a folder import from just after its first batch on: the archive stays valid, holds only
/// whole calls, and a re-run completes it without duplicates.
#[test]
fn killed_imports_leave_whole_calls_and_finish_on_rerun() {
    let env = Env::new();
    let corpus = env.path("corpus");
    let files = calldb::synth::generate(&corpus, 240, 11).unwrap();
    let mut seen_partial = false;
    // Each round kills its import this long after the import's first batch of new calls is committed.
    for (round, delay_ms) in [0u64, 0, 10, 30, 60, 120, 250, 500, 1000].into_iter().enumerate() {
        let before = count_while_writing(&env.db, "SELECT count(*) FROM calls").unwrap_or(0);
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("calldb"))
            .args([
                "--db",
                env.db.to_str().unwrap(),
                "import",
                "--quiet",
                "--batch-size",
                "8",
                corpus.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for_progress(&mut child, &env.db, "SELECT count(*) FROM calls", before, Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL (the import may have finished already)
        child.wait().unwrap();
        if !env.db.exists() {
            continue;
        }
        let conn = env.conn();
        let migrated: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'calls'", [], |r| r.get(0)).unwrap();
        if migrated == 0 {
            continue; // killed before the schema transaction committed: an empty, valid archive
        }
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok", "round {round}");
        let partial: i64 = conn
            .query_row(
                "SELECT count(*) FROM calls c WHERE turn_count <> (SELECT count(*) FROM turns t WHERE t.call_id = c.call_id)
                    OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.call_id = c.call_id)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(partial, 0, "round {round}: half-imported calls");
        let calls: i64 = conn.query_row("SELECT count(*) FROM calls", [], |r| r.get(0)).unwrap();
        seen_partial |= calls > 0 && calls < files.len() as i64;
    }
    assert!(seen_partial, "no kill landed in the middle of an import; adjust the delays");
    env.calldb(&["import", "--quiet", corpus.to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM calls"), files.len() as i64);
    // The full-text index covers every turn again, whatever the kills interrupted.
    env.conn().execute("INSERT INTO turns_fts (turns_fts) VALUES ('integrity-check')", []).unwrap();
    assert_eq!(env.count("SELECT count(*) FROM archive_state WHERE key = 'fts'"), 0);
    assert_eq!(env.count("SELECT count(*) FROM calls WHERE analysis_version = 0"), 0);
    assert_eq!(env.count("SELECT count(DISTINCT content_hash) FROM calls"), files.len() as i64);
    env.calldb(&["import", corpus.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("0 imported, {} unchanged", files.len())));
}

/// An archive of `calls` synthetic calls, and a folder `fixed` of a corrected copy of each (one word added):
/// what a bulk `import --replace` swaps in.
fn archive_with_corrections(env: &Env, calls: usize, seed: u64) -> (Vec<std::path::PathBuf>, std::path::PathBuf) {
    let corpus = env.path("corpus");
    let files = calldb::synth::generate(&corpus, calls, seed).unwrap();
    env.calldb(&["import", "--quiet", corpus.to_str().unwrap()]).assert().success();
    let fixed = env.path("fixed");
    corrected_copies(&files, &fixed, "zeugmatic");
    (files, fixed)
}

/// Corrected copies of `files` in `into`: one word more at the end of each call's last paragraph.
fn corrected_copies(files: &[std::path::PathBuf], into: &std::path::Path, word: &str) {
    std::fs::create_dir_all(into).unwrap();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let cut = text.find("\nDuration:").unwrap();
        let fixed = format!("{} {word}{}", text[..cut].trim_end(), &text[cut..]);
        std::fs::write(into.join(f.file_name().unwrap()), fixed).unwrap();
    }
}

/// `import --replace` of a whole archive empties the search index and rebuilds it at the end, instead of taking
/// every old turn out of it one by one: the index then matches the new text exactly, and nothing is left marked.
/// Interrupted while the index is emptied, the archive stays consistent (turns deleted meanwhile leave the index
/// alone) and the next write rebuilds it.
#[test]
fn bulk_replace_rebuilds_the_search_index_whole() {
    let env = Env::new();
    let (files, fixed) = archive_with_corrections(&env, 60, 17);
    env.calldb(&["import", "--replace", fixed.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("{} replaced", files.len())));
    let conn = env.conn();
    env.assert_search_index_whole();
    assert_eq!(env.count("SELECT count(*) FROM archive_state WHERE key = 'fts'"), 0);
    assert_eq!(env.count("SELECT count(*) FROM turns_fts WHERE turns_fts MATCH 'zeugmatic'"), files.len() as i64);
    assert_eq!(env.count("SELECT count(*) FROM calls"), files.len() as i64);
    // What each role said is kept with the replacing call, equal to its participants' sums; the old call's went.
    let role_sums_differ = "SELECT count(*) FROM (
        SELECT call_id, role, sum(turns), sum(words) FROM participants GROUP BY 1, 2
        EXCEPT SELECT call_id, role, turns, words FROM call_roles)";
    assert_eq!(env.count(role_sums_differ), 0);
    assert_eq!(env.count("SELECT count(*) FROM call_roles WHERE call_id NOT IN (SELECT call_id FROM calls)"), 0);
    assert_eq!(
        env.count("SELECT count(*) FROM call_roles"),
        env.count("SELECT count(*) FROM (SELECT DISTINCT call_id, role FROM participants)")
    );
    // So are its questions and answers, equal to what its turns say.
    let qa_differs = "SELECT count(*) FROM (
        SELECT call_id, count(DISTINCT CASE WHEN kind = 'question' THEN participant_id END), sum(kind = 'question'),
               sum(kind = 'answer'), coalesce(sum(CASE WHEN kind = 'question' THEN words END), 0),
               coalesce(sum(CASE WHEN kind = 'answer' THEN words END), 0)
        FROM turns GROUP BY call_id
        EXCEPT SELECT call_id, analysts, questions, answers, question_words, answer_words FROM call_qa)";
    assert_eq!(env.count(qa_differs), 0);
    assert_eq!(env.count("SELECT count(*) FROM call_qa"), files.len() as i64);

    // A call deleted while the index is emptied (an interrupted bulk replace): the triggers leave the index alone.
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    let index_rows = || env.count("SELECT count(*) FROM turns_fts_data");
    conn.execute_batch(
        "BEGIN; INSERT INTO turns_fts (turns_fts) VALUES ('delete-all');
         INSERT INTO archive_state (key, value) VALUES ('fts', 'emptied'); COMMIT;",
    )
    .unwrap();
    let before = index_rows();
    conn.execute("DELETE FROM calls WHERE call_id = (SELECT min(call_id) FROM calls)", []).unwrap();
    assert_eq!(index_rows(), before, "the delete trigger wrote to an emptied index");
    env.calldb(&["search", "zeugmatic"]).assert().success().stderr(predicate::str::contains("incomplete"));
    // The next write rebuilds it from the turns.
    env.calldb(&["migrate"]).assert().success();
    env.assert_search_index_whole();
    assert_eq!(env.count("SELECT count(*) FROM archive_state WHERE key = 'fts'"), 0);
    assert_eq!(env.count("SELECT count(*) FROM turns_fts WHERE turns_fts MATCH 'zeugmatic'"), files.len() as i64 - 1);
    // Otherwise a deleted call's turns leave the index at once.
    let before = index_rows();
    conn.execute("DELETE FROM calls WHERE call_id = (SELECT min(call_id) FROM calls)", []).unwrap();
    assert!(index_rows() > before, "the delete trigger did not keep the index in step");
    env.assert_search_index_whole();
    assert_eq!(env.count("SELECT count(*) FROM turns_fts WHERE turns_fts MATCH 'zeugmatic'"), files.len() as i64 - 2);
}

/// `kill -9` during an `import --replace` of a whole archive (the index emptied, triggers standing aside): the
/// archive stays valid with whole calls, and the next run rebuilds the index and finishes the replacement.
#[test]
fn killed_bulk_replace_leaves_a_valid_archive_and_a_rebuilt_index() {
    let env = Env::new();
    let (files, fixed) = archive_with_corrections(&env, 200, 23);
    let mut interrupted = false;
    // Each round kills the import this long after it has set the index aside (its first transaction).
    for delay_ms in [0u64, 20, 80, 200, 500] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("calldb"))
            .args(["--db", env.db.to_str().unwrap(), "import", "--quiet", "--replace", "--batch-size", "16"])
            .arg(&fixed)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let aside = "SELECT count(*) FROM archive_state WHERE key = 'fts'";
        wait_for_progress(&mut child, &env.db, aside, 0, Duration::from_millis(delay_ms));
        let _ = child.kill(); // the import may have finished already
        child.wait().unwrap();
        let conn = env.conn();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
        let partial = env.count(
            "SELECT count(*) FROM calls c WHERE turn_count <> (SELECT count(*) FROM turns t WHERE t.call_id = c.call_id)",
        );
        assert_eq!(partial, 0, "half-replaced calls");
        assert_eq!(env.count("SELECT count(*) FROM calls"), files.len() as i64, "a call lost or doubled");
        interrupted |= env.count("SELECT count(*) FROM archive_state WHERE key = 'fts'") > 0;
        // Whatever the kill left, reading works (an emptied index finds nothing, it never fails).
        env.calldb(&["search", "zeugmatic"]).assert().success();
        // The next write rebuilds the index, and it matches the turns exactly.
        env.calldb(&["migrate"]).assert().success();
        env.assert_search_index_whole();
    }
    assert!(interrupted, "no kill landed while the index was set aside; adjust the delays");
    env.calldb(&["import", "--quiet", "--replace", fixed.to_str().unwrap()]).assert().success();
    env.assert_search_index_whole();
    assert_eq!(env.count("SELECT count(*) FROM turns_fts WHERE turns_fts MATCH 'zeugmatic'"), files.len() as i64);
    assert_eq!(env.count("SELECT count(*) FROM archive_state WHERE key = 'fts'"), 0);
}
