//! Speaker-line evidence shared by every layout: which candidate lines (or labels) name a speaker, how a speaker
//! line splits into name, title and firm, and what role that makes.
//!
//! A layout finds its candidates (a whole line in the classic layout, the text before `:` in fool.com's 2025
//! layout); [`Evidence`] decides. No single feature decides: speech can contain `--`, can start with
//! `Operator, …`, can be one short capitalized line, and can contain a colon. A candidate names a speaker when:
//! 1. it is exactly `Operator`; or
//! 2. it is exactly an entry of the participants list (spacing and dash style aside), whatever its length; or
//! 3. it is `Name -- Title` where the name is a listed participant's name, or where both halves have the shape of
//!    a name and a title (capitalized words, no sentence punctuation); or
//! 4. it is a bare name that is a listed participant's name; or
//! 5. it is a bare name (name-shaped, not opening like speech) that the rest of the call corroborates: the same
//!    name stands as a speaker again elsewhere, or its surname is spoken (operators introduce speakers); or
//! 6. it is one of the names transcripts give unidentified speakers (`Unknown speaker`, `Unidentified
//!    Participant`, `Analyst`), alone or as the name of a `Name -- Title` line.
//!
//! Rules 1, 2, 4 and 6 are strong evidence; rules 3 (by shape alone) and 5 are weaker: a weak speaker line right
//! after another speaker line, which would leave the first with no speech, is read as that speaker's speech
//! instead (`Both --`, `About MAC.`). A turn with no speech is accepted only when the next speaker line is strong.
//!
//! Name and title shapes tolerate the typos real files carry (a stray mark after a name, `&amp;` or a full stop in
//! a title, a leading dash before it, no spaces around the dashes).

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::names::{looks_like_name, name_words, opens_like_speech};
use crate::model::{Participant, Role};

/// The names transcripts give speakers they could not identify.
static PLACEHOLDER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:unknown|unidentified)(?:\s+(?:speaker|participant|analyst|caller|male|female|audience member|company (?:representative|speaker)|corporate participant))?(?:\s*\d+)?|analyst|(?:speaker|participant|caller)\s*\d{1,2})$",
    )
    .expect("valid regex")
});

static HTML_ENTITY_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"&(?:[A-Za-z]{2,8}|#[0-9]{1,5});").expect("valid regex"));

/// The separator between name, firm and title: two or more dashes, with or without spaces (`Jane Doe -- CFO`,
/// `Jane Doe--CFO`, `Unknown speaker---- Analyst`).
static DASHES_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s*-{2,}\s*").expect("valid regex"));

static IR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)investor\s+relations|\bIR\b|shareholder\s+relations").expect("valid regex"));

pub fn is_placeholder(name: &str) -> bool {
    PLACEHOLDER_RE.is_match(name)
}

/// The text with every run of whitespace turned into one space and every dash separator written ` -- `, so that
/// list entries and speaker lines compare equal however they were spaced.
pub fn canonical_line(s: &str) -> String {
    let dashed = DASHES_RE.replace_all(s.trim(), " -- ");
    dashed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits `Name -- Rest` at the first dash separator. A bare name has no rest.
pub fn split_speaker_line(line: &str) -> (&str, Option<&str>) {
    match DASHES_RE.find(line) {
        Some(m) if m.start() > 0 => (line[..m.start()].trim(), Some(line[m.end()..].trim())),
        _ => (line.trim(), None),
    }
}

/// `Firm -- Analyst` → (title `Analyst`, firm `Firm`); anything else is the title as written.
pub fn title_and_firm(rest: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(rest) = rest.filter(|r| !r.is_empty()) else {
        return (None, None);
    };
    if let Some(m) = DASHES_RE.find_iter(rest).last() {
        let (firm, last) = (rest[..m.start()].trim(), rest[m.end()..].trim());
        if last.eq_ignore_ascii_case("analyst") && !firm.is_empty() {
            return (Some(last.to_string()), Some(firm.to_string()));
        }
    }
    (Some(rest.to_string()), None)
}

/// Role from what the speaker line or list entry says: a firm or the title `Analyst` (or an analyst left unnamed,
/// `Analyst`) means an analyst; investor relations by title; any other title an executive.
pub fn role_from_title(name: &str, title: Option<&str>, has_firm: bool) -> Role {
    match title {
        // `Analyst`, `Unidentified Analyst`, `Unknown analyst 2`: an analyst left unnamed.
        None if is_placeholder(name) && name.to_lowercase().contains("analyst") => Role::Analyst,
        // `OPERATOR` in capitals; `Moderator`, as Indian concalls name the conference operator.
        None if name.eq_ignore_ascii_case("operator") || name.eq_ignore_ascii_case("moderator") => Role::Operator,
        _ if has_firm => Role::Analyst,
        Some(t) if t.eq_ignore_ascii_case("analyst") => Role::Analyst,
        Some(t) if IR_RE.is_match(t) => Role::InvestorRelations,
        Some(_) => Role::Executive,
        None => Role::Unknown,
    }
}

/// A participants-list entry `Name -- Title` / `Name -- Firm -- Analyst` as a listed participant.
pub fn listed_participant(entry: &str) -> Participant {
    let (name, rest) = split_speaker_line(entry);
    let (title, firm) = title_and_firm(rest);
    Participant {
        name: name.to_string(),
        role: role_from_title(name, title.as_deref(), firm.is_some()),
        title,
        firm,
        listed: true,
    }
}

/// Which side of the call a participants list names: the company's people, or the analysts on the line
/// (StreetEvents' and Capital IQ's `Corporate Participants` / `Conference Call Participants`, Seeking Alpha's
/// `Executives` / `Analysts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListSide {
    Company,
    Analysts,
}

/// Splits at the first spaced dash that separates a participant's name, firm and title: a spaced hyphen, or the
/// en dash typeset copies use (`TD Bank Group – Chief Financial Officer`).
pub fn split_at_dash(text: &str) -> Option<(&str, &str)> {
    let hyphen = text.find(" - ").map(|at| (at, at + 3));
    let en_dash = text.find(" \u{2013} ").map(|at| (at, at + " \u{2013} ".len()));
    [hyphen, en_dash].into_iter().flatten().min().map(|(at, after)| (&text[..at], &text[after..]))
}

/// True when `text` holds a spaced dash separating name, firm and title (see [`split_at_dash`]).
pub fn has_dash(text: &str) -> bool {
    split_at_dash(text).is_some()
}

/// `Intel Corporation - VP, CFO` → (firm, title), split at the first ` - ` (firms such as `TIAA-CREF` keep their
/// hyphen); `O'Keefe Stevens Advisory, Inc.;Analyst` at the first `;`. A lone `-` says nothing.
pub fn split_firm_and_title(description: &str) -> (Option<&str>, Option<&str>) {
    let d = description.trim();
    fn non_empty(s: &str) -> Option<&str> {
        Some(s.trim()).filter(|s| !s.is_empty() && *s != "-")
    }
    if let Some((firm, title)) = d.split_once(';') {
        return (non_empty(firm), non_empty(title));
    }
    if let Some((firm, title)) = split_at_dash(d) {
        return (non_empty(firm), non_empty(title));
    }
    match d.strip_prefix("- ").or_else(|| d.strip_suffix(" -")) {
        Some(rest) => (None, non_empty(rest)),
        None => (non_empty(d), None),
    }
}

/// A person named by a sided list (or a speaker line that says as much): company people are executives, or
/// investor relations by title, with no firm (their firm is the company); analysts keep their firm.
pub fn sided_participant(
    name: &str,
    firm: Option<&str>,
    title: Option<&str>,
    side: ListSide,
    listed: bool,
) -> Participant {
    let title = title.map(str::to_string);
    match side {
        ListSide::Company => Participant {
            name: name.to_string(),
            role: if title.as_deref().is_some_and(|t| IR_RE.is_match(t)) {
                Role::InvestorRelations
            } else {
                Role::Executive
            },
            title,
            firm: None,
            listed,
        },
        ListSide::Analysts => {
            Participant { name: name.to_string(), role: Role::Analyst, title, firm: firm.map(str::to_string), listed }
        }
    }
}

/// One entry of a list written a person per entry: a name line, then (optionally) the person's description.
#[derive(Debug, Clone)]
pub struct ListEntry {
    pub participant: Participant,
    /// The description as written (`Intel Corporation - VP, CFO`), if the entry has one.
    pub description: Option<String>,
}

/// Reads a participants list of entries written `Name` then `Firm - Title` on the next line (StreetEvents writes
/// the name after a `*` bullet, Capital IQ bare; either may write `Name;Firm;Title` on one line). `Operator`
/// entries are not people and are skipped; an entry whose description line is missing keeps none.
pub fn read_name_then_description_list(blocks: &[super::document::Block], side: ListSide) -> Vec<ListEntry> {
    fn bullet(t: &str) -> Option<&str> {
        t.strip_prefix('*').or_else(|| t.strip_prefix('\u{2022}')).map(str::trim)
    }
    let mut entries = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let text = bullet(blocks[i].text).unwrap_or(blocks[i].text);
        i += 1;
        let (name, description) = match text.split_once(';') {
            Some((name, rest)) => (name.trim(), Some(rest.trim().to_string())),
            None => {
                let is_description = |n: &str| {
                    bullet(n).is_none() && (has_dash(n) || n == "-" || n.contains(';') || !looks_like_name(n))
                };
                let next = blocks.get(i).filter(|n| is_description(n.text));
                let mut description = next.map(|n| n.text.to_string());
                if let Some(d) = next {
                    i += 1;
                    // A description wrapped onto the next line (`… & Lead Senior` / `Analyst`): the line right under
                    // it that no description of its own follows continues it.
                    if let Some(more) = blocks.get(i).filter(|m| {
                        m.line == d.line + 1
                            && bullet(m.text).is_none()
                            && !has_dash(m.text)
                            && !m.text.contains(';')
                            && !blocks.get(i + 1).is_some_and(|after| {
                                after.line == m.line + 1 && (has_dash(after.text) || after.text.contains(';'))
                            })
                    }) {
                        description = description.map(|d| format!("{d} {}", more.text));
                        i += 1;
                    }
                }
                (text, description)
            }
        };
        if name.is_empty() || name.eq_ignore_ascii_case("operator") {
            continue;
        }
        let (firm, title) = description.as_deref().map_or((None, None), split_firm_and_title);
        entries.push(ListEntry { participant: sided_participant(name, firm, title, side, true), description });
    }
    entries
}

/// The title half of `Name -- Title`: capitalized words as titles and firms are printed, not a sentence.
pub fn looks_like_title(rest: &str) -> bool {
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.is_empty() || words.len() > 18 {
        return false;
    }
    // `Sidoti &amp; Company`: an HTML entity's `;` is not sentence punctuation.
    let without_entities = HTML_ENTITY_RE.replace_all(rest.strip_suffix(';').unwrap_or(rest), "&");
    if without_entities.contains(['?', '!', ';', '"']) || rest.ends_with(',') {
        return false;
    }
    // Stray punctuation before the title (`-- -Director`, `-- , Executive Vice President`) is a typo, not speech.
    let first_upper = rest
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let long_words: Vec<&&str> = words.iter().filter(|w| w.chars().count() > 3).collect();
    let capitalized =
        long_words.iter().filter(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())).count();
    // Titles are mostly capitalized words; one with a full stop inside ("Chief Executive Officer. Acme Bank") must
    // be entirely so, or it is a sentence.
    let needed =
        if rest.contains(". ") && !DASHES_RE.is_match(rest) { long_words.len() } else { long_words.len().div_ceil(2) };
    first_upper && capitalized >= needed
}

/// Lines (or names) looked up as written up to spacing and dash runs ([`canonical_line`]), first occurrence wins.
///
/// Every paragraph of a call is looked up, and most are far longer than any list entry: a paragraph with more
/// letters than the longest entry cannot be one, so it is turned away before its canonical form is built.
struct CanonicalIndex {
    entries: HashMap<String, usize>,
    /// The most [`significant_chars`] of any entry.
    longest: usize,
}

impl CanonicalIndex {
    fn new<'s>(lines: impl Iterator<Item = &'s str>) -> Self {
        let mut entries = HashMap::new();
        let mut longest = 0;
        for (i, line) in lines.enumerate() {
            longest = longest.max(significant_chars(line, usize::MAX));
            entries.entry(canonical_line(line)).or_insert(i);
        }
        CanonicalIndex { entries, longest }
    }

    fn get(&self, text: &str) -> Option<usize> {
        if significant_chars(text, self.longest + 1) > self.longest {
            return None;
        }
        self.entries.get(&canonical_line(text)).copied()
    }
}

/// Characters other than whitespace and dashes, counted up to `limit`: [`canonical_line`] changes only spacing and
/// dash runs, so two lines with the same canonical form have the same count.
fn significant_chars(text: &str, limit: usize) -> usize {
    text.chars().filter(|c| !c.is_whitespace() && *c != '-').take(limit).count()
}

/// How strongly the call supports reading a candidate as a speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Shape and corroboration only (rules 3 by shape, and 5).
    Weak,
    /// `Operator`, a participants-list entry or name, or a placeholder (rules 1, 2, 4, 6).
    Strong,
}

/// A candidate that names a speaker: the name and title as written, and the listed participant it is, if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpeakerHit<'a> {
    pub name: &'a str,
    pub rest: Option<&'a str>,
    pub listed: Option<usize>,
    pub strength: Strength,
}

/// Everything a call says that helps decide whether a candidate names a speaker.
pub struct Evidence<'a> {
    by_line: CanonicalIndex,
    by_name: CanonicalIndex,
    /// (first name, surname) of each listed participant.
    by_key: Vec<((String, String), usize)>,
    /// How often each name-shaped candidate stands as a speaker candidate in the body.
    repeated: HashMap<&'a str, usize>,
    /// Lines of speech, for surname mentions (built only if a bare name needs it).
    speech: Vec<&'a str>,
    spoken_words: OnceCell<HashSet<String>>,
}

impl<'a> Evidence<'a> {
    /// `listed`: the participants list; `candidates`: every name-shaped candidate in the body (for repetition);
    /// `speech`: body lines that may mention speakers.
    pub fn gather(
        listed: &[Participant],
        list_lines: &[String],
        candidates: Vec<&'a str>,
        speech: Vec<&'a str>,
    ) -> Self {
        let by_line = CanonicalIndex::new(list_lines.iter().map(String::as_str));
        let by_name = CanonicalIndex::new(listed.iter().map(|p| p.name.as_str()));
        let by_key = listed.iter().enumerate().filter_map(|(i, p)| Some((first_and_last(&p.name)?, i))).collect();
        let mut repeated: HashMap<&str, usize> = HashMap::new();
        for c in candidates {
            *repeated.entry(c).or_default() += 1;
        }
        Evidence { by_line, by_name, by_key, repeated, speech, spoken_words: OnceCell::new() }
    }

    fn spoken_words(&self) -> &HashSet<String> {
        self.spoken_words.get_or_init(|| {
            self.speech
                .iter()
                .filter(|l| !self.repeated.contains_key(*l))
                .flat_map(|l| l.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\''))
                .filter(|w| w.len() > 1)
                .map(str::to_string)
                .collect()
        })
    }

    /// The listed participant a name is: exactly, else by first name and surname (`Amy E. Hood` is the listed
    /// `Amy Hood`) when only one listed person has them.
    fn listed_name(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).or_else(|| {
            let key = looks_like_name(name).then(|| first_and_last(name)).flatten()?;
            let mut found = self.by_key.iter().filter(|(k, _)| *k == key).map(|(_, i)| *i);
            let first = found.next()?;
            found.next().is_none().then_some(first)
        })
    }

    /// Is this whole line a speaker line (the classic layouts' candidates)?
    pub fn speaker_line<'b>(&self, text: &'b str) -> Option<SpeakerHit<'b>> {
        let text = trim_label_noise(text);
        if text == "Operator" {
            return Some(SpeakerHit { name: text, rest: None, listed: None, strength: Strength::Strong });
        }
        // An exact list entry is a speaker line whatever its length.
        if let Some(i) = self.by_line.get(text) {
            let (name, rest) = split_speaker_line(text);
            return Some(SpeakerHit { name, rest, listed: Some(i), strength: Strength::Strong });
        }
        if is_placeholder(text) {
            return Some(SpeakerHit {
                name: text,
                rest: None,
                listed: self.listed_name(text),
                strength: Strength::Strong,
            });
        }
        let (name, rest) = split_speaker_line(text);
        let listed = self.listed_name(name);
        match rest {
            Some(rest) => {
                let strength = if listed.is_some() || is_placeholder(name) { Strength::Strong } else { Strength::Weak };
                let name_ok = strength == Strength::Strong || (looks_like_name(name) && !opens_like_speech(name));
                (name_ok && !rest.is_empty() && looks_like_title(rest)).then_some(SpeakerHit {
                    name,
                    rest: Some(rest),
                    listed,
                    strength,
                })
            }
            None if listed.is_some() => Some(SpeakerHit { name, rest: None, listed, strength: Strength::Strong }),
            None => self.corroborated(name).then_some(SpeakerHit {
                name,
                rest: None,
                listed: None,
                strength: Strength::Weak,
            }),
        }
    }

    /// Is this label (the text before `Name:` on a line) a speaker? A colon alone is no evidence (`Outlook: we
    /// expect…`), so beyond `Operator`, the participants list and placeholders, a name-shaped label needs one of:
    /// the colon written the way publishers write labels, with no space before the speech (`Krista:Thank you`) —
    /// `tight`; an introduction on the line before that names the speaker (`… from George at Canaccord. George,
    /// go ahead.`); repetition as a label (twice for a full name, three times for a single word); or the full name
    /// spoken in an introduction elsewhere in the call.
    pub fn label<'b>(&self, label: &'b str, previous: Option<&str>, tight: bool) -> Option<SpeakerHit<'b>> {
        let hit = |strength| SpeakerHit { name: label, rest: None, listed: None, strength };
        // `OPERATOR:` in transcripts that write every label in capitals.
        if label.eq_ignore_ascii_case("operator") || is_placeholder(label) {
            return Some(hit(Strength::Strong));
        }
        if let Some(i) = self.listed_name(label) {
            return Some(SpeakerHit { listed: Some(i), ..hit(Strength::Strong) });
        }
        if !looks_like_name(label) || opens_like_speech(label) {
            return None;
        }
        let words = label.split_whitespace().count();
        let introduced = previous.is_some_and(|p| INTRODUCES_RE.is_match(p) && names_in(label).any(|w| word_in(p, w)));
        let repeated = self.repeated.get(label).copied().unwrap_or(0) >= if words >= 2 { 2 } else { 3 };
        // Reading every line of the call for the name is the costly test: only when nothing else says so.
        let named_in_introduction =
            || words >= 2 && self.speech.iter().any(|l| l.contains(label) && *l != label && INTRODUCES_RE.is_match(l));
        (tight || introduced || repeated || named_in_introduction()).then(|| hit(Strength::Weak))
    }

    /// A label in text where every turn opens `Name: speech` (what transcript APIs return): the evidence of
    /// [`Evidence::label`], and also a label written `Name - Firm` or `Name, Title` whose name has that evidence (the
    /// firm may be spelt differently from the list's), or the shape of a full name the call corroborates (it labels
    /// turns again, or its surname is spoken). The hit's name is the name part; callers keep the label as written.
    pub fn name_label<'b>(&self, label: &'b str, previous: Option<&str>) -> Option<SpeakerHit<'b>> {
        // `Name - Firm`: the name decides (a whole label can have a name's shape too: `Hannah Lee - Birchline`).
        if let Some((name, rest)) = split_affiliation(label) {
            let hit = self.label(name, previous, false).or_else(|| {
                (name.split_whitespace().count() >= 2 && self.corroborated(name)).then_some(SpeakerHit {
                    name,
                    rest: None,
                    listed: None,
                    strength: Strength::Weak,
                })
            });
            if let Some(hit) = hit {
                return Some(SpeakerHit { rest: Some(rest), ..hit });
            }
        }
        if let Some(hit) = self.label(label, previous, false) {
            return Some(hit);
        }
        (label.split_whitespace().count() >= 2 && self.corroborated(label)).then_some(SpeakerHit {
            name: label,
            rest: None,
            listed: None,
            strength: Strength::Weak,
        })
    }

    /// A bare name not in the list speaks only if the call corroborates it (module docs, rule 5): it stands alone
    /// again, or its surname is spoken — capitalized, as names are (`Search` in `Atlas Vector Search` is not
    /// corroborated by "search").
    fn corroborated(&self, name: &str) -> bool {
        if !looks_like_name(name) || opens_like_speech(name) {
            return false;
        }
        // `Both --`, `About MAC.`: a bare line that trails off or ends a sentence is speech, not a name.
        if name.ends_with("--") || name.ends_with('-') || ends_with_sentence_stop(name) {
            return false;
        }
        let repeated = self.repeated.get(name).copied().unwrap_or(0) >= 2;
        let mentioned = surname_as_written(name).is_some_and(|s| s.len() > 1 && self.spoken_words().contains(s));
        if name.split_whitespace().count() >= 2 {
            repeated || mentioned
        } else {
            repeated && mentioned
        }
    }
}

/// First name and surname, lower-cased, of a name of two words or more.
fn first_and_last(name: &str) -> Option<(String, String)> {
    let words = name_words(name);
    (words.len() >= 2).then(|| (words[0].clone(), words[words.len() - 1].clone()))
}

/// The surname as the name writes it (`Berkley` in `W. Robert Berkley, Jr.`).
fn surname_as_written(name: &str) -> Option<&str> {
    name.split_whitespace()
        .rev()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .find(|w| !w.is_empty() && !super::names::is_suffix(w))
}

/// Words of an introduction: "Our next question … from George at Canaccord. George, please go ahead."
static INTRODUCES_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)question|your line|go ahead|unmute|proceed").expect("valid regex"));

/// The capitalized words of a name long enough to be told apart (`George`, `Gianarikas`).
fn names_in(name: &str) -> impl Iterator<Item = &str> {
    name.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 3 && w.chars().next().is_some_and(char::is_uppercase))
}

/// A speaker line or label without the stray marks some copies leave at its end (`John Smith\`, `Operator*`):
/// noise, not part of the name.
pub fn trim_label_noise(label: &str) -> &str {
    label.trim_end_matches(['\\', '*', '|', '`']).trim_end()
}

/// `Kenneth B. Goldman - JPMorgan Securities LLC`, `Martin Kay, CEO`: a name followed by its firm or title, split at
/// the first ` - ` / ` -- ` / ` – ` / `, ` (a suffix such as `, Jr.` stays with the name). `None` when the label has
/// no such separator or its first part is not name-shaped.
pub fn split_affiliation(label: &str) -> Option<(&str, &str)> {
    let at = [" - ", " -- ", " \u{2013} ", " \u{2014} ", ", "]
        .iter()
        .filter_map(|sep| {
            let i = label.find(sep)?;
            let rest = label[i + sep.len()..].trim();
            // `Berkley, Jr.`: a suffix after a comma is part of the name.
            let suffix = *sep == ", " && rest.split_whitespace().next().is_some_and(super::names::is_suffix);
            (!suffix).then_some((i, sep.len()))
        })
        .min()?;
    let (name, rest) = (label[..at.0].trim(), label[at.0 + at.1..].trim());
    (looks_like_name(name) && !opens_like_speech(name) && !rest.is_empty()).then_some((name, rest))
}

/// True when `word` stands in `text` as a whole word, written as in the name.
fn word_in(text: &str, word: &str) -> bool {
    // A name a transcript writes in capitals (`KEN USDIN:`) is spoken in ordinary case ("… from Ken Usdin with …").
    let capitals = word.chars().filter(|c| c.is_alphabetic()).count() > 1 && !word.chars().any(char::is_lowercase);
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .any(|w| w == word || (capitals && w.eq_ignore_ascii_case(word)))
}

/// `About MAC.`: ends with a full stop after a word longer than an initial or an abbreviation such as `Jr.`.
fn ends_with_sentence_stop(name: &str) -> bool {
    let Some(last) = name.split_whitespace().last() else { return false };
    let Some(word) = last.strip_suffix('.') else { return false };
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    // Initials (`J.`), suffixes (`Jr.`, `Sr.`) and titles (`Dr.`) end names; an upper-case word does not.
    !(letters <= 1 || super::names::is_suffix(last) || (letters <= 3 && word.chars().skip(1).all(|c| c.is_lowercase())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_lines_split_with_or_without_spaces() {
        assert_eq!(split_speaker_line("Jane Doe--Investor Relations"), ("Jane Doe", Some("Investor Relations")));
        assert_eq!(split_speaker_line("Unknown speaker---- Analyst"), ("Unknown speaker", Some("Analyst")));
        assert_eq!(
            split_speaker_line("Ann Lee -- Acme Securities -- Analyst"),
            ("Ann Lee", Some("Acme Securities -- Analyst"))
        );
        assert_eq!(
            title_and_firm(Some("Acme Securities--Analyst")),
            (Some("Analyst".into()), Some("Acme Securities".into()))
        );
        assert_eq!(canonical_line("Ann Lee--Acme Securities -- Analyst"), "Ann Lee -- Acme Securities -- Analyst");
    }

    #[test]
    fn sided_lists_read_name_then_firm_and_title() {
        use super::super::document::blocks;
        let text = "* Stacy Smith\n  Intel Corporation - VP, CFO\n* Dave Fildes\n  - \n* Operator\n* Kevin Sellers\n  \
                    Intel Corporation - VP of IR\n";
        let entries = read_name_then_description_list(&blocks(text), ListSide::Company);
        let names: Vec<&str> = entries.iter().map(|e| e.participant.name.as_str()).collect();
        assert_eq!(names, ["Stacy Smith", "Dave Fildes", "Kevin Sellers"]);
        assert_eq!(entries[0].participant.title.as_deref(), Some("VP, CFO"));
        assert_eq!(entries[0].participant.role, Role::Executive);
        assert_eq!(entries[2].participant.role, Role::InvestorRelations);
        assert_eq!(entries[1].participant.title, None);
        let text = "Bose Thomas George\nKeefe, Bruyette, & Woods, Inc., Research Division - MD\n\
                    Dominick D'Angelo;O'Keefe Stevens Advisory, Inc.;Analyst\nAlan S. Ratner\n\n\
                    Justin Tyler Patterson\nKeyBanc Capital Markets Inc. - Director & Lead Senior\nAnalyst\n\n\
                    Ryan McKeveny\nZelman & Associates LLC - Director of Research\n";
        let entries = read_name_then_description_list(&blocks(text), ListSide::Analysts);
        assert_eq!(entries.len(), 5);
        assert_eq!(entries[3].participant.title.as_deref(), Some("Director & Lead Senior Analyst"));
        let kbw = &entries[0].participant;
        assert_eq!(
            (kbw.firm.as_deref(), kbw.title.as_deref(), kbw.role),
            (Some("Keefe, Bruyette, & Woods, Inc., Research Division"), Some("MD"), Role::Analyst)
        );
        assert_eq!(entries[1].participant.firm.as_deref(), Some("O'Keefe Stevens Advisory, Inc."));
        assert_eq!(entries[1].description.as_deref(), Some("O'Keefe Stevens Advisory, Inc.;Analyst"));
        assert_eq!(entries[2].description, None);
    }

    #[test]
    fn titles_split_into_firm_and_analyst() {
        assert_eq!(
            title_and_firm(Some("William Blair -- Analyst")),
            (Some("Analyst".into()), Some("William Blair".into()))
        );
        assert_eq!(title_and_firm(Some("Chief Financial Officer")), (Some("Chief Financial Officer".into()), None));
        assert_eq!(title_and_firm(None), (None, None));
    }

    #[test]
    fn title_shape() {
        assert!(looks_like_title("Chairman of the Board, Chief Executive Officer"));
        assert!(looks_like_title("KeyBanc Capital Markets. -- Analyst"));
        assert!(!looks_like_title("could you elaborate on that one?"));
        assert!(!looks_like_title("yeah, go ahead."));
        assert!(!looks_like_title("I guess two things."));
        assert!(looks_like_title("Chairman and Chief Executive Officer. Comerica Incorporated and Comerica Bank"));
        assert!(!looks_like_title("Good question. Thanks for that"));
        assert!(looks_like_title("Sidoti &amp; Company -- Analyst"));
        assert!(looks_like_title("-Director & Co-Chief Executive Officer"));
        assert!(looks_like_title(", Executive Vice President and Chief Financial Officer"));
    }

    #[test]
    fn short_speech_is_not_a_bare_name() {
        let ev =
            Evidence::gather(&[], &[], vec!["Both --", "Both --", "About MAC.", "About MAC."], vec!["both about mac"]);
        assert!(ev.speaker_line("Both --").is_none());
        assert!(ev.speaker_line("About MAC.").is_none());
        let ev = Evidence::gather(&[], &[], vec!["Jane Doe", "Jane Doe"], vec![]);
        assert_eq!(ev.speaker_line("Jane Doe").map(|h| h.strength), Some(Strength::Weak));
        assert!(!ends_with_sentence_stop("W. Robert Berkley, Jr."));
        assert!(!ends_with_sentence_stop("Jane A."));
    }

    #[test]
    fn labels_need_evidence_beyond_the_colon() {
        let listed = vec![listed_participant("Dylan Field -- Chief Executive Officer")];
        let lines = vec!["Dylan Field -- Chief Executive Officer".to_string()];
        let ev =
            Evidence::gather(&listed, &lines, vec!["Eric", "Eric", "Here's the point"], vec!["thanks keith weiss"]);
        assert_eq!(ev.label("Dylan Field", None, false).and_then(|h| h.listed), Some(0));
        assert_eq!(ev.label("Dylan R. Field", None, false).and_then(|h| h.listed), Some(0), "middle initial");
        assert!(ev.label("Eric", None, true).is_some(), "written as publishers write labels");
        assert!(ev.label("Eric", None, false).is_none(), "a single word twice is not enough");
        assert!(ev.label("Here's the point", None, true).is_none());
        assert!(ev.label("Outlook", None, false).is_none(), "a colon in speech");
        assert!(ev.label("Revenue Outlook", None, false).is_none(), "name-shaped but never corroborated");
        let intro = "Our next question is going to come from George at Canaccord. George, please unmute yourself.";
        assert!(ev.label("George Gianarikas", Some(intro), false).is_some(), "introduced by first name");
        assert!(ev.label("Revenue Outlook", Some(intro), false).is_none());
        let ev =
            Evidence::gather(&[], &[], vec![], vec!["The next question comes from Keith Weiss with Morgan Stanley."]);
        assert!(ev.label("Keith Weiss", None, false).is_some(), "named in an introduction");
    }
}
