//! `calldb export`: the documented views as typed files for DuckDB, Polars, pandas, Spark and Trino.
//!
//! Layout: one folder per view, `DIR/v_turns/part-….parquet`; with a partition column, Hive-style folders
//! (`DIR/v_turns/fiscal_year=2021/part-….parquet`) whose files leave that column out (readers take it from the path,
//! as Spark, DuckDB and Trino expect). A view without the partition column (`v_speakers`) is written whole.
//!
//! Incremental exports (`since_last_export`) append the calls archived since the previous export into the same
//! folder as new part files, and record in the archive's `exports` table the highest call id written. Call ids only
//! grow, are never given twice (a replaced call gets a new id; schema V12) and writers commit in turn, so "every call
//! id above the last one exported" is exact: no call is missed or written twice. Calls deleted or replaced since the
//! previous export are written as tombstones (`v_deleted_calls`, by deletion id): a reader of the lake drops the
//! rows of those call ids. Views that are not per call (`v_speakers`) are rewritten whole each time.
//!
//! Exactly once, whatever happens: exports into one folder take turns (a lock on `DIR/.calldb-export.lock`); every
//! file is written under a pending name ([`super::output_file::Pending`]); an export that is recorded in the archive
//! records its files before they are renamed into place, and the next export into the folder finishes the renames of
//! a recorded export that was killed, and removes the pending files of one that never recorded itself. A full
//! export replaces the files of the previous one only once every new file is complete.

use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::format::Format;
use super::query;
use super::sinks::{Column, RowSink};

/// The documented views, in the order they are exported.
pub const VIEWS: &[&str] = &[
    "v_calls",
    "v_call_sources",
    "v_turns",
    "v_speakers",
    "v_exchanges",
    "v_metrics",
    "v_guidance",
    "v_editorial",
    "v_deleted_calls",
];

/// The view of calls deleted or replaced: exported by deletion id, since deleted calls keep their old ids.
const TOMBSTONES: &str = "v_deleted_calls";

/// The lock file exports into one folder take turns at.
pub const LOCK_FILE: &str = ".calldb-export.lock";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Parquet,
    Csv,
    Ndjson,
}

impl ExportFormat {
    pub fn format(self) -> Format {
        match self {
            ExportFormat::Parquet => Format::Parquet,
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Ndjson => Format::Ndjson,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Partition {
    #[value(name = "fiscal_year")]
    FiscalYear,
    Ticker,
}

impl Partition {
    pub fn column(self) -> &'static str {
        match self {
            Partition::FiscalYear => "fiscal_year",
            Partition::Ticker => "ticker",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub dir: PathBuf,
    pub format: ExportFormat,
    /// Views to write; empty for every documented view.
    pub views: Vec<String>,
    pub partition_by: Option<Partition>,
    pub since_last_export: bool,
    /// Replace a view folder written in another format or partitioning; without it such a folder is refused.
    pub rewrite: bool,
}

/// How a view's folder is laid out: its files' extension and the column its Hive folders are named by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderLayout {
    pub ext: String,
    pub partition: Option<String>,
}

impl std::fmt::Display for FolderLayout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.partition {
            Some(column) => write!(f, "{} files in {column}=… folders", self.ext),
            None => write!(f, "{} files, not partitioned", self.ext),
        }
    }
}

/// The layouts of the part files earlier exports left in `view_dir` (more than one only in a folder an older
/// calldb mixed).
fn folder_layouts(view_dir: &Path) -> Vec<FolderLayout> {
    let part_ext = |p: &Path| {
        let name = p.file_name()?.to_string_lossy().into_owned();
        name.starts_with("part-").then(|| p.extension().map(|e| e.to_string_lossy().into_owned()))?
    };
    let entries = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir).map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default()
    };
    let mut layouts = Vec::new();
    for path in entries(view_dir) {
        let found = if path.is_file() {
            part_ext(&path).map(|ext| FolderLayout { ext, partition: None })
        } else {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            name.split_once('=').and_then(|(column, _)| {
                let ext = entries(&path).iter().find_map(|p| part_ext(p))?;
                Some(FolderLayout { ext, partition: Some(column.to_string()) })
            })
        };
        if let Some(layout) = found.filter(|l| !layouts.contains(l)) {
            layouts.push(layout);
        }
    }
    layouts
}

#[derive(Debug, Default)]
pub struct ExportSummary {
    /// Every file written, with its rows.
    pub files: Vec<(PathBuf, usize)>,
    /// The files as written, pending until [`publish`] puts them in place.
    pub pending: Vec<super::output_file::Pending>,
    /// Files of the previous export that this (full) export replaces: removed once the new files are in place.
    pub replaced: Vec<PathBuf>,
    /// Deletions after this id are new for the next export (the highest deletion id covered).
    pub max_deletion_id: i64,
    pub rows: usize,
    /// Calls after this id were exported (0 for a full export).
    pub after_call_id: i64,
    /// The highest call id the export covers.
    pub max_call_id: i64,
    /// The folder as recorded in the archive (absolute).
    pub folder: String,
    /// Whether the archive must record this export (see [`record`]).
    pub needs_record: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("unknown view `{view}`; the documented views are {all}", all = VIEWS.join(", "))]
    UnknownView { view: String },
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
    #[error(transparent)]
    Query(#[from] query::QueryError),
    #[error("{folder} holds an export of another layout ({was}); this export writes {now}. One folder holds one layout: export into another folder, or give --rewrite to replace it")]
    LayoutChange { folder: String, was: FolderLayout, now: FolderLayout },
    /// The system's words are part of this message, not a separate cause, so they are printed once.
    #[error("writing {path}: {error}")]
    Write { path: String, error: std::io::Error },
}

/// A view's columns with their declared types (`PRAGMA table_info`), which decide the files' column types.
pub fn view_columns(conn: &Connection, view: &str) -> rusqlite::Result<Vec<Column>> {
    conn.prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid")?
        .query_map([view], |r| {
            let name: String = r.get(0)?;
            let decl: String = r.get(1)?;
            Ok(Column::new(name, Some(decl.as_str()).filter(|d| !d.is_empty())))
        })?
        .collect()
}

/// A partition value as a Hive path segment: `/`, `=`, `%` and other unsafe bytes escaped as `%XX`.
fn hive_value(v: &Value) -> String {
    let text = super::format::plain(v);
    if text.is_empty() {
        return "__HIVE_DEFAULT_PARTITION__".into();
    }
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The part files an earlier export wrote under `dir` (and nothing else).
fn parts(dir: &Path, ext: &str) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy();
            entry.file_type().is_file() && name.starts_with("part-") && name.ends_with(&format!(".{ext}"))
        })
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// Puts an export's files in place (renamed over any file of the same name), then removes the files of the previous
/// export it replaces.
pub fn publish(summary: &ExportSummary) -> Result<(), ExportError> {
    for p in &summary.pending {
        p.publish().map_err(|e| ExportError::Write { path: p.target.display().to_string(), error: e })?;
    }
    for old in &summary.replaced {
        if !summary.files.iter().any(|(f, _)| f == old) {
            match std::fs::remove_file(old) {
                // Listed twice (a rewrite of a folder in the same format): already gone.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                result => result.map_err(|e| ExportError::Write { path: old.display().to_string(), error: e })?,
            }
            // A partition folder the new layout no longer uses goes with its last file.
            if let Some(parent) =
                old.parent().filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains('=')))
            {
                let _ = std::fs::remove_dir(parent);
            }
        }
    }
    Ok(())
}

/// Finishes what a killed export into `folder` left: the files of a recorded export still pending are renamed into
/// place; pending files no export recorded are removed. Returns the export ids whose files are now in place.
pub fn finish_interrupted(conn: &Connection, dir: &Path) -> Result<Vec<i64>, ExportError> {
    let folder = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()).display().to_string();
    let recorded: Vec<(i64, String)> = conn
        .prepare("SELECT export_id, files FROM exports WHERE folder = ?1 AND files IS NOT NULL")?
        .query_map([&folder], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut done = Vec::new();
    for (id, files) in &recorded {
        let pairs: Vec<(PathBuf, PathBuf)> = serde_json::from_str(files).unwrap_or_default();
        for (pending, target) in &pairs {
            super::output_file::publish(pending, target)
                .map_err(|e| ExportError::Write { path: target.display().to_string(), error: e })?;
        }
        done.push(*id);
    }
    super::output_file::remove_unrecorded_pending(dir, &[]);
    Ok(done)
}

/// Marks exports whose files are all in place (`conn` open for writing).
pub fn mark_published(conn: &Connection, export_ids: &[i64]) -> rusqlite::Result<()> {
    for id in export_ids {
        conn.execute("UPDATE exports SET files = NULL WHERE export_id = ?1", [id])?;
    }
    Ok(())
}

/// Writes the export. `conn` should be a read-only connection; the whole export reads one snapshot.
pub fn export(conn: &Connection, options: &ExportOptions) -> Result<ExportSummary, ExportError> {
    let views: Vec<String> =
        if options.views.is_empty() { VIEWS.iter().map(|v| v.to_string()).collect() } else { options.views.clone() };
    for v in &views {
        if !VIEWS.contains(&v.as_str()) {
            return Err(ExportError::UnknownView { view: v.clone() });
        }
    }
    let folder = std::path::absolute(&options.dir).unwrap_or_else(|_| options.dir.clone()).display().to_string();
    conn.execute_batch("BEGIN")?;
    let result = export_in_snapshot(conn, options, &views, folder);
    let _ = conn.execute_batch("COMMIT");
    if result.is_err() {
        // Nothing of a failed export stays (the caller holds the folder's lock: no other export is writing).
        super::output_file::remove_unrecorded_pending(&options.dir, &[]);
    }
    result
}

fn export_in_snapshot(
    conn: &Connection,
    options: &ExportOptions,
    views: &[String],
    folder: String,
) -> Result<ExportSummary, ExportError> {
    let max_call_id: i64 = conn.query_row("SELECT coalesce(max(call_id), 0) FROM calls", [], |r| r.get(0))?;
    let max_deletion_id: i64 =
        conn.query_row("SELECT coalesce(max(deletion_id), 0) FROM deleted_calls", [], |r| r.get(0))?;
    let previous: Option<(i64, i64)> = conn
        .query_row(
            "SELECT max_call_id, max_deletion_id FROM exports WHERE folder = ?1 ORDER BY export_id DESC LIMIT 1",
            [&folder],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (after, after_deletion) = if options.since_last_export { previous.unwrap_or((0, 0)) } else { (0, 0) };
    let format = options.format.format();
    let ext = format.extension();
    let mut summary = ExportSummary {
        after_call_id: after,
        max_call_id,
        max_deletion_id,
        folder,
        needs_record: options.since_last_export || previous.is_some(),
        ..Default::default()
    };
    for view in views {
        let view_dir = options.dir.join(view);
        let columns = view_columns(conn, view)?;
        // Tombstones go by deletion id (deleted calls keep their old ids); other per-call views by call id.
        let (key, after, max) = if view == TOMBSTONES {
            ("deletion_id", after_deletion, max_deletion_id)
        } else {
            ("call_id", after, max_call_id)
        };
        let per_call = columns.iter().any(|c| c.name == key);
        let partition = options.partition_by.map(Partition::column).filter(|p| columns.iter().any(|c| c.name == *p));
        let wanted = FolderLayout { ext: ext.to_string(), partition: partition.map(str::to_string) };
        let mut after = after;
        let others: Vec<FolderLayout> = folder_layouts(&view_dir).into_iter().filter(|l| *l != wanted).collect();
        if let Some(was) = others.first() {
            if !options.rewrite {
                return Err(ExportError::LayoutChange {
                    folder: view_dir.display().to_string(),
                    was: was.clone(),
                    now: wanted,
                });
            }
            // Rewritten whole in the new layout; the old files go once the new ones are in place.
            for old in &others {
                summary.replaced.extend(parts(&view_dir, &old.ext));
            }
            after = 0;
        }
        if options.since_last_export && per_call && after >= max {
            continue; // nothing new for this view
        }
        let part = if options.since_last_export && per_call {
            format!("part-{:010}-{:010}.{ext}", after + 1, max)
        } else {
            format!("part-0.{ext}")
        };
        let appending = options.since_last_export && per_call && after > 0;
        if !appending {
            // Replaced once the new files are in place.
            summary.replaced.extend(parts(&view_dir, ext));
        }
        let range = if per_call { format!("{key} > :after AND {key} <= :max") } else { "1".to_string() };
        let bounds = |extra: Vec<(String, Value)>| {
            let mut p = extra;
            if per_call {
                p.push(("after".into(), Value::Integer(after)));
                p.push(("max".into(), Value::Integer(max)));
            }
            p
        };
        match partition {
            None => {
                let sql = format!("SELECT * FROM {} WHERE {range}", quote_ident(view));
                let path = view_dir.join(&part);
                let (rows, pending) = write_file(conn, &sql, &bounds(vec![]), &columns, format, &path)?;
                summary.rows += rows;
                summary.files.push((path, rows));
                summary.pending.push(pending);
            }
            Some(column) => {
                let kept: Vec<Column> = columns.iter().filter(|c| c.name != column).cloned().collect();
                let list = kept.iter().map(|c| quote_ident(&c.name)).collect::<Vec<_>>().join(", ");
                let values: Vec<Value> = {
                    let sql = format!(
                        "SELECT DISTINCT {c} FROM {v} WHERE {range} ORDER BY {c}",
                        c = quote_ident(column),
                        v = quote_ident(view)
                    );
                    let mut stmt = conn.prepare(&sql)?;
                    let mut bound = bounds(vec![]);
                    if !per_call {
                        bound.clear();
                    }
                    for (name, value) in &bound {
                        if let Some(i) = stmt.parameter_index(&format!(":{name}"))? {
                            stmt.raw_bind_parameter(i, value)?;
                        }
                    }
                    let mut rows = stmt.raw_query();
                    let mut out = Vec::new();
                    while let Some(r) = rows.next()? {
                        out.push(r.get::<_, Value>(0)?);
                    }
                    out
                };
                if values.is_empty() && !appending {
                    // No rows: one empty file, so readers still find the view and its columns, in the folder Hive
                    // names for no value, so the view's layout stays one layout when rows come.
                    let sql = format!("SELECT {list} FROM {} WHERE {range}", quote_ident(view));
                    let path = view_dir.join(format!("{column}={}", hive_value(&Value::Null))).join(&part);
                    let (rows, pending) = write_file(conn, &sql, &bounds(vec![]), &kept, format, &path)?;
                    summary.files.push((path, rows));
                    summary.pending.push(pending);
                }
                for value in values {
                    let sql = format!(
                        "SELECT {list} FROM {v} WHERE {range} AND {c} IS :value",
                        v = quote_ident(view),
                        c = quote_ident(column)
                    );
                    let path = view_dir.join(format!("{column}={}", hive_value(&value))).join(&part);
                    let (rows, pending) =
                        write_file(conn, &sql, &bounds(vec![("value".into(), value)]), &kept, format, &path)?;
                    summary.rows += rows;
                    summary.files.push((path, rows));
                    summary.pending.push(pending);
                }
            }
        }
    }
    Ok(summary)
}

/// Declared column kinds override what the statement reports (a view's expression columns have no declared type
/// for the statement, but `PRAGMA table_info` has one).
struct Typed<'a> {
    sink: &'a mut dyn RowSink,
    columns: &'a [Column],
}

impl RowSink for Typed<'_> {
    fn columns(&mut self, _: &[Column]) -> std::io::Result<()> {
        self.sink.columns(self.columns)
    }
    fn row(&mut self, row: &[rusqlite::types::ValueRef<'_>]) -> std::io::Result<()> {
        self.sink.row(row)
    }
}

/// Writes one file of the export under its pending name.
fn write_file(
    conn: &Connection,
    sql: &str,
    params: &[(String, Value)],
    columns: &[Column],
    format: Format,
    path: &Path,
) -> Result<(usize, super::output_file::Pending), ExportError> {
    let mut rows = 0;
    let mut failure = None;
    let written = super::output_file::Pending::write(path, |file| {
        let mut sink = format.sink(file, Default::default());
        match query::run_into(conn, sql, params, &mut Typed { sink: &mut *sink, columns }) {
            Ok(_) => {
                rows = sink.finish()?;
                Ok(())
            }
            Err(e) => {
                failure = Some(e);
                Err(std::io::Error::other("query failed"))
            }
        }
    });
    if let Some(e) = failure {
        return Err(e.into());
    }
    let pending = written.map_err(|e| ExportError::Write { path: path.display().to_string(), error: e })?;
    Ok((rows, pending))
}

/// Records an export in the archive (`conn` open for writing), so the next `since_last_export` starts after it, with
/// its files still to be put in place; returns its id.
pub fn record(conn: &Connection, options: &ExportOptions, summary: &ExportSummary) -> rusqlite::Result<i64> {
    let views: Vec<&str> =
        if options.views.is_empty() { VIEWS.to_vec() } else { options.views.iter().map(String::as_str).collect() };
    let files: Vec<(&Path, &Path)> =
        summary.pending.iter().map(|p| (p.pending.as_path(), p.target.as_path())).collect();
    let id = conn.query_row(
        "INSERT INTO exports (folder, format, views, partition_by, max_call_id, rows, exported_at, max_deletion_id,
             files)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING export_id",
        rusqlite::params![
            summary.folder,
            options.format.format().extension(),
            serde_json::to_string(&views).expect("strings serialize"),
            options.partition_by.map(Partition::column),
            summary.max_call_id,
            summary.rows as i64,
            crate::archive::now_utc(),
            summary.max_deletion_id,
            serde_json::to_string(&files).expect("paths serialize"),
        ],
        |r| r.get(0),
    )?;
    Ok(id)
}
