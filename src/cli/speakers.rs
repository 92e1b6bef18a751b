//! `calldb speakers`: people across calls, and the corrections `merge` and `split`.

use std::path::Path;
use std::process::ExitCode;

use super::{output, OutputArgs};
use crate::archive::speakers::{self, SplitBy};
use crate::archive::Archive;
use crate::report::read;
use crate::report::sinks::terminal_safe;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SpeakersArgs {
    #[command(subcommand)]
    command: Option<SpeakersCommand>,
    #[command(flatten)]
    list: ListArgs,
}

#[derive(clap::Args)]
struct ListArgs {
    /// Only people whose name or an alias contains this text
    #[arg(long)]
    name: Option<String>,
    /// Only people seen in this role: operator, executive, investor_relations, analyst, unknown
    #[arg(long)]
    role: Option<String>,
    /// Only people seen on calls of this ticker
    #[arg(long)]
    ticker: Option<String>,
    /// Only people seen with this firm (normalized: `KeyBanc Capital Markets.` matches `keybanc`)
    #[arg(long)]
    firm: Option<String>,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(clap::Subcommand)]
enum SpeakersCommand {
    /// One person's appearances, names as written, titles, firms and identity keys
    Show {
        id: i64,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Make B the same person as A (corrections survive re-imports)
    Merge { a: i64, b: i64 },
    /// Move some of a person's appearances to a new person (corrections survive re-imports)
    Split {
        id: i64,
        /// The appearances whose name is written exactly so
        #[arg(long, conflicts_with = "key", required_unless_present = "key")]
        name: Option<String>,
        /// The appearances that resolve through this identity key (see `speakers show`)
        #[arg(long)]
        key: Option<String>,
    },
}

pub fn run(db: &Path, wait: std::time::Duration, args: SpeakersArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        None => list(db, args.list),
        Some(SpeakersCommand::Show { id, out }) => show(db, id, &out),
        Some(SpeakersCommand::Merge { a, b }) => {
            let mut archive = Archive::open_existing_for_write(db, wait)?;
            output::print(&format!("{}\n", speakers::merge(&mut archive, a, b)?))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(SpeakersCommand::Split { id, name, key }) => {
            let by = match (name, key) {
                (Some(n), _) => SplitBy::Name(n),
                (None, Some(k)) => SplitBy::Key(k),
                (None, None) => unreachable!("clap requires --name or --key"),
            };
            let mut archive = Archive::open_existing_for_write(db, wait)?;
            let (_, message) = speakers::split(&mut archive, id, &by)?;
            output::print(&format!("{message}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn list(db: &Path, args: ListArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let q =
        read::speakers(read::SpeakerFilter { name: args.name, role: args.role, ticker: args.ticker, firm: args.firm });
    output::emit_read(&archive.conn, &q, &args.out)?;
    Ok(ExitCode::SUCCESS)
}

fn show(db: &Path, id: i64, out: &OutputArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let (name, keys, q) = read::speaker(&archive.conn, id)?;
    eprintln!("{} (speaker {id}); identity keys: {}", terminal_safe(&name), terminal_safe(&keys.join(", ")));
    output::emit_read(&archive.conn, &q, out)?;
    Ok(ExitCode::SUCCESS)
}
