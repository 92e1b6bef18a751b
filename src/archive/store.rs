//! Row-level writes of one call and its parts. Callers own the transaction: everything here runs inside one, so a
//! call is stored whole or not at all.

use std::sync::LazyLock;

use rusqlite::{params, Connection, OptionalExtension};

use super::identity;
use crate::analysis::{self, exchanges, guidance, metrics, Analysis, ANALYSIS_VERSION};
use crate::model::{Company, Participant, Transcript, TurnKind};
use crate::parse::header::event_of;
use crate::parse::names::organization_key;
use crate::parse::PARSER_VERSION;

/// Where a transcript came from, stored as provenance.
pub struct Source<'a> {
    pub path: &'a str,
    /// The record's key within a dataset file (`1834`, `/2021/Q3/0`); `None` for a file that is one transcript.
    pub record_key: Option<&'a str>,
    pub content_hash: &'a str,
    pub byte_size: u64,
}

/// The call already archived with the same identity: company, fiscal period and event.
pub struct ExistingCall {
    pub call_id: i64,
    pub content_hash: String,
    pub source_path: String,
    /// The layout (publisher) of the stored copy.
    pub layout: String,
}

/// The archived company a transcript's company is: by ticker; without a ticker, by name as compared across
/// spellings (a company archived with a ticker under that name is the same company). `None` when not archived.
pub fn find_company(tx: &Connection, c: &Company) -> rusqlite::Result<Option<i64>> {
    if let Some(ticker) = &c.ticker {
        let by_ticker: Option<i64> = tx
            .prepare_cached("SELECT company_id FROM companies WHERE ticker = ?1")?
            .query_row([ticker], |r| r.get(0))
            .optional()?;
        if by_ticker.is_some() {
            return Ok(by_ticker);
        }
        // A company kept without a ticker until now is this one.
        return tx
            .prepare_cached("SELECT company_id FROM companies WHERE ticker IS NULL AND name_key = ?1")?
            .query_row([organization_key(&c.name)], |r| r.get(0))
            .optional();
    }
    tx.prepare_cached(
        "SELECT company_id FROM companies WHERE name_key = ?1 ORDER BY ticker IS NOT NULL, company_id LIMIT 1",
    )?
    .query_row([organization_key(&c.name)], |r| r.get(0))
    .optional()
}

/// The company's id, creating it on first sight; a ticker learnt later is recorded, a name is kept up to date (a
/// copy that names no company, known by its ticker alone, leaves the name as it was).
fn company_id(tx: &Connection, c: &Company) -> rusqlite::Result<i64> {
    let key = organization_key(&c.name);
    match find_company(tx, c)? {
        Some(id) => {
            tx.prepare_cached(
                "UPDATE companies SET ticker = coalesce(ticker, ?2), exchange = coalesce(?3, exchange),
                     name = CASE WHEN (?2 IS NOT NULL OR ticker IS NULL) AND ?4 IS NOT ?2 THEN ?4 ELSE name END,
                     name_key = CASE WHEN (?2 IS NOT NULL OR ticker IS NULL) AND ?4 IS NOT ?2 THEN ?5 ELSE name_key END
                 WHERE company_id = ?1",
            )?
            .execute(params![id, c.ticker, c.exchange, c.name, key])?;
            Ok(id)
        }
        None => tx
            .prepare_cached(
                "INSERT INTO companies (ticker, name, exchange, name_key) VALUES (?1, ?2, ?3, ?4) RETURNING company_id",
            )?
            .query_row(params![c.ticker, c.name, c.exchange, key], |r| r.get(0)),
    }
}

/// True when some company lacks its name key (an archive just upgraded to V8).
pub fn name_keys_missing(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM companies WHERE name_key = '')", [], |r| r.get(0))
}

/// Fills `companies.name_key` where the V8 migration left it empty (it cannot compute it in SQL).
pub fn fill_name_keys(conn: &Connection) -> rusqlite::Result<usize> {
    let rows: Vec<(i64, String)> = conn
        .prepare("SELECT company_id, name FROM companies WHERE name_key = ''")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = conn.prepare("UPDATE companies SET name_key = ?2 WHERE company_id = ?1")?;
    for (id, name) in &rows {
        update.execute(params![id, organization_key(name)])?;
    }
    Ok(rows.len())
}

/// The call already archived with the same company, fiscal period and event ([`event_of`]).
pub fn find_call(tx: &Connection, t: &Transcript) -> rusqlite::Result<Option<ExistingCall>> {
    let Some(company) = find_company(tx, &t.company)? else { return Ok(None) };
    tx.prepare_cached(
        "SELECT call_id, content_hash, source_path, layout FROM calls
         WHERE company_id = ?1 AND fiscal_year = ?2 AND fiscal_quarter = ?3 AND (event = ?4 OR title = ?5)
         ORDER BY call_id LIMIT 1",
    )?
    .query_row(params![company, t.fiscal_year, t.fiscal_quarter, event_of(&t.title, &t.company.name), t.title], |r| {
        Ok(ExistingCall { call_id: r.get(0)?, content_hash: r.get(1)?, source_path: r.get(2)?, layout: r.get(3)? })
    })
    .optional()
}

/// True when an archived call's speech is the transcript's, word for word (spacing and paragraphing aside): two
/// copies of one call (a page saved as `.html` and as `.txt`, two scrapers' copies) rather than a corrected one.
pub fn same_speech(tx: &Connection, call_id: i64, t: &Transcript) -> rusqlite::Result<bool> {
    let words: i64 =
        tx.prepare_cached("SELECT word_count FROM calls WHERE call_id = ?1")?.query_row([call_id], |r| r.get(0))?;
    if words != t.words() as i64 {
        return Ok(false);
    }
    let mut stmt = tx.prepare_cached("SELECT text FROM turns WHERE call_id = ?1 ORDER BY ordinal")?;
    let stored: Vec<String> = stmt.query_map([call_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let archived = stored.iter().flat_map(|text| text.split_whitespace());
    let new = t.turns.iter().flat_map(|turn| turn.paragraphs.iter()).flat_map(|p| p.split_whitespace());
    Ok(archived.eq(new))
}

/// A dataset record whose content is archived already, read again where it now stands (lines added above it, the
/// file moved): its provenance follows it.
pub fn relocate_source(tx: &Connection, hash: &str, path: &str, record_key: Option<&str>) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE call_sources SET source_path = ?2, record_key = ?3
         WHERE content_hash = ?1 AND (source_path IS NOT ?2 OR record_key IS NOT ?3)",
    )?
    .execute(params![hash, path, record_key])?;
    tx.prepare_cached(
        "UPDATE calls SET source_path = ?2, record_key = ?3
         WHERE content_hash = ?1 AND (source_path IS NOT ?2 OR record_key IS NOT ?3)",
    )?
    .execute(params![hash, path, record_key])?;
    Ok(())
}

/// Records a copy of a call: the stored one (`stored`), or another publisher's copy of the same call.
pub fn record_source(
    tx: &Connection,
    call_id: i64,
    layout: &str,
    source: &Source,
    source_url: Option<&str>,
    stored: bool,
    seen_at: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO call_sources (call_id, layout, source_path, content_hash, byte_size, source_url, stored, seen_at,
             record_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (content_hash) DO UPDATE SET call_id = excluded.call_id, stored = excluded.stored,
             source_path = excluded.source_path, record_key = excluded.record_key",
    )?
    .execute(params![
        call_id,
        layout,
        source.path,
        source.content_hash,
        source.byte_size as i64,
        source_url,
        stored,
        seen_at,
        source.record_key,
    ])?;
    Ok(())
}

/// A recorded copy of a call, as kept across a `--replace`.
pub struct RecordedSource {
    pub layout: String,
    pub path: String,
    pub record_key: Option<String>,
    pub content_hash: String,
    pub byte_size: u64,
    pub source_url: Option<String>,
    pub seen_at: String,
}

/// Every copy recorded for a call.
pub fn sources_of(tx: &Connection, call_id: i64) -> rusqlite::Result<Vec<RecordedSource>> {
    tx.prepare_cached(
        "SELECT layout, source_path, content_hash, byte_size, source_url, seen_at, record_key FROM call_sources
         WHERE call_id = ?1 ORDER BY source_id",
    )?
    .query_map([call_id], |r| {
        Ok(RecordedSource {
            layout: r.get(0)?,
            path: r.get(1)?,
            content_hash: r.get(2)?,
            byte_size: r.get::<_, i64>(3)? as u64,
            source_url: r.get(4)?,
            seen_at: r.get(5)?,
            record_key: r.get(6)?,
        })
    })?
    .collect()
}

/// The call a recorded copy (stored or not) belongs to.
pub fn call_with_source_hash(tx: &Connection, hash: &str) -> rusqlite::Result<Option<i64>> {
    tx.prepare_cached("SELECT call_id FROM call_sources WHERE content_hash = ?1")?
        .query_row([hash], |r| r.get(0))
        .optional()
}

pub fn call_with_hash(tx: &Connection, hash: &str) -> rusqlite::Result<Option<i64>> {
    tx.prepare_cached("SELECT call_id FROM calls WHERE content_hash = ?1")?.query_row([hash], |r| r.get(0)).optional()
}

/// Deletes a call and everything that hangs off it (foreign keys cascade); a trigger logs it in `deleted_calls`.
pub fn delete_call(tx: &Connection, call_id: i64) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM calls WHERE call_id = ?1")?.execute([call_id])?;
    Ok(())
}

/// True when the archived call says something else than the transcript about its ticker, fiscal period, date or
/// title (the facts given for a file changed: another `--name-pattern`, `--companies`, `--field`, a correction).
pub fn facts_differ(tx: &Connection, call_id: i64, t: &Transcript) -> rusqlite::Result<bool> {
    let (ticker, name, year, quarter, date, title): (Option<String>, String, i32, u8, Option<String>, String) = tx
        .prepare_cached(
            "SELECT co.ticker, co.name, c.fiscal_year, c.fiscal_quarter, c.call_date, c.title
             FROM calls c JOIN companies co USING (company_id) WHERE c.call_id = ?1",
        )?
        .query_row([call_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
    let date_now = t.schedule.as_ref().map(|s| s.local_date.format("%Y-%m-%d").to_string());
    // A company known by its ticker alone names no company: it says nothing against the archived name.
    let named = t.company.ticker.as_deref() != Some(t.company.name.as_str());
    Ok(ticker != t.company.ticker
        || (named && organization_key(&name) != organization_key(&t.company.name))
        || (year, quarter) != (t.fiscal_year, t.fiscal_quarter)
        || date != date_now
        || title != t.title)
}

/// Marks the logged deletion of `old` as its replacement by `new`.
pub fn mark_replaced(tx: &Connection, old: i64, new: i64) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE deleted_calls SET reason = 'replaced', replaced_by = ?2
         WHERE deletion_id = (SELECT max(deletion_id) FROM deleted_calls WHERE call_id = ?1)",
    )?
    .execute([old, new])?;
    Ok(())
}

/// Inserts a parsed call with its sections, participants, turns and annotations; returns the new call id.
pub fn insert_call(
    tx: &Connection,
    t: &Transcript,
    analysis: &Analysis,
    source: &Source,
    imported_at: &str,
) -> rusqlite::Result<i64> {
    let company_id = company_id(tx, &t.company)?;
    let clock = t.schedule.as_ref().and_then(|s| s.clock.as_ref());

    let call_id: i64 = tx
        .prepare_cached(
            "INSERT INTO calls (company_id, title, fiscal_year, fiscal_quarter, call_date, call_time, timezone,
                 starts_at_utc, duration_minutes, price_change_pct, participant_count, turn_count, word_count,
                 source_path, content_hash, byte_size, imported_at, parser_version, layout, analysis_version,
                 source_url, header_sources, truncated_at_line, warnings, event, speakers_known, record_key, call_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                 ?21, ?22, ?23, ?24, ?25, ?26, ?27,
                 -- Ids are never given twice (migration V12): the next after the highest ever given.
                 max(coalesce((SELECT max(call_id) FROM calls), 0),
                     coalesce((SELECT CAST(value AS INTEGER) FROM archive_state WHERE key = 'last_call_id'), 0)) + 1)
             RETURNING call_id",
        )?
        .query_row(
            params![
                company_id,
                t.title,
                t.fiscal_year,
                t.fiscal_quarter,
                t.schedule.as_ref().map(|s| s.local_date.format("%Y-%m-%d").to_string()),
                clock.map(|c| c.local_time.format("%H:%M").to_string()),
                clock.map(|c| c.timezone.clone()),
                clock.map(|c| c.starts_at_utc.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
                t.duration_minutes,
                t.price_change_pct,
                t.listed_participants() as i64,
                t.turns.len() as i64,
                t.words() as i64,
                source.path,
                source.content_hash,
                source.byte_size as i64,
                imported_at,
                PARSER_VERSION,
                t.layout,
                ANALYSIS_VERSION,
                t.source_url,
                header_sources_json(t),
                t.truncated_at_line.map(|l| l as i64),
                (!t.warnings.is_empty()).then(|| serde_json::to_string(&t.warnings).expect("strings serialize")),
                event_of(&t.title, &t.company.name),
                t.speakers_known(),
                source.record_key,
            ],
            |r| r.get(0),
        )?;
    record_source(tx, call_id, t.layout, source, t.source_url.as_deref(), true, imported_at)?;
    // People are keyed by the company the call resolved to, not by what its own text names: a copy without a
    // ticker that resolves to an archived company meets the same people as that company's other calls.
    let (stored_ticker, stored_name): (Option<String>, String) = tx
        .prepare_cached("SELECT ticker, name FROM companies WHERE company_id = ?1")?
        .query_row([company_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let company_key = identity::company_key(stored_ticker.as_deref(), &stored_name);

    let mut participant_ids = Vec::with_capacity(t.participants.len());
    {
        let mut spoken = vec![(0i64, 0i64); t.participants.len()];
        for (turn, p) in t.turns.iter().filter_map(|turn| Some((turn, turn.participant?))) {
            spoken[p].0 += 1;
            spoken[p].1 += turn.words() as i64;
        }
        let mut insert = tx.prepare_cached(
            "INSERT INTO participants (call_id, speaker_id, name, title, firm, role, listed, ordinal, turns, words,
                 firm_normalized)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for (i, p) in t.participants.iter().enumerate() {
            let speaker_id = resolve_speaker(tx, p, &company_key, imported_at)?;
            insert.execute(params![
                call_id,
                speaker_id,
                p.name,
                p.title,
                p.firm,
                p.role.as_str(),
                p.listed,
                i as i64 + 1,
                spoken[i].0,
                spoken[i].1,
                p.firm.as_deref().map(identity::normalize_firm),
            ])?;
            participant_ids.push(tx.last_insert_rowid());
        }
        // What each role said, for the talk-time report (`call_roles`): the same sums the participants rows hold.
        let mut by_role: std::collections::BTreeMap<&str, (i64, i64)> = std::collections::BTreeMap::new();
        for (p, (turns, words)) in t.participants.iter().zip(&spoken) {
            let sums = by_role.entry(p.role.as_str()).or_default();
            sums.0 += turns;
            sums.1 += words;
        }
        let mut insert_role =
            tx.prepare_cached("INSERT INTO call_roles (call_id, role, turns, words) VALUES (?1, ?2, ?3, ?4)")?;
        for (role, (turns, words)) in by_role {
            insert_role.execute(params![call_id, role, turns, words])?;
        }
    }

    let mut insert_section = tx.prepare_cached(
        "INSERT INTO sections (call_id, ordinal, kind, heading) VALUES (?1, ?2, ?3, ?4) RETURNING section_id",
    )?;
    let mut insert_turn = tx.prepare_cached(
        "INSERT INTO turns (call_id, section_id, ordinal, participant_id, speaker_line, kind, text, paragraphs,
             words, source_line, speaker_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let mut insert_annotation =
        tx.prepare_cached("INSERT INTO annotations (turn_id, text, start_offset) VALUES (?1, ?2, ?3)")?;
    let mut turn_ids = Vec::with_capacity(t.turns.len());
    let mut texts = Vec::with_capacity(t.turns.len());
    let mut section: Option<(crate::model::SectionKind, &str, i64)> = None;
    let mut section_ordinal = 0;
    for (i, turn) in t.turns.iter().enumerate() {
        let section_id = match section {
            Some((kind, heading, id)) if kind == turn.section && heading == turn.section_heading => id,
            _ => {
                section_ordinal += 1;
                let id: i64 = insert_section
                    .query_row(params![call_id, section_ordinal, turn.section.as_str(), turn.section_heading], |r| {
                        r.get(0)
                    })?;
                section = Some((turn.section, &turn.section_heading, id));
                id
            }
        };
        let text = turn.text();
        insert_turn.execute(params![
            call_id,
            section_id,
            i as i64 + 1,
            turn.participant.map(|p| participant_ids[p]),
            turn.speaker_line,
            turn.kind.as_str(),
            text,
            turn.paragraphs.len() as i64,
            turn.words() as i64,
            turn.line as i64,
            // The name as the line writes it, kept only where it is not the participant's own (schema V15).
            turn.participant
                .filter(|&p| t.participants[p].name != turn.speaker_name)
                .map(|_| turn.speaker_name.as_str()),
        ])?;
        let turn_id = tx.last_insert_rowid();
        turn_ids.push(turn_id);
        for (offset, annotation) in crate::model::annotations_in(&text) {
            insert_annotation.execute(params![turn_id, annotation, offset as i64])?;
        }
        texts.push(text);
    }
    insert_call_qa(tx, call_id, t)?;
    let mut insert_editorial = tx.prepare_cached(
        "INSERT INTO editorial_items (call_id, kind, heading, block_ordinal, item_ordinal, text, source_line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut item_ordinal = 0;
    for (i, item) in t.editorial.iter().enumerate() {
        item_ordinal = if i > 0 && t.editorial[i - 1].block == item.block { item_ordinal + 1 } else { 1 };
        insert_editorial.execute(params![
            call_id,
            item.kind.as_str(),
            item.heading,
            item.block as i64,
            item_ordinal,
            item.text,
            item.line as i64
        ])?;
    }
    let exchanges: Vec<(exchanges::Exchange, i64)> =
        analysis.exchanges.iter().map(|e| (e.clone(), participant_ids[e.analyst as usize])).collect();
    let turns: Vec<(i64, &str)> = turn_ids.iter().copied().zip(texts.iter().map(String::as_str)).collect();
    insert_analysis(tx, call_id, &exchanges, &analysis.metrics, &analysis.guidance, &turns)?;
    Ok(call_id)
}

/// The call's questions and answers for the qa-depth report (`call_qa`), summed from its turns as stored.
fn insert_call_qa(tx: &Connection, call_id: i64, t: &Transcript) -> rusqlite::Result<()> {
    if t.turns.is_empty() {
        return Ok(());
    }
    let (mut questions, mut answers, mut question_words, mut answer_words) = (0i64, 0i64, 0i64, 0i64);
    let mut askers = std::collections::BTreeSet::new();
    for turn in &t.turns {
        match turn.kind {
            TurnKind::Question => {
                questions += 1;
                question_words += turn.words() as i64;
                askers.insert(turn.participant);
            }
            TurnKind::Answer => {
                answers += 1;
                answer_words += turn.words() as i64;
            }
            TurnKind::Operator | TurnKind::Remarks => {}
        }
    }
    tx.prepare_cached(
        "INSERT INTO call_qa (call_id, analysts, questions, answers, question_words, answer_words)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![call_id, askers.len() as i64, questions, answers, question_words, answer_words])?;
    Ok(())
}

/// `{"ticker":"text","fiscal_period":"file_name",…}`: where each header fact came from.
fn header_sources_json(t: &Transcript) -> String {
    let s = &t.header_sources;
    serde_json::json!({
        "ticker": s.ticker.map(|f| f.as_str()),
        "company": s.company.as_str(),
        "title": s.title.as_str(),
        "fiscal_period": s.fiscal_period.as_str(),
        "call_date": s.call_date.map(|f| f.as_str()),
    })
    .to_string()
}

/// Marks the index as behind; an index already emptied stays marked so (it is behind for every turn, and the
/// triggers must keep standing aside).
const FTS_PENDING: &str =
    "INSERT INTO archive_state (key, value) VALUES ('fts', 'pending') ON CONFLICT (key) DO NOTHING";

/// Marks the full-text index as behind the turns (a bulk build is to come). Runs inside a batch transaction, so the
/// mark is there whenever unindexed turns are.
pub fn mark_index_pending(tx: &Connection) -> rusqlite::Result<()> {
    tx.prepare_cached(FTS_PENDING)?.execute([])?;
    Ok(())
}

/// Empties the full-text index ahead of a bulk rebuild, marked so in the same transaction: while the mark is there
/// the triggers on `turns` leave the index alone (see migration V9), so replacing calls does not first take every
/// old turn out of an index that is about to be built again. Searches meanwhile find nothing rather than stale rows.
pub fn empty_index(tx: &Connection) -> rusqlite::Result<()> {
    tx.execute("INSERT INTO turns_fts (turns_fts) VALUES ('delete-all')", [])?;
    tx.execute(
        "INSERT INTO archive_state (key, value) VALUES ('fts', 'emptied')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [],
    )?;
    Ok(())
}

/// True when turns exist that the full-text index does not cover yet: a bulk import under way or interrupted.
pub fn index_pending(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT count(*) FROM archive_state WHERE key = 'fts'", [], |r| r.get::<_, i64>(0)).map(|n| n > 0)
}

/// Builds the full-text index over every turn in one pass and clears the pending mark (inside the caller's
/// transaction).
pub fn rebuild_index(tx: &Connection) -> rusqlite::Result<()> {
    tx.execute("INSERT INTO turns_fts (turns_fts) VALUES ('rebuild')", [])?;
    tx.execute("DELETE FROM archive_state WHERE key = 'fts'", [])?;
    Ok(())
}

/// Adds the turns of freshly inserted calls to the full-text index, in one statement: FTS5 writes out what it has
/// gathered in memory as a new index segment whenever a statement begins, so a statement per call would leave a
/// segment per call (each read by every search until merged, and the merging costs twice the indexing).
pub fn index_calls(tx: &Connection, call_ids: &[i64]) -> rusqlite::Result<()> {
    if call_ids.is_empty() {
        return Ok(());
    }
    let ids = serde_json::to_string(call_ids).expect("integers serialize");
    tx.prepare_cached(
        "INSERT INTO turns_fts (rowid, text)
         SELECT turn_id, text FROM turns WHERE call_id IN (SELECT value FROM json_each(?1)) ORDER BY turn_id",
    )?
    .execute([ids])?;
    Ok(())
}

/// Stores a call's exchanges (with the participant id of each analyst), figures and guidance (with the index of their
/// turn in `turns`: each turn's id and text). A guided figure's sentence is not copied: it is stored as its offsets in
/// the turn's text ([`analysis::sentence_span`]).
fn insert_analysis(
    tx: &Connection,
    call_id: i64,
    exchanges: &[(exchanges::Exchange, i64)],
    metrics: &[(usize, metrics::Metric)],
    guidance: &[(usize, guidance::Guidance)],
    turns: &[(i64, &str)],
) -> rusqlite::Result<()> {
    let mut insert_exchange = tx.prepare_cached(
        "INSERT INTO exchanges (call_id, ordinal, participant_id, questions, answers, question_words, answer_words,
             first_ordinal, last_ordinal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (e, participant_id) in exchanges {
        insert_exchange.execute(params![
            call_id,
            e.ordinal as i64,
            participant_id,
            e.questions as i64,
            e.answers as i64,
            e.question_words as i64,
            e.answer_words as i64,
            e.first_turn as i64 + 1,
            e.last_turn as i64 + 1,
        ])?;
    }
    // Figures are a call's most numerous rows: they go in `METRIC_ROWS` to a statement, which saves SQLite a
    // statement run per row; the rest one by one.
    let mut rows = metrics.chunks_exact(METRIC_ROWS);
    for chunk in &mut rows {
        let mut insert = tx.prepare_cached(&INSERT_METRIC_ROWS)?;
        for (i, (turn, m)) in chunk.iter().enumerate() {
            bind_metric(&mut insert, i * METRIC_COLUMNS, turns[*turn].0, call_id, m)?;
        }
        insert.raw_execute()?;
    }
    for (turn, m) in rows.remainder() {
        let mut insert = tx.prepare_cached(&INSERT_METRIC_ROW)?;
        bind_metric(&mut insert, 0, turns[*turn].0, call_id, m)?;
        insert.raw_execute()?;
    }
    let mut insert_guidance = tx.prepare_cached(
        "INSERT INTO guidance (call_id, turn_id, metric, measure, period, period_kind, period_year, period_part, low,
             high, midpoint, unit, stance, basis, text, start_offset, end_offset, sentence_start, sentence_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?;
    for (turn, g) in guidance {
        let (turn_id, text) = turns[*turn];
        let sentence = analysis::sentence_span(text, g);
        let midpoint = match (g.low, g.high) {
            (Some(l), Some(h)) => Some((l + h) / 2.0),
            (l, h) => l.or(h),
        };
        insert_guidance.execute(params![
            call_id,
            turn_id,
            g.metric,
            g.measure,
            g.period.map(|p| p.label()),
            g.period.map(|p| p.kind()),
            g.period.map(|p| p.fiscal_year),
            g.period.and_then(|p| p.quarter.or(p.half)),
            g.low,
            g.high,
            midpoint,
            g.unit,
            g.stance.as_str(),
            g.basis,
            g.text,
            g.start as i64,
            g.end as i64,
            sentence.start as i64,
            sentence.end as i64,
        ])?;
    }
    tx.prepare_cached("UPDATE calls SET analysis_version = ?1 WHERE call_id = ?2")?
        .execute(params![ANALYSIS_VERSION, call_id])?;
    Ok(())
}

/// Figures inserted by one statement.
const METRIC_ROWS: usize = 32;
/// Values bound per figure.
const METRIC_COLUMNS: usize = 10;

fn insert_metrics_sql(rows: usize) -> String {
    let row = format!("({})", ["?"; METRIC_COLUMNS].join(", "));
    format!(
        "INSERT INTO metrics (turn_id, call_id, kind, value, value_high, unit, subject, text, start_offset, end_offset)
         VALUES {}",
        vec![row; rows].join(", ")
    )
}

static INSERT_METRIC_ROWS: LazyLock<String> = LazyLock::new(|| insert_metrics_sql(METRIC_ROWS));
static INSERT_METRIC_ROW: LazyLock<String> = LazyLock::new(|| insert_metrics_sql(1));

/// Binds one figure's values to parameters `first + 1 ..= first + METRIC_COLUMNS`.
fn bind_metric(
    insert: &mut rusqlite::CachedStatement,
    first: usize,
    turn_id: i64,
    call_id: i64,
    m: &metrics::Metric,
) -> rusqlite::Result<()> {
    let values: [&dyn rusqlite::ToSql; METRIC_COLUMNS] = [
        &turn_id,
        &call_id,
        &m.kind.as_str(),
        &m.value,
        &m.value_high,
        &m.unit,
        &m.subject,
        &m.text,
        &(m.start as i64),
        &(m.end as i64),
    ];
    for (i, value) in values.into_iter().enumerate() {
        insert.raw_bind_parameter(first + i + 1, value)?;
    }
    Ok(())
}

/// The calls whose exchanges and figures came from older analysis rules.
pub fn outdated_calls(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    conn.prepare("SELECT call_id FROM calls WHERE analysis_version < ?1 ORDER BY call_id")?
        .query_map([ANALYSIS_VERSION], |r| r.get(0))?
        .collect()
}

/// Re-analyses calls from their stored turns (inside the caller's transaction).
pub fn reanalyze(tx: &Connection, calls: &[i64]) -> rusqlite::Result<()> {
    {
        for &call_id in calls {
            tx.execute("DELETE FROM exchanges WHERE call_id = ?1", [call_id])?;
            tx.execute("DELETE FROM metrics WHERE call_id = ?1", [call_id])?;
            tx.execute("DELETE FROM guidance WHERE call_id = ?1", [call_id])?;
            let turns: Vec<(i64, String, Option<i64>, i64, String, String)> = tx
                .prepare_cached(
                    "SELECT t.turn_id, t.kind, t.participant_id, t.words, t.text, coalesce(p.role, 'unknown')
                     FROM turns t LEFT JOIN participants p ON p.participant_id = t.participant_id
                     WHERE t.call_id = ?1 ORDER BY t.ordinal",
                )?
                .query_map([call_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let call: guidance::CallPeriod = tx
                .prepare_cached("SELECT fiscal_year, fiscal_quarter FROM calls WHERE call_id = ?1")?
                .query_row([call_id], |r| {
                    Ok(guidance::CallPeriod { fiscal_year: r.get(0)?, fiscal_quarter: r.get(1)? })
                })?;
            let facts: Vec<exchanges::TurnFacts> = turns
                .iter()
                .map(|(_, kind, participant, words, _, _)| exchanges::TurnFacts {
                    kind: TurnKind::parse(kind),
                    speaker: participant.unwrap_or(exchanges::NO_SPEAKER),
                    words: *words as usize,
                })
                .collect();
            let exchanges: Vec<(exchanges::Exchange, i64)> = exchanges::exchanges(&facts)
                .into_iter()
                .map(|e| {
                    let id = e.analyst;
                    (e, id)
                })
                .collect();
            let figures: Vec<(usize, metrics::Metric)> = turns
                .iter()
                .enumerate()
                .flat_map(|(i, t)| metrics::extract(&t.4).into_iter().map(move |m| (i, m)))
                .collect();
            let guided =
                crate::analysis::guidance_of(turns.iter().map(|t| (t.4.as_str(), t.5.as_str())), &figures, call);
            let turns: Vec<(i64, &str)> = turns.iter().map(|t| (t.0, t.4.as_str())).collect();
            insert_analysis(tx, call_id, &exchanges, &figures, &guided, &turns)?;
        }
    }
    Ok(())
}

/// Finds the person a participant is: the exact-form key first (set by `speakers split`), then the general identity
/// key; creates the person on first sight. Records the name as an alias and keeps the fullest form as the display
/// name.
/// `company`: the call's [`identity::company_key`].
pub fn resolve_speaker(tx: &Connection, p: &Participant, ticker: &str, seen_at: &str) -> rusqlite::Result<Option<i64>> {
    let (Some(key), Some(exact)) = (identity::identity_key(p, ticker), identity::exact_key(p, ticker)) else {
        return Ok(None);
    };
    let mut lookup = tx.prepare_cached(
        "SELECT s.speaker_id, s.name FROM speaker_keys k JOIN speakers s USING (speaker_id) WHERE k.identity_key = ?1",
    )?;
    let mut found: Option<(i64, String)> =
        match lookup.query_row([&exact], |r| Ok((r.get(0)?, r.get(1)?))).optional()? {
            Some(hit) => Some(hit),
            None => lookup.query_row([&key], |r| Ok((r.get(0)?, r.get(1)?))).optional()?,
        };
    // An analyst archived before firms were compared across publishers is found by the key of that time; today's
    // key joins it so the next lookup is direct.
    if found.is_none() {
        if let Some(legacy) = identity::legacy_identity_key(p) {
            found = lookup.query_row([&legacy], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            if let Some((id, _)) = &found {
                tx.prepare_cached("INSERT OR IGNORE INTO speaker_keys (identity_key, speaker_id) VALUES (?1, ?2)")?
                    .execute(params![key, id])?;
            }
        }
    }
    let id = match found {
        Some((id, name)) => {
            if p.name.split_whitespace().count() > name.split_whitespace().count() {
                tx.prepare_cached("UPDATE speakers SET name = ?1 WHERE speaker_id = ?2")?
                    .execute(params![p.name, id])?;
            }
            id
        }
        None => {
            let id: i64 = tx
                .prepare_cached("INSERT INTO speakers (name) VALUES (?1) RETURNING speaker_id")?
                .query_row([&p.name], |r| r.get(0))?;
            tx.prepare_cached("INSERT INTO speaker_keys (identity_key, speaker_id) VALUES (?1, ?2)")?
                .execute(params![key, id])?;
            id
        }
    };
    tx.prepare_cached("INSERT OR IGNORE INTO speaker_aliases (speaker_id, alias, first_seen) VALUES (?1, ?2, ?3)")?
        .execute(params![id, p.name, seen_at])?;
    Ok(Some(id))
}
