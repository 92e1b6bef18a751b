//! What `import` would archive from a file, worked out without touching any archive (`calldb check`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::{DroppedBlock, Transcript};
use crate::parse::{self, CompanyDirectory, NamePattern, ParseError, ParseOptions};
use crate::source::{self, FieldMap, Form, Item};

/// One document's verdict: a transcript file, or one record of a dataset file.
#[derive(Debug, Serialize)]
pub struct FileCheck {
    pub path: PathBuf,
    /// The record's key within its dataset file; `None` for a transcript file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// `ok`, `truncated` (would fail unless `--allow-truncated`) or `failed`.
    pub status: &'static str,
    pub error: Option<String>,
    pub line: Option<usize>,
    pub summary: Option<CallSummary>,
    /// The whole parsed structure (for `--format json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<Transcript>,
}

impl FileCheck {
    /// Would `import` fail this file?
    pub fn fails(&self, allow_truncated: bool) -> bool {
        match self.status {
            "ok" => false,
            "truncated" => !allow_truncated,
            _ => true,
        }
    }

    /// `data.jsonl#1834`, or the path of a transcript file.
    pub fn document(&self) -> String {
        match &self.record {
            Some(key) => format!("{}#{key}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    fn failed(path: &Path, record: Option<String>, error: String, line: Option<usize>) -> FileCheck {
        FileCheck {
            path: path.to_path_buf(),
            record,
            status: "failed",
            error: Some(error),
            line,
            summary: None,
            transcript: None,
        }
    }

    fn of(
        path: &Path,
        record: Option<String>,
        parsed: Result<Transcript, (String, Option<usize>)>,
        keep: bool,
    ) -> Self {
        match parsed {
            Ok(t) => {
                let truncated = t.truncated_at_line.map(|line| ParseError::Truncated { line, layout: t.layout });
                FileCheck {
                    path: path.to_path_buf(),
                    record,
                    status: if truncated.is_some() { "truncated" } else { "ok" },
                    line: truncated.as_ref().and_then(ParseError::line),
                    error: truncated.map(|e| e.to_string()),
                    summary: Some(summarize(&t)),
                    transcript: keep.then_some(t),
                }
            }
            Err((error, line)) => FileCheck::failed(path, record, error, line),
        }
    }
}

/// What `check` is told about the files, as `import` is.
#[derive(Default)]
pub struct CheckOptions<'a> {
    pub name_pattern: Option<&'a NamePattern>,
    pub companies: Option<&'a CompanyDirectory>,
    pub fields: FieldMap,
    /// Keep each document's whole parsed structure (for `--format json`).
    pub keep_transcript: bool,
}

/// Checks every document of a file as `import` would read it: the file itself, or each record of a dataset file
/// (streamed, one verdict at a time, so a large dataset is checked in bounded memory).
pub fn check_path(path: &Path, options: &CheckOptions, on_check: &mut dyn FnMut(FileCheck)) {
    let form = Form::of(path);
    if !form.is_dataset() {
        on_check(check_file(path, options.name_pattern, options.companies, options.keep_transcript));
        return;
    }
    let records = match source::records(path, form, &options.fields) {
        Ok(records) => records,
        Err(e) => {
            on_check(FileCheck::failed(path, None, format!("cannot read as {}: {}", form.as_str(), e.message), e.line));
            return;
        }
    };
    let mut count = 0;
    for item in records {
        count += 1;
        let check = match item {
            Item::Stopped(e) if count == 1 => FileCheck::failed(path, None, e.message, e.line),
            Item::Record(record) => {
                let (key, line) = (record.key.clone(), record.line);
                let parsed = record.value().map_err(|e| e.0).and_then(|value| {
                    source::parse_record(&value, path, &options.fields, options.name_pattern, options.companies)
                });
                FileCheck::of(path, key, parsed.map_err(|e| (e, line)), options.keep_transcript)
            }
            Item::BadRecord { key, line, message } => FileCheck::failed(path, key, message, line),
            Item::Stopped(e) => FileCheck::failed(
                path,
                None,
                format!("{} stopped being readable: {} (the records before are kept)", form.as_str(), e.message),
                e.line,
            ),
        };
        on_check(check);
    }
}

/// The overview `check` prints: header, sections, people, what was left out.
#[derive(Debug, Serialize)]
pub struct CallSummary {
    pub layout: &'static str,
    /// `None` when no source gives it: the call would be kept under its company name.
    pub ticker: Option<String>,
    pub company: String,
    pub exchange: Option<String>,
    pub title: String,
    pub fiscal_quarter: u8,
    pub fiscal_year: i32,
    /// `None` when no source gives the date.
    pub call_date: Option<String>,
    pub call_time: Option<String>,
    pub timezone: Option<String>,
    pub duration_minutes: Option<u32>,
    pub source_url: Option<String>,
    /// Fact → where it came from (`text`, `metadata`, `url`, `file_name`, `companies_file`, `derived`), `None`
    /// for a fact nothing gives.
    pub header_sources: BTreeMap<&'static str, Option<&'static str>>,
    /// Section → number of turns, in order of first appearance.
    pub sections: Vec<(String, usize)>,
    pub participants: Vec<PersonSummary>,
    pub turns: usize,
    pub words: usize,
    /// Editorial kind → number of items.
    pub editorial: BTreeMap<&'static str, usize>,
    pub dropped: Vec<DroppedBlock>,
    pub truncated_at_line: Option<usize>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PersonSummary {
    pub name: String,
    pub title: Option<String>,
    pub firm: Option<String>,
    pub role: &'static str,
    pub listed: bool,
    pub turns: usize,
    pub words: usize,
}

pub fn summarize(t: &Transcript) -> CallSummary {
    let mut sections: Vec<(String, usize)> = Vec::new();
    for turn in &t.turns {
        match sections.iter_mut().find(|(s, _)| s == turn.section.as_str()) {
            Some((_, n)) => *n += 1,
            None => sections.push((turn.section.as_str().to_string(), 1)),
        }
    }
    let participants = t
        .participants
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let spoken = t.turns.iter().filter(|turn| turn.participant == Some(i));
            PersonSummary {
                name: p.name.clone(),
                title: p.title.clone(),
                firm: p.firm.clone(),
                role: p.role.as_str(),
                listed: p.listed,
                turns: spoken.clone().count(),
                words: spoken.map(|turn| turn.words()).sum(),
            }
        })
        .collect();
    let mut editorial = BTreeMap::new();
    for item in &t.editorial {
        *editorial.entry(item.kind.as_str()).or_default() += 1;
    }
    let s = &t.header_sources;
    CallSummary {
        layout: t.layout,
        ticker: t.company.ticker.clone(),
        company: t.company.name.clone(),
        exchange: t.company.exchange.clone(),
        title: t.title.clone(),
        fiscal_quarter: t.fiscal_quarter,
        fiscal_year: t.fiscal_year,
        call_date: t.schedule.as_ref().map(|s| s.local_date.to_string()),
        call_time: t.schedule.as_ref().and_then(|s| s.clock.as_ref()).map(|c| c.local_time.format("%H:%M").to_string()),
        timezone: t.schedule.as_ref().and_then(|s| s.clock.as_ref()).map(|c| c.timezone.clone()),
        duration_minutes: t.duration_minutes,
        source_url: t.source_url.clone(),
        header_sources: BTreeMap::from([
            ("ticker", s.ticker.map(|f| f.as_str())),
            ("company", Some(s.company.as_str())),
            ("title", Some(s.title.as_str())),
            ("fiscal_period", Some(s.fiscal_period.as_str())),
            ("call_date", s.call_date.map(|f| f.as_str())),
        ]),
        sections,
        participants,
        turns: t.turns.len(),
        words: t.words(),
        editorial,
        dropped: t.dropped.clone(),
        truncated_at_line: t.truncated_at_line,
        warnings: t.warnings.clone(),
    }
}

/// Reads and parses one transcript file as `import` would, keeping the whole structure when `keep_transcript`.
pub fn check_file(
    path: &Path,
    name_pattern: Option<&NamePattern>,
    companies: Option<&CompanyDirectory>,
    keep_transcript: bool,
) -> FileCheck {
    if let Err(why) = source::regular_file(path) {
        return FileCheck::failed(path, None, why, None);
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return FileCheck::failed(path, None, format!("cannot read file: {e}"), None),
    };
    let parsed = parse::parse_file(&bytes, ParseOptions { path: Some(path), name_pattern, companies, record: None })
        .map_err(|e| (e.to_string(), e.line()));
    FileCheck::of(path, None, parsed, keep_transcript)
}
