//! fool.com's transcript layout since mid-2025.
//!
//! ```text
//! NASDAQ:APOG                                   ← exchange and ticker (optional)
//! Apogee Enterprises                            ← company
//! Image source: The Motley Fool.                ← page furniture
//! DATE                                          ← `DATE` / `Date` heading (optional)
//! Wednesday, January 7, 2026 at 9 a.m. ET       ← local date, time and zone
//! CALL PARTICIPANTS                             ← entries written `Title — Name`; the list may be empty
//! Chief Executive Officer — Ty R. Silberhorn
//! TAKEAWAYS / RISKS / SUMMARY / INDUSTRY GLOSSARY   ← editorial blocks written by fool.com: never speech, kept
//! Need a quote from a Motley Fool analyst? …    ← page furniture
//! Full Conference Call Transcript               ← speech starts
//! Operator:Good morning, and welcome …          ← `Name: speech` or `Name:speech` on the first line of a turn
//! …further paragraphs of the same speaker…
//! This article is a transcript … / The Motley Fool has no position … / Stocks Mentioned   ← footer
//! ```
//!
//! Copies saved by scrapers put a `=====` metadata block first and sometimes lose the editorial headings (the
//! blocks remain, stored as `unlabelled` editorial text) or the company line.
//!
//! There is no fiscal period in the header: it comes from the metadata block, the page address, the summary, or
//! the file name (`--name-pattern`); a file where nothing states it is refused. There is no Q&A heading either:
//! questions begin where the operator opens the floor or introduces the first questioner
//! ([`super::turns::start_qa_by_evidence`]). A colon inside speech (`Here's the point: margins…`) is not a speaker
//! line: the participants list, `Operator`, repetition and the shape of the name decide
//! ([`super::speakers::Evidence::label`]).

use std::sync::LazyLock;

use regex::Regex;

use super::document::Block;
use super::fool_classic::is_fool_footer;
use super::header::{self, company_line, Fact, HeaderFacts, EXCHANGE_TICKER_RE};
use super::names::{looks_like_name, opens_like_speech};
use super::speakers::{looks_like_title, role_from_title, Evidence, SpeakerHit};
use super::turns::{self, BodyItem, BodyLine, LeadingSpeech};
use super::{Document, ParseError, SourceLayout};
use crate::model::{DroppedBlock, EditorialItem, EditorialKind, Participant, SectionKind, Transcript};

pub struct Fool2025;

static TRANSCRIPT_START_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^full\s+conference\s+call\s+transcript\s*:?$").expect("valid regex"));
static PARTICIPANTS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^call\s+participants:?$").expect("valid regex"));
static DATE_HEADING_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^date:?$").expect("valid regex"));
static EDITORIAL_HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?P<takeaways>(?:key\s+)?takeaways)|(?P<risks>risks)|(?P<summary>summary)|(?P<glossary>industry\s+glossary))\s*:?$")
        .expect("valid regex")
});
/// Lines of the page that are neither header facts nor editorial content.
static FURNITURE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:image source:|need a quote from a motley fool analyst|logo of jester cap)")
        .expect("valid regex")
});
/// `Chief Executive Officer — Dylan Field` (em or en dash; copies that transliterate write `--` or ` - `).
static ENTRY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<left>.+?)(?:\s*[\x{2014}\x{2013}]\s*|\s*-{2,}\s*|\s+-\s+)(?P<right>.+)$").expect("valid regex")
});

impl SourceLayout for Fool2025 {
    fn name(&self) -> &'static str {
        "fool-2025"
    }

    fn score(&self, doc: &Document) -> u32 {
        let content = doc.content();
        let Some((start, heading)) = transcript_start(content) else {
            return 0;
        };
        let head = &content[..start];
        let mut score = if heading { 10 } else { 6 };
        if head.iter().any(|b| PARTICIPANTS_RE.is_match(b.text)) {
            score += 3;
        }
        if head.iter().any(|b| header::parse_schedule(b.text).is_ok()) {
            score += 3;
        }
        score += head.iter().filter(|b| EDITORIAL_HEADING_RE.is_match(b.text)).count().min(4) as u32;
        score
    }

    fn parse(&self, doc: &Document) -> Result<Transcript, ParseError> {
        let content = doc.content();
        let (start, heading) = transcript_start(content)
            .ok_or_else(|| ParseError::at(doc.last_line(), "expected the `Full Conference Call Transcript` heading"))?;
        let mut dropped = Vec::new();
        let head = read_head(&content[..start], &mut dropped)?;
        let resolved = head.facts.resolve(doc)?;

        let body_end = (start + 1..content.len()).find(|&i| is_fool_footer(content[i].text));
        if let Some(end) = body_end {
            dropped.push(DroppedBlock { kind: "footer", first_line: content[end].line, lines: content.len() - end });
        }
        let body = &content[start + usize::from(heading)..body_end.unwrap_or(content.len())];
        let mut participants = head.participants;
        let lines = classify(body, &participants, &head.list_lines);
        let built = turns::build_turns(
            lines,
            &mut participants,
            Some((SectionKind::PreparedRemarks, "")),
            LeadingSpeech::Drop,
        )?;
        let mut warnings = head.warnings;
        warnings.extend(built.warnings);
        dropped.extend(built.dropped);
        let mut transcript = resolved.into_transcript(self.name(), doc, participants, built.turns);
        transcript.editorial = head.editorial;
        transcript.dropped = dropped;
        // Whole when fool.com's closing blocks follow, or (for copies that dropped them) when the call signs off.
        if body_end.is_none() && !turns::ends_like_a_call(&transcript.turns) {
            transcript.truncated_at_line = Some(doc.last_line());
        }
        if turns::start_qa_by_evidence(&mut transcript, "").is_none() {
            warnings.push("no turn opens the floor to questions: every turn is stored as prepared remarks".into());
        }
        transcript.warnings.extend(warnings);
        turns::assign_roles_and_kinds(&mut transcript);
        Ok(transcript)
    }
}

/// Where speech starts: the `Full Conference Call Transcript` heading (true), or — in a copy that lost it — the
/// first `Name:speech` line written as fool.com writes labels after the `Call participants` heading (false).
fn transcript_start(content: &[Block]) -> Option<(usize, bool)> {
    if let Some(i) = content.iter().position(|b| TRANSCRIPT_START_RE.is_match(b.text)) {
        return Some((i, true));
    }
    let list = content.iter().take(60).position(|b| PARTICIPANTS_RE.is_match(b.text))?;
    let first_label = (list + 1..content.len()).find(|&i| {
        label(content[i].text).is_some_and(|(name, _, tight)| {
            tight && (name == "Operator" || (looks_like_name(name) && !opens_like_speech(name)))
        })
    })?;
    Some((first_label, false))
}

/// What stands before `Full Conference Call Transcript`.
struct Head {
    facts: HeaderFacts,
    participants: Vec<Participant>,
    list_lines: Vec<String>,
    editorial: Vec<EditorialItem>,
    warnings: Vec<String>,
}

/// Reads the header lines, the participants list and the editorial blocks.
fn read_head(head: &[Block], dropped: &mut Vec<DroppedBlock>) -> Result<Head, ParseError> {
    let mut facts = HeaderFacts::default();
    let mut participants = Vec::new();
    let mut list_lines = Vec::new();
    let mut editorial: Vec<EditorialItem> = Vec::new();
    // The current editorial block: (kind, heading, ordinal).
    let mut block: Option<(EditorialKind, Option<String>, usize)> = None;
    let mut blocks_seen = 0;
    let mut in_list = false;
    let mut expect_date = false;
    let mut warnings = Vec::new();
    for (i, b) in head.iter().enumerate() {
        let text = b.text;
        if FURNITURE_RE.is_match(text) {
            dropped.push(DroppedBlock { kind: "page furniture", first_line: b.line, lines: 1 });
            continue;
        }
        if let Some(c) = EXCHANGE_TICKER_RE.captures(text).filter(|_| facts.ticker.is_none() && block.is_none()) {
            facts.exchange = Some(c["exchange"].to_string());
            facts.ticker = Some(Fact::text(c["ticker"].to_string()));
            // The company name follows on the next line.
            if let Some(next) = head.get(i + 1).filter(|n| is_company_name(n.text)) {
                facts.company = Some(Fact::text(next.text.to_string()));
            }
            continue;
        }
        if facts.company.as_ref().is_some_and(|c| c.value == text) && block.is_none() && !in_list {
            continue;
        }
        if DATE_HEADING_RE.is_match(text) {
            expect_date = true;
            continue;
        }
        if facts.schedule.is_none() && (expect_date || block.is_none()) {
            if let Ok(schedule) = header::parse_schedule(text) {
                facts.schedule = Some(Fact::text(schedule));
                expect_date = false;
                continue;
            }
            // A date printed without a time of day: the day is known, the time is not.
            if let Some(day) = header::parse_date_only(text) {
                warnings.push(format!("line {}: the call date has no time of day: none is stored", b.line));
                facts.schedule = Some(Fact::text(day));
                expect_date = false;
                continue;
            }
            if expect_date {
                // Not fatal: the file name may give the date (`{date}`); if nothing does, the date stays unknown.
                warnings.push(format!(
                    "line {}: expected the call date and time after `Date`, e.g. `Wednesday, January 7, 2026 at 9 a.m. \
                     ET`, found `{}`",
                    b.line,
                    turns::clip(text)
                ));
                expect_date = false;
                continue;
            }
        }
        if PARTICIPANTS_RE.is_match(text) {
            in_list = true;
            continue;
        }
        if let Some(c) = EDITORIAL_HEADING_RE.captures(text) {
            in_list = false;
            let kind = if c.name("takeaways").is_some() {
                EditorialKind::Takeaways
            } else if c.name("risks").is_some() {
                EditorialKind::Risks
            } else if c.name("summary").is_some() {
                EditorialKind::Summary
            } else {
                EditorialKind::Glossary
            };
            blocks_seen += 1;
            block = Some((kind, Some(text.to_string()), blocks_seen));
            continue;
        }
        if in_list {
            if let Some(p) = list_entry(text) {
                list_lines.push(format!("{} -- {}", p.name, p.title.as_deref().unwrap_or("")));
                participants.push(p);
                continue;
            }
            in_list = false;
        }
        if block.is_none() && facts.schedule.is_none() && facts.company.is_none() && is_company_name(text) {
            // Before the date, a lone name line is the company (`Apogee Enterprises`).
            facts.company = Some(Fact::text(text.to_string()));
            continue;
        }
        // Anything else before the transcript is editorial text; without its heading it is `unlabelled`.
        let (kind, heading, ordinal) = block.get_or_insert_with(|| {
            blocks_seen += 1;
            (EditorialKind::Unlabelled, None, blocks_seen)
        });
        // Only the summary describes the quarter reported; takeaways and risks also speak of guidance for later ones.
        if *kind == EditorialKind::Summary && facts.period_prose.is_none() {
            facts.period_prose = Some(text.to_string());
        }
        if facts.mentioned.is_none() {
            facts.mentioned = company_line(text).map(|c| c.company);
        }
        editorial.push(EditorialItem {
            kind: *kind,
            heading: heading.clone(),
            block: *ordinal,
            text: text.to_string(),
            line: b.line,
        });
    }
    if let Some(first) = editorial.first() {
        dropped.push(DroppedBlock { kind: "editorial", first_line: first.line, lines: editorial.len() });
    }
    Ok(Head { facts, participants, list_lines, editorial, warnings })
}

/// A company name line: a short line of capitalized words, not a date, heading or sentence (a full stop only
/// after an abbreviation such as `Inc.` or `N.V.`).
fn is_company_name(text: &str) -> bool {
    let last_word = text.split_whitespace().last().unwrap_or("");
    text.split_whitespace().count() <= 8
        && (!text.ends_with('.') || last_word.chars().filter(|c| c.is_alphabetic()).count() <= 4)
        && text.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && header::parse_schedule(text).is_err()
        && !PARTICIPANTS_RE.is_match(text)
        && !DATE_HEADING_RE.is_match(text)
        && !EDITORIAL_HEADING_RE.is_match(text)
        && !TRANSCRIPT_START_RE.is_match(text)
}

/// `Chief Executive Officer — Dylan Field` → Dylan Field, with that title. Either order is read: one side must
/// have the shape of a name and the other of a title (an editorial line such as `Azure capacity constraints— Amy
/// Hood stated, "…"` is neither).
fn list_entry(text: &str) -> Option<Participant> {
    let c = ENTRY_RE.captures(text)?;
    let (left, right) = (c["left"].trim(), c["right"].trim());
    let (title, name) = if looks_like_name(right) && looks_like_title(left) {
        (left, right)
    } else if looks_like_name(left) && looks_like_title(right) {
        (right, left)
    } else {
        return None;
    };
    Some(Participant {
        name: name.to_string(),
        role: role_from_title(name, Some(title), false),
        title: Some(title.to_string()),
        firm: None,
        listed: true,
    })
}

/// The label of a `Name: speech` line: the text before the first colon, when short, with the speech after it.
/// fool.com writes labels with no space after the colon (`Krista:Thank you`), which speech never does: the third
/// value says whether the colon is written that way.
fn label(text: &str) -> Option<(&str, &str, bool)> {
    let (name, speech) = text.split_once(':')?;
    let tight = speech.starts_with(|c: char| c.is_alphabetic() || c == '[');
    let name = super::speakers::trim_label_noise(name.trim());
    (!name.is_empty() && name.chars().count() <= 60).then_some((name, speech.trim(), tight))
}

fn classify<'a>(body: &[Block<'a>], listed: &[Participant], list_lines: &[String]) -> Vec<BodyLine<'a>> {
    let candidates: Vec<&str> =
        body.iter().filter_map(|b| label(b.text)).map(|(name, _, _)| name).filter(|n| looks_like_name(n)).collect();
    let speech: Vec<&str> = body.iter().map(|b| label(b.text).map_or(b.text, |(_, s, _)| s)).collect();
    let evidence = Evidence::gather(listed, list_lines, candidates, speech);
    body.iter()
        .enumerate()
        .map(|(i, b)| {
            let previous = i.checked_sub(1).map(|p| body[p].text);
            let found = label(b.text).and_then(|(name, speech, tight)| {
                evidence
                    .label(name, previous, tight)
                    .or_else(|| titled_label(&evidence, name, previous, tight))
                    .map(|hit| (hit, speech))
            });
            let item = match found {
                Some((hit, speech)) => {
                    let speaker_line = &b.text[..b.text.find(':').expect("a label ends at a colon")];
                    BodyItem::Speaker {
                        hit,
                        speaker_line: speaker_line.trim(),
                        speech: (!speech.is_empty()).then_some(speech),
                    }
                }
                None => BodyItem::Speech(b.text),
            };
            BodyLine { line: b.line, item }
        })
        .collect()
}

/// `Martin Kay, CEO:` — a label that carries the speaker's title after a comma.
fn titled_label<'a>(
    evidence: &Evidence,
    label: &'a str,
    previous: Option<&str>,
    tight: bool,
) -> Option<SpeakerHit<'a>> {
    let (name, title) = label.split_once(", ")?;
    let title = title.trim();
    if !looks_like_title(title) {
        return None;
    }
    evidence.label(name.trim(), previous, tight).map(|hit| SpeakerHit { rest: Some(title), ..hit })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_entries_read_title_then_name() {
        let p = list_entry("Chief Executive Officer — Dylan Field").unwrap();
        assert_eq!((p.name.as_str(), p.title.as_deref()), ("Dylan Field", Some("Chief Executive Officer")));
        let p = list_entry("Investor Relations — Jonathan Neilson").unwrap();
        assert_eq!(p.role, crate::model::Role::InvestorRelations);
        assert!(list_entry("Revenue-- $274 million, reflecting 38% growth").is_none());
        assert!(list_entry("Azure Capacity Constraints— Amy E. Hood stated, \"We now expect to be constrained.\"")
            .is_none());
        assert_eq!(list_entry("Chief Executive Officer -- Martin Kay").unwrap().name, "Martin Kay");
        assert_eq!(list_entry("Chief Executive Officer - Martin Kay").unwrap().name, "Martin Kay");
    }

    #[test]
    fn labels_are_short_prefixes() {
        assert_eq!(label("Kenneth J. Dorell:Thank you."), Some(("Kenneth J. Dorell", "Thank you.", true)));
        assert_eq!(label("Operator: Welcome"), Some(("Operator", "Welcome", false)));
        let listed = vec![list_entry("Chief Executive Officer — Martin Kay").unwrap()];
        let ev = Evidence::gather(&listed, &["Martin Kay -- Chief Executive Officer".to_string()], vec![], vec![]);
        let hit = titled_label(&ev, "Martin Kay, CEO", None, true).unwrap();
        assert_eq!((hit.name, hit.rest, hit.listed), ("Martin Kay", Some("CEO"), Some(0)));
        assert!(label("No colon here").is_none());
    }
}
