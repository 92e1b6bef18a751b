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
    /// Replace a folder written in another format or partitioning (refused without it: one folder, one layout)
    #[arg(long)]
    rewrite: bool,
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
        rewrite: args.rewrite,
    };
    let started = std::time::Instant::now();
    let dir = &options.dir;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    // Exports into one folder take turns; the next finishes what a killed one left (see `report::export`).
    let _turn = crate::archive::access::take_turn(
        &dir.join(export::LOCK_FILE),
        wait,
        &format!("the export folder {}", dir.display()),
    )?;
    let reader = Archive::open_read_only(db)?;
    let finished = export::finish_interrupted(&reader.conn, dir)
        .with_context(|| format!("finishing an interrupted export into {}", dir.display()))?;
    // An incremental export records itself in the archive: it takes its write access first, so a busy or read-only
    // archive stops it before any file is written.
    let mut log = if options.since_last_export || !finished.is_empty() {
        Some(Archive::open_existing_for_write(db, wait).with_context(|| {
            format!("opening {} to record the export (incremental exports need write access)", db.display())
        })?)
    } else {
        None
    };
    if let (false, Some(log)) = (finished.is_empty(), log.as_mut()) {
        let tx = log.write_transaction()?;
        export::mark_published(&tx, &finished).context("recording the finished export")?;
        tx.commit().context("recording the finished export")?;
    }
    let summary =
        export::export(&reader.conn, &options).with_context(|| format!("exporting into {}", dir.display()))?;
    crate::crash::point("export-written");
    // Recorded with its files before they are put in place: a run killed in between is finished by the next.
    let recorded = if summary.needs_record {
        let mut record = || -> anyhow::Result<i64> {
            // A full export into a folder that held an incremental one resets its record, too.
            if log.is_none() {
                log = Some(Archive::open_existing_for_write(db, wait)?);
            }
            let log = log.as_mut().expect("opened above");
            // A short write that takes its turn between an import's batches.
            let tx = log.write_transaction()?;
            let id = export::record(&tx, &options, &summary).context("recording the export")?;
            tx.commit().context("recording the export")?;
            Ok(id)
        };
        match record() {
            Ok(id) => Some(id),
            Err(e) => {
                // Not recorded: not published either.
                summary.pending.iter().for_each(|p| p.discard());
                return Err(e.context(format!("recording the export in {}", db.display())));
            }
        }
    } else {
        None
    };
    crate::crash::point("export-recorded");
    export::publish(&summary).with_context(|| format!("putting the export in place in {}", dir.display()))?;
    crate::crash::point("export-published");
    if let (Some(id), Some(log)) = (recorded, log.as_mut()) {
        let tx = log.write_transaction()?;
        export::mark_published(&tx, &[id]).context("recording the export")?;
        tx.commit().context("recording the export")?;
    }
    if !args.quiet {
        let mut text = String::new();
        for (path, rows) in &summary.files {
            let rows = crate::report::format::counted(*rows, "row ", "rows");
            text.push_str(&format!("{rows:>14}  {}\n", path.display()));
        }
        text.push_str(&format!(
            "{}, {} (calls {}..={}) in {:.2}s → {}\n",
            crate::report::format::counted(summary.files.len(), "file", "files"),
            crate::report::format::counted(summary.rows, "row", "rows"),
            summary.after_call_id + 1,
            summary.max_call_id,
            started.elapsed().as_secs_f64(),
            options.dir.display()
        ));
        super::output::print(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}
