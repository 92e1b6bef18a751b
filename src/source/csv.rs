//! CSV and TSV datasets: a header row naming the fields, then a record a row, keyed by its 1-based data row. A
//! cell holding a JSON list or object (a speaker list exported to CSV) is read as that JSON. Rows are read one at a
//! time, so a file of any size streams in bounded memory.

use std::fs::File;

use serde_json::{Map, Value};

use super::{Item, RawRecord, ReadError, RecordBody, Records};

pub fn records(file: File, tabs: bool) -> Result<Records, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if tabs { b'\t' } else { b',' })
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ReadError { line: Some(1), message: format!("cannot read the header row: {e}") })?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(ReadError { line: Some(1), message: "the header row names no fields".into() });
    }
    let mut row = 0usize;
    let mut record = csv::StringRecord::new();
    let mut done = false;
    Ok(Box::new(std::iter::from_fn(move || {
        if done {
            return None;
        }
        let line = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => None,
            Ok(true) => {
                row += 1;
                let key = Some(row.to_string());
                if record.len() != headers.len() {
                    return Some(Item::BadRecord {
                        key,
                        line: Some(line),
                        message: format!("the row has {} fields, the header {}", record.len(), headers.len()),
                    });
                }
                let mut map = Map::new();
                for (name, cell) in headers.iter().zip(record.iter()) {
                    map.insert(name.clone(), cell_value(cell));
                }
                Some(Item::Record(RawRecord { key, line: Some(line), body: RecordBody::Value(Value::Object(map)) }))
            }
            Err(e) => {
                done = true;
                let line = e.position().map_or(line, |p| p.line() as usize);
                Some(Item::Stopped(ReadError { line: Some(line), message: format!("not valid CSV: {e}") }))
            }
        }
    })))
}

/// A cell as a JSON value: a list or object when it holds one, else its text (`""` is null).
fn cell_value(cell: &str) -> Value {
    let trimmed = cell.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        if let Ok(v) = serde_json::from_str::<Value>(cell) {
            return v;
        }
    }
    if cell.is_empty() {
        Value::Null
    } else {
        Value::String(cell.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_records_with_header_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.csv");
        std::fs::write(
            &path,
            "symbol,year,content,speakers\nACME,2021,\"Operator: Hi,\nthere\",\"[{\"\"speaker\"\": \"\"Jo\"\", \"\"text\"\": \"\"hi\"\"}]\"\nBAD,2021\n",
        )
        .unwrap();
        let items: Vec<Item> = records(File::open(&path).unwrap(), false).unwrap().collect();
        let Item::Record(first) = &items[0] else { panic!("{items:?}") };
        let RecordBody::Value(v) = &first.body else { panic!() };
        assert_eq!(v["content"], "Operator: Hi,\nthere");
        assert_eq!(v["speakers"][0]["speaker"], "Jo");
        assert_eq!(first.key.as_deref(), Some("1"));
        assert!(matches!(&items[1], Item::BadRecord { key: Some(k), .. } if k == "2"));
    }
}
