//! CSV (RFC 4180, CRLF, a header row) and TSV. NULL is an empty field; integers and reals are written as numbers.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return as a formula, and transcript
//! text is untrusted. With `csv_safe` (`--csv-safe`, or `csv_safe = true` in a job) such text cells are prefixed with
//! `'`, which spreadsheets show as text; numbers are never changed. It is off by default because it changes the data
//! that scripts, pandas and DuckDB read.

use std::io::Write;

use rusqlite::types::ValueRef;

use super::{real, Column, RowSink, Sink};

pub struct CsvSink<'w> {
    out: csv::Writer<&'w mut dyn Write>,
    header: Vec<String>,
    rows: usize,
    csv_safe: bool,
}

impl<'w> CsvSink<'w> {
    pub fn new(out: &'w mut dyn Write, delimiter: u8, csv_safe: bool) -> Self {
        CsvSink {
            out: csv::WriterBuilder::new()
                .delimiter(delimiter)
                .terminator(csv::Terminator::CRLF)
                .buffer_capacity(64 * 1024)
                .from_writer(out),
            header: Vec::new(),
            rows: 0,
            csv_safe,
        }
    }

    fn write_header(&mut self) -> std::io::Result<()> {
        let header = std::mem::take(&mut self.header);
        for h in &header {
            self.out.write_field(guard(h.as_bytes(), self.csv_safe).as_ref()).map_err(io)?;
        }
        self.out.write_record(std::iter::empty::<&[u8]>()).map_err(io)?;
        Ok(())
    }
}

/// The writer's error as the I/O error it is (a closed pipe stays a closed pipe, so the command ends quietly).
fn io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// Text that a spreadsheet would run as a formula, prefixed with `'` when protection is on.
pub fn guard(text: &[u8], on: bool) -> std::borrow::Cow<'_, [u8]> {
    if on && matches!(text.first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')) {
        let mut v = Vec::with_capacity(text.len() + 1);
        v.push(b'\'');
        v.extend_from_slice(text);
        std::borrow::Cow::Owned(v)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

impl RowSink for CsvSink<'_> {
    fn columns(&mut self, columns: &[Column]) -> std::io::Result<()> {
        // The header waits for the first row (or the end), so a query that fails on its first step writes nothing.
        self.header = columns.iter().map(|c| c.name.clone()).collect();
        Ok(())
    }

    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        if self.rows == 0 {
            self.write_header()?;
        }
        let mut digits = itoa::Buffer::new();
        for v in row {
            match *v {
                ValueRef::Null => self.out.write_field(b"").map_err(io)?,
                ValueRef::Integer(i) => self.out.write_field(digits.format(i)).map_err(io)?,
                ValueRef::Real(f) => self.out.write_field(real(f)).map_err(io)?,
                ValueRef::Text(t) => self.out.write_field(guard(t, self.csv_safe).as_ref()).map_err(io)?,
                ValueRef::Blob(b) => self.out.write_field(format!("<{} bytes>", b.len())).map_err(io)?,
            }
        }
        self.out.write_record(std::iter::empty::<&[u8]>()).map_err(io)?;
        self.rows += 1;
        Ok(())
    }
}

impl Sink for CsvSink<'_> {
    fn finish(mut self: Box<Self>) -> std::io::Result<usize> {
        if self.rows == 0 {
            self.write_header()?;
        }
        self.out.flush()?;
        Ok(self.rows)
    }
}
