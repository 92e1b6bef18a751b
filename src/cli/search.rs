//! `calldb search QUERY`: full-text search over what was said, best matches first.

use std::path::Path;
use std::process::ExitCode;

use rusqlite::types::Value;

use super::calls::parse_date;
use super::{output, OutputArgs};
use crate::archive::Archive;
use crate::report::format::RenderOptions;
use crate::report::query::QueryError;

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
    /// Text put around matched terms in snippets
    #[arg(long, default_value = "**")]
    mark: String,
    #[command(flatten)]
    out: OutputArgs,
}

/// The best `limit` matches by bm25, then their call, speaker and snippet. Filters are checked for each match
/// before it is ranked, so a narrow filter also saves ranking work; with none, FTS5 ranks on its own.
const SEARCH_SQL: &str = "
    WITH hits AS MATERIALIZED (
        SELECT f.rowid AS turn_id, f.rank AS rank
        FROM turns_fts f
        WHERE f.turns_fts MATCH :query
          AND (NOT :filtered OR EXISTS (
                SELECT 1
                FROM turns t
                JOIN calls c ON c.call_id = t.call_id
                JOIN companies co ON co.company_id = c.company_id
                JOIN participants p ON p.participant_id = t.participant_id
                WHERE t.turn_id = f.rowid
                  AND (:ticker IS NULL OR co.ticker = upper(:ticker))
                  AND (:speaker IS NULL OR p.speaker_id = :speaker OR p.name LIKE '%' || :speaker || '%')
                  AND (:role IS NULL OR p.role = :role)
                  AND (:kind IS NULL OR t.kind = :kind)
                  AND (:since IS NULL OR c.call_date >= :since)
                  AND (:until IS NULL OR c.call_date <= :until)))
        ORDER BY f.rank
        LIMIT :limit
    )
    SELECT t.turn_id,
           t.call_id,
           co.ticker,
           c.call_date,
           c.fiscal_year || ' Q' || c.fiscal_quarter AS fiscal_period,
           p.name                                     AS speaker,
           p.role,
           t.kind,
           t.ordinal,
           (SELECT snippet(turns_fts, 0, :mark, :mark, '…', 16) FROM turns_fts
             WHERE turns_fts MATCH :query AND rowid = t.turn_id) AS snippet,
           round(h.rank, 3)                           AS rank
    FROM hits h
    JOIN turns t ON t.turn_id = h.turn_id
    JOIN calls c ON c.call_id = t.call_id
    JOIN companies co ON co.company_id = c.company_id
    JOIN participants p ON p.participant_id = t.participant_id
    ORDER BY h.rank";

pub fn run(db: &Path, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    if crate::archive::store::index_pending(&archive.conn)? {
        eprintln!(
            "calldb: warning: the full-text index is incomplete (an import was interrupted); \
             `calldb migrate` finishes it"
        );
    }
    let filtered = args.ticker.is_some()
        || args.speaker.is_some()
        || args.role.is_some()
        || args.kind.is_some()
        || args.since.is_some()
        || args.until.is_some();
    let speaker = match args.speaker {
        Some(s) => s.parse::<i64>().map(Value::Integer).unwrap_or(Value::Text(s)),
        None => Value::Null,
    };
    let params = vec![
        ("query".to_string(), Value::Text(args.query.clone())),
        ("filtered".to_string(), Value::Integer(i64::from(filtered))),
        ("limit".to_string(), Value::Integer(args.limit.max(0))),
        ("mark".to_string(), Value::Text(args.mark)),
        ("ticker".to_string(), super::optional_text(args.ticker)),
        ("speaker".to_string(), speaker),
        ("role".to_string(), super::optional_text(args.role)),
        ("kind".to_string(), super::optional_text(args.kind)),
        ("since".to_string(), super::optional_text(args.since)),
        ("until".to_string(), super::optional_text(args.until)),
    ];
    let title = format!("Search: {}", args.query);
    let result = output::emit_query(
        &archive.conn,
        SEARCH_SQL,
        &params,
        &args.out,
        RenderOptions { title: Some(&title), ..Default::default() },
    );
    if let Err(e) = &result {
        if let Some(QueryError::Sql(message)) = e.downcast_ref::<QueryError>() {
            if message.contains("fts5") || message.contains("no such column") || message.contains("unterminated") {
                anyhow::bail!(
                    "bad search query `{}`: {}\nFTS5 syntax: words, \"exact phrases\", AND / OR / NOT, prefix*, NEAR(a b, 5); \
                     quote words that contain punctuation, e.g. \"10-K\"",
                    args.query,
                    message.trim_start_matches("SQL error: ")
                );
            }
        }
    }
    result?;
    Ok(ExitCode::SUCCESS)
}
