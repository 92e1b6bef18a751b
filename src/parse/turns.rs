//! Turns, sections, roles and kinds: the rules that hold for every layout once its body lines are classified.
//!
//! A layout turns its body into [`BodyLine`]s (headings, speaker starts with the [`SpeakerHit`] that supports them,
//! speech); [`build_turns`] makes turns of them, [`start_qa_by_evidence`] decides where questions begin in layouts
//! without a Q&A heading, and [`assign_roles_and_kinds`] settles roles and turn kinds:
//! - a speaker with no title whom the operator introduces as a questioner is an analyst (with the firm the operator
//!   names); an unlisted speaker who hands the floor to questioners is the operator, whatever the name;
//! - kinds: the operator's turns; analysts' questions; company answers once Q&A has begun (by heading or the first
//!   question), remarks before; an unidentified speaker asks when the operator has just opened their line or they
//!   asked the question on the floor.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::names::name_words;
use super::speakers::{role_from_title, title_and_firm, SpeakerHit, Strength};
use super::ParseError;
use crate::model::{DroppedBlock, Participant, Role, SectionKind, Transcript, Turn, TurnKind};

/// Words an operator uses when handing the floor to a questioner.
static INTRODUCTION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)question|line is open|your line|caller").expect("valid regex"));

/// An operator handing the floor to a named questioner: "Your first question comes from the line of Keith Weiss",
/// "The next question is from …", "We'll take our first question from …".
static HANDS_FLOOR_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:first|next|last|final|following)\s+question\b[^.?!]{0,60}?\b(?:comes?|coming|is|will come|from|with)\b|\btake\s+(?:our|the|a|your|any|some)?\s*(?:first\s+)?questions?\b|\b(?:open|begin|start|now|conduct(?:ing)?|ready)\b[^.?!]{0,60}\b(?:question(?:-and-|\s+and\s+|\s*&\s*)answer|q\s*&\s*a)\b|\bopen\s+(?:up\s+)?(?:the\s+)?(?:call|line|lines|floor|phones?)\s+(?:up\s+)?(?:for|to)\s+(?:your\s+)?questions\b|\bfloor\s+is\s+(?:now\s+)?open\b|\b(?:q\s*&\s*a|question)\s+(?:queue|roster)\b",
    )
    .expect("valid regex")
});

/// A sentence that only announces a question-and-answer session to come ("After the presentation, we will conduct a
/// question-and-answer session", "Later there will be an opportunity to ask questions", "After that, we'll open the
/// call to questions"): said while welcoming, long before the floor opens.
static ANNOUNCES_LATER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:after|following|at\s+the\s+(?:end|conclusion)\s+of|upon\s+(?:completion|conclusion)\s+of|once)\b[^.?!]{0,50}?\b(?:presentations?|remarks|comments|prepared|speakers?|that|this|which|call)\b|\blater\b|\bwill\s+follow\b|\bafterwards?\b|\bthere\s+will\s+be\s+(?:an?\s+)?(?:opportunity|question|time|chance)",
    )
    .expect("valid regex")
});

/// True when a turn opens the floor to questions: some sentence of it hands the floor over (or introduces a
/// questioner) without only announcing a Q&A for later.
pub fn opens_floor(text: &str) -> bool {
    HANDS_FLOOR_RE.find_iter(text).any(|m| {
        let start = text[..m.start()].rfind(['.', '?', '!']).map_or(0, |i| i + 1);
        let end = text[m.end()..].find(['.', '?', '!']).map_or(text.len(), |i| m.end() + i);
        !ANNOUNCES_LATER_RE.is_match(&text[start..end])
    })
}

/// An operator's own act: introducing a named questioner ("Your first question comes from the line of Keith Weiss",
/// "Our next question is from …"). Executives hand the call to the operator; only operators do this.
static INTRODUCES_QUESTIONER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:first|next|last|final|following)\s+question\b[^.?!]{0,60}?\b(?:comes?|coming|is|will come|from|with)\b|\btake\s+(?:our|the|a)\s+(?:first\s+)?question\s+from\b",
    )
    .expect("valid regex")
});

/// The firm after an introduced name: "… from Jane Doe **with Acme Securities**. Please go ahead."
static FIRM_IN_INTRO_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\S*\s+(?:with|from|of|at)\s+(?P<firm>[A-Z][\w&'.\-]*(?:\s+(?:[A-Z&][\w&'.\-]*|and|of|de|du))*)")
        .expect("valid regex")
});

/// Cuts "Acme Securities. Please" at the sentence end, keeping initials such as "B. Riley".
fn firm_before_sentence_end(s: &str) -> String {
    let mut end = s.len();
    for (i, _) in s.match_indices(". ") {
        let last_word = s[..i].rsplit(' ').next().unwrap_or("");
        if last_word.chars().count() > 1 {
            end = i;
            break;
        }
    }
    // An introduction wrapped over lines names the firm across the break (`Nilgiri Investment` / `Managers …`).
    s[..end].trim_end_matches(['.', ',']).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What one body line is.
#[derive(Debug, Clone)]
pub enum BodyItem<'a> {
    /// A section heading as written.
    Heading {
        kind: SectionKind,
        text: &'a str,
    },
    /// A speaker line (or label) and, in layouts that write `Name: speech`, the speech on the same line.
    Speaker {
        hit: SpeakerHit<'a>,
        speaker_line: &'a str,
        speech: Option<&'a str>,
    },
    Speech(&'a str),
}

#[derive(Debug, Clone)]
pub struct BodyLine<'a> {
    pub line: usize,
    pub item: BodyItem<'a>,
}

/// What to do with speech before the first speaker line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadingSpeech {
    /// The layout always opens with a speaker line: speech before it means the file is not what it seems.
    Refuse,
    /// The copy lost the first speaker line (fool.com's 2025 pages sometimes open mid-sentence): drop it, with a
    /// warning, and record it as dropped.
    Drop,
}

/// Turns made from classified body lines.
pub struct Built {
    pub turns: Vec<Turn>,
    pub dropped: Vec<DroppedBlock>,
    pub warnings: Vec<String>,
}

/// A weak speaker line right after another speaker line would leave that turn empty: it is the previous
/// speaker's speech (`Both --`, `Good Morning.`). An empty turn is kept only before a strong speaker line.
fn demote_weak_after_speaker(lines: &mut [BodyLine]) {
    for i in 1..lines.len() {
        let previous_is_speaker_without_speech = matches!(lines[i - 1].item, BodyItem::Speaker { speech: None, .. });
        if let BodyItem::Speaker { hit, speaker_line, speech: None } = lines[i].item {
            if previous_is_speaker_without_speech && hit.strength == Strength::Weak {
                lines[i].item = BodyItem::Speech(speaker_line);
            }
        }
    }
}

/// Splits classified body lines into turns, adding speakers found only in the body to `participants`
/// (the first `participants.len()` entries are the participants list).
pub fn build_turns(
    mut lines: Vec<BodyLine>,
    participants: &mut Vec<Participant>,
    first_section: Option<(SectionKind, &str)>,
    leading: LeadingSpeech,
) -> Result<Built, ParseError> {
    demote_weak_after_speaker(&mut lines);
    let listed_count = participants.len();
    // Participants discovered in the body, keyed by (name, title as written).
    let mut discovered: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut turns: Vec<Turn> = Vec::new();
    let mut dropped: Vec<DroppedBlock> = Vec::new();
    let mut warnings = Vec::new();
    let mut section: Option<(SectionKind, String)> = first_section.map(|(k, h)| (k, h.to_string()));
    for body_line in &lines {
        let line = body_line.line;
        match &body_line.item {
            BodyItem::Heading { kind, text } => section = Some((*kind, text.to_string())),
            BodyItem::Speaker { hit, speaker_line, speech } => {
                let (section_kind, heading) = section
                    .clone()
                    .ok_or_else(|| ParseError::at(line, "expected a section heading before the first speaker line"))?;
                let index = match hit.listed {
                    Some(i) if i < listed_count => i,
                    _ => {
                        let (title, firm) = title_and_firm(hit.rest);
                        let key = (hit.name.to_string(), hit.rest.map(str::to_string));
                        *discovered.entry(key).or_insert_with(|| {
                            let role = role_from_title(hit.name, title.as_deref(), firm.is_some());
                            participants.push(Participant {
                                name: hit.name.to_string(),
                                title,
                                firm,
                                role,
                                listed: false,
                            });
                            participants.len() - 1
                        })
                    }
                };
                turns.push(Turn {
                    section: section_kind,
                    section_heading: heading,
                    participant: Some(index),
                    speaker_line: speaker_line.to_string(),
                    speaker_name: hit.name.to_string(),
                    title_as_written: hit.rest.map(str::to_string),
                    paragraphs: speech.iter().map(|s| s.to_string()).collect(),
                    kind: TurnKind::Remarks,
                    line,
                    word_count: 0,
                });
            }
            BodyItem::Speech(text) => {
                let Some((section_kind, heading)) = section.clone() else {
                    return Err(ParseError::at(line, "expected a section heading before the speech"));
                };
                match turns.last_mut() {
                    // A heading inside one speaker's speech: the speaker goes on in the new section.
                    Some(last) if last.section != section_kind || last.section_heading != heading => {
                        let continued = Turn {
                            section: section_kind,
                            section_heading: heading,
                            paragraphs: vec![text.to_string()],
                            line,
                            ..last.clone()
                        };
                        turns.push(continued);
                    }
                    Some(last) => last.paragraphs.push(text.to_string()),
                    None if leading == LeadingSpeech::Drop => match dropped.last_mut() {
                        Some(d) if d.kind == "unattributed speech" => d.lines += 1,
                        _ => {
                            warnings.push(format!(
                                "line {line}: speech before the first speaker line is not attributed to anyone: dropped"
                            ));
                            dropped.push(DroppedBlock { kind: "unattributed speech", first_line: line, lines: 1 });
                        }
                    },
                    None => {
                        return Err(ParseError::at(
                            line,
                            format!(
                                "expected a speaker line (`Operator`, `Name -- Title` or a listed participant) before the speech `{}`",
                                clip(text)
                            ),
                        ))
                    }
                }
            }
        }
    }
    for turn in &mut turns {
        turn.count_words();
    }
    if turns.is_empty() {
        let line = lines.last().map_or(1, |l| l.line);
        return Err(ParseError::at(line, "expected at least one speaker turn in the transcript"));
    }
    for turn in turns.iter().filter(|t| t.paragraphs.is_empty()) {
        warnings.push(format!(
            "line {}: `{}` has no speech before the next speaker line",
            turn.line,
            clip(&turn.speaker_line)
        ));
    }
    Ok(Built { turns, dropped, warnings })
}

/// In layouts without a Q&A heading, questions begin at the first turn in which the operator opens the floor or
/// introduces a questioner; failing that (a call moderated by its investor-relations officer), at the first turn in
/// which anyone does; failing that, at the first turn of a speaker the operator introduced. The operator is
/// `Operator`, or an unlisted speaker who hands the floor to questioners (fool.com writes the operator's own name,
/// `Krista:`). Turns from there on are in the `qa` section; returns the index of the first.
pub fn start_qa_by_evidence(t: &mut Transcript, heading: &str) -> Option<usize> {
    mark_operators(t);
    let is_operator = |t: &Transcript, i: usize| t.role_of(i) == Role::Operator;
    let opens_floor = |t: &Transcript, i: usize| opens_floor(&t.turns[i].text());
    // The operator opening the floor; failing that (a call moderated by its investor-relations officer), anyone.
    let by_operator = (1..t.turns.len()).find(|&i| is_operator(t, i) && opens_floor(t, i));
    let by_anyone = || (1..t.turns.len()).find(|&i| opens_floor(t, i));
    // The first questioner the operator introduced, with the operator's introduction.
    let first_question = (1..t.turns.len())
        .find(|&i| {
            t.speaker_of(i).is_some_and(|p| {
                p.role == Role::Analyst || (introduced_by_operator(t, i) && !p.listed && p.role == Role::Unknown)
            })
        })
        .map(|i| if is_operator(t, i - 1) { i - 1 } else { i });
    let start = match (by_operator, first_question) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) => a,
        (None, b) => by_anyone().into_iter().chain(b).min()?,
    };
    for turn in &mut t.turns[start..] {
        turn.section = SectionKind::Qa;
        turn.section_heading = heading.to_string();
    }
    Some(start)
}

/// Unlisted speakers (without a title) who hand the floor to questioners are the operator.
fn mark_operators(t: &mut Transcript) {
    // Per speaker: (turns that introduce a questioner, turns).
    let mut hands_floor: HashMap<usize, (usize, usize)> = HashMap::new();
    for turn in &t.turns {
        let Some(index) = turn.participant else { continue };
        let p = &t.participants[index];
        if !p.listed && p.title.is_none() && p.role == Role::Unknown {
            let counts = hands_floor.entry(index).or_default();
            counts.0 += usize::from(INTRODUCES_QUESTIONER_RE.is_match(&turn.text()));
            counts.1 += 1;
        }
    }
    // An operator introduces questioner after questioner, in most of their turns; an executive who mentions "your
    // last question with …" once, or an analyst who says "my next question is …", does not.
    for (p, (introducing, turns)) in hands_floor {
        if introducing >= 2 && introducing * 2 >= turns {
            t.participants[p].role = Role::Operator;
        }
    }
}

/// The operator's turn before turn `i` introduces its speaker as a questioner (see [`introduction`]).
fn introduced_by_operator(t: &Transcript, i: usize) -> bool {
    if i == 0 || t.role_of(i - 1) != Role::Operator {
        return false;
    }
    let name = t.speaker_of(i).map_or("", |p| p.name.as_str());
    introduction(&t.turns[i - 1].text(), name).is_some()
}

/// Where an operator's words introduce `name` as a questioner: the sentence that names them (by surname, else any
/// other word of the name) speaks of a question, a line or a caller and does not only announce a Q&A for later
/// ("… turn the call over to Shelly Kay Pfeiffer" is no introduction of a questioner, whatever the welcome said
/// about questions). When the name is not spoken, one of the last two sentences must say so ("Your line is open.").
/// Returns the byte offset just after the name as spoken, `None` inside when the name is not spoken.
fn introduction(intro: &str, name: &str) -> Option<Option<usize>> {
    let mut words = name_words(name);
    words.retain(|w| w.chars().count() >= 3);
    words.reverse();
    let mention = words.iter().find_map(|w| find_word(intro, w));
    let introduces = |sentence: &str| INTRODUCTION_RE.is_match(sentence) && !ANNOUNCES_LATER_RE.is_match(sentence);
    match mention {
        Some((start, end)) => introduces(sentence_around(intro, start, end)).then_some(Some(end)),
        None => {
            let ends: Vec<usize> = intro.match_indices(['.', '?', '!']).map(|(i, _)| i).collect();
            let from = ends.iter().rev().nth(2).map_or(0, |&i| i + 1);
            introduces(&intro[from..]).then_some(None)
        }
    }
}

/// The first place `word` is spoken in `text` as a whole word, letter case aside: its byte range. (Operators' words
/// are read once per turn they introduce, so this is a scan, not a pattern compiled for each name.)
fn find_word(text: &str, word: &str) -> Option<(usize, usize)> {
    let is_word_char = |c: char| c.is_alphanumeric() || c == '_';
    let same = |a: char, b: char| a == b || a.to_lowercase().eq(b.to_lowercase());
    let first = word.chars().next()?;
    let mut previous: Option<char> = None;
    for (start, c) in text.char_indices() {
        let at_boundary = previous.is_none_or(|p| !is_word_char(p));
        previous = Some(c);
        if !at_boundary || !same(c, first) {
            continue;
        }
        let mut rest = text[start..].char_indices();
        let mut end = start;
        let mut matched = true;
        for w in word.chars() {
            match rest.next() {
                Some((i, t)) if same(t, w) => end = start + i + t.len_utf8(),
                _ => {
                    matched = false;
                    break;
                }
            }
        }
        if matched && text[end..].chars().next().is_none_or(|n| !is_word_char(n)) {
            return Some((start, end));
        }
    }
    None
}

/// The sentence of `text` that holds the bytes `start..end`.
fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    let from = text[..start].rfind(['.', '?', '!']).map_or(0, |i| i + 1);
    let to = text[end..].find(['.', '?', '!']).map_or(text.len(), |i| end + i);
    &text[from..to]
}

/// Fills in unknown roles from the operator's introductions, then turn kinds (module docs).
pub fn assign_roles_and_kinds(t: &mut Transcript) {
    for i in 1..t.turns.len() {
        let Some(p) = t.turns[i].participant else { continue };
        if t.participants[p].role != Role::Unknown || t.role_of(i - 1) != Role::Operator {
            continue;
        }
        let intro = t.turns[i - 1].text();
        // The operator names the questioner by surname, or by first name alone ("… from Sam at Alder Capital"), in
        // the sentence that introduces them.
        if let Some(Some(after)) = introduction(&intro, &t.participants[p].name) {
            let person = &mut t.participants[p];
            person.role = Role::Analyst;
            // "… comes from Jane Doe with Acme Securities." names the firm: keep it as the operator said it.
            if person.firm.is_none() {
                person.firm = FIRM_IN_INTRO_RE.captures(&intro[after..]).map(|c| firm_before_sentence_end(&c["firm"]));
            }
        }
    }
    // A turn right after the operator hands the floor to a questioner ("your line is open") is a question even when
    // its speaker is unknown (`Unknown speaker` standing in for the introduced analyst).
    let introduced: Vec<bool> = (0..t.turns.len()).map(|i| introduced_by_operator(t, i)).collect();
    let mut qa_started = false;
    // Who asked the question on the floor, until the operator speaks again: their follow-ups are questions too.
    let mut questioner = None;
    for (i, turn) in t.turns.iter_mut().enumerate() {
        let role = turn.participant.map_or(Role::Unknown, |p| t.participants[p].role);
        qa_started |= turn.section == SectionKind::Qa || role == Role::Analyst;
        turn.kind = match role {
            Role::Operator => TurnKind::Operator,
            Role::Analyst => TurnKind::Question,
            Role::Unknown
                if qa_started && (introduced[i] || (turn.participant.is_some() && questioner == turn.participant)) =>
            {
                TurnKind::Question
            }
            _ if qa_started => TurnKind::Answer,
            _ => TurnKind::Remarks,
        };
        match turn.kind {
            TurnKind::Operator => questioner = None,
            TurnKind::Question => questioner = turn.participant,
            _ => {}
        }
    }
}

/// In a call without participants lists, a speaker nobody introduced as a questioner whose turns are mostly remarks
/// or answers is on the company's side: the executives who present and answer (`Suneeta Reddy: …` in a concall).
/// Placeholders (`Unidentified speaker`) stay unknown. Run after [`assign_roles_and_kinds`].
pub fn infer_company_side(t: &mut Transcript) {
    for (p, person) in t.participants.iter_mut().enumerate() {
        if person.role != Role::Unknown || super::speakers::is_placeholder(&person.name) {
            continue;
        }
        let kinds: Vec<TurnKind> =
            t.turns.iter().filter(|turn| turn.participant == Some(p)).map(|turn| turn.kind).collect();
        // An executive the operator hands the call to may have a turn read as a question; most of theirs answer.
        let answers = kinds.iter().filter(|k| matches!(k, TurnKind::Remarks | TurnKind::Answer)).count();
        let questions = kinds.iter().filter(|k| **k == TurnKind::Question).count();
        if answers > questions {
            person.role = Role::Executive;
        }
    }
}

/// What an operator says when a call ends: "This concludes today's call", "You may now disconnect".
static CLOSING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bconclud(?:es|ed|ing)\b|\bdisconnect\b|\bhave an? (?:great|good|wonderful|nice|lovely)\s+(?:day|evening|afternoon|morning|weekend|night)\b|\bgoodbye\b|\bthank you,? (?:everyone|all|everybody)\b|\bend of (?:the|today's|this) (?:call|conference|program)|\bthank you (?:all )?for (?:joining|participating|your participation|attending)|\[operator signoff\]|\[operator closing remarks\]")
        .expect("valid regex")
});

/// True when the last turn closes the call (the operator's sign-off): evidence that a file without its publisher's
/// closing blocks still holds the whole call.
pub fn ends_like_a_call(turns: &[Turn]) -> bool {
    turns.iter().rev().take(2).any(|t| t.paragraphs.iter().rev().take(2).any(|p| CLOSING_RE.is_match(p)))
}

/// Shortens a line for a message.
pub fn clip(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

/// The page width of text whose paragraphs are hard-wrapped (a PDF's), or `None` when each line is a paragraph of its
/// own (an API's text). Wrapped text fills most of its lines to about one width and breaks many of them mid-sentence;
/// a paragraph a line ends nearly every line with a sentence and varies in length.
pub fn wrapped_width(lines: &[&str]) -> Option<usize> {
    let mut lengths: Vec<usize> = lines.iter().map(|l| l.chars().count()).filter(|&n| n >= 20).collect();
    if lengths.len() < 10 {
        return None;
    }
    lengths.sort_unstable();
    let width = lengths[lengths.len() * 95 / 100];
    let full = lengths.iter().filter(|&&n| n * 100 >= width * 80 && n <= width).count();
    let open = lines
        .iter()
        .filter(|l| l.chars().count() >= 20)
        .filter(|l| !l.trim_end().ends_with(['.', '?', '!', ':', '"', '\u{201d}', ')']))
        .count();
    (width <= 160 && full * 2 >= lengths.len() && open * 10 >= lengths.len() * 3).then_some(width)
}

/// Joins a turn's hard-wrapped lines (text extracted from a PDF) into paragraphs. A line ends its paragraph when it ends a sentence and falls
/// well short of the page width (`width`: the longest line of the body), or when it is short whatever it ends
/// with; otherwise the next line continues it. Joining with one space keeps every word.
pub fn join_wrapped_lines(turn: &mut Turn, width: usize) {
    if width == 0 || turn.paragraphs.len() < 2 {
        return;
    }
    let mut joined: Vec<String> = Vec::new();
    let mut open = false;
    for line in turn.paragraphs.drain(..) {
        let len = line.chars().count();
        let ends_sentence = line.trim_end().ends_with(['.', '?', '!', ':', '"', '\u{201d}', ')']);
        match joined.last_mut() {
            Some(last) if open => {
                last.push(' ');
                last.push_str(&line);
            }
            _ => joined.push(line),
        }
        open = !(len * 2 < width || (ends_sentence && len * 100 < width * 85));
    }
    turn.paragraphs = joined;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_found_as_a_whole_word_whatever_its_case() {
        let intro = "Our next question comes from Dana O'Brien with Northgate. Dana, your line is open.";
        let at = |w: &str| intro.find(w).map(|i| (i, i + w.len()));
        assert_eq!(find_word(intro, "dana"), at("Dana"));
        assert_eq!(find_word(intro, "NORTHGATE"), at("Northgate"));
        assert_eq!(find_word(intro, "gate"), None, "inside a word");
        assert_eq!(find_word(intro, "Dan"), None, "the start of a longer word");
        assert_eq!(find_word("Next: ÉLODIE Brun of Société Générale.", "élodie"), Some((6, 13)));
        assert_eq!(find_word("line of Zoë", "zoë"), Some((8, 12)));
        assert_eq!(find_word("Zoëy", "zoë"), None);
        assert_eq!(find_word("", "x"), None);
    }

    #[test]
    fn wrapped_text_is_told_from_a_paragraph_a_line() {
        let wrapped = [
            "Good afternoon, everyone, and thank you for joining us on this call to discuss the",
            "results for the third quarter, which were announced yesterday. Revenue grew 14% on a",
            "year-on-year basis and margins expanded by 120 basis points, driven by a better mix",
            "of specialties and higher occupancy across our hospitals.",
            "We continue to invest in new capacity, and the 3 facilities we are building will add",
            "1,200 beds over the next 2 years. Our pharmacy business also grew strongly, with",
            "revenue up 17% and the number of stores now at 6,200 across the country, while the",
            "digital platform reached 30 million registered users.",
            "Let me now hand over to our Group CFO for the details of the numbers for the quarter",
            "and the outlook for the rest of the year.",
        ];
        let width = wrapped_width(&wrapped).expect("wrapped");
        assert!((80..=90).contains(&width), "{width}");
        let paragraphs = [
            "Thank you. Good morning, everyone.",
            "Revenue grew 14% in the quarter, driven by strong demand in every region we serve and by pricing.",
            "Margins expanded.",
            "We are raising our outlook for the full year to revenue of $4.2 to $4.4 billion.",
            "Operator, we can open the line for questions now.",
            "Thanks. Could you talk about pricing?",
            "Sure. Pricing was up 3%, and we expect it to stay positive through the year as contracts renew.",
            "Great, thank you.",
            "Next question, please.",
            "How should we think about capital returns this year, given the buyback you announced last month?",
        ];
        assert_eq!(wrapped_width(&paragraphs), None);
    }

    #[test]
    fn firms_named_in_introductions_stop_at_the_sentence() {
        assert_eq!(firm_before_sentence_end("Harbor Peak Securities. Please"), "Harbor Peak Securities");
        assert_eq!(firm_before_sentence_end("B. Riley. Your line is open"), "B. Riley");
        assert_eq!(firm_before_sentence_end("Mizuho."), "Mizuho");
    }

    #[test]
    fn operators_hand_the_floor() {
        for s in [
            "Your first question comes from the line of Keith Weiss with Morgan Stanley. Please proceed.",
            "Thank you. We will now open the lines for the question and answer session.",
            "[Operator Instructions] Your first question is coming from Kal Malhi from BullRun Capital.",
            "Our next question comes from the line of Timothy Zhao from Goldman Sachs.",
            "We will now open the call for questions. [Operator Instructions]",
            "The floor is now open for questions.",
            "At this time, we will be conducting a question-and-answer session.",
            "We will now take questions.",
            "Please stand by while we compile the Q&A roster.",
        ] {
            assert!(HANDS_FLOOR_RE.is_match(s), "{s}");
        }
        assert!(!INTRODUCES_QUESTIONER_RE.is_match("With that, let's open up the call for questions."));
        for s in
            ["Thanks for the question, Keith.", "A question-and-answer session will follow the formal presentation."]
        {
            assert!(!HANDS_FLOOR_RE.is_match(s), "{s}");
        }
        // Announcing a Q&A session to come is not opening the floor; opening it in a later sentence is.
        for s in [
            "Welcome. After the presentation, we will conduct a question-and-answer session. Please go ahead.",
            "Later there will be an opportunity to ask questions during the question-and-answer session.",
            "After that, we'll open the call to questions from analysts.",
            "Following the prepared remarks, we will open the call for questions.",
            "At the end of today's presentation, we will conduct a question-and-answer session.",
        ] {
            assert!(!opens_floor(s), "{s}");
        }
        for s in [
            "Thank you. We will now begin the question-and-answer session. Our first question comes from Jo Park.",
            "After the presentation we will take questions. We will now open the call for questions.",
            "At this time, we will be conducting a question-and-answer session.",
            "Thank you. There will be a brief pause while we compile the Q&A roster.",
        ] {
            assert!(opens_floor(s), "{s}");
        }
    }
}
