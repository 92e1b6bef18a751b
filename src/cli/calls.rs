//! `calldb calls` and `calldb show CALL`.

use std::path::Path;
use std::process::ExitCode;

use super::{output, OutputArgs};
use crate::archive::curate::{self, Correction};
use crate::archive::Archive;
use crate::report::read;
use crate::report::sinks::terminal_safe;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CallsArgs {
    #[command(subcommand)]
    command: Option<CallsCommand>,
    /// Only calls of this ticker
    #[arg(long)]
    ticker: Option<String>,
    /// Only calls on or after this date (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date)]
    since: Option<String>,
    /// Only calls on or before this date (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date)]
    until: Option<String>,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(clap::Subcommand)]
enum CallsCommand {
    /// Correct a call's facts; recorded (who, when, old and new value) and applied again when its file is re-read
    Set(SetArgs),
    /// Delete calls whole (turns, figures, exchanges, search entries, people's appearances); logged in
    /// v_deleted_calls
    Delete(DeleteArgs),
}

#[derive(clap::Args)]
struct SetArgs {
    /// The call: its id or TICKER:YYYYQn
    #[arg(value_name = "CALL")]
    call: String,
    /// The call's ticker (it moves to that company)
    #[arg(long, conflicts_with = "no_ticker")]
    ticker: Option<String>,
    /// The call has no ticker (a wrong one is removed)
    #[arg(long)]
    no_ticker: bool,
    /// The company's name (renames the company, for its other calls too)
    #[arg(long)]
    company: Option<String>,
    /// The fiscal period, e.g. 2021Q3
    #[arg(long, value_name = "PERIOD")]
    fiscal_period: Option<String>,
    /// The call's date (YYYY-MM-DD; the time of day is then not known)
    #[arg(long, value_parser = parse_date, conflicts_with = "no_date")]
    date: Option<String>,
    /// The call's date is not known (a wrong one is removed)
    #[arg(long)]
    no_date: bool,
}

#[derive(clap::Args)]
struct DeleteArgs {
    /// Calls by id or TICKER:YYYYQn
    #[arg(value_name = "CALL")]
    calls: Vec<String>,
    /// Every call imported from this file, or from inside this folder (repeatable)
    #[arg(long = "source", value_name = "PATH")]
    sources: Vec<std::path::PathBuf>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ShowFormat {
    /// Readable text: header, participants, sections, every turn's paragraphs
    Text,
    /// The whole call as one JSON object (header, participants, turns)
    Json,
    /// A Markdown document (transcript text escaped)
    Markdown,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    /// The call: its id (from `calldb calls`) or TICKER:YYYYQn, e.g. LPSN:2021Q1
    #[arg(value_name = "CALL")]
    call: String,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    format: ShowFormat,
}

/// Accepts YYYY-MM-DD only, so filters compare correctly with stored dates.
pub fn parse_date(s: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| format!("`{s}` is not a date in the form YYYY-MM-DD"))
}

/// `calldb calls`: the list, or a correction (`set`, `delete`).
pub fn run(db: &Path, wait: std::time::Duration, args: CallsArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        None => list(db, args),
        Some(CallsCommand::Set(set)) => set_facts(db, wait, set),
        Some(CallsCommand::Delete(delete)) => delete_calls(db, wait, delete),
    }
}

fn set_facts(db: &Path, wait: std::time::Duration, args: SetArgs) -> anyhow::Result<ExitCode> {
    let mut corrections = Vec::new();
    if let Some(t) = args.ticker {
        corrections.push(Correction::Ticker(Some(t)));
    }
    if args.no_ticker {
        corrections.push(Correction::Ticker(None));
    }
    if let Some(c) = args.company {
        corrections.push(Correction::Company(c));
    }
    if let Some(p) = &args.fiscal_period {
        corrections.push(Correction::parse_fiscal_period(p).map_err(anyhow::Error::msg)?);
    }
    if let Some(d) = &args.date {
        corrections.push(Correction::CallDate(Some(d.parse()?)));
    }
    if args.no_date {
        corrections.push(Correction::CallDate(None));
    }
    let mut archive = Archive::open_existing_for_write(db, wait)?;
    let id = read::resolve_call(&archive.conn, &args.call)?;
    let changed = curate::correct(&mut archive, id, &corrections)?;
    let text = if changed.is_empty() {
        format!("call {id}: nothing to change\n")
    } else {
        format!("call {id}: {}\n", changed.join(", "))
    };
    output::print(&terminal_safe(&text))?;
    Ok(ExitCode::SUCCESS)
}

fn delete_calls(db: &Path, wait: std::time::Duration, args: DeleteArgs) -> anyhow::Result<ExitCode> {
    if args.calls.is_empty() && args.sources.is_empty() {
        anyhow::bail!("name the calls to delete (ids or TICKER:YYYYQn) or --source PATH");
    }
    let mut archive = Archive::open_existing_for_write(db, wait)?;
    let mut ids = Vec::new();
    for call in &args.calls {
        ids.push(read::resolve_call(&archive.conn, call)?);
    }
    ids.extend(curate::calls_from_sources(&archive.conn, &args.sources)?);
    ids.sort_unstable();
    ids.dedup();
    let labels = curate::delete(&mut archive, &ids)?;
    let text =
        format!("deleted {} call{}: {}\n", labels.len(), if labels.len() == 1 { "" } else { "s" }, labels.join(", "));
    output::print(&terminal_safe(&text))?;
    Ok(ExitCode::SUCCESS)
}

fn list(db: &Path, args: CallsArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let q = read::calls(read::CallFilter { ticker: args.ticker, since: args.since, until: args.until });
    output::emit_read(&archive.conn, &q, &args.out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn show(db: &Path, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let id = read::resolve_call(&archive.conn, &args.call)?;
    let call = read::call_record(&archive.conn, id)?;
    let text = match args.format {
        // Transcript text is untrusted: no escape sequence reaches the terminal.
        ShowFormat::Text => terminal_safe(&call.to_text()).into_owned(),
        ShowFormat::Json => serde_json::to_string_pretty(&call)? + "\n",
        ShowFormat::Markdown => call.to_markdown(),
    };
    output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
