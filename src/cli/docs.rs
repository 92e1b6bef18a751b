//! `calldb man` (manual pages) and `calldb completions SHELL` (completion scripts), and the hidden
//! `calldb __complete reports` that the completion scripts call for report names.
//!
//! clap_complete's scripts are static: they know the subcommands and options, not the reports of the user's report
//! folder. So for bash, zsh and fish, `calldb completions` adds a function in front of clap's one that completes
//! the report name of `report run` / `report show` by running `calldb __complete reports` when TAB is pressed (and
//! the job file of `jobs run` / `jobs check` with `*.toml` files), and hands every other position to clap's
//! function. `__complete` is not part of [`super::Cli`], so neither the scripts nor the manual pages show it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Command, Parser};
use clap_complete::Shell;

use super::output;

#[derive(clap::Args)]
pub struct ManArgs {
    /// Write calldb.1 and one page per subcommand (calldb-import.1, calldb-report-run.1, …) into DIR, e.g.
    /// ~/.local/share/man/man1, instead of printing the top-level page
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// With --dir: print nothing (by default each page written is printed, one per line)
    #[arg(long, short = 'q', requires = "dir")]
    quiet: bool,
}

/// `calldb man [--dir DIR [-q]]`.
pub fn man(cmd: Command, args: ManArgs) -> anyhow::Result<ExitCode> {
    let pages = man_pages(cmd);
    let Some(dir) = args.dir else {
        let mut buf = Vec::new();
        pages[0].render(&mut buf)?;
        output::print(&String::from_utf8_lossy(&buf))?;
        return Ok(ExitCode::SUCCESS);
    };
    for page in &pages {
        let path = dir.join(page.get_filename());
        let mut buf = Vec::new();
        page.render(&mut buf)?;
        crate::report::output_file::write_atomically(&path, &buf)
            .with_context(|| format!("writing {}", path.display()))?;
        if !args.quiet {
            output::print(&format!("{}\n", path.display()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The top-level page, then one page per visible subcommand at every depth: each page lists its subcommands as
/// `calldb-report-run(1)`, which is the file name of that subcommand's page. clap's `help` subcommands are left out
/// (they would be listed with no page to go with them); `--help` says the same.
fn man_pages(cmd: Command) -> Vec<clap_mangen::Man> {
    fn walk(cmd: &Command, source: &str, pages: &mut Vec<clap_mangen::Man>) {
        pages.push(clap_mangen::Man::new(cmd.clone()).source(source));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, source, pages);
        }
    }
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    // Every page's footer names the program and version (a subcommand's own would be `run`, with no version).
    let source = format!("{} {}", cmd.get_name(), cmd.get_version().unwrap_or_default());
    let mut pages = Vec::new();
    walk(&cmd, source.trim_end(), &mut pages);
    pages
}

/// `calldb completions SHELL`: clap's script, plus report names and job files for bash, zsh and fish.
pub fn completions(shell: Shell, mut cmd: Command) -> anyhow::Result<ExitCode> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "calldb", &mut buf);
    let script = String::from_utf8_lossy(&buf).into_owned();
    let hooks = Hooks::of(&cmd);
    let script = match shell {
        Shell::Bash => hooks.bash(script),
        Shell::Zsh => hooks.zsh(script),
        Shell::Fish => hooks.fish(script),
        _ => script,
    };
    output::print(&script)?;
    Ok(ExitCode::SUCCESS)
}

/// `calldb __complete WHAT`: names for the completion scripts, one per line. Not a subcommand of [`super::Cli`]:
/// [`complete_if_asked`] runs it before the command line is parsed.
#[derive(Parser)]
#[command(
    name = "calldb __complete",
    bin_name = "calldb __complete",
    about = "Names for shell completion, one per line"
)]
struct CompleteCli {
    what: Names,
    /// The job file, for `jobs`
    file: Option<PathBuf>,
    /// Folder of extra or overriding report files (default: $CALLDB_REPORTS_DIR, else ~/.config/calldb/reports)
    #[arg(long, value_name = "DIR")]
    reports_dir: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy)]
enum Names {
    /// The reports `report run` knows: built-in ones and the report folder's
    Reports,
    /// The jobs of a job file (`jobs run FILE --job NAME`)
    Jobs,
}

/// Runs `calldb __complete …` when that is the command line, else returns `None`. Whatever happens, it prints
/// nothing but names to a shell that is completing: a report folder that cannot be read gives the built-in reports.
pub fn complete_if_asked() -> Option<ExitCode> {
    if std::env::args_os().nth(1).is_none_or(|a| a != "__complete") {
        return None;
    }
    let args = CompleteCli::parse_from(std::env::args_os().skip(1));
    let names: Vec<String> = match args.what {
        Names::Reports => super::query::load_catalog(args.reports_dir.as_deref())
            .unwrap_or_else(|_| crate::report::catalog::Catalog::builtin())
            .reports
            .into_keys()
            .collect(),
        Names::Jobs => args.file.as_deref().map(crate::report::jobs::names_in).unwrap_or_default(),
    };
    let mut text = names.join("\n");
    text.push('\n');
    // A closed pipe or a full disk is no reason to print anything else into the user's shell.
    let _ = output::print(&text);
    Some(ExitCode::SUCCESS)
}

/// What the completion scripts complete beyond clap's script: the first argument of these subcommands.
const HOOKED: &[(&str, &str, Kind)] = &[
    ("report", "run", Kind::Reports),
    ("report", "show", Kind::Reports),
    ("jobs", "run", Kind::JobFile),
    ("jobs", "check", Kind::JobFile),
];

/// Options whose value the completion scripts complete: the jobs of the job file given as the subcommand's first
/// argument (`jobs run FILE --job NAME`), from `calldb __complete jobs FILE`.
const JOB_NAME_OPTIONS: &[(&str, &str, &str)] = &[("jobs", "run", "job")];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Report names, from `calldb __complete reports`.
    Reports,
    /// A job file: `*.toml` files and folders.
    JobFile,
}

/// The hooked positions that exist in the command, and what the scripts must know to find them on a command line.
struct Hooks {
    /// `report/run`, … with what to complete there.
    paths: Vec<(String, Kind)>,
    /// Subcommands on the way to a hooked position: `report`, `jobs`.
    parents: Vec<String>,
    /// Options along those paths that take values, by how many values they take (`--db` 1, `--param` 2).
    options: BTreeMap<usize, BTreeSet<String>>,
    /// Hooked paths with an option naming a job of the path's job file, and that option's spellings (`--job`, `-j`).
    job_names: Vec<(String, Vec<String>)>,
}

impl Hooks {
    fn of(cmd: &Command) -> Hooks {
        let mut cmd = cmd.clone();
        cmd.build();
        let mut hooks =
            Hooks { paths: Vec::new(), parents: Vec::new(), options: BTreeMap::new(), job_names: Vec::new() };
        hooks.add_options(&cmd);
        for &(parent, sub, kind) in HOOKED {
            let Some(p) = cmd.find_subcommand(parent) else { continue };
            let Some(s) = p.find_subcommand(sub).filter(|s| s.get_positionals().next().is_some()) else { continue };
            hooks.add_options(p);
            hooks.add_options(s);
            hooks.paths.push((format!("{parent}/{sub}"), kind));
            if !hooks.parents.iter().any(|x| x == parent) {
                hooks.parents.push(parent.to_string());
            }
            for &(_, _, long) in JOB_NAME_OPTIONS.iter().filter(|(p, c, _)| (*p, *c) == (parent, sub)) {
                let Some(arg) = s.get_arguments().find(|a| a.get_long() == Some(long)) else { continue };
                let mut flags = vec![format!("--{long}")];
                flags.extend(arg.get_short().map(|c| format!("-{c}")));
                hooks.job_names.push((format!("{parent}/{sub}"), flags));
            }
        }
        hooks
    }

    fn add_options(&mut self, cmd: &Command) {
        for arg in cmd.get_arguments().filter(|a| !a.is_positional() && a.get_action().takes_values()) {
            let n = arg.get_num_args().map_or(1, |r| r.max_values());
            if n == 0 || n > 9 {
                continue;
            }
            let set = self.options.entry(n).or_default();
            set.extend(arg.get_long_and_visible_aliases().into_iter().flatten().map(|l| format!("--{l}")));
            set.extend(arg.get_short_and_visible_aliases().into_iter().flatten().map(|s| format!("-{s}")));
        }
    }

    fn paths_of(&self, kind: Kind) -> Vec<&str> {
        self.paths.iter().filter(|(_, k)| *k == kind).map(|(p, _)| p.as_str()).collect()
    }

    /// `report/run|report/show|jobs/run|…`
    fn all_paths(&self, sep: &str) -> String {
        self.paths.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>().join(sep)
    }

    /// The job-name arm of the bash and zsh scripts: runs when the word being completed is the value of a job-name
    /// option (`skip` is 1 and `opt` is that option) on a hooked path whose first argument (`first`) was given.
    fn job_names_arm(&self, complete: &str) -> String {
        let mut arm = String::new();
        for (path, flags) in &self.job_names {
            arm.push_str(&format!(
                "    if (( skip == 1 )) && [[ -n $first && $cpath == {path} && \"|{}|\" == *\"|$opt|\"* ]]; then\n{complete}    fi\n",
                flags.join("|")
            ));
        }
        arm
    }

    fn bash(&self, script: String) -> String {
        let mut options = String::new();
        for (n, flags) in &self.options {
            let flags = flags.iter().map(String::as_str).collect::<Vec<_>>().join("|");
            options.push_str(&format!("            {flags}) skip={n}; opt=\"$w\" ;;\n"));
        }
        let mut arms = String::new();
        let reports = self.paths_of(Kind::Reports);
        if !reports.is_empty() {
            arms.push_str(&format!(
                "            {})\n                COMPREPLY=( $(compgen -W \"$(\"${{bin/#\\~/$HOME}}\" __complete reports \
                 \"${{rdir[@]}}\" 2>/dev/null)\" -- \"$cur\") )\n                return 0\n                ;;\n",
                reports.join("|")
            ));
        }
        let files = self.paths_of(Kind::JobFile);
        if !files.is_empty() {
            arms.push_str(&format!(
                "            {})\n                local IFS=$'\\n'\n                compopt -o filenames 2>/dev/null\n                \
                 COMPREPLY=( $(compgen -d -- \"$cur\") $(compgen -f -X '!*.toml' -- \"$cur\") )\n                \
                 return 0\n                ;;\n",
                files.join("|")
            ));
        }
        let job_names = self.job_names_arm(
            "        local IFS=$'\\n'\n        COMPREPLY=( $(compgen -W \"$(\"${bin/#\\~/$HOME}\" __complete jobs \
             \"${first/#\\~/$HOME}\" 2>/dev/null)\" -- \"$cur\") )\n        return 0\n",
        );
        let hook = BASH_HOOK
            .replace("@JOBNAMES@\n", &job_names)
            .replace("@PATHS@", &self.all_paths("|"))
            .replace("@PARENTS@", &self.parents.join("|"))
            .replace("@OPTIONS@\n", &options)
            .replace("@ARMS@\n", &arms);
        script + &hook
    }

    fn zsh(&self, script: String) -> String {
        let mut options = String::new();
        for (n, flags) in &self.options {
            let flags = flags.iter().map(String::as_str).collect::<Vec<_>>().join("|");
            options.push_str(&format!("            ({flags}) skip={n}; opt=$w ;;\n"));
        }
        let mut arms = String::new();
        let reports = self.paths_of(Kind::Reports);
        if !reports.is_empty() {
            arms.push_str(&format!(
                "            ({})\n                local -a names expl\n                names=(${{(f)\"$(\"${{bin/#\\~/$HOME}}\" \
                 __complete reports \"${{rdir[@]}}\" 2>/dev/null)\"}})\n                _wanted reports expl 'report' \
                 compadd -a names\n                return\n                ;;\n",
                reports.join("|")
            ));
        }
        let files = self.paths_of(Kind::JobFile);
        if !files.is_empty() {
            arms.push_str(&format!(
                "            ({})\n                local -a expl\n                _wanted files expl 'job file' _files -g \
                 '*.toml(-.)'\n                return\n                ;;\n",
                files.join("|")
            ));
        }
        let job_names = self.job_names_arm(
            "        local -a names expl\n        names=(${(f)\"$(\"${bin/#\\~/$HOME}\" __complete jobs \
             \"${first/#\\~/$HOME}\" 2>/dev/null)\"})\n        _wanted jobs expl 'job' compadd -a names\n        \
             return\n",
        );
        let hook = ZSH_HOOK
            .replace("@JOBNAMES@\n", &job_names)
            .replace("@PATHS@", &self.all_paths("|"))
            .replace("@PARENTS@", &self.parents.join("|"))
            .replace("@OPTIONS@\n", &options)
            .replace("@ARMS@\n", &arms);
        // clap's script ends by registering (or, autoloaded from $fpath, running) its `_calldb`; ours takes over
        // both, so `_calldb_names` sees every completion first.
        const TAIL: &str = "if [ \"$funcstack[1]\" = \"_calldb\" ]; then";
        match script.rfind(TAIL) {
            Some(at) => script[..at].to_string() + &hook + ZSH_TAIL,
            None => script + &hook + "(( $+functions[compdef] )) && compdef _calldb_names calldb\n",
        }
    }

    fn fish(&self, script: String) -> String {
        let mut options = String::new();
        for (n, flags) in &self.options {
            let flags = flags.iter().map(String::as_str).collect::<Vec<_>>().join(" ");
            options.push_str(&format!(
                "            case {flags}\n                set skip {n}\n                set opt $w\n"
            ));
        }
        let mut arms = String::new();
        for (kind, name) in [(Kind::Reports, "reports"), (Kind::JobFile, "jobfile")] {
            let paths = self.paths_of(kind);
            if !paths.is_empty() {
                arms.push_str(&format!("            case {}\n                echo {name}\n", paths.join(" ")));
            }
        }
        let mut job_names = String::new();
        for (path, flags) in &self.job_names {
            job_names.push_str(&format!(
                "    if test $skip -eq 1 -a -n \"$first\" -a \"$cpath\" = {path}; and contains -- \"$opt\" {}\n        \
                 echo jobnames\n        string replace -r -- '^~' $HOME $first\n        return\n    end\n",
                flags.join(" ")
            ));
        }
        let mut hook = FISH_HOOK
            .replace("@JOBNAMES@\n", &job_names)
            .replace("@PATHS@", &self.all_paths(" "))
            .replace("@PARENTS@", &self.parents.join(" "))
            .replace("@OPTIONS@\n", &options)
            .replace("@ARMS@\n", &arms);
        if !self.paths_of(Kind::Reports).is_empty() {
            hook.push_str(
                "complete -c calldb -n '__calldb_names_at reports' -f -a '(__calldb_report_names)' -d 'report'\n",
            );
        }
        // An option's value is completed only from that option's own entries, so the job names come with one.
        for (_, flags) in &self.job_names {
            let spelled: Vec<String> = flags
                .iter()
                .map(|f| match f.strip_prefix("--") {
                    Some(long) => format!("-l {long}"),
                    None => format!("-s {}", &f[1..]),
                })
                .collect();
            hook.push_str(&format!(
                "complete -c calldb -n '__calldb_names_at jobnames' {} -x -a '(__calldb_job_names)' -d 'job'\n",
                spelled.join(" ")
            ));
        }
        // Job files need nothing more: fish completes files where clap's script does not say otherwise.
        script + &hook
    }
}

const BASH_HOOK: &str = r#"
# Added by `calldb completions`: report names (`report run NAME`, from `calldb __complete reports` when TAB is
# pressed, with the report folder of --reports-dir or $CALLDB_REPORTS_DIR) and job files; everything else is
# clap's `_calldb` above.
_calldb_names() {
    local cur="${COMP_WORDS[COMP_CWORD]}" bin="${COMP_WORDS[0]}" w cpath="" opt="" first="" i npos=0 skip=0
    local -a rdir=()
    for (( i = 1; i < COMP_CWORD; i++ )); do
        w="${COMP_WORDS[i]}"
        if (( skip > 0 )); then
            # `--opt=value` is split into three words where `=` breaks words.
            [[ $w == = ]] && continue
            skip=$(( skip - 1 ))
            [[ $opt == --reports-dir ]] && rdir=(--reports-dir "${w/#\~/$HOME}")
            continue
        fi
        case "$w" in
            --reports-dir=*) w="${w#*=}"; rdir=(--reports-dir "${w/#\~/$HOME}") ;;
@OPTIONS@
            -*) ;;
            *)
                if [[ "|@PATHS@|" == *"|$cpath|"* ]]; then
                    npos=$(( npos + 1 ))
                    (( npos == 1 )) && first="$w"
                elif [[ "|@PARENTS@|@PATHS@|" == *"|${cpath:+$cpath/}$w|"* ]]; then
                    cpath="${cpath:+$cpath/}$w"
                else
                    cpath=-
                fi
                ;;
        esac
    done
@JOBNAMES@
    if (( skip == 0 && npos == 0 )) && [[ $cur != -* ]]; then
        case "$cpath" in
@ARMS@
        esac
    fi
    _calldb "$@"
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _calldb_names -o nosort -o bashdefault -o default calldb
else
    complete -F _calldb_names -o bashdefault -o default calldb
fi
"#;

const ZSH_HOOK: &str = r#"# Added by `calldb completions`: report names (`report run NAME`, from `calldb __complete reports` when TAB is
# pressed, with the report folder of --reports-dir or $CALLDB_REPORTS_DIR) and job files; everything else is
# clap's `_calldb` above.
_calldb_names() {
    local bin=${(Q)words[1]} w cpath= opt= first=
    local -a rdir
    integer i npos=0 skip=0
    for (( i = 2; i < CURRENT; i++ )); do
        w=${(Q)words[i]}
        if (( skip > 0 )); then
            skip=$(( skip - 1 ))
            [[ $opt == --reports-dir ]] && rdir=(--reports-dir "${w/#\~/$HOME}")
            continue
        fi
        case $w in
            (--reports-dir=*) w=${w#*=}; rdir=(--reports-dir "${w/#\~/$HOME}") ;;
@OPTIONS@
            (-*) ;;
            (*)
                if [[ "|@PATHS@|" == *"|$cpath|"* ]]; then
                    npos=$(( npos + 1 ))
                    (( npos == 1 )) && first=$w
                elif [[ "|@PARENTS@|@PATHS@|" == *"|${cpath:+$cpath/}$w|"* ]]; then
                    cpath=${cpath:+$cpath/}$w
                else
                    cpath=-
                fi
                ;;
        esac
    done
@JOBNAMES@
    if (( skip == 0 && npos == 0 )) && [[ $PREFIX != -* ]]; then
        case $cpath in
@ARMS@
        esac
    fi
    _calldb "$@"
}

"#;

const ZSH_TAIL: &str = r#"if [ "$funcstack[1]" = "_calldb" ]; then
    compdef _calldb_names calldb
    _calldb_names "$@"
else
    compdef _calldb_names calldb
fi
"#;

const FISH_HOOK: &str = r#"
# Added by `calldb completions`: report names (`report run NAME`, from `calldb __complete reports` when TAB is
# pressed, with the report folder of --reports-dir or $CALLDB_REPORTS_DIR).
# Prints what the word being completed is (reports, jobfile, jobnames or none), then the --reports-dir given, if
# any (for jobnames: the job file).
function __calldb_names_scan
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l cpath
    set -l npos 0
    set -l skip 0
    set -l opt
    set -l first
    set -l rdir
    for w in $tokens
        if test $skip -gt 0
            set skip (math $skip - 1)
            test "$opt" = --reports-dir; and set rdir $w
            continue
        end
        switch $w
            case '--reports-dir=*'
                set rdir (string replace -r -- '^--reports-dir=' '' $w)
@OPTIONS@
            case '-*'
            case '*'
                if contains -- "$cpath" @PATHS@
                    set npos (math $npos + 1)
                    test $npos -eq 1; and set first $w
                else if contains -- (string join / -- $cpath $w) @PARENTS@ @PATHS@
                    set cpath (string join / -- $cpath $w)
                else
                    set cpath -
                end
        end
    end
@JOBNAMES@
    if test $skip -eq 0 -a $npos -eq 0
        switch "$cpath"
@ARMS@
            case '*'
                echo none
        end
    else
        echo none
    end
    # (`string` with no arguments would read standard input)
    set -q rdir[1]; and string replace -r -- '^~' $HOME $rdir
end

function __calldb_names_at
    test (__calldb_names_scan)[1] = $argv[1]
end

function __calldb_job_names
    set -l scan (__calldb_names_scan)
    set -l bin (string replace -r -- '^~' $HOME (commandline -opc)[1])
    set -q scan[2]; and command $bin __complete jobs $scan[2] 2>/dev/null
end

function __calldb_report_names
    set -l scan (__calldb_names_scan)
    set -l bin (string replace -r -- '^~' $HOME (commandline -opc)[1])
    set -l dir
    set -q scan[2]; and set dir --reports-dir $scan[2]
    command $bin __complete reports $dir 2>/dev/null
end
"#;
