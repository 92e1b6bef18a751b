//! Scheduled report jobs: a TOML file of `[[job]]` entries that cron or a systemd timer runs every night.
//!
//! The whole file is checked before any job runs (unknown keys, unknown reports, bad parameters, bad output
//! templates), with the line of each problem. Then every job runs even when an earlier one fails; each output
//! is written atomically, and each run is logged in the archive's `report_runs` table.
//!
//! # `since_last_run` is exact
//! A report that declares a `since_last_run` parameter gets the last row of the `imports` log that the job's
//! previous successful run saw, and reports the calls archived by later rows. Each run reads one snapshot of the
//! archive and records the last import row of that snapshot with its log entry; import rows are numbered in commit
//! order, so every call committed is reported by exactly one successful run, however jobs and imports interleave.
//!
//! # Jobs and running imports
//! Reports read a snapshot and never wait for an import. Logging a run is a short write that takes its turn at the
//! archive between two of an import's batches (see [`crate::archive::access`]), so a job does not fail because an
//! import is running.
//!
//! Filling `since_last_run` is opt-in per job (`since_last_run = true`): without it, the job reports everything,
//! every night.
//!
//! # Exactly once, whatever happens
//! Runs against one archive take turns (an exclusive lock on `<archive>-jobs`), so two overlapping runs never read
//! the same previous mark. A run logs itself before it writes (`failed`, "interrupted", with its pending output
//! path), writes its output under a pending name ([`super::output_file::Pending`]), logs its success with the mark,
//! and only then renames the output into place. The next run finishes what a killed one left: a logged success
//! whose output is still pending is renamed into place; an output never logged as a success is removed. So an output
//! exists exactly when its run is logged `ok`, and every call is in exactly one such output.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

use crate::archive::Archive;
use serde::Deserialize;
use toml::Spanned;

use super::catalog::{Catalog, Report};
use super::format::{self, Format, RenderOptions};
use super::query;

/// The parameter the runner fills with the previous successful run's start time.
pub const SINCE_LAST_RUN: &str = "since_last_run";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JobFile {
    #[serde(default)]
    job: Vec<JobSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JobSpec {
    name: Spanned<String>,
    report: Spanned<String>,
    #[serde(default)]
    params: Option<Spanned<BTreeMap<String, toml::Value>>>,
    format: Option<Spanned<Format>>,
    output: Spanned<String>,
    #[serde(default)]
    since_last_run: Option<Spanned<bool>>,
    #[serde(default)]
    csv_safe: bool,
}

/// A job, checked and ready to run.
#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    pub report: Report,
    pub params: Vec<(String, String)>,
    pub format: Format,
    /// The output path template, e.g. `reports/{date}/{name}.html`.
    pub output: String,
    /// Fill the report's `since_last_run` parameter from the job's previous successful run.
    pub since_last_run: bool,
    /// CSV/TSV formula protection for spreadsheet users.
    pub csv_safe: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum JobFileError {
    #[error("{path}:{line}: {message}")]
    At { path: String, line: usize, message: String },
    #[error("{path}: {message}")]
    File { path: String, message: String },
    /// Every problem found in the file, each with its line.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Several(Vec<JobFileError>),
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Placeholders every template may use, besides the report's parameter names.
const PLACEHOLDERS: &[&str] = &["date", "time", "datetime", "name", "report", "format", "ext"];

/// Splits a template into literal text and `{placeholder}` names; errors on unbalanced braces.
fn template_parts(template: &str) -> Result<Vec<(bool, &str)>, String> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(format!("unbalanced `}}` in output template `{template}`"));
        }
        parts.push((false, &rest[..open]));
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| format!("unclosed `{{` in output template `{template}`"))?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!("bad placeholder in output template `{template}`"));
        }
        parts.push((true, name));
        rest = &after[close + 1..];
    }
    parts.push((false, rest));
    Ok(parts)
}

/// Reads and checks a job file. Nothing runs unless every job is valid.
pub fn load(path: &Path, catalog: &Catalog) -> Result<Vec<Job>, JobFileError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| JobFileError::File { path: shown.clone(), message: e.to_string() })?;
    let file: JobFile = toml::from_str(&text).map_err(|e| match e.span() {
        Some(span) => {
            JobFileError::At { path: shown.clone(), line: line_of(&text, span.start), message: e.message().to_string() }
        }
        None => JobFileError::File { path: shown.clone(), message: e.to_string() },
    })?;
    if file.job.is_empty() {
        return Err(JobFileError::File { path: shown, message: "no [[job]] entries".into() });
    }
    let at = |offset: usize, message: String| JobFileError::At {
        path: shown.clone(),
        line: line_of(&text, offset),
        message,
    };
    let mut names = HashSet::new();
    let mut jobs = Vec::new();
    let mut errors = Vec::new();
    for spec in file.job {
        match check_job(spec, &mut names, catalog, &at) {
            Ok(job) => jobs.push(job),
            Err(e) => errors.push(e),
        }
    }
    match errors.len() {
        0 => {}
        1 => return Err(errors.remove(0)),
        _ => return Err(JobFileError::Several(errors)),
    }
    Ok(jobs)
}

/// The names of a job file's jobs, in file order, read without checking anything else: for shell completion, which
/// must offer names while the file is still being written (or names a report folder the shell does not know).
/// A file that cannot be read or is not TOML has none.
pub fn names_in(path: &Path) -> Vec<String> {
    #[derive(Deserialize)]
    struct Names {
        #[serde(default)]
        job: Vec<NameOnly>,
    }
    #[derive(Deserialize)]
    struct NameOnly {
        name: Option<String>,
    }
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| toml::from_str::<Names>(&text).ok())
        .map(|file| file.job.into_iter().filter_map(|j| j.name).map(|n| n.trim().to_string()).collect())
        .unwrap_or_default()
}

/// A job named on the command line that the job file does not have.
#[derive(Debug, thiserror::Error)]
#[error("{path} has no job named {}; its jobs: {}", quoted(.unknown), quoted(.known))]
pub struct UnknownJobs {
    pub path: String,
    pub unknown: Vec<String>,
    pub known: Vec<String>,
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// The jobs of `jobs` named in `wanted`, in the job file's order; every job when `wanted` is empty. A name the file
/// does not have is an error naming the file's jobs, so a cron line with a typo fails loudly instead of running
/// nothing.
pub fn select(jobs: Vec<Job>, wanted: &[String], path: &Path) -> Result<Vec<Job>, UnknownJobs> {
    if wanted.is_empty() {
        return Ok(jobs);
    }
    let unknown: Vec<String> = wanted.iter().filter(|w| !jobs.iter().any(|j| j.name == w.trim())).cloned().collect();
    if !unknown.is_empty() {
        return Err(UnknownJobs {
            path: path.display().to_string(),
            unknown,
            known: jobs.iter().map(|j| j.name.clone()).collect(),
        });
    }
    Ok(jobs.into_iter().filter(|j| wanted.iter().any(|w| w.trim() == j.name)).collect())
}

/// Checks one job of a job file.
fn check_job(
    spec: JobSpec,
    names: &mut HashSet<String>,
    catalog: &Catalog,
    at: &dyn Fn(usize, String) -> JobFileError,
) -> Result<Job, JobFileError> {
    let name = spec.name.get_ref().trim().to_string();
    if name.is_empty() {
        return Err(at(spec.name.span().start, "a job needs a non-empty name".into()));
    }
    if !names.insert(name.clone()) {
        return Err(at(spec.name.span().start, format!("two jobs are named `{name}`")));
    }
    let report = catalog
        .get(spec.report.get_ref())
        .map_err(|e| at(spec.report.span().start, format!("job `{name}`: {e}")))?
        .clone();
    let mut params = Vec::new();
    if let Some(p) = &spec.params {
        for (key, value) in p.get_ref() {
            let text_value = match value {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::Boolean(b) => i64::from(*b).to_string(),
                toml::Value::Datetime(d) => d.to_string(),
                _ => return Err(at(p.span().start, format!("job `{name}`: parameter `{key}` must be a single value"))),
            };
            params.push((key.clone(), text_value));
        }
        report.bind(&params).map_err(|e| at(p.span().start, format!("job `{name}`: {e}")))?;
    }
    let output = spec.output.get_ref().clone();
    let parts = template_parts(&output).map_err(|e| at(spec.output.span().start, format!("job `{name}`: {e}")))?;
    for (is_placeholder, part) in parts {
        if is_placeholder && !PLACEHOLDERS.contains(&part) && report.param(part).is_none() {
            return Err(at(
                spec.output.span().start,
                format!(
                    "job `{name}`: unknown placeholder `{{{part}}}` in output template; use {} or a parameter of `{}`",
                    PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", "),
                    report.name
                ),
            ));
        }
    }
    if output.trim().is_empty() {
        return Err(at(spec.output.span().start, format!("job `{name}`: empty output path")));
    }
    let since_last_run = match spec.since_last_run {
        Some(flag) if *flag.get_ref() && report.param(SINCE_LAST_RUN).is_none() => {
            return Err(at(
                flag.span().start,
                format!("job `{name}`: report `{}` has no `{SINCE_LAST_RUN}` parameter", report.name),
            ))
        }
        Some(flag) => flag.into_inner(),
        None => false,
    };
    Ok(Job {
        name,
        format: spec.format.map_or(Format::Csv, Spanned::into_inner),
        report,
        params,
        output,
        since_last_run,
        csv_safe: spec.csv_safe,
    })
}

/// Fills a template: `{date}` YYYY-MM-DD, `{time}` HHMMSS, `{datetime}`, `{name}`, `{report}`, `{format}`,
/// `{ext}`, and any report parameter (`all` when it is not set). Values are made safe as file-name parts, so no
/// value can steer the output outside the folder the template names.
pub fn expand(job: &Job, bound: &[(String, Value)], now: chrono::DateTime<chrono::Local>) -> String {
    let safe = file_name_part;
    let parts = template_parts(&job.output).expect("checked when the job file was loaded");
    parts
        .into_iter()
        .map(|(is_placeholder, part)| {
            if !is_placeholder {
                return part.to_string();
            }
            match part {
                "date" => now.format("%Y-%m-%d").to_string(),
                "time" => now.format("%H%M%S").to_string(),
                "datetime" => now.format("%Y-%m-%dT%H%M%S%.3f").to_string(),
                "name" => safe(&job.name),
                "report" => safe(&job.report.name),
                "format" | "ext" => job.format.extension().to_string(),
                param => match bound.iter().find(|(n, _)| n == param).map(|(_, v)| v) {
                    None | Some(Value::Null) => "all".to_string(),
                    Some(v) => safe(&format::plain(v)),
                },
            }
        })
        .collect()
}

/// A value as one file-name part: letters, digits, `-`, `_` and `.` are kept, anything else (a `/`, a space, a
/// control character) becomes `_`; a value of dots only (`.`, `..`) or an empty one becomes underscores, so it
/// never names the current or the parent folder.
pub fn file_name_part(value: &str) -> String {
    let part: String =
        value.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    if part.chars().all(|c| c == '.') {
        "_".repeat(part.len().max(1))
    } else {
        part
    }
}

#[derive(Debug, Clone)]
pub struct JobOutcome {
    pub name: String,
    pub report: String,
    pub ok: bool,
    pub rows: Option<usize>,
    pub path: Option<PathBuf>,
    pub message: Option<String>,
}

/// What the job's previous successful run reported through: the last `imports` row it saw. A run logged before
/// runs recorded this (schema version 6) counts as having seen the rows finished before it started.
pub fn previous_mark(log: &Connection, job: &str) -> rusqlite::Result<Option<i64>> {
    let previous: Option<(Option<i64>, String)> = log
        .query_row(
            "SELECT reported_through, started_at FROM report_runs WHERE job = ?1 AND status = 'ok'
             ORDER BY run_id DESC LIMIT 1",
            [job],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match previous {
        None => Ok(None),
        Some((Some(mark), _)) => Ok(Some(mark)),
        Some((None, started_at)) => log
            .query_row("SELECT coalesce(max(import_id), 0) FROM imports WHERE finished_at <= ?1", [started_at], |r| {
                r.get(0)
            })
            .map(Some),
    }
}

/// The file runs of report jobs against the archive at `db` take turns at.
pub fn jobs_lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push("-jobs");
    PathBuf::from(name)
}

/// Runs every job (reading through `reader`, logging through `log`), relative outputs under `base_dir`, after
/// waiting up to `wait` for any other run against the archive to finish, and after finishing what a killed run left.
pub fn run_all(
    reader: &Connection,
    log: &mut Archive,
    jobs: &[Job],
    base_dir: &Path,
    wait: std::time::Duration,
) -> Result<Vec<JobOutcome>, crate::archive::ArchiveError> {
    let lock = jobs_lock_path(&log.path);
    let _turn = crate::archive::access::take_turn(&lock, wait, &format!("the report jobs of {}", log.path.display()))?;
    finish_interrupted_runs(log)?;
    Ok(jobs.iter().map(|job| run_one(reader, log, job, base_dir)).collect())
}

/// What killed runs left: outputs logged `ok` but still pending are renamed into place; outputs of runs that never
/// logged their success are removed.
fn finish_interrupted_runs(log: &mut Archive) -> Result<(), crate::archive::ArchiveError> {
    let path = log.path.clone();
    let err = |e| crate::archive::sqlite_err(&path, e);
    let pending: Vec<(i64, String, String, Option<String>)> = log
        .conn
        .prepare("SELECT run_id, status, pending_path, output_path FROM report_runs WHERE pending_path IS NOT NULL")
        .and_then(|mut stmt| {
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()
        })
        .map_err(err)?;
    if pending.is_empty() {
        return Ok(());
    }
    for (_, status, pending_file, output) in &pending {
        match (status.as_str(), output) {
            ("ok", Some(output)) => {
                super::output_file::publish(Path::new(pending_file), Path::new(output))
                    .map_err(|e| crate::archive::ArchiveError::Io(format!("publishing {output}: {e}")))?;
            }
            _ => {
                let _ = std::fs::remove_file(pending_file);
            }
        }
    }
    let tx = log.write_transaction()?;
    for (run_id, ..) in &pending {
        tx.execute("UPDATE report_runs SET pending_path = NULL WHERE run_id = ?1", [run_id]).map_err(err)?;
    }
    tx.commit().map_err(err)?;
    Ok(())
}

/// Runs `f` inside one read transaction: everything it reads comes from one snapshot of the archive.
fn in_snapshot<T>(reader: &Connection, f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    reader.execute_batch("BEGIN")?;
    let result = f();
    // A read transaction has nothing to keep: ending it either way is the same.
    let _ = reader.execute_batch("ROLLBACK");
    result
}

fn run_one(reader: &Connection, log: &mut Archive, job: &Job, base_dir: &Path) -> JobOutcome {
    let started_at = crate::archive::now_utc();
    let mut outcome = JobOutcome {
        name: job.name.clone(),
        report: job.report.name.clone(),
        ok: false,
        rows: None,
        path: None,
        message: None,
    };
    let mut params = job.params.clone();
    let mut mark = None;
    let mut run_id = None;
    let mut written: Option<super::output_file::Pending> = None;
    let result = (|| -> anyhow::Result<(usize, PathBuf)> {
        if job.since_last_run && !params.iter().any(|(n, _)| n == SINCE_LAST_RUN) {
            if let Some(previous) = previous_mark(&log.conn, &job.name)? {
                params.push((SINCE_LAST_RUN.to_string(), previous.to_string()));
            }
        }
        let bound = job.report.bind(&params)?;
        let path = output_path(job, &bound, base_dir);
        if let Some(dir) = path.parent().filter(|d| d.is_dir()) {
            format::remove_stale_temp_files(dir);
        }
        // Logged before anything is written: a run killed from here on is known to the next, which removes what it
        // wrote (see the module documentation).
        let pending = super::output_file::pending_path(&path);
        run_id = Some(log_run(log, job, &params, &started_at, &pending)?);
        crate::crash::point("job-logged");
        let title = format!("{} — {}", job.report.title, job.name);
        let lookup = |turn| super::read::cited_turn(reader, turn).ok().flatten();
        let opts = RenderOptions {
            title: Some(&title),
            description: Some(&job.report.description),
            chart: job.report.chart.as_ref(),
            params: job.report.shown_params(&bound),
            generated_at: Some(chrono::Local::now().format("%Y-%m-%d %H:%M:%S %Z").to_string()),
            csv_safe: job.csv_safe,
            notes: super::catalog::notes(reader, &job.report, &bound)?,
            turns: Some(format::TurnLookup(&lookup)),
            ..Default::default()
        };
        // Rows stream into the pending file, renamed into place only once the run is logged. The report and the mark
        // it records read the same snapshot.
        let mut rows = 0;
        let mut failure = None;
        let result = in_snapshot(reader, || {
            mark =
                Some(reader.query_row("SELECT coalesce(max(import_id), 0) FROM imports", [], |r| r.get::<_, i64>(0))?);
            Ok(super::output_file::Pending::write(&path, |file| {
                let mut writer = job.format.sink(file, opts);
                match query::run_into(reader, &job.report.sql, &bound, &mut *writer) {
                    Ok(_) => {
                        rows = writer.finish()?;
                        Ok(())
                    }
                    Err(e) => {
                        failure = Some(e);
                        Err(std::io::Error::other("query failed"))
                    }
                }
            }))
        })?;
        if let Some(e) = failure {
            return Err(e.into());
        }
        written = Some(result.map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?);
        crate::crash::point("job-written");
        Ok((rows, path))
    })();
    let params_json = serde_json::Value::Object(
        params.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect(),
    )
    .to_string();
    match result {
        Ok((rows, path)) => {
            outcome.ok = true;
            outcome.rows = Some(rows);
            outcome.path = Some(path);
        }
        Err(e) => outcome.message = Some(format!("{e:#}")),
    }
    let logged = (|| -> anyhow::Result<()> {
        let tx = log.write_transaction()?;
        let values = params![
            params_json,
            crate::archive::now_utc(),
            if outcome.ok { "ok" } else { "failed" },
            outcome.rows.map(|r| r as i64),
            outcome.path.as_ref().map(|p| p.display().to_string()),
            outcome.message,
            mark.filter(|_| outcome.ok),
        ];
        match run_id {
            Some(id) => {
                let mut stmt = tx.prepare(
                    "UPDATE report_runs SET params = ?1, finished_at = ?2, status = ?3, rows = ?4, output_path = ?5,
                         message = ?6, reported_through = ?7
                     WHERE run_id = ?8",
                )?;
                stmt.raw_bind_parameter(8, id)?;
                for (i, v) in values.iter().enumerate() {
                    stmt.raw_bind_parameter(i + 1, v)?;
                }
                stmt.raw_execute()?;
            }
            None => {
                let mut stmt = tx.prepare(
                    "INSERT INTO report_runs (params, finished_at, status, rows, output_path, message,
                         reported_through, job, report, started_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?;
                for (i, v) in values.iter().enumerate() {
                    stmt.raw_bind_parameter(i + 1, v)?;
                }
                stmt.raw_bind_parameter(8, &job.name)?;
                stmt.raw_bind_parameter(9, &job.report.name)?;
                stmt.raw_bind_parameter(10, &started_at)?;
                stmt.raw_execute()?;
            }
        }
        tx.commit()?;
        Ok(())
    })();
    match (&logged, &written) {
        // Logged: the output goes into place, and the log stops pointing at a pending file.
        (Ok(()), Some(pending)) if outcome.ok => {
            crate::crash::point("job-recorded");
            let published = pending
                .publish()
                .map_err(|e| anyhow::anyhow!("publishing {}: {e}", pending.target.display()))
                .and_then(|()| {
                    crate::crash::point("job-published");
                    clear_pending(log, run_id)
                });
            if let Err(e) = published {
                // Logged as done: the next run finishes the rename.
                outcome.message = Some(format!("{e:#} (the next run puts it in place)"));
            }
        }
        (_, Some(pending)) => pending.discard(),
        _ => {}
    }
    if let Err(e) = logged {
        outcome.ok = false;
        outcome.message = Some(format!(
            "{}could not log the run, so its output was not published: {e:#}",
            outcome.message.as_deref().map(|m| format!("{m}; ")).unwrap_or_default()
        ));
    }
    outcome
}

/// The output path of a job's run: the template filled in; where the template has a time in it and the path is
/// taken (two runs within a millisecond), `-2`, `-3`, … before the extension, so no run overwrites another's output.
fn output_path(job: &Job, bound: &[(String, Value)], base_dir: &Path) -> PathBuf {
    let path = base_dir.join(expand(job, bound, chrono::Local::now()));
    let timed = job.output.contains("{datetime}") || job.output.contains("{time}");
    if !timed || !path.exists() {
        return path;
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    (2..).map(|n| path.with_file_name(format!("{stem}-{n}{ext}"))).find(|p| !p.exists()).expect("some suffix is free")
}

/// Logs a run as begun (as `failed`, "interrupted", until it says otherwise), with the pending output it will write.
fn log_run(
    log: &mut Archive,
    job: &Job,
    params: &[(String, String)],
    started_at: &str,
    pending: &Path,
) -> anyhow::Result<i64> {
    let params_json = serde_json::Value::Object(
        params.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect(),
    )
    .to_string();
    let tx = log.write_transaction()?;
    let id = tx.query_row(
        "INSERT INTO report_runs (job, report, params, started_at, finished_at, status, message, pending_path)
         VALUES (?1, ?2, ?3, ?4, ?4, 'failed', 'interrupted before its output was logged', ?5) RETURNING run_id",
        params![job.name, job.report.name, params_json, started_at, pending.display().to_string()],
        |r| r.get(0),
    )?;
    tx.commit()?;
    Ok(id)
}

fn clear_pending(log: &mut Archive, run_id: Option<i64>) -> anyhow::Result<()> {
    let tx = log.write_transaction()?;
    tx.execute("UPDATE report_runs SET pending_path = NULL WHERE run_id = ?1", [run_id])?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_values_never_name_another_folder() {
        for (value, part) in [
            ("..", "__"),
            (".", "_"),
            ("", "_"),
            ("../../x", ".._.._x"),
            ("/etc/passwd", "_etc_passwd"),
            ("a\nb", "a_b"),
            ("LPSN", "LPSN"),
            ("v1.2", "v1.2"),
        ] {
            assert_eq!(file_name_part(value), part, "{value:?}");
            assert!(!std::path::Path::new(&file_name_part(value))
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_))));
        }
    }

    #[test]
    fn templates_split_and_reject_unbalanced_braces() {
        assert_eq!(
            template_parts("r/{date}/{name}.html").unwrap(),
            vec![(false, "r/"), (true, "date"), (false, "/"), (true, "name"), (false, ".html")]
        );
        assert!(template_parts("r/{date/x").is_err());
        assert!(template_parts("r/date}/x").is_err());
        assert!(template_parts("r/{}/x").is_err());
    }
}
