//! Turning transcript files into [`Transcript`]s.
//!
//! A file goes through the same stages whatever its layout:
//! 1. [`text`] decodes the bytes (UTF-8, UTF-16, Windows-1252) and normalizes line ends, spaces and control
//!    characters; a saved page goes through [`html`] first, which turns it into text block by block.
//! 2. [`document`] splits the text into non-empty lines and reads what downloaders put around a transcript (a
//!    `=====`-fenced metadata block, the page address) and what the user says file names hold ([`NamePattern`]).
//! 3. Every layout in [`LAYOUTS`] scores how well the file fits; the best fit reads it. A layout module only finds
//!    what is specific to it: where the header is and what it says, where speech starts and ends, which lines are
//!    candidate speaker lines, which blocks are not speech.
//! 4. The rules that hold for every layout live once: [`header`] (dates, fiscal periods, company lines, where each
//!    fact came from), [`speakers`] (speaker-line evidence, name / title / firm splitting, roles), [`turns`] (turns,
//!    where Q&A begins, turn kinds) and [`names`].
//!
//! A file no layout fits gets an error saying what it looks like ([`sniff`]).

pub mod callstreet;
pub mod capiq;
pub mod companies;
pub mod document;
pub mod fool_2025;
pub mod fool_classic;
pub mod header;
pub mod html;
pub mod name_speech;
pub mod names;
pub mod seekingalpha;
pub mod sniff;
pub mod speakers;
pub mod spoken;
pub mod streetevents;
pub mod text;
pub mod turns;
pub mod whole_call;

use std::path::Path;

pub use companies::{CompaniesFileError, CompanyDirectory};
pub use document::{Document, NamePattern, RecordFacts};

use crate::model::Transcript;

/// Version of the parsing rules, stored with every call so an archive can tell which rules read it.
pub const PARSER_VERSION: &str = concat!("calldb-", env!("CARGO_PKG_VERSION"), "/parser-2");

/// Why a file could not be read as a transcript. Every variant names the 1-based line where known.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    #[error("line {line}: {expected}")]
    Malformed { line: usize, expected: String },
    #[error("not a transcript in a layout calldb reads: {0}")]
    UnknownLayout(String),
    #[error("{0}")]
    Encoding(String),
    /// A header fact (ticker, fiscal period, date) that neither the text nor the file name gives.
    #[error("{0}")]
    MissingFact(String),
    #[error("file too large: {size} bytes, over the limit of {limit} bytes for one transcript")]
    TooLarge { size: usize, limit: usize },
    /// The file ends before its layout's closing blocks (an interrupted download).
    #[error(
        "line {line}: the transcript ends here, before its closing blocks (for {layout}: {}): truncated, not archived \
         as a whole call (--allow-truncated archives it flagged as incomplete)",
        closing_blocks(layout)
    )]
    Truncated { line: usize, layout: &'static str },
    #[error("invalid --name-pattern `{pattern}`: {why}")]
    NamePattern { pattern: String, why: String },
    /// A file that is about a call but is not its verbatim transcript (a StreetEvents Event Brief): never archived
    /// as a transcript.
    #[error("{0}")]
    NotATranscript(String),
    /// A PDF whose text cannot be read (encrypted, image-only, damaged).
    #[error("{0}")]
    Pdf(String),
}

impl ParseError {
    pub fn line(&self) -> Option<usize> {
        match self {
            ParseError::Malformed { line, .. } | ParseError::Truncated { line, .. } => Some(*line),
            _ => None,
        }
    }

    pub(crate) fn at(line: usize, expected: impl Into<String>) -> Self {
        ParseError::Malformed { line, expected: expected.into() }
    }
}

/// What a whole transcript of a layout ends with, for the truncation message.
fn closing_blocks(layout: &str) -> &'static str {
    match layout {
        "fool-classic" => "a `Duration:` line or the `Call participants:` list",
        "fool-2025" => "fool.com's closing disclaimer, or the call's sign-off",
        "streetevents" => "the `Definitions` / `Disclaimer` blocks",
        "capiq" => "the `DISCLAIMER` block",
        _ => "its closing blocks",
    }
}

/// The largest file read as one transcript. Real transcripts are 20 KB – 1 MB; anything far beyond is not one
/// call and would only cost memory and time.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

/// A transcript layout: scores how well a file fits it, and reads the files it fits best.
pub trait SourceLayout: Sync {
    /// Short stable name stored with each call (`fool-classic`).
    fn name(&self) -> &'static str;
    /// How well the file fits this layout, from the evidence in its text: 0 = not this layout. Scores of
    /// different layouts are compared, so each counts the same kinds of evidence (a header it recognizes: 10;
    /// each structural marker: a few points).
    fn score(&self, doc: &Document) -> u32;
    /// The highest score [`SourceLayout::score`] can give. A layout whose best cannot beat the best score already
    /// found is not scored: reading a file for one layout's evidence can cost as much as parsing it. Unbounded unless
    /// the layout says otherwise.
    fn max_score(&self) -> u32 {
        u32::MAX
    }
    /// Full parse. Errors name the line and what was expected there.
    fn parse(&self, doc: &Document) -> Result<Transcript, ParseError>;
}

/// Every layout calldb reads.
pub static LAYOUTS: &[&dyn SourceLayout] = &[
    &fool_classic::FoolClassic,
    &fool_2025::Fool2025,
    &streetevents::StreetEvents,
    &capiq::CapitalIq,
    &callstreet::CallStreet,
    &seekingalpha::SeekingAlpha,
    &name_speech::NameSpeech,
    &whole_call::WholeCall,
];

/// Names of the layouts calldb reads, for messages.
pub fn layout_names() -> Vec<&'static str> {
    LAYOUTS.iter().map(|l| l.name()).collect()
}

/// What the caller knows about a file beyond its bytes.
#[derive(Debug, Default, Clone, Copy)]
pub struct ParseOptions<'a> {
    /// The file's path: its name may hold facts the text lacks (with `name_pattern`), and `.html` / `.htm` files
    /// are read as saved pages.
    pub path: Option<&'a Path>,
    /// How the user's file names are built (`{ticker}_{year}_Q{quarter}_*.txt`).
    pub name_pattern: Option<&'a NamePattern>,
    /// Company names mapped to tickers, for a ticker neither the text nor the file name gives.
    pub companies: Option<&'a CompanyDirectory>,
    /// Facts the record that carried the text states (a dataset row or API response), before the file name's.
    pub record: Option<&'a RecordFacts>,
}

/// Decodes raw file bytes and parses them with the layout that fits them best.
///
/// Decoding warnings (e.g. a Windows-1252 file) are carried into [`Transcript::warnings`].
///
/// ```
/// let text = "Acme Corp (NASDAQ:ACME)\nQ2 2021 Earnings Call\nJul 8, 2021, 10:00 a.m. ET\n\n\
///             Prepared Remarks:\n\nOperator\n\nWelcome.\n\n\
///             Jane Doe -- Chief Executive Officer\n\nRevenue grew.\n\nDuration: 5 minutes\n\n\
///             Call participants:\n\nJane Doe -- Chief Executive Officer\n";
/// let call = calldb::parse::parse_bytes(text.as_bytes()).unwrap();
/// assert_eq!(call.company.ticker.as_deref(), Some("ACME"));
/// assert_eq!((call.fiscal_quarter, call.fiscal_year), (2, 2021));
/// assert_eq!(call.turns.len(), 2);
/// assert_eq!(call.turns[1].speaker_line, "Jane Doe -- Chief Executive Officer");
/// assert_eq!(call.listed_participants(), 1);
/// ```
pub fn parse_bytes(bytes: &[u8]) -> Result<Transcript, ParseError> {
    parse_file(bytes, ParseOptions::default())
}

/// Parses one file: decoding, layout choice by score, the layout's reading and the shared rules.
pub fn parse_file(bytes: &[u8], options: ParseOptions) -> Result<Transcript, ParseError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ParseError::TooLarge { size: bytes.len(), limit: MAX_FILE_BYTES });
    }
    // A PDF's text comes out of its pages, furniture removed (`source::pdf`), and is read as any transcript text.
    if crate::source::pdf::is_pdf(bytes) {
        let pdf = crate::source::pdf::read(bytes).map_err(|e| ParseError::Pdf(e.to_string()))?;
        return parse_text(&pdf.text, options, Vec::new());
    }
    // Text has no control bytes beyond tab and line ends; a file where they are common is binary, whatever the
    // decoder would make of it.
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let control = head.iter().filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b) || b == 0x7f).count();
    if control * 100 > head.len() {
        return Err(ParseError::UnknownLayout(format!(
            "binary data, not text ({control} of the first {} bytes are control bytes)",
            head.len()
        )));
    }
    let is_html = options.path.is_some_and(html::has_html_extension) || html::looks_like_html(bytes);
    let decoded = text::decode(bytes)?;
    if !is_html {
        return parse_text(&decoded.text, options, decoded.warnings);
    }
    let page = Some(html::to_text(&decoded.text));
    // A page is read from its article body, or from its whole body when the header stands outside the article.
    let texts: Vec<&str> = match &page {
        Some(p) => vec![p.text.as_str(), p.body_text.as_str()],
        None => vec![decoded.text.as_str()],
    };
    // The article first; the whole page when the article does not read on its own.
    let mut first_error = None;
    for text in &texts {
        let doc = Document::new(text, options, page.as_ref())?;
        let result = match best_layout(&doc) {
            Some(layout) => layout.parse(&doc),
            None => Err(ParseError::UnknownLayout(sniff::describe(&doc))),
        };
        match result {
            Ok(transcript) => return Ok(finish(transcript, decoded.warnings.clone())),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.expect("at least one text was tried"))
}

/// The layout that fits the document best: the highest score above 0, the later layout of [`LAYOUTS`] on a tie. A
/// layout whose [`SourceLayout::max_score`] is below the best so far cannot win and is passed over unscored.
fn best_layout(doc: &Document) -> Option<&'static dyn SourceLayout> {
    let mut best: Option<(u32, &'static dyn SourceLayout)> = None;
    for &layout in LAYOUTS {
        if best.is_some_and(|(score, _)| layout.max_score() < score) {
            continue;
        }
        let score = layout.score(doc);
        if score > 0 && best.is_none_or(|(top, _)| score >= top) {
            best = Some((score, layout));
        }
    }
    best.map(|(_, layout)| layout)
}

/// Reads decoded text (a text file's, a PDF's) with the layout that fits it best.
fn parse_text(text: &str, options: ParseOptions, warnings: Vec<String>) -> Result<Transcript, ParseError> {
    let doc = Document::new(text, options, None)?;
    match best_layout(&doc) {
        Some(layout) => layout.parse(&doc).map(|t| finish(t, warnings)),
        None => Err(ParseError::UnknownLayout(sniff::describe(&doc))),
    }
}

/// Decoding warnings first, then the layout's; implausible header values flagged.
fn finish(mut transcript: Transcript, decoding: Vec<String>) -> Transcript {
    let mut warnings = decoding;
    warnings.append(&mut transcript.warnings);
    transcript.warnings = warnings;
    header::check_plausible(&mut transcript);
    transcript
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text file the project holds: its samples and its fictional fixtures in each layout.
    fn texts(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                texts(&path, out);
            } else if path.extension().is_some_and(|e| e == "txt") {
                out.push(path);
            }
        }
    }

    #[test]
    fn layouts_passed_over_unscored_could_not_have_won() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        texts(&root.join("samples"), &mut files);
        texts(&root.join("tests/fixtures"), &mut files);
        assert!(files.len() > 20, "the samples and fixtures are found: {}", files.len());
        let mut chosen = 0;
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            let Ok(decoded) = text::decode(&bytes) else { continue };
            let Ok(doc) = Document::new(&decoded.text, ParseOptions::default(), None) else { continue };
            let scores: Vec<u32> = LAYOUTS.iter().map(|l| l.score(&doc)).collect();
            for (layout, score) in LAYOUTS.iter().zip(&scores) {
                assert!(*score <= layout.max_score(), "{}: {} scores {score}", path.display(), layout.name());
            }
            // Every layout scored, the highest above 0 winning and the later one on a tie: the same choice.
            let every =
                LAYOUTS.iter().zip(&scores).filter(|(_, s)| **s > 0).max_by_key(|(_, s)| **s).map(|(l, _)| l.name());
            assert_eq!(best_layout(&doc).map(|l| l.name()), every, "{}", path.display());
            chosen += usize::from(every.is_some());
        }
        assert!(chosen > 20, "layouts were chosen for the fixtures: {chosen}");
    }
}
