//! Import benchmark: prints figures for parsing and importing a folder of transcripts.
//!
//! `cargo bench --bench import` uses `../shared/corpus/dev` (the real dev corpus) when it exists, else the bundled
//! samples. Set `CALLDB_BENCH_DIR` to measure another folder. It prints: parse-only time (all cores), full import
//! time into a fresh archive (median of several runs), MB/s, and a re-import (all unchanged).

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

fn main() {
    let dir = corpus();
    let files = discover(std::slice::from_ref(&dir), "*.txt").expect("discover");
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
    println!(
        "parse only (read + decode + parse, all cores): median {:.3} s ({:.0} MB/s)",
        median(parse.clone()),
        mb / median(parse)
    );

    let mut import_times = Vec::new();
    let mut reimport_times = Vec::new();
    for _ in 0..runs {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("bench.db");
        let mut archive = Archive::open_for_write(&db).unwrap();
        let t = Instant::now();
        let s = import_files(&mut archive, &files, &ImportOptions::default(), &mut |_| {}).unwrap();
        import_times.push(t.elapsed().as_secs_f64());
        assert_eq!(s.failed, 0);
        let t = Instant::now();
        let again = import_files(&mut archive, &files, &ImportOptions::default(), &mut |_| {}).unwrap();
        reimport_times.push(t.elapsed().as_secs_f64());
        assert_eq!(again.unchanged, files.len());
    }
    let m = median(import_times.clone());
    println!(
        "import into a fresh archive: median {:.3} s, best {:.3} s ({:.1} MB/s)",
        m,
        import_times.iter().cloned().fold(f64::MAX, f64::min),
        mb / m
    );
    println!("re-import (all unchanged): median {:.3} s", median(reimport_times));
}
