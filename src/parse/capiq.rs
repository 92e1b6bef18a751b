//! S&P Capital IQ-style transcripts, as text extracted from the publisher's PDF.
//!
//! ```text
//! 2                                                 ← page numbers (and running headers) stand between lines
//! CORPORATE PARTICIPANTS                            ← the company's people …
//! Aaron J. Pas
//! AGNC Investment Corp. - SVP                       ← `Firm - Title` on the line after the name
//! CONFERENCE CALL PARTICIPANTS                      ← … and the analysts; `Name;Firm;Title` on one line also occurs
//! PRESENTATION
//! Operator                                          ← a speaker line: `Operator` or a participant's name, alone
//! Good morning, and welcome … Please note           ← speech, hard-wrapped at the page width
//! this event is being recorded.
//!
//! Katie R. Wisecarver                               ← a blank line, the name, then the `Firm - Title` line again
//! AGNC Investment Corp. - VP of IR
//! QUESTIONS AND ANSWERS
//! DISCLAIMER                                        ← the publisher's closing block: never speech
//! ```
//!
//! Wrapped lines are joined into paragraphs (a line ends its paragraph when it ends a sentence well short of the
//! page width); page numbers and running headers are dropped. The company is the firm its people are listed with.
//! These copies print no ticker, date or fiscal period: the period comes from the file name
//! (`--name-pattern 'Q{quarter}_{year}_*.txt'`), the ticker from the file name or the companies file, else the call
//! is kept under its company name with no ticker; the date stays unknown unless the file name gives it.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::document::Block;
use super::header::{self, Fact, HeaderFacts};
use super::names::{is_suffix, looks_like_name};
use super::speakers::{
    canonical_line, has_dash, is_placeholder, read_name_then_description_list, split_at_dash, split_firm_and_title,
    Evidence, ListEntry, ListSide, SpeakerHit, Strength,
};
use super::streetevents::{brief_by_structure, brief_refusal, most_common_company_firm};
use super::turns::{self, BodyItem, BodyLine, LeadingSpeech};
use super::{Document, ParseError, SourceLayout};
use crate::model::{DroppedBlock, Participant, SectionKind, Transcript};

pub struct CapitalIq;

static HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?P<corporate>CORPORATE\s*PARTICIPANTS)|(?P<analysts>CONFERENCE\s*CALL\s*PARTICIPANTS)|(?P<pr>PRESENTATION)|(?P<qa>QUESTIONS?\s*AND\s*ANSWERS?(?:\s+SESSION)?|QUESTION-AND-ANSWER\s+SESSION))$")
        .expect("valid regex")
});
static CLOSING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:DISCLAIMER|Disclaimer|These materials have been prepared by S&P Global.*)$").expect("valid regex")
});
/// S&P's copyright line: printed on every page (furniture), it closes the body only when nothing but furniture
/// follows it.
static COPYRIGHT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Copyright\s*©.*S&P Global.*$").expect("valid regex"));
/// Page furniture of the PDF: page numbers, the S&P running header and footer lines, and the lines Refinitiv prints
/// on every page of the copies it exports (`REFINITIV STREETEVENTS | www.refinitiv.com | Contact Us`, its
/// republication notice, `NOVEMBER 07, 2022 / 10:00PM GMT, ZG.OQ - Q3 2022 … Earnings Call`).
static FURNITURE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\d{1,3}|page\s+\d{1,3}(?:\s+of\s+\d{1,3})?|spglobal\.com/marketintelligence(?:\s+\d{1,3})?|copyright\s*©\s*\d{4}\s+s&p global.*|.*earnings call\s*\|\s*[a-z]{3,9}\.?\s+\d{1,2},\s+\d{4}|(?:refinitiv|thomson\s+reuters)\s+streetevents\s*\|.*|(?:copyright\s*)?(?:©|\(c\))\s*\d{4},?\s+(?:refinitiv|thomson\s+reuters)\.?\s+all\s+rights\s+reserved\.\s+republication.*|[a-z]{3,9}\.?\s+\d{1,2},\s+\d{4}\s*/\s*\d{1,2}:\d{2}\s*[ap]m\s+(?:gmt|utc),\s+.*)$")
        .expect("valid regex")
});
/// `NasdaqGS:ZG`, `NYSE:AGNC` in a cover page, when the copy kept one.
static EXCHANGE_TICKER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Nasdaq\w*|NYSE\w*|TSX\w*|AMEX|OTC\w*|LSE|ASX)\s*:\s*(?P<ticker>[A-Z][A-Z0-9.\-]{0,9})\b")
        .expect("valid regex")
});
/// `FQ3 2022 Earnings Call` in a cover page.
static COVER_PERIOD_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bFQ([1-4])\s+(\d{4})\b").expect("valid regex"));

impl SourceLayout for CapitalIq {
    fn name(&self) -> &'static str {
        "capiq"
    }

    fn score(&self, doc: &Document) -> u32 {
        let content = doc.content();
        let kinds: HashSet<&str> = content
            .iter()
            .filter_map(|b| HEADING_RE.captures(b.text))
            .filter_map(|c| ["corporate", "analysts", "pr", "qa"].into_iter().find(|k| c.name(k).is_some()))
            .collect();
        if !kinds.contains("pr") && !kinds.contains("qa") {
            return 0;
        }
        // Two different headings are as good as a recognized header; each further one adds a little.
        let mut score = 3 * kinds.len() as u32;
        if kinds.len() >= 2 {
            score += 7;
        }
        score
    }

    fn parse(&self, doc: &Document) -> Result<Transcript, ParseError> {
        if let Some((line, heading)) = brief_by_structure(doc) {
            return Err(brief_refusal(line, heading));
        }
        let content = doc.content();
        let mut dropped = Vec::new();
        let first_heading = content.iter().position(|b| HEADING_RE.is_match(b.text)).unwrap_or(0);
        let body_start = content
            .iter()
            .position(|b| HEADING_RE.captures(b.text).is_some_and(|c| c.name("pr").is_some() || c.name("qa").is_some()))
            .ok_or_else(|| {
                ParseError::at(doc.last_line(), "expected a `PRESENTATION` or `QUESTIONS AND ANSWERS` heading")
            })?;
        let body_end = (body_start..content.len()).find(|&i| {
            CLOSING_RE.is_match(content[i].text)
                || (COPYRIGHT_RE.is_match(content[i].text)
                    && content[i + 1..].iter().all(|b| FURNITURE_RE.is_match(b.text) || CLOSING_RE.is_match(b.text)))
        });
        if let Some(end) = body_end {
            dropped.push(DroppedBlock {
                kind: "disclaimer",
                first_line: content[end].line,
                lines: content.len() - end,
            });
        }
        let mut facts = read_cover(&content[..first_heading], &mut dropped);
        let entries = read_lists(&content[first_heading..body_start], &mut dropped);
        let company_firm = most_common_company_firm(&entries);
        if facts.company.is_none() {
            facts.company = company_firm.map(Fact::text);
        }
        let resolved = facts.resolve(doc)?;

        let body = &content[body_start..body_end.unwrap_or(content.len())];
        let (body, furniture) = drop_furniture(body);
        if furniture > 0 {
            dropped.push(DroppedBlock {
                kind: "page furniture",
                first_line: body_start_line(content, body_start),
                lines: furniture,
            });
        }
        let mut participants: Vec<Participant> = entries.iter().map(|e| e.participant.clone()).collect();
        let lines = classify(&body, &entries, &participants, doc);
        let built = turns::build_turns(lines, &mut participants, None, LeadingSpeech::Refuse)?;
        dropped.extend(built.dropped);
        let width = body.iter().map(|b| b.text.chars().count()).max().unwrap_or(0);
        let mut turns = built.turns;
        for turn in &mut turns {
            turns::join_wrapped_lines(turn, width);
            // A description wrapped over two lines is one title.
            if let Some(title) = &mut turn.title_as_written {
                *title = title.split_whitespace().collect::<Vec<_>>().join(" ");
            }
        }
        let mut transcript = resolved.into_transcript(self.name(), doc, participants, turns);
        transcript.warnings.extend(built.warnings);
        transcript.dropped = dropped;
        // A copy that prints its disclaimer before the lists (as banks' own PDFs do) has no closing block to wait for.
        let disclaimer_first = content[..first_heading].iter().any(|b| CLOSING_RE.is_match(b.text));
        transcript.truncated_at_line = (body_end.is_none() && !disclaimer_first).then(|| doc.last_line());
        turns::assign_roles_and_kinds(&mut transcript);
        Ok(transcript)
    }
}

fn body_start_line(content: &[Block], at: usize) -> usize {
    content.get(at).map_or(1, |b| b.line)
}

/// What a cover page before the lists says, when the copy kept one: the ticker (`NasdaqGS:ZG`), the period
/// (`FQ3 2022`), the date. Everything there is dropped from speech.
fn read_cover(cover: &[Block], dropped: &mut Vec<DroppedBlock>) -> HeaderFacts {
    let mut facts = HeaderFacts::default();
    for b in cover {
        if facts.ticker.is_none() {
            if let Some(c) = EXCHANGE_TICKER_RE.captures(b.text) {
                facts.ticker = Some(Fact::text(c["ticker"].to_string()));
            }
        }
        if facts.period.is_none() {
            if let Some(c) = COVER_PERIOD_RE.captures(b.text) {
                if let (Ok(q), Ok(y)) = (c[1].parse(), c[2].parse()) {
                    facts.period = Some(Fact::text((q, y)));
                }
            }
        }
        if facts.schedule.is_none() {
            if let Ok(s) = header::parse_schedule(b.text) {
                facts.schedule = Some(Fact::text(s));
            }
        }
    }
    // A bank's own running title, kept on the first page of its PDF: `TD Bank Group – Q1 2023 Earnings Call
    // Transcript – March 02, 2023`: the period as titles write it, the date as one of its parts.
    for b in cover {
        if facts.period.is_none() {
            facts.period = header::fiscal_period(b.text).map(Fact::text);
        }
        if facts.schedule.is_none() {
            facts.schedule =
                b.text.split(['–', '—', '|']).find_map(|part| header::parse_date_only(part.trim())).map(Fact::text);
        }
    }
    if let Some(first) = cover.first() {
        dropped.push(DroppedBlock { kind: "cover", first_line: first.line, lines: cover.len() });
    }
    facts
}

/// A participant written on one line, `Allen Parker - Acme Inc. - CFO` or `Allen Parker, Acme Inc. - CFO`: the name
/// and the `Firm - Title` description. The name is what stands before the first separator when it reads as a name
/// (`Berkley, Jr.` keeps its suffix) and a `Firm - Title` follows.
fn one_line_entry(text: &str) -> Option<(&str, &str)> {
    let dash = split_at_dash(text).map(|(name, rest)| (name.len(), text.len() - rest.len()));
    let comma = text.match_indices(", ").map(|(at, _)| (at, at + 2)).find(|&(_, after)| {
        !text[after..].split_whitespace().next().is_some_and(|w| is_suffix(w.trim_end_matches(',')))
    });
    [dash, comma]
        .into_iter()
        .flatten()
        .filter(|&(at, after)| looks_like_name(&text[..at]) && has_dash(&text[after..]))
        .min_by_key(|&(at, _)| at)
        .map(|(at, after)| (text[..at].trim(), text[after..].trim()))
}

/// A participants-list line holding a name alone.
fn is_name_line(text: &str) -> bool {
    !has_dash(text) && looks_like_name(text)
}

/// The two participants lists (page furniture between entries dropped).
fn read_lists(blocks: &[Block], dropped: &mut Vec<DroppedBlock>) -> Vec<ListEntry> {
    let mut entries = Vec::new();
    let mut side = None;
    let mut section = Vec::new();
    for b in blocks {
        match HEADING_RE.captures(b.text) {
            Some(c) => {
                if let Some(prev) = side {
                    entries.extend(read_name_then_description_list(&section, prev));
                }
                section.clear();
                side = Some(if c.name("corporate").is_some() { ListSide::Company } else { ListSide::Analysts });
            }
            None if FURNITURE_RE.is_match(b.text) => {
                dropped.push(DroppedBlock { kind: "page furniture", first_line: b.line, lines: 1 })
            }
            // `Name - Firm - Title` / `Name, Firm - Title`: read as the name line and the description line, unless
            // it is the description right under a name line (`Zillow Group, Inc. - CFO`).
            None => match one_line_entry(b.text)
                .filter(|_| !section.last().is_some_and(|p| is_name_line(p.text) && p.line + 1 == b.line))
            {
                Some((name, description)) => {
                    section.push(Block { line: b.line, text: name });
                    section.push(Block { line: b.line, text: description });
                }
                None => section.push(*b),
            },
        }
    }
    if let Some(prev) = side {
        entries.extend(read_name_then_description_list(&section, prev));
    }
    entries
}

/// The body without page numbers and running headers; returns how many lines were dropped.
fn drop_furniture<'a>(body: &[Block<'a>]) -> (Vec<Block<'a>>, usize) {
    let kept: Vec<Block> = body.iter().copied().filter(|b| !FURNITURE_RE.is_match(b.text)).collect();
    let dropped = body.len() - kept.len();
    (kept, dropped)
}

/// Headings, speaker lines (with the `Firm - Title` line that may follow them) and speech.
///
/// A speaker line is `Operator`, a listed name (or `Name;Firm;Title` as listed), a placeholder
/// (`Unidentified Company Representative`), or a name the call corroborates standing after a blank line.
fn classify<'a>(
    body: &[Block<'a>],
    entries: &[ListEntry],
    listed: &[Participant],
    doc: &Document<'a>,
) -> Vec<BodyLine<'a>> {
    let raw_lines: HashSet<usize> = doc.blocks.iter().map(|b| b.line).collect();
    let after_gap = |b: &Block| b.line <= 1 || !raw_lines.contains(&(b.line - 1));
    let candidates: Vec<&str> =
        body.iter().filter(|b| after_gap(b)).map(|b| b.text).filter(|t| looks_like_name(t)).collect();
    let speech: Vec<&str> = body.iter().map(|b| b.text).collect();
    let evidence = Evidence::gather(listed, &[], candidates, speech);
    let mut lines = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        i += 1;
        let item = if let Some(c) = HEADING_RE.captures(b.text) {
            let kind = if c.name("pr").is_some() { SectionKind::PreparedRemarks } else { SectionKind::Qa };
            BodyItem::Heading { kind, text: b.text }
        } else if let Some(hit) = speaker(b, &evidence, &after_gap) {
            // The `Firm - Title` line under the name belongs to the speaker line, not to the speech; it may wrap
            // onto a second line, as in the list.
            let as_listed = hit.listed.and_then(|p| entries.get(p)).and_then(|e| e.description.as_deref());
            let same = |text: &str| as_listed.is_some_and(|d| canonical_line(d) == canonical_line(text));
            let mut rest = hit.rest;
            if hit.rest.is_none() {
                if let Some(n) = body.get(i) {
                    let two = body.get(i + 1).filter(|m| m.line == n.line + 1).map(|m| span(doc.text, n, m));
                    if let Some(both) = two.filter(|t| same(t)) {
                        rest = Some(both);
                        i += 2;
                    } else if same(n.text) || is_description(n.text) {
                        rest = Some(n.text);
                        i += 1;
                    }
                }
            }
            let speaker_line = b.text;
            let name = hit.name;
            BodyItem::Speaker {
                hit: SpeakerHit { name, rest, listed: hit.listed, strength: hit.strength },
                speaker_line,
                speech: None,
            }
        } else {
            BodyItem::Speech(b.text)
        };
        lines.push(BodyLine { line: b.line, item });
    }
    lines
}

/// The text from the start of `first` to the end of `last`, both lines of `text`.
fn span<'a>(text: &'a str, first: &Block<'a>, last: &Block<'a>) -> &'a str {
    let start = first.text.as_ptr() as usize - text.as_ptr() as usize;
    let end = last.text.as_ptr() as usize - text.as_ptr() as usize + last.text.len();
    &text[start..end]
}

/// Is this block a speaker line? `Name;Firm;Title` is read by its name.
fn speaker<'a>(b: Block<'a>, evidence: &Evidence, after_gap: &dyn Fn(&Block) -> bool) -> Option<SpeakerHit<'a>> {
    // `Operator:` and `OPERATOR` are the operator as much as `Operator`.
    if b.text.trim().trim_end_matches(':').trim_end().eq_ignore_ascii_case("operator") {
        return Some(SpeakerHit { name: "Operator", rest: None, listed: None, strength: Strength::Strong });
    }
    if let Some((name, rest)) = b.text.split_once(';') {
        let hit = evidence.speaker_line(name.trim())?;
        return (hit.strength == Strength::Strong && hit.rest.is_none()).then_some(SpeakerHit {
            name: name.trim(),
            rest: Some(rest.trim()),
            listed: hit.listed,
            strength: Strength::Strong,
        });
    }
    // `Name – Firm – Title` on one line (as banks print their own transcripts): a speaker line when the name is a
    // listed participant's and the rest reads as their firm and title.
    if let Some((name, rest)) = b.text.split_once(" – ").or_else(|| b.text.split_once(" - ")) {
        if rest.contains(" – ") || rest.contains(" - ") {
            if let Some(hit) = evidence.speaker_line(name.trim()) {
                if hit.strength == Strength::Strong && hit.listed.is_some() && hit.rest.is_none() {
                    return Some(SpeakerHit { name: name.trim(), rest: Some(rest.trim()), ..hit });
                }
            }
        }
    }
    // Other lines with dashes are speech or descriptions here: speaker lines are bare names.
    if b.text.contains("--") || b.text.contains(" - ") || b.text.contains(" – ") {
        return None;
    }
    let hit = evidence.speaker_line(b.text)?;
    let strong = hit.strength == Strength::Strong || is_placeholder(b.text);
    (strong || after_gap(&b)).then_some(hit)
}

/// `Firm - Title` under an unlisted speaker's name.
fn is_description(text: &str) -> bool {
    let (firm, title) = split_firm_and_title(text);
    has_dash(text)
        && text.chars().count() <= 160
        && firm.is_some_and(super::speakers::looks_like_title)
        && title.is_some_and(super::speakers::looks_like_title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Turn;

    #[test]
    fn wrapped_lines_join_into_paragraphs() {
        let long = "x".repeat(90);
        let mut turn = Turn {
            section: SectionKind::PreparedRemarks,
            section_heading: String::new(),
            participant: Some(0),
            speaker_line: "Operator".into(),
            speaker_name: "Operator".into(),
            title_as_written: None,
            paragraphs: vec![
                format!("{long} and"),
                "this line ends it.".into(),
                format!("{long} wraps"),
                format!("{long} too."),
                "Short.".into(),
            ],
            kind: crate::model::TurnKind::Remarks,
            line: 1,
            word_count: 0,
        };
        turn.count_words();
        let words = turn.words();
        turns::join_wrapped_lines(&mut turn, 100);
        assert_eq!(turn.paragraphs.len(), 2, "{:?}", turn.paragraphs);
        assert!(turn.paragraphs[1].ends_with("too. Short."));
        turn.count_words();
        assert_eq!(turn.words(), words);
    }

    #[test]
    fn participants_on_one_line_split_into_name_and_description() {
        assert_eq!(one_line_entry("Ann Lee - Acme Inc. - CFO"), Some(("Ann Lee", "Acme Inc. - CFO")));
        assert_eq!(one_line_entry("Ann Lee, Acme, Inc. - CFO"), Some(("Ann Lee", "Acme, Inc. - CFO")));
        assert_eq!(one_line_entry("Bob Roe, Jr., Acme Inc. - CEO"), Some(("Bob Roe, Jr.", "Acme Inc. - CEO")));
        assert_eq!(one_line_entry("Acme Inc. - CFO"), None);
        assert_eq!(one_line_entry("Ann Lee"), None);
        assert!(HEADING_RE.is_match("Question and Answer Session"));
        assert!(HEADING_RE.is_match("Corporate Participants"));
    }

    #[test]
    fn page_furniture_is_recognized() {
        for line in [
            "3",
            "Page 4 of 12",
            "spglobal.com/marketintelligence 7",
            "ZILLOW GROUP, INC. FQ3 2022 EARNINGS CALL | NOV 07, 2022",
            "REFINITIV STREETEVENTS | www.refinitiv.com | Contact Us",
            "©2022 Refinitiv. All rights reserved. Republication or redistribution of Refinitiv content is prohibited.",
            "MARCH 03, 2021 / 9:30PM GMT, NWND.OQ - Q4 2020 Northwind Traders Inc Earnings Call",
            "Copyright © 2021 S&P Global Market Intelligence, a division of S&P Global Inc. All Rights reserved.",
        ] {
            assert!(FURNITURE_RE.is_match(line), "{line}");
        }
        assert!(!FURNITURE_RE.is_match("2021 was a good year."));
        assert!(!FURNITURE_RE.is_match("March 3, 2021 was a good day for us."));
    }
}
