//! Variants of each publisher's layout as real copies write them: lists by name only, odd list lines, page furniture
//! of other providers, briefs without their banner, markup left in speech, titles among other lines, files without
//! their closing block. Fixtures are fictional companies in `tests/fixtures/publishers/`.

mod common;

use std::path::PathBuf;

use common::Env;

fn fixture(name: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publishers").join(name)
}

const CAPIQ: &str = "Q2_2021_Northwind_Traders_Inc_Earnings_Call.txt";

fn arg(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

/// What `check` reads from one file: its status, error and parsed transcript.
fn check(env: &Env, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = env.calldb(&all).output().unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check prints JSON");
    v[0].take()
}

/// The speakers of the call's turns, in order, with each turn's word count.
fn turns_of(file: &serde_json::Value) -> Vec<(String, u64)> {
    file["transcript"]["turns"]
        .as_array()
        .expect("turns")
        .iter()
        .map(|t| (t["speaker_name"].as_str().unwrap().to_string(), t["word_count"].as_u64().unwrap()))
        .collect()
}

/// The participants the lists name, with their firm.
fn listed_of(file: &serde_json::Value) -> Vec<(String, Option<String>)> {
    file["transcript"]["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .filter(|p| p["listed"].as_bool() == Some(true))
        .map(|p| (p["name"].as_str().unwrap().to_string(), p["firm"].as_str().map(str::to_string)))
        .collect()
}

#[test]
fn seeking_alpha_lists_by_name_only_with_odd_lines_are_read_whole() {
    let env = Env::new();
    let file = check(&env, &[arg(&fixture("CT_ZEPH_2021_q3.txt"))]);
    assert_eq!(file["status"], "ok", "{file}");
    let listed = listed_of(&file);
    let names: Vec<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Mia Wong", "Tom Hale", "Ann Lee", "Raf Gr\u{fffd}tzer", "Sam Ortiz"]);
    assert_eq!(listed[2].1.as_deref(), Some("iA Capital Markets"));
    let turns = turns_of(&file);
    assert_eq!(turns[0].0, "Operator");
    assert!(turns.iter().all(|(_, words)| *words > 0), "no empty turn from a list line: {turns:?}");
    assert_eq!(turns.iter().filter(|(s, _)| s == "Sam Ortiz").count(), 1);
}

#[test]
fn capital_iq_page_furniture_of_either_provider_is_never_speech_and_never_ends_the_call() {
    let env = Env::new();
    let plain = check(&env, &["--name-pattern", "Q{quarter}_{year}_*.txt", arg(&fixture(CAPIQ))]);
    let file = check(
        &env,
        &[
            "--name-pattern",
            "Q{quarter}_{year}_*.txt",
            arg(&fixture("Q2_2021_Northwind_Traders_Inc_Furniture_Earnings_Call.txt")),
        ],
    );
    assert_eq!(file["status"], "ok", "{file}");
    let text = file["transcript"]["turns"].to_string();
    for furniture in ["REFINITIV", "Republication", "GMT, NWND", "S&P Global", "spglobal", "EARNINGS CALL |"] {
        assert!(!text.contains(furniture), "`{furniture}` in speech");
    }
    // Same turns, same words as the copy without page furniture: the call runs on to the operator's sign-off.
    assert_eq!(turns_of(&file), turns_of(&plain));
    assert_eq!(file["transcript"]["truncated_at_line"], serde_json::Value::Null);
}

#[test]
fn an_event_brief_without_its_banner_is_refused_by_its_structure() {
    let env = Env::new();
    let brief = fixture("2021-07-20-NWND-unbannered-brief.txt");
    env.calldb(&["import", "--name-pattern", "{date}-{ticker}.txt", arg(&brief)])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("Event Brief"))
        .stderr(predicates::str::contains("PRESENTATION SUMMARY"));
    assert_eq!(env.count("SELECT count(*) FROM calls"), 0);
}

#[test]
fn streetevents_sync_marks_are_not_speech() {
    let env = Env::new();
    let pattern = "{date}-{ticker}.txt";
    let plain = check(&env, &["--name-pattern", pattern, arg(&fixture("2021-07-20-NWND.txt"))]);
    let marked = check(&env, &["--name-pattern", pattern, arg(&fixture("2021-07-20-NWND-sync.txt"))]);
    assert_eq!(marked["status"], "ok", "{marked}");
    assert!(!marked["transcript"]["turns"].to_string().contains("Sync"));
    assert_eq!(turns_of(&marked), turns_of(&plain), "same speakers, same words");
}

#[test]
fn streetevents_title_is_found_among_version_and_branding_lines_and_half_years_say_so() {
    let env = Env::new();
    let pattern = "{date}-{ticker}.txt";
    let file = check(&env, &["--name-pattern", pattern, arg(&fixture("2021-07-20-NWND-final.txt"))]);
    assert_eq!(file["status"], "ok", "{file}");
    assert_eq!(file["summary"]["title"], "Q2 2021 Northwind Traders Inc Earnings Conference Call");
    assert_eq!(file["summary"]["fiscal_quarter"], 2);
    assert_eq!(file["summary"]["company"], "Northwind Traders Inc");
    let half = check(&env, &["--name-pattern", pattern, arg(&fixture("2021-07-20-NWND-half.txt"))]);
    let error = half["error"].as_str().expect("an error");
    assert!(error.contains("half-year period (H1 2021)"), "{error}");
}

#[test]
fn streetevents_without_its_closing_blocks_is_whole_when_the_call_signs_off() {
    let env = Env::new();
    let pattern = "{date}-{ticker}.txt";
    let whole = check(&env, &["--name-pattern", pattern, arg(&fixture("2021-07-20-NWND-noclosing.txt"))]);
    assert_eq!(whole["status"], "ok", "{whole}");
    assert_eq!(whole["transcript"]["truncated_at_line"], serde_json::Value::Null);
    // Cut before the operator's sign-off: still truncated.
    let cut = check(&env, &["--name-pattern", pattern, arg(&fixture("2021-07-20-NWND-cut.txt"))]);
    assert!(cut["error"].as_str().expect("an error").contains("truncated"), "{cut}");
}

#[test]
fn capital_iq_mixed_case_headings_and_one_line_participants_read_as_the_usual_layout() {
    let env = Env::new();
    let pattern = "Q{quarter}_{year}_*.txt";
    let plain = check(&env, &["--name-pattern", pattern, arg(&fixture(CAPIQ))]);
    let file = check(
        &env,
        &["--name-pattern", pattern, arg(&fixture("Q2_2021_Northwind_Traders_Inc_OneLine_Earnings_Call.txt"))],
    );
    assert_eq!(file["status"], "ok", "{file}");
    assert_eq!(listed_of(&file), listed_of(&plain));
    assert_eq!(turns_of(&file), turns_of(&plain));
    assert_eq!(file["summary"]["company"], plain["summary"]["company"]);
    assert_eq!(file["summary"]["sections"], plain["summary"]["sections"]);
}

#[test]
fn a_copy_without_a_ticker_meets_the_people_of_the_company_it_resolves_to() {
    let env = Env::new();
    env.calldb(&["import", "--name-pattern", "{date}-{ticker}.txt", arg(&fixture("2021-07-20-NWND.txt"))])
        .assert()
        .success();
    // Another quarter of the same company from a publisher whose copy names no ticker.
    let later = env.path("Q3_2021_Northwind_Traders_Inc_Earnings_Call.txt");
    std::fs::copy(fixture(CAPIQ), &later).unwrap();
    env.calldb(&["import", "--name-pattern", "Q{quarter}_{year}_*.txt", arg(&later)]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM calls"), 2);
    assert_eq!(env.count("SELECT count(*) FROM companies"), 1, "both calls resolve to one company");
    for person in ["Jane Doe", "Omar Haddad"] {
        let rows = env.count(&format!("SELECT count(*) FROM v_speakers WHERE name = '{person}'"));
        assert_eq!(rows, 1, "{person} is one person across publishers");
        assert_eq!(env.count(&format!("SELECT calls FROM v_speakers WHERE name = '{person}'")), 2);
    }
}

#[test]
fn operator_written_with_a_colon_or_in_capitals_is_the_operator() {
    let env = Env::new();
    for (plain, labelled, pattern) in [
        (CAPIQ, "Q2_2021_Northwind_Traders_Inc_OpLabel_Earnings_Call.txt", "Q{quarter}_{year}_*.txt"),
        ("2021-07-20-NWND.txt", "2021-07-20-NWND-oplabel.txt", "{date}-{ticker}.txt"),
    ] {
        let plain = check(&env, &["--name-pattern", pattern, arg(&fixture(plain))]);
        let file = check(&env, &["--name-pattern", pattern, arg(&fixture(labelled))]);
        assert_eq!(file["status"], "ok", "{file}");
        assert_eq!(turns_of(&file), turns_of(&plain), "{labelled}");
        let roles: Vec<&str> = file["transcript"]["participants"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case("operator")))
            .map(|p| p["role"].as_str().unwrap())
            .collect();
        assert_eq!(roles, ["operator"], "{labelled}");
    }
}
