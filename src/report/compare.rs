//! `calldb compare`: what changed between a call and the company's previous one (or any two calls).
//!
//! One table of items, each in a section, so every sink writes it:
//! - `guidance`: each metric and period guided on either call, the change computed from the numbers (raised,
//!   lowered, narrowed, widened, reaffirmed, initiated, dropped) beside the words' stance;
//! - `figures`: the first figure said on each subject (revenue, gross margin, EPS …) on both calls, when it moved;
//! - `terms`: the words and phrases whose use rose or fell most, by the weighted log-odds ratio with an informative
//!   Dirichlet prior (Monroe, Colaresi and Quinn 2008; [`crate::analysis::term_shift`]) against the company's earlier
//!   calls as background;
//! - `analysts`: analysts who asked questions on one call and not on the other;
//! - `talk time`: each role's share of the words, side by side.
//!
//! `score` is the number an item is ranked by (z for terms, midpoint change in % for guidance, percentage points for
//! talk time); `turn_id` is the turn an item was said in, on the later call where there is one.

use std::collections::BTreeMap;

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

use super::chart::{ChartKind, ChartSpec};
use super::format::ResultSet;
use super::read::ReadError;
use crate::analysis::term_shift::{self, Counts};

/// Most terms listed each way.
pub const TERMS_EACH_WAY: usize = 12;
/// Earlier calls of the company taken as the terms' background.
const BACKGROUND_CALLS: i64 = 8;
/// Fewest times a term is said across both calls to be scored.
const MIN_TERM_COUNT: u32 = 4;

/// A call as the comparison names it.
#[derive(Debug, Clone)]
pub struct CallRef {
    pub call_id: i64,
    pub company_id: i64,
    /// `ACME 2021 Q1 (2021-04-27)`.
    pub label: String,
}

fn call_ref(conn: &Connection, id: i64) -> Result<CallRef, ReadError> {
    Ok(conn.query_row(
        "SELECT c.call_id, c.company_id,
                coalesce(co.ticker, co.name) || ' ' || c.fiscal_year || ' Q' || c.fiscal_quarter
                || coalesce(' (' || c.call_date || ')', '')
         FROM calls c JOIN companies co USING (company_id) WHERE c.call_id = ?1",
        [id],
        |r| Ok(CallRef { call_id: r.get(0)?, company_id: r.get(1)?, label: r.get(2)? }),
    )?)
}

/// The company's call before this one, by fiscal period (then date).
pub fn previous_call(conn: &Connection, id: i64) -> Result<i64, ReadError> {
    let found: Option<i64> = conn
        .query_row(
            "SELECT p.call_id FROM calls c JOIN calls p ON p.company_id = c.company_id
             WHERE c.call_id = ?1 AND p.call_id <> c.call_id
               AND (p.fiscal_year * 4 + p.fiscal_quarter < c.fiscal_year * 4 + c.fiscal_quarter
                    OR (p.fiscal_year = c.fiscal_year AND p.fiscal_quarter = c.fiscal_quarter
                        AND coalesce(p.call_date, '') < coalesce(c.call_date, '')))
             ORDER BY p.fiscal_year DESC, p.fiscal_quarter DESC, p.call_date DESC LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let call = call_ref(conn, id)?;
    found.ok_or_else(|| {
        ReadError::NotFound(format!(
            "{} is the company's first call in the archive: name another with --with",
            call.label
        ))
    })
}

/// The comparison of `later` with `earlier`.
pub struct Comparison {
    pub earlier: CallRef,
    pub later: CallRef,
    pub rows: ResultSet,
}

impl Comparison {
    /// The chart an HTML page shows: the term shifts, one bar each.
    pub fn chart() -> ChartSpec {
        ChartSpec {
            kind: ChartKind::Bar,
            x: "item".into(),
            y: "score".into(),
            series: None,
            only: Some(("section".into(), "terms".into())),
            weight: None,
        }
    }
}

struct Rows(Vec<Vec<Value>>);

impl Rows {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        section: &str,
        item: String,
        before: Option<String>,
        after: Option<String>,
        change: String,
        score: Option<f64>,
        turn_id: Option<i64>,
    ) {
        let text = |s: Option<String>| s.map_or(Value::Null, Value::Text);
        self.0.push(vec![
            Value::Text(section.into()),
            Value::Text(item),
            text(before),
            text(after),
            Value::Text(change),
            score.map_or(Value::Null, Value::Real),
            turn_id.map_or(Value::Null, Value::Integer),
        ]);
    }
}

fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

/// `$4.2 to $4.4` style text of a guided range, from its stored figure text.
fn guided(text: &Option<String>, low: Option<f64>, high: Option<f64>) -> Option<String> {
    match text.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => Some(t.to_string()),
        None => match (low, high) {
            (Some(l), Some(h)) if l == h => Some(format!("{l}")),
            (Some(l), Some(h)) => Some(format!("{l} to {h}")),
            _ => None,
        },
    }
}

/// Compares two calls (the earlier first, whatever order they are given in).
pub fn compare(conn: &Connection, a: i64, b: i64) -> Result<Comparison, ReadError> {
    let (mut earlier, mut later) = (call_ref(conn, a)?, call_ref(conn, b)?);
    let order = |id: i64| -> rusqlite::Result<(i64, String)> {
        conn.query_row(
            "SELECT fiscal_year * 4 + fiscal_quarter, coalesce(call_date, '') FROM calls WHERE call_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    };
    if order(earlier.call_id)? > order(later.call_id)? {
        std::mem::swap(&mut earlier, &mut later);
    }
    let mut rows = Rows(Vec::new());
    guidance(conn, &earlier, &later, &mut rows)?;
    figures(conn, &earlier, &later, &mut rows)?;
    terms(conn, &earlier, &later, &mut rows)?;
    analysts(conn, &earlier, &later, &mut rows)?;
    talk_time(conn, &earlier, &later, &mut rows)?;
    let columns = ["section", "item", "before", "after", "change", "score", "turn_id"];
    Ok(Comparison {
        earlier,
        later,
        rows: ResultSet { columns: columns.iter().map(|c| c.to_string()).collect(), rows: rows.0 },
    })
}

type Guided = (Option<f64>, Option<f64>, Option<f64>, Option<String>, String, i64);

/// The first row of each key, in the order the rows come.
fn first_by_key<V>(rows: impl Iterator<Item = rusqlite::Result<(String, V)>>) -> rusqlite::Result<BTreeMap<String, V>> {
    let mut out = BTreeMap::new();
    for row in rows {
        let (key, value) = row?;
        out.entry(key).or_insert(value);
    }
    Ok(out)
}

fn guidance_of(conn: &Connection, call: i64) -> rusqlite::Result<BTreeMap<String, Guided>> {
    let mut stmt = conn.prepare(
        "SELECT coalesce(metric, 'guidance') || coalesce(' (' || nullif(measure, 'level') || ')', '') || ' '
                || coalesce(period, '') || coalesce(', ' || unit, ''),
                low, high, midpoint, text, stance, turn_id
         FROM guidance WHERE call_id = ?1 ORDER BY guidance_id",
    )?;
    let found = stmt.query_map([call], |r| {
        Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
    })?;
    first_by_key(found)
}

fn guidance(conn: &Connection, earlier: &CallRef, later: &CallRef, rows: &mut Rows) -> rusqlite::Result<()> {
    let (before, after) = (guidance_of(conn, earlier.call_id)?, guidance_of(conn, later.call_id)?);
    for (key, now) in &after {
        let (low, high, mid, text, stance, turn) = now;
        let (change, score, was) = match before.get(key) {
            None if stance == "withdraw" => ("withdrawn".to_string(), None, None),
            None => ("initiated".to_string(), None, None),
            Some((plow, phigh, pmid, ptext, _, _)) => {
                let was = guided(ptext, *plow, *phigh);
                match (mid, pmid) {
                    (Some(m), Some(p)) => {
                        let pct = if *p != 0.0 { Some(round(100.0 * (m - p) / p.abs(), 2)) } else { None };
                        let width = |l: &Option<f64>, h: &Option<f64>| h.unwrap_or(0.0) - l.unwrap_or(0.0);
                        let change = if (m - p).abs() <= 0.005 * p.abs().max(1e-9) {
                            let (w, pw) = (width(low, high), width(plow, phigh));
                            if w < pw - 1e-9 {
                                "narrowed"
                            } else if w > pw + 1e-9 {
                                "widened"
                            } else {
                                "reaffirmed"
                            }
                        } else if m > p {
                            "raised"
                        } else {
                            "lowered"
                        };
                        (change.to_string(), pct, was)
                    }
                    _ => ("withdrawn".to_string(), None, was),
                }
            }
        };
        let change = if stance == "stated" { change } else { format!("{change} (said: {stance})") };
        rows.push("guidance", key.clone(), was, guided(text, *low, *high), change, score, Some(*turn));
    }
    for (key, (low, high, _, text, _, turn)) in &before {
        if !after.contains_key(key) {
            let was = guided(text, *low, *high);
            rows.push("guidance", key.clone(), was, None, "not repeated".into(), None, Some(*turn));
        }
    }
    Ok(())
}

/// The first figure said on each subject, by subject, kind and unit.
fn figures_of(conn: &Connection, call: i64) -> rusqlite::Result<BTreeMap<String, (f64, String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT m.subject || ' (' || m.kind || coalesce(', ' || m.unit, '') || ')', m.value, m.text, m.turn_id
         FROM metrics m JOIN turns t ON t.turn_id = m.turn_id
         WHERE m.call_id = ?1 AND m.subject IS NOT NULL AND m.subject NOT IN ('growth', 'guidance')
         ORDER BY t.ordinal, m.start_offset",
    )?;
    let found = stmt.query_map([call], |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?;
    first_by_key(found)
}

fn figures(conn: &Connection, earlier: &CallRef, later: &CallRef, rows: &mut Rows) -> rusqlite::Result<()> {
    let (before, after) = (figures_of(conn, earlier.call_id)?, figures_of(conn, later.call_id)?);
    for (key, (value, text, turn)) in &after {
        let Some((was, was_text, _)) = before.get(key) else { continue };
        if (value - was).abs() <= 1e-9 * was.abs().max(1.0) {
            continue;
        }
        let pct = (*was != 0.0).then(|| round(100.0 * (value - was) / was.abs(), 2));
        let change = if value > was { "up" } else { "down" };
        rows.push("figures", key.clone(), Some(was_text.clone()), Some(text.clone()), change.into(), pct, Some(*turn));
    }
    Ok(())
}

/// The turns of calls' speech, each with its term counts (the operator's left out: their lines are the same on
/// every call).
fn turn_counts(conn: &Connection, calls: &[i64]) -> rusqlite::Result<Vec<(i64, Counts)>> {
    let mut turns = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT t.turn_id, t.text FROM turns t LEFT JOIN participants p ON p.participant_id = t.participant_id
         WHERE t.call_id = ?1 AND coalesce(p.role, 'unknown') <> 'operator' ORDER BY t.ordinal",
    )?;
    for call in calls {
        for row in stmt.query_map([call], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (turn, text) = row?;
            let mut counts = Counts::new();
            term_shift::count_terms(&text, &mut counts);
            turns.push((turn, counts));
        }
    }
    Ok(turns)
}

/// The term counts of all those turns together.
fn total(turns: &[(i64, Counts)]) -> Counts {
    let mut all = Counts::new();
    for (_, counts) in turns {
        for (term, n) in counts {
            *all.entry(term.clone()).or_default() += n;
        }
    }
    all
}

/// The turn that uses a term most (the first of equals), to show a term shift where it is said.
fn turn_using(turns: &[(i64, Counts)], term: &str) -> Option<i64> {
    let mut best: Option<(u32, i64)> = None;
    for (turn, counts) in turns {
        let n = counts.get(term).copied().unwrap_or(0);
        if n > 0 && best.is_none_or(|(m, _)| n > m) {
            best = Some((n, *turn));
        }
    }
    best.map(|(_, turn)| turn)
}

fn terms(conn: &Connection, earlier: &CallRef, later: &CallRef, rows: &mut Rows) -> rusqlite::Result<()> {
    let background: Vec<i64> = conn
        .prepare(
            "SELECT call_id FROM calls WHERE company_id = ?1 AND call_id NOT IN (?2, ?3)
               AND fiscal_year * 4 + fiscal_quarter
                   < (SELECT fiscal_year * 4 + fiscal_quarter FROM calls WHERE call_id = ?2)
             ORDER BY fiscal_year DESC, fiscal_quarter DESC LIMIT ?4",
        )?
        .query_map(params![earlier.company_id, earlier.call_id, later.call_id, BACKGROUND_CALLS], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let (turns_a, turns_b) = (turn_counts(conn, &[earlier.call_id])?, turn_counts(conn, &[later.call_id])?);
    let (a, b) = (total(&turns_a), total(&turns_b));
    let background = total(&turn_counts(conn, &background)?);
    let (more, less) = term_shift::shifts(&a, &b, &background, TERMS_EACH_WAY, MIN_TERM_COUNT);
    for s in more.iter().chain(&less) {
        // A term used more is shown where the later call uses it most; one used less, where the earlier call did.
        let turn = if s.z > 0.0 { turn_using(&turns_b, &s.term) } else { turn_using(&turns_a, &s.term) };
        rows.push(
            "terms",
            s.term.clone(),
            Some(format!("{} ({:.1} per 10k words)", s.count_a, s.per_10k_a)),
            Some(format!("{} ({:.1} per 10k words)", s.count_b, s.per_10k_b)),
            if s.z > 0.0 { "more".into() } else { "less".into() },
            Some(round(s.z, 2)),
            turn,
        );
    }
    Ok(())
}

/// The analysts who spoke on a call, with their first turn.
fn analysts_of(conn: &Connection, call: i64) -> rusqlite::Result<BTreeMap<String, (String, Option<i64>)>> {
    conn.prepare(
        "SELECT coalesce(CAST(speaker_id AS TEXT), name), name || coalesce(' (' || firm || ')', ''),
                (SELECT t.turn_id FROM turns t WHERE t.participant_id = p.participant_id ORDER BY t.ordinal LIMIT 1)
         FROM participants p WHERE call_id = ?1 AND role = 'analyst' AND turns > 0",
    )?
    .query_map([call], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
    .collect()
}

fn analysts(conn: &Connection, earlier: &CallRef, later: &CallRef, rows: &mut Rows) -> rusqlite::Result<()> {
    let (before, after) = (analysts_of(conn, earlier.call_id)?, analysts_of(conn, later.call_id)?);
    for (key, (name, turn)) in &after {
        if !before.contains_key(key) {
            rows.push("analysts", name.clone(), None, Some("asked".into()), "joined".into(), None, *turn);
        }
    }
    for (key, (name, turn)) in &before {
        if !after.contains_key(key) {
            rows.push("analysts", name.clone(), Some("asked".into()), None, "did not ask".into(), None, *turn);
        }
    }
    Ok(())
}

fn shares(conn: &Connection, call: i64) -> rusqlite::Result<BTreeMap<String, f64>> {
    conn.prepare(
        "SELECT r.role, 100.0 * r.words / nullif(c.word_count, 0) FROM call_roles r JOIN calls c USING (call_id)
         WHERE r.call_id = ?1 AND r.turns > 0",
    )?
    .query_map([call], |r| Ok((r.get(0)?, r.get::<_, Option<f64>>(1)?.unwrap_or(0.0))))?
    .collect()
}

fn talk_time(conn: &Connection, earlier: &CallRef, later: &CallRef, rows: &mut Rows) -> rusqlite::Result<()> {
    let (before, after) = (shares(conn, earlier.call_id)?, shares(conn, later.call_id)?);
    let mut roles: Vec<&String> = before.keys().chain(after.keys()).collect();
    roles.sort();
    roles.dedup();
    for role in roles {
        let (b, a) = (before.get(role).copied().unwrap_or(0.0), after.get(role).copied().unwrap_or(0.0));
        // `+ 0.0` makes a rounded -0.0 plain 0.0.
        let points = round(a - b, 1) + 0.0;
        rows.push(
            "talk time",
            role.clone(),
            Some(format!("{b:.1}%")),
            Some(format!("{a:.1}%")),
            format!("{points:+.1} points"),
            Some(points),
            None,
        );
    }
    Ok(())
}
