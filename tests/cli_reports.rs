//! `calldb query`, `report` and `jobs` end to end on a fixture archive.

mod common;

use common::{sample_text, samples, stdout_of, Env};
use predicates::prelude::*;

const REPORTS: [&str; 10] = [
    "calls",
    "talk-time",
    "analyst-coverage",
    "executive-roster",
    "qa-depth",
    "import-log",
    "qa-exchanges",
    "metric-mentions",
    "term-trend",
    "guidance-changes",
];
const FORMATS: [&str; 7] = ["table", "csv", "tsv", "json", "ndjson", "markdown", "html"];

fn json_rows(env: &Env, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = stdout_of(&mut env.calldb(&all));
    serde_json::from_str::<serde_json::Value>(&out).unwrap().as_array().unwrap().clone()
}

#[test]
fn report_list_shows_the_canned_reports() {
    let env = Env::new();
    let out = stdout_of(&mut env.calldb(&["report", "list", "--format", "csv"]));
    for r in REPORTS {
        assert!(out.lines().any(|l| l.starts_with(&format!("{r},"))), "{r} missing:\n{out}");
    }
    let list: serde_json::Value =
        serde_json::from_str(&stdout_of(&mut env.calldb(&["report", "list", "--format", "json"]))).unwrap();
    let calls = list.as_array().unwrap().iter().find(|r| r["name"] == "calls").unwrap();
    assert_eq!(calls["chart"]["kind"], "count");
    assert!(calls["params"].as_array().unwrap().iter().any(|p| p["name"] == "ticker" && p["type"] == "text"));
    let shown = stdout_of(&mut env.calldb(&["report", "show", "qa-depth"]));
    assert!(shown.contains("-p ticker <text>") && shown.contains("SELECT"), "{shown}");
}

#[test]
fn canned_reports_give_the_expected_rows() {
    let env = Env::new();
    env.import_samples();

    let calls = json_rows(&env, &["report", "run", "calls", "-p", "ticker", "acme"]);
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1]["fiscal_period"], "2021 Q1");
    assert_eq!(calls[1]["turns"], 21);
    assert_eq!(calls[1]["analysts"], 4); // Drew Patel, Drew Kim, Chris, and the unlisted Tomas Lindqvist
    assert_eq!(calls[1]["questions"], 5);
    assert_eq!(calls[1]["duration_minutes"], 38);

    let talk = json_rows(&env, &["report", "run", "talk-time", "-p", "ticker", "ACME"]);
    let lena_q1 = talk.iter().find(|r| r["speaker"] == "Lena Okafor" && r["fiscal_period"] == "2021 Q1").unwrap();
    assert_eq!(lena_q1["turns"], 3);
    let share_sum: f64 = talk
        .iter()
        .filter(|r| r["level"] == "role" && r["fiscal_period"] == "2021 Q1")
        .map(|r| r["share_pct"].as_f64().unwrap())
        .sum();
    assert!((share_sum - 100.0).abs() < 0.5, "{share_sum}");

    let coverage = json_rows(&env, &["report", "run", "analyst-coverage"]);
    let drew_patel = coverage.iter().find(|r| r["analyst"] == "Drew Patel").unwrap();
    assert_eq!((drew_patel["calls"].as_i64(), drew_patel["questions"].as_i64()), (Some(2), Some(2)));
    assert_eq!(drew_patel["first_call"], "2021-02-09");
    assert_eq!(drew_patel["last_call"], "2021-04-27");
    assert!(coverage.iter().any(|r| r["analyst"] == "Drew Kim"), "the two Drews stay two people");

    let roster = json_rows(&env, &["report", "run", "executive-roster", "-p", "ticker", "ACME"]);
    let vance = roster.iter().find(|r| r["executive"] == "Robert P. Vance").unwrap();
    assert_eq!(vance["calls"], 2);
    // Lists are JSON arrays, never comma-joined: titles themselves hold commas.
    let titles: Vec<&str> = vance["titles"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(titles.contains(&"Chief Executive Officer") && titles.contains(&"Chairman and Chief Executive Officer"));
    assert!(vance["roles"].as_array().unwrap().iter().all(|r| r == "executive" || r == "investor_relations"));
    assert!(drew_patel["tickers"].as_array().is_some_and(|t| !t.is_empty()), "{drew_patel}");

    let depth = json_rows(&env, &["report", "run", "qa-depth", "-p", "ticker", "INTC.X"]);
    assert_eq!(depth.len(), 1);
    assert_eq!(
        (depth[0]["analysts"].as_i64(), depth[0]["questions"].as_i64(), depth[0]["answers"].as_i64()),
        (Some(1), Some(2), Some(1))
    );

    std::fs::write(env.path("bad.txt"), "nothing here").unwrap();
    env.calldb(&["import", env.path("bad.txt").to_str().unwrap()]).assert().code(1);
    let log = json_rows(&env, &["report", "run", "import-log"]);
    assert_eq!(log.len(), 4);
    assert_eq!(log[0]["status"], "failed", "failures come first");
    assert!(log[0]["message"].as_str().unwrap().contains("not a transcript"));
    let limited = json_rows(&env, &["report", "run", "import-log", "-p", "limit", "2"]);
    assert_eq!(limited.len(), 2);
}

/// guidance-changes and term-trend for one ticker read only its calls (schema V15's reports); what they give is the
/// whole archive's rows of that ticker, in the same order.
#[test]
fn a_report_for_one_ticker_gives_the_whole_archive_s_rows_of_that_ticker() {
    let env = Env::new();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive-v14");
    env.calldb(&["import", "--quiet", samples().to_str().unwrap(), fixtures.to_str().unwrap()]).assert().success();
    let runs: [&[&str]; 5] = [
        &["guidance-changes"],
        &["guidance-changes", "-p", "metric", "revenue"],
        &["term-trend", "-p", "term", "revenue"],
        &["term-trend", "-p", "term", "\"operating margin\" OR expect*", "-p", "count", "occurrences"],
        &["term-trend", "-p", "term", "quarter", "-p", "quarters", "fiscal"],
    ];
    for run in runs {
        fn args<'a>(run: &[&'a str], ticker: Option<&'a str>) -> Vec<&'a str> {
            let mut args = vec!["report", "run"];
            args.extend(run);
            args.extend(ticker.map(|t| ["-p", "ticker", t]).into_iter().flatten());
            args
        }
        let all = json_rows(&env, &args(run, None));
        for ticker in ["ACME", "GLBX", "INTC.X", "glbx", "NOSUCH"] {
            let one = json_rows(&env, &args(run, Some(ticker)));
            let wanted: Vec<serde_json::Value> =
                all.iter().filter(|r| r["ticker"] == ticker.to_uppercase()).cloned().collect();
            assert_eq!(one, wanted, "{run:?} {ticker}");
        }
        assert!(!all.is_empty(), "{run:?}");
    }
}

#[test]
fn the_calls_list_shows_each_time_with_its_zone() {
    let env = Env::new();
    env.import_samples();
    let rows = json_rows(&env, &["calls"]);
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row["call_time"].is_null(), row["timezone"].is_null(), "{row}");
    }
    assert!(rows.iter().any(|r| r["timezone"] == "America/New_York"), "{rows:?}");
}

#[test]
fn tables_fit_an_80_column_terminal() {
    let env = Env::new();
    env.import_samples();
    for r in REPORTS {
        let out = stdout_of(env.calldb(&["report", "run", r, "--format", "table"]).env("COLUMNS", "80"));
        let widest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(widest <= 80, "{r}: a line of {widest} characters\n{out}");
    }
    // Too many columns for 80: one record per row, every value there.
    let out = stdout_of(env.calldb(&["report", "run", "talk-time", "--format", "table"]).env("COLUMNS", "80"));
    assert!(out.starts_with("─[ row 1 ]") && out.contains("share_pct     │ "), "{out}");
    // A few columns stay a table.
    let out = stdout_of(env.calldb(&["report", "run", "term-trend", "--format", "table"]).env("COLUMNS", "80"));
    assert!(out.starts_with('┌'), "{out}");
    let rows = json_rows(&env, &["report", "run", "talk-time"]).len();
    assert!(out.contains("(3 rows)") && rows > 3);
}

#[test]
fn every_report_runs_in_every_format() {
    let env = Env::new();
    env.import_samples();
    for r in REPORTS {
        let rows = json_rows(&env, &["report", "run", r]).len();
        for f in FORMATS {
            let out = stdout_of(&mut env.calldb(&["report", "run", r, "--format", f]));
            match f {
                // One line per row, nothing else.
                "ndjson" => assert_eq!(out.lines().count(), rows, "{r} {f}"),
                // A header line, then the rows (CSV fields may span lines, so at least that many).
                "csv" | "tsv" => assert!(out.lines().count() > rows, "{r} {f}"),
                "json" => {
                    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap().as_array().unwrap().len(), rows)
                }
                "html" => assert!(out.starts_with("<!DOCTYPE html>") && out.trim_end().ends_with("</html>"), "{r} {f}"),
                _ => assert!(!out.is_empty(), "{r} {f}"),
            }
        }
    }
    // Parquet goes to a file; every report writes one, list columns as lists.
    for r in REPORTS {
        let file = env.path(&format!("{r}.parquet"));
        env.calldb(&["report", "run", r, "--output", file.to_str().unwrap()]).assert().success();
        assert!(std::fs::read(&file).unwrap().starts_with(b"PAR1"), "{r}");
    }
    let html = stdout_of(&mut env.calldb(&["report", "run", "talk-time", "--format", "html"]));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && html.contains("</svg>"));
    let html = stdout_of(&mut env.calldb(&["report", "run", "calls", "--format", "html"]));
    assert!(html.contains("<svg") && html.contains("ACME 2021 Q1"));
}

/// An archive whose speech contains commas, quotes, newlines, tabs, markup and unicode.
fn hostile_env() -> Env {
    let env = Env::new();
    let text = sample_text("initech-q2-2021.txt").replace(
        "Mostly the cover sheet program.",
        "Mostly \"cover\", sheets\tand <script>alert('x')</script> | pipes — café ✓",
    );
    std::fs::write(env.path("hostile.txt"), text).unwrap();
    env.calldb(&["import", "-q", env.path("hostile.txt").to_str().unwrap()]).assert().success();
    env
}

const HOSTILE: &str = "SELECT text, words, NULL AS missing, 2.5 AS half FROM turns WHERE text LIKE 'Mostly%'";

#[test]
fn every_format_escapes_hostile_text() {
    let env = hostile_env();
    let raw = "Mostly \"cover\", sheets\tand <script>alert('x')</script> | pipes — café ✓";
    let out = |f: &str| stdout_of(&mut env.calldb(&["query", HOSTILE, "--format", f]));

    let csv = out("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!((&row[0], &row[1], &row[2], &row[3]), (raw, "10", "", "2.5"));
    let tsv = out("tsv");
    let mut reader = csv::ReaderBuilder::new().delimiter(b'\t').from_reader(tsv.as_bytes());
    assert_eq!(&reader.records().next().unwrap().unwrap()[0], raw);

    let json: serde_json::Value = serde_json::from_str(&out("json")).unwrap();
    assert_eq!(json[0]["text"], raw);
    assert_eq!(json[0]["words"], 10);
    assert!(json[0]["missing"].is_null());
    assert_eq!(json[0]["half"], 2.5);
    let nd: serde_json::Value = serde_json::from_str(out("ndjson").lines().next().unwrap()).unwrap();
    assert_eq!(nd, json[0]);

    let md = out("markdown");
    assert!(md.contains("\\| pipes"), "{md}");
    assert_eq!(md.lines().count(), 3);

    assert!(md.contains("&lt;script&gt;"), "{md}");

    let html = out("html");
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("&quot;cover&quot;") && html.contains("café ✓"));

    let table = out("table");
    assert!(table.contains("café") && table.contains("(1 row)"));
}

#[test]
fn query_is_read_only() {
    let env = Env::new();
    env.import_samples();
    let before = std::fs::read(&env.db).unwrap();
    for sql in [
        "INSERT INTO companies (ticker, name) VALUES ('X', 'X')",
        "UPDATE calls SET title = 'x'",
        "DELETE FROM turns",
        "DROP TABLE turns",
        "CREATE TABLE t (x)",
        "ATTACH DATABASE 'other.db' AS other",
        "PRAGMA user_version = 5",
    ] {
        env.calldb(&["query", sql])
            .assert()
            .failure()
            .stderr(predicate::str::contains("read-only").or(predicate::str::contains("only reads")));
    }
    env.calldb(&["query", "SELECT load_extension('x')"]).assert().failure();
    assert_eq!(std::fs::read(&env.db).unwrap(), before);
    assert_eq!(env.count("SELECT count(*) FROM calls"), 3);
}

#[test]
fn query_binds_parameters_and_reads_stdin() {
    let env = Env::new();
    env.import_samples();
    let out = stdout_of(
        env.calldb(&["query", "-", "-p", "t", "ACME' OR 1=1 --", "--format", "csv"])
            .write_stdin("SELECT count(*) AS n FROM v_calls WHERE ticker = :t;"),
    );
    assert_eq!(out, "n\r\n0\r\n", "the value is bound, not spliced");
    let out = stdout_of(&mut env.calldb(&[
        "query",
        "SELECT count(*) AS n FROM v_calls WHERE ticker = :t",
        "-p",
        "t",
        "ACME",
        "-f",
        "csv",
    ]));
    assert_eq!(out, "n\r\n2\r\n");
    env.calldb(&["query", "SELECT 1", "-p", "nope", "1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("parameter `nope` is not used"));
    env.calldb(&["query", "SELEC 1"]).assert().failure().stderr(predicate::str::contains("SQL error"));
}

#[test]
fn output_files_are_written_atomically_by_extension() {
    let env = Env::new();
    env.import_samples();
    let target = env.path("out/calls.json");
    env.calldb(&["report", "run", "calls", "--output", target.to_str().unwrap()]).assert().success();
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    // A failing run leaves the previous file whole and no temporary behind.
    env.calldb(&["query", "SELECT nope FROM calls", "--output", target.to_str().unwrap()]).assert().failure();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&target).unwrap()).unwrap(), v);
    assert_eq!(std::fs::read_dir(env.path("out")).unwrap().count(), 1);
    // An extension calldb does not write is refused with the ones it does, never written as CSV.
    let xlsx = env.path("out/calls.xlsx");
    let out = env.calldb(&["report", "run", "calls", "--output", xlsx.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("does not write .xlsx") && message.contains(".parquet"), "{message}");
    assert!(!xlsx.exists());
}

#[test]
fn report_parameter_errors_list_the_parameters() {
    let env = Env::new();
    env.import_samples();
    env.calldb(&["report", "run", "calls", "-p", "since", "yesterday"]).assert().failure().stderr(
        predicate::str::contains("`since` must be a date YYYY-MM-DD").and(predicate::str::contains("-p until <date>")),
    );
    env.calldb(&["report", "run", "nope"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("unknown report `nope`").and(predicate::str::contains("talk-time")));
}

#[test]
fn user_reports_add_and_override() {
    let env = Env::new();
    env.import_samples();
    let dir = env.path("reports");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("longest.sql"),
        "-- name: longest-turns\n-- title: Longest turns\n-- description: The longest turns.\n-- param: n | integer | 2 | How many\nSELECT speaker, words FROM v_turns ORDER BY words DESC LIMIT :n\n",
    )
    .unwrap();
    std::fs::write(dir.join("calls.sql"), "-- name: calls\n-- title: My calls\nSELECT 'mine' AS whose\n").unwrap();
    let d = dir.to_str().unwrap();
    let rows = json_rows(&env, &["report", "--reports-dir", d, "run", "longest-turns"]);
    assert_eq!(rows.len(), 2);
    let rows = json_rows(&env, &["report", "--reports-dir", d, "run", "calls"]);
    assert_eq!(rows[0]["whose"], "mine");
    // The documented default folder is used without a flag.
    let default = env.path("config/calldb/reports");
    std::fs::create_dir_all(&default).unwrap();
    std::fs::copy(dir.join("longest.sql"), default.join("longest.sql")).unwrap();
    assert_eq!(json_rows(&env, &["report", "run", "longest-turns", "-p", "n", "1"]).len(), 1);
}

fn write_jobs(env: &Env, toml: &str) -> std::path::PathBuf {
    let path = env.path("jobs/nightly.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, toml).unwrap();
    path
}

#[test]
fn jobs_run_all_log_each_run_and_name_failures() {
    let env = Env::new();
    env.import_samples();
    let reports = env.path("reports");
    std::fs::create_dir_all(&reports).unwrap();
    std::fs::write(reports.join("broken.sql"), "-- name: broken\nSELECT * FROM no_such_table\n").unwrap();
    let jobs = write_jobs(
        &env,
        r#"
[[job]]
name = "acme-talk-time"
report = "talk-time"
params = { ticker = "ACME" }
format = "html"
output = "out/{date}/{name}.html"

[[job]]
name = "broken"
report = "broken"
output = "out/broken.csv"

[[job]]
name = "all-calls"
report = "calls"
format = "csv"
output = "out/{report}-{ticker}.csv"
"#,
    );
    std::fs::create_dir_all(env.path("jobs/out")).unwrap();
    std::fs::write(env.path("jobs/out/broken.csv"), "previous good output").unwrap();
    let out = env
        .calldb(&["jobs", "run", jobs.to_str().unwrap(), "--reports-dir", reports.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("3 jobs: 2 ok, 1 failed"), "{stdout}");
    assert!(stderr.contains("job `broken` failed") && stderr.contains("no_such_table"), "{stderr}");
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let html = std::fs::read_to_string(env.path(&format!("jobs/out/{today}/acme-talk-time.html"))).unwrap();
    assert!(html.contains("<svg"));
    let csv = std::fs::read_to_string(env.path("jobs/out/calls-all.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert_eq!(std::fs::read_to_string(env.path("jobs/out/broken.csv")).unwrap(), "previous good output");
    assert_eq!(env.count("SELECT count(*) FROM report_runs"), 3);
    assert_eq!(env.count("SELECT count(*) FROM report_runs WHERE status = 'failed' AND job = 'broken' AND message LIKE '%no_such_table%'"), 1);
    assert_eq!(env.count("SELECT rows FROM report_runs WHERE job = 'all-calls'"), 3);
}

#[test]
fn html_reports_link_rows_to_the_turns_they_cite() {
    let env = Env::new();
    env.import_samples();
    let html = stdout_of(&mut env.calldb(&["report", "run", "metric-mentions", "-p", "ticker", "ACME", "-f", "html"]));
    let ids: std::collections::BTreeSet<i64> =
        json_rows(&env, &["report", "run", "metric-mentions", "-p", "ticker", "ACME"])
            .iter()
            .map(|r| r["turn_id"].as_i64().unwrap())
            .collect();
    assert!(ids.len() > 1, "{ids:?}");
    for id in ids {
        assert!(html.contains(&format!("<a href=\"#turn-{id}\">{id}</a>")), "turn {id}");
        assert!(html.contains(&format!("<section class=\"turn\" id=\"turn-{id}\">")), "turn {id}");
    }
    assert!(html.contains("<h2>Turns cited</h2>") && html.contains("ACME 2021 Q1 (2021-04-27) · "), "{html}");
    // Other formats keep the plain id.
    let csv = stdout_of(&mut env.calldb(&["report", "run", "metric-mentions", "-f", "csv"]));
    assert!(csv.lines().next().unwrap().ends_with(",turn_ordinal,turn_id,metric_id") && !csv.contains("href"), "{csv}");
}

#[test]
fn jobs_run_only_the_jobs_named() {
    let env = Env::new();
    env.import_samples();
    let jobs = write_jobs(
        &env,
        "[[job]]\nname = \"talk\"\nreport = \"talk-time\"\noutput = \"out/talk.csv\"\n\n\
         [[job]]\nname = \"calls\"\nreport = \"calls\"\noutput = \"out/calls.csv\"\n\n\
         [[job]]\nname = \"roster\"\nreport = \"executive-roster\"\noutput = \"out/roster.csv\"\n",
    );
    let file = jobs.to_str().unwrap();
    env.calldb(&["jobs", "run", file, "--job", "calls", "-j", "talk"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2 jobs: 2 ok, 0 failed"));
    assert!(env.path("jobs/out/talk.csv").exists() && env.path("jobs/out/calls.csv").exists());
    assert!(!env.path("jobs/out/roster.csv").exists());
    assert_eq!(env.count("SELECT count(*) FROM report_runs WHERE job IN ('talk', 'calls')"), 2);
    // A name the file does not have runs nothing and names the jobs it has.
    env.calldb(&["jobs", "run", file, "--job", "rooster"]).assert().failure().stderr(
        predicate::str::contains("no job named `rooster`").and(predicate::str::contains("`talk`, `calls`, `roster`")),
    );
    assert_eq!(env.count("SELECT count(*) FROM report_runs"), 2);
    assert!(!env.path("jobs/out/roster.csv").exists());
}

#[test]
fn since_last_run_reports_only_new_calls() {
    let env = Env::new();
    env.calldb(&["import", "-q", samples().join("acme-robotics-q4-2020.txt").to_str().unwrap()]).assert().success();
    let jobs = write_jobs(
        &env,
        "[[job]]\nname = \"nightly-calls\"\nreport = \"calls\"\nformat = \"json\"\noutput = \"out/{name}.json\"\n\
         since_last_run = true\n",
    );
    let run = |env: &Env| -> Vec<serde_json::Value> {
        env.calldb(&["jobs", "run", jobs.to_str().unwrap()]).assert().success();
        serde_json::from_str::<serde_json::Value>(
            &std::fs::read_to_string(env.path("jobs/out/nightly-calls.json")).unwrap(),
        )
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
    };
    assert_eq!(run(&env).len(), 1, "first run: everything");
    assert_eq!(run(&env).len(), 0, "nothing new since");
    env.calldb(&["import", "-q", samples().to_str().unwrap()]).assert().success();
    let new = run(&env);
    assert_eq!(new.len(), 2, "only the calls imported since the previous run");
    assert!(new.iter().all(|r| r["fiscal_period"] != "2020 Q4"));
    assert_eq!(env.count("SELECT count(*) FROM report_runs WHERE params LIKE '%since_last_run%'"), 2);
}

#[test]
fn bad_job_files_are_refused_before_anything_runs() {
    let env = Env::new();
    env.import_samples();
    let cases = [
        ("[[job]]\nname = \"a\"\nreport = \"calls\"\noutput = \"a.csv\"\n\n[[job]]\nname = \"b\"\nreport = \"nope\"\noutput = \"b.csv\"\n", ":8:", "unknown report `nope`"),
        ("[[job]]\nname = \"a\"\nreport = \"calls\"\noutput = \"out/{dat}.csv\"\n", ":4:", "unknown placeholder `{dat}`"),
        ("[[job]]\nname = \"a\"\nreport = \"calls\"\noutput = \"out/{date.csv\"\n", ":4:", "unclosed `{`"),
        ("[[job]]\nname = \"a\"\nreport = \"calls\"\nouptut = \"a.csv\"\n", ":4:", "unknown field `ouptut`"),
        ("[[job]]\nname = \"a\"\nreport = \"calls\"\nparams = { tickr = \"X\" }\noutput = \"a.csv\"\n", ":4:", "unknown parameter `tickr`"),
        ("[[job]]\nname = \"a\"\nreport = \"calls\"\nformat = \"pdf\"\noutput = \"a.csv\"\n", ":4:", "pdf"),
    ];
    for (toml, line, message) in cases {
        let jobs = write_jobs(&env, toml);
        env.calldb(&["jobs", "run", jobs.to_str().unwrap()])
            .assert()
            .failure()
            .stderr(predicate::str::contains(line).and(predicate::str::contains(message)));
    }
    assert_eq!(env.count("SELECT count(*) FROM report_runs"), 0);
    assert!(!env.path("jobs/a.csv").exists());
}
