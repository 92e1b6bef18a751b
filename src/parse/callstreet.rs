//! FactSet CallStreet transcripts: what most company IR sites publish as PDF (and FactSet and Bloomberg text follow).
//!
//! ```text
//! 1Q23 FINANCIAL RESULTS                            ← a title block: the period (`1Q23`), the date
//! EARNINGS CALL TRANSCRIPT
//! April 14, 2023
//! MANAGEMENT DISCUSSION SECTION                     ← prepared remarks
//! Operator: Good morning, ladies and gentlemen. …   ← the operator speaks inline
//! Jeremy Barnum                                     ← a speaker block: the name alone on its line,
//! Chief Financial Officer, JPMorgan Chase & Co.     ←   then `Title, Company` (or `Analyst, Firm`)
//! Thanks, and good morning, everyone. …
//! QUESTION AND ANSWER SECTION                       ← Q&A: each block marks a question `Q` or an answer `A`
//! Steven Chubak
//! Analyst, Wolfe Research LLC  Q
//! Disclaimer                                        ← the closing disclaimer: never speech
//! ```
//!
//! What is specific here is the speaker block; turns, roles and kinds come from the shared rules. The company is the
//! one the answering side's blocks name (`…, JPMorgan Chase & Co.`); the period and date come from the title block.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::document::Block;
use super::header::{self, Fact, HeaderFacts};
use super::names::looks_like_name;
use super::speakers::{role_from_title, SpeakerHit, Strength};
use super::turns::{self, BodyItem, BodyLine, LeadingSpeech};
use super::{Document, ParseError, SourceLayout};
use crate::model::{DroppedBlock, Participant, SectionKind, Transcript};

pub struct CallStreet;

static HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?P<pr>MANAGEMENT\s*DISCUSSION\s*SECTION)|(?P<qa>QUESTION\s*AND\s*ANSWER\s*SECTION))$")
        .expect("valid regex")
});
/// The title block's own line, which no other layout prints.
static TRANSCRIPT_LINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:EARNINGS\s+CALL\s+TRANSCRIPT|CORRECTED\s+TRANSCRIPT|RAW\s+TRANSCRIPT)$").expect("valid regex")
});
/// The closing disclaimer: a heading alone on its line.
static CLOSING_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:Disclaimer|DISCLAIMER)$").expect("valid regex"));
/// `Title, Company` under a speaker's name, with the `Q` or `A` mark of the Q&A at its end (or on the next line).
static DESCRIPTION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<text>[^,]{2,120},\s*\S.{0,160}?)(?:\s+(?P<mark>[QA]))?$").expect("valid regex"));
/// `Operator: …` inline.
static OPERATOR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:operator)\s*:\s*(?P<speech>.*)$").expect("valid regex"));

impl SourceLayout for CallStreet {
    fn name(&self) -> &'static str {
        "callstreet"
    }

    fn score(&self, doc: &Document) -> u32 {
        let content = doc.content();
        let mut pr = false;
        let mut qa = false;
        for b in content {
            if let Some(c) = HEADING_RE.captures(b.text) {
                pr |= c.name("pr").is_some();
                qa |= c.name("qa").is_some();
            }
        }
        if !pr && !qa {
            return 0;
        }
        let title = content.iter().take(20).any(|b| TRANSCRIPT_LINE_RE.is_match(b.text));
        // Its own section headings are as good as a recognized header; the title block adds to them.
        10 + 2 * u32::from(pr) + 2 * u32::from(qa) + 2 * u32::from(title)
    }

    fn parse(&self, doc: &Document) -> Result<Transcript, ParseError> {
        let content = doc.content();
        let body_start = content
            .iter()
            .position(|b| HEADING_RE.is_match(b.text))
            .ok_or_else(|| ParseError::at(doc.last_line(), "expected a `MANAGEMENT DISCUSSION SECTION` heading"))?;
        let body_end = (body_start..content.len()).find(|&i| CLOSING_RE.is_match(content[i].text));
        let mut dropped = Vec::new();
        if let Some(first) = content.first().filter(|_| body_start > 0) {
            dropped.push(DroppedBlock { kind: "header", first_line: first.line, lines: body_start });
        }
        if let Some(end) = body_end {
            dropped.push(DroppedBlock {
                kind: "disclaimer",
                first_line: content[end].line,
                lines: content.len() - end,
            });
        }
        let body = &content[body_start..body_end.unwrap_or(content.len())];
        let blocks = speaker_blocks(body);
        let mut participants = participants_of(&blocks);
        let mut facts = title_facts(&content[..body_start]);
        if facts.company.is_none() {
            facts.company = company_of(&blocks).map(Fact::text);
        }
        let resolved = facts.resolve(doc)?;
        let lines = classify(body, &blocks, &participants);
        let built = turns::build_turns(lines, &mut participants, None, LeadingSpeech::Refuse)?;
        dropped.extend(built.dropped);
        let width = body.iter().map(|b| b.text.chars().count()).max().unwrap_or(0);
        let mut turns = built.turns;
        for turn in &mut turns {
            turns::join_wrapped_lines(turn, width);
        }
        let mut transcript = resolved.into_transcript(self.name(), doc, participants, turns);
        transcript.warnings.extend(built.warnings);
        transcript.dropped = dropped;
        turns::assign_roles_and_kinds(&mut transcript);
        Ok(transcript)
    }
}

/// One speaker block: the name line, the description line(s), and the `Q`/`A` mark.
#[derive(Debug, Clone)]
struct SpeakerBlock<'a> {
    /// Index in the body of the name line.
    at: usize,
    /// Lines the block takes (name, description, a mark on its own line).
    lines: usize,
    name: &'a str,
    description: &'a str,
}

/// Finds the speaker blocks: a line that reads as a name, alone, followed by a `Title, Company` line.
fn speaker_blocks<'a>(body: &[Block<'a>]) -> Vec<SpeakerBlock<'a>> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i + 1 < body.len() {
        let (name, next) = (body[i].text, body[i + 1].text);
        let is_name = looks_like_name(name) && !name.ends_with(['.', ',', ':', '?']) && !HEADING_RE.is_match(name);
        match DESCRIPTION_RE.captures(next).filter(|_| is_name) {
            Some(c) => {
                let mut lines = 2;
                // A mark alone on the next line (`A`), as text copies print it.
                if c.name("mark").is_none() && body.get(i + 2).is_some_and(|b| matches!(b.text, "Q" | "A")) {
                    lines = 3;
                }
                let description = c.name("text").map_or(next, |m| m.as_str()).trim();
                blocks.push(SpeakerBlock { at: i, lines, name, description });
                i += lines;
            }
            None => i += 1,
        }
    }
    blocks
}

/// `Chief Financial Officer, JPMorgan Chase & Co.` → (title, company); `Analyst, Deutsche Bank Securities, Inc.`
/// keeps the company's own comma: a legal suffix (`Inc.`) after the last comma belongs to the name before it.
fn title_and_company(description: &str) -> (String, String) {
    let parts: Vec<&str> = description.split(", ").collect();
    let mut company_from = parts.len() - 1;
    while company_from > 1 && is_legal_form(parts[company_from]) {
        company_from -= 1;
    }
    let company_from = company_from.max(1);
    (parts[..company_from].join(", "), parts[company_from..].join(", "))
}

/// `Inc.`, `LLC`, `Ltd.`, `N.A.`: the legal form that follows a company's name after a comma.
fn is_legal_form(part: &str) -> bool {
    let bare: String = part.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    matches!(
        bare.as_str(),
        "inc"
            | "llc"
            | "ltd"
            | "limited"
            | "corp"
            | "corporation"
            | "co"
            | "plc"
            | "lp"
            | "llp"
            | "na"
            | "sa"
            | "ag"
            | "se"
            | "nv"
    )
}

/// Everyone the blocks name, once per name and description.
fn participants_of(blocks: &[SpeakerBlock]) -> Vec<Participant> {
    let mut out: Vec<Participant> = Vec::new();
    for b in blocks {
        if out.iter().any(|p| p.name == b.name) {
            continue;
        }
        let (title, firm) = title_and_company(b.description);
        // The shared rule reads a firm as the mark of an analyst; here everyone has one, and the title says.
        let role = role_from_title(b.name, Some(&title), is_analyst(&title));
        out.push(Participant { name: b.name.to_string(), title: Some(title), firm: Some(firm), role, listed: false });
    }
    out
}

/// The company: the one most of the non-analyst blocks name.
fn company_of(blocks: &[SpeakerBlock]) -> Option<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for b in blocks {
        let (title, company) = title_and_company(b.description);
        if !is_analyst(&title) {
            *counts.entry(company).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(name, n)| (*n, std::cmp::Reverse(name.clone()))).map(|(name, _)| name)
}

/// `Analyst`, `Senior Research Analyst`: the questioning side.
fn is_analyst(title: &str) -> bool {
    title.to_lowercase().contains("analyst")
}

/// The title block: the period (`1Q23 FINANCIAL RESULTS`), the date, a company line if one is printed.
fn title_facts(title: &[Block]) -> HeaderFacts {
    let mut facts = HeaderFacts::default();
    for b in title {
        if facts.period.is_none() {
            if let Some(period) = header::fiscal_period(b.text) {
                facts.period = Some(Fact::text(period));
                facts.title = Some(Fact::text(b.text.to_string()));
            }
        }
        if facts.schedule.is_none() {
            if let Some(s) = header::parse_schedule(b.text).ok().or_else(|| header::parse_date_only(b.text)) {
                facts.schedule = Some(Fact::text(s));
            }
        }
        if facts.company.is_none() {
            if let Some(name) = header::copyright_holder(b.text) {
                facts.company = Some(Fact::text(name));
            }
        }
    }
    facts
}

/// Headings, speaker blocks, inline operator turns and speech.
fn classify<'a>(body: &[Block<'a>], blocks: &[SpeakerBlock<'a>], participants: &[Participant]) -> Vec<BodyLine<'a>> {
    let starts: HashMap<usize, &SpeakerBlock> = blocks.iter().map(|b| (b.at, b)).collect();
    let mut lines = Vec::with_capacity(body.len());
    // Who speaks now: a block repeating the same speaker is the page break's reprint, not a new turn.
    let mut speaking: Option<&str> = None;
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if let Some(block) = starts.get(&i) {
            i += block.lines;
            if speaking == Some(block.name) {
                continue;
            }
            speaking = Some(block.name);
            let listed = participants.iter().position(|p| p.name == block.name);
            lines.push(BodyLine {
                line: b.line,
                item: BodyItem::Speaker {
                    hit: SpeakerHit {
                        name: block.name,
                        rest: Some(block.description),
                        listed,
                        strength: Strength::Strong,
                    },
                    speaker_line: block.name,
                    speech: None,
                },
            });
            continue;
        }
        let item = if let Some(c) = HEADING_RE.captures(b.text) {
            speaking = None;
            let kind = if c.name("pr").is_some() { SectionKind::PreparedRemarks } else { SectionKind::Qa };
            BodyItem::Heading { kind, text: b.text }
        } else if let Some(c) = OPERATOR_RE.captures(b.text) {
            speaking = Some("Operator");
            let speech = c.name("speech").map(|m| m.as_str()).filter(|s| !s.is_empty());
            BodyItem::Speaker {
                hit: SpeakerHit { name: "Operator", rest: None, listed: None, strength: Strength::Strong },
                speaker_line: "Operator",
                speech,
            }
        } else {
            BodyItem::Speech(b.text)
        };
        lines.push(BodyLine { line: b.line, item });
        i += 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_split_into_title_and_company() {
        assert_eq!(
            title_and_company("Chief Financial Officer, Northwind Bank & Co."),
            ("Chief Financial Officer".into(), "Northwind Bank & Co.".into())
        );
        assert_eq!(
            title_and_company("Analyst, Harbor Securities, Inc."),
            ("Analyst".into(), "Harbor Securities, Inc.".into())
        );
        assert_eq!(
            title_and_company("Head of Investor Relations, Strategy, Northwind Bank"),
            ("Head of Investor Relations, Strategy".into(), "Northwind Bank".into())
        );
    }
}
