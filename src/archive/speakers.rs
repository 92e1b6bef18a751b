//! Manual corrections to who is who: merging two people into one, and splitting appearances off into a new person.
//!
//! Corrections act on identity keys (see [`super::identity`]), which the importer consults for every appearance,
//! so they survive re-imports and `--replace`. Each correction is also recorded in `speaker_corrections`.

use rusqlite::{params, Connection, OptionalExtension};

use super::identity;
use crate::model::{Participant, Role};

#[derive(Debug, thiserror::Error)]
pub enum CorrectionError {
    #[error("no speaker with id {0} (see `calldb speakers`)")]
    NoSuchSpeaker(i64),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Archive(#[from] super::ArchiveError),
}

impl CorrectionError {
    /// True when the archive was busy longer than the command was willing to wait.
    pub fn is_busy(&self) -> bool {
        matches!(self, CorrectionError::Archive(a) if a.is_busy())
    }
}

/// How to choose the appearances that become a new person.
#[derive(Debug, Clone)]
pub enum SplitBy {
    /// Appearances whose name is written exactly so (`Robert P. Smith`).
    Name(String),
    /// Appearances that resolve through this identity key (shown by `calldb speakers show`).
    Key(String),
}

impl std::fmt::Display for SplitBy {
    /// As a person reads it in messages and in `speaker_corrections.detail`: `the name "Robert P. Smith"`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SplitBy::Name(name) => write!(f, "the name \"{name}\""),
            SplitBy::Key(key) => write!(f, "the identity key \"{key}\""),
        }
    }
}

fn speaker_name(conn: &Connection, id: i64) -> Result<String, CorrectionError> {
    conn.query_row("SELECT name FROM speakers WHERE speaker_id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or(CorrectionError::NoSuchSpeaker(id))
}

/// Makes `other` the same person as `keep`: keys, appearances and aliases move to `keep`. Reads and writes in one
/// write transaction, so an import running at the same time lands wholly before or after the correction.
pub fn merge(archive: &mut super::Archive, keep: i64, other: i64) -> Result<String, CorrectionError> {
    if keep == other {
        return Err(CorrectionError::Invalid("a speaker cannot be merged with itself".into()));
    }
    let tx = archive.write_transaction()?;
    let keep_name = speaker_name(&tx, keep)?;
    let other_name = speaker_name(&tx, other)?;
    tx.execute("UPDATE speaker_keys SET speaker_id = ?1 WHERE speaker_id = ?2", params![keep, other])?;
    tx.execute("UPDATE participants SET speaker_id = ?1 WHERE speaker_id = ?2", params![keep, other])?;
    tx.execute(
        "INSERT OR IGNORE INTO speaker_aliases (speaker_id, alias, first_seen)
         SELECT ?1, alias, first_seen FROM speaker_aliases WHERE speaker_id = ?2",
        params![keep, other],
    )?;
    tx.execute("DELETE FROM speakers WHERE speaker_id = ?1", [other])?;
    if other_name.split_whitespace().count() > keep_name.split_whitespace().count() {
        tx.execute("UPDATE speakers SET name = ?1 WHERE speaker_id = ?2", params![other_name, keep])?;
    }
    tx.execute(
        "INSERT INTO speaker_corrections (action, speaker_id, other_id, detail, made_at) VALUES ('merge', ?1, ?2, ?3, ?4)",
        params![keep, other, format!("{other_name} merged into {keep_name}"), super::now_utc()],
    )?;
    // The appearances moved: both people's analyst-coverage rows are built again before the merge commits.
    super::coverage::refresh(&tx)?;
    tx.commit()?;
    Ok(format!("{other_name} (speaker {other}) is now part of {keep_name} (speaker {keep})"))
}

/// One appearance of a speaker, with what its identity keys are computed from.
struct Appearance {
    participant_id: i64,
    person: Participant,
    /// The [`identity::company_key`] of the call's company.
    ticker: String,
}

fn appearances(conn: &Connection, speaker: i64) -> rusqlite::Result<Vec<Appearance>> {
    conn.prepare(
        "SELECT p.participant_id, p.name, p.role, p.firm, co.ticker, co.name
         FROM participants p JOIN calls c USING (call_id) JOIN companies co USING (company_id)
         WHERE p.speaker_id = ?1",
    )?
    .query_map([speaker], |r| {
        let role: String = r.get(2)?;
        Ok(Appearance {
            participant_id: r.get(0)?,
            person: Participant {
                name: r.get(1)?,
                title: None,
                firm: r.get(3)?,
                role: Role::parse(&role),
                listed: true,
            },
            ticker: identity::company_key(r.get::<_, Option<String>>(4)?.as_deref(), &r.get::<_, String>(5)?),
        })
    })?
    .collect()
}

/// Moves the chosen appearances of `speaker` to a new person and points the keys that find them at it.
/// Returns the new speaker's id and a description. Like [`merge`], one write transaction from first read to last
/// write.
pub fn split(archive: &mut super::Archive, speaker: i64, by: &SplitBy) -> Result<(i64, String), CorrectionError> {
    let tx = archive.write_transaction()?;
    let name = speaker_name(&tx, speaker)?;
    let all = appearances(&tx, speaker)?;
    let (chosen, keys): (Vec<&Appearance>, Vec<String>) = match by {
        SplitBy::Name(form) => {
            let chosen: Vec<&Appearance> = all.iter().filter(|a| a.person.name == *form).collect();
            let keys = chosen.iter().filter_map(|a| identity::exact_key(&a.person, &a.ticker)).collect();
            (chosen, keys)
        }
        SplitBy::Key(key) => {
            let chosen: Vec<&Appearance> = all
                .iter()
                .filter(|a| identity::identity_key(&a.person, &a.ticker).as_deref() == Some(key.as_str()))
                .collect();
            (chosen, vec![key.clone()])
        }
    };
    if chosen.is_empty() {
        return Err(CorrectionError::Invalid(format!(
            "none of {name}'s appearances match {by}; `calldb speakers show {speaker}` lists names and keys"
        )));
    }
    if chosen.len() == all.len() {
        return Err(CorrectionError::Invalid(format!(
            "every appearance of {name} matches {by}: nothing would be left to split from"
        )));
    }
    let new_name = chosen[0].person.name.clone();
    let new_id: i64 =
        tx.query_row("INSERT INTO speakers (name) VALUES (?1) RETURNING speaker_id", [&new_name], |r| r.get(0))?;
    for key in &keys {
        tx.execute(
            "INSERT INTO speaker_keys (identity_key, speaker_id) VALUES (?1, ?2)
             ON CONFLICT (identity_key) DO UPDATE SET speaker_id = excluded.speaker_id",
            params![key, new_id],
        )?;
    }
    for a in &chosen {
        tx.execute(
            "UPDATE participants SET speaker_id = ?1 WHERE participant_id = ?2",
            params![new_id, a.participant_id],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO speaker_aliases (speaker_id, alias, first_seen) VALUES (?1, ?2, ?3)",
            params![new_id, a.person.name, super::now_utc()],
        )?;
    }
    // An alias stays with the old person only while some appearance of theirs is still written that way.
    tx.execute(
        "DELETE FROM speaker_aliases WHERE speaker_id = ?1
           AND alias NOT IN (SELECT name FROM participants WHERE speaker_id = ?1)
           AND alias IN (SELECT alias FROM speaker_aliases WHERE speaker_id = ?2)",
        params![speaker, new_id],
    )?;
    let appearances =
        if chosen.len() == 1 { "1 appearance".to_string() } else { format!("{} appearances", chosen.len()) };
    let detail = format!("{appearances} of {name} split off as {new_name} (by {by})");
    tx.execute(
        "INSERT INTO speaker_corrections (action, speaker_id, other_id, detail, made_at) VALUES ('split', ?1, ?2, ?3, ?4)",
        params![speaker, new_id, detail, super::now_utc()],
    )?;
    super::coverage::refresh(&tx)?;
    tx.commit()?;
    Ok((new_id, format!("{detail}: new speaker {new_id}")))
}
