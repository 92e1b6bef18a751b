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
    let db = work.join(format!("archive-{calls}-{}.db", calldb::archive::schema::known_version()));
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
        let all = time_command(
            Command::new(&calldb).args(["--db", db.to_str().unwrap(), "report", "run", name, "--format", "csv"]),
            runs,
        );
        let one = time_command(
            Command::new(&calldb).args([
                "--db",
                db.to_str().unwrap(),
                "report",
                "run",
                name,
                "-p",
                "ticker",
                "AAAB",
                "--format",
                "csv",
            ]),
            runs,
        );
        println!("  {name:<18} all calls {all:.3} s   one ticker {one:.3} s");
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
