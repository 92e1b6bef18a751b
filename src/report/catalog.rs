//! Canned reports: one `.sql` file per report, with a header of `-- key: value` comment lines.
//!
//! ```sql
//! -- name: talk-time
//! -- title: Talk time
//! -- description: Words and share of the call's words, by role and by speaker, per call.
//! -- param: ticker | text | | Only calls of this ticker
//! -- param: limit | integer | 200 | Most rows to show
//! -- chart: bar | label | words
//! SELECT ...
//! ```
//! A parameter line is `name | type | default | description` (types: text, integer, real, date, timestamp, or
//! `one of a, b` for a text that must be one of the listed words; an empty default means NULL, i.e. "no filter"). The reports in `sql/reports/` are embedded in the binary; a user
//! folder adds reports or overrides them by name without recompiling.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use serde::Serialize;

use super::chart::ChartSpec;

/// Reports shipped in the binary, from `sql/reports/`.
const EMBEDDED: &[(&str, &str)] = &[
    ("calls.sql", include_str!("../../sql/reports/calls.sql")),
    ("talk-time.sql", include_str!("../../sql/reports/talk-time.sql")),
    ("analyst-coverage.sql", include_str!("../../sql/reports/analyst-coverage.sql")),
    ("executive-roster.sql", include_str!("../../sql/reports/executive-roster.sql")),
    ("qa-depth.sql", include_str!("../../sql/reports/qa-depth.sql")),
    ("import-log.sql", include_str!("../../sql/reports/import-log.sql")),
    ("qa-exchanges.sql", include_str!("../../sql/reports/qa-exchanges.sql")),
    ("metric-mentions.sql", include_str!("../../sql/reports/metric-mentions.sql")),
    ("term-trend.sql", include_str!("../../sql/reports/term-trend.sql")),
    ("guidance-changes.sql", include_str!("../../sql/reports/guidance-changes.sql")),
];

/// Environment variable naming the user's report folder when `--reports-dir` is not given.
pub const REPORTS_DIR_ENV: &str = "CALLDB_REPORTS_DIR";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    Text,
    Integer,
    Real,
    Date,
    Timestamp,
}

impl ParamType {
    fn parse(s: &str) -> Option<ParamType> {
        Some(match s {
            "text" => ParamType::Text,
            "integer" | "int" => ParamType::Integer,
            "real" | "number" => ParamType::Real,
            "date" => ParamType::Date,
            "timestamp" | "datetime" => ParamType::Timestamp,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::Text => "text",
            ParamType::Integer => "integer",
            ParamType::Real => "real",
            ParamType::Date => "date",
            ParamType::Timestamp => "timestamp",
        }
    }

    /// Converts a textual value to the SQLite value the report expects, or says why it cannot.
    pub fn convert(self, raw: &str) -> Result<Value, String> {
        match self {
            ParamType::Text => Ok(Value::Text(raw.to_string())),
            ParamType::Integer => raw.trim().parse().map(Value::Integer).map_err(|_| "an integer".to_string()),
            ParamType::Real => raw
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Value::Real)
                .ok_or_else(|| "a number".to_string()),
            ParamType::Date => chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
                .map(|d| Value::Text(d.format("%Y-%m-%d").to_string()))
                .map_err(|_| "a date YYYY-MM-DD".to_string()),
            ParamType::Timestamp => {
                let t = raw.trim();
                let ok = chrono::DateTime::parse_from_rfc3339(t).is_ok()
                    || chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok();
                if ok {
                    Ok(Value::Text(t.to_string()))
                } else {
                    Err("an ISO 8601 instant such as 2021-05-04T21:00:00Z or a date YYYY-MM-DD".to_string())
                }
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ParamType,
    /// `None` means NULL: the filter is off unless given.
    pub default: Option<String>,
    /// Must be given (header default `required`).
    pub required: bool,
    pub description: String,
    /// The only values a `one of a, b` parameter takes (empty: any value of its type).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
}

impl Param {
    /// Types a value given as text, or says what was wanted.
    fn convert(&self, raw: &str) -> Result<Value, String> {
        if self.choices.is_empty() {
            return self.kind.convert(raw);
        }
        let raw = raw.trim();
        match self.choices.iter().find(|c| c.eq_ignore_ascii_case(raw)) {
            Some(c) => Ok(Value::Text(c.clone())),
            None => Err(format!("one of {}", self.choices.join(", "))),
        }
    }

    /// The type as `report show` and usage lines say it: `text`, or `calendar|fiscal`.
    pub fn type_name(&self) -> String {
        if self.choices.is_empty() {
            self.kind.as_str().to_string()
        } else {
            self.choices.join("|")
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub name: String,
    pub title: String,
    pub description: String,
    pub params: Vec<Param>,
    pub chart: Option<ChartSpec>,
    /// The report is about who spoke (header `-- speakers: required`): calls whose speakers are not known
    /// (whole-call blocks) cannot be in it, and its output says how many were left out.
    pub needs_speakers: bool,
    pub sql: String,
    /// `built-in` or the file it was read from.
    pub origin: String,
}

/// The footnotes a report's output carries: for a report about who spoke, how many calls (of the ticker asked for,
/// if any) it leaves out because their speakers are not known.
pub fn notes(conn: &rusqlite::Connection, report: &Report, bound: &[(String, Value)]) -> rusqlite::Result<Vec<String>> {
    if !report.needs_speakers {
        return Ok(Vec::new());
    }
    let ticker = bound.iter().find(|(n, _)| n == "ticker").map(|(_, v)| v.clone()).unwrap_or(Value::Null);
    let left_out: i64 = conn.query_row(
        "SELECT count(*) FROM calls c JOIN companies co USING (company_id)
         WHERE c.speakers_known = 0 AND (?1 IS NULL OR co.ticker = upper(?1))",
        [ticker],
        |r| r.get(0),
    )?;
    Ok(match left_out {
        0 => Vec::new(),
        1 => vec!["1 call whose speakers are not known (kept as whole-call blocks) is left out of this report.".into()],
        n => vec![format!(
            "{n} calls whose speakers are not known (kept as whole-call blocks) are left out of this report."
        )],
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{origin}:{line}: {message}")]
    BadHeader { origin: String, line: usize, message: String },
    #[error("unknown report `{name}`{suggestion}; available: {available}")]
    Unknown { name: String, suggestion: String, available: String },
    #[error("report `{report}`: {message}\n{usage}")]
    BadParams { report: String, message: String, usage: String },
    #[error("reading report folder {0}")]
    Io(String),
}

impl Report {
    /// Parses a report file: header lines first, SQL after.
    pub fn parse(text: &str, origin: &str) -> Result<Report, ReportError> {
        let bad = |line: usize, message: String| ReportError::BadHeader { origin: origin.to_string(), line, message };
        let mut fields: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
        let mut params = Vec::new();
        let mut chart = None;
        let mut needs_speakers = false;
        for (i, line) in text.lines().enumerate() {
            let Some(comment) = line.trim().strip_prefix("--") else {
                break;
            };
            let Some((key, value)) = comment.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim(), value.trim());
            match key {
                "name" | "title" | "description" => {
                    fields.insert(key, (i + 1, value));
                }
                "param" => {
                    let parts: Vec<&str> = value.split('|').map(str::trim).collect();
                    if parts.len() < 2 || parts[0].is_empty() {
                        return Err(bad(i + 1, "a parameter is `name | type | default | description`".into()));
                    }
                    let choices: Vec<String> = parts[1]
                        .strip_prefix("one of ")
                        .map(|list| list.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect())
                        .unwrap_or_default();
                    let kind = if choices.is_empty() { ParamType::parse(parts[1]) } else { Some(ParamType::Text) };
                    let kind = kind.ok_or_else(|| {
                        bad(
                            i + 1,
                            format!(
                                "unknown parameter type `{}` (text, integer, real, date, timestamp, one of a, b)",
                                parts[1]
                            ),
                        )
                    })?;
                    let required = parts.get(2) == Some(&"required");
                    let default = parts.get(2).filter(|d| !d.is_empty() && !required).map(|d| d.to_string());
                    let param = Param {
                        name: parts[0].to_string(),
                        kind,
                        default,
                        required,
                        description: parts.get(3).unwrap_or(&"").to_string(),
                        choices,
                    };
                    if let Some(d) = &param.default {
                        param
                            .convert(d)
                            .map_err(|want| bad(i + 1, format!("default `{d}` of `{}` is not {want}", parts[0])))?;
                    }
                    params.push(param);
                }
                "chart" => {
                    chart = Some(ChartSpec::parse(value).map_err(|m| bad(i + 1, m))?);
                }
                "speakers" => needs_speakers = value == "required",
                _ => {}
            }
        }
        let name = fields
            .get("name")
            .map(|v| v.1.to_string())
            .ok_or_else(|| bad(1, "the header needs a `-- name: report-name` line".into()))?;
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(bad(fields["name"].0, format!("report name `{name}` may only use letters, digits, - and _")));
        }
        Ok(Report {
            title: fields.get("title").map_or_else(|| name.clone(), |v| v.1.to_string()),
            description: fields.get("description").map_or_else(String::new, |v| v.1.to_string()),
            name,
            params,
            chart,
            needs_speakers,
            sql: text.to_string(),
            origin: origin.to_string(),
        })
    }

    /// One line per parameter, for error messages and `report show`.
    pub fn usage(&self) -> String {
        if self.params.is_empty() {
            return format!("report `{}` takes no parameters", self.name);
        }
        let mut s = format!("parameters of `{}`:", self.name);
        for p in &self.params {
            s.push_str(&format!(
                "\n  -p {} <{}>{}  {}",
                p.name,
                p.type_name(),
                match (&p.default, p.required) {
                    (_, true) => " (required)".to_string(),
                    (Some(d), _) => format!(" (default {d})"),
                    (None, _) => " (optional)".to_string(),
                },
                p.description
            ));
        }
        s
    }

    /// The parameters as bound, for display: `(not set)` for NULL.
    pub fn shown_params(&self, bound: &[(String, Value)]) -> Vec<(String, String)> {
        bound
            .iter()
            .map(|(n, v)| {
                let shown = match v {
                    Value::Null => "(not set)".to_string(),
                    v => super::format::plain(v),
                };
                (n.clone(), shown)
            })
            .collect()
    }

    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Checks and types the given parameters against the header; fills defaults (NULL when none).
    pub fn bind(&self, given: &[(String, String)]) -> Result<Vec<(String, Value)>, ReportError> {
        let err = |message: String| ReportError::BadParams { report: self.name.clone(), message, usage: self.usage() };
        for (name, _) in given {
            if self.param(name).is_none() {
                return Err(err(format!("unknown parameter `{name}`")));
            }
        }
        let mut bound = Vec::with_capacity(self.params.len());
        for p in &self.params {
            let raw = given.iter().rev().find(|(n, _)| *n == p.name).map(|(_, v)| v.as_str());
            let value = match raw.or(p.default.as_deref()) {
                None if p.required => return Err(err(format!("parameter `{}` is required", p.name))),
                None => Value::Null,
                Some(v) => {
                    p.convert(v).map_err(|want| err(format!("parameter `{}` must be {want}, got `{v}`", p.name)))?
                }
            };
            bound.push((p.name.clone(), value));
        }
        Ok(bound)
    }
}

/// All reports: the embedded ones, then the user's folder (which may override by name).
#[derive(Debug, Clone)]
pub struct Catalog {
    pub reports: BTreeMap<String, Report>,
}

/// The user's report folder: the given one, else `$CALLDB_REPORTS_DIR`, else `~/.config/calldb/reports`.
pub fn user_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(REPORTS_DIR_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    dirs::config_dir().map(|d| d.join("calldb").join("reports"))
}

impl Catalog {
    pub fn builtin() -> Catalog {
        let mut reports = BTreeMap::new();
        for (file, text) in EMBEDDED {
            let r = Report::parse(text, &format!("built-in {file}")).expect("embedded reports are valid");
            reports.insert(r.name.clone(), Report { origin: "built-in".into(), ..r });
        }
        Catalog { reports }
    }

    /// The embedded reports plus `*.sql` in `dir` (if it exists). `explicit` folders must exist.
    pub fn load(dir: Option<&Path>, explicit: bool) -> Result<Catalog, ReportError> {
        let mut catalog = Catalog::builtin();
        let Some(dir) = dir else { return Ok(catalog) };
        if !dir.is_dir() {
            if explicit {
                return Err(ReportError::Io(format!("{}: not a folder", dir.display())));
            }
            return Ok(catalog);
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| ReportError::Io(format!("{}: {e}", dir.display())))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| ReportError::Io(format!("{}: {e}", f.display())))?;
            let r = Report::parse(&text, &f.display().to_string())?;
            catalog.reports.insert(r.name.clone(), r);
        }
        Ok(catalog)
    }

    pub fn get(&self, name: &str) -> Result<&Report, ReportError> {
        self.reports.get(name).ok_or_else(|| ReportError::Unknown {
            name: name.to_string(),
            suggestion: nearest(name, self.reports.keys().map(String::as_str))
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default(),
            available: self.reports.keys().cloned().collect::<Vec<_>>().join(", "),
        })
    }
}

/// The closest name to a mistyped one, if it is close enough to be what was meant (edit distance at most a third of
/// its length, and at least 1 edit allowed; a name that contains the other also counts).
pub fn nearest<'a>(typed: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.to_ascii_lowercase();
    names
        .map(|n| (n, edit_distance(&typed, &n.to_ascii_lowercase())))
        .filter(|(n, d)| *d <= (typed.chars().count() / 3).max(1) || n.contains(typed.as_str()) && typed.len() >= 3)
        .min_by_key(|(_, d)| *d)
        .map(|(n, _)| n)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_reports_parse_with_their_headers() {
        let c = Catalog::builtin();
        for name in [
            "calls",
            "talk-time",
            "analyst-coverage",
            "executive-roster",
            "qa-depth",
            "import-log",
            "qa-exchanges",
            "metric-mentions",
            "term-trend",
            "guidance-changes",
        ] {
            let r = c.get(name).unwrap();
            assert!(!r.title.is_empty() && !r.description.is_empty(), "{name}");
            assert!(r.param("ticker").is_some(), "{name} lacks the ticker filter");
        }
        assert!(c.get("calls").unwrap().chart.is_some());
        assert!(c.get("talk-time").unwrap().chart.is_some());
    }

    #[test]
    fn parameters_are_checked_and_typed() {
        let r = Catalog::builtin().get("import-log").unwrap().clone();
        let bound = r.bind(&[("limit".into(), "5".into())]).unwrap();
        assert!(bound.contains(&("limit".to_string(), Value::Integer(5))));
        assert!(bound.contains(&("ticker".to_string(), Value::Null)));
        let e = r.bind(&[("limit".into(), "five".into())]).unwrap_err().to_string();
        assert!(e.contains("must be an integer, got `five`") && e.contains("-p ticker <text>"), "{e}");
        let e = r.bind(&[("tickr".into(), "X".into())]).unwrap_err().to_string();
        assert!(e.contains("unknown parameter `tickr`") && e.contains("-p limit <integer> (default 200)"), "{e}");
        let calls = Catalog::builtin().get("calls").unwrap().clone();
        let e = calls.bind(&[("since".into(), "2021-13-01".into())]).unwrap_err().to_string();
        assert!(e.contains("a date YYYY-MM-DD"), "{e}");
        let required =
            Report::parse("-- name: r\n-- param: term | text | required | What\nSELECT :term", "r.sql").unwrap();
        let e = required.bind(&[]).unwrap_err().to_string();
        assert!(e.contains("parameter `term` is required") && e.contains("-p term <text> (required)"), "{e}");
        let choice =
            Report::parse("-- name: r\n-- param: axis | one of calendar, fiscal | calendar | Q\nSELECT :axis", "r")
                .unwrap();
        assert_eq!(choice.bind(&[]).unwrap(), [("axis".to_string(), Value::Text("calendar".into()))]);
        assert_eq!(choice.bind(&[("axis".into(), " Fiscal".into())]).unwrap()[0].1, Value::Text("fiscal".into()));
        let e = choice.bind(&[("axis".into(), "weekly".into())]).unwrap_err().to_string();
        assert!(e.contains("must be one of calendar, fiscal, got `weekly`") && e.contains("<calendar|fiscal>"), "{e}");
        let e = Report::parse("-- name: r\n-- param: axis | one of a, b | c |\nSELECT 1", "r.sql").unwrap_err();
        assert!(e.to_string().contains("r.sql:2: default `c` of `axis` is not one of a, b"), "{e}");
    }

    #[test]
    fn typos_suggest_the_nearest_report() {
        let c = Catalog::builtin();
        let e = c.get("talktime").unwrap_err().to_string();
        assert!(e.contains("did you mean `talk-time`?"), "{e}");
        let e = c.get("term-trnd").unwrap_err().to_string();
        assert!(e.contains("did you mean `term-trend`?"), "{e}");
        let e = c.get("zzzzzzzz").unwrap_err().to_string();
        assert!(!e.contains("did you mean") && e.contains("available: "), "{e}");
    }

    #[test]
    fn bad_headers_name_the_line() {
        let e = Report::parse("-- name: x\n-- param: n | nope\nSELECT 1", "r.sql").unwrap_err().to_string();
        assert!(e.starts_with("r.sql:2: unknown parameter type `nope`"), "{e}");
        let e = Report::parse("SELECT 1", "r.sql").unwrap_err().to_string();
        assert!(e.contains("needs a `-- name:"), "{e}");
    }
}
