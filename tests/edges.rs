//! The edges a real user meets: every writer giving up on a busy archive the same way, files that are not regular
//! files or are still being written, downloads cut short, hostile names and values reaching a terminal or a Markdown
//! renderer, and reading commands refusing what is not an archive.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{sample_text, samples, Env};

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every command that writes, given `--wait 0` while another connection holds the archive's write lock, exits 75
/// (EX_TEMPFAIL, so a scheduler retries) and changes nothing.
#[test]
fn every_writer_gives_up_with_status_75() {
    let env = Env::new();
    env.import_samples();
    let jobs = env.path("jobs.toml");
    std::fs::write(
        &jobs,
        "[[job]]\nname = \"n\"\nreport = \"calls\"\nformat = \"ndjson\"\nsince_last_run = true\noutput = \"out/{name}-{datetime}.ndjson\"\n",
    )
    .unwrap();
    let lake = env.path("lake");
    let snapshot = |env: &Env| {
        let conn = env.conn();
        let q = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        [
            q("SELECT count(*) FROM imports"),
            q("SELECT count(*) FROM calls"),
            q("SELECT count(*) FROM speaker_corrections"),
            q("SELECT count(*) FROM corrections"),
            q("SELECT count(*) FROM report_runs"),
            q("SELECT count(*) FROM exports"),
        ]
    };
    let before = snapshot(&env);
    let holder = env.conn();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let sample_dir = samples();
    let writers: Vec<Vec<&str>> = vec![
        vec!["import", sample_dir.to_str().unwrap()],
        vec!["import", "--replace", sample_dir.to_str().unwrap()],
        vec!["migrate"],
        vec!["speakers", "merge", "1", "2"],
        vec!["speakers", "split", "1", "--name", "Nobody"],
        vec!["calls", "set", "1", "--ticker", "ZZZ"],
        vec!["calls", "delete", "1"],
        vec!["calls", "delete", "--source", sample_dir.to_str().unwrap()],
        vec!["jobs", "run", jobs.to_str().unwrap()],
        vec!["export", "--since-last-export", lake.to_str().unwrap()],
    ];
    for args in writers {
        let mut full = vec!["--wait", "0"];
        full.extend(&args);
        let out = env.calldb(&full).output().unwrap();
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(75), "{args:?}: {stderr}");
        assert!(stderr.contains("is busy"), "{args:?}: {stderr}");
    }
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(snapshot(&env), before, "a writer that gave up changed the archive");
    assert!(!env.path("out").exists(), "a job that gave up wrote an output");
    let in_lake: Vec<_> =
        walkdir::WalkDir::new(&lake).min_depth(1).into_iter().map(|e| e.unwrap().into_path()).collect();
    assert!(
        in_lake.iter().all(|p| p.file_name().unwrap() == ".calldb-export.lock"),
        "an export that gave up wrote {in_lake:?}"
    );
}

/// `--wait` and `--settle` take a number of seconds, never a negative number or NaN.
#[test]
fn waits_refuse_negative_and_nan() {
    let env = Env::new();
    let sample_dir = samples();
    for args in ["--wait=-1", "--wait=NaN", "--settle=-2", "--settle=nan"] {
        let out = env.calldb(&["import", args, sample_dir.to_str().unwrap()]).output().unwrap();
        let option = args.split('=').next().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args}");
        assert!(stderr_of(&out).contains(option), "{args}: {}", stderr_of(&out));
    }
    assert!(!env.db.exists());
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

/// Waits for a child with a deadline: a command blocked on a named pipe would otherwise hang the test.
fn finish_within(mut child: std::process::Child, limit: Duration) -> std::process::Output {
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("still running after {limit:?}: blocked on a named pipe?");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A named pipe, in a folder or named directly, is never opened (opening one blocks until a writer comes): it is
/// refused for that entry, and the rest imports.
#[test]
fn named_pipes_are_refused_and_the_rest_imports() {
    let env = Env::new();
    let folder = env.path("incoming");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(samples().join("initech-q2-2021.txt"), folder.join("initech-q2-2021.txt")).unwrap();
    let fifo = folder.join("stream.txt");
    mkfifo(&fifo);
    let spawn = |args: &[&str]| {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("calldb"))
            .env_remove("CALLDB_DB")
            .env("HOME", env.dir.path())
            .arg("--db")
            .arg(&env.db)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    // In a folder: counted as skipped, not a regular file; the transcript beside it imports.
    let out = finish_within(spawn(&["import", folder.to_str().unwrap()]), Duration::from_secs(30));
    let stderr = stderr_of(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    assert_eq!(env.count("SELECT count(*) FROM calls"), 1);
    // Named directly: an error for that entry, the other file still read.
    let acme = samples().join("acme-robotics-q1-2021.txt");
    let out =
        finish_within(spawn(&["import", fifo.to_str().unwrap(), acme.to_str().unwrap()]), Duration::from_secs(30));
    let stderr = stderr_of(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("stream.txt") && stderr.contains("not a regular file"), "{stderr}");
    assert_eq!(env.count("SELECT count(*) FROM calls"), 2);
    // `check` as well.
    let out = finish_within(spawn(&["check", fifo.to_str().unwrap()]), Duration::from_secs(30));
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr_of(&out));
    assert!(!out.status.success());
    assert!(said.contains("not a regular file"), "{said}");
}

/// A file changed within the last `--settle` seconds is left for the next import, with a notice; once it has
/// settled it imports.
#[test]
fn files_still_being_written_are_deferred() {
    let env = Env::new();
    let file = env.path("initech.txt");
    std::fs::write(&file, sample_text("initech-q2-2021.txt")).unwrap();
    let out = env.calldb(&["import", file.to_str().unwrap()]).env("CALLDB_SETTLE", "30").output().unwrap();
    let stderr = stderr_of(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("deferred") && stderr.contains("initech.txt"), "{stderr}");
    assert!(!env.db.exists() || env.count("SELECT count(*) FROM calls") == 0);
    let out = env.calldb(&["import", "--settle", "0", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(env.count("SELECT count(*) FROM calls"), 1);
}

/// A download cut inside the closing participants list is truncation, not a whole call; the finished file then
/// imports as the call (no conflict with a half-stored one).
#[test]
fn a_download_cut_inside_the_participants_list_is_truncation() {
    let env = Env::new();
    let whole = sample_text("acme-robotics-q4-2020.txt");
    let cut_at = whole.rfind("Drew Patel -- Citigroup -- Analyst").expect("the sample lists Drew Patel last");
    let file = env.path("acme.txt");
    std::fs::write(&file, &whole[..cut_at + "Drew Patel -- Citi".len()]).unwrap();
    let out = env.calldb(&["import", file.to_str().unwrap()]).output().unwrap();
    let stderr = stderr_of(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("truncated"), "{stderr}");
    std::fs::write(&file, &whole).unwrap();
    let out = env.calldb(&["import", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(env.count("SELECT count(*) FROM calls WHERE truncated_at_line IS NULL"), 1);
    // A list that ends whole where the file ends is not truncation.
    let ends_in_list = &whole[..cut_at + "Drew Patel -- Citigroup -- Analyst".len()];
    let other = env.path("acme-copy.txt");
    std::fs::write(&other, ends_in_list).unwrap();
    let out = env.calldb(&["check", other.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

/// Names and values are untrusted: a bidi override in a file name never reaches the terminal raw in messages, and
/// Markdown output keeps link syntax as text.
#[test]
fn hostile_names_and_values_stay_text() {
    let env = Env::new();
    let name = "evil\u{202E}txt.exe.txt";
    let file = env.path(name);
    std::fs::write(&file, "not a transcript at all\n").unwrap();
    let out = env.calldb(&["import", file.to_str().unwrap()]).output().unwrap();
    let stderr = stderr_of(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("evil"), "{stderr}");
    assert!(!stderr.contains('\u{202E}'), "a bidi override reached the terminal: {stderr:?}");
    let out = env.calldb(&["check", file.to_str().unwrap()]).output().unwrap();
    assert!(!stderr_of(&out).contains('\u{202E}'), "{:?}", stderr_of(&out));

    env.import_samples();
    let md = common::stdout_of(&mut env.calldb(&[
        "query",
        "SELECT '[x](javascript:alert(1))' AS link, '![i](http://t/p.png)' AS image",
        "--format",
        "markdown",
    ]));
    assert!(md.contains(r"\[x\](javascript:alert(1))"), "{md}");
    assert!(md.contains(r"!\[i\](http://t/p.png)"), "{md}");
    assert!(!md.contains("[x]("), "{md}");
}

/// Reading commands refuse what is not an archive the same way; `datasette` included.
#[test]
fn datasette_refuses_what_every_reader_refuses() {
    let env = Env::new();
    let missing = env.path("missing.db");
    let out = env.calldb_at(&missing, &["datasette"]).output().unwrap();
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("does not exist"), "{}", stderr_of(&out));
    assert!(!missing.exists());
    let foreign = env.path("notes.db");
    std::fs::write(&foreign, "just some notes\n").unwrap();
    let out = env.calldb_at(&foreign, &["datasette"]).output().unwrap();
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("not an SQLite database"), "{}", stderr_of(&out));
    assert_eq!(std::fs::read_to_string(&foreign).unwrap(), "just some notes\n");
}

/// A search for a bare `*` explains the query syntax instead of echoing FTS5's internals.
#[test]
fn a_bare_star_search_explains_the_syntax() {
    let env = Env::new();
    env.import_samples();
    let out = env.calldb(&["search", "*"]).output().unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("FTS5 syntax") && stderr.contains("revenu*"), "{stderr}");
    assert!(!stderr.contains("special query"), "{stderr}");
}
