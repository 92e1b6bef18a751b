//! `calldb import`: files and folders in, whole calls out.
//!
//! The unit is the document ([`crate::source`]): a transcript file, or one record of a dataset file (JSON, JSONL,
//! CSV, Parquet), identified by its path and record key. Everything below works per document: outcomes, the
//! `imports` log, skip counts, conflicts.
//!
//! Design for speed and safety:
//! - A producer thread reads, hashes and parses documents in parallel (rayon, one thread per core),
//!   a few at a time, in file order. A dataset is streamed record by record, never held in memory whole.
//!   Documents whose content hash is already archived are not even parsed, and files that look exactly as they did
//!   when last read (see [`signature`]) are not even read — a dataset whose every record was settled included.
//! - The calling thread is the only writer. Each batch is one transaction holding whole calls, with a savepoint per
//!   file so one bad file costs only itself. A crash or `kill -9` at any moment loses at most the open batch,
//!   never half a call; running the import again finishes the job (already archived files are `unchanged`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rusqlite::{params, Transaction};
use serde::Serialize;

use super::known::KnownContent;
use super::signature::{self, FileSignature};
use super::store::{self, Source};
use super::{now_utc, Archive, ArchiveError, Result};
use crate::analysis::{self, Analysis};
use crate::model::Transcript;
use crate::parse::{self, ParseError};
use crate::source::{self, Form, Item, RawRecord};

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// File-name pattern for files found inside folders (files named directly are always read).
    pub glob: String,
    /// Swap in a different file for a call already archived, instead of refusing it as a conflict.
    pub replace: bool,
    /// Stop at the first failed file.
    pub strict: bool,
    /// Files per transaction.
    pub batch_size: usize,
    /// Index speech for full-text search and extract figures. Always on from the command line; off only to
    /// measure what they cost (an archive imported without them misses search hits and figures for those calls).
    pub understand: bool,
    /// How file names are built, for header facts the text lacks (`{ticker}_{year}_Q{quarter}_*.txt`).
    pub name_pattern: Option<parse::NamePattern>,
    /// Archive transcripts that end before their closing blocks, flagged as incomplete, instead of failing them.
    pub allow_truncated: bool,
    /// Company names mapped to tickers (`--companies FILE`), for a ticker neither the text nor the file name gives.
    pub companies: Option<parse::CompanyDirectory>,
    /// Where dataset records keep facts under names calldb does not recognize (`--field ticker=meta.symbol`).
    pub fields: source::FieldMap,
    /// A file modified less than this long ago is left for the next import (it may still be being written).
    pub settle: Duration,
}

/// Files taken from folders by default: text files, saved pages and the dataset forms.
pub const DEFAULT_GLOB: &str = "*.{txt,html,htm,pdf,json,jsonl,ndjson,csv,tsv,parquet}";

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            glob: DEFAULT_GLOB.into(),
            replace: false,
            strict: false,
            batch_size: 128,
            understand: true,
            name_pattern: None,
            allow_truncated: false,
            companies: None,
            fields: source::FieldMap::default(),
            settle: Duration::ZERO,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Imported,
    Unchanged,
    Replaced,
    Conflict,
    /// The same call from another source (another publisher's copy), already archived: recorded, not stored twice.
    Duplicate,
    Failed,
    /// Changed moments ago (a download still being written?): not read now, read by the next import. Not logged.
    Deferred,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Imported => "imported",
            Status::Unchanged => "unchanged",
            Status::Replaced => "replaced",
            Status::Conflict => "conflict",
            Status::Duplicate => "duplicate",
            Status::Failed => "failed",
            Status::Deferred => "deferred",
        }
    }
}

/// What happened to one document: a transcript file, or one record of a dataset file.
#[derive(Debug, Clone, Serialize)]
pub struct FileOutcome {
    pub path: PathBuf,
    /// The record's key within its dataset file (`1834`, `/2021/Q3/0`); `None` for a transcript file.
    pub record: Option<String>,
    /// How many documents this outcome stands for: 1, or a whole dataset's records when the dataset was unchanged
    /// and not read again.
    pub documents: usize,
    /// The bytes the outcome accounts for (the file, or the record), for progress.
    pub bytes: u64,
    pub status: Status,
    pub call_id: Option<i64>,
    pub line: Option<usize>,
    pub message: Option<String>,
    pub warnings: Vec<String>,
}

impl FileOutcome {
    /// `data.jsonl#1834`, or the path of a transcript file.
    pub fn document(&self) -> String {
        match &self.record {
            Some(key) => format!("{}#{key}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    fn failed(path: PathBuf, record: Option<String>, line: Option<usize>, message: String) -> FileOutcome {
        FileOutcome {
            path,
            record,
            documents: 1,
            bytes: 0,
            status: Status::Failed,
            call_id: None,
            line,
            message: Some(message),
            warnings: Vec::new(),
        }
    }
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct ImportSummary {
    /// Files read (a dataset file counts once).
    pub files: usize,
    /// Calls settled: one per transcript file, one per dataset record.
    pub documents: usize,
    pub imported: usize,
    pub unchanged: usize,
    pub replaced: usize,
    pub conflicts: usize,
    /// Copies of calls already archived from another source.
    pub duplicates: usize,
    pub failed: usize,
    /// Files changed within `--settle` seconds: left for the next import.
    pub deferred: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    /// True when `--strict` stopped the import at a failure.
    pub stopped_early: bool,
}

impl ImportSummary {
    pub fn megabytes_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs == 0.0 {
            0.0
        } else {
            self.bytes as f64 / 1_000_000.0 / secs
        }
    }

    fn count(&mut self, outcome: &FileOutcome) {
        let n = outcome.documents;
        self.documents += n;
        match outcome.status {
            Status::Imported => self.imported += n,
            Status::Unchanged => self.unchanged += n,
            Status::Replaced => self.replaced += n,
            Status::Conflict => self.conflicts += n,
            Status::Duplicate => self.duplicates += n,
            Status::Failed => self.failed += n,
            Status::Deferred => self.deferred += n,
        }
    }
}

/// Files parsed together and handed to the writer at once.
const PARSE_CHUNK_FILES: usize = 16;

/// Imports of at least this many files (and at least as many as the archive holds) build the index in bulk.
const BULK_INDEX_MIN_FILES: usize = 50;

/// The largest file `import` reads. A transcript is tens or hundreds of kilobytes and a saved page a few megabytes;
/// anything this large is not a transcript, and refusing it keeps one stray file from costing the night's import
/// its time and memory.
pub const MAX_FILE_BYTES: u64 = crate::parse::MAX_FILE_BYTES as u64;

/// The files to import, and what could not be looked at while finding them.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to import, in a stable order.
    pub files: Vec<PathBuf>,
    /// Folders and entries that could not be read (permissions, symbolic-link loops, vanished entries), each with
    /// why; they are reported as failed, never skipped silently.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Files inside folders that the pattern left out, counted by extension (`.nlp`, `(no extension)`), in order of
    /// the count: said, never skipped silently.
    pub skipped: Vec<(String, usize)>,
    /// Files and folders the user said to leave alone (`--exclude`, `.calldbignore`): counted, never read.
    pub ignored: usize,
}

impl Discovery {
    /// `44 files skipped (.nlp: 40, .md: 4)`, or `None` when nothing was skipped.
    pub fn skipped_summary(&self, glob: &str) -> Option<String> {
        let total: usize = self.skipped.iter().map(|(_, n)| n).sum();
        let ignored = (self.ignored > 0).then(|| {
            format!(
                "{} file{} or folder{} ignored (--exclude, .calldbignore)",
                self.ignored,
                if self.ignored == 1 { "" } else { "s" },
                if self.ignored == 1 { "" } else { "s" }
            )
        });
        if total == 0 {
            return ignored;
        }
        let reason =
            if glob == DEFAULT_GLOB { "not a form calldb reads".to_string() } else { format!("not matching `{glob}`") };
        let by_extension: Vec<String> = self.skipped.iter().map(|(ext, n)| format!("{ext}: {n}")).collect();
        let skipped = format!(
            "{total} file{} skipped ({}; {reason})",
            if total == 1 { "" } else { "s" },
            by_extension.join(", ")
        );
        Some(match ignored {
            Some(ignored) => format!("{skipped}; {ignored}"),
            None => skipped,
        })
    }
}

/// The name of the ignore file a folder may hold: gitignore syntax, for the folder and everything under it.
pub const IGNORE_FILE: &str = ".calldbignore";

/// What the user said to leave alone inside folders: `--exclude` globs (matched against the file name and the path
/// under the folder given) and `.calldbignore` files (gitignore syntax, through the `ignore` crate).
struct Ignores {
    excludes: globset::GlobSet,
    /// The ignore files of the folders above the entry being looked at, nearest last.
    stack: Vec<(PathBuf, ignore::gitignore::Gitignore)>,
}

impl Ignores {
    fn new(excludes: &[String]) -> Result<Ignores> {
        let mut set = globset::GlobSetBuilder::new();
        for pattern in excludes {
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(false)
                .build()
                .map_err(|e| ArchiveError::Io(format!("bad --exclude `{pattern}`: {e}")))?;
            set.add(glob);
        }
        let excludes = set.build().map_err(|e| ArchiveError::Io(format!("bad --exclude: {e}")))?;
        Ok(Ignores { excludes, stack: Vec::new() })
    }

    /// True when the entry at `path` (under the folder `root`) is to be left alone.
    fn ignored(&mut self, root: &Path, path: &Path, is_dir: bool) -> bool {
        self.stack.retain(|(dir, _)| path.starts_with(dir) && path != dir);
        let relative = path.strip_prefix(root).unwrap_or(path);
        if self.excludes.is_match(relative) || path.file_name().is_some_and(|n| self.excludes.is_match(n)) {
            return true;
        }
        for (_, rules) in self.stack.iter().rev() {
            match rules.matched(path, is_dir) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => {}
            }
        }
        false
    }

    /// Reads the ignore file of a folder being entered, if it has one.
    fn enter(&mut self, dir: &Path) -> Result<()> {
        let file = dir.join(IGNORE_FILE);
        if file.is_file() {
            let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
            if let Some(e) = builder.add(&file) {
                return Err(ArchiveError::Io(format!("{}: {e}", file.display())));
            }
            let rules = builder.build().map_err(|e| ArchiveError::Io(format!("{}: {e}", file.display())))?;
            self.stack.push((dir.to_path_buf(), rules));
        }
        Ok(())
    }
}

/// Expands files and folders (recursively) into the files to import, in a stable order.
/// Folder entries must match `glob` and not be excluded (`excludes`, `.calldbignore`); files named directly are
/// always taken. A path that does not exist is kept so that it is reported as a failed file rather than silently
/// skipped.
pub fn discover(paths: &[PathBuf], glob: &str, excludes: &[String]) -> Result<Discovery> {
    let matcher = globset::GlobBuilder::new(glob)
        .literal_separator(false)
        .build()
        .map_err(|e| ArchiveError::Io(format!("bad --glob `{glob}`: {e}")))?
        .compile_matcher();
    let mut found = Discovery::default();
    let mut skipped: HashMap<String, usize> = HashMap::new();
    for path in paths {
        if path.is_dir() {
            let mut files = Vec::new();
            let mut ignores = Ignores::new(excludes)?;
            let mut walk = walkdir::WalkDir::new(path).follow_links(true).into_iter();
            while let Some(entry) = walk.next() {
                if let Ok(e) = &entry {
                    if e.depth() > 0 && ignores.ignored(path, e.path(), e.file_type().is_dir()) {
                        found.ignored += 1;
                        if e.file_type().is_dir() {
                            walk.skip_current_dir();
                        }
                        continue;
                    }
                    if e.file_type().is_dir() {
                        ignores.enter(e.path())?;
                    }
                }
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        if e.file_name() == IGNORE_FILE {
                            continue;
                        }
                        if matcher.is_match(e.file_name()) {
                            files.push(e.into_path());
                        } else {
                            let ext = e.path().extension().map_or_else(
                                || "(no extension)".to_string(),
                                |x| format!(".{}", x.to_string_lossy().to_lowercase()),
                            );
                            *skipped.entry(ext).or_default() += 1;
                        }
                    }
                    // A named pipe, socket or device inside a folder is never opened (a pipe would block for ever).
                    Ok(e) if !e.file_type().is_dir() => {
                        *skipped.entry("(not a regular file)".to_string()).or_default() += 1;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let at = e.path().map_or_else(|| path.clone(), Path::to_path_buf);
                        let why = match (e.loop_ancestor(), e.io_error()) {
                            (Some(ancestor), _) => {
                                format!("symbolic link loop back to {}: not followed", ancestor.display())
                            }
                            (None, Some(io)) => format!("cannot read: {io}"),
                            (None, None) => e.to_string(),
                        };
                        found.unreadable.push((at, why));
                    }
                }
            }
            files.sort();
            found.files.extend(files);
        } else {
            found.files.push(path.clone());
        }
    }
    found.skipped = skipped.into_iter().collect();
    found.skipped.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(found)
}

/// Imports what [`discover`] found: the files, then a failed entry (in the summary and the `imports` log) for
/// each folder or entry that could not be read.
pub fn import_discovered(
    archive: &mut Archive,
    found: &Discovery,
    options: &ImportOptions,
    on_file: &mut dyn FnMut(&FileOutcome),
) -> Result<ImportSummary> {
    let mut summary = import_files(archive, &found.files, options, on_file)?;
    if !found.unreadable.is_empty() {
        let path = archive.path.clone();
        let tx = archive.write_transaction()?;
        let now = now_utc();
        for (at, why) in &found.unreadable {
            let outcome = FileOutcome::failed(at.clone(), None, None, why.clone());
            log_outcome(&tx, &outcome, None, 0, &now).map_err(|e| super::sqlite_err(&path, e))?;
            summary.files += 1;
            summary.count(&outcome);
            on_file(&outcome);
        }
        tx.commit().map_err(|e| super::sqlite_err(&path, e))?;
    }
    Ok(summary)
}

/// The parse result: `None` when the content is already archived; the error's line and message on failure.
type Parsed = std::result::Result<Option<(Transcript, Analysis)>, (Option<usize>, String)>;

/// A document after the parallel stage: read, hashed, and parsed unless already archived.
struct Prepared {
    path: PathBuf,
    /// The record's key within its dataset file; `None` for a transcript file (or a dataset of one record).
    record: Option<String>,
    /// True for a record of a dataset file (its outcome counts towards the dataset's signature).
    from_dataset: bool,
    /// Changed within `--settle`: not read, left for the next import.
    deferred: bool,
    started_at: String,
    hash: Option<String>,
    size: u64,
    parsed: Parsed,
    /// What the file looked like when it was read, to be recorded with its outcome (`None`: not read, a dataset
    /// record, or changed too recently for its signature to prove anything later).
    signature: Option<FileSignature>,
}

/// What the parsers hand the writer, in file order.
enum Settle {
    Document(Box<Prepared>),
    /// A dataset file read to its end (or as far as it could be): its signature is recorded if every record was
    /// settled and the file did not change while it was read.
    DatasetRead {
        path: PathBuf,
        signature: Option<FileSignature>,
        records: usize,
        whole: bool,
    },
    /// A dataset file that looks as it did when all its records were last settled: not read again.
    DatasetUnchanged {
        path: PathBuf,
        records: usize,
        started_at: String,
    },
}

/// A unit of work for the parsers.
enum Job {
    File(PathBuf),
    Record {
        file: std::sync::Arc<PathBuf>,
        record: RawRecord,
    },
    /// Something already settled while reading a dataset (a bad record, a file that stopped being readable, the
    /// end of a dataset).
    Settled(Box<Settle>),
}

/// Reads a whole file, refusing one over [`MAX_FILE_BYTES`] and one that changes while it is read (a download
/// still being written, a file being replaced): what is parsed is exactly one version of the file, whose metadata
/// is returned.
fn read_stable(path: &Path, bytes: &mut Vec<u8>) -> std::result::Result<std::fs::Metadata, String> {
    use std::io::Read;
    source::regular_file(path)?;
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read file: {e}"))?;
    let before = file.metadata().map_err(|e| format!("cannot read file: {e}"))?;
    if !before.is_file() {
        return Err("not a regular file".into());
    }
    if before.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MB, over the {} MB limit for one transcript: not read (a dataset of many calls is read \
             record by record when it is .json, .jsonl, .csv or .parquet)",
            before.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    bytes.clear();
    bytes.reserve(before.len() as usize);
    (&mut file).take(MAX_FILE_BYTES + 1).read_to_end(bytes).map_err(|e| format!("cannot read file: {e}"))?;
    let after = std::fs::metadata(path).map_err(|e| format!("file disappeared while being read: {e}"))?;
    let changed = bytes.len() as u64 != before.len()
        || after.len() != before.len()
        || after.modified().ok() != before.modified().ok()
        || FileSignature::of(&after) != FileSignature::of(&before);
    if changed {
        return Err("file changed while being read (still being written or replaced?): not archived; import it \
                    again once it is complete"
            .into());
    }
    Ok(before)
}

thread_local! {
    /// Each parsing thread reads every file into the same buffer: a fresh one per file would have the system hand
    /// out (and zero) new pages for each, which is most of what re-importing an unchanged folder costs.
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A buffer kept past this size is given back, so one large saved page does not stay in memory.
const KEPT_BUFFER_BYTES: usize = 4 << 20;

/// What every parsing thread shares: the hashes already archived, the options, and what to do before the first
/// file that needs parsing.
struct Preparing<'a> {
    known: &'a KnownContent,
    /// What each file looked like when it was last read, with the hash of what was read then.
    signatures: &'a HashMap<String, signature::Recorded>,
    options: &'a ImportOptions,
    /// Called before each parse; the import uses it to start compiling the figure patterns on a spare thread the
    /// first time, so an import that parses nothing (a re-import of an unchanged folder) never compiles them.
    before_parse: &'a (dyn Fn() + Sync),
}

impl Preparing<'_> {
    /// Parses a transcript (a file's bytes) or has a record parsed, then works out its exchanges and figures here,
    /// in parallel, so the single writer only inserts.
    fn finish(&self, parsed: std::result::Result<Transcript, (Option<usize>, String)>) -> Parsed {
        parsed
            .and_then(|t| match t.truncated_at_line {
                Some(line) if !self.options.allow_truncated => {
                    let e = ParseError::Truncated { line, layout: t.layout };
                    Err((e.line(), e.to_string()))
                }
                _ => Ok(t),
            })
            .map(|t| {
                let analysis = analysis::analyze(&t, self.options.understand);
                Some((t, analysis))
            })
    }
}

fn prepare(job: Job, preparing: &Preparing) -> Settle {
    match job {
        Job::File(path) => Settle::Document(Box::new(READ_BUFFER.with_borrow_mut(|bytes| {
            let prepared = prepare_file(&path, preparing, bytes);
            if bytes.capacity() > KEPT_BUFFER_BYTES {
                *bytes = Vec::new();
            }
            prepared
        }))),
        Job::Record { file, record } => Settle::Document(Box::new(prepare_record(&file, record, preparing))),
        Job::Settled(settle) => *settle,
    }
}

fn prepare_file(path: &Path, preparing: &Preparing, bytes: &mut Vec<u8>) -> Prepared {
    let Preparing { known, options, before_parse, .. } = *preparing;
    let started_at = now_utc();
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some(unchanged) = recognise(&path, preparing, &started_at) {
        return unchanged;
    }
    if changed_within(&path, options.settle) {
        return Prepared {
            path,
            record: None,
            from_dataset: false,
            deferred: true,
            started_at,
            hash: None,
            size: 0,
            parsed: Ok(None),
            signature: None,
        };
    }
    let read_at = std::time::SystemTime::now();
    let signature = match read_stable(&path, bytes) {
        Ok(meta) => FileSignature::of(&meta).filter(|s| s.settled_at(read_at)),
        Err(message) => {
            return Prepared {
                path,
                record: None,
                from_dataset: false,
                deferred: false,
                started_at,
                hash: None,
                size: 0,
                parsed: Err((None, message)),
                signature: None,
            }
        }
    };
    let bytes = &bytes[..];
    let hash = blake3::hash(bytes).to_hex().to_string();
    let parsed = if known.contains(&hash) {
        Ok(None)
    } else {
        before_parse();
        let parsed = match source::sniff_bytes(bytes) {
            // An API response saved under a transcript's name: one record, read as such.
            Some(Form::Json) => api_response(bytes, &path, options),
            _ => {
                let parse_options = parse::ParseOptions {
                    path: Some(&path),
                    name_pattern: options.name_pattern.as_ref(),
                    companies: options.companies.as_ref(),
                    record: None,
                };
                parse::parse_file(bytes, parse_options).map_err(|e| (e.line(), e.to_string()))
            }
        };
        preparing.finish(parsed)
    };
    Prepared {
        path,
        record: None,
        from_dataset: false,
        deferred: false,
        started_at,
        size: bytes.len() as u64,
        hash: Some(hash),
        parsed,
        signature,
    }
}

/// A transcript-named file that holds JSON: an API response of one call, read as a record. One that holds several
/// records is refused with the way to import them.
fn api_response(
    bytes: &[u8],
    path: &Path,
    options: &ImportOptions,
) -> std::result::Result<Transcript, (Option<usize>, String)> {
    let mut items = source::json::records_in(bytes, &options.fields);
    match items.len() {
        1 => match items.remove(0) {
            Item::Record(record) => {
                let value = record.value().map_err(|e| (None, e.0))?;
                source::parse_record(
                    &value,
                    path,
                    &options.fields,
                    options.name_pattern.as_ref(),
                    options.companies.as_ref(),
                )
                .map_err(|e| (None, e))
            }
            Item::BadRecord { message, .. } => Err((None, message)),
            Item::Stopped(e) => Err((e.line, e.message)),
        },
        _ if looks_like_json_lines(bytes) => {
            Err((None, "holds JSON lines (a record a line): name it `.jsonl` to import them record by record".into()))
        }
        n => Err((
            None,
            format!("holds {n} JSON records: name it `.json` (or `.jsonl`) to import them record by record"),
        )),
    }
}

/// A record a line: the first line is a whole JSON object, and another line starts one.
fn looks_like_json_lines(bytes: &[u8]) -> bool {
    let mut lines = bytes.split(|b| *b == b'\n').map(<[u8]>::trim_ascii).filter(|l| !l.is_empty());
    let first_is_object = lines.next().is_some_and(|l| {
        l.starts_with(b"{") && serde_json::from_slice::<serde_json::Value>(l).is_ok_and(|v| v.is_object())
    });
    first_is_object && lines.next().is_some_and(|l| l.starts_with(b"{"))
}

/// Hashes a dataset record and, unless its content is archived already, reads it as a call.
fn prepare_record(file: &Path, record: RawRecord, preparing: &Preparing) -> Prepared {
    let options = preparing.options;
    let started_at = now_utc();
    let identity = record.identity();
    let hash = blake3::hash(&identity).to_hex().to_string();
    let size = identity.len() as u64;
    drop(identity);
    let (key, line) = (record.key.clone(), record.line);
    let parsed = if preparing.known.contains(&hash) {
        Ok(None)
    } else {
        (preparing.before_parse)();
        let transcript = record.value().map_err(|e| e.0).and_then(|value| {
            source::parse_record(
                &value,
                file,
                &options.fields,
                options.name_pattern.as_ref(),
                options.companies.as_ref(),
            )
        });
        preparing.finish(transcript.map_err(|message| (line, message)))
    };
    Prepared {
        path: file.to_path_buf(),
        record: key,
        from_dataset: true,
        deferred: false,
        started_at,
        hash: Some(hash),
        size,
        parsed,
        signature: None,
    }
}

/// A file that looks exactly as it did when it was last read, whose content then is still an archived call's:
/// unchanged, settled without reading it again.
/// `--replace` reads every file: it is also the way to have files read again where change times cannot be trusted.
fn recognise(path: &Path, preparing: &Preparing, started_at: &str) -> Option<Prepared> {
    if preparing.options.replace {
        return None;
    }
    let recorded = preparing.signatures.get(path.display().to_string().as_str())?;
    if recorded.records.is_some() || !preparing.known.contains(&recorded.content_hash) {
        return None;
    }
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || FileSignature::of(&meta)? != recorded.signature {
        return None;
    }
    Some(Prepared {
        path: path.to_path_buf(),
        record: None,
        from_dataset: false,
        deferred: false,
        started_at: started_at.to_string(),
        hash: Some(recorded.content_hash.clone()),
        size: meta.len(),
        parsed: Ok(None),
        signature: None,
    })
}

/// True when the file was modified less than `settle` ago: it may still be being written (a download, a copy).
fn changed_within(path: &Path, settle: Duration) -> bool {
    !settle.is_zero()
        && std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age < settle)
}

/// A dataset file that looks exactly as it did when every one of its records was last settled: the number of its
/// records, without reading it.
fn recognise_dataset(path: &Path, preparing: &Preparing) -> Option<usize> {
    if preparing.options.replace {
        return None;
    }
    let recorded = preparing.signatures.get(path.display().to_string().as_str())?;
    let records = recorded.records?;
    let meta = std::fs::metadata(path).ok()?;
    (meta.is_file() && FileSignature::of(&meta)? == recorded.signature).then_some(records as usize)
}

/// Imports `files` into the archive, calling `on_file` after each document is settled (for progress and messages).
pub fn import_files(
    archive: &mut Archive,
    files: &[PathBuf],
    options: &ImportOptions,
    on_file: &mut dyn FnMut(&FileOutcome),
) -> Result<ImportSummary> {
    let started = Instant::now();
    // Content already archived, and copies already recorded as another source of a call, are not parsed again;
    // `--replace` parses every file, since the facts given for it may have changed what it makes.
    let archived: i64 =
        archive.conn.query_row("SELECT count(*) FROM calls", [], |r| r.get(0)).map_err(|e| archive.err(e))?;
    let signatures = signature::load_for(&archive.conn, files).map_err(|e| archive.err(e))?;
    let mut summary = ImportSummary { files: files.len(), ..Default::default() };
    // A large import (at least as many files as calls already archived) indexes speech in one bulk build at the end,
    // which FTS5 does several times faster than batch by batch; a small nightly import indexes batch by batch. A large
    // `--replace` also empties the index first, so the calls it replaces need not be taken out of it turn by turn.
    // A dataset counts by its size: a typical call is some 50 KB.
    let weight: u64 = files
        .iter()
        .map(|f| match Form::of_extension(f) {
            Some(form) if form.is_dataset() => std::fs::metadata(f).map_or(1, |m| (m.len() / 50_000).max(1)),
            _ => 1,
        })
        .sum();
    let large = weight >= BULK_INDEX_MIN_FILES as u64 && weight >= archived as u64;
    let bulk_index = options.understand && large;
    let known = KnownContent::for_import(&archive.conn, &archive.path, options.replace, weight, archived)
        .map_err(|e| archive.err(e))?;
    // Such an import also builds the readers' secondary indexes at its end (see `bulk`), unless it replaces calls:
    // each delete cascades through the child tables by those indexes.
    let bulk_load = large && !options.replace;
    let stop = AtomicBool::new(false);
    let batch_size = options.batch_size.max(1);
    // Documents travel from the parsers to the writer a few at a time, so the writer starts as soon as the first few
    // are parsed and little parsed text waits in memory; a transaction still holds `batch_size` documents.
    let chunk_size = batch_size.min(PARSE_CHUNK_FILES);
    let (sender, receiver) = sync_channel::<Vec<Settle>>(2);
    let path = archive.path.clone();
    let patterns = std::sync::Once::new();

    let loaded = std::thread::scope(|scope| -> Result<()> {
        let known = &known;
        let signatures = &signatures;
        let stop = &stop;
        let patterns = &patterns;
        // The figure and guidance patterns take tens of milliseconds to compile: a spare thread compiles them while the first
        // file to parse is being read and its speech parsed, so neither the parser nor the writer waits for them.
        let compile_patterns = move || {
            if options.understand {
                patterns.call_once(|| {
                    // Where no thread can be started, the parser compiles them at its first figure instead.
                    let _ = std::thread::Builder::new().spawn_scoped(scope, analysis::compile_patterns);
                });
            }
        };
        scope.spawn(move || {
            let preparing = Preparing { known, signatures, options, before_parse: &compile_patterns };
            let parsers = parser_pool();
            let mut batch = Batcher { pending: Vec::new(), size: 1, largest: chunk_size, stop };
            let mut send = |jobs: Vec<Job>| -> bool {
                let prepare_all = || jobs.into_par_iter().map(|job| prepare(job, &preparing)).collect();
                let prepared: Vec<Settle> = match &parsers {
                    Some(pool) => pool.install(prepare_all),
                    None => prepare_all(),
                };
                sender.send(prepared).is_ok()
            };
            for file in files {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                // A transcript-named file is read on a parsing thread (which also reads an API response saved as
                // `.txt`); only a file whose extension says nothing is looked at here.
                let form = source::Form::of_extension(file).unwrap_or_else(|| source::Form::of(file));
                if !form.is_dataset() {
                    if !batch.push(Job::File(file.clone()), &mut send) {
                        break;
                    }
                    continue;
                }
                if !read_dataset(file, form, &preparing, &mut batch, &mut send) {
                    break;
                }
            }
            batch.flush(&mut send);
        });
        let result = (|| {
            let mut items = receiver.iter().flatten().peekable();
            let mut stored = Vec::new();
            let mut first = true;
            let mut datasets: HashMap<PathBuf, DatasetTally> = HashMap::new();
            while items.peek().is_some() {
                let mut tx = archive.write_transaction()?;
                if std::mem::take(&mut first) {
                    if bulk_index && options.replace {
                        store::empty_index(&tx).map_err(|e| super::sqlite_err(&path, e))?;
                    }
                    if bulk_load {
                        super::bulk::defer_indexes(&tx).map_err(|e| super::sqlite_err(&path, e))?;
                    }
                }
                let mut in_batch = 0;
                for item in items.by_ref() {
                    let outcome = match item {
                        Settle::Document(item) => {
                            summary.bytes += item.size;
                            // Calls stored earlier in this transaction wait for the batch's index statement; one of
                            // them may be replaced before then (two copies of a call in one import).
                            let unindexed = (options.understand && !bulk_index).then_some(&mut stored);
                            let dataset = item.from_dataset.then(|| datasets.entry(item.path.clone()).or_default());
                            let outcome = write_one(&mut tx, *item, options, unindexed, dataset)
                                .map_err(|e| super::sqlite_err(&path, e))?;
                            if matches!(outcome.status, Status::Imported | Status::Replaced) {
                                stored.extend(outcome.call_id);
                            }
                            Some(outcome)
                        }
                        Settle::DatasetRead { path: file, signature, records, whole } => {
                            let tally = datasets.remove(&file).unwrap_or_default();
                            finish_dataset(&tx, &file, signature, records, whole, &tally)
                                .map_err(|e| super::sqlite_err(&path, e))?
                        }
                        Settle::DatasetUnchanged { path: file, records, started_at } => {
                            let bytes = std::fs::metadata(&file).map_or(0, |m| m.len());
                            let outcome = FileOutcome {
                                path: file,
                                record: None,
                                documents: records,
                                bytes,
                                status: Status::Unchanged,
                                call_id: None,
                                line: None,
                                message: Some(format!(
                                    "dataset unchanged since its {records} records were archived: not read again"
                                )),
                                warnings: Vec::new(),
                            };
                            log_outcome(&tx, &outcome, None, 0, &started_at)
                                .map_err(|e| super::sqlite_err(&path, e))?;
                            Some(outcome)
                        }
                    };
                    let Some(outcome) = outcome else { continue };
                    summary.count(&outcome);
                    on_file(&outcome);
                    in_batch += outcome.documents.min(1);
                    if options.strict && outcome.status == Status::Failed {
                        summary.stopped_early = true;
                        break;
                    }
                    if in_batch >= batch_size {
                        break;
                    }
                }
                finish_batch(tx, &mut stored, bulk_index, options).map_err(|e| super::sqlite_err(&path, e))?;
                if summary.stopped_early {
                    break;
                }
            }
            Ok(())
        })();
        // Whatever happened, tell the producer to stop and let it drain.
        stop.store(true, Ordering::Relaxed);
        drop(receiver);
        result
    });
    if bulk_load {
        crate::crash::point("bulk-loaded");
    }
    // The full-text index is built before the deferred indexes: FTS5 merges the segments of a large build as it goes
    // and frees the pages of the merged ones, which the indexes built after it take up again, so the archive is not
    // left carrying them empty (1 % to 3 % of a large archive).
    let indexed = match &loaded {
        Ok(()) if bulk_index => rebuild_pending_index(archive),
        _ => Ok(()),
    };
    // Also when the import stopped on an error: readers get their indexes back now if the archive allows it (if not,
    // the next writer builds them).
    let built = if bulk_load { archive.build_deferred_indexes() } else { Ok(()) };
    // The analysts whose appearances this import stored or replaced get their analyst-coverage rows built again, in
    // one pass however many there are (until then the report computes them from their appearances).
    let covered = archive.refresh_coverage();
    loaded.and(indexed).and(built).and(covered)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Builds the full-text index in bulk when turns wait for it.
fn rebuild_pending_index(archive: &mut Archive) -> Result<()> {
    if store::index_pending(&archive.conn).map_err(|e| archive.err(e))? {
        archive.rebuild_index()?;
    }
    Ok(())
}

/// Jobs gathered into chunks of 1, 2, 4, … up to `largest`: the writer gets its first document as soon as one is
/// parsed, and later chunks are large enough to keep the parsers busy.
struct Batcher<'a> {
    pending: Vec<Job>,
    size: usize,
    largest: usize,
    stop: &'a AtomicBool,
}

impl Batcher<'_> {
    /// Adds a job, handing a full chunk to `send`; false once the writer wants no more.
    fn push(&mut self, job: Job, send: &mut dyn FnMut(Vec<Job>) -> bool) -> bool {
        self.pending.push(job);
        if self.pending.len() >= self.size {
            self.size = (self.size * 2).min(self.largest.max(1));
            return send(std::mem::take(&mut self.pending)) && !self.stop.load(Ordering::Relaxed);
        }
        true
    }

    fn flush(&mut self, send: &mut dyn FnMut(Vec<Job>) -> bool) {
        if !self.pending.is_empty() {
            send(std::mem::take(&mut self.pending));
        }
    }
}

/// Streams a dataset file's records into the batcher, then its end. False once the writer wants no more.
fn read_dataset(
    file: &Path,
    form: Form,
    preparing: &Preparing,
    batch: &mut Batcher,
    send: &mut dyn FnMut(Vec<Job>) -> bool,
) -> bool {
    let path = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let started_at = now_utc();
    if let Some(records) = recognise_dataset(&path, preparing) {
        return batch.push(Job::Settled(Box::new(Settle::DatasetUnchanged { path, records, started_at })), send);
    }
    let failed = |record: Option<String>, line: Option<usize>, message: String| {
        Job::Settled(Box::new(Settle::Document(Box::new(Prepared {
            path: path.clone(),
            record,
            from_dataset: true,
            deferred: false,
            started_at: now_utc(),
            hash: None,
            size: 0,
            parsed: Err((line, message)),
            signature: None,
        }))))
    };
    if changed_within(&path, preparing.options.settle) {
        return batch.push(
            Job::Settled(Box::new(Settle::Document(Box::new(Prepared {
                path: path.clone(),
                record: None,
                from_dataset: false,
                deferred: true,
                started_at: now_utc(),
                hash: None,
                size: 0,
                parsed: Ok(None),
                signature: None,
            })))),
            send,
        );
    }
    let read_at = std::time::SystemTime::now();
    let before = std::fs::metadata(&path).ok();
    let records = match source::records(&path, form, &preparing.options.fields) {
        Ok(records) => records,
        Err(e) => {
            return batch.push(failed(None, e.line, format!("cannot read as {}: {}", form.as_str(), e.message)), send)
        }
    };
    let shared = std::sync::Arc::new(path.clone());
    let mut count = 0;
    let mut whole = true;
    for item in records {
        if preparing.options.strict && batch.stop.load(Ordering::Relaxed) {
            return false;
        }
        let job = match item {
            Item::Record(record) => {
                count += 1;
                Job::Record { file: shared.clone(), record }
            }
            Item::BadRecord { key, line, message } => {
                count += 1;
                failed(key, line, message)
            }
            Item::Stopped(e) if count == 0 => {
                whole = false;
                failed(None, e.line, e.message)
            }
            Item::Stopped(e) => {
                whole = false;
                let message = format!(
                    "{} stopped being readable: {} (the {count} records before are kept)",
                    form.as_str(),
                    e.message
                );
                failed(None, e.line, message)
            }
        };
        if !batch.push(job, send) {
            return false;
        }
    }
    if count == 0 && whole {
        whole = false;
        if !batch.push(failed(None, None, format!("the {} file holds no records", form.as_str())), send) {
            return false;
        }
    }
    let after = std::fs::metadata(&path).ok();
    let unchanged = match (&before, &after) {
        (Some(b), Some(a)) => FileSignature::of(b) == FileSignature::of(a) && b.len() == a.len(),
        _ => false,
    };
    if !unchanged {
        whole = false;
        let message = "file changed while being read (still being written?): records read may be incomplete; import \
                       it again once it is complete"
            .to_string();
        if !batch.push(failed(None, None, message), send) {
            return false;
        }
    }
    let signature = before.as_ref().and_then(FileSignature::of).filter(|s| s.settled_at(read_at));
    batch.push(Job::Settled(Box::new(Settle::DatasetRead { path, signature, records: count, whole })), send)
}

/// What the writer saw of one dataset's records.
#[derive(Default)]
struct DatasetTally {
    /// Records failed or refused as conflicts: the dataset is read again next time.
    unsettled: usize,
    /// Records whose content was archived already: logged as one line, not one a record.
    unchanged: usize,
    /// The record hashes in order, for the dataset's fingerprint.
    digest: blake3::Hasher,
}

/// Logs a dataset's unchanged records as one line, and records its signature if every record was settled and the
/// file was read whole and unchanged, so an unchanged dataset is not read again.
fn finish_dataset(
    tx: &Transaction,
    path: &Path,
    signature: Option<FileSignature>,
    records: usize,
    whole: bool,
    tally: &DatasetTally,
) -> rusqlite::Result<Option<FileOutcome>> {
    let path_text = path.display().to_string();
    if tally.unchanged > 0 {
        let outcome = FileOutcome {
            path: path.to_path_buf(),
            record: None,
            documents: 0,
            bytes: 0,
            status: Status::Unchanged,
            call_id: None,
            line: None,
            message: Some(format!("{} of its {records} records already archived", tally.unchanged)),
            warnings: Vec::new(),
        };
        log_outcome(tx, &outcome, None, 0, &now_utc())?;
    }
    if let (Some(signature), true, 0) = (signature, whole && records > 0, tally.unsettled) {
        let digest = tally.digest.clone().finalize().to_hex().to_string();
        signature::record(tx, &path_text, &signature, &digest, Some(records as i64))?;
    } else {
        tx.prepare_cached("DELETE FROM file_signatures WHERE path = ?1")?.execute([&path_text])?;
    }
    Ok(None)
}

/// The threads that parse: one per core. Parsing and analysing a call costs more than storing it, so the writer
/// waits for parsed calls more than it works, and a parser on its core uses the time it would wait (dev corpus on
/// two cores: 0.80 s against 0.91 s with one parser). `None` (the global pool) where the pool cannot be built.
fn parser_pool() -> Option<rayon::ThreadPool> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if std::env::var_os("RAYON_NUM_THREADS").is_some() {
        return None;
    }
    rayon::ThreadPoolBuilder::new().num_threads(cores).thread_name(|i| format!("calldb-parse-{i}")).build().ok()
}

/// Indexes the batch's speech for search (or marks the index for the bulk build to come) and commits the batch.
fn finish_batch(
    tx: Transaction,
    stored: &mut Vec<i64>,
    bulk_index: bool,
    options: &ImportOptions,
) -> rusqlite::Result<()> {
    // The batch's speech goes into the full-text index in one go, outside the per-file savepoints.
    if bulk_index && !stored.is_empty() {
        store::mark_index_pending(&tx)?;
    } else if options.understand {
        store::index_calls(&tx, stored)?;
    }
    stored.clear();
    tx.commit()
}

/// Settles one document inside the batch transaction. A savepoint isolates it: if storing it fails, the document
/// is recorded as failed and the rest of the batch goes on.
/// `unindexed`: calls stored earlier in the transaction whose speech is not in the search index yet (`None` when
/// the index is built in bulk at the end). `dataset`: the tally of the dataset the record belongs to.
fn write_one(
    tx: &mut Transaction,
    item: Prepared,
    options: &ImportOptions,
    unindexed: Option<&mut Vec<i64>>,
    dataset: Option<&mut DatasetTally>,
) -> rusqlite::Result<FileOutcome> {
    let path_text = item.path.display().to_string();
    let mut outcome = FileOutcome::failed(item.path.clone(), item.record.clone(), None, String::new());
    outcome.message = None;
    outcome.bytes = item.size;
    if item.deferred {
        outcome.status = Status::Deferred;
        outcome.message = Some(format!(
            "changed less than {:.0} s ago (still being written?): left for the next import",
            options.settle.as_secs_f64()
        ));
        return Ok(outcome);
    }
    match item.parsed {
        Err((line, message)) => {
            outcome.line = line;
            outcome.message = Some(message);
        }
        Ok(None) => {
            outcome.status = Status::Unchanged;
            let hash = item.hash.as_deref().unwrap_or_default();
            if item.from_dataset {
                store::relocate_source(tx, hash, &path_text, item.record.as_deref())?;
            }
            outcome.call_id = match store::call_with_hash(tx, hash)? {
                Some(id) => Some(id),
                None => store::call_with_source_hash(tx, hash)?,
            };
        }
        Ok(Some((transcript, analysis))) => {
            let hash = item.hash.as_deref().unwrap_or_default();
            outcome.warnings = transcript.warnings.clone();
            // Replacing a call whose speech is not indexed yet would have the delete trigger take out of the index
            // entries it never held, which corrupts it: index the waiting calls first (outside the file's savepoint,
            // so a failure of this file does not undo them).
            if let Some(unindexed) = unindexed.filter(|u| options.replace && !u.is_empty()) {
                if store::find_call(tx, &transcript)?.is_some_and(|c| unindexed.contains(&c.call_id)) {
                    store::index_calls(tx, unindexed)?;
                    unindexed.clear();
                }
            }
            let sp = tx.savepoint()?;
            let source = Source {
                path: &path_text,
                record_key: item.record.as_deref(),
                content_hash: hash,
                byte_size: item.size,
            };
            let stored = store_transcript(&sp, &transcript, &analysis, &source, options);
            match stored {
                Ok((status, call_id, message)) => {
                    sp.commit()?;
                    outcome.status = status;
                    outcome.call_id = call_id;
                    outcome.message = message;
                }
                Err(e) => {
                    drop(sp);
                    outcome.message = Some(format!("could not store the call: {e}"));
                }
            }
        }
    }
    if outcome.message.is_none() && !outcome.warnings.is_empty() {
        outcome.message = Some(outcome.warnings.join("; "));
    }
    if let Some(tally) = dataset {
        if let Some(hash) = &item.hash {
            tally.digest.update(hash.as_bytes());
        }
        match outcome.status {
            Status::Failed | Status::Conflict => tally.unsettled += 1,
            Status::Unchanged => tally.unchanged += 1,
            _ => {}
        }
        // A dataset's unchanged records are logged together when the dataset is done.
        if outcome.status == Status::Unchanged {
            return Ok(outcome);
        }
    }
    log_outcome(tx, &outcome, item.hash.as_deref(), item.size, &item.started_at)?;
    // Only a signature that vouches for an archived call's content can save a read later.
    if let (Some(signature), Some(hash)) = (&item.signature, &item.hash) {
        let stored_here = matches!(outcome.status, Status::Imported | Status::Replaced);
        if stored_here || store::call_with_hash(tx, hash)?.is_some() {
            signature::record(tx, &path_text, signature, hash, None)?;
        }
    }
    Ok(outcome)
}

/// Adds a document's outcome to the `imports` log.
fn log_outcome(
    tx: &rusqlite::Connection,
    outcome: &FileOutcome,
    hash: Option<&str>,
    size: u64,
    started_at: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO imports (path, content_hash, byte_size, status, call_id, line, message, started_at, finished_at,
             record_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        outcome.path.display().to_string(),
        hash,
        size as i64,
        outcome.status.as_str(),
        outcome.call_id,
        outcome.line.map(|l| l as i64),
        outcome.message,
        started_at,
        now_utc(),
        outcome.record,
    ])?;
    Ok(())
}

type Stored = (Status, Option<i64>, Option<String>);

/// Swaps a call for its new version: the old one leaves (logged as replaced by the new id, never reused), the new
/// one is stored, and the other copies recorded for the call (`kept`) stay recorded against it.
fn replace_call(
    tx: &rusqlite::Connection,
    old: i64,
    t: &Transcript,
    analysis: &Analysis,
    source: &Source,
    kept: &[store::RecordedSource],
    now: &str,
) -> rusqlite::Result<i64> {
    store::delete_call(tx, old)?;
    let new_id = store::insert_call(tx, t, analysis, source, now)?;
    store::mark_replaced(tx, old, new_id)?;
    for s in kept {
        let other = Source {
            path: &s.path,
            record_key: s.record_key.as_deref(),
            content_hash: &s.content_hash,
            byte_size: s.byte_size,
        };
        store::record_source(tx, new_id, &s.layout, &other, s.source_url.as_deref(), false, &s.seen_at)?;
    }
    Ok(new_id)
}
fn store_transcript(
    tx: &rusqlite::Connection,
    t: &Transcript,
    analysis: &Analysis,
    source: &Source,
    options: &ImportOptions,
) -> rusqlite::Result<Stored> {
    let hash = source.content_hash;
    // What the user corrected for this copy holds whenever it is read.
    let corrected = super::curate::corrected(tx, source.path, source.record_key, t)?;
    let t = corrected.as_ref().unwrap_or(t);
    // Same bytes already archived (e.g. imported twice in one run), or already recorded as another source of a
    // call: nothing to do — unless `--replace` finds that the facts given for the file now make another call.
    if let Some(call_id) = store::call_with_hash(tx, hash)? {
        if !(options.replace && store::facts_differ(tx, call_id, t)?) {
            if source.record_key.is_some() {
                // A record read again where it now stands: its provenance follows it.
                store::relocate_source(tx, hash, source.path, source.record_key)?;
            }
            return Ok((Status::Unchanged, Some(call_id), None));
        }
        let kept: Vec<store::RecordedSource> =
            store::sources_of(tx, call_id)?.into_iter().filter(|s| s.content_hash != hash).collect();
        let new_id = replace_call(tx, call_id, t, analysis, source, &kept, &now_utc())?;
        return Ok((Status::Replaced, Some(new_id), Some("re-read with the facts now given for it".into())));
    }
    let recorded = store::call_with_source_hash(tx, hash)?;
    if let (Some(call_id), false) = (recorded, options.replace) {
        return Ok((Status::Unchanged, Some(call_id), Some("already recorded as another source of this call".into())));
    }
    let now = now_utc();
    let who = t.company.ticker.clone().unwrap_or_else(|| t.company.name.clone());
    match store::find_call(tx, t)? {
        // Another copy of a call already archived, from another publisher, or with the same speech (a page saved
        // as `.html` and as `.txt`, two scrapers' copies): one call, one more source.
        Some(existing)
            if !options.replace && (existing.layout != t.layout || store::same_speech(tx, existing.call_id, t)?) =>
        {
            store::record_source(tx, existing.call_id, t.layout, source, t.source_url.as_deref(), false, &now)?;
            let why = if existing.layout != t.layout { "from another source" } else { "with the same speech" };
            Ok((
                Status::Duplicate,
                Some(existing.call_id),
                Some(format!(
                    "{who} Q{} {} ({}) is already archived {why}, {} ({}): recorded as another source of that call, \
                     not stored twice (--replace stores this copy instead)",
                    t.fiscal_quarter, t.fiscal_year, t.title, existing.source_path, existing.layout
                )),
            ))
        }
        Some(existing) if !options.replace => Ok((
            Status::Conflict,
            Some(existing.call_id),
            Some(format!(
                "{who} {} ({who} Q{} {}) is already archived from {} with different speech; use --replace to swap it",
                t.title, t.fiscal_quarter, t.fiscal_year, existing.source_path
            )),
        )),
        Some(existing) => {
            // The other copies recorded for the call stay recorded; a superseded copy of the same publisher goes.
            let kept: Vec<store::RecordedSource> = store::sources_of(tx, existing.call_id)?
                .into_iter()
                .filter(|s| {
                    s.content_hash != hash && !(s.content_hash == existing.content_hash && s.layout == t.layout)
                })
                .collect();
            let call_id = replace_call(tx, existing.call_id, t, analysis, source, &kept, &now)?;
            Ok((
                Status::Replaced,
                Some(call_id),
                Some(format!(
                    "replaced the call archived from {} ({})",
                    existing.source_path,
                    &existing.content_hash[..12]
                )),
            ))
        }
        None => Ok((Status::Imported, Some(store::insert_call(tx, t, analysis, source, &now)?), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_files_are_counted_by_extension() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.txt", "b.nlp", "c.nlp", "d", "e.jsonl", "f.md"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf()], DEFAULT_GLOB, &[]).unwrap();
        assert_eq!(found.files.len(), 2);
        assert_eq!(
            found.skipped_summary(DEFAULT_GLOB).unwrap(),
            "4 files skipped (.nlp: 2, (no extension): 1, .md: 1; not a form calldb reads)"
        );
        let found = discover(&[dir.path().to_path_buf()], "*.txt", &[]).unwrap();
        assert!(found.skipped_summary("*.txt").unwrap().ends_with("not matching `*.txt`)"));
    }
}
