//! A decoded file as layouts see it: its non-empty lines, and the facts that stand around the transcript rather
//! than in it (a downloader's metadata block, a saved page's address, what the file name says).

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::companies::CompanyDirectory;
use super::html::Page;
use super::{ParseError, ParseOptions};

/// One non-empty line of the file, trimmed, with its 1-based line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block<'a> {
    pub line: usize,
    pub text: &'a str,
}

/// Splits text into its non-empty, trimmed lines.
pub fn blocks(text: &str) -> Vec<Block<'_>> {
    text.lines()
        .enumerate()
        .map(|(i, l)| Block { line: i + 1, text: l.trim() })
        .filter(|b| !b.text.is_empty())
        .collect()
}

/// The `Key: value` lines a downloader wrote before the transcript, between two fences of `=` signs:
/// ```text
/// ======================================================================
/// Earnings Call Transcript
/// Company: MongoDB (MongoDB)
/// Ticker: MDB
/// Quarter: Q1 2025
/// URL: https://www.fool.com/earnings/call-transcripts/2024/05/31/mongodb-mdb-q1-2025-earnings-call-transcript/
/// ======================================================================
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetadataBlock {
    /// Keys in lower case, values as written.
    pub fields: HashMap<String, String>,
    /// 1-based lines of the opening and closing fences.
    pub first_line: usize,
    pub last_line: usize,
}

impl MetadataBlock {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str).filter(|v| !v.is_empty())
    }
}

static FENCE_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^={10,}$").expect("valid regex"));
static FIELD_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<key>[A-Za-z][A-Za-z _\-]{0,30}):\s*(?P<value>.*)$").expect("valid regex"));

/// Finds a metadata block among the first lines: a fence, `Key: value` lines (and a title line), a fence.
fn metadata_block(blocks: &[Block]) -> Option<(MetadataBlock, usize)> {
    let open = blocks.iter().take(5).position(|b| FENCE_RE.is_match(b.text))?;
    let close = blocks.iter().enumerate().skip(open + 1).take(40).find(|(_, b)| FENCE_RE.is_match(b.text))?.0;
    let mut fields = HashMap::new();
    for b in &blocks[open + 1..close] {
        if let Some(c) = FIELD_RE.captures(b.text) {
            fields.insert(c["key"].trim().to_lowercase(), c["value"].trim().to_string());
        }
    }
    // A fenced block without fields is a decoration, not metadata.
    (!fields.is_empty())
        .then(|| (MetadataBlock { fields, first_line: blocks[open].line, last_line: blocks[close].line }, close + 1))
}

/// Facts read from a file name with the user's [`NamePattern`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileNameFacts {
    pub ticker: Option<String>,
    pub company: Option<String>,
    pub year: Option<i32>,
    pub quarter: Option<u8>,
    pub date: Option<chrono::NaiveDate>,
}

/// Facts a dataset record or API response states about the call beside its text (`ticker`, `year`, `quarter`,
/// `date`, …), read by [`crate::source`]. They come before the file name and after the text: a layout's own header
/// wins, and a disagreement between the two is a warning.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct RecordFacts {
    pub ticker: Option<String>,
    pub company: Option<String>,
    pub year: Option<i32>,
    pub quarter: Option<u8>,
    /// The call's date, with its time of day when the record states one with a zone or as an instant.
    pub schedule: Option<crate::model::CallTime>,
    pub title: Option<String>,
    pub url: Option<String>,
}

impl RecordFacts {
    pub fn is_empty(&self) -> bool {
        *self == RecordFacts::default()
    }
}

/// How the user's file names are built: `{ticker}_{year}_Q{quarter}_*.txt`.
///
/// Placeholders: `{ticker}`, `{date}` (YYYY-MM-DD), `{year}`, `{quarter}` (one digit), `{company}` (underscores
/// read as spaces) and `*` (anything). Everything else must match literally. The whole file name must match.
#[derive(Debug, Clone)]
pub struct NamePattern {
    pub pattern: String,
    regex: Regex,
}

impl NamePattern {
    pub fn new(pattern: &str) -> Result<NamePattern, ParseError> {
        let bad = |why: &str| ParseError::NamePattern { pattern: pattern.to_string(), why: why.to_string() };
        let mut re = String::from("^");
        let mut rest = pattern;
        let mut seen = Vec::new();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let end = after.find('}').ok_or_else(|| bad("a `{` without its `}`"))?;
                let name = &after[..end];
                let group = match name {
                    "ticker" => r"(?P<ticker>[A-Za-z0-9][A-Za-z0-9.\-]{0,11}?)",
                    "date" => r"(?P<date>\d{4}-\d{2}-\d{2})",
                    "year" => r"(?P<year>\d{4})",
                    "quarter" => r"(?P<quarter>[1-4])",
                    "company" => r"(?P<company>.+?)",
                    other => {
                        return Err(bad(&format!(
                            "unknown placeholder `{{{other}}}` (known: {{ticker}}, {{date}}, {{year}}, {{quarter}}, \
                             {{company}}, *)"
                        )))
                    }
                };
                if seen.contains(&name) {
                    return Err(bad(&format!("`{{{name}}}` appears twice")));
                }
                seen.push(name);
                re.push_str(group);
                rest = &after[end + 1..];
            } else if let Some(after) = rest.strip_prefix('*') {
                re.push_str(".*?");
                rest = after;
            } else {
                let c = rest.chars().next().expect("not empty");
                if c == '}' {
                    return Err(bad("a `}` without its `{`"));
                }
                re.push_str(&regex::escape(&c.to_string()));
                rest = &rest[c.len_utf8()..];
            }
        }
        re.push('$');
        if seen.is_empty() {
            return Err(bad("no placeholder: name at least one of {ticker}, {date}, {year}, {quarter}, {company}"));
        }
        let regex = Regex::new(&re).map_err(|e| bad(&e.to_string()))?;
        Ok(NamePattern { pattern: pattern.to_string(), regex })
    }

    /// The facts a file name holds, or `None` when the name does not match the pattern.
    pub fn read(&self, file_name: &str) -> Option<FileNameFacts> {
        let c = self.regex.captures(file_name)?;
        let date = match c.name("date") {
            Some(d) => Some(chrono::NaiveDate::parse_from_str(d.as_str(), "%Y-%m-%d").ok()?),
            None => None,
        };
        Some(FileNameFacts {
            ticker: c.name("ticker").map(|m| m.as_str().to_uppercase()),
            company: c.name("company").map(|m| m.as_str().replace('_', " ").trim().to_string()),
            year: c.name("year").and_then(|m| m.as_str().parse().ok()),
            quarter: c.name("quarter").and_then(|m| m.as_str().parse().ok()),
            date,
        })
    }
}

/// A decoded file ready for the layouts.
#[derive(Debug)]
pub struct Document<'a> {
    pub text: &'a str,
    /// Every non-empty line of the file.
    pub blocks: Vec<Block<'a>>,
    /// A downloader's metadata block, if the file starts with one.
    pub metadata: Option<MetadataBlock>,
    /// Index in `blocks` of the first line after the metadata block (0 without one).
    pub start: usize,
    /// The page address: the metadata block's URL or a saved page's canonical link.
    pub source_url: Option<String>,
    /// Facts the file name holds, when the user gave a pattern and the name matches it.
    pub file_facts: FileNameFacts,
    /// The file name, for messages.
    pub file_name: Option<String>,
    /// The pattern given for file names, for messages.
    pub name_pattern: Option<String>,
    /// True when a pattern was given and the file name matches it.
    pub name_matches: bool,
    /// True when the text came from a saved HTML page.
    pub from_html: bool,
    /// The user's companies file, for a ticker nothing else gives.
    pub companies: Option<&'a CompanyDirectory>,
    /// Facts the record that carried the text states (a dataset row, an API response).
    pub record: Option<&'a RecordFacts>,
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str, options: ParseOptions<'a>, page: Option<&Page>) -> Result<Document<'a>, ParseError> {
        let blocks = blocks(text);
        let (metadata, start) = match metadata_block(&blocks) {
            Some((m, start)) => (Some(m), start),
            None => (None, 0),
        };
        let file_name = options.path.and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned());
        let read = match (options.name_pattern, &file_name) {
            (Some(p), Some(name)) => p.read(name),
            _ => None,
        };
        let name_matches = read.is_some();
        let file_facts = read.unwrap_or_default();
        let source_url = metadata
            .as_ref()
            .and_then(|m| m.get("url").map(str::to_string))
            .or_else(|| page.and_then(|p| p.canonical_url.clone()))
            .or_else(|| options.record.and_then(|r| r.url.clone()));
        Ok(Document {
            text,
            blocks,
            metadata,
            start,
            source_url,
            file_facts,
            file_name,
            name_pattern: options.name_pattern.map(|p| p.pattern.clone()),
            name_matches,
            from_html: page.is_some(),
            companies: options.companies,
            record: options.record,
        })
    }

    /// The lines after the metadata block.
    pub fn content(&self) -> &[Block<'a>] {
        &self.blocks[self.start..]
    }

    /// A metadata field (`ticker`, `company`, `quarter`, `url`, …).
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.metadata.as_ref().and_then(|m| m.get(key))
    }

    /// The 1-based line of the last line of the file, for messages about where a file ends.
    pub fn last_line(&self) -> usize {
        self.blocks.last().map_or(1, |b| b.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_patterns_read_facts_from_file_names() {
        let p = NamePattern::new("{ticker}_{year}_Q{quarter}_*.txt").unwrap();
        let f = p.read("META_2025_Q4_7ea1de.txt").unwrap();
        assert_eq!((f.ticker.as_deref(), f.year, f.quarter), (Some("META"), Some(2025), Some(4)));
        assert!(p.read("META_2025_Q4_7ea1de.html").is_none());
        let p = NamePattern::new("{date}-{ticker}.txt").unwrap();
        let f = p.read("2010-01-14-INTC.txt").unwrap();
        assert_eq!(f.date.unwrap().to_string(), "2010-01-14");
        assert_eq!(f.ticker.as_deref(), Some("INTC"));
        let p = NamePattern::new("Q{quarter}_{year}_{company}_Earnings_Call.txt").unwrap();
        let f = p.read("Q3_2022_Extra_Space_Storage_Inc_Earnings_Call.txt").unwrap();
        assert_eq!(f.company.as_deref(), Some("Extra Space Storage Inc"));
        assert!(NamePattern::new("{tickr}.txt").unwrap_err().to_string().contains("unknown placeholder"));
        assert!(NamePattern::new("{ticker.txt").is_err());
        assert!(NamePattern::new("plain.txt").is_err());
        assert!(p.read("Q3_2022_x_Earnings_Call.txt").is_some());
        let dated = NamePattern::new("{date}.txt").unwrap();
        assert!(dated.read("2021-02-30.txt").is_none(), "an impossible date is no match");
    }

    #[test]
    fn metadata_block_is_read_and_skipped() {
        let text = "=====================\nEarnings Call Transcript\nCompany: Acme (Acme)\nTicker: ACME\n\
                    URL: https://example.com/acme\n=====================\n\nAcme(ACME+1.00%)Q1 2025 Earnings Call";
        let doc = Document::new(text, ParseOptions::default(), None).unwrap();
        assert_eq!(doc.meta("ticker"), Some("ACME"));
        assert_eq!(doc.source_url.as_deref(), Some("https://example.com/acme"));
        assert_eq!(doc.content()[0].text, "Acme(ACME+1.00%)Q1 2025 Earnings Call");
    }
}
