//! `Name: speech` transcripts: the `content` / `transcript` text transcript APIs return (Financial Modeling Prep,
//! API Ninjas, Finnhub's text, many datasets).
//!
//! ```text
//! Executives: John Mackey - Co-CEO Walter Robb - Co-CEO Cindy McCann - VP, IR     ← participants lists, one line
//! Analysts: Rupesh Parikh - Oppenheimer Charles Grom - Sterne Agee                  (or a heading, then an entry a line)
//! Operator: Good day and welcome to the first quarter earnings call. …             ← a turn a line: `Name: speech`
//! Cindy McCann: Good afternoon and thank you for joining us. …
//! Kenneth B. Goldman - JPMorgan Securities LLC: Thanks. …                          ← `Name - Firm:` labels too
//! ```
//!
//! There is no header: the ticker, period and date come from the record that carried the text, `--name-pattern` or
//! `--companies` (a title or company line before the first turn is read when there is one). There is no Q&A heading
//! either: questions begin where the operator (or the host, on calls without one) opens the floor
//! ([`super::turns::start_qa_by_evidence`]).
//!
//! A colon alone never makes a speaker (`Outlook: we expect…` is speech): a label needs the evidence of
//! [`Evidence::name_label`] — `Operator`, a listed participant, repetition, an introduction just before it, or the
//! shape of a full name the call corroborates. The label is kept as written (`Name - Firm` included); the person it
//! resolves to keeps the list's spelling.
//!
//! **Line breaks lost.** Scripts that save `content` badly glue every turn onto one line (`…Please go ahead.Shelly
//! Kay Pfeiffer: Hello, and welcome…`). Such text is split only where a label has strong evidence or stands after a
//! sentence's end with the evidence above: the participants lists, `Operator:`, repetition, an introduction. Speech
//! is stored as written. Text that cannot be split with confidence is not this layout (it is kept as unattributed
//! speech by [`super::whole_call`], with a warning), never guessed.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::document::Block;
use super::header::{self, company_line, fiscal_period, Fact, HeaderFacts};
use super::names::{looks_like_name, name_words, opens_like_speech};
use super::speakers::{
    is_placeholder, sided_participant, split_affiliation, split_firm_and_title, trim_label_noise, Evidence, ListSide,
};
use super::turns::{self, BodyItem, BodyLine, LeadingSpeech};
use super::{Document, ParseError, SourceLayout};
use crate::model::{DroppedBlock, Participant, SectionKind, Transcript};

pub struct NameSpeech;

/// A participants list's heading, with the entries that may follow on the same line.
static LIST_HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<side>Executives|Company Participants|Corporate Participants|Company Representatives|Analysts|Conference Call Participants|Hosts?|Speakers|Presenters)\s*:?\s*(?P<rest>.*)$")
        .expect("valid regex")
});

/// The same headings where a script glued them to the text before (`…VP, IRAnalysts: Rupesh…`).
static GLUED_HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:Executives|Company Participants|Corporate Participants|Analysts|Conference Call Participants):\s")
        .expect("valid regex")
});

/// `Operator:` wherever it stands in text whose line breaks were lost.
static GLUED_OPERATOR_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"Operator:\s").expect("valid regex"));

/// The separator between a list entry's name and its title or firm.
static ENTRY_SEPARATOR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+[\-\x{2013}\x{2014}]\s+").expect("valid regex"));

/// Section headings some API texts keep on lines of their own.
static QA_HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:question-and-answer\s+session|questions?\s+(?:and|&)\s+answers?(?:\s+session)?|q\s*&\s*a(?:\s+session)?|question\s+and\s+answer\s+section)\s*:?$")
        .expect("valid regex")
});
static PREPARED_HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:presentation|prepared\s+remarks|management\s+discussion(?:\s+section)?)\s*:?$")
        .expect("valid regex")
});

/// A line at least this long with labels inside it is text whose line breaks were lost.
const FLAT_LINE_CHARS: usize = 1_000;

/// Labels are short: longer text before a colon is speech.
const MAX_LABEL_CHARS: usize = 100;

impl SourceLayout for NameSpeech {
    fn name(&self) -> &'static str {
        "name-speech"
    }

    fn score(&self, doc: &Document) -> u32 {
        let Some(read) = Reading::of(doc) else { return 0 };
        let labelled = read.lines.iter().filter(|l| matches!(l.item, BodyItem::Speaker { .. })).count();
        // Paragraphs, not lines: text from a PDF wraps each paragraph over several lines, and a line that follows
        // the one before it without a blank line continues its paragraph.
        let speech = read
            .lines
            .windows(2)
            .filter(|w| matches!(w[1].item, BodyItem::Speech(_)) && w[1].line > w[0].line + 1)
            .count();
        // Many paragraphs open a turn (a turn is a paragraph, or a few), and enough turns to be a call.
        if labelled < 3 || labelled * 5 < speech || read.speakers() < 2 {
            return 0;
        }
        // Section headings and many labelled turns are this layout's structure: stronger evidence than the
        // headings alone, which other layouts share.
        let headings = read.lines.iter().any(|l| matches!(l.item, BodyItem::Heading { .. }));
        8 + u32::from(!read.participants.is_empty())
            + 4 * u32::from(headings && labelled >= 10)
            + 2 * u32::from(labelled >= 10)
    }

    /// 8, a participants list 1, headings with ten labelled turns 4, ten labelled turns 2.
    fn max_score(&self) -> u32 {
        15
    }

    fn parse(&self, doc: &Document) -> Result<Transcript, ParseError> {
        let read = Reading::of(doc)
            .ok_or_else(|| ParseError::at(doc.last_line(), "expected `Name: speech` turns (`Operator: …`)"))?;
        let Reading { mut lines, mut participants, preamble, letter_lines, list_lines: _, flat } = read;
        let mut dropped = Vec::new();
        // A publisher's closing disclaimer after the last turn (a PDF's `Certain statements in this transcript are
        // forward-looking statements …`) is not the last speaker's speech.
        let last_label = lines.iter().rposition(|l| matches!(l.item, BodyItem::Speaker { .. })).unwrap_or(0);
        if let Some(at) = (last_label + 1..lines.len())
            .find(|&i| matches!(lines[i].item, BodyItem::Speech(text) if CLOSING_DISCLAIMER_RE.is_match(text)))
        {
            dropped.push(DroppedBlock { kind: "disclaimer", first_line: lines[at].line, lines: lines.len() - at });
            lines.truncate(at);
        }
        let mut facts = HeaderFacts::default();
        read_covering_letter(&preamble[..letter_lines], &mut facts);
        // The transcript's own title block speaks for the call before the letter's subject line does.
        for b in preamble[letter_lines..].iter().chain(&preamble[..letter_lines]) {
            read_preamble_fact(b.text, &mut facts);
        }
        if let Some(first) = preamble.first() {
            dropped.push(DroppedBlock { kind: "header", first_line: first.line, lines: preamble.len() });
        }
        let resolved = facts.resolve(doc)?;
        let qa_heading = lines.iter().any(|l| matches!(l.item, BodyItem::Heading { kind: SectionKind::Qa, .. }));
        let built = turns::build_turns(
            lines,
            &mut participants,
            Some((SectionKind::PreparedRemarks, "")),
            LeadingSpeech::Drop,
        )?;
        let mut turns = built.turns;
        // A PDF's text is wrapped at the page's width: its lines join into the paragraphs they were.
        let texts: Vec<&str> = doc.content().iter().map(|b| b.text).collect();
        if let Some(width) = turns::wrapped_width(&texts) {
            for turn in &mut turns {
                turns::join_wrapped_lines(turn, width);
            }
        }
        let mut transcript = resolved.into_transcript(self.name(), doc, participants, turns);
        // The label is the speaker as written (`Kenneth B. Goldman - JPMorgan Securities LLC`); the person it names
        // is the participant.
        for turn in &mut transcript.turns {
            turn.speaker_name = turn.speaker_line.clone();
            turn.title_as_written = None;
        }
        transcript.warnings.extend(built.warnings);
        if flat {
            transcript.warnings.push(
                "the text had lost its line breaks: turns were split where a speaker's label stands, each turn kept \
                 as one paragraph"
                    .into(),
            );
        }
        dropped.extend(built.dropped);
        transcript.dropped = dropped;
        // A `Question-and-Answer Session` heading says where questions begin; else the floor opening does.
        if !qa_heading && turns::start_qa_by_evidence(&mut transcript, "").is_none() {
            transcript
                .warnings
                .push("no turn opens the floor to questions: every turn is stored as prepared remarks".into());
        }
        turns::assign_roles_and_kinds(&mut transcript);
        turns::infer_company_side(&mut transcript);
        Ok(transcript)
    }
}

/// A title or company line before the first turn (`Acme Corp (ACME) Q3 2024 Earnings Call Transcript`), read for
/// the facts it states.
/// A listed company's covering letter to the stock exchanges, which Indian concall PDFs open with: the company signs
/// it (`For and on behalf of` / the registered name) and states its symbol (`Scrip Symbol: IRCTC`, `NSE Symbol:`);
/// the exchanges it is addressed to (`BSE Limited`) are not the company.
fn read_covering_letter(preamble: &[Block], facts: &mut HeaderFacts) {
    for (i, b) in preamble.iter().enumerate() {
        if facts.ticker.is_none() {
            if let Some(c) = SYMBOL_RE.captures(b.text) {
                facts.ticker = Some(Fact::text(c["symbol"].to_uppercase()));
            }
        }
        if facts.company.is_none() && SIGNED_FOR_RE.is_match(b.text) {
            if let Some(name) = preamble.get(i + 1).and_then(|n| header::registered_name_line(n.text)) {
                facts.company = Some(Fact::text(name));
            }
        }
    }
}

/// Where a covering letter before the transcript ends: after its enclosure line (`Encl: a/a`), else after its
/// valediction (`Yours sincerely`). `None` when the text opens with no letter.
fn covering_letter_end(blocks: &[Block]) -> Option<usize> {
    let valediction = blocks.iter().take(120).position(|b| VALEDICTION_RE.is_match(b.text))?;
    let enclosure = blocks[valediction..].iter().take(12).position(|b| ENCLOSURE_RE.is_match(b.text));
    Some(valediction + enclosure.unwrap_or(0) + 1)
}

static VALEDICTION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:yours\s+(?:sincerely|faithfully|truly)|thanking\s+you|with\s+regards)\b[,.]?")
        .expect("valid regex")
});
static ENCLOSURE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^encl(?:osures?|\.|:|\s)").expect("valid regex"));

/// How a publisher's closing disclaimer opens.
static CLOSING_DISCLAIMER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:certain\s+statements\s+in\s+this\s+(?:transcript|document|presentation)|this\s+(?:transcript|document)\s+(?:may\s+)?contains?\s+(?:forward-looking|certain)|disclaimer\b|forward-looking\s+statements?\b)").expect("valid regex")
});
static SYMBOL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:scrip\s+|nse\s+|trading\s+)?symbol\s*:\s*(?P<symbol>[A-Z][A-Z0-9&\-]{1,19})$")
        .expect("valid regex")
});
static SIGNED_FOR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^for\s+(?:and\s+)?on\s+behalf\s+of:?$").expect("valid regex"));
/// A stock exchange a covering letter is addressed to.
static EXCHANGE_NAME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bstock\s+exchange\b|^BSE\s+Limited$").expect("valid regex"));

fn read_preamble_fact(text: &str, facts: &mut HeaderFacts) {
    if let Some(c) = company_line(text) {
        if facts.ticker.is_none() {
            facts.ticker = c.company.ticker.clone().map(Fact::text);
            facts.company = Some(Fact::text(c.company.name.clone()));
            facts.exchange = c.company.exchange.clone();
        }
    }
    // A PDF's copyright line, or a title page's registered name, names the company when no company line does.
    if facts.company.is_none() {
        let registered = header::registered_name_line(text).filter(|n| !EXCHANGE_NAME_RE.is_match(n));
        if let Some(name) = header::copyright_holder(text).or(registered) {
            facts.company = Some(Fact::text(name));
        }
    }
    if facts.period.is_none() {
        if let Some(period) = fiscal_period(text) {
            facts.period = Some(Fact::text(period));
            facts.title = Some(Fact::text(text.trim_matches(['"', '\u{201c}', '\u{201d}']).trim().to_string()));
        }
    }
    if facts.schedule.is_none() {
        if let Some(s) = header::parse_schedule(text).ok().or_else(|| header::parse_date_only(text)) {
            facts.schedule = Some(Fact::text(s));
        }
    }
}

/// The text read as `Name: speech` turns.
struct Reading<'a> {
    /// Lines after the participants lists, classified.
    lines: Vec<BodyLine<'a>>,
    /// The participants lists' entries.
    participants: Vec<Participant>,
    #[allow(dead_code)]
    list_lines: Vec<String>,
    /// Lines before the first turn that are not participants lists (a title, a date).
    preamble: Vec<Block<'a>>,
    /// How many of the preamble's lines are a covering letter (0 without one).
    letter_lines: usize,
    /// True when the line breaks were lost and the text was split at labels.
    flat: bool,
}

impl<'a> Reading<'a> {
    fn of(doc: &Document<'a>) -> Option<Reading<'a>> {
        let content = doc.content();
        let flat = content.iter().any(|b| b.text.len() >= FLAT_LINE_CHARS) && content.len() <= 3;
        let blocks: Vec<Block<'a>> = if flat { split_flat(content) } else { content.to_vec() };
        let (list_blocks, rest) = leading_lists(&blocks);
        let rest = &rest[..];
        if rest.is_empty() {
            return None;
        }
        let label_names: Vec<&str> = rest.iter().filter_map(|b| label(b.text)).map(|(l, _)| name_part(l)).collect();
        let (participants, list_lines) = read_lists(&list_blocks, &label_names);
        let candidates: Vec<&str> = label_names.iter().copied().filter(|n| looks_like_name(n)).collect();
        let speech: Vec<&str> = rest.iter().map(|b| label(b.text).map_or(b.text, |(_, s)| s)).collect();
        let evidence = Evidence::gather(&participants, &list_lines, candidates, speech);
        let mut lines: Vec<BodyLine<'a>> = Vec::with_capacity(rest.len());
        for (i, b) in rest.iter().enumerate() {
            // What was said just before: the previous line, and in hard-wrapped text (a PDF's) the lines of its
            // paragraph before it too, where an operator's introduction begins ("… from the line of Betsy Graseck
            // with Morgan Stanley. Your line is" / "now open, please go ahead.").
            let mut start = i.saturating_sub(1);
            while start > 0
                && i - start < 4
                && label(rest[start].text).is_none()
                && rest[start - 1].line + 1 == rest[start].line
            {
                start -= 1;
            }
            let joined = (start + 1 < i).then(|| {
                rest[start..i].iter().map(|b| label(b.text).map_or(b.text, |(_, s)| s)).collect::<Vec<_>>().join(" ")
            });
            let previous = joined
                .as_deref()
                .or_else(|| i.checked_sub(1).map(|p| label(rest[p].text).map_or(rest[p].text, |(_, s)| s)));
            let heading = if QA_HEADING_RE.is_match(b.text) {
                Some(SectionKind::Qa)
            } else {
                PREPARED_HEADING_RE.is_match(b.text).then_some(SectionKind::PreparedRemarks)
            };
            let labelled = label(b.text).and_then(|(l, s)| Some((l, s, evidence.name_label(l, previous)?)));
            let item = match (heading, labelled) {
                (Some(kind), _) => BodyItem::Heading { kind, text: b.text },
                (None, Some((l, speech, hit))) => {
                    BodyItem::Speaker { hit, speaker_line: l, speech: (!speech.is_empty()).then_some(speech) }
                }
                (None, None) => BodyItem::Speech(b.text),
            };
            lines.push(BodyLine { line: b.line, item });
        }
        // Lines before the first turn are a header (a title, a date), never speech.
        // A covering letter's fields (`Membership No: F9199`) are not turns.
        let letter_end = covering_letter_end(rest).unwrap_or(0);
        let first_turn =
            lines.iter().skip(letter_end).position(|l| matches!(l.item, BodyItem::Speaker { .. }))? + letter_end;
        let preamble = rest[..first_turn].to_vec();
        lines.drain(..first_turn);
        Some(Reading { lines, participants, list_lines, preamble, letter_lines: letter_end.min(first_turn), flat })
    }

    /// How many different labels open turns.
    fn speakers(&self) -> usize {
        let names: HashSet<&str> = self
            .lines
            .iter()
            .filter_map(|l| match &l.item {
                BodyItem::Speaker { speaker_line, .. } => Some(*speaker_line),
                _ => None,
            })
            .collect();
        names.len()
    }
}

/// The label of a line and the speech after it: the text before the first colon, when short and followed by a space
/// or the end (`Operator: Welcome`); `Note:` in a URL or a time (`10:30`) is not one.
fn label(text: &str) -> Option<(&str, &str)> {
    let colon = text.find(':')?;
    if colon == 0 || colon > MAX_LABEL_CHARS {
        return None;
    }
    let (name, speech) = (text[..colon].trim(), &text[colon + 1..]);
    if !(speech.is_empty() || speech.starts_with(char::is_whitespace)) {
        return None;
    }
    // A stray mark at the end of a label (`John Smith\`) is noise.
    let name = trim_label_noise(name);
    (!name.is_empty()).then_some((name, speech.trim()))
}

/// The name part of a label: `Kenneth B. Goldman` of `Kenneth B. Goldman - JPMorgan Securities LLC`.
fn name_part(label: &str) -> &str {
    split_affiliation(label).map_or(label, |(name, _)| name)
}

/// The participants lists at the start: `Executives: …` / `Analysts: …` lines, each holding its entries on the line
/// or followed by an entry a line. A PDF may put a title block first (`Citi Second Quarter 2023 Earnings Review`,
/// the date), then `Host` / `Speakers` headings alone on their lines. Returns (side, entries text) per list and the
/// lines that are not lists.
fn leading_lists<'a>(blocks: &[Block<'a>]) -> (Vec<(ListSide, Vec<&'a str>)>, Vec<Block<'a>>) {
    let first_label = blocks.iter().position(|b| label(b.text).is_some()).unwrap_or(blocks.len());
    let start = blocks[..first_label]
        .iter()
        .position(|b| LIST_HEADING_RE.captures(b.text).is_some_and(|c| c["rest"].trim().is_empty()))
        .filter(|&at| at > 0)
        .unwrap_or(0);
    let mut lists: Vec<(ListSide, Vec<&'a str>)> = Vec::new();
    let mut i = start;
    while i < blocks.len() {
        let text = blocks[i].text;
        if let Some(c) = LIST_HEADING_RE.captures(text) {
            let side = if c["side"].starts_with("Analysts") || c["side"].starts_with("Conference") {
                ListSide::Analysts
            } else {
                ListSide::Company
            };
            let rest = c.name("rest").map_or("", |m| m.as_str()).trim();
            // `Executives Walter Robb - Co-CEO` without a colon is not a heading; a heading alone on its line is.
            if !rest.is_empty() && !text[c["side"].len()..].trim_start().starts_with(':') {
                break;
            }
            lists.push((side, if rest.is_empty() { Vec::new() } else { vec![rest] }));
            i += 1;
            continue;
        }
        // Entries an entry a line under a heading alone: `John Mackey - Co-CEO`.
        match lists.last_mut() {
            Some((_, entries))
                if label(text).is_none()
                    && text.len() < 200
                    && split_entry(text).is_some_and(|(name, title)| looks_like_name(name) && title.is_some()) =>
            {
                entries.push(text);
                i += 1;
            }
            _ => break,
        }
    }
    if lists.is_empty() {
        return (lists, blocks.to_vec());
    }
    (lists, blocks[..start].iter().chain(&blocks[i..]).copied().collect())
}

/// A list entry a line: `John Mackey - Co-CEO`, or `Jane Fraser, Citi Chief Executive Officer` when what stands
/// before the comma reads as a name. Returns the name and the description.
fn split_entry(entry: &str) -> Option<(&str, Option<&str>)> {
    let mut parts = ENTRY_SEPARATOR_RE.splitn(entry, 2);
    let name = parts.next().unwrap_or("").trim();
    if let Some(description) = parts.next() {
        return Some((name, Some(description.trim())));
    }
    match entry.split_once(", ") {
        Some((name, description)) if looks_like_name(name.trim()) => Some((name.trim(), Some(description.trim()))),
        _ => Some((entry.trim(), None)),
    }
}

/// Reads the participants lists into participants (and their lines as `Name -- Description`, for matching labels
/// written the same way). `label_names` are the names labels use, to tell where one entry's description ends and
/// the next entry's name begins on a one-line list.
fn read_lists(lists: &[(ListSide, Vec<&str>)], label_names: &[&str]) -> (Vec<Participant>, Vec<String>) {
    let mut participants = Vec::new();
    let mut lines = Vec::new();
    for (side, entries) in lists {
        let pairs: Vec<(String, Option<String>)> =
            if entries.len() == 1 && ENTRY_SEPARATOR_RE.find_iter(entries[0]).count() >= 2 {
                split_one_line_list(entries[0], label_names)
            } else {
                entries
                    .iter()
                    .filter_map(|e| split_entry(e))
                    .map(|(name, description)| (name.to_string(), description.map(str::to_string)))
                    .collect()
            };
        for (name, description) in pairs {
            if name.is_empty() || name.eq_ignore_ascii_case("operator") {
                continue;
            }
            let (firm, title) = match (side, description.as_deref()) {
                // An analyst's description is a firm (`Oppenheimer`), or `Firm - Title`.
                (ListSide::Analysts, Some(d)) => match split_firm_and_title(d) {
                    (Some(f), Some(t)) => (Some(f), Some(t)),
                    (f, None) => (f, None),
                    (None, t) => (None, t),
                },
                (ListSide::Company, d) => (None, d),
                (ListSide::Analysts, None) => (None, None),
            };
            lines.push(match &description {
                Some(d) => format!("{name} -- {d}"),
                None => name.clone(),
            });
            participants.push(sided_participant(&name, firm, title, *side, true));
        }
    }
    (participants, lines)
}

/// `John Mackey - Co-CEO Walter Robb - Co-CEO A.C. Gallo - President`: entries glued on one line. Between two
/// separators stands one entry's description and the next entry's name; the name is the longest ending that a label
/// uses, else the last two name-shaped words (three when the middle one is an initial).
fn split_one_line_list(text: &str, label_names: &[&str]) -> Vec<(String, Option<String>)> {
    let segments: Vec<&str> = ENTRY_SEPARATOR_RE.split(text).map(str::trim).collect();
    if segments.len() < 2 {
        return vec![(text.trim().to_string(), None)];
    }
    let mut entries = Vec::new();
    let mut name = segments[0].to_string();
    for (i, segment) in segments.iter().enumerate().skip(1) {
        if i == segments.len() - 1 {
            entries.push((name, Some(segment.to_string())));
            break;
        }
        let (description, next) = description_then_name(segment, label_names);
        entries.push((name, (!description.is_empty()).then(|| description.to_string())));
        name = next.to_string();
    }
    entries
}

/// Splits `Co-CEO Walter Robb` into (`Co-CEO`, `Walter Robb`).
fn description_then_name<'a>(segment: &'a str, label_names: &[&str]) -> (&'a str, &'a str) {
    let known = label_names
        .iter()
        .filter(|n| n.len() < segment.len() && segment.ends_with(*n))
        .filter(|n| segment[..segment.len() - n.len()].ends_with(' '))
        .max_by_key(|n| n.len());
    if let Some(n) = known {
        let at = segment.len() - n.len();
        return (segment[..at].trim(), &segment[at..]);
    }
    let words: Vec<(usize, &str)> = segment.split_whitespace().map(|w| (w.as_ptr() as usize, w)).collect();
    let base = segment.as_ptr() as usize;
    let is_initial = |w: &str| w.ends_with('.') && w.chars().filter(|c| c.is_alphabetic()).count() == 1;
    let take = if words.len() >= 4 && is_initial(words[words.len() - 2].1) { 3 } else { 2 };
    if words.len() <= take {
        return ("", segment);
    }
    let start = words[words.len() - take].0 - base;
    let candidate = &segment[start..];
    if looks_like_name(candidate) {
        (segment[..start].trim(), candidate)
    } else {
        ("", segment)
    }
}

/// Splits text whose line breaks were lost into lines, each starting at a participants-list heading or a label with
/// evidence (module docs). Blocks keep their line number; a piece of a line is a slice of it.
fn split_flat<'a>(content: &[Block<'a>]) -> Vec<Block<'a>> {
    let mut out = Vec::new();
    for b in content {
        if b.text.len() < FLAT_LINE_CHARS {
            out.push(*b);
            continue;
        }
        for piece in split_at_labels(b.text) {
            out.push(Block { line: b.line, text: piece });
        }
    }
    out
}

/// Where text that lost its line breaks is split: the list headings at its start, `Operator:`, every listed name
/// followed by a colon, and name-shaped labels after a sentence's end that repeat or that the speech before
/// introduces.
fn split_at_labels(text: &str) -> Vec<&str> {
    let mut cuts: Vec<usize> = Vec::new();
    let operators: Vec<usize> = GLUED_OPERATOR_RE.find_iter(text).map(|m| m.start()).collect();
    // The lists stand at the start, before the first turn.
    let first_turn = operators.first().copied().unwrap_or(text.len());
    let lists_start = LIST_HEADING_RE.is_match(text);
    let list_end = if lists_start { first_turn } else { 0 };
    if lists_start {
        cuts.push(0);
        cuts.extend(GLUED_HEADING_RE.find_iter(&text[..first_turn]).map(|m| m.start()).filter(|&s| s > 0));
    }
    cuts.extend(&operators);
    // Names the lists give: a label naming one of them is a turn wherever it stands (`…CompanyCindy McCann:`).
    let mut listed: Vec<String> = Vec::new();
    if lists_start {
        let region = &text[..list_end];
        let mut bounds: Vec<usize> = cuts.iter().copied().filter(|&c| c < list_end).collect();
        bounds.push(list_end);
        for pair in bounds.windows(2) {
            let list = &region[pair[0]..pair[1]];
            let entries = LIST_HEADING_RE.captures(list).and_then(|c| c.name("rest")).map_or(list, |m| m.as_str());
            for (name, _) in split_one_line_list(entries, &[]) {
                if looks_like_name(&name) {
                    listed.push(name);
                }
            }
        }
    }
    let candidates = flat_label_candidates(text);
    let mut uses: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (_, label) in &candidates {
        *uses.entry(name_part(label)).or_default() += 1;
    }
    let repeated = |name: &str| uses.get(name).copied().unwrap_or(0) >= 2;
    // Labels accepted, as (start, end): a listed name inside a longer accepted label is not cut again.
    let mut labels: Vec<(usize, usize)> = Vec::new();
    for (start, label) in &candidates {
        let name = name_part(label);
        let strong = listed.iter().any(|l| same_person(l, name)) || is_placeholder(name);
        let before = &text[floor_char_boundary(text, start.saturating_sub(400))..*start];
        let spoken: HashSet<String> = name_words(before).into_iter().collect();
        let introduced = INTRODUCES_RE.is_match(before)
            && name_words(name).iter().filter(|w| w.len() >= 3).any(|w| spoken.contains(w));
        if strong || repeated(name) || introduced {
            labels.push((*start, start + label.len()));
        }
    }
    // A listed name glued to the text before it (`…Cowen & CompanyCindy McCann:`).
    // (Labels come in text order: the one that could cover a position is the last starting at or before it.)
    let accepted = labels.clone();
    let covered = |at: usize| {
        let i = accepted.partition_point(|&(s, _)| s <= at);
        i > 0 && at < accepted[i - 1].1
    };
    for name in &listed {
        for (at, _) in text.match_indices(&format!("{name}: ")) {
            if at > 0 && !covered(at) {
                labels.push((at, at + name.len()));
            }
        }
    }
    cuts.extend(labels.iter().map(|&(s, _)| s));
    cuts.sort_unstable();
    cuts.dedup();
    if cuts.first() != Some(&0) {
        cuts.insert(0, 0);
    }
    let mut pieces = Vec::with_capacity(cuts.len());
    for (i, &start) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).copied().unwrap_or(text.len());
        let piece = text[start..end].trim();
        if !piece.is_empty() {
            pieces.push(piece);
        }
    }
    pieces
}

/// Words that introduce the next speaker: "… turn the call over to Shelly Kay Pfeiffer. Please go ahead."
static INTRODUCES_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)question|your line|go ahead|proceed|turn (?:the call|it|things) over|hand (?:the call|it) over|begin",
    )
    .expect("valid regex")
});

/// `Name:` labels standing right after a sentence's end in flat text, with their byte offsets: the longest stretch
/// from a sentence stop (`.`, `?`, `!`, a closing quote or bracket) to the colon that has a full name's shape, or is
/// `Name - Firm` whose name has it.
fn flat_label_candidates(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for (colon, _) in text.match_indices(": ") {
        let window_start = floor_char_boundary(text, colon.saturating_sub(MAX_LABEL_CHARS));
        let window = &text[window_start..colon];
        let longest = window
            .char_indices()
            .filter(|(_, c)| matches!(c, '.' | '?' | '!' | ')' | ']' | '"' | '\u{201d}' | '\u{2019}' | '\u{2026}'))
            .map(|(i, c)| window[i + c.len_utf8()..].trim_start())
            .find(|label| {
                let name = name_part(label);
                !label.contains(':')
                    && !GLUED_SENTENCE_RE.is_match(name)
                    && looks_like_name(name)
                    && name.split_whitespace().count() >= 2
                    && !opens_like_speech(name)
                    && name.starts_with(char::is_uppercase)
            });
        if let Some(label) = longest {
            found.push((colon - label.len(), label));
        }
    }
    found
}

/// A sentence's last word glued to the next one (`Thanks.Brian`): not part of a name (initials such as `A.C.` are
/// single letters).
static GLUED_SENTENCE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{L}{2,}[.?!\x{2026}]+\p{Lu}").expect("valid regex"));

/// The largest char boundary at or below `i`.
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A listed name and a label name are the same person: the same words, or the same first name and surname.
fn same_person(listed: &str, label: &str) -> bool {
    if listed == label {
        return true;
    }
    let (a, b) = (name_words(listed), name_words(label));
    a.len() >= 2 && b.len() >= 2 && a.first() == b.first() && a.last() == b.last()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_lists_split_into_entries() {
        let entries = split_one_line_list(
            "John Mackey - Co-CEO Walter Robb - Co-CEO A.C. Gallo - President Glenda Flanagan - EVP & CFO Jim Sud - \
             EVP, Growth & Development Cindy McCann - VP, IR",
            &[],
        );
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["John Mackey", "Walter Robb", "A.C. Gallo", "Glenda Flanagan", "Jim Sud", "Cindy McCann"]);
        assert_eq!(entries[4].1.as_deref(), Some("EVP, Growth & Development"));
        assert_eq!(entries[5].1.as_deref(), Some("VP, IR"));
        // A label's spelling tells where a three-word name begins.
        let entries = split_one_line_list(
            "Cindy McCann - Acme Market, Inc. Glenda Jane Flanagan - Acme Market, Inc. Kenneth B. Goldman - JPM",
            &["Glenda Jane Flanagan"],
        );
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Cindy McCann", "Glenda Jane Flanagan", "Kenneth B. Goldman"]);
    }

    #[test]
    fn a_question_and_answer_heading_says_where_questions_begin() {
        let text = "Operator: Welcome to the Acme call. I will turn it over to Jane Roe. Please go ahead.\n\
                    Jane Roe: Thank you. Revenue grew.\nJane Roe: Now to the outlook.\n\
                    Question-and-Answer Session\n\
                    Operator: Our first question comes from Al Fox with Birch Capital.\n\
                    Al Fox: How is demand?\nJane Roe: Strong.";
        let facts = crate::parse::RecordFacts {
            ticker: Some("ACME".into()),
            year: Some(2024),
            quarter: Some(1),
            ..Default::default()
        };
        let options = crate::parse::ParseOptions { record: Some(&facts), ..Default::default() };
        let t = crate::parse::parse_file(text.as_bytes(), options).unwrap();
        assert_eq!(t.layout, "name-speech");
        let sections: Vec<&str> = t.turns.iter().map(|x| x.section.as_str()).collect();
        assert_eq!(sections, ["prepared_remarks", "prepared_remarks", "prepared_remarks", "qa", "qa", "qa"]);
        assert_eq!(t.turns[3].section_heading, "Question-and-Answer Session");
        assert!(t.turns.iter().all(|x| !x.text().contains("Question-and-Answer")));
    }

    #[test]
    fn labels_need_a_space_after_the_colon() {
        assert_eq!(label("Operator: Welcome."), Some(("Operator", "Welcome.")));
        assert_eq!(label("John Smith\\: Thanks."), Some(("John Smith", "Thanks.")));
        assert_eq!(label("See https://acme.example for more"), None);
        assert_eq!(label("We met at 10:30 today"), None);
    }

    #[test]
    fn flat_text_splits_at_labels_with_evidence_only() {
        let text = "Executives: Jane Roe - CEO Sam Poe - CFOAnalysts: Al Fox - Acme SecuritiesOperator: Welcome. \
                    Our outlook is simple. Outlook: we expect growth. I will now turn the call over to Jane Roe. \
                    Please go ahead.Jane Roe: Thank you. Sam?Sam Poe: Revenue grew. Operator: Our first question \
                    comes from Al Fox.Al Fox: Two questions. Key Point: margins.Jane Roe: Sure.";
        let pieces = split_at_labels(text);
        let starts: Vec<&str> = pieces.iter().map(|p| p.split(':').next().unwrap()).collect();
        assert_eq!(
            starts,
            ["Executives", "Analysts", "Operator", "Jane Roe", "Sam Poe", "Operator", "Al Fox", "Jane Roe"],
            "{pieces:#?}"
        );
    }
}
