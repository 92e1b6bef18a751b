//! `calldb import PATH...`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::archive::import::{self, ImportOptions, Status};
use crate::archive::Archive;
use crate::parse::{CompanyDirectory, NamePattern};

/// Which files to read and how to read facts their text lacks: shared by `import` and `check`.
#[derive(clap::Args)]
pub struct SourceArgs {
    /// Transcript files and folders (folders are searched recursively)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// File-name pattern for files inside folders (text files and saved pages by default)
    #[arg(long, default_value = import::DEFAULT_GLOB)]
    pub glob: String,
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
}

impl SourceArgs {
    /// The parsed `--name-pattern` and `--companies` file.
    pub fn readers(&self) -> anyhow::Result<(Option<NamePattern>, Option<CompanyDirectory>)> {
        let pattern = self.name_pattern.as_deref().map(NamePattern::new).transpose()?;
        let companies = self.companies.as_deref().map(CompanyDirectory::from_path).transpose()?;
        Ok((pattern, companies))
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
}

pub fn run(db: &Path, wait: std::time::Duration, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let (name_pattern, companies) = args.source.readers()?;
    let options = ImportOptions {
        glob: args.source.glob,
        replace: args.replace,
        strict: args.strict,
        batch_size: args.batch_size,
        understand: true,
        name_pattern,
        allow_truncated: args.source.allow_truncated,
        companies,
    };
    let paths = args.source.paths;
    let found = import::discover(&paths, &options.glob)?;
    if found.files.is_empty() && found.unreadable.is_empty() {
        anyhow::bail!("no files matching `{}` under {}", options.glob, describe(&paths));
    }
    let mut archive = Archive::open_for_write(db, wait).with_context(|| format!("opening archive {}", db.display()))?;

    let bar = if args.quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(
            Some((found.files.len() + found.unreadable.len()) as u64),
            ProgressDrawTarget::stderr(),
        );
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files {msg}")
                .expect("valid template"),
        );
        bar
    };
    let quiet = args.quiet;
    let summary = import::import_discovered(&mut archive, &found, &options, &mut |outcome| {
        bar.inc(1);
        let line = outcome.line.map(|l| format!(":{l}")).unwrap_or_default();
        let message = outcome.message.as_deref().unwrap_or("");
        let path = shown(&outcome.path);
        match outcome.status {
            Status::Failed => bar.suspend(|| eprintln!("failed: {path}{line}: {message}")),
            Status::Conflict => bar.suspend(|| eprintln!("conflict: {path}: {message}")),
            Status::Duplicate if !quiet => bar.suspend(|| eprintln!("duplicate: {path}: {message}")),
            Status::Imported | Status::Replaced if !quiet && !outcome.warnings.is_empty() => {
                bar.suspend(|| eprintln!("warning: {path}: {}", outcome.warnings.join("; ")))
            }
            _ => {}
        }
    })
    .with_context(|| format!("importing into {}", db.display()))?;
    bar.finish_and_clear();

    // --quiet: nothing on success, so cron mails only failures.
    let clean = summary.failed == 0 && summary.conflicts == 0;
    if !(quiet && clean) {
        eprintln!(
            "{} files: {} imported, {} unchanged, {} replaced, {} conflicts, {} failed{} in {:.2}s ({:.1} MB/s) → {}{}",
            summary.files,
            summary.imported,
            summary.unchanged,
            summary.replaced,
            summary.conflicts,
            summary.failed,
            if summary.duplicates > 0 {
                format!(", {} duplicates from another source (recorded, not stored twice)", summary.duplicates)
            } else {
                String::new()
            },
            summary.elapsed.as_secs_f64(),
            summary.megabytes_per_second(),
            db.display(),
            if summary.stopped_early { " (stopped at the first failure: --strict)" } else { "" }
        );
    }
    Ok(if summary.failed > 0 || summary.conflicts > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// A path for a message on one line: a name holding a newline or another control character is shown quoted, with
/// the character escaped, so it can be told apart and copied.
fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    if text.chars().any(char::is_control) {
        format!("{text:?}")
    } else {
        text
    }
}

fn describe(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
