//! Seeking Alpha transcripts as text.
//!
//! ```text
//! Abbott Laboratories (NYSE:ABT) Q1 2018 Earnings Conference Call April 18, 2018  9:00 AM ET   ← one-line header
//!   (or company, title and date on three lines: `Phillips 66 (NYSE:PSX)` / `Q4 2018 Earnings Conference Call` /
//!    `February 8, 2019 12:00 ET`)
//! Executives                                   ← `Company Participants`, `Company Representatives` too
//! Scott Leinenweber - Vice President, Investor Relations       ← `Name - Title`
//! Analysts                                     ← `Conference Call Participants` too
//! Mike Weinstein - JPMorgan                    ← `Name - Firm`
//! Operator                                     ← a speaker line: `Operator`, a listed name or a whole list entry
//! Welcome to Abbott's First Quarter …          ← speech, one paragraph per line
//! Question-and-Answer Session                  ← where questions begin (by evidence when the heading is missing)
//! Copyright policy: … / All Seeking Alpha transcripts …        ← the publisher's footer: never speech
//! ```
//!
//! Real files were often saved as Windows-1252 and some carry mojibake from an earlier wrong decoding
//! (`Abbott\u{fffd}s`): the text is kept as it is, with one warning per file (see [`super::text`]).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::document::Block;
use super::header::{self, company_line, title_and_schedule, Fact, HeaderFacts};
use super::names::looks_like_name;
use super::speakers::{canonical_line, looks_like_title, sided_participant, Evidence, ListSide, SpeakerHit, Strength};
use super::turns::{self, clip, BodyItem, BodyLine, LeadingSpeech};
use super::{Document, ParseError, SourceLayout};
use crate::model::{DroppedBlock, Participant, SectionKind, Transcript};

pub struct SeekingAlpha;

/// How far into the file the header may stand (a downloader's junk line may come first).
const HEADER_LINES: usize = 5;

static COMPANY_SIDE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:executives|company\s+(?:participants|representatives)|corporate\s+participants)\s*:?$")
        .expect("valid regex")
});
static ANALYSTS_SIDE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:analysts|conference\s+call\s+participants)\s*:?$").expect("valid regex"));
static QA_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:question-and-answer\s+session|questions?\s+(?:and|&)\s+answers?(?:\s+session)?)\s*:?$")
        .expect("valid regex")
});
static FOOTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:copyright\s+policy|all\s+seeking\s+alpha\s+transcripts|this\s+transcript\s+may\s+not\s+be|the\s+information\s+contained\s+here\s+is\s+a\s+textual\s+representation|if\s+you\s+have\s+any\s+additional\s+questions\s+about\s+our\s+online\s+transcripts|seeking\s+alpha'?s?\s+(?:disclaimer|transcripts?\s+(?:policy|disclaimer)))")
        .expect("valid regex")
});
static QA_MARK_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[QA]\s*[-\x{2013}\x{2014}:]\s+").expect("valid regex"));
/// `Name - Title` / `Name - Firm` (hyphen, en or em dash).
static ENTRY_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<name>.+?)\s+[-\x{2013}\x{2014}]\s+(?P<rest>.+)$").expect("valid regex"));

impl SourceLayout for SeekingAlpha {
    fn name(&self) -> &'static str {
        "seekingalpha"
    }

    fn score(&self, doc: &Document) -> u32 {
        let content = doc.content();
        let Some(at) = find_company_line(content) else {
            return 0;
        };
        let lists = content.iter().skip(at + 1).take(8).any(|b| side(b.text).is_some());
        if !lists {
            return 0;
        }
        let mut score = 13;
        if content.iter().any(|b| QA_RE.is_match(b.text)) {
            score += 3;
        }
        score
    }

    fn parse(&self, doc: &Document) -> Result<Transcript, ParseError> {
        let content = doc.content();
        let at = find_company_line(content).ok_or_else(|| {
            ParseError::at(1, "expected a header such as `Acme Corp (NYSE:ACME) Q1 2018 Earnings Call …`")
        })?;
        let mut dropped = Vec::new();
        if at > 0 {
            dropped.push(DroppedBlock { kind: "page furniture", first_line: content[0].line, lines: at });
        }
        let (facts, after_header) = read_header(content, at)?;
        let resolved = facts.resolve(doc)?;
        let (entries, body_start) = read_lists(content, after_header);
        let footer = (body_start..content.len()).find(|&i| FOOTER_RE.is_match(content[i].text));
        if let Some(f) = footer {
            dropped.push(DroppedBlock { kind: "footer", first_line: content[f].line, lines: content.len() - f });
        }
        let body = &content[body_start..footer.unwrap_or(content.len())];
        let mut participants: Vec<Participant> = entries.iter().map(|e| e.participant.clone()).collect();
        let lines = classify(body, &entries, &participants);
        let has_qa_heading = lines.iter().any(|l| matches!(l.item, BodyItem::Heading { .. }));
        let built = turns::build_turns(
            lines,
            &mut participants,
            Some((SectionKind::PreparedRemarks, "")),
            LeadingSpeech::Drop,
        )?;
        let mut warnings = built.warnings;
        dropped.extend(built.dropped);
        // Seeking Alpha text has no closing block to tell a whole file from a cut one: never marked truncated.
        let mut transcript = resolved.into_transcript(self.name(), doc, participants, built.turns);
        transcript.dropped = dropped;
        if !has_qa_heading && turns::start_qa_by_evidence(&mut transcript, "").is_none() {
            warnings
                .push("no Q&A heading and no turn opens the floor to questions: all turns are prepared remarks".into());
        }
        transcript.warnings.extend(warnings);
        turns::assign_roles_and_kinds(&mut transcript);
        Ok(transcript)
    }
}

fn side(text: &str) -> Option<ListSide> {
    if COMPANY_SIDE_RE.is_match(text) {
        Some(ListSide::Company)
    } else if ANALYSTS_SIDE_RE.is_match(text) {
        Some(ListSide::Analysts)
    } else {
        None
    }
}

/// The company line with its exchange and ticker, among the first lines.
fn find_company_line(content: &[Block]) -> Option<usize> {
    content.iter().take(HEADER_LINES).position(|b| {
        company_line(b.text).is_some_and(|c| c.company.exchange.is_some() && c.price_change_pct.is_none())
    })
}

/// Reads the header: title and date on the company line, or on the two lines after it.
fn read_header(content: &[Block], at: usize) -> Result<(HeaderFacts, usize), ParseError> {
    let line = company_line(content[at].text).expect("found above");
    let mut facts = HeaderFacts {
        ticker: line.company.ticker.clone().map(Fact::text),
        company: Some(Fact::text(line.company.name.clone())),
        exchange: line.company.exchange.clone(),
        ..HeaderFacts::default()
    };
    let rest = line.rest.trim();
    if let Some((title, schedule)) = title_and_schedule(rest) {
        facts.period = fiscal_period(title).map(Fact::text);
        facts.title = Some(Fact::text(title.to_string()));
        facts.schedule = Some(Fact::text(schedule));
        return Ok((facts, at + 1));
    }
    let mut next = at + 1;
    let title_text = if rest.is_empty() {
        let t = content.get(next).map(|b| b.text).filter(|t| side(t).is_none());
        if t.is_some() {
            next += 1;
        }
        t
    } else {
        Some(rest)
    };
    if let Some(title) = title_text {
        facts.period = fiscal_period(title).map(Fact::text);
        facts.title = Some(Fact::text(title.to_string()));
    }
    if let Some(Ok(s)) = content.get(next).map(|b| header::parse_schedule(b.text)) {
        facts.schedule = Some(Fact::text(s));
        next += 1;
    }
    if facts.period.is_none() {
        let at_line = content.get(at + 1).map_or(content[at].line, |b| b.line);
        let found = title_text.map(clip).unwrap_or_default();
        return Err(ParseError::at(
            at_line,
            format!("expected the call title with its fiscal period, e.g. `Q1 2018 Earnings Call`, found `{found}`"),
        ));
    }
    Ok((facts, next))
}

/// Forms of the quarter some Seeking Alpha titles use beside `Q1 2019`: `F1Q 2019`, `FQ1 2019`, `1Q 2019`.
static OTHER_PERIOD_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:F?(?P<a>[1-4])Q|FQ(?P<b>[1-4]))\s*'?(?P<year>\d{4})\b").expect("valid regex")
});

/// The fiscal period of a title, in the shared forms or in the publisher's own.
fn fiscal_period(title: &str) -> Option<(u8, i32)> {
    header::fiscal_period(title).or_else(|| {
        let c = OTHER_PERIOD_RE.captures(title)?;
        let quarter = c.name("a").or_else(|| c.name("b"))?.as_str().parse().ok()?;
        Some((quarter, c["year"].parse().ok()?))
    })
}

struct Entry {
    participant: Participant,
    /// The entry as written (`Mike Weinstein - JPMorgan`).
    line: String,
}

/// The `Executives` and `Analysts` lists; returns the entries and the index of the first body line.
///
/// Lists are read until the first speaker line: `Operator`, or a name alone on its line followed by speech. Every
/// line before it is an entry, however it is written: `Name - Title`, `Name - Firm`, a name alone (executives and
/// analysts are often listed by name only, the last one right before `Operator`), a lower-case firm or title
/// (`iA Capital Markets`, `chief financial officer`) or a name damaged by a wrong decoding (`Sharon Z\u{fffd}ckfa`).
/// A line that reads as speech ends the lists.
fn read_lists(content: &[Block], from: usize) -> (Vec<Entry>, usize) {
    let mut entries: Vec<Entry> = Vec::new();
    let mut current = None;
    let mut i = from;
    while i < content.len() {
        let text = content[i].text;
        if let Some(s) = side(text) {
            current = Some(s);
            i += 1;
            continue;
        }
        let Some(list_side) = current else { break };
        if is_operator_line(text) {
            break;
        }
        let entry = list_entry(text);
        let Some((name, rest)) = entry else { break };
        if rest.is_none() && content.get(i + 1).is_none_or(|n| !is_list_line(n.text)) {
            // A name alone followed by speech: the body's first speaker.
            break;
        }
        // An entry listed twice stays twice: the list is kept as written (both name one person).
        let (firm, title) = match list_side {
            ListSide::Company => (None, rest),
            ListSide::Analysts => (rest, None),
        };
        entries.push(Entry {
            participant: sided_participant(name.trim(), firm, title, list_side, true),
            line: text.to_string(),
        });
        i += 1;
    }
    (entries, i)
}

/// `Operator` (also `Operator:`), the operator's speaker line.
fn is_operator_line(text: &str) -> bool {
    text.trim().trim_end_matches(':').eq_ignore_ascii_case("operator")
}

/// A line that belongs to the lists rather than to speech: a list heading, an entry or `Operator`.
fn is_list_line(text: &str) -> bool {
    side(text).is_some() || is_operator_line(text) || list_entry(text).is_some()
}

/// A list entry: `Name - Title` / `Name - Firm`, or a name alone. The name may carry a replacement character from a
/// wrong decoding; the firm or title may be in lower case, but it is short and is not a sentence.
fn list_entry(text: &str) -> Option<(&str, Option<&str>)> {
    if let Some(c) = ENTRY_RE.captures(text) {
        let name = c.name("name").expect("group").as_str();
        let rest = c.name("rest").expect("group").as_str().trim();
        if looks_like_listed_name(name) && (looks_like_title(rest) || looks_like_short_description(rest)) {
            return Some((name, Some(rest)));
        }
    }
    looks_like_listed_name(text).then_some((text, None))
}

fn looks_like_listed_name(text: &str) -> bool {
    looks_like_name(&text.replace('\u{fffd}', "a"))
}

/// A firm or title as some lists write it (`iA Capital Markets`, `chief financial officer`): a few words with no
/// sentence punctuation.
fn looks_like_short_description(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=8).contains(&words)
        && !text.contains(['?', '!', ';', '"'])
        && !text.ends_with(',')
        && text.chars().next().is_some_and(char::is_alphabetic)
}

/// Headings, speaker lines and speech. A speaker line is `Operator`, a whole list entry (`Craig Arnold - Eaton
/// Corp. Plc`), a listed name, a placeholder, or a bare name the call corroborates.
fn classify<'a>(body: &[Block<'a>], entries: &[Entry], listed: &[Participant]) -> Vec<BodyLine<'a>> {
    let mut by_entry: HashMap<String, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_entry.entry(canonical_line(&e.line)).or_insert(i);
    }
    let candidates: Vec<&str> = body
        .iter()
        .map(|b| strip_question_answer_mark(b.text))
        .filter(|t| t.len() <= 60 && looks_like_name(t))
        .collect();
    let speech: Vec<&str> = body.iter().map(|b| b.text).collect();
    let evidence = Evidence::gather(listed, &[], candidates, speech);
    body.iter()
        .map(|b| {
            let item = if QA_RE.is_match(b.text) {
                BodyItem::Heading { kind: SectionKind::Qa, text: b.text }
            } else if let Some(hit) = speaker(strip_question_answer_mark(b.text), &by_entry, entries, &evidence) {
                BodyItem::Speaker { hit, speaker_line: b.text, speech: None }
            } else {
                BodyItem::Speech(b.text)
            };
            BodyLine { line: b.line, item }
        })
        .collect()
}

/// Some copies mark Q&A speaker lines `Q – Jaime Katz` / `A – John Olin`: the name is what follows the mark.
fn strip_question_answer_mark(text: &str) -> &str {
    QA_MARK_RE.find(text).map_or(text, |m| &text[m.end()..])
}

fn speaker<'a>(
    text: &'a str,
    by_entry: &HashMap<String, usize>,
    entries: &[Entry],
    evidence: &Evidence,
) -> Option<SpeakerHit<'a>> {
    if let Some(&i) = by_entry.get(&canonical_line(text)) {
        let (name, rest) = match ENTRY_RE.captures(text) {
            Some(c) => (c.name("name").expect("group").as_str(), Some(c.name("rest").expect("group").as_str().trim())),
            None => (text, None),
        };
        debug_assert!(entries.get(i).is_some());
        return Some(SpeakerHit { name, rest, listed: Some(i), strength: Strength::Strong });
    }
    // `Name - Firm` whose firm is spelt differently from the list's (`(USA)` there, `(NYSE:USA)` here): the listed
    // name decides.
    if let Some(hit) = super::speakers::split_affiliation(text)
        .filter(|(_, rest)| text.len() <= 120 && looks_like_title(rest))
        .and_then(|_| evidence.name_label(text, None))
        .filter(|hit| hit.strength == Strength::Strong && hit.listed.is_some())
    {
        return Some(hit);
    }
    // Speech often carries ` -- `; a speaker line here is a bare name.
    if text.contains("--") || text.contains(" - ") {
        return None;
    }
    evidence.speaker_line(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::document::blocks;

    #[test]
    fn lists_stop_at_the_first_speaker_line() {
        let text = "Executives\nJane Doe - Chief Executive Officer\nAnalysts\nAnn Lee - Acme Securities\nBob Roe\n\
                    Cy Poe - Beta Capital\nOperator\nWelcome.\n";
        let b = blocks(text);
        let (entries, body) = read_lists(&b, 0);
        let names: Vec<&str> = entries.iter().map(|e| e.participant.name.as_str()).collect();
        assert_eq!(names, ["Jane Doe", "Ann Lee", "Bob Roe", "Cy Poe"]);
        assert_eq!(strip_question_answer_mark("Q \u{2013} Jaime Katz"), "Jaime Katz");
        assert_eq!(strip_question_answer_mark("Quite so."), "Quite so.");
        assert_eq!(b[body].text, "Operator");
        assert_eq!(entries[1].participant.firm.as_deref(), Some("Acme Securities"));
        assert_eq!(entries[0].participant.title.as_deref(), Some("Chief Executive Officer"));
    }

    #[test]
    fn lists_keep_names_alone_odd_firms_and_damaged_names_until_the_first_speaker() {
        let text = "Executives\nJane Doe\nRay Moss - chief financial officer\nAnalysts\nAnn Lee - iA Capital Markets\n\
                    Bo Z\u{fffd}ckel - Beta Capital\nCy Poe\nOperator\nWelcome.\nJane Doe\nThanks.\n";
        let b = blocks(text);
        let (entries, body) = read_lists(&b, 0);
        let names: Vec<&str> = entries.iter().map(|e| e.participant.name.as_str()).collect();
        assert_eq!(names, ["Jane Doe", "Ray Moss", "Ann Lee", "Bo Z\u{fffd}ckel", "Cy Poe"]);
        assert_eq!(entries[2].participant.firm.as_deref(), Some("iA Capital Markets"));
        assert_eq!(entries[1].participant.title.as_deref(), Some("chief financial officer"));
        assert_eq!(b[body].text, "Operator");
        // A name alone followed by speech is the first speaker, not an entry.
        let b = blocks("Executives\nJane Doe\nRay Moss\nJane Doe\nGood morning and welcome to the call.\n");
        let (entries, body) = read_lists(&b, 0);
        assert_eq!(entries.len(), 2);
        assert_eq!(b[body].line, 4);
    }

    #[test]
    fn quarters_in_the_publishers_other_forms() {
        for title in
            ["F1Q 2019 Earnings Call", "FQ1 2019 Earnings Call", "1Q 2019 Earnings Call", "Q1 2019 Earnings Call"]
        {
            assert_eq!(fiscal_period(title), Some((1, 2019)), "{title}");
        }
        assert_eq!(fiscal_period("2019 Annual Meeting"), None);
    }
}
