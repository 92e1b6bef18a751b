//! Markdown pipe tables, streamed. Cells are escaped for Markdown (`|`, `\`, `[`, `]`, line breaks as `<br>`) and for HTML
//! (`<`, `>`, `&` as entities), because Markdown renderers pass raw HTML through and transcript text is untrusted:
//! `<script>` in speech must stay text.

use std::io::Write;

use rusqlite::types::ValueRef;

use super::{plain_ref, Column, RowSink, Sink};

pub struct MarkdownSink<'w> {
    out: std::io::BufWriter<&'w mut dyn Write>,
    columns: Vec<String>,
    rows: usize,
    /// Footnotes printed under the table.
    notes: Vec<String>,
}

impl<'w> MarkdownSink<'w> {
    pub fn new(out: &'w mut dyn Write, notes: Vec<String>) -> Self {
        MarkdownSink { out: std::io::BufWriter::with_capacity(64 * 1024, out), columns: Vec::new(), rows: 0, notes }
    }

    /// The header and alignment rows; numbers (judged on the first row) are right-aligned.
    fn header(&mut self, first: Option<&[ValueRef<'_>]>) -> std::io::Result<()> {
        let header = self.columns.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ");
        let align: Vec<&str> = match first {
            Some(r) => r
                .iter()
                .map(|v| if matches!(v, ValueRef::Integer(_) | ValueRef::Real(_)) { "---:" } else { "---" })
                .collect(),
            None => vec!["---"; self.columns.len()],
        };
        write!(self.out, "| {header} |\n|{}|\n", align.join("|"))
    }
}

/// One table cell: Markdown and HTML escaped, on one line.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            // Link syntax stays text: `[x](javascript:…)` in a value must never become a live link.
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            c if c.is_control() && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

impl RowSink for MarkdownSink<'_> {
    fn columns(&mut self, columns: &[Column]) -> std::io::Result<()> {
        self.columns = columns.iter().map(|c| c.name.clone()).collect();
        Ok(())
    }

    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        if self.rows == 0 {
            self.header(Some(row))?;
        }
        let cells = row.iter().map(|v| cell(&plain_ref(*v))).collect::<Vec<_>>().join(" | ");
        writeln!(self.out, "| {cells} |")?;
        self.rows += 1;
        Ok(())
    }
}

impl Sink for MarkdownSink<'_> {
    fn finish(mut self: Box<Self>) -> std::io::Result<usize> {
        if self.rows == 0 {
            self.header(None)?;
        }
        for note in &self.notes {
            write!(self.out, "\n_{}_\n", cell(note))?;
        }
        self.out.flush()?;
        Ok(self.rows)
    }
}
