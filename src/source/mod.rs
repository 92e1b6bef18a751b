//! What import and check read, turned into documents: the stage before [`crate::parse`].
//!
//! A file is one of a few forms, told by its extension (and, for a file named `.txt` or without one that holds
//! JSON, by its first byte):
//! - a transcript file ([`Form::Transcript`]: text or a saved page), one call, read whole by the layouts;
//! - a dataset or API response holding records ([`json`], [`jsonl`], [`csv`], [`parquet`]), each record one call,
//!   read as [`record`] says and streamed one by one so a dataset larger than memory imports in bounded memory.
//!
//! A document is identified by its file's path plus its record key: `data.jsonl#1834` (the line), `rows.csv#17`
//! (the data row), `calls.parquet#17` (the row), `nested.json#/2021/Q3/0` (a JSON pointer). One bad record never
//! costs the others: it is reported with its key and what is wrong, and reading goes on.

pub mod csv;
pub mod json;
pub mod jsonl;
pub mod parquet;
pub mod pdf;
pub mod record;

use std::path::Path;

pub use record::{FieldMap, RecordCall, RecordError, Speech};

/// The forms of file calldb reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// One transcript: text, a saved web page or a PDF.
    Transcript,
    /// One record, an array of records, or records nested in groups.
    Json,
    /// A record a line (`.jsonl`, `.ndjson`).
    JsonLines,
    /// A record a row, with a header row (`.csv`; `.tsv` tab-separated).
    Csv {
        tabs: bool,
    },
    Parquet,
}

impl Form {
    /// The form a file's extension says; `None` for an extension calldb does not read from folders.
    pub fn of_extension(path: &Path) -> Option<Form> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" | "html" | "htm" | "pdf" => Form::Transcript,
            "json" => Form::Json,
            "jsonl" | "ndjson" => Form::JsonLines,
            "csv" => Form::Csv { tabs: false },
            "tsv" => Form::Csv { tabs: true },
            "parquet" | "pq" => Form::Parquet,
            _ => return None,
        })
    }

    /// The form of a file: its extension's, except that a transcript-named file (or one with no known extension)
    /// whose first non-blank byte opens JSON is JSON, and one that starts with Parquet's magic is Parquet.
    pub fn of(path: &Path) -> Form {
        let by_name = Form::of_extension(path);
        if matches!(by_name, Some(Form::Transcript) | None) {
            if let Some(sniffed) = sniff(path) {
                return sniffed;
            }
        }
        by_name.unwrap_or(Form::Transcript)
    }

    /// True for the forms that hold records.
    pub fn is_dataset(self) -> bool {
        self != Form::Transcript
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Form::Transcript => "transcript",
            Form::Json => "JSON",
            Form::JsonLines => "JSON lines",
            Form::Csv { tabs: false } => "CSV",
            Form::Csv { tabs: true } => "TSV",
            Form::Parquet => "Parquet",
        }
    }
}

/// Only regular files are opened: a named pipe would block the reader for ever, and a socket or device is no
/// transcript. The error says what the entry is.
pub fn regular_file(path: &Path) -> Result<std::fs::Metadata, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read file: {e}"))?;
    if meta.is_file() {
        return Ok(meta);
    }
    let what = if meta.is_dir() {
        "a folder"
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let t = meta.file_type();
            if t.is_fifo() {
                "a named pipe (FIFO)"
            } else if t.is_socket() {
                "a socket"
            } else if t.is_block_device() || t.is_char_device() {
                "a device"
            } else {
                "not a regular file"
            }
        }
        #[cfg(not(unix))]
        {
            "not a regular file"
        }
    };
    Err(format!("{what}, not a regular file: not read"))
}

/// Looks at a file's first bytes: JSON (`{` or `[` first, then a quote, a bracket or a brace) or Parquet (`PAR1`).
fn sniff(path: &Path) -> Option<Form> {
    use std::io::Read;
    regular_file(path).ok()?;
    let mut head = [0u8; 64];
    let mut file = std::fs::File::open(path).ok()?;
    let n = file.read(&mut head).ok()?;
    sniff_bytes(&head[..n])
}

/// The form a file's first bytes say, if they say one (see [`Form::of`]).
pub fn sniff_bytes(head: &[u8]) -> Option<Form> {
    let head = &head[..head.len().min(64)];
    if head.starts_with(b"PAR1") {
        return Some(Form::Parquet);
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let mut rest = text.iter().copied().skip_while(u8::is_ascii_whitespace);
    match (rest.next(), rest.find(|b| !b.is_ascii_whitespace())) {
        (Some(b'{'), Some(b'"' | b'}')) | (Some(b'['), Some(b'{' | b'[' | b']' | b'"')) => Some(Form::Json),
        _ => None,
    }
}

/// One record of a dataset file, as read: its key and its body, not yet interpreted (that happens on a parsing
/// thread).
#[derive(Debug)]
pub struct RawRecord {
    /// The record's key within its file (`1834`, `/2021/Q3/0`); `None` for a file that holds one record.
    pub key: Option<String>,
    /// The 1-based line of the file where the record starts, where known.
    pub line: Option<usize>,
    pub body: RecordBody,
}

#[derive(Debug)]
pub enum RecordBody {
    /// The record's JSON text (a JSONL line, a Parquet row written as JSON).
    Json(Vec<u8>),
    /// The record already parsed (from a JSON file, or a CSV row's fields).
    Value(serde_json::Value),
}

impl RawRecord {
    /// The bytes that identify the record's content: its JSON text as read, or its value written as JSON. A record
    /// whose bytes are the same is the same record, wherever it stands in its file.
    pub fn identity(&self) -> std::borrow::Cow<'_, [u8]> {
        match &self.body {
            RecordBody::Json(bytes) => std::borrow::Cow::Borrowed(bytes),
            RecordBody::Value(v) => std::borrow::Cow::Owned(serde_json::to_vec(v).expect("JSON values serialize")),
        }
    }

    /// The record parsed into a value.
    pub fn value(self) -> Result<serde_json::Value, RecordError> {
        match self.body {
            RecordBody::Value(v) => Ok(v),
            RecordBody::Json(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| RecordError(format!("not valid JSON: {}", without_position(&e.to_string())))),
        }
    }

    /// "record 1834" / "line 1834" for messages.
    pub fn describe(key: Option<&str>) -> String {
        match key {
            Some(k) => format!("record {k}"),
            None => "the record".into(),
        }
    }
}

/// `expected value at line 1 column 5` → `expected value` (the position within one record's text means little).
fn without_position(message: &str) -> String {
    message.split(" at line ").next().unwrap_or(message).to_string()
}

/// Why a dataset file could not be read (further).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    /// The 1-based line where reading stopped, where known.
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// What reading a dataset yields: records, or an error for one record (the rest go on) or for the rest of the file.
#[derive(Debug)]
pub enum Item {
    Record(RawRecord),
    /// One record could not be read; reading goes on with the next.
    BadRecord {
        key: Option<String>,
        line: Option<usize>,
        message: String,
    },
    /// The file cannot be read further: the records before stay good.
    Stopped(ReadError),
}

/// The records of a dataset file, one by one.
pub type Records = Box<dyn Iterator<Item = Item> + Send>;

/// Opens a dataset file for reading record by record. `fields` decides which objects of a JSON file are records.
pub fn records(path: &Path, form: Form, fields: &FieldMap) -> Result<Records, ReadError> {
    let open = || {
        regular_file(path).map_err(|message| ReadError { line: None, message })?;
        std::fs::File::open(path).map_err(|e| ReadError { line: None, message: format!("cannot read file: {e}") })
    };
    match form {
        Form::Json => json::records(open()?, fields.clone()),
        Form::JsonLines => Ok(jsonl::records(open()?)),
        Form::Csv { tabs } => csv::records(open()?, tabs),
        Form::Parquet => parquet::records(open()?),
        Form::Transcript => Err(ReadError { line: None, message: "a transcript file holds no records".into() }),
    }
}

/// Reads one record as a call: its fields through [`record::read`], then its text through the layouts (with the
/// record's facts before the file name's) or its speaker list as given. `path` is the dataset file's.
pub fn parse_record(
    value: &serde_json::Value,
    path: &Path,
    fields: &FieldMap,
    name_pattern: Option<&crate::parse::NamePattern>,
    companies: Option<&crate::parse::CompanyDirectory>,
) -> Result<crate::model::Transcript, String> {
    let call = record::read(value, fields).map_err(|e| e.0)?;
    let options = crate::parse::ParseOptions { path: Some(path), name_pattern, companies, record: Some(&call.facts) };
    let parsed = match &call.speech {
        Speech::Text(text) => crate::parse::parse_file(text.as_bytes(), options),
        Speech::Turns(turns) => crate::parse::spoken::parse_spoken(turns, call.listed.clone(), options),
    };
    parsed
        .map(|mut t| {
            t.warnings.extend(call.warnings.iter().cloned());
            t
        })
        .map_err(|e| match (&call.speech, e.line()) {
            // A line number is the record's text's, not the file's.
            (Speech::Text(_), Some(_)) => format!("in its text, {e}"),
            (Speech::Turns(_), Some(_)) => format!("in its speaker list (lines are entries), {e}"),
            _ => e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_by_extension_and_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, body: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, body).unwrap();
            p
        };
        assert_eq!(Form::of(&write("a.json", b"{}")), Form::Json);
        assert_eq!(Form::of(&write("a.jsonl", b"{}")), Form::JsonLines);
        assert_eq!(Form::of(&write("a.tsv", b"x")), Form::Csv { tabs: true });
        assert_eq!(Form::of(&write("api.txt", b"  {\"symbol\": \"X\"}")), Form::Json);
        assert_eq!(Form::of(&write("list.txt", b"[{\"a\": 1}]")), Form::Json);
        assert_eq!(Form::of(&write("call.txt", b"[Operator Instructions] Hello")), Form::Transcript);
        assert_eq!(Form::of(&write("noext", b"PAR1....")), Form::Parquet);
        assert_eq!(Form::of_extension(Path::new("x.nlp")), None);
    }
}
