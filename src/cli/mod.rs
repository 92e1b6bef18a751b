//! The `calldb` command line: argument definitions and dispatch. Each command lives in its own module and turns
//! library errors into messages with context (anyhow) at this edge.

pub(crate) mod calls;
mod check;
mod compare;
mod datasette;
mod docs;
mod export;
mod import;
mod jobs;
mod output;
mod query;
mod search;
mod speakers;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::report::format::Format;

/// The forms and layouts calldb reads, for `--help` and the manual pages (a test checks every layout is named).
macro_rules! layouts_help {
    () => {
        "Files it reads: .txt, saved pages (.html, .htm), PDFs (.pdf), and dataset records (.json, .jsonl, .ndjson, \
         .csv, .tsv, .parquet: API responses, Hugging Face and Kaggle datasets, one call per record).\n\n\
         Layouts it reads, recognized from the text itself:\n\
         - fool-classic: fool.com transcripts (2017-2025): saved pages, their text, scraped copies\n\
         - fool-2025: fool.com since mid-2025 (Call participants, Name:speech turns, editorial blocks dropped)\n\
         - streetevents: Refinitiv / Thomson Reuters StreetEvents Event Transcripts\n\
         - capiq: S&P Capital IQ transcripts (and bank IR PDFs in its shape)\n\
         - callstreet: FactSet CallStreet transcripts (bank and company IR PDFs)\n\
         - seekingalpha: Seeking Alpha transcript text\n\
         - name-speech: `Name: speech` text from transcript APIs, datasets and concall PDFs\n\
         - whole-call: speech with no speaker labels (kept as one block, marked as such)"
    };
}

#[derive(Parser)]
#[command(
    name = "calldb",
    version,
    about = "Earnings-call transcripts into one SQLite archive, and reports over it",
    long_about = concat!(
        "calldb imports folders of earnings-call transcripts (publishers' text, saved pages, PDFs, API responses and \
         datasets) into one SQLite archive and answers questions about them with canned and ad-hoc SQL reports.\n\n\
         The archive is --db PATH, else $CALLDB_DB, else ~/.local/share/calldb/calldb.db.\n\n",
        layouts_help!()
    )
)]
pub struct Cli {
    /// Archive file (default: $CALLDB_DB, else ~/.local/share/calldb/calldb.db)
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,

    /// Commands that write (import, migrate, speakers merge/split, calls set/delete, jobs run, export
    /// --since-last-export) wait up to SECONDS for another writer before giving up (exit status 75, nothing changed)
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = crate::archive::DEFAULT_WAIT.as_secs_f64(),
          value_parser = import::non_negative_seconds)]
    wait: f64,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import transcript files and folders (recursive) into the archive
    #[command(long_about = concat!("Import transcript files and folders (recursive) into the archive.\n\n", layouts_help!()))]
    Import(import::ImportArgs),
    /// Parse files without touching any archive and show what import would archive
    Check(check::CheckArgs),
    /// List archived calls; correct one (`calls set`) or delete calls (`calls delete`)
    Calls(calls::CallsArgs),
    /// Print one archived call back as readable text
    Show(calls::ShowArgs),
    /// What changed between a call and the company's previous one (or --with any other): guidance, figures, terms,
    /// analysts, talk time
    Compare(compare::CompareArgs),
    /// Run read-only SQL against the archive
    Query(query::QueryArgs),
    /// Canned reports: list, show, run
    Report(query::ReportArgs),
    /// Full-text search over what was said (bm25 ranking, highlighted snippets)
    Search(search::SearchArgs),
    /// People across calls: list them, or correct who is who with merge and split
    Speakers(speakers::SpeakersArgs),
    /// Scheduled report jobs from a TOML file
    #[command(subcommand)]
    Jobs(jobs::JobsCommand),
    /// Write the archive's views as typed Parquet, CSV or NDJSON files for DuckDB, Polars, Spark and Trino
    Export(export::ExportArgs),
    /// Print Datasette metadata (YAML) for the archive: documented views, search, facets, reports as canned queries
    Datasette(datasette::DatasetteArgs),
    /// Create the archive or upgrade it to this calldb's schema
    Migrate,
    /// Print a shell completion script: `calldb completions bash > ~/.local/share/bash-completion/completions/calldb`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per subcommand: `calldb man --dir ~/.local/share/man/man1`
    Man(docs::ManArgs),
    /// Write synthetic transcripts (fictional companies, classic layout) for benchmarks and trials
    Generate {
        /// Folder to write into
        dir: PathBuf,
        /// Number of calls
        #[arg(long, default_value_t = 100)]
        calls: usize,
        /// Random seed (same seed, same files)
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Where results go: a format and an optional file (written atomically).
#[derive(clap::Args, Clone, Debug)]
pub struct OutputArgs {
    /// Output format (default: table on a terminal, csv when piped)
    #[arg(long, short = 'f', value_enum)]
    format: Option<Format>,
    /// Write to FILE atomically instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// CSV/TSV: prefix text cells that start with = + - @ with ' so spreadsheets never run them as formulas
    #[arg(long)]
    csv_safe: bool,
}

impl OutputArgs {
    pub fn to_stdout(format: Format) -> OutputArgs {
        OutputArgs { format: Some(format), output: None, csv_safe: false }
    }
}

pub fn main() -> ExitCode {
    if let Some(code) = docs::complete_if_asked() {
        return code;
    }
    let cli = Cli::parse();
    let db = crate::archive::resolve_path(cli.db.as_deref());
    let wait = std::time::Duration::try_from_secs_f64(cli.wait.max(0.0)).unwrap_or(crate::archive::DEFAULT_WAIT);
    let result = match cli.command {
        Command::Import(args) => import::run(&db, wait, args),
        Command::Check(args) => check::run(args),
        Command::Calls(args) => calls::run(&db, wait, args),
        Command::Show(args) => calls::show(&db, args),
        Command::Compare(args) => compare::run(&db, args),
        Command::Query(args) => query::run_query(&db, args),
        Command::Report(args) => query::report(&db, args),
        Command::Jobs(command) => jobs::run(&db, wait, command),
        Command::Search(args) => search::run(&db, args),
        Command::Speakers(args) => speakers::run(&db, wait, args),
        Command::Export(args) => export::run(&db, wait, args),
        Command::Datasette(args) => datasette::run(&db, args),
        Command::Migrate => migrate(&db, wait),
        Command::Completions { shell } => docs::completions(shell, Cli::command()),
        Command::Man(args) => docs::man(Cli::command(), args),
        Command::Generate { dir, calls, seed } => generate(&dir, calls, seed),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`calldb … | head`) ends the program quietly, as for any Unix tool.
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Errors quote file names and stored text: no control or bidi character reaches the terminal raw.
            eprintln!("calldb: error: {}", crate::report::sinks::terminal_safe(&format!("{e:#}")));
            let busy = e.chain().any(|c| {
                c.downcast_ref::<crate::archive::ArchiveError>().is_some_and(|a| a.is_busy())
                    || c.downcast_ref::<crate::archive::curate::CurateError>().is_some_and(|a| a.is_busy())
                    || c.downcast_ref::<crate::archive::speakers::CorrectionError>().is_some_and(|a| a.is_busy())
            });
            // 75 (EX_TEMPFAIL): another writer kept the archive; trying again later will work.
            ExitCode::from(if busy { 75 } else { 2 })
        }
    }
}

fn migrate(db: &std::path::Path, wait: std::time::Duration) -> anyhow::Result<ExitCode> {
    let archive = crate::archive::Archive::open_for_write(db, wait)?;
    let version = crate::archive::schema::current_version(&archive.conn, db)?;
    output::print(&format!("{}: schema version {version}\n", db.display()))?;
    Ok(ExitCode::SUCCESS)
}

fn generate(dir: &std::path::Path, calls: usize, seed: u64) -> anyhow::Result<ExitCode> {
    let files = crate::synth::generate(dir, calls, seed)
        .map_err(|e| anyhow::anyhow!("writing transcripts into {}: {e}", dir.display()))?;
    eprintln!("wrote {} transcripts into {}", files.len(), dir.display());
    Ok(ExitCode::SUCCESS)
}
