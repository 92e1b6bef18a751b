//! `calldb export DIR`: typed files of the documented views.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::archive::Archive;
use crate::report::export::{self, ExportFormat, ExportOptions, Partition};

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Folder to write into (one sub-folder per view)
    dir: PathBuf,
    /// File format
    #[arg(long, short = 'f', value_enum, default_value = "parquet")]
    format: ExportFormat,
    /// Only these views (repeatable; default: every documented view)
    #[arg(long = "view", value_name = "VIEW")]
    views: Vec<String>,
    /// Hive-style folders by this column (`fiscal_year=2021/…`)
    #[arg(long, value_enum)]
    partition_by: Option<Partition>,
    /// Append only the calls archived since the previous export into DIR (recorded in the archive)
    #[arg(long)]
    since_last_export: bool,
    /// Print nothing on success
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub fn run(db: &Path, wait: std::time::Duration, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let options = ExportOptions {
        dir: args.dir,
        format: args.format,
        views: args.views,
        partition_by: args.partition_by,
        since_last_export: args.since_last_export,
    };
    let started = std::time::Instant::now();
    let reader = Archive::open_read_only(db)?;
    let summary =
        export::export(&reader.conn, &options).with_context(|| format!("exporting into {}", options.dir.display()))?;
    if summary.needs_record {
        let mut log = Archive::open_existing_for_write(db, wait).with_context(|| {
            format!("recording the export in {} (incremental exports need write access)", db.display())
        })?;
        // A short write that takes its turn between an import's batches.
        let tx = log.write_transaction()?;
        export::record(&tx, &options, &summary).context("recording the export")?;
        tx.commit().context("recording the export")?;
    }
    if !args.quiet {
        let mut text = String::new();
        for (path, rows) in &summary.files {
            text.push_str(&format!("{rows:>9} rows  {}\n", path.display()));
        }
        text.push_str(&format!(
            "{} files, {} rows (calls {}..={}) in {:.2}s → {}\n",
            summary.files.len(),
            summary.rows,
            summary.after_call_id + 1,
            summary.max_call_id,
            started.elapsed().as_secs_f64(),
            options.dir.display()
        ));
        super::output::print(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}
