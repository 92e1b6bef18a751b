//! fool.com transcripts as people have them, through the CLI: scraped classic pages, the 2025 layout, saved HTML
//! pages, facts from file names, `check`, truncated and hostile files. Fixtures are fictional companies written
//! in each real layout (`tests/fixtures/fool/`).

mod common;

use std::path::{Path, PathBuf};

use common::{sample_text, stdout_of, Env};
use predicates::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fool").join(name)
}

/// A folder holding the given fixtures.
fn folder(env: &Env, names: &[&str]) -> PathBuf {
    let dir = env.path("inbox");
    std::fs::create_dir_all(&dir).unwrap();
    for name in names {
        std::fs::copy(fixture(name), dir.join(name)).unwrap();
    }
    dir
}

fn text_of(env: &Env, sql: &str) -> String {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

const PERIOD_IN_NAME: &str = "{ticker}_{year}_Q{quarter}_*.txt";

#[test]
fn every_fool_form_imports_from_one_folder() {
    let env = Env::new();
    let dir = folder(
        &env,
        &[
            "scraped-classic-bluefin.txt",
            "saved-page-classic-orchard.html",
            "fool2025-nimbus.txt",
            "NMBX_2025_Q3_a1b2c3.txt",
        ],
    );
    env.calldb(&["import", "--name-pattern", PERIOD_IN_NAME, dir.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("4 imported"));

    // Each call records its layout, address and where its header facts came from.
    assert_eq!(text_of(&env, "SELECT layout FROM v_calls WHERE ticker = 'BFNA'"), "fool-classic");
    assert_eq!(text_of(&env, "SELECT layout FROM v_calls WHERE ticker = 'ORCH'"), "fool-classic");
    assert_eq!(text_of(&env, "SELECT layout FROM v_calls WHERE ticker = 'NMBS'"), "fool-2025");
    assert!(text_of(&env, "SELECT source_url FROM v_calls WHERE ticker = 'BFNA'").contains("bluefin-analytics-bfna"));
    assert!(text_of(&env, "SELECT source_url FROM v_calls WHERE ticker = 'ORCH'").contains("orchard-foods-orch"));
    assert_eq!(env.count("SELECT count(*) FROM v_calls WHERE ticker = 'NMBX' AND source_url IS NULL"), 1);
    let sources = text_of(&env, "SELECT header_sources FROM v_calls WHERE ticker = 'NMBX'");
    assert!(sources.contains(r#""fiscal_period":"file_name""#), "{sources}");
    assert!(sources.contains(r#""ticker":"text""#), "{sources}");
    assert_eq!(
        text_of(
            &env,
            "SELECT fiscal_year || ' Q' || fiscal_quarter || ' ' || call_date FROM v_calls WHERE ticker = 'NMBX'"
        ),
        "2025 Q3 2026-01-07"
    );
    assert_eq!(text_of(&env, "SELECT exchange FROM v_calls WHERE ticker = 'ORCH'"), "NYSE");
    // `Duration: 0 minutes` is a placeholder: no duration. A real duration is kept.
    assert_eq!(env.count("SELECT count(*) FROM v_calls WHERE ticker = 'BFNA' AND duration_minutes IS NULL"), 1);
    assert_eq!(env.count("SELECT duration_minutes FROM v_calls WHERE ticker = 'ORCH'"), 22);
    assert_eq!(env.count("SELECT count(*) FROM v_calls WHERE complete = 1"), 4);

    // Editorial blocks are kept, by kind, and never stored as speech.
    assert_eq!(
        text_of(
            &env,
            "SELECT group_concat(kind || ':' || n, ',') FROM (SELECT kind, count(*) n FROM v_editorial
               WHERE ticker = 'NMBS' GROUP BY kind ORDER BY kind)"
        ),
        "glossary:1,risks:1,summary:1,takeaways:2"
    );
    for editorial in
        ["Supply constraints", "Hardware that processes", "Revenue-- $212", "Need a quote", "Motley Fool has"]
    {
        let n = env.count(&format!("SELECT count(*) FROM v_turns WHERE instr(text, '{editorial}') > 0"));
        assert_eq!(n, 0, "{editorial} stored as speech");
    }
    assert_eq!(env.count("SELECT count(*) FROM turns_fts WHERE turns_fts MATCH 'glossary OR Motley'"), 0);

    // The 2025 layout: `Name:speech`, a colon in speech is not a speaker, the operator by name, Q&A by evidence.
    let speakers = text_of(&env, "SELECT group_concat(speaker || '/' || kind, ' ') FROM v_turns WHERE ticker = 'NMBS'");
    assert_eq!(
        speakers,
        "Krista/operator Priya Raman/remarks Marcus Hale/remarks Krista/operator Jordan Blake/question \
         Marcus Hale/answer Krista/operator Sam Okafor/question Priya Raman/answer Krista/operator"
    );
    assert_eq!(
        text_of(
            &env,
            "SELECT group_concat(section, ' ') FROM (SELECT DISTINCT section FROM v_turns WHERE ticker = 'NMBS')"
        ),
        "prepared_remarks qa"
    );
    assert_eq!(env.count("SELECT min(ordinal) FROM v_turns WHERE ticker = 'NMBS' AND section = 'qa'"), 4);
    assert!(
        text_of(&env, "SELECT text FROM v_turns WHERE ticker = 'NMBS' AND ordinal = 2").contains("Here's the point:")
    );
    assert_eq!(text_of(&env, "SELECT firm FROM v_turns WHERE speaker = 'Sam Okafor'"), "Alder Capital");
    assert_eq!(text_of(&env, "SELECT role FROM v_turns WHERE speaker = 'Marcus Hale' LIMIT 1"), "executive");

    // The scraped classic page: `Name--Title`, `Unknown speaker---- Analyst`, and short speech that is not a name.
    let speakers = text_of(&env, "SELECT group_concat(speaker, '|') FROM v_turns WHERE ticker = 'BFNA'");
    assert_eq!(
        speakers,
        "Operator|Nora Quinlan|Raj Patel|Lena Ford|Operator|Tom Becker|Raj Patel|Unknown speaker|Raj Patel|Operator"
    );
    assert!(text_of(&env, "SELECT text FROM v_turns WHERE ticker = 'BFNA' AND speaker = 'Lena Ford'")
        .starts_with("Both --"));
    assert!(text_of(&env, "SELECT text FROM v_turns WHERE speaker = 'Tom Becker'").starts_with("Thanks. About MAC."));
    assert_eq!(env.count("SELECT count(*) FROM v_turns WHERE ticker = 'BFNA' AND words = 0"), 0);
}

#[test]
fn saved_pages_are_read_like_their_text_form() {
    let env = Env::new();
    let json = |path: PathBuf| -> serde_json::Value {
        let out = env.calldb(&["check", "--format", "json", path.to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let page = json(fixture("saved-page-2025-nimbus.html"));
    let text = json(fixture("fool2025-nimbus.txt"));
    let shape = |v: &serde_json::Value| -> Vec<(String, String, String, usize)> {
        v[0]["transcript"]["turns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["section"].as_str().unwrap().to_string(),
                    t["speaker_line"].as_str().unwrap().to_string(),
                    t["kind"].as_str().unwrap().to_string(),
                    t["paragraphs"].as_array().unwrap().len(),
                )
            })
            .collect()
    };
    assert_eq!(shape(&page), shape(&text));
    assert_eq!(page[0]["transcript"]["company"], text[0]["transcript"]["company"]);
    assert_eq!(page[0]["transcript"]["schedule"], text[0]["transcript"]["schedule"]);
    assert_eq!(page[0]["summary"]["header_sources"]["fiscal_period"], "url");
    assert_eq!(page[0]["summary"]["layout"], "fool-2025");
}

#[test]
fn a_fiscal_period_stated_nowhere_is_refused_naming_it() {
    let env = Env::new();
    let dir = folder(&env, &["NMBX_2025_Q3_a1b2c3.txt"]);
    env.calldb(&["import", dir.to_str().unwrap()]).assert().code(1).stderr(
        predicate::str::contains("NMBX_2025_Q3_a1b2c3.txt")
            .and(predicate::str::contains("no fiscal period in the text"))
            .and(predicate::str::contains("--name-pattern")),
    );
    // A pattern the name does not fit says so.
    env.calldb(&["import", "--name-pattern", "{date}-{ticker}.txt", dir.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not match --name-pattern `{date}-{ticker}.txt`"));
    env.calldb(&["import", "--name-pattern", "{ticker}_{date}_*.txt", dir.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not match"));
    env.calldb(&["import", "--name-pattern", "{ticker}_*.txt", dir.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not give it with --name-pattern `{ticker}_*.txt`"));
    assert_eq!(env.count("SELECT count(*) FROM calls"), 0);
    // A malformed pattern is refused before anything is read.
    env.calldb(&["import", "--name-pattern", "{tick}.txt", dir.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown placeholder `{tick}`"));
}

#[test]
fn check_shows_what_would_be_archived_and_writes_nothing() {
    let env = Env::new();
    let dir = folder(&env, &["scraped-classic-bluefin.txt", "NMBX_2025_Q3_a1b2c3.txt", "saved-page-2025-nimbus.html"]);
    let out = env.calldb(&["check", dir.to_str().unwrap()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for expected in [
        "scraped-classic-bluefin.txt [fool-classic]: would import",
        "saved-page-2025-nimbus.html [fool-2025]: would import",
        "NMBX_2025_Q3_a1b2c3.txt: would fail",
        "no fiscal period",
        "Tom Becker -- Harbor Peak Securities -- Analyst (analyst, listed): 1 turns",
        "Krista (operator): 4 turns",
        "editorial     glossary: 1 items, risks: 1 items, summary: 1 items, takeaways: 2 items",
        "not speech    footer",
        "`Duration: 0 minutes` is fool.com's placeholder",
        "3 files: 2 would import, 1 would fail",
    ] {
        assert!(stdout.contains(expected), "missing `{expected}` in:\n{stdout}");
    }
    assert!(!env.db.exists(), "check created an archive");
    env.calldb(&["check", "--name-pattern", PERIOD_IN_NAME, dir.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("fiscal period Q3 2025  [file_name]"));
    assert!(!env.db.exists());
}

/// A transcript cut short (an interrupted download) is not archived as a whole call.
#[test]
fn truncated_transcripts_are_refused_unless_allowed() {
    let env = Env::new();
    let full = sample_text("acme-robotics-q1-2021.txt");
    let cut_at = full.find("Questions and Answers:").unwrap() + 200;
    let cut = &full[..cut_at];
    let path = env.path("acme-cut.txt");
    std::fs::write(&path, cut).unwrap();
    let last_line = cut.lines().count();
    env.calldb(&["import", path.to_str().unwrap()]).assert().code(1).stderr(
        predicate::str::contains(format!("acme-cut.txt:{last_line}:"))
            .and(predicate::str::contains("truncated"))
            .and(predicate::str::contains("--allow-truncated")),
    );
    assert_eq!(env.count("SELECT count(*) FROM calls"), 0);
    assert_eq!(env.count("SELECT count(*) FROM imports WHERE status = 'failed'"), 1);
    env.calldb(&["check", path.to_str().unwrap()]).assert().code(1);
    env.calldb(&["check", "--allow-truncated", path.to_str().unwrap()]).assert().success();

    env.calldb(&["import", "--allow-truncated", path.to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM v_calls WHERE complete = 0"), 1);
    assert_eq!(env.count("SELECT truncated_at_line FROM v_calls"), last_line as i64);
}

/// NUL and escape sequences in a transcript never reach stored text; the warning names the line.
#[test]
fn control_characters_are_removed_with_a_warning() {
    let env = Env::new();
    let text = sample_text("initech-q2-2021.txt");
    let line = text.lines().position(|l| l.starts_with("Thank you")).unwrap() + 1;
    let hostile: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { format!("{l}\u{0}\u{1b}[2J\u{7}") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    let path = env.path("hostile.txt");
    std::fs::write(&path, hostile).unwrap();
    env.calldb(&["import", path.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("control character(s) (NUL, escape, form feed…) at line {line}")));
    assert_eq!(env.count("SELECT count(*) FROM turns WHERE instr(text, char(0)) > 0 OR instr(text, char(27)) > 0"), 0);
    assert!(text_of(&env, "SELECT warnings FROM v_calls").contains("control character"));
}

/// A 2025-layout copy is whole when fool.com's closing blocks follow the call or, for copies that dropped them, when
/// the call signs off; cut mid-call it is truncated.
#[test]
fn a_2025_copy_cut_mid_call_is_truncated() {
    let env = Env::new();
    let full = std::fs::read_to_string(fixture("fool2025-nimbus.txt")).unwrap();
    let without_footer = &full[..full.find("This article is a transcript").unwrap()];
    let mid_call = &full[..full.find("Krista:This concludes").unwrap()];
    std::fs::write(env.path("no-footer.txt"), without_footer).unwrap();
    std::fs::write(env.path("mid-call.txt"), mid_call).unwrap();
    env.calldb(&["check", env.path("no-footer.txt").to_str().unwrap()]).assert().success();
    env.calldb(&["check", env.path("mid-call.txt").to_str().unwrap()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("truncated").and(predicate::str::contains("closing disclaimer")));
}

/// A date without a time of day (a date line that prints none, or a file name's `{date}`) is stored as a date
/// whose time is unknown — never as an invented midnight.
#[test]
fn a_call_date_without_a_time_of_day_stores_no_time() {
    let env = Env::new();
    let text = std::fs::read_to_string(fixture("fool2025-nimbus.txt")).unwrap();
    let path = env.path("nimbus-day.txt");
    std::fs::write(&path, text.replace("Wednesday, January 7, 2026 at 9 a.m. ET", "Wednesday, January 7, 2026"))
        .unwrap();
    env.calldb(&["import", path.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("no time of day"));
    assert_eq!(
        env.count(
            "SELECT count(*) FROM v_calls WHERE call_date = '2026-01-07' AND call_time IS NULL
               AND timezone IS NULL AND starts_at_utc IS NULL"
        ),
        1
    );

    let dated = env.path("NMBY_2026-01-07.txt");
    let undated: String = text
        .replace("NASDAQ:NMBS", "NASDAQ:NMBY")
        .lines()
        .filter(|l| *l != "DATE" && !l.starts_with("Wednesday, January 7"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&dated, undated).unwrap();
    env.calldb(&["import", "--name-pattern", "{ticker}_{date}.txt", dated.to_str().unwrap()]).assert().success();
    assert_eq!(
        text_of(&env, "SELECT call_date || '/' || coalesce(call_time, 'unknown') FROM v_calls WHERE ticker = 'NMBY'"),
        "2026-01-07/unknown"
    );
    assert!(text_of(&env, "SELECT header_sources FROM v_calls WHERE ticker = 'NMBY'")
        .contains(r#""call_date":"file_name""#));
}

/// `show` reads back every call, including one whose time of day, date or ticker no source gave.
#[test]
fn show_reads_calls_with_unknown_facts() {
    let env = Env::new();
    let text = std::fs::read_to_string(fixture("fool2025-nimbus.txt")).unwrap();
    let path = env.path("nimbus-day.txt");
    std::fs::write(&path, text.replace("Wednesday, January 7, 2026 at 9 a.m. ET", "Wednesday, January 7, 2026"))
        .unwrap();
    let capiq = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/publishers/Q2_2021_Northwind_Traders_Inc_Earnings_Call.txt");
    env.calldb(&[
        "import",
        "--name-pattern",
        "Q{quarter}_{year}_*.txt",
        path.to_str().unwrap(),
        capiq.to_str().unwrap(),
    ])
    .assert()
    .success();
    assert_eq!(env.count("SELECT count(*) FROM v_calls WHERE ticker IS NULL AND call_date IS NULL"), 1);
    for id in ["1", "2"] {
        for format in ["text", "markdown", "json"] {
            env.calldb(&["show", id, "--format", format]).assert().success();
        }
    }
    env.calldb(&["show", "1"]).assert().stdout(predicate::str::contains("2026-01-07 (time of day not stated)"));
    env.calldb(&["show", "2"])
        .assert()
        .stdout(predicate::str::contains("no ticker").and(predicate::str::contains("date not stated")));
}

#[test]
fn show_names_every_section_and_its_json_carries_every_fact_of_v_calls() {
    let env = Env::new();
    let dir = folder(&env, &["fool2025-nimbus.txt", "scraped-classic-bluefin.txt"]);
    env.calldb(&["import", dir.to_str().unwrap()]).assert().success();
    // fool.com 2025 marks the questions with the operator's turn, not a heading: the sections still have titles.
    let text = stdout_of(&mut env.calldb(&["show", "NMBS:2025Q3"]));
    let prepared = text.find("\n== Prepared remarks ==\n").expect(&text);
    let qa = text.find("\n== Questions and answers ==\n").expect(&text);
    assert!(prepared < qa);
    assert!(text.contains("read as fool-2025"), "{text}");
    let md = stdout_of(&mut env.calldb(&["show", "NMBS:2025Q3", "--format", "markdown"]));
    assert!(md.contains("\n## Questions and answers\n"), "{md}");
    // Headings the source writes are kept as written.
    let classic = stdout_of(&mut env.calldb(&["show", "BFNA:2025Q2"]));
    assert!(classic.contains("\n== Questions and Answers ==\n"), "{classic}");
    assert!(classic.contains("Page: https://") && classic.contains("bluefin-analytics-bfna"), "{classic}");
    // Every column of v_calls is in `show --format json`, under its own name (the listed count as
    // `listed_participants`, the turn count as the turns themselves).
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&mut env.calldb(&["show", "NMBS:2025Q3", "--format", "json"]))).unwrap();
    let conn = env.conn();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('v_calls')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for c in &columns {
        let key = match c.as_str() {
            "participants" => "listed_participants",
            other => other,
        };
        assert!(json.get(key).is_some(), "show --format json lacks `{key}` (v_calls.{c})");
    }
    assert_eq!(json["layout"], "fool-2025");
    assert!(json["header_sources"].is_object() && json["warnings"].is_array(), "{json}");
}
