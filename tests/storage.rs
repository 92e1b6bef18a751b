//! Unusual storage and foreign files: reading on read-only storage (as another user), refusing archives calldb did
//! not write, a full disk during an import.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::{samples, Env};

fn is_root() -> bool {
    // SAFETY: getuid has no preconditions.
    unsafe { libc_getuid() == 0 }
}

extern "C" {
    #[link_name = "getuid"]
    fn libc_getuid() -> u32;
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// True when this process may act as another user (root, with `setpriv`); says so when it cannot.
fn can_act_as_another_user() -> bool {
    let can = is_root() && Command::new("setpriv").arg("--version").output().is_ok();
    if !can {
        common::skipped("needs root and setpriv to act as another user");
    }
    can
}

/// `calldb --db DB ARGS` run as `nobody`, who cannot write where the test put the archive.
fn calldb_as_nobody(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new("setpriv")
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
        .arg(assert_cmd::cargo::cargo_bin("calldb"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("HOME", "/tmp")
        .output()
        .unwrap()
}

const READERS: &[&[&str]] = &[
    &["calls", "--format", "csv"],
    &["show", "1"],
    &["query", "SELECT count(*) FROM v_turns"],
    &["search", "revenue"],
    &["report", "run", "talk-time", "--format", "csv"],
    &["speakers", "--format", "csv"],
];

/// Every reading command works on a read-only copy (read-only file in a read-only folder) as a user who cannot
/// write there, and creates nothing beside it.
#[test]
fn reading_commands_work_on_read_only_storage_as_another_user() {
    if !can_act_as_another_user() {
        return;
    }
    let env = Env::new();
    env.import_samples();
    let shelf = tempfile::Builder::new().prefix("calldb-ro-").tempdir_in("/tmp").unwrap();
    let copy = shelf.path().join("archive.db");
    std::fs::copy(&env.db, &copy).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(shelf.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = (listing(shelf.path()), std::fs::read(&copy).unwrap());
    for args in READERS {
        let out = calldb_as_nobody(&copy, args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
    }
    // Writing is refused with a clear error, and nothing changed.
    let out = calldb_as_nobody(&copy, &["speakers", "merge", "1", "2", "--wait", "1"]);
    assert!(!out.status.success());
    assert_eq!((listing(shelf.path()), std::fs::read(&copy).unwrap()), before);
    std::fs::set_permissions(shelf.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// An archive at rest leaves no `-wal` or `-shm` file, and reading it creates none (so it also reads from a
/// read-only folder); the same for an old archive left in WAL mode, which is read without its WAL files.
#[test]
fn readers_create_nothing_beside_the_archive() {
    let env = Env::new();
    env.import_samples();
    let dir = env.db.parent().unwrap().to_path_buf();
    let before = listing(&dir);
    assert!(!before.iter().any(|n| n.ends_with("-wal") || n.ends_with("-shm")), "{before:?}");
    for args in READERS {
        env.calldb(args).assert().success();
        assert_eq!(listing(&dir), before, "{args:?} created files");
    }
    // An archive left in WAL mode by an older calldb (WAL files removed at its close).
    let conn = env.conn();
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).unwrap();
    drop(conn);
    let before = listing(&dir);
    for args in READERS {
        env.calldb(args).assert().success();
        assert_eq!(listing(&dir), before, "{args:?} created files beside a WAL archive");
    }
}

/// A random file, another application's SQLite database and an archive from a newer calldb are refused by every
/// command with a clear message, and left byte for byte as they were, with nothing created beside them.
#[test]
fn foreign_and_newer_files_are_refused_untouched() {
    let env = Env::new();
    let cases: Vec<(&str, Vec<u8>, &str)> = {
        let other = env.path("other.sqlite");
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'x');",
        )
        .unwrap();
        drop(conn);
        let newer = env.path("newer.db");
        env.calldb_at(&newer, &["import", "-q", samples().to_str().unwrap()]).assert().success();
        rusqlite::Connection::open(&newer)
            .unwrap()
            .execute(
                "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (999, 'f', 'x', '0')",
                [],
            )
            .unwrap();
        vec![
            ("random", (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect(), "not an SQLite database"),
            ("text", b"ticker,revenue\nACME,5\n".to_vec(), "not an SQLite database"),
            ("other", std::fs::read(&other).unwrap(), "another application"),
            ("newer", std::fs::read(&newer).unwrap(), "newer calldb"),
        ]
    };
    for (name, bytes, expected) in cases {
        let shelf = env.path(&format!("shelf-{name}"));
        std::fs::create_dir_all(&shelf).unwrap();
        let path = shelf.join("archive.db");
        std::fs::write(&path, &bytes).unwrap();
        for args in [
            &["import", "-q", samples().to_str().unwrap()][..],
            &["migrate"],
            &["calls"],
            &["query", "SELECT 1"],
            &["speakers", "merge", "1", "2"],
        ] {
            let out = env.calldb_at(&path, args).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{name} {args:?} succeeded");
            assert!(stderr.contains(expected), "{name} {args:?}: {stderr}");
            assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} {args:?} changed the file");
            assert_eq!(listing(&shelf), vec!["archive.db".to_string()], "{name} {args:?} created files");
        }
    }
}

/// A full disk during an import: a clear error, a valid archive holding only whole calls, and the next run with
/// space completes. Done for real on a small tmpfs (needs root and mount); skipped elsewhere.
#[test]
fn a_full_disk_stops_an_import_cleanly() {
    if !is_root() {
        common::skipped("needs root to mount a small filesystem");
        return;
    }
    let env = Env::new();
    let mnt = env.path("small");
    std::fs::create_dir_all(&mnt).unwrap();
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"]).arg(&mnt).status();
    if !mounted.is_ok_and(|s| s.success()) {
        common::skipped("cannot mount a tmpfs here");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&mnt);
    let corpus = env.path("corpus");
    let files = calldb::synth::generate(&corpus, 300, 21).unwrap();
    let db = mnt.join("archive.db");
    let run = |args: &[&str]| env.calldb_at(&db, args).output().unwrap();
    let out = run(&["import", "--quiet", "--batch-size", "16", corpus.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the import fit in 3 MB: make the corpus bigger");
    // Says what happened, to which file, and once.
    assert!(stderr.contains("full") && stderr.contains(db.to_str().unwrap()), "{stderr}");
    assert_eq!(stderr.matches("is full").count(), 1, "{stderr}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let partial: i64 = conn
        .query_row(
            "SELECT count(*) FROM calls c WHERE turn_count <> (SELECT count(*) FROM turns t WHERE t.call_id = c.call_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(partial, 0);
    let stored: i64 = conn.query_row("SELECT count(*) FROM calls", [], |r| r.get(0)).unwrap();
    assert!(stored < files.len() as i64);
    drop(conn);
    // More space, and the next run completes.
    assert!(Command::new("mount").args(["-o", "remount,size=64m"]).arg(&mnt).status().unwrap().success());
    let out = run(&["import", "--quiet", corpus.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(conn.query_row("SELECT count(*) FROM calls", [], |r| r.get::<_, i64>(0)).unwrap(), files.len() as i64);
    conn.execute("INSERT INTO turns_fts (turns_fts) VALUES ('integrity-check')", []).unwrap();
}

/// A snapshot of an archive in WAL mode that kept its `-wal` (holding changes) but not its `-shm`, on storage the
/// reader cannot write (a backup, a read-only mount): read with the changes in the `-wal`, and nothing is created
/// beside it.
#[test]
fn a_wal_snapshot_without_shm_on_read_only_storage_is_read_whole() {
    if !can_act_as_another_user() {
        return;
    }
    let env = Env::new();
    env.import_samples();
    let shelf = tempfile::Builder::new().prefix("calldb-walsnap-").tempdir_in("/tmp").unwrap();
    let copy = shelf.path().join("archive.db");
    {
        // A writer in WAL mode whose last change is still only in the -wal when the snapshot is taken.
        let conn = env.conn();
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).unwrap();
        conn.execute_batch(
            "PRAGMA wal_autocheckpoint = 0; UPDATE calls SET title = 'Only in the WAL' WHERE call_id = 1",
        )
        .unwrap();
        std::fs::copy(&env.db, &copy).unwrap();
        let wal = |p: &Path| p.with_file_name(format!("{}-wal", p.file_name().unwrap().to_string_lossy()));
        std::fs::copy(wal(&env.db), wal(&copy)).unwrap();
        assert!(std::fs::metadata(wal(&copy)).unwrap().len() > 0);
    }
    for file in listing(shelf.path()) {
        std::fs::set_permissions(shelf.path().join(file), std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    std::fs::set_permissions(shelf.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = listing(shelf.path());
    assert_eq!(before, ["archive.db", "archive.db-wal"]);
    let out = calldb_as_nobody(&copy, &["query", "SELECT title FROM calls WHERE call_id = 1", "--format", "csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().nth(1), Some("Only in the WAL"));
    assert_eq!(listing(shelf.path()), before, "created files beside the snapshot");
    std::fs::set_permissions(shelf.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
}
