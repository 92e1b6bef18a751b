//! `calldb calls` and `calldb show CALL`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use rusqlite::{params, OptionalExtension};

use super::{output, OutputArgs};
use crate::archive::Archive;
use crate::report::format::RenderOptions;

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

#[derive(clap::Args)]
pub struct ShowArgs {
    /// The call: its id (from `calldb calls`) or TICKER:YYYYQn, e.g. LPSN:2021Q1
    #[arg(value_name = "CALL")]
    call: String,
}

/// Accepts YYYY-MM-DD only, so filters compare correctly with stored dates.
pub fn parse_date(s: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| format!("`{s}` is not a date in the form YYYY-MM-DD"))
}

pub fn list(db: &Path, args: CallsArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let sql = "SELECT call_id, ticker, company, fiscal_year, fiscal_quarter, call_date, call_time, duration_minutes,
                      participants, turns, words, title
               FROM v_calls
               WHERE (:ticker IS NULL OR ticker = upper(:ticker))
                 AND (:since IS NULL OR call_date >= :since)
                 AND (:until IS NULL OR call_date <= :until)
               ORDER BY call_date, ticker";
    let params = vec![
        ("ticker".to_string(), super::optional_text(args.ticker)),
        ("since".to_string(), super::optional_text(args.since)),
        ("until".to_string(), super::optional_text(args.until)),
    ];
    output::emit_query(
        &archive.conn,
        sql,
        &params,
        &args.out,
        RenderOptions { title: Some("Calls"), ..Default::default() },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Finds a call by id or by `TICKER:YYYYQn` / `TICKER:Qn-YYYY`.
pub fn resolve_call(conn: &rusqlite::Connection, spec: &str) -> anyhow::Result<i64> {
    if let Ok(id) = spec.trim().parse::<i64>() {
        let found: Option<i64> =
            conn.query_row("SELECT call_id FROM calls WHERE call_id = ?1", [id], |r| r.get(0)).optional()?;
        return found.with_context(|| format!("no call with id {id} (see `calldb calls`)"));
    }
    let re = regex::Regex::new(
        r"(?i)^\s*([A-Z0-9.\-]+)\s*[:/ ]\s*(?:Q([1-4])\s*[- ]?\s*(\d{4})|(\d{4})\s*[- ]?\s*Q([1-4]))\s*$",
    )
    .expect("valid regex");
    let Some(c) = re.captures(spec) else {
        bail!("`{spec}` is neither a call id nor TICKER:YYYYQn (e.g. LPSN:2021Q1)");
    };
    let ticker = c[1].to_uppercase();
    let (q, y) = match (c.get(2), c.get(3)) {
        (Some(q), Some(y)) => (q.as_str(), y.as_str()),
        _ => (&c[5], &c[4]),
    };
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT call_id FROM calls JOIN companies USING (company_id)
             WHERE ticker = ?1 AND fiscal_year = ?2 AND fiscal_quarter = ?3 ORDER BY call_id",
        )?
        .query_map(params![ticker, y, q], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    match ids.as_slice() {
        [id] => Ok(*id),
        [] => bail!("no call for {ticker} Q{q} {y} in the archive (see `calldb calls --ticker {ticker}`)"),
        _ => bail!("{} calls match {ticker} Q{q} {y}: use one of the ids {:?}", ids.len(), ids),
    }
}

pub fn show(db: &Path, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let conn = &archive.conn;
    let id = resolve_call(conn, &args.call)?;
    let mut out = String::new();
    conn.query_row(
        "SELECT company, ticker, exchange, title, call_date, call_time, timezone, starts_at_utc, duration_minutes,
                price_change_pct, source_path, content_hash, imported_at, turns, words, participants
         FROM v_calls WHERE call_id = ?1",
        [id],
        |r| {
            let exchange: Option<String> = r.get(2)?;
            let ticker: String = r.get(1)?;
            let _ = writeln!(
                out,
                "{} ({}) — {}",
                r.get::<_, String>(0)?,
                exchange.map_or(ticker.clone(), |e| format!("{e}:{ticker}")),
                r.get::<_, String>(3)?
            );
            let duration: Option<i64> = r.get(8)?;
            let change: Option<f64> = r.get(9)?;
            let _ = writeln!(
                out,
                "{} {} {} ({}){}{}",
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                duration.map(|d| format!(" · {d} minutes")).unwrap_or_default(),
                change.map(|c| format!(" · price {c:+.2}%")).unwrap_or_default(),
            );
            let _ = writeln!(
                out,
                "{} turns, {} words, {} listed participants · call {id}",
                r.get::<_, i64>(13)?,
                r.get::<_, i64>(14)?,
                r.get::<_, i64>(15)?
            );
            let _ = writeln!(out, "Source: {} (blake3 {})", r.get::<_, String>(10)?, &r.get::<_, String>(11)?[..16]);
            let _ = writeln!(out, "Imported: {}", r.get::<_, String>(12)?);
            Ok(())
        },
    )?;
    let mut participants = conn.prepare(
        "SELECT name, title, firm, role FROM participants WHERE call_id = ?1 AND role <> 'operator' ORDER BY ordinal",
    )?;
    out.push_str("\nParticipants:\n");
    for p in participants.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })? {
        let (name, title, firm, role) = p?;
        let described = match (firm, title) {
            (Some(f), Some(t)) => format!("{t}, {f}"),
            (None, Some(t)) => t,
            (Some(f), None) => f,
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "  {name}{}  [{role}]",
            if described.is_empty() { String::new() } else { format!(" — {described}") }
        );
    }
    let mut turns = conn.prepare(
        "SELECT s.heading, t.ordinal, t.speaker_line, t.kind, t.text
         FROM turns t JOIN sections s USING (section_id) WHERE t.call_id = ?1 ORDER BY t.ordinal",
    )?;
    let mut heading = String::new();
    for t in turns.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })? {
        let (h, ordinal, speaker, kind, text) = t?;
        if h != heading {
            let _ = writeln!(out, "\n== {} ==", h.trim_end_matches(':'));
            heading = h;
        }
        let _ = writeln!(out, "\n[{ordinal}] {speaker} ({kind})");
        for paragraph in text.split("\n\n") {
            let _ = writeln!(out, "    {paragraph}");
        }
    }
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(out.as_bytes()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e.into());
        }
    }
    Ok(ExitCode::SUCCESS)
}
