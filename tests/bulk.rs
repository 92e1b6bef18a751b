//! Bulk loads build the readers' indexes once at their end (`archive::bulk`): the schema at rest is what the
//! migrations define after a bulk import, a nightly one and one killed between loading and indexing.

mod common;

use common::Env;

/// Every schema object with its definition, as a client sees it.
fn schema(conn: &rusqlite::Connection) -> Vec<(String, String, String)> {
    conn.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The schema a fresh archive has, straight from the migrations.
fn migrated(env: &Env) -> Vec<(String, String, String)> {
    let db = env.path("fresh.db");
    env.calldb_at(&db, &["migrate"]).assert().success();
    schema(&rusqlite::Connection::open(&db).unwrap())
}

/// Distinct generated calls, split into folders of the sizes asked (the generator names calls by their place in
/// its sequence, so one run makes them all).
fn generated(env: &Env, sizes: &[(&str, usize)]) -> Vec<std::path::PathBuf> {
    let all = env.path("generated");
    let total: usize = sizes.iter().map(|(_, n)| n).sum();
    env.calldb(&["generate", all.to_str().unwrap(), "--calls", &total.to_string()]).assert().success();
    let mut files: Vec<std::path::PathBuf> =
        std::fs::read_dir(&all).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    assert_eq!(files.len(), total);
    let mut files = files.into_iter();
    sizes
        .iter()
        .map(|(name, n)| {
            let dir = env.path(name);
            std::fs::create_dir_all(&dir).unwrap();
            for f in files.by_ref().take(*n) {
                std::fs::rename(&f, dir.join(f.file_name().unwrap())).unwrap();
            }
            dir
        })
        .collect()
}

fn deferred_marks(env: &Env) -> i64 {
    env.count("SELECT count(*) FROM archive_state WHERE key LIKE 'index:%'")
}

#[test]
fn the_schema_at_rest_is_the_migrations_after_bulk_and_nightly_imports() {
    let env = Env::new();
    let expected = migrated(&env);
    let [bulk, nightly] = &generated(&env, &[("bulk", 60), ("nightly", 5)])[..] else { unreachable!() };
    env.calldb(&["import", "-q", bulk.to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM calls"), 60);
    assert_eq!(schema(&env.conn()), expected, "after a bulk import");
    assert_eq!(deferred_marks(&env), 0);
    env.calldb(&["import", "-q", nightly.to_str().unwrap()]).assert().success();
    assert_eq!(schema(&env.conn()), expected, "after a nightly import");
    // Reports read through the indexes as before.
    let plan: String = env
        .conn()
        .query_row("EXPLAIN QUERY PLAN SELECT * FROM metrics WHERE subject = 'revenue'", [], |r| r.get(3))
        .unwrap();
    assert!(plan.contains("metrics_by_subject"), "{plan}");
}

#[test]
fn a_bulk_import_killed_before_indexing_leaves_a_whole_archive_the_next_writer_finishes() {
    let env = Env::new();
    let expected = migrated(&env);
    let [bulk, more] = &generated(&env, &[("bulk", 60), ("more", 70)])[..] else { unreachable!() };
    let killed =
        env.calldb(&["import", "-q", bulk.to_str().unwrap()]).env("CALLDB_CRASH_AT", "bulk-loaded").output().unwrap();
    assert!(!killed.status.success(), "the crash point was not reached");
    // Every call is whole and the archive answers (only slower); it knows which indexes it lacks.
    assert_eq!(env.count("SELECT count(*) FROM calls"), 60);
    let integrity: String = env.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    assert!(deferred_marks(&env) > 0);
    assert_ne!(schema(&env.conn()), expected);
    let listed = common::stdout_of(&mut env.calldb(&["calls", "--format", "csv"]));
    assert_eq!(listed.lines().count(), 61, "{listed}");
    // The next writer builds them first, whatever it came to do.
    env.calldb(&["migrate"]).assert().success();
    assert_eq!(schema(&env.conn()), expected);
    assert_eq!(deferred_marks(&env), 0);
    // And an import killed the same way is finished by the next import.
    let killed =
        env.calldb(&["import", "-q", more.to_str().unwrap()]).env("CALLDB_CRASH_AT", "bulk-loaded").output().unwrap();
    assert!(!killed.status.success());
    assert!(deferred_marks(&env) > 0);
    env.calldb(&["import", "-q", more.to_str().unwrap()]).assert().success();
    assert_eq!(schema(&env.conn()), expected);
    assert_eq!(env.count("SELECT count(*) FROM calls"), 130);
    env.assert_search_index_whole();
}

#[test]
fn a_bulk_replace_keeps_every_index_it_deletes_through() {
    let env = Env::new();
    let expected = migrated(&env);
    let bulk = &generated(&env, &[("bulk", 60)])[0];
    env.calldb(&["import", "-q", bulk.to_str().unwrap()]).assert().success();
    env.calldb(&["import", "-q", "--replace", bulk.to_str().unwrap()])
        .env("CALLDB_CRASH_AT", "bulk-loaded")
        .assert()
        .success();
    assert_eq!(schema(&env.conn()), expected);
}

/// A bulk import leaves no free pages behind: the full-text index is built first, and the pages its merges free are
/// taken up by the indexes built after it. (The index is built here in 64 KB steps instead of 16 MB ones, so that a
/// test-sized import merges segments as a large one does.)
#[test]
fn a_bulk_import_leaves_no_free_pages() {
    let env = Env::new();
    env.calldb(&["migrate"]).assert().success();
    env.conn().execute("INSERT INTO turns_fts (turns_fts, rank) VALUES ('hashsize', 65536)", []).unwrap();
    let bulk = &generated(&env, &[("bulk", 60)])[0];
    env.calldb(&["import", "-q", bulk.to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM calls"), 60);
    env.assert_search_index_whole();
    assert_eq!(env.count("SELECT freelist_count FROM pragma_freelist_count"), 0);
}
