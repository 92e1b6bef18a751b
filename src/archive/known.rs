//! The content an archive holds already, asked by the parsing threads of each file they read: content archived
//! before is not parsed again.
//!
//! An import large against its archive loads every hash once (one scan, then a lookup in memory per file); a
//! nightly import of a few files into a large archive asks the archive for each file's hash instead (two index
//! look-ups), so its cost does not grow with the archive: loading 100,000 hashes would cost more than the night's
//! files. Either way the answer only saves work: the writer checks every hash again before it stores anything.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};

pub enum KnownContent {
    /// Nothing counts as known (`--replace` reads every file).
    Nothing,
    /// Every hash of the archive, loaded at the start.
    Loaded(HashSet<String>),
    /// A read-only connection to the archive, asked per hash.
    Asked(Mutex<Connection>),
}

/// An import whose files number at least this share of the calls archived loads every hash at the start.
const LOAD_WHEN_FILES_PER_CALL: f64 = 0.05;

const HASHES: &str = "SELECT content_hash FROM calls UNION SELECT content_hash FROM call_sources";
const HAS_HASH: &str = "SELECT EXISTS (SELECT 1 FROM calls WHERE content_hash = ?1)
                            OR EXISTS (SELECT 1 FROM call_sources WHERE content_hash = ?1)";

impl KnownContent {
    /// What an import of `weight` files (a dataset counted by its size) into an archive of `archived` calls needs.
    pub fn for_import(
        conn: &Connection,
        path: &Path,
        replace: bool,
        weight: u64,
        archived: i64,
    ) -> rusqlite::Result<KnownContent> {
        if replace || archived == 0 {
            return Ok(KnownContent::Nothing);
        }
        if weight as f64 >= LOAD_WHEN_FILES_PER_CALL * archived as f64 {
            let mut stmt = conn.prepare(HASHES)?;
            let hashes = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            return Ok(KnownContent::Loaded(hashes));
        }
        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        reader.prepare_cached(HAS_HASH)?;
        Ok(KnownContent::Asked(Mutex::new(reader)))
    }

    /// True when the archive holds this content already. A failed look-up answers false: the file is parsed, and
    /// the writer, which checks again, finds it there.
    pub fn contains(&self, hash: &str) -> bool {
        match self {
            KnownContent::Nothing => false,
            KnownContent::Loaded(hashes) => hashes.contains(hash),
            KnownContent::Asked(reader) => {
                let Ok(reader) = reader.lock() else { return false };
                reader
                    .prepare_cached(HAS_HASH)
                    .and_then(|mut stmt| stmt.query_row([hash], |r| r.get::<_, bool>(0)))
                    .unwrap_or(false)
            }
        }
    }
}
