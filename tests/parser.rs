//! Parser behaviour on the project's own fixture transcripts (fictional companies in the classic layout).

use calldb::model::{Role, SectionKind, Transcript, TurnKind};
use calldb::parse::{parse_bytes, ParseError};

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn parse(name: &str) -> Transcript {
    parse_bytes(&sample(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn speakers(t: &Transcript) -> Vec<&str> {
    t.turns.iter().map(|x| t.participants[x.participant.unwrap()].name.as_str()).collect()
}

#[test]
fn header_with_exchange() {
    let t = parse("acme-robotics-q1-2021.txt");
    assert_eq!(t.company.name, "Acme Robotics Inc");
    assert_eq!(t.company.ticker.as_deref(), Some("ACME"));
    assert_eq!(t.company.exchange.as_deref(), Some("NASDAQ"));
    assert_eq!(t.price_change_pct, None);
    assert_eq!(t.title, "Q1 2021 Earnings Call");
    assert_eq!((t.fiscal_quarter, t.fiscal_year), (1, 2021));
    assert_eq!(t.schedule.as_ref().unwrap().local_date.to_string(), "2021-04-27");
    assert_eq!(t.schedule.as_ref().unwrap().clock.as_ref().unwrap().local_time.format("%H:%M").to_string(), "08:30");
    assert_eq!(t.schedule.as_ref().unwrap().clock.as_ref().unwrap().timezone, "America/New_York");
    // April: daylight saving time, UTC-4.
    assert_eq!(
        t.schedule.as_ref().unwrap().clock.as_ref().unwrap().starts_at_utc.to_rfc3339(),
        "2021-04-27T12:30:00+00:00"
    );
    assert_eq!(t.duration_minutes, Some(38));
    assert_eq!(t.listed_participants(), 6);
}

#[test]
fn header_with_price_move_and_fiscal_year_before_calendar_year() {
    let t = parse("acme-robotics-q4-2020.txt");
    assert_eq!(t.company.exchange, None);
    assert_eq!(t.price_change_pct, Some(2.15));
    assert_eq!((t.fiscal_quarter, t.fiscal_year), (4, 2020));
    assert_eq!(t.schedule.as_ref().unwrap().local_date.to_string(), "2021-02-09");
    // February: standard time, UTC-5.
    assert_eq!(
        t.schedule.as_ref().unwrap().clock.as_ref().unwrap().starts_at_utc.to_rfc3339(),
        "2021-02-09T22:00:00+00:00"
    );
    assert!(t.turns.iter().any(|x| x.section == SectionKind::Qa && x.section_heading == "Questions & Answers:"));
}

#[test]
fn turns_speakers_and_paragraphs_as_written() {
    let t = parse("acme-robotics-q1-2021.txt");
    assert_eq!(t.turns.len(), 21);
    assert_eq!(
        &speakers(&t)[..8],
        &[
            "Operator",
            "Dana Whitfield",
            "Robert P. Vance",
            "Lena Okafor",
            "Operator",
            "Drew Patel",
            "Robert P. Vance",
            "Operator"
        ]
    );
    let dana = &t.turns[1];
    assert_eq!(dana.speaker_line, "Dana Whitfield -- Vice President, Investor Relations");
    assert_eq!(dana.paragraphs.len(), 2);
    assert!(dana.text().contains("Chief Financial Officer.\n\nBefore we begin"));
    let chris = &t.participants[t.turns[11].participant.unwrap()];
    assert_eq!(chris.name, "Chris");
    assert_eq!(chris.firm.as_deref(), Some("KeyBanc Capital Markets."));
    assert_eq!(chris.title.as_deref(), Some("Analyst"));
    assert_eq!(chris.role, Role::Analyst);
}

#[test]
fn advertising_block_is_not_speech() {
    let t = parse("acme-robotics-q1-2021.txt");
    let operator = &t.turns[0];
    assert_eq!(operator.paragraphs.len(), 2, "{:?}", operator.paragraphs);
    for turn in &t.turns {
        let text = turn.text();
        assert!(!text.contains("Stock Advisor") && !text.contains("10 stocks"), "{text}");
    }
}

#[test]
fn traps_stay_speech() {
    let t = parse("acme-robotics-q1-2021.txt");
    let ceo = &t.turns[2];
    assert_eq!(ceo.paragraphs.len(), 3);
    assert!(ceo.paragraphs[1].starts_with("We grew -- and I mean really grew --"));
    assert!(ceo.paragraphs[2].starts_with("Operator, I think Lena"));
    // A name-like line with no evidence behind it is speech, not a new speaker.
    let answer = &t.turns[6];
    assert_eq!(answer.paragraphs.len(), 3);
    assert_eq!(answer.paragraphs[1], "Jane Goodall");
    assert!(!t.participants.iter().any(|p| p.name == "Jane Goodall"));
}

#[test]
fn unlisted_speaker_introduced_by_the_operator_is_an_analyst() {
    let t = parse("acme-robotics-q1-2021.txt");
    let tomas: Vec<_> =
        t.turns.iter().filter(|x| t.participants[x.participant.unwrap()].name == "Tomas Lindqvist").collect();
    assert_eq!(tomas.len(), 2);
    let p = &t.participants[tomas[0].participant.unwrap()];
    assert!(!p.listed);
    assert_eq!(p.role, Role::Analyst);
    assert!(tomas.iter().all(|x| x.kind == TurnKind::Question && x.title_as_written.is_none()));
}

#[test]
fn turn_kinds() {
    let t = parse("acme-robotics-q1-2021.txt");
    let kinds: Vec<TurnKind> = t.turns.iter().map(|x| x.kind).collect();
    assert_eq!(
        kinds[..7],
        [
            TurnKind::Operator,
            TurnKind::Remarks,
            TurnKind::Remarks,
            TurnKind::Remarks,
            TurnKind::Operator,
            TurnKind::Question,
            TurnKind::Answer
        ]
    );
}

#[test]
fn annotations_are_kept_in_text_and_listed() {
    let t = parse("acme-robotics-q1-2021.txt");
    assert!(t.turns[0].text().contains("[Operator Instructions]"));
    let all: Vec<String> = t.turns.iter().flat_map(|x| x.annotations()).map(|a| a.1).collect();
    for a in ["Operator Instructions", "Phonetic", "Indecipherable", "Operator Closing Remarks"] {
        assert!(all.iter().any(|x| x == a), "{a} missing from {all:?}");
    }
}

#[test]
fn call_without_qa_or_participants_list() {
    let t = parse("initech-q2-2021.txt");
    assert_eq!(t.listed_participants(), 0);
    assert_eq!(t.company.ticker.as_deref(), Some("INTC.X"));
    assert_eq!(t.schedule.as_ref().unwrap().clock.as_ref().unwrap().local_time.format("%H:%M").to_string(), "10:00");
    assert!(t.turns.iter().all(|x| x.section == SectionKind::PreparedRemarks));
    assert_eq!(
        speakers(&t),
        [
            "Operator",
            "William Lumbergh, Jr",
            "Peter A. Gibbons",
            "Operator",
            "Samir Nagheenanajar",
            "Peter A. Gibbons",
            "Samir Nagheenanajar",
            "Operator"
        ]
    );
    assert_eq!(t.turns[1].paragraphs.len(), 2);
    assert_eq!(t.turns[4].kind, TurnKind::Question);
    assert_eq!(t.turns[5].kind, TurnKind::Answer);
    assert_eq!(t.duration_minutes, Some(21));
}

#[test]
fn bom_crlf_and_nbsp_give_the_same_structure() {
    let plain = parse("acme-robotics-q1-2021.txt");
    let text = String::from_utf8(sample("acme-robotics-q1-2021.txt")).unwrap();
    let messy = format!(
        "\u{feff}{}",
        text.replace('\n', "\r\n")
            .replace("Acme Robotics Inc (", "Acme\u{a0}Robotics Inc\u{a0}(")
            .replace("Q1 2021", "Q1\u{a0}2021")
    );
    let t = parse_bytes(messy.as_bytes()).unwrap();
    assert_eq!(t.company, plain.company);
    assert_eq!(t.turns.len(), plain.turns.len());
    for (a, b) in t.turns.iter().zip(&plain.turns) {
        assert_eq!(a.paragraphs, b.paragraphs);
        assert_eq!(a.speaker_line, b.speaker_line);
    }
    assert!(t.warnings.is_empty());
}

#[test]
fn windows_1252_is_decoded_with_a_warning() {
    let text = String::from_utf8(sample("acme-robotics-q4-2020.txt")).unwrap();
    let text =
        text.replace("Pricing was stable.", "Pricing was stable \u{2013} we\u{2019}re pleased, caf\u{e9} included.");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err());
    let t = parse_bytes(&bytes).unwrap();
    assert!(t.warnings.iter().any(|w| w.contains("Windows-1252")), "{:?}", t.warnings);
    assert!(t.turns.iter().any(|x| x.text().contains("stable \u{2013} we\u{2019}re pleased, caf\u{e9}")));
}

fn error_of(text: &str) -> ParseError {
    parse_bytes(text.as_bytes()).expect_err("should be refused")
}

#[test]
fn bad_input_names_the_line_and_what_was_expected() {
    let good = String::from_utf8(sample("acme-robotics-q1-2021.txt")).unwrap();

    let e = error_of(&good.replace("Apr 27, 2021, 8:30 a.m. ET", "sometime in April"));
    assert_eq!(e.line(), Some(7), "{e}");
    assert!(e.to_string().contains("call date"), "{e}");

    let e = error_of(&good.replace("Q1 2021 Earnings Call", "Earnings Call"));
    assert_eq!(e.line(), Some(6), "{e}");
    assert!(e.to_string().contains("fiscal period"), "{e}");

    let e = error_of(&good.replace("Prepared Remarks:\n\nOperator\n", "Prepared Remarks:\n\n"));
    assert_eq!(e.line(), Some(18), "{e}");
    assert!(e.to_string().contains("expected a speaker line"), "{e}");

    let e = error_of("Just some notes\nabout a call\n");
    assert!(matches!(e, ParseError::UnknownLayout(_)), "{e}");
    assert!(e.to_string().contains("no transcript header in the first 40 lines"), "{e}");
    assert!(e.to_string().contains("fool-classic, fool-2025"), "{e}");

    // Files of the other publishers that lack what their layout needs say what is missing.
    let e =
        error_of("Refinitiv StreetEvents Event Transcript\nE D I T E D   V E R S I O N\nQ4 2009 Acme Earnings Call\n");
    assert!(e.to_string().contains("`Presentation` or `Questions and Answers` section heading"), "{e}");
    let e = error_of("CORPORATE PARTICIPANTS\nJane Doe\nAcme Corp. - CFO\nCONFERENCE CALL PARTICIPANTS\n");
    assert!(e.to_string().contains("S&P Capital IQ"), "{e}");
    let e = error_of("Acme Corp (NYSE:ACME) Q1 2018 Earnings Conference Call April 18, 2018  9:00 AM ET\nExecutives\n");
    assert!(e.to_string().contains("expected at least one speaker turn"), "{e}");
    let e = error_of("Acme Corp (NYSE:ACME) Q1 2018 Earnings Conference Call April 18, 2018  9:00 AM ET\nHello\n");
    assert!(e.to_string().contains("Seeking Alpha"), "{e}");
    let e = error_of(&good.replace("Prepared Remarks:", "Prepared Remarks").replace("Questions and Answers:", "Q&A"));
    assert!(e.to_string().contains("no section heading"), "{e}");
}

/// Never panics, whatever the bytes: truncations at every line, lines shuffled and dropped, random bytes.
#[test]
fn fuzzed_input_never_panics() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for name in ["acme-robotics-q1-2021.txt", "acme-robotics-q4-2020.txt", "initech-q2-2021.txt"] {
        let bytes = sample(name);
        let text = String::from_utf8(bytes.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for cut in 0..lines.len() {
            let _ = parse_bytes(lines[..cut].join("\n").as_bytes());
            let _ = parse_bytes(lines[cut..].join("\n").as_bytes());
        }
        for _ in 0..300 {
            let mut mutated: Vec<&str> = lines.clone();
            for _ in 0..(next() % 6) {
                if mutated.is_empty() {
                    break;
                }
                let i = (next() as usize) % mutated.len();
                let j = (next() as usize) % mutated.len();
                match next() % 3 {
                    0 => mutated.swap(i, j),
                    1 => {
                        mutated.remove(i);
                    }
                    _ => mutated.insert(i, lines[j % lines.len()]),
                }
            }
            let _ = parse_bytes(mutated.join("\n").as_bytes());
            let mut raw = bytes.clone();
            for _ in 0..(1 + next() % 8) {
                let i = (next() as usize) % raw.len();
                raw[i] = next() as u8;
            }
            let _ = parse_bytes(&raw);
        }
    }
}

#[test]
fn placeholder_speakers_introduced_by_the_operator_ask_questions() {
    let text = String::from_utf8(sample("acme-robotics-q1-2021.txt"))
        .unwrap()
        .replace("Tomas Lindqvist\n", "Unknown speaker\n");
    let t = parse_bytes(text.as_bytes()).unwrap();
    let unknown: Vec<_> =
        t.turns.iter().filter(|x| t.participants[x.participant.unwrap()].name == "Unknown speaker").collect();
    assert_eq!(unknown.len(), 2);
    assert!(
        unknown.iter().all(|x| x.kind == TurnKind::Question),
        "{:?}",
        unknown.iter().map(|x| x.kind).collect::<Vec<_>>()
    );
    assert_eq!(t.participants[unknown[0].participant.unwrap()].role, Role::Unknown);
    // The answer between the two stays an answer.
    assert_eq!(t.turns[16].kind, TurnKind::Answer);
}

#[test]
fn speaker_lines_are_found_by_shape_without_the_participants_list() {
    let text = String::from_utf8(sample("acme-robotics-q1-2021.txt")).unwrap();
    let with_list = parse_bytes(text.as_bytes()).unwrap();
    let cut = &text[..text.find("Call participants:").unwrap()];
    let without = parse_bytes(cut.as_bytes()).unwrap();
    assert_eq!(without.listed_participants(), 0);
    let lines = |t: &Transcript| {
        t.turns.iter().map(|x| (x.speaker_line.clone(), x.paragraphs.len(), x.kind)).collect::<Vec<_>>()
    };
    assert_eq!(lines(&without), lines(&with_list));
}

/// Layout noise that must not change what was said: blank lines collapsed or doubled, tabs and trailing spaces.
#[test]
fn whitespace_noise_gives_the_same_structure() {
    for name in ["acme-robotics-q1-2021.txt", "acme-robotics-q4-2020.txt", "initech-q2-2021.txt"] {
        let text = String::from_utf8(sample(name)).unwrap();
        let base = parse(name);
        let variants = [
            text.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n"),
            text.replace("\n\n", "\n\n\n"),
            text.lines()
                .map(|l| if l.is_empty() { String::new() } else { format!("\t{l}  ") })
                .collect::<Vec<_>>()
                .join("\n"),
        ];
        for v in variants {
            let t = parse_bytes(v.as_bytes()).unwrap();
            assert_eq!(t.turns.len(), base.turns.len(), "{name}");
            for (a, b) in t.turns.iter().zip(&base.turns) {
                assert_eq!(
                    (&a.speaker_line, &a.paragraphs, a.kind),
                    (&b.speaker_line, &b.paragraphs, b.kind),
                    "{name}"
                );
            }
            assert_eq!(t.listed_participants(), base.listed_participants());
        }
    }
}

/// A speaker line that is exactly a participants-list entry is a speaker line whatever its length (and however its
/// dashes are spaced).
#[test]
fn list_entries_are_speaker_lines_whatever_their_length() {
    let title = "Senior Vice President, ".repeat(12) + "and Chief Financial Officer";
    let text = format!(
        "Acme Corp (NASDAQ:ACME)\nQ2 2021 Earnings Call\nJul 8, 2021, 10:00 a.m. ET\n\nPrepared Remarks:\n\nOperator\n\n\
         Welcome.\n\nJane Doe--{title}\n\nRevenue grew.\n\nDuration: 5 minutes\n\nCall participants:\n\n\
         Jane Doe -- {title}\n"
    );
    let t = parse_bytes(text.as_bytes()).unwrap();
    assert_eq!(t.turns.len(), 2);
    assert_eq!(t.turns[1].speaker_name, "Jane Doe");
    assert!(t.participants[t.turns[1].participant.unwrap()].listed);
    assert_eq!(t.turns[1].paragraphs, vec!["Revenue grew."]);
}

/// A scraper's metadata block is evidence, the header is the call's own word: when they disagree the header is
/// used and the disagreement is a warning.
#[test]
fn metadata_that_disagrees_with_the_header_is_a_warning() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fool/scraped-classic-bluefin.txt");
    let text = std::fs::read_to_string(path)
        .unwrap()
        .replace("Ticker: BFNA", "Ticker: BFNX")
        .replace("Quarter: Q2 2025", "Quarter: Q3 2025");
    let t = parse_bytes(text.as_bytes()).unwrap();
    assert_eq!((t.company.ticker.as_deref().unwrap(), t.fiscal_quarter), ("BFNA", 2));
    assert!(t.warnings.iter().any(|w| w.contains("ticker BFNX")), "{:?}", t.warnings);
    assert!(t.warnings.iter().any(|w| w.contains("Q3 2025")), "{:?}", t.warnings);
    assert!(t.source_url.as_deref().is_some_and(|u| u.contains("bluefin")));
}

/// A 2025-layout copy that lost its `Full Conference Call Transcript` heading is read from its first
/// `Name:speech` line, with the same turns.
#[test]
fn a_2025_copy_without_its_transcript_heading_reads_the_same() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fool/fool2025-nimbus.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let whole = parse_bytes(text.as_bytes()).unwrap();
    let cut = parse_bytes(text.replace("Full Conference Call Transcript\n", "").as_bytes()).unwrap();
    assert_eq!(cut.layout, "fool-2025");
    let shape =
        |t: &Transcript| t.turns.iter().map(|x| (x.speaker_name.clone(), x.paragraphs.clone())).collect::<Vec<_>>();
    assert_eq!(shape(&cut), shape(&whole));
    assert_eq!(cut.editorial.len(), whole.editorial.len());
}
