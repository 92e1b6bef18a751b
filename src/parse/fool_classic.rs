//! The classic fool.com plain-text layout (until mid-2025), as users save it from the page and as scrapers save it.
//!
//! ```text
//! ==========  Company: …  Ticker: …  Quarter: …  URL: …  ==========   ← a scraper's metadata block (optional)
//! NYSE:YETI                                         ← exchange and ticker (optional)
//! Logo of jester cap with thought bubble.          ← page furniture, skipped
//! Liveperson Inc (LPSN -4.22%)                      ← company + ticker + (exchange | day's price move)
//! Q1 2021 Earnings Call                             ← title → fiscal quarter and year
//! May 4, 2021, 5:00 p.m. ET                         ← local date, time and zone
//!   (scrapers collapse the three: `MongoDB(MDB+2.97%)Q1 2025 Earnings CallMay 30, 2024,5:00 p.m. ET`)
//! Contents: • Prepared Remarks • …                  ← table of contents (with or without its heading), skipped
//! Prepared Remarks:                                 ← section heading
//! Operator                                          ← speaker line
//! Good afternoon, …                                 ← speech, one paragraph per line
//! 10 stocks we like better than … *Stock Advisor …  ← advertising inserted mid-turn, skipped
//! Questions and Answers:
//! Maya -- JPMorgan -- Analyst                       ← `Name -- Firm -- Analyst` (scrapers: `Name--Title`)
//! Duration: 45 minutes                              ← `Duration: 0 minutes` is fool.com's placeholder: no duration
//! Call participants:                                ← `Name -- Title` entries: the best evidence of who speaks
//! More LPSN analysis / All earnings call transcripts / disclaimers   ← footer, skipped
//! ```
//!
//! Which lines are speaker lines is decided by the shared evidence rules in [`super::speakers`]; roles and kinds by
//! [`super::turns`]. The file is whole when the body ends at a `Duration:` line or the participants list; a file
//! with neither was cut short (an interrupted download) and is reported as truncated at its last line.

use std::sync::LazyLock;

use regex::Regex;

use super::document::Block;
use super::header::{self, company_line, title_and_schedule, Fact, HeaderFacts, EXCHANGE_TICKER_RE};
use super::names::looks_like_name;
use super::speakers::{looks_like_title, split_speaker_line, Evidence};
use super::turns::{self, clip, BodyItem, BodyLine, LeadingSpeech};
use super::{Document, ParseError, SourceLayout};
use crate::model::{DroppedBlock, Participant, SectionKind, Transcript};

pub struct FoolClassic;

static HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:(?P<pr>prepared\s+remarks)|(?P<qa>questions?\s*(?:and|&)\s*answers?(?:\s+session)?|question-and-answer\s+session))\s*:$")
        .expect("valid regex")
});
static DURATION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^duration:\s*(\d{1,6})\s*min(?:ute)?s?\.?$").expect("valid regex"));
static PARTICIPANTS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^call\s+participants\s*:?$").expect("valid regex"));
/// The footer fool.com prints after a transcript (both layouts).
static FOOTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:more\s+\S+\s+analysis$|all\s+earnings\s+call\s+transcripts$|alphastreet\s+logo$|this article is a transcript|the motley fool (?:has|owns|recommends)|stocks mentioned$|\*average returns)",
    )
    .expect("valid regex")
});

/// Is this line part of the footer fool.com prints after a transcript?
pub(crate) fn is_fool_footer(text: &str) -> bool {
    FOOTER_RE.is_match(text)
}

/// How far apart the two ends of the advertising block may be, in lines of text.
const AD_BLOCK_MAX_LINES: usize = 12;

/// How far into the file the header may stand (page furniture and metadata come first).
const HEADER_SEARCH_LINES: usize = 40;

impl SourceLayout for FoolClassic {
    fn name(&self) -> &'static str {
        "fool-classic"
    }

    fn score(&self, doc: &Document) -> u32 {
        let content = doc.content();
        let headings = content.iter().filter(|b| HEADING_RE.is_match(b.text)).count();
        if headings == 0 {
            return 0;
        }
        let mut score = 5 + 3 * headings.min(2) as u32;
        if find_company_line(content).is_some() {
            score += 10;
        }
        if content.iter().any(|b| DURATION_RE.is_match(b.text) || PARTICIPANTS_RE.is_match(b.text)) {
            score += 3;
        }
        score
    }

    fn parse(&self, doc: &Document) -> Result<Transcript, ParseError> {
        let content = doc.content();
        let (facts, header_end) = read_header(content)?;
        let resolved = facts.resolve(doc)?;
        let body = body_bounds(content, header_end)?;
        let mut dropped = Vec::new();
        if body.start > header_end {
            dropped.push(DroppedBlock {
                kind: "contents",
                first_line: content[header_end].line,
                lines: body.start - header_end,
            });
        }
        let tail = parse_tail(&content[body.end..], &mut dropped);
        let mut warnings = Vec::new();
        let body_blocks = strip_advertising(&content[body.start..body.end], &mut warnings, &mut dropped);
        let mut participants = tail.participants;
        let lines = classify(&body_blocks, &participants, &tail.list_lines);
        let built = turns::build_turns(lines, &mut participants, None, LeadingSpeech::Refuse)?;
        warnings.extend(built.warnings);
        dropped.extend(built.dropped);
        if tail.placeholder_duration {
            warnings.push("`Duration: 0 minutes` is fool.com's placeholder: no duration stored".into());
        }
        let cut_in_list = tail.list_to_end && tail.list_lines.last().is_some_and(|l| list_cut_short(l, &built.turns));
        let truncated_at_line = (!tail.closed || cut_in_list).then(|| content.last().map_or(1, |b| b.line));
        let mut transcript = resolved.into_transcript(self.name(), doc, participants, built.turns);
        transcript.warnings.extend(warnings);
        transcript.duration_minutes = tail.duration;
        transcript.dropped = dropped;
        transcript.truncated_at_line = truncated_at_line;
        turns::assign_roles_and_kinds(&mut transcript);
        Ok(transcript)
    }
}

/// The company line among the first lines: (index, is the header collapsed onto it).
fn find_company_line(content: &[Block]) -> Option<usize> {
    (0..content.len().min(HEADER_SEARCH_LINES)).find(|&i| {
        company_line(content[i].text).is_some_and(|c| {
            // Collapsed onto one line, or alone on its line (a bare `(MDB)` only with the title on the next line).
            title_and_schedule(c.rest).is_some()
                || (c.rest.trim().is_empty()
                    && (!c.bare || content.get(i + 1).is_some_and(|next| header::fiscal_period(next.text).is_some())))
        })
    })
}

/// Reads the header: the company line, then the title and date (on the next two lines, or collapsed onto the
/// company line). A file whose header was dropped has none: its facts come from elsewhere (see
/// [`HeaderFacts::resolve`]). Returns the facts and the index of the first line after the header.
fn read_header(content: &[Block]) -> Result<(HeaderFacts, usize), ParseError> {
    let mut facts = HeaderFacts::default();
    let Some(at) = find_company_line(content) else {
        return Ok((facts, 0));
    };
    let line = company_line(content[at].text).expect("found above");
    facts.exchange = line.company.exchange.clone().or_else(|| {
        content[..at]
            .iter()
            .find_map(|b| {
                EXCHANGE_TICKER_RE.captures(b.text).filter(|c| Some(&c["ticker"]) == line.company.ticker.as_deref())
            })
            .map(|c| c["exchange"].to_string())
    });
    facts.ticker = line.company.ticker.clone().map(Fact::text);
    facts.company = Some(Fact::text(line.company.name.clone()));
    facts.price_change_pct = line.price_change_pct;
    if let Some((title, schedule)) = title_and_schedule(line.rest) {
        facts.period = header::fiscal_period(title).map(Fact::text);
        facts.title = Some(Fact::text(title.to_string()));
        facts.schedule = Some(Fact::text(schedule));
        return Ok((facts, at + 1));
    }
    let title_block = content
        .get(at + 1)
        .ok_or_else(|| ParseError::at(content[at].line + 1, "expected the call title, e.g. `Q1 2021 Earnings Call`"))?;
    let period = header::fiscal_period(title_block.text).ok_or_else(|| {
        ParseError::at(
            title_block.line,
            format!(
                "expected the call title with its fiscal period, e.g. `Q1 2021 Earnings Call`, found `{}`",
                clip(title_block.text)
            ),
        )
    })?;
    let date_block = content.get(at + 2).ok_or_else(|| {
        ParseError::at(title_block.line + 1, "expected the call date, e.g. `May 4, 2021, 5:00 p.m. ET`")
    })?;
    let schedule = header::parse_schedule(date_block.text).map_err(|why| {
        ParseError::at(
            date_block.line,
            format!(
                "expected the call date and time, e.g. `May 4, 2021, 5:00 p.m. ET`, found `{}` ({why})",
                clip(date_block.text)
            ),
        )
    })?;
    facts.title = Some(Fact::text(title_block.text.to_string()));
    facts.period = Some(Fact::text(period));
    facts.schedule = Some(Fact::text(schedule));
    Ok((facts, at + 3))
}

struct BodyBounds {
    start: usize,
    end: usize,
}

/// The body runs from the first section heading to the `Duration:` line or the participants list, whichever
/// comes first. Files without either end at the footer (or at their last line, cut short).
fn body_bounds(blocks: &[Block], from: usize) -> Result<BodyBounds, ParseError> {
    let start = (from..blocks.len()).find(|&i| HEADING_RE.is_match(blocks[i].text)).ok_or_else(|| {
        ParseError::at(
            blocks.get(from).map_or(blocks.last().map_or(1, |b| b.line), |b| b.line),
            "expected a section heading `Prepared Remarks:` or `Questions and Answers:` after the header",
        )
    })?;
    let marked_end = (start..blocks.len())
        .find(|&i| DURATION_RE.is_match(blocks[i].text) || PARTICIPANTS_RE.is_match(blocks[i].text));
    let end = marked_end.unwrap_or_else(|| {
        let mut end = blocks.len();
        while end > start + 1 && is_fool_footer(blocks[end - 1].text) {
            end -= 1;
        }
        end
    });
    Ok(BodyBounds { start, end })
}

struct Tail {
    duration: Option<u32>,
    /// True when the duration line said 0 (fool.com's placeholder).
    placeholder_duration: bool,
    participants: Vec<Participant>,
    /// The list entries as written.
    list_lines: Vec<String>,
    /// A `Duration:` line or the participants list was found: the transcript reached its closing blocks.
    closed: bool,
    /// The participants list runs to the end of the file (no footer after it): a download cut inside it ends there.
    list_to_end: bool,
}

/// Reads `Duration:` and the participants list that follow the body; the list ends at the footer or at a line
/// of prose (a disclaimer is not a participant).
fn parse_tail(blocks: &[Block], dropped: &mut Vec<DroppedBlock>) -> Tail {
    let mut tail = Tail {
        duration: None,
        placeholder_duration: false,
        participants: Vec::new(),
        list_lines: Vec::new(),
        closed: false,
        list_to_end: false,
    };
    let mut in_list = false;
    for (i, b) in blocks.iter().enumerate() {
        if let Some(c) = DURATION_RE.captures(b.text) {
            match c[1].parse::<u32>() {
                Ok(0) => tail.placeholder_duration = true,
                Ok(minutes) => tail.duration = Some(minutes),
                Err(_) => {}
            }
            tail.closed = true;
            in_list = false;
        } else if PARTICIPANTS_RE.is_match(b.text) {
            tail.closed = true;
            in_list = true;
        } else if in_list && !is_fool_footer(b.text) && is_list_entry(b.text) {
            tail.participants.push(super::speakers::listed_participant(b.text));
            tail.list_lines.push(b.text.to_string());
        } else {
            dropped.push(DroppedBlock { kind: "footer", first_line: b.line, lines: blocks.len() - i });
            return tail;
        }
    }
    tail.list_to_end = in_list;
    tail
}

/// A participants list cut inside an entry (an interrupted download): its last entry, at the end of the file, is
/// a speaker line of the call cut short (`Drew Patel -- Citi` for `Drew Patel -- Citigroup -- Analyst`), or ends
/// on a dangling separator.
fn list_cut_short(last: &str, turns: &[crate::model::Turn]) -> bool {
    let last = super::speakers::canonical_line(last);
    last.ends_with("--")
        || turns.iter().any(|t| {
            let line = super::speakers::canonical_line(&t.speaker_line);
            line.len() > last.len() && line.starts_with(&last)
        })
}

/// A participants-list entry: `Name -- Title`, or a bare name; never a sentence of prose.
fn is_list_entry(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let prose = words > 12 && text.ends_with(['.', '!', '?']);
    let (name, title) = split_speaker_line(text);
    !prose
        && (title.is_some_and(|t| looks_like_name(name) || looks_like_title(t)) || looks_like_name(text) || words <= 8)
}

/// Drops fool.com's advertising block (`10 stocks we like better than …` through `*Stock Advisor returns as of …`).
/// If the closing line never comes, nothing is dropped: better to keep an ad than lose speech.
fn strip_advertising<'a>(
    blocks: &[Block<'a>],
    warnings: &mut Vec<String>,
    dropped: &mut Vec<DroppedBlock>,
) -> Vec<Block<'a>> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut i = 0;
    while i < blocks.len() {
        if blocks[i].text.starts_with("10 stocks we like better than") {
            let close = blocks[i..]
                .iter()
                .take(AD_BLOCK_MAX_LINES)
                .position(|b| b.text.starts_with("*Stock Advisor returns as of"));
            match close {
                Some(offset) => {
                    dropped.push(DroppedBlock { kind: "advertising", first_line: blocks[i].line, lines: offset + 1 });
                    i += offset + 1;
                    continue;
                }
                None => warnings.push(format!(
                    "line {}: advertising block without its closing `*Stock Advisor returns as of` line kept as speech",
                    blocks[i].line
                )),
            }
        }
        out.push(blocks[i]);
        i += 1;
    }
    out
}

/// Headings, speaker lines (by the shared evidence rules) and speech.
fn classify<'a>(body: &[Block<'a>], listed: &[Participant], list_lines: &[String]) -> Vec<BodyLine<'a>> {
    let candidates: Vec<&str> = body.iter().map(|b| b.text).filter(|t| t.len() <= 60 && looks_like_name(t)).collect();
    let speech: Vec<&str> = body.iter().map(|b| b.text).collect();
    let evidence = Evidence::gather(listed, list_lines, candidates, speech);
    body.iter()
        .map(|b| {
            let item = if let Some(c) = HEADING_RE.captures(b.text) {
                let kind = if c.name("pr").is_some() { SectionKind::PreparedRemarks } else { SectionKind::Qa };
                BodyItem::Heading { kind, text: b.text }
            } else if let Some(hit) = evidence.speaker_line(b.text) {
                BodyItem::Speaker { hit, speaker_line: b.text, speech: None }
            } else {
                BodyItem::Speech(b.text)
            };
            BodyLine { line: b.line, item }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_entries_and_prose() {
        assert!(is_list_entry("Brian Denyeau--Investor Relations"));
        assert!(is_list_entry("Bill Katz"));
        assert!(is_list_entry("f David Strauss -- Barclays -- Analyst"));
        assert!(!is_list_entry(
            "This article is a transcript of this conference call produced for The Motley Fool, which we hope helps."
        ));
        assert!(is_fool_footer("Stocks Mentioned"));
        assert!(is_fool_footer("More MDB analysis"));
    }
}
