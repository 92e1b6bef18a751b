//! Result sets and the formats they are written in: table, CSV, TSV, JSON, NDJSON, Markdown and HTML.
//!
//! Every format keeps SQLite's types faithfully: NULL is empty in CSV/TSV/table and `null` in JSON; integers stay
//! integers and reals stay reals; text is escaped for the format (RFC 4180 quoting, JSON strings, Markdown pipes,
//! HTML entities). HTML pages are standalone and can carry an inline SVG chart (see [`super::chart`]).

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use std::borrow::Cow;

use rusqlite::types::{Value, ValueRef};

use super::chart::{self, ChartSpec};

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
}

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
        match self {
            Format::Table => "txt",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Markdown => "md",
            Format::Html => "html",
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

/// What surrounds the rows in formats that have room for it.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions<'a> {
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    pub chart: Option<&'a ChartSpec>,
    /// Table width budget in columns (terminal width); `None` for no limit.
    pub max_width: Option<usize>,
}

/// Receives a query's result as it is read: the column names once, then each row.
/// Values are borrowed from SQLite's row buffer, so streaming formats copy nothing they do not write.
pub trait RowSink {
    fn columns(&mut self, columns: &[String]) -> std::io::Result<()>;
    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()>;
}

impl RowSink for ResultSet {
    fn columns(&mut self, columns: &[String]) -> std::io::Result<()> {
        self.columns = columns.to_vec();
        Ok(())
    }

    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        self.rows.push(row.iter().map(|v| owned(*v)).collect());
        Ok(())
    }
}

/// Writes rows in a format as they arrive. CSV, TSV, JSON, NDJSON and Markdown stream straight to the output, so
/// large results need no memory; table and HTML need every row first (column widths, the chart) and buffer them.
pub struct FormatWriter<'w, 'o> {
    out: Out<'w>,
    format: Format,
    opts: RenderOptions<'o>,
    columns: Vec<String>,
    buffered: ResultSet,
    rows: usize,
    /// Column names as JSON strings, escaped once.
    json_keys: Vec<String>,
}

enum Out<'w> {
    Raw(std::io::BufWriter<&'w mut dyn Write>),
    Csv(Box<csv::Writer<&'w mut dyn Write>>),
}

impl<'w, 'o> FormatWriter<'w, 'o> {
    pub fn new(out: &'w mut dyn Write, format: Format, opts: RenderOptions<'o>) -> Self {
        let out = match format {
            Format::Csv | Format::Tsv => Out::Csv(Box::new(
                csv::WriterBuilder::new()
                    .delimiter(if format == Format::Tsv { b'\t' } else { b',' })
                    .terminator(csv::Terminator::CRLF)
                    .buffer_capacity(64 * 1024)
                    .from_writer(out),
            )),
            _ => Out::Raw(std::io::BufWriter::with_capacity(64 * 1024, out)),
        };
        FormatWriter {
            out,
            format,
            opts,
            columns: Vec::new(),
            buffered: ResultSet::default(),
            rows: 0,
            json_keys: Vec::new(),
        }
    }

    fn csv_line<I, F>(&mut self, fields: I) -> std::io::Result<()>
    where
        I: IntoIterator<Item = F>,
        F: AsRef<[u8]>,
    {
        match &mut self.out {
            Out::Csv(w) => {
                for f in fields {
                    w.write_field(f)?;
                }
                Ok(w.write_record(std::iter::empty::<&[u8]>())?)
            }
            Out::Raw(_) => unreachable!("CSV lines only in CSV formats"),
        }
    }

    /// One CSV/TSV record, each value written straight from SQLite's buffer (no intermediate strings).
    fn csv_row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        let Out::Csv(w) = &mut self.out else { unreachable!("CSV rows only in CSV formats") };
        let mut digits = itoa::Buffer::new();
        for v in row {
            match *v {
                ValueRef::Null => w.write_field(b"")?,
                ValueRef::Integer(i) => w.write_field(digits.format(i))?,
                ValueRef::Real(f) => w.write_field(real(f))?,
                ValueRef::Text(t) => w.write_field(t)?,
                ValueRef::Blob(b) => w.write_field(format!("<{} bytes>", b.len()))?,
            }
        }
        Ok(w.write_record(std::iter::empty::<&[u8]>())?)
    }

    /// `{"col":value,...}` written straight to the output.
    fn json_line(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        let keys = std::mem::take(&mut self.json_keys);
        let out = self.raw();
        out.write_all(b"{")?;
        for (i, (key, v)) in keys.iter().zip(row).enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(key.as_bytes())?;
            out.write_all(b":")?;
            match v {
                ValueRef::Null => out.write_all(b"null")?,
                ValueRef::Integer(n) => out.write_all(itoa::Buffer::new().format(*n).as_bytes())?,
                ValueRef::Real(f) => serde_json::to_writer(&mut *out, f)?,
                ValueRef::Text(t) => serde_json::to_writer(&mut *out, &String::from_utf8_lossy(t))?,
                ValueRef::Blob(b) => serde_json::to_writer(&mut *out, &hex(b))?,
            }
        }
        out.write_all(b"}")?;
        self.json_keys = keys;
        Ok(())
    }

    /// The plain output, for every format but CSV/TSV.
    fn raw(&mut self) -> &mut dyn Write {
        match &mut self.out {
            Out::Raw(w) => w,
            Out::Csv(_) => unreachable!("raw writes only in non-CSV formats"),
        }
    }

    fn markdown_header(&mut self, first: Option<&[Value]>) -> std::io::Result<()> {
        let header = self.columns.iter().map(|c| markdown_cell(c)).collect::<Vec<_>>().join(" | ");
        let align: Vec<&str> = match first {
            Some(r) => {
                r.iter().map(|v| if matches!(v, Value::Integer(_) | Value::Real(_)) { "---:" } else { "---" }).collect()
            }
            None => vec!["---"; self.columns.len()],
        };
        write!(self.raw(), "| {header} |\n|{}|\n", align.join("|"))
    }

    /// Ends the output; returns the number of rows written.
    pub fn finish(mut self) -> std::io::Result<usize> {
        match self.format {
            Format::Table => {
                let text = table(&self.buffered, self.opts.max_width);
                self.raw().write_all(text.as_bytes())?;
            }
            Format::Html => {
                let text = html(&self.buffered, &self.opts);
                self.raw().write_all(text.as_bytes())?;
            }
            Format::Json => {
                let end: &[u8] = if self.rows == 0 { b"[]\n" } else { b"\n]\n" };
                self.raw().write_all(end)?;
            }
            Format::Markdown if self.rows == 0 => self.markdown_header(None)?,
            Format::Csv | Format::Tsv if self.rows == 0 => {
                let columns = std::mem::take(&mut self.columns);
                self.csv_line(&columns)?;
            }
            _ => {}
        }
        match &mut self.out {
            Out::Csv(w) => w.flush()?,
            Out::Raw(w) => w.flush()?,
        }
        Ok(self.rows)
    }
}

impl RowSink for FormatWriter<'_, '_> {
    fn columns(&mut self, columns: &[String]) -> std::io::Result<()> {
        self.columns = columns.to_vec();
        self.json_keys = columns.iter().map(|c| serde_json::Value::from(c.as_str()).to_string()).collect();
        match self.format {
            Format::Table | Format::Html => self.buffered.columns = columns.to_vec(),
            // The header waits for the first row (or the end), so a query that fails on its first step writes nothing.
            _ => {}
        }
        Ok(())
    }

    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        match self.format {
            Format::Table | Format::Html => self.buffered.rows.push(row.iter().map(|v| owned(*v)).collect()),
            Format::Csv | Format::Tsv => {
                if self.rows == 0 {
                    let columns = std::mem::take(&mut self.columns);
                    self.csv_line(&columns)?;
                    self.columns = columns;
                }
                self.csv_row(row)?
            }
            Format::Json => {
                let sep: &[u8] = if self.rows == 0 { b"[\n" } else { b",\n" };
                self.raw().write_all(sep)?;
                self.json_line(row)?;
            }
            Format::Ndjson => {
                self.json_line(row)?;
                self.raw().write_all(b"\n")?;
            }
            Format::Markdown => {
                if self.rows == 0 {
                    let owned: Vec<Value> = row.iter().map(|v| owned(*v)).collect();
                    self.markdown_header(Some(&owned))?;
                }
                let cells = row.iter().map(|v| markdown_cell(&plain_ref(*v))).collect::<Vec<_>>().join(" | ");
                writeln!(self.raw(), "| {cells} |")?;
            }
        }
        self.rows += 1;
        Ok(())
    }
}

/// Renders a whole result set to a string.
pub fn render(rs: &ResultSet, format: Format, opts: &RenderOptions) -> String {
    let mut buf = Vec::new();
    let mut w = FormatWriter::new(&mut buf, format, opts.clone());
    w.columns(&rs.columns).expect("writing to memory");
    for r in &rs.rows {
        let refs: Vec<ValueRef<'_>> = r.iter().map(ValueRef::from).collect();
        w.row(&refs).expect("writing to memory");
    }
    w.finish().expect("writing to memory");
    String::from_utf8(buf).expect("formats write UTF-8")
}

/// Writes `contents` to `path` atomically: a temporary file in the same folder, renamed over the target only once
/// it is complete. A failed run never leaves a partial file.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, |f| f.write_all(contents))
}

/// Like [`write_atomically`], with the contents produced by `fill`; if it fails, the target is left as it was
/// and the temporary file is removed.
pub fn write_atomically_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX).tempfile_in(dir)?;
    // Locked while being written, so [`remove_stale_temp_files`] can tell it from one a killed run left.
    tmp.as_file().lock()?;
    fill(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

const TEMP_PREFIX: &str = ".calldb-";
const TEMP_SUFFIX: &str = ".tmp";

/// Removes the temporary files that runs killed while writing into `dir` left behind. A file still being written
/// is locked by its writer and is left alone, as is one younger than a second (its writer may not have locked it
/// yet). Best effort: whatever cannot be removed stays.
pub fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= std::time::Duration::from_secs(1));
        if !old {
            continue;
        }
        if let Ok(file) = std::fs::OpenOptions::new().write(true).open(entry.path()) {
            if file.try_lock().is_ok() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Text of a value for text formats: NULL is empty; reals keep a decimal point.
pub fn plain(v: &Value) -> String {
    plain_ref(ValueRef::from(v)).into_owned()
}

/// [`plain`] without copying text.
pub fn plain_ref(v: ValueRef<'_>) -> Cow<'_, str> {
    match v {
        ValueRef::Null => Cow::Borrowed(""),
        ValueRef::Integer(i) => Cow::Owned(i.to_string()),
        ValueRef::Real(f) => Cow::Owned(real(f)),
        ValueRef::Text(t) => String::from_utf8_lossy(t),
        ValueRef::Blob(b) => Cow::Owned(format!("<{} bytes>", b.len())),
    }
}

/// A borrowed value as an owned one (for formats that need every row before writing).
pub fn owned(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|x| format!("{x:02x}")).collect()
}

fn real(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

/// One line per cell, cut with an ellipsis to fit the width budget.
fn table(rs: &ResultSet, max_width: Option<usize>) -> String {
    let ncols = rs.columns.len().max(1);
    let cell_budget = max_width.map(|w| (w.saturating_sub(3 * ncols + 1) / ncols).max(8));
    let cut = |s: String| -> String {
        let one_line = s.replace(['\n', '\r', '\t'], " ");
        match cell_budget {
            Some(b) if one_line.chars().count() > b => {
                let mut t: String = one_line.chars().take(b - 1).collect();
                t.push('…');
                t
            }
            _ => one_line,
        }
    };
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
        .set_header(rs.columns.iter().map(|c| cut(c.clone())));
    for r in &rs.rows {
        t.add_row(r.iter().map(|v| {
            let cell = comfy_table::Cell::new(cut(plain(v)));
            if matches!(v, Value::Integer(_) | Value::Real(_)) {
                cell.set_alignment(comfy_table::CellAlignment::Right)
            } else {
                cell
            }
        }));
    }
    let mut s = t.to_string();
    let _ = write!(s, "\n({} row{})\n", rs.rows.len(), if rs.rows.len() == 1 { "" } else { "s" });
    s
}

fn markdown_cell(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|").replace("\r\n", "<br>").replace(['\n', '\r'], "<br>")
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

fn html(rs: &ResultSet, opts: &RenderOptions) -> String {
    let title = opts.title.unwrap_or("calldb");
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n\
         body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}\
         table{{border-collapse:collapse;font-size:14px}}th,td{{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}}\
         th{{background:#f3f3f3}}td.num{{text-align:right;font-variant-numeric:tabular-nums}}td.null{{color:#999}}\
         figure{{margin:0 0 1.5rem 0}}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape_html(title),
        escape_html(title)
    );
    if let Some(d) = opts.description {
        let _ = writeln!(s, "<p>{}</p>", escape_html(d));
    }
    if let Some(spec) = opts.chart {
        if let Some(svg) = chart::svg(rs, spec) {
            let _ = writeln!(s, "<figure>\n{svg}\n</figure>");
        }
    }
    s.push_str("<table>\n<thead><tr>");
    for c in &rs.columns {
        let _ = write!(s, "<th>{}</th>", escape_html(c));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for r in &rs.rows {
        s.push_str("<tr>");
        for v in r {
            match v {
                Value::Null => s.push_str("<td class=\"null\"></td>"),
                Value::Integer(_) | Value::Real(_) => {
                    let _ = write!(s, "<td class=\"num\">{}</td>", escape_html(&plain(v)));
                }
                _ => {
                    let _ = write!(s, "<td>{}</td>", escape_html(&plain(v)).replace('\n', "<br>"));
                }
            }
        }
        s.push_str("</tr>\n");
    }
    let _ = write!(s, "</tbody>\n</table>\n<p>{} rows</p>\n</body>\n</html>\n", rs.rows.len());
    s
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
    fn csv_quotes_and_keeps_null_empty() {
        let s = render(&hostile(), Format::Csv, &RenderOptions::default());
        assert_eq!(s, "name,n,x,note\r\n\"a, \"\"b\"\"\nc\td <script>alert(1)</script> é€\",42,2.0,\r\n");
        let t = render(&hostile(), Format::Tsv, &RenderOptions::default());
        assert!(t.starts_with("name\tn\tx\tnote\r\n\"a, \"\"b\"\"\nc\td"), "{t}");
    }

    #[test]
    fn json_keeps_types() {
        let s = render(&hostile(), Format::Json, &RenderOptions::default());
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v[0]["n"], 42);
        assert_eq!(v[0]["x"], 2.0);
        assert!(v[0]["x"].is_f64());
        assert!(v[0]["note"].is_null());
        assert_eq!(v[0]["name"], "a, \"b\"\nc\td <script>alert(1)</script> é€");
        let nd = render(&hostile(), Format::Ndjson, &RenderOptions::default());
        assert_eq!(nd.lines().count(), 1);
    }

    #[test]
    fn html_escapes_everything() {
        let s = render(&hostile(), Format::Html, &RenderOptions { title: Some("<b>t</b>"), ..Default::default() });
        assert!(!s.contains("<script>"));
        assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(s.contains("<title>&lt;b&gt;t&lt;/b&gt;</title>"));
    }

    #[test]
    fn markdown_escapes_pipes_and_newlines() {
        let rs = ResultSet { columns: vec!["a|b".into()], rows: vec![vec![Value::Text("x|y\nz".into())]] };
        let s = render(&rs, Format::Markdown, &RenderOptions::default());
        assert_eq!(s, "| a\\|b |\n|---|\n| x\\|y<br>z |\n");
    }

    #[test]
    fn table_cuts_long_text_with_an_ellipsis() {
        let rs = ResultSet { columns: vec!["t".into()], rows: vec![vec![Value::Text("word ".repeat(100))]] };
        let s = render(&rs, Format::Table, &RenderOptions { max_width: Some(40), ..Default::default() });
        assert!(s.contains('…'));
        assert!(s.lines().all(|l| l.chars().count() <= 40), "{s}");
    }

    #[test]
    fn atomic_write_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.csv");
        write_atomically(&p, b"one").unwrap();
        write_atomically(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
    }
}
