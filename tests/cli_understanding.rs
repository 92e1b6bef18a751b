//! People across calls, Q&A exchanges, figures in speech and full-text search, end to end.

mod common;

use common::{sample_text, samples, stdout_of, Env};
use predicates::prelude::*;
use serde_json::Value;

fn json(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str::<Value>(&stdout_of(&mut env.calldb(&all))).unwrap().as_array().unwrap().clone()
}

fn speaker_id(env: &Env, name: &str) -> i64 {
    env.conn()
        .query_row("SELECT speaker_id FROM v_speakers WHERE name = ?1", [name], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn speakers_named(env: &Env, pattern: &str) -> i64 {
    env.count(&format!("SELECT count(DISTINCT speaker_id) FROM participants WHERE name LIKE '{pattern}'"))
}

#[test]
fn one_person_across_calls_and_never_on_a_name_alone() {
    let env = Env::new();
    env.import_samples();
    // A company whose CEO shares a name with Acme's: another person.
    let other = sample_text("acme-robotics-q4-2020.txt")
        .replace("Acme Robotics Inc (ACME +2.15%)", "Globex Corp (GBX +1.00%)")
        .replace("More ACME analysis", "More GBX analysis");
    std::fs::write(env.path("globex.txt"), other).unwrap();
    env.calldb(&["import", "-q", env.path("globex.txt").to_str().unwrap()]).assert().success();

    // "Robert P. Vance" and "Robert Vance" at Acme: one person, both forms kept as aliases.
    assert_eq!(
        env.count(
            "SELECT count(DISTINCT speaker_id) FROM v_turns WHERE ticker = 'ACME' AND speaker LIKE 'Robert%Vance'"
        ),
        1
    );
    let vance =
        env.count("SELECT speaker_id FROM v_turns WHERE ticker = 'ACME' AND speaker = 'Robert P. Vance' LIMIT 1");
    let aliases: String =
        env.conn().query_row("SELECT aliases FROM v_speakers WHERE speaker_id = ?1", [vance], |r| r.get(0)).unwrap();
    assert!(aliases.contains("Robert P. Vance") && aliases.contains("Robert Vance"), "{aliases}");
    // The same name at Globex is someone else.
    assert_eq!(speakers_named(&env, "Robert%Vance"), 2);
    // Two analysts named Drew at different firms stay two people; the same analyst at the same firm is one.
    assert_ne!(speaker_id(&env, "Drew Patel"), speaker_id(&env, "Drew Kim"));
    assert_eq!(env.count("SELECT calls FROM v_speakers WHERE name = 'Drew Patel'"), 3);
    // The unlisted analyst gets the firm the operator named, and is one person with it.
    let firm: String =
        env.conn().query_row("SELECT firms FROM v_speakers WHERE name = 'Tomas Lindqvist'", [], |r| r.get(0)).unwrap();
    assert_eq!(firm, "[\"Harbor Peak Securities\"]", "a JSON array");
    // Firms group without punctuation: `KeyBanc Capital Markets.` and `KeyBanc Capital Markets`.
    let keybanc = json(&env, &["speakers", "--firm", "KeyBanc Capital Markets"]);
    let names: Vec<&str> = keybanc.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Chris") && names.contains(&"Priya Raman"), "{names:?}");
    assert_eq!(env.count("SELECT count(DISTINCT firm_normalized) FROM participants WHERE firm LIKE 'KeyBanc%'"), 1);
    // Filters of `calldb speakers`.
    let analysts = json(&env, &["speakers", "--role", "analyst", "--ticker", "acme"]);
    assert!(analysts.iter().all(|r| r["roles"].as_array().unwrap().iter().any(|x| x == "analyst")));
    assert_eq!(json(&env, &["speakers", "--name", "Lindqvist"]).len(), 1);
}

#[test]
fn merges_and_splits_survive_reimport() {
    let env = Env::new();
    env.import_samples();
    let patel = speaker_id(&env, "Drew Patel").to_string();
    let kim = speaker_id(&env, "Drew Kim").to_string();
    env.calldb(&["speakers", "merge", &patel, &kim])
        .assert()
        .success()
        .stdout(predicate::str::contains("is now part of"));
    assert_eq!(speakers_named(&env, "Drew %"), 1);
    // Splitting by identity key undoes a merge; merging again redoes it.
    env.calldb(&["speakers", "split", &patel, "--key", "firm:jpmorgan|drew|kim"]).assert().success();
    assert_eq!(speakers_named(&env, "Drew %"), 2);
    let kim = speaker_id(&env, "Drew Kim").to_string();
    env.calldb(&["speakers", "merge", &patel, &kim]).assert().success();
    assert_eq!(speakers_named(&env, "Drew %"), 1);
    env.calldb(&["speakers", "merge", &patel, &patel]).assert().failure().stderr(predicate::str::contains("itself"));
    env.calldb(&["speakers", "merge", &patel, "99999"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no speaker with id"));

    let vance = speaker_id(&env, "Robert P. Vance").to_string();
    env.calldb(&["speakers", "split", &vance, "--name", "Robert P. Vance"]).assert().success();
    assert_eq!(speakers_named(&env, "Robert%Vance"), 2);
    env.calldb(&["speakers", "split", &vance, "--name", "Nobody Here"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("none of"));

    // Re-import both Acme calls with new content: corrections hold.
    let dir = env.path("fixed");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["acme-robotics-q1-2021.txt", "acme-robotics-q4-2020.txt"] {
        std::fs::write(dir.join(name), sample_text(name).replace("Thank you all", "Thanks again, all")).unwrap();
    }
    env.calldb(&["import", "-q", "--replace", dir.to_str().unwrap()]).assert().success();
    assert_eq!(speakers_named(&env, "Drew %"), 1, "merge lost on --replace");
    assert_eq!(speakers_named(&env, "Robert%Vance"), 2, "split lost on --replace");
    assert_eq!(env.count("SELECT count(*) FROM speaker_corrections"), 4);
    let shown = String::from_utf8(env.calldb(&["speakers", "show", &patel]).output().unwrap().stderr).unwrap();
    assert!(shown.contains("firm:citigroup|drew|patel") && shown.contains("firm:jpmorgan|drew|kim"), "{shown}");
}

#[test]
fn exchanges_follow_the_qa() {
    let env = Env::new();
    env.import_samples();
    let rows = json(&env, &["report", "run", "qa-exchanges", "-p", "ticker", "ACME"]);
    let q1: Vec<&Value> = rows.iter().filter(|r| r["fiscal_period"] == "2021 Q1").collect();
    let got: Vec<(&str, i64, i64, i64, i64)> = q1
        .iter()
        .map(|r| {
            (
                r["analyst"].as_str().unwrap(),
                r["questions"].as_i64().unwrap(),
                r["answers"].as_i64().unwrap(),
                r["first_ordinal"].as_i64().unwrap(),
                r["last_ordinal"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Drew Patel", 1, 1, 6, 7),
            ("Drew Kim", 1, 1, 9, 10),
            ("Chris", 1, 2, 12, 14),
            ("Tomas Lindqvist", 2, 1, 16, 18)
        ]
    );
    // Every analyst who asked has an exchange.
    assert_eq!(
        env.count(
            "SELECT count(*) FROM participants p WHERE p.role = 'analyst' AND p.turns > 0
             AND NOT EXISTS (SELECT 1 FROM exchanges e WHERE e.participant_id = p.participant_id)"
        ),
        0
    );
}

#[test]
fn figures_are_extracted_with_subjects_and_no_false_figures() {
    let env = Env::new();
    env.import_samples();
    let figure = |text: &str| -> (String, f64, Option<f64>, Option<String>, Option<String>) {
        env.conn()
            .query_row(
                "SELECT kind, value, value_high, unit, subject FROM v_metrics WHERE ticker = 'ACME' AND text = ?1",
                [text],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    };
    assert_eq!(
        figure("$107.9 million"),
        ("currency".into(), 107_900_000.0, None, Some("USD".into()), Some("revenue".into()))
    );
    assert_eq!(
        figure("$112 million to $116 million"),
        ("currency".into(), 112e6, Some(116e6), Some("USD".into()), Some("revenue".into()))
    );
    assert_eq!(
        figure("between 25.5% and 27.5%"),
        ("percent".into(), 25.5, Some(27.5), Some("%".into()), Some("operating margin".into()))
    );
    assert_eq!(
        figure("150 basis points"),
        ("basis_points".into(), 150.0, None, Some("bps".into()), Some("gross margin".into()))
    );
    assert_eq!(figure("1.8x"), ("multiple".into(), 1.8, None, Some("x".into()), Some("debt".into())));
    assert_eq!(figure("$1.2 billion"), ("currency".into(), 1.2e9, None, Some("USD".into()), Some("cash".into())));
    assert_eq!(figure("$18.4 million").4.as_deref(), Some("free cash flow"));
    assert_eq!(figure("12").4.as_deref(), Some("customer count"));
    // Offsets point at the span in the stored text.
    let (text, start, end): (String, i64, i64) = env
        .conn()
        .query_row(
            "SELECT t.text, m.start_offset, m.end_offset FROM metrics m JOIN turns t USING (turn_id) WHERE m.text = '$107.9 million' AND m.call_id IN (SELECT call_id FROM v_calls WHERE ticker = 'ACME')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(text.chars().skip(start as usize).take((end - start) as usize).collect::<String>(), "$107.9 million");
    // Years, quarters, dates, phone numbers and list numbers are not figures.
    for not_figure in ["2021", "Q1 2021", "15", "1-800-555-0199", "800", "555", "0199"] {
        assert_eq!(env.count(&format!("SELECT count(*) FROM metrics WHERE text = '{not_figure}'")), 0, "{not_figure}");
    }
    let by_subject =
        json(&env, &["report", "run", "metric-mentions", "-p", "ticker", "ACME", "-p", "subject", "revenue"]);
    assert!(by_subject.len() >= 4 && by_subject.iter().all(|r| r["subject"] == "revenue"));
}

#[test]
fn replace_keeps_search_figures_and_exchanges_right() {
    let env = Env::new();
    env.import_samples();
    let before_metrics = env.count("SELECT count(*) FROM metrics");
    let edited = sample_text("acme-robotics-q1-2021.txt")
        .replace("Mix and freight, yes.", "Mix and freight, yes. Zanzibar pricing added $3 million of revenue.")
        .replace("Tomas Lindqvist\n\nGreat, thank you.\n\n", "");
    std::fs::write(env.path("acme.txt"), edited).unwrap();
    env.calldb(&["import", "-q", "--replace", env.path("acme.txt").to_str().unwrap()]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM metrics"), before_metrics + 1);
    let hits = json(&env, &["search", "zanzibar"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["speaker"], "Lena Okafor");
    env.conn().execute("INSERT INTO turns_fts (turns_fts) VALUES ('integrity-check')", []).unwrap();
    // The follow-up turn that was removed is gone from the exchange.
    assert_eq!(env.count("SELECT questions FROM v_exchanges WHERE analyst = 'Tomas Lindqvist'"), 1);
    assert_eq!(env.count("SELECT count(*) FROM exchanges WHERE call_id NOT IN (SELECT call_id FROM calls)"), 0);
}

#[test]
fn search_ranks_filters_and_explains_bad_syntax() {
    let env = Env::new();
    env.import_samples();
    let all = json(&env, &["search", "gain share"]);
    assert_eq!(all.len(), 4);
    assert!(all.iter().all(|r| r["snippet"].as_str().unwrap().to_lowercase().contains("**gain** **share**")));
    let ranks: Vec<f64> = all.iter().map(|r| r["rank"].as_f64().unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "bm25 order: {ranks:?}");
    assert_eq!(json(&env, &["search", "\"gain share\"", "--kind", "answer"]).len(), 2);
    assert_eq!(json(&env, &["search", "gain share", "--role", "analyst"]).len(), 2);
    assert_eq!(json(&env, &["search", "gain share", "--speaker", "Lena"]).len(), 1);
    let lena = speaker_id(&env, "Lena Okafor").to_string();
    assert_eq!(json(&env, &["search", "gain share", "--speaker", &lena]).len(), 1);
    assert_eq!(json(&env, &["search", "gain share", "--since", "2021-03-01"]).len(), 2);
    assert_eq!(json(&env, &["search", "gain share", "--until", "2021-03-01", "--ticker", "acme"]).len(), 2);
    assert_eq!(json(&env, &["search", "gain share", "--limit", "1"]).len(), 1);
    // Porter stemming and prefixes.
    assert!(!json(&env, &["search", "shipping"]).is_empty(), "ship* via stemming");
    assert!(!json(&env, &["search", "revenu*"]).is_empty());
    for bad in ["revenue AND (", "\"unclosed", "foo:bar"] {
        env.calldb(&["search", bad])
            .assert()
            .failure()
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("bad search query").and(predicate::str::contains("FTS5 syntax")));
    }
    let trend = json(&env, &["report", "run", "term-trend", "-p", "term", "\"gain share\""]);
    // Every call's quarter, with or without a mention: the four turns are in two of the three calls.
    assert_eq!(trend.len(), 3);
    assert_eq!(trend.iter().map(|r| r["mentions"].as_i64().unwrap()).sum::<i64>(), 4);
    assert_eq!(trend.iter().filter(|r| r["mentions"].as_i64() == Some(0)).count(), 1, "{trend:?}");
    let per_word = |r: &serde_json::Value| r["per_10k_words"].as_f64().unwrap();
    let words = |r: &serde_json::Value| r["words"].as_f64().unwrap();
    for r in &trend {
        let want = 10000.0 * r["mentions"].as_f64().unwrap() / words(r);
        assert!((per_word(r) - want).abs() < 0.01, "{r}");
    }
    let occurrences =
        json(&env, &["report", "run", "term-trend", "-p", "term", "\"gain share\"", "-p", "count", "occurrences"]);
    let total = |rows: &[serde_json::Value]| rows.iter().map(|r| r["mentions"].as_i64().unwrap()).sum::<i64>();
    assert!(total(&occurrences) >= 4, "every occurrence counts at least once per turn");
    let fiscal =
        json(&env, &["report", "run", "term-trend", "-p", "term", "\"gain share\"", "-p", "quarters", "FISCAL"]);
    assert!(fiscal.iter().any(|r| r["quarter"] == "2020 Q4"), "{fiscal:?}");
    env.calldb(&["report", "run", "term-trend", "-p", "quarters", "weekly"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("parameter `quarters` must be one of calendar, fiscal, got `weekly`"));
}

#[test]
fn interrupted_index_and_old_analysis_are_brought_up_to_date() {
    let env = Env::new();
    env.import_samples();
    let metrics = env.count("SELECT count(*) FROM metrics");
    let exchanges = env.count("SELECT count(*) FROM exchanges");
    {
        let conn = env.conn();
        conn.execute_batch(
            "DELETE FROM metrics; DELETE FROM exchanges; UPDATE calls SET analysis_version = 0;
             INSERT INTO turns_fts (turns_fts) VALUES ('delete-all');
             INSERT INTO archive_state (key, value) VALUES ('fts', 'pending');",
        )
        .unwrap();
    }
    env.calldb(&["search", "gain share"]).assert().success().stderr(predicate::str::contains("incomplete"));
    env.calldb(&["migrate"]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM metrics"), metrics);
    assert_eq!(env.count("SELECT count(*) FROM exchanges"), exchanges);
    assert_eq!(json(&env, &["search", "gain share"]).len(), 4);
    env.calldb(&["search", "gain share"]).assert().success().stderr(predicate::str::is_empty());
}

/// The seeds, when `../shared` is beside the project.
#[test]
fn seeds_people_figures_exchanges_and_search() {
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.is_dir() {
        common::skipped("../shared not found: skipped the seed checks");
        return;
    }
    let env = Env::new();
    env.calldb(&["import", "-q", "--glob", "*.txt", seeds.to_str().unwrap()]).assert().success();
    for person in ["%LoCascio", "John %Collins", "Idalia Rodriguez", "Jeff Van Rhee"] {
        assert_eq!(speakers_named(&env, person), 1, "{person}");
    }
    assert_eq!(
        env.count("SELECT count(DISTINCT speaker_id) FROM participants WHERE name LIKE 'Drew%' AND role = 'analyst'"),
        2
    );
    let revenue = |fq: i64, value: f64| {
        env.count(&format!(
            "SELECT count(*) FROM v_metrics WHERE fiscal_quarter = {fq} AND kind = 'currency' AND unit = 'USD'
             AND value = {value} AND subject = 'revenue'"
        ))
    };
    assert!(revenue(1, 107_900_000.0) >= 1);
    assert!(revenue(4, 102_100_000.0) >= 1);
    assert_eq!(
        env.count("SELECT count(*) FROM metrics WHERE value = 460000000 AND value_high = 468000000 AND unit = 'USD'"),
        1
    );
    assert_eq!(env.count("SELECT count(*) FROM metrics WHERE value = 25.5 AND value_high = 27.5 AND unit = '%'"), 1);
    assert_eq!(
        env.count(
            "SELECT count(*) FROM participants p WHERE p.role = 'analyst' AND p.turns > 0
             AND NOT EXISTS (SELECT 1 FROM exchanges e WHERE e.participant_id = p.participant_id)"
        ),
        0
    );
    let hits = json(&env, &["search", "gain share"]);
    assert!(hits.len() >= 5);
    for hit in &hits {
        let text: String = env
            .conn()
            .query_row("SELECT text FROM turns WHERE turn_id = ?1", [hit["turn_id"].as_i64().unwrap()], |r| r.get(0))
            .unwrap();
        assert!(text.to_lowercase().contains("gain share"), "{text}");
    }
}

#[test]
fn views_for_people_exchanges_and_figures_exist() {
    let env = Env::new();
    env.import_samples();
    for (view, wanted) in [
        ("v_speakers", vec!["speaker_id", "name", "aliases", "calls", "companies", "roles", "firms"]),
        (
            "v_exchanges",
            vec![
                "exchange_id",
                "call_id",
                "ordinal",
                "analyst",
                "firm",
                "questions",
                "answers",
                "question_words",
                "answer_words",
                "first_ordinal",
                "last_ordinal",
            ],
        ),
        ("v_metrics", vec!["call_id", "ticker", "speaker", "kind", "value", "value_high", "unit", "subject", "text"]),
        ("v_turns", vec!["speaker_id"]),
    ] {
        let have = env.columns(view);
        for w in wanted {
            assert!(have.iter().any(|c| c == w), "{view} lacks {w}");
        }
    }
    // Datasette and sqlite-utils find the full-text index of a table with exactly this pattern over sqlite_master
    // (`content="turns"` with no spaces; `content=[turns]` is their other accepted form).
    assert_eq!(
        env.count(
            "SELECT count(*) FROM sqlite_master WHERE rootpage = 0 AND name = 'turns_fts'
               AND sql LIKE '%VIRTUAL TABLE%USING FTS%content=\"turns\"%'"
        ),
        1
    );
}

/// ACME's two sample calls with a full-year outlook given on the fourth-quarter call and changed on the next: revenue
/// raised (and said to be), EPS "raised" while its midpoint falls, and an analyst's own number in a question.
fn guided_acme(env: &Env) -> std::path::PathBuf {
    let dir = env.path("guided");
    std::fs::create_dir_all(&dir).unwrap();
    let q4 = std::fs::read_to_string(samples().join("acme-robotics-q4-2020.txt")).unwrap().replace(
        "For the first quarter we expect revenue of $104 million to $106 million.",
        "For the first quarter we expect revenue of $104 million to $106 million. For the full year 2021, we expect \
         revenue of $440 million to $460 million and adjusted EPS of $1.80 to $1.90.",
    );
    let q1 = std::fs::read_to_string(samples().join("acme-robotics-q1-2021.txt"))
        .unwrap()
        .replace(
            "Thank you, Rob. For the second quarter,",
            "Thank you, Rob. We are raising our full-year 2021 revenue outlook to $455 million to $465 million, and we \
             are raising our adjusted EPS guidance to $1.70 to $1.75. For the second quarter,",
        )
        .replace(
            "Congrats on the quarter.",
            "Congrats on the quarter. Do you think you can reach revenue of $500 million for the full year?",
        );
    assert!(q4.contains("$440 million") && q1.contains("$455 million") && q1.contains("$500 million"));
    std::fs::write(dir.join("acme-q4-2020.txt"), q4).unwrap();
    std::fs::write(dir.join("acme-q1-2021.txt"), q1).unwrap();
    dir
}

#[test]
fn guidance_is_stored_with_its_period_and_compared_across_calls() {
    let env = Env::new();
    let dir = guided_acme(&env);
    env.calldb(&["import", dir.to_str().unwrap()]).assert().success();
    let conn = env.conn();
    // (call's period, metric, period, low, high, stance, role)
    type Row = (String, Option<String>, String, f64, f64, String, String);
    let rows: Vec<Row> = conn
        .prepare(
            "SELECT fiscal_year || ' Q' || fiscal_quarter, metric, period, low, high, stance, role FROM v_guidance
             ORDER BY guidance_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let find = |call: &str, metric: &str, period: &str| {
        rows.iter()
            .find(|r| r.0 == call && r.1.as_deref() == Some(metric) && r.2 == period)
            .unwrap_or_else(|| panic!("{call} {metric} {period} in {rows:#?}"))
    };
    // The fourth-quarter call's next quarter is the next year's first; its full-year outlook is initiated.
    let q1_revenue = find("2020 Q4", "revenue", "2021 Q1");
    assert_eq!((q1_revenue.3, q1_revenue.4, q1_revenue.5.as_str()), (104e6, 106e6, "stated"));
    let fy = find("2020 Q4", "revenue", "FY2021");
    assert_eq!((fy.3, fy.4, fy.5.as_str()), (440e6, 460e6, "initiate"));
    assert_eq!(find("2021 Q1", "revenue", "FY2021").5, "raise");
    assert_eq!(find("2021 Q1", "revenue", "2021 Q2").3, 112e6);
    // Results and the analyst's number are not guidance.
    assert!(rows.iter().all(|r| r.6 == "executive"), "{rows:#?}");
    assert!(!rows.iter().any(|r| r.3 == 500e6 || r.3 == 107.9e6), "{rows:#?}");

    let changes = json(&env, &["report", "run", "guidance-changes", "-p", "ticker", "acme"]);
    let change = |metric: &str| {
        changes
            .iter()
            .find(|r| r["metric"] == metric && r["period"] == "FY2021" && r["change"] != "initiated")
            .unwrap_or_else(|| panic!("{metric} in {changes:#?}"))
            .clone()
    };
    let revenue = change("revenue");
    assert_eq!((revenue["change"].as_str(), revenue["said"].as_str()), (Some("raised"), Some("raise")));
    assert_eq!(revenue["words_agree"], 1);
    assert!((revenue["midpoint_change_pct"].as_f64().unwrap() - 2.22).abs() < 0.01, "{revenue}");
    // Management says "raising" while the midpoint falls: both are shown, and they disagree.
    let eps = change("EPS");
    assert_eq!(
        (eps["change"].as_str(), eps["said"].as_str(), eps["words_agree"].as_i64()),
        (Some("lowered"), Some("raise"), Some(0))
    );
    let since = json(&env, &["report", "run", "guidance-changes", "-p", "since", "2021-03-01", "-p", "metric", "EPS"]);
    assert!(since.iter().all(|r| r["metric"] == "EPS" && r["call_date"].as_str().unwrap() >= "2021-03-01"));

    // An archive analysed before guidance existed gets it from `migrate`.
    let stored = env.count("SELECT count(*) FROM guidance");
    conn.execute_batch("DELETE FROM guidance; UPDATE calls SET analysis_version = 2;").unwrap();
    drop(conn);
    env.calldb(&["migrate"]).assert().success();
    assert_eq!(env.count("SELECT count(*) FROM guidance"), stored);
}

#[test]
fn compare_says_what_changed_since_the_previous_call() {
    let env = Env::new();
    let dir = guided_acme(&env);
    env.calldb(&["import", dir.to_str().unwrap()]).assert().success();
    let rows = json(&env, &["compare", "ACME:2021Q1"]);
    let item = |section: &str, starts: &str| {
        rows.iter()
            .find(|r| r["section"] == section && r["item"].as_str().unwrap().starts_with(starts))
            .unwrap_or_else(|| panic!("{section} {starts} in {rows:#?}"))
            .clone()
    };
    // The previous call is found by fiscal period; guidance changes are computed from the numbers.
    let revenue = item("guidance", "revenue FY2021");
    assert_eq!(revenue["change"], "raised (said: raise)");
    assert_eq!(
        (revenue["before"].as_str(), revenue["after"].as_str()),
        (Some("$440 million to $460 million"), Some("$455 million to $465 million"))
    );
    assert!(revenue["turn_id"].as_i64().is_some());
    assert_eq!(item("guidance", "EPS FY2021")["change"], "lowered (said: raise)");
    // Talk time by role, side by side, adding up on each call.
    let talk: Vec<&Value> = rows.iter().filter(|r| r["section"] == "talk time").collect();
    assert!(talk.iter().any(|r| r["item"] == "executive"), "{talk:?}");
    let total = |side: &str| -> f64 {
        talk.iter().map(|r| r[side].as_str().unwrap().trim_end_matches('%').parse::<f64>().unwrap()).sum()
    };
    assert!((total("before") - 100.0).abs() < 0.5 && (total("after") - 100.0).abs() < 0.5);
    // The same comparison, named both ways round, in every format.
    let both = json(&env, &["compare", "ACME:2020Q4", "--with", "ACME:2021Q1"]);
    assert_eq!(both, rows);
    for format in ["table", "csv", "markdown", "html", "ndjson"] {
        let out = stdout_of(&mut env.calldb(&["compare", "ACME:2021Q1", "--format", format]));
        assert!(out.contains("revenue FY2021"), "{format}: {out}");
    }
    let html = stdout_of(&mut env.calldb(&["compare", "ACME:2021Q1", "--format", "html"]));
    assert!(html.contains("ACME 2021 Q1 (2021-04-27) against ACME 2020 Q4"), "{html}");
    // Every item said in a turn links to that turn, printed under the table with its call and speaker: guidance,
    // figures, terms (where used most) and analysts (their first question); only talk-time shares have none.
    for row in &rows {
        match row["turn_id"].as_i64() {
            Some(turn) => {
                assert!(html.contains(&format!("<a href=\"#turn-{turn}\">{turn}</a>")), "{row}");
                assert!(html.contains(&format!("<section class=\"turn\" id=\"turn-{turn}\">")), "{row}");
            }
            None => assert_eq!(row["section"], "talk time", "{row}"),
        }
    }
    let said = html.split(&format!("id=\"turn-{}\">", revenue["turn_id"])).nth(1).unwrap();
    let said = &said[..said.find("</section>").unwrap()];
    assert!(said.contains("ACME 2021 Q1") && said.contains("(executive)") && said.contains("$455 million"), "{said}");
    // The first call has nothing before it.
    env.calldb(&["compare", "ACME:2020Q4"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("the company's first call in the archive"));
}
