//! The documentation a user installs: manual pages (`calldb man`, `calldb man --dir`) and shell completion
//! (`calldb completions SHELL`), including report names completed at TAB time from `calldb __complete reports`.
//! Checks that need a program that is not installed (groff or man, zsh, fish) say so and skip.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

use common::{stdout_of, Env};

/// The built-in reports, as `report list` gives them.
fn builtin_reports(env: &Env) -> BTreeSet<String> {
    let json = stdout_of(&mut env.calldb(&["report", "list", "--format", "json"]));
    let list: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let names: BTreeSet<String> = list.iter().map(|r| r["name"].as_str().unwrap().to_string()).collect();
    assert!(names.contains("talk-time") && names.contains("analyst-coverage"), "{names:?}");
    names
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

fn lines(text: &str) -> BTreeSet<String> {
    text.lines().map(str::to_string).collect()
}

/// A folder with one user report, `my-report`.
fn user_reports(env: &Env, name: &str) -> PathBuf {
    let dir = env.path(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mine.sql"), "-- name: my-report\n-- title: Mine\nSELECT 1 AS one\n").unwrap();
    dir
}

/// The folder of the `calldb` binary under test, put first on PATH for the shells.
fn bin_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("calldb").parent().unwrap().to_path_buf()
}

/// Points a command at this environment only: no archive or report settings of the user running the tests, the
/// binary under test first on PATH, and the environment's folder as working directory.
fn isolate<'a>(cmd: &'a mut assert_cmd::Command, env: &Env) -> &'a mut assert_cmd::Command {
    let path = std::env::join_paths(
        std::iter::once(bin_dir()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    cmd.env_remove("CALLDB_DB")
        .env_remove("CALLDB_REPORTS_DIR")
        .env("XDG_DATA_HOME", env.path("data"))
        .env("XDG_CONFIG_HOME", env.path("config"))
        .env("HOME", env.dir.path())
        .env("PATH", path)
        .current_dir(env.dir.path())
        .timeout(Duration::from_secs(60));
    cmd
}

/// `calldb __complete ARGS…`, as the completion scripts run it (no global options before it).
fn complete(env: &Env, args: &[&str]) -> std::process::Output {
    let mut cmd = assert_cmd::Command::cargo_bin("calldb").unwrap();
    isolate(&mut cmd, env).arg("__complete").args(args);
    cmd.output().unwrap()
}

/// Whether `program` runs; if not, says the test skips it (a failure when CI promises the shells are installed).
fn installed(program: &str, what: &str) -> bool {
    if Process::new(program).arg("--version").output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    let why = format!("{program} is not installed to {what}");
    assert!(std::env::var_os("CALLDB_REQUIRE_CLIENTS").is_none(), "{why}, and CALLDB_REQUIRE_CLIENTS is set");
    common::skipped(&why);
    false
}

/// Every `calldb-…(1)` a page names (roff writes the hyphens as `\-`).
fn references(page: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r"\bcalldb(?:\\?-[A-Za-z0-9_]+)+\(1\)").unwrap();
    re.find_iter(page).map(|m| m.as_str().replace("\\-", "-").trim_end_matches("(1)").to_string()).collect()
}

#[test]
fn man_dir_writes_every_page_a_page_names() {
    let env = Env::new();
    let dir = env.path("share/man/man1");
    let printed = stdout_of(&mut env.calldb(&["man", "--dir", dir.to_str().unwrap()]));
    let printed: Vec<PathBuf> = printed.lines().map(PathBuf::from).collect();
    let on_disk: BTreeSet<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(printed.iter().cloned().collect::<BTreeSet<_>>(), on_disk, "one line per file written");
    assert_eq!(printed.len(), on_disk.len(), "{printed:?}");
    let names: BTreeSet<String> =
        on_disk.iter().map(|p| p.file_name().unwrap().to_str().unwrap().to_string()).collect();
    for page in [
        "calldb.1",
        "calldb-import.1",
        "calldb-report.1",
        "calldb-report-run.1",
        "calldb-report-show.1",
        "calldb-report-list.1",
        "calldb-speakers-merge.1",
        "calldb-calls-set.1",
        "calldb-jobs-run.1",
        "calldb-completions.1",
        "calldb-man.1",
    ] {
        assert!(names.contains(page), "{page} missing from {names:?}");
    }
    assert!(names.iter().all(|n| n.ends_with(".1") && !n.contains("help") && !n.contains("__")), "{names:?}");

    // Every page another page names exists, and every subcommand's page is named by its parent's.
    let mut named = BTreeSet::new();
    for path in &on_disk {
        let text = std::fs::read_to_string(path).unwrap();
        let stem = path.file_stem().unwrap().to_str().unwrap();
        assert!(text.contains(&format!(".TH {stem} 1 ")), "{}: {}", path.display(), &text[..200.min(text.len())]);
        for r in references(&text) {
            assert!(names.contains(&format!("{r}.1")), "{} names {r}(1), which was not written", path.display());
            named.insert(r);
        }
    }
    for n in &names {
        let stem = n.trim_end_matches(".1");
        assert!(stem == "calldb" || named.contains(stem), "no page names {stem}(1)");
    }
    assert!(named.contains("calldb-import") && named.contains("calldb-report-run"), "{named:?}");

    // `calldb man` alone still prints the top-level page, the same as calldb.1.
    let top = stdout_of(&mut env.calldb(&["man"]));
    assert_eq!(top, std::fs::read_to_string(dir.join("calldb.1")).unwrap());

    // -q writes the same pages (over the existing ones) and prints nothing.
    let quiet = env.path("quiet");
    let out = stdout_of(&mut env.calldb(&["man", "--dir", quiet.to_str().unwrap(), "-q"]));
    assert_eq!(out, "");
    let again = stdout_of(&mut env.calldb(&["man", "--dir", quiet.to_str().unwrap(), "--quiet"]));
    assert_eq!(again, "");
    for n in &names {
        assert_eq!(std::fs::read(quiet.join(n)).unwrap(), std::fs::read(dir.join(n)).unwrap(), "{n}");
    }
    assert_eq!(std::fs::read_dir(&quiet).unwrap().count(), names.len(), "no temporary files left");
    assert!(!env.db.exists(), "writing manual pages does not create the archive");
}

#[test]
fn every_man_page_renders() {
    let env = Env::new();
    let dir = env.path("man1");
    stdout_of(&mut env.calldb(&["man", "--dir", dir.to_str().unwrap(), "-q"]));
    let pages: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(pages.len() > 20, "{pages:?}");
    let has = |program: &str| Process::new(program).arg("--version").output().is_ok_and(|o| o.status.success());
    let (groff, man) = (has("groff"), has("man"));
    if !groff && !man {
        common::skipped("neither groff nor man is installed to render the pages");
        return;
    }
    for page in &pages {
        if groff {
            // -k: UTF-8 input (the help texts use …), as man does; -ww: every warning.
            let out = Process::new("groff").args(["-k", "-man", "-Tutf8", "-ww"]).arg(page).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success() && stderr.is_empty(), "groff {}: {stderr}", page.display());
            let stem = page.file_stem().unwrap().to_str().unwrap();
            assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("{stem}(1)")), "{}", page.display());
        }
        if man {
            let out = Process::new("man")
                .arg("-l")
                .arg(page)
                .env("MANPAGER", "cat")
                .env("PAGER", "cat")
                .env("MANWIDTH", "100")
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "man -l {}: {}", page.display(), String::from_utf8_lossy(&out.stderr));
            let stem = page.file_stem().unwrap().to_str().unwrap();
            assert!(text.contains("SYNOPSIS") && text.contains(stem), "man -l {}: {text}", page.display());
        }
    }
    if !groff {
        common::skipped("groff is not installed (pages checked with man -l only)");
    }
    if !man {
        common::skipped("man is not installed (pages checked with groff only)");
    }
}

#[test]
fn complete_prints_report_names_without_an_archive() {
    let env = Env::new();
    let builtin = builtin_reports(&env);
    let ok = |out: std::process::Output| {
        assert!(out.status.success(), "{out:?}");
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
        lines(&String::from_utf8(out.stdout).unwrap())
    };
    assert_eq!(ok(complete(&env, &["reports"])), builtin);

    let mine = user_reports(&env, "mine");
    let mut with_mine = builtin.clone();
    with_mine.insert("my-report".into());
    assert_eq!(ok(complete(&env, &["reports", "--reports-dir", mine.to_str().unwrap()])), with_mine);

    // The folder reports are found in without --reports-dir: $CALLDB_REPORTS_DIR, else ~/.config/calldb/reports.
    let mut cmd = assert_cmd::Command::cargo_bin("calldb").unwrap();
    isolate(&mut cmd, &env).env("CALLDB_REPORTS_DIR", &mine).args(["__complete", "reports"]);
    assert_eq!(ok(cmd.output().unwrap()), with_mine);
    let config = env.path("config/calldb/reports");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::rename(&mine, &config).unwrap();
    assert_eq!(ok(complete(&env, &["reports"])), with_mine);

    // A folder that is missing or holds a broken report still gives the built-in names, and no message.
    assert_eq!(ok(complete(&env, &["reports", "--reports-dir", env.path("missing").to_str().unwrap()])), builtin);
    std::fs::write(config.join("broken.sql"), "-- title: no name\nSELECT 1\n").unwrap();
    assert_eq!(ok(complete(&env, &["reports"])), builtin);

    assert!(!env.db.exists() && !env.path("data/calldb").exists(), "completion never creates an archive");
    // Hidden: not in the help, the manual or the completion scripts' list of commands.
    let help = stdout_of(&mut env.calldb(&["--help"]));
    assert!(!help.contains("__complete"), "{help}");
    assert!(!stdout_of(&mut env.calldb(&["man"])).contains("complete\\-reports"));
}

/// The bash completion script, installed in the environment's folder.
fn script(env: &Env, shell: &str, file: &str) -> PathBuf {
    let text = stdout_of(&mut env.calldb(&["completions", shell]));
    let path = env.path(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// What bash offers for `words` (the last one is the word being completed), the way bash calls the function the
/// script registers for calldb.
fn bash_complete(env: &Env, script: &Path, words: &[&str]) -> BTreeSet<String> {
    let program = r#"
        source "$1"; shift
        fn=$(complete -p calldb | sed -E 's/.*-F ([^ ]+).*/\1/')
        COMP_WORDS=("$@")
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE="${COMP_WORDS[*]}"
        COMP_POINT=${#COMP_LINE}
        "$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let mut cmd = assert_cmd::Command::new("bash");
    isolate(&mut cmd, env).arg("-c").arg(program).arg("bash").arg(script).args(words);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{words:?}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{words:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// A job file, a folder and another file in the environment's folder, for job-file completion.
fn job_files(env: &Env) {
    std::fs::write(
        env.path("nightly.toml"),
        "[[job]]\nname = \"talk\"\nreport = \"talk-time\"\noutput = \"t.csv\"\n\n\
         [[job]]\nname = \"coverage\"\nreport = \"analyst-coverage\"\noutput = \"c.csv\"\n",
    )
    .unwrap();
    std::fs::write(env.path("notes.txt"), "").unwrap();
    std::fs::create_dir_all(env.path("nested")).unwrap();
}

#[test]
fn bash_completes_report_names_and_job_files() {
    let env = Env::new();
    if !installed("bash", "check its completion") {
        return;
    }
    let builtin = builtin_reports(&env);
    let mine = user_reports(&env, "mine");
    job_files(&env);
    let script = script(&env, "bash", "calldb.bash");
    let complete = |words: &[&str]| bash_complete(&env, &script, words);

    assert_eq!(complete(&["calldb", "report", "run", ""]), builtin);
    assert_eq!(complete(&["calldb", "report", "show", ""]), builtin);
    assert_eq!(complete(&["calldb", "report", "run", "ta"]), set(&["talk-time"]));
    assert_eq!(complete(&["calldb", "--db", "x.db", "--wait", "3", "report", "run", "an"]), set(&["analyst-coverage"]));
    assert_eq!(complete(&["calldb", "report", "run", "-f", "csv", "-p", "ticker", "ACME", "tal"]), set(&["talk-time"]));
    // The report folder given on the line, before or after `run`, also with `=` (its own word in bash).
    let dir = mine.to_str().unwrap();
    assert_eq!(complete(&["calldb", "report", "--reports-dir", dir, "run", "my"]), set(&["my-report"]));
    assert_eq!(complete(&["calldb", "report", "run", "--reports-dir", "=", dir, "my"]), set(&["my-report"]));
    assert_eq!(complete(&["calldb", "report", "run", "my"]), set(&[]));
    // The archive does not exist, and completion does not create it.
    assert!(!env.db.exists() && !env.path("data/calldb").exists());

    // Everywhere else, clap's script as before: options, option values, subcommands.
    let after_name = complete(&["calldb", "report", "run", "talk-time", ""]);
    assert!(after_name.contains("--format") && !after_name.contains("talk-time"), "{after_name:?}");
    assert!(complete(&["calldb", "report", "run", "-"]).contains("--param"));
    assert!(complete(&["calldb", "report", "run", "--format", ""]).contains("parquet"));
    assert!(complete(&["calldb", "report", "run", "-p", ""]).is_disjoint(&builtin));
    assert_eq!(complete(&["calldb", "report", "r"]), set(&["run"]));
    let commands = complete(&["calldb", ""]);
    assert!(commands.contains("report") && commands.contains("man"), "{commands:?}");
    assert!(commands.iter().all(|c| !c.contains("__")), "{commands:?}");
    assert!(complete(&["calldb", "import", "report", "run", ""]).is_disjoint(&builtin));

    // `jobs run FILE` / `jobs check FILE`: job files and folders.
    assert_eq!(complete(&["calldb", "jobs", "run", ""]), set(&["mine", "nested", "nightly.toml"]));
    assert_eq!(complete(&["calldb", "jobs", "check", "ni"]), set(&["nightly.toml"]));
    assert!(complete(&["calldb", "jobs", "run", "-"]).contains("--quiet"));
    // `jobs run FILE --job NAME`: the jobs of that file, from `calldb __complete jobs FILE`.
    assert_eq!(complete(&["calldb", "jobs", "run", "nightly.toml", "--job", ""]), set(&["talk", "coverage"]));
    assert_eq!(complete(&["calldb", "jobs", "run", "-q", "nightly.toml", "-j", "c"]), set(&["coverage"]));
    assert_eq!(complete(&["calldb", "jobs", "run", "--job", "talk", "nightly.toml", "--job", "t"]), set(&["talk"]));
    assert!(complete(&["calldb", "jobs", "run", "notes.txt", "--job", ""]).is_empty());
}

#[test]
fn zsh_completes_report_names_and_job_files() {
    let env = Env::new();
    if !installed("zsh", "check its completion") {
        return;
    }
    let builtin = builtin_reports(&env);
    let mine = user_reports(&env, "mine");
    job_files(&env);
    // Installed as the README says: `_calldb` in a folder on $fpath, loaded by compinit when first needed.
    let fpath = script(&env, "zsh", "zfunc/_calldb").parent().unwrap().to_path_buf();
    let dir = mine.to_str().unwrap();
    let lines = [
        "calldb report run ",
        "calldb report show t",
        "calldb --db x.db report run -f csv an",
        &format!("calldb report --reports-dir {dir} run my"),
        "calldb report run --format ",
        "calldb report r",
        "calldb jobs run ",
        "calldb ",
        "calldb jobs run nightly.toml --job ",
    ];
    let got = zsh_complete(&env, &fpath, &lines);
    assert_eq!(got.len(), lines.len(), "{got:?}");
    assert_eq!(got[0], builtin, "{}", lines[0]);
    assert_eq!(got[1], set(&["talk-time", "term-trend"]), "{}", lines[1]);
    assert_eq!(got[2], set(&["analyst-coverage"]), "{}", lines[2]);
    assert_eq!(got[3], set(&["my-report"]), "{}", lines[3]);
    assert!(got[4].contains("parquet") && got[4].is_disjoint(&builtin), "{}: {:?}", lines[4], got[4]);
    assert!(got[5].contains("run") && !got[5].contains("report"), "{}: {:?}", lines[5], got[5]);
    assert!(got[6].contains("nightly.toml") && !got[6].contains("notes.txt"), "{}: {:?}", lines[6], got[6]);
    assert!(got[7].contains("report") && got[7].iter().all(|c| !c.contains("__")), "{}: {:?}", lines[7], got[7]);
    assert_eq!(got[8], set(&["talk", "coverage"]), "{}", lines[8]);
    assert!(!env.db.exists() && !env.path("data/calldb").exists());
}

/// Completes each line in one interactive zsh (in a pseudo-terminal, with compinit) and returns what zsh offered
/// for each: every word passed to `compadd` that matches what was typed.
fn zsh_complete(env: &Env, fpath: &Path, lines: &[&str]) -> Vec<BTreeSet<String>> {
    let setup = env.path("zsh-setup.zsh");
    std::fs::write(
        &setup,
        format!(
            r#"PROMPT='' RPROMPT='' PS2=''
unsetopt beep
fpath=({fpath} $fpath)
autoload -U compinit && compinit -u -D
zstyle ':completion:*' insert-tab false
compadd() {{
    if [[ ${{@[1,(i)(-|--)]}} == *-(O|A|D)\ * ]]; then
        builtin compadd "$@"
        return
    fi
    local -a __hits
    builtin compadd -O __hits "$@"
    local h
    for h in $__hits; do print -r -- "<<M>>$h<</M>>"; done
    builtin compadd "$@"
}}
_calldb_test_end() {{ print -r -- '<<END>>' }}
# zsh empties comppostfuncs after each completion: set it again for each TAB.
_calldb_test_tab() {{
    comppostfuncs=(_calldb_test_end)
    zle complete-word
}}
zle -N _calldb_test_tab
bindkey -e
bindkey '^I' _calldb_test_tab
"#,
            fpath = fpath.display()
        ),
    )
    .unwrap();
    let driver = r#"
        zmodload zsh/zpty
        zpty z zsh -f -i
        zpty -w z "source ${(q)1}"
        shift
        for line in "$@"; do
            zpty -w -n z $'\C-u'"$line"$'\t'
            out=
            while zpty -r z chunk; do
                out+=$chunk
                [[ $out == *'<<END>>'* ]] && break
            done
            print -r -- "$out"
            print -r -- '<<LINE>>'
        done
        zpty -d z
    "#;
    let mut cmd = assert_cmd::Command::new("zsh");
    isolate(&mut cmd, env).arg("-f").arg("-c").arg(driver).arg("zsh").arg(&setup).args(lines);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "zsh: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let hit = regex::Regex::new(r"<<M>>(.*?)<</M>>").unwrap();
    text.split("<<LINE>>")
        .filter(|part| part.contains("<<END>>"))
        .map(|part| hit.captures_iter(part).map(|c| c[1].to_string()).collect())
        .collect()
}

#[test]
fn fish_completes_report_and_job_names() {
    let env = Env::new();
    if !installed("fish", "check its completion") {
        return;
    }
    let builtin = builtin_reports(&env);
    let mine = user_reports(&env, "mine");
    job_files(&env);
    let script = script(&env, "fish", "calldb.fish");
    let complete = |line: &str| -> BTreeSet<String> {
        let mut cmd = assert_cmd::Command::new("fish");
        isolate(&mut cmd, &env)
            .arg("--no-config")
            .arg("-c")
            .arg("source $argv[1]; complete -C $argv[2]")
            .arg(&script)
            .arg(line);
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{line}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{line}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines().map(|l| l.split('\t').next().unwrap().to_string()).collect()
    };
    assert_eq!(complete("calldb report run "), builtin);
    assert_eq!(complete("calldb report show ta"), set(&["talk-time"]));
    assert_eq!(complete("calldb --db x.db report run -p ticker ACME an"), set(&["analyst-coverage"]));
    let dir = mine.to_str().unwrap();
    assert_eq!(complete(&format!("calldb report --reports-dir {dir} run my")), set(&["my-report"]));
    assert_eq!(complete(&format!("calldb report run --reports-dir={dir} my")), set(&["my-report"]));
    let formats = complete("calldb report run --format ");
    assert!(formats.contains("parquet") && formats.is_disjoint(&builtin), "{formats:?}");
    assert!(complete("calldb report run talk-time ").is_disjoint(&builtin));
    let subcommands = complete("calldb report ");
    assert!(subcommands.contains("run") && subcommands.is_disjoint(&builtin), "{subcommands:?}");
    assert!(complete("calldb jobs run ").contains("nightly.toml"));
    assert_eq!(complete("calldb jobs run nightly.toml --job "), set(&["talk", "coverage"]));
    assert_eq!(complete("calldb jobs run nightly.toml -j co"), set(&["coverage"]));
    assert!(complete("calldb ").iter().all(|c| !c.contains("__")));
    assert!(!env.db.exists() && !env.path("data/calldb").exists());
}

#[test]
fn help_and_man_page_name_every_layout() {
    let env = Env::new();
    let help = stdout_of(&mut env.calldb(&["--help"]));
    let import_help = stdout_of(&mut env.calldb(&["import", "--help"]));
    let man = stdout_of(&mut env.calldb(&["man"]));
    for layout in calldb::parse::layout_names() {
        assert!(help.contains(&format!("- {layout}: ")), "calldb --help lacks {layout}");
        assert!(import_help.contains(&format!("- {layout}: ")), "calldb import --help lacks {layout}");
        // roff escapes the hyphen.
        assert!(man.contains(&format!("\\- {}: ", layout.replace('-', "\\-"))), "the man page lacks {layout}");
    }
    for form in [".pdf", ".parquet", ".jsonl", ".csv", ".html"] {
        assert!(help.contains(form), "{form}");
    }
}
