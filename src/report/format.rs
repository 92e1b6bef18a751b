//! Result sets and the formats they are written in: table, CSV, TSV, JSON, NDJSON, Markdown and HTML.
//!
//! Every format keeps SQLite's types faithfully: NULL is empty in CSV/TSV/table and `null` in JSON; integers stay
//! integers and reals stay reals; text is escaped for the format (RFC 4180 quoting, JSON strings, Markdown pipes,
//! HTML entities). HTML pages are standalone and can carry an inline SVG chart (see [`super::chart`]).

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use rusqlite::types::Value;
use serde_json::Map;

use super::chart::{self, ChartSpec};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize, serde::Serialize,
)]
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
        self.columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
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

pub fn render(rs: &ResultSet, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Table => table(rs, opts.max_width),
        Format::Csv => delimited(rs, b','),
        Format::Tsv => delimited(rs, b'\t'),
        Format::Json => {
            let rows: Vec<serde_json::Value> = rs
                .rows
                .iter()
                .map(|r| json_object(&rs.columns, r))
                .collect();
            let mut s = serde_json::to_string_pretty(&rows).expect("JSON values serialize");
            s.push('\n');
            s
        }
        Format::Ndjson => {
            let mut s = String::new();
            for r in &rs.rows {
                s.push_str(&json_object(&rs.columns, r).to_string());
                s.push('\n');
            }
            s
        }
        Format::Markdown => markdown(rs),
        Format::Html => html(rs, opts),
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same folder, renamed over the target only once
/// it is complete. A failed run never leaves a partial file.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".calldb-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Text of a value for text formats: NULL is empty; reals keep a decimal point.
pub fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => real(*f),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => format!("<{} bytes>", b.len()),
    }
}

fn real(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => (*i).into(),
        Value::Real(f) => {
            serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
        }
        Value::Text(t) => t.clone().into(),
        Value::Blob(b) => b
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
            .into(),
    }
}

fn json_object(columns: &[String], row: &[Value]) -> serde_json::Value {
    let mut m = Map::new();
    for (c, v) in columns.iter().zip(row) {
        m.insert(c.clone(), json_value(v));
    }
    serde_json::Value::Object(m)
}

fn delimited(rs: &ResultSet, delimiter: u8) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    w.write_record(&rs.columns).expect("writing to memory");
    for r in &rs.rows {
        w.write_record(r.iter().map(plain))
            .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 is UTF-8")
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
    let _ = write!(
        s,
        "\n({} row{})\n",
        rs.rows.len(),
        if rs.rows.len() == 1 { "" } else { "s" }
    );
    s
}

fn markdown_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

fn markdown(rs: &ResultSet) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| {} |",
        rs.columns
            .iter()
            .map(|c| markdown_cell(c))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(
        s,
        "|{}|",
        rs.rows
            .first()
            .map_or_else(
                || vec!["---"; rs.columns.len()],
                |r| r
                    .iter()
                    .map(|v| if matches!(v, Value::Integer(_) | Value::Real(_)) {
                        "---:"
                    } else {
                        "---"
                    })
                    .collect()
            )
            .join("|")
    );
    for r in &rs.rows {
        let _ = writeln!(
            s,
            "| {} |",
            r.iter()
                .map(|v| markdown_cell(&plain(v)))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    s
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
                    let _ = write!(
                        s,
                        "<td>{}</td>",
                        escape_html(&plain(v)).replace('\n', "<br>")
                    );
                }
            }
        }
        s.push_str("</tr>\n");
    }
    let _ = write!(
        s,
        "</tbody>\n</table>\n<p>{} rows</p>\n</body>\n</html>\n",
        rs.rows.len()
    );
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
        assert_eq!(
            s,
            "name,n,x,note\r\n\"a, \"\"b\"\"\nc\td <script>alert(1)</script> é€\",42,2.0,\r\n"
        );
        let t = render(&hostile(), Format::Tsv, &RenderOptions::default());
        assert!(
            t.starts_with("name\tn\tx\tnote\r\n\"a, \"\"b\"\"\nc\td"),
            "{t}"
        );
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
        let s = render(
            &hostile(),
            Format::Html,
            &RenderOptions {
                title: Some("<b>t</b>"),
                ..Default::default()
            },
        );
        assert!(!s.contains("<script>"));
        assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(s.contains("<title>&lt;b&gt;t&lt;/b&gt;</title>"));
    }

    #[test]
    fn markdown_escapes_pipes_and_newlines() {
        let rs = ResultSet {
            columns: vec!["a|b".into()],
            rows: vec![vec![Value::Text("x|y\nz".into())]],
        };
        let s = render(&rs, Format::Markdown, &RenderOptions::default());
        assert_eq!(s, "| a\\|b |\n|---|\n| x\\|y<br>z |\n");
    }

    #[test]
    fn table_cuts_long_text_with_an_ellipsis() {
        let rs = ResultSet {
            columns: vec!["t".into()],
            rows: vec![vec![Value::Text("word ".repeat(100))]],
        };
        let s = render(
            &rs,
            Format::Table,
            &RenderOptions {
                max_width: Some(40),
                ..Default::default()
            },
        );
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
