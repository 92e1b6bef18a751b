//! A table for people at a terminal: one line per row, cut with an ellipsis to the width the terminal has.
//!
//! Width goes where the text is: narrow columns keep their full width and the wide ones share what is left (rather
//! than every column getting an equal share). When the columns cannot fit even at a few characters each, each row is
//! printed as a record instead, one `column │ value` line per column (as `psql` does with `\x auto`), so nothing
//! runs past the terminal's edge. Every cell is made terminal-safe first ([`super::terminal_safe`]):
//! transcript text is untrusted, and an escape sequence in speech must never reach the terminal. With `highlight`,
//! the only escape sequences written are calldb's own (bold for matched words, see [`HIGHLIGHT_START`]).

use std::io::Write;

use rusqlite::types::{Value, ValueRef};

use super::{plain, terminal_safe, Column, RowSink, Sink};
use crate::report::format::{counted, ResultSet};

/// Marks put around matched words (by `search`); zero-width, so they cost no column width, and replaced by bold on,
/// bold off once the table is laid out.
pub const HIGHLIGHT_START: &str = "\u{2060}";
pub const HIGHLIGHT_END: &str = "\u{200B}";

pub struct TableSink<'w> {
    out: &'w mut dyn Write,
    max_width: Option<usize>,
    highlight: bool,
    /// Every row is needed before the widths are known.
    collected: ResultSet,
}

impl<'w> TableSink<'w> {
    pub fn new(out: &'w mut dyn Write, max_width: Option<usize>, highlight: bool) -> Self {
        TableSink { out, max_width, highlight, collected: ResultSet::default() }
    }
}

fn one_line(s: &str) -> String {
    terminal_safe(&s.replace("\r\n", " ").replace(['\n', '\r', '\t'], " ")).into_owned()
}

fn cut(s: &str, width: usize) -> String {
    if s.chars().filter(|c| !is_mark(*c)).count() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        if !is_mark(c) {
            if used + 1 >= width {
                break;
            }
            used += 1;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn is_mark(c: char) -> bool {
    c == '\u{2060}' || c == '\u{200B}'
}

/// Narrowest a table column is cut to; a table whose columns cannot all have this much is printed as records.
const MIN_COLUMN: usize = 8;

/// True when a table of these natural widths fits the budget with every column cut to at most [`MIN_COLUMN`].
pub fn fits_as_table(natural: &[usize], budget: Option<usize>) -> bool {
    let Some(total) = budget else { return true };
    natural.iter().map(|w| (*w).min(MIN_COLUMN)).sum::<usize>() + 3 * natural.len() < total
}

/// Rows as records: a rule naming the row, then `column │ value` per column, values cut to the width.
fn records(header: &[String], cells: &[Vec<String>], total: usize) -> String {
    let width = |s: &String| s.chars().filter(|c| !is_mark(*c)).count();
    let name_width = header.iter().map(width).max().unwrap_or(0).min(total / 2);
    let value_width = total.saturating_sub(name_width + 3).max(MIN_COLUMN);
    let mut out = String::new();
    for (i, row) in cells.iter().enumerate() {
        let rule = format!("─[ row {} ]", i + 1);
        let fill = total.saturating_sub(rule.chars().count()).min(40);
        out.push_str(&format!("{rule}{}\n", "─".repeat(fill)));
        for (name, value) in header.iter().zip(row) {
            let name = cut(name, name_width);
            let pad = name_width.saturating_sub(width(&name));
            out.push_str(&format!("{name}{} │ {}\n", " ".repeat(pad), cut(value, value_width)));
        }
    }
    out
}

/// Each column's width: the natural width when everything fits, else the largest cap (at least 8) under which the
/// columns fit the budget, applied only to columns wider than it.
pub fn column_widths(natural: &[usize], budget: Option<usize>) -> Vec<usize> {
    let Some(total) = budget else { return natural.to_vec() };
    let available = total.saturating_sub(3 * natural.len() + 1);
    if natural.iter().sum::<usize>() <= available {
        return natural.to_vec();
    }
    let fits = |cap: usize| natural.iter().map(|w| (*w).min(cap)).sum::<usize>() <= available;
    let (mut lo, mut hi) = (MIN_COLUMN, natural.iter().copied().max().unwrap_or(MIN_COLUMN).max(MIN_COLUMN));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    natural.iter().map(|w| (*w).min(lo)).collect()
}

/// The highlight marks made bold (when highlighting), or taken out.
fn unmark(text: &str, highlight: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if highlight && line.contains(HIGHLIGHT_START) {
            out.push_str(&line.replace(HIGHLIGHT_START, "\x1b[1m").replace(HIGHLIGHT_END, "\x1b[22m"));
            out.push_str("\x1b[0m");
        } else {
            out.push_str(&line.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, ""));
        }
        out.push('\n');
    }
    out
}

impl RowSink for TableSink<'_> {
    fn columns(&mut self, columns: &[Column]) -> std::io::Result<()> {
        self.collected.columns(columns)
    }

    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        self.collected.row(row)
    }
}

impl Sink for TableSink<'_> {
    fn finish(self: Box<Self>) -> std::io::Result<usize> {
        let header: Vec<String> = self.collected.columns.iter().map(|c| one_line(c)).collect();
        let cells: Vec<Vec<String>> =
            self.collected.rows.iter().map(|r| r.iter().map(|v| one_line(&plain(v))).collect()).collect();
        let width = |s: &String| s.chars().filter(|c| !is_mark(*c)).count();
        let natural: Vec<usize> = (0..header.len())
            .map(|i| cells.iter().map(|r| width(&r[i])).chain([width(&header[i])]).max().unwrap_or(0))
            .collect();
        let n = self.collected.rows.len();
        let footer = format!("\n({})\n", counted(n, "row", "rows"));
        if let Some(total) = self.max_width.filter(|_| !fits_as_table(&natural, self.max_width)) {
            let text = records(&header, &cells, total);
            self.out.write_all(unmark(&text, self.highlight).as_bytes())?;
            self.out.write_all(footer.as_bytes())?;
            self.out.flush()?;
            return Ok(n);
        }
        let widths = column_widths(&natural, self.max_width);
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
            .set_header(header.iter().zip(&widths).map(|(h, w)| cut(h, *w)));
        for (r, values) in cells.iter().zip(&self.collected.rows) {
            t.add_row(r.iter().zip(&widths).zip(values).map(|((c, w), v)| {
                let cell = comfy_table::Cell::new(cut(c, *w));
                if matches!(v, Value::Integer(_) | Value::Real(_)) {
                    cell.set_alignment(comfy_table::CellAlignment::Right)
                } else {
                    cell
                }
            }));
        }
        let mut text = unmark(&t.to_string(), self.highlight);
        text.push_str(&footer);
        self.out.write_all(text.as_bytes())?;
        self.out.flush()?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_columns_keep_their_width_and_wide_ones_share_the_rest() {
        assert_eq!(column_widths(&[5, 10, 200], Some(80)), [5, 10, 55]);
        assert_eq!(column_widths(&[5, 10, 20], Some(80)), [5, 10, 20]);
        assert_eq!(column_widths(&[100, 100], Some(80)), [36, 36]);
        assert_eq!(column_widths(&[100, 100], None), [100, 100]);
    }

    #[test]
    fn too_many_columns_for_the_width_become_records_that_fit() {
        assert!(fits_as_table(&[5, 10, 200], Some(80)));
        let eleven = [7, 6, 13, 10, 7, 18, 32, 32, 5, 5, 9];
        assert!(!fits_as_table(&eleven, Some(80)) && fits_as_table(&eleven, None));
        let header: Vec<String> = ["ticker", "a_long_column_name"].iter().map(|s| s.to_string()).collect();
        let cells = vec![vec!["ACME".to_string(), "x".repeat(200)]];
        let text = records(&header, &cells, 40);
        assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
        assert!(text.starts_with("─[ row 1 ]") && text.contains("ticker             │ ACME\n"), "{text}");
    }
}
