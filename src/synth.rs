//! A generator of realistic synthetic transcripts in the classic fool.com layout, for benchmarks and tests at
//! scale (`calldb generate DIR --calls N`). Companies, people and firms are fictional; the layout, the speech
//! patterns (operator introductions, follow-ups, figures, annotations, the advertising block) are the real ones.
//! Output is deterministic for a given seed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate};

const FIRST: &[&str] = &[
    "Alicia", "Brandon", "Carmen", "Derek", "Elena", "Farid", "Grace", "Hector", "Irene", "Jonas", "Keiko", "Liam",
    "Marta", "Nikhil", "Olivia", "Pavel", "Quinn", "Rosa", "Stefan", "Tara", "Umar", "Vera", "Wesley", "Ximena",
    "Yusuf", "Zoe", "Andrew", "Beatrice", "Colin", "Diana",
];
const LAST: &[&str] = &[
    "Abernathy",
    "Baptiste",
    "Castellano",
    "Delacroix",
    "Eriksen",
    "Fairbanks",
    "Galloway",
    "Hargrove",
    "Iwata",
    "Jankowski",
    "Kowalczyk",
    "Lindqvist",
    "Montgomery",
    "Nakamura",
    "Oyelaran",
    "Pemberton",
    "Quintero",
    "Rasmussen",
    "Sorensen",
    "Thibodeaux",
    "Underwood",
    "Valentine",
    "Whitaker",
    "Yamamoto",
    "Zeller",
];
const MIDDLE: &[&str] = &["A.", "B.", "J.", "M.", "R.", "T."];
const FIRMS: &[&str] = &[
    "Harbor Peak Securities",
    "Northgate Capital",
    "Bluewater Partners",
    "Summit Ridge Research",
    "Crescent Bay",
    "Ironwood Advisors",
    "Lakeshore Securities",
    "Granite Point Capital",
    "Meridian Equity Research",
    "Silverline Partners",
    "Oakmont Capital Markets",
    "Redstone Research",
];
const PREFIX: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Cyberdyne",
    "Tyrell",
    "Wonka",
    "Oscorp",
    "Aperture",
    "Nakatomi",
    "Veridian",
    "Monarch",
    "Gringotts",
    "Massive",
    "Dunder",
    "Pied Piper",
    "Prestige",
];
const KIND: &[&str] = &[
    "Robotics",
    "Systems",
    "Holdings",
    "Foods",
    "Energy",
    "Biosciences",
    "Networks",
    "Materials",
    "Logistics",
    "Software",
];
const TOPICS: &[&str] = &[
    "cloud migration",
    "supply chain",
    "pricing",
    "gain share",
    "automation",
    "international expansion",
    "customer retention",
    "new logos",
    "inflation",
    "the product roadmap",
    "channel partners",
    "capacity",
];
const TITLES: &[&str] = &[
    "Chief Executive Officer",
    "Chief Financial Officer",
    "President and Chief Operating Officer",
    "Executive Vice President, Sales",
    "Chief Technology Officer",
];

struct Person {
    name: String,
    title: String,
}

/// Writes `calls` synthetic transcripts under `dir`, spread over `calls / 8` companies (at least one), eight
/// consecutive quarters each. Returns the files written.
pub fn generate(dir: &Path, calls: usize, seed: u64) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let per_company = 8;
    let companies = calls.div_ceil(per_company).max(1);
    let analysts: Vec<(String, &str)> = (0..60)
        .map(|i| {
            (
                format!("{} {}", FIRST[(i * 7 + 3) % FIRST.len()], LAST[(i * 11 + 5) % LAST.len()]),
                FIRMS[i % FIRMS.len()],
            )
        })
        .collect();
    let mut files = Vec::with_capacity(calls);
    let mut written = 0;
    for c in 0..companies {
        let ticker = ticker_for(c);
        let name = format!(
            "{} {} {}",
            PREFIX[c % PREFIX.len()],
            KIND[(c / PREFIX.len()) % KIND.len()],
            if c % 3 == 0 { "Corp" } else { "Inc" }
        );
        let executives: Vec<Person> = (0..rng.usize(2..=4))
            .map(|i| Person { name: person_name(&mut rng), title: TITLES[i].to_string() })
            .collect();
        let ir = Person { name: person_name(&mut rng), title: "Vice President, Investor Relations".into() };
        for q in 0..per_company {
            if written == calls {
                break;
            }
            let quarter = (q % 4) as u8 + 1;
            let year = 2019 + (q / 4) as i32;
            let text = transcript(&mut rng, &name, &ticker, quarter, year, &ir, &executives, &analysts);
            let path = dir.join(format!("{ticker}_q{quarter}_{year}.txt"));
            std::fs::write(&path, text)?;
            files.push(path);
            written += 1;
        }
    }
    Ok(files)
}

fn ticker_for(i: usize) -> String {
    let mut n = i;
    let mut s = String::new();
    for _ in 0..4 {
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        n /= 26;
    }
    s
}

fn person_name(rng: &mut fastrand::Rng) -> String {
    let first = FIRST[rng.usize(..FIRST.len())];
    let last = LAST[rng.usize(..LAST.len())];
    if rng.u8(..4) == 0 {
        format!("{first} {} {last}", MIDDLE[rng.usize(..MIDDLE.len())])
    } else {
        format!("{first} {last}")
    }
}

fn money(rng: &mut fastrand::Rng, lo: f64, hi: f64) -> f64 {
    ((lo + rng.f64() * (hi - lo)) * 10.0).round() / 10.0
}

/// Sentences without figures, which is most of what is said on a call.
const FILLER: &[&str] = &[
    "We remain focused on execution and on serving our customers well.",
    "I want to thank our teams for their hard work this quarter.",
    "We continue to invest in the business for the long term.",
    "Our strategy is working, and we are seeing it in the conversations we have with customers.",
    "Let me give you a bit more color on what we are seeing in the market.",
    "We are pleased with the progress, but there is more work to do.",
    "That is something we watch closely, and we will update you as it develops.",
    "I think that is a fair way to look at it.",
    "We have a strong balance sheet and a disciplined approach to capital allocation.",
    "Demand trends were consistent with what we saw last quarter.",
];

fn sentence(rng: &mut fastrand::Rng) -> String {
    let topic = TOPICS[rng.usize(..TOPICS.len())];
    // About one sentence in four carries a figure, as on real calls.
    if rng.u8(..4) != 0 {
        return FILLER[rng.usize(..FILLER.len())].to_string();
    }
    match rng.u8(..10) {
        0 => format!("Revenue grew {}% year-over-year to ${} million.", rng.u8(2..40), money(rng, 50.0, 900.0)),
        1 => format!(
            "Gross margin was {:.1}%, up {} basis points from a year ago.",
            money(rng, 30.0, 70.0),
            rng.u16(10..300)
        ),
        2 => {
            let lo = money(rng, 100.0, 800.0);
            format!(
                "For the next quarter, we expect revenue of ${lo} million to ${:.1} million.",
                lo + money(rng, 5.0, 20.0)
            )
        }
        3 => format!("Adjusted EBITDA was ${} million, a margin of {}%.", money(rng, 10.0, 200.0), rng.u8(8..35)),
        4 => format!("We continue to see strong demand in {topic}, and our pipeline is the largest it has been."),
        5 => format!(
            "Free cash flow was ${} million, and we ended the quarter with ${:.1} billion in cash.",
            money(rng, 5.0, 150.0),
            money(rng, 0.2, 3.0)
        ),
        6 => format!("Our teams executed well on {topic} -- and we think there is more to come."),
        7 => format!("We signed {} new customers this quarter, including several in {topic}.", rng.u8(3..60)),
        8 => {
            format!("Diluted EPS was ${:.2}, compared with ${:.2} in the prior year.", rng.f64() * 3.0, rng.f64() * 2.5)
        }
        _ => format!("As we look ahead, {topic} remains a priority for the whole organization."),
    }
}

fn paragraph(rng: &mut fastrand::Rng, sentences: std::ops::RangeInclusive<usize>) -> String {
    let n = rng.usize(sentences);
    (0..n).map(|_| sentence(rng)).collect::<Vec<_>>().join(" ")
}

#[allow(clippy::too_many_arguments)]
fn transcript(
    rng: &mut fastrand::Rng,
    company: &str,
    ticker: &str,
    quarter: u8,
    year: i32,
    ir: &Person,
    executives: &[Person],
    analyst_pool: &[(String, &str)],
) -> String {
    let quarter_end =
        NaiveDate::from_ymd_opt(year, u32::from(quarter) * 3, 1).expect("valid month") + Duration::days(30);
    let date = quarter_end + Duration::days(rng.i64(20..45));
    let times = ["8:00 a.m.", "8:30 a.m.", "9:00 a.m.", "10:00 a.m.", "4:30 p.m.", "5:00 p.m."];
    let mut s = String::with_capacity(48 * 1024);
    let _ = write!(s, "Logo of jester cap with thought bubble.\n\nImage source: The Motley Fool.\n\n");
    if rng.bool() {
        let _ = writeln!(s, "{company} (NASDAQ:{ticker})");
    } else {
        let _ = writeln!(s, "{company} ({ticker} {:+.2}%)", rng.f64() * 16.0 - 8.0);
    }
    let _ = writeln!(s, "Q{quarter} {year} Earnings Call");
    let _ = write!(
        s,
        "{} {}, {}, {} ET\n\nContents:\n\n  \u{2022} Prepared Remarks\n  \u{2022} Questions and Answers\n  \u{2022} Call Participants\n\nPrepared Remarks:\n\n",
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][date.month0() as usize],
        date.day(),
        date.year(),
        times[rng.usize(..times.len())]
    );
    let _ = write!(
        s,
        "Operator\n\nGood day, and welcome to the {company} {} quarter {year} earnings conference call. [Operator Instructions] Please note this event is being recorded.\n\n",
        ["first", "second", "third", "fourth"][usize::from(quarter) - 1]
    );
    if rng.bool() {
        let _ = write!(
            s,
            "10 stocks we like better than {company}\nWhen investing geniuses David and Tom Gardner have a stock tip, it can pay to listen. After all, the newsletter they have run for over a decade, Motley Fool Stock Advisor, has tripled the market.*\n\nDavid and Tom just revealed what they believe are the ten best stocks for investors to buy right now... and {company} wasn't one of them! That's right -- they think these 10 stocks are even better buys.\n\nSee the 10 stocks\n\n*Stock Advisor returns as of {}\n\n",
            date.format("%B %-d, %Y")
        );
    }
    let _ = write!(s, "I would now like to turn the conference over to {}. Please go ahead.\n\n", ir.name);
    let _ = write!(
        s,
        "{} -- {}\n\nThank you, operator. Joining me today are {}. Today's remarks include forward-looking statements; actual results may differ materially.\n\n",
        ir.name,
        ir.title,
        executives.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(" and ")
    );
    for e in executives.iter().take(2) {
        let _ = write!(s, "{} -- {}\n\n", e.name, e.title);
        for _ in 0..rng.usize(6..12) {
            s.push_str(&paragraph(rng, 5..=10));
            s.push_str("\n\n");
        }
    }
    s.push_str(if rng.bool() { "Questions and Answers:\n\n" } else { "Questions & Answers:\n\n" });
    let count = rng.usize(4..10);
    let mut asked: Vec<&(String, &str)> = Vec::new();
    for i in 0..count {
        let a = &analyst_pool[rng.usize(..analyst_pool.len())];
        if asked.iter().any(|x| x.0 == a.0) {
            continue;
        }
        asked.push(a);
        let _ = write!(
            s,
            "Operator\n\n{}Our {} question comes from {} with {}. Please go ahead.\n\n",
            if i == 0 { "[Operator Instructions] " } else { "" },
            if i == 0 { "first" } else { "next" },
            a.0,
            a.1
        );
        for follow_up in 0..rng.usize(1..3) {
            let topic = TOPICS[rng.usize(..TOPICS.len())];
            let _ = write!(
                s,
                "{} -- {} -- Analyst\n\n{}Can you talk about {topic} and what it means for the second half? {}\n\n",
                a.0,
                a.1,
                if follow_up == 0 { "Thanks for taking my question. " } else { "And a follow-up, if I may. " },
                sentence(rng)
            );
            for e in executives.iter().take(rng.usize(1..3)) {
                let _ = write!(s, "{} -- {}\n\n", e.name, e.title);
                for _ in 0..rng.usize(1..4) {
                    s.push_str(&paragraph(rng, 3..=8));
                    s.push_str("\n\n");
                }
            }
        }
    }
    let _ = write!(
        s,
        "Operator\n\nThis concludes our question-and-answer session. I would like to turn the call back to {} for closing remarks.\n\n{} -- {}\n\nThank you all for joining us today.\n\nOperator\n\n[Operator Closing Remarks]\n\nDuration: {} minutes\n\nCall participants:\n\n",
        executives[0].name,
        executives[0].name,
        executives[0].title,
        rng.u8(35..75)
    );
    let _ = write!(s, "{} -- {}\n\n", ir.name, ir.title);
    for e in executives {
        let _ = write!(s, "{} -- {}\n\n", e.name, e.title);
    }
    for a in &asked {
        let _ = write!(s, "{} -- {} -- Analyst\n\n", a.0, a.1);
    }
    let _ = write!(s, "More {ticker} analysis\n\nAll earnings call transcripts\n\nAlphaStreet Logo\n");
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_transcripts_parse() {
        let dir = tempfile::tempdir().unwrap();
        let files = super::generate(dir.path(), 12, 7).unwrap();
        assert_eq!(files.len(), 12);
        for f in files {
            let t = crate::parse::parse_bytes(&std::fs::read(&f).unwrap()).unwrap();
            assert!(t.turns.len() > 10);
            assert!(t.listed_participants() >= 5);
        }
    }
}
