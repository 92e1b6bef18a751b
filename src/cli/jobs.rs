//! `calldb jobs run FILE`: the nightly report jobs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::archive::Archive;
use crate::report::jobs;

#[derive(clap::Subcommand)]
pub enum JobsCommand {
    /// Run every job of a job file (relative output paths are taken from the job file's folder)
    Run {
        /// The TOML job file
        file: PathBuf,
        /// Folder of extra or overriding report files (default: $CALLDB_REPORTS_DIR, else ~/.config/calldb/reports)
        #[arg(long, value_name = "DIR")]
        reports_dir: Option<PathBuf>,
        /// Print nothing when every job succeeds (cron then mails only failures)
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Run only this job of the file (repeat for several); the file's other jobs are still checked
        #[arg(long, short = 'j', value_name = "NAME")]
        job: Vec<String>,
    },
    /// Check a job file without running anything; lists every problem with its line
    Check {
        file: PathBuf,
        #[arg(long, value_name = "DIR")]
        reports_dir: Option<PathBuf>,
    },
}

pub fn run(db: &Path, wait: std::time::Duration, command: JobsCommand) -> anyhow::Result<ExitCode> {
    match command {
        JobsCommand::Check { file, reports_dir } => {
            let catalog = super::query::load_catalog(reports_dir.as_deref())?;
            let list = jobs::load(&file, &catalog)?;
            super::output::print(&format!("{}: {} jobs, all valid\n", file.display(), list.len()))?;
            Ok(ExitCode::SUCCESS)
        }
        JobsCommand::Run { file, reports_dir, quiet, job } => {
            let catalog = super::query::load_catalog(reports_dir.as_deref())?;
            let list = jobs::select(jobs::load(&file, &catalog)?, &job, &file)?;
            // Reports read through a read-only connection; only the run log is written. The reader is opened after
            // (and so closed before) the log's connection, which puts the archive back at rest when it closes.
            let mut log = Archive::open_existing_for_write(db, wait)
                .with_context(|| format!("opening archive {}", db.display()))?;
            let reader = Archive::open_read_only(db)?;
            let base = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let outcomes = jobs::run_all(&reader.conn, &mut log, &list, base, wait)?;
            drop(reader);
            let failed: Vec<&jobs::JobOutcome> = outcomes.iter().filter(|o| !o.ok).collect();
            let mut text = String::new();
            for o in &outcomes {
                if o.ok {
                    text.push_str(&format!(
                        "ok      {:<24} {:<18} {:>12}  {}\n",
                        o.name,
                        o.report,
                        crate::report::format::counted(o.rows.unwrap_or(0), "row ", "rows"),
                        o.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default()
                    ));
                } else {
                    text.push_str(&format!(
                        "FAILED  {:<24} {:<18} {}\n",
                        o.name,
                        o.report,
                        o.message.as_deref().unwrap_or("")
                    ));
                }
            }
            text.push_str(&format!(
                "{} jobs: {} ok, {} failed\n",
                outcomes.len(),
                outcomes.len() - failed.len(),
                failed.len()
            ));
            if !quiet || !failed.is_empty() {
                super::output::print(&text)?;
            }
            if failed.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                for o in &failed {
                    eprintln!(
                        "calldb: job `{}` failed: {}",
                        crate::report::sinks::terminal_safe(&o.name),
                        crate::report::sinks::terminal_safe(o.message.as_deref().unwrap_or("unknown error"))
                    );
                }
                Ok(ExitCode::FAILURE)
            }
        }
    }
}
