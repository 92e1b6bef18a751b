//! The classic fool.com plain-text layout, as users save it from the transcript page.
//!
//! ```text
//! Logo of jester cap with thought bubble.          ← page furniture, skipped
//! Image source: The Motley Fool.
//! Liveperson Inc (LPSN -4.22%)                      ← company + ticker + (exchange | day's price move)
//! Q1 2021 Earnings Call                             ← title → fiscal quarter and year
//! May 4, 2021, 5:00 p.m. ET                         ← local date, time and zone
//! Contents: • Prepared Remarks • …                  ← table of contents, skipped
//! Prepared Remarks:                                 ← section heading
//! Operator                                          ← speaker line
//! Good afternoon, …                                 ← speech, one paragraph per line
//! 10 stocks we like better than … *Stock Advisor …  ← advertising inserted mid-turn, skipped
//! Questions and Answers:
//! Maya -- JPMorgan -- Analyst                       ← `Name -- Firm -- Analyst`
//! Duration: 45 minutes
//! Call participants:                                ← `Name -- Title` entries: the best evidence of who speaks
//! More LPSN analysis / All earnings call transcripts / AlphaStreet Logo   ← footer, skipped
//! ```
//!
//! # How a line becomes a speaker line
//! Speech can contain ` -- `, can start with `Operator, …`, and can be one short capitalized line, so no single
//! feature decides. A body line is a speaker line when:
//! 1. it is exactly `Operator`; or
//! 2. it is exactly an entry of the participants list; or
//! 3. it is `Name -- Title` where the name is a listed participant's name, or where both halves have the shape of
//!    a name and a title (capitalized words, no sentence punctuation); or
//! 4. it is a bare name that is a listed participant's name; or
//! 5. it is a bare name (name-shaped, not opening like speech) that the rest of the call corroborates: the same line
//!    stands alone again elsewhere, or the surname is mentioned in the speech (operators introduce speakers); or
//! 6. it is one of the names transcripts give unidentified speakers (`Unknown speaker`, `Unidentified Participant`,
//!    `Analyst`), alone or as the name of a `Name -- Title` line.
//!
//! Name and title shapes tolerate the typos real files carry (a stray mark after a name, `&amp;` or a full stop in
//! a title, a leading dash before it), which lets nearly every speaker line be found even without the list.
//!
//! # Roles and kinds
//! Roles come from the speaker line or list entry (a firm or `Analyst` → analyst, investor relations, other titles →
//! executive). A speaker with no title whom the operator introduces as a questioner is an analyst. Kinds: the
//! operator's turns; analysts' questions; company answers once Q&A has begun (by heading or first question), remarks
//! before; an unidentified speaker asks when the operator has just opened their line or they asked the question on
//! the floor.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveTime, TimeZone};
use regex::Regex;

use super::names::{looks_like_name, opens_like_speech, surname};
use super::{ParseError, SourceLayout};
use crate::model::{CallTime, Company, Participant, Role, SectionKind, Transcript, Turn, TurnKind};

pub struct FoolClassic;

static COMPANY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<company>.+?)\s*\((?:(?P<exchange>[A-Za-z]{2,12})\s*:\s*(?P<ticker>[A-Za-z0-9][A-Za-z0-9.\-]{0,11})|(?P<ticker2>[A-Z0-9][A-Z0-9.\-]{0,11})\s+(?P<change>[+\-\x{2212}]?\s*\d+(?:\.\d+)?)\s*%)\)\s*$",
    )
    .expect("valid regex")
});
static FISCAL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bQ([1-4])\s*(?:FY\s*)?'?(\d{4})\b|\b(?:FY\s*)?(\d{4})\s*Q([1-4])\b").expect("valid regex")
});
static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4}),?\s+(?:at\s+)?(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>[AaPp])\.?\s*[Mm]\.?\s*(?P<tz>[A-Za-z]{1,5})?\.?\s*$",
    )
    .expect("valid regex")
});
static HEADING_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:(?P<pr>prepared\s+remarks)|(?P<qa>questions?\s*(?:and|&)\s*answers?(?:\s+session)?|question-and-answer\s+session))\s*:$")
        .expect("valid regex")
});
static DURATION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^duration:\s*(\d{1,4})\s*min(?:ute)?s?\.?$").expect("valid regex"));
static PARTICIPANTS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^call\s+participants\s*:?$").expect("valid regex"));
static FOOTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:more\s+\S+\s+analysis|all\s+earnings\s+call\s+transcripts|alphastreet\s+logo)$")
        .expect("valid regex")
});
/// The names transcripts give speakers they could not identify (`Unknown speaker`, `Unidentified Participant`,
/// `Analyst`): speaker lines wherever they stand alone.
static PLACEHOLDER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:unknown|unidentified)(?:\s+(?:speaker|participant|analyst|caller|male|female|audience member|company (?:representative|speaker)|corporate participant))?(?:\s*\d+)?|analyst)$",
    )
    .expect("valid regex")
});

static HTML_ENTITY_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"&(?:[A-Za-z]{2,8}|#[0-9]{1,5});").expect("valid regex"));

/// Words an operator uses when handing the floor to a questioner.
static INTRODUCTION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)question|line is open|your line|caller").expect("valid regex"));

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
    s[..end].trim_end_matches(['.', ',']).to_string()
}

/// How far apart the two ends of the advertising block may be, in lines of text.
const AD_BLOCK_MAX_LINES: usize = 12;

/// One non-empty line of the file, trimmed, with its 1-based line number.
#[derive(Debug, Clone, Copy)]
struct Block<'a> {
    line: usize,
    text: &'a str,
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    text.lines()
        .enumerate()
        .map(|(i, l)| Block { line: i + 1, text: l.trim() })
        .filter(|b| !b.text.is_empty())
        .collect()
}

impl SourceLayout for FoolClassic {
    fn name(&self) -> &'static str {
        "fool-classic"
    }

    fn recognizes(&self, text: &str) -> bool {
        let head: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(12).collect();
        head.iter().any(|l| COMPANY_RE.is_match(l)) && text.lines().any(|l| HEADING_RE.is_match(l.trim()))
    }

    fn parse(&self, text: &str) -> Result<Transcript, ParseError> {
        let blocks = blocks(text);
        let header = parse_header(&blocks)?;
        let body = body_bounds(&blocks, header.next)?;
        let tail = parse_tail(&blocks[body.end..]);
        let mut warnings = Vec::new();
        let body_blocks = strip_advertising(&blocks[body.start..body.end], &mut warnings);
        let mut participants = tail.participants;
        let turns = read_turns(&body_blocks, &mut participants)?;
        let mut transcript = Transcript {
            layout: self.name(),
            company: header.company,
            title: header.title,
            fiscal_quarter: header.fiscal_quarter,
            fiscal_year: header.fiscal_year,
            schedule: header.schedule,
            price_change_pct: header.price_change_pct,
            duration_minutes: tail.duration,
            participants,
            turns,
            warnings,
        };
        assign_roles_and_kinds(&mut transcript);
        Ok(transcript)
    }
}

struct Header {
    company: Company,
    price_change_pct: Option<f64>,
    title: String,
    fiscal_quarter: u8,
    fiscal_year: i32,
    schedule: CallTime,
    /// Index of the first block after the date line.
    next: usize,
}

fn parse_header(blocks: &[Block]) -> Result<Header, ParseError> {
    let first_line = blocks.first().map_or(1, |b| b.line);
    let (at, caps) =
        blocks.iter().take(12).enumerate().find_map(|(i, b)| COMPANY_RE.captures(b.text).map(|c| (i, c))).ok_or_else(
            || {
                ParseError::at(
                first_line,
                "expected a company line such as `Acme Corp (NASDAQ:ACME)` or `Acme Corp (ACME -1.25%)` near the top",
            )
            },
        )?;
    let ticker = caps
        .name("ticker")
        .or_else(|| caps.name("ticker2"))
        .map(|m| m.as_str().to_uppercase())
        .expect("one ticker group matches");
    let company = Company {
        name: caps["company"].trim().to_string(),
        ticker,
        exchange: caps.name("exchange").map(|m| m.as_str().to_uppercase()),
    };
    let price_change_pct =
        caps.name("change").and_then(|m| m.as_str().replace(['\u{2212}'], "-").replace(' ', "").parse::<f64>().ok());

    let title_block = blocks
        .get(at + 1)
        .ok_or_else(|| ParseError::at(blocks[at].line + 1, "expected the call title, e.g. `Q1 2021 Earnings Call`"))?;
    let fiscal = FISCAL_RE.captures(title_block.text).ok_or_else(|| {
        ParseError::at(
            title_block.line,
            format!(
                "expected the call title with its fiscal period, e.g. `Q1 2021 Earnings Call`, found `{}`",
                clip(title_block.text)
            ),
        )
    })?;
    let (quarter, year) = match (fiscal.get(1), fiscal.get(2)) {
        (Some(q), Some(y)) => (q.as_str(), y.as_str()),
        _ => (&fiscal[4], &fiscal[3]),
    };

    let date_block = blocks.get(at + 2).ok_or_else(|| {
        ParseError::at(title_block.line + 1, "expected the call date, e.g. `May 4, 2021, 5:00 p.m. ET`")
    })?;
    let schedule = parse_schedule(date_block.text).map_err(|why| {
        ParseError::at(
            date_block.line,
            format!(
                "expected the call date and time, e.g. `May 4, 2021, 5:00 p.m. ET`, found `{}` ({why})",
                clip(date_block.text)
            ),
        )
    })?;
    Ok(Header {
        company,
        price_change_pct,
        title: title_block.text.to_string(),
        fiscal_quarter: quarter.parse().expect("regex allows 1-4"),
        fiscal_year: year.parse().expect("regex allows 4 digits"),
        schedule,
        next: at + 3,
    })
}

/// Reads `May 4, 2021, 5:00 p.m. ET` / `Jul 08, 2020, 10:00 a.m. ET` into local and UTC times.
fn parse_schedule(text: &str) -> Result<CallTime, String> {
    let caps = DATE_RE.captures(text).ok_or("not a date and time")?;
    let month = month_number(&caps["mon"]).ok_or_else(|| format!("unknown month `{}`", &caps["mon"]))?;
    let day: u32 = caps["day"].parse().map_err(|_| "bad day")?;
    let year: i32 = caps["year"].parse().map_err(|_| "bad year")?;
    let local_date = NaiveDate::from_ymd_opt(year, month, day).ok_or("no such date")?;
    let mut hour: u32 = caps["h"].parse().map_err(|_| "bad hour")?;
    let minute: u32 = caps.name("m").map_or(Ok(0), |m| m.as_str().parse()).map_err(|_| "bad minute")?;
    if !(1..=12).contains(&hour) {
        return Err(format!("hour {hour} is not on a 12-hour clock"));
    }
    let pm = caps["ampm"].eq_ignore_ascii_case("p");
    hour = match (hour, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    };
    let local_time = NaiveTime::from_hms_opt(hour, minute, 0).ok_or("no such time")?;
    let abbrev = caps.name("tz").map_or("ET", |m| m.as_str()).to_uppercase();
    let zone: chrono_tz::Tz = match abbrev.as_str() {
        "ET" | "EST" | "EDT" => chrono_tz::America::New_York,
        "CT" | "CST" | "CDT" => chrono_tz::America::Chicago,
        "MT" | "MST" | "MDT" => chrono_tz::America::Denver,
        "PT" | "PST" | "PDT" => chrono_tz::America::Los_Angeles,
        "GMT" | "UTC" | "Z" => chrono_tz::UTC,
        "BST" => chrono_tz::Europe::London,
        other => return Err(format!("unknown time zone `{other}`")),
    };
    // A wall-clock time in a DST gap does not exist; the earliest mapping handles the repeated hour.
    let starts = zone
        .from_local_datetime(&local_date.and_time(local_time))
        .earliest()
        .ok_or("that local time does not exist in its zone")?;
    Ok(CallTime {
        local_date,
        local_time,
        timezone: zone.name().to_string(),
        zone_abbrev: abbrev,
        starts_at_utc: starts.with_timezone(&chrono::Utc),
    })
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = name.to_lowercase();
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if lower.len() > 3 && lower != "sept" {
        return full.iter().position(|m| *m == lower).map(|i| i as u32 + 1);
    }
    MONTHS.iter().position(|m| lower.starts_with(m)).map(|i| i as u32 + 1)
}

struct BodyBounds {
    start: usize,
    end: usize,
}

/// The body runs from the first section heading to the `Duration:` line or the participants list, whichever
/// comes first. Files without either end at the footer.
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
        while end > start + 1 && FOOTER_RE.is_match(blocks[end - 1].text) {
            end -= 1;
        }
        end
    });
    Ok(BodyBounds { start, end })
}

struct Tail {
    duration: Option<u32>,
    participants: Vec<Participant>,
}

/// Reads `Duration:` and the participants list that follow the body.
fn parse_tail(blocks: &[Block]) -> Tail {
    let mut duration = None;
    let mut participants = Vec::new();
    let mut in_list = false;
    for b in blocks {
        if let Some(c) = DURATION_RE.captures(b.text) {
            duration = c[1].parse().ok();
            in_list = false;
        } else if PARTICIPANTS_RE.is_match(b.text) {
            in_list = true;
        } else if FOOTER_RE.is_match(b.text) {
            in_list = false;
        } else if in_list {
            let (name, rest) = split_speaker_line(b.text);
            let (title, firm) = title_and_firm(rest);
            participants.push(Participant {
                name: name.to_string(),
                role: role_from_title(name, title.as_deref(), firm.is_some()),
                title,
                firm,
                listed: true,
            });
        }
    }
    Tail { duration, participants }
}

/// Drops fool.com's advertising block (`10 stocks we like better than …` through `*Stock Advisor returns as of …`).
/// If the closing line never comes, nothing is dropped: better to keep an ad than lose speech.
fn strip_advertising<'a>(blocks: &[Block<'a>], warnings: &mut Vec<String>) -> Vec<Block<'a>> {
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

/// The text with every run of whitespace turned into one space.
fn single_spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits `Name -- Rest` at the first ` -- `. A bare name has no rest.
fn split_speaker_line(line: &str) -> (&str, Option<&str>) {
    match line.split_once(" -- ") {
        Some((name, rest)) => (name.trim(), Some(rest.trim())),
        None => (line.trim(), None),
    }
}

/// `Firm -- Analyst` → (title `Analyst`, firm `Firm`); anything else is the title as written.
fn title_and_firm(rest: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(rest) = rest.filter(|r| !r.is_empty()) else {
        return (None, None);
    };
    if let Some((firm, last)) = rest.rsplit_once(" -- ") {
        if last.trim().eq_ignore_ascii_case("analyst") {
            return (Some(last.trim().to_string()), Some(firm.trim().to_string()));
        }
    }
    (Some(rest.to_string()), None)
}

static IR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)investor\s+relations|\bIR\b|shareholder\s+relations").expect("valid regex"));

/// Role from what the speaker line or list entry says: a firm or the title `Analyst` (or an analyst left unnamed,
/// `Analyst`) means an analyst; investor relations by title; any other title an executive.
fn role_from_title(name: &str, title: Option<&str>, has_firm: bool) -> Role {
    match title {
        None if name.eq_ignore_ascii_case("analyst") => Role::Analyst,
        _ if has_firm => Role::Analyst,
        Some(t) if t.eq_ignore_ascii_case("analyst") => Role::Analyst,
        Some(t) if IR_RE.is_match(t) => Role::InvestorRelations,
        Some(_) => Role::Executive,
        None => Role::Unknown,
    }
}

/// The title half of `Name -- Title`: capitalized words as titles and firms are printed, not a sentence.
fn looks_like_title(rest: &str) -> bool {
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
        if rest.contains(". ") && !rest.contains(" -- ") { long_words.len() } else { long_words.len().div_ceil(2) };
    first_upper && capitalized >= needed
}

/// Which participant a speaker line names, and how it was written.
struct SpeakerHit<'a> {
    name: &'a str,
    rest: Option<&'a str>,
    listed: Option<usize>,
}

/// Everything the body says that helps decide whether a line is a speaker line.
struct Evidence<'a> {
    by_line: HashMap<String, usize>,
    by_name: HashMap<&'a str, usize>,
    standalone: HashMap<&'a str, usize>,
    body: &'a [Block<'a>],
    /// Lower-cased words of every line that is not itself name-shaped; built only if a bare name needs it.
    spoken_words: OnceCell<HashSet<String>>,
}

impl<'a> Evidence<'a> {
    fn gather(body: &'a [Block<'a>], listed: &'a [Participant], list_lines: Vec<String>) -> Self {
        let mut by_line = HashMap::new();
        for (i, l) in list_lines.into_iter().enumerate() {
            by_line.entry(single_spaced(&l)).or_insert(i);
        }
        let mut by_name = HashMap::new();
        for (i, p) in listed.iter().enumerate() {
            by_name.entry(p.name.as_str()).or_insert(i);
        }
        let mut standalone: HashMap<&str, usize> = HashMap::new();
        for b in body.iter().filter(|b| b.text.len() <= 60 && looks_like_name(b.text)) {
            *standalone.entry(b.text).or_default() += 1;
        }
        Evidence { by_line, by_name, standalone, body, spoken_words: OnceCell::new() }
    }

    fn spoken_words(&self) -> &HashSet<String> {
        self.spoken_words.get_or_init(|| {
            self.body
                .iter()
                .filter(|b| !self.standalone.contains_key(b.text))
                .flat_map(|b| b.text.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\''))
                .filter(|w| w.len() > 1)
                .map(str::to_lowercase)
                .collect()
        })
    }

    fn speaker<'b>(&self, text: &'b str) -> Option<SpeakerHit<'b>> {
        if text == "Operator" {
            return Some(SpeakerHit { name: text, rest: None, listed: None });
        }
        // Speaker lines are short; only those are looked up (spacing normalized: `Jane  Doe --  CEO` is an entry).
        if let Some(&i) = (text.len() <= 200).then(|| self.by_line.get(&single_spaced(text))).flatten() {
            let (name, rest) = split_speaker_line(text);
            return Some(SpeakerHit { name, rest, listed: Some(i) });
        }
        if PLACEHOLDER_RE.is_match(text) {
            return Some(SpeakerHit { name: text, rest: None, listed: self.by_name.get(text).copied() });
        }
        let (name, rest) = split_speaker_line(text);
        let listed = self.by_name.get(name).copied();
        match rest {
            Some(rest) => {
                let name_ok = listed.is_some()
                    || PLACEHOLDER_RE.is_match(name)
                    || (looks_like_name(name) && !opens_like_speech(name));
                (name_ok && looks_like_title(rest)).then_some(SpeakerHit { name, rest: Some(rest), listed })
            }
            None if listed.is_some() => Some(SpeakerHit { name, rest: None, listed }),
            None => self.corroborated_bare_name(name).then_some(SpeakerHit { name, rest: None, listed: None }),
        }
    }

    /// A bare name not in the list speaks only if the call corroborates it (see the module docs, rule 5).
    fn corroborated_bare_name(&self, name: &str) -> bool {
        if !looks_like_name(name) || opens_like_speech(name) {
            return false;
        }
        let repeated = self.standalone.get(name).copied().unwrap_or(0) >= 2;
        let mentioned = surname(name).is_some_and(|s| s.len() > 1 && self.spoken_words().contains(&s));
        let several_words = name.split_whitespace().count() >= 2;
        if several_words {
            repeated || mentioned
        } else {
            repeated && mentioned
        }
    }
}

/// Splits the body into turns, adding speakers found only in the body to `participants`.
fn read_turns(body: &[Block], participants: &mut Vec<Participant>) -> Result<Vec<Turn>, ParseError> {
    let listed_count = participants.len();
    let list_lines: Vec<String> = participants
        .iter()
        .map(|p| {
            let mut line = p.name.clone();
            if let Some(firm) = &p.firm {
                line.push_str(" -- ");
                line.push_str(firm);
            }
            if let Some(title) = &p.title {
                line.push_str(" -- ");
                line.push_str(title);
            }
            line
        })
        .collect();
    let listed = participants.clone();
    let evidence = Evidence::gather(body, &listed, list_lines);
    // Participants discovered in the body, keyed by (name, title as written).
    let mut discovered: HashMap<(String, Option<String>), usize> = HashMap::new();

    let mut turns: Vec<Turn> = Vec::new();
    let mut section = None::<(SectionKind, String)>;
    for block in body {
        if let Some(caps) = HEADING_RE.captures(block.text) {
            let kind = if caps.name("pr").is_some() { SectionKind::PreparedRemarks } else { SectionKind::Qa };
            section = Some((kind, block.text.to_string()));
            continue;
        }
        let (section_kind, heading) = section.clone().expect("body starts with a heading");
        if let Some(hit) = evidence.speaker(block.text) {
            let index = match hit.listed {
                Some(i) if i < listed_count => i,
                _ => {
                    let (title, firm) = title_and_firm(hit.rest);
                    let key = (hit.name.to_string(), hit.rest.map(str::to_string));
                    *discovered.entry(key).or_insert_with(|| {
                        let role = if hit.name == "Operator" && hit.rest.is_none() {
                            Role::Operator
                        } else {
                            role_from_title(hit.name, title.as_deref(), firm.is_some())
                        };
                        participants.push(Participant { name: hit.name.to_string(), title, firm, role, listed: false });
                        participants.len() - 1
                    })
                }
            };
            turns.push(Turn {
                section: section_kind,
                section_heading: heading,
                participant: index,
                speaker_line: block.text.to_string(),
                title_as_written: hit.rest.map(str::to_string),
                paragraphs: Vec::new(),
                kind: TurnKind::Remarks,
                line: block.line,
                word_count: 0,
            });
            continue;
        }
        match turns.last_mut() {
            // A heading inside one speaker's speech: the speaker goes on in the new section.
            Some(last) if last.section != section_kind || last.section_heading != heading => {
                let continued = Turn {
                    section: section_kind,
                    section_heading: heading,
                    paragraphs: vec![block.text.to_string()],
                    line: block.line,
                    ..last.clone()
                };
                turns.push(continued);
            }
            Some(last) => last.paragraphs.push(block.text.to_string()),
            None => {
                return Err(ParseError::at(
                    block.line,
                    format!(
                        "expected a speaker line (`Operator`, `Name -- Title` or a listed participant) before the speech `{}`",
                        clip(block.text)
                    ),
                ))
            }
        }
    }
    for turn in &mut turns {
        turn.count_words();
    }
    if turns.is_empty() {
        let line = body.last().map_or(1, |b| b.line);
        return Err(ParseError::at(line, "expected at least one speaker turn after the section heading"));
    }
    Ok(turns)
}

/// Fills in unknown roles from the operator's introductions, then turn kinds:
/// operator → operator; analyst → question; company side → answer once Q&A has begun (by heading or by the first
/// question), remarks before.
fn assign_roles_and_kinds(t: &mut Transcript) {
    for i in 0..t.turns.len() {
        let p = t.turns[i].participant;
        if t.participants[p].role != Role::Unknown || i == 0 {
            continue;
        }
        let prev = &t.turns[i - 1];
        if t.participants[prev.participant].role != Role::Operator {
            continue;
        }
        let intro = prev.text();
        let Some(last) = surname(&t.participants[p].name) else { continue };
        let Ok(mention) = Regex::new(&format!(r"(?i)\b{}\b", regex::escape(&last))) else { continue };
        if let (Some(m), true) = (mention.find(&intro), INTRODUCTION_RE.is_match(&intro)) {
            let person = &mut t.participants[p];
            person.role = Role::Analyst;
            // "… comes from Jane Doe with Acme Securities." names the firm: keep it as the operator said it.
            if person.firm.is_none() {
                person.firm =
                    FIRM_IN_INTRO_RE.captures(&intro[m.end()..]).map(|c| firm_before_sentence_end(&c["firm"]));
            }
        }
    }
    // A turn right after the operator hands the floor to a questioner ("your line is open") is a question even when
    // its speaker is unknown (`Unknown speaker` standing in for the introduced analyst).
    let introduced: Vec<bool> = (0..t.turns.len())
        .map(|i| {
            i > 0
                && t.participants[t.turns[i - 1].participant].role == Role::Operator
                && INTRODUCTION_RE.is_match(&t.turns[i - 1].text())
        })
        .collect();
    let mut qa_started = false;
    // Who asked the question on the floor, until the operator speaks again: their follow-ups are questions too.
    let mut questioner = None;
    for (i, turn) in t.turns.iter_mut().enumerate() {
        let role = t.participants[turn.participant].role;
        qa_started |= turn.section == SectionKind::Qa || role == Role::Analyst;
        turn.kind = match role {
            Role::Operator => TurnKind::Operator,
            Role::Analyst => TurnKind::Question,
            Role::Unknown if qa_started && (introduced[i] || questioner == Some(turn.participant)) => {
                TurnKind::Question
            }
            _ if qa_started => TurnKind::Answer,
            _ => TurnKind::Remarks,
        };
        match turn.kind {
            TurnKind::Operator => questioner = None,
            TurnKind::Question => questioner = Some(turn.participant),
            _ => {}
        }
    }
}

/// Shortens a line for an error message.
fn clip(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_handles_daylight_saving_and_noon() {
        let s = parse_schedule("May 4, 2021, 5:00 p.m. ET").unwrap();
        assert_eq!(s.local_time.to_string(), "17:00:00");
        assert_eq!(s.starts_at_utc.to_rfc3339(), "2021-05-04T21:00:00+00:00");
        let w = parse_schedule("Feb 25, 2021, 5:00 p.m. ET").unwrap();
        assert_eq!(w.starts_at_utc.to_rfc3339(), "2021-02-25T22:00:00+00:00");
        let n = parse_schedule("Jul 08, 2020, 12:00 p.m. ET").unwrap();
        assert_eq!(n.local_time.to_string(), "12:00:00");
        assert_eq!(parse_schedule("September 3, 2020, 12:30 a.m. ET").unwrap().local_time.to_string(), "00:30:00");
        assert!(parse_schedule("Smarch 3, 2020, 9:00 a.m. ET").is_err());
        assert!(parse_schedule("May 4, 2021, 13:00 p.m. ET").is_err());
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
    fn firms_named_in_introductions_stop_at_the_sentence() {
        assert_eq!(firm_before_sentence_end("Harbor Peak Securities. Please"), "Harbor Peak Securities");
        assert_eq!(firm_before_sentence_end("B. Riley. Your line is open"), "B. Riley");
        assert_eq!(firm_before_sentence_end("Mizuho."), "Mizuho");
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
}
