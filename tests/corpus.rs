//! The real transcripts in `../shared` (seeds and the dev corpus) against their expected structure.
//! Skipped, with a note, when `../shared` is not beside the project (a fresh clone elsewhere).

mod common;

use std::path::{Path, PathBuf};

use calldb::model::{Role, Transcript};
use serde_json::Value;

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.is_dir().then_some(dir)
}

fn transcripts_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// Compares one parsed transcript with its expected JSON; returns the differences found.
fn differences(t: &Transcript, expected: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let mut check = |what: &str, got: Value, want: &Value| {
        if &got != want {
            diffs.push(format!("{what}: got {got}, want {want}"));
        }
    };
    check("ticker", t.company.ticker.clone().into(), &expected["ticker"]);
    // A call whose text names no company is kept under its ticker's name (expected: null).
    if !(expected["company"].is_null() && t.company.ticker.as_deref() == Some(t.company.name.as_str())) {
        check("company", t.company.name.clone().into(), &expected["company"]);
    }
    check("fiscal_quarter", t.fiscal_quarter.into(), &expected["fiscal_quarter"]);
    check("fiscal_year", t.fiscal_year.into(), &expected["fiscal_year"]);
    // `Duration: 0 minutes` is fool.com's placeholder: calldb stores no duration for it.
    let want_duration = match &expected["duration_minutes"] {
        v if v == 0 => Value::Null,
        v => v.clone(),
    };
    check("duration", t.duration_minutes.into(), &want_duration);
    if expected.get("participants").is_some_and(|p| !p.is_null()) {
        check("participants", t.listed_participants().into(), &expected["participants"]);
    }
    if let Some(ex) = expected.get("exchange") {
        check("exchange", t.company.exchange.clone().into(), ex);
    }
    if let Some(pc) = expected.get("price_change_pct") {
        check("price_change_pct", t.price_change_pct.into(), pc);
    }
    if let Some(d) = expected.get("call_date") {
        check("call_date", t.schedule.as_ref().map(|s| s.local_date.to_string()).into(), d);
    }
    if let Some(d) = expected.get("call_time_et") {
        check(
            "call_time",
            t.schedule.as_ref().and_then(|s| s.clock.as_ref()).map(|c| c.local_time.format("%H:%M").to_string()).into(),
            d,
        );
    }
    let want_turns = expected["turns"].as_array().expect("turns array");
    if want_turns.len() != t.turns.len() {
        diffs.push(format!("turn count: got {}, want {}", t.turns.len(), want_turns.len()));
    }
    for (i, (got, want)) in t.turns.iter().zip(want_turns).enumerate() {
        let name = got.speaker_name.as_str();
        let mut turn_diff = Vec::new();
        // Readings of layouts without sections (`Name: speech` text, whole-call blocks) leave the section null.
        if !want["section"].is_null() && want["section"] != got.section.as_str() {
            turn_diff.push(format!("section {} vs {}", got.section.as_str(), want["section"]));
        }
        if want["speaker"] != name && !(want["speaker"].is_null() && got.participant.is_none()) {
            turn_diff.push(format!("speaker {name:?} vs {}", want["speaker"]));
        }
        if let Some(title) = want.get("title") {
            // The expected files write "" for a listed participant without a title, null for everyone else.
            let Some(person) = got.participant.map(|p| &t.participants[p]) else { continue };
            let got_title = match &got.title_as_written {
                // Layouts whose speaker lines carry no title (`Name: speech`) take it from the participants list.
                None if person.listed && t.layout == "fool-2025" => serde_json::to_value(&person.title).unwrap(),
                // `Name: speech` labels are kept whole as written (`Name - Firm`): no title is read from them.
                None if t.layout == "name-speech" => Value::Null,
                // Seeking Alpha's speaker lines are bare names: the list entry says `Name - Title` or `Name - Firm`.
                None if person.listed && t.layout == "seekingalpha" => {
                    serde_json::to_value(person.title.as_ref().or(person.firm.as_ref())).unwrap()
                }
                None if person.listed => Value::from(""),
                other => serde_json::to_value(other).unwrap(),
            };
            // The independent reading treats a name written differently from its list entry (`Matt O’Connor` for
            // `Matt O'Connor`) as unlisted, with no title; calldb resolves it to the entry. Same speaker either way.
            let resolved_other_spelling = title.is_null() && person.listed && person.name != got.speaker_name;
            if *title != got_title && !resolved_other_spelling {
                turn_diff.push(format!("title {:?} vs {title}", got.title_as_written));
            }
        }
        // Capital IQ text is hard-wrapped PDF text: its expected files count lines, calldb joins them into
        // paragraphs; the words must agree.
        if let Some(p) = want.get("paragraphs").filter(|_| t.layout != "capiq") {
            if *p != got.paragraphs.len() {
                turn_diff.push(format!("paragraphs {} vs {p}", got.paragraphs.len()));
            }
        }
        if let Some(w) = want.get("words") {
            if *w != got.words() {
                turn_diff.push(format!("words {} vs {w}", got.words()));
            }
        }
        if let Some(k) = want.get("kind") {
            if *k != got.kind.as_str() {
                turn_diff.push(format!("kind {} vs {k}", got.kind.as_str()));
            }
        }
        if !turn_diff.is_empty() {
            diffs.push(format!("turn {} (line {}): {}", i + 1, got.line, turn_diff.join("; ")));
        }
    }
    if let Some(analysts) = expected.get("analysts").and_then(Value::as_array) {
        for a in analysts {
            let (name, firm) = (a[0].as_str().unwrap(), a[1].as_str().unwrap());
            let found = t
                .participants
                .iter()
                .any(|p| p.role == Role::Analyst && p.name == name && p.firm.as_deref() == Some(firm));
            if !found {
                diffs.push(format!("analyst {name} ({firm}) not found"));
            }
        }
    }
    diffs
}

fn check_folder(dir: &Path) -> (usize, Vec<String>) {
    let files = transcripts_in(dir);
    let mut failures = Vec::new();
    for file in &files {
        let expected_path = file.with_extension("expected.json");
        let Ok(expected) = std::fs::read_to_string(&expected_path) else {
            continue;
        };
        let expected: Value = serde_json::from_str(&expected).unwrap();
        let bytes = std::fs::read(file).unwrap();
        match calldb::parse::parse_bytes(&bytes) {
            Ok(t) => {
                let d = differences(&t, &expected);
                if !d.is_empty() {
                    failures.push(format!(
                        "{}:\n  {}",
                        file.display(),
                        d.iter().take(6).cloned().collect::<Vec<_>>().join("\n  ")
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", file.display())),
        }
    }
    (files.len(), failures)
}

#[test]
fn seeds_match_their_expected_structure() {
    let Some(shared) = shared() else {
        common::skipped("../shared not found: skipped the real-transcript comparison");
        return;
    };
    let (n, failures) = check_folder(&shared.join("seeds"));
    assert_eq!(n, 2);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dev_corpus_matches_its_expected_structure() {
    let Some(shared) = shared() else {
        common::skipped("../shared not found: skipped the real-transcript comparison");
        return;
    };
    let (n, failures) = check_folder(&shared.join("corpus/dev"));
    assert!(n >= 200, "found only {n} transcripts");
    assert!(failures.is_empty(), "{} of {n} files differ:\n{}", failures.len(), failures.join("\n"));
}

/// Imports the seeds and the dev corpus through the CLI into one archive and checks what the archive holds
/// (through the documented views) against every expected file.
#[test]
fn archive_of_the_real_corpus_matches_expected_structure() {
    let Some(shared) = shared() else {
        common::skipped("../shared not found: skipped the real-transcript import");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("real.db");
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("calldb"))
        .args(["--db", db.to_str().unwrap(), "import", "--quiet", "--glob", "*.txt"])
        .arg(shared.join("seeds"))
        .arg(shared.join("corpus/dev"))
        .status()
        .unwrap();
    assert!(status.success());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for file in transcripts_in(&shared.join("seeds")).into_iter().chain(transcripts_in(&shared.join("corpus/dev"))) {
        let Ok(expected) = std::fs::read_to_string(file.with_extension("expected.json")) else {
            continue;
        };
        let expected: Value = serde_json::from_str(&expected).unwrap();
        let canonical = std::fs::canonicalize(&file).unwrap();
        let (call_id, duration, participants, ticker): (i64, Option<i64>, i64, String) = conn
            .query_row(
                "SELECT call_id, duration_minutes, participants, ticker FROM v_calls WHERE source_path = ?1",
                [canonical.to_str().unwrap()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap_or_else(|e| panic!("{} not archived: {e}", file.display()));
        checked += 1;
        let mut diffs = Vec::new();
        if expected["ticker"] != ticker.as_str() {
            diffs.push(format!("ticker {ticker}"));
        }
        let want_duration =
            if expected["duration_minutes"] == 0 { Value::Null } else { expected["duration_minutes"].clone() };
        if want_duration != serde_json::to_value(duration).unwrap() {
            diffs.push(format!("duration {duration:?}"));
        }
        if expected["participants"] != participants {
            diffs.push(format!("participants {participants}"));
        }
        let mut stmt = conn
            .prepare("SELECT section, speaker, text, words FROM v_turns WHERE call_id = ?1 ORDER BY ordinal")
            .unwrap();
        let turns: Vec<(String, String, String, i64)> = stmt
            .query_map([call_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let want = expected["turns"].as_array().unwrap();
        if want.len() != turns.len() {
            diffs.push(format!("{} turns, want {}", turns.len(), want.len()));
        }
        for (i, ((section, speaker, text, words), w)) in turns.iter().zip(want).enumerate() {
            let paragraphs = text.split("\n\n").filter(|p| !p.is_empty()).count();
            let ok = w["section"] == section.as_str()
                && w["speaker"] == speaker.as_str()
                && w.get("paragraphs").is_none_or(|p| *p == paragraphs)
                && w.get("words").is_none_or(|x| x == words);
            if !ok {
                diffs.push(format!("turn {}: {section} {speaker} {paragraphs}p vs {w}", i + 1));
            }
        }
        if !diffs.is_empty() {
            failures.push(format!("{}: {}", file.display(), diffs.into_iter().take(4).collect::<Vec<_>>().join("; ")));
        }
    }
    assert!(checked >= 203, "checked only {checked} files");
    // Every Q&A turn of a listed analyst is a question, and every analyst who asked has an exchange.
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count(
            "SELECT count(*) FROM v_turns t JOIN participants p USING (participant_id)
               WHERE t.section = 'qa' AND p.listed = 1 AND p.role = 'analyst' AND t.kind <> 'question'"
        ),
        0
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM participants p WHERE p.role = 'analyst' AND p.turns > 0
               AND NOT EXISTS (SELECT 1 FROM exchanges e WHERE e.participant_id = p.participant_id)"
        ),
        0
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The participants list is the strongest evidence, not the only one: without it, speaker lines are still found by
/// their shape in (almost) every real file. The few exceptions are typos the list itself repairs.
#[test]
fn dev_corpus_turns_hold_without_the_participants_list() {
    let Some(shared) = shared() else {
        common::skipped("../shared not found");
        return;
    };
    let files = transcripts_in(&shared.join("corpus/dev"));
    let mut differ = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let full = calldb::parse::parse_bytes(text.as_bytes()).unwrap();
        let cut = text.find("Call participants:").map_or(text.as_str(), |i| &text[..i]);
        let same = calldb::parse::parse_bytes(cut.as_bytes()).is_ok_and(|t| {
            t.turns.len() == full.turns.len()
                && t.turns
                    .iter()
                    .zip(&full.turns)
                    .all(|(a, b)| a.speaker_line == b.speaker_line && a.paragraphs == b.paragraphs)
        });
        if !same {
            differ.push(file.file_name().unwrap().to_string_lossy().to_string());
        }
    }
    assert!(differ.len() * 50 <= files.len(), "{} of {} differ: {differ:?}", differ.len(), files.len());
}

/// How the genuine files in `layouts/` name themselves, for the facts their text lacks.
const NAME_PATTERNS: &[&str] = &[
    "{ticker}_{year}_Q{quarter}_*.txt",
    "{ticker}_Q{quarter}_{year}_*.txt",
    "{date}-{ticker}.txt",
    "Q{quarter}_{year}_{company}.txt",
    "CT_{ticker}_{year}_q{quarter}.txt",
    "{ticker}_Q{quarter}_{year}.txt",
    "{ticker}_{year}_Q{quarter}.txt",
    "apininjas_{ticker}_Q{quarter}_{year}.txt",
];

/// Parses a genuine layout file as a user would import it: with the name pattern that fits its file name (facts in
/// the text always win over the file name).
fn parse_with_name_patterns(file: &Path) -> Result<Transcript, calldb::parse::ParseError> {
    let bytes = std::fs::read(file).unwrap();
    let name = file.file_name().unwrap().to_str().unwrap();
    let pattern =
        NAME_PATTERNS.iter().map(|p| calldb::parse::NamePattern::new(p).unwrap()).find(|p| p.read(name).is_some());
    calldb::parse::parse_file(
        &bytes,
        calldb::parse::ParseOptions { path: Some(file), name_pattern: pattern.as_ref(), ..Default::default() },
    )
}

/// Compares every genuine file of a layout folder with its expected structure (sections, speakers, titles,
/// paragraphs, words, header) and where Q&A starts; files whose period is only in the file name must be refused
/// without a pattern.
fn check_layout_folder(layout: &str) -> (usize, Vec<String>) {
    let Some(shared) = shared() else { return (0, Vec::new()) };
    let dir = shared.join("corpus/layouts").join(layout);
    let mut failures = Vec::new();
    let files = transcripts_in(&dir);
    for file in &files {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(file.with_extension("expected.json")).unwrap()).unwrap();
        let period_from_file_name = expected["notes"].as_array().is_some_and(|notes| {
            notes.iter().any(|n| n.as_str().is_some_and(|n| n.contains("fiscal") && n.contains("file name")))
        });
        if expected["kind"] == "brief" {
            match parse_with_name_patterns(file) {
                Err(calldb::parse::ParseError::NotATranscript(_)) => {}
                other => failures.push(format!("{}: an Event Brief must be refused, got {other:?}", file.display())),
            }
            continue;
        }
        if period_from_file_name {
            let plain = calldb::parse::parse_bytes(&std::fs::read(file).unwrap());
            if !matches!(plain, Err(calldb::parse::ParseError::MissingFact(_))) {
                failures.push(format!(
                    "{}: the period is only in the file name, yet it parsed without a pattern",
                    file.display()
                ));
            }
        }
        match parse_with_name_patterns(file) {
            Ok(t) => {
                let mut d = differences(&t, &expected);
                if let Some(qa) = expected.get("qa_start").and_then(|q| q["turn"].as_u64()) {
                    let qa = qa as usize;
                    let starts_here = t.turns.get(qa).is_some_and(|x| x.section.as_str() == "qa")
                        && (qa == 0 || t.turns[qa - 1].section.as_str() == "prepared_remarks");
                    if !starts_here {
                        let got = t.turns.iter().position(|x| x.section.as_str() == "qa");
                        d.push(format!("Q&A starts at turn {got:?}, want {qa}"));
                    }
                }
                if t.turns.iter().any(|x| {
                    x.paragraphs.iter().any(|p| {
                        p.contains("The Motley Fool has")
                            || p.starts_with("Stocks Mentioned")
                            || p.contains("All Rights Reserved")
                            || p.contains("TEXTUAL REPRESENTATION")
                            || p.contains("Refinitiv reserves the right")
                    })
                }) {
                    d.push("footer or disclaimer text stored as speech".into());
                }
                if !d.is_empty() {
                    failures.push(format!(
                        "{}:\n  {}",
                        file.display(),
                        d.into_iter().take(6).collect::<Vec<_>>().join("\n  ")
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", file.display())),
        }
    }
    (files.len(), failures)
}

#[test]
fn scraped_classic_pages_match_their_expected_structure() {
    if shared().is_none() {
        common::skipped("../shared not found");
        return;
    }
    let (n, failures) = check_layout_folder("fool-classic-scraped");
    assert!(n >= 6, "found only {n} files");
    assert!(failures.is_empty(), "{} of {n} differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn fool_2025_layout_matches_its_expected_structure() {
    if shared().is_none() {
        common::skipped("../shared not found");
        return;
    }
    let (n, failures) = check_layout_folder("fool-2025");
    assert!(n >= 6, "found only {n} files");
    assert!(failures.is_empty(), "{} of {n} differ:\n{}", failures.len(), failures.join("\n"));
}

/// Runs the comparison for one publisher's folder and prints how many files match exactly.
fn assert_layout_matches(layout: &str) {
    if shared().is_none() {
        common::skipped("../shared not found");
        return;
    }
    let (n, failures) = check_layout_folder(layout);
    eprintln!("{layout}: {} of {n} genuine files match exactly", n - failures.len());
    assert!(n >= 4, "found only {n} files");
    assert!(failures.is_empty(), "{} of {n} differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn api_content_matches_its_expected_structure() {
    assert_layout_matches("api-content");
}

#[test]
fn api_content_without_line_breaks_matches_its_expected_structure() {
    assert_layout_matches("api-flat");
}

#[test]
fn whole_call_blocks_match_their_expected_structure() {
    assert_layout_matches("speakerless");
}

/// Records of the genuine API and dataset files read as the command line reads them, each compared with the
/// expected structure of its text twin: the scraper's JSON records hold fool.com 2025 text (`fool-2025/NAME`), the
/// API Ninjas dataset's records hold the calls of `api-content/apininjas_TICKER_Q1_2025`.
#[test]
fn api_json_records_match_their_text_twins() {
    let Some(shared) = shared() else {
        common::skipped("../shared not found");
        return;
    };
    let dir = shared.join("corpus/layouts/api-json");
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    files.sort();
    for file in &files {
        let form = calldb::source::Form::of(file);
        let fields = calldb::source::FieldMap::default();
        for item in calldb::source::records(file, form, &fields).unwrap() {
            let calldb::source::Item::Record(record) = item else { panic!("{}: {item:?}", file.display()) };
            let key = record.key.clone();
            let value = record.value().unwrap();
            let t = calldb::source::parse_record(&value, file, &fields, None, None)
                .unwrap_or_else(|e| panic!("{}#{key:?}: {e}", file.display()));
            let twin = match &key {
                None => file.with_extension("expected.json"),
                Some(_) => shared.join(format!(
                    "corpus/layouts/api-content/apininjas_{}_Q{}_{}.expected.json",
                    t.company.ticker.as_deref().unwrap(),
                    t.fiscal_quarter,
                    t.fiscal_year
                )),
            };
            let mut expected: Value = serde_json::from_str(&std::fs::read_to_string(&twin).unwrap()).unwrap();
            // The text twin states no date; the dataset's record does.
            if key.is_some() {
                expected["call_date"] = value["transcript"]["date"].clone();
            }
            let d = differences(&t, &expected);
            if !d.is_empty() {
                failures.push(format!("{}#{key:?}:\n  {}", file.display(), d.join("\n  ")));
            }
            checked += 1;
        }
    }
    eprintln!("api-json: {} of {checked} records match their text twins", checked - failures.len());
    assert_eq!(checked, 4);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn streetevents_layout_matches_its_expected_structure() {
    assert_layout_matches("streetevents");
}

#[test]
fn capiq_layout_matches_its_expected_structure() {
    assert_layout_matches("capiq");
}

#[test]
fn seekingalpha_layout_matches_its_expected_structure() {
    assert_layout_matches("seekingalpha");
}

/// A saved page imports with the same structure and header as its text form.
#[test]
fn saved_pages_read_like_their_text_form() {
    let Some(shared) = shared() else {
        common::skipped("../shared not found");
        return;
    };
    let pages = shared.join("corpus/dev/pages");
    let mut checked = 0;
    for entry in std::fs::read_dir(&pages).unwrap() {
        let html = entry.unwrap().path();
        if html.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(html.with_extension("expected.json")).unwrap()).unwrap();
        let from_html = calldb::parse::parse_file(
            &std::fs::read(&html).unwrap(),
            calldb::parse::ParseOptions { path: Some(&html), ..Default::default() },
        )
        .unwrap_or_else(|e| panic!("{}: {e}", html.display()));
        let from_text = calldb::parse::parse_bytes(&std::fs::read(html.with_extension("txt")).unwrap()).unwrap();
        let d = differences(&from_html, &expected);
        assert!(d.is_empty(), "{}:\n{}", html.display(), d.join("\n"));
        assert_eq!(from_html.company, from_text.company);
        assert_eq!(from_html.schedule, from_text.schedule);
        assert_eq!(from_html.title, from_text.title);
        assert_eq!(from_html.participants, from_text.participants);
        // The text form kept the page's inline ad-slot scripts as lines of speech; the page itself shows none.
        let shape = |t: &Transcript| -> Vec<(String, String, Vec<String>)> {
            t.turns
                .iter()
                .map(|x| {
                    let speech = x.paragraphs.iter().filter(|p| !p.contains("googletag.")).cloned().collect();
                    (x.section.as_str().to_string(), x.speaker_line.clone(), speech)
                })
                .collect()
        };
        assert_eq!(shape(&from_html), shape(&from_text), "{}", html.display());
        assert!(from_html.source_url.as_deref().is_some_and(|u| u.starts_with("https://www.fool.com/")));
        checked += 1;
    }
    assert_eq!(checked, 3);
}

/// One- or two-word speech right after a speaker line (`Both --`, `About MAC.`, `Good Morning.`) is speech, not a
/// speaker line: inserted after speaker lines of every real dev file, it must join that turn and change nothing else.
#[test]
fn short_speech_after_a_speaker_line_stays_speech() {
    let Some(shared) = shared() else {
        common::skipped("../shared not found");
        return;
    };
    let traps = ["Both --", "About MAC.", "Potential --", "Good Morning.", "Absolutely.", "Great Question.", "Okay."];
    let mut differ = Vec::new();
    let files = transcripts_in(&shared.join("corpus/dev/rendered"));
    for (n, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(file).unwrap();
        let full = calldb::parse::parse_bytes(text.as_bytes()).unwrap();
        // Every third turn gets a trap paragraph right after its speaker line.
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut inserted = Vec::new();
        for (i, turn) in full.turns.iter().enumerate().rev().filter(|(i, _)| i % 3 == n % 3) {
            lines.insert(turn.line, traps[(i + n) % traps.len()].to_string());
            inserted.push(i);
        }
        let trapped = calldb::parse::parse_bytes(lines.join("\n").as_bytes()).unwrap();
        let same = trapped.turns.len() == full.turns.len()
            && trapped.turns.iter().zip(&full.turns).enumerate().all(|(i, (a, b))| {
                a.speaker_line == b.speaker_line
                    && a.paragraphs.len() == b.paragraphs.len() + usize::from(inserted.contains(&i))
            });
        if !same {
            differ.push(file.file_name().unwrap().to_string_lossy().to_string());
        }
    }
    assert!(differ.is_empty(), "{} of {} differ: {differ:?}", differ.len(), files.len());
}

/// The genuine PDFs (`layouts/ir-pdf`, `layouts/concall-pdf`) against their independent reading of pdftotext's
/// text: a PDF calldb reads must match the reading's speaker sequence (at least 97 % of its turns, in order) and its
/// words within 3 %, with the period and date. Every sample must be read; a failure prints its error. Prints the
/// layout each was read as and its figures, so a run shows what is covered.
#[test]
fn pdf_transcripts_match_their_independent_reading() {
    let Some(shared) = shared() else {
        common::skipped("../shared not found");
        return;
    };
    let mut files: Vec<PathBuf> = ["ir-pdf", "concall-pdf"]
        .iter()
        .flat_map(|d| std::fs::read_dir(shared.join("corpus/layouts").join(d)).into_iter().flatten())
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "found only {} PDFs", files.len());
    let (mut read, mut failures) = (0, Vec::new());
    for file in &files {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(file.with_extension("expected.json")).unwrap()).unwrap();
        let bytes = std::fs::read(file).unwrap();
        let parsed =
            calldb::parse::parse_file(&bytes, calldb::parse::ParseOptions { path: Some(file), ..Default::default() });
        let t = match parsed {
            Ok(t) => t,
            Err(e) => {
                let message = e.to_string();
                eprintln!("not read yet: {}: {message}", file.display());
                assert!(!message.is_empty());
                continue;
            }
        };
        read += 1;
        let want: Vec<Option<&str>> =
            expected["turns"].as_array().unwrap().iter().map(|x| x["speaker"].as_str()).collect();
        let got: Vec<Option<&str>> = t.turns.iter().map(|x| Some(x.speaker_name.as_str())).collect();
        let matched = common_in_order(&got, &want);
        let want_words: u64 = expected["turns"].as_array().unwrap().iter().map(|x| x["words"].as_u64().unwrap()).sum();
        let got_words: u64 = t.turns.iter().map(|x| x.words() as u64).sum();
        let drift = (got_words as f64 - want_words as f64).abs() / want_words as f64;
        eprintln!(
            "{}: {} — {matched}/{} turns in order, words {got_words}/{want_words}",
            file.display(),
            t.layout,
            want.len()
        );
        let mut d = Vec::new();
        if let Some(line) = t.truncated_at_line {
            d.push(format!("read as truncated at line {line}: import would refuse it"));
        }
        if (matched as f64) < 0.97 * want.len() as f64 {
            d.push(format!("speakers: {matched} of {} in order", want.len()));
        }
        if drift > 0.03 {
            d.push(format!("words: {got_words}, want {want_words}"));
        }
        if Some(t.fiscal_quarter as u64) != expected["fiscal_quarter"].as_u64()
            || Some(t.fiscal_year as i64) != expected["fiscal_year"].as_i64()
        {
            d.push(format!("period: Q{} {}", t.fiscal_quarter, t.fiscal_year));
        }
        let date = t.schedule.as_ref().map(|s| s.local_date.to_string());
        if expected["call_date"].as_str().is_some() && date.as_deref() != expected["call_date"].as_str() {
            d.push(format!("date: {date:?}"));
        }
        if let Some(company) = expected["company"].as_str() {
            if t.company.name != company {
                d.push(format!("company: {:?}, want {company:?}", t.company.name));
            }
        }
        // Where a heading says the questions begin, the turns each reading puts in the Q&A agree to within one turn
        // in 30. (The independent reading goes by headings only; calldb also finds where the floor opens.)
        let want_qa = expected["turns"].as_array().unwrap().iter().filter(|x| x["section"] == "qa").count();
        let got_qa = t.turns.iter().filter(|x| x.section == calldb::model::SectionKind::Qa).count();
        if want_qa > 0 && want_qa.abs_diff(got_qa) as f64 > 1.0 + 0.03 * want.len() as f64 {
            d.push(format!("Q&A turns: {got_qa}, want {want_qa}"));
        }
        if !d.is_empty() {
            failures.push(format!("{}: {}", file.display(), d.join("; ")));
        }
    }
    eprintln!("PDFs read: {read} of {}", files.len());
    assert_eq!(read, files.len(), "every form of the genuine samples is read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Length of the longest common subsequence: how many of `want` appear in `got` in the same order.
fn common_in_order<T: PartialEq>(got: &[T], want: &[T]) -> usize {
    let mut row = vec![0usize; want.len() + 1];
    for g in got {
        let mut previous = 0;
        for (j, w) in want.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if g == w { previous + 1 } else { row[j + 1].max(row[j]) };
            previous = above;
        }
    }
    row[want.len()]
}
