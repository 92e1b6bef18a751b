//! `calldb search QUERY`: full-text search over what was said, best matches first.

use std::path::Path;
use std::process::ExitCode;

use super::calls::parse_date;
use super::{output, OutputArgs};
use crate::archive::Archive;
use crate::report::format::{Format, RenderOptions};
use crate::report::query::QueryError;
use crate::report::read;
use crate::report::sinks::table::{HIGHLIGHT_END, HIGHLIGHT_START};

#[derive(clap::Args)]
pub struct SearchArgs {
    /// FTS5 query: words, "exact phrases", AND / OR / NOT, prefix*, NEAR(a b, 5)
    query: String,
    /// Only calls of this ticker
    #[arg(long)]
    ticker: Option<String>,
    /// Only turns of this speaker: a speaker id, or text contained in the name as written
    #[arg(long)]
    speaker: Option<String>,
    /// Only turns by this role: operator, executive, investor_relations, analyst, unknown
    #[arg(long)]
    role: Option<String>,
    /// Only turns of this kind: operator, remarks, question, answer
    #[arg(long)]
    kind: Option<String>,
    /// Only calls on or after this date (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date)]
    since: Option<String>,
    /// Only calls on or before this date (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date)]
    until: Option<String>,
    /// Most results
    #[arg(long, default_value_t = 20)]
    limit: i64,
    /// Text put around matched terms in snippets (on a terminal, matches are shown in bold instead)
    #[arg(long, default_value = "**")]
    mark: String,
    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(db: &Path, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    if crate::archive::store::index_pending(&archive.conn)? {
        eprintln!(
            "calldb: warning: the full-text index is incomplete (a large import is building it, or was \
             interrupted: `calldb migrate` finishes it)"
        );
    }
    // On a terminal: the columns a person reads, the snippet given the width, matched words in bold.
    let on_terminal =
        args.out.output.is_none() && output::choose_format(&args.out)? == Format::Table && output::stdout_is_terminal();
    let mark = if on_terminal {
        (HIGHLIGHT_START.to_string(), HIGHLIGHT_END.to_string())
    } else {
        (args.mark.clone(), args.mark.clone())
    };
    let q = read::search(read::SearchRequest {
        query: args.query.clone(),
        ticker: args.ticker,
        speaker: args.speaker,
        role: args.role,
        kind: args.kind,
        since: args.since,
        until: args.until,
        limit: args.limit,
        mark,
        compact: on_terminal,
    });
    let result = output::emit_query(
        &archive.conn,
        q.sql,
        &q.params,
        &args.out,
        RenderOptions { title: Some(&q.title), ..Default::default() },
    );
    if let Err(e) = &result {
        if let Some(QueryError::Sql(message)) = e.downcast_ref::<QueryError>() {
            if read::is_search_syntax_error(message) {
                anyhow::bail!(
                    "bad search query `{}`: {}\nFTS5 syntax: words, \"exact phrases\", AND / OR / NOT, prefix*, NEAR(a b, 5); \
                     quote words that contain punctuation, e.g. \"10-K\"",
                    args.query,
                    read::search_syntax_problem(message)
                );
            }
        }
    }
    result?;
    Ok(ExitCode::SUCCESS)
}
