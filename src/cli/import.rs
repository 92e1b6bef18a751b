//! `calldb import PATH...`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::output::shown;
use crate::archive::import::{self, ImportOptions, Status};
use crate::archive::Archive;
use crate::parse::{CompanyDirectory, NamePattern};
use crate::report::format::counted;
use crate::report::sinks::terminal_safe;
use crate::source::FieldMap;

/// Which files to read and how to read facts their text lacks: shared by `import` and `check`.
#[derive(clap::Args)]
pub struct SourceArgs {
    /// Transcript files and folders (folders are searched recursively)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// File-name pattern for files inside folders (transcripts, saved pages, PDFs and datasets by default)
    #[arg(long, default_value = import::DEFAULT_GLOB)]
    pub glob: String,
    /// Leave alone the files and folders inside folders that match this glob (file name, or path under the folder
    /// given; repeatable). A `.calldbignore` file in a folder (gitignore syntax) does the same for it
    #[arg(long = "exclude", value_name = "GLOB")]
    pub excludes: Vec<String>,
    /// How file names are built, for facts the text lacks: {ticker}, {date}, {year}, {quarter}, {company}, *
    /// (e.g. '{ticker}_{year}_Q{quarter}_*.txt')
    #[arg(long, value_name = "PATTERN")]
    pub name_pattern: Option<String>,
    /// CSV file mapping company names to tickers (`name,ticker`), for copies that name the company but no ticker
    #[arg(long, value_name = "FILE")]
    pub companies: Option<PathBuf>,
    /// Archive transcripts that end before their closing blocks, flagged as incomplete (v_calls.complete = 0);
    /// for `check`, such a file does not count as a failure
    #[arg(long)]
    pub allow_truncated: bool,
    /// Where dataset records keep a fact calldb does not find by its usual names: TARGET=PATH, repeatable
    /// (targets: ticker, company, year, quarter, date, title, url, text, speakers, participants; PATH dotted,
    /// `meta.symbol`, or a JSON pointer, `/meta/symbol`)
    #[arg(long = "field", value_name = "TARGET=PATH")]
    pub fields: Vec<String>,
}

/// How the user says to read what the files lack: `--name-pattern`, `--companies`, `--field`.
pub struct Readers {
    pub name_pattern: Option<NamePattern>,
    pub companies: Option<CompanyDirectory>,
    pub fields: FieldMap,
}

impl SourceArgs {
    /// The parsed `--name-pattern`, `--companies` file and `--field` mapping.
    pub fn readers(&self) -> anyhow::Result<Readers> {
        let name_pattern = self.name_pattern.as_deref().map(NamePattern::new).transpose()?;
        let companies = self.companies.as_deref().map(CompanyDirectory::from_path).transpose()?;
        let fields = FieldMap::parse(&self.fields).map_err(anyhow::Error::msg)?;
        Ok(Readers { name_pattern, companies, fields })
    }
}

#[derive(clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Swap in a different file for a call already archived (same company, fiscal period and event), also one from
    /// another publisher
    #[arg(long)]
    replace: bool,
    /// Stop at the first file that fails
    #[arg(long)]
    strict: bool,
    /// No progress bar, no per-file warnings, and no summary unless a file failed: only errors (for cron)
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Files per transaction
    #[arg(long, default_value_t = 128, hide = true)]
    batch_size: usize,
    /// Leave for the next import a file modified less than SECONDS ago (a download or copy still being written)
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0, env = "CALLDB_SETTLE", value_parser = non_negative_seconds)]
    settle: f64,
}

/// A duration in seconds: a finite number, zero or more.
pub fn non_negative_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("`{s}` is not a number of seconds (0 or more)")),
    }
}

pub fn run(db: &Path, wait: std::time::Duration, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let Readers { name_pattern, companies, fields } = args.source.readers()?;
    let options = ImportOptions {
        glob: args.source.glob,
        replace: args.replace,
        strict: args.strict,
        batch_size: args.batch_size,
        understand: true,
        name_pattern,
        allow_truncated: args.source.allow_truncated,
        companies,
        fields,
        settle: std::time::Duration::from_secs_f64(args.settle),
    };
    let paths = args.source.paths;
    let found = import::discover(&paths, &options.glob, &args.source.excludes)?;
    let skipped = found.skipped_summary(&options.glob);
    if found.files.is_empty() && found.unreadable.is_empty() {
        let why = skipped.map(|s| format!(": {s}")).unwrap_or_default();
        anyhow::bail!("no files matching `{}` under {}{why}", options.glob, describe(&paths));
    }
    if let Some(skipped) = &skipped {
        if !args.quiet {
            eprintln!("{}", terminal_safe(skipped));
        }
    }
    let mut archive = Archive::open_for_write(db, wait).with_context(|| format!("opening archive {}", db.display()))?;

    let bar = if args.quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        ProgressBar::hidden()
    } else {
        // Progress in bytes read: a dataset's records are not counted before they are read.
        let total: u64 = found.files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
        let bar = ProgressBar::with_draw_target(Some(total.max(1)), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {bytes}/{total_bytes} {msg}")
                .expect("valid template"),
        );
        bar
    };
    let quiet = args.quiet;
    let mut settled = 0usize;
    let summary = import::import_discovered(&mut archive, &found, &options, &mut |outcome| {
        settled += outcome.documents;
        bar.inc(outcome.bytes);
        bar.set_message(format!("{settled} calls"));
        // A JSONL record's key is its line: said once.
        let line = outcome
            .line
            .filter(|l| outcome.record.as_deref() != Some(l.to_string().as_str()))
            .map(|l| format!(":{l}"))
            .unwrap_or_default();
        // The line is said once, after the path (`a.txt:71: …`), not again at the message's start.
        let raw = outcome.message.as_deref().unwrap_or("");
        let raw = outcome.line.and_then(|l| raw.strip_prefix(&format!("line {l}: "))).unwrap_or(raw);
        let message = terminal_safe(raw);
        let path = shown(&outcome.document());
        match outcome.status {
            Status::Failed => bar.suspend(|| eprintln!("failed: {path}{line}: {message}")),
            Status::Conflict => bar.suspend(|| eprintln!("conflict: {path}: {message}")),
            Status::Duplicate if !quiet => bar.suspend(|| eprintln!("duplicate: {path}: {message}")),
            Status::Deferred if !quiet => bar.suspend(|| eprintln!("deferred: {path}: {message}")),
            Status::Imported | Status::Replaced if !quiet && !outcome.warnings.is_empty() => {
                bar.suspend(|| eprintln!("warning: {path}: {}", terminal_safe(&outcome.warnings.join("; "))))
            }
            _ => {}
        }
    })
    .with_context(|| format!("importing into {}", db.display()))?;
    bar.finish_and_clear();

    // --quiet: nothing on success, so cron mails only failures.
    let clean = summary.failed == 0 && summary.conflicts == 0;
    if !(quiet && clean) {
        let files = counted(summary.files, "file", "files");
        let counted = if summary.documents == summary.files {
            files
        } else {
            format!("{} in {files}", counted(summary.documents, "call", "calls"))
        };
        eprintln!(
            "{counted}: {} imported, {} unchanged, {} replaced, {} conflicts, {} failed{} in {:.2}s{} → {}{}",
            summary.imported,
            summary.unchanged,
            summary.replaced,
            summary.conflicts,
            summary.failed,
            [
                (summary.duplicates > 0).then(|| {
                    format!(
                        ", {} duplicates of calls already archived (recorded, not stored twice)",
                        summary.duplicates
                    )
                }),
                (summary.deferred > 0)
                    .then(|| format!(", {} deferred (changed in the last seconds)", summary.deferred)),
                (found.ignored > 0).then(|| format!(", {} ignored", found.ignored)),
            ]
            .into_iter()
            .flatten()
            .collect::<String>(),
            summary.elapsed.as_secs_f64(),
            // A rate only for text that was read into the archive, never for files left as they were.
            if summary.imported + summary.replaced > 0 {
                format!(" ({:.1} MB/s)", summary.megabytes_per_second())
            } else {
                String::new()
            },
            db.display(),
            if summary.stopped_early { " (stopped at the first failure: --strict)" } else { "" }
        );
    }
    Ok(if summary.failed > 0 || summary.conflicts > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn describe(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
