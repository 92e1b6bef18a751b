//! The user curating their archive (`calls set`, `calls delete`, ignore lists), and outputs that hold every call
//! exactly once whatever happens: ids never reused, and exports and jobs killed at every step of publishing
//! (`CALLDB_CRASH_AT`, which aborts the process as `kill -9` would), then run again.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{samples, Env};
use predicates::prelude::*;
use predicates::str::contains;

fn text(env: &Env, sql: &str) -> String {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A call with no ticker anywhere (a record naming only its company).
fn tickerless(env: &Env) -> PathBuf {
    let path = env.path("fernhill.json");
    let content =
        "Operator: Welcome to the Fernhill Energy call. I will turn it over to Nora Vance. Please go ahead.\n\
                   Nora Vance: Thank you. Output rose 4% and costs fell in the quarter.\n\
                   Operator: Our first question comes from Eli Brandt with Crestview.\n\
                   Eli Brandt: What about the new field?\nNora Vance: First production is due next year.";
    let record = serde_json::json!({"company": "Fernhill Energy", "year": 2024, "quarter": 2, "content": content});
    std::fs::write(&path, record.to_string()).unwrap();
    path
}

#[test]
fn corrections_are_recorded_and_survive_re_reading_the_file() {
    let env = Env::new();
    let file = tickerless(&env);
    env.calldb(&["import", file.to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM v_calls WHERE ticker IS NULL"), 1);
    // Re-importing with --replace cannot invent a ticker; a correction can.
    env.calldb(&["import", "--replace", file.to_str().unwrap()]).assert().success().stderr(contains("1 unchanged"));
    env.calldb(&["calls", "set", "1", "--ticker", "frnh", "--fiscal-period", "2024Q3", "--date", "2024-11-05"])
        .assert()
        .success()
        .stdout(contains("ticker: none → FRNH").and(contains("fiscal_period: 2024Q2 → 2024Q3")));
    assert_eq!(
        text(&env, "SELECT ticker || ' ' || fiscal_year || ' Q' || fiscal_quarter || ' ' || call_date || ' ' || title FROM v_calls"),
        "FRNH 2024 Q3 2024-11-05 Q3 2024 Earnings Call"
    );
    assert_eq!(text(&env, "SELECT json_extract(header_sources, '$.ticker') FROM v_calls"), "correction");
    assert_eq!(env.count("SELECT count(*) FROM v_corrections"), 3);
    assert_eq!(
        text(&env, "SELECT old_value || '>' || new_value FROM v_corrections WHERE field = 'fiscal_period'"),
        "2024Q2>2024Q3"
    );
    // The people are found again under the company the call moved to.
    assert_eq!(env.count("SELECT count(*) FROM v_speakers WHERE tickers LIKE '%FRNH%'"), 2);
    // Re-read (--replace reads every file): the corrections hold, and the call is unchanged.
    env.calldb(&["import", "--replace", file.to_str().unwrap()]).assert().success().stderr(contains("1 unchanged"));
    assert_eq!(text(&env, "SELECT ticker || ' ' || fiscal_quarter FROM v_calls"), "FRNH 3");
    env.calldb(&["calls", "set", "FRNH:2024Q3", "--company", "Fernhill Energy Inc."]).assert().success();
    assert_eq!(text(&env, "SELECT company FROM v_calls"), "Fernhill Energy Inc.");
    // A correction that would make two calls one is refused, naming the other.
    env.calldb(&["import", samples().to_str().unwrap(), "-q"]).assert().success();
    env.calldb(&["calls", "set", "ACME:2021Q1", "--fiscal-period", "2020Q4"])
        .assert()
        .code(2)
        .stderr(contains("already that company's Q4 2020 call"));
    env.calldb(&["calls", "set", "1"]).assert().code(2).stderr(contains("nothing to set"));
    // A title printed in the text that only names the period follows a corrected period, and re-reading the file
    // with its correction applied finds the call as stored: unchanged, same id, no tombstone.
    let acme = samples().join("acme-robotics-q1-2021.txt");
    env.calldb(&["calls", "set", "ACME:2021Q1", "--fiscal-period", "2021Q2"]).assert().success();
    let id =
        env.count("SELECT call_id FROM v_calls WHERE ticker = 'ACME' AND fiscal_quarter = 2 AND fiscal_year = 2021");
    assert_eq!(text(&env, &format!("SELECT title FROM v_calls WHERE call_id = {id}")), "Q2 2021 Earnings Call");
    env.calldb(&["import", "--replace", acme.to_str().unwrap()]).assert().success().stderr(contains("1 unchanged"));
    assert_eq!(env.count(&format!("SELECT count(*) FROM v_calls WHERE call_id = {id}")), 1);
    assert_eq!(env.count("SELECT count(*) FROM v_deleted_calls"), 0);
    // Who corrected is the account's name even where $USER is unset (cron).
    let out =
        env.calldb(&["calls", "set", &id.to_string(), "--no-date"]).env_remove("USER").env_remove("LOGNAME").output();
    assert!(out.unwrap().status.success());
    assert!(!text(&env, "SELECT corrected_by FROM v_corrections ORDER BY correction_id DESC LIMIT 1")
        .starts_with("unknown@"));
}

/// `import --replace` reads a file again when the facts given for it change what it makes, not only its bytes.
#[test]
fn replace_re_reads_a_file_whose_given_facts_changed() {
    let env = Env::new();
    let block = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/records/whole/FRNH_2024_Q1.txt");
    env.calldb(&["import", "--name-pattern", "{company}_{year}_Q{quarter}.txt", block.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(env.count("SELECT count(*) FROM v_calls WHERE ticker IS NULL"), 1);
    env.calldb(&["import", "--name-pattern", "{ticker}_{year}_Q{quarter}.txt", block.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains("1 unchanged"));
    env.calldb(&["import", "--replace", "--name-pattern", "{ticker}_{year}_Q{quarter}.txt", block.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains("1 replaced"));
    assert_eq!(text(&env, "SELECT ticker FROM v_calls"), "FRNH");
    assert_eq!(env.count("SELECT count(*) FROM v_deleted_calls WHERE reason = 'replaced'"), 1);
}

#[test]
fn deleting_calls_removes_them_whole_and_logs_them() {
    let env = Env::new();
    env.import_samples();
    let other = tickerless(&env);
    env.calldb(&["import", other.to_str().unwrap()]).assert().success();
    let before_people = env.count("SELECT count(*) FROM speakers");
    env.calldb(&["calls", "delete", "--source", samples().to_str().unwrap()])
        .assert()
        .success()
        .stdout(contains("deleted 3 calls"));
    assert_eq!(env.count("SELECT count(*) FROM calls"), 1);
    for table in ["turns", "metrics", "exchanges", "participants", "call_sources", "call_roles", "call_qa"] {
        assert_eq!(
            env.count(&format!("SELECT count(*) FROM {table} WHERE call_id NOT IN (SELECT call_id FROM calls)")),
            0,
            "{table}"
        );
    }
    // People and companies with no call left go too; the search index matches the turns.
    assert!(env.count("SELECT count(*) FROM speakers") < before_people);
    assert_eq!(env.count("SELECT count(*) FROM speakers WHERE speaker_id NOT IN (SELECT speaker_id FROM participants WHERE speaker_id IS NOT NULL)"), 0);
    assert_eq!(env.count("SELECT count(*) FROM companies"), 1);
    env.assert_search_index_whole();
    assert_eq!(env.count("SELECT count(*) FROM v_deleted_calls WHERE reason = 'deleted'"), 3);
    // Imported again later, they come back with new ids (ids are never given twice).
    env.import_samples();
    assert_eq!(env.count("SELECT count(*) FROM calls WHERE call_id <= 4 AND call_id <> 4"), 0);
    env.calldb(&["calls", "delete", "999"]).assert().code(2).stderr(contains("no call with id 999"));
}

#[test]
fn ignore_lists_leave_files_alone_and_count_them() {
    let env = Env::new();
    let inbox = env.path("inbox");
    std::fs::create_dir_all(inbox.join("briefs")).unwrap();
    std::fs::create_dir_all(inbox.join("copies")).unwrap();
    for f in std::fs::read_dir(samples()).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, inbox.join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(inbox.join("briefs/brief.txt"), "Event Brief: not a transcript").unwrap();
    std::fs::write(inbox.join("copies/dup.txt"), "not a transcript either").unwrap();
    std::fs::write(inbox.join(".calldbignore"), "briefs/\n").unwrap();
    env.calldb(&["import", "--exclude", "copies", inbox.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains("2 files or folders ignored").and(contains("3 files: 3 imported")));
}

#[test]
fn a_replaced_call_gets_a_new_id_and_incremental_exports_see_it_and_its_tombstone() {
    let env = Env::new();
    env.import_samples();
    let lake = env.path("lake");
    let export = || {
        env.calldb(&["export", lake.to_str().unwrap(), "--format", "ndjson", "--since-last-export", "-q"])
            .assert()
            .success();
    };
    export();
    let newest: i64 = env.count("SELECT max(call_id) FROM calls");
    // Replace the call with the highest id by a corrected copy.
    let path: String = text(&env, &format!("SELECT source_path FROM calls WHERE call_id = {newest}"));
    let fixed = env.path("fixed.txt");
    let body = std::fs::read_to_string(&path).unwrap();
    let cut = body.find("\nDuration:").unwrap();
    std::fs::write(&fixed, format!("{} zeugmatic{}", body[..cut].trim_end(), &body[cut..])).unwrap();
    env.calldb(&["import", "--replace", fixed.to_str().unwrap()]).assert().success().stderr(contains("1 replaced"));
    let replacement: i64 = env.count("SELECT max(call_id) FROM calls");
    assert!(replacement > newest, "the id {newest} was given again");
    export();
    let lake_calls = rows(&lake, "v_calls");
    let tombstones = rows(&lake, "v_deleted_calls");
    assert!(lake_calls.iter().any(|r| r["call_id"] == replacement), "the new version was exported");
    assert_eq!(tombstones.len(), 1);
    assert_eq!(tombstones[0]["call_id"], newest);
    assert_eq!(tombstones[0]["reason"], "replaced");
    assert_eq!(tombstones[0]["replaced_by"], replacement);
    assert_exactly_once(&env, &lake);
}

/// Every row of a view across an NDJSON export folder.
fn rows(lake: &Path, view: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let dir = lake.join(view);
    if !dir.is_dir() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.file_type().is_file() && name.starts_with("part-") {
            for line in std::fs::read_to_string(entry.path()).unwrap().lines().filter(|l| !l.is_empty()) {
                out.push(serde_json::from_str(line).unwrap());
            }
        }
    }
    out
}

/// The lake holds every call of the archive exactly once, once tombstoned versions are dropped, and no pending or
/// temporary file.
fn assert_exactly_once(env: &Env, lake: &Path) {
    let dead: Vec<i64> = rows(lake, "v_deleted_calls").iter().map(|r| r["call_id"].as_i64().unwrap()).collect();
    let mut seen: BTreeMap<i64, usize> = BTreeMap::new();
    for r in rows(lake, "v_calls") {
        *seen.entry(r["call_id"].as_i64().unwrap()).or_default() += 1;
    }
    assert!(seen.values().all(|n| *n == 1), "a call written twice: {seen:?}");
    let live: Vec<i64> = seen.keys().copied().filter(|id| !dead.contains(id)).collect();
    let conn = env.conn();
    let archived: Vec<i64> = conn
        .prepare("SELECT call_id FROM calls ORDER BY call_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(live, archived, "the lake's live calls are the archive's");
    let leftovers: Vec<String> = walkdir::WalkDir::new(lake)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".calldb-pending") || n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "left beside the outputs: {leftovers:?}");
}

#[test]
fn exports_killed_at_every_step_hold_every_call_once() {
    for step in ["export-written", "export-recorded", "export-published"] {
        let env = Env::new();
        let corpus = env.path("corpus");
        let files = calldb::synth::generate(&corpus, 9, 5).unwrap();
        let (first, rest) = files.split_at(4);
        for f in first {
            env.calldb(&["import", "-q", f.to_str().unwrap()]).assert().success();
        }
        let lake = env.path("lake");
        let export = |crash: Option<&str>| {
            let mut cmd =
                env.calldb(&["export", lake.to_str().unwrap(), "--format", "ndjson", "--since-last-export", "-q"]);
            if let Some(at) = crash {
                cmd.env("CALLDB_CRASH_AT", at);
            }
            cmd.output().unwrap()
        };
        export(None);
        for f in rest {
            env.calldb(&["import", "-q", f.to_str().unwrap()]).assert().success();
        }
        let killed = export(Some(step));
        assert!(!killed.status.success(), "{step}: the crash point was not reached");
        // Whatever the kill left, the next exports finish it, and together they hold each call once.
        assert!(export(None).status.success());
        assert!(export(None).status.success());
        assert_exactly_once(&env, &lake);
        // A full export killed before its files are in place leaves the previous one whole.
        let full = env.path("full");
        env.calldb(&["export", full.to_str().unwrap(), "--format", "ndjson", "-q"]).assert().success();
        let before = rows(&full, "v_turns").len();
        env.calldb(&["calls", "delete", "1"]).assert().success();
        let mut cmd = env.calldb(&["export", full.to_str().unwrap(), "--format", "ndjson", "-q"]);
        cmd.env("CALLDB_CRASH_AT", "export-written");
        assert!(!cmd.output().unwrap().status.success());
        assert_eq!(rows(&full, "v_turns").len(), before, "{step}: the previous full export was touched");
    }
}

/// A job file with one `since_last_run` job writing the calls report as NDJSON under `{datetime}` names.
fn job_file(env: &Env) -> PathBuf {
    let path = env.path("jobs.toml");
    std::fs::write(
        &path,
        "[[job]]\nname = \"new-calls\"\nreport = \"calls\"\nformat = \"ndjson\"\nsince_last_run = true\noutput = \"out/{name}-{datetime}.ndjson\"\n",
    )
    .unwrap();
    path
}

/// Every call id in the job's outputs, with how many outputs hold it; and the files that are not outputs.
fn job_outputs(env: &Env) -> (BTreeMap<i64, usize>, Vec<String>) {
    let mut seen = BTreeMap::new();
    let mut stray = Vec::new();
    let out = env.path("out");
    if !out.is_dir() {
        return (seen, stray);
    }
    for entry in std::fs::read_dir(out).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".ndjson") || name.starts_with('.') {
            stray.push(name);
            continue;
        }
        for line in std::fs::read_to_string(&p).unwrap().lines().filter(|l| !l.is_empty()) {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            *seen.entry(row["call_id"].as_i64().unwrap()).or_default() += 1;
        }
    }
    (seen, stray)
}

#[test]
fn jobs_killed_at_every_step_report_every_call_once() {
    for step in ["job-logged", "job-written", "job-recorded", "job-published"] {
        let env = Env::new();
        let corpus = env.path("corpus");
        let files = calldb::synth::generate(&corpus, 6, 11).unwrap();
        let jobs = job_file(&env);
        let run = |crash: Option<&str>| {
            let mut cmd = env.calldb(&["jobs", "run", "-q", jobs.to_str().unwrap()]);
            if let Some(at) = crash {
                cmd.env("CALLDB_CRASH_AT", at);
            }
            cmd.output().unwrap()
        };
        env.calldb(&["import", "-q", files[0].to_str().unwrap(), files[1].to_str().unwrap()]).assert().success();
        assert!(run(None).status.success());
        env.calldb(&["import", "-q", files[2].to_str().unwrap(), files[3].to_str().unwrap()]).assert().success();
        assert!(!run(Some(step)).status.success(), "{step}: the crash point was not reached");
        env.calldb(&["import", "-q", files[4].to_str().unwrap(), files[5].to_str().unwrap()]).assert().success();
        assert!(run(None).status.success());
        assert!(run(None).status.success());
        let (seen, stray) = job_outputs(&env);
        assert!(stray.is_empty(), "{step}: left beside the outputs: {stray:?}");
        assert_eq!(seen.len(), 6, "{step}: every call reported: {seen:?}");
        assert!(seen.values().all(|n| *n == 1), "{step}: a call reported twice: {seen:?}");
    }
}

#[test]
fn overlapping_runs_of_a_job_take_turns() {
    let env = Env::new();
    let corpus = env.path("corpus");
    let files = calldb::synth::generate(&corpus, 8, 3).unwrap();
    let jobs = job_file(&env);
    for f in &files {
        env.calldb(&["import", "-q", f.to_str().unwrap()]).assert().success();
        let runs: Vec<_> = (0..2)
            .map(|_| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("calldb"))
                    .args(["--db", env.db.to_str().unwrap(), "jobs", "run", "-q", jobs.to_str().unwrap()])
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut r in runs {
            assert!(r.wait().unwrap().success());
        }
    }
    let (seen, stray) = job_outputs(&env);
    assert!(stray.is_empty(), "{stray:?}");
    assert_eq!(seen.len(), files.len());
    assert!(seen.values().all(|n| *n == 1), "a call reported twice: {seen:?}");
}
