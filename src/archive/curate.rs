//! The user's own corrections to calls: facts set right (`calldb calls set`) and calls taken out (`calldb calls
//! delete`).
//!
//! A correction is recorded against the copy it corrects (the call's source file and record key, `corrections`), with
//! who made it, when, and the old and new value, and applied to the call at once. It is applied again whenever that
//! copy is read (`import --replace`), so it survives re-imports. A deletion removes calls whole — turns, figures,
//! exchanges, their search entries, their people's appearances — and logs each in `deleted_calls` (a trigger), so
//! incremental exports and jobs can see it; people and companies left with no call go too. Each command is one write
//! transaction: an import running at the same time lands wholly before or after it.

use rusqlite::{params, Connection, OptionalExtension};

use super::{identity, store, Archive, ArchiveError};
use crate::model::{Participant, Role, Transcript};
use crate::parse::names::organization_key;

#[derive(Debug, thiserror::Error)]
pub enum CurateError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
}

impl CurateError {
    /// True when the archive was busy longer than the command was willing to wait.
    pub fn is_busy(&self) -> bool {
        matches!(self, CurateError::Archive(a) if a.is_busy())
    }
}

/// One fact to set right.
#[derive(Debug, Clone, PartialEq)]
pub enum Correction {
    /// The call's ticker (`None` to remove a wrong one): the call moves to the company with that ticker.
    Ticker(Option<String>),
    /// The name of the call's company.
    Company(String),
    /// Fiscal quarter and year.
    FiscalPeriod(u8, i32),
    /// The call's date (`None`: not known); a corrected date has no time of day.
    CallDate(Option<chrono::NaiveDate>),
}

impl Correction {
    fn field(&self) -> &'static str {
        match self {
            Correction::Ticker(_) => "ticker",
            Correction::Company(_) => "company",
            Correction::FiscalPeriod(..) => "fiscal_period",
            Correction::CallDate(_) => "call_date",
        }
    }

    fn value(&self) -> Option<String> {
        match self {
            Correction::Ticker(t) => t.clone(),
            Correction::Company(c) => Some(c.clone()),
            Correction::FiscalPeriod(q, y) => Some(format!("{y}Q{q}")),
            Correction::CallDate(d) => d.map(|d| d.to_string()),
        }
    }

    /// `ticker`, `company`, `fiscal_period` (`2021Q3`) or `call_date` (`YYYY-MM-DD`) as stored in `corrections`.
    fn from_stored(field: &str, value: Option<&str>) -> Option<Correction> {
        Some(match field {
            "ticker" => Correction::Ticker(value.map(str::to_string)),
            "company" => Correction::Company(value?.to_string()),
            "fiscal_period" => {
                let (y, q) = value?.split_once('Q')?;
                Correction::FiscalPeriod(q.parse().ok()?, y.parse().ok()?)
            }
            "call_date" => Correction::CallDate(value.and_then(|d| d.parse().ok())),
            _ => return None,
        })
    }

    /// Reads `2021Q3`, `Q3 2021`, `2021-Q3` as a fiscal period.
    pub fn parse_fiscal_period(text: &str) -> Result<Correction, String> {
        crate::parse::header::fiscal_period(&text.replace(['-', '_'], " "))
            .map(|(q, y)| Correction::FiscalPeriod(q, y))
            .ok_or_else(|| format!("`{text}` is not a fiscal period such as 2021Q3"))
    }
}

/// Who made a correction: `user@host`.
pub fn corrected_by() -> String {
    // The account's name from the system (not only $USER, which cron and containers often leave unset).
    let user = whoami::username().ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "unknown".into());
    format!("{user}@{}", super::access::host_name())
}

/// What a call looks like for a correction: its copy and its facts.
struct CallFacts {
    company_id: i64,
    ticker: Option<String>,
    company: String,
    fiscal_year: i32,
    fiscal_quarter: u8,
    call_date: Option<String>,
    source_path: String,
    record_key: Option<String>,
}

fn call_facts(tx: &Connection, call_id: i64) -> Result<CallFacts, CurateError> {
    tx.query_row(
        "SELECT c.company_id, co.ticker, co.name, c.fiscal_year, c.fiscal_quarter, c.call_date, c.source_path,
                c.record_key
         FROM calls c JOIN companies co USING (company_id) WHERE c.call_id = ?1",
        [call_id],
        |r| {
            Ok(CallFacts {
                company_id: r.get(0)?,
                ticker: r.get(1)?,
                company: r.get(2)?,
                fiscal_year: r.get(3)?,
                fiscal_quarter: r.get(4)?,
                call_date: r.get(5)?,
                source_path: r.get(6)?,
                record_key: r.get(7)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| CurateError::Invalid(format!("no call with id {call_id} (see `calldb calls`)")))
}

/// Sets the facts of one call right, records each correction, and returns what changed (`ticker: none → ACME`).
pub fn correct(archive: &mut Archive, call_id: i64, corrections: &[Correction]) -> Result<Vec<String>, CurateError> {
    if corrections.is_empty() {
        return Err(CurateError::Invalid(
            "nothing to set: give --ticker, --no-ticker, --company, --fiscal-period or --date".into(),
        ));
    }
    let by = corrected_by();
    // As the archive writes them: tickers in upper case, names without surrounding space.
    let corrections: Vec<Correction> = corrections
        .iter()
        .map(|c| match c {
            Correction::Ticker(t) => {
                Correction::Ticker(t.as_ref().map(|t| t.trim().to_uppercase()).filter(|t| !t.is_empty()))
            }
            Correction::Company(name) => Correction::Company(name.trim().to_string()),
            other => other.clone(),
        })
        .collect();
    let tx = archive.write_transaction()?;
    let mut changed = Vec::new();
    for correction in &corrections {
        let before = call_facts(&tx, call_id)?;
        let old = match correction {
            Correction::Ticker(_) => before.ticker.clone(),
            Correction::Company(_) => Some(before.company.clone()),
            Correction::FiscalPeriod(..) => Some(format!("{}Q{}", before.fiscal_year, before.fiscal_quarter)),
            Correction::CallDate(_) => before.call_date.clone(),
        };
        if old == correction.value() {
            continue;
        }
        apply(&tx, call_id, &before, correction)?;
        tx.execute(
            "INSERT INTO corrections (source_path, record_key, field, old_value, new_value, call_id, corrected_at,
                 corrected_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                before.source_path,
                before.record_key,
                correction.field(),
                old,
                correction.value(),
                call_id,
                super::now_utc(),
                by
            ],
        )?;
        changed.push(format!(
            "{}: {} → {}",
            correction.field(),
            old.as_deref().unwrap_or("none"),
            correction.value().as_deref().unwrap_or("none")
        ));
    }
    prune(&tx)?;
    // A date or company corrected is in its analysts' coverage rows: built again in the same transaction.
    super::coverage::refresh(&tx)?;
    tx.commit()?;
    Ok(changed)
}

/// Applies one correction to the stored call.
fn apply(tx: &Connection, call_id: i64, before: &CallFacts, correction: &Correction) -> Result<(), CurateError> {
    let source = |fact: &str| {
        tx.execute(
            "UPDATE calls SET header_sources = json_set(coalesce(header_sources, '{}'), '$.' || ?2, 'correction')
             WHERE call_id = ?1",
            params![call_id, fact],
        )
    };
    match correction {
        Correction::Ticker(ticker) => {
            let ticker = ticker.as_ref().map(|t| t.trim().to_uppercase());
            let company = match &ticker {
                Some(t) => match tx
                    .query_row("SELECT company_id FROM companies WHERE ticker = ?1", [t], |r| r.get::<_, i64>(0))
                    .optional()?
                {
                    Some(id) => id,
                    None => new_company(tx, Some(t), &before.company)?,
                },
                None => new_company(tx, None, &before.company)?,
            };
            tx.execute("UPDATE calls SET company_id = ?2 WHERE call_id = ?1", params![call_id, company])?;
            source("ticker")?;
            relabel(tx, call_id)?;
            reresolve_people(tx, call_id)?;
        }
        Correction::Company(name) => {
            let name = name.trim();
            if name.is_empty() {
                return Err(CurateError::Invalid("a company name cannot be empty".into()));
            }
            // A company has one name: the call's company is renamed, for its other calls too.
            tx.execute(
                "UPDATE companies SET name = ?2, name_key = ?3 WHERE company_id = ?1",
                params![before.company_id, name, organization_key(name)],
            )?;
            source("company")?;
            relabel(tx, call_id)?;
        }
        Correction::FiscalPeriod(q, y) => {
            if !(1..=4).contains(q) {
                return Err(CurateError::Invalid(format!("fiscal quarter {q} is not 1-4")));
            }
            let clash: Option<i64> = tx
                .query_row(
                    "SELECT c.call_id FROM calls c JOIN calls me ON me.call_id = ?1
                     WHERE c.company_id = me.company_id AND c.fiscal_year = ?2 AND c.fiscal_quarter = ?3
                       AND (c.event = me.event OR c.title = me.title) AND c.call_id <> ?1",
                    params![call_id, y, q],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(other) = clash {
                return Err(CurateError::Invalid(format!(
                    "call {other} is already that company's Q{q} {y} call: delete one of the two first"
                )));
            }
            tx.execute(
                "UPDATE calls SET fiscal_year = ?2, fiscal_quarter = ?3,
                     title = CASE WHEN title = 'Q' || fiscal_quarter || ' ' || fiscal_year || ' Earnings Call'
                                  THEN 'Q' || ?3 || ' ' || ?2 || ' Earnings Call' ELSE title END
                 WHERE call_id = ?1",
                params![call_id, y, q],
            )?;
            source("fiscal_period")?;
            relabel(tx, call_id)?;
        }
        Correction::CallDate(date) => {
            // The printed time and zone belonged to the old date: cleared with it, never carried to a new one.
            tx.execute(
                "UPDATE calls SET call_date = ?2, call_time = NULL, timezone = NULL, starts_at_utc = NULL
                 WHERE call_id = ?1",
                params![call_id, date.map(|d| d.to_string())],
            )?;
            source("call_date")?;
        }
    }
    Ok(())
}

fn new_company(tx: &Connection, ticker: Option<&str>, name: &str) -> rusqlite::Result<i64> {
    tx.query_row(
        "INSERT INTO companies (ticker, name, name_key) VALUES (?1, ?2, ?3) RETURNING company_id",
        params![ticker, name, organization_key(name)],
        |r| r.get(0),
    )
}

/// `calls.label` (`LPSN 2021 Q1`) after the company or period changed.
fn relabel(tx: &Connection, call_id: i64) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE calls SET label = (SELECT coalesce(ticker, name) FROM companies co WHERE co.company_id = calls.company_id)
                                  || ' ' || fiscal_year || ' Q' || fiscal_quarter
         WHERE call_id = ?1",
        [call_id],
    )?;
    Ok(())
}

/// The people of a call that moved to another company are found again under that company (people are told apart
/// per company, see [`identity`]).
fn reresolve_people(tx: &Connection, call_id: i64) -> rusqlite::Result<()> {
    let (ticker, name): (Option<String>, String) = tx.query_row(
        "SELECT co.ticker, co.name FROM calls c JOIN companies co USING (company_id) WHERE c.call_id = ?1",
        [call_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let company_key = identity::company_key(ticker.as_deref(), &name);
    let people: Vec<(i64, Participant)> = tx
        .prepare("SELECT participant_id, name, title, firm, role, listed FROM participants WHERE call_id = ?1")?
        .query_map([call_id], |r| {
            Ok((
                r.get(0)?,
                Participant {
                    name: r.get(1)?,
                    title: r.get(2)?,
                    firm: r.get(3)?,
                    role: Role::parse(&r.get::<_, String>(4)?),
                    listed: r.get::<_, i64>(5)? == 1,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let now = super::now_utc();
    for (participant_id, p) in &people {
        let speaker = store::resolve_speaker(tx, p, &company_key, &now)?;
        tx.execute(
            "UPDATE participants SET speaker_id = ?2 WHERE participant_id = ?1",
            params![participant_id, speaker],
        )?;
    }
    Ok(())
}

/// People and companies that no call refers to any more.
fn prune(tx: &Connection) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM speakers WHERE NOT EXISTS (SELECT 1 FROM participants p WHERE p.speaker_id = speakers.speaker_id)",
        [],
    )?;
    tx.execute(
        "DELETE FROM companies WHERE NOT EXISTS (SELECT 1 FROM calls c WHERE c.company_id = companies.company_id)",
        [],
    )?;
    Ok(())
}

/// The calls whose stored copy is one of `sources` (files, or folders: every call stored from inside one).
pub fn calls_from_sources(conn: &Connection, sources: &[std::path::PathBuf]) -> Result<Vec<i64>, CurateError> {
    let mut ids = Vec::new();
    for source in sources {
        let path =
            std::fs::canonicalize(source).unwrap_or_else(|_| std::path::absolute(source).unwrap_or(source.clone()));
        let text = path.display().to_string();
        let prefix = format!("{}{}", text.trim_end_matches(std::path::MAIN_SEPARATOR), std::path::MAIN_SEPARATOR);
        let found: Vec<i64> = conn
            .prepare(
                "SELECT call_id FROM calls WHERE source_path = ?1 OR (source_path >= ?2 AND source_path < ?2 || char(1114111))
                 ORDER BY call_id",
            )?
            .query_map(params![text, prefix], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if found.is_empty() {
            return Err(CurateError::Invalid(format!("no call was imported from {}", source.display())));
        }
        ids.extend(found);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Deletes calls whole; returns their labels. Unknown ids are an error and nothing is deleted.
pub fn delete(archive: &mut Archive, call_ids: &[i64]) -> Result<Vec<String>, CurateError> {
    let tx = archive.write_transaction()?;
    let mut labels = Vec::new();
    for &id in call_ids {
        let label: Option<String> = tx
            .query_row("SELECT coalesce(label, call_id) FROM calls WHERE call_id = ?1", [id], |r| r.get(0))
            .optional()?;
        let label = label.ok_or_else(|| CurateError::Invalid(format!("no call with id {id} (see `calldb calls`)")))?;
        // Its files are read again by a later import (their signatures vouched for this call).
        tx.execute(
            "DELETE FROM file_signatures WHERE path IN (SELECT source_path FROM call_sources WHERE call_id = ?1)",
            [id],
        )?;
        store::delete_call(&tx, id)?;
        labels.push(label);
    }
    prune(&tx)?;
    super::coverage::refresh(&tx)?;
    tx.commit()?;
    Ok(labels)
}

/// The transcript read from a copy (source file and record key) with the corrections recorded for that copy applied,
/// latest last; `None` when there are none (the common case costs one index lookup, no copy).
pub fn corrected(
    tx: &Connection,
    source_path: &str,
    record_key: Option<&str>,
    read: &Transcript,
) -> rusqlite::Result<Option<Transcript>> {
    let mut stmt = tx.prepare_cached(
        "SELECT field, new_value FROM corrections WHERE source_path = ?1 AND record_key IS ?2 ORDER BY correction_id",
    )?;
    let rows: Vec<(String, Option<String>)> = stmt
        .query_map(params![source_path, record_key], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut t = read.clone();
    for (field, value) in rows {
        let Some(correction) = Correction::from_stored(&field, value.as_deref()) else { continue };
        match correction {
            Correction::Ticker(t2) => {
                t.company.ticker = t2;
                t.header_sources.ticker = Some(crate::model::FactSource::Correction);
            }
            Correction::Company(c) => {
                t.company.name = c;
                t.header_sources.company = crate::model::FactSource::Correction;
            }
            Correction::FiscalPeriod(q, y) => {
                // A title that only names the period follows it, exactly as `calls set` rewrites the stored call's,
                // so a re-read copy with its corrections applied is the call as stored (not a new version).
                if t.title == format!("Q{} {} Earnings Call", t.fiscal_quarter, t.fiscal_year) {
                    t.title = format!("Q{q} {y} Earnings Call");
                }
                t.fiscal_quarter = q;
                t.fiscal_year = y;
                t.header_sources.fiscal_period = crate::model::FactSource::Correction;
            }
            Correction::CallDate(d) => {
                t.schedule = d.map(|local_date| crate::model::CallTime { local_date, clock: None });
                t.header_sources.call_date = d.map(|_| crate::model::FactSource::Correction);
            }
        }
    }
    Ok(Some(t))
}
