//! JSON lines (`.jsonl`, `.ndjson`): a record a line, keyed by its 1-based line number. Lines are read one at a
//! time and their JSON parsed on the parsing threads, so a file of any size streams in bounded memory.

use std::fs::File;
use std::io::{BufRead, BufReader};

use super::{Item, RawRecord, ReadError, RecordBody, Records};

/// The longest line read as one record: a call's transcript is well under this.
const MAX_RECORD_BYTES: usize = crate::parse::MAX_FILE_BYTES;

pub fn records(file: File) -> Records {
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line_no = 0usize;
    let mut done = false;
    Box::new(std::iter::from_fn(move || loop {
        if done {
            return None;
        }
        let mut line = Vec::new();
        line_no += 1;
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(e) => {
                done = true;
                return Some(Item::Stopped(ReadError { line: Some(line_no), message: format!("cannot read: {e}") }));
            }
        }
        let text = trim_ascii(&line);
        if text.is_empty() {
            continue;
        }
        let key = Some(line_no.to_string());
        if text.len() > MAX_RECORD_BYTES {
            return Some(Item::BadRecord {
                key,
                line: Some(line_no),
                message: format!("the line is {} MB, over the limit for one call", text.len() / (1024 * 1024)),
            });
        }
        let body = RecordBody::Json(text.to_vec());
        return Some(Item::Record(RawRecord { key, line: Some(line_no), body }));
    }))
}

/// The line without surrounding whitespace (a `\r\n` end, a byte-order mark on the first line).
fn trim_ascii(line: &[u8]) -> &[u8] {
    let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
    line.trim_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_records_keyed_by_line_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.jsonl");
        std::fs::write(&path, "{\"a\":1}\r\n\n{\"a\":2}\n{broken\n").unwrap();
        let items: Vec<Item> = records(File::open(&path).unwrap()).collect();
        let keys: Vec<String> = items
            .iter()
            .map(|i| match i {
                Item::Record(r) => r.key.clone().unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(keys, ["1", "3", "4"]);
        let Item::Record(last) = items.into_iter().nth(2).unwrap() else { unreachable!() };
        assert!(last.value().unwrap_err().0.starts_with("not valid JSON"));
    }
}
