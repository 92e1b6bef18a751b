//! Transcripts of several publishers through the CLI: StreetEvents, Capital IQ-style and Seeking Alpha files,
//! facts the text lacks (file name, companies file, kept without a ticker), one call from two publishers, and the
//! same people and firms across publishers. Fixtures are fictional companies in `tests/fixtures/publishers/`.

mod common;

use std::path::PathBuf;

use common::{stdout_of, Env};
use predicates::str::contains;

fn fixture(name: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publishers").join(name)
}

fn arg(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

const STREETEVENTS: &str = "2021-07-20-NWND.txt";
const BRIEF: &str = "2021-07-20-NWND-brief.txt";
const CAPIQ: &str = "Q2_2021_Northwind_Traders_Inc_Earnings_Call.txt";
const SEEKING_ALPHA: &str = "CT_ZEPH_2021_q2.txt";

#[test]
fn each_publisher_imports_with_its_structure_and_no_publisher_text_as_speech() {
    let env = Env::new();
    env.calldb(&["import", "--name-pattern", "{date}-{ticker}.txt", arg(&fixture(STREETEVENTS))])
        .assert()
        .success()
        .stderr(contains("1 imported"));
    env.calldb(&["import", arg(&fixture(SEEKING_ALPHA))]).assert().success().stderr(contains("mojibake"));
    let (ticker, layout, date, time, sources): (String, String, String, String, String) = env
        .conn()
        .query_row(
            "SELECT ticker, layout, call_date, call_time, header_sources FROM v_calls WHERE company LIKE 'Northwind%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        (ticker.as_str(), layout.as_str(), date.as_str(), time.as_str()),
        ("NWND", "streetevents", "2021-07-20", "21:00")
    );
    assert!(sources.contains(r#""ticker":"file_name""#), "{sources}");
    let conn = env.conn();
    let turns: Vec<(String, String, String)> = conn
        .prepare("SELECT section, speaker, kind FROM v_turns WHERE ticker = 'NWND' ORDER BY ordinal")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(turns.len(), 11);
    assert_eq!(turns[4], ("qa".into(), "Operator".into(), "operator".into()));
    assert_eq!(turns[5], ("qa".into(), "Ann Lee".into(), "question".into()));
    assert_eq!(turns[6], ("qa".into(), "Jane Doe".into(), "answer".into()));
    // The lists' roles: the company's people and the analysts.
    assert_eq!(env.count("SELECT count(*) FROM participants WHERE role = 'analyst' AND listed = 1"), 3);
    assert_eq!(env.count("SELECT count(*) FROM participants WHERE role = 'investor_relations'"), 2);
    // Disclaimers, footers and list entries are never speech.
    assert_eq!(
        env.count(
            "SELECT count(*) FROM v_turns WHERE text LIKE '%Refinitiv%' OR text LIKE '%Copyright%'
               OR text LIKE '%Research Division - MD%' OR text LIKE '%VP, CFO%'"
        ),
        0
    );
    // Mojibake is kept as written, with one warning recorded with the call.
    assert_eq!(
        env.count("SELECT count(*) FROM v_turns WHERE ticker = 'ZEPH' AND text LIKE '%Zephyr' || char(65533) || 's%'"),
        1
    );
    let warnings: String =
        conn.query_row("SELECT warnings FROM v_calls WHERE ticker = 'ZEPH'", [], |r| r.get(0)).unwrap();
    assert_eq!(warnings.matches("mojibake").count(), 1, "{warnings}");
}

#[test]
fn event_briefs_are_refused_and_never_stored() {
    let env = Env::new();
    env.calldb(&["import", arg(&fixture(BRIEF))])
        .assert()
        .code(1)
        .stderr(contains("Event Brief"))
        .stderr(contains("not what was said"));
    assert_eq!(env.count("SELECT count(*) FROM calls"), 0);
    assert_eq!(env.count("SELECT count(*) FROM imports WHERE status = 'failed' AND message LIKE '%Event Brief%'"), 1);
}

#[test]
fn a_call_without_a_ticker_is_kept_under_its_company_and_a_companies_file_names_it() {
    let env = Env::new();
    // Capital IQ-style: no ticker, no date, the period only in the file name.
    env.calldb(&["import", arg(&fixture(CAPIQ))]).assert().code(1).stderr(contains("no fiscal period"));
    env.calldb(&["import", "--name-pattern", "Q{quarter}_{year}_*.txt", arg(&fixture(CAPIQ))]).assert().success();
    let (ticker, company, date, sources): (Option<String>, String, Option<String>, String) = env
        .conn()
        .query_row("SELECT ticker, company, call_date, header_sources FROM v_calls", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    assert_eq!((ticker, company.as_str(), date), (None, "Northwind Traders Inc.", None));
    assert!(sources.contains(r#""ticker":null"#) && sources.contains(r#""fiscal_period":"file_name""#), "{sources}");
    assert_eq!(env.count("SELECT count(*) FROM v_turns WHERE ticker IS NULL"), 7);
    // Wrapped lines are joined and the page number is not speech.
    let text: String =
        env.conn().query_row("SELECT text FROM v_turns WHERE speaker = 'Omar Haddad'", [], |r| r.get(0)).unwrap();
    assert!(text.contains("well ahead of what we told you in April.\n\nJane Doe will now"), "{text}");

    // With a companies file, the ticker comes from it, and the same call is not stored again.
    let other = Env::new();
    other
        .calldb(&[
            "import",
            "--name-pattern",
            "Q{quarter}_{year}_*.txt",
            "--companies",
            arg(&fixture("companies.csv")),
            arg(&fixture(CAPIQ)),
        ])
        .assert()
        .success();
    let (ticker, sources): (String, String) = other
        .conn()
        .query_row("SELECT ticker, header_sources FROM v_calls", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(ticker, "NWND");
    assert!(sources.contains(r#""ticker":"companies_file""#), "{sources}");
    // A companies file with a bad line is refused before anything is read.
    std::fs::write(env.path("bad.csv"), "name,ticker\nAcme,AC ME\n").unwrap();
    env.calldb(&["import", "--companies", arg(&env.path("bad.csv")), arg(&fixture(CAPIQ))])
        .assert()
        .failure()
        .stderr(contains("bad.csv, line 2: `AC ME` is not a ticker"));
}

#[test]
fn one_call_from_two_publishers_is_one_call_with_two_sources() {
    let env = Env::new();
    env.calldb(&["import", "--quiet", arg(&fixture("northwind-q2-2021-fool.txt"))]).assert().success();
    // The StreetEvents copy of the same call, titled differently, without a ticker in its text.
    env.calldb(&["import", "--name-pattern", "{date}-{ticker}.txt", arg(&fixture(STREETEVENTS))])
        .assert()
        .success()
        .stderr(contains("duplicate: "))
        .stderr(contains("already archived from another source"))
        .stderr(contains("1 duplicates of calls already archived"));
    // And the Capital IQ copy, with no ticker at all: the company's name finds the call.
    env.calldb(&["import", "--name-pattern", "Q{quarter}_{year}_*.txt", arg(&fixture(CAPIQ))])
        .assert()
        .success()
        .stderr(contains("1 duplicates of calls already archived"));
    assert_eq!(env.count("SELECT count(*) FROM calls"), 1);
    assert_eq!(env.count("SELECT count(*) FROM companies"), 1);
    let layouts: Vec<(String, i64)> = env
        .conn()
        .prepare("SELECT layout, stored FROM v_call_sources ORDER BY source_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(layouts, [("fool-classic".into(), 1), ("streetevents".into(), 0), ("capiq".into(), 0)]);
    assert_eq!(env.count("SELECT count(*) FROM imports WHERE status = 'duplicate'"), 2);
    // Importing the same folder again changes nothing.
    env.calldb(&["import", "--name-pattern", "{date}-{ticker}.txt", arg(&fixture(STREETEVENTS))])
        .assert()
        .success()
        .stderr(contains("1 unchanged"));
    // --replace still swaps: the StreetEvents text is stored, every source stays recorded.
    env.calldb(&["import", "--replace", "--name-pattern", "{date}-{ticker}.txt", arg(&fixture(STREETEVENTS))])
        .assert()
        .success()
        .stderr(contains("1 replaced"));
    assert_eq!(env.count("SELECT count(*) FROM calls WHERE layout = 'streetevents'"), 1);
    assert_eq!(env.count("SELECT count(*) FROM v_call_sources"), 3);
    assert_eq!(env.count("SELECT count(*) FROM v_call_sources WHERE stored = 1 AND layout = 'streetevents'"), 1);
}

#[test]
fn people_and_firms_resolve_across_publishers() {
    let env = Env::new();
    env.calldb(&["import", "--quiet", "--name-pattern", "{date}-{ticker}.txt", arg(&fixture(STREETEVENTS))])
        .assert()
        .success();
    env.calldb(&["import", "--quiet", arg(&fixture("northwind-q3-2021-fool.txt"))]).assert().success();
    env.calldb(&["import", "--quiet", arg(&fixture(SEEKING_ALPHA))]).assert().success();
    // `Jane Doe, Northwind Traders Inc - VP, CFO` (StreetEvents) = `Jane Doe -- Chief Financial Officer` (fool.com).
    assert_eq!(env.count("SELECT count(DISTINCT speaker_id) FROM participants WHERE name = 'Jane Doe'"), 1);
    assert_eq!(env.count("SELECT calls FROM v_speakers WHERE name = 'Jane Doe'"), 2);
    // `Keefe, Bruyette, & Woods, Inc., Research Division` = `Keefe, Bruyette & Woods`, across companies too.
    assert_eq!(env.count("SELECT count(DISTINCT speaker_id) FROM participants WHERE name = 'Ann Lee'"), 1);
    assert_eq!(env.count("SELECT calls FROM v_speakers WHERE name = 'Ann Lee'"), 3);
    assert_eq!(env.count("SELECT count(DISTINCT firm_normalized) FROM participants WHERE name = 'Ann Lee'"), 1);
}

#[test]
fn check_reads_every_layout() {
    let env = Env::new();
    let out = stdout_of(&mut env.calldb(&[
        "check",
        "--name-pattern",
        "Q{quarter}_{year}_*.txt",
        arg(&fixture(STREETEVENTS)),
        arg(&fixture(CAPIQ)),
        arg(&fixture(SEEKING_ALPHA)),
    ]));
    for layout in ["[streetevents]", "[capiq]", "[seekingalpha]"] {
        assert!(out.contains(layout), "{out}");
    }
    assert!(out.contains("Northwind Traders Inc (no ticker)"), "{out}");
    assert!(out.contains("date          not stated"), "{out}");
    assert!(out.contains("not speech    disclaimer"), "{out}");
    assert!(out.contains("3 files: 3 would import, 0 would fail"), "{out}");
    env.calldb(&["check", arg(&fixture(BRIEF))]).assert().code(1).stdout(contains("Event Brief"));
    assert!(!env.db.exists(), "check writes nothing");
}
