//! Damaged and odd input on the archive side: unreadable folders, symbolic-link loops, odd file names, oversized
//! files, one endless paragraph, hostile job parameters, and a mutation fuzzer over real transcripts.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{sample_text, samples, Env};

fn is_root() -> bool {
    // SAFETY: getuid has no preconditions.
    unsafe { getuid() == 0 }
}

extern "C" {
    fn getuid() -> u32;
}

/// A folder of sample transcripts with a sub-folder that cannot be read: the error names it, the rest imports,
/// the exit status is non-zero, and the `imports` log holds the failure.
#[test]
fn an_unreadable_folder_is_named_and_the_rest_imports() {
    let env = Env::new();
    let inbox = env.path("inbox");
    let locked = inbox.join("locked");
    std::fs::create_dir_all(&locked).unwrap();
    for name in ["acme-robotics-q1-2021.txt", "initech-q2-2021.txt"] {
        std::fs::copy(samples().join(name), inbox.join(name)).unwrap();
    }
    std::fs::copy(samples().join("acme-robotics-q4-2020.txt"), locked.join("hidden.txt")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = if is_root() {
        // Root reads everything: act as a user who cannot.
        if Command::new("setpriv").arg("--version").output().is_err() {
            common::skipped("running as root without setpriv");
            return;
        }
        std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        std::fs::set_permissions(&inbox, std::fs::Permissions::from_mode(0o755)).unwrap();
        Command::new("setpriv")
            .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
            .arg(assert_cmd::cargo::cargo_bin("calldb"))
            .arg("--db")
            .arg(&env.db)
            .args(["import", inbox.to_str().unwrap()])
            .env("HOME", "/tmp")
            .output()
            .unwrap()
    } else {
        env.calldb(&["import", inbox.to_str().unwrap()]).output().unwrap()
    };
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("failed: {}", locked.display())) && stderr.contains("ermission denied"),
        "{stderr}"
    );
    assert!(stderr.contains("2 imported") && stderr.contains("1 failed"), "{stderr}");
    assert_eq!(env.count("SELECT count(*) FROM calls"), 2);
    let logged: String =
        env.conn().query_row("SELECT path FROM imports WHERE status = 'failed'", [], |r| r.get(0)).unwrap();
    assert_eq!(logged, locked.display().to_string());
}

/// Symbolic-link loops are reported, deep nesting and file names with newlines or any Unicode import, and each
/// is named exactly in messages and in `imports`.
#[test]
fn loops_deep_folders_and_odd_names() {
    let env = Env::new();
    let inbox = env.path("inbox");
    let mut deep = inbox.clone();
    for i in 0..60 {
        deep.push(format!("level-{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::copy(samples().join("initech-q2-2021.txt"), deep.join("deep.txt")).unwrap();
    let odd_names = ["line\nbreak.txt", "Ünïcødé — 東京 🚀.txt"];
    std::fs::copy(samples().join("acme-robotics-q1-2021.txt"), inbox.join(odd_names[0])).unwrap();
    std::fs::copy(samples().join("acme-robotics-q4-2020.txt"), inbox.join(odd_names[1])).unwrap();
    std::os::unix::fs::symlink("..", inbox.join("level-0").join("back-up")).unwrap();

    let out = env.calldb(&["import", inbox.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(env.count("SELECT count(*) FROM calls"), 3, "{stderr}");
    assert!(stderr.contains("symbolic link loop"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "a loop is reported as a failure: {stderr}");
    let paths: Vec<String> = {
        let conn = env.conn();
        let mut stmt = conn.prepare("SELECT path FROM imports WHERE status = 'imported'").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    for name in odd_names {
        let expected = std::fs::canonicalize(inbox.join(name)).unwrap().display().to_string();
        assert!(paths.contains(&expected), "{name:?} not logged exactly: {paths:?}");
    }
    // A failure message shows a name with a newline escaped on one line.
    std::fs::write(inbox.join("bad\nname.txt"), "not a transcript").unwrap();
    let out = env.calldb(&["import", inbox.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.lines().any(|l| l.starts_with("failed: \"") && l.contains("bad\\nname.txt")), "{stderr}");
}

/// A file over the documented size limit is refused without being read; the rest imports.
#[test]
fn oversized_files_are_refused_over_the_limit() {
    let env = Env::new();
    let inbox = env.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::copy(samples().join("initech-q2-2021.txt"), inbox.join("ok.txt")).unwrap();
    let huge = std::fs::File::create(inbox.join("huge.txt")).unwrap();
    huge.set_len(calldb::archive::import::MAX_FILE_BYTES + 1).unwrap(); // sparse: costs no disk
    let out = env.calldb(&["import", inbox.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("huge.txt") && stderr.contains("limit"), "{stderr}");
    assert_eq!(env.count("SELECT count(*) FROM calls"), 1);
}

/// One endless paragraph full of figures: figure extraction is linear, so it imports in bounded time (quadratic
/// extraction took minutes for a quarter of this in an optimized build).
#[test]
fn an_endless_paragraph_of_figures_imports_in_bounded_time() {
    let env = Env::new();
    let inbox = env.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let turn = "revenue grew 5% ".repeat(16 * 1024); // 256 KB
    let text = sample_text("initech-q2-2021.txt").replace("Hi. What is driving the margin improvement?", &turn);
    std::fs::write(inbox.join("endless.txt"), text).unwrap();
    let started = Instant::now();
    env.calldb(&["import", "--quiet", inbox.to_str().unwrap()]).assert().success();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(60), "took {took:?}");
    assert!(env.count("SELECT count(*) FROM metrics WHERE unit = '%'") >= 16 * 1024);
}

/// A parameter value (`..`, `../../x`, `/etc`) never steers a job's output outside the folder its template names.
#[test]
fn job_parameters_cannot_steer_outputs_elsewhere() {
    let env = Env::new();
    env.import_samples();
    let jobs_dir = env.path("jobs");
    std::fs::create_dir_all(&jobs_dir).unwrap();
    let mut toml = String::new();
    for (i, value) in ["..", "../../escaped", "/etc/x", "."].iter().enumerate() {
        toml.push_str(&format!(
            "[[job]]\nname = \"j{i}\"\nreport = \"calls\"\nparams = {{ ticker = {value:?} }}\noutput = \"out/{{ticker}}/calls.csv\"\n"
        ));
    }
    std::fs::write(jobs_dir.join("jobs.toml"), toml).unwrap();
    env.calldb(&["jobs", "run", jobs_dir.join("jobs.toml").to_str().unwrap()]).assert().success();
    let outputs: Vec<PathBuf> =
        walk(env.dir.path()).into_iter().filter(|p| p.file_name().is_some_and(|n| n == "calls.csv")).collect();
    assert_eq!(outputs.len(), 4, "{outputs:?}");
    for p in outputs {
        assert!(p.starts_with(jobs_dir.join("out")), "{} is outside the output folder", p.display());
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Real transcripts: the samples, and the shared corpus when it is there.
fn seeds() -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(samples()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev/rendered");
    if let Ok(entries) = std::fs::read_dir(&shared) {
        let mut real: Vec<PathBuf> =
            entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
        real.sort();
        files.extend(real.into_iter().step_by(8));
    }
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// One mutation of a transcript: bytes flipped, lines dropped, duplicated, swapped or truncated, control
/// characters and odd Unicode inserted, a line repeated into a long one.
fn mutate(rng: &mut fastrand::Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..rng.usize(1..6) {
        let len = bytes.len().max(1);
        match rng.u8(0..9) {
            0 => {
                for _ in 0..rng.usize(1..20) {
                    let i = rng.usize(0..len);
                    if i < bytes.len() {
                        bytes[i] = rng.u8(..);
                    }
                }
            }
            1 => bytes.truncate(rng.usize(0..len)),
            2 => {
                let i = rng.usize(0..len).min(bytes.len());
                let insert: &[u8] = ["\0", "\x1b[2J", "\r", "\u{feff}", "\u{202e}", "—", "\n\n\n", "$", "%"]
                    [rng.usize(0..9)]
                .as_bytes();
                bytes.splice(i..i, insert.iter().copied());
            }
            _ => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<&str> = text.lines().collect();
                if lines.is_empty() {
                    continue;
                }
                let i = rng.usize(0..lines.len());
                let j = rng.usize(0..lines.len());
                let long;
                match rng.u8(0..5) {
                    0 => {
                        lines.remove(i);
                    }
                    1 => lines.insert(j, lines[i]),
                    2 => lines.swap(i, j),
                    3 => {
                        long = lines[i].repeat(rng.usize(2..200));
                        lines[i] = &long;
                    }
                    _ => lines.truncate(i),
                }
                bytes = lines.join("\n").into_bytes();
            }
        }
    }
    bytes
}

/// The mutation fuzzer: every mutated transcript parses or fails with an error, never panics or hangs, and the
/// analysis of what parses finishes. `CALLDB_FUZZ_CASES` sets the number of cases (default 300); a longer run:
/// `CALLDB_FUZZ_CASES=20000 cargo test --release --test bad_input fuzz -- --nocapture`.
#[test]
fn fuzz_mutated_transcripts_never_panic_or_hang() {
    let cases: usize = std::env::var("CALLDB_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let seed: u64 = std::env::var("CALLDB_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20_240_611);
    let seeds = seeds();
    let mut rng = fastrand::Rng::with_seed(seed);
    let (mut parsed, mut refused) = (0, 0);
    for case in 0..cases {
        let pick = rng.usize(0..seeds.len());
        let input = mutate(&mut rng, &seeds[pick]);
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = std::thread::spawn({
            let input = input.clone();
            move || {
                let outcome = std::panic::catch_unwind(|| match calldb::parse::parse_bytes(&input) {
                    Ok(t) => {
                        let _ = calldb::analysis::analyze(&t, true);
                        true
                    }
                    Err(e) => {
                        assert!(!e.to_string().is_empty());
                        false
                    }
                });
                let _ = tx.send(outcome);
            }
        });
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(Ok(true)) => parsed += 1,
            Ok(Ok(false)) => refused += 1,
            Ok(Err(_)) | Err(_) => {
                let keep = std::env::temp_dir().join(format!("calldb-fuzz-{seed}-{case}.txt"));
                std::fs::write(&keep, &input).unwrap();
                panic!("case {case} (seed {seed}) panicked or hung; input kept in {}", keep.display());
            }
        }
        let _ = worker.join();
    }
    eprintln!("fuzz: {cases} cases from {} transcripts: {parsed} parsed, {refused} refused", seeds.len());
    assert_eq!(parsed + refused, cases);
}

/// A folder of mutated transcripts imports end to end: every file is settled (imported or failed), the archive
/// stays valid and the exit status says whether anything failed.
#[test]
fn a_folder_of_mutated_transcripts_imports_cleanly() {
    let env = Env::new();
    let inbox = env.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let seeds = seeds();
    let mut rng = fastrand::Rng::with_seed(99);
    for i in 0..40 {
        std::fs::write(inbox.join(format!("m{i:03}.txt")), mutate(&mut rng, &seeds[i % seeds.len()])).unwrap();
    }
    let out = env.calldb(&["import", "--quiet", inbox.to_str().unwrap()]).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(env.count("SELECT count(*) FROM imports"), 40);
    let check: String = env.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}
