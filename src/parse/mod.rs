//! Turning transcript files into [`Transcript`]s.
//!
//! Each source layout lives in its own module behind the [`SourceLayout`] trait; [`parse_bytes`] decodes the
//! raw bytes once ([`text`]) and hands the text to the first layout that recognizes it. Adding a layout means
//! adding a module and one entry to [`LAYOUTS`].

pub mod fool_classic;
pub mod names;
pub mod text;

use crate::model::Transcript;

/// Version of the parsing rules, stored with every call so an archive can tell which rules read it.
pub const PARSER_VERSION: &str = concat!("calldb-", env!("CARGO_PKG_VERSION"), "/parser-1");

/// Why a file could not be read as a transcript. Every variant names the 1-based line where known.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    #[error("line {line}: {expected}")]
    Malformed { line: usize, expected: String },
    #[error("not a transcript in a known layout: {0}")]
    UnknownLayout(String),
    #[error("{0}")]
    Encoding(String),
}

impl ParseError {
    pub fn line(&self) -> Option<usize> {
        match self {
            ParseError::Malformed { line, .. } => Some(*line),
            _ => None,
        }
    }

    pub(crate) fn at(line: usize, expected: impl Into<String>) -> Self {
        ParseError::Malformed { line, expected: expected.into() }
    }
}

/// A transcript layout: knows how to recognize its files and how to read them.
pub trait SourceLayout: Sync {
    /// Short stable name stored with each call (`fool-classic`).
    fn name(&self) -> &'static str;
    /// Cheap check on the decoded text: does this look like one of ours?
    fn recognizes(&self, text: &str) -> bool;
    /// Full parse. Errors name the line and what was expected there.
    fn parse(&self, text: &str) -> Result<Transcript, ParseError>;
}

/// Every layout calldb reads, most common first.
pub static LAYOUTS: &[&dyn SourceLayout] = &[&fool_classic::FoolClassic];

/// Decodes raw file bytes and parses them with the layout that recognizes them.
///
/// Decoding warnings (e.g. a Windows-1252 file) are carried into [`Transcript::warnings`].
///
/// ```
/// let text = "Acme Corp (NASDAQ:ACME)\nQ2 2021 Earnings Call\nJul 8, 2021, 10:00 a.m. ET\n\n\
///             Prepared Remarks:\n\nOperator\n\nWelcome.\n\n\
///             Jane Doe -- Chief Executive Officer\n\nRevenue grew.\n\nDuration: 5 minutes\n\n\
///             Call participants:\n\nJane Doe -- Chief Executive Officer\n";
/// let call = calldb::parse::parse_bytes(text.as_bytes()).unwrap();
/// assert_eq!(call.company.ticker, "ACME");
/// assert_eq!((call.fiscal_quarter, call.fiscal_year), (2, 2021));
/// assert_eq!(call.turns.len(), 2);
/// assert_eq!(call.turns[1].speaker_line, "Jane Doe -- Chief Executive Officer");
/// assert_eq!(call.listed_participants(), 1);
/// ```
pub fn parse_bytes(bytes: &[u8]) -> Result<Transcript, ParseError> {
    let decoded = text::decode(bytes)?;
    let layout = LAYOUTS.iter().find(|l| l.recognizes(&decoded.text)).ok_or_else(|| {
        ParseError::UnknownLayout(
            "expected a fool.com transcript: a company line such as `Acme Corp (NASDAQ:ACME)` followed by \
                 a call title and date, and a `Prepared Remarks:` section"
                .into(),
        )
    })?;
    let mut transcript = layout.parse(&decoded.text)?;
    transcript.warnings.splice(0..0, decoded.warnings);
    Ok(transcript)
}
