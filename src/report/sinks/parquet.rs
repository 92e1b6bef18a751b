//! Apache Parquet, typed for DuckDB, Polars, pandas, Spark and Trino: integers as INT64, reals as DOUBLE, dates as
//! DATE, the UTC instant as a TIMESTAMP (microseconds, UTC), JSON-list columns as LIST<STRING>, other text as STRING.
//!
//! Each column's type comes from its [`ColumnKind`]; a column with no declared type takes the type of its values in
//! the first batch (integers, then reals, then text). Rows are written in row groups as they arrive, so a large
//! result needs memory for one batch only. Column names are made unique ([`super::unique_names`]).

use std::io::Write;
use std::sync::{Arc, Mutex};

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{
    ArrayRef, BinaryArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use rusqlite::types::{Value, ValueRef};

use super::{json_list, owned, unique_names, Column, ColumnKind, RowSink, Sink};

/// Rows per batch (and per write into the current row group).
const BATCH_ROWS: usize = 8192;
/// Rows per row group: large enough for good compression, small enough to stream.
const ROW_GROUP_ROWS: usize = 65_536;

/// What a column is written as, once decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Physical {
    Int,
    Double,
    Text,
    Date,
    Timestamp,
    List,
    Bytes,
}

/// The bytes ArrowWriter produces, handed on to the real output after each write (ArrowWriter needs a `Send` sink,
/// which standard output is not).
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("parquet buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct ParquetSink<'w> {
    out: &'w mut dyn Write,
    shared: Shared,
    writer: Option<ArrowWriter<Shared>>,
    schema: Option<Arc<Schema>>,
    columns: Vec<Column>,
    names: Vec<String>,
    physical: Vec<Physical>,
    batch: Vec<Vec<Value>>,
    rows: usize,
}

fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message)
}

impl<'w> ParquetSink<'w> {
    pub fn new(out: &'w mut dyn Write) -> Self {
        ParquetSink {
            out,
            shared: Shared::default(),
            writer: None,
            schema: None,
            columns: Vec::new(),
            names: Vec::new(),
            physical: Vec::new(),
            batch: Vec::new(),
            rows: 0,
        }
    }

    /// Fixes each column's type: declared kinds as declared, the others from the values of the first batch.
    fn decide(&mut self) {
        self.physical = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| match c.kind {
                ColumnKind::Integer => Physical::Int,
                ColumnKind::Real => Physical::Double,
                ColumnKind::Text => Physical::Text,
                ColumnKind::Date => Physical::Date,
                ColumnKind::Timestamp => Physical::Timestamp,
                ColumnKind::JsonList => Physical::List,
                ColumnKind::Any => {
                    let (mut ints, mut reals, mut texts, mut blobs) = (0, 0, 0, 0);
                    for r in &self.batch {
                        match r[i] {
                            Value::Integer(_) => ints += 1,
                            Value::Real(_) => reals += 1,
                            Value::Text(_) => texts += 1,
                            Value::Blob(_) => blobs += 1,
                            Value::Null => {}
                        }
                    }
                    if texts > 0 || (blobs > 0 && ints + reals > 0) {
                        Physical::Text
                    } else if blobs > 0 {
                        Physical::Bytes
                    } else if reals > 0 {
                        Physical::Double
                    } else if ints > 0 {
                        Physical::Int
                    } else {
                        Physical::Text
                    }
                }
            })
            .collect();
    }

    fn array(&self, i: usize) -> std::io::Result<ArrayRef> {
        let name = &self.names[i];
        let values = self.batch.iter().map(|r| &r[i]);
        let bad = |what: &str, v: &Value| {
            invalid(format!(
                "column `{name}` is written as {what} but holds {}",
                super::plain(v).chars().take(40).collect::<String>()
            ))
        };
        Ok(match self.physical[i] {
            Physical::Int => Arc::new(
                values
                    .map(|v| match v {
                        Value::Null => Ok(None),
                        Value::Integer(n) => Ok(Some(*n)),
                        Value::Real(f) if f.fract() == 0.0 => Ok(Some(*f as i64)),
                        Value::Text(t) => t.trim().parse().map(Some).map_err(|_| bad("integers", v)),
                        _ => Err(bad("integers", v)),
                    })
                    .collect::<std::io::Result<Int64Array>>()?,
            ),
            Physical::Double => Arc::new(
                values
                    .map(|v| match v {
                        Value::Null => Ok(None),
                        Value::Integer(n) => Ok(Some(*n as f64)),
                        Value::Real(f) => Ok(Some(*f)),
                        Value::Text(t) => t.trim().parse().map(Some).map_err(|_| bad("numbers", v)),
                        _ => Err(bad("numbers", v)),
                    })
                    .collect::<std::io::Result<Float64Array>>()?,
            ),
            Physical::Text => Arc::new(
                values
                    .map(|v| match v {
                        Value::Null => None,
                        v => Some(super::plain(v)),
                    })
                    .collect::<StringArray>(),
            ),
            Physical::Bytes => Arc::new(
                values
                    .map(|v| match v {
                        Value::Blob(b) => Some(b.clone()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|b| b.as_deref())
                    .collect::<BinaryArray>(),
            ),
            Physical::Date => {
                let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
                Arc::new(
                    values
                        .map(|v| match v {
                            Value::Null => Ok(None),
                            Value::Text(t) => chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
                                .map(|d| Some((d - epoch).num_days() as i32))
                                .map_err(|_| bad("dates (YYYY-MM-DD)", v)),
                            _ => Err(bad("dates (YYYY-MM-DD)", v)),
                        })
                        .collect::<std::io::Result<Date32Array>>()?,
                )
            }
            Physical::Timestamp => Arc::new(
                values
                    .map(|v| match v {
                        Value::Null => Ok(None),
                        Value::Text(t) => chrono::DateTime::parse_from_rfc3339(t.trim())
                            .map(|d| Some(d.timestamp_micros()))
                            .map_err(|_| bad("UTC instants (ISO 8601)", v)),
                        _ => Err(bad("UTC instants (ISO 8601)", v)),
                    })
                    .collect::<std::io::Result<TimestampMicrosecondArray>>()?
                    .with_timezone("UTC"),
            ),
            Physical::List => {
                let mut b = ListBuilder::new(StringBuilder::new());
                for v in values {
                    match v {
                        Value::Null => b.append(false),
                        Value::Text(t) => {
                            let items = json_list(t.as_bytes()).ok_or_else(|| bad("JSON lists", v))?;
                            for item in items {
                                match item {
                                    serde_json::Value::Null => b.values().append_null(),
                                    serde_json::Value::String(s) => b.values().append_value(s),
                                    other => b.values().append_value(other.to_string()),
                                }
                            }
                            b.append(true);
                        }
                        _ => return Err(bad("JSON lists", v)),
                    }
                }
                Arc::new(b.finish())
            }
        })
    }

    /// Writes the buffered rows as one record batch and hands the bytes produced so far to the output.
    fn flush_batch(&mut self) -> std::io::Result<()> {
        if self.writer.is_none() {
            self.decide();
        }
        let arrays: Vec<ArrayRef> = (0..self.columns.len()).map(|i| self.array(i)).collect::<Result<_, _>>()?;
        if self.writer.is_none() {
            let fields: Vec<Field> = arrays
                .iter()
                .zip(&self.names)
                .map(|(a, n)| Field::new(n.as_str(), a.data_type().clone(), true))
                .collect();
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
                .build();
            let schema = Arc::new(Schema::new(fields));
            let writer = ArrowWriter::try_new(self.shared.clone(), schema.clone(), Some(props))
                .map_err(|e| invalid(format!("starting the Parquet file: {e}")))?;
            self.writer = Some(writer);
            self.schema = Some(schema);
        }
        let schema = self.schema.clone().expect("schema set with the writer");
        let writer = self.writer.as_mut().expect("writer started above");
        let batch =
            RecordBatch::try_new(schema, arrays).map_err(|e| invalid(format!("building a Parquet batch: {e}")))?;
        writer.write(&batch).map_err(|e| invalid(format!("writing Parquet: {e}")))?;
        self.batch.clear();
        self.drain()
    }

    fn drain(&mut self) -> std::io::Result<()> {
        let bytes = std::mem::take(&mut *self.shared.0.lock().expect("parquet buffer"));
        self.out.write_all(&bytes)
    }
}

impl RowSink for ParquetSink<'_> {
    fn columns(&mut self, columns: &[Column]) -> std::io::Result<()> {
        self.columns = columns.to_vec();
        self.names = unique_names(columns);
        Ok(())
    }

    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        self.batch.push(row.iter().map(|v| owned(*v)).collect());
        self.rows += 1;
        if self.batch.len() >= BATCH_ROWS {
            self.flush_batch()?;
        }
        Ok(())
    }
}

impl Sink for ParquetSink<'_> {
    fn finish(mut self: Box<Self>) -> std::io::Result<usize> {
        if !self.batch.is_empty() || self.writer.is_none() {
            self.flush_batch()?;
        }
        if let Some(writer) = self.writer.take() {
            writer.close().map_err(|e| invalid(format!("finishing the Parquet file: {e}")))?;
        }
        self.drain()?;
        self.out.flush()?;
        Ok(self.rows)
    }
}
