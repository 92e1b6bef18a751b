//! The output formats calldb writes, in one place: their names, file extensions, and the sink that writes each
//! (one file per sink under [`super::sinks`]). Also the in-memory [`ResultSet`] and [`render`] for small results.
//!
//! Every format keeps SQLite's types faithfully: NULL is empty in CSV/TSV/table and `null` in JSON; integers stay
//! integers and reals stay reals; text is escaped for the format (RFC 4180 quoting, JSON strings, Markdown pipes and
//! HTML, HTML entities) and made safe for a terminal in tables.

use std::io::Write;

use rusqlite::types::{Value, ValueRef};

use super::chart::ChartSpec;
pub use super::output_file::{remove_stale_temp_files, write_atomically, write_atomically_with};
use super::sinks::{self, Column, RowSink, Sink};
pub use super::sinks::{escape_html, owned, plain, plain_ref};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Table,
    Csv,
    Tsv,
    Json,
    Ndjson,
    Markdown,
    Html,
    Parquet,
}

/// `1 file`, `2 files`: a count with its noun, singular for one.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// An output file whose extension names no format calldb writes.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("calldb does not write .{0} files; name the output with one of {extensions}, or give --format", extensions = known_extensions())]
pub struct UnknownExtension(pub String);

/// Every extension `--output FILE` understands, for messages: `.txt, .csv, …`.
fn known_extensions() -> String {
    REGISTRY.iter().flat_map(|(_, _, exts)| exts.iter()).map(|e| format!(".{e}")).collect::<Vec<_>>().join(", ")
}

/// Every format with its file extension and the extensions that choose it for `--output FILE`.
const REGISTRY: &[(Format, &str, &[&str])] = &[
    (Format::Table, "txt", &["txt"]),
    (Format::Csv, "csv", &["csv"]),
    (Format::Tsv, "tsv", &["tsv"]),
    (Format::Json, "json", &["json"]),
    (Format::Ndjson, "ndjson", &["ndjson", "jsonl"]),
    (Format::Markdown, "md", &["md", "markdown"]),
    (Format::Html, "html", &["html", "htm"]),
    (Format::Parquet, "parquet", &["parquet", "pq"]),
];

impl Format {
    /// Table on a terminal, CSV when piped: what a person and a script each want by default.
    pub fn default_for_stdout() -> Format {
        if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            Format::Table
        } else {
            Format::Csv
        }
    }

    pub fn extension(self) -> &'static str {
        REGISTRY.iter().find(|(f, _, _)| *f == self).map(|(_, e, _)| *e).expect("every format is registered")
    }

    /// The format a file name's extension asks for, if any.
    pub fn from_extension(ext: &str) -> Option<Format> {
        let ext = ext.to_ascii_lowercase();
        REGISTRY.iter().find(|(_, _, exts)| exts.contains(&ext.as_str())).map(|(f, _, _)| *f)
    }

    /// The format `--output FILE` writes when no `--format` is given: the one its extension names, CSV for a name
    /// without one. An extension calldb does not write (`q.xlsx`) is refused, never written as something else.
    pub fn for_output_file(path: &std::path::Path) -> Result<Format, UnknownExtension> {
        let Some(ext) = path.extension() else { return Ok(Format::Csv) };
        let ext = ext.to_string_lossy();
        Format::from_extension(&ext).ok_or_else(|| UnknownExtension(ext.into_owned()))
    }

    /// Binary formats are never written to a terminal.
    pub fn is_binary(self) -> bool {
        self == Format::Parquet
    }

    /// The sink that writes this format into `out`.
    pub fn sink<'w>(self, out: &'w mut dyn Write, opts: RenderOptions<'w>) -> Box<dyn Sink + 'w> {
        match self {
            Format::Table => Box::new(sinks::table::TableSink::new(out, opts.max_width, opts.highlight)),
            Format::Csv => Box::new(sinks::csv::CsvSink::new(out, b',', opts.csv_safe)),
            Format::Tsv => Box::new(sinks::csv::CsvSink::new(out, b'\t', opts.csv_safe)),
            Format::Json => Box::new(sinks::json::JsonSink::new(out, false)),
            Format::Ndjson => Box::new(sinks::json::JsonSink::new(out, true)),
            Format::Markdown => Box::new(sinks::markdown::MarkdownSink::new(out, opts.notes.clone())),
            Format::Html => Box::new(sinks::html::HtmlSink::new(out, opts)),
            Format::Parquet => Box::new(sinks::parquet::ParquetSink::new(out)),
        }
    }
}

/// Rows as SQLite returned them, with their column names.
#[derive(Debug, Clone, Default)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl ResultSet {
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.eq_ignore_ascii_case(name))
    }
}

impl RowSink for ResultSet {
    fn columns(&mut self, columns: &[Column]) -> std::io::Result<()> {
        self.columns = columns.iter().map(|c| c.name.clone()).collect();
        Ok(())
    }

    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        self.rows.push(row.iter().map(|v| owned(*v)).collect());
        Ok(())
    }
}

/// What surrounds the rows in formats that have room for it, and per-format choices.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions<'a> {
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    pub chart: Option<&'a ChartSpec>,
    /// The parameters a report ran with, as shown (HTML states them).
    pub params: Vec<(String, String)>,
    /// When the output was generated, as shown (HTML states it).
    pub generated_at: Option<String>,
    /// Table width budget in columns (terminal width); `None` for no limit.
    pub max_width: Option<usize>,
    /// Tables: show [`sinks::table::HIGHLIGHT_START`]…`END` marks as bold (a terminal).
    pub highlight: bool,
    /// CSV/TSV: protect spreadsheet users from formula injection (see [`sinks::csv`]).
    pub csv_safe: bool,
    /// Footnotes about what the rows leave out (calls whose speakers are not known): HTML and Markdown print them
    /// under the table; the command line prints them on standard error for the other formats.
    pub notes: Vec<String>,
    /// Where an HTML page finds the turns its `turn_id` column cites: each id links to the turn, printed whole
    /// under the table. `None`: ids stay plain numbers.
    pub turns: Option<TurnLookup<'a>>,
}

/// Finds a cited turn by id (for HTML pages; see [`RenderOptions::turns`]).
#[derive(Clone, Copy)]
pub struct TurnLookup<'a>(pub &'a dyn Fn(i64) -> Option<super::read::CitedTurn>);

impl std::fmt::Debug for TurnLookup<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TurnLookup")
    }
}

/// Renders a whole result set to bytes (text for every format but Parquet).
pub fn render_bytes(rs: &ResultSet, format: Format, opts: &RenderOptions) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let columns: Vec<Column> = rs.columns.iter().map(|c| Column::new(c.as_str(), None)).collect();
    {
        let mut w = format.sink(&mut buf, opts.clone());
        w.columns(&columns)?;
        for r in &rs.rows {
            let refs: Vec<ValueRef<'_>> = r.iter().map(ValueRef::from).collect();
            w.row(&refs)?;
        }
        w.finish()?;
    }
    Ok(buf)
}

/// Renders a whole result set to a string (a text format).
pub fn render(rs: &ResultSet, format: Format, opts: &RenderOptions) -> String {
    let bytes = render_bytes(rs, format, opts).expect("writing to memory");
    String::from_utf8(bytes).expect("text formats write UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile() -> ResultSet {
        ResultSet {
            columns: vec!["name".into(), "n".into(), "x".into(), "note".into()],
            rows: vec![vec![
                Value::Text("a, \"b\"\nc\td <script>alert(1)</script> é€".into()),
                Value::Integer(42),
                Value::Real(2.0),
                Value::Null,
            ]],
        }
    }

    #[test]
    fn every_format_is_registered_with_its_extension() {
        for f in <Format as clap::ValueEnum>::value_variants() {
            assert_eq!(Format::from_extension(f.extension()), Some(*f));
        }
        assert_eq!(Format::from_extension("JSONL"), Some(Format::Ndjson));
        assert_eq!(Format::from_extension("xlsx"), None);
        let refused = Format::for_output_file(std::path::Path::new("q.xlsx")).unwrap_err().to_string();
        assert!(refused.contains(".xlsx") && refused.contains(".parquet") && refused.contains(".csv"), "{refused}");
        assert_eq!(Format::for_output_file(std::path::Path::new("report")), Ok(Format::Csv));
        assert_eq!(Format::for_output_file(std::path::Path::new("r.JSONL")), Ok(Format::Ndjson));
    }

    #[test]
    fn csv_quotes_and_keeps_null_empty() {
        let s = render(&hostile(), Format::Csv, &RenderOptions::default());
        assert_eq!(s, "name,n,x,note\r\n\"a, \"\"b\"\"\nc\td <script>alert(1)</script> é€\",42,2.0,\r\n");
        let t = render(&hostile(), Format::Tsv, &RenderOptions::default());
        assert!(t.starts_with("name\tn\tx\tnote\r\n\"a, \"\"b\"\"\nc\td"), "{t}");
    }

    #[test]
    fn csv_safe_defuses_formulas_in_text_but_not_numbers() {
        let rs = ResultSet {
            columns: vec!["t".into(), "n".into()],
            rows: vec![
                vec![Value::Text("=HYPERLINK(\"http://x\")".into()), Value::Integer(-5)],
                vec![Value::Text("+1".into()), Value::Real(-2.5)],
                vec![Value::Text("@SUM(A1)".into()), Value::Null],
                vec![Value::Text("-- Analyst".into()), Value::Null],
                vec![Value::Text("fine".into()), Value::Null],
            ],
        };
        let safe = render(&rs, Format::Csv, &RenderOptions { csv_safe: true, ..Default::default() });
        assert_eq!(
            safe,
            "t,n\r\n\"'=HYPERLINK(\"\"http://x\"\")\",-5\r\n'+1,-2.5\r\n'@SUM(A1),\r\n'-- Analyst,\r\nfine,\r\n"
        );
        let raw = render(&rs, Format::Csv, &RenderOptions::default());
        assert!(raw.contains("\r\n+1,-2.5\r\n"), "{raw}");
    }

    #[test]
    fn json_keeps_types_and_never_repeats_a_key() {
        let s = render(&hostile(), Format::Json, &RenderOptions::default());
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v[0]["n"], 42);
        assert_eq!(v[0]["x"], 2.0);
        assert!(v[0]["x"].is_f64());
        assert!(v[0]["note"].is_null());
        assert_eq!(v[0]["name"], "a, \"b\"\nc\td <script>alert(1)</script> é€");
        let nd = render(&hostile(), Format::Ndjson, &RenderOptions::default());
        assert_eq!(nd.lines().count(), 1);
        let dup = ResultSet {
            columns: vec!["x".into(), "x".into(), "titles".into()],
            rows: vec![vec![Value::Integer(1), Value::Integer(2), Value::Text("[\"CEO, Founder\",\"Chair\"]".into())]],
        };
        let s = render(&dup, Format::Ndjson, &RenderOptions::default());
        assert_eq!(s, "{\"x\":1,\"x_2\":2,\"titles\":[\"CEO, Founder\",\"Chair\"]}\n");
    }

    #[test]
    fn html_escapes_everything() {
        let s = render(&hostile(), Format::Html, &RenderOptions { title: Some("<b>t</b>"), ..Default::default() });
        assert!(!s.contains("<script>alert"));
        assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(s.contains("<title>&lt;b&gt;t&lt;/b&gt;</title>"));
    }

    #[test]
    fn markdown_escapes_pipes_newlines_and_html() {
        let rs = ResultSet { columns: vec!["a|b".into()], rows: vec![vec![Value::Text("x|y\nz".into())]] };
        let s = render(&rs, Format::Markdown, &RenderOptions::default());
        assert_eq!(s, "| a\\|b |\n|---|\n| x\\|y<br>z |\n");
        let s = render(&hostile(), Format::Markdown, &RenderOptions::default());
        assert!(!s.contains("<script>"), "{s}");
        assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{s}");
    }

    #[test]
    fn table_cuts_long_text_and_neutralizes_escape_sequences() {
        let rs = ResultSet { columns: vec!["t".into()], rows: vec![vec![Value::Text("word ".repeat(100))]] };
        let s = render(&rs, Format::Table, &RenderOptions { max_width: Some(40), ..Default::default() });
        assert!(s.contains('…'));
        assert!(s.lines().all(|l| l.chars().count() <= 40), "{s}");
        let rs = ResultSet {
            columns: vec!["t\x1b[31m".into()],
            rows: vec![vec![Value::Text("clear\x1b[2Jscreen\x1b]0;title\x07 \u{9b}31m".into())]],
        };
        let s = render(&rs, Format::Table, &RenderOptions::default());
        assert!(!s.contains('\x1b') && !s.contains('\x07') && !s.contains('\u{9b}'), "{s:?}");
        assert!(s.contains("clear␛[2Jscreen"), "{s}");
    }
}
