//! Import benchmark: prints figures for parsing and importing a folder of transcripts.
//!
//! `cargo bench --bench import` uses `../shared/corpus/dev` (the real dev corpus) when it exists, else the bundled
//! samples; `CALLDB_BENCH_DIR` measures another folder. It prints: parse-only time (all cores), the full import
//! into a fresh archive (full-text index and figures included), the same import without them, and a re-import
//! (everything unchanged). Times are medians of several runs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use calldb::archive::import::{discover, import_files, ImportOptions};
use calldb::archive::Archive;
use rayon::prelude::*;

fn corpus() -> PathBuf {
    if let Some(dir) = std::env::var_os("CALLDB_BENCH_DIR") {
        return PathBuf::from(dir);
    }
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    if shared.is_dir() {
        shared
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Imports `files` into a fresh archive `runs` times; returns the median seconds (and checks the result).
fn import_runs(files: &[PathBuf], options: &ImportOptions, runs: usize) -> (f64, f64) {
    let mut times = Vec::new();
    let mut again = Vec::new();
    for _ in 0..runs {
        let tmp = tempfile::tempdir().unwrap();
        let mut archive = Archive::open_for_write(&tmp.path().join("bench.db"), calldb::archive::DEFAULT_WAIT).unwrap();
        let t = Instant::now();
        let s = import_files(&mut archive, files, options, &mut |_| {}).unwrap();
        times.push(t.elapsed().as_secs_f64());
        assert_eq!(s.failed, 0);
        let t = Instant::now();
        let s = import_files(&mut archive, files, options, &mut |_| {}).unwrap();
        again.push(t.elapsed().as_secs_f64());
        assert_eq!(s.unchanged, files.len());
    }
    (median(times), median(again))
}

fn main() {
    let dir = corpus();
    let files = discover(std::slice::from_ref(&dir), "*.txt", &[]).expect("discover").files;
    let bytes: u64 = files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {} ({} files, {:.1} MB), {} threads",
        dir.display(),
        files.len(),
        mb,
        rayon::current_num_threads()
    );

    let runs = 5;
    let parse: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let ok =
                files.par_iter().filter(|f| calldb::parse::parse_bytes(&std::fs::read(f).unwrap()).is_ok()).count();
            assert!(ok > 0);
            t.elapsed().as_secs_f64()
        })
        .collect();
    let p = median(parse);
    println!("parse only (read + decode + parse, all cores): {p:.3} s ({:.0} MB/s)", mb / p);

    let parsed: Vec<calldb::model::Transcript> =
        files.par_iter().filter_map(|f| calldb::parse::parse_bytes(&std::fs::read(f).unwrap()).ok()).collect();
    let analyse: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let n: usize = parsed.par_iter().map(|c| calldb::analysis::analyze(c, true).metrics.len()).sum();
            assert!(n > 0);
            t.elapsed().as_secs_f64()
        })
        .collect();
    println!("figures and exchanges only (all cores): {:.3} s", median(analyse));

    let full = ImportOptions::default();
    let bare = ImportOptions { understand: false, ..ImportOptions::default() };
    let (with, reimport) = import_runs(&files, &full, runs);
    let (without, _) = import_runs(&files, &bare, runs);
    println!("import, full (FTS5 index + figures + exchanges): {with:.3} s ({:.1} MB/s)", mb / with);
    println!("import without full-text index and figures:       {without:.3} s ({:.1} MB/s)", mb / without);
    println!("cost of the index and figures: {:.2}x", with / without);
    println!("re-import (all unchanged): {reimport:.3} s");
}
