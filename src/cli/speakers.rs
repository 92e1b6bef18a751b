//! `calldb speakers`: people across calls, and the corrections `merge` and `split`.

use std::path::Path;
use std::process::ExitCode;

use rusqlite::types::Value;

use super::{output, OutputArgs};
use crate::archive::speakers::{self, SplitBy};
use crate::archive::Archive;
use crate::report::format::RenderOptions;

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
            println!("{}", speakers::merge(&mut archive, a, b)?);
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
            println!("{message}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn list(db: &Path, args: ListArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    // The documented view, filtered: the same people a SQL client sees.
    let sql = "
        SELECT speaker_id, name, aliases, roles, titles, firms, calls, companies, tickers, first_call, last_call
        FROM v_speakers
        WHERE (:name IS NULL OR speaker_id IN
                  (SELECT speaker_id FROM speaker_aliases WHERE alias LIKE '%' || :name || '%'))
          AND (:role IS NULL OR speaker_id IN (SELECT speaker_id FROM participants WHERE role = :role))
          AND (:ticker IS NULL OR speaker_id IN
                  (SELECT p.speaker_id FROM participants p JOIN calls c USING (call_id)
                   JOIN companies co USING (company_id) WHERE co.ticker = upper(:ticker)))
          AND (:firm IS NULL OR speaker_id IN
                  (SELECT speaker_id FROM participants WHERE firm_normalized LIKE '%' || lower(:firm) || '%'))
        ORDER BY calls DESC, name";
    let params = vec![
        ("name".to_string(), super::optional_text(args.name)),
        ("role".to_string(), super::optional_text(args.role)),
        ("ticker".to_string(), super::optional_text(args.ticker)),
        ("firm".to_string(), super::optional_text(args.firm)),
    ];
    output::emit_query(
        &archive.conn,
        sql,
        &params,
        &args.out,
        RenderOptions { title: Some("Speakers"), ..Default::default() },
    )?;
    Ok(ExitCode::SUCCESS)
}

fn show(db: &Path, id: i64, out: &OutputArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let name: Option<String> = rusqlite::OptionalExtension::optional(archive.conn.query_row(
        "SELECT name FROM speakers WHERE speaker_id = ?1",
        [id],
        |r| r.get(0),
    ))?;
    let Some(name) = name else {
        anyhow::bail!("no speaker with id {id} (see `calldb speakers`)");
    };
    let keys: Vec<String> = archive
        .conn
        .prepare("SELECT identity_key FROM speaker_keys WHERE speaker_id = ?1 ORDER BY identity_key")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    eprintln!("{name} (speaker {id}); identity keys: {}", keys.join(", "));
    let sql = "SELECT c.call_id, co.ticker, c.call_date, c.fiscal_year || ' Q' || c.fiscal_quarter AS fiscal_period,
                      p.name AS name_as_written, p.title, p.firm, p.role, p.turns, p.words
               FROM participants p JOIN calls c USING (call_id) JOIN companies co USING (company_id)
               WHERE p.speaker_id = :id ORDER BY c.call_date";
    output::emit_query(
        &archive.conn,
        sql,
        &[("id".to_string(), Value::Integer(id))],
        out,
        RenderOptions { title: Some(&name), ..Default::default() },
    )?;
    Ok(ExitCode::SUCCESS)
}
