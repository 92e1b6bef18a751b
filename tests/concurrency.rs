//! Overlapping runs, done for real with separate `calldb` processes: two imports at once, jobs and readers while
//! imports run, a writer that gives up, two processes creating one archive, and `kill -9` at every stage.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{samples, Env};

fn calldb_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("calldb")
}

fn spawn(env: &Env, args: &[&str]) -> Child {
    Command::new(calldb_bin())
        .env_remove("CALLDB_DB")
        .env("HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.path("data"))
        .env("XDG_CONFIG_HOME", env.path("config"))
        .arg("--db")
        .arg(&env.db)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child) -> (bool, String, String) {
    let out = child.wait_with_output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// Synthetic calls split into two folders (one generator run, so no two files describe the same call).
fn two_halves(env: &Env, calls: usize) -> (PathBuf, PathBuf) {
    let all = env.path("all");
    let files = calldb::synth::generate(&all, calls, 7).unwrap();
    let (a, b) = (env.path("half-a"), env.path("half-b"));
    for (i, f) in files.iter().enumerate() {
        let dir = if i % 2 == 0 { &a } else { &b };
        std::fs::create_dir_all(dir).unwrap();
        std::fs::rename(f, dir.join(f.file_name().unwrap())).unwrap();
    }
    (a, b)
}

/// The archive is valid: SQLite and FTS5 integrity, and every call whole (its turns all there, logged as imported).
fn assert_valid(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let has_calls: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'calls'", [], |r| r.get(0)).unwrap();
    if has_calls == 0 {
        return;
    }
    conn.execute("INSERT INTO turns_fts (turns_fts) VALUES ('integrity-check')", []).unwrap();
    let partial: i64 = conn
        .query_row(
            "SELECT count(*) FROM calls c WHERE turn_count <> (SELECT count(*) FROM turns t WHERE t.call_id = c.call_id)
                OR participant_count > (SELECT count(*) FROM participants p WHERE p.call_id = c.call_id)
                OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.call_id = c.call_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(partial, 0, "half-stored calls");
}

/// A count from the archive; 0 before its schema exists.
fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap_or(0)
}

/// Two imports of different folders started together, while a job with `since_last_run` runs in a loop and readers
/// query: both imports succeed, every call lands once, no job or read fails, and the job's outputs together hold
/// every call exactly once.
#[test]
fn overlapping_imports_jobs_and_readers_lose_nothing() {
    let env = Env::new();
    let (a, b) = two_halves(&env, 160);
    // The archive exists before the jobs start (they refuse a missing archive, which is right).
    env.calldb(&["migrate"]).assert().success();
    let jobs = env.path("jobs.toml");
    std::fs::write(
        &jobs,
        "[[job]]\nname = \"new-calls\"\nreport = \"calls\"\nformat = \"csv\"\noutput = \"out/new-calls.csv\"\nsince_last_run = true\n",
    )
    .unwrap();

    let imports = [
        spawn(&env, &["import", "--quiet", "--batch-size", "8", a.to_str().unwrap()]),
        spawn(&env, &["import", "--quiet", "--batch-size", "8", b.to_str().unwrap()]),
    ];
    let mut reported: HashMap<String, usize> = HashMap::new();
    let mut runs = 0;
    let mut reads = 0;
    let collect = |reported: &mut HashMap<String, usize>| {
        let (ok, stdout, stderr) = finish(spawn(&env, &["jobs", "run", jobs.to_str().unwrap()]));
        assert!(ok, "a job failed while imports ran:\n{stdout}\n{stderr}");
        let csv = std::fs::read_to_string(env.path("out/new-calls.csv")).unwrap();
        for line in csv.lines().skip(1) {
            *reported.entry(line.split(',').next().unwrap().to_string()).or_default() += 1;
        }
    };
    let mut imports: Vec<Child> = imports.into();
    let mut results = Vec::new();
    while !imports.is_empty() {
        collect(&mut reported);
        runs += 1;
        for args in
            [&["calls", "--format", "csv"][..], &["query", "SELECT count(*) FROM v_turns"], &["search", "revenue"]]
        {
            let (ok, _, stderr) = finish(spawn(&env, args));
            assert!(ok, "{args:?} failed during an import: {stderr}");
            reads += 1;
        }
        let mut still = Vec::new();
        for mut child in imports {
            if child.try_wait().unwrap().is_some() {
                results.push(finish(child));
            } else {
                still.push(child);
            }
        }
        imports = still;
    }
    collect(&mut reported);
    for (ok, _, stderr) in &results {
        assert!(ok, "an import failed: {stderr}");
    }
    assert_eq!(count(&env.db, "SELECT count(*) FROM calls"), 160);
    assert_eq!(count(&env.db, "SELECT count(DISTINCT content_hash) FROM calls"), 160);
    assert_valid(&env.db);
    let ids: Vec<i64> = {
        let conn = env.conn();
        let mut stmt = conn.prepare("SELECT call_id FROM calls").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    for id in &ids {
        assert_eq!(
            reported.get(&id.to_string()),
            Some(&1),
            "call {id} reported {:?} times",
            reported.get(&id.to_string())
        );
    }
    assert_eq!(reported.len(), ids.len(), "reported calls that are not archived");
    assert!(runs >= 2 && reads >= 3, "the imports ended before anything overlapped ({runs} runs)");
    assert_eq!(count(&env.db, "SELECT count(*) FROM report_runs WHERE status = 'failed'"), 0);
}

/// A writer that cannot get its turn within `--wait` says who holds the archive, exits 75 and changes nothing.
#[test]
fn a_writer_that_gives_up_names_the_holder_and_changes_nothing() {
    let env = Env::new();
    env.import_samples();
    let imports_before = env.count("SELECT count(*) FROM imports");
    let holder = env.conn();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let out = env.calldb(&["import", "--wait", "1", samples().to_str().unwrap()]).output().unwrap();
    let waited = started.elapsed();
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{stderr}");
    assert!(stderr.contains("is busy") && stderr.contains("nothing was changed"), "{stderr}");
    // The last calldb writer was the sample import, which has ended: the message says another program holds it.
    assert!(stderr.contains("another program"), "{stderr}");
    assert!(waited >= Duration::from_millis(900), "gave up after {waited:?}, before --wait");
    assert_eq!(env.count("SELECT count(*) FROM imports"), imports_before);

    // While a calldb writer is at work, the message names its command and pid.
    let corpus = env.path("big");
    calldb::synth::generate(&corpus, 200, 3).unwrap();
    let long = spawn(&env, &["import", "--quiet", "--batch-size", "200", corpus.to_str().unwrap()]);
    let pid = long.id();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut named = false;
    while Instant::now() < deadline && !named {
        let out = env.calldb(&["speakers", "merge", "1", "2", "--wait", "0"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        named = out.status.code() == Some(75) && stderr.contains(&format!("pid {pid}")) && stderr.contains("import");
        if out.status.success() {
            break; // the import had not started writing yet, or had finished: the merge took its turn
        }
    }
    let (ok, _, stderr) = finish(long);
    assert!(ok, "{stderr}");
    assert!(named || env.count("SELECT count(*) FROM speaker_corrections") == 1);
}

/// Two processes creating the same new archive at once: one migrates, the other waits and proceeds.
#[test]
fn two_processes_create_one_archive() {
    for round in 0..4 {
        let env = Env::new();
        let children: Vec<Child> = (0..3)
            .map(|i| {
                if i == 0 {
                    spawn(&env, &["migrate"])
                } else {
                    spawn(&env, &["import", "--quiet", samples().join("initech-q2-2021.txt").to_str().unwrap()])
                }
            })
            .collect();
        for child in children {
            let (ok, _, stderr) = finish(child);
            assert!(ok, "round {round}: {stderr}");
        }
        assert_eq!(env.count("SELECT count(*) FROM calls"), 1);
        assert_eq!(
            env.count("SELECT count(*) FROM refinery_schema_history"),
            env.count("SELECT count(DISTINCT version) FROM refinery_schema_history")
        );
        assert_valid(&env.db);
    }
}

/// Corrections during an import both complete, and the correction holds.
#[test]
fn speaker_corrections_during_an_import_complete() {
    let env = Env::new();
    env.import_samples();
    let (keep, other): (i64, i64) = env
        .conn()
        .query_row("SELECT min(speaker_id), max(speaker_id) FROM speakers", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let moved: Vec<i64> = {
        let conn = env.conn();
        let mut stmt = conn.prepare("SELECT participant_id FROM participants WHERE speaker_id = ?1").unwrap();
        stmt.query_map([other], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert!(!moved.is_empty());
    let corpus = env.path("more");
    calldb::synth::generate(&corpus, 120, 5).unwrap();
    let import = spawn(&env, &["import", "--quiet", "--batch-size", "4", corpus.to_str().unwrap()]);
    std::thread::sleep(Duration::from_millis(200));
    let out = env.calldb(&["speakers", "merge", &keep.to_string(), &other.to_string()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (ok, _, stderr) = finish(import);
    assert!(ok, "{stderr}");
    for p in moved {
        assert_eq!(env.count(&format!("SELECT speaker_id FROM participants WHERE participant_id = {p}")), keep);
    }
    assert_eq!(env.count("SELECT count(*) FROM speaker_corrections WHERE action = 'merge'"), 1);
    assert_eq!(env.count("SELECT count(*) FROM calls"), 123);
}

/// Waits until `sql` on the archive returns at least `at_least` (read-only, tolerating a missing table), or gives
/// up after `limit`.
fn wait_for(db: &Path, sql: &str, at_least: i64, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        let seen = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| c.query_row(sql, [], |r| r.get::<_, i64>(0)))
            .unwrap_or(0);
        if seen >= at_least {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

/// `kill -9` during imports (new files and `--replace`) and during `jobs run`, twenty times and more: the archive
/// stays valid with whole calls, a re-run completes it, and no temporary output file is left behind.
#[test]
fn repeated_kill_9_leaves_whole_calls() {
    let env = Env::new();
    let corpus = env.path("corpus");
    let files = calldb::synth::generate(&corpus, 200, 13).unwrap();
    let mut rng = fastrand::Rng::with_seed(42);
    let mut kills = 0;
    for round in 0..12 {
        let archived = if env.db.exists() { count(&env.db, "SELECT count(*) FROM imports") } else { 0 };
        let mut child = spawn(&env, &["import", "--quiet", "--batch-size", "6", corpus.to_str().unwrap()]);
        // Kill once the import has made progress (or at once in the early rounds, during setup).
        if round >= 3 {
            wait_for(&env.db, "SELECT count(*) FROM imports", archived + 1 + rng.i64(0..12), Duration::from_secs(20));
        } else {
            std::thread::sleep(Duration::from_millis(rng.u64(0..40)));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        if env.db.exists() {
            assert_valid(&env.db);
        }
    }
    env.calldb(&["import", "--quiet", corpus.to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM calls"), files.len() as i64);

    // --replace: rewrite some files (a different transcript of the same calls) and kill the replacing import.
    for f in files.iter().take(60) {
        let text = std::fs::read_to_string(f).unwrap();
        std::fs::write(f, text.replacen("Operator", "Operator\n\nThank you all for joining.\n\nOperator", 1)).unwrap();
    }
    for _ in 0..5 {
        let replaced = count(&env.db, "SELECT count(*) FROM imports WHERE status = 'replaced'");
        let mut child = spawn(&env, &["import", "--quiet", "--replace", "--batch-size", "4", corpus.to_str().unwrap()]);
        wait_for(
            &env.db,
            "SELECT count(*) FROM imports WHERE status = 'replaced'",
            replaced + 1,
            Duration::from_secs(20),
        );
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        assert_valid(&env.db);
        assert_eq!(env.count("SELECT count(*) FROM calls"), files.len() as i64, "a replaced call went missing");
    }
    env.calldb(&["import", "--quiet", "--replace", corpus.to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM calls"), files.len() as i64);

    // jobs run: killed while writing outputs; the next run cleans up what the killed ones left.
    let jobs = env.path("jobs.toml");
    let mut toml = String::new();
    for i in 0..6 {
        toml.push_str(&format!(
            "[[job]]\nname = \"talk-{i}\"\nreport = \"talk-time\"\nformat = \"html\"\noutput = \"out/talk-{i}.html\"\n"
        ));
    }
    std::fs::write(&jobs, toml).unwrap();
    for _ in 0..5 {
        let mut child = spawn(&env, &["jobs", "run", jobs.to_str().unwrap()]);
        std::thread::sleep(Duration::from_millis(rng.u64(20..400)));
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        assert_valid(&env.db);
    }
    std::thread::sleep(Duration::from_millis(1100)); // temporary files younger than a second are left alone
    env.calldb(&["jobs", "run", jobs.to_str().unwrap()]).assert().success();
    let leftovers: Vec<String> = std::fs::read_dir(env.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    assert!(kills >= 20);
    assert_valid(&env.db);
}
