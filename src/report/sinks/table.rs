//! A table for people at a terminal: one line per row, cut with an ellipsis to the width the terminal has.
//!
//! Width goes where the text is: narrow columns keep their full width and the wide ones share what is left (rather
//! than every column getting an equal share). Every cell is made terminal-safe first ([`super::terminal_safe`]):
//! transcript text is untrusted, and an escape sequence in speech must never reach the terminal. With `highlight`,
//! the only escape sequences written are calldb's own (bold for matched words, see [`HIGHLIGHT_START`]).

use std::io::Write;

use rusqlite::types::{Value, ValueRef};

use super::{plain, terminal_safe, Column, RowSink, Sink};
use crate::report::format::ResultSet;

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

/// Each column's width: the natural width when everything fits, else the largest cap (at least 8) under which the
/// columns fit the budget, applied only to columns wider than it.
pub fn column_widths(natural: &[usize], budget: Option<usize>) -> Vec<usize> {
    let Some(total) = budget else { return natural.to_vec() };
    let available = total.saturating_sub(3 * natural.len() + 1);
    if natural.iter().sum::<usize>() <= available {
        return natural.to_vec();
    }
    let fits = |cap: usize| natural.iter().map(|w| (*w).min(cap)).sum::<usize>() <= available;
    let (mut lo, mut hi) = (8, natural.iter().copied().max().unwrap_or(8).max(8));
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
        let mut text = String::new();
        for line in t.to_string().lines() {
            if self.highlight && line.contains(HIGHLIGHT_START) {
                text.push_str(&line.replace(HIGHLIGHT_START, "\x1b[1m").replace(HIGHLIGHT_END, "\x1b[22m"));
                text.push_str("\x1b[0m");
            } else {
                text.push_str(&line.replace([HIGHLIGHT_START.chars().next().unwrap()], "").replace(HIGHLIGHT_END, ""));
            }
            text.push('\n');
        }
        let n = self.collected.rows.len();
        text.push_str(&format!("\n({n} row{})\n", if n == 1 { "" } else { "s" }));
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
}
