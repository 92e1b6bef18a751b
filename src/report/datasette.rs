//! Datasette metadata for an archive (`calldb datasette`): the documented views with titles and descriptions of
//! their columns, full-text search on `turns` and `v_turns`, facets, label columns, internal tables hidden, and every
//! canned report as a canned query.
//!
//! Datasette passes a parameter the user leaves empty as `''`, where calldb passes NULL. Each canned query's SQL is
//! the report's own with every `:param` read through `nullif(:param, '')` (and the report's default, cast to the
//! parameter's type, when it has one), so an empty field means "not set" exactly as in `calldb report run`.

use serde_json::{json, Map, Value as Json};

use super::catalog::{Catalog, ParamType, Report};

/// A documented view: name, title, description, and one line per column.
pub type ViewDoc = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

/// Each documented view: its title, description, and one line per column.
pub const VIEWS: &[ViewDoc] = &[
    (
        "v_calls",
        "Calls",
        "One row per archived call: company, fiscal period, when it was held, size, and where the file came from.",
        &[
            ("call_id", "The call's id in this archive"),
            ("ticker", "Stock ticker"),
            ("company", "Company name as printed"),
            ("exchange", "Exchange, when the header printed one"),
            ("title", "Title as printed, e.g. Q1 2021 Earnings Call"),
            ("fiscal_year", "Fiscal year the call reports on"),
            ("fiscal_quarter", "Fiscal quarter (1-4)"),
            ("call_date", "Date of the call (YYYY-MM-DD, local to the call)"),
            ("call_time", "Start time as printed (HH:MM, local)"),
            ("timezone", "IANA zone of the printed time"),
            ("starts_at_utc", "Start as a UTC instant (ISO 8601)"),
            ("duration_minutes", "Length of the call, when printed"),
            ("price_change_pct", "Share-price move printed in the header, in percent"),
            ("participants", "Entries of the participants list"),
            ("turns", "Speaker turns"),
            ("words", "Words spoken"),
            ("source_path", "File the call was imported from"),
            ("content_hash", "BLAKE3 of the file's bytes (of the record, for a call from a dataset)"),
            ("imported_at", "When it was archived (UTC)"),
            ("layout", "Transcript layout the file was read as"),
            ("source_url", "Page the transcript was published at, when known"),
            ("header_sources", "Where each header fact came from (JSON object)"),
            ("complete", "1 for a whole transcript, 0 for one archived truncated"),
            ("truncated_at_line", "Last line of a truncated file"),
            ("warnings", "What the reader noticed and recovered from (JSON array)"),
            ("speakers_known", "0 for a call kept as whole-call blocks: its speech has no speakers"),
            ("record_key", "The record within a dataset file (JSONL line, CSV or Parquet row, JSON pointer)"),
        ],
    ),
    (
        "v_turns",
        "Turns",
        "Every speaker turn: who spoke (name, title, firm, role), in which call and section, what kind of turn, and \
         the words said. Searchable (FTS5 syntax: words, \"phrases\", OR, NOT, prefix*).",
        &[
            ("turn_id", "The turn's id"),
            ("call_id", "The call"),
            ("ticker", "Stock ticker"),
            ("company", "Company name"),
            ("call_date", "Date of the call"),
            ("fiscal_year", "Fiscal year"),
            ("fiscal_quarter", "Fiscal quarter"),
            ("section", "prepared_remarks or qa"),
            ("ordinal", "Position in the call (1-based)"),
            ("speaker", "Name as the speaker line writes it; empty for unattributed speech"),
            ("title", "Title as written in this call"),
            ("firm", "Firm as written in this call"),
            ("role", "operator, executive, investor_relations, analyst or unknown"),
            ("kind", "operator, remarks, question or answer"),
            ("text", "What was said (paragraphs separated by a blank line)"),
            ("words", "Words in the turn"),
            ("speaker_id", "The person across calls (see v_speakers)"),
            ("participant_id", "The appearance in this call"),
            ("participant", "The participant the speaker line names, as the participants list spells it"),
        ],
    ),
    (
        "v_speakers",
        "People",
        "One row per person across calls, with every name, role, title and firm seen (JSON arrays) and the calls \
         they appear in.",
        &[
            ("speaker_id", "The person's id"),
            ("name", "Display name (the fullest form seen)"),
            ("aliases", "Every form of the name seen (JSON array)"),
            ("calls", "Calls the person appears in"),
            ("companies", "Companies whose calls they appear in"),
            ("roles", "Roles seen (JSON array)"),
            ("firms", "Firms as written (JSON array)"),
            ("titles", "Titles as written (JSON array)"),
            ("tickers", "Tickers of their calls (JSON array)"),
            ("first_call", "Date of their first call"),
            ("last_call", "Date of their latest call"),
        ],
    ),
    (
        "v_exchanges",
        "Q&A exchanges",
        "One analyst's question(s) with the answers that follow, up to the next analyst or the operator.",
        &[
            ("exchange_id", "The exchange's id"),
            ("call_id", "The call"),
            ("ordinal", "Position among the call's exchanges"),
            ("analyst", "Analyst's name as written"),
            ("firm", "Analyst's firm as written"),
            ("questions", "Question turns"),
            ("answers", "Answer turns"),
            ("question_words", "Words asked"),
            ("answer_words", "Words answered"),
            ("first_ordinal", "First turn of the exchange"),
            ("last_ordinal", "Last turn of the exchange"),
            ("speaker_id", "The analyst across calls"),
        ],
    ),
    (
        "v_metrics",
        "Figures spoken",
        "Every numeric figure said in a turn (currency, percent, basis points, multiples, counts), with what it is \
         about when the sentence names it.",
        &[
            ("metric_id", "The figure's id"),
            ("call_id", "The call"),
            ("ticker", "Stock ticker"),
            ("call_date", "Date of the call"),
            ("fiscal_year", "Fiscal year"),
            ("fiscal_quarter", "Fiscal quarter"),
            ("turn_id", "The turn it was said in"),
            ("turn_ordinal", "Position of that turn in the call"),
            ("speaker", "Who said it"),
            ("role", "Their role"),
            ("speaker_id", "The person across calls"),
            ("kind", "currency, percent, basis_points, multiple or count"),
            ("value", "The figure (the low end of a range)"),
            ("value_high", "The high end of a range"),
            ("unit", "Currency code, %, bps, x, or the counted noun"),
            ("subject", "What it is about (revenue, gross margin, EPS, …) when named"),
            ("text", "The exact words"),
            ("start_offset", "Where the words start in the turn's text"),
            ("end_offset", "Where they end"),
        ],
    ),
    (
        "v_editorial",
        "Editorial text",
        "What a publisher wrote about a call (takeaways, risks, summary, glossary): never speech.",
        &[
            ("item_id", "The item's id"),
            ("call_id", "The call"),
            ("ticker", "Stock ticker"),
            ("company", "Company name"),
            ("fiscal_year", "Fiscal year"),
            ("fiscal_quarter", "Fiscal quarter"),
            ("call_date", "Date of the call"),
            ("kind", "takeaways, risks, summary, glossary or unlabelled"),
            ("heading", "The block's heading as written"),
            ("block_ordinal", "Order of the block in the file"),
            ("item_ordinal", "Order of the item in its block"),
            ("text", "The item"),
        ],
    ),
    (
        "v_call_sources",
        "Sources",
        "Every copy of each call, from every publisher and dataset: where it came from and whether it is the copy \
         stored.",
        &[
            ("source_id", "The copy's id"),
            ("call_id", "The call"),
            ("ticker", "Stock ticker"),
            ("company", "Company name"),
            ("fiscal_year", "Fiscal year"),
            ("fiscal_quarter", "Fiscal quarter"),
            ("event", "The event the copy is of"),
            ("title", "Title as this copy prints it"),
            ("layout", "Layout the copy was read as"),
            ("source_path", "File it came from"),
            ("record_key", "The record within a dataset file"),
            ("source_url", "Page it was published at, when known"),
            ("content_hash", "BLAKE3 of the copy"),
            ("stored", "1 for the copy whose turns are stored"),
            ("seen_at", "When it was seen (UTC)"),
        ],
    ),
    (
        "v_corrections",
        "Corrections",
        "Facts corrected by hand (`calldb calls set`): which, from what, to what, when and by whom.",
        &[
            ("correction_id", "The correction's id"),
            ("call_id", "The call"),
            ("source_path", "File the call came from"),
            ("record_key", "The record within a dataset file"),
            ("field", "ticker, company, fiscal_period or call_date"),
            ("old_value", "Before"),
            ("new_value", "After (empty: removed)"),
            ("corrected_at", "When (UTC)"),
            ("corrected_by", "Who (user@host)"),
        ],
    ),
    (
        "v_deleted_calls",
        "Deleted calls",
        "Calls deleted or replaced by a new version, with their old ids: readers of an export drop their rows.",
        &[
            ("deletion_id", "The deletion's id"),
            ("call_id", "The old call id"),
            ("ticker", "Stock ticker"),
            ("company", "Company name"),
            ("fiscal_year", "Fiscal year"),
            ("fiscal_quarter", "Fiscal quarter"),
            ("title", "Title"),
            ("source_path", "File it came from"),
            ("record_key", "The record within a dataset file"),
            ("reason", "deleted or replaced"),
            ("replaced_by", "The new version's call id"),
            ("deleted_at", "When (UTC)"),
        ],
    ),
    (
        "v_guidance",
        "Guidance",
        "Each forward-looking figure management gave: the metric, the period it is for, low and high, and what the \
         words did with it (raise, lower, reaffirm, narrow, widen, withdraw, initiate, or stated).",
        &[
            ("guidance_id", "The statement's id"),
            ("call_id", "The call"),
            ("ticker", "Stock ticker"),
            ("company", "Company name"),
            ("call_date", "Date of the call"),
            ("fiscal_year", "The call's fiscal year"),
            ("fiscal_quarter", "The call's fiscal quarter"),
            ("turn_id", "The turn it was said in"),
            ("turn_ordinal", "Position of that turn in the call"),
            ("speaker", "Who said it"),
            ("role", "Their role"),
            ("metric", "What it measures (revenue, EPS, gross margin, tax rate, …); empty for guidance as a whole"),
            ("measure", "level, or growth"),
            ("period", "The period it is for: FY2022, 2022 Q3, H2 2022"),
            ("period_kind", "year, quarter or half"),
            ("period_year", "The fiscal year of that period"),
            ("period_part", "The quarter or half"),
            ("low", "Low end (negative for a fall)"),
            ("high", "High end (equal to low for a single figure)"),
            ("midpoint", "Midpoint"),
            ("unit", "USD, USD/share, %, bps, x, or the counted noun"),
            ("stance", "What the words did: initiate, raise, lower, reaffirm, narrow, widen, withdraw, stated"),
            ("basis", "adjusted or reported, when said"),
            ("text", "The figure as said"),
            ("sentence", "The sentence"),
        ],
    ),
    (
        "v_guidance_changes",
        "Guidance changes",
        "For each company, metric and target period, each call's guidance against the previous call's, computed from \
         the numbers, beside what the words said (words_agree 0: they disagree).",
        &[
            ("guidance_id", "The statement's id"),
            ("call_id", "The call"),
            ("ticker", "Stock ticker"),
            ("company", "Company name"),
            ("call_date", "Date of the call"),
            ("metric", "What it measures"),
            ("measure", "level, or growth"),
            ("period", "The period it is for"),
            ("unit", "Unit"),
            ("previous_call_id", "The call that gave the previous guidance"),
            ("previous_call_date", "Its date"),
            ("previous_low", "Previous low end"),
            ("previous_high", "Previous high end"),
            ("low", "Low end"),
            ("high", "High end"),
            ("change", "initiated, raised, lowered, narrowed, widened, reaffirmed or withdrawn (from the numbers)"),
            ("midpoint_change_pct", "Change of the midpoint, in %"),
            ("said", "What the words said"),
            ("words_agree", "1 when the words match the numbers, 0 when they disagree, empty when they claim nothing"),
            ("text", "The figure as said"),
            ("sentence", "The sentence"),
            ("turn_id", "The turn it was said in"),
        ],
    ),
];

/// Report parameters that are bookkeeping, filled in by `calldb jobs run`, never set by a person browsing: a
/// canned query reads them as not set and does not offer them.
const BOOKKEEPING_PARAMS: &[&str] = &[super::jobs::SINCE_LAST_RUN];

/// The canned query that searches what was said.
pub const SEARCH_QUERY: &str = "search";

/// Marks around the matched words in the search page's snippets. Datasette shows cells as text, so the highlight is
/// made of characters that stand out in running prose.
const MARK: (&str, &str) = ("\u{27e6}", "\u{27e7}");

/// Rows Datasette returns for one page of a query unless its `max_returned_rows` setting says otherwise.
const DATASETTE_MAX_ROWS: usize = 1000;

/// Facets per table or view.
const FACETS: &[(&str, &[&str])] = &[
    ("v_calls", &["ticker", "fiscal_year", "layout"]),
    ("v_turns", &["ticker", "role", "kind", "fiscal_year"]),
    ("v_metrics", &["ticker", "kind", "subject", "fiscal_year"]),
    ("v_editorial", &["ticker", "kind", "fiscal_year"]),
    ("v_exchanges", &["firm"]),
    ("v_guidance", &["ticker", "metric", "period", "stance"]),
    ("v_guidance_changes", &["ticker", "metric", "change", "words_agree"]),
    ("turns", &["kind"]),
];

/// The column each table is shown by where another row refers to it.
const LABELS: &[(&str, &str)] = &[
    ("calls", "label"),
    ("companies", "ticker"),
    ("speakers", "name"),
    ("participants", "name"),
    ("sections", "heading"),
];

/// A line of a report file's header (`-- name: calls`, `-- param: …`).
static REPORT_HEADER_RE: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"^--\s*[a-z_]+\s*:").expect("valid pattern"));

/// A report's SQL with every parameter read as Datasette sends it: `''` is "not set". Bookkeeping parameters are
/// always not set.
pub fn canned_sql(report: &Report) -> String {
    // The report file's header (`-- name:`, `-- param:` …) is calldb's, not the query's: Datasette would show it.
    let mut sql: String = report
        .sql
        .lines()
        .skip_while(|l| REPORT_HEADER_RE.is_match(l) || l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    for p in &report.params {
        let raw = if BOOKKEEPING_PARAMS.contains(&p.name.as_str()) {
            "NULL".to_string()
        } else {
            format!("nullif(:{}, '')", p.name)
        };
        let with_default = match &p.default {
            Some(d) if matches!(p.kind, ParamType::Integer | ParamType::Real) => format!("coalesce({raw}, {d})"),
            Some(d) => format!("coalesce({raw}, '{}')", d.replace('\'', "''")),
            None => raw,
        };
        let typed = match p.kind {
            ParamType::Integer => format!("CAST({with_default} AS INTEGER)"),
            ParamType::Real => format!("CAST({with_default} AS REAL)"),
            _ => with_default,
        };
        let re = regex::Regex::new(&format!(r"[:@$]{}\b", regex::escape(&p.name))).expect("valid pattern");
        sql = re.replace_all(&sql, regex::NoExpand(&typed)).into_owned();
    }
    sql
}

/// The search page: turns matching an FTS5 query, best first (bm25), each with its call, speaker, a snippet with the
/// matched words marked, and a link to the turn; filters for ticker, fiscal year, section and role. An empty query
/// matches nothing (FTS5 would call it a syntax error).
fn search_sql(database: &str, site_url: &str) -> String {
    let link = format!("{}/{}/v_turns?turn_id=", site_url.trim_end_matches('/'), database);
    format!(
        "SELECT co.ticker || ' ' || c.fiscal_year || ' Q' || c.fiscal_quarter AS call,
       c.call_date,
       coalesce(p.name, t.speaker_name) AS speaker,
       p.role,
       s.kind AS section,
       snippet(turns_fts, 0, '{open}', '{close}', ' … ', 24) AS snippet,
       t.words,
       '{link}' || t.turn_id AS turn
FROM turns_fts
CROSS JOIN turns t ON t.turn_id = turns_fts.rowid
CROSS JOIN calls c ON c.call_id = t.call_id
CROSS JOIN companies co ON co.company_id = c.company_id
JOIN sections s ON s.section_id = t.section_id
LEFT JOIN participants p ON p.participant_id = t.participant_id
WHERE turns_fts MATCH coalesce(nullif(trim(:q), ''), '\"\"')
  AND (nullif(:ticker, '') IS NULL OR co.ticker = upper(trim(:ticker)))
  AND (nullif(:fiscal_year, '') IS NULL OR c.fiscal_year = CAST(:fiscal_year AS INTEGER))
  AND (nullif(:section, '') IS NULL OR s.kind = lower(trim(:section)))
  AND (nullif(:role, '') IS NULL OR p.role = lower(trim(:role)))
ORDER BY turns_fts.rank",
        open = MARK.0,
        close = MARK.1,
    )
}

/// The archive's tables and views, as Datasette lists them.
pub fn archive_tables(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect()
}

/// What a person reads on the database page: what the archive is, the documented views with what each holds, and
/// where to start.
fn database_description(views_present: &[&ViewDoc]) -> String {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut html = String::from(
        "<p>Earnings-call transcripts: every call, who spoke, what they said, the figures they gave and the Q&amp;A. \
         Start with <a href=\"./search\">Search what was said</a>, or one of the documented views:</p><ul>",
    );
    for (view, title, description, _) in views_present {
        html.push_str(&format!(
            "<li><a href=\"./{view}\"><strong>{}</strong></a> (<code>{view}</code>): {}</li>",
            escape(title),
            escape(description)
        ));
    }
    html.push_str(&format!(
        "</ul><p>The reports below are calldb's canned reports; leave a field empty for \"not set\". A page shows up to \
         {DATASETTE_MAX_ROWS} rows: the <em>CSV</em> link with <em>stream all rows</em> gets every row, or start \
         Datasette with <code>--setting max_returned_rows N</code>. The archive's own tables are hidden (the link at \
         the foot of this page lists them); the views above read them for you.</p>"
    ));
    html
}

/// The metadata, for the database named `database` (Datasette names it after the file, without `.db`).
/// `tables` are the archive's tables and views (all but the documented views are hidden); `site_url` is where
/// Datasette serves the archive, for the search page's links to turns.
pub fn metadata(database: &str, catalog: &Catalog, tables_in_archive: &[String], site_url: &str) -> Json {
    let present: Vec<&ViewDoc> = VIEWS.iter().filter(|v| tables_in_archive.iter().any(|t| t == v.0)).collect();
    let mut tables = Map::new();
    // Bookkeeping and the normalized tables are hidden, so the documented views lead the database page.
    for table in tables_in_archive {
        if !VIEWS.iter().any(|v| v.0 == table) {
            tables.insert(table.clone(), json!({"hidden": true}));
        }
    }
    for (view, title, description, columns) in VIEWS {
        let mut t = Map::new();
        t.insert("title".into(), json!(title));
        t.insert("description".into(), json!(description));
        t.insert("columns".into(), Json::Object(columns.iter().map(|(c, d)| (c.to_string(), json!(d))).collect()));
        tables.insert(view.to_string(), Json::Object(t));
    }
    for (table, facets) in FACETS {
        let entry = tables.entry(table.to_string()).or_insert_with(|| json!({}));
        entry["facets"] = json!(facets);
    }
    for (table, label) in LABELS {
        let entry = tables.entry(table.to_string()).or_insert_with(|| json!({}));
        entry["label_column"] = json!(label);
    }
    // Search: raw FTS5 syntax, as `calldb search` takes it; the view is searched through the table's index.
    for table in ["turns", "v_turns"] {
        let entry = tables.entry(table.to_string()).or_insert_with(|| json!({}));
        entry["fts_table"] = json!("turns_fts");
        entry["fts_pk"] = json!("turn_id");
        entry["searchmode"] = json!("raw");
    }
    let mut queries = Map::new();
    queries.insert(
        SEARCH_QUERY.into(),
        json!({
            "title": "Search what was said",
            "description_html": format!(
                "<p>Turns that match, most relevant first (bm25), with the call, the speaker and the words around the \
                 match marked {}like this{}; <em>turn</em> opens the whole turn. Words match in any order \
                 (<code>supply chain</code>); quotes match a phrase (<code>\"supply chain\"</code>); also \
                 <code>OR</code>, <code>NOT</code> and <code>prefix*</code>. Filters: ticker, fiscal_year (e.g. \
                 2021), section (<code>prepared_remarks</code> or <code>qa</code>), role (<code>executive</code>, \
                 <code>analyst</code>, <code>operator</code>, <code>investor_relations</code>).</p>",
                MARK.0, MARK.1
            ),
            "sql": search_sql(database, site_url),
            "params": ["q", "ticker", "fiscal_year", "section", "role"],
            "hide_sql": true,
        }),
    );
    for r in catalog.reports.values() {
        let offered: Vec<_> = r.params.iter().filter(|p| !BOOKKEEPING_PARAMS.contains(&p.name.as_str())).collect();
        let params: Vec<&str> = offered.iter().map(|p| p.name.as_str()).collect();
        let mut description = r.description.clone();
        let defaults: Vec<String> = offered
            .iter()
            .map(|p| {
                format!(
                    "{} ({}{})",
                    p.name,
                    p.type_name(),
                    p.default.as_ref().map(|d| format!(", default {d}")).unwrap_or_default()
                )
            })
            .collect();
        if !defaults.is_empty() {
            description.push_str(&format!(" Parameters (leave empty for not set): {}.", defaults.join("; ")));
        }
        description.push_str(&format!(
            " A page shows up to {DATASETTE_MAX_ROWS} rows; the CSV link (stream all rows) gets them all."
        ));
        queries.insert(
            r.name.clone(),
            json!({"title": r.title, "description": description, "sql": canned_sql(r), "params": params, "hide_sql": true}),
        );
    }
    json!({
        "title": "calldb archive",
        "description": "Earnings-call transcripts: calls, who spoke, what was said, figures and Q&A.",
        "databases": {
            database: {
                "title": "Earnings calls",
                "description_html": database_description(&present),
                "tables": tables,
                "queries": queries,
            }
        }
    })
}

/// Writes JSON as block-style YAML: maps and lists indented, strings double-quoted (JSON escapes are valid YAML), and
/// multi-line strings (SQL) as literal blocks so they read as written.
pub fn to_yaml(value: &Json) -> String {
    let mut out = String::new();
    yaml_value(value, 0, &mut out, true);
    out
}

fn yaml_scalar(v: &Json) -> String {
    match v {
        Json::String(s) => Json::String(s.clone()).to_string(),
        other => other.to_string(),
    }
}

fn block_ok(s: &str) -> bool {
    s.contains('\n') && !s.starts_with([' ', '\n']) && !s.contains('\t') && !s.contains('\r')
}

fn yaml_value(v: &Json, indent: usize, out: &mut String, top: bool) {
    let pad = " ".repeat(indent);
    match v {
        Json::Object(map) if !map.is_empty() => {
            if !top {
                out.push('\n');
            }
            for (k, item) in map {
                out.push_str(&pad);
                out.push_str(&Json::String(k.clone()).to_string());
                out.push(':');
                yaml_child(item, indent, out);
            }
        }
        Json::Array(items) if !items.is_empty() => {
            if !top {
                out.push('\n');
            }
            for item in items {
                out.push_str(&pad);
                out.push('-');
                yaml_child(item, indent, out);
            }
        }
        Json::Object(_) => out.push_str(" {}\n"),
        Json::Array(_) => out.push_str(" []\n"),
        Json::String(s) if block_ok(s) => {
            out.push_str(" |-\n");
            for line in s.trim_end_matches('\n').lines() {
                if !line.is_empty() {
                    out.push_str(&" ".repeat(indent));
                    out.push_str(line.trim_end());
                }
                out.push('\n');
            }
        }
        scalar => {
            out.push(' ');
            out.push_str(&yaml_scalar(scalar));
            out.push('\n');
        }
    }
}

fn yaml_child(item: &Json, indent: usize, out: &mut String) {
    yaml_value(item, indent + 2, out, false);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canned_queries_read_empty_parameters_as_unset() {
        let r = Report::parse(
            "-- name: r\n-- param: ticker | text | | t\n-- param: limit | integer | 200 | n\n\
             -- param: term | text | it's | x\nSELECT :ticker, :limit, :term, :tickers_x FROM t LIMIT :limit",
            "r.sql",
        )
        .unwrap();
        let sql = canned_sql(&r);
        assert!(
            sql.contains("SELECT nullif(:ticker, ''), CAST(coalesce(nullif(:limit, ''), 200) AS INTEGER)"),
            "{sql}"
        );
        assert!(sql.contains("coalesce(nullif(:term, ''), 'it''s')"), "{sql}");
        assert!(sql.contains(":tickers_x"), "other names untouched: {sql}");
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let run = |ticker: &str, limit: &str| -> (Option<String>, i64) {
            conn.query_row(
                "SELECT nullif(:ticker, ''), CAST(coalesce(nullif(:limit, ''), 200) AS INTEGER)",
                rusqlite::named_params! {":ticker": ticker, ":limit": limit},
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        };
        assert_eq!(run("", ""), (None, 200));
        assert_eq!(run("LPSN", "5"), (Some("LPSN".into()), 5));
    }

    #[test]
    fn yaml_is_block_style_with_literal_sql() {
        let v = json!({"a": {"b": [1, "x: y"], "sql": "SELECT 1\n  FROM t", "e": {}}});
        let y = to_yaml(&v);
        assert_eq!(
            y,
            "\"a\":\n  \"b\":\n    - 1\n    - \"x: y\"\n  \"e\": {}\n  \"sql\": |-\n    SELECT 1\n      FROM t\n"
        );
    }
}
