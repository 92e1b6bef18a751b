//! Transcripts in the forms APIs and datasets give them, through the command line: `Name: speech` text (also with
//! its line breaks lost), JSON responses and datasets (one record, arrays, nested groups), JSONL, CSV, Parquet,
//! speaker lists, and whole-call blocks. Fixtures are fictional companies in each real shape
//! (`tests/fixtures/records`).

mod common;

use std::path::{Path, PathBuf};

use common::Env;
use predicates::prelude::*;
use predicates::str::contains;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/records").join(name)
}

fn fixture_str(name: &str) -> String {
    fixture(name).to_str().unwrap().to_string()
}

/// Speakers of a call in turn order, as `v_turns` gives them (`-` for unattributed speech).
fn speakers(env: &Env, ticker: &str, year: i64, quarter: i64) -> Vec<String> {
    let conn = env.conn();
    let mut stmt = conn
        .prepare(
            "SELECT coalesce(speaker, '-') FROM v_turns WHERE ticker = ?1 AND fiscal_year = ?2 AND fiscal_quarter = ?3
             ORDER BY ordinal",
        )
        .unwrap();
    stmt.query_map(rusqlite::params![ticker, year, quarter], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn text(env: &Env, sql: &str) -> String {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

const HLFD_SPEAKERS: [&str; 15] = [
    "Operator",
    "Priya Nair",
    "Dana Whitfield",
    "Marcus O. Tran",
    "Operator",
    "Owen Castellano",
    "Dana Whitfield",
    "Owen Castellano",
    "Operator",
    "Hannah Lee - Birchline Capital",
    "Marcus O. Tran",
    "Operator",
    "Gil Forsberg",
    "Dana Whitfield",
    "Operator",
];

#[test]
fn name_speech_text_reads_labels_with_evidence_and_finds_where_questions_begin() {
    let env = Env::new();
    env.calldb(&["import", "--name-pattern", "{ticker}_Q{quarter}_{year}.txt", &fixture_str("HLFD_Q2_2024.txt")])
        .assert()
        .success();
    assert_eq!(speakers(&env, "HLFD", 2024, 2), HLFD_SPEAKERS);
    // `Outlook: we expect…` is Dana Whitfield's speech, not a speaker.
    assert_eq!(env.count("SELECT paragraphs FROM turns WHERE ordinal = 3"), 2);
    assert!(text(&env, "SELECT text FROM v_turns WHERE ordinal = 3").contains("Outlook: we expect"));
    // The welcome only announces a Q&A; questions begin where the operator opens the floor.
    assert_eq!(
        text(&env, "SELECT group_concat(section) FROM (SELECT section FROM v_turns WHERE ordinal IN (4, 5))"),
        "prepared_remarks,qa"
    );
    // A label whose firm differs from the list's is the listed person; the label is kept as written.
    assert_eq!(
        text(&env, "SELECT participant || ' | ' || role || ' | ' || firm FROM v_turns WHERE ordinal = 10"),
        "Hannah Lee | analyst | Birchline Securities"
    );
    // Introduced by the operator, unlisted: an analyst with the firm the operator named.
    assert_eq!(text(&env, "SELECT role || ' ' || firm FROM v_turns WHERE ordinal = 13"), "analyst Aster Research");
    assert_eq!(text(&env, "SELECT layout FROM v_calls"), "name-speech");
    assert_eq!(env.count("SELECT count(*) FROM v_exchanges"), 3);
}

#[test]
fn text_whose_line_breaks_were_lost_splits_into_the_same_turns() {
    let env = Env::new();
    env.calldb(&["import", "--name-pattern", "{ticker}_Q{quarter}_{year}.txt", &fixture_str("flat/HLFD_Q2_2024.txt")])
        .assert()
        .success()
        .stderr(contains("lost its line breaks").and(contains("Windows-1252")));
    assert_eq!(speakers(&env, "HLFD", 2024, 2), HLFD_SPEAKERS);
    // The speech is stored as written, Windows-1252 decoded.
    assert!(text(&env, "SELECT text FROM v_turns WHERE ordinal = 3").contains("Harbor Lane\u{2019}s store openings"));
    // Its words are the text twin's: two more where the copy adds `Harbor Lane’s`, one fewer where `plan.Outlook:`
    // lost the line break between two words (kept as written: `Outlook:` is no speaker).
    let words = env.count("SELECT words FROM v_calls");
    let twin = Env::new();
    twin.calldb(&["import", "--name-pattern", "{ticker}_Q{quarter}_{year}.txt", &fixture_str("HLFD_Q2_2024.txt")])
        .assert()
        .success();
    assert_eq!(words, twin.count("SELECT words FROM v_calls") + 2 - 1);
}

#[test]
fn api_responses_and_datasets_import_a_call_per_record() {
    let env = Env::new();
    env.calldb(&[
        "import",
        &fixture_str("fmp_HLFD_2024_Q1.json"),
        &fixture_str("finnhub_HLFD_2024_Q3.json"),
        &fixture_str("ninjas_dataset.json"),
        &fixture_str("brookwater.csv"),
    ])
    .assert()
    .success()
    .stderr(contains("6 calls in 4 files: 6 imported"));
    let calls = |sql: &str| -> Vec<String> {
        let conn = env.conn();
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(
        calls(
            "SELECT ticker || ' ' || fiscal_year || ' Q' || fiscal_quarter || ' ' || layout || ' ' ||
                    coalesce(record_key, '-') || ' ' || coalesce(call_date, '-')
             FROM v_calls ORDER BY ticker, fiscal_year, fiscal_quarter"
        ),
        [
            "BRKW 2024 Q4 speaker-list /2024/Q4/1 2025-02-21",
            "BRKW 2025 Q1 name-speech 1 2025-04-30",
            "BRKW 2025 Q2 speaker-list 2 2025-07-30",
            "HLFD 2024 Q1 name-speech /0 2024-05-02",
            "HLFD 2024 Q3 speaker-list - 2024-10-31",
            "HLFD 2024 Q4 speaker-list /2024/Q4/0 2025-02-20",
        ]
    );
    // Facts come from the record's fields, and say so.
    assert_eq!(
        text(&env, "SELECT header_sources FROM v_calls WHERE ticker = 'HLFD' AND fiscal_quarter = 1"),
        r#"{"call_date":"record","company":"record","fiscal_period":"record","ticker":"record","title":"derived"}"#
    );
    // Finnhub's sessions and participant list are used as given.
    assert_eq!(
        calls("SELECT section || ' ' || speaker || ' ' || coalesce(role, '') FROM v_turns WHERE fiscal_quarter = 3 ORDER BY ordinal"),
        [
            "prepared_remarks Operator operator",
            "prepared_remarks Dana Whitfield executive",
            "qa Operator operator",
            "qa Owen Castellano analyst",
            "qa Dana Whitfield executive",
        ]
    );
    assert_eq!(
        env.count(
            "SELECT paragraphs FROM turns t JOIN calls c USING (call_id) WHERE c.fiscal_quarter = 3 AND t.ordinal = 2"
        ),
        2
    );
    assert_eq!(
        text(&env, "SELECT firm FROM v_turns WHERE speaker = 'Owen Castellano' AND fiscal_quarter = 3"),
        "Redwood Partners"
    );
    // Provenance: the file and the record key, in v_call_sources.
    assert_eq!(
        calls(
            "SELECT record_key FROM v_call_sources WHERE source_path LIKE '%ninjas_dataset.json' ORDER BY record_key"
        ),
        ["/2024/Q4/0", "/2024/Q4/1"]
    );
    // Re-importing unchanged datasets is a no-op: nothing read again, nothing logged per record.
    let logged = env.count("SELECT count(*) FROM imports");
    env.calldb(&["import", &fixture_str("ninjas_dataset.json"), &fixture_str("brookwater.csv")])
        .assert()
        .success()
        .stderr(contains("4 calls in 2 files: 0 imported, 4 unchanged"));
    assert_eq!(env.count("SELECT count(*) FROM imports") - logged, 2, "one line a dataset");
}

#[test]
fn one_bad_record_costs_only_itself_and_a_changed_dataset_reads_only_what_changed() {
    let env = Env::new();
    let data = env.path("kestrel.jsonl");
    std::fs::copy(fixture("kestrel.jsonl"), &data).unwrap();
    env.calldb(&["import", data.to_str().unwrap()]).assert().code(1).stderr(
        contains("kestrel.jsonl#2: no transcript text or speaker list in the record")
            .and(contains("company_name, notes, quarter, symbol, year"))
            .and(contains("3 calls in 1 file: 2 imported, 0 unchanged, 0 replaced, 0 conflicts, 1 failed")),
    );
    assert_eq!(env.count("SELECT count(*) FROM calls"), 2);
    assert_eq!(
        text(&env, "SELECT group_concat(record_key) FROM (SELECT record_key FROM imports WHERE status = 'failed')"),
        "2"
    );
    // A time zone given: the instant is kept.
    assert_eq!(text(&env, "SELECT starts_at_utc FROM v_calls WHERE fiscal_quarter = 1"), "2023-04-27T12:30:00Z");
    // The file is read again (a record failed), and only the new record is parsed and stored.
    let mut lines = std::fs::read_to_string(&data).unwrap();
    let third = "Operator: Welcome to the Kestrel Logistics third quarter call. Please go ahead, Ava Lindqvist.\\n\
                 Ava Lindqvist: Thank you. Revenue was flat and margins held in the quarter.\\n\
                 Operator: Our first question comes from Jo Park with Summit Equity.\\n\
                 Jo Park: What about volumes?\\nAva Lindqvist: Volumes rose.";
    lines = lines.replace(r#""notes": "transcript pending""#, &format!(r#""content": "{third}""#));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(&data, lines).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.calldb(&["import", data.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains("3 calls in 1 file: 1 imported, 2 unchanged"));
    assert_eq!(env.count("SELECT count(*) FROM calls"), 3);
    // Now every record is settled: the next run does not read the file at all.
    env.calldb(&["import", data.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains("3 calls in 1 file: 0 imported, 3 unchanged"));
    assert!(text(&env, "SELECT message FROM imports ORDER BY import_id DESC LIMIT 1").contains("not read again"));
}

#[test]
fn speakers_from_an_id_map_and_facts_from_the_file_name() {
    let env = Env::new();
    env.calldb(&["import", "--name-pattern", "{ticker}_earningscall.json", &fixture_str("FRNH_earningscall.json")])
        .assert()
        .success();
    assert_eq!(speakers(&env, "FRNH", 2024, 2), ["Operator", "Nora Vance", "Operator", "Eli Brandt", "Nora Vance"]);
    assert_eq!(text(&env, "SELECT title FROM v_turns WHERE ordinal = 2"), "Chief Executive Officer");
    assert_eq!(text(&env, "SELECT call_time || ' ' || timezone FROM v_calls"), "17:00 America/New_York");
}

#[test]
fn field_mapping_names_facts_under_other_names() {
    let env = Env::new();
    let data = env.path("custom.jsonl");
    std::fs::write(
        &data,
        r#"{"meta": {"sym": "QRTZ", "fy": 2022, "fq": "Q4"}, "said": "Operator: Welcome to the Quartz Labs call, everyone. Please go ahead, Lee Ames.\nLee Ames: Thank you, revenue grew again this quarter.\nOperator: Our first question comes from Mo Reed with Alder.\nMo Reed: How is demand?\nLee Ames: Strong."}"#,
    )
    .unwrap();
    env.calldb(&["import", data.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("custom.jsonl#1: no transcript text or speaker list in the record (its fields: meta, said)"));
    env.calldb(&[
        "import",
        "--field",
        "ticker=meta.sym",
        "--field",
        "year=/meta/fy",
        "--field",
        "quarter=meta.fq",
        "--field",
        "text=said",
        data.to_str().unwrap(),
    ])
    .assert()
    .success();
    assert_eq!(
        text(&env, "SELECT ticker || ' ' || fiscal_year || ' Q' || fiscal_quarter FROM v_calls"),
        "QRTZ 2022 Q4"
    );
    env.calldb(&["import", "--field", "symbol=meta.sym", data.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("unknown target `symbol`"));
}

#[test]
fn whole_call_blocks_are_unattributed_speech_that_search_finds_and_speaker_reports_leave_out() {
    let env = Env::new();
    env.calldb(&["import", &fixture_str("whole/FRNH_2024_Q1.txt")])
        .assert()
        .code(1)
        .stderr(contains("whole-call block").and(contains("--name-pattern")));
    env.calldb(&["import", "--name-pattern", "{ticker}_{year}_Q{quarter}.txt", &fixture_str("whole/FRNH_2024_Q1.txt")])
        .assert()
        .success();
    assert_eq!(text(&env, "SELECT layout || ' ' || speakers_known || ' ' || turns FROM v_calls"), "whole-call 0 1");
    assert_eq!(env.count("SELECT count(*) FROM v_turns WHERE speaker IS NULL AND participant_id IS NULL"), 1);
    assert_eq!(env.count("SELECT count(*) FROM participants"), 0);
    // Search and figures include it.
    let out = common::stdout_of(&mut env.calldb(&["search", "decline rates", "--format", "csv"]));
    assert!(out.contains("FRNH"), "{out}");
    assert!(env.count("SELECT count(*) FROM v_metrics WHERE ticker = 'FRNH'") > 0);
    // Speaker reports leave it out, and say so.
    env.calldb(&["report", "run", "talk-time", "--format", "csv"])
        .assert()
        .success()
        .stderr(contains("1 call whose speakers are not known"));
    let md = common::stdout_of(&mut env.calldb(&["report", "run", "qa-depth", "--format", "markdown"]));
    assert!(md.contains("_1 call whose speakers are not known"), "{md}");
    let out = common::stdout_of(&mut env.calldb(&["report", "run", "calls", "--format", "csv"]));
    assert!(out.contains("FRNH"), "{out}");
}

#[test]
fn discovery_says_what_it_skipped_and_files_say_what_they_look_like() {
    let env = Env::new();
    let dir = env.path("inbox");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("HLFD_Q2_2024.txt"), dir.join("HLFD_Q2_2024.txt")).unwrap();
    for i in 0..3 {
        std::fs::write(dir.join(format!("tokens{i}.nlp")), "x").unwrap();
    }
    std::fs::write(dir.join("meta.json"), r#"{"ticker": "HLFD", "pages": 3}"#).unwrap();
    std::fs::write(dir.join("scan.txt"), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
        .unwrap();
    let table: String = (0..200).map(|i| format!("token{i}\tNN\t{i}\n")).collect();
    std::fs::write(dir.join("table.txt"), table).unwrap();
    env.calldb(&["import", "--name-pattern", "{ticker}_Q{quarter}_{year}.txt", dir.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(
            contains("3 files skipped (.nlp: 3; not a form calldb reads)")
                .and(contains("meta.json: JSON without a transcript").and(contains("its fields: pages, ticker")))
                .and(contains("scan.txt: damaged or incomplete PDF"))
                .and(contains("table.txt: not a transcript in a layout calldb reads: a table of tab-separated columns"))
                .and(contains("4 files: 1 imported")),
        );
    // `check` shows the outcome of every record of a dataset.
    let out = common::stdout_of(&mut env.calldb(&["check", &fixture_str("ninjas_dataset.json")]));
    assert!(out.contains("ninjas_dataset.json#/2024/Q4/0 [speaker-list]: would import"), "{out}");
    assert!(out.contains("2 calls in 1 file: 2 would import, 0 would fail"), "{out}");
    let failing = env.calldb(&["check", &fixture_str("kestrel.jsonl")]).output().unwrap();
    assert_eq!(failing.status.code(), Some(1));
    let out = String::from_utf8(failing.stdout).unwrap();
    assert!(
        out.contains("kestrel.jsonl#2: would fail") && out.contains("3 calls in 1 file: 2 would import, 1 would fail"),
        "{out}"
    );
}

#[test]
fn an_api_response_saved_as_text_is_read_as_its_record() {
    let env = Env::new();
    let saved = env.path("hlfd-response.txt");
    std::fs::copy(fixture("fmp_HLFD_2024_Q1.json"), &saved).unwrap();
    env.calldb(&["import", saved.to_str().unwrap()]).assert().success().stderr(contains("1 file: 1 imported"));
    assert_eq!(
        text(&env, "SELECT ticker || ' ' || fiscal_year || ' Q' || fiscal_quarter || ' ' || layout FROM v_calls"),
        "HLFD 2024 Q1 name-speech"
    );
    let many = env.path("dataset.txt");
    std::fs::copy(fixture("ninjas_dataset.json"), &many).unwrap();
    env.calldb(&["import", many.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("holds 2 JSON records: name it `.json`"));
}

#[test]
fn a_record_is_the_same_call_as_its_text_twin() {
    let env = Env::new();
    let dir = env.path("twins");
    std::fs::create_dir_all(&dir).unwrap();
    let content = std::fs::read_to_string(fixture("HLFD_Q2_2024.txt")).unwrap();
    let record = serde_json::json!({"symbol": "HLFD", "quarter": 2, "year": 2024, "content": content});
    std::fs::write(dir.join("HLFD_Q2_2024.json"), record.to_string()).unwrap();
    env.calldb(&["import", dir.join("HLFD_Q2_2024.json").to_str().unwrap()]).assert().success();
    env.calldb(&["import", "--name-pattern", "{ticker}_Q{quarter}_{year}.txt", &fixture_str("HLFD_Q2_2024.txt")])
        .assert()
        .success()
        .stderr(contains("duplicate:").and(contains("with the same speech")));
    assert_eq!(env.count("SELECT count(*) FROM calls"), 1);
    assert_eq!(env.count("SELECT count(*) FROM v_call_sources"), 2);
    assert_eq!(speakers(&env, "HLFD", 2024, 2), HLFD_SPEAKERS);
}

/// A Parquet dataset as public transcript datasets ship them: a `structured_content` list of `{speaker, text}`.
#[test]
fn parquet_datasets_stream_their_rows() {
    use std::sync::Arc;

    use arrow_array::builder::{ListBuilder, StringBuilder, StructBuilder};
    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Fields};

    let env = Env::new();
    let path = env.path("sp500.parquet");
    let fields =
        Fields::from(vec![Field::new("speaker", DataType::Utf8, true), Field::new("text", DataType::Utf8, true)]);
    let mut turns = ListBuilder::new(StructBuilder::from_fields(fields.clone(), 4));
    let calls = [("MRLN", 2023, 4), ("MRLN", 2024, 1)];
    for (_, _, q) in calls {
        let lines = [
            ("Operator", format!("Welcome to the Marlin Devices Q{q} call.")),
            ("Iris Kemp", "Thank you. Sales rose and margins improved in the quarter.".to_string()),
            ("Operator", "Our first question comes from Ben Ortiz with Lakeside.".to_string()),
            ("Ben Ortiz", "What about pricing?".to_string()),
            ("Iris Kemp", "Pricing held.".to_string()),
        ];
        for (speaker, text) in lines {
            let s = turns.values();
            s.field_builder::<StringBuilder>(0).unwrap().append_value(speaker);
            s.field_builder::<StringBuilder>(1).unwrap().append_value(text);
            s.append(true);
        }
        turns.append(true);
    }
    let turns: ArrayRef = Arc::new(turns.finish());
    let batch = RecordBatch::try_from_iter([
        ("symbol", Arc::new(StringArray::from(calls.map(|c| c.0).to_vec())) as ArrayRef),
        ("year", Arc::new(Int64Array::from(calls.map(|c| c.1).to_vec())) as ArrayRef),
        ("quarter", Arc::new(Int64Array::from(calls.map(|c| c.2).to_vec())) as ArrayRef),
        ("date", Arc::new(StringArray::from(vec!["2024-02-01 16:30:00", "2024-05-02 16:30:00"])) as ArrayRef),
        ("structured_content", turns),
    ])
    .unwrap();
    let file = std::fs::File::create(&path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();

    env.calldb(&["import", path.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains("2 calls in 1 file: 2 imported"));
    assert_eq!(speakers(&env, "MRLN", 2024, 1), ["Operator", "Iris Kemp", "Operator", "Ben Ortiz", "Iris Kemp"]);
    assert_eq!(
        text(&env, "SELECT group_concat(record_key) FROM (SELECT record_key FROM v_calls ORDER BY record_key)"),
        "1,2"
    );
    assert_eq!(text(&env, "SELECT role FROM v_turns WHERE speaker = 'Ben Ortiz' LIMIT 1"), "analyst");
}

/// Records as users' files really hold them: odd shapes and values, files that failed before, lines that moved.
#[test]
fn records_in_odd_shapes_and_files_read_again() {
    let env = Env::new();
    // A one-record file that failed (no ticker anywhere) is read again next time, and imports once told how.
    let one = env.path("FRNH.json");
    std::fs::copy(fixture("FRNH_earningscall.json"), &one).unwrap();
    env.calldb(&["import", one.to_str().unwrap()]).assert().code(1).stderr(contains("no ticker or company name"));
    env.calldb(&["import", one.to_str().unwrap()]).assert().code(1);
    env.calldb(&["import", "--name-pattern", "{ticker}.json", one.to_str().unwrap()]).assert().success();
    // A speaker's title is not the call's.
    assert_eq!(text(&env, "SELECT title FROM v_calls WHERE ticker = 'FRNH'"), "Q2 2024 Earnings Call");

    let content = |company: &str, q: u8| {
        format!(
            "Operator: Welcome to the {company} Q{q} call. Please go ahead, Ann Vo.\nAnn Vo: Thank you. Sales rose \
             in the quarter and margins held.\nOperator: Our first question comes from Bo Li with Fenwick.\nBo Li: \
             What about costs?\nAnn Vo: They fell."
        )
    };
    // Single records keyed two levels down, a float quarter, an offset that is not Eastern, a date nobody can read.
    let nested = serde_json::json!({"2023": {
        "Q1": {"symbol": "OSPR", "company_name": "Osprey Tea", "year": 2023, "quarter": 1.0,
               "date": "2023-05-02T10:00:00+05:30", "content": content("Osprey Tea", 1)},
        "Q2": {"symbol": "OSPR", "year": 2023, "quarter": "2.0", "date": "2023-13-45", "content": content("Osprey Tea", 2)}}});
    let path = env.path("osprey.json");
    std::fs::write(&path, nested.to_string()).unwrap();
    env.calldb(&["import", path.to_str().unwrap()]).assert().success().stderr(
        contains("2 calls in 1 file: 2 imported").and(contains("the record's date `2023-13-45` is not a date")),
    );
    assert_eq!(
        text(&env, "SELECT call_date || ' ' || call_time || ' ' || timezone || ' ' || starts_at_utc FROM v_calls WHERE fiscal_quarter = 1 AND ticker = 'OSPR'"),
        "2023-05-02 10:00 UTC+05:30 2023-05-02T04:30:00Z"
    );
    // The Q2 record names no company: the name the Q1 record gave stays.
    assert_eq!(text(&env, "SELECT group_concat(DISTINCT company) FROM v_calls WHERE ticker = 'OSPR'"), "Osprey Tea");

    // Lines added above records already archived: their record keys follow them.
    let data = env.path("moved.jsonl");
    let record =
        |q: u8| serde_json::json!({"symbol": "MOVD", "year": 2022, "quarter": q, "content": content("Moved Co", q)});
    std::fs::write(&data, format!("{}\n{}\n", record(1), record(2))).unwrap();
    env.calldb(&["import", data.to_str().unwrap()]).assert().success();
    std::fs::write(&data, format!("{}\n{}\n{}\n", record(3), record(1), record(2))).unwrap();
    env.calldb(&["import", "--replace", data.to_str().unwrap()]).assert().success();
    assert_eq!(
        text(&env, "SELECT group_concat(fiscal_quarter || ':' || record_key, ' ') FROM (SELECT * FROM v_call_sources WHERE ticker = 'MOVD' ORDER BY fiscal_quarter)"),
        "1:2 2:3 3:1"
    );

    // An empty dataset and a binary file say so.
    let empty = env.path("empty.jsonl");
    std::fs::write(&empty, "\n").unwrap();
    env.calldb(&["import", empty.to_str().unwrap()]).assert().code(1).stderr(contains("holds no records"));
    let binary = env.path("blob.txt");
    std::fs::write(&binary, (0..4096u32).map(|i| (i * 37 % 251) as u8).collect::<Vec<u8>>()).unwrap();
    env.calldb(&["import", binary.to_str().unwrap()]).assert().code(1).stderr(contains("binary data, not text"));
}
