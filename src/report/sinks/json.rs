//! JSON (one array of objects) and NDJSON (one object per line), streamed row by row.
//!
//! Types are kept: integers and reals are numbers, NULL is `null`, blobs are hex strings, and the documented views'
//! list columns (JSON arrays held as text, e.g. `v_speakers.titles`) are written as arrays. A result with two columns
//! of one name gets unique keys (`x`, `x_2`; see [`super::unique_names`]): an object never repeats a key.

use std::io::Write;

use rusqlite::types::ValueRef;

use super::{hex, json_list, unique_names, Column, ColumnKind, RowSink, Sink};

pub struct JsonSink<'w> {
    out: std::io::BufWriter<&'w mut dyn Write>,
    /// One object per line instead of one array.
    lines: bool,
    /// Keys as JSON strings, escaped once.
    keys: Vec<String>,
    kinds: Vec<ColumnKind>,
    rows: usize,
}

impl<'w> JsonSink<'w> {
    pub fn new(out: &'w mut dyn Write, lines: bool) -> Self {
        JsonSink {
            out: std::io::BufWriter::with_capacity(64 * 1024, out),
            lines,
            keys: Vec::new(),
            kinds: Vec::new(),
            rows: 0,
        }
    }

    fn object(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        let out = &mut self.out;
        out.write_all(b"{")?;
        for (i, ((key, kind), v)) in self.keys.iter().zip(&self.kinds).zip(row).enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(key.as_bytes())?;
            out.write_all(b":")?;
            match *v {
                ValueRef::Null => out.write_all(b"null")?,
                ValueRef::Integer(n) => out.write_all(itoa::Buffer::new().format(n).as_bytes())?,
                ValueRef::Real(f) => serde_json::to_writer(&mut *out, &f)?,
                ValueRef::Text(t) => match (*kind == ColumnKind::JsonList).then(|| json_list(t)).flatten() {
                    Some(items) => serde_json::to_writer(&mut *out, &items)?,
                    None => serde_json::to_writer(&mut *out, &String::from_utf8_lossy(t))?,
                },
                ValueRef::Blob(b) => serde_json::to_writer(&mut *out, &hex(b))?,
            }
        }
        out.write_all(b"}")
    }
}

impl RowSink for JsonSink<'_> {
    fn columns(&mut self, columns: &[Column]) -> std::io::Result<()> {
        self.keys = unique_names(columns).iter().map(|n| serde_json::Value::from(n.as_str()).to_string()).collect();
        self.kinds = columns.iter().map(|c| c.kind).collect();
        Ok(())
    }

    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        if !self.lines {
            let sep: &[u8] = if self.rows == 0 { b"[\n" } else { b",\n" };
            self.out.write_all(sep)?;
        }
        self.object(row)?;
        if self.lines {
            self.out.write_all(b"\n")?;
        }
        self.rows += 1;
        Ok(())
    }
}

impl Sink for JsonSink<'_> {
    fn finish(mut self: Box<Self>) -> std::io::Result<usize> {
        if !self.lines {
            let end: &[u8] = if self.rows == 0 { b"[]\n" } else { b"\n]\n" };
            self.out.write_all(end)?;
        }
        self.out.flush()?;
        Ok(self.rows)
    }
}
