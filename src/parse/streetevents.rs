//! Refinitiv / Thomson Reuters (now LSEG) StreetEvents "Event Transcript" files.
//!
//! ```text
//! Refinitiv StreetEvents Event Transcript           ← publisher line (`Thomson Reuters StreetEvents …`)
//! E D I T E D   V E R S I O N                       ← edited or preliminary
//! Q4 2009 Intel Corporation Earnings Conference Call   ← event title → fiscal period and company
//! JANUARY 14, 2010 / 10:30PM GMT                    ← date and time (GMT or UTC)
//! Corporate Participants                            ← the company's people …
//!  * Stacy Smith
//!    Intel Corporation - VP, CFO                    ← `Firm - Title` on the line after the name
//! Conference Call Participiants                     ← … and the analysts (StreetEvents' own spelling)
//! Presentation                                      ← section headings (`presentation`, `q-and-a` in newer files)
//! Operator    [1]                                   ← speaker lines end with a numbered marker
//! Stacy Smith,  Intel Corporation - VP, CFO    [4]  ← `Name, Firm - Title [n]`
//! Questions and Answers
//! Definitions / Disclaimer / Copyright …            ← the publisher's closing blocks: never speech
//! ```
//!
//! The text names no ticker: it comes from the file name (`--name-pattern '{date}-{ticker}.txt'`) or the companies
//! file, else the call is kept under its company name. "Event Brief" files are the publisher's summary of a call,
//! not what was said: they are refused ([`ParseError::NotATranscript`]), never stored as a transcript.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::document::Block;
use super::header::{self, Fact, HeaderFacts};
use super::names::organization_key;
use super::speakers::{
    canonical_line, read_name_then_description_list, sided_participant, split_firm_and_title, ListEntry, ListSide,
    SpeakerHit, Strength,
};
use super::turns::{self, clip, BodyItem, BodyLine, LeadingSpeech};
use super::{Document, ParseError, SourceLayout};
use crate::model::{DroppedBlock, Participant, SectionKind, Transcript, Turn};

pub struct StreetEvents;

/// How far into the file the publisher line and header stand.
const HEAD_LINES: usize = 12;

static PUBLISHER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:refinitiv|thomson(?:\s+reuters)?|lseg|reuters)\s+)?streetevents\s+event\s+(?P<kind>transcript|brief)",
    )
    .expect("valid regex")
});
static VERSION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:e\s*d\s*i\s*t\s*e\s*d|p\s*r\s*e\s*l\s*i\s*m\s*i\s*n\s*a\s*r\s*y|f\s*i\s*n\s*a\s*l)\s+(?:v\s*e\s*r\s*s\s*i\s*o\s*n|t\s*r\s*a\s*n\s*s\s*c\s*r\s*i\s*p\s*t)$")
        .expect("valid regex")
});
static CORPORATE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^corporate\s+participants?$").expect("valid regex"));
static ANALYSTS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^conference\s+call\s+particip(?:i)?ants?$|^other\s+participants?$").expect("valid regex")
});
static HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?P<pr>presentation|prepared\s+remarks)|(?P<qa>questions?\s+(?:and|&)\s+answers?|q-and-a|q\s*&\s*a|question-and-answer\s+session))$")
        .expect("valid regex")
});
/// The publisher's closing blocks.
static CLOSING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:definitions|disclaimer)$|^copyright\s+(?:\(c\)\s*|©\s*)?\d{4}\s|^©\s*\d{4}")
        .expect("valid regex")
});
/// The publisher's name alone on a line (`Thomson StreetEvents`, `Refinitiv`), above the title in some exports.
static BRANDING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:refinitiv|thomson(?:\s+reuters)?|lseg|reuters)(?:\s+streetevents)?|streetevents)(?:\s+event\s+transcript)?$")
        .expect("valid regex")
});
/// Words that make a line an event title (`… Earnings Conference Call`, `… at Morgan Stanley Technology Conference`).
static TITLE_WORDS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:earnings|results|call|conference|presentation|meeting|webcast|briefing|investor\s+day|analyst\s+day)\b")
        .expect("valid regex")
});
/// A half-year or full-year period opening a title (`H2 2009`, `FY 2009`, `Full Year 2009`): not a quarter.
static NOT_A_QUARTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?P<period>(?P<half>h[12])\s*\d{4}|(?:fy|full[\s-]+year)\s*\d{4}|\d{4}\s+(?:full[\s-]+year|annual))\b",
    )
    .expect("valid regex")
});
/// Words of a call that reports results.
static EARNINGS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:earnings|results|sales|revenue|trading\s+(?:update|statement))\b").expect("valid regex")
});

/// `Stacy Smith,  Intel Corporation - VP, CFO    [4]`, `Operator,     [1]`.
static SPEAKER_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<who>\S.*?)\s*\[\d{1,4}\]$").expect("valid regex"));
/// `<Sync id="L164"/>`: an audio-sync mark of the publisher's transcript editor.
static SYNC_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"(?i)<sync\b[^>]*/?>"#).expect("valid regex"));
/// Separator lines some exports draw between blocks.
static RULE_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:-{5,}|={5,}|_{5,})$").expect("valid regex"));
/// Words of the event that follow the company in a title (`… Earnings Conference Call`, `… Q2 Sales and Revenue
/// Call`). Only the run of them at the end of the title is the event: a company may carry such words in its own
/// name (`Capital One Financial Corp`, `First Financial Bankshares Inc`, `Annual Report Co`).
const EVENT_WORDS: &[&str] = &[
    "earnings",
    "results",
    "sales",
    "revenue",
    "and",
    "&",
    "trading",
    "update",
    "statement",
    "investor",
    "analyst",
    "analysts",
    "day",
    "meeting",
    "annual",
    "shareholders",
    "shareholder",
    "general",
    "pre-recorded",
    "prerecorded",
    "preliminary",
    "interim",
    "guidance",
    "business",
    "operating",
    "conference",
    "corporate",
    "special",
    "call",
    "webcast",
    "presentation",
    "half",
    "full",
    "year",
    "half-year",
    "full-year",
    "fy",
    "h1",
    "h2",
    "q1",
    "q2",
    "q3",
    "q4",
];
/// `Financial` is an event word only in `Financial Results` / `Financial Update`.
const FINANCIAL_BEFORE: &[&str] = &["results", "update", "statement"];

/// The company in an event title without its opening period: the title less the run of event words (and periods)
/// at its end.
fn company_in_title(without_period: &str) -> String {
    let words: Vec<&str> = without_period.split_whitespace().collect();
    let mut end = words.len();
    while end > 1 {
        let word = words[end - 1].to_lowercase();
        let is_year = word.len() == 4 && word.chars().all(|c| c.is_ascii_digit());
        let financial = word == "financial"
            && words.get(end).is_some_and(|next| FINANCIAL_BEFORE.contains(&next.to_lowercase().as_str()));
        if !(EVENT_WORDS.contains(&word.as_str()) || is_year || financial) {
            break;
        }
        end -= 1;
    }
    words[..end].join(" ")
}

/// The fiscal period that opens an event title.
static TITLE_PERIOD_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:(?:q[1-4]|h[12]|fy|full\s+year)\s*\d{4}|\d{4})\s+").expect("valid regex"));

/// The section headings of an Event Brief, the publisher's summary of a call (`OVERVIEW`, `FINANCIAL DATA`,
/// `PRESENTATION SUMMARY`, `Q&A SUMMARY`, `GUIDANCE`).
static BRIEF_HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?P<summary>presentation\s+summary|q(?:uestions?)?\s*(?:and|&)\s*a(?:nswers?)?\s+summary)|overview|financial\s+data|guidance)$")
        .expect("valid regex")
});

/// The first heading that shows a file is an Event Brief by its structure, even when its `… Event Brief` line is
/// gone: a summary heading (`PRESENTATION SUMMARY`), or two different brief headings (`OVERVIEW`, `FINANCIAL DATA`)
/// with no verbatim `Presentation` section. Returns its line and text.
pub(crate) fn brief_by_structure<'a>(doc: &'a Document) -> Option<(usize, &'a str)> {
    let content = doc.content();
    let hits: Vec<&Block> = content.iter().filter(|b| BRIEF_HEADING_RE.is_match(b.text.trim())).collect();
    let summary =
        hits.iter().find(|b| BRIEF_HEADING_RE.captures(b.text.trim()).is_some_and(|c| c.name("summary").is_some()));
    let verbatim_presentation =
        content.iter().any(|b| HEADING_RE.captures(b.text).is_some_and(|c| c.name("pr").is_some()));
    let distinct: std::collections::HashSet<String> = hits.iter().map(|b| b.text.trim().to_lowercase()).collect();
    let first = match summary {
        Some(b) => Some(*b),
        None if distinct.len() >= 2 && !verbatim_presentation => hits.first().copied(),
        None => None,
    };
    first.map(|b| (b.line, b.text))
}

/// The refusal of an Event Brief, naming the line that shows it is one.
pub(crate) fn brief_refusal(line: usize, evidence: &str) -> ParseError {
    ParseError::NotATranscript(format!(
        "line {line}: a StreetEvents Event Brief (`{}`): the publisher's summary of the call, not what was said; \
         calldb archives verbatim transcripts only, so it is not archived",
        clip(evidence)
    ))
}

fn publisher_kind<'a>(doc: &'a Document) -> Option<(usize, &'a str)> {
    doc.content()
        .iter()
        .take(HEAD_LINES)
        .enumerate()
        .find_map(|(i, b)| PUBLISHER_RE.captures(b.text).map(|c| (i, c.name("kind").map_or("", |m| m.as_str()))))
}

impl SourceLayout for StreetEvents {
    fn name(&self) -> &'static str {
        "streetevents"
    }

    fn score(&self, doc: &Document) -> u32 {
        let content = doc.content();
        let head = &content[..content.len().min(HEAD_LINES)];
        let publisher = publisher_kind(doc).is_some();
        let version = head.iter().any(|b| VERSION_RE.is_match(b.text));
        if !publisher && !version {
            return 0;
        }
        let mut score = 10;
        if content.iter().take(60).any(|b| CORPORATE_RE.is_match(b.text)) {
            score += 3;
        }
        if content.iter().any(|b| HEADING_RE.is_match(b.text)) {
            score += 3;
        }
        if content.iter().any(|b| SPEAKER_RE.is_match(b.text)) {
            score += 3;
        }
        score
    }

    fn parse(&self, doc: &Document) -> Result<Transcript, ParseError> {
        let content = doc.content();
        if let Some((i, kind)) = publisher_kind(doc) {
            if kind.eq_ignore_ascii_case("brief") {
                return Err(brief_refusal(content[i].line, content[i].text));
            }
        }
        if let Some((line, heading)) = brief_by_structure(doc) {
            return Err(brief_refusal(line, heading));
        }
        let mut dropped = Vec::new();
        let header = read_header(content)?;
        let list_end = header.body_start;
        let body_end = (list_end..content.len()).find(|&i| CLOSING_RE.is_match(content[i].text));
        if let Some(end) = body_end {
            dropped.push(DroppedBlock {
                kind: "disclaimer",
                first_line: content[end].line,
                lines: content.len() - end,
            });
        }
        let body = &content[list_end..body_end.unwrap_or(content.len())];
        let title = header.facts.title.as_ref().map(|t| t.value.clone());
        let resolved = header.facts.resolve(doc).map_err(|e| match (&e, title) {
            (ParseError::MissingFact(_), Some(title)) => why_no_quarter(&title).unwrap_or(e),
            _ => e,
        })?;
        let company_key = organization_key(header.company_firm.as_deref().unwrap_or(&resolved.company.name));
        let mut participants: Vec<Participant> = header.entries.iter().map(|e| e.participant.clone()).collect();
        let lines = classify(body, &header.entries, &mut participants, &company_key, &mut dropped);
        let built = turns::build_turns(lines, &mut participants, None, LeadingSpeech::Refuse)?;
        dropped.extend(built.dropped);
        let mut turns = built.turns;
        for turn in &mut turns {
            strip_sync_marks(turn);
        }
        let mut transcript = resolved.into_transcript(self.name(), doc, participants, turns);
        transcript.warnings.extend(built.warnings);
        transcript.dropped = dropped;
        transcript.truncated_at_line =
            (body_end.is_none() && !turns::ends_like_a_call(&transcript.turns)).then(|| doc.last_line());
        turns::assign_roles_and_kinds(&mut transcript);
        Ok(transcript)
    }
}

/// Removes the audio-sync marks some exports leave in speech (`<Sync id="L164"/>Thank you.`): they are markup,
/// not words. A paragraph that held nothing else is dropped.
fn strip_sync_marks(turn: &mut Turn) {
    if !turn.paragraphs.iter().any(|p| SYNC_RE.is_match(p)) {
        return;
    }
    for p in &mut turn.paragraphs {
        if SYNC_RE.is_match(p) {
            *p = SYNC_RE.replace_all(p, " ").split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
    turn.paragraphs.retain(|p| !p.is_empty());
    turn.count_words();
}

/// Why a title without a fiscal quarter names none: a half-year or full-year period, or an event that is not an
/// earnings call (an investor conference, an acquisition call).
fn why_no_quarter(title: &str) -> Option<ParseError> {
    if let Some(c) = NOT_A_QUARTER_RE.captures(title) {
        let span = if c.name("half").is_some() { "a half-year" } else { "a full-year" };
        return Some(ParseError::MissingFact(format!(
            "the event `{}` is for {span} period ({}), which calldb does not store: it archives quarterly calls \
             (a --name-pattern with {{year}} and {{quarter}} names the quarter if this call is one)",
            clip(title),
            &c["period"]
        )));
    }
    (!EARNINGS_RE.is_match(title)).then(|| {
        ParseError::MissingFact(format!(
            "the event `{}` is not an earnings call and names no fiscal quarter: calldb archives quarterly calls \
             (a --name-pattern with {{year}} and {{quarter}} names the quarter if this call is one)",
            clip(title)
        ))
    })
}

struct Header {
    facts: HeaderFacts,
    entries: Vec<ListEntry>,
    /// The firm the company's people are listed with (`Intel Corporation`), to tell company speakers from
    /// analysts on speaker lines no list entry matches.
    company_firm: Option<String>,
    /// Index of the first section heading.
    body_start: usize,
}

/// Reads the event title, date and the two participants lists, up to the first section heading.
fn read_header(content: &[Block]) -> Result<Header, ParseError> {
    let body_start = content.iter().position(|b| HEADING_RE.is_match(b.text)).ok_or_else(|| {
        ParseError::at(
            content.last().map_or(1, |b| b.line),
            "expected a `Presentation` or `Questions and Answers` section heading",
        )
    })?;
    let head = &content[..body_start];
    let mut facts = HeaderFacts::default();
    let list_start = head.iter().position(|b| CORPORATE_RE.is_match(b.text) || ANALYSTS_RE.is_match(b.text));
    let title_area = &head[..list_start.unwrap_or(head.len()).min(HEAD_LINES)];
    let mut others = Vec::new();
    for b in title_area {
        if PUBLISHER_RE.is_match(b.text)
            || VERSION_RE.is_match(b.text)
            || BRANDING_RE.is_match(b.text)
            || RULE_RE.is_match(b.text)
        {
            continue;
        }
        if facts.schedule.is_none() {
            if let Ok(s) = header::parse_schedule(b.text) {
                facts.schedule = Some(Fact::text(s));
                continue;
            }
        }
        others.push(*b);
    }
    // The title is the line with a fiscal period, else the one with event words, else the first line left.
    let title = others
        .iter()
        .find(|b| header::fiscal_period(b.text).is_some())
        .or_else(|| others.iter().find(|b| TITLE_PERIOD_RE.is_match(b.text) || TITLE_WORDS_RE.is_match(b.text)))
        .or(others.first());
    if let Some(b) = title {
        facts.title = Some(Fact::text(b.text.to_string()));
        facts.period = header::fiscal_period(b.text).map(Fact::text);
        let without_period = TITLE_PERIOD_RE.replace(b.text, "");
        let company = company_in_title(&without_period);
        if !company.is_empty() && company != b.text {
            facts.company = Some(Fact::text(company));
        }
    }
    let mut entries = Vec::new();
    let mut side = None;
    let mut section: Vec<Block> = Vec::new();
    for b in &head[list_start.unwrap_or(head.len())..] {
        let next = if CORPORATE_RE.is_match(b.text) {
            Some(ListSide::Company)
        } else if ANALYSTS_RE.is_match(b.text) {
            Some(ListSide::Analysts)
        } else {
            None
        };
        match next {
            Some(s) => {
                if let Some(prev) = side {
                    entries.extend(read_name_then_description_list(&section, prev));
                }
                section.clear();
                side = Some(s);
            }
            None if RULE_RE.is_match(b.text) => {}
            None => section.push(*b),
        }
    }
    if let Some(prev) = side {
        entries.extend(read_name_then_description_list(&section, prev));
    }
    let company_firm = most_common_company_firm(&entries);
    Ok(Header { facts, entries, company_firm, body_start })
}

/// The firm most of the company's people are listed with.
pub(crate) fn most_common_company_firm(entries: &[ListEntry]) -> Option<String> {
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if e.participant.role.is_company_side() {
            if let (Some(firm), _) = e.description.as_deref().map_or((None, None), split_firm_and_title) {
                counts.entry(firm.to_string()).or_insert((0, i)).0 += 1;
            }
        }
    }
    // The most frequent, the first listed among equals.
    counts.into_iter().max_by_key(|(_, (n, first))| (*n, std::cmp::Reverse(*first))).map(|(firm, _)| firm)
}

/// Headings, numbered speaker lines and speech. A speaker line matches a list entry by name; one no entry matches
/// is a person of the company when its firm is the company's, else an analyst.
fn classify<'a>(
    body: &[Block<'a>],
    entries: &[ListEntry],
    participants: &mut Vec<Participant>,
    company_key: &str,
    dropped: &mut Vec<DroppedBlock>,
) -> Vec<BodyLine<'a>> {
    let by_name: HashMap<String, usize> =
        entries.iter().enumerate().map(|(i, e)| (canonical_line(&e.participant.name), i)).collect();
    let mut unlisted: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut lines = Vec::with_capacity(body.len());
    for b in body {
        let item = if let Some(c) = HEADING_RE.captures(b.text) {
            let kind = if c.name("pr").is_some() { SectionKind::PreparedRemarks } else { SectionKind::Qa };
            BodyItem::Heading { kind, text: b.text }
        } else if RULE_RE.is_match(b.text) {
            dropped.push(DroppedBlock { kind: "separator", first_line: b.line, lines: 1 });
            continue;
        } else if let Some(c) = SPEAKER_RE.captures(b.text) {
            let who = c.name("who").expect("group").as_str().trim_end_matches([',', ':', ' ']);
            let (name, rest) = split_name(who, &by_name);
            // `OPERATOR` / `Operator:` are the operator as much as `Operator`.
            let name = if name.eq_ignore_ascii_case("operator") { "Operator" } else { name };
            let listed = if name.eq_ignore_ascii_case("operator") {
                None
            } else if let Some(&i) = by_name.get(&canonical_line(name)) {
                Some(i)
            } else {
                let key = (name.to_string(), rest.map(str::to_string));
                let index = *unlisted.entry(key).or_insert_with(|| {
                    let (firm, title) = rest.map_or((None, None), split_firm_and_title);
                    let side = if firm.is_some_and(|f| organization_key(f) == company_key) {
                        ListSide::Company
                    } else if firm.is_some() {
                        ListSide::Analysts
                    } else {
                        // No firm on the line: the shared rules decide from the title and the operator's words.
                        participants.push(Participant {
                            name: name.to_string(),
                            title: title.map(str::to_string),
                            firm: None,
                            role: super::speakers::role_from_title(name, title, false),
                            listed: false,
                        });
                        return participants.len() - 1;
                    };
                    participants.push(sided_participant(name, firm, title, side, false));
                    participants.len() - 1
                });
                Some(index)
            };
            let hit = SpeakerHit { name, rest, listed, strength: Strength::Strong };
            BodyItem::Speaker { hit, speaker_line: who, speech: None }
        } else {
            BodyItem::Speech(b.text)
        };
        lines.push(BodyLine { line: b.line, item });
    }
    lines
}

/// `Kevin Sellers,  Intel Corporation - VP of IR` → (`Kevin Sellers`, `Intel Corporation - VP of IR`): the name is
/// the listed name the line starts with, else everything before the first comma (a name such as
/// `W. Robert Berkley, Jr.` is found by the list).
fn split_name<'a>(who: &'a str, by_name: &HashMap<String, usize>) -> (&'a str, Option<&'a str>) {
    let rest_of = |at: usize| Some(who[at..].trim_start_matches([',', ' ']).trim()).filter(|r| !r.is_empty());
    for (at, _) in who.match_indices(',') {
        if by_name.contains_key(&canonical_line(&who[..at])) {
            return (who[..at].trim(), rest_of(at));
        }
    }
    match who.find(',') {
        Some(at) => (who[..at].trim(), rest_of(at)),
        None => (who.trim(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_comes_from_the_event_title() {
        for (title, company) in [
            ("Q4 2009 Intel Corporation Earnings Conference Call", "Intel Corporation"),
            ("Q2 2019 Amazon.com Inc Earnings Call", "Amazon.com Inc"),
            ("Q4 2013 Microsoft Earnings Conference Call", "Microsoft"),
            ("Q2 2022 ASML Holding NV Earnings Call", "ASML Holding NV"),
            ("Q4 2009 Capital One Financial Corp Earnings Call", "Capital One Financial Corp"),
            ("Q1 2021 First Financial Bankshares Inc Earnings Call", "First Financial Bankshares Inc"),
            ("Q3 2021 Acme Corp Financial Results Conference Call", "Acme Corp"),
            ("Q2 2021 Acme Corp Q2 Sales and Revenue Call", "Acme Corp"),
            ("Q4 2009 Annual Report Co Earnings Call", "Annual Report Co"),
        ] {
            let without = TITLE_PERIOD_RE.replace(title, "");
            assert_eq!(company_in_title(&without), company);
        }
    }

    #[test]
    fn briefs_are_told_by_their_headings() {
        let brief_of = |text: &str| {
            let doc = Document::new(text, crate::parse::ParseOptions::default(), None).unwrap();
            brief_by_structure(&doc).map(|(line, heading)| (line, heading.to_string()))
        };
        assert_eq!(
            brief_of("Q1 2021 Acme Earnings Call\nOVERVIEW\nRevenue rose.\nFINANCIAL DATA\n1. EPS $1.\n"),
            Some((2, "OVERVIEW".into()))
        );
        assert_eq!(
            brief_of("OVERVIEW\nRevenue rose.\nPRESENTATION SUMMARY\n"),
            Some((3, "PRESENTATION SUMMARY".into()))
        );
        assert_eq!(brief_of("Presentation\nOperator [1]\nOverview\nGuidance\nThank you.\n"), None);
        assert_eq!(brief_of("Presentation\nOperator [1]\nWelcome.\n"), None);
    }

    #[test]
    fn the_title_is_the_line_with_a_period_or_event_words() {
        let title_of = |text: &str| {
            let doc = Document::new(text, crate::parse::ParseOptions::default(), None).unwrap();
            let header = read_header(doc.content()).unwrap();
            header.facts.title.map(|t| t.value)
        };
        let head = "Thomson StreetEvents\nFINAL TRANSCRIPT\nQ3 2021 Acme Widgets Inc Earnings Call\n\
                    OCTOBER 20, 2021 / 9:00PM GMT\nPresentation\nOperator [1]\nHello.\n";
        assert_eq!(title_of(head).as_deref(), Some("Q3 2021 Acme Widgets Inc Earnings Call"));
        let head = "Acme Widgets Inc\nAcme Widgets Inc at Beta Technology Conference\nPresentation\n";
        assert_eq!(title_of(head).as_deref(), Some("Acme Widgets Inc at Beta Technology Conference"));
        assert!(why_no_quarter("H1 2021 Acme Widgets Inc Earnings Call").unwrap().to_string().contains("half-year"));
        assert!(why_no_quarter("FY 2021 Acme Widgets Inc Earnings Call").unwrap().to_string().contains("full-year"));
        assert!(why_no_quarter("Acme Widgets Inc Investor Day").unwrap().to_string().contains("not an earnings call"));
        assert!(why_no_quarter("Acme Widgets Inc Earnings Call").is_none());
    }

    #[test]
    fn speaker_lines_split_at_the_listed_name() {
        let by_name = HashMap::from([("W. Robert Berkley, Jr.".to_string(), 0)]);
        assert_eq!(
            split_name("W. Robert Berkley, Jr., W. R. Berkley Corporation - CEO", &by_name),
            ("W. Robert Berkley, Jr.", Some("W. R. Berkley Corporation - CEO"))
        );
        assert_eq!(
            split_name("Kevin Sellers,  Intel Corporation - VP of IR", &by_name),
            ("Kevin Sellers", Some("Intel Corporation - VP of IR"))
        );
        assert_eq!(split_name("Operator", &by_name), ("Operator", None));
        assert!(SPEAKER_RE.is_match("Operator,     [1]"));
        assert!(CLOSING_RE.is_match("Copyright 2023 Refinitiv. All Rights Reserved."));
        assert!(HEADING_RE.is_match("q-and-a"));
    }
}
