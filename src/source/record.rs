//! One record of a dataset or API response, read as a call: which fields hold the facts, the text and the speakers.
//!
//! Field names are recognized as the well-known sources write them, case and separators aside (`companyName` =
//! `company_name`): ticker (`ticker`, `symbol`), company (`company`, `company_name`), year (`year`, `fiscal_year`,
//! `fiscalYear`), quarter (`quarter`, `period`: `3`, `"Q3"`, `"2024Q1"`, `"2020-Q2"`), date (`date`, `time`,
//! `conference_date`, a Unix `timestamp`; with or without a time zone), title (`title`, `headline`), url, the text
//! (`content`, `transcript`, `text`, `transcript_text`), structured speaker lists (`transcript_split`,
//! `structured_content`, `speakers`, Finnhub's `transcript: [{name, speech[], session}]`) and participants lists.
//! A field not found at the top of the record is looked for one or two objects down (`event.year`,
//! `transcript.transcript`). `--field ticker=meta.symbol` names any other field (dotted path, or a JSON pointer).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use serde_json::{Map, Value};

use crate::model::{CallTime, Participant, Role, SectionKind};
use crate::parse::header::{fiscal_period, parse_date_only, parse_schedule, schedule_at};
use crate::parse::speakers::{sided_participant, split_firm_and_title, ListSide};
use crate::parse::spoken::SpokenTurn;
use crate::parse::RecordFacts;

/// A fact or part of a record that `--field` can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Ticker,
    Company,
    Year,
    Quarter,
    Date,
    Title,
    Url,
    Text,
    Speakers,
    Participants,
}

impl Target {
    const ALL: [(&'static str, Target); 10] = [
        ("ticker", Target::Ticker),
        ("company", Target::Company),
        ("year", Target::Year),
        ("quarter", Target::Quarter),
        ("date", Target::Date),
        ("title", Target::Title),
        ("url", Target::Url),
        ("text", Target::Text),
        ("speakers", Target::Speakers),
        ("participants", Target::Participants),
    ];

    /// The field names the well-known sources use, normalized (lower case, letters and digits only), best first.
    fn names(self) -> &'static [&'static str] {
        match self {
            Target::Ticker => &["ticker", "symbol", "tickersymbol", "stocksymbol", "stockticker"],
            Target::Company => &["companyname", "company", "issuer", "issuername"],
            Target::Year => &["fiscalyear", "year", "fy", "calendaryear"],
            Target::Quarter => &["fiscalquarter", "quarter", "fiscalperiod", "period", "qtr", "q"],
            Target::Date => &[
                "conferencedate",
                "calldate",
                "eventdate",
                "date",
                "datetime",
                "time",
                "starttime",
                "eventtime",
                "announcedate",
                "mostimportantdateutc",
                "timestamp",
            ],
            Target::Title => &["title", "headline", "eventtitle", "eventname"],
            Target::Url => &["url", "sourceurl", "link", "transcripturl"],
            Target::Text => {
                &["content", "transcript", "text", "transcripttext", "fulltext", "body", "transcriptcontent"]
            }
            Target::Speakers => &[
                "transcriptsplit",
                "structuredcontent",
                "speakertexts",
                "speakers",
                "turns",
                "segments",
                "utterances",
                "dialogue",
                "transcript",
                "paragraphs",
            ],
            Target::Participants => &["participants", "participant", "attendees"],
        }
    }
}

/// Where the user says a fact is (`--field ticker=meta.symbol`), beyond the names recognized.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    fields: Vec<(Target, Vec<String>)>,
}

impl FieldMap {
    /// Reads `--field` values: `TARGET=PATH`, the path dotted (`meta.symbol`) or a JSON pointer (`/meta/symbol`).
    pub fn parse(specs: &[String]) -> Result<FieldMap, String> {
        let mut fields = Vec::new();
        for spec in specs {
            let (target, path) = spec
                .split_once('=')
                .ok_or_else(|| format!("--field `{spec}`: expected TARGET=PATH, e.g. ticker=meta.symbol"))?;
            let target = Target::ALL.iter().find(|(n, _)| *n == target.trim()).map(|(_, t)| *t).ok_or_else(|| {
                let known: Vec<&str> = Target::ALL.iter().map(|(n, _)| *n).collect();
                format!("--field `{spec}`: unknown target `{target}` (known: {})", known.join(", "))
            })?;
            let path = path.trim();
            let parts: Vec<String> = match path.strip_prefix('/') {
                Some(pointer) => pointer.split('/').map(|p| p.replace("~1", "/").replace("~0", "~")).collect(),
                None => path.split('.').map(str::to_string).collect(),
            };
            if path.is_empty() || parts.iter().any(String::is_empty) {
                return Err(format!("--field `{spec}`: the path is empty or has an empty part"));
            }
            fields.push((target, parts));
        }
        Ok(FieldMap { fields })
    }

    fn path(&self, target: Target) -> Option<&[String]> {
        self.fields.iter().find(|(t, _)| *t == target).map(|(_, p)| p.as_slice())
    }
}

/// What a record holds once read: its facts, and its speech as text for the layouts or as a speaker list.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordCall {
    pub facts: RecordFacts,
    pub speech: Speech,
    /// People the record lists beside the speech (Finnhub's `participant`), as listed participants.
    pub listed: Vec<Participant>,
    /// What reading the fields noticed (a date it cannot read), kept with the call.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Speech {
    /// Text for the layouts to read (`Name: speech` lines, a publisher's layout, or a whole-call block).
    Text(String),
    /// The record's own speaker list: used as given.
    Turns(Vec<SpokenTurn>),
}

/// Why a record is not a call.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordError(pub String);

/// Reads one record: an object. Fails (saying what the record has) when it holds neither text nor a speaker list.
pub fn read(value: &Value, fields: &FieldMap) -> Result<RecordCall, RecordError> {
    let Value::Object(record) = value else {
        return Err(RecordError(format!("expected an object with the call's fields, found {}", kind_of(value))));
    };
    let speech = speech(record, fields)?;
    let mut facts = RecordFacts {
        ticker: string(find(record, fields, Target::Ticker)).map(|t| t.trim().to_uppercase()),
        company: string(find(record, fields, Target::Company)),
        title: string(find(record, fields, Target::Title)),
        url: string(find(record, fields, Target::Url)).filter(|u| u.contains("://")),
        ..RecordFacts::default()
    };
    if let Some(v) = find(record, fields, Target::Quarter) {
        let (quarter, year) = quarter_of(v).ok_or_else(|| {
            RecordError(format!("the quarter `{}` is not a fiscal quarter (1-4, Q3, 2024Q1)", compact(v)))
        })?;
        facts.quarter = Some(quarter);
        facts.year = year;
    }
    if let Some(v) = find(record, fields, Target::Year) {
        facts.year = Some(year_of(v).ok_or_else(|| RecordError(format!("the year `{}` is not a year", compact(v))))?);
    }
    let mut warnings = Vec::new();
    if let Some(v) = find(record, fields, Target::Date) {
        facts.schedule = schedule_of(v);
        if facts.schedule.is_none() {
            warnings.push(format!("the record's date `{}` is not a date calldb reads: no date is stored", compact(v)));
        }
    }
    // A ticker that is not one (`Apple Inc.`) is a company name.
    if let Some(t) = facts.ticker.clone().filter(|t| t.chars().count() > 12 || t.contains(' ')) {
        facts.company.get_or_insert(t);
        facts.ticker = None;
    }
    let listed = find(record, fields, Target::Participants).map(participants_of).unwrap_or_default();
    Ok(RecordCall { facts, speech, listed, warnings })
}

/// True when an object is a call's record: it holds a text field or a speaker list (at its top, or in an object
/// one level down such as API Ninjas' `transcript: {transcript, transcript_split}`), and is not itself one turn of a
/// speaker list (`{speaker, text}`).
pub fn is_record(value: &Value, fields: &FieldMap) -> bool {
    let Value::Object(map) = value else { return false };
    if is_turn(map) {
        return false;
    }
    // `{"ACME_Q1": {record}, "ACME_Q2": {record}}` is a group of records, not one.
    let own_speech = |m: &Map<String, Value>| {
        m.iter().any(|(k, v)| {
            let k = normalize(k);
            (Target::Text.names().contains(&k.as_str()) && v.is_string())
                || (Target::Speakers.names().contains(&k.as_str()) && v.is_array())
        })
    };
    if map.values().filter_map(Value::as_object).filter(|m| own_speech(m)).count() >= 2 {
        return false;
    }
    speech(map, fields).is_ok()
}

/// `{speaker, text}`, `{name, speech}`: one turn of a speaker list.
fn is_turn(map: &Map<String, Value>) -> bool {
    let has = |names: &[&str]| map.keys().any(|k| names.contains(&normalize(k).as_str()));
    has(&["speaker", "speakername", "name", "speakerid"]) && has(&["text", "speech", "content", "paragraph"])
}

/// The record's speech: its speaker list when it has one with speakers, else its text.
fn speech(record: &Map<String, Value>, fields: &FieldMap) -> Result<Speech, RecordError> {
    if let Some(path) = fields.path(Target::Speakers) {
        let list = at_path(record, path).ok_or_else(|| missing_path("speakers", path, record))?;
        return turns_of(list, record).map(Speech::Turns).ok_or_else(|| {
            RecordError(format!("--field speakers: `{}` is not a list of speaker turns", path.join(".")))
        });
    }
    if let Some(path) = fields.path(Target::Text) {
        let text = at_path(record, path).ok_or_else(|| missing_path("text", path, record))?;
        return string(Some(text))
            .map(Speech::Text)
            .ok_or_else(|| RecordError(format!("--field text: `{}` is not text", path.join("."))));
    }
    let lists = candidates(record, Target::Speakers);
    if let Some(turns) = lists.into_iter().find_map(|v| turns_of(v, record)) {
        return Ok(Speech::Turns(turns));
    }
    let text = candidates(record, Target::Text).into_iter().find_map(|v| match v {
        Value::String(s) if s.split_whitespace().nth(9).is_some() => Some(s.clone()),
        // A list of `Name: speech` lines.
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
            Some(items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n"))
        }
        _ => None,
    });
    if let Some(short) = candidates(record, Target::Text).into_iter().find_map(Value::as_str).filter(|_| text.is_none())
    {
        return Err(RecordError(format!(
            "the record's text holds only {} words, too few to be a call's transcript",
            short.split_whitespace().count()
        )));
    }
    text.map(Speech::Text).ok_or_else(|| {
        RecordError(format!(
            "no transcript text or speaker list in the record (its fields: {}); say which field holds it with \
             --field text=FIELD or --field speakers=FIELD",
            field_names(record)
        ))
    })
}

fn missing_path(target: &str, path: &[String], record: &Map<String, Value>) -> RecordError {
    RecordError(format!(
        "--field {target}: the record has no `{}` (its fields: {})",
        path.join("."),
        field_names(record)
    ))
}

/// The record's field names, for messages.
fn field_names(record: &Map<String, Value>) -> String {
    let mut names: Vec<&str> = record.keys().map(String::as_str).collect();
    names.truncate(20);
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// The value a target names: the user's path first, else a recognized name at the top of the record, else one or
/// two objects down.
fn find<'a>(record: &'a Map<String, Value>, fields: &FieldMap, target: Target) -> Option<&'a Value> {
    if let Some(path) = fields.path(target) {
        return at_path(record, path);
    }
    candidates(record, target).into_iter().find(|v| match (target, v) {
        (_, Value::Null) => false,
        (Target::Participants, Value::Array(a)) => !a.is_empty(),
        (Target::Participants, _) => false,
        (_, Value::String(s)) => !s.trim().is_empty(),
        (_, Value::Number(_) | Value::Bool(_)) => true,
        _ => false,
    })
}

/// Every value under a recognized name, at the top of the record first, then one and two objects down.
fn candidates(record: &Map<String, Value>, target: Target) -> Vec<&Value> {
    let mut found = Vec::new();
    let mut level: Vec<&Map<String, Value>> = vec![record];
    for _depth in 0..3 {
        for name in target.names() {
            for map in &level {
                found.extend(map.iter().filter(|(k, _)| normalize(k) == *name).map(|(_, v)| v));
            }
        }
        // Facts about the call are never read from inside a speaker map or a participants list (a speaker's title
        // is not the call's).
        level = level
            .iter()
            .flat_map(|m| m.iter())
            .filter(|(k, _)| {
                let k = normalize(k);
                !["speaker", "participant", "analyst", "executive", "attendee"].iter().any(|p| k.contains(p))
            })
            .filter_map(|(_, v)| v.as_object())
            .collect();
    }
    found
}

/// A dotted path or pointer into the record.
fn at_path<'a>(record: &'a Map<String, Value>, path: &[String]) -> Option<&'a Value> {
    let mut value = record.get(&path[0])?;
    for part in &path[1..] {
        value = match value {
            Value::Object(m) => m.get(part)?,
            Value::Array(a) => a.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

/// `companyName`, `company_name`, `Company Name` → `companyname`.
fn normalize(key: &str) -> String {
    key.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value for a message, shortened.
fn compact(value: &Value) -> String {
    let s = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// `3`, `"3"`, `"Q3"`, `"q3"`, `"2024Q1"`, `"2020-Q2"`, `"Q3 2024"`, `"FY2024 Q3"`: the quarter, and the year when
/// the value states one.
pub fn quarter_of(value: &Value) -> Option<(u8, Option<i32>)> {
    match value {
        Value::Number(n) => whole_number(n.as_f64()?).filter(|q| (1..=4).contains(q)).map(|q| (q as u8, None)),
        Value::String(s) => {
            let s = s.trim();
            if let Some(q) = s.parse::<f64>().ok().and_then(whole_number) {
                return (1..=4).contains(&q).then_some((q as u8, None));
            }
            if let Some((q, y)) = fiscal_period(&s.replace(['-', '_'], " ")) {
                return Some((q, Some(y)));
            }
            let upper = s.to_uppercase();
            let digits: String = upper.trim_start_matches("FQ").trim_start_matches('Q').chars().collect();
            match digits.parse::<u8>() {
                Ok(q) if (1..=4).contains(&q) => Some((q, None)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `3.0` (pandas writes integer columns with gaps as floats) → 3; `3.5` is no whole number.
fn whole_number(f: f64) -> Option<i64> {
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 1e9).then_some(f as i64)
}

/// `2024`, `"2024"`, `"FY2024"`, `"FY24"`.
pub fn year_of(value: &Value) -> Option<i32> {
    let y = match value {
        Value::Number(n) => whole_number(n.as_f64()?)?,
        Value::String(s) => {
            let digits = s.trim().to_uppercase();
            let digits = digits.trim_start_matches("FY").trim();
            let y: i64 = whole_number(digits.parse().ok()?)?;
            if y < 100 {
                2000 + y
            } else {
                y
            }
        }
        _ => return None,
    };
    (1900..=2200).contains(&y).then_some(y as i32)
}

/// A date as records write it: `2025-02-26`, `2020-07-30 17:00:00` (no zone: the day only), ISO 8601 with a zone
/// or offset, a Unix timestamp in seconds or milliseconds (an instant: shown in US Eastern time, as calls are
/// announced), or the printed forms transcripts use (`Aug 27, 2020, 9:00 p.m. ET`).
pub fn schedule_of(value: &Value) -> Option<CallTime> {
    match value {
        Value::Number(n) => {
            let raw = n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?;
            let secs = if raw > 100_000_000_000 { raw / 1000 } else { raw };
            (secs > 0).then(|| instant(Utc.timestamp_opt(secs, 0).single())).flatten()
        }
        Value::String(s) => {
            let s = s.trim();
            if let Ok(t) =
                DateTime::parse_from_rfc3339(s).or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%z"))
            {
                return at_offset(t);
            }
            if let Ok(day) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                return Some(CallTime { local_date: day, clock: None });
            }
            for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S%.f"] {
                if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
                    // A time without a zone says nothing certain: the day is kept, the time is not.
                    return Some(CallTime { local_date: t.date(), clock: None });
                }
            }
            if let Ok(secs) = s.parse::<i64>() {
                return schedule_of(&Value::from(secs));
            }
            parse_schedule(s).ok().or_else(|| parse_date_only(s))
        }
        _ => None,
    }
}

/// A time with its UTC offset: on US Eastern time when the offset is Eastern's at that instant (most calls), else
/// on the stated offset's own clock (zone `UTC+05:30`), so the call's local time is the one the record gives.
fn at_offset(t: DateTime<chrono::FixedOffset>) -> Option<CallTime> {
    let utc = t.with_timezone(&Utc);
    let eastern = utc.with_timezone(&chrono_tz::America::New_York);
    if eastern.offset().fix() == *t.offset() {
        return instant(Some(utc));
    }
    let zone = if t.offset().local_minus_utc() == 0 { "UTC".to_string() } else { format!("UTC{}", t.offset()) };
    Some(CallTime {
        local_date: t.date_naive(),
        clock: Some(crate::model::Clock {
            local_time: t.time(),
            timezone: zone.clone(),
            zone_abbrev: zone,
            starts_at_utc: utc,
        }),
    })
}

/// An instant, as the US Eastern wall clock shows it.
fn instant(t: Option<DateTime<Utc>>) -> Option<CallTime> {
    let t = t?;
    let eastern = t.with_timezone(&chrono_tz::America::New_York);
    schedule_at(eastern.date_naive(), eastern.time(), "ET").ok()
}

/// A speaker list: objects naming a speaker (`speaker`, `name`) and their speech (`text`, `speech` as text or a
/// list of paragraphs). Speaker ids are mapped through the record's speaker map where it has one
/// (EarningsCall's `speaker_name_map_v2`, Quartr's `speaker_mapping`). `None` when the value is not such a list.
fn turns_of(value: &Value, record: &Map<String, Value>) -> Option<Vec<SpokenTurn>> {
    let items = value.as_array()?;
    if items.is_empty() || !items.iter().all(Value::is_object) {
        return None;
    }
    let names = speaker_names(record);
    let mut turns = Vec::with_capacity(items.len());
    for item in items {
        let map = item.as_object()?;
        let get = |names: &[&str]| map.iter().find(|(k, _)| names.contains(&normalize(k).as_str())).map(|(_, v)| v);
        let speech = get(&["text", "speech", "content", "paragraph", "paragraphs"])?;
        let paragraphs = match speech {
            Value::String(s) => vec![s.clone()],
            Value::Array(parts) => parts
                .iter()
                .filter_map(|p| {
                    p.as_str()
                        .map(str::to_string)
                        .or_else(|| p.get("text").and_then(|t| t.as_str()).map(str::to_string))
                })
                .collect(),
            _ => return None,
        };
        let speaker_value = get(&["speaker", "speakername", "name", "speakerid"]);
        let (mut speaker, mut title) = match speaker_value {
            Some(Value::String(s)) => (Some(s.clone()), None),
            Some(Value::Number(n)) => (Some(n.to_string()), None),
            Some(Value::Object(o)) => (
                o.get("name").and_then(Value::as_str).map(str::to_string),
                o.get("title").and_then(Value::as_str).map(str::to_string),
            ),
            _ => (None, None),
        };
        if let Some((name, mapped_title)) = speaker
            .as_ref()
            .and_then(|id| names.iter().find(|(k, _, _)| k == id))
            .map(|(_, n, t)| (n.clone(), t.clone()))
        {
            speaker = Some(name);
            title = title.or(mapped_title);
        }
        title = title.or_else(|| {
            get(&["title", "speakertitle", "role", "description"]).and_then(Value::as_str).map(str::to_string)
        });
        let side = get(&["speakertype", "type", "role"]).and_then(Value::as_str).and_then(side_of);
        let section = get(&["session", "section", "part"]).and_then(Value::as_str).and_then(section_of).or_else(|| {
            get(&["isqa"])
                .and_then(Value::as_bool)
                .map(|qa| if qa { SectionKind::Qa } else { SectionKind::PreparedRemarks })
        });
        // A role word (`executive`) is the side, not a title.
        if title.as_deref().and_then(side_of).is_some() {
            title = None;
        }
        turns.push(SpokenTurn { speaker, title, side, section, paragraphs });
    }
    // A list whose entries name nobody is not a speaker list.
    turns.iter().any(|t| t.speaker.is_some()).then_some(turns)
}

/// Speaker ids mapped to names and titles: `{"spk01": {"name": …, "title": …}}` or `[{speaker: 0, speaker_data:
/// {name, role}}]`.
fn speaker_names(record: &Map<String, Value>) -> Vec<(String, String, Option<String>)> {
    let mut names = Vec::new();
    for (key, value) in record {
        let k = normalize(key);
        if !(k.starts_with("speakernamemap") || k == "speakermapping" || k == "speakermap") {
            continue;
        }
        match value {
            Value::Object(map) => {
                for (id, v) in map {
                    let name = v
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| v.get("name").and_then(Value::as_str).map(str::to_string));
                    if let Some(name) = name {
                        names.push((id.clone(), name, v.get("title").and_then(Value::as_str).map(str::to_string)));
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    let id = item.get("speaker").map(|v| match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    });
                    let data = item.get("speaker_data").unwrap_or(item);
                    if let (Some(id), Some(name)) = (id, data.get("name").and_then(Value::as_str)) {
                        let title = data.get("role").and_then(Value::as_str).map(str::to_string);
                        names.push((id, name.to_string(), title));
                    }
                }
            }
            _ => {}
        }
    }
    names
}

/// `management`, `executive`, `investor`, `analyst`, `operator` → the side of the call.
fn side_of(word: &str) -> Option<Role> {
    match word.trim().to_lowercase().as_str() {
        "management" | "executive" | "executives" | "company" | "corporate" => Some(Role::Executive),
        "investor" | "investors" | "analyst" | "analysts" => Some(Role::Analyst),
        "operator" | "moderator" => Some(Role::Operator),
        _ => None,
    }
}

/// `management discussion`, `Question and Answer`, `qa` → the section.
fn section_of(word: &str) -> Option<SectionKind> {
    let w = word.to_lowercase();
    if w.contains("question") || w.contains("q&a") || w == "qa" || w.contains("answer") {
        Some(SectionKind::Qa)
    } else if w.contains("management") || w.contains("presentation") || w.contains("prepared") || w.contains("remarks")
    {
        Some(SectionKind::PreparedRemarks)
    } else {
        None
    }
}

/// A record's participants list: `[{name, description, role}]` or `["Jane Roe - CEO", …]`.
fn participants_of(value: &Value) -> Vec<Participant> {
    let Some(items) = value.as_array() else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| {
            let (name, description, role) = match item {
                Value::String(s) => {
                    let (name, description) = s.split_once(" - ").map_or((s.as_str(), None), |(n, d)| (n, Some(d)));
                    (name.trim().to_string(), description.map(str::to_string), None)
                }
                Value::Object(o) => {
                    let name = o.get("name").or_else(|| o.get("speaker")).and_then(Value::as_str)?.trim().to_string();
                    let description =
                        o.get("description").or_else(|| o.get("title")).and_then(Value::as_str).map(str::to_string);
                    let role = o.get("role").or_else(|| o.get("type")).and_then(Value::as_str).and_then(side_of);
                    (name, description, role)
                }
                _ => return None,
            };
            if name.is_empty() || name.eq_ignore_ascii_case("operator") {
                return None;
            }
            let side = if role == Some(Role::Analyst) { ListSide::Analysts } else { ListSide::Company };
            let (firm, title) = match (side, description.as_deref()) {
                (ListSide::Analysts, Some(d)) => split_firm_and_title(d),
                (ListSide::Company, d) => (None, d),
                (ListSide::Analysts, None) => (None, None),
            };
            let mut p = sided_participant(&name, firm, title, side, true);
            if role.is_none() && description.is_none() {
                p.role = Role::Unknown;
            }
            Some(p)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quarters_and_years_in_every_written_form() {
        for (v, want) in [
            (json!(3), Some((3, None))),
            (json!("3"), Some((3, None))),
            (json!("Q3"), Some((3, None))),
            (json!("q2"), Some((2, None))),
            (json!("2024Q1"), Some((1, Some(2024)))),
            (json!("2020-Q2"), Some((2, Some(2020)))),
            (json!("Q3 2024"), Some((3, Some(2024)))),
            (json!(5), None),
            (json!("Q5"), None),
        ] {
            assert_eq!(quarter_of(&v), want, "{v}");
        }
        assert_eq!(year_of(&json!("2024")), Some(2024));
        assert_eq!(year_of(&json!("FY2025")), Some(2025));
        assert_eq!(year_of(&json!(12)), None);
    }

    #[test]
    fn dates_with_and_without_zones() {
        let day = |v: Value| {
            schedule_of(&v).map(|s| (s.local_date.to_string(), s.clock.map(|c| c.starts_at_utc.to_rfc3339())))
        };
        assert_eq!(day(json!("2025-02-26")), Some(("2025-02-26".into(), None)));
        assert_eq!(day(json!("2020-07-30 17:00:00")), Some(("2020-07-30".into(), None)));
        assert_eq!(
            day(json!("2023-02-02T17:00:00.000-05:00")),
            Some(("2023-02-02".into(), Some("2023-02-02T22:00:00+00:00".into())))
        );
        assert_eq!(day(json!(1730408400)), Some(("2024-10-31".into(), Some("2024-10-31T21:00:00+00:00".into()))));
        assert_eq!(day(json!("Aug 27, 2020, 9:00 p.m. ET")).unwrap().0, "2020-08-27");
        assert_eq!(day(json!("soon")), None);
    }

    #[test]
    fn records_name_their_facts_and_speech_in_many_ways() {
        let fields = FieldMap::default();
        let fmp = json!({"symbol": "acme", "quarter": 3, "year": 2020, "date": "2020-07-30 17:00:00",
                         "content": "Operator: Welcome to the Acme call. Jane Roe: Thank you, revenue grew in the quarter and we are pleased with how the year is going so far."});
        let r = read(&fmp, &fields).unwrap();
        assert_eq!((r.facts.ticker.as_deref(), r.facts.quarter, r.facts.year), (Some("ACME"), Some(3), Some(2020)));
        assert!(matches!(r.speech, Speech::Text(_)));
        let finnhub = json!({"symbol": "ACME", "year": 2020, "quarter": 3, "title": "Acme Q3 2020 Earnings Call",
            "participant": [{"name": "Jane Roe", "description": "CEO", "role": "executive"},
                            {"name": "Al Fox", "description": "Birch Capital", "role": "analyst"}],
            "transcript": [{"name": "Jane Roe", "speech": ["Thanks.", "Revenue grew."], "session": "management discussion"},
                           {"name": "Al Fox", "speech": ["How is demand?"], "session": "question answer"}]});
        let r = read(&finnhub, &fields).unwrap();
        let Speech::Turns(turns) = &r.speech else { panic!("a speaker list") };
        assert_eq!(turns[0].paragraphs, ["Thanks.", "Revenue grew."]);
        assert_eq!(turns[1].section, Some(SectionKind::Qa));
        assert_eq!(r.listed[1].firm.as_deref(), Some("Birch Capital"));
        assert_eq!(r.listed[1].role, Role::Analyst);
        let ninjas = json!({"ticker": "ACME", "year": 2025, "quarter": 1,
            "transcript": {"date": "2025-02-26", "transcript": "Operator: hi",
                           "transcript_split": [{"speaker": "Operator", "text": "hi"}]}});
        assert!(is_record(&ninjas, &fields));
        let r = read(&ninjas, &fields).unwrap();
        assert_eq!(r.facts.schedule.unwrap().local_date.to_string(), "2025-02-26");
        assert!(matches!(r.speech, Speech::Turns(_)));
        assert!(!is_record(&json!({"speaker": "Jane", "text": "hi"}), &fields));
        let err = read(&json!({"ticker": "ACME", "notes": "x"}), &fields).unwrap_err();
        assert!(
            err.0.contains("its fields: ticker, notes") || err.0.contains("its fields: notes, ticker"),
            "{}",
            err.0
        );
        let mapped = FieldMap::parse(&["ticker=meta.sym".into(), "text=/body/0".into()]).unwrap();
        let r = read(&json!({"meta": {"sym": "ZZ"}, "body": ["Operator: hello there"]}), &mapped).unwrap();
        assert_eq!(r.facts.ticker.as_deref(), Some("ZZ"));
        assert_eq!(r.speech, Speech::Text("Operator: hello there".into()));
        assert!(FieldMap::parse(&["tick=meta".into()]).unwrap_err().contains("unknown target"));
    }
}
