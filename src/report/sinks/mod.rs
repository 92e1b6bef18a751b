//! Output sinks: where a result's rows go, one file per format. Every sink receives the columns once, then each row
//! as SQLite returns it, then `finish`. The rules every sink shares live here once: how a value reads as text, which
//! columns hold JSON lists, unique keys for formats that need them, and how untrusted text is made harmless for a
//! terminal, Markdown or HTML.
//!
//! The format registry (which formats exist, their file extensions, and which sink writes each) is
//! [`super::format`].

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod parquet;
pub mod table;

use std::borrow::Cow;
use std::io::Write;

use rusqlite::types::{Value, ValueRef};

/// What a column holds, as far as typed formats (Parquet, JSON) care. Decided once per column from the SQL's declared
/// type and the column's name (see [`ColumnKind::infer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Integer,
    Real,
    Text,
    /// `YYYY-MM-DD` text.
    Date,
    /// An ISO 8601 UTC instant (`2021-05-04T21:00:00Z`) as text.
    Timestamp,
    /// A JSON array of strings held as text (`["CEO","Chairman"]`).
    JsonList,
    /// Nothing declared: whatever each value is.
    Any,
}

/// Columns of the documented views that hold a JSON array (see `v_speakers`).
pub const LIST_COLUMNS: &[&str] = &["aliases", "roles", "firms", "titles", "tickers", "warnings"];
/// Columns that hold a calendar date as `YYYY-MM-DD`.
pub const DATE_COLUMNS: &[&str] = &["call_date", "first_call", "last_call"];
/// Columns that hold a UTC instant.
pub const TIMESTAMP_COLUMNS: &[&str] = &["starts_at_utc", "imported_at", "exported_at"];

impl ColumnKind {
    /// The kind of a column from its declared type (`PRAGMA table_info`, or the statement's) and its name. Names
    /// decide only for the documented views' date, instant and list columns; everything else goes by declared type.
    pub fn infer(name: &str, decl_type: Option<&str>) -> ColumnKind {
        let decl = decl_type.unwrap_or("").to_ascii_uppercase();
        let is_text = decl.contains("CHAR") || decl.contains("TEXT") || decl.contains("CLOB");
        if is_text || decl.is_empty() {
            if DATE_COLUMNS.contains(&name) {
                return ColumnKind::Date;
            }
            if TIMESTAMP_COLUMNS.contains(&name) {
                return ColumnKind::Timestamp;
            }
            if LIST_COLUMNS.contains(&name) {
                return ColumnKind::JsonList;
            }
        }
        if decl.contains("INT") {
            ColumnKind::Integer
        } else if is_text {
            ColumnKind::Text
        } else if decl.contains("REAL") || decl.contains("FLOA") || decl.contains("DOUB") {
            ColumnKind::Real
        } else {
            ColumnKind::Any
        }
    }
}

/// A result column: its name and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
}

impl Column {
    pub fn new(name: impl Into<String>, decl_type: Option<&str>) -> Column {
        let name = name.into();
        let kind = ColumnKind::infer(&name, decl_type);
        Column { name, kind }
    }

    /// Columns of a result built in memory, typed by name only.
    pub fn untyped(names: &[&str]) -> Vec<Column> {
        names.iter().map(|n| Column::new(*n, None)).collect()
    }
}

/// Receives a query's result as it is read: the columns once, then each row. Values are borrowed from SQLite's row
/// buffer, so streaming sinks copy nothing they do not write.
pub trait RowSink {
    fn columns(&mut self, columns: &[Column]) -> std::io::Result<()>;
    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()>;
}

/// A format's writer: rows in, the format out; `finish` ends the output and returns the number of rows written.
pub trait Sink: RowSink {
    fn finish(self: Box<Self>) -> std::io::Result<usize>;
}

/// Text of a value for text formats: NULL is empty; reals keep a decimal point.
pub fn plain_ref(v: ValueRef<'_>) -> Cow<'_, str> {
    match v {
        ValueRef::Null => Cow::Borrowed(""),
        ValueRef::Integer(i) => Cow::Owned(i.to_string()),
        ValueRef::Real(f) => Cow::Owned(real(f)),
        ValueRef::Text(t) => String::from_utf8_lossy(t),
        ValueRef::Blob(b) => Cow::Owned(format!("<{} bytes>", b.len())),
    }
}

/// [`plain_ref`] of an owned value.
pub fn plain(v: &Value) -> String {
    plain_ref(ValueRef::from(v)).into_owned()
}

/// A borrowed value as an owned one (for sinks that need every row before writing).
pub fn owned(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// A real as text: whole numbers keep `.0` so they still read as reals.
pub fn real(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|x| format!("{x:02x}")).collect()
}

/// Column names made unique for formats keyed by name (JSON objects, Parquet fields): a name seen before gets `_2`,
/// `_3`, … (skipping names the result already has), so `SELECT 1 AS x, 2 AS x` gives keys `x` and `x_2`.
pub fn unique_names(columns: &[Column]) -> Vec<String> {
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let all: std::collections::HashSet<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let mut out = Vec::with_capacity(columns.len());
    for c in columns {
        let mut name = c.name.clone();
        if taken.contains(&name) {
            let mut n = 2;
            loop {
                let candidate = format!("{}_{n}", c.name);
                if !taken.contains(&candidate) && !all.contains(candidate.as_str()) {
                    name = candidate;
                    break;
                }
                n += 1;
            }
        }
        taken.insert(name.clone());
        out.push(name);
    }
    out
}

/// Text made safe to print on a terminal: control characters (C0 but tab and newline, DEL, C1) become visible
/// symbols (`\x1b` shows as `␛`), and bidirectional overrides, which can make text read differently from what it
/// is, become U+FFFD. Transcript text is untrusted: an escape sequence in speech must never reach the terminal.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\t' => c,
                '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
                '\u{7f}' => '\u{2421}',
                c if bad(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// A writer for a terminal: everything written through it is made [`terminal_safe`] (a CSV, HTML or JSON result
/// holds stored text, which is untrusted), but for the `\r\n` line ends CSV writes. Bytes are passed on a line at a
/// time, so a character split across two writes is whole when it is checked.
pub struct TerminalSafeWriter<W: Write> {
    inner: W,
    line: Vec<u8>,
}

impl<W: Write> TerminalSafeWriter<W> {
    pub fn new(inner: W) -> Self {
        TerminalSafeWriter { inner, line: Vec::new() }
    }

    fn pass(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(bytes);
        let (body, crlf) = match text.strip_suffix("\r\n") {
            Some(body) => (body, true),
            None => (text.as_ref(), false),
        };
        self.inner.write_all(terminal_safe(body).as_bytes())?;
        if crlf {
            self.inner.write_all(b"\r\n")?;
        }
        Ok(())
    }
}

impl<W: Write> Write for TerminalSafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.line.extend_from_slice(buf);
        while let Some(end) = self.line.iter().position(|b| *b == b'\n') {
            let rest = self.line.split_off(end + 1);
            let line = std::mem::replace(&mut self.line, rest);
            self.pass(&line)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            // Only whole characters: a trailing partial one waits for the rest.
            let valid = match std::str::from_utf8(&self.line) {
                Ok(_) => self.line.len(),
                Err(e) if e.error_len().is_none() => e.valid_up_to(),
                Err(_) => self.line.len(),
            };
            let rest = self.line.split_off(valid);
            let line = std::mem::replace(&mut self.line, rest);
            self.pass(&line)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalSafeWriter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Parses a JSON-list column's text into its items; `None` when it is not a JSON array (the value is then written
/// as the text it is).
pub fn json_list(text: &[u8]) -> Option<Vec<serde_json::Value>> {
    match serde_json::from_slice::<serde_json::Value>(text).ok()? {
        serde_json::Value::Array(items) => Some(items),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_names_become_unique() {
        let cols = Column::untyped(&["x", "x", "x_2", "y", "x"]);
        assert_eq!(unique_names(&cols), ["x", "x_3", "x_2", "y", "x_4"]);
    }

    #[test]
    fn escape_sequences_never_reach_the_terminal() {
        let s = terminal_safe("a\x1b[2Jb\x07c\u{9b}d\u{202e}e\tf\ng");
        assert!(!s.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{s:?}");
        assert_eq!(s, "a␛[2Jb␇c\u{FFFD}d\u{FFFD}e\tf\ng");
        assert!(matches!(terminal_safe("plain"), Cow::Borrowed(_)));
    }

    /// CSV, HTML and JSON written to a terminal pass through [`TerminalSafeWriter`]: escapes and bidi overrides are
    /// neutralized even when split across writes, a character split across writes stays whole, CSV's `\r\n` stays.
    #[test]
    fn the_terminal_writer_neutralizes_what_it_passes() {
        let mut out = Vec::new();
        {
            let mut w = TerminalSafeWriter::new(&mut out);
            let text = "name,file\r\nx,\x1b]8;;http://e\x1b\\evil\u{202E}cod.exe\r\né,ok\n";
            let bytes = text.as_bytes();
            // Written a byte at a time: no sequence or character is seen whole by any single write.
            for b in bytes {
                w.write_all(std::slice::from_ref(b)).unwrap();
            }
            w.flush().unwrap();
        }
        let shown = String::from_utf8(out).unwrap();
        assert_eq!(shown, "name,file\r\nx,␛]8;;http://e␛\\evil\u{FFFD}cod.exe\r\né,ok\n");
    }

    #[test]
    fn kinds_come_from_declared_types_and_documented_names() {
        assert_eq!(ColumnKind::infer("calls", Some("INT")), ColumnKind::Integer);
        assert_eq!(ColumnKind::infer("call_date", Some("TEXT")), ColumnKind::Date);
        assert_eq!(ColumnKind::infer("starts_at_utc", Some("TEXT")), ColumnKind::Timestamp);
        assert_eq!(ColumnKind::infer("titles", Some("TEXT")), ColumnKind::JsonList);
        assert_eq!(ColumnKind::infer("price_change_pct", Some("REAL")), ColumnKind::Real);
        assert_eq!(ColumnKind::infer("x", None), ColumnKind::Any);
        // A name alone never overrides a declared number.
        assert_eq!(ColumnKind::infer("call_date", Some("INTEGER")), ColumnKind::Integer);
    }
}
