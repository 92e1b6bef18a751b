//! calldb among the tools analysts use: Datasette, DuckDB over Parquet exports, shells (pipes, completions, man),
//! file permissions, and text that must stay harmless. Tests that need Python packages (datasette, duckdb) or a
//! shell skip with a message when those are not installed.

mod common;

use std::path::Path;
use std::process::{Command as Process, Stdio};

use common::{samples, stdout_of, Env};
use predicates::prelude::*;

/// A Python that can import every module named, or `None` (the test then says why it skips).
fn python_with(modules: &[&str]) -> Option<String> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Process::new(&python)
        .arg("-c")
        .arg(format!("import {}", modules.join(", ")))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Some(python);
    }
    let why = format!("{python} cannot import {}", modules.join(", "));
    // CI installs the clients and says so: there a missing client is a failure, not a skip.
    assert!(std::env::var_os("CALLDB_REQUIRE_CLIENTS").is_none(), "{why}, and CALLDB_REQUIRE_CLIENTS is set");
    common::skipped(&why);
    None
}

fn clients() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients")
}

/// The samples, and the real development corpus when it is there.
fn import_corpus(env: &Env) {
    env.import_samples();
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    if real.is_dir() {
        // Text copies only: the saved `.html` pages are the same calls.
        env.calldb(&["import", "--quiet", "--glob", "*.txt", real.to_str().unwrap()]).assert().success();
    }
}

/// Every canned report, in every format calldb writes, on the samples and the real corpus: list-valued columns
/// (tickers, titles, roles) and real text never make a sink fail.
#[test]
fn every_report_runs_in_every_format_on_the_corpus() {
    let env = Env::new();
    import_corpus(&env);
    if !Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev").is_dir() {
        common::skipped("../shared not found: ran on the samples only");
    }
    let list: serde_json::Value =
        serde_json::from_str(&stdout_of(&mut env.calldb(&["report", "list", "--format", "json"]))).unwrap();
    let reports: Vec<&str> = list.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(reports.len() >= 9, "{reports:?}");
    for report in &reports {
        for format in ["table", "csv", "tsv", "json", "ndjson", "markdown", "html"] {
            let out = env.calldb(&["report", "run", report, "--format", format]).output().unwrap();
            assert!(out.status.success(), "{report} as {format}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let file = env.path(&format!("{report}.parquet"));
        let out = env.calldb(&["report", "run", report, "--output", file.to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "{report} as parquet: {}", String::from_utf8_lossy(&out.stderr));
    }
}

fn search_count(env: &Env, query: &str) -> usize {
    let out = stdout_of(&mut env.calldb(&["search", query, "--limit", "1000000", "--format", "ndjson"]));
    out.lines().count()
}

#[test]
fn every_view_column_has_a_declared_type_and_lists_are_json_arrays() {
    let env = Env::new();
    env.import_samples();
    let conn = env.conn();
    for view in calldb::report::export::VIEWS {
        let mut stmt = conn.prepare("SELECT name, type FROM pragma_table_info(?1)").unwrap();
        let cols: Vec<(String, String)> =
            stmt.query_map([view], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
        assert!(!cols.is_empty(), "{view}");
        for (name, ty) in cols {
            assert!(!ty.is_empty(), "{view}.{name} has no declared type");
        }
    }
    // Lists hold values that contain commas: JSON arrays keep them whole.
    let titles: String =
        conn.query_row("SELECT titles FROM v_speakers WHERE name = 'Dana Whitfield'", [], |r| r.get(0)).unwrap();
    let titles: Vec<String> = serde_json::from_str(&titles).unwrap();
    assert!(titles.contains(&"Vice President, Investor Relations".to_string()), "{titles:?}");
    let calls_type: String = conn.query_row("SELECT typeof(calls) FROM v_speakers LIMIT 1", [], |r| r.get(0)).unwrap();
    assert_eq!(calls_type, "integer");
    // Calls are labelled by ticker and fiscal period for clients that show a referenced row by one column.
    assert_eq!(env.count("SELECT count(*) FROM calls WHERE label = 'ACME 2021 Q1'"), 1);
}

#[test]
fn datasette_detects_search_and_loads_the_metadata() {
    let Some(python) = python_with(&["datasette", "sqlite_utils", "yaml"]) else { return };
    let env = Env::new();
    import_corpus(&env);
    let meta = env.path("metadata.yml");
    std::fs::write(&meta, stdout_of(&mut env.calldb(&["datasette"]))).unwrap();
    let queries = ["guidance", "\"supply chain\"", "inflation OR tariffs", "margin*", "robot*"];
    let expected: serde_json::Map<String, serde_json::Value> =
        queries.iter().map(|q| (q.to_string(), serde_json::json!(search_count(&env, q)))).collect();
    assert!(expected.values().any(|v| v.as_u64() > Some(0)), "the searches find something");
    let exp = env.path("expected.json");
    std::fs::write(&exp, serde_json::Value::Object(expected).to_string()).unwrap();
    let out = Process::new(python)
        .arg(clients().join("datasette_check.py"))
        .args([env.db.as_os_str(), meta.as_os_str(), exp.as_os_str()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen["detect_fts"], "turns_fts");
    assert_eq!(seen["sqlite_utils_detect_fts"], "turns_fts");
    assert!(seen["hidden"].as_array().unwrap().iter().any(|t| t == "refinery_schema_history"));
    assert_eq!(seen["v_turns_title_shown"], true);
    // Only the documented views are listed; every table is hidden behind Datasette's "hidden tables" link.
    assert_eq!(seen["shown"], serde_json::json!([]), "tables listed on the database page");
    assert_eq!(
        seen["database_page"],
        serde_json::json!({"title": true, "views_described_first": true, "search_linked": true})
    );
    let search = &seen["search_page"];
    assert!(search["hits"].as_u64().unwrap() > 0, "{search}");
    assert_eq!(search["marked"], search["hits"], "every snippet marks the match: {search}");
    assert_eq!(search["linked"], search["hits"], "every hit links to its turn: {search}");
    assert_eq!(search["qa_analyst_only"], true, "{search}");
    assert_eq!(search["empty_query_ok"], true, "{search}");
    assert_eq!(
        seen["canned_page"],
        serde_json::json!({"description": true, "sql_hidden": true, "no_bookkeeping": true})
    );
    // Every report is a canned query that runs unset (rows) and with a ticker that matches nothing (no rows).
    let catalog = calldb::report::catalog::Catalog::builtin();
    for name in catalog.reports.keys() {
        let [unset, filtered] = [0, 1].map(|i| seen["queries"][name][i].as_u64().unwrap());
        assert!(unset > 0, "{name} returns nothing with its parameters unset");
        if catalog.reports[name].param("ticker").is_some() {
            assert_eq!(filtered, 0, "{name} ignores its ticker");
        }
    }
}

#[test]
fn parquet_export_reads_in_duckdb_typed_and_partitioned_as_one_table() {
    let Some(python) = python_with(&["duckdb"]) else { return };
    let env = Env::new();
    import_corpus(&env);
    let counts: Vec<(String, i64)> = calldb::report::export::VIEWS
        .iter()
        .map(|v| (v.to_string(), env.count(&format!("SELECT count(*) FROM {v}"))))
        .collect();
    let read = |dir: &Path| -> serde_json::Value {
        let out = Process::new(&python).arg(clients().join("duckdb_check.py")).arg(dir).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    for partition in [None, Some("fiscal_year"), Some("ticker")] {
        let dir = env.path(&format!("lake-{}", partition.unwrap_or("none")));
        let mut args = vec!["export", dir.to_str().unwrap(), "--quiet"];
        if let Some(p) = partition {
            args.extend(["--partition-by", p]);
        }
        env.calldb(&args).assert().success();
        let seen = read(&dir);
        for (view, rows) in &counts {
            assert_eq!(seen[view]["rows"], *rows, "{view} partitioned by {partition:?}");
        }
        let calls = &seen["v_calls"]["types"];
        assert_eq!(calls["call_id"], "BIGINT");
        assert_eq!(calls["call_date"], "DATE");
        assert_eq!(calls["starts_at_utc"], "TIMESTAMP WITH TIME ZONE");
        assert_eq!(calls["price_change_pct"], "DOUBLE");
        assert_eq!(seen["v_speakers"]["types"]["titles"], "VARCHAR[]");
        assert_eq!(seen["v_speakers"]["types"]["calls"], "BIGINT");
        assert_eq!(seen["v_turns"]["types"]["text"], "VARCHAR");
        if partition == Some("fiscal_year") {
            assert!(seen["v_turns"]["files"].as_u64().unwrap() > 1, "one file per fiscal year");
            assert_eq!(calls["fiscal_year"], "BIGINT", "the partition column comes back from the path");
        }
    }
}

/// Files of every part under `dir`, as paths relative to it.
fn part_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().starts_with("part-"))
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn one_export_folder_holds_one_layout() {
    let env = Env::new();
    env.import_samples();
    let dir = env.path("lake");
    let lake = dir.to_str().unwrap();
    env.calldb(&["export", lake, "-q"]).assert().success();
    let flat = part_files(&dir);
    assert!(flat.contains(&"v_call_sources/part-0.parquet".to_string()), "{flat:?}");
    assert!(flat.iter().all(|f| !f.contains('=')), "{flat:?}");
    // Another partitioning or format in the same folder is refused, and nothing changes.
    for switch in [&["--partition-by", "fiscal_year"][..], &["--format", "csv"][..]] {
        let mut args = vec!["export", lake, "-q"];
        args.extend_from_slice(switch);
        let out = env.calldb(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{switch:?}");
        let message = String::from_utf8_lossy(&out.stderr);
        assert!(message.contains("another layout") && message.contains("--rewrite"), "{message}");
        assert_eq!(part_files(&dir), flat, "a refused export leaves the folder as it was");
    }
    // --rewrite replaces the folder whole in the new layout: no file of the old one stays.
    env.calldb(&["export", lake, "-q", "--partition-by", "fiscal_year", "--rewrite"]).assert().success();
    let partitioned = part_files(&dir);
    assert!(partitioned.iter().any(|f| f.starts_with("v_turns/fiscal_year=2021/")), "{partitioned:?}");
    // (A view without the column, v_speakers, is written whole: each view's folder is one layout or the other.)
    for view in calldb::report::export::VIEWS {
        let files: Vec<&String> = partitioned.iter().filter(|f| f.starts_with(&format!("{view}/"))).collect();
        let flat = files.iter().filter(|f| f.split('/').count() == 2).count();
        assert!(flat == 0 || flat == files.len(), "{view} mixes layouts: {files:?}");
    }
    assert!(partitioned.iter().all(|f| !f.starts_with("v_turns/part-")));
    // A view with no rows keeps its one empty file in Hive's folder for no value, the same layout as the rest.
    assert!(partitioned.contains(&"v_editorial/fiscal_year=__HIVE_DEFAULT_PARTITION__/part-0.parquet".to_string()));
    // The same layout again is an ordinary re-export.
    env.calldb(&["export", lake, "-q", "--partition-by", "fiscal_year"]).assert().success();
    assert_eq!(part_files(&dir), partitioned);
}

#[test]
fn incremental_exports_append_only_new_calls() {
    let env = Env::new();
    env.calldb(&["import", "-q", samples().join("acme-robotics-q4-2020.txt").to_str().unwrap()]).assert().success();
    let dir = env.path("lake");
    let export = |env: &Env| {
        env.calldb(&["export", dir.to_str().unwrap(), "--format", "ndjson", "--since-last-export", "--quiet"])
            .assert()
            .success();
    };
    export(&env);
    export(&env); // nothing new: no new part files
    env.import_samples();
    export(&env);
    let mut turn_lines = 0;
    let mut call_ids = Vec::new();
    for entry in walkdir::WalkDir::new(dir.join("v_calls")).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            for line in std::fs::read_to_string(entry.path()).unwrap().lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                call_ids.push(v["call_id"].as_i64().unwrap());
            }
        }
    }
    for entry in walkdir::WalkDir::new(dir.join("v_turns")).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            turn_lines += std::fs::read_to_string(entry.path()).unwrap().lines().count();
        }
    }
    call_ids.sort();
    assert_eq!(call_ids, [1, 2, 3], "every call exactly once");
    assert_eq!(turn_lines as i64, env.count("SELECT count(*) FROM v_turns"));
    assert_eq!(env.count("SELECT count(*) FROM exports"), 3);
    assert_eq!(std::fs::read_dir(dir.join("v_calls")).unwrap().count(), 2, "two part files");
    let speakers = std::fs::read_dir(dir.join("v_speakers")).unwrap().count();
    assert_eq!(speakers, 1, "people are rewritten whole");
}

/// A reader that closes the pipe, at once or after the first line of an output far larger than the pipe buffer
/// (`calldb … | head -1`), ends every command and format quietly with status 0.
#[test]
fn a_closed_pipe_ends_quietly_with_status_zero() {
    use std::io::BufRead;
    let env = Env::new();
    let corpus = env.path("corpus");
    calldb::synth::generate(&corpus, 60, 5).unwrap();
    env.calldb(&["import", "-q", corpus.to_str().unwrap()]).assert().success();
    env.import_samples();
    let bin = assert_cmd::cargo::cargo_bin("calldb");
    let mut commands: Vec<Vec<&str>> = Vec::new();
    for format in ["csv", "tsv", "json", "ndjson", "table", "markdown", "html", "parquet"] {
        commands.push(vec!["query", "SELECT * FROM v_turns", "--format", format]);
    }
    for format in ["csv", "tsv", "ndjson", "table", "markdown", "html"] {
        commands.push(vec!["report", "run", "talk-time", "--format", format]);
        commands.push(vec!["speakers", "--format", format]);
        commands.push(vec!["calls", "--format", format]);
    }
    commands.extend([
        vec!["show", "ACME:2021Q1"],
        vec!["show", "ACME:2021Q1", "--format", "json"],
        vec!["search", "the", "--limit", "100000"],
        vec!["speakers"],
        vec!["man"],
        vec!["completions", "bash"],
        vec!["datasette"],
        vec!["check", corpus.to_str().unwrap(), "--format", "json"],
    ]);
    let big = |args: &[&str]| env.calldb(args).output().unwrap().stdout.len() >= 1 << 20;
    assert!(big(&["query", "SELECT * FROM v_turns", "--format", "csv"]), "make the corpus bigger");
    for args in commands {
        for read_first_line in [false, true] {
            let mut child = Process::new(&bin)
                .env_remove("CALLDB_DB")
                .arg("--db")
                .arg(&env.db)
                .args(&args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let stdout = child.stdout.take().unwrap();
            if read_first_line {
                let mut line = Vec::new();
                std::io::BufReader::new(stdout).read_until(b'\n', &mut line).unwrap();
            } else {
                drop(stdout);
            }
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{args:?} (first line read: {read_first_line}): {:?} {stderr}", out.status);
            assert!(stderr.is_empty(), "{args:?} (first line read: {read_first_line}): {stderr}");
        }
    }
}

#[test]
fn completions_are_valid_shell_and_the_man_page_renders() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout_of(&mut env.calldb(&["completions", shell]));
        assert!(script.contains("calldb") && script.contains("export"), "{shell}");
        let check = match shell {
            "bash" => ("bash", vec!["-n"]),
            "zsh" => ("zsh", vec!["-n"]),
            _ => ("fish", vec!["--no-execute"]),
        };
        let path = env.path(&format!("calldb.{shell}"));
        std::fs::write(&path, &script).unwrap();
        match Process::new(check.0).args(&check.1).arg(&path).output() {
            Ok(out) => assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr)),
            Err(_) => {
                let why = format!("{shell} is not installed to check its completion script");
                assert!(
                    std::env::var_os("CALLDB_REQUIRE_CLIENTS").is_none(),
                    "{why}, and CALLDB_REQUIRE_CLIENTS is set"
                );
                common::skipped(&why)
            }
        }
    }
    let man = stdout_of(&mut env.calldb(&["man"]));
    assert!(man.starts_with(".ie") || man.contains(".TH calldb"), "{}", &man[..200.min(man.len())]);
    assert!(man.contains("export") && man.contains("datasette"));
}

#[cfg(unix)]
#[test]
fn outputs_honour_the_umask_and_existing_files_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.import_samples();
    let bin = assert_cmd::cargo::cargo_bin("calldb");
    // Run under `sh -c 'umask 022; …'`, as cron or a login shell would.
    let run = |out: &Path| {
        let status = Process::new("sh")
            .arg("-c")
            .arg("umask 022; exec \"$0\" --db \"$1\" query 'SELECT 1 AS x' --output \"$2\"")
            .arg(&bin)
            .arg(&env.db)
            .arg(out)
            .status()
            .unwrap();
        assert!(status.success());
    };
    let out = env.path("web/out.csv");
    run(&out);
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o644);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    run(&out);
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600, "an existing file keeps its mode");
    // A temporary file of a killed run (nobody holds its lock) is cleaned up by the next write into the folder.
    let stale = env.path("web/.calldb-AbCdEf.tmp");
    std::fs::write(&stale, "half a report").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    std::fs::File::options().write(true).open(&stale).unwrap().set_modified(old).unwrap();
    run(&out);
    assert!(!stale.exists());
}

#[test]
fn hostile_text_stays_harmless_in_every_format() {
    let env = Env::new();
    env.import_samples();
    let sql =
        "SELECT 'clear' || char(27) || '[2J' || char(27) || ']0;owned' || char(7) || ' <script>x</script> =cmd()' AS t";
    let table = stdout_of(&mut env.calldb(&["query", sql, "--format", "table"]));
    assert!(!table.contains('\x1b') && !table.contains('\x07'), "{table:?}");
    let md = stdout_of(&mut env.calldb(&["query", sql, "--format", "markdown"]));
    assert!(!md.contains("<script>") && md.contains("&lt;script&gt;") && !md.contains('\x1b'), "{md}");
    let csv = stdout_of(&mut env.calldb(&["query", "SELECT '=1+1' AS f, -3 AS n", "--format", "csv", "--csv-safe"]));
    assert_eq!(csv, "f,n\r\n'=1+1,-3\r\n");
    // `show` prints the transcript for a person: escape sequences in speech are shown, not run.
    env.conn().execute("UPDATE turns SET text = text || char(27) || '[2J' WHERE turn_id = 1", []).unwrap();
    let shown = stdout_of(&mut env.calldb(&["show", "1"]));
    assert!(!shown.contains('\x1b') && shown.contains("␛[2J"), "escape sequence reached the terminal");
}

#[test]
fn show_speaks_json_and_markdown() {
    let env = Env::new();
    env.import_samples();
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&mut env.calldb(&["show", "ACME:2021Q1", "--format", "json"]))).unwrap();
    assert_eq!(json["ticker"], "ACME");
    assert_eq!(
        json["turns"].as_array().unwrap().len() as i64,
        env.count("SELECT turns FROM v_calls WHERE call_id = 1")
    );
    let md = stdout_of(&mut env.calldb(&["show", "ACME:2021Q1", "--format", "markdown"]));
    assert!(md.starts_with("# Acme Robotics") && md.contains("## Participants"), "{md}");
}

#[test]
fn json_never_repeats_a_key() {
    let env = Env::new();
    env.import_samples();
    let out = stdout_of(&mut env.calldb(&["query", "SELECT 1 AS x, 2 AS x, 3 AS x_2", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0], serde_json::json!({"x": 1, "x_3": 2, "x_2": 3}));
}

#[test]
fn jobs_check_lists_every_error_and_run_is_quiet_when_asked() {
    let env = Env::new();
    env.import_samples();
    let dir = env.path("jobs");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("jobs.toml");
    std::fs::write(
        &file,
        "[[job]]\nname = \"a\"\nreport = \"talktime\"\noutput = \"a.csv\"\n\n\
         [[job]]\nname = \"b\"\nreport = \"calls\"\noutput = \"{nope}.csv\"\n\n\
         [[job]]\nname = \"c\"\nreport = \"calls\"\nparams = { limit = 3 }\noutput = \"c.csv\"\n",
    )
    .unwrap();
    env.calldb(&["jobs", "check", file.to_str().unwrap()]).assert().failure().stderr(
        predicate::str::contains("jobs.toml:3:")
            .and(predicate::str::contains("did you mean `talk-time`"))
            .and(predicate::str::contains("jobs.toml:9:"))
            .and(predicate::str::contains("{nope}"))
            .and(predicate::str::contains("unknown parameter `limit`")),
    );
    std::fs::write(&file, "[[job]]\nname = \"calls\"\nreport = \"calls\"\noutput = \"out/{datetime}-{name}.csv\"\n")
        .unwrap();
    env.calldb(&["jobs", "run", "--quiet", file.to_str().unwrap()]).assert().success().stdout("").stderr("");
    assert_eq!(std::fs::read_dir(dir.join("out")).unwrap().count(), 1);
}

#[test]
fn charts_are_the_right_picture_for_each_report() {
    let env = Env::new();
    env.import_samples();
    let html = |report: &str, extra: &[&str]| -> String {
        let mut args = vec!["report", "run", report, "--format", "html"];
        args.extend(extra);
        stdout_of(&mut env.calldb(&args))
    };
    let trend = html("term-trend", &["-p", "term", "robot*"]);
    assert!(trend.contains("<svg") && trend.contains("per_10k_words by quarter"), "a rate over real time");
    // The calls' calendar quarters (ACME's fiscal 2020 Q4 call was held in February 2021), zeros included.
    assert!(["\n2021 Q1\n", "\n2021 Q2\n", "\n2021 Q3\n"].iter().all(|q| trend.contains(q)), "quarters on the axis");
    assert!(trend.contains("<circle"), "a point per quarter");
    assert!(trend.contains("Generated ") && trend.contains("<dt>term</dt><dd>robot*</dd>"), "parameters stated");
    assert!(trend.contains("class=\"sortable\"") && trend.contains("<script>"), "sortable table");
    let talk = html("talk-time", &[]);
    assert!(talk.contains("share of words by role"), "stacked shares");
    // Calls in date order, whatever order they were archived in (Initech's call first here).
    let again = Env::new();
    again.calldb(&["import", "--quiet", samples().join("initech-q2-2021.txt").to_str().unwrap()]).assert().success();
    again.import_samples();
    let rows: serde_json::Value =
        serde_json::from_str(&stdout_of(&mut again.calldb(&["report", "run", "talk-time", "--format", "json"])))
            .unwrap();
    let dates: Vec<&str> = rows.as_array().unwrap().iter().map(|r| r["call_date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]) && dates.len() > 3, "{dates:?}");
    let exchanges = html("qa-exchanges", &[]);
    assert!(exchanges.contains("answer_words by ticker fiscal_period analyst"), "bars named by call and analyst");
    let calls = html("calls", &[]);
    assert!(calls.contains("rows per calendar quarter of call_date"));
}

#[test]
fn quiet_import_prints_nothing_on_success_and_names_failures() {
    let env = Env::new();
    env.calldb(&["import", "--quiet", samples().to_str().unwrap()]).assert().success().stdout("").stderr("");
    let inbox = env.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("broken.txt"), "not a transcript\n").unwrap();
    std::fs::copy(samples().join("acme-robotics-q4-2020.txt"), inbox.join("good.txt")).unwrap();
    env.calldb(&["import", "--quiet", inbox.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broken.txt").and(predicate::str::contains("1 failed")));
}
