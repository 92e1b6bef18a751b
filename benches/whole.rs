//! Figures as users meet them: the whole `calldb` process on real-content transcripts, next to what SQLite alone
//! needs for the same text, measured in the same run.
//!
//! `cargo bench --bench whole` prints, for the real dev corpus (`../shared/corpus/dev`, else the bundled samples)
//! and for a large corpus made from it (the same real text replicated under distinct tickers,
//! `CALLDB_BENCH_CALLS` calls, 11,000 by default; cached under `target/bench/`):
//! - whole-process `calldb import` time, the raw-SQLite floor for the same files (read every file, insert each
//!   non-empty line as a row in one transaction, then build an FTS5 index over them in bulk), and their ratio;
//! - `import --replace` of a corrected copy of every call, and a no-op re-import of the unchanged folder;
//! - peak resident memory of the import process and import cost per MB;
//! - every canned report (whole command, CSV to /dev/null), without and with a ticker filter;
//! - `calldb search` against the same FTS5 query run by the sqlite3 shell (when installed).
//!
//! Then, at scale (`CALLDB_BENCH_SCALE_CALLS` calls, 100,000 by default, 0 to leave out; the replicated corpus is
//! made once and kept under `CALLDB_BENCH_CACHE`, by default `~/.cache/calldb-bench`, outside the repository, about
//! 5 GB): the first import, its cost per MB against the floor's at that size, its peak memory, the archive's size on
//! disk against the text it holds, the nightly case (20 new calls into that archive, three nights), and every report
//! and search on it.
//! Fixed costs are timed on their own: start-up, creating and migrating a new archive, a one-call import.
//!
//! Every figure is the median of `CALLDB_BENCH_RUNS` runs (3 by default; imports of the large corpora: 1; searches:
//! at least 15, calldb and the shell alternately).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

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

/// Runs a command to completion; returns (seconds, peak RSS in MB of that process). The child is reaped by `wait4`,
/// which also reports its own peak memory (std's `wait` does not).
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

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// What SQLite alone needs for the same text: every non-empty line of every file inserted in one transaction, then
/// an FTS5 index over them built in bulk.
fn floor(files: &[PathBuf], db: &Path) -> f64 {
    let _ = std::fs::remove_file(db);
    let t = Instant::now();
    let mut conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE TABLE blocks (block_id INTEGER PRIMARY KEY, file INTEGER NOT NULL, ordinal INTEGER NOT NULL, text TEXT NOT NULL);
         CREATE VIRTUAL TABLE blocks_fts USING fts5 (text, content = 'blocks', content_rowid = 'block_id', tokenize = 'porter unicode61');",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx.prepare("INSERT INTO blocks (file, ordinal, text) VALUES (?1, ?2, ?3)").unwrap();
        for (i, f) in files.iter().enumerate() {
            let text = std::fs::read_to_string(f).unwrap();
            for (j, line) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
                insert.execute(rusqlite::params![i as i64, j as i64, line]).unwrap();
            }
        }
    }
    tx.execute("INSERT INTO blocks_fts (blocks_fts) VALUES ('rebuild')", []).unwrap();
    tx.commit().unwrap();
    drop(conn);
    t.elapsed().as_secs_f64()
}

/// The whole-process time of `benches/python_importer.py` (a straightforward importer of the same files), when
/// python3 is installed.
fn python_importer(dir: &Path, runs: usize, work: &Path) -> Option<f64> {
    let script = root().join("benches/python_importer.py");
    let db = work.join("python.db");
    let available = Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
    if !available {
        println!("straightforward Python      (python3 not installed)");
        return None;
    }
    let times = (0..runs)
        .map(|_| {
            remove_archive(&db);
            run(Command::new("python3").arg(&script).arg(&db).arg(dir)).0
        })
        .collect();
    remove_archive(&db);
    Some(median(times))
}

/// The large corpus: every dev file again and again, under a distinct ticker each time, so the text is real and
/// every copy is a distinct call. Rounds are counted from `first_round`, so corpora made with distinct rounds hold
/// distinct calls (the nightly batches).
fn replicate(source: &[PathBuf], calls: usize, into: &Path) -> Vec<PathBuf> {
    replicate_from(source, calls, into, 0)
}

fn replicate_from(source: &[PathBuf], calls: usize, into: &Path, first_round: usize) -> Vec<PathBuf> {
    if into.is_dir() && files_in(into).len() == calls {
        return files_in(into);
    }
    let _ = std::fs::remove_dir_all(into);
    std::fs::create_dir_all(into).unwrap();
    let mut written = Vec::new();
    // The ticker in the company line, `(NYSE:XYL)` or `(LPSN -4.22%)`: each round gets its own (`XYL3`).
    let company =
        regex::Regex::new(r"\((?P<exchange>[A-Za-z]+:)?(?P<ticker>[A-Z0-9.\-]+)(?P<move>\s+[+\-]?[\d.]+%)?\)").unwrap();
    for k in 0..calls {
        let f = &source[k % source.len()];
        let round = first_round + k / source.len();
        let text = std::fs::read_to_string(f).unwrap();
        let text = company.replacen(&text, 1, |c: &regex::Captures| {
            let exchange = c.name("exchange").map_or("", |m| m.as_str());
            let change = c.name("move").map_or("", |m| m.as_str());
            format!("({exchange}{}{round}{change})", &c["ticker"])
        });
        let path = into.join(format!("{k:05}.txt"));
        std::fs::write(&path, text.as_bytes()).unwrap();
        written.push(path);
    }
    written
}

/// A corrected copy of every file (one word more in the last paragraph), for `import --replace`.
fn corrected_copies(files: &[PathBuf], into: &Path) {
    let _ = std::fs::remove_dir_all(into);
    std::fs::create_dir_all(into).unwrap();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let cut = text.find("\nDuration:").unwrap_or(text.len());
        let fixed = format!("{} [corrected]{}", &text[..cut].trim_end(), &text[cut..]);
        std::fs::write(into.join(f.file_name().unwrap()), fixed).unwrap();
    }
}

struct Corpus {
    name: String,
    dir: PathBuf,
    files: Vec<PathBuf>,
}

fn measure(calldb: &Path, corpus: &Corpus, runs: usize, work: &Path) -> PathBuf {
    let mb = corpus.files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum::<u64>() as f64 / 1e6;
    println!("\n== {}: {} files, {:.1} MB ==", corpus.name, corpus.files.len(), mb);
    let db = work.join(format!("{}.db", corpus.name));
    let floor_db = work.join(format!("{}-floor.db", corpus.name));
    let (mut imports, mut floors, mut rss) = (Vec::new(), Vec::new(), 0.0f64);
    for _ in 0..runs {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
        }
        floors.push(floor(&corpus.files, &floor_db));
        let (secs, peak) = run(Command::new(calldb)
            .args(["--db", db.to_str().unwrap(), "import", "--quiet", "--glob", "*.txt"])
            .arg(&corpus.dir));
        imports.push(secs);
        rss = rss.max(peak);
    }
    let (import, floor) = (median(imports), median(floors));
    println!("import (whole process)      {import:8.2} s   {:.3} s/MB", import / mb);
    println!("raw-SQLite floor            {floor:8.2} s   {:.3} s/MB", floor / mb);
    println!("import / floor              {:8.2} x", import / floor);
    if let Some(python) = python_importer(&corpus.dir, runs, work) {
        println!("straightforward Python      {python:8.2} s   (calldb {:.2} x as fast)", python / import);
    }
    println!("peak RSS of import          {rss:8.0} MB");
    let noop = median(
        (0..runs)
            .map(|_| {
                run(Command::new(calldb)
                    .args(["--db", db.to_str().unwrap(), "import", "--quiet", "--glob", "*.txt"])
                    .arg(&corpus.dir))
                .0
            })
            .collect(),
    );
    println!("no-op re-import             {noop:8.3} s   ({:.1} % of import)", 100.0 * noop / import);
    let fixed = work.join(format!("{}-corrected", corpus.name));
    corrected_copies(&corpus.files, &fixed);
    let (replace, _) = run(Command::new(calldb)
        .args(["--db", db.to_str().unwrap(), "import", "--quiet", "--replace", "--glob", "*.txt"])
        .arg(&fixed));
    println!("replace every call          {replace:8.2} s   ({:.2} x import)", replace / import);
    // Put the original text back for the reports and search below.
    run(Command::new(calldb)
        .args(["--db", db.to_str().unwrap(), "import", "--quiet", "--replace", "--glob", "*.txt"])
        .arg(&corpus.dir));
    db
}

fn reports_and_search(calldb: &Path, db: &Path, runs: usize) {
    let names: Vec<String> = std::fs::read_dir(root().join("sql/reports"))
        .unwrap()
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_string))
        .collect();
    let ticker: String = rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT ticker FROM v_calls GROUP BY ticker ORDER BY count(*) DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let mut sorted = names;
    sorted.sort();
    println!("report (whole command, csv)   all calls   ticker {ticker}");
    for name in &sorted {
        let time = |extra: &[&str]| {
            median(
                (0..runs)
                    .map(|_| {
                        run(Command::new(calldb)
                            .args(["--db", db.to_str().unwrap(), "report", "run", name, "--format", "csv"])
                            .args(extra))
                        .0
                    })
                    .collect(),
            )
        };
        println!("  {name:26} {:8.3} s   {:8.3} s", time(&[]), time(&["-p", "ticker", &ticker]));
    }
    let shell = Command::new("sqlite3").arg("--version").output().is_ok_and(|o| o.status.success());
    println!("search top 20                calldb      sqlite3 (same FTS5 query)");
    // A search takes milliseconds, where one run's noise is as large as the gap being measured: each query runs
    // many times, calldb and the shell alternately so that the machine's drift falls on both alike.
    let search_runs = runs.max(15);
    for query in ["\"supply chain\"", "inflation", "revenue", "guid*"] {
        let sql = format!(
            "SELECT t.turn_id, snippet(turns_fts, 0, '[', ']', '…', 12) FROM turns_fts JOIN turns t ON t.turn_id = turns_fts.rowid \
             WHERE turns_fts MATCH '{}' ORDER BY rank LIMIT 20;",
            query.replace('\'', "''")
        );
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..search_runs {
            ours.push(
                run(Command::new(calldb).args([
                    "--db",
                    db.to_str().unwrap(),
                    "search",
                    query,
                    "--limit",
                    "20",
                    "--format",
                    "csv",
                ]))
                .0,
            );
            if shell {
                theirs.push(run(Command::new("sqlite3").args(["-readonly", "-csv", db.to_str().unwrap(), &sql])).0);
            }
        }
        let ours = median(ours);
        if shell {
            let t = median(theirs);
            println!("  {query:26} {ours:8.3} s   {t:8.3} s   ({:.2} x)", ours / t);
        } else {
            println!("  {query:26} {ours:8.3} s   (sqlite3 shell not installed)");
        }
    }
}

/// Where the scale corpus is kept between runs: outside the repository, it is about 5 GB.
fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CALLDB_BENCH_CACHE") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map_or_else(|| root().join("target"), PathBuf::from);
    home.join(".cache/calldb-bench")
}

fn remove_archive(db: &Path) {
    for ext in ["", "-wal", "-shm", "-writer"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
}

fn archive_bytes(db: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|ext| std::fs::metadata(format!("{}{ext}", db.display())).ok())
        .map(|m| m.len())
        .sum()
}

/// What every command pays before it does anything: starting, creating and migrating a new archive, and a
/// one-call import into it (which also compiles the patterns figures and guidance are read with).
fn fixed_costs(calldb: &Path, one_call: &Path, runs: usize, work: &Path) {
    let db = work.join("fixed.db");
    // `fresh`: each run starts without the archive, so it is created (and migrated) again.
    let time = |args: &[&str], fresh: bool| {
        median(
            (0..runs.max(5))
                .map(|_| {
                    if fresh {
                        remove_archive(&db);
                    }
                    run(Command::new(calldb).args(args)).0
                })
                .collect(),
        )
    };
    let (db_arg, call) = (db.to_str().unwrap(), one_call.to_str().unwrap());
    let startup = time(&["--version"], false);
    let create = time(&["--db", db_arg, "migrate"], true);
    let one = time(&["--db", db_arg, "import", "--quiet", "--settle", "0", call], true);
    println!("\n== fixed costs ==");
    println!("start-up (calldb --version)          {startup:8.4} s");
    println!("create and migrate a new archive     {create:8.4} s");
    println!("one call into a new archive          {one:8.4} s");
    remove_archive(&db);
}

/// The archive at scale: one first import, the nightly case, size on disk, reports and search.
fn at_scale(calldb: &Path, source: &[PathBuf], calls: usize, runs: usize, work: &Path) {
    let cache = cache_dir();
    let corpus = Corpus {
        name: format!("replicated-{calls}"),
        files: replicate(source, calls, &cache.join(format!("replicated-{calls}"))),
        dir: cache.join(format!("replicated-{calls}")),
    };
    let bytes: u64 = corpus.files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("\n== at scale: {} files, {:.0} MB (cached in {}) ==", corpus.files.len(), mb, cache.display());
    let db = work.join(format!("{}.db", corpus.name));
    remove_archive(&db);
    let (import, rss) = run(Command::new(calldb)
        .args(["--db", db.to_str().unwrap(), "import", "--quiet", "--glob", "*.txt"])
        .arg(&corpus.dir));
    println!("import (whole process)      {import:8.1} s   {:.3} s/MB", import / mb);
    // The floor at this size too: what SQLite alone needs per MB also grows with the text (FTS5 merges more levels),
    // and the ratio says how much of the growth is calldb's.
    let floor_db = work.join(format!("{}-floor.db", corpus.name));
    let floor_secs = floor(&corpus.files, &floor_db);
    remove_archive(&floor_db);
    println!("raw-SQLite floor            {floor_secs:8.1} s   {:.3} s/MB", floor_secs / mb);
    println!("import / floor              {:8.2} x", import / floor_secs);
    println!("peak RSS of import          {rss:8.0} MB");
    let size = archive_bytes(&db);
    println!(
        "archive on disk             {:8.0} MB   ({:.2} x the {:.0} MB of text it holds)",
        size as f64 / 1e6,
        size as f64 / bytes as f64,
        mb
    );
    // The nightly case: 20 calls the archive does not hold, under tickers of rounds the corpus did not use.
    let rounds = calls.div_ceil(source.len());
    let mut nights = Vec::new();
    let mut night_rss = 0.0f64;
    for night in 0..runs {
        let dir = work.join(format!("nightly-{night}"));
        let _ = std::fs::remove_dir_all(&dir);
        replicate_from(source, 20, &dir, rounds + night + 1);
        let (secs, peak) = run(Command::new(calldb)
            .args(["--db", db.to_str().unwrap(), "import", "--quiet", "--settle", "0"])
            .arg(&dir));
        nights.push(secs);
        night_rss = night_rss.max(peak);
    }
    println!(
        "nightly: 20 new calls       {:8.2} s   (median of {runs} nights; peak RSS {night_rss:.0} MB)",
        median(nights)
    );
    reports_and_search(calldb, &db, runs);
}

fn main() {
    let runs: usize = std::env::var("CALLDB_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let calls: usize = std::env::var("CALLDB_BENCH_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(11_000);
    let calldb = binary();
    let work = root().join("target/bench/whole");
    std::fs::create_dir_all(&work).unwrap();
    let dev = root().join("../shared/corpus/dev/rendered");
    let dev = if dev.is_dir() { dev } else { root().join("samples") };
    let dev_files = files_in(&dev);
    let dev_corpus = Corpus { name: "dev".into(), dir: dev.clone(), files: dev_files.clone() };
    let large_dir = work.join(format!("replicated-{calls}"));
    let large =
        Corpus { name: format!("replicated-{calls}"), files: replicate(&dev_files, calls, &large_dir), dir: large_dir };
    println!(
        "calldb {} · {} cores · medians of {runs} runs",
        env!("CARGO_PKG_VERSION"),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    fixed_costs(&calldb, &dev_files[0], runs, &work);
    measure(&calldb, &dev_corpus, runs, &work);
    let db = measure(&calldb, &large, 1, &work);
    reports_and_search(&calldb, &db, runs);
    let scale: usize = std::env::var("CALLDB_BENCH_SCALE_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    if scale > 0 {
        at_scale(&calldb, &dev_files, scale, runs, &work);
    }
}
