//! Report benchmark: every canned report, and `calldb query` against the sqlite3 shell, on a 10,000-call archive.
//!
//! `cargo bench --bench reports` builds (once, cached under `target/bench/`) an archive of 10,000 synthetic calls
//! written by `calldb generate`, then prints for each canned report the median time of the whole
//! `calldb report run NAME --format csv` command (process start to last byte), and for a few ad-hoc queries the
//! median time of `calldb query` next to `sqlite3 -csv` (when the shell is installed) for the same SQL.
//! `CALLDB_BENCH_CALLS` changes the archive size.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn binary() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "calldb"])
        .current_dir(root)
        .status()
        .expect("cargo build");
    assert!(status.success());
    root.join("target/release/calldb")
}

fn time_command(cmd: &mut Command, runs: usize) -> f64 {
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let status = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status().expect("run");
        times.push(t.elapsed().as_secs_f64());
        assert!(status.success(), "{cmd:?} failed");
    }
    median(times)
}

fn main() {
    let calls: usize = std::env::var("CALLDB_BENCH_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let calldb = binary();
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let corpus = work.join(format!("corpus-{calls}"));
    let db = work.join(format!("archive-{calls}-v{}.db", calldb::archive::schema::known_version()));
    if !db.exists() {
        if !corpus.exists() {
            calldb::synth::generate(&corpus, calls, 42).expect("generate corpus");
        }
        let t = Instant::now();
        let status = Command::new(&calldb)
            .args(["--db", db.to_str().unwrap(), "import", "--quiet", corpus.to_str().unwrap()])
            .status()
            .unwrap();
        assert!(status.success());
        println!("built {} from {calls} synthetic calls in {:.1} s", db.display(), t.elapsed().as_secs_f64());
    }
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!("archive: {} ({} calls, {:.0} MB)", db.display(), calls, size as f64 / 1e6);

    let runs = 7;
    println!("\ncanned reports, whole command, csv to /dev/null (median of {runs}; target < 0.300 s):");
    let catalog = calldb::report::catalog::Catalog::builtin();
    for name in catalog.reports.keys() {
        let base = ["--db", db.to_str().unwrap(), "report", "run", name.as_str(), "--format", "csv"];
        let all = time_command(Command::new(&calldb).args(base), runs);
        let one = time_command(Command::new(&calldb).args(base).args(["-p", "ticker", "AAAB"]), runs);
        println!("  {name:<18} all calls {all:.3} s   one ticker {one:.3} s");
    }

    println!("\nsearch, top 20 with snippets, whole command (median of {runs}; target < 0.020 s):");
    for q in ["revenue", "\"gain share\"", "pricing AND inflation", "supply chain", "capacity", "automat*"] {
        let t = time_command(
            Command::new(&calldb).args(["--db", db.to_str().unwrap(), "search", q, "--limit", "20", "--format", "csv"]),
            runs,
        );
        let filtered = time_command(
            Command::new(&calldb).args([
                "--db",
                db.to_str().unwrap(),
                "search",
                q,
                "--role",
                "executive",
                "--since",
                "2020-01-01",
                "--format",
                "csv",
            ]),
            runs,
        );
        println!("  {q:<24} {t:.3} s   with --role and --since {filtered:.3} s");
    }

    // The synthetic corpus has a small vocabulary, so every topic word is in a large share of turns: the worst case
    // for bm25. Real text is measured on the real dev corpus copied to 10,000 calls (each copy its own ticker).
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev/rendered");
    if real.is_dir() {
        let copies = work.join("real-x50");
        let real_db = work.join(format!("real-x50-v{}.db", calldb::archive::schema::known_version()));
        if !real_db.exists() {
            let ticker = regex::Regex::new(r"\((?:([A-Za-z]+):)?([A-Z.]+)([ )])").unwrap();
            std::fs::create_dir_all(&copies).unwrap();
            for entry in std::fs::read_dir(&real).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "txt") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for copy in 0..50 {
                    let renamed = ticker.replacen(&text, 1, |c: &regex::Captures| {
                        format!(
                            "({}{}X{copy}{}",
                            c.get(1).map_or(String::new(), |e| format!("{}:", e.as_str())),
                            &c[2],
                            &c[3]
                        )
                    });
                    let name = format!("{}-{copy}.txt", path.file_stem().unwrap().to_string_lossy());
                    std::fs::write(copies.join(name), renamed.as_bytes()).unwrap();
                }
            }
            let status = Command::new(&calldb)
                .args(["--db", real_db.to_str().unwrap(), "import", "--quiet", copies.to_str().unwrap()])
                .status()
                .unwrap();
            assert!(status.success());
        }
        let n: i64 = rusqlite::Connection::open(&real_db)
            .unwrap()
            .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
            .unwrap();
        println!("\nsearch on real text ({n} calls from the dev corpus, each copied 50 times), top 20 with snippets:");
        for q in ["revenue", "\"gain share\"", "inflation", "supply chain", "pricing AND inflation", "guid*"] {
            let t = time_command(
                Command::new(&calldb).args(["--db", real_db.to_str().unwrap(), "search", q, "--format", "csv"]),
                runs,
            );
            let filtered = time_command(
                Command::new(&calldb).args([
                    "--db",
                    real_db.to_str().unwrap(),
                    "search",
                    q,
                    "--kind",
                    "answer",
                    "--since",
                    "2020-01-01",
                    "--format",
                    "csv",
                ]),
                runs,
            );
            println!("  {q:<24} {t:.3} s   with --kind and --since {filtered:.3} s");
        }
    }

    let has_sqlite3 =
        Command::new("sqlite3").arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    println!("\ncalldb query vs sqlite3 -csv, same SQL (median of {runs}):");
    for sql in [
        "SELECT ticker, count(*) AS turns, sum(words) AS words FROM v_turns GROUP BY ticker",
        "SELECT turn_id, call_id, ticker, speaker, role, kind, words FROM v_turns",
        "SELECT call_id, ticker, call_date, title, words FROM v_calls ORDER BY call_date",
    ] {
        let ours = time_command(
            Command::new(&calldb).args(["--db", db.to_str().unwrap(), "query", sql, "--format", "csv"]),
            runs,
        );
        if has_sqlite3 {
            let theirs =
                time_command(Command::new("sqlite3").args(["-csv", "-header", db.to_str().unwrap(), sql]), runs);
            println!("  calldb {ours:.3} s  sqlite3 {theirs:.3} s  ({:+.0}%)  {sql}", (ours / theirs - 1.0) * 100.0);
        } else {
            println!("  calldb {ours:.3} s  (sqlite3 shell not installed)  {sql}");
        }
    }
}
