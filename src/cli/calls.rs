//! `calldb calls` and `calldb show CALL`.

use std::path::Path;
use std::process::ExitCode;

use super::{output, OutputArgs};
use crate::archive::Archive;
use crate::report::read;
use crate::report::sinks::terminal_safe;

#[derive(clap::Args)]
pub struct CallsArgs {
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

pub fn list(db: &Path, args: CallsArgs) -> anyhow::Result<ExitCode> {
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
