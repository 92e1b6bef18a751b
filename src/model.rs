//! The parsed form of one earnings call, independent of the layout it came from and of the archive.
//!
//! Parsers in [`crate::parse`] produce a [`Transcript`]; the archive writer in [`crate::archive`] stores it.
//! Everything here is "as written": names, titles and speech are kept exactly as the source spells them, and
//! derived facts (roles, turn kinds) are computed once by the parser so every consumer agrees on them.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

/// One earnings call as read from one transcript file.
#[derive(Debug, Clone, Serialize)]
pub struct Transcript {
    /// Name of the source layout that produced this transcript (e.g. `fool-classic`).
    pub layout: &'static str,
    pub company: Company,
    /// The call title as written, e.g. `Q1 2021 Earnings Call`.
    pub title: String,
    pub fiscal_quarter: u8,
    pub fiscal_year: i32,
    /// When the call took place; `None` when neither the text nor the file name says (Capital IQ-style copies).
    pub schedule: Option<CallTime>,
    /// The day's share-price move printed beside the ticker, e.g. `-4.22` for `(LPSN -4.22%)`.
    pub price_change_pct: Option<f64>,
    pub duration_minutes: Option<u32>,
    /// Everyone who speaks or is listed: entries of the participants list first (in list order), then the
    /// operator and speakers found only in the body, in order of first appearance.
    pub participants: Vec<Participant>,
    pub turns: Vec<Turn>,
    /// Things the parser noticed and recovered from (e.g. a Windows-1252 file). Never fatal.
    pub warnings: Vec<String>,
    /// The page the transcript was published at, when the file says (a scraper's metadata block, a saved page's
    /// canonical link).
    pub source_url: Option<String>,
    /// Where each header fact came from.
    pub header_sources: HeaderSources,
    /// Editorial text the publisher wrote around the transcript (takeaways, risks, summary, glossary): kept, never
    /// speech.
    pub editorial: Vec<EditorialItem>,
    /// Blocks of the file that were read and deliberately not stored as speech (advertising, contents, footers,
    /// editorial text, speech no speaker line introduces).
    pub dropped: Vec<DroppedBlock>,
    /// `Some(line)` when the file ends before its layout's closing blocks (an interrupted download): the last line
    /// read. Such a transcript is not a whole call.
    pub truncated_at_line: Option<usize>,
}

impl Transcript {
    /// Number of entries in the call's participants list (the operator is never one).
    pub fn listed_participants(&self) -> usize {
        self.participants.iter().filter(|p| p.listed).count()
    }

    /// Total words spoken across all turns.
    pub fn words(&self) -> usize {
        self.turns.iter().map(Turn::words).sum()
    }

    /// False when the call's speech is unattributed (whole-call blocks): speaker and Q&A reports leave it out.
    pub fn speakers_known(&self) -> bool {
        self.turns.iter().any(|t| t.participant.is_some())
    }

    /// The participant who spoke turn `i`, if one is known.
    pub fn speaker_of(&self, i: usize) -> Option<&Participant> {
        self.turns.get(i)?.participant.map(|p| &self.participants[p])
    }

    /// The role of the speaker of turn `i`; `Unknown` for unattributed speech.
    pub fn role_of(&self, i: usize) -> Role {
        self.speaker_of(i).map_or(Role::Unknown, |p| p.role)
    }
}

/// Where a header fact was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FactSource {
    /// The transcript's own header or text.
    #[default]
    Text,
    /// A metadata block a downloader wrote before the transcript (`Ticker: MDB`), or a saved page's metadata.
    Metadata,
    /// The page address the file names (`…/mongodb-mdb-q1-2025-earnings-call-transcript/`).
    Url,
    /// The file name, read with the user's `--name-pattern`.
    FileName,
    /// Composed from other facts (a title such as `Q3 2025 Earnings Call` for a layout that prints none).
    Derived,
    /// The user's companies file (`import --companies FILE`), which maps company names to tickers.
    CompaniesFile,
    /// The dataset record or API response that carried the transcript (its `ticker`, `year`, `quarter`, … fields).
    Record,
    /// The user's correction (`calldb calls set`), applied whenever the copy is read again.
    Correction,
}

impl FactSource {
    pub fn as_str(self) -> &'static str {
        match self {
            FactSource::Text => "text",
            FactSource::Metadata => "metadata",
            FactSource::Url => "url",
            FactSource::FileName => "file_name",
            FactSource::Derived => "derived",
            FactSource::CompaniesFile => "companies_file",
            FactSource::Record => "record",
            FactSource::Correction => "correction",
        }
    }
}

/// Where each header fact of a call came from; stored with the call (`calls.header_sources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct HeaderSources {
    /// `None` when no source gives the ticker (the call is kept under its company name).
    pub ticker: Option<FactSource>,
    pub company: FactSource,
    pub title: FactSource,
    pub fiscal_period: FactSource,
    /// `None` when no source gives the date.
    pub call_date: Option<FactSource>,
}

/// The kinds of editorial block a publisher prints around a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditorialKind {
    Takeaways,
    Risks,
    Summary,
    Glossary,
    /// Editorial text whose heading the copy lost (some downloaders drop headings but keep the blocks).
    Unlabelled,
}

impl EditorialKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EditorialKind::Takeaways => "takeaways",
            EditorialKind::Risks => "risks",
            EditorialKind::Summary => "summary",
            EditorialKind::Glossary => "glossary",
            EditorialKind::Unlabelled => "unlabelled",
        }
    }
}

/// One item (paragraph, bullet or glossary entry) of an editorial block.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EditorialItem {
    pub kind: EditorialKind,
    /// The block's heading as written, if the file kept it.
    pub heading: Option<String>,
    /// 1-based order of the block in the file.
    pub block: usize,
    pub text: String,
    pub line: usize,
}

/// A stretch of the file read and deliberately not stored as speech.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DroppedBlock {
    /// What it was: `advertising`, `contents`, `editorial`, `footer`, `page furniture`, `unattributed speech`, …
    pub kind: &'static str,
    pub first_line: usize,
    pub lines: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Company {
    /// `None` when neither the text, the file name nor the companies file gives it: never made up.
    pub ticker: Option<String>,
    pub name: String,
    /// Exchange when the header gives it (`NASDAQ:BBBY`); the price-move form carries none.
    pub exchange: Option<String>,
}

/// When the call took place: its local date, and the time of day when a source states one.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CallTime {
    pub local_date: NaiveDate,
    /// `None` when only the date is known (a file name's `{date}`, a date line without a time): never made up.
    pub clock: Option<Clock>,
}

/// The printed time of day, its zone, and the absolute instant they make with the date.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Clock {
    pub local_time: NaiveTime,
    /// IANA zone the printed abbreviation stands for, e.g. `America/New_York` for `ET`.
    pub timezone: String,
    /// The abbreviation as printed, e.g. `ET`.
    pub zone_abbrev: String,
    pub starts_at_utc: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Operator,
    Executive,
    InvestorRelations,
    Analyst,
    Unknown,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Executive => "executive",
            Role::InvestorRelations => "investor_relations",
            Role::Analyst => "analyst",
            Role::Unknown => "unknown",
        }
    }

    /// The role as stored in the archive; anything else is `Unknown`.
    pub fn parse(s: &str) -> Role {
        match s {
            "operator" => Role::Operator,
            "executive" => Role::Executive,
            "investor_relations" => Role::InvestorRelations,
            "analyst" => Role::Analyst,
            _ => Role::Unknown,
        }
    }

    /// Company-side speakers: their Q&A turns are answers.
    pub fn is_company_side(self) -> bool {
        matches!(self, Role::Executive | Role::InvestorRelations)
    }
}

/// One speaker's appearance in one call.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Participant {
    /// The name as written on the speaker line or list entry.
    pub name: String,
    /// Title as written (`Chief Financial Officer`); `Analyst` for `Name -- Firm -- Analyst`.
    pub title: Option<String>,
    /// The analyst's firm as written (`KeyBanc Capital Markets.`).
    pub firm: Option<String>,
    pub role: Role,
    /// True when the person is an entry of the `Call participants:` list.
    pub listed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    PreparedRemarks,
    Qa,
}

impl SectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::PreparedRemarks => "prepared_remarks",
            SectionKind::Qa => "qa",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnKind {
    Operator,
    Remarks,
    Question,
    Answer,
}

impl TurnKind {
    /// The kind as stored in the archive; anything else is `Remarks`.
    pub fn parse(s: &str) -> TurnKind {
        match s {
            "operator" => TurnKind::Operator,
            "question" => TurnKind::Question,
            "answer" => TurnKind::Answer,
            _ => TurnKind::Remarks,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TurnKind::Operator => "operator",
            TurnKind::Remarks => "remarks",
            TurnKind::Question => "question",
            TurnKind::Answer => "answer",
        }
    }
}

/// One uninterrupted stretch of speech by one speaker.
#[derive(Debug, Clone, Serialize)]
pub struct Turn {
    pub section: SectionKind,
    /// The section heading as written (`Questions & Answers:`).
    pub section_heading: String,
    /// Index into [`Transcript::participants`]; `None` for unattributed speech (a call kept as whole-call blocks,
    /// where no speaker is known and none is ever invented).
    pub participant: Option<usize>,
    /// The speaker line exactly as written (`Maya -- JPMorgan -- Analyst`, or a bare `Elyse Greenspan`); in
    /// layouts that write `Name: speech`, the label before the colon.
    pub speaker_line: String,
    /// The name part of the speaker line as written (`Maya`).
    pub speaker_name: String,
    /// Title part of the speaker line as written (everything after the first `--` separator), if any.
    pub title_as_written: Option<String>,
    pub paragraphs: Vec<String>,
    pub kind: TurnKind,
    /// 1-based line of the speaker line in the source file.
    pub line: usize,
    /// Whitespace-separated tokens of the speech, counted once by the parser (see [`Turn::count_words`]).
    pub word_count: usize,
}

impl Turn {
    /// The speech as stored: paragraphs joined by one blank line.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// Whitespace-separated tokens, the same count `wc -w` would give.
    pub fn words(&self) -> usize {
        self.word_count
    }

    /// Counts the words of the paragraphs into [`Turn::word_count`]; parsers call it once a turn is complete.
    pub fn count_words(&mut self) {
        self.word_count = self.paragraphs.iter().map(|p| count_words(p)).sum();
    }

    /// Bracketed annotations such as `[Operator Instructions]`, with their byte offsets in [`Turn::text`].
    pub fn annotations(&self) -> Vec<(usize, String)> {
        annotations_in(&self.text())
    }
}

/// Whitespace-separated tokens of `text`, exactly as `str::split_whitespace` counts them, reading bytes: every
/// non-ASCII whitespace character starts with byte C2, E1, E2 or E3, so only characters starting so are decoded.
pub fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut words, mut in_word, mut i) = (0, false, 0);
    while i < bytes.len() {
        let (space, len) = match bytes[i] {
            b @ 0..=0x7f => (matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' '), 1),
            0xc2 | 0xe1 | 0xe2 | 0xe3 => {
                let c = text[i..].chars().next().expect("a character starts here");
                (c.is_whitespace(), c.len_utf8())
            }
            // Any other byte is part of a character that is not whitespace.
            _ => (false, 1),
        };
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
        i += len;
    }
    words
}

/// Finds `[...]` annotations (no nesting, at most 80 characters inside) in a text.
pub fn annotations_in(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find('[') {
        let start = rest + open;
        let Some(close) = text[start + 1..].find([']', '[']) else {
            break;
        };
        let end = start + 1 + close;
        if text.as_bytes()[end] == b']' {
            let inner = text[start + 1..end].trim();
            if !inner.is_empty() && inner.chars().count() <= 80 {
                found.push((start, inner.to_string()));
            }
            rest = end + 1;
        } else {
            rest = end;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "   ",
            "one",
            "Revenue grew 5% \u{2014} a record\tquarter.\n\nNext",
            "no\u{a0}break\u{2003}em\u{3000}ideographic\u{1680}ogham\u{2028}line\u{85}next",
            "caf\u{e9} \u{201c}quoted\u{201d} \u{2026} \u{feff}x \u{1c}y",
        ] {
            assert_eq!(count_words(text), text.split_whitespace().count(), "{text:?}");
        }
    }

    #[test]
    fn annotations_are_found_with_offsets() {
        let text = "[Operator Instructions] Our first question is from Jo [Phonetic] at Acme. [unclosed";
        let found = annotations_in(text);
        assert_eq!(found, vec![(0, "Operator Instructions".to_string()), (54, "Phonetic".to_string())]);
    }
}
