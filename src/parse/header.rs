//! Header rules shared by every layout: company lines, call titles and fiscal periods, dates and times, and
//! where each fact came from.
//!
//! A layout reads what its header says into [`HeaderFacts`]; [`HeaderFacts::resolve`] fills each missing fact from
//! the downloader's metadata block, then the page address, then the file name (only with the user's
//! `--name-pattern`), and fails with an error naming the fact when none of them gives it. A fiscal period is never
//! inferred from speech.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone};
use regex::Regex;

use super::{Document, ParseError};
use crate::model::{CallTime, Clock, Company, FactSource, HeaderSources, Transcript};

/// `Acme Corp (NASDAQ:ACME)`, `Liveperson Inc (LPSN -4.22%)`, and the forms pages collapse onto one line:
/// `MongoDB(MDB+2.97%)Q1 2025 Earnings Call…`, `Meta Platforms(META0.63%)reported…`. What follows the closing
/// parenthesis is `rest`. A bare `(MDB)` is read too; layouts accept it only where a title and date follow.
static COMPANY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<company>(?:[^()]|\([^()]*\)){1,120}?)\s*\((?:(?P<exchange>[A-Za-z]{2,12})\s*:\s*(?P<ticker>[A-Za-z0-9][A-Za-z0-9.\-]{0,11})|(?P<ticker2>[A-Z0-9][A-Z0-9.\-]{0,11}?)\s*(?P<change>[+\-\x{2212}]?\s*\d+(?:\.\d+)?)\s*%|(?P<bare>[A-Z][A-Z0-9.\-]{0,11}))\)(?P<rest>.*)$",
    )
    .expect("valid regex")
});

/// `Q1 2021`, `Q4 FY2020`, `Q2 '21`… and `2021 Q1`.
static FISCAL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bQ([1-4])\s*(?:FY\s*)?'?(\d{4})\b|\b(?:FY\s*)?(\d{4})\s*Q([1-4])\b").expect("valid regex")
});

/// Other ways titles write the period: CallStreet's `1Q23` / `4Q 2024`, `Q3 FY25` (two-digit fiscal years, as
/// Indian companies write them), and words (`Second Quarter 2023`, `Fourth Quarter and Full Year 2024`).
static TITLE_FISCAL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<q>[1-4])Q\s*'?(?P<y>\d{4}|\d{2})\b|\bQ(?P<q2>[1-4])\s*(?:(?:and|&)\s+(?:\d+|six|nine)\s*(?:months|M)\s+)?FY\s*'?(?P<y2>\d{4}|\d{2})\b|\b(?P<ord>first|second|third|fourth)\s+quarter\s+(?:and\s+full[\s-]+year\s+)?(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?(?P<y3>(?:19|20)\d\d)\b",
    )
    .expect("valid regex")
});

/// The period in a page address: `…/mongodb-mdb-q1-2025-earnings-call-transcript/`.
static URL_FISCAL_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)[/\-_]q([1-4])[\-_](?:fy[\-_]?)?(\d{4})[\-_/.]").expect("valid regex"));

/// A period stated in editorial prose as the one reported: `…reported its third quarter fiscal 2025 results`,
/// `Q2 2025 results`. Guidance (`expects first quarter 2026 revenue`) is not the period reported.
static PROSE_FISCAL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?:reported|posted|announced|delivered)\s+(?:its\s+|their\s+|the\s+)?(?:fiscal\s+)?(?P<ord>first|second|third|fourth)[\s\-]+(?:fiscal\s+)?quarter\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?(?P<year>(?:19|20)\d\d)|(?P<ord2>first|second|third|fourth)[\s\-]+(?:fiscal\s+)?quarter\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?(?P<year2>(?:19|20)\d\d)\s+(?:results|earnings)|\bQ(?P<q>[1-4])\s*(?:FY\s*)?(?P<year3>(?:19|20)\d\d)\s+(?:results|earnings))\b",
    )
    .expect("valid regex")
});

/// `NASDAQ:APOG` alone on a line, as fool.com prints it above the company name.
pub static EXCHANGE_TICKER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<exchange>NASDAQ|NYSE|NYSEAMERICAN|NYSEMKT|AMEX|OTC|OTCMKTS|TSX|LSE|ASX|ARCA|BATS|CBOE|[A-Z]{2,6})\s*:\s*(?P<ticker>[A-Z0-9][A-Z0-9.\-]{0,11})$")
        .expect("valid regex")
});

/// Dates and times as transcripts print them: `May 4, 2021, 5:00 p.m. ET`, `May 30, 2024,5:00 p.m. ET`,
/// `Nov. 5, 2025 at 5 p.m. ET`, `Wednesday, January 7, 2026 at 9 a.m. ET`, StreetEvents' `JANUARY 14, 2010 /
/// 10:30PM GMT` and a 24-hour `February 8, 2019 12:00 ET` (minutes and zone required without a.m./p.m.).
static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:date:\s*)?(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\.?,?\s+)?(?P<mon>[a-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\s*[,/]?\s*(?:at\s+)?(?:(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?:(?P<ampm>[ap])\.?\s*m\.?)?|(?P<noon>noon))\s*(?P<tz>eastern|central|mountain|pacific|[a-z]{1,5})?\.?(?:\s+time)?\s*$",
    )
    .expect("valid regex")
});

/// A date printed without a time of day: `Dec. 17, 2024`, `Tuesday, December 17, 2024`.
static DATE_ONLY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:date:\s*)?(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\.?,?\s+)?(?P<mon>[a-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\.?$",
    )
    .expect("valid regex")
});

/// Reads a date printed without a time of day: the call's day is known, its time is not.
pub fn parse_date_only(text: &str) -> Option<CallTime> {
    let caps = DATE_ONLY_RE.captures(text.trim())?;
    let month = month_number(&caps["mon"])?;
    let local_date = NaiveDate::from_ymd_opt(caps["year"].parse().ok()?, month, caps["day"].parse().ok()?)?;
    Some(CallTime { local_date, clock: None })
}

/// Where a month name may start a date inside a collapsed header line.
static MONTH_START_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
    )
    .expect("valid regex")
});

/// Words that say a title is about an earnings call, however the publisher words it.
static EARNINGS_EVENT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:earnings|results|financial)\b").expect("valid regex"));

/// Words of a title that name no particular event (periods, `conference call`, …).
static EVENT_NOISE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:q[1-4]|h[12]|fy|fq[1-4]|(?:19|20)\d\d|fiscal|quarter|year|first|second|third|fourth|conference|call|webcast|teleconference|transcript|event|the|of|and|for)\b|[^\w\s]")
        .expect("valid regex")
});

/// What kind of event a call is, for telling one call from another across publishers: `earnings` for every earnings
/// call (`Q4 2009 Intel Corporation Earnings Conference Call` = `Q4 2009 Earnings Call`), else the title's own
/// words without period, company and filler (`investor day`). The archive's V8 migration fills older calls with
/// the same rule's SQL approximation.
pub fn event_of(title: &str, company: &str) -> String {
    if EARNINGS_EVENT_RE.is_match(title) {
        return "earnings".into();
    }
    let company_words: Vec<String> = company.split_whitespace().map(str::to_lowercase).collect();
    let cleaned = EVENT_NOISE_RE.replace_all(title, " ").to_lowercase();
    let words: Vec<&str> = cleaned
        .split_whitespace()
        .filter(|w| !company_words.iter().any(|c| c.trim_matches(|ch: char| !ch.is_alphanumeric()) == *w))
        .collect();
    if words.is_empty() {
        "earnings".into()
    } else {
        words.join(" ")
    }
}

/// A company line, split into its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyLine<'a> {
    pub company: Company,
    pub price_change_pct: Option<f64>,
    /// What follows the closing parenthesis on the same line (empty on the classic three-line header).
    pub rest: &'a str,
    /// The ticker stood alone in its parentheses (`(MDB)`), with neither exchange nor price move: weaker evidence.
    pub bare: bool,
}

/// Reads a company line (see [`COMPANY_RE`]).
pub fn company_line(text: &str) -> Option<CompanyLine<'_>> {
    let caps = COMPANY_RE.captures(text)?;
    let ticker =
        caps.name("ticker").or_else(|| caps.name("ticker2")).or_else(|| caps.name("bare"))?.as_str().to_uppercase();
    let name = caps["company"].trim();
    if name.is_empty() {
        return None;
    }
    Some(CompanyLine {
        company: Company {
            name: name.to_string(),
            ticker: Some(ticker),
            exchange: caps.name("exchange").map(|m| m.as_str().to_uppercase()),
        },
        price_change_pct: caps
            .name("change")
            .and_then(|m| m.as_str().replace('\u{2212}', "-").replace(' ', "").parse::<f64>().ok()),
        rest: caps.name("rest").map_or("", |m| m.as_str()),
        bare: caps.name("bare").is_some(),
    })
}

/// The fiscal quarter and year a title states (`Q1 2021 Earnings Call` → (1, 2021)).
pub fn fiscal_period(title: &str) -> Option<(u8, i32)> {
    let Some(c) = FISCAL_RE.captures(title) else { return fiscal_period_in_words(title) };
    let (q, y) = match (c.get(1), c.get(2)) {
        (Some(q), Some(y)) => (q.as_str(), y.as_str()),
        _ => (c.get(4)?.as_str(), c.get(3)?.as_str()),
    };
    Some((q.parse().ok()?, y.parse().ok()?))
}

/// The period a title writes in one of the other forms of [`TITLE_FISCAL_RE`]; a two-digit year is this century's.
fn fiscal_period_in_words(title: &str) -> Option<(u8, i32)> {
    let c = TITLE_FISCAL_RE.captures(title)?;
    let year = |m: regex::Match| -> Option<i32> {
        let y: i32 = m.as_str().parse().ok()?;
        Some(if m.as_str().len() == 2 { 2000 + y } else { y })
    };
    if let (Some(q), Some(y)) = (c.name("q").or(c.name("q2")), c.name("y").or(c.name("y2"))) {
        return Some((q.as_str().parse().ok()?, year(y)?));
    }
    let q = match c.name("ord")?.as_str().to_lowercase().as_str() {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        _ => 4,
    };
    Some((q, year(c.name("y3")?)?))
}

/// The company a copyright line names (`Copyright © 2023 Citigroup Inc.`, `© 2024 Northwind Bank Corp. All rights
/// reserved.`): page furniture that still says whose call it is.
pub fn copyright_holder(text: &str) -> Option<String> {
    let c = COPYRIGHT_RE.captures(text.trim())?;
    let name = c["name"].trim().trim_end_matches([',', ';']).trim();
    (name.chars().any(char::is_alphabetic) && name.len() <= 80).then(|| name.to_string())
}

/// A line that is a company's registered name alone (`Apollo Hospitals Enterprise Limited`, `Northwind Bank Corp.`):
/// capitalised words ending in a legal form, as a title page prints it. Never a sentence: no digits, no colon.
pub fn registered_name_line(text: &str) -> Option<String> {
    let text = text.trim();
    REGISTERED_NAME_RE.is_match(text).then(|| text.to_string())
}

static REGISTERED_NAME_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[A-Z][A-Za-z&'.\-]*,?\s+|(?:and|of|the|&)\s+){1,8}(?:Limited|Ltd\.?|Inc\.?|Incorporated|Corporation|Corp\.?|plc|PLC|LLC|N\.V\.|S\.A\.|AG|SE)$",
    )
    .expect("valid regex")
});

static COPYRIGHT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?)\s*,?\s+(?P<name>[A-Z][^©]*?)\s*(?:all rights reserved\.?)?$",
    )
    .expect("valid regex")
});

/// The fiscal period in a page address.
pub fn fiscal_period_in_url(url: &str) -> Option<(u8, i32)> {
    let c = URL_FISCAL_RE.captures(url)?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?))
}

/// A fiscal period stated in editorial prose as the period reported (never used on speech).
pub fn fiscal_period_in_prose(text: &str) -> Option<(u8, i32)> {
    let c = PROSE_FISCAL_RE.captures(text)?;
    if let (Some(q), Some(y)) = (c.name("q"), c.name("year3")) {
        return Some((q.as_str().parse().ok()?, y.as_str().parse().ok()?));
    }
    let ord = c.name("ord").or_else(|| c.name("ord2"))?.as_str().to_lowercase();
    let year = c.name("year").or_else(|| c.name("year2"))?.as_str().parse().ok()?;
    let q = match ord.as_str() {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        _ => 4,
    };
    Some((q, year))
}

/// Splits the rest of a collapsed header line (`Q1 2025 Earnings CallMay 30, 2024,5:00 p.m. ET`) into the title and
/// the call's date and time: the date is the first place from which the rest of the line reads as one.
pub fn title_and_schedule(rest: &str) -> Option<(&str, CallTime)> {
    MONTH_START_RE
        .find_iter(rest)
        .find_map(|m| parse_schedule(&rest[m.start()..]).ok().map(|s| (rest[..m.start()].trim(), s)))
}

/// Reads `May 4, 2021, 5:00 p.m. ET` (and the other printed forms of [`DATE_RE`]) into local and UTC times.
pub fn parse_schedule(text: &str) -> Result<CallTime, String> {
    let caps = DATE_RE.captures(text.trim()).ok_or("not a date and time")?;
    let month = month_number(&caps["mon"]).ok_or_else(|| format!("unknown month `{}`", &caps["mon"]))?;
    let day: u32 = caps["day"].parse().map_err(|_| "bad day")?;
    let year: i32 = caps["year"].parse().map_err(|_| "bad year")?;
    let local_date = NaiveDate::from_ymd_opt(year, month, day).ok_or("no such date")?;
    // `noon` has no hour written: 12:00.
    let mut hour: u32 = caps.name("h").map_or(Ok(12), |h| h.as_str().parse()).map_err(|_| "bad hour")?;
    let minute: u32 = caps.name("m").map_or(Ok(0), |m| m.as_str().parse()).map_err(|_| "bad minute")?;
    match caps.name("ampm") {
        _ if caps.name("noon").is_some() => {}
        Some(ampm) => {
            if !(1..=12).contains(&hour) {
                return Err(format!("hour {hour} is not on a 12-hour clock"));
            }
            let pm = ampm.as_str().eq_ignore_ascii_case("p");
            hour = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
        }
        // A 24-hour time must say its minutes and zone (`12:00 ET`): a bare number is not a time.
        None if caps.name("m").is_none() || caps.name("tz").is_none() => return Err("no a.m./p.m.".into()),
        None if hour > 23 => return Err(format!("hour {hour} is not on a 24-hour clock")),
        None => {}
    }
    let local_time = NaiveTime::from_hms_opt(hour, minute, 0).ok_or("no such time")?;
    let abbrev = match caps.name("tz").map(|m| m.as_str().to_uppercase()) {
        None => "ET".to_string(),
        Some(zone) => match zone.as_str() {
            "EASTERN" => "ET".to_string(),
            "CENTRAL" => "CT".to_string(),
            "MOUNTAIN" => "MT".to_string(),
            "PACIFIC" => "PT".to_string(),
            _ => zone,
        },
    };
    schedule_at(local_date, local_time, &abbrev)
}

/// A local date and time in a zone given by its printed abbreviation.
pub fn schedule_at(local_date: NaiveDate, local_time: NaiveTime, abbrev: &str) -> Result<CallTime, String> {
    let zone: chrono_tz::Tz = match abbrev {
        "ET" | "EST" | "EDT" => chrono_tz::America::New_York,
        "CT" | "CST" | "CDT" => chrono_tz::America::Chicago,
        "MT" | "MST" | "MDT" => chrono_tz::America::Denver,
        "PT" | "PST" | "PDT" => chrono_tz::America::Los_Angeles,
        "GMT" | "UTC" | "Z" => chrono_tz::UTC,
        "BST" => chrono_tz::Europe::London,
        "CET" | "CEST" => chrono_tz::Europe::Paris,
        other => return Err(format!("unknown time zone `{other}`")),
    };
    // A wall-clock time in a DST gap does not exist; the earliest mapping handles the repeated hour.
    let starts = zone
        .from_local_datetime(&local_date.and_time(local_time))
        .earliest()
        .ok_or("that local time does not exist in its zone")?;
    Ok(CallTime {
        local_date,
        clock: Some(Clock {
            local_time,
            timezone: zone.name().to_string(),
            zone_abbrev: abbrev.to_string(),
            starts_at_utc: starts.with_timezone(&chrono::Utc),
        }),
    })
}

fn month_number(name: &str) -> Option<u32> {
    const FULL: [&str; 12] = [
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
    let lower = name.to_lowercase();
    if lower.len() > 3 && lower != "sept" {
        return FULL.iter().position(|m| *m == lower).map(|i| i as u32 + 1);
    }
    FULL.iter().position(|m| m.starts_with(&lower) && lower.len() >= 3).map(|i| i as u32 + 1)
}

/// A fact and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact<T> {
    pub value: T,
    pub source: FactSource,
}

impl<T> Fact<T> {
    pub fn text(value: T) -> Self {
        Fact { value, source: FactSource::Text }
    }

    pub fn record(value: T) -> Self {
        Fact { value, source: FactSource::Record }
    }
}

/// What a layout read from its header; [`HeaderFacts::resolve`] completes it.
#[derive(Debug, Clone, Default)]
pub struct HeaderFacts {
    pub ticker: Option<Fact<String>>,
    pub company: Option<Fact<String>>,
    pub exchange: Option<String>,
    pub price_change_pct: Option<f64>,
    /// The call title as printed (`Q1 2021 Earnings Call`).
    pub title: Option<Fact<String>>,
    pub period: Option<Fact<(u8, i32)>>,
    pub schedule: Option<Fact<CallTime>>,
    /// Editorial prose that may state the period (fool.com's summary), read only when nothing better does.
    pub period_prose: Option<String>,
    /// A company line found in editorial prose (`Figma(FIG+9.19%) reported…`): a last resort from the text.
    pub mentioned: Option<Company>,
}

/// The completed header.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub company: Company,
    pub price_change_pct: Option<f64>,
    pub title: String,
    pub fiscal_quarter: u8,
    pub fiscal_year: i32,
    pub schedule: Option<CallTime>,
    pub sources: HeaderSources,
    /// Disagreements between the text and the metadata block (the text wins).
    pub warnings: Vec<String>,
}

impl Resolved {
    /// The transcript these header facts head, with the participants and turns a layout read; the layout then
    /// sets what only it knows (duration, editorial text, dropped blocks, truncation) and adds its warnings.
    pub fn into_transcript(
        self,
        layout: &'static str,
        doc: &Document,
        participants: Vec<crate::model::Participant>,
        turns: Vec<crate::model::Turn>,
    ) -> Transcript {
        Transcript {
            layout,
            company: self.company,
            title: self.title,
            fiscal_quarter: self.fiscal_quarter,
            fiscal_year: self.fiscal_year,
            schedule: self.schedule,
            price_change_pct: self.price_change_pct,
            duration_minutes: None,
            participants,
            turns,
            warnings: self.warnings,
            source_url: doc.source_url.clone(),
            header_sources: self.sources,
            editorial: Vec::new(),
            dropped: Vec::new(),
            truncated_at_line: None,
        }
    }
}

/// `MongoDB (MongoDB)` / `Microsoft (微软)` in a metadata block: the name before any parenthesized alias.
fn metadata_company(value: &str) -> String {
    match value.find(" (") {
        Some(i) if value.ends_with(')') => value[..i].trim().to_string(),
        _ => value.trim().to_string(),
    }
}

impl HeaderFacts {
    /// Fills each missing fact from the metadata block, the page address, then the file name, and the ticker last
    /// from the user's companies file; errors name the fact that nothing gives and where calldb looked.
    ///
    /// The ticker and the date may stay unknown: a call whose ticker is nowhere is kept under its company name
    /// (never a made-up ticker), and one whose date is nowhere keeps no date. The fiscal period, and a company
    /// name or ticker, are required.
    pub fn resolve(mut self, doc: &Document) -> Result<Resolved, ParseError> {
        let file = &doc.file_facts;
        let record = doc.record.cloned().unwrap_or_default();
        let mut warnings = Vec::new();
        let text_period =
            self.period.as_ref().map(|p| p.value).or_else(|| self.title.as_ref().and_then(|t| fiscal_period(&t.value)));
        // The text wins over what stands around it; a disagreement is worth a warning.
        let others = [
            ("the metadata block", doc.meta("ticker").map(str::to_string), doc.meta("quarter").and_then(fiscal_period)),
            ("the record", record.ticker.clone(), record.quarter.zip(record.year)),
        ];
        for (what, ticker, period) in others {
            if let (Some(text), Some(other)) = (&self.ticker, &ticker) {
                if !text.value.eq_ignore_ascii_case(other.trim()) {
                    warnings.push(format!("{what} says ticker {other}, the header {}: the header is used", text.value));
                }
            }
            if let (Some((q, y)), Some(other)) = (text_period, period) {
                if (q, y) != other {
                    warnings
                        .push(format!("{what} says Q{} {}, the header Q{q} {y}: the header is used", other.0, other.1));
                }
            }
        }
        let text_ticker = self
            .ticker
            .take()
            .or_else(|| {
                doc.meta("ticker").map(|t| Fact { value: t.trim().to_uppercase(), source: FactSource::Metadata })
            })
            .or_else(|| record.ticker.clone().map(Fact::record))
            .or_else(|| self.mentioned.as_ref().and_then(|c| c.ticker.clone()).map(Fact::text))
            .or_else(|| file.ticker.clone().map(|t| Fact { value: t, source: FactSource::FileName }));
        let company = self
            .company
            .take()
            .or_else(|| doc.meta("company").map(|c| Fact { value: metadata_company(c), source: FactSource::Metadata }))
            .or_else(|| record.company.clone().map(Fact::record))
            .or_else(|| self.mentioned.as_ref().map(|c| Fact::text(c.name.clone())))
            .or_else(|| file.company.clone().map(|c| Fact { value: c, source: FactSource::FileName }));
        let ticker = text_ticker.or_else(|| {
            let name = company.as_ref()?;
            let directory = doc.companies?;
            directory.ticker_for(&name.value).map(|t| Fact { value: t.to_string(), source: FactSource::CompaniesFile })
        });
        let company = match (company, &ticker) {
            (Some(c), _) => c,
            // A ticker is a name users recognize; better than refusing a call whose company the file never names.
            (None, Some(t)) => t.clone(),
            (None, None) => return Err(missing(doc, "ticker or company name", "{ticker} or {company}")),
        };
        let period = self
            .period
            .take()
            .or_else(|| self.title.as_ref().and_then(|t| fiscal_period(&t.value)).map(Fact::text))
            .or_else(|| {
                doc.meta("quarter").and_then(fiscal_period).map(|value| Fact { value, source: FactSource::Metadata })
            })
            .or_else(|| record.quarter.zip(record.year).map(|value| Fact { value, source: FactSource::Record }))
            .or_else(|| {
                doc.source_url
                    .as_deref()
                    .and_then(fiscal_period_in_url)
                    .map(|value| Fact { value, source: FactSource::Url })
            })
            .or_else(|| self.period_prose.as_deref().and_then(fiscal_period_in_prose).map(Fact::text))
            .or(match (file.quarter, file.year) {
                (Some(q), Some(y)) => Some(Fact { value: (q, y), source: FactSource::FileName }),
                _ => None,
            })
            .ok_or_else(|| missing(doc, "fiscal period", "{year} and {quarter}"))?;
        let schedule = self.schedule.take().or_else(|| record.schedule.clone().map(Fact::record)).or_else(|| {
            // A file name gives the day, not the time of day: the time stays unknown.
            file.date
                .map(|date| Fact { value: CallTime { local_date: date, clock: None }, source: FactSource::FileName })
        });
        let (q, y) = period.value;
        let title = self
            .title
            .take()
            .or_else(|| record.title.clone().map(Fact::record))
            .unwrap_or(Fact { value: format!("Q{q} {y} Earnings Call"), source: FactSource::Derived });
        Ok(Resolved {
            sources: HeaderSources {
                ticker: ticker.as_ref().map(|t| t.source),
                company: company.source,
                title: title.source,
                fiscal_period: period.source,
                call_date: schedule.as_ref().map(|s| s.source),
            },
            company: Company {
                ticker: ticker.map(|t| t.value),
                name: company.value,
                exchange: self.exchange.or_else(|| self.mentioned.and_then(|c| c.exchange)),
            },
            price_change_pct: self.price_change_pct,
            title: title.value,
            fiscal_quarter: q,
            fiscal_year: y,
            schedule: schedule.map(|s| s.value),
            warnings,
        })
    }
}

/// The error for a fact nothing gives: names the fact, where calldb looked, and the placeholder that would read
/// it from the file name.
fn missing(doc: &Document, fact: &str, placeholder: &str) -> ParseError {
    let looked = match (doc.metadata.is_some(), doc.record.is_some()) {
        (_, true) => "the text (header, page address, summary) and the record's fields",
        (true, false) => "the text (header, metadata block, page address, summary)",
        (false, false) => "the text (header, page address, summary)",
    };
    let hint = match (&doc.name_pattern, &doc.file_name) {
        (Some(p), Some(name)) if !doc.name_matches => {
            format!("; the file name `{name}` does not match --name-pattern `{p}`")
        }
        (Some(p), Some(name)) => format!(
            "; the file name `{name}` does not give it with --name-pattern `{p}` (a pattern with {placeholder} reads it)"
        ),
        _ => format!(
            "; if the file name holds it, say how names are built with --name-pattern (for example \
             '{{ticker}}_{{year}}_Q{{quarter}}_*.txt'; {placeholder} gives the {fact})"
        ),
    };
    ParseError::MissingFact(format!("no {fact} in {looked}{hint}"))
}

/// Implausible header values become warnings recorded with the call: never silent, never fatal for a fact the
/// file states.
pub fn check_plausible(t: &mut Transcript) {
    let today = chrono::Utc::now().date_naive();
    if let Some(date) = t.schedule.as_ref().map(|s| s.local_date) {
        if date.year() < 1990 || date > today + chrono::Days::new(366) {
            t.warnings.push(format!("implausible call date {date}: it is kept as written"));
        }
        if (t.fiscal_year - date.year()).abs() > 2 {
            t.warnings
                .push(format!("fiscal year {} is far from the call date {date}: check the header", t.fiscal_year));
        }
    }
    if let Some(p) = t.price_change_pct {
        if !p.is_finite() || p.abs() > 100.0 {
            t.warnings.push(format!("implausible price move {p}%: not stored"));
            t.price_change_pct = None;
        }
    }
    if let Some(d) = t.duration_minutes {
        if d > 600 {
            t.warnings.push(format!("implausible duration of {d} minutes: it is kept as written"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_handles_daylight_saving_noon_and_printed_forms() {
        let clock = |printed: &str| parse_schedule(printed).unwrap().clock.unwrap();
        let s = clock("May 4, 2021, 5:00 p.m. ET");
        assert_eq!(s.local_time.to_string(), "17:00:00");
        assert_eq!(s.starts_at_utc.to_rfc3339(), "2021-05-04T21:00:00+00:00");
        assert_eq!(clock("Feb 25, 2021, 5:00 p.m. ET").starts_at_utc.to_rfc3339(), "2021-02-25T22:00:00+00:00");
        assert_eq!(clock("Jul 08, 2020, 12:00 p.m. ET").local_time.to_string(), "12:00:00");
        assert_eq!(clock("September 3, 2020, 12:30 a.m. ET").local_time.to_string(), "00:30:00");
        let day = parse_date_only("Dec. 17, 2024").unwrap();
        assert_eq!((day.local_date.to_string(), day.clock), ("2024-12-17".to_string(), None));
        assert!(parse_date_only("Dec. 17, 2024 at 10 a.m. ET").is_none());
        assert!(parse_schedule("Smarch 3, 2020, 9:00 a.m. ET").is_err());
        assert!(parse_schedule("May 4, 2021, 13:00 p.m. ET").is_err());
        for (printed, date, time) in [
            ("May 30, 2024,5:00 p.m. ET", "2024-05-30", "17:00:00"),
            ("Nov. 5, 2025 at 5 p.m. ET", "2025-11-05", "17:00:00"),
            ("Jan. 28, 2026, 4:30 p.m. ET", "2026-01-28", "16:30:00"),
            ("Wednesday, January 7, 2026 at 9 a.m. ET", "2026-01-07", "09:00:00"),
            ("Sept. 9, 2025 at 8:30 a.m. ET", "2025-09-09", "08:30:00"),
            ("Tue, Dec 17, 2024 at 10 a.m. ET", "2024-12-17", "10:00:00"),
            ("Tuesday, Dec. 9, 2025, at 4:30 p.m. ET", "2025-12-09", "16:30:00"),
            ("Dec. 17, 2024 at noon ET", "2024-12-17", "12:00:00"),
            ("Dec. 17, 2024 at 10 a.m. Eastern", "2024-12-17", "10:00:00"),
            ("Date: Dec. 17, 2024 at 10 a.m. ET", "2024-12-17", "10:00:00"),
            ("JANUARY 14, 2010 / 10:30PM GMT", "2010-01-14", "22:30:00"),
            ("May  1, 2018 10:00 AM ET", "2018-05-01", "10:00:00"),
            ("February 8, 2019 12:00 ET", "2019-02-08", "12:00:00"),
        ] {
            let s = parse_schedule(printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
            let c = s.clock.unwrap();
            assert_eq!((s.local_date.to_string().as_str(), c.local_time.to_string().as_str()), (date, time));
        }
    }

    #[test]
    fn company_lines_in_every_printed_form() {
        let c = company_line("Acme Corp (NASDAQ:ACME)").unwrap();
        assert_eq!(
            (c.company.ticker.as_deref().unwrap(), c.company.exchange.as_deref(), c.rest),
            ("ACME", Some("NASDAQ"), "")
        );
        let c = company_line("Liveperson Inc (LPSN -4.22%)").unwrap();
        assert_eq!((c.company.name.as_str(), c.price_change_pct), ("Liveperson Inc", Some(-4.22)));
        let c = company_line("MongoDB(MDB+2.97%)Q1 2025 Earnings CallMay 30, 2024,5:00 p.m. ET").unwrap();
        assert_eq!(
            (c.company.name.as_str(), c.company.ticker.as_deref().unwrap(), c.price_change_pct),
            ("MongoDB", "MDB", Some(2.97))
        );
        let (title, s) = title_and_schedule(c.rest).unwrap();
        assert_eq!(title, "Q1 2025 Earnings Call");
        assert_eq!(s.local_date.to_string(), "2024-05-30");
        let c = company_line("Meta Platforms(META0.63%)reported substantial growth").unwrap();
        assert_eq!((c.company.ticker.as_deref().unwrap(), c.price_change_pct), ("META", Some(0.63)));
        assert!(company_line("We grew (about 5%) this year").is_none());
        let c = company_line("MongoDB(MDB)Q1 2025 Earnings CallMay 30, 2024,5:00 p.m. ET").unwrap();
        assert_eq!((c.company.ticker.as_deref(), c.price_change_pct), (Some("MDB"), None));
        let c = company_line("MongoDB (Atlas) Inc(MDB+2.97%)Q1 2025 Earnings Call").unwrap();
        assert_eq!((c.company.name.as_str(), c.company.ticker.as_deref()), ("MongoDB (Atlas) Inc", Some("MDB")));
    }

    #[test]
    fn events_are_the_same_whatever_the_title_wording() {
        assert_eq!(event_of("Q4 2009 Intel Corporation Earnings Conference Call", "Intel Corporation"), "earnings");
        assert_eq!(event_of("Q4 2009 Earnings Call", "Intel"), "earnings");
        assert_eq!(event_of("Q3 2022 Results Conference Call", "Acme"), "earnings");
        assert_eq!(event_of("Q2 2024 Acme Corp Investor Day", "Acme Corp"), "investor day");
        assert_eq!(event_of("Q2 2024 Conference Call", "Acme"), "earnings");
    }

    #[test]
    fn fiscal_periods_from_titles_addresses_and_prose() {
        assert_eq!(fiscal_period("1Q23 FINANCIAL RESULTS"), Some((1, 2023)));
        assert_eq!(fiscal_period("4Q 2024 Earnings Call"), Some((4, 2024)));
        assert_eq!(fiscal_period("Transcript of AHEL Q3 FY25 Earnings Call"), Some((3, 2025)));
        assert_eq!(fiscal_period("Q3 and 9 Months FY '25 Earnings Conference Call"), Some((3, 2025)));
        assert_eq!(fiscal_period("Q2 FY2024 Earnings Call"), Some((2, 2024)));
        assert_eq!(fiscal_period("Citi Second Quarter 2023 Earnings Review"), Some((2, 2023)));
        assert_eq!(fiscal_period("Fourth Quarter and Full Year 2024 Results"), Some((4, 2024)));
        assert_eq!(fiscal_period("Earnings Call"), None);
        assert_eq!(copyright_holder("Copyright © 2023 Citigroup Inc."), Some("Citigroup Inc.".into()));
        assert_eq!(
            copyright_holder("© 2024 Northwind Bank Corp. All rights reserved."),
            Some("Northwind Bank Corp.".into())
        );
        assert_eq!(copyright_holder("Copyright infringement is a crime"), None);
        assert_eq!(
            registered_name_line("Apollo Hospitals Enterprise Limited").as_deref(),
            Some("Apollo Hospitals Enterprise Limited")
        );
        assert!(registered_name_line("Indian Railway Catering and Tourism Corporation Limited").is_some());
        assert_eq!(registered_name_line("We grew revenue at Acme Inc."), None);
        assert_eq!(registered_name_line("Limited"), None);
        assert_eq!(fiscal_period("Q1 2021 Earnings Call"), Some((1, 2021)));
        assert_eq!(fiscal_period("2021 Q3 Earnings Call"), Some((3, 2021)));
        assert_eq!(
            fiscal_period_in_url("https://www.fool.com/earnings/call-transcripts/2024/05/31/mongodb-mdb-q1-2025-earnings-call-transcript/"),
            Some((1, 2025))
        );
        assert_eq!(fiscal_period_in_prose("reported its third quarter fiscal 2025 results"), Some((3, 2025)));
        assert_eq!(fiscal_period_in_prose("Acme's second-quarter 2025 results beat"), Some((2, 2025)));
        assert_eq!(fiscal_period_in_prose("Acme posted Q4 2025 results"), Some((4, 2025)));
        assert_eq!(fiscal_period_in_prose("revenue grew in the quarter"), None);
        assert_eq!(fiscal_period_in_prose("management expects first quarter 2026 revenue to recover"), None);
    }
}
