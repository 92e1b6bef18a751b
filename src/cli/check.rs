//! `calldb check FILE...`: what import would archive, without touching any archive.

use std::io::Write;
use std::process::ExitCode;

use super::import::{Readers, SourceArgs};
use crate::archive::import;
use crate::check::{check_path, CallSummary, CheckOptions, FileCheck};

#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// text (an overview per file) or json (every file's whole parsed structure)
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
enum CheckFormat {
    Text,
    Json,
}

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let Readers { name_pattern, companies, fields } = args.source.readers()?;
    let found = import::discover(&args.source.paths, &args.source.glob, &args.source.excludes)?;
    let skipped = found.skipped_summary(&args.source.glob);
    if found.files.is_empty() && found.unreadable.is_empty() {
        let why = skipped.map(|s| format!(": {s}")).unwrap_or_default();
        anyhow::bail!("no files matching `{}`{why}", args.source.glob);
    }
    if let Some(skipped) = &skipped {
        eprintln!("{}", crate::report::sinks::terminal_safe(skipped));
    }
    // Folders and entries that could not be read fail the check, named on stderr.
    for (at, why) in &found.unreadable {
        eprintln!(
            "failed: {}: {}",
            super::output::shown(&at.display().to_string()),
            crate::report::sinks::terminal_safe(why)
        );
    }
    let options = CheckOptions {
        name_pattern: name_pattern.as_ref(),
        companies: companies.as_ref(),
        fields,
        keep_transcript: args.format == CheckFormat::Json,
    };
    let allow_truncated = args.source.allow_truncated;
    // Names and speech are untrusted: on a terminal, no escape sequence gets through.
    let mut out: Box<dyn Write> = if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        Box::new(crate::report::sinks::TerminalSafeWriter::new(std::io::stdout().lock()))
    } else {
        Box::new(std::io::stdout().lock())
    };
    let (mut total, mut failed) = (found.unreadable.len(), found.unreadable.len());
    let mut result: std::io::Result<()> = Ok(());
    // JSON is written as one array, a document at a time, so a large dataset never sits in memory.
    if args.format == CheckFormat::Json {
        result = write!(out, "[");
    }
    for file in &found.files {
        check_path(file, &options, &mut |c| {
            if result.is_err() {
                return;
            }
            total += 1;
            failed += usize::from(c.fails(allow_truncated));
            result = match args.format {
                CheckFormat::Json => (|| {
                    if total > found.unreadable.len() + 1 {
                        write!(out, ",")?;
                    }
                    writeln!(out)?;
                    serde_json::to_writer_pretty(&mut out, &c)?;
                    Ok(())
                })(),
                CheckFormat::Text => print_check(&mut out, &c, allow_truncated),
            };
        });
    }
    result?;
    match args.format {
        CheckFormat::Json => writeln!(out, "\n]")?,
        CheckFormat::Text => {
            let files = crate::report::format::counted(found.files.len() + found.unreadable.len(), "file", "files");
            let counted = if total == found.files.len() + found.unreadable.len() {
                files
            } else {
                format!("{} in {files}", crate::report::format::counted(total, "call", "calls"))
            };
            writeln!(out, "{counted}: {} would import, {failed} would fail", total - failed)?;
        }
    }
    Ok(if failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn print_check(out: &mut impl Write, c: &FileCheck, allow_truncated: bool) -> std::io::Result<()> {
    let verdict = if c.fails(allow_truncated) { "would fail" } else { "would import" };
    let layout = c.summary.as_ref().map_or(String::new(), |s| format!(" [{}]", s.layout));
    writeln!(out, "{}{layout}: {verdict}", c.document())?;
    if let Some(error) = &c.error {
        writeln!(out, "  error: {error}")?;
    }
    if let Some(s) = &c.summary {
        print_summary(out, s)?;
    }
    writeln!(out)
}

fn print_summary(out: &mut impl Write, s: &CallSummary) -> std::io::Result<()> {
    let source = |fact: &str| s.header_sources.get(fact).copied().flatten().unwrap_or("nowhere: not stored");
    let exchange = s.exchange.as_deref().map(|e| format!(" on {e}")).unwrap_or_default();
    writeln!(
        out,
        "  company       {} ({}{exchange})  [ticker from {}, company from {}]",
        s.company,
        s.ticker.as_deref().unwrap_or("no ticker"),
        source("ticker"),
        source("company")
    )?;
    writeln!(out, "  title         {}  [{}]", s.title, source("title"))?;
    writeln!(out, "  fiscal period Q{} {}  [{}]", s.fiscal_quarter, s.fiscal_year, source("fiscal_period"))?;
    match (&s.call_date, &s.call_time, &s.timezone) {
        (Some(d), Some(t), Some(z)) => writeln!(out, "  date          {d} {t} {z}  [{}]", source("call_date"))?,
        (Some(d), _, _) => writeln!(out, "  date          {d} (no time of day stated)  [{}]", source("call_date"))?,
        _ => writeln!(out, "  date          not stated")?,
    }
    let duration = s.duration_minutes.map_or("not stated".to_string(), |d| format!("{d} minutes"));
    writeln!(out, "  duration      {duration}")?;
    if let Some(url) = &s.source_url {
        writeln!(out, "  source url    {url}")?;
    }
    let sections: Vec<String> = s.sections.iter().map(|(k, n)| format!("{k}: {n} turns")).collect();
    writeln!(out, "  sections      {}  ({} turns, {} words)", sections.join(", "), s.turns, s.words)?;
    let listed = s.participants.iter().filter(|p| p.listed).count();
    writeln!(out, "  participants  {listed} listed, {} found in the body", s.participants.len() - listed)?;
    for p in &s.participants {
        let title = [p.firm.as_deref(), p.title.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" -- ");
        let title = if title.is_empty() { String::new() } else { format!(" -- {title}") };
        let listed = if p.listed { ", listed" } else { "" };
        writeln!(out, "    {}{title} ({}{listed}): {} turns, {} words", p.name, p.role, p.turns, p.words)?;
    }
    if !s.editorial.is_empty() {
        let items: Vec<String> = s.editorial.iter().map(|(k, n)| format!("{k}: {n} items")).collect();
        writeln!(out, "  editorial     {} (kept apart, never speech)", items.join(", "))?;
    }
    for d in &s.dropped {
        writeln!(out, "  not speech    {}: {} lines from line {}", d.kind, d.lines, d.first_line)?;
    }
    for w in &s.warnings {
        writeln!(out, "  warning       {w}")?;
    }
    Ok(())
}
