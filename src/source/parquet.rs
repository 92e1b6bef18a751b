//! Parquet datasets (Hugging Face and other public transcript datasets ship as Parquet): a record a row, keyed by
//! its 1-based row number. Rows are read a small batch at a time and each written as JSON (nested columns such as
//! a `structured_content` list of `{speaker, text}` included), so a file of any size streams in bounded memory.

use std::fs::File;

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::{Item, RawRecord, ReadError, RecordBody, Records};

/// Rows read at a time: a row is a whole call (tens of kilobytes), so batches stay small.
const BATCH_ROWS: usize = 32;

pub fn records(file: File) -> Result<Records, ReadError> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.with_batch_size(BATCH_ROWS).build())
        .map_err(|e| ReadError { line: None, message: format!("not a readable Parquet file: {e}") })?;
    let mut batches = reader;
    let mut pending: std::vec::IntoIter<Vec<u8>> = Vec::new().into_iter();
    let mut row = 0usize;
    let mut done = false;
    Ok(Box::new(std::iter::from_fn(move || loop {
        if let Some(json) = pending.next() {
            row += 1;
            return Some(Item::Record(RawRecord {
                key: Some(row.to_string()),
                line: None,
                body: RecordBody::Json(json),
            }));
        }
        if done {
            return None;
        }
        match batches.next() {
            None => return None,
            Some(Err(e)) => {
                done = true;
                return Some(Item::Stopped(ReadError {
                    line: None,
                    message: format!("cannot read Parquet rows after row {row}: {e}"),
                }));
            }
            Some(Ok(batch)) => {
                let mut writer = arrow_json::LineDelimitedWriter::new(Vec::new());
                let written = writer.write(&batch).and_then(|_| writer.finish());
                match written {
                    Ok(()) => {
                        let bytes = writer.into_inner();
                        let rows: Vec<Vec<u8>> =
                            bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(<[u8]>::to_vec).collect();
                        pending = rows.into_iter();
                    }
                    Err(e) => {
                        done = true;
                        return Some(Item::Stopped(ReadError {
                            line: None,
                            message: format!("cannot turn Parquet rows after row {row} into records: {e}"),
                        }));
                    }
                }
            }
        }
    })))
}
