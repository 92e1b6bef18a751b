//! Datasets as users meet them: a JSONL file of many calls against a folder holding the same calls as text files,
//! the whole `calldb` process each time, with SQLite's own floor for the same text in the same run.
//!
//! `cargo bench --bench datasets` builds (once, cached under `target/bench/datasets/`) `Name: speech` transcripts
//! from the real dev corpus (`../shared/corpus/dev`, else the bundled samples), replicated under distinct tickers:
//! - `calls.jsonl`: `CALLDB_BENCH_RECORDS` records (100,000 by default), each `{symbol, year, quarter, date,
//!   content}` as transcript APIs return them;
//! - `folder/`: the first `CALLDB_BENCH_FOLDER` of the same calls (10,000 by default) as `.txt` files, with a
//!   `--name-pattern` for their facts.
//!
//! It prints, for each: whole-process import time, MB/s, peak resident memory; the JSONL import's MB/s against the
//! folder's (the same per-call work, so they should match); the raw-SQLite floor for the JSONL's text (read every
//! record, insert each line of speech as a row in one transaction, build an FTS5 index in bulk); and a no-op
//! re-import of the unchanged dataset.

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn binary() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "calldb"])
        .current_dir(root())
        .status()
        .expect("cargo build");
    assert!(status.success());
    root().join("target/release/calldb")
}

/// Runs a command to completion; returns (seconds, peak RSS in MB of that process).
#[allow(clippy::zombie_processes)]
fn run(cmd: &mut Command) -> (f64, f64) {
    let t = Instant::now();
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 writes into both pointers for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(waited, pid, "wait4");
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{cmd:?} failed");
    (secs, usage.ru_maxrss as f64 / 1024.0)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Real calls written as `Name: speech` text: each turn one line, its paragraphs joined by a space.
fn real_calls() -> Vec<String> {
    let shared = root().join("../shared/corpus/dev");
    let dir = if shared.is_dir() { shared } else { root().join("samples") };
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|f| calldb::parse::parse_bytes(&std::fs::read(f).ok()?).ok())
        .map(|t| {
            t.turns
                .iter()
                .map(|turn| format!("{}: {}", turn.speaker_name, turn.paragraphs.join(" ")))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

/// Writes the dataset and the folder (once): call `i` is real call `i % n` under ticker `Z{i}`.
fn build(dir: &Path, records: usize, folder: usize) -> (PathBuf, PathBuf) {
    let jsonl = dir.join(format!("calls-{records}.jsonl"));
    let files = dir.join(format!("titled-{folder}"));
    if jsonl.exists() && files.is_dir() {
        return (jsonl, files);
    }
    std::fs::create_dir_all(&files).unwrap();
    let calls = real_calls();
    let mut out = BufWriter::new(std::fs::File::create(&jsonl).unwrap());
    for i in 0..records {
        let (ticker, year, quarter) = (format!("Z{i}"), 2015 + (i % 10) as i32, 1 + (i % 4) as u8);
        let content = &calls[i % calls.len()];
        let record = serde_json::json!({"symbol": ticker, "year": year, "quarter": quarter,
                                        "date": format!("{year}-0{}-15", quarter * 2), "content": content});
        serde_json::to_writer(&mut out, &record).unwrap();
        out.write_all(b"\n").unwrap();
        if i < folder {
            // A title line makes each file's bytes its own (the same bytes twice are one call).
            let text = format!("{ticker} Q{quarter} {year} Earnings Call\n{content}");
            std::fs::write(files.join(format!("{ticker}_Q{quarter}_{year}.txt")), text).unwrap();
        }
    }
    out.flush().unwrap();
    (jsonl, files)
}

/// What SQLite alone needs for the dataset's text: every record read, each line of its content inserted as a row
/// in one transaction, then an FTS5 index built over them in bulk.
fn floor(jsonl: &Path, db: &Path) -> f64 {
    let _ = std::fs::remove_file(db);
    let t = Instant::now();
    let mut conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE TABLE lines (line_id INTEGER PRIMARY KEY, record INTEGER NOT NULL, text TEXT NOT NULL);
         CREATE VIRTUAL TABLE lines_fts USING fts5 (text, content = 'lines', content_rowid = 'line_id', tokenize = 'porter unicode61');",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx.prepare("INSERT INTO lines (record, text) VALUES (?1, ?2)").unwrap();
        let reader = std::io::BufReader::new(std::fs::File::open(jsonl).unwrap());
        for (i, line) in reader.lines().enumerate() {
            let record: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
            for text in record["content"].as_str().unwrap().lines() {
                insert.execute(rusqlite::params![i as i64, text]).unwrap();
            }
        }
    }
    tx.execute("INSERT INTO lines_fts (lines_fts) VALUES ('rebuild')", []).unwrap();
    tx.commit().unwrap();
    t.elapsed().as_secs_f64()
}

fn main() {
    let calldb = binary();
    let records = env_number("CALLDB_BENCH_RECORDS", 100_000);
    let folder_calls = env_number("CALLDB_BENCH_FOLDER", 10_000).min(records);
    let dir = root().join("target/bench/datasets");
    std::fs::create_dir_all(&dir).unwrap();
    let (jsonl, folder) = build(&dir, records, folder_calls);
    let jsonl_mb = std::fs::metadata(&jsonl).unwrap().len() as f64 / 1e6;
    let folder_mb: f64 =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().metadata().unwrap().len() as f64).sum::<f64>() / 1e6;
    println!("dataset: {records} records, {jsonl_mb:.0} MB; folder: {folder_calls} text files, {folder_mb:.0} MB");

    let db = dir.join("bench.db");
    let clean = |db: &Path| {
        for suffix in ["", "-wal", "-shm", "-writer"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    };
    clean(&db);
    let (folder_secs, folder_rss) = run(Command::new(&calldb)
        .arg("--db")
        .arg(&db)
        .args(["import", "--quiet", "--name-pattern", "{ticker}_Q{quarter}_{year}.txt"])
        .arg(&folder));
    println!("folder import:   {folder_secs:8.2} s  {:6.1} MB/s  peak {folder_rss:5.0} MB", folder_mb / folder_secs);
    clean(&db);
    let (jsonl_secs, jsonl_rss) =
        run(Command::new(&calldb).arg("--db").arg(&db).args(["import", "--quiet"]).arg(&jsonl));
    println!("dataset import:  {jsonl_secs:8.2} s  {:6.1} MB/s  peak {jsonl_rss:5.0} MB", jsonl_mb / jsonl_secs);
    println!("dataset MB/s against the folder's: {:.2}x", (jsonl_mb / jsonl_secs) / (folder_mb / folder_secs));
    let (noop_secs, noop_rss) = run(Command::new(&calldb).arg("--db").arg(&db).args(["import", "--quiet"]).arg(&jsonl));
    println!("no-op re-import: {noop_secs:8.3} s  peak {noop_rss:5.0} MB");
    let floor_db = dir.join("floor.db");
    let floor_secs = floor(&jsonl, &floor_db);
    println!("SQLite floor:    {floor_secs:8.2} s  (calldb {:.2}x)", jsonl_secs / floor_secs);
    clean(&db);
    clean(&floor_db);
}
