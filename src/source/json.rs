//! JSON files: one record (an API response), an array of records, or records nested in groups (API Ninjas'
//! datasets nest them by year and quarter: `{"2025": {"Q1": [record, …]}}`).
//!
//! The file is walked as it is parsed: each record is handed on as soon as it is complete, keyed by its JSON pointer
//! (`/2025/Q1/0`; a file that is one record has no key), so an array of 100,000 calls never sits in memory at once.
//! What a record is comes from [`super::record::is_record`]: an object with a transcript text or a speaker list that
//! is not itself one turn of such a list. Objects inside a record stay part of it.

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::sync::mpsc::sync_channel;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::record::{is_record, FieldMap};
use super::{Item, RawRecord, ReadError, RecordBody, Records};

/// Files up to this size are read whole and parsed from memory, which is faster; larger ones stream.
const READ_WHOLE_BYTES: u64 = 64 << 20;

/// Records waiting between the walking thread and the importer.
const QUEUE: usize = 16;

pub fn records(file: File, fields: FieldMap) -> Result<Records, ReadError> {
    let size = file.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
    let (sender, receiver) = sync_channel::<Item>(QUEUE);
    std::thread::Builder::new()
        .name("calldb-json".into())
        .spawn(move || {
            let result = if size <= READ_WHOLE_BYTES {
                let mut bytes = Vec::with_capacity(size as usize);
                match BufReader::new(file).read_to_end(&mut bytes) {
                    Ok(_) => walk(&mut serde_json::Deserializer::from_slice(&bytes), &fields, &mut |item| {
                        sender.send(item).is_ok()
                    }),
                    Err(e) => Err(ReadError { line: None, message: format!("cannot read file: {e}") }),
                }
            } else {
                walk(
                    &mut serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 20, file)),
                    &fields,
                    &mut |item| sender.send(item).is_ok(),
                )
            };
            if let Err(e) = result {
                let _ = sender.send(Item::Stopped(e));
            }
        })
        .map_err(|e| ReadError { line: None, message: format!("cannot start reading: {e}") })?;
    Ok(Box::new(receiver.into_iter()))
}

/// The records of JSON already in memory (a transcript-named file that holds an API response), all at once.
pub fn records_in(bytes: &[u8], fields: &FieldMap) -> Vec<Item> {
    let mut items = Vec::new();
    let result = walk(&mut serde_json::Deserializer::from_slice(bytes), fields, &mut |item| {
        items.push(item);
        true
    });
    if let Err(e) = result {
        items.push(Item::Stopped(e));
    }
    items
}

/// Walks the whole document, sending records as they complete.
fn walk<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
    fields: &FieldMap,
    send: &mut dyn FnMut(Item) -> bool,
) -> Result<(), ReadError> {
    let mut sink = Sink { fields, send, records: 0, stopped: false };
    let root = Walk { pointer: String::new(), sink: &mut sink }.deserialize(&mut *de).map_err(|e| syntax(&e))?;
    de.end().map_err(|e| syntax(&e))?;
    match root {
        Node::Done => {}
        Node::Held(value) if is_record(&value, fields) => sink.record(None, value),
        // `{"AAPL_2025_Q1": {record}, …}`: a map of records.
        Node::Held(Value::Object(map)) if map.values().any(|v| is_record(v, fields)) => {
            for (key, value) in map {
                let pointer = format!("/{}", escape(&key));
                if is_record(&value, fields) {
                    sink.record(Some(pointer), value);
                }
            }
        }
        Node::Held(value) => {
            let what = match &value {
                Value::Object(m) => {
                    let mut names: Vec<&str> = m.keys().map(String::as_str).take(20).collect();
                    if names.is_empty() {
                        names.push("none");
                    }
                    format!(
                        "JSON without a transcript: no text field (content, transcript, text) or speaker list (its \
                         fields: {}); say which field holds it with --field text=FIELD or --field speakers=FIELD",
                        names.join(", ")
                    )
                }
                Value::Array(a) if a.is_empty() => "an empty JSON list: no records".into(),
                Value::Array(_) => "a JSON list whose items are not transcript records (no text field or speaker \
                                   list in them)"
                    .into(),
                _ => "a JSON value that is not a record".into(),
            };
            return Err(ReadError { line: None, message: what });
        }
    }
    if sink.records == 0 && !sink.stopped {
        return Err(ReadError { line: None, message: "no transcript records in the JSON file".into() });
    }
    Ok(())
}

/// `line 12 column 5: expected `,` or `}`` from serde_json's message.
fn syntax(e: &serde_json::Error) -> ReadError {
    if e.to_string() == STOPPED {
        return ReadError { line: None, message: STOPPED.into() };
    }
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
    ReadError { line: Some(e.line()), message: format!("not valid JSON: {message} (column {})", e.column()) }
}

/// The message the walk stops with when the importer no longer wants records.
const STOPPED: &str = "stopped";

/// `~` and `/` escaped as a JSON pointer writes them.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

struct Sink<'s> {
    fields: &'s FieldMap,
    /// Hands an item on; false once nobody wants more.
    send: &'s mut dyn FnMut(Item) -> bool,
    records: usize,
    stopped: bool,
}

impl Sink<'_> {
    fn record(&mut self, key: Option<String>, value: Value) {
        self.records += 1;
        let item = Item::Record(RawRecord { key, line: None, body: RecordBody::Value(value) });
        if !(self.send)(item) {
            self.stopped = true;
        }
    }

    fn bad(&mut self, key: String, message: String) {
        if !(self.send)(Item::BadRecord { key: Some(key), line: None, message }) {
            self.stopped = true;
        }
    }
}

/// What a value turned out to be: kept (it may be part of a record), or already handed on as records.
enum Node {
    Held(Value),
    Done,
}

struct Walk<'a, 's> {
    pointer: String,
    sink: &'a mut Sink<'s>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_> {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Held(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Held(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Held(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Held(Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Held(Value::String(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Held(Value::String(v)))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Held(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Held(Value::Null))
    }

    /// An array hands on its items that are records as each completes; if it held any, its other objects are bad
    /// records, reported by key.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let Walk { pointer, sink } = self;
        let mut held: Vec<(usize, Value)> = Vec::new();
        let mut records = 0;
        let mut i = 0;
        loop {
            let child = Walk { pointer: format!("{pointer}/{i}"), sink: &mut *sink };
            let Some(node) = seq.next_element_seed(child)? else { break };
            if sink.stopped {
                return Err(serde::de::Error::custom(STOPPED));
            }
            match node {
                Node::Done => records += 1,
                Node::Held(value) if is_record(&value, sink.fields) => {
                    records += 1;
                    sink.record(Some(format!("{pointer}/{i}")), value);
                }
                Node::Held(value) => held.push((i, value)),
            }
            i += 1;
        }
        if records == 0 {
            return Ok(Node::Held(Value::Array(held.into_iter().map(|(_, v)| v).collect())));
        }
        for (i, value) in held {
            if let Value::Object(map) = &value {
                let names: Vec<&str> = map.keys().map(String::as_str).take(20).collect();
                sink.bad(
                    format!("{pointer}/{i}"),
                    format!("no transcript text or speaker list in the record (its fields: {})", names.join(", ")),
                );
            }
        }
        Ok(Node::Done)
    }

    /// An object is kept whole (it may be a record, or part of one) unless records stood inside it: then it is a
    /// group, and its other children that are records are handed on too.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let Walk { pointer, sink } = self;
        let mut held = Map::new();
        let mut group = false;
        while let Some(key) = map.next_key::<String>()? {
            let child = Walk { pointer: format!("{pointer}/{}", escape(&key)), sink: &mut *sink };
            let node = map.next_value_seed(child)?;
            if sink.stopped {
                return Err(serde::de::Error::custom(STOPPED));
            }
            match node {
                Node::Done => group = true,
                Node::Held(value) => {
                    held.insert(key, value);
                }
            }
        }
        // `{"Q1": {record}, "Q2": {record}}`: a map of records, at whatever depth.
        group |= held.values().filter(|v| is_record(v, sink.fields)).count() >= 2;
        if !group {
            return Ok(Node::Held(Value::Object(held)));
        }
        for (key, value) in held {
            if is_record(&value, sink.fields) {
                sink.record(Some(format!("{pointer}/{}", escape(&key))), value);
            }
        }
        Ok(Node::Done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(json: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.json");
        std::fs::write(&path, json).unwrap();
        records(File::open(&path).unwrap(), FieldMap::default())
            .unwrap()
            .map(|item| match item {
                Item::Record(r) => r.key.unwrap_or_else(|| "(file)".into()),
                Item::BadRecord { key, message, .. } => format!("bad {} {message}", key.unwrap()),
                Item::Stopped(e) => format!("stopped {e}"),
            })
            .collect()
    }

    const TEXT: &str = "Operator: Welcome to the call, everyone, and thank you for joining us today for the results";

    #[test]
    fn records_are_found_however_they_nest() {
        let one = format!(r#"{{"symbol": "ACME", "quarter": 3, "year": 2020, "content": "{TEXT}"}}"#);
        assert_eq!(keys_of(&one), ["(file)"]);
        assert_eq!(keys_of(&format!("[{one}, {one}]")), ["/0", "/1"]);
        let split = r#"[{"speaker": "Operator", "text": "hi"}, {"speaker": "Jo", "text": "hello"}]"#;
        let nested = format!(
            r#"{{"2025": {{"Q1": [{{"ticker": "A", "transcript": {{"transcript": "{TEXT}", "transcript_split": {split}}}}}, {one}]}}}}"#
        );
        assert_eq!(keys_of(&nested), ["/2025/Q1/0", "/2025/Q1/1"]);
        let keyed = format!(r#"{{"ACME_Q1": {one}, "ACME/Q2": {one}}}"#);
        assert_eq!(keys_of(&keyed), ["/ACME~1Q2", "/ACME_Q1"], "in key order");
        let with_bad = format!(r#"[{one}, {{"ticker": "B", "notes": "none"}}]"#);
        assert_eq!(
            keys_of(&with_bad),
            ["/0", "bad /1 no transcript text or speaker list in the record (its fields: notes, ticker)"]
        );
        let broken = format!("[{one}, {{\"ticker\": ");
        let got = keys_of(&broken);
        assert_eq!(got[0], "/0");
        assert!(got[1].starts_with("stopped line 1: not valid JSON"), "{got:?}");
        let no_text = keys_of(r#"{"ticker": "A", "turns": [{"section": "qa", "words": 5}]}"#);
        assert!(
            no_text[0].contains("JSON without a transcript") && no_text[0].contains("ticker, turns"),
            "{no_text:?}"
        );
    }
}
