//! A table for people at a terminal: one line per row, cut with an ellipsis to the width the terminal has.
//!
//! Width goes where the text is: narrow columns keep their full width and the wide ones share what is left (rather
//! than every column getting an equal share). When the columns cannot fit even at a few characters each, each row is
//! printed as a record instead, one `column │ value` line per column (as `psql` does with `\x auto`), so nothing
//! runs past the terminal's edge. Every cell is made terminal-safe first ([`super::terminal_safe`]):
//! transcript text is untrusted, and an escape sequence in speech must never reach the terminal. With `highlight`,
//! the only escape sequences written are calldb's own (bold for matched words, see [`HIGHLIGHT_START`]).

use std::io::Write;

use rusqlite::types::ValueRef;
use unicode_width::UnicodeWidthStr;

use super::{plain_ref, terminal_safe, Column, RowSink, Sink};
use crate::report::format::counted;

/// Marks put around matched words (by `search`); zero-width, so they cost no column width, and replaced by bold on,
/// bold off once the table is laid out.
pub const HIGHLIGHT_START: &str = "\u{2060}";
pub const HIGHLIGHT_END: &str = "\u{200B}";

pub struct TableSink<'w> {
    out: &'w mut dyn Write,
    max_width: Option<usize>,
    highlight: bool,
    /// Every row is needed before the widths are known: kept as the text each cell will show, not as values.
    header: Vec<String>,
    cells: Cells,
}

impl<'w> TableSink<'w> {
    pub fn new(out: &'w mut dyn Write, max_width: Option<usize>, highlight: bool) -> Self {
        TableSink { out, max_width, highlight, header: Vec::new(), cells: Cells::default() }
    }
}

/// The rows' cells as shown, in one string with each cell's end and whether it holds a number (numbers are
/// right-aligned). A result of a million rows costs the text it shows and a few bytes per cell, where a string (or
/// a value) per cell costs several times that.
#[derive(Default)]
struct Cells {
    text: String,
    ends: Vec<usize>,
    numeric: Vec<bool>,
    columns: usize,
}

impl Cells {
    fn push(&mut self, value: ValueRef<'_>) {
        self.text.push_str(&one_line(&plain_ref(value)));
        self.ends.push(self.text.len());
        self.numeric.push(matches!(value, ValueRef::Integer(_) | ValueRef::Real(_)));
    }

    fn rows(&self) -> usize {
        self.ends.len().checked_div(self.columns).unwrap_or(0)
    }

    fn cell(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// Row `r`: each cell's text and whether it is a number.
    fn row(&self, r: usize) -> impl Iterator<Item = (&str, bool)> {
        (r * self.columns..(r + 1) * self.columns).map(|i| (self.cell(i), self.numeric[i]))
    }
}

fn one_line(s: &str) -> String {
    terminal_safe(&s.replace("\r\n", " ").replace(['\n', '\r', '\t'], " ")).into_owned()
}

/// Characters of a cell that count against its column's width (the highlight marks do not).
fn counted_chars(s: &str) -> usize {
    s.chars().filter(|c| !is_mark(*c)).count()
}

fn cut(s: &str, width: usize) -> String {
    if counted_chars(s) <= width {
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
fn records(
    header: &[String],
    cells: &Cells,
    total: usize,
    out: &mut dyn Write,
    highlight: bool,
) -> std::io::Result<()> {
    let name_width = header.iter().map(|h| counted_chars(h)).max().unwrap_or(0).min(total / 2);
    let value_width = total.saturating_sub(name_width + 3).max(MIN_COLUMN);
    for r in 0..cells.rows() {
        let mut text = String::new();
        let rule = format!("─[ row {} ]", r + 1);
        let fill = total.saturating_sub(rule.chars().count()).min(40);
        text.push_str(&format!("{rule}{}\n", "─".repeat(fill)));
        for (name, (value, _)) in header.iter().zip(cells.row(r)) {
            let name = cut(name, name_width);
            let pad = name_width.saturating_sub(counted_chars(&name));
            text.push_str(&format!("{name}{} │ {}\n", " ".repeat(pad), cut(value, value_width)));
        }
        out.write_all(unmark(&text, highlight).as_bytes())?;
    }
    Ok(())
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

/// Rows laid out per table piece: a table of a million rows is written a piece at a time, each piece a table with
/// every column at its width for the whole result, joined where one piece's bottom rule meets the next one's top.
const ROWS_PER_PIECE: usize = 2_000;

impl RowSink for TableSink<'_> {
    fn columns(&mut self, columns: &[Column]) -> std::io::Result<()> {
        self.header = columns.iter().map(|c| one_line(&c.name)).collect();
        self.cells.columns = columns.len();
        Ok(())
    }

    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        for value in row {
            self.cells.push(*value);
        }
        Ok(())
    }
}

/// The widest a column held at one width can be: comfy-table adds its padding to a width in 16 bits.
const WIDEST_HELD: usize = 60_000;

/// How wide comfy-table lays a cell out on screen once cut to `width` characters (a combining accent or a soft hyphen
/// takes no room; a CJK character takes two).
fn shown_width(cell: &str, width: usize) -> usize {
    if counted_chars(cell) <= width {
        cell.width()
    } else {
        cut(cell, width).width()
    }
}

impl TableSink<'_> {
    /// The table, written a piece of `rows_per_piece` rows at a time. Every piece holds each column at the width one
    /// table of the whole result would give it (the widest cell as shown, plus padding); a column too wide for that
    /// makes the table one piece, as it always was.
    fn write_table(&mut self, widths: &[usize], rows_per_piece: usize) -> std::io::Result<()> {
        let rows = self.cells.rows();
        let mut shown: Vec<usize> = self.header.iter().zip(widths).map(|(h, w)| shown_width(h, *w)).collect();
        for r in 0..rows {
            for ((cell, _), (s, w)) in self.cells.row(r).zip(shown.iter_mut().zip(widths)) {
                *s = (*s).max(shown_width(cell, *w));
            }
        }
        let held = shown.iter().all(|s| *s <= WIDEST_HELD);
        let rows_per_piece = if held { rows_per_piece } else { rows.max(1) };
        let pieces = rows.div_ceil(rows_per_piece).max(1);
        for piece in 0..pieces {
            let mut t = comfy_table::Table::new();
            t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(comfy_table::ContentArrangement::Disabled);
            if piece == 0 {
                t.set_header(self.header.iter().zip(widths).map(|(h, w)| cut(h, *w)));
            }
            for r in piece * rows_per_piece..((piece + 1) * rows_per_piece).min(rows) {
                t.add_row(self.cells.row(r).zip(widths).map(|((c, number), w)| {
                    let cell = comfy_table::Cell::new(cut(c, *w));
                    if number {
                        cell.set_alignment(comfy_table::CellAlignment::Right)
                    } else {
                        cell
                    }
                }));
            }
            if held {
                for (column, s) in t.column_iter_mut().zip(&shown) {
                    let fixed = comfy_table::Width::Fixed(u16::try_from(s + 2).unwrap_or(u16::MAX));
                    column.set_constraint(comfy_table::ColumnConstraint::Absolute(fixed));
                }
            }
            let text = t.to_string();
            let lines: Vec<&str> = text.lines().collect();
            let first = usize::from(piece > 0);
            let last = if piece + 1 < pieces { lines.len().saturating_sub(1) } else { lines.len() };
            let mut part = lines[first.min(last)..last].join("\n");
            part.push('\n');
            self.out.write_all(unmark(&part, self.highlight).as_bytes())?;
        }
        Ok(())
    }
}

impl TableSink<'_> {
    /// Each column's width in characters with nothing cut: its widest cell, or its name.
    fn natural_widths(&self) -> Vec<usize> {
        let mut natural: Vec<usize> = self.header.iter().map(|h| counted_chars(h)).collect();
        for r in 0..self.cells.rows() {
            for (n, (cell, _)) in natural.iter_mut().zip(self.cells.row(r)) {
                *n = (*n).max(counted_chars(cell));
            }
        }
        natural
    }
}

impl Sink for TableSink<'_> {
    fn finish(mut self: Box<Self>) -> std::io::Result<usize> {
        let natural = self.natural_widths();
        let n = self.cells.rows();
        if let Some(total) = self.max_width.filter(|_| !fits_as_table(&natural, self.max_width)) {
            records(&self.header, &self.cells, total, self.out, self.highlight)?;
        } else {
            let widths = column_widths(&natural, self.max_width);
            self.write_table(&widths, ROWS_PER_PIECE)?;
        }
        self.out.write_all(format!("\n({})\n", counted(n, "row", "rows")).as_bytes())?;
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

    /// Speaker names of different lengths, some with characters whose width on screen is not one per character (a
    /// combining accent, a soft hyphen, CJK, an emoji) in a few rows only, so pieces differ in them.
    fn speaker(i: usize) -> String {
        let odd = ["", "Jose\u{301}", "Ann\u{AD}Marie", "王小明", "🙂 Kim", ""];
        format!("Speaker {}{}", "x".repeat(i * 7 % 23), if i.is_multiple_of(11) { odd[i / 11 % odd.len()] } else { "" })
    }

    /// A table of `rows` rows, some narrow, some wide, some numbers, laid out in pieces of `per_piece` rows.
    fn table_in_pieces(rows: usize, per_piece: usize, max_width: Option<usize>) -> String {
        let mut out = Vec::new();
        let mut sink = TableSink::new(&mut out, max_width, false);
        let column = |name: &str| Column { name: name.into(), kind: super::super::ColumnKind::Any };
        sink.columns(&[column("ticker"), column("words"), column("speaker")]).unwrap();
        for i in 0..rows {
            let name = speaker(i);
            let words = (i * 7919 % 100_000) as i64;
            sink.row(&[ValueRef::Text(b"ACME"), ValueRef::Integer(words), ValueRef::Text(name.as_bytes())]).unwrap();
        }
        let widths = column_widths(&sink.natural_widths(), max_width);
        sink.write_table(&widths, per_piece).unwrap();
        drop(sink);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_table_written_in_pieces_is_the_table_written_whole() {
        for max_width in [None, Some(40)] {
            let whole = table_in_pieces(50, 1_000, max_width);
            for per_piece in [1, 3, 7, 49, 50] {
                assert_eq!(table_in_pieces(50, per_piece, max_width), whole, "{per_piece} rows a piece");
            }
            // The whole table is what one table of the crate lays out, with no width imposed.
            let mut t = comfy_table::Table::new();
            t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(comfy_table::ContentArrangement::Disabled);
            let lines: Vec<&str> = whole.lines().collect();
            assert!(lines.len() > 50 && lines[0].starts_with('┌') && lines.last().unwrap().starts_with('└'));
            // Cells cut to each column's width in characters, as the sink cuts them.
            let natural: Vec<usize> = (0..50)
                .map(|i| [4, (i * 7919 % 100_000).to_string().len(), speaker(i).chars().count()])
                .fold(vec!["ticker".len(), "words".len(), "speaker".len()], |m, r| {
                    m.iter().zip(r).map(|(a, b)| (*a).max(b)).collect()
                });
            let widths = column_widths(&natural, max_width);
            t.set_header(["ticker", "words", "speaker"].iter().zip(&widths).map(|(h, w)| cut(h, *w)));
            for i in 0..50 {
                let name = speaker(i);
                let words = (i * 7919 % 100_000).to_string();
                t.add_row(vec![
                    comfy_table::Cell::new("ACME"),
                    comfy_table::Cell::new(words).set_alignment(comfy_table::CellAlignment::Right),
                    comfy_table::Cell::new(cut(&name, widths[2])),
                ]);
            }
            assert_eq!(whole, format!("{t}\n"), "{max_width:?}");
        }
        // A cell too wide for comfy-table to hold at a set width (it adds padding in 16 bits): one piece, as before.
        let wide = |per_piece: usize| {
            let mut out = Vec::new();
            let mut sink = TableSink::new(&mut out, None, false);
            sink.columns(&[Column { name: "text".into(), kind: super::super::ColumnKind::Any }]).unwrap();
            let long = "y".repeat(70_000);
            for cell in ["short", long.as_str(), "short"] {
                sink.row(&[ValueRef::Text(cell.as_bytes())]).unwrap();
            }
            sink.write_table(&[70_000], per_piece).unwrap();
            drop(sink);
            out
        };
        assert_eq!(wide(1), wide(10));
        // No rows: the header alone.
        let empty = table_in_pieces(0, 3, None);
        assert_eq!(empty.lines().count(), 4, "{empty}");
    }

    #[test]
    fn too_many_columns_for_the_width_become_records_that_fit() {
        assert!(fits_as_table(&[5, 10, 200], Some(80)));
        let eleven = [7, 6, 13, 10, 7, 18, 32, 32, 5, 5, 9];
        assert!(!fits_as_table(&eleven, Some(80)) && fits_as_table(&eleven, None));
        let header: Vec<String> = ["ticker", "a_long_column_name"].iter().map(|s| s.to_string()).collect();
        let mut cells = Cells { columns: 2, ..Cells::default() };
        let long = "x".repeat(200);
        cells.push(ValueRef::Text(b"ACME"));
        cells.push(ValueRef::Text(long.as_bytes()));
        let mut out = Vec::new();
        records(&header, &cells, 40, &mut out, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
        assert!(text.starts_with("─[ row 1 ]") && text.contains("ticker             │ ACME\n"), "{text}");
    }
}
