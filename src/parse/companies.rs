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
//! [`organization_key`]). The file is consulted last: a ticker in the text, the metadata block or the file name
//! always wins.

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

    /// The ticker of a company as a transcript names it.
    pub fn ticker_for(&self, company: &str) -> Option<&str> {
        self.by_name.get(&organization_key(company)).map(|(t, _)| t.as_str())
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
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
    fn bad_lines_are_named() {
        let e = CompanyDirectory::parse("Acme,ACME\nBeta Corp\n", "c.csv").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = CompanyDirectory::parse("Acme,ACME\nAcme Inc.,ACM\n", "c.csv").unwrap_err();
        assert!(e.to_string().contains("already mapped to ACME on line 1"), "{e}");
        let e = CompanyDirectory::parse("Acme,AC ME\n", "c.csv").unwrap_err();
        assert!(e.to_string().contains("not a ticker"), "{e}");
    }
}
