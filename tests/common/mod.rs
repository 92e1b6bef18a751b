//! Helpers shared by the CLI tests: a temporary archive and the `calldb` binary pointed at it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("archive.db");
        Env { dir, db }
    }

    /// `calldb --db <tmp archive> ARGS...`, with no inherited archive or report settings.
    pub fn calldb(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("calldb").unwrap();
        cmd.env_remove("CALLDB_DB")
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path())
            .arg("--db")
            .arg(&self.db)
            .args(args);
        cmd
    }

    /// `calldb --db DB ARGS...` for another archive file, with this environment's settings.
    pub fn calldb_at(&self, db: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("calldb").unwrap();
        cmd.env_remove("CALLDB_DB")
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path())
            .arg("--db")
            .arg(db)
            .args(args);
        cmd
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// Column names of a table or view.
    pub fn columns(&self, view: &str) -> Vec<String> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1)").unwrap();
        stmt.query_map([view], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }

    /// Imports the bundled samples; panics unless it succeeds.
    /// FTS5's own check of the search index against the turns it was built from: panics on any difference.
    pub fn assert_search_index_whole(&self) {
        self.conn()
            .execute("INSERT INTO turns_fts (turns_fts, rank) VALUES ('integrity-check', 1)", [])
            .expect("the search index differs from the turns");
    }

    pub fn import_samples(&self) {
        self.calldb(&["import", "--quiet", samples().to_str().unwrap()]).assert().success();
    }
}

pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

pub fn sample_text(name: &str) -> String {
    std::fs::read_to_string(samples().join(name)).unwrap()
}

pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Says that a test skipped what it checks, or part of it, and why, where `cargo test` shows it: `SKIPPED <test>:
/// <reason>`. Written to standard error directly, which the test harness does not capture (it captures only
/// `eprintln!`), so a passing test that skipped never reads as a plain `ok`.
pub fn skipped(reason: &str) {
    use std::io::Write;
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {reason}");
}
