//! The read queries behind the reading commands (`calls`, `show`, `search`, `speakers`): each is a parameterised SQL
//! statement over the documented views, built here so the command line only parses arguments and prints, and any
//! program using the library asks the same questions the same way.

use std::fmt::Write as _;

use super::format::counted;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadSpec(String),
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
}

/// A read query ready to run: SQL, bound parameters, and the title outputs show.
#[derive(Debug, Clone)]
pub struct ReadQuery {
    pub sql: &'static str,
    pub params: Vec<(String, Value)>,
    pub title: String,
}

fn optional(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::Text)
}

/// Filters for `calls`.
#[derive(Debug, Clone, Default)]
pub struct CallFilter {
    pub ticker: Option<String>,
    /// YYYY-MM-DD, inclusive.
    pub since: Option<String>,
    pub until: Option<String>,
}

/// Archived calls, oldest first.
pub fn calls(filter: CallFilter) -> ReadQuery {
    ReadQuery {
        // The time as printed is local to the call: its zone stands beside it, never a bare clock time.
        sql: "SELECT call_id, ticker, company, fiscal_year, fiscal_quarter, call_date, call_time, timezone,
                     duration_minutes, participants, turns, words, title
              FROM v_calls
              WHERE (:ticker IS NULL OR ticker = upper(:ticker))
                AND (:since IS NULL OR call_date >= :since)
                AND (:until IS NULL OR call_date <= :until)
              ORDER BY call_date, ticker",
        params: vec![
            ("ticker".into(), optional(filter.ticker)),
            ("since".into(), optional(filter.since)),
            ("until".into(), optional(filter.until)),
        ],
        title: "Calls".into(),
    }
}

/// A full-text search and its filters.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// FTS5 query syntax.
    pub query: String,
    pub ticker: Option<String>,
    /// A speaker id, or text contained in the name as written.
    pub speaker: Option<String>,
    pub role: Option<String>,
    pub kind: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: i64,
    /// Put before and after each matched word in the snippet.
    pub mark: (String, String),
    /// Only the columns a person reads at a terminal (call, speaker, kind, snippet) instead of every column.
    pub compact: bool,
}

/// The matches in bm25 order with their turn, call, company and speaker, filtered, best `limit` first. The index is
/// the outer loop (`CROSS JOIN` keeps it so): FTS5 ranks every match, as it must, and hands them over best first, so
/// the joins, the filters and the snippet run only until `limit` rows pass: exactly the work of the plain FTS5 query
/// `... FROM turns_fts JOIN turns ... WHERE turns_fts MATCH ? ORDER BY rank LIMIT ?`.
macro_rules! search_matches {
    () => {
        "
    FROM turns_fts
    CROSS JOIN turns t ON t.turn_id = turns_fts.rowid
    CROSS JOIN calls c ON c.call_id = t.call_id
    CROSS JOIN companies co ON co.company_id = c.company_id
    LEFT JOIN participants p ON p.participant_id = t.participant_id
    WHERE turns_fts MATCH :query
      AND (:ticker IS NULL OR co.ticker = upper(:ticker))
      AND (:speaker IS NULL OR p.speaker_id = :speaker OR p.name LIKE '%' || :speaker || '%')
      AND (:role IS NULL OR p.role = :role)
      AND (:kind IS NULL OR t.kind = :kind)
      AND (:since IS NULL OR c.call_date >= :since)
      AND (:until IS NULL OR c.call_date <= :until)
    ORDER BY turns_fts.rank
    LIMIT :limit"
    };
}

const SEARCH_FULL: &str = concat!(
    "
    SELECT t.turn_id,
           t.call_id,
           co.ticker,
           c.call_date,
           c.fiscal_year || ' Q' || c.fiscal_quarter AS fiscal_period,
           p.name                                     AS speaker,
           p.role,
           t.kind,
           t.ordinal,
           snippet(turns_fts, 0, :mark_start, :mark_end, '…', 16) AS snippet,
           round(turns_fts.rank, 3)                   AS rank",
    search_matches!()
);

const SEARCH_COMPACT: &str = concat!(
    "
    SELECT co.ticker || ' ' || c.fiscal_year || ' Q' || c.fiscal_quarter || ' #' || t.ordinal AS turn,
           p.name AS speaker,
           t.kind,
           snippet(turns_fts, 0, :mark_start, :mark_end, '…', 32) AS snippet",
    search_matches!()
);

/// The search query (full, or compact for a terminal); both share the ranking part.
pub fn search(request: SearchRequest) -> ReadQuery {
    let speaker = match request.speaker {
        Some(s) => s.parse::<i64>().map(Value::Integer).unwrap_or(Value::Text(s)),
        None => Value::Null,
    };
    ReadQuery {
        sql: if request.compact { SEARCH_COMPACT } else { SEARCH_FULL },
        title: format!("Search: {}", request.query),
        params: vec![
            ("query".into(), Value::Text(request.query)),
            ("limit".into(), Value::Integer(request.limit.max(0))),
            ("mark_start".into(), Value::Text(request.mark.0)),
            ("mark_end".into(), Value::Text(request.mark.1)),
            ("ticker".into(), optional(request.ticker)),
            ("speaker".into(), speaker),
            ("role".into(), optional(request.role)),
            ("kind".into(), optional(request.kind)),
            ("since".into(), optional(request.since)),
            ("until".into(), optional(request.until)),
        ],
    }
}

/// Whether an SQL error message is about the search query's syntax (so it deserves the FTS5 syntax reminder).
pub fn is_search_syntax_error(message: &str) -> bool {
    message.contains("fts5")
        || message.contains("no such column")
        || message.contains("unterminated")
        || message.contains("unknown special query")
}

/// What was wrong with a search query, in the user's terms: SQLite's own words, except where they name FTS5
/// internals (a query starting with `*` reads as one of FTS5's special `*` commands).
pub fn search_syntax_problem(message: &str) -> String {
    let message = message.trim_start_matches("SQL error: ");
    if message.contains("unknown special query") {
        "a star only ends a word, as in `revenu*`; it cannot stand alone or start a query".to_string()
    } else {
        message.to_string()
    }
}

/// Filters for the people list.
#[derive(Debug, Clone, Default)]
pub struct SpeakerFilter {
    pub name: Option<String>,
    pub role: Option<String>,
    pub ticker: Option<String>,
    pub firm: Option<String>,
}

/// The documented `v_speakers` view, filtered: the same people a SQL client sees.
pub fn speakers(filter: SpeakerFilter) -> ReadQuery {
    ReadQuery {
        sql: "
        SELECT speaker_id, name, aliases, roles, titles, firms, calls, companies, tickers, first_call, last_call
        FROM v_speakers
        WHERE (:name IS NULL OR speaker_id IN
                  (SELECT speaker_id FROM speaker_aliases WHERE alias LIKE '%' || :name || '%'))
          AND (:role IS NULL OR speaker_id IN (SELECT speaker_id FROM participants WHERE role = :role))
          AND (:ticker IS NULL OR speaker_id IN
                  (SELECT p.speaker_id FROM participants p JOIN calls c USING (call_id)
                   JOIN companies co USING (company_id) WHERE co.ticker = upper(:ticker)))
          AND (:firm IS NULL OR speaker_id IN
                  (SELECT speaker_id FROM participants WHERE firm_normalized LIKE '%' || lower(:firm) || '%'))
        ORDER BY calls DESC, name",
        params: vec![
            ("name".into(), optional(filter.name)),
            ("role".into(), optional(filter.role)),
            ("ticker".into(), optional(filter.ticker)),
            ("firm".into(), optional(filter.firm)),
        ],
        title: "Speakers".into(),
    }
}

/// One person: display name, identity keys, and the query listing their appearances.
pub fn speaker(conn: &Connection, id: i64) -> Result<(String, Vec<String>, ReadQuery), ReadError> {
    let name: Option<String> =
        conn.query_row("SELECT name FROM speakers WHERE speaker_id = ?1", [id], |r| r.get(0)).optional()?;
    let Some(name) = name else {
        return Err(ReadError::NotFound(format!("no speaker with id {id} (see `calldb speakers`)")));
    };
    let keys: Vec<String> = conn
        .prepare("SELECT identity_key FROM speaker_keys WHERE speaker_id = ?1 ORDER BY identity_key")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let query = ReadQuery {
        sql: "SELECT c.call_id, co.ticker, c.call_date, c.fiscal_year || ' Q' || c.fiscal_quarter AS fiscal_period,
                     p.name AS name_as_written, p.title, p.firm, p.role, p.turns, p.words
              FROM participants p JOIN calls c USING (call_id) JOIN companies co USING (company_id)
              WHERE p.speaker_id = :id ORDER BY c.call_date",
        params: vec![("id".into(), Value::Integer(id))],
        title: name.clone(),
    };
    Ok((name, keys, query))
}

/// Finds a call by id or by `TICKER:YYYYQn` / `TICKER:Qn-YYYY`.
pub fn resolve_call(conn: &Connection, spec: &str) -> Result<i64, ReadError> {
    if let Ok(id) = spec.trim().parse::<i64>() {
        let found: Option<i64> =
            conn.query_row("SELECT call_id FROM calls WHERE call_id = ?1", [id], |r| r.get(0)).optional()?;
        return found.ok_or_else(|| ReadError::NotFound(format!("no call with id {id} (see `calldb calls`)")));
    }
    let re = regex::Regex::new(
        r"(?i)^\s*([A-Z0-9.\-]+)\s*[:/ ]\s*(?:Q([1-4])\s*[- ]?\s*(\d{4})|(\d{4})\s*[- ]?\s*Q([1-4]))\s*$",
    )
    .expect("valid regex");
    let Some(c) = re.captures(spec) else {
        return Err(ReadError::BadSpec(format!("`{spec}` is neither a call id nor TICKER:YYYYQn (e.g. LPSN:2021Q1)")));
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
        [] => Err(ReadError::NotFound(format!(
            "no call for {ticker} Q{q} {y} in the archive (see `calldb calls --ticker {ticker}`)"
        ))),
        _ => Err(ReadError::BadSpec(format!(
            "{} calls match {ticker} Q{q} {y}: use one of the ids {:?}",
            ids.len(),
            ids
        ))),
    }
}

/// One archived call as a whole: header, participants, and turns in order.
#[derive(Debug, Clone, Serialize)]
pub struct CallRecord {
    pub call_id: i64,
    pub company: String,
    /// `None` for a call whose ticker no source gave (kept under its company name).
    pub ticker: Option<String>,
    pub exchange: Option<String>,
    pub title: String,
    pub fiscal_year: i64,
    pub fiscal_quarter: i64,
    /// `None` when no source states the date; the time, zone and instant are `None` when only the date is known.
    pub call_date: Option<String>,
    pub call_time: Option<String>,
    pub timezone: Option<String>,
    pub starts_at_utc: Option<String>,
    pub duration_minutes: Option<i64>,
    pub price_change_pct: Option<f64>,
    pub source_path: String,
    pub content_hash: String,
    pub imported_at: String,
    pub words: i64,
    /// The layout it was read as (`fool-classic`, `streetevents`, `callstreet`, …).
    pub layout: Option<String>,
    /// The page address the source gives, if any.
    pub source_url: Option<String>,
    /// Where each header fact came from (`text`, `record`, `file name`, `derived`, …), as stored.
    pub header_sources: Option<serde_json::Value>,
    /// False when the source ends before the call does (`truncated_at_line` says where).
    pub complete: bool,
    pub truncated_at_line: Option<i64>,
    /// What the parser noticed and did about it, as stored.
    pub warnings: Vec<String>,
    /// False for a whole-call block: speech with no speakers.
    pub speakers_known: bool,
    /// The record's place in its dataset file (`/2025/Q1/0`, `line 12`), for calls read from records.
    pub record_key: Option<String>,
    /// Entries of the source's participants list.
    pub listed_participants: i64,
    pub participants: Vec<CallParticipant>,
    pub turns: Vec<CallTurn>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CallParticipant {
    pub name: String,
    pub title: Option<String>,
    pub firm: Option<String>,
    pub role: String,
    pub speaker_id: Option<i64>,
    pub listed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CallTurn {
    pub ordinal: i64,
    pub section: String,
    pub heading: String,
    pub speaker: String,
    pub speaker_line: String,
    pub role: String,
    pub kind: String,
    pub text: String,
    pub words: i64,
}

/// A turn an output cites (by a `turn_id` column), as an HTML page shows it under its table so each row can link to
/// the words it came from.
#[derive(Debug, Clone)]
pub struct CitedTurn {
    pub turn_id: i64,
    /// `ACME 2024 Q3 (2024-10-24)`
    pub call: String,
    /// `Jane Roe, Chief Financial Officer (executive)`
    pub speaker: String,
    pub section: Option<String>,
    pub text: String,
}

/// Reads one cited turn; `None` when the archive has no such turn.
pub fn cited_turn(conn: &Connection, turn_id: i64) -> rusqlite::Result<Option<CitedTurn>> {
    conn.prepare_cached(
        "SELECT ticker, fiscal_year, fiscal_quarter, call_date, coalesce(speaker, 'Unattributed'), title, firm, role,
                section, text
         FROM v_turns WHERE turn_id = ?1",
    )?
    .query_row([turn_id], |r| {
        let mut call = r.get::<_, Option<String>>(0)?.unwrap_or_else(|| "(no ticker)".into());
        if let (Some(year), Some(quarter)) = (r.get::<_, Option<i64>>(1)?, r.get::<_, Option<i64>>(2)?) {
            let _ = write!(call, " {year} Q{quarter}");
        }
        if let Some(date) = r.get::<_, Option<String>>(3)? {
            let _ = write!(call, " ({date})");
        }
        let mut speaker: String = r.get(4)?;
        for part in [r.get::<_, Option<String>>(5)?, r.get::<_, Option<String>>(6)?].into_iter().flatten() {
            if !part.is_empty() {
                let _ = write!(speaker, ", {part}");
            }
        }
        if let Some(role) = r.get::<_, Option<String>>(7)? {
            let _ = write!(speaker, " ({role})");
        }
        Ok(CitedTurn { turn_id, call, speaker, section: r.get(8)?, text: r.get(9)? })
    })
    .optional()
}

/// Reads a whole call.
pub fn call_record(conn: &Connection, id: i64) -> Result<CallRecord, ReadError> {
    let mut record = conn.query_row(
        "SELECT company, ticker, exchange, title, fiscal_year, fiscal_quarter, call_date, call_time, timezone,
                starts_at_utc, duration_minutes, price_change_pct, source_path, content_hash, imported_at, words,
                layout, source_url, header_sources, complete, truncated_at_line, warnings, speakers_known, record_key,
                participants
         FROM v_calls WHERE call_id = ?1",
        [id],
        |r| {
            let json = |i: usize| -> rusqlite::Result<Option<serde_json::Value>> {
                Ok(r.get::<_, Option<String>>(i)?.and_then(|t| serde_json::from_str(&t).ok()))
            };
            Ok(CallRecord {
                call_id: id,
                company: r.get(0)?,
                ticker: r.get(1)?,
                exchange: r.get(2)?,
                title: r.get(3)?,
                fiscal_year: r.get(4)?,
                fiscal_quarter: r.get(5)?,
                call_date: r.get(6)?,
                call_time: r.get(7)?,
                timezone: r.get(8)?,
                starts_at_utc: r.get(9)?,
                duration_minutes: r.get(10)?,
                price_change_pct: r.get(11)?,
                source_path: r.get(12)?,
                content_hash: r.get(13)?,
                imported_at: r.get(14)?,
                words: r.get(15)?,
                layout: r.get(16)?,
                source_url: r.get(17)?,
                header_sources: json(18)?,
                complete: r.get::<_, Option<i64>>(19)?.unwrap_or(1) == 1,
                truncated_at_line: r.get(20)?,
                warnings: json(21)?.and_then(|w| serde_json::from_value(w).ok()).unwrap_or_default(),
                speakers_known: r.get::<_, Option<i64>>(22)?.unwrap_or(1) == 1,
                record_key: r.get(23)?,
                listed_participants: r.get(24)?,
                participants: Vec::new(),
                turns: Vec::new(),
            })
        },
    )?;
    record.participants = conn
        .prepare(
            "SELECT name, title, firm, role, speaker_id, listed FROM participants WHERE call_id = ?1 ORDER BY ordinal",
        )?
        .query_map([id], |r| {
            Ok(CallParticipant {
                name: r.get(0)?,
                title: r.get(1)?,
                firm: r.get(2)?,
                role: r.get(3)?,
                speaker_id: r.get(4)?,
                listed: r.get::<_, i64>(5)? == 1,
            })
        })?
        .collect::<Result<_, _>>()?;
    record.turns = conn
        .prepare(
            "SELECT t.ordinal, s.kind, s.heading, coalesce(p.name, ''),
                    CASE WHEN t.participant_id IS NULL THEN '(speaker not known)' ELSE t.speaker_line END,
                    coalesce(p.role, 'unknown'), t.kind, t.text, t.words
             FROM turns t JOIN sections s ON s.section_id = t.section_id
             LEFT JOIN participants p ON p.participant_id = t.participant_id
             WHERE t.call_id = ?1 ORDER BY t.ordinal",
        )?
        .query_map([id], |r| {
            Ok(CallTurn {
                ordinal: r.get(0)?,
                section: r.get(1)?,
                heading: r.get(2)?,
                speaker: r.get(3)?,
                speaker_line: r.get(4)?,
                role: r.get(5)?,
                kind: r.get(6)?,
                text: r.get(7)?,
                words: r.get(8)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(record)
}

impl CallRecord {
    fn described(p: &CallParticipant) -> String {
        match (&p.firm, &p.title) {
            (Some(f), Some(t)) => format!("{t}, {f}"),
            (None, Some(t)) => t.clone(),
            (Some(f), None) => f.clone(),
            (None, None) => String::new(),
        }
    }

    /// `2021-05-04 17:00 America/New_York (2021-05-04T21:00:00Z)`, or as much of it as is known.
    fn when(&self) -> String {
        match (&self.call_date, &self.call_time, &self.timezone, &self.starts_at_utc) {
            (Some(d), Some(t), Some(z), Some(u)) => format!("{d} {t} {z} ({u})"),
            (Some(d), ..) => format!("{d} (time of day not stated)"),
            (None, ..) => "date not stated".to_string(),
        }
    }

    fn listed_count(&self) -> usize {
        self.participants.iter().filter(|p| p.listed).count()
    }

    /// The call as readable text: header, participants, sections, every turn's paragraphs. The caller makes it safe
    /// for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let ticker = self.ticker.as_deref().unwrap_or("no ticker");
        let exchange = self.exchange.as_ref().map_or(ticker.to_string(), |e| format!("{e}:{ticker}"));
        let _ = writeln!(out, "{} ({exchange}) — {}", self.company, self.title);
        let _ = writeln!(
            out,
            "{}{}{}",
            self.when(),
            self.duration_minutes.map(|d| format!(" · {d} minutes")).unwrap_or_default(),
            self.price_change_pct.map(|c| format!(" · price {c:+.2}%")).unwrap_or_default(),
        );
        let _ = writeln!(
            out,
            "{}, {} words, {} · call {}",
            counted(self.turns.len(), "turn", "turns"),
            self.words,
            counted(self.listed_count(), "listed participant", "listed participants"),
            self.call_id
        );
        let _ = writeln!(
            out,
            "Source: {} (blake3 {})",
            self.source_path,
            &self.content_hash[..16.min(self.content_hash.len())]
        );
        if let Some(url) = &self.source_url {
            let _ = writeln!(out, "Page: {url}");
        }
        let _ = writeln!(
            out,
            "Imported: {} · read as {}",
            self.imported_at,
            self.layout.as_deref().unwrap_or("unknown layout")
        );
        if !self.complete {
            let _ = writeln!(
                out,
                "Incomplete: the source ends before the call does{}",
                self.truncated_at_line.map(|l| format!(" (line {l})")).unwrap_or_default()
            );
        }
        for w in &self.warnings {
            let _ = writeln!(out, "Note: {w}");
        }
        out.push_str("\nParticipants:\n");
        for p in self.participants.iter().filter(|p| p.role != "operator") {
            let d = Self::described(p);
            let _ = writeln!(
                out,
                "  {}{}  [{}]",
                p.name,
                if d.is_empty() { String::new() } else { format!(" — {d}") },
                p.role
            );
        }
        let mut section = None;
        for t in &self.turns {
            if section != Some((&t.section, &t.heading)) {
                let _ = writeln!(out, "\n== {} ==", section_title(t));
                section = Some((&t.section, &t.heading));
            }
            let _ = writeln!(out, "\n[{}] {} ({})", t.ordinal, t.speaker_line, t.kind);
            for paragraph in t.text.split("\n\n") {
                let _ = writeln!(out, "    {paragraph}");
            }
        }
        out
    }

    /// The call as a Markdown document. Transcript text is escaped (Markdown renderers pass raw HTML through).
    pub fn to_markdown(&self) -> String {
        let esc = |s: &str| markdown_text(s);
        let mut out = String::new();
        let ticker = self.ticker.as_deref().unwrap_or("no ticker");
        let _ = writeln!(out, "# {} ({}) — {}\n", esc(&self.company), esc(ticker), esc(&self.title));
        let _ = writeln!(
            out,
            "- **Date:** {}\n- **Fiscal period:** {} Q{}\n- **Turns / words:** {} / {}\n- **Source:** {}\n",
            esc(&self.when()),
            self.fiscal_year,
            self.fiscal_quarter,
            self.turns.len(),
            self.words,
            esc(&self.source_path)
        );
        out.push_str("## Participants\n\n");
        for p in self.participants.iter().filter(|p| p.role != "operator") {
            let d = Self::described(p);
            let _ = writeln!(
                out,
                "- {}{} ({})",
                esc(&p.name),
                if d.is_empty() { String::new() } else { format!(" — {}", esc(&d)) },
                p.role
            );
        }
        let mut section = None;
        for t in &self.turns {
            if section != Some((&t.section, &t.heading)) {
                let _ = writeln!(out, "\n## {}", esc(&section_title(t)));
                section = Some((&t.section, &t.heading));
            }
            let _ = writeln!(out, "\n**{}** _({}, turn {})_\n", esc(&t.speaker_line), t.kind, t.ordinal);
            for paragraph in t.text.split("\n\n") {
                let _ = writeln!(out, "{}\n", esc(paragraph));
            }
        }
        out
    }
}

/// A section's title as the source wrote it, or, where the source marks the section without a heading (fool.com's
/// 2025 layout begins its questions with the operator's turn), what the section is.
fn section_title(t: &CallTurn) -> String {
    let heading = t.heading.trim().trim_end_matches(':');
    if !heading.is_empty() {
        return heading.to_string();
    }
    match t.section.as_str() {
        "prepared_remarks" => "Prepared remarks".to_string(),
        "qa" => "Questions and answers".to_string(),
        other => other.replace('_', " "),
    }
}

/// Prose for Markdown: HTML and Markdown's own markup characters escaped, so transcript text is shown, never run.
pub fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
