//! The user's companies file: company names mapped to tickers, for publishers whose copies name the company but
//! not its ticker (StreetEvents prints none; Capital IQ-style copies neither ticker nor date).
//!
//! A CSV file with a `name,ticker` header line (the header is optional) and one company a line:
//! ```text
//! name,ticker
//! Intel Corporation,INTC
//! "Zillow Group, Inc.",Z
//! ```
//! Names match however the publisher spells the corporate form (`Zillow Group, Inc.` = `Zillow Group`; see
//! [`organization_key`]). Companies' own PDFs often use a brand instead of the registered name, so a name that
//! matches no line exactly still matches one line, and only one, by its brand: the brand starting the name
//! (`Citi` = `Citigroup Inc.`) or its initials (`TD Bank Group` = `The Toronto-Dominion Bank`). A brand two lines
//! share matches neither; list it on a line of its own (`Citi,C`) to settle it. The file is consulted last: a
//! ticker in the text, the metadata block or the file name always wins.

use std::collections::HashMap;
use std::path::Path;

use super::names::organization_key;

/// Why a companies file cannot be used. Every variant names the file and, where known, the line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompaniesFileError {
    #[error("companies file {path}: {why}")]
    Unreadable { path: String, why: String },
    #[error("companies file {path}, line {line}: {why}")]
    BadLine { path: String, line: u64, why: String },
}

/// Company names (as compared across spellings) mapped to tickers.
#[derive(Debug, Clone, Default)]
pub struct CompanyDirectory {
    by_name: HashMap<String, (String, u64)>,
}

impl CompanyDirectory {
    /// Reads a companies file.
    pub fn from_path(path: &Path) -> Result<CompanyDirectory, CompaniesFileError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| CompaniesFileError::Unreadable { path: shown.clone(), why: e.to_string() })?;
        let text = String::from_utf8(bytes)
            .map_err(|e| CompaniesFileError::Unreadable { path: shown.clone(), why: format!("not UTF-8: {e}") })?;
        CompanyDirectory::parse(&text, &shown)
    }

    /// Reads companies from CSV text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<CompanyDirectory, CompaniesFileError> {
        let bad = |line: u64, why: String| CompaniesFileError::BadLine { path: origin.to_string(), line, why };
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut by_name = HashMap::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| bad(i as u64 + 1, e.to_string()))?;
            let line = record.position().map_or(i as u64 + 1, |p| p.line());
            let fields: Vec<&str> = record.iter().map(str::trim).collect();
            if fields.iter().all(|f| f.is_empty()) {
                continue;
            }
            if i == 0 && fields.len() == 2 && fields[0].eq_ignore_ascii_case("name") {
                continue;
            }
            let [name, ticker] = fields[..] else {
                return Err(bad(line, format!("expected `name,ticker`, found {} fields", fields.len())));
            };
            let valid = !ticker.is_empty()
                && ticker.len() <= 12
                && ticker.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            if !valid {
                return Err(bad(line, format!("`{ticker}` is not a ticker (letters, digits, `.` and `-`)")));
            }
            let key = organization_key(name);
            if key.is_empty() {
                return Err(bad(line, "the company name is empty".into()));
            }
            let ticker = ticker.to_uppercase();
            if let Some((other, other_line)) = by_name.get(&key) {
                if *other != ticker {
                    return Err(bad(
                        line,
                        format!("`{name}` is already mapped to {other} on line {other_line}; one company, one ticker"),
                    ));
                }
            }
            by_name.insert(key, (ticker, line));
        }
        Ok(CompanyDirectory { by_name })
    }

    /// The ticker of a company as a transcript names it: its line in the file, else the one line its brand
    /// matches (see the module notes).
    pub fn ticker_for(&self, company: &str) -> Option<&str> {
        let key = organization_key(company);
        if let Some((ticker, _)) = self.by_name.get(&key) {
            return Some(ticker);
        }
        let initials = company
            .split_whitespace()
            .next()
            .filter(|w| (2..=5).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase()));
        let mut found: Option<&str> = None;
        for (listed, (ticker, _)) in &self.by_name {
            if same_brand(&key, listed) || initials.is_some_and(|i| initials_match(i, &key, listed)) {
                match found {
                    Some(other) if other != ticker => return None,
                    _ => found = Some(ticker),
                }
            }
        }
        found
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

/// Words a brand adds to its initials that a registered name need not hold (`TD Bank Group`).
const BRAND_WORDS: &[&str] = &["group", "holdings", "company", "companies", "financial"];

/// One name a single word of at least four letters that begins the other's first word: `citi` / `citigroup`,
/// `jpmorgan` / `jpmorgan chase`.
fn same_brand(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let first = long.split_whitespace().next().unwrap_or("");
    !short.contains(' ') && short.len() >= 4 && short != long && first.starts_with(short)
}

/// `TD Bank Group` and `toronto-dominion bank`: the brand's first word (`TD`) spells the initials of the listed
/// name's first words (hyphenated words counted apart), and its other words are the listed name's or brand words.
fn initials_match(initials: &str, brand_key: &str, listed: &str) -> bool {
    let words: Vec<&str> = listed.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect();
    let spelled: String = words.iter().take(initials.len()).filter_map(|w| w.chars().next()).collect();
    let listed_words: Vec<&str> = listed.split_whitespace().collect();
    spelled == initials.to_lowercase()
        && words.len() > initials.len()
        && brand_key.split_whitespace().skip(1).all(|w| listed_words.contains(&w) || BRAND_WORDS.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_across_corporate_forms() {
        let d = CompanyDirectory::parse("name,ticker\nIntel Corporation,intc\n\"Zillow Group, Inc.\",Z\n", "c.csv")
            .unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d.ticker_for("Intel Corp"), Some("INTC"));
        assert_eq!(d.ticker_for("Zillow Group"), Some("Z"));
        assert_eq!(d.ticker_for("Intuit"), None);
    }

    #[test]
    fn brands_match_the_one_line_they_name() {
        let d = CompanyDirectory::parse(
            "Citigroup Inc.,C\nThe Toronto-Dominion Bank,TD\nJPMorgan Chase & Co.,JPM\nApple Inc.,AAPL\n",
            "c.csv",
        )
        .unwrap();
        assert_eq!(d.ticker_for("Citi"), Some("C"));
        assert_eq!(d.ticker_for("TD Bank Group"), Some("TD"));
        assert_eq!(d.ticker_for("Toronto-Dominion Bank"), Some("TD"));
        assert_eq!(d.ticker_for("JPMorgan"), Some("JPM"));
        assert_eq!(d.ticker_for("App"), None, "too short to be a brand");
        assert_eq!(d.ticker_for("Applied Materials"), None);
        assert_eq!(d.ticker_for("TB Bank Group"), None);
        // A brand two lines share names neither.
        let d = CompanyDirectory::parse("Citigroup Inc.,C\nCitizens Financial Group,CFG\n", "c.csv").unwrap();
        assert_eq!(d.ticker_for("Citi"), None);
        assert_eq!(d.ticker_for("Citizens Financial Group, Inc."), Some("CFG"));
    }

    #[test]
    fn bad_lines_are_named() {
        let e = CompanyDirectory::parse("Acme,ACME\nBeta Corp\n", "c.csv").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = CompanyDirectory::parse("Acme,ACME\nAcme Inc.,ACM\n", "c.csv").unwrap_err();
        assert!(e.to_string().contains("already mapped to ACME on line 1"), "{e}");
        let e = CompanyDirectory::parse("Acme,AC ME\n", "c.csv").unwrap_err();
        assert!(e.to_string().contains("not a ticker"), "{e}");
    }
}
