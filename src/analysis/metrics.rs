//! Figures in speech: every currency amount, percentage, basis-point move, multiple and count a speaker says,
//! normalized, with the exact span and what it measures when the sentence names it.
//!
//! # How a figure is found
//! Patterns are tried from the most specific to the least (currency, basis points, percent, multiple, count), each
//! claiming its span so a number is read once. Ranges (`$460 million to $468 million`, `25.5% to 27.5%`,
//! `between 3% and 4%`) are one figure with `value` and `value_high`; `from X to Y` is a change, not a range. So
//! are ranges said the way people say them: the low end without the unit (`200 to $225 million`, `57 to 59 cents`,
//! `between 395 million and 396 million shares`), `to a $1.36`, `to minus $4 million`, `plus 6.5 to plus 7%`, and
//! two figures a hedge or the word `range` makes one (`that 22%, 23% range`, `around $3 million or $4 million`).
//!
//! # What is not a figure
//! Years (`2021`), quarters (`Q1`), clock times (`5:00`, `8 a.m.`), dates (`January 15`), ordinals (`2nd`), list
//! numbering (`1.` at the start, `(2)`, `No. 3`), phone numbers, form names (`10-K`), product names (`5G`), and
//! durations (`12 months`). A bare count needs a counted noun after it (`12 new customers`) or a scale word
//! (`1.1 billion`). A year is never the low end of a range (`from 68% in 2018 to 68.4%`).
//!
//! # Subject
//! What the figure's own clause says it measures, read in this order:
//! - a measure right after it, or joined by `of`/`in` (`$45 million of revenue`, `58% gross margin`, `a 20% increase
//!   in revenue`); a percentage *of* a measure is a ratio to it, not that measure (`30.9% of revenues`);
//! - the phrase it is said of before it, through verbs, hedges and words of time (`revenue was $5 million`, `sales of
//!   the group in the first quarter were $366 million`, `we repurchased $80 million`); of phrases tied by
//!   prepositions, the first measure named (`an increase in gross margin of 50 bps`, `net income attributed to X`);
//! - a figure continuing the one before it (`X was $A, up B%`, `12% and 15%`, `$9.2 billion or 11%`, `… 23.2% of
//!   sales, up from 21%`, the terms of a sum: `minus the $5 million, add back the $2 million`) measures the same, as
//!   does an item said the same way as the one before it (`the U.K. at plus 23%, Europe at 14%`, `a 61.3% increase
//!   on a reported basis, and a 56.9% increase`); a figure compared with a pair (`$125 million or $0.81 per share
//!   compared to $22 million or $0.14 per share`) measures what the pair's first (or second) does; with
//!   `respectively`, figures pair with the measures named in order, or else with the phrases the figures before them
//!   were said of (`revenues were $6.3 billion and operating expenses $3.9 billion, an increase of 63% and 65%`);
//! - a contribution to a change (`a 1.1% positive contribution from currency`, `$3 million of favorable
//!   translation`, `a $0.01 headwind`) is one to the measure the sentence said changed, or to a measure it names
//!   (`a 2% top-line benefit`); to none when the sentence named several;
//! - else the nearest measure the sentence names, preferring one said before the figure; for the object of a verb
//!   heading a predicate of its own (`…, paid $176 million for an acquisition`), only one named after it.
//!
//! Margins: a bare `margin` is the margin the sentence names, else the margin of the one profit it names (`adjusted
//! EBITDA was up 15% as margins expanded 430 basis points`); a profit's share of sales is its margin (`EBITDA was $970
//! million or 14.9% of sales`); an amount of a margin is the profit. A percentage of a measure said of a thing that is
//! no measure (`SG&A … 30.9% of revenues`), and a share of one (`the percentage of our sales`), measure nothing; the
//! measure a percentage is a ratio to is no other figure's subject. An amount in cents that no measure claims (`a
//! $0.03 gain`, `O&M had a positive variance of $0.28`) is per share, EPS, unless it is a price, cost or rate or per
//! unit (`$0.90 a gallon`).
//!
//! A figure whose clause names a thing that is no measure (`operating expenses were $3.9 billion`, `$240 million of
//! runoff`, `average loans … up 8%`) has no measure. Then the fallbacks: `growth` when the figure is the size of a
//! change (`up 8%`, `increased by $2 billion`, `an increase of 6%`, `60% higher`, `a 14% increase`), never a level
//! (`from $6 billion to $8 billion` in a market's growth: both NULL, even when the sentence looks ahead); `guidance`
//! when the phrase or the figure's own clause looks ahead (`our guidance of 4% to 7%`, `we expect a tax rate of 25%`;
//! not `we expect …, and that's shown in the 25% in October`, nor a verb after the figure: `86% presold with
//! completions expected in 2022`). Else NULL. For counts, the counted noun when it
//! names one (`eight deals` → deal count). A bare scaled number (`revenues increased over 6 million`) is an amount
//! of money when its subject is a measure of money, else a count.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex, RegexSet};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    Currency,
    Percent,
    BasisPoints,
    Multiple,
    Count,
}

impl MetricKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricKind::Currency => "currency",
            MetricKind::Percent => "percent",
            MetricKind::BasisPoints => "basis_points",
            MetricKind::Multiple => "multiple",
            MetricKind::Count => "count",
        }
    }
}

/// One figure found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    pub kind: MetricKind,
    pub value: f64,
    /// Upper end of a range; `None` for a single figure.
    pub value_high: Option<f64>,
    /// Currency code (`USD`), `%`, `bps`, `x`, or the counted noun for counts.
    pub unit: Option<String>,
    pub subject: Option<String>,
    /// The exact text of the figure.
    pub text: String,
    /// Character (not byte) offsets of the span in the text.
    pub start: usize,
    pub end: usize,
}

const NUM: &str = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?";
const SCALE: &str = r"(?:\s?(?:thousand|million|billion|trillion)(?-u:\b)|(?:mn|bn|[mbk])(?-u:\b))";
const CUR: &str = r"(?:US\$|C\$|A\$|\$|€|£|¥|(?-u:\b)(?:USD|EUR|GBP|JPY|CAD|AUD|CHF)\s?)";

static CURRENCY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:(?P<between>between\s+)?)(?P<cur>{CUR})(?P<n1>{NUM})(?P<s1>{SCALE})?(?:\s*(?:to|-|–|—|and)\s*(?:(?:a|minus|negative)\s+)?(?P<cur2>{CUR})?(?P<n2>{NUM})(?P<s2>{SCALE})?)?"
    ))
    .expect("valid regex")
});
static CENTS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?-u:\b)(?P<n1>{NUM})\s?cents?(?-u:\b)")).expect("valid regex"));
static WORD_CURRENCY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?P<n1>{NUM})(?P<s1>\s(?:thousand|million|billion|trillion))?\s(?P<word>dollars|euros|pounds|yen)(?-u:\b)"
    ))
    .expect("valid regex")
});
static BPS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?P<between>between\s+)?(?-u:\b)(?P<n1>{NUM})(?:\s*(?:to|-|–|and)\s*(?P<n2>{NUM}))?\s?(?:basis[\s-]points?|bps|bp)(?-u:\b)"
    ))
    .expect("valid regex")
});
static PERCENT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?P<between>between\s+)?(?P<n1>{NUM})(?P<u1>\s?(?:%|percent(?-u:\b)|per\scent(?-u:\b)))?(?:\s*(?:to|-|–|and)\s*(?:plus\s+)?(?P<n2>{NUM}))?\s?(?:%|percent(?-u:\b)|per\scent(?-u:\b))"
    ))
    .expect("valid regex")
});
static MULTIPLE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?P<n1>{NUM})(?:x|\s?times\s(?:(?:our|the|its|adjusted|net|annual)\s)?(?:ebitda|earnings|revenue|sales|leverage|coverage|book|debt|equity))(?-u:\b)"
    ))
    .expect("valid regex")
});
static COUNT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?P<n1>{NUM})(?P<s1>\s(?:thousand|million|billion))?(?P<words>(?:\s+[a-z][a-z\-]+){{1,3}})(?-u:\b)"
    ))
    .expect("valid regex")
});
/// The rest of a range after a figure: "28%" then " to 29%".
static RANGE_TAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\s*(?:to|-|–)\s*(?P<n>{NUM})(?P<unit>\s?%|\s?percent(?-u:\b)|\s?per\scent(?-u:\b)|\s?basis[\s-]points?(?-u:\b)|\s?bps?(?-u:\b))"
    ))
    .expect("valid regex")
});
/// The low end of a range said without the high end's unit, right before a figure ("200 to $225 million", "57 to 59
/// cents", "between 395 million and 396 million shares"): the figure's own unit and scale are the low end's too.
static BARE_LOW_END_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:(?P<between>between)\s+)?(?-u:\b)(?P<n>{NUM})(?P<s>{SCALE})?\s*(?P<connector>to|-|–|and)\s*(?:a\s+)?$"
    ))
    .expect("valid regex")
});
/// A third figure after a pair ("5%, 6% and 7%"): a list, not a range.
static LIST_GOES_ON_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s*,\s*|\s+(?:and|or)\s+)(?:(?:minus|plus)\s+)?[$€£]?[0-9]").expect("valid regex")
});
/// Two figures said as the ends of a range without `to` ("that 22%, 23% range", "around minus $3 million or minus
/// $4 million"): what stands between them.
static SPOKEN_RANGE_GAP_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:,\s*|\s+or\s+)(?:minus\s+)?$").expect("valid regex"));
/// A number scaled by a word, with nothing else to say what it is ("over 6 million,").
static SCALED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?-u:\b)(?P<n1>{NUM})\s(?P<s1>thousand|million|billion|trillion)(?-u:\b)"))
        .expect("valid regex")
});
/// A unit right after a number (`%`, `percent`, `basis points`, `x`): the number is that unit's figure.
static OTHER_UNIT_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s?(?:%|percent(?-u:\b)|per\scent(?-u:\b)|basis[\s-]points?|bps(?-u:\b)|x(?-u:\b))")
        .expect("valid regex")
});
/// Spans that contain digits but are never figures: phone numbers, form names, clock times, products.
static NOT_FIGURES_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \+?[0-9]{1,3}[-.\s][0-9]{3}[-.\s][0-9]{3}[-.\s][0-9]{4}(?-u:\b) | \([0-9]{3}\)\s?[0-9]{3}-[0-9]{4}(?-u:\b) | (?-u:\b)[0-9]{3}-[0-9]{3}-[0-9]{4}(?-u:\b)   # phones
        | (?-u:\b)[0-9]{1,2}-[KQ](?-u:\b) | (?-u:\b)Form\s+[0-9]+(?-u:\b)                                                             # 10-K, 8-K
        | (?-u:\b)[0-9]{1,2}:[0-9]{2}(?:\s?[ap]\.?m\.?)? | (?-u:\b)[0-9]{1,2}\s?[ap]\.m\.                                     # times
        | (?-u:\b)(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+[0-9]{1,2}(?:st|nd|rd|th)?(?:$|[^0-9.]|\.$|\.[^0-9])  # dates (June 1, not June 1.8x)
        | (?-u:\b)[0-9]+(?:st|nd|rd|th)(?-u:\b)                                                                          # ordinals
        | (?-u:\b)(?:No\.|number|\#|Q|H|FY|Phase|Tier|Gen|Item|Note|page|slide|Section|Chapter)\s?[0-9]+(?-u:\b)           # labels
        | [0-9]+/[0-9]+ | (?-u:\b)(?-i:[A-Z]+)-[0-9]+(?-u:\b) | (?-u:\b)[0-9]+(?:[a-wyzA-WYZ]|[xX][A-Za-z])[A-Za-z]*[0-9]*(?-u:\b)                                                  # 24/7, COVID-19, 5G, 3D
        ",
    )
    .expect("valid regex")
});

/// Plurals that do not end in s.
const IRREGULAR_PLURALS: &[&str] = &["people", "feet", "children", "men", "women", "staff"];

/// Durations: a number of them is not a business figure (`12 months`, `32 million hours`).
const DURATIONS: &[&str] =
    &["days", "day", "weeks", "week", "months", "month", "years", "year", "hours", "hour", "minutes", "minute"];

/// Durations and other nouns a bare number counts but that are not business figures.
const NOT_COUNTED: &[&str] = &[
    "days",
    "day",
    "weeks",
    "week",
    "months",
    "month",
    "years",
    "year",
    "quarters",
    "quarter",
    "hours",
    "hour",
    "minutes",
    "minute",
    "seconds",
    "times",
    "percent",
    "basis",
    "and",
    "or",
    "to",
    "of",
    "the",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "by",
    "as",
    "is",
    "are",
    "was",
    "were",
    "that",
    "this",
    "we",
    "our",
    "you",
    "it",
    "be",
    "has",
    "have",
    "had",
    "will",
    "would",
    "a.m",
    "p.m",
    "am",
    "pm",
    "versus",
    "vs",
    "so",
    "but",
    "if",
    "than",
    "per",
    "basically",
    "just",
    "about",
    "over",
    "under",
    "into",
    "out",
    "up",
    "down",
    "or",
    "through",
    "until",
];

struct SubjectRule {
    subject: &'static str,
    re: Regex,
    /// Only used when nothing more specific is named.
    fallback: bool,
}

/// The subject rules, and all of them as one set: a sentence is scanned once to learn which rules name something
/// in it, and only those are searched for where.
static SUBJECTS: LazyLock<(Vec<SubjectRule>, RegexSet)> = LazyLock::new(|| {
    let rules = subject_rules();
    let set = RegexSet::new(rules.iter().map(|r| r.re.as_str())).expect("valid regexes");
    (rules, set)
});

fn subject_rules() -> Vec<SubjectRule> {
    let rule = |subject, pattern: &str, fallback| SubjectRule {
        subject,
        re: Regex::new(&format!(r"(?i)(?-u:\b)(?:{pattern})(?-u:\b)")).expect("valid regex"),
        fallback,
    };
    vec![
        rule("free cash flow", r"free[\s-]cash[\s-]flows?|FCF", false),
        rule(
            "operating cash flow",
            r"operating cash flows?|cash flows? from operati(?:ons|ng activities)|cash (?:generated |provided )?(?:by|from) operati(?:ons|ng activities)",
            false,
        ),
        rule("gross margin", r"gross margins?|gross profit margins?", false),
        rule("operating margin", r"operating margins?|EBIT margins?", false),
        rule("EBITDA margin", r"(?:adjusted\s)?EBITDA margins?", false),
        rule("EBITDA", r"(?:adjusted\s)?EBITDA", false),
        rule(
            "EPS",
            r"EPS|earnings per (?:(?:fully\s)?diluted\s|basic\s)?(?:common\s)?share|per (?:(?:fully\s)?diluted\s|basic\s)?(?:common\s)?share",
            false,
        ),
        rule("net income", r"net income|net earnings|net loss|net profit", false),
        rule("operating income", r"operating income|operating profit|operating loss|operating earnings", false),
        rule("ARR", r"ARR|annual recurring revenues?", false),
        rule("gross profit", r"gross profit", false),
        rule("revenue", r"revenues?|net sales|sales|top[\s-]line|(?:written |earned |net )?premiums?", false),
        rule("capex", r"capital expenditures?|capex", false),
        rule("dividend", r"dividends?", false),
        rule("buyback", r"repurchas(?:e|ed|es|ing)|buybacks?|bought back", false),
        rule("debt", r"debt|leverage|borrowings?", false),
        rule("backlog", r"backlog", false),
        rule("bookings", r"bookings|orders|order intake", false),
        rule("ACV", r"ACV|annual contract values?", false),
        rule("cash", r"cash(?: and (?:cash )?equivalents)?", false),
        rule("guidance", r"guidance|outlook|guide|expect(?:s|ed|ing)?|forecast|anticipate", true),
        rule("growth", r"growth|grew|grow(?:s|ing)?|increas(?:e|ed|es|ing)|declin(?:e|ed|es|ing)|up|down", true),
    ]
}

/// Counted nouns that name a subject on their own.
fn subject_of_noun(noun: &str) -> Option<&'static str> {
    Some(match noun.trim_end_matches('s') {
        "deal" | "contract" | "win" => "deal count",
        "customer" | "client" | "logo" | "account" => "customer count",
        "employee" | "people" | "headcount" | "associate" => "headcount",
        "store" | "location" | "restaurant" | "branche" | "branch" | "site" => "store count",
        "subscriber" | "member" | "user" => "user count",
        "share" => "shares",
        // Units of physical output: "417,000 tons", "2 million barrels".
        "unit" | "ton" | "tonne" | "barrel" | "ounce" | "gallon" => "units",
        _ => return None,
    })
}

/// A bare four-digit number that reads as a year (`2019`).
fn is_year(raw: &str) -> bool {
    raw.len() == 4 && (raw.starts_with("19") || raw.starts_with("20")) && raw.bytes().all(|b| b.is_ascii_digit())
}

fn number(s: &str) -> Option<f64> {
    s.replace(',', "").parse().ok()
}

fn scale(s: Option<&str>) -> f64 {
    match s.map(|x| x.trim().to_lowercase()).as_deref() {
        Some("thousand" | "k") => 1e3,
        Some("million" | "m" | "mn") => 1e6,
        Some("billion" | "b" | "bn") => 1e9,
        Some("trillion") => 1e12,
        _ => 1.0,
    }
}

fn currency_code(symbol: &str) -> &'static str {
    match symbol.trim() {
        "$" | "US$" | "USD" => "USD",
        "C$" | "CAD" => "CAD",
        "A$" | "AUD" => "AUD",
        "€" | "EUR" => "EUR",
        "£" | "GBP" => "GBP",
        "¥" | "JPY" => "JPY",
        "CHF" => "CHF",
        _ => "USD",
    }
}

/// True when an `X to Y` pair is a change, not a range: `from` (or `by`, the size of a change: "cut by $5 million to
/// $26 million") stands before its first figure, perhaps with a hedge ("from approximately 25% to 75%"). Not when
/// the words speak of a range ("anywhere from 70% to 90%", "anywhere down from …", "ranging from …"), nor when the
/// pair is itself followed by `to`, at once or after a few words of its own clause ("from 2% to 4% to 4% to 6%",
/// "from 80% to 85% of capacity to 100%": a range moved to another figure). Looks only at the few words around the
/// pair, so it costs the same wherever the figure is in the text.
fn is_change(text: &str, start: usize, end: usize) -> bool {
    const HEDGES: &[&str] = &["approximately", "about", "roughly", "around", "nearly", "almost", "just", "some"];
    const RANGE_WORDS: &[&str] = &["anywhere", "range", "ranging", "ranges", "ranged", "vary", "varies", "varying"];
    let window = &text[floor_char_boundary(text, start.saturating_sub(80))..start];
    let mut words = window.split_whitespace().rev().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    let mut word = words.next().unwrap_or("");
    while HEDGES.iter().any(|h| word.eq_ignore_ascii_case(h)) {
        word = words.next().unwrap_or("");
    }
    let from = word.eq_ignore_ascii_case("from");
    if !(from || word.eq_ignore_ascii_case("by")) {
        return false;
    }
    if from && words.take(2).any(|w| RANGE_WORDS.iter().any(|r| w.eq_ignore_ascii_case(r))) {
        return false;
    }
    let after = text[end..floor_char_boundary(text, end + 12)].trim_start_matches([' ', ',']).to_ascii_lowercase();
    if after.starts_with("to ") || after.starts_with("up to ") || after.starts_with("down to ") {
        return false;
    }
    // "from 80% to 85% of capacity to 100%": the words up to the next number stay in the clause and end in `to`.
    let rest = &text[end..floor_char_boundary(text, end + 48)];
    let Some(digit) = rest.find(|c: char| c.is_ascii_digit()) else {
        return true;
    };
    let lead = rest[..digit].trim_end_matches(['$', '€', '£', ' ']);
    let last_word = lead.rsplit(' ').next().unwrap_or("");
    !last_word.eq_ignore_ascii_case("to") || lead.contains([',', ';', ':', '.', '?', '!'])
}

/// Byte spans already read as figures or fenced off as never figures. The spans never overlap, so the one that
/// starts last before a span's end is the only one that can overlap it: each check is a map lookup, which keeps
/// extraction linear in the text however many figures it holds.
#[derive(Default)]
struct Claimed(BTreeMap<usize, usize>);

impl Claimed {
    fn is_free(&self, start: usize, end: usize) -> bool {
        self.0.range(..end).next_back().is_none_or(|(_, &claimed_end)| claimed_end <= start)
    }

    fn claim(&mut self, start: usize, end: usize) {
        self.0.insert(start, end);
    }
}

/// Converts ascending byte offsets into character offsets, counting each stretch of text once.
struct CharOffsets<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl CharOffsets<'_> {
    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            return self.text[..byte].chars().count();
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// A figure before its subject is settled: byte span, kind, value, upper value, unit, and the subject its counted
/// noun names (`Some("")` for a count whose noun names none).
type Candidate = (usize, usize, MetricKind, f64, Option<f64>, Option<String>, Option<&'static str>);

/// Compiles the figure patterns now rather than at the first figure: an import calls this on a spare thread when
/// its first file needs parsing, so the parser does not pay for it on the critical path.
pub fn compile_patterns() {
    for re in [
        &CURRENCY_RE,
        &CENTS_RE,
        &WORD_CURRENCY_RE,
        &BPS_RE,
        &PERCENT_RE,
        &MULTIPLE_RE,
        &COUNT_RE,
        &NOT_FIGURES_RE,
        &SCALED_RE,
        &BARE_LOW_END_RE,
    ] {
        LazyLock::force(re);
    }
    LazyLock::force(&SUBJECTS);
}

/// Every figure in `text`, in order of appearance.
pub fn extract(text: &str) -> Vec<Metric> {
    let paragraphs = paragraphs_with_digits(text);
    if paragraphs.is_empty() {
        return Vec::new();
    }
    let captures = |re: &'static Regex| captures_in(re, text, &paragraphs);
    // Amounts with a currency sign are unambiguous and go first; then the spans that are never figures are fenced
    // off before the looser patterns run.
    let mut claimed = Claimed::default();
    let mut found: Vec<Candidate> = Vec::new();

    for c in captures(&CURRENCY_RE) {
        let whole = c.get(0).expect("match");
        let n1 = c.name("n1").expect("n1");
        let (s1, s2) = (c.name("s1").map(|m| m.as_str()), c.name("s2").map(|m| m.as_str()));
        // "$68.8 million and 43.9% of revenue": a second number with a unit of its own is not this amount's.
        let unit_after = |at: usize| OTHER_UNIT_AFTER_RE.is_match(&text[at..floor_char_boundary(text, at + 24)]);
        let n2 = c.name("n2").filter(|_| c.name("cur2").is_some() || !unit_after(whole.end()));
        let whole_end = if n2.is_some() { whole.end() } else { c.name("s1").map_or(n1.end(), |m| m.end()) };
        let (mut start, mut end) = (c.name("cur").map_or(n1.start(), |m| m.start()), whole_end);
        let mut high = None;
        let connector_is_and = n2.is_some_and(|n2| text[n1.end()..n2.start()].contains("and"));
        let range_ok =
            n2.is_some() && (!connector_is_and || c.name("between").is_some()) && !is_change(text, start, whole_end);
        let mut low = number(n1.as_str()).unwrap_or(0.0);
        if let (true, Some(n2)) = (range_ok, n2) {
            let hi = number(n2.as_str()).unwrap_or(0.0) * scale(s2.or(s1));
            low *= scale(s1.or(s2));
            high = Some(hi);
            if let Some(between) = c.name("between") {
                start = between.start();
            }
        } else {
            low *= scale(s1);
            end = c.name("s1").map_or(n1.end(), |m| m.end());
            // "from $5 million to $10 million", "$5 million and $7 million": the second is a figure of its own.
            if let Some(n2) = n2 {
                let (s2_start, s2_end) = (c.name("cur2").map_or(n2.start(), |m| m.start()), whole_end);
                if claimed.is_free(s2_start, s2_end) {
                    let code = currency_code(c.name("cur2").or(c.name("cur")).map_or("$", |m| m.as_str()));
                    let v = number(n2.as_str()).unwrap_or(0.0) * scale(s2);
                    found.push((s2_start, s2_end, MetricKind::Currency, v, None, Some(code.to_string()), None));
                    claimed.claim(s2_start, s2_end);
                }
            }
        }
        if n2.is_none() {
            if let Some((low_start, low_value)) = bare_low_end(text, start, end, low, scale(s1), 1.0) {
                (start, high, low) = (low_start, Some(low), low_value);
            }
        }
        if claimed.is_free(start, end) {
            let code = currency_code(c.name("cur").map_or("$", |m| m.as_str()));
            found.push((start, end, MetricKind::Currency, low, high, Some(code.to_string()), None));
            claimed.claim(start, end);
        }
    }
    let fences: Vec<(usize, usize)> = captures(&NOT_FIGURES_RE)
        .map(|c| c.get(0).expect("match").range())
        .filter(|r| claimed.is_free(r.start, r.end))
        .map(|r| (r.start, r.end))
        .collect();
    for (a, b) in fences {
        claimed.claim(a, b);
    }
    for c in captures(&CENTS_RE) {
        let m = c.get(0).expect("match");
        let v = number(&c["n1"]).unwrap_or(0.0) / 100.0;
        // "57 to 59 cents": one range.
        let (start, low, high) = match bare_low_end(text, m.start(), m.end(), v, 1.0, 100.0) {
            Some((low_start, low)) => (low_start, low, Some(v)),
            None => (m.start(), v, None),
        };
        if claimed.is_free(start, m.end()) {
            found.push((start, m.end(), MetricKind::Currency, low, high, Some("USD".into()), None));
            claimed.claim(start, m.end());
        }
    }
    for c in captures(&WORD_CURRENCY_RE) {
        let m = c.get(0).expect("match");
        if claimed.is_free(m.start(), m.end()) {
            let v = number(&c["n1"]).unwrap_or(0.0) * scale(c.name("s1").map(|x| x.as_str()));
            let code = match c["word"].to_lowercase().as_str() {
                "euros" => "EUR",
                "pounds" => "GBP",
                "yen" => "JPY",
                _ => "USD",
            };
            found.push((m.start(), m.end(), MetricKind::Currency, v, None, Some(code.into()), None));
            claimed.claim(m.start(), m.end());
        }
    }
    for (re, kind, unit) in [(&*BPS_RE, MetricKind::BasisPoints, "bps"), (&*PERCENT_RE, MetricKind::Percent, "%")] {
        for c in captures(re) {
            let m = c.get(0).expect("match");
            let between = c.name("between");
            let mut start = c.name("n1").expect("n1").start();
            let low = number(&c["n1"]).unwrap_or(0.0);
            let mut high = c.name("n2").and_then(|n| number(n.as_str()));
            if high.is_some() {
                let n1 = c.name("n1").expect("n1");
                let second = c.name("n2").expect("n2").start();
                // "from 68% in 2018 to 68.4%": a year is never the low end of a range.
                if c.name("u1").is_none() && is_year(n1.as_str()) {
                    if claimed.is_free(second, m.end()) {
                        found.push((second, m.end(), kind, high.unwrap_or(0.0), None, Some(unit.into()), None));
                        claimed.claim(second, m.end());
                    }
                    continue;
                }
                let connector = &text[n1.end()..second];
                if (connector.contains("and") && between.is_none()) || is_change(text, start, m.end()) {
                    // Two figures, not a range: "12% and 15%", "from 10% to 12%" (a change). Each is a figure of
                    // its own; the first spans its own unit when written ("12% and"), else its number ("12 and 15%").
                    let n1_end = c.name("u1").map_or(n1.end(), |u| u.end());
                    let second_value = high.take().unwrap_or(0.0);
                    // "23% and 28% to 29%": the second of a pair can be a range of its own.
                    let tail =
                        RANGE_TAIL_RE.captures(&text[m.end()..]).filter(|_| connector.contains("and")).filter(|t| {
                            t["unit"].trim_start().starts_with(['b', 'B']) == (kind == MetricKind::BasisPoints)
                        });
                    let (second_end, second_high) = match &tail {
                        Some(t) => (m.end() + t.get(0).expect("match").end(), number(&t["n"])),
                        None => (m.end(), None),
                    };
                    for (a, b, v, h) in [(start, n1_end, low, None), (second, second_end, second_value, second_high)] {
                        if claimed.is_free(a, b) {
                            found.push((a, b, kind, v, h, Some(unit.into()), None));
                            claimed.claim(a, b);
                        }
                    }
                    continue;
                }
                if let Some(b) = between {
                    start = b.start();
                }
            }
            if claimed.is_free(start, m.end()) {
                found.push((start, m.end(), kind, low, high, Some(unit.into()), None));
                claimed.claim(start, m.end());
            }
        }
    }
    for c in captures(&MULTIPLE_RE) {
        let m = c.get(0).expect("match");
        if claimed.is_free(m.start(), m.end()) {
            let end = c.name("n1").expect("n1").end()
                + usize::from(text[c.name("n1").expect("n1").end()..].starts_with(['x', 'X']));
            let end = if end > c.name("n1").expect("n1").end() { end } else { m.end() };
            found.push((
                m.start(),
                end,
                MetricKind::Multiple,
                number(&c["n1"]).unwrap_or(0.0),
                None,
                Some("x".into()),
                None,
            ));
            claimed.claim(m.start(), m.end());
        }
    }
    for c in captures(&COUNT_RE) {
        let n1 = c.name("n1").expect("n1");
        let words: Vec<&str> = c["words"].split_whitespace().collect();
        // The counted noun: counts are plural, so the first plural word of the next three ("12 new enterprise
        // customers" → customers), else the first word ("1 customer").
        let Some(noun) = words
            .iter()
            .take_while(|w| !NOT_COUNTED.contains(w))
            .find(|w| {
                (w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is"))
                    || IRREGULAR_PLURALS.contains(w)
            })
            .map(|w| w.to_string())
        else {
            continue;
        };
        let first_word = words[0];
        // A count is a whole number ("12 customers"), or a scaled one ("1.5 million subscribers").
        if n1.as_str().contains('.') && c.name("s1").is_none() {
            continue;
        }
        let raw = n1.as_str();
        let year_like = !raw.contains([',', '.']) && raw.len() == 4 && (raw.starts_with("19") || raw.starts_with("20"));
        let list_number = text[..n1.start()].trim_end().is_empty() && text[n1.end()..].starts_with(['.', ')']);
        let preceded_by_symbol = text[..n1.start()].ends_with(['$', '€', '£', '¥', '#', '-', '.', '/', '(']);
        if year_like || list_number || preceded_by_symbol || NOT_COUNTED.contains(&first_word) {
            continue;
        }
        let span_end = c.name("s1").map_or(n1.end(), |m| m.end());
        let own_scale = scale(c.name("s1").map(|x| x.as_str()));
        let value = number(raw).unwrap_or(0.0) * own_scale;
        // "between 395 million and 396 million shares": one range.
        let (start, low, high) = match bare_low_end(text, n1.start(), span_end, value, own_scale, 1.0) {
            Some((low_start, low)) => (low_start, low, Some(value)),
            None => (n1.start(), value, None),
        };
        if !claimed.is_free(start, span_end) {
            continue;
        }
        // A count's subject is what it counts, never a quantity named elsewhere in the sentence.
        let subject = subject_of_noun(&noun).or(Some(""));
        found.push((start, span_end, MetricKind::Count, low, high, Some(noun.clone()), subject));
        claimed.claim(start, span_end);
    }

    // "revenues increased over 6 million", "views hit 1.1 billion": a scaled number with neither a currency sign nor
    // a counted noun is still a figure; what it measures tells money from a count (below).
    for c in captures(&SCALED_RE) {
        let m = c.get(0).expect("match");
        let next_word = text[m.end()..].split_whitespace().next().unwrap_or("");
        let duration = DURATIONS.iter().any(|w| next_word.eq_ignore_ascii_case(w));
        let preceded_by_symbol = text[..m.start()].ends_with(['$', '€', '£', '¥', '#', '-', '.', '/', '(']);
        if duration || preceded_by_symbol || !claimed.is_free(m.start(), m.end()) {
            continue;
        }
        let value = number(&c["n1"]).unwrap_or(0.0) * scale(Some(&c["s1"]));
        found.push((m.start(), m.end(), MetricKind::Count, value, None, None, None));
        claimed.claim(m.start(), m.end());
    }

    found.sort_by_key(|f| f.0);
    join_spoken_ranges(text, &mut found);
    let mut offsets = CharOffsets { text, byte: 0, chars: 0 };
    // Where each figure's pair or list ends ("9% and 3% unfavorable"): figures of one kind joined by `and`, `or`, commas.
    let mut group_end: Vec<usize> = found.iter().map(|f| f.1).collect();
    for i in (0..found.len().saturating_sub(1)).rev() {
        if found[i].2 == found[i + 1].2 && GROUP_JOIN_RE.is_match(&text[found[i].1..found[i + 1].0]) {
            group_end[i] = group_end[i + 1];
        }
    }
    // The previous figure's end and what it measured: a measure, or (`None`) a thing that is no measure.
    let mut previous: Option<(usize, Option<&'static str>)> = None;
    let mut subjects: Vec<Option<String>> = Vec::with_capacity(found.len());
    // What each figure's own clause says it measures (`Some(None)`: a thing that is no measure), and whether it is
    // the size of a change: `respectively` reads them.
    let mut owned: Vec<Option<Option<&'static str>>> = Vec::with_capacity(found.len());
    let mut changes: Vec<bool> = Vec::with_capacity(found.len());
    // Whether the previous figure was the size of a change, and the end of its pair or list.
    let mut previous_change: Option<usize> = None;
    // Whether the previous figure was the `from` end of `from X to Y`, or compared with the first of a pair.
    let mut previous_from = false;
    let mut previous_compared = false;
    // The measure each figure measured.
    let mut measured: Vec<Option<&'static str>> = Vec::with_capacity(found.len());
    let (mut named, mut named_for) = (Vec::new(), (0, 0));
    for (i, &(start, end, kind, value, high, _, noun_subject)) in found.iter().enumerate() {
        if let Some(noun_subject) = noun_subject {
            // A count's subject is what it counts, never a quantity named elsewhere in the sentence.
            subjects.push(Some(noun_subject).filter(|s| !s.is_empty()).map(str::to_string));
            owned.push(None);
            changes.push(false);
            measured.push(None);
            previous = None;
            previous_from = false;
            previous_compared = false;
            continue;
        }
        let (s, e) = sentence_around(text, start, end);
        let sentence = &text[s..e];
        // Figures of one sentence share what it names: read once.
        if named_for != (s, e) {
            named_for = (s, e);
            named.clear();
            named_in(sentence, &mut named);
        }
        let figure = (start - s, end - s, high.is_some());
        let after_previous = i > 0 && found[i - 1].1 > s && found[i - 1].1 <= start;
        let lo = if after_previous { found[i - 1].1 - s } else { 0 };
        let r = owner_of(sentence, figure, lo, group_end[i].min(e) - s, kind, &named);
        let figure = (figure.0, figure.1);
        // The previous figure, when it is the one right before this in the sentence and measured something.
        let prev = previous.filter(|&(prev_end, _)| after_previous && prev_end == found[i - 1].1);
        // "at plus 15%, Europe at 14%", "a 61.3% increase on a reported basis, and a 56.9% increase": an item said
        // the same way as the one before it measures the same.
        let parallel = after_previous && is_parallel(text, (found[i - 1].0, found[i - 1].1), (start, end));
        // "250 basis points of lower promotional activity, …, 150 basis points of lower occupancy expense and 200
        // basis points of channel mix": the items of a list that breaks a change down are changes.
        let list_item = after_previous && found[i - 1].2 == kind && is_list_item(text, found[i - 1].1, (start, end));
        // "up 10%, 20% and 30%": the members of a list after a change are changes too.
        // "an increase of $9.2 billion or 11%": the same change said twice.
        let restated = i > 0 && OR_RE.is_match(&text[found[i - 1].1..start]);
        let change = r.change
            || previous_change == Some(group_end[i])
            || ((restated || parallel || list_item) && previous_change.is_some());
        previous_change = Some(group_end[i]).filter(|_| change);
        // The ends of `from X to Y` are levels: the sentence looking ahead does not make them guidance.
        let from_to_end = r.from || (previous_from && after_previous && text[found[i - 1].1..start].trim() == "to");
        previous_from = r.from;
        // "23.2% of sales, up from 21%": the measure a percentage is a ratio to does not break the chain, nor does
        // the unit of an amount per share ("$0.94 per share compared with $0.54").
        let gap_start = match prev {
            Some((prev_end, _)) => named
                .iter()
                .filter(|n| !n.3 && n.0 + s >= prev_end && n.1 + s <= start)
                .find(|n| {
                    let between = &text[prev_end..n.0 + s];
                    (found[i - 1].2 == MetricKind::Percent && DENOMINATOR_RE.is_match(between))
                        || (between.trim().is_empty() && sentence[n.0..].starts_with("per "))
                })
                .map_or(prev_end, |n| n.1 + s),
            None => start,
        };
        // "$125.3 million or $0.81 per share compared to $22.5 million or $0.14 per share": a figure compared with
        // a pair is compared with the pair's first, and the one that restates it with the pair's second.
        let pair_before = i >= 2 && found[i - 2].1 > s && found[i - 2].2 == kind;
        let compared = pair_before
            && ((OR_RE.is_match(&text[found[i - 2].1..found[i - 1].0])
                && COMPARED_RE.is_match(&text[found[i - 1].1..start]))
                || (restated && previous_compared));
        previous_compared = compared && !restated;
        let prev = match measured.get(i.wrapping_sub(2)).copied().flatten() {
            Some(m) if compared => Some((found[i - 2].1, Some(m))),
            _ => prev,
        };
        let chained = prev.filter(|_| parallel || compared || continues_figure(&text[gap_start..start]));
        let ahead = !from_to_end;
        let fallback = || fallback_subject(sentence, figure, change, ahead, &named);
        let (mut subject, carried) = match (r.owner, chained) {
            (Owner::Measure(m), _) => (Some(m), Some(Some(m))),
            (Owner::Guidance, _) => (Some("guidance"), None),
            (Owner::Other, _) | (Owner::Unknown, Some((_, None))) => (fallback(), Some(None)),
            (Owner::Unknown, Some((_, Some(m)))) => {
                // "EBITDA was $970 million or 14.9% of sales": a profit's share of sales is its margin; "… or 11.1%
                // of revenue, compared to $51.2 million": an amount continuing a margin is the profit.
                let m = match kind {
                    MetricKind::Percent if r.ratio_of == Some("revenue") => margin_of(m).unwrap_or(m),
                    _ => m,
                };
                (Some(m), Some(Some(m)))
            }
            // "revenue rose 37%, … as well as a 1.1% positive contribution from currency": a contribution to a
            // change is one to the measure the sentence said changed before it; when it named several ("sales and
            // operating income grew 16% and 14%, both of which include a 3% favorable impact"), to none of them.
            (Owner::Unknown, None) if r.contribution && named.iter().any(|n| !n.3 && n.1 <= figure.0) => {
                let mut before = named.iter().filter(|n| !n.3 && n.1 <= figure.0).map(|n| n.2);
                let first = before.next();
                match first.filter(|&m| before.all(|x| x == m)) {
                    Some(m) => (Some(m), Some(Some(m))),
                    None => (fallback(), Some(None)),
                }
            }
            (Owner::Unknown, None) => {
                // ", and returned $6 billion": the object of a verb of its own is nothing another clause names.
                // Only a measure named after it, in its own predicate, can say what it is ("and implemented a $300
                // million share repurchase program").
                let named_after: Vec<Named>;
                let candidates = if r.own_predicate {
                    let own = |n: &&Named| n.0 >= figure.1 && !sentence[figure.1..n.0].contains([',', ';']);
                    named_after = named.iter().filter(own).copied().collect();
                    &named_after
                } else {
                    &named
                };
                let nearest = nearest_subject(sentence, figure, kind, change, ahead, candidates);
                let subject = nearest.or_else(fallback);
                (subject, subject.filter(|s| is_measure(s)).map(Some))
            }
        };
        // "a $0.03 gain", "a $0.01 headwind", "integration costs of $0.03": an amount in cents that no measure
        // claims is per share, unless it is a price, cost or rate, which are counted per unit.
        if kind == MetricKind::Currency
            && (r.owner == Owner::Unknown || (r.owner == Owner::Other && (!r.priced || r.contribution)))
            && !matches!(chained, Some((_, None)))
            && subject.is_none_or(|s| !is_measure(s))
            && is_per_share_sized(text, start, end, value, high)
        {
            subject = Some("EPS");
        }
        // "gross margin was $70 million": an amount of a margin is the profit.
        if kind == MetricKind::Currency {
            subject = subject.map(|m| profit_of(m).unwrap_or(m));
        }
        owned.push(match r.owner {
            Owner::Measure(m) => Some(Some(m)),
            Owner::Other => Some(None),
            _ => None,
        });
        changes.push(change);
        measured.push(subject.filter(|m| is_measure(m)));
        previous = carried.map(|c| (end, c));
        subjects.push(subject.map(str::to_string));
    }
    let spans: Vec<(usize, usize, bool)> = found.iter().map(|f| (f.0, f.1, f.6.is_none())).collect();
    assign_respectively(text, &spans, (&owned, &changes), &mut subjects);
    found
        .into_iter()
        .zip(subjects)
        .map(|((start, end, mut kind, value, value_high, mut unit, _), subject)| {
            // A bare scaled number is money when what it measures is (revenue, EBITDA), else a count.
            if kind == MetricKind::Count && unit.is_none() && subject.as_deref().is_some_and(is_money) {
                (kind, unit) = (MetricKind::Currency, Some("USD".to_string()));
            }
            (start, end, kind, value, value_high, unit, subject)
        })
        .map(|(start, end, kind, value, value_high, unit, subject)| Metric {
            kind,
            value,
            value_high,
            unit,
            subject,
            text: text[start..end].to_string(),
            start: offsets.at(start),
            end: offsets.at(end),
        })
        .collect()
}

/// The low end of a range said before a figure without its unit ("200 to $225 million", "57 to 59 cents", "between 395
/// million and 396 million shares"): where it starts and its value, in the figure's unit and, unless it names its
/// own, the figure's scale (`own_scale`; `divisor` turns cents into dollars). Only when the two make a range: not a
/// year, below the figure and not far below it, `and` only after `between`, and not the two ends of a change
/// (`from 200 to $225 million`).
fn bare_low_end(text: &str, start: usize, end: usize, high: f64, own_scale: f64, divisor: f64) -> Option<(usize, f64)> {
    let from = floor_char_boundary(text, start.saturating_sub(48));
    let c = BARE_LOW_END_RE.captures(&text[from..start])?;
    let n = c.name("n")?;
    // A window that cut a number in two does not see its start.
    let cut = n.start() == 0 && text[..from].ends_with(|ch: char| ch.is_ascii_digit() || ch == '.' || ch == ',');
    let and_without_between = c["connector"].eq_ignore_ascii_case("and") && c.name("between").is_none();
    if cut || and_without_between || is_year(n.as_str()) {
        return None;
    }
    let low = number(n.as_str())? * c.name("s").map_or(own_scale, |s| scale(Some(s.as_str()))) / divisor;
    let low_start = from + c.name("between").map_or(n.start(), |b| b.start());
    (low < high && low * 10.0 >= high && !is_change(text, low_start, end)).then_some((low_start, low))
}

/// "that 22%, 23% range", "about 6%, 6.2%", "around minus $3 million or minus $4 million": two figures of one kind and
/// unit, the second a little above the first, joined by a comma or `or`, are one range when the words say so — a
/// hedge before the first or `range` after the second — and no third figure follows, as it would in a list.
fn join_spoken_ranges(text: &str, found: &mut Vec<Candidate>) {
    const HEDGES: &[&str] = &["about", "around", "approximately", "roughly", "like"];
    let hedged = |at: usize| {
        let before = &text[floor_char_boundary(text, at.saturating_sub(40))..at];
        let mut words = before.split_whitespace().rev().skip_while(|w| w.eq_ignore_ascii_case("minus"));
        words.next().is_some_and(|w| HEDGES.iter().any(|h| w.eq_ignore_ascii_case(h)))
    };
    let said_as_range = |at: usize| {
        let after = text[at..floor_char_boundary(text, at + 12)].trim_start().to_ascii_lowercase();
        after.starts_with("range") || after.starts_with("area")
    };
    let mut i = 0;
    while i + 1 < found.len() {
        let (a, b) = (&found[i], &found[i + 1]);
        let joinable = a.2 == b.2
            && matches!(a.2, MetricKind::Percent | MetricKind::Currency | MetricKind::BasisPoints)
            && a.5 == b.5
            && a.4.is_none()
            && b.4.is_none()
            && a.3 > 0.0
            && b.3 > a.3
            && b.3 <= a.3 * 2.0
            && a.1 <= b.0
            && SPOKEN_RANGE_GAP_RE.is_match(&text[a.1..b.0])
            && (hedged(a.0) || said_as_range(b.1))
            && !LIST_GOES_ON_RE.is_match(&text[b.1..floor_char_boundary(text, b.1 + 24)]);
        if joinable {
            let (start, end, high) = (a.0, b.1, b.3);
            found[i].1 = end;
            found[i].4 = Some(high);
            found[i].0 = start;
            found.remove(i + 1);
        }
        i += 1;
    }
}

/// Byte ranges of the paragraphs (separated by a blank line) that hold a digit. Every figure holds a digit and none
/// spans a blank line, so the patterns read only these: most of a call's speech has no number in it.
fn paragraphs_with_digits(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut start = 0;
    for end in text.match_indices("\n\n").map(|(i, _)| i).chain([text.len()]) {
        if text.as_bytes()[start..end].iter().any(u8::is_ascii_digit) {
            found.push(start..end);
        }
        start = end + 2;
    }
    found
}

/// Every match of `re` inside the paragraphs, in order, with byte offsets into the whole text. Each search sees
/// the text before its paragraph, so word boundaries read exactly as in the whole text.
fn captures_in<'t>(
    re: &'static Regex,
    text: &'t str,
    paragraphs: &'t [Range<usize>],
) -> impl Iterator<Item = Captures<'t>> + 't {
    paragraphs.iter().flat_map(move |paragraph| {
        let haystack = &text[..paragraph.end];
        let mut at = paragraph.start;
        std::iter::from_fn(move || {
            if at > haystack.len() {
                return None;
            }
            let c = re.captures_at(haystack, at)?;
            let m = c.get(0).expect("match");
            // No pattern matches empty text; stepping past an empty match would only guard against an endless loop.
            at = if m.is_empty() {
                haystack[m.end()..].chars().next().map_or(m.end() + 1, |ch| m.end() + ch.len_utf8())
            } else {
                m.end()
            };
            Some(c)
        })
    })
}

/// Byte range of the sentence holding `[start, end)`, looked for no further than [`REACH_BEFORE`] bytes before and
/// [`REACH_AFTER`] bytes after the figure: a subject further away is never taken, and a text without sentence ends (one endless
/// paragraph) must not make every figure scan the whole text.
fn sentence_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let is_boundary = |i: usize| -> bool {
        // `i` is the byte index of a '.', '!' or '?'; a boundary needs whitespace then a capital after it and no
        // abbreviation or initial before it.
        let after = &text[i + 1..];
        let next = after.trim_start();
        if after.len() == next.len()
            || !next.chars().next().is_some_and(|c| c.is_uppercase() || c == '"' || c == '\u{201c}')
        {
            return false;
        }
        // The word before the mark; eight characters are enough to tell every abbreviation below from a word.
        let word: String = text[..i].chars().rev().take_while(|c| c.is_alphanumeric() || *c == '.').take(8).collect();
        !matches!(
            word.chars().rev().collect::<String>().as_str(),
            "Mr" | "Mrs"
                | "Ms"
                | "Dr"
                | "St"
                | "vs"
                | "Inc"
                | "Co"
                | "Corp"
                | "Ltd"
                | "Jr"
                | "Sr"
                | "U.S"
                | "U.K"
                | "approx"
                | "e.g"
                | "i.e"
        ) && word.chars().count() != 1
    };
    let bytes = text.as_bytes();
    let mut s = floor_char_boundary(text, start.saturating_sub(REACH_BEFORE));
    for i in (s..start).rev() {
        if matches!(bytes[i], b'.' | b'!' | b'?' | b'\n') && (bytes[i] == b'\n' || is_boundary(i)) {
            s = i + 1;
            break;
        }
    }
    let limit = floor_char_boundary(text, end.saturating_add(REACH_AFTER).min(text.len()));
    let mut e = limit;
    for (i, &b) in bytes.iter().enumerate().take(limit).skip(end) {
        if matches!(b, b'.' | b'!' | b'?' | b'\n') && (b == b'\n' || is_boundary(i)) {
            e = i;
            break;
        }
    }
    (s, e)
}

/// The largest character boundary at or before `i`.
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// How far (in bytes) before its figure a sentence is looked at: beyond [`SUBJECT_REACH`] plus the longest subject
/// name (under 32 bytes), so a word cut at the window's edge is always too far away to be taken as the subject.
const REACH_BEFORE: usize = SUBJECT_REACH + 64;
/// How far after: a subject after the figure counts twice its distance, so half the reach plus the longest name.
const REACH_AFTER: usize = SUBJECT_REACH / 2 + 64;

/// The words between a figure and a measure named right after it that make the measure a denominator.
static DENOMINATOR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:of|to)\s+(?:(?:total|net|our|the|its)\s+)*$").expect("valid regex"));
/// What follows `cash` when the words name something else: cash flow, cash costs, cash payments, cash spent or made
/// (cash investment, cash generation).
static CASH_COMPOUND_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s-]+(?:flows?|costs?|payments?|G\s?(?:and|&)\s?A|taxes|interest|basis|compensation|investments?|generation)(?-u:\b)")
        .expect("valid regex")
});

/// How far (in bytes) a subject may be from its figure.
const SUBJECT_REACH: usize = 160;

/// "Operating income and net income of $262 million and $188 million increased 237% and 258%, respectively": in a
/// sentence that says `respectively`, each group of figures joined by `and` or commas that is as long as the run of
/// measures named before it takes those measures in order. `spans` are the figures' byte spans (and whether their
/// subject may change: a count's is its noun); `subjects` are theirs, in the same order.
fn assign_respectively(
    text: &str,
    spans: &[(usize, usize, bool)],
    (owned, changes): (&[Option<Option<&'static str>>], &[bool]),
    subjects: &mut [Option<String>],
) {
    // Most speech never says it: one scan of the turn, before any sentence is looked at. (`espectively` finds
    // `Respectively` too, without lower-casing a copy.)
    if !text.contains("espectively") {
        return;
    }
    let mut named = Vec::new();
    let mut i = 0;
    while i < spans.len() {
        let (sentence_start, sentence_end) = sentence_around(text, spans[i].0, spans[i].1);
        let sentence = &text[sentence_start..sentence_end];
        let in_sentence = spans[i..].iter().take_while(|s| s.0 < sentence_end).count();
        let Some(respectively) = sentence.find("espectively").map(|at| at - 1 + sentence_start) else {
            i += in_sentence.max(1);
            continue;
        };
        // The measures the sentence names, in order, a repeated one once, one inside a longer one not at all
        // ("EBITDA" in "EBITDA margins").
        named.clear();
        named_in(sentence, &mut named);
        let mut measures: Vec<(usize, &'static str)> = named
            .iter()
            .filter(|n| !n.3)
            .filter(|n| !named.iter().any(|m| !m.3 && m.0 <= n.0 && m.1 >= n.1 && m.1 - m.0 > n.1 - n.0))
            .map(|n| (n.0 + sentence_start, n.2))
            .collect();
        measures.sort_unstable();
        measures.dedup_by(|b, a| a.1 == b.1);
        // Groups of figures joined only by `and`, `or` and commas, before `respectively`.
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for k in i..i + in_sentence {
            if spans[k].1 > respectively {
                break;
            }
            let joined = k > i && GROUP_JOIN_RE.is_match(&text[spans[k - 1].1..spans[k].0]);
            match groups.last_mut() {
                Some(group) if joined => group.push(k),
                _ => groups.push(vec![k]),
            }
        }
        for group in groups.iter().filter(|g| g.len() >= 2) {
            let before: Vec<&'static str> = measures.iter().filter(|m| m.0 < spans[group[0]].0).map(|m| m.1).collect();
            if before.len() >= group.len() {
                let named = &before[before.len() - group.len()..];
                for (&k, subject) in group.iter().zip(named) {
                    if spans[k].2 {
                        subjects[k] = Some(subject.to_string());
                    }
                }
                continue;
            }
            // "revenues were $6.3 billion and operating expenses were $3.9 billion, an increase of 63% and 65%
            // respectively": the figures said one by one before the group, each of the phrase it was said of.
            let single = |k: &usize| spans[*k].2 && !groups.iter().any(|g| g.len() >= 2 && g.contains(k));
            let earlier: Vec<usize> = (i..group[0]).filter(single).collect();
            if earlier.len() == group.len() && earlier.iter().all(|&k| owned[k].is_some()) {
                for (&k, &e) in group.iter().zip(&earlier) {
                    if spans[k].2 {
                        subjects[k] = match owned[e].flatten() {
                            Some(m) => Some(m.to_string()),
                            None => changes[k].then(|| "growth".to_string()),
                        };
                    }
                }
            }
        }
        i += in_sentence.max(1);
    }
}

/// What ends the words between a figure and one compared with it ("… per diluted share compared to $22.5 million").
static COMPARED_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:compared\s+(?:to|with)|versus|vs\.?)\s*$").expect("valid regex"));

/// What joins a figure to the same figure said another way ("$9.2 billion or 11%").
static OR_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*,?\s*or\s*$").expect("valid regex"));

/// What joins the figures of one `respectively` group: `and`, `or`, commas.
static GROUP_JOIN_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*,?\s*(?:and|or)?\s*$").expect("valid regex"));

/// A figure that follows another with only a few connecting words ("$61.9 billion, up 17%", "12% and 15%",
/// "150 basis points to 42%") measures the same thing, unless those words name another measure.
fn continues_figure(gap: &str) -> bool {
    const MAX_GAP: usize = 40;
    if gap.len() > MAX_GAP || gap.contains(['.', ';', ':', '?', '!']) || gap.split_whitespace().count() > 5 {
        return false;
    }
    let (rules, set) = &*SUBJECTS;
    // A number between them (a year, a count) breaks the chain too.
    !gap.contains(|c: char| c.is_ascii_digit()) && set.matches(gap).iter().all(|i| rules[i].fallback)
}

/// True when the measure named at `ms` is what a percentage before it is a ratio to ("30.9% of revenues", "14% of
/// total sales").
fn is_denominator(sentence: &str, ms: usize) -> bool {
    let mut words = WordsBack { text: sentence, lo: floor_char_boundary(sentence, ms.saturating_sub(48)), hi: ms }
        .skip_while(|w| is(w.text, DETERMINER) || is_in(w.text, &["total", "net"]));
    words.next().is_some_and(|w| is_in(w.text, &["of", "to"]))
        && words.next().is_some_and(|w| w.text.ends_with('%') || is_in(w.text, &["percent", "cent"]))
}

/// Whether the figure `cur` is an item said the same way as `prev` before it, so it measures the same: the same
/// preposition before both ("the U.K. at plus 23%, Europe at 14%") or the same noun after both ("a 61.3% increase on
/// a reported basis, and a 56.9% increase"), with only a comma, names and words that name nothing between them.
fn is_parallel(text: &str, prev: (usize, usize), cur: (usize, usize)) -> bool {
    let gap = &text[prev.1..cur.0];
    if gap.len() > 80
        || !gap.contains(',')
        || gap.contains(['.', ';', ':', '?', '!'])
        || gap.contains(|c: char| c.is_ascii_digit())
    {
        return false;
    }
    let after = |at: usize| {
        let hi = floor_char_boundary(text, (at + 32).min(text.len()));
        WordsFwd { text, lo: at, hi }.next().map(|w| w.text).filter(|w| is_phrase_word(w) && !is(w, HEDGE))
    };
    let before = |lo: usize, hi: usize| {
        WordsBack { text, lo, hi }
            .find(|w| !(is(w.text, HEDGE) || is_in(w.text, &["plus", "minus", "also"])))
            .map(|w| w.text)
            .filter(|w| is(w, LINK | CHAIN_PREP))
    };
    let shared = after(prev.1).filter(|w| after(cur.1).is_some_and(|x| x.eq_ignore_ascii_case(w)));
    let prev_lo = floor_char_boundary(text, prev.0.saturating_sub(32));
    let same_before =
        before(prev_lo, prev.0).is_some_and(|w| before(prev.1, cur.0).is_some_and(|x| x.eq_ignore_ascii_case(w)));
    if shared.is_none() && !same_before {
        return false;
    }
    (WordsFwd { text, lo: prev.1, hi: cur.0 }).all(|w| {
        is_mark(w.text)
            || w.text.starts_with(|c: char| c.is_uppercase())
            || is(w.text, HEDGE | DETERMINER | CHAIN_PREP | LINK | TIME | MODIFIER)
            || is_in(w.text, &["and", "or", "also"])
            || is_past_verb(w.text)
            || is_adverb(w.text)
            || shared.is_some_and(|s| s.eq_ignore_ascii_case(w.text))
    })
}

/// Whether the figure `cur` is an item of a list after the figure ending at `prev_end`: the same preposition after
/// both ("250 basis points of lower costs, 150 basis points of lower occupancy expense and 200 basis points of
/// mix"), with a comma or `and` and no number or sentence end between.
fn is_list_item(text: &str, prev_end: usize, cur: (usize, usize)) -> bool {
    let gap = &text[prev_end..cur.0];
    if gap.len() > 80 || gap.contains(['.', ';', ':', '?', '!']) || gap.contains(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let joined = gap.contains(',') || gap.trim_end().ends_with(" and");
    let after = |at: usize| {
        let hi = floor_char_boundary(text, (at + 16).min(text.len()));
        WordsFwd { text, lo: at, hi }.next().map(|w| w.text).filter(|w| is_in(w, &["of", "from", "in"]))
    };
    joined && after(prev_end).is_some_and(|w| after(cur.1).is_some_and(|x| x.eq_ignore_ascii_case(w)))
}

/// An amount the size of a per-share figure: in cents ("$0.03", "$0.44 to $0.48", "3 cents"), not a price per unit
/// ("$0.90 per ton").
fn is_per_share_sized(text: &str, start: usize, end: usize, value: f64, high: Option<f64>) -> bool {
    let written = &text[start..end];
    let cents = written.contains('.') || written.contains("cent");
    // "$0.90 per ton", "$0.75 a pound"; "$0.20 a share" is per share.
    let next = text[end..].trim_start().as_bytes();
    let starts = |with: &[u8]| next.len() >= with.len() && next[..with.len()].eq_ignore_ascii_case(with);
    let per = (starts(b"per ") || starts(b"a ") || starts(b"an ")) && !starts(b"a share") && !starts(b"per share");
    cents && value < 1.0 && high.is_none_or(|h| h < 1.0) && !per
}

/// The profit a margin is of ("EBITDA margin" → "EBITDA").
fn profit_of(subject: &str) -> Option<&'static str> {
    ["EBITDA", "operating income", "gross profit"].into_iter().find(|&p| margin_of(p) == Some(subject))
}

/// The margin of a profit ("EBITDA" → "EBITDA margin").
fn margin_of(subject: &str) -> Option<&'static str> {
    Some(match subject {
        "EBITDA" => "EBITDA margin",
        "operating income" => "operating margin",
        "gross profit" => "gross margin",
        _ => return None,
    })
}

/// True for a measure counted in money (revenue, EBITDA, cash), not in percent (margins) or units.
fn is_money(subject: &str) -> bool {
    is_measure(subject) && !subject.ends_with("margin")
}

/// True for a subject that names a measure (`revenue`, `gross margin`), not a fallback (`growth`, `guidance`).
fn is_measure(subject: &str) -> bool {
    SUBJECTS.0.iter().any(|r| r.subject == subject && !r.fallback)
}

/// Adds the quantities a sentence names, measures and fallbacks, to `named`.
fn named_in(sentence: &str, named: &mut Vec<Named>) {
    let (rules, set) = &*SUBJECTS;
    for rule in set.matches(sentence).iter().map(|i| &rules[i]) {
        for m in rule.re.find_iter(sentence) {
            // "cash flow", "cash costs", "cash payments" are not cash.
            if rule.subject == "cash" && CASH_COMPOUND_RE.is_match(&sentence[m.end()..]) {
                continue;
            }
            // "unit sales" count units, not money; "sales, general and administrative" is a cost.
            let before = &sentence.as_bytes()[..m.start()];
            let after = &sentence.as_bytes()[m.end()..];
            let starts = |b: &[u8], with: &[u8]| b.len() >= with.len() && b[..with.len()].eq_ignore_ascii_case(with);
            if rule.subject == "revenue"
                && ((before.len() >= 5 && before[before.len() - 5..].eq_ignore_ascii_case(b"unit "))
                    || starts(after, b", general and")
                    || starts(after, b" general and"))
            {
                continue;
            }
            named.push((m.start(), m.end(), rule.subject, rule.fallback));
        }
    }
    // "net debt-to-EBITDA", "net debt to EBITDA": a ratio is named by what it divides, not by its base.
    let mut bases: Vec<usize> = named
        .iter()
        .filter(|n| !n.3 && ["-to-", " to "].iter().any(|to| sentence[n.1..].starts_with(to)))
        .filter_map(|n| named.iter().position(|b| !b.3 && b.0 == n.1 + 4))
        .collect();
    bases.sort_unstable();
    bases.dedup();
    for i in bases.into_iter().rev() {
        named.swap_remove(i);
    }
    // "operating income and adjusted EBITDA margins": profits that share a plural `margins` are their margins.
    for i in 0..named.len() {
        let (start, end, subject, fallback) = named[i];
        let Some(margin) = margin_of(subject).filter(|_| !fallback) else { continue };
        let shares = sentence[end..].starts_with(" and ")
            && named.iter().any(|m| {
                m.0 == end + 5 && m.2.ends_with("margin") && sentence.as_bytes()[m.1 - 1].eq_ignore_ascii_case(&b's')
            });
        if shares {
            named[i] = (start, end, margin, false);
        }
    }
    if sentence.contains("argin") {
        bare_margins(sentence, named);
    }
}

/// "as margins expanded 430 basis points" after "adjusted EBITDA was up": a bare `margin`, with no noun of its own
/// before it, is the margin the sentence speaks of: the one margin it names, else the margin of the one profit it
/// names; none when it names several or none.
fn bare_margins(sentence: &str, named: &mut Vec<Named>) {
    let measures = || named.iter().filter(|n| !n.3).map(|n| n.2);
    let one = |mut it: Box<dyn Iterator<Item = &'static str> + '_>| {
        let first = it.next()?;
        it.all(|x| x == first).then_some(first)
    };
    let margin = match measures().find(|m| m.ends_with("margin")) {
        Some(_) => one(Box::new(measures().filter(|m| m.ends_with("margin")))),
        None => one(Box::new(measures().filter_map(margin_of))),
    };
    let Some(margin) = margin else { return };
    let bytes = sentence.as_bytes();
    let mut found = Vec::new();
    for (at, _) in sentence.match_indices("argin") {
        if at == 0 || !bytes[at - 1].eq_ignore_ascii_case(&b'm') {
            continue;
        }
        let (start, mut end) = (at - 1, at + 5);
        if bytes.get(end) == Some(&b's') {
            end += 1;
        }
        let bounded = (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
            && bytes.get(end).is_none_or(|b| !b.is_ascii_alphanumeric());
        if !bounded || named.iter().any(|n| !n.3 && n.0 <= start && n.1 >= end) {
            continue;
        }
        // "segment margins", "underwriting margin": a noun before it says whose margin.
        let bare = (WordsBack { text: sentence, lo: 0, hi: start }).next().is_none_or(|w| {
            !is_phrase_word(w.text)
                || is(w.text, MODIFIER | HEDGE | CHANGE_AFTER)
                || is_adverb(w.text)
                || w.text.contains(|c: char| c.is_ascii_digit())
        });
        if bare {
            found.push((start, end, margin, false));
        }
    }
    named.extend(found);
}

/// The fallback for a figure of something that is no measure: `growth` for the size of a change, `guidance` when
/// the sentence looks ahead at it (`ahead`: not an end of `from X to Y`, a level), else none.
fn fallback_subject(
    sentence: &str,
    (fs, fe): (usize, usize),
    change: bool,
    ahead: bool,
    named: &[Named],
) -> Option<&'static str> {
    if change {
        return Some("growth");
    }
    let near = |n: &&Named| if n.1 <= fs { fs - n.1 } else { 2 * n.0.saturating_sub(fe) } <= SUBJECT_REACH;
    let governs = |n: &&Named| guidance_governs(sentence, n, fs);
    (ahead && named.iter().filter(near).filter(|n| n.2 == "guidance").any(|n| governs(&n))).then_some("guidance")
}

/// Whether a word that looks ahead (`n`) speaks of the figure at `fs`: before it, when no clause of its own opens
/// between them ("we expect …, and that's shown up in the 25%", "…, which will be augmented by $1 billion", "as we
/// enter the quarter and lap 4.3%"); after it, only a noun ("$0.90 is unchanged, as is our guidance"), never a verb
/// of another clause ("86% presold with completions expected in 2022").
fn guidance_governs(sentence: &str, n: &Named, fs: usize) -> bool {
    if n.1 > fs {
        let word = &sentence.as_bytes()[n.0..n.1];
        let verb = |stem: &[u8]| word.len() >= stem.len() && word[..stem.len()].eq_ignore_ascii_case(stem);
        return !(verb(b"expect") || verb(b"anticipat"));
    }
    let mut before = "";
    for w in (WordsFwd { text: sentence, lo: n.1, hi: fs }) {
        let base = w.text.split(['\'', '\u{2019}']).next().unwrap_or("");
        let subject = is(base, PRONOUN) || base.eq_ignore_ascii_case("there");
        if subject && (before == "," || is_in(before, CLAUSE_OPENERS)) {
            return false;
        }
        before = w.text;
    }
    true
}

/// Words that open a clause of its own when a subject follows ("and we", ", which", "as we").
const CLAUSE_OPENERS: &[&str] = &[
    "and", "but", "as", "while", "because", "so", "when", "where", "whereas", "although", "though", "since", "if", "or",
];

/// The nearest quantity the sentence names around the figure `[fs, fe)`, a measure before a fallback; `growth`
/// only for the size of a change.
fn nearest_subject(
    sentence: &str,
    (fs, fe): (usize, usize),
    kind: MetricKind,
    change: bool,
    ahead: bool,
    named: &[Named],
) -> Option<&'static str> {
    let mut best: Option<(bool, usize, &'static str)> = None;
    for n @ &(ms, me, subject, fallback) in named {
        if subject == "growth" && !change {
            continue;
        }
        if subject == "guidance" && !(ahead && guidance_governs(sentence, n, fs)) {
            continue;
        }
        // "30.9% of revenues to 28.7%": the measure a percentage is a ratio to measures no other figure.
        if !fallback && is_denominator(sentence, ms) {
            continue;
        }
        let distance = if ms < fe && me > fs {
            // "3.5 times leverage" names the measure; in "1.8 times EBITDA" EBITDA is the base, and other figures
            // never hold their subject.
            if kind != MetricKind::Multiple || subject != "debt" {
                continue;
            }
            0
        } else if me <= fs {
            fs - me
        } else {
            // "30.9% of revenues": the measure after `of` is the ratio's denominator, not what the figure measures.
            if DENOMINATOR_RE.is_match(&sentence[fe..ms]) {
                continue;
            }
            // "per share" names the figure right before it only ("$125.3 million or $0.81 per diluted share").
            if sentence[ms..me].len() > 4 && sentence[ms..ms + 4].eq_ignore_ascii_case("per ") && ms - fe > 2 {
                continue;
            }
            // A measure after the figure counts in its own clause only ("a decline of 10%, driven by lower debt").
            if change && sentence[fe..ms].contains(',') {
                continue;
            }
            // After the figure costs twice the distance.
            2 * (ms - fe)
        };
        if distance > SUBJECT_REACH {
            continue;
        }
        if best.is_none_or(|b| (fallback, distance) < (b.0, b.1)) {
            best = Some((fallback, distance, subject));
        }
    }
    best.map(|b| b.2)
}

/// What the words around a figure say it measures, read from its clause alone.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Owner {
    /// A named measure ("revenue was $5 million", "$5 million of revenue").
    Measure(&'static str),
    /// A forward-looking noun that names no measure ("our guidance of 4% to 7%", "the assumption of $50 million").
    Guidance,
    /// A thing that is not a measure ("operating expenses were $4 billion", "$240 million of runoff").
    Other,
    /// The clause does not say: the figure follows a pronoun, a list, a clause boundary.
    Unknown,
}

/// What a figure's clause says of it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Reading {
    owner: Owner,
    /// The figure is the size of a change.
    change: bool,
    /// The figure follows `from` (not a range's): the first end of `from X to Y`, a level.
    from: bool,
    /// "14.9% of sales": the measure a percentage is a ratio to.
    ratio_of: Option<&'static str>,
    /// The figure is a contribution to a change ("a 1.1% positive contribution from currency", "$18 million of
    /// favorable foreign exchange").
    contribution: bool,
    /// The figure is the object of a verb that heads a predicate of its own (", paid $176.8 million for",
    /// "and returned $6 billion"): what another clause names is not what it measures.
    own_predicate: bool,
    /// The thing it is a figure of is a price, cost or rate ("operating cost averaged $0.60").
    priced: bool,
}

/// What a phrase names, read by [`phrase_owner`].
struct Phrase {
    owner: Owner,
    /// A change noun heads it ("revenue growth").
    change: bool,
    /// It names a contribution to a change ("favorable impact", "positive contribution").
    contribution: bool,
    /// It names a share of what follows it ("the percentage of sales").
    ratio: bool,
    /// It names a price, cost or rate, counted per unit ("operating cost", "DD&A rate").
    priced: bool,
}

/// Classes of words, as bits: one word can be in several ("increase" is a change verb and a change noun).
const HEDGE: u32 = 1 << 0;
const LINK: u32 = 1 << 1;
const CHANGE_VERB: u32 = 1 << 2;
const CHANGE_NOUN: u32 = 1 << 3;
const CHANGE_AFTER: u32 = 1 << 4;
const QUALIFIER: u32 = 1 << 5;
const GUIDANCE_NOUN: u32 = 1 << 6;
const TIME: u32 = 1 << 7;
const STOP: u32 = 1 << 8;
const PRONOUN: u32 = 1 << 9;
const DETERMINER: u32 = 1 << 10;
const CHAIN_PREP: u32 = 1 << 11;
const MODIFIER: u32 = 1 << 12;
const FORWARD: u32 = 1 << 13;
const PAST: u32 = 1 << 14;
const CONTRIBUTION: u32 = 1 << 15;
const SIGNED: u32 = 1 << 16;
const RATIO: u32 = 1 << 17;
const PRICED: u32 = 1 << 18;

/// The words of each class.
const WORD_CLASSES: &[(u32, &str)] = &[
    // Words between a figure and what it measures that name nothing: hedges and articles.
    (
        HEDGE,
        "a an the approximately about roughly nearly almost around over under more less than just some anywhere \
         another only record also still now again further even least close back",
    ),
    // Verbs and prepositions that tie a figure to the phrase it is said of ("revenue was", "sales of"), and the
    // words of a sum that tie it to the figure before ("minus the $17.9 million, add back the $14 million").
    (
        LINK,
        "of at to by for in on from was were is are be been being will would could should may might has \
         have had remain remains stood came come comes hit reach reaches totaling totalling represents \
         amount amounts total totals add adds subtract subtracts deduct deducts",
    ),
    // Words saying the figure is the size of a change when they stand right before it ("up 8%", "increased by 6%").
    (
        CHANGE_VERB,
        "up down plus minus increase increased increases increasing decrease decreased decreases \
         decreasing grew grow grows growing rose rise rises rising fell fall falls falling declined \
         decline declines declining improved improve improves improving expanded expand expands expanding \
         contracted dropped jumped gained climbed reduced lowered raised cut widened narrowed compressed",
    ),
    // Nouns naming a change: a figure of one ("an increase of 6%", "a 14% increase") is the size of a change.
    (
        CHANGE_NOUN,
        "increase increases decrease decreases growth decline declines improvement improvements reduction \
         reductions rise expansion contraction uplift",
    ),
    // Words after a figure that make it a change ("60% higher", "9% unfavorable").
    (CHANGE_AFTER, "higher lower better worse favorable unfavorable"),
    // Nouns that close a phrase about a measure without naming another ("revenue growth", "EPS guidance", "sales mix").
    (
        QUALIFIER,
        "guidance outlook target targets forecast expectation expectations estimate estimates range rate \
         rates level levels mix terms run-rate trends performance gain gains metric metrics total totals peak \
         peaks trough",
    ),
    // Nouns that speak of the future: a figure of one is guidance when it names no measure.
    (
        GUIDANCE_NOUN,
        "guidance outlook forecast forecasts assumption assumptions projection projections expectation \
         expectations estimate estimates target targets",
    ),
    // Words of time: they say when, never what.
    (
        TIME,
        "quarter quarters year years month months period fiscal full first second third fourth last prior \
         previous current same year-over-year year-on-year quarter-over-quarter sequential ago week weeks \
         today nine six twelve half end year-to-date calendar date year-end quarter-end month-end basis \
         annual annualized",
    ),
    // Words that end a phrase and open another clause or a list: pronouns, conjunctions, relatives.
    (
        STOP,
        "we i you they he she it which that who where when while as if because so but and or with \
         including representing reflecting resulting versus vs respectively both there what whereas \
         although though not nor then us them me him through during after since until into despite \
         against via without like among toward towards ahead amid due it's that's there's what's here's \
         let's",
    ),
    // Subject pronouns: the word after one is a verb.
    (PRONOUN, "we i you they he she it who which that"),
    // Determiners open a phrase.
    (DETERMINER, "the a an our its their this these those his her your"),
    // Prepositions that tie a phrase to the one before it ("sales of the group", "an increase in gross margin").
    (CHAIN_PREP, "of for in at on across within before between to from"),
    // Adjectives that say what kind of a measure, never which ("organic growth", "overall increase").
    (
        MODIFIER,
        "organic overall underlying comparable reported constant currency like-for-like same-store core \
         total double-digit single-digit strong solid modest significant additional incremental \
         sequential robust healthy record nominal real average local",
    ),
    // Nouns naming what moved a measure: a figure of one is a contribution to a change ("a $5 million benefit").
    (
        CONTRIBUTION,
        "impact impacts contribution contributions tailwind tailwinds headwind headwinds benefit benefits effect \
         effects translation",
    ),
    // Adjectives that give a contribution its sign ("favorable foreign exchange").
    (SIGNED, "favorable unfavorable positive negative"),
    // Nouns naming a share of what follows them ("the percentage of sales").
    (RATIO, "percentage proportion portion fraction share"),
    // Nouns of an amount counted per unit, not per share ("operating cost averaged $0.60").
    (PRICED, "price prices cost costs rate rates tax taxes fee fees"),
    // Participles that look ahead ("projected", "expected"): a phrase holding one speaks of guidance.
    (FORWARD, "projected expected anticipated estimated targeted planned"),
    // Irregular past tenses and participles ("paid", "driven").
    (
        PAST,
        "paid spent made did saw took brought bought sold built put got gave held kept won drove left \
         lost set went began ran told said driven given taken seen grown shown done known fallen risen \
         begun led met",
    ),
];

/// FNV-1a: the words looked up are a few bytes long, where SipHash's setup costs more than the hashing.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// Each word's classes, built once.
static WORD_CLASS: LazyLock<HashMap<&'static [u8], u32, BuildHasherDefault<Fnv>>> = LazyLock::new(|| {
    let mut map = HashMap::default();
    for &(class, words) in WORD_CLASSES {
        for word in words.split_whitespace() {
            *map.entry(word.as_bytes()).or_insert(0) |= class;
        }
    }
    map
});

/// The classes of a word, whatever its case; no allocation.
fn class_of(word: &str) -> u32 {
    let mut buf = [0u8; 24];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return 0;
    };
    for (to, from) in lower.iter_mut().zip(word.bytes()) {
        *to = from.to_ascii_lowercase();
    }
    WORD_CLASS.get(&*lower).copied().unwrap_or(0)
}

/// True when a word is in any of `classes`.
fn is(word: &str, classes: u32) -> bool {
    class_of(word) & classes != 0
}

fn is_in(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// A past tense or participle ("generated", "attributed", "paid"): a verb between a phrase and its figure.
fn is_past_verb(word: &str) -> bool {
    (word.len() > 4
        && word.ends_with("ed")
        && word.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
        && !is_in(word, &["hundred", "speed", "proceed"]))
        || is(word, PAST)
}

/// An adverb ("sequentially", "organically"): it says how, never what.
fn is_adverb(word: &str) -> bool {
    word.len() > 4 && word.ends_with("ly") && word.bytes().all(|b| b.is_ascii_alphabetic())
}

/// A word of time, or one that holds a digit but is no figure: a year, a quarter, a fiscal label ("2019", "Q1").
fn is_time(word: &str) -> bool {
    // Compared as bytes: a word may hold any character, and a suffix's length need not fall on a char boundary.
    let ends = |suffix: &str| {
        word.len() >= suffix.len()
            && word.as_bytes()[word.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    let span = ["-month", "-year", "-week", "-day", "-quarter"].into_iter().any(ends);
    is(word, TIME) || span || word.bytes().any(|b| b.is_ascii_digit()) || word.starts_with('\'')
}

/// A word that can stand in a phrase naming a thing: not a mark, link, stop, determiner or verb.
fn is_phrase_word(word: &str) -> bool {
    // "we're", "you've": a pronoun and its verb.
    let contraction = ["'re", "'ve", "'m", "'ll", "'d", "\u{2019}re", "\u{2019}ve"].iter().any(|c| word.ends_with(c));
    let class = class_of(word);
    !(is_mark(word)
        || contraction
        || class & (STOP | LINK | CHAIN_PREP | DETERMINER | PAST) != 0
        || class & (CHANGE_VERB | CHANGE_NOUN) == CHANGE_VERB
        || is_past_verb(word))
}

fn is_mark(word: &str) -> bool {
    word.len() == 1 && is_mark_byte(word.as_bytes()[0]) || matches!(word, "—" | "–" | "--" | "-")
}

fn is_mark_byte(b: u8) -> bool {
    matches!(b, b',' | b';' | b':' | b'(' | b')' | b'"' | b'?' | b'!')
}

/// One word (or punctuation mark) of a sentence and its byte span.
#[derive(Clone, Copy)]
struct Word<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

/// The words of `text[lo..hi]`, last first, each punctuation mark a word of its own; no allocation.
#[derive(Clone)]
struct WordsBack<'a> {
    text: &'a str,
    lo: usize,
    hi: usize,
}

impl<'a> Iterator for WordsBack<'a> {
    type Item = Word<'a>;
    fn next(&mut self) -> Option<Word<'a>> {
        let bytes = self.text.as_bytes();
        let mut e = self.hi;
        while e > self.lo && bytes[e - 1].is_ascii_whitespace() {
            e -= 1;
        }
        if e <= self.lo {
            return None;
        }
        let mut s = e - 1;
        if !is_mark_byte(bytes[s]) {
            s = e;
            while s > self.lo && !bytes[s - 1].is_ascii_whitespace() && !is_mark_byte(bytes[s - 1]) {
                s -= 1;
            }
        }
        self.hi = s;
        Some(Word { start: s, end: e, text: &self.text[s..e] })
    }
}

/// The words of `text[lo..hi]`, first first; a full stop ending the last word is left out.
#[derive(Clone)]
struct WordsFwd<'a> {
    text: &'a str,
    lo: usize,
    hi: usize,
}

impl<'a> Iterator for WordsFwd<'a> {
    type Item = Word<'a>;
    fn next(&mut self) -> Option<Word<'a>> {
        let bytes = self.text.as_bytes();
        let mut s = self.lo;
        while s < self.hi && bytes[s].is_ascii_whitespace() {
            s += 1;
        }
        if s >= self.hi {
            return None;
        }
        let mut e = s + 1;
        if !is_mark_byte(bytes[s]) {
            while e < self.hi && !bytes[e].is_ascii_whitespace() && !is_mark_byte(bytes[e]) {
                e += 1;
            }
        }
        self.lo = e;
        let text = self.text[s..e].trim_end_matches('.');
        Some(Word { start: s, end: s + text.len(), text })
    }
}

/// A quantity the sentence names: byte span in the sentence, subject, and whether it is a fallback.
type Named = (usize, usize, &'static str, bool);

/// What a phrase `[start, end)` names: the measure that closes it once qualifiers are set aside ("organic revenue
/// growth" → revenue, "adjusted EPS guidance" → EPS, "net debt-to-EBITDA" → debt); a forward-looking noun with no
/// measure → Guidance; only a change or a qualifier ("an increase") → Unknown; any other phrase → Other, even with a
/// measure inside it that does not close it ("premium renewal retention"). Also: does a change noun head it?
fn phrase_owner(sentence: &str, start: usize, end: usize, named: &[Named]) -> Phrase {
    let (mut core_end, mut change, mut guidance) = (end, false, false);
    for w in (WordsBack { text: sentence, lo: start, hi: end }) {
        let (c, g) = (is(w.text, CHANGE_NOUN), is(w.text, GUIDANCE_NOUN));
        if !(c || g || is(w.text, QUALIFIER)) {
            break;
        }
        (change, guidance, core_end) = (change || c, guidance || g, w.start);
    }
    let core = sentence[start..core_end].trim_end();
    let phrase = |owner| Phrase { owner, change, contribution: false, ratio: false, priced: false };
    let closing =
        |core_end: usize| named.iter().filter(|n| !n.3 && n.1 == core_end && n.0 >= start).min_by_key(|n| n.0);
    // "net debt-to-EBITDA": a ratio is named by what it divides.
    if let Some(n) = core.find("-to-").and_then(|at| closing(start + at)) {
        return phrase(Owner::Measure(n.2));
    }
    let core_end = start + core.len();
    // Modifiers alone ("organic", "previously communicated") name nothing.
    if core.split_whitespace().all(|w| is_past_verb(w) || is_adverb(w) || is_time(w) || is(w, MODIFIER)) {
        return phrase(if guidance { Owner::Guidance } else { Owner::Unknown });
    }
    // "net sales per hectoliter": a measure per unit is that measure.
    let per_unit = || core.find(" per ").and_then(|at| closing(start + at));
    // "cash and equivalents": a measure whose name runs past the phrase's first words.
    let covering = || {
        let joined = sentence[core_end..].starts_with(" and ");
        named.iter().find(|n| joined && !n.3 && n.0 == start && n.1 > core_end)
    };
    if let Some(n) = closing(core_end).or_else(per_unit).or_else(covering) {
        return phrase(Owner::Measure(n.2));
    }
    // "a positive contribution", "of favorable foreign currency translation": what moved a measure, not a thing.
    let last = core.rsplit(' ').next().unwrap_or("");
    let first = core.split(' ').next().unwrap_or("");
    if !guidance && (is(last, CONTRIBUTION) || (is(first, SIGNED) && core.contains(' '))) {
        // "a 2% top-line benefit", "$80 million of EBITDA benefits": a contribution to a measure it names.
        let inner = named.iter().find(|n| !n.3 && n.0 >= start && n.1 <= core_end).map(|n| Owner::Measure(n.2));
        return Phrase {
            owner: inner.unwrap_or(Owner::Unknown),
            change: true,
            contribution: true,
            ..phrase(Owner::Unknown)
        };
    }
    // "Consulting down 14%", "Mexico represented 2.8%": a name says where, not what.
    // The first word of a sentence is capitalized whatever it is.
    let name =
        start > 0 && core.split_whitespace().all(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()));
    // "a projected growth rate": a phrase that looks ahead and names no measure is guidance.
    let ahead = core.split_whitespace().any(|w| is(w, FORWARD));
    match () {
        () if guidance || ahead => phrase(Owner::Guidance),
        () if name => phrase(Owner::Unknown),
        () => Phrase { ratio: is(last, RATIO), priced: is(last, PRICED), ..phrase(Owner::Other) },
    }
}

/// Reads a figure's clause for what it measures. `[start, end)` is the figure in `sentence`, `lo` where the words
/// before it begin (the sentence, or the previous figure), `group_end` the end of the pair or list it closes.
///
/// After the figure (past the rest of its pair): a measure right there or joined by `of` or `in` names the thing
/// ("$45 million of revenue", "58% gross margin", "$151 million in dividends"), except that a percentage of a
/// measure is a ratio to it ("30.9% of revenues"); a phrase joined by `of` that names none makes the figure a figure
/// of something else ("$240 million of runoff"). Before the figure, through links, hedges and words of time, the
/// phrase it is said of ("revenue was $5 million", "sales of the group in the first quarter were $366 million"), or a
/// verb that names a measure ("we repurchased $80 million"). Of phrases tied by prepositions the first measure named
/// counts ("growth in adjusted operating income per share"); a chain that names none is something else ("average
/// loans for the quarter were $109 billion"), unless it only names a change ("a 21% increase in the Americas") or a
/// name ("Consulting down 14%").
///
/// Also tells whether the figure is the size of a change: a change word right before it ("up 8%", "increased by 6%",
/// "an increase of 6%"), right after it or its pair ("60% and 72% higher", "a 14% increase"), or heading its phrase
/// ("growth was 5%"); never an end of `from X to Y`.
fn owner_of(
    sentence: &str,
    (start, end, range): (usize, usize, bool),
    lo: usize,
    group_end: usize,
    kind: MetricKind,
    named: &[Named],
) -> Reading {
    let mut change = false;
    let mut forward = Owner::Unknown;
    let mut reading = Reading {
        owner: Owner::Unknown,
        change,
        from: false,
        ratio_of: None,
        contribution: false,
        own_predicate: false,
        priced: false,
    };
    let mut fwd = WordsFwd { text: sentence, lo: group_end.max(end), hi: sentence.len() };
    if let Some(w) = fwd.next() {
        // "$0.12 on EPS", "added $91 million to operating income": `on` and `to` join the measure a figure weighs
        // on, and nothing else.
        let on = is_in(w.text, &["on", "to"]);
        let joined = on || is_in(w.text, &["of", "in"]);
        // "60% higher"; "3% favorable impact" is also a contribution, read below.
        change |= is(w.text, CHANGE_AFTER);
        if is(w.text, CHANGE_AFTER) && !is(w.text, SIGNED) {
        } else if w.text.eq_ignore_ascii_case("per") {
            // "$0.81 per diluted share"; in "$12 million or $0.40 per share" only the last of the pair is per share.
            if let Some(n) = named.iter().find(|n| n.0 == w.start && !n.3 && group_end <= end) {
                return Reading { owner: Owner::Measure(n.2), ..reading };
            }
        } else if joined || ((is_phrase_word(w.text) || is_past_verb(w.text)) && !is(w.text, HEDGE)) {
            let mut p = if joined { fwd.clone() } else { WordsFwd { text: sentence, lo: w.start, hi: sentence.len() } };
            let (mut p_start, mut p_end, mut only_time, mut stop) = (None, 0, true, "");
            for x in p.by_ref() {
                if p_start.is_none() && is(x.text, DETERMINER) {
                    continue;
                }
                // A participle leads a phrase as a modifier ("of adjusted EBITDA"); words of time and adverbs end it
                // ("of orders last year", "of growth internationally").
                let ends = p_start.is_some() && (is_time(x.text) || is_adverb(x.text) || is(x.text, HEDGE));
                if ends || !(is_phrase_word(x.text) || (p_start.is_none() && is_past_verb(x.text))) {
                    stop = x.text;
                    break;
                }
                only_time &= is_time(x.text);
                p_start.get_or_insert(x.start);
                p_end = x.end;
            }
            // "on a per share basis" says how a figure is counted, not what it measures.
            let on_basis = stop.eq_ignore_ascii_case("basis");
            // "up $42 million on lower margins", "81% on a 35% increase": `on` after a change gives its cause, and
            // `to` after one its end.
            let on_cause = change
                || is_change_figure(sentence, start)
                || p_start.is_some_and(|at| {
                    let first = sentence[at..].split(' ').next().unwrap_or("");
                    is(first, CHANGE_AFTER | CHANGE_VERB) || first.contains(|c: char| c.is_ascii_digit())
                });
            if let (Some(p_start), false) = (p_start, only_time) {
                let Phrase { mut owner, change: phrase_change, contribution, priced, .. } =
                    phrase_owner(sentence, p_start, p_end, named);
                reading.contribution |= contribution;
                reading.priced |= priced;
                // "250 basis points of lower costs".
                let first_word = sentence[p_start..p_end].split_whitespace().next().unwrap_or("");
                change |= phrase_change || is(first_word, CHANGE_AFTER);
                // "a 20% increase in revenue": the measure that changed.
                if owner == Owner::Unknown && phrase_change {
                    let mut rest = WordsFwd { text: sentence, lo: p_end, hi: sentence.len() };
                    if rest.next().is_some_and(|x| is_in(x.text, &["in", "of"])) {
                        let words = rest.skip_while(|x| is(x.text, DETERMINER)).take_while(|x| is_phrase_word(x.text));
                        if let Some(n) = words.last().and_then(|last| named.iter().find(|n| !n.3 && n.1 == last.end)) {
                            owner = Owner::Measure(n.2);
                        }
                    }
                }
                let of = w.text.eq_ignore_ascii_case("of");
                let ratio = of && kind == MetricKind::Percent && !phrase_change && matches!(owner, Owner::Measure(_));
                // Only a measure (or a change, or guidance) says anything: "15% in Europe", "6% organic volumes".
                // "$240 million of runoff", "$1 billion in divestiture proceeds": an amount of a thing.
                // ("$1.8 billion in share repurchases alone" names a measure all the same).
                let inner_measure = named.iter().any(|n| !n.3 && n.0 >= p_start && n.1 <= p_end);
                let of_thing = of
                    || (kind == MetricKind::Currency && !change && !inner_measure && w.text.eq_ignore_ascii_case("in"));
                let said = matches!(owner, Owner::Measure(_) | Owner::Guidance) || (of_thing && owner == Owner::Other);
                if ratio {
                    reading.ratio_of = match owner {
                        Owner::Measure(m) => Some(m),
                        _ => None,
                    };
                } else if said && !(on && (!matches!(owner, Owner::Measure(_)) || on_basis || on_cause)) {
                    forward = owner;
                }
            }
        }
    }
    if matches!(forward, Owner::Measure(_) | Owner::Guidance) || kind == MetricKind::Multiple {
        return Reading { owner: forward, change, ..reading };
    }
    // Before the figure: hedges, links, verbs and words of time, then the phrases.
    let mut back = WordsBack { text: sentence, lo, hi: start }.peekable();
    let (mut adjacent, mut level, mut first, mut verb_joined) = (true, false, true, false);
    while let Some(w) = back.peek().copied() {
        // "an astounding $130 million": a word between an article and the figure describes the figure.
        let described = std::mem::take(&mut first) && is_phrase_word(w.text) && !is(w.text, CHANGE_NOUN) && {
            let mut ahead = back.clone();
            ahead.next();
            ahead.peek().is_some_and(|x| is_in(x.text, &["a", "an"]))
        };
        // "a reduction than the current 3.20%": `than` after no comparative compares the figure, a level, with
        // the phrase before it, which it does not measure.
        if w.text.eq_ignore_ascii_case("than") {
            let mut ahead = back.clone();
            ahead.next();
            if !ahead.peek().is_some_and(|x| is(x.text, CHANGE_AFTER) || is_in(x.text, COMPARATIVES)) {
                back = WordsBack { text: sentence, lo, hi: lo }.peekable();
                break;
            }
        }
        if is(w.text, HEDGE) || is_adverb(w.text) || (w.text.len() > 1 && w.text.ends_with('-')) || described {
            back.next();
            continue;
        }
        if adjacent {
            // "anywhere down from 70% to 90%": a range's `from` opens it.
            level |= !range && is_in(w.text, &["from", "to"]);
            reading.from |= !range && w.text.eq_ignore_ascii_case("from");
            change |= !level && (is(w.text, CHANGE_VERB) || is(w.text, CHANGE_NOUN));
        }
        if is_in(w.text, &["by", "of"]) || (range && w.text.eq_ignore_ascii_case("from")) {
            // "driven by 6%": a verb joined by a preposition is no predicate of the figure's own.
            verb_joined = true;
            back.next();
            continue;
        }
        if is(w.text, CHANGE_VERB) || is(w.text, LINK) || is_past_verb(w.text) || is_time(w.text) {
            // "we repurchased $80 million": a verb can name the measure.
            if let Some(n) = named.iter().find(|n| !n.3 && n.0 <= w.start && n.1 >= w.end) {
                return Reading { owner: Owner::Measure(n.2), change, ..reading };
            }
            // ", paid $176.8 million", "and returned $6 billion": a verb that heads a predicate of its own.
            if adjacent && !verb_joined && is_past_verb(w.text) && !is(w.text, CHANGE_VERB | LINK) {
                let mut ahead = back.clone();
                ahead.next();
                reading.own_predicate =
                    ahead.peek().is_some_and(|x| x.text == "," || x.text.eq_ignore_ascii_case("and"));
            }
            adjacent = false;
            back.next();
            // "an impressive increase of": the words describing a change name nothing either.
            if is(w.text, CHANGE_NOUN) {
                let mut ahead = back.clone();
                while ahead.next_if(|x| is_phrase_word(x.text) && !is(x.text, DETERMINER)).is_some() {}
                if ahead.peek().is_some_and(|x| is_in(x.text, &["a", "an", "the", "another"])) {
                    back = ahead;
                }
            }
            continue;
        }
        break;
    }
    // "fluctuated up and down 1%" is no change of a size.
    if change && sentence[lo..start].contains("up and down") {
        change = false;
    }
    // Phrases nearest first, back to the first, which heads the chain.
    let mut chain: [(usize, usize); 6] = [(0, 0); 6];
    let mut len = 0;
    while len < chain.len() {
        let Some(w) = back.peek().copied() else { break };
        if !is_phrase_word(w.text) {
            break;
        }
        let (mut p_start, p_end) = (w.start, w.end);
        // A participle inside the phrase is a modifier ("adjusted EBITDA", "diluted share").
        while let Some(x) = back.peek().copied().filter(|x| is_phrase_word(x.text) || is_past_verb(x.text)) {
            p_start = x.start;
            back.next();
        }
        // "we expect capex": after a pronoun, the phrase's first word is a verb.
        if back.peek().is_some_and(|x| is(x.text, PRONOUN)) {
            match sentence[p_start..p_end].find(' ') {
                Some(space) => p_start += space + 1,
                None => break,
            }
        }
        // "$0.81 per diluted share compared to $22.5 million": `per` right after a figure is that figure's unit.
        if len == 0 && back.peek().is_none() && lo > 0 && sentence[p_start..p_end].starts_with("per ") {
            break;
        }
        chain[len] = (p_start, p_end);
        len += 1;
        // "to total sales": `total` before a phrase describes it.
        let mut article = false;
        while let Some(x) = back.next_if(|x| is(x.text, DETERMINER) || x.text.eq_ignore_ascii_case("total")) {
            article |= is_in(x.text, &["a", "an"]);
        }
        // "Net debt, a non-GAAP measure, decreased": a phrase set off by a comma and an article restates the one
        // before it, which heads the chain.
        if article && back.peek().is_some_and(|x| x.text == ",") {
            let mut ahead = back.clone();
            ahead.next();
            if ahead.peek().is_some_and(|x| is_phrase_word(x.text)) {
                back = ahead;
                continue;
            }
        }
        if !back.peek().is_some_and(|x| is(x.text, CHAIN_PREP)) {
            break;
        }
        back.next();
        // "from 30.9% of revenues to 28.7%": the phrase is the previous figure's denominator, not this one's.
        if back.peek().is_none() && lo > 0 && is_denominator(sentence, p_start) {
            len -= 1;
            break;
        }
        // "net income attributed to the group".
        if back.peek().is_some_and(|x| is_past_verb(x.text)) {
            back.next();
        }
        while back.peek().is_some_and(|x| is(x.text, DETERMINER)) {
            back.next();
        }
    }
    let chain = &chain[..len];
    // "cash flow from operations (at Lorne)": a measure named across the chain's prepositions.
    if let Some(head) = chain.last() {
        let across = |n: &&Named| !n.3 && n.0 >= head.0 && chain.iter().any(|p| p.1 == n.1 && n.0 < p.0);
        if let Some(n) = named.iter().find(across) {
            return Reading { owner: Owner::Measure(n.2), change, ..reading };
        }
    }
    let mut backward = Owner::Unknown;
    let mut after_change = false;
    for (i, &(p_start, p_end)) in chain.iter().rev().enumerate() {
        let phrase = phrase_owner(sentence, p_start, p_end, named);
        let (owner, phrase_change) = (phrase.owner, phrase.change);
        if i == 0 && !level {
            change |= phrase_change;
            reading.contribution |= phrase.contribution;
        }
        reading.priced |= phrase.priced;
        // "the percentage of our decoupled sales": a share of a measure is not that measure.
        if i == 0 && phrase.ratio && chain.len() > 1 {
            return Reading { owner: Owner::Other, change, ..reading };
        }
        match owner {
            Owner::Measure(_) => return Reading { owner, change, ..reading },
            Owner::Unknown => after_change |= phrase_change,
            Owner::Other if after_change => {}
            Owner::Guidance => backward = owner,
            Owner::Other if backward == Owner::Unknown => backward = owner,
            Owner::Other => {}
        }
    }
    if backward == Owner::Unknown {
        backward = forward;
    }
    Reading { owner: backward, change, ..reading }
}

/// Whether a change verb stands right before the figure at `start`, past hedges and `by` ("up $42 million",
/// "increased by about 6%").
fn is_change_figure(sentence: &str, start: usize) -> bool {
    let lo = floor_char_boundary(sentence, start.saturating_sub(40));
    (WordsBack { text: sentence, lo, hi: start })
        .find(|w| !(is(w.text, HEDGE) || w.text.eq_ignore_ascii_case("by")))
        .is_some_and(|w| is(w.text, CHANGE_VERB))
}

/// Words before `than` that make it part of a hedge ("more than 5%").
const COMPARATIVES: &[&str] = &["more", "less", "fewer", "greater", "rather", "other", "bigger", "smaller"];

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Metric {
        let found = extract(text);
        assert_eq!(found.len(), 1, "{text}: {found:#?}");
        found.into_iter().next().unwrap()
    }

    #[test]
    fn values_units_and_subjects() {
        type Row<'a> = (&'a str, MetricKind, f64, Option<f64>, &'a str, Option<&'a str>);
        let table: &[Row] = &[
            (
                "Revenue was $107.9 million in the quarter.",
                MetricKind::Currency,
                107_900_000.0,
                None,
                "USD",
                Some("revenue"),
            ),
            ("Gross margin was 38% this quarter.", MetricKind::Percent, 38.0, None, "%", Some("gross margin")),
            (
                "Operating margin expanded 150 basis points.",
                MetricKind::BasisPoints,
                150.0,
                None,
                "bps",
                Some("operating margin"),
            ),
            ("Our net leverage is 3.5x.", MetricKind::Multiple, 3.5, None, "x", Some("debt")),
            ("We ended with $1.2 billion in cash.", MetricKind::Currency, 1_200_000_000.0, None, "USD", Some("cash")),
            (
                "We expect revenue of $460 million to $468 million.",
                MetricKind::Currency,
                460e6,
                Some(468e6),
                "USD",
                Some("revenue"),
            ),
            (
                "Operating margin of 25.5% to 27.5% for the year.",
                MetricKind::Percent,
                25.5,
                Some(27.5),
                "%",
                Some("operating margin"),
            ),
            ("We see growth between 3% and 4% next year.", MetricKind::Percent, 3.0, Some(4.0), "%", Some("growth")),
            ("EPS was $0.42.", MetricKind::Currency, 0.42, None, "USD", Some("EPS")),
            ("We signed 12 new deals in the quarter.", MetricKind::Count, 12.0, None, "deals", Some("deal count")),
            ("Adjusted EBITDA was €45 million.", MetricKind::Currency, 45e6, None, "EUR", Some("EBITDA")),
            ("ARR reached $2.5bn.", MetricKind::Currency, 2.5e9, None, "USD", Some("ARR")),
            ("Free cash flow was $18.4 million.", MetricKind::Currency, 18.4e6, None, "USD", Some("free cash flow")),
            (
                "Net income came in at $3 to $4 million.",
                MetricKind::Currency,
                3e6,
                Some(4e6),
                "USD",
                Some("net income"),
            ),
            ("We shipped 4,200 units.", MetricKind::Count, 4200.0, None, "units", Some("units")),
            ("We now expect 7 percent for the full year.", MetricKind::Percent, 7.0, None, "%", Some("guidance")),
        ];
        for (text, kind, value, high, unit, subject) in table {
            let m = one(text);
            assert_eq!((m.kind, m.value, m.value_high), (*kind, *value, *high), "{text}");
            assert_eq!(m.unit.as_deref(), Some(*unit), "{text}");
            assert_eq!(m.subject.as_deref(), *subject, "{text}");
            assert_eq!(text.chars().skip(m.start).take(m.end - m.start).collect::<String>(), m.text, "{text}");
        }
    }

    #[test]
    fn the_seed_sentence() {
        let text = "Revenue increased 38% year-over-year to $107.9 million in the first quarter and grew approximately 6% quarter-over-quarter.";
        let found = extract(text);
        let kinds: Vec<(MetricKind, f64)> = found.iter().map(|m| (m.kind, m.value)).collect();
        assert_eq!(
            kinds,
            vec![(MetricKind::Percent, 38.0), (MetricKind::Currency, 107_900_000.0), (MetricKind::Percent, 6.0)]
        );
        assert!(found.iter().all(|m| m.subject.as_deref() == Some("revenue")), "{found:#?}");
    }

    #[test]
    fn changes_are_two_figures_not_a_range() {
        let found = extract("Revenue grew from $5 million to $10 million.");
        let values: Vec<(f64, Option<f64>)> = found.iter().map(|m| (m.value, m.value_high)).collect();
        assert_eq!(values, vec![(5e6, None), (10e6, None)]);
    }

    #[test]
    fn pairs_and_lists_are_a_figure_each_with_the_subject_they_continue() {
        /// (figure as written, value, subject)
        type Figure<'a> = (&'a str, f64, Option<&'a str>);
        let cases: &[(&str, &[Figure])] = &[
            (
                "Gross margin was 41% and 43% in the two segments.",
                &[("41%", 41.0, Some("gross margin")), ("43%", 43.0, Some("gross margin"))],
            ),
            (
                "Operating margin improved from 10% to 12.5% this year.",
                &[("10%", 10.0, Some("operating margin")), ("12.5%", 12.5, Some("operating margin"))],
            ),
            (
                "Revenue was $61.9 billion, up 17%, and EPS was $2.10.",
                &[
                    ("$61.9 billion", 61.9e9, Some("revenue")),
                    ("17%", 17.0, Some("revenue")),
                    ("$2.10", 2.1, Some("EPS")),
                ],
            ),
            (
                "Sales grew 5%, 7% and 9% in the three regions.",
                &[("5%", 5.0, Some("revenue")), ("7%", 7.0, Some("revenue")), ("9%", 9.0, Some("revenue"))],
            ),
            (
                "Margins rose 150 and 200 basis points in gross margin terms.",
                &[("150", 150.0, Some("gross margin")), ("200 basis points", 200.0, Some("gross margin"))],
            ),
            ("Growth was 12 and 15 percent.", &[("12", 12.0, Some("growth")), ("15 percent", 15.0, Some("growth"))]),
            (
                "Pre-tax margin of 37.3% compared to $68.8 million and 43.9% a year ago.",
                &[("37.3%", 37.3, None), ("$68.8 million", 68.8e6, None), ("43.9%", 43.9, None)],
            ),
            (
                "We expect the tax rate in the mid-20% range and SG&A at sub-30%.",
                &[("20%", 20.0, Some("guidance")), ("30%", 30.0, Some("guidance"))],
            ),
            ("Revenue grew 8% while EBITDA grew 12%.", &[("8%", 8.0, Some("revenue")), ("12%", 12.0, Some("EBITDA"))]),
        ];
        for (text, want) in cases {
            let got: Vec<(String, f64, Option<String>)> =
                extract(text).into_iter().map(|m| (m.text, m.value, m.subject)).collect();
            let want: Vec<(String, f64, Option<String>)> =
                want.iter().map(|(t, v, s)| (t.to_string(), *v, s.map(str::to_string))).collect();
            assert_eq!(got, want, "{text}");
        }
        // A range stays one figure.
        let range = one("We expect growth between 3% and 5%.");
        assert_eq!((range.value, range.value_high), (3.0, Some(5.0)));
    }

    /// (sentence, [(figure as written, value, high end, subject)]): every figure of the sentence, in order.
    type Expected<'a> = (&'a str, &'a [(&'a str, f64, Option<f64>, Option<&'a str>)]);

    fn check(cases: &[Expected]) {
        for (text, want) in cases {
            let got: Vec<(String, f64, Option<f64>, Option<String>)> =
                extract(text).into_iter().map(|m| (m.text, m.value, m.value_high, m.subject)).collect();
            let want: Vec<(String, f64, Option<f64>, Option<String>)> =
                want.iter().map(|(t, v, h, s)| (t.to_string(), *v, *h, s.map(str::to_string))).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    /// Text, value and upper value of every figure.
    fn spans(text: &str) -> Vec<(String, f64, Option<f64>)> {
        extract(text).into_iter().map(|m| (m.text, m.value, m.value_high)).collect()
    }

    #[test]
    fn ranges_said_the_way_people_say_them() {
        let s = |t: &str, v: f64, h: Option<f64>| (t.to_string(), v, h);
        // The low end without the high end's unit takes it, and its scale.
        assert_eq!(
            spans("Brindle raises EBITDA guidance to 200 to $225 million."),
            [s("200 to $225 million", 2e8, Some(2.25e8))]
        );
        assert_eq!(spans("Q3 EPS at Vossen should be 57 to 59 cents."), [s("57 to 59 cents", 0.57, Some(0.59))]);
        assert_eq!(
            spans("Kelmar sees between 395 million and 396 million shares outstanding."),
            [s("between 395 million and 396 million", 3.95e8, Some(3.96e8))]
        );
        // `to a`, `to minus`, `to plus` keep a range whole.
        assert_eq!(
            spans("Orlo narrowed EPS to a $1.32 to a $1.36 per share."),
            [s("$1.32 to a $1.36", 1.32, Some(1.36))]
        );
        assert_eq!(
            spans("Margin at Pellow should range from minus $3 million to minus $4 million."),
            [s("$3 million to minus $4 million", 3e6, Some(4e6))]
        );
        assert_eq!(spans("Tovi's growth outlook is now plus 6.5 to plus 7%."), [s("6.5 to plus 7%", 6.5, Some(7.0))]);
        // Two figures said as a range: `range` after them, or a hedge before.
        assert_eq!(spans("Quarn sees margins in that 22%, 23% range."), [s("22%, 23%", 22.0, Some(23.0))]);
        assert_eq!(
            spans("Loss at Drell should be around minus $3 million or minus $4 million."),
            [s("$3 million or minus $4 million", 3e6, Some(4e6))]
        );
        // Not a range: a list, a pair with no word of a range, a change, a year, a low end far below.
        assert_eq!(
            spans("Segments at Harlo grew about 5%, 6% and 7%."),
            [s("5%", 5.0, None), s("6%", 6.0, None), s("7%", 7.0, None)]
        );
        assert_eq!(spans("Wrenn's margins were 60%, 61%."), [s("60%", 60.0, None), s("61%", 61.0, None)]);
        assert_eq!(spans("Sales at Ombra rose from 200 to $225 million."), [s("$225 million", 2.25e8, None)]);
        assert_eq!(spans("Capex at Fennel was 2021 to $5 million."), [s("$5 million", 5e6, None)]);
        assert_eq!(spans("Tolla cut 3 to $80 million."), [s("$80 million", 8e7, None)]);
    }

    #[test]
    fn ranges_and_pairs_read_whole() {
        check(&[
            // A year is never a range's low end.
            (
                "Zentrix's claims ratio went from 61% in 2020 to 63.5% in 2021.",
                &[("61%", 61.0, None, None), ("63.5%", 63.5, None, None)],
            ),
            // The second of a pair is a range of its own.
            (
                "Plorbo sees sales and EPS growth of 4% and 9% to 11%, respectively.",
                &[("4%", 4.0, None, Some("revenue")), ("9% to 11%", 9.0, Some(11.0), Some("EPS"))],
            ),
            // `anywhere … from` speaks of a range, a word or two away.
            (
                "Traffic at Quellor is anywhere down from 20% to 35%.",
                &[("20% to 35%", 20.0, Some(35.0), Some("growth"))],
            ),
            // `from X to Y … to Z`: a range moved to another figure.
            (
                "Grindle wants to move from 60% to 70% of capacity to 90% next year.",
                &[("60% to 70%", 60.0, Some(70.0), None), ("90%", 90.0, None, None)],
            ),
        ]);
        // A scaled number without a sign is money when it measures money, else a count.
        let money = one("Fee revenues at Tamboo rose over 4 million, as expected.");
        assert_eq!((money.kind, money.value, money.subject.as_deref()), (MetricKind::Currency, 4e6, Some("revenue")));
        let views = one("Clips on Vantor hit 2.5 billion in March.");
        assert_eq!((views.kind, views.value, views.unit), (MetricKind::Count, 2.5e9, None));
    }

    #[test]
    fn a_figure_measures_the_phrase_it_is_said_of() {
        check(&[
            // A thing that is no measure owns its figure; its change is growth, its level nothing.
            (
                "Orvel's revenues were $3.1 billion and its operating expenses were $1.2 billion.",
                &[("$3.1 billion", 3.1e9, None, Some("revenue")), ("$1.2 billion", 1.2e9, None, None)],
            ),
            (
                "Average deposits at Brindle were $9 billion, up 4% from a year ago.",
                &[("$9 billion", 9e9, None, None), ("4%", 4.0, None, Some("growth"))],
            ),
            // `X was $A, up B%`: both the measure.
            (
                "Kestrow's net sales were $840 million, up 12%.",
                &[("$840 million", 840e6, None, Some("revenue")), ("12%", 12.0, None, Some("revenue"))],
            ),
            // Of phrases tied by prepositions, the first measure named.
            (
                "Sales of the Yarrow division in the second quarter were $71 million.",
                &[("$71 million", 71e6, None, Some("revenue"))],
            ),
            (
                "Plimsy reported an increase in gross margin of 80 basis points.",
                &[("80 basis points", 80.0, None, Some("gross margin"))],
            ),
            // A measure after the figure, joined by `of` or right there.
            (
                "Dorrit booked $12 million of backlog and a 30% increase in revenue.",
                &[("$12 million", 12e6, None, Some("backlog")), ("30%", 30.0, None, Some("revenue"))],
            ),
            ("Fennick holds $5 million of unsold inventory.", &[("$5 million", 5e6, None, None)]),
            // A verb can name the measure.
            (
                "This quarter Galloway repurchased $25 million of its shares.",
                &[("$25 million", 25e6, None, Some("buyback"))],
            ),
            // A name says where, not what: the measure comes from the sentence.
            (
                "Segment revenue was down 3%, Consulting down 5% and Digital grew 8%.",
                &[
                    ("3%", 3.0, None, Some("revenue")),
                    ("5%", 5.0, None, Some("revenue")),
                    ("8%", 8.0, None, Some("revenue")),
                ],
            ),
            // "unit sales" count units.
            ("Hobson's unit sales increased by 7%.", &[("7%", 7.0, None, Some("growth"))]),
        ]);
    }

    #[test]
    fn growth_is_the_size_of_a_change_never_a_level() {
        check(&[
            // The ends of `from X to Y` are levels.
            (
                "Trellis thinks the market will grow from $2 billion to $3 billion.",
                &[("$2 billion", 2e9, None, None), ("$3 billion", 3e9, None, None)],
            ),
            (
                "Wendle's loans increased by $1.5 billion or 9%.",
                &[("$1.5 billion", 1.5e9, None, Some("growth")), ("9%", 9.0, None, Some("growth"))],
            ),
            (
                "Output at Crandle was 15% and 18% higher than last year.",
                &[("15%", 15.0, None, Some("growth")), ("18%", 18.0, None, Some("growth"))],
            ),
            ("Lindor saw an impressive increase of $40 million.", &[("$40 million", 40e6, None, Some("growth"))]),
            (
                "Volumes at Brask could go up 5%, 10%, 15%.",
                &[
                    ("5%", 5.0, None, Some("growth")),
                    ("10%", 10.0, None, Some("growth")),
                    ("15%", 15.0, None, Some("growth")),
                ],
            ),
            // Guidance: a phrase or a sentence that looks ahead.
            ("Mirrow's guidance of down 2% to 4% holds.", &[("2% to 4%", 2.0, Some(4.0), Some("guidance"))]),
            ("Pelling expects a tax rate of 21%.", &[("21%", 21.0, None, Some("guidance"))]),
        ]);
    }

    #[test]
    fn ratios_are_named_by_what_they_divide() {
        check(&[
            ("At year end Tolliver's net debt-to-EBITDA was 2.4x.", &[("2.4x", 2.4, None, Some("debt"))]),
            (
                "Our net leverage at Sprocket ended at 1.9 times EBITDA.",
                &[("1.9 times EBITDA", 1.9, None, Some("debt"))],
            ),
            // A change's explanation after a comma names no measure of it.
            (
                "Rent expense at Horrow was $8 million, a decline of 5%, driven by lower debt.",
                &[("$8 million", 8e6, None, None), ("5%", 5.0, None, Some("growth"))],
            ),
        ]);
    }

    #[test]
    fn respectively_pairs_figures_with_the_measures_named_in_order() {
        let text = "Adjusted operating income and net income of $262 million and $188 million increased 237% and \
                    258%, respectively.";
        let got: Vec<(String, Option<String>)> = extract(text).into_iter().map(|m| (m.text, m.subject)).collect();
        let want = [
            ("$262 million", "operating income"),
            ("$188 million", "net income"),
            ("237%", "operating income"),
            ("258%", "net income"),
        ];
        let want: Vec<(String, Option<String>)> =
            want.iter().map(|(t, s)| (t.to_string(), Some(s.to_string()))).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn contributions_take_the_measure_that_changed() {
        check(&[
            (
                "Revenue at Quimby rose 12% on strong demand in every region we serve, as well as a 2% positive \
                 contribution from currency.",
                &[("12%", 12.0, None, Some("revenue")), ("2%", 2.0, None, Some("revenue"))],
            ),
            (
                "Brindle's net sales rose $40 million, reflecting $3 million of favorable foreign currency translation.",
                &[("$40 million", 40e6, None, Some("revenue")), ("$3 million", 3e6, None, Some("revenue"))],
            ),
            // A contribution to several measures is a change of none of them.
            (
                "Quimby grew sales and operating income 9% and 11% respectively, both of which include a 2% favorable \
                 impact from currency.",
                &[
                    ("9%", 9.0, None, Some("revenue")),
                    ("11%", 11.0, None, Some("operating income")),
                    ("2%", 2.0, None, Some("growth")),
                ],
            ),
            // A contribution to a measure it names.
            ("Tolver expects a 2% top-line benefit from currency.", &[("2%", 2.0, None, Some("revenue"))]),
        ]);
    }

    #[test]
    fn items_said_alike_measure_alike() {
        check(&[
            (
                "Fees at Harbin rose everywhere, with the Nordics at plus 12%, Iberia at 9%, Benelux at 7%.",
                &[
                    ("12%", 12.0, None, Some("growth")),
                    ("9%", 9.0, None, Some("growth")),
                    ("7%", 7.0, None, Some("growth")),
                ],
            ),
            (
                "Sales of the Varn unit were $50 million, which is a 10% increase on a reported basis, and a 7% \
                 increase in constant currency.",
                &[
                    ("$50 million", 50e6, None, Some("revenue")),
                    ("10%", 10.0, None, Some("revenue")),
                    ("7%", 7.0, None, Some("revenue")),
                ],
            ),
            // The items of a list that breaks a change down are changes.
            (
                "The gain at Oskar comes from 80 basis points of lower freight, 40 basis points of pricing and 20 \
                 basis points of product mix.",
                &[
                    ("80 basis points", 80.0, None, Some("growth")),
                    ("40 basis points", 40.0, None, Some("growth")),
                    ("20 basis points", 20.0, None, Some("growth")),
                ],
            ),
            // A figure compared with a pair is compared with its first; the one restating it with its second.
            (
                "Net income at Ardent was $12 million or $0.40 per share, compared to $9 million or $0.30 per share.",
                &[
                    ("$12 million", 12e6, None, Some("net income")),
                    ("$0.40", 0.4, None, Some("EPS")),
                    ("$9 million", 9e6, None, Some("net income")),
                    ("$0.30", 0.3, None, Some("EPS")),
                ],
            ),
            (
                "Operating income at Vell was $30 million or 11% of revenue, compared to $25 million or 10% of revenue.",
                &[
                    ("$30 million", 30e6, None, Some("operating income")),
                    ("11%", 11.0, None, Some("operating margin")),
                    ("$25 million", 25e6, None, Some("operating income")),
                    ("10%", 10.0, None, Some("operating margin")),
                ],
            ),
            // The terms of a sum.
            (
                "Take the $50 million of EBITDA at Rook, minus the $5 million, add back the $2 million, you're at $47 \
                 million.",
                &[
                    ("$50 million", 50e6, None, Some("EBITDA")),
                    ("$5 million", 5e6, None, Some("EBITDA")),
                    ("$2 million", 2e6, None, Some("EBITDA")),
                    ("$47 million", 47e6, None, Some("EBITDA")),
                ],
            ),
            // With `respectively`, figures pair with the phrases the figures before them were said of.
            (
                "Revenues at Salk were $5 billion and operating expenses were $3 billion, an increase of 8% and 6% \
                 respectively.",
                &[
                    ("$5 billion", 5e9, None, Some("revenue")),
                    ("$3 billion", 3e9, None, None),
                    ("8%", 8.0, None, Some("revenue")),
                    ("6%", 6.0, None, Some("growth")),
                ],
            ),
        ]);
    }

    #[test]
    fn margins_and_shares_of_sales() {
        check(&[
            // A bare margin is the margin the sentence speaks of.
            (
                "Adjusted EBITDA at Poldark rose 9% as margins expanded 120 basis points.",
                &[("9%", 9.0, None, Some("EBITDA")), ("120 basis points", 120.0, None, Some("EBITDA margin"))],
            ),
            ("Segment margins at Poldark were 14%.", &[("14%", 14.0, None, None)]),
            // A profit's share of sales is its margin; an amount of a margin is the profit.
            (
                "Tarrow's adjusted EBITDA was $80 million or 16.5% of sales.",
                &[("$80 million", 80e6, None, Some("EBITDA")), ("16.5%", 16.5, None, Some("EBITDA margin"))],
            ),
            ("Quell's gross margin was $70 million.", &[("$70 million", 70e6, None, Some("gross profit"))]),
            // Profits sharing a plural `margins` are their margins.
            (
                "Gross profit and operating margins at Fenwick were 41% and 12%, respectively.",
                &[("41%", 41.0, None, Some("gross margin")), ("12%", 12.0, None, Some("operating margin"))],
            ),
            // A share of a measure, and the measure a percentage is a ratio to, measure nothing.
            (
                "Sales, general and administrative expenses at Morrow fell from 31% of revenues to 29% of revenues.",
                &[("31%", 31.0, None, None), ("29%", 29.0, None, None)],
            ),
            (
                "The percentage of Orrin's online sales to total sales rose from 20% to 25%.",
                &[("20%", 20.0, None, None), ("25%", 25.0, None, None)],
            ),
            (
                "Operating margins at Delk were 18% of sales, up from 16%.",
                &[("18%", 18.0, None, Some("operating margin")), ("16%", 16.0, None, Some("operating margin"))],
            ),
        ]);
    }

    #[test]
    fn amounts_in_cents_are_per_share() {
        check(&[
            ("Freight at Vintry was a $0.03 headwind.", &[("$0.03", 0.03, None, Some("EPS"))]),
            ("Vintry booked a $0.02 gain in the quarter.", &[("$0.02", 0.02, None, Some("EPS"))]),
            ("Currency will cost Dunmore $0.05 on EPS.", &[("$0.05", 0.05, None, Some("EPS"))]),
            // A price per unit, or a cost, is not.
            ("Diesel at Vintry averaged $0.90 a gallon.", &[("$0.90", 0.9, None, None)]),
            ("Fuel cost at Vintry averaged $0.40.", &[("$0.40", 0.4, None, None)]),
            // "on a per share basis" says how, not what.
            (
                "Free cash flow at Dunmore rose 12% on a per share basis.",
                &[("12%", 12.0, None, Some("free cash flow"))],
            ),
        ]);
    }

    #[test]
    fn the_clause_of_the_figure_decides() {
        check(&[
            // A word that looks ahead counts in the figure's own clause only.
            (
                "We expect Tolland to open soon, and that's shown in the 25% we saw in May.",
                &[("25%", 25.0, None, None)],
            ),
            ("Hoxley's towers are 80% presold, with completions expected in 2025.", &[("80%", 80.0, None, None)]),
            (
                "Brisk expects the market to grow from $2 billion to $3 billion.",
                &[("$2 billion", 2e9, None, None), ("$3 billion", 3e9, None, None)],
            ),
            // The object of a verb of its own predicate.
            (
                "Kelso invested $40 million in capital expenditures, paid $12 million for an acquisition and returned \
                 $9 million to shareholders.",
                &[
                    ("$40 million", 40e6, None, Some("capex")),
                    ("$12 million", 12e6, None, None),
                    ("$9 million", 9e6, None, None),
                ],
            ),
            // An appositive restates the phrase before it.
            (
                "Net debt, a non-GAAP measure decreased by $20 million at Crane.",
                &[("$20 million", 20e6, None, Some("debt"))],
            ),
            // A level compared with `than` is not the size of the change before it.
            ("Pike's plan implies a smaller cut than the current 4.5%.", &[("4.5%", 4.5, None, None)]),
            (
                "Cash flow from operating activities at Lorne was $30 million.",
                &[("$30 million", 30e6, None, Some("operating cash flow"))],
            ),
            ("Ferro shipped 120,000 tons.", &[("120,000", 120_000.0, None, Some("units"))]),
            // An amount in a thing is an amount of it.
            ("Wexley received $80 million in divestiture proceeds.", &[("$80 million", 80e6, None, None)]),
            ("Wexley held $80 million in cash and equivalents.", &[("$80 million", 80e6, None, Some("cash"))]),
            ("Wexley's gross margin peak was 22%.", &[("22%", 22.0, None, Some("gross margin"))]),
        ]);
    }

    #[test]
    fn non_figures_are_ignored() {
        for text in [
            "In 2021 we did well.",
            "Our Q1 results were strong.",
            "The call starts at 5:00 p.m. Eastern and at 8 a.m. tomorrow.",
            "On January 15, 2021 we closed the deal.",
            "This is our 2nd year and the 3rd time.",
            "1. First, the outlook.",
            "Call us at 1-800-555-0199 or (212) 555-0100.",
            "See our 10-K and the 8-K.",
            "COVID-19 hurt 5G rollouts, 24/7.",
            "Over the last 12 months and 90 days.",
            "Please see slide 7 and page 12.",
        ] {
            assert!(extract(text).is_empty(), "{text}: {:#?}", extract(text));
        }
    }

    #[test]
    fn offsets_are_in_characters() {
        let text = "Café — revenue was $5 million.";
        let m = one(text);
        assert_eq!(m.text, "$5 million");
        assert_eq!((m.start, m.end), (19, 29));
    }
}
